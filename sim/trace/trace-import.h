/* sim/trace/trace-import.h — internal: turns parsed Chrome trace events, one at a time, into a
 * SimTrace.
 *
 * trace-json-read.c walks the file's outer frame and hands each event to trace-json-scan.c, a
 * tight scanner for the events tracers write (scalars and one level of "args"; nested args
 * values skipped, escapes decoded), which fills an ImpEvent pointing into the mapped text — no
 * json_object, no locale, no allocation per event.  Anything outside that subset (odd syntax,
 * nested values in fields the importer reads) is parsed by json-c instead and converted to the
 * same ImpEvent, so json-c stays the judge of what is valid JSON and of every syntax message.
 * trace-import.c keeps only packed state per event (spans in per-thread arrays, flow endpoints,
 * counter points); trace-import-finish.c decides groups and lanes (Ascend cores and pipes or
 * generic processes and threads), pairs flows and returns the finished trace.
 */
#pragma once

#include <json-c/json.h>
#include "sim/trace/trace-json.h"

G_BEGIN_DECLS

/* Limits: beyond them a file is refused with SIM_TRACE_ERROR_LIMIT (never silently clamped). */
#define TRACE_IMPORT_MAX_STRING (1u << 20)          /* a kept name/detail, bytes */
#define TRACE_IMPORT_MAX_EVENTS 100000000ull        /* events in one file */
#define TRACE_IMPORT_MAX_LANES 100000u              /* distinct (pid, tid) */
/* processes and counter series: each costs a kilobyte or two whatever its events, so a file of
 * millions of one-point series took gigabytes (3 M: 4.3 GB).  At the caps a file of 100,000
 * one-point series (6.8 MB) takes 156 MB, of 100,000 processes (6.9 MB) 198 MB: memory stays
 * within about 30x the input and a few hundred MB. */
#define TRACE_IMPORT_MAX_PROCS 100000u              /* distinct pids */
#define TRACE_IMPORT_MAX_COUNTERS 100000u           /* distinct (pid, counter name, series) */
#define TRACE_IMPORT_MAX_DEPTH 10000u               /* slices open at once on one thread */
/* Spans on one thread that overlap by at most this much are neighbours, not parent and child. */
#define TRACE_IMPORT_OVERLAP_TOLERANCE_NS 1.0
#define TRACE_IMPORT_MAX_TIME_US 1e16               /* |ts|, dur (~317 years) */
/* A double holds whole picoseconds up to 2^53 ps (9.007e9 µs): a trace whose earliest time is
 * later than this counts its times from an origin (SimTrace.origin_ns). */
#define TRACE_IMPORT_ORIGIN_FROM_US 9e9
#define TRACE_IMPORT_MAX_FILE_BYTES (8ull << 30)
/* A gzip trace is inflated into memory: beyond this, gunzip it (plain files are mapped). */
#define TRACE_GZIP_MAX_BYTES (2ull << 30)

typedef struct ImpProc ImpProc;

/* One JSON value of an event, as the scanner or json-c saw it. */
typedef enum
{
  IMP_ABSENT = 0,
  IMP_NULL,
  IMP_BOOL,
  IMP_INT,
  IMP_DOUBLE,
  IMP_STRING,
  IMP_OBJECT,
  IMP_ARRAY,
} ImpType;

typedef struct
{
  ImpType type;
  gboolean b;      /* IMP_BOOL */
  gint64 i;        /* IMP_INT */
  double d;        /* IMP_INT, IMP_DOUBLE: the number as a double */
  const char *s;   /* IMP_STRING: UTF-8, not NUL-terminated */
  gsize len;       /* IMP_STRING: bytes */
  const char *raw; /* the value's JSON text, for messages: the scanner's is the source text,
                    * json-c's its own, so they differ for escaped strings and nested values (the
                    * scanner leaves those to json-c where a message may quote them) */
  gsize raw_len;
} ImpValue;

typedef struct
{
  const char *key;
  gsize key_len;
  ImpValue v;
} ImpArg;

