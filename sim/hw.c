/* sim/hw.c — load hardware presets from data/hw/<name>.json (see hw.h). */
#include "sim/hw.h"
#include "sim/input.h"

#include <math.h>

#include <json-c/json.h>
#include <stddef.h>
#include <string.h>

GQuark
sim_hw_error_quark (void)
{
  return g_quark_from_static_string ("sim-hw-error");
}

typedef enum
{
  F_INT,
  F_U64,
  F_DOUBLE
} FieldType;

typedef struct
{
  const char *key;
  FieldType type;
  gsize offset;
  const char *unit;
  double min, max;     /* sanity range */
  const char *legacy;  /* an older name of the field, read when the new one is absent */
  gboolean optional;   /* a preset file may leave it out: dflt then, with a basis saying so */
  double dflt;
} FieldSpec;

#define FI(k, u, lo, hi) { #k, F_INT, offsetof (SimHw, k), u, lo, hi, NULL, FALSE, 0 }
/* fields added after presets were first published: older preset files still load */
#define FI_NEW(k, u, lo, hi, legacy, dflt) { #k, F_INT, offsetof (SimHw, k), u, lo, hi, legacy, TRUE, dflt }
#define FU(k, u, lo, hi) { #k, F_U64, offsetof (SimHw, k), u, lo, hi, NULL, FALSE, 0 }
#define FD(k, u, lo, hi) { #k, F_DOUBLE, offsetof (SimHw, k), u, lo, hi, NULL, FALSE, 0 }

static const FieldSpec field_specs[] = {
  FI (dies, "", 1, 64),
  FI (aic_per_die, "", 1, 1024),
  FI (aiv_per_aic, "", 2, 2),
  FD (clock_mhz, "MHz", 1, 1e5),
  FD (cube_flops_per_cycle, "FLOP/cycle", 1, 1e7),
  FD (mmad_overhead_cycles, "cycles", 0, 1e6),
  FU (l1_bytes, "bytes", 1024, 1e12),
  FU (l0a_bytes, "bytes", 1024, 1e12),
  FU (l0b_bytes, "bytes", 1024, 1e12),
  FU (l0c_bytes, "bytes", 1024, 1e12),
  FU (ub_bytes, "bytes", 1024, 1e12),
  FD (mte2_l1_bytes_per_cycle, "B/cycle", 1e-3, 1e6),
  FD (mte2_startup_cycles, "cycles", 0, 1e7),
  FD (mte1_l0a_bytes_per_cycle, "B/cycle", 1e-3, 1e6),
  FD (mte1_l0b_bytes_per_cycle, "B/cycle", 1e-3, 1e6),
  FD (mte1_startup_cycles, "cycles", 0, 1e7),
  FD (fixpipe_bytes_per_cycle, "B/cycle", 1e-3, 1e6),
  FD (fixpipe_startup_cycles, "cycles", 0, 1e7),
  FD (aiv_mte2_bytes_per_cycle, "B/cycle", 1e-3, 1e6),
  FD (aiv_mte3_bytes_per_cycle, "B/cycle", 1e-3, 1e6),
  FD (aiv_dma_startup_cycles, "cycles", 0, 1e7),
  FD (vector_min_cycles, "cycles", 0, 1e6),
  FD (vector_repeat_bytes, "bytes", 1, 1e6),
  FD (hbm_bytes_per_s, "B/s", 1e6, 1e16),
  FD (l2_bytes_per_s, "B/s", 1e6, 1e16),
  FU (l2_bytes, "bytes", 0, 1e15),
  FD (die_to_die_bytes_per_s, "B/s", 1e6, 1e16),
  FD (cross_core_latency_cycles, "cycles", 0, 1e7),
  FD (flag_latency_cycles, "cycles", 0, 1e7),
  FD (scalar_issue_cycles, "cycles", 0, 1e6),
  FD (atomic_extra_cycles, "cycles", 0, 1e7),
  FD (atomic_rate_factor, "", 1e-3, 1),
  FD (atomic_l2_factor, "", 1, 4),
  FI (event_ids, "", 1, 64),
  FI (cross_flag_max_pending, "", 1, 1 << 20),
  FI_NEW (cross_wait_mode, "", 0, 2, "cross_wait_blocks_core", SIM_CROSS_WAIT_ISSUE),
  FI_NEW (issue_queue_depth, "instructions", 1, 1 << 16, NULL, 32),
  FI_NEW (fixpipe_unit_parts, "", 1, 16, NULL, 1),
};

