/* src/app/amlaviz-sensitivity-dialog.h — "What drives this number?" (app.sensitivity, Ctrl+T).
 *
 * A dialog over the session's current configuration: it runs sensitivity_run
 * (kernels/sensitivity.h) in a GTask worker as soon as it opens — every assumed preset field at a
 * low and a high value, for this rescale and the other — with a progress bar and a Cancel button,
 * then draws the tornado chart (src/plot/tornado.h, the same drawing as amlasim sensitivity --plot)
 * and fills a table with the same rows.  Recompute runs it again for the window's configuration
 * as it is now; Save Chart writes PNG/SVG/PDF.  Closing the dialog cancels the worker; a result
 * that arrives after that is dropped.  Opened by amlaviz_window_sensitivity_dialog.
 */
#pragma once

#include <gtk/gtk.h>
#include "kernels/sensitivity.h"
#include "src/app/amlaviz-session.h"
#include "src/plot/tornado.h"

G_BEGIN_DECLS

#define AMLAVIZ_TYPE_SENSITIVITY_DIALOG (amlaviz_sensitivity_dialog_get_type ())
G_DECLARE_FINAL_TYPE (AmlavizSensitivityDialog, amlaviz_sensitivity_dialog, AMLAVIZ,
                      SENSITIVITY_DIALOG, GtkDialog)

/* Property "session" (construct-only).  The computation starts at once. */
AmlavizSensitivityDialog *amlaviz_sensitivity_dialog_new (GtkWindow *parent,
                                                          AmlavizSession *session);

/* (Re)compute for the session's configuration now, cancelling a run in flight. */
void amlaviz_sensitivity_dialog_start (AmlavizSensitivityDialog *self);
/* Stop the run in flight (the status says "Cancelled"); the last finished report stays. */
void amlaviz_sensitivity_dialog_cancel (AmlavizSensitivityDialog *self);
gboolean amlaviz_sensitivity_dialog_is_running (AmlavizSensitivityDialog *self);
/* Runs finished and runs in all, of the run in flight or the last one. */
void amlaviz_sensitivity_dialog_get_progress (AmlavizSensitivityDialog *self, guint *done,
                                              guint *total);
/* The last finished report, NULL before the first one. */
const SensitivityReport *amlaviz_sensitivity_dialog_get_report (AmlavizSensitivityDialog *self);
/* "Computing…", "30 runs in 2.1 s.", "Cancelled.", or the error. */
const char *amlaviz_sensitivity_dialog_get_status (AmlavizSensitivityDialog *self);

/* The widgets, for tests: the chart's drawing area and frame (FALSE before it was drawn), and the
 * table's model (one row per report row; column 0 the field). */
GtkWidget *amlaviz_sensitivity_dialog_get_chart (AmlavizSensitivityDialog *self);
gboolean amlaviz_sensitivity_dialog_get_frame (AmlavizSensitivityDialog *self, TornadoFrame *frame);
GtkTreeModel *amlaviz_sensitivity_dialog_get_table (AmlavizSensitivityDialog *self);

/* Write the chart at the size shown (.png, .svg or .pdf), atomically. */
gboolean amlaviz_sensitivity_dialog_save_chart (AmlavizSensitivityDialog *self, const char *path,
                                                GError **error);

G_END_DECLS
