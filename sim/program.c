/* sim/program.c — per-core instruction queues and their emitters (see program.h). */
#include "sim/program.h"

#include <math.h>
#include <stdarg.h>
#include <string.h>

static const char *const mem_names[SIM_N_MEMS] = { "GM", "L1", "L0A", "L0B", "L0C", "UB" };

const char *
sim_mem_name (SimMem mem)
{
  return (int) mem >= 0 && mem < SIM_N_MEMS ? mem_names[mem] : "?";
}

SimProgram *
sim_program_new (const SimHw *hw)
{
  SimProgram *p = g_new0 (SimProgram, 1);
  p->hw = hw;
  p->n_aic = sim_hw_aic_count (hw);
  p->n_aiv = sim_hw_aiv_count (hw);
  p->n_cores = p->n_aic + p->n_aiv;
  p->cores = g_new0 (SimCore, p->n_cores);
  for (int i = 0; i < p->n_aic; i++)
    {
      SimCore *c = &p->cores[i];
      c->kind = SIM_CORE_AIC;
      c->index = i;
      c->aic = i;
      c->die = i / hw->aic_per_die;
    }
  for (int i = 0; i < p->n_aiv; i++)
    {
      SimCore *c = &p->cores[p->n_aic + i];
      c->kind = SIM_CORE_AIV;
      c->index = i;
      c->aic = i / hw->aiv_per_aic;
      c->die = c->aic / hw->aic_per_die;
    }
  for (int i = 0; i < p->n_cores; i++)
    for (int q = 0; q < SIM_N_PIPES; q++)
      if (sim_pipe_on_core ((SimPipe) q, p->cores[i].kind))
        p->cores[i].pipe_mask |= 1u << q;
  for (int i = 0; i < p->n_cores; i++)
    p->cores[i].stream_pipes = p->cores[i].pipe_mask; /* every pipe, unless a source narrows it */
  g_mutex_init (&p->lock);
  p->string_ids = g_hash_table_new (g_str_hash, g_str_equal);
  /* allocated up front, not when first used: readers look at them without the lock */
  p->name_cache = g_new0 (guint64, SIM_PROG_NAME_CACHE);
  p->flag_names = g_new0 (guint16, 2 * SIM_N_PIPES * SIM_N_PIPES * SIM_PROG_FLAG_NAME_IDS);
  sim_program_intern (p, "");
  for (int i = 0; i < p->n_cores; i++)
    {
      p->cores[i].ctx_task = -1;
      p->cores[i].ctx_iter = -1;
    }
  return p;
}

void
sim_program_free (SimProgram *p)
{
  if (p == NULL)
    return;
  if (p->source_free)
    p->source_free (p->source_data);
  g_mutex_clear (&p->lock);
  for (int i = 0; i < p->n_cores; i++)
    for (int q = 0; q < SIM_N_PIPES; q++)
      if (!(p->cores[i].in_block >> q & 1))
        g_free (p->cores[i].queue[q]);
  for (int i = 0; i < p->n_cores; i++)
    {
      g_free (p->cores[i].fences);
      if (!(p->cores[i].in_block >> SIM_N_PIPES & 1))
        g_free (p->cores[i].order);
    }
  sim_bigmem_free (&p->block);
  g_free (p->cores);
  g_free (p->invalid);
  if (p->sync)
    g_array_unref (p->sync);
  g_hash_table_destroy (p->string_ids);
  for (guint id = 0; id < p->n_strings; id++)
    g_free (p->string_chunks[id / SIM_PROG_STRING_CHUNK][id % SIM_PROG_STRING_CHUNK]);
  for (gsize k = 0; k < G_N_ELEMENTS (p->string_chunks); k++)
    g_free (p->string_chunks[k]);
  g_free (p->name_cache);
  g_free (p->flag_names);
  g_free (p);
}