typedef struct
{
  SimHw hw;
  SimHwField fields[G_N_ELEMENTS (field_specs)];
  char *bases[G_N_ELEMENTS (field_specs)];
} SimHwPrivate;

void
sim_hw_free (SimHw *hw)
{
  if (hw == NULL)
    return;
  SimHwPrivate *p = (SimHwPrivate *) hw;
  for (gsize i = 0; i < G_N_ELEMENTS (field_specs); i++)
    g_free (p->bases[i]);
  g_free (hw->name);
  g_free (hw->description);
  g_free (hw->path);
  g_free (p);
}

SimHw *
sim_hw_dup (const SimHw *hw)
{
  const SimHwPrivate *src = (const SimHwPrivate *) hw;
  SimHwPrivate *p = g_memdup2 (src, sizeof *src);
  p->hw.name = g_strdup (hw->name);
  p->hw.description = g_strdup (hw->description);
  p->hw.path = g_strdup (hw->path);
  for (gsize i = 0; i < G_N_ELEMENTS (field_specs); i++)
    {
      p->bases[i] = g_strdup (src->bases[i]);
      p->fields[i].basis = p->bases[i];
    }
  return &p->hw;
}

static gboolean
json_number (json_object *o, double *out)
{
  if (o == NULL)
    return FALSE;
  if (json_object_is_type (o, json_type_int))
    {
      *out = (double) json_object_get_int64 (o);
      return TRUE;
    }
  if (json_object_is_type (o, json_type_double))
    {
      *out = json_object_get_double (o);
      return TRUE;
    }
  return FALSE;
}

SimHw *
sim_hw_load_from_data (const char *text, gsize len, const char *origin, GError **error)
{
  json_tokener *tok = json_tokener_new ();
  json_object *root = json_tokener_parse_ex (tok, text, (int) len);
  enum json_tokener_error jerr = json_tokener_get_error (tok);
  if (root == NULL || jerr != json_tokener_success)
    {
      /* json-c's word for input that stops mid-object is "continue": say what it means */
      if (jerr == json_tokener_continue || jerr == json_tokener_success)
        g_set_error (error, SIM_HW_ERROR, SIM_HW_ERROR_PARSE,
                     "%s: the JSON ends early, at byte %zu (a truncated file?)", origin,
                     (size_t) json_tokener_get_parse_end (tok));
      else
        g_set_error (error, SIM_HW_ERROR, SIM_HW_ERROR_PARSE, "%s: not valid JSON at byte %zu: %s",
                     origin, (size_t) json_tokener_get_parse_end (tok),
                     json_tokener_error_desc (jerr));
      json_tokener_free (tok);
      json_object_put (root);
      return NULL;
    }
  json_tokener_free (tok);

  SimHwPrivate *p = g_new0 (SimHwPrivate, 1);
  SimHw *hw = &p->hw;
  json_object *o, *fields;
  hw->name = g_strdup (json_object_object_get_ex (root, "name", &o) ? json_object_get_string (o)
                                                                     : "unnamed");
  hw->description = g_strdup (
      json_object_object_get_ex (root, "description", &o) ? json_object_get_string (o) : "");
  if (!json_object_object_get_ex (root, "fields", &fields)
      || !json_object_is_type (fields, json_type_object))
    {
      g_set_error (error, SIM_HW_ERROR, SIM_HW_ERROR_FIELD,
                   "%s: missing object \"fields\" (each field: {\"value\": …, \"basis\": …})",
                   origin);
      goto fail;
    }
  for (gsize i = 0; i < G_N_ELEMENTS (field_specs); i++)
    {
      const FieldSpec *fs = &field_specs[i];
      json_object *f, *v;
      double value;
      if (!json_object_object_get_ex (fields, fs->key, &f)
          && !(fs->legacy && json_object_object_get_ex (fields, fs->legacy, &f)))
        {
          if (!fs->optional)
            {
              g_set_error (error, SIM_HW_ERROR, SIM_HW_ERROR_FIELD, "%s: missing field \"%s\"",
                           origin, fs->key);
              goto fail;
            }
          f = NULL;
          value = fs->dflt;
        }
      else if (json_object_is_type (f, json_type_object))
        {
          if (!json_object_object_get_ex (f, "value", &v) || !json_number (v, &value))
            {
              g_set_error (error, SIM_HW_ERROR, SIM_HW_ERROR_FIELD,
                           "%s: field \"%s\" needs a numeric \"value\"", origin, fs->key);
              goto fail;
            }
        }
      else if (!json_number (f, &value))
        {
          g_set_error (error, SIM_HW_ERROR, SIM_HW_ERROR_FIELD,
                       "%s: field \"%s\" must be a number or {\"value\": number}", origin, fs->key);
          goto fail;
        }
      if (!(value >= fs->min && value <= fs->max))
        {
          g_set_error (error, SIM_HW_ERROR, SIM_HW_ERROR_FIELD,
                       "%s: field \"%s\" = %g is outside [%g, %g]", origin, fs->key, value,
                       fs->min, fs->max);
          goto fail;
        }
      if (fs->type != F_DOUBLE && value != floor (value))
        {
          g_set_error (error, SIM_HW_ERROR, SIM_HW_ERROR_FIELD,
                       "%s: field \"%s\" must be a whole number, got %g", origin, fs->key, value);
          goto fail;
        }
      char *dst = (char *) hw + fs->offset;
      switch (fs->type)
        {
        case F_INT:
          *(int *) dst = (int) value;
          break;
        case F_U64:
          *(guint64 *) dst = (guint64) value;
          break;
        case F_DOUBLE:
          *(double *) dst = value;
          break;
        }
      json_object *b, *a;
      if (f == NULL)
        p->bases[i] = g_strdup_printf ("not in this preset file: the default %g", fs->dflt);
      else
        p->bases[i] = g_strdup (json_object_is_type (f, json_type_object)
                                        && json_object_object_get_ex (f, "basis", &b)
                                    ? json_object_get_string (b)
                                    : "");
      p->fields[i].key = fs->key;
      p->fields[i].value = value;
      p->fields[i].unit = fs->unit;
      p->fields[i].min = fs->min;
      p->fields[i].max = fs->max;
      p->fields[i].integer = fs->type != F_DOUBLE;
      p->fields[i].basis = p->bases[i];
      p->fields[i].assumed = f == NULL
                             || (json_object_is_type (f, json_type_object)
                                 && json_object_object_get_ex (f, "assumed", &a)
                                 && json_object_get_boolean (a));
      p->fields[i].preset_value = value;
      p->fields[i].preset_assumed = p->fields[i].assumed;
    }
  json_object_put (root);
  return hw;

fail:
  json_object_put (root);
  sim_hw_free (hw);
  return NULL;
}

