/* src/app/amlaviz-session.c — the session model (see the header). */
#include "src/app/amlaviz-session.h"
#include "src/app/amlaviz-describe.h"
#include "src/app/amlaviz-range-stats.h"
#include "src/app/amlaviz-trace-file.h"
#include "sim/trace-json.h"

#include <math.h>
#include <string.h>

/* A shown trace: a simulated run or a loaded file; shared by "current" and "pinned". */
typedef struct
{
  AmlaRun *run;     /* simulated; NULL for a loaded trace */
  SimTrace *loaded; /* loaded from a file; NULL for a run */
  char *label;
  int aiv_per_aic;
} Shown;

static void
shown_clear (gpointer p)
{
  Shown *s = p;
  amla_run_free (s->run);
  sim_trace_free (s->loaded);
  g_free (s->label);
}

static Shown *
shown_ref (Shown *s)
{
  return s ? g_rc_box_acquire (s) : NULL;
}

static void
shown_unref (Shown *s)
{
  if (s)
    g_rc_box_release_full (s, shown_clear);
}

static const SimTrace *
shown_trace (const Shown *s)
{
  if (s == NULL)
    return NULL;
  return s->run ? s->run->result->trace : s->loaded;
}

struct _AmlavizSession
{
  GObject parent_instance;

  GSettings *settings;
  GSimpleActionGroup *actions;
  AmlaConfig config;
  gboolean all_cores, show_flows;

  Shown *current, *pinned;
  guint8 *hidden[2], *collapsed[2]; /* [0] current, [1] pinned */
  GHashTable *collapsed_names;      /* group names collapsed by the user, kept across runs */

  double t0_ns, t1_ns;
  gboolean sel_pinned;
  int sel_group, sel_lane;
  gsize sel_span;
  double range_t0_ns, range_t1_ns;
  GArray *steps;
  int step_index;

  char *details;
  char *error;
  gboolean read_only;
  char *read_only_reason;
  char *file;

  GTask *run_task;     /* newest simulation; older ones were cancelled */
  guint busy_timeout;
  gboolean busy;
  guint pending;       /* simulations + loads + saves in flight */
  gboolean applying;   /* configure(): one run for several changes */

  /* numerics of the current run's shape: at most one worker; num_want is the newest request */
  AmlavizNumericsState num_state;
  AmlaNumReport num_report; /* for num_cfg's shape, in NUMERICS_READY */
  AmlaConfig num_cfg;       /* shape of num_report, or of the running worker */
  AmlaConfig num_want;      /* shape the panel wants */
  GTask *num_task;
  char *num_message;

  GTask *load_task; /* newest file being opened; an older one was cancelled */
  double load_fraction;
  char *load_name;
};

G_DEFINE_FINAL_TYPE (AmlavizSession, amlaviz_session, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_BUSY,
  PROP_ERROR,
  PROP_READ_ONLY,
  PROP_DETAILS,
  PROP_FILE,
  PROP_LOADING,
  PROP_LOAD_PROGRESS,
  N_PROPS
};
static GParamSpec *properties[N_PROPS];

enum
{
  SIGNAL_TRACE_CHANGED,
  SIGNAL_VIEW_CHANGED,
  SIGNAL_CONFIG_CHANGED,
  SIGNAL_FILE_DONE,
  SIGNAL_NUMERICS_CHANGED,
  N_SIGNALS
};
static guint signals[N_SIGNALS];

/* Toggles and shape fields that re-simulate; disabled for a foreign trace. */
static const char *const kernel_actions[]
    = { "preload", "tiling", "rescale", "batch", "kv", "sq", "heads", "preset", NULL };

/* ------------------------------------------------------------------ helpers */

static void
set_error (AmlavizSession *self, const char *msg)
{
  if (g_strcmp0 (self->error, msg) == 0)
    return;
  g_free (self->error);
  self->error = g_strdup (msg);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
}

static void
set_details (AmlavizSession *self, char *markup /* transfer full */)
{
  g_free (self->details);
  self->details = markup;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DETAILS]);
}

static void
set_busy (AmlavizSession *self, gboolean busy)
{
  if (self->busy == busy)
    return;
  self->busy = busy;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
set_file (AmlavizSession *self, const char *path)
{
  if (g_strcmp0 (self->file, path) == 0)
    return;
  g_free (self->file);
  self->file = g_strdup (path);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FILE]);
}

static void
view_changed (AmlavizSession *self)
{
  g_signal_emit (self, signals[SIGNAL_VIEW_CHANGED], 0);
}

static GAction *
lookup (AmlavizSession *self, const char *name)
{
  return g_action_map_lookup_action (G_ACTION_MAP (self->actions), name);
}

static void
set_enabled (AmlavizSession *self, const char *name, gboolean enabled)
{
  g_simple_action_set_enabled (G_SIMPLE_ACTION (lookup (self, name)), enabled);
}

static void
update_enabled (AmlavizSession *self)
{
  for (guint i = 0; kernel_actions[i]; i++)
    set_enabled (self, kernel_actions[i], !self->read_only);
  gboolean has_steps = self->steps && self->steps->len > 0;
  set_enabled (self, "step-next", has_steps);
  set_enabled (self, "step-prev", has_steps);
  set_enabled (self, "pin-a", self->current != NULL || self->pinned != NULL);
  set_enabled (self, "cancel-open", self->load_task != NULL);
}

/* Which groups are drawn and which are collapsed, for one shown trace. */
static void
compute_groups (AmlavizSession *self, int which)
{
  Shown *s = which ? self->pinned : self->current;
  const SimTrace *t = shown_trace (s);
  g_clear_pointer (&self->hidden[which], g_free);
  g_clear_pointer (&self->collapsed[which], g_free);
  if (t == NULL)
    return;
  guint n = t->groups->len;
  self->hidden[which] = g_new0 (guint8, MAX (n, 1));
  self->collapsed[which] = g_new0 (guint8, MAX (n, 1));
  for (guint g = 0; g < n; g++)
    {
      const SimGroup *grp = g_ptr_array_index (t->groups, g);
      self->hidden[which][g] = !self->all_cores && !amlaviz_group_in_aic_group (grp, 0, s->aiv_per_aic);
      self->collapsed[which][g] = g_hash_table_contains (self->collapsed_names, grp->name);
    }
}

