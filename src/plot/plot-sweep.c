/* src/plot/plot-sweep.c — the sweep plot: one line per toggle combination over the swept axis,
 * utilisation or TFLOPS, with the Cube peak ceiling and the memory roof. */
#include "src/plot/plot-private.h"

#include <math.h>
#include <string.h>

gboolean
plot_sweep_layout (const GArray *results, const PlotOptions *opt_in, double width, double height,
                   PlotFrame *f, GError **error)
{
  PlotOptions defaults;
  plot_options_init (&defaults);
  const PlotOptions *opt = opt_in != NULL ? opt_in : &defaults;
  memset (f, 0, sizeof *f);
  SweepAxis x_axis = plot_choose_x_axis (results, opt->x_axis);
  if (!sweep_axis_is_numeric (x_axis))
    {
      g_set_error (error, PLOT_ERROR, PLOT_ERROR_INVALID,
                   "--x must be a shape axis (batch, kv, sq, heads or rows), got '%s'",
                   sweep_axis_name (x_axis));
      return FALSE;
    }
  double x_lo = G_MAXDOUBLE, x_hi = -G_MAXDOUBLE, y_hi = 0;
  guint n_ok = 0;
  for (guint i = 0; i < results->len; i++)
    {
      const SweepResult *r = &g_array_index (results, SweepResult, i);
      if (r->error != NULL)
        continue;
      n_ok++;
      double x = plot_axis_value (&r->config, x_axis);
      x_lo = MIN (x_lo, x);
      x_hi = MAX (x_hi, x);
      y_hi = MAX (y_hi, plot_y_value (r, opt->y));
      if (opt->y == PLOT_Y_TFLOPS)
        y_hi = MAX (y_hi, r->metrics.peak_tflops); /* the ceiling stays in view */
    }
  if (n_ok == 0)
    {
      g_set_error (error, PLOT_ERROR, PLOT_ERROR_INVALID, "no successful runs to plot");
      return FALSE;
    }
  if (x_lo == x_hi)
    {
      g_set_error (error, PLOT_ERROR, PLOT_ERROR_INVALID,
                   "the plot's x axis '%s' has one value (%g) only: sweep it (e.g. --%s A,B,C) or "
                   "choose another with --x",
                   sweep_axis_name (x_axis), x_lo, sweep_axis_name (x_axis));
      return FALSE;
    }
  f->x_axis = x_axis;
  f->x_log = x_lo > 0 && x_hi / x_lo >= 10;
  if (f->x_log)
    {
      /* a little air around the outermost points */
      f->x_min = x_lo / pow (x_hi / x_lo, 0.03);
      f->x_max = x_hi * pow (x_hi / x_lo, 0.03);
    }
  else
    {
      double pad = (x_hi - x_lo) * 0.03;
      f->x_min = x_lo - pad;
      f->x_max = x_hi + pad;
    }
  f->y_min = 0;
  /* head room above the ceiling so the 100 % line is not the frame */
  f->y_max = opt->y == PLOT_Y_UTILIZATION ? MAX (100.0, y_hi) * 1.08 : y_hi * 1.08;

  g_autoptr (GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) series = plot_sweep_series (results, x_axis, labels);
  f->n_series = series->len;
  const char *extra[] = { "Cube peak (ceiling)", "memory roof: above the peak", NULL };
  double legend = plot_legend_width (labels, extra);
  plot_place_legend (f, width, height, legend, series->len + 2, MARGIN_RIGHT_AXIS,
                     MARGIN_RIGHT_AXIS + LEGEND_PAD);
  if (f->right - f->left < 100 || f->bottom - f->top < 80)
    {
      g_set_error (error, PLOT_ERROR, PLOT_ERROR_INVALID,
                   "a %gx%g image is too small for this plot (legend %.0f px wide)", width, height,
                   legend);
      return FALSE;
    }
  return TRUE;
}

static char *
fixed_axes_title (const GArray *results, const char *lead, SweepAxis x_axis)
{
  gboolean varies[SWEEP_N_AXES];
  plot_varying_axes (results, varies);
  const SweepResult *first = NULL;
  for (guint i = 0; i < results->len && first == NULL; i++)
    if (g_array_index (results, SweepResult, i).error == NULL)
      first = &g_array_index (results, SweepResult, i);
  g_autoptr (GString) fixed = g_string_new (NULL);
  static const SweepAxis shown[]
      = { SWEEP_AXIS_BATCH, SWEEP_AXIS_KV, SWEEP_AXIS_SQ, SWEEP_AXIS_HEADS, SWEEP_AXIS_HW };
  for (gsize i = 0; i < G_N_ELEMENTS (shown); i++)
    if (!varies[shown[i]] && shown[i] != x_axis && first != NULL)
      plot_append_axis_value (fixed, &first->config, shown[i]);
  return g_strdup_printf ("%s%s%s", lead, fixed->len ? " — " : "", fixed->str);
}

