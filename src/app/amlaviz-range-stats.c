/* src/app/amlaviz-range-stats.c — aggregates over a measured time range (see the header). */
#include "src/app/amlaviz-range-stats.h"
#include "src/app/amlaviz-describe.h"

#include <string.h>

void
amlaviz_range_stats_clear (AmlavizRangeStats *stats)
{
  if (stats->lanes)
    g_array_free (stats->lanes, TRUE);
  memset (stats, 0, sizeof *stats);
}

void
amlaviz_range_stats_compute (AmlavizRangeStats *st, const SimTrace *trace, const guint8 *hidden,
                             double t0, double t1)
{
  memset (st, 0, sizeof *st);
  if (t1 < t0)
    {
      double t = t0;
      t0 = t1;
      t1 = t;
    }
  st->t0_ns = t0;
  st->t1_ns = t1;
  st->lanes = g_array_new (FALSE, FALSE, sizeof (AmlavizLaneBusy));
  for (guint g = 0; trace && g < trace->groups->len; g++)
    {
      if (hidden && hidden[g])
        continue;
      const SimGroup *grp = g_ptr_array_index (trace->groups, g);
      for (guint l = 0; l < grp->lanes->len; l++)
        {
          const SimLane *lane = g_ptr_array_index (grp->lanes, l);
          AmlavizLaneBusy lb = { g, l, 0 };
          for (gsize i = sim_lane_first_visible (lane, t0); i < lane->n_spans; i++)
            {
              const SimSpan *s = &lane->spans[i];
              if (s->start_ns >= t1)
                break;
              double a = MAX (s->start_ns, t0), b = MIN (s->start_ns + s->dur_ns, t1);
              if (b <= a || (s->flags & SIM_SPAN_WAIT))
                continue;
              double part = b - a;
              /* nested (imported) spans would double-count the lane's busy time */
              if (s->depth == 0)
                lb.busy_ns += part;
              guint stage = s->stage < SIM_N_STAGES ? s->stage : SIM_STAGE_NONE;
              st->stage_ns[stage] += part;
              st->stage_bytes[stage] += s->dur_ns > 0 ? s->bytes * (part / s->dur_ns) : s->bytes;
              st->stage_spans[stage]++;
            }
          g_array_append_val (st->lanes, lb);
        }
    }
}

char *
amlaviz_range_stats_describe (const AmlavizRangeStats *st, const SimTrace *trace)
{
  double len = st->t1_ns - st->t0_ns;
  g_autofree char *d = amlaviz_format_time (len);
  g_autofree char *a = amlaviz_format_time (st->t0_ns);
  g_autofree char *b = amlaviz_format_time (st->t1_ns);
  GString *out = g_string_new (NULL);
  g_string_append_printf (out, "<b>Range %s</b>  <small>%s → %s</small>\n\n<b>Busy per pipe</b>\n<tt>",
                          d, a, b);
  for (guint i = 0; i < st->lanes->len; i++)
    {
      const AmlavizLaneBusy *lb = &g_array_index (st->lanes, AmlavizLaneBusy, i);
      const SimLane *lane = sim_trace_lane (trace, lb->group, lb->lane);
      const SimGroup *grp = g_ptr_array_index (trace->groups, lb->group);
      g_autofree char *busy = amlaviz_format_time (lb->busy_ns);
      g_autofree char *label = g_strdup_printf ("%s %s", grp->name, lane->name);
      g_autofree char *line = g_markup_printf_escaped ("%-16s %12s %5.1f %%\n", label, busy,
                                                      len > 0 ? 100 * lb->busy_ns / len : 0);
      g_string_append (out, line);
    }
  /* summed over pipes (and cores): two pipes busy for 1 µs are 2 µs of pipe-time, so these can
   * exceed the range's length — say so rather than let it read as wall time */
  g_string_append (out, "</tt>\n<b>Per stage: pipe-time</b> <small>(summed over pipes and cores, "
                        "so it can exceed the range)</small>\n<tt>");
  for (int s = 0; s < SIM_N_STAGES; s++)
    {
      if (st->stage_spans[s] == 0)
        continue;
      g_autofree char *t = amlaviz_format_time (st->stage_ns[s]);
      g_autofree char *by = amlaviz_format_bytes (st->stage_bytes[s]);
      const char *name = s == SIM_STAGE_NONE ? "other" : sim_stage_name (s);
      g_autofree char *line = g_markup_printf_escaped ("%-4s %5u ops %11s %9s\n",
                                                      name, st->stage_spans[s], t, by);
      g_string_append (out, line);
    }
  g_string_append (out, "</tt>");
  return g_string_free (out, FALSE);
}
