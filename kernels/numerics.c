/* kernels/numerics.c — AMLA numerics (placeholder until the numerics issue lands). */
#include <glib.h>
