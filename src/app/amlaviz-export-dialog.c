/* src/app/amlaviz-export-dialog.c — File ▸ Export… (see the header). */
#include "src/app/amlaviz-export-dialog.h"
#include "src/app/amlaviz-application.h"
#include "src/app/amlaviz-describe.h"
#include "src/app/amlaviz-export-preview.h"
#include "src/app/amlaviz-window.h"

#include <math.h>
#include <string.h>

#define PREVIEW_DEBOUNCE_MS 120

struct _AmlavizExportDialog
{
  GtkDialog parent_instance;

  AmlavizSession *session;
  GSettings *settings; /* remembered options; NULL without the schema */
  /* options (the widgets are bound to these) */
  TlExportFormat format;
  gboolean visible_range, all_cores, page_per_group;
  int png_width, scale, vector_width;
  AmlavizExportTheme theme;
  gboolean metrics, flows, counters;
  char *folder, *file_name;

  gboolean syncing; /* a widget is being set from a property: do not echo back */
  guint preview_timeout;
  AmlavizExportPreview preview;
  double last_preview_width_px;
  char *error;
  GtkDialog *confirm;
  char *confirm_path;
  gboolean holding; /* "All cores" is chosen: the session records every core meanwhile */
  gboolean writing; /* an export is being written in the session's worker */
  char *writing_path;

  /* template children */
  GtkInfoBar *error_bar;
  GtkLabel *error_label;
  GtkToggleButton *png_radio, *svg_radio, *pdf_radio;
  GtkToggleButton *whole_radio, *visible_radio, *drawn_radio, *all_radio;
  GtkToggleButton *one_page_radio, *per_group_radio;
  GtkSpinButton *png_width_spin, *vector_width_spin;
  GtkLabel *width_unit_label, *scale_label, *pages_label;
  GtkWidget *pages_box;
  GtkComboBoxText *scale_combo, *theme_combo;
  GtkToggleButton *metrics_check, *flows_check, *counters_check;
  GtkEntry *name_entry;
  GtkFileChooser *folder_button;
  GtkWidget *preview_area;
  GtkLabel *caption_label;
  GtkWidget *export_button;
};

G_DEFINE_FINAL_TYPE (AmlavizExportDialog, amlaviz_export_dialog, GTK_TYPE_DIALOG)

enum
{
  PROP_0,
  PROP_SESSION,
  PROP_FORMAT,
  PROP_VISIBLE_RANGE,
  PROP_ALL_CORES,
  PROP_PNG_WIDTH,
  PROP_SCALE,
  PROP_VECTOR_WIDTH,
  PROP_PAGE_PER_GROUP,
  PROP_THEME,
  PROP_METRICS,
  PROP_FLOWS,
  PROP_COUNTERS,
  PROP_FOLDER,
  PROP_FILE_NAME,
  PROP_PATH,
  N_PROPS
};
static GParamSpec *properties[N_PROPS];

enum
{
  SIGNAL_EXPORTED,
  N_SIGNALS
};
static guint signals[N_SIGNALS];

/* ------------------------------------------------------------------ enums */

GType
amlaviz_export_format_get_type (void)
{
  static gsize type = 0;
  if (g_once_init_enter (&type))
    {
      static const GEnumValue values[] = {
        { TL_EXPORT_PNG, "TL_EXPORT_PNG", "png" },
        { TL_EXPORT_SVG, "TL_EXPORT_SVG", "svg" },
        { TL_EXPORT_PDF, "TL_EXPORT_PDF", "pdf" },
        { 0, NULL, NULL },
      };
      g_once_init_leave (&type, g_enum_register_static ("AmlavizExportFormat", values));
    }
  return type;
}

GType
amlaviz_export_theme_get_type (void)
{
  static gsize type = 0;
  if (g_once_init_enter (&type))
    {
      static const GEnumValue values[] = {
        { AMLAVIZ_EXPORT_THEME_LIGHT, "AMLAVIZ_EXPORT_THEME_LIGHT", "light" },
        { AMLAVIZ_EXPORT_THEME_DARK, "AMLAVIZ_EXPORT_THEME_DARK", "dark" },
        { AMLAVIZ_EXPORT_THEME_WINDOW, "AMLAVIZ_EXPORT_THEME_WINDOW", "window" },
        { 0, NULL, NULL },
      };
      g_once_init_leave (&type, g_enum_register_static ("AmlavizExportTheme", values));
    }
  return type;
}

/* ".png" for TL_EXPORT_AUTO too: the dialog always names a format. */
static const char *
format_extension (TlExportFormat format)
{
  const char *ext = sim_image_format_extension ((SimImageFormat) format);
  return ext != NULL ? ext : ".png";
}

/* ------------------------------------------------------------------ options */

static TlTheme
resolved_theme (AmlavizExportDialog *self)
{
  if (self->theme == AMLAVIZ_EXPORT_THEME_DARK)
    return TL_THEME_DARK;
  if (self->theme == AMLAVIZ_EXPORT_THEME_WINDOW)
    {
      GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (self));
      TlView v;
      if (parent && AMLAVIZ_IS_WINDOW (parent)
          && amlaviz_timeline_view_get_tl_view (
              amlaviz_window_get_timeline (AMLAVIZ_WINDOW (parent), FALSE), &v))
        return v.theme;
    }
  return TL_THEME_LIGHT;
}

