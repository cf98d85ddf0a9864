/* tests/gui/test-session-runs.c — the runs the session keeps for toggles and simulates ahead
 * (src/app/amlaviz-session-runs.c), driven through its actions as the window and `gapplication
 * action` do; real simulations of a small shape.  No display needed. */
#include "src/app/amlaviz-application.h"
#include "src/app/amlaviz-session.h"

#include <string.h>

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
new_session (gboolean keep)
{
  g_settings_set_boolean (settings, "keep-runs", keep);
  AmlavizSession *s = amlaviz_session_new (settings);
  g_signal_connect (s, "trace-changed", G_CALLBACK (on_trace_changed), NULL);
  AmlaConfig cfg = *amlaviz_session_get_config (s);
  cfg.batch = 4;
  cfg.kv_len = 1024;
  g_autoptr (GError) error = NULL;
  g_assert_true (amlaviz_session_set_config (s, &cfg, &error));
  g_assert_no_error (error);
  WAIT_FOR (!amlaviz_session_get_busy (s) && amlaviz_session_get_trace (s, FALSE) != NULL
            && amlaviz_session_get_config (s)->batch == 4
            && amlaviz_session_get_trace (s, FALSE) == shown);
  WAIT_FOR (!amlaviz_session_get_running_ahead (s));
  return s;
}

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

/* What a new simulation of cfg measures, on two threads as a foreground run does. */
static void
assert_same_as_fresh (const AmlavizSession *s_, const AmlaConfig *cfg)
{
  AmlavizSession *s = (AmlavizSession *) s_;
  SimRunOptions opt;
  sim_run_options_init (&opt);
  g_autoptr (GError) error = NULL;
  g_autoptr (AmlaRun) fresh = amla_run (cfg, NULL, &opt, &error);
  g_assert_no_error (error);
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
  activate (s, "preload", NULL);
  activate (s, "preload", NULL);
  g_assert_false (amlaviz_session_get_running_ahead (s));
  g_assert_cmpuint (amlaviz_session_get_n_kept_runs (s), ==, 0);
  g_assert_true (amlaviz_session_get_trace (s, FALSE) != first); /* simulated again */
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

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  settings = amlaviz_settings_new ();
  g_test_add_func ("/session/runs/ahead-and-back", test_ahead_and_back);
  g_test_add_func ("/session/runs/quick-toggles", test_quick_toggles);
  g_test_add_func ("/session/runs/keep-off", test_keep_off);
  int rc = g_test_run ();
  g_object_unref (settings);
  return rc;
}
