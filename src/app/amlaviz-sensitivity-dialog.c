/* src/app/amlaviz-sensitivity-dialog.c — "What drives this number?" (see the header). */
#include "src/app/amlaviz-sensitivity-dialog.h"
#include "src/plot/plot.h"

#include <math.h>

#define PROGRESS_POLL_MS 100
#define CHART_MIN_HEIGHT 260

enum
{
  RESPONSE_SAVE = 1,
  RESPONSE_RERUN = 2,
  RESPONSE_CANCEL_RUN = 3,
};

/* One computation in flight.  dialog is cleared when it is superseded or the dialog goes away,
 * so a late result is dropped; freed with the GTask. */
typedef struct
{
  AmlavizSensitivityDialog *dialog;
  AmlaConfig config;
  gint cancel; /* g_atomic_int_* only */
  gint done, total; /* g_atomic_int_* only */
  gint64 started_us;
} RunData;

struct _AmlavizSensitivityDialog
{
  GtkDialog parent_instance;

  AmlavizSession *session;
  SensitivityReport *report; /* the last finished one */
  RunData *run;              /* NULL when idle */
  guint poll_id;
  guint done, total;
  char *status;
  TornadoFrame frame;
  gboolean frame_valid;

  /* template children */
  GtkLabel *config_label, *status_label;
  GtkProgressBar *progress_bar;
  GtkWidget *progress_box, *chart_area, *save_button, *rerun_button, *cancel_button;
  GtkTreeView *table_view;
  GtkListStore *table_store;
};

G_DEFINE_FINAL_TYPE (AmlavizSensitivityDialog, amlaviz_sensitivity_dialog, GTK_TYPE_DIALOG)

enum
{
  PROP_0,
  PROP_SESSION,
  N_PROPS
};
static GParamSpec *properties[N_PROPS];

/* ------------------------------------------------------------------ status */

static void
set_status (AmlavizSensitivityDialog *self, const char *text, gboolean is_error)
{
  g_free (self->status);
  self->status = g_strdup (text);
  if (is_error)
    {
      g_autofree char *markup
          = g_markup_printf_escaped ("<span foreground=\"#c01c28\">%s</span>", text);
      gtk_label_set_markup (self->status_label, markup);
    }
  else
    gtk_label_set_text (self->status_label, text);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->status_label), text);
}

static void
update_progress (AmlavizSensitivityDialog *self)
{
  g_autofree char *text = self->total ? g_strdup_printf ("%u of %u runs", self->done, self->total)
                                      : g_strdup (self->run ? "starting…" : "");
  gtk_progress_bar_set_fraction (self->progress_bar,
                                 self->total ? (double) self->done / self->total : 0.0);
  gtk_progress_bar_set_text (self->progress_bar, text);
}

static void
update_buttons (AmlavizSensitivityDialog *self)
{
  gboolean running = self->run != NULL;
  gtk_widget_set_sensitive (self->cancel_button, running);
  gtk_widget_set_sensitive (self->rerun_button, !running);
  gtk_widget_set_sensitive (self->save_button, !running && self->report != NULL);
}

static gboolean
poll_progress (gpointer data)
{
  AmlavizSensitivityDialog *self = data;
  if (self->run == NULL)
    {
      self->poll_id = 0;
      return G_SOURCE_REMOVE;
    }
  self->done = (guint) g_atomic_int_get (&self->run->done);
  self->total = (guint) g_atomic_int_get (&self->run->total);
  update_progress (self);
  return G_SOURCE_CONTINUE;
}

/* ------------------------------------------------------------------ the table */

static char *
util_cell (const SensitivityRow *row, double util, const char *error)
{
  if (row->rule == SENSITIVITY_RULE_SKIPPED)
    return g_strdup ("—");
  return error != NULL ? g_strdup ("failed") : g_strdup_printf ("%.2f %%", util * 100);
}

static char *
swing_cell (const SensitivitySide *s)
{
  return isnan (s->swing) ? g_strdup ("—") : g_strdup_printf ("%.2f pts", s->swing * 100);
}

