/* tests/trace/test-trace-write.c — the Chrome JSON writer: valid Chrome/Perfetto JSON, golden
 * files for both flavours, otherData kept, atomic saves that never destroy the old file (the
 * one-buffer sim_write_file_atomic is tested in tests/sim/test-output.c), gzip for .gz names. */
#include <errno.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "tests/trace/trace-fixture.h"

static void
test_valid_perfetto (void)
{
  g_autoptr (SimTrace) t = fixture_tiny_trace ();
  gsize len = 0;
  g_autofree char *text = sim_trace_to_json (t, SIM_TRACE_FLAVOR_PERFETTO, &len);
  g_assert_cmpuint (len, ==, strlen (text));
  json_object *root = fixture_check_chrome_json (text, FALSE);

  /* otherData is the same object, and comes before traceEvents */
  json_object *od, *want = json_tokener_parse (t->other_data_json);
  g_assert_true (json_object_object_get_ex (root, "otherData", &od));
  g_assert_true (json_object_equal (od, want));
  g_assert_true (strstr (text, "\"otherData\"") < strstr (text, "\"traceEvents\""));

  /* the counts: 6 spans (one instant), 2 flows, 5 counter points, names for 2 cores + chip */
  json_object *events;
  json_object_object_get_ex (root, "traceEvents", &events);
  int n_x = 0, n_i = 0, n_s = 0, n_f = 0, n_c = 0, n_pname = 0, n_tname = 0;
  for (gsize i = 0; i < json_object_array_length (events); i++)
    {
      json_object *e = json_object_array_get_idx (events, i), *ph, *name;
      json_object_object_get_ex (e, "ph", &ph);
      json_object_object_get_ex (e, "name", &name);
      const char *p = json_object_get_string (ph);
      n_x += g_str_equal (p, "X");
      n_i += g_str_equal (p, "i");
      n_s += g_str_equal (p, "s");
      n_f += g_str_equal (p, "f");
      n_c += g_str_equal (p, "C");
      if (g_str_equal (p, "M"))
        {
          n_pname += g_str_equal (json_object_get_string (name), "process_name");
          n_tname += g_str_equal (json_object_get_string (name), "thread_name");
        }
    }
  g_assert_cmpint (n_x, ==, 5);
  g_assert_cmpint (n_i, ==, 1);
  g_assert_cmpint (n_s, ==, 2);
  g_assert_cmpint (n_f, ==, 2);
  g_assert_cmpint (n_c, ==, 5);
  g_assert_cmpint (n_pname, ==, 3);
  g_assert_cmpint (n_tname, ==, 4);
  /* ns precision: 6354.5 ns -> 6.3545 µs; 10001.001 ns -> 10.001001 µs */
  g_assert_nonnull (strstr (text, "\"ts\":6.3545,"));
  g_assert_nonnull (strstr (text, "\"ts\":10.001001,"));
  json_object_put (want);
  json_object_put (root);
}

static void
test_valid_msprof (void)
{
  g_autoptr (SimTrace) t = fixture_tiny_trace ();
  g_autofree char *text = sim_trace_to_json (t, SIM_TRACE_FLAVOR_MSPROF, NULL);
  json_object *root = fixture_check_chrome_json (text, TRUE);
  g_assert_nonnull (strstr (text, "\"pid\":\"core0.cubecore0\",\"tid\":\"FIXP\""));
  g_assert_nonnull (strstr (text, "\"pid\":\"core0.veccore0\",\"tid\":\"VECTOR\""));
  g_assert_null (strstr (text, "FIXPIPE\""));
  json_object_put (root);
}

/* msprof pids and tids are names: processes or threads that share a name (two "python", two
 * "main" threads, a thread named "chip") stay apart when the file is read back. */
