/* tests/trace/test-trace-cli.c — amlasim info and convert, run as a user would (the binary is
 * given in $AMLASIM): output, exit codes 0/1/2, one-line errors naming the file and position. */
#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>

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
  g_assert_nonnull (strstr (out, "groups:      3 (1 AIC, 2 AIV, 0 other)"));
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
  g_assert_nonnull (strstr (err, "2 input events could not be converted"));
  g_autoptr (SimTrace) a = sim_trace_read_json (in, NULL, NULL, NULL);
  g_autoptr (SimTrace) b = sim_trace_read_json (out_path, NULL, NULL, NULL);
  g_assert_nonnull (b);
  g_autofree char *da = fixture_describe (a), *db = fixture_describe (b);
  g_assert_cmpstr (da, ==, db); /* nothing drawn is lost */
  g_autofree char *text = NULL;
  g_assert_true (g_file_get_contents (out_path, &text, NULL, NULL));
  json_object *root = fixture_check_chrome_json (text, FALSE);
  json_object_put (root);
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
  g_assert_cmpint (run (unwritable, NULL, &err), ==, 1);
  g_assert_nonnull (strstr (err, "cannot create a file in /nonexistent-dir-amlaviz"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/trace/cli/info", test_info);
  g_test_add_func ("/trace/cli/info-ours", test_info_ours);
  g_test_add_func ("/trace/cli/info-errors", test_info_errors);
  g_test_add_func ("/trace/cli/convert", test_convert);
  g_test_add_func ("/trace/cli/convert-msprof-stdout", test_convert_msprof_stdout);
  g_test_add_func ("/trace/cli/convert-usage", test_convert_usage);
  return g_test_run ();
}
