/* src/app/amlaviz-export-dialog.h — File ▸ Export… (Ctrl+E): the timeline as PNG, SVG or PDF.
 *
 * A dialog over the session's current trace: format, range (whole run / the visible window),
 * cores (the drawn ones / all), width (PNG px with a 1×/2×/3× scale; SVG/PDF pt), PDF pages (one
 * / one per core group), theme, metrics box, flag arrows, counter tracks, file name and folder —
 * and a live preview drawn with the exporter's own page layout (tl_export_draw_page), redrawn
 * shortly after any change (amlaviz-export-preview.c).  Export writes through tl_export_file in the
 * session's worker (atomic: a failure leaves the old file whole; the dialog stays responsive),
 * shows errors inside the dialog, and asks before replacing an existing file.  Enter exports, Esc
 * cancels.  The options of the last successful export are remembered in GSettings (schema
 * io.github.amlaviz.Amlaviz.export).  Every option is a property, so tests and scripts set them
 * without clicking.
 * Opened by the window's export action (amlaviz_window_export_dialog).
 */
#pragma once

#include <gtk/gtk.h>
#include "src/app/amlaviz-session.h"
#include "src/render/export.h"

G_BEGIN_DECLS

/* TlExportFormat as a GEnum (PNG, SVG, PDF) for the "format" property. */
#define AMLAVIZ_TYPE_EXPORT_FORMAT (amlaviz_export_format_get_type ())
GType amlaviz_export_format_get_type (void);

typedef enum
{
  AMLAVIZ_EXPORT_THEME_LIGHT = 0, /* print: white background */
  AMLAVIZ_EXPORT_THEME_DARK,
  AMLAVIZ_EXPORT_THEME_WINDOW, /* whatever the window's timeline draws with */
} AmlavizExportTheme;
#define AMLAVIZ_TYPE_EXPORT_THEME (amlaviz_export_theme_get_type ())
GType amlaviz_export_theme_get_type (void);

#define AMLAVIZ_TYPE_EXPORT_DIALOG (amlaviz_export_dialog_get_type ())
G_DECLARE_FINAL_TYPE (AmlavizExportDialog, amlaviz_export_dialog, AMLAVIZ, EXPORT_DIALOG, GtkDialog)

/* Properties: "session" (construct-only), "format" (AmlavizExportFormat), "visible-range",
 * "all-cores", "png-width" (px), "scale" (1..3), "vector-width" (pt), "page-per-group", "theme"
 * (AmlavizExportTheme), "metrics", "flows", "counters", "folder", "file-name", "path" (folder +
 * file name; setting it also picks the format from the extension).
 * Signal "exported" (const char *path) after a file was written; the dialog then closes. */
AmlavizExportDialog *amlaviz_export_dialog_new (GtkWindow *parent, AmlavizSession *session);

/* What the Export button (or Enter) does: write the file, or ask first when it exists. */
void amlaviz_export_dialog_export (AmlavizExportDialog *self);
/* The "Replace …?" question while it is open, else NULL (tests answer it with
 * gtk_dialog_response: GTK_RESPONSE_ACCEPT replaces, anything else keeps the old file). */
GtkDialog *amlaviz_export_dialog_get_confirm (AmlavizExportDialog *self);
/* The error shown in the dialog, NULL if none. */
const char *amlaviz_export_dialog_get_error (AmlavizExportDialog *self);

/* The options export would use now; *groups (free with g_free) backs opt->groups. */
void amlaviz_export_dialog_get_options (AmlavizExportDialog *self, TlExportOptions *opt,
                                        guint8 **groups);
/* Render the pending preview now instead of after the debounce; the preview image (owned by the
 * dialog, NULL if there is nothing to show) and the caption under it. */
void amlaviz_export_dialog_update_preview (AmlavizExportDialog *self);
cairo_surface_t *amlaviz_export_dialog_get_preview (AmlavizExportDialog *self);
const char *amlaviz_export_dialog_get_caption (AmlavizExportDialog *self);

G_END_DECLS
