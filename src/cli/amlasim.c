/* amlasim — the headless amlaviz: simulate the AMLA kernel on an Ascend AI-core model, print
 * metrics, sweep parameters, check numerics, read/convert traces and export images. */
#include <glib.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "sim/trace/trace-json.h"
#include "src/cli/commands.h"

typedef struct
{
  const char *name;
  int (*fn) (int, char **);
  const char *summary;
} Command;

static const Command commands[] = {
  { "run", amlasim_cmd_run, "simulate one configuration: metrics table, --json, -o trace.json" },
  { "sweep", amlasim_cmd_sweep, "simulate a grid of configurations, CSV (and plots)" },
  { "sensitivity", amlasim_cmd_sensitivity,
    "what drives this number: vary each assumed preset field, table and tornado chart" },
  { "numerics", amlasim_cmd_numerics, "run the kernel's arithmetic for real and report errors" },
  { "export", amlasim_cmd_export, "draw a timeline (a trace or a run) to PNG, SVG or PDF" },
  { "info", amlasim_cmd_info, "summarise a trace file" },
  { "convert", amlasim_cmd_convert, "convert a trace between flavours (Perfetto, msprof op)" },
  { "merge", amlasim_cmd_merge, "join sweep CSV shards into one CSV (and plots)" },
  { "hw", amlasim_cmd_hw, "list hardware presets or show one with the basis of each number" },
};

static void
print_help (FILE *out)
{
  fprintf (out,
           "Usage: amlasim COMMAND [OPTIONS]\n"
           "\n"
           "Simulate the AMLA MLA-decode FlashAttention kernel on a model of an Ascend AI core\n"
           "(Cube, Vector, MTE1/MTE2/MTE3, FixPipe, Scalar pipes, on-chip buffers, flags) and\n"
           "see where the time goes.\n"
           "\n"
           "Commands:\n");
  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (out, "  %-12s %s\n", commands[i].name, commands[i].summary);
  fprintf (out,
           "\n"
           "Examples:\n"
           "  amlasim run                           default: B=96 S_kv=4096 S_q=2 H=128, ascend910c\n"
           "  amlasim run --preload off -o t.json   turn the preload pipeline off, write a trace\n"
           "  amlasim run --rescale mul --json      conventional FP-multiply rescale, JSON metrics\n"
           "  amlasim run --set l2_bytes_per_s=4.4e12   what if the L2 were slower (a preset field)\n"
           "  amlasim sweep --kv 1024,4096,16384 --all-toggles > sweep.csv\n"
           "  amlasim sensitivity --plot tornado.png   which assumed preset number matters most\n"
           "\n"
           "Run 'amlasim COMMAND --help' for the options of a command.\n");
}

int
main (int argc, char **argv)
{
  setlocale (LC_ALL, "");
  setlocale (LC_NUMERIC, "C");
  sim_remove_temp_files_on_signal ();
  if (argc < 2)
    {
      print_help (stderr);
      return 2;
    }
  const char *cmd = argv[1];
  if (strcmp (cmd, "--help") == 0 || strcmp (cmd, "-h") == 0 || strcmp (cmd, "help") == 0)
    {
      print_help (stdout);
      return 0;
    }
  if (strcmp (cmd, "--version") == 0)
    {
      printf ("amlasim %s\n", AMLAVIZ_VERSION);
      return 0;
    }
  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    if (strcmp (cmd, commands[i].name) == 0)
      {
        char *prgname = g_strdup_printf ("amlasim %s", cmd);
        g_set_prgname (prgname); /* GLib keeps its own copy */
        g_free (prgname);
        return commands[i].fn (argc - 1, argv + 1);
      }
  fprintf (stderr, "amlasim: unknown command '%s' (commands: run, sweep, sensitivity, numerics, "
                   "export, info, convert, merge, hw; see amlasim --help)\n", cmd);
  return 2;
}
