/* kernels/sweep-csv.c — sweep results as CSV (one header line, one row per configuration) and
 * back, and the checks `amlasim merge` makes before joining shards: same grid, no duplicate,
 * no missing point.  Numbers are written so that parse + write reproduces the text exactly. */
#include "kernels/sweep.h"
#include "kernels/amla-config-fields.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* AIC pipes then AIV pipes, in lane order (sim/trace/trace.h). */
static const SimPipe aic_pipes[]
    = { SIM_PIPE_MTE2, SIM_PIPE_MTE1, SIM_PIPE_CUBE, SIM_PIPE_FIXPIPE, SIM_PIPE_SCALAR };
static const SimPipe aiv_pipes[]
    = { SIM_PIPE_MTE2, SIM_PIPE_VECTOR, SIM_PIPE_MTE3, SIM_PIPE_SCALAR };

static void
append_lower (GString *out, const char *prefix, const char *name, const char *suffix)
{
  g_autofree char *lower = g_ascii_strdown (name, -1);
  g_string_append_printf (out, ",%s%s%s", prefix, lower, suffix);
}

void
sweep_csv_append_header (GString *out)
{
  g_string_append (out, "point,points");
  for (int a = 0; a < SWEEP_N_AXES; a++)
    g_string_append_printf (out, ",%s", amla_config_field_for_axis (a)->csv_column);
  g_string_append (out, ",total_ns,flops,tflops,peak_tflops,cube_utilization,bound");
  for (gsize i = 0; i < G_N_ELEMENTS (aic_pipes); i++)
    append_lower (out, "aic_", sim_pipe_name (aic_pipes[i]), "_busy");
  for (gsize i = 0; i < G_N_ELEMENTS (aiv_pipes); i++)
    append_lower (out, "aiv_", sim_pipe_name (aiv_pipes[i]), "_busy");
  g_string_append (out, ",cube_vector_overlap");
  for (int p = 0; p < SIM_N_PATHS; p++)
    g_string_append_printf (out, ",bytes_%s", sim_path_key ((SimPath) p));
  g_string_append (out, ",hbm_bytes,l2_read_bytes,hbm_busy,hbm_peak_bytes_per_s,"
                        "flop_per_hbm_byte,instructions,reason,error");
  g_string_append_printf (out, ",%s,shard,fingerprint\n",
                          amla_config_field_find ("what_if")->csv_column);
}

/* Columns added since the first version, newest first: files written before each still read
 * (before what_if their rows ran the presets as is; before shard/fingerprint a merge cannot tell
 * their sweep apart, and they merge only with files of their own kind). */
static const char *const old_header_tails[] = { ",shard,fingerprint", ",what_if,shard,fingerprint" };

static void
append_shard (GString *out, const SweepResult *r)
{
  if (r->shard_count > 0)
    g_string_append_printf (out, ",%u/%u", r->shard_index + 1, r->shard_count);
  else
    g_string_append_c (out, ',');
  g_string_append_c (out, ',');
  g_string_append (out, r->fingerprint);
}

static void
append_double (GString *out, double v)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  g_string_append_c (out, ',');
  g_string_append (out, g_ascii_formatd (buf, sizeof buf, "%.10g", v));
}

static void
append_u64 (GString *out, guint64 v)
{
  g_string_append_printf (out, ",%" G_GUINT64_FORMAT, v);
}

/* RFC 4180 quoting when needed; newlines become spaces so a row stays one line. */
static void
append_text (GString *out, const char *s)
{
  g_string_append_c (out, ',');
  if (s == NULL)
    return;
  /* newlines become spaces first, so whether a cell is quoted depends only on what is written
   * (a cell read back writes the same text: the fuzzer found one that did not) */
  if (strpbrk (s, ",\"") == NULL)
    {
      for (const char *c = s; *c; c++)
        g_string_append_c (out, *c == '\n' || *c == '\r' ? ' ' : *c);
      return;
    }
  g_string_append_c (out, '"');
  for (const char *c = s; *c; c++)
    {
      if (*c == '"')
        g_string_append (out, "\"\"");
      else if (*c == '\n' || *c == '\r')
        g_string_append_c (out, ' ');
      else
        g_string_append_c (out, *c);
    }
  g_string_append_c (out, '"');
}