void
amlaviz_export_dialog_get_options (AmlavizExportDialog *self, TlExportOptions *opt, guint8 **groups)
{
  g_return_if_fail (AMLAVIZ_IS_EXPORT_DIALOG (self));
  tl_export_options_init (opt);
  *groups = NULL;
  opt->format = self->format;
  if (self->visible_range)
    {
      opt->has_range = TRUE;
      amlaviz_session_get_window (self->session, &opt->t0_ns, &opt->t1_ns);
    }
  const SimTrace *trace = amlaviz_session_get_trace (self->session, FALSE);
  const guint8 *hidden = amlaviz_session_get_hidden (self->session, FALSE);
  if (!self->all_cores && trace && hidden)
    {
      *groups = g_new0 (guint8, MAX (trace->groups->len, 1));
      for (guint g = 0; g < trace->groups->len; g++)
        (*groups)[g] = !hidden[g];
      opt->groups = *groups;
    }
  gboolean vector = self->format != TL_EXPORT_PNG;
  opt->width = vector ? self->vector_width : self->png_width;
  opt->scale = vector ? 1 : self->scale;
  opt->page_per_group = self->format == TL_EXPORT_PDF && self->page_per_group;
  opt->theme = resolved_theme (self);
  opt->metrics = self->metrics;
  opt->flows = self->flows;
  opt->counters = self->counters;
  const AmlavizStep *st = amlaviz_session_get_step (self->session);
  if (st)
    {
      opt->hl_stage = st->stage;
      opt->hl_task = st->task;
      opt->hl_iter = st->iter;
    }
}

/* Folder + name, with the format's extension added when the name lacks it. */
static char *
target_path (AmlavizExportDialog *self)
{
  g_autofree char *name = g_strstrip (g_strdup (self->file_name ? self->file_name : ""));
  if (*name == '\0')
    return NULL;
  const char *ext = format_extension (self->format);
  if (!g_str_has_suffix (name, ext) && tl_export_format_from_path (name) != self->format)
    {
      char *with = g_strconcat (name, ext, NULL);
      g_free (name);
      name = with;
    }
  if (g_path_is_absolute (name))
    return g_steal_pointer (&name);
  return g_build_filename (self->folder ? self->folder : g_get_home_dir (), name, NULL);
}

/* ------------------------------------------------------------------ error bar */

static void
set_error (AmlavizExportDialog *self, const char *msg)
{
  g_free (self->error);
  self->error = g_strdup (msg);
  gtk_label_set_text (self->error_label, msg ? msg : "");
  gtk_info_bar_set_revealed (self->error_bar, msg != NULL);
}

/* ------------------------------------------------------------------ preview */

void
amlaviz_export_dialog_update_preview (AmlavizExportDialog *self)
{
  g_return_if_fail (AMLAVIZ_IS_EXPORT_DIALOG (self));
  g_clear_handle_id (&self->preview_timeout, g_source_remove);
  const SimTrace *trace = amlaviz_session_get_trace (self->session, FALSE);
  gtk_widget_set_sensitive (self->export_button, trace != NULL && !self->writing);
  TlExportOptions opt;
  g_autofree guint8 *groups = NULL;
  amlaviz_export_dialog_get_options (self, &opt, &groups);
  int avail = gtk_widget_get_allocated_width (self->preview_area);
  if (avail < 100)
    avail = 420;
  self->last_preview_width_px = avail;
  amlaviz_export_preview_render (&self->preview, trace, &opt, avail,
                                 gtk_widget_get_scale_factor (self->preview_area));
  if (self->preview.surface)
    gtk_widget_set_size_request (self->preview_area, -1, (int) ceil (self->preview.height_px));
  gtk_label_set_text (self->caption_label, self->preview.caption);
  gtk_widget_queue_draw (self->preview_area);
}

static gboolean
preview_timeout_cb (gpointer data)
{
  AmlavizExportDialog *self = data;
  self->preview_timeout = 0;
  amlaviz_export_dialog_update_preview (self);
  return G_SOURCE_REMOVE;
}

/* Options changed: redraw shortly (typing a width should not render on every digit). */
static void
queue_preview (AmlavizExportDialog *self)
{
  if (self->preview_timeout)
    g_source_remove (self->preview_timeout);
  self->preview_timeout = g_timeout_add (PREVIEW_DEBOUNCE_MS, preview_timeout_cb, self);
}

static gboolean
on_preview_draw (GtkWidget *widget, cairo_t *cr, gpointer user_data)
{
  AmlavizExportDialog *self = user_data;
  int w = gtk_widget_get_allocated_width (widget), h = gtk_widget_get_allocated_height (widget);
  amlaviz_export_preview_paint (&self->preview, cr, h);
  if (w > 0 && fabs (w - self->last_preview_width_px) > 1 && !self->preview_timeout)
    queue_preview (self); /* resized: refit */
  return TRUE;
}

/* ------------------------------------------------------------------ widgets <-> properties */

static void
sync_format_widgets (AmlavizExportDialog *self)
{
  gboolean png = self->format == TL_EXPORT_PNG, pdf = self->format == TL_EXPORT_PDF;
  self->syncing = TRUE;
  gtk_toggle_button_set_active (png   ? self->png_radio
                                : pdf ? self->pdf_radio
                                      : self->svg_radio,
                                TRUE);
  self->syncing = FALSE;
  gtk_widget_set_visible (GTK_WIDGET (self->png_width_spin), png);
  gtk_widget_set_visible (GTK_WIDGET (self->vector_width_spin), !png);
  gtk_label_set_text (self->width_unit_label, png ? "px" : "pt");
  gtk_widget_set_visible (GTK_WIDGET (self->scale_label), png);
  gtk_widget_set_visible (GTK_WIDGET (self->scale_combo), png);
  gtk_widget_set_visible (GTK_WIDGET (self->pages_label), pdf);
  gtk_widget_set_visible (self->pages_box, pdf);
}