static char *
note_text (const SensitivityRow *row)
{
  GString *s = g_string_new (row->note);
  if (row->what_if)
    g_string_append_printf (s, "%swhat-if field", s->len ? "; " : "");
  for (int side = 0; side < 2; side++)
    {
      const char *e
          = row->side[side].error_low ? row->side[side].error_low : row->side[side].error_high;
      if (e != NULL)
        g_string_append_printf (s, "%sa run failed: %s", s->len ? "; " : "", e);
    }
  return g_string_free (s, FALSE);
}

static void
fill_table (AmlavizSensitivityDialog *self)
{
  gtk_list_store_clear (self->table_store);
  const SensitivityReport *r = self->report;
  if (r == NULL)
    return;
  static const char *const heads[] = { "util at low", "util at high", "swing" };
  for (int side = 0; side < 2; side++)
    for (int k = 0; k < 3; k++)
      {
        g_autofree char *title
            = g_strdup_printf ("%s: %s", amla_rescale_name (r->rescale[side]), heads[k]);
        gtk_tree_view_column_set_title (
            gtk_tree_view_get_column (self->table_view, 3 + 3 * side + k), title);
      }
  for (guint i = 0; i < r->rows->len; i++)
    {
      const SensitivityRow *row = &g_array_index (r->rows, SensitivityRow, i);
      g_autofree char *lo = sensitivity_format_value (row->low);
      g_autofree char *hi = sensitivity_format_value (row->high);
      g_autofree char *lo_cell = g_strdup_printf ("%s%s", lo, row->low_clamped ? "*" : "");
      g_autofree char *hi_cell = g_strdup_printf ("%s%s", hi, row->high_clamped ? "*" : "");
      char *cells[8];
      for (int side = 0; side < 2; side++)
        {
          const SensitivitySide *s = &row->side[side];
          cells[3 * side] = util_cell (row, s->util_low, s->error_low);
          cells[3 * side + 1] = util_cell (row, s->util_high, s->error_high);
          cells[3 * side + 2] = swing_cell (s);
        }
      g_autofree char *note = note_text (row);
      gtk_list_store_insert_with_values (self->table_store, NULL, -1, 0, row->key, 1, lo_cell, 2,
                                         hi_cell, 3, cells[0], 4, cells[1], 5, cells[2], 6,
                                         cells[3], 7, cells[4], 8, cells[5], 9, note, -1);
      for (int c = 0; c < 6; c++)
        g_free (cells[c]);
    }
}

/* ------------------------------------------------------------------ running */

static void
on_progress (guint done, guint total, gpointer user_data)
{
  RunData *run = user_data; /* worker thread: the main loop polls these */
  g_atomic_int_set (&run->total, (gint) total);
  g_atomic_int_set (&run->done, (gint) done);
}

static void
run_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  RunData *run = task_data;
  SensitivityOptions opt;
  sensitivity_options_init (&opt);
  opt.cancel = &run->cancel;
  opt.progress = on_progress;
  opt.progress_data = run;
  GError *error = NULL;
  SensitivityReport *report = sensitivity_run (&run->config, &opt, &error);
  if (report == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, report, (GDestroyNotify) sensitivity_report_free);
}

static void
run_done (GObject *source, GAsyncResult *res, gpointer user_data)
{
  GTask *task = G_TASK (res);
  RunData *run = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  SensitivityReport *report = g_task_propagate_pointer (task, &error);
  AmlavizSensitivityDialog *self = run->dialog;
  if (self == NULL || self->run != run)
    {
      sensitivity_report_free (report); /* superseded, or the dialog is gone */
      return;
    }
  self->run = NULL;
  g_clear_handle_id (&self->poll_id, g_source_remove);
  self->done = (guint) g_atomic_int_get (&run->done);
  self->total = (guint) g_atomic_int_get (&run->total);
  if (report != NULL)
    {
      sensitivity_report_free (self->report);
      self->report = report;
      self->done = self->total = report->runs;
      g_autofree char *status = g_strdup_printf (
          "%u runs in %.1f s.%s%s", report->runs, report->wall_s,
          report->other_error ? " " : " Hover a row of the chart for its numbers.",
          report->other_error ? report->other_error : "");
      set_status (self, status, report->other_error != NULL);
      fill_table (self);
      /* every row at the chart's row height; the pane scrolls when it is taller */
      gtk_widget_set_size_request (self->chart_area, -1, tornado_natural_height (report));
    }
  else if (g_error_matches (error, SENSITIVITY_ERROR, SENSITIVITY_ERROR_CANCELLED))
    set_status (self,
                self->report ? "Cancelled; the chart shows the previous result." : "Cancelled.",
                FALSE);
  else
    set_status (self, error->message, TRUE);
  update_progress (self);
  update_buttons (self);
  gtk_widget_queue_resize (self->chart_area);
  gtk_widget_queue_draw (self->chart_area);
}

