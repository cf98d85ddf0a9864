/* tests/sensitivity/test-sensitivity.c — kernels/sensitivity: the range table (×0.5/×2 clamped,
 * whole numbers, switches, zeros, fixed fields), one row per assumed field, sorted by swing, the
 * base equal to a plain run, a field the run never reads has swing 0, progress, cancel, JSON. */
#include <glib.h>
#include <json-c/json.h>
#include <math.h>
#include <string.h>

#include "kernels/sensitivity.h"

/* B = 8, S_kv = 1024: every field still matters somewhere, and a report takes well under 1 s */
static void
small_config (AmlaConfig *cfg)
{
  amla_config_init (cfg);
  cfg->batch = 8;
  cfg->kv_len = 1024;
}

static guint
count_assumed (const SimHw *hw)
{
  gsize n;
  const SimHwField *f = sim_hw_fields (hw, &n);
  guint assumed = 0;
  for (gsize i = 0; i < n; i++)
    assumed += f[i].assumed;
  return assumed;
}

static const SensitivityRow *
find_row (GArray *rows, const char *key)
{
  for (guint i = 0; i < rows->len; i++)
    if (g_str_equal (g_array_index (rows, SensitivityRow, i).key, key))
      return &g_array_index (rows, SensitivityRow, i);
  return NULL;
}

static GArray *
plan_for (const AmlaConfig *cfg)
{
  g_autoptr (GError) err = NULL;
  g_autoptr (SimHw) hw = amla_config_load_hw (cfg, &err);
  g_assert_no_error (err);
  GArray *rows = sensitivity_plan (cfg, hw, &err);
  g_assert_no_error (err);
  g_assert_cmpuint (rows->len, ==, count_assumed (hw));
  return rows;
}

static void
assert_range (GArray *rows, const char *key, SensitivityRule rule, double base, double low,
              double high, gboolean low_clamped, gboolean high_clamped)
{
  const SensitivityRow *r = find_row (rows, key);
  g_assert_nonnull (r);
  g_assert_cmpint (r->rule, ==, rule);
  g_assert_cmpfloat (r->base, ==, base);
  g_assert_cmpfloat (r->low, ==, low);
  g_assert_cmpfloat (r->high, ==, high);
  g_assert_cmpint (r->low_clamped, ==, low_clamped);
  g_assert_cmpint (r->high_clamped, ==, high_clamped);
}

/* What the range table says a field gets, computed independently of sensitivity.c: ×0.5 / ×2
 * clamped, whole numbers rounded outwards; modes (≤ 3 whole values) their other values. */
static void
expected_range (const SimHwField *f, SensitivityRule *rule, double *low, double *high)
{
  if (f->min == f->max || f->value == 0)
    {
      *rule = SENSITIVITY_RULE_SKIPPED; /* (0 in the preset: no what-if here) */
      *low = *high = f->value;
      return;
    }
  if (f->integer && f->max - f->min <= 2)
    {
      *rule = SENSITIVITY_RULE_SWITCH;
      double others[3];
      int n = 0;
      for (double x = f->min; x <= f->max; x++)
        if (x != f->value)
          others[n++] = x;
      *low = n == 1 ? f->min : others[0];
      *high = n == 1 ? f->max : others[1];
      return;
    }
  *rule = SENSITIVITY_RULE_SCALE;
  *low = CLAMP (f->integer ? floor (f->value / 2) : f->value / 2, f->min, f->max);
  *high = CLAMP (f->value * 2, f->min, f->max);
}

/* Every assumed field of the preset gets a row, with the range the table documents; no other
 * field does.  Computed from the preset, so it holds whatever the preset's numbers are. */
