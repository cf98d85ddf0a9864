/* src/app/amlaviz-session-private.h — what the session's files share, nobody else includes it.
 *
 * The session model is one GObject split by concern: amlaviz-session.c (the object, the current
 * run, simulation, configuration, getters), -actions.c (the GAction table and its handlers, the
 * configure words), -files.c (open with progress and cancel, save), -view.c (time window,
 * selection, range, collapsed groups), -numerics.c (the numerics worker).  Functions here are
 * prefixed _amlaviz_session_ and are not part of the API (amlaviz-session.h is).
 */
#pragma once

#include "src/app/amlaviz-session.h"
#include "kernels/amla-config-fields.h"
#include "src/render/search.h"

G_BEGIN_DECLS

/* A shown trace: a simulated run or a loaded file; shared by "current" and "pinned". */
typedef struct
{
  AmlaRun *run;     /* simulated; NULL for a loaded trace */
  SimTrace *loaded; /* loaded from a file; NULL for a run */
  SimMetrics *loaded_metrics; /* a loaded amlaviz trace's otherData.metrics; NULL if none */
  char *label;
  int aiv_per_aic;
  /* a run that recorded only what one-AIC-group mode draws: AIC 0 and its AIVs (the other
   * cores' groups are in the trace, without lanes; metrics, extent and legend are whole-chip).
   * Recording all 144 cores is about a third of a default run's time; where every core is needed
   * (all cores drawn, a save, an export) the run is completed: simulated again recording
   * everything, which gives the same spans for AIC 0 (amlaviz-session-runs.c). */
  gboolean partial;
  gboolean complete_failed; /* its completion failed: not tried again (main thread only) */
  guint64 run_id;           /* a simulated run, the same for its completion (0: a loaded trace) */
} Shown;

/* The same run, though perhaps completed since (a save of a partial run still names it). */
static inline gboolean
shown_same_run (const Shown *a, const Shown *b)
{
  return a == b || (a != NULL && b != NULL && a->run_id != 0 && a->run_id == b->run_id);
}

static inline void
shown_clear (gpointer p)
{
  Shown *s = p;
  amla_run_free (s->run);
  sim_trace_free (s->loaded);
  g_free (s->loaded_metrics);
  g_free (s->label);
}

static inline Shown *
shown_ref (Shown *s)
{
  return s ? g_rc_box_acquire (s) : NULL;
}

static inline void
shown_unref (Shown *s)
{
  if (s)
    g_rc_box_release_full (s, shown_clear);
}

static inline const SimTrace *
shown_trace (const Shown *s)
{
  if (s == NULL)
    return NULL;
  return s->run ? s->run->result->trace : s->loaded;
}

/* The whole trace of s, for a worker that writes every core (save, export): s's own, or, for a
 * partial run, a new simulation of its configuration that records every core, returned in
 * *owned for the caller to free.  NULL with error set if that simulation fails.  Any thread. */
const SimTrace *_amlaviz_shown_full_trace (const Shown *s, AmlaRun **owned, GError **error);

struct _AmlavizSession
{
  GObject parent_instance;

  GSettings *settings;
  GSimpleActionGroup *actions;
  AmlaConfig config;
  gboolean all_cores, show_flows;

  Shown *current, *pinned;
  guint8 *hidden[2], *collapsed[2]; /* [0] current, [1] pinned */
  GHashTable *collapsed_names;      /* group names collapsed by the user, kept across runs */
  GPtrArray *pinned_lane_names;     /* "GROUP\tLANE" of lanes pinned at the top, kept across runs */
  int *pinned_lanes[2];             /* (group, lane) pairs of those in each shown trace */
  guint n_pinned_lanes[2];
  double *counter_capacity[2];      /* per counter of each shown trace, 0 = unknown */
  guint stage_mask[2];              /* stages present in each shown trace (the legend) */

  double t0_ns, t1_ns;
  gboolean sel_pinned;
  int sel_group, sel_lane;
  gsize sel_span;
  double range_t0_ns, range_t1_ns;
  int sel_flow; /* selected flag (flow index in the trace sel_pinned says), -1 = none */
  GArray *steps;
  int step_index;

  char *details;
  char *error;
  gboolean read_only;
  char *read_only_reason;
  char *file;

  GTask *run_task;         /* newest simulation; older ones were cancelled */
  GTask *complete_task[2]; /* completing the partial current [0] / pinned [1] run, or NULL */
  guint full_holds;        /* callers that need every core recorded (an open export dialog) */
  GPtrArray *kept;     /* Shown* of runs kept for toggles, newest first (amlaviz-session-runs.c) */
  GTask *ahead_task;   /* a run one toggle away, simulated in the background; or NULL */
  guint ahead_pending; /* runs ahead not yet called back (cancelled ones included) */
  guint ahead_timeout; /* the run ahead starts when this fires (after the frame is drawn) */
  guint busy_timeout;
  gboolean busy;
  guint pending;       /* simulations + loads + saves in flight */
  gboolean applying;   /* configure(): one run for several changes */
  /* the configuration of what is drawn (the shown run's, or the opened trace's), so a failed
   * simulation puts the controls back to it; have_ = FALSE when nothing of ours is drawn */
  AmlaConfig shown_config;
  gboolean have_shown_config;
  /* the hardware the last opened trace recorded (config.hw_recorded and its name), so the
   * preset action can go back to it (AMLAVIZ_SESSION_TRACE_HW); NULL = none */
  const char *trace_hw_recorded;
  char trace_hw_name[128];

  /* numerics of the current run's shape: at most one worker; num_want is the newest request */
  AmlavizNumericsState num_state;
  AmlaNumReport num_report; /* for num_cfg's shape, in NUMERICS_READY */
  AmlaConfig num_cfg;       /* shape of num_report, or of the running worker */
  AmlaConfig num_want;      /* shape the panel wants */
  GTask *num_task;
  char *num_message;

