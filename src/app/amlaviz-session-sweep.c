/* src/app/amlaviz-session-sweep.c — the session's sweep: run state, results, the sweep-* actions
 * (see amlaviz-session-sweep.h).  Moved here from the Sweep view so that a sweep can be started,
 * cancelled and exported through actions, without the view. */
#include "src/app/amlaviz-session-sweep.h"
#include "src/app/amlaviz-session-private.h"

#include <string.h>

/* One sweep in flight: the worker's data.  sweep is cleared when the sweep is superseded or the
 * session goes away, so late results are dropped.  Freed with the GTask, which completes after
 * every result delivered through the main context (both are idle sources of the same priority). */
typedef struct
{
  AmlavizSessionSweep *sweep;
  SweepGrid *grid;
  gint cancel; /* g_atomic_int_* only */
  GMainContext *context;
} SweepRunData;

struct _AmlavizSessionSweep
{
  AmlavizSession *session; /* not a reference: the session owns this */
  GArray *results;         /* SweepResult, sorted by point */
  SweepAxis axis;          /* the axis the results were swept over */
  guint axis_len;
  SweepRunData *run; /* NULL when idle */
  guint64 done, total;
  gint64 started_us;
  char *status;
  gboolean status_is_error;
  PlotKind plot_kind;
  PlotY plot_y;
  int plot_width, plot_height;
  GSimpleAction *cancel_action, *export_action;
};

static guint signal_started, signal_changed;

const char *
amlaviz_sweep_axis_title (SweepAxis axis)
{
  switch (axis)
    {
    case SWEEP_AXIS_BATCH:
      return "B";
    case SWEEP_AXIS_KV:
      return "S_kv";
    case SWEEP_AXIS_SQ:
      return "S_q";
    case SWEEP_AXIS_HEADS:
      return "H";
    default:
      return sweep_axis_name (axis);
    }
}

static void
changed (AmlavizSessionSweep *sw)
{
  g_simple_action_set_enabled (sw->cancel_action, sw->run != NULL);
  g_simple_action_set_enabled (sw->export_action, sw->results->len > 0);
  g_signal_emit (sw->session, signal_changed, 0);
}

/* ------------------------------------------------------------------ the grid */

/* The library's messages name CLI options ("--kv must be …"); here the field is the axis. */
static void
set_gui_error (GError **error, GError *err)
{
  static const SweepAxis axes[]
      = { SWEEP_AXIS_BATCH, SWEEP_AXIS_KV, SWEEP_AXIS_SQ, SWEEP_AXIS_HEADS };
  g_autofree char *text = g_strdup (err->message);
  for (gsize i = 0; i < G_N_ELEMENTS (axes); i++)
    {
      g_autofree char *option = g_strdup_printf ("--%s", sweep_axis_name (axes[i]));
      g_auto (GStrv) parts = g_strsplit (text, option, -1);
      g_free (text);
      text = g_strjoinv (amlaviz_sweep_axis_title (axes[i]), parts);
    }
  g_set_error (error, err->domain, err->code, "%s", text);
  g_error_free (err);
}