static void
test_msprof_names_unique (void)
{
  const char *in
      = "{\"traceEvents\":["
        "{\"ph\":\"M\",\"name\":\"process_name\",\"pid\":1,\"args\":{\"name\":\"python\"}},"
        "{\"ph\":\"M\",\"name\":\"process_name\",\"pid\":2,\"args\":{\"name\":\"python\"}},"
        "{\"ph\":\"M\",\"name\":\"process_name\",\"pid\":3,\"args\":{\"name\":\"python (pid 2)\"}},"
        "{\"ph\":\"M\",\"name\":\"process_name\",\"pid\":4,\"args\":{\"name\":\"chip\"}},"
        "{\"ph\":\"M\",\"name\":\"thread_name\",\"pid\":1,\"tid\":1,\"args\":{\"name\":\"main\"}},"
        "{\"ph\":\"M\",\"name\":\"thread_name\",\"pid\":1,\"tid\":2,\"args\":{\"name\":\"main\"}},"
        "{\"ph\":\"X\",\"name\":\"a\",\"pid\":1,\"tid\":1,\"ts\":0,\"dur\":5},"
        "{\"ph\":\"X\",\"name\":\"b\",\"pid\":1,\"tid\":2,\"ts\":0,\"dur\":5},"
        "{\"ph\":\"X\",\"name\":\"c\",\"pid\":2,\"tid\":1,\"ts\":0,\"dur\":5},"
        "{\"ph\":\"X\",\"name\":\"d\",\"pid\":3,\"tid\":1,\"ts\":0,\"dur\":5},"
        "{\"ph\":\"X\",\"name\":\"e\",\"pid\":4,\"tid\":1,\"ts\":0,\"dur\":5}]}";
  g_autoptr (GError) err = NULL;
  g_autoptr (SimTrace) t = sim_trace_parse_json (in, strlen (in), NULL, NULL, &err);
  g_assert_no_error (err);
  g_assert_cmpuint (t->groups->len, ==, 4);
  g_autofree char *text = sim_trace_to_json (t, SIM_TRACE_FLAVOR_MSPROF, NULL);
  g_assert_nonnull (strstr (text, "\"pid\":\"python\",\"tid\":\"main\""));
  g_assert_nonnull (strstr (text, "\"pid\":\"python\",\"tid\":\"main (tid 2)\""));
  g_assert_nonnull (strstr (text, "\"pid\":\"python (pid 2)\""));
  g_assert_nonnull (strstr (text, "\"pid\":\"python (pid 2) (pid 3)\""));
  g_assert_nonnull (strstr (text, "\"pid\":\"chip (pid 4)\""));
  g_autoptr (SimTrace) back = sim_trace_parse_json (text, strlen (text), NULL, NULL, &err);
  g_assert_no_error (err);
  g_assert_cmpuint (back->groups->len, ==, 4);
  g_assert_cmpuint (back->n_spans, ==, 5);
  guint lanes = 0;
  for (guint g = 0; g < back->groups->len; g++)
    {
      const SimGroup *grp = g_ptr_array_index (back->groups, g);
      lanes += grp->lanes->len;
      for (guint l = 0; l < grp->lanes->len; l++)
        g_assert_cmpuint (((SimLane *) g_ptr_array_index (grp->lanes, l))->n_spans, ==, 1);
    }
  g_assert_cmpuint (lanes, ==, 5);
}

/* The writer's own number formatting (two digits at a time, rounding to the picosecond grid
 * half away from zero without llround): every digit count, both sides of each rounding edge. */
