/* src/app/amlaviz-session-actions.c — the session's GAction table and handlers, and the configure
 * words (see amlaviz-session.h). */
#include "src/app/amlaviz-session-private.h"

#include <string.h>

/* ------------------------------------------------------------------ actions */

/* A configuration field's action (the table names it): its new state as a candidate config. */
static void
change_field (GSimpleAction *action, GVariant *value, gpointer user_data)
{
  AmlavizSession *self = user_data;
  const AmlaConfigField *f
      = _amlaviz_session_field_of_action (g_action_get_name (G_ACTION (action)));
  AmlaConfig cfg = self->config;
  switch (f->type)
    {
    case AMLA_FIELD_BOOL:
      amla_config_field_set_int (f, &cfg, g_variant_get_boolean (value));
      break;
    case AMLA_FIELD_INT:
      amla_config_field_set_int (f, &cfg, g_variant_get_int32 (value));
      break;
    case AMLA_FIELD_RESCALE:
      {
        AmlaRescale r;
        if (!amla_rescale_parse (g_variant_get_string (value, NULL), &r))
          {
            g_autofree char *msg = g_strdup_printf ("Unknown rescale method “%s”: use amla or mul",
                                                    g_variant_get_string (value, NULL));
            _amlaviz_session_set_error (self, msg);
            return;
          }
        amla_config_field_set_int (f, &cfg, (int) r);
        break;
      }
    default:
      {
        /* the preset: one of ours, by name, or the hardware the opened trace recorded */
        const char *name = g_variant_get_string (value, NULL);
        if (g_str_equal (name, AMLAVIZ_SESSION_TRACE_HW) && self->trace_hw_recorded != NULL)
          {
            g_strlcpy (cfg.hw, self->trace_hw_name, sizeof cfg.hw);
            cfg.hw_recorded = self->trace_hw_recorded;
            break;
          }
        g_autofree char *path = sim_hw_find_preset (name);
        if (path == NULL || strlen (name) >= f->size)
          {
            g_autofree char *msg = g_strdup_printf ("Unknown hardware preset “%s”", name);
            _amlaviz_session_set_error (self, msg);
            return;
          }
        g_strlcpy ((char *) &cfg + f->offset, name, f->size);
        cfg.hw_recorded = NULL; /* this machine's preset, not the trace's hardware */
        break;
      }
    }
  if (amla_config_field_equal (f, &cfg, &self->config))
    return;
  _amlaviz_session_try_config (self, &cfg);
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
      _amlaviz_session_trace_changed (self);
      _amlaviz_session_complete_runs (self); /* partial runs: every core, in the background */
    }
  else
    {
      self->show_flows = v;
      if (self->settings)
        g_settings_set_boolean (self->settings, "show-flows", v);
      _amlaviz_session_view_changed (self);
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
  _amlaviz_session_cancel_completion (self, 1); /* of the run unpinned or replaced */
  shown_unref (self->pinned);
  self->pinned = v ? shown_ref (self->current) : NULL;
  if (self->sel_pinned)
    self->sel_group = -1, self->sel_flow = -1;
  _amlaviz_session_trace_changed (self);
  _amlaviz_session_complete_runs (self);
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
  else if (g_str_equal (name, "search-next"))
    amlaviz_session_search_step (self, TRUE);
  else if (g_str_equal (name, "search-prev"))
    amlaviz_session_search_step (self, FALSE);
  else if (g_str_equal (name, "zoom-to-selection"))
    amlaviz_session_zoom_to_selection (self);
  else if (g_str_equal (name, "add-marker"))
    amlaviz_session_add_marker (self);
  else if (g_str_equal (name, "next-marker"))
    amlaviz_session_marker_step (self, TRUE);
  else if (g_str_equal (name, "prev-marker"))
    amlaviz_session_marker_step (self, FALSE);
  else if (g_str_equal (name, "clear-markers"))
    amlaviz_session_clear_markers (self);
  else if (g_str_equal (name, "collapse-all"))
    amlaviz_session_set_all_collapsed (self, TRUE);
  else if (g_str_equal (name, "expand-all"))
    amlaviz_session_set_all_collapsed (self, FALSE);
  else if (g_str_equal (name, "unpin-lanes"))
    amlaviz_session_unpin_lanes (self);
  else if (g_str_equal (name, "select-left"))
    amlaviz_session_move_selection (self, -1, 0);
  else if (g_str_equal (name, "select-right"))
    amlaviz_session_move_selection (self, 1, 0);
  else if (g_str_equal (name, "select-up"))
    amlaviz_session_move_selection (self, 0, -1);
  else if (g_str_equal (name, "select-down"))
    amlaviz_session_move_selection (self, 0, 1);
  else if (g_str_equal (name, "fold-group"))
    amlaviz_session_fold_selected_group (self);
}

