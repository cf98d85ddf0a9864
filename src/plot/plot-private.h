/* src/plot/plot-private.h — the drawing helpers the plots of src/plot share (the sweep plot and
 * roofline in plot-sweep.c and plot-roofline.c, the tornado in tornado.c): inks, series styles,
 * fonts, text, ticks, legend, axes and atomic image files.
 * Only src/plot includes it; plot.h and tornado.h are the API. */
#pragma once

#include "src/plot/plot.h"
#include "src/render/text.h"

G_BEGIN_DECLS

#define PLOT_FONT_SIZE 12.0
#define PLOT_TITLE_SIZE 14.0

/* The layout of the sweep plot and the roofline (points). */
#define FONT_SIZE PLOT_FONT_SIZE
#define TITLE_SIZE PLOT_TITLE_SIZE
#define MARGIN_LEFT 72.0
#define MARGIN_TOP 44.0
#define MARGIN_BOTTOM 56.0
#define MARGIN_RIGHT_AXIS 64.0 /* room for the secondary (TFLOPS) axis */
#define LEGEND_PAD 12.0
#define MARKER_RADIUS 3.5

/* The chart's own colours (paper, grid, text, frame, the ceiling and the roof), light or dark:
 * plot_set_dark marks a cairo context, so the window's Sweep view follows a dark GTK theme while
 * files and the CLI stay light. */
typedef enum
{
  INK_PAPER,
  INK_GRID,
  INK_TICK_TEXT,
  INK_FRAME,
  INK_TEXT,
  INK_REFERENCE, /* Cube peak ceiling, compute roof */
  INK_ROOF,      /* memory roof */
  N_INKS
} Ink;

typedef struct
{
  const char *label;
  int style; /* >= 0: series index; -1 ceiling; -2 memory roof */
  gboolean marker;
  gboolean no_line; /* points only (roofline) */
} LegendEntry;

/* plot-series.c: the series' look and data */
void plot_set_ink (cairo_t *cr, Ink which);
/* Colour and dash of series i (dashed once the palette repeats), themed by plot_set_dark. */
void plot_set_series_style (cairo_t *cr, guint i);
/* Marker shape i % 8 (circle, square, triangles, diamond, plus, cross, star) of radius ~r. */
void plot_draw_marker (cairo_t *cr, guint i, double x, double y, double r);
int plot_axis_value (const AmlaConfig *c, SweepAxis axis);
/* Append c's value on axis ("H=64", the preset's name, …) to s, after ", " if s is not empty. */
void plot_append_axis_value (GString *s, const AmlaConfig *c, SweepAxis axis);
/* Which axes take more than one value among the (successful) results. */
void plot_varying_axes (const GArray *results, gboolean varies[SWEEP_N_AXES]);
/* The x axis: wanted, or for SWEEP_N_AXES the shape axis with the most values (S_kv on ties). */
SweepAxis plot_choose_x_axis (const GArray *results, SweepAxis wanted);
/* Memory roof in TFLOPS: HBM delivering the KV cache once, plus Q in and O out (BF16). */
double plot_memory_roof_tflops (const SweepResult *r);
double plot_y_value (const SweepResult *r, PlotY y);

/* plot-axes.c: frame, legend and ticks shared by the sweep plot and the roofline */
int plot_cmp_double (gconstpointer a, gconstpointer b);
/* Width of a legend with these labels (and extra, NULL-terminated, may be NULL). */
double plot_legend_width (GPtrArray *labels, const char *const *extra);
void plot_place_legend (PlotFrame *f, double width, double height, double legend_w, guint n,
                        double axis_gap, double legend_offset);
/* Log ticks: decades, with 2 and 5 when the range spans less than three decades. */
GArray *plot_log_ticks (double lo, double hi);
void plot_draw_legend (cairo_t *cr, const PlotFrame *f, const LegendEntry *entries, guint n);

/* A 1×1 image context for measuring text before a layout exists (cairo_destroy it). */
cairo_t *plot_scratch_context (void);
/* fonts: tl_set_font (src/render/text.h), the one the timeline and the exporter use */
double plot_text_width (cairo_t *cr, const char *s);
/* Text at (x, y) aligned by align_x (0 left … 1 right) and align_y (0 baseline … 1 a line below).
 */
void plot_draw_text (cairo_t *cr, double x, double y, const char *s, double align_x,
                     double align_y);
/* The same cut to max_width with "…" at the end when longer (max_width <= 0: never cut). */
void plot_draw_text_ellipsized (cairo_t *cr, double x, double y, const char *s, double align_x,
                                double align_y, double max_width);
/* Nice linear ticks: 1, 2 or 5 × 10^k apart, about n of them (a GArray of double). */
GArray *plot_linear_ticks (double lo, double hi, int n);
void plot_format_tick (char *buf, gsize len, double v);
/* Grid lines and labels for the ticks, the frame, and the axis labels (y rotated). */
void plot_draw_axes (cairo_t *cr, const PlotFrame *f, GArray *x_ticks, GArray *y_ticks,
                     const char *x_label, const char *y_label, const char *y_suffix);

/* Draw an image of width × height into cr; FALSE with an error leaves no file behind. */
typedef gboolean (*PlotDrawFunc) (cairo_t *cr, int width, int height, gpointer data,
                                  GError **error);
/* Write what draw draws to path (.png, .svg or .pdf, by extension) atomically: a temporary file in
 * the same directory renamed over path. */
gboolean plot_write_image (const char *path, int width, int height, PlotDrawFunc draw,
                           gpointer data, GError **error);

G_END_DECLS