static void
test_numbers (void)
{
  const guint64 counts[] = { 0, 1, 9, 10, 11, 99, 100, 101, 999, 1000, 65536, 99999999,
                             100000000, 4294967295u, G_GUINT64_CONSTANT (18446744073709551615) };
  const struct
  {
    double start_ns, dur_ns;
    const char *ts, *dur;
  } times[] = {
    { 0, 1, "0", "0.001" },
    { 0.0004999, 0.0005, "0", "0.000001" },       /* 0.4999 ps -> 0; end 0.9999 ps -> 1 */
    { 0.0005, 1000, "0.000001", "1" },            /* half a ps rounds away from zero */
    { 1234567.8905, 0.0001, "1234.567891", "0" }, /* the end rounds to the same ps */
    { 1e9, 1e6, "1000000", "1000" },
    { 12.3, 45.6, "0.0123", "0.0456" },
  };
  g_autoptr (SimTrace) t = sim_trace_new ();
  SimGroup *g = sim_trace_add_group (t, "AIC0", 1, 0, SIM_CORE_AIC, 0);
  SimLane *lane = sim_group_add_lane (g, "CUBE", 3, 0, SIM_PIPE_CUBE);
  guint32 name = sim_trace_intern (t, "MMAD");
  for (gsize i = 0; i < G_N_ELEMENTS (counts); i++)
    {
      SimSpan sp = { .start_ns = 1e6 * (double) (i + 1), .dur_ns = 1, .name = name, .task = -1,
                     .iter = -1, .bytes = counts[i] };
      sim_lane_append (lane, &sp);
    }
  SimLane *l2 = sim_group_add_lane (g, "MTE2", 4, 1, SIM_PIPE_MTE2);
  for (gsize i = 0; i < G_N_ELEMENTS (times); i++)
    {
      SimSpan sp = { .start_ns = times[i].start_ns, .dur_ns = times[i].dur_ns, .name = name,
                     .task = -1, .iter = -1 };
      sim_lane_append (l2, &sp);
    }
  sim_trace_finish (t);
  g_autofree char *text = sim_trace_to_json (t, SIM_TRACE_FLAVOR_PERFETTO, NULL);
  for (gsize i = 0; i < G_N_ELEMENTS (counts); i++)
    {
      g_autofree char *want = g_strdup_printf ("\"bytes\":%" G_GUINT64_FORMAT "}", counts[i]);
      if (counts[i] > 0 && strstr (text, want) == NULL)
        g_error ("no %s in %.600s", want, strstr (text, "\"MMAD\""));
    }
  for (gsize i = 0; i < G_N_ELEMENTS (times); i++)
    {
      g_autofree char *want = g_strdup_printf ("\"ts\":%s,\"dur\":%s}", times[i].ts, times[i].dur);
      if (strstr (text, want) == NULL)
        g_error ("no %s in the trace", want);
    }
}

static void
test_golden (void)
{
  g_autoptr (SimTrace) t = fixture_tiny_trace ();
  g_autofree char *p = sim_trace_to_json (t, SIM_TRACE_FLAVOR_PERFETTO, NULL);
  fixture_assert_golden (p, "golden/tiny-perfetto.json");
  g_autofree char *m = sim_trace_to_json (t, SIM_TRACE_FLAVOR_MSPROF, NULL);
  fixture_assert_golden (m, "golden/tiny-msprof.json");
}

/* The file writer streams in chunks and, past 100,000 spans, formats them on two threads in
 * segments of 6000: it must produce exactly sim_trace_to_json's text (one thread, one buffer).
 * Lanes of every size: empty ones, one span, exactly a segment, segments ending on a lane's end
 * and inside lanes, and strings that need escaping. */
static SimTrace *
big_trace (void)
{
  SimTrace *t = sim_trace_new ();
  const gsize sizes[] = { 20000, 0, 1, 6000, 5999, 0, 12001, 40000, 3, 70000 };
  for (guint k = 0; k < G_N_ELEMENTS (sizes); k++)
    {
      g_autofree char *gname = g_strdup_printf ("AIC%u", k);
      SimGroup *g = sim_trace_add_group (t, gname, (int) k + 1, (int) k, SIM_CORE_AIC, (int) k);
      SimLane *l = sim_group_add_lane (g, k % 2 ? "CUBE" : "MTE2 \"x\"", 2, 2,
                                       k % 2 ? SIM_PIPE_CUBE : SIM_PIPE_MTE2);
      for (gsize i = 0; i < sizes[k]; i++)
        {
          SimSpan s = { .start_ns = i * 10.0 + k / 3.0, .dur_ns = 9.5, .task = (gint32) (i / 100),
                        .iter = (gint32) (i % 100) - 1,
                        .name = sim_trace_intern (t, i % 2 ? "mmad" : "mmad \"odd\" \u00e9"),
                        .detail = i % 7 ? 0 : sim_trace_intern (t, "a long detail string, longer than 32 bytes"),
                        .stage = (guint8) (i % SIM_N_STAGES), .flops = i % 3 ? 1000 : 0,
                        .bytes = i % 5, .flags = (guint8) (i % 16) };
          sim_lane_append (l, &s);
        }
    }
  sim_trace_finish (t);
  g_assert_cmpuint (t->n_spans, >, 100000); /* the two-thread writer */
  return t;
}

