/* src/render/timeline-tracks.c — the timeline's counter tracks (a step chart per counter, its
 * value at a time, its hit test) and the heat strip of a collapsed core group (see timeline.h). */
#include "src/render/render-private.h"

#include <math.h>
#include <string.h>

/* ---------------------------------------------------------------- counters */

double
_tl_counter_capacity (const TlView *view, int counter)
{
  if (view->counter_capacity == NULL || counter < 0 || (guint) counter >= view->n_counter_capacity)
    return 0;
  return view->counter_capacity[counter];
}

void
tl_format_counter_value (const SimCounter *c, double v, char *buf, gsize n)
{
  const char *unit = c->unit ? c->unit : "";
  if (g_strcmp0 (unit, "bytes") == 0 && v >= 1024 * 1024)
    g_snprintf (buf, n, "%.4g MiB", v / (1024 * 1024));
  else if (g_strcmp0 (unit, "bytes") == 0 && v >= 1024)
    g_snprintf (buf, n, "%.4g KiB", v / 1024);
  else
    g_snprintf (buf, n, "%.4g %s", v, unit);
}

void
tl_counter_scale_text (const SimCounter *c, double capacity, char *buf, gsize n)
{
  char hi[48], lo[48];
  if (capacity > 0 && c->min_value >= 0)
    {
      tl_format_counter_value (c, capacity, hi, sizeof hi);
      g_snprintf (buf, n, "capacity %s", hi);
      return;
    }
  tl_format_counter_value (c, c->max_value, hi, sizeof hi);
  if (c->min_value >= 0)
    {
      g_snprintf (buf, n, "observed peak %s", hi);
      return;
    }
  tl_format_counter_value (c, c->min_value, lo, sizeof lo);
  g_snprintf (buf, n, "observed %s to %s", lo, hi);
}

