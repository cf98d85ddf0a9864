/* kernels/numerics.h — the AMLA kernel's arithmetic run for real on the CPU, and its error.
 *
 * Three attention paths over MLA-decode shapes (Q: M x 576, KV: S_kv x 576, V = the first 512
 * columns of KV, BF16 inputs), walked KV block by KV block (512 tokens, a shorter last block)
 * exactly as the timed kernel does:
 *   exact   — softmax attention in double on the BF16 inputs (the reference);
 *   fa_mul  — conventional FlashAttention: FP32 online softmax, P cast to BF16, PV accumulated
 *             in FP32, O rescaled by an FP32 multiply with exp(m_old - m_new), O / l at the end;
 *   amla    — AMLA: n = round(-m/ln2), residual exp(m + n ln2) rounded to BF16 and folded into
 *             P before its BF16 cast, O rescaled by an int32 add of dn*2^23 on its bit pattern
 *             (dn clamped at -30, plus the 1.5*(cof_prev/cof - 1) compensation), final stage
 *             zeroes |O| > 1e10 and divides by l * residual;
 *   amla_nocomp — the same kernel with the compensation term removed.
 * Also the integer-add rescale itself on FP32 bit patterns, with its exactness predicate.
 *
 * Owns nothing global.  Called by `amlasim numerics`, the GUI's metrics panel
 * (amla_numerics_for_config) and the tests.
 */
#pragma once

#include <glib.h>
#include <stdint.h>

#include "kernels/amla.h"

G_BEGIN_DECLS

/* ---- the integer-add rescale (kernels/numerics-rescale.c) ---------------------------------- */

#define AMLA_DN_MIN (-30)      /* the kernel clamps each step's exponent decrement here */
#define AMLA_FINAL_LIMIT 1e10f /* the final stage zeroes |O| above this (and non-finite O) */

/* as_float (as_int (x) + k) with two's-complement wrap-around, as the int32 atomic add does. */
float amla_int_add (float x, int32_t k);
/* x * 2^n by the integer add of n * 2^23. */
float amla_int_rescale (float x, int n);
/* TRUE iff amla_int_rescale (x, n) is bit-identical to x * 2^n: n == 0, or x is a normal number
 * (either sign) whose biased exponent e satisfies 1 <= e + n <= 254.  Everything else — zeros,
 * subnormals, Inf, NaN, results that would be subnormal, zero or overflow — gives garbage. */
gboolean amla_int_rescale_is_exact (float x, int n);
/* TRUE iff x is normal and as_int (|x|) + k stays in the normal range [0x00800000, 0x7F7FFFFF]:
 * the add then only moves exponent and mantissa of a number of the same sign (for k = n * 2^23
 * this is amla_int_rescale_is_exact; the kernel's stats count the adds where it is FALSE). */
gboolean amla_int_add_stays_normal (float x, int32_t k);

/* The int32 the kernel adds onto every O element of a row between blocks:
 *   round ((max (dn, -30) + eps + 1e-6) * 2^23),  eps = 1.5 * (cof_prev / cof - 1)
 * computed in FP32 like the Vector unit (eps = 0 when !compensate).  *clamped (may be NULL)
 * says whether dn was below -30. */
int32_t amla_rescale_increment (int dn, float cof_prev, float cof, gboolean compensate,
                                gboolean *clamped);

/* The final stage's filter: the kernel zeroes |O| > 1e10 before dividing.  We also zero
 * non-finite O (a NaN fails "|O| <= 1e10"); TRUE when o was replaced by 0. */
gboolean amla_final_filter (float *o);

/* ---- the three paths on one query row (kernels/numerics-paths.c) --------------------------- */

typedef enum
{
  AMLA_NUM_FA_MUL = 0,
  AMLA_NUM_AMLA,
  AMLA_NUM_AMLA_NOCOMP,
  AMLA_NUM_N_PATHS,
} AmlaNumPath;

const char *amla_num_path_name (AmlaNumPath p); /* "fa_mul", "amla", "amla_nocomp" */

/* What the kernel's safety measures did on the rows of one path. */
typedef struct
{
  guint64 clamped_steps; /* row updates with dn < -30 (clamped) */
  guint64 inexact_adds;  /* O elements the int add hit outside the exact range (zero, ...) */
  guint64 zeroed_final;  /* O elements zeroed by the final |O| > 1e10 filter */
  guint64 escaped_final; /* O elements an inexact add had hit that passed the filter (suspect) */
} AmlaNumKernelStats;

/* Logits of one query row as the kernel has them: FP32 Cube dot products of BF16 q and k
 * (16 k-lane partial sums, as the 16x16x16 MMAD reduces), then * scale in FP32; masked tokens
 * (mask[j] != 0; mask may be NULL) are -inf.  s has kv_len entries. */
void amla_num_logits_f32 (const float *q, const float *kv, int kv_len, float scale,
                          const guint8 *mask, float *s);
/* The same logits in double (reference). */
void amla_num_logits_f64 (const float *q, const float *kv, int kv_len, double scale,
                          const guint8 *mask, double *s);

