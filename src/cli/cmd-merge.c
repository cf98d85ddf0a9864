/* amlasim merge — join the CSV shards of one sweep (amlasim sweep --shard K/N) into the CSV and
 * plots that the unsharded sweep would have written: same header, grid order, and a refusal to
 * merge duplicates, gaps or shards of different grids. */
#include <stdio.h>
#include <string.h>

#include "kernels/sweep.h"
#include "sim/input.h"
#include "src/cli/cli-util.h"
#include "src/cli/commands.h"
#include "src/cli/sweep-output.h"
#include "src/cli/sweep-slurm.h"

#define CMD "merge"

/* Every file must come from the same sweep (fingerprint) and the same split into N shards; the
 * first file is the reference.  Files of the CSV before fingerprints merge only with their kind. */
static gboolean
check_same_sweep (const char *path, const GArray *rows, const char **ref_path,
                  const SweepResult **ref)
{
  for (guint i = 0; i < rows->len; i++)
    {
      const SweepResult *r = &g_array_index (rows, SweepResult, i);
      if (*ref == NULL)
        {
          *ref = r;
          *ref_path = path;
          continue;
        }
      if (strcmp (r->fingerprint, (*ref)->fingerprint) != 0)
        {
          cli_fail (CMD,
                    "%s and %s come from different sweeps (fingerprints %s and %s: another grid, "
                    "preset, what-if or amlasim version): merge shards of one sweep only",
                    *ref_path, path, *(*ref)->fingerprint ? (*ref)->fingerprint : "none",
                    *r->fingerprint ? r->fingerprint : "none");
          return FALSE;
        }
      if (r->shard_count != (*ref)->shard_count)
        {
          cli_fail (CMD, "%s is a shard of %u, %s of %u: merge the shards of one split only",
                    path, r->shard_count, *ref_path, (*ref)->shard_count);
          return FALSE;
        }
    }
  return TRUE;
}

/* After a merge found points missing: name the shards they belong to and how to rerun them. */
static void
report_missing_shards (const GArray *results, const char *first_path)
{
  if (results->len == 0)
    return;
  const SweepResult *r0 = &g_array_index (results, SweepResult, 0);
  guint n = r0->shard_count;
  if (n < 1)
    return;
  guint64 points = r0->points;
  g_autofree guint64 *seen = g_new0 (guint64, n);
  for (guint i = 0; i < results->len; i++)
    {
      const SweepResult *r = &g_array_index (results, SweepResult, i);
      if (r->point < points)
        seen[r->point % n]++;
    }
  g_autofree char *dir = g_path_get_dirname (first_path);
  for (guint k = 0; k < n; k++)
    {
      guint64 expected = sweep_shard_size (points, k, n);
      if (seen[k] >= expected)
        continue;
      fprintf (stderr, "amlasim merge: shard %u/%u is %s (%" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT
                       " points)\n",
               k + 1, n, seen[k] == 0 ? "missing" : "incomplete", seen[k], expected);
      g_autofree char *hint = sweep_slurm_rerun_hint (dir, k);
      if (hint != NULL)
        fprintf (stderr, "  rerun only it:  %s\n", hint);
      else
        fprintf (stderr, "  rerun only it:  amlasim sweep <the sweep's options> --shard %u/%u -o "
                         "shard-%u-of-%u.csv\n",
                 k + 1, n, k + 1, n);
    }
}

int
amlasim_cmd_merge (int argc, char **argv)
{
  gboolean allow_gaps = FALSE;
  char *status_dir = NULL;
  SweepOutputOptions out = { 0 };
  GOptionEntry entries[] = {
    { "allow-gaps", 0, 0, G_OPTION_ARG_NONE, &allow_gaps,
      "Merge even if points are missing (an unfinished shard)", NULL },
    { "status", 0, 0, G_OPTION_ARG_FILENAME, &status_dir,
      "List which shards of a 'sweep --slurm' directory are done, missing or failed, and how to "
      "rerun them",
      "DIR" },
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
  if (status_dir != NULL)
    {
      status = argc > 1 ? cli_usage_error (CMD, "--status takes a directory, not files")
                        : sweep_slurm_status (CMD, status_dir);
      goto out;
    }
  if (argc < 2)
    {
      cli_usage_error (CMD, "give the CSV files to merge (see 'amlasim merge --help')");
      goto out;
    }
  if (!sweep_output_check (CMD, &out, NULL) || !sweep_output_check_writable (CMD, &out))
    goto out;
  if (!sweep_output_open_draw (CMD, &out))
    {
      status = CLI_EXIT_FAIL;
      goto out;
    }
  const char *ref_path = NULL;
  const SweepResult *ref = NULL;
  GPtrArray *files = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  for (int i = 1; i < argc; i++)
    {
      g_autofree char *text = NULL;
      gsize len = 0;
      GArray *rows = sweep_results_new ();
      g_ptr_array_add (files, rows);
      if (!sim_read_input_file (argv[i], SIM_INPUT_MAX_SWEEP_CSV, "sweep CSV", &text, &len, &err)
          || !sweep_csv_parse (text, len, argv[i], rows, &err))
        {
          status = cli_fail (CMD, "%s", err->message);
          g_ptr_array_unref (files);
          goto out;
        }
      if (!check_same_sweep (argv[i], rows, &ref_path, &ref))
        {
          status = CLI_EXIT_FAIL;
          g_ptr_array_unref (files);
          goto out;
        }
    }
  for (guint f = 0; f < files->len; f++)
    {
      GArray *rows = g_ptr_array_index (files, f);
      for (guint i = 0; i < rows->len; i++)
        {
          SweepResult *r = &g_array_index (rows, SweepResult, i);
          g_array_append_vals (results, r, 1);
          r->error = NULL; /* moved */
        }
    }
  g_ptr_array_unref (files);
  if (!sweep_results_check (results, allow_gaps, &err))
    {
      if (g_error_matches (err, SWEEP_ERROR, SWEEP_ERROR_INCOMPLETE))
        report_missing_shards (results, argv[1]);
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
  g_free (status_dir);
  sweep_output_clear (&out);
  return status;
}
