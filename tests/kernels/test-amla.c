/* tests/kernels/test-amla.c — the AMLA program generator and what its runs show.
 *
 * Exact properties first (FLOPs formula, bytes per path hand-counted for a small shape, program
 * structure), then the direction of each toggle on the large shape, then the regimes. */
#include <glib.h>
#include <math.h>
#include <string.h>

#include <json-c/json.h>

#include "kernels/amla.h"
#include "kernels/amla-config-fields.h"
#include "sim/trace/trace-json.h"

static SimHw *hw910c;

/* hw NULL: the run loads cfg's preset with cfg's what-ifs */
static AmlaRun *
run_cfg_hw (const AmlaConfig *cfg, const SimHw *hw, gboolean trace)
{
  SimRunOptions opt;
  sim_run_options_init (&opt);
  opt.record_trace = trace;
  GError *err = NULL;
  AmlaRun *run = amla_run (cfg, hw, &opt, &err);
  g_assert_no_error (err);
  g_assert_nonnull (run);
  return run;
}

static AmlaRun *
run_cfg (const AmlaConfig *cfg, gboolean trace)
{
  return run_cfg_hw (cfg, hw910c, trace);
}

/* FLOPs counted from the MMAD instructions equal 2·B·H·S_q·S_kv·1088 exactly, also for shapes
 * that do not fill the tiles (S_kv not a multiple of 512, few heads, 3 query tokens). */
static void
test_flops_formula (void)
{
  const int shapes[][4] = {
    { 96, 4096, 2, 128 }, { 3, 1000, 1, 128 }, { 7, 777, 3, 64 }, { 50, 513, 2, 16 }, { 1, 8192, 1, 128 },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (shapes); i++)
    {
      AmlaConfig cfg;
      amla_config_init (&cfg);
      cfg.batch = shapes[i][0];
      cfg.kv_len = shapes[i][1];
      cfg.sq = shapes[i][2];
      cfg.heads = shapes[i][3];
      g_autoptr (GError) err = NULL;
      g_autoptr (SimProgram) p = amla_program_build (&cfg, hw910c, &err);
      g_assert_no_error (err);
      double formula = 2.0 * cfg.batch * cfg.heads * cfg.sq * (double) cfg.kv_len * 1088;
      g_assert_cmpfloat (amla_config_flops (&cfg), ==, formula);
      g_assert_cmpfloat ((double) sim_program_flops (p), ==, formula);
    }
}

/* B = 48 requests (one per AIC), S_kv = 1024 (two blocks), S_q = 1, H = 128: M = 128 rows. */
static void
test_bytes_hand_count (void)
{
  AmlaConfig cfg;
  amla_config_init (&cfg);
  cfg.batch = 48;
  cfg.kv_len = 1024;
  cfg.sq = 1;
  g_autoptr (AmlaRun) run = run_cfg (&cfg, FALSE);
  const guint64 *b = run->result->metrics.bytes;
  const guint64 aic = 48, aiv = 96, blocks = 2;
  /* per block and AIC: K 512 tok x 576 x 2 B from HBM (first read); Q 128 x 576 x 2 B, read from
   * HBM the first time and from L2 for the second block (Q and P share the Q/P slots, so Q is
   * reloaded every block); P 128 x 512 x 2 B and V 512 x 512 x 2 B from L2 (P was just written,
   * V = K's first 512 columns, just loaded) */
  const guint64 k = 512 * 576 * 2, q = 128 * 576 * 2, p = 128 * 512 * 2, v = 512 * 512 * 2;
  g_assert_cmpuint (b[SIM_PATH_GM_TO_L1_HBM], ==, aic * (blocks * k + q));
  g_assert_cmpuint (b[SIM_PATH_GM_TO_L1_L2], ==, aic * (q + blocks * (p + v)));
  /* L1 -> L0: C1 moves Q and K once per (n tile, k step): Q 24 KiB x 24 steps, K the same;
   * C2 moves P and V 32 KiB x 16 steps */
  const guint64 l0a = 24 * (128 * 96 * 2) + 16 * (128 * 128 * 2);
  g_assert_cmpuint (b[SIM_PATH_L1_TO_L0A], ==, aic * blocks * l0a);
  g_assert_cmpuint (b[SIM_PATH_L1_TO_L0B], ==, aic * blocks * l0a);
  /* FixPipe: S 128 x 512 FP32 each block; O 128 x 512 FP32 plain on the first block, FP32 atomic
   * add on the second */
  const guint64 s = 128 * 512 * 4, o = 128 * 512 * 4;
  g_assert_cmpuint (b[SIM_PATH_L0C_TO_GM], ==, aic * (blocks * s + o));
  g_assert_cmpuint (b[SIM_PATH_L0C_TO_GM_ATOMIC], ==, aic * o);
  /* each AIV (64 rows): loads S every block and O once (V2), writes P every block and the BF16
   * output once; the int32 exponent update (64 rows x 512 x 4 B) only from the second block */
  g_assert_cmpuint (b[SIM_PATH_GM_TO_UB_L2], ==, aiv * (blocks * 64 * 512 * 4 + 64 * 512 * 4));
  g_assert_cmpuint (b[SIM_PATH_GM_TO_UB_HBM], ==, 0);
  g_assert_cmpuint (b[SIM_PATH_UB_TO_GM], ==, aiv * (blocks * 64 * 512 * 2 + 64 * 512 * 2));
  g_assert_cmpuint (b[SIM_PATH_UB_TO_GM_ATOMIC], ==, aiv * 64 * 512 * 4);
}

/* The FP-multiply rescale moves O through UB every block: no atomics, more AIV traffic. */
static void
test_bytes_mul (void)
{
  AmlaConfig cfg;
  amla_config_init (&cfg);
  cfg.batch = 48;
  cfg.kv_len = 1024;
  cfg.sq = 1;
  cfg.rescale = AMLA_RESCALE_MUL;
  g_autoptr (AmlaRun) run = run_cfg (&cfg, FALSE);
  const guint64 *b = run->result->metrics.bytes;
  const guint64 aiv = 96, rows = 64;
  g_assert_cmpuint (b[SIM_PATH_L0C_TO_GM_ATOMIC], ==, 0);
  g_assert_cmpuint (b[SIM_PATH_UB_TO_GM_ATOMIC], ==, 0);
  /* per AIV: S twice; O_tmp twice; O once (second block folds it in) */
  g_assert_cmpuint (b[SIM_PATH_GM_TO_UB_L2], ==, aiv * rows * 512 * 4 * (2 + 2 + 1));
  /* per AIV: P twice; O (FP32) after block 0; BF16 output after block 1 */
  g_assert_cmpuint (b[SIM_PATH_UB_TO_GM], ==, aiv * rows * 512 * (2 * 2 + 4 + 2));
}

