/* amlasim sweep — simulate a grid of configurations on all cores; CSV (one row per
 * configuration, in grid order), optional plots, and --shard K/N for clusters. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "kernels/sweep.h"
#include "src/cli/cli-util.h"
#include "src/cli/commands.h"
#include "src/cli/sweep-output.h"
#include "src/cli/sweep-slurm.h"

#define CMD "sweep"

typedef struct
{
  FILE *stream; /* rows go here as they come (stdout), or NULL */
  GString *csv; /* or are collected for -o */
  gboolean progress;
  gint64 start_us, last_progress_us;
  guint64 failed;
} SweepSink;

static void
on_result (const SweepResult *r, guint64 done, guint64 total, gpointer user_data)
{
  SweepSink *sink = user_data;
  GString *row = g_string_new (NULL);
  sweep_csv_append_row (row, r);
  if (sink->stream != NULL)
    {
      fputs (row->str, sink->stream);
      fflush (sink->stream);
    }
  else
    g_string_append_len (sink->csv, row->str, row->len);
  g_string_free (row, TRUE);
  if (r->error != NULL)
    {
      sink->failed++;
      g_autofree char *desc = amla_config_describe (&r->config);
      fprintf (stderr, "%samlasim sweep: point %" G_GUINT64_FORMAT " (%s) failed: %s\n",
               sink->progress ? "\r\033[K" : "", r->point, desc, r->error);
    }
  gint64 now = g_get_monotonic_time ();
  /* at most ten updates a second: a terminal is slower than a fast sweep */
  if (sink->progress && (done == total || now - sink->last_progress_us > 100000))
    {
      sink->last_progress_us = now;
      double elapsed = (now - sink->start_us) / 1e6;
      double left = elapsed / done * (total - done);
      fprintf (stderr,
               "\r\033[Kamlasim sweep: %" G_GUINT64_FORMAT "/%" G_GUINT64_FORMAT
               " configurations (%.0f%%), %.1f s, ~%.0f s left",
               done, total, 100.0 * done / total, elapsed, left);
      if (done == total)
        fputc ('\n', stderr);
      fflush (stderr);
    }
}

/* Ctrl-C stops the workers (running simulations too) instead of killing the process, so the
 * user gets a message saying what was and was not written. */
static gint interrupted; /* g_atomic_int_* only (set from a signal handler) */

static void
on_sigint (int sig)
{
  g_atomic_int_set (&interrupted, 1);
}

/* One option per sweep axis, as the configuration table names it; help strings kept in help. */
static GOptionEntry *
axis_entries (char **values[SWEEP_N_AXES], GPtrArray *help)
{
  GOptionEntry *e = g_new0 (GOptionEntry, SWEEP_N_AXES + 1);
  /* in amlasim run's order (the table's), not the grid's */
  const AmlaConfigField *f = amla_config_fields ();
  guint n = 0;
  for (guint i = 0; i < AMLA_CONFIG_N_FIELDS; i++)
    if (f[i].sweep_axis >= 0)
      {
        char *text = g_strdup_printf ("%s; a comma list%s", f[i].help,
                                      f[i].type == AMLA_FIELD_INT ? " or ranges" : "");
        g_ptr_array_add (help, text);
        e[n++] = (GOptionEntry){
          .long_name = f[i].option,
          .short_name = f[i].short_option,
          .arg = G_OPTION_ARG_STRING_ARRAY,
          .arg_data = &values[f[i].sweep_axis],
          .description = text,
          .arg_description = "LIST",
        };
      }
  return e;
}

