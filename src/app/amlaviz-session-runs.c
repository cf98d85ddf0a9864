/* src/app/amlaviz-session-runs.c — the session's simulations: the one the user asked for, the
 * runs it keeps, and the runs it simulates ahead.
 *
 * A toggle should answer at once (issue 15), but a run of the default shape takes 50–70 ms of
 * simulation on a 2-core machine.  So the session keeps the last runs it showed (a toggle back
 * is then no simulation at all), and while nothing else runs it simulates, one at a time in the
 * background, the runs one toggle away from the current one: preload, tiling and the rescale
 * method each flipped.  A toggle to one of those shows it without simulating; a toggle to the
 * one being simulated ahead waits for that run instead of starting another.  Any run the user
 * asks for cancels the run ahead first, so the two never share the processors.
 *
 * A run records spans only for what the timeline draws: in one-AIC-group mode (the default) AIC
 * 0 and its two AIVs, 2 % of the spans, which makes a default run about a third faster (47-49 ms
 * against 79-86 ms recording every core, `amla_run` in one process on the 2-core VM).  Such a run
 * is partial (Shown.partial); when every core is needed (all cores drawn, an export dialog open)
 * the session completes it: simulates its configuration again recording everything, and swaps the
 * result in with the view and the selection kept (the simulator is deterministic, so AIC 0's spans
 * are the same).  A save or an export of a partial run simulates the whole run in its worker.
 *
 * The simulator is deterministic, so a kept run is the run a new simulation would give.  What is
 * kept is bounded (KEEP_MAX runs, KEEP_MAX_SPANS spans in all: about 230 MB at the default
 * shape's 56 bytes a span), runs larger than RUN_AHEAD_MAX_SPANS are not simulated ahead, and
 * the GSettings key keep-runs = false turns both off.  The "simulate" action (New Simulation,
 * Ctrl+N) always simulates, and forgets the kept runs (a preset file may have changed on disk). */
#include "src/app/amlaviz-session-private.h"
#include "src/app/amlaviz-describe.h"

#include <string.h>

#define KEEP_MAX 4
#define AHEAD_DELAY_MS 100 /* after a run is shown: its frame is drawn before the run ahead */
#define KEEP_MAX_SPANS ((guint64) 4000000)
#define RUN_AHEAD_MAX_SPANS ((guint64) 1000000)

typedef struct
{
  AmlaConfig config;
  gint cancel;      /* g_atomic_int_* only */
  gboolean counted; /* _amlaviz_session_work_started was called for it (the busy spinner) */
  gboolean ahead;   /* simulated ahead: on one thread, the other processor stays the window's */
  gboolean partial; /* record only AIC 0 and its AIVs (Shown.partial) */
  Shown *kept;      /* the answer is this kept run (no thread): shown like a finished run */
  Shown *target;    /* a completion: the partial run it completes */
  int which;        /* a completion: of the current (0) or the pinned (1) run */
} RunData;

static void
run_data_free (gpointer p)
{
  RunData *d = p;
  if (d->kept != NULL)
    shown_unref (d->kept);
  if (d->target != NULL)
    shown_unref (d->target);
  g_free (d);
}

static gboolean run_ahead_now (gpointer data);

static gboolean
config_equal (const AmlaConfig *a, const AmlaConfig *b)
{
  const AmlaConfigField *f = amla_config_fields ();
  for (guint i = 0; i < AMLA_CONFIG_N_FIELDS; i++)
    if (!amla_config_field_equal (&f[i], a, b))
      return FALSE;
  return TRUE;
}

static void
cancel_task (GTask **task)
{
  if (*task == NULL)
    return;
  RunData *d = g_task_get_task_data (*task);
  g_atomic_int_set (&d->cancel, 1);
  g_cancellable_cancel (g_task_get_cancellable (*task));
  g_clear_object (task);
}

/* Stop the running simulation (the engine polls cancel) and forget it. */
void
_amlaviz_session_cancel_run (AmlavizSession *self)
{
  cancel_task (&self->run_task);
}

static void
cancel_run_ahead (AmlavizSession *self)
{
  g_clear_handle_id (&self->ahead_timeout, g_source_remove);
  cancel_task (&self->ahead_task);
}

/* What one-AIC-group mode draws: the first AIC and its AIVs (amlaviz_group_in_aic_group 0). */
static void
record_drawn_only (SimRunOptions *opt)
{
  opt->trace_aic_first = 0;
  opt->trace_aic_count = 1;
}

/* A lane pinned by name in a group the one-group view leaves out: drawn at the top, so its
 * spans are needed. */
