/* src/app/amlaviz-session-find.c — finding things in a run: search, zoom to the selection and
 * markers (see amlaviz-session.h).  The matching itself is src/render/search.c (no display). */
#include "src/app/amlaviz-session-private.h"

#include "sim/trace/trace-json.h" /* sim_trace_json_parse */

#include <json-c/json.h>
#include <math.h>
#include <string.h>

/* ------------------------------------------------------------------ search */

void
_amlaviz_session_search_update (AmlavizSession *self)
{
  for (int i = 0; i < 2; i++)
    {
      g_clear_pointer (&self->search[i], tl_search_free);
      const SimTrace *t = shown_trace (i ? self->pinned : self->current);
      if (t && self->search_text)
        self->search[i] = tl_search_new (t, self->search_text);
    }
  self->search_count = self->search[0] ? tl_search_count (self->search[0], self->hidden[0]) : 0;
  self->search_hit.group = -1;
}

void
amlaviz_session_set_search (AmlavizSession *self, const char *text)
{
  g_return_if_fail (AMLAVIZ_IS_SESSION (self));
  g_autofree char *stripped = g_strstrip (g_strdup (text ? text : ""));
  if (g_strcmp0 (stripped, self->search_text ? self->search_text : "") == 0)
    return;
  g_free (self->search_text);
  self->search_text = stripped[0] ? g_steal_pointer (&stripped) : NULL;
  _amlaviz_session_search_update (self);
  _amlaviz_session_view_changed (self);
}

const char *
amlaviz_session_get_search_text (AmlavizSession *self)
{
  return self->search_text ? self->search_text : "";
}

const TlSearch *
amlaviz_session_get_search (AmlavizSession *self, gboolean pinned)
{
  return self->search[pinned ? 1 : 0];
}

guint64
amlaviz_session_get_search_count (AmlavizSession *self, guint64 *rank)
{
  if (rank)
    {
      *rank = 0;
      /* the current match, if it is still the selection */
      if (self->search[0] && self->search_hit.group >= 0 && !self->sel_pinned
          && self->sel_group == self->search_hit.group && self->sel_lane == self->search_hit.lane
          && self->sel_span == self->search_hit.span)
        *rank = tl_search_rank (self->search[0], self->hidden[0], &self->search_hit);
    }
  return self->search_count;
}

/* Show [a, b] in the time window: keep the zoom when it fits in the middle 80 %, else centre it
 * (and widen the window when it is too narrow for it). */
static void
bring_into_window (AmlavizSession *self, double a, double b)
{
  double w = self->t1_ns - self->t0_ns;
  double margin = 0.1 * w;
  if (a >= self->t0_ns + margin && b <= self->t1_ns - margin)
    return;
  if (b - a > 0.8 * w)
    w = (b - a) / 0.8;
  double mid = (a + b) / 2, t0 = mid - w / 2, t1 = mid + w / 2, r0, r1;
  /* no empty axis past either end of the run when the run is wider than the window */
  if (_amlaviz_session_run_extent (self, &r0, &r1) && w <= r1 - r0)
    {
      if (t0 < r0)
        t1 += r0 - t0, t0 = r0;
      else if (t1 > r1)
        t0 -= t1 - r1, t1 = r1;
    }
  amlaviz_session_set_window (self, t0, t1);
}

/* Expand the group if needed and ask the timeline to scroll the lane into view. */
static void
reveal_lane (AmlavizSession *self, gboolean pinned, int group, int lane)
{
  const SimTrace *t = amlaviz_session_get_trace (self, pinned);
  const guint8 *coll = self->collapsed[pinned ? 1 : 0];
  if (t && coll && coll[group])
    amlaviz_session_toggle_collapsed (self, pinned, group);
  g_signal_emit (self, _amlaviz_session_signals[SIGNAL_REVEAL_LANE], 0, pinned, group, lane);
}

void
amlaviz_session_search_step (AmlavizSession *self, gboolean forward)
{
  g_return_if_fail (AMLAVIZ_IS_SESSION (self));
  const TlSearch *s = self->search[0];
  if (s == NULL || self->search_count == 0)
    return;
  TlSearchHit from = self->search_hit, hit;
  /* from the current match; else from what is on screen */
  double from_ns = forward ? self->t0_ns : self->t1_ns;
  if (!tl_search_step (s, self->hidden[0], &from, from_ns, forward, &hit))
    return;
  self->search_hit = hit;
  amlaviz_session_go_to_span (self, FALSE, hit.group, hit.lane, hit.span);
}

