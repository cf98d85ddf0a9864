/* kernels/amla-program.c — emits the per-core programs of the AMLA MLA-decode kernel.
 *
 * Follows DESIGN.md §4 and the CANN ops-transformer kernel (reference/amla_paper.md §4–5):
 * tasks of M rows × 512-token KV blocks spread over all AICs (KV range split with a combine step
 * when there are fewer tasks than cores); per block C1 (Cube S = Q·Kᵀ → GM), V1 (Vector online
 * softmax → P; AMLA: int32 atomic exponent update of O in GM), C2 (Cube O += P·V, FixPipe FP32
 * atomic add), V2 (Vector final O / (ℓ·ĉ), or the per-block FP-multiply rescale for `mul`).
 * Preload: AIC issues C1(t), C2(t−1); AIV V1(t−1), V2(t−2), double-buffered workspaces.
 * Hierarchical tiling: L1 rings (4 Q/P + 3 K/V slots of 72 KiB), L0A/L0B and L0C ping-pong.
 */
#include "kernels/amla.h"
#include "sim/memory-limit.h"

#include <math.h>
#include <string.h>
#include <unistd.h>

/* cross-core flag ids (ops-transformer FIA MLA kernel) */
enum
{
  XF_C2V1 = 4,         /* C2 done: O may be rescaled */
  XF_V1_NUPDATE_C2 = 5, /* O rescaled: C2 may write back */
  XF_O_FREE = 6,       /* V2 has read O / O_tmp: C2 may overwrite it */
  XF_C1V1 = 7,         /* S ready in GM */
  XF_V1C2 = 8,         /* P ready in GM */
  XF_C2V2 = 9,         /* O (or O_tmp) ready for V2 */
};

/* intra-core event ids */
#define EV_KV_BASE 0 /* K/V ring slots 0..2 */
#define EV_QP_BASE 3 /* Q/P ring slots 3..6 */
#define EV_BRCB 2    /* AIV: broadcast buffer for the exponent update */

#define KV_SLOTS 3
#define QP_SLOTS 4
#define L1_SLOT_BYTES (72 * 1024)
#define UB_SLICE_ROWS 16
#define HEAD_DIM_QK AMLA_HEAD_DIM_QK
#define HEAD_DIM_V AMLA_HEAD_DIM_V
#define HALF_K 288 /* C1 L1 k chunk: 576 = 2 × 288 */
#define C1_L0_K 96
#define C2_L1_K 256
#define C2_L0_K 128

enum
{
  GM_KV = 1,
  GM_Q,
  GM_S_WS,
  GM_P_WS,
  GM_O_WS,
  GM_OTMP_WS,
  GM_PART_WS,
  GM_OUT,
  GM_KROPE, /* k_rope: its own tensor in CANN (kRopeGm), not shared with V */
};

typedef struct
{
  int b, g;        /* request, row group */
  int rows;        /* task rows */
  int blk0, blk1;  /* KV blocks [blk0, blk1) */
  int unit;        /* (b, g) index */
  gboolean split;  /* a partial KV range: writes partials, combined later */
  int part, n_parts;
} Task;

typedef struct
{
  int task; /* index into the core's task list */
  int blk;
  int n_tok;
  gboolean first, last; /* first / last block of the task */
} Item;

typedef struct
{
  GArray *tasks; /* Task */
  GArray *items; /* Item */
} CorePlan;

/* A core's rotating state.  A streamed run writes the dies' cores on two threads: a core's state
 * fills a cache line of its own (ints per core side by side made the threads fight over the lines
 * where one die's cores meet the other's). */
typedef struct
{
  int kv_next, qp_next, l0_next, l0c_next; /* an AIC's L1, L0 and L0C rings */
  int qp_iter; /* CANN's qpL1BufIter: Q/P slot pairs advance by the task's m tiles per stage */
  int ub_in_next, ub_out_next; /* an AIV's UB rings */
  int piece;                   /* the next piece a streamed program writes */
  struct RunCache *runs;       /* the core's recorded runs (run_find), allocated when first used */
  char pad[64 - 8 * sizeof (int) - sizeof (gpointer)];
} CoreGen;

typedef struct
{
  const AmlaConfig *cfg;
  const SimHw *hw;
  SimProgram *p;
  int nb;          /* KV blocks per request */
  int groups;      /* row groups per request */
  int n_aic;
  CorePlan *plan;  /* per AIC */
  CoreGen *core; /* per core of the program (sim_program_core_id): cg () */
  int n_cores;   /* of the program (the program goes before the generator's state) */
  int *split;    /* per die: 1 a split task, 0 none, -1 not yet known */
  struct RunCache **die_runs; /* per die: the stages' recorded runs (stage_begin) */
  int n_dies;
  GError **error;
  gint *cancel; /* set: stop building (a big program takes seconds) */
} Gen;

static inline CoreGen *
cg (Gen *g, const SimCore *c)
{
  return &g->core[sim_program_core_id (g->p, c)];
}

/* ---------- work assignment ---------- */

static int
request_rows (const Gen *g)
{
  return g->cfg->heads * g->cfg->sq;
}

static int
task_rows_of (const Gen *g, int group)
{
  int m = amla_config_task_rows (g->cfg);
  int total = request_rows (g);
  return MIN (m, total - group * m);
}

static void
plan_add_task (Gen *g, int aic, int b, int grp, int blk0, int blk1, gboolean split)
{
  CorePlan *cp = &g->plan[aic];
  Task t = { .b = b, .g = grp, .rows = task_rows_of (g, grp), .blk0 = blk0, .blk1 = blk1,
             .unit = b * g->groups + grp, .split = split };
  g_array_append_val (cp->tasks, t);
  int ti = (int) cp->tasks->len - 1;
  for (int k = blk0; k < blk1; k++)
    {
      Item it = { .task = ti, .blk = k, .first = k == blk0, .last = k == blk1 - 1 };
      it.n_tok = MIN (g->cfg->block, g->cfg->kv_len - k * g->cfg->block);
      g_array_append_val (cp->items, it);
    }
}

/* Requests are split across dies (each die has its own HBM and runs its share of the batch);
 * within a die, whole (request, row group) units go to AICs in contiguous runs when they spread
 * evenly, otherwise the KV blocks are spread evenly and a unit split over several cores is merged
 * by a combine step. */
static void
plan_work (Gen *g)
{
  const AmlaConfig *cfg = g->cfg;
  int dies = g->hw->dies, per_die = g->hw->aic_per_die;
  for (int d = 0; d < dies; d++)
    {
      int b0 = (int) ((gint64) cfg->batch * d / dies), b1 = (int) ((gint64) cfg->batch * (d + 1) / dies);
      int units = (b1 - b0) * g->groups;
      if (units == 0)
        continue;
      /* whole tasks when they spread evenly (at most 5 % above the mean per core); otherwise the
       * KV blocks are dealt evenly and split requests are combined, as the CANN tiler's load
       * balancer does (amla_paper.md §5.1) — else 64 requests on 48 AICs would run a third wave */
      double mean = (double) units / per_die;
      double most = ceil (mean);
      if (units >= per_die && most <= 1.05 * mean)
        {
          for (int la = 0; la < per_die; la++)
            {
              int u0 = (int) ((gint64) units * la / per_die), u1 = (int) ((gint64) units * (la + 1) / per_die);
              for (int u = u0; u < u1; u++)
                plan_add_task (g, d * per_die + la, b0 + u / g->groups, u % g->groups, 0, g->nb,
                               FALSE);
            }
          continue;
        }
      gint64 W = (gint64) units * g->nb;
      for (int la = 0; la < per_die; la++)
        {
          gint64 w0 = W * la / per_die, w1 = W * (la + 1) / per_die;
          while (w0 < w1)
            {
              int u = (int) (w0 / g->nb);
              int k0 = (int) (w0 % g->nb);
              int k1 = (int) MIN ((gint64) g->nb, k0 + (w1 - w0));
              gboolean split = !(k0 == 0 && k1 == g->nb);
              plan_add_task (g, d * per_die + la, b0 + u / g->groups, u % g->groups, k0, k1, split);
              w0 += k1 - k0;
            }
        }
    }
  /* number the parts of split units */
  GHashTable *parts = g_hash_table_new (g_direct_hash, g_direct_equal);
  for (int a = 0; a < g->n_aic; a++)
    for (guint i = 0; i < g->plan[a].tasks->len; i++)
      {
        Task *t = &g_array_index (g->plan[a].tasks, Task, i);
        if (!t->split)
          continue;
        gpointer key = GINT_TO_POINTER (t->unit + 1);
        int n = GPOINTER_TO_INT (g_hash_table_lookup (parts, key));
        t->part = n;
        g_hash_table_insert (parts, key, GINT_TO_POINTER (n + 1));
      }
  for (int a = 0; a < g->n_aic; a++)
    for (guint i = 0; i < g->plan[a].tasks->len; i++)
      {
        Task *t = &g_array_index (g->plan[a].tasks, Task, i);
        if (t->split)
          t->n_parts = GPOINTER_TO_INT (g_hash_table_lookup (parts, GINT_TO_POINTER (t->unit + 1)));
      }
  g_hash_table_destroy (parts);
}

/* ---------- GM tiles ---------- */

static int
die_of_aic (const Gen *g, int aic)
{
  return aic / g->hw->aic_per_die;
}

/* K rows of one 128-token chunk, one 288-column half (V shares these bytes) */
static guint64
tag_kv (const Gen *g, int aic, int b, int token, int half)
{
  guint64 chunk = (guint64) token / 128;
  guint64 chunks = ((guint64) g->cfg->kv_len + 127) / 128;
  return sim_gm_tag (die_of_aic (g, aic), GM_KV, ((guint64) b * chunks + chunk) * 2 + half);
}

static guint64
tag_krope (const Gen *g, int aic, int b, int token, int half)
{
  guint64 chunk = (guint64) token / 128;
  guint64 chunks = ((guint64) g->cfg->kv_len + 127) / 128;
  return sim_gm_tag (die_of_aic (g, aic), GM_KROPE, ((guint64) b * chunks + chunk) * 2 + half);
}

static guint64
tag_ws (const Gen *g, int aic, int region, int slot)
{
  return sim_gm_tag (die_of_aic (g, aic), region, (guint64) aic * 64 + slot);
}

/* part 0/1: the 256 latent columns of k half 0/1; part 2: the 64 rope columns (in half 0) */
static guint64
tag_q (const Gen *g, int aic, const Task *t, int m, int part)
{
  return sim_gm_tag (die_of_aic (g, aic), GM_Q, (((guint64) t->unit * 4 + m) * 4 + part));
}

static guint64
tag_part (const Gen *g, int aic, const Task *t, int part)
{
  return sim_gm_tag (die_of_aic (g, aic), GM_PART_WS, (guint64) t->unit * 64 + part);
}

static guint64
tag_out (const Gen *g, int aic, const Task *t)
{
  return sim_gm_tag (die_of_aic (g, aic), GM_OUT, (guint64) t->unit);
}

/* ---------- L1 rings and buffers ---------- */

typedef struct
{
  int event;
  guint32 bytes;
} Slot;