SweepGrid *
amlaviz_session_sweep_grid (AmlavizSession *self, const char *words, SweepAxis *axis,
                            GError **error)
{
  g_return_val_if_fail (AMLAVIZ_IS_SESSION (self), NULL);
  g_autoptr (SweepGrid) grid = sweep_grid_new (&self->config);
  SweepAxis swept = SWEEP_N_AXES;
  g_auto (GStrv) list = g_strsplit_set (words ? words : "", " \t\n", -1);
  GError *err = NULL;
  for (guint i = 0; list[i]; i++)
    {
      if (*list[i] == '\0')
        continue;
      char *eq = strchr (list[i], '=');
      if (eq == NULL || eq == list[i])
        {
          g_set_error (error, SWEEP_ERROR, SWEEP_ERROR_INVALID,
                       "“%s” is not AXIS=VALUES (e.g. kv=512..4096*2)", list[i]);
          return NULL;
        }
      *eq = '\0';
      const char *key = list[i], *value = eq + 1;
      SweepAxis a;
      if (g_ascii_strcasecmp (key, "toggles") == 0)
        {
          if (g_ascii_strcasecmp (value, "all") == 0)
            sweep_grid_all_toggles (grid);
          else if (g_ascii_strcasecmp (value, "current") != 0)
            {
              g_set_error (error, SWEEP_ERROR, SWEEP_ERROR_INVALID,
                           "toggles=%s: use toggles=all or toggles=current", value);
              return NULL;
            }
          continue;
        }
      if (!sweep_axis_parse (key, &a))
        {
          g_set_error (error, SWEEP_ERROR, SWEEP_ERROR_INVALID,
                       "Unknown sweep axis “%s”: use B, kv, sq, heads, rows, hw, preload, "
                       "tiling, rescale or toggles",
                       key);
          return NULL;
        }
      if (!sweep_grid_add_values (grid, a, value, &err))
        {
          set_gui_error (error, err);
          return NULL;
        }
      if (swept == SWEEP_N_AXES && sweep_axis_is_numeric (a))
        swept = a;
    }
  if (swept == SWEEP_N_AXES)
    {
      g_set_error (error, SWEEP_ERROR, SWEEP_ERROR_INVALID,
                   "Name the axis to sweep and its values, e.g. kv=512..4096*2");
      return NULL;
    }
  if (!sweep_grid_validate (grid, &err))
    {
      set_gui_error (error, err);
      return NULL;
    }
  if (axis)
    *axis = swept;
  return g_steal_pointer (&grid);
}

/* ------------------------------------------------------------------ running */

static void
run_data_free (gpointer data)
{
  SweepRunData *run = data;
  sweep_grid_free (run->grid);
  g_main_context_unref (run->context);
  g_free (run);
}

static int
result_cmp (gconstpointer a, gconstpointer b)
{
  const SweepResult *x = a, *y = b;
  return x->point < y->point ? -1 : x->point > y->point;
}

/* In the main context: one finished configuration. */
static void
on_result (const SweepResult *r, guint64 done, guint64 total, gpointer user_data)
{
  SweepRunData *run = user_data;
  AmlavizSessionSweep *sw = run->sweep;
  if (sw == NULL || sw->run != run)
    return;
  SweepResult copy = *r;
  copy.error = g_strdup (r->error);
  g_array_append_val (sw->results, copy);
  /* grid order keeps the legend order stable while results arrive out of order */
  g_array_sort (sw->results, result_cmp);
  sw->done = done;
  sw->total = total;
  changed (sw);
}

static void
sweep_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  SweepRunData *run = task_data;
  SweepRunOptions opt;
  sweep_run_options_init (&opt);
  opt.on_result = on_result;
  opt.user_data = run;
  opt.context = run->context;
  opt.cancel = &run->cancel;
  GError *error = NULL;
  GArray *results = sweep_run (run->grid, &opt, &error);
  if (results == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, results, (GDestroyNotify) g_array_unref);
}

static guint
count_failed (const GArray *results, const char **first_error)
{
  guint n = 0;
  for (guint i = 0; i < results->len; i++)
    {
      const SweepResult *r = &g_array_index (results, SweepResult, i);
      if (r->error && n++ == 0 && first_error)
        *first_error = r->error;
    }
  return n;
}

static void
set_status (AmlavizSessionSweep *sw, char *text /* transfer full */, gboolean is_error)
{
  g_free (sw->status);
  sw->status = text;
  sw->status_is_error = is_error;
}

