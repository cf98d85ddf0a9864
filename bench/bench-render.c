/* bench/bench-render.c — frame times of the timeline renderer on a synthetic 1,000,000-span
 * trace (48 AIC + 96 AIV groups, 624 lanes) drawn to an offscreen 1920x1080 image surface at
 * several zoom levels; then export times and file sizes of the whole trace (PNG, SVG, PDF).
 *
 *   bench-render [N_SPANS] [--no-export] [--level NAME] [--frames N] [--cold] [--png PREFIX]
 *
 * Prints one line per zoom level: median / p90 frame time over repeated frames, the median CPU
 * time of a frame, and the LOD counters (spans visited, rectangles, cairo fills, labels).
 * --level draws only the zoom level of that name ("whole run", "whole run, dense", ...) and
 * skips the previews and exports; with --frames 1 that is one frame after a warm-up one, for
 * `valgrind --tool=callgrind --toggle-collect=measured_frame`, whose instruction counts do not
 * depend on the load of a shared machine.  --png writes each level's first frame to
 * PREFIX<level>.png, to look at.  --cold draws the warm-up frame zoomed out by a quarter, so
 * fonts are loaded but no ellipsized label of the measured frames is laid out at its width yet
 * (a zoom step), where the default pans from the warm-up frame (most labels already shaped). */
#include <cairo.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench/bench-util.h"
#include "src/render/export.h"
#include "src/render/timeline.h"

static const char *const op_names[] = { "mmad", "load_k", "load_q", "l0a_ld", "l0b_ld",
                                        "fixp_st", "vexp", "vmax", "vmul", "vadd", "cast",
                                        "mte3_st", "atomic_add", "wait_flag", "set_flag" };

static SimTrace *
synthetic_trace (guint64 n_spans, guint32 seed)
{
  SimTrace *t = sim_trace_new ();
  GRand *rng = g_rand_new_with_seed (seed);
  const int n_aic = 48, n_aiv = 96;
  const SimPipe aic_pipes[] = { SIM_PIPE_MTE2, SIM_PIPE_MTE1, SIM_PIPE_CUBE, SIM_PIPE_FIXPIPE,
                                SIM_PIPE_SCALAR };
  const SimPipe aiv_pipes[] = { SIM_PIPE_MTE2, SIM_PIPE_VECTOR, SIM_PIPE_MTE3, SIM_PIPE_SCALAR };
  GPtrArray *lanes = g_ptr_array_new ();
  for (int c = 0; c < n_aic + n_aiv; c++)
    {
      gboolean aic = c < n_aic;
      int idx = aic ? c : c - n_aic;
      char name[32];
      g_snprintf (name, sizeof name, "%s%d", aic ? "AIC" : "AIV", idx);
      SimGroup *g = sim_trace_add_group (t, name, c + 1, c, aic ? SIM_CORE_AIC : SIM_CORE_AIV, idx);
      int np = aic ? 5 : 4;
      for (int p = 0; p < np; p++)
        {
          SimPipe pipe = aic ? aic_pipes[p] : aiv_pipes[p];
          g_ptr_array_add (lanes, sim_group_add_lane (g, sim_pipe_name (pipe), p, p, pipe));
        }
    }
  guint64 per_lane = n_spans / lanes->len;
  guint64 extra = n_spans % lanes->len;
  /* spans of 20..600 ns with gaps of 0..300 ns: ~600 µs of run time per lane */
  for (guint l = 0; l < lanes->len; l++)
    {
      SimLane *lane = g_ptr_array_index (lanes, l);
      double t_ns = g_rand_double_range (rng, 0, 500);
      guint64 n = per_lane + (l < extra);
      for (guint64 i = 0; i < n; i++)
        {
          SimSpan s = { 0 };
          s.start_ns = t_ns;
          s.dur_ns = g_rand_double_range (rng, 20, 600);
          s.stage = (guint8) (1 + (i / 4) % 4); /* C1 V1 C2 V2 in turn */
          s.task = (gint32) (i / 64);
          s.iter = (gint32) ((i / 16) % 4);
          s.name = sim_trace_intern (t, op_names[g_rand_int_range (rng, 0, G_N_ELEMENTS (op_names))]);
          sim_lane_append (lane, &s);
          t_ns += s.dur_ns + g_rand_double_range (rng, 0, 300);
        }
    }
  g_ptr_array_unref (lanes);
  g_rand_free (rng);
  sim_trace_finish (t);
  return t;
}

