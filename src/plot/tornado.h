/* src/plot/tornado.h — the tornado chart of a sensitivity report (kernels/sensitivity.h), drawn
 * with cairo; shared by `amlasim sensitivity --plot` and the window's "What drives this number?"
 * dialog.
 *
 * One row per assumed preset field, in the report's order (largest swing first); in each row two
 * bars start at the base utilisation: the field at its low value (upper bar) and at its high value
 * (lower bar), in two colours named by the legend, each labelled with the utilisation it reaches.
 * The field's name and its low … high values are written left of the bars.  Two panels side by
 * side share that label column and one x scale: the configuration's rescale and the other one
 * (only the first when the image is too narrow).  Skipped fields show why.
 */
#pragma once

#include <cairo.h>
#include <glib.h>
#include "kernels/sensitivity.h"

G_BEGIN_DECLS

/* Where the chart put things, so tests (and the window) can find a bar on the image. */
typedef struct
{
  guint n_rows;
  guint n_panels;                       /* 2, or 1 when the image is narrow */
  double label_left;                    /* the field-name column starts here */
  double panel_left[2], panel_right[2]; /* the bar area of each panel, pixels */
  double top, row_height;               /* row i spans [top + i·row_height, + row_height) */
  double x_min, x_max;                  /* the utilisation axis, percent, shared by the panels */
} TornadoFrame;

/* x pixel of a utilisation (percent) in a panel. */
double tornado_frame_x_px (const TornadoFrame *f, guint panel, double util_percent);
/* y pixel of the centre of row i's low bar (upper) or high bar (lower). */
double tornado_frame_bar_y (const TornadoFrame *f, guint row, gboolean high);

/* Colours (RGB 0..1) of the low and high bars. */
void tornado_bar_color (gboolean high, double rgb[3]);

/* The height that fits every row at the chart's row height (the CLI's default). */
int tornado_natural_height (const SensitivityReport *report);

/* Lay out without drawing; FALSE (PLOT_ERROR_INVALID) when the image is too small. */
gboolean tornado_layout (const SensitivityReport *report, double width, double height,
                         TornadoFrame *frame, GError **error);
gboolean tornado_draw (cairo_t *cr, double width, double height, const SensitivityReport *report,
                       TornadoFrame *frame, GError **error);
/* .png, .svg or .pdf by extension, atomically (a failure leaves no file). */
gboolean tornado_write_file (const char *path, const SensitivityReport *report, int width,
                             int height, GError **error);

G_END_DECLS
