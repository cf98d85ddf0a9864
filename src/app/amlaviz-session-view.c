/* src/app/amlaviz-session-view.c — the visible time window, selection, measured range and
 * collapsed groups (see amlaviz-session.h). */
#include "src/app/amlaviz-session-private.h"
#include "src/app/amlaviz-describe.h"
#include "src/app/amlaviz-range-stats.h"

#include <math.h>
#include <string.h>

/* ------------------------------------------------------------------ view state */

void
amlaviz_session_get_window (AmlavizSession *self, double *t0, double *t1)
{
  *t0 = self->t0_ns;
  *t1 = self->t1_ns;
}

void
amlaviz_session_set_window (AmlavizSession *self, double t0, double t1)
{
  if (!(t1 > t0) || !isfinite (t0) || !isfinite (t1))
    return;
  if (t1 - t0 < 1)
    {
      double mid = (t0 + t1) / 2; /* 1 ns is the finest anything in a trace means */
      t0 = mid - 0.5;
      t1 = mid + 0.5;
    }
  self->t0_ns = t0;
  self->t1_ns = t1;
  _amlaviz_session_view_changed (self);
}

/* The extent of the shown runs (A and B); FALSE when there is none. */
gboolean
_amlaviz_session_run_extent (AmlavizSession *self, double *t0, double *t1)
{
  const SimTrace *a = shown_trace (self->current), *b = shown_trace (self->pinned);
  *t0 = INFINITY, *t1 = -INFINITY;
  if (a)
    *t0 = MIN (*t0, a->start_ns), *t1 = MAX (*t1, a->end_ns);
  if (b)
    *t0 = MIN (*t0, b->start_ns), *t1 = MAX (*t1, b->end_ns);
  return *t1 > *t0;
}

void
amlaviz_session_zoom (AmlavizSession *self, double factor, double anchor)
{
  if (!(factor > 0))
    return;
  double t0 = anchor - (anchor - self->t0_ns) / factor;
  double t1 = anchor + (self->t1_ns - anchor) / factor;
  double r0, r1;
  if (factor < 1 && _amlaviz_session_run_extent (self, &r0, &r1))
    {
      /* zooming out stops at the whole run: no seconds of empty axis, no negative time */
      if (t1 - t0 >= r1 - r0)
        t0 = r0, t1 = r1;
      else if (t0 < r0 && self->t0_ns >= r0)
        t1 += r0 - t0, t0 = r0;
      else if (t1 > r1 && self->t1_ns <= r1)
        t0 -= t1 - r1, t1 = r1;
    }
  amlaviz_session_set_window (self, t0, t1);
}

void
amlaviz_session_pan (AmlavizSession *self, double fraction)
{
  double d = (self->t1_ns - self->t0_ns) * fraction;
  amlaviz_session_set_window (self, self->t0_ns + d, self->t1_ns + d);
}

void
amlaviz_session_fit (AmlavizSession *self)
{
  const SimTrace *a = shown_trace (self->current), *b = shown_trace (self->pinned);
  double t0 = INFINITY, t1 = -INFINITY;
  if (a)
    t0 = MIN (t0, a->start_ns), t1 = MAX (t1, a->end_ns);
  if (b)
    t0 = MIN (t0, b->start_ns), t1 = MAX (t1, b->end_ns);
  if (!(t1 > t0))
    t0 = 0, t1 = 1000;
  amlaviz_session_set_window (self, t0, t1);
}

void
amlaviz_session_select_span (AmlavizSession *self, gboolean pinned, int group, int lane, gsize span)
{
  const SimTrace *t = amlaviz_session_get_trace (self, pinned);
  const SimLane *l = t ? sim_trace_lane (t, (guint) group, (guint) lane) : NULL;
  if (l == NULL || span >= l->n_spans)
    return;
  self->sel_pinned = pinned;
  self->sel_group = group;
  self->sel_lane = lane;
  self->sel_span = span;
  self->sel_flow = -1;
  g_autofree char *what = amlaviz_span_describe (t, group, lane, span);
  g_autofree char *flags = amlaviz_span_flags_describe (t, pinned, group, lane, span);
  _amlaviz_session_set_details (self, g_strconcat (what, flags[0] ? "\n" : "", flags, NULL));
  _amlaviz_session_view_changed (self);
}

