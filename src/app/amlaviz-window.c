/* src/app/amlaviz-window.c — the main window (see the header). */
#include "src/app/amlaviz-window.h"
#include "kernels/amla-config-fields.h"
#include "src/app/amlaviz-describe.h"
#include "src/app/amlaviz-export-dialog.h"
#include "src/app/amlaviz-sensitivity-dialog.h"
#include "src/render/export.h"

struct _AmlavizWindow
{
  GtkApplicationWindow parent_instance;

  AmlavizSession *session;
  GSettings *settings;
  gboolean syncing; /* widgets being set from the session: do not echo back */
  int width, height;
  gboolean maximized;
  GtkRecentManager *recent;

  /* template children */
  GtkHeaderBar *header_bar;
  GtkSpinner *spinner;
  GtkInfoBar *error_bar;
  GtkLabel *error_label;
  GtkInfoBar *readonly_bar;
  GtkLabel *readonly_label;
  GtkInfoBar *load_bar;
  GtkLabel *load_label;
  GtkProgressBar *load_progress;
  guint load_reveal_timeout;
  GtkWidget *shape_grid;
  GtkSpinButton *batch_spin, *kv_spin, *sq_spin, *heads_spin;
  const AmlaConfigField *spin_field[4]; /* what each of the four spins shows, in that order */
  GtkComboBoxText *preset_combo;
  GtkWidget *what_if_box;
  GtkLabel *what_if_label;
  GtkLabel *metrics_label;
  GtkLabel *numerics_label;
  GtkLabel *details_label;
  GtkLabel *step_label;
  GtkWidget *pinned_box;
  GtkLabel *pinned_label, *current_label;
  AmlavizTimelineView *pinned_view, *current_view;
  GMenu *recent_section;
  GtkStack *view_stack;
  GtkWidget *pin_button, *step_box, *fit_button; /* timeline tools: hidden in the Sweep view */
  AmlavizSweepView *sweep_view;
  AmlaConfig *pending_config; /* a sweep point to show once a loaded trace is left */
  GtkWidget *sensitivity; /* the open "What drives this number?" dialog (weak), or NULL */
  GtkSearchBar *search_bar;
  GtkSearchEntry *search_entry;
  GtkLabel *search_count_label;
  char *last_search; /* the session's search text last shown in the entry */
  GtkPaned *details_paned;
  int details_paned_width; /* its width when the details pane was last sized */
};

G_DEFINE_FINAL_TYPE (AmlavizWindow, amlaviz_window, GTK_TYPE_APPLICATION_WINDOW)

/* ------------------------------------------------------------------ session -> widgets */

/* The preset list's entry for the hardware the last opened trace recorded: "NAME (trace)". */
static void
sync_trace_hw_entry (AmlavizWindow *self)
{
  const char *name = amlaviz_session_get_trace_hw_name (self->session);
  g_autofree char *label = name != NULL ? g_strdup_printf ("%s (trace)", name) : NULL;
  GtkTreeModel *model = gtk_combo_box_get_model (GTK_COMBO_BOX (self->preset_combo));
  int id_column = gtk_combo_box_get_id_column (GTK_COMBO_BOX (self->preset_combo));
  int text_column = gtk_combo_box_get_entry_text_column (GTK_COMBO_BOX (self->preset_combo));
  GtkTreeIter it;
  int position = 0;
  for (gboolean ok = gtk_tree_model_get_iter_first (model, &it); ok;
       ok = gtk_tree_model_iter_next (model, &it), position++)
    {
      g_autofree char *id = NULL, *text = NULL;
      gtk_tree_model_get (model, &it, id_column, &id, text_column, &text, -1);
      if (g_strcmp0 (id, AMLAVIZ_SESSION_TRACE_HW) != 0)
        continue;
      if (g_strcmp0 (text, label) == 0)
        return;
      gtk_combo_box_text_remove (self->preset_combo, position); /* another trace's */
      break;
    }
  if (label != NULL)
    gtk_combo_box_text_append (self->preset_combo, AMLAVIZ_SESSION_TRACE_HW, label);
}

/* GtkLabel re-shapes its text and queues a resize of the window on every set, even of the text
 * it shows: after a toggle most labels keep theirs */
static void
label_set_text (GtkLabel *label, const char *text)
{
  if (gtk_label_get_use_markup (label) || g_strcmp0 (gtk_label_get_label (label), text) != 0)
    gtk_label_set_text (label, text);
}

static void
label_set_markup (GtkLabel *label, const char *markup)
{
  if (!gtk_label_get_use_markup (label) || g_strcmp0 (gtk_label_get_label (label), markup) != 0)
    gtk_label_set_markup (label, markup);
}

