/* kernels/amla.h — the AMLA MLA-decode kernel: configuration, program generator and one-call run.
 *
 * amla_program_build emits the per-core programs (C1/V1/C2/V2 stages, preload order, flags,
 * hierarchical tiling, AMLA integer-add or FP-multiply rescale) for a shape and options;
 * amla_run builds, simulates and annotates the trace's otherData so a saved trace can be
 * re-simulated.  Used by the CLI, the GUI and the sweep engine.
 */
#pragma once

#include <glib.h>
#include "sim/engine.h"
#include "sim/hw.h"

G_BEGIN_DECLS

#define AMLA_ERROR (amla_error_quark ())
GQuark amla_error_quark (void);

typedef enum
{
  AMLA_ERROR_INVALID, /* an option out of range: message names it and the allowed range */
  AMLA_ERROR_TOO_BIG, /* the run would need more memory than allowed (SimRunOptions) */
} AmlaError;

typedef enum
{
  AMLA_RESCALE_AMLA = 0, /* integer add of dn*2^23 on O's bit pattern, int32 atomic in GM */
  AMLA_RESCALE_MUL,      /* conventional: O through UB every block, FP32 multiply */
} AmlaRescale;

const char *amla_rescale_name (AmlaRescale r); /* "amla" / "mul" */
gboolean amla_rescale_parse (const char *s, AmlaRescale *out);

typedef struct
{
  int batch;       /* B: requests */
  int kv_len;      /* S_kv: cached tokens per request */
  int sq;          /* S_q: query tokens per request (1 + speculative) */
  int heads;       /* H: query heads sharing the latent KV head */
  int task_rows;   /* M: rows per task (0 = auto: H*S_q capped at 256, >= 128 when possible) */
  int block;       /* KV block, tokens (512) */
  gboolean preload;
  gboolean tiling;
  AmlaRescale rescale;
  char hw[128];    /* preset name or file */
  /* what-if changes to the preset's fields, "FIELD=VALUE FIELD=VALUE" ("" = the preset as is);
   * applied by amla_config_load_hw, kept in a trace's otherData so re-simulating keeps them */
  char what_if[256];
  /* the hardware a trace recorded (otherData.hw) when it is not a preset of this machine: a
   * preset file's JSON text, interned (g_intern_string) so copies of the config share it and it
   * is never freed.  NULL = hw names a preset or a file.  Set by amla_config_from_other_data;
   * setting hw through the field table (--hw, the preset action) clears it.  The base of the
   * what-ifs, as a preset is. */
  const char *hw_recorded;
} AmlaConfig;

#define AMLA_DEFAULT_BATCH 96
#define AMLA_DEFAULT_KV 4096
#define AMLA_DEFAULT_SQ 2
#define AMLA_DEFAULT_HEADS 128
#define AMLA_HEAD_DIM_QK 576 /* 512 latent + 64 rope */
#define AMLA_HEAD_DIM_V 512

void amla_config_init (AmlaConfig *cfg); /* the defaults above, all toggles on, ascend910c */
gboolean amla_config_validate (const AmlaConfig *cfg, GError **error);
/* 2·B·H·S_q·S_kv·(576+512) */
double amla_config_flops (const AmlaConfig *cfg);
/* "B=96 S_kv=4096 S_q=2 H=128 · preload on · tiling on · rescale amla · ascend910c" */
char *amla_config_describe (const AmlaConfig *cfg);
/* Add "FIELD=VALUE" to cfg->what_if (replacing an earlier change of the same field).  FALSE
 * if it is not of that form or the list would not fit; the values are checked on load. */
gboolean amla_config_add_what_if (AmlaConfig *cfg, const char *assignment, GError **error);
/* Apply every cfg->what_if change to hw (sim_hw_set; stops at the first bad one). */
gboolean amla_config_apply_what_if (const AmlaConfig *cfg, SimHw *hw, GError **error);
/* The preset cfg->hw names with every cfg->what_if change applied (errors: SIM_HW_ERROR). */
SimHw *amla_config_load_hw (const AmlaConfig *cfg, GError **error);
/* The hardware before the what-ifs: the recorded one (cfg->hw_recorded) or the preset cfg->hw
 * names (errors: SIM_HW_ERROR). */
