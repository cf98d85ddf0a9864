/* sim/trace/trace.h — the in-memory trace: what was drawn, saved, loaded and measured.
 *
 * A trace is a list of groups (a core; a "process" in Chrome JSON), each with lanes (a pipe; a
 * "thread"), each lane a sorted array of compact spans.  Flows join a span end to a span start
 * (flags), counters are (time, value) series (buffer occupancy, GM bandwidth).  No json-c object is
 * kept: strings are interned once in the trace's string table.  The simulator fills it, the JSON
 * reader fills it from a file, the renderer and the metrics read it.  Times are nanoseconds from
 * the trace's origin (origin_ns).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  SIM_STAGE_NONE = 0,
  SIM_STAGE_C1,      /* Cube: S = Q K^T */
  SIM_STAGE_V1,      /* Vector: online softmax, P, AMLA exponent update */
  SIM_STAGE_C2,      /* Cube: O += P V */
  SIM_STAGE_V2,      /* Vector: final normalise O / l */
  SIM_STAGE_COMBINE, /* Vector: merge split-KV partial results */
  SIM_STAGE_SYNC,    /* flags, barriers */
  SIM_N_STAGES
} SimStage;

const char *sim_stage_name (SimStage stage);          /* "C1", ... "" for NONE */
SimStage sim_stage_from_name (const char *name);      /* case-insensitive; NONE if unknown */

typedef enum
{
  SIM_CORE_AIC = 0,
  SIM_CORE_AIV = 1,
  SIM_CORE_GENERIC = 2, /* a process of a foreign trace */
} SimCoreKind;

/* Pipes, in the lane order we draw them (AIC: MTE2 MTE1 CUBE FIXPIPE SCALAR; AIV: MTE2 VECTOR MTE3
 * SCALAR). */
typedef enum
{
  SIM_PIPE_MTE2 = 0,
  SIM_PIPE_MTE1,
  SIM_PIPE_CUBE,
  SIM_PIPE_FIXPIPE,
  SIM_PIPE_VECTOR,
  SIM_PIPE_MTE3,
  SIM_PIPE_SCALAR,
  SIM_N_PIPES,
  SIM_PIPE_NONE = -1,
} SimPipe;

const char *sim_pipe_name (SimPipe pipe);             /* "MTE2", "CUBE", "FIXPIPE", ... */
/* Accepts our names and Huawei's ("FIXP", "PIPE_M", "PIPE-V", "M", "V", "MTE2_1" …), any case. */
SimPipe sim_pipe_from_name (const char *name);
gboolean sim_pipe_on_core (SimPipe pipe, SimCoreKind kind);

enum
{
  SIM_SPAN_ATOMIC = 1 << 0,        /* atomic-add write */
  SIM_SPAN_L2_HIT = 1 << 1,        /* GM read served by L2 */
  SIM_SPAN_WAIT = 1 << 2,          /* a wait (flag/barrier) drawn as a span */
  SIM_SPAN_INSTANT = 1 << 3,       /* instant event (dur 0) */
  SIM_SPAN_SCOPE_GLOBAL = 1 << 4,  /* an instant's scope "g" (else "t", the thread) */
  SIM_SPAN_SCOPE_PROCESS = 1 << 5, /* an instant's scope "p" */
};

typedef struct
{
  double start_ns;
  double dur_ns;
  guint32 name;   /* string id */
  guint32 detail; /* string id: buffer / flag / free text; 0 = none */
  gint32 task;    /* -1 = none */
  gint32 iter;    /* KV block index within the task; -1 = none */
  guint64 bytes;
  guint64 flops;
  guint8 stage;   /* SimStage */
  guint8 flags;   /* SIM_SPAN_* */
  guint16 depth;  /* nesting depth for imported B/E and overlapping X (0 = top) */
  guint32 extra;  /* what an imported event has beyond these fields, kept to be written back
                   * (sim_span_extra): index + 1 in the trace's extras; 0 = none (always, for a
                   * simulated span) */
} SimSpan;

