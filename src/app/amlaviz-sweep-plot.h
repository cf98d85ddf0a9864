/* src/app/amlaviz-sweep-plot.h — the Sweep view's plot: a drawing area that draws the session's
 * sweep results (src/plot: the sweep plot or the roofline, light or dark with the GTK theme),
 * rings the point under the pointer (with its S_kv on the roofline), shows a point's numbers in a
 * tooltip and says which point is clicked.  The results, progress and swept axis are the
 * session's (amlaviz-session-sweep.h); the view (amlaviz-sweep-view.c) owns one and sets its
 * kind.  It also tells the session the size it is shown at, so sweep-export draws the same.
 */
#pragma once

#include <gtk/gtk.h>
#include "src/app/amlaviz-session-sweep.h"

G_BEGIN_DECLS

#define AMLAVIZ_TYPE_SWEEP_PLOT (amlaviz_sweep_plot_get_type ())
G_DECLARE_FINAL_TYPE (AmlavizSweepPlot, amlaviz_sweep_plot, AMLAVIZ, SWEEP_PLOT, GtkDrawingArea)

/* Signals: "hover-changed" (int index, -1 none) and "activate-point" (guint index, a click). */

void amlaviz_sweep_plot_set_session (AmlavizSweepPlot *self, AmlavizSession *session);
/* What to draw: the sweep plot (with y) or the roofline. */
void amlaviz_sweep_plot_set_kind (AmlavizSweepPlot *self, PlotKind kind, PlotY y);
/* Tell the session the kind and the size shown (at least 640 × 400; 900 × 560 before shown). */
void amlaviz_sweep_plot_sync (AmlavizSweepPlot *self);
/* The session's results (empty before there is a session); never NULL. */
const GArray *amlaviz_sweep_plot_get_results (AmlavizSweepPlot *self);
/* A new sweep: forget the hovered and pressed points. */
void amlaviz_sweep_plot_reset_pointer (AmlavizSweepPlot *self);

/* The plot as last drawn: FALSE if nothing is plotted yet. */
gboolean amlaviz_sweep_plot_get_frame (AmlavizSweepPlot *self, PlotFrame *frame, PlotKind *kind,
                                       PlotY *y);
/* The result drawn nearest to (x, y) in pixels, within a few pixels; -1 if none. */
int amlaviz_sweep_plot_hit_test (AmlavizSweepPlot *self, double x, double y);
/* Emit "activate-point" for result index. */
void amlaviz_sweep_plot_activate_point (AmlavizSweepPlot *self, guint index);
/* Tooltip markup for a result: configuration, total time, TFLOPS, utilisation, bound + reason. */
char *amlaviz_sweep_plot_describe_point (AmlavizSweepPlot *self, guint index);
/* Hover point index (-1 none) as the pointer would; the label drawn beside it, NULL if none. */
void amlaviz_sweep_plot_set_hover (AmlavizSweepPlot *self, int index);
char *amlaviz_sweep_plot_get_hover_tag (AmlavizSweepPlot *self);

G_END_DECLS
