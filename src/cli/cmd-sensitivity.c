/* amlasim sensitivity — what drives this number?  Vary every assumed preset field of one
 * configuration (kernels/sensitivity.h), print the swing of Cube utilisation per field for this
 * rescale and the other one as a table (or --json), and draw the tornado (--plot). */
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "kernels/sensitivity.h"
#include "sim/output.h"
#include "src/cli/cli-util.h"
#include "src/cli/commands.h"
#ifdef AMLASIM_HAVE_RENDER
#include "src/cli/draw.h"
#endif

#define CMD "sensitivity"
#define DEFAULT_PLOT_WIDTH 1100

typedef struct
{
  gboolean show;
  gint64 last_us;
} Progress;

static void
on_progress (guint done, guint total, gpointer user_data)
{
  Progress *p = user_data;
  gint64 now = g_get_monotonic_time ();
  if (!p->show || (done < total && now - p->last_us < 100000))
    return;
  p->last_us = now;
  fprintf (stderr, "\r\033[Kamlasim sensitivity: %u/%u runs", done, total);
  if (done == total)
    fputs ("\r\033[K", stderr);
  fflush (stderr);
}

/* Ctrl-C stops the runs (the running simulations too) and says so. */
static gint interrupted; /* g_atomic_int_* only (set from a signal handler) */

static void
on_sigint (int sig)
{
  g_atomic_int_set (&interrupted, 1);
}

static void
print_util (GString *out, double util, const char *error)
{
  if (error != NULL)
    g_string_append_printf (out, " %9s", "failed");
  else
    g_string_append_printf (out, " %7.2f %%", util * 100);
}

static void
print_side (GString *out, const SensitivityRow *row, const SensitivitySide *s)
{
  print_util (out, s->util_low, s->error_low);
  print_util (out, s->util_high, s->error_high);
  if (isnan (s->swing))
    g_string_append_printf (out, " %9s", "-");
  else
    g_string_append_printf (out, " %5.2f pts", s->swing * 100);
}

static char *
value_cell (double v, gboolean clamped)
{
  g_autofree char *t = sensitivity_format_value (v);
  return g_strdup_printf ("%s%s", t, clamped ? "*" : "");
}

/* "----- amla (this run) ------": a heading over the 29 columns of one rescale */
static char *
rule_heading (const char *rescale, const char *which)
{
  g_autofree char *text = g_strdup_printf (" %s (%s) ", rescale, which);
  int width = 29, len = (int) strlen (text);
  int left = MAX (0, (width - len) / 2), right = MAX (0, width - len - left);
  g_autofree char *l = g_strnfill ((gsize) left, '-');
  g_autofree char *r = g_strnfill ((gsize) right, '-');
  return g_strdup_printf ("%s%s%s", l, text, r);
}

