/* kernels/bf16.c — FP32 <-> BF16 / FP16 round-to-nearest-even conversions, bit-exact. */
#include "kernels/bf16.h"

uint16_t
bf16_from_f32 (float x)
{
  uint32_t u = f32_bits (x);
  if ((u & 0x7FFFFFFFu) > 0x7F800000u)
    /* NaN: keep sign and top payload bits, force quiet so truncation cannot make it Inf. */
    return (uint16_t) ((u >> 16) | 0x0040u);
  /* Adding 0x7FFF plus the lowest kept bit rounds half to even; a carry out of the significand
   * bumps the exponent, which is exactly right (and turns the top binade into Inf). */
  uint32_t lsb = (u >> 16) & 1u;
  return (uint16_t) ((u + 0x7FFFu + lsb) >> 16);
}

float
bf16_to_f32 (uint16_t h)
{
  return f32_from_bits ((uint32_t) h << 16);
}

float
bf16_round (float x)
{
  return bf16_to_f32 (bf16_from_f32 (x));
}

uint16_t
fp16_from_f32 (float x)
{
  uint32_t u = f32_bits (x);
  uint16_t sign = (uint16_t) ((u >> 16) & 0x8000u);
  uint32_t a = u & 0x7FFFFFFFu;

  if (a > 0x7F800000u) /* NaN: quiet, keep the top 9 payload bits */
    return sign | 0x7E00u | (uint16_t) ((a >> 13) & 0x03FFu);
  if (a >= 0x477FF000u) /* >= 65520, the midpoint 65504..65536: ties to even go up -> Inf */
    return sign | 0x7C00u;
  if (a >= 0x38800000u) /* normal in FP16 (>= 2^-14) */
    {
      uint32_t base = (a >> 13) - (112u << 10); /* rebias 127 -> 15 */
      uint32_t rest = a & 0x1FFFu;
      if (rest > 0x1000u || (rest == 0x1000u && (base & 1u)))
        base++; /* a carry into the exponent is the correct result */
      return sign | (uint16_t) base;
    }
  if (a <= 0x33000000u) /* <= 2^-25, half the smallest subnormal: ties to even -> 0 */
    return sign;
  /* FP16 subnormal: value = m * 2^(e-150); in units of 2^-24 that is m >> (126 - e). */
  uint32_t e = a >> 23;
  uint32_t m = (a & 0x7FFFFFu) | 0x800000u;
  uint32_t shift = 126u - e; /* 14..24 */
  uint32_t q = m >> shift;
  uint32_t rest = m & ((1u << shift) - 1u);
  uint32_t half = 1u << (shift - 1u);
  if (rest > half || (rest == half && (q & 1u)))
    q++; /* may become 0x400, the smallest normal: correct */
  return sign | (uint16_t) q;
}

float
fp16_to_f32 (uint16_t h)
{
  uint32_t sign = (uint32_t) (h & 0x8000u) << 16;
  uint32_t e = (h >> 10) & 0x1Fu;
  uint32_t m = h & 0x03FFu;
  if (e == 0x1Fu)
    return f32_from_bits (sign | 0x7F800000u | (m << 13));
  if (e == 0)
    {
      float v = (float) m * 0x1p-24f; /* exact: m < 2^10 */
      return sign ? -v : v;
    }
  return f32_from_bits (sign | ((e + 112u) << 23) | (m << 13));
}

float
fp16_round (float x)
{
  return fp16_to_f32 (fp16_from_f32 (x));
}
