/* src/app/amlaviz-sweep-view.c — the Sweep view (see the header). */
#include "src/app/amlaviz-sweep-view.h"
#include "src/app/amlaviz-sweep-plot.h"

#include <math.h>
#include <string.h>

#include "sim/output.h"

struct _AmlavizSweepView
{
  GtkBox parent_instance;

  AmlavizSession *session;

  /* template children */
  AmlavizSweepPlot *plot_area;
  GtkComboBoxText *axis_combo, *toggles_combo, *kind_combo, *y_combo;
  GtkEntry *values_entry;
  GtkRevealer *pick_revealer;
  GtkToggleButton *pick_preload_on, *pick_preload_off, *pick_tiling_on, *pick_tiling_off,
      *pick_rescale_amla, *pick_rescale_mul;
  GtkLabel *grid_label, *status_label, *point_label;
  GtkWidget *run_button, *cancel_button, *export_button;
  GtkProgressBar *progress_bar;
  GtkFileChooserNative *chooser; /* the last export chooser (kept until the next or dispose) */

  SweepAxis axis;             /* the axis in the combo */
  char *values[SWEEP_N_AXES]; /* what was typed for each axis */
  gboolean syncing;           /* widgets being set from code */
};

G_DEFINE_FINAL_TYPE (AmlavizSweepView, amlaviz_sweep_view, GTK_TYPE_BOX)

enum
{
  SIGNAL_OPEN_CONFIG,
  N_SIGNALS
};
static guint signals[N_SIGNALS];

/* The run state is the session's (amlaviz-session-sweep.c): the view and its plot show it. */
static const GArray *
results (AmlavizSweepView *self)
{
  return amlaviz_sweep_plot_get_results (self->plot_area);
}

static gboolean
running (AmlavizSweepView *self)
{
  return self->session && amlaviz_session_sweep_is_running (self->session);
}

static const char *
default_values (SweepAxis axis)
{
  switch (axis)
    {
    case SWEEP_AXIS_BATCH:
      return "1,8,16,32,64,96";
    case SWEEP_AXIS_SQ:
      return "1..4";
    case SWEEP_AXIS_HEADS:
      return "16,32,64,128";
    default:
      return "512..16384*2";
    }
}

static PlotKind
current_kind (AmlavizSweepView *self)
{
  return g_strcmp0 (gtk_combo_box_get_active_id (GTK_COMBO_BOX (self->kind_combo)), "roofline") == 0
             ? PLOT_KIND_ROOFLINE
             : PLOT_KIND_SWEEP;
}

static PlotY
current_y (AmlavizSweepView *self)
{
  return g_strcmp0 (gtk_combo_box_get_active_id (GTK_COMBO_BOX (self->y_combo)), "tflops") == 0
             ? PLOT_Y_TFLOPS
             : PLOT_Y_UTILIZATION;
}

static AmlavizSweepToggles
current_toggles (AmlavizSweepView *self)
{
  const char *id = gtk_combo_box_get_active_id (GTK_COMBO_BOX (self->toggles_combo));
  return g_strcmp0 (id, "current") == 0 ? AMLAVIZ_SWEEP_TOGGLES_CURRENT
         : g_strcmp0 (id, "pick") == 0  ? AMLAVIZ_SWEEP_TOGGLES_PICK
                                        : AMLAVIZ_SWEEP_TOGGLES_ALL;
}

/* ------------------------------------------------------------------ the grid */

static guint
current_pick (AmlavizSweepView *self)
{
  return (gtk_toggle_button_get_active (self->pick_preload_on) ? AMLAVIZ_PICK_PRELOAD_ON : 0)
         | (gtk_toggle_button_get_active (self->pick_preload_off) ? AMLAVIZ_PICK_PRELOAD_OFF : 0)
         | (gtk_toggle_button_get_active (self->pick_tiling_on) ? AMLAVIZ_PICK_TILING_ON : 0)
         | (gtk_toggle_button_get_active (self->pick_tiling_off) ? AMLAVIZ_PICK_TILING_OFF : 0)
         | (gtk_toggle_button_get_active (self->pick_rescale_amla) ? AMLAVIZ_PICK_RESCALE_AMLA : 0)
         | (gtk_toggle_button_get_active (self->pick_rescale_mul) ? AMLAVIZ_PICK_RESCALE_MUL : 0);
}

