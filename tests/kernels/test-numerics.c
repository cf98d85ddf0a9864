/* Tests for the AMLA numerics: the integer-add rescale, its increment and final filter, and the
 * three attention paths (exact, FP-multiply FlashAttention, AMLA) on random and adversarial
 * inputs.  Every bound is stated where it is checked. */
#include <glib.h>
#include <math.h>
#include <string.h>

#include "kernels/bf16.h"
#include "kernels/numerics.h"

#define QK AMLA_HEAD_DIM_QK
#define DV AMLA_HEAD_DIM_V
#define BLOCK 512
#define BF16_HALF_ULP 0x1p-9 /* relative rounding error bound of one BF16 cast */

/* ---- the integer add ------------------------------------------------------------------------ */

static gboolean
same_value (float a, float b)
{
  return (isnan (a) && isnan (b)) || f32_bits (a) == f32_bits (b);
}

/* x * 2^n == as_float (as_int (x) + n<<23) exactly when the predicate says so, and never
 * otherwise, for every biased exponent, both signs, several mantissas and n in [-30, 0]. */
static void
test_int_add_every_exponent (void)
{
  static const uint32_t mantissas[] = { 0, 1, 0x2AAAAAu, 0x400000u, 0x7FFFFFu };
  guint exact = 0, zero = 0, subnormal = 0, special = 0, underflow = 0;
  for (uint32_t sign = 0; sign < 2; sign++)
    for (uint32_t e = 0; e <= 255; e++)
      for (gsize mi = 0; mi < G_N_ELEMENTS (mantissas); mi++)
        for (int n = -30; n <= 0; n++)
          {
            float x = f32_from_bits ((sign << 31) | (e << 23) | mantissas[mi]);
            float want = ldexpf (x, n);
            float got = amla_int_rescale (x, n);
            gboolean predicted = amla_int_rescale_is_exact (x, n);
            if (same_value (want, got) != predicted)
              g_error ("x=0x%08x n=%d: x*2^n=%a, int add=%a, predicate says %s", f32_bits (x), n,
                       (double) want, (double) got, predicted ? "exact" : "inexact");
            g_assert_cmpint (predicted, ==, amla_int_add_stays_normal (x, n * (1 << 23)) || n == 0);
            if (predicted)
              exact++;
            else if (x == 0)
              zero++;
            else if (e == 0)
              subnormal++;
            else if (e == 255)
              special++;
            else
              underflow++;
          }
  /* every documented exception was exercised */
  g_assert_cmpuint (zero, ==, 2 * 30);                     /* +-0 with n != 0 */
  g_assert_cmpuint (subnormal, ==, 2 * 4 * 30);            /* subnormals with n != 0 */
  g_assert_cmpuint (special, ==, 2 * 5 * 30);              /* Inf and NaN with n != 0 */
  g_assert_cmpuint (underflow, ==, 2 * 5 * (30 * 31 / 2)); /* e + n < 1 for e in [1, 30] */
  g_assert_cmpuint (exact, >, 70000);
}

/* What the kernel sees when the add meets an exact zero, and how the final stage copes. */
static void
test_int_add_zero_and_filter (void)
{
  g_assert_cmpuint (f32_bits (amla_int_rescale (0.0f, -1)), ==, 0xFF800000u); /* -Inf */
  g_assert_cmpfloat (amla_int_rescale (0.0f, -2), ==, -0x1p127f);
  g_assert_cmpuint (f32_bits (amla_int_rescale (-0.0f, -1)), ==, 0x7F800000u); /* +Inf */
  g_assert_cmpfloat (amla_int_rescale (0x1p-126f, -1), ==, 0.0f); /* true result 2^-127 */
  /* garbage from a zero keeps shrinking like a normal number: after a total dn of -96 it is
   * -2^33 (< 1e10) and escapes the final filter — the documented hazard */
  g_assert_cmpfloat (amla_int_rescale (amla_int_rescale (0.0f, -30), -66), ==, -0x1p33f);

  float v = -INFINITY;
  g_assert_true (amla_final_filter (&v) && v == 0.0f);
  v = NAN;
  g_assert_true (amla_final_filter (&v) && v == 0.0f);
  v = -1.5e10f;
  g_assert_true (amla_final_filter (&v) && v == 0.0f);
  v = 9.9e9f;
  g_assert_false (amla_final_filter (&v));
  g_assert_cmpfloat (v, ==, 9.9e9f);
}