void
amlaviz_session_select_flow (AmlavizSession *self, gboolean pinned, int flow)
{
  const SimTrace *t = amlaviz_session_get_trace (self, pinned);
  if (t == NULL || flow < 0 || (guint) flow >= t->flows->len)
    return;
  self->sel_group = -1;
  self->sel_pinned = pinned;
  self->sel_flow = flow;
  _amlaviz_session_set_details (self, amlaviz_flow_describe (t, pinned, (guint) flow));
  _amlaviz_session_view_changed (self);
}

int
amlaviz_session_get_selected_flow (AmlavizSession *self, gboolean pinned)
{
  return self->sel_flow >= 0 && self->sel_pinned == pinned ? self->sel_flow : -1;
}

void
amlaviz_session_clear_selection (AmlavizSession *self)
{
  self->sel_group = -1;
  self->sel_flow = -1;
  self->range_t0_ns = self->range_t1_ns = 0;
  self->step_index = -1;
  _amlaviz_session_view_changed (self);
}

void
amlaviz_session_get_selection (AmlavizSession *self, gboolean pinned, int *group, int *lane,
                               gsize *span)
{
  gboolean here = self->sel_group >= 0 && self->sel_pinned == pinned;
  *group = here ? self->sel_group : -1;
  *lane = here ? self->sel_lane : -1;
  *span = here ? self->sel_span : 0;
}

void
amlaviz_session_set_range (AmlavizSession *self, double t0, double t1)
{
  if (t1 < t0)
    {
      double t = t0;
      t0 = t1;
      t1 = t;
    }
  self->range_t0_ns = t0;
  self->range_t1_ns = t1;
  const SimTrace *t = shown_trace (self->current);
  if (t && t1 > t0)
    {
      AmlavizRangeStats st;
      amlaviz_range_stats_compute (&st, t, self->hidden[0], t0, t1);
      char *text = amlaviz_range_stats_describe (&st, t);
      amlaviz_range_stats_clear (&st);
      const SimTrace *p = shown_trace (self->pinned);
      if (p)
        {
          amlaviz_range_stats_compute (&st, p, self->hidden[1], t0, t1);
          g_autofree char *ptext = amlaviz_range_stats_describe (&st, p);
          amlaviz_range_stats_clear (&st);
          char *both = g_strdup_printf ("<b>B (current)</b>\n%s\n\n<b>A (pinned)</b>\n%s", text, ptext);
          g_free (text);
          text = both;
        }
      _amlaviz_session_set_details (self, text);
    }
  _amlaviz_session_view_changed (self);
}

void
amlaviz_session_get_range (AmlavizSession *self, double *t0, double *t1)
{
  *t0 = self->range_t0_ns;
  *t1 = self->range_t1_ns;
}

void
amlaviz_session_toggle_collapsed (AmlavizSession *self, gboolean pinned, int group)
{
  const SimTrace *t = amlaviz_session_get_trace (self, pinned);
  if (t == NULL || group < 0 || (guint) group >= t->groups->len)
    return;
  const SimGroup *grp = g_ptr_array_index (t->groups, group);
  if (!g_hash_table_remove (self->collapsed_names, grp->name))
    g_hash_table_add (self->collapsed_names, g_strdup (grp->name));
  _amlaviz_session_compute_groups (self, 0);
  _amlaviz_session_compute_groups (self, 1);
  g_signal_emit (self, _amlaviz_session_signals[SIGNAL_TRACE_CHANGED], 0);
  _amlaviz_session_view_changed (self);
}

static void
groups_changed (AmlavizSession *self)
{
  _amlaviz_session_compute_groups (self, 0);
  _amlaviz_session_compute_groups (self, 1);
  g_signal_emit (self, _amlaviz_session_signals[SIGNAL_TRACE_CHANGED], 0);
  _amlaviz_session_view_changed (self);
}

