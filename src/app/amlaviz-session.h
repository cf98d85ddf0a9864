/* src/app/amlaviz-session.h — the session model: everything the window shows that is not pixels.
 *
 * Owns the kernel configuration, the current run (simulated or loaded from a file), the pinned run
 * (A in A/B compare), the visible time window, the selection, the measured range, the stage
 * stepping cursor and the collapsed/hidden groups — and a GActionGroup with one action per control
 * (preload, tiling, rescale, shapes, preset, zoom, pan, fit, step, pin, flows, cores), so the
 * window's widgets, the keyboard accelerators, the tests and `gapplication action` all drive the
 * same code.  Simulations and file loads run in GTask workers; a superseded run is cancelled and
 * only the newest result is swapped in.  Widgets listen to the signals and properties below.
 */
#pragma once

#include <gio/gio.h>
#include "kernels/amla.h"
#include "kernels/numerics.h"
#include "src/app/amlaviz-steps.h"
#include "src/render/export.h"
#include "src/render/timeline.h"

G_BEGIN_DECLS

#define AMLAVIZ_TYPE_SESSION (amlaviz_session_get_type ())
G_DECLARE_FINAL_TYPE (AmlavizSession, amlaviz_session, AMLAVIZ, SESSION, GObject)

/* settings may be NULL (tests): then nothing is remembered. */
AmlavizSession *amlaviz_session_new (GSettings *settings);

GActionGroup *amlaviz_session_get_actions (AmlavizSession *self);
const AmlaConfig *amlaviz_session_get_config (AmlavizSession *self);
/* The preset action's value for the hardware the opened trace recorded (not a preset of this
 * machine, or not as the preset of its name has it): a '/' no preset name holds. */
#define AMLAVIZ_SESSION_TRACE_HW "/trace"
/* The name of that hardware, NULL when the last opened trace recorded none of its own. */
const char *amlaviz_session_get_trace_hw_name (AmlavizSession *self);

/* The current (B) and pinned (A) traces; NULL when none.  Valid until the next trace-changed. */
const SimTrace *amlaviz_session_get_trace (AmlavizSession *self, gboolean pinned);
/* Metrics of a simulated run, NULL for a loaded trace. */
const SimMetrics *amlaviz_session_get_metrics (AmlavizSession *self, gboolean pinned);
/* "B=96 S_kv=4096 … · ascend910c" or the file name. */
const char *amlaviz_session_get_label (AmlavizSession *self, gboolean pinned);
/* Per group: 1 when not drawn ("one AIC group" mode) / collapsed; NULL when there is no trace. */
const guint8 *amlaviz_session_get_hidden (AmlavizSession *self, gboolean pinned);
const guint8 *amlaviz_session_get_collapsed (AmlavizSession *self, gboolean pinned);
void amlaviz_session_toggle_collapsed (AmlavizSession *self, gboolean pinned, int group);
gboolean amlaviz_session_get_show_flows (AmlavizSession *self);
/* Per counter of the shown trace: the hardware capacity in its unit, 0 = unknown. */
const double *amlaviz_session_get_counter_capacity (AmlavizSession *self, gboolean pinned,
                                                    guint *n);
/* Stages present in the shown trace (bit 1 << SimStage): the legend lists those. */
guint amlaviz_session_get_stage_mask (AmlavizSession *self, gboolean pinned);
/* Where the time axis counts from: a loaded trace's first event, 0 for a simulation. */
double amlaviz_session_get_time_origin (AmlavizSession *self);
/* Collapse / expand every drawn group (actions "collapse-all", "expand-all"). */
void amlaviz_session_set_all_collapsed (AmlavizSession *self, gboolean collapsed);
/* Pinned lanes stay at the top of the timeline, in A and B (matched by group and lane name).
 * Toggle one by position, or by "GROUP LANE" words (action "pin-lane", e.g. 'AIC0 CUBE');
 * "unpin-lanes" clears them.  Pairs of (group, lane) in the trace shown as pinned/current. */
void amlaviz_session_toggle_pinned_lane (AmlavizSession *self, gboolean pinned, int group, int lane);
gboolean amlaviz_session_pin_lane_by_name (AmlavizSession *self, const char *words);
void amlaviz_session_unpin_lanes (AmlavizSession *self);
const int *amlaviz_session_get_pinned_lanes (AmlavizSession *self, gboolean pinned, guint *n);

/* Visible time window, shared by A and B. */
void amlaviz_session_get_window (AmlavizSession *self, double *t0_ns, double *t1_ns);
void amlaviz_session_set_window (AmlavizSession *self, double t0_ns, double t1_ns);
/* factor > 1 zooms in, keeping anchor_ns where it is. */
void amlaviz_session_zoom (AmlavizSession *self, double factor, double anchor_ns);
/* Move the window by fraction of its width (positive = later times). */
void amlaviz_session_pan (AmlavizSession *self, double fraction);
void amlaviz_session_fit (AmlavizSession *self);

