/* src/app/amlaviz-session-files.c — open (in a worker, with progress and cancel) and save trace
 * files (see amlaviz-session.h). */
#include <math.h>

#include "src/app/amlaviz-session-private.h"
#include "src/app/amlaviz-trace-file.h"

/* ------------------------------------------------------------------ files */

/* What the open worker shares with the main thread. */
typedef struct
{
  char *path;
  GCancellable *cancellable;
  int last_permille; /* worker thread only: the last fraction posted */
} LoadData;

static void
load_data_free (gpointer p)
{
  LoadData *d = p;
  g_free (d->path);
  g_object_unref (d->cancellable);
  g_free (d);
}

typedef struct
{
  GTask *task; /* the load it belongs to: a superseded load's progress is ignored */
  double fraction;
} LoadProgress;

static void
set_loading (AmlavizSession *self, GTask *task, const char *path)
{
  gboolean was = self->load_task != NULL;
  g_clear_object (&self->load_task);
  self->load_task = task ? g_object_ref (task) : NULL;
  g_free (self->load_name);
  self->load_name = path ? g_path_get_basename (path) : NULL;
  self->load_fraction = 0;
  _amlaviz_session_update_enabled (self);
  if (was != (task != NULL))
    g_object_notify_by_pspec (G_OBJECT (self), _amlaviz_session_properties[PROP_LOADING]);
  g_object_notify_by_pspec (G_OBJECT (self), _amlaviz_session_properties[PROP_LOAD_PROGRESS]);
}

static gboolean
load_progress_post (gpointer data)
{
  LoadProgress *p = data;
  AmlavizSession *self = g_task_get_source_object (p->task);
  if (p->task == self->load_task && p->fraction > self->load_fraction)
    {
      self->load_fraction = p->fraction;
      g_object_notify_by_pspec (G_OBJECT (self), _amlaviz_session_properties[PROP_LOAD_PROGRESS]);
    }
  return G_SOURCE_REMOVE;
}

static void
load_progress_free (gpointer data)
{
  LoadProgress *p = data;
  g_object_unref (p->task);
  g_free (p);
}

/* Worker thread: post every whole percent to the main loop; FALSE stops the reader. */
static gboolean
load_progress (double fraction, gpointer user_data)
{
  GTask *task = user_data;
  LoadData *d = g_task_get_task_data (task);
  if (g_cancellable_is_cancelled (d->cancellable))
    return FALSE;
  int permille = (int) (CLAMP (fraction, 0, 1) * 1000);
  if (permille >= d->last_permille + 10 || (permille == 1000 && d->last_permille < 1000))
    {
      d->last_permille = permille;
      LoadProgress *p = g_new (LoadProgress, 1);
      p->task = g_object_ref (task);
      p->fraction = permille / 1000.0;
      g_main_context_invoke_full (g_task_get_context (task), G_PRIORITY_DEFAULT, load_progress_post,
                                  p, load_progress_free);
    }
  return TRUE;
}

static void
load_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  LoadData *d = task_data;
  GError *error = NULL;
  SimTrace *t = amlaviz_trace_file_read (d->path, load_progress, task, &error);
  if (t == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, t, (GDestroyNotify) sim_trace_free);
}