/* CPU time of this thread: on a shared machine a frame's wall time includes waiting for the
 * processor, its CPU time much less so. */
static double
thread_cpu_ms (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* One measured frame: callgrind's --toggle-collect=measured_frame counts only these, not the
 * warm-up frame that loads fonts. */
static G_GNUC_NO_INLINE void
measured_frame (cairo_t *cr, const TlView *v, const SimTrace *t)
{
  tl_render_draw (cr, v, t);
}

static const char *png_prefix; /* --png PREFIX: each level's first frame as PREFIX<level>.png */
static gboolean cold;          /* --cold: the warm-up frame at another zoom */

static void
bench_level (const SimTrace *t, const char *label, double fraction, double lane_h, int frames)
{
  cairo_surface_t *surf = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 1920, 1080);
  cairo_t *cr = cairo_create (surf);
  TlView v;
  tl_view_init (&v, t, 1920, 1080);
  v.lane_height_px = lane_h;
  v.group_header_px = MAX (lane_h, 12);
  tl_view_fit (&v, t);
  double span = (t->end_ns - t->start_ns) * fraction;
  double mid = (t->start_ns + t->end_ns) / 2;
  v.map.t0_ns = mid - span / 2;
  v.map.t1_ns = mid + span / 2;
  double *ms = g_new (double, frames), *cpu = g_new (double, frames);
  TlView warm = v;
  if (cold)
    {
      warm.map.t0_ns = mid - span * 1.25 / 2;
      warm.map.t1_ns = mid + span * 1.25 / 2;
    }
  tl_render_draw (cr, &warm, t); /* warm-up: fonts, caches */
  if (png_prefix != NULL)
    {
      g_autofree char *name = g_strdup_printf ("%s%s.png", png_prefix, label);
      g_strdelimit (name + strlen (png_prefix), " ,%", '-');
      cairo_surface_write_to_png (surf, name);
    }
  for (int i = 0; i < frames; i++)
    {
      /* pan a little each frame as a user would, so nothing is cached by accident */
      double shift = span * 0.01 * (i % 10 - 5);
      TlView vf = v;
      vf.map.t0_ns += shift;
      vf.map.t1_ns += shift;
      double c = thread_cpu_ms ();
      gint64 a = g_get_monotonic_time ();
      measured_frame (cr, &vf, t);
      cairo_surface_flush (surf);
      ms[i] = (g_get_monotonic_time () - a) / 1000.0;
      cpu[i] = thread_cpu_ms () - c;
    }
  double wall_median = bench_percentile (ms, frames, 0.5), wall_p90 = ms[frames * 9 / 10];
  double cpu_median = bench_percentile (cpu, frames, 0.5);
  const TlRenderStats *st = tl_render_last_stats ();
  char range[32];
  tl_format_duration (span, range, sizeof range);
  printf ("%-22s %10s  %3.0f px lanes  %4" G_GUINT64_FORMAT " lanes  median %6.2f ms  p90 %6.2f ms"
          "  (%5.0f fps)  cpu %6.2f ms  visited %8" G_GUINT64_FORMAT "  rects %6" G_GUINT64_FORMAT
          "  fills %6" G_GUINT64_FORMAT "  labels %5" G_GUINT64_FORMAT "\n",
          label, range, lane_h, st->lanes_drawn, wall_median, wall_p90, 1000.0 / wall_median,
          cpu_median, st->spans_visited, st->rects, st->fills,
          st->texts);
  g_free (ms);
  g_free (cpu);
  cairo_destroy (cr);
  cairo_surface_destroy (surf);
}

static void
bench_export (const SimTrace *t, const char *ext, const char *dir)
{
  TlExportOptions opt;
  tl_export_options_init (&opt);
  g_autofree char *path = g_strdup_printf ("%s/bench-1m.%s", dir, ext);
  GError *err = NULL;
  gint64 a = g_get_monotonic_time ();
  gboolean ok = tl_export_file (t, &opt, path, &err);
  double s = (g_get_monotonic_time () - a) / 1e6;
  GStatBuf st;
  if (!ok)
    {
      printf ("export %-4s failed: %s\n", ext, err->message);
      g_error_free (err);
      return;
    }
  g_stat (path, &st);
  printf ("export %-4s whole trace, all 144 groups: %6.2f s  %8.1f MiB\n", ext, s,
          st.st_size / 1048576.0);
  g_unlink (path);
}

