/* amlasim run — simulate one AMLA configuration: metrics table (or --json), optional trace. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernels/amla.h"
#include "sim/trace/trace-json.h"
#include "sim/output.h"
#include "src/cli/cli-util.h"
#include "src/cli/commands.h"
#ifdef AMLASIM_HAVE_EXPORT
#include "src/cli/draw.h"
#endif

static void
print_table (const AmlaRun *run, char **set)
{
  const SimMetrics *m = &run->result->metrics;
  g_autofree char *desc = amla_config_describe (&run->config);
  g_autofree char *sets = cli_describe_sets (set, run->hw);
  printf ("AMLA MLA decode · %s\n%s", desc, sets);
  printf ("  rows per task M = %d, KV block = %d tokens, %d AIC + %d AIV\n\n",
          amla_config_task_rows (&run->config), run->config.block, m->n_aic, m->n_aiv);
  printf ("  %-26s %12.3f us\n", "total time", m->total_ns / 1000.0);
  printf ("  %-26s %12.4g (2·B·H·S_q·S_kv·1088)\n", "FLOPs", m->flops);
  printf ("  %-26s %12.1f TFLOPS\n", "throughput", m->tflops);
  printf ("  %-26s %11.1f %% of %.1f TFLOPS peak\n", "Cube utilisation",
          100 * m->cube_utilization, m->peak_tflops);
  printf ("  %-26s %11.1f %% of time\n", "Cube ∩ Vector overlap", 100 * m->cube_vector_overlap);
  printf ("  %-26s %11.1f %% of HBM bandwidth\n", "HBM", 100 * m->hbm_busy);
  printf ("  %-26s %11.1f %% of L2 bandwidth (%.0f MiB)\n", "L2", 100 * m->l2_busy,
          m->l2_bytes / 1048576.0);
  printf ("  %-26s %s — %s\n\n", "bound by", sim_bound_name (m->bound), m->reason);
  printf ("  busy %%    ");
  for (int q = 0; q < SIM_N_PIPES; q++)
    printf ("%8s", sim_pipe_name ((SimPipe) q));
  printf ("\n  AIC (avg) ");
  for (int q = 0; q < SIM_N_PIPES; q++)
    if (sim_pipe_on_core ((SimPipe) q, SIM_CORE_AIC))
      printf ("%8.1f", 100 * m->busy_aic[q]);
    else
      printf ("%8s", "-");
  printf ("\n  AIV (avg) ");
  for (int q = 0; q < SIM_N_PIPES; q++)
    if (sim_pipe_on_core ((SimPipe) q, SIM_CORE_AIV))
      printf ("%8.1f", 100 * m->busy_aiv[q]);
    else
      printf ("%8s", "-");
  printf ("\n\n  bytes moved (whole chip)\n");
  for (int p = 0; p < SIM_N_PATHS; p++)
    if (m->bytes[p])
      printf ("    %-18s %10.1f MiB\n", sim_path_name ((SimPath) p), m->bytes[p] / 1048576.0);
  printf ("\n  simulated %" G_GUINT64_FORMAT " instructions, %" G_GUINT64_FORMAT
          " events in %.1f ms%s\n",
          m->instructions, m->events, run->result->wall_ms,
          run->result->dies_mirrored
              ? " (die 1 runs die 0's program: simulated once, counted twice)"
              : "");
}

/* AIV busy time of one pipe, summed over all AIVs, in microseconds */
static double
aiv_busy_us (const SimMetrics *m, SimPipe pipe)
{
  return m->busy_aiv[pipe] * m->total_ns / 1000.0 * m->n_aiv;
}

