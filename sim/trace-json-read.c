/* sim/trace-json-read.c — Chrome Trace Event JSON reader (placeholder; see trace-json.h). */
#include "sim/trace-json.h"

SimTrace *
sim_trace_parse_json (const char *data, gsize len, SimProgressFunc progress, gpointer user_data,
                      GError **error)
{
  g_set_error (error, SIM_TRACE_ERROR, SIM_TRACE_ERROR_FORMAT, "trace import not implemented yet");
  return NULL;
}

SimTrace *
sim_trace_read_json (const char *path, SimProgressFunc progress, gpointer user_data,
                     GError **error)
{
  g_autofree char *data = NULL;
  gsize len = 0;
  if (!g_file_get_contents (path, &data, &len, error))
    return NULL;
  return sim_trace_parse_json (data, len, progress, user_data, error);
}
