/* src/render/timeline-overlays.c — what is drawn over the lanes: the measured range and its
 * duration tag, markers, the selected span's outline (see timeline.h). */
#include "src/render/render-private.h"

#include <math.h>
#include <string.h>

void
_tl_draw_range (cairo_t *cr, const TlView *view, double top, double bottom)
{
  const TlTimeMap *m = &view->map;
  double a = MIN (view->range_t0_ns, view->range_t1_ns);
  double b = MAX (view->range_t0_ns, view->range_t1_ns);
  if (!(b > a))
    return;
  double xa = tl_time_to_x (m, a), xb = tl_time_to_x (m, b);
  double rgba[4], fg[4];
  tl_theme_color (view->theme, TL_COLOR_RANGE, rgba);
  tl_theme_color (view->theme, TL_COLOR_TEXT, fg);
  double cx0 = MAX (xa, m->x0_px), cx1 = MIN (xb, m->x0_px + m->width_px);
  if (cx1 > cx0)
    {
      cairo_set_source_rgba (cr, rgba[0], rgba[1], rgba[2], rgba[3]);
      cairo_rectangle (cr, cx0, top, cx1 - cx0, bottom - top);
      cairo_fill (cr);
    }
  cairo_set_source_rgba (cr, rgba[0], rgba[1], rgba[2], 0.9);
  cairo_set_line_width (cr, 1);
  for (int e = 0; e < 2; e++)
    {
      double x = floor (e ? xb : xa) + 0.5;
      if (x >= m->x0_px && x <= m->x0_px + m->width_px)
        {
          cairo_move_to (cr, x, top);
          cairo_line_to (cr, x, bottom);
        }
    }
  cairo_stroke (cr);
}

/* The measured duration, in a tag on the ruler between the range edges. */
void
_tl_draw_range_tag (cairo_t *cr, const TlView *view)
{
  const TlTimeMap *m = &view->map;
  double a = MIN (view->range_t0_ns, view->range_t1_ns);
  double b = MAX (view->range_t0_ns, view->range_t1_ns);
  if (!(b > a))
    return;
  char buf[64];
  tl_format_duration (b - a, buf, sizeof buf);
  double w = _tl_text_width (cr, buf, view->font_size, TRUE) + 10, h = view->font_size * 1.5;
  double xc
      = (MAX (tl_time_to_x (m, a), m->x0_px) + MIN (tl_time_to_x (m, b), m->x0_px + m->width_px))
        / 2;
  double x = CLAMP (xc - w / 2, m->x0_px, m->x0_px + m->width_px - w);
  double y = view->ruler_height_px - h - 1;
  double rgba[4], bg[4];
  tl_theme_color (view->theme, TL_COLOR_RANGE, rgba);
  tl_theme_color (view->theme, TL_COLOR_BACKGROUND, bg);
  cairo_set_source_rgba (cr, rgba[0], rgba[1], rgba[2], 1);
  cairo_rectangle (cr, x, y, w, h);
  cairo_fill (cr);
  _tl_draw_text (cr, view, buf, x + w / 2, y + h / 2 + view->font_size * 0.36, view->font_size,
                 TRUE, TL_TEXT_CENTER, (double[4]){ 1, 1, 1, 1 });
}

/* Markers: a translucent band (a line for an instant) across the lanes, and a tag with the
 * label at the top of the plot. */
void
_tl_draw_markers (cairo_t *cr, const TlView *view, double top, double bottom)
{
  const TlTimeMap *m = &view->map;
  double px0 = m->x0_px, px1 = m->x0_px + m->width_px;
  for (guint i = 0; i < view->n_markers; i++)
    {
      const TlMarker *mk = &view->markers[i];
      double xa = tl_time_to_x (m, mk->t0_ns), xb = tl_time_to_x (m, mk->t1_ns);
      if (xb < px0 - 1 || xa > px1 + 1)
        continue;
      gboolean current = (int) i == view->current_marker;
      double rgb[3];
      tl_marker_color (mk->color, view->theme, rgb);
      if (xb - xa >= 2)
        {
          cairo_set_source_rgba (cr, rgb[0], rgb[1], rgb[2], current ? 0.22 : 0.14);
          cairo_rectangle (cr, MAX (xa, px0), top, MIN (xb, px1) - MAX (xa, px0), bottom - top);
          cairo_fill (cr);
        }
      cairo_set_source_rgba (cr, rgb[0], rgb[1], rgb[2], 0.95);
      cairo_set_line_width (cr, current ? 2 : 1.5);
      cairo_move_to (cr, round (xa) + 0.5, top);
      cairo_line_to (cr, round (xa) + 0.5, bottom);
      if (xb - xa >= 2)
        {
          cairo_move_to (cr, round (xb) - 0.5, top);
          cairo_line_to (cr, round (xb) - 0.5, bottom);
        }
      cairo_stroke (cr);
      if (mk->label == NULL || mk->label[0] == '\0')
        continue;
      double fs = view->font_size * 0.9;
      double max_w = MAX (40.0, MIN (240.0, px1 - px0 - 4));
      double w = _tl_fit_width (cr, view, mk->label, max_w, fs, current) + 8, h = fs * 1.45;
      if (w < 8)
        continue;
      double x = CLAMP (xa, px0, px1 - w);
      double y = top + 1;
      cairo_set_source_rgb (cr, rgb[0], rgb[1], rgb[2]);
      cairo_rectangle (cr, x, y, w, h);
      cairo_fill (cr);
      double fg[4] = { 0, 0, 0, 0.9 };
      if (_tl_luminance (rgb) < 0.5)
        fg[0] = fg[1] = fg[2] = 1, fg[3] = 1;
      _tl_draw_text_fit (cr, view, mk->label, max_w, x + 4, y + h / 2 + fs * 0.36, fs, current,
                         TL_TEXT_LEFT, fg);
    }
}

void
_tl_draw_selection (cairo_t *cr, const TlView *view, const SimTrace *trace, GArray *rows)
{
  if (view->sel_group < 0 || view->sel_lane < 0)
    return;
  const SimLane *lane = sim_trace_lane (trace, (guint) view->sel_group, (guint) view->sel_lane);
  if (lane == NULL || view->sel_span >= lane->n_spans)
    return;
  for (guint i = 0; i < rows->len; i++)
    {
      const Row *r = &g_array_index (rows, Row, i);
      if (r->kind != ROW_LANE || r->group != view->sel_group || r->lane != view->sel_lane)
        continue;
      const SimSpan *s = &lane->spans[view->sel_span];
      double x0 = tl_time_to_x (&view->map, s->start_ns);
      double x1 = tl_time_to_x (&view->map, s->start_ns + s->dur_ns);
      if (x1 - x0 < 3)
        x0 = (x0 + x1) / 2 - 1.5, x1 = x0 + 3;
      double h = view->lane_height_px;
      double y = r->y + MIN ((int) s->depth, TL_MAX_DEPTH_ROWS - 1) * h;
      double rgba[4];
      tl_theme_color (view->theme, TL_COLOR_SELECTION, rgba);
      cairo_set_source_rgba (cr, rgba[0], rgba[1], rgba[2], rgba[3]);
      cairo_set_line_width (cr, 2);
      cairo_rectangle (cr, x0 + 1, y + 1, MAX (1.0, x1 - x0 - 2),
                       h - 2); /* inside: never clipped */
      cairo_stroke (cr);
    }
}