/* Path outputs for one row: out has AMLA_HEAD_DIM_V entries.  kv rows have stride 576 (V is
 * their first 512 columns).  A row whose logits are all -inf outputs 0.  block > 0. */
void amla_num_row_exact (const double *s, const float *kv, int kv_len, double *out);
void amla_num_row_fa_mul (const float *s, const float *kv, int kv_len, int block, float *out);
void amla_num_row_amla (const float *s, const float *kv, int kv_len, int block, gboolean compensate,
                        float *out, AmlaNumKernelStats *stats);

/* ---- problems, inputs and the error report (kernels/numerics.c, numerics-inputs.c) ---------- */

typedef enum
{
  AMLA_NUM_DIST_NORMAL = 0,  /* Q, KV entries N(0,1): logits ~ N(0, 3) at scale 1/sqrt(192) */
  AMLA_NUM_DIST_WIDE,        /* N(0, 4^2): logits std ~28, a peaky softmax, jumps of the max */
  AMLA_NUM_DIST_ADVERSARIAL, /* row max rising ~4 per block (rope columns), 8 V columns zero */
} AmlaNumDist;

const char *amla_num_dist_name (AmlaNumDist d);
gboolean amla_num_dist_parse (const char *s, AmlaNumDist *out);

#define AMLA_NUM_DEFAULT_SCALE 0.07216878364870322 /* 1/sqrt(192), DeepSeek-V3 without YaRN */
#define AMLA_NUM_DEFAULT_SAMPLE_ROWS 16

typedef struct
{
  int rows;           /* M = H * S_q query rows */
  int kv_len;         /* S_kv */
  int block;          /* KV block, tokens (512) */
  double scale;       /* softmax scale */
  const float *q;     /* rows x 576, BF16-valued FP32 */
  const float *kv;    /* kv_len x 576, BF16-valued FP32 */
  const guint8 *mask; /* kv_len entries or NULL; nonzero = masked (-inf logit) for every row */
} AmlaNumProblem;

typedef struct
{
  double max_abs;     /* over finite outputs; 0 when none */
  double max_rel;     /* max over rows of (row max abs error) / (row max |exact|) */
  double mean_abs;    /* over finite outputs */
  guint64 non_finite; /* outputs that are Inf or NaN */
  AmlaNumKernelStats kernel;
} AmlaNumError;

typedef struct
{
  int rows_total;   /* rows of the whole problem (B*H*S_q for a config, H*S_q for the CLI) */
  int rows_sampled; /* rows actually computed */
  int kv_len, block;
  double scale;
  double max_abs_exact; /* max |exact output|, for scale */
  AmlaNumError err[AMLA_NUM_N_PATHS];
} AmlaNumReport;

/* Evenly spaced row sample: n_sample <= 0 or >= rows means every row.  Returns the count and
 * fills rows_out (caller-allocated, at least min(rows, n_sample) entries). */
int amla_num_sample_rows (int rows, int n_sample, int *rows_out);

/* Run every path on the given rows.  outputs may be NULL; else outputs[0] (exact) and
 * outputs[1 + path] are NULL or n_rows x 512 FP32 arrays to fill, in the order of rows[].
 * Fills report (rows_total = p->rows; the caller may overwrite it). */
gboolean amla_numerics_run (const AmlaNumProblem *p, const int *rows, int n_rows,
                            float *outputs[1 + AMLA_NUM_N_PATHS], AmlaNumReport *report,
                            GError **error);

/* Generated inputs, already BF16-rounded (g_free the arrays). */
float *amla_num_make_q (AmlaNumDist dist, guint32 seed, int rows);
float *amla_num_make_kv (AmlaNumDist dist, guint32 seed, int kv_len);

/* Raw little-endian FP32 file of exactly rows x 576 values, rounded to BF16 on load.  Errors
 * (AMLA_ERROR_INVALID, or G_FILE_ERROR when unreadable) name the option (e.g. "--q-file"), the
 * file, the byte count found and the one expected (rows_what says where rows came from, e.g.
 * "--heads 128 x --sq 2"), or the first element that is not finite after rounding. */
float *amla_num_load_f32 (const char *option, const char *path, int rows, const char *rows_what,
                          GError **error);
/* Write n FP32 values little-endian, atomically (temp file + rename). */
gboolean amla_num_save_f32 (const char *path, const float *v, gsize n, GError **error);

/* For the GUI's metrics panel: generated inputs (seed, dist) for one request of cfg (H*S_q rows,
 * S_kv tokens, cfg->block), at most max_rows rows (<= 0: AMLA_NUM_DEFAULT_SAMPLE_ROWS), softmax
 * scale 1/sqrt(192).  report->rows_total = B*H*S_q; rows_sampled says how many were computed.
 * Cost ~ rows_sampled * S_kv * 3.3k flops. */
gboolean amla_numerics_for_config (const AmlaConfig *cfg, AmlaNumDist dist, guint32 seed,
                                   int max_rows, AmlaNumReport *report, GError **error);

/* JSON text of a report (json-c), for --json and otherData. */
char *amla_num_report_json (const AmlaNumReport *report);

G_END_DECLS
