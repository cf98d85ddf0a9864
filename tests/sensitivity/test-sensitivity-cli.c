/* tests/sensitivity/test-sensitivity-cli.c — `amlasim sensitivity` as a user runs it: bad options
 * exit 2 with one line naming the option; --json parses, has every documented key, one row per
 * assumed field, sorted, and a base equal to `amlasim run --json`; the table names every field;
 * --plot writes a PNG of the size asked for (and the natural height by default).
 * argv[1] = the amlasim path. */
#include <cairo.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <json-c/json.h>
#include <math.h>
#include <string.h>
#include <sys/wait.h>

#include "sim/hw.h"

static const char *amlasim_path;
static char *tmpdir;

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
  g_assert_cmpint (run (args, &out, &err), ==, 2);
  g_assert_cmpstr (out, ==, "");
  g_test_message ("%s", err);
  g_assert_nonnull (strstr (err, needle));
  const char *nl = strchr (err, '\n');
  g_assert_nonnull (nl);
  g_assert_cmpint (nl[1], ==, '\0'); /* one line */
}

static void
test_bad_options (void)
{
  const char *s = "sensitivity";
  assert_usage ((const char *[]){ s, "--kv", "0", NULL },
                "--kv must be an integer in [1, 1048576]");
  assert_usage ((const char *[]){ s, "--rescale", "div", NULL }, "--rescale must be amla or mul");
  assert_usage ((const char *[]){ s, "--plot", "x.jpg", NULL },
                "--plot must name a .png, .svg or .pdf file");
  assert_usage ((const char *[]){ s, "--plot", "x.png", "--plot-size", "10x10", NULL },
                "--plot-size must be WxH");
  assert_usage ((const char *[]){ s, "--threads", "-1", NULL }, "--threads must be in");
  assert_usage ((const char *[]){ s, "--set", "l2=1", NULL }, "--set: unknown field \"l2\"");
  assert_usage ((const char *[]){ s, "--hw", "ascend999", NULL }, "unknown hardware preset");
  assert_usage ((const char *[]){ s, "extra", NULL }, "unexpected argument 'extra'");
  g_autofree char *out = NULL, *err = NULL;
  g_assert_cmpint (run ((const char *[]){ "--help", NULL }, &out, &err), ==, 0);
  g_assert_nonnull (strstr (out, "  sensitivity "));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run ((const char *[]){ s, "--help", NULL }, &out, &err), ==, 0);
  g_assert_nonnull (strstr (out, "×0.5 / ×2"));
  g_assert_nonnull (strstr (out, "--plot"));
}

static double
get_double (json_object *o, const char *key)
{
  json_object *v;
  g_assert_true (json_object_object_get_ex (o, key, &v));
  return json_object_get_double (v);
}

static void
test_json (void)
{
  g_autofree char *out = NULL, *err = NULL;
  int status = run ((const char *[]){ "sensitivity", "--batch", "8", "--kv", "1024", "--json",
                                      "--no-progress", NULL },
                    &out, &err);
  g_assert_cmpint (status, ==, 0);
  g_assert_cmpstr (err, ==, "");
  json_object *root = json_tokener_parse (out);
  g_assert_nonnull (root);
  static const char *const keys[] = { "config",      "preset", "rescales", "base",  "other_error",
                                      "peak_tflops", "runs",   "wall_s",   "rules", "rows" };
  for (gsize i = 0; i < G_N_ELEMENTS (keys); i++)
    g_assert_true (json_object_object_get_ex (root, keys[i], NULL));
  json_object *rows, *base, *amla;
  json_object_object_get_ex (root, "rows", &rows);
  json_object_object_get_ex (root, "base", &base);
  g_assert_true (json_object_object_get_ex (base, "amla", &amla));
  double base_util = get_double (amla, "cube_utilization");

  g_autoptr (SimHw) hw = sim_hw_load ("ascend910c", NULL);
  gsize n;
  const SimHwField *f = sim_hw_fields (hw, &n);
  gsize assumed = 0;
  for (gsize i = 0; i < n; i++)
    assumed += f[i].assumed;
  g_assert_cmpuint (json_object_array_length (rows), ==, assumed);
  double previous = INFINITY;
  for (gsize i = 0; i < json_object_array_length (rows); i++)
    {
      json_object *row = json_object_array_get_idx (rows, i), *side, *v;
      static const char *const row_keys[]
          = { "field",       "unit",         "rule",    "base", "low",  "high",
              "low_clamped", "high_clamped", "what_if", "note", "amla", "mul" };
      for (gsize k = 0; k < G_N_ELEMENTS (row_keys); k++)
        g_assert_true (json_object_object_get_ex (row, row_keys[k], NULL));
      g_assert_true (json_object_object_get_ex (row, "amla", &side));
      static const char *const side_keys[]
          = { "util_low", "util_high", "swing", "error_low", "error_high" };
      for (gsize k = 0; k < G_N_ELEMENTS (side_keys); k++)
        g_assert_true (json_object_object_get_ex (side, side_keys[k], NULL));
      double swing = get_double (side, "swing");
      g_assert_cmpfloat (swing, <=, previous);
      g_assert_cmpfloat (swing, ==,
                         fabs (get_double (side, "util_high") - get_double (side, "util_low")));
      previous = swing;
      json_object_object_get_ex (row, "field", &v);
      for (gsize k = 0; k < n; k++)
        if (g_str_equal (json_object_get_string (v), "cross_core_latency_cycles")
            && g_str_equal (f[k].key, "cross_core_latency_cycles"))
          {
            g_assert_cmpfloat (get_double (row, "base"), ==, f[k].value);
            g_assert_cmpfloat (get_double (row, "low"), ==, f[k].value * 0.5);
            g_assert_cmpfloat (get_double (row, "high"), ==, f[k].value * 2);
          }
    }
  json_object_put (root);

  /* the base is what `amlasim run` reports for the same configuration */
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (
      run ((const char *[]){ "run", "--batch", "8", "--kv", "1024", "--json", NULL }, &out, &err),
      ==, 0);
  json_object *plain = json_tokener_parse (out);
  g_assert_cmpfloat (get_double (plain, "cube_utilization"), ==, base_util);
  json_object_put (plain);
}

