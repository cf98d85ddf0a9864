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
#include "sim/trace/trace.h"
#include "src/render/timemap.h"
#include "src/render/search.h"

G_BEGIN_DECLS

typedef enum
{
  TL_THEME_LIGHT = 0,
  TL_THEME_DARK,
} TlTheme;

typedef enum
{
  TL_TEXT_LEFT = 0,
  TL_TEXT_CENTER,
  TL_TEXT_RIGHT,
} TlTextAlign;

/* x, y: baseline anchor in device units; size in device units; rgba 0..1. */
typedef void (*TlTextSink) (gpointer user_data, const char *utf8, double x, double y,
                            double size, gboolean bold, TlTextAlign align, const double rgba[4]);

/* A marker: a band [t0, t1] (a line when t0 == t1) with a label, coloured by color index. */
typedef struct
{
  double t0_ns, t1_ns;
  char *label;
  int color;
} TlMarker;

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
  /* flag arrows stroked a frame at most (an even sample past it, with a note); 0 (as
   * tl_view_init leaves it): TL_FLOW_CURVES_MAX, or one per TL_FLOW_PX_PER_CURVE of plot on a
   * larger page */
  guint flow_curves_max;
  gboolean show_counters;
  gboolean show_legend;
  /* stages to list in the legend (bit 1 << SimStage, from tl_trace_stage_mask); none of C1 V1 C2
   * V2 COMBINE = no legend; -1 = the AMLA stages whenever a group is an AI core */
  int legend_stage_mask;
  /* the ruler counts from here (a foreign trace's first event, 629 s into the profile) and says
   * so in the label column; 0 = absolute time */
  double time_origin_ns;
  const guint8 *group_collapsed; /* per group, may be NULL */
  const guint8 *group_hidden;    /* per group, may be NULL (e.g. "draw one AIC group") */
  /* highlight: spans of this (stage, task, iter) are emphasised (stage stepping); -1 = none */
  int hl_stage, hl_task, hl_iter;
  /* search: matching spans are emphasised, the rest dimmed (with a step, both must hold); NULL =
   * none.  Compiled for this trace (tl_search_get_trace). */
  const TlSearch *search;
  /* markers drawn as bands over the lanes with their label on the ruler; may be NULL */
  const TlMarker *markers;
  guint n_markers;
  int current_marker; /* drawn bolder; -1 = none */
  /* per counter: the hardware's capacity in the counter's unit (the chart's scale, labelled
   * "capacity"), 0 = unknown (scaled to, and labelled with, the run's observed peak); may be NULL */
  const double *counter_capacity;
  guint n_counter_capacity;
  /* pinned lanes: (group, lane) pairs drawn at the top, under the ruler, whatever the scroll */
  const int *pinned_lanes;
  guint n_pinned_lanes;
  /* selection */
  int sel_group, sel_lane;
  gsize sel_span;
  double range_t0_ns, range_t1_ns; /* shift-drag measured range; equal = none */
  int sel_flow;                    /* selected flow (index in trace->flows): drawn on top, the
                                    * others faded; -1 = none */
  /* Text sink (export to SVG): when set, text is handed to it in device coordinates instead of
   * being drawn as glyphs, so the SVG writer can emit real <text> elements. */
  TlTextSink text_sink;
  gpointer text_sink_data;
} TlView;

void tl_view_init (TlView *view, const SimTrace *trace, double width_px, double height_px);
/* Fit the whole trace into the plot area. */
void tl_view_fit (TlView *view, const SimTrace *trace);

/* Draw everything (ruler, labels, lanes, counters, flows, highlights) into cr. */
void tl_render_draw (cairo_t *cr, const TlView *view, const SimTrace *trace);
/* The ruler's major ticks (absolute times): round steps from view->time_origin_ns, at least
 * 60 px apart and wide enough for the widest label, measured with cr's font. */
void tl_render_ruler_ticks (cairo_t *cr, const TlView *view, TlTicks *ticks);

/* Hit testing for tooltips and selection: TRUE if (x, y) is over a span. */
gboolean tl_render_hit (const TlView *view, const SimTrace *trace, double x, double y,
                        int *group, int *lane, gsize *span);
/* The flow arrow within 4 px of (x, y), when flows are shown: FALSE if none. */
gboolean tl_render_flow_at (const TlView *view, const SimTrace *trace, double x, double y,
                            guint *flow);
/* The counter track at y: FALSE if none. */
gboolean tl_render_counter_at (const TlView *view, const SimTrace *trace, double y, int *counter);
/* A counter's value at t (a step chart: the last sample at or before t; 0 before the first). */
double tl_counter_value_at (const SimCounter *counter, double t_ns);
/* "312 KiB", "1573 GB/s" — a value in the counter's unit. */
void tl_format_counter_value (const SimCounter *counter, double value, char *buf, gsize n);
/* The line under a counter track's name that gives its scale: "capacity 512 KiB" (capacity > 0),
 * "observed peak 1573 GB/s", or with negative values "observed -40 v to -20 v". */