static gboolean
pins_outside_drawn (AmlavizSession *self)
{
  const Shown *s = self->current;
  const SimTrace *t = shown_trace (s);
  for (guint k = 0; t != NULL && k < self->pinned_lane_names->len; k++)
    {
      const char *key = g_ptr_array_index (self->pinned_lane_names, k);
      const char *tab = strchr (key, '\t');
      gsize n = tab ? (gsize) (tab - key) : strlen (key);
      for (guint g = 0; g < t->groups->len; g++)
        {
          const SimGroup *grp = g_ptr_array_index (t->groups, g);
          if (strlen (grp->name) == n && strncmp (grp->name, key, n) == 0
              && !amlaviz_group_in_aic_group (grp, 0, s->aiv_per_aic))
            return TRUE;
        }
    }
  return FALSE;
}

gboolean
_amlaviz_session_need_full (AmlavizSession *self)
{
  return self->all_cores || self->full_holds > 0 || pins_outside_drawn (self);
}

const SimTrace *
_amlaviz_shown_full_trace (const Shown *s, AmlaRun **owned, GError **error)
{
  *owned = NULL;
  if (s == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "no run");
      return NULL;
    }
  if (!s->partial)
    return shown_trace (s);
  SimRunOptions opt;
  sim_run_options_init (&opt);
  *owned = amla_run (&s->run->config, NULL, &opt, error);
  if (*owned == NULL)
    return NULL;
  /* what the window's run said besides its spans (otherData) stays the shown run's */
  return (*owned)->result->trace;
}

static void
run_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  RunData *d = task_data;
  SimRunOptions opt;
  sim_run_options_init (&opt);
  opt.cancel = &d->cancel;
  if (d->ahead)
    opt.threads = 1; /* the same run as with two (the engine's tests hold it to that) */
  if (d->partial)
    record_drawn_only (&opt);
  GError *error = NULL;
  AmlaRun *run = amla_run (&d->config, NULL, &opt, &error);
  if (run == NULL)
    g_task_return_error (task, error);
  else if (run->result == NULL || run->result->trace == NULL)
    {
      amla_run_free (run);
      g_task_return_new_error (task, AMLA_ERROR, AMLA_ERROR_INVALID, "the run recorded no trace");
    }
  else
    g_task_return_pointer (task, run, (GDestroyNotify) amla_run_free);
}

static Shown *
shown_new_run (AmlaRun *run /* transfer full */, gboolean partial)
{
  static guint64 last_run_id; /* main thread only */
  Shown *s = g_rc_box_new0 (Shown);
  s->run_id = ++last_run_id;
  s->run = run;
  s->label = amla_config_describe (&run->config);
  s->aiv_per_aic = run->hw ? run->hw->aiv_per_aic : 2;
  s->partial = partial;
  return s;
}

/* Spans the run holds (what keeping it costs). */
static guint64
shown_spans (const Shown *s)
{
  return s->run->result->trace->n_spans;
}

/* Spans of the whole run, a partial one's counted by the engine for the cores it left out: what
 * decides whether a run is simulated ahead. */
static guint64
shown_full_spans (const Shown *s)
{
  const SimTrace *t = s->run->result->trace;
  return t->n_spans + t->unrecorded_spans;
}

/* A kept or ahead run may answer only if it recorded what is needed. */
static gboolean
covers (AmlavizSession *self, gboolean partial)
{
  return !partial || !_amlaviz_session_need_full (self);
}

static gboolean
keeping (AmlavizSession *self)
{
  return self->settings == NULL || g_settings_get_boolean (self->settings, "keep-runs");
}

void
_amlaviz_session_keep_run (AmlavizSession *self, Shown *s /* transfer full */)
{
  if (s == NULL)
    return;
  if (s->run == NULL || !keeping (self) || shown_spans (s) > KEEP_MAX_SPANS)
    {
      shown_unref (s);
      return;
    }
  for (guint i = 0; i < self->kept->len; i++)
    {
      const Shown *k = g_ptr_array_index (self->kept, i);
      if (!config_equal (&k->run->config, &s->run->config))
        continue;
      if (s->partial && !k->partial)
        {
          shown_unref (s); /* the same run with every core recorded stays */
          return;
        }
      g_ptr_array_remove_index (self->kept, i--); /* the newer one stays */
    }
  g_ptr_array_insert (self->kept, 0, s);
  /* the oldest go first, past the count or the spans allowed */
  guint64 spans = 0;
  guint keep = 0;
  while (keep < self->kept->len && keep < KEEP_MAX
         && spans + shown_spans (g_ptr_array_index (self->kept, keep)) <= KEEP_MAX_SPANS)
    spans += shown_spans (g_ptr_array_index (self->kept, keep++));
  g_ptr_array_set_size (self->kept, keep);
}

