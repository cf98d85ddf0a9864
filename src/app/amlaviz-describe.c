/* src/app/amlaviz-describe.c — plain-words text for spans and metrics (see the header). */
#include "src/app/amlaviz-describe.h"

#include <json-c/json.h>
#include <math.h>
#include <string.h>

char *
amlaviz_format_time (double ns)
{
  double a = fabs (ns);
  if (a < 1e3)
    return g_strdup_printf ("%.0f ns", ns);
  if (a < 1e6)
    return g_strdup_printf ("%.3f µs", ns / 1e3);
  if (a < 1e9)
    return g_strdup_printf ("%.3f ms", ns / 1e6);
  return g_strdup_printf ("%.3f s", ns / 1e9);
}

char *
amlaviz_format_bytes (double bytes)
{
  if (bytes < 1024)
    return g_strdup_printf ("%.0f B", bytes);
  if (bytes < 1024.0 * 1024)
    return g_strdup_printf ("%.1f KiB", bytes / 1024);
  if (bytes < 1024.0 * 1024 * 1024)
    return g_strdup_printf ("%.2f MiB", bytes / (1024.0 * 1024));
  return g_strdup_printf ("%.2f GiB", bytes / (1024.0 * 1024 * 1024));
}

const char *
amlaviz_stage_title (SimStage stage)
{
  switch (stage)
    {
    case SIM_STAGE_C1:
      return "C1 · S = Q·Kᵀ (Cube)";
    case SIM_STAGE_V1:
      return "V1 · online softmax + rescale (Vector)";
    case SIM_STAGE_C2:
      return "C2 · O += P·V (Cube)";
    case SIM_STAGE_V2:
      return "V2 · final normalise O / ℓ (Vector)";
    case SIM_STAGE_COMBINE:
      return "combine split-KV partials (Vector)";
    case SIM_STAGE_SYNC:
      return "synchronisation";
    default:
      return "no stage";
    }
}

gboolean
amlaviz_group_in_aic_group (const SimGroup *group, int aic_index, int aiv_per_aic)
{
  if (aiv_per_aic <= 0)
    aiv_per_aic = 2;
  switch (group->kind)
    {
    case SIM_CORE_AIC:
      return group->core_index == aic_index;
    case SIM_CORE_AIV:
      return group->core_index >= 0 && group->core_index / aiv_per_aic == aic_index;
    default:
      return TRUE; /* a foreign trace's processes: nothing to group by */
    }
}

/* An imported event's own cat and args (SimSpan.extra), one line each, as Perfetto lists them:
 * strings without quotes, other values as compact JSON; long values and long lists cut. */
#define DESCRIBE_MAX_ARGS 16
#define DESCRIBE_MAX_VALUE 80

static void
append_value_line (GString *out, const char *key, const char *value)
{
  glong n = g_utf8_strlen (value, -1);
  g_autofree char *cut
      = n > DESCRIBE_MAX_VALUE ? g_utf8_substring (value, 0, DESCRIBE_MAX_VALUE - 1) : NULL;
  g_autofree char *line
      = g_markup_printf_escaped ("%s: %s%s\n", key, cut ? cut : value, cut ? "…" : "");
  g_string_append (out, line);
}

