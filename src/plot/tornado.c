/* src/plot/tornado.c — the tornado chart of a sensitivity report (see tornado.h). */
#include "src/plot/tornado.h"
#include "src/plot/plot-private.h"

#include <math.h>
#include <string.h>

#define MARGIN 14.0
#define TITLE_Y 24.0
#define SUBTITLE_Y 44.0
#define LEGEND_Y 68.0
#define PANEL_TITLE_Y 96.0
#define ROWS_TOP 108.0
#define ROW_HEIGHT 38.0
#define BAR_HEIGHT 13.0  /* each of the two bars of a row */
#define AXIS_BOTTOM 64.0 /* tick labels, axis label and the footnote under the rows */
#define PANEL_GAP 28.0
#define MIN_PANEL_W 220.0
#define VALUE_FONT 10.5

void
tornado_bar_color (gboolean high, double rgb[3])
{
  /* the sweep plot's first two series colours: blue for low, orange for high */
  plot_series_color (high ? 1 : 0, rgb);
}

double
tornado_frame_x_px (const TornadoFrame *f, guint panel, double util_percent)
{
  double t = (util_percent - f->x_min) / (f->x_max - f->x_min);
  return f->panel_left[panel] + t * (f->panel_right[panel] - f->panel_left[panel]);
}

double
tornado_frame_bar_y (const TornadoFrame *f, guint row, gboolean high)
{
  double centre = f->top + (row + 0.5) * f->row_height;
  return centre + (high ? 0.5 : -0.5) * (BAR_HEIGHT + 1);
}

int
tornado_natural_height (const SensitivityReport *report)
{
  return (int) ceil (ROWS_TOP + MAX (report->rows->len, 1) * ROW_HEIGHT + AXIS_BOTTOM + 8);
}

static gboolean
side_usable (const SensitivityReport *report, int side)
{
  return side == 0 || report->other_error == NULL;
}

static char *
range_text (const SensitivityRow *row)
{
  g_autofree char *lo = sensitivity_format_value (row->low);
  g_autofree char *hi = sensitivity_format_value (row->high);
  g_autofree char *base = sensitivity_format_value (row->base);
  g_autofree char *unit
      = row->unit != NULL && row->unit[0] ? g_strdup_printf (" %s", row->unit) : g_strdup ("");
  if (row->rule == SENSITIVITY_RULE_SKIPPED)
    return g_strdup_printf ("%s%s%s", base, unit, row->what_if ? " (what-if)" : "");
  const char *clamped = row->low_clamped && row->high_clamped ? "; both ends clamped"
                        : row->low_clamped                    ? "; ×0.5 clamped"
                        : row->high_clamped                   ? "; ×2 clamped"
                                                              : "";
  const char *rule = row->rule == SENSITIVITY_RULE_SWITCH      ? "; a switch"
                     : row->rule == SENSITIVITY_RULE_FROM_ZERO ? "; 0 → preset"
                                                               : "";
  return g_strdup_printf ("%s … %s%s (base %s%s%s%s)", lo, hi, unit, base, clamped, rule,
                          row->what_if ? "; what-if" : "");
}

/* Width of the field-name column: the widest name or range line. */
static double
label_width (const SensitivityReport *report)
{
  cairo_t *cr = plot_scratch_context ();
  double w = 120;
  for (guint i = 0; i < report->rows->len; i++)
    {
      const SensitivityRow *row = &g_array_index (report->rows, SensitivityRow, i);
      tl_set_font (cr, TRUE, PLOT_FONT_SIZE);
      w = MAX (w, plot_text_width (cr, row->key));
      g_autofree char *range = range_text (row);
      tl_set_font (cr, FALSE, VALUE_FONT);
      w = MAX (w, plot_text_width (cr, range));
    }
  cairo_destroy (cr);
  return w + 16;
}

