/* src/plot/plot-axes.c — what every plot of src/plot draws around its data: the frame's value ↔
 * pixel mapping, fonts and text, linear and log ticks, the legend's place and drawing, the axes. */
#include "src/plot/plot-private.h"

#include <math.h>
#include <pango/pangocairo.h>
#include <string.h>

double
plot_frame_x_px (const PlotFrame *f, double x)
{
  double t = f->x_log ? (log (x) - log (f->x_min)) / (log (f->x_max) - log (f->x_min))
                      : (x - f->x_min) / (f->x_max - f->x_min);
  return f->left + t * (f->right - f->left);
}

double
plot_frame_y_px (const PlotFrame *f, double y)
{
  double t = f->y_log ? (log (y) - log (f->y_min)) / (log (f->y_max) - log (f->y_min))
                      : (y - f->y_min) / (f->y_max - f->y_min);
  return f->bottom - t * (f->bottom - f->top);
}

int
plot_cmp_double (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

cairo_t *
plot_scratch_context (void)
{
  cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 1, 1);
  cairo_t *cr = cairo_create (s);
  cairo_surface_destroy (s);
  return cr;
}

/* Text goes through Pango (any script, shaping, fallback fonts, ellipsizing).  The font stays
 * in cairo's graphics state (tl_set_font selects it there), so cairo_save/cairo_restore keep
 * and restore it exactly as they did when the text was cairo's own. */
static PangoLayout *
text_layout (cairo_t *cr, const char *s, double max_width)
{
  cairo_font_face_t *face = cairo_get_font_face (cr);
  const char *family = cairo_font_face_get_type (face) == CAIRO_FONT_TYPE_TOY
                           ? cairo_toy_font_face_get_family (face)
                           : NULL;
  gboolean bold = cairo_font_face_get_type (face) == CAIRO_FONT_TYPE_TOY
                  && cairo_toy_font_face_get_weight (face) == CAIRO_FONT_WEIGHT_BOLD;
  cairo_matrix_t m;
  cairo_get_font_matrix (cr, &m);
  PangoFontDescription *desc = pango_font_description_new ();
  pango_font_description_set_family (desc, family && *family ? family : "sans-serif");
  pango_font_description_set_weight (desc, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  pango_font_description_set_absolute_size (desc, m.yy * PANGO_SCALE);
  PangoLayout *layout = pango_cairo_create_layout (cr);
  pango_layout_set_font_description (layout, desc);
  pango_font_description_free (desc);
  pango_layout_set_text (layout, s, -1);
  if (max_width > 0)
    {
      pango_layout_set_width (layout, (int) (max_width * PANGO_SCALE));
      pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
    }
  return layout;
}

double
plot_text_width (cairo_t *cr, const char *s)
{
  PangoLayout *layout = text_layout (cr, s, 0);
  PangoRectangle logical;
  pango_layout_get_extents (layout, NULL, &logical);
  g_object_unref (layout);
  return (double) logical.width / PANGO_SCALE;
}

double
plot_legend_width (GPtrArray *labels, const char *const *extra)
{
  cairo_t *cr = plot_scratch_context ();
  tl_set_font (cr, FALSE, FONT_SIZE);
  double w = 0;
  for (guint i = 0; i < labels->len; i++)
    w = MAX (w, plot_text_width (cr, g_ptr_array_index (labels, i)));
  for (; extra != NULL && *extra != NULL; extra++)
    w = MAX (w, plot_text_width (cr, *extra));
  cairo_destroy (cr);
  return w + 30 + 2 * LEGEND_PAD;
}

#define LEGEND_ROW 18.0

/* Place the plot area and its legend (legend_w wide per entry, n entries).  axis_gap: room
 * right of the plot (a secondary axis); legend_offset: from the plot's right edge to a legend on
 * the right.  The legend goes right of the plot unless that leaves a plot taller than wide and
 * two or more legend columns fit below it. */
void
plot_place_legend (PlotFrame *f, double width, double height, double legend_w, guint n,
                   double axis_gap, double legend_offset)
{
  f->left = MARGIN_LEFT;
  f->top = MARGIN_TOP;
  f->right = width - legend_w - axis_gap;
  f->bottom = height - MARGIN_BOTTOM;
  f->legend_below = FALSE;
  f->legend_cols = 1;
  f->legend_col_w = legend_w;
  f->legend_x = f->right + legend_offset;
  f->legend_y = f->top + LEGEND_PAD;
  double right_w = f->right - f->left, right_h = f->bottom - f->top;
  guint cols = (guint) CLAMP ((width - LEGEND_PAD) / legend_w, 1, 3);
  guint rows = (n + cols - 1) / cols;
  double below_h = right_h - rows * LEGEND_ROW - LEGEND_PAD;
  if (right_w < right_h && cols >= 2 && below_h >= 0.5 * right_h)
    {
      f->legend_below = TRUE;
      f->legend_cols = cols;
      f->right = width - axis_gap;
      f->bottom = f->top + below_h;
      f->legend_x = LEGEND_PAD;
      f->legend_y = f->bottom + MARGIN_BOTTOM + LEGEND_PAD / 2;
    }
}

/* Nice linear ticks: 1, 2 or 5 × 10^k apart, about n of them. */
GArray *
plot_linear_ticks (double lo, double hi, int n)
{
  GArray *t = g_array_new (FALSE, FALSE, sizeof (double));
  double raw = (hi - lo) / MAX (n, 1);
  double mag = pow (10, floor (log10 (raw)));
  double step = raw / mag < 1.5   ? mag
                : raw / mag < 3.5 ? 2 * mag
                : raw / mag < 7.5 ? 5 * mag
                                  : 10 * mag;
  for (double v = ceil (lo / step - 1e-9) * step; v <= hi + step * 1e-9; v += step)
    {
      double r = fabs (v) < step * 1e-9 ? 0.0 : v;
      g_array_append_val (t, r);
    }
  return t;
}

/* Log ticks: decades, with 2 and 5 when the range spans less than three decades. */
GArray *
plot_log_ticks (double lo, double hi)
{
  GArray *t = g_array_new (FALSE, FALSE, sizeof (double));
  gboolean fine = log10 (hi / lo) < 3;
  for (int k = (int) floor (log10 (lo)); k <= (int) ceil (log10 (hi)); k++)
    for (int m = 1; m <= 5; m++)
      {
        if (m != 1 && !(fine && (m == 2 || m == 5)))
          continue;
        double v = m * pow (10, k);
        if (v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9))
          g_array_append_val (t, v);
      }
  return t;
}

