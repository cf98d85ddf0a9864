/* `amlasim run` and `amlasim hw` as a user runs them: exit codes, one-line errors naming the
 * option and its range, --json with the documented keys, -o writing a trace that reads back.
 * argv[1] = the amlasim path. */
#include <fcntl.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <json-c/json.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sim/trace/trace-json.h"

static const char *amlasim_path;

static int
run (const char *const *args, char **out, char **err)
{
  GPtrArray *argv = g_ptr_array_new ();
  g_ptr_array_add (argv, (char *) amlasim_path);
  for (const char *const *a = args; *a; a++)
    g_ptr_array_add (argv, (char *) *a);
  g_ptr_array_add (argv, NULL);
  g_autoptr (GError) error = NULL;
  int wait_status = 0;
  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, out,
                               err, &wait_status, &error));
  g_assert_no_error (error);
  g_ptr_array_free (argv, TRUE);
  return WIFEXITED (wait_status) ? WEXITSTATUS (wait_status) : -1;
}

static void
assert_usage (const char *const *args, const char *needle)
{
  g_autofree char *out = NULL, *err = NULL;
  int status = run (args, &out, &err);
  g_assert_cmpint (status, ==, 2);
  g_assert_cmpstr (out, ==, "");
  g_assert_nonnull (strstr (err, needle));
  const char *nl = strchr (err, '\n');
  g_assert_nonnull (nl);
  g_assert_cmpint (nl[1], ==, '\0'); /* one line */
}

static void
test_bad_options (void)
{
  assert_usage ((const char *[]){ "run", "--kv", "abc", NULL },
                "--kv must be an integer in [1, 1048576], got 'abc'");
  assert_usage ((const char *[]){ "run", "--batch", "0", NULL }, "--batch must be an integer in [1, 4096]");
  assert_usage ((const char *[]){ "run", "--heads", "100", NULL }, "--heads must be 1, 2, 4, 8 or a multiple of 16");
  assert_usage ((const char *[]){ "run", "--preload", "maybe", NULL }, "--preload must be on or off");
  assert_usage ((const char *[]){ "run", "--rescale", "div", NULL }, "--rescale must be amla or mul");
  assert_usage ((const char *[]){ "run", "--bogus", NULL }, "amlasim run:");
  assert_usage ((const char *[]){ "run", "--hw", "ascend999", NULL }, "unknown hardware preset 'ascend999'");
  assert_usage ((const char *[]){ "frobnicate", NULL }, "unknown command 'frobnicate'");
  assert_usage ((const char *[]){ "run", "--trace-cores", "100..200", "-o", "/tmp/never.json", NULL },
                "--trace-cores 100..200 selects no core: this run has AI cores 0..47");
  g_assert_false (g_file_test ("/tmp/never.json", G_FILE_TEST_EXISTS));
  assert_usage ((const char *[]){ "run", "--set", "foo=1", NULL },
                "amlasim run: --set: unknown field \"foo\"");
  assert_usage ((const char *[]){ "run", "--set", "dies=0", NULL },
                "--set: field \"dies\" = 0 is outside [1, 64]");
  assert_usage ((const char *[]){ "run", "--set", "clock_mhz=fast", NULL },
                "--set: field \"clock_mhz\" needs a number, got 'fast'");
}

static void
test_json (void)
{
  g_autofree char *out = NULL, *err = NULL;
  int status = run ((const char *[]){ "run", "--batch", "48", "--kv", "1024", "--json", NULL }, &out, &err);
  g_assert_cmpint (status, ==, 0);
  json_object *o = json_tokener_parse (out);
  g_assert_nonnull (o);
  const char *keys[] = { "total_ns", "flops", "tflops", "cube_utilization", "bound", "bound_reason",
                         "busy", "bytes", "config" };
  for (gsize i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      json_object *v;
      g_assert_true (json_object_object_get_ex (o, keys[i], &v));
    }
  json_object *flops, *util, *bound, *busy, *aic, *cube;
  json_object_object_get_ex (o, "flops", &flops);
  g_assert_cmpfloat (json_object_get_double (flops), ==, 2.0 * 48 * 128 * 2 * 1024 * 1088);
  json_object_object_get_ex (o, "cube_utilization", &util);
  g_assert_cmpfloat (json_object_get_double (util), >, 0);
  g_assert_cmpfloat (json_object_get_double (util), <=, 1);
  json_object_object_get_ex (o, "bound", &bound);
  const char *b = json_object_get_string (bound);
  g_assert_true (g_str_equal (b, "cube") || g_str_equal (b, "vector") || g_str_equal (b, "memory")
                 || g_str_equal (b, "sync"));
  json_object_object_get_ex (o, "busy", &busy);
  g_assert_true (json_object_object_get_ex (busy, "aic", &aic));
  g_assert_true (json_object_object_get_ex (aic, "CUBE", &cube));
  json_object_put (o);
}

