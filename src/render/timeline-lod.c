/* src/render/timeline-lod.c — the level of detail of the timeline's spans.
 *
 * For every visible lane walk its spans from a binary search (sim_lane_first_visible) to the
 * right edge; a span narrower than a pixel starts a fused run that covers its pixel column,
 * coloured by the longest span in the column (Perfetto's rule), and the walk jumps to the next
 * column (a short look ahead, else sim_lane_lower_bound: GTKWave's skip) — so the work per lane
 * is bounded by its pixel width, not its span count.  On a raster target at 1:1 a flat lane is
 * painted in one fill through a row of its columns' colours (LaneRow); otherwise rectangles are
 * collected per colour and filled in one batch per colour.  Labels are drawn afterwards, only
 * where they fit.
 */
#include "src/render/render-private.h"

#include <math.h>
#include <string.h>

#define TL_FUSE_SAMPLE 64   /* spans examined per fused pixel column at most */
#define TL_GAP_MIN_PX 4.0   /* spans at least this wide get a 1 px gap after them */
#define TL_TEXT_MIN_PX 14.0 /* no label in a narrower span */

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

/* A flat lane painted in one fill: the palette key of each pixel column, turned into a
 * one-pixel-high image that is repeated down the lane's rows.  165 lanes at full zoom-out are
 * 165 fills instead of ~130,000 rectangles, and the pixels are the same: the rectangles had
 * whole-pixel x edges and the lane's y and height, and where two overlapped the colour filled
 * last (the higher key, batches being filled in key order) was on top, which is what a column
 * keeps. */
typedef struct
{
  gboolean on;         /* the frame paints flat lanes this way (rows_possible) */
  gboolean active;     /* the lane being walked is flat: run_flush marks columns, no rects */
  int x0;              /* user x (= device x up to a whole-pixel shift) of column 0 */
  int width;           /* columns */
  int lo, hi;          /* columns marked in this lane */
  gint16 *keys;        /* per column: the highest key covering it, -1 none */
  guint32 *pixels;     /* ARGB32 premultiplied, the lane's row */
  guint32 *key_pixels; /* per key: the pixel a solid fill of its colour leaves (0: not yet) */
} LaneRow;