static void
stop_run (AmlavizSensitivityDialog *self)
{
  if (self->run == NULL)
    return;
  g_atomic_int_set (&self->run->cancel, 1);
  self->run->dialog = NULL;
  self->run = NULL;
  g_clear_handle_id (&self->poll_id, g_source_remove);
}

void
amlaviz_sensitivity_dialog_start (AmlavizSensitivityDialog *self)
{
  g_return_if_fail (AMLAVIZ_IS_SENSITIVITY_DIALOG (self));
  stop_run (self);
  RunData *run = g_new0 (RunData, 1);
  run->dialog = self;
  run->config = *amlaviz_session_get_config (self->session);
  run->started_us = g_get_monotonic_time ();
  self->run = run;
  self->done = self->total = 0;
  g_autofree char *desc = amla_config_describe (&run->config);
  g_autofree char *markup = g_markup_printf_escaped ("<b>Cube utilisation of</b> %s", desc);
  gtk_label_set_markup (self->config_label, markup);
  GTask *task = g_task_new (NULL, NULL, run_done, NULL);
  g_task_set_source_tag (task, amlaviz_sensitivity_dialog_start);
  g_task_set_task_data (task, run, g_free);
  g_task_run_in_thread (task, run_thread);
  g_object_unref (task);
  self->poll_id = g_timeout_add (PROGRESS_POLL_MS, poll_progress, self);
  g_autofree char *status
      = g_strdup_printf ("Simulating on %u processors…", g_get_num_processors ());
  set_status (self, status, FALSE);
  update_progress (self);
  update_buttons (self);
  gtk_widget_queue_draw (self->chart_area);
}

void
amlaviz_sensitivity_dialog_cancel (AmlavizSensitivityDialog *self)
{
  g_return_if_fail (AMLAVIZ_IS_SENSITIVITY_DIALOG (self));
  if (self->run != NULL)
    g_atomic_int_set (&self->run->cancel, 1); /* run_done reports it */
}

/* ------------------------------------------------------------------ the chart */

static gboolean
on_chart_draw (GtkWidget *widget, cairo_t *cr, AmlavizSensitivityDialog *self)
{
  int w = gtk_widget_get_allocated_width (widget);
  if (self->report != NULL)
    {
      /* at its natural height, so the footnote sits under the axis however tall the pane is */
      int natural = tornado_natural_height (self->report);
      g_autoptr (GError) error = NULL;
      cairo_set_source_rgb (cr, 1, 1, 1);
      cairo_paint (cr);
      self->frame_valid = tornado_draw (cr, w, natural, self->report, &self->frame, &error);
      if (self->frame_valid)
        return TRUE;
      set_status (self, error->message, TRUE);
    }
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  cairo_set_source_rgb (cr, 0.4, 0.4, 0.4);
  g_autoptr (PangoLayout) layout = gtk_widget_create_pango_layout (
      widget, self->run != NULL ? "Simulating every variant…" : "No result: press Recompute.");
  cairo_move_to (cr, 20, 24);
  pango_cairo_show_layout (cr, layout);
  return TRUE;
}

static gboolean
on_chart_query_tooltip (GtkWidget *widget, int x, int y, gboolean keyboard, GtkTooltip *tooltip,
                        AmlavizSensitivityDialog *self)
{
  if (!self->frame_valid || self->report == NULL || y < self->frame.top)
    return FALSE;
  guint i = (guint) ((y - self->frame.top) / self->frame.row_height);
  if (i >= self->report->rows->len)
    return FALSE;
  const SensitivityRow *row = &g_array_index (self->report->rows, SensitivityRow, i);
  GtkTreeIter iter;
  if (!gtk_tree_model_iter_nth_child (GTK_TREE_MODEL (self->table_store), &iter, NULL, (int) i))
    return FALSE;
  g_autofree char *lo = NULL, *hi = NULL, *ul = NULL, *uh = NULL, *sw = NULL, *note = NULL;
  gtk_tree_model_get (GTK_TREE_MODEL (self->table_store), &iter, 1, &lo, 2, &hi, 3, &ul, 4, &uh, 5,
                      &sw, 9, &note, -1);
  g_autofree char *text = g_markup_printf_escaped (
      "<b>%s</b> (%s)\nlow %s → %s\nhigh %s → %s\nswing %s%s%s", row->key,
      sensitivity_rule_name (row->rule), lo, ul, hi, uh, sw, note[0] ? "\n" : "", note);
  gtk_tooltip_set_markup (tooltip, text);
  GdkRectangle area = { 0, (int) (self->frame.top + i * self->frame.row_height),
                        gtk_widget_get_allocated_width (widget), (int) self->frame.row_height };
  gtk_tooltip_set_tip_area (tooltip, &area);
  return TRUE;
}

