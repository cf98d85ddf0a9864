/* sim/engine-parts.c — die partitions: each die runs as its own event loop (its own clock, queue
 * and GM model), on a thread of its own when there are processors; then the shared engine takes
 * their clocks, errors, bytes and flows. */
#include "sim/engine-private.h"

#include <math.h>
#include <string.h>

typedef struct
{
  Engine *parts;
  int n, first, step;
  SimProgram *twin; /* die symmetry: die 1 is compared with die 0 before it would run */
} Stripe;

static gpointer
run_stripe (gpointer data)
{
  Stripe *st = data;
  for (int i = st->first; i < st->n; i += st->step)
    {
      Engine *pe = &st->parts[i];
      if (i == 1 && st->twin && _sim_eng_mirror_check (pe, st->twin, 1))
        {
          pe->mirrored = TRUE; /* die 0's results, once it has them */
          continue;
        }
      _sim_eng_run_part (pe);
    }
  return NULL;
}

/* Run every partition (one per die unless something couples the dies), on threads when allowed,
 * then merge clocks, errors, event counts, bytes and flows into the shared engine.  The result
 * does not depend on the number of threads: partitions never interact. */
void
_sim_eng_run_partitions (Engine *e, double bucket_cycles)
{
  int n = e->hw->dies > 1 && !e->coupled ? e->hw->dies : 1;
  Engine *parts = g_new0 (Engine, n);
  SimMetrics *pm = g_new0 (SimMetrics, n);
  for (int i = 0; i < n; i++)
    {
      parts[i] = *e;
      parts[i].die = n > 1 ? i : -1;
      parts[i].m = &pm[i];
      parts[i].gm = sim_gm_new (e->hw, bucket_cycles);
      if (!e->trace || !e->opt->record_counters)
        sim_gm_skip_buckets (parts[i].gm); /* only the bandwidth counters read them */
      parts[i].events_q = sim_evq_new (16);
      parts[i].flows = g_array_new (FALSE, FALSE, sizeof (SimFlow));
    }
  /* die symmetry (sim/engine-mirror.c): two dies, die 1 recorded only where die 0 is, a twin */
  SimProgram *twin = NULL;
  if (n == 2 && _sim_eng_can_mirror_trace (e, 1) && !e->opt->every_die && e->issue_model
      && e->prog->source)
    twin = sim_program_new_twin (e->prog);
  int threads = e->opt->threads > 0 ? e->opt->threads : (int) g_get_num_processors ();
  threads = CLAMP (threads, 1, n);
  /* worker k runs partitions k, k + threads, ...; worker 0 is this thread */
  Stripe *st = g_new0 (Stripe, threads);
  GThread **th = g_new0 (GThread *, threads);
  for (int k = 0; k < threads; k++)
    st[k] = (Stripe){ parts, n, k, threads, twin };
  for (int k = 1; k < threads; k++)
    th[k] = g_thread_new ("sim-die", run_stripe, &st[k]);
  run_stripe (&st[0]);
  for (int k = 1; k < threads; k++)
    g_thread_join (th[k]);
  g_free (th);
  g_free (st);
  if (n == 2 && parts[1].mirrored)
    {
      if (parts[0].error)
        ; /* die 1 would have failed the same way at the same time: die 0's error is reported */
      else if (_sim_eng_die_stuck (&parts[0], 0) || !_sim_eng_mirror_die (e, parts, 1))
        {
          /* a deadlock names stuck cores of every die: die 1's must be there to be named */
          parts[1].mirrored = FALSE;
          _sim_eng_run_part (&parts[1]);
        }
      else
        {
          e->mirror_instructions += parts[1].mirror_instructions;
          e->mirror_flops += parts[1].mirror_flops;
          e->dies_mirrored++;
        }
    }
  sim_program_free (twin);
  for (int i = 0; i < n; i++)
    {
      Engine *pe = &parts[i];
      e->now = MAX (e->now, pe->now);
      e->events += pe->events;
      e->unrecorded_spans += pe->unrecorded_spans;
      e->unrecorded_stages |= pe->unrecorded_stages;
      for (int b = 0; b < SIM_N_PATHS; b++)
        e->m->bytes[b] += pe->m->bytes[b];
      /* the earliest error in simulated time, ties to the lower die: what one event loop over
       * the whole chip would have reported, whatever the split and the thread count */
      if (pe->error && (!e->error || pe->error_at < e->error_at))
        {
          g_clear_error (&e->error);
          e->error = g_steal_pointer (&pe->error);
          e->error_at = pe->error_at;
        }
      g_clear_error (&pe->error);
      if (e->trace)
        for (guint f = 0; f < pe->flows->len; f++)
          {
            SimFlow *fl = &g_array_index (pe->flows, SimFlow, f);
            fl->id = ++e->flow_id;
            sim_trace_add_flow (e->trace, fl);
          }
      g_array_unref (pe->flows);
      pe->flows = NULL;
      pe->m = NULL;
      sim_evq_free (pe->events_q);
      pe->events_q = NULL;
    }
  g_free (pm);
  e->parts = parts;
  e->n_parts = n;
}
