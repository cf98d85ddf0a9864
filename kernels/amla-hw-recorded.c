/* kernels/amla-hw-recorded.c — a run's hardware in its trace (otherData.hw) and back.
 *
 * otherData.hw carries every field's value, the name and description, the what-if list, the
 * fields the preset marked assumed and the preset's values of the what-if fields.  Reading it
 * back builds a preset file's JSON from those fields and loads it with the preset loader
 * (sim_hw_load_from_data), so a trace re-simulates on the hardware it was made with, whatever
 * presets this machine has.  Called by amla-run.c. */
#include "kernels/amla-hw-recorded.h"
#include "kernels/amla-config-fields.h"

#include <json-c/json.h>
#include <string.h>

json_object *
amla_hw_to_other_data (const SimHw *hw)
{
  json_object *o = json_object_new_object ();
  json_object_object_add (o, "name", json_object_new_string (hw->name));
  json_object_object_add (o, "description", json_object_new_string (hw->description));
  gsize n;
  const SimHwField *f = sim_hw_fields (hw, &n);
  json_object *what_if = NULL, *preset = NULL, *assumed = json_object_new_array ();
  for (gsize i = 0; i < n; i++)
    {
      json_object_object_add (o, f[i].key, json_object_new_double (f[i].value));
      if (f[i].preset_assumed)
        json_object_array_add (assumed, json_object_new_string (f[i].key));
      if (f[i].what_if)
        {
          if (what_if == NULL)
            {
              what_if = json_object_new_array ();
              preset = json_object_new_object ();
            }
          json_object_array_add (what_if, json_object_new_string (f[i].key));
          json_object_object_add (preset, f[i].key, json_object_new_double (f[i].preset_value));
        }
    }
  json_object_object_add (o, "assumed", assumed);
  if (what_if != NULL)
    {
      json_object_object_add (o, "what_if", what_if);       /* fields that differ from the preset */
      json_object_object_add (o, "what_if_preset", preset); /* and the preset's values */
    }
  return o;
}

static gboolean
number (json_object *o, const char *key, double *out)
{
  json_object *v;
  if (o == NULL || !json_object_object_get_ex (o, key, &v)
      || !(json_object_is_type (v, json_type_double) || json_object_is_type (v, json_type_int)))
    return FALSE;
  *out = json_object_get_double (v);
  return TRUE;
}

static gboolean
listed (json_object *array, const char *key)
{
  for (gsize i = 0; array != NULL && i < json_object_array_length (array); i++)
    if (g_strcmp0 (json_object_get_string (json_object_array_get_idx (array, i)), key) == 0)
      return TRUE;
  return FALSE;
}

static gboolean
same_hardware (const SimHw *a, const SimHw *b)
{
  gsize n, m;
  const SimHwField *fa = sim_hw_fields (a, &n), *fb = sim_hw_fields (b, &m);
  if (n != m || g_strcmp0 (a->name, b->name) != 0
      || g_strcmp0 (a->description, b->description) != 0)
    return FALSE;
  for (gsize i = 0; i < n; i++)
    if (fa[i].value != fb[i].value || fa[i].assumed != fb[i].assumed)
      return FALSE;
  return TRUE;
}

/* The preset of that name on this machine, NULL if there is none (a name, never a path) */
static SimHw *
preset_named (const char *name)
{
  if (strchr (name, '/') != NULL || g_str_has_suffix (name, ".json"))
    return NULL;
  g_autofree char *path = sim_hw_find_preset (name);
  return path != NULL ? sim_hw_load (path, NULL) : NULL;
}

static const SimHwField *
field_of (const SimHw *hw, const char *key)
{
  gsize n = 0;
  const SimHwField *f = hw != NULL ? sim_hw_fields (hw, &n) : NULL;
  for (gsize i = 0; i < n; i++)
    if (g_str_equal (f[i].key, key))
      return &f[i];
  return NULL;
}

static json_object *
preset_field (double value, const char *basis, gboolean assumed)
{
  json_object *field = json_object_new_object ();
  json_object_object_add (field, "value", json_object_new_double (value));
  json_object_object_add (field, "basis", json_object_new_string (basis));
  json_object_object_add (field, "assumed", json_object_new_boolean (assumed));
  return field;
}

