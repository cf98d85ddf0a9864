/* sim/evqueue.h — the engine's event queue: a radix heap on the event time (time only moves
 * forward); equal times leave in push order, so runs are deterministic.  Internal to sim/. */
#pragma once

#include <glib.h>
#include <string.h>

typedef struct
{
  double t;
  guint64 seq;
  int core;
  int b;       /* cross-core flag: setter core */
  gint16 a;    /* pipe / flag key / cross-core flag id */
  gint8 kind;
  gint8 c;     /* cross-core flag: setter pipe */
} SimEvent;

typedef struct SimEvQueue SimEvQueue;

SimEvQueue *sim_evq_new (double bucket_cycles); /* bucket_cycles: unused (kept for tuning) */
void sim_evq_free (SimEvQueue *q);
static inline void sim_evq_push (SimEvQueue *q, SimEvent ev);
/* Time of the earliest event; FALSE when empty. */
gboolean sim_evq_peek (SimEvQueue *q, double *t);
SimEvent sim_evq_pop (SimEvQueue *q); /* only after a successful peek */
/* Pop the earliest event into *ev when it comes before `limit` (strictly); FALSE, and nothing
 * popped, when the queue is empty or its earliest event is at or after `limit`. */
static inline gboolean sim_evq_pop_before (SimEvQueue *q, double limit, SimEvent *ev);
gsize sim_evq_len (const SimEvQueue *q);

/* ---- internals: the layout is here only so that a push is inline (the engine's hottest call) */

#define SIM_EVQ_BUCKETS 65

typedef struct
{
  SimEvent *items;      /* an item's key is key_of (its time): not stored */
  SimEvent *head, *end; /* [head, end) are live; only bucket 0's head moves off items */
  SimEvent *cap;        /* items + the room allocated */
} SimEvBucket;

/* Bucket 0 holds the events with key `last` in push order, after (rarely) some with smaller
 * keys, sorted: a peek settles `last` at the earliest queued time, and the engine may then still
 * push earlier events (a GM transfer completing first schedules work before it).  Those are put
 * in their place in bucket 0, so its head is always the front. */

struct SimEvQueue
{
  SimEvBucket b[SIM_EVQ_BUCKETS];
  /* bit i set: bucket i (1 .. 63; keys are below 2^63, so 64 stays empty) may hold events;
   * clear: it holds none (bit 0 means nothing: bucket 0 is told by its bounds).  The lowest
   * non-empty bucket is then one count of trailing zeros away, not a scan of some 40 buckets. */
  guint64 nonempty;
  guint64 last; /* key of the event at the front (bucket 0) */
  guint64 seq;  /* pushes so far: each event's seq (the order itself comes from the buckets) */
  /* The key of the last push that went to a bucket, and that bucket (its bit is set); reset
   * when `last` moves.  (A key of G_MAXUINT64: none; keys are below 2^63.) */
  guint64 push_key;
  SimEvBucket *push_to;
  /* The smallest key of bucket min_b's first min_n events and the time it is the key of
   * (min_b 0: none known), and the OR of those keys XOR the first one's (0: all equal); see
   * lowest_bucket in evqueue.c. */
  int min_b;
  gsize min_n;
  guint64 min_key, min_diff;
  double min_t;
};

void _sim_evq_bucket_grow (SimEvBucket *bk);
void _sim_evq_push_early (SimEvQueue *q, const SimEvent *ev);
gboolean _sim_evq_pop_before_slow (SimEvQueue *q, double limit, SimEvent *ev);

/* The radix key of a time: its IEEE bits, which order like the (non-negative) times. */
static inline guint64
_sim_evq_key (double t)
{
  guint64 k;
  if (!(t > 0)) /* 0, -0 and anything odd sort first */
    return 0;
  memcpy (&k, &t, sizeof k);
  return k;
}

/* The bucket of a key: 0 when it equals `last`, else 1 + the highest bit where they differ.
 * Without a branch: keys are below 2^63, so 2x + 1 has its top bit one above x's (and bit 0 for
 * x = 0); 63 ^ clz is 63 - clz, which the compiler takes straight from bsr. */
static inline int
_sim_evq_bucket_index (guint64 key, guint64 last)
{
  return 63 ^ __builtin_clzll (((key ^ last) << 1) | 1);
}

static inline void
_sim_evq_bucket_append (SimEvBucket *bk, const SimEvent *ev)
{
  if (G_UNLIKELY (bk->end == bk->cap))
    _sim_evq_bucket_grow (bk);
  *bk->end++ = *ev;
}

static inline void
sim_evq_push (SimEvQueue *q, SimEvent ev)
{
  ev.seq = q->seq++;
  guint64 k = _sim_evq_key (ev.t);
  if (k == q->push_key)
    {
      /* the key of the push before (cores in lockstep push at one instant) */
      _sim_evq_bucket_append (q->push_to, &ev);
      return;
    }
  if (G_UNLIKELY (k < q->last))
    _sim_evq_push_early (q, &ev);
  else
    {
      int i = _sim_evq_bucket_index (k, q->last);
      q->nonempty |= (guint64) 1 << i;
      q->push_key = k;
      q->push_to = &q->b[i];
      _sim_evq_bucket_append (&q->b[i], &ev);
    }
}

static inline gboolean
sim_evq_pop_before (SimEvQueue *q, double limit, SimEvent *ev)
{
  SimEvBucket *b0 = &q->b[0];
  if (G_LIKELY (b0->head < b0->end))
    {
      /* the usual case: the front is bucket 0's head */
      if (!(b0->head->t < limit))
        return FALSE;
      *ev = *b0->head++;
      return TRUE;
    }
  return _sim_evq_pop_before_slow (q, limit, ev);
}