static void
test_plan_preset (void)
{
  AmlaConfig cfg;
  amla_config_init (&cfg);
  g_autoptr (GArray) rows = plan_for (&cfg);
  g_autoptr (SimHw) hw = sim_hw_load (cfg.hw, NULL);
  gsize n;
  const SimHwField *f = sim_hw_fields (hw, &n);
  guint checked = 0;
  for (gsize i = 0; i < n; i++)
    {
      const SensitivityRow *r = find_row (rows, f[i].key);
      if (!f[i].assumed)
        {
          g_assert_null (r); /* not assumed: not varied */
          continue;
        }
      g_assert_nonnull (r);
      SensitivityRule rule;
      double low, high;
      expected_range (&f[i], &rule, &low, &high);
      g_test_message ("%s: %g -> %g / %g (%s)", f[i].key, f[i].value, r->low, r->high,
                      sensitivity_rule_name (r->rule));
      g_assert_cmpint (r->rule, ==, rule);
      g_assert_cmpfloat (r->base, ==, f[i].value);
      g_assert_cmpfloat (r->low, ==, low);
      g_assert_cmpfloat (r->high, ==, high);
      g_assert_false (r->what_if);
      checked++;
    }
  g_assert_cmpuint (checked, ==, rows->len);
  g_assert_cmpuint (checked, >=, 5);
}

/* The documented cases, pinned with what-ifs so they do not depend on the preset's numbers. */
static void
test_plan_cases (void)
{
  AmlaConfig cfg;
  amla_config_init (&cfg);
  static const char *const sets[]
      = { "cross_core_latency_cycles=300", "atomic_rate_factor=1", "atomic_l2_factor=2",
          "die_to_die_bytes_per_s=1.8e11", "event_ids=5",          "scalar_issue_cycles=1",
          "atomic_extra_cycles=0",         "aiv_per_aic=2",        "l2_bytes_per_s=4.4e12" };
  for (gsize i = 0; i < G_N_ELEMENTS (sets); i++)
    g_assert_true (amla_config_add_what_if (&cfg, sets[i], NULL));
  g_autoptr (GArray) rows = plan_for (&cfg);
  assert_range (rows, "cross_core_latency_cycles", SENSITIVITY_RULE_SCALE, 300, 150, 600, 0, 0);
  assert_range (rows, "scalar_issue_cycles", SENSITIVITY_RULE_SCALE, 1, 0.5, 2, 0, 0);
  assert_range (rows, "die_to_die_bytes_per_s", SENSITIVITY_RULE_SCALE, 1.8e11, 9e10, 3.6e11, 0, 0);
  /* ≤ 1: ×2 of 1.0 clamps onto the base, only the low end moves */
  assert_range (rows, "atomic_rate_factor", SENSITIVITY_RULE_SCALE, 1, 0.5, 1, 0, 1);
  g_assert_nonnull (strstr (find_row (rows, "atomic_rate_factor")->note, "[0.001, 1]"));
  /* [1, 4]: ×0.5 and ×2 of 2 land exactly on the ends, not beyond */
  assert_range (rows, "atomic_l2_factor", SENSITIVITY_RULE_SCALE, 2, 1, 4, 0, 0);
  /* 5 × 0.5 = 2.5 rounds down, so a small count still moves */
  assert_range (rows, "event_ids", SENSITIVITY_RULE_SCALE, 5, 2, 10, 0, 0);
  /* 0 by a what-if: from 0 up to the preset file's value */
  g_autoptr (SimHw) preset = sim_hw_load (cfg.hw, NULL);
  double preset_atomic = 0;
  gsize n;
  const SimHwField *f = sim_hw_fields (preset, &n);
  for (gsize i = 0; i < n; i++)
    if (g_str_equal (f[i].key, "atomic_extra_cycles"))
      preset_atomic = f[i].value;
  if (preset_atomic > 0)
    {
      assert_range (rows, "atomic_extra_cycles", SENSITIVITY_RULE_FROM_ZERO, 0, 0, preset_atomic, 0,
                    0);
      g_assert_nonnull (strstr (find_row (rows, "atomic_extra_cycles")->note, "preset's"));
    }
  /* one allowed value: skipped, with the reason */
  assert_range (rows, "aiv_per_aic", SENSITIVITY_RULE_SKIPPED, 2, 2, 2, 0, 0);
  g_assert_nonnull (strstr (find_row (rows, "aiv_per_aic")->note, "allows 2 only"));
  /* a field the preset does not assume is varied once a what-if makes it the user's guess */
  assert_range (rows, "l2_bytes_per_s", SENSITIVITY_RULE_SCALE, 4.4e12, 2.2e12, 8.8e12, 0, 0);
  g_assert_true (find_row (rows, "l2_bytes_per_s")->what_if);
}

