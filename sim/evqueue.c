/* sim/evqueue.c — the engine's event queue: a radix heap on the event time.
 *
 * Time only moves forward in the engine, so a radix heap works: keys are the IEEE bit patterns of
 * the (non-negative) times, which order like the times; an event goes to the bucket of the highest
 * bit where its key differs from the last popped key, and only the lowest non-empty bucket is
 * ever redistributed.  Push is O(1), pop amortised O(key bits).  Events with the same time leave
 * in the order they were pushed (bucket 0 is a FIFO), so runs are deterministic.
 *
 * An event pushed below `last` (after a peek, see SimEvBucket) is put in its place in bucket 0:
 * a binary search and a move of the events before (or after) it.  Since pop_before settles only
 * what it pops, the engine pushes none in any shape measured, and the pop's fast path no longer
 * checks a separate heap for them.
 *
 * (A calendar queue was tried and lost: the 48 AICs run the same program in lockstep, so hundreds
 * of events share one instant.) */
#include "sim/evqueue.h"

#include <string.h>

/* An event below `last` (see SimEvBucket): into bucket 0, after every event there with a key at
 * or below its own (bucket 0 is sorted on the key, equal keys in push order).  Room is made at
 * the front when the head has moved on, else at the end. */
void
_sim_evq_push_early (SimEvQueue *q, const SimEvent *ev)
{
  SimEvBucket *b0 = &q->b[0];
  guint64 k = _sim_evq_key (ev->t);
  gsize lo = 0, hi = (gsize) (b0->end - b0->head); /* indices from the head */
  while (lo < hi)
    {
      gsize mid = lo + (hi - lo) / 2;
      if (_sim_evq_key (b0->head[mid].t) <= k)
        lo = mid + 1;
      else
        hi = mid;
    }
  if (b0->head > b0->items)
    {
      memmove (b0->head - 1, b0->head, lo * sizeof *b0->head);
      b0->head--;
      b0->head[lo] = *ev;
    }
  else
    {
      if (b0->end == b0->cap)
        _sim_evq_bucket_grow (b0); /* the head is at items: it grows, lo stays */
      memmove (b0->head + lo + 1, b0->head + lo,
               (gsize) (b0->end - b0->head - lo) * sizeof *b0->head);
      b0->end++;
      b0->head[lo] = *ev;
    }
}

void
_sim_evq_bucket_grow (SimEvBucket *bk)
{
  gsize head = (gsize) (bk->head - bk->items), n = (gsize) (bk->end - bk->items);
  gsize cap = (gsize) (bk->cap - bk->items);
  if (head > 0 && head >= n / 2)
    {
      /* reuse the consumed front */
      memmove (bk->items, bk->head, (n - head) * sizeof *bk->items);
      n -= head;
      head = 0;
    }
  else
    {
      cap = cap ? 2 * cap : 16;
      bk->items = g_renew (SimEvent, bk->items, cap);
    }
  bk->head = bk->items + head;
  bk->end = bk->items + n;
  bk->cap = bk->items + cap;
}

SimEvQueue *
sim_evq_new (double bucket_cycles)
{
  (void) bucket_cycles;
  SimEvQueue *q = g_new0 (SimEvQueue, 1);
  q->push_key = G_MAXUINT64;
  return q;
}

void
sim_evq_free (SimEvQueue *q)
{
  if (!q)
    return;
  for (int i = 0; i < SIM_EVQ_BUCKETS; i++)
    {
      g_free (q->b[i].items);
    }
  g_free (q);
}

/* Not kept up to date by push and pop (the engine never asks): counted. */
gsize
sim_evq_len (const SimEvQueue *q)
{
  gsize n = 0;
  for (int i = 0; i < SIM_EVQ_BUCKETS; i++)
    n += (gsize) (q->b[i].end - q->b[i].head);
  return n;
}

/* The key of an event in a bucket above 0: its key is above `last`, so not 0, so its time is
 * positive and the key is the time's bits (no test). */
static inline guint64
key_above_0 (const SimEvent *ev)
{
  guint64 k;
  memcpy (&k, &ev->t, sizeof k);
  return k;
}

/* Bucket 0 is empty and some bucket above it is not: the lowest such bucket (it holds the
 * smallest keys); its smallest key goes to q->min_key, the time of that key (the next front's) to
 * q->min_t, and whether all its keys are equal to q->min_diff.  A bucket above 0 only grows until
 * redistribute empties it, so what was found before is only extended over the items appended
 * since: the engine asks again and again while GM completions come first (see
 * _sim_evq_pop_before_slow). */