void
plot_format_tick (char *buf, gsize len, double v)
{
  if (fabs (v) >= 1e6 || (fabs (v) < 1e-3 && v != 0))
    g_snprintf (buf, len, "%.0e", v);
  else
    g_snprintf (buf, len, "%g", v);
}

void
plot_draw_text_ellipsized (cairo_t *cr, double x, double y, const char *s, double align_x,
                           double align_y, double max_width)
{
  PangoLayout *layout = text_layout (cr, s, max_width);
  PangoRectangle ink, logical;
  pango_layout_get_extents (layout, &ink, &logical);
  double baseline = (double) pango_layout_get_baseline (layout) / PANGO_SCALE;
  /* the baseline at y + align_y × the ink's height; Pango draws from the layout's top left */
  cairo_move_to (cr, x - (double) logical.width / PANGO_SCALE * align_x,
                 y + (double) ink.height / PANGO_SCALE * align_y - baseline);
  pango_cairo_show_layout (cr, layout);
  g_object_unref (layout);
}

void
plot_draw_text (cairo_t *cr, double x, double y, const char *s, double align_x, double align_y)
{
  plot_draw_text_ellipsized (cr, x, y, s, align_x, align_y, 0);
}

void
plot_draw_axes (cairo_t *cr, const PlotFrame *f, GArray *x_ticks, GArray *y_ticks,
                const char *x_label, const char *y_label, const char *y_suffix)
{
  tl_set_font (cr, FALSE, FONT_SIZE - 1);
  cairo_set_line_width (cr, 1);
  for (guint i = 0; i < x_ticks->len; i++)
    {
      double v = g_array_index (x_ticks, double, i), px = round (plot_frame_x_px (f, v)) + 0.5;
      plot_set_ink (cr, INK_GRID);
      cairo_move_to (cr, px, f->top);
      cairo_line_to (cr, px, f->bottom);
      cairo_stroke (cr);
      char buf[32];
      plot_format_tick (buf, sizeof buf, v);
      plot_set_ink (cr, INK_TICK_TEXT);
      plot_draw_text (cr, px, f->bottom + 6, buf, 0.5, 1.0);
    }
  for (guint i = 0; i < y_ticks->len; i++)
    {
      double v = g_array_index (y_ticks, double, i), py = round (plot_frame_y_px (f, v)) + 0.5;
      plot_set_ink (cr, INK_GRID);
      cairo_move_to (cr, f->left, py);
      cairo_line_to (cr, f->right, py);
      cairo_stroke (cr);
      char buf[32], lab[40];
      plot_format_tick (buf, sizeof buf, v);
      g_snprintf (lab, sizeof lab, "%s%s", buf, y_suffix);
      plot_set_ink (cr, INK_TICK_TEXT);
      plot_draw_text (cr, f->left - 6, py, lab, 1.0, 0.5);
    }
  plot_set_ink (cr, INK_FRAME);
  cairo_rectangle (cr, f->left + 0.5, f->top + 0.5, f->right - f->left, f->bottom - f->top);
  cairo_stroke (cr);
  tl_set_font (cr, FALSE, FONT_SIZE);
  plot_set_ink (cr, INK_TEXT);
  plot_draw_text (cr, (f->left + f->right) / 2, f->bottom + 34, x_label, 0.5, 1.0);
  cairo_save (cr);
  cairo_translate (cr, f->left - 54, (f->top + f->bottom) / 2);
  cairo_rotate (cr, -G_PI / 2);
  plot_draw_text (cr, 0, 0, y_label, 0.5, 0.0);
  cairo_restore (cr);
}

