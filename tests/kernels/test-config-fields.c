/* tests/kernels/test-config-fields.c — the configuration table (kernels/amla-config-fields.c):
 * its names are unique and complete, the sweep axes are its fields in grid order, the CSV header
 * and otherData.config are made from it, and every field's range is what validation enforces. */
#include <json-c/json.h>
#include <string.h>

#include "kernels/amla-config-fields.h"
#include "kernels/sweep.h"

/* each name a field goes by is used by one field only */
static void
test_names_unique (void)
{
  const AmlaConfigField *f = amla_config_fields ();
  for (guint i = 0; i < AMLA_CONFIG_N_FIELDS; i++)
    {
      g_assert_true (amla_config_field_find (f[i].name) == &f[i]);
      g_assert_nonnull (f[i].label);
      g_assert_nonnull (f[i].option); /* amlasim must be able to set every field */
      g_assert_nonnull (f[i].help);
      g_assert_nonnull (f[i].word); /* and the window's configure */
      for (guint j = 0; j < i; j++)
        {
#define DIFFERENT(member)                                                                          \
  g_assert_true (f[i].member == NULL || f[j].member == NULL                                        \
                 || strcmp (f[i].member, f[j].member) != 0)
          DIFFERENT (option);
          DIFFERENT (word);
          DIFFERENT (action);
          DIFFERENT (settings_key);
          DIFFERENT (other_data_key);
          DIFFERENT (csv_column);
#undef DIFFERENT
          g_assert_true (f[i].sweep_axis < 0 || f[i].sweep_axis != f[j].sweep_axis);
        }
    }
}

/* every SweepAxis is one field; its name is the field's CSV column and option */
static void
test_axes (void)
{
  for (int a = 0; a < SWEEP_N_AXES; a++)
    {
      const AmlaConfigField *f = amla_config_field_for_axis (a);
      g_assert_nonnull (f);
      g_assert_cmpint (f->sweep_axis, ==, a);
      g_assert_cmpstr (sweep_axis_name ((SweepAxis) a), ==, f->csv_column);
      g_assert_cmpstr (f->csv_column, ==, f->option);
      g_assert_true (sweep_axis_is_numeric ((SweepAxis) a) == (f->type == AMLA_FIELD_INT));
      SweepAxis back;
      g_assert_true (sweep_axis_parse (f->name, &back) && back == (SweepAxis) a);
    }
  g_assert_null (amla_config_field_for_axis (SWEEP_N_AXES));
  /* the CSV's configuration columns are the axes in grid order */
  g_autoptr (GString) header = g_string_new (NULL);
  sweep_csv_append_header (header);
  g_autoptr (GString) want = g_string_new ("point,points");
  for (int a = 0; a < SWEEP_N_AXES; a++)
    g_string_append_printf (want, ",%s", amla_config_field_for_axis (a)->csv_column);
  g_string_append_c (want, ',');
  g_assert_true (g_str_has_prefix (header->str, want->str));
}

/* a value past each end of an int field's range is refused, naming the option */
static void
test_ranges_validate (void)
{
  const AmlaConfigField *f = amla_config_fields ();
  for (guint i = 0; i < AMLA_CONFIG_N_FIELDS; i++)
    {
      if (f[i].type != AMLA_FIELD_INT)
        continue;
      AmlaConfig cfg;
      amla_config_init (&cfg);
      g_assert_true (amla_config_validate (&cfg, NULL));
      int outside[] = { f[i].min - 1, f[i].max + 1 };
      for (gsize k = 0; k < G_N_ELEMENTS (outside); k++)
        {
          if (f[i].zero_is_auto && outside[k] == 0)
            continue;
          amla_config_field_set_int (&f[i], &cfg, outside[k]);
          g_autoptr (GError) error = NULL;
          g_assert_false (amla_config_validate (&cfg, &error));
          g_assert_error (error, AMLA_ERROR, AMLA_ERROR_INVALID);
          g_autofree char *option = g_strconcat ("--", f[i].option, NULL);
          g_test_message ("%s", error->message);
          g_assert_true (strstr (error->message, option) != NULL || f[i].rule_replaces_range);
        }
      /* and the CLI's parse refuses them too, with the range */
      g_autofree char *text = g_strdup_printf ("%d", f[i].max + 1);
      g_autoptr (GError) error = NULL;
      g_assert_false (amla_config_field_parse (&f[i], text, "--x", &cfg, &error));
      /* the range, or for a field of a few values those values (the rule's message) */
      g_autofree char *range = g_strdup_printf ("[%d, %d]", f[i].min, f[i].max);
      g_autofree char *rule
          = f[i].rule_message ? g_strdup_printf (f[i].rule_message, f[i].max + 1) : NULL;
      if (f[i].rule_replaces_range)
        g_assert_cmpstr (error->message, ==, rule);
      else
        g_assert_nonnull (strstr (error->message, range));
    }
}

/* each otherData.config field reads back what was written, default or not */
static void
test_other_data (void)
{
  AmlaConfig cfg, back;
  amla_config_init (&cfg);
  cfg.batch = 3, cfg.kv_len = 1536, cfg.sq = 3, cfg.heads = 64, cfg.task_rows = 96;
  cfg.block = 256, cfg.preload = FALSE, cfg.tiling = FALSE, cfg.rescale = AMLA_RESCALE_MUL;
  g_strlcpy (cfg.hw, "ascend910b", sizeof cfg.hw);
  json_object *o = amla_config_to_json (&cfg);
  amla_config_init (&back);
  amla_config_read_json (o, &back);
  json_object_put (o);
  const AmlaConfigField *f = amla_config_fields ();
  for (guint i = 0; i < AMLA_CONFIG_N_FIELDS; i++)
    if (f[i].other_data_key != NULL)
      g_assert_true (amla_config_field_equal (&f[i], &cfg, &back));
  /* rows chosen equal to the automatic count stay chosen */
  cfg.task_rows = amla_config_task_rows (&(AmlaConfig){ .heads = 64, .sq = 3 });
  o = amla_config_to_json (&cfg);
  amla_config_read_json (o, &back);
  json_object_put (o);
  g_assert_cmpint (back.task_rows, ==, cfg.task_rows);
}

/* format and parse are inverses */
static void
test_format_parse (void)
{
  AmlaConfig cfg, back;
  amla_config_init (&cfg);
  cfg.task_rows = 0; /* "auto" */
  const AmlaConfigField *f = amla_config_fields ();
  amla_config_init (&back);
  back.task_rows = 64;
  for (guint i = 0; i < AMLA_CONFIG_N_FIELDS; i++)
    {
      if (f[i].type == AMLA_FIELD_WHAT_IF)
        continue;
      g_autofree char *text = amla_config_field_format (&f[i], &cfg);
      g_assert_true (amla_config_field_parse (&f[i], text, f[i].name, &back, NULL));
      g_assert_true (amla_config_field_equal (&f[i], &cfg, &back));
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/config-fields/names-unique", test_names_unique);
  g_test_add_func ("/config-fields/axes", test_axes);
  g_test_add_func ("/config-fields/ranges-validate", test_ranges_validate);
  g_test_add_func ("/config-fields/other-data", test_other_data);
  g_test_add_func ("/config-fields/format-parse", test_format_parse);
  return g_test_run ();
}
