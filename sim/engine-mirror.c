/* sim/engine-mirror.c — die symmetry: a die whose program is die 0's, shown instruction by
 * instruction, is given die 0's results instead of being simulated again (see sim_engine_run).
 *
 * Why that is exact: a partition is a deterministic function of its cores' programs and the
 * preset.  It reads of an instruction everything but its name, detail and task (the trace's and
 * the error messages' labels), and of a GM tile's tag only whether two tags are equal (the L2 is
 * one LRU list per die, found by tag) and the die the tag names.  A die's cores are numbered the
 * same way within each die, so the event queue breaks ties the same way.  So two dies whose
 * programs agree in every other field, with die 1's tiles die 0's moved by one offset per GM
 * region (a one-to-one map, so the same tiles are equal), run the same events at the same times.
 * A trace of die 1 is then die 0's spans and flag arrows under die 1's labels, which the check
 * asks to be die 0's names and details, and tasks one offset away (note_trace). */
#include "sim/engine-private.h"

#include <stddef.h>
#include <string.h>

/* the GM regions a tag may name here (sim_gm_tag: 16 bits; the AMLA kernel uses a handful) */
#define MIRROR_REGIONS 256

typedef struct
{
  gint64 delta[MIRROR_REGIONS]; /* die 1's tile offset - die 0's, per region */
  guint8 known[MIRROR_REGIONS];
  /* SyncAll ids: die 0's id -> die 1's, and back (-1: not met yet); each a barrier of its die
   * alone with the same count, so one to one is all the engine can tell apart */
  const GArray *sync; /* SimSyncInfo per id, or NULL */
  gint32 *sync_to, *sync_from;
} TagMap;

/* The core of die `die` that runs what core i of die 0 runs: the same AIC (or AIV) of its die. */
static int
mirror_of (const SimProgram *p, int i, int die)
{
  const SimHw *hw = p->hw;
  if (i < p->n_aic)
    return i + die * hw->aic_per_die;
  return i + die * hw->aic_per_die * hw->aiv_per_aic;
}

static gboolean
same_tag (guint64 a, guint64 b, int die, TagMap *tm)
{
  if (a == 0 || b == 0)
    return a == b;
  guint64 region = a >> 40 & 0xffff;
  if (a >> 56 != 0 || b >> 56 != (guint64) die || region != (b >> 40 & 0xffff)
      || region >= MIRROR_REGIONS)
    return FALSE;
  gint64 delta = (gint64) (b & 0xffffffffffULL) - (gint64) (a & 0xffffffffffULL);
  if (!tm->known[region])
    {
      tm->known[region] = 1;
      tm->delta[region] = delta;
      return TRUE;
    }
  return tm->delta[region] == delta;
}

/* SimInstr as four words (little-endian): what the engine reads of each word */
G_STATIC_ASSERT (sizeof (SimInstr) == 32);
G_STATIC_ASSERT (offsetof (SimInstr, name) == 6 && offsetof (SimInstr, detail) == 8);
G_STATIC_ASSERT (offsetof (SimInstr, event) == 10 && offsetof (SimInstr, task) == 12);
G_STATIC_ASSERT (offsetof (SimInstr, iter) == 16 && offsetof (SimInstr, bytes) == 20);
G_STATIC_ASSERT (offsetof (SimInstr, gm_tag) == 24);
#if G_BYTE_ORDER == G_LITTLE_ENDIAN
#define W0_READ 0x0000ffffffffffffULL /* op, pipe, stage, atomic, src, dst (not the name) */
#define W1_READ 0x00000000ffff0000ULL /* event (not the detail, not the task) */
#else
#define W0_READ 0xffffffffffff0000ULL
#define W1_READ 0x0000ffff00000000ULL
#endif

static G_GNUC_NO_INLINE gboolean
same_sync (int a, int b, int die, TagMap *tm)
{
  if (!tm->sync || a >= (int) tm->sync->len || b >= (int) tm->sync->len)
    return FALSE;
  const SimSyncInfo *sa = &g_array_index (tm->sync, SimSyncInfo, a);
  const SimSyncInfo *sb = &g_array_index (tm->sync, SimSyncInfo, b);
  if (sa->die != 0 || sb->die != die || sa->expected != sb->expected)
    return FALSE;
  if (tm->sync_to[a] < 0 && tm->sync_from[b] < 0)
    {
      tm->sync_to[a] = b;
      tm->sync_from[b] = a;
    }
  return tm->sync_to[a] == b && tm->sync_from[b] == a;
}

