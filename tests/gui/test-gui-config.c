/* tests/gui/test-gui-config.c — every field of the configuration table survives the whole trip:
 * amlasim options → trace → the window (opened, and re-simulated there) → a trace saved from the
 * window → amlasim run --config-from → trace, and comes back identical.  The fields are those of
 * kernels/amla-config-fields.c, so a field added there without a test value here fails.  Also:
 * the window's actions and GSettings keys agree with the table (range and default).
 * $AMLASIM = the amlasim executable. */
#include <glib/gstdio.h>
#include <json-c/json.h>

#include "gui-harness.h"
#include "kernels/amla-config-fields.h"
#include "sim/trace/trace-json.h"

/* A value that is not the default, for every field, as amlasim takes it. */
static const struct
{
  const char *field, *value;
} test_values[] = {
  { "batch", "3" },
  { "kv_len", "1536" },
  { "sq", "3" },
  { "heads", "64" },
  { "task_rows", "96" },
  { "block", "256" },
  { "preload", "off" },
  { "tiling", "off" },
  { "rescale", "mul" },
  { "hw", "ascend910b" },
  { "what_if", "issue_queue_depth=16" },
};

static char *tmp_dir;

static const char *
test_value (const AmlaConfigField *f)
{
  for (gsize i = 0; i < G_N_ELEMENTS (test_values); i++)
    if (g_str_equal (test_values[i].field, f->name))
      return test_values[i].value;
  g_error ("configuration field %s has no test value in %s: add one", f->name, __FILE__);
  return NULL;
}

/* The configuration the test values make, starting from the defaults. */
static void
expected_config (AmlaConfig *cfg)
{
  amla_config_init (cfg);
  const AmlaConfigField *f = amla_config_fields ();
  for (guint i = 0; i < AMLA_CONFIG_N_FIELDS; i++)
    {
      g_autoptr (GError) error = NULL;
      g_assert_true (amla_config_field_parse (&f[i], test_value (&f[i]), f[i].name, cfg, &error));
      g_assert_no_error (error);
    }
  g_assert_true (amla_config_validate (cfg, NULL));
}

static char *
tmp_path (const char *name)
{
  return g_build_filename (tmp_dir, name, NULL);
}

static void
amlasim_run (GPtrArray *args)
{
  g_ptr_array_insert (args, 0, (char *) g_getenv ("AMLASIM"));
  g_ptr_array_insert (args, 1, "run");
  g_ptr_array_add (args, "--quiet");
  g_ptr_array_add (args, NULL);
  g_autofree char *err = NULL;
  int status = 0;
  g_autoptr (GError) error = NULL;
  g_assert_true (g_spawn_sync (NULL, (char **) args->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL,
                               &err, &status, &error));
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("amlasim run failed: %s", err);
}

/* otherData of a trace file, parsed (json_object_put) */
static json_object *
other_data (const char *path)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SimTrace) t = sim_trace_read_json (path, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (t->other_data_json);
  json_object *o = json_tokener_parse (t->other_data_json);
  g_assert_nonnull (o);
  return o;
}

static void
config_of (const char *path, AmlaConfig *cfg)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SimTrace) t = sim_trace_read_json (path, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (amla_config_from_other_data (t->other_data_json, cfg, &error));
  g_assert_no_error (error);
}

static void
assert_same_config (const AmlaConfig *got, const AmlaConfig *want, const char *where)
{
  const AmlaConfigField *f = amla_config_fields ();
  for (guint i = 0; i < AMLA_CONFIG_N_FIELDS; i++)
    if (!amla_config_field_equal (&f[i], got, want))
      {
        g_autofree char *g = amla_config_field_format (&f[i], got);
        g_autofree char *w = amla_config_field_format (&f[i], want);
        g_error ("%s: field %s is '%s', expected '%s'", where, f[i].name, g, w);
      }
}

