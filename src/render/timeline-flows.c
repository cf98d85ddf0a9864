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

/* A whole device pixel, clamped */
static inline gint64
pixel (double v)
{
  return isfinite (v) ? (gint64) floor (CLAMP (v, -1e12, 1e12) + 0.5) : 0;
}

/* a 64-bit mix (splitmix64's finaliser) */
static inline guint64
mix64 (guint64 x)
{
  x ^= x >> 30;
  x *= 0xBF58476D1CE4E5B9ull;
  x ^= x >> 27;
  x *= 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

/* paths: FLOW_PATH doubles each (xs ys xd yd dx colour sample index) */
#define FLOW_PATH 8

static inline double *
path_at (GArray *paths, guint k)
{
  return (double *) (void *) paths->data + (gsize) k * FLOW_PATH;
}

/* One arrow per colour and pair of end pixels, the first in flow order (the others draw the same
 * pixels to a fraction of one); the selected one (colour -1) always.  A set of 64-bit hashes (a
 * collision, about one in 2^40 here, leaves an arrow out). */
static void
one_per_pixels (GArray *paths)
{
  guint n = paths->len;
  gsize size = 64;
  while (size < 2 * (gsize) n)
    size *= 2;
  guint64 *set = g_new0 (guint64, size);
  guint out = 0;
  for (guint k = 0; k < n; k++)
    {
      const double *p = path_at (paths, k);
      gboolean keep = p[5] < 0;
      if (!keep)
        {
          guint64 h = (guint64) (gint64) p[5];
          for (int i = 0; i < 4; i++)
            h = mix64 (h ^ (guint64) pixel (p[i]));
          h |= 1; /* 0 marks an empty slot */
          gsize at = (gsize) (h >> 7) & (size - 1);
          while (set[at] != 0 && set[at] != h)
            at = (at + 1) & (size - 1);
          keep = set[at] == 0;
          set[at] = h;
        }
      if (keep)
        {
          if (out != k)
            memmove (path_at (paths, out), p, FLOW_PATH * sizeof (double));
          out++;
        }
    }
  g_array_set_size (paths, out);
  g_free (set);
}

/* The arrows a frame strokes: those on the same pixels once, and past max an even
 * sample of the rest — each arrow's place in it is a hash of its flow, so the sample keeps the
 * flows' density (no grid), stays put from frame to frame and grows as the view zooms in (a
 * trace with 200,000 crossing flows took minutes a frame).  Returns how many there were. */
static guint
thin_paths (GArray *paths, guint max)
{
  one_per_pixels (paths);
  guint n = paths->len;
  if (n <= max)
    return n;
  /* the share counts the others, so selecting an arrow does not move the sample */
  guint n_sel = 0;
  for (guint k = 0; k < n; k++)
    n_sel += path_at (paths, k)[5] < 0;
  /* the sample values below the bound's share, less three standard deviations of the count, so
   * that the cap below (which would leave out the last flows) is all but never reached */
  double share = (double) max / MAX (n - n_sel, 1) * MAX (1 - 3 / sqrt (max), 0.5);
  guint out = 0;
  for (guint k = 0; k < n; k++)
    {
      double *p = path_at (paths, k);
      if (p[5] < 0 || (p[6] < share && out < max - 1))
        {
          if (out != k)
            memmove (path_at (paths, out), p, FLOW_PATH * sizeof (double));
          out++;
        }
    }
  g_array_set_size (paths, out);
  return n;
}

/* The arrows a frame draws (FLOW_PATH doubles each), after thin_paths; *visible: how many are in
 * view.  The selected flow has colour -1. */
static GArray *
drawn_paths (const TlView *view, const SimTrace *trace, GArray *rows, guint *visible)
{
  guint *base;
  LanePos *pos;
  double *header_mid;
  flow_positions (view, trace, rows, &base, &pos, &header_mid);
  GArray *paths = g_array_new (FALSE, FALSE, sizeof (double) * FLOW_PATH);
  for (guint i = 0; i < trace->flows->len; i++)
    {
      const SimFlow *fl = &g_array_index (trace->flows, SimFlow, i);
      double p[FLOW_PATH];
      if (!flow_geometry (view, trace, fl, base, pos, header_mid, p))
        continue;
      p[5] = (int) i == view->sel_flow ? -1 : tl_flow_color_index (trace, fl);
      p[6]
          = (double) (mix64 (i + 1) >> 11) / 9007199254740992.0; /* [0, 1): its place in a sample */
      p[7] = i;
      g_array_append_vals (paths, p, 1);
    }
  /* the bound: TL_FLOW_CURVES_MAX, or one arrow per TL_FLOW_PX_PER_CURVE of plot on a larger
   * page (an export of every core) */
  double area = view->map.width_px * MAX (view->height_px - view->ruler_height_px, 0);
  guint max = view->flow_curves_max != 0
                  ? view->flow_curves_max
                  : (guint) MAX (TL_FLOW_CURVES_MAX, MIN (area / TL_FLOW_PX_PER_CURVE, 1e9));
  *visible = thin_paths (paths, max);
  g_free (base);
  g_free (pos);
  g_free (header_mid);
  return paths;
}

gboolean
tl_render_flow_at (const TlView *view, const SimTrace *trace, double x, double y, guint *flow)
{
  if (!view->show_flows || trace->flows->len == 0 || trace->groups->len == 0 || x < view->map.x0_px
      || y < view->ruler_height_px)
    return FALSE;
  g_autoptr (GArray) rows = _tl_layout_rows (view, trace);
  guint visible;
  g_autoptr (GArray) paths = drawn_paths (view, trace, rows, &visible); /* only what is drawn */
  double best = 4.0 * 4.0;                                              /* within 4 px */
  gboolean found = FALSE;
  for (guint k = 0; k < paths->len; k++)
    {
      const double *p = path_at (paths, k);
      if (x < MIN (p[0], p[2]) - 6 || x > MAX (p[0], p[2]) + 6 || y < MIN (p[1], p[3]) - 6
          || y > MAX (p[1], p[3]) + 6)
        continue;
      /* the cubic sampled at 32 points */
      for (int j = 0; j <= 32; j++)
        {
          double t = j / 32.0, u = 1 - t;
          double bx = u * u * u * p[0] + 3 * u * u * t * (p[0] + p[4])
                      + 3 * u * t * t * (p[2] - p[4]) + t * t * t * p[2];
          double by
              = u * u * u * p[1] + 3 * u * u * t * p[1] + 3 * u * t * t * p[3] + t * t * t * p[3];
          double d = (bx - x) * (bx - x) + (by - y) * (by - y);
          /* nearest; on a tie the first flow, as before the thinning (paths are in flow order) */
          if (d < best)
            {
              best = d;
              *flow = (guint) p[7];
              found = TRUE;
            }
        }
    }
  return found;
}

void
_tl_draw_flows (cairo_t *cr, const TlView *view, const SimTrace *trace, GArray *rows)
{
  guint ng = trace->groups->len;
  if (trace->flows->len == 0 || ng == 0)
    return;
  double head = MAX (4.0, view->lane_height_px * 0.3);
  /* a stroke per arrow and a fill of the heads per flag colour; the selected flow last, on top */
  int n_colors = tl_flow_palette_size ();
  guint visible;
  GArray *paths = drawn_paths (view, trace, rows, &visible);
  _tl_last_stats.flow_curves = paths->len;
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
      cairo_set_source_rgba (cr, rgb[0], rgb[1], rgb[2], alpha);
      cairo_set_line_width (cr, width);
      for (guint k = 0; k < paths->len; k++)
        {
          const double *p = path_at (paths, k);
          if ((int) p[5] != c)
            continue;
          /* a stroke each: one path of crossing curves makes cairo find every crossing (a
           * frame of 20,000 took a minute); apart, each costs about its height in rows */
          cairo_move_to (cr, p[0], p[1]);
          cairo_curve_to (cr, p[0] + p[4], p[1], p[2] - p[4], p[3], p[2], p[3]);
          cairo_stroke (cr);
          any = TRUE;
        }
      if (!any)
        continue;
      for (guint k = 0; k < paths->len; k++)
        {
          const double *p = path_at (paths, k);
          if ((int) p[5] != c)
            continue;
          cairo_move_to (cr, p[2], p[3]);
          cairo_line_to (cr, p[2] - head, p[3] - head / 2);
          cairo_line_to (cr, p[2] - head, p[3] + head / 2);
          cairo_close_path (cr);
        }
      cairo_fill (cr);
    }
  if (paths->len < visible)
    {
      /* say so: an even sample, not every arrow; shorter where the plot is narrow, the count
       * first (it is what matters) */
      char note[96];
      double fs = view->font_size * 0.9, room = view->map.width_px - 16, w = 0;
      static const char *const forms[] = { "%u of %u flag arrows drawn, an even sample: zoom in "
                                           "for all",
                                           "%u of %u flag arrows drawn", "%u of %u arrows" };
      for (gsize f = 0; f < G_N_ELEMENTS (forms); f++)
        {
          g_snprintf (note, sizeof note, forms[f], paths->len, visible);
          w = _tl_text_width (cr, note, fs, FALSE);
          if (w <= room)
            break;
        }
      double x = MAX (view->map.x0_px + view->map.width_px - w - 8, view->map.x0_px + 4);
      double y = view->ruler_height_px + 4;
      double bg[4], fg[4];
      tl_theme_color (view->theme, TL_COLOR_BACKGROUND, bg);
      tl_theme_color (view->theme, TL_COLOR_TEXT, fg);
      cairo_set_source_rgba (cr, bg[0], bg[1], bg[2], 0.85);
      cairo_rectangle (cr, x - 4, y, w + 8, fs * 1.6);
      cairo_fill (cr);
      _tl_draw_text (cr, view, note, x, y + fs * 1.15, fs, FALSE, TL_TEXT_LEFT, fg);
    }
  g_array_unref (paths);
}