static Slot
l1_acquire (Gen *g, SimCore *c, gboolean kv, guint32 bytes, const char *what)
{
  SimProgram *p = g->p;
  int id;
  if (g->cfg->tiling)
    id = kv ? EV_KV_BASE + cg (g, c)->kv_next++ % KV_SLOTS
            : EV_QP_BASE + cg (g, c)->qp_next++ % QP_SLOTS;
  else
    id = kv ? EV_KV_BASE : EV_QP_BASE;
  SimPipe releaser = g->cfg->tiling ? SIM_PIPE_MTE1 : SIM_PIPE_CUBE;
  sim_prog_wait_flag (p, c, releaser, SIM_PIPE_MTE2, id);
  sim_prog_alloc (p, c, SIM_PIPE_MTE2, SIM_MEM_L1, bytes, what);
  return (Slot){ .event = id, .bytes = bytes };
}

/* Hierarchical tiling: the Q/P slot CANN uses for row tile m and k chunk k of a stage
 * (GetQPL1RealIdx): the task's m tiles take slot pairs in turn, k picks the slot in the pair, so
 * C2's P of tile m lands in the pair C1's Q of tile m just released. */
static Slot
l1_acquire_qp (Gen *g, SimCore *c, int m, int k, guint32 bytes, const char *what)
{
  int id = EV_QP_BASE + ((cg (g, c)->qp_iter + m) % 2) * 2 + k;
  sim_prog_wait_flag (g->p, c, SIM_PIPE_MTE1, SIM_PIPE_MTE2, id);
  sim_prog_alloc (g->p, c, SIM_PIPE_MTE2, SIM_MEM_L1, bytes, what);
  return (Slot){ .event = id, .bytes = bytes };
}

static void
l1_ready (Gen *g, SimCore *c, Slot s)
{
  sim_prog_set_flag (g->p, c, SIM_PIPE_MTE2, SIM_PIPE_MTE1, s.event);
}

static void
l1_first_use (Gen *g, SimCore *c, Slot s)
{
  sim_prog_wait_flag (g->p, c, SIM_PIPE_MTE2, SIM_PIPE_MTE1, s.event);
}

static void
l1_release (Gen *g, SimCore *c, Slot s, const char *what)
{
  SimPipe releaser = g->cfg->tiling ? SIM_PIPE_MTE1 : SIM_PIPE_CUBE;
  sim_prog_free (g->p, c, releaser, SIM_MEM_L1, s.bytes, what);
  sim_prog_set_flag (g->p, c, releaser, SIM_PIPE_MTE2, s.event);
}

/* The FixPipe's parts of an L0C tile (unitFlag streaming): the preset's fixpipe_unit_parts, at
 * most one per 16-row fractal strip of the tile. */
static int
unit_parts (const Gen *g, int m)
{
  return CLAMP (g->hw->fixpipe_unit_parts, 1, MAX ((m + 15) / 16, 1));
}

/* Runs of instructions a core writes again and again (an L0 step: the same dozen instructions
 * for every step of a tile shape), written with the emitters the first time, recorded and
 * replayed after (sim_prog_replay): a copy costs a fraction of the emits.  The key is everything
 * the run's instructions depend on but the emit context (and, for a stage, its GM tiles).  A
 * cache per core (l0_steps, l0c_drain: their keys hold the core's workspace tiles) or per die
 * (the stages: stage_begin): the dies' cores are written at once, on their own threads.  Two
 * entries per set: a key whose set is taken by two others is written and recorded again, which
 * only costs time. */
#define RUN_CACHE 256 /* entries: 128 sets of two */
#define RUN_KEY 5

enum
{
  RUN_L0_STEPS = 1, /* kinds of run, in the keys */
  RUN_L0C_DRAIN,
  RUN_V1,
  RUN_C1,
  RUN_C2,
  RUN_V2,
};

#define N_RINGS 7

typedef struct
{
  guint64 key[RUN_KEY];
  SimProgRecord *rec;
  gint32 rings[N_RINGS]; /* a stage's run: how far it moves the core's rings (ring_get) */
} RunEntry;

struct RunCache
{
  RunEntry e[RUN_CACHE];
};

/* The set of two entries a key may sit in (the first the newer). */
static RunEntry *
run_set (struct RunCache **rc, const guint64 key[RUN_KEY])
{
  if (G_UNLIKELY (*rc == NULL))
    *rc = g_new0 (struct RunCache, 1);
  guint64 h = key[0];
  for (int i = 1; i < RUN_KEY; i++)
    h = (h ^ key[i]) * G_GUINT64_CONSTANT (0x9e3779b97f4a7c15);
  return &(*rc)->e[(h >> 57) * 2];
}

static RunEntry *
run_find (Gen *g, SimCore *c, const guint64 key[RUN_KEY])
{
  return run_set (&cg (g, c)->runs, key);
}

static gboolean
run_replay (Gen *g, SimCore *c, const RunEntry *set, const guint64 key[RUN_KEY])
{
  for (int w = 0; w < 2; w++)
    if (set[w].rec != NULL && memcmp (set[w].key, key, sizeof set[w].key) == 0)
      {
        sim_prog_replay (g->p, c, set[w].rec);
        return TRUE;
      }
  return FALSE;
}

/* A new run takes the first entry of its set, the one there moves to the second. */
static void
run_store (RunEntry *set, const guint64 key[RUN_KEY], SimProgRecord *rec)
{
  if (set[1].rec)
    sim_prog_record_free (set[1].rec);
  set[1] = set[0];
  memcpy (set[0].key, key, sizeof set[0].key);
  set[0].rec = rec;
}

/* The rings of a core's CoreGen (its L1, L0, L0C and UB slots), as an array. */
static void
ring_get (const CoreGen *cs, gint32 r[N_RINGS])
{
  r[0] = cs->kv_next;
  r[1] = cs->qp_next;
  r[2] = cs->l0_next;
  r[3] = cs->l0c_next;
  r[4] = cs->qp_iter;
  r[5] = cs->ub_in_next;
  r[6] = cs->ub_out_next;
}

static void
ring_add (CoreGen *cs, const gint32 d[N_RINGS])
{
  cs->kv_next += d[0];
  cs->qp_next += d[1];
  cs->l0_next += d[2];
  cs->l0c_next += d[3];
  cs->qp_iter += d[4];
  cs->ub_in_next += d[5];
  cs->ub_out_next += d[6];
}

/* What of the rings the slots a stage takes depend on: each ring's position modulo its slots. */
static guint64
ring_phase (const CoreGen *cs)
{
  return (guint64) (cs->kv_next % KV_SLOTS) | (guint64) (cs->qp_next % QP_SLOTS) << 2
         | (guint64) (cs->l0_next % 2) << 4 | (guint64) (cs->l0c_next % 2) << 5
         | (guint64) (cs->qp_iter % 2) << 6 | (guint64) (cs->ub_in_next % 2) << 7
         | (guint64) (cs->ub_out_next % 2) << 8;
}

/* A stage of one item (C1, C2, V1, V2), recorded as one run: the same for every item of its
 * shape on every core of a die but for the GM tiles it moves (given as tags, in program order)
 * and the rings' phases (in the key).  Per die: the die's cores are written on one thread.
 * TRUE: it was replayed, and the core's rings moved as its writing moved them.  Otherwise the
 * caller writes the stage and calls stage_end. */
#define STAGE_MAX_TAGS 1024

typedef struct
{
  RunEntry *set;
  guint64 key[RUN_KEY];
  SimProgMark mark;
  gint32 rings[N_RINGS];
} StageRun;

static gboolean
stage_begin (Gen *g, SimCore *c, StageRun *sr, const guint64 key[RUN_KEY], const guint64 *tags,
             guint n_tags)
{
  CoreGen *cs = cg (g, c);
  memcpy (sr->key, key, sizeof sr->key);
  sr->key[RUN_KEY - 1] = ring_phase (cs);
  sr->set = n_tags <= STAGE_MAX_TAGS ? run_set (&g->die_runs[c->die], sr->key) : NULL;
  for (int w = 0; sr->set && w < 2; w++)
    if (sr->set[w].rec != NULL && memcmp (sr->set[w].key, sr->key, sizeof sr->key) == 0)
      {
        sim_prog_replay_tags (g->p, c, sr->set[w].rec, tags, n_tags);
        ring_add (cs, sr->set[w].rings);
        return TRUE;
      }
  sim_prog_mark (c, &sr->mark);
  ring_get (cs, sr->rings);
  return FALSE;
}

static void
stage_end (Gen *g, SimCore *c, StageRun *sr, const guint64 *tags, guint n_tags)
{
  if (sr->set == NULL)
    return;
  SimProgRecord *rec = sim_prog_record (c, &sr->mark);
  if (rec && !sim_prog_record_has_tags (rec, tags, n_tags))
    {
      /* the stage's tag function does not follow its writing: a bug, which only costs time */
      g_critical ("amla-program: a stage moved other GM tiles than its tags said");
      sim_prog_record_free (rec);
      rec = NULL;
    }
  gint32 now[N_RINGS];
  ring_get (cg (g, c), now);
  run_store (sr->set, sr->key, rec);
  for (int i = 0; i < N_RINGS; i++)
    sr->set[0].rings[i] = now[i] - sr->rings[i];
}

static void
run_cache_free (struct RunCache *rc)
{
  if (rc == NULL)
    return;
  for (int i = 0; i < RUN_CACHE; i++)
    if (rc->e[i].rec)
      sim_prog_record_free (rc->e[i].rec);
  g_free (rc);
}

/* One L0 step: MTE1 fills an L0A/L0B half, the Cube multiplies it.  l0c_half >= 0 marks the
 * tile's last step: with unitFlag the FixPipe may drain each finished part of the L0C tile while
 * the rest is still being computed, so the MMAD is written as unit_parts() row strips, each
 * handed to the FixPipe as it completes (one strip = the whole tile without streaming). */
static void
l0_step_unit (Gen *g, SimCore *c, int m, int n, int k, const char *a_name, const char *b_name,
              const char *mmad_name, int l0c_half)
{
  SimProgram *p = g->p;
  int pp = g->cfg->tiling ? cg (g, c)->l0_next++ % 2 : 0;
  guint32 a_bytes = (guint32) m * k * 2, b_bytes = (guint32) k * n * 2;
  sim_prog_wait_flag (p, c, SIM_PIPE_CUBE, SIM_PIPE_MTE1, pp);
  sim_prog_alloc (p, c, SIM_PIPE_MTE1, SIM_MEM_L0A, a_bytes, a_name);
  sim_prog_dma (p, c, SIM_PIPE_MTE1, SIM_MEM_L1, SIM_MEM_L0A, a_bytes, 0, SIM_ATOMIC_NONE, a_name);
  sim_prog_alloc (p, c, SIM_PIPE_MTE1, SIM_MEM_L0B, b_bytes, b_name);
  sim_prog_dma (p, c, SIM_PIPE_MTE1, SIM_MEM_L1, SIM_MEM_L0B, b_bytes, 0, SIM_ATOMIC_NONE, b_name);
  sim_prog_set_flag (p, c, SIM_PIPE_MTE1, SIM_PIPE_CUBE, pp);
  sim_prog_wait_flag (p, c, SIM_PIPE_MTE1, SIM_PIPE_CUBE, pp);
  if (l0c_half < 0)
    sim_prog_mmad (p, c, m, n, k, mmad_name);
  else
    {
      /* one MMAD instruction with unitFlag: its strips and unit flags take no queue places */
      int parts = unit_parts (g, m);
      for (int u = 0; u < parts; u++)
        {
          int r0 = m * u / parts, r1 = m * (u + 1) / parts;
          sim_prog_mmad (p, c, r1 - r0, n, k, mmad_name);
          if (u > 0)
            sim_prog_mark_part (p, c, SIM_PIPE_CUBE);
          sim_prog_set_flag (p, c, SIM_PIPE_CUBE, SIM_PIPE_FIXPIPE, l0c_half);
          if (parts > 1)
            sim_prog_mark_part (p, c, SIM_PIPE_CUBE);
        }
    }
  sim_prog_free (p, c, SIM_PIPE_CUBE, SIM_MEM_L0A, a_bytes, a_name);
  sim_prog_free (p, c, SIM_PIPE_CUBE, SIM_MEM_L0B, b_bytes, b_name);
  sim_prog_set_flag (p, c, SIM_PIPE_CUBE, SIM_PIPE_MTE1, pp);
}

