/* src/cli/sweep-slurm.h — a sweep as a Slurm array job: `amlasim sweep --slurm N --out-dir DIR`
 * writes an sbatch array script (one shard per task, CSV into DIR), a merge script that runs
 * after it (--dependency=afterok) and a manifest, and submits both; `amlasim merge --status DIR`
 * reads the manifest and says which shards are done, missing or failed and how to rerun them. */
#pragma once

#include <glib.h>
#include "kernels/sweep.h"
#include "src/cli/sweep-output.h"

typedef struct
{
  guint shards;        /* --slurm N */
  const char *out_dir; /* --out-dir DIR */
  char **sbatch_args;  /* --sbatch-arg ARG, each an #SBATCH line */
  gboolean dry_run;    /* print the scripts, submit nothing, write nothing */
} SweepSlurmOptions;

/* Write the scripts and the manifest into DIR and submit them (or print them with dry_run).
 * Prints what it did or the error; returns an exit status. */
int sweep_slurm_submit (const char *cmd, const SweepGrid *grid, const char *const *hw_set,
                        const char *fingerprint, const SweepOutputOptions *out,
                        const SweepSlurmOptions *opt);

/* `amlasim merge --status DIR`: one line per shard (done / missing / failed with the reason) and
 * the commands that rerun the shards that are not done.  Exit 0 when every shard is done, 1 when
 * some are not, 2 when DIR holds no manifest. */
int sweep_slurm_status (const char *cmd, const char *dir);

/* The two commands that rerun shard k (0-based) of the sweep whose manifest sits in dir, for a
 * message ("sbatch --array=K …  or  amlasim sweep … --shard K/N -o …"); NULL without a manifest. */
char *sweep_slurm_rerun_hint (const char *dir, guint k);