gboolean
tornado_layout (const SensitivityReport *report, double width, double height, TornadoFrame *f,
                GError **error)
{
  memset (f, 0, sizeof *f);
  f->n_rows = report->rows->len;
  f->label_left = MARGIN;
  f->top = ROWS_TOP;
  f->row_height = ROW_HEIGHT;
  double label_w = MIN (label_width (report), width * 0.45);
  double bars_w = width - MARGIN - label_w - MARGIN;
  f->n_panels = side_usable (report, 1) && bars_w >= 2 * MIN_PANEL_W + PANEL_GAP ? 2 : 1;
  double panel_w = (bars_w - (f->n_panels - 1) * PANEL_GAP) / f->n_panels;
  for (guint p = 0; p < f->n_panels; p++)
    {
      /* room for the value labels at both ends of the bars */
      f->panel_left[p] = MARGIN + label_w + p * (panel_w + PANEL_GAP) + 8;
      f->panel_right[p] = f->panel_left[p] + panel_w - 16;
    }
  if (f->n_rows == 0)
    {
      g_set_error (error, PLOT_ERROR, PLOT_ERROR_INVALID,
                   "the preset has no assumed fields: nothing to vary");
      return FALSE;
    }
  if (panel_w < 120 || f->top + f->n_rows * ROW_HEIGHT + AXIS_BOTTOM > height)
    {
      g_set_error (error, PLOT_ERROR, PLOT_ERROR_INVALID,
                   "a %gx%g image is too small for the tornado of %u fields (it needs about "
                   "%.0fx%d)",
                   width, height, f->n_rows, MARGIN * 2 + label_w + 2 * MIN_PANEL_W + PANEL_GAP,
                   tornado_natural_height (report));
      return FALSE;
    }
  /* one x scale for both panels, so bar lengths compare across them */
  double lo = G_MAXDOUBLE, hi = -G_MAXDOUBLE;
  for (guint s = 0; s < f->n_panels; s++)
    {
      lo = MIN (lo, report->base_util[s] * 100);
      hi = MAX (hi, report->base_util[s] * 100);
      for (guint i = 0; i < report->rows->len; i++)
        {
          const SensitivityRow *row = &g_array_index (report->rows, SensitivityRow, i);
          if (row->rule == SENSITIVITY_RULE_SKIPPED)
            continue;
          const SensitivitySide *side = &row->side[s];
          if (side->error_low == NULL)
            lo = MIN (lo, side->util_low * 100), hi = MAX (hi, side->util_low * 100);
          if (side->error_high == NULL)
            lo = MIN (lo, side->util_high * 100), hi = MAX (hi, side->util_high * 100);
        }
    }
  /* at least one point of utilisation across, so a tiny swing is not blown up to full width */
  double span = MAX (hi - lo, 1.0);
  double mid = (lo + hi) / 2;
  f->x_min = MAX (0.0, mid - span * 0.6);
  f->x_max = f->x_min + span * 1.2;
  return TRUE;
}

static void
set_rgb (cairo_t *cr, const double rgb[3])
{
  cairo_set_source_rgb (cr, rgb[0], rgb[1], rgb[2]);
}

/* One bar from the base to util (percent), with the value written beyond its end. */
static void
draw_bar (cairo_t *cr, const TornadoFrame *f, guint panel, guint row, gboolean high, double base,
          double util)
{
  double rgb[3];
  tornado_bar_color (high, rgb);
  double x0 = tornado_frame_x_px (f, panel, base), x1 = tornado_frame_x_px (f, panel, util);
  double yc = tornado_frame_bar_y (f, row, high);
  set_rgb (cr, rgb);
  /* at least a hairline, so "moved a little" differs from "did not move" */
  double w = fabs (x1 - x0);
  if (w > 0 && w < 1.5)
    w = 1.5;
  cairo_rectangle (cr, x1 < x0 ? x0 - w : x0, yc - BAR_HEIGHT / 2, w, BAR_HEIGHT);
  cairo_fill (cr);
  if (util == base)
    return;
  char text[32];
  g_snprintf (text, sizeof text, "%.1f", util);
  tl_set_font (cr, FALSE, VALUE_FONT);
  cairo_set_source_rgb (cr, 0.25, 0.25, 0.25);
  if (x1 < x0)
    plot_draw_text (cr, MIN (x0 - w, x1) - 3, yc, text, 1.0, 0.4);
  else
    plot_draw_text (cr, MAX (x0 + w, x1) + 3, yc, text, 0.0, 0.4);
}