static void
test_increment (void)
{
  gboolean clamped = TRUE;
  /* no compensation: dn * 2^23 plus the kernel's 1e-6 bias (8 units at |dn| < 2, 16 near 30) */
  g_assert_cmpint (amla_rescale_increment (0, 1, 1, FALSE, &clamped), ==, 8);
  g_assert_false (clamped);
  g_assert_cmpint (amla_rescale_increment (-1, 1, 1, FALSE, NULL), ==, -8388608 + 8);
  g_assert_cmpint (amla_rescale_increment (-30, 1, 1, FALSE, &clamped), ==, -30 * 8388608 + 16);
  g_assert_false (clamped);
  g_assert_cmpint (amla_rescale_increment (-1000, 1, 1, FALSE, &clamped), ==, -30 * 8388608 + 16);
  g_assert_true (clamped);
  /* compensation: equal cofs add nothing; cof_prev / cof = 1 + 2^-9 adds 1.5 * 2^-9 * 2^23 */
  g_assert_cmpint (amla_rescale_increment (-3, 1.001f, 1.001f, TRUE, NULL), ==,
                   amla_rescale_increment (-3, 1, 1, FALSE, NULL));
  float cof = 1.0f, cof_prev = 1.0f + 0x1p-9f;
  g_assert_cmpint (amla_rescale_increment (0, cof_prev, cof, TRUE, NULL), ==, 24576 + 8);
}

/* The first-order compensation: adding eps*1.5*2^23 to the bit pattern multiplies by about
 * (1 + eps).  Over random mantissas the mean residual must be well under the uncompensated
 * error |eps| (bound: a quarter; the digest measured 18 %). */
static void
test_compensation_first_order (void)
{
  g_autoptr (GRand) rng = g_rand_new_with_seed (7);
  double sum_res = 0, sum_eps = 0;
  for (int i = 0; i < 20000; i++)
    {
      float x = (float) g_rand_double_range (rng, 1.0, 2.0) * 0x1p10f;
      float eps = (float) g_rand_double_range (rng, -0x1p-8, 0x1p-8);
      int32_t k = (int32_t) lrintf (1.5f * eps * 8388608.0f);
      double got = amla_int_add (x, k) / (double) x - 1.0;
      sum_res += fabs (got - eps);
      sum_eps += fabs (eps);
    }
  g_assert_cmpfloat (sum_res / sum_eps, <, 0.25);
  g_assert_cmpfloat (sum_res / sum_eps, >, 0.05); /* it is only first order */
}

/* ---- the attention paths -------------------------------------------------------------------- */

typedef struct
{
  int kv_len;
  float *kv; /* kv_len x 576 */
  float *s;  /* FP32 logits */
  double *sd;
  double exact[DV];
  double bound[DV]; /* 2^-9 * sum p|v| / sum p: what BF16 rounding of P alone can cost */
  float out[AMLA_NUM_N_PATHS][DV];
  AmlaNumKernelStats stats[AMLA_NUM_N_PATHS];
} Row;

static Row *
row_new (int kv_len)
{
  Row *r = g_new0 (Row, 1);
  r->kv_len = kv_len;
  r->kv = g_new0 (float, (gsize) kv_len *QK);
  r->s = g_new0 (float, kv_len);
  r->sd = g_new0 (double, kv_len);
  return r;
}

