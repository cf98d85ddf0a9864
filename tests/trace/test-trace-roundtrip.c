/* tests/trace/test-trace-roundtrip.c — a simulated run, saved and reopened, is the same run: the
 * same groups and lanes, one row per in-order pipe, the same span count and time range, the same
 * metrics and configuration (task_rows included), and an exported page of the same size, for all
 * cores and for one AI core.  Plain and gzip files. */
#include <glib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "kernels/amla.h"
#include "sim/trace/trace-json.h"
#ifdef HAVE_RENDER
#include "src/render/export.h"
#endif

static AmlaRun *
simulate (const AmlaConfig *cfg)
{
  SimRunOptions opt;
  sim_run_options_init (&opt);
  g_autoptr (GError) err = NULL;
  AmlaRun *run = amla_run (cfg, NULL, &opt, &err);
  g_assert_no_error (err);
  g_assert_nonnull (run);
  g_assert_nonnull (run->result->trace);
  return run;
}

static SimTrace *
save_and_reopen (const SimTrace *live, const char *name)
{
  g_autofree char *dir = g_dir_make_tmp ("roundtrip-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr (GError) err = NULL;
  g_assert_true (sim_trace_write_json (live, path, SIM_TRACE_FLAVOR_PERFETTO, &err));
  g_assert_no_error (err);
  SimTrace *back = sim_trace_read_json (path, NULL, NULL, &err);
  g_assert_no_error (err);
  g_assert_nonnull (back);
  g_unlink (path);
  g_rmdir (dir);
  return back;
}

/* ns on the writer's picosecond grid */
static gint64
ps (double ns)
{
  return llround (ns * 1000);
}

static void
assert_same_layout (const SimTrace *a, const SimTrace *b)
{
  g_assert_cmpuint (a->groups->len, ==, b->groups->len);
  g_assert_cmpuint (a->n_spans, ==, b->n_spans);
  g_assert_cmpint (ps (a->start_ns), ==, ps (b->start_ns));
  g_assert_cmpint (ps (a->end_ns), ==, ps (b->end_ns));
  for (guint g = 0; g < a->groups->len; g++)
    {
      const SimGroup *ga = g_ptr_array_index (a->groups, g), *gb = g_ptr_array_index (b->groups, g);
      g_assert_cmpstr (ga->name, ==, gb->name);
      g_assert_cmpint (ga->kind, ==, gb->kind);
      g_assert_cmpint (ga->core_index, ==, gb->core_index);
      g_assert_cmpuint (ga->lanes->len, ==, gb->lanes->len);
      for (guint l = 0; l < ga->lanes->len; l++)
        {
          const SimLane *la = g_ptr_array_index (ga->lanes, l), *lb = g_ptr_array_index (gb->lanes, l);
          g_assert_cmpstr (la->name, ==, lb->name);
          g_assert_cmpint (la->pipe, ==, lb->pipe);
          g_assert_cmpuint (la->n_spans, ==, lb->n_spans);
          /* an in-order pipe is one row, live and reopened */
          g_assert_cmpuint (la->max_depth, ==, 0);
          if (lb->max_depth != 0)
            g_error ("%s / %s reopens with %u rows", gb->name, lb->name, lb->max_depth + 1u);
          for (gsize i = 0; i < la->n_spans; i++)
            {
              g_assert_cmpint (ps (la->spans[i].start_ns), ==, ps (lb->spans[i].start_ns));
              g_assert_cmpint (ps (la->spans[i].start_ns + la->spans[i].dur_ns), ==,
                               ps (lb->spans[i].start_ns + lb->spans[i].dur_ns));
            }
        }
    }
  g_assert_cmpuint (a->flows->len, ==, b->flows->len);
  g_assert_cmpuint (a->counters->len, ==, b->counters->len);
}

static void
assert_same_metrics (const SimMetrics *a, const SimMetrics *b)
{
  g_assert_cmpfloat (a->total_ns, ==, b->total_ns);
  g_assert_cmpfloat (a->flops, ==, b->flops);
  g_assert_cmpfloat (a->tflops, ==, b->tflops);
  g_assert_cmpfloat (a->peak_tflops, ==, b->peak_tflops);
  g_assert_cmpfloat (a->cube_utilization, ==, b->cube_utilization);
  g_assert_cmpfloat (a->cube_vector_overlap, ==, b->cube_vector_overlap);
  g_assert_cmpfloat (a->hbm_busy, ==, b->hbm_busy);
  g_assert_cmpfloat (a->l2_busy, ==, b->l2_busy);
  for (int q = 0; q < SIM_N_PIPES; q++)
    {
      g_assert_cmpfloat (a->busy_aic[q], ==, b->busy_aic[q]);
      g_assert_cmpfloat (a->busy_aiv[q], ==, b->busy_aiv[q]);
    }
  for (int p = 0; p < SIM_N_PATHS; p++)
    g_assert_cmpuint (a->bytes[p], ==, b->bytes[p]);
  g_assert_cmpuint (a->hbm_bytes, ==, b->hbm_bytes);
  g_assert_cmpuint (a->l2_bytes, ==, b->l2_bytes);
  g_assert_cmpuint (a->l2_read_bytes, ==, b->l2_read_bytes);
  g_assert_cmpint (a->bound, ==, b->bound);
  g_assert_cmpstr (a->reason, ==, b->reason);
  g_assert_cmpuint (a->instructions, ==, b->instructions);
  g_assert_cmpuint (a->events, ==, b->events);
  g_assert_cmpint (a->n_aic, ==, b->n_aic);
  g_assert_cmpint (a->n_aiv, ==, b->n_aiv);
}

static void
assert_same_config (const AmlaConfig *a, const AmlaConfig *b)
{
  g_assert_cmpint (a->batch, ==, b->batch);
  g_assert_cmpint (a->kv_len, ==, b->kv_len);
  g_assert_cmpint (a->sq, ==, b->sq);
  g_assert_cmpint (a->heads, ==, b->heads);
  g_assert_cmpint (a->task_rows, ==, b->task_rows);
  g_assert_cmpint (a->block, ==, b->block);
  g_assert_cmpint (a->preload, ==, b->preload);
  g_assert_cmpint (a->tiling, ==, b->tiling);
  g_assert_cmpint (a->rescale, ==, b->rescale);
  g_assert_cmpstr (a->hw, ==, b->hw);
  g_assert_cmpstr (a->what_if, ==, b->what_if);
}

#ifdef HAVE_RENDER
/* AI core 0: AIC0 and its two AIVs (the CLI's --cores 0, the window's single-core view). */
static guint8 *
core0_mask (const SimTrace *t)
{
  guint8 *keep = g_new0 (guint8, t->groups->len + 1);
  for (guint g = 0; g < t->groups->len; g++)
    {
      const SimGroup *grp = g_ptr_array_index (t->groups, g);
      keep[g] = (grp->kind == SIM_CORE_AIC && grp->core_index == 0)
                || (grp->kind == SIM_CORE_AIV && grp->core_index / 2 == 0);
    }
  return keep;
}

static void
page_size (const SimTrace *t, const guint8 *groups, double *w, double *h)
{
  TlExportOptions opt;
  tl_export_options_init (&opt);
  opt.groups = groups;
  opt.metrics = TRUE;
  g_autoptr (GError) err = NULL;
  g_assert_true (tl_export_draw_page (NULL, t, &opt, TL_EXPORT_PNG, 0, w, h, NULL, &err));
  g_assert_no_error (err);
}

static void
assert_same_page (const SimTrace *a, const SimTrace *b)
{
  double wa, ha, wb, hb;
  page_size (a, NULL, &wa, &ha);
  page_size (b, NULL, &wb, &hb);
  g_assert_cmpfloat (wa, ==, wb);
  g_assert_cmpfloat (ha, ==, hb);
  g_autofree guint8 *ka = core0_mask (a), *kb = core0_mask (b);
  page_size (a, ka, &wa, &ha);
  page_size (b, kb, &wb, &hb);
  g_assert_cmpfloat (wa, ==, wb);
  g_assert_cmpfloat (ha, ==, hb);
}
#endif

static void
check_round_trip (const AmlaConfig *cfg, const char *name)
{
  g_autoptr (AmlaRun) run = simulate (cfg);
  const SimTrace *live = run->result->trace;
  g_autoptr (SimTrace) back = save_and_reopen (live, name);
  assert_same_layout (live, back);

  AmlaConfig cfg_back;
  g_autoptr (GError) err = NULL;
  g_assert_true (amla_config_from_other_data (back->other_data_json, &cfg_back, &err));
  g_assert_no_error (err);
  AmlaConfig expect = *cfg;
  g_strlcpy (expect.hw, run->config.hw, sizeof expect.hw);
  assert_same_config (&expect, &cfg_back);

  SimMetrics m;
  g_assert_true (amla_metrics_from_other_data (back->other_data_json, &m, &err));
  g_assert_no_error (err);
  assert_same_metrics (&run->result->metrics, &m);
#ifdef HAVE_RENDER
  assert_same_page (live, back);
#endif
}

/* The default run, as Ctrl+S or `amlasim run -o` saves it. */
static void
test_default_run (void)
{
  AmlaConfig cfg;
  amla_config_init (&cfg);
  check_round_trip (&cfg, "default.json");
}

/* --rows 128 re-simulates with 128 rows, not the automatic 256. */
static void
test_task_rows (void)
{
  AmlaConfig cfg;
  amla_config_init (&cfg);
  cfg.batch = 8;
  cfg.kv_len = 1024;
  cfg.task_rows = 128;
  check_round_trip (&cfg, "rows.json");
}

/* A smaller run with the other toggles and a what-if. */
static void
test_toggles (void)
{
  AmlaConfig cfg;
  amla_config_init (&cfg);
  cfg.batch = 4;
  cfg.kv_len = 1024;
  cfg.preload = FALSE;
  cfg.rescale = AMLA_RESCALE_MUL;
  /* the what-if comes back as the preset field's value in shortest form (4.4e12 as 4.4e+12,
   * the same number), so it is given in that form here */
  g_assert_true (amla_config_add_what_if (&cfg, "l2_bytes_per_s=4.4e+12", NULL));
  check_round_trip (&cfg, "toggles.json");
}

/* A trace from before task_rows_auto: a count equal to the automatic one means automatic. */
static void
test_task_rows_old_trace (void)
{
  const char *auto_rows = "{\"generator\":\"amlaviz\",\"config\":{\"batch\":2,\"heads\":128,"
                          "\"sq\":2,\"task_rows\":256}}";
  const char *chosen = "{\"generator\":\"amlaviz\",\"config\":{\"batch\":2,\"heads\":128,"
                       "\"sq\":2,\"task_rows\":128}}";
  AmlaConfig cfg;
  g_assert_true (amla_config_from_other_data (auto_rows, &cfg, NULL));
  g_assert_cmpint (cfg.task_rows, ==, 0);
  g_assert_true (amla_config_from_other_data (chosen, &cfg, NULL));
  g_assert_cmpint (cfg.task_rows, ==, 128);
}

static void
test_no_metrics (void)
{
  SimMetrics m;
  g_autoptr (GError) err = NULL;
  g_assert_false (amla_metrics_from_other_data ("{\"generator\":\"x\"}", &m, &err));
  g_assert_error (err, AMLA_ERROR, AMLA_ERROR_INVALID);
  g_clear_error (&err);
  g_assert_false (amla_metrics_from_other_data (NULL, &m, &err));
  g_assert_error (err, AMLA_ERROR, AMLA_ERROR_INVALID);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/trace/roundtrip/default-run", test_default_run);
  g_test_add_func ("/trace/roundtrip/task-rows", test_task_rows);
  g_test_add_func ("/trace/roundtrip/toggles-what-if", test_toggles);
  g_test_add_func ("/trace/roundtrip/task-rows-old-trace", test_task_rows_old_trace);
  g_test_add_func ("/trace/roundtrip/no-metrics", test_no_metrics);
  return g_test_run ();
}