/* The L0 steps of an L0C tile's k range [0, k), k_step at a time; the last one hands the tile
 * over (l0_step_unit's l0c_half, -1 none).  Written as one run (run_find): a tile's steps are
 * the same for every tile of its shape. */
static void
l0_steps (Gen *g, SimCore *c, int m, int n, int k, int k_step, const char *a_name,
          const char *b_name, const char *mmad_name, int l0c_half)
{
  CoreGen *cs = cg (g, c);
  int steps = (k + k_step - 1) / k_step;
  /* m, n, k, k_step are at most 576 (a task's rows, a block's tokens, the head): 16 bits each */
  guint64 key[RUN_KEY]
      = { (guint64) m | (guint64) n << 16 | (guint64) k << 32 | (guint64) k_step << 48,
          RUN_L0_STEPS | (guint64) (l0c_half + 1) << 8
              | (guint64) (g->cfg->tiling ? cs->l0_next % 2 : 0) << 16,
          (guintptr) a_name, (guintptr) b_name, (guintptr) mmad_name };
  RunEntry *e = run_find (g, c, key);
  if (run_replay (g, c, e, key))
    {
      if (g->cfg->tiling)
        cs->l0_next += steps;
      return;
    }
  SimProgMark mark;
  sim_prog_mark (c, &mark);
  for (int k0 = 0; k0 < k; k0 += k_step)
    l0_step_unit (g, c, m, n, MIN (k_step, k - k0), a_name, b_name, mmad_name,
                  k0 + k_step >= k ? l0c_half : -1);
  run_store (e, key, sim_prog_record (c, &mark));
}

/* A double buffer between two pipes of one core: the producer takes a free half (waits for the
 * consumer's release, allocates), hands it over (set; the consumer waits), and the consumer
 * releases it (frees, sets).  Used for L0C (Cube -> FixPipe) and the UB rings. */
typedef struct
{
  SimPipe prod, cons;
  SimMem mem;
} Handshake;

static const Handshake HS_L0C = { SIM_PIPE_CUBE, SIM_PIPE_FIXPIPE, SIM_MEM_L0C };
static const Handshake HS_UB_IN = { SIM_PIPE_MTE2, SIM_PIPE_VECTOR, SIM_MEM_UB };
static const Handshake HS_UB_OUT = { SIM_PIPE_VECTOR, SIM_PIPE_MTE3, SIM_MEM_UB };

static void
hs_acquire (Gen *g, SimCore *c, const Handshake *h, int id, guint32 bytes, const char *what)
{
  sim_prog_wait_flag (g->p, c, h->cons, h->prod, id);
  sim_prog_alloc (g->p, c, h->prod, h->mem, bytes, what);
}

static void
hs_hand_over (Gen *g, SimCore *c, const Handshake *h, int id)
{
  sim_prog_set_flag (g->p, c, h->prod, h->cons, id);
  sim_prog_wait_flag (g->p, c, h->prod, h->cons, id);
}

static void
hs_release (Gen *g, SimCore *c, const Handshake *h, int id, guint32 bytes, const char *what)
{
  sim_prog_free (g->p, c, h->cons, h->mem, bytes, what);
  sim_prog_set_flag (g->p, c, h->cons, h->prod, id);
}

static int
l0c_begin (Gen *g, SimCore *c, guint32 bytes)
{
  int h = g->cfg->tiling ? cg (g, c)->l0c_next++ % 2 : 0;
  hs_acquire (g, c, &HS_L0C, h, bytes, "L0C tile");
  return h;
}

/* The FixPipe drains an L0C tile to GM in the parts the tile's last l0_step_unit handed over
 * (the first part pays the transfer start-up, the rest stream behind it), then frees the half. */
static void
l0c_drain (Gen *g, SimCore *c, int half, int m, guint32 tile, guint64 tag, SimAtomic atomic,
           const char *name)
{
  /* the same for every tile of a shape into one workspace slot: one run (run_find) */
  guint64 key[RUN_KEY] = { (guint64) tile | (guint64) m << 32 | (guint64) half << 48,
                           RUN_L0C_DRAIN | (guint64) atomic << 8, tag, (guintptr) name, 0 };
  RunEntry *e = run_find (g, c, key);
  if (run_replay (g, c, e, key))
    return;
  SimProgMark mark;
  sim_prog_mark (c, &mark);
  int parts = unit_parts (g, m);
  for (int u = 0; u < parts; u++)
    {
      guint32 b0 = (guint32) ((guint64) tile * u / parts), b1 = (guint32) ((guint64) tile * (u + 1) / parts);
      sim_prog_wait_flag (g->p, c, SIM_PIPE_CUBE, SIM_PIPE_FIXPIPE, half);
      if (parts > 1)
        sim_prog_mark_part (g->p, c, SIM_PIPE_FIXPIPE); /* a unit flag, not an instruction */
      sim_prog_dma_ex (g->p, c, SIM_PIPE_FIXPIPE, SIM_MEM_L0C, SIM_MEM_GM, b1 - b0, tag, atomic,
                       u > 0 ? SIM_DMA_STREAMED : 0, name);
    }
  hs_release (g, c, &HS_L0C, half, tile, "L0C tile");
  run_store (e, key, sim_prog_record (c, &mark));
}

/* ---------- Cube stages ---------- */

static inline void
tag_put (guint64 *tags, guint *n, guint64 tag)
{
  if (*n < STAGE_MAX_TAGS)
    tags[*n] = tag;
  (*n)++;
}

/* The GM tiles emit_c1 moves (tiled), in program order: it must follow emit_c1's loops
 * (stage_end checks it against every recording). */
static guint
c1_tags (const Gen *g, int aic, const Item *it, const Task *t, guint64 s_tag, guint64 *tags)
{
  guint n = 0;
  int M = t->rows, mt = (M + 127) / 128, nt = (it->n_tok + 127) / 128;
  int tok0 = it->blk * g->cfg->block;
  for (int nb = 0; nb < nt; nb++)
    for (int h = 0; h < 2; h++)
      {
        tag_put (tags, &n, tag_kv (g, aic, t->b, tok0 + nb * 128, h));
        tag_put (tags, &n, tag_krope (g, aic, t->b, tok0 + nb * 128, h));
        for (int m = 0; m < mt; m++)
          {
            if (nb == 0 && h == 0)
              {
                tag_put (tags, &n, tag_q (g, aic, t, m, 0));
                tag_put (tags, &n, tag_q (g, aic, t, m, 2));
              }
            else if (nb == 0)
              tag_put (tags, &n, tag_q (g, aic, t, m, 1));
            if (h == 1)
              for (int u = 0, parts = unit_parts (g, MIN (128, M - m * 128)); u < parts; u++)
                tag_put (tags, &n, s_tag);
          }
      }
  return n;
}

/* The GM tiles emit_c2 moves (tiled), in program order, as c1_tags. */
static guint
c2_tags (const Gen *g, int aic, const Item *it, const Task *t, guint64 p_tag, guint64 o_tag,
         guint64 *tags)
{
  guint n = 0;
  int M = t->rows, mt = (M + 127) / 128;
  int kc = (it->n_tok + C2_L1_K - 1) / C2_L1_K;
  int tok0 = it->blk * g->cfg->block;
  for (int nb = 0; nb < HEAD_DIM_V / 128; nb++)
    for (int ch = 0; ch < kc; ch++)
      {
        int kk = MIN (C2_L1_K, it->n_tok - ch * C2_L1_K);
        for (int s0 = 0; s0 < kk; s0 += 128)
          tag_put (tags, &n, tag_kv (g, aic, t->b, tok0 + ch * C2_L1_K + s0, nb * 128 >= 256));
        for (int m = 0; m < mt; m++)
          {
            if (nb == 0)
              tag_put (tags, &n, p_tag);
            if (ch == kc - 1)
              for (int u = 0, parts = unit_parts (g, MIN (128, M - m * 128)); u < parts; u++)
                tag_put (tags, &n, o_tag);
          }
      }
  return n;
}

static const Task *
item_task (const Gen *g, int aic, const Item *it)
{
  return &g_array_index (g->plan[aic].tasks, Task, it->task);
}

static int
ws_slot (const Gen *g, int item_index)
{
  return g->cfg->preload ? item_index % 2 : 0;
}

