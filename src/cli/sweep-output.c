/* src/cli/sweep-output.c — output options shared by amlasim sweep and merge. */
#include "src/cli/sweep-output.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "sim/output.h"
#include "src/cli/cli-util.h"
#ifdef AMLASIM_HAVE_RENDER
#include "src/cli/draw.h"
#endif

GOptionEntry *
sweep_output_entries (SweepOutputOptions *o)
{
  GOptionEntry e[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &o->output,
      "Write the CSV to FILE (default: standard output)", "FILE" },
    { "plot", 0, 0, G_OPTION_ARG_FILENAME, &o->plot,
      "Draw utilisation vs --x, one line per toggle combination (.png, .svg or .pdf)", "FILE" },
    { "roofline", 0, 0, G_OPTION_ARG_FILENAME, &o->roofline,
      "Draw the roofline: FLOP per HBM byte vs TFLOPS, one point per run (.png, .svg or .pdf)",
      "FILE" },
    { "x", 0, 0, G_OPTION_ARG_STRING, &o->x_axis,
      "x axis of --plot: kv, batch, sq, heads or rows (default: the one with most values)",
      "AXIS" },
    { "y", 0, 0, G_OPTION_ARG_STRING, &o->y,
      "y axis of --plot: util (Cube utilisation %, default) or tflops", "util|tflops" },
    { "plot-size", 0, 0, G_OPTION_ARG_STRING, &o->size,
      "Plot size in pixels/points (default 900x560)", "WxH" },
    { NULL },
  };
  return g_memdup2 (e, sizeof e);
}

void
sweep_output_clear (SweepOutputOptions *o)
{
  g_free (o->output);
  g_free (o->plot);
  g_free (o->roofline);
  g_free (o->x_axis);
  g_free (o->y);
  g_free (o->size);
  memset (o, 0, sizeof *o);
}

static gboolean
check_image_name (const char *cmd, const char *option, const char *path)
{
  if (sim_image_format_from_path (path) != SIM_IMAGE_FORMAT_UNKNOWN)
    return TRUE;
  cli_usage_error (cmd, "%s must name a .png, .svg or .pdf file, got '%s'", option, path);
  return FALSE;
}

gboolean
sweep_output_check (const char *cmd, SweepOutputOptions *o, const SweepGrid *grid)
{
  o->x = SWEEP_N_AXES;
  o->y_kind = 0;
  o->width = 900;
  o->height = 560;
#ifndef AMLASIM_HAVE_RENDER
  if (o->plot != NULL || o->roofline != NULL)
    {
      cli_usage_error (cmd, "--plot and --roofline need cairo; this amlasim was built without it");
      return FALSE;
    }
#endif
  if (o->plot != NULL && !check_image_name (cmd, "--plot", o->plot))
    return FALSE;
  if (o->roofline != NULL && !check_image_name (cmd, "--roofline", o->roofline))
    return FALSE;
  if (o->x_axis != NULL && (!sweep_axis_parse (o->x_axis, &o->x) || !sweep_axis_is_numeric (o->x)))
    {
      cli_usage_error (cmd, "--x must be kv, batch, sq, heads or rows, got '%s'", o->x_axis);
      return FALSE;
    }
  if (o->y != NULL)
    {
      if (!g_ascii_strcasecmp (o->y, "util") || !g_ascii_strcasecmp (o->y, "utilization")
          || !g_ascii_strcasecmp (o->y, "utilisation"))
        o->y_kind = 0;
      else if (!g_ascii_strcasecmp (o->y, "tflops"))
        o->y_kind = 1;
      else
        {
          cli_usage_error (cmd, "--y must be util or tflops, got '%s'", o->y);
          return FALSE;
        }
    }
  if (o->size != NULL)
    {
      int w = 0, h = 0;
      char tail = 0;
      if (sscanf (o->size, "%dx%d%c", &w, &h, &tail) != 2 || w < 320 || w > 8000 || h < 240
          || h > 8000)
        {
          cli_usage_error (cmd,
                           "--plot-size must be WxH with W in [320, 8000] and H in [240, 8000], "
                           "got '%s'",
                           o->size);
          return FALSE;
        }
      o->width = w;
      o->height = h;
    }
  if (grid != NULL && o->plot != NULL)
    {
      SweepAxis x = o->x;
      if (x == SWEEP_N_AXES)
        {
          /* the plot picks the numeric axis with the most values; it must have two */
          static const SweepAxis numeric[] = { SWEEP_AXIS_KV, SWEEP_AXIS_BATCH, SWEEP_AXIS_SQ,
                                               SWEEP_AXIS_HEADS, SWEEP_AXIS_ROWS };
          x = SWEEP_AXIS_KV;
          for (gsize i = 0; i < G_N_ELEMENTS (numeric); i++)
            if (sweep_grid_axis_len (grid, numeric[i]) > sweep_grid_axis_len (grid, x))
              x = numeric[i];
        }
      if (sweep_grid_axis_len (grid, x) < 2)
        {
          cli_usage_error (cmd,
                           "--plot needs an x axis with several values: give e.g. --%s "
                           "512,4096,16384 (or choose one with --x)",
                           sweep_axis_name (x));
          return FALSE;
        }
    }
  return TRUE;
}

gboolean
sweep_output_open_draw (const char *cmd, const SweepOutputOptions *o)
{
#ifdef AMLASIM_HAVE_RENDER
  if ((o->plot != NULL || o->roofline != NULL) && cli_draw (cmd) == NULL)
    return FALSE;
#endif
  return TRUE;
}

int
sweep_output_write_plots (const char *cmd, const SweepOutputOptions *o, const GArray *results)
{
#ifdef AMLASIM_HAVE_RENDER
  const AmlasimDraw *draw = cli_draw (cmd);
  if (draw == NULL)
    return CLI_EXIT_FAIL;
  PlotOptions popt;
  draw->plot_options_init (&popt);
  popt.x_axis = o->x;
  popt.y = o->y_kind == 1 ? PLOT_Y_TFLOPS : PLOT_Y_UTILIZATION;
  int status = CLI_EXIT_OK;
  if (o->plot != NULL)
    {
      g_autoptr (GError) err = NULL;
      if (!draw->plot_write_file (o->plot, PLOT_KIND_SWEEP, results, &popt, o->width, o->height,
                                  &err))
        status = cli_fail (cmd, "--plot: %s", err->message);
    }
  if (o->roofline != NULL)
    {
      g_autoptr (GError) err = NULL;
      if (!draw->plot_write_file (o->roofline, PLOT_KIND_ROOFLINE, results, &popt, o->width,
                                  o->height, &err))
        status = cli_fail (cmd, "--roofline: %s", err->message);
    }
  return status;
#else
  return CLI_EXIT_OK;
#endif
}

gboolean
sweep_output_check_writable (const char *cmd, const SweepOutputOptions *o)
{
  /* written at the end, each through a temp file renamed over it (sim/output.h) */
  return cli_check_output (cmd, "-o", o->output) && cli_check_output (cmd, "--plot", o->plot)
         && cli_check_output (cmd, "--roofline", o->roofline);
}

gboolean
sweep_output_write_file (const char *cmd, const char *path, const char *text)
{
  g_autoptr (GError) err = NULL;
  if (!sim_write_file_atomic (path, text, strlen (text), &err))
    {
      cli_fail (cmd, "%s", err->message);
      return FALSE;
    }
  return TRUE;
}
