/* tests/sim/test-engine.c — engine semantics on tiny programs with hand-computed times.
 *
 * The test preset runs at 1000 MHz (1 cycle = 1 ns), with zero start-ups and simple rates, so
 * every expected time below is a sum of numbers in plain sight. */
#include <glib.h>
#include <math.h>
#include <string.h>

#include "sim/bigmem.h"
#include "sim/engine.h"
#include "sim/overlap.h"

static SimHw *
test_hw (const char *overrides)
{
  /* defaults: 1 die, 1 AIC + 2 AIV, 1 GHz, no start-ups, no latencies */
  GString *s = g_string_new ("{\"name\":\"test\",\"fields\":{");
  const char *defaults[][2] = {
    { "dies", "1" },                       { "aic_per_die", "1" },
    { "aiv_per_aic", "2" },                { "clock_mhz", "1000" },
    { "cube_flops_per_cycle", "8192" },    { "mmad_overhead_cycles", "0" },
    { "l1_bytes", "524288" },              { "l0a_bytes", "65536" },
    { "l0b_bytes", "65536" },              { "l0c_bytes", "131072" },
    { "ub_bytes", "196608" },              { "mte2_l1_bytes_per_cycle", "100" },
    { "mte2_startup_cycles", "0" },        { "mte1_l0a_bytes_per_cycle", "10" },
    { "mte1_l0b_bytes_per_cycle", "10" },  { "mte1_startup_cycles", "0" },
    { "fixpipe_bytes_per_cycle", "100" },  { "fixpipe_startup_cycles", "0" },
    { "aiv_mte2_bytes_per_cycle", "100" }, { "aiv_mte3_bytes_per_cycle", "100" },
    { "aiv_dma_startup_cycles", "0" },     { "vector_min_cycles", "1" },
    { "vector_repeat_bytes", "256" },      { "hbm_bytes_per_s", "1e15" },
    { "l2_bytes_per_s", "1e15" },          { "l2_bytes", "1048576" },
    { "die_to_die_bytes_per_s", "1e11" },  { "cross_core_latency_cycles", "0" },
    { "flag_latency_cycles", "0" },        { "scalar_issue_cycles", "0" },
    { "atomic_extra_cycles", "0" },        { "atomic_rate_factor", "1" },
    { "atomic_l2_factor", "2" },
    { "event_ids", "8" },                  { "cross_flag_max_pending", "15" },
    { "cross_wait_mode", "2" },            { "issue_queue_depth", "32" },
    { "fixpipe_unit_parts", "1" },
  };
  g_auto (GStrv) ov = g_strsplit (overrides ? overrides : "", ",", -1);
  for (gsize i = 0; i < G_N_ELEMENTS (defaults); i++)
    {
      const char *v = defaults[i][1];
      for (char **o = ov; *o; o++)
        {
          gsize kl = strlen (defaults[i][0]);
          if (strncmp (*o, defaults[i][0], kl) == 0 && (*o)[kl] == '=')
            v = *o + kl + 1;
        }
      g_string_append_printf (s, "%s\"%s\":{\"value\":%s}", i ? "," : "", defaults[i][0], v);
    }
  g_string_append (s, "}}");
  GError *err = NULL;
  SimHw *hw = sim_hw_load_from_data (s->str, s->len, "test", &err);
  g_assert_no_error (err);
  g_string_free (s, TRUE);
  return hw;
}

static SimResult *
run_ok (SimProgram *p)
{
  GError *err = NULL;
  SimRunOptions opt;
  sim_run_options_init (&opt);
  SimResult *r = sim_engine_run (p, &opt, &err);
  g_assert_no_error (err);
  g_assert_nonnull (r);
  return r;
}

static GError *
run_err (SimProgram *p)
{
  GError *err = NULL;
  SimResult *r = sim_engine_run (p, NULL, &err);
  g_assert_null (r);
  g_assert_nonnull (err);
  return err;
}

/* span i of (group, lane) */
static const SimSpan *
span (SimResult *r, int group, SimPipe pipe, gsize i)
{
  SimGroup *g = g_ptr_array_index (r->trace->groups, group);
  for (guint l = 0; l < g->lanes->len; l++)
    {
      SimLane *lane = g_ptr_array_index (g->lanes, l);
      if (lane->pipe == pipe)
        {
          g_assert_cmpuint (i, <, lane->n_spans);
          return &lane->spans[i];
        }
    }
  g_assert_not_reached ();
  return NULL;
}

#define AIC_G 0
#define AIV0_G 1
#define AIV1_G 2

static void
test_in_order (void)
{
  g_autoptr (SimHw) hw = test_hw (NULL);
  g_autoptr (SimProgram) p = sim_program_new (hw);
  SimCore *v = sim_program_aiv (p, 0, 0);
  sim_prog_vector_cycles (p, v, 100, "a");
  sim_prog_vector_cycles (p, v, 50, "b");
  /* another pipe of the same core runs concurrently */
  sim_prog_scalar (p, v, 30, "s");
  g_autoptr (SimResult) r = run_ok (p);
  g_assert_cmpfloat (span (r, AIV0_G, SIM_PIPE_VECTOR, 1)->start_ns, ==, 100);
  g_assert_cmpfloat (span (r, AIV0_G, SIM_PIPE_SCALAR, 0)->start_ns, ==, 0);
  g_assert_cmpfloat (r->metrics.total_ns, ==, 150);
}

static void
test_flag_order (void)
{
  g_autoptr (SimHw) hw = test_hw ("flag_latency_cycles=5");
  g_autoptr (SimProgram) p = sim_program_new (hw);
  SimCore *c = sim_program_aic (p, 0);
  /* MTE1 moves 1000 B at 10 B/cycle = 100 cycles, then tells the Cube */
  sim_prog_dma (p, c, SIM_PIPE_MTE1, SIM_MEM_L1, SIM_MEM_L0A, 1000, 0, SIM_ATOMIC_NONE, "load");
  sim_prog_set_flag (p, c, SIM_PIPE_MTE1, SIM_PIPE_CUBE, 0);
  sim_prog_wait_flag (p, c, SIM_PIPE_MTE1, SIM_PIPE_CUBE, 0);
  sim_prog_mmad (p, c, 16, 16, 160, "mmad"); /* 10 fractals = 10 cycles */
  g_autoptr (SimResult) r = run_ok (p);
  g_assert_cmpfloat (span (r, AIC_G, SIM_PIPE_CUBE, 0)->start_ns, ==, 105);
  g_assert_cmpfloat (r->metrics.total_ns, ==, 115);
}

/* A set and a wait carry their flag's key (sim_prog_flag_key in SimInstr.bytes): flags that
 * differ only in src pipe, dst pipe or id are different flags. */
static void
test_flag_keys (void)
{
  g_autoptr (SimHw) hw = test_hw (NULL);
  g_autoptr (SimProgram) p = sim_program_new (hw);
  SimCore *c = sim_program_aic (p, 0);
  /* the Cube waits for MTE2's flag 3 (set at 100); MTE1's flag 3 and MTE2's flag 2 to the Cube
   * and MTE2's flag 3 to the FixPipe are set at 0 and must not wake it */
  sim_prog_set_flag (p, c, SIM_PIPE_MTE1, SIM_PIPE_CUBE, 3);
  sim_prog_set_flag (p, c, SIM_PIPE_MTE2, SIM_PIPE_CUBE, 2);
  sim_prog_set_flag (p, c, SIM_PIPE_MTE2, SIM_PIPE_FIXPIPE, 3);
  sim_prog_dma (p, c, SIM_PIPE_MTE2, SIM_MEM_GM, SIM_MEM_L1, 10000, 0, SIM_ATOMIC_NONE, "load");
  sim_prog_set_flag (p, c, SIM_PIPE_MTE2, SIM_PIPE_CUBE, 3);
  sim_prog_wait_flag (p, c, SIM_PIPE_MTE2, SIM_PIPE_CUBE, 3);
  sim_prog_mmad (p, c, 16, 16, 16, "mmad");
  sim_prog_wait_flag (p, c, SIM_PIPE_MTE1, SIM_PIPE_CUBE, 3);
  sim_prog_wait_flag (p, c, SIM_PIPE_MTE2, SIM_PIPE_CUBE, 2);
  sim_prog_wait_flag (p, c, SIM_PIPE_MTE2, SIM_PIPE_FIXPIPE, 3);
  int flags = 0;
  for (int q = 0; q < SIM_N_PIPES; q++)
    for (gsize i = 0; i < c->n[q]; i++)
      {
        const SimInstr *in = sim_core_instr (c, q, i);
        if (in->op != SIM_OP_SET_FLAG && in->op != SIM_OP_WAIT_FLAG)
          continue;
        g_assert_cmpuint (in->bytes, ==, (in->src * SIM_N_PIPES + in->dst) * 8u + in->event);
        g_assert_cmpuint (in->bytes, ==, sim_prog_flag_key (p, in->src, in->dst, in->event));
        flags++;
      }
  g_assert_cmpint (flags, ==, 8);
  g_autoptr (SimResult) r = run_ok (p);
  g_assert_cmpfloat (span (r, AIC_G, SIM_PIPE_CUBE, 0)->start_ns, ==, 100);
}

/* A pipe woken from a block keeps no kind of block: a set for a pipe that waited on that flag
 * before and is busy now wakes nothing (the pipe takes the count at its next wait), and the
 * issue wakes no pipe that waited for it before and is busy now (the engine asks for a pipe's
 * kind of block alone, which holds because a pipe that is not blocked has none). */
