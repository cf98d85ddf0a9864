/* amlasim numerics — run the AMLA kernel's arithmetic for real (exact double, FP-multiply
 * FlashAttention, AMLA integer add with and without compensation) on generated or user tensors
 * and print each path's error against the exact reference. */
#include <errno.h>
#include <json-c/json.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "kernels/numerics.h"
#include "src/cli/cli-util.h"
#include "src/cli/commands.h"

#define CMD "numerics"
#define MAX_KV 131072 /* 128K tokens: 302 MB of FP32 KV */

typedef struct
{
  char *seed, *kv, *heads, *sq, *dist, *scale, *q_file, *kv_file, *out_dir, *sample_rows;
  gboolean json;
} Options;

static void
options_clear (Options *o)
{
  g_free (o->seed);
  g_free (o->kv);
  g_free (o->heads);
  g_free (o->sq);
  g_free (o->dist);
  g_free (o->scale);
  g_free (o->q_file);
  g_free (o->kv_file);
  g_free (o->out_dir);
  g_free (o->sample_rows);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Options, options_clear)

typedef struct
{
  int seed, kv, heads, sq, sample_rows;
  AmlaNumDist dist;
  double scale;
} Settings;

static gboolean
parse_settings (const Options *o, Settings *s)
{
  s->seed = 1;
  s->kv = AMLA_DEFAULT_KV;
  s->heads = AMLA_DEFAULT_HEADS;
  s->sq = AMLA_DEFAULT_SQ;
  s->sample_rows = AMLA_NUM_DEFAULT_SAMPLE_ROWS;
  s->dist = AMLA_NUM_DIST_NORMAL;
  s->scale = AMLA_NUM_DEFAULT_SCALE;
  if (o->seed && !cli_parse_int (CMD, "--seed", o->seed, 0, G_MAXINT, &s->seed))
    return FALSE;
  if (o->kv && !cli_parse_int (CMD, "--kv", o->kv, 1, MAX_KV, &s->kv))
    return FALSE;
  /* heads and S_q have the kernel's ranges (the configuration table's) */
  const AmlaConfigField *heads = amla_config_field_find ("heads");
  const AmlaConfigField *sq = amla_config_field_find ("sq");
  if (o->heads && !cli_parse_int (CMD, "--heads", o->heads, heads->min, heads->max, &s->heads))
    return FALSE;
  if (o->sq && !cli_parse_int (CMD, "--sq", o->sq, sq->min, sq->max, &s->sq))
    return FALSE;
  if (o->sample_rows
      && !cli_parse_int (CMD, "--sample-rows", o->sample_rows, 0, 128 * 16, &s->sample_rows))
    return FALSE;
  if (o->dist && !amla_num_dist_parse (o->dist, &s->dist))
    {
      cli_usage_error (CMD, "--dist must be normal, wide or adversarial, got '%s'", o->dist);
      return FALSE;
    }
  if (o->scale)
    {
      char *end = NULL;
      errno = 0;
      double v = g_ascii_strtod (o->scale, &end);
      if (o->scale[0] == '\0' || *end != '\0' || errno != 0 || !isfinite (v) || v <= 0 || v > 1e3)
        {
          cli_usage_error (CMD, "--scale must be a number in (0, 1000], got '%s'", o->scale);
          return FALSE;
        }
      s->scale = v;
    }
  if (o->out_dir && o->sample_rows && s->sample_rows != 0 && s->sample_rows < s->heads * s->sq)
    {
      cli_usage_error (CMD,
                       "--sample-rows %d cannot be used with --out-dir: the output files "
                       "hold every row (use --sample-rows 0 or leave it out)",
                       s->sample_rows);
      return FALSE;
    }
  return TRUE;
}