int
amlasim_cmd_sweep (int argc, char **argv)
{
  char **values[SWEEP_N_AXES] = { NULL };
  gboolean all_toggles = FALSE, progress_flag = FALSE, no_progress = FALSE;
  int threads = 0, shards = 0, slurm = 0;
  char *shard = NULL, *out_dir = NULL;
  g_auto (GStrv) sbatch_args = NULL;
  gboolean dry_run = FALSE;
  g_autofree char *fingerprint = NULL;
  g_auto (GStrv) hw_set = NULL;
  SweepOutputOptions out = { 0 };
  GOptionEntry grid_entries[] = {
    { "set", 0, 0, G_OPTION_ARG_STRING_ARRAY, &hw_set,
      "What-if: change one field of every preset, e.g. --set l2_bytes_per_s=4.4e12 (repeatable)",
      "FIELD=VALUE" },
    { "all-toggles", 'a', 0, G_OPTION_ARG_NONE, &all_toggles,
      "All 8 combinations of preload, tiling and rescale", NULL },
    { "threads", 'j', 0, G_OPTION_ARG_INT, &threads, "Worker threads (default: all processors)",
      "N" },
    { "shard", 0, 0, G_OPTION_ARG_STRING, &shard,
      "Run only the K-th of N disjoint slices (1 <= K <= N); join them with 'amlasim merge'. "
      "auto: K/N from a Slurm array task or (with --shards N) a Kubernetes Indexed Job",
      "K/N|auto" },
    { "shards", 0, 0, G_OPTION_ARG_INT, &shards,
      "With --shard auto in a Kubernetes Indexed Job: N, the job's completions", "N" },
    { "slurm", 0, 0, G_OPTION_ARG_INT, &slurm,
      "Submit the sweep to Slurm as an array job of N shards plus a merge job that runs after "
      "them (needs --out-dir)",
      "N" },
    { "out-dir", 0, 0, G_OPTION_ARG_FILENAME, &out_dir,
      "With --slurm: where the scripts, shard CSVs, logs and (unless -o) sweep.csv go", "DIR" },
    { "sbatch-arg", 0, 0, G_OPTION_ARG_STRING_ARRAY, &sbatch_args,
      "With --slurm: one more #SBATCH line for both jobs, e.g. --sbatch-arg=--partition=cpu "
      "(repeatable)",
      "ARG" },
    { "dry-run", 0, 0, G_OPTION_ARG_NONE, &dry_run,
      "With --slurm: print the two sbatch scripts, submit and write nothing", NULL },
    { "progress", 0, 0, G_OPTION_ARG_NONE, &progress_flag,
      "Show progress on stderr even when it is not a terminal", NULL },
    { "no-progress", 0, 0, G_OPTION_ARG_NONE, &no_progress, "Never show progress", NULL },
    { NULL },
  };
  g_autoptr (GOptionContext) ctx = g_option_context_new ("- simulate a grid of configurations");
  g_option_context_set_summary (
      ctx, "Every option takes a comma list; numeric ones also take ranges A..B (step 1),\n"
           "A..B+STEP and A..B*FACTOR (geometric), e.g. --kv 512..16384*2.  The grid is the\n"
           "product of all lists; the CSV has one row per configuration in grid order\n"
           "(columns: point, points, the configuration, then total_ns, flops, tflops,\n"
           "cube_utilization, bound, busy fraction per pipe, bytes per path, ...).");
  g_option_context_set_description (
      ctx, "Examples:\n"
           "  amlasim sweep --kv 512..16384*2 --all-toggles -o kv.csv --plot kv.png\n"
           "  amlasim sweep --batch 1,8,32,96 --sq 1,2 --roofline roof.svg > b.csv\n"
           "  amlasim sweep ... --shard 3/8 -o part3.csv   (then: amlasim merge part*.csv -o "
           "all.csv)\n"
           "  amlasim sweep --kv 512..65536*2 -a --slurm 16 --out-dir runs/kv --plot kv.png\n"
           "      (a Slurm array job of 16 shards and a merge job; amlasim merge --status runs/kv)\n");
  g_autoptr (GPtrArray) axis_help = g_ptr_array_new_with_free_func (g_free);
  g_autofree GOptionEntry *axes = axis_entries (values, axis_help);
  g_option_context_add_main_entries (ctx, axes, NULL);
  g_option_context_add_main_entries (ctx, grid_entries, NULL);
  g_autofree GOptionEntry *oe = sweep_output_entries (&out);
  g_option_context_add_main_entries (ctx, oe, NULL);
  int status = CLI_EXIT_USAGE;
  g_autoptr (SweepGrid) grid = sweep_grid_new (NULL);
  g_autoptr (GArray) results = NULL;
  g_autoptr (GError) err = NULL;
  SweepRunOptions ropt;
  sweep_run_options_init (&ropt);
  SweepSink sink = { 0 };
  g_autoptr (GString) csv = g_string_new (NULL);

  if (!cli_parse_context (CMD, ctx, &argc, &argv))
    goto out;
  if (argc > 1)
    {
      cli_usage_error (CMD, "unexpected argument '%s' (see 'amlasim sweep --help')", argv[1]);
      goto out;
    }
  /* an option given twice adds to its list: --batch 1..64*2 --batch 96 */
  for (int a = 0; a < SWEEP_N_AXES; a++)
    for (int i = 0; values[a] != NULL && values[a][i] != NULL; i++)
      if (!sweep_grid_add_values (grid, (SweepAxis) a, values[a][i], &err))
        {
          cli_usage_error (CMD, "%s", err->message);
          goto out;
        }
  if (all_toggles)
    sweep_grid_all_toggles (grid);
  if (threads < 0 || threads > 1024)
    {
      cli_usage_error (CMD, "--threads must be in [1, 1024] (0 = all processors), got %d", threads);
      goto out;
    }
  if (slurm < 0 || slurm > 1000000 || shards < 0 || shards > 1000000)
    {
      cli_usage_error (CMD, "--slurm and --shards must be in [1, 1000000]");
      goto out;
    }
  if (slurm > 0 && (out_dir == NULL || shard != NULL))
    {
      cli_usage_error (CMD, out_dir == NULL ? "--slurm needs --out-dir DIR (the scripts, shard "
                                              "CSVs and logs go there)"
                                            : "--slurm makes the shards itself: drop --shard");
      goto out;
    }
  if (slurm == 0 && (out_dir != NULL || sbatch_args != NULL || dry_run))
    {
      cli_usage_error (CMD, "--out-dir, --sbatch-arg and --dry-run go with --slurm N");
      goto out;
    }
  if (shard != NULL && strcmp (shard, "auto") == 0)
    {
      g_auto (GStrv) envp = g_get_environ ();
      if (!sweep_shard_from_env (envp, (guint) shards, &ropt.shard_index, &ropt.shard_count, &err))
        {
          cli_usage_error (CMD, "%s", err->message);
          goto out;
        }
    }
  else if (shard != NULL
           && !sweep_shard_parse (shard, &ropt.shard_index, &ropt.shard_count, &err))
    {
      cli_usage_error (CMD, "%s", err->message);
      goto out;
    }
  if (!sweep_grid_validate (grid, &err))
    {
      cli_usage_error (CMD, "%s", err->message);
      goto out;
    }
  if (!sweep_output_check (CMD, &out, grid))
    goto out;
  /* a sweep can run for hours: find out now, not after it, that its results cannot be written */
  if (slurm == 0 && !sweep_output_check_writable (CMD, &out))
    goto out;
  if (!sweep_output_open_draw (CMD, &out))
    {
      status = CLI_EXIT_FAIL;
      goto out;
    }
  /* a bad --set is a usage error (exit 2), found before anything runs */
  for (const char *const *name = sweep_grid_hw_names (grid); *name != NULL; name++)
    {
      g_autoptr (SimHw) hw = sim_hw_load (*name, NULL);
      for (char **a = hw_set; hw != NULL && a != NULL && *a != NULL; a++)
        if (!sim_hw_set (hw, *a, &err))
          {
            cli_usage_error (CMD, "--set: %s", err->message);
            goto out;
          }
    }
  ropt.hw_set = (const char *const *) hw_set;
  fingerprint = sweep_fingerprint (grid, ropt.hw_set, &err);
  if (fingerprint == NULL)
    {
      status = cli_fail (CMD, "%s", err->message);
      goto out;
    }
  ropt.fingerprint = fingerprint;
  if (slurm > 0)
    {
      SweepSlurmOptions so = { (guint) slurm, out_dir, sbatch_args, dry_run };
      status = sweep_slurm_submit (CMD, grid, ropt.hw_set, fingerprint, &out, &so);
      goto out;
    }

  sink.progress = !no_progress && (progress_flag || isatty (STDERR_FILENO));
  sink.start_us = g_get_monotonic_time ();
  sweep_csv_append_header (csv);
  if (out.output == NULL)
    {
      /* stream: the header now, each row as soon as every earlier point is done */
      fputs (csv->str, stdout);
      fflush (stdout);
      sink.stream = stdout;
    }
  sink.csv = csv;
  ropt.threads = threads;
  ropt.ordered = TRUE;
  ropt.on_result = on_result;
  ropt.user_data = &sink;
  ropt.cancel = &interrupted;
  void (*previous) (int) = signal (SIGINT, on_sigint);
  results = sweep_run (grid, &ropt, &err);
  signal (SIGINT, previous);
  if (results == NULL)
    {
      if (g_error_matches (err, SWEEP_ERROR, SWEEP_ERROR_CANCELLED))
        status = cli_fail (CMD, "interrupted: %s",
                           out.output != NULL ? "nothing written (the CSV is written at the end)"
                                              : "the rows above are complete, the rest missing");
      else
        status = cli_fail (CMD, "%s", err->message);
      goto out;
    }
  status = CLI_EXIT_OK;
  if (out.output != NULL && !sweep_output_write_file (CMD, out.output, csv->str))
    status = CLI_EXIT_FAIL;
  if (sink.failed > 0)
    {
      fprintf (stderr,
               "amlasim sweep: %" G_GUINT64_FORMAT " of %u configurations failed (their "
               "rows carry the error)\n",
               sink.failed, results->len);
      status = CLI_EXIT_FAIL;
    }
  if (out.plot != NULL || out.roofline != NULL)
    {
      int plot_status = sweep_output_write_plots (CMD, &out, results);
      if (plot_status != CLI_EXIT_OK)
        status = plot_status;
    }

out:
  for (int a = 0; a < SWEEP_N_AXES; a++)
    g_strfreev (values[a]);
  g_free (shard);
  g_free (out_dir);
  sweep_output_clear (&out);
  return status;
}
