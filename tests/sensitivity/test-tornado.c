/* tests/sensitivity/test-tornado.c — src/plot/tornado: on a hand-made report, each bar is drawn
 * where the TornadoFrame says, in its colour, on the right side of the base; a field without
 * effect has no bar; narrow images drop the second panel; too small is an error; files are written
 * in each format and never half-written. */
#include <glib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "src/plot/plot.h"
#include "src/plot/tornado.h"

static char *tmpdir;

static void
add_row (SensitivityReport *r, const char *key, SensitivityRule rule, double base, double low,
         double high, double util_low, double util_high)
{
  SensitivityRow row = { 0 };
  row.key = g_strdup (key);
  row.unit = "cycles";
  row.rule = rule;
  row.base = base;
  row.low = low;
  row.high = high;
  for (int s = 0; s < 2; s++)
    {
      /* the other rescale moves half as far */
      double k = s == 0 ? 1.0 : 0.5;
      row.side[s].util_low = r->base_util[s] + k * (util_low - r->base_util[0]);
      row.side[s].util_high = r->base_util[s] + k * (util_high - r->base_util[0]);
      row.side[s].swing = rule == SENSITIVITY_RULE_SKIPPED
                              ? NAN
                              : fabs (row.side[s].util_high - row.side[s].util_low);
    }
  if (rule == SENSITIVITY_RULE_SKIPPED)
    row.note = g_strdup ("is 0 in the preset");
  g_array_append_val (r->rows, row);
}

static void
row_free (gpointer p)
{
  SensitivityRow *row = p;
  g_free (row->key);
  g_free (row->note);
}

/* Three rows: one that matters (low raises, high lowers), one without effect, one skipped. */
static SensitivityReport *
make_report (void)
{
  SensitivityReport *r = g_new0 (SensitivityReport, 1);
  amla_config_init (&r->config);
  r->preset = g_strdup ("ascend910c");
  r->rescale[0] = AMLA_RESCALE_AMLA;
  r->rescale[1] = AMLA_RESCALE_MUL;
  r->base_util[0] = 0.80;
  r->base_util[1] = 0.82;
  r->rows = g_array_new (FALSE, TRUE, sizeof (SensitivityRow));
  g_array_set_clear_func (r->rows, row_free);
  add_row (r, "cross_core_latency_cycles", SENSITIVITY_RULE_SCALE, 300, 150, 600, 0.83, 0.74);
  add_row (r, "die_to_die_bytes_per_s", SENSITIVITY_RULE_SCALE, 1.8e11, 9e10, 3.6e11, 0.80, 0.80);
  add_row (r, "scalar_issue_cycles", SENSITIVITY_RULE_SKIPPED, 0, 0, 0, 0, 0);
  r->runs = 10;
  return r;
}

static gboolean
pixel_is (cairo_surface_t *s, double x, double y, const double rgb[3], int tol)
{
  int ix = (int) floor (x), iy = (int) floor (y);
  const guint8 *p
      = cairo_image_surface_get_data (s) + iy * cairo_image_surface_get_stride (s) + 4 * ix;
  return abs (p[2] - (int) lround (rgb[0] * 255)) <= tol
         && abs (p[1] - (int) lround (rgb[1] * 255)) <= tol
         && abs (p[0] - (int) lround (rgb[2] * 255)) <= tol;
}

static cairo_surface_t *
render (const SensitivityReport *r, int w, int h, TornadoFrame *f)
{
  cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_RGB24, w, h);
  cairo_t *cr = cairo_create (s);
  g_autoptr (GError) err = NULL;
  g_assert_true (tornado_draw (cr, w, h, r, f, &err));
  g_assert_no_error (err);
  cairo_destroy (cr);
  cairo_surface_flush (s);
  return s;
}