/* The session's sweep-run words for the settings: "kv=512..16384*2 toggles=all"; NULL with the
 * reason when a toggle has no value ticked. */
static char *
settings_words (AmlavizSweepView *self, GError **error)
{
  g_autoptr (GString) w = g_string_new (sweep_axis_name (self->axis));
  g_string_append_c (w, '=');
  for (const char *p = gtk_entry_get_text (self->values_entry); *p; p++)
    if (!g_ascii_isspace (*p)) /* one word; the value syntax has no spaces */
      g_string_append_c (w, *p);
  static const struct
  {
    SweepAxis axis;
    guint first, second;
    const char *first_name, *second_name;
  } picks[] = {
    { SWEEP_AXIS_PRELOAD, AMLAVIZ_PICK_PRELOAD_ON, AMLAVIZ_PICK_PRELOAD_OFF, "on", "off" },
    { SWEEP_AXIS_TILING, AMLAVIZ_PICK_TILING_ON, AMLAVIZ_PICK_TILING_OFF, "on", "off" },
    { SWEEP_AXIS_RESCALE, AMLAVIZ_PICK_RESCALE_AMLA, AMLAVIZ_PICK_RESCALE_MUL, "amla", "mul" },
  };
  switch (current_toggles (self))
    {
    case AMLAVIZ_SWEEP_TOGGLES_ALL:
      g_string_append (w, " toggles=all");
      break;
    case AMLAVIZ_SWEEP_TOGGLES_CURRENT:
      break;
    case AMLAVIZ_SWEEP_TOGGLES_PICK:
      {
        guint mask = current_pick (self);
        for (gsize i = 0; i < G_N_ELEMENTS (picks); i++)
          {
            gboolean first = (mask & picks[i].first) != 0, second = (mask & picks[i].second) != 0;
            if (!first && !second)
              {
                g_set_error (error, SWEEP_ERROR, SWEEP_ERROR_INVALID,
                             "Tick at least one value of %s under Toggles",
                             sweep_axis_name (picks[i].axis));
                return NULL;
              }
            g_string_append_printf (w, " %s=%s%s%s", sweep_axis_name (picks[i].axis),
                                    first ? picks[i].first_name : "", first && second ? "," : "",
                                    second ? picks[i].second_name : "");
          }
      }
      break;
    }
  return g_string_free (g_steal_pointer (&w), FALSE);
}

SweepGrid *
amlaviz_sweep_view_build_grid (AmlavizSweepView *self, GError **error)
{
  g_return_val_if_fail (AMLAVIZ_IS_SWEEP_VIEW (self), NULL);
  if (self->session == NULL)
    {
      g_set_error (error, SWEEP_ERROR, SWEEP_ERROR_INVALID, "No session to sweep around");
      return NULL;
    }
  g_autofree char *words = settings_words (self, error);
  return words ? amlaviz_session_sweep_grid (self->session, words, NULL, error) : NULL;
}

/* "6 values × 8 combinations = 48 runs" and the fixed axes, or the reason the settings are bad. */
static void
update_grid_label (AmlavizSweepView *self)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SweepGrid) grid = amlaviz_sweep_view_build_grid (self, &error);
  g_autofree char *markup = NULL;
  if (grid == NULL)
    {
      g_autofree char *msg = g_markup_escape_text (error->message, -1);
      markup = g_strdup_printf ("<span foreground=\"#c01c28\">%s</span>", msg);
    }
  else
    {
      guint n = sweep_grid_axis_len (grid, self->axis);
      guint64 size = sweep_grid_size (grid);
      AmlaConfig c;
      sweep_grid_config (grid, 0, &c);
      g_autoptr (GString) fixed = g_string_new (NULL);
      if (self->axis != SWEEP_AXIS_BATCH)
        g_string_append_printf (fixed, "B=%d · ", c.batch);
      if (self->axis != SWEEP_AXIS_KV)
        g_string_append_printf (fixed, "S_kv=%d · ", c.kv_len);
      if (self->axis != SWEEP_AXIS_SQ)
        g_string_append_printf (fixed, "S_q=%d · ", c.sq);
      if (self->axis != SWEEP_AXIS_HEADS)
        g_string_append_printf (fixed, "H=%d · ", c.heads);
      g_string_append (fixed, c.hw);
      if (current_toggles (self) == AMLAVIZ_SWEEP_TOGGLES_CURRENT)
        g_string_append_printf (fixed, " · preload %s · tiling %s · %s", c.preload ? "on" : "off",
                                c.tiling ? "on" : "off", amla_rescale_name (c.rescale));
      guint combos = (guint) (size / MAX (n, 1));
      g_autofree char *fixed_text = g_markup_escape_text (fixed->str, -1);
      markup = g_strdup_printf ("%u value%s × %u combination%s = <b>%" G_GUINT64_FORMAT
                                " run%s</b>\n<small>Fixed (from the controls): %s</small>",
                                n, n == 1 ? "" : "s", combos, combos == 1 ? "" : "s", size,
                                size == 1 ? "" : "s", fixed_text);
    }
  gtk_label_set_markup (self->grid_label, markup);
  gtk_widget_set_sensitive (self->run_button, grid != NULL);
}

