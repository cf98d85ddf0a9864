/* tests/trace/test-trace-origin.c — traces on a wall clock (ts = µs since 1970, as torch_npu,
 * Kineto and msprof write them) read exactly: times count from the trace's origin, 50 ns gaps
 * stay gaps, and a save writes the file's own ts text back (sim/trace/trace-import-value.c,
 * trace-import-finish.c, trace-json-write.c). */
#include <glib.h>
#include <math.h>
#include <string.h>

#include "tests/trace/trace-fixture.h"

static SimTrace *
read_fixture (const char *name)
{
  g_autofree char *path = fixture_path (name);
  g_autoptr (GError) err = NULL;
  SimTrace *t = sim_trace_read_json (path, NULL, NULL, &err);
  g_assert_no_error (err);
  g_assert_nonnull (t);
  return t;
}

static const SimLane *
lane_named (const SimTrace *t, const char *name)
{
  for (guint g = 0; g < t->groups->len; g++)
    {
      const SimGroup *grp = g_ptr_array_index (t->groups, g);
      for (guint l = 0; l < grp->lanes->len; l++)
        {
          const SimLane *lane = g_ptr_array_index (grp->lanes, l);
          if (g_str_equal (lane->name, name))
            return lane;
        }
    }
  g_assert_not_reached ();
}

/* Eight ops 50 ns apart (the first in the file is the fourth in time, some ts quoted), a B/E
 * pair and an instant with picosecond digits, a flow and a counter.  As doubles of ns on the
 * file's clock (a step of 256 ns there), ops 2, 5 and 7 nested under their neighbours. */
static void
test_exact (void)
{
  static const double start_ns[] = { 0, 350, 800, 1250, 1600, 2050, 2350, 2800 };
  static const double dur_ns[] = { 300, 400, 400, 300, 400, 250, 400, 300 };
  g_autoptr (SimTrace) t = read_fixture ("epoch/epoch-50ns.json");
  /* the earliest time, 1717574400123456.789 µs, is the origin (whole ns) */
  g_assert_cmpuint (t->origin_ns, ==, G_GUINT64_CONSTANT (1717574400123456789));
  g_assert_cmpfloat (t->start_ns, ==, 0);
  g_assert_cmpfloat (t->end_ns, ==, 3100);
  const SimLane *ops = lane_named (t, "Stream 1");
  g_assert_cmpuint (ops->n_spans, ==, 8);
  for (gsize i = 0; i < ops->n_spans; i++)
    {
      g_assert_cmpfloat (ops->spans[i].start_ns, ==, start_ns[i]);
      g_assert_cmpfloat (ops->spans[i].dur_ns, ==, dur_ns[i]);
      g_assert_cmpuint (ops->spans[i].depth, ==, 0);
    }
  g_assert_cmpuint (ops->max_depth, ==, 0); /* neighbours 50 ns apart: one row */
  const SimLane *k = lane_named (t, "Stream 2");
  g_assert_cmpuint (k->n_spans, ==, 2);
  g_assert_cmpfloat (k->spans[0].start_ns, ==, 211.001); /* B at …457.000001 */
  g_assert_cmpfloat (k->spans[0].dur_ns, ==, 1000.001);  /* E − B, to the picosecond */
  g_assert_cmpfloat (k->spans[1].start_ns, ==, 1711);    /* the instant at …458.5 */
  g_assert_cmpuint (t->flows->len, ==, 1);
  const SimFlow *f = &g_array_index (t->flows, SimFlow, 0);
  g_assert_cmpfloat (f->src_ns, ==, 650);
  g_assert_cmpfloat (f->dst_ns, ==, 711);
  g_assert_cmpuint (t->counters->len, ==, 1);
  const SimCounter *c = g_ptr_array_index (t->counters, 0);
  g_assert_cmpuint (c->n, ==, 2);
  g_assert_cmpfloat (c->ts_ns[0], ==, 0);
  g_assert_cmpfloat (c->ts_ns[1], ==, 2400);
  g_autofree char *clock = sim_trace_clock_text (t, 211.001);
  g_assert_cmpstr (clock, ==, "1717574400123457.000");
}

