/* tests/sim/test-evqueue.c — the engine's event queue pops in (time, push order), including
 * events pushed after a peek that are earlier than the peeked front. */
#include <glib.h>

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
          SimEvent ev = { .t = now + g_rand_int_range (r, 0, 50), .a = pushed++ };
          sim_evq_push (q, ev);
        }
      double t;
      if (sim_evq_peek (q, &t))
        {
          g_assert_cmpfloat (t, >=, now);
          /* sometimes an earlier event arrives after the peek, as GM completions cause */
          if (g_rand_int_range (r, 0, 5) == 0 && t > now)
            {
              SimEvent ev = { .t = now + (t - now) / 2, .a = pushed++ };
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
        g_assert_cmpuint (a->seq, <, b->seq);
    }
  g_array_unref (ref);
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
  g_test_add_func ("/evqueue/empty", test_empty);
  return g_test_run ();
}