static void
load_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  AmlavizSession *self = AMLAVIZ_SESSION (source);
  LoadData *d = g_task_get_task_data (G_TASK (result));
  const char *path = d->path;
  g_autoptr (GError) error = NULL;
  /* a cancelled load returns G_IO_ERROR_CANCELLED even if the reader had finished */
  SimTrace *t = g_task_propagate_pointer (G_TASK (result), &error);
  _amlaviz_session_work_done (self);
  if (G_TASK (result) != self->load_task)
    {
      sim_trace_free (t); /* superseded by a newer open */
      return;
    }
  set_loading (self, NULL, NULL);
  g_autofree char *base = g_path_get_basename (path);
  if (t == NULL)
    {
      /* the previous view stays as it was; a cancel is not an error */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
          && !g_error_matches (error, SIM_TRACE_ERROR, SIM_TRACE_ERROR_CANCELLED))
        {
          g_autofree char *msg = g_strdup_printf ("Could not open %s: %s", base, error->message);
          g_printerr ("amlaviz: %s\n", msg); /* for a script that drove open-file */
          _amlaviz_session_set_error (self, msg);
        }
      return;
    }
  _amlaviz_session_set_error (self, NULL);
  /* a newer simulation must not replace the file the user just opened */
  _amlaviz_session_cancel_run (self);
  AmlaConfig cfg;
  amla_config_init (&cfg);
  g_autoptr (GError) cfg_error = NULL;
  g_autofree char *origin = g_strdup_printf ("trace '%s'", base);
  gboolean ours
      = t->other_data_json
        && amla_config_from_trace_other_data (t->other_data_json, origin, &cfg, &cfg_error);
  Shown *s = g_rc_box_new0 (Shown);
  s->loaded = t;
  if (ours)
    {
      /* the metrics panel shows what the run measured, as it did before the trace was saved */
      s->loaded_metrics = g_new0 (SimMetrics, 1);
      if (!amla_metrics_from_other_data (t->other_data_json, s->loaded_metrics, NULL))
        g_clear_pointer (&s->loaded_metrics, g_free);
    }
  s->label = g_strdup (base);
  s->aiv_per_aic = 2;
  g_free (self->read_only_reason);
  if (ours)
    {
      self->read_only_reason = NULL;
      self->config = cfg;
      self->shown_config = cfg; /* what is drawn, for a re-simulation that fails */
      self->have_shown_config = TRUE;
      self->trace_hw_recorded = cfg.hw_recorded;
      g_strlcpy (self->trace_hw_name, cfg.hw, sizeof self->trace_hw_name);
      self->read_only = FALSE;
      _amlaviz_session_sync_action_states (self);
      g_signal_emit (self, _amlaviz_session_signals[SIGNAL_CONFIG_CHANGED], 0);
      _amlaviz_session_set_details (
          self, g_markup_printf_escaped (
                    "<b>%s</b>\nA trace written by amlaviz: the controls show its "
                    "configuration; change any of them to re-simulate.%s%s%s%s%s%s",
                    base, cfg.hw_recorded ? "\nHardware: " : "", cfg.hw_recorded ? cfg.hw : "",
                    cfg.hw_recorded ? " as the trace recorded it, every value (not a "
                                      "preset of this machine; kept when re-simulating)."
                                    : "",
                    cfg.what_if[0] ? "\nWhat-if (kept when re-simulating): " : "", cfg.what_if,
                    cfg.what_if[0] ? " applied to the preset." : ""));
    }
  else
    {
      self->read_only_reason = g_strdup_printf (
          "%s was not written by amlaviz (no kernel configuration in its otherData%s%s), so it "
          "is shown read-only: the kernel controls are disabled.  Use File ▸ New Simulation to "
          "simulate again.",
          base, cfg_error ? ": " : "", cfg_error ? cfg_error->message : "");
      self->read_only = TRUE;
      self->have_shown_config = FALSE;
      /* a wall-clock trace's first event to the ns (a double of it holds 256 ns) */
      guint64 first_ns = t->origin_ns + (guint64) MAX (nearbyint (t->start_ns), 0);
      g_autofree char *first
          = t->origin_ns == 0 ? g_strdup_printf ("%.6f s", t->start_ns / 1e9)
                              : g_strdup_printf ("%" G_GUINT64_FORMAT ".%09" G_GUINT64_FORMAT " s",
                                                 first_ns / 1000000000, first_ns % 1000000000);
      guint64 lost = t->skipped_events - t->n_kept_skipped;
      g_autofree char *kept
          = t->n_kept_skipped
                ? g_strdup_printf (" Events of other phases (async b/n/e, samples P, objects "
                                   "N/O/D, marks R, …) are kept as read and saved back with the "
                                   "trace (%" G_GUINT64_FORMAT " here).",
                                   t->n_kept_skipped)
                : g_strdup ("");
      g_autofree char *dropped
          = lost ? g_strdup_printf (" %" G_GUINT64_FORMAT " %s dropped: flow events without an id, "
                                    "flow starts or finishes with no partner.",
                                    lost, lost == 1 ? "was" : "were")
                 : g_strdup ("");
      g_autofree char *skipped
          = t->skipped_events ? g_strdup_printf (
                "\n\n%" G_GUINT64_FORMAT " event%s skipped: the reader draws spans (X, B/E), "
                "instants (i/I), counters (C), metadata (M) and flows (s/t/f).%s%s",
                t->skipped_events, t->skipped_events == 1 ? " was" : "s were", kept, dropped)
                              : g_strdup ("");
      _amlaviz_session_set_details (
          self, g_markup_printf_escaped ("<b>%s</b>\n%" G_GUINT64_FORMAT " spans in %u group%s.\n"
                                         "The time axis counts from the first event, at %s on the "
                                         "trace's clock.%s",
                                         base, t->n_spans, t->groups->len,
                                         t->groups->len == 1 ? "" : "s", first, skipped));
    }
  g_object_notify_by_pspec (G_OBJECT (self), _amlaviz_session_properties[PROP_READ_ONLY]);
  _amlaviz_session_set_file (self, ours ? path : NULL);
  self->step_index = -1;
  _amlaviz_session_markers_from_other_data (self, t->other_data_json);
  _amlaviz_session_replace_current (self, s);
  amlaviz_session_fit (self);
  g_signal_emit (self, _amlaviz_session_signals[SIGNAL_FILE_DONE], 0, path);
}

void
amlaviz_session_open (AmlavizSession *self, const char *path)
{
  g_return_if_fail (AMLAVIZ_IS_SESSION (self));
  amlaviz_session_cancel_open (self); /* the newest open wins */
  LoadData *d = g_new0 (LoadData, 1);
  d->path = g_strdup (path);
  d->cancellable = g_cancellable_new ();
  GTask *task = g_task_new (self, d->cancellable, load_done, NULL);
  g_task_set_source_tag (task, amlaviz_session_open);
  g_task_set_task_data (task, d, load_data_free);
  set_loading (self, task, path);
  _amlaviz_session_work_started (self);
  g_task_run_in_thread (task, load_thread);
  g_object_unref (task);
}

