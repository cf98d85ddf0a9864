/* sim/engine-private.h — the engine's state, shared by its files (internal to sim/):
 *   engine.c          the event loop: issue, pipes, flags, events, and sim_engine_run
 *   engine-record.c   what a run records: trace layout, spans, occupancy, flows, bandwidth
 *   engine-metrics.c  the metrics of a finished run (utilisation, stalls, overlap, bound)
 *   engine-parts.c    die partitions and the threads that run them
 */
#pragma once

#include "sim/engine.h"
#include "sim/evqueue.h"
#include "sim/gm.h"
#include "sim/overlap.h"

G_BEGIN_DECLS

enum
{
  PIPE_READY = 0,
  PIPE_BUSY,
  PIPE_BLOCKED,
  PIPE_DONE,
};

enum
{
  BLOCK_NONE = -1, /* not blocked: block_kind is this whenever the state is not PIPE_BLOCKED, so
                    * that asking for one kind of block is one compare */
  BLOCK_FLAG = 0,
  BLOCK_CROSS,
  BLOCK_BARRIER,
  BLOCK_SYNC_ALL,
  BLOCK_FENCE, /* behind a cross-core wait that has not completed (the whole core waits) */
  BLOCK_ISSUE, /* everything issued to it is done: it waits for the Scalar to issue more */
};

/* The Scalar's issue of a core's program (SIM_CROSS_WAIT_ISSUE) */
enum
{
  ISSUE_RUN = 0,
  ISSUE_CROSS,   /* at a cross-core wait whose flag is 0 */
  ISSUE_QUEUE,   /* the next instruction's pipe queue is full */
  ISSUE_BARRIER, /* at pipe_barrier(PIPE_ALL): waits for every pipe to drain */
  ISSUE_DONE,
};

/* stall causes: which pipe set the flag a pipe waited for, or cross-core/barrier */
#define STALL_CROSS SIM_N_PIPES
#define STALL_BARRIER (SIM_N_PIPES + 1)
#define N_STALL (SIM_N_PIPES + 2)

#define MAX_CROSS_FLAGS SIM_MAX_CROSS_FLAGS
#define FLAG_RING 4
#define CROSS_RING 32

typedef struct
{
  gsize pc;
  int state;
  double start;
  double block_start;
  int block_kind;
  int block_key;
  int block_cause;
  int root_cause;
  double busy;
  double dma_cap; /* a GM transfer in its start-up: its rate cap (B/cycle) */
  guint8 l2_hit;
  guint8 level;
} PipeState;

typedef struct
{
  double t;
  int core, pipe;
} SetRecord;

typedef struct
{
  const SimCore *prog; /* the core's program, prog->cores[core]: one load on the hot paths */
  PipeState pipe[SIM_N_PIPES];
  int *flags;  /* [src][dst][id] counters */
  double *flag_vis; /* [key][FLAG_RING]: when each pending set becomes visible */
  guint8 *flag_head;
  int cross[MAX_CROSS_FLAGS];
  int cross_half[2][MAX_CROSS_FLAGS];
  int cross_head[MAX_CROSS_FLAGS], cross_count[MAX_CROSS_FLAGS];
  int half_head[2][MAX_CROSS_FLAGS], half_count[2][MAX_CROSS_FLAGS];
  int barrier_arrived;
  int n_pipes;
  gsize fence; /* next cross-core wait not yet passed (index into SimCore.fences) */
  gsize n_fences; /* 0 unless the preset's cross_wait_mode is SIM_CROSS_WAIT_CORE */
  /* issue (SIM_CROSS_WAIT_ISSUE): the Scalar walks SimCore.order and hands each instruction to
   * its pipe; a pipe runs only what has been issued to it */
  gsize opc;                      /* next entry of SimCore.order to issue */
  guint32 issued[SIM_N_PIPES];    /* per pipe: instructions issued so far */
  /* The issue walk's test, one compare per entry: per order entry value v (SIM_ORDER_PIPE |
   * SIM_ORDER_SLOT | SIM_ORDER_SPECIAL, 5 bits), icount[v] entries of that value were issued,
   * and the walk goes on past one only while icount[v] < ilimit[v]; otherwise issue_slow looks
   * at the entry.  ilimit is:
   *   a special entry: 0 (always looked at);
   *   an entry of pipe q whose pipe waits for issue (BLOCK_ISSUE): icount[v] (looked at: it is
   *     woken), for both values of q; ilimit_saved[q] keeps the slot limit meanwhile;
   *   otherwise, q | SIM_ORDER_SLOT: the slots q has retired + the depth, so that icount[v] <
   *     ilimit[v] is "q's queue has room" (queued = icount - (ilimit - depth)); q: no limit. */
  guint32 icount[32];
  guint32 ilimit[32];
  guint32 ilimit_saved[SIM_N_PIPES];
  int istate, ikey;               /* ISSUE_*; the flag or pipe it waits for */
  gboolean issuing;               /* inside issue(): a retire must not re-enter it */
  double occupancy[SIM_N_MEMS];
  SimOverlap ov; /* an AIC: its Cube's and its AIVs' Vector busy intervals, as the run goes */
  int ov_pipe;   /* the pipe whose busy intervals go to the overlap: CUBE (AIC) / VECTOR (AIV);
                  * -1: none (an AIV beyond the first two of its AIC) */
  SimOverlap *ov_to;     /* its AIC's overlap, and the list there its intervals go to */
  SimIntervals *ov_list; /* (sim_overlap_list): found once, not per span */
  SimCounter *occ_counter[SIM_N_MEMS];
  double stall[N_STALL]; /* per pipe of interest: we keep CUBE (AIC) / VECTOR (AIV) */
  int stall_pipe;        /* that pipe: SIM_PIPE_CUBE (AIC) / SIM_PIPE_VECTOR (AIV), found once */
  /* last: the sets' rings, 24 KiB a core, are touched only where a run sets cross-core flags;
   * everything above is a page or two, so a new run faults in that much per core */
  SetRecord cross_sets[MAX_CROSS_FLAGS][CROSS_RING];
  SetRecord half_sets[2][MAX_CROSS_FLAGS][CROSS_RING];
} CoreState;

