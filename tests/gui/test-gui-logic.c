/* tests/gui/test-gui-logic.c — the window's pure helpers (stage steps, range stats, text) on a
 * hand-made trace whose numbers can be checked by hand.  No display needed. */
#include "src/app/amlaviz-describe.h"
#include "src/app/amlaviz-export-preview.h"
#include "src/app/amlaviz-range-stats.h"
#include "src/app/amlaviz-steps.h"
#include "src/app/amlaviz-trace-file.h"

#include <gio/gio.h>
#include <glib/gstdio.h>

#include <pango/pango.h>
#include <string.h>

/* Pango accepts it: the details pane and tooltips would show it. */
static gboolean
pango_check (const char *markup)
{
  g_autoptr (GError) error = NULL;
  gboolean ok = pango_parse_markup (markup, -1, 0, NULL, NULL, NULL, &error);
  if (!ok)
    g_printerr ("bad markup: %s\n%s\n", error->message, markup);
  return ok;
}

static SimSpan
span (SimTrace *t, double start, double dur, SimStage stage, const char *name, int task, int iter,
      guint64 bytes, const char *detail)
{
  SimSpan s = { 0 };
  s.start_ns = start;
  s.dur_ns = dur;
  s.name = sim_trace_intern (t, name);
  s.detail = detail ? sim_trace_intern (t, detail) : 0;
  s.stage = (guint8) stage;
  s.task = task;
  s.iter = iter;
  s.bytes = bytes;
  return s;
}

/* AIC0 {MTE2, CUBE, FIXPIPE}, AIV0 {VECTOR, MTE3}, AIC1 {CUBE} (another AIC group).
 * Task 0: C1 iter0 = MTE2 [0,400) 4096 B + CUBE [400,1000); V1 iter0 = VECTOR [1100,1800);
 * C2 iter0 = CUBE [1900,2500); V1 iter1 = VECTOR [2600,3000) + MTE3 [3000,3100) 1000 B.
 * Flag "S ready": FIXPIPE [1000,1050) C1 -> VECTOR at 1100. */
static SimTrace *
small_trace (void)
{
  SimTrace *t = sim_trace_new ();
  SimGroup *aic = sim_trace_add_group (t, "AIC0", 1, 0, SIM_CORE_AIC, 0);
  SimLane *mte2 = sim_group_add_lane (aic, "MTE2", 1, 0, SIM_PIPE_MTE2);
  SimLane *cube = sim_group_add_lane (aic, "CUBE", 3, 2, SIM_PIPE_CUBE);
  SimLane *fix = sim_group_add_lane (aic, "FIXPIPE", 4, 3, SIM_PIPE_FIXPIPE);
  SimGroup *aiv = sim_trace_add_group (t, "AIV0", 2, 1, SIM_CORE_AIV, 0);
  SimLane *vec = sim_group_add_lane (aiv, "VECTOR", 5, 1, SIM_PIPE_VECTOR);
  SimLane *mte3 = sim_group_add_lane (aiv, "MTE3", 6, 2, SIM_PIPE_MTE3);
  SimGroup *aic1 = sim_trace_add_group (t, "AIC1", 3, 2, SIM_CORE_AIC, 1);
  SimLane *cube1 = sim_group_add_lane (aic1, "CUBE", 3, 2, SIM_PIPE_CUBE);
  SimSpan s = span (t, 0, 400, SIM_STAGE_C1, "load K", 0, 0, 4096, "L1 K slot 0");
  sim_lane_append (mte2, &s);
  s = span (t, 400, 600, SIM_STAGE_C1, "mmad", 0, 0, 0, "L0A/L0B");
  sim_lane_append (cube, &s);
  s = span (t, 1000, 50, SIM_STAGE_C1, "fixpipe S", 0, 0, 2048, "GM workspace S");
  sim_lane_append (fix, &s);
  s = span (t, 1100, 700, SIM_STAGE_V1, "softmax", 0, 0, 0, "UB");
  sim_lane_append (vec, &s);
  s = span (t, 1900, 600, SIM_STAGE_C2, "mmad", 0, 0, 0, NULL);
  sim_lane_append (cube, &s);
  s = span (t, 2600, 400, SIM_STAGE_V1, "softmax", 0, 1, 0, NULL);
  sim_lane_append (vec, &s);
  s = span (t, 3000, 100, SIM_STAGE_V1, "atomic add dn", 0, 1, 1000, NULL);
  sim_lane_append (mte3, &s);
  s = span (t, 50, 900, SIM_STAGE_C1, "mmad", 7, 0, 0, NULL); /* AIC1: another task */
  sim_lane_append (cube1, &s);
  sim_trace_finish (t);
  SimFlow f = { 0 };
  f.id = 1;
  f.name = sim_trace_intern (t, "S ready");
  f.src_group = 0; /* AIC0 */
  f.src_lane = 2;  /* FIXPIPE */
  f.dst_group = 1; /* AIV0 */
  f.dst_lane = 0;  /* VECTOR */
  f.src_ns = 1050;
  f.dst_ns = 1100;
  sim_trace_add_flow (t, &f);
  return t;
}

