/* tests/sweep/test-sweep.c — the sweep grid is exactly the cartesian product in one order, shards
 * partition it, results stream in order on the calling thread, CSV round-trips, merge checks
 * catch duplicates, gaps and foreign grids, cancel stops, and (with the engine) each point
 * equals a single run of its configuration. */
#include <glib.h>
#include <math.h>
#include <string.h>

#include "kernels/sweep.h"

/* A stand-in simulator: metrics are a pure function of the configuration, so tests do not depend
 * on the engine and can tell points apart. */
static gboolean
fake_simulate (const AmlaConfig *cfg, const SimHw *hw, gint *cancel, SimMetrics *m,
               gpointer user_data, GError **error)
{
  if (user_data != NULL)
    g_atomic_int_inc ((int *) user_data);
  memset (m, 0, sizeof *m);
  m->flops = amla_config_flops (cfg);
  m->total_ns = 1000.0 + cfg->kv_len * 0.5 + cfg->batch * 3.0 + (cfg->preload ? 0 : 700)
                + (cfg->tiling ? 0 : 300) + (cfg->rescale == AMLA_RESCALE_MUL ? 200 : 0);
  m->peak_tflops = sim_hw_peak_flops (hw) / 1e12;
  m->tflops = m->flops / m->total_ns / 1e3;
  m->cube_utilization = m->tflops / m->peak_tflops;
  m->bound = cfg->kv_len < 1024 ? SIM_BOUND_MEMORY : SIM_BOUND_CUBE;
  m->busy_aic[SIM_PIPE_CUBE] = m->cube_utilization;
  m->busy_aiv[SIM_PIPE_VECTOR] = 0.25;
  m->hbm_bytes = (guint64) cfg->batch * cfg->kv_len * 1152;
  m->bytes[0] = m->hbm_bytes;
  m->instructions = 1234;
  g_snprintf (m->reason, sizeof m->reason, "fake, \"quoted\" reason for kv %d", cfg->kv_len);
  return TRUE;
}

static SweepGrid *
make_grid (void)
{
  g_autoptr (GError) err = NULL;
  SweepGrid *g = sweep_grid_new (NULL);
  g_assert_true (sweep_grid_add_values (g, SWEEP_AXIS_BATCH, "96,1,8", &err));
  g_assert_true (sweep_grid_add_values (g, SWEEP_AXIS_KV, "512..4096*2", &err));
  g_assert_no_error (err);
  sweep_grid_all_toggles (g);
  return g;
}

static void
test_grid_exact (void)
{
  g_autoptr (SweepGrid) g = make_grid ();
  g_assert_cmpuint (sweep_grid_axis_len (g, SWEEP_AXIS_BATCH), ==, 3);
  g_assert_cmpuint (sweep_grid_axis_len (g, SWEEP_AXIS_KV), ==, 4); /* 512 1024 2048 4096 */
  guint64 n = sweep_grid_size (g);
  g_assert_cmpuint (n, ==, 3 * 4 * 8);
  g_autoptr (GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint64 i = 0; i < n; i++)
    {
      AmlaConfig cfg;
      sweep_grid_config (g, i, &cfg);
      char *desc = amla_config_describe (&cfg);
      g_assert_false (g_hash_table_contains (seen, desc)); /* no duplicates */
      g_hash_table_add (seen, desc);
      guint64 back = G_MAXUINT64;
      g_assert_true (sweep_grid_index_of (g, &cfg, &back));
      g_assert_cmpuint (back, ==, i);
    }
  /* 3·4·8 distinct configs from a 3·4·8 product: no gaps either */
  g_assert_cmpuint (g_hash_table_size (seen), ==, n);
  /* deterministic order: smallest batch and KV first, the full kernel first, rescale fastest */
  AmlaConfig first, second, last;
  sweep_grid_config (g, 0, &first);
  sweep_grid_config (g, 1, &second);
  sweep_grid_config (g, n - 1, &last);
  g_assert_cmpint (first.batch, ==, 1);
  g_assert_cmpint (first.kv_len, ==, 512);
  g_assert_true (first.preload && first.tiling && first.rescale == AMLA_RESCALE_AMLA);
  g_assert_true (second.rescale == AMLA_RESCALE_MUL);
  g_assert_cmpint (last.batch, ==, 96);
  g_assert_cmpint (last.kv_len, ==, 4096);
  g_assert_false (last.preload || last.tiling);
  /* untouched axes keep the defaults */
  g_assert_cmpint (first.heads, ==, AMLA_DEFAULT_HEADS);
  g_assert_cmpstr (first.hw, ==, SIM_HW_DEFAULT_PRESET);
}