static void
test_file_equals_string (void)
{
  g_autoptr (SimTrace) t = big_trace ();
  g_autofree char *dir = g_dir_make_tmp ("trace-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "big.json", NULL);
  g_autoptr (GError) err = NULL;
  g_assert_true (sim_trace_write_json (t, path, SIM_TRACE_FLAVOR_PERFETTO, &err));
  g_assert_no_error (err);
  g_autofree char *got = NULL;
  g_assert_true (g_file_get_contents (path, &got, NULL, NULL));
  g_autofree char *want = sim_trace_to_json (t, SIM_TRACE_FLAVOR_PERFETTO, NULL);
  g_assert_cmpuint (strlen (got), >, 1u << 20); /* more than one flush */
  g_assert_cmpuint (strlen (got), ==, strlen (want));
  g_assert_true (g_str_equal (got, want));
  /* and it is JSON that reads back to as many spans */
  g_autoptr (SimTrace) back = sim_trace_read_json (path, NULL, NULL, &err);
  g_assert_no_error (err);
  g_assert_cmpuint (back->n_spans, ==, t->n_spans);
  g_unlink (path);
  g_rmdir (dir);
}

/* The writer formats what a lane repeats (a name with its stage, an args set) once and copies it
 * after (write_lane_spans): every event must still say what its own span holds.  Random spans
 * whose names, stages, args and flags collide in those tables, with long names and details that
 * are formatted each time, on lanes of several processes; each event is compared with its span
 * member by member, as JSON. */
static void
test_repeated_pieces (void)
{
  g_autoptr (GRand) rnd = g_rand_new_with_seed (20261130);
  g_autoptr (SimTrace) t = sim_trace_new ();
  guint32 names[48], details[12];
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *n = i % 11 == 10 ? g_strnfill (100 + i * 3, 'n')
                           : i % 7 == 3 ? g_strdup_printf ("MOV \"%u\" \u00e9\\", i)
                                        : g_strdup_printf ("op %u", i);
      names[i] = sim_trace_intern (t, n);
    }
  details[0] = 0;
  for (guint i = 1; i < G_N_ELEMENTS (details); i++)
    {
      g_autofree char *d = i % 5 == 4 ? g_strnfill (90 + i * 7, 'd') : g_strdup_printf ("buf%u", i);
      details[i] = sim_trace_intern (t, d);
    }
  const guint64 amounts[]
      = { 0, 0, 1, 65536, 16384, 99999, G_GUINT64_CONSTANT (18446744073709551615) };
  const gint32 small[] = { -1, 0, 1, 2, 37, 1000000 };
  const guint8 flags[] = { 0,
                           SIM_SPAN_ATOMIC,
                           SIM_SPAN_L2_HIT,
                           SIM_SPAN_WAIT,
                           SIM_SPAN_ATOMIC | SIM_SPAN_L2_HIT,
                           SIM_SPAN_INSTANT };
  for (int k = 0; k < 3; k++)
    {
      g_autofree char *gname = g_strdup_printf ("AIC%d", k);
      SimGroup *g = sim_trace_add_group (t, gname, k + 1, k, SIM_CORE_AIC, k);
      for (int q = 0; q < 3; q++)
        {
          SimLane *l = sim_group_add_lane (g, q == 1 ? "CUBE" : "MTE2", q + 1, q,
                                           q == 1 ? SIM_PIPE_CUBE : SIM_PIPE_MTE2);
          double at = 0;
          for (int i = 0; i < 4000; i++)
            {
              /* few values each, so the tables' slots are shared and reused */
              SimSpan s = {
                .start_ns = at,
                .dur_ns = g_rand_int_range (rnd, 1, 5000) / 7.0,
                .name = names[g_rand_int_range (rnd, 0, G_N_ELEMENTS (names))],
                .detail = details[g_rand_int_range (rnd, 0, G_N_ELEMENTS (details))],
                .task = small[g_rand_int_range (rnd, 0, G_N_ELEMENTS (small))],
                .iter = small[g_rand_int_range (rnd, 0, G_N_ELEMENTS (small))],
                .bytes = amounts[g_rand_int_range (rnd, 0, G_N_ELEMENTS (amounts))],
                .flops = amounts[g_rand_int_range (rnd, 0, G_N_ELEMENTS (amounts))],
                .stage = (guint8) g_rand_int_range (rnd, 0, SIM_N_STAGES),
                .flags = flags[g_rand_int_range (rnd, 0, G_N_ELEMENTS (flags))],
              };
              if (s.flags & SIM_SPAN_INSTANT)
                s.dur_ns = 0;
              sim_lane_append (l, &s);
              at += s.dur_ns + 1;
            }
        }
    }
  sim_trace_finish (t);
  g_autofree char *text = sim_trace_to_json (t, SIM_TRACE_FLAVOR_PERFETTO, NULL);
  json_object *root = fixture_check_chrome_json (text, FALSE), *events;
  g_assert_true (json_object_object_get_ex (root, "traceEvents", &events));
  gsize next[3][3] = { { 0 } }, checked = 0;
  for (gsize e = 0; e < json_object_array_length (events); e++)
    {
      json_object *ev = json_object_array_get_idx (events, e), *v;
      json_object_object_get_ex (ev, "ph", &v);
      const char *ph = json_object_get_string (v);
      if (!g_str_equal (ph, "X") && !g_str_equal (ph, "i"))
        continue;
      json_object_object_get_ex (ev, "pid", &v);
      int k = json_object_get_int (v) - 1;
      json_object_object_get_ex (ev, "tid", &v);
      int q = json_object_get_int (v) - 1;
      g_assert_true (k >= 0 && k < 3 && q >= 0 && q < 3);
      const SimGroup *g = g_ptr_array_index (t->groups, (guint) k);
      const SimLane *l = g_ptr_array_index (g->lanes, (guint) q);
      const SimSpan *s = &l->spans[next[k][q]++];
      g_assert_cmpint (g_str_equal (ph, "i"), ==, (s->flags & SIM_SPAN_INSTANT) != 0);
      json_object_object_get_ex (ev, "name", &v);
      g_assert_cmpstr (json_object_get_string (v), ==, sim_trace_string (t, s->name));
      gboolean has_cat = json_object_object_get_ex (ev, "cat", &v);
      g_assert_cmpint (has_cat, ==, s->stage != SIM_STAGE_NONE);
      if (has_cat)
        g_assert_cmpstr (json_object_get_string (v), ==, sim_stage_name ((SimStage) s->stage));
      json_object_object_get_ex (ev, "ts", &v);
      g_assert_cmpfloat_with_epsilon (json_object_get_double (v), s->start_ns / 1000, 1e-6);
      /* the args, all of them and only them */
      g_autoptr (GString) want = g_string_new ("{");
      if (s->iter >= 0)
        g_string_append_printf (want, "\"iteration\":%d,", s->iter);
      if (s->task >= 0)
        g_string_append_printf (want, "\"task\":%d,", s->task);
      if (s->bytes > 0)
        g_string_append_printf (want, "\"bytes\":%" G_GUINT64_FORMAT ",", s->bytes);
      if (s->flops > 0)
        g_string_append_printf (want, "\"flops\":%" G_GUINT64_FORMAT ",", s->flops);
      if (s->detail != 0)
        g_string_append_printf (want, "\"detail\":\"%s\",", sim_trace_string (t, s->detail));
      if (s->flags & SIM_SPAN_ATOMIC)
        g_string_append (want, "\"atomic\":true,");
      if (s->flags & SIM_SPAN_L2_HIT)
        g_string_append (want, "\"l2_hit\":true,");
      if (s->flags & SIM_SPAN_WAIT)
        g_string_append (want, "\"wait\":true,");
      if (want->len > 1)
        g_string_truncate (want, want->len - 1);
      g_string_append_c (want, '}');
      json_object *want_args = json_tokener_parse (want->str), *args = NULL;
      g_assert_nonnull (want_args);
      if (!json_object_object_get_ex (ev, "args", &args))
        g_assert_cmpint (json_object_object_length (want_args), ==, 0);
      else if (!json_object_equal (args, want_args))
        g_error ("span %" G_GSIZE_FORMAT " of lane %d/%d: args %s, want %s", next[k][q] - 1, k, q,
                 json_object_to_json_string (args), want->str);
      json_object_put (want_args);
      checked++;
    }
  g_assert_cmpuint (checked, ==, t->n_spans);
  json_object_put (root);
}