/* Selection of one span (group/lane/span index in the current or pinned trace). */
void amlaviz_session_select_span (AmlavizSession *self, gboolean pinned, int group, int lane,
                                  gsize span);
void amlaviz_session_clear_selection (AmlavizSession *self);
/* Select a span and show it: into the time window, its lane into view (details-pane links). */
void amlaviz_session_go_to_span (AmlavizSession *self, gboolean pinned, int group, int lane,
                                 gsize span);
/* Keyboard selection: dx = ±1 the previous/next span on the selected lane, dy = ±1 the nearest
 * span in time on the drawn lane above/below; with nothing selected, the span nearest the
 * window's centre on the first lane (actions "select-left/right/up/down"). */
void amlaviz_session_move_selection (AmlavizSession *self, int dx, int dy);
/* Collapse the group of the selected span (action "fold-group", Enter on the timeline). */
void amlaviz_session_fold_selected_group (AmlavizSession *self);
/* Select a flag (flow index; action "select-flow" for the current run): the details pane says who
 * set it and whom it let go, the arrow is drawn on top and the others fade. */
void amlaviz_session_select_flow (AmlavizSession *self, gboolean pinned, int flow);
int amlaviz_session_get_selected_flow (AmlavizSession *self, gboolean pinned);
/* sel_group is -1 when nothing is selected in that view. */
void amlaviz_session_get_selection (AmlavizSession *self, gboolean pinned, int *group, int *lane,
                                    gsize *span);
/* Measured range (shift-drag); t0 == t1 clears it. */
void amlaviz_session_set_range (AmlavizSession *self, double t0_ns, double t1_ns);
void amlaviz_session_get_range (AmlavizSession *self, double *t0_ns, double *t1_ns);

/* Stage stepping: -1 = none; the highlighted unit otherwise. */
int amlaviz_session_get_step_index (AmlavizSession *self);
const AmlavizStep *amlaviz_session_get_step (AmlavizSession *self);
guint amlaviz_session_get_n_steps (AmlavizSession *self);

/* Search (action "search" with the text; "search-next", "search-prev"): the query as in
 * src/render/search.h, compiled for each shown trace; "" clears it.  Matches are emphasised and
 * the rest dimmed; stepping selects the next/previous match of the current run in time, brings it
 * into the time window and its lane into view (signal "reveal-lane" (pinned, group, lane), after
 * expanding its group if collapsed).  Count is over the drawn groups of the current run; rank
 * (1-based) of the selected match, 0 if none. */
void amlaviz_session_set_search (AmlavizSession *self, const char *text);
const char *amlaviz_session_get_search_text (AmlavizSession *self);
const TlSearch *amlaviz_session_get_search (AmlavizSession *self, gboolean pinned);
guint64 amlaviz_session_get_search_count (AmlavizSession *self, guint64 *rank);
void amlaviz_session_search_step (AmlavizSession *self, gboolean forward);

/* Zoom to what is selected: the span, else the measured range, else the stepped unit, else the
 * whole run (action "zoom-to-selection", F, double-click). */
void amlaviz_session_zoom_to_selection (AmlavizSession *self);

/* Markers: coloured bands (or lines) with a label, kept across re-simulations and saved in the
 * trace's otherData.markers.  add: the selection, range or step if any, else the time under the
 * pointer (amlaviz_session_set_pointer_time), else the window's centre. */
void amlaviz_session_add_marker (AmlavizSession *self);
void amlaviz_session_add_marker_at (AmlavizSession *self, double t0_ns, double t1_ns,
                                    const char *label);
const TlMarker *amlaviz_session_get_markers (AmlavizSession *self, guint *n);
int amlaviz_session_get_marker_index (AmlavizSession *self);
void amlaviz_session_marker_step (AmlavizSession *self, gboolean forward);
void amlaviz_session_clear_markers (AmlavizSession *self);
void amlaviz_session_set_pointer_time (AmlavizSession *self, double t_ns /* NAN = none */);

/* Markup for the details pane (selection, range or step — whichever came last). */
const char *amlaviz_session_get_details (AmlavizSession *self);

gboolean amlaviz_session_get_busy (AmlavizSession *self);
/* Last error in words, NULL if none; clear with amlaviz_session_clear_error. */
const char *amlaviz_session_get_error (AmlavizSession *self);
void amlaviz_session_clear_error (AmlavizSession *self);
/* Show message in the window's error bar (for work done outside the session, e.g. app.export-to).
 */
void amlaviz_session_report_error (AmlavizSession *self, const char *message);
/* A foreign trace is shown: the kernel controls are disabled; the reason says why. */
gboolean amlaviz_session_get_read_only (AmlavizSession *self);
const char *amlaviz_session_get_read_only_reason (AmlavizSession *self);
/* File of the current trace (opened or saved), NULL for an unsaved simulation. */
const char *amlaviz_session_get_file (AmlavizSession *self);

/* Re-simulate the current configuration (also leaves a loaded trace); forgets the kept runs. */
void amlaviz_session_simulate (AmlavizSession *self);
/* Runs kept for toggles (amlaviz-session-runs.c): how many, and whether one is being simulated
 * ahead in the background now (or about to be). */