static void
rebuild_steps (AmlavizSession *self)
{
  const AmlavizStep *old = amlaviz_session_get_step (self);
  AmlavizStep keep = { -1, -1, -1, 0, 0, 0 };
  if (old)
    keep = *old;
  g_clear_pointer (&self->steps, g_array_unref);
  self->steps = amlaviz_steps_build (shown_trace (self->current), self->hidden[0]);
  self->step_index = -1;
  /* the same unit in the new run, so stepping survives a toggle */
  for (guint i = 0; keep.stage >= 0 && i < self->steps->len; i++)
    {
      const AmlavizStep *st = &g_array_index (self->steps, AmlavizStep, i);
      if (st->stage == keep.stage && st->task == keep.task && st->iter == keep.iter)
        {
          self->step_index = (int) i;
          break;
        }
    }
}

static gboolean
is_amla (AmlavizSession *self)
{
  return self->current && self->current->run ? self->current->run->config.rescale == AMLA_RESCALE_AMLA
                                             : self->config.rescale == AMLA_RESCALE_AMLA;
}

static void
explain_step (AmlavizSession *self)
{
  const AmlavizStep *st = amlaviz_session_get_step (self);
  if (st)
    set_details (self, amlaviz_step_explain (shown_trace (self->current), self->hidden[0], st,
                                             is_amla (self)));
}

static void
trace_changed (AmlavizSession *self)
{
  compute_groups (self, 0);
  compute_groups (self, 1);
  rebuild_steps (self);
  update_enabled (self);
  g_signal_emit (self, signals[SIGNAL_TRACE_CHANGED], 0);
  view_changed (self);
}

static void numerics_update (AmlavizSession *self);

/* Swap in a new current trace, keeping the time window when the user had zoomed in. */
static void
replace_current (AmlavizSession *self, Shown *s /* transfer full */)
{
  const SimTrace *old = shown_trace (self->current);
  const SimTrace *t = shown_trace (s);
  gboolean was_fit = old == NULL || (self->t0_ns <= old->start_ns + 1e-6 * (old->end_ns - old->start_ns)
                                     && self->t1_ns >= old->end_ns - 1e-6 * (old->end_ns - old->start_ns));
  shown_unref (self->current);
  self->current = s;
  self->sel_group = -1;
  self->range_t0_ns = self->range_t1_ns = 0;
  trace_changed (self);
  numerics_update (self);
  if (t && (was_fit || self->t0_ns >= t->end_ns || self->t1_ns <= t->start_ns))
    amlaviz_session_fit (self);
  if (self->step_index >= 0)
    explain_step (self);
  else if (s && s->loaded == NULL)
    set_details (self, g_strdup ("Click a span for its details, shift-drag to measure a range, "
                                 "press <b>.</b> or <b>N</b> to step through the stages."));
}

/* ------------------------------------------------------------------ numerics */

/* The error depends only on these; B only scales rows_total. */
static gboolean
same_numerics_shape (const AmlaConfig *a, const AmlaConfig *b)
{
  return a->heads == b->heads && a->sq == b->sq && a->kv_len == b->kv_len && a->block == b->block;
}

static void
numerics_set (AmlavizSession *self, AmlavizNumericsState state, char *message /* transfer full */)
{
  self->num_state = state;
  g_free (self->num_message);
  self->num_message = message;
  g_signal_emit (self, signals[SIGNAL_NUMERICS_CHANGED], 0);
}

static void
numerics_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  const AmlaConfig *cfg = task_data;
  AmlaNumReport *report = g_new0 (AmlaNumReport, 1);
  GError *error = NULL;
  if (amla_numerics_for_config (cfg, AMLA_NUM_DIST_NORMAL, 1, AMLA_NUM_DEFAULT_SAMPLE_ROWS, report,
                                &error))
    g_task_return_pointer (task, report, g_free);
  else
    {
      g_free (report);
      g_task_return_error (task, error);
    }
}

static void numerics_done (GObject *source, GAsyncResult *result, gpointer user_data);

static void
numerics_start (AmlavizSession *self)
{
  g_assert (self->num_task == NULL);
  self->num_cfg = self->num_want;
  GTask *task = g_task_new (self, NULL, numerics_done, NULL);
  g_task_set_source_tag (task, numerics_start);
  g_task_set_task_data (task, g_memdup2 (&self->num_cfg, sizeof self->num_cfg), g_free);
  self->num_task = g_object_ref (task);
  g_task_run_in_thread (task, numerics_thread);
  g_object_unref (task);
}

static void
numerics_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  AmlavizSession *self = AMLAVIZ_SESSION (source);
  g_autoptr (GError) error = NULL;
  g_autofree AmlaNumReport *report = g_task_propagate_pointer (G_TASK (result), &error);
  g_clear_object (&self->num_task);
  if (self->num_state != AMLAVIZ_NUMERICS_COMPUTING)
    return; /* hidden or too large meanwhile: nothing wants it */
  if (!same_numerics_shape (&self->num_cfg, &self->num_want))
    {
      numerics_start (self); /* superseded while it ran: drop it, compute the newest */
      return;
    }
  if (report == NULL)
    {
      numerics_set (self, AMLAVIZ_NUMERICS_FAILED,
                    g_strdup_printf ("Numerics failed: %s", error->message));
      return;
    }
  self->num_report = *report;
  self->num_report.rows_total = self->num_want.batch * self->num_want.heads * self->num_want.sq;
  numerics_set (self, AMLAVIZ_NUMERICS_READY, NULL);
}

