/* kernels/amla-config-fields.c — the one table of AmlaConfig's fields (see the header) and the
 * generic reading, writing and checking every user of a configuration does through it. */
#include "kernels/amla-config-fields.h"
#include "kernels/sweep.h" /* SweepAxis: the grid varies hw slowest and rescale fastest */

#include <errno.h>
#include <json-c/json.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/* Heads share one latent KV head: a Cube tile holds 16 heads, fewer only in powers of two. */
static gboolean
heads_rule (int v)
{
  return v % 16 == 0 || v == 1 || v == 2 || v == 4 || v == 8;
}

/* The kernel's KV blocks (ops-transformer's block sizes). */
static gboolean
block_rule (int v)
{
  return v == 128 || v == 256 || v == 512;
}

#define MEMBER(m)                                                                                  \
  .name = G_STRINGIFY (m), .offset = offsetof (AmlaConfig, m),                                     \
  .size = sizeof (((AmlaConfig *) 0)->m)

/* one row per field, grouped: type and range, amlasim, the window, files (clang-format would
 * reflow the groups) */
/* clang-format off */
static const AmlaConfigField fields[] = {
  { MEMBER (batch), .type = AMLA_FIELD_INT, .min = 1, .max = 4096, .dflt = AMLA_DEFAULT_BATCH,
    .option = "batch", .short_option = 'b', .option_arg = "N",
    .help = "Requests in the batch, B (default 96)",
    .word = "B", .word_alias = "batch", .action = "batch", .settings_key = "batch",
    .other_data_key = "batch", .csv_column = "batch", .sweep_axis = SWEEP_AXIS_BATCH,
    .label = "batch B (requests)" },
  { MEMBER (kv_len), .type = AMLA_FIELD_INT, .min = 1, .max = 1 << 20, .dflt = AMLA_DEFAULT_KV,
    .option = "kv", .short_option = 'k', .option_arg = "TOKENS",
    .help = "KV length per request, S_kv (default 4096)",
    .word = "kv", .word_alias = "S_kv", .action = "kv", .settings_key = "kv-len",
    .other_data_key = "kv_len", .csv_column = "kv", .sweep_axis = SWEEP_AXIS_KV,
    .label = "KV length S_kv (tokens)" },
  { MEMBER (sq), .type = AMLA_FIELD_INT, .min = 1, .max = 16, .dflt = AMLA_DEFAULT_SQ,
    .option = "sq", .short_option = 'q', .option_arg = "N",
    .help = "Query tokens per request, S_q = 1 + speculative (default 2)",
    .word = "sq", .word_alias = "S_q", .action = "sq", .settings_key = "sq",
    .other_data_key = "sq", .csv_column = "sq", .sweep_axis = SWEEP_AXIS_SQ,
    .label = "query tokens per request S_q" },
  { MEMBER (heads), .type = AMLA_FIELD_INT, .min = 1, .max = 128, .dflt = AMLA_DEFAULT_HEADS,
    .rule = heads_rule,
    .rule_message = "--heads must be 1, 2, 4, 8 or a multiple of 16 up to 128, got %d",
    .option = "heads", .short_option = 'H', .option_arg = "N",
    .help = "Query heads H sharing the latent KV head (default 128)",
    .word = "H", .word_alias = "heads", .action = "heads", .settings_key = "heads",
    .other_data_key = "heads", .csv_column = "heads", .sweep_axis = SWEEP_AXIS_HEADS,
    .label = "query heads H" },
  { MEMBER (task_rows), .type = AMLA_FIELD_INT, .min = 16, .max = 256, .dflt = 0,
    .zero_is_auto = TRUE,
    .option = "rows", .option_arg = "M", .help = "Rows per task M (default: H*S_q, at most 256)",
    .word = "rows", .word_alias = "M", .action = "rows",
    .other_data_key = "task_rows", .csv_column = "rows", .sweep_axis = SWEEP_AXIS_ROWS,
    .label = "task rows M" },
  { MEMBER (block), .type = AMLA_FIELD_INT, .min = 128, .max = 512, .dflt = 512,
    .rule = block_rule, .rule_message = "KV block must be 128, 256 or 512 tokens, got %d",
    .rule_replaces_range = TRUE,
    .option = "block", .option_arg = "TOKENS",
    .help = "KV block in tokens: 128, 256 or 512 (default 512)",
    .word = "block", .action = "block", .other_data_key = "block", .sweep_axis = -1,
    .label = "KV block (tokens)" },
  { MEMBER (preload), .type = AMLA_FIELD_BOOL, .min = 0, .max = 1, .dflt = TRUE,
    .option = "preload", .option_arg = "on|off", .help = "Preload pipeline: on|off (default on)",
    .word = "preload", .action = "preload", .settings_key = "preload",
    .other_data_key = "preload", .csv_column = "preload", .sweep_axis = SWEEP_AXIS_PRELOAD,
    .label = "preload pipeline" },
  { MEMBER (tiling), .type = AMLA_FIELD_BOOL, .min = 0, .max = 1, .dflt = TRUE,
    .option = "tiling", .option_arg = "on|off",
    .help = "Hierarchical tiling in the Cube core: on|off (default on)",
    .word = "tiling", .action = "tiling", .settings_key = "tiling",
    .other_data_key = "tiling", .csv_column = "tiling", .sweep_axis = SWEEP_AXIS_TILING,
    .label = "hierarchical tiling" },
  { MEMBER (rescale), .type = AMLA_FIELD_RESCALE, .min = 0, .max = 1, .dflt = AMLA_RESCALE_AMLA,
    .option = "rescale", .option_arg = "amla|mul",
    .help = "Output rescale: amla (integer add) | mul (FP multiply) (default amla)",
    .word = "rescale", .action = "rescale", .settings_key = "rescale",
    .other_data_key = "rescale", .csv_column = "rescale", .sweep_axis = SWEEP_AXIS_RESCALE,
    .label = "rescale method" },
  { MEMBER (hw), .type = AMLA_FIELD_STRING, .dflt_text = SIM_HW_DEFAULT_PRESET,
    .option = "hw", .option_arg = "PRESET|FILE",
    .help = "Hardware preset name or JSON file (default ascend910c; see 'amlasim hw')",
    .word = "preset", .word_alias = "hw", .action = "preset", .settings_key = "preset",
    .other_data_key = "hw", .csv_column = "hw", .sweep_axis = SWEEP_AXIS_HW,
    .label = "hardware preset" },
  /* the what-ifs live in otherData.hw.what_if (the changed fields with their values) and in the
   * CSV's what_if column after the metrics; a sweep applies one set to every point (--set) */
  { MEMBER (what_if), .type = AMLA_FIELD_WHAT_IF, .dflt_text = "",
    .option = "set", .option_arg = "FIELD=VALUE",
    .help = "What-if: change one preset field, e.g. --set l2_bytes_per_s=4.4e12 (repeatable; "
            "fields: 'amlasim hw PRESET')",
    .word = "what-if", .csv_column = "what_if", .sweep_axis = -1,
    .label = "what-if changes to the preset" },
};
/* clang-format on */

