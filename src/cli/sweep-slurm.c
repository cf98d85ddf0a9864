/* src/cli/sweep-slurm.c — a sweep as a Slurm array job (see sweep-slurm.h).
 *
 * DIR holds: sweep.manifest (a GKeyFile: the fingerprint, N, the grid, the scripts), the two
 * sbatch scripts, shard-K-of-N.csv from each array task, logs/ from Slurm and, from the merge job,
 * the merged CSV and plots.  The scripts call this same amlasim by its absolute path. */
#include "src/cli/sweep-slurm.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "sim/input.h"
#include "sim/output.h"
#include "src/cli/cli-util.h"

#define GROUP "sweep"

static char *
shard_csv (const char *dir, guint k, guint n)
{
  g_autofree char *name = g_strdup_printf ("shard-%u-of-%u.csv", k + 1, n);
  return g_build_filename (dir, name, NULL);
}

static char *
shard_log (const char *dir, guint k, guint n)
{
  g_autofree char *name = g_strdup_printf ("shard-%u-of-%u.log", k + 1, n);
  return g_build_filename (dir, "logs", name, NULL);
}

/* The sweep's options, --set included, shell-quoted on one line. */
static char *
quoted_grid (char **grid_args)
{
  GString *s = g_string_new (NULL);
  for (char **a = grid_args; *a != NULL; a++)
    {
      g_autofree char *q = g_shell_quote (*a);
      g_string_append_printf (s, "%s%s", s->len ? " " : "", q);
    }
  return g_string_free (s, FALSE);
}

static char *
this_amlasim (void)
{
  char *exe = g_file_read_link ("/proc/self/exe", NULL);
  return exe != NULL ? exe : g_strdup ("amlasim");
}

static char *
array_script (const char *amlasim, const char *grid, const char *dir, guint n,
              const char *fingerprint, char **sbatch_args)
{
  g_autofree char *q_exe = g_shell_quote (amlasim);
  g_autofree char *log = g_build_filename (dir, "logs", "shard-%a-of-", NULL);
  g_autofree char *q_dir = g_shell_quote (dir);
  GString *s = g_string_new ("#!/bin/bash\n");
  g_string_append_printf (s, "#SBATCH --job-name=amlasim-sweep\n#SBATCH --array=1-%u\n", n);
  g_string_append_printf (s, "#SBATCH --output=%s%u.log\n", log, n);
  for (char **a = sbatch_args; a != NULL && *a != NULL; a++)
    g_string_append_printf (s, "#SBATCH %s\n", *a);
  g_string_append_printf (s,
                          "# amlasim sweep %s: one shard of %u per array task (--shard auto reads "
                          "SLURM_ARRAY_TASK_ID)\n"
                          "set -eu\n"
                          "exec %s sweep %s --shard auto --no-progress \\\n"
                          "  --threads \"${SLURM_CPUS_PER_TASK:-0}\" \\\n"
                          "  -o %s/shard-\"$SLURM_ARRAY_TASK_ID\"-of-%u.csv\n",
                          fingerprint, n, q_exe, grid, q_dir, n);
  return g_string_free (s, FALSE);
}

static void
append_quoted_option (GString *s, const char *option, const char *value)
{
  if (value == NULL)
    return;
  g_autofree char *q = g_shell_quote (value);
  g_string_append_printf (s, " %s %s", option, q);
}

static char *
merge_script (const char *amlasim, const char *dir, guint n, const char *output,
              const SweepOutputOptions *out, char **sbatch_args)
{
  g_autofree char *q_exe = g_shell_quote (amlasim);
  g_autofree char *log = g_build_filename (dir, "logs", "merge.log", NULL);
  GString *s = g_string_new ("#!/bin/bash\n");
  g_string_append_printf (s, "#SBATCH --job-name=amlasim-merge\n#SBATCH --output=%s\n", log);
  for (char **a = sbatch_args; a != NULL && *a != NULL; a++)
    g_string_append_printf (s, "#SBATCH %s\n", *a);
  g_string_append_printf (s, "# runs once every shard has succeeded (--dependency=afterok)\n"
                             "set -eu\nexec %s merge",
                          q_exe);
  for (guint k = 0; k < n; k++)
    {
      g_autofree char *f = shard_csv (dir, k, n);
      g_autofree char *q = g_shell_quote (f);
      g_string_append_printf (s, " \\\n  %s", q);
    }
  append_quoted_option (s, "\\\n  -o", output);
  g_autofree char *plot = out->plot ? g_canonicalize_filename (out->plot, NULL) : NULL;
  g_autofree char *roof = out->roofline ? g_canonicalize_filename (out->roofline, NULL) : NULL;
  append_quoted_option (s, "--plot", plot);
  append_quoted_option (s, "--roofline", roof);
  append_quoted_option (s, "--x", out->x_axis);
  append_quoted_option (s, "--y", out->y);
  append_quoted_option (s, "--plot-size", out->size);
  g_string_append_c (s, '\n');
  return g_string_free (s, FALSE);
}

