/* src/app/amlaviz-trace-file.h — open a trace file as the window does: plain or gzip-compressed.
 *
 * Plain files go to sim_trace_read_json (mapped, streamed event by event).  A gzip file (found by
 * its magic bytes, whatever its name: .json.gz or a gzipped .json) is inflated with GIO's
 * GZlibDecompressor into memory, then parsed with sim_trace_parse_json.  No GTK: the session's
 * open worker and the tests call it.
 */
#pragma once

#include "sim/trace-json.h"

G_BEGIN_DECLS

/* Inflated gzip traces are held in memory: above this, gunzip the file and open the .json (it is
 * then mapped, not read). */
#define AMLAVIZ_GZIP_MAX_BYTES (2ull << 30)

/* progress as for sim_trace_read_json: fraction 0..1 (for gzip, inflating is the first half and
 * parsing the second), return FALSE to stop; the error is then SIM_TRACE_ERROR_CANCELLED.
 * Errors start with the path, as sim_trace_read_json's do. */
SimTrace *amlaviz_trace_file_read (const char *path, SimProgressFunc progress, gpointer user_data,
                                   GError **error);

/* TRUE when the file starts with the gzip magic bytes 1f 8b. */
gboolean amlaviz_trace_file_is_gzip (const char *path);

G_END_DECLS