static void
row_free (Row *r)
{
  g_free (r->kv);
  g_free (r->s);
  g_free (r->sd);
  g_free (r);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Row, row_free)

static void
row_random_kv (Row *r, GRand *rng)
{
  for (gsize i = 0; i < (gsize) r->kv_len * QK; i++)
    r->kv[i] = bf16_round ((float) (g_rand_double_range (rng, -1, 1) * 2.0));
}

/* Run every path on r->s (its double copy is the exact path's input). */
static void
row_run (Row *r)
{
  double m = -INFINITY, l = 0;
  for (int j = 0; j < r->kv_len; j++)
    {
      r->sd[j] = r->s[j];
      m = fmax (m, r->sd[j]);
    }
  memset (r->bound, 0, sizeof r->bound);
  if (m > -INFINITY)
    {
      for (int j = 0; j < r->kv_len; j++)
        {
          double p = exp (r->sd[j] - m);
          l += p;
          for (int d = 0; d < DV; d++)
            r->bound[d] += p * fabs (r->kv[(gsize) j * QK + d]);
        }
      for (int d = 0; d < DV; d++)
        r->bound[d] *= BF16_HALF_ULP / l;
    }
  memset (r->stats, 0, sizeof r->stats);
  amla_num_row_exact (r->sd, r->kv, r->kv_len, r->exact);
  amla_num_row_fa_mul (r->s, r->kv, r->kv_len, BLOCK, r->out[AMLA_NUM_FA_MUL]);
  amla_num_row_amla (r->s, r->kv, r->kv_len, BLOCK, TRUE, r->out[AMLA_NUM_AMLA],
                     &r->stats[AMLA_NUM_AMLA]);
  amla_num_row_amla (r->s, r->kv, r->kv_len, BLOCK, FALSE, r->out[AMLA_NUM_AMLA_NOCOMP],
                     &r->stats[AMLA_NUM_AMLA_NOCOMP]);
}

/* |path - exact| <= factor * bound + 2^-12 * bound/2^-9 (FP32 accumulation slack) for every
 * output; returns the worst ratio err / (factor * bound) seen, for the log. */
static double
row_check (const Row *r, AmlaNumPath path, double factor, const char *what)
{
  double worst = 0;
  for (int d = 0; d < DV; d++)
    {
      float got = r->out[path][d];
      if (!isfinite (got))
        g_error ("%s: %s output %d is not finite (%g)", what, amla_num_path_name (path), d,
                 (double) got);
      double err = fabs ((double) got - r->exact[d]);
      double allowed = factor * r->bound[d] + r->bound[d] / 8 + 1e-30;
      if (err > allowed)
        g_error ("%s: %s output %d: |%.9g - %.9g| = %.3g exceeds %.3g (%g x the BF16-P bound)",
                 what, amla_num_path_name (path), d, (double) got, r->exact[d], err, allowed,
                 factor);
      worst = fmax (worst, err / allowed);
    }
  return worst;
}

/* Bounds, per output element, in units of the BF16-P bound B = 2^-9 * sum p|v| / sum p:
 *  fa_mul: 1 B (only P is rounded);
 *  amla:   3 B (P' rounded: 1 B; the BF16 residual c^ of an older block vs the last one differs
 *          by cof_last/cof_i in [1 - 2^-8, 1 + 2^-8]: 2 B, partly compensated). */
static void
row_check_all (const Row *r, const char *what)
{
  double w0 = row_check (r, AMLA_NUM_FA_MUL, 1, what);
  double w1 = row_check (r, AMLA_NUM_AMLA, 3, what);
  double w2 = row_check (r, AMLA_NUM_AMLA_NOCOMP, 3, what);
  g_test_message ("%s: worst err/bound fa_mul %.3f amla %.3f amla_nocomp %.3f", what, w0, w1, w2);
}