void
sweep_csv_append_row (GString *out, const SweepResult *r)
{
  const AmlaConfig *c = &r->config;
  const SimMetrics *m = &r->metrics;
  g_string_append_printf (out, "%" G_GUINT64_FORMAT ",%" G_GUINT64_FORMAT, r->point, r->points);
  /* the configuration: one column per sweep axis, as the table formats its value */
  for (int a = 0; a < SWEEP_N_AXES; a++)
    {
      const AmlaConfigField *f = amla_config_field_for_axis (a);
      if (f->type == AMLA_FIELD_STRING)
        append_text (out, amla_config_field_get_text (f, c));
      else
        {
          g_autofree char *text = amla_config_field_format (f, c);
          g_string_append_printf (out, ",%s", text);
        }
    }
  if (r->error != NULL)
    {
      /* no metrics: empty cells, so a spreadsheet does not average in zeros */
      int n_metric_columns
          = 6 + G_N_ELEMENTS (aic_pipes) + G_N_ELEMENTS (aiv_pipes) + 1 + SIM_N_PATHS + 7;
      for (int i = 0; i < n_metric_columns; i++)
        g_string_append_c (out, ',');
      append_text (out, r->error);
      append_text (out, c->what_if);
      append_shard (out, r);
      g_string_append_c (out, '\n');
      return;
    }
  append_double (out, m->total_ns);
  g_string_append_printf (out, ",%.0f", m->flops); /* an exact integer (at most 1e18 when read) */
  append_double (out, m->tflops);
  append_double (out, m->peak_tflops);
  append_double (out, m->cube_utilization);
  append_text (out, sim_bound_name (m->bound));
  for (gsize i = 0; i < G_N_ELEMENTS (aic_pipes); i++)
    append_double (out, m->busy_aic[aic_pipes[i]]);
  for (gsize i = 0; i < G_N_ELEMENTS (aiv_pipes); i++)
    append_double (out, m->busy_aiv[aiv_pipes[i]]);
  append_double (out, m->cube_vector_overlap);
  for (int p = 0; p < SIM_N_PATHS; p++)
    append_u64 (out, m->bytes[p]);
  append_u64 (out, m->hbm_bytes);
  append_u64 (out, m->l2_read_bytes);
  append_double (out, m->hbm_busy);
  append_double (out, r->hbm_peak_bytes_per_s);
  append_double (out, sweep_result_intensity (r));
  append_u64 (out, m->instructions);
  append_text (out, m->reason);
  g_string_append_c (out, ','); /* no error */
  append_text (out, c->what_if);
  append_shard (out, r);
  g_string_append_c (out, '\n');
}

char *
sweep_csv_format (const GArray *results)
{
  GString *out = g_string_new (NULL);
  sweep_csv_append_header (out);
  for (guint i = 0; i < results->len; i++)
    sweep_csv_append_row (out, &g_array_index (results, SweepResult, i));
  return g_string_free (out, FALSE);
}

/* ---- reading ---- */

/* Split one CSV line into fields (RFC 4180 quotes). FALSE on an unterminated quote. */
static gboolean
split_fields (const char *line, GPtrArray *fields)
{
  const char *p = line;
  for (;;)
    {
      GString *f = g_string_new (NULL);
      if (*p == '"')
        {
          p++;
          for (;;)
            {
              if (*p == '\0')
                {
                  g_string_free (f, TRUE);
                  return FALSE;
                }
              if (*p == '"' && p[1] == '"')
                {
                  g_string_append_c (f, '"');
                  p += 2;
                }
              else if (*p == '"')
                {
                  p++;
                  break;
                }
              else
                g_string_append_c (f, *p++);
            }
        }
      while (*p != '\0' && *p != ',')
        g_string_append_c (f, *p++);
      g_ptr_array_add (fields, g_string_free (f, FALSE));
      if (*p == '\0')
        return TRUE;
      p++; /* the comma */
    }
}

typedef struct
{
  GPtrArray *fields;
  guint next;
  const char *origin;
  guint line;
  GError **error;
  gboolean failed;
} Cursor;

static const char *
next_field (Cursor *c)
{
  return c->next < c->fields->len ? g_ptr_array_index (c->fields, c->next++) : "";
}

static void
field_error (Cursor *c, const char *what, const char *text)
{
  if (!c->failed)
    g_set_error (c->error, SWEEP_ERROR, SWEEP_ERROR_CSV, "%s:%u: column %u (%s): bad value '%s'",
                 c->origin, c->line, c->next, what, text);
  c->failed = TRUE;
}