guint16
sim_program_intern (SimProgram *p, const char *s)
{
  gpointer id;
  if (s == NULL)
    s = "";
  g_mutex_lock (&p->lock);
  if (g_hash_table_lookup_extended (p->string_ids, s, NULL, &id))
    {
      g_mutex_unlock (&p->lock);
      return (guint16) GPOINTER_TO_UINT (id);
    }
  guint n = p->n_strings;
  if (n >= 65535)
    {
      g_mutex_unlock (&p->lock);
      g_return_val_if_reached (0);
    }
  char **chunk = p->string_chunks[n / SIM_PROG_STRING_CHUNK];
  if (!chunk)
    chunk = p->string_chunks[n / SIM_PROG_STRING_CHUNK] = g_new (char *, SIM_PROG_STRING_CHUNK);
  char *copy = g_strdup (s);
  chunk[n % SIM_PROG_STRING_CHUNK] = copy;
  g_hash_table_insert (p->string_ids, copy, GUINT_TO_POINTER (n));
  /* readers without the lock take ids below n_strings: publish the string first */
  __atomic_store_n (&p->n_strings, n + 1, __ATOMIC_RELEASE);
  g_mutex_unlock (&p->lock);
  return (guint16) n;
}

guint
sim_program_n_strings (const SimProgram *p)
{
  return __atomic_load_n (&p->n_strings, __ATOMIC_ACQUIRE);
}

const char *
sim_program_string (const SimProgram *p, guint16 id)
{
  if (id >= sim_program_n_strings (p))
    return "";
  return p->string_chunks[id / SIM_PROG_STRING_CHUNK][id % SIM_PROG_STRING_CHUNK];
}

guint64
sim_program_flops (const SimProgram *p)
{
  guint64 n = 0;
  for (int i = 0; i < p->n_cores; i++)
    n += p->cores[i].flops;
  return n;
}

SimCore *
sim_program_aic (SimProgram *p, int aic)
{
  g_return_val_if_fail (aic >= 0 && aic < p->n_aic, NULL);
  return &p->cores[aic];
}

SimCore *
sim_program_aiv (SimProgram *p, int aic, int sub)
{
  int i = aic * p->hw->aiv_per_aic + sub;
  g_return_val_if_fail (i >= 0 && i < p->n_aiv, NULL);
  return &p->cores[p->n_aic + i];
}

void
sim_program_set_source (SimProgram *p,
                        gboolean (*source) (SimProgram *prog, SimCore *core, gpointer data),
                        gpointer data, GDestroyNotify free_data)
{
  g_return_if_fail (p->source == NULL);
  p->source = source;
  p->source_data = data;
  p->source_free = free_data;
  p->sync_declared = TRUE;
  for (int i = 0; i < p->n_cores; i++)
    {
      p->cores[i].more = TRUE;
      p->cores[i].stream_pipes = p->cores[i].pipe_mask;
    }
}

void
sim_program_set_twin (SimProgram *p, SimProgram *(*twin) (gpointer source_data))
{
  g_return_if_fail (p->source != NULL);
  p->twin = twin;
}

SimProgram *
sim_program_new_twin (const SimProgram *p)
{
  return p->source && p->twin ? p->twin (p->source_data) : NULL;
}

void
sim_program_declare_sync (SimProgram *p, int barrier_id, int expected, int die)
{
  g_return_if_fail (barrier_id >= 0 && barrier_id < 65536);
  if (!p->sync)
    p->sync = g_array_new (FALSE, FALSE, sizeof (SimSyncInfo));
  while (p->sync->len <= (guint) barrier_id)
    {
      SimSyncInfo none = { 0, -1 };
      g_array_append_val (p->sync, none);
    }
  SimSyncInfo *si = &g_array_index (p->sync, SimSyncInfo, barrier_id);
  si->expected += expected;
  if (si->die == -1)
    si->die = die;
  else if (si->die != die)
    {
      si->die = -2;
      p->cross_die = TRUE;
    }
}

gboolean
sim_program_refill (SimProgram *p, SimCore *c)
{
  if (!p->source || !c->more)
    return FALSE;
  /* no lock: what the emitters share is locked where it is written (sim_program_set_source) */
  gsize before = c->n_order;
  c->more = p->source (p, c, p->source_data);
  return c->more || c->n_order > before;
}

void
sim_program_fill (SimProgram *p)
{
  for (int i = 0; i < p->n_cores; i++)
    while (p->cores[i].more)
      sim_program_refill (p, &p->cores[i]);
}

