/* bench/bench-trace.c — trace file speed and memory, with the Python floor beside it.
 *
 * Builds a 1,000,000-event trace (48 cores, 5 pipes each, spans with args + flows + counters),
 * writes it --runs times as a new file and over itself (sim_trace_write_json: format, write(2),
 * fsync when replacing, rename) and as a new .json.gz (the same, deflated) and reads it
 * --runs times (sim_trace_read_json), and prints the medians in MB/s.  Peak RSS of opening is
 * measured in a child process that only opens the file.  Where python3 exists, the same file is
 * read with json.load plus a span extraction (the floor any reader should beat) and the ratio is
 * printed; without python3 that line says it was skipped.  --amlasim PATH also times
 * `amlasim run` against `amlasim run -o` for the default configuration, after the cost of new
 * memory on this machine (first touch after 3 s idle and right after), and the CPU time the
 * trace adds (what two processors must spend however the work overlaps).  --file TRACE measures
 * reading an existing trace instead of a generated one.  Numbers only: nothing is asserted.
 *
 * Usage: bench-trace [--events N] [--runs R] [--dir DIR] [--amlasim PATH] [--file TRACE]
 */
#include <glib.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#include "sim/trace/trace-json.h"

/* json.load + the spans a viewer needs: what "reading a trace" costs in plain Python */
static const char python_floor[]
    = "import json, sys, time\n"
      "t0 = time.perf_counter()\n"
      "with open(sys.argv[1], 'rb') as f:\n"
      "    doc = json.load(f)\n"
      "ev = doc['traceEvents'] if isinstance(doc, dict) else doc\n"
      "spans = [(e.get('pid'), e.get('tid'), e['ts'], e.get('dur', 0), e.get('name'))\n"
      "         for e in ev if e.get('ph') == 'X']\n"
      "print(time.perf_counter() - t0, len(spans), time.process_time())\n";

/* ms to write `bytes` from one reused MiB to a new file in dir with write(2), as the trace
 * writer's output thread does: what the file system and the page cache cost, with nothing to
 * format; -1 on an error. */
static double
page_cache_ms (const char *dir, gsize bytes)
{
  g_autofree char *path = g_build_filename (dir, "bench-trace-pagecache.bin", NULL);
  g_unlink (path);
  FILE *f = fopen (path, "wb");
  if (f == NULL)
    return -1;
  const gsize chunk = (gsize) 1 << 20;
  g_autofree char *buf = g_malloc (chunk);
  memset (buf, '7', chunk);
  int fd = fileno (f);
  gint64 t0 = g_get_monotonic_time ();
  for (gsize left = bytes; left > 0;)
    {
      gsize n = MIN (left, chunk);
      ssize_t w = write (fd, buf, n);
      if (w <= 0)
        {
          fclose (f);
          g_unlink (path);
          return -1;
        }
      left -= (gsize) w;
    }
  double ms = (g_get_monotonic_time () - t0) / 1e3;
  fclose (f);
  g_unlink (path);
  return ms;
}

/* ms to write every byte of a new anonymous mapping of `bytes` (advised for huge pages, as the
 * simulator's blocks are: sim/bigmem.c), -1 if it cannot be mapped. */
static double
first_touch_ms (gsize bytes)
{
  char *p = mmap (NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED)
    return -1;
#ifdef MADV_HUGEPAGE
  madvise (p, bytes, MADV_HUGEPAGE);
#endif
  gint64 t0 = g_get_monotonic_time ();
  memset (p, 1, bytes);
  double ms = (g_get_monotonic_time () - t0) / 1e3;
  munmap (p, bytes);
  return ms;
}

static double
cpu_seconds (void)
{
  struct rusage ru;
  getrusage (RUSAGE_SELF, &ru);
  return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + ru.ru_stime.tv_sec
         + ru.ru_stime.tv_usec / 1e6;
}

static double
peak_rss_mib (void)
{
  struct rusage ru;
  getrusage (RUSAGE_SELF, &ru);
  return ru.ru_maxrss / 1024.0; /* Linux: KiB */
}