/* The fields of an event the importer reads; args members when "args" is an object. */
typedef struct
{
  gboolean is_object; /* FALSE: the event is not an object (the value is in ph) */
  ImpValue ph, name, cat, pid, tid, ts, dur, id, bind_id, flow_in, flow_out, scope, args;
  /* the whole event, for an event kept as it was (trace_import_event): the scanner's is the
   * file's text (src, src_len), json-c's its tree, spelt out only when kept; set by the reader
   * after the scan, reset per event */
  const char *src;
  gsize src_len;
  json_object *tree;
  gsize offset; /* where the event starts in the file, set by the reader (messages at the end) */
  ImpArg *arg; /* from here on: kept from event to event (see event_reset) */
  guint n_args, cap_args;
  char *text; /* the scanner's decoded strings (those with escapes), reset per event */
  gsize text_len, text_cap;
  /* the event's other top-level members ("cname", "tts" …) as JSON text, comma-separated: the
   * scanner's are the file's text, json-c's its own; reset per event */
  GString *other;
} ImpEvent;

/* trace-json-scan.c */
typedef enum
{
  TRACE_SCAN_OK,
  TRACE_SCAN_FALLBACK, /* not in the scanner's subset: let json-c parse it */
} TraceScanResult;

/* The event object at *p ('{'); on OK *p moves past its '}'.  ev's arrays are reused. */
TraceScanResult trace_scan_event (const char **p, const char *end, ImpEvent *ev);
/* Tests only: TRUE sends every event to json-c, to compare the scanner with it. */
extern gboolean trace_scan_force_json_c;
/* json-c's tree of one event → ev (values point into the tree, which must outlive ev's use). */
void trace_event_from_json (json_object *o, ImpEvent *ev);
void trace_event_clear (ImpEvent *ev);
const ImpValue *trace_event_arg (const ImpEvent *ev, const char *key);
gboolean imp_value_is (const ImpValue *v, const char *s);

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
  /* B and E pair in time order (as Perfetto sorts them): while a thread's come sorted they pair
   * as they are read; the first out of order (or an E with no B) has the file read again with
   * TraceImport.be_sort, which keeps them all here (ImpBe) and pairs them at the end */
  double last_be_ns;
  gboolean any_be;
  GArray *be;
  /* be_sort: each span's place in the order a first reading would have added it (an X's event
   * index, a B/E slice's E's), so the lane comes out as that reading makes it */
  GArray *span_keys; /* guint64, one per span */
  int group, lane;   /* final indices, -1 = none (set by finish) */
} ImpThread;

/* A B or E event kept for pairing in time order (TraceImport.be_sort) */
typedef struct
{
  double ts_ns;
  guint64 event_index;
  gsize offset; /* in the file (ImpEvent.offset) */
  gboolean is_end;
  ImpOpen open;   /* a B */
  guint32 end_id; /* an E's id (string id; "" is 0 too) */
  gboolean end_has_id;
  gboolean end_args;
  SimSpan end; /* an E's fields from its args (end_args) */
} ImpBe;

struct ImpProc
{
  char *key;
  char *name;
  gint64 num;
  gboolean numeric;
  int sort_index;
  gboolean has_sort;
  int kind_hint;     /* SimCoreKind from our own process_name args, -1 = none */
  gboolean has_counters;
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
  guint32 cat; /* string id of a v1 flow's cat; 0 = none or "flow" */
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
  /* B/E out of time order on a thread (or an E with no B): be_restart asks the reader to read
   * the file again with be_sort, which pairs every thread's B/E in time order at the end */
  gboolean be_sort, be_restart;
  guint64 append_key; /* be_sort: the span_keys entry of the next span (see ImpThread) */
  /* the last numeric (pid, tid) looked up: events come in runs on one thread */
  ImpProc *last_proc;
  gint64 last_pid;
  ImpThread *last_thread;
  gint64 last_tid;
  guint32 flow_name;        /* "flow", interned once */
  /* the first ts decides: past TRACE_IMPORT_ORIGIN_FROM_US, times are read relative to it (in
   * whole ns, ts_origin_ns != 0) and trace_import_finish recounts them from the earliest */
  gboolean ts_origin_decided;
  guint64 ts_origin_ns;
  guint32 intern_cache[256]; /* string ids by a hash of the text; 0 = empty */
  GString *extra;            /* a span's kept cat and args (SimSpan.extra) being put together */
  /* the kept events' pids (SimTrace.kept_events): keys ("#1", "$gpu") of every one, so a process
   * nothing of which is drawn keeps its name only where a kept event needs it; the numeric range,
   * so the pids made up for string pids and the chip-wide process avoid theirs; and where each
   * event on a string pid lies in kept_events, so it follows its process when the process gets a
   * number (trace_import_finish) */
  GHashTable *kept_pid_keys; /* key -> key (owned) */
  gint64 kept_pid_min, kept_pid_max;
  gboolean kept_numeric_pid;
  GArray *kept_on_string_pid; /* KeptRef */
} TraceImport;

