/* tests/sweep/test-plot.c — sweep plot and roofline: axis ranges cover the data, log x when the
 * axis spans a decade, every series is drawn where its data says (pixel probes on an image
 * surface), the ceiling and roofs are marked, files are written atomically. */
#include <glib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include <pango/pangocairo.h>
#include <pango/pangofc-fontmap.h>

#include "src/plot/plot.h"

#define W 900
#define H 560

static const int kvs[] = { 512, 1024, 2048, 4096, 8192, 16384 };

/* 6 KV lengths × preload on/off × rescale amla/mul with distinct, known utilisations. */
static GArray *
synthetic_results (void)
{
  GArray *res = sweep_results_new ();
  guint64 point = 0;
  for (gsize k = 0; k < G_N_ELEMENTS (kvs); k++)
    for (int preload = 1; preload >= 0; preload--)
      for (int mul = 0; mul <= 1; mul++)
        {
          SweepResult r = { 0 };
          amla_config_init (&r.config);
          r.config.kv_len = kvs[k];
          r.config.preload = preload;
          r.config.rescale = mul ? AMLA_RESCALE_MUL : AMLA_RESCALE_AMLA;
          r.point = point++;
          r.points = G_N_ELEMENTS (kvs) * 4;
          r.hbm_peak_bytes_per_s = 3.2e12;
          SimMetrics *m = &r.metrics;
          m->peak_tflops = 707.8;
          m->cube_utilization = 0.2 + 0.1 * k + (preload ? 0.2 : 0) - (mul ? 0.05 : 0);
          m->tflops = m->cube_utilization * m->peak_tflops;
          m->flops = amla_config_flops (&r.config);
          m->total_ns = m->flops / (m->tflops * 1e3);
          m->hbm_bytes = (guint64) (m->flops / (50.0 * (k + 1) * (mul ? 1 : 2)));
          g_array_append_val (res, r);
        }
  return res;
}

static cairo_surface_t *
render (const GArray *res, gboolean roofline, const PlotOptions *opt, PlotFrame *f)
{
  cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_RGB24, W, H);
  cairo_t *cr = cairo_create (s);
  g_autoptr (GError) err = NULL;
  gboolean ok = roofline ? plot_roofline_draw (cr, W, H, res, f, &err)
                         : plot_sweep_draw (cr, W, H, res, opt, f, &err);
  g_assert_no_error (err);
  g_assert_true (ok);
  cairo_destroy (cr);
  cairo_surface_flush (s);
  return s;
}

static void
pixel (cairo_surface_t *s, double x, double y, double rgb[3])
{
  int ix = (int) floor (x), iy = (int) floor (y);
  g_assert_cmpint (ix, >=, 0);
  g_assert_cmpint (ix, <, W);
  g_assert_cmpint (iy, >=, 0);
  g_assert_cmpint (iy, <, H);
  const guint8 *row = cairo_image_surface_get_data (s) + iy * cairo_image_surface_get_stride (s);
  guint32 px = ((const guint32 *) row)[ix];
  rgb[0] = ((px >> 16) & 0xff) / 255.0;
  rgb[1] = ((px >> 8) & 0xff) / 255.0;
  rgb[2] = (px & 0xff) / 255.0;
}

static gboolean
near_color (const double a[3], const double b[3])
{
  return fabs (a[0] - b[0]) < 0.04 && fabs (a[1] - b[1]) < 0.04 && fabs (a[2] - b[2]) < 0.04;
}

