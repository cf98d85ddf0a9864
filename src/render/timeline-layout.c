/* src/render/timeline-layout.c — where the timeline's rows go (group headers, lanes with their
 * nesting rows, counter tracks, the pinned lanes' strip under the ruler) and what is under a
 * point: the row, the header, the span (see timeline.h).  Every frame and every hit test lays the
 * rows out again from the view; nothing is cached between frames. */
#include "src/render/render-private.h"

#include <math.h>
#include <string.h>

/* ---------------------------------------------------------------- layout */

static double
lane_row_height (const TlView *view, const SimLane *lane)
{
  int levels = 1 + MIN ((int) lane->max_depth, TL_MAX_DEPTH_ROWS - 1);
  return view->lane_height_px * levels;
}

static double
counter_row_height (const TlView *view)
{
  return round (view->lane_height_px * 1.8);
}

gboolean
_tl_group_hidden (const TlView *view, guint g)
{
  return view->group_hidden != NULL && view->group_hidden[g];
}

static gint
counter_order_cmp (gconstpointer a, gconstpointer b, gpointer data)
{
  const SimTrace *trace = data;
  int ia = *(const int *) a, ib = *(const int *) b;
  const SimCounter *ca = g_ptr_array_index (trace->counters, ia);
  const SimCounter *cb = g_ptr_array_index (trace->counters, ib);
  if (ca->group != cb->group)
    return ca->group < cb->group ? -1 : 1;
  return ia < ib ? -1 : ia > ib;
}

/* The k-th pinned lane, NULL if it does not exist or its group is not drawn. */
static const SimLane *
pinned_lane (const TlView *view, const SimTrace *trace, guint k)
{
  int g = view->pinned_lanes[2 * k], l = view->pinned_lanes[2 * k + 1];
  if (g < 0 || (guint) g >= trace->groups->len || _tl_group_hidden (view, (guint) g))
    return NULL;
  const SimGroup *grp = g_ptr_array_index (trace->groups, g);
  if (l < 0 || (guint) l >= grp->lanes->len)
    return NULL;
  return g_ptr_array_index (grp->lanes, l);
}

static gboolean
is_pinned (const TlView *view, int g, int l)
{
  for (guint k = 0; k < view->n_pinned_lanes; k++)
    if (view->pinned_lanes[2 * k] == g && view->pinned_lanes[2 * k + 1] == l)
      return TRUE;
  return FALSE;
}

/* Height of the pinned lanes' strip under the ruler (0 without pinned lanes). */
double
_tl_pinned_height (const TlView *view, const SimTrace *trace)
{
  double h = 0;
  for (guint k = 0; k < view->n_pinned_lanes; k++)
    if (pinned_lane (view, trace, k) != NULL)
      h += view->lane_height_px;
  return h > 0 ? h + TL_PIN_GAP_PX : 0;
}

/* All rows, top to bottom, y already including the ruler and the vertical scroll: the pinned
 * lanes first (fixed under the ruler), then the scrolled rows. */
GArray *
_tl_layout_rows (const TlView *view, const SimTrace *trace)
{
  GArray *rows = g_array_new (FALSE, FALSE, sizeof (Row));
  /* pinned lanes first, under the ruler, whatever the scroll */
  double sticky = _tl_pinned_height (view, trace);
  double y = view->ruler_height_px;
  for (guint k = 0; k < view->n_pinned_lanes; k++)
    {
      const SimLane *lane = pinned_lane (view, trace, k);
      if (lane == NULL)
        continue;
      Row r = { ROW_LANE,
                view->pinned_lanes[2 * k],
                view->pinned_lanes[2 * k + 1],
                -1,
                y,
                view->lane_height_px,
                TRUE };
      g_array_append_val (rows, r);
      y += r.h;
    }
  double sticky_bottom = view->ruler_height_px + sticky;
  y = sticky_bottom - view->scroll_y_px;
  guint nc = view->show_counters ? trace->counters->len : 0;
  int *order = g_new (int, nc ? nc : 1);
  for (guint i = 0; i < nc; i++)
    order[i] = (int) i;
  g_qsort_with_data (order, (gint) nc, sizeof (int), counter_order_cmp, (gpointer) trace);
  guint ci = 0;
  /* chip-wide counters (GM bandwidth) first, as Perfetto puts global tracks on top */
  for (; ci < nc; ci++)
    {
      const SimCounter *c = g_ptr_array_index (trace->counters, order[ci]);
      if (c->group >= 0)
        break;
      Row r = { ROW_COUNTER, -1, -1, order[ci], y, counter_row_height (view), FALSE };
      g_array_append_val (rows, r);
      y += r.h;
    }
  for (guint g = 0; g < trace->groups->len; g++)
    {
      const SimGroup *grp = g_ptr_array_index (trace->groups, g);
      gboolean hidden = _tl_group_hidden (view, g);
      gboolean collapsed = view->group_collapsed != NULL && view->group_collapsed[g];
      if (!hidden)
        {
          Row r = { ROW_HEADER, (int) g, -1, -1, y, view->group_header_px, FALSE };
          g_array_append_val (rows, r);
          y += r.h;
        }
      if (!hidden && !collapsed)
        for (guint l = 0; l < grp->lanes->len; l++)
          {
            const SimLane *lane = g_ptr_array_index (grp->lanes, l);
            if (is_pinned (view, (int) g, (int) l))
              continue;
            Row r = { ROW_LANE, (int) g, (int) l, -1, y, lane_row_height (view, lane), FALSE };
            g_array_append_val (rows, r);
            y += r.h;
          }
      for (; ci < nc; ci++)
        {
          const SimCounter *c = g_ptr_array_index (trace->counters, order[ci]);
          if (c->group > (int) g)
            break;
          if (c->group < (int) g || hidden || collapsed)
            continue;
          Row r = { ROW_COUNTER, (int) g, -1, order[ci], y, counter_row_height (view), FALSE };
          g_array_append_val (rows, r);
          y += r.h;
        }
    }
  g_free (order);
  return rows;
}