static void
sync_config (AmlavizWindow *self)
{
  const AmlaConfig *c = amlaviz_session_get_config (self->session);
  self->syncing = TRUE;
  GtkSpinButton *spins[] = { self->batch_spin, self->kv_spin, self->sq_spin, self->heads_spin };
  for (guint i = 0; i < G_N_ELEMENTS (spins); i++)
    gtk_spin_button_set_value (spins[i], amla_config_field_get_int (self->spin_field[i], c));
  sync_trace_hw_entry (self);
  /* a trace's recorded hardware is its own entry, never the preset of the same name */
  const char *id = c->hw_recorded != NULL ? AMLAVIZ_SESSION_TRACE_HW : c->hw;
  if (!gtk_combo_box_set_active_id (GTK_COMBO_BOX (self->preset_combo), id))
    {
      gtk_combo_box_text_append (self->preset_combo, id, c->hw);
      gtk_combo_box_set_active_id (GTK_COMBO_BOX (self->preset_combo), id);
    }
  gtk_widget_set_tooltip_text (
      GTK_WIDGET (self->preset_combo),
      c->hw_recorded != NULL ? "The hardware the opened trace recorded, every value as it was "
                               "(not a preset of this machine)"
                             : NULL);
  /* a what-if (from an opened amlasim --set trace or configure) is shown where the preset is */
  gtk_widget_set_visible (self->what_if_box, c->what_if[0] != '\0');
  g_auto (GStrv) parts = g_strsplit (c->what_if, " ", -1);
  g_autofree char *lines = g_strjoinv ("\n", parts);
  g_autofree char *text = g_strdup_printf ("What-if:\n%s", lines);
  label_set_text (self->what_if_label, text);
  self->syncing = FALSE;
}

static void
update_metrics (AmlavizWindow *self)
{
  const SimMetrics *m = amlaviz_session_get_metrics (self->session, FALSE);
  const SimMetrics *p = amlaviz_session_get_metrics (self->session, TRUE);
  const SimTrace *t = amlaviz_session_get_trace (self->session, FALSE);
  if (m)
    {
      g_autofree char *text = amlaviz_metrics_describe (m, p);
      label_set_markup (self->metrics_label, text);
    }
  else if (t)
    {
      g_autofree char *d = amlaviz_format_time (t->end_ns - t->start_ns);
      g_autofree char *text = g_strdup_printf (
          "Loaded trace: %" G_GUINT64_FORMAT " spans, %u group%s, %s.\nMetrics come with a "
          "simulation.",
          t->n_spans, t->groups->len, t->groups->len == 1 ? "" : "s", d);
      label_set_text (self->metrics_label, text);
    }
  else
    label_set_text (self->metrics_label, "—");
}

static void
update_numerics (AmlavizWindow *self)
{
  const AmlaNumReport *report = NULL;
  const char *message = NULL;
  AmlavizNumericsState state = amlaviz_session_get_numerics (self->session, &report, &message);
  gboolean pinned = amlaviz_session_get_trace (self->session, TRUE) != NULL;
  g_autofree char *text = NULL;
  switch (state)
    {
    case AMLAVIZ_NUMERICS_HIDDEN:
      break;
    case AMLAVIZ_NUMERICS_COMPUTING:
      text = g_strdup_printf ("<b>%sNumerics</b>: computing…", pinned ? "B: " : "");
      break;
    case AMLAVIZ_NUMERICS_READY:
      {
        const AmlaConfig *c = amlaviz_session_get_config (self->session);
        text = amlaviz_numerics_describe (report, c->rescale, pinned);
        break;
      }
    case AMLAVIZ_NUMERICS_TOO_LARGE:
    case AMLAVIZ_NUMERICS_FAILED:
      text = g_markup_printf_escaped ("<b>Numerics</b>\n<small>%s</small>", message ? message : "");
      break;
    }
  gtk_widget_set_visible (GTK_WIDGET (self->numerics_label), text != NULL);
  label_set_markup (self->numerics_label, text ? text : "");
}

static void
update_step_label (AmlavizWindow *self)
{
  const AmlavizStep *st = amlaviz_session_get_step (self->session);
  guint n = amlaviz_session_get_n_steps (self->session);
  g_autofree char *text = NULL;
  if (st)
    text = g_strdup_printf ("%s t%d k%d · %d/%u", sim_stage_name (st->stage), st->task, st->iter,
                            amlaviz_session_get_step_index (self->session) + 1, n);
  else
    text = n ? g_strdup_printf ("%u stages", n) : g_strdup ("—");
  label_set_text (self->step_label, text);
}

