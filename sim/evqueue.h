/* sim/evqueue.h — the engine's event queue (a binary heap on time, then push order, so runs are
 * deterministic).  Internal to sim/. */
#pragma once

#include <glib.h>

typedef struct
{
  double t;
  guint64 seq;
  int kind;
  int core;
  int a, b, c;
} SimEvent;

typedef struct SimEvQueue SimEvQueue;

SimEvQueue *sim_evq_new (double bucket_cycles); /* bucket_cycles: unused (kept for tuning) */
void sim_evq_free (SimEvQueue *q);
void sim_evq_push (SimEvQueue *q, SimEvent ev);
/* Time of the earliest event; FALSE when empty. */
gboolean sim_evq_peek (SimEvQueue *q, double *t);
SimEvent sim_evq_pop (SimEvQueue *q); /* only after a successful peek */
gsize sim_evq_len (const SimEvQueue *q);