static const SimSpan *
first_span (const SimTrace *t, int group, SimPipe pipe, SimStage stage)
{
  SimGroup *g = g_ptr_array_index (t->groups, group);
  for (guint l = 0; l < g->lanes->len; l++)
    {
      SimLane *lane = g_ptr_array_index (g->lanes, l);
      if (lane->pipe != pipe)
        continue;
      for (gsize i = 0; i < lane->n_spans; i++)
        if (lane->spans[i].stage == stage)
          return &lane->spans[i];
    }
  return NULL;
}

/* With preload, the Cube runs C1 of block 1 before C2 of block 0; without, C2(0) comes first. */
static void
test_preload_order (void)
{
  AmlaConfig cfg;
  amla_config_init (&cfg);
  cfg.batch = 48;
  cfg.kv_len = 2048;
  for (int pre = 0; pre < 2; pre++)
    {
      cfg.preload = pre;
      g_autoptr (AmlaRun) run = run_cfg (&cfg, TRUE);
      SimGroup *g = g_ptr_array_index (run->result->trace->groups, 0);
      SimLane *cube = NULL;
      for (guint l = 0; l < g->lanes->len; l++)
        if (((SimLane *) g_ptr_array_index (g->lanes, l))->pipe == SIM_PIPE_CUBE)
          cube = g_ptr_array_index (g->lanes, l);
      g_assert_nonnull (cube);
      double c1_iter1 = -1, c2_iter0 = -1;
      for (gsize i = 0; i < cube->n_spans; i++)
        {
          const SimSpan *s = &cube->spans[i];
          if (s->stage == SIM_STAGE_C1 && s->iter == 1 && c1_iter1 < 0)
            c1_iter1 = s->start_ns;
          if (s->stage == SIM_STAGE_C2 && s->iter == 0 && c2_iter0 < 0)
            c2_iter0 = s->start_ns;
        }
      g_assert_cmpfloat (c1_iter1, >, 0);
      g_assert_cmpfloat (c2_iter0, >, 0);
      if (pre)
        g_assert_cmpfloat (c1_iter1, <, c2_iter0);
      else
        g_assert_cmpfloat (c2_iter0, <, c1_iter1);
      /* V1 of block 0 starts only after C1 of block 0 has written S (cross-core flag) */
      const SimSpan *c1 = first_span (run->result->trace, 0, SIM_PIPE_FIXPIPE, SIM_STAGE_C1);
      const SimSpan *v1 = first_span (run->result->trace, 1, SIM_PIPE_MTE2, SIM_STAGE_V1);
      g_assert_cmpfloat (v1->start_ns, >=, c1->start_ns + c1->dur_ns);
    }
}

/* The Cube's program for one C1 and one C2 in the order the Scalar issues it, one letter per
 * instruction: K/k = K latent/rope load, Q/q = Q latent/rope load, V, P = loads, M = MMAD (one
 * per L0 step; its unitFlag strips are parts of it), F = the FixPipe write-back of a tile (its
 * streamed parts are parts of it), W = cross-core wait.  Stages of block 0 of AIC0's first task
 * (M = 256 rows, 512 tokens). */
static char *
cube_program_signature (const SimProgram *p, SimStage stage)
{
  const SimCore *c = &p->cores[0];
  GString *sig = g_string_new (NULL);
  gsize next[SIM_N_PIPES] = { 0 };
  for (gsize i = 0; i < c->n_order; i++)
    {
      int q = sim_core_order (c, i);
      const SimInstr *in = &c->queue[q][next[q]++];
      if (in->stage != stage || in->iter != 0 || sim_instr_is_part (in))
        continue;
      const char *name = sim_program_string (p, in->name);
      if (in->op == SIM_OP_MMAD)
        g_string_append_c (sig, 'M');
      else if (in->op == SIM_OP_CROSS_WAIT)
        g_string_append_c (sig, 'W');
      else if (in->op == SIM_OP_DMA && q == SIM_PIPE_FIXPIPE)
        g_string_append_c (sig, 'F');
      else if (in->op == SIM_OP_DMA && q == SIM_PIPE_MTE2)
        {
          gboolean rope = g_str_has_suffix (name, "rope");
          char what = name[strlen ("MOV GM->L1 ")];
          g_string_append_c (sig, rope ? (char) g_ascii_tolower (what) : what);
        }
    }
  return g_string_free (sig, FALSE);
}

/* The generator writes C1 and C2 in CANN's loop nest (fia_block_cube_nonquant_mla.h,
 * ComputeMm1/ComputeMm2; reference/amla_paper.md §11), spelled out here from that nest:
 *   C1: n (4 sub-blocks of 128 tokens) -> k (2 chunks of 288 columns) -> m (2 tiles of 128 rows):
 *       per (n, k) one K slot (latent + rope load); Q loaded lazily on n = 0 (k = 0: latent +
 *       all rope columns, k = 1: latent); 3 L0 steps of k = 96; after k = 1 the tile is drained.
 *   C2: W (P ready), n (4 slices of 128 columns) -> k (2 chunks of 256 tokens) -> m: per (n, k)
 *       one V slot filled by two 128-token loads; P loaded on n = 0; 2 L0 steps of k = 128;
 *       after k = 1 the tile is drained, the first drain behind the O gates (AMLA: W). */
static void
test_cann_loop_order (void)
{
  AmlaConfig cfg;
  amla_config_init (&cfg);
  cfg.batch = 48;
  cfg.kv_len = 1024;
  g_autoptr (GError) err = NULL;
  g_autoptr (SimProgram) p = amla_program_build (&cfg, hw910c, &err);
  g_assert_no_error (err);

  GString *c1 = g_string_new (NULL), *c2 = g_string_new ("W");
  for (int n = 0; n < 4; n++)
    for (int k = 0; k < 2; k++)
      {
        g_string_append (c1, "Kk");
        for (int m = 0; m < 2; m++)
          {
            if (n == 0)
              g_string_append (c1, k == 0 ? "Qq" : "Q");
            g_string_append (c1, "MMM");
            if (k == 1)
              g_string_append_c (c1, 'F');
          }
      }
  gboolean gated = FALSE;
  for (int n = 0; n < 4; n++)
    for (int k = 0; k < 2; k++)
      {
        g_string_append (c2, "VV");
        for (int m = 0; m < 2; m++)
          {
            if (n == 0)
              g_string_append_c (c2, 'P');
            g_string_append (c2, "MM");
            if (k == 1)
              {
                if (!gated)
                  g_string_append_c (c2, 'W'); /* O free (first block) */
                if (!gated)
                  g_string_append_c (c2, 'W'); /* O rescaled */
                gated = TRUE;
                g_string_append_c (c2, 'F');
              }
          }
      }
  g_autofree char *got1 = cube_program_signature (p, SIM_STAGE_C1);
  g_autofree char *got2 = cube_program_signature (p, SIM_STAGE_C2);
  g_assert_cmpstr (got1, ==, c1->str);
  g_assert_cmpstr (got2, ==, c2->str);
  g_string_free (c1, TRUE);
  g_string_free (c2, TRUE);
}

/* The large shape: AMLA with preload and tiling is Cube-bound near the published 86.8 %; preload
 * off and tiling off each lower utilisation and the metrics say why. */