  /* search (amlaviz-session-find.c): compiled per shown trace; the current match in B */
  char *search_text;
  TlSearch *search[2];
  guint64 search_count;
  TlSearchHit search_hit; /* group -1: none */

  /* markers, sorted by start; kept across runs, saved in otherData.markers */
  GArray *markers;   /* TlMarker, labels owned */
  int marker_index;  /* the marker last added or jumped to, -1 = none */
  double pointer_ns; /* time under the pointer on a timeline, NAN when none */

  GTask *load_task; /* newest file being opened; an older one was cancelled */
  struct _AmlavizSessionSweep *sweep; /* amlaviz-session-sweep.c */
  double load_fraction;
  char *load_name;
};


enum
{
  PROP_0,
  PROP_BUSY,
  PROP_ERROR,
  PROP_READ_ONLY,
  PROP_DETAILS,
  PROP_FILE,
  PROP_LOADING,
  PROP_LOAD_PROGRESS,
  N_PROPS
};
extern GParamSpec *_amlaviz_session_properties[N_PROPS];

enum
{
  SIGNAL_TRACE_CHANGED,
  SIGNAL_VIEW_CHANGED,
  SIGNAL_CONFIG_CHANGED,
  SIGNAL_FILE_DONE,
  SIGNAL_NUMERICS_CHANGED,
  SIGNAL_REVEAL_LANE,
  N_SIGNALS
};
extern guint _amlaviz_session_signals[N_SIGNALS];

/* amlaviz-session.c */
void _amlaviz_session_set_error (AmlavizSession *self, const char *msg);
void _amlaviz_session_set_details (AmlavizSession *self, char *markup /* transfer full */);
void _amlaviz_session_set_file (AmlavizSession *self, const char *path);
void _amlaviz_session_view_changed (AmlavizSession *self);
void _amlaviz_session_update_enabled (AmlavizSession *self);
void _amlaviz_session_compute_groups (AmlavizSession *self, int which);
void _amlaviz_session_explain_step (AmlavizSession *self);
void _amlaviz_session_trace_changed (AmlavizSession *self);
void _amlaviz_session_replace_current (AmlavizSession *self, Shown *s /* transfer full */);
/* The completed run of a partial shown one (which: 0 current, 1 pinned; both if they are the
 * same): swapped in with the time window, the selection and the step kept. */
void _amlaviz_session_swap_completed (AmlavizSession *self, int which,
                                      Shown *full /* transfer full */);
void _amlaviz_session_work_started (AmlavizSession *self);
void _amlaviz_session_work_done (AmlavizSession *self);
void _amlaviz_session_config_changed (AmlavizSession *self);
void _amlaviz_session_sync_action_states (AmlavizSession *self);
gboolean _amlaviz_session_try_config (AmlavizSession *self, const AmlaConfig *cfg);
const AmlaConfigField *_amlaviz_session_field_of_action (const char *action);
GVariant *_amlaviz_session_field_state (const AmlaConfigField *f, const AmlaConfig *cfg);

/* amlaviz-session-runs.c */
void _amlaviz_session_cancel_run (AmlavizSession *self);
void _amlaviz_session_show_config (AmlavizSession *self);
void _amlaviz_session_keep_run (AmlavizSession *self, Shown *s /* transfer full */);
void _amlaviz_session_forget_runs (AmlavizSession *self);
void _amlaviz_session_run_ahead (AmlavizSession *self);
void _amlaviz_session_runs_init (AmlavizSession *self);
void _amlaviz_session_runs_dispose (AmlavizSession *self);
void _amlaviz_session_runs_finalize (AmlavizSession *self);
/* Whether runs must record every core (all cores drawn, or a hold): else they record only what
 * one-AIC-group mode draws (Shown.partial). */
gboolean _amlaviz_session_need_full (AmlavizSession *self);
/* If every core is needed, complete the shown runs that are partial (in the background; each
 * replaces its partial run when done, keeping the view and the selection). */
void _amlaviz_session_complete_runs (AmlavizSession *self);
/* Stop completing the current (0) or pinned (1) run: it is being replaced. */
void _amlaviz_session_cancel_completion (AmlavizSession *self, int which);

/* amlaviz-session-actions.c */
void _amlaviz_session_create_actions (AmlavizSession *self);

/* amlaviz-session-view.c: the extent of the shown runs (A and B); FALSE when there is none */
gboolean _amlaviz_session_run_extent (AmlavizSession *self, double *t0, double *t1);

/* amlaviz-session-find.c */
void _amlaviz_session_search_update (AmlavizSession *self);
void _amlaviz_session_find_init (AmlavizSession *self);
void _amlaviz_session_find_finalize (AmlavizSession *self);
/* otherData text with the markers added (transfer full); other_data may be NULL */
char *_amlaviz_session_other_data_with_markers (AmlavizSession *self, const char *other_data);
/* Replace the markers with otherData.markers of an opened trace (none: markers cleared). */
void _amlaviz_session_markers_from_other_data (AmlavizSession *self, const char *other_data);

/* amlaviz-session-sweep.c: its signals, its state and actions, freed in dispose */
typedef struct _AmlavizSessionSweep AmlavizSessionSweep;
void _amlaviz_session_sweep_class_init (AmlavizSessionClass *klass);
void _amlaviz_session_sweep_init (AmlavizSession *self);
void _amlaviz_session_sweep_free (AmlavizSession *self);

/* amlaviz-session-numerics.c */
void _amlaviz_session_numerics_update (AmlavizSession *self);

G_END_DECLS