void
sim_core_drop_before (SimCore *c, const gsize keep[SIM_N_PIPES], gsize order_keep)
{
  for (int q = 0; q < SIM_N_PIPES; q++)
    {
      gsize drop = keep[q] - c->base[q], live = c->n[q] - keep[q];
      /* a move costs the live part: worth it once the dropped part is larger */
      if (keep[q] <= c->base[q] || drop < 256 || drop < live)
        continue;
      memmove (c->queue[q], c->queue[q] + drop, live * sizeof (SimInstr));
      c->base[q] = keep[q];
    }
  gsize drop = order_keep - c->order_base, live = c->n_order - order_keep;
  if (order_keep > c->order_base && drop >= 1024 && drop >= live)
    {
      memmove (c->order, c->order + drop, live);
      c->order_base = order_keep;
    }
}

void
sim_core_pass_queues (SimCore *from, SimCore *to)
{
  for (int q = 0; q < SIM_N_PIPES; q++)
    if (!((from->in_block | to->in_block) >> q & 1) && to->queue[q] == NULL && to->n[q] == 0)
      {
        to->queue[q] = from->queue[q];
        to->cap[q] = from->cap[q];
        from->queue[q] = NULL;
        from->cap[q] = 0;
        from->base[q] = from->n[q];
      }
  if (!((from->in_block | to->in_block) >> SIM_N_PIPES & 1) && to->order == NULL
      && to->n_order == 0)
    {
      to->order = from->order;
      to->cap_order = from->cap_order;
      from->order = NULL;
      from->cap_order = 0;
      from->order_base = from->n_order;
    }
}

/* Give a queue room for n instructions (n at least what it holds); one in the program's block
 * moves out to its own memory. */
static void
resize_queue (SimCore *c, int q, gsize n)
{
  if (c->in_block >> q & 1)
    {
      SimInstr *own = g_new (SimInstr, n);
      memcpy (own, c->queue[q], (c->n[q] - c->base[q]) * sizeof (SimInstr));
      c->queue[q] = own;
      c->in_block &= ~(1u << q);
    }
  else
    c->queue[q] = g_renew (SimInstr, c->queue[q], n);
  c->cap[q] = n;
}

static void
resize_order (SimCore *c, gsize n)
{
  if (c->in_block >> SIM_N_PIPES & 1)
    {
      guint8 *own = g_new (guint8, n);
      memcpy (own, c->order, c->n_order - c->order_base);
      c->order = own;
      c->in_block &= ~(1u << SIM_N_PIPES);
    }
  else
    c->order = g_renew (guint8, c->order, n);
  c->cap_order = n;
}

void
sim_program_reserve (SimCore *c, SimPipe pipe, gsize n)
{
  g_return_if_fail (pipe >= 0 && pipe < SIM_N_PIPES);
  if (c->cap[pipe] >= n)
    return;
  gsize more = n - c->cap[pipe];
  resize_queue (c, pipe, n);
  if (c->cap_order < c->n_order + more)
    resize_order (c, c->n_order + more);
}

void
sim_program_reserve_block (SimProgram *p, const gsize *caps, const gsize *order_caps)
{
  g_return_if_fail (p->block.base == NULL); /* one block per program */
  /* instructions first (32-byte aligned in the block), then the order bytes */
  gsize n_instr = 0, n_order = 0;
  for (int i = 0; i < p->n_cores; i++)
    {
      const SimCore *c = &p->cores[i];
      for (int q = 0; q < SIM_N_PIPES; q++)
        if (caps[i * SIM_N_PIPES + q] > c->cap[q])
          n_instr += caps[i * SIM_N_PIPES + q];
      if (order_caps[i] > c->cap_order)
        n_order += order_caps[i];
    }
  if (n_instr + n_order == 0)
    return;
  p->block = sim_bigmem_new (n_instr * sizeof (SimInstr) + n_order, 0); /* written before read */
  SimInstr *next = p->block.base;
  guint8 *next_order = (guint8 *) (next + n_instr);
  for (int i = 0; i < p->n_cores; i++)
    {
      SimCore *c = &p->cores[i];
      for (int q = 0; q < SIM_N_PIPES; q++)
        {
          gsize cap = caps[i * SIM_N_PIPES + q];
          if (cap <= c->cap[q])
            continue;
          if (c->n[q] > c->base[q])
            memcpy (next, c->queue[q], (c->n[q] - c->base[q]) * sizeof (SimInstr));
          if (!(c->in_block >> q & 1))
            g_free (c->queue[q]);
          c->queue[q] = next;
          c->cap[q] = cap;
          c->in_block |= 1u << q;
          next += cap;
        }
      if (order_caps[i] > c->cap_order)
        {
          if (c->n_order > c->order_base)
            memcpy (next_order, c->order, c->n_order - c->order_base);
          if (!(c->in_block >> SIM_N_PIPES & 1))
            g_free (c->order);
          c->order = next_order;
          c->cap_order = order_caps[i];
          c->in_block |= 1u << SIM_N_PIPES;
          next_order += order_caps[i];
        }
    }
}