/* --compare-rescale: the same configuration with the other rescale, and what separates them */
static void
print_rescale_comparison (const AmlaRun *a, const AmlaRun *b)
{
  const AmlaRun *amla = a->config.rescale == AMLA_RESCALE_AMLA ? a : b;
  const AmlaRun *mul = amla == a ? b : a;
  const SimMetrics *x = &amla->result->metrics, *y = &mul->result->metrics;
  printf ("\n  AMLA integer add vs FP multiply rescale (same shape, same preset)\n");
  printf ("    %-34s %12s %12s %12s\n", "", "amla", "mul", "mul - amla");
  static const struct
  {
    const char *label;
    int kind; /* 0 total us, 1 util %, 2 L2 MiB, 3 L2 %, 4..6 AIV pipe us, 7 GM->UB MiB, 8 HBM MiB */
  } rows[] = {
    { "total time (us)", 0 },
    { "Cube utilisation (%)", 1 },
    { "L2 traffic (MiB)", 2 },
    { "L2 bandwidth used (%)", 3 },
    { "AIV Vector busy (us, all AIVs)", 4 },
    { "AIV MTE2 busy (us, all AIVs)", 5 },
    { "AIV MTE3 busy (us, all AIVs)", 6 },
    { "GM->UB (MiB)", 7 },
    { "HBM traffic (MiB)", 8 },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      double v[2];
      const SimMetrics *mm[2] = { x, y };
      for (int k = 0; k < 2; k++)
        {
          const SimMetrics *m = mm[k];
          switch (rows[i].kind)
            {
            case 0: v[k] = m->total_ns / 1000.0; break;
            case 1: v[k] = 100 * m->cube_utilization; break;
            case 2: v[k] = m->l2_bytes / 1048576.0; break;
            case 3: v[k] = 100 * m->l2_busy; break;
            case 4: v[k] = aiv_busy_us (m, SIM_PIPE_VECTOR); break;
            case 5: v[k] = aiv_busy_us (m, SIM_PIPE_MTE2); break;
            case 6: v[k] = aiv_busy_us (m, SIM_PIPE_MTE3); break;
            case 7:
              v[k] = (m->bytes[SIM_PATH_GM_TO_UB_HBM] + m->bytes[SIM_PATH_GM_TO_UB_L2]) / 1048576.0;
              break;
            default: v[k] = m->hbm_bytes / 1048576.0; break;
            }
        }
      printf ("    %-34s %12.1f %12.1f %+12.1f\n", rows[i].label, v[0], v[1], v[1] - v[0]);
    }
  printf ("    amla: %s\n    mul:  %s\n", x->reason, y->reason);
}