/* After the current trace changed: the numerics of its shape, computed only if the shape moved. */
static void
numerics_update (AmlavizSession *self)
{
  const AmlaConfig *cfg = NULL;
  if (self->current && self->current->run)
    cfg = &self->current->run->config;
  else if (self->current && !self->read_only)
    cfg = &self->config; /* a trace we wrote: its configuration is in the controls */
  if (cfg == NULL)
    {
      numerics_set (self, AMLAVIZ_NUMERICS_HIDDEN, NULL);
      return;
    }
  self->num_want = *cfg;
  if (cfg->kv_len > AMLAVIZ_NUMERICS_MAX_KV)
    {
      numerics_set (self, AMLAVIZ_NUMERICS_TOO_LARGE,
                    g_strdup_printf ("Numerics are computed up to S_kv = %d (the KV cache of "
                                     "S_kv = %d alone would take %.0f MB); run amlasim numerics "
                                     "on a shorter cache.",
                                     AMLAVIZ_NUMERICS_MAX_KV, cfg->kv_len,
                                     cfg->kv_len * (double) AMLA_HEAD_DIM_QK * 4 / 1e6));
      return;
    }
  if ((self->num_state == AMLAVIZ_NUMERICS_READY || self->num_state == AMLAVIZ_NUMERICS_FAILED)
      && self->num_task == NULL && same_numerics_shape (&self->num_cfg, cfg))
    {
      /* same arithmetic: only the row count (B) or the drawn rescale may differ */
      self->num_report.rows_total = cfg->batch * cfg->heads * cfg->sq;
      numerics_set (self, self->num_state, g_strdup (self->num_message));
      return;
    }
  numerics_set (self, AMLAVIZ_NUMERICS_COMPUTING, NULL);
  if (self->num_task == NULL)
    numerics_start (self);
  /* else numerics_done starts the newest request when the running one finishes */
}

AmlavizNumericsState
amlaviz_session_get_numerics (AmlavizSession *self, const AmlaNumReport **report,
                              const char **message)
{
  if (report)
    *report = self->num_state == AMLAVIZ_NUMERICS_READY ? &self->num_report : NULL;
  if (message)
    *message = self->num_message;
  return self->num_state;
}

/* ------------------------------------------------------------------ simulation */

typedef struct
{
  AmlaConfig config;
  volatile int cancel;
} RunData;

static void
run_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  RunData *d = task_data;
  SimRunOptions opt;
  sim_run_options_init (&opt);
  opt.cancel = &d->cancel;
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

static void
work_done (AmlavizSession *self)
{
  g_assert (self->pending > 0);
  if (--self->pending == 0)
    {
      g_clear_handle_id (&self->busy_timeout, g_source_remove);
      set_busy (self, FALSE);
    }
}

static gboolean
busy_timeout_cb (gpointer data)
{
  AmlavizSession *self = data;
  self->busy_timeout = 0;
  set_busy (self, TRUE); /* only runs longer than 50 ms show the spinner */
  return G_SOURCE_REMOVE;
}

static void
work_started (AmlavizSession *self)
{
  if (self->pending++ == 0 && self->busy_timeout == 0)
    self->busy_timeout = g_timeout_add (50, busy_timeout_cb, self);
}

static void
run_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  AmlavizSession *self = AMLAVIZ_SESSION (source);
  GTask *task = G_TASK (result);
  g_autoptr (GError) error = NULL;
  AmlaRun *run = g_task_propagate_pointer (task, &error);
  work_done (self);
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
          set_error (self, msg);
        }
      return;
    }
  set_error (self, NULL);
  Shown *s = g_rc_box_new0 (Shown);
  s->run = run;
  s->label = amla_config_describe (&run->config);
  s->aiv_per_aic = run->hw ? run->hw->aiv_per_aic : 2;
  if (self->read_only)
    {
      self->read_only = FALSE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_READ_ONLY]);
    }
  set_file (self, NULL);
  replace_current (self, s);
}

void
amlaviz_session_simulate (AmlavizSession *self)
{
  g_return_if_fail (AMLAVIZ_IS_SESSION (self));
  if (self->run_task)
    {
      RunData *old = g_task_get_task_data (self->run_task);
      old->cancel = 1;
      g_cancellable_cancel (g_task_get_cancellable (self->run_task));
      g_clear_object (&self->run_task);
    }
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  RunData *d = g_new0 (RunData, 1);
  d->config = self->config;
  GTask *task = g_task_new (self, cancellable, run_done, NULL);
  g_task_set_source_tag (task, amlaviz_session_simulate);
  g_task_set_task_data (task, d, g_free);
  self->run_task = g_object_ref (task);
  work_started (self);
  g_task_run_in_thread (task, run_thread);
  g_object_unref (task);
}

static void
config_changed (AmlavizSession *self)
{
  if (self->settings)
    {
      g_settings_set_int (self->settings, "batch", self->config.batch);
      g_settings_set_int (self->settings, "kv-len", self->config.kv_len);
      g_settings_set_int (self->settings, "sq", self->config.sq);
      g_settings_set_int (self->settings, "heads", self->config.heads);
      g_settings_set_boolean (self->settings, "preload", self->config.preload);
      g_settings_set_boolean (self->settings, "tiling", self->config.tiling);
      g_settings_set_string (self->settings, "rescale", amla_rescale_name (self->config.rescale));
      g_settings_set_string (self->settings, "preset", self->config.hw);
    }
  g_signal_emit (self, signals[SIGNAL_CONFIG_CHANGED], 0);
  if (!self->applying)
    amlaviz_session_simulate (self);
}

/* Mirror the config into the action states (after configure() or a loaded trace). */
static void
sync_action_states (AmlavizSession *self)
{
  const AmlaConfig *c = &self->config;
  g_simple_action_set_state (G_SIMPLE_ACTION (lookup (self, "preload")), g_variant_new_boolean (c->preload));
  g_simple_action_set_state (G_SIMPLE_ACTION (lookup (self, "tiling")), g_variant_new_boolean (c->tiling));
  g_simple_action_set_state (G_SIMPLE_ACTION (lookup (self, "rescale")),
                             g_variant_new_string (amla_rescale_name (c->rescale)));
  g_simple_action_set_state (G_SIMPLE_ACTION (lookup (self, "batch")), g_variant_new_int32 (c->batch));
  g_simple_action_set_state (G_SIMPLE_ACTION (lookup (self, "kv")), g_variant_new_int32 (c->kv_len));
  g_simple_action_set_state (G_SIMPLE_ACTION (lookup (self, "sq")), g_variant_new_int32 (c->sq));
  g_simple_action_set_state (G_SIMPLE_ACTION (lookup (self, "heads")), g_variant_new_int32 (c->heads));
  g_simple_action_set_state (G_SIMPLE_ACTION (lookup (self, "preset")), g_variant_new_string (c->hw));
}