/* A row's bars in one panel, or why there are none. */
static void
draw_row (cairo_t *cr, const TornadoFrame *f, const SensitivityReport *report, guint panel, guint i)
{
  const SensitivityRow *row = &g_array_index (report->rows, SensitivityRow, i);
  const SensitivitySide *side = &row->side[panel];
  double base = report->base_util[panel] * 100;
  /* a note goes on the roomier side of the base line */
  double base_x = tornado_frame_x_px (f, panel, base);
  gboolean note_left = base_x > (f->panel_left[panel] + f->panel_right[panel]) / 2;
  double text_x = base_x + (note_left ? -6 : 6), align = note_left ? 1.0 : 0.0;
  double yc = f->top + (i + 0.5) * f->row_height;
  tl_set_font (cr, FALSE, VALUE_FONT);
  if (row->rule == SENSITIVITY_RULE_SKIPPED)
    {
      cairo_set_source_rgb (cr, 0.45, 0.45, 0.45);
      cairo_save (cr);
      cairo_rectangle (cr, f->panel_left[panel], yc - f->row_height / 2,
                       f->panel_right[panel] - f->panel_left[panel], f->row_height);
      cairo_clip (cr);
      g_autofree char *why = g_strdup_printf ("not varied: %s", row->note ? row->note : "");
      plot_draw_text (cr, f->panel_left[panel] + 4, yc, why, 0.0, 0.4);
      cairo_restore (cr);
      return;
    }
  if (side->error_low == NULL)
    draw_bar (cr, f, panel, i, FALSE, base, side->util_low * 100);
  if (side->error_high == NULL)
    draw_bar (cr, f, panel, i, TRUE, base, side->util_high * 100);
  tl_set_font (cr, FALSE, VALUE_FONT);
  if (side->error_low != NULL || side->error_high != NULL)
    {
      cairo_set_source_rgb (cr, 0.75, 0.11, 0.16);
      plot_draw_text (cr, text_x, yc, "a run failed (see the table)", align, 0.4);
    }
  else if (side->swing == 0)
    {
      cairo_set_source_rgb (cr, 0.45, 0.45, 0.45);
      plot_draw_text (cr, text_x, yc, "no effect", align, 0.4);
    }
}

static void
draw_panel (cairo_t *cr, const TornadoFrame *f, const SensitivityReport *report, guint panel)
{
  double bottom = f->top + f->n_rows * f->row_height;
  PlotFrame axes = { 0 };
  axes.x_min = f->x_min;
  axes.x_max = f->x_max;
  axes.y_min = 0;
  axes.y_max = 1;
  axes.left = f->panel_left[panel];
  axes.right = f->panel_right[panel];
  axes.top = f->top;
  axes.bottom = bottom;
  g_autoptr (GArray) x_ticks = plot_linear_ticks (f->x_min, f->x_max, 5);
  g_autoptr (GArray) y_ticks = g_array_new (FALSE, FALSE, sizeof (double));
  plot_draw_axes (cr, &axes, x_ticks, y_ticks, "Cube utilisation (% of peak)", "", "");

  /* the panel's title: which rescale, and its base */
  AmlaRescale r = report->rescale[panel];
  char title[160];
  g_snprintf (title, sizeof title, "%s%s — base %.1f %%",
              r == AMLA_RESCALE_AMLA ? "AMLA integer add" : "FP multiply",
              panel == 0 ? " (this run)" : " (the other)", report->base_util[panel] * 100);
  tl_set_font (cr, TRUE, PLOT_FONT_SIZE);
  cairo_set_source_rgb (cr, 0.1, 0.1, 0.1);
  plot_draw_text (cr, (axes.left + axes.right) / 2, PANEL_TITLE_Y, title, 0.5, 0.0);

  /* row separators, then the bars */
  cairo_set_line_width (cr, 1);
  cairo_set_source_rgb (cr, 0.93, 0.93, 0.93);
  for (guint i = 1; i < f->n_rows; i++)
    {
      double y = round (f->top + i * f->row_height) + 0.5;
      cairo_move_to (cr, axes.left, y);
      cairo_line_to (cr, axes.right, y);
      cairo_stroke (cr);
    }
  for (guint i = 0; i < f->n_rows; i++)
    draw_row (cr, f, report, panel, i);

  /* the base: a dashed line through every row that was varied (a skipped row's note is not
   * crossed out) */
  static const double dash[] = { 4, 3 };
  double bx = round (tornado_frame_x_px (f, panel, report->base_util[panel] * 100)) + 0.5;
  cairo_set_source_rgb (cr, 0.1, 0.1, 0.1);
  cairo_set_line_width (cr, 1.2);
  cairo_set_dash (cr, dash, 2, 0);
  for (guint i = 0; i < f->n_rows; i++)
    if (g_array_index (report->rows, SensitivityRow, i).rule != SENSITIVITY_RULE_SKIPPED)
      {
        cairo_move_to (cr, bx, f->top + i * f->row_height);
        cairo_line_to (cr, bx, f->top + (i + 1) * f->row_height);
      }
  cairo_stroke (cr);
  cairo_set_dash (cr, NULL, 0, 0);
}