/* C1: S = Q·Kᵀ for one KV block, FP32 to the S workspace. */
static void
emit_c1 (Gen *g, int aic, int ii)
{
  SimProgram *p = g->p;
  SimCore *c = sim_program_aic (p, aic);
  const Item *it = &g_array_index (g->plan[aic].items, Item, ii);
  const Task *t = item_task (g, aic, it);
  sim_prog_context (p, c, SIM_STAGE_C1, t->unit, it->blk);
  int M = t->rows, mt = (M + 127) / 128, nt = (it->n_tok + 127) / 128;
  int tok0 = it->blk * g->cfg->block;
  guint64 s_tag = tag_ws (g, aic, GM_S_WS, ws_slot (g, ii));
  /* tiled, one run per shape and ring phases (stage_begin) */
  StageRun sr;
  guint64 tags[STAGE_MAX_TAGS];
  guint n_tags = 0;
  if (g->cfg->tiling)
    {
      n_tags = c1_tags (g, aic, it, t, s_tag, tags);
      guint64 key[RUN_KEY] = { (guint64) M | (guint64) it->n_tok << 16, RUN_C1 };
      if (stage_begin (g, c, &sr, key, tags, n_tags))
        return;
    }

  if (g->cfg->tiling)
    {
      /* CANN's ComputeMm1 loop nest: n (128-token sub-blocks) -> k (two 288-column L1 chunks) ->
       * m (128-row tiles).  One K slot per (n, k); Q is loaded lazily on the first n, and C1
       * waits for both Q slots of a row tile before its first Q load.  The L0C tile (m, n)
       * accumulates over both k chunks and is drained after the second. */
      Slot q[2][2];
      int l0c[2] = { 0, 0 };
      for (int n = 0; n < nt; n++)
        {
          int nn = MIN (128, it->n_tok - n * 128);
          for (int h = 0; h < 2; h++)
            {
              Slot k = l1_acquire (g, c, TRUE, (guint32) nn * HALF_K * 2, "K block");
              /* the 256 latent columns of this half and 32 of the 64 rope columns */
              sim_prog_dma (p, c, SIM_PIPE_MTE2, SIM_MEM_GM, SIM_MEM_L1, (guint32) nn * 256 * 2,
                            tag_kv (g, aic, t->b, tok0 + n * 128, h), SIM_ATOMIC_NONE,
                            "MOV GM->L1 K");
              sim_prog_dma (p, c, SIM_PIPE_MTE2, SIM_MEM_GM, SIM_MEM_L1, (guint32) nn * 32 * 2,
                            tag_krope (g, aic, t->b, tok0 + n * 128, h), SIM_ATOMIC_NONE,
                            "MOV GM->L1 K rope");
              l1_ready (g, c, k);
              l1_first_use (g, c, k);
              for (int m = 0; m < mt; m++)
                {
                  int mm = MIN (128, M - m * 128);
                  if (n == 0)
                    {
                      if (h == 0)
                        {
                          for (int hh = 0; hh < 2; hh++)
                            q[m][hh] = l1_acquire_qp (g, c, m, hh, (guint32) mm * HALF_K * 2,
                                                      "Q block");
                          sim_prog_dma (p, c, SIM_PIPE_MTE2, SIM_MEM_GM, SIM_MEM_L1,
                                        (guint32) mm * 256 * 2, tag_q (g, aic, t, m, 0),
                                        SIM_ATOMIC_NONE, "MOV GM->L1 Q");
                          sim_prog_dma (p, c, SIM_PIPE_MTE2, SIM_MEM_GM, SIM_MEM_L1,
                                        (guint32) mm * 64 * 2, tag_q (g, aic, t, m, 2),
                                        SIM_ATOMIC_NONE, "MOV GM->L1 Q rope");
                        }
                      else
                        sim_prog_dma (p, c, SIM_PIPE_MTE2, SIM_MEM_GM, SIM_MEM_L1,
                                      (guint32) mm * 256 * 2, tag_q (g, aic, t, m, 1),
                                      SIM_ATOMIC_NONE, "MOV GM->L1 Q");
                      l1_ready (g, c, q[m][h]);
                      l1_first_use (g, c, q[m][h]);
                    }
                  guint32 tile = (guint32) mm * nn * 4;
                  if (h == 0)
                    l0c[m] = l0c_begin (g, c, tile);
                  l0_steps (g, c, mm, nn, HALF_K, C1_L0_K, "LOAD L1->L0A Q", "LOAD L1->L0B K",
                            "MMAD QK^T", h == 1 ? l0c[m] : -1);
                  if (n == nt - 1)
                    l1_release (g, c, q[m][h], "Q block");
                  if (h == 1)
                    l0c_drain (g, c, l0c[m], mm, tile, s_tag, SIM_ATOMIC_NONE, "FIX L0C->GM S");
                }
              l1_release (g, c, k, "K block");
            }
        }
      cg (g, c)->qp_iter += mt;
    }
  else
    {
      /* no hierarchy: per output tile load the whole Q rows and K rows, multiply, write back */
      for (int m = 0; m < mt; m++)
        for (int n = 0; n < nt; n++)
          {
            int mm = MIN (128, M - m * 128), nn = MIN (128, it->n_tok - n * 128);
            Slot q = l1_acquire (g, c, FALSE, (guint32) mm * HEAD_DIM_QK * 2, "Q rows");
            for (int h = 0; h < 2; h++)
              sim_prog_dma (p, c, SIM_PIPE_MTE2, SIM_MEM_GM, SIM_MEM_L1, (guint32) mm * HALF_K * 2,
                            tag_q (g, aic, t, m, h), SIM_ATOMIC_NONE, "MOV GM->L1 Q");
            l1_ready (g, c, q);
            Slot k = l1_acquire (g, c, TRUE, (guint32) nn * HEAD_DIM_QK * 2, "K rows");
            for (int h = 0; h < 2; h++)
              sim_prog_dma (p, c, SIM_PIPE_MTE2, SIM_MEM_GM, SIM_MEM_L1, (guint32) nn * HALF_K * 2,
                            tag_kv (g, aic, t->b, tok0 + n * 128, h), SIM_ATOMIC_NONE,
                            "MOV GM->L1 K");
            l1_ready (g, c, k);
            guint32 tile = (guint32) mm * nn * 4;
            int h0 = l0c_begin (g, c, tile);
            l1_first_use (g, c, q);
            l1_first_use (g, c, k);
            l0_steps (g, c, mm, nn, HEAD_DIM_QK, 256, "LOAD L1->L0A Q", "LOAD L1->L0B K",
                      "MMAD QK^T", -1);
            l1_release (g, c, q, "Q rows");
            l1_release (g, c, k, "K rows");
            hs_hand_over (g, c, &HS_L0C, h0);
            sim_prog_dma (p, c, SIM_PIPE_FIXPIPE, SIM_MEM_L0C, SIM_MEM_GM, tile, s_tag,
                          SIM_ATOMIC_NONE, "FIX L0C->GM S");
            hs_release (g, c, &HS_L0C, h0, tile, "L0C tile");
          }
    }
  sim_prog_cross_set (p, c, SIM_PIPE_FIXPIPE, XF_C1V1, "CrossCoreSetFlag C1->V1 (S ready)");
  if (g->cfg->tiling)
    stage_end (g, c, &sr, tags, n_tags);
}

/* Before the first write-back of a C2: the gates that protect O in GM. */
static void
c2_writeback_gates (Gen *g, SimCore *c, const Item *it)
{
  SimProgram *p = g->p;
  if (g->cfg->rescale == AMLA_RESCALE_AMLA)
    {
      if (it->first)
        sim_prog_cross_wait (p, c, SIM_PIPE_FIXPIPE, XF_O_FREE,
                             "CrossCoreWaitFlag V2->C2 (O slot free)");
      sim_prog_cross_wait (p, c, SIM_PIPE_FIXPIPE, XF_V1_NUPDATE_C2,
                           "CrossCoreWaitFlag V1->C2 (O rescaled)");
    }
  else
    sim_prog_cross_wait (p, c, SIM_PIPE_FIXPIPE, XF_O_FREE,
                         "CrossCoreWaitFlag V2->C2 (O_tmp free)");
}

/* C2: O += P·V for one KV block.  AMLA: FixPipe FP32 atomic add into O (plain store on the
 * task's first block).  mul: plain store of the block's P·V into O_tmp for V2 to fold in. */
static void
emit_c2 (Gen *g, int aic, int ii)
{
  SimProgram *p = g->p;
  SimCore *c = sim_program_aic (p, aic);
  const Item *it = &g_array_index (g->plan[aic].items, Item, ii);
  const Task *t = item_task (g, aic, it);
  sim_prog_context (p, c, SIM_STAGE_C2, t->unit, it->blk);
  gboolean amla = g->cfg->rescale == AMLA_RESCALE_AMLA;
  int M = t->rows, mt = (M + 127) / 128;
  int kc = (it->n_tok + C2_L1_K - 1) / C2_L1_K;
  int tok0 = it->blk * g->cfg->block;
  guint64 p_tag = tag_ws (g, aic, GM_P_WS, ws_slot (g, ii));
  int task_index = it->task;
  guint64 o_tag = amla ? tag_ws (g, aic, GM_O_WS, task_index % 2)
                       : tag_ws (g, aic, GM_OTMP_WS, ii % 2);
  SimAtomic atomic = amla && !it->first ? SIM_ATOMIC_FP32 : SIM_ATOMIC_NONE;
  const char *fix_name = atomic ? "FIX L0C->GM O (atomic add)" : (amla ? "FIX L0C->GM O"
                                                                       : "FIX L0C->GM O_tmp");
  gboolean gated = FALSE;
  /* tiled, one run per shape and ring phases (stage_begin) */
  StageRun sr;
  guint64 tags[STAGE_MAX_TAGS];
  guint n_tags = 0;
  if (g->cfg->tiling)
    {
      n_tags = c2_tags (g, aic, it, t, p_tag, o_tag, tags);
      guint64 key[RUN_KEY] = { (guint64) M | (guint64) it->n_tok << 16 | (guint64) it->first << 32
                                   | (guint64) it->last << 33 | (guint64) amla << 34,
                               RUN_C2 };
      if (stage_begin (g, c, &sr, key, tags, n_tags))
        return;
    }

  sim_prog_cross_wait (p, c, SIM_PIPE_MTE2, XF_V1C2, "CrossCoreWaitFlag V1->C2 (P ready)");
  if (g->cfg->tiling)
    {
      /* CANN's ComputeMm2 loop nest: n (128 output columns) -> k (256-token L1 chunks) -> m.
       * One V slot per (n, k), filled by one DataCopy per 128 tokens; P is loaded lazily on the
       * first n, one slot per (m, k).  The first write-back waits for the gates on O. */
      Slot pb[2][2];
      int l0c[2] = { 0, 0 };
      for (int n = 0; n < HEAD_DIM_V / 128; n++)
        for (int ch = 0; ch < kc; ch++)
          {
            int kk = MIN (C2_L1_K, it->n_tok - ch * C2_L1_K);
            Slot vb = l1_acquire (g, c, TRUE, (guint32) kk * 128 * 2, "V block");
            for (int s0 = 0; s0 < kk; s0 += 128)
              sim_prog_dma (p, c, SIM_PIPE_MTE2, SIM_MEM_GM, SIM_MEM_L1,
                            (guint32) MIN (128, kk - s0) * 128 * 2,
                            tag_kv (g, aic, t->b, tok0 + ch * C2_L1_K + s0, n * 128 >= 256),
                            SIM_ATOMIC_NONE, "MOV GM->L1 V");
            l1_ready (g, c, vb);
            l1_first_use (g, c, vb);
            for (int m = 0; m < mt; m++)
              {
                int mm = MIN (128, M - m * 128);
                if (n == 0)
                  {
                    pb[m][ch] = l1_acquire_qp (g, c, m, ch, (guint32) mm * kk * 2, "P block");
                    sim_prog_dma (p, c, SIM_PIPE_MTE2, SIM_MEM_GM, SIM_MEM_L1, (guint32) mm * kk * 2,
                                  p_tag, SIM_ATOMIC_NONE, "MOV GM->L1 P");
                    l1_ready (g, c, pb[m][ch]);
                    l1_first_use (g, c, pb[m][ch]);
                  }
                guint32 tile = (guint32) mm * 128 * 4;
                if (ch == 0)
                  l0c[m] = l0c_begin (g, c, tile);
                l0_steps (g, c, mm, 128, kk, C2_L0_K, "LOAD L1->L0A P", "LOAD L1->L0B V", "MMAD PV",
                          ch == kc - 1 ? l0c[m] : -1);
                if (n == HEAD_DIM_V / 128 - 1)
                  l1_release (g, c, pb[m][ch], "P block");
                if (ch == kc - 1)
                  {
                    if (!gated)
                      {
                        c2_writeback_gates (g, c, it);
                        gated = TRUE;
                      }
                    l0c_drain (g, c, l0c[m], mm, tile, o_tag, atomic, fix_name);
                  }
              }
            l1_release (g, c, vb, "V block");
          }
      cg (g, c)->qp_iter += mt;
    }
  else
    {
      for (int m = 0; m < mt; m++)
        for (int n = 0; n < HEAD_DIM_V / 128; n++)
          {
            int mm = MIN (128, M - m * 128);
            Slot pr = l1_acquire (g, c, FALSE, (guint32) mm * it->n_tok * 2, "P rows");
            sim_prog_dma (p, c, SIM_PIPE_MTE2, SIM_MEM_GM, SIM_MEM_L1, (guint32) mm * it->n_tok * 2,
                          p_tag, SIM_ATOMIC_NONE, "MOV GM->L1 P");
            l1_ready (g, c, pr);
            Slot vr = l1_acquire (g, c, TRUE, (guint32) it->n_tok * 128 * 2, "V columns");
            for (int s = 0; s < it->n_tok; s += C2_L1_K)
              sim_prog_dma (p, c, SIM_PIPE_MTE2, SIM_MEM_GM, SIM_MEM_L1,
                            (guint32) MIN (C2_L1_K, it->n_tok - s) * 128 * 2,
                            tag_kv (g, aic, t->b, tok0 + s, n * 128 >= 256), SIM_ATOMIC_NONE,
                            "MOV GM->L1 V");
            l1_ready (g, c, vr);
            guint32 tile = (guint32) mm * 128 * 4;
            int h0 = l0c_begin (g, c, tile);
            l1_first_use (g, c, pr);
            l1_first_use (g, c, vr);
            l0_steps (g, c, mm, 128, it->n_tok, 256, "LOAD L1->L0A P", "LOAD L1->L0B V", "MMAD PV",
                      -1);
            l1_release (g, c, pr, "P rows");
            l1_release (g, c, vr, "V columns");
            hs_hand_over (g, c, &HS_L0C, h0);
            if (!gated)
              {
                c2_writeback_gates (g, c, it);
                gated = TRUE;
              }
            sim_prog_dma (p, c, SIM_PIPE_FIXPIPE, SIM_MEM_L0C, SIM_MEM_GM, tile, o_tag, atomic,
                          fix_name);
            hs_release (g, c, &HS_L0C, h0, tile, "L0C tile");
          }
    }
  if (amla)
    {
      sim_prog_cross_set (p, c, SIM_PIPE_FIXPIPE, XF_C2V1, "CrossCoreSetFlag C2->V1 (PV added)");
      if (it->last)
        sim_prog_cross_set (p, c, SIM_PIPE_FIXPIPE, XF_C2V2, "CrossCoreSetFlag C2->V2 (O final)");
    }
  else
    sim_prog_cross_set (p, c, SIM_PIPE_FIXPIPE, XF_C2V2, "CrossCoreSetFlag C2->V2 (O_tmp ready)");
  if (g->cfg->tiling)
    stage_end (g, c, &sr, tags, n_tags);
}