void
amlaviz_session_set_all_collapsed (AmlavizSession *self, gboolean collapsed)
{
  g_return_if_fail (AMLAVIZ_IS_SESSION (self));
  if (!collapsed)
    g_hash_table_remove_all (self->collapsed_names);
  else
    for (int which = 0; which < 2; which++)
      {
        const SimTrace *t = amlaviz_session_get_trace (self, which);
        for (guint g = 0; t && g < t->groups->len; g++)
          if (!self->hidden[which][g])
            g_hash_table_add (self->collapsed_names,
                              g_strdup (((SimGroup *) g_ptr_array_index (t->groups, g))->name));
      }
  groups_changed (self);
}

static void
toggle_pin_key (AmlavizSession *self, char *key /* transfer full */)
{
  for (guint k = 0; k < self->pinned_lane_names->len; k++)
    if (g_str_equal (g_ptr_array_index (self->pinned_lane_names, k), key))
      {
        g_ptr_array_remove_index (self->pinned_lane_names, k);
        g_free (key);
        groups_changed (self);
        _amlaviz_session_complete_runs (self);
        return;
      }
  g_ptr_array_add (self->pinned_lane_names, key);
  groups_changed (self);
  _amlaviz_session_complete_runs (self); /* a lane of a core a partial run left out */
}

void
amlaviz_session_toggle_pinned_lane (AmlavizSession *self, gboolean pinned, int group, int lane)
{
  const SimTrace *t = amlaviz_session_get_trace (self, pinned);
  const SimLane *l = t ? sim_trace_lane (t, (guint) group, (guint) lane) : NULL;
  if (l == NULL)
    return;
  const SimGroup *grp = g_ptr_array_index (t->groups, group);
  toggle_pin_key (self, g_strdup_printf ("%s\t%s", grp->name, l->name));
}

gboolean
amlaviz_session_pin_lane_by_name (AmlavizSession *self, const char *words)
{
  const SimTrace *t = amlaviz_session_get_trace (self, FALSE);
  g_autofree char *w = g_strstrip (g_strdup (words ? words : ""));
  char *sep = strpbrk (w, " \t/");
  if (t == NULL || sep == NULL)
    return FALSE;
  *sep = '\0';
  const char *lane_name = g_strstrip (sep + 1);
  for (guint g = 0; g < t->groups->len; g++)
    {
      const SimGroup *grp = g_ptr_array_index (t->groups, g);
      if (g_ascii_strcasecmp (grp->name, w) != 0)
        continue;
      for (guint l = 0; l < grp->lanes->len; l++)
        if (g_ascii_strcasecmp (((SimLane *) g_ptr_array_index (grp->lanes, l))->name, lane_name) == 0)
          {
            amlaviz_session_toggle_pinned_lane (self, FALSE, (int) g, (int) l);
            return TRUE;
          }
      /* a core the run did not record (one-group mode records AIC 0's group only): its pipes
       * are pinned by name, and the run is completed to fill them */
      if (grp->lanes->len == 0 && amlaviz_session_get_partial (self, FALSE))
        for (int q = 0; q < SIM_N_PIPES; q++)
          if (sim_pipe_on_core ((SimPipe) q, grp->kind)
              && g_ascii_strcasecmp (sim_pipe_name ((SimPipe) q), lane_name) == 0)
            {
              toggle_pin_key (self,
                              g_strdup_printf ("%s\t%s", grp->name, sim_pipe_name ((SimPipe) q)));
              return TRUE;
            }
    }
  return FALSE;
}

void
amlaviz_session_unpin_lanes (AmlavizSession *self)
{
  g_ptr_array_set_size (self->pinned_lane_names, 0);
  groups_changed (self);
}

const int *
amlaviz_session_get_pinned_lanes (AmlavizSession *self, gboolean pinned, guint *n)
{
  *n = self->n_pinned_lanes[pinned ? 1 : 0];
  return self->pinned_lanes[pinned ? 1 : 0];
}

/* ------------------------------------------------------------------ keyboard selection */