static void
test_flag_set_while_busy (void)
{
  g_autoptr (SimHw) hw = test_hw ("flag_latency_cycles=5");
  g_autoptr (SimProgram) p = sim_program_new (hw);
  SimCore *c = sim_program_aic (p, 0);
  /* MTE1: 100 cycles, set (visible at 105), 100 cycles, set at 200 (visible at 205) */
  sim_prog_dma (p, c, SIM_PIPE_MTE1, SIM_MEM_L1, SIM_MEM_L0A, 1000, 0, SIM_ATOMIC_NONE, "a");
  sim_prog_set_flag (p, c, SIM_PIPE_MTE1, SIM_PIPE_CUBE, 0);
  sim_prog_dma (p, c, SIM_PIPE_MTE1, SIM_MEM_L1, SIM_MEM_L0A, 1000, 0, SIM_ATOMIC_NONE, "b");
  sim_prog_set_flag (p, c, SIM_PIPE_MTE1, SIM_PIPE_CUBE, 0);
  /* the Cube waits until 105, is busy 105-305 (200 fractals), then takes the second set */
  sim_prog_wait_flag (p, c, SIM_PIPE_MTE1, SIM_PIPE_CUBE, 0);
  sim_prog_mmad (p, c, 16, 16, 16 * 200, "long");
  sim_prog_wait_flag (p, c, SIM_PIPE_MTE1, SIM_PIPE_CUBE, 0);
  sim_prog_mmad (p, c, 16, 16, 160, "short");
  g_autoptr (SimResult) r = run_ok (p);
  g_assert_cmpfloat (span (r, AIC_G, SIM_PIPE_MTE1, 1)->start_ns, ==, 100);
  g_assert_cmpfloat (span (r, AIC_G, SIM_PIPE_CUBE, 0)->start_ns, ==, 105);
  g_assert_cmpfloat (span (r, AIC_G, SIM_PIPE_CUBE, 0)->dur_ns, ==, 200);
  g_assert_cmpfloat (span (r, AIC_G, SIM_PIPE_CUBE, 1)->start_ns, ==, 305);
  g_assert_cmpfloat (r->metrics.total_ns, ==, 315);
}

static void
test_barrier (void)
{
  g_autoptr (SimHw) hw = test_hw (NULL);
  g_autoptr (SimProgram) p = sim_program_new (hw);
  SimCore *v = sim_program_aiv (p, 0, 0);
  sim_prog_vector_cycles (p, v, 100, "long");
  sim_prog_scalar (p, v, 10, "short");
  sim_prog_barrier (p, v);
  sim_prog_scalar (p, v, 10, "after");
  g_autoptr (SimResult) r = run_ok (p);
  g_assert_cmpfloat (span (r, AIV0_G, SIM_PIPE_SCALAR, 1)->start_ns, ==, 100);
  g_assert_cmpfloat (r->metrics.total_ns, ==, 110);
}

static void
test_cross_core_latency (void)
{
  /* per-pipe semantics here (AIV1's "b" is written after its wait but runs at 0); the
   * whole-core semantics have their own test below */
  g_autoptr (SimHw) hw = test_hw ("cross_core_latency_cycles=40,cross_wait_mode=0");
  g_autoptr (SimProgram) p = sim_program_new (hw);
  SimCore *c = sim_program_aic (p, 0);
  SimCore *v0 = sim_program_aiv (p, 0, 0), *v1 = sim_program_aiv (p, 0, 1);
  /* AIC -> both AIVs */
  sim_prog_scalar (p, c, 100, "work");
  sim_prog_cross_set (p, c, SIM_PIPE_SCALAR, 3, "ready");
  sim_prog_cross_wait (p, v0, SIM_PIPE_VECTOR, 3, "ready?");
  sim_prog_vector_cycles (p, v0, 10, "v0");
  sim_prog_cross_wait (p, v1, SIM_PIPE_VECTOR, 3, "ready?");
  sim_prog_vector_cycles (p, v1, 10, "v1");
  /* both AIVs -> AIC: counts when the later one (AIV1 at 200) has set */
  sim_prog_scalar (p, v0, 50, "a");
  sim_prog_cross_set (p, v0, SIM_PIPE_SCALAR, 4, "done");
  sim_prog_scalar (p, v1, 200, "b");
  sim_prog_cross_set (p, v1, SIM_PIPE_SCALAR, 4, "done");
  sim_prog_cross_wait (p, c, SIM_PIPE_CUBE, 4, "done?");
  sim_prog_mmad (p, c, 16, 16, 16, "mmad");
  g_autoptr (SimResult) r = run_ok (p);
  g_assert_cmpfloat (span (r, AIV0_G, SIM_PIPE_VECTOR, 0)->start_ns, ==, 140);
  g_assert_cmpfloat (span (r, AIV1_G, SIM_PIPE_VECTOR, 0)->start_ns, ==, 140);
  g_assert_cmpfloat (span (r, AIC_G, SIM_PIPE_CUBE, 0)->start_ns, ==, 240);
  /* flows: AIC->AIV0, AIC->AIV1, AIVs->AIC */
  g_assert_cmpuint (r->trace->flows->len, ==, 3);
}

/* CrossCoreWaitFlag blocks every instruction written after it, on every pipe of the core, until
 * the flag arrives; work written before it runs on.  AIC sets at 100 + latency 40 = 140.  The
 * whole-core fence (mode 1) and the issue model (mode 2) agree here: nothing is queued behind a
 * slow pipe; mode 0 blocks only the wait's own pipe (MTE2). */
static void
test_cross_wait_blocks_core (void)
{
  for (int mode = 0; mode <= 2; mode++)
    {
      gboolean whole = mode != 0;
      g_autofree char *ov
          = g_strdup_printf ("cross_core_latency_cycles=40,cross_wait_mode=%d", mode);
      g_autoptr (SimHw) hw = test_hw (ov);
      g_autoptr (SimProgram) p = sim_program_new (hw);
      SimCore *c = sim_program_aic (p, 0);
      SimCore *v0 = sim_program_aiv (p, 0, 0), *v1 = sim_program_aiv (p, 0, 1);
      sim_prog_scalar (p, c, 100, "work");
      sim_prog_cross_set (p, c, SIM_PIPE_SCALAR, 3, "ready");
      sim_prog_scalar (p, v0, 30, "before");        /* written before the wait: 0..30 */
      sim_prog_cross_wait (p, v0, SIM_PIPE_MTE2, 3, "ready?");
      sim_prog_vector_cycles (p, v0, 10, "after");  /* written after: 140 (whole) or 0 */
      sim_prog_scalar (p, v0, 5, "after too");      /* 140 (whole) or 30 */
      sim_prog_cross_wait (p, v1, SIM_PIPE_MTE2, 3, "ready?");
      g_autoptr (SimResult) r = run_ok (p);
      g_assert_cmpfloat (span (r, AIV0_G, SIM_PIPE_SCALAR, 0)->start_ns, ==, 0);
      g_assert_cmpfloat (span (r, AIV0_G, SIM_PIPE_VECTOR, 0)->start_ns, ==, whole ? 140 : 0);
      g_assert_cmpfloat (span (r, AIV0_G, SIM_PIPE_SCALAR, 1)->start_ns, ==, whole ? 140 : 30);
      g_assert_cmpfloat (r->metrics.total_ns, ==, whole ? 150 : 140);
    }
}

/* A core stuck behind a cross-core wait that never completes is a deadlock naming that wait:
 * under the whole-core fence the pipes wait behind it, under the issue model the issue does. */
static void
test_cross_wait_fence_deadlock (void)
{
  for (int mode = 1; mode <= 2; mode++)
    {
      g_autofree char *ov = g_strdup_printf ("cross_wait_mode=%d", mode);
      g_autoptr (SimHw) hw = test_hw (ov);
      g_autoptr (SimProgram) p = sim_program_new (hw);
      SimCore *v0 = sim_program_aiv (p, 0, 0);
      sim_prog_cross_wait (p, v0, SIM_PIPE_MTE2, 5, "never set");
      sim_prog_vector_cycles (p, v0, 10, "after");
      g_autoptr (GError) err = run_err (p);
      g_assert_error (err, SIM_ENGINE_ERROR, SIM_ENGINE_ERROR_DEADLOCK);
      if (mode == 1)
        {
          g_assert_nonnull (strstr (err->message, "AIV0 MTE2 waits for cross-core flag 5"));
          g_assert_nonnull (strstr (
              err->message, "AIV0 VECTOR waits behind cross-core wait 5 ('never set') on MTE2"));
        }
      else
        g_assert_nonnull (
            strstr (err->message, "AIV0 issue waits for cross-core flag 5 ('never set')"));
    }
}

/* Where a cross-core wait takes effect, on an AIC whose FixPipe is busy when the program reaches
 * the wait.  Program: MMAD1 (100 cycles); Cube -> FixPipe flag; FixPipe stores 5000 B (50
 * cycles, 100..150); cross-core wait for flag 3 (both AIVs set it at 0, visible after the
 * latency L); MTE2 loads 1000 B (10 cycles); MTE2 -> Cube flag; MMAD2 (100 cycles).
 *   issue (2): issue stops at the wait until L; MMAD1 was issued before and runs 0..100.  The
 *              load starts at L, MMAD2 at max(100, L + 10).
 *   core (1):  nothing after the wait starts before the FixPipe reaches it (150) and it has
 *              completed (max(150, L)).
 *   pipe (0):  only the FixPipe waits; the load runs at 0. */
