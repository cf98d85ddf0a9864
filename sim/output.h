/* sim/output.h — writing an output file atomically: a temp file next to the target (the file a
 * symlink names), fsync when it replaces a file with data, rename over it; on any failure the
 * temp file goes and the old file stays whole.  A killed process leaves no temp file either
 * (sim_remove_temp_files_on_signal).  Used by the trace writer (streamed, through the open/commit
 * pair), image and plot exports, sweep CSVs, Slurm scripts and numerics files (one buffer, through
 * sim_write_file_atomic).  Also which image format a file name asks for. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Errors are G_FILE_ERROR (from errno) with messages that name the file: "cannot create a file
 * in DIR: …", "cannot write PATH: …", "cannot replace PATH: …". */

/* One buffer, the whole file; the mode of the file it replaces, or 0666 & ~umask if new. */
gboolean sim_write_file_atomic (const char *path, const char *data, gsize len, GError **error);
/* The same with a mode for the new file (0755 for a script; the umask applies); mode -1 is the
 * default above. */
gboolean sim_write_file_atomic_full (const char *path, const char *data, gsize len, int mode,
                                     GError **error);

/* Why a save to path would fail before any data is written ("it is a directory", "its directory
 * does not exist", "its directory is not writable", "it is not writable", "it is a symlink
 * loop"), or NULL if it can be written: for commands to check before long work.  A symlink is
 * judged by the file it names. */
const char *sim_output_unwritable_reason (const char *path);

/* Where a save lands: a symlink is followed to the file it names, and that file is replaced (the
 * link stays); a target that exists and is not a regular file (a FIFO, a terminal, /dev/null) is
 * written in place, without a temp file or rename; a directory is refused (G_FILE_ERROR_ISDIR).
 *
 * For streamed writers: a temp file beside path with mode as above, registered for removal on a
 * fatal signal; returns its fd and sets *tmp_path, or -1.  For a target written in place, the
 * target's own fd and *tmp_path NULL. */
int sim_output_open_temp (const char *path, int mode, char **tmp_path, GError **error);
/* ok: the writer succeeded.  A NULL tmp_path (written in place): only close.  Otherwise fsync (only
 * if path holds data: sim_output_replaces_data), close and rename tmp_path over path; otherwise (or
 * if any of those fails) close and unlink tmp_path.  Frees tmp_path.  Returns whether path now
 * holds the new contents. */
gboolean sim_output_commit_temp (int fd, char *tmp_path, const char *path, gboolean ok,
                                 GError **error);
/* Whether saving over path would replace data (a non-empty file is there), and so is made durable
 * with fsync before the rename.  A new or empty file is not: there are no old contents a crash
 * could cost, only the new file itself.  The policy of GLib's g_file_set_contents()
 * (G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_ONLY_EXISTING). */
gboolean sim_output_replaces_data (const char *path);

/* The image formats the renderer and the plots write, told by a file name's extension (any case):
 * the one place that decides it for the CLI, the plots and the window. */
typedef enum
{
  SIM_IMAGE_FORMAT_UNKNOWN = 0,
  SIM_IMAGE_FORMAT_PNG,
  SIM_IMAGE_FORMAT_SVG,
  SIM_IMAGE_FORMAT_PDF,
} SimImageFormat;

/* ".png"/".svg"/".pdf" at the end of path (NULL allowed), else SIM_IMAGE_FORMAT_UNKNOWN. */
SimImageFormat sim_image_format_from_path (const char *path);
/* ".png", ".svg", ".pdf"; NULL for SIM_IMAGE_FORMAT_UNKNOWN. */
const char *sim_image_format_extension (SimImageFormat format);

/* Install SIGINT/SIGTERM/SIGHUP handlers (where the signal still has its default action) that
 * remove the temporary files being written before the process dies, so a killed convert or
 * export leaves no hidden '.out.json.XXXXXX' beside its target.  Called once by amlasim. */
void sim_remove_temp_files_on_signal (void);

G_END_DECLS