/* ---------- Vector stages ---------- */

/* rows of this AIV within a task: the two AIVs split the task rows */
static void
aiv_rows (const Task *t, int sub, int *r0, int *nr)
{
  int half = (t->rows + 1) / 2;
  *r0 = sub == 0 ? 0 : half;
  *nr = sub == 0 ? half : t->rows - half;
}

static int
ub_in_begin (Gen *g, SimCore *v, guint32 bytes, const char *what)
{
  int pp = cg (g, v)->ub_in_next++ % 2;
  hs_acquire (g, v, &HS_UB_IN, pp, bytes, what);
  return pp;
}

static int
ub_out_begin (Gen *g, SimCore *v, guint32 bytes, const char *what)
{
  int pp = cg (g, v)->ub_out_next++ % 2;
  hs_acquire (g, v, &HS_UB_OUT, pp, bytes, what);
  return pp;
}

static void
ub_out_store (Gen *g, SimCore *v, int pp, guint32 bytes, guint64 tag, SimAtomic atomic,
              const char *name, const char *what)
{
  hs_hand_over (g, v, &HS_UB_OUT, pp);
  sim_prog_dma (g->p, v, SIM_PIPE_MTE3, SIM_MEM_UB, SIM_MEM_GM, bytes, tag, atomic, name);
  hs_release (g, v, &HS_UB_OUT, pp, bytes, what);
}

/* cost of a 3-level block reduction over `bytes` of FP32: 1 cycle/repeat, 1/8 each level */
static double
reduce_cycles (const Gen *g, double bytes)
{
  double rep = ceil (bytes / g->hw->vector_repeat_bytes);
  return rep + ceil (rep / 8) + ceil (rep / 64);
}

/* V1: online softmax of one block → P (BF16) in GM; AMLA: int32 atomic exponent update of O. */
static void
emit_v1 (Gen *g, int aic, int sub, int ii)
{
  SimProgram *p = g->p;
  SimCore *v = sim_program_aiv (p, aic, sub);
  const Item *it = &g_array_index (g->plan[aic].items, Item, ii);
  const Task *t = item_task (g, aic, it);
  sim_prog_context (p, v, SIM_STAGE_V1, t->unit, it->blk);
  gboolean amla = g->cfg->rescale == AMLA_RESCALE_AMLA;
  int r0, nr;
  aiv_rows (t, sub, &r0, &nr);
  guint64 s_tag = tag_ws (g, aic, GM_S_WS, ws_slot (g, ii));
  guint64 p_tag = tag_ws (g, aic, GM_P_WS, ws_slot (g, ii));
  guint64 o_tag = tag_ws (g, aic, GM_O_WS, it->task % 2);

  /* one run per shape and ring phases (stage_begin); its GM tiles, in program order: per slice
   * S in and P out, then the exponent updates of O */
  StageRun sr;
  guint64 tags[STAGE_MAX_TAGS];
  guint n_tags = 0;
  for (int r = 0; r < nr; r += UB_SLICE_ROWS)
    {
      tag_put (tags, &n_tags, s_tag);
      tag_put (tags, &n_tags, p_tag);
    }
  if (amla && !it->first && nr > 0)
    for (int q = 0; q < HEAD_DIM_V / 128; q++)
      tag_put (tags, &n_tags, o_tag);
  guint64 key[RUN_KEY] = { (guint64) nr | (guint64) it->n_tok << 16 | (guint64) it->first << 32
                               | (guint64) amla << 33,
                           RUN_V1 };
  if (stage_begin (g, v, &sr, key, tags, n_tags))
    return;
  sim_prog_cross_wait (p, v, SIM_PIPE_MTE2, XF_C1V1, "CrossCoreWaitFlag C1->V1 (S ready)");
  for (int r = 0; r < nr; r += UB_SLICE_ROWS)
    {
      int rows = MIN (UB_SLICE_ROWS, nr - r);
      guint32 s_bytes = (guint32) rows * it->n_tok * 4, p_bytes = (guint32) rows * it->n_tok * 2;
      int pp = ub_in_begin (g, v, s_bytes, "S slice");
      sim_prog_dma (p, v, SIM_PIPE_MTE2, SIM_MEM_GM, SIM_MEM_UB, s_bytes, s_tag, SIM_ATOMIC_NONE,
                    "MOV GM->UB S");
      hs_hand_over (g, v, &HS_UB_IN, pp);
      sim_prog_vector (p, v, 1, s_bytes, "Muls scale");
      sim_prog_vector_cycles (p, v, reduce_cycles (g, s_bytes), "BlockReduceMax");
      /* running max, n = round(-m/ln2), residual exp: row vectors of `rows` elements */
      sim_prog_vector_cycles (p, v, 6 * g->hw->vector_min_cycles,
                              amla ? "row max, n_i, c_i=exp(m+n ln2)" : "row max, exp(m_old-m)");
      sim_prog_vector (p, v, 2, s_bytes, "Sub m (Brcb)");
      sim_prog_vector (p, v, 2, s_bytes, "Exp");
      sim_prog_vector_cycles (p, v, reduce_cycles (g, s_bytes), "BlockReduceSum");
      if (amla)
        sim_prog_vector (p, v, 2, s_bytes, "Mul c_hat (fold residual)");
      int po = ub_out_begin (g, v, p_bytes, "P slice");
      sim_prog_vector (p, v, 1, s_bytes, "Cast FP32->BF16");
      hs_release (g, v, &HS_UB_IN, pp, s_bytes, "S slice");
      ub_out_store (g, v, po, p_bytes, p_tag, SIM_ATOMIC_NONE, "MOV UB->GM P", "P slice");
    }
  sim_prog_cross_set (p, v, SIM_PIPE_MTE3, XF_V1C2, "CrossCoreSetFlag V1->C2 (P ready)");
  if (amla)
    {
      /* N_i = round((max(dn,-30) + 1.5(cof_{i-1}/cof_i - 1)) * 2^23), broadcast per row */
      guint32 brcb_bytes = (guint32) MAX (nr, 1) * 128 * 4;
      sim_prog_wait_flag (p, v, SIM_PIPE_MTE3, SIM_PIPE_VECTOR, EV_BRCB);
      sim_prog_alloc (p, v, SIM_PIPE_VECTOR, SIM_MEM_UB, brcb_bytes, "N broadcast");
      sim_prog_vector_cycles (p, v, 4 * g->hw->vector_min_cycles, "N_i = (dn + eps) * 2^23");
      sim_prog_vector (p, v, 1, brcb_bytes, "Brcb N");
      sim_prog_set_flag (p, v, SIM_PIPE_VECTOR, SIM_PIPE_MTE3, EV_BRCB);
      sim_prog_wait_flag (p, v, SIM_PIPE_VECTOR, SIM_PIPE_MTE3, EV_BRCB);
      sim_prog_cross_wait (p, v, SIM_PIPE_MTE3, XF_C2V1, "CrossCoreWaitFlag C2->V1 (PV added)");
      if (!it->first && nr > 0)
        for (int q = 0; q < HEAD_DIM_V / 128; q++)
          sim_prog_dma (p, v, SIM_PIPE_MTE3, SIM_MEM_UB, SIM_MEM_GM, (guint32) nr * 128 * 4, o_tag,
                        SIM_ATOMIC_INT32, "MOV UB->GM O += N (int32 atomic)");
      sim_prog_free (p, v, SIM_PIPE_MTE3, SIM_MEM_UB, brcb_bytes, "N broadcast");
      sim_prog_set_flag (p, v, SIM_PIPE_MTE3, SIM_PIPE_VECTOR, EV_BRCB);
      sim_prog_cross_set (p, v, SIM_PIPE_MTE3, XF_V1_NUPDATE_C2,
                          "CrossCoreSetFlag V1->C2 (O rescaled)");
    }
  stage_end (g, v, &sr, tags, n_tags);
}

/* V2.  AMLA: after the task's last block, O / (l·c_hat), cast, write (or FP32 partials for a
 * split task).  mul: every block, O = O·exp(m_old − m_new) + O_tmp through UB. */