gboolean
plot_sweep_draw (cairo_t *cr, double width, double height, const GArray *results,
                 const PlotOptions *opt_in, PlotFrame *frame_out, GError **error)
{
  PlotOptions defaults;
  plot_options_init (&defaults);
  const PlotOptions *opt = opt_in != NULL ? opt_in : &defaults;
  PlotFrame f;
  if (!plot_sweep_layout (results, opt, width, height, &f, error))
    return FALSE;
  if (frame_out != NULL)
    *frame_out = f;
  g_autoptr (GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) series = plot_sweep_series (results, f.x_axis, labels);

  cairo_save (cr);
  plot_set_ink (cr, INK_PAPER);
  cairo_paint (cr);

  /* x ticks at the swept values when there are few, so each tick is a point of the grid */
  g_autoptr (GArray) x_ticks = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GHashTable) xs = g_hash_table_new (g_direct_hash, g_direct_equal);
  for (guint s = 0; s < series->len; s++)
    {
      GArray *idx = g_ptr_array_index (series, s);
      for (guint k = 0; k < idx->len; k++)
        g_hash_table_add (
            xs, GINT_TO_POINTER (plot_axis_value (
                    &g_array_index (results, SweepResult, g_array_index (idx, guint, k)).config,
                    f.x_axis)));
    }
  if (g_hash_table_size (xs) <= 12)
    {
      GHashTableIter it;
      gpointer key;
      g_hash_table_iter_init (&it, xs);
      while (g_hash_table_iter_next (&it, &key, NULL))
        {
          double v = GPOINTER_TO_INT (key);
          g_array_append_val (x_ticks, v);
        }
      g_array_sort (x_ticks, plot_cmp_double);
    }
  else
    {
      g_array_unref (x_ticks);
      x_ticks
          = f.x_log ? plot_log_ticks (f.x_min, f.x_max) : plot_linear_ticks (f.x_min, f.x_max, 8);
    }
  g_autoptr (GArray) y_ticks = plot_linear_ticks (f.y_min, f.y_max, 6);
  const char *y_label
      = opt->y == PLOT_Y_TFLOPS ? "achieved TFLOPS" : "Cube utilisation (% of peak)";
  g_autofree char *x_label
      = g_strdup_printf ("%s%s", sweep_axis_label (f.x_axis), f.x_log ? ", log scale" : "");
  plot_draw_axes (cr, &f, x_ticks, y_ticks, x_label, y_label, opt->y == PLOT_Y_TFLOPS ? "" : "%");

  /* secondary axis: TFLOPS for utilisation when one preset (one peak) is shown */
  double peak = 0;
  gboolean one_peak = TRUE;
  for (guint i = 0; i < results->len; i++)
    {
      const SweepResult *r = &g_array_index (results, SweepResult, i);
      if (r->error != NULL)
        continue;
      if (peak != 0 && fabs (r->metrics.peak_tflops - peak) > 1e-6)
        one_peak = FALSE;
      peak = r->metrics.peak_tflops;
    }
  if (opt->y == PLOT_Y_UTILIZATION && one_peak && peak > 0)
    {
      tl_set_font (cr, FALSE, FONT_SIZE - 1);
      plot_set_ink (cr, INK_TICK_TEXT);
      g_autoptr (GArray) t = plot_linear_ticks (0, f.y_max / 100 * peak, 6);
      for (guint i = 0; i < t->len; i++)
        {
          double v = g_array_index (t, double, i);
          char buf[32];
          plot_format_tick (buf, sizeof buf, v);
          plot_draw_text (cr, f.right + 6, plot_frame_y_px (&f, v / peak * 100), buf, 0.0, 0.5);
        }
      cairo_save (cr);
      cairo_translate (cr, f.right + 50, (f.top + f.bottom) / 2);
      cairo_rotate (cr, G_PI / 2);
      tl_set_font (cr, FALSE, FONT_SIZE);
      plot_draw_text (cr, 0, 0, "TFLOPS", 0.5, 0.0);
      cairo_restore (cr);
    }

  cairo_save (cr);
  cairo_rectangle (cr, f.left, f.top, f.right - f.left, f.bottom - f.top);
  cairo_clip (cr);
  /* the Cube ceiling: 100 % of the peak (or each preset's peak in TFLOPS) */
  cairo_set_line_width (cr, 1.5);
  plot_set_ink (cr, INK_REFERENCE);
  if (opt->y == PLOT_Y_UTILIZATION)
    {
      cairo_move_to (cr, f.left, plot_frame_y_px (&f, 100));
      cairo_line_to (cr, f.right, plot_frame_y_px (&f, 100));
    }
  cairo_stroke (cr);
  if (opt->y == PLOT_Y_TFLOPS)
    {
      /* one labelled ceiling per preset */
      g_autoptr (GHashTable) drawn = g_hash_table_new (g_str_hash, g_str_equal);
      tl_set_font (cr, FALSE, FONT_SIZE - 1);
      for (guint i = 0; i < results->len; i++)
        {
          const SweepResult *r = &g_array_index (results, SweepResult, i);
          if (r->error != NULL || g_hash_table_contains (drawn, r->config.hw))
            continue;
          g_hash_table_add (drawn, (gpointer) r->config.hw);
          double py = plot_frame_y_px (&f, r->metrics.peak_tflops);
          cairo_move_to (cr, f.left, py);
          cairo_line_to (cr, f.right, py);
          cairo_stroke (cr);
          char buf[160];
          g_snprintf (buf, sizeof buf, "%s Cube peak %.1f TFLOPS", r->config.hw,
                      r->metrics.peak_tflops);
          plot_draw_text (cr, f.right - 6, py - 5, buf, 1.0, 0.0);
        }
    }
  if (opt->y == PLOT_Y_UTILIZATION && one_peak && peak > 0)
    {
      char buf[64];
      tl_set_font (cr, FALSE, FONT_SIZE - 1);
      g_snprintf (buf, sizeof buf, "Cube peak %.1f TFLOPS", peak);
      plot_draw_text (cr, f.right - 6, plot_frame_y_px (&f, 100) - 5, buf, 1.0, 0.0);
    }

  /* memory roof, per series (series that differ only in toggles share it) */
  gboolean roof_visible = FALSE;
  static const double roof_dash[] = { 5, 4 };
  cairo_set_dash (cr, roof_dash, 2, 0);
  plot_set_ink (cr, INK_ROOF);
  for (guint s = 0; s < series->len; s++)
    {
      GArray *idx = g_ptr_array_index (series, s);
      for (guint k = 0; k < idx->len; k++)
        {
          const SweepResult *r
              = &g_array_index (results, SweepResult, g_array_index (idx, guint, k));
          /* attainable: the roof never rises above the preset's own Cube peak */
          double roof = MIN (plot_memory_roof_tflops (r), r->metrics.peak_tflops);
          double v = opt->y == PLOT_Y_TFLOPS ? roof : roof / r->metrics.peak_tflops * 100;
          double px = plot_frame_x_px (&f, plot_axis_value (&r->config, f.x_axis));
          roof_visible |= roof < r->metrics.peak_tflops * 0.999;
          if (k == 0)
            cairo_move_to (cr, px, plot_frame_y_px (&f, v));
          else
            cairo_line_to (cr, px, plot_frame_y_px (&f, v));
        }
      cairo_stroke (cr);
    }
  cairo_set_dash (cr, NULL, 0, 0);

  /* the series: lines, then markers on top */
  cairo_set_line_width (cr, 2);
  for (guint s = 0; s < series->len; s++)
    {
      GArray *idx = g_ptr_array_index (series, s);
      plot_set_series_style (cr, s);
      for (guint k = 0; k < idx->len; k++)
        {
          const SweepResult *r
              = &g_array_index (results, SweepResult, g_array_index (idx, guint, k));
          double px = plot_frame_x_px (&f, plot_axis_value (&r->config, f.x_axis));
          double py = plot_frame_y_px (&f, plot_y_value (r, opt->y));
          if (k == 0)
            cairo_move_to (cr, px, py);
          else
            cairo_line_to (cr, px, py);
        }
      cairo_stroke (cr);
      cairo_set_dash (cr, NULL, 0, 0);
      for (guint k = 0; k < idx->len; k++)
        {
          const SweepResult *r
              = &g_array_index (results, SweepResult, g_array_index (idx, guint, k));
          plot_draw_marker (cr, s, plot_frame_x_px (&f, plot_axis_value (&r->config, f.x_axis)),
                            plot_frame_y_px (&f, plot_y_value (r, opt->y)), MARKER_RADIUS + 0.5);
        }
    }
  cairo_restore (cr);

  g_autofree LegendEntry *entries = g_new0 (LegendEntry, series->len + 2);
  for (guint s = 0; s < series->len; s++)
    entries[s] = (LegendEntry){ g_ptr_array_index (labels, s), (int) s, TRUE, FALSE };
  entries[series->len] = (LegendEntry){ "Cube peak (ceiling)", -1, FALSE, FALSE };
  entries[series->len + 1]
      = (LegendEntry){ roof_visible ? "memory roof (KV once)" : "memory roof: above the peak", -2,
                       FALSE, FALSE };
  plot_draw_legend (cr, &f, entries, series->len + 2);

  tl_set_font (cr, TRUE, TITLE_SIZE);
  plot_set_ink (cr, INK_TEXT);
  g_autofree char *title = opt->title != NULL
                               ? g_strdup (opt->title)
                               : fixed_axes_title (results, "AMLA MLA decode", f.x_axis);
  plot_draw_text_ellipsized (cr, f.left, 24, title, 0.0, 0.0, width - f.left - 8);
  cairo_restore (cr);
  return TRUE;
}