static int
cmp_double (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

static double
median (double *v, int n)
{
  qsort (v, (size_t) n, sizeof *v, cmp_double);
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static SimTrace *
make_trace (guint64 n_events)
{
  SimTrace *t = sim_trace_new ();
  const SimPipe pipes[] = { SIM_PIPE_MTE2, SIM_PIPE_MTE1, SIM_PIPE_CUBE, SIM_PIPE_FIXPIPE,
                            SIM_PIPE_SCALAR };
  const int n_groups = 48, n_lanes = G_N_ELEMENTS (pipes);
  guint32 names[8];
  for (int i = 0; i < 8; i++)
    {
      g_autofree char *s = g_strdup_printf ("op %d", i);
      names[i] = sim_trace_intern (t, s);
    }
  for (int g = 0; g < n_groups; g++)
    {
      g_autofree char *gname = g_strdup_printf ("AIC%d", g);
      SimGroup *grp = sim_trace_add_group (t, gname, g + 1, g, SIM_CORE_AIC, g);
      for (int l = 0; l < n_lanes; l++)
        sim_group_add_lane (grp, sim_pipe_name (pipes[l]), l, l, pipes[l]);
    }
  guint64 n_flows = n_events / 50, n_points = n_events / 50;
  guint64 n_spans = n_events - 2 * n_flows - n_points;
  for (guint64 i = 0; i < n_spans; i++)
    {
      int g = (int) (i % n_groups), l = (int) ((i / n_groups) % n_lanes);
      guint64 k = i / (n_groups * n_lanes);
      /* times off the ns grid, as the simulator's cycle-based times are */
      SimSpan s = { .start_ns = k * 100.0 + l * 3.5 + 1 / 3.0, .dur_ns = 87.25 + 1 / 7.0,
                    .name = names[i % 8], .task = (gint32) (k / 16), .iter = (gint32) (k % 16),
                    .bytes = 73728, .stage = 1 + i % 4 };
      sim_lane_append (sim_trace_lane (t, g, l), &s);
    }
  guint32 flag = sim_trace_intern (t, "S ready");
  for (guint64 i = 0; i < n_flows; i++)
    {
      SimFlow f = { .name = flag, .src_group = i % n_groups, .src_lane = 3,
                    .dst_group = i % n_groups, .dst_lane = 2, .src_ns = i * 250.0,
                    .dst_ns = i * 250.0 + 20 };
      sim_trace_add_flow (t, &f);
    }
  SimCounter *c = sim_trace_add_counter (t, "GM bandwidth", "GB/s", -1);
  for (guint64 i = 0; i < n_points; i++)
    sim_counter_append (c, i * 50.0, (double) (i % 1000) * 1.5);
  sim_trace_finish (t);
  return t;
}

/* Child mode: open once, print seconds, spans and peak RSS in MiB. */
static int
read_once (const char *path)
{
  g_autoptr (GError) err = NULL;
  double c0 = cpu_seconds ();
  gint64 t0 = g_get_monotonic_time ();
  g_autoptr (SimTrace) t = sim_trace_read_json (path, NULL, NULL, &err);
  gint64 t1 = g_get_monotonic_time ();
  double cpu = cpu_seconds () - c0;
  if (t == NULL)
    {
      fprintf (stderr, "bench-trace: %s\n", err->message);
      return 1;
    }
  printf ("%.6f %" G_GUINT64_FORMAT " %.1f %.6f\n", (t1 - t0) / 1e6, t->n_spans, peak_rss_mib (), cpu);
  return 0;
}

static gboolean
spawn_capture (char **argv, char **out)
{
  int status = 0;
  g_autoptr (GError) err = NULL;
  if (!g_spawn_sync (NULL, argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                     out, NULL, &status, &err))
    return FALSE;
  return g_spawn_check_wait_status (status, NULL);
}

/* CPU time (user + system, s) of the children waited for so far */
static double
children_cpu_s (void)
{
  struct rusage ru;
  getrusage (RUSAGE_CHILDREN, &ru);
  return (double) (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec)
         + (double) (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

/* wall time of the command (s); its CPU time (s) in *cpu when cpu is not NULL */
static double
time_command_cpu (char **argv, double *cpu)
{
  double c0 = children_cpu_s ();
  gint64 t0 = g_get_monotonic_time ();
  g_autofree char *out = NULL;
  if (!spawn_capture (argv, &out))
    return -1;
  double wall = (g_get_monotonic_time () - t0) / 1e6;
  if (cpu != NULL)
    *cpu = children_cpu_s () - c0;
  return wall;
}

static double
time_command (char **argv)
{
  return time_command_cpu (argv, NULL);
}

int
main (int argc, char **argv)
{
  gint64 n = 1000000;
  int runs = 5;
  char *dir = NULL, *amlasim = NULL, *file = NULL, *read_only = NULL;
  GOptionEntry entries[] = {
    { "events", 'n', 0, G_OPTION_ARG_INT64, &n, "Events in the generated trace (1000000)", "N" },
    { "runs", 'r', 0, G_OPTION_ARG_INT, &runs, "Repetitions; medians are printed (5)", "R" },
    { "dir", 'd', 0, G_OPTION_ARG_FILENAME, &dir, "Where to write the trace (tmp)", "DIR" },
    { "amlasim", 0, 0, G_OPTION_ARG_FILENAME, &amlasim, "Also time amlasim run vs run -o", "PATH" },
    { "file", 'f', 0, G_OPTION_ARG_FILENAME, &file, "Read this trace instead of a generated one", "TRACE" },
    { "read-once", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_FILENAME, &read_only, NULL, NULL },
    { NULL },
  };
  g_autoptr (GOptionContext) ctx = g_option_context_new ("— trace read/write speed");
  g_option_context_add_main_entries (ctx, entries, NULL);
  g_autoptr (GError) err = NULL;
  if (!g_option_context_parse (ctx, &argc, &argv, &err) || runs < 1 || n < 1000)
    {
      fprintf (stderr, "bench-trace: %s\n", err ? err->message : "--runs >= 1, --events >= 1000");
      return 2;
    }
  if (read_only != NULL)
    return read_once (read_only);

  g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);
  if (self == NULL)
    self = g_strdup (argv[0]);
  g_autofree char *path = file ? g_strdup (file)
                               : g_build_filename (dir ? dir : g_get_tmp_dir (),
                                                   "bench-trace.json", NULL);
  double *secs = g_new0 (double, runs);
  printf ("machine:       %u processors", g_get_num_processors ());
  g_autofree char *cpuinfo = NULL;
  if (g_file_get_contents ("/proc/cpuinfo", &cpuinfo, NULL, NULL))
    {
      char *m = strstr (cpuinfo, "model name");
      char *colon = m ? strchr (m, ':') : NULL;
      char *nl = colon ? strchr (colon, '\n') : NULL;
      if (nl)
        printf (", %.*s", (int) (nl - colon - 2), colon + 2);
    }
  printf ("\n");

  if (file == NULL)
    {
      SimTrace *t = make_trace ((guint64) n);
      printf ("events:        %" G_GINT64_FORMAT " (%" G_GUINT64_FORMAT " spans, %u flows, %u counter points)\n",
              n, t->n_spans, t->flows->len,
              (guint) ((SimCounter *) g_ptr_array_index (t->counters, 0))->n);
      g_autofree double *over = g_new0 (double, runs);
      for (int i = 0; i < runs; i++)
        for (int replace = 0; replace < 2; replace++)
          {
            /* a new file, then over it (that one is fsync'ed before the rename) */
            if (!replace)
              g_unlink (path);
            gint64 t0 = g_get_monotonic_time ();
            if (!sim_trace_write_json (t, path, SIM_TRACE_FLAVOR_PERFETTO, &err))
              {
                fprintf (stderr, "bench-trace: %s\n", err->message);
                return 1;
              }
            (replace ? over : secs)[i] = (g_get_monotonic_time () - t0) / 1e6;
          }
      GStatBuf st;
      g_stat (path, &st);
      double w = median (secs, runs), wo = median (over, runs);
      printf ("file:          %.1f MB\n", st.st_size / 1e6);
      printf ("write:         %.3f s median of %d  (%.0f MB/s; a new file: format + write(2) + "
              "rename)\n",
              w, runs, st.st_size / 1e6 / w);
      printf ("write over it: %.3f s median of %d  (%.0f MB/s; + fsync before the rename, and the "
              "old file deleted)\n",
              wo, runs, st.st_size / 1e6 / wo);
      /* the same trace to a .gz name: deflated on the output thread; MB/s of the JSON bytes */
      g_autofree char *gz_path = g_strconcat (path, ".gz", NULL);
      for (int i = 0; i < runs; i++)
        {
          g_unlink (gz_path);
          gint64 t0 = g_get_monotonic_time ();
          if (!sim_trace_write_json (t, gz_path, SIM_TRACE_FLAVOR_PERFETTO, &err))
            {
              fprintf (stderr, "bench-trace: %s\n", err->message);
              return 1;
            }
          over[i] = (g_get_monotonic_time () - t0) / 1e6;
        }
      GStatBuf gz_st;
      g_stat (gz_path, &gz_st);
      double wz = median (over, runs);
      printf ("write .gz:     %.3f s median of %d  (%.0f MB/s of JSON; a new file, %.1f MB, %.1fx "
              "smaller)\n",
              wz, runs, st.st_size / 1e6 / wz, gz_st.st_size / 1e6,
              (double) st.st_size / (double) MAX (gz_st.st_size, 1));
      g_unlink (gz_path);
      sim_trace_free (t);
    }

  GStatBuf st;
  if (g_stat (path, &st) != 0)
    {
      fprintf (stderr, "bench-trace: cannot stat %s\n", path);
      return 1;
    }
  double mb = st.st_size / 1e6, rss = 0;
  double *cpu = g_new0 (double, runs);
  guint64 spans = 0;
  for (int i = 0; i < runs; i++)
    {
      char *child[] = { self, "--read-once", path, NULL };
      g_autofree char *out = NULL;
      if (!spawn_capture (child, &out)
          || sscanf (out, "%lf %" G_GUINT64_FORMAT " %lf %lf", &secs[i], &spans, &rss, &cpu[i]) != 4)
        {
          fprintf (stderr, "bench-trace: reading %s failed\n", path);
          return 1;
        }
    }
  double r = median (secs, runs), r_cpu = median (cpu, runs);
  if (file != NULL)
    printf ("file:          %s, %.1f MB, %" G_GUINT64_FORMAT " spans\n", path, mb, spans);
  printf ("open (read):   %.3f s median of %d  (%.0f MB/s; CPU time %.3f s, %.0f MB/s)\n", r, runs,
          mb / r, r_cpu, mb / r_cpu);
  printf ("peak RSS:      %.1f MiB opening it (%.2f x the file)\n", rss, rss * 1048576 / st.st_size);

  g_autofree char *python = g_find_program_in_path ("python3");
  if (python == NULL)
    printf ("python floor:  skipped (no python3 on PATH)\n");
  else
    {
      int py_runs = MIN (runs, 3);
      int ok = 0;
      guint64 py_spans = 0;
      for (int i = 0; i < py_runs; i++)
        {
          char *py[] = { python, "-c", (char *) python_floor, path, NULL };
          g_autofree char *out = NULL;
          if (spawn_capture (py, &out)
              && sscanf (out, "%lf %" G_GUINT64_FORMAT " %lf", &secs[ok], &py_spans, &cpu[ok]) == 3)
            ok++;
        }
      if (ok == 0)
        printf ("python floor:  skipped (python3 failed on the file)\n");
      else
        {
          double p = median (secs, ok), p_cpu = median (cpu, ok);
          printf ("python floor:  %.3f s median of %d  (%.0f MB/s; CPU time %.3f s; json.load + "
                  "span list)\n", p, ok, mb / p, p_cpu);
          printf ("read / python: %.1fx (CPU time: %.1fx)\n", p / r, p_cpu / r_cpu);
        }
    }

  if (amlasim != NULL)
    {
      /* what a page the process has not touched before costs on this machine: after 3 s idle
       * (a VM may have handed memory freed that long ago back to its host) and again at once
       * (the pages just freed); a run or a save touches tens of MB of new memory */
      g_usleep (3 * G_USEC_PER_SEC);
      const gsize mem = (gsize) 64 << 20;
      double cold = first_touch_ms (mem), warm = first_touch_ms (mem);
      printf ("new memory:    first touch of 64 MiB after 3 s idle %.1f ms (%.2f ns/B), "
              "right after %.1f ms (%.2f ns/B)\n",
              cold, cold * 1e6 / (double) mem, warm, warm * 1e6 / (double) mem);
      g_autofree char *out_path = g_build_filename (dir ? dir : g_get_tmp_dir (),
                                                    "bench-trace-run.json", NULL);
      double *plain = g_new0 (double, runs), *with_o = g_new0 (double, runs),
             *over = g_new0 (double, runs), *null_o = g_new0 (double, runs),
             *cache = g_new0 (double, runs), *plain_cpu = g_new0 (double, runs),
             *with_o_cpu = g_new0 (double, runs);
      GStatBuf ost = { 0 };
      for (int i = 0; i < runs; i++)
        {
          char *a[] = { amlasim, "run", "--quiet", NULL };
          char *b[] = { amlasim, "run", "--quiet", "-o", out_path, NULL };
          char *c[] = { amlasim, "run", "--quiet", "-o", (char *) "/dev/null", NULL };
          plain[i] = time_command_cpu (a, &plain_cpu[i]);
          /* a new file (not fsync'ed: nothing old to keep, as g_file_set_contents does) */
          g_unlink (out_path);
          with_o[i] = time_command_cpu (b, &with_o_cpu[i]);
          /* over the last one: fsync'ed before the rename, which then deletes the old file */
          over[i] = time_command (b);
          /* the same save with no file behind it: recording and formatting only */
          null_o[i] = time_command (c);
          /* and the file without the formatting: the trace's bytes into new page cache */
          g_stat (out_path, &ost);
          cache[i] = page_cache_ms (dir ? dir : g_get_tmp_dir (), (gsize) ost.st_size);
        }
      double p = median (plain, runs), o = median (with_o, runs), ov = median (over, runs);
      double nul = median (null_o, runs), pc = median (cache, runs);
      printf ("amlasim run:   %.3f s median of %d; run -o NEW: %.3f s (%.1f MB); ratio %.2fx\n", p,
              runs, o, ost.st_size / 1e6, o / p);
      printf ("               run -o over the last trace (fsync + the old file deleted): %.3f s; "
              "ratio %.2fx\n", ov, ov / p);
      /* where the difference goes: recording and formatting (to /dev/null, written in place),
       * and what the same bytes cost the file system on their own (one thread, no formatting) */
      printf ("               run -o /dev/null (record + format, no file): %.3f s (+%.1f ms); "
              "%.1f MB from memory into a new file: %.1f ms (%.0f MB/s)\n",
              nul, (nul - p) * 1e3, ost.st_size / 1e6, pc, ost.st_size / 1e3 / pc);
      printf ("               1.5x leaves the trace %.1f ms; it takes %.1f ms\n", p * 0.5 * 1e3,
              (o - p) * 1e3);
      /* CPU time: what the trace adds, whatever runs beside what.  On n processors the extra
       * CPU time takes at least extra / n of wall time where the processors are already busy
       * (the simulation keeps both busy while the spans are made) */
      double pc_cpu = median (plain_cpu, runs), o_cpu = median (with_o_cpu, runs);
      int nproc = (int) g_get_num_processors ();
      printf ("               CPU time (user + system): run %.1f ms, run -o NEW %.1f ms: the trace "
              "adds %.1f ms, %.1f ms of wall time on %d processors busy with the simulation "
              "(1.5x leaves %.1f ms)\n",
              pc_cpu * 1e3, o_cpu * 1e3, (o_cpu - pc_cpu) * 1e3, (o_cpu - pc_cpu) * 1e3 / nproc,
              nproc, p * 0.5 * 1e3);
      g_free (plain_cpu);
      g_free (with_o_cpu);
      g_unlink (out_path);
      g_free (plain);
      g_free (with_o);
      g_free (over);
      g_free (null_o);
      g_free (cache);
    }
  if (file == NULL)
    g_unlink (path);
  g_free (secs);
  g_free (cpu);
  g_free (dir);
  g_free (amlasim);
  g_free (file);
  return 0;
}
