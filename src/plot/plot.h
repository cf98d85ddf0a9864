/* src/plot/plot.h — sweep plots drawn with cairo (no GTK, no other plotting dependency), shared by
 * `amlasim sweep/merge --plot/--roofline` and the GUI's Sweep view.
 *
 * Two views of a set of SweepResults (kernels/sweep.h):
 *  - the sweep plot: Cube utilisation (or TFLOPS) against one shape axis, one line per
 *    combination of the other varying axes (the toggles, typically), log x when the axis spans a
 *    decade, with the Cube-peak ceiling and the memory roof (KV read once from HBM) marked;
 *  - the roofline: arithmetic intensity (FLOP per HBM byte) against achieved TFLOPS, one point per
 *    run, under each preset's compute roof and HBM bandwidth roof, with the ridge point.
 * A PlotFrame maps data to pixels so tests (and hover in the GUI) can find a point on the image.
 */
#pragma once

#include <cairo.h>
#include <glib.h>
#include "kernels/sweep.h"

G_BEGIN_DECLS

#define PLOT_ERROR (plot_error_quark ())
GQuark plot_error_quark (void);

typedef enum
{
  PLOT_ERROR_INVALID, /* nothing to plot, or an axis that does not vary */
  PLOT_ERROR_WRITE,
} PlotError;

typedef enum
{
  PLOT_Y_UTILIZATION = 0, /* Cube utilisation, % of the preset's peak */
  PLOT_Y_TFLOPS,
} PlotY;

typedef struct
{
  SweepAxis x_axis; /* a numeric axis; SWEEP_N_AXES = the numeric axis with the most values */
  PlotY y;
  const char *title; /* NULL: generated from the fixed axes */
} PlotOptions;

void plot_options_init (PlotOptions *opt);
gboolean plot_y_parse (const char *name, PlotY *out); /* "util"/"utilization", "tflops" */

/* Where the data lives on the image. */
typedef struct
{
  double x_min, x_max, y_min, y_max; /* data range of the axes */
  gboolean x_log, y_log;
  double left, top, right, bottom; /* the plot area in pixels */
  SweepAxis x_axis;                /* the axis chosen (sweep plot) */
  guint n_series;
  /* the legend: right of the plot, or below it in columns when the image is tall and narrow
   * (the window's Sweep pane) so the plot keeps its width */
  gboolean legend_below;
  double legend_x, legend_y, legend_col_w;
  guint legend_cols;
} PlotFrame;

double plot_frame_x_px (const PlotFrame *f, double x);
double plot_frame_y_px (const PlotFrame *f, double y);

/* Draw the next plots on cr in dark colours (paper, grid, text); the default is light. */
void plot_set_dark (cairo_t *cr, gboolean dark);

/* Colour of series i (RGB 0..1); a fixed palette, so images are reproducible. */
void plot_series_color (guint i, double rgb[3]);
/* The colour as drawn in a light or dark plot (black becomes light grey on dark paper). */
void plot_series_color_themed (guint i, gboolean dark, double rgb[3]);

/* Sweep plot.  Series i (as drawn, legend order) is listed by plot_sweep_series. */
gboolean plot_sweep_layout (const GArray *results, const PlotOptions *opt, double width,
                            double height, PlotFrame *frame, GError **error);
gboolean plot_sweep_draw (cairo_t *cr, double width, double height, const GArray *results,
                          const PlotOptions *opt, PlotFrame *frame, GError **error);
/* Series of the sweep plot: each a GArray of result indices sorted by x, labels (if non-NULL)
 * appended.  x_axis = SWEEP_N_AXES groups by toggles and preset only (the roofline's colours). */
GPtrArray *plot_sweep_series (const GArray *results, SweepAxis x_axis, GPtrArray *labels);

/* Roofline: x = FLOP per HBM byte, y = TFLOPS, log-log. */
gboolean plot_roofline_layout (const GArray *results, double width, double height, PlotFrame *frame,
                               GError **error);
gboolean plot_roofline_draw (cairo_t *cr, double width, double height, const GArray *results,
                             PlotFrame *frame, GError **error);

typedef enum
{
  PLOT_KIND_SWEEP,
  PLOT_KIND_ROOFLINE,
} PlotKind;

/* Where a result is drawn on a plot of that kind laid out in frame (the sweep plot reads y and
 * frame->x_axis), in pixels; FALSE when the plot does not draw it (a failed run; on the roofline, a
 * run without HBM traffic).  The GUI's hover and click and the tests' pixel probes use it. */
gboolean plot_result_point_px (const SweepResult *r, PlotKind kind, PlotY y, const PlotFrame *frame,
                               double *x_px, double *y_px);

/* Write a plot to path (.png, .svg or .pdf, by extension) atomically: a temporary file in the
 * same directory renamed over path, so a failure never leaves a half-written file. */
gboolean plot_write_file (const char *path, PlotKind kind, const GArray *results,
                          const PlotOptions *opt, int width, int height, GError **error);

G_END_DECLS
