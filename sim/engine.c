/* sim/engine.c — the discrete-event engine's event loop (see engine.h; the other files are named
 * in engine-private.h).
 *
 * State per pipe: a program counter into its queue and one of READY / BUSY / BLOCKED / DONE.
 * Events (sim/evqueue.c: a FIFO per instant, the instants in a heap) are instruction completions,
 * flag arrivals (after their latency) and DMA start-up ends; GM transfers complete under shared
 * bandwidth (sim/gm.c).  The loop always takes the earliest of the queue's front and the next GM
 * completion, so time jumps from event to event.
 * Zero-time instructions (flags, alloc/free, barriers) run inline when a pipe advances.
 */
#include "sim/engine-private.h"

#include <math.h>
#include <string.h>

GQuark
sim_engine_error_quark (void)
{
  return g_quark_from_static_string ("sim-engine-error");
}

void
sim_run_options_init (SimRunOptions *opt)
{
  memset (opt, 0, sizeof *opt);
  opt->record_trace = TRUE;
  opt->record_flows = TRUE;
  opt->record_counters = TRUE;
}

void
sim_result_free (SimResult *res)
{
  if (!res)
    return;
  sim_trace_free (res->trace);
  g_free (res->metrics.core_busy);
  g_free (res);
}

/* ---- event queue ---- */

static inline void
heap_push (Engine *e, Event ev)
{
  sim_evq_push (e->events_q, ev);
}

static const char *
core_label (const Engine *e, int core, char *buf, gsize len)
{
  const SimCore *c = &e->prog->cores[core];
  g_snprintf (buf, len, "%s%d", c->kind == SIM_CORE_AIC ? "AIC" : "AIV", c->index);
  return buf;
}

static char *
human_bytes (double b)
{
  if (b >= 1024 * 1024)
    return g_strdup_printf ("%.1f MiB", b / (1024.0 * 1024.0));
  if (b >= 1024)
    return g_strdup_printf ("%.1f KiB", b / 1024.0);
  return g_strdup_printf ("%.0f B", b);
}

static guint64
mem_capacity (const SimHw *hw, SimMem mem)
{
  switch (mem)
    {
    case SIM_MEM_L1:
      return hw->l1_bytes;
    case SIM_MEM_L0A:
      return hw->l0a_bytes;
    case SIM_MEM_L0B:
      return hw->l0b_bytes;
    case SIM_MEM_L0C:
      return hw->l0c_bytes;
    case SIM_MEM_UB:
      return hw->ub_bytes;
    default:
      return G_MAXUINT64;
    }
}

/* Room for each of an AIC's overlap lists (doubles): what a run's lists grow to (the accumulator
 * drops what it consumed once it is 512 intervals). */
#define OV_ROOM 2048u

static void try_advance (Engine *e, int core, int pipe);
static inline __attribute__ ((always_inline)) void try_advance_m (Engine *e, int core, int pipe,
                                                                  const gboolean im);
static void issue (Engine *e, int core);
static inline __attribute__ ((always_inline)) void issue_inl (Engine *e, CoreState *cs, int core);
static gboolean refill (Engine *e, int core);

/* Whether an instruction takes a place in its pipe's queue under the issue model: simulator
 * bookkeeping (alloc/free) does not, nor what the Scalar executes itself (cross-core waits,
 * pipe_barrier(PIPE_ALL)), nor a part of an earlier instruction. */
static const guint8 op_takes_slot[] = {
  [SIM_OP_DMA] = 1,        [SIM_OP_MMAD] = 1,      [SIM_OP_VECTOR] = 1,  [SIM_OP_SCALAR] = 1,
  [SIM_OP_SET_FLAG] = 1,   [SIM_OP_WAIT_FLAG] = 1, [SIM_OP_BARRIER] = 0, [SIM_OP_CROSS_SET] = 1,
  [SIM_OP_CROSS_WAIT] = 0, [SIM_OP_ALLOC] = 0,     [SIM_OP_FREE] = 0,    [SIM_OP_SYNC_ALL] = 1,
};

static inline gboolean
takes_queue_slot (const SimInstr *in)
{
  return op_takes_slot[in->op] && !sim_instr_is_part (in);
}

/* A pipe is done with its current instruction `in`: the next one becomes current.  Under the
 * issue model the queue place is freed, and a Scalar waiting for that place (or for the pipes to
 * drain at a barrier) goes on issuing. */
static inline __attribute__ ((always_inline)) void
retire_slot_m (Engine *e, CoreState *cs, int core, int pipe, const gboolean slot, const gboolean im)
{
  PipeState *ps = &cs->pipe[pipe];
  if (!im)
    {
      ps->pc++;
      return;
    }
  if (slot)
    cs->ilimit[SIM_ORDER_SLOT + pipe]++; /* a place in its queue (it is not waiting for issue) */
  ps->pc++;
  /* issue() is called only when it can get further: a Scalar waiting for a place in this queue
   * gets one only when this instruction held one, and one at pipe_barrier(PIPE_ALL) only when
   * this pipe has drained (otherwise it would stop again at once, with nothing changed) */
  if (cs->istate == ISSUE_QUEUE ? slot && cs->ikey == pipe
                                : cs->istate == ISSUE_BARRIER && ps->pc >= cs->issued[pipe])
    issue_inl (e, cs, core); /* a few hundred thousand times a run: no call */
}

/* retire_slot_m of `in`: whether it held a queue place is read from it */
static inline __attribute__ ((always_inline)) void
retire_instr_m (Engine *e, CoreState *cs, int core, int pipe, const SimInstr *in, const gboolean im)
{
  retire_slot_m (e, cs, core, pipe, im && takes_queue_slot (in), im);
}

static inline void
retire_instr (Engine *e, CoreState *cs, int core, int pipe, const SimInstr *in)
{
  retire_instr_m (e, cs, core, pipe, in, e->issue_model);
}

static inline void
retire (Engine *e, int core, int pipe)
{
  CoreState *cs = &e->cores[core];
  retire_instr (e, cs, core, pipe, sim_core_instr (&e->prog->cores[core], pipe, cs->pipe[pipe].pc));
}

static void
fail (Engine *e, int code, const char *fmt, ...) G_GNUC_PRINTF (3, 4);

static void
fail (Engine *e, int code, const char *fmt, ...)
{
  if (e->error)
    return;
  va_list ap;
  va_start (ap, fmt);
  g_autofree char *msg = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  e->error = g_error_new_literal (SIM_ENGINE_ERROR, code, msg);
  e->error_at = e->now;
}

/* ---- DMA costs ---- */