/* The drawn lanes in order (group, lane), skipping hidden groups and collapsed ones. */
static GArray *
drawn_lanes (AmlavizSession *self, gboolean pinned)
{
  GArray *out = g_array_new (FALSE, FALSE, 2 * sizeof (int));
  const SimTrace *t = amlaviz_session_get_trace (self, pinned);
  int which = pinned ? 1 : 0;
  for (guint g = 0; t && g < t->groups->len; g++)
    {
      if (self->hidden[which][g] || self->collapsed[which][g])
        continue;
      const SimGroup *grp = g_ptr_array_index (t->groups, g);
      for (guint l = 0; l < grp->lanes->len; l++)
        {
          int gl[2] = { (int) g, (int) l };
          g_array_append_vals (out, gl, 1);
        }
    }
  return out;
}

/* The span of lane nearest to t (its start at or before t, else the first after). */
static gboolean
span_near (const SimLane *lane, double t, gsize *out)
{
  if (lane->n_spans == 0)
    return FALSE;
  /* the first span starting after t */
  gsize lo = sim_lane_lower_bound (lane, 0, nextafter (t, INFINITY));
  gsize i = lo > 0 ? lo - 1 : 0;
  /* the span covering t, else whichever edge is closer */
  if (lo > 0 && lo < lane->n_spans)
    {
      const SimSpan *a = &lane->spans[lo - 1], *b = &lane->spans[lo];
      if (t > a->start_ns + a->dur_ns && b->start_ns - t < t - (a->start_ns + a->dur_ns))
        i = lo;
    }
  *out = i;
  return TRUE;
}

void
amlaviz_session_move_selection (AmlavizSession *self, int dx, int dy)
{
  g_return_if_fail (AMLAVIZ_IS_SESSION (self));
  gboolean pinned = self->sel_group >= 0 && self->sel_pinned;
  const SimTrace *t = amlaviz_session_get_trace (self, pinned);
  if (t == NULL)
    return;
  g_autoptr (GArray) lanes = drawn_lanes (self, pinned);
  if (lanes->len == 0)
    return;
  double mid = (self->t0_ns + self->t1_ns) / 2;
  if (self->sel_group < 0)
    {
      /* nothing selected: the span nearest the window's centre on the first lane with spans */
      for (guint k = 0; k < lanes->len; k++)
        {
          const int *gl = &g_array_index (lanes, int, 2 * k);
          gsize i;
          if (span_near (sim_trace_lane (t, gl[0], gl[1]), mid, &i))
            {
              amlaviz_session_go_to_span (self, pinned, gl[0], gl[1], i);
              return;
            }
        }
      return;
    }
  const SimLane *lane = sim_trace_lane (t, self->sel_group, self->sel_lane);
  const SimSpan *cur = &lane->spans[self->sel_span];
  if (dx != 0)
    {
      gssize i = (gssize) self->sel_span + dx;
      if (i >= 0 && (gsize) i < lane->n_spans)
        amlaviz_session_go_to_span (self, pinned, self->sel_group, self->sel_lane, (gsize) i);
      return;
    }
  /* up/down: the nearest span in time on the next drawn lane that has spans */
  int k = -1;
  for (guint j = 0; j < lanes->len; j++)
    {
      const int *gl = &g_array_index (lanes, int, 2 * j);
      if (gl[0] == self->sel_group && gl[1] == self->sel_lane)
        k = (int) j;
    }
  double at = cur->start_ns + cur->dur_ns / 2;
  for (int j = k + dy; k >= 0 && j >= 0 && j < (int) lanes->len; j += dy)
    {
      const int *gl = &g_array_index (lanes, int, 2 * j);
      gsize i;
      if (span_near (sim_trace_lane (t, gl[0], gl[1]), at, &i))
        {
          amlaviz_session_go_to_span (self, pinned, gl[0], gl[1], i);
          return;
        }
    }
}

void
amlaviz_session_fold_selected_group (AmlavizSession *self)
{
  g_return_if_fail (AMLAVIZ_IS_SESSION (self));
  if (self->sel_group < 0)
    return;
  int g = self->sel_group;
  gboolean pinned = self->sel_pinned;
  self->sel_group = -1; /* its lane is about to disappear */
  amlaviz_session_toggle_collapsed (self, pinned, g);
}