/* Random Q and KV through the real logits, S_kv from 1 token to 16384 (32 blocks). */
static void
test_paths_random (void)
{
  static const int lens[] = { 1, 300, 512, 1000, 4096, 16384 };
  for (gsize i = 0; i < G_N_ELEMENTS (lens); i++)
    {
      int kv_len = lens[i];
      g_autofree float *q = amla_num_make_q (AMLA_NUM_DIST_NORMAL, 11, 2);
      g_autoptr (Row) r = row_new (kv_len);
      g_autofree float *kv = amla_num_make_kv (AMLA_NUM_DIST_NORMAL, 11, kv_len);
      memcpy (r->kv, kv, (gsize) kv_len * QK * sizeof *kv);
      for (int row = 0; row < 2; row++)
        {
          amla_num_logits_f32 (q + row * QK, r->kv, kv_len, (float) AMLA_NUM_DEFAULT_SCALE, NULL,
                               r->s);
          row_run (r);
          /* the exact path uses double logits: redo it so FP32 logits count as error */
          amla_num_logits_f64 (q + row * QK, r->kv, kv_len, AMLA_NUM_DEFAULT_SCALE, NULL, r->sd);
          amla_num_row_exact (r->sd, r->kv, kv_len, r->exact);
          g_autofree char *what = g_strdup_printf ("random S_kv=%d row %d", kv_len, row);
          row_check_all (r, what);
        }
    }
}

/* Mean error with compensation <= without, for several seeds of normal and wide inputs, and
 * strictly lower overall (so the compensation does something). */
static void
test_compensation_not_worse (void)
{
  AmlaConfig cfg;
  amla_config_init (&cfg);
  cfg.kv_len = 4096;
  double sum_comp = 0, sum_nocomp = 0;
  for (int dist = AMLA_NUM_DIST_NORMAL; dist <= AMLA_NUM_DIST_WIDE; dist++)
    for (guint32 seed = 1; seed <= 4; seed++)
      {
        AmlaNumReport rep;
        g_autoptr (GError) err = NULL;
        g_assert_true (amla_numerics_for_config (&cfg, dist, seed, 4, &rep, &err));
        double c = rep.err[AMLA_NUM_AMLA].mean_abs, n = rep.err[AMLA_NUM_AMLA_NOCOMP].mean_abs;
        g_test_message ("%s seed %u: mean abs amla %.3e, amla_nocomp %.3e",
                        amla_num_dist_name (dist), seed, c, n);
        g_assert_cmpfloat (c, <=, n);
        sum_comp += c;
        sum_nocomp += n;
      }
  g_assert_cmpfloat (sum_comp, <, 0.9 * sum_nocomp);
}

/* Row max rising steadily: +8 per block over 32 blocks (dn ~ -11.5 per step). */
static void
test_adversarial_growing_max (void)
{
  g_autoptr (GRand) rng = g_rand_new_with_seed (3);
  g_autoptr (Row) r = row_new (16384);
  row_random_kv (r, rng);
  for (int j = 0; j < r->kv_len; j++)
    r->s[j] = (float) (8.0 * j / BLOCK + g_rand_double_range (rng, -3, 3));
  row_run (r);
  row_check_all (r, "growing max");
  g_assert_cmpuint (r->stats[AMLA_NUM_AMLA].clamped_steps, ==, 0);
  g_assert_cmpuint (r->stats[AMLA_NUM_AMLA].inexact_adds, ==, 0);
}

/* Logits spanning +-1e4.  Uniform: the softmax is a few tokens.  Ramp: the max jumps ~600 per
 * block, so every step is clamped at -30.  Extra error allowed for AMLA: c = exp((m/ln2+n)ln2)
 * is computed in FP32 from |m|/ln2 ~ 14427, whose ulp is 2^-10, so c carries a relative error
 * up to ~2^-11 * ln2 per block that nothing compensates: bound 3 B + 2^-10 * max|v|. */
