/* src/render/timeline.h — the timeline renderer: draws a SimTrace with cairo (no GTK).
 *
 * Shared by the GTK view (src/app) and image export (src/render/export.c, the CLI).  Level of
 * detail: per lane, the first visible span is found by binary search and sub-pixel spans are fused
 * into one rectangle per pixel column (coloured by the longest span, at least 1 px wide), fills are
 * batched per colour, text is drawn only where it fits — cost follows pixels, not spans.
 * The time <-> pixel mapping lives in src/render/timemap.h (pure, tested without a display).
 */
#pragma once

#include <cairo.h>
#include "sim/trace.h"

G_BEGIN_DECLS

typedef struct
{
  double t0_ns, t1_ns;   /* visible time range */
  double x0_px, width_px; /* plot area (right of the lane labels) */
} TlTimeMap;

static inline double
tl_time_to_x (const TlTimeMap *m, double t_ns)
{
  return m->x0_px + (t_ns - m->t0_ns) * m->width_px / (m->t1_ns - m->t0_ns);
}

static inline double
tl_x_to_time (const TlTimeMap *m, double x_px)
{
  return m->t0_ns + (x_px - m->x0_px) * (m->t1_ns - m->t0_ns) / m->width_px;
}

typedef enum
{
  TL_THEME_LIGHT = 0,
  TL_THEME_DARK,
} TlTheme;

typedef struct
{
  TlTimeMap map;
  double width_px, height_px;
  double label_width_px;  /* lane label column */
  double lane_height_px;
  double group_header_px;
  double ruler_height_px;
  double scroll_y_px;      /* vertical scroll of the lane area */
  double font_size;
  TlTheme theme;
  gboolean show_flows;
  gboolean show_counters;
  gboolean show_legend;
  const guint8 *group_collapsed; /* per group, may be NULL */
  const guint8 *group_hidden;    /* per group, may be NULL (e.g. "draw one AIC group") */
  /* highlight: spans of this (stage, task, iter) are emphasised (stage stepping); -1 = none */
  int hl_stage, hl_task, hl_iter;
  /* selection */
  int sel_group, sel_lane;
  gsize sel_span;
  double range_t0_ns, range_t1_ns; /* shift-drag measured range; equal = none */
} TlView;

void tl_view_init (TlView *view, const SimTrace *trace, double width_px, double height_px);
/* Fit the whole trace into the plot area. */
void tl_view_fit (TlView *view, const SimTrace *trace);

/* Draw everything (ruler, labels, lanes, counters, flows, highlights) into cr. */
void tl_render_draw (cairo_t *cr, const TlView *view, const SimTrace *trace);

/* Hit testing for tooltips and selection: TRUE if (x, y) is over a span. */
gboolean tl_render_hit (const TlView *view, const SimTrace *trace, double x, double y,
                        int *group, int *lane, gsize *span);
/* Lane at y (for pixel tests and hit tests): FALSE if none. */
gboolean tl_render_lane_at (const TlView *view, const SimTrace *trace, double y, int *group,
                            int *lane);
/* y of the top of a lane, -1 if hidden/collapsed. */
double tl_render_lane_y (const TlView *view, const SimTrace *trace, int group, int lane);
/* Total content height (for scrolling). */
double tl_render_content_height (const TlView *view, const SimTrace *trace);

/* Stage colours (RGB 0..1) shared by legend, export and tests. */
void tl_stage_color (SimStage stage, TlTheme theme, double rgb[3]);

G_END_DECLS
