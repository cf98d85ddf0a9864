/* sim/trace-json-write.c — Chrome Trace Event JSON writer (placeholder; see trace-json.h). */
#include "sim/trace-json.h"

GQuark
sim_trace_error_quark (void)
{
  return g_quark_from_static_string ("sim-trace-error");
}

char *
sim_trace_to_json (const SimTrace *trace, SimTraceFlavor flavor, gsize *len)
{
  if (len)
    *len = 2;
  return g_strdup ("{}");
}

gboolean
sim_write_file_atomic (const char *path, const char *data, gsize len, GError **error)
{
  return g_file_set_contents (path, data, (gssize) len, error);
}

gboolean
sim_trace_write_json (const SimTrace *trace, const char *path, SimTraceFlavor flavor,
                      GError **error)
{
  gsize len;
  g_autofree char *s = sim_trace_to_json (trace, flavor, &len);
  return sim_write_file_atomic (path, s, len, error);
}