guint amlaviz_session_get_n_kept_runs (AmlavizSession *self);
gboolean amlaviz_session_get_running_ahead (AmlavizSession *self);
/* Whether the shown run (A, or the pinned B) recorded only what one-AIC-group mode draws (AIC 0
 * and its AIVs); it is completed (simulated again recording every core) when all cores are drawn
 * or held.  FALSE for a loaded trace and a complete run. */
gboolean amlaviz_session_get_partial (AmlavizSession *self, gboolean pinned);
/* Hold (TRUE) or release (FALSE) a need for every core's spans, as an open export dialog does:
 * while held, runs record every core and partial shown runs are completed. */
void amlaviz_session_hold_all_cores (AmlavizSession *self, gboolean hold);
/* The current trace with every core: its own, or for a partial run a new simulation of it
 * (returned in *owned, for the caller to free; this blocks for the simulation).  NULL with error
 * set if there is none or the simulation fails. */
const SimTrace *amlaviz_session_get_whole_trace (AmlavizSession *self, AmlaRun **owned,
                                                 GError **error);
/* Apply "preload=off tiling=on rescale=mul B=32 kv=8192 sq=1 H=64 rows=64 block=256
 * preset=ascend910b what-if=FIELD=VALUE" (any subset, any order; the words are the configuration
 * table's, kernels/amla-config-fields.h); FALSE with an error naming the bad word. */
gboolean amlaviz_session_configure (AmlavizSession *self, const char *words, GError **error);
/* Use config (every field) and re-simulate; FALSE with an error if it does not validate, names
 * an unknown preset or a what-if the preset rejects, or a foreign trace is shown (read-only). */
gboolean amlaviz_session_set_config (AmlavizSession *self, const AmlaConfig *config,
                                     GError **error);

/* Load a trace file (JSON, or gzip-compressed JSON) in a worker; the result (or the error)
 * arrives through the signals.  A newer open cancels an older one.  While it reads, "loading" is
 * TRUE and "load-progress" (0..1) moves; the action "cancel-open" is enabled. */
void amlaviz_session_open (AmlavizSession *self, const char *path);
/* Stop the file being opened (the reader's progress callback returns FALSE); the previous view
 * stays as it was and no error is shown. */
void amlaviz_session_cancel_open (AmlavizSession *self);
/* TRUE while a file is being opened; fraction (0..1) and the file's base name. */
gboolean amlaviz_session_get_loading (AmlavizSession *self, double *fraction, const char **name);
/* Write the current trace (atomically) in a worker. */
void amlaviz_session_save (AmlavizSession *self, const char *path);
/* Write the current run as an image (tl_export_file: atomic) in a worker; opt is copied.  The
 * callback runs in the main context; _finish says whether the file was written (amlaviz-session-
 * export.c). */
void amlaviz_session_export_image_async (AmlavizSession *self, const TlExportOptions *opt,
                                         const char *path, GAsyncReadyCallback callback,
                                         gpointer user_data);
gboolean amlaviz_session_export_image_finish (AmlavizSession *self, GAsyncResult *result,
                                              GError **error);

/* Numerics of the current run's shape (kernels/numerics.h: AMLA, AMLA without compensation and
 * FP-multiply FlashAttention against the exact softmax, on AMLA_NUM_DEFAULT_SAMPLE_ROWS rows of
 * generated normal inputs, seed 1).  Computed in a worker after a run whose H, S_q, S_kv or block
 * differ from the last report's (not for preload, tiling, rescale or preset, which do not change
 * the arithmetic); at most one computation runs, a superseded result is dropped.  The signal
 * "numerics-changed" says when the state or the report changed. */
typedef enum
{
  AMLAVIZ_NUMERICS_HIDDEN = 0, /* no run yet, or a foreign trace (no kernel configuration) */
  AMLAVIZ_NUMERICS_COMPUTING,
  AMLAVIZ_NUMERICS_READY,      /* *report is valid */
  AMLAVIZ_NUMERICS_TOO_LARGE,  /* S_kv above AMLAVIZ_NUMERICS_MAX_KV; *message says so */
  AMLAVIZ_NUMERICS_FAILED,     /* *message says why */
} AmlavizNumericsState;

#define AMLAVIZ_NUMERICS_MAX_KV 131072 /* as `amlasim numerics`: 302 MB of FP32 KV cache */

/* report and message may be NULL; they are set to NULL when not applicable. */
AmlavizNumericsState amlaviz_session_get_numerics (AmlavizSession *self,
                                                   const AmlaNumReport **report,
                                                   const char **message);

/* Iterate the default main context until no simulation/load/save/numerics is pending (tests,
 * scripts). */
void amlaviz_session_wait_idle (AmlavizSession *self);
/* On quit: cancel a running simulation and an open, then let a save finish, waiting at most
 * max_wait_ms (a worker stuck in the kernel must not keep the app from quitting). */
void amlaviz_session_quit (AmlavizSession *self, guint max_wait_ms);

G_END_DECLS