gboolean
amlaviz_sensitivity_dialog_save_chart (AmlavizSensitivityDialog *self, const char *path,
                                       GError **error)
{
  if (self->report == NULL)
    {
      g_set_error (error, PLOT_ERROR, PLOT_ERROR_INVALID, "nothing to save yet");
      return FALSE;
    }
  int w = MAX (gtk_widget_get_allocated_width (self->chart_area), 640);
  return tornado_write_file (path, self->report, w, tornado_natural_height (self->report), error);
}

static void
on_save_response (GtkNativeDialog *dlg, int response, AmlavizSensitivityDialog *self)
{
  g_autofree char *path = response == GTK_RESPONSE_ACCEPT
                              ? gtk_file_chooser_get_filename (GTK_FILE_CHOOSER (dlg))
                              : NULL;
  g_object_unref (dlg); /* the reference save_dialog took */
  g_autoptr (GError) error = NULL;
  if (path != NULL && !amlaviz_sensitivity_dialog_save_chart (self, path, &error))
    set_status (self, error->message, TRUE);
  else if (path != NULL)
    {
      g_autofree char *msg = g_strdup_printf ("Saved %s.", path);
      set_status (self, msg, FALSE);
    }
}

/* Ask where, answered through "response" (no nested main loop). */
static void
save_dialog (AmlavizSensitivityDialog *self)
{
  GtkFileChooserNative *dlg = gtk_file_chooser_native_new (
      "Save Chart", GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_SAVE, "_Save", "_Cancel");
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dlg), TRUE);
  gtk_file_chooser_set_do_overwrite_confirmation (GTK_FILE_CHOOSER (dlg), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dlg), "tornado.png");
  g_signal_connect_object (dlg, "response", G_CALLBACK (on_save_response), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dlg));
}

/* ------------------------------------------------------------------ getters */

gboolean
amlaviz_sensitivity_dialog_is_running (AmlavizSensitivityDialog *self)
{
  return self->run != NULL;
}

void
amlaviz_sensitivity_dialog_get_progress (AmlavizSensitivityDialog *self, guint *done, guint *total)
{
  if (self->run != NULL)
    poll_progress (self);
  *done = self->done;
  *total = self->total;
}

const SensitivityReport *
amlaviz_sensitivity_dialog_get_report (AmlavizSensitivityDialog *self)
{
  return self->report;
}

const char *
amlaviz_sensitivity_dialog_get_status (AmlavizSensitivityDialog *self)
{
  return self->status ? self->status : "";
}

GtkWidget *
amlaviz_sensitivity_dialog_get_chart (AmlavizSensitivityDialog *self)
{
  return self->chart_area;
}

gboolean
amlaviz_sensitivity_dialog_get_frame (AmlavizSensitivityDialog *self, TornadoFrame *frame)
{
  if (self->frame_valid)
    *frame = self->frame;
  return self->frame_valid;
}

GtkTreeModel *
amlaviz_sensitivity_dialog_get_table (AmlavizSensitivityDialog *self)
{
  return GTK_TREE_MODEL (self->table_store);
}

/* ------------------------------------------------------------------ GObject */

