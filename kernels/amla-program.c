/* kernels/amla-program.c — in progress */
#include "kernels/amla.h"
SimProgram *
amla_program_build (const AmlaConfig *cfg, const SimHw *hw, GError **error)
{
  g_set_error (error, AMLA_ERROR, AMLA_ERROR_INVALID, "not ready");
  return NULL;
}