static void
test_large_toggles (void)
{
  AmlaConfig cfg;
  amla_config_init (&cfg);
  cfg.kv_len = 16384;
  g_autoptr (AmlaRun) all = run_cfg (&cfg, FALSE);
  const SimMetrics *m = &all->result->metrics;
  g_test_message ("large, all on: %.1f %% (%s: %s)", 100 * m->cube_utilization,
                  sim_bound_name (m->bound), m->reason);
  g_assert_cmpint (m->bound, ==, SIM_BOUND_CUBE);
  /* issue 11's acceptance band: the paper's 86.8 % +- 3 points */
  g_assert_cmpfloat (m->cube_utilization, >=, 0.838);
  g_assert_cmpfloat (m->cube_utilization, <=, 0.898);

  cfg.preload = FALSE;
  g_autoptr (AmlaRun) nopre = run_cfg (&cfg, FALSE);
  const SimMetrics *n = &nopre->result->metrics;
  g_test_message ("preload off: %.1f %% (%s)", 100 * n->cube_utilization, n->reason);
  g_assert_cmpfloat (n->cube_utilization, <, m->cube_utilization - 0.10);
  g_assert_cmpint (n->bound, !=, SIM_BOUND_CUBE);
  g_assert_nonnull (strstr (n->reason, "other core")); /* the Cube waits for the Vector's P */

  cfg.preload = TRUE;
  cfg.tiling = FALSE;
  g_autoptr (AmlaRun) notile = run_cfg (&cfg, FALSE);
  const SimMetrics *t = &notile->result->metrics;
  g_test_message ("tiling off: %.1f %% (%s)", 100 * t->cube_utilization, t->reason);
  g_assert_cmpfloat (t->cube_utilization, <, m->cube_utilization - 0.20);
  g_assert_nonnull (strstr (t->reason, "MTE2")); /* loads no longer overlap the MMADs */

  cfg.tiling = TRUE;
  cfg.rescale = AMLA_RESCALE_MUL;
  g_autoptr (AmlaRun) mul = run_cfg (&cfg, FALSE);
  const SimMetrics *u = &mul->result->metrics;
  g_test_message ("mul: %.1f %% (%s)", 100 * u->cube_utilization, u->reason);
  /* the multiply rescale moves O through UB every block: the AIVs move far more data */
  g_assert_cmpfloat (u->busy_aiv[SIM_PIPE_MTE2], >, 2 * m->busy_aiv[SIM_PIPE_MTE2]);
  g_assert_cmpfloat (u->busy_aiv[SIM_PIPE_VECTOR], >, m->busy_aiv[SIM_PIPE_VECTOR]);
  g_assert_cmpuint (u->bytes[SIM_PATH_GM_TO_UB_L2], >, 2 * m->bytes[SIM_PATH_GM_TO_UB_L2]);
  /* ... and the Cube waits longer for it: with an atomic add charged once in L2 the multiply
   * path's O round trip (read + write through UB) costs more L2 bandwidth than AMLA's two atomic
   * adds, so AMLA comes out ahead (reference/amla_paper.md §11 and the preset's basis) */
  g_assert_cmpfloat (u->cube_utilization, <, m->cube_utilization);
}

/* Short KV and a small batch: too little work for the chip; not Cube-bound. */
static void
test_small_regimes (void)
{
  AmlaConfig cfg;
  amla_config_init (&cfg);
  cfg.batch = 4;
  cfg.kv_len = 1024;
  g_autoptr (AmlaRun) small = run_cfg (&cfg, FALSE);
  const SimMetrics *m = &small->result->metrics;
  g_assert_cmpint (m->bound, ==, SIM_BOUND_SYNC);
  g_assert_cmpfloat (m->cube_utilization, <, 0.3);
  g_assert_nonnull (strstr (m->reason, "AICs have a task"));

  /* one query token: half the FLOPs per byte of K/V; the GM->L1 path saturates */
  amla_config_init (&cfg);
  cfg.sq = 1;
  g_autoptr (AmlaRun) mem = run_cfg (&cfg, FALSE);
  m = &mem->result->metrics;
  g_assert_cmpint (m->bound, ==, SIM_BOUND_MEMORY);
  g_assert_nonnull (strstr (m->reason, "MTE2"));
}

/* A split KV range (fewer tasks than cores) is combined and still counts the exact FLOPs. */
/* The two dies run as separate partitions, on one thread or two: the same run either way, span
 * for span (only the count of event-loop iterations may differ).  Also with a split task. */
/* Everything a run produces, equal field by field (spans to the bit, counters, flows). */
static void
assert_same_result (const SimResult *ra, const SimResult *rb)
{
  const SimMetrics *a = &ra->metrics, *b = &rb->metrics;
  g_assert_cmpfloat (a->total_ns, ==, b->total_ns);
  g_assert_cmpfloat (a->flops, ==, b->flops);
  g_assert_cmpfloat (a->cube_vector_overlap, ==, b->cube_vector_overlap);
  g_assert_cmpfloat (a->hbm_busy, ==, b->hbm_busy);
  g_assert_cmpfloat (a->l2_busy, ==, b->l2_busy);
  g_assert_cmpuint (a->instructions, ==, b->instructions);
  g_assert_cmpuint (a->events, ==, b->events);
  g_assert_cmpint (memcmp (a->busy_aic, b->busy_aic, sizeof a->busy_aic), ==, 0);
  g_assert_cmpint (memcmp (a->busy_aiv, b->busy_aiv, sizeof a->busy_aiv), ==, 0);
  g_assert_cmpint (memcmp (a->bytes, b->bytes, sizeof a->bytes), ==, 0);
  g_assert_cmpstr (a->reason, ==, b->reason);
  const SimTrace *ta = ra->trace, *tb = rb->trace;
  g_assert_true ((ta == NULL) == (tb == NULL));
  if (!ta)
    return;
  g_assert_cmpuint (ta->groups->len, ==, tb->groups->len);
  g_assert_cmpuint (ta->flows->len, ==, tb->flows->len);
  for (guint f = 0; f < ta->flows->len; f++)
    {
      const SimFlow *fa = &g_array_index (ta->flows, SimFlow, f);
      const SimFlow *fb = &g_array_index (tb->flows, SimFlow, f);
      g_assert_cmpfloat (fa->src_ns, ==, fb->src_ns);
      g_assert_cmpfloat (fa->dst_ns, ==, fb->dst_ns);
      g_assert_cmpuint (fa->dst_lane, ==, fb->dst_lane);
    }
  g_assert_cmpuint (ta->counters->len, ==, tb->counters->len);
  for (guint c = 0; c < ta->counters->len; c++)
    {
      const SimCounter *ca = g_ptr_array_index (ta->counters, c);
      const SimCounter *cb = g_ptr_array_index (tb->counters, c);
      g_assert_cmpstr (ca->name, ==, cb->name);
      g_assert_cmpuint (ca->n, ==, cb->n);
      g_assert_cmpint (memcmp (ca->ts_ns, cb->ts_ns, ca->n * sizeof (double)), ==, 0);
      g_assert_cmpint (memcmp (ca->value, cb->value, ca->n * sizeof (double)), ==, 0);
    }
  for (guint g = 0; g < ta->groups->len; g++)
    {
      const SimGroup *ga = g_ptr_array_index (ta->groups, g);
      const SimGroup *gb = g_ptr_array_index (tb->groups, g);
      g_assert_cmpuint (ga->lanes->len, ==, gb->lanes->len);
      for (guint l = 0; l < ga->lanes->len; l++)
        {
          const SimLane *la = g_ptr_array_index (ga->lanes, l);
          const SimLane *lb = g_ptr_array_index (gb->lanes, l);
          g_assert_cmpuint (la->n_spans, ==, lb->n_spans);
          for (gsize k = 0; k < la->n_spans; k++)
            {
              const SimSpan *x = &la->spans[k], *y = &lb->spans[k];
              g_assert_cmpfloat (x->start_ns, ==, y->start_ns);
              g_assert_cmpfloat (x->dur_ns, ==, y->dur_ns);
              g_assert_cmpint (x->task, ==, y->task);
              g_assert_cmpint (x->iter, ==, y->iter);
              g_assert_cmpuint (x->bytes, ==, y->bytes);
              g_assert_cmpuint (x->flops, ==, y->flops);
              g_assert_cmpuint (x->stage, ==, y->stage);
              g_assert_cmpuint (x->flags, ==, y->flags);
              g_assert_cmpstr (sim_trace_string (ta, x->name), ==, sim_trace_string (tb, y->name));
              g_assert_cmpstr (sim_trace_string (ta, x->detail), ==,
                               sim_trace_string (tb, y->detail));
            }
        }
    }
}

