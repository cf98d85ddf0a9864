/* amlasim run — simulate one AMLA configuration: metrics table (or --json), optional trace. */
#include <stdio.h>
#include <string.h>

#include "kernels/amla.h"
#include "sim/trace-json.h"
#include "src/cli/cli-util.h"
#include "src/cli/commands.h"
#ifdef AMLASIM_HAVE_EXPORT
#include "src/render/export.h"
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
          " events in %.1f ms\n",
          m->instructions, m->events, run->result->wall_ms);
}

int
amlasim_cmd_run (int argc, char **argv)
{
  CliKernelOptions ko = { 0 };
  gboolean json = FALSE, quiet = FALSE;
  char *out = NULL, *flavor = NULL, *png = NULL, *trace_cores = NULL;
  GOptionEntry extra[] = {
    { "json", 'j', 0, G_OPTION_ARG_NONE, &json, "Print one JSON object with the metrics", NULL },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &out, "Write the trace (Chrome/Perfetto JSON)", "FILE" },
    { "flavor", 0, 0, G_OPTION_ARG_STRING, &flavor, "Trace flavour: perfetto (default) | msprof", "NAME" },
    { "trace-cores", 0, 0, G_OPTION_ARG_STRING, &trace_cores, "Write only AI cores N..M to the trace (all are simulated; default all)", "all|N..M" },
#ifdef AMLASIM_HAVE_EXPORT
    { "png", 0, 0, G_OPTION_ARG_FILENAME, &png, "Also draw the timeline to a PNG (also .svg/.pdf)", "FILE" },
#endif
    { "quiet", 0, 0, G_OPTION_ARG_NONE, &quiet, "Print nothing but errors", NULL },
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
  {
    SimRunOptions opt;
    sim_run_options_init (&opt);
    opt.record_trace = out != NULL || png != NULL;
    g_autoptr (GError) err = NULL;
    g_autoptr (SimHw) hw = cli_load_hw ("run", &cfg, &status);
    if (hw == NULL)
      goto out;
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
        tl_export_options_init (&eo);
        /* like the window: AI core 0 (AIC0 with its two AIVs) and the metrics box; 'amlasim
         * export --cores all' draws every core */
        guint ng = run->result->trace->groups->len;
        g_autofree guint8 *groups = g_new0 (guint8, ng);
        for (guint gi = 0; gi < ng && gi < 3; gi++)
          groups[gi] = 1;
        eo.groups = groups;
        eo.metrics = TRUE;
        if (!tl_export_file (run->result->trace, &eo, png, &err))
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
  return status;
}
