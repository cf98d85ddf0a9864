/* sim/trace/trace-file-write.h — internal: where the trace writer's bytes go when saving a file.
 *
 * A temp file next to the target; a thread that writes each full buffer (and starts its
 * writeback when it will be fsync'ed) while the writer formats the next; on close fsync (when it
 * replaces data: sim_output_replaces_data) and rename over the target, or on
 * any failure unlink the temp file and leave the old file whole.  A name ending in ".gz" (any
 * case: sim_trace_path_is_gzip) is gzip-compressed by the same thread on its way to the file, so
 * formatting stays on the writer's threads.  Used by trace-json-write.c.
 * The temp file and rename are sim/output.c's (sim_output_open_temp and _commit_temp).
 */
#pragma once

#include "sim/trace/trace-json.h"

G_BEGIN_DECLS

#define TRACE_OUTPUT_CHUNK_BYTES (1u << 20)

typedef struct TraceOutput TraceOutput;

TraceOutput *trace_output_open (const char *path, GError **error);
/* Hand over *buf (its first *len bytes are written, in order) and get an empty buffer back. */
void trace_output_push (TraceOutput *out, char **buf, gsize *len, gsize *cap);
/* Write what is left in buf, wait for the thread, fsync (if it replaces data) and rename; frees
 * buf and out. */
gboolean trace_output_close (TraceOutput *out, char *buf, GError **error);

G_END_DECLS