static void
test_threads_same_result (void)
{
  const int shapes[][2] = { { 12, 2048 }, { 2, 8192 } };
  for (gsize i = 0; i < G_N_ELEMENTS (shapes); i++)
    {
      AmlaConfig cfg;
      amla_config_init (&cfg);
      cfg.batch = shapes[i][0];
      cfg.kv_len = shapes[i][1];
      AmlaRun *runs[2];
      for (int t = 0; t < 2; t++)
        {
          SimRunOptions opt;
          sim_run_options_init (&opt);
          opt.threads = t + 1;
          GError *err = NULL;
          runs[t] = amla_run (&cfg, hw910c, &opt, &err);
          g_assert_no_error (err);
        }
      assert_same_result (runs[0]->result, runs[1]->result);
      amla_run_free (runs[0]);
      amla_run_free (runs[1]);
    }
}

/* Die symmetry (sim_engine_run): a run that records nothing of die 1 gives it die 0's results when
 * the two dies' programs are the same, and everything it reports is what simulating both gives, to
 * the bit: the JSON metrics, every core's busy fractions, on one thread and two.  Shapes whose dies
 * differ (an odd batch), traced runs and the modes that do not stream simulate both. */
/* runs[0]: with die symmetry, runs[1]: every die simulated (SimRunOptions.every_die) */
static void
run_with_and_without_symmetry (const AmlaConfig *cfg, const SimHw *hw, const SimRunOptions *base,
                               AmlaRun *runs[2])
{
  for (int every = 0; every < 2; every++)
    {
      SimRunOptions opt = *base;
      opt.every_die = every;
      GError *err = NULL;
      runs[every] = amla_run (cfg, hw, &opt, &err);
      g_assert_no_error (err);
    }
}

static void
test_dies_mirrored (void)
{
  /* fields of the configuration table, by name, with the values the command line takes */
  const struct
  {
    const char *options;
    gboolean mirrored;
  } cases[] = {
    { "batch=96 kv_len=1024", TRUE },
    { "batch=12 kv_len=2048 rescale=mul", TRUE }, /* split tasks: a SyncAll per die */
    { "batch=48 kv_len=1500 preload=off", TRUE },
    { "batch=64 kv_len=1024 tiling=off", TRUE },
    { "batch=8 kv_len=4096 what_if=scalar_issue_cycles=0 what_if=issue_queue_depth=2", TRUE },
    { "batch=7 kv_len=2048", FALSE }, /* 3 requests on die 0, 4 on die 1 */
    { "batch=1 kv_len=2048", FALSE }, /* die 0 idle */
    { "batch=8 kv_len=2048 what_if=cross_wait_mode=1", FALSE }, /* not streamed */
  };
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      AmlaConfig cfg;
      amla_config_init (&cfg);
      g_auto (GStrv) words = g_strsplit (cases[i].options, " ", -1);
      GError *err = NULL;
      for (char **w = words; *w; w++)
        {
          char *eq = strchr (*w, '=');
          g_assert_nonnull (eq);
          *eq = '\0';
          const AmlaConfigField *f = amla_config_field_find (*w);
          g_assert_nonnull (f);
          amla_config_field_parse (f, eq + 1, *w, &cfg, &err);
          g_assert_no_error (err);
        }
      g_autoptr (SimHw) hw = amla_config_load_hw (&cfg, &err); /* with the what-ifs */
      g_assert_no_error (err);
      for (int threads = 1; threads <= 2; threads++)
        {
          SimRunOptions opt;
          sim_run_options_init (&opt);
          opt.record_trace = FALSE;
          opt.threads = threads;
          AmlaRun *runs[2];
          run_with_and_without_symmetry (&cfg, hw, &opt, runs);
          g_assert_cmpint (runs[0]->result->dies_mirrored, ==, cases[i].mirrored);
          g_assert_cmpint (runs[1]->result->dies_mirrored, ==, 0);
          assert_same_result (runs[0]->result, runs[1]->result);
          const SimMetrics *a = &runs[0]->result->metrics, *b = &runs[1]->result->metrics;
          gsize n = (gsize) (a->n_aic + a->n_aiv) * SIM_N_PIPES;
          g_assert_cmpint (memcmp (a->core_busy, b->core_busy, n * sizeof (double)), ==, 0);
          g_autofree char *ja = amla_metrics_json (runs[0]);
          g_autofree char *jb = amla_metrics_json (runs[1]);
          /* the host time is the one field that may differ */
          json_object *oa = json_tokener_parse (ja), *ob = json_tokener_parse (jb);
          json_object_object_del (oa, "sim_wall_ms");
          json_object_object_del (ob, "sim_wall_ms");
          g_assert_cmpstr (json_object_to_json_string (oa), ==, json_object_to_json_string (ob));
          json_object_put (oa);
          json_object_put (ob);
          amla_run_free (runs[0]);
          amla_run_free (runs[1]);
        }
    }
  /* a trace of every core gets die 1's spans and arrows from die 0's, under die 1's labels; one
   * of AIC 0's group (the window's default view, `run --png`) counts die 1's as left out: the
   * same traces as simulating die 1, left-out counts included */
  AmlaConfig cfg;
  amla_config_init (&cfg);
  cfg.batch = 8;
  cfg.kv_len = 1024;
  for (int groups = 0; groups <= 1; groups++)
    {
      SimRunOptions opt;
      sim_run_options_init (&opt);
      opt.trace_aic_count = groups;
      AmlaRun *runs[2];
      run_with_and_without_symmetry (&cfg, hw910c, &opt, runs);
      g_assert_nonnull (runs[0]->result->trace);
      g_assert_cmpint (runs[0]->result->dies_mirrored, ==, 1);
      assert_same_result (runs[0]->result, runs[1]->result);
      const SimTrace *ta = runs[0]->result->trace, *tb = runs[1]->result->trace;
      g_assert_cmpuint (ta->unrecorded_spans, ==, tb->unrecorded_spans);
      g_assert_cmpuint (ta->unrecorded_stages, ==, tb->unrecorded_stages);
      amla_run_free (runs[0]);
      amla_run_free (runs[1]);
    }
}

