/* src/app/amlaviz-describe-flags.c — the flags around a span, and one flag (flow), as markup
 * with links the details pane follows (see amlaviz-describe.h). */
#include "src/app/amlaviz-describe.h"

#include <math.h>
#include <stdio.h>

/* Index of the first real op of lane that is running or starts at t_ns (the op a wait let go);
 * -1 if none. */
static gssize
op_at_or_after (const SimLane *lane, double t_ns)
{
  for (gsize i = sim_lane_first_visible (lane, t_ns - 1); i < lane->n_spans; i++)
    {
      const SimSpan *s = &lane->spans[i];
      if (s->start_ns + s->dur_ns < t_ns - 1 || (s->flags & SIM_SPAN_WAIT))
        continue;
      return (gssize) i;
    }
  return -1;
}

/* Index of the op of lane that ends at (or covers) t_ns (the op that set a flag); -1 if none. */
static gssize
op_ending_at (const SimLane *lane, double t_ns)
{
  gssize best = -1;
  for (gsize i = sim_lane_first_visible (lane, t_ns - 1); i < lane->n_spans; i++)
    {
      const SimSpan *s = &lane->spans[i];
      if (s->start_ns > t_ns + 1)
        break;
      if (s->start_ns + s->dur_ns >= t_ns - 1 && !(s->flags & SIM_SPAN_WAIT))
        best = (gssize) i;
    }
  return best;
}

char *
amlaviz_span_link (gboolean pinned, int group, int lane, gsize span)
{
  return g_strdup_printf ("span:%c:%d:%d:%" G_GSIZE_FORMAT, pinned ? 'a' : 'b', group, lane, span);
}

gboolean
amlaviz_span_link_parse (const char *uri, gboolean *pinned, int *group, int *lane, gsize *span)
{
  char which;
  int g, l;
  unsigned long long i;
  if (uri == NULL || sscanf (uri, "span:%c:%d:%d:%llu", &which, &g, &l, &i) != 4
      || (which != 'a' && which != 'b') || g < 0 || l < 0)
    return FALSE;
  *pinned = which == 'a';
  *group = g;
  *lane = l;
  *span = (gsize) i;
  return TRUE;
}

/* "<a href=…>op</a> on AIC0 / FIXPIPE at 12.011 µs" */
static void
append_op (GString *out, const SimTrace *trace, gboolean pinned, int g, int l, gsize i, double t)
{
  const SimGroup *grp = g_ptr_array_index (trace->groups, g);
  const SimLane *lane = g_ptr_array_index (grp->lanes, l);
  g_autofree char *href = amlaviz_span_link (pinned, g, l, i);
  g_autofree char *at = amlaviz_format_time (t);
  g_autofree char *s = g_markup_printf_escaped ("<a href=\"%s\">%s</a> on %s / %s at %s", href,
                                                sim_trace_string (trace, lane->spans[i].name),
                                                grp->name, lane->name, at);
  g_string_append (out, s);
}

/* The other AIVs of the AIC group of `group` that ran the same op (name, task, KV block) on the
 * same pipe and finished by t_ns: with two AIVs a flag to the Cube is set by both, the trace's
 * flow names only the one whose set completed it. */
static void
append_sibling_sets (GString *out, const SimTrace *trace, gboolean pinned, int group, int lane,
                     gsize span, double by_ns)
{
  const SimGroup *src = g_ptr_array_index (trace->groups, group);
  if (src->kind != SIM_CORE_AIV || src->core_index < 0)
    return;
  const SimLane *sl = g_ptr_array_index (src->lanes, lane);
  const SimSpan *ss = &sl->spans[span];
  for (guint g = 0; g < trace->groups->len; g++)
    {
      const SimGroup *grp = g_ptr_array_index (trace->groups, g);
      if ((int) g == group || grp->kind != SIM_CORE_AIV
          || grp->core_index / 2 != src->core_index / 2)
        continue;
      for (guint l = 0; l < grp->lanes->len; l++)
        {
          const SimLane *ol = g_ptr_array_index (grp->lanes, l);
          if (g_strcmp0 (ol->name, sl->name) != 0)
            continue;
          gssize best = -1;
          for (gsize i = 0; i < ol->n_spans && ol->spans[i].start_ns <= by_ns; i++)
            {
              const SimSpan *o = &ol->spans[i];
              if (o->name == ss->name && o->task == ss->task && o->iter == ss->iter
                  && o->start_ns + o->dur_ns <= by_ns + 1)
                best = (gssize) i;
            }
          if (best < 0)
            continue;
          const SimSpan *o = &ol->spans[best];
          g_string_append (out, "\n    and by ");
          append_op (out, trace, pinned, (int) g, (int) l, (gsize) best, o->start_ns + o->dur_ns);
        }
    }
}