/* The kept run of cfg, taken out of the kept ones; NULL if none. */
static Shown *
take_kept (AmlavizSession *self, const AmlaConfig *cfg)
{
  for (guint i = 0; i < self->kept->len; i++)
    {
      Shown *s = g_ptr_array_index (self->kept, i);
      if (config_equal (&s->run->config, cfg) && covers (self, s->partial))
        return g_ptr_array_steal_index (self->kept, i);
    }
  return NULL;
}

void
_amlaviz_session_forget_runs (AmlavizSession *self)
{
  cancel_run_ahead (self);
  g_ptr_array_set_size (self->kept, 0);
}

static void
show_run (AmlavizSession *self, Shown *s /* transfer full */)
{
  _amlaviz_session_set_error (self, NULL);
  if (self->read_only)
    {
      self->read_only = FALSE;
      g_object_notify_by_pspec (G_OBJECT (self), _amlaviz_session_properties[PROP_READ_ONLY]);
    }
  _amlaviz_session_set_file (self, NULL);
  _amlaviz_session_replace_current (self, s);
  _amlaviz_session_complete_runs (self); /* a partial run started before all cores were drawn */
  _amlaviz_session_run_ahead (self);
}

static void
run_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  AmlavizSession *self = AMLAVIZ_SESSION (source);
  GTask *task = G_TASK (result);
  RunData *d = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  AmlaRun *run = g_task_propagate_pointer (task, &error);
  if (d->counted)
    _amlaviz_session_work_done (self);
  else
    self->ahead_pending--;
  if (d->target != NULL)
    {
      /* a completion: it replaces the partial run if that is still shown */
      int w = d->which;
      if (task != self->complete_task[w])
        {
          /* cancelled (quitting, replaced, no longer needed): nothing follows from it */
          amla_run_free (run);
          return;
        }
      g_clear_object (&self->complete_task[w]);
      Shown *shown_now = w ? self->pinned : self->current;
      if (run != NULL && shown_now == d->target && d->target->partial)
        {
          Shown *full = shown_new_run (run, FALSE);
          full->aiv_per_aic = d->target->aiv_per_aic;
          full->run_id = d->target->run_id; /* the same run (a save in flight still names it) */
          _amlaviz_session_swap_completed (self, w, full);
        }
      else
        {
          amla_run_free (run);
          if (run == NULL)
            {
              /* not again for this run (a preset edited on disk would fail every time); the
               * error says why the other cores stay empty */
              d->target->complete_failed = TRUE;
              if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
                {
                  g_autofree char *msg
                      = g_strdup_printf ("Simulating every core failed: %s", error->message);
                  _amlaviz_session_set_error (self, msg);
                }
            }
        }
      _amlaviz_session_complete_runs (self); /* the other one, if it waited */
      _amlaviz_session_run_ahead (self); /* what it waited for: partial kept runs no longer do */
      return;
    }
  if (d->kept != NULL)
    {
      /* a kept run answered: shown, or kept again if a newer change superseded it */
      Shown *kept = g_steal_pointer (&d->kept);
      if (task == self->run_task)
        {
          g_clear_object (&self->run_task);
          self->shown_config = d->config;
          self->have_shown_config = TRUE;
          show_run (self, kept);
        }
      else
        _amlaviz_session_keep_run (self, kept);
      return;
    }
  if (task == self->ahead_task)
    {
      /* a run simulated ahead: kept for the toggle that asks for it, then the next one */
      g_clear_object (&self->ahead_task);
      if (run != NULL)
        _amlaviz_session_keep_run (self, shown_new_run (run, d->partial));
      run_ahead_now (self);
      return;
    }
  if (task != self->run_task)
    {
      amla_run_free (run); /* superseded */
      return;
    }
  g_clear_object (&self->run_task);
  if (run == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autofree char *msg = g_strdup_printf ("Simulation failed: %s", error->message);
          _amlaviz_session_set_error (self, msg);
          /* the controls say what is drawn, not the configuration that failed */
          if (self->have_shown_config && !config_equal (&self->config, &self->shown_config))
            {
              self->config = self->shown_config;
              self->applying = TRUE;
              _amlaviz_session_sync_action_states (self);
              _amlaviz_session_config_changed (self);
              self->applying = FALSE;
            }
        }
      _amlaviz_session_complete_runs (self); /* a pinned run that waited for this one */
      return;
    }
  self->shown_config = d->config;
  self->have_shown_config = TRUE;
  show_run (self, shown_new_run (run, d->partial));
}

