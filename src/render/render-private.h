/* src/render/render-private.h — helpers shared inside src/render only: palette indices for
 * colour batching, and the timeline's row layout and text helpers that its files (timeline.c,
 * timeline-layout.c, -lod.c, -tracks.c, -flows.c, -labels.c, -overlays.c, text.c) share.  Names
 * start with _tl_; nothing outside src/render includes this. */
#pragma once

#include "src/render/text.h"
#include "src/render/timeline.h"

G_BEGIN_DECLS

/* Palette index: 0..SIM_N_STAGES-1 stage colours, then the name-hash colours. */
int tl_palette_index (const SimSpan *span, const SimTrace *trace);
int tl_palette_size (void);
void tl_palette_color (int index, TlTheme theme, double rgb[3]);

#define TL_MAX_DEPTH_ROWS 16 /* nesting levels drawn in a lane; deeper ones share the last */
#define TL_HEAT_LEVELS 8     /* shades of a collapsed group's heat strip */
#define TL_PIN_GAP_PX 3.0    /* the line between pinned lanes and the scrolled ones */

typedef enum
{
  ROW_HEADER,
  ROW_LANE,
  ROW_COUNTER,
} RowKind;

typedef struct
{
  RowKind kind;
  int group, lane, counter;
  double y, h;
  gboolean pinned; /* a pinned lane: at the top, not scrolled */
} Row;

/* The counters of the last tl_render_draw (tl_render_last_stats). */
extern _Thread_local TlRenderStats _tl_last_stats;

/* colors.c */
double _tl_luminance (const double rgb[3]);

/* timeline-layout.c */
GArray *_tl_layout_rows (const TlView *view, const SimTrace *trace); /* Row, top to bottom */
const Row *_tl_find_row_at (GArray *rows, double y);
gboolean _tl_group_hidden (const TlView *view, guint g);
double _tl_pinned_height (const TlView *view, const SimTrace *trace);

/* text.c: labels shaped by Pango and cached per thread and target (see text.c); size in user
 * units, y the baseline.  The _draw_ functions hand the text to view->text_sink when it has one. */
double _tl_text_width (cairo_t *cr, const char *s, double size, gboolean bold);
void _tl_font_extents (cairo_t *cr, double size, gboolean bold, double *ascent, double *descent);
void _tl_show_text (cairo_t *cr, const char *s, double x, double y, double size, gboolean bold,
                    TlTextAlign align, const double rgba[4]);
/* s within max_w: whole, else ellipsized by Pango; FALSE (nothing drawn) if not even two
 * characters and the ellipsis fit.  rgba NULL only measures; *width (may be NULL) the width. */
gboolean _tl_show_text_fit (cairo_t *cr, const char *s, double max_w, double x, double y,
                            double size, gboolean bold, TlTextAlign align, const double rgba[4],
                            double *width);
void _tl_draw_text (cairo_t *cr, const TlView *view, const char *s, double x, double y,
                    double size, gboolean bold, TlTextAlign align, const double rgba[4]);
gboolean _tl_draw_text_fit (cairo_t *cr, const TlView *view, const char *s, double max_w, double x,
                            double y, double size, gboolean bold, TlTextAlign align,
                            const double rgba[4]);
/* The width _tl_draw_text_fit would give s, or -1 if it would draw nothing. */
double _tl_fit_width (cairo_t *cr, const TlView *view, const char *s, double max_w, double size,
                      gboolean bold);
/* s cut to max_w as characters, for a text sink: a prefix + "…" (out: len(s) + 4 bytes). */
gboolean _tl_fit_text (cairo_t *cr, const char *s, double size, gboolean bold, double max_w,
                       char *out, gsize out_size);

/* timeline-lod.c */
void _tl_draw_spans (cairo_t *cr, const TlView *view, const SimTrace *trace, GArray *rows,
                     double top, double bottom);

/* timeline-tracks.c */
double _tl_counter_capacity (const TlView *view, int counter);
/* end_ns: the trace's end, to which the last sample's value holds */
void _tl_draw_counter (cairo_t *cr, const TlView *view, const SimCounter *c, int index,
                       double end_ns, double y, double h);
void _tl_draw_heat_strip (cairo_t *cr, const TlView *view, const SimTrace *trace, int group,
                          double y, double h);

/* timeline-flows.c */
void _tl_draw_flows (cairo_t *cr, const TlView *view, const SimTrace *trace, GArray *rows);

/* timeline-labels.c */
void _tl_draw_ruler (cairo_t *cr, const TlView *view, const TlTicks *ticks);
void _tl_draw_labels (cairo_t *cr, const TlView *view, const SimTrace *trace, GArray *rows,
                      double top, double bottom);
double _tl_legend_width (cairo_t *cr, const TlView *view, guint stage_mask);

/* timeline-overlays.c */
void _tl_draw_range (cairo_t *cr, const TlView *view, double top, double bottom);
void _tl_draw_range_tag (cairo_t *cr, const TlView *view);
void _tl_draw_markers (cairo_t *cr, const TlView *view, double top, double bottom);
void _tl_draw_selection (cairo_t *cr, const TlView *view, const SimTrace *trace, GArray *rows);

G_END_DECLS