/* the four words at once (GCC's generic vectors: two SSE2 registers on x86-64) */
typedef guint64 Words __attribute__ ((vector_size (32)));

static inline gboolean
same_instr (const SimInstr *a, const SimInstr *b, int die, TagMap *tm)
{
  /* iter and bytes (word 2) the engine reads only partly; equal is asked all the same.  A DMA's
   * tag (word 3) and a SyncAll's id (in word 1) are compared below, anything else's cycles and
   * FLOPs here */
  static const Words read = { W0_READ, W1_READ, ~0ULL, ~0ULL };
  static const Words read_dma = { W0_READ, W1_READ, ~0ULL, 0 };
  static const Words read_sync = { W0_READ, 0, ~0ULL, ~0ULL };
  Words wa, wb;
  memcpy (&wa, a, sizeof wa);
  memcpy (&wb, b, sizeof wb);
  Words d = (wa ^ wb)
            & (a->op == SIM_OP_DMA        ? read_dma
               : a->op == SIM_OP_SYNC_ALL ? read_sync
                                          : read);
  if ((d[0] | d[1] | d[2] | d[3]) != 0)
    return FALSE;
  if (a->op == SIM_OP_DMA)
    return same_tag (a->gm_tag, b->gm_tag, die, tm);
  /* each die's SyncAll is its own barrier: one to one, even where the ids are equal (an id
   * both dies use would be one barrier across them, which die 1 cannot copy) */
  return a->op != SIM_OP_SYNC_ALL || same_sync (a->event, b->event, die, tm);
}

/* A trace is being made: what die 1's core b (core id j) records of the instructions just
 * compared, from[q] on each pipe q.  Each timed instruction is a span: on a recorded lane, die
 * 0's span with die 0's name and detail and its task moved by one offset for the die (the copy
 * takes die 0's spans as they are); on a lane left out, counted with its stage.  And the flag
 * arrows into a recorded core are named after its cross-core waits: die 0's names too. */
static gboolean
note_trace (Engine *pe, const SimCore *a, const SimCore *b, int j, const gsize from[SIM_N_PIPES])
{
  /* a core's lanes are recorded all or none; the arrows into it are drawn only if they are */
  gboolean recorded = FALSE;
  for (int q = 0; q < SIM_N_PIPES; q++)
    recorded |= pe->lanes[j * SIM_N_PIPES + q] != NULL;
  for (int q = 0; q < SIM_N_PIPES; q++)
    {
      gboolean lane = pe->lanes[j * SIM_N_PIPES + q] != NULL;
      for (gsize i = from[q]; i < b->n[q]; i++)
        {
          const SimInstr *x = sim_core_instr (a, q, i), *y = sim_core_instr (b, q, i);
          if (y->op == SIM_OP_CROSS_WAIT && recorded && x->name != y->name)
            return FALSE;
          if (y->op > SIM_OP_SCALAR) /* not timed: no span */
            continue;
          if (!lane)
            {
              pe->mirror_unrecorded_spans++;
              pe->mirror_unrecorded_stages |= 1u << MIN (y->stage, 31);
              continue;
            }
          if (x->name != y->name || x->detail != y->detail || (x->task < 0) != (y->task < 0))
            return FALSE;
          if (x->task < 0)
            continue;
          gint64 delta = (gint64) y->task - x->task;
          if (!pe->mirror_task_known)
            {
              pe->mirror_task_known = TRUE;
              pe->mirror_task_delta = delta;
            }
          else if (delta != pe->mirror_task_delta)
            return FALSE;
        }
    }
  return TRUE;
}

/* Read core a (die 0) and core b (die `die`) of the twin to their ends, a piece at a time,
 * dropping what was compared. */
