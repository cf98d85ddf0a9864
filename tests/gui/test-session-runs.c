/* tests/gui/test-session-runs.c — the runs the session keeps for toggles and simulates ahead
 * (src/app/amlaviz-session-runs.c), driven through its actions as the window and `gapplication
 * action` do; real simulations of a small shape.  No display needed. */
#include "src/app/amlaviz-application.h"
#include "src/app/amlaviz-session.h"
#include "sim/trace/trace-json.h"
#include "src/render/export.h"

#include <glib/gstdio.h>
#include <json-c/json.h>
#include <string.h>
#include <time.h>

static GSettings *settings;

static gboolean
deadline_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Iterate until cond holds (bounded: 60 s, then the test fails). */
#define WAIT_FOR(cond)                                                                             \
  do                                                                                               \
    {                                                                                              \
      gboolean late_ = FALSE;                                                                      \
      guint id_ = g_timeout_add_seconds (60, deadline_cb, &late_);                                 \
      while (!(cond) && !late_)                                                                    \
        g_main_context_iteration (NULL, TRUE);                                                     \
      g_assert_false (late_);                                                                      \
      g_source_remove (id_);                                                                       \
    }                                                                                              \
  while (0)

static const SimTrace *shown;
static guint changes;

static void
on_trace_changed (AmlavizSession *s, gpointer data)
{
  shown = amlaviz_session_get_trace (s, FALSE);
  changes++;
}

/* A session on a small shape, its first run shown (and, with keep-runs, its runs ahead done). */
static AmlavizSession *
new_session_shape (gboolean keep, int batch)
{
  g_settings_set_boolean (settings, "keep-runs", keep);
  AmlavizSession *s = amlaviz_session_new (settings);
  g_signal_connect (s, "trace-changed", G_CALLBACK (on_trace_changed), NULL);
  AmlaConfig cfg = *amlaviz_session_get_config (s);
  cfg.batch = batch;
  cfg.kv_len = 1024;
  g_autoptr (GError) error = NULL;
  g_assert_true (amlaviz_session_set_config (s, &cfg, &error));
  g_assert_no_error (error);
  WAIT_FOR (!amlaviz_session_get_busy (s) && amlaviz_session_get_trace (s, FALSE) != NULL
            && amlaviz_session_get_config (s)->batch == batch
            && amlaviz_session_get_trace (s, FALSE) == shown);
  WAIT_FOR (!amlaviz_session_get_running_ahead (s));
  return s;
}

static AmlavizSession *
new_session (gboolean keep)
{
  return new_session_shape (keep, 4);
}

/* B = 48: every AIC has work, AIC 0 (the one-group view) too; B = 4 leaves it idle */
#define BUSY_AIC0_BATCH 48

/* As the application quits: cancel what runs and wait for it (a task holds the session). */
static void
end_session (AmlavizSession *s)
{
  amlaviz_session_quit (s, 10000);
  g_object_unref (s);
}

static void
activate (AmlavizSession *s, const char *action, GVariant *param)
{
  guint before = changes;
  g_action_group_activate_action (amlaviz_session_get_actions (s), action, param);
  WAIT_FOR (changes > before && !amlaviz_session_get_busy (s));
}

/* A new simulation of cfg on two threads as a foreground run does; recording only AIC 0's group
 * (what one-AIC-group mode draws) when drawn_only. */
static AmlaRun *
fresh_run (const AmlaConfig *cfg, gboolean drawn_only)
{
  SimRunOptions opt;
  sim_run_options_init (&opt);
  if (drawn_only)
    {
      opt.trace_aic_first = 0;
      opt.trace_aic_count = 1;
    }
  g_autoptr (GError) error = NULL;
  AmlaRun *run = amla_run (cfg, NULL, &opt, &error);
  g_assert_no_error (error);
  return run;
}

/* What a new simulation of cfg measures, recording what the shown run recorded. */
static void
assert_same_as_fresh (const AmlavizSession *s_, const AmlaConfig *cfg)
{
  AmlavizSession *s = (AmlavizSession *) s_;
  g_autoptr (AmlaRun) fresh = fresh_run (cfg, amlaviz_session_get_partial (s, FALSE));
  const SimMetrics *m = amlaviz_session_get_metrics (s, FALSE);
  const SimTrace *t = amlaviz_session_get_trace (s, FALSE);
  g_assert_cmpfloat (m->total_ns, ==, fresh->result->metrics.total_ns);
  g_assert_cmpfloat (m->cube_utilization, ==, fresh->result->metrics.cube_utilization);
  g_assert_cmpuint (t->n_spans, ==, fresh->result->trace->n_spans);
  g_assert_cmpfloat (t->end_ns, ==, fresh->result->trace->end_ns);
}

/* The three runs one toggle away are simulated ahead; each toggle then shows one, identical to a
 * new simulation of its configuration; a toggle back shows the very run shown before. */