typedef struct
{
  gsize offset, len; /* of the event's text in SimTrace.kept_events (without its '\n') */
  const char *key;   /* its pid's key, in kept_pid_keys */
} KeptRef;

TraceImport *trace_import_new (void);
/* be_sort: pair B/E in time order (a second reading; see TraceImport.be_restart) */
TraceImport *trace_import_new_sorting_be (void);
/* be_sort: pair every thread's kept B/E in time order, before trace_import_finish; on an error
 * the event's index and offset in the file (the reader says where it is) */
gboolean trace_import_pair_be (TraceImport *imp, guint64 *event_index, gsize *offset,
                               GError **error);
void trace_import_free (TraceImport *imp);
/* One event; index is its position in traceEvents (for messages). */
gboolean trace_import_event (TraceImport *imp, const ImpEvent *event, guint64 index,
                             GError **error);
/* Builds the trace (groups, lanes, flows, counters) and frees imp. */
SimTrace *trace_import_finish (TraceImport *imp, GError **error);

/* trace-import-value.c: values of one event (messages name the field) */
gboolean imp_fail (GError **error, SimTraceError code, const char *fmt, ...) G_GNUC_PRINTF (3, 4);
char *imp_raw_text (const ImpValue *v);
const char *imp_cstr (const ImpValue *v, char *buf, gsize size, char **owned);
guint32 imp_intern (TraceImport *imp, const ImpValue *v);
gboolean imp_as_double (const ImpValue *v, double *out);
gboolean imp_get_time (const ImpValue *v, const char *key, gboolean required, double *out_ns,
                       GError **error);
/* A required "ts": ns from imp->ts_origin_ns, exact to the picosecond when its decimal is. */
gboolean imp_get_ts (TraceImport *imp, const ImpValue *v, double *out_ns, GError **error);
gboolean imp_get_string (const ImpValue *v, const char *key, const ImpValue **out, GError **error);
gboolean imp_get_id (const ImpValue *v, const char *field_name, gint64 *num, gboolean *numeric,
                     GError **error);
char *imp_id_key (const ImpValue *v, gint64 num, gboolean numeric);
gpointer imp_lookup_key (GHashTable *table, const ImpValue *v, gint64 num, gboolean numeric,
                         char **made);
gboolean imp_is_true (const ImpValue *v);
gboolean imp_has_prefix (const ImpValue *v, const char *prefix);
gboolean imp_uint (const ImpValue *v, guint64 *out);
gint32 imp_index (const ImpValue *v);
char *imp_id_string (const ImpValue *v);

/* trace-json-ints.c: json-c reads an integer literal past 64 bits as the nearest bound; these
 * make every such literal of the text o was parsed from (one JSON value) serialise as written. */
void trace_json_keep_big_ints (json_object *o, const char *text, gsize len);
/* json_tokener_parse, keeping the text's integers past 64 bits (NULL when it is not JSON) */
json_object *trace_json_parse_keeping_ints (const char *text);

/* trace-gzip.c: the gzip magic bytes 1f 8b; inflate a whole gzip file (NUL-terminated result,
 * progress 0..1 over the compressed input, SIM_TRACE_ERROR_SYNTAX for bad or truncated data). */
gboolean trace_is_gzip (const char *data, gsize len);
char *trace_gzip_inflate (const char *data, gsize len, gsize *out_len, SimProgressFunc progress,
                          gpointer user_data, GError **error);

G_END_DECLS