static guint
count_dir_entries (const char *dir)
{
  GDir *d = g_dir_open (dir, 0, NULL);
  guint n = 0;
  while (g_dir_read_name (d) != NULL)
    n++;
  g_dir_close (d);
  return n;
}

/* A name ending in .gz (any case) is saved gzip-compressed: one RFC 1952 member that zlib
 * inflates to exactly the bytes the plain save writes, which our reader reads to the same trace.
 * The big trace goes through the two formatting threads and many chunks; the tiny one through
 * one buffer. */
static void
assert_gzip_save (SimTrace *t, const char *name)
{
  g_autofree char *dir = g_dir_make_tmp ("trace-XXXXXX", NULL);
  g_autofree char *plain = g_build_filename (dir, "plain.json", NULL);
  g_autofree char *gz = g_build_filename (dir, name, NULL);
  g_autoptr (GError) err = NULL;
  g_assert_true (sim_trace_write_json (t, plain, SIM_TRACE_FLAVOR_PERFETTO, &err));
  g_assert_no_error (err);
  g_assert_true (sim_trace_write_json (t, gz, SIM_TRACE_FLAVOR_PERFETTO, &err));
  g_assert_no_error (err);
  g_assert_true (sim_trace_file_is_gzip (gz));
  g_autofree char *want = NULL;
  gsize want_len = 0, got_len = 0;
  g_assert_true (g_file_get_contents (plain, &want, &want_len, NULL));
  g_autofree char *got = fixture_gunzip (gz, &got_len);
  g_assert_cmpuint (got_len, ==, want_len);
  g_assert_true (memcmp (got, want, want_len) == 0);
  GStatBuf st;
  g_assert_cmpint (g_stat (gz, &st), ==, 0);
  if (want_len > (1u << 20))
    g_assert_cmpint (st.st_size, <, want_len / 5); /* compressed, not stored */
  /* our reader: the same spans, flows and counters */
  g_autoptr (SimTrace) a = sim_trace_read_json (plain, NULL, NULL, &err);
  g_assert_no_error (err);
  g_autoptr (SimTrace) b = sim_trace_read_json (gz, NULL, NULL, &err);
  g_assert_no_error (err);
  g_assert_cmpuint (b->n_spans, ==, t->n_spans);
  g_autofree char *da = fixture_describe (a), *db = fixture_describe (b);
  g_assert_cmpstr (da, ==, db);
  /* saved over itself: still gzip, still whole, no temp file left */
  g_assert_true (sim_trace_write_json (b, gz, SIM_TRACE_FLAVOR_PERFETTO, &err));
  g_assert_no_error (err);
  g_autofree char *again = fixture_gunzip (gz, NULL);
  g_assert_true (g_str_equal (again, got));
  g_assert_cmpuint (count_dir_entries (dir), ==, 2);
  g_unlink (plain);
  g_unlink (gz);
  g_rmdir (dir);
}