static void
test_grid_values (void)
{
  g_autoptr (SweepGrid) g = sweep_grid_new (NULL);
  g_autoptr (GError) err = NULL;
  g_assert_true (sweep_grid_add_values (g, SWEEP_AXIS_KV, "4096, 512,512", &err));
  g_assert_cmpuint (sweep_grid_axis_len (g, SWEEP_AXIS_KV), ==, 2);
  g_assert_true (sweep_grid_add_values (g, SWEEP_AXIS_KV, "100..400+100", &err));
  g_assert_cmpuint (sweep_grid_axis_len (g, SWEEP_AXIS_KV), ==, 6);
  g_assert_true (sweep_grid_add_values (g, SWEEP_AXIS_PRELOAD, "off", &err));
  AmlaConfig cfg;
  sweep_grid_config (g, 0, &cfg);
  g_assert_cmpint (cfg.kv_len, ==, 100);
  g_assert_false (cfg.preload);

  static const struct
  {
    SweepAxis axis;
    const char *list, *needle;
  } bad[] = {
    { SWEEP_AXIS_KV, "0", "--kv must be an integer in [1, 1048576]" },
    { SWEEP_AXIS_KV, "512,abc", "got 'abc'" },
    { SWEEP_AXIS_KV, "4096..512", "--kv" },
    { SWEEP_AXIS_KV, "512..4096*1", "factor must be an integer >= 2" },
    { SWEEP_AXIS_BATCH, "1..4096+0", "step" },
    { SWEEP_AXIS_SQ, "17", "--sq must be an integer in [1, 16]" },
    { SWEEP_AXIS_PRELOAD, "maybe", "--preload must be on or off" },
    { SWEEP_AXIS_RESCALE, "fast", "--rescale must be amla or mul" },
    { SWEEP_AXIS_HEADS, ",", "--heads needs at least one value" },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (GError) e = NULL;
      g_assert_false (sweep_grid_add_values (g, bad[i].axis, bad[i].list, &e));
      g_assert_error (e, SWEEP_ERROR, SWEEP_ERROR_INVALID);
      if (strstr (e->message, bad[i].needle) == NULL)
        g_error ("'%s': message '%s' lacks '%s'", bad[i].list, e->message, bad[i].needle);
    }
  /* a failed list leaves the grid as it was */
  g_assert_cmpuint (sweep_grid_axis_len (g, SWEEP_AXIS_KV), ==, 6);

  /* heads 24 passes the range but not the kernel's rule: validate names it */
  g_assert_true (sweep_grid_add_values (g, SWEEP_AXIS_HEADS, "16,24", &err));
  g_autoptr (GError) e = NULL;
  g_assert_false (sweep_grid_validate (g, &e));
  g_assert_nonnull (strstr (e->message, "--heads"));
}

static void
test_shards_partition (void)
{
  g_autoptr (SweepGrid) g = make_grid ();
  guint64 n = sweep_grid_size (g);
  for (guint count = 1; count <= 7; count++)
    {
      g_autofree guint8 *hits = g_new0 (guint8, n);
      guint64 sum = 0;
      for (guint k = 0; k < count; k++)
        {
          sum += sweep_shard_size (n, k, count);
          for (guint64 i = k; i < n; i += count)
            hits[i]++;
        }
      g_assert_cmpuint (sum, ==, n);
      for (guint64 i = 0; i < n; i++)
        g_assert_cmpuint (hits[i], ==, 1);
    }
  guint k, count;
  g_autoptr (GError) err = NULL;
  g_assert_true (sweep_shard_parse ("3/8", &k, &count, &err));
  g_assert_cmpuint (k, ==, 2);
  g_assert_cmpuint (count, ==, 8);
  const char *bad[] = { "0/4", "5/4", "1/0", "1", "a/b", "1/2/3", "" };
  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (GError) e = NULL;
      g_assert_false (sweep_shard_parse (bad[i], &k, &count, &e));
      g_assert_nonnull (strstr (e->message, "--shard must be K/N"));
    }
}

typedef struct
{
  GThread *caller;
  guint64 calls, last_point;
  gboolean in_order;
  gint *cancel_after_5;
} Stream;

static void
on_result (const SweepResult *r, guint64 done, guint64 total, gpointer data)
{
  Stream *s = data;
  g_assert_true (g_thread_self () == s->caller);
  if (s->calls > 0 && r->point <= s->last_point)
    s->in_order = FALSE;
  s->last_point = r->point;
  s->calls++;
  g_assert_cmpuint (done, ==, s->calls);
  g_assert_cmpuint (done, <=, total);
  if (s->cancel_after_5 != NULL && s->calls == 5)
    g_atomic_int_set (s->cancel_after_5, 1);
}

