/* tests/sim/test-hw.c — hardware presets load, derive the published peaks, and reject bad files. */
#include <glib.h>
#include <math.h>
#include <string.h>

#include "sim/hw.h"

static void
test_910c (void)
{
  g_autoptr (GError) err = NULL;
  g_autoptr (SimHw) hw = sim_hw_load ("ascend910c", &err);
  g_assert_no_error (err);
  g_assert_cmpint (hw->dies, ==, 2);
  g_assert_cmpint (sim_hw_aic_count (hw), ==, 48);
  g_assert_cmpint (sim_hw_aiv_count (hw), ==, 96);
  /* 48 x 8192 x 1.8 GHz = 707.8 TFLOPS (amla_paper.md §6) */
  g_assert_cmpfloat (fabs (sim_hw_peak_flops (hw) / 1e12 - 707.79), <, 0.01);
  gsize n;
  const SimHwField *f = sim_hw_fields (hw, &n);
  gboolean saw_assumed = FALSE;
  for (gsize i = 0; i < n; i++)
    {
      g_assert_nonnull (f[i].basis);
      g_assert_cmpstr (f[i].basis, !=, "");
      if (g_str_equal (f[i].key, "cross_core_latency_cycles"))
        {
          g_assert_true (f[i].assumed);
          saw_assumed = TRUE;
        }
    }
  g_assert_true (saw_assumed);
}

static void
test_910b (void)
{
  g_autoptr (SimHw) hw = sim_hw_load ("ascend910b", NULL);
  g_assert_nonnull (hw);
  g_assert_cmpfloat (fabs (sim_hw_peak_flops (hw) / 1e12 - 353.89), <, 0.01);
}

static void
test_unknown (void)
{
  g_autoptr (GError) err = NULL;
  g_autoptr (SimHw) hw = sim_hw_load ("ascend999", &err);
  g_assert_null (hw);
  g_assert_error (err, SIM_HW_ERROR, SIM_HW_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (err->message, "ascend910c"));
}

static void
test_bad_json (void)
{
  g_autoptr (GError) err = NULL;
  const char *text = "{\"name\": \"x\", \"fields\": {\"dies\": {\"value\": 1}";
  g_autoptr (SimHw) hw = sim_hw_load_from_data (text, strlen (text), "bad.json", &err);
  g_assert_null (hw);
  g_assert_error (err, SIM_HW_ERROR, SIM_HW_ERROR_PARSE);
}

static void
test_missing_field (void)
{
  g_autoptr (GError) err = NULL;
  const char *text = "{\"name\": \"x\", \"fields\": {\"dies\": {\"value\": 1}}}";
  g_autoptr (SimHw) hw = sim_hw_load_from_data (text, strlen (text), "bad.json", &err);
  g_assert_null (hw);
  g_assert_error (err, SIM_HW_ERROR, SIM_HW_ERROR_FIELD);
  g_assert_nonnull (strstr (err->message, "aic_per_die"));
}

/* What-if: one field of a loaded preset changed by "key=value", range-checked like the file. */
static void
test_set (void)
{
  g_autoptr (GError) err = NULL;
  g_autoptr (SimHw) hw = sim_hw_load ("ascend910c", &err);
  g_assert_no_error (err);
  g_assert_true (sim_hw_set (hw, "l2_bytes_per_s=4.4e12", &err));
  g_assert_no_error (err);
  g_assert_cmpfloat (hw->l2_bytes_per_s, ==, 4.4e12);
  g_assert_true (sim_hw_set (hw, " dies = 1 ", &err));
  g_assert_cmpint (hw->dies, ==, 1);
  gsize n;
  const SimHwField *f = sim_hw_fields (hw, &n);
  gboolean seen = FALSE;
  for (gsize i = 0; i < n; i++)
    if (g_str_equal (f[i].key, "l2_bytes_per_s"))
      {
        seen = TRUE;
        g_assert_cmpfloat (f[i].value, ==, 4.4e12);
        g_assert_true (f[i].assumed);
        g_assert_nonnull (strstr (f[i].basis, "7.78e+12")); /* the preset's value is kept */
      }
  g_assert_true (seen);
  /* a copy keeps the change */
  g_autoptr (SimHw) dup = sim_hw_dup (hw);
  g_assert_cmpfloat (dup->l2_bytes_per_s, ==, 4.4e12);

  const struct
  {
    const char *assignment, *needle;
  } bad[] = {
    { "l2_bytes_per_s", "FIELD=VALUE" },
    { "bogus=1", "unknown field \"bogus\"" },
    { "dies=0", "\"dies\" = 0 is outside [1, 64]" },
    { "clock_mhz=fast", "\"clock_mhz\" needs a number, got 'fast'" },
    { "clock_mhz=", "needs a number" },
    { "dies=1.5", "\"dies\" must be a whole number" },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_clear_error (&err);
      g_assert_false (sim_hw_set (hw, bad[i].assignment, &err));
      g_assert_error (err, SIM_HW_ERROR, SIM_HW_ERROR_FIELD);
      if (!strstr (err->message, bad[i].needle))
        g_error ("'%s': '%s' lacks '%s'", bad[i].assignment, err->message, bad[i].needle);
    }
  g_assert_cmpint (hw->dies, ==, 1); /* unchanged by the failures */
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/hw/ascend910c", test_910c);
  g_test_add_func ("/hw/ascend910b", test_910b);
  g_test_add_func ("/hw/unknown", test_unknown);
  g_test_add_func ("/hw/bad-json", test_bad_json);
  g_test_add_func ("/hw/missing-field", test_missing_field);
  g_test_add_func ("/hw/set", test_set);
  return g_test_run ();
}