static void
test_issue_semantics (void)
{
  static const struct
  {
    int mode, latency;
    double load_start, mmad2_start, total;
  } cases[] = {
    { 2, 0, 0, 100, 200 },   /* flag already set: the wait costs nothing */
    { 2, 40, 40, 100, 200 }, /* set during MMAD1: no Cube stall either */
    { 2, 300, 300, 310, 410 }, /* unset: issue stops, the queued MMAD1 still runs */
    { 1, 0, 150, 160, 260 },
    { 1, 40, 150, 160, 260 },
    { 1, 300, 300, 310, 410 },
    { 0, 0, 0, 100, 200 },
    { 0, 300, 0, 100, 300 },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *ov = g_strdup_printf ("cross_core_latency_cycles=%d,cross_wait_mode=%d",
                                             cases[i].latency, cases[i].mode);
      g_autoptr (SimHw) hw = test_hw (ov);
      g_autoptr (SimProgram) p = sim_program_new (hw);
      SimCore *c = sim_program_aic (p, 0);
      for (int s = 0; s < 2; s++)
        sim_prog_cross_set (p, sim_program_aiv (p, 0, s), SIM_PIPE_SCALAR, 3, "go");
      sim_prog_mmad (p, c, 16, 16, 1600, "MMAD1"); /* 100 fractals = 100 cycles */
      sim_prog_set_flag (p, c, SIM_PIPE_CUBE, SIM_PIPE_FIXPIPE, 0);
      sim_prog_wait_flag (p, c, SIM_PIPE_CUBE, SIM_PIPE_FIXPIPE, 0);
      sim_prog_dma (p, c, SIM_PIPE_FIXPIPE, SIM_MEM_L0C, SIM_MEM_GM, 5000, 0, SIM_ATOMIC_NONE,
                    "store");
      sim_prog_cross_wait (p, c, SIM_PIPE_FIXPIPE, 3, "go?");
      sim_prog_dma (p, c, SIM_PIPE_MTE2, SIM_MEM_GM, SIM_MEM_L1, 1000, 0, SIM_ATOMIC_NONE, "load");
      sim_prog_set_flag (p, c, SIM_PIPE_MTE2, SIM_PIPE_CUBE, 0);
      sim_prog_wait_flag (p, c, SIM_PIPE_MTE2, SIM_PIPE_CUBE, 0);
      sim_prog_mmad (p, c, 16, 16, 1600, "MMAD2");
      g_autoptr (SimResult) r = run_ok (p);
      g_test_message ("mode %d latency %d", cases[i].mode, cases[i].latency);
      g_assert_cmpfloat (span (r, AIC_G, SIM_PIPE_CUBE, 0)->start_ns, ==, 0);
      g_assert_cmpfloat (span (r, AIC_G, SIM_PIPE_MTE2, 0)->start_ns, ==, cases[i].load_start);
      g_assert_cmpfloat (span (r, AIC_G, SIM_PIPE_CUBE, 1)->start_ns, ==, cases[i].mmad2_start);
      g_assert_cmpfloat (r->metrics.total_ns, ==, cases[i].total);
    }
}

/* The queue depth bounds how far the Scalar runs ahead: four MMADs of 100 cycles, then a
 * cross-core wait whose flag is visible at 50, then a load.  Depth 8: all four are queued at 0,
 * issue reaches the wait at once and the load starts at 50.  Depth 2: MMAD3 is issued when MMAD1
 * finishes (100), MMAD4 at 200, and only then the wait and the load (200). */
/* unitFlag streaming: an MMAD of 100 cycles written as two strips of 50, each handed to the
 * FixPipe by a unit flag; the FixPipe's 2 x 2500 B parts (100 B/cycle, start-up 20): the first
 * runs 50 + 20 + 25 = 95, the second streams without a start-up from the second strip's end,
 * 100 + 25 = 125.  Without streaming (one flag, one 5000 B transfer) it ends at 100 + 20 + 50.
 * The parts take no queue places: with a depth of 1 the timing is the same. */
static void
test_unit_flag_streaming (void)
{
  for (int depth = 1; depth <= 32; depth += 31)
    for (int stream = 0; stream <= 1; stream++)
      {
        g_autofree char *ov
            = g_strdup_printf ("fixpipe_startup_cycles=20,issue_queue_depth=%d", depth);
        g_autoptr (SimHw) hw = test_hw (ov);
        g_autoptr (SimProgram) p = sim_program_new (hw);
        SimCore *c = sim_program_aic (p, 0);
        int parts = stream ? 2 : 1;
        for (int u = 0; u < parts; u++)
          {
            sim_prog_mmad (p, c, 16, 16, 1600 / parts, "mmad");
            if (u > 0)
              sim_prog_mark_part (p, c, SIM_PIPE_CUBE);
            sim_prog_set_flag (p, c, SIM_PIPE_CUBE, SIM_PIPE_FIXPIPE, 0);
            if (stream)
              sim_prog_mark_part (p, c, SIM_PIPE_CUBE);
          }
        for (int u = 0; u < parts; u++)
          {
            sim_prog_wait_flag (p, c, SIM_PIPE_CUBE, SIM_PIPE_FIXPIPE, 0);
            if (stream)
              sim_prog_mark_part (p, c, SIM_PIPE_FIXPIPE);
            sim_prog_dma_ex (p, c, SIM_PIPE_FIXPIPE, SIM_MEM_L0C, SIM_MEM_GM, 5000 / parts, 0,
                             SIM_ATOMIC_NONE, u > 0 ? SIM_DMA_STREAMED : 0, "drain");
          }
        g_autoptr (SimResult) r = run_ok (p);
        g_assert_cmpfloat (span (r, AIC_G, SIM_PIPE_FIXPIPE, 0)->start_ns, ==, stream ? 50 : 100);
        g_assert_cmpfloat (r->metrics.total_ns, ==, stream ? 125 : 170);
      }
}

static void
test_issue_queue_depth (void)
{
  for (int depth = 2; depth <= 8; depth += 6)
    {
      g_autofree char *ov
          = g_strdup_printf ("cross_core_latency_cycles=50,issue_queue_depth=%d", depth);
      g_autoptr (SimHw) hw = test_hw (ov);
      g_autoptr (SimProgram) p = sim_program_new (hw);
      SimCore *c = sim_program_aic (p, 0);
      for (int s = 0; s < 2; s++)
        sim_prog_cross_set (p, sim_program_aiv (p, 0, s), SIM_PIPE_SCALAR, 3, "go");
      for (int k = 0; k < 4; k++)
        sim_prog_mmad (p, c, 16, 16, 1600, "mmad");
      sim_prog_cross_wait (p, c, SIM_PIPE_CUBE, 3, "go?");
      sim_prog_dma (p, c, SIM_PIPE_MTE2, SIM_MEM_GM, SIM_MEM_L1, 1000, 0, SIM_ATOMIC_NONE, "load");
      g_autoptr (SimResult) r = run_ok (p);
      g_assert_cmpfloat (span (r, AIC_G, SIM_PIPE_CUBE, 3)->start_ns, ==, 300);
      g_assert_cmpfloat (span (r, AIC_G, SIM_PIPE_MTE2, 0)->start_ns, ==, depth == 2 ? 200 : 50);
      g_assert_cmpfloat (r->metrics.total_ns, ==, 400);
    }
}

/* Two dies are simulated as independent partitions (on threads) unless something couples them.
 * Same-die reads on both dies: each die's HBM alone, 100 cycles each, whatever the threads.  Both
 * reading die 1's HBM: they share it and take 200 — the engine must see the coupling. */
static void
test_dies_partitions (void)
{
  g_autoptr (SimHw) hw = test_hw ("hbm_bytes_per_s=1e11,dies=2");
  for (int threads = 1; threads <= 2; threads++)
    for (int cross = 0; cross <= 1; cross++)
      {
        g_autoptr (SimProgram) p = sim_program_new (hw);
        SimCore *d0 = sim_program_aiv (p, 0, 0), *d1 = sim_program_aiv (p, 1, 0);
        g_assert_cmpint (d0->die, ==, 0);
        g_assert_cmpint (d1->die, ==, 1);
        sim_prog_dma (p, d0, SIM_PIPE_MTE2, SIM_MEM_GM, SIM_MEM_UB, 10000,
                      sim_gm_tag (cross ? 1 : 0, 1, 0), SIM_ATOMIC_NONE, "die0 core");
        sim_prog_dma (p, d1, SIM_PIPE_MTE2, SIM_MEM_GM, SIM_MEM_UB, 10000, sim_gm_tag (1, 2, 0),
                      SIM_ATOMIC_NONE, "die1 core");
        GError *err = NULL;
        SimRunOptions opt;
        sim_run_options_init (&opt);
        opt.threads = threads;
        g_autoptr (SimResult) r = sim_engine_run (p, &opt, &err);
        g_assert_no_error (err);
        g_assert_cmpfloat (fabs (r->metrics.total_ns - (cross ? 200 : 100)), <, 1e-6);
        g_assert_cmpuint (r->metrics.hbm_bytes, ==, 20000);
        g_assert_cmpuint (r->metrics.bytes[SIM_PATH_GM_TO_UB_HBM], ==, 20000);
      }
}

/* Three dies on one, two or three threads (partitions dealt to threads in stripes): each die
 * reads its own HBM, so all finish at 100 whatever the split. */
static void
test_dies_stripes (void)
{
  g_autoptr (SimHw) hw = test_hw ("hbm_bytes_per_s=1e11,dies=3");
  for (int threads = 1; threads <= 3; threads++)
    {
      g_autoptr (SimProgram) p = sim_program_new (hw);
      for (int d = 0; d < 3; d++)
        sim_prog_dma (p, sim_program_aiv (p, d, 0), SIM_PIPE_MTE2, SIM_MEM_GM, SIM_MEM_UB,
                      10000 * (d + 1), sim_gm_tag (d, 1, 0), SIM_ATOMIC_NONE, "own die");
      GError *err = NULL;
      SimRunOptions opt;
      sim_run_options_init (&opt);
      opt.threads = threads;
      g_autoptr (SimResult) r = sim_engine_run (p, &opt, &err);
      g_assert_no_error (err);
      g_assert_cmpfloat (fabs (r->metrics.total_ns - 300), <, 1e-6); /* die 2: 30000 B */
      g_assert_cmpuint (r->metrics.hbm_bytes, ==, 60000);
      g_assert_cmpuint (r->trace->flows->len, ==, 0);
      g_assert_cmpuint (r->trace->groups->len, ==, 9);
    }
}