static void
activate_pin_lane (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  const char *words = g_variant_get_string (param, NULL);
  if (!amlaviz_session_pin_lane_by_name (user_data, words))
    {
      g_autofree char *msg
          = g_strdup_printf ("pin-lane: no lane “%s” (expected a core and a pipe, e.g. 'AIC0 CUBE')",
                             words);
      _amlaviz_session_set_error (user_data, msg);
    }
}

static void
activate_search (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  amlaviz_session_set_search (user_data, g_variant_get_string (param, NULL));
}

static void
activate_select_flow (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  amlaviz_session_select_flow (user_data, FALSE, g_variant_get_int32 (param));
}

static void
activate_add_marker_at (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  double a, b;
  const char *label;
  g_variant_get (param, "(dd&s)", &a, &b, &label);
  amlaviz_session_add_marker_at (user_data, a, b, label);
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
  _amlaviz_session_explain_step (self);
  _amlaviz_session_view_changed (self);
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
    _amlaviz_session_set_error (self, error->message);
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

void
_amlaviz_session_create_actions (AmlavizSession *self)
{
  /* one stateful action per configuration field the table gives one */
  const AmlaConfigField *f = amla_config_fields ();
  for (guint i = 0; i < AMLA_CONFIG_N_FIELDS; i++)
    if (f[i].action != NULL)
      {
        const char *type = f[i].type == AMLA_FIELD_BOOL  ? NULL
                           : f[i].type == AMLA_FIELD_INT ? "i"
                                                         : "s";
        add_stateful (self, f[i].action, type, _amlaviz_session_field_state (&f[i], &self->config),
                      G_CALLBACK (change_field));
      }
  add_stateful (self, "all-cores", NULL, g_variant_new_boolean (self->all_cores),
                G_CALLBACK (change_view_bool));
  add_stateful (self, "show-flows", NULL, g_variant_new_boolean (self->show_flows),
                G_CALLBACK (change_view_bool));
  add_stateful (self, "pin-a", NULL, g_variant_new_boolean (FALSE), G_CALLBACK (change_pin));
  static const char *const simple[] = { "zoom-in", "zoom-out", "pan-left", "pan-right", "fit",
                                        "simulate", "clear-selection", "cancel-open",
                                        "search-next", "search-prev", "zoom-to-selection",
                                        "add-marker", "next-marker", "prev-marker",
                                        "clear-markers", "collapse-all", "expand-all",
                                        "unpin-lanes", "select-left", "select-right",
                                        "select-up", "select-down", "fold-group", NULL };
  for (guint i = 0; simple[i]; i++)
    add_simple (self, simple[i], NULL, G_CALLBACK (activate_simple));
  add_simple (self, "step-next", NULL, G_CALLBACK (activate_step));
  add_simple (self, "step-prev", NULL, G_CALLBACK (activate_step));
  add_simple (self, "configure", "s", G_CALLBACK (activate_configure));
  add_simple (self, "select-range", "(dd)", G_CALLBACK (activate_select_range));
  add_simple (self, "set-window", "(dd)", G_CALLBACK (activate_set_window));
  add_simple (self, "search", "s", G_CALLBACK (activate_search));
  add_simple (self, "pin-lane", "s", G_CALLBACK (activate_pin_lane));
  add_simple (self, "select-flow", "i", G_CALLBACK (activate_select_flow));
  add_simple (self, "add-marker-at", "(dds)", G_CALLBACK (activate_add_marker_at));
}

/* ------------------------------------------------------------------ configure */

/* "B=, kv=, …, preload=on|off, …, what-if=FIELD=VALUE|none": the words the table gives */
static char *
configure_words_expected (void)
{
  GString *s = g_string_new (NULL);
  const AmlaConfigField *f = amla_config_fields ();
  for (guint i = 0; i < AMLA_CONFIG_N_FIELDS; i++)
    if (f[i].word != NULL)
      g_string_append_printf (s, "%s%s=%s", s->len ? ", " : "", f[i].word,
                              f[i].type == AMLA_FIELD_BOOL      ? "on|off"
                              : f[i].type == AMLA_FIELD_RESCALE ? "amla|mul"
                              : f[i].type == AMLA_FIELD_WHAT_IF ? "FIELD=VALUE|none"
                                                                : "");
  return g_string_free (s, FALSE);
}

/* One KEY=VALUE word into cfg; FALSE (error unset) when the key or the value is not usable. */
static gboolean
configure_word (AmlaConfig *cfg, const char *k, const char *v, GError **error)
{
  const AmlaConfigField *f = amla_config_fields (), *field = NULL;
  for (guint i = 0; i < AMLA_CONFIG_N_FIELDS && field == NULL; i++)
    if (f[i].word != NULL
        && (!g_ascii_strcasecmp (k, f[i].word)
            || (f[i].word_alias != NULL && !g_ascii_strcasecmp (k, f[i].word_alias))))
      field = &f[i];
  if (field == NULL)
    return FALSE;
  if (field->type == AMLA_FIELD_INT)
    {
      /* any whole number here; the range is amla_config_validate's, which names it */
      char *end = NULL;
      long n = strtol (v, &end, 10);
      if (field->zero_is_auto && !g_ascii_strcasecmp (v, "auto"))
        n = 0;
      else if (end == v || *end != '\0' || n <= 0 || n >= G_MAXINT)
        return FALSE;
      amla_config_field_set_int (field, cfg, (int) n);
      return TRUE;
    }
  if (field->type == AMLA_FIELD_WHAT_IF)
    {
      /* what-if=FIELD=VALUE changes a preset field as amlasim --set does; what-if=none clears */
      if (!g_ascii_strcasecmp (v, "none") || *v == '\0')
        {
          ((char *) cfg + field->offset)[0] = '\0';
          return TRUE;
        }
      return amla_config_add_what_if (cfg, v, error);
    }
  return amla_config_field_parse (field, v, field->word, cfg, NULL);
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
      if (eq != NULL)
        *eq = '\0';
      GError *word_error = NULL;
      if (eq != NULL && configure_word (&cfg, parts[i], eq + 1, &word_error))
        continue;
      if (word_error != NULL)
        {
          g_propagate_error (error, word_error);
          return FALSE;
        }
      g_autofree char *expected = configure_words_expected ();
      g_set_error (error, AMLA_ERROR, AMLA_ERROR_INVALID,
                   "configure: cannot use “%s%s%s” (expected %s)", parts[i], eq ? "=" : "",
                   eq ? eq + 1 : "", expected);
      return FALSE;
    }
  return amlaviz_session_set_config (self, &cfg, error);
}

