/* kernels/numerics-rescale.c — the AMLA integer-add rescale on FP32 bit patterns, its exactness
 * conditions, the per-step increment with clamp and compensation, and the final-stage filter. */
#include "kernels/numerics.h"

#include <math.h>

#include "kernels/bf16.h"

float
amla_int_add (float x, int32_t k)
{
  /* unsigned arithmetic: wraps exactly like the hardware's int32 add, without C's signed UB */
  return f32_from_bits (f32_bits (x) + (uint32_t) k);
}

float
amla_int_rescale (float x, int n)
{
  return amla_int_add (x, (int32_t) ((uint32_t) n << 23));
}

gboolean
amla_int_rescale_is_exact (float x, int n)
{
  if (n == 0)
    return TRUE;
  int e = (int) ((f32_bits (x) >> 23) & 0xFFu);
  return e >= 1 && e <= 254 && e + n >= 1 && e + n <= 254;
}

gboolean
amla_int_add_stays_normal (float x, int32_t k)
{
  uint32_t a = f32_bits (x) & 0x7FFFFFFFu;
  if (a < 0x00800000u || a > 0x7F7FFFFFu)
    return FALSE;
  int64_t r = (int64_t) a + k;
  return r >= 0x00800000 && r <= 0x7F7FFFFF;
}

int32_t
amla_rescale_increment (int dn, float cof_prev, float cof, gboolean compensate, gboolean *clamped)
{
  if (clamped)
    *clamped = dn < AMLA_DN_MIN;
  int d = dn < AMLA_DN_MIN ? AMLA_DN_MIN : dn;
  /* FP32 throughout, as the Vector computes it.  The 1.5 is the mean significand: adding
   * k*2^-23 to a mantissa field multiplies (1+f) by about 1 + k*2^-23/1.5. */
  float eps = compensate ? 1.5f * (cof_prev / cof - 1.0f) : 0.0f;
  float n = (float) d + eps + 1e-6f; /* the kernel's small bias before rounding */
  return (int32_t) lrintf (n * 8388608.0f);
}

gboolean
amla_final_filter (float *o)
{
  if (fabsf (*o) <= AMLA_FINAL_LIMIT)
    return FALSE;
  *o = 0.0f;
  return TRUE;
}