/* A mode (a whole number with 2 or 3 allowed values) takes its other values, never a scale. */
static void
test_plan_switch (void)
{
  g_autoptr (SimHw) hw = sim_hw_load (SIM_HW_DEFAULT_PRESET, NULL);
  gsize n;
  const SimHwField *f = sim_hw_fields (hw, &n);
  guint modes = 0;
  for (gsize i = 0; i < n; i++)
    {
      if (!f[i].integer || f[i].max - f[i].min < 1 || f[i].max - f[i].min > 2)
        continue;
      for (double v = f[i].min; v <= f[i].max; v++)
        {
          AmlaConfig cfg;
          amla_config_init (&cfg);
          g_autofree char *set = g_strdup_printf ("%s=%g", f[i].key, v);
          g_assert_true (amla_config_add_what_if (&cfg, set, NULL));
          g_autoptr (GArray) rows = plan_for (&cfg);
          const SensitivityRow *r = find_row (rows, f[i].key);
          g_assert_nonnull (r);
          g_test_message ("%s at %g: %g / %g", f[i].key, v, r->low, r->high);
          g_assert_cmpint (r->rule, ==, SENSITIVITY_RULE_SWITCH);
          g_assert_cmpfloat (r->low, <, r->high);
          /* every allowed value is the base, the low or the high */
          for (double x = f[i].min; x <= f[i].max; x++)
            g_assert_true (x == v || x == r->low || x == r->high);
          if (f[i].max - f[i].min == 2)
            g_assert_true (r->low != v && r->high != v);
        }
      modes++;
    }
  if (modes == 0)
    g_test_skip ("the preset format has no mode field (a whole number with 2 or 3 values)");
}

/* 0 in the preset file itself: skipped with a reason, not given an invented step. */
static void
test_plan_zero (void)
{
  g_autofree char *path = sim_hw_find_preset (SIM_HW_DEFAULT_PRESET);
  json_object *root = json_object_from_file (path);
  g_assert_nonnull (root);
  json_object *fields, *field;
  g_assert_true (json_object_object_get_ex (root, "fields", &fields));
  g_assert_true (json_object_object_get_ex (fields, "scalar_issue_cycles", &field));
  json_object_object_add (field, "value", json_object_new_int (0));
  json_object_object_add (field, "assumed", json_object_new_boolean (TRUE));
  const char *text = json_object_to_json_string (root);
  g_autoptr (GError) err = NULL;
  g_autoptr (SimHw) zero = sim_hw_load_from_data (text, strlen (text), "zero.json", &err);
  json_object_put (root);
  g_assert_no_error (err);
  AmlaConfig plain;
  amla_config_init (&plain);
  g_autoptr (GArray) rows = sensitivity_plan (&plain, zero, &err);
  g_assert_no_error (err);
  assert_range (rows, "scalar_issue_cycles", SENSITIVITY_RULE_SKIPPED, 0, 0, 0, 0, 0);
  g_assert_nonnull (strstr (find_row (rows, "scalar_issue_cycles")->note, "--set"));
}

static double
plain_util (const AmlaConfig *cfg)
{
  g_autoptr (GError) err = NULL;
  g_autoptr (AmlaRun) run = amla_run (cfg, NULL, NULL, &err);
  g_assert_no_error (err);
  return run->result->metrics.cube_utilization;
}