double
tl_render_content_height (const TlView *view, const SimTrace *trace)
{
  TlView v = *view;
  v.scroll_y_px = 0;
  g_autoptr (GArray) rows = _tl_layout_rows (&v, trace);
  if (rows->len == 0)
    return v.ruler_height_px;
  const Row *last = &g_array_index (rows, Row, rows->len - 1);
  return last->y + last->h;
}

const Row *
_tl_find_row_at (GArray *rows, double y)
{
  /* pinned rows first (they cover whatever scrolled under them), then the scrolled rows,
   * sorted by y: binary search */
  guint lo = 0, hi = rows->len;
  while (lo < hi && g_array_index (rows, Row, lo).pinned)
    {
      const Row *r = &g_array_index (rows, Row, lo);
      if (y >= r->y && y < r->y + r->h + TL_PIN_GAP_PX)
        return y < r->y + r->h ? r : NULL;
      lo++;
    }
  if (lo > 0)
    {
      const Row *last = &g_array_index (rows, Row, lo - 1);
      if (y < last->y + last->h + TL_PIN_GAP_PX)
        return NULL;
    }
  while (lo < hi)
    {
      guint mid = (lo + hi) / 2;
      const Row *r = &g_array_index (rows, Row, mid);
      if (y < r->y)
        hi = mid;
      else if (y >= r->y + r->h)
        lo = mid + 1;
      else
        return r;
    }
  return NULL;
}

gboolean
tl_render_lane_at (const TlView *view, const SimTrace *trace, double y, int *group, int *lane)
{
  if (y < view->ruler_height_px || y >= view->height_px)
    return FALSE;
  g_autoptr (GArray) rows = _tl_layout_rows (view, trace);
  const Row *r = _tl_find_row_at (rows, y);
  if (r == NULL || r->kind != ROW_LANE)
    return FALSE;
  if (group)
    *group = r->group;
  if (lane)
    *lane = r->lane;
  return TRUE;
}

int
tl_render_header_at (const TlView *view, const SimTrace *trace, double y)
{
  if (y < view->ruler_height_px || y >= view->height_px)
    return -1;
  g_autoptr (GArray) rows = _tl_layout_rows (view, trace);
  const Row *r = _tl_find_row_at (rows, y);
  return r != NULL && r->kind == ROW_HEADER ? r->group : -1;
}

double
tl_render_lane_y (const TlView *view, const SimTrace *trace, int group, int lane)
{
  g_autoptr (GArray) rows = _tl_layout_rows (view, trace);
  for (guint i = 0; i < rows->len; i++)
    {
      const Row *r = &g_array_index (rows, Row, i);
      if (r->kind == ROW_LANE && r->group == group && r->lane == lane)
        return r->y;
    }
  return -1;
}

/* ---------------------------------------------------------------- hit testing */

gboolean
tl_render_hit (const TlView *view, const SimTrace *trace, double x, double y, int *group,
               int *lane_out, gsize *span)
{
  const TlTimeMap *m = &view->map;
  if (x < m->x0_px || x >= m->x0_px + m->width_px || y < view->ruler_height_px
      || y >= view->height_px)
    return FALSE;
  g_autoptr (GArray) rows = _tl_layout_rows (view, trace);
  const Row *r = _tl_find_row_at (rows, y);
  if (r == NULL || r->kind != ROW_LANE)
    return FALSE;
  const SimLane *lane = sim_trace_lane (trace, r->group, r->lane);
  int depth = (int) floor ((y - r->y) / view->lane_height_px);
  double ns_px = tl_time_map_ns_per_px (m);
  double t = tl_x_to_time (m, x);
  double tol = 2 * ns_px; /* the 1 px minimum width plus a pixel of slack */
  const SimSpan *best = NULL;
  double best_dist = INFINITY;
  gsize best_i = 0, scanned = 0;
  for (gsize i = sim_lane_first_visible (lane, t - tol);
       i < lane->n_spans && lane->spans[i].start_ns <= t + tol && scanned < 100000; i++, scanned++)
    {
      const SimSpan *s = &lane->spans[i];
      if (MIN ((int) s->depth, TL_MAX_DEPTH_ROWS - 1) != depth)
        continue;
      double a = s->start_ns, b = s->start_ns + s->dur_ns;
      double dist = t < a ? a - t : t > b ? t - b : 0;
      if (dist > tol)
        continue;
      /* inside beats near; among equals the longest wins, as drawn */
      if (dist < best_dist || (dist == best_dist && best != NULL && s->dur_ns > best->dur_ns))
        {
          best = s;
          best_dist = dist;
          best_i = i;
        }
    }
  if (best == NULL)
    return FALSE;
  if (group)
    *group = r->group;
  if (lane_out)
    *lane_out = r->lane;
  if (span)
    *span = best_i;
  return TRUE;
}