static GArray *
run_fake (const SweepGrid *g, guint shard, guint shards, int *sim_calls, Stream *stream)
{
  SweepRunOptions opt;
  sweep_run_options_init (&opt);
  opt.threads = 3;
  opt.shard_index = shard;
  opt.shard_count = shards;
  opt.simulate = fake_simulate;
  opt.simulate_data = sim_calls;
  opt.on_result = stream != NULL ? on_result : NULL;
  opt.user_data = stream;
  opt.cancel = stream != NULL ? stream->cancel_after_5 : NULL;
  g_autoptr (GError) err = NULL;
  GArray *res = sweep_run (g, &opt, &err);
  g_assert_no_error (err);
  return res;
}

static void
test_run_streams_grid (void)
{
  g_autoptr (SweepGrid) g = make_grid ();
  int sim_calls = 0;
  Stream s = { g_thread_self (), 0, 0, TRUE, NULL };
  g_autoptr (GArray) res = run_fake (g, 0, 1, &sim_calls, &s);
  guint64 n = sweep_grid_size (g);
  g_assert_cmpuint (res->len, ==, n);
  g_assert_cmpint (sim_calls, ==, (int) n); /* each point simulated once */
  g_assert_cmpuint (s.calls, ==, n);
  g_assert_true (s.in_order);
  for (guint i = 0; i < res->len; i++)
    {
      const SweepResult *r = &g_array_index (res, SweepResult, i);
      g_assert_cmpuint (r->point, ==, i);
      g_assert_cmpuint (r->points, ==, n);
      AmlaConfig cfg;
      sweep_grid_config (g, i, &cfg);
      g_assert_true (memcmp (&cfg, &r->config, sizeof cfg) == 0);
      g_assert_cmpfloat (r->metrics.flops, ==, amla_config_flops (&cfg));
      g_assert_cmpfloat (r->hbm_peak_bytes_per_s, >, 1e12);
    }
}

static void
test_shards_merge_equal_whole (void)
{
  g_autoptr (SweepGrid) g = make_grid ();
  g_autoptr (GArray) whole = run_fake (g, 0, 1, NULL, NULL);
  g_autofree char *whole_csv = sweep_csv_format (whole);

  g_autoptr (GArray) merged = sweep_results_new ();
  for (guint k = 3; k-- > 0;) /* shards in reverse, as files may come */
    {
      g_autoptr (GArray) part = run_fake (g, k, 3, NULL, NULL);
      g_assert_cmpuint (part->len, ==, sweep_shard_size (whole->len, k, 3));
      g_autofree char *csv = sweep_csv_format (part);
      g_autoptr (GError) err = NULL;
      g_assert_true (sweep_csv_parse (csv, strlen (csv), "shard.csv", merged, &err));
      g_assert_no_error (err);
    }
  g_autoptr (GError) err = NULL;
  g_assert_true (sweep_results_check (merged, FALSE, &err));
  g_assert_no_error (err);
  g_autofree char *merged_csv = sweep_csv_format (merged);
  g_assert_cmpstr (merged_csv, ==, whole_csv);
}