static void
test_sweep_plot_series (void)
{
  g_autoptr (GArray) res = synthetic_results ();
  PlotOptions opt;
  plot_options_init (&opt); /* x axis chosen: kv, the only one that varies */
  PlotFrame f;
  cairo_surface_t *s = render (res, FALSE, &opt, &f);
  g_assert_cmpint (f.x_axis, ==, SWEEP_AXIS_KV);
  g_assert_true (f.x_log); /* 512 .. 16384 spans more than a decade */
  g_assert_cmpfloat (f.x_min, <, 512);
  g_assert_cmpfloat (f.x_min, >, 256);
  g_assert_cmpfloat (f.x_max, >, 16384);
  g_assert_cmpfloat (f.x_max, <, 32768);
  g_assert_cmpfloat (f.y_min, ==, 0);
  g_assert_cmpfloat (f.y_max, >=, 100); /* the ceiling is in view */
  g_assert_cmpuint (f.n_series, ==, 4);

  g_autoptr (GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) series = plot_sweep_series (res, SWEEP_AXIS_KV, labels);
  g_assert_cmpuint (series->len, ==, 4);
  g_assert_cmpstr (g_ptr_array_index (labels, 0), ==, "preload on, AMLA add");
  g_assert_cmpstr (g_ptr_array_index (labels, 3), ==, "preload off, FP mul");
  for (guint si = 0; si < series->len; si++)
    {
      GArray *idx = g_ptr_array_index (series, si);
      g_assert_cmpuint (idx->len, ==, G_N_ELEMENTS (kvs));
      double want[3];
      plot_series_color (si, want);
      for (guint k = 0; k < idx->len; k++)
        {
          const SweepResult *r = &g_array_index (res, SweepResult, g_array_index (idx, guint, k));
          double x = plot_frame_x_px (&f, r->config.kv_len);
          double y = plot_frame_y_px (&f, r->metrics.cube_utilization * 100);
          g_assert_cmpfloat (x, >, f.left);
          g_assert_cmpfloat (x, <, f.right);
          double got[3];
          pixel (s, x, y, got);
          if (!near_color (got, want))
            g_error ("series %u point %u (kv %d): pixel (%.0f,%.0f) is %.2f,%.2f,%.2f, want "
                     "%.2f,%.2f,%.2f",
                     si, k, r->config.kv_len, x, y, got[0], got[1], got[2], want[0], want[1],
                     want[2]);
        }
    }
  /* the 100 % ceiling is drawn dark across the plot, where no series reaches */
  double got[3];
  pixel (s, (f.left + f.right) / 2, plot_frame_y_px (&f, 100), got);
  g_assert_cmpfloat (got[0] + got[1] + got[2], <, 1.5);
  /* an empty spot of the plot stays white */
  pixel (s, f.left + 3, plot_frame_y_px (&f, 97), got);
  g_assert_cmpfloat (got[0] + got[1] + got[2], >, 2.9);
  cairo_surface_destroy (s);
}

/* A tall, narrow image (the window's Sweep pane): the legend moves below the plot in columns so
 * the plot keeps its width; every entry stays on the image and its swatch has the series colour.
 * A wide image keeps the legend on the right. */
static void
test_sweep_plot_legend_below (void)
{
  g_autoptr (GArray) res = synthetic_results ();
  PlotOptions opt;
  plot_options_init (&opt);
  PlotFrame wide;
  g_assert_true (plot_sweep_layout (res, &opt, 900, 560, &wide, NULL));
  g_assert_false (wide.legend_below);
  g_assert_cmpfloat (wide.legend_x, >, wide.right);

  const int w = 560, h = 760;
  PlotFrame right_only = wide, f;
  g_assert_true (plot_sweep_layout (res, &opt, w, h, &f, NULL));
  g_assert_true (f.legend_below);
  g_assert_cmpuint (f.legend_cols, >=, 2);
  /* the plot is wider than with the legend beside it */
  right_only.right = w - f.legend_col_w - 64;
  g_assert_cmpfloat (f.right - f.left, >, right_only.right - right_only.left + 100);
  g_assert_cmpfloat (f.legend_y, >, f.bottom + 40); /* under the x-axis label */
  guint rows = (f.n_series + 2 + f.legend_cols - 1) / f.legend_cols;
  g_assert_cmpfloat (f.legend_y + (rows - 1) * 18 + 6, <, h);

  cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_RGB24, w, h);
  cairo_t *cr = cairo_create (s);
  PlotFrame drawn;
  g_assert_true (plot_sweep_draw (cr, w, h, res, &opt, &drawn, NULL));
  cairo_destroy (cr);
  cairo_surface_flush (s);
  for (guint i = 0; i < f.n_series; i++)
    {
      guint per_col = (f.n_series + 2 + f.legend_cols - 1) / f.legend_cols;
      double x = f.legend_x + (i / per_col) * f.legend_col_w + 11;
      double y = f.legend_y + (i % per_col) * 18;
      const guint8 *row = cairo_image_surface_get_data (s) + (int) y * cairo_image_surface_get_stride (s);
      guint32 px = ((const guint32 *) row)[(int) x];
      double got[3] = { ((px >> 16) & 0xff) / 255.0, ((px >> 8) & 0xff) / 255.0, (px & 0xff) / 255.0 };
      double want[3];
      plot_series_color (i, want);
      g_assert_true (near_color (got, want));
    }
  cairo_surface_destroy (s);
}

