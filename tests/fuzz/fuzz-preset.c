/* tests/fuzz/fuzz-preset.c — libFuzzer target for the hardware preset loader (sim/hw.c).
 * Any input must give a preset or a SIM_HW_ERROR with a message, never a crash, a leak or
 * undefined behaviour; a loaded preset must derive finite figures and take a what-if. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "sim/hw.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  GError *err = NULL;
  SimHw *hw = sim_hw_load_from_data ((const char *) data, size, "fuzz.json", &err);
  if ((hw == NULL) == (err == NULL))
    abort ();
  if (err != NULL)
    {
      if (err->domain != SIM_HW_ERROR || err->message[0] == '\0')
        abort ();
      g_error_free (err);
      return 0;
    }
  if (!isfinite (sim_hw_peak_flops (hw)) || !(sim_hw_cycle_ns (hw) > 0))
    abort ();
  SimHw *copy = sim_hw_dup (hw);
  if (!sim_hw_set (copy, "clock_mhz=900", NULL))
    abort ();
  sim_hw_free (copy);
  sim_hw_free (hw);
  return 0;
}
