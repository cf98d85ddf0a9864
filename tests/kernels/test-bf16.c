/* Tests for kernels/bf16.c: FP32 <-> BF16 / FP16 conversions against hand-picked bit patterns. */
#include <glib.h>
#include <math.h>

#include "kernels/bf16.h"

typedef struct
{
  uint32_t f32;
  uint16_t half;
  const char *why;
} Case;

static void
check_cases (const Case *cases, gsize n, uint16_t (*conv) (float))
{
  for (gsize i = 0; i < n; i++)
    {
      uint16_t got = conv (f32_from_bits (cases[i].f32));
      if (got != cases[i].half)
        g_error ("0x%08x (%s): expected 0x%04x, got 0x%04x", cases[i].f32, cases[i].why,
                 cases[i].half, got);
    }
}

static void
test_bf16_from_f32 (void)
{
  static const Case cases[] = {
    { 0x00000000u, 0x0000u, "+0" },
    { 0x80000000u, 0x8000u, "-0" },
    { 0x3F800000u, 0x3F80u, "1.0 exact" },
    { 0x3F808000u, 0x3F80u, "1 + 2^-8: tie, kept bit even -> down" },
    { 0x3F818000u, 0x3F82u, "1 + 3*2^-8: tie, kept bit odd -> up to even" },
    { 0x3F808001u, 0x3F81u, "just above the tie -> up" },
    { 0x3F807FFFu, 0x3F80u, "just below the tie -> down" },
    { 0xBF818000u, 0xBF82u, "negative tie to even" },
    { 0x7F7F7FFFu, 0x7F7Fu, "below the BF16 max-finite midpoint -> max finite" },
    { 0x7F7F8000u, 0x7F80u, "midpoint above BF16 max (odd) -> Inf" },
    { 0x7F7FFFFFu, 0x7F80u, "FP32 max finite -> Inf" },
    { 0x7F800000u, 0x7F80u, "+Inf" },
    { 0xFF800000u, 0xFF80u, "-Inf" },
    { 0x7FC00000u, 0x7FC0u, "quiet NaN" },
    { 0x7F800001u, 0x7FC0u, "signalling NaN with payload only in the low half stays NaN" },
    { 0xFFA00000u, 0xFFE0u, "negative NaN keeps sign and payload, quietened" },
    { 0x00800000u, 0x0080u, "smallest FP32 normal = smallest BF16 normal" },
    { 0x007F8000u, 0x0080u, "largest subnormal tie rounds up into the smallest normal" },
    { 0x00010000u, 0x0001u, "BF16 smallest subnormal 2^-133" },
    { 0x00008000u, 0x0000u, "half the smallest subnormal: tie to even -> 0" },
    { 0x00018000u, 0x0002u, "1.5 x smallest subnormal: tie to even -> 2" },
    { 0x00000001u, 0x0000u, "FP32 smallest subnormal -> 0" },
    { 0x40490FDBu, 0x4049u, "pi" },
  };
  check_cases (cases, G_N_ELEMENTS (cases), bf16_from_f32);
}

static void
test_fp16_from_f32 (void)
{
  static const Case cases[] = {
    { 0x00000000u, 0x0000u, "+0" },
    { 0x80000000u, 0x8000u, "-0" },
    { 0x3F800000u, 0x3C00u, "1.0" },
    { 0x3F801000u, 0x3C00u, "1 + 2^-11: tie, even -> down" },
    { 0x3F803000u, 0x3C02u, "1 + 3*2^-11: tie, odd -> up" },
    { 0x3F801001u, 0x3C01u, "just above the tie" },
    { 0x477FE000u, 0x7BFFu, "65504 max finite" },
    { 0x477FEFFFu, 0x7BFFu, "just below 65520 -> max finite" },
    { 0x477FF000u, 0x7C00u, "65520 midpoint, max is odd -> Inf" },
    { 0x47800000u, 0x7C00u, "65536 -> Inf" },
    { 0xC77FF000u, 0xFC00u, "-65520 -> -Inf" },
    { 0x7F800000u, 0x7C00u, "+Inf" },
    { 0x7FC00000u, 0x7E00u, "quiet NaN" },
    { 0x7F800001u, 0x7E00u, "NaN with a low payload stays NaN" },
    { 0xFFFFE000u, 0xFFFFu, "negative NaN keeps its top payload" },
    { 0x38800000u, 0x0400u, "2^-14 smallest normal" },
    { 0x387FC000u, 0x03FFu, "largest subnormal (1023 * 2^-24)" },
    { 0x387FE000u, 0x0400u, "tie above the largest subnormal rounds up to the smallest normal" },
    { 0x33800000u, 0x0001u, "2^-24 smallest subnormal" },
    { 0x33000000u, 0x0000u, "2^-25 tie -> 0 (even)" },
    { 0x33000001u, 0x0001u, "just above 2^-25 -> smallest subnormal" },
    { 0x33C00000u, 0x0002u, "1.5 * 2^-24 tie -> 2 (even)" },
    { 0x34400000u, 0x0003u, "3 * 2^-24 exact subnormal" },
    { 0x34200000u, 0x0002u, "2.5 * 2^-24 tie -> 2 (even)" },
    { 0x33A00000u, 0x0001u, "1.25 * 2^-24 -> 1" },
    { 0x00000001u, 0x0000u, "FP32 subnormal -> 0" },
    { 0xB3800000u, 0x8001u, "-2^-24" },
  };
  check_cases (cases, G_N_ELEMENTS (cases), fp16_from_f32);
}