typedef struct
{
  guint calls, last_done, last_total;
  gint *cancel_after_first;
} Progress;

static void
on_progress (guint done, guint total, gpointer user_data)
{
  Progress *p = user_data;
  g_assert_cmpuint (done, >, p->last_done);
  p->calls++;
  p->last_done = done;
  p->last_total = total;
  if (p->cancel_after_first != NULL)
    g_atomic_int_set (p->cancel_after_first, 1);
}

/* A field the run never reads: die_to_die_bytes_per_s (each die runs its own half of the batch).
 * Made assumed by a what-if at its own value if a preset ever stops assuming it. */
#define UNUSED_FIELD "die_to_die_bytes_per_s"

static void
test_small_run (void)
{
  AmlaConfig cfg;
  small_config (&cfg);
  {
    g_autoptr (SimHw) preset = sim_hw_load (cfg.hw, NULL);
    gsize n;
    const SimHwField *f = sim_hw_fields (preset, &n);
    for (gsize i = 0; i < n; i++)
      if (g_str_equal (f[i].key, UNUSED_FIELD) && !f[i].assumed)
        {
          g_autofree char *set = g_strdup_printf ("%s=%.17g", f[i].key, f[i].value);
          g_assert_true (amla_config_add_what_if (&cfg, set, NULL));
        }
  }
  Progress progress = { 0 };
  gint done = 0;
  SensitivityOptions opt;
  sensitivity_options_init (&opt);
  opt.progress = on_progress;
  opt.progress_data = &progress;
  opt.done = &done;
  g_autoptr (GError) err = NULL;
  g_autoptr (SensitivityReport) r = sensitivity_run (&cfg, &opt, &err);
  g_assert_no_error (err);
  g_assert_nonnull (r);
  g_test_message ("%u runs in %.2f s", r->runs, r->wall_s);

  g_autoptr (SimHw) hw = amla_config_load_hw (&cfg, NULL);
  g_assert_cmpuint (r->rows->len, ==, count_assumed (hw));
  g_assert_cmpuint (progress.calls, ==, r->runs);
  g_assert_cmpuint (progress.last_total, ==, r->runs);
  g_assert_cmpint (g_atomic_int_get (&done), ==, (gint) r->runs);
  g_assert_cmpint (r->rescale[0], ==, AMLA_RESCALE_AMLA);
  g_assert_cmpint (r->rescale[1], ==, AMLA_RESCALE_MUL);
  g_assert_null (r->other_error);

  /* the base is exactly what a plain run gives, at both rescales */
  g_assert_cmpfloat (r->base_util[0], ==, plain_util (&cfg));
  AmlaConfig mul = cfg;
  mul.rescale = AMLA_RESCALE_MUL;
  g_assert_cmpfloat (r->base_util[1], ==, plain_util (&mul));

  gboolean some_swing = FALSE;
  for (guint i = 0; i < r->rows->len; i++)
    {
      const SensitivityRow *row = &g_array_index (r->rows, SensitivityRow, i);
      g_test_message ("%-28s %g..%g  %.4f..%.4f swing %.4f | other %.4f", row->key, row->low,
                      row->high, row->side[0].util_low, row->side[0].util_high, row->side[0].swing,
                      row->side[1].swing);
      for (int s = 0; s < 2; s++)
        {
          g_assert_null (row->side[s].error_low);
          g_assert_null (row->side[s].error_high);
          g_assert_cmpfloat (row->side[s].swing, ==,
                             fabs (row->side[s].util_high - row->side[s].util_low));
        }
      if (i > 0)
        g_assert_cmpfloat (row->side[0].swing, <=,
                           g_array_index (r->rows, SensitivityRow, i - 1).side[0].swing);
      some_swing |= row->side[0].swing > 0.001;
      /* an end clamped onto the base is the base run */
      if (row->high == row->base)
        g_assert_cmpfloat (row->side[0].util_high, ==, r->base_util[0]);
    }
  g_assert_true (some_swing);

  /* the single-die tasks never cross dies: die-to-die bandwidth cannot move anything */
  const SensitivityRow *d2d = find_row (r->rows, UNUSED_FIELD);
  g_assert_nonnull (d2d);
  for (int s = 0; s < 2; s++)
    {
      g_assert_cmpfloat (d2d->side[s].swing, ==, 0.0);
      g_assert_cmpfloat (d2d->side[s].util_low, ==, r->base_util[s]);
    }
}