static void
test_csv_roundtrip (void)
{
  g_autoptr (SweepGrid) g = make_grid ();
  g_autoptr (GArray) res = run_fake (g, 0, 1, NULL, NULL);
  SweepResult *bad = &g_array_index (res, SweepResult, 3);
  memset (&bad->metrics, 0, sizeof bad->metrics);
  bad->error = g_strdup ("L0A holds 64 KiB, tile needs 72 KiB");
  g_autofree char *csv = sweep_csv_format (res);
  g_assert_true (g_str_has_prefix (csv, "point,points,hw,"));
  g_autoptr (GArray) back = sweep_results_new ();
  g_autoptr (GError) err = NULL;
  g_assert_true (sweep_csv_parse (csv, strlen (csv), "x.csv", back, &err));
  g_assert_no_error (err);
  g_assert_cmpuint (back->len, ==, res->len);
  g_autofree char *again = sweep_csv_format (back);
  g_assert_cmpstr (again, ==, csv);
  g_assert_cmpstr (g_array_index (back, SweepResult, 3).error, ==, bad->error);
  const SweepResult *r0 = &g_array_index (back, SweepResult, 0);
  g_assert_cmpstr (r0->metrics.reason, ==, g_array_index (res, SweepResult, 0).metrics.reason);
  g_assert_cmpfloat (
      fabs (r0->metrics.total_ns / g_array_index (res, SweepResult, 0).metrics.total_ns - 1), <,
      1e-9);

  /* a what-if sweep (sweep --set) says so in every row, and keeps it through a round trip */
  for (guint i = 0; i < res->len; i++)
    g_assert_true (amla_config_add_what_if (&g_array_index (res, SweepResult, i).config,
                                            "l2_bytes_per_s=4.4e12", NULL));
  g_autofree char *wi_csv = sweep_csv_format (res);
  g_assert_nonnull (strstr (wi_csv, ",error,what_if,shard,fingerprint\n"));
  g_assert_nonnull (strstr (wi_csv, ",l2_bytes_per_s=4.4e12,1/1,\n"));
  g_autoptr (GArray) wi_back = sweep_results_new ();
  g_assert_true (sweep_csv_parse (wi_csv, strlen (wi_csv), "w.csv", wi_back, &err));
  g_assert_cmpstr (g_array_index (wi_back, SweepResult, 5).config.what_if, ==, "l2_bytes_per_s=4.4e12");
  g_autofree char *wi_again = sweep_csv_format (wi_back);
  g_assert_cmpstr (wi_again, ==, wi_csv);
  /* a file of the header before what_if (its rows ran the presets as they are) still reads */
  g_autoptr (GString) old_csv = g_string_new (NULL);
  g_auto (GStrv) lines = g_strsplit (csv, "\n", -1);
  for (guint i = 0; lines[i] != NULL && lines[i][0] != '\0'; i++)
    {
      /* the last three columns (what_if, shard, fingerprint) did not exist then */
      g_assert_true (g_str_has_suffix (lines[i], i == 0 ? ",what_if,shard,fingerprint" : ",,1/1,"));
      for (int cut = 0; cut < 3; cut++)
        *g_strrstr (lines[i], ",") = '\0';
      g_string_append_printf (old_csv, "%s\n", lines[i]);
    }
  g_assert_true (g_str_has_prefix (old_csv->str, "point,points,hw,"));
  g_assert_nonnull (strstr (old_csv->str, ",reason,error\n"));
  g_autoptr (GArray) old_back = sweep_results_new ();
  g_assert_true (sweep_csv_parse (old_csv->str, old_csv->len, "old.csv", old_back, &err));
  g_assert_no_error (err);
  g_assert_cmpuint (old_back->len, ==, res->len);
  g_assert_cmpstr (g_array_index (old_back, SweepResult, 5).config.what_if, ==, "");
  /* shards of a what-if sweep and of a plain one do not merge */
  g_autoptr (GArray) mixed = sweep_results_new ();
  g_assert_true (sweep_csv_parse (csv, strlen (csv), "plain.csv", mixed, NULL));
  for (guint i = mixed->len / 2; i < mixed->len; i++) /* the other half: a what-if shard */
    g_assert_true (amla_config_add_what_if (&g_array_index (mixed, SweepResult, i).config,
                                            "l2_bytes_per_s=4.4e12", NULL));
  g_autoptr (GError) em = NULL;
  g_assert_false (sweep_results_check (mixed, FALSE, &em));
  g_assert_nonnull (strstr (em->message, "different what-ifs"));

  /* foreign and broken files */
  const char *bad_files[] = {
    "a,b,c\n1,2,3\n",
    "",
  };
  for (gsize i = 0; i < G_N_ELEMENTS (bad_files); i++)
    {
      g_autoptr (GError) e = NULL;
      g_assert_false (sweep_csv_parse (bad_files[i], strlen (bad_files[i]), "bad.csv", back, &e));
      g_assert_error (e, SWEEP_ERROR, SWEEP_ERROR_CSV);
      g_assert_nonnull (strstr (e->message, "bad.csv:1"));
    }
  /* a truncated row and a bad number name the line */
  char *nl = strchr (csv, '\n');
  char *nl2 = strchr (nl + 1, '\n');
  g_autofree char *truncated = g_strndup (csv, nl2 - csv - 5);
  g_autoptr (GError) e1 = NULL;
  g_assert_false (sweep_csv_parse (truncated, strlen (truncated), "t.csv", back, &e1));
  g_assert_nonnull (strstr (e1->message, "t.csv:2"));
  g_autofree char *badnum = g_strdup (csv);
  badnum[nl - csv + 1] = 'x'; /* point column of row 2 */
  g_autoptr (GError) e2 = NULL;
  g_assert_false (sweep_csv_parse (badnum, strlen (badnum), "n.csv", back, &e2));
  g_assert_nonnull (strstr (e2->message, "n.csv:2: column 1 (point)"));
}