static void
test_steps_order (void)
{
  g_autoptr (SimTrace) t = small_trace ();
  g_autoptr (GArray) steps = amlaviz_steps_build (t, NULL);
  /* C1(t0,i0) C1(t7,i0) V1(t0,i0) C2(t0,i0) V1(t0,i1) */
  g_assert_cmpuint (steps->len, ==, 5);
  const AmlavizStep *s0 = &g_array_index (steps, AmlavizStep, 0);
  g_assert_cmpint (s0->stage, ==, SIM_STAGE_C1);
  g_assert_cmpint (s0->task, ==, 0);
  g_assert_cmpfloat (s0->start_ns, ==, 0);
  g_assert_cmpfloat (s0->end_ns, ==, 1050); /* MTE2 + CUBE + FIXPIPE of C1 */
  g_assert_cmpuint (s0->n_spans, ==, 3);
  g_assert_cmpint (g_array_index (steps, AmlavizStep, 1).task, ==, 7);
  g_assert_cmpint (g_array_index (steps, AmlavizStep, 2).stage, ==, SIM_STAGE_V1);
  g_assert_cmpint (g_array_index (steps, AmlavizStep, 3).stage, ==, SIM_STAGE_C2);
  const AmlavizStep *s4 = &g_array_index (steps, AmlavizStep, 4);
  g_assert_cmpint (s4->iter, ==, 1);
  g_assert_cmpfloat (s4->end_ns, ==, 3100);
  for (guint i = 1; i < steps->len; i++)
    g_assert_cmpfloat (g_array_index (steps, AmlavizStep, i - 1).start_ns, <=,
                       g_array_index (steps, AmlavizStep, i).start_ns);
  g_assert_cmpuint (amlaviz_steps_find (steps, 1000), ==, 2);
  g_assert_cmpuint (amlaviz_steps_find (steps, 1e9), ==, 5);
}