static void
test_ahead_and_back (void)
{
  AmlavizSession *s = new_session (TRUE);
  const SimTrace *first = amlaviz_session_get_trace (s, FALSE);
  g_assert_cmpuint (amlaviz_session_get_n_kept_runs (s), ==, 3); /* preload, tiling, rescale */
  activate (s, "tiling", NULL);
  g_assert_false (amlaviz_session_get_config (s)->tiling);
  g_assert_true (amlaviz_session_get_trace (s, FALSE) != first);
  assert_same_as_fresh (s, amlaviz_session_get_config (s));
  WAIT_FOR (!amlaviz_session_get_running_ahead (s));
  activate (s, "tiling", NULL); /* back */
  g_assert_true (amlaviz_session_get_trace (s, FALSE) == first);
  WAIT_FOR (!amlaviz_session_get_running_ahead (s));
  activate (s, "rescale", g_variant_new_string ("mul"));
  assert_same_as_fresh (s, amlaviz_session_get_config (s));
  /* never more than it may keep, however many toggles */
  const char *toggles[] = { "preload", "tiling", "preload", "tiling", "preload" };
  for (guint i = 0; i < G_N_ELEMENTS (toggles); i++)
    {
      WAIT_FOR (!amlaviz_session_get_running_ahead (s));
      activate (s, toggles[i], NULL);
      g_assert_cmpuint (amlaviz_session_get_n_kept_runs (s), <=, 4);
    }
  assert_same_as_fresh (s, amlaviz_session_get_config (s));
  end_session (s);
}

/* Toggles faster than the answers: the last one wins, whatever was kept, running ahead or
 * simulating, and nothing kept is lost or freed twice (ASan). */
static void
test_quick_toggles (void)
{
  AmlavizSession *s = new_session (TRUE);
  GActionGroup *a = amlaviz_session_get_actions (s);
  AmlaConfig before = *amlaviz_session_get_config (s); /* settings persist between tests */
  for (int i = 0; i < 7; i++)
    {
      g_action_group_activate_action (a, i % 3 == 2 ? "tiling" : "preload", NULL);
      g_main_context_iteration (NULL, FALSE);
    }
  WAIT_FOR (!amlaviz_session_get_busy (s) && !amlaviz_session_get_running_ahead (s));
  const AmlaConfig *c = amlaviz_session_get_config (s);
  g_assert_true (c->preload == !before.preload); /* five flips */
  g_assert_true (c->tiling == before.tiling);    /* two flips */
  const SimTrace *t = amlaviz_session_get_trace (s, FALSE);
  g_assert_true (t == shown);
  assert_same_as_fresh (s, c);
  end_session (s);
}

/* keep-runs off: nothing kept, nothing simulated ahead; turning it off gives the kept runs back,
 * and the simulate action (Ctrl+R) forgets them too. */
static void
test_keep_off (void)
{
  AmlavizSession *s = new_session (FALSE);
  g_assert_cmpuint (amlaviz_session_get_n_kept_runs (s), ==, 0);
  const SimTrace *first = amlaviz_session_get_trace (s, FALSE);
  g_autofree char *first_other = g_strdup (first->other_data_json);
  activate (s, "preload", NULL);
  activate (s, "preload", NULL);
  g_assert_false (amlaviz_session_get_running_ahead (s));
  g_assert_cmpuint (amlaviz_session_get_n_kept_runs (s), ==, 0);
  /* simulated again: not the first run's trace.  The new trace may be given the first one's freed
   * address, so an equal pointer is told apart by its otherData (its own sim_wall_ms) */
  const SimTrace *now = amlaviz_session_get_trace (s, FALSE);
  g_assert_true (now != first || g_strcmp0 (now->other_data_json, first_other) != 0);
  assert_same_as_fresh (s, amlaviz_session_get_config (s));

  g_settings_set_boolean (settings, "keep-runs", TRUE);
  WAIT_FOR (amlaviz_session_get_n_kept_runs (s) == 3 && !amlaviz_session_get_running_ahead (s));
  g_settings_set_boolean (settings, "keep-runs", FALSE);
  g_assert_cmpuint (amlaviz_session_get_n_kept_runs (s), ==, 0);
  g_settings_set_boolean (settings, "keep-runs", TRUE);
  WAIT_FOR (amlaviz_session_get_n_kept_runs (s) == 3 && !amlaviz_session_get_running_ahead (s));
  activate (s, "simulate", NULL);
  g_assert_cmpuint (amlaviz_session_get_n_kept_runs (s), ==, 1); /* the run it replaced */
  end_session (s); /* with a run ahead in flight: it is cancelled and waited for */
}

