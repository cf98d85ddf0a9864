/* tests/sim/test-gm.c — the GM model: the reshares its starts put off (sim_gm_next_bound) give
 * the completions, times and byte counts of resharing at every start, to the bit, and the bound
 * it gives instead lies in (now, next completion]. */
#include <glib.h>
#include <math.h>

#include "sim/gm.h"
#include "sim/hw.h"

typedef struct
{
  double t;
  int seq, who;
} Start;

typedef struct
{
  double t;
  int who;
} Done;

static gint
start_cmp (gconstpointer pa, gconstpointer pb)
{
  const Start *a = pa, *b = pb;
  if (a->t != b->t)
    return a->t < b->t ? -1 : 1;
  return a->seq - b->seq;
}

/* An engine in miniature: `n` transferers in lockstep, each starting its next transfer a start-up
 * after its last one completed (some without one), on a die and level, at one of a few caps.
 * lazy: after a start it asks for a bound only, as the engine does; else for the completion. */
static GArray *
drive (const SimHw *hw, gboolean lazy, guint32 seed, double *bytes, int *owed)
{
  SimGm *gm = sim_gm_new (hw, 0);
  sim_gm_skip_buckets (gm);
  /* lazy: a copy that pays at every start, for the bound's check */
  SimGm *exact = sim_gm_new (hw, 0);
  sim_gm_skip_buckets (exact);
  GRand *r = g_rand_new_with_seed (seed);
  GArray *starts = g_array_new (FALSE, FALSE, sizeof (Start));
  GArray *done = g_array_new (FALSE, FALSE, sizeof (Done));
  const int n = 40;
  int left[40], seq = 0;
  const double caps[] = { 64, 128, 21.5, 300 };
  for (int i = 0; i < n; i++)
    {
      left[i] = 30;
      Start s = { .t = g_rand_int_range (r, 0, 3) * 10.0, .seq = seq++, .who = i };
      g_array_append_val (starts, s);
    }
  double now = 0, tg = sim_gm_next_completion (gm);
  for (;;)
    {
      g_array_sort (starts, start_cmp);
      if (starts->len > 0 && g_array_index (starts, Start, 0).t < tg)
        {
          Start s = g_array_index (starts, Start, 0);
          g_array_remove_index (starts, 0);
          now = MAX (now, s.t);
          int die = s.who % 2, level = (s.who / 2) % 2;
          /* now and then a transfer too small to end after now (it completes at once) */
          double b = g_rand_int_range (r, 0, 50) == 0 ? 1e-12 : 512.0 * g_rand_int_range (r, 1, 64);
          double cap = caps[(s.who / 4) % 4];
          sim_gm_start (gm, now, die, (SimGmLevel) level, b, cap, GINT_TO_POINTER (s.who + 1));
          if (lazy)
            {
              tg = sim_gm_next_bound (gm, now);
              sim_gm_start (exact, now, die, (SimGmLevel) level, b, cap, NULL);
              /* in (now, completion], or the completion itself (which may be now) */
              double next = sim_gm_next_completion (exact);
              g_assert_cmpfloat (tg, <=, next);
              if (tg != next)
                g_assert_cmpfloat (tg, >, now);
            }
          else
            tg = sim_gm_next_completion (gm);
          continue;
        }
      if (sim_gm_owes (gm))
        {
          g_assert_true (lazy);
          (*owed)++;
          tg = sim_gm_next_completion (gm);
          continue;
        }
      if (tg == INFINITY)
        break;
      now = MAX (now, tg);
      gpointer const *owners;
      guint k = sim_gm_complete_until (gm, now, &owners);
      tg = sim_gm_next_completion (gm);
      if (lazy)
        {
          gpointer const *ignored;
          g_assert_cmpuint (sim_gm_complete_until (exact, now, &ignored), ==, k);
          g_assert_cmpfloat (sim_gm_next_completion (exact), ==, tg);
        }
      for (guint i = 0; i < k; i++)
        {
          Done d = { .t = now, .who = GPOINTER_TO_INT (owners[i]) - 1 };
          g_array_append_val (done, d);
          if (--left[d.who] > 0)
            {
              /* a third start at the instant they complete, as streamed transfers do */
              double up = g_rand_int_range (r, 0, 3) == 0 ? 0 : g_rand_int_range (r, 1, 4) * 7.0;
              Start s = { .t = now + up, .seq = seq++, .who = d.who };
              g_array_append_val (starts, s);
            }
        }
    }
  *bytes = 0;
  for (int d = 0; d < hw->dies; d++)
    *bytes += sim_gm_bytes (gm, d, SIM_GM_HBM) * 3 + sim_gm_bytes (gm, d, SIM_GM_L2);
  g_array_unref (starts);
  g_rand_free (r);
  sim_gm_free (gm);
  sim_gm_free (exact);
  return done;
}

static void
test_owed_reshare_same (void)
{
  g_autoptr (GError) error = NULL;
  SimHw *hw = sim_hw_load ("ascend910c", &error);
  g_assert_no_error (error);
  for (guint32 seed = 1; seed <= 6; seed++)
    {
      double eager_bytes, lazy_bytes;
      int owed = 0;
      GArray *eager = drive (hw, FALSE, seed, &eager_bytes, &owed);
      GArray *lazy = drive (hw, TRUE, seed, &lazy_bytes, &owed);
      g_assert_cmpint (owed, >, 10); /* the starts did put reshares off */
      g_assert_cmpuint (eager->len, ==, 40 * 30);
      g_assert_cmpuint (lazy->len, ==, eager->len);
      for (guint i = 0; i < eager->len; i++)
        {
          g_assert_cmpfloat (g_array_index (lazy, Done, i).t, ==, g_array_index (eager, Done, i).t);
          g_assert_cmpint (g_array_index (lazy, Done, i).who, ==,
                           g_array_index (eager, Done, i).who);
        }
      g_assert_cmpfloat (lazy_bytes, ==, eager_bytes);
      g_array_unref (eager);
      g_array_unref (lazy);
    }
  sim_hw_free (hw);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/gm/owed-reshare-same", test_owed_reshare_same);
  return g_test_run ();
}