void
plot_draw_legend (cairo_t *cr, const PlotFrame *f, const LegendEntry *entries, guint n)
{
  tl_set_font (cr, FALSE, FONT_SIZE);
  /* below the plot: filled column by column, all entries fit (place_legend made room) */
  guint per_col = f->legend_below ? (n + f->legend_cols - 1) / f->legend_cols : n;
  guint fits
      = f->legend_below ? n : (guint) MAX (1.0, (f->bottom - f->top - LEGEND_PAD) / LEGEND_ROW);
  for (guint i = 0; i < n; i++)
    {
      double x = f->legend_x + (f->legend_below ? (i / per_col) * f->legend_col_w : 0);
      double y = f->legend_y + (f->legend_below ? i % per_col : i) * LEGEND_ROW;
      if (n > fits && i == fits - 1)
        {
          /* more series than lines: say so rather than run off the image */
          char more[64];
          g_snprintf (more, sizeof more, "… and %u more", n - i);
          plot_set_ink (cr, INK_TEXT);
          plot_draw_text (cr, x + 30, y, more, 0.0, 0.4);
          break;
        }
      cairo_set_line_width (cr, entries[i].style >= 0 ? 2 : 1.5);
      if (entries[i].style >= 0)
        plot_set_series_style (cr, (guint) entries[i].style);
      else
        {
          static const double dash[] = { 5, 4 };
          plot_set_ink (cr, entries[i].style == -1 ? INK_REFERENCE : INK_ROOF);
          cairo_set_dash (cr, dash, entries[i].style == -1 ? 0 : 2, 0);
        }
      if (!entries[i].no_line)
        {
          cairo_move_to (cr, x, y);
          cairo_line_to (cr, x + 22, y);
          cairo_stroke (cr);
        }
      if (entries[i].marker)
        plot_draw_marker (cr, entries[i].style >= 0 ? (guint) entries[i].style : 0, x + 11, y,
                          MARKER_RADIUS + 0.5);
      cairo_set_dash (cr, NULL, 0, 0);
      plot_set_ink (cr, INK_TEXT);
      plot_draw_text (cr, x + 30, y, entries[i].label, 0.0, 0.4);
    }
}