static void
test_merge_detects_problems (void)
{
  g_autoptr (SweepGrid) g = make_grid ();
  g_autoptr (GArray) s0 = run_fake (g, 0, 2, NULL, NULL);
  g_autoptr (GArray) s1 = run_fake (g, 1, 2, NULL, NULL);
  g_autofree char *c0 = sweep_csv_format (s0);
  g_autofree char *c1 = sweep_csv_format (s1);

  /* the same shard twice */
  g_autoptr (GArray) dup = sweep_results_new ();
  g_assert_true (sweep_csv_parse (c0, strlen (c0), "a", dup, NULL));
  g_assert_true (sweep_csv_parse (c1, strlen (c1), "b", dup, NULL));
  g_assert_true (sweep_csv_parse (c1, strlen (c1), "b", dup, NULL));
  g_autoptr (GError) e1 = NULL;
  g_assert_false (sweep_results_check (dup, FALSE, &e1));
  g_assert_error (e1, SWEEP_ERROR, SWEEP_ERROR_INCOMPLETE);
  g_assert_nonnull (strstr (e1->message, "appears twice"));

  /* one shard only: the other half is missing */
  g_autoptr (GArray) gap = sweep_results_new ();
  g_assert_true (sweep_csv_parse (c1, strlen (c1), "b", gap, NULL));
  g_autoptr (GError) e2 = NULL;
  g_assert_false (sweep_results_check (gap, FALSE, &e2));
  g_assert_error (e2, SWEEP_ERROR, SWEEP_ERROR_INCOMPLETE);
  g_assert_nonnull (strstr (e2->message, "48 of 96 points are missing (points 0, 2, 4"));
  g_assert_true (sweep_results_check (gap, TRUE, NULL)); /* --allow-gaps */

  /* a shard of another grid with the same size */
  g_autoptr (SweepGrid) other = make_grid ();
  g_assert_true (sweep_grid_add_values (other, SWEEP_AXIS_SQ, "1", NULL));
  g_autoptr (GArray) o1 = run_fake (other, 1, 2, NULL, NULL);
  g_autofree char *co = sweep_csv_format (o1);
  g_autoptr (GArray) mixed = sweep_results_new ();
  g_assert_true (sweep_csv_parse (c0, strlen (c0), "a", mixed, NULL));
  g_assert_true (sweep_csv_parse (co, strlen (co), "o", mixed, NULL));
  g_autoptr (GError) e3 = NULL;
  g_assert_false (sweep_results_check (mixed, FALSE, &e3));
  g_assert_error (e3, SWEEP_ERROR, SWEEP_ERROR_CSV);
  g_assert_nonnull (strstr (e3->message, "different grids"));
}

static void
test_cancel (void)
{
  g_autoptr (SweepGrid) g = make_grid ();
  gint cancel = 0;
  Stream s = { g_thread_self (), 0, 0, TRUE, &cancel };
  SweepRunOptions opt;
  sweep_run_options_init (&opt);
  opt.threads = 1;
  opt.simulate = fake_simulate;
  opt.on_result = on_result;
  opt.user_data = &s;
  opt.cancel = &cancel;
  g_autoptr (GError) err = NULL;
  g_autoptr (GArray) res = sweep_run (g, &opt, &err);
  g_assert_null (res);
  g_assert_error (err, SWEEP_ERROR, SWEEP_ERROR_CANCELLED);
  g_assert_cmpuint (s.calls, ==, 5); /* nothing delivered after the cancel */
}

typedef struct
{
  const SweepGrid *grid;
  GMainContext *context;
  Stream *stream;
  gint finished;
  GArray *results;
} Worker;

static gpointer
worker_thread (gpointer data)
{
  Worker *w = data;
  SweepRunOptions opt;
  sweep_run_options_init (&opt);
  opt.threads = 2;
  opt.simulate = fake_simulate;
  opt.on_result = on_result;
  opt.user_data = w->stream;
  opt.context = w->context;
  w->results = sweep_run (w->grid, &opt, NULL);
  g_atomic_int_set (&w->finished, 1);
  g_main_context_wakeup (w->context);
  return NULL;
}

/* The GUI pattern: sweep_run in a worker, results delivered on the thread that owns a context. */
static void
test_results_in_main_context (void)
{
  g_autoptr (SweepGrid) g = make_grid ();
  GMainContext *ctx = g_main_context_new ();
  g_main_context_push_thread_default (ctx);
  Stream s = { g_thread_self (), 0, 0, TRUE, NULL };
  Worker w = { g, ctx, &s, 0, NULL };
  GThread *t = g_thread_new ("sweep", worker_thread, &w);
  while (!g_atomic_int_get (&w.finished) || g_main_context_pending (ctx))
    g_main_context_iteration (ctx, TRUE);
  g_thread_join (t);
  g_assert_nonnull (w.results);
  g_assert_cmpuint (s.calls, ==, sweep_grid_size (g)); /* on_result asserts the thread */
  g_assert_true (s.in_order);
  g_array_unref (w.results);
  g_main_context_pop_thread_default (ctx);
  g_main_context_unref (ctx);
}