static gboolean
same_core (Engine *pe, SimProgram *tw, SimCore *a, SimCore *b, int die, TagMap *tm)
{
  const Engine *e = pe;
  if (a->kind != b->kind || a->pipe_mask != b->pipe_mask || a->stream_pipes != b->stream_pipes
      || a->more != b->more)
    return FALSE;
  gsize done[SIM_N_PIPES] = { 0 }, done_order = 0;
  while (a->more)
    {
      if (e->opt->cancel && g_atomic_int_get (e->opt->cancel))
        return FALSE;
      sim_program_refill (tw, a);
      sim_program_refill (tw, b);
      if (__atomic_load_n (&tw->invalid, __ATOMIC_ACQUIRE) != NULL || a->more != b->more
          || a->n_order != b->n_order)
        return FALSE;
      gsize from[SIM_N_PIPES];
      for (int q = 0; q < SIM_N_PIPES; q++)
        {
          from[q] = done[q];
          if (a->n[q] != b->n[q])
            return FALSE;
          gsize k = a->n[q] - done[q];
          if (k == 0)
            continue;
          const SimInstr *ia = sim_core_instr (a, q, done[q]), *ib = sim_core_instr (b, q, done[q]);
          for (gsize i = 0; i < k; i++)
            if (!same_instr (&ia[i], &ib[i], die, tm))
              return FALSE;
          done[q] = a->n[q];
        }
      if (pe->mirror_trace && !note_trace (pe, a, b, sim_program_core_id (tw, b), from))
        return FALSE;
      gsize k = a->n_order - done_order;
      if (k
          && memcmp (&a->order[done_order - a->order_base], &b->order[done_order - b->order_base],
                     k)
                 != 0)
        return FALSE;
      done_order = a->n_order;
      sim_core_drop_before (a, done, done_order);
      sim_core_drop_before (b, done, done_order);
    }
  return a->flops == b->flops;
}

/* Whether die `die` of the program runs what die 0 runs, read from the twin (which this uses up);
 * when it does, the partition pe of that die has the die's instruction and FLOP counts, and with
 * a trace its spans' labels and what it leaves out. */
gboolean
_sim_eng_mirror_check (Engine *pe, SimProgram *tw, int die)
{
  const Engine *e = pe;
  const SimProgram *p = e->prog;
  if (tw->n_cores != p->n_cores || tw->n_aic != p->n_aic || tw->cross_die || tw->invalid)
    return FALSE;
  pe->mirror_trace = e->trace != NULL;
  TagMap *tm = g_new0 (TagMap, 1);
  if (tw->sync && tw->sync->len)
    {
      tm->sync = tw->sync;
      tm->sync_to = g_new (gint32, tw->sync->len);
      tm->sync_from = g_new (gint32, tw->sync->len);
      memset (tm->sync_to, 0xff, tw->sync->len * sizeof (gint32));
      memset (tm->sync_from, 0xff, tw->sync->len * sizeof (gint32));
    }
  gboolean same = TRUE;
  guint64 n = 0, f = 0;
  SimCore *last_a = NULL, *last_b = NULL;
  for (int i = 0; i < tw->n_cores && same; i++)
    {
      SimCore *a = &tw->cores[i];
      if (a->die != 0)
        continue;
      int j = mirror_of (tw, i, die);
      if (j >= tw->n_cores || tw->cores[j].die != die)
        {
          same = FALSE;
          break;
        }
      SimCore *b = &tw->cores[j];
      if (last_a)
        {
          sim_core_pass_queues (last_a, a);
          sim_core_pass_queues (last_b, b);
        }
      same = same_core (pe, tw, a, b, die, tm);
      last_a = a;
      last_b = b;
      for (int q = 0; q < SIM_N_PIPES; q++)
        n += b->n[q];
      f += b->flops;
    }
  /* every core of the die has its counterpart in die 0 */
  int in_die = 0, in_0 = 0;
  for (int i = 0; i < tw->n_cores; i++)
    {
      in_die += tw->cores[i].die == die;
      in_0 += tw->cores[i].die == 0;
    }
  same = same && in_die == in_0;
  g_free (tm->sync_to);
  g_free (tm->sync_from);
  g_free (tm);
  pe->mirror_instructions = n;
  pe->mirror_flops = f;
  return same;
}

/* What sim_engine_run's deadlock check would find in die `die`'s cores: an issue or a pipe that
 * has not reached the end of its program. */
gboolean
_sim_eng_die_stuck (const Engine *e, int die)
{
  const SimProgram *p = e->prog;
  for (int i = 0; i < p->n_cores; i++)
    {
      const SimCore *c = &p->cores[i];
      const CoreState *cs = &e->cores[i];
      if (c->die != die)
        continue;
      if (e->issue_model && cs->opc < c->n_order)
        return TRUE;
      for (int q = 0; q < SIM_N_PIPES; q++)
        if (cs->pipe[q].pc < c->n[q])
          return TRUE;
    }
  return FALSE;
}

/* The core of die 0 whose run core i of die `die` copies (mirror_of backwards). */
static int
mirror_source (const SimProgram *p, int i, int die)
{
  const SimHw *hw = p->hw;
  if (i < p->n_aic)
    return i - die * hw->aic_per_die;
  return i - die * hw->aic_per_die * hw->aiv_per_aic;
}

