/* src/app/amlaviz-trace-file.c — plain or gzip trace files (see the header): the library's one
 * reader, sim_trace_read_json, does both, for the window as for every amlasim command. */
#include "src/app/amlaviz-trace-file.h"

gboolean
amlaviz_trace_file_is_gzip (const char *path)
{
  return sim_trace_file_is_gzip (path);
}

SimTrace *
amlaviz_trace_file_read (const char *path, SimProgressFunc progress, gpointer user_data,
                         GError **error)
{
  return sim_trace_read_json (path, progress, user_data, error);
}