/* ---- die symmetry (sim/engine-mirror.c) ----
 * A streamed program whose dies run the same or nearly the same thing: each AIC does MMADs and
 * tells its AIVs (cross-core flag), each AIV reads GM tiles (the second read of a tile is an L2
 * hit) and does Vector work; every core in several pieces. */
enum
{
  MIRROR_SAME,      /* die 1 = die 0, its tiles die 0's at another offset */
  MIRROR_TAGS,      /* die 1 reads a new tile where die 0 reads one again (a miss for a hit) */
  MIRROR_LAST,      /* die 1's last piece: a longer Vector instruction */
  MIRROR_ORDER,     /* die 1's AIVs issue a read before the cross-core wait (each pipe the same) */
  MIRROR_WAIT_NAME, /* die 1's cross-core waits have a name of their own (the arrows' name) */
  MIRROR_NAME,      /* die 1's Vector instructions have a name of their own */
  MIRROR_TASKS,     /* die 1's tasks are not die 0's moved by one offset */
  MIRROR_DEADLOCK,  /* both dies wait for a flag nobody sets */
};

typedef struct
{
  const SimHw *hw;
  int variant;
  int piece[64];
} MirrorSrc;

#define MIRROR_PIECES 6

static SimProgram *mirror_program (const SimHw *hw, int variant);

static gboolean
mirror_source (SimProgram *p, SimCore *c, gpointer data)
{
  MirrorSrc *ms = data;
  int id = sim_program_core_id (p, c);
  int k = ms->piece[id]++;
  gboolean die1 = c->die == 1, last = k + 1 == MIRROR_PIECES;
  /* a stage that only the first AIC of a die has: a trace recording AIC 0 alone must still
   * count it among die 1's stages left out */
  /* and tasks of their own on die 1 (a trace of die 1 shows die 1's), none in the first piece */
  int local = c->kind == SIM_CORE_AIC ? c->index % 2 : c->index % 4;
  if (ms->variant == MIRROR_TASKS && die1)
    local ^= 1;
  sim_prog_context (p, c, c->kind == SIM_CORE_AIC && c->index % 2 == 0 ? SIM_STAGE_COMBINE : 0,
                    k == 0 ? -1 : c->die * 100 + local, k);
  if (c->kind == SIM_CORE_AIC)
    {
      /* one MMAD while the AIVs work on the piece before (Cube ∩ Vector), one after they are
       * done with it (the Cube stalls on the cross-core flag) */
      sim_prog_mmad (p, c, 256, 128, 128, "early");
      if (k > 0)
        sim_prog_cross_wait (p, c, SIM_PIPE_CUBE, 2, "from AIVs");
      sim_prog_mmad (p, c, 128, 32, 128, "mmad");
      sim_prog_cross_set (p, c, SIM_PIPE_CUBE, 1, "to AIVs");
      if (ms->variant == MIRROR_DEADLOCK && last)
        sim_prog_wait_flag (p, c, SIM_PIPE_MTE1, SIM_PIPE_CUBE, 3);
    }
  else
    {
      /* tiles: offset 100 per die (a translation); per AIV its own two tiles, each read twice */
      guint64 off = (guint64) (die1 ? 100 : 0) + (guint64) c->index % 4 * 10;
      guint64 again = ms->variant == MIRROR_TAGS && die1 ? off + 5 : off;
      gboolean early = ms->variant == MIRROR_ORDER && die1;
      const char *wait = ms->variant == MIRROR_WAIT_NAME && die1 ? "from AIC, die 1" : "from AIC";
      if (!early)
        sim_prog_cross_wait (p, c, SIM_PIPE_VECTOR, 1, wait);
      sim_prog_dma (p, c, SIM_PIPE_MTE2, SIM_MEM_GM, SIM_MEM_UB, 20000,
                    sim_gm_tag (c->die, 3, off + (guint64) (k % 2)), SIM_ATOMIC_NONE, "read");
      if (early)
        sim_prog_cross_wait (p, c, SIM_PIPE_VECTOR, 1, wait);
      sim_prog_dma (p, c, SIM_PIPE_MTE2, SIM_MEM_GM, SIM_MEM_UB, 20000,
                    sim_gm_tag (c->die, 3, again + (guint64) (k % 2)), SIM_ATOMIC_NONE, "again");
      sim_prog_set_flag (p, c, SIM_PIPE_MTE2, SIM_PIPE_VECTOR, 0);
      sim_prog_wait_flag (p, c, SIM_PIPE_MTE2, SIM_PIPE_VECTOR, 0);
      /* MIRROR_LAST: a longer Vector instruction (its cycles alone differ, not its FLOPs) */
      double cycles = ms->variant == MIRROR_LAST && die1 && last ? 900 : 300;
      sim_prog_vector_cycles (p, c, cycles + 10 * (c->index % 2),
                              ms->variant == MIRROR_NAME && die1 ? "vector on die 1" : "vector");
      if (!last)
        sim_prog_cross_set (p, c, SIM_PIPE_VECTOR, 2, "to AIC");
    }
  return !last;
}

static SimProgram *
mirror_twin (gpointer data)
{
  MirrorSrc *ms = data;
  return mirror_program (ms->hw, ms->variant);
}

static SimProgram *
mirror_program (const SimHw *hw, int variant)
{
  SimProgram *p = sim_program_new (hw);
  MirrorSrc *ms = g_new0 (MirrorSrc, 1);
  ms->hw = hw;
  ms->variant = variant;
  g_assert_cmpint (p->n_cores, <=, (int) G_N_ELEMENTS (ms->piece));
  sim_program_set_source (p, mirror_source, ms, g_free);
  sim_program_set_twin (p, mirror_twin);
  return p;
}

/* trace: 0 none, 1 every core, 2 AIC 0's group only (die 0), 3 AIC 2's (die 1) */
static SimResult *
mirror_run (const SimHw *hw, int variant, gboolean every_die, int threads, int trace, GError **err)
{
  g_autoptr (SimProgram) p = mirror_program (hw, variant);
  SimRunOptions opt;
  sim_run_options_init (&opt);
  opt.record_trace = trace != 0;
  opt.trace_aic_first = trace == 3 ? 2 : 0;
  opt.trace_aic_count = trace >= 2 ? 1 : 0;
  opt.every_die = every_die;
  opt.threads = threads;
  return sim_engine_run (p, &opt, err);
}

static void
assert_same_metrics (const SimMetrics *a, const SimMetrics *b, int n_cores)
{
  SimMetrics ca = *a, cb = *b;
  ca.core_busy = cb.core_busy = NULL;
  g_assert_cmpint (memcmp (&ca, &cb, sizeof ca), ==, 0);
  g_assert_cmpint (memcmp (a->core_busy, b->core_busy, n_cores * SIM_N_PIPES * sizeof (double)), ==,
                   0);
}

/* Two traces hold the same groups, spans, flows, counters and left-out counts. */
static void
assert_same_trace (const SimTrace *a, const SimTrace *b)
{
  g_assert_cmpuint (a->unrecorded_spans, ==, b->unrecorded_spans);
  g_assert_cmpuint (a->unrecorded_stages, ==, b->unrecorded_stages);
  g_assert_cmpuint (a->groups->len, ==, b->groups->len);
  for (guint g = 0; g < a->groups->len; g++)
    {
      const SimGroup *ga = g_ptr_array_index (a->groups, g), *gb = g_ptr_array_index (b->groups, g);
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
              g_assert_cmpuint (x->flags, ==, y->flags);
              g_assert_cmpint (x->task, ==, y->task);
              g_assert_cmpint (x->iter, ==, y->iter);
              g_assert_cmpuint (x->stage, ==, y->stage);
              g_assert_cmpuint (x->bytes, ==, y->bytes);
              g_assert_cmpstr (sim_trace_string (a, x->name), ==, sim_trace_string (b, y->name));
              g_assert_cmpstr (sim_trace_string (a, x->detail), ==,
                               sim_trace_string (b, y->detail));
            }
        }
    }
  g_assert_cmpuint (a->flows->len, ==, b->flows->len);
  for (guint f = 0; f < a->flows->len; f++)
    {
      const SimFlow *fa = &g_array_index (a->flows, SimFlow, f);
      const SimFlow *fb = &g_array_index (b->flows, SimFlow, f);
      g_assert_cmpuint (fa->id, ==, fb->id);
      g_assert_cmpuint (fa->src_group, ==, fb->src_group);
      g_assert_cmpuint (fa->src_lane, ==, fb->src_lane);
      g_assert_cmpuint (fa->dst_group, ==, fb->dst_group);
      g_assert_cmpuint (fa->dst_lane, ==, fb->dst_lane);
      g_assert_cmpfloat (fa->src_ns, ==, fb->src_ns);
      g_assert_cmpfloat (fa->dst_ns, ==, fb->dst_ns);
      g_assert_cmpstr (sim_trace_string (a, fa->name), ==, sim_trace_string (b, fb->name));
    }
  g_assert_cmpuint (a->counters->len, ==, b->counters->len);
  for (guint c = 0; c < a->counters->len; c++)
    {
      const SimCounter *ca = g_ptr_array_index (a->counters, c);
      const SimCounter *cb = g_ptr_array_index (b->counters, c);
      g_assert_cmpstr (ca->name, ==, cb->name);
      g_assert_cmpuint (ca->n, ==, cb->n);
      g_assert_cmpint (memcmp (ca->ts_ns, cb->ts_ns, ca->n * sizeof (double)), ==, 0);
      g_assert_cmpint (memcmp (ca->value, cb->value, ca->n * sizeof (double)), ==, 0);
    }
}