/* sbatch --parsable [extra] script: the job id, or NULL after printing sbatch's complaint. */
static char *
sbatch (const char *cmd, const char *dependency, const char *script)
{
  const char *argv[] = { "sbatch", "--parsable", dependency, script, NULL };
  if (dependency == NULL)
    {
      argv[2] = script;
      argv[3] = NULL;
    }
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr (GError) error = NULL;
  int wait_status = 0;
  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err,
                     &wait_status, &error))
    {
      cli_fail (cmd, "cannot run sbatch: %s (is this a Slurm login node? --dry-run prints the "
                     "scripts)",
                error->message);
      return NULL;
    }
  if (!g_spawn_check_wait_status (wait_status, NULL))
    {
      cli_fail (cmd, "sbatch %s failed: %s", script, g_strstrip (err));
      return NULL;
    }
  /* --parsable prints "ID" or "ID;CLUSTER" */
  char *semi = strchr (out, ';');
  if (semi != NULL)
    *semi = '\0';
  return g_strdup (g_strstrip (out));
}

int
sweep_slurm_submit (const char *cmd, const SweepGrid *grid, const char *const *hw_set,
                    const char *fingerprint, const SweepOutputOptions *out,
                    const SweepSlurmOptions *opt)
{
  g_autofree char *dir = g_canonicalize_filename (opt->out_dir, NULL);
  g_autofree char *amlasim = this_amlasim ();
  GPtrArray *args = g_ptr_array_new_with_free_func (g_free);
  g_auto (GStrv) grid_args = sweep_grid_to_args (grid);
  for (char **a = grid_args; *a != NULL; a++)
    g_ptr_array_add (args, g_strdup (*a));
  for (const char *const *s = hw_set; s != NULL && *s != NULL; s++)
    {
      g_ptr_array_add (args, g_strdup ("--set"));
      g_ptr_array_add (args, g_strdup (*s));
    }
  g_ptr_array_add (args, NULL);
  g_auto (GStrv) all_args = (char **) g_ptr_array_free (args, FALSE);
  g_autofree char *grid_text = quoted_grid (all_args);
  g_autofree char *output = out->output != NULL ? g_canonicalize_filename (out->output, NULL)
                                                : g_build_filename (dir, "sweep.csv", NULL);
  guint n = opt->shards;
  g_autofree char *array = array_script (amlasim, grid_text, dir, n, fingerprint, opt->sbatch_args);
  g_autofree char *merge = merge_script (amlasim, dir, n, output, out, opt->sbatch_args);
  g_autofree char *array_path = g_build_filename (dir, "sweep-array.sbatch", NULL);
  g_autofree char *merge_path = g_build_filename (dir, "sweep-merge.sbatch", NULL);
  if (opt->dry_run)
    {
      printf ("# %s\n%s\n# %s (submitted with --dependency=afterok:<array job>)\n%s", array_path,
              array, merge_path, merge);
      return CLI_EXIT_OK;
    }

  g_autofree char *logs = g_build_filename (dir, "logs", NULL);
  if (g_mkdir_with_parents (logs, 0755) != 0)
    return cli_fail (cmd, "--out-dir: cannot create %s: %s", logs, g_strerror (errno));
  g_autoptr (GKeyFile) kf = g_key_file_new ();
  g_key_file_set_comment (kf, NULL, NULL,
                          " written by 'amlasim sweep --slurm'; read by 'amlasim merge --status'",
                          NULL);
  g_key_file_set_string (kf, GROUP, "version", AMLAVIZ_VERSION);
  g_key_file_set_string (kf, GROUP, "fingerprint", fingerprint);
  g_key_file_set_uint64 (kf, GROUP, "shards", n);
  g_key_file_set_uint64 (kf, GROUP, "points", sweep_grid_size (grid));
  g_key_file_set_string (kf, GROUP, "amlasim", amlasim);
  g_key_file_set_string_list (kf, GROUP, "options", (const char *const *) all_args,
                              g_strv_length (all_args));
  g_key_file_set_string (kf, GROUP, "array_script", array_path);
  g_key_file_set_string (kf, GROUP, "merge_script", merge_path);
  g_key_file_set_string (kf, GROUP, "output", output);
  g_autofree char *manifest = g_build_filename (dir, "sweep.manifest", NULL);
  g_autoptr (GError) err = NULL;
  gsize manifest_len = 0;
  g_autofree char *manifest_text = g_key_file_to_data (kf, &manifest_len, NULL);
  if (!sim_write_file_atomic (manifest, manifest_text, manifest_len, &err)
      || !sim_write_file_atomic_full (array_path, array, strlen (array), 0755, &err)
      || !sim_write_file_atomic_full (merge_path, merge, strlen (merge), 0755, &err))
    return cli_fail (cmd, "--out-dir: %s", err->message);

  g_autofree char *array_id = sbatch (cmd, NULL, array_path);
  if (array_id == NULL)
    return CLI_EXIT_FAIL;
  g_autofree char *dep = g_strdup_printf ("--dependency=afterok:%s", array_id);
  g_autofree char *merge_id = sbatch (cmd, dep, merge_path);
  if (merge_id == NULL)
    {
      fprintf (stderr, "amlasim %s: the shards run as Slurm job %s; merge them yourself with "
                       "'sbatch %s' once they are done\n",
               cmd, array_id, merge_path);
      return CLI_EXIT_FAIL;
    }
  printf ("submitted %" G_GUINT64_FORMAT " configurations as Slurm array job %s (%u shards) and "
          "the merge as job %s (runs once every shard has succeeded)\n"
          "  follow:  squeue -j %s,%s\n"
          "  status:  %s merge --status %s\n"
          "  result:  %s\n",
          sweep_grid_size (grid), array_id, n, merge_id, array_id, merge_id, amlasim, dir, output);
  return CLI_EXIT_OK;
}