static void
amlaviz_sensitivity_dialog_response (GtkDialog *dialog, int response)
{
  AmlavizSensitivityDialog *self = AMLAVIZ_SENSITIVITY_DIALOG (dialog);
  switch (response)
    {
    case RESPONSE_SAVE:
      save_dialog (self);
      break;
    case RESPONSE_RERUN:
      amlaviz_sensitivity_dialog_start (self);
      break;
    case RESPONSE_CANCEL_RUN:
      amlaviz_sensitivity_dialog_cancel (self);
      break;
    default: /* Close, Esc, the window's close button: the worker stops with it */
      gtk_widget_destroy (GTK_WIDGET (self));
      break;
    }
}

static void
amlaviz_sensitivity_dialog_set_property (GObject *object, guint prop_id, const GValue *value,
                                         GParamSpec *pspec)
{
  AmlavizSensitivityDialog *self = AMLAVIZ_SENSITIVITY_DIALOG (object);
  if (prop_id == PROP_SESSION)
    self->session = g_value_dup_object (value);
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
amlaviz_sensitivity_dialog_get_property (GObject *object, guint prop_id, GValue *value,
                                         GParamSpec *pspec)
{
  AmlavizSensitivityDialog *self = AMLAVIZ_SENSITIVITY_DIALOG (object);
  if (prop_id == PROP_SESSION)
    g_value_set_object (value, self->session);
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
amlaviz_sensitivity_dialog_constructed (GObject *object)
{
  AmlavizSensitivityDialog *self = AMLAVIZ_SENSITIVITY_DIALOG (object);
  G_OBJECT_CLASS (amlaviz_sensitivity_dialog_parent_class)->constructed (object);
  gtk_widget_set_size_request (self->chart_area, -1, CHART_MIN_HEIGHT);
  amlaviz_sensitivity_dialog_start (self);
}

static void
amlaviz_sensitivity_dialog_dispose (GObject *object)
{
  AmlavizSensitivityDialog *self = AMLAVIZ_SENSITIVITY_DIALOG (object);
  stop_run (self); /* closing cancels the worker; its result is dropped */
  g_clear_object (&self->session);
  G_OBJECT_CLASS (amlaviz_sensitivity_dialog_parent_class)->dispose (object);
}

static void
amlaviz_sensitivity_dialog_finalize (GObject *object)
{
  AmlavizSensitivityDialog *self = AMLAVIZ_SENSITIVITY_DIALOG (object);
  sensitivity_report_free (self->report);
  g_free (self->status);
  G_OBJECT_CLASS (amlaviz_sensitivity_dialog_parent_class)->finalize (object);
}

static void
amlaviz_sensitivity_dialog_class_init (AmlavizSensitivityDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  object_class->set_property = amlaviz_sensitivity_dialog_set_property;
  object_class->get_property = amlaviz_sensitivity_dialog_get_property;
  object_class->constructed = amlaviz_sensitivity_dialog_constructed;
  object_class->dispose = amlaviz_sensitivity_dialog_dispose;
  object_class->finalize = amlaviz_sensitivity_dialog_finalize;
  GTK_DIALOG_CLASS (klass)->response = amlaviz_sensitivity_dialog_response;

  properties[PROP_SESSION] = g_param_spec_object (
      "session", "Session", "The session whose configuration is analysed", AMLAVIZ_TYPE_SESSION,
      G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (
      widget_class, "/io/github/amlaviz/Amlaviz/amlaviz-sensitivity-dialog.ui");
#define CHILD(name)                                                                                \
  gtk_widget_class_bind_template_child (widget_class, AmlavizSensitivityDialog, name)
  CHILD (config_label);
  CHILD (status_label);
  CHILD (progress_bar);
  CHILD (progress_box);
  CHILD (chart_area);
  CHILD (table_view);
  CHILD (table_store);
  CHILD (save_button);
  CHILD (rerun_button);
  CHILD (cancel_button);
#undef CHILD
  gtk_widget_class_bind_template_callback (widget_class, on_chart_draw);
  gtk_widget_class_bind_template_callback (widget_class, on_chart_query_tooltip);
}

static void
amlaviz_sensitivity_dialog_init (AmlavizSensitivityDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

AmlavizSensitivityDialog *
amlaviz_sensitivity_dialog_new (GtkWindow *parent, AmlavizSession *session)
{
  g_return_val_if_fail (AMLAVIZ_IS_SESSION (session), NULL);
  return g_object_new (AMLAVIZ_TYPE_SENSITIVITY_DIALOG, "session", session, "transient-for", parent,
                       "use-header-bar", FALSE, NULL);
}
