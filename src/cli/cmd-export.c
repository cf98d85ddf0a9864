/* amlasim export — draw a timeline (a trace file, or a fresh simulation) to PNG, SVG or PDF.
 * Headless: cairo surfaces only, no GTK, no display.  Overwrites the output (atomically). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/trace/trace-json.h"
#include "src/cli/cli-util.h"
#include "src/cli/commands.h"

#define CMD "export"

#ifndef AMLASIM_HAVE_EXPORT
/* Built without the renderer (no cairo/Pango, or -Drender=disabled): the command says so. */
int
amlasim_cmd_export (int argc, char **argv)
{
  return cli_fail (CMD, "this amlasim was built without the renderer (cairo and Pango not found, "
                        "or -Drender=disabled): it draws no images; traces (run -o, convert) "
                        "still work");
}
#else
#include "src/cli/draw.h"

/* The drawing module (draw.h), opened before any work: parse_range asks it for the ruler's
 * origin. */
static const AmlasimDraw *draw;

/* "A:B" in µs as the page's ruler counts them (from tl_export_time_origin_ns: a wall-clock
 * trace's first event, not 1970), either side may be empty (start / end of the run). */
static gboolean
parse_range (const char *s, const SimTrace *trace, double *t0_ns, double *t1_ns)
{
  const char *colon = strchr (s, ':');
  if (colon == NULL)
    return FALSE;
  g_autofree char *a = g_strndup (s, (gsize) (colon - s));
  const char *b = colon + 1;
  double origin = draw->export_time_origin_ns (trace);
  char *end;
  *t0_ns = trace->start_ns;
  *t1_ns = trace->end_ns;
  if (*g_strstrip (a))
    {
      *t0_ns = origin + g_ascii_strtod (a, &end) * 1000;
      if (*end != '\0' || !isfinite (*t0_ns))
        return FALSE;
    }
  if (*b)
    {
      *t1_ns = origin + g_ascii_strtod (b, &end) * 1000;
      if (*end != '\0' || !isfinite (*t1_ns))
        return FALSE;
    }
  return *t1_ns > *t0_ns;
}

/* A range that misses every event draws an empty page: refuse it. */
static gboolean
range_meets_trace (const SimTrace *trace, double t0_ns, double t1_ns)
{
  if (trace->end_ns > trace->start_ns)
    return t0_ns < trace->end_ns && t1_ns > trace->start_ns;
  return t0_ns <= trace->start_ns && t1_ns >= trace->start_ns;
}

/* The AI cores --cores N or N..M names, for the run to record only those; FALSE for all (or
 * a value cli_parse_cores will refuse after the run). */
static gboolean
cores_range (const char *cores, int *first, int *count)
{
  if (cores == NULL || g_ascii_strcasecmp (cores, "all") == 0)
    return FALSE;
  char *end;
  long lo = strtol (cores, &end, 10), hi = lo;
  if (end == cores)
    return FALSE;
  if (strncmp (end, "..", 2) == 0)
    hi = strtol (end + 2, &end, 10);
  if (*end != '\0' || lo < 0 || hi < lo || hi - lo >= G_MAXINT || lo > G_MAXINT)
    return FALSE;
  *first = (int) lo;
  *count = (int) (hi - lo + 1);
  return TRUE;
}

/* Simulate the kernel options; with --cores, spans are recorded only for the cores drawn. */
static SimTrace *
simulate (const CliKernelOptions *kopts, const char *cores, int *status)
{
  AmlaConfig cfg;
  amla_config_init (&cfg);
  if (!cli_kernel_options_apply (CMD, kopts, &cfg))
    {
      *status = CLI_EXIT_USAGE;
      return NULL;
    }
  GError *err = NULL;
  g_autoptr (SimHw) hw = cli_load_hw (CMD, &cfg, status);
  if (hw == NULL)
    return NULL;
  SimRunOptions opt;
  sim_run_options_init (&opt);
  cores_range (cores, &opt.trace_aic_first, &opt.trace_aic_count);
  AmlaRun *run = amla_run (&cfg, hw, &opt, &err);
  if (run == NULL)
    {
      *status = cli_fail (CMD, "%s", err->message);
      g_error_free (err);
      return NULL;
    }
  SimTrace *trace = run->result->trace;
  run->result->trace = NULL; /* keep the trace, free the rest */
  if (trace != NULL && trace->other_data_json == NULL)
    trace->other_data_json = amla_run_other_data_json (run);
  amla_run_free (run);
  if (trace == NULL)
    *status = cli_fail (CMD, "the simulation recorded no trace");
  return trace;
}

