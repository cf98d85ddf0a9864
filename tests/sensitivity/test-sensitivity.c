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

/* The documented ranges of the preset's assumed fields. */
static void
test_plan_preset (void)
{
  AmlaConfig cfg;
  amla_config_init (&cfg);
  g_autoptr (GArray) rows = plan_for (&cfg);
  g_assert_cmpuint (rows->len, >=, 7);
  assert_range (rows, "cross_core_latency_cycles", SENSITIVITY_RULE_SCALE, 300, 150, 600, 0, 0);
  assert_range (rows, "flag_latency_cycles", SENSITIVITY_RULE_SCALE, 10, 5, 20, 0, 0);
  assert_range (rows, "scalar_issue_cycles", SENSITIVITY_RULE_SCALE, 1, 0.5, 2, 0, 0);
  assert_range (rows, "atomic_extra_cycles", SENSITIVITY_RULE_SCALE, 100, 50, 200, 0, 0);
  assert_range (rows, "die_to_die_bytes_per_s", SENSITIVITY_RULE_SCALE, 1.8e11, 9e10, 3.6e11, 0, 0);
  /* ≤ 1: ×2 clamps onto the preset's own 1.0 */
  assert_range (rows, "atomic_rate_factor", SENSITIVITY_RULE_SCALE, 1, 0.5, 1, 0, 1);
  /* [1, 4]: ×0.5 and ×2 of 2 land exactly on the ends, not beyond */
  assert_range (rows, "atomic_l2_factor", SENSITIVITY_RULE_SCALE, 2, 1, 4, 0, 0);
  g_assert_nonnull (strstr (find_row (rows, "atomic_rate_factor")->note, "[0.001, 1]"));
  g_assert_null (find_row (rows, "l2_bytes_per_s")); /* not assumed: not varied */
  for (guint i = 0; i < rows->len; i++)
    g_assert_false (g_array_index (rows, SensitivityRow, i).what_if);
}

/* What-ifs make fields assumed: whole numbers, switches, zeros and fixed fields. */
static void
test_plan_special (void)
{
  AmlaConfig cfg;
  amla_config_init (&cfg);
  g_assert_true (amla_config_add_what_if (&cfg, "event_ids=5", NULL));
  g_assert_true (amla_config_add_what_if (&cfg, "cross_wait_blocks_core=1", NULL));
  g_assert_true (amla_config_add_what_if (&cfg, "atomic_extra_cycles=0", NULL));
  g_assert_true (amla_config_add_what_if (&cfg, "aiv_per_aic=2", NULL));
  g_assert_true (amla_config_add_what_if (&cfg, "l2_bytes_per_s=4.4e12", NULL));
  g_autoptr (GArray) rows = plan_for (&cfg);
  /* 5 × 0.5 = 2.5 rounds down, so a small count still moves */
  assert_range (rows, "event_ids", SENSITIVITY_RULE_SCALE, 5, 2, 10, 0, 0);
  assert_range (rows, "cross_wait_blocks_core", SENSITIVITY_RULE_SWITCH, 1, 0, 1, 0, 0);
  assert_range (rows, "atomic_extra_cycles", SENSITIVITY_RULE_FROM_ZERO, 0, 0, 100, 0, 0);
  assert_range (rows, "aiv_per_aic", SENSITIVITY_RULE_SKIPPED, 2, 2, 2, 0, 0);
  assert_range (rows, "l2_bytes_per_s", SENSITIVITY_RULE_SCALE, 4.4e12, 2.2e12, 8.8e12, 0, 0);
  g_assert_true (find_row (rows, "l2_bytes_per_s")->what_if);
  g_assert_nonnull (strstr (find_row (rows, "aiv_per_aic")->note, "allows 2 only"));
  g_assert_nonnull (strstr (find_row (rows, "atomic_extra_cycles")->note, "preset's 100"));

  /* 0 in the preset file itself: skipped with a reason, not given an invented step */
  g_autofree char *path = sim_hw_find_preset ("ascend910c");
  g_autofree char *text = NULL;
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  char *at = strstr (text, "\"scalar_issue_cycles\": {\n      \"value\": 1,");
  g_assert_nonnull (at);
  at[strlen ("\"scalar_issue_cycles\": {\n      \"value\": ")] = '0';
  g_autoptr (GError) err = NULL;
  g_autoptr (SimHw) zero = sim_hw_load_from_data (text, strlen (text), "zero.json", &err);
  g_assert_no_error (err);
  AmlaConfig plain;
  amla_config_init (&plain);
  g_autoptr (GArray) zrows = sensitivity_plan (&plain, zero, &err);
  g_assert_no_error (err);
  assert_range (zrows, "scalar_issue_cycles", SENSITIVITY_RULE_SKIPPED, 0, 0, 0, 0, 0);
  g_assert_nonnull (strstr (find_row (zrows, "scalar_issue_cycles")->note, "--set"));
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
  volatile int *cancel_after_first;
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

static void
test_small_run (void)
{
  AmlaConfig cfg;
  small_config (&cfg);
  Progress progress = { 0 };
  volatile gint done = 0;
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

  g_autoptr (SimHw) hw = sim_hw_load ("ascend910c", NULL);
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
  const SensitivityRow *d2d = NULL;
  for (guint i = 0; i < r->rows->len; i++)
    if (g_str_equal (g_array_index (r->rows, SensitivityRow, i).key, "die_to_die_bytes_per_s"))
      d2d = &g_array_index (r->rows, SensitivityRow, i);
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
  volatile int cancel = 0;
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
  cancel = 1;
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
  g_test_add_func ("/sensitivity/plan-special", test_plan_special);
  g_test_add_func ("/sensitivity/format-value", test_format_value);
  g_test_add_func ("/sensitivity/small-run", test_small_run);
  g_test_add_func ("/sensitivity/threads-agree", test_threads_agree);
  g_test_add_func ("/sensitivity/cancel", test_cancel);
  g_test_add_func ("/sensitivity/errors", test_errors);
  g_test_add_func ("/sensitivity/json", test_json);
  return g_test_run ();
}