/* The steps as their definition says, with nothing clever: a hash table of (stage, task, iter). */
static GArray *
reference_steps (const SimTrace *t, const guint8 *hidden)
{
  GArray *steps = g_array_new (FALSE, FALSE, sizeof (AmlavizStep));
  g_autoptr (GHashTable) index = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint g = 0; g < t->groups->len; g++)
    {
      const SimGroup *grp = g_ptr_array_index (t->groups, g);
      for (guint l = 0; !(hidden && hidden[g]) && l < grp->lanes->len; l++)
        {
          const SimLane *lane = g_ptr_array_index (grp->lanes, l);
          for (gsize i = 0; lane->pipe != SIM_PIPE_SCALAR && i < lane->n_spans; i++)
            {
              const SimSpan *s = &lane->spans[i];
              if (s->stage < SIM_STAGE_C1 || s->stage > SIM_STAGE_COMBINE || s->task < 0
                  || (s->flags & SIM_SPAN_WAIT))
                continue;
              g_autofree char *key = g_strdup_printf ("%d %d %d", s->stage, s->task, s->iter);
              gpointer at;
              if (!g_hash_table_lookup_extended (index, key, NULL, &at))
                {
                  AmlavizStep st = { s->stage, s->task, s->iter, s->start_ns, s->start_ns, 0 };
                  g_array_append_val (steps, st);
                  at = GUINT_TO_POINTER (steps->len);
                  g_hash_table_insert (index, g_steal_pointer (&key), at);
                }
              AmlavizStep *st = &g_array_index (steps, AmlavizStep, GPOINTER_TO_UINT (at) - 1);
              st->start_ns = MIN (st->start_ns, s->start_ns);
              st->end_ns = MAX (st->end_ns, s->start_ns + s->dur_ns);
              st->n_spans++;
            }
        }
    }
  return steps;
}

static gint
find_step (const GArray *steps, const AmlavizStep *want)
{
  for (guint i = 0; i < steps->len; i++)
    {
      const AmlavizStep *st = &g_array_index (steps, AmlavizStep, i);
      if (st->stage == want->stage && st->task == want->task && st->iter == want->iter)
        return (gint) i;
    }
  return -1;
}

/* Many spans of few and of many units, runs of one unit and units that come back later on a
 * lane, waits, Scalar lanes, spans without a task, hidden groups: the same steps as the
 * definition, in start order. */
static void
test_steps_random (void)
{
  for (int round = 0; round < 6; round++)
    {
      g_autoptr (GRand) rng = g_rand_new_with_seed (77 + round);
      g_autoptr (SimTrace) t = sim_trace_new ();
      int n_groups = g_rand_int_range (rng, 1, 9);
      int n_units = round % 2 ? 4 : 3000; /* few units: long runs; many: the table grows */
      guint8 hidden[8];
      for (int g = 0; g < n_groups; g++)
        {
          g_autofree char *name = g_strdup_printf ("AIC%d", g);
          SimGroup *grp = sim_trace_add_group (t, name, g + 1, g, SIM_CORE_AIC, g);
          hidden[g] = round >= 4 && g % 3 == 1;
          for (int l = 0; l < 4; l++)
            {
              SimPipe pipe = l == 3 ? SIM_PIPE_SCALAR : (SimPipe) l;
              SimLane *lane = sim_group_add_lane (grp, sim_pipe_name (pipe), l + 1, l, pipe);
              double at = 0;
              int unit = g_rand_int_range (rng, 0, n_units);
              for (int i = g_rand_int_range (rng, 0, 4000); i > 0; i--)
                {
                  if (g_rand_int_range (rng, 0, 8) == 0)
                    unit = g_rand_int_range (rng, 0, n_units);
                  int stage = unit % 7;         /* 0 and 6: not units */
                  int task = unit / 7 % 40 - 1; /* -1: none */
                  int iter = unit / 280 - 1;
                  SimSpan s = span (t, at, g_rand_double_range (rng, 0, 500), (SimStage) stage,
                                    "op", task, iter, 0, NULL);
                  if (g_rand_int_range (rng, 0, 20) == 0)
                    s.flags |= SIM_SPAN_WAIT;
                  sim_lane_append (lane, &s);
                  at += g_rand_double_range (rng, 0, 300);
                }
            }
        }
      sim_trace_finish (t);
      const guint8 *hid = round >= 4 ? hidden : NULL;
      g_autoptr (GArray) want = reference_steps (t, hid);
      g_autoptr (GArray) got = amlaviz_steps_build (t, hid);
      g_assert_cmpuint (got->len, ==, want->len);
      for (guint i = 0; i < got->len; i++)
        {
          const AmlavizStep *st = &g_array_index (got, AmlavizStep, i);
          gint k = find_step (want, st);
          g_assert_cmpint (k, >=, 0);
          const AmlavizStep *w = &g_array_index (want, AmlavizStep, k);
          g_assert_cmpfloat (st->start_ns, ==, w->start_ns);
          g_assert_cmpfloat (st->end_ns, ==, w->end_ns);
          g_assert_cmpuint (st->n_spans, ==, w->n_spans);
          if (i > 0)
            g_assert_cmpfloat (g_array_index (got, AmlavizStep, i - 1).start_ns, <=, st->start_ns);
        }
    }
}

