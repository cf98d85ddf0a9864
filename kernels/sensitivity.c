/* kernels/sensitivity.c — the range table (how each assumed field is varied) and the plan of
 * variants.  The parallel runner is in sensitivity-run.c, JSON in sensitivity-json.c. */
#include "kernels/sensitivity-private.h"

#include <math.h>
#include <string.h>

GQuark
sensitivity_error_quark (void)
{
  return g_quark_from_static_string ("sensitivity-error");
}

/* ---- the range table ----
 *
 * Every assumed field gets exactly one rule, chosen in this order (README "What drives this
 * number?" lists the same table; keep them together):
 *
 *  SKIPPED    the preset format allows one value only (min = max), or the value is 0 and the preset
 *             file has 0 too: ×0.5 and ×2 of 0 are 0, and an additive step would be a number we
 *             made up.  The row says why; give the field a value with --set to vary it.
 *  SWITCH     a whole-number field with at most 3 allowed values is a mode, not a quantity
 *             (cross_wait_blocks_core 0/1 once a what-if makes it assumed): run each of its other
 *             values — low the smaller, high the larger; for a 0/1 switch one end is the base.
 *             Scaling a mode would only round back onto it or land on a meaningless value.
 *  FROM_ZERO  the value is 0 because a what-if set it so (the preset file has p > 0): run 0 and p,
 *             i.e. "the assumption removed" and "the preset's assumption".
 *  SCALE      everything else (the default): low = value × 0.5, high = value × 2, clamped to the
 *             field's allowed range — atomic_rate_factor ≤ 1 (an atomic never streams faster than
 *             a store), so ×2 of the preset's 1.0 stays 1 and only the low end moves;
 *             atomic_l2_factor in [1, 4], so ×0.5 and ×2 of the preset's 2 land exactly on 1
 *             (a free in-L2 ALU) and 4 — and whole-number fields rounded outwards (low down, high
 *             up) so a small count still moves.
 */
#define SCALE_LOW 0.5
#define SCALE_HIGH 2.0
#define SWITCH_MAX_VALUES 3 /* so low, high and the base cover every value of a mode */

static const struct
{
  const char *id, *name, *description;
} rules[SENSITIVITY_N_RULES] = {
  [SENSITIVITY_RULE_SCALE] = { "scale", "×0.5 / ×2",
                               "the default: value × 0.5 and value × 2, clamped to the field's "
                               "allowed range (atomic_rate_factor ≤ 1, atomic_l2_factor in "
                               "[1, 4]); whole numbers rounded outwards" },
  [SENSITIVITY_RULE_FROM_ZERO] = { "from_zero", "0 → preset",
                                   "the value is 0 because of a what-if: 0 and the preset file's "
                                   "value" },
  [SENSITIVITY_RULE_SWITCH] = { "switch", "other values",
                                "a mode (a whole number with at most 3 allowed values, e.g. a 0/1 "
                                "switch): each of its other values, the smaller as low" },
  [SENSITIVITY_RULE_SKIPPED] = { "skipped", "not varied",
                                 "only one allowed value, or 0 in the preset itself (no scale to "
                                 "vary around): the row says why" },
};

const char *
sensitivity_rule_name (SensitivityRule rule)
{
  return rule < SENSITIVITY_N_RULES ? rules[rule].name : "?";
}

const char *
sensitivity_rule_describe (SensitivityRule rule)
{
  return rule < SENSITIVITY_N_RULES ? rules[rule].description : "?";
}

const char *
_sensitivity_rule_id (SensitivityRule rule)
{
  return rule < SENSITIVITY_N_RULES ? rules[rule].id : "?";
}

char *
sensitivity_format_value (double x)
{
  return amla_format_number (x);
}

/* ---- the plan ---- */

static void
row_clear (gpointer p)
{
  SensitivityRow *r = p;
  g_free (r->key);
  g_free (r->note);
  for (int s = 0; s < 2; s++)
    {
      g_free (r->side[s].error_low);
      g_free (r->side[s].error_high);
    }
}

GArray *
_sensitivity_rows_new (void)
{
  GArray *a = g_array_new (FALSE, TRUE, sizeof (SensitivityRow));
  g_array_set_clear_func (a, row_clear);
  return a;
}

