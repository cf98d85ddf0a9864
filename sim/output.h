/* sim/output.h — writing an output file atomically: a temp file next to the target, fsync,
 * rename over it; on any failure the temp file goes and the old file stays whole.  A killed
 * process leaves no temp file either (sim_remove_temp_files_on_signal).  Used by the trace
 * writer (streamed, through the open/commit pair), image and plot exports, sweep CSVs, Slurm
 * scripts and numerics files (one buffer, through sim_write_file_atomic). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* One buffer: the whole file. */
gboolean sim_write_file_atomic (const char *path, const char *data, gsize len, GError **error);

/* For streamed writers: a temp file beside path (mode of the old file, or 0666 & ~umask),
 * registered for removal on a fatal signal; returns its fd and sets *tmp_path, or -1. */
int sim_output_open_temp (const char *path, char **tmp_path, GError **error);
/* ok: the writer succeeded.  Then fsync, close and rename tmp_path over path; otherwise (or if
 * any of those fails) close and unlink tmp_path.  Frees tmp_path.  Returns whether path now
 * holds the new contents. */
gboolean sim_output_commit_temp (int fd, char *tmp_path, const char *path, gboolean ok,
                                 GError **error);

/* Install SIGINT/SIGTERM/SIGHUP handlers (where the signal still has its default action) that
 * remove the temporary files being written before the process dies, so a killed convert or
 * export leaves no hidden '.out.json.XXXXXX' beside its target.  Called once by amlasim. */
void sim_remove_temp_files_on_signal (void);

G_END_DECLS
