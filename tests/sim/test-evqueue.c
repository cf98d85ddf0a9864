/* tests/sim/test-evqueue.c — the engine's event queue pops in (time, push order), including
 * events pushed after a peek that are earlier than the peeked front, and more instants at once
 * than the queue's cache of them holds. */
#include <glib.h>
#include <math.h>

#include "sim/evqueue.h"

static void
test_order_random (void)
{
  SimEvQueue *q = sim_evq_new (16);
  GRand *r = g_rand_new_with_seed (42);
  double now = 0;
  GArray *ref = g_array_new (FALSE, FALSE, sizeof (SimEvent));
  int pushed = 0;
  for (int step = 0; step < 20000; step++)
    {
      /* push a few events at or after now (many ties on whole numbers) */
      int k = g_rand_int_range (r, 0, 4);
      for (int i = 0; i < k; i++)
        {
          SimEvent ev = { .t = now + g_rand_int_range (r, 0, 50), .b = pushed++ };
          sim_evq_push (q, ev);
        }
      double t;
      if (sim_evq_peek (q, &t))
        {
          g_assert_cmpfloat (t, >=, now);
          /* sometimes an earlier event arrives after the peek, as GM completions cause */
          if (g_rand_int_range (r, 0, 5) == 0 && t > now)
            {
              SimEvent ev = { .t = now + (t - now) / 2, .b = pushed++ };
              sim_evq_push (q, ev);
            }
          SimEvent ev = sim_evq_pop (q);
          g_assert_cmpfloat (ev.t, >=, now);
          now = ev.t;
          g_array_append_val (ref, ev);
        }
    }
  while (sim_evq_len (q) > 0)
    {
      SimEvent ev = sim_evq_pop (q);
      g_assert_cmpfloat (ev.t, >=, now);
      now = ev.t;
      g_array_append_val (ref, ev);
    }
  g_assert_cmpuint (ref->len, ==, (guint) pushed);
  /* equal times leave in push order */
  for (guint i = 1; i < ref->len; i++)
    {
      SimEvent *a = &g_array_index (ref, SimEvent, i - 1), *b = &g_array_index (ref, SimEvent, i);
      if (a->t == b->t)
        g_assert_cmpint (a->b, <, b->b);
    }
  g_array_unref (ref);
  g_rand_free (r);
  sim_evq_free (q);
}

/* The engine's use: pop_before a limit (a GM completion time) that often stops the queue, then
 * pushes at or after the limit, some of them before the queue's front.  Checked against a
 * reference that keeps every queued event and takes the earliest, first pushed among equals. */
static void
test_pop_before_random (void)
{
  SimEvQueue *q = sim_evq_new (16);
  GRand *r = g_rand_new_with_seed (7);
  GArray *ref = g_array_new (FALSE, FALSE, sizeof (SimEvent));
  double now = 0;
  int pushed = 0;
  for (int step = 0; step < 30000; step++)
    {
      /* a few events at or after now: many share an instant, as the cores run in lockstep */
      int k = g_rand_int_range (r, 0, 4);
      double base = now + g_rand_int_range (r, 0, 40) * 0.25;
      for (int i = 0; i < k; i++)
        {
          SimEvent ev
              = { .t = g_rand_int_range (r, 0, 3) == 0 ? base : now + g_rand_double (r) * 64,
                  .b = pushed++ };
          sim_evq_push (q, ev);
          g_array_append_val (ref, ev);
        }
      /* sometimes a peek settles the front, and events before it follow (a few at one time) */
      double front;
      if (g_rand_int_range (r, 0, 4) == 0 && sim_evq_peek (q, &front) && front > now)
        {
          double t = now + (front - now) * g_rand_int_range (r, 0, 4) / 4;
          for (int i = g_rand_int_range (r, 1, 4); i > 0; i--)
            {
              SimEvent ev = { .t = t, .b = pushed++ };
              sim_evq_push (q, ev);
              g_array_append_val (ref, ev);
            }
        }
      double limit = g_rand_int_range (r, 0, 3) == 0 ? now + g_rand_double (r) * 8 : INFINITY;
      for (int n = 0; n < 3; n++)
        {
          /* the reference's front */
          guint best = G_MAXUINT;
          for (guint i = 0; i < ref->len; i++)
            {
              SimEvent *e = &g_array_index (ref, SimEvent, i);
              if (best == G_MAXUINT || e->t < g_array_index (ref, SimEvent, best).t)
                best = i;
            }
          SimEvent ev;
          gboolean popped = sim_evq_pop_before (q, limit, &ev);
          if (best == G_MAXUINT || !(g_array_index (ref, SimEvent, best).t < limit))
            {
              g_assert_false (popped);
              if (limit < INFINITY)
                now = MAX (now, limit); /* a GM completion: time moves to it */
              break;
            }
          g_assert_true (popped);
          g_assert_cmpfloat (ev.t, ==, g_array_index (ref, SimEvent, best).t);
          g_assert_cmpint (ev.b, ==, g_array_index (ref, SimEvent, best).b);
          g_array_remove_index (ref, best);
          now = ev.t;
        }
    }
  g_array_unref (ref);
  g_rand_free (r);
  sim_evq_free (q);
}