static void
print_table (const SensitivityReport *r)
{
  g_autoptr (GString) out = g_string_new (NULL);
  g_autofree char *desc = amla_config_describe (&r->config);
  const char *name[2] = { amla_rescale_name (r->rescale[0]), amla_rescale_name (r->rescale[1]) };
  g_string_append_printf (out,
                          "What drives this number?  Cube utilisation of\n  %s\nas each assumed "
                          "preset field moves (%u runs in %.1f s)\n\n",
                          desc, r->runs, r->wall_s);
  g_string_append_printf (out, "  base: %s %.2f %%", name[0], r->base_util[0] * 100);
  if (r->other_error == NULL)
    g_string_append_printf (out, ", %s %.2f %%", name[1], r->base_util[1] * 100);
  g_string_append (out, "   (swing = |util at high − util at low|, percentage points)\n\n");

  int key_w = 5;
  for (guint i = 0; i < r->rows->len; i++)
    key_w = MAX (key_w, (int) strlen (g_array_index (r->rows, SensitivityRow, i).key));
  g_autofree char *this_head = rule_heading (name[0], "this run");
  g_autofree char *other_head = rule_heading (name[1], "the other");
  g_string_append_printf (out, "  %-*s %10s %10s   %s   %s\n", key_w, "", "", "", this_head,
                          other_head);
  g_string_append_printf (out, "  %-*s %10s %10s  %9s %9s %9s  %9s %9s %9s\n", key_w, "field",
                          "low", "high", "util low", "util high", "swing", "util low", "util high",
                          "swing");
  gboolean any_clamped = FALSE, any_what_if = FALSE;
  GString *notes = g_string_new (NULL);
  for (guint i = 0; i < r->rows->len; i++)
    {
      const SensitivityRow *row = &g_array_index (r->rows, SensitivityRow, i);
      g_string_append_printf (out, "  %-*s", key_w, row->key);
      if (row->rule == SENSITIVITY_RULE_SKIPPED)
        {
          g_autofree char *base = sensitivity_format_value (row->base);
          g_string_append_printf (out, " %10s %10s  not varied: %s\n", base, "", row->note);
          continue;
        }
      g_autofree char *lo = value_cell (row->low, row->low_clamped);
      g_autofree char *hi = value_cell (row->high, row->high_clamped);
      g_string_append_printf (out, " %10s %10s ", lo, hi);
      print_side (out, row, &row->side[0]);
      g_string_append (out, " ");
      print_side (out, row, &row->side[1]);
      if (row->what_if)
        g_string_append (out, "  (what-if)");
      if (row->rule == SENSITIVITY_RULE_SWITCH || row->rule == SENSITIVITY_RULE_FROM_ZERO)
        g_string_append_printf (out, "  [%s]", sensitivity_rule_name (row->rule));
      g_string_append_c (out, '\n');
      any_clamped |= row->low_clamped || row->high_clamped;
      any_what_if |= row->what_if;
      for (int s = 0; s < 2; s++)
        {
          if (row->side[s].error_low != NULL)
            g_string_append_printf (notes, "  %s low at %s failed: %s\n", row->key, name[s],
                                    row->side[s].error_low);
          if (row->side[s].error_high != NULL)
            g_string_append_printf (notes, "  %s high at %s failed: %s\n", row->key, name[s],
                                    row->side[s].error_high);
        }
    }
  g_string_append (out, "\n");
  if (any_clamped)
    g_string_append (out, "  * ×0.5 or ×2 clamped to the field's allowed range (a clamped end "
                          "equal to the base is the base run)\n");
  if (any_what_if)
    g_string_append (
        out, "  (what-if): a field your --set changed, varied around your value (from 0: up to the "
             "preset's)\n");
  if (r->other_error != NULL)
    g_string_append_printf (out, "  %s\n", r->other_error);
  g_string_append (out, notes->str);
  g_string_free (notes, TRUE);
  fputs (out->str, stdout);
}

/* The range table for --help, names padded by characters (×, → are two bytes in UTF-8). */
static char *
rules_help (void)
{
  GString *s = g_string_new ("How each field is varied:");
  for (int r = 0; r < SENSITIVITY_N_RULES; r++)
    {
      const char *name = sensitivity_rule_name ((SensitivityRule) r);
      glong pad = MAX (1, 13 - g_utf8_strlen (name, -1));
      g_string_append_printf (s, "\n  %s%*s%s", name, (int) pad, "",
                              sensitivity_rule_describe ((SensitivityRule) r));
    }
  return g_string_free (s, FALSE);
}

static gboolean
parse_plot_size (const char *text, int *w, int *h)
{
  char tail = 0;
  return sscanf (text, "%dx%d%c", w, h, &tail) == 2 && *w >= 320 && *w <= 8000 && *h >= 240
         && *h <= 8000;
}