static void
dma_params (const Engine *e, const SimCore *c, int pipe, const SimInstr *in, double *cap,
            double *startup)
{
  const SimHw *hw = e->hw;
  if (c->kind == SIM_CORE_AIC)
    {
      switch (pipe)
        {
        case SIM_PIPE_MTE1:
          *cap = in->dst == SIM_MEM_L0B ? hw->mte1_l0b_bytes_per_cycle : hw->mte1_l0a_bytes_per_cycle;
          *startup = hw->mte1_startup_cycles;
          break;
        case SIM_PIPE_FIXPIPE:
          *cap = hw->fixpipe_bytes_per_cycle;
          *startup = hw->fixpipe_startup_cycles;
          break;
        default:
          *cap = hw->mte2_l1_bytes_per_cycle;
          *startup = hw->mte2_startup_cycles;
          break;
        }
    }
  else
    {
      *cap = pipe == SIM_PIPE_MTE3 ? hw->aiv_mte3_bytes_per_cycle : hw->aiv_mte2_bytes_per_cycle;
      *startup = hw->aiv_dma_startup_cycles;
    }
  if (in->atomic != SIM_ATOMIC_NONE)
    {
      *cap *= hw->atomic_rate_factor;
      *startup += hw->atomic_extra_cycles;
    }
  if (in->event & SIM_DMA_STREAMED)
    *startup = 0; /* streams behind the transfer before it (unitFlag) */
}

static inline __attribute__ ((always_inline)) SimPath
dma_path (const SimCore *c, const SimInstr *in, gboolean l2_hit)
{
  if (c->kind == SIM_CORE_AIC)
    {
      if (in->dst == SIM_MEM_L0A)
        return SIM_PATH_L1_TO_L0A;
      if (in->dst == SIM_MEM_L0B)
        return SIM_PATH_L1_TO_L0B;
      if (in->src == SIM_MEM_GM)
        return l2_hit ? SIM_PATH_GM_TO_L1_L2 : SIM_PATH_GM_TO_L1_HBM;
      return in->atomic ? SIM_PATH_L0C_TO_GM_ATOMIC : SIM_PATH_L0C_TO_GM;
    }
  if (in->src == SIM_MEM_GM)
    return l2_hit ? SIM_PATH_GM_TO_UB_L2 : SIM_PATH_GM_TO_UB_HBM;
  return in->atomic ? SIM_PATH_UB_TO_GM_ATOMIC : SIM_PATH_UB_TO_GM;
}

/* ---- completion ---- */

static inline __attribute__ ((always_inline)) void
finish_instr_inl (Engine *e, int core, int pipe)
{
  CoreState *cs = &e->cores[core];
  const SimCore *c = cs->prog;
  PipeState *ps = &cs->pipe[pipe];
  const SimInstr *in = sim_core_instr (c, pipe, ps->pc);
  double dur = e->now - ps->start;
  ps->busy += dur;
  if (pipe == cs->ov_pipe)
    sim_overlap_add_to (cs->ov_to, cs->ov_list, ps->start, e->now);
  if (in->op == SIM_OP_DMA)
    e->m->bytes[dma_path (c, in, ps->l2_hit)] += in->bytes;
  if (e->trace)
    _sim_eng_record_span (e, core, pipe, in, ps->start, e->now);
  ps->state = PIPE_READY;
  if (e->issue_model)
    {
      /* the engine's hottest path: the pipe goes on here, without a second call */
      retire_instr_m (e, cs, core, pipe, in, TRUE);
      try_advance_m (e, core, pipe, TRUE);
    }
  else
    {
      retire_instr_m (e, cs, core, pipe, in, FALSE);
      try_advance (e, core, pipe);
    }
}

static void
finish_instr (Engine *e, int core, int pipe)
{
  finish_instr_inl (e, core, pipe);
}

/* The root cause of a stall: follow the chain of pipes waiting on each other inside the core
 * (the Cube waits for MTE1, which waits for MTE2, which waits for a cross-core flag...). */
static int
root_cause (const Engine *e, int core, int cause)
{
  const CoreState *cs = &e->cores[core];
  for (int hops = 0; hops < 4 && cause < SIM_N_PIPES; hops++)
    {
      const PipeState *ps = &cs->pipe[cause];
      if (ps->state != PIPE_BLOCKED)
        break;
      if (ps->block_kind == BLOCK_ISSUE)
        return ps->root_cause;
      if (ps->block_kind != BLOCK_FLAG)
        return ps->block_kind == BLOCK_CROSS || ps->block_kind == BLOCK_FENCE ? STALL_CROSS
                                                                               : STALL_BARRIER;
      if (ps->block_cause == cause)
        break;
      cause = ps->block_cause;
    }
  return cause;
}

static void
block (Engine *e, int core, int pipe, int kind, int key, int cause)
{
  CoreState *cs = &e->cores[core];
  PipeState *ps = &cs->pipe[pipe];
  if (kind == BLOCK_ISSUE)
    {
      /* the issue walk looks at the pipe's next entry, to wake it (see CoreState.ilimit); its
       * queue is empty (everything issued to it is done) */
      cs->ilimit_saved[pipe] = cs->ilimit[SIM_ORDER_SLOT + pipe];
      cs->ilimit[SIM_ORDER_SLOT + pipe] = cs->icount[SIM_ORDER_SLOT + pipe];
      cs->ilimit[pipe] = cs->icount[pipe];
    }
  ps->state = PIPE_BLOCKED;
  ps->block_start = e->now;
  ps->block_kind = kind;
  ps->block_key = key;
  ps->block_cause = cause;
  ps->root_cause = kind == BLOCK_FLAG || kind == BLOCK_ISSUE ? root_cause (e, core, cause) : cause;
}

static void
unblock_account (Engine *e, int core, int pipe)
{
  CoreState *cs = &e->cores[core];
  PipeState *ps = &cs->pipe[pipe];
  double stalled = e->now - ps->block_start;
  if (pipe == cs->stall_pipe)
    cs->stall[ps->root_cause] += stalled;
  if (ps->block_kind == BLOCK_ISSUE)
    {
      cs->ilimit[SIM_ORDER_SLOT + pipe] = cs->ilimit_saved[pipe];
      cs->ilimit[pipe] = G_MAXUINT32;
    }
  ps->state = PIPE_READY;
  ps->block_kind = BLOCK_NONE;
}

/* ---- issue ---- */

static inline void
start_timed (Engine *e, int core, int pipe, double cycles)
{
  PipeState *ps = &e->cores[core].pipe[pipe];
  ps->state = PIPE_BUSY;
  ps->start = e->now;
  heap_push (e, (Event){ .t = e->now + cycles, .kind = EV_PIPE_DONE, .core = core, .a = pipe });
}