static gint
str_ptr_cmp (gconstpointer a, gconstpointer b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

/* The "ts" texts of every line of a trace, quotes dropped, sorted (E events: their time is the
 * written span's end, compared through "dur"). */
static char *
ts_texts (const char *text)
{
  g_autoptr (GPtrArray) all = g_ptr_array_new_with_free_func (g_free);
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  for (int i = 0; lines[i]; i++)
    {
      const char *p = strstr (lines[i], "\"ts\":");
      if (p == NULL || strstr (lines[i], "\"ph\":\"E\"") != NULL)
        continue;
      p += 5;
      if (*p == '"')
        p++;
      gsize n = strcspn (p, "\",}");
      g_ptr_array_add (all, g_strndup (p, n));
    }
  g_ptr_array_sort (all, str_ptr_cmp);
  GString *out = g_string_new (NULL);
  for (guint i = 0; i < all->len; i++)
    g_string_append_printf (out, "%s\n", (char *) g_ptr_array_index (all, i));
  return g_string_free (out, FALSE);
}

static void
test_round_trip_text (void)
{
  g_autofree char *path = fixture_path ("epoch/epoch-50ns.json");
  g_autofree char *in = NULL;
  g_assert_true (g_file_get_contents (path, &in, NULL, NULL));
  g_autoptr (SimTrace) t = read_fixture ("epoch/epoch-50ns.json");
  g_autofree char *out = sim_trace_to_json (t, SIM_TRACE_FLAVOR_PERFETTO, NULL);
  g_autofree char *want = ts_texts (in), *got = ts_texts (out);
  g_assert_cmpstr (got, ==, want); /* every ts, to the picosecond, as the file had it */
  g_assert_nonnull (strstr (out, "\"name\":\"kernel\",\"pid\":7,\"tid\":2,"
                                 "\"ts\":1717574400123457.000001,\"dur\":1.000001"));
  /* and again: the written file reads back to the same trace and the same text */
  g_autoptr (GError) err = NULL;
  g_autoptr (SimTrace) back = sim_trace_parse_json (out, strlen (out), NULL, NULL, &err);
  g_assert_no_error (err);
  g_assert_cmpuint (back->origin_ns, ==, t->origin_ns);
  g_autofree char *da = fixture_describe (t), *db = fixture_describe (back);
  g_assert_cmpstr (da, ==, db);
  g_autofree char *again = sim_trace_to_json (back, SIM_TRACE_FLAVOR_PERFETTO, NULL);
  g_assert_cmpstr (again, ==, out);
}

/* torch_npu's layout (quoted ts with trailing zeros, nested args): the reviewer's numbers. */
static void
test_torch_npu (void)
{
  g_autoptr (SimTrace) t = read_fixture ("epoch/torch-npu.json");
  g_assert_cmpuint (t->origin_ns, ==, G_GUINT64_CONSTANT (1717574400123456789));
  g_assert_cmpfloat (t->start_ns, ==, 0);
  g_assert_cmpfloat (t->end_ns, ==, 26586); /* …483.375 − …456.789 */
  const SimLane *hw = lane_named (t, "Stream 2");
  g_assert_cmpfloat (hw->spans[0].start_ns, ==, 23461);
  g_assert_cmpfloat (hw->spans[0].dur_ns, ==, 3125);
}

/* Our traces start at 0: no origin, whatever is written around them. */
static void
test_ours_no_origin (void)
{
  g_autoptr (SimTrace) t = fixture_tiny_trace ();
  g_autofree char *text = sim_trace_to_json (t, SIM_TRACE_FLAVOR_PERFETTO, NULL);
  g_autoptr (SimTrace) back = sim_trace_parse_json (text, strlen (text), NULL, NULL, NULL);
  g_assert_nonnull (back);
  g_assert_cmpuint (back->origin_ns, ==, 0);
  g_assert_cmpfloat (back->start_ns, ==, t->start_ns);
}

/* An origin only when the earliest time is past what a double holds to the picosecond: a file
 * with a time near 0 beside wall-clock ones stays on its own clock. */
static void
test_mixed_clock (void)
{
  const char *text = "[{\"ph\":\"X\",\"name\":\"late\",\"pid\":1,\"tid\":1,"
                     "\"ts\":1717574400123456.5,\"dur\":1},"
                     "{\"ph\":\"X\",\"name\":\"early\",\"pid\":1,\"tid\":1,\"ts\":2,\"dur\":1}]";
  g_autoptr (GError) err = NULL;
  g_autoptr (SimTrace) t = sim_trace_parse_json (text, strlen (text), NULL, NULL, &err);
  g_assert_no_error (err);
  g_assert_cmpuint (t->origin_ns, ==, 0);
  /* read from the first ts (the late one), then put back on the file's clock: near 2 µs, within
   * a double's step at 1.7e18 ns (256 ns) — a trace 54 years long has no nanoseconds to show */
  g_assert_cmpfloat (fabs (t->start_ns - 2000), <=, 256);
  const char *early_first
      = "[{\"ph\":\"X\",\"name\":\"early\",\"pid\":1,\"tid\":1,\"ts\":2,\"dur\":1},"
        "{\"ph\":\"X\",\"name\":\"late\",\"pid\":1,\"tid\":1,"
        "\"ts\":1717574400123456.5,\"dur\":1}]";
  g_autoptr (SimTrace) e
      = sim_trace_parse_json (early_first, strlen (early_first), NULL, NULL, &err);
  g_assert_no_error (err);
  g_assert_cmpuint (e->origin_ns, ==, 0);
  g_assert_cmpfloat (e->start_ns, ==, 2000);
  const char *one
      = "[{\"ph\":\"X\",\"name\":\"a\",\"pid\":1,\"tid\":1,"
        "\"ts\":\"1717574400123456.7891234\",\"dur\":0.000001}]"; /* rounded to the ps */
  g_autoptr (SimTrace) u = sim_trace_parse_json (one, strlen (one), NULL, NULL, &err);
  g_assert_no_error (err);
  g_assert_cmpuint (u->origin_ns, ==, G_GUINT64_CONSTANT (1717574400123456789));
  g_assert_cmpfloat (u->start_ns, ==, 0.123); /* the picoseconds below the origin's ns */
  g_autofree char *out = sim_trace_to_json (u, SIM_TRACE_FLAVOR_PERFETTO, NULL);
  g_assert_nonnull (strstr (out, "\"ts\":1717574400123456.789123,\"dur\":0.000001}"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/trace/origin/exact", test_exact);
  g_test_add_func ("/trace/origin/round-trip-text", test_round_trip_text);
  g_test_add_func ("/trace/origin/torch-npu", test_torch_npu);
  g_test_add_func ("/trace/origin/ours-no-origin", test_ours_no_origin);
  g_test_add_func ("/trace/origin/mixed-clock", test_mixed_clock);
  return g_test_run ();
}
