/* src/app/amlaviz-session-actions.c — the session's GAction table and handlers, and the configure
 * words (see amlaviz-session.h). */
#include "src/app/amlaviz-session-private.h"

#include <string.h>

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
  _amlaviz_session_try_config (self, &cfg);
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
      _amlaviz_session_set_error (self, msg);
      return;
    }
  if (cfg.rescale == self->config.rescale)
    return;
  _amlaviz_session_try_config (self, &cfg);
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
  _amlaviz_session_try_config (self, &cfg);
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
      _amlaviz_session_set_error (self, msg);
      return;
    }
  AmlaConfig cfg = self->config;
  g_strlcpy (cfg.hw, name, sizeof cfg.hw);
  if (g_strcmp0 (cfg.hw, self->config.hw) == 0)
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
  shown_unref (self->pinned);
  self->pinned = v ? shown_ref (self->current) : NULL;
  if (self->sel_pinned)
    self->sel_group = -1, self->sel_flow = -1;
  _amlaviz_session_trace_changed (self);
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
      /* what-if=FIELD=VALUE changes a preset field as amlasim --set does; what-if=none clears */
      if (!g_ascii_strcasecmp (k, "what-if") && (!g_ascii_strcasecmp (v, "none") || *v == '\0'))
        {
          cfg.what_if[0] = '\0';
          continue;
        }
      if (!g_ascii_strcasecmp (k, "what-if"))
        {
          if (!amla_config_add_what_if (&cfg, v, error))
            return FALSE;
          continue;
        }
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
                   "rescale=amla|mul, B=, kv=, sq=, H=, preset=, what-if=FIELD=VALUE|none)",
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