static double
read_double (Cursor *c, const char *what)
{
  const char *t = next_field (c);
  if (*t == '\0')
    return 0.0;
  char *end = NULL;
  double v = g_ascii_strtod (t, &end);
  /* our files hold finite numbers only: "nan" or "inf" is a damaged file */
  if (end == t || *end != '\0' || !isfinite (v))
    field_error (c, what, t);
  return v;
}

/* A count written as a whole number ("%.0f"): a fraction would not survive a round trip. */
static double
read_whole (Cursor *c, const char *what)
{
  const char *t = g_ptr_array_index (c->fields, MIN (c->next, c->fields->len - 1));
  double v = read_double (c, what);
  /* 1e18: far above any kernel's count (B x S_kv <= 64 Mi tokens gives < 1e15), far below
   * where %.0f stops being short */
  if (v < 0 || v != floor (v) || v > 1e18)
    field_error (c, what, t);
  return v;
}

static guint64
read_u64 (Cursor *c, const char *what)
{
  const char *t = next_field (c);
  guint64 v = 0;
  if (*t != '\0' && !g_ascii_string_to_unsigned (t, 10, 0, G_MAXUINT64, &v, NULL))
    field_error (c, what, t);
  return v;
}

static int
read_int (Cursor *c, const char *what)
{
  const char *t = next_field (c);
  gint64 v = 0;
  if (!g_ascii_string_to_signed (t, 10, 0, G_MAXINT, &v, NULL))
    field_error (c, what, t);
  return (int) v;
}

static gboolean
read_onoff (Cursor *c, const char *what)
{
  const char *t = next_field (c);
  if (strcmp (t, "on") == 0)
    return TRUE;
  if (strcmp (t, "off") != 0)
    field_error (c, what, t);
  return FALSE;
}

static gboolean
parse_row (Cursor *c, SweepResult *r)
{
  AmlaConfig *cfg = &r->config;
  SimMetrics *m = &r->metrics;
  amla_config_init (cfg);
  r->point = read_u64 (c, "point");
  r->points = read_u64 (c, "points");
  for (int a = 0; a < SWEEP_N_AXES; a++)
    {
      const AmlaConfigField *f = amla_config_field_for_axis (a);
      const char *col = f->csv_column;
      if (f->type == AMLA_FIELD_STRING)
        g_strlcpy ((char *) cfg + f->offset, next_field (c), f->size);
      else if (f->type == AMLA_FIELD_BOOL)
        amla_config_field_set_int (f, cfg, read_onoff (c, col));
      else if (f->type == AMLA_FIELD_RESCALE)
        {
          const char *text = next_field (c);
          AmlaRescale rescale;
          if (amla_rescale_parse (text, &rescale))
            amla_config_field_set_int (f, cfg, (int) rescale);
          else
            field_error (c, col, text);
        }
      else if (f->zero_is_auto && strcmp (g_ptr_array_index (c->fields, c->next), "auto") == 0)
        {
          c->next++;
          amla_config_field_set_int (f, cfg, 0);
        }
      else
        amla_config_field_set_int (f, cfg, read_int (c, col));
    }
  m->total_ns = read_double (c, "total_ns");
  m->flops = read_whole (c, "flops");
  m->tflops = read_double (c, "tflops");
  m->peak_tflops = read_double (c, "peak_tflops");
  m->cube_utilization = read_double (c, "cube_utilization");
  const char *bound = next_field (c);
  m->bound = SIM_BOUND_CUBE;
  if (*bound != '\0')
    {
      int b = SIM_BOUND_CUBE;
      while (b <= SIM_BOUND_SYNC && strcmp (sim_bound_name ((SimBound) b), bound) != 0)
        b++;
      if (b > SIM_BOUND_SYNC)
        field_error (c, "bound", bound);
      m->bound = (SimBound) b;
    }
  for (gsize i = 0; i < G_N_ELEMENTS (aic_pipes); i++)
    m->busy_aic[aic_pipes[i]] = read_double (c, "aic busy");
  for (gsize i = 0; i < G_N_ELEMENTS (aiv_pipes); i++)
    m->busy_aiv[aiv_pipes[i]] = read_double (c, "aiv busy");
  m->cube_vector_overlap = read_double (c, "cube_vector_overlap");
  for (int p = 0; p < SIM_N_PATHS; p++)
    m->bytes[p] = read_u64 (c, sim_path_key ((SimPath) p));
  m->hbm_bytes = read_u64 (c, "hbm_bytes");
  m->l2_read_bytes = read_u64 (c, "l2_read_bytes");
  m->hbm_busy = read_double (c, "hbm_busy");
  r->hbm_peak_bytes_per_s = read_double (c, "hbm_peak_bytes_per_s");
  read_double (c, "flop_per_hbm_byte"); /* derived; recomputed on write */
  m->instructions = read_u64 (c, "instructions");
  g_strlcpy (m->reason, next_field (c), sizeof m->reason);
  const char *err = next_field (c);
  r->error = *err != '\0' ? g_strdup (err) : NULL;
  if (c->next < c->fields->len) /* what_if: absent in files of the older header */
    {
      const char *what_if = next_field (c);
      if (strlen (what_if) >= sizeof cfg->what_if)
        field_error (c, amla_config_field_find ("what_if")->csv_column, what_if);
      else
        g_strlcpy (cfg->what_if, what_if, sizeof cfg->what_if);
    }
  if (c->next + 1 < c->fields->len) /* shard, fingerprint: absent in older files */
    {
      const char *shard = next_field (c);
      const char *fp = next_field (c);
      if (*shard != '\0' && !sweep_shard_parse (shard, &r->shard_index, &r->shard_count, NULL))
        field_error (c, "shard", shard);
      if (strlen (fp) >= sizeof r->fingerprint || strspn (fp, "0123456789abcdef") != strlen (fp))
        field_error (c, "fingerprint", fp);
      else
        g_strlcpy (r->fingerprint, fp, sizeof r->fingerprint);
    }
  return !c->failed;
}