void
amlaviz_session_cancel_open (AmlavizSession *self)
{
  g_return_if_fail (AMLAVIZ_IS_SESSION (self));
  if (self->load_task == NULL)
    return;
  /* the reader stops at its next progress call; load_done then drops the task quietly */
  g_cancellable_cancel (g_task_get_cancellable (self->load_task));
  set_loading (self, NULL, NULL);
}

gboolean
amlaviz_session_get_loading (AmlavizSession *self, double *fraction, const char **name)
{
  if (fraction)
    *fraction = self->load_fraction;
  if (name)
    *name = self->load_name;
  return self->load_task != NULL;
}

typedef struct
{
  Shown *shown;
  char *path;
  char *other_data; /* the trace's otherData with the markers, written instead of its own */
} SaveData;

static void
save_data_free (gpointer p)
{
  SaveData *d = p;
  shown_unref (d->shown);
  g_free (d->path);
  g_free (d->other_data);
  g_free (d);
}

static void
save_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  SaveData *d = task_data;
  GError *error = NULL;
  /* every core is saved: a partial run is simulated whole here first */
  g_autoptr (AmlaRun) whole = NULL;
  const SimTrace *t = _amlaviz_shown_full_trace (d->shown, &whole, &error);
  if (t == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  /* a shallow copy that differs only in otherData: the shared trace is never written to */
  SimTrace copy = *t;
  copy.other_data_json = d->other_data;
  if (sim_trace_write_json (&copy, d->path, SIM_TRACE_FLAVOR_PERFETTO, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/* text with every old replaced by new (g_strsplit keeps it simple: names are short) */
static char *
replace_all (const char *text, const char *old, const char *new_text)
{
  if (text == NULL || *old == '\0')
    return g_strdup (text);
  g_auto (GStrv) parts = g_strsplit (text, old, -1);
  return g_strjoinv (new_text, parts);
}

/* An opened trace saved under another name is now that file: its label (window subtitle, A/B
 * panes) and the texts that name it (details, the read-only reason) follow, as in any editor. */
static void
rename_loaded (AmlavizSession *self, const char *path)
{
  Shown *s = self->current;
  g_autofree char *base = g_path_get_basename (path);
  if (g_strcmp0 (s->label, base) == 0)
    return;
  g_autofree char *old = g_strdup (s->label);
  g_free (s->label);
  s->label = g_strdup (base);
  if (self->read_only_reason != NULL)
    {
      char *r = replace_all (self->read_only_reason, old, base);
      g_free (self->read_only_reason);
      self->read_only_reason = r;
      g_object_notify_by_pspec (G_OBJECT (self), _amlaviz_session_properties[PROP_READ_ONLY]);
    }
  if (self->details != NULL)
    {
      g_autofree char *old_markup = g_markup_escape_text (old, -1);
      g_autofree char *new_markup = g_markup_escape_text (base, -1);
      _amlaviz_session_set_details (self, replace_all (self->details, old_markup, new_markup));
    }
  g_signal_emit (self, _amlaviz_session_signals[SIGNAL_TRACE_CHANGED], 0);
}

static void
save_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  AmlavizSession *self = AMLAVIZ_SESSION (source);
  SaveData *d = g_task_get_task_data (G_TASK (result));
  g_autoptr (GError) error = NULL;
  _amlaviz_session_work_done (self);
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_autofree char *msg = g_strdup_printf ("Could not save %s: %s", d->path, error->message);
      g_printerr ("amlaviz: %s\n", msg); /* for a script that drove save-to */
      _amlaviz_session_set_error (self, msg);
      return;
    }
  if (shown_same_run (d->shown, self->current)) /* completed meanwhile: still this run */
    {
      _amlaviz_session_set_file (self, d->path);
      if (self->current->loaded != NULL)
        rename_loaded (self, d->path);
    }
  g_signal_emit (self, _amlaviz_session_signals[SIGNAL_FILE_DONE], 0, d->path);
}

void
amlaviz_session_save (AmlavizSession *self, const char *path)
{
  g_return_if_fail (AMLAVIZ_IS_SESSION (self));
  if (self->current == NULL)
    {
      _amlaviz_session_set_error (self, "Nothing to save yet: the simulation has not finished.");
      return;
    }
  SaveData *d = g_new0 (SaveData, 1);
  d->shown = shown_ref (self->current);
  d->path = g_strdup (path);
  d->other_data = _amlaviz_session_other_data_with_markers (
      self, shown_trace (self->current)->other_data_json);
  GTask *task = g_task_new (self, NULL, save_done, NULL);
  g_task_set_task_data (task, d, save_data_free);
  _amlaviz_session_work_started (self);
  g_task_run_in_thread (task, save_thread);
  g_object_unref (task);
}