guint64
sim_program_instruction_count (const SimProgram *p)
{
  guint64 n = 0;
  for (int i = 0; i < p->n_cores; i++)
    for (int q = 0; q < SIM_N_PIPES; q++)
      n += p->cores[i].n[q];
  return n;
}

void
sim_prog_context (SimProgram *p, SimCore *c, SimStage stage, int task, int iter)
{
  c->ctx_stage = stage;
  c->ctx_task = task;
  c->ctx_iter = iter;
  (void) p;
}

void
sim_program_set_static_names (SimProgram *p)
{
  p->static_names = TRUE;
}

guint16
_sim_prog_intern_slow (SimProgram *p, const char *name, guint slot)
{
  guint64 key = (guint64) (guintptr) name;
  guint64 e = __atomic_load_n (&p->name_cache[slot], __ATOMIC_ACQUIRE);
  if (e >> 16 == key && strcmp (sim_program_string (p, (guint16) e), name) == 0)
    return (guint16) e;
  guint16 id = sim_program_intern (p, name);
  /* a pointer that leaves room for the id (every user-space address on today's 64-bit systems)
   * is cached; two threads filling a slot at once each write a pair that is right */
  if (key >> 48 == 0)
    __atomic_store_n (&p->name_cache[slot], key << 16 | id, __ATOMIC_RELEASE);
  return id;
}

static void note_invalid (SimProgram *p, const char *fmt, ...) G_GNUC_PRINTF (2, 3);

static void
note_invalid (SimProgram *p, const char *fmt, ...)
{
  g_mutex_lock (&p->lock);
  if (!p->invalid)
    {
      va_list ap;
      va_start (ap, fmt);
      char *why = g_strdup_vprintf (fmt, ap);
      va_end (ap);
      /* the engine's refill looks without the lock first (acquire) */
      __atomic_store_n (&p->invalid, why, __ATOMIC_RELEASE);
    }
  g_mutex_unlock (&p->lock);
}

void
_sim_prog_wrong_pipe (SimProgram *p, SimCore *c, SimPipe pipe)
{
  if (!(c->pipe_mask >> pipe & 1))
    note_invalid (p, "%s%d has instructions on pipe %s, which it does not have",
                  c->kind == SIM_CORE_AIC ? "AIC" : "AIV", c->index, sim_pipe_name (pipe));
  else
    note_invalid (p, "%s%d has instructions on pipe %s, which its source said it would not use",
                  c->kind == SIM_CORE_AIC ? "AIC" : "AIV", c->index, sim_pipe_name (pipe));
}

void
_sim_prog_grow (SimCore *c, SimPipe pipe)
{
  if (c->n[pipe] - c->base[pipe] == c->cap[pipe])
    resize_queue (c, pipe, c->cap[pipe] ? c->cap[pipe] * 2 : 256);
  if (c->n_order - c->order_base == c->cap_order)
    resize_order (c, c->cap_order ? c->cap_order * 2 : 1024);
}

/* A transfer into another die's memory. */
static void
cross_die (SimProgram *p, const SimCore *c)
{
  /* a streamed program is then invalid, and its run fails: cross_die matters only to a built
   * program, written on one thread */
  if (p->source)
    note_invalid (p, "a streamed program moves data into another die's memory (%s%d)",
                  c->kind == SIM_CORE_AIC ? "AIC" : "AIV", c->index);
  else
    p->cross_die = TRUE;
}

/* always inline: each emitter then has its op as a constant (the order bits, n_timed) */
static inline SIM_PROG_ALWAYS_INLINE SimInstr *
emit (SimProgram *p, SimCore *c, SimPipe pipe, SimOp op, const char *name)
{
  return _sim_prog_emit (p, c, pipe, op, _sim_prog_intern (p, name));
}