/* ------------------------------------------------------------------ progress and status */

static void
show_status (AmlavizSweepView *self)
{
  gboolean is_error = FALSE;
  const char *status
      = self->session ? amlaviz_session_sweep_get_status (self->session, &is_error) : "";
  if (is_error)
    {
      g_autofree char *msg = g_markup_escape_text (status, -1);
      g_autofree char *markup = g_strdup_printf ("<span foreground=\"#c01c28\">%s</span>", msg);
      gtk_label_set_markup (self->status_label, markup);
    }
  else
    gtk_label_set_text (self->status_label, status);
}

static void
update_progress (AmlavizSweepView *self)
{
  guint64 done = 0, total = 0;
  if (self->session)
    amlaviz_session_sweep_get_progress (self->session, &done, &total);
  g_autofree char *text = NULL;
  if (total == 0)
    text = g_strdup ("not run yet");
  else
    text = g_strdup_printf ("%" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT " done", done, total);
  gtk_progress_bar_set_fraction (self->progress_bar, total ? (double) done / (double) total : 0.0);
  gtk_progress_bar_set_text (self->progress_bar, text);
}

static void
update_buttons (AmlavizSweepView *self)
{
  gboolean is_running = running (self);
  gtk_widget_set_sensitive (self->cancel_button, is_running);
  gtk_widget_set_sensitive (self->export_button, results (self)->len > 0);
  if (!is_running)
    update_grid_label (self);
  else
    gtk_widget_set_sensitive (self->run_button, FALSE);
}

/* ------------------------------------------------------------------ running */

/* The session's sweep moved (a result, progress, the end, a status): show it. */
static void
on_sweep_changed (AmlavizSweepView *self)
{
  show_status (self);
  update_progress (self);
  update_buttons (self);
  gtk_widget_queue_draw (GTK_WIDGET (self->plot_area));
}

/* A new sweep replaced the results. */
static void
on_sweep_started (AmlavizSweepView *self)
{
  amlaviz_sweep_plot_reset_pointer (self->plot_area);
  gtk_label_set_text (self->point_label, "Hover a point for its numbers; click it to open that "
                                         "configuration's timeline.");
}

gboolean
amlaviz_sweep_view_run (AmlavizSweepView *self)
{
  g_return_val_if_fail (AMLAVIZ_IS_SWEEP_VIEW (self), FALSE);
  g_return_val_if_fail (self->session != NULL, FALSE);
  g_autoptr (GError) error = NULL;
  g_autofree char *words = settings_words (self, &error);
  if (words == NULL)
    {
      amlaviz_session_sweep_set_status (self->session, error->message, TRUE);
      return FALSE;
    }
  /* the same action a script runs: sweep-run */
  g_action_group_activate_action (amlaviz_session_get_actions (self->session), "sweep-run",
                                  g_variant_new_string (words));
  return running (self);
}

void
amlaviz_sweep_view_cancel (AmlavizSweepView *self)
{
  g_return_if_fail (AMLAVIZ_IS_SWEEP_VIEW (self));
  if (self->session)
    g_action_group_activate_action (amlaviz_session_get_actions (self->session), "sweep-cancel",
                                    NULL);
}

gboolean
amlaviz_sweep_view_is_running (AmlavizSweepView *self)
{
  return running (self);
}