gboolean
sweep_csv_parse (const char *text, gsize len, const char *origin, GArray *results, GError **error)
{
  g_autofree char *copy = g_strndup (text, len);
  g_auto (GStrv) lines = g_strsplit (copy, "\n", -1);
  g_autoptr (GString) header = g_string_new (NULL);
  sweep_csv_append_header (header);
  g_string_truncate (header, header->len - 1); /* the newline */
  g_autoptr (GPtrArray) expected = g_ptr_array_new_with_free_func (g_free);
  split_fields (header->str, expected);

  /* the headers before the later columns are read too */
  for (gsize t = 0; lines[0] != NULL && t < G_N_ELEMENTS (old_header_tails); t++)
    {
      gsize cut = header->len - strlen (old_header_tails[t]);
      if (g_str_has_suffix (header->str, old_header_tails[t])
          && strlen (g_strchomp (lines[0])) == cut && strncmp (lines[0], header->str, cut) == 0)
        {
          g_string_truncate (header, cut);
          g_ptr_array_set_size (expected, 0);
          split_fields (header->str, expected);
          break;
        }
    }
  if (lines[0] == NULL || strcmp (g_strchomp (lines[0]), header->str) != 0)
    {
      g_set_error (error, SWEEP_ERROR, SWEEP_ERROR_CSV,
                   "%s:1: not an amlasim sweep CSV (the header differs from this version's: "
                   "expected it to start with 'point,points,hw,...')",
                   origin);
      return FALSE;
    }
  for (guint i = 1; lines[i] != NULL; i++)
    {
      char *line = g_strchomp (lines[i]);
      if (*line == '\0')
        continue;
      g_autoptr (GPtrArray) fields = g_ptr_array_new_with_free_func (g_free);
      if (!split_fields (line, fields))
        {
          g_set_error (error, SWEEP_ERROR, SWEEP_ERROR_CSV, "%s:%u: unterminated quote", origin,
                       i + 1);
          return FALSE;
        }
      if (fields->len != expected->len)
        {
          g_set_error (error, SWEEP_ERROR, SWEEP_ERROR_CSV, "%s:%u: %u columns, the header has %u",
                       origin, i + 1, fields->len, expected->len);
          return FALSE;
        }
      Cursor c = { fields, 0, origin, i + 1, error, FALSE };
      SweepResult r = { 0 };
      if (!parse_row (&c, &r))
        {
          g_free (r.error);
          return FALSE;
        }
      g_array_append_val (results, r);
    }
  return TRUE;
}