/* A streamed program (written piece by piece as the engine issues it, issue 15) gives exactly the
 * built program's run: spans, counters, flows and metrics, on one thread and two, for the toggles,
 * split tasks, the fence and pipe wait modes (which write everything first) and a preset without
 * Scalar issue cost (a pipe the source never writes).  And it holds a few pieces per core, not the
 * run: the queues of a 32768-token run stay small while the built program's hold every instruction. */
static void
test_streamed_equals_built (void)
{
  const struct
  {
    int batch, kv;
    gboolean preload, tiling;
    AmlaRescale rescale;
    const char *what_if;
  } cases[] = {
    { 12, 2048, TRUE, TRUE, AMLA_RESCALE_AMLA, "" },
    { 2, 8192, TRUE, TRUE, AMLA_RESCALE_MUL, "" },  /* split tasks: SyncAll and combine */
    { 7, 1500, FALSE, TRUE, AMLA_RESCALE_AMLA, "" },
    { 5, 2048, TRUE, FALSE, AMLA_RESCALE_AMLA, "" },
    { 6, 2048, TRUE, TRUE, AMLA_RESCALE_AMLA, "cross_wait_mode=1" },
    { 6, 2048, TRUE, TRUE, AMLA_RESCALE_AMLA, "cross_wait_mode=0" },
    { 6, 2048, TRUE, TRUE, AMLA_RESCALE_AMLA, "scalar_issue_cycles=0 issue_queue_depth=2" },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      AmlaConfig cfg;
      amla_config_init (&cfg);
      cfg.batch = cases[i].batch;
      cfg.kv_len = cases[i].kv;
      cfg.preload = cases[i].preload;
      cfg.tiling = cases[i].tiling;
      cfg.rescale = cases[i].rescale;
      g_strlcpy (cfg.what_if, cases[i].what_if, sizeof cfg.what_if);
      GError *err = NULL;
      g_autoptr (SimHw) hw = amla_config_load_hw (&cfg, &err);
      g_assert_no_error (err);
      for (int threads = 1; threads <= 2; threads++)
        {
          SimRunOptions opt;
          sim_run_options_init (&opt);
          opt.threads = threads;
          g_autoptr (SimProgram) built = amla_program_build (&cfg, hw, &err);
          g_assert_no_error (err);
          g_autoptr (SimResult) a = sim_engine_run (built, &opt, &err);
          g_assert_no_error (err);
          g_autoptr (SimProgram) streamed = amla_program_stream (&cfg, hw, &err);
          g_assert_no_error (err);
          g_autoptr (SimResult) b = sim_engine_run (streamed, &opt, &err);
          g_assert_no_error (err);
          assert_same_result (a, b);
        }
    }

  AmlaConfig cfg;
  amla_config_init (&cfg);
  cfg.batch = 24; /* a row group per AIC, 64 KV blocks each */
  cfg.kv_len = 32768;
  GError *err = NULL;
  g_autoptr (SimProgram) built = amla_program_build (&cfg, hw910c, &err);
  g_autoptr (SimProgram) streamed = amla_program_stream (&cfg, hw910c, &err);
  g_assert_no_error (err);
  SimRunOptions opt;
  sim_run_options_init (&opt);
  opt.record_trace = FALSE;
  g_autoptr (SimResult) res = sim_engine_run (streamed, &opt, &err);
  g_assert_no_error (err);
  g_assert_cmpuint (res->metrics.instructions, ==, sim_program_instruction_count (built));
  gsize most_built = 0, most_streamed = 0;
  for (int c = 0; c < built->n_cores; c++)
    for (int q = 0; q < SIM_N_PIPES; q++)
      {
        most_built = MAX (most_built, built->cores[c].n[q]);
        most_streamed = MAX (most_streamed, streamed->cores[c].cap[q]);
      }
  g_test_message ("largest pipe queue: built %zu instructions, streamed %zu places", most_built,
                  most_streamed);
  g_assert_cmpuint (most_built, >, 8 * most_streamed);
}

/* A run that writes only some cores records only them (issue 15): AIC 2 and its AIVs alone give,
 * once the other groups are dropped, exactly what the whole recording gives for them. */
static void
test_record_only_written_cores (void)
{
  AmlaConfig cfg;
  amla_config_init (&cfg);
  cfg.batch = 12;
  cfg.kv_len = 2048;
  SimRunOptions opt;
  sim_run_options_init (&opt);
  GError *err = NULL;
  g_autoptr (AmlaRun) all = amla_run (&cfg, hw910c, &opt, &err);
  g_assert_no_error (err);
  opt.trace_aic_first = 2;
  opt.trace_aic_count = 1;
  g_autoptr (AmlaRun) some = amla_run (&cfg, hw910c, &opt, &err);
  g_assert_no_error (err);
  SimTrace *ta = all->result->trace, *ts = some->result->trace;
  guint ng = ta->groups->len, lanes = 0;
  g_assert_cmpuint (ts->groups->len, ==, ng);
  g_autofree guint8 *keep = g_new0 (guint8, ng);
  for (guint g = 0; g < ng; g++)
    {
      const SimGroup *grp = g_ptr_array_index (ts->groups, g);
      int aic = grp->kind == SIM_CORE_AIC ? grp->core_index : grp->core_index / 2;
      keep[g] = aic == 2;
      if (!keep[g])
        lanes += grp->lanes->len;
    }
  g_assert_cmpuint (lanes, ==, 0); /* nothing recorded for the others */
  sim_trace_keep_groups (ta, keep);
  sim_trace_keep_groups (ts, keep);
  g_assert_cmpuint (ts->groups->len, ==, 3);
  assert_same_result (all->result, some->result);
}

/* A recorded run sizes every lane once, from one block (sim_trace_reserve_spans, from the
 * generator's span hints): no lane may outgrow its room (it would be copied out of the block), and
 * at the default shape, where every task is whole, the room is within a few per cent of what is
 * recorded: room reserved and not used still costs the kernel's zeroing of its huge pages.  With
 * split tasks the estimate keeps a margin (they differ from the probed one), but no lane grows. */
