/* bench/bench-trace.c — trace file speed and memory: builds a 1,000,000-event trace (48 cores,
 * 5 pipes each, spans + flows + counters), writes it, reads it back, and prints times, file size
 * and peak RSS.  Usage: bench-trace [N_EVENTS] [DIR]. */
#include <glib.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>

#include "sim/trace-json.h"

static double
peak_rss_mib (void)
{
  struct rusage ru;
  getrusage (RUSAGE_SELF, &ru);
  return ru.ru_maxrss / 1024.0; /* Linux: KiB */
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
      SimSpan s = { .start_ns = k * 100.0 + l * 3.5, .dur_ns = 87.25, .name = names[i % 8],
                    .task = (gint32) (k / 16), .iter = (gint32) (k % 16), .bytes = 73728,
                    .stage = 1 + i % 4 };
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

int
main (int argc, char **argv)
{
  guint64 n = argc > 1 ? g_ascii_strtoull (argv[1], NULL, 10) : 1000000;
  const char *dir = argc > 2 ? argv[2] : g_get_tmp_dir ();
  g_autofree char *path = g_build_filename (dir, "bench-trace.json", NULL);
  g_autoptr (GError) err = NULL;

  gint64 t0 = g_get_monotonic_time ();
  SimTrace *t = make_trace (n);
  gint64 t1 = g_get_monotonic_time ();
  if (!sim_trace_write_json (t, path, SIM_TRACE_FLAVOR_PERFETTO, &err))
    {
      fprintf (stderr, "bench-trace: %s\n", err->message);
      return 1;
    }
  gint64 t2 = g_get_monotonic_time ();
  double rss_after_write = peak_rss_mib ();
  guint64 spans = t->n_spans;
  sim_trace_free (t);

  GStatBuf st;
  g_stat (path, &st);
  gint64 t3 = g_get_monotonic_time ();
  SimTrace *r = sim_trace_read_json (path, NULL, NULL, &err);
  gint64 t4 = g_get_monotonic_time ();
  if (r == NULL)
    {
      fprintf (stderr, "bench-trace: %s\n", err->message);
      return 1;
    }
  printf ("events:        %" G_GUINT64_FORMAT " (%" G_GUINT64_FORMAT " spans, %u flows, %u counter points)\n",
          n, spans, r->flows->len, (guint) ((SimCounter *) g_ptr_array_index (r->counters, 0))->n);
  printf ("file:          %.1f MB\n", st.st_size / 1e6);
  printf ("build:         %.3f s\n", (t1 - t0) / 1e6);
  printf ("write:         %.3f s  (%.1f MB/s)\n", (t2 - t1) / 1e6, st.st_size / 1e6 / ((t2 - t1) / 1e6));
  printf ("open (read):   %.3f s  (%.1f MB/s, %.2f M events/s)\n", (t4 - t3) / 1e6,
          st.st_size / 1e6 / ((t4 - t3) / 1e6), n / 1e6 / ((t4 - t3) / 1e6));
  printf ("peak RSS:      %.1f MiB after write, %.1f MiB after open (file mapped)\n",
          rss_after_write, peak_rss_mib ());
  printf ("memory/span:   %zu bytes (SimSpan)\n", sizeof (SimSpan));
  int ok = r->n_spans == spans ? 0 : 1;
  sim_trace_free (r);
  g_unlink (path);
  return ok;
}
