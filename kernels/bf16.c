/* kernels/bf16.c — BF16/FP16 emulation (placeholder until the numerics issue lands). */
#include <glib.h>
