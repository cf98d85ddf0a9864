/* sim/engine.h — the discrete-event engine: runs a SimProgram on a SimHw and produces a trace and
 * metrics.  Jumps from event to event (instruction completions, flag arrivals, transfer
 * completions under shared bandwidth); never ticks cycle by cycle.  Errors: buffer capacity
 * (naming buffer, need, size), deadlock (which pipes wait on which flags), flag overflow.
 */
#pragma once

#include "sim/program.h"
#include "sim/metrics.h"
#include "sim/trace/trace.h"

G_BEGIN_DECLS

#define SIM_ENGINE_ERROR (sim_engine_error_quark ())
GQuark sim_engine_error_quark (void);

typedef enum
{
  SIM_ENGINE_ERROR_CAPACITY,
  SIM_ENGINE_ERROR_DEADLOCK,
  SIM_ENGINE_ERROR_FLAG,
  SIM_ENGINE_ERROR_CANCELLED,
} SimEngineError;

typedef struct
{
  gboolean record_trace;    /* build the span trace (off for sweeps: metrics only) */
  gboolean record_flows;    /* flag arrows */
  gboolean record_counters; /* buffer occupancy and GM bandwidth counters */
  gboolean record_scalar;   /* draw scalar/flag instructions as spans */
  double counter_bucket_ns; /* GM bandwidth counter resolution (0 = 1000 ns) */
  gint *cancel;     /* non-NULL and set: stop with SIM_ENGINE_ERROR_CANCELLED */
  int threads;              /* dies simulated at once (0 = one per processor, 1 = one thread);
                             * the result is the same for every value */
  guint64 max_memory_bytes; /* a run that would need more is refused before it allocates (checked
                             * by the program's builder, amla_run); 0 = half of physical memory */
  int trace_aic_first;      /* record spans only for AICs first .. first+count-1 and their AIVs */
  int trace_aic_count;      /* (the other groups stay, empty); 0 = every core */
  gboolean every_die;       /* simulate every die, even one shown to run what die 0 runs (below) */
} SimRunOptions;

void sim_run_options_init (SimRunOptions *opt); /* trace + flows + counters on */

typedef struct
{
  SimTrace *trace;   /* NULL when record_trace is off */
  SimMetrics metrics;
  double wall_ms;    /* host time spent simulating */
  int dies_mirrored; /* dies given die 0's results instead of being simulated (below) */
} SimResult;

/* Run a program.  The dies of a chip share nothing the engine models unless the program couples
 * them, so each runs as its own partition.  Die symmetry: when a streamed program has a twin
 * (sim_program_set_twin), the engine reads the twin to compare die 1's program with die 0's,
 * instruction by instruction, before or while die 0 runs.  Equal means every field the
 * simulation reads is equal, and the GM tiles of die 1 are die 0's moved by one offset per GM
 * region (the L2 sees the same hits and misses); with a trace, also the names and details of
 * what it records, and tasks one offset away.  Then die 1 would run exactly what die 0 runs, so
 * die 0's results (and recorded spans and flag arrows) are copied to it instead of simulated
 * again; at the first difference, or when a trace records a core of die 1 whose die-0
 * counterpart it does not, die 1 is simulated as usual.  The results are the same either way,
 * to the bit (every_die forces the second). */
SimResult *sim_engine_run (const SimProgram *prog, const SimRunOptions *opt, GError **error);
/* The engine's own memory per simulated core (state, flag counters, trace lanes), so a caller can
 * estimate a run's memory before building it. */
gsize sim_engine_core_bytes (const SimHw *hw, gboolean trace);
void sim_result_free (SimResult *res);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SimResult, sim_result_free)

G_END_DECLS