static void
sweep_done (GObject *source, GAsyncResult *res, gpointer user_data)
{
  GTask *task = G_TASK (res);
  SweepRunData *run = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  g_autoptr (GArray) results = g_task_propagate_pointer (task, &error);
  AmlavizSessionSweep *sw = run->sweep;
  if (sw == NULL || sw->run != run)
    return; /* superseded or the session is gone */
  sw->run = NULL;
  run->sweep = NULL;
  double secs = (double) (g_get_monotonic_time () - sw->started_us) / 1e6;
  if (results != NULL)
    {
      /* the complete, sorted set: the same results that streamed in */
      g_array_unref (sw->results);
      sw->results = g_steal_pointer (&results);
      sw->done = sw->total = sw->results->len;
      const char *first_error = NULL;
      guint failed = count_failed (sw->results, &first_error);
      if (failed)
        set_status (sw,
                    g_strdup_printf ("%" G_GUINT64_FORMAT " runs in %.1f s; %u failed: %s",
                                     sw->total, secs, failed, first_error),
                    TRUE);
      else
        set_status (sw,
                    g_strdup_printf ("%" G_GUINT64_FORMAT " runs in %.1f s. Hover a point for "
                                     "its numbers, click it for its timeline.",
                                     sw->total, secs),
                    FALSE);
    }
  else if (g_error_matches (error, SWEEP_ERROR, SWEEP_ERROR_CANCELLED))
    set_status (sw,
                g_strdup_printf ("Cancelled after %" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT
                                 " runs; the plot keeps them.",
                                 sw->done, sw->total),
                FALSE);
  else
    set_status (sw, g_strdup_printf ("Sweep failed: %s", error->message), TRUE);
  changed (sw);
}

static void
stop_run (AmlavizSessionSweep *sw)
{
  if (sw->run == NULL)
    return;
  g_atomic_int_set (&sw->run->cancel, 1);
  sw->run->sweep = NULL;
  sw->run = NULL;
}

gboolean
amlaviz_session_sweep_run (AmlavizSession *self, const char *words)
{
  g_return_val_if_fail (AMLAVIZ_IS_SESSION (self), FALSE);
  AmlavizSessionSweep *sw = self->sweep;
  g_autoptr (GError) error = NULL;
  SweepAxis axis;
  SweepGrid *grid = amlaviz_session_sweep_grid (self, words, &axis, &error);
  if (grid == NULL)
    {
      set_status (sw, g_strdup (error->message), TRUE);
      changed (sw);
      return FALSE;
    }
  stop_run (sw);
  g_array_set_size (sw->results, 0);
  sw->axis = axis;
  sw->axis_len = sweep_grid_axis_len (grid, axis);
  sw->done = 0;
  sw->total = sweep_grid_size (grid);
  sw->started_us = g_get_monotonic_time ();
  SweepRunData *run = g_new0 (SweepRunData, 1);
  run->sweep = sw;
  run->grid = grid;
  run->context = g_main_context_ref_thread_default ();
  sw->run = run;
  GTask *task = g_task_new (NULL, NULL, sweep_done, NULL);
  g_task_set_source_tag (task, amlaviz_session_sweep_run);
  g_task_set_task_data (task, run, run_data_free);
  g_task_run_in_thread (task, sweep_thread);
  g_object_unref (task);
  set_status (sw,
              g_strdup_printf ("Simulating %" G_GUINT64_FORMAT " configurations on %u "
                               "processors…",
                               sw->total, g_get_num_processors ()),
              FALSE);
  g_signal_emit (self, signal_started, 0);
  changed (sw);
  return TRUE;
}

void
amlaviz_session_sweep_cancel (AmlavizSession *self)
{
  g_return_if_fail (AMLAVIZ_IS_SESSION (self));
  if (self->sweep->run)
    g_atomic_int_set (&self->sweep->run->cancel, 1); /* sweep_done reports it */
}

gboolean
amlaviz_session_sweep_is_running (AmlavizSession *self)
{
  return self->sweep->run != NULL;
}

void
amlaviz_session_sweep_get_progress (AmlavizSession *self, guint64 *done, guint64 *total)
{
  *done = self->sweep->done;
  *total = self->sweep->total;
}

const GArray *
amlaviz_session_sweep_get_results (AmlavizSession *self)
{
  return self->sweep->results;
}

SweepAxis
amlaviz_session_sweep_get_axis (AmlavizSession *self, guint *n_values)
{
  if (n_values)
    *n_values = self->sweep->axis_len;
  return self->sweep->axis;
}

const char *
amlaviz_session_sweep_get_status (AmlavizSession *self, gboolean *is_error)
{
  if (is_error)
    *is_error = self->sweep->status_is_error;
  return self->sweep->status ? self->sweep->status : "";
}