/* The spans of one group: identical lanes, and in each the same spans in the same order. */
static void
assert_same_group (const SimTrace *a, const SimTrace *b, guint g)
{
  const SimGroup *ga = g_ptr_array_index (a->groups, g), *gb = g_ptr_array_index (b->groups, g);
  g_assert_cmpstr (ga->name, ==, gb->name);
  g_assert_cmpuint (ga->lanes->len, ==, gb->lanes->len);
  for (guint l = 0; l < ga->lanes->len; l++)
    {
      const SimLane *la = g_ptr_array_index (ga->lanes, l), *lb = g_ptr_array_index (gb->lanes, l);
      g_assert_cmpstr (la->name, ==, lb->name);
      g_assert_cmpuint (la->n_spans, ==, lb->n_spans);
      for (gsize i = 0; i < la->n_spans; i++)
        {
          const SimSpan *x = &la->spans[i], *y = &lb->spans[i];
          g_assert_cmpfloat (x->start_ns, ==, y->start_ns);
          g_assert_cmpfloat (x->dur_ns, ==, y->dur_ns);
          g_assert_cmpstr (sim_trace_string (a, x->name), ==, sim_trace_string (b, y->name));
          g_assert_cmpint (x->task, ==, y->task);
          g_assert_cmpint (x->iter, ==, y->iter);
        }
    }
}

static guint64
group_spans (const SimTrace *t, guint g)
{
  const SimGroup *grp = g_ptr_array_index (t->groups, g);
  guint64 n = 0;
  for (guint l = 0; l < grp->lanes->len; l++)
    n += ((const SimLane *) g_ptr_array_index (grp->lanes, l))->n_spans;
  return n;
}

/* One-AIC-group mode: the run records only the drawn cores (AIC 0, AIV 0 and 1), exactly as a
 * run recording every core draws them, with the whole chip's metrics and extent; the other
 * groups are there, empty and hidden. */
static void
test_partial_drawn_only (void)
{
  g_settings_set_boolean (settings, "all-cores", FALSE);
  AmlavizSession *s = new_session_shape (FALSE, BUSY_AIC0_BATCH);
  g_assert_true (amlaviz_session_get_partial (s, FALSE));
  const SimTrace *t = amlaviz_session_get_trace (s, FALSE);
  g_autoptr (AmlaRun) whole = fresh_run (amlaviz_session_get_config (s), FALSE);
  const SimTrace *w = whole->result->trace;
  g_assert_cmpuint (t->groups->len, ==, w->groups->len);
  g_assert_cmpfloat (t->start_ns, ==, w->start_ns);
  g_assert_cmpfloat (t->end_ns, ==, w->end_ns);
  g_assert_cmpfloat (amlaviz_session_get_metrics (s, FALSE)->total_ns, ==,
                     whole->result->metrics.total_ns);
  g_assert_cmpfloat (amlaviz_session_get_metrics (s, FALSE)->cube_utilization, ==,
                     whole->result->metrics.cube_utilization);
  const guint8 *hidden = amlaviz_session_get_hidden (s, FALSE);
  guint64 drawn = 0;
  for (guint g = 0; g < t->groups->len; g++)
    if (!hidden[g])
      {
        assert_same_group (t, w, g);
        drawn += group_spans (w, g);
      }
    else
      g_assert_cmpuint (group_spans (t, g), ==, 0);
  g_assert_cmpuint (t->n_spans, ==, drawn);
  g_assert_cmpuint (t->n_spans * 10, <, w->n_spans); /* it did save the recording */
  end_session (s);
}

/* Drawing all cores completes the partial run in the background: every core's spans then, the
 * same as a new simulation, with the selection, the time window and the drawn group as they were;
 * back in one-group mode the complete run stays. */
static void
test_all_cores_completes (void)
{
  g_settings_set_boolean (settings, "all-cores", FALSE);
  AmlavizSession *s = new_session_shape (FALSE, BUSY_AIC0_BATCH);
  g_assert_true (amlaviz_session_get_partial (s, FALSE));
  const SimTrace *part = amlaviz_session_get_trace (s, FALSE);
  /* a span of the drawn group: the sixth of its first lane that has six */
  int sel_g = -1, sel_l = -1;
  for (guint g = 0; g < part->groups->len && sel_g < 0; g++)
    {
      const SimGroup *grp = g_ptr_array_index (part->groups, g);
      for (guint l = 0;
           l < grp->lanes->len && sel_g < 0 && !amlaviz_session_get_hidden (s, FALSE)[g]; l++)
        if (((const SimLane *) g_ptr_array_index (grp->lanes, l))->n_spans > 5)
          sel_g = (int) g, sel_l = (int) l;
    }
  g_assert_cmpint (sel_g, >=, 0);
  amlaviz_session_select_span (s, FALSE, sel_g, sel_l, 5);
  const SimSpan *was = &sim_trace_lane (part, (guint) sel_g, (guint) sel_l)->spans[5];
  double was_start = was->start_ns, was_dur = was->dur_ns;
  g_autofree char *was_name = g_strdup (sim_trace_string (part, was->name));
  double t0 = part->end_ns * 0.25, t1 = part->end_ns * 0.5, a, b;
  amlaviz_session_set_window (s, t0, t1);
  GActionGroup *acts = amlaviz_session_get_actions (s);
  g_action_group_change_action_state (acts, "all-cores", g_variant_new_boolean (TRUE));
  /* until the complete run is there, only the drawn group is shown */
  if (amlaviz_session_get_partial (s, FALSE))
    g_assert_true (amlaviz_session_get_hidden (s, FALSE)[part->groups->len - 1]);
  WAIT_FOR (!amlaviz_session_get_partial (s, FALSE) && !amlaviz_session_get_busy (s));
  const SimTrace *t = amlaviz_session_get_trace (s, FALSE);
  g_assert_true (t == shown);
  assert_same_as_fresh (s, amlaviz_session_get_config (s));
  for (guint g = 0; g < t->groups->len; g++)
    g_assert_false (amlaviz_session_get_hidden (s, FALSE)[g]);
  int sg, sl;
  gsize si;
  amlaviz_session_get_selection (s, FALSE, &sg, &sl, &si);
  g_assert_cmpint (sg, ==, sel_g);
  g_assert_cmpint (sl, ==, sel_l);
  g_assert_cmpuint (si, ==, 5);
  const SimSpan *now = &sim_trace_lane (t, (guint) sg, (guint) sl)->spans[si];
  g_assert_cmpfloat (now->start_ns, ==, was_start); /* the very span selected before */
  g_assert_cmpfloat (now->dur_ns, ==, was_dur);
  g_assert_cmpstr (sim_trace_string (t, now->name), ==, was_name);
  amlaviz_session_get_window (s, &a, &b);
  g_assert_cmpfloat (a, ==, t0);
  g_assert_cmpfloat (b, ==, t1);
  /* all cores drawn: a toggle records every core */
  activate (s, "preload", NULL);
  g_assert_false (amlaviz_session_get_partial (s, FALSE));
  assert_same_as_fresh (s, amlaviz_session_get_config (s));
  g_action_group_change_action_state (acts, "all-cores", g_variant_new_boolean (FALSE));
  g_assert_false (amlaviz_session_get_partial (s, FALSE));
  t = amlaviz_session_get_trace (s, FALSE);
  g_assert_true (amlaviz_session_get_hidden (s, FALSE)[t->groups->len - 1]);
  activate (s, "preload", NULL);
  g_assert_true (amlaviz_session_get_partial (s, FALSE));
  end_session (s);
  g_settings_set_boolean (settings, "all-cores", FALSE);
}