void
amlaviz_session_go_to_span (AmlavizSession *self, gboolean pinned, int group, int lane, gsize span)
{
  g_return_if_fail (AMLAVIZ_IS_SESSION (self));
  const SimTrace *t = amlaviz_session_get_trace (self, pinned);
  const SimLane *l = t ? sim_trace_lane (t, (guint) group, (guint) lane) : NULL;
  if (l == NULL || span >= l->n_spans)
    return;
  if (self->hidden[pinned ? 1 : 0] && self->hidden[pinned ? 1 : 0][group])
    {
      /* a span of an undrawn core (one-AIC-group mode): draw all cores */
      GAction *a = g_action_map_lookup_action (G_ACTION_MAP (self->actions), "all-cores");
      g_action_change_state (a, g_variant_new_boolean (TRUE));
    }
  const SimSpan *sp = &l->spans[span];
  bring_into_window (self, sp->start_ns, sp->start_ns + sp->dur_ns);
  amlaviz_session_select_span (self, pinned, group, lane, span);
  reveal_lane (self, pinned, group, lane);
}

/* ------------------------------------------------------------------ zoom to selection */

void
amlaviz_session_zoom_to_selection (AmlavizSession *self)
{
  g_return_if_fail (AMLAVIZ_IS_SESSION (self));
  double a = 0, b = 0;
  const AmlavizStep *st = amlaviz_session_get_step (self);
  const SimTrace *t = amlaviz_session_get_trace (self, self->sel_pinned);
  const SimLane *lane = self->sel_group >= 0 && t
                            ? sim_trace_lane (t, (guint) self->sel_group, (guint) self->sel_lane)
                            : NULL;
  if (lane && self->sel_span < lane->n_spans)
    {
      const SimSpan *sp = &lane->spans[self->sel_span];
      a = sp->start_ns, b = sp->start_ns + sp->dur_ns;
    }
  else if (self->range_t1_ns > self->range_t0_ns)
    a = self->range_t0_ns, b = self->range_t1_ns;
  else if (st)
    a = st->start_ns, b = st->end_ns;
  if (!(b > a))
    {
      amlaviz_session_fit (self);
      return;
    }
  /* a 5 % margin each side, so the edges of what was selected are visible */
  double m = 0.05 * (b - a);
  amlaviz_session_set_window (self, a - m, b + m);
}

/* ------------------------------------------------------------------ markers */

static void
marker_clear (gpointer p)
{
  g_free (((TlMarker *) p)->label);
}

void
_amlaviz_session_find_init (AmlavizSession *self)
{
  self->search_hit.group = -1;
  self->markers = g_array_new (FALSE, TRUE, sizeof (TlMarker));
  g_array_set_clear_func (self->markers, marker_clear);
  self->marker_index = -1;
  self->pointer_ns = NAN;
}

void
_amlaviz_session_find_finalize (AmlavizSession *self)
{
  for (int i = 0; i < 2; i++)
    g_clear_pointer (&self->search[i], tl_search_free);
  g_clear_pointer (&self->search_text, g_free);
  g_clear_pointer (&self->markers, g_array_unref);
}

static gint
marker_cmp (gconstpointer a, gconstpointer b)
{
  const TlMarker *x = a, *y = b;
  return x->t0_ns < y->t0_ns ? -1 : x->t0_ns > y->t0_ns;
}

void
amlaviz_session_add_marker_at (AmlavizSession *self, double t0, double t1, const char *label)
{
  g_return_if_fail (AMLAVIZ_IS_SESSION (self));
  if (!isfinite (t0) || !isfinite (t1))
    return;
  TlMarker m = { MIN (t0, t1), MAX (t0, t1), NULL, 0 };
  m.color = (int) self->markers->len;
  m.label = label && *label ? g_strdup (label) : g_strdup_printf ("M%u", self->markers->len + 1);
  g_array_append_val (self->markers, m);
  g_array_sort (self->markers, marker_cmp);
  for (guint i = 0; i < self->markers->len; i++)
    if (g_array_index (self->markers, TlMarker, i).label == m.label)
      self->marker_index = (int) i;
  _amlaviz_session_view_changed (self);
}

void
amlaviz_session_add_marker (AmlavizSession *self)
{
  g_return_if_fail (AMLAVIZ_IS_SESSION (self));
  guint n = self->markers->len + 1;
  const AmlavizStep *st = amlaviz_session_get_step (self);
  const SimTrace *t = amlaviz_session_get_trace (self, self->sel_pinned);
  const SimLane *lane = self->sel_group >= 0 && t
                            ? sim_trace_lane (t, (guint) self->sel_group, (guint) self->sel_lane)
                            : NULL;
  g_autofree char *label = NULL;
  if (lane && self->sel_span < lane->n_spans)
    {
      const SimSpan *sp = &lane->spans[self->sel_span];
      label = g_strdup_printf ("M%u %s", n, sim_trace_string (t, sp->name));
      amlaviz_session_add_marker_at (self, sp->start_ns, sp->start_ns + sp->dur_ns, label);
    }
  else if (self->range_t1_ns > self->range_t0_ns)
    {
      label = g_strdup_printf ("M%u range", n);
      amlaviz_session_add_marker_at (self, self->range_t0_ns, self->range_t1_ns, label);
    }
  else if (st)
    {
      label = g_strdup_printf ("M%u %s t%d k%d", n, sim_stage_name (st->stage), st->task, st->iter);
      amlaviz_session_add_marker_at (self, st->start_ns, st->end_ns, label);
    }
  else
    {
      double x = isfinite (self->pointer_ns) ? self->pointer_ns : (self->t0_ns + self->t1_ns) / 2;
      amlaviz_session_add_marker_at (self, x, x, NULL);
    }
}

