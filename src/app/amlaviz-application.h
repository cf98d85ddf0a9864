/* src/app/amlaviz-application.h — the GtkApplication: single instance, one session, one window.
 *
 * Exports the session's actions as app.* actions (so `gapplication action
 * io.github.amlaviz.Amlaviz ACTION [VALUE]` drives a running window) plus its own: open,
 * open-file, save, save-as, save-to, export, export-to, shortcuts, about, quit; sets the keyboard
 * accelerators; opens files given on the command line (`amlaviz FILE`).
 */
#pragma once

#include <gtk/gtk.h>
#include "src/app/amlaviz-session.h"
#include "src/app/amlaviz-window.h"

G_BEGIN_DECLS

#define AMLAVIZ_APP_ID "io.github.amlaviz.Amlaviz"

#define AMLAVIZ_TYPE_APPLICATION (amlaviz_application_get_type ())
G_DECLARE_FINAL_TYPE (AmlavizApplication, amlaviz_application, AMLAVIZ, APPLICATION,
                      GtkApplication)

/* extra_flags: e.g. G_APPLICATION_NON_UNIQUE for in-process tests. */
AmlavizApplication *amlaviz_application_new (GApplicationFlags extra_flags);
AmlavizSession *amlaviz_application_get_session (AmlavizApplication *self);
AmlavizWindow *amlaviz_application_get_window (AmlavizApplication *self);

/* The app's settings: the installed schema, else the one compiled in the build tree
 * ($AMLAVIZ_SCHEMA_DIR overrides); NULL (nothing remembered) if neither is found. */
GSettings *amlaviz_settings_new (void);
/* The same for another schema of ours (AMLAVIZ_APP_ID ".export"). */
GSettings *amlaviz_settings_new_for_schema (const char *schema_id);

G_END_DECLS
