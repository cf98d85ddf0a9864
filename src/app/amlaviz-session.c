/* src/app/amlaviz-session.c — the session model (see the header): the object, the shown runs and
 * configuration.  Simulations (and the runs kept for toggles), actions, files, view state and
 * numerics live in the amlaviz-session-*.c files next to it (see amlaviz-session-private.h). */
#include "src/app/amlaviz-session-private.h"
#include "src/app/amlaviz-counters.h"
#include "src/app/amlaviz-describe.h"

#include <math.h>
#include <string.h>

G_DEFINE_FINAL_TYPE (AmlavizSession, amlaviz_session, G_TYPE_OBJECT)

GParamSpec *_amlaviz_session_properties[N_PROPS];
guint _amlaviz_session_signals[N_SIGNALS];

/* ------------------------------------------------------------------ configuration fields */

/* The configuration field behind an action (the table's action name), NULL if none. */
const AmlaConfigField *
_amlaviz_session_field_of_action (const char *action)
{
  const AmlaConfigField *f = amla_config_fields ();
  for (guint i = 0; i < AMLA_CONFIG_N_FIELDS; i++)
    if (g_strcmp0 (f[i].action, action) == 0)
      return &f[i];
  return NULL;
}

/* A field's value as its action's state: boolean, int32 or string. */
GVariant *
_amlaviz_session_field_state (const AmlaConfigField *f, const AmlaConfig *cfg)
{
  int v = amla_config_field_get_int (f, cfg);
  switch (f->type)
    {
    case AMLA_FIELD_BOOL:
      return g_variant_new_boolean (v);
    case AMLA_FIELD_INT:
      return g_variant_new_int32 (v);
    case AMLA_FIELD_RESCALE:
      return g_variant_new_string (amla_rescale_name ((AmlaRescale) v));
    default:
      return g_variant_new_string (amla_config_field_get_text (f, cfg));
    }
}

/* ------------------------------------------------------------------ helpers */

void
_amlaviz_session_set_error (AmlavizSession *self, const char *msg)
{
  if (g_strcmp0 (self->error, msg) == 0)
    return;
  g_free (self->error);
  self->error = g_strdup (msg);
  g_object_notify_by_pspec (G_OBJECT (self), _amlaviz_session_properties[PROP_ERROR]);
}

void
_amlaviz_session_set_details (AmlavizSession *self, char *markup /* transfer full */)
{
  g_free (self->details);
  self->details = markup;
  g_object_notify_by_pspec (G_OBJECT (self), _amlaviz_session_properties[PROP_DETAILS]);
}

static void
set_busy (AmlavizSession *self, gboolean busy)
{
  if (self->busy == busy)
    return;
  self->busy = busy;
  g_object_notify_by_pspec (G_OBJECT (self), _amlaviz_session_properties[PROP_BUSY]);
}

void
_amlaviz_session_set_file (AmlavizSession *self, const char *path)
{
  if (g_strcmp0 (self->file, path) == 0)
    return;
  g_free (self->file);
  self->file = g_strdup (path);
  g_object_notify_by_pspec (G_OBJECT (self), _amlaviz_session_properties[PROP_FILE]);
}

