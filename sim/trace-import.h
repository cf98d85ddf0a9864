/* sim/trace-import.h — internal: turns parsed Chrome trace events, one at a time, into a SimTrace.
 *
 * trace-json-read.c splits the file into events (json-c parses each one, then drops it);
 * trace-import.c keeps only packed state per event (spans in per-thread arrays, flow endpoints,
 * counter points); trace-import-finish.c decides groups and lanes (Ascend cores and pipes or
 * generic processes and threads), pairs flows and returns the finished trace.
 */
#pragma once

#include <json-c/json.h>
#include "sim/trace-json.h"

G_BEGIN_DECLS

/* Limits: beyond them a file is refused with SIM_TRACE_ERROR_LIMIT (never silently clamped). */
#define TRACE_IMPORT_MAX_STRING (1u << 20)          /* a kept name/detail, bytes */
#define TRACE_IMPORT_MAX_EVENTS 100000000ull        /* events in one file */
#define TRACE_IMPORT_MAX_LANES 100000u              /* distinct (pid, tid) */
#define TRACE_IMPORT_MAX_DEPTH 10000u               /* slices open at once on one thread */
/* Spans on one thread that overlap by at most this much are neighbours, not parent and child. */
#define TRACE_IMPORT_OVERLAP_TOLERANCE_NS 1.0
#define TRACE_IMPORT_MAX_TIME_US 1e16               /* |ts|, dur (~317 years) */
#define TRACE_IMPORT_MAX_FILE_BYTES (8ull << 30)
/* A gzip trace is inflated into memory: beyond this, gunzip it (plain files are mapped). */
#define TRACE_GZIP_MAX_BYTES (2ull << 30)

typedef struct ImpProc ImpProc;

typedef struct
{
  SimSpan span;
  guint32 bind;     /* flow v2 key + 1, 0 = none */
  guint32 id;       /* string id of the event's "id" (msprof B/E pairs), 0 = none */
  gboolean flow_out;
  guint64 event_index;
} ImpOpen;

typedef struct
{
  ImpProc *proc;
  char *key;        /* "#123" or "$name" */
  char *name;       /* thread_name, NULL if none */
  gint64 num;       /* numeric tid */
  gboolean numeric;
  int sort_index;
  gboolean has_sort;
  SimPipe pipe_hint; /* from our own thread_name args.pipe */
  guint first_seen;
  SimSpan *spans;
  gsize n_spans, cap_spans;
  GArray *open;      /* ImpOpen: B events waiting for their E */
  int group, lane;   /* final indices, -1 = none (set by finish) */
} ImpThread;

struct ImpProc
{
  char *key;
  char *name;
  gint64 num;
  gboolean numeric;
  int sort_index;
  gboolean has_sort;
  int kind_hint;     /* SimCoreKind from our own process_name args, -1 = none */
  int core_index_hint, die_hint;
  guint first_seen;
  GHashTable *threads_by_key; /* key -> ImpThread* */
  GPtrArray *threads;         /* ImpThread*, in order of appearance */
  int group;                  /* final group index, -1 = none */
};

enum
{
  IMP_FLOW_START = 0, /* s, flow_out */
  IMP_FLOW_STEP = 1,  /* t */
  IMP_FLOW_END = 2,   /* f, flow_in */
};

typedef struct
{
  guint32 key;   /* index into flow_keys */
  guint8 kind;   /* IMP_FLOW_* */
  ImpThread *thread;
  double ts_ns;
  guint32 name;
  guint64 order;
} ImpFlowEnd;

typedef struct
{
  ImpProc *proc;
  char *name, *unit;
  GArray *points; /* ImpPoint */
} ImpCounter;

typedef struct
{
  double ts_ns, value;
} ImpPoint;

typedef struct
{
  SimTrace *trace;          /* strings are interned here as we go */
  GHashTable *procs_by_key; /* key -> ImpProc* */
  GPtrArray *procs;         /* ImpProc*, order of appearance */
  guint n_threads;
  GHashTable *flow_key_ids; /* key string -> index + 1 */
  GPtrArray *flow_keys;     /* char* */
  GArray *flow_ends;        /* ImpFlowEnd */
  GHashTable *counters_by_key;
  GPtrArray *counters;      /* ImpCounter*, order of appearance */
  guint64 n_spans;
  gboolean msprof_op;       /* "profilingType": "op" seen */
} TraceImport;

TraceImport *trace_import_new (void);
void trace_import_free (TraceImport *imp);
/* One event object; index is its position in traceEvents (for messages). */
gboolean trace_import_event (TraceImport *imp, json_object *event, guint64 index, GError **error);
/* Builds the trace (groups, lanes, flows, counters) and frees imp. */
SimTrace *trace_import_finish (TraceImport *imp, GError **error);

/* trace-gzip.c: the gzip magic bytes 1f 8b; inflate a whole gzip file (NUL-terminated result,
 * progress 0..1 over the compressed input, SIM_TRACE_ERROR_SYNTAX for bad or truncated data). */
gboolean trace_is_gzip (const char *data, gsize len);
char *trace_gzip_inflate (const char *data, gsize len, gsize *out_len, SimProgressFunc progress,
                          gpointer user_data, GError **error);

G_END_DECLS