gboolean
sim_hw_set (SimHw *hw, const char *assignment, GError **error)
{
  SimHwPrivate *p = (SimHwPrivate *) hw;
  const char *eq = strchr (assignment, '=');
  if (eq == NULL)
    {
      g_set_error (error, SIM_HW_ERROR, SIM_HW_ERROR_FIELD,
                   "'%s': expected FIELD=VALUE, e.g. l2_bytes_per_s=4.4e12", assignment);
      return FALSE;
    }
  g_autofree char *key = g_strstrip (g_strndup (assignment, (gsize) (eq - assignment)));
  g_autofree char *text = g_strstrip (g_strdup (eq + 1));
  gsize i = 0;
  while (i < G_N_ELEMENTS (field_specs) && strcmp (field_specs[i].key, key) != 0)
    i++;
  if (i == G_N_ELEMENTS (field_specs))
    {
      g_set_error (error, SIM_HW_ERROR, SIM_HW_ERROR_FIELD,
                   "unknown field \"%s\" ('amlasim hw %s' lists the fields)", key, hw->name);
      return FALSE;
    }
  const FieldSpec *fs = &field_specs[i];
  char *end = NULL;
  double value = g_ascii_strtod (text, &end);
  if (*text == '\0' || end == NULL || *end != '\0' || !isfinite (value))
    {
      g_set_error (error, SIM_HW_ERROR, SIM_HW_ERROR_FIELD, "field \"%s\" needs a number, got '%s'",
                   key, text);
      return FALSE;
    }
  if (fs->type != F_DOUBLE && value != floor (value))
    {
      g_set_error (error, SIM_HW_ERROR, SIM_HW_ERROR_FIELD,
                   "field \"%s\" must be a whole number, got %s", key, text);
      return FALSE;
    }
  if (!(value >= fs->min && value <= fs->max))
    {
      g_set_error (error, SIM_HW_ERROR, SIM_HW_ERROR_FIELD, "field \"%s\" = %g is outside [%g, %g]",
                   key, value, fs->min, fs->max);
      return FALSE;
    }
  char *dst = (char *) hw + fs->offset;
  switch (fs->type)
    {
    case F_INT:
      *(int *) dst = (int) value;
      break;
    case F_U64:
      *(guint64 *) dst = (guint64) value;
      break;
    case F_DOUBLE:
      *(double *) dst = value;
      break;
    }
  char *basis
      = g_strdup_printf ("what-if; the preset %s has %g", hw->name, p->fields[i].preset_value);
  g_free (p->bases[i]);
  p->bases[i] = basis;
  p->fields[i].basis = basis;
  p->fields[i].value = value;
  p->fields[i].assumed = TRUE;
  p->fields[i].what_if = TRUE;
  return TRUE;
}

