/* src/app/amlaviz-window.h — the main window: header bar, controls and metrics panel, the
 * timeline (and the pinned A timeline when comparing), the details pane, error/read-only bars, and
 * the Sweep view beside the timeline (a stack switched from the header bar or by app.view).
 *
 * A view over the AmlavizSession: widgets are bound to the session's actions (app.*) and redraw
 * on its signals.  File dialogs (open, save as, export) live here because they need a parent.
 */
#pragma once

#include <gtk/gtk.h>
#include "src/app/amlaviz-session.h"
#include "src/app/amlaviz-sweep-view.h"
#include "src/app/amlaviz-timeline-view.h"

G_BEGIN_DECLS

#define AMLAVIZ_TYPE_WINDOW (amlaviz_window_get_type ())
G_DECLARE_FINAL_TYPE (AmlavizWindow, amlaviz_window, AMLAVIZ, WINDOW, GtkApplicationWindow)

/* settings may be NULL (no window size remembered). */
AmlavizWindow *amlaviz_window_new (GtkApplication *app, AmlavizSession *session,
                                   GSettings *settings);
AmlavizSession *amlaviz_window_get_session (AmlavizWindow *self);
AmlavizTimelineView *amlaviz_window_get_timeline (AmlavizWindow *self, gboolean pinned);

/* The view in the window's stack: "timeline" or "sweep" ("toggle" switches); FALSE for another
 * name.  The app.view action drives it and mirrors it. */
gboolean amlaviz_window_set_view (AmlavizWindow *self, const char *name);
const char *amlaviz_window_get_view (AmlavizWindow *self);
AmlavizSweepView *amlaviz_window_get_sweep_view (AmlavizWindow *self);

void amlaviz_window_open_dialog (AmlavizWindow *self);
/* Save to the current file, or ask where (always ask when save_as). */
void amlaviz_window_save_dialog (AmlavizWindow *self, gboolean save_as);
void amlaviz_window_export_dialog (AmlavizWindow *self);
/* "What drives this number?" for the current configuration (app.sensitivity); presents the open
 * one if there is one.  Nothing for a loaded foreign trace (no configuration to vary). */
void amlaviz_window_sensitivity_dialog (AmlavizWindow *self);

/* The window's text widgets, for tests. */
const char *amlaviz_window_get_metrics_text (AmlavizWindow *self);
const char *amlaviz_window_get_step_text (AmlavizWindow *self);
/* NULL while the numerics block is hidden (foreign trace). */
const char *amlaviz_window_get_numerics_text (AmlavizWindow *self);
/* The what-if note under the Hardware row; NULL when hidden (the preset as it is). */
const char *amlaviz_window_get_what_if_text (AmlavizWindow *self);
/* TRUE while the "Opening …" bar is shown or about to be; fraction of its progress bar. */
gboolean amlaviz_window_get_load_bar (AmlavizWindow *self, double *fraction);

/* The details pane (tests follow its links). */
GtkLabel *amlaviz_window_get_details_label (AmlavizWindow *self);
/* Show the search bar and focus its entry (app.find: / and Ctrl+F). */
void amlaviz_window_find (AmlavizWindow *self);
/* "3 of 120", "120 matches", "no matches" or "" (tests). */
const char *amlaviz_window_get_search_count_text (AmlavizWindow *self);

G_END_DECLS