typedef struct
{
  guint shards;
  guint64 points;
  char *fingerprint, *amlasim, *array_script;
  char **options;
} Manifest;

static void
manifest_clear (Manifest *m)
{
  g_free (m->fingerprint);
  g_free (m->amlasim);
  g_free (m->array_script);
  g_strfreev (m->options);
}

static gboolean
manifest_load (const char *dir, Manifest *m, GError **error)
{
  memset (m, 0, sizeof *m);
  g_autofree char *path = g_build_filename (dir, "sweep.manifest", NULL);
  g_autoptr (GKeyFile) kf = g_key_file_new ();
  if (!g_key_file_load_from_file (kf, path, G_KEY_FILE_NONE, error))
    return FALSE;
  guint64 shards = g_key_file_get_uint64 (kf, GROUP, "shards", error);
  if (error != NULL && *error != NULL)
    return FALSE;
  m->points = g_key_file_get_uint64 (kf, GROUP, "points", NULL);
  m->fingerprint = g_key_file_get_string (kf, GROUP, "fingerprint", error);
  m->amlasim = g_key_file_get_string (kf, GROUP, "amlasim", NULL);
  m->array_script = g_key_file_get_string (kf, GROUP, "array_script", NULL);
  m->options = g_key_file_get_string_list (kf, GROUP, "options", NULL, NULL);
  if (m->fingerprint == NULL || shards < 1 || shards > 1000000 || m->options == NULL)
    {
      manifest_clear (m);
      if (error != NULL && *error == NULL)
        g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                     "%s is not a sweep manifest", path);
      return FALSE;
    }
  m->shards = (guint) shards;
  return TRUE;
}

static char *
rerun_hint (const char *dir, const Manifest *m, guint k)
{
  g_autofree char *grid = quoted_grid (m->options);
  g_autofree char *csv = shard_csv (dir, k, m->shards);
  g_autofree char *q_csv = g_shell_quote (csv);
  g_autofree char *q_exe = g_shell_quote (m->amlasim ? m->amlasim : "amlasim");
  g_autofree char *q_script = g_shell_quote (m->array_script ? m->array_script : "");
  return g_strdup_printf ("sbatch --array=%u %s\n    or here:  %s sweep %s --shard %u/%u -o %s",
                          k + 1, q_script, q_exe, grid, k + 1, m->shards, q_csv);
}