void tl_counter_scale_text (const SimCounter *counter, double capacity, char *buf, gsize n);
/* Lane at y (for pixel tests and hit tests): FALSE if none. */
gboolean tl_render_lane_at (const TlView *view, const SimTrace *trace, double y, int *group,
                            int *lane);
/* Width the label column needs for every drawn group, lane and counter label to show whole. */
double tl_render_labels_width (const TlView *view, const SimTrace *trace);
/* The group whose header row is at y, -1 if none. */
int tl_render_header_at (const TlView *view, const SimTrace *trace, double y);
/* y of the top of a lane, -1 if hidden/collapsed. */
double tl_render_lane_y (const TlView *view, const SimTrace *trace, int group, int lane);
/* Total content height (for scrolling). */
double tl_render_content_height (const TlView *view, const SimTrace *trace);

/* Stage colours (RGB 0..1) shared by legend, export and tests. */
void tl_stage_color (SimStage stage, TlTheme theme, double rgb[3]);
/* Colour of a span: its stage's, or for stage NONE a stable colour from a hash of its name. */
void tl_span_color (const SimSpan *span, const SimTrace *trace, TlTheme theme, double rgb[3]);

/* Theme colours for the chrome around the spans. */
typedef enum
{
  TL_COLOR_BACKGROUND = 0,
  TL_COLOR_LANE_ALT,     /* every other lane */
  TL_COLOR_HEADER,       /* group header row and label column */
  TL_COLOR_TEXT,
  TL_COLOR_TEXT_DIM,
  TL_COLOR_GRID,
  TL_COLOR_SELECTION,
  TL_COLOR_RANGE,        /* measured range fill (alpha in rgba[3]) */
  TL_COLOR_FLOW,
  TL_COLOR_COUNTER,
  TL_N_COLORS
} TlColor;
void tl_theme_color (TlTheme theme, TlColor which, double rgba[4]);
/* Flow (flag) colours: a flag's name picks one of a few colours, so each flag keeps its colour. */
int tl_flow_palette_size (void);
void tl_flow_palette_color (int index, TlTheme theme, double rgb[3]);
int tl_flow_color_index (const SimTrace *trace, const SimFlow *flow);
/* Marker colours (RGB), distinct from the stage colours; index wraps. */
void tl_marker_color (int index, TlTheme theme, double rgb[3]);

/* The stage legend (C1 QK^T, V1 softmax, ...) drawn left to right from (x, y) (top-left);
 * returns its width.  stage_mask: bit (1 << SimStage) per stage to list, 0 = C1 V1 C2 V2.
 * Used by the view overlay and by export. */
double tl_render_legend (cairo_t *cr, const TlView *view, guint stage_mask, double x, double y);
/* The same in rows no wider than max_width (an item wider than that has a row of its own), drawn
 * only if draw; returns the rows (each TL_LEGEND_ROW font sizes high), the widest in *width. */
#define TL_LEGEND_ROW 1.5
int tl_render_legend_wrapped (cairo_t *cr, const TlView *view, guint stage_mask, double x, double y,
                              double max_width, gboolean draw, double *width);
/* Which stages occur in the trace (bit 1 << SimStage); scans every span once. */
guint tl_trace_stage_mask (const SimTrace *trace);
/* Human description of a stage for legends: "QKᵀ", "softmax", ... */
const char *tl_stage_caption (SimStage stage);

/* Counters of the last tl_render_draw on this thread (tests and the benchmark read them):
 * the LOD must keep rects bounded by pixels however many spans a lane holds. */
typedef struct
{
  guint64 spans_visited;  /* spans looked at */
  guint64 rects;          /* rectangles filled (after fusing) */
  guint64 fills;          /* cairo_fill calls (batches) */
  guint64 texts;          /* labels drawn inside spans */
  guint64 lanes_drawn;
  guint64 flow_curves; /* flag arrows stroked (after leaving out those on a drawn one's pixels) */
} TlRenderStats;
/* Flag arrows stroked a frame at most (TlView.flow_curves_max): this many, or one per this many
 * px² of plot when that is more (a tall export of every core); past it an even sample of them,
 * and a note says so (timeline-flows.c).  Legible, and a frame's time stays bounded. */
#define TL_FLOW_CURVES_MAX 1000
#define TL_FLOW_PX_PER_CURVE 1000.0
const TlRenderStats *tl_render_last_stats (void);

G_END_DECLS
