/* sim/evqueue.h — the engine's event queue: events by time, equal times in push order (so runs
 * are deterministic); time only moves forward, but an event may still be pushed before the
 * front.  Internal to sim/. */
#pragma once

#include <glib.h>
#include <string.h>

typedef struct
{
  double t;
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

/* ---- internals: the layout is here only so that a push and a pop are inline (the engine's
 * hottest calls) */

/* The events of one time (one key), in push order.  The cores run in lockstep, so hundreds of
 * events share an instant: a queue of instants, each a FIFO, orders a few tens of thousands of
 * instants in a default run instead of half a million events. */
typedef struct
{
  SimEvent *head, *end; /* [head, end) are live; head moves on as the front is popped */
  SimEvent *items, *cap;
  guint64 key;   /* its events' key; G_MAXUINT64 when free (no time has it: keys are below 2^63) */
  guint64 order; /* FIFOs made before it: two FIFOs of one key leave in this order */
} SimEvFifo;

typedef struct
{
  guint64 key, order;
  SimEvFifo *f;
} SimEvHeapNode;

#define SIM_EVQ_CACHE 256

struct SimEvQueue
{
  /* The FIFO the front is popped from, or `none` (empty).  Its key is at or below every key in
   * the heap (an equal key there was made later), so while it has events its head is the front;
   * it may be empty while pushes can still find it (then the heap's top comes next). */
  SimEvFifo *front;
  /* The key of the last push and its FIFO (G_MAXUINT64: none): the cores in lockstep push runs
   * at one instant. */
  guint64 push_key;
  SimEvFifo *push_to;
  /* The other FIFOs with events: a binary heap on (key, order). */
  SimEvHeapNode *heap;
  guint n_heap, cap_heap;
  /* A FIFO per hash of its key, for a push to find: the newest FIFO of its key or one that is
   * not (a collision or a FIFO since freed).  A push that does not find its key's FIFO makes a
   * new one, which then leaves after the older ones of its key: the order holds either way. */
  SimEvFifo *cache[SIM_EVQ_CACHE];
  SimEvFifo **pool; /* free FIFOs (they keep their room) */
  guint n_pool;
  SimEvFifo **all; /* every FIFO made, for sim_evq_free */
  guint n_all, cap_all;
  guint64 order;
  SimEvFifo none;
};

void _sim_evq_push_slow (SimEvQueue *q, const SimEvent *ev, guint64 key);
gboolean _sim_evq_pop_before_slow (SimEvQueue *q, double limit, SimEvent *ev);

/* The key of a time: its IEEE bits, which order like the (non-negative) times. */
static inline guint64
_sim_evq_key (double t)
{
  guint64 k;
  if (!(t > 0)) /* 0, -0 and anything odd sort first */
    return 0;
  memcpy (&k, &t, sizeof k);
  return k;
}

static inline void
sim_evq_push (SimEvQueue *q, SimEvent ev)
{
  guint64 k = _sim_evq_key (ev.t);
  SimEvFifo *f = q->push_to;
  if (G_LIKELY (k == q->push_key && f->end < f->cap))
    {
      /* the key of the push before, with room */
      *f->end++ = ev;
      return;
    }
  _sim_evq_push_slow (q, &ev, k);
}

static inline gboolean
sim_evq_pop_before (SimEvQueue *q, double limit, SimEvent *ev)
{
  SimEvFifo *f = q->front;
  if (G_LIKELY (f->head < f->end))
    {
      /* the usual case: the front is the front FIFO's head */
      if (!(f->head->t < limit))
        return FALSE;
      *ev = *f->head++;
      return TRUE;
    }
  return _sim_evq_pop_before_slow (q, limit, ev);
}