static void
test_sweep_plot_tflops_linear (void)
{
  g_autoptr (GArray) res = synthetic_results ();
  /* keep two KV lengths: 4096 and 8192 do not span a decade -> linear x */
  for (guint i = res->len; i-- > 0;)
    {
      int kv = g_array_index (res, SweepResult, i).config.kv_len;
      if (kv != 4096 && kv != 8192)
        g_array_remove_index (res, i);
    }
  PlotOptions opt;
  plot_options_init (&opt);
  opt.y = PLOT_Y_TFLOPS;
  opt.x_axis = SWEEP_AXIS_KV;
  PlotFrame f;
  cairo_surface_t *s = render (res, FALSE, &opt, &f);
  g_assert_false (f.x_log);
  g_assert_cmpfloat (f.y_max, >=, 707.8); /* the peak stays in view */
  g_assert_cmpfloat (f.x_min, <, 4096);
  g_assert_cmpfloat (f.x_max, >, 8192);
  const SweepResult *r = &g_array_index (res, SweepResult, 0);
  double want[3], got[3];
  plot_series_color (0, want);
  pixel (s, plot_frame_x_px (&f, r->config.kv_len), plot_frame_y_px (&f, r->metrics.tflops), got);
  g_assert_true (near_color (got, want));
  cairo_surface_destroy (s);
}

/* Few heads: intensity ~30 FLOP/B, so the memory roof (~13.6 % of peak) is drawn below the
 * ceiling, above the runs. */
static void
test_sweep_plot_memory_roof (void)
{
  g_autoptr (GArray) res = synthetic_results ();
  for (guint i = 0; i < res->len; i++)
    {
      SweepResult *r = &g_array_index (res, SweepResult, i);
      r->config.heads = 16;
      r->config.sq = 1;
      r->metrics.flops = amla_config_flops (&r->config);
      r->metrics.cube_utilization /= 10;
      r->metrics.tflops = r->metrics.cube_utilization * r->metrics.peak_tflops;
    }
  PlotFrame f;
  cairo_surface_t *s = render (res, FALSE, NULL, &f);
  const SweepResult *r = &g_array_index (res, SweepResult, res->len - 1); /* S_kv = 16384 */
  double kv = (double) r->config.batch * r->config.kv_len * 576 * 2;
  double qo = (double) r->config.batch * 16 * 1 * 1088 * 2;
  double roof_pct = r->metrics.flops / (kv + qo) * 3.2e12 / 1e12 / 707.8 * 100;
  g_assert_cmpfloat (roof_pct, >, 12);
  g_assert_cmpfloat (roof_pct, <, 15);
  /* the roof is dashed: look for its purple along a few pixels left of the last point */
  double x = plot_frame_x_px (&f, 8192 * 1.5), y = plot_frame_y_px (&f, roof_pct);
  gboolean found = FALSE;
  for (int dx = -6; dx <= 6 && !found; dx++)
    for (int dy = -1; dy <= 1 && !found; dy++)
      {
        double got[3];
        pixel (s, x + dx, y + dy, got);
        found = got[2] > got[1] + 0.25 && got[0] > got[1] + 0.15; /* purple: blue, red > green */
      }
  g_assert_true (found);
  cairo_surface_destroy (s);
}