/* Whether a trace of die `die`'s cores can be copied from die 0's: every lane it records has its
 * counterpart recorded in die 0 (the spans' times come from there).  No trace: yes. */
gboolean
_sim_eng_can_mirror_trace (const Engine *e, int die)
{
  if (!e->trace)
    return TRUE;
  const SimProgram *p = e->prog;
  for (int i = 0; i < p->n_cores; i++)
    if (p->cores[i].die == die)
      for (int q = 0; q < SIM_N_PIPES; q++)
        if (e->lanes[i * SIM_N_PIPES + q] && !e->lanes[mirror_source (p, i, die) * SIM_N_PIPES + q])
          return FALSE;
  return TRUE;
}

/* Die `die` ran what die 0 ran: it gets die 0's clock, events, bytes, GM traffic and what each
 * core's metrics read (busy time, stalls, Cube/Vector overlap).  With a trace, each lane it
 * records gets die 0's spans with the die's tasks (note_trace), its flag arrows are die 0's
 * between its own cores, and what it leaves out was counted from the twin.  FALSE (nothing
 * changed) if one of its lanes has spans already. */
gboolean
_sim_eng_mirror_die (Engine *e, Engine *parts, int die)
{
  const SimProgram *p = e->prog;
  Engine *src = &parts[0], *dst = &parts[die];
  if (e->trace)
    {
      /* (die 0's lane holds a span per timed instruction of its core, whose program the check
       * found instruction by instruction in this core's: as many spans) */
      for (int j = 0; j < p->n_cores; j++)
        for (int q = 0; q < SIM_N_PIPES; q++)
          {
            const SimLane *to = e->lanes[j * SIM_N_PIPES + q];
            if (p->cores[j].die == die && to && to->n_spans != 0)
              return FALSE; /* not ours to fill */
          }
      for (int j = 0; j < p->n_cores; j++)
        for (int q = 0; q < SIM_N_PIPES; q++)
          {
            SimLane *to = e->lanes[j * SIM_N_PIPES + q];
            if (p->cores[j].die != die || !to)
              continue;
            const SimLane *from = e->lanes[mirror_source (p, j, die) * SIM_N_PIPES + q];
            for (gsize k = 0; k < from->n_spans; k++)
              {
                SimSpan s = from->spans[k];
                if (s.task >= 0)
                  s.task = (gint32) (s.task + dst->mirror_task_delta);
                if (to->n_spans < to->cap_spans)
                  to->spans[to->n_spans++] = s;
                else
                  sim_lane_append (to, &s);
              }
          }
      /* the arrows: die 0's, between the cores of this die that play its cores */
      g_autofree int *group_core = g_new (int, p->n_cores);
      for (int i = 0; i < p->n_cores; i++)
        group_core[e->core_group[i]] = i;
      for (guint f = 0; f < src->flows->len; f++)
        {
          SimFlow fl = g_array_index (src->flows, SimFlow, f);
          int sc = mirror_of (p, group_core[fl.src_group], die);
          int dc = mirror_of (p, group_core[fl.dst_group], die);
          /* drawn only between recorded cores (a core's lanes are all recorded or none) */
          const SimGroup *sg = g_ptr_array_index (e->trace->groups, e->core_group[sc]);
          const SimGroup *dg = g_ptr_array_index (e->trace->groups, e->core_group[dc]);
          if (sg->lanes->len == 0 || dg->lanes->len == 0)
            continue;
          fl.src_group = (guint32) e->core_group[sc];
          fl.dst_group = (guint32) e->core_group[dc];
          g_array_append_val (dst->flows, fl);
        }
      dst->unrecorded_spans = dst->mirror_unrecorded_spans;
      dst->unrecorded_stages = dst->mirror_unrecorded_stages;
    }
  dst->now = src->now;
  dst->events = src->events;
  memcpy (dst->m->bytes, src->m->bytes, sizeof dst->m->bytes);
  sim_gm_mirror_die (dst->gm, die, src->gm, 0);
  for (int i = 0; i < p->n_cores; i++)
    {
      if (p->cores[i].die != 0)
        continue;
      CoreState *from = &e->cores[i], *to = &e->cores[mirror_of (p, i, die)];
      for (int q = 0; q < SIM_N_PIPES; q++)
        to->pipe[q].busy = from->pipe[q].busy;
      memcpy (to->stall, from->stall, sizeof to->stall);
      if (i < p->n_aic)
        to->ov.both = sim_overlap_finish (&from->ov);
    }
  return TRUE;
}