static void
test_bars (void)
{
  g_autoptr (SensitivityReport) r = make_report ();
  TornadoFrame f;
  int h = tornado_natural_height (r);
  cairo_surface_t *s = render (r, 1100, h, &f);
  g_assert_cmpuint (f.n_rows, ==, 3);
  g_assert_cmpuint (f.n_panels, ==, 2);
  g_assert_cmpfloat (f.x_min, <, 74);
  g_assert_cmpfloat (f.x_max, >, 83);
  g_assert_cmpfloat (f.panel_left[1], >, f.panel_right[0]);
  double low_rgb[3], high_rgb[3];
  tornado_bar_color (FALSE, low_rgb);
  tornado_bar_color (TRUE, high_rgb);
  static const double white[3] = { 1, 1, 1 };
  for (guint p = 0; p < 2; p++)
    {
      double base = r->base_util[p] * 100;
      const SensitivitySide *side = &g_array_index (r->rows, SensitivityRow, 0).side[p];
      /* low bar: right of the base (83 % > 80 %), halfway to its end */
      double lx
          = (tornado_frame_x_px (&f, p, base) + tornado_frame_x_px (&f, p, side->util_low * 100))
            / 2;
      g_assert_true (pixel_is (s, lx, tornado_frame_bar_y (&f, 0, FALSE), low_rgb, 2));
      g_assert_false (pixel_is (s, lx, tornado_frame_bar_y (&f, 0, TRUE), high_rgb, 2));
      /* high bar: left of the base */
      double hx
          = (tornado_frame_x_px (&f, p, base) + tornado_frame_x_px (&f, p, side->util_high * 100))
            / 2;
      g_assert_cmpfloat (hx, <, tornado_frame_x_px (&f, p, base));
      g_assert_true (pixel_is (s, hx, tornado_frame_bar_y (&f, 0, TRUE), high_rgb, 2));
      g_assert_false (pixel_is (s, hx, tornado_frame_bar_y (&f, 0, FALSE), low_rgb, 2));
      /* no effect: no bar a few pixels either side of the base */
      for (int dx = -20; dx <= -4; dx += 4)
        for (int high = 0; high < 2; high++)
          {
            double x = tornado_frame_x_px (&f, p, base) + dx;
            g_assert_false (pixel_is (s, x, tornado_frame_bar_y (&f, 1, high), low_rgb, 40));
            g_assert_false (pixel_is (s, x, tornado_frame_bar_y (&f, 1, high), high_rgb, 40));
          }
      /* the skipped row has no bars at all, and no base line */
      for (double x = f.panel_left[p] + 1; x < f.panel_right[p]; x += 1)
        for (int high = 0; high < 2; high++)
          {
            g_assert_false (pixel_is (s, x, tornado_frame_bar_y (&f, 2, high), low_rgb, 40));
            g_assert_false (pixel_is (s, x, tornado_frame_bar_y (&f, 2, high), high_rgb, 40));
          }
      /* light at most (a grid line may share the base's x), never the dark dashed base line */
      g_assert_true (pixel_is (s, round (tornado_frame_x_px (&f, p, base)) + 0.5,
                               f.top + 2.5 * f.row_height - 2, white, 40));
    }
  /* the other rescale moved half as far: its bars are shorter */
  double w0 = tornado_frame_x_px (&f, 0, 80) - tornado_frame_x_px (&f, 0, 74);
  double w1 = tornado_frame_x_px (&f, 1, 82) - tornado_frame_x_px (&f, 1, 79);
  g_assert_cmpfloat (fabs (w0 - 2 * w1), <, 1.0);
  const char *dir = g_getenv ("AMLAVIZ_SCREENSHOT_DIR");
  if (dir != NULL)
    {
      g_autofree char *path = g_build_filename (dir, "tornado-synthetic.png", NULL);
      cairo_surface_write_to_png (s, path);
    }
  cairo_surface_destroy (s);
}

static void
test_sizes (void)
{
  g_autoptr (SensitivityReport) r = make_report ();
  TornadoFrame f;
  /* narrow: one panel, the configuration's rescale */
  cairo_surface_t *s = render (r, 560, tornado_natural_height (r), &f);
  g_assert_cmpuint (f.n_panels, ==, 1);
  cairo_surface_destroy (s);
  /* too small: an error naming the size it needs, nothing drawn */
  g_autoptr (GError) err = NULL;
  g_assert_false (tornado_layout (r, 1100, 120, &f, &err));
  g_assert_error (err, PLOT_ERROR, PLOT_ERROR_INVALID);
  g_assert_nonnull (strstr (err->message, "too small"));
  /* the other rescale failed: one panel */
  r->other_error = g_strdup ("rescale mul fails to simulate: L1 is full");
  s = render (r, 1100, tornado_natural_height (r), &f);
  g_assert_cmpuint (f.n_panels, ==, 1);
  cairo_surface_destroy (s);
}

static void
test_files (void)
{
  g_autoptr (SensitivityReport) r = make_report ();
  int h = tornado_natural_height (r);
  static const char *const names[] = { "t.png", "t.svg", "t.pdf" };
  static const char *const magic[] = { "\x89PNG", "<?xml", "%PDF" };
  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_build_filename (tmpdir, names[i], NULL);
      g_autoptr (GError) err = NULL;
      g_assert_true (tornado_write_file (path, r, 1000, h, &err));
      g_assert_no_error (err);
      g_autofree char *data = NULL;
      gsize len = 0;
      g_assert_true (g_file_get_contents (path, &data, &len, NULL));
      g_assert_cmpuint (len, >, 2000);
      g_assert_true (memcmp (data, magic[i], strlen (magic[i])) == 0);
    }
  g_autofree char *png = g_build_filename (tmpdir, "t.png", NULL);
  cairo_surface_t *s = cairo_image_surface_create_from_png (png);
  g_assert_cmpint (cairo_image_surface_get_width (s), ==, 1000);
  g_assert_cmpint (cairo_image_surface_get_height (s), ==, h);
  cairo_surface_destroy (s);

  /* a bad name or a size too small: an error and no file */
  g_autofree char *jpg = g_build_filename (tmpdir, "t.jpg", NULL);
  g_autoptr (GError) err = NULL;
  g_assert_false (tornado_write_file (jpg, r, 1000, h, &err));
  g_assert_error (err, PLOT_ERROR, PLOT_ERROR_INVALID);
  g_assert_false (g_file_test (jpg, G_FILE_TEST_EXISTS));
  g_clear_error (&err);
  g_autofree char *small = g_build_filename (tmpdir, "small.png", NULL);
  g_assert_false (tornado_write_file (small, r, 1000, 100, &err));
  g_assert_false (g_file_test (small, G_FILE_TEST_EXISTS));
  g_clear_error (&err);
  g_autofree char *nodir = g_build_filename (tmpdir, "missing", "t.png", NULL);
  g_assert_false (tornado_write_file (nodir, r, 1000, h, &err));
  g_assert_error (err, PLOT_ERROR, PLOT_ERROR_WRITE);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  tmpdir = g_dir_make_tmp ("tornado-XXXXXX", NULL);
  g_test_add_func ("/tornado/bars", test_bars);
  g_test_add_func ("/tornado/sizes", test_sizes);
  g_test_add_func ("/tornado/files", test_files);
  int status = g_test_run ();
  static const char *const names[] = { "t.png", "t.svg", "t.pdf" };
  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_build_filename (tmpdir, names[i], NULL);
      g_unlink (path);
    }
  g_rmdir (tmpdir);
  g_free (tmpdir);
  return status;
}