static void
test_sweep_plot_errors (void)
{
  g_autoptr (GArray) res = synthetic_results ();
  PlotOptions opt;
  plot_options_init (&opt);
  opt.x_axis = SWEEP_AXIS_BATCH; /* one value only */
  PlotFrame f;
  g_autoptr (GError) e1 = NULL;
  g_assert_false (plot_sweep_layout (res, &opt, W, H, &f, &e1));
  g_assert_error (e1, PLOT_ERROR, PLOT_ERROR_INVALID);
  g_assert_nonnull (strstr (e1->message, "'batch' has one value"));
  opt.x_axis = SWEEP_AXIS_PRELOAD;
  g_autoptr (GError) e2 = NULL;
  g_assert_false (plot_sweep_layout (res, &opt, W, H, &f, &e2));
  g_assert_nonnull (strstr (e2->message, "--x must be a shape axis"));
  g_autoptr (GArray) empty = sweep_results_new ();
  g_autoptr (GError) e3 = NULL;
  g_assert_false (plot_roofline_layout (empty, W, H, &f, &e3));
  g_assert_error (e3, PLOT_ERROR, PLOT_ERROR_INVALID);
}

static void
test_roofline (void)
{
  g_autoptr (GArray) res = synthetic_results ();
  PlotFrame f;
  cairo_surface_t *s = render (res, TRUE, NULL, &f);
  g_assert_true (f.x_log && f.y_log);
  double ridge = 707.8e12 / 3.2e12;
  g_assert_cmpfloat (f.x_min, <, ridge);
  g_assert_cmpfloat (f.x_max, >, ridge);
  g_assert_cmpfloat (f.y_max, >, 707.8);
  g_autoptr (GPtrArray) series = plot_sweep_series (res, SWEEP_N_AXES, NULL);
  g_assert_cmpuint (series->len, ==, f.n_series);
  /* the last point drawn of each series has its colour */
  for (guint si = 0; si < series->len; si++)
    {
      GArray *idx = g_ptr_array_index (series, si);
      const SweepResult *r
          = &g_array_index (res, SweepResult, g_array_index (idx, guint, idx->len - 1));
      g_assert_cmpfloat (sweep_result_intensity (r), >=, f.x_min);
      g_assert_cmpfloat (sweep_result_intensity (r), <=, f.x_max);
      g_assert_cmpfloat (r->metrics.tflops, >=, f.y_min);
      double want[3], got[3];
      plot_series_color (si, want);
      pixel (s, plot_frame_x_px (&f, sweep_result_intensity (r)),
             plot_frame_y_px (&f, r->metrics.tflops), got);
      if (!near_color (got, want))
        g_error ("roofline series %u: pixel %.2f,%.2f,%.2f", si, got[0], got[1], got[2]);
    }
  /* the compute roof: dark at the right end at the peak; the bandwidth roof below the ridge */
  double got[3];
  pixel (s, f.right - 40, plot_frame_y_px (&f, 707.8), got);
  g_assert_cmpfloat (got[0] + got[1] + got[2], <, 1.5);
  double ai = ridge / 3;
  pixel (s, plot_frame_x_px (&f, ai), plot_frame_y_px (&f, ai * 3.2), got);
  g_assert_cmpfloat (got[0] + got[1] + got[2], <, 1.5);
  cairo_surface_destroy (s);
}

