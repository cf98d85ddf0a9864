/* src/plot/plot-roofline.c — the roofline: every result at its arithmetic intensity against the
 * compute and memory roofs. */
#include "src/plot/plot-private.h"

#include <math.h>
#include <string.h>

gboolean
plot_roofline_layout (const GArray *results, double width, double height, PlotFrame *f,
                      GError **error)
{
  memset (f, 0, sizeof *f);
  double x_lo = G_MAXDOUBLE, x_hi = 0, y_lo = G_MAXDOUBLE, y_hi = 0;
  guint n = 0;
  for (guint i = 0; i < results->len; i++)
    {
      const SweepResult *r = &g_array_index (results, SweepResult, i);
      double ai = sweep_result_intensity (r);
      if (r->error != NULL || ai <= 0 || r->metrics.tflops <= 0)
        continue;
      n++;
      double ridge = r->metrics.peak_tflops * 1e12 / r->hbm_peak_bytes_per_s;
      x_lo = MIN (x_lo, MIN (ai, ridge));
      x_hi = MAX (x_hi, MAX (ai, ridge));
      y_lo = MIN (y_lo, r->metrics.tflops);
      y_hi = MAX (y_hi, r->metrics.peak_tflops);
    }
  if (n == 0)
    {
      g_set_error (error, PLOT_ERROR, PLOT_ERROR_INVALID,
                   "no runs with HBM traffic and a positive TFLOPS to place on a roofline");
      return FALSE;
    }
  f->x_log = f->y_log = TRUE;
  f->x_min = x_lo / 2.5;
  f->x_max = x_hi * 2.5;
  f->y_min = MIN (y_lo, y_hi / 10) / 2;
  f->y_max = y_hi * 1.6;
  f->x_axis = SWEEP_N_AXES;
  g_autoptr (GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) series = plot_sweep_series (results, SWEEP_N_AXES, labels);
  f->n_series = series->len;
  double legend = plot_legend_width (labels, NULL);
  plot_place_legend (f, width, height, legend, series->len, 24, 16);
  if (f->right - f->left < 100 || f->bottom - f->top < 80)
    {
      g_set_error (error, PLOT_ERROR, PLOT_ERROR_INVALID,
                   "a %gx%g image is too small for the roofline", width, height);
      return FALSE;
    }
  return TRUE;
}

