/* kernels/numerics-paths.c — one query row through the three attention paths: exact (double),
 * FlashAttention with FP32-multiply rescale, and AMLA with the integer-add rescale.  The block
 * loop, the stage order and the precisions follow the timed kernel (DESIGN §4). */
#include "kernels/numerics.h"

#include <math.h>
#include <string.h>

#include "kernels/bf16.h"

#define QK AMLA_HEAD_DIM_QK
#define DV AMLA_HEAD_DIM_V
#define LN2F 0.69314718f

const char *
amla_num_path_name (AmlaNumPath p)
{
  switch (p)
    {
    case AMLA_NUM_FA_MUL:
      return "fa_mul";
    case AMLA_NUM_AMLA:
      return "amla";
    case AMLA_NUM_AMLA_NOCOMP:
      return "amla_nocomp";
    default:
      return "?";
    }
}

void
amla_num_logits_f32 (const float *q, const float *kv, int kv_len, float scale, const guint8 *mask,
                     float *s)
{
  for (int j = 0; j < kv_len; j++)
    {
      if (mask && mask[j])
        {
          s[j] = -INFINITY;
          continue;
        }
      const float *k = kv + (gsize) j * QK;
      /* 16 partial sums, one per k lane of the 16x16x16 MMAD, reduced as a tree at the end.
       * BF16 x BF16 products are exact in FP32; only the additions round. */
      float acc[16] = { 0 };
      for (int c = 0; c < QK; c += 16)
        for (int l = 0; l < 16; l++)
          acc[l] += q[c + l] * k[c + l];
      for (int w = 8; w >= 1; w /= 2)
        for (int l = 0; l < w; l++)
          acc[l] += acc[l + w];
      s[j] = acc[0] * scale; /* the Vector scales the FP32 Cube result */
    }
}

void
amla_num_logits_f64 (const float *q, const float *kv, int kv_len, double scale, const guint8 *mask,
                     double *s)
{
  for (int j = 0; j < kv_len; j++)
    {
      if (mask && mask[j])
        {
          s[j] = -INFINITY;
          continue;
        }
      const float *k = kv + (gsize) j * QK;
      double acc[4] = { 0 };
      for (int c = 0; c < QK; c += 4)
        for (int l = 0; l < 4; l++)
          acc[l] += (double) q[c + l] * (double) k[c + l];
      s[j] = (acc[0] + acc[1] + acc[2] + acc[3]) * scale;
    }
}

void
amla_num_row_exact (const double *s, const float *kv, int kv_len, double *out)
{
  double m = -INFINITY;
  for (int j = 0; j < kv_len; j++)
    m = fmax (m, s[j]);
  memset (out, 0, DV * sizeof *out);
  if (m == -INFINITY) /* every token masked: define the output as 0 */
    return;
  double l = 0;
  for (int j = 0; j < kv_len; j++)
    {
      if (s[j] == -INFINITY)
        continue;
      double p = exp (s[j] - m);
      const float *v = kv + (gsize) j * QK;
      l += p;
      for (int d = 0; d < DV; d++)
        out[d] += p * (double) v[d];
    }
  for (int d = 0; d < DV; d++)
    out[d] /= l;
}

static float
block_max (const float *s, int len)
{
  float m = -INFINITY;
  for (int j = 0; j < len; j++)
    m = fmaxf (m, s[j]);
  return m;
}

/* tile += p * v (FP32), the Cube's PV for one token; zero p adds nothing. */
static void
axpy_v (float *tile, float p, const float *v)
{
  if (p == 0.0f)
    return;
  for (int d = 0; d < DV; d++)
    tile[d] += p * v[d];
}