enum
{
  EV_PIPE_DONE = 0,
  EV_FLAG, /* a: the flag key, b: its dst pipe */
  EV_CROSS,
  EV_DMA_STREAM,
};

typedef SimEvent Event;

typedef struct Engine_
{
  const SimProgram *prog;
  const SimHw *hw;
  const SimRunOptions *opt;
  CoreState *cores;
  SimEvQueue *events_q;
  SimGm *gm;
  double now;
  int n_ids;
  gboolean issue_model; /* cross_wait_mode == SIM_CROSS_WAIT_ISSUE */
  guint32 issue_depth;  /* places in each pipe's queue (issue_queue_depth, at least 1) */
  double mem_cap[SIM_N_MEMS]; /* each buffer's capacity (bytes; unbounded: G_MAXUINT64), as an
                               * ALLOC compares it */
  GError *error;
  double error_at; /* e->now when error was set: partitions report the earliest */
  SimTrace *trace;
  SimLane **lanes;         /* [core * SIM_N_PIPES + pipe] */
  int *core_group;         /* core -> trace group index */
  guint32 *str_map;        /* program string id -> trace string id (65536 entries) */
  double cycle_ns;         /* sim_hw_cycle_ns (hw), for the spans' times */
  guint *strings_mapped;   /* program strings str_map holds (shared by the partitions) */
  int *sync_expected, *sync_arrived;
  GArray **sync_waiters;   /* per barrier id: (core, pipe) pairs */
  int n_sync;
  guint64 events;
  guint64 flow_id;
  guint64 unrecorded_spans;  /* timed instructions of cores the trace leaves out */
  guint32 unrecorded_stages; /* and their stages (SimTrace.unrecorded_*) */
  SimMetrics *m;
  /* partitions: the dies of a chip share nothing the engine models (own HBM and L2, flags only
   * between an AIC and its AIVs), so each die runs as its own event loop, on its own thread when
   * there are processors for it.  A partition engine is a copy of the shared one with its own
   * clock, event queue, GM model, flows and byte counts; it touches only its own cores. */
  int die;                 /* the die this partition simulates; -1: all cores */
  GArray *flows;           /* SimFlow, this partition's (ids assigned when merged) */
  int n_parts;
  struct Engine_ *parts;   /* after the run: the partitions (GM bytes and counters per die) */
  gboolean coupled;        /* something crosses dies: run as one partition */
  /* die symmetry (sim/engine-mirror.c) */
  gboolean mirrored;                         /* a partition: given die 0's results, not simulated */
  guint64 mirror_instructions, mirror_flops; /* the mirrored dies' program (from the twin) */
  int dies_mirrored;
  /* a partition of a die a trace records (from the twin): its spans are die 0's with the same
   * names and details, and tasks moved by mirror_task_delta (a task of -1 stays); what it leaves
   * out (lanes not recorded) */
  gboolean mirror_trace;
  gboolean mirror_task_known;
  gint64 mirror_task_delta;
  guint64 mirror_unrecorded_spans;
  guint32 mirror_unrecorded_stages;
} Engine;

/* ---- helpers ---- */

/* the GM model that simulated a die */
static inline const SimGm *
die_gm (const Engine *e, int d)
{
  return e->n_parts > 1 ? e->parts[d].gm : e->parts[0].gm;
}

/* ---- partitions ---- */

static inline gboolean
core_in_part (const Engine *e, int core)
{
  return e->die < 0 || e->prog->cores[core].die == e->die;
}

/* engine.c */
gpointer _sim_eng_run_part (gpointer data);
/* engine-record.c */
guint32 _sim_eng_trace_str (Engine *e, guint16 id);
void _sim_eng_record_span (Engine *e, int core, int pipe, const SimInstr *in, double t0,
                           double t1);
void _sim_eng_record_occupancy (Engine *e, int core, int mem);
void _sim_eng_record_flow (Engine *e, const SetRecord *src, int dst_core, int dst_pipe,
                           const SimInstr *in);
void _sim_eng_build_trace_layout (Engine *e);
void _sim_eng_add_bandwidth_counters (Engine *e, double bucket_cycles);
/* engine-metrics.c */
void _sim_eng_compute_metrics (Engine *e, double wall_ms);
/* engine-parts.c */
void _sim_eng_run_partitions (Engine *e, double bucket_cycles);
/* engine-mirror.c */
gboolean _sim_eng_mirror_check (Engine *pe, SimProgram *twin, int die);
gboolean _sim_eng_die_stuck (const Engine *e, int die);
gboolean _sim_eng_can_mirror_trace (const Engine *e, int die);
gboolean _sim_eng_mirror_die (Engine *e, Engine *parts, int die);

G_END_DECLS
