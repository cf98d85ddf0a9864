/* src/app/amlaviz-counters.c — counter capacities and hover text (see the header). */
#include "src/app/amlaviz-counters.h"
#include "src/app/amlaviz-describe.h"
#include "src/render/timeline.h"

#include <json-c/json.h>
#include <string.h>

static double
hw_number (json_object *hw, const char *key)
{
  json_object *v = NULL;
  if (hw == NULL || !json_object_object_get_ex (hw, key, &v))
    return 0;
  if (json_object_is_type (v, json_type_double) || json_object_is_type (v, json_type_int))
    return json_object_get_double (v);
  return 0;
}

double *
amlaviz_counter_capacities (const SimTrace *trace)
{
  if (trace == NULL || trace->counters->len == 0)
    return NULL;
  double *cap = g_new0 (double, trace->counters->len);
  json_object *root = trace->other_data_json ? json_tokener_parse (trace->other_data_json) : NULL;
  json_object *hw = NULL;
  if (root == NULL || !json_object_object_get_ex (root, "hw", &hw)
      || !json_object_is_type (hw, json_type_object))
    hw = NULL;
  for (guint i = 0; hw && i < trace->counters->len; i++)
    {
      const SimCounter *c = g_ptr_array_index (trace->counters, i);
      const char *occ = g_strrstr (c->name, " occupancy");
      if (occ && occ[strlen (" occupancy")] == '\0' && g_strcmp0 (c->unit, "bytes") == 0)
        {
          /* "L0A occupancy" -> hw.l0a_bytes */
          g_autofree char *mem = g_ascii_strdown (c->name, occ - c->name);
          g_autofree char *key = g_strdup_printf ("%s_bytes", mem);
          cap[i] = hw_number (hw, key);
        }
      else if (g_str_has_suffix (c->name, "HBM bandwidth") && g_strcmp0 (c->unit, "GB/s") == 0)
        cap[i] = hw_number (hw, "hbm_bytes_per_s") / 1e9;
      else if (g_str_has_suffix (c->name, "L2 bandwidth") && g_strcmp0 (c->unit, "GB/s") == 0)
        cap[i] = hw_number (hw, "l2_bytes_per_s") / 1e9;
    }
  json_object_put (root);
  return cap;
}

char *
amlaviz_counter_tooltip (const SimTrace *trace, int counter, double capacity, double t_ns)
{
  const SimCounter *c = g_ptr_array_index (trace->counters, counter);
  double v = tl_counter_value_at (c, t_ns);
  char vs[48], ps[48], cs[48];
  tl_format_counter_value (c, v, vs, sizeof vs);
  tl_format_counter_value (c, c->max_value, ps, sizeof ps);
  g_autofree char *at = amlaviz_format_time (t_ns);
  const char *owner = "";
  if (c->group >= 0 && (guint) c->group < trace->groups->len)
    owner = ((SimGroup *) g_ptr_array_index (trace->groups, c->group))->name;
  GString *out = g_string_new (NULL);
  g_autofree char *head = g_markup_printf_escaped ("<b>%s</b>%s%s\n%s at %s\n", c->name,
                                                   owner[0] ? "  " : "", owner, vs, at);
  g_string_append (out, head);
  if (capacity > 0)
    {
      tl_format_counter_value (c, capacity, cs, sizeof cs);
      g_autofree char *line = g_markup_printf_escaped (
          "%.0f %% of the hardware capacity (%s)\npeak in this run %s", 100 * v / capacity, cs, ps);
      g_string_append (out, line);
    }
  else
    {
      g_autofree char *line = g_markup_printf_escaped (
          "%.0f %% of the peak seen in this run (%s)\n<small>no hardware capacity known for this "
          "track</small>",
          c->max_value > 0 ? 100 * v / c->max_value : 0, ps);
      g_string_append (out, line);
    }
  return g_string_free (out, FALSE);
}