/* SimSpan.extra: the event's "cat" as its JSON text when it is not the name of the span's stage,
 * this byte, its "args" object as JSON text when our writer would not write the same members (a
 * key it does not know, or a value it would drop or spell differently), this byte again, and its
 * other top-level members ("cname", "tts" …) as JSON text, comma-separated; any part may be
 * empty.  JSON text outside strings has no control bytes, so the separator is unambiguous. */
#define SIM_SPAN_EXTRA_SEP '\x01'

typedef struct
{
  const char *cat, *args, *other; /* JSON text, not NUL-terminated at the lengths */
  gsize cat_len, args_len, other_len;
} SimSpanExtra;

typedef struct
{
  char *name;
  int tid;
  int sort_index;
  SimPipe pipe;      /* SIM_PIPE_NONE for a generic lane */
  SimSpan *spans;    /* sorted by start_ns after sim_trace_finish */
  gsize n_spans;
  gsize cap_spans;
  double max_dur_ns; /* longest span: bounds the binary search for the first visible span */
  guint16 max_depth;
  gboolean spans_in_slab; /* spans lie in the trace's slab (sim_trace_reserve_spans): not owned */
} SimLane;

typedef struct
{
  char *name;
  int pid;
  int sort_index;
  SimCoreKind kind;
  int core_index;   /* AIC i or AIV i; -1 for generic */
  int die;          /* -1 if unknown */
  GPtrArray *lanes; /* SimLane* */
} SimGroup;

typedef struct
{
  guint64 id;
  guint32 name;      /* string id */
  guint32 src_group, src_lane;
  guint32 dst_group, dst_lane;
  guint32 cat; /* string id of an imported flow's "cat" (PyTorch's "ac2g"); 0 = "flow", ours */
  double src_ns, dst_ns;
} SimFlow;
G_STATIC_ASSERT (sizeof (SimFlow) == 48); /* cat lives in former padding */

typedef struct
{
  char *name;     /* "L1 occupancy", "GM bandwidth" */
  char *unit;     /* "bytes", "GB/s" */
  int group;      /* index of the owning group, -1 = chip-wide */
  double *ts_ns;
  double *value;
  gsize n, cap;
  double max_value, min_value; /* the largest and smallest value (0 before the first point); a
                                * chart spans from min (min_value, 0) to max (max_value, 0) */
} SimCounter;

typedef struct SimTrace
{
  GPtrArray *groups;   /* SimGroup*, in draw order after sim_trace_finish */
  GArray *flows;       /* SimFlow */
  GPtrArray *counters; /* SimCounter* */
  GPtrArray *strings;  /* char*, id 0 = "" */
  GHashTable *string_ids;
  char *other_data_json; /* top-level otherData as JSON text, NULL if none */
  char *source;          /* file path or "simulation" */
  /* what every time above counts from, in whole ns on the file's clock: 0 for our simulations
   * and any trace that starts within 9e9 µs; a trace on a wall clock (µs since 1970: torch_npu,
   * Kineto, msprof) counts from its earliest time, so a double keeps its picoseconds.  ns, not
   * ps: 1.7e21 ps does not fit 64 bits.  The writer adds it back. */
  guint64 origin_ns;
  double start_ns, end_ns;
  guint64 n_spans;
  guint64 skipped_events; /* import: unknown phases etc. */
  /* a run that recorded some cores only (SimRunOptions.trace_aic_*): the spans it did not record
   * and their stages (bit 1 << SimStage), so a view can size the whole run and list every stage
   * the run has in its legend; 0 otherwise (not written to files) */
  guint64 unrecorded_spans;
  guint32 unrecorded_stages;
  GArray *span_slabs;     /* memory sim_trace_reserve_spans took for lanes; NULL if none */
  /* imported events' own cat and args (SimSpan.extra = index + 1), their text in one chunk;
   * NULL until the first (a simulation never has any) */
  GPtrArray *extras; /* const char*, into extra_text */
  GStringChunk *extra_text;
  GHashTable *extra_ids; /* text -> index + 1, for the extras with no args (a cat: a few) */
  /* imported events that are neither drawn nor read (other phases: async b/e/n, samples,
   * objects, marks …; metadata other than the names and sort indexes of processes and threads),
   * each as read with the whitespace between tokens removed and a '\n' after it: the writer
   * writes them back as they were.  NULL when none (a simulation never has any). */
  GString *kept_events;
  guint64 n_kept_events;
  /* the file's other top-level members (Kineto's schemaVersion, deviceProperties,
   * distributedInfo, traceName, baseTimeNanoseconds …), each "key":value as JSON text with a
   * '\n' after it, written back beside ours; NULL when none.  Not profilingType (the msprof
   * layout's mark, which the writer sets by flavour). */
  GString *top_members;
  /* the file's displayTimeUnit value as JSON text ("\"ms\""), written back in place of ours
   * ("ns"); NULL for ours and files without one */
  char *display_time_unit;
  guint64 n_kept_skipped; /* of them, events of phases not drawn (also in skipped_events) */
  gint64 kept_pid_min,
      kept_pid_max; /* their numeric pids: the writer's chip-wide pid avoids them */
} SimTrace;

