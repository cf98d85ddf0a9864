/* tests/trace/test-trace-cli.c — amlasim info and convert, run as a user would (the binary is
 * given in $AMLASIM): output, exit codes 0/1/2, one-line errors naming the file and position;
 * .json.gz read by every command and written by convert -o and run -o. */
#include <glib.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <zlib.h>

#include "tests/trace/trace-fixture.h"

static int
run (const char *const *args, char **out, char **err)
{
  const char *exe = g_getenv ("AMLASIM");
  g_assert_nonnull (exe);
  GPtrArray *argv = g_ptr_array_new ();
  g_ptr_array_add (argv, (char *) exe);
  for (int i = 0; args[i]; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);
  int status = 0;
  g_autoptr (GError) e = NULL;
  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, out,
                               err, &status, &e));
  g_assert_no_error (e);
  g_ptr_array_unref (argv);
  g_assert_true (WIFEXITED (status));
  return WEXITSTATUS (status);
}

static char *
sample (const char *name)
{
  return g_build_filename (AMLAVIZ_SOURCE_ROOT, "samples", name, NULL);
}

static void
test_info (void)
{
  g_autofree char *path = sample ("msprof-op-summary.json");
  g_autofree char *out = NULL, *err = NULL;
  const char *args[] = { "info", path, NULL };
  g_assert_cmpint (run (args, &out, &err), ==, 0);
  g_assert_nonnull (strstr (out, "groups:      4 (1 AIC, 2 AIV, 1 other)")); /* MTE Throughput */
  g_assert_nonnull (strstr (out, "spans:       13"));
  g_assert_nonnull (strstr (out, "core0.veccore1           AIV1"));
  g_assert_nonnull (strstr (out, "FIXP                   FIXPIPE"));
  g_assert_nonnull (strstr (out, "counter GM_TO_L1"));
  g_assert_nonnull (strstr (out, "kind:        Ascend core/pipe trace"));
}