static void
on_trace_changed (AmlavizWindow *self)
{
  const char *label = amlaviz_session_get_label (self->session, FALSE);
  const char *plabel = amlaviz_session_get_label (self->session, TRUE);
  gboolean pinned = plabel != NULL;
  if (g_strcmp0 (gtk_header_bar_get_subtitle (self->header_bar), label) != 0)
    gtk_header_bar_set_subtitle (self->header_bar, label);
  g_autofree char *b = g_strdup_printf ("%s%s", pinned ? "B (current): " : "", label ? label : "");
  label_set_text (self->current_label, b);
  g_autofree char *a = g_strdup_printf ("A (pinned): %s", plabel ? plabel : "");
  label_set_text (self->pinned_label, a);
  gtk_widget_set_visible (self->pinned_box, pinned);
  update_metrics (self);
  update_numerics (self);
  update_step_label (self);
}

static void
update_search_count (AmlavizWindow *self)
{
  const char *text = amlaviz_session_get_search_text (self->session);
  /* a search set by the action (a script, a test) shows in the bar too */
  if (g_strcmp0 (text, self->last_search) != 0)
    {
      g_free (self->last_search);
      self->last_search = g_strdup (text);
      g_autofree char *typed
          = g_strstrip (g_strdup (gtk_entry_get_text (GTK_ENTRY (self->search_entry))));
      if (g_strcmp0 (typed, text) != 0)
        gtk_entry_set_text (GTK_ENTRY (self->search_entry), text);
      if (text[0] != '\0')
        gtk_search_bar_set_search_mode (self->search_bar, TRUE);
    }
  guint64 rank = 0;
  guint64 n = amlaviz_session_get_search_count (self->session, &rank);
  g_autofree char *label = NULL;
  if (text[0] == '\0')
    label = g_strdup ("");
  else if (n == 0)
    label = g_strdup ("no matches");
  else if (rank > 0)
    label = g_strdup_printf ("%'" G_GUINT64_FORMAT " of %'" G_GUINT64_FORMAT, rank, n);
  else
    label = g_strdup_printf ("%'" G_GUINT64_FORMAT " match%s", n, n == 1 ? "" : "es");
  label_set_text (self->search_count_label, label);
}

static void
on_view_changed (AmlavizWindow *self)
{
  update_step_label (self);
  update_search_count (self);
}

static void
on_details (AmlavizWindow *self)
{
  const char *d = amlaviz_session_get_details (self->session);
  label_set_markup (self->details_label, d ? d : "");
}

static void
on_error (AmlavizWindow *self)
{
  const char *e = amlaviz_session_get_error (self->session);
  label_set_text (self->error_label, e ? e : "");
  gtk_info_bar_set_revealed (self->error_bar, e != NULL);
}

static void show_error (AmlavizWindow *self, const char *message);

static void
on_read_only (AmlavizWindow *self)
{
  gboolean ro = amlaviz_session_get_read_only (self->session);
  if (!ro && self->pending_config)
    {
      g_autofree AmlaConfig *cfg = g_steal_pointer (&self->pending_config);
      g_autoptr (GError) error = NULL;
      if (!amlaviz_session_set_config (self->session, cfg, &error))
        show_error (self, error->message);
    }
  const char *why = amlaviz_session_get_read_only_reason (self->session);
  label_set_text (self->readonly_label, why ? why : "");
  gtk_info_bar_set_revealed (self->readonly_bar, ro);
  gtk_widget_set_sensitive (self->shape_grid, !ro);
  if (ro)
    gtk_widget_set_tooltip_text (self->shape_grid, why);
  else
    gtk_widget_set_tooltip_text (self->shape_grid, NULL);
}

static void
on_busy (AmlavizWindow *self)
{
  if (amlaviz_session_get_busy (self->session))
    gtk_spinner_start (self->spinner);
  else
    gtk_spinner_stop (self->spinner);
}

static gboolean
reveal_load_bar (gpointer data)
{
  AmlavizWindow *self = data;
  self->load_reveal_timeout = 0;
  gtk_info_bar_set_revealed (self->load_bar, TRUE);
  return G_SOURCE_REMOVE;
}

static void
on_load_progress (AmlavizWindow *self)
{
  double fraction = 0;
  const char *name = NULL;
  if (!amlaviz_session_get_loading (self->session, &fraction, &name))
    return;
  g_autofree char *text = g_strdup_printf ("Opening %s…", name ? name : "");
  label_set_text (self->load_label, text);
  gtk_progress_bar_set_fraction (self->load_progress, fraction);
}

static void
on_loading (AmlavizWindow *self)
{
  g_clear_handle_id (&self->load_reveal_timeout, g_source_remove);
  if (amlaviz_session_get_loading (self->session, NULL, NULL))
    {
      on_load_progress (self);
      /* small files open before the bar would finish sliding in: show it for slow opens only */
      if (!gtk_info_bar_get_revealed (self->load_bar))
        self->load_reveal_timeout = g_timeout_add (150, reveal_load_bar, self);
    }
  else
    gtk_info_bar_set_revealed (self->load_bar, FALSE);
}