gboolean
plot_roofline_draw (cairo_t *cr, double width, double height, const GArray *results,
                    PlotFrame *frame_out, GError **error)
{
  PlotFrame f;
  if (!plot_roofline_layout (results, width, height, &f, error))
    return FALSE;
  if (frame_out != NULL)
    *frame_out = f;
  /* points are grouped by everything that varies, as in the sweep plot */
  g_autoptr (GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) series = plot_sweep_series (results, SWEEP_N_AXES, labels);

  cairo_save (cr);
  plot_set_ink (cr, INK_PAPER);
  cairo_paint (cr);
  g_autoptr (GArray) x_ticks = plot_log_ticks (f.x_min, f.x_max);
  g_autoptr (GArray) y_ticks = plot_log_ticks (f.y_min, f.y_max);
  plot_draw_axes (cr, &f, x_ticks, y_ticks, "arithmetic intensity (FLOP per HBM byte, log scale)",
                  "achieved TFLOPS (log scale)", "");

  cairo_save (cr);
  cairo_rectangle (cr, f.left, f.top, f.right - f.left, f.bottom - f.top);
  cairo_clip (cr);
  /* roofs of each preset present: bandwidth slope up to the ridge, then the compute roof */
  g_autoptr (GHashTable) drawn = g_hash_table_new (g_str_hash, g_str_equal);
  tl_set_font (cr, FALSE, FONT_SIZE - 1);
  for (guint i = 0; i < results->len; i++)
    {
      const SweepResult *r = &g_array_index (results, SweepResult, i);
      if (r->error != NULL || r->hbm_peak_bytes_per_s <= 0
          || g_hash_table_contains (drawn, r->config.hw))
        continue;
      g_hash_table_add (drawn, (gpointer) r->config.hw);
      double peak = r->metrics.peak_tflops, bw_tb = r->hbm_peak_bytes_per_s / 1e12;
      double ridge = peak / bw_tb;
      plot_set_ink (cr, INK_REFERENCE);
      cairo_set_line_width (cr, 2);
      cairo_move_to (cr, plot_frame_x_px (&f, f.x_min), plot_frame_y_px (&f, f.x_min * bw_tb));
      cairo_line_to (cr, plot_frame_x_px (&f, ridge), plot_frame_y_px (&f, peak));
      cairo_line_to (cr, plot_frame_x_px (&f, f.x_max), plot_frame_y_px (&f, peak));
      cairo_stroke (cr);
      static const double dash[] = { 3, 3 };
      cairo_set_dash (cr, dash, 2, 0);
      cairo_set_line_width (cr, 1);
      cairo_move_to (cr, plot_frame_x_px (&f, ridge), plot_frame_y_px (&f, peak));
      cairo_line_to (cr, plot_frame_x_px (&f, ridge), f.bottom);
      cairo_stroke (cr);
      cairo_set_dash (cr, NULL, 0, 0);
      char buf[160];
      g_snprintf (buf, sizeof buf, "%s: Cube peak %.1f TFLOPS", r->config.hw, peak);
      plot_draw_text (cr, f.right - 6, plot_frame_y_px (&f, peak) - 6, buf, 1.0, 0.0);
      g_snprintf (buf, sizeof buf, "ridge %.0f FLOP/B", ridge);
      plot_draw_text (cr, plot_frame_x_px (&f, ridge) + 4, f.bottom - 8, buf, 0.0, 0.0);
      g_snprintf (buf, sizeof buf, "HBM %.2f TB/s", bw_tb);
      double bx = sqrt (f.x_min * ridge) / 1.5;
      cairo_save (cr);
      cairo_translate (cr, plot_frame_x_px (&f, bx) + 4, plot_frame_y_px (&f, bx * bw_tb) - 6);
      double angle = atan2 (plot_frame_y_px (&f, ridge * bw_tb) - plot_frame_y_px (&f, bx * bw_tb),
                            plot_frame_x_px (&f, ridge) - plot_frame_x_px (&f, bx));
      cairo_rotate (cr, angle);
      plot_draw_text (cr, 0, 0, buf, 0.0, 0.0);
      cairo_restore (cr);
    }
  for (guint s = 0; s < series->len; s++)
    {
      GArray *idx = g_ptr_array_index (series, s);
      plot_set_series_style (cr, s);
      cairo_set_dash (cr, NULL, 0, 0);
      for (guint k = 0; k < idx->len; k++)
        {
          const SweepResult *r
              = &g_array_index (results, SweepResult, g_array_index (idx, guint, k));
          double ai = sweep_result_intensity (r);
          if (ai <= 0 || r->metrics.tflops <= 0)
            continue;
          plot_draw_marker (cr, s, plot_frame_x_px (&f, ai),
                            plot_frame_y_px (&f, r->metrics.tflops), MARKER_RADIUS + 1);
        }
    }
  cairo_restore (cr);

  g_autofree LegendEntry *entries = g_new0 (LegendEntry, series->len);
  for (guint s = 0; s < series->len; s++)
    entries[s] = (LegendEntry){ g_ptr_array_index (labels, s), (int) s, TRUE, TRUE };
  plot_draw_legend (cr, &f, entries, series->len);
  tl_set_font (cr, TRUE, TITLE_SIZE);
  plot_set_ink (cr, INK_TEXT);
  plot_draw_text_ellipsized (cr, f.left, 24, "Roofline: each point is one run", 0.0, 0.0,
                             width - f.left - 8);
  cairo_restore (cr);
  return TRUE;
}
