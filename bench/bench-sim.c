/* bench/bench-sim.c — how fast the simulator answers and how much memory it takes: for the
 * default, large (S_kv = 16384) and S_kv = 65536 shapes, a whole run as `amlasim run` does it
 * (streamed program + engine, metrics only) and with the trace recorded, the median wall time,
 * simulated instructions per second and the peak RSS.  Each shape runs in a child process, so its
 * peak RSS is its own (wait4).  Also the one-thread time (the dies one after the other), the
 * same three with every die simulated (no die symmetry: the engine's own speed, and what a shape
 * whose dies differ costs), and the built program of issue 11 for comparison (build + engine).
 * Each child runs once untimed first (warm memory; not the huge shape).  Beside the median wall
 * time, the mean CPU time of a run (user + system, every thread): with two processors the dies
 * run at once, so die symmetry saves processor time more than wall time.
 *
 *   bench-sim [REPS] [--shape default|large|65536|huge]
 *
 * "huge" is B=64 S_kv=1048576 S_q=16 without a trace, once (minutes). */
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench/bench-util.h"
#include "kernels/amla.h"

/* one amla_run as `amlasim run` does it; returns wall ms */
static double
timed_run (const AmlaConfig *cfg, const SimHw *hw, gboolean trace, int threads, gboolean every_die,
           guint64 *instr, double *util)
{
  SimRunOptions opt;
  sim_run_options_init (&opt);
  opt.record_trace = trace;
  opt.threads = threads;
  opt.every_die = every_die;
  g_autoptr (GError) err = NULL;
  gint64 t0 = g_get_monotonic_time ();
  AmlaRun *run = amla_run (cfg, hw, &opt, &err);
  double ms = (g_get_monotonic_time () - t0) / 1000.0;
  if (!run)
    {
      fprintf (stderr, "%s\n", err->message);
      exit (1);
    }
  *instr = run->result->metrics.instructions;
  *util = run->result->metrics.cube_utilization;
  amla_run_free (run);
  return ms;
}

/* the issue-11 way: every instruction built before the engine runs */
static double
timed_built (const AmlaConfig *cfg, const SimHw *hw)
{
  SimRunOptions opt;
  sim_run_options_init (&opt);
  opt.record_trace = FALSE;
  g_autoptr (GError) err = NULL;
  gint64 t0 = g_get_monotonic_time ();
  SimProgram *p = amla_program_build (cfg, hw, &err);
  SimResult *res = p ? sim_engine_run (p, &opt, &err) : NULL;
  double ms = (g_get_monotonic_time () - t0) / 1000.0;
  if (!res)
    {
      fprintf (stderr, "%s\n", err->message);
      exit (1);
    }
  sim_result_free (res);
  sim_program_free (p);
  return ms;
}

typedef enum
{
  MODE_METRICS,
  MODE_TRACE,
  MODE_ONE_THREAD,
  MODE_EVERY_DIE,
  MODE_ONE_THREAD_EVERY_DIE,
  MODE_TRACE_EVERY_DIE,
  MODE_BUILT,
} Mode;

static const char *const mode_names[]
    = { "run (metrics only)",      "run + trace",           "run, one thread",
        "run, every die",          "one thread, every die", "run + trace, every die",
        "built program (issue 11)" };