int
amlasim_cmd_run (int argc, char **argv)
{
  CliKernelOptions ko = { 0 };
  gboolean json = FALSE, quiet = FALSE, compare = FALSE, every_die = FALSE;
  char *out = NULL, *flavor = NULL, *png = NULL, *trace_cores = NULL, *max_memory = NULL;
  char *config_from = NULL;
  GOptionEntry extra[] = {
    { "json", 'j', 0, G_OPTION_ARG_NONE, &json, "Print one JSON object with the metrics", NULL },
    { "config-from", 0, 0, G_OPTION_ARG_FILENAME, &config_from,
      "Re-simulate the configuration a trace of ours stores (shape, toggles, rows, preset, "
      "what-ifs); options given beside it change single fields",
      "TRACE" },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &out,
      "Write the trace (Chrome/Perfetto JSON; gzip if FILE ends in .gz)", "FILE" },
    { "flavor", 0, 0, G_OPTION_ARG_STRING, &flavor, "Trace flavour: perfetto (default) | msprof",
      "NAME" },
    { "trace-cores", 0, 0, G_OPTION_ARG_STRING, &trace_cores,
      "Write only AI cores N..M to the trace (all are simulated; default all)", "all|N..M" },
#ifdef AMLASIM_HAVE_EXPORT
    { "png", 0, 0, G_OPTION_ARG_FILENAME, &png, "Also draw the timeline to a PNG (also .svg/.pdf)",
      "FILE" },
#endif
    { "compare-rescale", 0, 0, G_OPTION_ARG_NONE, &compare,
      "Also run the other rescale method and print what separates the two (time, L2 bytes, AIV "
      "time)",
      NULL },
    { "max-memory", 0, 0, G_OPTION_ARG_STRING, &max_memory,
      "Refuse a run estimated to need more memory than SIZE (e.g. 8G; default: half of this "
      "machine's memory)",
      "SIZE" },
    { "quiet", 0, 0, G_OPTION_ARG_NONE, &quiet, "Print nothing but errors", NULL },
    { "every-die", 0, 0, G_OPTION_ARG_NONE, &every_die,
      "Simulate die 1 even when it runs die 0's program (the results are the same; for checking "
      "that, and for timing the engine)",
      NULL },
    { NULL },
  };
  g_autofree GOptionEntry *kernel = cli_kernel_option_entries (&ko);
  GOptionContext *ctx = g_option_context_new ("— simulate one configuration of the AMLA kernel");
  g_option_context_set_summary (
      ctx, "Simulates the AMLA MLA-decode kernel on the whole chip and prints total time,\n"
           "TFLOPS, Cube utilisation, busy % per pipe, Cube/Vector overlap, bytes per path and\n"
           "what binds the kernel.  Defaults: B=96 S_kv=4096 S_q=2 H=128 on ascend910c with\n"
           "preload, hierarchical tiling and the AMLA integer-add rescale all on.");
  g_option_context_add_main_entries (ctx, kernel, NULL);
  g_option_context_add_main_entries (ctx, extra, NULL);
  gboolean parsed = cli_parse_context ("run", ctx, &argc, &argv);
  g_option_context_free (ctx);
  int status = CLI_EXIT_OK;
  AmlaConfig cfg;
  amla_config_init (&cfg);
  SimTraceFlavor fl = SIM_TRACE_FLAVOR_PERFETTO;
  if (parsed && config_from != NULL)
    {
      /* a colleague's trace becomes a reproducible run; the options beside it override */
      g_autoptr (GError) cerr = NULL;
      g_autoptr (SimTrace) t = sim_trace_read_json (config_from, NULL, NULL, &cerr);
      g_autofree char *origin = g_strdup_printf ("trace '%s'", config_from);
      if (t == NULL || !amla_config_from_trace_other_data (t->other_data_json, origin, &cfg, &cerr))
        {
          status = cli_usage_error ("run", "--config-from: %s", cerr->message);
          goto out;
        }
    }
  if (!parsed || !cli_kernel_options_apply ("run", &ko, &cfg))
    {
      status = CLI_EXIT_USAGE;
      goto out;
    }
  if (argc > 1)
    {
      status = cli_usage_error ("run", "unexpected argument '%s'", argv[1]);
      goto out;
    }
  if (flavor && g_ascii_strcasecmp (flavor, "perfetto") == 0)
    fl = SIM_TRACE_FLAVOR_PERFETTO;
  else if (flavor && g_ascii_strcasecmp (flavor, "msprof") == 0)
    fl = SIM_TRACE_FLAVOR_MSPROF;
  else if (flavor)
    {
      status = cli_usage_error ("run", "--flavor must be perfetto or msprof, got '%s'", flavor);
      goto out;
    }
  /* a wrong output path is said before the run, not after minutes of it */
  if (!cli_check_output ("run", "-o", out) || !cli_check_output ("run", "--png", png))
    {
      status = CLI_EXIT_USAGE;
      goto out;
    }
  if (png != NULL && sim_image_format_from_path (png) == SIM_IMAGE_FORMAT_UNKNOWN)
    {
      status = cli_usage_error ("run", "--png %s: the name must end in .png, .svg or .pdf", png);
      goto out;
    }
#ifdef AMLASIM_HAVE_EXPORT
  /* the drawing module is opened only for --png, and before the run, not after it */
  const AmlasimDraw *draw = NULL;
  if (png != NULL && (draw = cli_draw ("run")) == NULL)
    {
      status = CLI_EXIT_FAIL;
      goto out;
    }