static void
print_table (const Settings *s, const Options *o, const AmlaNumReport *r)
{
  int blocks = (s->kv + 511) / 512;
  printf ("AMLA numerics: H=%d S_q=%d (%d rows) S_kv=%d (%d block%s of 512%s), scale %.6g\n",
          s->heads, s->sq, s->heads * s->sq, s->kv, blocks, blocks == 1 ? "" : "s",
          s->kv % 512 ? ", last one short" : "", s->scale);
  printf ("inputs: Q %s, KV %s, rounded to BF16\n", o->q_file ? o->q_file : "generated",
          o->kv_file ? o->kv_file : "generated");
  if (!o->q_file || !o->kv_file)
    printf ("generated: dist %s, seed %d\n", amla_num_dist_name (s->dist), s->seed);
  if (r->rows_sampled < r->rows_total)
    printf ("rows: %d sampled of %d (evenly spaced; --sample-rows 0 computes all)\n",
            r->rows_sampled, r->rows_total);
  else
    printf ("rows: all %d\n", r->rows_total);
  printf ("\n%-12s %10s %10s %10s %11s\n", "path", "max abs", "max rel", "mean abs", "non-finite");
  for (int p = 0; p < AMLA_NUM_N_PATHS; p++)
    {
      const AmlaNumError *e = &r->err[p];
      printf ("%-12s %10.3e %10.3e %10.3e %11" G_GUINT64_FORMAT "\n", amla_num_path_name (p),
              e->max_abs, e->max_rel, e->mean_abs, e->non_finite);
    }
  printf ("\nerror of the FP32 output (before any final BF16 cast) against the exact double "
          "path;\nmax rel = largest (row max abs error / row max |exact|); max |exact| = %.4g\n",
          r->max_abs_exact);
  const AmlaNumKernelStats *a = &r->err[AMLA_NUM_AMLA].kernel;
  const AmlaNumKernelStats *b = &r->err[AMLA_NUM_AMLA_NOCOMP].kernel;
  printf ("AMLA safety measures (amla / amla_nocomp):\n"
          "  %" G_GUINT64_FORMAT " / %" G_GUINT64_FORMAT " row steps clamped at dn = -30\n"
          "  %" G_GUINT64_FORMAT " / %" G_GUINT64_FORMAT " int adds outside the exact range "
          "(O not normal, e.g. exactly 0)\n"
          "  %" G_GUINT64_FORMAT " / %" G_GUINT64_FORMAT " O elements zeroed by the final "
          "|O| > 1e10 filter\n",
          a->clamped_steps, b->clamped_steps, a->inexact_adds, b->inexact_adds, a->zeroed_final,
          b->zeroed_final);
  if (a->escaped_final || b->escaped_final)
    printf ("  %" G_GUINT64_FORMAT " / %" G_GUINT64_FORMAT " O elements hit by an inexact add "
            "that escaped the filter:\n  their outputs are garbage (an exact-zero O element "
            "whose row max then rose by more\n  than ~67, i.e. dn summed below -96)\n",
            a->escaped_final, b->escaped_final);
}

static int
print_json (const Settings *s, const Options *o, const AmlaNumReport *r)
{
  g_autofree char *text = amla_num_report_json (r);
  json_object *root = json_tokener_parse (text);
  if (!root)
    return cli_fail (CMD, "internal error: report JSON did not parse");
  json_object_object_add (root, "heads", json_object_new_int (s->heads));
  json_object_object_add (root, "sq", json_object_new_int (s->sq));
  json_object_object_add (root, "dist", json_object_new_string (amla_num_dist_name (s->dist)));
  json_object_object_add (root, "seed", json_object_new_int (s->seed));
  json_object_object_add (root, "q_file", o->q_file ? json_object_new_string (o->q_file) : NULL);
  json_object_object_add (root, "kv_file", o->kv_file ? json_object_new_string (o->kv_file) : NULL);
  printf ("%s\n", json_object_to_json_string_ext (root, JSON_C_TO_STRING_PRETTY
                                                            | JSON_C_TO_STRING_NOSLASHESCAPE));
  json_object_put (root);
  return CLI_EXIT_OK;
}

static int
write_outputs (const char *dir, float *outputs[1 + AMLA_NUM_N_PATHS], gsize n)
{
  static const char *names[1 + AMLA_NUM_N_PATHS]
      = { "exact.f32", "fa_mul.f32", "amla.f32", "amla_nocomp.f32" };
  if (g_mkdir_with_parents (dir, 0777) != 0)
    return cli_fail (CMD, "--out-dir '%s': cannot create it: %s", dir, g_strerror (errno));
  for (int i = 0; i < 1 + AMLA_NUM_N_PATHS; i++)
    {
      g_autofree char *path = g_build_filename (dir, names[i], NULL);
      g_autoptr (GError) err = NULL;
      if (!amla_num_save_f32 (path, outputs[i], n, &err))
        return cli_fail (CMD, "--out-dir: %s", err->message);
    }
  return CLI_EXIT_OK;
}