static void
start_dma (Engine *e, int core, int pipe, const SimInstr *in)
{
  const SimCore *c = e->cores[core].prog;
  PipeState *ps = &e->cores[core].pipe[pipe];
  double cap, startup;
  dma_params (e, c, pipe, in, &cap, &startup);
  ps->l2_hit = 0;
  if (in->src != SIM_MEM_GM && in->dst != SIM_MEM_GM)
    {
      start_timed (e, core, pipe, startup + in->bytes / cap);
      return;
    }
  int die = c->die;
  if (in->gm_tag)
    die = (int) (in->gm_tag >> 56);
  if (in->src == SIM_MEM_GM)
    ps->l2_hit = sim_gm_l2_access (e->gm, die, in->gm_tag, in->bytes, FALSE);
  else
    {
      sim_gm_l2_access (e->gm, die, in->gm_tag, in->bytes, TRUE);
      ps->l2_hit = 1;
    }
  ps->level = ps->l2_hit ? SIM_GM_L2 : SIM_GM_HBM;
  ps->dma_cap = cap; /* the rate handle_dma_stream starts the transfer at */
  ps->state = PIPE_BUSY;
  ps->start = e->now;
  heap_push (e, (Event){ .t = e->now + startup, .kind = EV_DMA_STREAM, .core = core, .a = pipe });
}

static void
cross_set (Engine *e, int core, int pipe, const SimInstr *in)
{
  const SimCore *c = &e->prog->cores[core];
  double t = e->now + e->hw->cross_core_latency_cycles;
  if (c->kind == SIM_CORE_AIC)
    {
      for (int s = 0; s < e->hw->aiv_per_aic; s++)
        {
          const SimCore *v = &e->prog->cores[e->prog->n_aic + c->index * e->hw->aiv_per_aic + s];
          heap_push (e, (Event){ .t = t, .kind = EV_CROSS, .core = (int) (v - e->prog->cores),
                                 .a = in->event, .b = core, .c = pipe });
        }
    }
  else
    heap_push (e, (Event){ .t = t, .kind = EV_CROSS, .core = c->aic, .a = in->event, .b = core,
                           .c = pipe });
}

static void
sync_all_arrive (Engine *e, int core, int pipe, int id)
{
  e->sync_arrived[id]++;
  int cp[2] = { core, pipe };
  g_array_append_vals (e->sync_waiters[id], cp, 2);
  block (e, core, pipe, BLOCK_SYNC_ALL, id, STALL_BARRIER);
  if (e->sync_arrived[id] < e->sync_expected[id])
    return;
  GArray *w = e->sync_waiters[id];
  e->sync_waiters[id] = g_array_new (FALSE, FALSE, sizeof (int));
  for (guint i = 0; i + 1 < w->len; i += 2)
    {
      int wc = g_array_index (w, int, i), wp = g_array_index (w, int, i + 1);
      unblock_account (e, wc, wp);
      retire (e, wc, wp);
    }
  for (guint i = 0; i + 1 < w->len; i += 2)
    try_advance (e, g_array_index (w, int, i), g_array_index (w, int, i + 1));
  g_array_unref (w);
}

/* A cross-core wait of `pipe` finds its flag set: take one count and draw the arrow from the set
 * it consumes.  FALSE when the flag is 0. */
static gboolean
cross_take (Engine *e, int core, int pipe, const SimInstr *in)
{
  CoreState *cs = &e->cores[core];
  int id = in->event;
  if (cs->cross[id] <= 0)
    return FALSE;
  cs->cross[id]--;
  if (cs->cross_count[id] > 0)
    {
      SetRecord *r = &cs->cross_sets[id][cs->cross_head[id]];
      _sim_eng_record_flow (e, r, core, pipe, in);
      cs->cross_head[id] = (cs->cross_head[id] + 1) % CROSS_RING;
      cs->cross_count[id]--;
    }
  return TRUE;
}

/* What a pipe starved of issued instructions waits for: what the Scalar waits for. */
static int
issue_cause (const Engine *e, int core)
{
  const CoreState *cs = &e->cores[core];
  switch (cs->istate)
    {
    case ISSUE_CROSS:
      return STALL_CROSS;
    case ISSUE_QUEUE:
      return cs->ikey; /* the pipe whose full queue holds the Scalar up */
    default:
      return STALL_BARRIER;
    }
}

/* The Scalar issues the core's program in order (SimCore.order) into the per-pipe queues, as far
 * as it can now: it stops at a cross-core wait whose flag is 0, at a full queue (the preset's
 * issue_queue_depth), and at pipe_barrier(PIPE_ALL) until every pipe has drained.  Issue itself
 * takes no time (its cost is the Scalar lane's explicit work).  A pipe starved of instructions is
 * woken as soon as one is issued to it. */
/* an order entry indexes CoreState.icount and ilimit */
G_STATIC_ASSERT ((SIM_ORDER_PIPE | SIM_ORDER_SLOT | SIM_ORDER_SPECIAL) < 32);

/* The common run of the issue walk: from cs->opc, every entry that takes a queue place with room
 * for it, or none, to a pipe that is not waiting for issue, one compare each (CoreState.ilimit).
 * It stops at the first entry that needs a look (or the end of what is written) and leaves
 * cs->opc there.  No call: nothing here can move the program. */
static inline __attribute__ ((always_inline)) int
issue_run (CoreState *cs, const SimCore *c)
{
  const guint8 *order = c->order;
  gsize i = cs->opc - c->order_base, end = c->n_order - c->order_base;
  for (; i < end; i++)
    {
      guint v = order[i]; /* below 32: pipe, slot and special bits */
      guint32 n = cs->icount[v];
      if (n >= cs->ilimit[v])
        {
          cs->opc = i + c->order_base;
          return (int) v;
        }
      cs->icount[v] = n + 1;
      cs->issued[v & SIM_ORDER_PIPE]++;
    }
  cs->opc = i + c->order_base;
  return -1;
}

/* The Scalar issues the core's program in order (SimCore.order) into the per-pipe queues, as far
 * as it can now: it stops at a cross-core wait whose flag is 0, at a full queue (the preset's
 * issue_queue_depth), and at pipe_barrier(PIPE_ALL) until every pipe has drained.  Issue itself
 * takes no time (its cost is the Scalar lane's explicit work).  A pipe starved of instructions is
 * woken as soon as one is issued to it. */