#endif
  {
    SimRunOptions opt;
    sim_run_options_init (&opt);
    opt.record_trace = out != NULL || png != NULL;
    opt.every_die = every_die;
    if (max_memory != NULL && !cli_parse_size (max_memory, &opt.max_memory_bytes))
      {
        status = cli_usage_error ("run", "--max-memory must be a size such as 8G or 512M, got '%s'",
                                  max_memory);
        goto out;
      }
    g_autoptr (GError) err = NULL;
    g_autoptr (SimHw) hw = cli_load_hw ("run", &cfg, &status);
    if (hw == NULL)
      goto out;
    /* only the cores written or drawn record spans: a PNG alone draws AI core 0 (AIC0 and its
     * AIVs, as the window's one-group view), a trace the cores --trace-cores names */
    if (png != NULL && out == NULL)
      {
        opt.trace_aic_first = 0;
        opt.trace_aic_count = 1;
      }
    long lo = 0, hi = -1;
    if (trace_cores != NULL && png == NULL && g_ascii_strcasecmp (trace_cores, "all") != 0)
      {
        char *end;
        lo = strtol (trace_cores, &end, 10);
        hi = lo;
        if (strncmp (end, "..", 2) == 0)
          hi = strtol (end + 2, &end, 10);
        if (lo >= 0 && hi >= lo && *end == '\0' && hi - lo < G_MAXINT)
          {
            opt.trace_aic_first = (int) MIN (lo, G_MAXINT);
            opt.trace_aic_count = (int) (hi - lo + 1);
          } /* else the check after the run names the error */
      }
    /* a range past the last core would write an empty trace: say so before simulating */
    if (trace_cores != NULL && g_ascii_strcasecmp (trace_cores, "all") != 0
        && g_ascii_strtoll (trace_cores, NULL, 10) >= sim_hw_aic_count (hw))
      {
        status = cli_usage_error ("run", "--trace-cores %s selects no core: this run has AI cores "
                                         "0..%d",
                                  trace_cores, sim_hw_aic_count (hw) - 1);
        goto out;
      }
    g_autoptr (AmlaRun) run = amla_run (&cfg, hw, &opt, &err);
    if (!run)
      {
        if (err->domain == AMLA_ERROR)
          status = cli_usage_error ("run", "%s", err->message);
        else if (g_error_matches (err, SIM_HW_ERROR, SIM_HW_ERROR_NOT_FOUND))
          status = cli_usage_error ("run", "--hw: %s", err->message);
        else
          status = cli_fail ("run", "%s", err->message);
        goto out;
      }
    if (json)
      {
        g_autofree char *s = amla_metrics_json (run);
        printf ("%s\n", s);
      }
    else if (!quiet)
      print_table (run, ko.set);
    if (compare && !json && !quiet)
      {
        AmlaConfig other = cfg;
        other.rescale = cfg.rescale == AMLA_RESCALE_AMLA ? AMLA_RESCALE_MUL : AMLA_RESCALE_AMLA;
        SimRunOptions metrics_only = opt;
        metrics_only.record_trace = FALSE;
        g_autoptr (AmlaRun) run2 = amla_run (&other, hw, &metrics_only, &err);
        if (!run2)
          {
            status = cli_fail ("run", "%s", err->message);
            goto out;
          }
        print_rescale_comparison (run, run2);
      }
    if (out && trace_cores)
      {
        guint8 *keep = cli_parse_cores (trace_cores, run->result->trace);
        if (keep == (guint8 *) -1)
          {
            status = cli_usage_error ("run", "--trace-cores must be all, N or N..M, got '%s'",
                                      trace_cores);
            goto out;
          }
        if (keep)
          {
            guint ng = run->result->trace->groups->len, kept = 0;
            for (guint g = 0; g < ng; g++)
              kept += keep[g];
            if (kept == 0)
              {
                g_free (keep);
                status = cli_usage_error ("run", "--trace-cores %s selects no core: this run has "
                                                 "AI cores 0..%d",
                                          trace_cores, run->result->metrics.n_aic - 1);
                goto out;
              }
            sim_trace_keep_groups (run->result->trace, keep);
            g_free (keep);
          }
      }
    if (out)
      {
        if (!sim_trace_write_json (run->result->trace, out, fl, &err))
          {
            status = cli_fail ("run", "cannot write trace: %s", err->message);
            goto out;
          }
        if (!quiet && !json)
          printf ("  trace: %s (%" G_GUINT64_FORMAT " spans)\n", out, run->result->trace->n_spans);
      }
#ifdef AMLASIM_HAVE_EXPORT
    if (png)
      {
        TlExportOptions eo;
        draw->export_options_init (&eo);
        /* like the window: AI core 0 (AIC0 with its two AIVs) and the metrics box; 'amlasim
         * export --cores all' draws every core */
        guint ng = run->result->trace->groups->len;
        g_autofree guint8 *groups = g_new0 (guint8, ng);
        for (guint gi = 0; gi < ng && gi < 3; gi++)
          groups[gi] = 1;
        eo.groups = groups;
        eo.metrics = TRUE;
        if (!draw->export_file (run->result->trace, &eo, png, &err))
          {
            status = cli_fail ("run", "cannot export image: %s", err->message);
            goto out;
          }
        if (!quiet && !json)
          printf ("  image: %s\n", png);
      }
#endif
  }
out:
  cli_kernel_options_clear (&ko);
  g_free (out);
  g_free (flavor);
  g_free (png);
  g_free (trace_cores);
  g_free (max_memory);
  g_free (config_from);
  return status;
}