/* The name's extension follows the format. */
static void
sync_name_extension (AmlavizExportDialog *self)
{
  if (self->file_name == NULL)
    return;
  const char *ext = format_extension (self->format);
  if (g_str_has_suffix (self->file_name, ext))
    return;
  GString *s = g_string_new (self->file_name);
  if (tl_export_format_from_path (s->str) != TL_EXPORT_AUTO)
    g_string_truncate (s, strrchr (s->str, '.') - s->str);
  g_string_append (s, ext);
  g_free (self->file_name);
  self->file_name = g_string_free (s, FALSE);
  self->syncing = TRUE;
  gtk_entry_set_text (self->name_entry, self->file_name);
  self->syncing = FALSE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FILE_NAME]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PATH]);
}

static void
set_format (AmlavizExportDialog *self, TlExportFormat format)
{
  if (format != TL_EXPORT_SVG && format != TL_EXPORT_PDF)
    format = TL_EXPORT_PNG;
  if (self->format == format)
    return;
  self->format = format;
  sync_format_widgets (self);
  sync_name_extension (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FORMAT]);
  queue_preview (self);
}

static void
set_file_name (AmlavizExportDialog *self, const char *name)
{
  if (g_strcmp0 (self->file_name, name) == 0)
    return;
  g_free (self->file_name);
  self->file_name = g_strdup (name);
  if (!self->syncing && g_strcmp0 (gtk_entry_get_text (self->name_entry), name ? name : "") != 0)
    {
      self->syncing = TRUE;
      gtk_entry_set_text (self->name_entry, name ? name : "");
      self->syncing = FALSE;
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FILE_NAME]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PATH]);
  set_error (self, NULL);
  /* typing "fig.pdf" picks PDF */
  TlExportFormat f = tl_export_format_from_path (name);
  if (f != TL_EXPORT_AUTO)
    set_format (self, f);
}

static void
set_folder (AmlavizExportDialog *self, const char *folder)
{
  if (g_strcmp0 (self->folder, folder) == 0)
    return;
  g_free (self->folder);
  self->folder = g_strdup (folder);
  if (!self->syncing && folder)
    {
      self->syncing = TRUE;
      gtk_file_chooser_set_current_folder (self->folder_button, folder);
      self->syncing = FALSE;
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FOLDER]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PATH]);
  set_error (self, NULL);
}

static void
set_path (AmlavizExportDialog *self, const char *path)
{
  if (path == NULL)
    return;
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *base = g_path_get_basename (path);
  set_folder (self, dir);
  set_file_name (self, base);
}

static void
on_format_toggled (GtkToggleButton *button, gpointer user_data)
{
  AmlavizExportDialog *self = user_data;
  if (self->syncing || !gtk_toggle_button_get_active (button))
    return;
  set_format (self, button == self->svg_radio   ? TL_EXPORT_SVG
                    : button == self->pdf_radio ? TL_EXPORT_PDF
                                                : TL_EXPORT_PNG);
}

static void
on_name_changed (GtkEditable *editable, gpointer user_data)
{
  AmlavizExportDialog *self = user_data;
  if (self->syncing)
    return;
  self->syncing = TRUE;
  set_file_name (self, gtk_entry_get_text (self->name_entry));
  self->syncing = FALSE;
}

static void
on_folder_changed (GtkFileChooser *chooser, gpointer user_data)
{
  AmlavizExportDialog *self = user_data;
  if (self->syncing)
    return;
  g_autofree char *folder = gtk_file_chooser_get_filename (chooser);
  if (folder == NULL)
    return;
  self->syncing = TRUE;
  set_folder (self, folder);
  self->syncing = FALSE;
}

static void
on_scale_changed (GtkComboBox *combo, gpointer user_data)
{
  AmlavizExportDialog *self = user_data;
  const char *id = gtk_combo_box_get_active_id (combo);
  if (self->syncing || id == NULL)
    return;
  g_object_set (self, "scale", atoi (id), NULL);
}

static void
on_theme_changed (GtkComboBox *combo, gpointer user_data)
{
  AmlavizExportDialog *self = user_data;
  if (self->syncing || gtk_combo_box_get_active (combo) < 0)
    return;
  g_object_set (self, "theme", gtk_combo_box_get_active (combo), NULL);
}

/* The session's window or drawn cores moved: new labels and a new preview. */
static void
update_labels (AmlavizExportDialog *self)
{
  const SimTrace *trace = amlaviz_session_get_trace (self->session, FALSE);
  const guint8 *hidden = amlaviz_session_get_hidden (self->session, FALSE);
  guint n = trace ? trace->groups->len : 0, drawn = 0;
  for (guint g = 0; g < n; g++)
    drawn += hidden == NULL || !hidden[g];
  g_autofree char *d = g_strdup_printf ("Drawn cores (%u of %u)", drawn, n);
  g_autofree char *a = g_strdup_printf ("All cores (%u)", n);
  gtk_button_set_label (GTK_BUTTON (self->drawn_radio), d);
  gtk_button_set_label (GTK_BUTTON (self->all_radio), a);
  double t0 = 0, t1 = 0;
  amlaviz_session_get_window (self->session, &t0, &t1);
  g_autofree char *a0 = amlaviz_format_time (t0);
  g_autofree char *a1 = amlaviz_format_time (t1);
  g_autofree char *v = g_strdup_printf ("Visible range (%s – %s)", a0, a1);
  gtk_button_set_label (GTK_BUTTON (self->visible_radio), v);
  if (trace)
    {
      g_autofree char *w = amlaviz_format_time (trace->end_ns - trace->start_ns);
      g_autofree char *wl = g_strdup_printf ("Whole run (%s)", w);
      gtk_button_set_label (GTK_BUTTON (self->whole_radio), wl);
    }
}