static G_GNUC_NO_INLINE void
issue_slow (Engine *e, int core)
{
  CoreState *cs = &e->cores[core];
  const SimCore *c = cs->prog;
  cs->issuing = TRUE;
  cs->istate = ISSUE_RUN;
  for (;;)
    {
      int entry = issue_run (cs, c);
      if (entry < 0)
        {
          /* a streamed program: the next piece is written when everything so far is issued */
          if (!c->more || !refill (e, core))
            break;
          continue;
        }
      /* the entry issue_run stopped at: what it waits for, or a pipe to wake */
      int q = entry & SIM_ORDER_PIPE;
      PipeState *ps = &cs->pipe[q];
      if (entry & SIM_ORDER_SLOT)
        {
          /* a pipe waiting for issue has drained its queue: only another is full */
          if (ps->block_kind != BLOCK_ISSUE && cs->icount[entry] >= cs->ilimit[entry])
            {
              cs->istate = ISSUE_QUEUE;
              cs->ikey = q;
              goto out;
            }
          cs->icount[entry]++;
        }
      else if (!(entry & SIM_ORDER_SPECIAL))
        cs->icount[entry]++; /* bookkeeping or a part: nothing to wait for */
      else if (sim_core_instr (c, q, cs->issued[q])->op == SIM_OP_CROSS_WAIT)
        {
          const SimInstr *in = sim_core_instr (c, q, cs->issued[q]);
          if (!cross_take (e, core, q, in))
            {
              cs->istate = ISSUE_CROSS;
              cs->ikey = in->event;
              goto out;
            }
        }
      else /* pipe_barrier(PIPE_ALL) */
        {
          for (int p = 0; p < SIM_N_PIPES; p++)
            if (cs->pipe[p].pc < cs->issued[p])
              {
                cs->istate = ISSUE_BARRIER;
                goto out;
              }
        }
      cs->issued[q]++;
      cs->opc++;
      if (ps->block_kind == BLOCK_ISSUE)
        {
          unblock_account (e, core, q);
          try_advance (e, core, q);
        }
    }
  cs->istate = ISSUE_DONE;
out:
  cs->issuing = FALSE;
}

/* issue(), with the common run inline and no call but the hand-over: it stops at a full queue;
 * anything else (a special entry, the end of what is written, a pipe to wake) goes on in
 * issue_slow from the entry reached (issue_slow sets `issuing`/`istate` as issue did).  Inline in
 * a retire (the call that resumes a Scalar waiting for a queue place); issue() for the rest. */
static inline __attribute__ ((always_inline)) void
issue_inl (Engine *e, CoreState *cs, int core)
{
  if (cs->issuing || cs->istate == ISSUE_DONE || e->error)
    return;
  int entry = issue_run (cs, cs->prog);
  int q = entry & SIM_ORDER_PIPE;
  if ((entry & (SIM_ORDER_SLOT | SIM_ORDER_SPECIAL)) == SIM_ORDER_SLOT /* not -1 */
      && cs->pipe[q].block_kind != BLOCK_ISSUE)
    {
      /* the Scalar waits for a place in q's queue */
      cs->istate = ISSUE_QUEUE;
      cs->ikey = q;
      return;
    }
  issue_slow (e, core);
}

static void
issue (Engine *e, int core)
{
  issue_inl (e, &e->cores[core], core);
}

/* Write the next piece of a streamed core (sim_program_set_source), dropping what its pipes and
 * its issue have retired; the strings it brings are added to the trace.  FALSE on an error. */
static gboolean
refill (Engine *e, int core)
{
  SimProgram *p = (SimProgram *) e->prog; /* a streamed program is filled by its run */
  SimCore *c = &p->cores[core];
  const CoreState *cs = &e->cores[core];
  gsize keep[SIM_N_PIPES];
  for (int q = 0; q < SIM_N_PIPES; q++)
    keep[q] = cs->pipe[q].pc;
  sim_core_drop_before (c, keep, cs->opc);
  sim_program_refill (p, c); /* no lock: the other partitions write their cores meanwhile */
  /* every string the piece uses has an id below n_strings now (interned while it was written):
   * mostly they are all in str_map already (strings_mapped is stored with release once they
   * are), and the program is valid, so the lock need not be taken on every refill */
  guint n_strings = sim_program_n_strings (p);
  if (G_LIKELY (__atomic_load_n (&p->invalid, __ATOMIC_ACQUIRE) == NULL
                && (!e->trace || __atomic_load_n (e->strings_mapped, __ATOMIC_ACQUIRE) >= n_strings)))
    return TRUE;
  /* the lock for the trace the partitions share: its strings, str_map and strings_mapped */
  g_mutex_lock (&p->lock);
  if (G_UNLIKELY (p->invalid != NULL))
    {
      g_autofree char *why = g_strdup (p->invalid);
      g_mutex_unlock (&p->lock);
      fail (e, SIM_ENGINE_ERROR_FLAG, "%s", why);
      return FALSE;
    }
  n_strings = sim_program_n_strings (p);
  if (e->trace && *e->strings_mapped < n_strings)
    {
      for (guint id = *e->strings_mapped; id < n_strings; id++)
        _sim_eng_trace_str (e, (guint16) id);
      __atomic_store_n (e->strings_mapped, n_strings, __ATOMIC_RELEASE);
    }
  g_mutex_unlock (&p->lock);
  return TRUE;
}

/* An ALLOC found its buffer over capacity: the run fails with what was live. */
static G_GNUC_NO_INLINE void
alloc_overflow (Engine *e, int core, int pipe, const SimInstr *in)
{
  const CoreState *cs = &e->cores[core];
  SimMem mem = in->src;
  guint64 cap = mem_capacity (e->hw, mem);
  char lbl[32];
  g_autofree char *need = human_bytes (cs->occupancy[mem]);
  g_autofree char *size = human_bytes ((double) cap);
  g_autofree char *tile = human_bytes (in->bytes);
  fail (e, SIM_ENGINE_ERROR_CAPACITY,
        "%s of %s holds %s; live tiles need %s when %s pipe allocates '%s' (%s) at "
        "%.0f ns",
        sim_mem_name (mem), core_label (e, core, lbl, sizeof lbl), size, need, sim_pipe_name (pipe),
        sim_program_string (e->prog, in->name), tile, e->now * sim_hw_cycle_ns (e->hw));
}