const SimInstr *
sim_prog_dma (SimProgram *p, SimCore *c, SimPipe pipe, SimMem src, SimMem dst, guint32 bytes,
              guint64 gm_tag, SimAtomic atomic, const char *name)
{
  SimInstr *in = emit (p, c, pipe, SIM_OP_DMA, name);
  in->src = src;
  in->dst = dst;
  in->bytes = bytes;
  in->gm_tag = gm_tag;
  in->atomic = atomic;
  if (gm_tag && (int) (gm_tag >> 56) != c->die)
    cross_die (p, c);
  return in;
}

const SimInstr *
sim_prog_dma_ex (SimProgram *p, SimCore *c, SimPipe pipe, SimMem src, SimMem dst, guint32 bytes,
                 guint64 gm_tag, SimAtomic atomic, guint16 options, const char *name)
{
  SimInstr *in = (SimInstr *) sim_prog_dma (p, c, pipe, src, dst, bytes, gm_tag, atomic, name);
  in->event = options;
  if (options & SIM_DMA_STREAMED)
    _sim_prog_mark_order_part (c, pipe);
  return in;
}

/* ceil (x / 16.0) without a libm call: the same double for every int */
static inline double
fractals16 (int x)
{
  return x >= 0 ? (double) (x / 16 + (x % 16 != 0)) : ceil (x / 16.0);
}

const SimInstr *
sim_prog_mmad (SimProgram *p, SimCore *c, int m, int n, int k, const char *name)
{
  const SimHw *hw = p->hw;
  SimInstr *in = emit (p, c, SIM_PIPE_CUBE, SIM_OP_MMAD, name);
  /* the Cube works on 16x16x16 fractals: partial fractals cost a whole one */
  double fractals = fractals16 (m) * fractals16 (n) * fractals16 (k);
  double macs_per_cycle = hw->cube_flops_per_cycle / 2.0;
  in->cycles = (float) (fractals * 4096.0 / macs_per_cycle + hw->mmad_overhead_cycles);
  in->flops = (guint32) (2u * (guint32) m * (guint32) n * (guint32) k);
  c->flops += in->flops;
  return in;
}

static SimInstr *
emit_vector (SimProgram *p, SimCore *c, double cycles, const char *name)
{
  SimInstr *in = emit (p, c, SIM_PIPE_VECTOR, SIM_OP_VECTOR, name);
  in->cycles = (float) MAX (cycles, p->hw->vector_min_cycles);
  return in;
}

const SimInstr *
sim_prog_vector_cycles (SimProgram *p, SimCore *c, double cycles, const char *name)
{
  return emit_vector (p, c, cycles, name);
}

const SimInstr *
sim_prog_vector (SimProgram *p, SimCore *c, double cycles_per_repeat, guint64 bytes,
                 const char *name)
{
  double repeats = ceil ((double) bytes / p->hw->vector_repeat_bytes);
  SimInstr *in = emit_vector (p, c, cycles_per_repeat * repeats, name);
  in->bytes = (guint32) MIN (bytes, G_MAXUINT32);
  return in;
}

const SimInstr *
sim_prog_scalar (SimProgram *p, SimCore *c, double cycles, const char *name)
{
  SimInstr *in = emit (p, c, SIM_PIPE_SCALAR, SIM_OP_SCALAR, name);
  in->cycles = (float) cycles;
  return in;
}

/* interned once per program per (set/wait, src, dst, id), when first written */
guint16
_sim_prog_flag_name_slow (SimProgram *p, gboolean set, SimPipe src, SimPipe dst, int id)
{
  if (id < 0 || id >= SIM_PROG_FLAG_NAME_IDS || src < 0 || src >= SIM_N_PIPES || dst < 0
      || dst >= SIM_N_PIPES)
    {
      g_autofree char *n = g_strdup_printf ("%s %d->%d #%d", set ? "set_flag" : "wait_flag", src,
                                            dst, id);
      return sim_program_intern (p, n);
    }
  guint16 *slot
      = &p->flag_names[((set * SIM_N_PIPES + src) * SIM_N_PIPES + dst) * SIM_PROG_FLAG_NAME_IDS
                       + id];
  /* two threads may both get here: each interns the same string, so stores the same id */
  g_autofree char *n = g_strdup_printf ("%s %s->%s #%d", set ? "set_flag" : "wait_flag",
                                        sim_pipe_name (src), sim_pipe_name (dst), id);
  guint16 sid = sim_program_intern (p, n);
  __atomic_store_n (slot, sid, __ATOMIC_RELEASE);
  return sid;
}