void
amla_num_row_fa_mul (const float *s, const float *kv, int kv_len, int block, float *out)
{
  float o[DV], tile[DV];
  float m = -INFINITY, l = 0.0f;
  gboolean started = FALSE;
  for (int j0 = 0; j0 < kv_len; j0 += block)
    {
      int len = MIN (block, kv_len - j0);
      float m_new = fmaxf (m, block_max (s + j0, len));
      if (m_new == -INFINITY) /* nothing unmasked yet: the block contributes nothing */
        continue;
      float alpha = started ? expf (m - m_new) : 0.0f;
      float sum = 0.0f;
      memset (tile, 0, sizeof tile);
      for (int j = j0; j < j0 + len; j++)
        {
          float p = expf (s[j] - m_new);
          sum += p;
          axpy_v (tile, bf16_round (p), kv + (gsize) j * QK);
        }
      l = started ? l * alpha + sum : sum;
      for (int d = 0; d < DV; d++) /* O through UB: FP32 multiply, then add the new PV */
        o[d] = started ? o[d] * alpha + tile[d] : tile[d];
      m = m_new;
      started = TRUE;
    }
  for (int d = 0; d < DV; d++)
    out[d] = started ? o[d] / l : 0.0f;
}

void
amla_num_row_amla (const float *s, const float *kv, int kv_len, int block, gboolean compensate,
                   float *out, AmlaNumKernelStats *stats)
{
  float o[DV], tile[DV];
  gboolean hit[DV] = { FALSE }; /* an inexact add reached this element */
  float m = -INFINITY, l = 0.0f, n_prev = 0.0f, cof_prev = 1.0f, chat = 1.0f;
  gboolean started = FALSE;
  for (int j0 = 0; j0 < kv_len; j0 += block)
    {
      int len = MIN (block, kv_len - j0);
      float m_new = fmaxf (m, block_max (s + j0, len));
      if (m_new == -INFINITY)
        continue;
      /* SoftmaxFlashV2: FP32 running max and sum, relative to m. */
      float alpha = started ? expf (m - m_new) : 0.0f;
      /* n = round(-m/ln2); residual c = exp(m + n ln2) in [0.707, 1.414], rounded to BF16. */
      float n = rintf (-m_new / LN2F);
      float c = expf ((m_new / LN2F + n) * LN2F);
      chat = bf16_round (c);
      float cof = c / chat;
      float sum = 0.0f;
      memset (tile, 0, sizeof tile);
      for (int j = j0; j < j0 + len; j++)
        {
          float p = expf (s[j] - m_new);
          sum += p;
          axpy_v (tile, bf16_round (p * chat), kv + (gsize) j * QK); /* P' = P * c^, to BF16 */
        }
      l = started ? l * alpha + sum : sum;
      if (!started) /* first block: the Cube's plain FixPipe store, no integer update */
        memcpy (o, tile, sizeof tile);
      else
        {
          float dnf = n - n_prev; /* <= 0: the running max never falls */
          int dn = (dnf >= -1e6f && dnf <= 1e6f) ? (int) dnf : -1000000;
          gboolean clamped = FALSE;
          int32_t k = amla_rescale_increment (dn, cof_prev, cof, compensate, &clamped);
          if (stats && clamped)
            stats->clamped_steps++;
          for (int d = 0; d < DV; d++)
            {
              if (k != 0 && !amla_int_add_stays_normal (o[d], k))
                {
                  hit[d] = TRUE;
                  if (stats)
                    stats->inexact_adds++;
                }
              o[d] = amla_int_add (o[d], k); /* Vector: int32 atomic add into O in GM */
              o[d] += tile[d];               /* Cube: FixPipe FP32 atomic add of P'V */
            }
        }
      m = m_new;
      n_prev = n;
      cof_prev = cof;
      started = TRUE;
    }
  /* V2: zero |O| > 1e10 (zeros the int add turned into huge values), divide by l * c^_last. */
  float denom = l * chat;
  for (int d = 0; d < DV; d++)
    {
      if (!started)
        {
          out[d] = 0.0f;
          continue;
        }
      float v = o[d];
      gboolean zeroed = amla_final_filter (&v);
      if (stats && zeroed)
        stats->zeroed_final++;
      else if (stats && hit[d])
        stats->escaped_final++;
      out[d] = v / denom;
    }
}
