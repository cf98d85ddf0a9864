/* bench/bench-sim.c — how fast the simulator answers: program build and engine time for the
 * default and the large configuration, with and without recording the trace, and simulated
 * instructions per second.  Prints medians of several runs. */
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>

#include "kernels/amla.h"

static int
cmp_double (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

static double
median (double *v, int n)
{
  qsort (v, n, sizeof *v, cmp_double);
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

static void
bench (const char *label, const AmlaConfig *cfg, const SimHw *hw, int reps)
{
  double build[32], eng[32], eng_trace[32], total[32], one[32];
  guint64 instr = 0;
  double util = 0;
  for (int r = 0; r < reps; r++)
    {
      gint64 t0 = g_get_monotonic_time ();
      g_autoptr (GError) err = NULL;
      SimProgram *p = amla_program_build (cfg, hw, &err);
      if (!p)
        {
          fprintf (stderr, "%s\n", err->message);
          exit (1);
        }
      gint64 t1 = g_get_monotonic_time ();
      SimRunOptions opt;
      sim_run_options_init (&opt);
      opt.record_trace = FALSE;
      SimResult *res = sim_engine_run (p, &opt, &err);
      gint64 t2 = g_get_monotonic_time ();
      opt.record_trace = TRUE;
      SimResult *res2 = sim_engine_run (p, &opt, &err);
      gint64 t3 = g_get_monotonic_time ();
      opt.threads = 1; /* the dies one after the other on this thread */
      SimResult *res3 = sim_engine_run (p, &opt, &err);
      gint64 t4 = g_get_monotonic_time ();
      one[r] = (t4 - t3) / 1000.0;
      sim_result_free (res3);
      instr = res->metrics.instructions;
      util = res->metrics.cube_utilization;
      build[r] = (t1 - t0) / 1000.0;
      eng[r] = (t2 - t1) / 1000.0;
      eng_trace[r] = (t3 - t2) / 1000.0;
      total[r] = build[r] + eng_trace[r];
      sim_result_free (res);
      sim_result_free (res2);
      sim_program_free (p);
    }
  double b = median (build, reps), e = median (eng, reps), et = median (eng_trace, reps);
  double tt = median (total, reps), o = median (one, reps);
  printf ("%-8s %9" G_GUINT64_FORMAT " instr  build %6.1f ms  engine %6.1f ms (no trace) %6.1f ms "
          "(trace)  build+engine+trace %6.1f ms  %5.1f M instr/s  util %.1f%%\n"
          "         engine + trace on one thread %6.1f ms (dies in parallel: %.2fx)\n",
          label, instr, b, e, et, tt, instr / (e * 1e3), 100 * util, o, o / et);
}

int
main (int argc, char **argv)
{
  int reps = argc > 1 ? atoi (argv[1]) : 5;
  reps = CLAMP (reps, 1, 32);
  g_autoptr (GError) err = NULL;
  g_autoptr (SimHw) hw = sim_hw_load ("ascend910c", &err);
  if (!hw)
    {
      fprintf (stderr, "%s\n", err->message);
      return 1;
    }
  AmlaConfig cfg;
  amla_config_init (&cfg);
  printf ("amlaviz simulator benchmark (median of %d runs, whole chip: %d AIC + %d AIV, %u "
          "processors)\n", reps, sim_hw_aic_count (hw), sim_hw_aiv_count (hw),
          g_get_num_processors ());
  bench ("default", &cfg, hw, reps);
  cfg.kv_len = 16384;
  bench ("large", &cfg, hw, reps);
  return 0;
}