/* --set changes a preset field for one run: the table and --json say so, the result moves the
 * way the field pushes it (a narrower L2 -> lower utilisation), the preset run is untouched. */
static void
test_what_if (void)
{
  g_autofree char *out = NULL, *err = NULL, *plain = NULL, *table = NULL;
  const char *wi[] = { "run", "--batch", "48", "--kv", "1024", "--set", "l2_bytes_per_s=4.4e12",
                       "--set", "atomic_l2_factor=1", "--json", NULL };
  g_assert_cmpint (run (wi, &out, &err), ==, 0);
  json_object *o = json_tokener_parse (out), *w, *v, *u1, *u0;
  g_assert_true (json_object_object_get_ex (o, "what_if", &w));
  g_assert_true (json_object_object_get_ex (w, "l2_bytes_per_s", &v));
  g_assert_cmpfloat (json_object_get_double (v), ==, 4.4e12);
  g_assert_true (json_object_object_get_ex (w, "atomic_l2_factor", &v));
  g_assert_cmpfloat (json_object_get_double (v), ==, 1);
  g_assert_true (json_object_object_get_ex (o, "cube_utilization", &u1));
  g_free (err);
  err = NULL;
  g_assert_cmpint (run ((const char *[]){ "run", "--batch", "48", "--kv", "1024", "--json", NULL },
                        &plain, &err),
                   ==, 0);
  json_object *p = json_tokener_parse (plain);
  g_assert_false (json_object_object_get_ex (p, "what_if", NULL));
  g_assert_true (json_object_object_get_ex (p, "cube_utilization", &u0));
  g_assert_cmpfloat (json_object_get_double (u1), <, json_object_get_double (u0) - 0.02);
  json_object_put (o);
  json_object_put (p);
  g_free (err);
  err = NULL;
  const char *tb[] = { "run", "--batch", "48", "--kv", "1024", "--set", "l2_bytes_per_s=4.4e12",
                       NULL };
  g_assert_cmpint (run (tb, &table, &err), ==, 0);
  g_assert_nonnull (strstr (table, "what-if: l2_bytes_per_s = 4.4e+12 (the preset ascend910c has 7.78e+12)"));
}

