/* src/app/amlaviz-session-sweep.h — the session's sweep: a grid of configurations simulated in a
 * worker around the session's configuration, results streaming in, progress, status, the plot
 * written to a file.  The Sweep view (amlaviz-sweep-view.c) shows it; the actions make it
 * scriptable like the timeline:
 *
 *   sweep-run (s)     words: AXIS=VALUES for each swept axis (the syntax of `amlasim sweep`:
 *                     kv=512..4096*2 B=1,8,16 preload=on,off rescale=amla,mul …) and
 *                     toggles=all (all 8 combinations) or toggles=current (the default).  The
 *                     first numeric axis named is the plot's x.  Cancels a sweep that runs.
 *   sweep-cancel      stop it; the results so far stay (enabled while a sweep runs)
 *   sweep-export (s)  write the plot (kind and metric as the view shows them) to a .png, .svg or
 *                     .pdf file, atomically (enabled when there are results)
 *
 * e.g. gapplication action io.github.amlaviz.Amlaviz sweep-run "'kv=512,1024 toggles=current'".
 * Errors and outcomes go to the sweep's status line ("4 runs in 0.3 s…", "Plot written to …").
 */
#pragma once

#include "kernels/sweep.h"
#include "src/app/amlaviz-session.h"
#include "src/plot/plot.h"

G_BEGIN_DECLS

/* The grid the words describe around the session's configuration, and the swept axis (the first
 * numeric one named); NULL with an error naming the bad word or value (axes by their titles:
 * S_kv, B, S_q, H). */
SweepGrid *amlaviz_session_sweep_grid (AmlavizSession *self, const char *words, SweepAxis *axis,
                                       GError **error);
/* Start the sweep the words describe (action sweep-run); FALSE with the reason in the status. */
gboolean amlaviz_session_sweep_run (AmlavizSession *self, const char *words);
void amlaviz_session_sweep_cancel (AmlavizSession *self);
gboolean amlaviz_session_sweep_is_running (AmlavizSession *self);
/* Progress of the last sweep: done of total. */
void amlaviz_session_sweep_get_progress (AmlavizSession *self, guint64 *done, guint64 *total);
/* The results so far (SweepResult, sorted by grid point); never NULL. */
const GArray *amlaviz_session_sweep_get_results (AmlavizSession *self);
/* The axis the results were swept over and how many values it had. */
SweepAxis amlaviz_session_sweep_get_axis (AmlavizSession *self, guint *n_values);
/* The status line; *is_error (may be NULL) says whether to show it as an error. */
const char *amlaviz_session_sweep_get_status (AmlavizSession *self, gboolean *is_error);
void amlaviz_session_sweep_set_status (AmlavizSession *self, const char *text, gboolean is_error);

/* What sweep-export draws: the view keeps these as shown (default: sweep plot, utilisation,
 * 900 × 560, the CLI's size). */
void amlaviz_session_sweep_set_plot (AmlavizSession *self, PlotKind kind, PlotY y, int width,
                                     int height);
/* Write the plot as set above; the status says where or why not. */
gboolean amlaviz_session_sweep_export (AmlavizSession *self, const char *path, GError **error);

/* "B", "S_kv", "S_q", "H", else the axis's name. */
const char *amlaviz_sweep_axis_title (SweepAxis axis);

/* Signals on the session: "sweep-started" (a new sweep replaced the results) and
 * "sweep-changed" (results, progress or status moved). */

G_END_DECLS
