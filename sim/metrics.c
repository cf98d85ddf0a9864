/* sim/metrics.c — names of paths and bounds (see metrics.h); the figures are computed by the
 * engine at the end of a run. */
#include "sim/metrics.h"

#include <string.h>

static const char *const path_names[SIM_N_PATHS] = {
  "GM->L1 (HBM)", "GM->L1 (L2 hit)", "L1->L0A",       "L1->L0B",       "L0C->GM",
  "L0C->GM atomic", "GM->UB (HBM)", "GM->UB (L2 hit)", "UB->GM",       "UB->GM atomic",
};

static const char *const path_keys[SIM_N_PATHS] = {
  "gm_l1_hbm", "gm_l1_l2", "l1_l0a", "l1_l0b", "l0c_gm",
  "l0c_gm_atomic", "gm_ub_hbm", "gm_ub_l2", "ub_gm", "ub_gm_atomic",
};

const char *
sim_path_name (SimPath path)
{
  return (int) path >= 0 && path < SIM_N_PATHS ? path_names[path] : "?";
}

const char *
sim_path_key (SimPath path)
{
  return (int) path >= 0 && path < SIM_N_PATHS ? path_keys[path] : "?";
}

const char *
sim_bound_name (SimBound bound)
{
  switch (bound)
    {
    case SIM_BOUND_CUBE:
      return "cube";
    case SIM_BOUND_VECTOR:
      return "vector";
    case SIM_BOUND_MEMORY:
      return "memory";
    default:
      return "sync";
    }
}

void
sim_metrics_clear (SimMetrics *m)
{
  g_free (m->core_busy);
  memset (m, 0, sizeof *m);
}