static void
test_steps_hidden (void)
{
  g_autoptr (SimTrace) t = small_trace ();
  /* only the AIC0 group (AIC0 + AIV0), as the window draws by default */
  guint8 hidden[3];
  for (guint g = 0; g < 3; g++)
    hidden[g] = !amlaviz_group_in_aic_group (g_ptr_array_index (t->groups, g), 0, 2);
  g_assert_cmpuint (hidden[0] + hidden[1], ==, 0);
  g_assert_cmpuint (hidden[2], ==, 1);
  g_autoptr (GArray) steps = amlaviz_steps_build (t, hidden);
  g_assert_cmpuint (steps->len, ==, 4);
  for (guint i = 0; i < steps->len; i++)
    g_assert_cmpint (g_array_index (steps, AmlavizStep, i).task, ==, 0);
}

static void
test_step_explain (void)
{
  g_autoptr (SimTrace) t = small_trace ();
  g_autoptr (GArray) steps = amlaviz_steps_build (t, NULL);
  g_autofree char *c1 = amlaviz_step_explain (t, NULL, &g_array_index (steps, AmlavizStep, 0), TRUE);
  g_assert_nonnull (strstr (c1, "Q·Kᵀ"));
  g_assert_nonnull (strstr (c1, "AIC0 CUBE: 1 op"));
  g_assert_nonnull (strstr (c1, "4.0 KiB")); /* MTE2 bytes */
  g_assert_nonnull (strstr (c1, "L1 K slot 0"));
  g_assert_nonnull (strstr (c1, "sets flag “S ready” for AIV0 VECTOR"));
  /* V1 of block 0 waited for the flag C1's FixPipe set */
  g_autofree char *v1 = amlaviz_step_explain (t, NULL, &g_array_index (steps, AmlavizStep, 2), TRUE);
  g_assert_nonnull (strstr (v1, "waited for flag “S ready”, set by AIC0 FIXPIPE"));
  g_assert_nonnull (strstr (v1, "Δn·2²³"));
  g_autofree char *v1mul = amlaviz_step_explain (t, NULL, &g_array_index (steps, AmlavizStep, 2), FALSE);
  g_assert_nonnull (strstr (v1mul, "exp(m_old − m_new)"));
  /* C2 waited for nothing */
  g_autofree char *c2 = amlaviz_step_explain (t, NULL, &g_array_index (steps, AmlavizStep, 3), TRUE);
  g_assert_nonnull (strstr (c2, "no flag"));
  g_assert_true (pango_check (c1));
  g_assert_true (pango_check (v1));
  g_assert_true (pango_check (c2));
}

