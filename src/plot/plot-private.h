/* src/plot/plot-private.h — the drawing helpers the plots of src/plot share (the sweep plot and
 * roofline in plot.c, the tornado in tornado.c): fonts, text, ticks, axes and atomic image files.
 * Only src/plot includes it; plot.h and tornado.h are the API. */
#pragma once

#include "src/plot/plot.h"

G_BEGIN_DECLS

#define PLOT_FONT_SIZE 12.0
#define PLOT_TITLE_SIZE 14.0

/* A 1×1 image context for measuring text before a layout exists (cairo_destroy it). */
cairo_t *plot_scratch_context (void);
void plot_set_font (cairo_t *cr, double size, gboolean bold);
double plot_text_width (cairo_t *cr, const char *s);
/* Text at (x, y) aligned by align_x (0 left … 1 right) and align_y (0 baseline … 1 a line below).
 */
void plot_draw_text (cairo_t *cr, double x, double y, const char *s, double align_x,
                     double align_y);
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
