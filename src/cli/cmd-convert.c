/* amlasim convert — read any trace we can open and write it in one of our flavours: Perfetto
 * (integer ids + name metadata, the default) or msprof (Huawei operator-profiler layout). */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "sim/trace/trace-json.h"
#include "src/cli/cli-util.h"
#include "src/cli/commands.h"

int
amlasim_cmd_convert (int argc, char **argv)
{
  g_autofree char *out = NULL, *flavor_s = NULL;
  GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &out,
      "Write to FILE (gzip if it ends in .gz; '-' = stdout, plain)", "FILE" },
    { "flavor", 'f', 0, G_OPTION_ARG_STRING, &flavor_s,
      "perfetto (default: opens in Perfetto/chrome://tracing) or msprof (Huawei op profiler)",
      "perfetto|msprof" },
    { NULL },
  };
  g_autoptr (GOptionContext) ctx = g_option_context_new ("IN.json -o OUT.json — convert a trace");
  g_option_context_set_summary (
      ctx, "Reads any Chrome Trace Event JSON we can open (see amlasim info) and writes it as\n"
           "our Chrome JSON, gzip-compressed when OUT ends in .gz.  The output file is replaced\n"
           "atomically: a failed write keeps the old file.");
  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!cli_parse_context ("convert", ctx, &argc, &argv))
    return CLI_EXIT_USAGE;
  if (argc != 2)
    return cli_usage_error ("convert", "expected one input trace (see amlasim convert --help), got %d",
                            argc - 1);
  if (out == NULL)
    return cli_usage_error ("convert", "-o OUT is required ('-' writes to stdout)");
  SimTraceFlavor flavor = SIM_TRACE_FLAVOR_PERFETTO;
  if (flavor_s != NULL)
    {
      if (g_ascii_strcasecmp (flavor_s, "perfetto") == 0)
        flavor = SIM_TRACE_FLAVOR_PERFETTO;
      else if (g_ascii_strcasecmp (flavor_s, "msprof") == 0)
        flavor = SIM_TRACE_FLAVOR_MSPROF;
      else
        return cli_usage_error ("convert", "--flavor must be perfetto or msprof, got '%s'",
                                flavor_s);
    }
  if (strcmp (out, "-") != 0 && !cli_check_output ("convert", "-o", out)) /* before reading */
    return CLI_EXIT_USAGE;
  g_autoptr (GError) err = NULL;
  g_autoptr (SimTrace) t = sim_trace_read_json (argv[1], NULL, NULL, &err);
  if (t == NULL)
    return cli_fail ("convert", "%s", err->message);
  if (strcmp (out, "-") == 0)
    {
      gsize len = 0;
      g_autofree char *text = sim_trace_to_json (t, flavor, &len);
      if (fwrite (text, 1, len, stdout) != len || fflush (stdout) != 0)
        return cli_fail ("convert", "cannot write to stdout");
      return CLI_EXIT_OK;
    }
  if (!sim_trace_write_json (t, out, flavor, &err))
    return cli_fail ("convert", "%s", err->message);
  fprintf (stderr, "amlasim convert: wrote %s (%s): %" G_GUINT64_FORMAT " spans, %u flows, %u counters",
           out, flavor == SIM_TRACE_FLAVOR_MSPROF ? "msprof" : "perfetto", t->n_spans,
           t->flows->len, t->counters->len);
  gboolean msprof = flavor == SIM_TRACE_FLAVOR_MSPROF;
  if (t->n_kept_events > 0 && !msprof)
    fprintf (stderr, "; %" G_GUINT64_FORMAT " events we do not draw or read written back as read",
             t->n_kept_events);
  guint64 lost = t->skipped_events - (msprof ? 0 : t->n_kept_skipped);
  if (lost > 0)
    fprintf (stderr, "; %" G_GUINT64_FORMAT " input events could not be converted (%s)", lost,
             msprof ? "phases we do not draw, unpaired flows: the msprof layout writes what it "
                      "draws"
                    : "flow events that never pair up");
  if (msprof && t->n_kept_events > t->n_kept_skipped)
    fprintf (stderr,
             "; %" G_GUINT64_FORMAT " metadata events not written (the msprof layout "
             "writes what it draws)",
             t->n_kept_events - t->n_kept_skipped);
  fprintf (stderr, "\n");
  return CLI_EXIT_OK;
}