static void
test_bad_preset (void)
{
  g_autoptr (SweepGrid) g = sweep_grid_new (NULL);
  g_assert_true (sweep_grid_add_values (g, SWEEP_AXIS_HW, "ascend910c,nosuchchip", NULL));
  SweepRunOptions opt;
  sweep_run_options_init (&opt);
  opt.simulate = fake_simulate;
  g_autoptr (GError) err = NULL;
  g_autoptr (GArray) res = sweep_run (g, &opt, &err);
  g_assert_null (res);
  g_assert_nonnull (err);
  g_assert_true (g_str_has_prefix (err->message, "--hw nosuchchip: "));
}

/* With the real engine: every point of a small sweep equals a single amla_run of its config. */
static void
test_points_equal_single_runs (void)
{
  g_autoptr (SweepGrid) g = sweep_grid_new (NULL);
  g_assert_true (sweep_grid_add_values (g, SWEEP_AXIS_BATCH, "4,48", NULL));
  g_assert_true (sweep_grid_add_values (g, SWEEP_AXIS_KV, "1024,2048", NULL));
  sweep_grid_all_toggles (g);
  SweepRunOptions opt;
  sweep_run_options_init (&opt);
  g_autoptr (GError) err = NULL;
  g_autoptr (GArray) res = sweep_run (g, &opt, &err);
  g_assert_no_error (err);
  g_assert_cmpuint (res->len, ==, 32);
  for (guint i = 0; i < res->len; i++)
    {
      const SweepResult *r = &g_array_index (res, SweepResult, i);
      g_assert_null (r->error);
      g_autoptr (AmlaRun) run = amla_run (&r->config, NULL, NULL, &err);
      g_assert_no_error (err);
      const SimMetrics *m = &run->result->metrics;
      g_assert_cmpfloat (r->metrics.total_ns, ==, m->total_ns);
      g_assert_cmpfloat (r->metrics.flops, ==, m->flops);
      g_assert_cmpfloat (r->metrics.cube_utilization, ==, m->cube_utilization);
      g_assert_cmpint (r->metrics.bound, ==, m->bound);
      g_assert_cmpuint (r->metrics.hbm_bytes, ==, m->hbm_bytes);
      for (int p = 0; p < SIM_N_PIPES; p++)
        {
          g_assert_cmpfloat (r->metrics.busy_aic[p], ==, m->busy_aic[p]);
          g_assert_cmpfloat (r->metrics.busy_aiv[p], ==, m->busy_aiv[p]);
        }
    }
}

/* --shard auto: K/N from a Slurm array task or a Kubernetes Indexed Job, and clear errors */
static void
test_shard_from_env (void)
{
  static const struct
  {
    const char *env;
    guint shards;
    gboolean ok;
    guint k, n;
    const char *error;
  } cases[] = {
    { "SLURM_ARRAY_TASK_ID=3,SLURM_ARRAY_TASK_MIN=1,SLURM_ARRAY_TASK_MAX=4", 0, TRUE, 2, 4, NULL },
    { "SLURM_ARRAY_TASK_ID=10,SLURM_ARRAY_TASK_MIN=10,SLURM_ARRAY_TASK_COUNT=8", 0, TRUE, 0, 8, NULL },
    { "SLURM_ARRAY_TASK_ID=5,SLURM_ARRAY_TASK_MIN=1,SLURM_ARRAY_TASK_MAX=9,SLURM_ARRAY_TASK_STEP=2",
      0, FALSE, 0, 0, "steps by 2" },
    { "SLURM_ARRAY_TASK_ID=7,SLURM_ARRAY_TASK_MIN=1,SLURM_ARRAY_TASK_MAX=4", 0, FALSE, 0, 0,
      "outside its array" },
    { "SLURM_ARRAY_TASK_ID=x,SLURM_ARRAY_TASK_MIN=1,SLURM_ARRAY_TASK_MAX=4", 0, FALSE, 0, 0,
      "SLURM_ARRAY_TASK_ID is 'x'" },
    { "JOB_COMPLETION_INDEX=0", 5, TRUE, 0, 5, NULL },
    { "JOB_COMPLETION_INDEX=4", 5, TRUE, 4, 5, NULL },
    { "JOB_COMPLETION_INDEX=5", 5, FALSE, 0, 0, "not below --shards 5" },
    { "JOB_COMPLETION_INDEX=2", 0, FALSE, 0, 0, "needs --shards N" },
    { "HOME=/root", 0, FALSE, 0, 0, "no scheduler told this process its shard" },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto (GStrv) env = g_strsplit (cases[i].env, ",", -1);
      guint k = 99, n = 99;
      g_autoptr (GError) err = NULL;
      gboolean ok = sweep_shard_from_env (env, cases[i].shards, &k, &n, &err);
      g_test_message ("%s", cases[i].env);
      g_assert_cmpint (ok, ==, cases[i].ok);
      if (ok)
        {
          g_assert_no_error (err);
          g_assert_cmpuint (k, ==, cases[i].k);
          g_assert_cmpuint (n, ==, cases[i].n);
        }
      else
        {
          g_assert_error (err, SWEEP_ERROR, SWEEP_ERROR_INVALID);
          g_assert_nonnull (strstr (err->message, cases[i].error));
        }
    }
}

