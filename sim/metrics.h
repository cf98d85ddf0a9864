/* sim/metrics.h — figures of a run: time, FLOPs, utilisation, busy per pipe, overlap, bytes per
 * path, and what binds the kernel.  Computed from the engine's counters by sim_engine_run and kept
 * in the run result; the CLI prints them, the GUI shows them, otherData stores them.
 */
#pragma once

#include <glib.h>
#include "sim/trace/trace.h"

G_BEGIN_DECLS

typedef enum
{
  SIM_PATH_GM_TO_L1_HBM = 0, /* AIC MTE2, served from HBM */
  SIM_PATH_GM_TO_L1_L2,      /* AIC MTE2, L2 hit */
  SIM_PATH_L1_TO_L0A,
  SIM_PATH_L1_TO_L0B,
  SIM_PATH_L0C_TO_GM,        /* FixPipe (plain) */
  SIM_PATH_L0C_TO_GM_ATOMIC, /* FixPipe FP32 atomic add */
  SIM_PATH_GM_TO_UB_HBM,
  SIM_PATH_GM_TO_UB_L2,
  SIM_PATH_UB_TO_GM,
  SIM_PATH_UB_TO_GM_ATOMIC,  /* MTE3 int32/FP32 atomic add */
  SIM_N_PATHS
} SimPath;

const char *sim_path_name (SimPath path); /* "GM->L1 (HBM)" … */
const char *sim_path_key (SimPath path);  /* "gm_l1_hbm" … for JSON/CSV */

typedef enum
{
  SIM_BOUND_CUBE = 0,
  SIM_BOUND_VECTOR,
  SIM_BOUND_MEMORY,
  SIM_BOUND_SYNC,
} SimBound;

const char *sim_bound_name (SimBound bound); /* "cube", "vector", "memory", "sync" */

typedef struct
{
  double total_ns;
  double flops;            /* 2·B·H·S_q·S_kv·1088 exactly for AMLA */
  double tflops;
  double peak_tflops;
  double cube_utilization; /* achieved / peak, 0..1 */
  double busy_aic[SIM_N_PIPES]; /* mean busy fraction over AICs, per pipe (0 where absent) */
  double busy_aiv[SIM_N_PIPES]; /* mean over AIVs */
  double cube_vector_overlap;   /* fraction of time Cube and a Vector of the same group are both busy, mean over AICs */
  guint64 bytes[SIM_N_PATHS];
  guint64 hbm_bytes, l2_read_bytes;
  double hbm_busy;              /* mean fraction of HBM bandwidth used */
  guint64 l2_bytes;             /* bytes the L2s served or took (hits, writes, atomics as charged) */
  double l2_busy;               /* mean fraction of L2 bandwidth used */
  SimBound bound;
  char reason[256];
  guint64 instructions;         /* simulated instructions */
  guint64 events;               /* engine events processed */
  int n_aic, n_aiv;
  double *core_busy;            /* [n_cores * SIM_N_PIPES], cores in trace group order; may be NULL */
} SimMetrics;

void sim_metrics_clear (SimMetrics *m);

G_END_DECLS