void
_amlaviz_session_view_changed (AmlavizSession *self)
{
  g_signal_emit (self, _amlaviz_session_signals[SIGNAL_VIEW_CHANGED], 0);
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

void
_amlaviz_session_update_enabled (AmlavizSession *self)
{
  /* the configuration's actions re-simulate: disabled for a foreign trace */
  const AmlaConfigField *f = amla_config_fields ();
  for (guint i = 0; i < AMLA_CONFIG_N_FIELDS; i++)
    if (f[i].action != NULL)
      set_enabled (self, f[i].action, !self->read_only);
  gboolean has_steps = self->steps && self->steps->len > 0;
  set_enabled (self, "step-next", has_steps);
  set_enabled (self, "step-prev", has_steps);
  set_enabled (self, "pin-a", self->current != NULL || self->pinned != NULL);
  set_enabled (self, "cancel-open", self->load_task != NULL);
}

/* Which groups are drawn and which are collapsed, for one shown trace. */
void
_amlaviz_session_compute_groups (AmlavizSession *self, int which)
{
  Shown *s = which ? self->pinned : self->current;
  const SimTrace *t = shown_trace (s);
  g_clear_pointer (&self->hidden[which], g_free);
  g_clear_pointer (&self->collapsed[which], g_free);
  g_clear_pointer (&self->pinned_lanes[which], g_free);
  g_clear_pointer (&self->counter_capacity[which], g_free);
  self->n_pinned_lanes[which] = 0;
  if (t == NULL)
    return;
  self->counter_capacity[which] = amlaviz_counter_capacities (t);
  /* pinned lanes by name, so the same pipe is pinned in A and B and after a re-simulation */
  self->pinned_lanes[which] = g_new0 (int, 2 * MAX (self->pinned_lane_names->len, 1));
  for (guint k = 0; k < self->pinned_lane_names->len; k++)
    {
      const char *key = g_ptr_array_index (self->pinned_lane_names, k);
      for (guint g = 0; g < t->groups->len; g++)
        {
          const SimGroup *grp = g_ptr_array_index (t->groups, g);
          gsize gl = strlen (grp->name);
          if (strncmp (key, grp->name, gl) != 0 || key[gl] != '\t')
            continue;
          for (guint l = 0; l < grp->lanes->len; l++)
            if (g_str_equal (((SimLane *) g_ptr_array_index (grp->lanes, l))->name, key + gl + 1))
              {
                guint n = self->n_pinned_lanes[which]++;
                self->pinned_lanes[which][2 * n] = (int) g;
                self->pinned_lanes[which][2 * n + 1] = (int) l;
              }
        }
    }
  guint n = t->groups->len;
  self->hidden[which] = g_new0 (guint8, MAX (n, 1));
  self->collapsed[which] = g_new0 (guint8, MAX (n, 1));
  for (guint g = 0; g < n; g++)
    {
      const SimGroup *grp = g_ptr_array_index (t->groups, g);
      /* a partial run has only AIC 0's group to draw until it is completed */
      self->hidden[which][g] = (!self->all_cores || s->partial)
                               && !amlaviz_group_in_aic_group (grp, 0, s->aiv_per_aic);
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

void
_amlaviz_session_explain_step (AmlavizSession *self)
{
  const AmlavizStep *st = amlaviz_session_get_step (self);
  if (st)
    _amlaviz_session_set_details (self, amlaviz_step_explain (shown_trace (self->current), self->hidden[0], st,
                                             is_amla (self)));
}

void
_amlaviz_session_trace_changed (AmlavizSession *self)
{
  _amlaviz_session_compute_groups (self, 0);
  _amlaviz_session_compute_groups (self, 1);
  rebuild_steps (self);
  _amlaviz_session_search_update (self);
  for (int i = 0; i < 2; i++)
    {
      const SimTrace *t = shown_trace (i ? self->pinned : self->current);
      self->stage_mask[i] = t ? tl_trace_stage_mask (t) : 0;
    }
  _amlaviz_session_update_enabled (self);
  g_signal_emit (self, _amlaviz_session_signals[SIGNAL_TRACE_CHANGED], 0);
  _amlaviz_session_view_changed (self);
}

/* Swap in a new current trace, keeping the time window when the user had zoomed in. */
void
_amlaviz_session_replace_current (AmlavizSession *self, Shown *s /* transfer full */)
{
  const SimTrace *old = shown_trace (self->current);
  const SimTrace *t = shown_trace (s);
  gboolean was_fit = old == NULL || (self->t0_ns <= old->start_ns + 1e-6 * (old->end_ns - old->start_ns)
                                     && self->t1_ns >= old->end_ns - 1e-6 * (old->end_ns - old->start_ns));
  _amlaviz_session_cancel_completion (self, 0);    /* of the run replaced */
  _amlaviz_session_keep_run (self, self->current); /* a run: kept for a toggle back */
  self->current = s;
  self->sel_group = -1;
  self->sel_flow = -1;
  self->range_t0_ns = self->range_t1_ns = 0;
  _amlaviz_session_trace_changed (self);
  _amlaviz_session_numerics_update (self);
  if (t && (was_fit || self->t0_ns >= t->end_ns || self->t1_ns <= t->start_ns))
    amlaviz_session_fit (self);
  if (self->step_index >= 0)
    _amlaviz_session_explain_step (self);
  else if (s && s->loaded == NULL)
    _amlaviz_session_set_details (self, g_strdup ("Click a span for its details, shift-drag to measure a range, "
                                 "press <b>.</b> or <b>N</b> to step through the stages."));
}

/* The selected flag of a partial run, found in its completed run (flows are numbered per trace). */
static int
remap_flow (const SimTrace *from, const SimTrace *to, int flow)
{
  if (flow < 0 || from == NULL || to == NULL || (guint) flow >= from->flows->len)
    return -1;
  const SimFlow *f = &g_array_index (from->flows, SimFlow, flow);
  for (guint i = 0; i < to->flows->len; i++)
    {
      const SimFlow *g = &g_array_index (to->flows, SimFlow, i);
      if (g->src_group == f->src_group && g->src_lane == f->src_lane && g->dst_group == f->dst_group
          && g->dst_lane == f->dst_lane && g->src_ns == f->src_ns && g->dst_ns == f->dst_ns)
        return (int) i;
    }
  return -1;
}

void
_amlaviz_session_swap_completed (AmlavizSession *self, int which, Shown *full /* transfer full */)
{
  Shown *old = which ? self->pinned : self->current;
  gboolean both = self->pinned == self->current;
  if (self->sel_flow >= 0 && (both || self->sel_pinned == which))
    self->sel_flow = remap_flow (shown_trace (old), shown_trace (full), self->sel_flow);
  /* the spans of AIC 0's group are the same, in the same lanes and order: the selection, the
   * range, the time window and the step stay as they are */
  if (which == 0 || both)
    {
      shown_unref (self->current);
      self->current = shown_ref (full);
    }
  if (which == 1 || both)
    {
      shown_unref (self->pinned);
      self->pinned = shown_ref (full);
    }
  shown_unref (full);
  _amlaviz_session_trace_changed (self);
  if (self->step_index >= 0)
    _amlaviz_session_explain_step (self);
}

/* ------------------------------------------------------------------ work in flight, configuration
 * (the simulations themselves: amlaviz-session-runs.c) */

void
_amlaviz_session_work_done (AmlavizSession *self)
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

void
_amlaviz_session_work_started (AmlavizSession *self)
{
  if (self->pending++ == 0 && self->busy_timeout == 0)
    self->busy_timeout = g_timeout_add (50, busy_timeout_cb, self);
}

void
_amlaviz_session_config_changed (AmlavizSession *self)
{
  /* the fields with a GSettings key are remembered, as their action states say them */
  const AmlaConfigField *f = amla_config_fields ();
  for (guint i = 0; self->settings && i < AMLA_CONFIG_N_FIELDS; i++)
    /* a trace's hardware is not a preset to start with next time: the remembered one stays */
    if (f[i].settings_key != NULL
        && !(f[i].type == AMLA_FIELD_STRING && self->config.hw_recorded != NULL))
      g_settings_set_value (self->settings, f[i].settings_key,
                            _amlaviz_session_field_state (&f[i], &self->config));
  g_signal_emit (self, _amlaviz_session_signals[SIGNAL_CONFIG_CHANGED], 0);
  if (!self->applying)
    _amlaviz_session_show_config (self);
}

/* Mirror the config into the action states (after configure() or a loaded trace). */
void
_amlaviz_session_sync_action_states (AmlavizSession *self)
{
  const AmlaConfigField *f = amla_config_fields ();
  for (guint i = 0; i < AMLA_CONFIG_N_FIELDS; i++)
    if (f[i].action != NULL)
      g_simple_action_set_state (G_SIMPLE_ACTION (lookup (self, f[i].action)),
                                 _amlaviz_session_field_state (&f[i], &self->config));
}

/* Validate a candidate config; on failure keep the old one and say why. */
gboolean
_amlaviz_session_try_config (AmlavizSession *self, const AmlaConfig *cfg)
{
  g_autoptr (GError) error = NULL;
  if (!amla_config_validate (cfg, &error))
    {
      g_autofree char *msg = g_strdup_printf ("Invalid configuration: %s", error->message);
      _amlaviz_session_set_error (self, msg);
      _amlaviz_session_sync_action_states (self);
      g_signal_emit (self, _amlaviz_session_signals[SIGNAL_CONFIG_CHANGED], 0);
      return FALSE;
    }
  self->config = *cfg;
  _amlaviz_session_sync_action_states (self);
  _amlaviz_session_config_changed (self);
  return TRUE;
}

/* ------------------------------------------------------------------ getters */

GActionGroup *
amlaviz_session_get_actions (AmlavizSession *self)
{
  return G_ACTION_GROUP (self->actions);
}

const char *
amlaviz_session_get_trace_hw_name (AmlavizSession *self)
{
  g_return_val_if_fail (AMLAVIZ_IS_SESSION (self), NULL);
  return self->trace_hw_recorded != NULL ? self->trace_hw_name : NULL;
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
  if (s == NULL)
    return NULL;
  return s->run ? &s->run->result->metrics : s->loaded_metrics;
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
  _amlaviz_session_set_error (self, NULL);
}

void
amlaviz_session_report_error (AmlavizSession *self, const char *message)
{
  g_return_if_fail (AMLAVIZ_IS_SESSION (self));
  _amlaviz_session_set_error (self, message);
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

void
amlaviz_session_wait_idle (AmlavizSession *self)
{
  while (self->pending > 0 || self->num_task != NULL)
    g_main_context_iteration (NULL, TRUE);
}

static gboolean
quit_deadline_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

void
amlaviz_session_quit (AmlavizSession *self, guint max_wait_ms)
{
  /* nothing is lost by dropping a simulation or an open; a save is let finish */
  _amlaviz_session_runs_dispose (self);
  _amlaviz_session_sweep_free (self);
  if (self->load_task)
    g_cancellable_cancel (g_task_get_cancellable (self->load_task));
  gboolean late = FALSE;
  guint id = g_timeout_add (max_wait_ms, quit_deadline_cb, &late);
  while ((self->pending > 0 || self->ahead_pending > 0 || self->num_task != NULL) && !late)
    g_main_context_iteration (NULL, TRUE);
  if (!late)
    g_source_remove (id);
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
  _amlaviz_session_runs_dispose (self);
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
  _amlaviz_session_runs_finalize (self);
  for (int i = 0; i < 2; i++)
    {
      g_free (self->hidden[i]);
      g_free (self->collapsed[i]);
      g_free (self->pinned_lanes[i]);
      g_free (self->counter_capacity[i]);
    }
  g_hash_table_unref (self->collapsed_names);
  g_ptr_array_unref (self->pinned_lane_names);
  g_clear_pointer (&self->steps, g_array_unref);
  g_free (self->details);
  g_free (self->error);
  g_free (self->read_only_reason);
  g_free (self->file);
  g_free (self->num_message);
  g_free (self->load_name);
  _amlaviz_session_find_finalize (self);
  G_OBJECT_CLASS (amlaviz_session_parent_class)->finalize (object);
}

static void
amlaviz_session_class_init (AmlavizSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  object_class->get_property = amlaviz_session_get_property;
  object_class->dispose = amlaviz_session_dispose;
  object_class->finalize = amlaviz_session_finalize;

  _amlaviz_session_properties[PROP_BUSY] = g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                                                G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  _amlaviz_session_properties[PROP_ERROR] = g_param_spec_string ("error", NULL, NULL, NULL,
                                                G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  _amlaviz_session_properties[PROP_READ_ONLY] = g_param_spec_boolean ("read-only", NULL, NULL, FALSE,
                                                     G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  _amlaviz_session_properties[PROP_DETAILS] = g_param_spec_string ("details", NULL, NULL, NULL,
                                                  G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  _amlaviz_session_properties[PROP_FILE] = g_param_spec_string ("file", NULL, NULL, NULL,
                                               G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  _amlaviz_session_properties[PROP_LOADING] = g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                                                   G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  _amlaviz_session_properties[PROP_LOAD_PROGRESS] = g_param_spec_double (
      "load-progress", NULL, NULL, 0, 1, 0, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, _amlaviz_session_properties);

  _amlaviz_session_signals[SIGNAL_TRACE_CHANGED] = g_signal_new ("trace-changed", G_TYPE_FROM_CLASS (klass),
                                                G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                                G_TYPE_NONE, 0);
  _amlaviz_session_signals[SIGNAL_VIEW_CHANGED] = g_signal_new ("view-changed", G_TYPE_FROM_CLASS (klass),
                                               G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                               G_TYPE_NONE, 0);
  _amlaviz_session_signals[SIGNAL_CONFIG_CHANGED] = g_signal_new ("config-changed", G_TYPE_FROM_CLASS (klass),
                                                 G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                                 G_TYPE_NONE, 0);
  _amlaviz_session_signals[SIGNAL_FILE_DONE] = g_signal_new ("file-done", G_TYPE_FROM_CLASS (klass),
                                            G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE,
                                            1, G_TYPE_STRING);
  /* a search match is selected: scroll (pinned, group, lane) into view */
  _amlaviz_session_signals[SIGNAL_REVEAL_LANE] = g_signal_new (
      "reveal-lane", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
      G_TYPE_NONE, 3, G_TYPE_BOOLEAN, G_TYPE_INT, G_TYPE_INT);
  _amlaviz_session_sweep_class_init (klass);
  _amlaviz_session_signals[SIGNAL_NUMERICS_CHANGED] = g_signal_new ("numerics-changed", G_TYPE_FROM_CLASS (klass),
                                                   G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                                   G_TYPE_NONE, 0);
}

static void
amlaviz_session_init (AmlavizSession *self)
{
  amla_config_init (&self->config);
  self->collapsed_names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->pinned_lane_names = g_ptr_array_new_with_free_func (g_free);
  self->sel_group = -1;
  self->sel_flow = -1;
  self->step_index = -1;
  self->t0_ns = 0;
  self->t1_ns = 1000;
  _amlaviz_session_find_init (self);
}

static void
load_settings (AmlavizSession *self)
{
  GSettings *s = self->settings;
  AmlaConfig cfg = self->config;
  const AmlaConfigField *f = amla_config_fields ();
  for (guint i = 0; i < AMLA_CONFIG_N_FIELDS; i++)
    {
      if (f[i].settings_key == NULL)
        continue;
      g_autoptr (GVariant) v = g_settings_get_value (s, f[i].settings_key);
      if (g_variant_is_of_type (v, G_VARIANT_TYPE_BOOLEAN))
        amla_config_field_set_int (&f[i], &cfg, g_variant_get_boolean (v));
      else if (g_variant_is_of_type (v, G_VARIANT_TYPE_INT32))
        amla_config_field_set_int (&f[i], &cfg, g_variant_get_int32 (v));
      else if (g_variant_is_of_type (v, G_VARIANT_TYPE_STRING))
        amla_config_field_parse (&f[i], g_variant_get_string (v, NULL), f[i].settings_key, &cfg,
                                 NULL);
    }
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
  _amlaviz_session_runs_init (self);
  self->actions = g_simple_action_group_new ();
  _amlaviz_session_create_actions (self);
  _amlaviz_session_sweep_init (self);
  _amlaviz_session_update_enabled (self);
  return self;
}

const double *
amlaviz_session_get_counter_capacity (AmlavizSession *self, gboolean pinned, guint *n)
{
  const SimTrace *t = amlaviz_session_get_trace (self, pinned);
  *n = t && self->counter_capacity[pinned ? 1 : 0] ? t->counters->len : 0;
  return self->counter_capacity[pinned ? 1 : 0];
}

guint
amlaviz_session_get_stage_mask (AmlavizSession *self, gboolean pinned)
{
  return self->stage_mask[pinned ? 1 : 0];
}

double
amlaviz_session_get_time_origin (AmlavizSession *self)
{
  /* a loaded trace's clock is the profiler's (629 s into a session): count from its first event */
  double origin = INFINITY;
  Shown *shown[2] = { self->current, self->pinned };
  for (int i = 0; i < 2; i++)
    if (shown[i] && shown[i]->loaded)
      origin = MIN (origin, shown[i]->loaded->start_ns);
  return isfinite (origin) ? origin : 0;
}
