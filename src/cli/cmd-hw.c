/* amlasim hw — list hardware presets, or show one with the basis of every number. */
#include <stdio.h>

#include "sim/hw.h"
#include "src/cli/cli-util.h"
#include "src/cli/commands.h"

int
amlasim_cmd_hw (int argc, char **argv)
{
  GOptionContext *ctx = g_option_context_new ("[PRESET|FILE] — list presets or show one");
  g_option_context_set_summary (ctx, "Without an argument, list the hardware presets. With one, print every\n"
                                     "field of that preset with its unit, its basis and whether it is assumed.");
  if (!cli_parse_context ("hw", ctx, &argc, &argv))
    {
      g_option_context_free (ctx);
      return CLI_EXIT_USAGE;
    }
  g_option_context_free (ctx);
  if (argc < 2)
    {
      g_auto (GStrv) names = sim_hw_list_presets ();
      for (char **n = names; *n; n++)
        {
          g_autoptr (GError) err = NULL;
          g_autoptr (SimHw) hw = sim_hw_load (*n, &err);
          printf ("%-12s %s\n", *n, hw ? hw->description : err->message);
        }
      return CLI_EXIT_OK;
    }
  g_autoptr (GError) err = NULL;
  g_autoptr (SimHw) hw = sim_hw_load (argv[1], &err);
  if (!hw)
    return cli_fail ("hw", "%s", err->message);
  printf ("%s — %s\n(%s)\n\n", hw->name, hw->description, hw->path);
  gsize n;
  const SimHwField *f = sim_hw_fields (hw, &n);
  for (gsize i = 0; i < n; i++)
    printf ("%-26s %14.6g %-10s %s%s\n", f[i].key, f[i].value, f[i].unit,
            f[i].assumed ? "[assumed] " : "", f[i].basis);
  printf ("\npeak Cube: %.1f TFLOPS (%d AIC x %.0f FLOP/cycle x %.0f MHz)\n",
          sim_hw_peak_flops (hw) / 1e12, sim_hw_aic_count (hw), hw->cube_flops_per_cycle,
          hw->clock_mhz);
  return CLI_EXIT_OK;
}