/* Validate a candidate config; on failure keep the old one and say why. */
static gboolean
try_config (AmlavizSession *self, const AmlaConfig *cfg)
{
  g_autoptr (GError) error = NULL;
  if (!amla_config_validate (cfg, &error))
    {
      g_autofree char *msg = g_strdup_printf ("Invalid configuration: %s", error->message);
      set_error (self, msg);
      sync_action_states (self);
      g_signal_emit (self, signals[SIGNAL_CONFIG_CHANGED], 0);
      return FALSE;
    }
  self->config = *cfg;
  sync_action_states (self);
  config_changed (self);
  return TRUE;
}

/* ------------------------------------------------------------------ actions */

static void
change_bool (GSimpleAction *action, GVariant *value, gpointer user_data)
{
  AmlavizSession *self = user_data;
  const char *name = g_action_get_name (G_ACTION (action));
  gboolean v = g_variant_get_boolean (value);
  AmlaConfig cfg = self->config;
  if (g_str_equal (name, "preload"))
    cfg.preload = v;
  else if (g_str_equal (name, "tiling"))
    cfg.tiling = v;
  if (memcmp (&cfg, &self->config, sizeof cfg) == 0)
    return;
  try_config (self, &cfg);
}

static void
change_rescale (GSimpleAction *action, GVariant *value, gpointer user_data)
{
  AmlavizSession *self = user_data;
  AmlaConfig cfg = self->config;
  if (!amla_rescale_parse (g_variant_get_string (value, NULL), &cfg.rescale))
    {
      g_autofree char *msg = g_strdup_printf ("Unknown rescale method “%s”: use amla or mul",
                                              g_variant_get_string (value, NULL));
      set_error (self, msg);
      return;
    }
  if (cfg.rescale == self->config.rescale)
    return;
  try_config (self, &cfg);
}

static void
change_int (GSimpleAction *action, GVariant *value, gpointer user_data)
{
  AmlavizSession *self = user_data;
  const char *name = g_action_get_name (G_ACTION (action));
  int v = g_variant_get_int32 (value);
  AmlaConfig cfg = self->config;
  if (g_str_equal (name, "batch"))
    cfg.batch = v;
  else if (g_str_equal (name, "kv"))
    cfg.kv_len = v;
  else if (g_str_equal (name, "sq"))
    cfg.sq = v;
  else if (g_str_equal (name, "heads"))
    cfg.heads = v;
  if (memcmp (&cfg, &self->config, sizeof cfg) == 0)
    return;
  try_config (self, &cfg);
}

static void
change_preset (GSimpleAction *action, GVariant *value, gpointer user_data)
{
  AmlavizSession *self = user_data;
  const char *name = g_variant_get_string (value, NULL);
  g_autofree char *path = sim_hw_find_preset (name);
  if (path == NULL)
    {
      g_autofree char *msg = g_strdup_printf ("Unknown hardware preset “%s”", name);
      set_error (self, msg);
      return;
    }
  AmlaConfig cfg = self->config;
  g_strlcpy (cfg.hw, name, sizeof cfg.hw);
  if (g_strcmp0 (cfg.hw, self->config.hw) == 0)
    return;
  try_config (self, &cfg);
}

static void
change_view_bool (GSimpleAction *action, GVariant *value, gpointer user_data)
{
  AmlavizSession *self = user_data;
  const char *name = g_action_get_name (G_ACTION (action));
  gboolean v = g_variant_get_boolean (value);
  g_simple_action_set_state (action, value);
  if (g_str_equal (name, "all-cores"))
    {
      self->all_cores = v;
      if (self->settings)
        g_settings_set_boolean (self->settings, "all-cores", v);
      trace_changed (self);
    }
  else
    {
      self->show_flows = v;
      if (self->settings)
        g_settings_set_boolean (self->settings, "show-flows", v);
      view_changed (self);
    }
}

static void
change_pin (GSimpleAction *action, GVariant *value, gpointer user_data)
{
  AmlavizSession *self = user_data;
  gboolean v = g_variant_get_boolean (value);
  if (v && self->current == NULL)
    return;
  g_simple_action_set_state (action, value);
  shown_unref (self->pinned);
  self->pinned = v ? shown_ref (self->current) : NULL;
  if (self->sel_pinned)
    self->sel_group = -1;
  trace_changed (self);
}

static void
activate_simple (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  AmlavizSession *self = user_data;
  const char *name = g_action_get_name (G_ACTION (action));
  if (g_str_equal (name, "zoom-in"))
    amlaviz_session_zoom (self, 1.5, (self->t0_ns + self->t1_ns) / 2);
  else if (g_str_equal (name, "zoom-out"))
    amlaviz_session_zoom (self, 1 / 1.5, (self->t0_ns + self->t1_ns) / 2);
  else if (g_str_equal (name, "pan-left"))
    amlaviz_session_pan (self, -0.2);
  else if (g_str_equal (name, "pan-right"))
    amlaviz_session_pan (self, 0.2);
  else if (g_str_equal (name, "fit"))
    amlaviz_session_fit (self);
  else if (g_str_equal (name, "simulate"))
    amlaviz_session_simulate (self);
  else if (g_str_equal (name, "clear-selection"))
    amlaviz_session_clear_selection (self);
  else if (g_str_equal (name, "cancel-open"))
    amlaviz_session_cancel_open (self);
}

static void
go_to_step (AmlavizSession *self, int index)
{
  self->step_index = index;
  const AmlavizStep *st = amlaviz_session_get_step (self);
  /* the unit fills the middle third, so its neighbours show how it overlaps them */
  double d = MAX (st->end_ns - st->start_ns, 10);
  double w = 3 * d;
  double mid = (st->start_ns + st->end_ns) / 2;
  self->t0_ns = mid - w / 2;
  self->t1_ns = mid + w / 2;
  explain_step (self);
  view_changed (self);
}

static void
activate_step (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  AmlavizSession *self = user_data;
  if (self->steps == NULL || self->steps->len == 0)
    return;
  gboolean next = g_str_equal (g_action_get_name (G_ACTION (action)), "step-next");
  int n = (int) self->steps->len, i = self->step_index;
  if (i < 0)
    {
      /* start from what is on screen */
      i = (int) amlaviz_steps_find (self->steps, self->t0_ns);
      if (!next)
        i--;
    }
  else
    i += next ? 1 : -1;
  go_to_step (self, CLAMP (i, 0, n - 1));
}