static char *
data_dir_candidate (const char *base, const char *name)
{
  g_autofree char *file = g_strconcat (name, ".json", NULL);
  char *path = g_build_filename (base, "hw", file, NULL);
  if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
    return path;
  g_free (path);
  return NULL;
}

static const char *
data_dirs (int i)
{
  switch (i)
    {
    case 0:
      return g_getenv ("AMLAVIZ_DATA_DIR");
    case 1:
      return AMLAVIZ_SOURCE_DATA_DIR;
    case 2:
      return AMLAVIZ_DATA_DIR;
    default:
      return NULL;
    }
}

char *
sim_hw_find_preset (const char *name)
{
  for (int i = 0; i < 3; i++)
    {
      const char *d = data_dirs (i);
      if (d == NULL || *d == '\0')
        continue;
      char *p = data_dir_candidate (d, name);
      if (p)
        return p;
    }
  return NULL;
}

char **
sim_hw_list_presets (void)
{
  GPtrArray *names = g_ptr_array_new ();
  GHashTable *seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (int i = 0; i < 3; i++)
    {
      const char *d = data_dirs (i);
      if (d == NULL || *d == '\0')
        continue;
      g_autofree char *dir = g_build_filename (d, "hw", NULL);
      GDir *gd = g_dir_open (dir, 0, NULL);
      if (!gd)
        continue;
      const char *f;
      while ((f = g_dir_read_name (gd)))
        if (g_str_has_suffix (f, ".json"))
          {
            char *n = g_strndup (f, strlen (f) - 5);
            if (!g_hash_table_contains (seen, n))
              {
                g_hash_table_add (seen, n);
                g_ptr_array_add (names, g_strdup (n));
              }
            else
              g_free (n);
          }
      g_dir_close (gd);
    }
  g_hash_table_destroy (seen);
  for (guint i = 0; i + 1 < names->len; i++)
    for (guint j = i + 1; j < names->len; j++)
      if (g_strcmp0 (names->pdata[i], names->pdata[j]) > 0)
        {
          gpointer t = names->pdata[i];
          names->pdata[i] = names->pdata[j];
          names->pdata[j] = t;
        }
  g_ptr_array_add (names, NULL);
  return (char **) g_ptr_array_free (names, FALSE);
}

SimHw *
sim_hw_load (const char *name_or_path, GError **error)
{
  if (name_or_path == NULL || *name_or_path == '\0')
    name_or_path = SIM_HW_DEFAULT_PRESET;
  g_autofree char *path = NULL;
  if (strchr (name_or_path, '/') || g_str_has_suffix (name_or_path, ".json"))
    path = g_strdup (name_or_path);
  else
    path = sim_hw_find_preset (name_or_path);
  if (path == NULL)
    {
      g_auto (GStrv) names = sim_hw_list_presets ();
      g_autofree char *list = g_strjoinv (", ", names);
      g_set_error (error, SIM_HW_ERROR, SIM_HW_ERROR_NOT_FOUND,
                   "unknown hardware preset '%s' (available: %s; or give a path to a .json file)",
                   name_or_path, *list ? list : "none found — set AMLAVIZ_DATA_DIR");
      return NULL;
    }
  g_autofree char *text = NULL;
  gsize len;
  if (!sim_read_input_file (path, SIM_INPUT_MAX_PRESET, "preset", &text, &len, error))
    return NULL;
  SimHw *hw = sim_hw_load_from_data (text, len, path, error);
  if (hw)
    hw->path = g_strdup (path);
  return hw;
}

int
sim_hw_aic_count (const SimHw *hw)
{
  return hw->dies * hw->aic_per_die;
}

int
sim_hw_aiv_count (const SimHw *hw)
{
  return sim_hw_aic_count (hw) * hw->aiv_per_aic;
}

double
sim_hw_cycle_ns (const SimHw *hw)
{
  return 1000.0 / hw->clock_mhz;
}

double
sim_hw_peak_flops (const SimHw *hw)
{
  return sim_hw_aic_count (hw) * hw->cube_flops_per_cycle * hw->clock_mhz * 1e6;
}

const SimHwField *
sim_hw_fields (const SimHw *hw, gsize *n)
{
  *n = G_N_ELEMENTS (field_specs);
  return ((const SimHwPrivate *) hw)->fields;
}
