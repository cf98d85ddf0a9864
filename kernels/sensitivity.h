/* kernels/sensitivity.h — "what drives this number?": how much the Cube utilisation of one
 * configuration moves when each assumed preset number moves.
 *
 * For a configuration (shape, toggles, preset, what-ifs) every field of the preset marked assumed
 * (SimHwField.assumed: "assumed": true in the preset file, or changed by a what-if) is set to a
 * low and a high value — ×0.5 and ×2 by default, clamped to the field's allowed range; the rules
 * live in one table in sensitivity.c and sensitivity_rule_describe prints them — and the kernel is
 * simulated at each end, for the configuration's rescale and for the other one (AMLA integer add
 * vs FP multiply), in parallel on a GThreadPool, metrics only.  The report has one row per
 * assumed field, sorted by the swing |util(high) − util(low)| of the configuration's rescale.
 *
 * Used by `amlasim sensitivity` (src/cli/cmd-sensitivity.c), the tornado chart (src/plot/tornado.c)
 * and the window's "What drives this number?" dialog.  No GTK, no cairo.
 */
#pragma once

#include <glib.h>
#include "kernels/amla.h"

G_BEGIN_DECLS

#define SENSITIVITY_ERROR (sensitivity_error_quark ())
GQuark sensitivity_error_quark (void);

typedef enum
{
  SENSITIVITY_ERROR_INVALID,   /* the base configuration cannot run; the message says why */
  SENSITIVITY_ERROR_CANCELLED, /* the cancel flag was set */
} SensitivityError;

/* How a field is varied (the rule table in sensitivity.c documents each). */
typedef enum
{
  SENSITIVITY_RULE_SCALE = 0, /* value × 0.5 and × 2, clamped; whole numbers rounded out */
  SENSITIVITY_RULE_FROM_ZERO, /* value 0 (a what-if): low = 0, high = the preset file's value */
  SENSITIVITY_RULE_SWITCH,    /* a mode (whole number, at most 3 allowed values): its others */
  SENSITIVITY_RULE_SKIPPED,   /* not varied; SensitivityRow.note says why */
  SENSITIVITY_N_RULES
} SensitivityRule;

/* "×0.5 / ×2", "0 → preset", "other values", "not varied" */
const char *sensitivity_rule_name (SensitivityRule rule);
/* One sentence: what the rule does and when it applies (the README's range table). */
const char *sensitivity_rule_describe (SensitivityRule rule);

/* One side of a row: the runs for one rescale method. */
typedef struct
{
  double util_low, util_high;   /* Cube utilisation 0..1 at the low / high value */
  double swing;                 /* |util_high − util_low|; NAN when a run failed */
  char *error_low, *error_high; /* NULL, or why that run failed */
} SensitivitySide;

typedef struct
{
  char *key; /* the preset field, e.g. "cross_core_latency_cycles" */
  const char *unit;
  SensitivityRule rule;
  double base, low, high;             /* values of the field */
  gboolean low_clamped, high_clamped; /* the factor hit the field's allowed range */
  gboolean what_if; /* the field was changed by a what-if, not assumed by the preset */
  char *note;       /* the reason for SKIPPED, or how the range was clamped; NULL if nothing */
  SensitivitySide side[2]; /* [0] the configuration's rescale, [1] the other one */
} SensitivityRow;

typedef struct
{
  AmlaConfig config;      /* the base configuration */
  char *preset;           /* the preset's name */
  AmlaRescale rescale[2]; /* [0] config.rescale, [1] the other */
  double base_util[2];    /* Cube utilisation of the base at each rescale, 0..1 */
  double base_total_ns[2];
  double peak_tflops;
  GArray *rows;      /* SensitivityRow, sorted: largest swing of side[0] first; rows with a
                        failed run, then skipped fields, last */
  char *other_error; /* NULL, or why the base fails at rescale[1] (its sides then carry
                        the error and a NAN swing) */
  guint runs;        /* simulations run (base + the ends that differ from the base) */
  double wall_s;     /* host time for the whole report */
} SensitivityReport;

void sensitivity_report_free (SensitivityReport *report);

/* Called in the thread that runs sensitivity_run after each simulation (done of total). */
typedef void (*SensitivityProgressFunc) (guint done, guint total, gpointer user_data);

typedef struct
{
  int threads;          /* worker threads; 0 = all processors */
  gint *cancel; /* set (g_atomic_int_set) from any thread to stop: pending runs are
                           skipped, running simulations stop; the result is CANCELLED */
  SensitivityProgressFunc progress;
  gpointer progress_data;
  gint *done;   /* if set, the number of finished runs (g_atomic_int_get from any
                          thread, e.g. a GUI timeout) */
} SensitivityOptions;

void sensitivity_options_init (SensitivityOptions *opt);

/* The rows sensitivity_run would fill — field, rule, base/low/high values — without simulating
 * (side[] zero).  hw: the preset with cfg's what-ifs applied (amla_config_load_hw); the preset as
 * its file has it is loaded to find the value a what-if replaced. */
GArray *sensitivity_plan (const AmlaConfig *cfg, const SimHw *hw, GError **error);

/* Run the base and every variant at both rescales; blocks until done.  NULL with an error if the
 * preset cannot be loaded, a what-if is bad, the base fails to simulate (SENSITIVITY_ERROR_INVALID)
 * or the run was cancelled (SENSITIVITY_ERROR_CANCELLED).  A variant that fails does not stop the
 * report: its side carries the error and a NAN swing. */
SensitivityReport *sensitivity_run (const AmlaConfig *cfg, const SensitivityOptions *opt,
                                    GError **error);

/* The report as a JSON object (json-c, pretty-printed): config, preset, rescales (["amla",
 * "mul"], the configuration's first), base {amla: {cube_utilization, total_ns}, mul: …},
 * other_error, peak_tflops, runs, wall_s, rules {id: description} and rows [{field, unit, rule,
 * base, low, high, low_clamped, high_clamped, what_if, note, amla: {util_low, util_high, swing,
 * error_low, error_high}, mul: {…}}] in the report's order.  Utilisations are fractions 0..1 like
 * `amlasim run --json`; a value that does not exist (a failed or skipped run) is null. */
char *sensitivity_report_json (const SensitivityReport *report);

/* Format a field value for tables and charts: "150", "0.5", "9e+10", "1 (on)". */
char *sensitivity_format_value (double value);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SensitivityReport, sensitivity_report_free)

G_END_DECLS