static int
point_cmp (gconstpointer a, gconstpointer b)
{
  const SweepResult *x = a, *y = b;
  return x->point < y->point ? -1 : x->point > y->point;
}

gboolean
sweep_results_check (GArray *results, gboolean allow_gaps, GError **error)
{
  if (results->len == 0)
    {
      g_set_error (error, SWEEP_ERROR, SWEEP_ERROR_INCOMPLETE, "no rows to merge");
      return FALSE;
    }
  g_array_sort (results, point_cmp);
  guint64 points = g_array_index (results, SweepResult, 0).points;
  for (guint i = 0; i < results->len; i++)
    {
      const SweepResult *r = &g_array_index (results, SweepResult, i);
      if (r->points != points || r->point >= points)
        {
          g_set_error (error, SWEEP_ERROR, SWEEP_ERROR_CSV,
                       "rows come from different grids (%" G_GUINT64_FORMAT
                       " and %" G_GUINT64_FORMAT " points): merge shards of one sweep only",
                       points, r->points);
          return FALSE;
        }
      const char *what_if0 = g_array_index (results, SweepResult, 0).config.what_if;
      if (strcmp (r->config.what_if, what_if0) != 0)
        {
          g_set_error (error, SWEEP_ERROR, SWEEP_ERROR_CSV,
                       "rows come from sweeps with different what-ifs ('%s' and '%s'): merge "
                       "shards of one sweep only",
                       *what_if0 ? what_if0 : "none", *r->config.what_if ? r->config.what_if : "none");
          return FALSE;
        }
      if (i > 0 && g_array_index (results, SweepResult, i - 1).point == r->point)
        {
          g_autofree char *desc = amla_config_describe (&r->config);
          g_set_error (error, SWEEP_ERROR, SWEEP_ERROR_INCOMPLETE,
                       "point %" G_GUINT64_FORMAT " (%s) appears twice: overlapping shards?",
                       r->point, desc);
          return FALSE;
        }
    }
  /* The values seen span a grid; if it has the announced size, every row must sit at its point
   * (same axes, same order), otherwise the files come from different sweeps. */
  g_autoptr (SweepGrid) grid = sweep_grid_from_results (results);
  guint64 size = sweep_grid_size (grid);
  if (size > points)
    {
      g_set_error (error, SWEEP_ERROR, SWEEP_ERROR_CSV,
                   "rows come from different grids (their values span %" G_GUINT64_FORMAT
                   " configurations, the files announce %" G_GUINT64_FORMAT ")",
                   size, points);
      return FALSE;
    }
  if (size == points)
    for (guint i = 0; i < results->len; i++)
      {
        const SweepResult *r = &g_array_index (results, SweepResult, i);
        guint64 at = 0;
        if (!sweep_grid_index_of (grid, &r->config, &at) || at != r->point)
          {
            g_set_error (error, SWEEP_ERROR, SWEEP_ERROR_CSV,
                         "point %" G_GUINT64_FORMAT " holds a configuration of another grid: "
                         "merge shards of one sweep only",
                         r->point);
            return FALSE;
          }
      }
  if (results->len < points && !allow_gaps)
    {
      g_autoptr (GString) missing = g_string_new (NULL);
      guint shown = 0;
      guint64 p = 0;
      for (guint i = 0; i <= results->len && shown < 10; i++)
        {
          guint64 until = i < results->len ? g_array_index (results, SweepResult, i).point : points;
          for (; p < until && shown < 10; p++, shown++)
            g_string_append_printf (missing, "%s%" G_GUINT64_FORMAT, shown ? ", " : "", p);
          p = until + 1;
        }
      g_set_error (
          error, SWEEP_ERROR, SWEEP_ERROR_INCOMPLETE,
          "%" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT " points are missing (points %s%s): "
          "a shard is absent or unfinished (--allow-gaps merges anyway)",
          points - results->len, points, missing->str, points - results->len > shown ? ", …" : "");
      return FALSE;
    }
  /* checked: the rows are one sweep's, as one unsharded run writes them ("shard 1/1") */
  for (guint i = 0; i < results->len; i++)
    {
      SweepResult *r = &g_array_index (results, SweepResult, i);
      if (r->shard_count > 0)
        {
          r->shard_index = 0;
          r->shard_count = 1;
        }
    }
  return TRUE;
}