static void
test_trace_lane_room (void)
{
  const struct
  {
    int batch, kv;
    double most; /* room / spans at most */
  } shapes[] = {
    { 96, 4096, 1.06 }, { 96, 16384, 1.06 }, { 64, 4096, 1.5 }, { 50, 4096, 1.5 }, { 4, 2048, 3.0 }
  };
  for (guint k = 0; k < G_N_ELEMENTS (shapes); k++)
    {
      AmlaConfig cfg;
      amla_config_init (&cfg);
      cfg.batch = shapes[k].batch;
      cfg.kv_len = shapes[k].kv;
      g_autoptr (AmlaRun) run = run_cfg (&cfg, TRUE);
      const SimTrace *t = run->result->trace;
      guint64 room = 0, spans = 0;
      for (guint g = 0; g < t->groups->len; g++)
        {
          const SimGroup *grp = g_ptr_array_index (t->groups, g);
          for (guint l = 0; l < grp->lanes->len; l++)
            {
              const SimLane *lane = g_ptr_array_index (grp->lanes, l);
              if (lane->n_spans > 0)
                g_assert_true (lane->spans_in_slab); /* it did not grow */
              if (lane->spans_in_slab)
                room += lane->cap_spans;
              spans += lane->n_spans;
            }
        }
      g_test_message ("B=%d S_kv=%d: room %" G_GUINT64_FORMAT " for %" G_GUINT64_FORMAT " spans",
                      shapes[k].batch, shapes[k].kv, room, spans);
      g_assert_cmpuint (spans, ==, t->n_spans);
      g_assert_cmpuint (room, >=, spans);
      g_assert_cmpfloat ((double) room, <=, shapes[k].most * (double) spans);
    }
}

static void
test_split_combine (void)
{
  AmlaConfig cfg;
  amla_config_init (&cfg);
  cfg.batch = 2;
  cfg.kv_len = 16384;
  g_autoptr (AmlaRun) run = run_cfg (&cfg, TRUE);
  g_assert_cmpfloat (run->result->metrics.flops, ==, amla_config_flops (&cfg));
  gboolean combine = FALSE;
  for (guint gi = 0; gi < run->result->trace->groups->len && !combine; gi++)
    {
      SimGroup *g = g_ptr_array_index (run->result->trace->groups, gi);
      for (guint l = 0; l < g->lanes->len && !combine; l++)
        {
          SimLane *lane = g_ptr_array_index (g->lanes, l);
          for (gsize i = 0; i < lane->n_spans; i++)
            if (lane->spans[i].stage == SIM_STAGE_COMBINE)
              combine = TRUE;
        }
    }
  g_assert_true (combine);
}

/* Each pipe runs in order: spans on one lane never overlap; metrics stay within [0, 1]. */
static void
test_trace_well_formed (void)
{
  AmlaConfig cfg;
  amla_config_init (&cfg);
  cfg.batch = 48;
  cfg.kv_len = 2048;
  for (int r = 0; r < 2; r++)
    {
      cfg.rescale = r ? AMLA_RESCALE_MUL : AMLA_RESCALE_AMLA;
      g_autoptr (AmlaRun) run = run_cfg (&cfg, TRUE);
      const SimTrace *t = run->result->trace;
      for (guint gi = 0; gi < t->groups->len; gi++)
        {
          SimGroup *g = g_ptr_array_index (t->groups, gi);
          for (guint l = 0; l < g->lanes->len; l++)
            {
              SimLane *lane = g_ptr_array_index (g->lanes, l);
              for (gsize i = 1; i < lane->n_spans; i++)
                g_assert_cmpfloat (lane->spans[i].start_ns, >=,
                                   lane->spans[i - 1].start_ns + lane->spans[i - 1].dur_ns - 1e-6);
            }
        }
      const SimMetrics *m = &run->result->metrics;
      for (int q = 0; q < SIM_N_PIPES; q++)
        {
          g_assert_cmpfloat (m->busy_aic[q], <=, 1.0 + 1e-9);
          g_assert_cmpfloat (m->busy_aiv[q], <=, 1.0 + 1e-9);
        }
      g_assert_cmpfloat (m->cube_vector_overlap, <=, m->busy_aic[SIM_PIPE_CUBE] + 1e-9);
    }
}

/* A preset whose L1 cannot hold the tiling is rejected with the buffer and the sizes. */
static void
test_capacity_rejected (void)
{
  g_autoptr (SimHw) small = sim_hw_dup (hw910c);
  small->l1_bytes = 256 * 1024;
  AmlaConfig cfg;
  amla_config_init (&cfg);
  g_autoptr (GError) err = NULL;
  g_autoptr (SimProgram) p = amla_program_build (&cfg, small, &err);
  g_assert_null (p);
  g_assert_error (err, AMLA_ERROR, AMLA_ERROR_INVALID);
  g_assert_nonnull (strstr (err->message, "L1 holds 256 KiB"));
  g_assert_nonnull (strstr (err->message, "504 KiB"));
}

static void
test_config_validate (void)
{
  AmlaConfig cfg;
  amla_config_init (&cfg);
  cfg.heads = 100;
  g_autoptr (GError) err = NULL;
  g_assert_false (amla_config_validate (&cfg, &err));
  g_assert_nonnull (strstr (err->message, "--heads"));
}

/* otherData carries the configuration: a saved trace restores the controls. */
static void
test_other_data_roundtrip (void)
{
  AmlaConfig cfg;
  amla_config_init (&cfg);
  cfg.batch = 48;
  cfg.kv_len = 1536;
  cfg.preload = FALSE;
  cfg.rescale = AMLA_RESCALE_MUL;
  g_autoptr (AmlaRun) run = run_cfg (&cfg, TRUE);
  const char *od = run->result->trace->other_data_json;
  g_assert_nonnull (od);
  AmlaConfig back;
  g_autoptr (GError) err = NULL;
  g_assert_true (amla_config_from_other_data (od, &back, &err));
  g_assert_cmpint (back.batch, ==, 48);
  g_assert_cmpint (back.kv_len, ==, 1536);
  g_assert_false (back.preload);
  g_assert_true (back.tiling);
  g_assert_cmpint (back.rescale, ==, AMLA_RESCALE_MUL);
  g_assert_cmpstr (back.hw, ==, "ascend910c");
  g_assert_false (amla_config_from_other_data ("{\"generator\":\"perfetto\"}", &back, NULL));
}


/* A what-if run (amlasim --set, or a what-if trace opened in the window) keeps its changed
 * preset fields through otherData: re-simulating the restored config gives the same run, not
 * the plain preset's.  A later change of a field replaces the earlier one. */