int
amlasim_cmd_numerics (int argc, char **argv)
{
  g_auto (Options) o = { 0 };
  GOptionEntry entries[] = {
    { "seed", 0, 0, G_OPTION_ARG_STRING, &o.seed, "Seed of the generated inputs (default 1)", "N" },
    { "kv", 'k', 0, G_OPTION_ARG_STRING, &o.kv, "KV length S_kv, 1..131072 (default 4096)",
      "TOKENS" },
    { "heads", 'H', 0, G_OPTION_ARG_STRING, &o.heads, "Query heads H, 1..128 (default 128)", "N" },
    { "sq", 'q', 0, G_OPTION_ARG_STRING, &o.sq, "Query tokens per request S_q, 1..16 (default 2)",
      "N" },
    { "dist", 0, 0, G_OPTION_ARG_STRING, &o.dist,
      "Generated inputs: normal (N(0,1)), wide (N(0,16)), adversarial (row max rising ~4 per "
      "block, 8 V columns exactly zero) (default normal)",
      "DIST" },
    { "scale", 0, 0, G_OPTION_ARG_STRING, &o.scale,
      "Softmax scale (default 1/sqrt(192) = 0.0721688)", "X" },
    { "q-file", 0, 0, G_OPTION_ARG_FILENAME, &o.q_file,
      "Q from a raw little-endian FP32 file, H*S_q x 576 row-major", "FILE" },
    { "kv-file", 0, 0, G_OPTION_ARG_FILENAME, &o.kv_file,
      "KV cache from a raw little-endian FP32 file, S_kv x 576 row-major (V = first 512 columns)",
      "FILE" },
    { "out-dir", 'o', 0, G_OPTION_ARG_FILENAME, &o.out_dir,
      "Write exact.f32, fa_mul.f32, amla.f32, amla_nocomp.f32 (H*S_q x 512 FP32 LE; every row)",
      "DIR" },
    { "sample-rows", 0, 0, G_OPTION_ARG_STRING, &o.sample_rows,
      "Rows computed, evenly spaced; 0 = all (default 16)", "N" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &o.json, "Print the report as JSON", NULL },
    { NULL },
  };
  GOptionContext *ctx = g_option_context_new ("— the AMLA kernel's arithmetic and its error");
  g_option_context_set_summary (
      ctx, "Runs one request's attention through three paths, block by block (512 tokens) as the\n"
           "kernel does: exact (double), fa_mul (FlashAttention, BF16 P, FP32 multiply rescale)\n"
           "and amla (integer add of dn*2^23 on O's bits, with and without the compensation),\n"
           "and prints each path's error against the exact one.  Default: H=128 S_q=2 S_kv=4096,\n"
           "normal inputs, 16 of the 256 rows.");
  g_option_context_add_main_entries (ctx, entries, NULL);
  gboolean ok = cli_parse_context (CMD, ctx, &argc, &argv);
  g_option_context_free (ctx);
  if (!ok)
    return CLI_EXIT_USAGE;
  if (argc > 1)
    return cli_usage_error (CMD, "unexpected argument '%s' (see 'amlasim numerics --help')",
                            argv[1]);
  Settings s;
  if (!parse_settings (&o, &s))
    return CLI_EXIT_USAGE;

  int rows = s.heads * s.sq;
  g_autofree float *q = NULL, *kv = NULL;
  g_autoptr (GError) err = NULL;
  if (o.q_file)
    {
      g_autofree char *what = g_strdup_printf ("--heads %d x --sq %d", s.heads, s.sq);
      if (!(q = amla_num_load_f32 ("--q-file", o.q_file, rows, what, &err)))
        return err->domain == AMLA_ERROR ? cli_usage_error (CMD, "%s", err->message)
                                         : cli_fail (CMD, "%s", err->message);
    }
  else
    q = amla_num_make_q (s.dist, (guint32) s.seed, rows);
  if (o.kv_file)
    {
      g_autofree char *what = g_strdup_printf ("--kv %d", s.kv);
      if (!(kv = amla_num_load_f32 ("--kv-file", o.kv_file, s.kv, what, &err)))
        return err->domain == AMLA_ERROR ? cli_usage_error (CMD, "%s", err->message)
                                         : cli_fail (CMD, "%s", err->message);
    }
  else
    kv = amla_num_make_kv (s.dist, (guint32) s.seed, s.kv);

  g_autofree int *sample = g_new (int, rows);
  int n = amla_num_sample_rows (rows, o.out_dir ? 0 : s.sample_rows, sample);
  AmlaNumProblem p = {
    .rows = rows, .kv_len = s.kv, .block = 512, .scale = s.scale, .q = q, .kv = kv, .mask = NULL
  };
  float *outputs[1 + AMLA_NUM_N_PATHS] = { NULL };
  if (o.out_dir)
    for (int i = 0; i < 1 + AMLA_NUM_N_PATHS; i++)
      outputs[i] = g_new (float, (gsize) n *AMLA_HEAD_DIM_V);
  AmlaNumReport report;
  int rc = CLI_EXIT_OK;
  if (!amla_numerics_run (&p, sample, n, o.out_dir ? outputs : NULL, &report, &err))
    rc = cli_fail (CMD, "%s", err->message);
  if (rc == CLI_EXIT_OK && o.out_dir)
    rc = write_outputs (o.out_dir, outputs, (gsize) n * AMLA_HEAD_DIM_V);
  for (int i = 0; i < 1 + AMLA_NUM_N_PATHS; i++)
    g_free (outputs[i]);
  if (rc != CLI_EXIT_OK)
    return rc;
  if (o.json)
    return print_json (&s, &o, &report);
  print_table (&s, &o, &report);
  if (o.out_dir)
    printf ("wrote %s/{exact,fa_mul,amla,amla_nocomp}.f32 (%d x 512 FP32 little-endian)\n",
            o.out_dir, n);
  return CLI_EXIT_OK;
}