/* Die 1 is given die 0's results only when its program is die 0's, and the results are those of
 * simulating it, to the bit; a difference anywhere (a tile's reuse, the last piece) and it is
 * simulated.  The variants that differ give other numbers than the same program does, so a check
 * that let them through would fail here. */
static void
test_dies_mirrored (void)
{
  g_autoptr (SimHw) hw = test_hw ("hbm_bytes_per_s=1e11,dies=2,aic_per_die=2,l2_bytes=200000,"
                                  "flag_latency_cycles=3,cross_core_latency_cycles=7");
  int n_cores = 2 * 2 * 3;
  g_autoptr (SimResult) same = mirror_run (hw, MIRROR_SAME, TRUE, 1, 0, NULL);
  for (int variant = MIRROR_SAME; variant <= MIRROR_ORDER; variant++)
    for (int threads = 1; threads <= 2; threads++)
      {
        GError *err = NULL;
        g_autoptr (SimResult) a = mirror_run (hw, variant, TRUE, threads, 0, &err);
        g_assert_no_error (err);
        g_autoptr (SimResult) b = mirror_run (hw, variant, FALSE, threads, 0, &err);
        g_assert_no_error (err);
        g_assert_cmpint (a->dies_mirrored, ==, 0);
        g_assert_cmpint (b->dies_mirrored, ==, variant == MIRROR_SAME ? 1 : 0);
        assert_same_metrics (&a->metrics, &b->metrics, n_cores);
        g_assert_cmpuint (b->metrics.instructions, ==, same->metrics.instructions);
        g_test_message ("variant %d: %g ns, overlap %g, %s", variant, a->metrics.total_ns,
                        a->metrics.cube_vector_overlap, a->metrics.reason);
        if (variant != MIRROR_SAME)
          {
            SimMetrics ca = a->metrics, cs = same->metrics;
            ca.core_busy = cs.core_busy = NULL;
            g_assert_true (memcmp (&ca, &cs, sizeof ca) != 0
                           || memcmp (a->metrics.core_busy, same->metrics.core_busy,
                                      n_cores * SIM_N_PIPES * sizeof (double))
                                  != 0);
          }
      }
  /* L2 hits are what MIRROR_TAGS changes */
  g_autoptr (SimResult) tags = mirror_run (hw, MIRROR_TAGS, FALSE, 2, 0, NULL);
  g_assert_cmpuint (tags->metrics.bytes[SIM_PATH_GM_TO_UB_L2], <,
                    same->metrics.bytes[SIM_PATH_GM_TO_UB_L2]);
  /* a trace of every core, or of die 0's first group, copies die 1's spans and arrows from die
   * 0's with die 1's tasks; one of a group of die 1 alone (its counterpart in die 0 unrecorded)
   * simulates it.  The spans (times, labels), arrows, counters (GM bandwidth: die 1's copied)
   * and left-out counts are the same either way */
  for (int trace = 1; trace <= 3; trace++)
    for (int threads = 1; threads <= 2; threads++)
      {
        g_autoptr (SimResult) a = mirror_run (hw, MIRROR_SAME, TRUE, threads, trace, NULL);
        g_autoptr (SimResult) b = mirror_run (hw, MIRROR_SAME, FALSE, threads, trace, NULL);
        g_assert_cmpint (b->dies_mirrored, ==, trace != 3);
        /* spans and the arrows into die 1's waits carry die 1's names and tasks: copied from die
         * 0's only when the names are the same and the tasks one offset away */
        for (int variant = MIRROR_WAIT_NAME; variant <= MIRROR_TASKS; variant++)
          {
            g_autoptr (SimResult) na = mirror_run (hw, variant, TRUE, threads, trace, NULL);
            g_autoptr (SimResult) nb = mirror_run (hw, variant, FALSE, threads, trace, NULL);
            g_assert_cmpint (nb->dies_mirrored, ==, trace == 2);
            assert_same_trace (na->trace, nb->trace);
          }
        assert_same_metrics (&a->metrics, &b->metrics, n_cores);
        assert_same_trace (a->trace, b->trace);
        g_assert_cmpfloat (b->metrics.total_ns, ==, same->metrics.total_ns);
        if (trace == 2)
          {
            g_assert_cmpuint (b->trace->unrecorded_spans, >, 0);
            g_assert_cmpuint (b->trace->unrecorded_stages & 1u << SIM_STAGE_COMBINE, !=, 0);
            g_assert_cmpuint (b->trace->counters->len, >, 0);
          }
      }
  /* a deadlock names the stuck cores of both dies, as when both are simulated */
  for (int threads = 1; threads <= 2; threads++)
    {
      GError *ea = NULL, *eb = NULL;
      g_assert_null (mirror_run (hw, MIRROR_DEADLOCK, TRUE, threads, 0, &ea));
      g_assert_null (mirror_run (hw, MIRROR_DEADLOCK, FALSE, threads, 0, &eb));
      g_assert_error (ea, SIM_ENGINE_ERROR, SIM_ENGINE_ERROR_DEADLOCK);
      g_assert_cmpstr (ea->message, ==, eb->message);
      g_assert_nonnull (strstr (eb->message, "AIC2 CUBE waits for flag MTE1->CUBE #3"));
      g_clear_error (&ea);
      g_clear_error (&eb);
    }
}

static void
test_bandwidth_sharing (void)
{
  /* HBM 100 B/cycle; each AIV MTE2 may take 100 B/cycle: alone 10000 B take 100 cycles,
   * two at once share the HBM and take 200 */
  g_autoptr (SimHw) hw = test_hw ("hbm_bytes_per_s=1e11");
  {
    g_autoptr (SimProgram) p = sim_program_new (hw);
    sim_prog_dma (p, sim_program_aiv (p, 0, 0), SIM_PIPE_MTE2, SIM_MEM_GM, SIM_MEM_UB, 10000,
                  sim_gm_tag (0, 1, 0), SIM_ATOMIC_NONE, "alone");
    g_autoptr (SimResult) r = run_ok (p);
    g_assert_cmpfloat (fabs (r->metrics.total_ns - 100), <, 1e-6);
  }
  {
    g_autoptr (SimProgram) p = sim_program_new (hw);
    sim_prog_dma (p, sim_program_aiv (p, 0, 0), SIM_PIPE_MTE2, SIM_MEM_GM, SIM_MEM_UB, 10000,
                  sim_gm_tag (0, 1, 0), SIM_ATOMIC_NONE, "a");
    sim_prog_dma (p, sim_program_aiv (p, 0, 1), SIM_PIPE_MTE2, SIM_MEM_GM, SIM_MEM_UB, 10000,
                  sim_gm_tag (0, 2, 0), SIM_ATOMIC_NONE, "b");
    g_autoptr (SimResult) r = run_ok (p);
    g_assert_cmpfloat (fabs (r->metrics.total_ns - 200), <, 1e-6);
    g_assert_cmpuint (r->metrics.hbm_bytes, ==, 20000);
  }
  {
    /* a short transfer joins a long one: 0..100 both at 50 (short has 5000 B) -> short done at
     * 100, long has 5000 left at 100 B/cycle -> done at 150 */
    g_autoptr (SimProgram) p = sim_program_new (hw);
    sim_prog_dma (p, sim_program_aiv (p, 0, 0), SIM_PIPE_MTE2, SIM_MEM_GM, SIM_MEM_UB, 10000,
                  sim_gm_tag (0, 1, 0), SIM_ATOMIC_NONE, "long");
    sim_prog_dma (p, sim_program_aiv (p, 0, 1), SIM_PIPE_MTE2, SIM_MEM_GM, SIM_MEM_UB, 5000,
                  sim_gm_tag (0, 2, 0), SIM_ATOMIC_NONE, "short");
    g_autoptr (SimResult) r = run_ok (p);
    g_assert_cmpfloat (fabs (span (r, AIV1_G, SIM_PIPE_MTE2, 0)->dur_ns - 100), <, 1e-6);
    g_assert_cmpfloat (fabs (r->metrics.total_ns - 150), <, 1e-6);
  }
}

static void
test_l2_hit (void)
{
  /* HBM 10 B/cycle, L2 fast: the second read of the same tile is an L2 hit at the path rate */
  g_autoptr (SimHw) hw = test_hw ("hbm_bytes_per_s=1e10");
  g_autoptr (SimProgram) p = sim_program_new (hw);
  SimCore *v = sim_program_aiv (p, 0, 0);
  guint64 tag = sim_gm_tag (0, 7, 0);
  sim_prog_dma (p, v, SIM_PIPE_MTE2, SIM_MEM_GM, SIM_MEM_UB, 1000, tag, SIM_ATOMIC_NONE, "miss");
  sim_prog_dma (p, v, SIM_PIPE_MTE2, SIM_MEM_GM, SIM_MEM_UB, 1000, tag, SIM_ATOMIC_NONE, "hit");
  g_autoptr (SimResult) r = run_ok (p);
  g_assert_cmpfloat (fabs (span (r, AIV0_G, SIM_PIPE_MTE2, 0)->dur_ns - 100), <, 1e-6);
  g_assert_cmpfloat (fabs (span (r, AIV0_G, SIM_PIPE_MTE2, 1)->dur_ns - 10), <, 1e-6);
  g_assert_cmpuint (r->metrics.bytes[SIM_PATH_GM_TO_UB_HBM], ==, 1000);
  g_assert_cmpuint (r->metrics.bytes[SIM_PATH_GM_TO_UB_L2], ==, 1000);
}