static void
test_table_and_plot (void)
{
  g_autofree char *png = g_build_filename (tmpdir, "x.png", NULL);
  g_autofree char *out = NULL, *err = NULL;
  int status = run ((const char *[]){ "sensitivity", "--batch", "8", "--kv", "1024", "--rescale",
                                      "mul", "--plot", png, "--no-progress", NULL },
                    &out, &err);
  g_assert_cmpint (status, ==, 0);
  g_test_message ("%s", out);
  g_assert_nonnull (strstr (out, "What drives this number?"));
  g_assert_nonnull (strstr (out, "base: mul "));
  g_assert_nonnull (strstr (out, "mul (this run)"));
  g_assert_nonnull (strstr (out, "amla (the other)"));
  g_autoptr (SimHw) hw = sim_hw_load ("ascend910c", NULL);
  gsize n;
  const SimHwField *f = sim_hw_fields (hw, &n);
  for (gsize i = 0; i < n; i++)
    if (f[i].assumed)
      g_assert_nonnull (strstr (out, f[i].key));
  g_assert_null (strstr (out, "l2_bytes_per_s")); /* not assumed */

  cairo_surface_t *s = cairo_image_surface_create_from_png (png);
  g_assert_cmpint (cairo_surface_status (s), ==, CAIRO_STATUS_SUCCESS);
  g_assert_cmpint (cairo_image_surface_get_width (s), ==, 1100);
  /* tall enough for the title, the legend, every row and the axis: 38 px a row */
  g_assert_cmpint (cairo_image_surface_get_height (s), >, 200 + 30 * 7);
  g_assert_cmpint (cairo_image_surface_get_height (s), <, 1000);
  cairo_surface_destroy (s);
  g_unlink (png);

  /* a size asked for is the size written */
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_autofree char *svg = g_build_filename (tmpdir, "x.svg", NULL);
  status = run ((const char *[]){ "sensitivity", "--batch", "8", "--kv", "1024", "--plot", svg,
                                  "--plot-size", "900x600", "--json", NULL },
                &out, &err);
  g_assert_cmpint (status, ==, 0);
  g_autofree char *text = NULL;
  g_assert_true (g_file_get_contents (svg, &text, NULL, NULL));
  g_assert_nonnull (strstr (text, "width=\"900\""));
  g_assert_nonnull (strstr (text, "height=\"600\""));
  g_unlink (svg);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_assert_cmpint (argc, >=, 2);
  amlasim_path = argv[1];
  tmpdir = g_dir_make_tmp ("sens-cli-XXXXXX", NULL);
  g_test_add_func ("/sensitivity-cli/bad-options", test_bad_options);
  g_test_add_func ("/sensitivity-cli/json", test_json);
  g_test_add_func ("/sensitivity-cli/table-and-plot", test_table_and_plot);
  int status = g_test_run ();
  g_rmdir (tmpdir);
  g_free (tmpdir);
  return status;
}