/* The members of a JSON object's text, one line each (at most *budget lines, counted down). */
static void
append_members (GString *out, json_tokener *tok, const char *text, gsize len, int *budget)
{
  json_tokener_reset (tok);
  json_object *a = json_tokener_parse_ex (tok, text, (int) len + 1); /* NUL ends a number */
  if (!json_object_is_type (a, json_type_object))
    {
      g_autofree char *raw = g_strndup (text, len);
      append_value_line (out, "args", raw); /* not an object, or deeper than json-c reads */
    }
  else
    {
      int n = json_object_object_length (a), shown = 0;
      json_object_object_foreach (a, key, val)
      {
        if (*budget == 0)
          break;
        append_value_line (out, key,
                           json_object_is_type (val, json_type_string)
                               ? json_object_get_string (val)
                               : json_object_to_json_string_ext (
                                   val, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
        shown++;
        (*budget)--;
      }
      if (n > shown)
        g_string_append_printf (out, "<i>… %d more</i>\n", n - shown);
    }
  json_object_put (a);
}

static void
describe_extra (GString *out, const SimTrace *trace, const SimSpan *s)
{
  SimSpanExtra x;
  if (!sim_span_extra (trace, s, &x))
    return;
  json_tokener *tok = json_tokener_new_ex (JSON_TOKENER_DEFAULT_DEPTH);
  if (x.cat_len > 0)
    {
      json_object *c = json_tokener_parse_ex (tok, x.cat, (int) x.cat_len);
      if (json_object_is_type (c, json_type_string))
        append_value_line (out, "category", json_object_get_string (c));
      json_object_put (c);
    }
  int budget = DESCRIBE_MAX_ARGS;
  if (x.args_len > 0)
    append_members (out, tok, x.args, x.args_len, &budget);
  if (x.other_len > 0 && budget > 0)
    {
      g_autofree char *obj = g_strdup_printf ("{%.*s}", (int) x.other_len, x.other);
      append_members (out, tok, obj, strlen (obj), &budget);
    }
  json_tokener_free (tok);
}

char *
amlaviz_span_describe (const SimTrace *trace, int group, int lane, gsize span)
{
  const SimLane *l = sim_trace_lane (trace, (guint) group, (guint) lane);
  if (l == NULL || span >= l->n_spans)
    return g_strdup ("");
  const SimGroup *g = g_ptr_array_index (trace->groups, group);
  const SimSpan *s = &l->spans[span];
  g_autofree char *start = amlaviz_format_time (s->start_ns);
  g_autofree char *dur = amlaviz_format_time (s->dur_ns);
  GString *out = g_string_new (NULL);
  g_autofree char *head = g_markup_printf_escaped ("<b>%s</b>  <small>%s / %s</small>\n",
                                                   sim_trace_string (trace, s->name), g->name,
                                                   l->name);
  g_string_append (out, head);
  if (s->stage != SIM_STAGE_NONE)
    g_string_append_printf (out, "stage %s\n", amlaviz_stage_title (s->stage));
  if (s->task >= 0)
    g_string_append_printf (out, "task %d", s->task);
  if (s->iter >= 0)
    g_string_append_printf (out, "%siteration (KV block) %d", s->task >= 0 ? ", " : "", s->iter);
  if (s->task >= 0 || s->iter >= 0)
    g_string_append_c (out, '\n');
  g_string_append_printf (out, "start %s, duration %s\n", start, dur);
  if (s->bytes)
    {
      g_autofree char *b = amlaviz_format_bytes ((double) s->bytes);
      double gbps = s->dur_ns > 0 ? (double) s->bytes / s->dur_ns : 0;
      g_string_append_printf (out, "%s moved (%.1f GB/s)\n", b, gbps);
    }
  if (s->flops)
    g_string_append_printf (out, "%.3g FLOPs (%.2f TFLOPS on this core)\n", (double) s->flops,
                            s->dur_ns > 0 ? (double) s->flops / s->dur_ns / 1e3 : 0);
  if (s->detail)
    {
      g_autofree char *d = g_markup_printf_escaped ("%s\n", sim_trace_string (trace, s->detail));
      g_string_append (out, d);
    }
  if (s->flags & SIM_SPAN_ATOMIC)
    g_string_append (out, "atomic-add write\n");
  if (s->flags & SIM_SPAN_L2_HIT)
    g_string_append (out, "read served by L2\n");
  if (s->flags & SIM_SPAN_WAIT)
    g_string_append (out, "waiting (flag or barrier)\n");
  describe_extra (out, trace, s);
  if (out->len && out->str[out->len - 1] == '\n')
    g_string_truncate (out, out->len - 1);
  return g_string_free (out, FALSE);
}

/* One metrics row: the value, or B, A and B − A side by side when a run is pinned. */
/* Right-align s in width characters (not bytes: "µs" and "−" are two and three bytes). */
static void
pad_right (GString *out, const char *s, int width)
{
  for (int n = (int) g_utf8_strlen (s, -1); n < width; n++)
    g_string_append_c (out, ' ');
  g_string_append (out, s);
}

/* With a pinned run the block has three value columns and must fit the controls pane (about 47
 * characters): shorter labels, 10-character columns, 4 significant digits for times. */
static const char *
short_label (const char *label)
{
  if (g_str_equal (label, "Cube+Vector overlap"))
    return "Cube+Vec overlap";
  if (g_str_equal (label, "Cube utilisation"))
    return "Cube util.";
  return label;
}

/* One metrics row: the value, or B, A and B − A side by side when a run is pinned. */
static void
row (GString *out, const char *label, const char *a, const char *b, const char *delta)
{
  if (b == NULL)
    {
      g_string_append_printf (out, "%-19s", label);
      pad_right (out, a, 12);
    }
  else
    {
      g_string_append_printf (out, "%-16s", short_label (label));
      pad_right (out, a, 10);
      pad_right (out, b, 10);
      pad_right (out, delta ? delta : "", 10);
    }
  g_string_append_c (out, '\n');
}

/* A signed difference with a real minus sign: "+1.2 pt", "−21.9 pt". */
static void
signed_text (char *buf, gsize n, double v, const char *fmt_abs)
{
  char abs_text[32];
  g_snprintf (abs_text, sizeof abs_text, fmt_abs, fabs (v));
  g_snprintf (buf, n, "%s%s", v < 0 ? "\u2212" : "+", abs_text);
}

/* "501.8 µs", "1.204 ms" — four significant digits, for the A/B columns. */
static char *
time_compact (double ns)
{
  double a = fabs (ns);
  if (a < 1e3)
    return g_strdup_printf ("%.0f ns", a);
  if (a < 1e6)
    return g_strdup_printf ("%.4g µs", a / 1e3);
  if (a < 1e9)
    return g_strdup_printf ("%.4g ms", a / 1e6);
  return g_strdup_printf ("%.4g s", a / 1e9);
}

static void
row_pct (GString *out, const char *label, double a, const SimMetrics *pinned, double b)
{
  char sa[32], sb[32], sd[32];
  g_snprintf (sa, sizeof sa, "%.1f %%", 100 * a);
  g_snprintf (sb, sizeof sb, "%.1f %%", 100 * b);
  signed_text (sd, sizeof sd, 100 * (a - b), "%.1f pt"); /* percentage points */
  row (out, label, sa, pinned ? sb : NULL, sd);
}

char *
amlaviz_numerics_describe (const AmlaNumReport *r, AmlaRescale drawn, gboolean of_current)
{
  static const struct
  {
    AmlaNumPath path;
    const char *label;
  } paths[] = { { AMLA_NUM_AMLA, "AMLA" },
                { AMLA_NUM_AMLA_NOCOMP, "AMLA no comp" },
                { AMLA_NUM_FA_MUL, "FA multiply" } };
  gboolean any_non_finite = FALSE;
  for (int p = 0; p < AMLA_NUM_N_PATHS; p++)
    any_non_finite |= r->err[p].non_finite > 0;
  GString *out = g_string_new (NULL);
  g_autofree char *title = g_markup_printf_escaped (
      "<b>%sNumerics</b> (%d of %d rows sampled)\n", of_current ? "B: " : "", r->rows_sampled,
      r->rows_total);
  g_string_append (out, title);
  /* the same column grid as the metrics rows above: 18-char labels, right-aligned numbers */
  g_autofree char *head = g_strdup_printf ("%-18s %9s %9s%s", "error vs exact", "max abs",
                                           "mean abs", any_non_finite ? " non-fin" : "");
  g_autofree char *head_esc = g_markup_escape_text (head, -1);
  g_string_append_printf (out, "<tt>%s", head_esc);
  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      const AmlaNumError *e = &r->err[paths[i].path];
      gboolean bold = paths[i].path == (drawn == AMLA_RESCALE_MUL ? AMLA_NUM_FA_MUL : AMLA_NUM_AMLA);
      g_autofree char *nf = g_strdup_printf (" %7" G_GUINT64_FORMAT, e->non_finite);
      g_autofree char *line = g_strdup_printf ("%-18s %9.2e %9.2e%s", paths[i].label, e->max_abs,
                                               e->mean_abs, any_non_finite ? nf : "");
      g_autofree char *esc = g_markup_escape_text (line, -1);
      g_string_append_printf (out, "\n%s%s%s", bold ? "<b>" : "", esc, bold ? "</b>" : "");
    }
  g_string_append (out, "</tt>");
  g_autofree char *note = g_markup_printf_escaped (
      "\n<small>FP32 output vs softmax in double, S_kv = %d; bold: the rescale drawn.</small>",
      r->kv_len);
  g_string_append (out, note);
  return g_string_free (out, FALSE);
}

char *
amlaviz_metrics_describe (const SimMetrics *m, const SimMetrics *p)
{
  GString *out = g_string_new ("<tt>");
  GString *txt = g_string_new (NULL);
  if (p)
    row (txt, "", "B now", "A pinned", "B \u2212 A");
  g_autofree char *ta = p ? time_compact (m->total_ns) : amlaviz_format_time (m->total_ns);
  g_autofree char *tb = p ? time_compact (p->total_ns) : NULL;
  g_autofree char *dt = p ? time_compact (m->total_ns - p->total_ns) : NULL;
  g_autofree char *dts = p ? g_strdup_printf ("%s%s", m->total_ns < p->total_ns ? "\u2212" : "+", dt)
                           : NULL;
  row (txt, "total time", ta, tb, dts);
  char fa[32], fb[32], fd[32];
  g_snprintf (fa, sizeof fa, "%.1f", m->tflops);
  g_snprintf (fb, sizeof fb, "%.1f", p ? p->tflops : 0);
  signed_text (fd, sizeof fd, p ? m->tflops - p->tflops : 0, "%.1f");
  row (txt, "TFLOPS", fa, p ? fb : NULL, fd);
  row_pct (txt, "Cube utilisation", m->cube_utilization, p, p ? p->cube_utilization : 0);
  row_pct (txt, "Cube+Vector overlap", m->cube_vector_overlap, p, p ? p->cube_vector_overlap : 0);
  static const SimPipe aic_pipes[] = { SIM_PIPE_MTE2, SIM_PIPE_MTE1, SIM_PIPE_CUBE,
                                       SIM_PIPE_FIXPIPE };
  static const SimPipe aiv_pipes[] = { SIM_PIPE_MTE2, SIM_PIPE_VECTOR, SIM_PIPE_MTE3 };
  for (guint i = 0; i < G_N_ELEMENTS (aic_pipes); i++)
    {
      g_autofree char *label = g_strdup_printf ("AIC %s busy", sim_pipe_name (aic_pipes[i]));
      row_pct (txt, label, m->busy_aic[aic_pipes[i]], p, p ? p->busy_aic[aic_pipes[i]] : 0);
    }
  for (guint i = 0; i < G_N_ELEMENTS (aiv_pipes); i++)
    {
      g_autofree char *label = g_strdup_printf ("AIV %s busy", sim_pipe_name (aiv_pipes[i]));
      row_pct (txt, label, m->busy_aiv[aiv_pipes[i]], p, p ? p->busy_aiv[aiv_pipes[i]] : 0);
    }
  row_pct (txt, "HBM busy", m->hbm_busy, p, p ? p->hbm_busy : 0);
  row_pct (txt, "L2 busy", m->l2_busy, p, p ? p->l2_busy : 0);
  row (txt, "bound by", sim_bound_name (m->bound), p ? sim_bound_name (p->bound) : NULL,
       p && m->bound != p->bound ? "changed" : NULL);
  g_autofree char *esc = g_markup_escape_text (txt->str, -1);
  g_string_append (out, esc);
  g_string_append (out, "</tt>");
  if (m->reason[0])
    {
      g_autofree char *r = g_markup_printf_escaped ("\n<small>%s%s</small>", p ? "B: " : "",
                                                    m->reason);
      g_string_append (out, r);
    }
  if (p && p->reason[0])
    {
      g_autofree char *r = g_markup_printf_escaped ("\n<small>A: %s</small>", p->reason);
      g_string_append (out, r);
    }
  g_string_free (txt, TRUE);
  return g_string_free (out, FALSE);
}
