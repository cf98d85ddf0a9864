/* bench/bench-sweep.c — wall time of a 200-configuration sweep of the default shape family
 * (B in {8,16,32,64,96} x S_kv in {512..8192} x all 8 toggle combinations, S_q = 2, H = 128,
 * ascend910c) with one worker thread and with all processors, and the speed-up. */
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>

#include "bench/bench-util.h"
#include "kernels/sweep.h"

/* Wall time of the sweep; *cores_busy = CPU time / wall time (how many cores it kept busy: on a
 * machine shared with other jobs, a speed-up below the thread count shows up here). */
static double
run_ms (const SweepGrid *grid, int threads, double *sim_ms, double *cores_busy)
{
  double cpu0 = bench_cpu_ms ();
  SweepRunOptions opt;
  sweep_run_options_init (&opt);
  opt.threads = threads;
  g_autoptr (GError) err = NULL;
  gint64 t0 = g_get_monotonic_time ();
  g_autoptr (GArray) res = sweep_run (grid, &opt, &err);
  double ms = (g_get_monotonic_time () - t0) / 1e3;
  if (res == NULL)
    {
      fprintf (stderr, "bench-sweep: %s\n", err->message);
      exit (1);
    }
  for (guint i = 0; i < res->len; i++)
    if (g_array_index (res, SweepResult, i).error != NULL)
      {
        fprintf (stderr, "bench-sweep: point %u failed: %s\n", i,
                 g_array_index (res, SweepResult, i).error);
        exit (1);
      }
  *sim_ms = ms / res->len;
  *cores_busy = (bench_cpu_ms () - cpu0) / ms;
  return ms;
}

int
main (int argc, char **argv)
{
  g_autoptr (SweepGrid) grid = sweep_grid_new (NULL);
  sweep_grid_add_values (grid, SWEEP_AXIS_BATCH, "8,16,32,64,96", NULL);
  sweep_grid_add_values (grid, SWEEP_AXIS_KV, "512..8192*2", NULL);
  sweep_grid_all_toggles (grid);
  guint64 n = sweep_grid_size (grid);
  int cores = (int) g_get_num_processors ();
  double per1, perN, busy1, busyN;
  double t1 = run_ms (grid, 1, &per1, &busy1);
  double tn = run_ms (grid, cores, &perN, &busyN);
  printf ("sweep of %" G_GUINT64_FORMAT " configurations (B 8..96 x S_kv 512..8192 x 8 toggle "
          "combinations, S_q=2, H=128, ascend910c)\n",
          n);
  printf ("  1 thread:   %8.1f ms wall (%.2f ms per configuration, %.2f cores busy)\n", t1, per1,
          busy1);
  printf ("  %d threads: %8.1f ms wall (%.2f ms per configuration, %.2f cores busy)\n", cores, tn,
          perN, busyN);
  printf ("  speed-up:   %.2fx on %d processors\n", t1 / tn, cores);
  return 0;
}
