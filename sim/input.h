/* sim/input.h — reading a whole input file safely: it must be a regular file (a FIFO, socket,
 * device or directory is refused at once, never blocked on) and no larger than a limit chosen
 * by its kind, so a wrong path costs an error message, not a hang or gigabytes.  Used for
 * presets, sweep CSVs and numerics inputs. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Limits by kind (bytes), listed in the README's Limits section. */
#define SIM_INPUT_MAX_PRESET (1u << 20)          /* a hardware preset: 1 MiB */
#define SIM_INPUT_MAX_SWEEP_CSV (G_GUINT64_CONSTANT (1) << 30) /* a sweep CSV: 1 GiB */

/* Read path whole into *contents (NUL-terminated) and *length.  what names the kind in
 * messages ("preset", "sweep CSV").  Errors (G_FILE_ERROR): ENOENT and other open errors with
 * the path; G_FILE_ERROR_ISDIR "is a directory"; G_FILE_ERROR_INVAL "is not a regular file";
 * G_FILE_ERROR_FAILED "is SIZE, over its limit of LIMIT". */
/* The checks of sim_read_input_file without the reading (for readers that map the file): path
 * opens without blocking and is a regular file. */
gboolean sim_check_input_file (const char *path, const char *what, GError **error);

/* A byte count for messages: "512 bytes", "1.5 MiB", "12.0 GiB" (plain spaces). */
char *sim_format_size (guint64 bytes);

gboolean sim_read_input_file (const char *path, guint64 max_bytes, const char *what,
                              char **contents, gsize *length, GError **error);

G_END_DECLS