/* try_advance, specialised on e->issue_model (`im`, a constant in each copy) */
static inline __attribute__ ((always_inline)) void
try_advance_m (Engine *e, int core, int pipe, const gboolean im)
{
  CoreState *cs = &e->cores[core];
  const SimCore *c = cs->prog;
  PipeState *ps = &cs->pipe[pipe];
  if (ps->state != PIPE_READY || e->error)
    return;
  /* under the issue model a pipe runs only what the Scalar has issued to it */
  while (ps->pc < (im ? cs->issued[pipe] : c->n[pipe]))
    {
      /* fences exist only under SIM_CROSS_WAIT_CORE (cs->n_fences is 0 otherwise): none under
       * the issue model */
      if (!im && G_UNLIKELY (cs->fence < cs->n_fences))
        {
          const SimFence *f = &c->fences[cs->fence];
          if (ps->pc >= f->pos[pipe] && !(pipe == f->pipe && ps->pc == f->wait_pc))
            {
              block (e, core, pipe, BLOCK_FENCE, (int) cs->fence, STALL_CROSS);
              return;
            }
        }
      const SimInstr *in = sim_core_instr (c, pipe, ps->pc);
      /* whether it held a queue place (takes_queue_slot), from what each case knows of its op:
       * not read again from a table */
      gboolean slot;
      switch (in->op)
        {
        case SIM_OP_MMAD:
        case SIM_OP_VECTOR:
        case SIM_OP_SCALAR:
          start_timed (e, core, pipe, in->cycles);
          return;
        case SIM_OP_DMA:
          start_dma (e, core, pipe, in);
          return;
        case SIM_OP_SET_FLAG:
          {
            /* the count rises now and becomes visible after the flag latency; an event is needed
             * only to wake a pipe that is already waiting for it */
            int key = (int) in->bytes; /* flag_key, found when it was written */
            double vis = e->now + e->hw->flag_latency_cycles;
            /* a count is never below 0 (a wait takes one only when it is above): the ring
             * position is unsigned arithmetic */
            guint pending = (guint) cs->flags[key]++;
            cs->flag_vis[key * FLAG_RING
                         + (cs->flag_head[key] + MIN (pending, FLAG_RING - 1)) % FLAG_RING]
                = vis;
            PipeState *dps = &cs->pipe[in->dst];
            if (dps->block_kind == BLOCK_FLAG && dps->block_key == key)
              heap_push (
                  e, (Event){ .t = vis, .kind = EV_FLAG, .core = core, .a = key, .b = in->dst });
            slot = !(in->atomic & SIM_INSTR_PART);
            break;
          }
        case SIM_OP_WAIT_FLAG:
          {
            int key = (int) in->bytes; /* flag_key */
            if (cs->flags[key] <= 0)
              {
                block (e, core, pipe, BLOCK_FLAG, key, in->src);
                return;
              }
            double vis = cs->flag_vis[key * FLAG_RING + cs->flag_head[key]];
            if (vis > e->now)
              {
                block (e, core, pipe, BLOCK_FLAG, key, in->src);
                heap_push (
                    e, (Event){ .t = vis, .kind = EV_FLAG, .core = core, .a = key, .b = in->dst });
                return;
              }
            cs->flags[key]--;
            cs->flag_head[key] = (guint8) ((cs->flag_head[key] + 1) % FLAG_RING);
            slot = !(in->atomic & SIM_INSTR_PART);
            break;
          }
        case SIM_OP_CROSS_SET:
          cross_set (e, core, pipe, in);
          slot = !(in->atomic & SIM_INSTR_PART);
          break;
        case SIM_OP_CROSS_WAIT:
          {
            slot = FALSE;
            if (im)
              break; /* the Scalar executed it when it issued it */
            if (!cross_take (e, core, pipe, in))
              {
                block (e, core, pipe, BLOCK_CROSS, in->event, STALL_CROSS);
                return;
              }
            if (cs->fence < cs->n_fences && c->fences[cs->fence].pipe == pipe
                && c->fences[cs->fence].wait_pc == ps->pc)
              {
                /* the wait completed: the rest of the core may issue again */
                cs->fence++;
                ps->pc++;
                for (int q = 0; q < SIM_N_PIPES; q++)
                  if (q != pipe && cs->pipe[q].state == PIPE_BLOCKED
                      && cs->pipe[q].block_kind == BLOCK_FENCE)
                    {
                      unblock_account (e, core, q);
                      try_advance (e, core, q);
                    }
                continue;
              }
            break;
          }
        case SIM_OP_BARRIER:
          {
            slot = FALSE;
            if (im)
              break; /* the Scalar held issue until every pipe drained */
            cs->barrier_arrived++;
            block (e, core, pipe, BLOCK_BARRIER, 0, STALL_BARRIER);
            if (cs->barrier_arrived < cs->n_pipes)
              return;
            cs->barrier_arrived = 0;
            for (int q = 0; q < SIM_N_PIPES; q++)
              if (cs->pipe[q].state == PIPE_BLOCKED && cs->pipe[q].block_kind == BLOCK_BARRIER)
                {
                  unblock_account (e, core, q);
                  cs->pipe[q].pc++;
                }
            for (int q = 0; q < SIM_N_PIPES; q++)
              if (q != pipe)
                try_advance (e, core, q);
            continue; /* our own pc was advanced above */
          }
        case SIM_OP_SYNC_ALL:
          sync_all_arrive (e, core, pipe, in->event);
          return;
        case SIM_OP_ALLOC:
          {
            SimMem mem = in->src;
            cs->occupancy[mem] += in->bytes;
            if (G_UNLIKELY (cs->occupancy[mem] > e->mem_cap[mem]))
              {
                alloc_overflow (e, core, pipe, in);
                return;
              }
            if (cs->occ_counter[mem])
              _sim_eng_record_occupancy (e, core, mem);
            slot = FALSE;
            break;
          }
        case SIM_OP_FREE:
          cs->occupancy[in->src] -= in->bytes;
          if (cs->occ_counter[in->src])
            _sim_eng_record_occupancy (e, core, in->src);
          slot = FALSE;
          break;
        default:
          slot = FALSE; /* every SimOp has its case: none gets here */
          break;
        }
      retire_slot_m (e, cs, core, pipe, slot, im);
    }
  /* a streamed core: whether the pipe has more to come is known once the source wrote it */
  while (ps->pc == c->n[pipe] && c->more && (c->stream_pipes >> pipe & 1) && !e->error)
    refill (e, core);
  if (ps->pc < c->n[pipe])
    {
      /* everything issued to it is done: it waits for the Scalar */
      block (e, core, pipe, BLOCK_ISSUE, 0, issue_cause (e, core));
      return;
    }
  ps->state = PIPE_DONE;
}

static void
try_advance (Engine *e, int core, int pipe)
{
  if (e->issue_model)
    try_advance_m (e, core, pipe, TRUE);
  else
    try_advance_m (e, core, pipe, FALSE);
}

/* ---- events ---- */

static void
handle_flag (Engine *e, const Event *ev)
{
  CoreState *cs = &e->cores[ev->core];
  int dst = ev->b; /* the key's dst pipe, carried so that it is not divided out of the key */
  PipeState *ps = &cs->pipe[dst];
  if (ps->block_kind == BLOCK_FLAG && ps->block_key == ev->a)
    {
      unblock_account (e, ev->core, dst);
      if (e->issue_model)
        try_advance_m (e, ev->core, dst, TRUE); /* the second hottest call: inline */
      else
        try_advance (e, ev->core, dst);
    }
}

static void
push_set_record (SetRecord ring[][CROSS_RING], int *head, int *count, int id, SetRecord r)
{
  if (count[id] < CROSS_RING)
    {
      ring[id][(head[id] + count[id]) % CROSS_RING] = r;
      count[id]++;
    }
}