static void
test_gzip_big (void)
{
  g_autoptr (SimTrace) t = big_trace ();
  assert_gzip_save (t, "big.json.gz");
}

static void
test_gzip_tiny_any_case (void)
{
  g_autoptr (SimTrace) t = fixture_tiny_trace ();
  assert_gzip_save (t, "tiny.JSON.GZ");
  g_assert_true (sim_trace_path_is_gzip ("a.Gz"));
  g_assert_false (sim_trace_path_is_gzip ("a.json"));
  g_assert_false (sim_trace_path_is_gzip ("a.gzip"));
  g_assert_false (sim_trace_path_is_gzip ("gz"));
  g_assert_false (sim_trace_path_is_gzip (NULL));
}

static void
test_atomic_missing_dir (void)
{
  g_autoptr (SimTrace) t = fixture_tiny_trace ();
  g_autoptr (GError) err = NULL;
  g_assert_false (sim_trace_write_json (t, "/nonexistent-dir-amlaviz/x.json",
                                        SIM_TRACE_FLAVOR_PERFETTO, &err));
  g_assert_error (err, SIM_TRACE_ERROR, SIM_TRACE_ERROR_IO);
  g_assert_nonnull (strstr (err->message, "/nonexistent-dir-amlaviz"));
}

static void
test_atomic_unwritable_dir (void)
{
  if (geteuid () == 0)
    {
      g_test_skip ("root ignores directory permissions (the file-size-limit case covers this)");
      return;
    }
  g_autofree char *dir = g_dir_make_tmp ("trace-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "t.json", NULL);
  g_assert_true (g_file_set_contents (path, "OLD", -1, NULL));
  g_chmod (dir, 0555);
  g_autoptr (SimTrace) t = fixture_tiny_trace ();
  g_autoptr (GError) err = NULL;
  g_assert_false (sim_trace_write_json (t, path, SIM_TRACE_FLAVOR_PERFETTO, &err));
  g_assert_error (err, SIM_TRACE_ERROR, SIM_TRACE_ERROR_IO);
  g_chmod (dir, 0755);
  g_autofree char *old = NULL;
  g_assert_true (g_file_get_contents (path, &old, NULL, NULL));
  g_assert_cmpstr (old, ==, "OLD");
  g_unlink (path);
  g_rmdir (dir);
}

/* A write that fails half-way (file size limit: works even as root) leaves the old file whole
 * and no temp file behind. */
static void
test_atomic_write_fails_midway (gconstpointer name)
{
  g_autofree char *dir = g_dir_make_tmp ("trace-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_assert_true (g_file_set_contents (path, "OLD CONTENT", -1, NULL));
  if (g_test_subprocess ())
    {
      const char *p = g_getenv ("TRACE_TEST_PATH");
      signal (SIGXFSZ, SIG_IGN);
      struct rlimit rl = { 4096, 4096 };
      setrlimit (RLIMIT_FSIZE, &rl);
      g_autoptr (SimTrace) t = sim_trace_new ();
      SimGroup *g = sim_trace_add_group (t, "AIC0", 1, 1, SIM_CORE_AIC, 0);
      SimLane *l = sim_group_add_lane (g, "CUBE", 2, 2, SIM_PIPE_CUBE);
      for (int i = 0; i < 100000; i++)
        {
          SimSpan s = { .start_ns = i * 10.0, .dur_ns = 9, .task = -1, .iter = -1,
                        .name = sim_trace_intern (t, "mmad") };
          sim_lane_append (l, &s);
        }
      sim_trace_finish (t);
      g_autoptr (GError) err = NULL;
      gboolean ok = sim_trace_write_json (t, p, SIM_TRACE_FLAVOR_PERFETTO, &err);
      g_assert_false (ok);
      g_assert_error (err, SIM_TRACE_ERROR, SIM_TRACE_ERROR_IO);
      g_printerr ("%s\n", err->message);
      return;
    }
  g_setenv ("TRACE_TEST_PATH", path, TRUE);
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR * 0);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stderr ("*too large*");
  g_autofree char *old = NULL;
  g_assert_true (g_file_get_contents (path, &old, NULL, NULL));
  g_assert_cmpstr (old, ==, "OLD CONTENT");
  g_assert_cmpuint (count_dir_entries (dir), ==, 1); /* no temp file left */
  g_unlink (path);
  g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/trace/write/valid-perfetto", test_valid_perfetto);
  g_test_add_func ("/trace/write/valid-msprof", test_valid_msprof);
  g_test_add_func ("/trace/write/msprof-names-unique", test_msprof_names_unique);
  g_test_add_func ("/trace/write/numbers", test_numbers);
  g_test_add_func ("/trace/write/golden", test_golden);
  g_test_add_func ("/trace/write/file-equals-string", test_file_equals_string);
  g_test_add_func ("/trace/write/repeated-pieces", test_repeated_pieces);
  g_test_add_func ("/trace/write/atomic-missing-dir", test_atomic_missing_dir);
  g_test_add_func ("/trace/write/atomic-unwritable-dir", test_atomic_unwritable_dir);
  g_test_add_data_func ("/trace/write/atomic-fails-midway", "t.json",
                        test_atomic_write_fails_midway);
  g_test_add_data_func ("/trace/write/atomic-fails-midway-gzip", "t.json.gz",
                        test_atomic_write_fails_midway);
  g_test_add_func ("/trace/write/gzip-big", test_gzip_big);
  g_test_add_func ("/trace/write/gzip-tiny-any-case", test_gzip_tiny_any_case);
  return g_test_run ();
}