static void
draw_legend (cairo_t *cr, double x)
{
  static const char *const labels[]
      = { "field at its low value (×0.5)", "field at its high value (×2)" };
  tl_set_font (cr, FALSE, PLOT_FONT_SIZE);
  for (int high = 0; high < 2; high++)
    {
      double rgb[3];
      tornado_bar_color (high, rgb);
      set_rgb (cr, rgb);
      cairo_rectangle (cr, x, LEGEND_Y - 10, 22, BAR_HEIGHT);
      cairo_fill (cr);
      cairo_set_source_rgb (cr, 0.1, 0.1, 0.1);
      plot_draw_text (cr, x + 28, LEGEND_Y, labels[high], 0.0, 0.0);
      x += 28 + plot_text_width (cr, labels[high]) + 24;
    }
  static const double dash[] = { 4, 3 };
  cairo_set_line_width (cr, 1.2);
  cairo_set_dash (cr, dash, 2, 0);
  cairo_move_to (cr, x + 11.5, LEGEND_Y - 12);
  cairo_line_to (cr, x + 11.5, LEGEND_Y + 4);
  cairo_stroke (cr);
  cairo_set_dash (cr, NULL, 0, 0);
  plot_draw_text (cr, x + 22, LEGEND_Y, "base (the configuration as it is)", 0.0, 0.0);
}

gboolean
tornado_draw (cairo_t *cr, double width, double height, const SensitivityReport *report,
              TornadoFrame *frame_out, GError **error)
{
  TornadoFrame f;
  if (!tornado_layout (report, width, height, &f, error))
    return FALSE;
  if (frame_out != NULL)
    *frame_out = f;
  cairo_save (cr);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);

  tl_set_font (cr, TRUE, PLOT_TITLE_SIZE);
  cairo_set_source_rgb (cr, 0.1, 0.1, 0.1);
  plot_draw_text_ellipsized (
      cr, MARGIN, TITLE_Y,
      "What drives this number? Cube utilisation as each assumed preset value moves", 0.0, 0.0,
      width - 2 * MARGIN);
  g_autofree char *desc = amla_config_describe (&report->config);
  tl_set_font (cr, FALSE, PLOT_FONT_SIZE - 1);
  cairo_set_source_rgb (cr, 0.3, 0.3, 0.3);
  plot_draw_text_ellipsized (cr, MARGIN, SUBTITLE_Y, desc, 0.0, 0.0, width - 2 * MARGIN);
  draw_legend (cr, MARGIN);

  /* the field-name column: name, then its low … high values */
  for (guint i = 0; i < f.n_rows; i++)
    {
      const SensitivityRow *row = &g_array_index (report->rows, SensitivityRow, i);
      double yc = f.top + (i + 0.5) * f.row_height;
      tl_set_font (cr, TRUE, PLOT_FONT_SIZE);
      cairo_set_source_rgb (cr, 0.1, 0.1, 0.1);
      plot_draw_text (cr, f.label_left, yc - 3, row->key, 0.0, 0.0);
      g_autofree char *range = range_text (row);
      tl_set_font (cr, FALSE, VALUE_FONT);
      cairo_set_source_rgb (cr, 0.35, 0.35, 0.35);
      plot_draw_text (cr, f.label_left, yc + 11, range, 0.0, 0.0);
    }
  for (guint p = 0; p < f.n_panels; p++)
    draw_panel (cr, &f, report, p);

  tl_set_font (cr, FALSE, VALUE_FONT);
  cairo_set_source_rgb (cr, 0.4, 0.4, 0.4);
  plot_draw_text (cr, MARGIN, height - 8,
                  "Rows sorted by swing. Low/high: ×0.5 / ×2 of the value, clamped to its allowed "
                  "range; a switch takes its other values (amlasim sensitivity --help).",
                  0.0, 0.0);
  cairo_restore (cr);
  return TRUE;
}

static gboolean
draw_for_file (cairo_t *cr, int width, int height, gpointer data, GError **error)
{
  return tornado_draw (cr, width, height, data, NULL, error);
}

gboolean
tornado_write_file (const char *path, const SensitivityReport *report, int width, int height,
                    GError **error)
{
  TornadoFrame f;
  if (!tornado_layout (report, width, height, &f, error)) /* before touching the file system */
    return FALSE;
  return plot_write_image (path, width, height, draw_for_file, (gpointer) report, error);
}