/* rare (a few thousand a run): out of the event loop, which then keeps more in registers */
static G_GNUC_NO_INLINE void
handle_cross (Engine *e, const Event *ev)
{
  const SimCore *c = &e->prog->cores[ev->core];
  CoreState *cs = &e->cores[ev->core];
  int id = ev->a;
  SetRecord rec = { .t = ev->t - e->hw->cross_core_latency_cycles, .core = ev->b, .pipe = ev->c };
  if (c->kind == SIM_CORE_AIC)
    {
      /* mode 2: the AIC's flag counts when both AIVs have set */
      int sub = e->prog->cores[ev->b].index % e->hw->aiv_per_aic;
      cs->cross_half[sub][id]++;
      push_set_record (cs->half_sets[sub], cs->half_head[sub], cs->half_count[sub], id, rec);
      int other = 1 - sub;
      if (cs->cross_half[other][id] > 0)
        {
          cs->cross_half[0][id]--;
          cs->cross_half[1][id]--;
          /* the flow comes from the later of the two sets: this one */
          for (int s = 0; s < 2; s++)
            if (cs->half_count[s][id] > 0)
              {
                cs->half_head[s][id] = (cs->half_head[s][id] + 1) % CROSS_RING;
                cs->half_count[s][id]--;
              }
          cs->cross[id]++;
          push_set_record (cs->cross_sets, cs->cross_head, cs->cross_count, id, rec);
        }
      else
        return;
    }
  else
    {
      cs->cross[id]++;
      push_set_record (cs->cross_sets, cs->cross_head, cs->cross_count, id, rec);
    }
  if (cs->cross[id] > e->hw->cross_flag_max_pending)
    {
      char lbl[32];
      fail (e, SIM_ENGINE_ERROR_FLAG,
            "cross-core flag %d on %s has %d pending sets (hardware maximum %d): the core would "
            "hang",
            id, core_label (e, ev->core, lbl, sizeof lbl), cs->cross[id],
            e->hw->cross_flag_max_pending);
      return;
    }
  if (cs->istate == ISSUE_CROSS && cs->ikey == id)
    issue (e, ev->core);
  for (int q = 0; q < SIM_N_PIPES; q++)
    {
      PipeState *ps = &cs->pipe[q];
      if (ps->block_kind == BLOCK_CROSS && ps->block_key == id)
        {
          unblock_account (e, ev->core, q);
          try_advance (e, ev->core, q);
          if (cs->cross[id] <= 0)
            break;
        }
    }
}

/* A transfer's owner in the GM model: core and pipe, + 1 (never NULL); the pipe in the low 3 bits,
 * so that a completion takes them apart without a division */
#define DMA_OWNER(core, pipe) (((core) << 3 | (pipe)) + 1)
G_STATIC_ASSERT (SIM_N_PIPES <= 8);

static void
handle_dma_stream (Engine *e, const Event *ev)
{
  const SimCore *c = e->cores[ev->core].prog;
  PipeState *ps = &e->cores[ev->core].pipe[ev->a];
  const SimInstr *in = sim_core_instr (c, ev->a, ps->pc);
  double cap = ps->dma_cap;
  int die = in->gm_tag ? (int) (in->gm_tag >> 56) : c->die;
  if (in->bytes == 0)
    {
      finish_instr (e, ev->core, ev->a);
      return;
    }
  /* an atomic add is a read-modify-write inside L2: it streams at the path rate but uses
   * atomic_l2_factor times its bytes of the shared L2 bandwidth */
  double k = in->atomic != SIM_ATOMIC_NONE ? e->hw->atomic_l2_factor : 1.0;
  sim_gm_start (e->gm, e->now, die, (SimGmLevel) ps->level, k * in->bytes, k * cap,
                GINT_TO_POINTER (DMA_OWNER (ev->core, ev->a)));
}

/* ---- setup / teardown ---- */

/* The emitters checked every instruction as it was written (sim/program.c): take their verdict,
 * the SyncAll counts and whether the dies are coupled, and size the trace lanes. */
static gboolean
validate_program (Engine *e)
{
  const SimProgram *p = e->prog;
  if (p->invalid)
    {
      fail (e, SIM_ENGINE_ERROR_FLAG, "%s", p->invalid);
      return FALSE;
    }
  e->coupled = p->cross_die;
  e->n_sync = p->sync ? (int) p->sync->len : 0;
  e->sync_expected = g_new0 (int, MAX (e->n_sync, 1));
  e->sync_arrived = g_new0 (int, MAX (e->n_sync, 1));
  e->sync_waiters = g_new0 (GArray *, MAX (e->n_sync, 1));
  for (int s = 0; s < e->n_sync; s++)
    {
      e->sync_expected[s] = g_array_index (p->sync, SimSyncInfo, s).expected;
      e->sync_waiters[s] = g_array_new (FALSE, FALSE, sizeof (int));
    }
  if (e->trace)
    {
      /* every lane's room at once, from one block (sim_trace_reserve_spans) */
      gsize n = (gsize) p->n_cores * SIM_N_PIPES;
      g_autofree gsize *caps = g_new (gsize, n);
      for (int i = 0; i < p->n_cores; i++)
        for (int q = 0; q < SIM_N_PIPES; q++)
          caps[i * SIM_N_PIPES + q] = MAX (p->cores[i].n_timed[q], p->cores[i].n_spans_hint[q]);
      sim_trace_reserve_spans (e->trace, e->lanes, caps, (guint) n);
    }
  return TRUE;
}