static void
on_file (AmlavizWindow *self)
{
  const char *f = amlaviz_session_get_file (self->session);
  g_autofree char *base = f ? g_path_get_basename (f) : NULL;
  g_autofree char *title = base ? g_strdup_printf ("%s — amlaviz", base) : g_strdup ("amlaviz");
  gtk_window_set_title (GTK_WINDOW (self), title);
  gtk_header_bar_set_title (self->header_bar, title);
}

/* ------------------------------------------------------------------ widgets -> session */

static void
on_spin_changed (GtkSpinButton *spin, AmlavizWindow *self)
{
  if (self->syncing || self->session == NULL)
    return;
  GtkSpinButton *spins[] = { self->batch_spin, self->kv_spin, self->sq_spin, self->heads_spin };
  const char *action = NULL;
  for (guint i = 0; i < G_N_ELEMENTS (spins); i++)
    if (spin == spins[i])
      action = self->spin_field[i]->action;
  g_action_group_activate_action (amlaviz_session_get_actions (self->session), action,
                                  g_variant_new_int32 (gtk_spin_button_get_value_as_int (spin)));
}

static void
on_preset_changed (GtkComboBox *combo, AmlavizWindow *self)
{
  const char *id = gtk_combo_box_get_active_id (combo);
  if (self->syncing || self->session == NULL || id == NULL)
    return;
  g_action_group_activate_action (amlaviz_session_get_actions (self->session), "preset",
                                  g_variant_new_string (id));
}

static void
on_error_bar_response (GtkInfoBar *bar, int response, AmlavizWindow *self)
{
  if (self->session)
    amlaviz_session_clear_error (self->session);
}

/* The details pane is 330 px wide (its tables' width) when the window has room, down to its
 * 250 px minimum on a small screen; set when the window's width changes, so a handle the user
 * dragged stays where it was put. */
static void
on_details_paned_allocate (GtkWidget *paned, GdkRectangle *alloc, AmlavizWindow *self)
{
  if (alloc->width == self->details_paned_width)
    return;
  self->details_paned_width = alloc->width;
  int details = CLAMP (alloc->width - 500, 250, 330);
  gtk_paned_set_position (GTK_PANED (paned), alloc->width - details);
}

/* A link in the details pane: go to that span. */
static gboolean
on_details_link (GtkLabel *label, const char *uri, AmlavizWindow *self)
{
  gboolean pinned;
  int g, l;
  gsize i;
  if (!amlaviz_span_link_parse (uri, &pinned, &g, &l, &i))
    return FALSE;
  amlaviz_session_go_to_span (self->session, pinned, g, l, i);
  return TRUE;
}

/* ------------------------------------------------------------------ search bar */

static void
on_search_changed (GtkSearchEntry *entry, AmlavizWindow *self)
{
  if (self->session == NULL)
    return;
  g_action_group_activate_action (amlaviz_session_get_actions (self->session), "search",
                                  g_variant_new_string (gtk_entry_get_text (GTK_ENTRY (entry))));
}

static void
on_search_activate (GtkEntry *entry, AmlavizWindow *self)
{
  if (self->session)
    amlaviz_session_search_step (self->session, TRUE);
}

static gboolean
on_search_key (GtkWidget *entry, GdkEventKey *event, AmlavizWindow *self)
{
  if ((event->keyval == GDK_KEY_Return || event->keyval == GDK_KEY_KP_Enter)
      && (event->state & GDK_SHIFT_MASK) && self->session)
    {
      amlaviz_session_search_step (self->session, FALSE);
      return TRUE;
    }
  return FALSE;
}

static void
on_search_stop (GtkSearchEntry *entry, AmlavizWindow *self)
{
  gtk_entry_set_text (GTK_ENTRY (entry), "");
  if (self->session)
    amlaviz_session_set_search (self->session, "");
  gtk_search_bar_set_search_mode (self->search_bar, FALSE);
  gtk_widget_grab_focus (GTK_WIDGET (self->current_view));
}