SimTrace *sim_trace_new (void);
void sim_trace_free (SimTrace *trace);

guint32 sim_trace_intern (SimTrace *trace, const char *s);
/* A SimSpan.extra for text (sim_span_extra's layout): one of its own, or with shared, the one an
 * equal text got before.  Args are nearly all different (an event id in each): hashing them cost
 * more than the rest of reading them, so they are not shared. */
guint32 sim_trace_add_extra (SimTrace *trace, const char *text, gboolean shared);
const char *sim_trace_string (const SimTrace *trace, guint32 id);
/* The parts of s->extra (lengths 0 when absent); FALSE when the span keeps nothing. */
gboolean sim_span_extra (const SimTrace *trace, const SimSpan *s, SimSpanExtra *x);

SimGroup *sim_trace_add_group (SimTrace *trace, const char *name, int pid, int sort_index,
                               SimCoreKind kind, int core_index);
SimLane *sim_group_add_lane (SimGroup *group, const char *name, int tid, int sort_index,
                             SimPipe pipe);
SimLane *sim_trace_lane (const SimTrace *trace, guint group, guint lane);
SimSpan *sim_lane_append (SimLane *lane, const SimSpan *span);
/* Room for caps[i] spans in lanes[i] (those with less), all from one block of memory that asks
 * the kernel for huge pages: recording a run then touches a few 2 MiB pages instead of thousands
 * of 4 KiB ones, each a page fault (on these VMs a third of `run -o`).  Spans already held are
 * kept; a lane that outgrows its room moves to memory of its own.  The trace frees the block. */
void sim_trace_reserve_spans (SimTrace *trace, SimLane *const *lanes, const gsize *caps, guint n);
SimCounter *sim_trace_add_counter (SimTrace *trace, const char *name, const char *unit, int group);
void sim_counter_append (SimCounter *counter, double ts_ns, double value);
void sim_trace_add_flow (SimTrace *trace, const SimFlow *flow);

/* Sort groups and lanes by sort index, spans by start, compute extents and max durations. */
void sim_trace_finish (SimTrace *trace);

/* Keep only the groups with keep[g] != 0 (and their flows and counters; chip-wide counters
 * stay).  For writing a part of a big run. */
void sim_trace_keep_groups (SimTrace *trace, const guint8 *keep);

/* t_ns as µs on the file's clock (origin_ns added back), to the ns: "1717574400123456.789". */
char *sim_trace_clock_text (const SimTrace *trace, double t_ns);

/* Index of the first span in [from, n_spans) that starts at or after t_ns (n_spans if none):
 * one binary search over the sorted starts.  The one lower bound of the simulator, the renderer
 * and the search. */
gsize sim_lane_lower_bound (const SimLane *lane, gsize from, double t_ns);
/* Index of the first span that may overlap [t_ns, ...): the lower bound of t_ns - max_dur_ns. */
gsize sim_lane_first_visible (const SimLane *lane, double t_ns);
/* The lane's busy time: the length of the union of its spans (nested or overlapping spans count
 * once), ns.  Spans sorted by start (after sim_trace_finish). */
double sim_lane_busy_ns (const SimLane *lane);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SimTrace, sim_trace_free)

G_END_DECLS