static void
emit_v2 (Gen *g, int aic, int sub, int ii)
{
  SimProgram *p = g->p;
  SimCore *v = sim_program_aiv (p, aic, sub);
  const Item *it = &g_array_index (g->plan[aic].items, Item, ii);
  const Task *t = item_task (g, aic, it);
  gboolean amla = g->cfg->rescale == AMLA_RESCALE_AMLA;
  if (amla && !it->last)
    return;
  sim_prog_context (p, v, SIM_STAGE_V2, t->unit, it->blk);
  int r0, nr;
  aiv_rows (t, sub, &r0, &nr);
  guint64 out_tag = t->split ? tag_part (g, aic, t, t->part) : tag_out (g, aic, t);
  guint64 o_tag = tag_ws (g, aic, GM_O_WS, it->task % 2);
  guint64 tmp_tag = tag_ws (g, aic, GM_OTMP_WS, ii % 2);
  /* one run per shape and ring phases (stage_begin); its GM tiles, in program order, per slice:
   * AMLA O in and out; mul O_tmp in, O in (but on the first block), O or out */
  StageRun sr;
  guint64 tags[STAGE_MAX_TAGS];
  guint n_tags = 0;
  for (int r = 0; r < nr; r += amla ? UB_SLICE_ROWS : UB_SLICE_ROWS / 2)
    {
      tag_put (tags, &n_tags, amla ? o_tag : tmp_tag);
      if (!amla && !it->first)
        tag_put (tags, &n_tags, o_tag);
      tag_put (tags, &n_tags, amla || it->last ? out_tag : o_tag);
    }
  guint64 key[RUN_KEY] = { (guint64) nr | (guint64) it->first << 16 | (guint64) it->last << 17
                               | (guint64) t->split << 18 | (guint64) amla << 19,
                           RUN_V2 };
  if (stage_begin (g, v, &sr, key, tags, n_tags))
    return;
  sim_prog_cross_wait (p, v, SIM_PIPE_MTE2, XF_C2V2,
                       amla ? "CrossCoreWaitFlag C2->V2 (O final)"
                            : "CrossCoreWaitFlag C2->V2 (O_tmp ready)");
  if (amla)
    {
      for (int r = 0; r < nr; r += UB_SLICE_ROWS)
        {
          int rows = MIN (UB_SLICE_ROWS, nr - r);
          guint32 o_bytes = (guint32) rows * HEAD_DIM_V * 4;
          guint32 out_bytes = t->split ? o_bytes : (guint32) rows * HEAD_DIM_V * 2;
          int pp = ub_in_begin (g, v, o_bytes, "O slice");
          sim_prog_dma (p, v, SIM_PIPE_MTE2, SIM_MEM_GM, SIM_MEM_UB, o_bytes, o_tag,
                        SIM_ATOMIC_NONE, "MOV GM->UB O");
          hs_hand_over (g, v, &HS_UB_IN, pp);
          sim_prog_vector (p, v, 4, o_bytes, "Abs/Compare/Select (zero |O|>1e10)");
          int po = ub_out_begin (g, v, out_bytes, "out slice");
          sim_prog_vector (p, v, 4, o_bytes, "Div l*c_hat (Brcb)");
          if (!t->split)
            sim_prog_vector (p, v, 1, o_bytes, "Cast FP32->BF16");
          hs_release (g, v, &HS_UB_IN, pp, o_bytes, "O slice");
          ub_out_store (g, v, po, out_bytes, out_tag, SIM_ATOMIC_NONE,
                        t->split ? "MOV UB->GM O partial" : "MOV UB->GM out", "out slice");
        }
    }
  else
    {
      guint64 acc_tag = o_tag;
      for (int r = 0; r < nr; r += UB_SLICE_ROWS / 2)
        {
          int rows = MIN (UB_SLICE_ROWS / 2, nr - r);
          guint32 o_bytes = (guint32) rows * HEAD_DIM_V * 4;
          gboolean final = it->last && !t->split;
          guint64 dst_tag = it->last ? out_tag : acc_tag;
          guint32 out_bytes = final ? (guint32) rows * HEAD_DIM_V * 2 : o_bytes;
          guint32 in_bytes = it->first ? o_bytes : 2 * o_bytes;
          int pp = ub_in_begin (g, v, in_bytes, "O_tmp + O slices");
          sim_prog_dma (p, v, SIM_PIPE_MTE2, SIM_MEM_GM, SIM_MEM_UB, o_bytes, tmp_tag,
                        SIM_ATOMIC_NONE, "MOV GM->UB O_tmp");
          if (!it->first)
            sim_prog_dma (p, v, SIM_PIPE_MTE2, SIM_MEM_GM, SIM_MEM_UB, o_bytes, acc_tag,
                          SIM_ATOMIC_NONE, "MOV GM->UB O");
          hs_hand_over (g, v, &HS_UB_IN, pp);
          int po = ub_out_begin (g, v, out_bytes, "O slice out");
          if (!it->first)
            {
              sim_prog_vector (p, v, 2, o_bytes, "Mul exp(m_old-m) (Brcb)");
              sim_prog_vector (p, v, 2, o_bytes, "Add O_tmp");
            }
          if (final)
            {
              sim_prog_vector (p, v, 4, o_bytes, "Div l (Brcb)");
              sim_prog_vector (p, v, 1, o_bytes, "Cast FP32->BF16");
            }
          hs_release (g, v, &HS_UB_IN, pp, in_bytes, "O_tmp + O slices");
          ub_out_store (g, v, po, out_bytes, dst_tag, SIM_ATOMIC_NONE,
                        final ? "MOV UB->GM out"
                              : (it->last ? "MOV UB->GM O partial" : "MOV UB->GM O"),
                        "O slice out");
        }
    }
  /* O (AMLA) / O_tmp (mul) has been read: C2 may overwrite it */
  sim_prog_cross_set (p, v, SIM_PIPE_MTE2, XF_O_FREE, "CrossCoreSetFlag V2->C2 (O free)");
  stage_end (g, v, &sr, tags, n_tags);
}

/* Combine the partial results of a unit split over several cores (flash-decoding). */
static void
emit_combine (Gen *g, int aic, int sub, const Task *t)
{
  SimProgram *p = g->p;
  SimCore *v = sim_program_aiv (p, aic, sub);
  sim_prog_context (p, v, SIM_STAGE_COMBINE, t->unit, -1);
  int r0, nr;
  aiv_rows (t, sub, &r0, &nr);
  for (int r = 0; r < nr; r += UB_SLICE_ROWS / 2)
    {
      int rows = MIN (UB_SLICE_ROWS / 2, nr - r);
      guint32 o_bytes = (guint32) rows * HEAD_DIM_V * 4;
      int po = ub_out_begin (g, v, (guint32) rows * HEAD_DIM_V * 2, "out slice");
      for (int k = 0; k < t->n_parts; k++)
        {
          int pp = ub_in_begin (g, v, o_bytes, "partial slice");
          sim_prog_dma (p, v, SIM_PIPE_MTE2, SIM_MEM_GM, SIM_MEM_UB, o_bytes + rows * 8,
                        tag_part (g, aic, t, k), SIM_ATOMIC_NONE,
                        "MOV GM->UB O partial + (m, l)");
          hs_hand_over (g, v, &HS_UB_IN, pp);
          sim_prog_vector (p, v, 4, o_bytes, "Mul exp(m_k-m) + Add");
          hs_release (g, v, &HS_UB_IN, pp, o_bytes, "partial slice");
        }
      sim_prog_vector (p, v, 4, o_bytes, "Div l");
      sim_prog_vector (p, v, 1, o_bytes, "Cast FP32->BF16");
      ub_out_store (g, v, po, (guint32) rows * HEAD_DIM_V * 2, tag_out (g, aic, t),
                    SIM_ATOMIC_NONE, "MOV UB->GM out", "out slice");
    }
}

/* ---------- whole program ---------- */

/* MTE2 tells the Scalar lane when an item's work starts, so the issue cost is drawn there */
static void
mark_item_start (Gen *g, SimCore *c)
{
  if (g->hw->scalar_issue_cycles > 0)
    sim_prog_set_flag (g->p, c, SIM_PIPE_MTE2, SIM_PIPE_SCALAR, 0);
}

/* The instructions written on a core: one order entry each (SimCore.order), on any pipe. */
static guint64
core_count (const SimCore *c)
{
  return c->n_order;
}

static void
emit_scalar_item (Gen *g, SimCore *c, SimStage stage, const Task *t, int blk, guint64 before)
{
  double cycles = (double) (core_count (c) - before) * g->hw->scalar_issue_cycles;
  if (g->hw->scalar_issue_cycles <= 0)
    return;
  sim_prog_context (g->p, c, stage, t->unit, blk);
  sim_prog_wait_flag (g->p, c, SIM_PIPE_MTE2, SIM_PIPE_SCALAR, 0);
  sim_prog_scalar (g->p, c, MAX (cycles, 1), "issue + address calc");
}

/* An AIC's program in pieces (a streamed program writes one at a time): piece 0 the credits,
 * then one per turn of the item loop. */
static int
aic_pieces (const Gen *g, int aic)
{
  int L = (int) g->plan[aic].items->len;
  return 1 + (g->cfg->preload ? L + 1 : L);
}

static void
emit_aic_piece (Gen *g, int aic, int piece)
{
  SimProgram *p = g->p;
  SimCore *c = sim_program_aic (p, aic);
  CorePlan *cp = &g->plan[aic];
  int L = (int) cp->items->len;
  if (piece == 0)
    {
      sim_prog_context (p, c, SIM_STAGE_SYNC, -1, -1);
      /* credits: every L1 slot, L0 half and L0C half starts free */
      SimPipe releaser = g->cfg->tiling ? SIM_PIPE_MTE1 : SIM_PIPE_CUBE;
      if (g->cfg->tiling)
        {
          for (int s = 0; s < KV_SLOTS; s++)
            sim_prog_set_flag (p, c, releaser, SIM_PIPE_MTE2, EV_KV_BASE + s);
          for (int s = 0; s < QP_SLOTS; s++)
            sim_prog_set_flag (p, c, releaser, SIM_PIPE_MTE2, EV_QP_BASE + s);
        }
      else
        {
          sim_prog_set_flag (p, c, releaser, SIM_PIPE_MTE2, EV_KV_BASE);
          sim_prog_set_flag (p, c, releaser, SIM_PIPE_MTE2, EV_QP_BASE);
        }
      for (int h = 0; h < (g->cfg->tiling ? 2 : 1); h++)
        {
          sim_prog_set_flag (p, c, SIM_PIPE_CUBE, SIM_PIPE_MTE1, h);
          sim_prog_set_flag (p, c, SIM_PIPE_FIXPIPE, SIM_PIPE_CUBE, h);
        }
      if (L > 0 && g->cfg->rescale == AMLA_RESCALE_AMLA)
        sim_prog_cross_set (p, c, SIM_PIPE_FIXPIPE, XF_C2V1, "CrossCoreSetFlag C2->V1 (credit)");
      return;
    }
  int i = piece - 1;
  /* preload: C1(i) then C2(i-1); without it C1(i) then C2(i) */
  int i1 = i < L ? i : -1, i2 = g->cfg->preload ? i - 1 : i;
  if (i1 >= 0)
    {
      guint64 before = core_count (c);
      mark_item_start (g, c);
      emit_c1 (g, aic, i1);
      const Item *it = &g_array_index (cp->items, Item, i1);
      emit_scalar_item (g, c, SIM_STAGE_C1, item_task (g, aic, it), it->blk, before);
    }
  if (i2 >= 0)
    {
      guint64 before = core_count (c);
      mark_item_start (g, c);
      emit_c2 (g, aic, i2);
      const Item *it = &g_array_index (cp->items, Item, i2);
      emit_scalar_item (g, c, SIM_STAGE_C2, item_task (g, aic, it), it->blk, before);
    }
}