void
amlaviz_window_find (AmlavizWindow *self)
{
  g_return_if_fail (AMLAVIZ_IS_WINDOW (self));
  amlaviz_window_set_view (self, "timeline");
  gtk_search_bar_set_search_mode (self->search_bar, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

const char *
amlaviz_window_get_search_count_text (AmlavizWindow *self)
{
  return gtk_label_get_text (self->search_count_label);
}

/* ------------------------------------------------------------------ views */

static void
show_error (AmlavizWindow *self, const char *message)
{
  label_set_text (self->error_label, message);
  gtk_info_bar_set_revealed (self->error_bar, TRUE);
}

static void
on_view_switched (AmlavizWindow *self)
{
  /* the app.view action mirrors the stack, whoever switched it */
  const char *name = gtk_stack_get_visible_child_name (self->view_stack);
  gboolean timeline = g_strcmp0 (name, "sweep") != 0;
  gtk_widget_set_visible (self->pin_button, timeline);
  gtk_widget_set_visible (self->step_box, timeline);
  gtk_widget_set_visible (self->fit_button, timeline);
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  GAction *action = app ? g_action_map_lookup_action (G_ACTION_MAP (app), "view") : NULL;
  if (G_IS_SIMPLE_ACTION (action) && name)
    g_simple_action_set_state (G_SIMPLE_ACTION (action), g_variant_new_string (name));
}

gboolean
amlaviz_window_set_view (AmlavizWindow *self, const char *name)
{
  g_return_val_if_fail (AMLAVIZ_IS_WINDOW (self), FALSE);
  if (g_strcmp0 (name, "toggle") == 0)
    name = g_strcmp0 (amlaviz_window_get_view (self), "sweep") == 0 ? "timeline" : "sweep";
  if (name == NULL || gtk_stack_get_child_by_name (self->view_stack, name) == NULL)
    return FALSE;
  gtk_stack_set_visible_child_name (self->view_stack, name);
  return TRUE;
}

const char *
amlaviz_window_get_view (AmlavizWindow *self)
{
  return gtk_stack_get_visible_child_name (self->view_stack);
}

AmlavizSweepView *
amlaviz_window_get_sweep_view (AmlavizWindow *self)
{
  return self->sweep_view;
}

/* A point of the sweep was clicked: show that configuration's timeline. */
static void
on_open_config (AmlavizWindow *self, const AmlaConfig *c)
{
  amlaviz_window_set_view (self, "timeline");
  if (amlaviz_session_get_read_only (self->session))
    {
      /* a loaded trace is shown: simulate first, configure once it has been left */
      g_free (self->pending_config);
      self->pending_config = g_memdup2 (c, sizeof *c);
      amlaviz_session_simulate (self->session);
      return;
    }
  /* the whole configuration, what-ifs included: the sweep ran the presets as its points say */
  g_autoptr (GError) error = NULL;
  if (!amlaviz_session_set_config (self->session, c, &error))
    show_error (self, error->message);
}

/* ------------------------------------------------------------------ recent files */

static void
update_recent (AmlavizWindow *self)
{
  g_menu_remove_all (self->recent_section);
  GList *items = gtk_recent_manager_get_items (self->recent);
  guint n = 0;
  for (GList *l = items; l && n < 10; l = l->next)
    {
      GtkRecentInfo *info = l->data;
      if (!gtk_recent_info_has_application (info, g_get_application_name ()) || !gtk_recent_info_exists (info))
        continue;
      g_autofree char *path = g_filename_from_uri (gtk_recent_info_get_uri (info), NULL, NULL);
      if (path == NULL)
        continue;
      g_autoptr (GMenuItem) item = g_menu_item_new (gtk_recent_info_get_display_name (info), NULL);
      g_menu_item_set_action_and_target_value (item, "app.open-file", g_variant_new_string (path));
      g_menu_append_item (self->recent_section, item);
      n++;
    }
  g_list_free_full (items, (GDestroyNotify) gtk_recent_info_unref);
}

static void
on_file_done (AmlavizWindow *self, const char *path)
{
  g_autofree char *uri = g_filename_to_uri (path, NULL, NULL);
  if (uri)
    gtk_recent_manager_add_item (self->recent, uri);
}

/* ------------------------------------------------------------------ dialogs */

/* Plain and gzip traces, for opening and saving alike: opening inflates gzip whatever the name,
 * saving compresses when the name ends in .gz (sim_trace_path_is_gzip). */
static GtkFileFilter *
json_filter (void)
{
  GtkFileFilter *f = gtk_file_filter_new ();
  gtk_file_filter_set_name (f, "Chrome trace JSON (*.json, *.json.gz)");
  gtk_file_filter_add_pattern (f, "*.json");
  gtk_file_filter_add_pattern (f, "*.JSON");
  gtk_file_filter_add_mime_type (f, "application/json");
  gtk_file_filter_add_pattern (f, "*.json.gz");
  gtk_file_filter_add_pattern (f, "*.JSON.GZ");
  return f;
}

static GtkFileFilter *
gzip_filter (void)
{
  GtkFileFilter *f = gtk_file_filter_new ();
  gtk_file_filter_set_name (f, "Chrome trace JSON, gzip-compressed (*.json.gz)");
  gtk_file_filter_add_pattern (f, "*.json.gz");
  gtk_file_filter_add_pattern (f, "*.JSON.GZ");
  return f;
}

/* The choosers answer through "response" (no nested main loop): open or save the file chosen. */
static void
on_chooser_response (GtkNativeDialog *dlg, int response, AmlavizWindow *self)
{
  gboolean open
      = gtk_file_chooser_get_action (GTK_FILE_CHOOSER (dlg)) == GTK_FILE_CHOOSER_ACTION_OPEN;
  g_autofree char *path = response == GTK_RESPONSE_ACCEPT
                              ? gtk_file_chooser_get_filename (GTK_FILE_CHOOSER (dlg))
                              : NULL;
  g_object_unref (dlg); /* the reference the dialog function took */
  if (path && open)
    amlaviz_session_open (self->session, path);
  else if (path)
    amlaviz_session_save (self->session, path);
}

static void
show_chooser (AmlavizWindow *self, GtkFileChooserNative *dlg /* transfer full */)
{
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dlg), TRUE);
  g_signal_connect_object (dlg, "response", G_CALLBACK (on_chooser_response), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dlg));
}