/* In a child: reps runs of one mode, printing the medians; the parent adds the child's peak RSS. */
static void
bench_mode (const char *label, const AmlaConfig *cfg, const SimHw *hw, Mode mode, int reps,
            gboolean warm)
{
  fflush (stdout);
  pid_t pid = fork ();
  if (pid == 0)
    {
      double wall[64];
      guint64 instr = 0;
      double util = 0;
      gboolean one = mode == MODE_ONE_THREAD || mode == MODE_ONE_THREAD_EVERY_DIE;
      gboolean every = mode == MODE_EVERY_DIE || mode == MODE_ONE_THREAD_EVERY_DIE
                       || mode == MODE_TRACE_EVERY_DIE;
      gboolean trace = mode == MODE_TRACE || mode == MODE_TRACE_EVERY_DIE;
      /* one run first, not timed: the first touch of new memory costs a fault into the host on
       * these VMs (page reporting), so a child's first run depended on what the child before it
       * had freed (stop 21 saw a 2x swing on the order of two modes); the timed runs find the
       * process's memory warm, as the window's runs do */
      if (warm && mode == MODE_BUILT)
        timed_built (cfg, hw);
      else if (warm)
        timed_run (cfg, hw, trace, one ? 1 : 0, every, &instr, &util);
      double c0 = bench_cpu_ms ();
      for (int r = 0; r < reps; r++)
        wall[r] = mode == MODE_BUILT
                      ? timed_built (cfg, hw)
                      : timed_run (cfg, hw, trace, one ? 1 : 0, every, &instr, &util);
      double cpu = (bench_cpu_ms () - c0) / reps;
      if (mode == MODE_BUILT)
        timed_run (cfg, hw, FALSE, 0, FALSE, &instr, &util); /* for the counts only */
      double m = bench_median (wall, reps);
      printf ("%-8s %-26s %9.1f ms  CPU %7.1f ms  %7.2f M instr  %6.1f M instr/s  util %.1f%%",
              label, mode_names[mode], m, cpu, instr / 1e6, instr / (m * 1e3), 100 * util);
      fflush (stdout);
      _exit (0);
    }
  int status = 0;
  struct rusage ru;
  if (pid < 0 || wait4 (pid, &status, 0, &ru) < 0 || !WIFEXITED (status)
      || WEXITSTATUS (status) != 0)
    {
      fprintf (stderr, "bench-sim: the %s run failed\n", label);
      exit (1);
    }
  printf ("  peak RSS %6.1f MB\n", ru.ru_maxrss / 1024.0);
}

int
main (int argc, char **argv)
{
  int reps = 5;
  const char *only = NULL;
  for (int i = 1; i < argc; i++)
    if (g_str_equal (argv[i], "--shape") && i + 1 < argc)
      only = argv[++i];
    else
      reps = atoi (argv[i]);
  reps = CLAMP (reps, 1, 64);
  g_autoptr (GError) err = NULL;
  g_autoptr (SimHw) hw = sim_hw_load ("ascend910c", &err);
  if (!hw)
    {
      fprintf (stderr, "%s\n", err->message);
      return 1;
    }
  printf ("amlaviz simulator benchmark (median of %d runs, whole chip: %d AIC + %d AIV, %u "
          "processors; each line in a child process, peak RSS its own)\n",
          reps, sim_hw_aic_count (hw), sim_hw_aiv_count (hw), g_get_num_processors ());
  struct
  {
    const char *label;
    int batch, kv, sq;
  } shapes[] = {
    { "default", 96, 4096, 2 },
    { "large", 96, 16384, 2 },
    { "65536", 96, 65536, 2 },
    { "huge", 64, 1048576, 16 },
  };
  for (gsize s = 0; s < G_N_ELEMENTS (shapes); s++)
    {
      gboolean huge = g_str_equal (shapes[s].label, "huge");
      if (only ? !g_str_equal (only, shapes[s].label) : huge)
        continue;
      AmlaConfig cfg;
      amla_config_init (&cfg);
      cfg.batch = shapes[s].batch;
      cfg.kv_len = shapes[s].kv;
      cfg.sq = shapes[s].sq;
      int n = huge || shapes[s].kv >= 65536 ? 1 : reps;
      bench_mode (shapes[s].label, &cfg, hw, MODE_METRICS, n, !huge);
      if (huge)
        continue;
      bench_mode (shapes[s].label, &cfg, hw, MODE_TRACE, n, !huge);
      bench_mode (shapes[s].label, &cfg, hw, MODE_TRACE_EVERY_DIE, n, !huge);
      bench_mode (shapes[s].label, &cfg, hw, MODE_ONE_THREAD, n, !huge);
      bench_mode (shapes[s].label, &cfg, hw, MODE_EVERY_DIE, n, !huge);
      bench_mode (shapes[s].label, &cfg, hw, MODE_ONE_THREAD_EVERY_DIE, n, !huge);
      bench_mode (shapes[s].label, &cfg, hw, MODE_BUILT, n, !huge);
    }
  return 0;
}