static void
on_session_changed (AmlavizExportDialog *self)
{
  update_labels (self);
  queue_preview (self);
}

static void
on_any_option (AmlavizExportDialog *self)
{
  set_error (self, NULL);
  queue_preview (self);
}

/* ------------------------------------------------------------------ export */

static const char *
enum_nick (GType type, int value)
{
  g_autoptr (GEnumClass) klass = g_type_class_ref (type);
  GEnumValue *v = g_enum_get_value (klass, value);
  return v ? v->value_nick : NULL;
}

static int
enum_from_nick (GType type, const char *nick, int fallback)
{
  g_autoptr (GEnumClass) klass = g_type_class_ref (type);
  GEnumValue *v = g_enum_get_value_by_nick (klass, nick);
  return v ? v->value : fallback;
}

/* The options of a successful export, offered again next time (GSettings schema
 * io.github.amlaviz.Amlaviz.export; without a schema nothing is remembered). */
static void
remember_options (AmlavizExportDialog *self)
{
  GSettings *s = self->settings;
  if (s == NULL)
    return;
  g_settings_delay (s);
  g_settings_set_string (s, "format", enum_nick (AMLAVIZ_TYPE_EXPORT_FORMAT, self->format));
  g_settings_set_boolean (s, "visible-range", self->visible_range);
  g_settings_set_boolean (s, "all-cores", self->all_cores);
  g_settings_set_boolean (s, "page-per-group", self->page_per_group);
  g_settings_set_int (s, "png-width", self->png_width);
  g_settings_set_int (s, "scale", self->scale);
  g_settings_set_int (s, "vector-width", self->vector_width);
  g_settings_set_string (s, "theme", enum_nick (AMLAVIZ_TYPE_EXPORT_THEME, self->theme));
  g_settings_set_boolean (s, "metrics", self->metrics);
  g_settings_set_boolean (s, "flows", self->flows);
  g_settings_set_boolean (s, "counters", self->counters);
  g_settings_set_string (s, "folder", self->folder ? self->folder : "");
  g_settings_set_boolean (s, "saved", TRUE);
  g_settings_apply (s);
}

/* The remembered options into the properties; the format's extension for *ext and the folder
 * (NULL if none was remembered or it is gone).  FALSE when nothing was remembered. */
static gboolean
restore_options (AmlavizExportDialog *self, const char **ext, char **folder)
{
  GSettings *s = self->settings;
  if (s == NULL || !g_settings_get_boolean (s, "saved"))
    return FALSE;
  g_autofree char *format = g_settings_get_string (s, "format");
  g_autofree char *theme = g_settings_get_string (s, "theme");
  g_object_set (self, "visible-range", g_settings_get_boolean (s, "visible-range"), "all-cores",
                g_settings_get_boolean (s, "all-cores"), "page-per-group",
                g_settings_get_boolean (s, "page-per-group"), "png-width",
                g_settings_get_int (s, "png-width"), "scale", g_settings_get_int (s, "scale"),
                "vector-width", g_settings_get_int (s, "vector-width"), "theme",
                enum_from_nick (AMLAVIZ_TYPE_EXPORT_THEME, theme, AMLAVIZ_EXPORT_THEME_LIGHT),
                "metrics", g_settings_get_boolean (s, "metrics"), "flows",
                g_settings_get_boolean (s, "flows"), "counters",
                g_settings_get_boolean (s, "counters"), NULL);
  *ext = format_extension (enum_from_nick (AMLAVIZ_TYPE_EXPORT_FORMAT, format, TL_EXPORT_PNG));
  *folder = g_settings_get_string (s, "folder");
  if (**folder == '\0' || !g_file_test (*folder, G_FILE_TEST_IS_DIR))
    g_clear_pointer (folder, g_free);
  return TRUE;
}

static void
set_writing (AmlavizExportDialog *self, gboolean writing)
{
  self->writing = writing;
  gtk_widget_set_sensitive (self->export_button, !writing);
  GdkWindow *gdk_window = gtk_widget_get_window (GTK_WIDGET (self));
  if (gdk_window == NULL)
    return;
  g_autoptr (GdkCursor) busy
      = writing ? gdk_cursor_new_from_name (gtk_widget_get_display (GTK_WIDGET (self)), "progress")
                : NULL;
  gdk_window_set_cursor (gdk_window, busy);
}

/* In the main context: the worker is done.  The dialog may have been closed meanwhile (Cancel
 * while writing): then the file is written, or not, and nobody is told but the session. */
static void
on_written (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (AmlavizExportDialog) self = user_data;
  g_autoptr (GError) error = NULL;
  gboolean ok = amlaviz_session_export_image_finish (AMLAVIZ_SESSION (source), result, &error);
  if (self->session == NULL) /* disposed */
    return;
  set_writing (self, FALSE);
  g_autofree char *path = g_steal_pointer (&self->writing_path);
  if (!ok)
    {
      /* the exporter's messages name the file and the reason: "cannot write …: …" */
      g_autofree char *msg = g_strdup (error->message);
      msg[0] = g_ascii_toupper (msg[0]);
      set_error (self, msg);
      return;
    }
  remember_options (self);
  g_signal_emit (self, signals[SIGNAL_EXPORTED], 0, path);
  gtk_widget_destroy (GTK_WIDGET (self));
}