void
amlaviz_window_open_dialog (AmlavizWindow *self)
{
  GtkFileChooserNative *dlg = gtk_file_chooser_native_new (
      "Open Trace", GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_OPEN, "_Open", "_Cancel");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dlg), json_filter ());
  GtkFileFilter *all = gtk_file_filter_new ();
  gtk_file_filter_set_name (all, "All files");
  gtk_file_filter_add_pattern (all, "*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dlg), all);
  show_chooser (self, dlg);
}

void
amlaviz_window_save_dialog (AmlavizWindow *self, gboolean save_as)
{
  const char *file = amlaviz_session_get_file (self->session);
  if (file && !save_as)
    {
      amlaviz_session_save (self->session, file);
      return;
    }
  GtkFileChooserNative *dlg = gtk_file_chooser_native_new (
      "Save Trace", GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_SAVE, "_Save", "_Cancel");
  gtk_file_chooser_set_do_overwrite_confirmation (GTK_FILE_CHOOSER (dlg), TRUE);
  /* the name decides: "….json.gz" saves gzip-compressed, anything else plain JSON */
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dlg), json_filter ());
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dlg), gzip_filter ());
  if (file)
    gtk_file_chooser_set_filename (GTK_FILE_CHOOSER (dlg), file);
  else
    {
      const AmlaConfig *c = amlaviz_session_get_config (self->session);
      g_autofree char *name = g_strdup_printf ("amla-B%d-kv%d%s%s-%s.json", c->batch, c->kv_len,
                                               c->preload ? "" : "-nopreload",
                                               c->tiling ? "" : "-notiling",
                                               amla_rescale_name (c->rescale));
      gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dlg), name);
    }
  show_chooser (self, dlg);
}

void
amlaviz_window_export_dialog (AmlavizWindow *self)
{
  if (amlaviz_session_get_trace (self->session, FALSE) == NULL)
    return;
  gtk_window_present (GTK_WINDOW (amlaviz_export_dialog_new (GTK_WINDOW (self), self->session)));
}

void
amlaviz_window_sensitivity_dialog (AmlavizWindow *self)
{
  if (amlaviz_session_get_read_only (self->session))
    return;
  if (self->sensitivity == NULL)
    {
      self->sensitivity
          = GTK_WIDGET (amlaviz_sensitivity_dialog_new (GTK_WINDOW (self), self->session));
      g_object_add_weak_pointer (G_OBJECT (self->sensitivity), (gpointer *) &self->sensitivity);
    }
  gtk_window_present (GTK_WINDOW (self->sensitivity));
}

/* ------------------------------------------------------------------ drag and drop */

static void
on_drag_data_received (GtkWidget *widget, GdkDragContext *context, int x, int y,
                       GtkSelectionData *data, guint info, guint time, gpointer user_data)
{
  AmlavizWindow *self = AMLAVIZ_WINDOW (widget);
  g_auto (GStrv) uris = gtk_selection_data_get_uris (data);
  gboolean ok = FALSE;
  if (uris && uris[0])
    {
      g_autofree char *path = g_filename_from_uri (uris[0], NULL, NULL);
      if (path)
        {
          amlaviz_session_open (self->session, path);
          ok = TRUE;
        }
    }
  gtk_drag_finish (context, ok, FALSE, time);
}

/* ------------------------------------------------------------------ GtkWidget */

static gboolean
amlaviz_window_key_press (GtkWidget *widget, GdkEventKey *event)
{
  /* single-letter accelerators (W A S D F N P , .) must not steal keys from a text field */
  GtkWidget *focus = gtk_window_get_focus (GTK_WINDOW (widget));
  if (GTK_IS_ENTRY (focus) && gtk_window_propagate_key_event (GTK_WINDOW (widget), event))
    return TRUE;
  /* the focused timeline takes arrows and Enter before the pan accelerators (it lets Left/Right
   * through to them when nothing is selected) */
  if (AMLAVIZ_IS_TIMELINE_VIEW (focus) && gtk_widget_event (focus, (GdkEvent *) event))
    return TRUE;
  return GTK_WIDGET_CLASS (amlaviz_window_parent_class)->key_press_event (widget, event);
}

