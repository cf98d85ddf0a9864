/* kernels/numerics.c — run the numerics paths over a problem's rows and summarise their error
 * against the exact reference; the entry point the GUI's metrics panel calls for a config. */
#include "kernels/numerics.h"

#include <float.h>
#include <json-c/json.h>
#include <math.h>
#include <string.h>

#define QK AMLA_HEAD_DIM_QK
#define DV AMLA_HEAD_DIM_V

int
amla_num_sample_rows (int rows, int n_sample, int *rows_out)
{
  int n = (n_sample <= 0 || n_sample >= rows) ? rows : n_sample;
  for (int i = 0; i < n; i++) /* evenly spaced, first row included: spans heads and tokens */
    rows_out[i] = (int) ((gint64) i * rows / n);
  return n;
}

typedef struct
{
  double sum_abs;
  guint64 finite;
} Accum;

static void
accumulate (AmlaNumError *e, Accum *acc, const double *exact, const float *got)
{
  double row_ref = 0, row_err = 0;
  for (int d = 0; d < DV; d++)
    {
      row_ref = fmax (row_ref, fabs (exact[d]));
      if (!isfinite (got[d]))
        {
          e->non_finite++;
          continue;
        }
      double err = fabs ((double) got[d] - exact[d]);
      acc->sum_abs += err;
      acc->finite++;
      e->max_abs = fmax (e->max_abs, err);
      row_err = fmax (row_err, err);
    }
  double rel = row_err == 0 ? 0 : row_ref > 0 ? row_err / row_ref : INFINITY;
  e->max_rel = fmax (e->max_rel, rel);
}

gboolean
amla_numerics_run (const AmlaNumProblem *p, const int *rows, int n_rows,
                   float *outputs[1 + AMLA_NUM_N_PATHS], AmlaNumReport *report, GError **error)
{
  if (p->rows < 1 || p->kv_len < 1 || p->block < 1 || !(p->scale > 0) || !isfinite (p->scale))
    {
      g_set_error (error, AMLA_ERROR, AMLA_ERROR_INVALID,
                   "numerics needs rows >= 1, S_kv >= 1, block >= 1 and a positive finite scale "
                   "(got %d, %d, %d, %g)",
                   p->rows, p->kv_len, p->block, p->scale);
      return FALSE;
    }
  memset (report, 0, sizeof *report);
  report->rows_total = p->rows;
  report->rows_sampled = n_rows;
  report->kv_len = p->kv_len;
  report->block = p->block;
  report->scale = p->scale;

  g_autofree float *s32 = g_new (float, p->kv_len);
  g_autofree double *s64 = g_new (double, p->kv_len);
  double exact[DV];
  float got[AMLA_NUM_N_PATHS][DV];
  Accum acc[AMLA_NUM_N_PATHS] = { { 0 } };

  for (int i = 0; i < n_rows; i++)
    {
      int r = rows[i];
      if (r < 0 || r >= p->rows)
        {
          g_set_error (error, AMLA_ERROR, AMLA_ERROR_INVALID, "row %d is outside [0, %d)", r,
                       p->rows);
          return FALSE;
        }
      const float *q = p->q + (gsize) r * QK;
      amla_num_logits_f64 (q, p->kv, p->kv_len, p->scale, p->mask, s64);
      amla_num_logits_f32 (q, p->kv, p->kv_len, (float) p->scale, p->mask, s32);
      amla_num_row_exact (s64, p->kv, p->kv_len, exact);
      amla_num_row_fa_mul (s32, p->kv, p->kv_len, p->block, got[AMLA_NUM_FA_MUL]);
      amla_num_row_amla (s32, p->kv, p->kv_len, p->block, TRUE, got[AMLA_NUM_AMLA],
                         &report->err[AMLA_NUM_AMLA].kernel);
      amla_num_row_amla (s32, p->kv, p->kv_len, p->block, FALSE, got[AMLA_NUM_AMLA_NOCOMP],
                         &report->err[AMLA_NUM_AMLA_NOCOMP].kernel);
      for (int k = 0; k < DV; k++)
        report->max_abs_exact = fmax (report->max_abs_exact, fabs (exact[k]));
      for (int path = 0; path < AMLA_NUM_N_PATHS; path++)
        {
          accumulate (&report->err[path], &acc[path], exact, got[path]);
          if (outputs && outputs[1 + path])
            memcpy (outputs[1 + path] + (gsize) i * DV, got[path], sizeof got[path]);
        }
      if (outputs && outputs[0])
        for (int k = 0; k < DV; k++)
          outputs[0][(gsize) i * DV + k] = (float) exact[k];
    }
  for (int path = 0; path < AMLA_NUM_N_PATHS; path++)
    report->err[path].mean_abs = acc[path].finite ? acc[path].sum_abs / acc[path].finite : 0;
  return TRUE;
}