int
amlasim_cmd_export (int argc, char **argv)
{
  g_autofree char *output = NULL, *range = NULL, *theme = NULL, *cores = NULL, *width = NULL,
                  *scale = NULL, *title = NULL;
  gboolean metrics = FALSE, flows = FALSE, pages = FALSE, no_counters = FALSE;
  CliKernelOptions kopts = { 0 };
  GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, "Image to write: .png, .svg or .pdf (required)", "FILE" },
    { "range", 'r', 0, G_OPTION_ARG_STRING, &range, "Time range in µs, e.g. 10:25.5, 10: or :25 (default: whole run)", "A:B" },
    { "width", 'w', 0, G_OPTION_ARG_STRING, &width, "Width: PNG pixels (default 1600), SVG/PDF points (default 720)", "N" },
    { "scale", 's', 0, G_OPTION_ARG_STRING, &scale, "PNG pixel scale for HiDPI, e.g. 2 (default 1)", "S" },
    { "theme", 0, 0, G_OPTION_ARG_STRING, &theme, "light (default) or dark", "light|dark" },
    { "cores", 'c', 0, G_OPTION_ARG_STRING, &cores, "AI cores to draw: all (default), N or N..M (AIC i with its AIVs)", "all|N..M" },
    { "metrics", 'm', 0, G_OPTION_ARG_NONE, &metrics, "Add the metrics box (from the trace's otherData)", NULL },
    { "flows", 0, 0, G_OPTION_ARG_NONE, &flows, "Draw flag arrows between pipes and cores", NULL },
    { "no-counters", 0, 0, G_OPTION_ARG_NONE, &no_counters, "Leave out counter tracks (occupancy, bandwidth)", NULL },
    { "pages", 0, 0, G_OPTION_ARG_NONE, &pages, "PDF: one page per core group", NULL },
    { "title", 0, 0, G_OPTION_ARG_STRING, &title, "Title line (default: the run's configuration)", "TEXT" },
    { NULL },
  };
  g_autoptr (GOptionContext) ctx = g_option_context_new ("[TRACE] -o OUT.{png,svg,pdf}");
  g_option_context_set_summary (
      ctx, "Draw the timeline of TRACE (Chrome trace JSON) — or, without TRACE, of a fresh\n"
           "simulation with the kernel options below — to a PNG, SVG or PDF image.");
  g_option_context_add_main_entries (ctx, entries, NULL);
  g_autofree GOptionEntry *kentries = cli_kernel_option_entries (&kopts);
  GOptionGroup *kg = g_option_group_new ("kernel", "Simulation options (without TRACE):",
                                         "Show the simulation options", NULL, NULL);
  g_option_group_add_entries (kg, kentries);
  g_option_context_add_group (ctx, kg);
  int status = CLI_EXIT_OK;
  if (!cli_parse_context (CMD, ctx, &argc, &argv))
    {
      cli_kernel_options_clear (&kopts);
      return CLI_EXIT_USAGE;
    }
  SimTrace *trace = NULL;
  guint8 *sel = NULL;
  TlExportOptions opt;
  if (output == NULL)
    {
      status = cli_usage_error (CMD, "give the image to write with -o FILE.png|svg|pdf");
      goto out;
    }
  if (sim_image_format_from_path (output) == SIM_IMAGE_FORMAT_UNKNOWN)
    {
      status = cli_usage_error (CMD, "-o %s: the name must end in .png, .svg or .pdf", output);
      goto out;
    }
  if (!cli_check_output (CMD, "-o", output)) /* before reading or simulating */
    {
      status = CLI_EXIT_USAGE;
      goto out;
    }
  if (argc > 2)
    {
      status = cli_usage_error (CMD, "one TRACE at most (got %d)", argc - 1);
      goto out;
    }
  if ((draw = cli_draw (CMD)) == NULL)
    {
      status = CLI_EXIT_FAIL;
      goto out;
    }
  draw->export_options_init (&opt);
  if (theme != NULL)
    {
      if (!g_ascii_strcasecmp (theme, "light"))
        opt.theme = TL_THEME_LIGHT;
      else if (!g_ascii_strcasecmp (theme, "dark"))
        opt.theme = TL_THEME_DARK;
      else
        {
          status = cli_usage_error (CMD, "--theme %s: use light or dark", theme);
          goto out;
        }
    }
  int w = 0;
  if (width != NULL && !cli_parse_int (CMD, "--width", width, 200, 20000, &w))
    {
      status = CLI_EXIT_USAGE;
      goto out;
    }
  opt.width = w;
  if (scale != NULL)
    {
      char *end;
      opt.scale = g_ascii_strtod (scale, &end);
      if (*end != '\0' || !(opt.scale >= 0.25 && opt.scale <= 8))
        {
          status = cli_usage_error (CMD, "--scale %s: give a number from 0.25 to 8", scale);
          goto out;
        }
    }
  if (argc == 2)
    {
      gboolean kernel_given = kopts.set != NULL && kopts.set[0] != NULL;
      for (int f = 0; f < AMLA_CONFIG_N_FIELDS; f++)
        kernel_given |= kopts.value[f] != NULL;
      if (kernel_given) /* they would be silently ignored: the trace is drawn as it is */
        {
          status = cli_usage_error (CMD,
                                    "the simulation options (--batch, --kv, --set, …) apply "
                                    "only without TRACE; %s is drawn as it was recorded",
                                    argv[1]);
          goto out;
        }
      GError *err = NULL;
      trace = sim_trace_read_json (argv[1], NULL, NULL, &err);
      if (trace == NULL)
        {
          status = cli_fail (CMD, "%s", err->message); /* it starts with the path */
          g_error_free (err);
          goto out;
        }
      if (trace->source == NULL)
        trace->source = g_strdup (argv[1]);
    }
  else if ((trace = simulate (&kopts, cores, &status)) == NULL)
    goto out;
  if (range != NULL)
    {
      opt.has_range = TRUE;
      double origin = draw->export_time_origin_ns (trace);
      if (!parse_range (range, trace, &opt.t0_ns, &opt.t1_ns))
        {
          status = cli_usage_error (CMD,
                                    "--range %s: give A:B in µs with B after A (the run is "
                                    "%.3f:%.3f)",
                                    range, (trace->start_ns - origin) / 1000,
                                    (trace->end_ns - origin) / 1000);
          goto out;
        }
      if (!range_meets_trace (trace, opt.t0_ns, opt.t1_ns))
        {
          status = cli_usage_error (CMD, "--range %s is outside the run, which is %.3f:%.3f µs",
                                    range, (trace->start_ns - origin) / 1000,
                                    (trace->end_ns - origin) / 1000);
          goto out;
        }
    }
  if (cores != NULL)
    {
      sel = cli_parse_cores (cores, trace);
      if (sel == (guint8 *) -1)
        {
          sel = NULL;
          status = cli_usage_error (CMD, "--cores %s: use all, N or N..M", cores);
          goto out;
        }
      /* N counts AI cores (an AIC with its AIVs), or groups in a foreign trace: say which */
      guint ng = trace->groups->len, n_sel = 0;
      int max_aic = -1;
      for (guint g = 0; g < ng; g++)
        {
          const SimGroup *grp = g_ptr_array_index (trace->groups, g);
          n_sel += sel == NULL || sel[g];
          if (grp->kind == SIM_CORE_AIC)
            max_aic = MAX (max_aic, grp->core_index);
        }
      if (ng > 0 && n_sel == 0)
        {
          if (max_aic >= 0)
            status = cli_usage_error (
                CMD, "--cores %s selects no core: this trace has AI cores 0..%d", cores, max_aic);
          else
            status = cli_usage_error (
                CMD, "--cores %s selects no group: this trace has groups 0..%u", cores, ng - 1);
          goto out;
        }
    }
  opt.groups = sel;
  opt.metrics = metrics;
  opt.flows = flows;
  opt.counters = !no_counters;
  opt.page_per_group = pages;
  opt.title = title;
  GError *err = NULL;
  gint64 t_start = g_get_monotonic_time ();
  if (!draw->export_file (trace, &opt, output, &err))
    {
      status = err->domain == draw->export_error_quark () && err->code == TL_EXPORT_ERROR_OPTIONS
                   ? cli_usage_error (CMD, "%s", err->message)
                   : cli_fail (CMD, "%s", err->message);
      g_error_free (err);
      goto out;
    }
  fprintf (stderr, "wrote %s (%.2f s)\n", output, (g_get_monotonic_time () - t_start) / 1e6);
out:
  g_free (sel);
  sim_trace_free (trace);
  cli_kernel_options_clear (&kopts);
  return status;
}
#endif /* AMLASIM_HAVE_EXPORT */