void
_sim_prog_bad_flag (SimProgram *p, int event_id)
{
  note_invalid (p, "flag event id %d is outside 0..%d", event_id, MAX (p->hw->event_ids, 1) - 1);
}

static void
check_cross (SimProgram *p, int flag_id)
{
  if (flag_id < 0 || flag_id >= SIM_MAX_CROSS_FLAGS)
    note_invalid (p, "cross-core flag id %d is outside 0..%d", flag_id, SIM_MAX_CROSS_FLAGS - 1);
}

void
sim_prog_barrier (SimProgram *p, SimCore *c)
{
  for (int q = 0; q < SIM_N_PIPES; q++)
    if (sim_pipe_on_core ((SimPipe) q, c->kind))
      emit (p, c, (SimPipe) q, SIM_OP_BARRIER, "pipe_barrier(ALL)");
}

void
sim_prog_cross_set (SimProgram *p, SimCore *c, SimPipe pipe, int flag_id, const char *name)
{
  SimInstr *in = emit (p, c, pipe, SIM_OP_CROSS_SET, name);
  in->event = (guint16) flag_id;
  check_cross (p, flag_id);
}

void
sim_prog_cross_wait (SimProgram *p, SimCore *c, SimPipe pipe, int flag_id, const char *name)
{
  /* only the fence mode reads the wait's place in every pipe (and a long run has many waits) */
  if (p->hw->cross_wait_mode != SIM_CROSS_WAIT_CORE)
    {
      SimInstr *in = emit (p, c, pipe, SIM_OP_CROSS_WAIT, name);
      in->event = (guint16) flag_id;
      check_cross (p, flag_id);
      return;
    }
  if (c->n_fences == c->cap_fences)
    {
      c->cap_fences = MAX (16, c->cap_fences * 2);
      c->fences = g_renew (SimFence, c->fences, c->cap_fences);
    }
  SimFence *f = &c->fences[c->n_fences++];
  for (int q = 0; q < SIM_N_PIPES; q++)
    f->pos[q] = (guint32) c->n[q];
  f->wait_pc = (guint32) c->n[pipe];
  f->pipe = (guint8) pipe;
  SimInstr *in = emit (p, c, pipe, SIM_OP_CROSS_WAIT, name);
  in->event = (guint16) flag_id;
  check_cross (p, flag_id);
}

void
sim_prog_sync_all (SimProgram *p, SimCore *c, SimPipe pipe, int barrier_id)
{
  SimInstr *in = emit (p, c, pipe, SIM_OP_SYNC_ALL, "SyncAll");
  in->event = (guint16) barrier_id;
  if (p->sync_declared)
    return;
  if (!p->sync)
    p->sync = g_array_new (FALSE, FALSE, sizeof (SimSyncInfo));
  while (p->sync->len <= in->event)
    {
      SimSyncInfo none = { 0, -1 };
      g_array_append_val (p->sync, none);
    }
  SimSyncInfo *si = &g_array_index (p->sync, SimSyncInfo, in->event);
  si->expected++;
  if (si->die == -1)
    si->die = c->die;
  else if (si->die != c->die)
    {
      si->die = -2;
      p->cross_die = TRUE;
    }
}

/* Instructions grouped per pipe (pipes in increasing order, each in program order), then the
 * order entries. */
struct SimProgRecord
{
  guint32 pipes; /* bit q: the record writes pipe q */
  guint32 n;     /* instructions, and order entries */
  guint32 count[SIM_N_PIPES];
  guint32 timed[SIM_N_PIPES];
  guint64 flops;
  guint8 *order;
  /* the emit context the instructions carry: that of the last replay (or the recording), so a
   * replay of a small run in the same context, as most are (a tile's runs within one item), is
   * a plain copy */
  guint8 stage;
  gint32 task, iter;
#define RECORD_SMALL 64 /* instructions */
  /* the transfers with a GM tag, in program order: their pipe and place in the pipe's part of
   * the record (sim_prog_replay_tags) */
  guint32 n_tags;
  guint8 *tag_pipe;
  guint32 *tag_at;
  SimInstr instr[];
};