gpointer
_sim_eng_run_part (gpointer data)
{
  Engine *e = data;
  const SimProgram *prog = e->prog;
  for (int i = 0; i < prog->n_cores; i++)
    if (core_in_part (e, i))
      {
        for (int q = 0; q < SIM_N_PIPES; q++)
          try_advance (e, i, q);
        if (e->issue_model)
          issue (e, i);
      }
  /* the next GM completion: only sim_gm_start (handle_dma_stream) and sim_gm_complete_until
   * move it, so it is read again after those only (sim_gm_l2_access leaves it); after a start,
   * a bound of it that lets the events of this instant through */
  double tg = sim_gm_next_completion (e->gm);
  guint64 events = e->events; /* counted here, stored when the loop ends */
  while (!e->error)
    {
      /* the earliest of the queue's front and the next GM completion (GM first on a tie) */
      Event ev;
      gboolean queued = sim_evq_pop_before (e->events_q, tg, &ev);
      if (!queued)
        {
          if (G_UNLIKELY (sim_gm_owes (e->gm)))
            {
              /* tg was a bound (sim_gm_next_bound) that stopped the queue: the completion */
              tg = sim_gm_next_completion (e->gm);
              continue;
            }
          if (tg == INFINITY)
            break;
        }
      events++;
      if ((events & 4095) == 0 && e->opt->cancel && g_atomic_int_get (e->opt->cancel))
        {
          fail (e, SIM_ENGINE_ERROR_CANCELLED, "simulation cancelled");
          break;
        }
      if (!queued)
        {
          e->now = MAX (e->now, tg);
          /* finish_instr may start transfers, never complete them: the owners stay put */
          gpointer const *done;
          guint n_done = sim_gm_complete_until (e->gm, e->now, &done);
          tg = sim_gm_next_completion (e->gm);
          for (guint i = 0; i < n_done; i++)
            {
              int code = GPOINTER_TO_INT (done[i]) - 1;
              finish_instr_inl (e, code >> 3, code & 7); /* DMA_OWNER */
            }
          continue;
        }
      e->now = MAX (e->now, ev.t);
      switch (ev.kind)
        {
        case EV_PIPE_DONE:
          finish_instr_inl (e, ev.core, ev.a); /* the hottest call: inline */
          break;
        case EV_FLAG:
          handle_flag (e, &ev);
          break;
        case EV_CROSS:
          handle_cross (e, &ev);
          break;
        case EV_DMA_STREAM:
          handle_dma_stream (e, &ev);
          /* enough for the other starts at this instant: the cores start together */
          tg = sim_gm_next_bound (e->gm, e->now);
          break;
        }
    }
  e->events = events;
  return NULL;
}

gsize
sim_engine_core_bytes (const SimHw *hw, gboolean trace)
{
  gsize n_ids = (gsize) MAX (hw->event_ids, 1);
  gsize flags = SIM_N_PIPES * SIM_N_PIPES * n_ids * (sizeof (int) + FLAG_RING * sizeof (double) + 1);
  gsize lanes = trace ? SIM_N_PIPES * (sizeof (SimLane) + 64) + sizeof (SimGroup) + 256 : 0;
  gsize overlap = 4 * OV_ROOM * sizeof (double); /* an AIC's pending busy intervals (sim/overlap.c) */
  return sizeof (CoreState) + flags + sizeof (SimCore) + lanes + overlap + 256;
}

