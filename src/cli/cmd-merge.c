/* amlasim merge — join the CSV shards of one sweep (amlasim sweep --shard K/N) into the CSV and
 * plots that the unsharded sweep would have written: same header, grid order, and a refusal to
 * merge duplicates, gaps or shards of different grids. */
#include <stdio.h>
#include <string.h>

#include "kernels/sweep.h"
#include "src/cli/cli-util.h"
#include "src/cli/commands.h"
#include "src/cli/sweep-output.h"

#define CMD "merge"

int
amlasim_cmd_merge (int argc, char **argv)
{
  gboolean allow_gaps = FALSE;
  SweepOutputOptions out = { 0 };
  GOptionEntry entries[] = {
    { "allow-gaps", 0, 0, G_OPTION_ARG_NONE, &allow_gaps,
      "Merge even if points are missing (an unfinished shard)", NULL },
    { NULL },
  };
  g_autoptr (GOptionContext) ctx = g_option_context_new ("SHARD.csv... - join sweep shards");
  g_option_context_set_summary (
      ctx, "Reads the CSV files written by 'amlasim sweep --shard K/N', checks that they come\n"
           "from one grid with no point twice and none missing, and writes one CSV in grid\n"
           "order (identical to an unsharded run) and, if asked, the plots.");
  g_option_context_set_description (
      ctx, "Example:\n"
           "  for k in 1 2 3 4; do amlasim sweep --kv 512..16384*2 -a --shard $k/4 -o p$k.csv & "
           "done; wait\n"
           "  amlasim merge p*.csv -o all.csv --plot all.png --roofline roof.svg\n");
  g_option_context_add_main_entries (ctx, entries, NULL);
  g_autofree GOptionEntry *oe = sweep_output_entries (&out);
  g_option_context_add_main_entries (ctx, oe, NULL);
  int status = CLI_EXIT_USAGE;
  g_autoptr (GArray) results = sweep_results_new ();
  g_autoptr (GError) err = NULL;
  g_autofree char *csv = NULL;

  if (!cli_parse_context (CMD, ctx, &argc, &argv))
    goto out;
  if (argc < 2)
    {
      cli_usage_error (CMD, "give the CSV files to merge (see 'amlasim merge --help')");
      goto out;
    }
  if (!sweep_output_check (CMD, &out, NULL))
    goto out;
  for (int i = 1; i < argc; i++)
    {
      g_autofree char *text = NULL;
      gsize len = 0;
      if (!g_file_get_contents (argv[i], &text, &len, &err)
          || !sweep_csv_parse (text, len, argv[i], results, &err))
        {
          status = cli_fail (CMD, "%s", err->message);
          goto out;
        }
    }
  if (!sweep_results_check (results, allow_gaps, &err))
    {
      status = cli_fail (CMD, "%s", err->message);
      goto out;
    }
  csv = sweep_csv_format (results);
  status = CLI_EXIT_OK;
  if (out.output == NULL)
    fputs (csv, stdout);
  else if (!sweep_output_write_file (CMD, out.output, csv))
    status = CLI_EXIT_FAIL;
  if (out.plot != NULL || out.roofline != NULL)
    {
      int plot_status = sweep_output_write_plots (CMD, &out, results);
      if (plot_status != CLI_EXIT_OK)
        status = plot_status;
    }
out:
  sweep_output_clear (&out);
  return status;
}
