/* sim/trace/trace-json.h — Chrome Trace Event Format JSON: write our traces, read anyone's.
 *
 * Writer: object form, pid = core, tid = pipe, X spans with args, s/f flows for flags, C counters,
 * M metadata (names and sort order), otherData (generator, preset, kernel parameters, metrics).
 * Reader: object and array form, X, B/E, i/I, C, M, s/t/f, flow v2; string or numeric pid/tid;
 * Ascend operator-profiler traces.  Errors carry the byte offset or event index.
 * Files are written atomically (temp file + rename): a failed write leaves the old file whole.
 */
#pragma once

#include "sim/output.h" /* sim_write_file_atomic, sim_remove_temp_files_on_signal */
#include "sim/trace/trace.h"

G_BEGIN_DECLS

#define SIM_TRACE_ERROR (sim_trace_error_quark ())
GQuark sim_trace_error_quark (void);

typedef enum
{
  SIM_TRACE_ERROR_IO,
  SIM_TRACE_ERROR_SYNTAX,    /* not JSON / truncated: message has the byte offset */
  SIM_TRACE_ERROR_FORMAT,    /* JSON but not a trace: message has the event index */
  SIM_TRACE_ERROR_LIMIT,     /* absurd sizes */
  SIM_TRACE_ERROR_CANCELLED,
} SimTraceError;

typedef enum
{
  SIM_TRACE_FLAVOR_PERFETTO = 0, /* integer ids + name metadata (default) */
  SIM_TRACE_FLAVOR_MSPROF,       /* "profilingType":"op", core-name pids, pipe-name tids */
} SimTraceFlavor;

/* Serialise to a newly allocated string (always plain JSON). */
char *sim_trace_to_json (const SimTrace *trace, SimTraceFlavor flavor, gsize *len);
/* Save to a file atomically (sim/output.h): gzip (RFC 1952, one member) when the name ends in
 * ".gz" in any case (sim_trace_path_is_gzip), plain JSON otherwise; the inflated bytes are
 * exactly the plain ones. */
gboolean sim_trace_write_json (const SimTrace *trace, const char *path, SimTraceFlavor flavor,
                               GError **error);

/* progress: fraction 0..1; return FALSE to cancel.  May be NULL. */
typedef gboolean (*SimProgressFunc) (double fraction, gpointer user_data);

/* A file: plain JSON (mapped, not copied) or gzip-compressed JSON (found by its magic bytes,
 * whatever the name; inflated into memory: inflating is the first half of progress, parsing the
 * second).  Every command and the window read traces through this.  Errors start with the path. */
SimTrace *sim_trace_read_json (const char *path, SimProgressFunc progress, gpointer user_data,
                               GError **error);
/* TRUE when the file starts with the gzip magic bytes 1f 8b. */
gboolean sim_trace_file_is_gzip (const char *path);
/* TRUE when a trace saved to path is gzip-compressed: the name ends in ".gz", any case (NULL:
 * FALSE).  Reading does not look at names; writing has only the name to go by. */
gboolean sim_trace_path_is_gzip (const char *path);
SimTrace *sim_trace_parse_json (const char *data, gsize len, SimProgressFunc progress,
                                gpointer user_data, GError **error);

/* json_tokener_parse for JSON a trace keeps and writes back (otherData): json-c reads an integer
 * literal past 64 bits as the nearest bound; in this tree it still serialises as written.  NULL
 * when the text is not JSON. */
struct json_object *sim_trace_json_parse (const char *text);

G_END_DECLS