void
amlaviz_sweep_view_get_progress (AmlavizSweepView *self, guint64 *done, guint64 *total)
{
  *done = *total = 0;
  if (self->session)
    amlaviz_session_sweep_get_progress (self->session, done, total);
}

const GArray *
amlaviz_sweep_view_get_results (AmlavizSweepView *self)
{
  return results (self);
}

const char *
amlaviz_sweep_view_get_status (AmlavizSweepView *self)
{
  return self->session ? amlaviz_session_sweep_get_status (self->session, NULL) : "";
}

/* ------------------------------------------------------------------ the plot */

/* The plot widget (amlaviz-sweep-plot.c) draws; the view answers its pointer and re-exports its
 * API under the view's name. */
static void
on_hover_changed (AmlavizSweepPlot *plot, int index, AmlavizSweepView *self)
{
  if (index < 0)
    return; /* the last point's numbers stay until another is hovered */
  g_autofree char *text = amlaviz_sweep_plot_describe_point (plot, (guint) index);
  g_autofree char *markup = g_strdup_printf ("%s\n<i>Click to open its timeline.</i>", text);
  gtk_label_set_markup (self->point_label, markup);
}

static void
on_activate_point (AmlavizSweepPlot *plot, guint index, AmlavizSweepView *self)
{
  AmlaConfig config = g_array_index (results (self), SweepResult, index).config;
  g_signal_emit (self, signals[SIGNAL_OPEN_CONFIG], 0, &config);
}

char *
amlaviz_sweep_view_get_hover_tag (AmlavizSweepView *self)
{
  return amlaviz_sweep_plot_get_hover_tag (self->plot_area);
}

void
amlaviz_sweep_view_set_hover (AmlavizSweepView *self, int index)
{
  amlaviz_sweep_plot_set_hover (self->plot_area, index);
}

gboolean
amlaviz_sweep_view_get_frame (AmlavizSweepView *self, PlotFrame *frame, PlotKind *kind, PlotY *y)
{
  return amlaviz_sweep_plot_get_frame (self->plot_area, frame, kind, y);
}

GtkWidget *
amlaviz_sweep_view_get_plot_area (AmlavizSweepView *self)
{
  return GTK_WIDGET (self->plot_area);
}

int
amlaviz_sweep_view_hit_test (AmlavizSweepView *self, double x, double y)
{
  g_return_val_if_fail (AMLAVIZ_IS_SWEEP_VIEW (self), -1);
  return amlaviz_sweep_plot_hit_test (self->plot_area, x, y);
}

char *
amlaviz_sweep_view_describe_point (AmlavizSweepView *self, guint index)
{
  return amlaviz_sweep_plot_describe_point (self->plot_area, index);
}

void
amlaviz_sweep_view_activate_point (AmlavizSweepView *self, guint index)
{
  g_return_if_fail (AMLAVIZ_IS_SWEEP_VIEW (self));
  amlaviz_sweep_plot_activate_point (self->plot_area, index);
}

/* ------------------------------------------------------------------ export */

gboolean
amlaviz_sweep_view_export (AmlavizSweepView *self, const char *path, GError **error)
{
  g_return_val_if_fail (AMLAVIZ_IS_SWEEP_VIEW (self), FALSE);
  g_return_val_if_fail (self->session != NULL, FALSE);
  amlaviz_sweep_plot_sync (self->plot_area);
  return amlaviz_session_sweep_export (self->session, path, error); /* the status says how */
}

static void
export_to (AmlavizSweepView *self, const char *path)
{
  amlaviz_sweep_view_export (self, path, NULL);
}

static void
on_replace_response (GtkDialog *dialog, int response, AmlavizSweepView *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    export_to (self, g_object_get_data (G_OBJECT (dialog), "path"));
}

/* The chooser's overwrite question does not cover an extension we add: ask for that name too
 * (answered through "response", no nested main loop). */