/* Write path in a worker (the dialog keeps drawing; Export is off until it is done); replace:
 * the user agreed to replace an existing file. */
static void
write_file (AmlavizExportDialog *self, const char *path, gboolean replace)
{
  if (amlaviz_session_get_trace (self->session, FALSE) == NULL)
    {
      set_error (self, "Nothing to export yet: the run is still being simulated.");
      return;
    }
  TlExportOptions opt;
  g_autofree guint8 *groups = NULL;
  amlaviz_export_dialog_get_options (self, &opt, &groups);
  /* a file that appeared since we asked is not replaced behind the user's back */
  opt.no_overwrite = !replace;
  g_free (self->writing_path);
  self->writing_path = g_strdup (path);
  set_writing (self, TRUE);
  amlaviz_session_export_image_async (self->session, &opt, path, on_written, g_object_ref (self));
}

static void
on_confirm_response (GtkDialog *confirm, int response, gpointer user_data)
{
  AmlavizExportDialog *self = user_data;
  g_autofree char *path = g_steal_pointer (&self->confirm_path);
  self->confirm = NULL;
  gtk_widget_destroy (GTK_WIDGET (confirm));
  if (response == GTK_RESPONSE_ACCEPT)
    write_file (self, path, TRUE);
}

void
amlaviz_export_dialog_export (AmlavizExportDialog *self)
{
  g_return_if_fail (AMLAVIZ_IS_EXPORT_DIALOG (self));
  if (self->confirm || self->writing)
    return;
  set_error (self, NULL);
  g_autofree char *path = target_path (self);
  if (path == NULL)
    {
      set_error (self, "Enter a file name.");
      gtk_widget_grab_focus (GTK_WIDGET (self->name_entry));
      return;
    }
  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_autofree char *msg = g_strdup_printf ("%s is a folder; enter a file name.", path);
      set_error (self, msg);
      return;
    }
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      write_file (self, path, FALSE);
      return;
    }
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *dir = g_path_get_dirname (path);
  GtkWidget *q = gtk_message_dialog_new (
      GTK_WINDOW (self), GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT, GTK_MESSAGE_QUESTION,
      GTK_BUTTONS_NONE, "Replace “%s”?", base);
  gtk_message_dialog_format_secondary_text (GTK_MESSAGE_DIALOG (q),
                                            "A file with this name already exists in %s. "
                                            "Replacing it overwrites its contents.",
                                            dir);
  gtk_dialog_add_button (GTK_DIALOG (q), "_Cancel", GTK_RESPONSE_CANCEL);
  GtkWidget *replace = gtk_dialog_add_button (GTK_DIALOG (q), "_Replace", GTK_RESPONSE_ACCEPT);
  gtk_style_context_add_class (gtk_widget_get_style_context (replace), "destructive-action");
  gtk_dialog_set_default_response (GTK_DIALOG (q), GTK_RESPONSE_CANCEL);
  self->confirm = GTK_DIALOG (q);
  self->confirm_path = g_steal_pointer (&path);
  g_signal_connect (q, "response", G_CALLBACK (on_confirm_response), self);
  gtk_window_present (GTK_WINDOW (q));
}

GtkDialog *
amlaviz_export_dialog_get_confirm (AmlavizExportDialog *self)
{
  g_return_val_if_fail (AMLAVIZ_IS_EXPORT_DIALOG (self), NULL);
  return self->confirm;
}

const char *
amlaviz_export_dialog_get_error (AmlavizExportDialog *self)
{
  g_return_val_if_fail (AMLAVIZ_IS_EXPORT_DIALOG (self), NULL);
  return self->error;
}

cairo_surface_t *
amlaviz_export_dialog_get_preview (AmlavizExportDialog *self)
{
  g_return_val_if_fail (AMLAVIZ_IS_EXPORT_DIALOG (self), NULL);
  return self->preview.surface;
}

const char *
amlaviz_export_dialog_get_caption (AmlavizExportDialog *self)
{
  g_return_val_if_fail (AMLAVIZ_IS_EXPORT_DIALOG (self), NULL);
  return self->preview.caption;
}

static void
amlaviz_export_dialog_response (GtkDialog *dialog, int response)
{
  AmlavizExportDialog *self = AMLAVIZ_EXPORT_DIALOG (dialog);
  if (response == GTK_RESPONSE_OK)
    amlaviz_export_dialog_export (self); /* stays open on an error or while asking */
  else
    gtk_widget_destroy (GTK_WIDGET (self));
}

/* Enter exports from anywhere but a plain button (Cancel, the folder button): GTK would let a
 * focused check box or combo eat it. */
static gboolean
amlaviz_export_dialog_key_press (GtkWidget *widget, GdkEventKey *event)
{
  guint mods = event->state & gtk_accelerator_get_default_mod_mask ();
  if ((event->keyval == GDK_KEY_Return || event->keyval == GDK_KEY_KP_Enter
       || event->keyval == GDK_KEY_ISO_Enter)
      && mods == 0)
    {
      GtkWidget *focus = gtk_window_get_focus (GTK_WINDOW (widget));
      gboolean plain_button = focus && GTK_IS_BUTTON (focus) && !GTK_IS_TOGGLE_BUTTON (focus);
      if (!plain_button)
        {
          if (focus && GTK_IS_SPIN_BUTTON (focus))
            gtk_spin_button_update (GTK_SPIN_BUTTON (focus));
          gtk_dialog_response (GTK_DIALOG (widget), GTK_RESPONSE_OK);
          return TRUE;
        }
    }
  return GTK_WIDGET_CLASS (amlaviz_export_dialog_parent_class)->key_press_event (widget, event);
}

