/* sim/hw.h — hardware presets of an Ascend A2/A3 AI core chip.
 *
 * A preset is data (data/hw/<name>.json), never constants in code: every field has a value,
 * a one-line basis (where the number comes from) and an "assumed" mark for figures that are
 * not public.  Owned by the caller (sim_hw_free).  Used by the program generators (buffer sizes,
 * tile costs), the engine (bandwidths, latencies) and the metrics (peak FLOPS).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define SIM_HW_ERROR (sim_hw_error_quark ())
GQuark sim_hw_error_quark (void);

typedef enum
{
  SIM_HW_ERROR_NOT_FOUND,
  SIM_HW_ERROR_PARSE,
  SIM_HW_ERROR_FIELD,
} SimHwError;

typedef struct SimHw
{
  char *name;
  char *description;
  char *path; /* file it was loaded from */

  /* chip layout */
  int dies;
  int aic_per_die;
  int aiv_per_aic;
  double clock_mhz;

  /* Cube */
  double cube_flops_per_cycle;  /* 16x16x16 MACs x 2 = 8192 */
  double mmad_overhead_cycles;  /* fixed cost per MMAD instruction */

  /* on-core buffers, bytes */
  guint64 l1_bytes, l0a_bytes, l0b_bytes, l0c_bytes, ub_bytes;

  /* per-core data paths, bytes per cycle and start-up cycles per transfer */
  double mte2_l1_bytes_per_cycle;   /* AIC MTE2 GM -> L1 */
  double mte2_startup_cycles;
  double mte1_l0a_bytes_per_cycle;  /* AIC MTE1 L1 -> L0A */
  double mte1_l0b_bytes_per_cycle;  /* AIC MTE1 L1 -> L0B */
  double mte1_startup_cycles;
  double fixpipe_bytes_per_cycle;   /* AIC FixPipe L0C -> GM */
  double fixpipe_startup_cycles;
  double aiv_mte2_bytes_per_cycle;  /* AIV MTE2 GM -> UB */
  double aiv_mte3_bytes_per_cycle;  /* AIV MTE3 UB -> GM */
  double aiv_dma_startup_cycles;

  /* Vector: cost = max(vector_min_cycles, c * repeats), one repeat = vector_repeat_bytes */
  double vector_min_cycles;
  double vector_repeat_bytes;

  /* memory system, per die */
  double hbm_bytes_per_s;
  double l2_bytes_per_s;
  guint64 l2_bytes;
  double die_to_die_bytes_per_s; /* assumed */

  /* sync and overheads (assumed: not public) */
  double cross_core_latency_cycles;
  double flag_latency_cycles;      /* set_flag -> wait_flag within a core */
  double scalar_issue_cycles;      /* scalar cost per instruction issued */
  double atomic_extra_cycles;      /* fixed extra cost of an atomic-add transfer */
  double atomic_rate_factor;       /* atomic transfers stream at this fraction of the path rate */
  double atomic_l2_factor;         /* an atomic's bytes count this many times against L2 bandwidth */
  int event_ids;                   /* set_flag/wait_flag ids per (src, dst) pipe pair */
  int cross_flag_max_pending;      /* pending sets of one cross-core flag before the hardware hangs */
  int cross_wait_mode;             /* SimCrossWaitMode: what a cross-core wait holds up */
  int issue_queue_depth;           /* instructions a pipe's queue holds ahead of its execution */
  int fixpipe_unit_parts;          /* unitFlag: the FixPipe drains an L0C tile in this many parts
                                    * while the tile's last MMAD runs (1 = after the whole tile) */
} SimHw;

/* Where a cross-core wait (CrossCoreWaitFlag) takes effect; reference/amla_paper.md §11. */
typedef enum
{
  SIM_CROSS_WAIT_PIPE = 0,  /* it blocks only the pipe whose queue it sits in */
  SIM_CROSS_WAIT_CORE = 1,  /* every pipe stops at the wait's place in the program until the pipe
                             * it sits in reaches it and it completes (the stop-9 model) */
  SIM_CROSS_WAIT_ISSUE = 2, /* the Scalar executes it as it issues the program: issue stops while
                             * the flag is 0, instructions already queued on the pipes run on */
} SimCrossWaitMode;

/* One preset field with its provenance, for "amlasim hw" and the README. */
typedef struct
{
  const char *key;
  double value;
  const char *unit;
  const char *basis;
  gboolean assumed;
  gboolean what_if; /* changed by sim_hw_set after loading */
  double preset_value;     /* the value and mark as loaded, before any what-if: what a trace */
  gboolean preset_assumed; /* records so re-simulating it can undo the what-if (Clear) */
  double min, max;  /* the range a preset file (and sim_hw_set) accepts */
  gboolean integer; /* a whole number (counts, sizes, switches) */
} SimHwField;

/* name_or_path: a preset name ("ascend910c") looked up in the data directories, or a path to a
 * JSON file.  Unknown or missing fields are errors naming the field. */
SimHw *sim_hw_load (const char *name_or_path, GError **error);
SimHw *sim_hw_load_from_data (const char *json_text, gsize len, const char *origin, GError **error);
void sim_hw_free (SimHw *hw);
SimHw *sim_hw_dup (const SimHw *hw);

/* Derived figures. */
int sim_hw_aic_count (const SimHw *hw);
int sim_hw_aiv_count (const SimHw *hw);
double sim_hw_cycle_ns (const SimHw *hw);
double sim_hw_peak_flops (const SimHw *hw); /* whole chip, FLOP/s */

/* All fields with their basis, in file order; valid while hw lives. */
const SimHwField *sim_hw_fields (const SimHw *hw, gsize *n_fields);
/* What-if: set one field from "FIELD=VALUE" (range-checked as in a preset file).  The field is
 * then marked assumed and its basis names the preset's value.  FALSE + SIM_HW_ERROR_FIELD on an
 * unknown field, a value that is not a number, or one out of range; hw is then unchanged. */
gboolean sim_hw_set (SimHw *hw, const char *assignment, GError **error);

/* Preset names found in the data directories (sorted, NULL-terminated, g_strfreev). */
char **sim_hw_list_presets (void);
/* Directory searched for presets: $AMLAVIZ_DATA_DIR/hw, the source tree, the install dir. */
char *sim_hw_find_preset (const char *name);

#define SIM_HW_DEFAULT_PRESET "ascend910c"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SimHw, sim_hw_free)

G_END_DECLS
