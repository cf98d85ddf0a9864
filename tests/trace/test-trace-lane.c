/* tests/trace/test-trace-lane.c — a lane's span index (sim/trace/trace.c): the one lower bound
 * that the renderer, the search and the window share, and the first span that may be visible. */
#include <glib.h>
#include <math.h>

#include "sim/trace/trace.h"

/* One lane of n spans [start[i], start[i] + dur[i]) ns, finished. */
static SimTrace *
lane_of (const double *start, const double *dur, guint n, SimLane **out)
{
  SimTrace *t = sim_trace_new ();
  SimGroup *g = sim_trace_add_group (t, "AIC0", 1, 0, SIM_CORE_AIC, 0);
  SimLane *lane = sim_group_add_lane (g, "CUBE", 1, 0, SIM_PIPE_CUBE);
  for (guint i = 0; i < n; i++)
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

/* spans at 0, 10, 10, 20, 30 (ns), durations 5, 1, 2, 50, 1 */
static SimTrace *
lane_trace (SimLane **out)
{
  static const double start[] = { 0, 10, 10, 20, 30 }, dur[] = { 5, 1, 2, 50, 1 };
  return lane_of (start, dur, G_N_ELEMENTS (start), out);
}

/* Busy time is the union of the spans: overlapping spans that do not nest count once (amlasim
 * info summed the top row only: 0-10 and 5-20 read as 10 µs, found by a review as a user). */
static void
test_busy (void)
{
  SimLane *lane;
  g_autoptr (SimTrace) t = lane_trace (&lane);
  /* [0,5) [10,11) [10,12) [20,70) [30,31): 5 + 2 + 50 */
  g_assert_cmpfloat (sim_lane_busy_ns (lane), ==, 57);
  static const double start[] = { 0, 5, 30, 40 }, dur[] = { 10, 15, 20, 5 };
  SimLane *l;
  g_autoptr (SimTrace) u = lane_of (start, dur, G_N_ELEMENTS (start), &l);
  g_assert_cmpfloat (sim_lane_busy_ns (l), ==, 20 + 20); /* not the sum, 50 */
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

/* Lanes given room from one block (sim_trace_reserve_spans, as a run does): spans held before
 * are kept, a lane that outgrows its room moves to memory of its own with its spans, the others
 * stay put, and the trace frees both kinds (ASan would see a double free or a leak).  A block of
 * 2 MiB or more is mapped for huge pages, a small one is heap memory: both are covered. */
static void
check_reserve (gsize big_cap)
{
  g_autoptr (SimTrace) t = sim_trace_new ();
  SimGroup *g = sim_trace_add_group (t, "AIC0", 1, 0, SIM_CORE_AIC, 0);
  SimLane *a = sim_group_add_lane (g, "MTE2", 1, 0, SIM_PIPE_MTE2);
  SimLane *b = sim_group_add_lane (g, "CUBE", 2, 1, SIM_PIPE_CUBE);
  SimSpan s = { .start_ns = 1, .dur_ns = 2, .task = 7, .iter = -1 };
  sim_lane_append (a, &s); /* held before the reserve: must survive it */
  SimLane *lanes[] = { a, b, NULL };
  gsize caps[] = { 70, big_cap, 99 }; /* a holds room for 64 after its first append */
  sim_trace_reserve_spans (t, lanes, caps, 3);
  g_assert_true (a->spans_in_slab && b->spans_in_slab);
  g_assert_cmpuint (a->cap_spans, ==, 70);
  g_assert_cmpuint (b->cap_spans, ==, big_cap);
  g_assert_true (b->spans == a->spans + 70); /* one block, in order */
  g_assert_cmpuint (a->n_spans, ==, 1);
  g_assert_cmpfloat (a->spans[0].start_ns, ==, 1);
  g_assert_cmpint (a->spans[0].task, ==, 7);
  for (int i = 2; i <= 75; i++)
    {
      s.start_ns = i;
      sim_lane_append (a, &s);
      if (i <= 10)
        sim_lane_append (b, &s);
    }
  /* a outgrew its 70 and moved, with all its spans; b still fits where it was */
  g_assert_false (a->spans_in_slab);
  g_assert_true (b->spans_in_slab);
  g_assert_cmpuint (a->n_spans, ==, 75);
  for (int i = 0; i < 75; i++)
    g_assert_cmpfloat (a->spans[i].start_ns, ==, i + 1);
  g_assert_cmpuint (b->n_spans, ==, 9);
  /* a second reserve takes a new block and keeps what the lane holds */
  SimLane *only_b[] = { b };
  gsize more[] = { big_cap * 2 };
  sim_trace_reserve_spans (t, only_b, more, 1);
  g_assert_cmpuint (b->cap_spans, ==, big_cap * 2);
  g_assert_cmpuint (b->n_spans, ==, 9);
  g_assert_cmpfloat (b->spans[8].start_ns, ==, 10);
  g_assert_cmpuint (t->span_slabs->len, ==, 2);
  sim_trace_finish (t);
}

static void
test_reserve_spans (void)
{
  check_reserve (16);                                  /* heap */
  check_reserve ((3u << 20) / sizeof (SimSpan) + 1); /* mapped, past 2 MiB */
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/trace/lane/lower-bound", test_lower_bound);
  g_test_add_func ("/trace/lane/busy", test_busy);
  g_test_add_func ("/trace/lane/first-visible", test_first_visible);
  g_test_add_func ("/trace/lane/reserve-spans", test_reserve_spans);
  return g_test_run ();
}