/* ------------------------------------------------------------------ GObject */

static void
amlaviz_export_dialog_get_property (GObject *object, guint prop_id, GValue *value,
                                    GParamSpec *pspec)
{
  AmlavizExportDialog *self = AMLAVIZ_EXPORT_DIALOG (object);
  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    case PROP_FORMAT:
      g_value_set_enum (value, self->format);
      break;
    case PROP_VISIBLE_RANGE:
      g_value_set_boolean (value, self->visible_range);
      break;
    case PROP_ALL_CORES:
      g_value_set_boolean (value, self->all_cores);
      break;
    case PROP_PNG_WIDTH:
      g_value_set_int (value, self->png_width);
      break;
    case PROP_SCALE:
      g_value_set_int (value, self->scale);
      break;
    case PROP_VECTOR_WIDTH:
      g_value_set_int (value, self->vector_width);
      break;
    case PROP_PAGE_PER_GROUP:
      g_value_set_boolean (value, self->page_per_group);
      break;
    case PROP_THEME:
      g_value_set_enum (value, self->theme);
      break;
    case PROP_METRICS:
      g_value_set_boolean (value, self->metrics);
      break;
    case PROP_FLOWS:
      g_value_set_boolean (value, self->flows);
      break;
    case PROP_COUNTERS:
      g_value_set_boolean (value, self->counters);
      break;
    case PROP_FOLDER:
      g_value_set_string (value, self->folder);
      break;
    case PROP_FILE_NAME:
      g_value_set_string (value, self->file_name);
      break;
    case PROP_PATH:
      g_value_take_string (value, target_path (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* Set a plain field; notify and redraw only on a change (bindings echo values back). */
#define SET_FIELD(field, v)                                                                        \
  G_STMT_START                                                                                     \
  {                                                                                                \
    if (self->field != (v))                                                                        \
      {                                                                                            \
        self->field = (v);                                                                         \
        g_object_notify_by_pspec (object, pspec);                                                  \
        on_any_option (self);                                                                      \
      }                                                                                            \
  }                                                                                                \
  G_STMT_END

/* "All cores" previews and exports every core: a run that recorded only the drawn ones (the
 * session's partial runs) is completed while that is chosen. */
static void
sync_hold (AmlavizExportDialog *self)
{
  gboolean want = self->all_cores && self->session != NULL;
  if (want == self->holding)
    return;
  self->holding = want;
  amlaviz_session_hold_all_cores (self->session, want);
}

static void
amlaviz_export_dialog_set_property (GObject *object, guint prop_id, const GValue *value,
                                    GParamSpec *pspec)
{
  AmlavizExportDialog *self = AMLAVIZ_EXPORT_DIALOG (object);
  switch (prop_id)
    {
    case PROP_SESSION:
      self->session = g_value_dup_object (value);
      break;
    case PROP_FORMAT:
      set_format (self, g_value_get_enum (value));
      break;
    case PROP_VISIBLE_RANGE:
      SET_FIELD (visible_range, g_value_get_boolean (value));
      break;
    case PROP_ALL_CORES:
      SET_FIELD (all_cores, g_value_get_boolean (value));
      sync_hold (self);
      break;
    case PROP_PNG_WIDTH:
      SET_FIELD (png_width, g_value_get_int (value));
      break;
    case PROP_VECTOR_WIDTH:
      SET_FIELD (vector_width, g_value_get_int (value));
      break;
    case PROP_PAGE_PER_GROUP:
      SET_FIELD (page_per_group, g_value_get_boolean (value));
      break;
    case PROP_METRICS:
      SET_FIELD (metrics, g_value_get_boolean (value));
      break;
    case PROP_FLOWS:
      SET_FIELD (flows, g_value_get_boolean (value));
      break;
    case PROP_COUNTERS:
      SET_FIELD (counters, g_value_get_boolean (value));
      break;
    case PROP_SCALE:
      SET_FIELD (scale, g_value_get_int (value));
      {
        char id[8];
        g_snprintf (id, sizeof id, "%d", self->scale);
        self->syncing = TRUE;
        gtk_combo_box_set_active_id (GTK_COMBO_BOX (self->scale_combo), id);
        self->syncing = FALSE;
      }
      break;
    case PROP_THEME:
      SET_FIELD (theme, (AmlavizExportTheme) g_value_get_enum (value));
      self->syncing = TRUE;
      gtk_combo_box_set_active (GTK_COMBO_BOX (self->theme_combo), self->theme);
      self->syncing = FALSE;
      break;
    case PROP_FOLDER:
      set_folder (self, g_value_get_string (value));
      break;
    case PROP_FILE_NAME:
      set_file_name (self, g_value_get_string (value));
      break;
    case PROP_PATH:
      set_path (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* A name for the image: the trace file's, else the configuration's. */
static char *
default_stem (AmlavizSession *session)
{
  const char *file = amlaviz_session_get_file (session);
  if (file)
    {
      g_autofree char *base = g_path_get_basename (file);
      char *dot = strrchr (base, '.');
      if (dot && dot != base)
        *dot = '\0';
      return g_steal_pointer (&base);
    }
  const AmlaConfig *c = amlaviz_session_get_config (session);
  return g_strdup_printf ("amla-B%d-kv%d%s%s-%s", c->batch, c->kv_len,
                          c->preload ? "" : "-nopreload", c->tiling ? "" : "-notiling",
                          amla_rescale_name (c->rescale));
}

static void
amlaviz_export_dialog_constructed (GObject *object)
{
  AmlavizExportDialog *self = AMLAVIZ_EXPORT_DIALOG (object);
  G_OBJECT_CLASS (amlaviz_export_dialog_parent_class)->constructed (object);
  g_return_if_fail (self->session != NULL);

  /* booleans and widths: the widgets are views of the fields */
  static const struct
  {
    const char *prop;
    gsize widget_offset;
    const char *widget_prop;
    GBindingFlags extra;
  } binds[] = {
    { "visible-range", G_STRUCT_OFFSET (AmlavizExportDialog, visible_radio), "active", 0 },
    { "visible-range", G_STRUCT_OFFSET (AmlavizExportDialog, whole_radio), "active",
      G_BINDING_INVERT_BOOLEAN },
    { "all-cores", G_STRUCT_OFFSET (AmlavizExportDialog, all_radio), "active", 0 },
    { "all-cores", G_STRUCT_OFFSET (AmlavizExportDialog, drawn_radio), "active",
      G_BINDING_INVERT_BOOLEAN },
    { "page-per-group", G_STRUCT_OFFSET (AmlavizExportDialog, per_group_radio), "active", 0 },
    { "page-per-group", G_STRUCT_OFFSET (AmlavizExportDialog, one_page_radio), "active",
      G_BINDING_INVERT_BOOLEAN },
    { "metrics", G_STRUCT_OFFSET (AmlavizExportDialog, metrics_check), "active", 0 },
    { "flows", G_STRUCT_OFFSET (AmlavizExportDialog, flows_check), "active", 0 },
    { "counters", G_STRUCT_OFFSET (AmlavizExportDialog, counters_check), "active", 0 },
    { "png-width", G_STRUCT_OFFSET (AmlavizExportDialog, png_width_spin), "value", 0 },
    { "vector-width", G_STRUCT_OFFSET (AmlavizExportDialog, vector_width_spin), "value", 0 },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (binds); i++)
    g_object_bind_property (
        self, binds[i].prop, G_STRUCT_MEMBER (GObject *, self, binds[i].widget_offset),
        binds[i].widget_prop, G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE | binds[i].extra);

  /* start from the last export's options, else from what the window shows */
  self->settings = amlaviz_settings_new_for_schema (AMLAVIZ_APP_ID ".export");
  g_autofree char *stem = default_stem (self->session);
  g_autofree char *name = NULL;
  g_autofree char *last_folder = NULL;
  const char *folder = NULL;
  const char *ext = ".png";
  const char *file = amlaviz_session_get_file (self->session);
  g_autofree char *file_dir = file ? g_path_get_dirname (file) : NULL;
  if (!restore_options (self, &ext, &last_folder))
    g_object_set (self, "flows", amlaviz_session_get_show_flows (self->session), NULL);
  folder = last_folder;
  if (folder == NULL)
    {
      folder = file_dir ? file_dir : g_get_user_special_dir (G_USER_DIRECTORY_PICTURES);
      if (folder == NULL || !g_file_test (folder, G_FILE_TEST_IS_DIR))
        folder = g_get_home_dir ();
    }
  name = g_strconcat (stem, ext, NULL);
  set_folder (self, folder);
  set_file_name (self, name); /* also sets the format from the extension */
  sync_format_widgets (self);
  update_labels (self);
  set_error (self, NULL);

  g_signal_connect_object (self->session, "trace-changed", G_CALLBACK (on_session_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "view-changed", G_CALLBACK (on_session_changed), self,
                           G_CONNECT_SWAPPED);
  sync_hold (self); /* the remembered choice may be "All cores" */
  /* the name is what one usually changes: focus it with the stem selected */
  gtk_widget_grab_focus (GTK_WIDGET (self->name_entry));
  const char *dot = strrchr (self->file_name, '.');
  gtk_editable_select_region (GTK_EDITABLE (self->name_entry), 0,
                              dot ? (int) g_utf8_pointer_to_offset (self->file_name, dot) : -1);
  queue_preview (self);
}

static void
amlaviz_export_dialog_dispose (GObject *object)
{
  AmlavizExportDialog *self = AMLAVIZ_EXPORT_DIALOG (object);
  g_clear_handle_id (&self->preview_timeout, g_source_remove);
  if (self->confirm)
    {
      GtkWidget *q = GTK_WIDGET (self->confirm);
      self->confirm = NULL;
      g_signal_handlers_disconnect_by_data (q, self);
      gtk_widget_destroy (q);
    }
  if (self->holding && self->session != NULL)
    amlaviz_session_hold_all_cores (self->session, FALSE);
  self->holding = FALSE;
  g_clear_object (&self->session);
  g_clear_object (&self->settings);
  G_OBJECT_CLASS (amlaviz_export_dialog_parent_class)->dispose (object);
}

static void
amlaviz_export_dialog_finalize (GObject *object)
{
  AmlavizExportDialog *self = AMLAVIZ_EXPORT_DIALOG (object);
  amlaviz_export_preview_clear (&self->preview);
  g_free (self->folder);
  g_free (self->file_name);
  g_free (self->error);
  g_free (self->confirm_path);
  g_free (self->writing_path);
  G_OBJECT_CLASS (amlaviz_export_dialog_parent_class)->finalize (object);
}

static void
amlaviz_export_dialog_class_init (AmlavizExportDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkDialogClass *dialog_class = GTK_DIALOG_CLASS (klass);
  object_class->get_property = amlaviz_export_dialog_get_property;
  object_class->set_property = amlaviz_export_dialog_set_property;
  object_class->constructed = amlaviz_export_dialog_constructed;
  object_class->dispose = amlaviz_export_dialog_dispose;
  object_class->finalize = amlaviz_export_dialog_finalize;
  widget_class->key_press_event = amlaviz_export_dialog_key_press;
  dialog_class->response = amlaviz_export_dialog_response;

  const GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  properties[PROP_SESSION] = g_param_spec_object (
      "session", "Session", "The session whose trace is exported", AMLAVIZ_TYPE_SESSION,
      G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FORMAT] = g_param_spec_enum ("format", "Format", "PNG, SVG or PDF",
                                               AMLAVIZ_TYPE_EXPORT_FORMAT, TL_EXPORT_PNG, rw);
  properties[PROP_VISIBLE_RANGE]
      = g_param_spec_boolean ("visible-range", "Visible range",
                              "Export the visible time window, not the whole run", FALSE, rw);
  properties[PROP_ALL_CORES] = g_param_spec_boolean (
      "all-cores", "All cores", "Export every core group, not only the drawn ones", FALSE, rw);
  properties[PROP_PNG_WIDTH]
      = g_param_spec_int ("png-width", "PNG width", "Logical pixels", 200, 16000, 1600, rw);
  properties[PROP_SCALE] = g_param_spec_int (
      "scale", "Scale", "PNG device pixels per logical pixel (2 = HiDPI)", 1, 3, 1, rw);
  properties[PROP_VECTOR_WIDTH]
      = g_param_spec_int ("vector-width", "SVG/PDF width", "Points", 200, 20000, 720, rw);
  properties[PROP_PAGE_PER_GROUP] = g_param_spec_boolean (
      "page-per-group", "Page per group", "PDF: one page per core group", FALSE, rw);
  properties[PROP_THEME]
      = g_param_spec_enum ("theme", "Theme", "Light, dark or the window's",
                           AMLAVIZ_TYPE_EXPORT_THEME, AMLAVIZ_EXPORT_THEME_LIGHT, rw);
  properties[PROP_METRICS]
      = g_param_spec_boolean ("metrics", "Metrics", "Add the metrics box", TRUE, rw);
  properties[PROP_FLOWS] = g_param_spec_boolean ("flows", "Flows", "Draw flag arrows", FALSE, rw);
  properties[PROP_COUNTERS]
      = g_param_spec_boolean ("counters", "Counters", "Draw counter tracks", TRUE, rw);
  properties[PROP_FOLDER]
      = g_param_spec_string ("folder", "Folder", "Folder to write into", NULL, rw);
  properties[PROP_FILE_NAME]
      = g_param_spec_string ("file-name", "File name", "Name of the image file", NULL, rw);
  properties[PROP_PATH] = g_param_spec_string (
      "path", "Path", "Folder + file name (setting it picks the format from the extension)", NULL,
      rw);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_EXPORTED] = g_signal_new ("exported", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                           0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/amlaviz/Amlaviz/"
                                                             "amlaviz-export-dialog.ui");
#define CHILD(name) gtk_widget_class_bind_template_child (widget_class, AmlavizExportDialog, name)
  CHILD (error_bar);
  CHILD (error_label);
  CHILD (png_radio);
  CHILD (svg_radio);
  CHILD (pdf_radio);
  CHILD (whole_radio);
  CHILD (visible_radio);
  CHILD (drawn_radio);
  CHILD (all_radio);
  CHILD (one_page_radio);
  CHILD (per_group_radio);
  CHILD (png_width_spin);
  CHILD (vector_width_spin);
  CHILD (width_unit_label);
  CHILD (scale_label);
  CHILD (pages_label);
  CHILD (pages_box);
  CHILD (scale_combo);
  CHILD (theme_combo);
  CHILD (metrics_check);
  CHILD (flows_check);
  CHILD (counters_check);
  CHILD (name_entry);
  CHILD (folder_button);
  CHILD (preview_area);
  CHILD (caption_label);
  CHILD (export_button);
#undef CHILD
  gtk_widget_class_bind_template_callback (widget_class, on_format_toggled);
  gtk_widget_class_bind_template_callback (widget_class, on_name_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_folder_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_scale_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_theme_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_preview_draw);
}

static void
amlaviz_export_dialog_init (AmlavizExportDialog *self)
{
  self->format = TL_EXPORT_PNG;
  self->png_width = 1600;
  self->scale = 1;
  self->vector_width = 720;
  self->metrics = TRUE;
  self->counters = TRUE;
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_combo_box_set_active_id (GTK_COMBO_BOX (self->scale_combo), "1");
  gtk_combo_box_set_active (GTK_COMBO_BOX (self->theme_combo), AMLAVIZ_EXPORT_THEME_LIGHT);
}

AmlavizExportDialog *
amlaviz_export_dialog_new (GtkWindow *parent, AmlavizSession *session)
{
  g_return_val_if_fail (AMLAVIZ_IS_SESSION (session), NULL);
  return g_object_new (AMLAVIZ_TYPE_EXPORT_DIALOG, "session", session, "transient-for", parent,
                       "use-header-bar", FALSE, NULL);
}