static GTask *
start_run (AmlavizSession *self, const AmlaConfig *cfg, gboolean counted)
{
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  RunData *d = g_new0 (RunData, 1);
  d->config = *cfg;
  d->counted = counted;
  d->ahead = !counted;
  d->partial = !_amlaviz_session_need_full (self);
  GTask *task = g_task_new (self, cancellable, run_done, NULL);
  g_task_set_source_tag (task, start_run);
  g_task_set_task_data (task, d, run_data_free);
  if (counted)
    _amlaviz_session_work_started (self);
  else
    self->ahead_pending++;
  g_task_run_in_thread (task, run_thread);
  return task; /* the caller's reference; the thread holds its own */
}

/* A kept run as the answer of a task, so it is shown from the main loop like a finished run (a
 * toggle's answer never comes inside the toggle's own call) and a newer change supersedes it. */
static GTask *
answer_kept (AmlavizSession *self, Shown *kept /* transfer full */)
{
  RunData *d = g_new0 (RunData, 1);
  d->config = kept->run->config;
  d->counted = TRUE;
  d->kept = kept;
  GTask *task = g_task_new (self, NULL, run_done, NULL);
  g_task_set_source_tag (task, answer_kept);
  g_task_set_task_data (task, d, run_data_free);
  _amlaviz_session_work_started (self);
  g_task_return_boolean (task, TRUE); /* GTask calls back from the main loop, not from here */
  return task;
}

/* The session's configuration, simulated: a kept run at once, the run ahead if it is this one,
 * else a new simulation (which first stops the run ahead: both would share the processors). */
void
_amlaviz_session_show_config (AmlavizSession *self)
{
  /* the current run is being replaced: completing it would be work for nothing */
  cancel_task (&self->complete_task[0]);
  Shown *kept = take_kept (self, &self->config);
  if (kept != NULL)
    {
      _amlaviz_session_cancel_run (self);
      self->run_task = answer_kept (self, kept);
      return;
    }
  RunData *ahead = self->ahead_task ? g_task_get_task_data (self->ahead_task) : NULL;
  if (ahead != NULL && config_equal (&ahead->config, &self->config)
      && covers (self, ahead->partial))
    {
      _amlaviz_session_cancel_run (self);
      self->run_task = g_steal_pointer (&self->ahead_task);
      ((RunData *) g_task_get_task_data (self->run_task))->counted = TRUE;
      self->ahead_pending--;
      _amlaviz_session_work_started (self);
      return;
    }
  cancel_run_ahead (self);
  _amlaviz_session_cancel_run (self);
  self->run_task = start_run (self, &self->config, TRUE);
}

void
amlaviz_session_simulate (AmlavizSession *self)
{
  g_return_if_fail (AMLAVIZ_IS_SESSION (self));
  _amlaviz_session_forget_runs (self);
  _amlaviz_session_cancel_run (self);
  cancel_task (&self->complete_task[0]);
  self->run_task = start_run (self, &self->config, TRUE);
}

/* A completion of shown run `which`: its configuration simulated again recording every core, on
 * both processors (the user waits for it), counted as work (the spinner; quitting waits). */
static void
start_completion (AmlavizSession *self, int which)
{
  Shown *s = which ? self->pinned : self->current;
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  RunData *d = g_new0 (RunData, 1);
  d->config = s->run->config;
  d->counted = TRUE;
  d->target = shown_ref (s);
  d->which = which;
  GTask *task = g_task_new (self, cancellable, run_done, NULL);
  g_task_set_source_tag (task, start_completion);
  g_task_set_task_data (task, d, run_data_free);
  _amlaviz_session_work_started (self);
  g_task_run_in_thread (task, run_thread);
  self->complete_task[which] = task;
}

void
_amlaviz_session_cancel_completion (AmlavizSession *self, int which)
{
  cancel_task (&self->complete_task[which]);
}

void
_amlaviz_session_complete_runs (AmlavizSession *self)
{
  if (!_amlaviz_session_need_full (self))
    {
      /* all cores off, the hold released, the pin gone before it was done: no longer needed */
      cancel_task (&self->complete_task[0]);
      cancel_task (&self->complete_task[1]);
      return;
    }
  Shown *cur = self->current, *pin = self->pinned;
  /* not while a new current run is on its way: it will be complete (or completed) itself */
  if (cur && cur->run && cur->partial && !cur->complete_failed && self->complete_task[0] == NULL
      && self->run_task == NULL)
    start_completion (self, 0);
  /* the pinned run after the current one (one completion at a time shares the processors
   * best); the same run as the current one is completed with it */
  if (pin && pin != cur && pin->run && pin->partial && !pin->complete_failed
      && self->complete_task[1] == NULL && self->complete_task[0] == NULL)
    start_completion (self, 1);
}