static void
test_range_stats (void)
{
  g_autoptr (SimTrace) t = small_trace ();
  AmlavizRangeStats st;
  /* [200, 1500): MTE2 200 of C1 (2048 B pro rata), CUBE 600 C1, FIXPIPE 50 C1, VECTOR 400 V1;
   * AIC1 CUBE 750 C1 */
  amlaviz_range_stats_compute (&st, t, NULL, 1500, 200); /* reversed on purpose */
  g_assert_cmpfloat (st.t0_ns, ==, 200);
  g_assert_cmpfloat (st.t1_ns, ==, 1500);
  g_assert_cmpfloat_with_epsilon (st.stage_ns[SIM_STAGE_C1], 200 + 600 + 50 + 750, 1e-9);
  g_assert_cmpfloat_with_epsilon (st.stage_ns[SIM_STAGE_V1], 400, 1e-9);
  g_assert_cmpfloat_with_epsilon (st.stage_bytes[SIM_STAGE_C1], 2048 + 2048, 1e-9);
  g_assert_cmpuint (st.stage_spans[SIM_STAGE_C1], ==, 4);
  g_assert_cmpuint (st.stage_spans[SIM_STAGE_C2], ==, 0);
  g_assert_cmpuint (st.lanes->len, ==, 6);
  /* CUBE of AIC0 is lane (0, 1) */
  const AmlavizLaneBusy *cube = &g_array_index (st.lanes, AmlavizLaneBusy, 1);
  g_assert_cmpuint (cube->group, ==, 0);
  g_assert_cmpuint (cube->lane, ==, 1);
  g_assert_cmpfloat_with_epsilon (cube->busy_ns, 600, 1e-9);
  g_autofree char *text = amlaviz_range_stats_describe (&st, t);
  g_assert_nonnull (strstr (text, "Range 1.300 µs"));
  g_assert_nonnull (strstr (text, "AIC0 CUBE"));
  g_assert_true (pango_check (text));
  amlaviz_range_stats_clear (&st);
}

/* A flow's own category (an imported trace's "ac2g") is listed; ours ("flow") is not. */
static void
test_describe_flow_cat (void)
{
  g_autoptr (SimTrace) t = small_trace ();
  g_autofree char *ours = amlaviz_flow_describe (t, FALSE, 0); /* GtkLabel markup (links) */
  g_assert_null (strstr (ours, "category"));
  g_array_index (t->flows, SimFlow, 0).cat = sim_trace_intern (t, "ac2g <x>");
  g_autofree char *theirs = amlaviz_flow_describe (t, FALSE, 0);
  g_assert_nonnull (strstr (theirs, "category: ac2g &lt;x&gt;"));
}

static void
test_describe (void)
{
  g_autoptr (SimTrace) t = small_trace ();
  g_autofree char *a = amlaviz_format_time (812);
  g_assert_cmpstr (a, ==, "812 ns");
  g_autofree char *b = amlaviz_format_time (3250);
  g_assert_cmpstr (b, ==, "3.250 µs");
  g_autofree char *c = amlaviz_format_bytes (72 * 1024);
  g_assert_cmpstr (c, ==, "72.0 KiB");
  g_autofree char *d = amlaviz_span_describe (t, 0, 0, 0);
  g_assert_nonnull (strstr (d, "<b>load K</b>"));
  g_assert_nonnull (strstr (d, "task 0, iteration (KV block) 0"));
  g_assert_nonnull (strstr (d, "4.0 KiB moved"));
  g_assert_true (pango_check (d));
  SimMetrics m = { 0 }, p = { 0 };
  m.total_ns = 2e6;
  m.cube_utilization = 0.8;
  p.total_ns = 3e6;
  p.cube_utilization = 0.5;
  g_strlcpy (m.reason, "Cube busy 95 % of the time", sizeof m.reason);
  g_autofree char *one = amlaviz_metrics_describe (&m, NULL);
  g_assert_nonnull (strstr (one, "80.0 %"));
  g_assert_null (strstr (one, "A pinned"));
  g_autofree char *two = amlaviz_metrics_describe (&m, &p);
  g_assert_nonnull (strstr (two, "A pinned"));
  g_assert_nonnull (strstr (two, "50.0 %"));
  g_assert_true (pango_check (one));
  g_assert_true (pango_check (two));
}