static void
amlaviz_window_size_allocate (GtkWidget *widget, GtkAllocation *alloc)
{
  AmlavizWindow *self = AMLAVIZ_WINDOW (widget);
  GTK_WIDGET_CLASS (amlaviz_window_parent_class)->size_allocate (widget, alloc);
  self->maximized = gtk_window_is_maximized (GTK_WINDOW (widget));
  if (!self->maximized)
    gtk_window_get_size (GTK_WINDOW (widget), &self->width, &self->height);
}

static void
amlaviz_window_destroy (GtkWidget *widget)
{
  AmlavizWindow *self = AMLAVIZ_WINDOW (widget);
  if (self->settings && self->width > 0)
    {
      g_settings_set_int (self->settings, "window-width", self->width);
      g_settings_set_int (self->settings, "window-height", self->height);
      g_settings_set_boolean (self->settings, "window-maximized", self->maximized);
    }
  GTK_WIDGET_CLASS (amlaviz_window_parent_class)->destroy (widget);
}

static void
amlaviz_window_dispose (GObject *object)
{
  AmlavizWindow *self = AMLAVIZ_WINDOW (object);
  if (self->session)
    g_signal_handlers_disconnect_by_data (self->session, self);
  if (self->recent)
    g_signal_handlers_disconnect_by_data (self->recent, self);
  g_clear_handle_id (&self->load_reveal_timeout, g_source_remove);
  if (self->sensitivity != NULL)
    {
      g_object_remove_weak_pointer (G_OBJECT (self->sensitivity), (gpointer *) &self->sensitivity);
      self->sensitivity = NULL;
    }
  g_clear_object (&self->session);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->pending_config, g_free);
  g_clear_pointer (&self->last_search, g_free);
  G_OBJECT_CLASS (amlaviz_window_parent_class)->dispose (object);
}

static void
amlaviz_window_class_init (AmlavizWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  object_class->dispose = amlaviz_window_dispose;
  widget_class->key_press_event = amlaviz_window_key_press;
  widget_class->size_allocate = amlaviz_window_size_allocate;
  widget_class->destroy = amlaviz_window_destroy;

  g_type_ensure (AMLAVIZ_TYPE_TIMELINE_VIEW);
  g_type_ensure (AMLAVIZ_TYPE_SWEEP_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/amlaviz/Amlaviz/amlaviz-window.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, AmlavizWindow, name)
  BIND (header_bar);
  BIND (spinner);
  BIND (error_bar);
  BIND (error_label);
  BIND (readonly_bar);
  BIND (readonly_label);
  BIND (load_bar);
  BIND (load_label);
  BIND (load_progress);
  BIND (shape_grid);
  BIND (batch_spin);
  BIND (kv_spin);
  BIND (sq_spin);
  BIND (heads_spin);
  BIND (preset_combo);
  BIND (what_if_box);
  BIND (what_if_label);
  BIND (metrics_label);
  BIND (numerics_label);
  BIND (details_label);
  BIND (step_label);
  BIND (pinned_box);
  BIND (pinned_label);
  BIND (current_label);
  BIND (pinned_view);
  BIND (current_view);
  BIND (recent_section);
  BIND (view_stack);
  BIND (sweep_view);
  BIND (pin_button);
  BIND (step_box);
  BIND (fit_button);
  BIND (search_bar);
  BIND (search_entry);
  BIND (search_count_label);
  BIND (details_paned);
#undef BIND
  gtk_widget_class_bind_template_callback (widget_class, on_spin_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_preset_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_error_bar_response);
  gtk_widget_class_bind_template_callback (widget_class, on_view_switched);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_search_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_search_key);
  gtk_widget_class_bind_template_callback (widget_class, on_search_stop);
  gtk_widget_class_bind_template_callback (widget_class, on_details_paned_allocate);
}

static void
amlaviz_window_init (AmlavizWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  /* the shape spins: a field of the configuration table each, with its range */
  static const char *const spin_fields[] = { "batch", "kv_len", "sq", "heads" };
  GtkSpinButton *spins[] = { self->batch_spin, self->kv_spin, self->sq_spin, self->heads_spin };
  G_STATIC_ASSERT (G_N_ELEMENTS (spin_fields) == G_N_ELEMENTS (self->spin_field));
  for (guint i = 0; i < G_N_ELEMENTS (spin_fields); i++)
    {
      self->spin_field[i] = amla_config_field_find (spin_fields[i]);
      gtk_spin_button_set_range (spins[i], self->spin_field[i]->min, self->spin_field[i]->max);
    }
  gtk_search_bar_connect_entry (self->search_bar, GTK_ENTRY (self->search_entry));
  g_signal_connect (self->details_label, "activate-link", G_CALLBACK (on_details_link), self);
  g_auto (GStrv) presets = sim_hw_list_presets ();
  for (guint i = 0; presets && presets[i]; i++)
    gtk_combo_box_text_append (self->preset_combo, presets[i], presets[i]);
  gtk_drag_dest_set (GTK_WIDGET (self), GTK_DEST_DEFAULT_ALL, NULL, 0, GDK_ACTION_COPY);
  gtk_drag_dest_add_uri_targets (GTK_WIDGET (self));
  g_signal_connect (self, "drag-data-received", G_CALLBACK (on_drag_data_received), NULL);
  self->recent = gtk_recent_manager_get_default ();
  g_signal_connect_swapped (self->recent, "changed", G_CALLBACK (update_recent), self);
  update_recent (self);
}