static void
test_other_data_what_if (void)
{
  AmlaConfig cfg;
  amla_config_init (&cfg);
  cfg.batch = 16;
  cfg.kv_len = 2048;
  g_autoptr (GError) err = NULL;
  g_assert_true (amla_config_add_what_if (&cfg, "l2_bytes_per_s=2e12", &err));
  g_assert_true (amla_config_add_what_if (&cfg, " atomic_l2_factor = 1 ", &err));
  g_assert_true (amla_config_add_what_if (&cfg, "l2_bytes_per_s=4.4e12", &err));
  g_assert_cmpstr (cfg.what_if, ==, "atomic_l2_factor=1 l2_bytes_per_s=4.4e12");
  g_autofree char *desc = amla_config_describe (&cfg);
  g_assert_true (g_str_has_suffix (desc, "ascend910c · what-if atomic_l2_factor=1 l2_bytes_per_s=4.4e12"));

  g_autoptr (AmlaRun) run = run_cfg_hw (&cfg, NULL, TRUE);
  g_assert_cmpfloat (run->hw->l2_bytes_per_s, ==, 4.4e12);
  AmlaConfig back;
  g_assert_true (amla_config_from_other_data (run->result->trace->other_data_json, &back, &err));
  g_assert_no_error (err);
  /* hw field order, values written back exactly */
  g_assert_nonnull (strstr (back.what_if, "l2_bytes_per_s=4.4e+12"));
  g_assert_nonnull (strstr (back.what_if, "atomic_l2_factor=1"));
  g_autoptr (AmlaRun) again = run_cfg_hw (&back, NULL, TRUE);
  g_assert_cmpfloat (again->result->metrics.total_ns, ==, run->result->metrics.total_ns);

  AmlaConfig plain = cfg;
  plain.what_if[0] = '\0';
  g_autoptr (AmlaRun) preset = run_cfg_hw (&plain, NULL, TRUE);
  g_assert_cmpfloat (preset->result->metrics.total_ns, !=, run->result->metrics.total_ns);

  /* bad what-ifs: not FIELD=VALUE, unknown field at load, too long, otherData without value */
  g_clear_error (&err);
  g_assert_false (amla_config_add_what_if (&cfg, "l2_bytes_per_s", &err));
  g_assert_nonnull (strstr (err->message, "FIELD=VALUE"));
  g_clear_error (&err);
  g_assert_false (amla_config_add_what_if (&cfg, "a b=1", &err));
  g_clear_error (&err);
  AmlaConfig bad = plain;
  g_assert_true (amla_config_add_what_if (&bad, "no_such_field=1", &err));
  g_assert_null (amla_config_load_hw (&bad, &err));
  g_assert_error (err, SIM_HW_ERROR, SIM_HW_ERROR_FIELD);
  g_clear_error (&err);
  AmlaConfig full = plain;
  g_autofree char *long_value = g_strnfill (sizeof full.what_if, '1');
  g_autofree char *long_set = g_strconcat ("l2_bytes_per_s=", long_value, NULL);
  g_assert_false (amla_config_add_what_if (&full, long_set, &err));
  g_assert_cmpstr (full.what_if, ==, "");
  g_clear_error (&err);
  g_assert_false (amla_config_from_other_data (
      "{\"generator\":\"amlaviz\",\"config\":{},\"hw\":{\"what_if\":[\"l2_bytes_per_s\"]}}",
      &back, &err));
  g_assert_nonnull (strstr (err->message, "l2_bytes_per_s"));
}

/* The Chrome JSON of a simulated run: parses with json-c, every X has a name and numeric
 * ts/dur >= 0, X spans on one (pid, tid) never overlap, flows pair up (one s, one f per integer
 * id), and otherData names the generator. */
static void
test_trace_json (void)
{
  AmlaConfig cfg;
  amla_config_init (&cfg);
  cfg.batch = 48;
  cfg.kv_len = 2048;
  g_autoptr (AmlaRun) run = run_cfg (&cfg, TRUE);
  gsize len = 0;
  g_autofree char *text = sim_trace_to_json (run->result->trace, SIM_TRACE_FLAVOR_PERFETTO, &len);
  json_tokener *tok = json_tokener_new_ex (64);
  json_object *root = json_tokener_parse_ex (tok, text, (int) len);
  g_assert_cmpint (json_tokener_get_error (tok), ==, json_tokener_success);
  json_tokener_free (tok);
  json_object *events, *other, *gen;
  g_assert_true (json_object_object_get_ex (root, "traceEvents", &events));
  g_assert_true (json_object_object_get_ex (root, "otherData", &other));
  g_assert_true (json_object_object_get_ex (other, "generator", &gen));
  g_assert_cmpstr (json_object_get_string (gen), ==, "amlaviz");
  GHashTable *last_end = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  GHashTable *flows = g_hash_table_new (g_int64_hash, g_int64_equal);
  gint64 *ids = g_new (gint64, json_object_array_length (events));
  gsize n_x = 0, n_ids = 0;
  for (gsize i = 0; i < json_object_array_length (events); i++)
    {
      json_object *ev = json_object_array_get_idx (events, i), *ph, *v;
      g_assert_true (json_object_object_get_ex (ev, "ph", &ph));
      const char *p = json_object_get_string (ph);
      if (g_str_equal (p, "X"))
        {
          n_x++;
          g_assert_true (json_object_object_get_ex (ev, "name", &v));
          g_assert_cmpuint (strlen (json_object_get_string (v)), >, 0);
          json_object *ts, *dur, *pid, *tid;
          g_assert_true (json_object_object_get_ex (ev, "ts", &ts));
          g_assert_true (json_object_object_get_ex (ev, "dur", &dur));
          g_assert_true (json_object_is_type (ts, json_type_double) || json_object_is_type (ts, json_type_int));
          g_assert_true (json_object_is_type (dur, json_type_double) || json_object_is_type (dur, json_type_int));
          double t = json_object_get_double (ts), d = json_object_get_double (dur);
          g_assert_cmpfloat (t, >=, 0);
          g_assert_cmpfloat (d, >=, 0);
          g_assert_true (json_object_object_get_ex (ev, "pid", &pid));
          g_assert_true (json_object_object_get_ex (ev, "tid", &tid));
          char *key = g_strdup_printf ("%s/%s", json_object_get_string (pid), json_object_get_string (tid));
          double *end = g_hash_table_lookup (last_end, key);
          /* writer emits each lane in time order; ts and dur are each rounded to 1 ps */
          if (end)
            g_assert_cmpfloat (t, >=, *end - 2.5e-6);
          double *ne = g_new (double, 1);
          *ne = t + d;
          g_hash_table_replace (last_end, key, ne);
        }
      else if (g_str_equal (p, "s") || g_str_equal (p, "f"))
        {
          json_object *id;
          g_assert_true (json_object_object_get_ex (ev, "id", &id));
          g_assert_true (json_object_is_type (id, json_type_int));
          ids[n_ids] = json_object_get_int64 (id);
          int count = GPOINTER_TO_INT (g_hash_table_lookup (flows, &ids[n_ids]));
          count += g_str_equal (p, "s") ? 1 : 100;
          g_hash_table_replace (flows, &ids[n_ids], GINT_TO_POINTER (count));
          n_ids++;
        }
    }
  g_assert_cmpuint (n_x, ==, run->result->trace->n_spans);
  g_assert_cmpuint (g_hash_table_size (flows), >, 0);
  GHashTableIter it;
  gpointer k, val;
  g_hash_table_iter_init (&it, flows);
  while (g_hash_table_iter_next (&it, &k, &val))
    g_assert_cmpint (GPOINTER_TO_INT (val), ==, 101); /* exactly one s and one f */
  g_hash_table_destroy (flows);
  g_hash_table_destroy (last_end);
  g_free (ids);
  json_object_put (root);
}

