/* kernels/sweep.h — parameter sweeps of the AMLA kernel: a grid of configurations, run on all CPU
 * cores, streamed as they finish, written to and read back from CSV.
 *
 * A grid is the cartesian product of value lists for each axis (hardware preset, heads, S_q,
 * batch, S_kv, task rows and the three toggles).  Values of an axis are kept sorted and
 * de-duplicated, so a grid has one deterministic order (the first axis of SweepAxis varies
 * slowest, rescale fastest) and every configuration has an index ("point") in [0, size).  Shard K
 * of N takes the points with point % N == K-1: disjoint, covering, and balanced in cost.
 *
 * sweep_run runs the points on a GThreadPool (metrics only, no trace), calling the result callback
 * in the calling thread, one result at a time — in grid order or as they finish.  Used by
 * `amlasim sweep`/`merge`, the plots (src/plot) and later the GUI's sweep view.  No GTK, no cairo.
 */
#pragma once

#include <glib.h>
#include "kernels/amla.h"
#include "sim/metrics.h"

G_BEGIN_DECLS

#define SWEEP_ERROR (sweep_error_quark ())
GQuark sweep_error_quark (void);

typedef enum
{
  SWEEP_ERROR_INVALID, /* a bad value or range; message names the axis and allowed range */
  SWEEP_ERROR_CANCELLED,
  SWEEP_ERROR_CSV,        /* a CSV file that is not ours, or rows that disagree */
  SWEEP_ERROR_INCOMPLETE, /* merge: duplicate or missing points */
} SweepError;

/* Axes in enumeration order: the first varies slowest. */
typedef enum
{
  SWEEP_AXIS_HW = 0,
  SWEEP_AXIS_HEADS,
  SWEEP_AXIS_SQ,
  SWEEP_AXIS_BATCH,
  SWEEP_AXIS_KV,
  SWEEP_AXIS_ROWS,
  SWEEP_AXIS_PRELOAD,
  SWEEP_AXIS_TILING,
  SWEEP_AXIS_RESCALE,
  SWEEP_N_AXES
} SweepAxis;

/* "hw", "heads", "sq", "batch", "kv", "rows", "preload", "tiling", "rescale" (the CSV column and
 * the CLI option name). */
const char *sweep_axis_name (SweepAxis axis);
/* Human label with unit for plots: "KV length S_kv (tokens)". */
const char *sweep_axis_label (SweepAxis axis);
gboolean sweep_axis_parse (const char *name, SweepAxis *out);
/* Numeric shape axes (batch, kv, sq, heads, rows) can be a plot's x axis. */
gboolean sweep_axis_is_numeric (SweepAxis axis);

typedef struct SweepGrid SweepGrid;

/* An empty grid: every axis holds the single value of base (amla_config_init if NULL) until
 * values are added to it. */
SweepGrid *sweep_grid_new (const AmlaConfig *base);
void sweep_grid_free (SweepGrid *grid);
SweepGrid *sweep_grid_copy (const SweepGrid *grid);

/* Add the values of a comma list to an axis (replacing the base value on first use).  Numeric
 * axes take integers and ranges "A..B" (step 1), "A..B+S" (arithmetic), "A..B*F" (geometric);
 * toggles take on/off, rescale amla/mul, hw preset names or files.  Range checks name the
 * option, e.g. "--kv must be an integer in [1, 1048576], got '0'". */
gboolean sweep_grid_add_values (SweepGrid *grid, SweepAxis axis, const char *list, GError **error);
/* preload, tiling and rescale take both values. */
void sweep_grid_all_toggles (SweepGrid *grid);

guint sweep_grid_axis_len (const SweepGrid *grid, SweepAxis axis);
/* Number of configurations (product of axis lengths). */
guint64 sweep_grid_size (const SweepGrid *grid);
/* The configuration at a point; index < size. */
void sweep_grid_config (const SweepGrid *grid, guint64 index, AmlaConfig *cfg);
/* Inverse of sweep_grid_config; FALSE if cfg is not on the grid. */
gboolean sweep_grid_index_of (const SweepGrid *grid, const AmlaConfig *cfg, guint64 *index);
/* Every configuration passes amla_config_validate; the error names the first bad point. */
gboolean sweep_grid_validate (const SweepGrid *grid, GError **error);
/* The preset names on the hw axis (NULL-terminated, owned by the grid). */
const char *const *sweep_grid_hw_names (const SweepGrid *grid);

/* The grid as amlasim sweep options, every axis spelled out in grid order ("--hw", "ascend910c",
 * "--heads", "128", ...; NULL-terminated, g_strfreev): options that rebuild the same grid. */
char **sweep_grid_to_args (const SweepGrid *grid);

/* A sweep's identity, 16 hex digits: the tool version, the grid (sweep_grid_to_args), every
 * preset's contents as loaded (each field's value) and the what-ifs.  Shards of one sweep share
 * it; a shard of another grid, preset or what-if does not.  NULL + error if a preset does not
 * load or a what-if does not apply. */