int
amlasim_cmd_sensitivity (int argc, char **argv)
{
  CliKernelOptions ko = { 0 };
  gboolean json = FALSE, progress_flag = FALSE, no_progress = FALSE;
  int threads = 0;
  g_autofree char *plot = NULL, *plot_size = NULL;
  GOptionEntry extra[] = {
    { "json", 'j', 0, G_OPTION_ARG_NONE, &json, "Print the table as one JSON object", NULL },
    { "plot", 0, 0, G_OPTION_ARG_FILENAME, &plot, "Draw the tornado chart (.png, .svg or .pdf)",
      "FILE" },
    { "plot-size", 0, 0, G_OPTION_ARG_STRING, &plot_size,
      "Chart size in pixels/points (default 1100 wide, tall enough for every field)", "WxH" },
    { "threads", 0, 0, G_OPTION_ARG_INT, &threads, "Worker threads (default: all processors)",
      "N" },
    { "progress", 0, 0, G_OPTION_ARG_NONE, &progress_flag,
      "Show progress on stderr even when it is not a terminal", NULL },
    { "no-progress", 0, 0, G_OPTION_ARG_NONE, &no_progress, "Never show progress", NULL },
    { NULL },
  };
  g_autofree GOptionEntry *kernel = cli_kernel_option_entries (&ko);
  g_autoptr (GOptionContext) ctx
      = g_option_context_new ("— what drives this number? vary each assumed preset field");
  g_autofree char *rules = rules_help ();
  g_option_context_set_summary (
      ctx, "Simulates the configuration (the options of 'amlasim run') once as it is and once\n"
           "with each preset field marked assumed (and each field a --set changed) at a low and\n"
           "a high value, for its rescale and for the other one, on all processors, and prints\n"
           "how far the Cube utilisation swings, largest swing first.");
  g_autofree char *description
      = g_strdup_printf ("%s\n\nExamples:\n"
                         "  amlasim sensitivity\n"
                         "  amlasim sensitivity --kv 16384 --plot tornado.png\n"
                         "  amlasim sensitivity --set l2_bytes_per_s=4.4e12 --json > s.json\n",
                         rules);
  g_option_context_set_description (ctx, description);
  g_option_context_add_main_entries (ctx, kernel, NULL);
  g_option_context_add_main_entries (ctx, extra, NULL);
  int status = CLI_EXIT_USAGE;
  AmlaConfig cfg;
  amla_config_init (&cfg);
  int width = DEFAULT_PLOT_WIDTH, height = 0;
  g_autoptr (SensitivityReport) report = NULL; /* declared before the first goto out */
  g_autoptr (GError) err = NULL;
  if (!cli_parse_context (CMD, ctx, &argc, &argv) || !cli_kernel_options_apply (CMD, &ko, &cfg))
    goto out;
  if (argc > 1)
    {
      cli_usage_error (CMD, "unexpected argument '%s' (see 'amlasim sensitivity --help')", argv[1]);
      goto out;
    }
  if (threads < 0 || threads > 1024)
    {
      cli_usage_error (CMD, "--threads must be in [1, 1024] (0 = all processors), got %d", threads);
      goto out;
    }
#ifndef AMLASIM_HAVE_RENDER
  if (plot != NULL)
    {
      cli_usage_error (CMD, "--plot needs cairo; this amlasim was built without it");
      goto out;
    }
#endif
  if (plot != NULL && sim_image_format_from_path (plot) == SIM_IMAGE_FORMAT_UNKNOWN)
    {
      cli_usage_error (CMD, "--plot must name a .png, .svg or .pdf file, got '%s'", plot);
      goto out;
    }
  if (plot_size != NULL && !parse_plot_size (plot_size, &width, &height))
    {
      cli_usage_error (CMD,
                       "--plot-size must be WxH with W in [320, 8000] and H in [240, 8000], got "
                       "'%s'",
                       plot_size);
      goto out;
    }
  {
    /* a bad preset or --set is a usage error found before anything runs */
    g_autoptr (SimHw) hw = cli_load_hw (CMD, &cfg, &status);
    if (hw == NULL)
      goto out;
  }
#ifdef AMLASIM_HAVE_RENDER
  /* the drawing module is opened only for --plot, and before the runs */
  const AmlasimDraw *draw = NULL;
  if (plot != NULL && (draw = cli_draw (CMD)) == NULL)
    {
      status = CLI_EXIT_FAIL;
      goto out;
    }
#endif

  Progress progress = { !no_progress && (progress_flag || isatty (STDERR_FILENO)), 0 };
  SensitivityOptions opt;
  sensitivity_options_init (&opt);
  opt.threads = threads;
  opt.cancel = &interrupted;
  opt.progress = on_progress;
  opt.progress_data = &progress;
  void (*previous) (int) = signal (SIGINT, on_sigint);
  report = sensitivity_run (&cfg, &opt, &err);
  signal (SIGINT, previous);
  if (report == NULL)
    {
      if (g_error_matches (err, SENSITIVITY_ERROR, SENSITIVITY_ERROR_CANCELLED))
        status = cli_fail (CMD, "interrupted: nothing printed");
      else
        status = cli_fail (CMD, "%s", err->message);
      goto out;
    }
  status = CLI_EXIT_OK;
  if (json)
    {
      g_autofree char *text = sensitivity_report_json (report);
      printf ("%s\n", text);
    }
  else
    print_table (report);
#ifdef AMLASIM_HAVE_RENDER
  if (plot != NULL)
    {
      if (height == 0)
        height = draw->tornado_natural_height (report);
      if (!draw->tornado_write_file (plot, report, width, height, &err))
        status = cli_fail (CMD, "--plot: %s", err->message);
    }
#endif

out:
  cli_kernel_options_clear (&ko);
  return status;
}
