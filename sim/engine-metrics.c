/* sim/engine-metrics.c — the metrics of a finished run: utilisation per pipe, stalls and their
 * causes, Cube/Vector overlap, HBM/L2 traffic and what bounds the kernel. */
#include "sim/engine-private.h"

#include <math.h>
#include <string.h>

static const char *
stall_cause_name (int cause)
{
  switch (cause)
    {
    case SIM_PIPE_MTE2:
      return "MTE2 (operands from GM)";
    case SIM_PIPE_MTE1:
      return "MTE1 (L0A/L0B operands)";
    case SIM_PIPE_FIXPIPE:
      return "FixPipe (L0C drained)";
    case SIM_PIPE_CUBE:
      return "the Cube";
    case SIM_PIPE_VECTOR:
      return "the Vector";
    case SIM_PIPE_MTE3:
      return "MTE3";
    case SIM_PIPE_SCALAR:
      return "Scalar";
    case STALL_CROSS:
      return "the other core (cross-core flags)";
    default:
      return "barriers";
    }
}

void
_sim_eng_compute_metrics (Engine *e, double wall_ms)
{
  const SimProgram *p = e->prog;
  const SimHw *hw = e->hw;
  SimMetrics *m = e->m;
  double T = e->now;
  double ns = sim_hw_cycle_ns (hw);
  m->total_ns = T * ns;
  m->n_aic = p->n_aic;
  m->n_aiv = p->n_aiv;
  m->flops = (double) (sim_program_flops (p) + e->mirror_flops);
  m->peak_tflops = sim_hw_peak_flops (hw) / 1e12;
  m->tflops = m->total_ns > 0 ? m->flops / (m->total_ns * 1e-9) / 1e12 : 0;
  m->cube_utilization = m->peak_tflops > 0 ? m->tflops / m->peak_tflops : 0;
  m->instructions = sim_program_instruction_count (p) + e->mirror_instructions;
  m->events = e->events;
  m->core_busy = g_new0 (double, (gsize) p->n_cores * SIM_N_PIPES);
  double stall[N_STALL] = { 0 }, vstall[N_STALL] = { 0 };
  for (int i = 0; i < p->n_cores; i++)
    {
      const SimCore *c = &p->cores[i];
      for (int q = 0; q < SIM_N_PIPES; q++)
        {
          double f = T > 0 ? e->cores[i].pipe[q].busy / T : 0;
          int g = e->core_group[i];
          m->core_busy[g * SIM_N_PIPES + q] = f;
          if (c->kind == SIM_CORE_AIC)
            m->busy_aic[q] += f / p->n_aic;
          else
            m->busy_aiv[q] += f / p->n_aiv;
        }
      for (int s = 0; s < N_STALL; s++)
        {
          if (c->kind == SIM_CORE_AIC)
            stall[s] += e->cores[i].stall[s] / p->n_aic;
          else
            vstall[s] += e->cores[i].stall[s] / p->n_aiv;
        }
    }
  double ov = 0;
  for (int a = 0; a < p->n_aic; a++)
    ov += sim_overlap_finish (&e->cores[a].ov);
  m->cube_vector_overlap = T > 0 ? ov / p->n_aic / T : 0;
  double hbm = 0, l2 = 0, hbm_cap = 0, l2_cap = 0;
  for (int d = 0; d < hw->dies; d++)
    {
      hbm += sim_gm_bytes (die_gm (e, d), d, SIM_GM_HBM);
      l2 += sim_gm_bytes (die_gm (e, d), d, SIM_GM_L2);
      hbm_cap += sim_gm_capacity (die_gm (e, d), d, SIM_GM_HBM);
      l2_cap += sim_gm_capacity (die_gm (e, d), d, SIM_GM_L2);
    }
  m->l2_bytes = (guint64) llround (l2);
  m->l2_busy = T > 0 && l2_cap > 0 ? l2 / (l2_cap * T) : 0;
  m->hbm_bytes = (guint64) llround (hbm);
  m->l2_read_bytes = m->bytes[SIM_PATH_GM_TO_L1_L2] + m->bytes[SIM_PATH_GM_TO_UB_L2];
  m->hbm_busy = T > 0 && hbm_cap > 0 ? hbm / (hbm_cap * T) : 0;

  /* What binds: the Cube when it is busy most of the time; else a saturated data path or the
   * Vector; else latency/serialisation, named by what the Cube waited for (root causes). */
  double cube = m->busy_aic[SIM_PIPE_CUBE], vec = m->busy_aiv[SIM_PIPE_VECTOR];
  int first = 0, second = -1;
  for (int s = 1; s < N_STALL; s++)
    if (stall[s] > stall[first])
      first = s;
  for (int s = 0; s < N_STALL; s++)
    if (s != first && (second < 0 || stall[s] > stall[second]))
      second = s;
  double f1 = T > 0 ? stall[first] / T : 0, f2 = T > 0 && second >= 0 ? stall[second] / T : 0;
  char waits[160];
  if (f2 >= 0.02)
    g_snprintf (waits, sizeof waits, "%s %.0f%%, %s %.0f%%", stall_cause_name (first), 100 * f1,
                stall_cause_name (second), 100 * f2);
  else
    g_snprintf (waits, sizeof waits, "%s %.0f%%", stall_cause_name (first), 100 * f1);
  static const struct
  {
    SimCoreKind kind;
    SimPipe pipe;
    const char *what;
  } movers[] = {
    { SIM_CORE_AIC, SIM_PIPE_MTE2, "AIC MTE2 (GM->L1)" },
    { SIM_CORE_AIC, SIM_PIPE_MTE1, "AIC MTE1 (L1->L0)" },
    { SIM_CORE_AIC, SIM_PIPE_FIXPIPE, "AIC FixPipe (L0C->GM)" },
    { SIM_CORE_AIV, SIM_PIPE_MTE2, "AIV MTE2 (GM->UB)" },
    { SIM_CORE_AIV, SIM_PIPE_MTE3, "AIV MTE3 (UB->GM)" },
  };
  double mover = m->hbm_busy;
  const char *mover_name = "HBM bandwidth";
  for (gsize i = 0; i < G_N_ELEMENTS (movers); i++)
    {
      double b = movers[i].kind == SIM_CORE_AIC ? m->busy_aic[movers[i].pipe]
                                                : m->busy_aiv[movers[i].pipe];
      if (b > mover)
        {
          mover = b;
          mover_name = movers[i].what;
        }
    }
  int working = 0;
  for (int a = 0; a < p->n_aic; a++)
    if (e->cores[a].pipe[SIM_PIPE_CUBE].busy > 0)
      working++;
  if (cube >= 0.80)
    {
      m->bound = SIM_BOUND_CUBE;
      g_snprintf (m->reason, sizeof m->reason,
                  "Cube busy %.0f%%; it waits on %s; busiest data path %s %.0f%%, Vector %.0f%%",
                  100 * cube, waits, mover_name, 100 * mover, 100 * vec);
    }
  else if (mover >= 0.85)
    {
      m->bound = SIM_BOUND_MEMORY;
      g_snprintf (m->reason, sizeof m->reason,
                  "%s busy %.0f%% while the Cube is busy %.0f%%; the Cube waits on %s",
                  mover_name, 100 * mover, 100 * cube, waits);
    }
  else if (vec >= 0.75 || (first == STALL_CROSS && vec >= 0.6))
    {
      m->bound = SIM_BOUND_VECTOR;
      g_snprintf (m->reason, sizeof m->reason,
                  "Vector busy %.0f%% while the Cube is busy %.0f%%; the Cube waits on %s",
                  100 * vec, 100 * cube, waits);
    }
  else if (working < p->n_aic / 2)
    {
      m->bound = SIM_BOUND_SYNC;
      g_snprintf (m->reason, sizeof m->reason,
                  "too little work: only %d of %d AICs have a task; the busy ones wait on %s "
                  "(latency and pipeline fill dominate)",
                  working, p->n_aic, waits);
    }
  else
    {
      m->bound = SIM_BOUND_SYNC;
      g_snprintf (m->reason, sizeof m->reason,
                  "no unit saturated (Cube %.0f%%, Vector %.0f%%, busiest data path %s %.0f%%): "
                  "the Cube waits on %s (latency and serial dependencies)",
                  100 * cube, 100 * vec, mover_name, 100 * mover, waits);
    }
  (void) vstall;
  (void) wall_ms;
}