gboolean
amlaviz_session_set_config (AmlavizSession *self, const AmlaConfig *config, GError **error)
{
  g_return_val_if_fail (AMLAVIZ_IS_SESSION (self), FALSE);
  if (self->read_only)
    {
      g_set_error (error, AMLA_ERROR, AMLA_ERROR_INVALID, "%s", self->read_only_reason);
      return FALSE;
    }
  AmlaConfig cfg = *config;
  if (!amla_config_validate (&cfg, error))
    return FALSE;
  if (cfg.hw_recorded == NULL && g_strcmp0 (cfg.hw, self->config.hw) != 0)
    {
      g_autofree char *path = sim_hw_find_preset (cfg.hw);
      if (path == NULL)
        {
          g_set_error (error, AMLA_ERROR, AMLA_ERROR_INVALID, "Unknown hardware preset “%s”", cfg.hw);
          return FALSE;
        }
    }
  if (g_strcmp0 (cfg.what_if, self->config.what_if) != 0)
    {
      /* a field name or value the preset rejects is an error now, not a failed simulation */
      g_autoptr (SimHw) hw = amla_config_load_hw (&cfg, error);
      if (hw == NULL)
        return FALSE;
    }
  self->applying = TRUE;
  self->config = cfg;
  _amlaviz_session_sync_action_states (self);
  _amlaviz_session_config_changed (self);
  self->applying = FALSE;
  amlaviz_session_simulate (self);
  return TRUE;
}