/* The same report whatever the number of threads. */
static void
test_threads_agree (void)
{
  AmlaConfig cfg;
  small_config (&cfg);
  cfg.rescale = AMLA_RESCALE_MUL;
  SensitivityOptions one, two;
  sensitivity_options_init (&one);
  sensitivity_options_init (&two);
  one.threads = 1;
  two.threads = 2;
  g_autoptr (SensitivityReport) a = sensitivity_run (&cfg, &one, NULL);
  g_autoptr (SensitivityReport) b = sensitivity_run (&cfg, &two, NULL);
  g_assert_nonnull (a);
  g_assert_nonnull (b);
  g_assert_cmpint (a->rescale[0], ==, AMLA_RESCALE_MUL);
  g_assert_cmpuint (a->rows->len, ==, b->rows->len);
  for (guint i = 0; i < a->rows->len; i++)
    {
      const SensitivityRow *x = &g_array_index (a->rows, SensitivityRow, i);
      const SensitivityRow *y = &g_array_index (b->rows, SensitivityRow, i);
      g_assert_cmpstr (x->key, ==, y->key);
      for (int s = 0; s < 2; s++)
        {
          g_assert_cmpfloat (x->side[s].util_low, ==, y->side[s].util_low);
          g_assert_cmpfloat (x->side[s].util_high, ==, y->side[s].util_high);
        }
    }
}

static void
test_cancel (void)
{
  AmlaConfig cfg;
  small_config (&cfg);
  gint cancel = 0;
  Progress progress = { 0 };
  progress.cancel_after_first = &cancel;
  SensitivityOptions opt;
  sensitivity_options_init (&opt);
  opt.cancel = &cancel;
  opt.progress = on_progress;
  opt.progress_data = &progress;
  g_autoptr (GError) err = NULL;
  SensitivityReport *r = sensitivity_run (&cfg, &opt, &err);
  g_assert_null (r);
  g_assert_error (err, SENSITIVITY_ERROR, SENSITIVITY_ERROR_CANCELLED);
  /* no progress is reported once cancelled */
  g_assert_cmpuint (progress.calls, ==, 1);

  /* cancelled before it starts: nothing runs */
  g_clear_error (&err);
  g_atomic_int_set (&cancel, 1);
  progress = (Progress){ 0 };
  r = sensitivity_run (&cfg, &opt, &err);
  g_assert_null (r);
  g_assert_error (err, SENSITIVITY_ERROR, SENSITIVITY_ERROR_CANCELLED);
  g_assert_cmpuint (progress.calls, ==, 0);
}

static void
test_errors (void)
{
  AmlaConfig cfg;
  small_config (&cfg);
  cfg.heads = 24;
  g_autoptr (GError) err = NULL;
  g_assert_null (sensitivity_run (&cfg, NULL, &err));
  g_assert_error (err, AMLA_ERROR, AMLA_ERROR_INVALID);
  g_clear_error (&err);
  small_config (&cfg);
  g_strlcpy (cfg.hw, "ascend999", sizeof cfg.hw);
  g_assert_null (sensitivity_run (&cfg, NULL, &err));
  g_assert_error (err, SIM_HW_ERROR, SIM_HW_ERROR_NOT_FOUND);
  g_clear_error (&err);
  small_config (&cfg);
  g_assert_true (amla_config_add_what_if (&cfg, "dies=0", NULL));
  g_assert_null (sensitivity_run (&cfg, NULL, &err));
  g_assert_error (err, SIM_HW_ERROR, SIM_HW_ERROR_FIELD);
}