static void
export_after_asking (AmlavizSweepView *self, const char *path)
{
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      export_to (self, path);
      return;
    }
  GtkWidget *top = gtk_widget_get_toplevel (GTK_WIDGET (self));
  g_autofree char *base = g_path_get_basename (path);
  GtkWidget *dlg = gtk_message_dialog_new (GTK_IS_WINDOW (top) ? GTK_WINDOW (top) : NULL,
                                           GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
                                           GTK_MESSAGE_QUESTION, GTK_BUTTONS_NONE,
                                           "“%s” already exists. Replace it?", base);
  gtk_dialog_add_buttons (GTK_DIALOG (dlg), "_Cancel", GTK_RESPONSE_CANCEL, "_Replace",
                          GTK_RESPONSE_ACCEPT, NULL);
  g_object_set_data_full (G_OBJECT (dlg), "path", g_strdup (path), g_free);
  g_signal_connect_object (dlg, "response", G_CALLBACK (on_replace_response), self, 0);
  g_signal_connect (dlg, "response", G_CALLBACK (gtk_widget_destroy), NULL);
  gtk_widget_show (dlg);
}

static void
on_chooser_response (GtkNativeDialog *dialog, int response, AmlavizSweepView *self)
{
  g_autofree char *path = response == GTK_RESPONSE_ACCEPT
                              ? gtk_file_chooser_get_filename (GTK_FILE_CHOOSER (dialog))
                              : NULL;
  if (path == NULL)
    return;
  if (sim_image_format_from_path (path) != SIM_IMAGE_FORMAT_UNKNOWN)
    {
      export_to (self, path);
      return;
    }
  /* no known extension: the format of the chosen filter (PNG if none) */
  GtkFileFilter *chosen = gtk_file_chooser_get_filter (GTK_FILE_CHOOSER (dialog));
  const char *ext = chosen ? g_object_get_data (G_OBJECT (chosen), "extension") : NULL;
  g_autofree char *with_ext = g_strconcat (path, ext ? ext : ".png", NULL);
  export_after_asking (self, with_ext);
}

void
amlaviz_sweep_view_export_dialog (AmlavizSweepView *self)
{
  g_return_if_fail (AMLAVIZ_IS_SWEEP_VIEW (self));
  if (results (self)->len == 0
      || (self->chooser && gtk_native_dialog_get_visible (GTK_NATIVE_DIALOG (self->chooser))))
    return;
  g_clear_object (&self->chooser); /* the last one, answered */
  GtkWidget *top = gtk_widget_get_toplevel (GTK_WIDGET (self));
  GtkFileChooserNative *dlg = gtk_file_chooser_native_new (
      "Export Sweep Plot", GTK_IS_WINDOW (top) ? GTK_WINDOW (top) : NULL,
      GTK_FILE_CHOOSER_ACTION_SAVE, "_Export", "_Cancel");
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dlg), TRUE);
  gtk_file_chooser_set_do_overwrite_confirmation (GTK_FILE_CHOOSER (dlg), TRUE);
  static const char *const formats[][2]
      = { { "PNG image", "*.png" }, { "SVG drawing", "*.svg" }, { "PDF document", "*.pdf" } };
  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      GtkFileFilter *filter = gtk_file_filter_new ();
      gtk_file_filter_set_name (filter, formats[i][0]);
      gtk_file_filter_add_pattern (filter, formats[i][1]);
      g_object_set_data (G_OBJECT (filter), "extension", (gpointer) (formats[i][1] + 1));
      gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dlg), filter);
    }
  g_autofree char *name
      = current_kind (self) == PLOT_KIND_ROOFLINE
            ? g_strdup ("amla-roofline.png")
            : g_strdup_printf (
                "amla-sweep-%s.png",
                sweep_axis_name (amlaviz_session_sweep_get_axis (self->session, NULL)));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dlg), name);
  self->chooser = dlg;
  g_signal_connect (dlg, "response", G_CALLBACK (on_chooser_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dlg));
}

/* ------------------------------------------------------------------ settings */

static void
on_settings_changed (GtkWidget *widget, AmlavizSweepView *self)
{
  if (self->syncing)
    return;
  gtk_revealer_set_reveal_child (self->pick_revealer,
                                 current_toggles (self) == AMLAVIZ_SWEEP_TOGGLES_PICK);
  if (!running (self))
    update_grid_label (self);
}

static void
on_axis_changed (GtkComboBox *combo, AmlavizSweepView *self)
{
  SweepAxis axis;
  const char *id = gtk_combo_box_get_active_id (combo);
  if (self->syncing || id == NULL || !sweep_axis_parse (id, &axis))
    return;
  /* each axis keeps what was typed for it */
  g_free (self->values[self->axis]);
  self->values[self->axis] = g_strdup (gtk_entry_get_text (self->values_entry));
  self->axis = axis;
  self->syncing = TRUE;
  gtk_entry_set_text (self->values_entry,
                      self->values[axis] ? self->values[axis] : default_values (axis));
  self->syncing = FALSE;
  on_settings_changed (NULL, self);
}

