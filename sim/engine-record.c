/* sim/engine-record.c — what a run records for the trace: its layout (a group per core, a lane per
 * pipe, occupancy counters), spans, buffer occupancy, flag arrows and bandwidth counters. */
#include "sim/engine-private.h"

#include <math.h>
#include <string.h>

/* ---- trace recording ---- */

guint32
_sim_eng_trace_str (Engine *e, guint16 id)
{
  if (e->str_map[id] == G_MAXUINT32)
    e->str_map[id] = sim_trace_intern (e->trace, sim_program_string (e->prog, id));
  return e->str_map[id];
}

/* str_map holds every string the program has written so far (mapped up front and at each
 * refill, under the program's lock), so a span only reads it */
static inline guint32
span_str (Engine *e, guint16 id)
{
  guint32 mapped = e->str_map[id];
  return G_LIKELY (mapped != G_MAXUINT32) ? mapped : _sim_eng_trace_str (e, id);
}

void
_sim_eng_record_span (Engine *e, int core, int pipe, const SimInstr *in, double t0, double t1)
{
  SimLane *lane = e->lanes[core * SIM_N_PIPES + pipe];
  if (!lane)
    {
      /* a core the trace leaves out: only counted, for the whole run's size and legend */
      e->unrecorded_spans++;
      e->unrecorded_stages |= 1u << MIN (in->stage, 31);
      return;
    }
  /* written in place, member by member (a span built aside and copied took twice the stores) */
  SimSpan *s;
  if (G_LIKELY (lane->n_spans < lane->cap_spans)) /* the room the run reserved */
    s = &lane->spans[lane->n_spans++];
  else
    s = sim_lane_append (lane, &(SimSpan){ 0 });
  double ns = e->cycle_ns;
  gboolean dma = in->op == SIM_OP_DMA;
  s->start_ns = t0 * ns;
  s->dur_ns = (t1 - t0) * ns;
  s->name = span_str (e, in->name);
  s->detail = in->detail ? span_str (e, in->detail) : 0;
  s->task = in->task;
  s->iter = in->iter;
  s->bytes = dma || in->op == SIM_OP_VECTOR ? in->bytes : 0;
  s->flops = in->op == SIM_OP_MMAD ? in->flops : 0;
  s->stage = in->stage;
  s->flags = dma ? (in->atomic ? SIM_SPAN_ATOMIC : 0)
                       | (e->cores[core].pipe[pipe].l2_hit ? SIM_SPAN_L2_HIT : 0)
                 : 0;
  s->depth = 0;
  s->extra = 0;
}

void
_sim_eng_record_occupancy (Engine *e, int core, int mem)
{
  CoreState *cs = &e->cores[core];
  if (!cs->occ_counter[mem])
    return;
  sim_counter_append (cs->occ_counter[mem], e->now * sim_hw_cycle_ns (e->hw),
                      cs->occupancy[mem]);
}

void
_sim_eng_record_flow (Engine *e, const SetRecord *src, int dst_core, int dst_pipe, const SimInstr *in)
{
  if (!e->trace || !e->opt->record_flows)
    return;
  SimLane *sl = e->lanes[src->core * SIM_N_PIPES + src->pipe];
  SimLane *dl = e->lanes[dst_core * SIM_N_PIPES + dst_pipe];
  if (!sl || !dl)
    return;
  SimGroup *sg = g_ptr_array_index (e->trace->groups, e->core_group[src->core]);
  SimGroup *dg = g_ptr_array_index (e->trace->groups, e->core_group[dst_core]);
  guint sli = 0, dli = 0;
  g_ptr_array_find (sg->lanes, sl, &sli);
  g_ptr_array_find (dg->lanes, dl, &dli);
  double ns = sim_hw_cycle_ns (e->hw);
  SimFlow f = {
    .id = 0, /* assigned when the partitions are merged */
    .name = _sim_eng_trace_str (e, in->name),
    .src_group = (guint32) e->core_group[src->core],
    .src_lane = sli,
    .dst_group = (guint32) e->core_group[dst_core],
    .dst_lane = dli,
    /* 1 ps inside the setting span, so Perfetto binds the arrow to it (a flow start binds to
     * the slice enclosing its time, and the set fires exactly at that span's end) */
    .src_ns = MAX (src->t * ns - 0.001, 0),
    .dst_ns = e->now * ns,
  };
  g_array_append_val (e->flows, f);
}

void
_sim_eng_build_trace_layout (Engine *e)
{
  const SimProgram *p = e->prog;
  SimTrace *t = e->trace;
  int sort = 0;
  for (int a = 0; a < p->n_aic; a++)
    {
      int members[8];
      int n = 0;
      const SimRunOptions *o = e->opt;
      gboolean recorded = o->trace_aic_count <= 0
                          || (a >= o->trace_aic_first && a < o->trace_aic_first + o->trace_aic_count);
      members[n++] = a;
      for (int s = 0; s < e->hw->aiv_per_aic && n < 8; s++)
        members[n++] = p->n_aic + a * e->hw->aiv_per_aic + s;
      for (int k = 0; k < n; k++)
        {
          int core = members[k];
          const SimCore *c = &p->cores[core];
          g_autofree char *name = g_strdup_printf ("%s%d", c->kind == SIM_CORE_AIC ? "AIC" : "AIV",
                                                   c->index);
          SimGroup *g = sim_trace_add_group (t, name, sort + 1, sort, c->kind, c->index);
          g->die = c->die;
          e->core_group[core] = sort;
          sort++;
          int ls = 0;
          if (!recorded)
            continue; /* nobody looks at it: no lanes, no spans, no counters */
          for (int q = 0; q < SIM_N_PIPES; q++)
            if (sim_pipe_on_core ((SimPipe) q, c->kind))
              e->lanes[core * SIM_N_PIPES + q]
                  = sim_group_add_lane (g, sim_pipe_name ((SimPipe) q), q + 1, ls++, (SimPipe) q);
          if (e->opt->record_counters && a == 0)
            {
              static const SimMem mems[] = { SIM_MEM_L1, SIM_MEM_L0A, SIM_MEM_L0B, SIM_MEM_L0C,
                                             SIM_MEM_UB };
              for (gsize m = 0; m < G_N_ELEMENTS (mems); m++)
                if ((c->kind == SIM_CORE_AIC) == (mems[m] != SIM_MEM_UB))
                  {
                    g_autofree char *cn = g_strdup_printf ("%s occupancy", sim_mem_name (mems[m]));
                    e->cores[core].occ_counter[mems[m]]
                        = sim_trace_add_counter (t, cn, "bytes", e->core_group[core]);
                    sim_counter_append (e->cores[core].occ_counter[mems[m]], 0, 0);
                  }
            }
        }
    }
}

void
_sim_eng_add_bandwidth_counters (Engine *e, double bucket_cycles)
{
  double ns = sim_hw_cycle_ns (e->hw);
  for (int d = 0; d < e->hw->dies; d++)
    for (int l = 0; l < 2; l++)
      {
        gsize n;
        const double *b = sim_gm_buckets (die_gm (e, d), d, (SimGmLevel) l, &n);
        g_autofree char *name = g_strdup_printf ("die%d %s bandwidth", d, l == 0 ? "HBM" : "L2");
        SimCounter *c = sim_trace_add_counter (e->trace, name, "GB/s", -1);
        for (gsize i = 0; i < n; i++)
          sim_counter_append (c, i * bucket_cycles * ns, b[i] / (bucket_cycles * ns));
        sim_counter_append (c, n * bucket_cycles * ns, 0);
      }
}
