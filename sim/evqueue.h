/* sim/evqueue.h — the engine's event queue: a radix heap on the event time (time only moves
 * forward); equal times leave in push order, so runs are deterministic.  Internal to sim/. */
#pragma once

#include <glib.h>

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
void sim_evq_push (SimEvQueue *q, SimEvent ev);
/* Time of the earliest event; FALSE when empty. */
gboolean sim_evq_peek (SimEvQueue *q, double *t);
SimEvent sim_evq_pop (SimEvQueue *q); /* only after a successful peek */
/* Pop the earliest event into *ev when it comes before `limit` (strictly); FALSE, and nothing
 * popped, when the queue is empty or its earliest event is at or after `limit`. */
gboolean sim_evq_pop_before (SimEvQueue *q, double limit, SimEvent *ev);
gsize sim_evq_len (const SimEvQueue *q);