static void
test_numerics_describe (void)
{
  AmlaNumReport r = { 0 };
  r.rows_total = 24576;
  r.rows_sampled = 16;
  r.kv_len = 4096;
  r.err[AMLA_NUM_AMLA].max_abs = 4.566e-4;
  r.err[AMLA_NUM_AMLA].mean_abs = 6.599e-5;
  r.err[AMLA_NUM_AMLA_NOCOMP].max_abs = 7.16e-4;
  r.err[AMLA_NUM_FA_MUL].max_abs = 5.746e-4;
  g_autofree char *a = amlaviz_numerics_describe (&r, AMLA_RESCALE_AMLA, FALSE);
  g_assert_true (pango_check (a));
  g_assert_nonnull (strstr (a, "<b>Numerics</b> (16 of 24576 rows sampled)"));
  g_assert_nonnull (strstr (a, "<b>AMLA                4.57e-04  6.60e-05</b>"));
  g_assert_nonnull (strstr (a, "\nFA multiply         5.75e-04"));
  g_assert_null (strstr (a, "non-fin"));
  /* FP multiply drawn: that row is bold; non-finite outputs add a column; A/B says B */
  r.err[AMLA_NUM_AMLA_NOCOMP].non_finite = 3;
  g_autofree char *b = amlaviz_numerics_describe (&r, AMLA_RESCALE_MUL, TRUE);
  g_assert_true (pango_check (b));
  g_assert_nonnull (strstr (b, "<b>B: Numerics</b>"));
  g_assert_nonnull (strstr (b, "<b>FA multiply"));
  g_assert_nonnull (strstr (b, "\nAMLA                4.57e-04"));
  g_assert_nonnull (strstr (b, "non-fin"));
  g_assert_nonnull (strstr (b, "7.16e-04  0.00e+00       3"));
}

static GBytes *
gzip_bytes (const char *data, gsize len)
{
  g_autoptr (GZlibCompressor) z = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, 6);
  g_autoptr (GOutputStream) mem = g_memory_output_stream_new_resizable ();
  g_autoptr (GOutputStream) out = g_converter_output_stream_new (mem, G_CONVERTER (z));
  g_assert_true (g_output_stream_write_all (out, data, len, NULL, NULL, NULL));
  g_assert_true (g_output_stream_close (out, NULL, NULL));
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (mem));
}

static gboolean
record_progress (double fraction, gpointer data)
{
  g_array_append_val ((GArray *) data, fraction);
  return TRUE;
}

static gboolean
stop_at_half (double fraction, gpointer data)
{
  return fraction < 0.5;
}