gboolean
amlaviz_session_get_partial (AmlavizSession *self, gboolean pinned)
{
  g_return_val_if_fail (AMLAVIZ_IS_SESSION (self), FALSE);
  Shown *s = pinned ? self->pinned : self->current;
  return s != NULL && s->partial;
}

const SimTrace *
amlaviz_session_get_whole_trace (AmlavizSession *self, AmlaRun **owned, GError **error)
{
  g_return_val_if_fail (AMLAVIZ_IS_SESSION (self), NULL);
  return _amlaviz_shown_full_trace (self->current, owned, error);
}

void
amlaviz_session_hold_all_cores (AmlavizSession *self, gboolean hold)
{
  g_return_if_fail (AMLAVIZ_IS_SESSION (self));
  if (hold)
    self->full_holds++;
  else if (self->full_holds > 0)
    self->full_holds--;
  _amlaviz_session_complete_runs (self);
}

/* While nothing else runs, simulate the next run one toggle away from the shown one that is not
 * kept yet: preload, then tiling, then the rescale method flipped. */
static gboolean
run_ahead_now (gpointer data)
{
  AmlavizSession *self = data;
  self->ahead_timeout = 0;
  Shown *cur = self->current;
  if (self->ahead_task != NULL || self->run_task != NULL || cur == NULL || cur->run == NULL
      || self->complete_task[0] != NULL || self->complete_task[1] != NULL || !keeping (self)
      || shown_full_spans (cur) > RUN_AHEAD_MAX_SPANS
      || !config_equal (&cur->run->config, &self->config))
    return G_SOURCE_REMOVE;
  for (int k = 0; k < 3; k++)
    {
      AmlaConfig next = self->config;
      if (k == 0)
        next.preload = !next.preload;
      else if (k == 1)
        next.tiling = !next.tiling;
      else
        next.rescale = next.rescale == AMLA_RESCALE_AMLA ? AMLA_RESCALE_MUL : AMLA_RESCALE_AMLA;
      gboolean have = FALSE;
      for (guint i = 0; i < self->kept->len && !have; i++)
        {
          const Shown *kr = g_ptr_array_index (self->kept, i);
          have = config_equal (&kr->run->config, &next) && covers (self, kr->partial);
        }
      if (!have)
        {
          self->ahead_task = start_run (self, &next, FALSE);
          break;
        }
    }
  return G_SOURCE_REMOVE;
}

void
_amlaviz_session_run_ahead (AmlavizSession *self)
{
  if (self->ahead_timeout == 0 && self->ahead_task == NULL && keeping (self))
    self->ahead_timeout = g_timeout_add (AHEAD_DELAY_MS, run_ahead_now, self);
}

guint
amlaviz_session_get_n_kept_runs (AmlavizSession *self)
{
  g_return_val_if_fail (AMLAVIZ_IS_SESSION (self), 0);
  return self->kept->len;
}

gboolean
amlaviz_session_get_running_ahead (AmlavizSession *self)
{
  g_return_val_if_fail (AMLAVIZ_IS_SESSION (self), FALSE);
  return self->ahead_task != NULL || self->ahead_timeout != 0;
}

static void
on_keep_runs_changed (GSettings *settings, const char *key, AmlavizSession *self)
{
  if (!keeping (self))
    _amlaviz_session_forget_runs (self); /* the memory is given back at once */
  else
    _amlaviz_session_run_ahead (self);
}

void
_amlaviz_session_runs_init (AmlavizSession *self)
{
  self->kept = g_ptr_array_new_with_free_func ((GDestroyNotify) shown_unref);
  if (self->settings != NULL)
    g_signal_connect_object (self->settings, "changed::keep-runs",
                             G_CALLBACK (on_keep_runs_changed), self, 0);
}

void
_amlaviz_session_runs_dispose (AmlavizSession *self)
{
  cancel_run_ahead (self);
  _amlaviz_session_cancel_run (self);
  cancel_task (&self->complete_task[0]);
  cancel_task (&self->complete_task[1]);
  if (self->kept != NULL)
    g_ptr_array_set_size (self->kept, 0);
}

void
_amlaviz_session_runs_finalize (AmlavizSession *self)
{
  g_clear_pointer (&self->kept, g_ptr_array_unref);
}
