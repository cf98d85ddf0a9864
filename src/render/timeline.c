/* src/render/timeline.c — draws a SimTrace with cairo (see timeline.h).
 *
 * Per frame: lay out rows (group headers, lanes, counter tracks), then for every visible lane walk
 * its spans from a binary search (sim_lane_first_visible) to the right edge; a span narrower than a
 * pixel starts a fused run that covers its pixel column, coloured by the longest span in the column,
 * and the walk jumps by binary search to the next column — so the work per lane is bounded by its
 * pixel width, not its span count.  Rectangles are collected per colour and filled in one batch
 * per colour; labels are drawn afterwards, only where they fit.
 *
 * This file: layout (rows, pinned lanes, hit testing), text helpers, the level of detail for spans
 * and the frame.  Counter tracks and heat strips are timeline-tracks.c, flag arrows
 * timeline-flows.c, the ruler and label column timeline-labels.c, range / markers / selection
 * timeline-overlays.c; they share render-private.h.
 */
#include "src/render/render-private.h"

#include <math.h>
#include <string.h>

#define TL_FUSE_SAMPLE 64         /* spans examined per fused pixel column at most */
#define TL_GAP_MIN_PX 4.0         /* spans at least this wide get a 1 px gap after them */
#define TL_TEXT_MIN_PX 14.0       /* no label in a narrower span */

TlRenderStats _tl_last_stats;

const TlRenderStats *
tl_render_last_stats (void)
{
  return &_tl_last_stats;
}

/* ---------------------------------------------------------------- view setup */

void
tl_view_init (TlView *view, const SimTrace *trace, double width_px, double height_px)
{
  memset (view, 0, sizeof *view);
  view->width_px = width_px;
  view->height_px = height_px;
  view->label_width_px = 150;
  view->lane_height_px = 18;
  view->group_header_px = 20;
  view->ruler_height_px = 26;
  view->font_size = 11;
  view->theme = TL_THEME_LIGHT;
  view->show_counters = TRUE;
  view->show_legend = TRUE;
  view->hl_stage = view->hl_task = view->hl_iter = -1;
  view->sel_group = view->sel_lane = -1;
  view->current_marker = -1;
  view->sel_flow = -1;
  view->legend_stage_mask = -1;
  tl_view_fit (view, trace);
}