static void
test_write_files (void)
{
  g_autoptr (GArray) res = synthetic_results ();
  g_autofree char *dir = g_dir_make_tmp ("plot-XXXXXX", NULL);
  const char *names[] = { "a.png", "a.svg", "a.pdf" };
  const char *magic[] = { "\x89PNG", "<?xml", "%PDF" };
  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_build_filename (dir, names[i], NULL);
      g_autoptr (GError) err = NULL;
      g_assert_true (plot_write_file (path, i == 1 ? PLOT_KIND_ROOFLINE : PLOT_KIND_SWEEP, res,
                                      NULL, 640, 400, &err));
      g_assert_no_error (err);
      g_autofree char *data = NULL;
      gsize len;
      g_assert_true (g_file_get_contents (path, &data, &len, NULL));
      g_assert_cmpuint (len, >, 500);
      g_assert_true (memcmp (data, magic[i], strlen (magic[i])) == 0);
      g_unlink (path);
    }
  /* a bad extension and an unwritable place fail cleanly and leave the old file alone */
  g_autofree char *old = g_build_filename (dir, "keep.png", NULL);
  g_assert_true (g_file_set_contents (old, "old", -1, NULL));
  g_autoptr (GError) e1 = NULL;
  g_assert_false (plot_write_file (old, PLOT_KIND_SWEEP, res, NULL, 40, 40, &e1)); /* too small */
  g_autofree char *still = NULL;
  g_assert_true (g_file_get_contents (old, &still, NULL, NULL));
  g_assert_cmpstr (still, ==, "old");
  g_autoptr (GError) e2 = NULL;
  g_assert_false (plot_write_file ("x.jpg", PLOT_KIND_SWEEP, res, NULL, 640, 400, &e2));
  g_assert_nonnull (strstr (e2->message, ".png, .svg or .pdf"));
  g_autofree char *nodir = g_build_filename (dir, "no", "such", "a.png", NULL);
  g_autoptr (GError) e3 = NULL;
  g_assert_false (plot_write_file (nodir, PLOT_KIND_SWEEP, res, NULL, 640, 400, &e3));
  g_assert_error (e3, PLOT_ERROR, PLOT_ERROR_WRITE);
  g_unlink (old);
  g_assert_cmpint (g_rmdir (dir), ==, 0); /* no temp file was left beside the plots */
}

/* A title longer than the image ends in "…" inside it instead of running off the edge. */
static void
test_long_title_ellipsized (void)
{
  g_autoptr (GArray) res = synthetic_results ();
  PlotOptions opt;
  plot_options_init (&opt);
  g_autoptr (GString) title = g_string_new ("A title far too long for the plot: ");
  for (int i = 0; i < 20; i++)
    g_string_append (title, "WWWW ");
  opt.title = title->str;
  const int w = 700, h = 500;
  cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_RGB24, w, h);
  cairo_t *cr = cairo_create (s);
  g_assert_true (plot_sweep_draw (cr, w, h, res, &opt, NULL, NULL));
  cairo_destroy (cr);
  cairo_surface_flush (s);
  /* the title's band (baseline at y = 24): text up to the right margin, paper beyond it */
  guint inked_left = 0, inked_margin = 0;
  for (int y = 8; y < 30; y++)
    {
      const guint32 *row = (const guint32 *) (cairo_image_surface_get_data (s)
                                              + y * cairo_image_surface_get_stride (s));
      for (int x = 80; x < 400; x++)
        inked_left += (row[x] & 0xff) < 128;
      for (int x = w - 6; x < w; x++)
        inked_margin += (row[x] & 0xff) < 128;
    }
  cairo_surface_destroy (s);
  g_assert_cmpuint (inked_left, >, 100);
  g_assert_cmpuint (inked_margin, ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/plot/sweep-series", test_sweep_plot_series);
  g_test_add_func ("/plot/sweep-tflops-linear", test_sweep_plot_tflops_linear);
  g_test_add_func ("/plot/sweep-legend-below", test_sweep_plot_legend_below);
  g_test_add_func ("/plot/sweep-memory-roof", test_sweep_plot_memory_roof);
  g_test_add_func ("/plot/sweep-errors", test_sweep_plot_errors);
  g_test_add_func ("/plot/roofline", test_roofline);
  g_test_add_func ("/plot/write-files", test_write_files);
  g_test_add_func ("/plot/long-title-ellipsized", test_long_title_ellipsized);
  int status = g_test_run ();
  /* so LeakSanitizer sees only our leaks: Pango's font map first (it holds cairo's fonts) */
  pango_fc_font_map_shutdown (PANGO_FC_FONT_MAP (pango_cairo_font_map_get_default ()));
  pango_cairo_font_map_set_default (NULL);
  cairo_debug_reset_static_data ();
  return status;
}