static void
test_adversarial_logit_range (void)
{
  g_autoptr (GRand) rng = g_rand_new_with_seed (5);
  for (int ramp = 0; ramp <= 1; ramp++)
    {
      g_autoptr (Row) r = row_new (4000);
      row_random_kv (r, rng);
      for (int j = 0; j < r->kv_len; j++)
        r->s[j]
            = ramp ? (float) (-1e4 + 2e4 * j / (r->kv_len - 1) + g_rand_double_range (rng, -1, 1))
                   : (float) g_rand_double_range (rng, -1e4, 1e4);
      row_run (r);
      double extra = 0x1p-10 * 2.0; /* max |v| = 2 */
      double worst[AMLA_NUM_N_PATHS] = { 0 };
      for (int path = 0; path < AMLA_NUM_N_PATHS; path++)
        for (int d = 0; d < DV; d++)
          {
            double err = fabs (r->out[path][d] - r->exact[d]);
            double allowed = (path == AMLA_NUM_FA_MUL ? 1.125 : 3.125) * r->bound[d]
                             + (path == AMLA_NUM_FA_MUL ? 0 : extra);
            g_assert_true (isfinite (r->out[path][d]));
            worst[path] = fmax (worst[path], err / allowed);
            if (err > allowed)
              g_error ("logits +-1e4 (%s): %s output %d error %.3g > %.3g",
                       ramp ? "ramp" : "uniform", amla_num_path_name (path), d, err, allowed);
          }
      g_test_message ("logits +-1e4 (%s): worst err/bound fa_mul %.3f amla %.3f amla_nocomp %.3f",
                      ramp ? "ramp" : "uniform", worst[0], worst[1], worst[2]);
      if (ramp)
        g_assert_cmpuint (r->stats[AMLA_NUM_AMLA].clamped_steps, ==, 7);
    }
}

/* Masked (-inf) blocks: the first two blocks, one in the middle and the tail of the last one;
 * the first unmasked block acts as the kernel's first block.  A fully masked row gives 0. */
static void
test_adversarial_masked_blocks (void)
{
  g_autoptr (GRand) rng = g_rand_new_with_seed (9);
  g_autoptr (Row) r = row_new (3000);
  row_random_kv (r, rng);
  for (int j = 0; j < r->kv_len; j++)
    {
      gboolean masked = j < 2 * BLOCK || (j >= 3 * BLOCK && j < 4 * BLOCK) || j >= 2900;
      r->s[j] = masked ? -INFINITY : (float) g_rand_double_range (rng, -5, 5 + j / 100.0);
    }
  row_run (r);
  row_check_all (r, "masked blocks");
  g_assert_cmpuint (r->stats[AMLA_NUM_AMLA].inexact_adds, ==, 0);

  for (int j = 0; j < r->kv_len; j++)
    r->s[j] = -INFINITY;
  row_run (r);
  for (int path = 0; path < AMLA_NUM_N_PATHS; path++)
    for (int d = 0; d < DV; d++)
      g_assert_cmpfloat (r->out[path][d], ==, 0.0f);
}

/* V columns exactly zero while the max rises 4 per block over 8 blocks (total dn ~ -40): the
 * int add turns those zeros into -Inf / huge values, the final filter zeroes them, and the
 * output is exactly 0 — the bound for the zero columns is 0, the others the usual one. */
static void
test_adversarial_zero_columns (void)
{
  g_autoptr (GRand) rng = g_rand_new_with_seed (13);
  g_autoptr (Row) r = row_new (8 * BLOCK);
  row_random_kv (r, rng);
  for (int j = 0; j < r->kv_len; j++)
    {
      memset (r->kv + (gsize) j * QK, 0, 8 * sizeof (float));
      r->s[j] = (float) (4.0 * j / BLOCK + g_rand_double_range (rng, -2, 2));
    }
  row_run (r);
  row_check_all (r, "zero V columns");
  for (int path = 0; path < AMLA_NUM_N_PATHS; path++)
    for (int d = 0; d < 8; d++)
      g_assert_cmpfloat (r->out[path][d], ==, 0.0f);
  g_assert_cmpuint (r->stats[AMLA_NUM_AMLA].inexact_adds, ==, 8); /* first add on each zero */
  g_assert_cmpuint (r->stats[AMLA_NUM_AMLA].zeroed_final, ==, 8);
  g_assert_cmpuint (r->stats[AMLA_NUM_AMLA].escaped_final, ==, 0);
}

