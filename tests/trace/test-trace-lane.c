/* tests/trace/test-trace-lane.c — a lane's span index (sim/trace/trace.c): the one lower bound
 * that the renderer, the search and the window share, and the first span that may be visible. */
#include <glib.h>
#include <math.h>

#include "sim/trace/trace.h"

/* spans at 0, 10, 10, 20, 30 (ns), durations 5, 1, 2, 50, 1 */
static SimTrace *
lane_trace (SimLane **out)
{
  SimTrace *t = sim_trace_new ();
  SimGroup *g = sim_trace_add_group (t, "AIC0", 1, 0, SIM_CORE_AIC, 0);
  SimLane *lane = sim_group_add_lane (g, "CUBE", 1, 0, SIM_PIPE_CUBE);
  const double start[] = { 0, 10, 10, 20, 30 }, dur[] = { 5, 1, 2, 50, 1 };
  for (guint i = 0; i < G_N_ELEMENTS (start); i++)
    {
      SimSpan s = { 0 };
      s.start_ns = start[i];
      s.dur_ns = dur[i];
      sim_lane_append (lane, &s);
    }
  sim_trace_finish (t);
  *out = sim_trace_lane (t, 0, 0);
  return t;
}

static void
test_lower_bound (void)
{
  SimLane *lane;
  g_autoptr (SimTrace) t = lane_trace (&lane);
  g_assert_cmpuint (sim_lane_lower_bound (lane, 0, -1), ==, 0);
  g_assert_cmpuint (sim_lane_lower_bound (lane, 0, 0), ==, 0);
  g_assert_cmpuint (sim_lane_lower_bound (lane, 0, 0.5), ==, 1);
  g_assert_cmpuint (sim_lane_lower_bound (lane, 0, 10), ==, 1); /* the first of equal starts */
  g_assert_cmpuint (sim_lane_lower_bound (lane, 0, nextafter (10, INFINITY)), ==, 3);
  g_assert_cmpuint (sim_lane_lower_bound (lane, 0, 31), ==, 5);
  /* from: the search starts there */
  g_assert_cmpuint (sim_lane_lower_bound (lane, 2, 0), ==, 2);
  g_assert_cmpuint (sim_lane_lower_bound (lane, 4, 25), ==, 4);
  g_assert_cmpuint (sim_lane_lower_bound (lane, 5, 0), ==, 5);
}

static void
test_first_visible (void)
{
  SimLane *lane;
  g_autoptr (SimTrace) t = lane_trace (&lane);
  g_assert_cmpfloat (lane->max_dur_ns, ==, 50);
  /* nothing that starts 50 ns or more before t can reach t */
  g_assert_cmpuint (sim_lane_first_visible (lane, 40), ==, 0);
  g_assert_cmpuint (sim_lane_first_visible (lane, 55), ==, 1);
  g_assert_cmpuint (sim_lane_first_visible (lane, 65), ==, 3); /* [20, 70) still covers 65 */
  g_assert_cmpuint (sim_lane_first_visible (lane, 1000), ==, 5);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/trace/lane/lower-bound", test_lower_bound);
  g_test_add_func ("/trace/lane/first-visible", test_first_visible);
  return g_test_run ();
}
