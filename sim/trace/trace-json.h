/* sim/trace/trace-json.h — Chrome Trace Event Format JSON: write our traces, read anyone's.
 *
 * Writer: object form, pid = core, tid = pipe, X spans with args, s/f flows for flags, C counters,
 * M metadata (names and sort order), otherData (generator, preset, kernel parameters, metrics).
 * Reader: object and array form, X, B/E, i/I, C, M, s/t/f, flow v2; string or numeric pid/tid;
 * Ascend operator-profiler traces.  Errors carry the byte offset or event index.
 * Files are written atomically (temp file + rename): a failed write leaves the old file whole.
 */
#pragma once

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

/* Serialise to a newly allocated string. */
char *sim_trace_to_json (const SimTrace *trace, SimTraceFlavor flavor, gsize *len);
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
SimTrace *sim_trace_parse_json (const char *data, gsize len, SimProgressFunc progress,
                                gpointer user_data, GError **error);

/* Atomic write helper shared by trace and image writers: temp file in the same directory, fsync,
 * rename.  The old file stays whole on any failure. */
gboolean sim_write_file_atomic (const char *path, const char *data, gsize len, GError **error);
/* Install SIGINT/SIGTERM/SIGHUP handlers (where the signal still has its default action) that
 * remove the temporary files being written before the process dies, so a killed convert or
 * export leaves no hidden '.out.json.XXXXXX' beside its target.  Called once by amlasim. */
void sim_remove_temp_files_on_signal (void);

G_END_DECLS