static void
emit_aic (Gen *g, int aic)
{
  for (int k = 0, n = aic_pieces (g, aic); k < n; k++)
    emit_aic_piece (g, aic, k);
}

/* whether a die has a split task (its AIVs then combine after a SyncAll); asked once per die */
static gboolean
split_die (Gen *g, int die)
{
  if (g->split[die] < 0)
    {
      g->split[die] = 0;
      for (int a = die * g->hw->aic_per_die; a < (die + 1) * g->hw->aic_per_die; a++)
        for (guint i = 0; i < g->plan[a].tasks->len; i++)
          if (g_array_index (g->plan[a].tasks, Task, i).split)
            g->split[die] = 1;
    }
  return g->split[die] > 0;
}

/* An AIV's program in pieces: piece 0 the credits, one per turn of the item loop, then the
 * drain and the combine. */
static int
aiv_pieces (const Gen *g, int aic)
{
  int L = (int) g->plan[aic].items->len;
  return 2 + (g->cfg->preload ? L + 2 : L);
}

static void
emit_aiv_piece (Gen *g, int aic, int sub, int piece)
{
  SimProgram *p = g->p;
  SimCore *v = sim_program_aiv (p, aic, sub);
  CorePlan *cp = &g->plan[aic];
  int L = (int) cp->items->len;
  gboolean amla = g->cfg->rescale == AMLA_RESCALE_AMLA;
  if (piece == 0)
    {
      sim_prog_context (p, v, SIM_STAGE_SYNC, -1, -1);
      for (int pp = 0; pp < 2; pp++)
        {
          sim_prog_set_flag (p, v, SIM_PIPE_VECTOR, SIM_PIPE_MTE2, pp);
          sim_prog_set_flag (p, v, SIM_PIPE_MTE3, SIM_PIPE_VECTOR, pp);
        }
      sim_prog_set_flag (p, v, SIM_PIPE_MTE3, SIM_PIPE_VECTOR, EV_BRCB);
      if (L > 0)
        for (int k = 0; k < 2; k++)
          sim_prog_cross_set (p, v, SIM_PIPE_MTE3, XF_O_FREE, "CrossCoreSetFlag V2->C2 (credit)");
      return;
    }
  if (piece < aiv_pieces (g, aic) - 1)
    {
      int i = piece - 1;
      int i1 = g->cfg->preload ? i - 1 : i, i2 = g->cfg->preload ? i - 2 : i;
      if (i1 >= 0 && i1 < L)
        {
          guint64 before = core_count (v);
          mark_item_start (g, v);
          emit_v1 (g, aic, sub, i1);
          const Item *it = &g_array_index (cp->items, Item, i1);
          emit_scalar_item (g, v, SIM_STAGE_V1, item_task (g, aic, it), it->blk, before);
        }
      if (i2 >= 0 && i2 < L)
        {
          guint64 before = core_count (v);
          mark_item_start (g, v);
          emit_v2 (g, aic, sub, i2);
          const Item *it = &g_array_index (cp->items, Item, i2);
          emit_scalar_item (g, v, SIM_STAGE_V2, item_task (g, aic, it), it->blk, before);
        }
      return;
    }
  if (L > 0 && amla)
    {
      sim_prog_context (p, v, SIM_STAGE_SYNC, -1, -1);
      sim_prog_cross_wait (p, v, SIM_PIPE_MTE3, XF_C2V1, "CrossCoreWaitFlag C2->V1 (drain)");
    }
  int die = die_of_aic (g, aic);
  if (split_die (g, die))
    {
      sim_prog_context (p, v, SIM_STAGE_SYNC, -1, -1);
      sim_prog_barrier (p, v);
      sim_prog_sync_all (p, v, SIM_PIPE_MTE2, die);
      for (guint i = 0; i < cp->tasks->len; i++)
        {
          const Task *t = &g_array_index (cp->tasks, Task, i);
          if (t->split && t->part == 0)
            emit_combine (g, aic, sub, t);
        }
    }
}

static void
emit_aiv (Gen *g, int aic, int sub)
{
  for (int k = 0, n = aiv_pieces (g, aic); k < n; k++)
    emit_aiv_piece (g, aic, sub, k);
}

static gboolean
check_buffers (const Gen *g, GError **error)
{
  const SimHw *hw = g->hw;
  int M = amla_config_task_rows (g->cfg);
  guint64 l1_need = g->cfg->tiling
                        ? (guint64) (QP_SLOTS + KV_SLOTS) * L1_SLOT_BYTES
                        : (guint64) MIN (M, 128) * HEAD_DIM_QK * 2 + (guint64) 128 * HEAD_DIM_QK * 2;
  if (l1_need > hw->l1_bytes)
    {
      g_set_error (error, AMLA_ERROR, AMLA_ERROR_INVALID,
                   "L1 holds %" G_GUINT64_FORMAT " KiB; %s needs %" G_GUINT64_FORMAT " KiB",
                   hw->l1_bytes / 1024,
                   g->cfg->tiling ? "hierarchical tiling (4 Q/P + 3 K/V slots of 72 KiB)"
                                  : "untiled Q and K rows (128 x 576 BF16 each)",
                   l1_need / 1024);
      return FALSE;
    }
  guint64 l0_half = g->cfg->tiling ? 32 * 1024 : 64 * 1024;
  guint64 l0_need = g->cfg->tiling ? 2 * l0_half : l0_half;
  if (l0_need > hw->l0a_bytes || l0_need > hw->l0b_bytes)
    {
      g_set_error (error, AMLA_ERROR, AMLA_ERROR_INVALID,
                   "L0A/L0B hold %" G_GUINT64_FORMAT "/%" G_GUINT64_FORMAT
                   " KiB; the Cube tiles need %" G_GUINT64_FORMAT " KiB",
                   hw->l0a_bytes / 1024, hw->l0b_bytes / 1024, l0_need / 1024);
      return FALSE;
    }
  guint64 l0c_need = (guint64) (g->cfg->tiling ? 2 : 1) * 128 * 128 * 4;
  if (l0c_need > hw->l0c_bytes)
    {
      g_set_error (error, AMLA_ERROR, AMLA_ERROR_INVALID,
                   "L0C holds %" G_GUINT64_FORMAT " KiB; the output tiles need %" G_GUINT64_FORMAT
                   " KiB (128 x 128 FP32%s)",
                   hw->l0c_bytes / 1024, l0c_need / 1024, g->cfg->tiling ? ", ping-pong" : "");
      return FALSE;
    }
  /* UB: 2 input slices (32 KiB) + 2 output slices (16 KiB) + the N broadcast (rows x 128 int32) */
  guint64 ub_need = 2 * 32 * 1024 + 2 * 32 * 1024 + (guint64) ((M + 1) / 2) * 128 * 4;
  if (ub_need > hw->ub_bytes)
    {
      g_set_error (error, AMLA_ERROR, AMLA_ERROR_INVALID,
                   "UB holds %" G_GUINT64_FORMAT " KiB; V1/V2 need %" G_GUINT64_FORMAT " KiB",
                   hw->ub_bytes / 1024, ub_need / 1024);
      return FALSE;
    }
  return TRUE;
}

/* A generator with its program and (empty) plan; FALSE + error on a shape it cannot tile. */
static gboolean
gen_init (Gen *g, const AmlaConfig *cfg, const SimHw *hw, GError **error)
{
  memset (g, 0, sizeof *g);
  if (!amla_config_validate (cfg, error))
    return FALSE;
  int M = amla_config_task_rows (cfg);
  if (M > 256)
    {
      g_set_error (error, AMLA_ERROR, AMLA_ERROR_INVALID, "task rows must be at most 256, got %d",
                   M);
      return FALSE;
    }
  *g = (Gen){ .cfg = cfg, .hw = hw, .error = error };
  if (!check_buffers (g, error))
    return FALSE;
  g->p = sim_program_new (hw);
  sim_program_set_static_names (g->p); /* every name below is a literal */
  g->n_aic = g->p->n_aic;
  g->nb = (cfg->kv_len + cfg->block - 1) / cfg->block;
  g->groups = (cfg->heads * cfg->sq + M - 1) / M;
  g->plan = g_new0 (CorePlan, g->n_aic);
  for (int a = 0; a < g->n_aic; a++)
    {
      g->plan[a].tasks = g_array_new (FALSE, FALSE, sizeof (Task));
      g->plan[a].items = g_array_new (FALSE, FALSE, sizeof (Item));
    }
  G_STATIC_ASSERT (sizeof (CoreGen) == 64);
  g->core = g_new0 (CoreGen, g->p->n_cores);
  g->n_cores = g->p->n_cores;
  g->n_dies = MAX (hw->dies, 1);
  g->die_runs = g_new0 (struct RunCache *, g->n_dies);
  g->split = g_new (int, MAX (hw->dies, 1));
  for (int d = 0; d < MAX (hw->dies, 1); d++)
    g->split[d] = -1;
  return TRUE;
}

/* Frees the plan and the per-core state; returns the program (the caller's now). */
static SimProgram *
gen_clear (Gen *g)
{
  for (int a = 0; a < g->n_aic; a++)
    {
      g_array_unref (g->plan[a].tasks);
      g_array_unref (g->plan[a].items);
    }
  g_free (g->plan);
  for (int i = 0; g->core && i < g->n_cores; i++)
    run_cache_free (g->core[i].runs);
  for (int d = 0; g->die_runs && d < g->n_dies; d++)
    run_cache_free (g->die_runs[d]);
  g_free (g->die_runs);
  g_free (g->core);
  g_free (g->split);
  return g->p;
}

guint64
amla_default_memory_limit (void)
{
  return sim_default_memory_limit ();
}

/* Instructions per item, from a probe: the first blocks (two, or one) of a planned generator's
 * first task, alone on AIC 0.  Per item of the AIC's plan: all instructions of the AIC and its
 * AIVs, their timed ones, and the timed ones per pipe of the AIC and of one AIV.  FALSE when no AIC
 * has work. */
typedef struct
{
  double all, timed;
  double aic[SIM_N_PIPES], aiv[SIM_N_PIPES];
  double aic_all[SIM_N_PIPES], aiv_all[SIM_N_PIPES]; /* all instructions, per pipe */
} PerItem;

/* n_blocks blocks' worth; FALSE when no AIC has work or the first task has fewer blocks. */
static gboolean
probe_blocks (const Gen *g, int n_blocks, PerItem *out)
{
  memset (out, 0, sizeof *out);
  int a0 = -1;
  for (int a = 0; a < g->n_aic && a0 < 0; a++)
    if (g->plan[a].items->len > 0)
      a0 = a;
  if (a0 < 0)
    return FALSE;
  const SimHw *hw = g->hw;
  Task first = g_array_index (g->plan[a0].tasks, Task, 0);
  if (first.blk1 - first.blk0 < n_blocks)
    return FALSE;
  first.blk1 = first.blk0 + n_blocks;
  Gen probe;
  gen_init (&probe, g->cfg, hw, NULL);
  plan_add_task (&probe, 0, first.b, first.g, first.blk0, first.blk1, first.split);
  Task *pt = &g_array_index (probe.plan[0].tasks, Task, 0);
  pt->part = first.part;
  pt->n_parts = first.n_parts;
  double items = probe.plan[0].items->len;
  emit_aic (&probe, 0);
  for (int s = 0; s < hw->aiv_per_aic; s++)
    emit_aiv (&probe, 0, s);
  SimProgram *pp = probe.p;
  for (int i = 0; i < pp->n_cores; i++)
    for (int q = 0; q < SIM_N_PIPES; q++)
      {
        const SimCore *c = &pp->cores[i];
        out->all += c->n[q] / items;
        out->timed += c->n_timed[q] / items;
        if (c->kind == SIM_CORE_AIC)
          {
            out->aic[q] += c->n_timed[q] / items;
            out->aic_all[q] += c->n[q] / items;
          }
        else
          {
            out->aiv[q] += c->n_timed[q] / items / hw->aiv_per_aic;
            out->aiv_all[q] += c->n[q] / items / hw->aiv_per_aic;
          }
      }
  sim_program_free (gen_clear (&probe));
  return TRUE;
}