static void
test_atomic_cost (void)
{
  /* atomic: half rate (50 B/cycle) plus 100 cycles: 1000 B take 120 vs 10 plain (L2 is not
   * the limit here, so the doubled L2 charge does not show) */
  g_autoptr (SimHw) hw = test_hw ("atomic_extra_cycles=100,atomic_rate_factor=0.5");
  g_autoptr (SimProgram) p = sim_program_new (hw);
  SimCore *v = sim_program_aiv (p, 0, 0);
  sim_prog_dma (p, v, SIM_PIPE_MTE3, SIM_MEM_UB, SIM_MEM_GM, 1000, sim_gm_tag (0, 1, 0),
                SIM_ATOMIC_NONE, "plain");
  sim_prog_dma (p, v, SIM_PIPE_MTE3, SIM_MEM_UB, SIM_MEM_GM, 1000, sim_gm_tag (0, 1, 0),
                SIM_ATOMIC_INT32, "atomic");
  g_autoptr (SimResult) r = run_ok (p);
  g_assert_cmpfloat (fabs (span (r, AIV0_G, SIM_PIPE_MTE3, 0)->dur_ns - 10), <, 1e-6);
  g_assert_cmpfloat (fabs (span (r, AIV0_G, SIM_PIPE_MTE3, 1)->dur_ns - 120), <, 1e-6);
  g_assert_true (span (r, AIV0_G, SIM_PIPE_MTE3, 1)->flags & SIM_SPAN_ATOMIC);
  g_assert_cmpuint (r->metrics.bytes[SIM_PATH_UB_TO_GM_ATOMIC], ==, 1000);
}

/* An atomic's read-modify-write is charged atomic_l2_factor times against L2: where L2 (100
 * B/cycle here) is the limit, 1000 B take 10 cycles plain and 20 as an atomic with factor 2. */
static void
test_atomic_l2_charge (void)
{
  for (int factor = 1; factor <= 2; factor++)
    {
      g_autofree char *ov = g_strdup_printf ("l2_bytes_per_s=1e11,atomic_l2_factor=%d", factor);
      g_autoptr (SimHw) hw = test_hw (ov);
      g_autoptr (SimProgram) p = sim_program_new (hw);
      SimCore *v = sim_program_aiv (p, 0, 0);
      sim_prog_dma (p, v, SIM_PIPE_MTE3, SIM_MEM_UB, SIM_MEM_GM, 1000, sim_gm_tag (0, 1, 0),
                    SIM_ATOMIC_NONE, "plain");
      sim_prog_dma (p, v, SIM_PIPE_MTE3, SIM_MEM_UB, SIM_MEM_GM, 1000, sim_gm_tag (0, 1, 0),
                    SIM_ATOMIC_INT32, "atomic");
      g_autoptr (SimResult) r = run_ok (p);
      g_assert_cmpfloat (fabs (span (r, AIV0_G, SIM_PIPE_MTE3, 0)->dur_ns - 10), <, 1e-6);
      g_assert_cmpfloat (fabs (span (r, AIV0_G, SIM_PIPE_MTE3, 1)->dur_ns - 10.0 * factor), <, 1e-6);
    }
}

static void
test_capacity (void)
{
  g_autoptr (SimHw) hw = test_hw (NULL);
  g_autoptr (SimProgram) p = sim_program_new (hw);
  SimCore *c = sim_program_aic (p, 0);
  sim_prog_alloc (p, c, SIM_PIPE_MTE1, SIM_MEM_L0A, 40 * 1024, "Q tile");
  sim_prog_alloc (p, c, SIM_PIPE_MTE1, SIM_MEM_L0A, 32 * 1024, "K tile");
  g_autoptr (GError) err = run_err (p);
  g_assert_error (err, SIM_ENGINE_ERROR, SIM_ENGINE_ERROR_CAPACITY);
  g_assert_nonnull (strstr (err->message, "L0A of AIC0 holds 64.0 KiB"));
  g_assert_nonnull (strstr (err->message, "need 72.0 KiB"));
  g_assert_nonnull (strstr (err->message, "K tile"));
}

static void
test_capacity_free (void)
{
  g_autoptr (SimHw) hw = test_hw (NULL);
  g_autoptr (SimProgram) p = sim_program_new (hw);
  SimCore *c = sim_program_aic (p, 0);
  sim_prog_alloc (p, c, SIM_PIPE_MTE1, SIM_MEM_L0A, 40 * 1024, "Q tile");
  sim_prog_free (p, c, SIM_PIPE_MTE1, SIM_MEM_L0A, 40 * 1024, "Q tile");
  sim_prog_alloc (p, c, SIM_PIPE_MTE1, SIM_MEM_L0A, 64 * 1024, "K tile");
  g_autoptr (SimResult) r = run_ok (p);
  g_assert_cmpfloat (r->metrics.total_ns, ==, 0);
}

/* With dies run as separate partitions the reported error is still the earliest in simulated
 * time (ties: the lower die), whatever the split and the thread count: die 1 overflows L0A at
 * 0 ns, die 0 only after 1000 ns of scalar work. */
static void
test_earliest_error (void)
{
  g_autoptr (SimHw) hw = test_hw ("dies=2");
  for (int threads = 1; threads <= 2; threads++)
    for (int coupled = 0; coupled <= 1; coupled++)
      {
        g_autoptr (SimProgram) p = sim_program_new (hw);
        SimCore *a0 = sim_program_aic (p, 0), *a1 = sim_program_aic (p, 1);
        g_assert_cmpint (a1->die, ==, 1);
        sim_prog_scalar (p, a0, 1000, "work");
        sim_prog_alloc (p, a0, SIM_PIPE_SCALAR, SIM_MEM_L0A, 96 * 1024, "late tile");
        sim_prog_alloc (p, a1, SIM_PIPE_MTE1, SIM_MEM_L0A, 96 * 1024, "early tile");
        if (coupled) /* a read of die 1's HBM from die 0: one partition */
          sim_prog_dma (p, sim_program_aiv (p, 0, 0), SIM_PIPE_MTE2, SIM_MEM_GM, SIM_MEM_UB, 64,
                        sim_gm_tag (1, 1, 0), SIM_ATOMIC_NONE, "cross-die read");
        SimRunOptions opt;
        sim_run_options_init (&opt);
        opt.threads = threads;
        GError *err = NULL;
        SimResult *r = sim_engine_run (p, &opt, &err);
        g_assert_null (r);
        g_assert_error (err, SIM_ENGINE_ERROR, SIM_ENGINE_ERROR_CAPACITY);
        g_assert_nonnull (strstr (err->message, "early tile"));
        g_clear_error (&err);
      }
}

static void
test_deadlock (void)
{
  g_autoptr (SimHw) hw = test_hw (NULL);
  g_autoptr (SimProgram) p = sim_program_new (hw);
  SimCore *c = sim_program_aic (p, 0);
  sim_prog_mmad (p, c, 16, 16, 16, "first");
  sim_prog_wait_flag (p, c, SIM_PIPE_MTE1, SIM_PIPE_CUBE, 2);
  sim_prog_mmad (p, c, 16, 16, 16, "never");
  SimCore *v = sim_program_aiv (p, 0, 1);
  sim_prog_cross_wait (p, v, SIM_PIPE_VECTOR, 9, "C2V2");
  g_autoptr (GError) err = run_err (p);
  g_assert_error (err, SIM_ENGINE_ERROR, SIM_ENGINE_ERROR_DEADLOCK);
  g_assert_nonnull (strstr (err->message, "AIC0 CUBE waits for flag MTE1->CUBE #2"));
  /* under the issue model the Scalar executes the cross-core wait, so the issue is what waits */
  g_assert_nonnull (strstr (err->message, "AIV1 issue waits for cross-core flag 9 ('C2V2')"));
}

static void
test_cross_overflow (void)
{
  g_autoptr (SimHw) hw = test_hw (NULL);
  g_autoptr (SimProgram) p = sim_program_new (hw);
  SimCore *c = sim_program_aic (p, 0);
  for (int i = 0; i < 16; i++)
    sim_prog_cross_set (p, c, SIM_PIPE_FIXPIPE, 1, "set");
  g_autoptr (GError) err = run_err (p);
  g_assert_error (err, SIM_ENGINE_ERROR, SIM_ENGINE_ERROR_FLAG);
  g_assert_nonnull (strstr (err->message, "maximum 15"));
}

static void
test_bad_event_id (void)
{
  g_autoptr (SimHw) hw = test_hw (NULL);
  g_autoptr (SimProgram) p = sim_program_new (hw);
  SimCore *c = sim_program_aic (p, 0);
  sim_prog_set_flag (p, c, SIM_PIPE_MTE1, SIM_PIPE_CUBE, 8);
  g_autoptr (GError) err = run_err (p);
  g_assert_error (err, SIM_ENGINE_ERROR, SIM_ENGINE_ERROR_FLAG);
  g_assert_nonnull (strstr (err->message, "0..7"));
}

/* Malformed programs are refused before anything runs, naming what is wrong: a pipe the core
 * does not have, a cross-core flag id out of range (checked as the instructions are written). */
static void
test_malformed (void)
{
  g_autoptr (SimHw) hw = test_hw (NULL);
  {
    g_autoptr (SimProgram) p = sim_program_new (hw);
    sim_prog_vector_cycles (p, sim_program_aic (p, 0), 10, "vector on the AIC");
    g_autoptr (GError) err = run_err (p);
    g_assert_error (err, SIM_ENGINE_ERROR, SIM_ENGINE_ERROR_FLAG);
    g_assert_nonnull (strstr (err->message, "AIC0 has instructions on pipe VECTOR"));
  }
  {
    g_autoptr (SimProgram) p = sim_program_new (hw);
    sim_prog_cross_set (p, sim_program_aic (p, 0), SIM_PIPE_SCALAR, 16, "too far");
    g_autoptr (GError) err = run_err (p);
    g_assert_error (err, SIM_ENGINE_ERROR, SIM_ENGINE_ERROR_FLAG);
    g_assert_nonnull (strstr (err->message, "cross-core flag id 16 is outside 0..15"));
  }
}