/* The export dialog's preview: the exporter's page drawn at the preview's zoom (a 700 px pane),
 * the whole page with all 144 groups and with 3 of them ("drawn cores"). */
static void
bench_preview (const SimTrace *t, guint n_groups, int frames)
{
  TlExportOptions opt;
  tl_export_options_init (&opt);
  opt.metrics = TRUE;
  g_autofree guint8 *groups = g_new0 (guint8, t->groups->len);
  for (guint g = 0; g < t->groups->len && g < n_groups; g++)
    groups[g] = 1;
  opt.groups = groups;
  double w = 0, h = 0;
  tl_export_draw_page (NULL, t, &opt, TL_EXPORT_PNG, 0, &w, &h, NULL, NULL);
  double zoom = 700 / w;
  int ph = (int) MIN (ceil (h * zoom), 8000); /* the dialog draws at most 8000 px */
  cairo_surface_t *surf = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 700, ph);
  double *ms = g_new (double, frames);
  for (int i = 0; i < frames; i++)
    {
      gint64 a = g_get_monotonic_time ();
      cairo_t *cr = cairo_create (surf);
      cairo_scale (cr, zoom, zoom);
      tl_export_draw_page (NULL, t, &opt, TL_EXPORT_PNG, 0, &w, &h, NULL, NULL);
      tl_export_draw_page (cr, t, &opt, TL_EXPORT_PNG, 0, NULL, NULL, NULL, NULL);
      cairo_destroy (cr);
      cairo_surface_flush (surf);
      ms[i] = (g_get_monotonic_time () - a) / 1000.0;
    }
  double median = bench_percentile (ms, frames, 0.5);
  printf ("export preview, %3u groups, 700 x %4d px:  median %6.1f ms  p90 %6.1f ms\n", n_groups,
          ph, median, ms[frames * 9 / 10]);
  g_free (ms);
  cairo_surface_destroy (surf);
}

int
main (int argc, char **argv)
{
  guint64 n = 1000000;
  gboolean do_export = TRUE;
  const char *only = NULL;
  int frames = 30;
  for (int i = 1; i < argc; i++)
    if (strcmp (argv[i], "--no-export") == 0)
      do_export = FALSE;
    else if (strcmp (argv[i], "--level") == 0 && i + 1 < argc)
      only = argv[++i];
    else if (strcmp (argv[i], "--png") == 0 && i + 1 < argc)
      png_prefix = argv[++i];
    else if (strcmp (argv[i], "--cold") == 0)
      cold = TRUE;
    else if (strcmp (argv[i], "--frames") == 0 && i + 1 < argc)
      frames = atoi (argv[++i]);
    else
      n = g_ascii_strtoull (argv[i], NULL, 10);
  frames = MAX (frames, 1);
  gint64 a = g_get_monotonic_time ();
  SimTrace *t = synthetic_trace (n, 42);
  printf ("synthetic trace: %" G_GUINT64_FORMAT " spans, %u groups, %.1f µs, built in %.0f ms\n",
          t->n_spans, t->groups->len, (t->end_ns - t->start_ns) / 1000,
          (g_get_monotonic_time () - a) / 1000.0);
  printf ("offscreen 1920x1080 RGB24, median of %d frames per level\n", frames);
  static const struct
  {
    const char *label;
    double fraction, lane_h;
  } levels[] = {
    { "whole run", 1.0, 18 },      { "10%", 0.1, 18 },
    { "1%", 0.01, 18 },            { "0.01%", 0.0001, 18 },
    { "whole run, dense", 1.0, 4 }, { "1%, dense", 0.01, 4 },
  };
  for (guint i = 0; i < G_N_ELEMENTS (levels); i++)
    if (only == NULL || strcmp (levels[i].label, only) == 0)
      bench_level (t, levels[i].label, levels[i].fraction, levels[i].lane_h, frames);
  if (only != NULL)
    {
      sim_trace_free (t);
      return 0;
    }
  bench_preview (t, 3, 10);
  bench_preview (t, t->groups->len, 5);
  if (do_export)
    {
      g_autofree char *dir = g_dir_make_tmp ("bench-render-XXXXXX", NULL);
      bench_export (t, "png", dir);
      bench_export (t, "svg", dir);
      bench_export (t, "pdf", dir);
      g_rmdir (dir);
    }
  sim_trace_free (t);
  return 0;
}
