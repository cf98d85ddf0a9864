/* kernels/bf16.h — exact emulation of the 16-bit floating-point formats the Ascend Cube reads.
 *
 * Bit-level conversions FP32 <-> BF16 (1-8-7) and FP32 <-> FP16 (1-5-10) with IEEE round to
 * nearest, ties to even; NaN stays NaN (quietened, sign and top payload bits kept), Inf stays
 * Inf, values past the largest finite number round to Inf, subnormals are produced and read
 * (no flush to zero).  Used by the numerics module (kernels/numerics*.c) and its tests.
 */
#pragma once

#include <stdint.h>
#include <string.h>

/* The IEEE-754 binary32 bit pattern of x, and back (memcpy: no aliasing games). */
static inline uint32_t
f32_bits (float x)
{
  uint32_t u;
  memcpy (&u, &x, sizeof u);
  return u;
}

static inline float
f32_from_bits (uint32_t u)
{
  float x;
  memcpy (&x, &u, sizeof x);
  return x;
}

uint16_t bf16_from_f32 (float x); /* round to nearest even */
float bf16_to_f32 (uint16_t h);   /* exact */
float bf16_round (float x);       /* bf16_to_f32 (bf16_from_f32 (x)) */

uint16_t fp16_from_f32 (float x); /* round to nearest even; |x| >= 65520 -> Inf */
float fp16_to_f32 (uint16_t h);   /* exact */
float fp16_round (float x);       /* fp16_to_f32 (fp16_from_f32 (x)) */

#define BF16_MAX_FINITE 0x7F7Fu    /* 3.3895e38 */
#define BF16_MIN_NORMAL 0x0080u    /* 2^-126 */
#define FP16_MAX_FINITE 0x7BFFu    /* 65504 */
#define FP16_MIN_NORMAL 0x0400u    /* 2^-14 */
#define FP16_MIN_SUBNORMAL 0x0001u /* 2^-24 */
