/* src/app/amlaviz-sweep-view.h — the window's Sweep view: where do preload, tiling and AMLA matter?
 *
 * A plot (src/plot, drawn in a GtkDrawingArea) beside a settings pane: the swept axis (B, S_kv, S_q
 * or H) and its values (the syntax of `amlasim sweep`: comma lists and A..B, A..B+STEP, A..B*FACTOR
 * ranges, parsed by kernels/sweep.h), which toggle combinations (all 8, the current one, or
 * picked), the y metric and the plot kind.  The other axes come from the session's configuration
 * (the timeline's controls).  The run state is the session's (amlaviz-session-sweep.h): Run turns
 * the settings into the words of the session's sweep-run action and activates it, Cancel and
 * Export are sweep-cancel and sweep-export, and the view follows the session's "sweep-changed"
 * as results stream in (the plot redraws as they arrive).  Hover a point for its
 * numbers; click it (or amlaviz_sweep_view_activate_point) and the view emits "open-config", which
 * the window turns into "show this configuration's timeline".  Export writes PNG/SVG/PDF
 * atomically.
 */
#pragma once

#include <gtk/gtk.h>
#include "src/app/amlaviz-session-sweep.h"
#include "src/plot/plot.h"

G_BEGIN_DECLS

#define AMLAVIZ_TYPE_SWEEP_VIEW (amlaviz_sweep_view_get_type ())
G_DECLARE_FINAL_TYPE (AmlavizSweepView, amlaviz_sweep_view, AMLAVIZ, SWEEP_VIEW, GtkBox)

/* Which toggle combinations a sweep runs. */
typedef enum
{
  AMLAVIZ_SWEEP_TOGGLES_ALL = 0, /* all 8 */
  AMLAVIZ_SWEEP_TOGGLES_CURRENT, /* the session's */
  AMLAVIZ_SWEEP_TOGGLES_PICK,    /* the values ticked in the pane */
} AmlavizSweepToggles;

/* Bits of a pick: which values of each toggle take part. */
enum
{
  AMLAVIZ_PICK_PRELOAD_ON = 1 << 0,
  AMLAVIZ_PICK_PRELOAD_OFF = 1 << 1,
  AMLAVIZ_PICK_TILING_ON = 1 << 2,
  AMLAVIZ_PICK_TILING_OFF = 1 << 3,
  AMLAVIZ_PICK_RESCALE_AMLA = 1 << 4,
  AMLAVIZ_PICK_RESCALE_MUL = 1 << 5,
};

void amlaviz_sweep_view_set_session (AmlavizSweepView *self, AmlavizSession *session);

/* The settings (the same widgets a user changes).  axis: batch, kv, sq or heads. */
void amlaviz_sweep_view_set_axis (AmlavizSweepView *self, SweepAxis axis);
void amlaviz_sweep_view_set_values (AmlavizSweepView *self, const char *values);
/* pick_mask (AMLAVIZ_PICK_*) is used with AMLAVIZ_SWEEP_TOGGLES_PICK. */
void amlaviz_sweep_view_set_toggles (AmlavizSweepView *self, AmlavizSweepToggles mode,
                                     guint pick_mask);
void amlaviz_sweep_view_set_plot (AmlavizSweepView *self, PlotKind kind, PlotY y);

/* The grid the settings describe around the session's configuration; NULL with an error naming
 * the bad value. */
SweepGrid *amlaviz_sweep_view_build_grid (AmlavizSweepView *self, GError **error);

/* Start a sweep (cancelling one that runs); FALSE with the reason shown in the pane if the
 * settings are invalid.  Cancel stops it; the results so far stay on the plot. */
gboolean amlaviz_sweep_view_run (AmlavizSweepView *self);
void amlaviz_sweep_view_cancel (AmlavizSweepView *self);
gboolean amlaviz_sweep_view_is_running (AmlavizSweepView *self);
/* Progress of the last sweep: done of total. */
void amlaviz_sweep_view_get_progress (AmlavizSweepView *self, guint64 *done, guint64 *total);
/* The results on the plot (sorted by grid point); never NULL. */
const GArray *amlaviz_sweep_view_get_results (AmlavizSweepView *self);
/* The status line under the progress bar ("48 of 48 done in 3.1 s", an error, …). */
const char *amlaviz_sweep_view_get_status (AmlavizSweepView *self);

/* The plot as last drawn on screen: FALSE if nothing is plotted yet. */
gboolean amlaviz_sweep_view_get_frame (AmlavizSweepView *self, PlotFrame *frame, PlotKind *kind,
                                       PlotY *y);
GtkWidget *amlaviz_sweep_view_get_plot_area (AmlavizSweepView *self);
/* The result drawn nearest to (x, y) in plot-area pixels, within a few pixels; -1 if none. */
int amlaviz_sweep_view_hit_test (AmlavizSweepView *self, double x, double y);
/* Open result index's configuration: emits "open-config" (void handler (AmlavizSweepView *,
 * const AmlaConfig *, gpointer)). */
void amlaviz_sweep_view_activate_point (AmlavizSweepView *self, guint index);
/* Tooltip markup for a result: configuration, total time, TFLOPS, utilisation, bound + reason. */
char *amlaviz_sweep_view_describe_point (AmlavizSweepView *self, guint index);

/* Write the plot (as shown: kind, y, the drawing area's size) to a .png, .svg or .pdf file,
 * atomically. */
gboolean amlaviz_sweep_view_export (AmlavizSweepView *self, const char *path, GError **error);
/* Ask where (the chooser confirms overwriting), then export; errors go to the status line. */
void amlaviz_sweep_view_export_dialog (AmlavizSweepView *self);

/* Hover point index (-1 none) as the pointer would; the label drawn beside it (roofline: its
 * S_kv), NULL when none. */
void amlaviz_sweep_view_set_hover (AmlavizSweepView *self, int index);
char *amlaviz_sweep_view_get_hover_tag (AmlavizSweepView *self);

G_END_DECLS