/* A kept run that recorded only the drawn group does not answer a toggle once every core is
 * drawn: the toggle shows a complete run. */
static void
test_kept_partial_not_for_all_cores (void)
{
  g_settings_set_boolean (settings, "all-cores", FALSE);
  AmlavizSession *s = new_session_shape (TRUE, BUSY_AIC0_BATCH);
  g_assert_cmpuint (amlaviz_session_get_n_kept_runs (s), ==, 3); /* partial, like the shown one */
  g_action_group_change_action_state (amlaviz_session_get_actions (s), "all-cores",
                                      g_variant_new_boolean (TRUE));
  WAIT_FOR (!amlaviz_session_get_partial (s, FALSE) && !amlaviz_session_get_busy (s));
  activate (s, "tiling", NULL);
  g_assert_false (amlaviz_session_get_partial (s, FALSE));
  assert_same_as_fresh (s, amlaviz_session_get_config (s));
  end_session (s);
  g_settings_set_boolean (settings, "all-cores", FALSE);
}

static void
on_file_done (AmlavizSession *s, const char *path, gpointer data)
{
  *(gboolean *) data = TRUE;
}

/* Saving a partial run writes every core: the file reads back with the whole run's spans. */
static void
test_save_partial_writes_all (void)
{
  g_settings_set_boolean (settings, "all-cores", FALSE);
  AmlavizSession *s = new_session_shape (FALSE, BUSY_AIC0_BATCH);
  g_assert_true (amlaviz_session_get_partial (s, FALSE));
  g_autofree char *dir = g_dir_make_tmp ("amlaviz-partial-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "run.json", NULL);
  gboolean saved = FALSE;
  g_signal_connect (s, "file-done", G_CALLBACK (on_file_done), &saved);
  amlaviz_session_save (s, path);
  WAIT_FOR (saved && !amlaviz_session_get_busy (s));
  g_assert_null (amlaviz_session_get_error (s));
  g_autoptr (GError) error = NULL;
  g_autoptr (SimTrace) back = sim_trace_read_json (path, NULL, NULL, &error);
  g_assert_no_error (error);
  g_autoptr (AmlaRun) whole = fresh_run (amlaviz_session_get_config (s), FALSE);
  g_assert_cmpuint (back->n_spans, ==, whole->result->trace->n_spans);
  g_assert_cmpuint (back->groups->len, ==, whole->result->trace->groups->len);
  /* the whole-trace accessor of the export-to action gives the same */
  g_autoptr (AmlaRun) owned = NULL;
  const SimTrace *w = amlaviz_session_get_whole_trace (s, &owned, &error);
  g_assert_no_error (error);
  g_assert_nonnull (owned);
  g_assert_cmpuint (w->n_spans, ==, whole->result->trace->n_spans);
  g_unlink (path);
  g_rmdir (dir);
  end_session (s);
}

/* A/B compare: the pinned run and the current one both recorded one group; drawing all cores
 * completes both, each equal to a new simulation of its configuration. */
static void
test_pinned_completes (void)
{
  g_settings_set_boolean (settings, "all-cores", FALSE);
  AmlavizSession *s = new_session_shape (FALSE, BUSY_AIC0_BATCH);
  GActionGroup *acts = amlaviz_session_get_actions (s);
  g_action_group_change_action_state (acts, "pin-a", g_variant_new_boolean (TRUE));
  AmlaConfig pinned_cfg = *amlaviz_session_get_config (s);
  activate (s, "preload", NULL);
  g_assert_true (amlaviz_session_get_partial (s, FALSE));
  g_assert_true (amlaviz_session_get_partial (s, TRUE));
  g_action_group_change_action_state (acts, "all-cores", g_variant_new_boolean (TRUE));
  WAIT_FOR (!amlaviz_session_get_partial (s, FALSE) && !amlaviz_session_get_partial (s, TRUE)
            && !amlaviz_session_get_busy (s));
  assert_same_as_fresh (s, amlaviz_session_get_config (s));
  g_autoptr (AmlaRun) b = fresh_run (&pinned_cfg, FALSE);
  g_assert_cmpuint (amlaviz_session_get_trace (s, TRUE)->n_spans, ==, b->result->trace->n_spans);
  g_assert_cmpfloat (amlaviz_session_get_metrics (s, TRUE)->total_ns, ==,
                     b->result->metrics.total_ns);
  g_action_group_change_action_state (acts, "pin-a", g_variant_new_boolean (FALSE));
  end_session (s);
  g_settings_set_boolean (settings, "all-cores", FALSE);
}

static void
count_notify (GObject *obj, GParamSpec *pspec, gpointer data)
{
  (*(guint *) data)++;
}

/* A completion that fails (the preset edited on disk into something unreadable) says so once and
 * is not tried again for that run; the drawn group stays as it was. */
static void
test_failed_completion_once (void)
{
  g_settings_set_boolean (settings, "all-cores", FALSE);
  g_autofree char *data = g_dir_make_tmp ("amlaviz-data-XXXXXX", NULL);
  g_autofree char *hw_dir = g_build_filename (data, "hw", NULL);
  g_autofree char *preset = g_build_filename (hw_dir, "ascend910c.json", NULL);
  g_autofree char *orig
      = g_build_filename (g_getenv ("AMLAVIZ_DATA_DIR"), "hw", "ascend910c.json", NULL);
  g_autofree char *text = NULL;
  g_assert_true (g_file_get_contents (orig, &text, NULL, NULL));
  g_assert_cmpint (g_mkdir (hw_dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (preset, text, -1, NULL));
  g_autofree char *saved_dir = g_strdup (g_getenv ("AMLAVIZ_DATA_DIR"));
  g_setenv ("AMLAVIZ_DATA_DIR", data, TRUE);
  AmlavizSession *s = new_session_shape (FALSE, BUSY_AIC0_BATCH);
  g_assert_true (amlaviz_session_get_partial (s, FALSE));
  g_assert_true (g_file_set_contents (preset, "{ broken", -1, NULL));
  guint errors = 0;
  g_signal_connect (s, "notify::error", G_CALLBACK (count_notify), &errors);
  g_action_group_change_action_state (amlaviz_session_get_actions (s), "all-cores",
                                      g_variant_new_boolean (TRUE));
  /* and the numerics of the new shape, computed in a worker meanwhile, done too */
  WAIT_FOR (errors > 0 && !amlaviz_session_get_busy (s)
            && amlaviz_session_get_numerics (s, NULL, NULL) != AMLAVIZ_NUMERICS_COMPUTING);
  /* half a second more: no completion started again.  Each would fail within milliseconds (too
   * soon for the spinner, with the same message), so what shows a loop is the processor time
   * the process spends meanwhile: a loop takes most of it, an idle session next to none. */
  gboolean late = FALSE;
  clock_t cpu0 = clock ();
  g_timeout_add (500, deadline_cb, &late);
  while (!late)
    g_main_context_iteration (NULL, TRUE);
  double cpu_ms = (double) (clock () - cpu0) * 1000.0 / CLOCKS_PER_SEC;
  g_test_message ("processor time while idle: %.1f ms in 500 ms", cpu_ms);
  g_assert_cmpfloat (cpu_ms, <, 150);
  g_assert_cmpuint (errors, ==, 1);
  g_assert_false (amlaviz_session_get_busy (s));
  g_assert_true (amlaviz_session_get_partial (s, FALSE));
  g_assert_nonnull (strstr (amlaviz_session_get_error (s), "every core"));
  end_session (s);
  g_setenv ("AMLAVIZ_DATA_DIR", saved_dir, TRUE);
  g_unlink (preset);
  g_rmdir (hw_dir);
  g_rmdir (data);
  g_settings_set_boolean (settings, "all-cores", FALSE);
}

/* Quitting while a run is being completed stops it: nothing is simulated or shown afterwards. */
static void
test_quit_during_completion (void)
{
  g_settings_set_boolean (settings, "all-cores", FALSE);
  AmlavizSession *s = new_session_shape (TRUE, BUSY_AIC0_BATCH);
  g_action_group_change_action_state (amlaviz_session_get_actions (s), "all-cores",
                                      g_variant_new_boolean (TRUE));
  g_assert_true (amlaviz_session_get_partial (s, FALSE)); /* its completion is running */
  guint before = changes;
  amlaviz_session_quit (s, 10000);
  g_assert_cmpuint (changes, ==, before);
  g_assert_true (amlaviz_session_get_partial (s, FALSE));
  g_assert_false (amlaviz_session_get_busy (s));
  g_assert_false (amlaviz_session_get_running_ahead (s));
  g_object_unref (s);
  g_settings_set_boolean (settings, "all-cores", FALSE);
}

/* A save while the run is being completed still names the run's file once both are done. */
static void
test_save_during_completion (void)
{
  g_settings_set_boolean (settings, "all-cores", FALSE);
  AmlavizSession *s = new_session_shape (FALSE, BUSY_AIC0_BATCH);
  g_autofree char *dir = g_dir_make_tmp ("amlaviz-partial-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "run.json", NULL);
  gboolean saved = FALSE;
  g_signal_connect (s, "file-done", G_CALLBACK (on_file_done), &saved);
  g_action_group_change_action_state (amlaviz_session_get_actions (s), "all-cores",
                                      g_variant_new_boolean (TRUE));
  amlaviz_session_save (s, path);
  WAIT_FOR (saved);
  amlaviz_session_wait_idle (s); /* the completion too (both may end before a spinner shows) */
  g_assert_false (amlaviz_session_get_partial (s, FALSE));
  g_assert_cmpstr (amlaviz_session_get_file (s), ==, path);
  g_unlink (path);
  g_rmdir (dir);
  end_session (s);
  g_settings_set_boolean (settings, "all-cores", FALSE);
}

/* A lane pinned by name on a core one-group mode does not record: accepted, and the run is
 * completed so the pinned lane has its spans. */
static void
test_pin_lane_outside_drawn (void)
{
  g_settings_set_boolean (settings, "all-cores", FALSE);
  AmlavizSession *s = new_session_shape (FALSE, BUSY_AIC0_BATCH);
  g_assert_true (amlaviz_session_get_partial (s, FALSE));
  g_assert_true (amlaviz_session_pin_lane_by_name (s, "AIV7 VECTOR"));
  WAIT_FOR (!amlaviz_session_get_partial (s, FALSE) && !amlaviz_session_get_busy (s));
  guint n = 0;
  const int *gl = amlaviz_session_get_pinned_lanes (s, FALSE, &n);
  g_assert_cmpuint (n, ==, 1);
  const SimLane *lane
      = sim_trace_lane (amlaviz_session_get_trace (s, FALSE), (guint) gl[0], (guint) gl[1]);
  g_assert_cmpstr (lane->name, ==, "VECTOR");
  g_assert_cmpuint (lane->n_spans, >, 0);
  amlaviz_session_unpin_lanes (s);
  activate (s, "preload", NULL);
  g_assert_true (amlaviz_session_get_partial (s, FALSE)); /* nothing outside is needed now */
  end_session (s);
}

static void
on_exported (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (GError) error = NULL;
  g_assert_true (amlaviz_session_export_image_finish (AMLAVIZ_SESSION (source), result, &error));
  g_assert_no_error (error);
  *(gboolean *) data = TRUE;
}

/* An image of every core from a partial run is the image of the whole run, byte for byte; one of
 * the drawn group is the same too. */
static void
test_export_partial_draws_all (void)
{
  g_settings_set_boolean (settings, "all-cores", FALSE);
  AmlavizSession *s = new_session_shape (FALSE, BUSY_AIC0_BATCH);
  g_assert_true (amlaviz_session_get_partial (s, FALSE));
  g_autofree char *dir = g_dir_make_tmp ("amlaviz-partial-XXXXXX", NULL);
  g_autoptr (AmlaRun) whole = fresh_run (amlaviz_session_get_config (s), FALSE);
  for (int drawn = 0; drawn < 2; drawn++)
    {
      TlExportOptions opt;
      tl_export_options_init (&opt);
      opt.width = 900;
      const SimTrace *t = amlaviz_session_get_trace (s, FALSE);
      g_autofree guint8 *groups = g_new0 (guint8, t->groups->len);
      const guint8 *hidden = amlaviz_session_get_hidden (s, FALSE);
      for (guint g = 0; g < t->groups->len; g++)
        groups[g] = !hidden[g];
      opt.groups = drawn ? groups : NULL;
      g_autofree char *mine = g_build_filename (dir, "session.png", NULL);
      g_autofree char *ref = g_build_filename (dir, "whole.png", NULL);
      gboolean done = FALSE;
      amlaviz_session_export_image_async (s, &opt, mine, on_exported, &done);
      WAIT_FOR (done);
      g_autoptr (GError) error = NULL;
      g_assert_true (tl_export_file (whole->result->trace, &opt, ref, &error));
      g_assert_no_error (error);
      g_autofree char *a = NULL, *b = NULL;
      gsize na, nb;
      g_assert_true (g_file_get_contents (mine, &a, &na, NULL));
      g_assert_true (g_file_get_contents (ref, &b, &nb, NULL));
      g_test_message ("%s: %" G_GSIZE_FORMAT " bytes", drawn ? "drawn group" : "all cores", na);
      g_assert_cmpmem (a, na, b, nb);
      g_unlink (mine);
      g_unlink (ref);
    }
  g_rmdir (dir);
  end_session (s);
}

/* A hold (an export dialog with "All cores") completes the shown run and makes toggles record
 * every core until it is released. */
static void
test_hold_all_cores (void)
{
  g_settings_set_boolean (settings, "all-cores", FALSE);
  AmlavizSession *s = new_session_shape (FALSE, BUSY_AIC0_BATCH);
  amlaviz_session_hold_all_cores (s, TRUE);
  WAIT_FOR (!amlaviz_session_get_partial (s, FALSE) && !amlaviz_session_get_busy (s));
  assert_same_as_fresh (s, amlaviz_session_get_config (s));
  /* still one-group mode: the complete run draws only the first group */
  const SimTrace *t = amlaviz_session_get_trace (s, FALSE);
  g_assert_true (amlaviz_session_get_hidden (s, FALSE)[t->groups->len - 1]);
  activate (s, "preload", NULL);
  g_assert_false (amlaviz_session_get_partial (s, FALSE));
  amlaviz_session_hold_all_cores (s, FALSE);
  activate (s, "preload", NULL);
  g_assert_true (amlaviz_session_get_partial (s, FALSE));
  end_session (s);
}

/* A trace simulated on a preset FILE (the built-in ascend910c with slower L2 and HBM, named
 * name), the file removed afterwards: only the trace knows that hardware. */
static char *
write_custom_hw_trace (const char *dir, const char *name, const AmlaConfig *base, double *total_ns)
{
  g_autofree char *src
      = g_build_filename (g_getenv ("AMLAVIZ_DATA_DIR"), "hw", "ascend910c.json", NULL);
  json_object *p = json_object_from_file (src), *fields, *f;
  g_assert_nonnull (p);
  json_object_object_add (p, "name", json_object_new_string (name));
  g_assert_true (json_object_object_get_ex (p, "fields", &fields));
  g_assert_true (json_object_object_get_ex (fields, "l2_bytes_per_s", &f));
  json_object_object_add (f, "value", json_object_new_double (2e12));
  g_assert_true (json_object_object_get_ex (fields, "hbm_bytes_per_s", &f));
  json_object_object_add (f, "value", json_object_new_double (8e11));
  g_autofree char *preset = g_build_filename (dir, "custom.json", NULL);
  g_assert_cmpint (json_object_to_file (preset, p), ==, 0);
  json_object_put (p);
  g_autoptr (GError) error = NULL;
  g_autoptr (SimHw) file_hw = sim_hw_load (preset, &error);
  g_assert_no_error (error);
  g_unlink (preset);
  g_autoptr (AmlaRun) run = amla_run (base, file_hw, NULL, &error);
  g_assert_no_error (error);
  *total_ns = run->result->metrics.total_ns;
  char *path = g_build_filename (dir, "custom-hw.json", NULL);
  g_assert_true (
      sim_trace_write_json (run->result->trace, path, SIM_TRACE_FLAVOR_PERFETTO, &error));
  g_assert_no_error (error);
  return path;
}

static void
on_file_opened (AmlavizSession *s, const char *path, gpointer data)
{
  *(gboolean *) data = TRUE;
}

static void
set_preload (AmlavizSession *s, gboolean on)
{
  g_action_group_change_action_state (amlaviz_session_get_actions (s), "preload",
                                      g_variant_new_boolean (on));
  WAIT_FOR (!amlaviz_session_get_busy (s) && amlaviz_session_get_config (s)->preload == on
            && amlaviz_session_get_metrics (s, FALSE) != NULL);
}

/* An opened trace made on a preset file re-simulates on the hardware it recorded: a toggle
 * there and back gives the trace's run again, with the preset's own name (the built-in one's
 * kept runs are not taken for it) and with a name no preset here has.  The preset list offers
 * it as the trace's, and choosing a preset and then the trace's entry goes back to it. */
static void
test_trace_hw (void)
{
  static const char *const names[] = { "ascend910c", "mychip" };
  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *dir = g_dir_make_tmp ("amlaviz-tracehw-XXXXXX", NULL);
      AmlavizSession *s = new_session (TRUE); /* the built-in's runs of this shape kept */
      /* the session's configuration (toggles as earlier tests left them), on other hardware */
      double want_ns = 0;
      g_autofree char *path
          = write_custom_hw_trace (dir, names[i], amlaviz_session_get_config (s), &want_ns);
      double builtin_ns = amlaviz_session_get_metrics (s, FALSE)->total_ns;
      g_assert_cmpfloat (builtin_ns, !=, want_ns);
      gboolean opened = FALSE;
      g_signal_connect (s, "file-done", G_CALLBACK (on_file_opened), &opened);
      amlaviz_session_open (s, path);
      WAIT_FOR (opened && !amlaviz_session_get_busy (s));
      g_assert_null (amlaviz_session_get_error (s));
      g_assert_cmpfloat (amlaviz_session_get_metrics (s, FALSE)->total_ns, ==, want_ns);
      const AmlaConfig *c = amlaviz_session_get_config (s);
      g_assert_cmpstr (c->hw, ==, names[i]);
      g_assert_nonnull (c->hw_recorded);
      g_assert_cmpstr (amlaviz_session_get_trace_hw_name (s), ==, names[i]);
      set_preload (s, FALSE);
      g_assert_null (amlaviz_session_get_error (s));
      set_preload (s, TRUE);
      g_assert_null (amlaviz_session_get_error (s));
      g_assert_cmpfloat (amlaviz_session_get_metrics (s, FALSE)->total_ns, ==, want_ns);
      /* a preset of this machine, then the trace's hardware again */
      activate (s, "preset", g_variant_new_string ("ascend910c"));
      g_assert_null (amlaviz_session_get_config (s)->hw_recorded);
      g_assert_cmpfloat (amlaviz_session_get_metrics (s, FALSE)->total_ns, ==, builtin_ns);
      activate (s, "preset", g_variant_new_string (AMLAVIZ_SESSION_TRACE_HW));
      g_assert_nonnull (amlaviz_session_get_config (s)->hw_recorded);
      g_assert_cmpfloat (amlaviz_session_get_metrics (s, FALSE)->total_ns, ==, want_ns);
      end_session (s);
      g_unlink (path);
      g_rmdir (dir);
    }
}

/* A re-simulation that fails leaves the controls on what is drawn: a preset whose file is not
 * a preset fails, and the preset (and its action state) go back to the shown run's. */
static void
test_failed_run_controls (void)
{
  g_autofree char *data = g_dir_make_tmp ("amlaviz-data-XXXXXX", NULL);
  g_autofree char *hw_dir = g_build_filename (data, "hw", NULL);
  g_autofree char *broken = g_build_filename (hw_dir, "broken.json", NULL);
  g_assert_cmpint (g_mkdir (hw_dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (broken, "{ broken", -1, NULL));
  g_autofree char *saved_dir = g_strdup (g_getenv ("AMLAVIZ_DATA_DIR"));
  AmlavizSession *s = new_session (FALSE);
  double shown_ns = amlaviz_session_get_metrics (s, FALSE)->total_ns;
  g_setenv ("AMLAVIZ_DATA_DIR", data, TRUE); /* ascend910c still comes from the source tree */
  guint errors = 0;
  g_signal_connect (s, "notify::error", G_CALLBACK (count_notify), &errors);
  g_action_group_activate_action (amlaviz_session_get_actions (s), "preset",
                                  g_variant_new_string ("broken"));
  WAIT_FOR (errors > 0 && !amlaviz_session_get_busy (s));
  g_assert_nonnull (strstr (amlaviz_session_get_error (s), "Simulation failed"));
  g_assert_cmpstr (amlaviz_session_get_config (s)->hw, ==, "ascend910c");
  g_autoptr (GVariant) state
      = g_action_group_get_action_state (amlaviz_session_get_actions (s), "preset");
  g_assert_cmpstr (g_variant_get_string (state, NULL), ==, "ascend910c");
  g_assert_cmpfloat (amlaviz_session_get_metrics (s, FALSE)->total_ns, ==, shown_ns);
  end_session (s);
  g_setenv ("AMLAVIZ_DATA_DIR", saved_dir, TRUE);
  g_unlink (broken);
  g_rmdir (hw_dir);
  g_rmdir (data);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  settings = amlaviz_settings_new ();
  g_test_add_func ("/session/runs/ahead-and-back", test_ahead_and_back);
  g_test_add_func ("/session/runs/quick-toggles", test_quick_toggles);
  g_test_add_func ("/session/runs/keep-off", test_keep_off);
  g_test_add_func ("/session/runs/partial-drawn-only", test_partial_drawn_only);
  g_test_add_func ("/session/runs/all-cores-completes", test_all_cores_completes);
  g_test_add_func ("/session/runs/kept-partial-not-for-all-cores",
                   test_kept_partial_not_for_all_cores);
  g_test_add_func ("/session/runs/save-partial-writes-all", test_save_partial_writes_all);
  g_test_add_func ("/session/runs/hold-all-cores", test_hold_all_cores);
  g_test_add_func ("/session/runs/export-partial-draws-all", test_export_partial_draws_all);
  g_test_add_func ("/session/runs/pinned-completes", test_pinned_completes);
  g_test_add_func ("/session/runs/failed-completion-once", test_failed_completion_once);
  g_test_add_func ("/session/runs/quit-during-completion", test_quit_during_completion);
  g_test_add_func ("/session/runs/save-during-completion", test_save_during_completion);
  g_test_add_func ("/session/runs/pin-lane-outside-drawn", test_pin_lane_outside_drawn);
  g_test_add_func ("/session/runs/trace-hw", test_trace_hw);
  g_test_add_func ("/session/runs/failed-run-controls", test_failed_run_controls);
  int rc = g_test_run ();
  g_object_unref (settings);
  return rc;
}