const TlMarker *
amlaviz_session_get_markers (AmlavizSession *self, guint *n)
{
  *n = self->markers->len;
  return (const TlMarker *) (gpointer) self->markers->data;
}

int
amlaviz_session_get_marker_index (AmlavizSession *self)
{
  return self->marker_index;
}

void
amlaviz_session_marker_step (AmlavizSession *self, gboolean forward)
{
  g_return_if_fail (AMLAVIZ_IS_SESSION (self));
  int n = (int) self->markers->len;
  if (n == 0)
    return;
  int i = self->marker_index;
  if (i < 0 || i >= n)
    {
      /* from the window's centre */
      double mid = (self->t0_ns + self->t1_ns) / 2;
      i = forward ? n : -1;
      for (int k = 0; k < n; k++)
        {
          double t = g_array_index (self->markers, TlMarker, k).t0_ns;
          if (forward && t > mid)
            {
              i = k;
              break;
            }
          if (!forward && t < mid)
            i = k;
        }
      i = CLAMP (i, 0, n - 1);
    }
  else
    i = CLAMP (i + (forward ? 1 : -1), 0, n - 1);
  self->marker_index = i;
  const TlMarker *m = &g_array_index (self->markers, TlMarker, i);
  /* centre it, keeping the zoom unless the band is wider than the window */
  double w = MAX (self->t1_ns - self->t0_ns, (m->t1_ns - m->t0_ns) / 0.8);
  double mid = (m->t0_ns + m->t1_ns) / 2;
  amlaviz_session_set_window (self, mid - w / 2, mid + w / 2);
}

void
amlaviz_session_clear_markers (AmlavizSession *self)
{
  g_array_set_size (self->markers, 0);
  self->marker_index = -1;
  _amlaviz_session_view_changed (self);
}

void
amlaviz_session_set_pointer_time (AmlavizSession *self, double t_ns)
{
  self->pointer_ns = t_ns;
}

/* Marker times are the trace's: ns from its origin (SimTrace.origin_ns, 0 for ours), which a
 * saved copy of a wall-clock trace reopens with, so they fall on the same spans. */
char *
_amlaviz_session_other_data_with_markers (AmlavizSession *self, const char *other_data)
{
  if (self->markers->len == 0)
    return g_strdup (other_data);
  json_object *o = sim_trace_json_parse (other_data); /* its big integers saved as written */
  if (o == NULL || !json_object_is_type (o, json_type_object))
    {
      json_object_put (o);
      o = json_object_new_object ();
    }
  json_object *arr = json_object_new_array ();
  for (guint i = 0; i < self->markers->len; i++)
    {
      const TlMarker *m = &g_array_index (self->markers, TlMarker, i);
      json_object *mo = json_object_new_object ();
      json_object_object_add (mo, "label", json_object_new_string (m->label));
      json_object_object_add (mo, "start_ns", json_object_new_double (m->t0_ns));
      json_object_object_add (mo, "end_ns", json_object_new_double (m->t1_ns));
      json_object_array_add (arr, mo);
    }
  json_object_object_add (o, "markers", arr);
  char *text = g_strdup (json_object_to_json_string_ext (o, JSON_C_TO_STRING_PLAIN));
  json_object_put (o);
  return text;
}

void
_amlaviz_session_markers_from_other_data (AmlavizSession *self, const char *other_data)
{
  g_array_set_size (self->markers, 0);
  self->marker_index = -1;
  json_object *o = other_data ? json_tokener_parse (other_data) : NULL;
  json_object *arr = NULL;
  if (o && json_object_object_get_ex (o, "markers", &arr)
      && json_object_is_type (arr, json_type_array))
    for (size_t i = 0; i < json_object_array_length (arr); i++)
      {
        json_object *mo = json_object_array_get_idx (arr, i), *v;
        if (!json_object_is_type (mo, json_type_object))
          continue;
        double a = NAN, b = NAN;
        const char *label = NULL;
        if (json_object_object_get_ex (mo, "start_ns", &v))
          a = json_object_get_double (v);
        if (json_object_object_get_ex (mo, "end_ns", &v))
          b = json_object_get_double (v);
        if (json_object_object_get_ex (mo, "label", &v)
            && json_object_is_type (v, json_type_string))
          label = json_object_get_string (v);
        if (!isfinite (b))
          b = a;
        if (!isfinite (a))
          continue;
        TlMarker m
            = { MIN (a, b), MAX (a, b), g_strdup (label ? label : ""), (int) self->markers->len };
        g_array_append_val (self->markers, m);
      }
  json_object_put (o);
  g_array_sort (self->markers, marker_cmp);
}