static inline int
lowest_bucket (SimEvQueue *q)
{
  int i = 1 + __builtin_ctzll (q->nonempty >> 1);
  SimEvBucket *bk = &q->b[i];
  const SimEvent *e;
  guint64 first = key_above_0 (bk->head), m, diff;
  if (i == q->min_b)
    {
      e = bk->head + q->min_n;
      m = q->min_key;
      diff = q->min_diff;
    }
  else
    {
      e = bk->head + 1;
      m = first;
      diff = 0;
    }
  guint64 run_key = first; /* events come in runs of one key (see redistribute) */
  for (; e < bk->end; e++)
    {
      guint64 k = key_above_0 (e);
      if (k != run_key)
        {
          run_key = k;
          m = MIN (m, k);
          diff |= k ^ first;
        }
    }
  q->min_b = i;
  q->min_n = (gsize) (bk->end - bk->head);
  q->min_key = m;
  q->min_diff = diff;
  memcpy (&q->min_t, &m, sizeof m);
  return i;
}

/* Bucket 0 is empty; bucket i is the lowest non-empty one and `last` its smallest key: that
 * becomes q->last, and bucket i's events move down (bucket 0 gets those with that key). */
static G_GNUC_NO_INLINE void
redistribute (SimEvQueue *q, int i, guint64 last)
{
  SimEvBucket *b0 = &q->b[0];
  b0->head = b0->end = b0->items;
  SimEvBucket *bk = &q->b[i];
  q->last = last;
  q->min_b = 0;
  q->push_key = G_MAXUINT64;
  if (q->min_diff == 0)
    {
      /* all of the bucket's events have that key (the cores in lockstep): it becomes bucket 0 as
       * it is, in push order, and takes bucket 0's empty array */
      SimEvBucket t = *b0;
      *b0 = *bk;
      *bk = t;
      q->nonempty &= ~((guint64) 1 << i);
      return;
    }
  /* redistribute in push order: every key lands in a lower bucket */
  const SimEvent *head = bk->head, *end = bk->end;
  bk->head = bk->end = bk->items;
  guint64 filled = 0, run_key = 0; /* no event above bucket 0 has key 0 */
  SimEvBucket *to = NULL;
  /* the lowest target above 0 will be the next lowest bucket: what lowest_bucket would find by
   * scanning it is known here (its first key, smallest key and the OR of the differences) */
  int lo = 64;
  guint64 lo_first = 0, lo_min = 0, lo_diff = 0;
  for (const SimEvent *e = head; e < end; e++)
    {
      /* the bucket holds a few instants only (two to six in the default run), in runs of events
       * with one key: the target changes with the key */
      guint64 k = key_above_0 (e);
      if (k != run_key)
        {
          run_key = k;
          int t = _sim_evq_bucket_index (k, last);
          filled |= (guint64) 1 << t;
          to = &q->b[t];
          if (t > 0 && t < lo)
            {
              lo = t; /* a bucket not filled before: k is its first key */
              lo_first = lo_min = k;
              lo_diff = 0;
            }
          else if (t == lo)
            {
              lo_min = MIN (lo_min, k);
              lo_diff |= k ^ lo_first;
            }
        }
      _sim_evq_bucket_append (to, e);
    }
  if (lo < 64)
    {
      q->min_b = lo;
      q->min_n = (gsize) (q->b[lo].end - q->b[lo].head);
      q->min_key = lo_min;
      q->min_diff = lo_diff;
      memcpy (&q->min_t, &lo_min, sizeof lo_min);
    }
  g_assert (filled >> i == 0); /* every event went lower (one check for them all) */
  q->nonempty = (q->nonempty & ~((guint64) 1 << i)) | filled;
}

/* Make bucket 0 non-empty (its head is then the front); FALSE when the queue is empty. */
static inline gboolean
settle (SimEvQueue *q)
{
  SimEvBucket *b0 = &q->b[0];
  if (G_UNLIKELY (b0->head == b0->end))
    {
      if (q->nonempty >> 1 == 0)
        return FALSE;
      int i = lowest_bucket (q);
      redistribute (q, i, q->min_key);
    }
  return TRUE;
}

gboolean
sim_evq_peek (SimEvQueue *q, double *t)
{
  if (!settle (q))
    return FALSE;
  *t = q->b[0].head->t;
  return TRUE;
}

SimEvent
sim_evq_pop (SimEvQueue *q)
{
  gboolean ok = settle (q);
  g_assert (ok);
  return *q->b[0].head++;
}

/* Bucket 0 is empty. */
gboolean
_sim_evq_pop_before_slow (SimEvQueue *q, double limit, SimEvent *ev)
{
  if (q->nonempty >> 1 == 0)
    return FALSE; /* the queue is empty */
  /* Settle the front only when it is to be popped now: settling moves `last` up to the front's
   * key, and the GM completion that comes first would then push its events below `last`, to be
   * inserted into bucket 0 (and their successors after them). */
  int i = lowest_bucket (q);
  if (!(q->min_t < limit))
    return FALSE;
  redistribute (q, i, q->min_key);
  *ev = *q->b[0].head++;
  return TRUE;
}
