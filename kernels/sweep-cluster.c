/* kernels/sweep-cluster.c — what a sweep needs to run on a cluster: the sweep's fingerprint
 * (so shards of different sweeps never merge) and the shard a scheduler's array task is
 * (--shard auto).  The Slurm scripts themselves are written by the CLI (src/cli/sweep-slurm.c). */
#include "kernels/sweep.h"

#include <stdlib.h>
#include <string.h>

char *
sweep_fingerprint (const SweepGrid *grid, const char *const *hw_set, GError **error)
{
  g_autoptr (GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  GString *text = g_string_new ("amlasim " AMLAVIZ_VERSION "\n");
  g_auto (GStrv) args = sweep_grid_to_args (grid);
  for (char **a = args; *a != NULL; a++)
    g_string_append_printf (text, "%s\n", *a);
  for (const char *const *s = hw_set; s != NULL && *s != NULL; s++)
    g_string_append_printf (text, "--set\n%s\n", *s);
  /* the presets as simulated: every field's value after the what-ifs, not the file's bytes, so
   * a reformatted preset file is the same sweep and a changed number is another */
  for (const char *const *name = sweep_grid_hw_names (grid); *name != NULL; name++)
    {
      g_autoptr (SimHw) hw = sim_hw_load (*name, error);
      if (hw == NULL)
        {
          g_string_free (text, TRUE);
          return NULL;
        }
      for (const char *const *s = hw_set; s != NULL && *s != NULL; s++)
        if (!sim_hw_set (hw, *s, error))
          {
            g_string_free (text, TRUE);
            return NULL;
          }
      gsize n = 0;
      const SimHwField *f = sim_hw_fields (hw, &n);
      g_string_append_printf (text, "preset %s\n", *name);
      for (gsize i = 0; i < n; i++)
        g_string_append_printf (text, "%s=%.17g\n", f[i].key, f[i].value);
    }
  g_checksum_update (sum, (const guchar *) text->str, (gssize) text->len);
  g_string_free (text, TRUE);
  return g_strndup (g_checksum_get_string (sum), 16);
}

static const char *
env (char **envp, const char *name)
{
  const char *v = g_environ_getenv (envp, name);
  return v != NULL && *v != '\0' ? v : NULL;
}

static gboolean
env_long (char **envp, const char *name, long *out, GError **error)
{
  const char *v = env (envp, name);
  char *end = NULL;
  long x = v != NULL ? strtol (v, &end, 10) : 0;
  if (v == NULL || end == v || *end != '\0' || x < 0 || x > 100000000)
    {
      g_set_error (error, SWEEP_ERROR, SWEEP_ERROR_INVALID,
                   "--shard auto: %s is %s%s%s, expected a whole number", name,
                   v != NULL ? "'" : "not set", v != NULL ? v : "", v != NULL ? "'" : "");
      return FALSE;
    }
  *out = x;
  return TRUE;
}

gboolean
sweep_shard_from_env (char **envp, guint shards, guint *k, guint *n, GError **error)
{
  if (env (envp, "SLURM_ARRAY_TASK_ID") != NULL)
    {
      long id, count, lo, hi, step = 1;
      if (!env_long (envp, "SLURM_ARRAY_TASK_ID", &id, error))
        return FALSE;
      if (env (envp, "SLURM_ARRAY_TASK_STEP") != NULL
          && (!env_long (envp, "SLURM_ARRAY_TASK_STEP", &step, error) || step != 1))
        {
          g_clear_error (error);
          g_set_error (error, SWEEP_ERROR, SWEEP_ERROR_INVALID,
                       "--shard auto: the Slurm array steps by %s; submit it as --array=1-N "
                       "(step 1) so every task is one shard",
                       env (envp, "SLURM_ARRAY_TASK_STEP"));
          return FALSE;
        }
      if (!env_long (envp, "SLURM_ARRAY_TASK_MIN", &lo, error))
        return FALSE;
      if (env (envp, "SLURM_ARRAY_TASK_COUNT") != NULL)
        {
          if (!env_long (envp, "SLURM_ARRAY_TASK_COUNT", &count, error))
            return FALSE;
        }
      else
        {
          if (!env_long (envp, "SLURM_ARRAY_TASK_MAX", &hi, error))
            return FALSE;
          count = hi - lo + 1;
        }
      if (count < 1 || count > 1000000 || id < lo || id - lo >= count)
        {
          g_set_error (error, SWEEP_ERROR, SWEEP_ERROR_INVALID,
                       "--shard auto: Slurm array task %ld is outside its array (%ld tasks from "
                       "%ld)",
                       id, count, lo);
          return FALSE;
        }
      *k = (guint) (id - lo);
      *n = (guint) count;
      return TRUE;
    }
  if (env (envp, "JOB_COMPLETION_INDEX") != NULL)
    {
      long idx;
      if (!env_long (envp, "JOB_COMPLETION_INDEX", &idx, error))
        return FALSE;
      if (shards == 0)
        {
          g_set_error (error, SWEEP_ERROR, SWEEP_ERROR_INVALID,
                       "--shard auto in a Kubernetes Indexed Job (JOB_COMPLETION_INDEX=%ld) needs "
                       "--shards N, the job's completions",
                       idx);
          return FALSE;
        }
      if ((guint64) idx >= shards)
        {
          g_set_error (error, SWEEP_ERROR, SWEEP_ERROR_INVALID,
                       "--shard auto: JOB_COMPLETION_INDEX=%ld is not below --shards %u", idx,
                       shards);
          return FALSE;
        }
      *k = (guint) idx;
      *n = shards;
      return TRUE;
    }
  g_set_error (error, SWEEP_ERROR, SWEEP_ERROR_INVALID,
               "--shard auto: no scheduler told this process its shard: run it as a Slurm array "
               "task (SLURM_ARRAY_TASK_ID) or a Kubernetes Indexed Job (JOB_COMPLETION_INDEX, "
               "with --shards N), or give --shard K/N");
  return FALSE;
}