gboolean
amla_hw_from_other_data (json_object *hw, const char *origin, AmlaConfig *cfg, GError **error)
{
  json_object *v, *what_if = NULL, *what_if_preset = NULL, *assumed = NULL;
  const char *name = json_object_object_get_ex (hw, "name", &v) && json_object_get_string (v)
                         ? json_object_get_string (v)
                         : cfg->hw;
  const char *description
      = json_object_object_get_ex (hw, "description", &v) ? json_object_get_string (v) : NULL;
  if (json_object_object_get_ex (hw, "what_if", &v) && json_object_is_type (v, json_type_array))
    what_if = v;
  if (json_object_object_get_ex (hw, "what_if_preset", &v)
      && json_object_is_type (v, json_type_object))
    what_if_preset = v;
  if (json_object_object_get_ex (hw, "assumed", &v) && json_object_is_type (v, json_type_array))
    assumed = v;
  /* the preset of that name here: for what an older trace did not record (fields added since,
   * the assumed marks, a what-if field's preset value), and to tell whether it is that preset */
  g_autoptr (SimHw) preset = preset_named (name);

  json_object *file = json_object_new_object ();
  json_object *fields = json_object_new_object ();
  json_object_object_add (file, "name", json_object_new_string (name));
  json_object_object_add (file, "description",
                          json_object_new_string (description ? description
                                                  : preset    ? preset->description
                                                              : ""));
  json_object_object_add (file, "fields", fields);
  /* every number hw holds, in a preset file's words: the loader ignores what is not a field,
   * checks ranges and whole numbers and names what is missing */
  json_object_object_foreach (hw, key, val)
  {
    double x;
    if (!number (hw, key, &x))
      {
        /* not a number: the loader says so if it is a field (never the preset's value instead) */
        if (!g_str_equal (key, "name") && !g_str_equal (key, "description")
            && !g_str_equal (key, "what_if") && !g_str_equal (key, "what_if_preset")
            && !g_str_equal (key, "assumed"))
          json_object_object_add (fields, key, json_object_get (val));
        continue;
      }
    const SimHwField *pf = field_of (preset, key);
    /* a what-if field's base is the preset's value; the what-if puts the recorded one back */
    if (listed (what_if, key) && !number (what_if_preset, key, &x) && pf != NULL)
      x = pf->preset_value;
    json_object_object_add (
        fields, key,
        preset_field (x, pf != NULL && pf->preset_value == x ? pf->basis : "recorded in the trace",
                      assumed != NULL ? listed (assumed, key) : pf != NULL && pf->preset_assumed));
  }
  gsize n = 0;
  const SimHwField *all = preset ? sim_hw_fields (preset, &n) : NULL;
  for (gsize i = 0; i < n; i++)
    if (!json_object_object_get_ex (fields, all[i].key, NULL))
      {
        /* a field an older amlaviz did not write: the preset's */
        g_autofree char *basis
            = g_strdup_printf ("not in the trace, the preset's: %s", all[i].basis);
        json_object_object_add (fields, all[i].key,
                                preset_field (all[i].preset_value, basis, all[i].preset_assumed));
      }
  const char *text = json_object_to_json_string_ext (file, JSON_C_TO_STRING_PLAIN
                                                               | JSON_C_TO_STRING_NOSLASHESCAPE);
  g_autofree char *where = g_strdup_printf ("%s: otherData.hw", origin ? origin : "the trace");
  g_autoptr (GError) load_error = NULL;
  g_autoptr (SimHw) recorded = sim_hw_load_from_data (text, strlen (text), where, &load_error);
  if (recorded == NULL)
    {
      /* a field missing with no preset to take it from: say which preset would have */
      gboolean missing = preset == NULL && strstr (load_error->message, "missing field") != NULL;
      g_set_error (error, load_error->domain, load_error->code, "%s%s%s%s", load_error->message,
                   missing ? " (and no preset '" : "", missing ? name : "",
                   missing ? "' here fills in what it lacks)" : "");
      json_object_put (file);
      return FALSE;
    }
  g_strlcpy (cfg->hw, name, sizeof cfg->hw);
  /* exactly a preset of this machine: then it is that preset (shown and kept as such) */
  cfg->hw_recorded
      = preset != NULL && same_hardware (preset, recorded) ? NULL : g_intern_string (text);
  json_object_put (file);
  return TRUE;
}