static void
activate_configure (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  AmlavizSession *self = user_data;
  g_autoptr (GError) error = NULL;
  if (!amlaviz_session_configure (self, g_variant_get_string (param, NULL), &error))
    set_error (self, error->message);
}

static void
activate_select_range (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  double a, b;
  g_variant_get (param, "(dd)", &a, &b);
  amlaviz_session_set_range (user_data, a, b);
}

static void
activate_set_window (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  double a, b;
  g_variant_get (param, "(dd)", &a, &b);
  amlaviz_session_set_window (user_data, a, b);
}

static void
add_stateful (AmlavizSession *self, const char *name, const char *param_type, GVariant *state,
              GCallback change)
{
  GSimpleAction *a = g_simple_action_new_stateful (
      name, param_type ? G_VARIANT_TYPE (param_type) : NULL, state);
  g_signal_connect (a, "change-state", change, self);
  g_action_map_add_action (G_ACTION_MAP (self->actions), G_ACTION (a));
  g_object_unref (a);
}

static void
add_simple (AmlavizSession *self, const char *name, const char *param_type, GCallback activate)
{
  GSimpleAction *a = g_simple_action_new (name, param_type ? G_VARIANT_TYPE (param_type) : NULL);
  g_signal_connect (a, "activate", activate, self);
  g_action_map_add_action (G_ACTION_MAP (self->actions), G_ACTION (a));
  g_object_unref (a);
}

static void
create_actions (AmlavizSession *self)
{
  const AmlaConfig *c = &self->config;
  add_stateful (self, "preload", NULL, g_variant_new_boolean (c->preload), G_CALLBACK (change_bool));
  add_stateful (self, "tiling", NULL, g_variant_new_boolean (c->tiling), G_CALLBACK (change_bool));
  add_stateful (self, "rescale", "s", g_variant_new_string (amla_rescale_name (c->rescale)),
                G_CALLBACK (change_rescale));
  add_stateful (self, "batch", "i", g_variant_new_int32 (c->batch), G_CALLBACK (change_int));
  add_stateful (self, "kv", "i", g_variant_new_int32 (c->kv_len), G_CALLBACK (change_int));
  add_stateful (self, "sq", "i", g_variant_new_int32 (c->sq), G_CALLBACK (change_int));
  add_stateful (self, "heads", "i", g_variant_new_int32 (c->heads), G_CALLBACK (change_int));
  add_stateful (self, "preset", "s", g_variant_new_string (c->hw), G_CALLBACK (change_preset));
  add_stateful (self, "all-cores", NULL, g_variant_new_boolean (self->all_cores),
                G_CALLBACK (change_view_bool));
  add_stateful (self, "show-flows", NULL, g_variant_new_boolean (self->show_flows),
                G_CALLBACK (change_view_bool));
  add_stateful (self, "pin-a", NULL, g_variant_new_boolean (FALSE), G_CALLBACK (change_pin));
  static const char *const simple[] = { "zoom-in", "zoom-out", "pan-left", "pan-right", "fit",
                                        "simulate", "clear-selection", "cancel-open", NULL };
  for (guint i = 0; simple[i]; i++)
    add_simple (self, simple[i], NULL, G_CALLBACK (activate_simple));
  add_simple (self, "step-next", NULL, G_CALLBACK (activate_step));
  add_simple (self, "step-prev", NULL, G_CALLBACK (activate_step));
  add_simple (self, "configure", "s", G_CALLBACK (activate_configure));
  add_simple (self, "select-range", "(dd)", G_CALLBACK (activate_select_range));
  add_simple (self, "set-window", "(dd)", G_CALLBACK (activate_set_window));
}

/* ------------------------------------------------------------------ configure */

static gboolean
parse_bool_word (const char *v, gboolean *out)
{
  if (!g_ascii_strcasecmp (v, "on") || !g_ascii_strcasecmp (v, "true") || !g_strcmp0 (v, "1"))
    *out = TRUE;
  else if (!g_ascii_strcasecmp (v, "off") || !g_ascii_strcasecmp (v, "false") || !g_strcmp0 (v, "0"))
    *out = FALSE;
  else
    return FALSE;
  return TRUE;
}

gboolean
amlaviz_session_configure (AmlavizSession *self, const char *words, GError **error)
{
  g_return_val_if_fail (AMLAVIZ_IS_SESSION (self), FALSE);
  if (self->read_only)
    {
      g_set_error (error, AMLA_ERROR, AMLA_ERROR_INVALID, "%s", self->read_only_reason);
      return FALSE;
    }
  AmlaConfig cfg = self->config;
  g_auto (GStrv) parts = g_strsplit_set (words, " \t,", -1);
  for (guint i = 0; parts[i]; i++)
    {
      if (parts[i][0] == '\0')
        continue;
      char *eq = strchr (parts[i], '=');
      if (eq == NULL)
        goto bad;
      *eq = '\0';
      const char *k = parts[i], *v = eq + 1;
      char *end = NULL;
      long n = strtol (v, &end, 10);
      gboolean is_int = end != v && *end == '\0';
      if (!g_ascii_strcasecmp (k, "preload") && parse_bool_word (v, &cfg.preload))
        continue;
      if (!g_ascii_strcasecmp (k, "tiling") && parse_bool_word (v, &cfg.tiling))
        continue;
      if (!g_ascii_strcasecmp (k, "rescale") && amla_rescale_parse (v, &cfg.rescale))
        continue;
      if (!g_ascii_strcasecmp (k, "preset") && strlen (v) < sizeof cfg.hw)
        {
          g_strlcpy (cfg.hw, v, sizeof cfg.hw);
          continue;
        }
      if (is_int && n > 0 && n < G_MAXINT)
        {
          if (!g_ascii_strcasecmp (k, "B") || !g_ascii_strcasecmp (k, "batch"))
            cfg.batch = (int) n;
          else if (!g_ascii_strcasecmp (k, "kv") || !g_ascii_strcasecmp (k, "S_kv"))
            cfg.kv_len = (int) n;
          else if (!g_ascii_strcasecmp (k, "sq") || !g_ascii_strcasecmp (k, "S_q"))
            cfg.sq = (int) n;
          else if (!g_ascii_strcasecmp (k, "H") || !g_ascii_strcasecmp (k, "heads"))
            cfg.heads = (int) n;
          else
            goto bad;
          continue;
        }
    bad:
      g_set_error (error, AMLA_ERROR, AMLA_ERROR_INVALID,
                   "configure: cannot use “%s%s%s” (expected preload=on|off, tiling=on|off, "
                   "rescale=amla|mul, B=, kv=, sq=, H=, preset=)",
                   parts[i], eq ? "=" : "", eq ? eq + 1 : "");
      return FALSE;
    }
  if (!amla_config_validate (&cfg, error))
    return FALSE;
  if (g_strcmp0 (cfg.hw, self->config.hw) != 0)
    {
      g_autofree char *path = sim_hw_find_preset (cfg.hw);
      if (path == NULL)
        {
          g_set_error (error, AMLA_ERROR, AMLA_ERROR_INVALID, "Unknown hardware preset “%s”", cfg.hw);
          return FALSE;
        }
    }
  self->applying = TRUE;
  self->config = cfg;
  sync_action_states (self);
  config_changed (self);
  self->applying = FALSE;
  amlaviz_session_simulate (self);
  return TRUE;
}

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
  update_enabled (self);
  if (was != (task != NULL))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOAD_PROGRESS]);
}