/* The documented limit of the final filter: if the running max rises by more than ~96 ln2
 * (~67) after a zero element's first update, its garbage shrinks below 1e10 and survives.
 * Here 4 clamped steps of -30 leave -2^9 = -512 in O where 0 is right; divided by l * c^
 * (~400: the last block holds 512 tokens within 1 of the max) the output is about -1.3. */
static void
test_adversarial_zero_column_hazard (void)
{
  g_autoptr (GRand) rng = g_rand_new_with_seed (17);
  g_autoptr (Row) r = row_new (5 * BLOCK);
  row_random_kv (r, rng);
  for (int j = 0; j < r->kv_len; j++)
    {
      r->kv[(gsize) j * QK] = 0.0f;
      r->s[j] = (float) (25.0 * (j / BLOCK) + g_rand_double_range (rng, -1, 0));
    }
  row_run (r);
  g_assert_cmpuint (r->stats[AMLA_NUM_AMLA].clamped_steps, ==, 4);
  g_assert_cmpfloat (r->out[AMLA_NUM_FA_MUL][0], ==, 0.0f);
  g_test_message ("zero column after a total dn of -120: amla outputs %g, exact 0",
                  (double) r->out[AMLA_NUM_AMLA][0]);
  g_assert_cmpfloat (r->out[AMLA_NUM_AMLA][0], <, -1.0f); /* kernel limitation, reproduced */
  g_assert_cmpuint (r->stats[AMLA_NUM_AMLA].zeroed_final, ==, 0);
  g_assert_cmpuint (r->stats[AMLA_NUM_AMLA].escaped_final, ==, 1); /* and it is reported */
}

/* S_kv that is not a multiple of the block: a short last block of 1, 100 and 511 tokens. */
static void
test_adversarial_ragged_tail (void)
{
  static const int lens[] = { 513, 1124, 2047 };
  g_autoptr (GRand) rng = g_rand_new_with_seed (21);
  for (gsize i = 0; i < G_N_ELEMENTS (lens); i++)
    {
      g_autoptr (Row) r = row_new (lens[i]);
      row_random_kv (r, rng);
      for (int j = 0; j < r->kv_len; j++) /* the max sits in the short last block */
        r->s[j] = (float) g_rand_double_range (rng, -4, 4) + (j >= lens[i] / BLOCK * BLOCK ? 6 : 0);
      row_run (r);
      g_autofree char *what = g_strdup_printf ("S_kv=%d", lens[i]);
      row_check_all (r, what);
    }
}