G_STATIC_ASSERT (G_N_ELEMENTS (fields) == AMLA_CONFIG_N_FIELDS);

const AmlaConfigField *
amla_config_fields (void)
{
  return fields;
}

const AmlaConfigField *
amla_config_field_find (const char *name)
{
  for (gsize i = 0; i < G_N_ELEMENTS (fields); i++)
    if (g_strcmp0 (fields[i].name, name) == 0)
      return &fields[i];
  return NULL;
}

const AmlaConfigField *
amla_config_field_for_axis (int axis)
{
  /* grids look axes up per point: index them once */
  static const AmlaConfigField *by_axis[AMLA_CONFIG_N_FIELDS];
  static gsize ready = 0;
  if (g_once_init_enter (&ready))
    {
      for (gsize i = 0; i < G_N_ELEMENTS (fields); i++)
        if (fields[i].sweep_axis >= 0)
          by_axis[fields[i].sweep_axis] = &fields[i];
      g_once_init_leave (&ready, 1);
    }
  return axis >= 0 && axis < AMLA_CONFIG_N_FIELDS ? by_axis[axis] : NULL;
}

int
amla_config_field_get_int (const AmlaConfigField *f, const AmlaConfig *cfg)
{
  const char *p = (const char *) cfg + f->offset;
  switch (f->type)
    {
    case AMLA_FIELD_INT:
      return *(const int *) p;
    case AMLA_FIELD_BOOL:
      return *(const gboolean *) p ? 1 : 0;
    case AMLA_FIELD_RESCALE:
      return (int) *(const AmlaRescale *) p;
    default:
      return 0;
    }
}

void
amla_config_field_set_int (const AmlaConfigField *f, AmlaConfig *cfg, int value)
{
  char *p = (char *) cfg + f->offset;
  switch (f->type)
    {
    case AMLA_FIELD_INT:
      *(int *) p = value;
      break;
    case AMLA_FIELD_BOOL:
      *(gboolean *) p = value != 0;
      break;
    case AMLA_FIELD_RESCALE:
      *(AmlaRescale *) p = (AmlaRescale) value;
      break;
    default:
      break;
    }
}

