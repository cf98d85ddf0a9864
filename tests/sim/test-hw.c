/* tests/sim/test-hw.c — hardware presets load, derive the published peaks, and reject bad files. */
#include <glib.h>
#include <glib/gstdio.h>
#include <json-c/json.h>
#include <math.h>
#include <string.h>
#include <sys/stat.h>

#include "sim/input.h"

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
  /* json-c calls a truncated text "continue": the message says what it means */
  g_assert_nonnull (strstr (err->message, "bad.json: the JSON ends early, at byte"));
  g_autoptr (GError) err2 = NULL;
  const char *garbled = "{\"name\": x}";
  g_assert_null (sim_hw_load_from_data (garbled, strlen (garbled), "g.json", &err2));
  g_assert_nonnull (strstr (err2->message, "g.json: not valid JSON at byte"));
}

/* A whole-number field given a fraction is refused, not truncated ("dies": 1.9 was run as 1). */
static void
test_whole_numbers (void)
{
  g_autofree char *path = sim_hw_find_preset ("ascend910c");
  g_autofree char *text = NULL;
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  json_object *root = json_tokener_parse (text), *fields, *dies;
  g_assert_true (json_object_object_get_ex (root, "fields", &fields));
  g_assert_true (json_object_object_get_ex (fields, "dies", &dies));
  json_object_object_add (dies, "value", json_object_new_double (1.9));
  const char *bad = json_object_to_json_string (root);
  g_autoptr (GError) err = NULL;
  g_assert_null (sim_hw_load_from_data (bad, strlen (bad), "frac.json", &err));
  g_assert_error (err, SIM_HW_ERROR, SIM_HW_ERROR_FIELD);
  g_assert_nonnull (strstr (err->message, "field \"dies\" must be a whole number, got 1.9"));
  json_object_put (root);
}

/* A preset path that is a directory, a FIFO or a huge file is refused at once, never read whole
 * and never waited on. */
static void
test_input_files (void)
{
  g_autofree char *dir = g_dir_make_tmp ("amlaviz-hw-XXXXXX", NULL);
  g_autoptr (GError) e1 = NULL;
  g_assert_null (sim_hw_load (dir, &e1));
  g_assert_error (e1, G_FILE_ERROR, G_FILE_ERROR_ISDIR);
  g_assert_nonnull (strstr (e1->message, "is a directory"));

  g_autofree char *fifo = g_build_filename (dir, "fifo.json", NULL);
  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  g_autoptr (GError) e2 = NULL;
  g_assert_null (sim_hw_load (fifo, &e2)); /* would block in open() before the check */
  g_assert_error (e2, G_FILE_ERROR, G_FILE_ERROR_INVAL);
  g_assert_nonnull (strstr (e2->message, "is a FIFO, socket or device"));

  g_autofree char *big = g_build_filename (dir, "big.json", NULL);
  g_autofree char *blob = g_malloc0 (SIM_INPUT_MAX_PRESET + 1);
  memset (blob, ' ', SIM_INPUT_MAX_PRESET);
  g_assert_true (g_file_set_contents (big, blob, SIM_INPUT_MAX_PRESET + 1, NULL));
  g_autoptr (GError) e3 = NULL;
  g_assert_null (sim_hw_load (big, &e3));
  g_assert_error (e3, G_FILE_ERROR, G_FILE_ERROR_FAILED);
  g_test_message ("%s", e3->message);
  g_assert_nonnull (strstr (e3->message, "(1048577 bytes), over its limit of 1.0 MiB (1048576 bytes)"));

  g_unlink (big);
  g_unlink (fifo);
  g_rmdir (dir);
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
  g_test_add_func ("/hw/whole-numbers", test_whole_numbers);
  g_test_add_func ("/hw/input-files", test_input_files);
  g_test_add_func ("/hw/missing-field", test_missing_field);
  g_test_add_func ("/hw/set", test_set);
  return g_test_run ();
}