static void
test_trace_out (void)
{
  g_autofree char *dir = g_dir_make_tmp ("amlasim-run-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "t.json", NULL);
  g_autofree char *out = NULL, *err = NULL;
  int status = run ((const char *[]){ "run", "--batch", "48", "--kv", "1024", "--preload", "off",
                                      "-o", path, NULL },
                    &out, &err);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (out, "Cube utilisation"));
  g_autoptr (GError) error = NULL;
  g_autoptr (SimTrace) t = sim_trace_read_json (path, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (t->groups->len, ==, 144);
  g_assert_nonnull (strstr (t->other_data_json, "\"preload\":false"));
  g_unlink (path);
  g_rmdir (dir);
}

/* Whether this amlasim draws images (built with the renderer). */
static gboolean
amlasim_draws (void)
{
  g_autofree char *help = NULL, *err = NULL;
  run ((const char *[]){ "run", "--help", NULL }, &help, &err);
  return strstr (help, "--png") != NULL;
}

/* amlasim_draws; skips the test if not. */
static gboolean
have_export (void)
{
  if (amlasim_draws ())
    return TRUE;
  g_test_skip ("amlasim built without image export");
  return FALSE;
}

/* Two files with the same bytes, more than an empty image's. */
static void
assert_same_files (const char *a_path, const char *b_path, const char *what)
{
  g_autofree char *a = NULL, *b = NULL;
  gsize na = 0, nb = 0;
  g_assert_true (g_file_get_contents (a_path, &a, &na, NULL));
  g_assert_true (g_file_get_contents (b_path, &b, &nb, NULL));
  g_test_message ("%s: %" G_GSIZE_FORMAT " bytes", what, na);
  g_assert_cmpuint (na, >, 10000);
  g_assert_cmpmem (a, na, b, nb);
}

/* --png alone and --png beside -o draw the same image (see test_png_drawn_cores); busy_groups > 0:
 * the trace written beside it has that many cores with spans on their first lane. */
static void
assert_png_same_with_trace (const char *batch, const char *kv, guint busy_groups)
{
  g_autofree char *dir = g_dir_make_tmp ("amlasim-png-XXXXXX", NULL);
  g_autofree char *alone = g_build_filename (dir, "alone.png", NULL);
  g_autofree char *with = g_build_filename (dir, "with.png", NULL);
  g_autofree char *trace = g_build_filename (dir, "t.json", NULL);
  g_autofree char *o1 = NULL, *e1 = NULL, *o2 = NULL, *e2 = NULL;
  int rc = run ((const char *[]){ "run", "--batch", batch, "--kv", kv, "--png", alone, NULL }, &o1,
                &e1);
  if (rc != 0)
    g_test_message ("run --png: %s", e1);
  g_assert_cmpint (rc, ==, 0);
  rc = run ((const char *[]){ "run", "--batch", batch, "--kv", kv, "--png", with, "-o", trace,
                              NULL },
            &o2, &e2);
  if (rc != 0)
    g_test_message ("run --png -o: %s", e2);
  g_assert_cmpint (rc, ==, 0);
  g_autofree char *what = g_strdup_printf ("B=%s S_kv=%s", batch, kv);
  assert_same_files (alone, with, what);
  if (busy_groups > 0)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (SimTrace) t = sim_trace_read_json (trace, NULL, NULL, &error);
      g_assert_no_error (error);
      guint busy = 0;
      for (guint g = 0; g < t->groups->len; g++)
        {
          const SimGroup *grp = g_ptr_array_index (t->groups, g);
          busy += grp->lanes->len > 0
                  && ((const SimLane *) g_ptr_array_index (grp->lanes, 0))->n_spans > 0;
        }
      g_assert_cmpuint (busy, ==, busy_groups);
    }
  g_unlink (alone);
  g_unlink (with);
  g_unlink (trace);
  g_rmdir (dir);
}

/* --png draws AI core 0 (AIC0 and its AIVs): without -o the run records only those cores, and
 * the image is the one a run recording every core (-o beside it) draws, byte for byte: also
 * where AIC0 is idle, or lacks a stage other cores have (B = 1: one core combines the split
 * request; the legend still lists it).  At B = 48 every core has work, and the trace written
 * beside the image has all 144. */
static void
test_png_drawn_cores (void)
{
  if (!have_export ())
    return;
  assert_png_same_with_trace ("1", "16384", 0);
  assert_png_same_with_trace ("4", "1024", 0);
  assert_png_same_with_trace ("48", "1024", 144);
}

/* amlasim export without a trace simulates; with --cores N..M that run records only those AI
 * cores, and draws the image a trace of every core draws with the same --cores, byte for byte */