const char *
amla_config_field_get_text (const AmlaConfigField *f, const AmlaConfig *cfg)
{
  if (f->type != AMLA_FIELD_STRING && f->type != AMLA_FIELD_WHAT_IF)
    return NULL;
  return (const char *) cfg + f->offset;
}

char *
amla_config_field_format (const AmlaConfigField *f, const AmlaConfig *cfg)
{
  int v = amla_config_field_get_int (f, cfg);
  switch (f->type)
    {
    case AMLA_FIELD_INT:
      return f->zero_is_auto && v == 0 ? g_strdup ("auto") : g_strdup_printf ("%d", v);
    case AMLA_FIELD_BOOL:
      return g_strdup (v ? "on" : "off");
    case AMLA_FIELD_RESCALE:
      return g_strdup (amla_rescale_name ((AmlaRescale) v));
    default:
      return g_strdup (amla_config_field_get_text (f, cfg));
    }
}

gboolean
amla_config_field_equal (const AmlaConfigField *f, const AmlaConfig *a, const AmlaConfig *b)
{
  /* the hardware field is also where it comes from: a trace's recorded hardware of a preset's
   * name is not that preset (interned, so the same text is the same pointer) */
  if (f->type == AMLA_FIELD_STRING && a->hw_recorded != b->hw_recorded)
    return FALSE;
  if (f->type == AMLA_FIELD_STRING || f->type == AMLA_FIELD_WHAT_IF)
    return strcmp (amla_config_field_get_text (f, a), amla_config_field_get_text (f, b)) == 0;
  return amla_config_field_get_int (f, a) == amla_config_field_get_int (f, b);
}

gboolean
amla_parse_onoff (const char *s, gboolean *out)
{
  if (s == NULL)
    return FALSE;
  if (!g_ascii_strcasecmp (s, "on") || !g_ascii_strcasecmp (s, "true") || !strcmp (s, "1")
      || !g_ascii_strcasecmp (s, "yes"))
    *out = TRUE;
  else if (!g_ascii_strcasecmp (s, "off") || !g_ascii_strcasecmp (s, "false") || !strcmp (s, "0")
           || !g_ascii_strcasecmp (s, "no"))
    *out = FALSE;
  else
    return FALSE;
  return TRUE;
}

gboolean
amla_config_field_parse (const AmlaConfigField *f, const char *text, const char *what,
                         AmlaConfig *cfg, GError **error)
{
  switch (f->type)
    {
    case AMLA_FIELD_INT:
      {
        if (f->zero_is_auto && g_ascii_strcasecmp (text, "auto") == 0)
          {
            amla_config_field_set_int (f, cfg, 0);
            return TRUE;
          }
        char *end = NULL;
        errno = 0;
        long v = strtol (text, &end, 10);
        gboolean number = text[0] != '\0' && end != text && *end == '\0' && errno == 0;
        if (number && f->rule_replaces_range && (v < f->min || v > f->max || !f->rule ((int) v)))
          {
            /* a few allowed values: name them, not a range that holds others too */
            g_set_error (error, AMLA_ERROR, AMLA_ERROR_INVALID, f->rule_message,
                         (int) CLAMP (v, G_MININT, G_MAXINT));
            return FALSE;
          }
        if (!number || v < f->min || v > f->max)
          {
            g_set_error (error, AMLA_ERROR, AMLA_ERROR_INVALID,
                         "%s must be an integer in [%d, %d], got '%s'", what, f->min, f->max, text);
            return FALSE;
          }
        amla_config_field_set_int (f, cfg, (int) v);
        return TRUE;
      }
    case AMLA_FIELD_BOOL:
      {
        gboolean b;
        if (!amla_parse_onoff (text, &b))
          {
            g_set_error (error, AMLA_ERROR, AMLA_ERROR_INVALID, "%s must be on or off, got '%s'",
                         what, text);
            return FALSE;
          }
        amla_config_field_set_int (f, cfg, b);
        return TRUE;
      }
    case AMLA_FIELD_RESCALE:
      {
        AmlaRescale r;
        if (!amla_rescale_parse (text, &r))
          {
            g_set_error (error, AMLA_ERROR, AMLA_ERROR_INVALID, "%s must be amla or mul, got '%s'",
                         what, text);
            return FALSE;
          }
        amla_config_field_set_int (f, cfg, (int) r);
        return TRUE;
      }
    case AMLA_FIELD_STRING:
      if (strlen (text) >= f->size)
        {
          g_set_error (error, AMLA_ERROR, AMLA_ERROR_INVALID, "%s: at most %zu characters, got %zu",
                       what, f->size - 1, strlen (text));
          return FALSE;
        }
      g_strlcpy ((char *) cfg + f->offset, text, f->size);
      cfg->hw_recorded = NULL; /* a preset or file named now replaces a trace's hardware */
      return TRUE;
    case AMLA_FIELD_WHAT_IF:
      if (!amla_config_add_what_if (cfg, text, error))
        {
          g_prefix_error (error, "%s: ", what);
          return FALSE;
        }
      return TRUE;
    }
  return FALSE;
}