typedef struct
{
  const TlView *view;
  const SimTrace *trace;
  int n_keys;         /* palette size × 2 (normal, dimmed) */
  GArray **batches;   /* Rect per key */
  GArray *texts;      /* TextItem */
  GArray *outlines;   /* Rect: highlighted spans */
  gboolean highlight; /* a stage is highlighted or a search is on: others are dimmed */
  double clip_x0, clip_x1;
  int group, lane; /* the lane being drawn (for the search) */
  gboolean lane_all_match, lane_any_match;
  LaneRow row; /* flat lanes on an unscaled raster target */
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
row_mark (LaneRow *row, int x0, int x1, int key)
{
  int c0 = MAX (x0 - row->x0, 0), c1 = MIN (x1 - row->x0, row->width);
  if (c0 >= c1)
    return;
  for (int c = c0; c < c1; c++)
    if (row->keys[c] < key)
      row->keys[c] = (gint16) key;
  row->lo = MIN (row->lo, c0);
  row->hi = MAX (row->hi, c1);
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
      if (f->row.active)
        row_mark (&f->row, (int) x0, (int) x1, run->key);
      else
        {
          Rect r = { x0, run->y, x1 - x0, run->h };
          g_array_append_val (f->batches[run->key], r);
        }
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
      /* the next column mostly starts a few spans on: look there before the binary search */
      gsize j = i + 1, near_end = MIN (n, i + 8);
      while (j < near_end && lane->spans[j].start_ns < col_end_t)
        j++;
      if (j == near_end)
        j = sim_lane_lower_bound (lane, j, col_end_t);
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

/* Lane rows need whole device pixels: a raster target whose user x maps to device x by a
 * whole-pixel shift (no scale, as in the window and a 1:1 image export); vector targets (SVG,
 * PDF) and scaled previews keep the rectangles. */
static gboolean
rows_possible (cairo_t *cr)
{
  cairo_surface_t *target = cairo_get_group_target (cr);
  switch (cairo_surface_get_type (target))
    {
    case CAIRO_SURFACE_TYPE_IMAGE:
      {
        cairo_format_t fmt = cairo_image_surface_get_format (target);
        if (fmt != CAIRO_FORMAT_ARGB32 && fmt != CAIRO_FORMAT_RGB24)
          return FALSE;
        break;
      }
    case CAIRO_SURFACE_TYPE_XLIB:
    case CAIRO_SURFACE_TYPE_XCB:
      break;
    default:
      return FALSE;
    }
  cairo_matrix_t mat;
  cairo_get_matrix (cr, &mat);
  double sx = 1, sy = 1, ox = 0, oy = 0;
  cairo_surface_get_device_scale (target, &sx, &sy);
  cairo_surface_get_device_offset (target, &ox, &oy);
  double shift_x = mat.x0 + ox;
  return mat.xx == 1 && mat.yy == 1 && mat.xy == 0 && mat.yx == 0 && sx == 1 && sy == 1
         && shift_x == floor (shift_x);
}

static void
row_init (LaneRow *row, const Frame *f)
{
  row->x0 = (int) floor (f->clip_x0);
  row->width = (int) ceil (f->clip_x1) - row->x0 + 1;
  row->keys = g_new (gint16, row->width);
  memset (row->keys, 0xff, sizeof (gint16) * row->width); /* -1 */
  row->pixels = g_new (guint32, row->width);
  row->key_pixels = g_new0 (guint32, f->n_keys);
  row->lo = row->width;
  row->hi = 0;
  row->on = TRUE;
}

static void
row_clear (LaneRow *row)
{
  g_free (row->keys);
  g_free (row->pixels);
  g_free (row->key_pixels);
}

/* The pixel each key's colour leaves: let cairo fill it once, so the rows match its rounding. */
static void
row_key_pixels (LaneRow *row, const Frame *f)
{
  cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, f->n_keys, 1);
  cairo_t *cr = cairo_create (s);
  cairo_set_antialias (cr, CAIRO_ANTIALIAS_NONE);
  for (int k = 0; k < f->n_keys; k++)
    {
      double rgb[3];
      key_color (f, k, rgb);
      cairo_set_source_rgb (cr, rgb[0], rgb[1], rgb[2]);
      cairo_rectangle (cr, k, 0, 1, 1);
      cairo_fill (cr);
    }
  cairo_destroy (cr);
  cairo_surface_flush (s);
  memcpy (row->key_pixels, cairo_image_surface_get_data (s), sizeof (guint32) * f->n_keys);
  cairo_surface_destroy (s);
}

/* Paint the marked columns of the lane's row over [y, y + h) in one fill, and clear them. */
static void
row_fill (cairo_t *cr, Frame *f, double y, double h)
{
  LaneRow *row = &f->row;
  if (row->lo >= row->hi)
    return;
  if (row->key_pixels[0] == 0)
    row_key_pixels (row, f);
  for (int c = row->lo; c < row->hi; c++)
    {
      int k = row->keys[c];
      row->pixels[c] = k < 0 ? 0 : row->key_pixels[k];
      row->keys[c] = -1;
    }
  int w = row->hi - row->lo;
  cairo_surface_t *img = cairo_image_surface_create_for_data (
      (unsigned char *) (row->pixels + row->lo), CAIRO_FORMAT_ARGB32, w, 1, w * 4);
  cairo_pattern_t *pat = cairo_pattern_create_for_surface (img);
  cairo_pattern_set_extend (pat, CAIRO_EXTEND_REPEAT); /* the row, down the lane */
  cairo_pattern_set_filter (pat, CAIRO_FILTER_NEAREST);
  cairo_matrix_t mat;
  cairo_matrix_init_translate (&mat, -(row->x0 + row->lo), 0);
  cairo_pattern_set_matrix (pat, &mat);
  cairo_set_source (cr, pat);
  cairo_rectangle (cr, row->x0 + row->lo, y, w, h);
  cairo_fill (cr);
  /* let go of the row's pixels: they are rewritten for the next lane */
  cairo_set_source_rgb (cr, 0, 0, 0);
  cairo_pattern_destroy (pat);
  cairo_surface_finish (img);
  cairo_surface_destroy (img);
  _tl_last_stats.fills++;
  row->lo = row->width;
  row->hi = 0;
}

static void
draw_span_texts (cairo_t *cr, Frame *f)
{
  const TlView *view = f->view;
  if (f->texts->len == 0)
    return;
  double size = view->font_size * 0.92, ascent, descent;
  _tl_font_extents (cr, size, FALSE, &ascent, &descent);
  for (guint i = 0; i < f->texts->len; i++)
    {
      const TextItem *t = &g_array_index (f->texts, TextItem, i);
      if (t->h < ascent * 0.9)
        continue;
      const char *name = sim_trace_string (f->trace, t->span->name);
      double rgb[3];
      key_color (f, t->key, rgb);
      double fg[4] = { 0, 0, 0, 0.87 };
      if (_tl_luminance (rgb) < 0.45)
        fg[0] = fg[1] = fg[2] = 1, fg[3] = 0.95;
      double base = t->y + t->h / 2 + (ascent - descent) / 2;
      if (_tl_draw_text_fit (cr, view, name, t->x1 - t->x0 - 6, t->x0 + 3, round (base), size,
                             FALSE, TL_TEXT_LEFT, fg))
        _tl_last_stats.texts++;
    }
}

/* The spans of the lane rows in [top, bottom): rectangles, the highlight's outlines, labels. */
void
_tl_draw_spans (cairo_t *cr, const TlView *view, const SimTrace *trace, GArray *rows, double top,
                double bottom)
{
  const TlTimeMap *m = &view->map;
  cairo_set_antialias (cr, CAIRO_ANTIALIAS_NONE); /* crisp pixel-column rectangles */
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
  if (rows_possible (cr))
    row_init (&f.row, &f);
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
        {
          f.row.active = f.row.on;
          draw_flat_lane (&f, lane, r->y + pad, h - 2 * pad);
          if (f.row.active)
            row_fill (cr, &f, r->y + pad, h - 2 * pad);
          f.row.active = FALSE;
        }
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
  if (f.row.on)
    row_clear (&f.row);
}