static gboolean
load_progress_post (gpointer data)
{
  LoadProgress *p = data;
  AmlavizSession *self = g_task_get_source_object (p->task);
  if (p->task == self->load_task && p->fraction > self->load_fraction)
    {
      self->load_fraction = p->fraction;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOAD_PROGRESS]);
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
  work_done (self);
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
          set_error (self, msg);
        }
      return;
    }
  set_error (self, NULL);
  /* a newer simulation must not replace the file the user just opened */
  if (self->run_task)
    {
      RunData *old = g_task_get_task_data (self->run_task);
      old->cancel = 1;
      g_cancellable_cancel (g_task_get_cancellable (self->run_task));
      g_clear_object (&self->run_task);
    }
  AmlaConfig cfg;
  amla_config_init (&cfg);
  g_autoptr (GError) cfg_error = NULL;
  gboolean ours = t->other_data_json
                  && amla_config_from_other_data (t->other_data_json, &cfg, &cfg_error);
  Shown *s = g_rc_box_new0 (Shown);
  s->loaded = t;
  s->label = g_strdup (base);
  s->aiv_per_aic = 2;
  g_free (self->read_only_reason);
  if (ours)
    {
      self->read_only_reason = NULL;
      self->config = cfg;
      self->read_only = FALSE;
      sync_action_states (self);
      g_signal_emit (self, signals[SIGNAL_CONFIG_CHANGED], 0);
      set_details (self, g_markup_printf_escaped (
                             "<b>%s</b>\nA trace written by amlaviz: the controls show its "
                             "configuration; change any of them to re-simulate.",
                             base));
    }
  else
    {
      self->read_only_reason = g_strdup_printf (
          "%s was not written by amlaviz (no kernel configuration in its otherData%s%s), so it "
          "is shown read-only: the kernel controls are disabled.  Use File ▸ New Simulation to "
          "simulate again.",
          base, cfg_error ? ": " : "", cfg_error ? cfg_error->message : "");
      self->read_only = TRUE;
      set_details (self, g_markup_printf_escaped ("<b>%s</b>\n%" G_GUINT64_FORMAT
                                                  " spans in %u groups%s",
                                                  base, t->n_spans, t->groups->len,
                                                  t->skipped_events ? " (some events skipped)" : ""));
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_READ_ONLY]);
  set_file (self, ours ? path : NULL);
  self->step_index = -1;
  replace_current (self, s);
  amlaviz_session_fit (self);
  g_signal_emit (self, signals[SIGNAL_FILE_DONE], 0, path);
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
  work_started (self);
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
} SaveData;

static void
save_data_free (gpointer p)
{
  SaveData *d = p;
  shown_unref (d->shown);
  g_free (d->path);
  g_free (d);
}

static void
save_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  SaveData *d = task_data;
  GError *error = NULL;
  if (sim_trace_write_json (shown_trace (d->shown), d->path, SIM_TRACE_FLAVOR_PERFETTO, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
save_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  AmlavizSession *self = AMLAVIZ_SESSION (source);
  SaveData *d = g_task_get_task_data (G_TASK (result));
  g_autoptr (GError) error = NULL;
  work_done (self);
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_autofree char *msg = g_strdup_printf ("Could not save %s: %s", d->path, error->message);
      set_error (self, msg);
      return;
    }
  if (d->shown == self->current)
    set_file (self, d->path);
  g_signal_emit (self, signals[SIGNAL_FILE_DONE], 0, d->path);
}

void
amlaviz_session_save (AmlavizSession *self, const char *path)
{
  g_return_if_fail (AMLAVIZ_IS_SESSION (self));
  if (self->current == NULL)
    {
      set_error (self, "Nothing to save yet: the simulation has not finished.");
      return;
    }
  SaveData *d = g_new0 (SaveData, 1);
  d->shown = shown_ref (self->current);
  d->path = g_strdup (path);
  GTask *task = g_task_new (self, NULL, save_done, NULL);
  g_task_set_task_data (task, d, save_data_free);
  work_started (self);
  g_task_run_in_thread (task, save_thread);
  g_object_unref (task);
}

void
amlaviz_session_wait_idle (AmlavizSession *self)
{
  while (self->pending > 0 || self->num_task != NULL)
    g_main_context_iteration (NULL, TRUE);
}

/* ------------------------------------------------------------------ view state */

void
amlaviz_session_get_window (AmlavizSession *self, double *t0, double *t1)
{
  *t0 = self->t0_ns;
  *t1 = self->t1_ns;
}

void
amlaviz_session_set_window (AmlavizSession *self, double t0, double t1)
{
  if (!(t1 > t0) || !isfinite (t0) || !isfinite (t1))
    return;
  if (t1 - t0 < 1)
    {
      double mid = (t0 + t1) / 2; /* 1 ns is the finest anything in a trace means */
      t0 = mid - 0.5;
      t1 = mid + 0.5;
    }
  self->t0_ns = t0;
  self->t1_ns = t1;
  view_changed (self);
}

void
amlaviz_session_zoom (AmlavizSession *self, double factor, double anchor)
{
  if (!(factor > 0))
    return;
  double t0 = anchor - (anchor - self->t0_ns) / factor;
  double t1 = anchor + (self->t1_ns - anchor) / factor;
  amlaviz_session_set_window (self, t0, t1);
}