char *
amlaviz_span_flags_describe (const SimTrace *trace, gboolean pinned, int group, int lane,
                             gsize span)
{
  const SimLane *l = sim_trace_lane (trace, (guint) group, (guint) lane);
  if (l == NULL || span >= l->n_spans || trace->flows == NULL)
    return g_strdup ("");
  const SimSpan *s = &l->spans[span];
  GString *waited = g_string_new (NULL), *set = g_string_new (NULL);
  guint n_set = 0;
  for (guint k = 0; k < trace->flows->len; k++)
    {
      const SimFlow *f = &g_array_index (trace->flows, SimFlow, k);
      g_autofree char *flag = g_markup_escape_text (sim_trace_string (trace, f->name), -1);
      if ((int) f->dst_group == group && (int) f->dst_lane == lane && f->dst_ns >= s->start_ns - 1
          && f->dst_ns <= s->start_ns + s->dur_ns + 1
          && op_at_or_after (l, f->dst_ns) == (gssize) span)
        {
          const SimLane *sl = sim_trace_lane (trace, f->src_group, f->src_lane);
          gssize si = sl ? op_ending_at (sl, f->src_ns) : -1;
          g_string_append_printf (waited, "  “%s”, set by ", flag);
          if (si >= 0)
            {
              append_op (waited, trace, pinned, (int) f->src_group, (int) f->src_lane, (gsize) si,
                         f->src_ns);
              append_sibling_sets (waited, trace, pinned, (int) f->src_group, (int) f->src_lane,
                                   (gsize) si, f->dst_ns);
            }
          else
            g_string_append (waited, "—");
          g_string_append_c (waited, '\n');
        }
      if ((int) f->src_group == group && (int) f->src_lane == lane && f->src_ns >= s->start_ns - 1
          && f->src_ns <= s->start_ns + s->dur_ns + 1
          && op_ending_at (l, f->src_ns) == (gssize) span && n_set++ < 12)
        {
          const SimLane *dl = sim_trace_lane (trace, f->dst_group, f->dst_lane);
          gssize di = dl ? op_at_or_after (dl, f->dst_ns) : -1;
          g_string_append_printf (set, "  “%s”, waited for by ", flag);
          if (di >= 0)
            append_op (set, trace, pinned, (int) f->dst_group, (int) f->dst_lane, (gsize) di,
                       f->dst_ns);
          else
            g_string_append (set, "—");
          g_string_append_c (set, '\n');
        }
    }
  GString *out = g_string_new (NULL);
  if (waited->len)
    g_string_append_printf (out, "\n<b>Waited for flag</b>\n%s", waited->str);
  if (set->len)
    {
      g_string_append_printf (out, "\n<b>Sets flag</b>\n%s", set->str);
      if (n_set > 12)
        g_string_append_printf (out, "  … and %u more\n", n_set - 12);
    }
  g_string_free (waited, TRUE);
  g_string_free (set, TRUE);
  if (out->len && out->str[out->len - 1] == '\n')
    g_string_truncate (out, out->len - 1);
  return g_string_free (out, FALSE);
}

char *
amlaviz_flow_describe (const SimTrace *trace, gboolean pinned, guint flow)
{
  if (trace->flows == NULL || flow >= trace->flows->len)
    return g_strdup ("");
  const SimFlow *f = &g_array_index (trace->flows, SimFlow, flow);
  GString *out = g_string_new (NULL);
  g_autofree char *head
      = g_markup_printf_escaped ("<b>flag “%s”</b>\n", sim_trace_string (trace, f->name));
  g_string_append (out, head);
  if (f->cat != 0)
    {
      /* an imported flow's own category (PyTorch's "ac2g"), as Perfetto lists it */
      g_autofree char *cat
          = g_markup_printf_escaped ("category: %s\n", sim_trace_string (trace, f->cat));
      g_string_append (out, cat);
    }
  const SimLane *sl = sim_trace_lane (trace, f->src_group, f->src_lane);
  const SimLane *dl = sim_trace_lane (trace, f->dst_group, f->dst_lane);
  gssize si = sl ? op_ending_at (sl, f->src_ns) : -1;
  gssize di = dl ? op_at_or_after (dl, f->dst_ns) : -1;
  g_string_append (out, "set by ");
  if (si >= 0)
    {
      append_op (out, trace, pinned, (int) f->src_group, (int) f->src_lane, (gsize) si, f->src_ns);
      append_sibling_sets (out, trace, pinned, (int) f->src_group, (int) f->src_lane, (gsize) si,
                           f->dst_ns);
    }
  else
    g_string_append (out, "—");
  g_string_append (out, "\nlets go ");
  if (di >= 0)
    append_op (out, trace, pinned, (int) f->dst_group, (int) f->dst_lane, (gsize) di, f->dst_ns);
  else
    g_string_append (out, "—");
  g_autofree char *lat = amlaviz_format_time (f->dst_ns - f->src_ns);
  g_string_append_printf (out, "\nfrom set to release: %s", lat);
  return g_string_free (out, FALSE);
}

char *
amlaviz_flow_tooltip (const SimTrace *trace, guint flow)
{
  const SimFlow *f = &g_array_index (trace->flows, SimFlow, flow);
  const SimGroup *sg = g_ptr_array_index (trace->groups, f->src_group);
  const SimGroup *dg = g_ptr_array_index (trace->groups, f->dst_group);
  const SimLane *sl = sim_trace_lane (trace, f->src_group, f->src_lane);
  const SimLane *dl = sim_trace_lane (trace, f->dst_group, f->dst_lane);
  g_autofree char *a = amlaviz_format_time (f->src_ns), *b = amlaviz_format_time (f->dst_ns);
  g_autofree char *lat = amlaviz_format_time (f->dst_ns - f->src_ns);
  return g_markup_printf_escaped ("<b>flag “%s”</b>\nset by %s / %s at %s\nreleases %s / %s at "
                                  "%s (%s later)\n<small>click to select the flag</small>",
                                  sim_trace_string (trace, f->name), sg->name, sl ? sl->name : "?",
                                  a, dg->name, dl ? dl->name : "?", b, lat);
}
