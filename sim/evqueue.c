/* sim/evqueue.c — the engine's event queue: a binary min-heap on (time, push order).
 *
 * A calendar queue was tried and lost: the 48 AICs run the same program in lockstep, so hundreds
 * of events share one instant and bucket scans went quadratic; a heap handles that in log n. */
#include "sim/evqueue.h"

struct SimEvQueue
{
  SimEvent *heap;
  gsize n, cap;
  guint64 seq;
};

static inline gboolean
less (const SimEvent *x, const SimEvent *y)
{
  return x->t < y->t || (x->t == y->t && x->seq < y->seq);
}

SimEvQueue *
sim_evq_new (double bucket_cycles)
{
  (void) bucket_cycles;
  return g_new0 (SimEvQueue, 1);
}

void
sim_evq_free (SimEvQueue *q)
{
  if (!q)
    return;
  g_free (q->heap);
  g_free (q);
}

gsize
sim_evq_len (const SimEvQueue *q)
{
  return q->n;
}

void
sim_evq_push (SimEvQueue *q, SimEvent ev)
{
  if (q->n == q->cap)
    {
      q->cap = q->cap ? 2 * q->cap : 1024;
      q->heap = g_renew (SimEvent, q->heap, q->cap);
    }
  ev.seq = q->seq++;
  gsize i = q->n++;
  while (i > 0)
    {
      gsize parent = (i - 1) / 2;
      if (!less (&ev, &q->heap[parent]))
        break;
      q->heap[i] = q->heap[parent];
      i = parent;
    }
  q->heap[i] = ev;
}

gboolean
sim_evq_peek (SimEvQueue *q, double *t)
{
  if (q->n == 0)
    return FALSE;
  *t = q->heap[0].t;
  return TRUE;
}

SimEvent
sim_evq_pop (SimEvQueue *q)
{
  g_assert (q->n > 0);
  SimEvent top = q->heap[0], last = q->heap[--q->n];
  gsize i = 0, n = q->n;
  for (;;)
    {
      gsize l = 2 * i + 1, r = l + 1, m = i;
      const SimEvent *best = &last;
      if (l < n && less (&q->heap[l], best))
        {
          m = l;
          best = &q->heap[l];
        }
      if (r < n && less (&q->heap[r], best))
        m = r;
      if (m == i)
        break;
      q->heap[i] = q->heap[m];
      i = m;
    }
  if (n > 0)
    q->heap[i] = last;
  return top;
}
