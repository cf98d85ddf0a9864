/* src/render/timeline.c — draws a SimTrace with cairo (see timeline.h): the frame.
 *
 * Per frame: lay out rows (timeline-layout.c), paint row backgrounds and the grid, the spans at
 * their level of detail (timeline-lod.c), counter tracks and heat strips (timeline-tracks.c), flag
 * arrows (timeline-flows.c), the ruler, label column and legend (timeline-labels.c), and range,
 * markers and selection (timeline-overlays.c); they share render-private.h.
 */
#include "src/render/render-private.h"

#include <math.h>
#include <string.h>

_Thread_local TlRenderStats _tl_last_stats; /* an export worker draws beside the window */

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

  _tl_draw_spans (cr, view, trace, rows, top, bottom);

  for (guint i = 0; i < rows->len; i++)
    {
      const Row *r = &g_array_index (rows, Row, i);
      if (r->kind == ROW_COUNTER && r->y + r->h > top && r->y < bottom)
        _tl_draw_counter (cr, view, g_ptr_array_index (trace->counters, r->counter), r->counter,
                          trace->end_ns, r->y, r->h);
    }
  _tl_draw_selection (cr, view, trace, rows);
  cairo_restore (cr);
}

void
tl_render_ruler_ticks (cairo_t *cr, const TlView *view, TlTicks *ticks)
{
  /* ticks are round numbers from the time origin (a foreign trace's first event), not from 0 */
  TlTimeMap rel = view->map;
  rel.t0_ns -= view->time_origin_ns;
  rel.t1_ns -= view->time_origin_ns;
  double spacing = MAX (60.0, view->font_size * 8);
  for (int tries = 0; tries < 4; tries++)
    {
      tl_ticks_compute (&rel, spacing, ticks);
      /* the widest label must fit before the next tick: it starts 3 px right of its own, and
       * keeps a font size of air ("29000000400 ns" deep in a long trace is wider than 60 px) */
      double widest = 0;
      char buf[64];
      for (int i = 0; i < ticks->n; i++)
        {
          tl_ticks_format (ticks, ticks->t_ns[i], buf, sizeof buf);
          widest = MAX (widest, _tl_text_width (cr, buf, view->font_size, FALSE));
        }
      double need = widest + 3 + view->font_size;
      double step_px = ticks->step_ns * rel.width_px / (rel.t1_ns - rel.t0_ns);
      if (!(step_px < need))
        break;
      spacing = need;
    }
  for (int i = 0; i < ticks->n; i++)
    ticks->t_ns[i] += view->time_origin_ns;
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
  tl_render_ruler_ticks (cr, view, &ticks);

  /* the pinned lanes' strip under the ruler, then the scrolled rows under it */
  double sticky_bottom = top + _tl_pinned_height (view, trace);
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
          /* a boxed legend in the plot's bottom-right corner, in rows if the plot is narrow */
          double pad = 6, w, room = m->width_px - 2 * pad - 16;
          int legend_rows = tl_render_legend_wrapped (cr, view, mask, 0, 0, room, FALSE, &w);
          double lh = view->font_size * (1.4 + TL_LEGEND_ROW * (legend_rows - 1));
          double x = m->x0_px + m->width_px - w - 2 * pad - 8, y = bottom - lh - 2 * pad - 8;
          if (x > m->x0_px && y > top)
            {
              cairo_set_source_rgba (cr, bg[0], bg[1], bg[2], 0.92);
              cairo_rectangle (cr, x, y, w + 2 * pad, lh + 2 * pad);
              cairo_fill_preserve (cr);
              cairo_set_source_rgb (cr, grid[0], grid[1], grid[2]);
              cairo_set_line_width (cr, 1);
              cairo_stroke (cr);
              tl_render_legend_wrapped (cr, view, mask, x + pad, y + pad, room, TRUE, NULL);
            }
        }
    }
  cairo_restore (cr);
}
