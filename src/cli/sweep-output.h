/* src/cli/sweep-output.h — what `amlasim sweep` and `amlasim merge` share: the output options
 * (-o CSV, --plot, --roofline, --x, --y, --plot-size), their validation before any work starts,
 * and writing the CSV and plots at the end (atomically). */
#pragma once

#include <glib.h>
#include "kernels/sweep.h"

typedef struct
{
  char *output;   /* -o: CSV file; NULL = stdout */
  char *plot;     /* --plot FILE.{png,svg,pdf} */
  char *roofline; /* --roofline FILE.{png,svg,pdf} */
  char *x_axis;   /* --x AXIS */
  char *y;        /* --y util|tflops */
  char *size;     /* --plot-size WxH */
  /* parsed by sweep_output_check */
  SweepAxis x;
  int y_kind;
  int width, height;
} SweepOutputOptions;

/* Entries pointing into o; add with g_option_context_add_main_entries. */
GOptionEntry *sweep_output_entries (SweepOutputOptions *o);
void sweep_output_clear (SweepOutputOptions *o);

/* Check the options (file extensions, axis names, sizes) and, when grid is given, that the plot's
 * x axis takes several values.  Prints the error; returns FALSE (exit 2). */
gboolean sweep_output_check (const char *cmd, SweepOutputOptions *o, const SweepGrid *grid);

/* Before any work: every output file can be written at the end (its directory exists and is
 * writable, it is not a directory).  Prints the error naming the option; returns FALSE (exit 2). */
gboolean sweep_output_check_writable (const char *cmd, const SweepOutputOptions *o);

/* When plots are asked for, open the drawing module (src/cli/draw.h) now, before the runs or the
 * Slurm jobs whose results they draw.  Prints the error; returns FALSE (exit 1). */
gboolean sweep_output_open_draw (const char *cmd, const SweepOutputOptions *o);

/* Write the plots asked for.  Prints errors; returns an exit status. */
int sweep_output_write_plots (const char *cmd, const SweepOutputOptions *o, const GArray *results);

/* Write text to path atomically (temporary file + rename); prints the error. */
gboolean sweep_output_write_file (const char *cmd, const char *path, const char *text);
