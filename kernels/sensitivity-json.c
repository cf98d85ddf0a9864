/* kernels/sensitivity-json.c — a sensitivity report as JSON for scripts (json-c). */
#include "kernels/sensitivity-private.h"
#include "kernels/amla-config-fields.h"

#include <json-c/json.h>
#include <math.h>

/* NAN (a failed or skipped run) is null: JSON has no NaN. */
static json_object *
number_or_null (double x)
{
  return isfinite (x) ? json_object_new_double (x) : NULL;
}

static json_object *
string_or_null (const char *s)
{
  return s != NULL ? json_object_new_string (s) : NULL;
}

/* the configuration as a trace's otherData.config has it, with the what-ifs as one string */
static json_object *
config_object (const AmlaConfig *cfg)
{
  json_object *o = amla_config_to_json (cfg);
  json_object_object_add (o, "what_if", json_object_new_string (cfg->what_if));
  return o;
}

static json_object *
side_object (const SensitivityRow *row, const SensitivitySide *s)
{
  json_object *o = json_object_new_object ();
  gboolean ran = row->rule != SENSITIVITY_RULE_SKIPPED;
  json_object_object_add (o, "util_low",
                          ran && !s->error_low ? number_or_null (s->util_low) : NULL);
  json_object_object_add (o, "util_high",
                          ran && !s->error_high ? number_or_null (s->util_high) : NULL);
  json_object_object_add (o, "swing", number_or_null (s->swing));
  json_object_object_add (o, "error_low", string_or_null (s->error_low));
  json_object_object_add (o, "error_high", string_or_null (s->error_high));
  return o;
}

static json_object *
row_object (const SensitivityReport *report, const SensitivityRow *row)
{
  json_object *o = json_object_new_object ();
  json_object_object_add (o, "field", json_object_new_string (row->key));
  json_object_object_add (o, "unit", json_object_new_string (row->unit ? row->unit : ""));
  json_object_object_add (o, "rule", json_object_new_string (_sensitivity_rule_id (row->rule)));
  json_object_object_add (o, "base", json_object_new_double (row->base));
  json_object_object_add (o, "low", json_object_new_double (row->low));
  json_object_object_add (o, "high", json_object_new_double (row->high));
  json_object_object_add (o, "low_clamped", json_object_new_boolean (row->low_clamped));
  json_object_object_add (o, "high_clamped", json_object_new_boolean (row->high_clamped));
  json_object_object_add (o, "what_if", json_object_new_boolean (row->what_if));
  json_object_object_add (o, "note", string_or_null (row->note));
  /* keyed by method, so a script reads row.amla / row.mul whichever was chosen */
  for (int s = 0; s < 2; s++)
    json_object_object_add (o, amla_rescale_name (report->rescale[s]),
                            side_object (row, &row->side[s]));
  return o;
}

char *
sensitivity_report_json (const SensitivityReport *report)
{
  json_object *o = json_object_new_object ();
  json_object_object_add (o, "config", config_object (&report->config));
  json_object_object_add (o, "preset", json_object_new_string (report->preset));
  json_object *rescales = json_object_new_array ();
  json_object *base = json_object_new_object ();
  for (int s = 0; s < 2; s++)
    {
      const char *name = amla_rescale_name (report->rescale[s]);
      json_object_array_add (rescales, json_object_new_string (name));
      json_object *b = json_object_new_object ();
      gboolean failed = s == 1 && report->other_error != NULL;
      json_object_object_add (b, "cube_utilization",
                              failed ? NULL : json_object_new_double (report->base_util[s]));
      json_object_object_add (b, "total_ns",
                              failed ? NULL : json_object_new_double (report->base_total_ns[s]));
      json_object_object_add (base, name, b);
    }
  /* rescales[0] is the configuration's (the table's sort key), rescales[1] the other */
  json_object_object_add (o, "rescales", rescales);
  json_object_object_add (o, "base", base);
  json_object_object_add (o, "other_error", string_or_null (report->other_error));
  json_object_object_add (o, "peak_tflops", json_object_new_double (report->peak_tflops));
  json_object_object_add (o, "runs", json_object_new_int ((int) report->runs));
  json_object_object_add (o, "wall_s", json_object_new_double (report->wall_s));
  json_object *rules = json_object_new_object ();
  for (int r = 0; r < SENSITIVITY_N_RULES; r++)
    json_object_object_add (
        rules, _sensitivity_rule_id ((SensitivityRule) r),
        json_object_new_string (sensitivity_rule_describe ((SensitivityRule) r)));
  json_object_object_add (o, "rules", rules);
  json_object *rows = json_object_new_array ();
  for (guint i = 0; i < report->rows->len; i++)
    json_object_array_add (rows,
                           row_object (report, &g_array_index (report->rows, SensitivityRow, i)));
  json_object_object_add (o, "rows", rows);
  char *text = g_strdup (
      json_object_to_json_string_ext (o, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE));
  json_object_put (o);
  return text;
}
