/* kernels/numerics-inputs.c — inputs for the numerics paths: generated distributions (seeded,
 * BF16-rounded) and raw little-endian FP32 files, plus writing path outputs. */
#include "kernels/numerics.h"

#include <errno.h>
#include <math.h>
#include <string.h>

#include "kernels/bf16.h"
#include "sim/input.h"
#include "sim/output.h"

#define QK AMLA_HEAD_DIM_QK
#define DV AMLA_HEAD_DIM_V
#define ADV_ZERO_COLUMNS 8
/* Rope-column ramp: at the default scale the logit rises ~4 per 512-token block. */
#define ADV_RISE_PER_BLOCK 4.0
#define ADV_ROPE_COLUMNS (QK - DV)

const char *
amla_num_dist_name (AmlaNumDist d)
{
  switch (d)
    {
    case AMLA_NUM_DIST_WIDE:
      return "wide";
    case AMLA_NUM_DIST_ADVERSARIAL:
      return "adversarial";
    default:
      return "normal";
    }
}

gboolean
amla_num_dist_parse (const char *s, AmlaNumDist *out)
{
  static const AmlaNumDist all[]
      = { AMLA_NUM_DIST_NORMAL, AMLA_NUM_DIST_WIDE, AMLA_NUM_DIST_ADVERSARIAL };
  for (gsize i = 0; s && i < G_N_ELEMENTS (all); i++)
    if (g_ascii_strcasecmp (s, amla_num_dist_name (all[i])) == 0)
      {
        *out = all[i];
        return TRUE;
      }
  return FALSE;
}

/* Box-Muller on GRand (Mersenne Twister): the same numbers on every platform. */
static void
fill_normal (GRand *rng, float *v, gsize n, double sigma)
{
  for (gsize i = 0; i < n; i += 2)
    {
      double u1 = 1.0 - g_rand_double (rng), u2 = g_rand_double (rng);
      double r = sqrt (-2.0 * log (u1)) * sigma;
      v[i] = bf16_round ((float) (r * cos (2 * G_PI * u2)));
      if (i + 1 < n)
        v[i + 1] = bf16_round ((float) (r * sin (2 * G_PI * u2)));
    }
}

static GRand *
stream (guint32 seed, guint32 tag)
{
  guint32 s[2] = { seed, tag };
  return g_rand_new_with_seed_array (s, 2);
}

float *
amla_num_make_q (AmlaNumDist dist, guint32 seed, int rows)
{
  gsize n = (gsize) rows * QK;
  float *q = g_new (float, n);
  g_autoptr (GRand) rng = stream (seed, 1);
  fill_normal (rng, q, n, dist == AMLA_NUM_DIST_WIDE ? 4.0 : 1.0);
  if (dist == AMLA_NUM_DIST_ADVERSARIAL)
    for (int r = 0; r < rows; r++)
      for (int c = DV; c < QK; c++)
        q[(gsize) r * QK + c] = 1.0f; /* every row sees the same rising rope ramp */
  return q;
}

float *
amla_num_make_kv (AmlaNumDist dist, guint32 seed, int kv_len)
{
  gsize n = (gsize) kv_len * QK;
  float *kv = g_new (float, n);
  g_autoptr (GRand) rng = stream (seed, 2);
  fill_normal (rng, kv, n, dist == AMLA_NUM_DIST_WIDE ? 4.0 : 1.0);
  if (dist == AMLA_NUM_DIST_ADVERSARIAL)
    {
      double per_token = ADV_RISE_PER_BLOCK / (ADV_ROPE_COLUMNS * AMLA_NUM_DEFAULT_SCALE * 512.0);
      for (int j = 0; j < kv_len; j++)
        {
          float *k = kv + (gsize) j * QK;
          memset (k, 0, ADV_ZERO_COLUMNS * sizeof *k); /* V columns that are exactly zero */
          float ramp = bf16_round ((float) (per_token * (j - kv_len / 2)));
          for (int c = DV; c < QK; c++)
            k[c] = ramp;
        }
    }
  return kv;
}

float *
amla_num_load_f32 (const char *option, const char *path, int rows, const char *rows_what,
                   GError **error)
{
  g_autofree char *data = NULL;
  gsize len = 0;
  g_autoptr (GError) ferr = NULL;
  gsize want = (gsize) rows * QK * sizeof (float);
  /* a regular file, read up to one row more than the shape needs: enough to say what it holds */
  if (!sim_read_input_file (path, want + QK * sizeof (float), "input file", &data, &len, &ferr))
    {
      g_set_error (error, ferr->domain, ferr->code, "%s: %s", option, ferr->message);
      return NULL;
    }
  if (len != want)
    {
      gsize row_bytes = QK * sizeof (float);
      g_autofree char *held
          = len % row_bytes == 0
                ? g_strdup_printf ("%" G_GSIZE_FORMAT " rows of 576", len / row_bytes)
                : g_strdup_printf ("not a whole number of 576-value rows");
      g_set_error (error, AMLA_ERROR, AMLA_ERROR_INVALID,
                   "%s '%s' holds %" G_GSIZE_FORMAT " bytes (%s), but %s means %d rows x 576 "
                   "little-endian FP32 = %" G_GSIZE_FORMAT " bytes",
                   option, path, len, held, rows_what, rows, want);
      return NULL;
    }
  gsize n = (gsize) rows * QK;
  float *v = g_new (float, n);
  for (gsize i = 0; i < n; i++)
    {
      guint32 u;
      memcpy (&u, data + i * 4, 4);
      float x = bf16_round (f32_from_bits (GUINT32_FROM_LE (u))); /* the kernel reads BF16 */
      if (!isfinite (x))
        {
          g_set_error (error, AMLA_ERROR, AMLA_ERROR_INVALID,
                       "%s '%s': element %" G_GSIZE_FORMAT " (row %" G_GSIZE_FORMAT
                       ", column %" G_GSIZE_FORMAT ") is %g after rounding to BF16; inputs "
                       "must be finite and below 3.39e38",
                       option, path, i, i / QK, i % QK, (double) x);
          g_free (v);
          return NULL;
        }
      v[i] = x;
    }
  return v;
}

gboolean
amla_num_save_f32 (const char *path, const float *v, gsize n, GError **error)
{
  g_autofree guint32 *le = g_new (guint32, n ? n : 1);
  for (gsize i = 0; i < n; i++)
    le[i] = GUINT32_TO_LE (f32_bits (v[i]));
  return sim_write_file_atomic (path, (const char *) le, n * sizeof *le, error);
}
