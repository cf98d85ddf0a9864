/* src/render/timeline-flows.c — flag arrows between lanes: where each is drawn, which one is
 * under the pointer, and drawing them in one stroke per flag colour (see timeline.h). */
#include "src/render/render-private.h"

#include <math.h>
#include <string.h>

/* ---------------------------------------------------------------- flows */

typedef struct
{
  double y_mid;
  gboolean visible;
} LanePos;

/* Where a flow is drawn: p = { xs, ys, xd, yd, dx } (a cubic from source to destination with
 * horizontal tangents of length dx); FALSE when it is off screen or an end is not drawn. */
static gboolean
flow_geometry (const TlView *view, const SimTrace *trace, const SimFlow *fl, const guint *base,
               const LanePos *pos, const double *header_mid, double p[5])
{
  guint ng = trace->groups->len;
  const TlTimeMap *m = &view->map;
  if (fl->src_group >= ng || fl->dst_group >= ng)
    return FALSE;
  if (MAX (fl->src_ns, fl->dst_ns) < m->t0_ns || MIN (fl->src_ns, fl->dst_ns) > m->t1_ns)
    return FALSE;
  double ys, yd;
  if (fl->src_lane < base[fl->src_group + 1] - base[fl->src_group]
      && pos[base[fl->src_group] + fl->src_lane].visible)
    ys = pos[base[fl->src_group] + fl->src_lane].y_mid;
  else
    ys = header_mid[fl->src_group];
  if (fl->dst_lane < base[fl->dst_group + 1] - base[fl->dst_group]
      && pos[base[fl->dst_group] + fl->dst_lane].visible)
    yd = pos[base[fl->dst_group] + fl->dst_lane].y_mid;
  else
    yd = header_mid[fl->dst_group];
  if (ys < 0 || yd < 0)
    return FALSE;
  p[0] = tl_time_to_x (m, fl->src_ns);
  p[1] = ys;
  p[2] = tl_time_to_x (m, fl->dst_ns);
  p[3] = yd;
  p[4] = MAX (12.0, fabs (p[2] - p[0]) / 2);
  return TRUE;
}

/* Lane centres and collapsed-group header centres for the flows: base[g] = first flat lane. */
static void
flow_positions (const TlView *view, const SimTrace *trace, GArray *rows, guint **base_out,
                LanePos **pos_out, double **header_out)
{
  guint ng = trace->groups->len;
  guint *base = g_new0 (guint, ng + 1);
  for (guint g = 0; g < ng; g++)
    base[g + 1] = base[g] + ((SimGroup *) g_ptr_array_index (trace->groups, g))->lanes->len;
  LanePos *pos = g_new0 (LanePos, base[ng] ? base[ng] : 1);
  double *header_mid = g_new (double, MAX (ng, 1));
  for (guint g = 0; g < ng; g++)
    header_mid[g] = -1;
  for (guint i = 0; i < rows->len; i++)
    {
      const Row *r = &g_array_index (rows, Row, i);
      if (r->kind == ROW_LANE && !pos[base[r->group] + r->lane].visible)
        pos[base[r->group] + r->lane] = (LanePos){ r->y + view->lane_height_px / 2, TRUE };
      else if (r->kind == ROW_HEADER)
        header_mid[r->group] = r->y + r->h / 2;
    }
  *base_out = base;
  *pos_out = pos;
  *header_out = header_mid;
}