/* The parts of otherData that hold the configuration, and the run's result, are equal. */
static void
assert_same_other_data (const char *a_path, const char *b_path)
{
  json_object *a = other_data (a_path), *b = other_data (b_path);
  json_object *ca, *cb, *ha, *hb, *wa, *wb, *ma, *mb;
  g_assert_true (json_object_object_get_ex (a, "config", &ca));
  g_assert_true (json_object_object_get_ex (b, "config", &cb));
  if (!json_object_equal (ca, cb))
    g_error ("otherData.config differs:\n%s\n%s", json_object_to_json_string (ca),
             json_object_to_json_string (cb));
  g_assert_true (json_object_object_get_ex (a, "hw", &ha));
  g_assert_true (json_object_object_get_ex (b, "hw", &hb));
  g_assert_true (json_object_object_get_ex (ha, "what_if", &wa));
  g_assert_true (json_object_object_get_ex (hb, "what_if", &wb));
  g_assert_true (json_object_equal (wa, wb));
  g_assert_true (json_object_equal (ha, hb)); /* every preset field, what-ifs applied */
  g_assert_true (json_object_object_get_ex (a, "metrics", &ma));
  g_assert_true (json_object_object_get_ex (b, "metrics", &mb));
  static const char *const same[] = { "total_ns", "flops", "instructions", "bound" };
  for (gsize i = 0; i < G_N_ELEMENTS (same); i++)
    {
      json_object *x, *y;
      g_assert_true (json_object_object_get_ex (ma, same[i], &x));
      g_assert_true (json_object_object_get_ex (mb, same[i], &y));
      if (!json_object_equal (x, y))
        g_error ("otherData.metrics.%s differs: %s vs %s", same[i], json_object_to_json_string (x),
                 json_object_to_json_string (y));
    }
  json_object_put (a);
  json_object_put (b);
}

static void
assert_window_shows (const AmlaConfig *want, const char *where)
{
  assert_same_config (amlaviz_session_get_config (session), want, where);
  /* and every field with an action says it in its state */
  const AmlaConfigField *f = amla_config_fields ();
  for (guint i = 0; i < AMLA_CONFIG_N_FIELDS; i++)
    if (f[i].action != NULL)
      {
        g_autoptr (GVariant) state
            = g_action_group_get_action_state (G_ACTION_GROUP (app), f[i].action);
        g_assert_nonnull (state);
        g_autofree char *text = g_variant_is_of_type (state, G_VARIANT_TYPE_BOOLEAN)
                                    ? g_strdup (g_variant_get_boolean (state) ? "on" : "off")
                                : g_variant_is_of_type (state, G_VARIANT_TYPE_INT32)
                                    ? g_strdup_printf ("%d", g_variant_get_int32 (state))
                                    : g_variant_dup_string (state, NULL);
        g_autofree char *expected = amla_config_field_format (&f[i], want);
        g_assert_cmpstr (text, ==, expected);
      }
}

static void
test_roundtrip (void)
{
  AmlaConfig want, defaults, got;
  expected_config (&want);
  amla_config_init (&defaults);
  const AmlaConfigField *f = amla_config_fields ();
  for (guint i = 0; i < AMLA_CONFIG_N_FIELDS; i++)
    if (amla_config_field_equal (&f[i], &want, &defaults))
      g_error ("the test value of %s is its default: it would prove nothing", f[i].name);

  /* CLI -> trace: every field through its option */
  g_autofree char *cli_trace = tmp_path ("cli.json");
  g_autoptr (GPtrArray) args = g_ptr_array_new ();
  g_autoptr (GPtrArray) keep = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < AMLA_CONFIG_N_FIELDS; i++)
    {
      g_assert_nonnull (f[i].option); /* a field amlasim cannot set cannot be reproduced */
      char *opt = g_strconcat ("--", f[i].option, NULL);
      g_ptr_array_add (keep, opt);
      g_ptr_array_add (args, opt);
      g_ptr_array_add (args, (char *) test_value (&f[i]));
    }
  g_ptr_array_add (args, "-o");
  g_ptr_array_add (args, cli_trace);
  amlasim_run (args);
  config_of (cli_trace, &got);
  assert_same_config (&got, &want, "amlasim run -o");

  /* -> the window: opened, its controls show the trace's configuration; saved as it is */
  act ("open-file", g_variant_new_string (cli_trace));
  g_assert_null (amlaviz_session_get_error (session));
  g_assert_false (amlaviz_session_get_read_only (session));
  assert_window_shows (&want, "the window, trace opened");
  g_autofree char *saved = tmp_path ("saved.json");
  act ("save-to", g_variant_new_string (saved));
  g_assert_null (amlaviz_session_get_error (session));
  config_of (saved, &got);
  assert_same_config (&got, &want, "saved from the window");

  /* re-simulated in the window from the configuration it read, then saved */
  act ("simulate", NULL);
  g_assert_null (amlaviz_session_get_error (session));
  assert_window_shows (&want, "the window, re-simulated");
  g_autofree char *resimulated = tmp_path ("resimulated.json");
  act ("save-to", g_variant_new_string (resimulated));
  g_assert_null (amlaviz_session_get_error (session));
  config_of (resimulated, &got);
  assert_same_config (&got, &want, "re-simulated in the window and saved");
  assert_same_other_data (cli_trace, resimulated);

  /* -> amlasim run --config-from: the same configuration, the same run */
  const char *from[] = { saved, resimulated };
  for (gsize k = 0; k < G_N_ELEMENTS (from); k++)
    {
      g_autofree char *again = tmp_path (k ? "again-resimulated.json" : "again-saved.json");
      g_autoptr (GPtrArray) a = g_ptr_array_new ();
      g_ptr_array_add (a, "--config-from");
      g_ptr_array_add (a, (char *) from[k]);
      g_ptr_array_add (a, "-o");
      g_ptr_array_add (a, again);
      amlasim_run (a);
      config_of (again, &got);
      assert_same_config (&got, &want, "amlasim run --config-from");
      assert_same_other_data (cli_trace, again);
    }
}