static void
test_info_ours (void)
{
  g_autoptr (SimTrace) t = fixture_tiny_trace ();
  g_autofree char *dir = g_dir_make_tmp ("cli-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "ours.json", NULL);
  g_assert_true (sim_trace_write_json (t, path, SIM_TRACE_FLAVOR_PERFETTO, NULL));
  g_autofree char *out = NULL, *err = NULL;
  const char *args[] = { "info", "--brief", path, NULL };
  g_assert_cmpint (run (args, &out, &err), ==, 0);
  g_assert_nonnull (strstr (out, "amlaviz simulation"));
  g_assert_nonnull (strstr (out, "stages:      C1 3, V1 1, SYNC 1 (1 spans without a stage)"));
  g_assert_nonnull (strstr (out, "otherData (configuration to re-simulate)"));
  g_assert_nonnull (strstr (out, "\"preload\":true"));
  g_assert_null (strstr (out, "  MTE2 ")); /* --brief: no lanes */
  g_unlink (path);
  g_rmdir (dir);
}

static void
test_info_errors (void)
{
  g_autofree char *bad = fixture_path ("bad/bad-e-without-b.json");
  g_autofree char *out = NULL, *err = NULL;
  const char *args[] = { "info", bad, NULL };
  g_assert_cmpint (run (args, &out, &err), ==, 1);
  g_assert_true (g_str_has_prefix (err, "amlasim info: "));
  g_assert_nonnull (strstr (err, "bad-e-without-b.json: event 1 (line 1, column 55"));
  g_assert_cmpstr (out, ==, "");
  g_free (err);
  err = NULL;
  const char *none[] = { "info", NULL };
  g_assert_cmpint (run (none, NULL, &err), ==, 2);
  g_assert_nonnull (strstr (err, "expected one trace file"));
}

static void
test_convert (void)
{
  g_autofree char *in = sample ("generic-chrome.json");
  g_autofree char *dir = g_dir_make_tmp ("cli-XXXXXX", NULL);
  g_autofree char *out_path = g_build_filename (dir, "out.json", NULL);
  g_autofree char *out = NULL, *err = NULL;
  const char *args[] = { "convert", in, "-o", out_path, NULL };
  g_assert_cmpint (run (args, &out, &err), ==, 0);
  g_assert_nonnull (strstr (err, "wrote"));
  /* the two events of phases we do not draw go back into the file as they were */
  g_assert_nonnull (strstr (err, "2 events we do not draw or read written back as read"));
  g_assert_null (strstr (err, "could not be converted"));
  g_autoptr (SimTrace) a = sim_trace_read_json (in, NULL, NULL, NULL);
  g_autoptr (SimTrace) b = sim_trace_read_json (out_path, NULL, NULL, NULL);
  g_assert_nonnull (b);
  g_autofree char *da = fixture_describe (a), *db = fixture_describe (b);
  g_assert_cmpstr (da, ==, db); /* nothing drawn is lost */
  g_autofree char *text = NULL;
  g_assert_true (g_file_get_contents (out_path, &text, NULL, NULL));
  json_object *root = fixture_check_chrome_json (text, FALSE);
  json_object_put (root);
  g_assert_nonnull (strstr (text, "\n{\"ph\":\"b\",\"name\":\"PageLoad\",\"cat\":\"loading\","));
  g_assert_nonnull (strstr (text, "\n{\"ph\":\"e\",\"name\":\"PageLoad\",\"cat\":\"loading\","));
  g_unlink (out_path);
  g_rmdir (dir);
}

static void
test_convert_msprof_stdout (void)
{
  g_autofree char *in = sample ("msprof-op-summary.json");
  g_autofree char *out = NULL, *err = NULL;
  const char *args[] = { "convert", in, "-o", "-", "--flavor", "msprof", NULL };
  g_assert_cmpint (run (args, &out, &err), ==, 0);
  json_object *root = fixture_check_chrome_json (out, TRUE);
  json_object_put (root);
  g_assert_nonnull (strstr (out, "\"pid\":\"core0.veccore1\",\"tid\":\"VECTOR\""));
}

static void
test_convert_usage (void)
{
  g_autofree char *in = sample ("generic-chrome.json");
  g_autofree char *err = NULL;
  const char *no_out[] = { "convert", in, NULL };
  g_assert_cmpint (run (no_out, NULL, &err), ==, 2);
  g_assert_nonnull (strstr (err, "-o OUT is required"));
  g_free (err);
  err = NULL;
  const char *bad_flavor[] = { "convert", in, "-o", "-", "--flavor", "chrome", NULL };
  g_assert_cmpint (run (bad_flavor, NULL, &err), ==, 2);
  g_assert_nonnull (strstr (err, "--flavor must be perfetto or msprof, got 'chrome'"));
  g_free (err);
  err = NULL;
  const char *unwritable[] = { "convert", in, "-o", "/nonexistent-dir-amlaviz/x.json", NULL };
  /* said before the trace is read, as for run -o and sweep -o: a usage error */
  g_assert_cmpint (run (unwritable, NULL, &err), ==, 2);
  g_assert_nonnull (strstr (
      err, "-o: cannot write '/nonexistent-dir-amlaviz/x.json': its directory does not exist"));
}

/* Write text gzip-compressed. */
static void
write_gzip (const char *path, const char *text, gsize len)
{
  gzFile gz = gzopen (path, "wb6");
  g_assert_nonnull (gz);
  g_assert_cmpint (gzwrite (gz, text, (unsigned) len), ==, (int) len);
  g_assert_cmpint (gzclose (gz), ==, Z_OK);
}

/* Every command that reads a trace reads .json.gz (they used to say the file must start with
 * '{'): info, convert and export. */
static void
test_gzip_every_command (void)
{
  g_autoptr (SimTrace) t = fixture_tiny_trace ();
  gsize len = 0;
  g_autofree char *text = sim_trace_to_json (t, SIM_TRACE_FLAVOR_PERFETTO, &len);
  g_autofree char *dir = g_dir_make_tmp ("cli-XXXXXX", NULL);
  g_autofree char *gz = g_build_filename (dir, "t.json.gz", NULL);
  g_autofree char *json = g_build_filename (dir, "t.json", NULL);
  g_autofree char *png = g_build_filename (dir, "t.png", NULL);
  write_gzip (gz, text, len);

  g_autofree char *out = NULL, *err = NULL;
  const char *info[] = { "info", "--brief", gz, NULL };
  g_assert_cmpint (run (info, &out, &err), ==, 0);
  g_assert_nonnull (strstr (out, "amlaviz simulation"));
  g_assert_nonnull (strstr (out, "stages:      C1 3, V1 1, SYNC 1"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  const char *convert[] = { "convert", gz, "-o", json, NULL };
  g_assert_cmpint (run (convert, &out, &err), ==, 0);
  g_autoptr (SimTrace) back = sim_trace_read_json (json, NULL, NULL, NULL);
  g_assert_nonnull (back);
  g_autofree char *da = fixture_describe (t), *db = fixture_describe (back);
  g_assert_cmpstr (da, ==, db);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  const char *export[] = { "export", gz, "-o", png, NULL };
  int status = run (export, &out, &err);
  if (status == 0)
    g_assert_true (g_file_test (png, G_FILE_TEST_EXISTS));
  else /* an amlasim built without the renderer; it must not be the reader that failed */
    g_assert_null (strstr (err, "t.json.gz"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* a damaged gzip file: exit 1, the path and "gzip" in one line */
  g_assert_true (g_file_set_contents (json, "\x1f\x8b\x08\x00garbage", 12, NULL));
  const char *bad[] = { "info", json, NULL };
  g_assert_cmpint (run (bad, &out, &err), ==, 1);
  g_assert_nonnull (strstr (err, "t.json: not a valid gzip file"));
  g_unlink (gz);
  g_unlink (json);
  g_unlink (png);
  g_rmdir (dir);
}

/* Writing to a .gz name compresses (it used to write plain JSON under the .gz name, which
 * gunzip, zcat and Perfetto refuse): convert -o and run -o, inflated by zlib, are what the plain
 * name gets, and read back as the same trace. */
static void
test_gzip_written (void)
{
  g_autofree char *in = sample ("generic-chrome.json");
  g_autofree char *dir = g_dir_make_tmp ("cli-XXXXXX", NULL);
  g_autofree char *json = g_build_filename (dir, "out.json", NULL);
  g_autofree char *gz = g_build_filename (dir, "out.json.gz", NULL);
  g_autofree char *gz_upper = g_build_filename (dir, "OUT.JSON.GZ", NULL);
  g_autofree char *out = NULL, *err = NULL;
  const char *plain_args[] = { "convert", in, "-o", json, NULL };
  g_assert_cmpint (run (plain_args, &out, &err), ==, 0);
  g_autofree char *want = NULL;
  gsize want_len = 0;
  g_assert_true (g_file_get_contents (json, &want, &want_len, NULL));
  const char *names[] = { gz, gz_upper };
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_clear_pointer (&out, g_free);
      g_clear_pointer (&err, g_free);
      const char *gz_args[] = { "convert", in, "-o", names[i], NULL };
      g_assert_cmpint (run (gz_args, &out, &err), ==, 0);
      gsize got_len = 0;
      g_autofree char *got = fixture_gunzip (names[i], &got_len);
      g_assert_cmpuint (got_len, ==, want_len);
      g_assert_true (memcmp (got, want, want_len) == 0);
    }

  /* run -o: the same run plain and gzip (only otherData's wall time may differ) */
  const char *run_plain[] = { "run", "--quiet", "--batch", "4", "--kv", "1024", "-o", json, NULL };
  const char *run_gz[] = { "run", "--quiet", "--batch", "4", "--kv", "1024", "-o", gz, NULL };
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run (run_plain, &out, &err), ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run (run_gz, &out, &err), ==, 0);
  g_autofree char *text = fixture_gunzip (gz, NULL);
  json_object *root = fixture_check_chrome_json (text, FALSE);
  json_object_put (root);
  g_autoptr (SimTrace) a = sim_trace_read_json (json, NULL, NULL, NULL);
  g_autoptr (SimTrace) b = sim_trace_read_json (gz, NULL, NULL, NULL);
  g_assert_nonnull (a);
  g_assert_nonnull (b);
  g_assert_cmpuint (b->n_spans, >, 0);
  g_autofree char *da = fixture_describe (a), *db = fixture_describe (b);
  g_assert_cmpstr (da, ==, db);
  g_unlink (json);
  g_unlink (gz);
  g_unlink (gz_upper);
  g_rmdir (dir);
}

/* amlasim convert killed by SIGTERM while it writes leaves no hidden temporary file beside the
 * target (it removes it in its signal handler) and no half-written target. */
static void
test_convert_killed (void)
{
  g_autofree char *dir = g_dir_make_tmp ("amlaviz-kill-XXXXXX", NULL);
  g_autofree char *big = g_build_filename (dir, "big.json", NULL);
  g_autofree char *out_path = g_build_filename (dir, "out.json", NULL);
  g_autofree char *o = NULL, *e = NULL;
  g_assert_cmpint (run ((const char *[]){ "run", "--quiet", "-o", big, NULL }, &o, &e), ==, 0);
  gboolean caught = FALSE;
  for (int attempt = 0; attempt < 5 && !caught; attempt++)
    {
      const char *argv[] = { g_getenv ("AMLASIM"), "convert", big, "-o", out_path, NULL };
      GPid pid;
      g_assert_true (g_spawn_async (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL,
                                    NULL, &pid, NULL));
      /* wait (bounded) until the temporary file exists: the writer is then mid-file */
      for (int i = 0; i < 5000 && !caught; i++)
        {
          g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
          const char *name;
          while ((name = g_dir_read_name (d)) != NULL)
            if (g_str_has_prefix (name, ".out.json."))
              caught = TRUE;
          if (!caught)
            g_usleep (1000);
        }
      kill (pid, SIGTERM);
      int status = 0;
      waitpid (pid, &status, 0);
      g_spawn_close_pid (pid);
      g_unlink (out_path);
    }
  g_assert_true (caught); /* the 72 MB convert was caught while writing */
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;
  while ((name = g_dir_read_name (d)) != NULL)
    g_assert_cmpstr (name, ==, "big.json");
  g_unlink (big);
  g_rmdir (dir);
}

/* A wall-clock trace (µs since 1970): info counts from its origin and says where that is. */
static void
test_info_origin (void)
{
  g_autofree char *path = fixture_path ("epoch/torch-npu.json");
  g_autofree char *out = NULL, *err = NULL;
  const char *args[] = { "info", path, NULL };
  g_assert_cmpint (run (args, &out, &err), ==, 0);
  g_assert_nonnull (strstr (out, "time range:  0.000 µs – 26.586 µs (26.586 µs)\n"));
  g_assert_nonnull (strstr (out, "origin:      1717574400123456.789 µs on the file's clock"));
  g_autofree char *ours = sample ("generic-chrome.json");
  g_clear_pointer (&out, g_free);
  const char *plain[] = { "info", ours, NULL };
  g_assert_cmpint (run (plain, &out, NULL), ==, 0);
  g_assert_null (strstr (out, "origin:")); /* a trace that starts near 0 has none */
}

/* --range is read off the ruler (from the origin), and a range that misses the trace is refused
 * in one line (exit 2) instead of drawing an empty page. */
static void
test_export_range_origin (void)
{
  g_autofree char *path = fixture_path ("epoch/epoch-50ns.json");
  g_autofree char *dir = g_dir_make_tmp ("cli-XXXXXX", NULL);
  g_autofree char *png = g_build_filename (dir, "e.png", NULL);
  g_autofree char *out = NULL, *err = NULL;
  const char *help[] = { "run", "--help", NULL };
  run (help, &out, &err);
  if (strstr (out, "--png") == NULL)
    {
      g_test_skip ("amlasim built without the renderer");
      g_rmdir (dir);
      return;
    }
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  const char *inside[] = { "export", path, "--range", "0.3:0.9", "-o", png, NULL };
  g_assert_cmpint (run (inside, &out, &err), ==, 0);
  g_assert_true (g_file_test (png, G_FILE_TEST_EXISTS));
  g_unlink (png);
  const char *const outside[] = { "-5:-1", "1e300:2e300", "3.2:4", NULL };
  for (int i = 0; outside[i]; i++)
    {
      g_clear_pointer (&out, g_free);
      g_clear_pointer (&err, g_free);
      const char *args[] = { "export", path, "--range", outside[i], "-o", png, NULL };
      g_assert_cmpint (run (args, &out, &err), ==, 2);
      g_autofree char *want = g_strdup_printf ("amlasim export: --range %s is outside the run, "
                                               "which is 0.000:3.100 µs\n",
                                               outside[i]);
      g_assert_cmpstr (err, ==, want);
      g_assert_false (g_file_test (png, G_FILE_TEST_EXISTS));
    }
  g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/trace/cli/info", test_info);
  g_test_add_func ("/trace/cli/info-ours", test_info_ours);
  g_test_add_func ("/trace/cli/info-errors", test_info_errors);
  g_test_add_func ("/trace/cli/info-origin", test_info_origin);
  g_test_add_func ("/trace/cli/export-range-origin", test_export_range_origin);
  g_test_add_func ("/trace/cli/convert", test_convert);
  g_test_add_func ("/trace/cli/convert-msprof-stdout", test_convert_msprof_stdout);
  g_test_add_func ("/trace/cli/convert-usage", test_convert_usage);
  g_test_add_func ("/trace/cli/gzip-every-command", test_gzip_every_command);
  g_test_add_func ("/trace/cli/gzip-written", test_gzip_written);
  g_test_add_func ("/trace/cli/convert-killed", test_convert_killed);
  return g_test_run ();
}