void
amlaviz_session_sweep_set_status (AmlavizSession *self, const char *text, gboolean is_error)
{
  set_status (self->sweep, g_strdup (text ? text : ""), is_error);
  changed (self->sweep);
}

/* ------------------------------------------------------------------ export */

void
amlaviz_session_sweep_set_plot (AmlavizSession *self, PlotKind kind, PlotY y, int width, int height)
{
  AmlavizSessionSweep *sw = self->sweep;
  sw->plot_kind = kind;
  sw->plot_y = y;
  sw->plot_width = width;
  sw->plot_height = height;
}

gboolean
amlaviz_session_sweep_export (AmlavizSession *self, const char *path, GError **error)
{
  g_return_val_if_fail (AMLAVIZ_IS_SESSION (self), FALSE);
  AmlavizSessionSweep *sw = self->sweep;
  PlotOptions opt;
  plot_options_init (&opt);
  opt.x_axis = sw->axis;
  opt.y = sw->plot_y;
  GError *err = NULL;
  if (!plot_write_file (path, sw->plot_kind, sw->results, &opt, sw->plot_width, sw->plot_height,
                        &err))
    {
      set_status (sw, g_strdup_printf ("Could not export: %s", err->message), TRUE);
      g_propagate_error (error, err);
      changed (sw);
      return FALSE;
    }
  set_status (sw, g_strdup_printf ("Plot written to %s", path), FALSE);
  changed (sw);
  return TRUE;
}

/* ------------------------------------------------------------------ actions */

static void
activate (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  AmlavizSession *self = user_data;
  const char *name = g_action_get_name (G_ACTION (action));
  if (g_str_equal (name, "sweep-run"))
    amlaviz_session_sweep_run (self, g_variant_get_string (param, NULL));
  else if (g_str_equal (name, "sweep-cancel"))
    amlaviz_session_sweep_cancel (self);
  else if (g_str_equal (name, "sweep-export"))
    amlaviz_session_sweep_export (self, g_variant_get_string (param, NULL), NULL);
}

static GSimpleAction *
add_action (AmlavizSession *self, const char *name, const GVariantType *param)
{
  g_autoptr (GSimpleAction) a = g_simple_action_new (name, param);
  g_signal_connect (a, "activate", G_CALLBACK (activate), self);
  g_action_map_add_action (G_ACTION_MAP (self->actions), G_ACTION (a));
  return a; /* the group holds it */
}

/* ------------------------------------------------------------------ life */

void
_amlaviz_session_sweep_class_init (AmlavizSessionClass *klass)
{
  signal_started = g_signal_new ("sweep-started", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                 NULL, NULL, NULL, G_TYPE_NONE, 0);
  signal_changed = g_signal_new ("sweep-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                 NULL, NULL, NULL, G_TYPE_NONE, 0);
}

void
_amlaviz_session_sweep_init (AmlavizSession *self)
{
  AmlavizSessionSweep *sw = g_new0 (AmlavizSessionSweep, 1);
  sw->session = self;
  sw->results = sweep_results_new ();
  sw->axis = SWEEP_AXIS_KV;
  sw->plot_kind = PLOT_KIND_SWEEP;
  sw->plot_y = PLOT_Y_UTILIZATION;
  sw->plot_width = 900; /* the CLI's default size */
  sw->plot_height = 560;
  self->sweep = sw;
  add_action (self, "sweep-run", G_VARIANT_TYPE_STRING);
  sw->cancel_action = add_action (self, "sweep-cancel", NULL);
  sw->export_action = add_action (self, "sweep-export", G_VARIANT_TYPE_STRING);
  g_simple_action_set_enabled (sw->cancel_action, FALSE);
  g_simple_action_set_enabled (sw->export_action, FALSE);
}

void
_amlaviz_session_sweep_free (AmlavizSession *self)
{
  AmlavizSessionSweep *sw = self->sweep;
  if (sw == NULL)
    return;
  stop_run (sw);
  g_clear_pointer (&sw->results, g_array_unref);
  g_free (sw->status);
  g_free (sw);
  self->sweep = NULL;
}