static void
on_plot_settings_changed (GtkComboBox *combo, AmlavizSweepView *self)
{
  gtk_widget_set_sensitive (GTK_WIDGET (self->y_combo), current_kind (self) == PLOT_KIND_SWEEP);
  amlaviz_sweep_plot_set_kind (self->plot_area, current_kind (self), current_y (self));
}

static void
on_values_activate (GtkEntry *entry, AmlavizSweepView *self)
{
  if (!running (self))
    amlaviz_sweep_view_run (self);
}

static void
on_run_clicked (GtkButton *button, AmlavizSweepView *self)
{
  amlaviz_sweep_view_run (self);
}

static void
on_cancel_clicked (GtkButton *button, AmlavizSweepView *self)
{
  amlaviz_sweep_view_cancel (self);
}

static void
on_export_clicked (GtkButton *button, AmlavizSweepView *self)
{
  amlaviz_sweep_view_export_dialog (self);
}

void
amlaviz_sweep_view_set_axis (AmlavizSweepView *self, SweepAxis axis)
{
  g_return_if_fail (AMLAVIZ_IS_SWEEP_VIEW (self));
  g_return_if_fail (sweep_axis_is_numeric (axis) && axis != SWEEP_AXIS_ROWS);
  gtk_combo_box_set_active_id (GTK_COMBO_BOX (self->axis_combo), sweep_axis_name (axis));
}

void
amlaviz_sweep_view_set_values (AmlavizSweepView *self, const char *values)
{
  g_return_if_fail (AMLAVIZ_IS_SWEEP_VIEW (self));
  gtk_entry_set_text (self->values_entry, values ? values : "");
}

void
amlaviz_sweep_view_set_toggles (AmlavizSweepView *self, AmlavizSweepToggles mode, guint pick_mask)
{
  g_return_if_fail (AMLAVIZ_IS_SWEEP_VIEW (self));
  static const char *const ids[] = { "all", "current", "pick" };
  g_return_if_fail ((guint) mode < G_N_ELEMENTS (ids));
  if (mode == AMLAVIZ_SWEEP_TOGGLES_PICK)
    {
      self->syncing = TRUE;
      gtk_toggle_button_set_active (self->pick_preload_on, pick_mask & AMLAVIZ_PICK_PRELOAD_ON);
      gtk_toggle_button_set_active (self->pick_preload_off, pick_mask & AMLAVIZ_PICK_PRELOAD_OFF);
      gtk_toggle_button_set_active (self->pick_tiling_on, pick_mask & AMLAVIZ_PICK_TILING_ON);
      gtk_toggle_button_set_active (self->pick_tiling_off, pick_mask & AMLAVIZ_PICK_TILING_OFF);
      gtk_toggle_button_set_active (self->pick_rescale_amla, pick_mask & AMLAVIZ_PICK_RESCALE_AMLA);
      gtk_toggle_button_set_active (self->pick_rescale_mul, pick_mask & AMLAVIZ_PICK_RESCALE_MUL);
      self->syncing = FALSE;
    }
  gtk_combo_box_set_active_id (GTK_COMBO_BOX (self->toggles_combo), ids[mode]);
  on_settings_changed (NULL, self);
}

void
amlaviz_sweep_view_set_plot (AmlavizSweepView *self, PlotKind kind, PlotY y)
{
  g_return_if_fail (AMLAVIZ_IS_SWEEP_VIEW (self));
  gtk_combo_box_set_active_id (GTK_COMBO_BOX (self->kind_combo),
                               kind == PLOT_KIND_ROOFLINE ? "roofline" : "sweep");
  gtk_combo_box_set_active_id (GTK_COMBO_BOX (self->y_combo),
                               y == PLOT_Y_TFLOPS ? "tflops" : "util");
}

static void
on_config_changed (AmlavizSweepView *self)
{
  on_settings_changed (NULL, self);
}