AmlavizWindow *
amlaviz_window_new (GtkApplication *app, AmlavizSession *session, GSettings *settings)
{
  AmlavizWindow *self = g_object_new (AMLAVIZ_TYPE_WINDOW, "application", app, NULL);
  self->session = g_object_ref (session);
  int w = 1400, h = 860;
  if (settings)
    {
      self->settings = g_object_ref (settings);
      w = g_settings_get_int (settings, "window-width");
      h = g_settings_get_int (settings, "window-height");
      if (g_settings_get_boolean (settings, "window-maximized"))
        gtk_window_maximize (GTK_WINDOW (self));
    }
  gtk_window_set_default_size (GTK_WINDOW (self), w, h);
  amlaviz_timeline_view_set_session (self->current_view, session);
  amlaviz_timeline_view_set_session (self->pinned_view, session);
  /* A and B of a compare scroll together, so the same lanes sit side by side */
  g_object_bind_property (self->current_view, "scroll-y", self->pinned_view, "scroll-y",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  amlaviz_sweep_view_set_session (self->sweep_view, session);
  g_signal_connect_swapped (self->sweep_view, "open-config", G_CALLBACK (on_open_config), self);
  g_signal_connect_swapped (session, "trace-changed", G_CALLBACK (on_trace_changed), self);
  g_signal_connect_swapped (session, "view-changed", G_CALLBACK (on_view_changed), self);
  g_signal_connect_swapped (session, "config-changed", G_CALLBACK (sync_config), self);
  g_signal_connect_swapped (session, "file-done", G_CALLBACK (on_file_done), self);
  g_signal_connect_swapped (session, "numerics-changed", G_CALLBACK (update_numerics), self);
  g_signal_connect_swapped (session, "notify::details", G_CALLBACK (on_details), self);
  g_signal_connect_swapped (session, "notify::error", G_CALLBACK (on_error), self);
  g_signal_connect_swapped (session, "notify::read-only", G_CALLBACK (on_read_only), self);
  g_signal_connect_swapped (session, "notify::busy", G_CALLBACK (on_busy), self);
  g_signal_connect_swapped (session, "notify::file", G_CALLBACK (on_file), self);
  g_signal_connect_swapped (session, "notify::loading", G_CALLBACK (on_loading), self);
  g_signal_connect_swapped (session, "notify::load-progress", G_CALLBACK (on_load_progress), self);
  sync_config (self);
  on_trace_changed (self);
  on_details (self);
  on_error (self);
  on_read_only (self);
  on_busy (self);
  return self;
}

AmlavizSession *
amlaviz_window_get_session (AmlavizWindow *self)
{
  return self->session;
}

AmlavizTimelineView *
amlaviz_window_get_timeline (AmlavizWindow *self, gboolean pinned)
{
  return pinned ? self->pinned_view : self->current_view;
}

const char *
amlaviz_window_get_metrics_text (AmlavizWindow *self)
{
  return gtk_label_get_text (self->metrics_label);
}

const char *
amlaviz_window_get_what_if_text (AmlavizWindow *self)
{
  return gtk_widget_get_visible (self->what_if_box) ? gtk_label_get_text (self->what_if_label)
                                                    : NULL;
}

const char *
amlaviz_window_get_numerics_text (AmlavizWindow *self)
{
  return gtk_widget_get_visible (GTK_WIDGET (self->numerics_label))
             ? gtk_label_get_text (self->numerics_label)
             : NULL;
}

gboolean
amlaviz_window_get_load_bar (AmlavizWindow *self, double *fraction)
{
  if (fraction)
    *fraction = gtk_progress_bar_get_fraction (self->load_progress);
  return gtk_info_bar_get_revealed (self->load_bar) || self->load_reveal_timeout != 0;
}

const char *
amlaviz_window_get_step_text (AmlavizWindow *self)
{
  return gtk_label_get_text (self->step_label);
}

GtkLabel *
amlaviz_window_get_details_label (AmlavizWindow *self)
{
  return self->details_label;
}