char *
sweep_slurm_rerun_hint (const char *dir, guint k)
{
  Manifest m;
  if (!manifest_load (dir, &m, NULL))
    return NULL;
  char *hint = k < m.shards ? rerun_hint (dir, &m, k) : NULL;
  manifest_clear (&m);
  return hint;
}

/* The last line of a task's log that says why it failed ("error", "CANCELLED"), or NULL. */
static char *
log_failure (const char *log)
{
  g_autofree char *text = NULL;
  gsize len = 0;
  if (!sim_read_input_file (log, 64u << 20, "log", &text, &len, NULL))
    return NULL;
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  char *found = NULL;
  for (char **l = lines; *l != NULL; l++)
    if (strstr (*l, "CANCELLED") != NULL || strstr (*l, "rror") != NULL
        || strstr (*l, "amlasim sweep:") != NULL)
      {
        g_free (found);
        found = g_strdup (g_strstrip (*l));
      }
  return found;
}

int
sweep_slurm_status (const char *cmd, const char *dir_in)
{
  g_autofree char *dir = g_canonicalize_filename (dir_in, NULL);
  Manifest m;
  g_autoptr (GError) err = NULL;
  if (!manifest_load (dir, &m, &err))
    return cli_usage_error (cmd, "--status %s: %s (a directory made by 'amlasim sweep --slurm')",
                            dir_in, err->message);
  guint done = 0;
  g_autoptr (GString) rerun = g_string_new (NULL);
  printf ("sweep %s: %" G_GUINT64_FORMAT " configurations in %u shards (%s)\n", m.fingerprint,
          m.points, m.shards, dir);
  for (guint k = 0; k < m.shards; k++)
    {
      g_autofree char *csv = shard_csv (dir, k, m.shards);
      g_autofree char *log = shard_log (dir, k, m.shards);
      guint64 expected = sweep_shard_size (m.points, k, m.shards);
      g_autofree char *state = NULL;
      g_autofree char *text = NULL;
      gsize len = 0;
      if (!g_file_test (csv, G_FILE_TEST_EXISTS))
        {
          g_autofree char *why = log_failure (log);
          state = why != NULL ? g_strdup_printf ("failed: %s", why)
                              : g_strdup ("missing (not run yet, running, or lost)");
        }
      else if (!sim_read_input_file (csv, SIM_INPUT_MAX_SWEEP_CSV, "sweep CSV", &text, &len, &err))
        state = g_strdup_printf ("failed: %s", err->message);
      else
        {
          g_autoptr (GArray) rows = sweep_results_new ();
          g_autoptr (GError) perr = NULL;
          guint errors = 0, foreign = 0;
          if (!sweep_csv_parse (text, len, csv, rows, &perr))
            state = g_strdup_printf ("failed: %s", perr->message);
          else
            {
              for (guint i = 0; i < rows->len; i++)
                {
                  const SweepResult *r = &g_array_index (rows, SweepResult, i);
                  errors += r->error != NULL;
                  foreign += strcmp (r->fingerprint, m.fingerprint) != 0
                             || r->shard_index != k || r->shard_count != m.shards;
                }
              if (foreign > 0)
                state = g_strdup ("failed: the file is from another sweep or shard");
              else if (rows->len != expected)
                state = g_strdup_printf ("failed: %u of %" G_GUINT64_FORMAT " points", rows->len,
                                         expected);
              else if (errors > 0)
                state = g_strdup_printf ("failed: %u points did not simulate", errors);
            }
          g_clear_error (&err);
        }
      if (state == NULL)
        {
          done++;
          printf ("  %u/%u  done     %" G_GUINT64_FORMAT " points  %s\n", k + 1, m.shards,
                  expected, csv);
        }
      else
        {
          printf ("  %u/%u  %s\n", k + 1, m.shards, state);
          g_autofree char *hint = rerun_hint (dir, &m, k);
          g_string_append_printf (rerun, "  shard %u/%u:  %s\n", k + 1, m.shards, hint);
        }
    }
  printf ("%u of %u shards done\n", done, m.shards);
  if (rerun->len > 0)
    printf ("rerun what is not done:\n%s", rerun->str);
  manifest_clear (&m);
  return done == m.shards ? CLI_EXIT_OK : CLI_EXIT_FAIL;
}