static void
test_json (void)
{
  AmlaConfig cfg;
  small_config (&cfg);
  g_assert_true (amla_config_add_what_if (&cfg, "atomic_extra_cycles=0", NULL));
  g_autoptr (GError) err = NULL;
  g_autoptr (SensitivityReport) r = sensitivity_run (&cfg, NULL, &err);
  g_assert_no_error (err);
  g_autofree char *text = sensitivity_report_json (r);
  json_object *root = json_tokener_parse (text);
  g_assert_nonnull (root);
  json_object *rows, *row, *v, *side, *base;
  g_assert_true (json_object_object_get_ex (root, "rows", &rows));
  g_assert_cmpuint (json_object_array_length (rows), ==, r->rows->len);
  g_assert_true (json_object_object_get_ex (root, "base", &base));
  g_assert_true (json_object_object_get_ex (base, "amla", &v));
  g_assert_true (json_object_object_get_ex (v, "cube_utilization", &v));
  g_assert_cmpfloat (json_object_get_double (v), ==, r->base_util[0]);
  gboolean saw_zero = FALSE;
  for (gsize i = 0; i < json_object_array_length (rows); i++)
    {
      row = json_object_array_get_idx (rows, i);
      const SensitivityRow *want = &g_array_index (r->rows, SensitivityRow, i);
      g_assert_true (json_object_object_get_ex (row, "field", &v));
      g_assert_cmpstr (json_object_get_string (v), ==, want->key);
      g_assert_true (json_object_object_get_ex (row, "mul", &side));
      g_assert_true (json_object_object_get_ex (row, "amla", &side));
      g_assert_true (json_object_object_get_ex (side, "swing", &v));
      g_assert_cmpfloat (json_object_get_double (v), ==, want->side[0].swing);
      g_assert_true (json_object_object_get_ex (row, "rule", &v));
      if (g_str_equal (want->key, "atomic_extra_cycles"))
        {
          g_assert_cmpstr (json_object_get_string (v), ==, "from_zero");
          g_assert_true (json_object_object_get_ex (row, "what_if", &v));
          g_assert_true (json_object_get_boolean (v));
          saw_zero = TRUE;
        }
    }
  g_assert_true (saw_zero);
  json_object_put (root);
}

static void
test_format_value (void)
{
  static const struct
  {
    double v;
    const char *text;
  } cases[] = { { 150, "150" },          { 0.5, "0.5" },    { 9e10, "9e+10" },
                { 3.89e12, "3.89e+12" }, { 1e-3, "0.001" }, { 0, "0" } };
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *t = sensitivity_format_value (cases[i].v);
      g_assert_cmpstr (t, ==, cases[i].text);
    }
  for (int r = 0; r < SENSITIVITY_N_RULES; r++)
    {
      g_assert_cmpstr (sensitivity_rule_name ((SensitivityRule) r), !=, "?");
      g_assert_cmpuint (strlen (sensitivity_rule_describe ((SensitivityRule) r)), >, 20);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sensitivity/plan-preset", test_plan_preset);
  g_test_add_func ("/sensitivity/plan-cases", test_plan_cases);
  g_test_add_func ("/sensitivity/plan-switch", test_plan_switch);
  g_test_add_func ("/sensitivity/plan-zero", test_plan_zero);
  g_test_add_func ("/sensitivity/format-value", test_format_value);
  g_test_add_func ("/sensitivity/small-run", test_small_run);
  g_test_add_func ("/sensitivity/threads-agree", test_threads_agree);
  g_test_add_func ("/sensitivity/cancel", test_cancel);
  g_test_add_func ("/sensitivity/errors", test_errors);
  g_test_add_func ("/sensitivity/json", test_json);
  return g_test_run ();
}
