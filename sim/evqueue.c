/* sim/evqueue.c — the engine's event queue: a radix heap on the event time.
 *
 * Time only moves forward in the engine, so a radix heap works: keys are the IEEE bit patterns of
 * the (non-negative) times, which order like the times; an event goes to the bucket of the highest
 * bit where its key differs from the last popped key, and only the lowest non-empty bucket is
 * ever redistributed.  Push is O(1), pop amortised O(key bits).  Events with the same time leave
 * in the order they were pushed (bucket 0 is a FIFO), so runs are deterministic.
 *
 * (A calendar queue was tried and lost: the 48 AICs run the same program in lockstep, so hundreds
 * of events share one instant.) */
#include "sim/evqueue.h"

#include <string.h>

#define N_BUCKETS 65

typedef struct
{
  SimEvent *items; /* an item's key is key_of (its time): not stored */
  gsize head, n, cap; /* items[head .. n) are live */
} Bucket;

struct SimEvQueue
{
  Bucket b[N_BUCKETS];
  guint64 last; /* key of the event at the front (bucket 0) */
  gsize len;
  guint64 seq;
  /* A peek settles the front at the earliest queued time; the engine may then still push events
   * that are earlier (a GM transfer completing first schedules work before it).  Those few go to
   * a small binary heap that is consulted first. */
  SimEvent *early;
  gsize n_early, cap_early;
};

static inline gboolean
less (const SimEvent *x, const SimEvent *y)
{
  return x->t < y->t || (x->t == y->t && x->seq < y->seq);
}

static void
early_push (SimEvQueue *q, SimEvent ev)
{
  if (q->n_early == q->cap_early)
    {
      q->cap_early = q->cap_early ? 2 * q->cap_early : 64;
      q->early = g_renew (SimEvent, q->early, q->cap_early);
    }
  gsize i = q->n_early++;
  while (i > 0 && less (&ev, &q->early[(i - 1) / 2]))
    {
      q->early[i] = q->early[(i - 1) / 2];
      i = (i - 1) / 2;
    }
  q->early[i] = ev;
}

static SimEvent
early_pop (SimEvQueue *q)
{
  SimEvent top = q->early[0], last = q->early[--q->n_early];
  gsize i = 0, n = q->n_early;
  for (;;)
    {
      gsize l = 2 * i + 1, r = l + 1, m = i;
      const SimEvent *best = &last;
      if (l < n && less (&q->early[l], best))
        {
          m = l;
          best = &q->early[l];
        }
      if (r < n && less (&q->early[r], best))
        m = r;
      if (m == i)
        break;
      q->early[i] = q->early[m];
      i = m;
    }
  if (n > 0)
    q->early[i] = last;
  return top;
}

static inline guint64
key_of (double t)
{
  guint64 k;
  if (!(t > 0)) /* 0, -0 and anything odd sort first */
    return 0;
  memcpy (&k, &t, sizeof k);
  return k;
}

static inline int
bucket_index (guint64 key, guint64 last)
{
  guint64 x = key ^ last;
  return x == 0 ? 0 : 64 - __builtin_clzll (x);
}

static G_GNUC_NO_INLINE void
bucket_grow (Bucket *bk)
{
  if (bk->head > 0 && bk->head >= bk->n / 2)
    {
      /* reuse the consumed front */
      memmove (bk->items, bk->items + bk->head, (bk->n - bk->head) * sizeof *bk->items);
      bk->n -= bk->head;
      bk->head = 0;
    }
  else
    {
      bk->cap = bk->cap ? 2 * bk->cap : 16;
      bk->items = g_renew (SimEvent, bk->items, bk->cap);
    }
}

static inline void
bucket_append (Bucket *bk, const SimEvent *ev)
{
  if (G_UNLIKELY (bk->n == bk->cap))
    bucket_grow (bk);
  bk->items[bk->n++] = *ev;
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
  for (int i = 0; i < N_BUCKETS; i++)
    {
      g_free (q->b[i].items);
    }
  g_free (q->early);
  g_free (q);
}

gsize
sim_evq_len (const SimEvQueue *q)
{
  return q->len;
}

void
sim_evq_push (SimEvQueue *q, SimEvent ev)
{
  ev.seq = q->seq++;
  guint64 k = key_of (ev.t);
  if (k < q->last)
    early_push (q, ev);
  else
    bucket_append (&q->b[bucket_index (k, q->last)], &ev);
  q->len++;
}

/* Bucket 0 is empty and some bucket above it is not: the lowest such bucket's smallest key
 * becomes `last`, and its events move down (bucket 0 gets those with that key). */
static G_GNUC_NO_INLINE void
redistribute (SimEvQueue *q)
{
  Bucket *b0 = &q->b[0];
  b0->head = b0->n = 0;
  int i = 1;
  while (q->b[i].head == q->b[i].n)
    i++;
  Bucket *bk = &q->b[i];
  /* new last = the smallest key in the bucket (first pushed among equals) */
  guint64 last = key_of (bk->items[bk->head].t);
  for (gsize j = bk->head + 1; j < bk->n; j++)
    {
      guint64 k = key_of (bk->items[j].t);
      if (k < last)
        last = k;
    }
  q->last = last;
  /* redistribute in push order: every key lands in a lower bucket */
  gsize head = bk->head, n = bk->n;
  bk->head = bk->n = 0;
  for (gsize j = head; j < n; j++)
    {
      int t = bucket_index (key_of (bk->items[j].t), last);
      g_assert (t < i);
      bucket_append (&q->b[t], &bk->items[j]);
    }
}

/* Make bucket 0 non-empty (its events have key == last), unless only early events are left. */
static inline gboolean
settle (SimEvQueue *q)
{
  if (q->len == q->n_early)
    return q->n_early > 0;
  Bucket *b0 = &q->b[0];
  if (G_UNLIKELY (b0->head == b0->n))
    redistribute (q);
  return TRUE;
}

/* The front event: the early heap's top if it comes first, else bucket 0's head. */
static gboolean
front_is_early (SimEvQueue *q)
{
  if (q->n_early == 0)
    return FALSE;
  Bucket *b0 = &q->b[0];
  if (b0->head == b0->n)
    return TRUE;
  return less (&q->early[0], &b0->items[b0->head]);
}

gboolean
sim_evq_peek (SimEvQueue *q, double *t)
{
  if (!settle (q))
    return FALSE;
  if (front_is_early (q))
    *t = q->early[0].t;
  else
    *t = q->b[0].items[q->b[0].head].t;
  return TRUE;
}

SimEvent
sim_evq_pop (SimEvQueue *q)
{
  gboolean ok = settle (q);
  g_assert (ok);
  q->len--;
  if (front_is_early (q))
    return early_pop (q);
  Bucket *b0 = &q->b[0];
  return b0->items[b0->head++];
}

gboolean
sim_evq_pop_before (SimEvQueue *q, double limit, SimEvent *ev)
{
  Bucket *b0 = &q->b[0];
  if (G_LIKELY (q->n_early == 0))
    {
      /* no early events: the front is bucket 0's head */
      if (G_UNLIKELY (b0->head == b0->n))
        {
          if (q->len == 0)
            return FALSE;
          redistribute (q);
        }
    }
  else
    {
      if (!settle (q))
        return FALSE;
      if (front_is_early (q))
        {
          if (!(q->early[0].t < limit))
            return FALSE;
          q->len--;
          *ev = early_pop (q);
          return TRUE;
        }
    }
  if (!(b0->items[b0->head].t < limit))
    return FALSE;
  q->len--;
  *ev = b0->items[b0->head++];
  return TRUE;
}