/* A SyncAll whose participants sit on two dies couples them: one event loop, and the barrier
 * still holds (the die-1 core waits for the die-0 core's 50 cycles). */
static void
test_sync_all_across_dies (void)
{
  g_autoptr (SimHw) hw = test_hw ("dies=2");
  g_autoptr (SimProgram) p = sim_program_new (hw);
  SimCore *v0 = sim_program_aiv (p, 0, 0), *v1 = sim_program_aiv (p, 1, 0);
  sim_prog_vector_cycles (p, v0, 50, "die 0 work");
  sim_prog_sync_all (p, v0, SIM_PIPE_VECTOR, 0);
  sim_prog_sync_all (p, v1, SIM_PIPE_VECTOR, 0);
  sim_prog_vector_cycles (p, v1, 10, "die 1 after");
  g_assert_true (p->cross_die);
  for (int threads = 1; threads <= 2; threads++)
    {
      GError *err = NULL;
      SimRunOptions opt;
      sim_run_options_init (&opt);
      opt.threads = threads;
      g_autoptr (SimResult) r = sim_engine_run (p, &opt, &err);
      g_assert_no_error (err);
      g_assert_cmpfloat (r->metrics.total_ns, ==, 60);
    }
}

static void
test_sync_all (void)
{
  g_autoptr (SimHw) hw = test_hw (NULL);
  g_autoptr (SimProgram) p = sim_program_new (hw);
  SimCore *v0 = sim_program_aiv (p, 0, 0), *v1 = sim_program_aiv (p, 0, 1);
  sim_prog_vector_cycles (p, v0, 30, "a");
  sim_prog_sync_all (p, v0, SIM_PIPE_VECTOR, 0);
  sim_prog_vector_cycles (p, v0, 5, "after");
  sim_prog_vector_cycles (p, v1, 70, "b");
  sim_prog_sync_all (p, v1, SIM_PIPE_VECTOR, 0);
  g_autoptr (SimResult) r = run_ok (p);
  g_assert_cmpfloat (span (r, AIV0_G, SIM_PIPE_VECTOR, 1)->start_ns, ==, 70);
}

static void
test_metrics_busy_overlap (void)
{
  g_autoptr (SimHw) hw = test_hw (NULL);
  g_autoptr (SimProgram) p = sim_program_new (hw);
  SimCore *c = sim_program_aic (p, 0);
  SimCore *v0 = sim_program_aiv (p, 0, 0);
  sim_prog_mmad (p, c, 16, 16, 16 * 100, "mmad"); /* 0..100 */
  sim_prog_scalar (p, v0, 50, "idle");            /* vector starts at 50 */
  sim_prog_cross_set (p, v0, SIM_PIPE_SCALAR, 0, "go");
  sim_prog_cross_wait (p, v0, SIM_PIPE_VECTOR, 1, "never-mind");
  sim_prog_cross_set (p, c, SIM_PIPE_FIXPIPE, 1, "go");
  sim_prog_vector_cycles (p, v0, 100, "vec"); /* 0..100 (cross set at 0) */
  g_autoptr (SimResult) r = run_ok (p);
  (void) r;
  g_assert_cmpfloat (r->metrics.total_ns, ==, 100);
  g_assert_cmpfloat (fabs (r->metrics.busy_aic[SIM_PIPE_CUBE] - 1.0), <, 1e-9);
  g_assert_cmpfloat (fabs (r->metrics.cube_vector_overlap - 1.0), <, 1e-9);
  g_assert_cmpfloat (r->metrics.flops, ==, 2.0 * 16 * 16 * 1600);
}

/* Queues reserved from one block (sim_program_reserve_block) keep what they held, and a queue
 * that outgrows its room moves out with its instructions: the run is the one of plain queues. */
static void
test_reserve_block (void)
{
  g_autoptr (SimHw) hw = test_hw (NULL);
  g_autoptr (SimProgram) p = sim_program_new (hw);
  SimCore *v = sim_program_aiv (p, 0, 0);
  sim_prog_vector_cycles (p, v, 7, "before");
  gsize *caps = g_new0 (gsize, (gsize) p->n_cores * SIM_N_PIPES);
  gsize *order_caps = g_new0 (gsize, p->n_cores);
  int vi = sim_program_core_id (p, v);
  caps[vi * SIM_N_PIPES + SIM_PIPE_VECTOR] = 300;
  order_caps[vi] = 1100;
  sim_program_reserve_block (p, caps, order_caps);
  g_free (caps);
  g_free (order_caps);
  g_assert_cmpuint (v->in_block, ==, (1u << SIM_PIPE_VECTOR) | (1u << SIM_N_PIPES));
  g_assert_cmpfloat (sim_core_instr (v, SIM_PIPE_VECTOR, 0)->cycles, ==, 7);
  for (int i = 1; i < 1200; i++)
    sim_prog_vector_cycles (p, v, 1, "after");
  g_assert_cmpuint (v->in_block, ==, 0); /* both outgrew the block */
  g_assert_cmpfloat (sim_core_instr (v, SIM_PIPE_VECTOR, 0)->cycles, ==, 7);
  g_autoptr (SimResult) r = run_ok (p);
  g_assert_cmpfloat (r->metrics.total_ns, ==, 7 + 1199);
}

/* An overlap accumulator in lent room (sim_overlap_init_room, as the engine sets them up) gives
 * the sum of one in its own memory to the last bit, also when its lists outgrow the room. */
static void
test_overlap_room (void)
{
  SimOverlap own, lent;
  double room[4 * 4];
  sim_overlap_init (&own, 2);
  sim_overlap_init_room (&lent, 2, room, 4);
  GRand *r = g_rand_new_with_seed (7);
  double t[3] = { 0, 0, 0 };
  for (int i = 0; i < 3000; i++)
    {
      int which = g_rand_int_range (r, -1, 2);
      double gap = g_rand_double_range (r, 0, 3), len = g_rand_double_range (r, 0.1, 5);
      double start = t[which + 1] + gap, end = start + len;
      t[which + 1] = end;
      sim_overlap_add (&own, which, start, end);
      sim_overlap_add (&lent, which, start, end);
    }
  g_rand_free (r);
  double a = sim_overlap_finish (&own), b = sim_overlap_finish (&lent);
  g_assert_cmpfloat (a, >, 0);
  g_assert_true (memcmp (&a, &b, sizeof a) == 0);
  sim_overlap_clear (&own);
  sim_overlap_clear (&lent);
}

/* A freed block is kept for the next of its size even when the cache is full of blocks of other
 * sizes: the ones kept longest are unmapped to make room (they held the cache for good, and the
 * window's runs faulted in all their memory).  A kept block comes back as it was left (asked
 * with nothing to zero), so the marker shows which memory came back. */
static void
test_bigmem_cache_makes_room (void)
{
  const gsize mib = (gsize) 1 << 20;
  SimBigMem old[4];
  for (int i = 0; i < 4; i++)
    old[i] = sim_bigmem_new ((gsize) (2 + 2 * i) * mib, 0); /* 2, 4, 6, 8 MiB: fill the slots */
  for (int i = 0; i < 4; i++)
    sim_bigmem_free (&old[i]);
  SimBigMem m = sim_bigmem_new (10 * mib, 0);
  g_assert_true (m.mapped);
  ((char *) m.base)[12345] = 'x';
  gpointer base = m.base;
  sim_bigmem_free (&m);
  SimBigMem again = sim_bigmem_new (10 * mib, 0);
  g_assert_true (again.base == base);
  g_assert_cmpint (((char *) again.base)[12345], ==, 'x');
  /* asked zeroed, the same block is */
  sim_bigmem_free (&again);
  SimBigMem zeroed = sim_bigmem_new (10 * mib, 10 * mib);
  g_assert_true (zeroed.base == base);
  g_assert_cmpint (((char *) zeroed.base)[12345], ==, 0);
  sim_bigmem_free (&zeroed);
}

/* The dies of a streamed run write their cores at once, without a lock (their sources run on
 * the partitions' threads): two threads writing the cores of one die each get the names, flag
 * names, context and flops they wrote, and every string is interned once. */
static const char *const concurrent_names[] = {
  "n00", "n01", "n02", "n03", "n04", "n05", "n06", "n07", "n08", "n09", "n10", "n11", "n12",
  "n13", "n14", "n15", "n16", "n17", "n18", "n19", "n20", "n21", "n22", "n23", "n24", "n25",
  "n26", "n27", "n28", "n29", "n30", "n31", "n32", "n33", "n34", "n35", "n36", "n37", "n38",
};

#define CONCURRENT_ROUNDS 3000

typedef struct
{
  SimProgram *p;
  int die;
} ConcurrentJob;

static gpointer
concurrent_emit (gpointer data)
{
  ConcurrentJob *job = data;
  SimProgram *p = job->p;
  const int n_names = G_N_ELEMENTS (concurrent_names);
  for (int r = 0; r < CONCURRENT_ROUNDS; r++)
    for (int i = 0; i < p->n_cores; i++)
      {
        SimCore *c = &p->cores[i];
        if (c->die != job->die)
          continue;
        sim_prog_context (p, c, (SimStage) (r % 4), i, r);
        if (c->kind == SIM_CORE_AIC)
          sim_prog_mmad (p, c, 16, 16, 16 * (1 + r % 3), concurrent_names[(r + i) % n_names]);
        else
          {
            sim_prog_vector_cycles (p, c, 1, concurrent_names[(r + i) % n_names]);
            sim_prog_set_flag (p, c, SIM_PIPE_VECTOR, SIM_PIPE_MTE3, (r + i) % 8);
          }
      }
  return NULL;
}