static void
test_export_drawn_cores (void)
{
  if (!have_export ())
    return;
  g_autofree char *dir = g_dir_make_tmp ("amlasim-export-XXXXXX", NULL);
  g_autofree char *trace = g_build_filename (dir, "t.json", NULL);
  g_autofree char *from_trace = g_build_filename (dir, "from-trace.png", NULL);
  g_autofree char *simulated = g_build_filename (dir, "simulated.png", NULL);
  g_autofree char *o = NULL, *e = NULL;
  g_assert_cmpint (
      run ((const char *[]){ "run", "--batch", "48", "--kv", "1024", "--quiet", "-o", trace, NULL },
           &o, &e),
      ==, 0);
  const char *cores[] = { "5", "3..4", "all" };
  for (gsize i = 0; i < G_N_ELEMENTS (cores); i++)
    {
      g_clear_pointer (&o, g_free);
      g_clear_pointer (&e, g_free);
      g_assert_cmpint (run ((const char *[]){ "export", trace, "--cores", cores[i], "--flows",
                                              "--width", "900", "-o", from_trace, NULL },
                            &o, &e),
                       ==, 0);
      g_clear_pointer (&o, g_free);
      g_clear_pointer (&e, g_free);
      g_assert_cmpint (
          run ((const char *[]){ "export", "--batch", "48", "--kv", "1024", "--cores", cores[i],
                                 "--flows", "--width", "900", "-o", simulated, NULL },
               &o, &e),
          ==, 0);
      g_autofree char *what = g_strdup_printf ("--cores %s", cores[i]);
      assert_same_files (from_trace, simulated, what);
    }
  g_unlink (trace);
  g_unlink (from_trace);
  g_unlink (simulated);
  g_rmdir (dir);
}

static void
test_help_and_hw (void)
{
  g_autofree char *out = NULL, *err = NULL;
  g_assert_cmpint (run ((const char *[]){ "--help", NULL }, &out, &err), ==, 0);
  g_assert_nonnull (strstr (out, "Commands:"));
  g_free (out);
  g_free (err);
  g_assert_cmpint (run ((const char *[]){ "hw", "ascend910c", NULL }, &out, &err), ==, 0);
  g_assert_nonnull (strstr (out, "[assumed]"));
  g_assert_nonnull (strstr (out, "707.8 TFLOPS"));
}

/* --compare-rescale runs the other rescale too and prints what separates them; the multiply
 * path moves O through UB every block, so its column shows more GM->UB bytes and L2 traffic */
static void
test_compare_rescale (void)
{
  g_autofree char *out = NULL, *err = NULL;
  int status = run ((const char *[]){ "run", "--batch", "48", "--kv", "2048", "--compare-rescale",
                                      NULL },
                    &out, &err);
  g_assert_cmpint (status, ==, 0);
  const char *block = strstr (out, "AMLA integer add vs FP multiply rescale");
  g_assert_nonnull (block);
  const char *row = strstr (block, "GM->UB (MiB)");
  g_assert_nonnull (row);
  double amla = 0, mul = 0, diff = 0;
  g_assert_cmpint (sscanf (row + strlen ("GM->UB (MiB)"), "%lf %lf %lf", &amla, &mul, &diff), ==, 3);
  g_assert_cmpfloat (mul, >, amla);
  g_assert_cmpfloat (fabs (diff - (mul - amla)), <, 0.11);
  g_assert_nonnull (strstr (block, "L2 traffic (MiB)"));
  g_assert_nonnull (strstr (block, "AIV Vector busy"));
}

/* --hw that is a FIFO, a directory or a broken file: one line naming --hw, never a hang */
static void
test_bad_preset_files (void)
{
  g_autofree char *dir = g_dir_make_tmp ("amlaviz-run-XXXXXX", NULL);
  g_autofree char *fifo = g_build_filename (dir, "p.json", NULL);
  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  g_autofree char *trunc = g_build_filename (dir, "t.json", NULL);
  g_assert_true (g_file_set_contents (trunc, "{\"name\":\"x\",\"fields\":{\"dies\":", -1, NULL));
  const struct
  {
    const char *path, *needle;
  } cases[] = {
    { fifo, "--hw: preset '" },
    { dir, "is a directory, not a file" },
    { trunc, "the JSON ends early" },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = NULL, *err = NULL;
      int status = run ((const char *[]){ "run", "--hw", cases[i].path, NULL }, &out, &err);
      g_assert_cmpint (status, ==, 1);
      g_assert_nonnull (strstr (err, "amlasim run: --hw: "));
      g_assert_nonnull (strstr (err, cases[i].needle));
    }
  g_unlink (fifo);
  g_unlink (trunc);
  g_rmdir (dir);
}

static gpointer
drain_fifo (gpointer path)
{
  GString *got = g_string_new (NULL);
  int fd = open (path, O_RDONLY | O_CLOEXEC);
  g_assert_cmpint (fd, >=, 0);
  char buf[65536];
  ssize_t n;
  while ((n = read (fd, buf, sizeof buf)) > 0)
    g_string_append_len (got, buf, n);
  close (fd);
  return got;
}