char *sweep_fingerprint (const SweepGrid *grid, const char *const *hw_set, GError **error);

/* --shard auto: K/N from the scheduler's environment (envp as g_get_environ gives it).  A Slurm
 * array job (SLURM_ARRAY_TASK_ID with SLURM_ARRAY_TASK_COUNT, or SLURM_ARRAY_TASK_MIN/MAX; the
 * array must step by 1) or a Kubernetes Indexed Job (JOB_COMPLETION_INDEX, 0-based, with
 * shards = N from --shards; 0 when not given).  0-based index and count; an error saying what
 * is missing when neither is set. */
gboolean sweep_shard_from_env (char **envp, guint shards, guint *shard_index, guint *shard_count,
                               GError **error);

/* Shard k of n (0-based k < n): the points with point % n == k.  n = 1 is the whole grid. */
guint64 sweep_shard_size (guint64 grid_size, guint shard_index, guint shard_count);
/* Parse "K/N" (1 <= K <= N <= 1000000) into 0-based index and count; error names --shard. */
gboolean sweep_shard_parse (const char *text, guint *shard_index, guint *shard_count,
                            GError **error);

/* One configuration's outcome: the configuration, its metrics (core_busy NULL) and the roofs of
 * its preset.  error is set (and metrics zero) if the simulation failed. */
typedef struct
{
  guint64 point;  /* index in the full grid */
  guint64 points; /* grid size */
  AmlaConfig config;
  SimMetrics metrics;
  double hbm_peak_bytes_per_s; /* whole chip: dies x HBM bandwidth, the roofline's slope */
  char *error;
  guint shard_index, shard_count; /* the shard that ran it (0, 1 unsharded; 0, 0 unknown) */
  char fingerprint[17];           /* sweep_fingerprint of its sweep ("" unknown: older CSV) */
} SweepResult;

/* A GArray of SweepResult that frees each result's error string. */
GArray *sweep_results_new (void);
/* Arithmetic intensity, FLOP per HBM byte (0 if no HBM traffic was counted). */
double sweep_result_intensity (const SweepResult *r);

/* Simulate one configuration (metrics only); the default calls amla_run.  Tests inject others. */
typedef gboolean (*SweepSimulateFunc) (const AmlaConfig *cfg, const SimHw *hw, gint *cancel,
                                       SimMetrics *metrics, gpointer user_data, GError **error);
/* Called one result at a time in the thread that called sweep_run — or, when
 * SweepRunOptions.context is set, from that GMainContext (the GUI runs sweep_run in a GTask
 * worker and passes its main context: each result arrives as an idle callback with a copy that
 * lives for the call).  done counts results delivered so far. */
typedef void (*SweepResultFunc) (const SweepResult *result, guint64 done, guint64 total,
                                 gpointer user_data);

typedef struct
{
  int threads;       /* worker threads; 0 = all processors */
  guint shard_index; /* 0-based */
  guint shard_count; /* 0 or 1 = whole grid */
  gboolean ordered;  /* deliver results in grid order (buffering), else as they finish */
  SweepResultFunc on_result;
  gpointer user_data;
  GMainContext *context;      /* NULL: call on_result in the calling thread; else dispatch there */
  gint *cancel;       /* set (g_atomic_int_set) to stop: pending points are skipped and
                                 running simulations stop */
  SweepSimulateFunc simulate; /* NULL = amla_run with record_trace off */
  gpointer simulate_data;
  const char *const *hw_set;  /* NULL or "FIELD=VALUE" what-ifs applied to every preset */
  const char *fingerprint;    /* NULL or sweep_fingerprint: stamped on every result */
} SweepRunOptions;

void sweep_run_options_init (SweepRunOptions *opt);

/* Run the (shard of the) grid; blocks until done.  Returns the results sorted by point, or NULL
 * with an error if a preset cannot be loaded, the grid is invalid or the run was cancelled.
 * A simulation that fails does not stop the sweep: its result carries the error. */
GArray *sweep_run (const SweepGrid *grid, const SweepRunOptions *opt, GError **error);

/* CSV: a header line and one row per result, columns point, points, the axes, then metrics. */
void sweep_csv_append_header (GString *out);
void sweep_csv_append_row (GString *out, const SweepResult *r);
char *sweep_csv_format (const GArray *results);
/* Parse a CSV written by sweep_csv_format, appending to results; origin names the file in
 * errors ("a.csv:12: ..."). */
gboolean sweep_csv_parse (const char *text, gsize len, const char *origin, GArray *results,
                          GError **error);

/* Merge support: sort results by point; fail on a duplicate point, on rows of different grids,
 * and (unless allow_gaps) on missing points, naming them.  On success the rows read as one
 * unsharded run wrote them (shard 1/1), so a merged CSV equals the unsharded one. */
gboolean sweep_results_check (GArray *results, gboolean allow_gaps, GError **error);
/* The grid spanned by a set of results (each axis: the distinct values seen). */
SweepGrid *sweep_grid_from_results (const GArray *results);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SweepGrid, sweep_grid_free)

G_END_DECLS
