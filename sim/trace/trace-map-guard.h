/* sim/trace/trace-map-guard.h — internal: a mapped trace file that shrinks while it is read.
 *
 * Touching a page of a file mapping that lies past the file's end raises SIGBUS, and a trace is
 * read from a mapping for seconds: `cp new.json trace.json` (truncate, then write) during that
 * time killed the window and `amlasim info`.  sim_trace_read_json arms a guard over its mapping
 * for the calling thread only; a SIGBUS inside it maps zero pages over the rest of the range (the
 * reader then sees zeros, as it would see any bytes a writer put there) and marks the guard hit,
 * so the reader stops with an ordinary error.  Every other SIGBUS — another thread's, another
 * mapping's — goes to the handler installed before ours, or kills the process as before.
 * Nothing is unwound (no longjmp): whatever the reader was doing finishes on the zeros, so no
 * allocation is lost and no structure is left half-built.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Guard [data, data + len) (a mapping made by mmap, so page-aligned) on the calling thread. */
void trace_map_guard_arm (const void *data, gsize len);
/* TRUE once a SIGBUS hit the calling thread's armed range: the file shrank under the mapping. */
gboolean trace_map_guard_hit (void);
void trace_map_guard_disarm (void);

G_END_DECLS