/* Output paths: a wrong one is said in one line before the run (nothing printed, exit 2); a
 * symlink stays a symlink and its file gets the trace; a FIFO (as /dev/null, or a pipe to gzip)
 * is written in place, not replaced by a regular file. */
static void
test_output_paths (void)
{
  g_autofree char *dir = g_dir_make_tmp ("amlasim-out-XXXXXX", NULL);
  g_autofree char *missing = g_build_filename (dir, "no-such-dir", "t.json", NULL);
  assert_usage ((const char *[]){ "run", "-o", dir, NULL }, "-o: cannot write '");
  assert_usage ((const char *[]){ "run", "-o", dir, NULL }, "': it is a directory");
  assert_usage ((const char *[]){ "run", "-o", missing, NULL }, "its directory does not exist");
  assert_usage ((const char *[]){ "convert", "x.json", "-o", missing, NULL }, "-o: cannot write '");
  g_autofree char *png = g_build_filename (dir, "x.png", NULL);
  if (amlasim_draws ())
    {
      assert_usage ((const char *[]){ "run", "--png", "t.txt", NULL },
                    "--png t.txt: the name must end in .png, .svg or .pdf");
      assert_usage ((const char *[]){ "export", "-o", dir, NULL }, "the name must end in");
      /* simulation options beside a TRACE would be ignored: said, not dropped */
      assert_usage ((const char *[]){ "export", "x.json", "-o", png, "--kv", "1024", NULL },
                    "apply only without TRACE; x.json is drawn as it was recorded");
      g_assert_false (g_file_test (png, G_FILE_TEST_EXISTS));
      /* --cores counts AI cores: an index past the last one says so */
      assert_usage ((const char *[]){ "export", "--batch", "2", "--kv", "512", "--cores", "48",
                                      "-o", png, NULL },
                    "--cores 48 selects no core: this trace has AI cores 0..47");
    }
  else
    {
      /* built without the renderer: export says so, and writes nothing */
      g_autofree char *out = NULL, *err = NULL;
      g_assert_cmpint (run ((const char *[]){ "export", "-o", png, NULL }, &out, &err), ==, 1);
      g_assert_nonnull (strstr (err, "built without the renderer"));
      g_assert_false (g_file_test (png, G_FILE_TEST_EXISTS));
    }

  g_autofree char *real = g_build_filename (dir, "run-1.json", NULL);
  g_autofree char *link = g_build_filename (dir, "latest.json", NULL);
  g_assert_cmpint (symlink ("run-1.json", link), ==, 0);
  g_autofree char *out = NULL, *err = NULL;
  const char *small[] = { "run", "--quiet", "--batch", "1", "--kv", "512", "-o", NULL, NULL };
  small[7] = link;
  g_assert_cmpint (run (small, &out, &err), ==, 0);
  g_assert_true (g_file_test (link, G_FILE_TEST_IS_SYMLINK));
  g_autoptr (GError) error = NULL;
  g_autoptr (SimTrace) t = sim_trace_read_json (real, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (t->n_spans, >, 0);

  g_autofree char *fifo = g_build_filename (dir, "pipe", NULL);
  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  GThread *reader = g_thread_new ("fifo", drain_fifo, fifo);
  g_free (out);
  g_free (err);
  small[7] = fifo;
  g_assert_cmpint (run (small, &out, &err), ==, 0);
  GString *got = g_thread_join (reader);
  json_object *o = json_tokener_parse (got->str);
  g_assert_nonnull (o); /* the whole trace came through the pipe */
  json_object *events = NULL;
  g_assert_true (json_object_object_get_ex (o, "traceEvents", &events));
  g_assert_cmpuint (json_object_array_length (events), >, t->n_spans);
  json_object_put (o);
  g_string_free (got, TRUE);
  struct stat st;
  g_assert_cmpint (lstat (fifo, &st), ==, 0);
  g_assert_true (S_ISFIFO (st.st_mode));

  g_unlink (fifo);
  g_unlink (link);
  g_unlink (real);
  g_rmdir (dir);
}

/* A run the machine cannot hold is refused before it allocates, in well under a second, with
 * one line giving the estimate and the limit; --max-memory moves the limit.  The program is
 * streamed, so what cannot be held is the trace of a huge shape (its spans); without -o the same
 * shape runs in bounded memory (bench-sim measures it). */
static void
test_memory_limit (void)
{
  g_autofree char *out = NULL, *err = NULL;
  g_autofree char *dir = g_dir_make_tmp ("amlaviz-memlimit-XXXXXX", NULL);
  g_autofree char *trace = g_build_filename (dir, "huge.json", NULL);
  gint64 t0 = g_get_monotonic_time ();
  int status = run ((const char *[]){ "run", "--batch", "64", "--kv", "1048576", "--sq", "16",
                                      "-o", trace, NULL },
                    &out, &err);
  double seconds = (g_get_monotonic_time () - t0) / 1e6;
  g_test_message ("%s (%.2f s)", err, seconds);
  g_assert_cmpint (status, ==, 2);
  g_assert_nonnull (strstr (err, "needs about "));
  g_assert_nonnull (strstr (err, "GiB (2.02e+09 instructions and their trace"));
  g_assert_false (g_file_test (trace, G_FILE_TEST_EXISTS));
  g_assert_nonnull (strstr (err, "more than the limit of"));
  g_assert_nonnull (strstr (err, "--max-memory or AMLAVIZ_MAX_MEMORY changes it"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  /* the default shape needs about 60 MiB: refused under 10M, run under 1G */
  status = run ((const char *[]){ "run", "--max-memory", "10M", NULL }, &out, &err);
  g_assert_cmpint (status, ==, 2);
  g_assert_nonnull (strstr (err, "more than the limit of 10.0 MiB (--max-memory)"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  status = run ((const char *[]){ "run", "--max-memory", "1G", "--quiet", NULL }, &out, &err);
  g_assert_cmpint (status, ==, 0);
  assert_usage ((const char *[]){ "run", "--max-memory", "lots", NULL },
                "--max-memory must be a size such as 8G or 512M, got 'lots'");
  g_rmdir (dir);
}

static json_object *
run_json (const char *const *args)
{
  g_autofree char *out = NULL, *err = NULL;
  g_assert_cmpint (run (args, &out, &err), ==, 0);
  json_object *o = json_tokener_parse (out);
  g_assert_nonnull (o);
  return o;
}

static const char *
json_config (json_object *o, const char *key)
{
  json_object *c, *v;
  g_assert_true (json_object_object_get_ex (o, "config", &c));
  g_assert_true (json_object_object_get_ex (c, key, &v));
  return json_object_to_json_string (v);
}

/* --config-from TRACE re-simulates exactly what a trace of ours stores (shape, toggles, preset,
 * what-ifs); an option beside it changes that one field. */
static void
test_config_from (void)
{
  g_autofree char *dir = g_dir_make_tmp ("amlaviz-cf-XXXXXX", NULL);
  g_autofree char *trace = g_build_filename (dir, "t.json", NULL);
  const char *shape[] = { "run", "--batch", "48", "--kv", "1024", "--preload", "off", "--rescale",
                          "mul", "--set", "atomic_l2_factor=2", "--json", "-o", trace, NULL };
  json_object *orig = run_json (shape);
  json_object *again = run_json ((const char *[]){ "run", "--config-from", trace, "--json", NULL });
  json_object *t1, *t2;
  g_assert_true (json_object_object_get_ex (orig, "total_ns", &t1));
  g_assert_true (json_object_object_get_ex (again, "total_ns", &t2));
  g_assert_cmpfloat (json_object_get_double (t1), ==, json_object_get_double (t2));
  static const char *const keys[] = { "batch", "kv_len", "sq", "heads", "task_rows", "preload",
                                      "tiling", "rescale", "hw" };
  for (gsize i = 0; i < G_N_ELEMENTS (keys); i++)
    g_assert_cmpstr (json_config (orig, keys[i]), ==, json_config (again, keys[i]));
  json_object *over
      = run_json ((const char *[]){ "run", "--config-from", trace, "--kv", "2048", "--json", NULL });
  g_assert_cmpstr (json_config (over, "kv_len"), ==, "2048");
  g_assert_cmpstr (json_config (over, "rescale"), ==, "\"mul\"");
  g_assert_cmpstr (json_config (over, "preload"), ==, "false");
  json_object *wi;
  g_assert_true (json_object_object_get_ex (again, "what_if", &wi)); /* the what-if came along */
  json_object_put (orig);
  json_object_put (again);
  json_object_put (over);
  assert_usage ((const char *[]){ "run", "--config-from", "/nonexistent/t.json", NULL },
                "amlasim run: --config-from: ");
  g_unlink (trace);
  g_rmdir (dir);
}

/* --json of a run without its wall time (the only field two runs of one configuration differ in) */
static char *
run_json_text (const char *const *args)
{
  json_object *o = run_json (args);
  json_object_object_del (o, "sim_wall_ms");
  char *text = g_strdup (json_object_to_json_string_ext (o, JSON_C_TO_STRING_PRETTY));
  json_object_put (o);
  return text;
}

/* A preset file: the built-in ascend910c with name and memory bandwidths changed. */
static char *
write_custom_preset (const char *dir, const char *file, const char *name)
{
  g_autofree char *src
      = g_build_filename (g_getenv ("AMLAVIZ_DATA_DIR"), "hw", "ascend910c.json", NULL);
  json_object *p = json_object_from_file (src);
  g_assert_nonnull (p);
  json_object *fields, *f;
  g_assert_true (json_object_object_get_ex (p, "fields", &fields));
  g_assert_true (json_object_object_get_ex (fields, "l2_bytes_per_s", &f));
  json_object_object_add (f, "value", json_object_new_double (2e12));
  g_assert_true (json_object_object_get_ex (fields, "hbm_bytes_per_s", &f));
  json_object_object_add (f, "value", json_object_new_double (8e11));
  json_object_object_add (p, "name", json_object_new_string (name));
  char *path = g_build_filename (dir, file, NULL);
  g_assert_cmpint (json_object_to_file (path, p), ==, 0);
  json_object_put (p);
  return path;
}

/* A trace made with a preset FILE re-simulates on that hardware as the trace recorded it
 * (otherData.hw), not on the built-in preset of the same name, and with a name no preset here
 * has, with the file gone; --set and --hw beside --config-from change it as documented. */
static void
test_config_from_custom_hw (void)
{
  g_autofree char *dir = g_dir_make_tmp ("amlaviz-cfhw-XXXXXX", NULL);
  static const char *const names[] = { "ascend910c", "mychip" };
  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *preset = write_custom_preset (dir, "custom.json", names[i]);
      g_autofree char *trace = g_build_filename (dir, "t.json", NULL);
      g_autofree char *orig = run_json_text (
          (const char *[]){ "run", "--batch", "8", "--kv", "512", "--hw", preset, "--json", "-o",
                            trace, "--trace-cores", "0..0", NULL });
      g_autofree char *builtin = run_json_text (
          (const char *[]){ "run", "--batch", "8", "--kv", "512", "--json", NULL });
      g_assert_cmpstr (orig, !=, builtin); /* the custom bandwidths matter at this shape */
      g_unlink (preset);                   /* the trace alone carries the hardware */
      g_autofree char *again
          = run_json_text ((const char *[]){ "run", "--config-from", trace, "--json", NULL });
      g_assert_cmpstr (again, ==, orig);
      /* --set is a what-if on the recorded hardware; --hw replaces it */
      g_autofree char *preset2 = write_custom_preset (dir, "custom2.json", names[i]);
      g_autofree char *set_fresh
          = run_json_text ((const char *[]){ "run", "--batch", "8", "--kv", "512", "--hw", preset2,
                                             "--set", "l2_bytes_per_s=3e12", "--json", NULL });
      g_autofree char *set_from = run_json_text ((const char *[]){
          "run", "--config-from", trace, "--set", "l2_bytes_per_s=3e12", "--json", NULL });
      g_assert_cmpstr (set_from, ==, set_fresh);
      g_unlink (preset2);
      g_autofree char *hw_from = run_json_text (
          (const char *[]){ "run", "--config-from", trace, "--hw", "ascend910c", "--json", NULL });
      g_assert_cmpstr (hw_from, ==, builtin);
      g_unlink (trace);
    }
  g_rmdir (dir);
}

/* A trace from an older amlaviz without some otherData.hw fields: the preset it names fills them
 * in; with no such preset here the error names the trace and the field. */
static void
test_config_from_old_hw (void)
{
  g_autofree char *dir = g_dir_make_tmp ("amlaviz-cfold-XXXXXX", NULL);
  g_autofree char *trace = g_build_filename (dir, "t.json", NULL);
  g_autofree char *orig = run_json_text ((const char *[]){
      "run", "--batch", "8", "--kv", "512", "--json", "-o", trace, "--trace-cores", "0..0", NULL });
  static const char *const names[] = { "ascend910c", "mychip" };
  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    {
      json_object *t = json_object_from_file (trace);
      g_assert_nonnull (t);
      json_object *od, *hw;
      g_assert_true (json_object_object_get_ex (t, "otherData", &od));
      g_assert_true (json_object_object_get_ex (od, "hw", &hw));
      json_object_object_del (hw, "issue_queue_depth");
      json_object_object_del (hw, "l1_bytes");
      json_object_object_del (hw, "assumed");
      json_object_object_add (hw, "name", json_object_new_string (names[i]));
      g_autofree char *old = g_build_filename (dir, "old.json", NULL);
      g_assert_cmpint (json_object_to_file (old, t), ==, 0);
      json_object_put (t);
      if (i == 0)
        {
          g_autofree char *again
              = run_json_text ((const char *[]){ "run", "--config-from", old, "--json", NULL });
          g_assert_cmpstr (again, ==, orig);
        }
      else
        {
          g_autofree char *want = g_strdup_printf ("--config-from: trace '%s': otherData.hw: "
                                                   "missing field \"l1_bytes\" (and no preset "
                                                   "'mychip' here fills in what it lacks)",
                                                   old);
          assert_usage ((const char *[]){ "run", "--config-from", old, NULL }, want);
        }
      g_unlink (old);
    }
  /* a field that is not a number is an error, never the preset's value in its place */
  json_object *t = json_object_from_file (trace), *od, *hw;
  g_assert_true (json_object_object_get_ex (t, "otherData", &od));
  g_assert_true (json_object_object_get_ex (od, "hw", &hw));
  json_object_object_add (hw, "l2_bytes_per_s", json_object_new_string ("fast"));
  g_autofree char *bad = g_build_filename (dir, "bad.json", NULL);
  g_assert_cmpint (json_object_to_file (bad, t), ==, 0);
  json_object_put (t);
  assert_usage ((const char *[]){ "run", "--config-from", bad, NULL },
                "otherData.hw: field \"l2_bytes_per_s\" must be a number");
  g_unlink (bad);
  g_unlink (trace);
  g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_assert_cmpint (argc, >=, 2);
  amlasim_path = argv[1];
  g_test_add_func ("/run-cli/bad-options", test_bad_options);
  g_test_add_func ("/run-cli/json", test_json);
  g_test_add_func ("/run-cli/what-if", test_what_if);
  g_test_add_func ("/run-cli/trace-out", test_trace_out);
  g_test_add_func ("/run-cli/png-drawn-cores", test_png_drawn_cores);
  g_test_add_func ("/run-cli/export-drawn-cores", test_export_drawn_cores);
  g_test_add_func ("/run-cli/help-and-hw", test_help_and_hw);
  g_test_add_func ("/run-cli/compare-rescale", test_compare_rescale);
  g_test_add_func ("/run-cli/bad-preset-files", test_bad_preset_files);
  g_test_add_func ("/run-cli/output-paths", test_output_paths);
  g_test_add_func ("/run-cli/memory-limit", test_memory_limit);
  g_test_add_func ("/run-cli/config-from", test_config_from);
  g_test_add_func ("/run-cli/config-from-custom-hw", test_config_from_custom_hw);
  g_test_add_func ("/run-cli/config-from-old-hw", test_config_from_old_hw);
  return g_test_run ();
}