void
sim_prog_mark (const SimCore *c, SimProgMark *m)
{
  for (int q = 0; q < SIM_N_PIPES; q++)
    {
      m->n[q] = c->n[q];
      m->n_timed[q] = c->n_timed[q];
    }
  m->n_order = c->n_order;
  m->n_fences = c->n_fences;
  m->flops = c->flops;
}

SimProgRecord *
sim_prog_record (const SimCore *c, const SimProgMark *m)
{
  /* a fence holds positions in the queues, a SyncAll may count itself: neither is a copy */
  if (c->n_fences != m->n_fences)
    return NULL;
  gsize n = c->n_order - m->n_order;
  g_return_val_if_fail (m->n_order >= c->order_base, NULL);
  /* room for a tag entry per instruction: at most that many */
  SimProgRecord *r = g_malloc (sizeof *r + n * sizeof (SimInstr) + n * sizeof (guint32) + 2 * n);
  r->tag_at = (guint32 *) (r->instr + n);
  r->order = (guint8 *) (r->tag_at + n);
  r->tag_pipe = r->order + n;
  r->n_tags = 0;
  r->stage = (guint8) c->ctx_stage;
  r->task = c->ctx_task;
  r->iter = c->ctx_iter;
  r->pipes = 0;
  r->n = (guint32) n;
  r->flops = c->flops - m->flops;
  SimInstr *out = r->instr;
  for (int q = 0; q < SIM_N_PIPES; q++)
    {
      gsize k = c->n[q] - m->n[q];
      r->count[q] = (guint32) k;
      r->timed[q] = c->n_timed[q] - m->n_timed[q];
      if (k == 0)
        continue;
      g_return_val_if_fail (m->n[q] >= c->base[q], (g_free (r), NULL));
      r->pipes |= 1u << q;
      memcpy (out, sim_core_instr (c, q, m->n[q]), k * sizeof (SimInstr));
      for (gsize i = 0; i < k; i++)
        if (out[i].op == SIM_OP_SYNC_ALL || out[i].stage != r->stage || out[i].task != r->task
            || out[i].iter != r->iter) /* a replay writes one context */
          {
            g_free (r);
            return NULL;
          }
      out += k;
    }
  memcpy (r->order, &c->order[m->n_order - c->order_base], n);
  /* the tagged transfers in program order: the order entries say which pipe comes next */
  guint32 seen[SIM_N_PIPES] = { 0 }, start[SIM_N_PIPES];
  for (int q = 0, at = 0; q < SIM_N_PIPES; q++)
    {
      start[q] = (guint32) at;
      at += (int) r->count[q];
    }
  for (gsize i = 0; i < n; i++)
    {
      int q = r->order[i] & SIM_ORDER_PIPE;
      const SimInstr *in = &r->instr[start[q] + seen[q]];
      if (in->op == SIM_OP_DMA && in->gm_tag != 0)
        {
          r->tag_pipe[r->n_tags] = (guint8) q;
          r->tag_at[r->n_tags++] = seen[q];
        }
      seen[q]++;
    }
  return r;
}

guint
sim_prog_record_n_tags (const SimProgRecord *r)
{
  return r->n_tags;
}

gboolean
sim_prog_record_has_tags (const SimProgRecord *r, const guint64 *tags, guint n_tags)
{
  if (n_tags != r->n_tags)
    return FALSE;
  guint32 start[SIM_N_PIPES];
  for (int q = 0, at = 0; q < SIM_N_PIPES; q++)
    {
      start[q] = (guint32) at;
      at += (int) r->count[q];
    }
  for (guint j = 0; j < n_tags; j++)
    if (r->instr[start[r->tag_pipe[j]] + r->tag_at[j]].gm_tag != tags[j])
      return FALSE;
  return TRUE;
}

static void replay (SimProgram *p, SimCore *c, SimProgRecord *r, const guint64 *tags);

static inline void
copy_in_context (SimInstr *out, const SimInstr *in, guint8 stage, gint32 task, gint32 iter)
{
  *out = *in;
  out->stage = stage;
  out->task = task;
  out->iter = iter;
}