static void
test_trace_file_gzip (void)
{
  g_autoptr (SimTrace) t = small_trace ();
  gsize len = 0;
  g_autofree char *json = sim_trace_to_json (t, SIM_TRACE_FLAVOR_PERFETTO, &len);
  g_autoptr (GBytes) gz = gzip_bytes (json, len);
  g_autofree char *dir = g_dir_make_tmp ("amlaviz-gz-XXXXXX", NULL);
  g_autofree char *plain = g_build_filename (dir, "t.json", NULL);
  g_autofree char *packed = g_build_filename (dir, "t.json.gz", NULL);
  g_assert_true (g_file_set_contents (plain, json, (gssize) len, NULL));
  g_assert_true (g_file_set_contents (packed, g_bytes_get_data (gz, NULL),
                                      (gssize) g_bytes_get_size (gz), NULL));
  g_assert_false (amlaviz_trace_file_is_gzip (plain));
  g_assert_true (amlaviz_trace_file_is_gzip (packed));

  /* the same trace either way; gzip reports inflating, then parsing, up to 1 */
  g_autoptr (GError) error = NULL;
  g_autoptr (SimTrace) a = amlaviz_trace_file_read (plain, NULL, NULL, &error);
  g_assert_no_error (error);
  g_autoptr (GArray) fractions = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (SimTrace) b = amlaviz_trace_file_read (packed, record_progress, fractions, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (b->n_spans, ==, a->n_spans);
  g_assert_cmpuint (b->groups->len, ==, a->groups->len);
  g_assert_cmpfloat (b->end_ns, ==, a->end_ns);
  g_assert_cmpstr (b->source, ==, packed);
  g_assert_cmpuint (fractions->len, >=, 2);
  g_assert_cmpfloat (g_array_index (fractions, double, 0), <=, 0.5);
  g_assert_cmpfloat (g_array_index (fractions, double, fractions->len - 1), ==, 1.0);

  /* stopped by the progress callback: cancelled, not an error about the file */
  g_autoptr (SimTrace) c = amlaviz_trace_file_read (packed, stop_at_half, NULL, &error);
  g_assert_null (c);
  g_assert_error (error, SIM_TRACE_ERROR, SIM_TRACE_ERROR_CANCELLED);
  g_clear_error (&error);

  /* a truncated gzip file says so, with the path */
  g_assert_true (g_file_set_contents (packed, g_bytes_get_data (gz, NULL),
                                      (gssize) g_bytes_get_size (gz) / 2, NULL));
  g_autoptr (SimTrace) d = amlaviz_trace_file_read (packed, NULL, NULL, &error);
  g_assert_null (d);
  g_assert_nonnull (error);
  g_test_message ("truncated gzip: %s", error->message);
  g_assert_true (g_str_has_prefix (error->message, packed));
  g_assert_nonnull (strstr (error->message, "gzip"));
  g_clear_error (&error);

  /* gzip of something that is not a trace: the JSON reader's message */
  g_autoptr (GBytes) junk = gzip_bytes ("hello", 5);
  g_assert_true (g_file_set_contents (packed, g_bytes_get_data (junk, NULL),
                                      (gssize) g_bytes_get_size (junk), NULL));
  g_autoptr (SimTrace) e = amlaviz_trace_file_read (packed, NULL, NULL, &error);
  g_assert_null (e);
  g_assert_error (error, SIM_TRACE_ERROR, SIM_TRACE_ERROR_SYNTAX);
  g_test_message ("gzip of junk: %s", error->message);
  g_clear_error (&error);
  g_remove (plain);
  g_remove (packed);
  g_rmdir (dir);
}

/* The export dialog's preview: pages at the preview's width (device pixels for HiDPI), the caption
 * naming the size, and the reason when there is nothing to show yet. */
/* A span of a wall-clock trace (torch_npu: ts in µs since 1970) is described from the trace's
 * origin, as the ruler counts, to the ns: it said "start 1717574400.123 s" and a duration off by
 * the double's 256 ns step. */
/* An imported event's own cat and args are listed, markup-safe, long ones cut. */
static void
test_describe_foreign_args (void)
{
  GString *many = g_string_new (NULL);
  for (int k = 0; k < 20; k++)
    g_string_append_printf (many, ",\"a%d\":%d", k, k);
  g_autofree char *text = g_strdup_printf (
      "[{\"ph\":\"X\",\"cat\":\"cpu_op\",\"name\":\"aten::mm\",\"pid\":1,\"tid\":1,\"ts\":1,"
      "\"dur\":2,\"args\":{\"Input Dims\":[[64, 128],[128]],\"External id\":12,\"op\":\"a<b & c\","
      "\"long\":\"%0200d\"}},"
      "{\"ph\":\"X\",\"name\":\"many\",\"pid\":2,\"tid\":1,\"ts\":1,\"dur\":2,\"args\":{\"x\":0%s}}"
      "]",
      7, many->str);
  g_string_free (many, TRUE);
  g_autoptr (GError) error = NULL;
  g_autoptr (SimTrace) t = sim_trace_parse_json (text, strlen (text), NULL, NULL, &error);
  g_assert_no_error (error);
  for (guint g = 0; g < t->groups->len; g++)
    {
      g_autofree char *d = amlaviz_span_describe (t, (int) g, 0, 0);
      g_assert_true (pango_check (d));
      if (strstr (d, "aten::mm") != NULL)
        {
          g_assert_nonnull (strstr (d, "\ncategory: cpu_op\n"));
          g_assert_nonnull (strstr (d, "\nInput Dims: [[64,128],[128]]\n"));
          g_assert_nonnull (strstr (d, "\nExternal id: 12\n"));
          g_assert_nonnull (strstr (d, "\nop: a&lt;b &amp; c\n"));
          g_assert_nonnull (strstr (d, "\nlong: 0000"));
          g_assert_nonnull (strstr (d, "0000…"));
          g_assert_null (strstr (d, "00007"));
        }
      else
        {
          g_assert_nonnull (strstr (d, "\na14: 14\n"));
          g_assert_null (strstr (d, "a15: 15"));
          g_assert_nonnull (strstr (d, "… 5 more"));
        }
    }
}

static void
test_describe_wall_clock (void)
{
  const char *text = "[{\"ph\":\"X\",\"name\":\"aten::matmul\",\"pid\":1,\"tid\":1,"
                     "\"ts\":\"1717574400123456.789\",\"dur\":25.3},"
                     "{\"ph\":\"X\",\"name\":\"MatMulV2\",\"pid\":2,\"tid\":2,"
                     "\"ts\":\"1717574400123480.250\",\"dur\":3.125}]";
  g_autoptr (GError) error = NULL;
  g_autoptr (SimTrace) t = sim_trace_parse_json (text, strlen (text), NULL, NULL, &error);
  g_assert_no_error (error);
  for (guint g = 0; g < t->groups->len; g++)
    {
      g_autofree char *d = amlaviz_span_describe (t, (int) g, 0, 0);
      if (strstr (d, "MatMulV2") != NULL)
        g_assert_nonnull (strstr (d, "start 23.461 µs, duration 3.125 µs"));
      else
        g_assert_nonnull (strstr (d, "start 0 ns, duration 25.300 µs"));
    }
}

static void
test_export_preview (void)
{
  AmlavizExportPreview p = { 0 };
  TlExportOptions opt;
  tl_export_options_init (&opt);
  opt.format = TL_EXPORT_PNG;
  opt.width = 800;
  amlaviz_export_preview_render (&p, NULL, &opt, 420, 1);
  g_assert_null (p.surface);
  g_assert_nonnull (strstr (p.caption, "Nothing to export yet"));

  g_autoptr (SimTrace) t = small_trace ();
  amlaviz_export_preview_render (&p, t, &opt, 420, 2);
  g_assert_nonnull (p.surface);
  g_assert_cmpint (cairo_image_surface_get_width (p.surface), ==, 840);
  g_assert_cmpfloat (p.height_px, >, 20);
  g_assert_true (g_str_has_prefix (p.caption, "PNG · 800 × "));

  opt.format = TL_EXPORT_PDF;
  opt.width = 720;
  opt.page_per_group = TRUE;
  amlaviz_export_preview_render (&p, t, &opt, 420, 1);
  g_assert_nonnull (p.surface);
  g_assert_true (g_str_has_prefix (p.caption, "PDF · 3 pages, 720 pt")); /* one per group */

  amlaviz_export_preview_clear (&p);
  g_assert_null (p.caption);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/gui-logic/steps/order", test_steps_order);
  g_test_add_func ("/gui-logic/steps/hidden-groups", test_steps_hidden);
  g_test_add_func ("/gui-logic/steps/random", test_steps_random);
  g_test_add_func ("/gui-logic/describe-flow-cat", test_describe_flow_cat);
  g_test_add_func ("/gui-logic/steps/explain", test_step_explain);
  g_test_add_func ("/gui-logic/range-stats", test_range_stats);
  g_test_add_func ("/gui-logic/describe", test_describe);
  g_test_add_func ("/gui-logic/describe-wall-clock", test_describe_wall_clock);
  g_test_add_func ("/gui-logic/describe-foreign-args", test_describe_foreign_args);
  g_test_add_func ("/gui-logic/export-preview", test_export_preview);
  g_test_add_func ("/gui-logic/numerics-describe", test_numerics_describe);
  g_test_add_func ("/gui-logic/trace-file/gzip", test_trace_file_gzip);
  return g_test_run ();
}