/* The fingerprint names one sweep: the same grid and presets give the same one; another grid
 * value, another what-if or another preset give another.  The grid's options rebuild it. */
static void
test_fingerprint (void)
{
  g_autoptr (SweepGrid) a = make_grid ();
  g_autoptr (SweepGrid) b = make_grid ();
  g_autoptr (GError) err = NULL;
  g_autofree char *fa = sweep_fingerprint (a, NULL, &err);
  g_assert_no_error (err);
  g_autofree char *fb = sweep_fingerprint (b, NULL, NULL);
  g_assert_cmpuint (strlen (fa), ==, 16);
  g_assert_cmpstr (fa, ==, fb);
  const char *set[] = { "atomic_l2_factor=2", NULL };
  g_autofree char *fset = sweep_fingerprint (a, set, NULL);
  g_assert_cmpstr (fset, !=, fa);
  g_assert_true (sweep_grid_add_values (b, SWEEP_AXIS_KV, "8192", NULL));
  g_autofree char *fkv = sweep_fingerprint (b, NULL, NULL);
  g_assert_cmpstr (fkv, !=, fa);
  g_autoptr (SweepGrid) c = make_grid ();
  g_assert_true (sweep_grid_add_values (c, SWEEP_AXIS_HW, "ascend910b", NULL));
  g_autofree char *fhw = sweep_fingerprint (c, NULL, NULL);
  g_assert_cmpstr (fhw, !=, fa);
  const char *bad[] = { "no_such_field=1", NULL };
  g_autoptr (GError) berr = NULL;
  g_assert_null (sweep_fingerprint (a, bad, &berr));
  g_assert_nonnull (berr);

  /* the options the Slurm script passes rebuild the same grid, point for point */
  g_auto (GStrv) args = sweep_grid_to_args (a);
  g_autoptr (SweepGrid) rebuilt = sweep_grid_new (NULL);
  for (char **x = args; *x != NULL; x += 2)
    {
      SweepAxis axis;
      g_assert_true (sweep_axis_parse (x[0] + 2, &axis));
      g_assert_true (sweep_grid_add_values (rebuilt, axis, x[1], NULL));
    }
  g_assert_cmpuint (sweep_grid_size (rebuilt), ==, sweep_grid_size (a));
  for (guint64 p = 0; p < sweep_grid_size (a); p++)
    {
      AmlaConfig x, y;
      sweep_grid_config (a, p, &x);
      sweep_grid_config (rebuilt, p, &y);
      g_assert_cmpint (memcmp (&x, &y, sizeof x), ==, 0);
    }
  g_autofree char *fr = sweep_fingerprint (rebuilt, NULL, NULL);
  g_assert_cmpstr (fr, ==, fa);
}

/* Rows carry their shard and fingerprint through a round trip; a CSV written before those
 * columns still reads (fingerprint unknown). */