/* The problem-level runner: sample, report, outputs in row order. */
static void
test_run_report (void)
{
  int rows = 40, kv_len = 700;
  g_autofree float *q = amla_num_make_q (AMLA_NUM_DIST_NORMAL, 2, rows);
  g_autofree float *kv = amla_num_make_kv (AMLA_NUM_DIST_NORMAL, 2, kv_len);
  int sample[40];
  g_assert_cmpint (amla_num_sample_rows (rows, 16, sample), ==, 16);
  g_assert_cmpint (sample[0], ==, 0);
  g_assert_cmpint (sample[15], ==, 37);
  g_assert_cmpint (amla_num_sample_rows (rows, 0, sample), ==, 40);
  g_assert_cmpint (amla_num_sample_rows (rows, 16, sample), ==, 16);
  AmlaNumProblem p = { .rows = rows,
                       .kv_len = kv_len,
                       .block = BLOCK,
                       .scale = AMLA_NUM_DEFAULT_SCALE,
                       .q = q,
                       .kv = kv };
  g_autofree float *exact = g_new (float, 16 * DV);
  g_autofree float *amla = g_new (float, 16 * DV);
  float *outputs[1 + AMLA_NUM_N_PATHS] = { exact, NULL, amla, NULL };
  AmlaNumReport rep;
  g_autoptr (GError) err = NULL;
  g_assert_true (amla_numerics_run (&p, sample, 16, outputs, &rep, &err));
  g_assert_cmpint (rep.rows_sampled, ==, 16);
  g_assert_cmpint (rep.rows_total, ==, 40);
  double max_abs = 0;
  for (int i = 0; i < 16 * DV; i++)
    max_abs = fmax (max_abs, fabs (amla[i] - exact[i]));
  /* the report's max is over double exact values, the check over their FP32 copies */
  g_assert_cmpfloat (fabs (max_abs - rep.err[AMLA_NUM_AMLA].max_abs), <, 1e-6);
  g_assert_cmpfloat (rep.err[AMLA_NUM_AMLA].mean_abs, >, 0);
  g_assert_cmpfloat (rep.err[AMLA_NUM_AMLA].mean_abs, <=, rep.err[AMLA_NUM_AMLA].max_abs);

  int bad_row = 40;
  g_assert_false (amla_numerics_run (&p, &bad_row, 1, NULL, &rep, &err));
  g_assert_error (err, AMLA_ERROR, AMLA_ERROR_INVALID);

  g_autofree char *json = amla_num_report_json (&rep);
  g_assert_nonnull (strstr (json, "\"amla_nocomp\""));
}

static void
test_for_config (void)
{
  AmlaConfig cfg;
  amla_config_init (&cfg);
  cfg.kv_len = 1000;
  AmlaNumReport rep;
  g_autoptr (GError) err = NULL;
  g_assert_true (amla_numerics_for_config (&cfg, AMLA_NUM_DIST_NORMAL, 1, 0, &rep, &err));
  g_assert_cmpint (rep.rows_total, ==, 96 * 128 * 2);
  g_assert_cmpint (rep.rows_sampled, ==, AMLA_NUM_DEFAULT_SAMPLE_ROWS);
  cfg.kv_len = 0;
  g_assert_false (amla_numerics_for_config (&cfg, AMLA_NUM_DIST_NORMAL, 1, 0, &rep, &err));
  g_assert_error (err, AMLA_ERROR, AMLA_ERROR_INVALID);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/numerics/int-add/every-exponent", test_int_add_every_exponent);
  g_test_add_func ("/numerics/int-add/zero-and-filter", test_int_add_zero_and_filter);
  g_test_add_func ("/numerics/int-add/increment", test_increment);
  g_test_add_func ("/numerics/int-add/compensation-first-order", test_compensation_first_order);
  g_test_add_func ("/numerics/paths/random-up-to-16384", test_paths_random);
  g_test_add_func ("/numerics/paths/compensation-not-worse", test_compensation_not_worse);
  g_test_add_func ("/numerics/adversarial/growing-max", test_adversarial_growing_max);
  g_test_add_func ("/numerics/adversarial/logit-range-1e4", test_adversarial_logit_range);
  g_test_add_func ("/numerics/adversarial/masked-blocks", test_adversarial_masked_blocks);
  g_test_add_func ("/numerics/adversarial/zero-v-columns", test_adversarial_zero_columns);
  g_test_add_func ("/numerics/adversarial/zero-column-hazard", test_adversarial_zero_column_hazard);
  g_test_add_func ("/numerics/adversarial/ragged-tail", test_adversarial_ragged_tail);
  g_test_add_func ("/numerics/run/report", test_run_report);
  g_test_add_func ("/numerics/run/for-config", test_for_config);
  return g_test_run ();
}