void
amlaviz_sweep_view_set_session (AmlavizSweepView *self, AmlavizSession *session)
{
  g_return_if_fail (AMLAVIZ_IS_SWEEP_VIEW (self));
  if (self->session)
    {
      g_signal_handlers_disconnect_by_data (self->session, self);
      g_clear_object (&self->session);
    }
  if (session)
    {
      self->session = g_object_ref (session);
      /* the fixed axes come from the controls: keep the summary current */
      g_signal_connect_swapped (session, "config-changed", G_CALLBACK (on_config_changed), self);
      /* the run state is the session's: show what it has and follow it */
      g_signal_connect_swapped (session, "sweep-started", G_CALLBACK (on_sweep_started), self);
      g_signal_connect_swapped (session, "sweep-changed", G_CALLBACK (on_sweep_changed), self);
    }
  amlaviz_sweep_plot_set_session (self->plot_area, session);
  on_settings_changed (NULL, self);
  on_sweep_changed (self);
}

/* ------------------------------------------------------------------ GObject */

static void
amlaviz_sweep_view_dispose (GObject *object)
{
  AmlavizSweepView *self = AMLAVIZ_SWEEP_VIEW (object);
  if (self->chooser)
    {
      g_signal_handlers_disconnect_by_data (self->chooser, self);
      gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
      g_clear_object (&self->chooser);
    }
  if (self->session)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_clear_object (&self->session);
  G_OBJECT_CLASS (amlaviz_sweep_view_parent_class)->dispose (object);
}

static void
amlaviz_sweep_view_finalize (GObject *object)
{
  AmlavizSweepView *self = AMLAVIZ_SWEEP_VIEW (object);
  for (int a = 0; a < SWEEP_N_AXES; a++)
    g_free (self->values[a]);
  G_OBJECT_CLASS (amlaviz_sweep_view_parent_class)->finalize (object);
}

static void
amlaviz_sweep_view_class_init (AmlavizSweepViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  object_class->dispose = amlaviz_sweep_view_dispose;
  object_class->finalize = amlaviz_sweep_view_finalize;

  /* void (AmlavizSweepView *, const AmlaConfig *config): open this configuration's timeline */
  signals[SIGNAL_OPEN_CONFIG]
      = g_signal_new ("open-config", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                      NULL, G_TYPE_NONE, 1, G_TYPE_POINTER);

  g_type_ensure (AMLAVIZ_TYPE_SWEEP_PLOT); /* the template's plot_area */
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/amlaviz/Amlaviz/amlaviz-sweep-view.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, AmlavizSweepView, name)
  BIND (plot_area);
  BIND (axis_combo);
  BIND (toggles_combo);
  BIND (kind_combo);
  BIND (y_combo);
  BIND (values_entry);
  BIND (pick_revealer);
  BIND (pick_preload_on);
  BIND (pick_preload_off);
  BIND (pick_tiling_on);
  BIND (pick_tiling_off);
  BIND (pick_rescale_amla);
  BIND (pick_rescale_mul);
  BIND (grid_label);
  BIND (status_label);
  BIND (point_label);
  BIND (run_button);
  BIND (cancel_button);
  BIND (export_button);
  BIND (progress_bar);
#undef BIND
#define CB(name) gtk_widget_class_bind_template_callback (widget_class, name)
  CB (on_axis_changed);
  CB (on_settings_changed);
  CB (on_values_activate);
  CB (on_run_clicked);
  CB (on_cancel_clicked);
  CB (on_export_clicked);
  CB (on_plot_settings_changed);
#undef CB
}

static void
amlaviz_sweep_view_init (AmlavizSweepView *self)
{
  self->axis = SWEEP_AXIS_KV;
  self->syncing = TRUE;
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect (self->plot_area, "hover-changed", G_CALLBACK (on_hover_changed), self);
  g_signal_connect (self->plot_area, "activate-point", G_CALLBACK (on_activate_point), self);
  gtk_combo_box_set_active_id (GTK_COMBO_BOX (self->axis_combo), "kv");
  gtk_entry_set_text (self->values_entry, default_values (SWEEP_AXIS_KV));
  gtk_combo_box_set_active_id (GTK_COMBO_BOX (self->toggles_combo), "all");
  gtk_combo_box_set_active_id (GTK_COMBO_BOX (self->kind_combo), "sweep");
  gtk_combo_box_set_active_id (GTK_COMBO_BOX (self->y_combo), "util");
  self->syncing = FALSE;
  on_settings_changed (NULL, self);
  update_progress (self);
  update_buttons (self);
}