/* Writing part of a run: only AI core 0's groups, their flows and counters, chip-wide counters. */
static void
test_keep_groups (void)
{
  AmlaConfig cfg;
  amla_config_init (&cfg);
  cfg.batch = 48;
  cfg.kv_len = 1024;
  g_autoptr (AmlaRun) run = run_cfg (&cfg, TRUE);
  SimTrace *t = run->result->trace;
  guint ng = t->groups->len;
  guint64 spans0 = 0;
  g_autofree guint8 *keep = g_new0 (guint8, ng);
  for (guint g = 0; g < ng; g++)
    {
      SimGroup *grp = g_ptr_array_index (t->groups, g);
      keep[g] = (grp->kind == SIM_CORE_AIC ? grp->core_index : grp->core_index / 2) == 0;
      if (keep[g])
        for (guint l = 0; l < grp->lanes->len; l++)
          spans0 += ((SimLane *) g_ptr_array_index (grp->lanes, l))->n_spans;
    }
  sim_trace_keep_groups (t, keep);
  g_assert_cmpuint (t->groups->len, ==, 3);
  g_assert_cmpuint (t->n_spans, ==, spans0);
  g_assert_cmpuint (t->flows->len, >, 0);
  for (guint i = 0; i < t->flows->len; i++)
    {
      const SimFlow *f = &g_array_index (t->flows, SimFlow, i);
      g_assert_cmpuint (f->src_group, <, 3);
      g_assert_cmpuint (f->dst_group, <, 3);
    }
  gboolean chip = FALSE;
  for (guint i = 0; i < t->counters->len; i++)
    {
      const SimCounter *c = g_ptr_array_index (t->counters, i);
      g_assert_cmpint (c->group, <, 3);
      chip |= c->group < 0;
    }
  g_assert_true (chip);
}

/* The committed samples open, carry their configuration and match what the generator makes. */
static void
test_samples (void)
{
  const char *data = g_getenv ("AMLAVIZ_DATA_DIR");
  if (!data)
    {
      g_test_skip ("AMLAVIZ_DATA_DIR not set");
      return;
    }
  static const struct
  {
    const char *file;
    gboolean preload, tiling;
    AmlaRescale rescale;
  } samples[] = {
    { "amla-default.json", TRUE, TRUE, AMLA_RESCALE_AMLA },
    { "amla-preload-off.json", FALSE, TRUE, AMLA_RESCALE_AMLA },
    { "amla-tiling-off.json", TRUE, FALSE, AMLA_RESCALE_AMLA },
    { "amla-rescale-mul.json", TRUE, TRUE, AMLA_RESCALE_MUL },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (samples); i++)
    {
      g_autofree char *path = g_build_filename (data, "..", "samples", samples[i].file, NULL);
      g_autoptr (GError) err = NULL;
      g_autoptr (SimTrace) t = sim_trace_read_json (path, NULL, NULL, &err);
      g_assert_no_error (err);
      g_assert_cmpuint (t->groups->len, ==, 3); /* AIC0, AIV0, AIV1 */
      AmlaConfig cfg;
      g_assert_true (amla_config_from_other_data (t->other_data_json, &cfg, &err));
      g_assert_cmpint (cfg.kv_len, ==, 1024);
      g_assert_cmpint (cfg.preload, ==, samples[i].preload);
      g_assert_cmpint (cfg.tiling, ==, samples[i].tiling);
      g_assert_cmpint (cfg.rescale, ==, samples[i].rescale);
      /* the sample is what the generator makes today: same span count on AI core 0 */
      g_autoptr (AmlaRun) run = run_cfg (&cfg, TRUE);
      guint64 n = 0;
      for (guint g = 0; g < 3; g++)
        {
          SimGroup *grp = g_ptr_array_index (run->result->trace->groups, g);
          for (guint l = 0; l < grp->lanes->len; l++)
            n += ((SimLane *) g_ptr_array_index (grp->lanes, l))->n_spans;
        }
      /* ... and the same whole-chip time, so a change of the model's timing is caught too */
      json_object *od = json_tokener_parse (t->other_data_json), *met, *tot;
      g_assert_true (json_object_object_get_ex (od, "metrics", &met));
      g_assert_true (json_object_object_get_ex (met, "total_ns", &tot));
      double sample_ns = json_object_get_double (tot);
      json_object_put (od);
      gboolean same = n == t->n_spans
                      && fabs (sample_ns - run->result->metrics.total_ns) <= 1e-6 * sample_ns;
      if (!same)
        g_test_message ("%s is stale (%" G_GUINT64_FORMAT " spans, %.3f ns; the generator makes "
                        "%" G_GUINT64_FORMAT ", %.3f ns): run samples/make-samples.sh",
                        samples[i].file, (guint64) t->n_spans, sample_ns, n,
                        run->result->metrics.total_ns);
      g_assert_true (same);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  GError *err = NULL;
  hw910c = sim_hw_load ("ascend910c", &err);
  g_assert_no_error (err);
  g_test_add_func ("/amla/flops-formula", test_flops_formula);
  g_test_add_func ("/amla/bytes-hand-count", test_bytes_hand_count);
  g_test_add_func ("/amla/bytes-mul", test_bytes_mul);
  g_test_add_func ("/amla/preload-order", test_preload_order);
  g_test_add_func ("/amla/cann-loop-order", test_cann_loop_order);
  g_test_add_func ("/amla/large-toggles", test_large_toggles);
  g_test_add_func ("/amla/small-regimes", test_small_regimes);
  g_test_add_func ("/amla/split-combine", test_split_combine);
  g_test_add_func ("/amla/threads-same-result", test_threads_same_result);
  g_test_add_func ("/amla/streamed-equals-built", test_streamed_equals_built);
  g_test_add_func ("/amla/dies-mirrored", test_dies_mirrored);
  g_test_add_func ("/amla/record-only-written-cores", test_record_only_written_cores);
  g_test_add_func ("/amla/trace-lane-room", test_trace_lane_room);
  g_test_add_func ("/amla/trace-well-formed", test_trace_well_formed);
  g_test_add_func ("/amla/capacity-rejected", test_capacity_rejected);
  g_test_add_func ("/amla/config-validate", test_config_validate);
  g_test_add_func ("/amla/other-data-roundtrip", test_other_data_roundtrip);
  g_test_add_func ("/amla/other-data-what-if", test_other_data_what_if);
  g_test_add_func ("/amla/trace-json", test_trace_json);
  g_test_add_func ("/amla/keep-groups", test_keep_groups);
  g_test_add_func ("/amla/samples", test_samples);
  int rc = g_test_run ();
  sim_hw_free (hw910c);
  return rc;
}