/* Many instants at once, pushed in turn (more than the queue's cache of instants holds, so a
 * push often misses its instant's FIFO and makes another one of the same key), with pushes at
 * the front's instant and before it between the pops: every event leaves in (time, push order). */
static gint
cmp_time_then_push (gconstpointer pa, gconstpointer pb)
{
  const SimEvent *a = pa, *b = pb;
  if (a->t != b->t)
    return a->t < b->t ? -1 : 1;
  return a->b < b->b ? -1 : a->b > b->b;
}

static void
test_many_instants (void)
{
  SimEvQueue *q = sim_evq_new (16);
  GRand *r = g_rand_new_with_seed (11);
  GArray *want = g_array_new (FALSE, FALSE, sizeof (SimEvent));
  GArray *got = g_array_new (FALSE, FALSE, sizeof (SimEvent));
  double now = 0;
  int pushed = 0;
  for (int round = 0; round < 40; round++)
    {
      int n_times = g_rand_int_range (r, 1, 2000);
      for (int i = 0; i < 3 * n_times; i++)
        {
          SimEvent ev = { .t = now + 1 + g_rand_int_range (r, 0, n_times), .b = pushed++ };
          sim_evq_push (q, ev);
          g_array_append_val (want, ev);
        }
      for (int n = g_rand_int_range (r, 0, 4 * n_times); n > 0; n--)
        {
          SimEvent ev;
          double limit = g_rand_int_range (r, 0, 8) == 0 ? now + 0.5 : INFINITY;
          if (!sim_evq_pop_before (q, limit, &ev))
            break;
          g_assert_cmpfloat (ev.t, >=, now);
          now = ev.t;
          g_array_append_val (got, ev);
          int k = g_rand_int_range (r, 0, 6);
          if (k == 0)
            {
              /* at the instant being popped */
              SimEvent at = { .t = now, .b = pushed++ };
              sim_evq_push (q, at);
              g_array_append_val (want, at);
            }
          else if (k == 1)
            {
              /* before the next front: at or after now */
              double front;
              if (sim_evq_peek (q, &front))
                {
                  SimEvent early = { .t = now + (front - now) * g_rand_int_range (r, 0, 3) / 3,
                                     .b = pushed++ };
                  sim_evq_push (q, early);
                  g_array_append_val (want, early);
                }
            }
        }
    }
  double t;
  while (sim_evq_peek (q, &t))
    {
      SimEvent ev = sim_evq_pop (q);
      g_array_append_val (got, ev);
    }
  g_assert_cmpuint (sim_evq_len (q), ==, 0);
  g_array_sort (want, cmp_time_then_push);
  g_assert_cmpuint (got->len, ==, want->len);
  for (guint i = 0; i < got->len; i++)
    {
      g_assert_cmpfloat (g_array_index (got, SimEvent, i).t, ==,
                         g_array_index (want, SimEvent, i).t);
      g_assert_cmpint (g_array_index (got, SimEvent, i).b, ==, g_array_index (want, SimEvent, i).b);
    }
  g_array_unref (want);
  g_array_unref (got);
  g_rand_free (r);
  sim_evq_free (q);
}

static void
test_empty (void)
{
  SimEvQueue *q = sim_evq_new (16);
  double t;
  g_assert_false (sim_evq_peek (q, &t));
  sim_evq_push (q, (SimEvent){ .t = 0 });
  g_assert_true (sim_evq_peek (q, &t));
  g_assert_cmpfloat (t, ==, 0);
  sim_evq_pop (q);
  g_assert_false (sim_evq_peek (q, &t));
  sim_evq_free (q);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/evqueue/order-random", test_order_random);
  g_test_add_func ("/evqueue/pop-before-random", test_pop_before_random);
  g_test_add_func ("/evqueue/many-instants", test_many_instants);
  g_test_add_func ("/evqueue/empty", test_empty);
  return g_test_run ();
}