void
amlaviz_session_pan (AmlavizSession *self, double fraction)
{
  double d = (self->t1_ns - self->t0_ns) * fraction;
  amlaviz_session_set_window (self, self->t0_ns + d, self->t1_ns + d);
}

void
amlaviz_session_fit (AmlavizSession *self)
{
  const SimTrace *a = shown_trace (self->current), *b = shown_trace (self->pinned);
  double t0 = INFINITY, t1 = -INFINITY;
  if (a)
    t0 = MIN (t0, a->start_ns), t1 = MAX (t1, a->end_ns);
  if (b)
    t0 = MIN (t0, b->start_ns), t1 = MAX (t1, b->end_ns);
  if (!(t1 > t0))
    t0 = 0, t1 = 1000;
  amlaviz_session_set_window (self, t0, t1);
}

void
amlaviz_session_select_span (AmlavizSession *self, gboolean pinned, int group, int lane, gsize span)
{
  const SimTrace *t = amlaviz_session_get_trace (self, pinned);
  const SimLane *l = t ? sim_trace_lane (t, (guint) group, (guint) lane) : NULL;
  if (l == NULL || span >= l->n_spans)
    return;
  self->sel_pinned = pinned;
  self->sel_group = group;
  self->sel_lane = lane;
  self->sel_span = span;
  set_details (self, amlaviz_span_describe (t, group, lane, span));
  view_changed (self);
}

void
amlaviz_session_clear_selection (AmlavizSession *self)
{
  self->sel_group = -1;
  self->range_t0_ns = self->range_t1_ns = 0;
  self->step_index = -1;
  view_changed (self);
}

void
amlaviz_session_get_selection (AmlavizSession *self, gboolean pinned, int *group, int *lane,
                               gsize *span)
{
  gboolean here = self->sel_group >= 0 && self->sel_pinned == pinned;
  *group = here ? self->sel_group : -1;
  *lane = here ? self->sel_lane : -1;
  *span = here ? self->sel_span : 0;
}

void
amlaviz_session_set_range (AmlavizSession *self, double t0, double t1)
{
  if (t1 < t0)
    {
      double t = t0;
      t0 = t1;
      t1 = t;
    }
  self->range_t0_ns = t0;
  self->range_t1_ns = t1;
  const SimTrace *t = shown_trace (self->current);
  if (t && t1 > t0)
    {
      AmlavizRangeStats st;
      amlaviz_range_stats_compute (&st, t, self->hidden[0], t0, t1);
      char *text = amlaviz_range_stats_describe (&st, t);
      amlaviz_range_stats_clear (&st);
      const SimTrace *p = shown_trace (self->pinned);
      if (p)
        {
          amlaviz_range_stats_compute (&st, p, self->hidden[1], t0, t1);
          g_autofree char *ptext = amlaviz_range_stats_describe (&st, p);
          amlaviz_range_stats_clear (&st);
          char *both = g_strdup_printf ("<b>B (current)</b>\n%s\n\n<b>A (pinned)</b>\n%s", text, ptext);
          g_free (text);
          text = both;
        }
      set_details (self, text);
    }
  view_changed (self);
}

void
amlaviz_session_get_range (AmlavizSession *self, double *t0, double *t1)
{
  *t0 = self->range_t0_ns;
  *t1 = self->range_t1_ns;
}

void
amlaviz_session_toggle_collapsed (AmlavizSession *self, gboolean pinned, int group)
{
  const SimTrace *t = amlaviz_session_get_trace (self, pinned);
  if (t == NULL || group < 0 || (guint) group >= t->groups->len)
    return;
  const SimGroup *grp = g_ptr_array_index (t->groups, group);
  if (!g_hash_table_remove (self->collapsed_names, grp->name))
    g_hash_table_add (self->collapsed_names, g_strdup (grp->name));
  compute_groups (self, 0);
  compute_groups (self, 1);
  g_signal_emit (self, signals[SIGNAL_TRACE_CHANGED], 0);
  view_changed (self);
}

/* ------------------------------------------------------------------ getters */

GActionGroup *
amlaviz_session_get_actions (AmlavizSession *self)
{
  return G_ACTION_GROUP (self->actions);
}

const AmlaConfig *
amlaviz_session_get_config (AmlavizSession *self)
{
  return &self->config;
}

const SimTrace *
amlaviz_session_get_trace (AmlavizSession *self, gboolean pinned)
{
  return shown_trace (pinned ? self->pinned : self->current);
}

const SimMetrics *
amlaviz_session_get_metrics (AmlavizSession *self, gboolean pinned)
{
  Shown *s = pinned ? self->pinned : self->current;
  return s && s->run ? &s->run->result->metrics : NULL;
}

const char *
amlaviz_session_get_label (AmlavizSession *self, gboolean pinned)
{
  Shown *s = pinned ? self->pinned : self->current;
  return s ? s->label : NULL;
}

const guint8 *
amlaviz_session_get_hidden (AmlavizSession *self, gboolean pinned)
{
  return self->hidden[pinned ? 1 : 0];
}

const guint8 *
amlaviz_session_get_collapsed (AmlavizSession *self, gboolean pinned)
{
  return self->collapsed[pinned ? 1 : 0];
}

gboolean
amlaviz_session_get_show_flows (AmlavizSession *self)
{
  return self->show_flows;
}

int
amlaviz_session_get_step_index (AmlavizSession *self)
{
  return self->step_index;
}

const AmlavizStep *
amlaviz_session_get_step (AmlavizSession *self)
{
  if (self->steps == NULL || self->step_index < 0 || (guint) self->step_index >= self->steps->len)
    return NULL;
  return &g_array_index (self->steps, AmlavizStep, self->step_index);
}

guint
amlaviz_session_get_n_steps (AmlavizSession *self)
{
  return self->steps ? self->steps->len : 0;
}

const char *
amlaviz_session_get_details (AmlavizSession *self)
{
  return self->details;
}

gboolean
amlaviz_session_get_busy (AmlavizSession *self)
{
  return self->busy;
}

const char *
amlaviz_session_get_error (AmlavizSession *self)
{
  return self->error;
}

void
amlaviz_session_clear_error (AmlavizSession *self)
{
  set_error (self, NULL);
}