static void
test_csv_shard_columns (void)
{
  g_autoptr (SweepGrid) g = make_grid ();
  g_autoptr (GArray) res = run_fake (g, 1, 3, NULL, NULL);
  for (guint i = 0; i < res->len; i++)
    g_strlcpy (g_array_index (res, SweepResult, i).fingerprint, "0123456789abcdef", 17);
  g_autofree char *csv = sweep_csv_format (res);
  g_assert_nonnull (strstr (csv, ",what_if,shard,fingerprint\n"));
  g_assert_nonnull (strstr (csv, ",2/3,0123456789abcdef\n"));
  g_autoptr (GArray) back = sweep_results_new ();
  g_autoptr (GError) err = NULL;
  g_assert_true (sweep_csv_parse (csv, strlen (csv), "x.csv", back, &err));
  g_assert_no_error (err);
  const SweepResult *r = &g_array_index (back, SweepResult, 0);
  g_assert_cmpuint (r->shard_index, ==, 1);
  g_assert_cmpuint (r->shard_count, ==, 3);
  g_assert_cmpstr (r->fingerprint, ==, "0123456789abcdef");

  /* the same file as the previous version wrote it: no shard and fingerprint columns */
  GString *old = g_string_new (NULL);
  g_auto (GStrv) lines = g_strsplit (csv, "\n", -1);
  for (char **l = lines; *l != NULL && **l != '\0'; l++)
    {
      char *cut = g_strrstr (*l, ",");
      *cut = '\0';
      cut = g_strrstr (*l, ",");
      *cut = '\0';
      g_string_append_printf (old, "%s\n", *l);
    }
  g_autoptr (GArray) old_back = sweep_results_new ();
  g_assert_true (sweep_csv_parse (old->str, old->len, "old.csv", old_back, &err));
  g_assert_no_error (err);
  g_assert_cmpuint (old_back->len, ==, res->len);
  g_assert_cmpstr (g_array_index (old_back, SweepResult, 0).fingerprint, ==, "");
  g_assert_cmpuint (g_array_index (old_back, SweepResult, 0).shard_count, ==, 0);
  g_string_free (old, TRUE);

  /* a fingerprint that is not hex is a CSV error naming the column */
  g_autofree char *bad = g_strdup (csv);
  char *at = strstr (bad, "0123456789abcdef");
  at[0] = 'Z';
  g_autoptr (GArray) bad_back = sweep_results_new ();
  g_autoptr (GError) berr = NULL;
  g_assert_false (sweep_csv_parse (bad, strlen (bad), "bad.csv", bad_back, &berr));
  g_assert_nonnull (strstr (berr->message, "fingerprint"));
}

/* Inputs the sweep-CSV fuzzer once tripped on (tests/fuzz/regressions-sweep): each either fails
 * with a CSV error or writes back to a text that reads back to itself. */
static void
test_csv_regressions (void)
{
  g_autofree char *dir = g_build_filename (g_getenv ("AMLAVIZ_DATA_DIR"), "..", "tests", "fuzz",
                                           "regressions-sweep", NULL);
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  g_assert_nonnull (d);
  const char *name;
  guint n = 0;
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *text = NULL;
      gsize len = 0;
      g_assert_true (g_file_get_contents (path, &text, &len, NULL));
      g_autoptr (GArray) rows = sweep_results_new ();
      g_autoptr (GError) err = NULL;
      n++;
      if (!sweep_csv_parse (text, len, name, rows, &err))
        {
          g_test_message ("%s: %s", name, err->message);
          g_assert_error (err, SWEEP_ERROR, SWEEP_ERROR_CSV);
          continue;
        }
      g_autofree char *once = sweep_csv_format (rows);
      g_autoptr (GArray) again = sweep_results_new ();
      g_assert_true (sweep_csv_parse (once, strlen (once), "again", again, NULL));
      g_autofree char *twice = sweep_csv_format (again);
      g_assert_cmpstr (once, ==, twice);
    }
  g_assert_cmpuint (n, >, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sweep/grid-exact", test_grid_exact);
  g_test_add_func ("/sweep/grid-values", test_grid_values);
  g_test_add_func ("/sweep/shards-partition", test_shards_partition);
  g_test_add_func ("/sweep/run-streams-grid", test_run_streams_grid);
  g_test_add_func ("/sweep/shards-merge-equal-whole", test_shards_merge_equal_whole);
  g_test_add_func ("/sweep/csv-roundtrip", test_csv_roundtrip);
  g_test_add_func ("/sweep/merge-detects-problems", test_merge_detects_problems);
  g_test_add_func ("/sweep/cancel", test_cancel);
  g_test_add_func ("/sweep/results-in-main-context", test_results_in_main_context);
  g_test_add_func ("/sweep/bad-preset", test_bad_preset);
  g_test_add_func ("/sweep/points-equal-single-runs", test_points_equal_single_runs);
  g_test_add_func ("/sweep/shard-from-env", test_shard_from_env);
  g_test_add_func ("/sweep/fingerprint", test_fingerprint);
  g_test_add_func ("/sweep/csv-shard-columns", test_csv_shard_columns);
  g_test_add_func ("/sweep/csv-regressions", test_csv_regressions);
  return g_test_run ();
}