void
sim_prog_replay (SimProgram *p, SimCore *c, SimProgRecord *r)
{
  replay (p, c, r, NULL);
}

void
sim_prog_replay_tags (SimProgram *p, SimCore *c, SimProgRecord *r, const guint64 *tags,
                      guint n_tags)
{
  g_return_if_fail (n_tags == r->n_tags);
  replay (p, c, r, tags);
}

static void
replay (SimProgram *p, SimCore *c, SimProgRecord *r, const guint64 *tags)
{
  gsize first[SIM_N_PIPES]; /* where the record's part of each pipe goes */
  guint32 allowed = c->pipe_mask & c->stream_pipes;
  guint8 stage = (guint8) c->ctx_stage;
  gint32 task = c->ctx_task, iter = c->ctx_iter;
  /* a small run is copied with memcpy (in the record's context, updated when it changes); a
   * large one with a copy that sets the context as it goes (glibc copies large blocks with rep
   * movsb, a host instruction per byte or so under callgrind, and patching the record first
   * would read it twice) */
  gboolean small = r->n <= RECORD_SMALL;
  if (small && (r->stage != stage || r->task != task || r->iter != iter))
    {
      for (guint32 i = 0; i < r->n; i++)
        {
          r->instr[i].stage = stage;
          r->instr[i].task = task;
          r->instr[i].iter = iter;
        }
      r->stage = stage;
      r->task = task;
      r->iter = iter;
    }
  const SimInstr *in = r->instr;
  for (guint32 pipes = r->pipes; pipes; pipes &= pipes - 1)
    {
      int q = __builtin_ctz (pipes);
      gsize k = r->count[q];
      if (G_UNLIKELY (!(allowed >> q & 1)))
        _sim_prog_wrong_pipe (p, c, (SimPipe) q);
      /* the emitters' growth: doubling */
      gsize used = c->n[q] - c->base[q];
      if (G_UNLIKELY (used + k > c->cap[q]))
        {
          gsize cap = c->cap[q] ? c->cap[q] : 256;
          while (cap < used + k)
            cap *= 2;
          resize_queue (c, q, cap);
        }
      SimInstr *out = &c->queue[q][used];
      if (small)
        memcpy (out, in, k * sizeof (SimInstr));
      else
        {
          /* four at a time: the loop's own instructions were a third of the copy */
          gsize i = 0;
          for (; i + 4 <= k; i += 4)
            {
              copy_in_context (&out[i], &in[i], stage, task, iter);
              copy_in_context (&out[i + 1], &in[i + 1], stage, task, iter);
              copy_in_context (&out[i + 2], &in[i + 2], stage, task, iter);
              copy_in_context (&out[i + 3], &in[i + 3], stage, task, iter);
            }
          for (; i < k; i++)
            copy_in_context (&out[i], &in[i], stage, task, iter);
        }
      first[q] = used;
      c->n[q] += k;
      c->n_timed[q] += r->timed[q];
      in += k;
    }
  gsize used = c->n_order - c->order_base;
  if (G_UNLIKELY (used + r->n > c->cap_order))
    {
      gsize cap = c->cap_order ? c->cap_order : 1024;
      while (cap < used + r->n)
        cap *= 2;
      resize_order (c, cap);
    }
  memcpy (&c->order[used], r->order, r->n);
  c->n_order += r->n;
  c->flops += r->flops;
  if (tags == NULL)
    return;
  SimInstr *dst[SIM_N_PIPES];
  for (guint32 pipes = r->pipes; pipes; pipes &= pipes - 1)
    {
      int q = __builtin_ctz (pipes);
      dst[q] = &c->queue[q][first[q]];
    }
  int die = c->die;
  gboolean other_die = FALSE; /* noted once: what the emitters note is the first */
  for (guint32 j = 0; j < r->n_tags; j++)
    {
      dst[r->tag_pipe[j]][r->tag_at[j]].gm_tag = tags[j];
      other_die |= tags[j] != 0 && (int) (tags[j] >> 56) != die;
    }
  if (G_UNLIKELY (other_die))
    cross_die (p, c);
}

void
sim_prog_record_free (SimProgRecord *r)
{
  g_free (r);
}
