/* src/app/amlaviz-trace-file.h — open a trace file as the window does: plain or gzip-compressed.
 *
 * A thin name for sim_trace_read_json, which maps plain files and inflates gzip ones (found by
 * their magic bytes, whatever the name: .json.gz or a gzipped .json) — the same reader every
 * amlasim command uses.  No GTK: the session's open worker and the tests call it.
 */
#pragma once

#include "sim/trace/trace-json.h"

G_BEGIN_DECLS

/* progress as for sim_trace_read_json: fraction 0..1 (for gzip, inflating is the first half and
 * parsing the second), return FALSE to stop; the error is then SIM_TRACE_ERROR_CANCELLED.
 * Errors start with the path, as sim_trace_read_json's do. */
SimTrace *amlaviz_trace_file_read (const char *path, SimProgressFunc progress, gpointer user_data,
                                   GError **error);

/* TRUE when the file starts with the gzip magic bytes 1f 8b. */
gboolean amlaviz_trace_file_is_gzip (const char *path);

G_END_DECLS