gboolean
tl_render_flow_at (const TlView *view, const SimTrace *trace, double x, double y, guint *flow)
{
  if (!view->show_flows || trace->flows->len == 0 || x < view->map.x0_px
      || y < view->ruler_height_px)
    return FALSE;
  g_autoptr (GArray) rows = _tl_layout_rows (view, trace);
  guint *base;
  LanePos *pos;
  double *header_mid;
  flow_positions (view, trace, rows, &base, &pos, &header_mid);
  double best = 4.0 * 4.0; /* within 4 px */
  gboolean found = FALSE;
  for (guint i = 0; i < trace->flows->len; i++)
    {
      double p[5];
      const SimFlow *fl = &g_array_index (trace->flows, SimFlow, i);
      if (!flow_geometry (view, trace, fl, base, pos, header_mid, p))
        continue;
      if (x < MIN (p[0], p[2]) - 6 || x > MAX (p[0], p[2]) + 6 || y < MIN (p[1], p[3]) - 6
          || y > MAX (p[1], p[3]) + 6)
        continue;
      /* the cubic sampled at 32 points */
      for (int k = 0; k <= 32; k++)
        {
          double t = k / 32.0, u = 1 - t;
          double bx = u * u * u * p[0] + 3 * u * u * t * (p[0] + p[4])
                      + 3 * u * t * t * (p[2] - p[4]) + t * t * t * p[2];
          double by
              = u * u * u * p[1] + 3 * u * u * t * p[1] + 3 * u * t * t * p[3] + t * t * t * p[3];
          double d = (bx - x) * (bx - x) + (by - y) * (by - y);
          if (d < best)
            {
              best = d;
              *flow = i;
              found = TRUE;
            }
        }
    }
  g_free (base);
  g_free (pos);
  g_free (header_mid);
  return found;
}

void
_tl_draw_flows (cairo_t *cr, const TlView *view, const SimTrace *trace, GArray *rows)
{
  guint ng = trace->groups->len;
  if (trace->flows->len == 0 || ng == 0)
    return;
  guint *base;
  LanePos *pos;
  double *header_mid;
  flow_positions (view, trace, rows, &base, &pos, &header_mid);
  double head = MAX (4.0, view->lane_height_px * 0.3);
  /* one stroke and one fill per flag colour; the selected flow last, on top */
  int n_colors = tl_flow_palette_size ();
  GArray *paths = g_array_new (FALSE, FALSE, sizeof (double) * 6); /* xs ys xd yd dx color */
  for (guint i = 0; i < trace->flows->len; i++)
    {
      const SimFlow *fl = &g_array_index (trace->flows, SimFlow, i);
      double p[6];
      if (!flow_geometry (view, trace, fl, base, pos, header_mid, p))
        continue;
      p[5] = (int) i == view->sel_flow ? -1 : tl_flow_color_index (trace, fl);
      g_array_append_vals (paths, p, 1);
    }
  gboolean dim = view->sel_flow >= 0;
  for (int pass = 0; pass <= n_colors; pass++)
    {
      int c = pass == n_colors ? -1 : pass;
      double rgb[3], alpha = dim ? 0.35 : 0.9, width = 1.3;
      if (c < 0)
        {
          double sel[4];
          tl_theme_color (view->theme, TL_COLOR_SELECTION, sel);
          memcpy (rgb, sel, sizeof rgb);
          alpha = 1, width = 2.5;
        }
      else
        tl_flow_palette_color (c, view->theme, rgb);
      gboolean any = FALSE;
      for (guint k = 0; k < paths->len; k++)
        {
          const double *p = &g_array_index (paths, double, k * 6);
          if ((int) p[5] != c)
            continue;
          cairo_move_to (cr, p[0], p[1]);
          cairo_curve_to (cr, p[0] + p[4], p[1], p[2] - p[4], p[3], p[2], p[3]);
          any = TRUE;
        }
      if (!any)
        continue;
      cairo_set_source_rgba (cr, rgb[0], rgb[1], rgb[2], alpha);
      cairo_set_line_width (cr, width);
      cairo_stroke (cr);
      for (guint k = 0; k < paths->len; k++)
        {
          const double *p = &g_array_index (paths, double, k * 6);
          if ((int) p[5] != c)
            continue;
          cairo_move_to (cr, p[2], p[3]);
          cairo_line_to (cr, p[2] - head, p[3] - head / 2);
          cairo_line_to (cr, p[2] - head, p[3] + head / 2);
          cairo_close_path (cr);
        }
      cairo_fill (cr);
    }
  g_array_unref (paths);
  g_free (header_mid);
  g_free (pos);
  g_free (base);
}