SimHw *amla_config_load_base_hw (const AmlaConfig *cfg, GError **error);
/* x as a person would type it and exactly as it reads back: small whole numbers as such, else
 * the shortest %g that round-trips (9e+10, 0.5, 4.4e+12) — what-if values, sensitivity values. */
char *amla_format_number (double x);
/* Effective task rows for this config. */
int amla_config_task_rows (const AmlaConfig *cfg);

SimProgram *amla_program_build (const AmlaConfig *cfg, const SimHw *hw, GError **error);
/* The same, stopping between AI cores once *cancel is set (SIM_ENGINE_ERROR_CANCELLED): a big
 * program takes seconds to build, and the window must not wait for it to quit. */
SimProgram *amla_program_build_cancellable (const AmlaConfig *cfg, const SimHw *hw,
                                            gint *cancel, GError **error);
/* The same program, streamed (sim_program_set_source): each core's pieces (its credits, one turn
 * of the item loop, the drain and combine) are written as the engine issues them, so a run's
 * memory follows the cores, not the shape.  The engine's result is the built program's.  hw must
 * outlive the program; the program runs once. */
SimProgram *amla_program_stream (const AmlaConfig *cfg, const SimHw *hw, GError **error);
/* The memory a run of cfg will take (program, and with trace the spans it records), estimated
 * before anything big is allocated: the instructions of a probe of two KV blocks of the first
 * task times the blocks of the whole run.  Also returns the instruction estimate. */
guint64 amla_program_estimate_bytes (const AmlaConfig *cfg, const SimHw *hw, gboolean trace,
                                     guint64 *instructions);
/* The default memory limit of a run: $AMLAVIZ_MAX_MEMORY when set (a size, e.g. 8G: how the
 * window is limited), else half of this machine's physical memory. */
guint64 amla_default_memory_limit (void);
/* A size: bytes, or a number with K, M, G or T (powers of 1024; "iB"/"B" optional), e.g. 8G,
 * 512MiB, 1.5T.  FALSE on anything else or on 0. */
gboolean amla_parse_size (const char *s, guint64 *out);

typedef struct
{
  AmlaConfig config;
  SimHw *hw;          /* owned */
  SimResult *result;  /* trace (if recorded) + metrics */
} AmlaRun;

/* Build + simulate.  opt may be NULL (defaults: full trace).  hw may be NULL: then
 * amla_config_load_hw (cfg) (the preset with cfg's what-ifs).  A caller's hw is used as is. */
AmlaRun *amla_run (const AmlaConfig *cfg, const SimHw *hw, const SimRunOptions *opt,
                   GError **error);
void amla_run_free (AmlaRun *run);

/* otherData JSON for a run: generator, version, preset, config, metrics. */
char *amla_run_other_data_json (const AmlaRun *run);
/* Restore a config from a trace's otherData; FALSE if the trace is not ours.  The hardware is
 * otherData.hw as recorded (every field, name, description; checked as a preset file is):
 * cfg->hw_recorded unless it equals the preset of that name here in every value.  Fields an
 * older trace lacks come from the preset it names.  origin names the trace in errors (NULL:
 * "the trace"). */
gboolean amla_config_from_other_data (const char *other_data_json, AmlaConfig *cfg,
                                      GError **error);
gboolean amla_config_from_trace_other_data (const char *other_data_json, const char *origin,
                                            AmlaConfig *cfg, GError **error);
/* The run's metrics as otherData.metrics stored them (core_busy stays NULL); FALSE if the trace
 * carries none, so a reopened trace shows the same figures as the live run. */
gboolean amla_metrics_from_other_data (const char *other_data_json, SimMetrics *metrics,
                                       GError **error);

/* Explain the binding resource etc.: metrics JSON object text (for --json and otherData). */
char *amla_metrics_json (const AmlaRun *run);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AmlaRun, amla_run_free)

G_END_DECLS