gboolean
amla_config_field_validate (const AmlaConfigField *f, const AmlaConfig *cfg, GError **error)
{
  if (f->type != AMLA_FIELD_INT)
    return TRUE;
  int v = amla_config_field_get_int (f, cfg);
  if (f->zero_is_auto && v == 0)
    return TRUE;
  gboolean in_range = v >= f->min && v <= f->max;
  if (f->rule != NULL && (in_range || f->rule_replaces_range) && !f->rule (v))
    {
      g_set_error (error, AMLA_ERROR, AMLA_ERROR_INVALID, f->rule_message, v);
      return FALSE;
    }
  if (!in_range)
    {
      g_set_error (error, AMLA_ERROR, AMLA_ERROR_INVALID, "--%s must be in [%d, %d], got %d",
                   f->option, f->min, f->max, v);
      return FALSE;
    }
  return TRUE;
}

/* ------------------------------------------------------------------ otherData.config */

struct json_object *
amla_config_to_json (const AmlaConfig *cfg)
{
  json_object *o = json_object_new_object ();
  for (gsize i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      const AmlaConfigField *f = &fields[i];
      if (f->other_data_key == NULL)
        continue;
      int v = amla_config_field_get_int (f, cfg);
      switch (f->type)
        {
        case AMLA_FIELD_INT:
          if (f->zero_is_auto)
            {
              /* the effective rows are what a reader wants to see; whether they were chosen
               * (--rows) or derived from H·S_q decides what re-simulating with other heads does */
              json_object_object_add (o, f->other_data_key,
                                      json_object_new_int (amla_config_task_rows (cfg)));
              g_autofree char *auto_key = g_strconcat (f->other_data_key, "_auto", NULL);
              json_object_object_add (o, auto_key, json_object_new_boolean (v <= 0));
            }
          else
            json_object_object_add (o, f->other_data_key, json_object_new_int (v));
          break;
        case AMLA_FIELD_BOOL:
          json_object_object_add (o, f->other_data_key, json_object_new_boolean (v));
          break;
        case AMLA_FIELD_RESCALE:
          json_object_object_add (o, f->other_data_key,
                                  json_object_new_string (amla_rescale_name ((AmlaRescale) v)));
          break;
        default:
          json_object_object_add (o, f->other_data_key,
                                  json_object_new_string (amla_config_field_get_text (f, cfg)));
          break;
        }
    }
  return o;
}

void
amla_config_read_json (struct json_object *c, AmlaConfig *cfg)
{
  for (gsize i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      const AmlaConfigField *f = &fields[i];
      json_object *v;
      if (f->other_data_key == NULL || !json_object_object_get_ex (c, f->other_data_key, &v))
        continue;
      switch (f->type)
        {
        case AMLA_FIELD_INT:
          if (!json_object_is_type (v, json_type_int))
            break;
          if (f->zero_is_auto)
            {
              /* the effective count; it was chosen unless KEY_auto says otherwise (older traces
               * lack the flag: a count equal to the automatic one is taken as automatic) */
              int rows = json_object_get_int (v);
              g_autofree char *auto_key = g_strconcat (f->other_data_key, "_auto", NULL);
              json_object *autov;
              gboolean is_auto;
              if (json_object_object_get_ex (c, auto_key, &autov)
                  && json_object_is_type (autov, json_type_boolean))
                is_auto = json_object_get_boolean (autov);
              else
                {
                  amla_config_field_set_int (f, cfg, 0);
                  is_auto = amla_config_task_rows (cfg) == rows;
                }
              amla_config_field_set_int (f, cfg, is_auto ? 0 : rows);
            }
          else
            amla_config_field_set_int (f, cfg, json_object_get_int (v));
          break;
        case AMLA_FIELD_BOOL:
          amla_config_field_set_int (f, cfg, json_object_get_boolean (v));
          break;
        case AMLA_FIELD_RESCALE:
          {
            AmlaRescale r;
            if (amla_rescale_parse (json_object_get_string (v), &r))
              amla_config_field_set_int (f, cfg, (int) r);
            break;
          }
        default:
          if (json_object_get_string (v) != NULL)
            {
              g_strlcpy ((char *) cfg + f->offset, json_object_get_string (v), f->size);
              if (f->type == AMLA_FIELD_STRING)
                cfg->hw_recorded = NULL; /* amla_config_from_other_data sets it from hw */
            }
          break;
        }
    }
}