static gboolean
probe_per_item (const Gen *g, PerItem *out)
{
  return probe_blocks (g, 2, out) || probe_blocks (g, 1, out);
}

/* The spans each lane of a streamed program will record, so a trace's lanes are sized once, from
 * one block of memory.  Room reserved but not used is still paid for: the block is in huge pages,
 * and the kernel zeroes every page the lanes around it touch (about 1 ns a byte on these VMs).  So
 * where every task is whole, the estimate is a task's fixed part plus a per-block part, from probes
 * of one and two blocks of the first task, not two blocks' count per block (which charged the
 * task's fixed part to every block: 24 % too much room at the default shape).  Split tasks differ
 * from the first one (some combine the others' partials): there it stays two blocks' count per
 * block with a margin.  A lane that gets more than its room grows on its own. */
static void
set_span_hints (Gen *g, const PerItem *two)
{
  SimProgram *p = g->p;
  gboolean any_split = FALSE;
  for (int a = 0; a < g->n_aic && !any_split; a++)
    for (guint t = 0; t < g->plan[a].tasks->len && !any_split; t++)
      any_split = g_array_index (g->plan[a].tasks, Task, t).split;
  PerItem one;
  gboolean two_point = !any_split && probe_blocks (g, 1, &one);
  for (int i = 0; i < p->n_cores; i++)
    {
      SimCore *c = &p->cores[i];
      double items = g->plan[c->aic].items->len, tasks = g->plan[c->aic].tasks->len;
      gboolean aic = c->kind == SIM_CORE_AIC;
      for (int q = 0; q < SIM_N_PIPES; q++)
        {
          double per2 = aic ? two->aic[q] : two->aiv[q]; /* per block, over two blocks */
          double est = 1.1 * per2 * items;
          if (two_point)
            {
              double per1 = aic ? one.aic[q] : one.aiv[q]; /* per block, of one */
              double marginal = MAX (2 * per2 - per1, 0), fixed = MAX (per1 - marginal, 0);
              est = MIN (est, fixed * tasks + marginal * items);
            }
          c->n_spans_hint[q] = est > 0 ? (gsize) (two_point ? 1.02 * est + 16 : est + 64) : 0;
        }
    }
}

guint64
amla_program_estimate_bytes (const AmlaConfig *cfg, const SimHw *hw, gboolean trace,
                             guint64 *instructions)
{
  Gen g;
  if (instructions)
    *instructions = 0;
  if (!gen_init (&g, cfg, hw, NULL))
    return 0; /* the build will report why */
  plan_work (&g);
  guint64 items = 0;
  for (int a = 0; a < g.n_aic; a++)
    items += g.plan[a].items->len;
  guint64 plan_bytes = items * sizeof (Item);
  PerItem pi;
  gboolean any = probe_per_item (&g, &pi);
  sim_program_free (gen_clear (&g));
  if (!any)
    return plan_bytes;
  guint64 instr = (guint64) (pi.all * (double) items);
  if (instructions)
    *instructions = instr;
  /* a run streams its program (amla_program_stream): a few pieces in flight per core, each about
   * an item's instructions (queues grow by doubling, hence the factor), with an order byte each;
   * a recorded span per timed instruction; and the engine's state of every core, busy or not */
  double cores = (double) (sim_hw_aic_count (hw) + sim_hw_aiv_count (hw));
  double per_core_item = pi.all / (1 + hw->aiv_per_aic); /* the probe is an AIC and its AIVs */
  double bytes = cores * 4.0 * per_core_item * (2.0 * sizeof (SimInstr) + 1) + (double) plan_bytes;
  if (trace)
    bytes += pi.timed * (double) items * sizeof (SimSpan) * 1.25;
  bytes += cores * (double) sim_engine_core_bytes (hw, trace);
  return (guint64) MIN (bytes, 1e18);
}

SimProgram *
amla_program_build (const AmlaConfig *cfg, const SimHw *hw, GError **error)
{
  return amla_program_build_cancellable (cfg, hw, NULL, error);
}

SimProgram *
amla_program_build_cancellable (const AmlaConfig *cfg, const SimHw *hw, gint *cancel,
                                GError **error)
{
  Gen g;
  if (!gen_init (&g, cfg, hw, error))
    return NULL;
  g.cancel = cancel;
  plan_work (&g);
  /* every AIC runs the same kind of items: size the queues of the others from the first one
   * (proportionally to their item counts) so they are allocated once */
  int a0 = 0;
  while (a0 < g.n_aic - 1 && g.plan[a0].items->len == 0)
    a0++;
  for (int a = 0; a < g.n_aic; a++)
    {
      if (a != a0 && g.plan[a0].items->len > 0)
        {
          double f = (double) (g.plan[a].items->len + 1) / g.plan[a0].items->len;
          SimCore *ref = sim_program_aic (g.p, a0), *c = sim_program_aic (g.p, a);
          for (int q = 0; q < SIM_N_PIPES; q++)
            if (ref->n[q])
              sim_program_reserve (c, (SimPipe) q, (gsize) (ref->n[q] * f) + 64);
          for (int s = 0; s < hw->aiv_per_aic; s++)
            {
              SimCore *rv = sim_program_aiv (g.p, a0, s), *v = sim_program_aiv (g.p, a, s);
              for (int q = 0; q < SIM_N_PIPES; q++)
                if (rv->n[q])
                  sim_program_reserve (v, (SimPipe) q, (gsize) (rv->n[q] * f) + 64);
            }
        }
      if (cancel != NULL && g_atomic_int_get (cancel))
        {
          sim_program_free (gen_clear (&g));
          g_set_error (error, SIM_ENGINE_ERROR, SIM_ENGINE_ERROR_CANCELLED, "simulation cancelled");
          return NULL;
        }
      emit_aic (&g, a);
      for (int s = 0; s < hw->aiv_per_aic; s++)
        emit_aiv (&g, a, s);
    }
  return gen_clear (&g);
}

#define STREAM_ROOM_ITEMS 3.0

typedef struct
{
  Gen gen;
  AmlaConfig cfg; /* the generator's own copy: the program outlives the caller's */
} Stream;

static void
stream_free (gpointer data)
{
  Stream *st = data;
  st->gen.p = NULL; /* the program is being freed: only the generator's state goes */
  SimProgram *none = gen_clear (&st->gen);
  (void) none;
  g_free (st);
}

static gboolean
stream_source (SimProgram *p, SimCore *c, gpointer data)
{
  Gen *g = &((Stream *) data)->gen;
  int k = cg (g, c)->piece++;
  if (c->kind == SIM_CORE_AIC)
    {
      emit_aic_piece (g, c->index, k);
      return k + 1 < aic_pieces (g, c->index);
    }
  int sub = c->index - c->aic * g->hw->aiv_per_aic;
  emit_aiv_piece (g, c->aic, sub, k);
  return k + 1 < aiv_pieces (g, c->aic);
}

/* The room a streamed core's queues need: what is in flight when a piece is written (retired
 * instructions are dropped only once they outnumber the live ones) and the piece, about an item's
 * instructions each; reserved for every core with work at once, from one block of memory (a few
 * huge pages instead of a page fault per 4 KiB as each queue doubles its way up). */
static void
reserve_stream_queues (Gen *g, const PerItem *pi)
{
  SimProgram *p = g->p;
  g_autofree gsize *caps = g_new0 (gsize, (gsize) p->n_cores * SIM_N_PIPES);
  g_autofree gsize *order_caps = g_new0 (gsize, p->n_cores);
  for (int i = 0; i < p->n_cores; i++)
    {
      const SimCore *c = &p->cores[i];
      if (g->plan[c->aic].items->len == 0)
        continue;
      const double *per = c->kind == SIM_CORE_AIC ? pi->aic_all : pi->aiv_all;
      double all = 0;
      for (int q = 0; q < SIM_N_PIPES; q++)
        if (per[q] > 0)
          {
            caps[i * SIM_N_PIPES + q] = (gsize) (STREAM_ROOM_ITEMS * per[q]) + 256;
            all += per[q];
          }
      order_caps[i] = (gsize) (STREAM_ROOM_ITEMS * all) + 1024;
    }
  sim_program_reserve_block (p, caps, order_caps);
}

static SimProgram *stream_new (const AmlaConfig *cfg, const SimHw *hw, gboolean twin,
                               GError **error);

/* The engine's twin (sim_program_set_twin): the same stream from its start, without the span
 * hints and queue room, which only a run needs (the engine reads a twin a piece at a time) */
static SimProgram *
stream_twin (gpointer data)
{
  Stream *st = data;
  return stream_new (&st->cfg, st->gen.hw, TRUE, NULL);
}

SimProgram *
amla_program_stream (const AmlaConfig *cfg, const SimHw *hw, GError **error)
{
  return stream_new (cfg, hw, FALSE, error);
}

static SimProgram *
stream_new (const AmlaConfig *cfg, const SimHw *hw, gboolean twin, GError **error)
{
  Stream *st = g_new0 (Stream, 1);
  st->cfg = *cfg;
  Gen *g = &st->gen;
  if (!gen_init (g, &st->cfg, hw, error))
    {
      g_free (st);
      return NULL;
    }
  g->error = NULL;
  plan_work (g);
  SimProgram *p = g->p;
  sim_program_set_source (p, stream_source, st, stream_free);
  sim_program_set_twin (p, stream_twin);
  /* what the engine needs before the run: the SyncAll of a die with split tasks, which every
   * AIV of that die reaches once (emit_aiv_piece's last piece) */
  int dies = MAX (hw->dies, 1);
  for (int d = 0; d < dies; d++)
    if (split_die (g, d))
      sim_program_declare_sync (p, d, hw->aic_per_die * hw->aiv_per_aic, d);
  /* without an issue cost the Scalar lane gets nothing but a split die's pipe_barrier: say so,
   * or the engine would write a whole core out to learn that its Scalar never runs again */
  if (hw->scalar_issue_cycles <= 0)
    for (int i = 0; i < p->n_cores; i++)
      if (!split_die (g, p->cores[i].die))
        p->cores[i].stream_pipes &= ~(1u << SIM_PIPE_SCALAR);
  /* the spans each lane will record (set_span_hints) and the queues' room */
  PerItem pi;
  if (!twin && probe_per_item (g, &pi))
    {
      set_span_hints (g, &pi);
      reserve_stream_queues (g, &pi);
    }
  return p;
}