/* The GSettings keys the table names exist with the table's type, range and default. */
static void
test_settings_match_table (void)
{
  g_autoptr (GSettings) settings = amlaviz_settings_new ();
  g_assert_nonnull (settings);
  g_autoptr (GSettingsSchema) schema = NULL;
  g_object_get (settings, "settings-schema", &schema, NULL);
  AmlaConfig defaults;
  amla_config_init (&defaults);
  const AmlaConfigField *f = amla_config_fields ();
  for (guint i = 0; i < AMLA_CONFIG_N_FIELDS; i++)
    {
      if (f[i].settings_key == NULL)
        continue;
      g_test_message ("%s: key %s", f[i].name, f[i].settings_key);
      g_assert_true (g_settings_schema_has_key (schema, f[i].settings_key));
      g_autoptr (GSettingsSchemaKey) key = g_settings_schema_get_key (schema, f[i].settings_key);
      g_autoptr (GVariant) dflt = g_settings_schema_key_get_default_value (key);
      g_autoptr (GVariant) range = g_settings_schema_key_get_range (key);
      const char *kind;
      g_autoptr (GVariant) detail = NULL;
      g_variant_get (range, "(&sv)", &kind, &detail);
      g_autofree char *dflt_text = amla_config_field_format (&f[i], &defaults);
      switch (f[i].type)
        {
        case AMLA_FIELD_INT:
          {
            g_assert_cmpstr (kind, ==, "range");
            int lo, hi;
            g_variant_get (detail, "(ii)", &lo, &hi);
            g_assert_cmpint (lo, ==, f[i].min);
            g_assert_cmpint (hi, ==, f[i].max);
            g_assert_cmpint (g_variant_get_int32 (dflt), ==, f[i].dflt);
            break;
          }
        case AMLA_FIELD_BOOL:
          g_assert_cmpint (g_variant_get_boolean (dflt), ==, f[i].dflt);
          break;
        case AMLA_FIELD_RESCALE:
          g_assert_cmpstr (kind, ==, "enum");
          g_assert_cmpuint (g_variant_n_children (detail), ==, 2);
          g_assert_cmpstr (g_variant_get_string (dflt, NULL), ==, dflt_text);
          break;
        default:
          g_assert_cmpstr (g_variant_get_string (dflt, NULL), ==, dflt_text);
          break;
        }
    }
}

int
main (int argc, char **argv)
{
  g_assert_nonnull (g_getenv ("AMLASIM"));
  gui_start (&argc, &argv, 1200, 800);
  tmp_dir = g_dir_make_tmp ("amlaviz-config-XXXXXX", NULL);
  g_test_add_func ("/config/roundtrip-every-field", test_roundtrip);
  g_test_add_func ("/config/gsettings-match-table", test_settings_match_table);
  int status = g_test_run ();
  g_autoptr (GFile) dir = g_file_new_for_path (tmp_dir);
  g_autoptr (GFileEnumerator) e = g_file_enumerate_children (dir, G_FILE_ATTRIBUTE_STANDARD_NAME,
                                                             G_FILE_QUERY_INFO_NONE, NULL, NULL);
  GFileInfo *info;
  while (e && (info = g_file_enumerator_next_file (e, NULL, NULL)) != NULL)
    {
      g_autoptr (GFile) child = g_file_get_child (dir, g_file_info_get_name (info));
      g_file_delete (child, NULL, NULL);
      g_object_unref (info);
    }
  g_rmdir (tmp_dir);
  g_free (tmp_dir);
  gtk_widget_destroy (GTK_WIDGET (win));
  pump ();
  g_object_unref (app);
  return status;
}