static void
test_concurrent_emit (void)
{
  g_autoptr (SimHw) hw = test_hw ("dies=2,aic_per_die=4");
  for (int rep = 0; rep < 4; rep++)
    {
      g_autoptr (SimProgram) p = sim_program_new (hw);
      sim_program_set_static_names (p);
      ConcurrentJob jobs[2] = { { p, 0 }, { p, 1 } };
      GThread *th = g_thread_new ("emit-die-1", concurrent_emit, &jobs[1]);
      concurrent_emit (&jobs[0]);
      g_thread_join (th);
      const int n_names = G_N_ELEMENTS (concurrent_names);
      guint64 flops = 0;
      for (int i = 0; i < p->n_cores; i++)
        {
          const SimCore *c = &p->cores[i];
          gboolean aic = c->kind == SIM_CORE_AIC;
          int q = aic ? SIM_PIPE_CUBE : SIM_PIPE_VECTOR;
          int per_round = aic ? 1 : 2; /* an AIV: the vector instruction, then its set_flag */
          g_assert_cmpuint (c->n[q], ==, (gsize) per_round * CONCURRENT_ROUNDS);
          for (int r = 0; r < CONCURRENT_ROUNDS; r++)
            {
              const SimInstr *in = sim_core_instr (c, q, (gsize) per_round * r);
              g_assert_cmpstr (sim_program_string (p, in->name), ==,
                               concurrent_names[(r + i) % n_names]);
              g_assert_cmpint (in->stage, ==, r % 4);
              g_assert_cmpint (in->task, ==, i);
              g_assert_cmpint (in->iter, ==, r);
              if (aic)
                {
                  flops += 2u * 16 * 16 * 16 * (1 + r % 3);
                  continue;
                }
              const SimInstr *f = sim_core_instr (c, q, (gsize) per_round * r + 1);
              g_autofree char *want = g_strdup_printf ("set_flag VECTOR->MTE3 #%d", (r + i) % 8);
              g_assert_cmpint (f->op, ==, SIM_OP_SET_FLAG);
              g_assert_cmpstr (sim_program_string (p, f->name), ==, want);
              g_assert_cmpint (f->iter, ==, r);
            }
        }
      g_assert_cmpuint (sim_program_flops (p), ==, flops);
      /* "", the names and the eight flag names, each once */
      g_assert_cmpuint (sim_program_n_strings (p), ==, 1 + n_names + 8);
    }
}

/* One step of a run */
static void
replay_steps (SimProgram *p, SimCore *c)
{
  sim_prog_wait_flag (p, c, SIM_PIPE_CUBE, SIM_PIPE_MTE1, 1);
  sim_prog_alloc (p, c, SIM_PIPE_MTE1, SIM_MEM_L0A, 4096, "A");
  sim_prog_dma (p, c, SIM_PIPE_MTE1, SIM_MEM_L1, SIM_MEM_L0A, 4096, 0, SIM_ATOMIC_NONE, "A");
  sim_prog_set_flag (p, c, SIM_PIPE_MTE1, SIM_PIPE_CUBE, 1);
  sim_prog_wait_flag (p, c, SIM_PIPE_MTE1, SIM_PIPE_CUBE, 1);
  for (int u = 0; u < 2; u++)
    {
      sim_prog_mmad (p, c, 32, 64, 96, "MMAD");
      if (u > 0)
        sim_prog_mark_part (p, c, SIM_PIPE_CUBE);
      sim_prog_set_flag (p, c, SIM_PIPE_CUBE, SIM_PIPE_FIXPIPE, 0);
      sim_prog_mark_part (p, c, SIM_PIPE_CUBE);
    }
  sim_prog_free (p, c, SIM_PIPE_CUBE, SIM_MEM_L0A, 4096, "A");
  sim_prog_set_flag (p, c, SIM_PIPE_CUBE, SIM_PIPE_MTE1, 1);
}

/* A run written with the emitters: reps steps (1: a small run, copied as a block; 8: a large
 * one, copied instruction by instruction) */
static void
replay_run (SimProgram *p, SimCore *c, guint64 tag, int reps)
{
  sim_prog_dma (p, c, SIM_PIPE_MTE2, SIM_MEM_GM, SIM_MEM_L1, 1024, tag, SIM_ATOMIC_NONE, "K");
  for (int k = 0; k < reps; k++)
    replay_steps (p, c);
}

/* A replayed run is what the emitters write, in the context of the replay, growing the queues
 * as they do, with the GM tags it is given; a run with a SyncAll is not recorded. */
static void
check_record_replay (int reps)
{
  g_autoptr (SimHw) hw = test_hw (NULL);
  g_autoptr (SimProgram) want = sim_program_new (hw);
  g_autoptr (SimProgram) got = sim_program_new (hw);
  sim_program_set_static_names (want);
  sim_program_set_static_names (got);
  SimCore *cw = sim_program_aic (want, 0), *cg = sim_program_aic (got, 0);
  SimProgRecord *r = NULL;
  for (int i = 0; i < 300; i++) /* past the first queue sizes: replays grow them */
    {
      guint64 tag = sim_gm_tag (0, 1, (guint64) i + 1);
      sim_prog_context (want, cw, (SimStage) (i % 3), i, 2 * i);
      replay_run (want, cw, tag, reps);
      sim_prog_context (got, cg, (SimStage) (i % 3), i, 2 * i);
      if (r)
        sim_prog_replay_tags (got, cg, r, &tag, 1);
      else
        {
          SimProgMark m;
          sim_prog_mark (cg, &m);
          replay_run (got, cg, tag, reps);
          r = sim_prog_record (cg, &m);
          g_assert_nonnull (r);
          g_assert_cmpuint (sim_prog_record_n_tags (r), ==, 1);
          g_assert_true (sim_prog_record_has_tags (r, &tag, 1));
        }
    }
  sim_prog_record_free (r);
  g_assert_cmpuint (cg->n_order, ==, cw->n_order);
  g_assert_cmpmem (cg->order, cg->n_order, cw->order, cw->n_order);
  for (int q = 0; q < SIM_N_PIPES; q++)
    {
      g_assert_cmpuint (cg->n[q], ==, cw->n[q]);
      g_assert_cmpuint (cg->n_timed[q], ==, cw->n_timed[q]);
      if (cw->n[q])
        g_assert_cmpmem (cg->queue[q], cg->n[q] * sizeof (SimInstr), cw->queue[q],
                         cw->n[q] * sizeof (SimInstr));
    }
  g_assert_cmpuint (sim_program_flops (got), ==, sim_program_flops (want));

  SimProgMark m;
  sim_prog_mark (cg, &m);
  sim_prog_sync_all (got, cg, SIM_PIPE_MTE2, 0);
  g_assert_null (sim_prog_record (cg, &m));
}

static void
test_record_replay (void)
{
  check_record_replay (1);
  check_record_replay (8);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/engine/in-order", test_in_order);
  g_test_add_func ("/engine/flag-order", test_flag_order);
  g_test_add_func ("/engine/flag-keys", test_flag_keys);
  g_test_add_func ("/engine/flag-set-while-busy", test_flag_set_while_busy);
  g_test_add_func ("/engine/barrier", test_barrier);
  g_test_add_func ("/engine/cross-core-latency", test_cross_core_latency);
  g_test_add_func ("/engine/cross-wait-blocks-core", test_cross_wait_blocks_core);
  g_test_add_func ("/engine/cross-wait-fence-deadlock", test_cross_wait_fence_deadlock);
  g_test_add_func ("/engine/issue-semantics", test_issue_semantics);
  g_test_add_func ("/engine/issue-queue-depth", test_issue_queue_depth);
  g_test_add_func ("/engine/unit-flag-streaming", test_unit_flag_streaming);
  g_test_add_func ("/engine/bandwidth-sharing", test_bandwidth_sharing);
  g_test_add_func ("/engine/dies-partitions", test_dies_partitions);
  g_test_add_func ("/engine/dies-stripes", test_dies_stripes);
  g_test_add_func ("/engine/dies-mirrored", test_dies_mirrored);
  g_test_add_func ("/engine/l2-hit", test_l2_hit);
  g_test_add_func ("/engine/atomic-cost", test_atomic_cost);
  g_test_add_func ("/engine/atomic-l2-charge", test_atomic_l2_charge);
  g_test_add_func ("/engine/capacity", test_capacity);
  g_test_add_func ("/engine/capacity-free", test_capacity_free);
  g_test_add_func ("/engine/earliest-error", test_earliest_error);
  g_test_add_func ("/engine/deadlock", test_deadlock);
  g_test_add_func ("/engine/cross-overflow", test_cross_overflow);
  g_test_add_func ("/engine/bad-event-id", test_bad_event_id);
  g_test_add_func ("/engine/sync-all", test_sync_all);
  g_test_add_func ("/engine/sync-all-across-dies", test_sync_all_across_dies);
  g_test_add_func ("/engine/malformed", test_malformed);
  g_test_add_func ("/engine/metrics-busy-overlap", test_metrics_busy_overlap);
  g_test_add_func ("/engine/reserve-block", test_reserve_block);
  g_test_add_func ("/engine/overlap-room", test_overlap_room);
  g_test_add_func ("/engine/bigmem-cache-makes-room", test_bigmem_cache_makes_room);
  g_test_add_func ("/engine/concurrent-emit", test_concurrent_emit);
  g_test_add_func ("/engine/record-replay", test_record_replay);
  return g_test_run ();
}