double
tl_counter_value_at (const SimCounter *c, double t_ns)
{
  /* a step chart: the last sample at or before t */
  gsize lo = 0, hi = c->n;
  while (lo < hi)
    {
      gsize mid = lo + (hi - lo) / 2;
      if (c->ts_ns[mid] <= t_ns)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo > 0 ? c->value[lo - 1] : 0;
}

gboolean
tl_render_counter_at (const TlView *view, const SimTrace *trace, double y, int *counter)
{
  if (y < view->ruler_height_px || y >= view->height_px)
    return FALSE;
  g_autoptr (GArray) rows = _tl_layout_rows (view, trace);
  const Row *r = _tl_find_row_at (rows, y);
  if (r == NULL || r->kind != ROW_COUNTER)
    return FALSE;
  *counter = r->counter;
  return TRUE;
}

void
_tl_draw_counter (cairo_t *cr, const TlView *view, const SimCounter *c, int index, double end_ns,
                  double y, double h)
{
  double cap = _tl_counter_capacity (view, index);
  const TlTimeMap *m = &view->map;
  if (c->n == 0)
    return;
  int ncol = (int) ceil (m->width_px);
  if (ncol <= 0)
    return;
  /* per column the largest and smallest value that holds in it (NAN: none) */
  double *colmax = g_new (double, 2 * (gsize) ncol), *colmin = colmax + ncol;
  for (int i = 0; i < ncol; i++)
    colmax[i] = colmin[i] = NAN;
  double px_per_ns = m->width_px / (m->t1_ns - m->t0_ns);
  /* first sample at or after t0, and the one before it carries its value into the view */
  gsize lo = 0, hi = c->n;
  while (lo < hi)
    {
      gsize mid = lo + (hi - lo) / 2;
      if (c->ts_ns[mid] < m->t0_ns)
        lo = mid + 1;
      else
        hi = mid;
    }
  gsize k = lo > 0 ? lo - 1 : 0;
  /* a step chart: value[k] holds from ts[k] to ts[k+1], the last value to the end of the trace
   * (as Perfetto draws it); each column keeps its extremes so a short peak stays visible
   * (Perfetto keeps min/max per bucket) */
  for (; k < c->n && c->ts_ns[k] < m->t1_ns; k++)
    {
      double xs = (c->ts_ns[k] - m->t0_ns) * px_per_ns;
      double te = k + 1 < c->n ? c->ts_ns[k + 1] : MAX (c->ts_ns[k], end_ns);
      double xe = (te - m->t0_ns) * px_per_ns;
      int a = (int) MAX (0, floor (xs)), b = (int) MIN (ncol - 1, floor (xe));
      if (k + 1 == c->n && !(te > c->ts_ns[k]))
        b = a;
      double v = c->value[k];
      for (int col = a; col <= b; col++)
        {
          colmax[col] = isnan (colmax[col]) ? v : MAX (colmax[col], v);
          colmin[col] = isnan (colmin[col]) ? v : MIN (colmin[col], v);
        }
    }
  /* the chart's range: zero, the values and the hardware's capacity (negative values below a
   * zero line, as Perfetto draws them) */
  double vmax = MAX (MAX (c->max_value, cap), 0), vmin = MIN (c->min_value, 0);
  if (!(vmax > vmin))
    vmax = vmin + 1;
  double top = y + 3, base = y + h - 2;
#define VY(v) (base - (base - top) * CLAMP (((v) -vmin) / (vmax - vmin), 0, 1))
  double rgba[4];
  tl_theme_color (view->theme, TL_COLOR_COUNTER, rgba);
  /* each run of columns with a value: its upper edge left to right, its lower edge (the zero
   * line, or the column's lowest negative value) back; a run of columns at one height is one
   * edge (cairo would merge the collinear points anyway, after a call for each) */
  for (int col = 0; col < ncol;)
    {
      if (isnan (colmax[col]))
        {
          col++;
          continue;
        }
      int end = col;
      while (end < ncol && !isnan (colmax[end]))
        end++;
      double x0 = m->x0_px + col;
      double run = VY (MAX (colmax[col], 0));
      cairo_move_to (cr, x0, VY (MIN (colmin[col], 0)));
      cairo_line_to (cr, x0, run);
      for (int i = col + 1; i < end; i++)
        {
          double vy = VY (MAX (colmax[i], 0));
          if (vy != run)
            {
              cairo_line_to (cr, m->x0_px + i, run);
              cairo_line_to (cr, m->x0_px + i, vy);
              run = vy;
            }
        }
      cairo_line_to (cr, m->x0_px + end, run);
      run = VY (MIN (colmin[end - 1], 0));
      cairo_line_to (cr, m->x0_px + end, run);
      for (int i = end - 2; i >= col; i--)
        {
          double vy = VY (MIN (colmin[i], 0));
          if (vy != run)
            {
              cairo_line_to (cr, m->x0_px + i + 1, run);
              cairo_line_to (cr, m->x0_px + i + 1, vy);
              run = vy;
            }
        }
      cairo_line_to (cr, x0, run);
      cairo_close_path (cr);
      col = end;
    }
#undef VY
  cairo_set_source_rgba (cr, rgba[0], rgba[1], rgba[2], 0.55);
  cairo_fill (cr);
  g_free (colmax);
}

/* A collapsed group's header shows how busy its pipes are: per pixel column, the fraction of
 * the column's time its lanes are busy (mean over the lanes), in TL_HEAT_LEVELS shades of the
 * counter colour.  Cost: the visible spans of the group's lanes, plus a few passes over the
 * columns; same-shade neighbours are one rectangle. */
void
_tl_draw_heat_strip (cairo_t *cr, const TlView *view, const SimTrace *trace, int group, double y,
                     double h)
{
  const TlTimeMap *m = &view->map;
  const SimGroup *grp = g_ptr_array_index (trace->groups, group);
  int ncol = (int) ceil (m->width_px);
  if (ncol <= 0 || grp->lanes->len == 0)
    return;
  double *busy = g_new0 (double, ncol);
  double t0 = m->t0_ns, t1 = m->t1_ns;
  double px_per_ns = m->width_px / (t1 - t0);
  guint n_lanes = 0;
  for (guint l = 0; l < grp->lanes->len; l++)
    {
      const SimLane *lane = g_ptr_array_index (grp->lanes, l);
      if (lane->n_spans == 0)
        continue;
      n_lanes++;
      for (gsize i = sim_lane_first_visible (lane, t0); i < lane->n_spans; i++)
        {
          const SimSpan *s = &lane->spans[i];
          if (s->start_ns >= t1)
            break;
          if (s->depth > 0)
            continue; /* nested spans lie inside their parent: count time once */
          double xs = MAX (0, (s->start_ns - t0) * px_per_ns);
          double xe = MIN (ncol, (s->start_ns + s->dur_ns - t0) * px_per_ns);
          _tl_last_stats.spans_visited++;
          if (xe <= xs)
            continue;
          int a = (int) floor (xs), b = (int) MIN (ncol - 1, floor (xe));
          if (a == b)
            busy[a] += xe - xs;
          else
            {
              busy[a] += a + 1 - xs;
              for (int c = a + 1; c < b; c++)
                busy[c] += 1;
              busy[b] += xe - b;
            }
        }
    }
  if (n_lanes > 0)
    {
      /* quantise to TL_HEAT_LEVELS shades and merge neighbouring columns of one shade into a
       * run, then fill each shade once: a few hundred rectangles per row, not one per column */
      g_autofree guint8 *level = g_new (guint8, ncol);
      for (int c = 0; c < ncol; c++)
        {
          double f = CLAMP (busy[c] / n_lanes, 0, 1);
          level[c] = f > 0 ? (guint8) ceil (f * TL_HEAT_LEVELS) : 0;
        }
      double rgba[4];
      tl_theme_color (view->theme, TL_COLOR_COUNTER, rgba);
      for (int lv = 1; lv <= TL_HEAT_LEVELS; lv++)
        {
          gboolean any = FALSE;
          for (int c = 0; c < ncol;)
            {
              if (level[c] != lv)
                {
                  c++;
                  continue;
                }
              int e = c + 1;
              while (e < ncol && level[e] == lv)
                e++;
              cairo_rectangle (cr, m->x0_px + c, y + 3, e - c, h - 6);
              any = TRUE;
              c = e;
            }
          if (any)
            {
              cairo_set_source_rgba (cr, rgba[0], rgba[1], rgba[2],
                                     0.15 + 0.85 * lv / (double) TL_HEAT_LEVELS);
              cairo_fill (cr);
            }
        }
    }
  g_free (busy);
}