gboolean
amla_numerics_for_config (const AmlaConfig *cfg, AmlaNumDist dist, guint32 seed, int max_rows,
                          AmlaNumReport *report, GError **error)
{
  if (!amla_config_validate (cfg, error))
    return FALSE;
  int rows = cfg->heads * cfg->sq;
  g_autofree float *q = amla_num_make_q (dist, seed, rows);
  g_autofree float *kv = amla_num_make_kv (dist, seed, cfg->kv_len);
  g_autofree int *sample = g_new (int, rows);
  int n
      = amla_num_sample_rows (rows, max_rows > 0 ? max_rows : AMLA_NUM_DEFAULT_SAMPLE_ROWS, sample);
  AmlaNumProblem p = {
    .rows = rows,
    .kv_len = cfg->kv_len,
    .block = cfg->block > 0 ? cfg->block : 512,
    .scale = AMLA_NUM_DEFAULT_SCALE,
    .q = q,
    .kv = kv,
    .mask = NULL,
  };
  if (!amla_numerics_run (&p, sample, n, NULL, report, error))
    return FALSE;
  report->rows_total = cfg->batch * rows; /* every request's rows are alike in distribution */
  return TRUE;
}

static json_object *
number_or_null (double v)
{
  return isfinite (v) ? json_object_new_double (v) : NULL;
}

char *
amla_num_report_json (const AmlaNumReport *r)
{
  json_object *root = json_object_new_object ();
  json_object_object_add (root, "rows_total", json_object_new_int (r->rows_total));
  json_object_object_add (root, "rows_sampled", json_object_new_int (r->rows_sampled));
  json_object_object_add (root, "kv_len", json_object_new_int (r->kv_len));
  json_object_object_add (root, "block", json_object_new_int (r->block));
  json_object_object_add (root, "scale", number_or_null (r->scale));
  json_object_object_add (root, "max_abs_exact", number_or_null (r->max_abs_exact));
  json_object *paths = json_object_new_object ();
  for (int p = 0; p < AMLA_NUM_N_PATHS; p++)
    {
      const AmlaNumError *e = &r->err[p];
      json_object *o = json_object_new_object ();
      json_object_object_add (o, "max_abs", number_or_null (e->max_abs));
      json_object_object_add (o, "max_rel", number_or_null (e->max_rel));
      json_object_object_add (o, "mean_abs", number_or_null (e->mean_abs));
      json_object_object_add (o, "non_finite", json_object_new_int64 ((int64_t) e->non_finite));
      if (p != AMLA_NUM_FA_MUL)
        {
          json_object *k = json_object_new_object ();
          json_object_object_add (k, "clamped_steps",
                                  json_object_new_int64 ((int64_t) e->kernel.clamped_steps));
          json_object_object_add (k, "inexact_adds",
                                  json_object_new_int64 ((int64_t) e->kernel.inexact_adds));
          json_object_object_add (k, "zeroed_final",
                                  json_object_new_int64 ((int64_t) e->kernel.zeroed_final));
          json_object_object_add (k, "escaped_final",
                                  json_object_new_int64 ((int64_t) e->kernel.escaped_final));
          json_object_object_add (o, "kernel", k);
        }
      json_object_object_add (paths, amla_num_path_name (p), o);
    }
  json_object_object_add (root, "paths", paths);
  char *text = g_strdup (json_object_to_json_string_ext (
      root, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE));
  json_object_put (root);
  return text;
}