static double
field_value (const SimHw *hw, const char *key)
{
  gsize n;
  const SimHwField *f = sim_hw_fields (hw, &n);
  for (gsize i = 0; i < n; i++)
    if (g_str_equal (f[i].key, key))
      return f[i].value;
  return NAN;
}

/* Fill rule, low, high and note of one assumed field. */
static void
plan_field (SensitivityRow *row, const SimHwField *f, const SimHw *preset)
{
  double v = f->value;
  double preset_value = preset != NULL ? field_value (preset, f->key) : v;
  if (f->min == f->max)
    {
      row->rule = SENSITIVITY_RULE_SKIPPED;
      row->low = row->high = v;
      g_autofree char *only = sensitivity_format_value (f->min);
      row->note = g_strdup_printf ("the preset format allows %s only", only);
      return;
    }
  if (f->integer && f->max - f->min < SWITCH_MAX_VALUES)
    {
      row->rule = SENSITIVITY_RULE_SWITCH;
      double others[SWITCH_MAX_VALUES];
      int n = 0;
      for (double x = f->min; x <= f->max; x++)
        if (x != v)
          others[n++] = x;
      /* a 0/1 switch: the base is one end; a 3-way mode: the two values it is not */
      row->low = n == 1 ? f->min : others[0];
      row->high = n == 1 ? f->max : others[1];
      return;
    }
  if (v == 0)
    {
      if (preset_value > 0)
        {
          row->rule = SENSITIVITY_RULE_FROM_ZERO;
          row->low = 0;
          row->high = preset_value;
          g_autofree char *p = sensitivity_format_value (preset_value);
          row->note = g_strdup_printf ("0 by a what-if: varied up to the preset's %s", p);
        }
      else
        {
          row->rule = SENSITIVITY_RULE_SKIPPED;
          row->low = row->high = 0;
          row->note = g_strdup_printf ("is 0 in the preset: ×0.5 and ×2 leave it 0; give it a "
                                       "value with --set %s=VALUE to vary it",
                                       f->key);
        }
      return;
    }
  row->rule = SENSITIVITY_RULE_SCALE;
  double lo = v * SCALE_LOW, hi = v * SCALE_HIGH;
  if (f->integer)
    {
      lo = floor (lo);
      hi = ceil (hi);
    }
  row->low_clamped = lo < f->min;
  row->high_clamped = hi > f->max;
  row->low = CLAMP (lo, f->min, f->max);
  row->high = CLAMP (hi, f->min, f->max);
  if (row->low_clamped || row->high_clamped)
    {
      g_autofree char *lo_text = sensitivity_format_value (f->min);
      g_autofree char *hi_text = sensitivity_format_value (f->max);
      row->note = g_strdup_printf ("%s clamped to the allowed range [%s, %s]",
                                   row->low_clamped && row->high_clamped ? "×0.5 and ×2"
                                   : row->low_clamped                    ? "×0.5"
                                                                         : "×2",
                                   lo_text, hi_text);
    }
}

GArray *
sensitivity_plan (const AmlaConfig *cfg, const SimHw *hw, GError **error)
{
  /* the preset as its file (or the trace) has it, to know what a what-if replaced */
  g_autoptr (SimHw) preset = NULL;
  if (cfg->what_if[0] != '\0')
    {
      preset = amla_config_load_base_hw (cfg, error);
      if (preset == NULL)
        return NULL;
    }
  GArray *rows = _sensitivity_rows_new ();
  gsize n;
  const SimHwField *f = sim_hw_fields (hw, &n);
  for (gsize i = 0; i < n; i++)
    {
      if (!f[i].assumed)
        continue;
      SensitivityRow row = { 0 };
      row.key = g_strdup (f[i].key);
      row.unit = f[i].unit;
      row.base = f[i].value;
      row.what_if = f[i].what_if;
      plan_field (&row, &f[i], preset);
      for (int s = 0; s < 2; s++)
        row.side[s].swing = row.rule == SENSITIVITY_RULE_SKIPPED ? NAN : 0.0;
      g_array_append_val (rows, row);
    }
  return rows;
}