gboolean
amlaviz_session_get_read_only (AmlavizSession *self)
{
  return self->read_only;
}

const char *
amlaviz_session_get_read_only_reason (AmlavizSession *self)
{
  return self->read_only_reason;
}

const char *
amlaviz_session_get_file (AmlavizSession *self)
{
  return self->file;
}

/* ------------------------------------------------------------------ GObject */

static void
amlaviz_session_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  AmlavizSession *self = AMLAVIZ_SESSION (object);
  switch (prop_id)
    {
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;
    case PROP_ERROR:
      g_value_set_string (value, self->error);
      break;
    case PROP_READ_ONLY:
      g_value_set_boolean (value, self->read_only);
      break;
    case PROP_DETAILS:
      g_value_set_string (value, self->details);
      break;
    case PROP_FILE:
      g_value_set_string (value, self->file);
      break;
    case PROP_LOADING:
      g_value_set_boolean (value, self->load_task != NULL);
      break;
    case PROP_LOAD_PROGRESS:
      g_value_set_double (value, self->load_fraction);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
amlaviz_session_dispose (GObject *object)
{
  AmlavizSession *self = AMLAVIZ_SESSION (object);
  if (self->run_task)
    {
      RunData *d = g_task_get_task_data (self->run_task);
      d->cancel = 1;
      g_cancellable_cancel (g_task_get_cancellable (self->run_task));
      g_clear_object (&self->run_task);
    }
  if (self->load_task)
    g_cancellable_cancel (g_task_get_cancellable (self->load_task));
  g_clear_object (&self->load_task);
  g_clear_handle_id (&self->busy_timeout, g_source_remove);
  g_clear_object (&self->actions);
  g_clear_object (&self->settings);
  G_OBJECT_CLASS (amlaviz_session_parent_class)->dispose (object);
}

static void
amlaviz_session_finalize (GObject *object)
{
  AmlavizSession *self = AMLAVIZ_SESSION (object);
  shown_unref (self->current);
  shown_unref (self->pinned);
  for (int i = 0; i < 2; i++)
    {
      g_free (self->hidden[i]);
      g_free (self->collapsed[i]);
    }
  g_hash_table_unref (self->collapsed_names);
  g_clear_pointer (&self->steps, g_array_unref);
  g_free (self->details);
  g_free (self->error);
  g_free (self->read_only_reason);
  g_free (self->file);
  g_free (self->num_message);
  g_free (self->load_name);
  G_OBJECT_CLASS (amlaviz_session_parent_class)->finalize (object);
}

static void
amlaviz_session_class_init (AmlavizSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  object_class->get_property = amlaviz_session_get_property;
  object_class->dispose = amlaviz_session_dispose;
  object_class->finalize = amlaviz_session_finalize;

  properties[PROP_BUSY] = g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                                                G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_ERROR] = g_param_spec_string ("error", NULL, NULL, NULL,
                                                G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_READ_ONLY] = g_param_spec_boolean ("read-only", NULL, NULL, FALSE,
                                                     G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_DETAILS] = g_param_spec_string ("details", NULL, NULL, NULL,
                                                  G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_FILE] = g_param_spec_string ("file", NULL, NULL, NULL,
                                               G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOADING] = g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                                                   G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOAD_PROGRESS] = g_param_spec_double (
      "load-progress", NULL, NULL, 0, 1, 0, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_TRACE_CHANGED] = g_signal_new ("trace-changed", G_TYPE_FROM_CLASS (klass),
                                                G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                                G_TYPE_NONE, 0);
  signals[SIGNAL_VIEW_CHANGED] = g_signal_new ("view-changed", G_TYPE_FROM_CLASS (klass),
                                               G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                               G_TYPE_NONE, 0);
  signals[SIGNAL_CONFIG_CHANGED] = g_signal_new ("config-changed", G_TYPE_FROM_CLASS (klass),
                                                 G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                                 G_TYPE_NONE, 0);
  signals[SIGNAL_FILE_DONE] = g_signal_new ("file-done", G_TYPE_FROM_CLASS (klass),
                                            G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE,
                                            1, G_TYPE_STRING);
  signals[SIGNAL_NUMERICS_CHANGED] = g_signal_new ("numerics-changed", G_TYPE_FROM_CLASS (klass),
                                                   G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                                   G_TYPE_NONE, 0);
}

static void
amlaviz_session_init (AmlavizSession *self)
{
  amla_config_init (&self->config);
  self->collapsed_names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->sel_group = -1;
  self->step_index = -1;
  self->t0_ns = 0;
  self->t1_ns = 1000;
}

static void
load_settings (AmlavizSession *self)
{
  GSettings *s = self->settings;
  AmlaConfig cfg = self->config;
  cfg.batch = g_settings_get_int (s, "batch");
  cfg.kv_len = g_settings_get_int (s, "kv-len");
  cfg.sq = g_settings_get_int (s, "sq");
  cfg.heads = g_settings_get_int (s, "heads");
  cfg.preload = g_settings_get_boolean (s, "preload");
  cfg.tiling = g_settings_get_boolean (s, "tiling");
  g_autofree char *rescale = g_settings_get_string (s, "rescale");
  amla_rescale_parse (rescale, &cfg.rescale);
  g_autofree char *preset = g_settings_get_string (s, "preset");
  g_strlcpy (cfg.hw, preset, sizeof cfg.hw);
  g_autofree char *path = sim_hw_find_preset (cfg.hw);
  if (path == NULL)
    g_strlcpy (cfg.hw, SIM_HW_DEFAULT_PRESET, sizeof cfg.hw);
  /* a remembered configuration that no longer validates falls back to the defaults */
  if (amla_config_validate (&cfg, NULL))
    self->config = cfg;
  self->all_cores = g_settings_get_boolean (s, "all-cores");
  self->show_flows = g_settings_get_boolean (s, "show-flows");
}

AmlavizSession *
amlaviz_session_new (GSettings *settings)
{
  AmlavizSession *self = g_object_new (AMLAVIZ_TYPE_SESSION, NULL);
  if (settings)
    {
      self->settings = g_object_ref (settings);
      load_settings (self);
    }
  self->actions = g_simple_action_group_new ();
  create_actions (self);
  update_enabled (self);
  return self;
}