void
tl_view_fit (TlView *view, const SimTrace *trace)
{
  double t0 = trace ? trace->start_ns : 0, t1 = trace ? trace->end_ns : 0;
  if (!(t1 > t0))
    t1 = t0 + 1000;
  view->map.t0_ns = t0;
  view->map.t1_ns = t1;
  view->map.x0_px = view->label_width_px;
  view->map.width_px = MAX (1.0, view->width_px - view->label_width_px);
}

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
static double
pinned_height (const TlView *view, const SimTrace *trace)
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
  double sticky = pinned_height (view, trace);
  double y = view->ruler_height_px;
  for (guint k = 0; k < view->n_pinned_lanes; k++)
    {
      const SimLane *lane = pinned_lane (view, trace, k);
      if (lane == NULL)
        continue;
      Row r = { ROW_LANE, view->pinned_lanes[2 * k], view->pinned_lanes[2 * k + 1], -1, y,
                view->lane_height_px, TRUE };
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

/* ---------------------------------------------------------------- text */

void
_tl_set_font (cairo_t *cr, const TlView *view, gboolean bold, double size)
{
  cairo_select_font_face (cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL,
                          bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size (cr, size);
}

double
_tl_text_width (cairo_t *cr, const char *s)
{
  cairo_text_extents_t ext;
  cairo_text_extents (cr, s, &ext);
  return ext.x_advance;
}

/* Draw s with the current font (which the caller set to size/bold) at baseline (x, y) — or hand it
 * to the view's text sink in device coordinates. */
void
_tl_draw_text (cairo_t *cr, const TlView *view, const char *s, double x, double y, double size,
           gboolean bold, TlTextAlign align, const double rgba[4])
{
  if (view->text_sink != NULL)
    {
      double dx = x, dy = y, sx = size, sy = 0;
      cairo_user_to_device (cr, &dx, &dy);
      cairo_user_to_device_distance (cr, &sx, &sy);
      view->text_sink (view->text_sink_data, s, dx, dy, hypot (sx, sy), bold, align, rgba);
      return;
    }
  double w = align == TL_TEXT_LEFT ? 0 : _tl_text_width (cr, s);
  if (align == TL_TEXT_CENTER)
    x -= w / 2;
  else if (align == TL_TEXT_RIGHT)
    x -= w;
  cairo_set_source_rgba (cr, rgba[0], rgba[1], rgba[2], rgba[3]);
  cairo_move_to (cr, x, y);
  cairo_show_text (cr, s);
}

/* Fit s into max_w (current font): the whole string, or a prefix + "…"; FALSE if not even
 * two characters fit.  out must hold len(s) + 4 bytes. */
gboolean
_tl_fit_text (cairo_t *cr, const char *s, double max_w, char *out, gsize out_size)
{
  if (max_w <= 0)
    return FALSE;
  double w = _tl_text_width (cr, s);
  if (w <= max_w)
    {
      g_strlcpy (out, s, out_size);
      return TRUE;
    }
  glong n = g_utf8_strlen (s, -1);
  glong keep = (glong) floor (n * max_w / w) - 1;
  for (int tries = 0; keep >= 2 && tries < 6; tries++, keep--)
    {
      const char *end = g_utf8_offset_to_pointer (s, keep);
      gsize bytes = (gsize) (end - s);
      if (bytes + 4 > out_size)
        bytes = out_size - 4;
      memcpy (out, s, bytes);
      memcpy (out + bytes, "\u2026", 4); /* … is 3 bytes + NUL */
      if (_tl_text_width (cr, out) <= max_w)
        return TRUE;
    }
  return FALSE;
}

/* ---------------------------------------------------------------- span batches */

typedef struct
{
  double x, y, w, h;
} Rect;

typedef struct
{
  double x0, x1, y, h;
  const SimSpan *span;
  int key;
} TextItem;

typedef struct
{
  const TlView *view;
  const SimTrace *trace;
  int n_keys;          /* palette size × 2 (normal, dimmed) */
  GArray **batches;    /* Rect per key */
  GArray *texts;       /* TextItem */
  GArray *outlines;    /* Rect: highlighted spans */
  gboolean highlight;  /* a stage is highlighted or a search is on: others are dimmed */
  double clip_x0, clip_x1;
  int group, lane;     /* the lane being drawn (for the search) */
  gboolean lane_all_match, lane_any_match;
} Frame;

/* A pending fused run on one lane row: narrow rectangles of one colour that touch are merged. */
typedef struct
{
  gboolean have;
  double x0, x1, y, h;
  int key;
} Run;

static gboolean
step_match (const TlView *view, const SimSpan *s)
{
  return s->stage == view->hl_stage && (view->hl_task < 0 || s->task == view->hl_task)
         && (view->hl_iter < 0 || s->iter == view->hl_iter);
}

/* Emphasised while something is highlighted: in the stepped unit (if any) and matching the
 * search (if any); the rest is dimmed. */
static gboolean
hl_match (const Frame *f, const SimSpan *s)
{
  const TlView *view = f->view;
  if (view->hl_stage >= 0 && !step_match (view, s))
    return FALSE;
  if (view->search != NULL)
    return f->lane_all_match
           || (f->lane_any_match && tl_search_span (view->search, f->group, f->lane, s));
  return TRUE;
}

static int
span_key (const Frame *f, const SimSpan *s)
{
  int k = tl_palette_index (s, f->trace) * 2;
  if (f->highlight && !hl_match (f, s))
    k += 1;
  return k;
}

static void
run_flush (Frame *f, Run *run)
{
  if (!run->have)
    return;
  /* whole pixels: cairo fills pixel-aligned boxes on its fast path, and edges stay crisp */
  double x0 = round (MAX (run->x0, f->clip_x0)), x1 = round (MIN (run->x1, f->clip_x1));
  if (x1 <= x0 && run->x1 > f->clip_x0 && run->x0 < f->clip_x1)
    x1 = x0 + 1;
  if (x1 > x0)
    {
      Rect r = { x0, run->y, x1 - x0, run->h };
      g_array_append_val (f->batches[run->key], r);
      _tl_last_stats.rects++;
    }
  run->have = FALSE;
}

/* Emit [x0, x1) on a row.  Narrow pieces merge into the pending run when they touch it and share
 * its colour; wide spans keep a 1 px gap so back-to-back ops stay distinguishable. */
static void
emit (Frame *f, Run *run, double x0, double x1, double y, double h, int key,
      const SimSpan *span_for_text)
{
  if (x1 - x0 < 1.0)
    x1 = x0 + 1.0; /* a 3 ns MTE op never vanishes */
  gboolean wide = x1 - x0 >= TL_GAP_MIN_PX;
  if (wide)
    x1 -= 1.0;
  if (run->have && run->key == key && x0 <= run->x1 + 0.01 && !wide)
    {
      run->x1 = MAX (run->x1, x1);
      return;
    }
  run_flush (f, run);
  run->have = TRUE;
  run->x0 = x0;
  run->x1 = x1;
  run->y = y;
  run->h = h;
  run->key = key;
  if (wide)
    {
      if (span_for_text != NULL && x1 - x0 >= TL_TEXT_MIN_PX)
        {
          TextItem t = { MAX (x0, f->clip_x0), MIN (x1, f->clip_x1), y, h, span_for_text, key };
          if (t.x1 - t.x0 >= TL_TEXT_MIN_PX)
            g_array_append_val (f->texts, t);
        }
      if (f->highlight && span_for_text != NULL && (key & 1) == 0)
        {
          Rect r = { x0, y, x1 - x0, h };
          g_array_append_val (f->outlines, r);
        }
      run_flush (f, run); /* wide spans never merge */
    }
}

/* First index in [lo, n) whose start is >= t. */
static gsize
lower_bound_start (const SimLane *lane, gsize lo, double t)
{
  gsize hi = lane->n_spans;
  while (lo < hi)
    {
      gsize mid = lo + (hi - lo) / 2;
      if (lane->spans[mid].start_ns < t)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

/* Better representative of a pixel column: a highlighted span first, then the longest. */
static gboolean
better (const Frame *f, const SimSpan *a, const SimSpan *best)
{
  if (best == NULL)
    return TRUE;
  if (f->highlight)
    {
      gboolean ma = hl_match (f, a), mb = hl_match (f, best);
      if (ma != mb)
        return ma;
    }
  return a->dur_ns > best->dur_ns;
}

/* A lane without nesting: spans do not overlap, so the next pixel column is one binary search
 * away (GTKWave's skip-to-next-pixel) and a column's colour is its longest span (Perfetto). */
static void
draw_flat_lane (Frame *f, const SimLane *lane, double y, double h)
{
  const TlTimeMap *m = &f->view->map;
  double t0 = m->t0_ns, t1 = m->t1_ns;
  double px_per_ns = m->width_px / (t1 - t0);
  Run run = { 0 };
  gsize n = lane->n_spans;
  gsize i = sim_lane_first_visible (lane, t0);
  while (i < n)
    {
      const SimSpan *s = &lane->spans[i];
      if (s->start_ns >= t1)
        break;
      double end = s->start_ns + s->dur_ns;
      if (end < t0 || (end == t0 && s->dur_ns > 0))
        {
          i++;
          _tl_last_stats.spans_visited++;
          continue;
        }
      double xs = m->x0_px + (s->start_ns - t0) * px_per_ns;
      double xe = m->x0_px + (end - t0) * px_per_ns;
      if (xe - xs >= 1.0)
        {
          _tl_last_stats.spans_visited++;
          emit (f, &run, xs, xe, y, h, span_key (f, s), s);
          i++;
          continue;
        }
      /* sub-pixel: fuse everything that starts in this pixel column */
      double col = floor (xs);
      double col_end_t = t0 + (col + 1 - m->x0_px) / px_per_ns;
      gsize j = lower_bound_start (lane, i + 1, col_end_t);
      gsize count = j - i;
      gsize stride = (count + TL_FUSE_SAMPLE - 1) / TL_FUSE_SAMPLE;
      const SimSpan *best = NULL;
      double max_end = end;
      for (gsize k = i; k < j; k += stride)
        {
          const SimSpan *c = &lane->spans[k];
          _tl_last_stats.spans_visited++;
          if (better (f, c, best))
            best = c;
          max_end = MAX (max_end, c->start_ns + c->dur_ns);
        }
      /* the last span of the column decides how far the run reaches */
      const SimSpan *lastc = &lane->spans[j - 1];
      max_end = MAX (max_end, lastc->start_ns + lastc->dur_ns);
      double xbest0 = m->x0_px + (best->start_ns - t0) * px_per_ns;
      double x_end = m->x0_px + (max_end - t0) * px_per_ns;
      gboolean best_wide = best->dur_ns * px_per_ns >= TL_GAP_MIN_PX;
      emit (f, &run, col, MAX (col + 1, best_wide ? xbest0 : x_end), y, h, span_key (f, best),
            NULL);
      if (best_wide)
        emit (f, &run, xbest0, m->x0_px + (best->start_ns + best->dur_ns - t0) * px_per_ns, y, h,
              span_key (f, best), best);
      i = j;
    }
  run_flush (f, &run);
}

/* A lane with nested spans (imported B/E or overlapping X): spans of different depths interleave,
 * so walk the visible ones and fuse per depth row. */
static void
draw_nested_lane (Frame *f, const SimLane *lane, double y, double row_h)
{
  const TlTimeMap *m = &f->view->map;
  double t0 = m->t0_ns, t1 = m->t1_ns;
  double px_per_ns = m->width_px / (t1 - t0);
  Run runs[TL_MAX_DEPTH_ROWS];
  struct
  {
    double col, x_end;
    const SimSpan *best;
  } pend[TL_MAX_DEPTH_ROWS];
  memset (runs, 0, sizeof runs);
  for (int d = 0; d < TL_MAX_DEPTH_ROWS; d++)
    pend[d].best = NULL;
  for (gsize i = sim_lane_first_visible (lane, t0); i < lane->n_spans; i++)
    {
      const SimSpan *s = &lane->spans[i];
      if (s->start_ns >= t1)
        break;
      _tl_last_stats.spans_visited++;
      double end = s->start_ns + s->dur_ns;
      if (end < t0 || (end == t0 && s->dur_ns > 0))
        continue;
      int d = MIN ((int) s->depth, TL_MAX_DEPTH_ROWS - 1);
      double ry = y + d * row_h;
      double xs = m->x0_px + (s->start_ns - t0) * px_per_ns;
      double xe = m->x0_px + (end - t0) * px_per_ns;
      double col = floor (xs);
      if (pend[d].best != NULL && (xe - xs >= 1.0 || col != pend[d].col))
        {
          emit (f, &runs[d], pend[d].col, MAX (pend[d].col + 1, pend[d].x_end), ry, row_h,
                span_key (f, pend[d].best), NULL);
          pend[d].best = NULL;
        }
      if (xe - xs >= 1.0)
        {
          emit (f, &runs[d], xs, xe, ry, row_h, span_key (f, s), s);
          continue;
        }
      if (pend[d].best == NULL)
        {
          pend[d].col = col;
          pend[d].x_end = xe;
          pend[d].best = s;
        }
      else
        {
          pend[d].x_end = MAX (pend[d].x_end, xe);
          if (better (f, s, pend[d].best))
            pend[d].best = s;
        }
    }
  for (int d = 0; d < TL_MAX_DEPTH_ROWS; d++)
    {
      double ry = y + d * row_h;
      if (pend[d].best != NULL)
        emit (f, &runs[d], pend[d].col, MAX (pend[d].col + 1, pend[d].x_end), ry, row_h,
              span_key (f, pend[d].best), NULL);
      run_flush (f, &runs[d]);
    }
}

static void
key_color (const Frame *f, int key, double rgb[3])
{
  tl_palette_color (key / 2, f->view->theme, rgb);
  if (key & 1)
    {
      /* dimmed: 75 % towards the background */
      double bg[4];
      tl_theme_color (f->view->theme, TL_COLOR_BACKGROUND, bg);
      for (int c = 0; c < 3; c++)
        rgb[c] = 0.25 * rgb[c] + 0.75 * bg[c];
    }
}

static void
fill_batches (cairo_t *cr, Frame *f)
{
  for (int k = 0; k < f->n_keys; k++)
    {
      GArray *b = f->batches[k];
      if (b->len == 0)
        continue;
      double rgb[3];
      key_color (f, k, rgb);
      cairo_set_source_rgb (cr, rgb[0], rgb[1], rgb[2]);
      for (guint i = 0; i < b->len; i++)
        {
          const Rect *r = &g_array_index (b, Rect, i);
          cairo_rectangle (cr, r->x, r->y, r->w, r->h);
        }
      cairo_fill (cr);
      _tl_last_stats.fills++;
    }
}

double
_tl_luminance (const double rgb[3])
{
  return 0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2];
}

static void
draw_span_texts (cairo_t *cr, Frame *f)
{
  const TlView *view = f->view;
  if (f->texts->len == 0)
    return;
  double size = view->font_size * 0.92;
  _tl_set_font (cr, view, FALSE, size);
  cairo_font_extents_t fe;
  cairo_font_extents (cr, &fe);
  char buf[256];
  for (guint i = 0; i < f->texts->len; i++)
    {
      const TextItem *t = &g_array_index (f->texts, TextItem, i);
      if (t->h < fe.ascent * 0.9)
        continue;
      const char *name = sim_trace_string (f->trace, t->span->name);
      if (!_tl_fit_text (cr, name, t->x1 - t->x0 - 6, buf, sizeof buf))
        continue;
      double rgb[3];
      key_color (f, t->key, rgb);
      double fg[4] = { 0, 0, 0, 0.87 };
      if (_tl_luminance (rgb) < 0.45)
        fg[0] = fg[1] = fg[2] = 1, fg[3] = 0.95;
      double base = t->y + t->h / 2 + (fe.ascent - fe.descent) / 2;
      _tl_draw_text (cr, view, buf, t->x0 + 3, round (base), size, FALSE, TL_TEXT_LEFT, fg);
      _tl_last_stats.texts++;
    }
}

/* ---------------------------------------------------------------- legend */

double
tl_render_legend (cairo_t *cr, const TlView *view, guint stage_mask, double x, double y)
{
  if (stage_mask == 0)
    stage_mask = (1u << SIM_STAGE_C1) | (1u << SIM_STAGE_V1) | (1u << SIM_STAGE_C2)
                 | (1u << SIM_STAGE_V2);
  double size = view->font_size;
  double sw = size * 1.1, x0 = x;
  double fg[4];
  tl_theme_color (view->theme, TL_COLOR_TEXT, fg);
  for (int s = SIM_STAGE_C1; s < SIM_N_STAGES; s++)
    {
      if (!(stage_mask & (1u << s)))
        continue;
      double rgb[3];
      tl_stage_color ((SimStage) s, view->theme, rgb);
      cairo_set_source_rgb (cr, rgb[0], rgb[1], rgb[2]);
      cairo_rectangle (cr, x, y + (size * 1.4 - sw) / 2, sw, sw);
      cairo_fill (cr);
      x += sw + size * 0.4;
      char label[64];
      g_snprintf (label, sizeof label, "%s %s", sim_stage_name ((SimStage) s),
                  tl_stage_caption ((SimStage) s));
      _tl_set_font (cr, view, FALSE, size);
      _tl_draw_text (cr, view, label, x, y + size * 1.1, size, FALSE, TL_TEXT_LEFT, fg);
      x += _tl_text_width (cr, label) + size * 1.2;
    }
  return x - x0 - size * 1.2;
}

/* ---------------------------------------------------------------- the frame */

/* Backgrounds, grid, spans, counters and the selection of some rows, clipped to
 * [clip_top, clip_bottom) of the plot. */
static void
draw_plot_rows (cairo_t *cr, const TlView *view, const SimTrace *trace, GArray *rows,
                const TlTicks *ticks, double top, double bottom)
{
  const TlTimeMap *m = &view->map;
  if (bottom <= top)
    return;
  double alt[4], hdr[4], grid[4], bg[4];
  tl_theme_color (view->theme, TL_COLOR_BACKGROUND, bg);
  tl_theme_color (view->theme, TL_COLOR_LANE_ALT, alt);
  tl_theme_color (view->theme, TL_COLOR_HEADER, hdr);
  tl_theme_color (view->theme, TL_COLOR_GRID, grid);
  cairo_save (cr);
  cairo_rectangle (cr, m->x0_px, top, m->width_px, bottom - top);
  cairo_clip (cr);
  cairo_set_source_rgb (cr, bg[0], bg[1], bg[2]);
  cairo_paint (cr);
  cairo_set_antialias (cr, CAIRO_ANTIALIAS_NONE); /* crisp pixel-column rectangles */
  guint lane_no = 0;
  for (guint i = 0; i < rows->len; i++)
    {
      const Row *r = &g_array_index (rows, Row, i);
      if (r->kind == ROW_LANE)
        lane_no++;
      if (r->y + r->h <= top || r->y >= bottom)
        continue;
      if (r->kind == ROW_HEADER)
        cairo_set_source_rgb (cr, hdr[0], hdr[1], hdr[2]);
      else if (r->kind == ROW_LANE && lane_no % 2 == 0)
        cairo_set_source_rgb (cr, alt[0], alt[1], alt[2]);
      else
        continue;
      cairo_rectangle (cr, m->x0_px, r->y, m->width_px, r->h);
      cairo_fill (cr);
    }
  for (guint i = 0; i < rows->len; i++)
    {
      const Row *r = &g_array_index (rows, Row, i);
      if (r->kind == ROW_HEADER && r->y + r->h > top && r->y < bottom
          && view->group_collapsed != NULL && view->group_collapsed[r->group])
        _tl_draw_heat_strip (cr, view, trace, r->group, r->y, r->h);
    }
  /* vertical grid at the major ticks */
  cairo_set_source_rgba (cr, grid[0], grid[1], grid[2], 0.8);
  for (int i = 0; i < ticks->n; i++)
    cairo_rectangle (cr, floor (tl_time_to_x (m, ticks->t_ns[i])), top, 1, bottom - top);
  cairo_fill (cr);

  Frame f = { 0 };
  f.view = view;
  f.trace = trace;
  f.n_keys = tl_palette_size () * 2;
  f.batches = g_new (GArray *, f.n_keys);
  for (int k = 0; k < f.n_keys; k++)
    f.batches[k] = g_array_new (FALSE, FALSE, sizeof (Rect));
  f.texts = g_array_new (FALSE, FALSE, sizeof (TextItem));
  f.outlines = g_array_new (FALSE, FALSE, sizeof (Rect));
  f.highlight = view->hl_stage >= 0 || view->search != NULL;
  f.clip_x0 = m->x0_px;
  f.clip_x1 = m->x0_px + m->width_px;
  for (guint i = 0; i < rows->len; i++)
    {
      const Row *r = &g_array_index (rows, Row, i);
      if (r->kind != ROW_LANE || r->y + r->h <= top || r->y >= bottom)
        continue;
      const SimLane *lane = sim_trace_lane (trace, r->group, r->lane);
      f.group = r->group;
      f.lane = r->lane;
      if (view->search != NULL)
        {
          f.lane_all_match = tl_search_lane_all (view->search, r->group, r->lane);
          f.lane_any_match = tl_search_lane_any (view->search, r->group, r->lane);
        }
      double h = view->lane_height_px;
      /* 2 px of air between rows so lanes read as lanes */
      double pad = h >= 10 ? 2 : 0;
      if (lane->max_depth == 0 || r->pinned)
        draw_flat_lane (&f, lane, r->y + pad, h - 2 * pad);
      else
        draw_nested_lane (&f, lane, r->y + pad, h - pad);
      _tl_last_stats.lanes_drawn++;
    }
  fill_batches (cr, &f);
  cairo_set_antialias (cr, CAIRO_ANTIALIAS_DEFAULT);
  if (f.outlines->len > 0)
    {
      double sel[4];
      tl_theme_color (view->theme, TL_COLOR_SELECTION, sel);
      cairo_set_source_rgba (cr, sel[0], sel[1], sel[2], 0.8);
      cairo_set_line_width (cr, 1.5);
      for (guint i = 0; i < f.outlines->len; i++)
        {
          const Rect *o = &g_array_index (f.outlines, Rect, i);
          cairo_rectangle (cr, o->x + 0.75, o->y + 0.75, MAX (0.5, o->w - 1.5), o->h - 1.5);
        }
      cairo_stroke (cr);
    }
  draw_span_texts (cr, &f);
  for (int k = 0; k < f.n_keys; k++)
    g_array_unref (f.batches[k]);
  g_free (f.batches);
  g_array_unref (f.texts);
  g_array_unref (f.outlines);

  for (guint i = 0; i < rows->len; i++)
    {
      const Row *r = &g_array_index (rows, Row, i);
      if (r->kind == ROW_COUNTER && r->y + r->h > top && r->y < bottom)
        _tl_draw_counter (cr, view, g_ptr_array_index (trace->counters, r->counter), r->counter, r->y,
                      r->h);
    }
  _tl_draw_selection (cr, view, trace, rows);
  cairo_restore (cr);
}

void
tl_render_draw (cairo_t *cr, const TlView *view, const SimTrace *trace)
{
  memset (&_tl_last_stats, 0, sizeof _tl_last_stats);
  const TlTimeMap *m = &view->map;
  if (!(m->t1_ns > m->t0_ns) || !(m->width_px > 0) || view->width_px <= 0)
    return;
  cairo_save (cr);
  double bg[4], alt[4], hdr[4], grid[4];
  tl_theme_color (view->theme, TL_COLOR_BACKGROUND, bg);
  tl_theme_color (view->theme, TL_COLOR_LANE_ALT, alt);
  tl_theme_color (view->theme, TL_COLOR_HEADER, hdr);
  tl_theme_color (view->theme, TL_COLOR_GRID, grid);
  cairo_set_source_rgb (cr, bg[0], bg[1], bg[2]);
  cairo_rectangle (cr, 0, 0, view->width_px, view->height_px);
  cairo_fill (cr);

  g_autoptr (GArray) rows = _tl_layout_rows (view, trace);
  double top = view->ruler_height_px, bottom = view->height_px;
  TlTicks ticks;
  /* ticks are round numbers from the time origin (a foreign trace's first event), not from 0 */
  TlTimeMap rel = *m;
  rel.t0_ns -= view->time_origin_ns;
  rel.t1_ns -= view->time_origin_ns;
  tl_ticks_compute (&rel, MAX (60.0, view->font_size * 8), &ticks);
  for (int i = 0; i < ticks.n; i++)
    ticks.t_ns[i] += view->time_origin_ns;

  /* the pinned lanes' strip under the ruler, then the scrolled rows under it */
  double sticky_bottom = top + pinned_height (view, trace);
  GArray *pinned = g_array_new (FALSE, FALSE, sizeof (Row));
  GArray *scrolled = g_array_new (FALSE, FALSE, sizeof (Row));
  for (guint i = 0; i < rows->len; i++)
    {
      const Row *r = &g_array_index (rows, Row, i);
      g_array_append_vals (r->pinned ? pinned : scrolled, r, 1);
    }
  draw_plot_rows (cr, view, trace, scrolled, &ticks, sticky_bottom, bottom);
  if (pinned->len > 0)
    {
      draw_plot_rows (cr, view, trace, pinned, &ticks, top, sticky_bottom);
      cairo_set_source_rgb (cr, grid[0], grid[1], grid[2]);
      cairo_rectangle (cr, 0, sticky_bottom - TL_PIN_GAP_PX, view->width_px, TL_PIN_GAP_PX);
      cairo_fill (cr);
    }

  /* what spans every row: flows, the range, markers */
  cairo_save (cr);
  cairo_rectangle (cr, m->x0_px, top, m->width_px, bottom - top);
  cairo_clip (cr);
  if (view->show_flows)
    _tl_draw_flows (cr, view, trace, rows);
  _tl_draw_range (cr, view, top, bottom);
  _tl_draw_markers (cr, view, top, bottom);
  cairo_restore (cr);

  cairo_save (cr);
  cairo_rectangle (cr, 0, sticky_bottom, view->width_px, bottom - sticky_bottom);
  cairo_clip (cr);
  _tl_draw_labels (cr, view, trace, scrolled, sticky_bottom, bottom);
  cairo_restore (cr);
  if (pinned->len > 0)
    {
      cairo_save (cr);
      cairo_rectangle (cr, 0, top, view->width_px, sticky_bottom - TL_PIN_GAP_PX - top);
      cairo_clip (cr);
      _tl_draw_labels (cr, view, trace, pinned, top, sticky_bottom - TL_PIN_GAP_PX);
      cairo_restore (cr);
    }
  g_array_unref (pinned);
  g_array_unref (scrolled);
  _tl_draw_ruler (cr, view, &ticks);
  _tl_draw_range_tag (cr, view);

  if (view->show_legend)
    {
      gboolean stages = FALSE;
      guint mask = 0;
      if (view->legend_stage_mask >= 0)
        {
          /* the stages the trace has (the caller scanned it once); none: no legend */
          mask = (guint) view->legend_stage_mask
                 & ((1u << SIM_STAGE_C1) | (1u << SIM_STAGE_V1) | (1u << SIM_STAGE_C2)
                    | (1u << SIM_STAGE_V2) | (1u << SIM_STAGE_COMBINE));
          stages = mask != 0;
        }
      else
        for (guint g = 0; g < trace->groups->len && !stages; g++)
          stages = ((SimGroup *) g_ptr_array_index (trace->groups, g))->kind != SIM_CORE_GENERIC;
      if (stages)
        {
          /* a boxed legend in the plot's bottom-right corner */
          cairo_push_group (cr);
          double w = tl_render_legend (cr, view, mask, 0, -1000);
          cairo_pattern_destroy (cairo_pop_group (cr));
          double lh = view->font_size * 1.4, pad = 6;
          double x = m->x0_px + m->width_px - w - 2 * pad - 8, y = bottom - lh - 2 * pad - 8;
          if (x > m->x0_px && y > top)
            {
              cairo_set_source_rgba (cr, bg[0], bg[1], bg[2], 0.92);
              cairo_rectangle (cr, x, y, w + 2 * pad, lh + 2 * pad);
              cairo_fill_preserve (cr);
              cairo_set_source_rgb (cr, grid[0], grid[1], grid[2]);
              cairo_set_line_width (cr, 1);
              cairo_stroke (cr);
              tl_render_legend (cr, view, mask, x + pad, y + pad);
            }
        }
    }
  cairo_restore (cr);
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