SimResult *
sim_engine_run (const SimProgram *prog, const SimRunOptions *opt_in, GError **error)
{
  SimRunOptions defaults;
  if (!opt_in)
    {
      sim_run_options_init (&defaults);
      opt_in = &defaults;
    }
  gint64 t_start = g_get_monotonic_time ();
  SimResult *res = g_new0 (SimResult, 1);
  Engine e = { 0 };
  e.prog = prog;
  e.hw = prog->hw;
  e.opt = opt_in;
  e.m = &res->metrics;
  e.n_ids = MAX (prog->hw->event_ids, 1);
  e.issue_model = prog->hw->cross_wait_mode == SIM_CROSS_WAIT_ISSUE;
  e.issue_depth = (guint32) MAX (prog->hw->issue_queue_depth, 1);
  for (int m = 0; m < SIM_N_MEMS; m++)
    e.mem_cap[m] = (double) mem_capacity (e.hw, (SimMem) m);
  if (prog->source && !e.issue_model)
    sim_program_fill ((SimProgram *) prog); /* only the issue model streams */
  /* every AIC's overlap lists get their room from one block (sim/bigmem.h: a few huge pages
   * rather than a page fault per 4 KiB page as each list doubles its way up).  The core states
   * and flag arrays stay glibc's: in a long-lived process their heap chunks keep the heap that
   * holds a built or filled program's queues from being trimmed and faulted in again by the next
   * run (with them in the block too, the second run of a built program took 4 times as long). */
  gsize n_keys = (gsize) SIM_N_PIPES * SIM_N_PIPES * e.n_ids;
  SimBigMem ov_mem
      = sim_bigmem_new ((gsize) MAX (prog->n_aic, 0) * 4 * OV_ROOM * sizeof (double), 0);
  e.cores = g_new0 (CoreState, prog->n_cores);
  e.core_group = g_new0 (int, prog->n_cores);
  for (int i = 0; i < prog->n_cores; i++)
    {
      e.cores[i].prog = &prog->cores[i];
      for (int q = 0; q < SIM_N_PIPES; q++)
        e.cores[i].pipe[q].block_kind = BLOCK_NONE;
      /* the issue walk's limits (CoreState.ilimit): specials 0, empty queues of depth places */
      for (guint v = 0; v < G_N_ELEMENTS (e.cores[i].ilimit); v++)
        e.cores[i].ilimit[v] = v & SIM_ORDER_SPECIAL ? 0
                               : v & SIM_ORDER_SLOT  ? e.issue_depth
                                                     : G_MAXUINT32;
      e.cores[i].flags = g_new0 (int, n_keys);
      e.cores[i].flag_vis = g_new0 (double, n_keys * FLAG_RING);
      e.cores[i].flag_head = g_new0 (guint8, n_keys);
      if (i < prog->n_aic)
        sim_overlap_init_room (&e.cores[i].ov, e.hw->aiv_per_aic,
                               (double *) ov_mem.base + (gsize) i * 4 * OV_ROOM, OV_ROOM);
      /* whose busy intervals the Cube/Vector overlap adds up: an AIC's Cube (-1) and the Vector
       * of the first two AIVs of an AIC (0, 1) */
      const SimCore *oc = &prog->cores[i];
      int which = oc->kind == SIM_CORE_AIC            ? -1
                  : oc->index % e.hw->aiv_per_aic < 2 ? oc->index % e.hw->aiv_per_aic
                                                      : -2;
      e.cores[i].ov_pipe = which < -1                 ? -1
                           : oc->kind == SIM_CORE_AIC ? SIM_PIPE_CUBE
                                                      : SIM_PIPE_VECTOR;
      e.cores[i].stall_pipe = oc->kind == SIM_CORE_AIC   ? SIM_PIPE_CUBE
                              : oc->kind == SIM_CORE_AIV ? SIM_PIPE_VECTOR
                                                         : -1;
      e.cores[i].ov_to = &e.cores[oc->aic].ov;
      e.cores[i].ov_list = sim_overlap_list (e.cores[i].ov_to, which);
      e.cores[i].n_fences = e.hw->cross_wait_mode == SIM_CROSS_WAIT_CORE ? prog->cores[i].n_fences : 0;
      for (int q = 0; q < SIM_N_PIPES; q++)
        if (sim_pipe_on_core ((SimPipe) q, prog->cores[i].kind))
          e.cores[i].n_pipes++;
    }
  double ns = sim_hw_cycle_ns (e.hw);
  e.cycle_ns = ns;
  double bucket_ns = opt_in->counter_bucket_ns > 0 ? opt_in->counter_bucket_ns : 1000.0;
  double bucket_cycles = bucket_ns / ns;
  e.die = -1;
  /* a streamed program adds strings as it runs: room for every id, so it never moves */
  e.str_map = g_new (guint32, 65536);
  memset (e.str_map, 0xff, sizeof (guint32) * 65536);
  guint strings_mapped = 0;
  e.strings_mapped = &strings_mapped;
  e.lanes = g_new0 (SimLane *, (gsize) prog->n_cores * SIM_N_PIPES);
  if (opt_in->record_trace)
    {
      e.trace = sim_trace_new ();
      e.trace->source = g_strdup ("simulation");
    }
  /* group order: AIC a, then its AIVs (the same with or without a trace) */
  for (int a = 0, g = 0; a < prog->n_aic; a++)
    {
      e.core_group[a] = g++;
      for (int s = 0; s < e.hw->aiv_per_aic; s++)
        e.core_group[prog->n_aic + a * e.hw->aiv_per_aic + s] = g++;
    }
  if (e.trace)
    {
      _sim_eng_build_trace_layout (&e);
      /* every program string up front: partitions then only read str_map */
      strings_mapped = sim_program_n_strings (prog);
      for (guint id = 0; id < strings_mapped; id++)
        _sim_eng_trace_str (&e, (guint16) id);
    }

  if (validate_program (&e))
    _sim_eng_run_partitions (&e, bucket_cycles);

  /* deadlock: pipes that never finished */
  if (!e.error)
    {
      GString *s = g_string_new (NULL);
      int stuck = 0;
      for (int i = 0; i < prog->n_cores; i++)
        {
          const CoreState *cs = &e.cores[i];
          const SimCore *c = &prog->cores[i];
          if (!e.issue_model || cs->opc >= c->n_order)
            continue;
          if (++stuck > 6)
            continue;
          char lbl[32];
          core_label (&e, i, lbl, sizeof lbl);
          int q = sim_core_order (c, cs->opc);
          const SimInstr *in = sim_core_instr (c, q, cs->issued[q]);
          if (s->len)
            g_string_append (s, "; ");
          if (cs->istate == ISSUE_CROSS)
            g_string_append_printf (s, "%s issue waits for cross-core flag %d ('%s')", lbl,
                                    in->event, sim_program_string (prog, in->name));
          else if (cs->istate == ISSUE_QUEUE)
            g_string_append_printf (s, "%s issue waits for room in the %s queue", lbl,
                                    sim_pipe_name ((SimPipe) q));
          else
            g_string_append_printf (s, "%s issue waits at a barrier", lbl);
        }
      for (int i = 0; i < prog->n_cores; i++)
        for (int q = 0; q < SIM_N_PIPES; q++)
          {
            PipeState *ps = &e.cores[i].pipe[q];
            if (ps->pc >= prog->cores[i].n[q])
              continue;
            /* a pipe starved by a stuck issue is already told by the issue's line */
            if (ps->state == PIPE_BLOCKED && ps->block_kind == BLOCK_ISSUE)
              continue;
            stuck++;
            if (stuck > 6)
              continue;
            char lbl[32];
            core_label (&e, i, lbl, sizeof lbl);
            const SimInstr *in = sim_core_instr (&prog->cores[i], q, ps->pc);
            if (s->len)
              g_string_append (s, "; ");
            if (ps->block_kind == BLOCK_FLAG && ps->state == PIPE_BLOCKED)
              g_string_append_printf (s, "%s %s waits for flag %s->%s #%d", lbl,
                                      sim_pipe_name ((SimPipe) q), sim_pipe_name (in->src),
                                      sim_pipe_name (in->dst), in->event);
            else if (ps->block_kind == BLOCK_CROSS && ps->state == PIPE_BLOCKED)
              g_string_append_printf (s, "%s %s waits for cross-core flag %d ('%s')", lbl,
                                      sim_pipe_name ((SimPipe) q), in->event,
                                      sim_program_string (prog, in->name));
            else if (ps->block_kind == BLOCK_FENCE && ps->state == PIPE_BLOCKED)
              {
                const SimFence *f = &prog->cores[i].fences[ps->block_key];
                const SimInstr *w = sim_core_instr (&prog->cores[i], f->pipe, f->wait_pc);
                g_string_append_printf (s, "%s %s waits behind cross-core wait %d ('%s') on %s",
                                        lbl, sim_pipe_name ((SimPipe) q), w->event,
                                        sim_program_string (prog, w->name),
                                        sim_pipe_name ((SimPipe) f->pipe));
              }
            else if (ps->state == PIPE_BLOCKED)
              g_string_append_printf (s, "%s %s waits at a barrier", lbl,
                                      sim_pipe_name ((SimPipe) q));
            else
              g_string_append_printf (s, "%s %s stopped at '%s'", lbl, sim_pipe_name ((SimPipe) q),
                                      sim_program_string (prog, in->name));
          }
      if (stuck)
        {
          if (stuck > 6)
            g_string_append_printf (s, "; and %d more", stuck - 6);
          fail (&e, SIM_ENGINE_ERROR_DEADLOCK, "deadlock at %.0f ns: %s", e.now * ns, s->str);
        }
      g_string_free (s, TRUE);
    }

  gboolean ok = e.error == NULL;
  if (ok)
    {
      _sim_eng_compute_metrics (&e, 0);
      res->dies_mirrored = e.dies_mirrored;
      if (e.trace)
        {
          if (opt_in->record_counters)
            _sim_eng_add_bandwidth_counters (&e, bucket_cycles);
          e.trace->unrecorded_spans = e.unrecorded_spans;
          e.trace->unrecorded_stages = e.unrecorded_stages;
          sim_trace_finish (e.trace);
          res->trace = e.trace;
          e.trace = NULL;
        }
    }
  else
    g_propagate_error (error, e.error);

  for (int i = 0; i < prog->n_cores; i++)
    {
      g_free (e.cores[i].flags);
      g_free (e.cores[i].flag_vis);
      g_free (e.cores[i].flag_head);
      sim_overlap_clear (&e.cores[i].ov);
    }
  for (int s = 0; s < e.n_sync; s++)
    g_array_unref (e.sync_waiters[s]);
  g_free (e.sync_waiters);
  g_free (e.sync_expected);
  g_free (e.sync_arrived);
  sim_bigmem_free (&ov_mem);
  g_free (e.cores);
  g_free (e.core_group);
  for (int i = 0; i < e.n_parts; i++)
    sim_gm_free (e.parts[i].gm);
  g_free (e.parts);
  g_free (e.str_map);
  g_free (e.lanes);
  sim_trace_free (e.trace);
  if (!ok)
    {
      sim_result_free (res);
      return NULL;
    }
  res->wall_ms = (g_get_monotonic_time () - t_start) / 1000.0;
  return res;
}