static void
test_to_f32 (void)
{
  g_assert_cmpuint (f32_bits (bf16_to_f32 (0x7F7Fu)), ==, 0x7F7F0000u);
  g_assert_cmpfloat (bf16_to_f32 (BF16_MIN_NORMAL), ==, 0x1p-126f);
  g_assert_cmpfloat (bf16_to_f32 (0x0001u), ==, 0x1p-133f);
  g_assert_true (isnan (bf16_to_f32 (0x7FC1u)));
  g_assert_cmpfloat (fp16_to_f32 (FP16_MAX_FINITE), ==, 65504.0f);
  g_assert_cmpfloat (fp16_to_f32 (FP16_MIN_NORMAL), ==, 0x1p-14f);
  g_assert_cmpfloat (fp16_to_f32 (FP16_MIN_SUBNORMAL), ==, 0x1p-24f);
  g_assert_cmpfloat (fp16_to_f32 (0x83FFu), ==, -1023.0f * 0x1p-24f);
  g_assert_true (isinf (fp16_to_f32 (0xFC00u)) && fp16_to_f32 (0xFC00u) < 0);
  g_assert_true (isnan (fp16_to_f32 (0x7C01u)));
  g_assert_cmpuint (f32_bits (fp16_to_f32 (0x8000u)), ==, 0x80000000u);
}

/* Every 16-bit pattern survives a round trip through FP32 (NaNs stay NaN). */
static void
test_round_trip_all_patterns (void)
{
  for (uint32_t h = 0; h <= 0xFFFFu; h++)
    {
      float b = bf16_to_f32 ((uint16_t) h);
      float f = fp16_to_f32 ((uint16_t) h);
      if (isnan (b))
        g_assert_true (isnan (bf16_to_f32 (bf16_from_f32 (b))));
      else
        g_assert_cmpuint (bf16_from_f32 (b), ==, h);
      if (isnan (f))
        g_assert_true (isnan (fp16_to_f32 (fp16_from_f32 (f))));
      else
        g_assert_cmpuint (fp16_from_f32 (f), ==, h);
    }
}

/* Against a slow reference: the nearest of the two neighbours, ties to the even one, on a
 * sweep of FP32 patterns covering every exponent (normal, subnormal and overflow ranges). */
static uint16_t
fp16_reference (float x)
{
  if (isnan (x))
    return fp16_from_f32 (x);
  double ax = fabs ((double) x);
  uint16_t sign = signbit (x) ? 0x8000u : 0;
  uint16_t lo = 0;
  for (uint16_t step = 0x4000u; step; step >>= 1) /* largest finite pattern with value <= ax */
    if ((uint16_t) (lo + step) <= 0x7C00u && fp16_to_f32 ((uint16_t) (lo + step)) <= ax)
      lo = (uint16_t) (lo + step);
  if (lo == 0x7C00u)
    return sign | 0x7C00u;
  double vlo = fp16_to_f32 (lo);
  double vhi = lo == FP16_MAX_FINITE ? 65536.0 : fp16_to_f32 ((uint16_t) (lo + 1));
  if (ax - vlo < vhi - ax || (ax - vlo == vhi - ax && !(lo & 1u)))
    return sign | lo;
  return sign | (uint16_t) (lo + 1);
}

static void
test_fp16_against_reference (void)
{
  for (uint32_t u = 0; u < 0x80000000u; u += 0x1357u)
    {
      float x = f32_from_bits (u);
      if (isnan (x))
        continue;
      uint16_t want = fp16_reference (x);
      uint16_t got = fp16_from_f32 (x);
      if (want != got)
        g_error ("fp16 0x%08x: reference 0x%04x, got 0x%04x", u, want, got);
      g_assert_cmpuint (fp16_from_f32 (-x), ==, want | 0x8000u);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/bf16/from-f32", test_bf16_from_f32);
  g_test_add_func ("/fp16/from-f32", test_fp16_from_f32);
  g_test_add_func ("/bf16-fp16/to-f32", test_to_f32);
  g_test_add_func ("/bf16-fp16/round-trip-all-patterns", test_round_trip_all_patterns);
  g_test_add_func ("/fp16/against-reference", test_fp16_against_reference);
  return g_test_run ();
}
