/* sim/trace/trace.c — the in-memory trace model (see trace.h). */
#include "sim/trace/trace.h"

#include <math.h>
#include <string.h>

#include "sim/bigmem.h"

/* 446,208 spans a default run: SimSpan.extra lives in what was padding, so it costs no memory */
G_STATIC_ASSERT (sizeof (SimSpan) == 56);

static const char *const stage_names[SIM_N_STAGES] = {
  "", "C1", "V1", "C2", "V2", "COMBINE", "SYNC",
};

const char *
sim_stage_name (SimStage stage)
{
  if ((int) stage < 0 || stage >= SIM_N_STAGES)
    return "";
  return stage_names[stage];
}

SimStage
sim_stage_from_name (const char *name)
{
  if (name == NULL)
    return SIM_STAGE_NONE;
  for (int s = 1; s < SIM_N_STAGES; s++)
    if (g_ascii_strcasecmp (name, stage_names[s]) == 0)
      return (SimStage) s;
  return SIM_STAGE_NONE;
}

static const char *const pipe_names[SIM_N_PIPES] = {
  "MTE2", "MTE1", "CUBE", "FIXPIPE", "VECTOR", "MTE3", "SCALAR",
};

const char *
sim_pipe_name (SimPipe pipe)
{
  if ((int) pipe < 0 || pipe >= SIM_N_PIPES)
    return "";
  return pipe_names[pipe];
}

SimPipe
sim_pipe_from_name (const char *name)
{
  static const struct
  {
    const char *alias;
    SimPipe pipe;
  } aliases[] = {
    { "MTE2", SIM_PIPE_MTE2 },      { "PIPE_MTE2", SIM_PIPE_MTE2 }, { "PIPE-MTE2", SIM_PIPE_MTE2 },
    { "MTE1", SIM_PIPE_MTE1 },      { "PIPE_MTE1", SIM_PIPE_MTE1 }, { "PIPE-MTE1", SIM_PIPE_MTE1 },
    { "CUBE", SIM_PIPE_CUBE },      { "M", SIM_PIPE_CUBE },         { "PIPE_M", SIM_PIPE_CUBE },
    { "PIPE-M", SIM_PIPE_CUBE },    { "MMAD", SIM_PIPE_CUBE },      { "FIXPIPE", SIM_PIPE_FIXPIPE },
    { "FIXP", SIM_PIPE_FIXPIPE },   { "FIX", SIM_PIPE_FIXPIPE },    { "PIPE_FIX", SIM_PIPE_FIXPIPE },
    { "PIPE-FIX", SIM_PIPE_FIXPIPE }, { "F", SIM_PIPE_FIXPIPE },    { "VECTOR", SIM_PIPE_VECTOR },
    { "VEC", SIM_PIPE_VECTOR },     { "V", SIM_PIPE_VECTOR },       { "PIPE_V", SIM_PIPE_VECTOR },
    { "PIPE-V", SIM_PIPE_VECTOR },  { "PIPE-VEC", SIM_PIPE_VECTOR }, { "MTE3", SIM_PIPE_MTE3 },
    { "PIPE_MTE3", SIM_PIPE_MTE3 }, { "PIPE-MTE3", SIM_PIPE_MTE3 }, { "SCALAR", SIM_PIPE_SCALAR },
    { "S", SIM_PIPE_SCALAR },       { "PIPE_S", SIM_PIPE_SCALAR },  { "PIPE-S", SIM_PIPE_SCALAR },
    { "SCALARLDST", SIM_PIPE_SCALAR },
  };
  if (name == NULL || *name == '\0')
    return SIM_PIPE_NONE;
  /* msprof sub-lanes are "<PIPE>_<n>": strip a numeric suffix */
  char buf[32];
  g_strlcpy (buf, name, sizeof buf);
  char *us = strrchr (buf, '_');
  if (us != NULL && us[1] != '\0' && strspn (us + 1, "0123456789") == strlen (us + 1))
    *us = '\0';
  g_strstrip (buf);
  for (gsize i = 0; i < G_N_ELEMENTS (aliases); i++)
    if (g_ascii_strcasecmp (buf, aliases[i].alias) == 0)
      return aliases[i].pipe;
  return SIM_PIPE_NONE;
}

gboolean
sim_pipe_on_core (SimPipe pipe, SimCoreKind kind)
{
  switch (pipe)
    {
    case SIM_PIPE_MTE2:
    case SIM_PIPE_SCALAR:
      return TRUE;
    case SIM_PIPE_MTE1:
    case SIM_PIPE_CUBE:
    case SIM_PIPE_FIXPIPE:
      return kind == SIM_CORE_AIC;
    case SIM_PIPE_VECTOR:
    case SIM_PIPE_MTE3:
      return kind == SIM_CORE_AIV;
    default:
      return FALSE;
    }
}

static void
lane_free (gpointer p)
{
  SimLane *lane = p;
  g_free (lane->name);
  if (!lane->spans_in_slab)
    g_free (lane->spans);
  g_free (lane);
}

static void
group_free (gpointer p)
{
  SimGroup *g = p;
  g_free (g->name);
  g_ptr_array_unref (g->lanes);
  g_free (g);
}

static void
counter_free (gpointer p)
{
  SimCounter *c = p;
  g_free (c->name);
  g_free (c->unit);
  g_free (c->ts_ns);
  g_free (c->value);
  g_free (c);
}

SimTrace *
sim_trace_new (void)
{
  SimTrace *t = g_new0 (SimTrace, 1);
  t->groups = g_ptr_array_new_with_free_func (group_free);
  t->flows = g_array_new (FALSE, FALSE, sizeof (SimFlow));
  t->counters = g_ptr_array_new_with_free_func (counter_free);
  t->strings = g_ptr_array_new_with_free_func (g_free);
  t->string_ids = g_hash_table_new (g_str_hash, g_str_equal);
  sim_trace_intern (t, "");
  return t;
}

void
sim_trace_free (SimTrace *t)
{
  if (t == NULL)
    return;
  g_ptr_array_unref (t->groups); /* before the slabs its lanes point into */
  if (t->span_slabs != NULL)
    g_array_unref (t->span_slabs);
  g_array_unref (t->flows);
  g_ptr_array_unref (t->counters);
  g_hash_table_destroy (t->string_ids);
  g_ptr_array_unref (t->strings);
  if (t->extras != NULL)
    {
      g_ptr_array_unref (t->extras);
      g_string_chunk_free (t->extra_text);
      g_hash_table_destroy (t->extra_ids);
    }
  if (t->kept_events != NULL)
    g_string_free (t->kept_events, TRUE);
  if (t->top_members != NULL)
    g_string_free (t->top_members, TRUE);
  g_free (t->display_time_unit);
  g_free (t->other_data_json);
  g_free (t->source);
  g_free (t);
}

guint32
sim_trace_intern (SimTrace *t, const char *s)
{
  gpointer id;
  if (s == NULL)
    s = "";
  if (g_hash_table_lookup_extended (t->string_ids, s, NULL, &id))
    return GPOINTER_TO_UINT (id);
  char *copy = g_strdup (s);
  guint32 n = t->strings->len;
  g_ptr_array_add (t->strings, copy);
  g_hash_table_insert (t->string_ids, copy, GUINT_TO_POINTER (n));
  return n;
}

guint32
sim_trace_add_extra (SimTrace *t, const char *text, gboolean shared)
{
  if (t->extras == NULL)
    {
      t->extras = g_ptr_array_new ();
      t->extra_text = g_string_chunk_new (1u << 20);
      t->extra_ids = g_hash_table_new (g_str_hash, g_str_equal);
    }
  gpointer id;
  if (shared && g_hash_table_lookup_extended (t->extra_ids, text, NULL, &id))
    return GPOINTER_TO_UINT (id);
  char *copy = g_string_chunk_insert (t->extra_text, text);
  g_ptr_array_add (t->extras, copy);
  if (shared)
    g_hash_table_insert (t->extra_ids, copy, GUINT_TO_POINTER (t->extras->len));
  return t->extras->len;
}

const char *
sim_trace_string (const SimTrace *t, guint32 id)
{
  if (id >= t->strings->len)
    return "";
  return g_ptr_array_index (t->strings, id);
}

gboolean
sim_span_extra (const SimTrace *t, const SimSpan *s, SimSpanExtra *x)
{
  const char *p = s->extra != 0 && t->extras != NULL && s->extra <= t->extras->len
                      ? g_ptr_array_index (t->extras, s->extra - 1)
                      : "";
  const char *parts[3];
  gsize lens[3];
  for (int k = 0; k < 3; k++)
    {
      const char *sep = k < 2 ? strchr (p, SIM_SPAN_EXTRA_SEP) : NULL;
      parts[k] = p;
      lens[k] = sep != NULL ? (gsize) (sep - p) : strlen (p);
      p += lens[k] + (sep != NULL);
    }
  *x = (SimSpanExtra){ .cat = parts[0],
                       .cat_len = lens[0],
                       .args = parts[1],
                       .args_len = lens[1],
                       .other = parts[2],
                       .other_len = lens[2] };
  return x->cat_len > 0 || x->args_len > 0 || x->other_len > 0;
}

SimGroup *
sim_trace_add_group (SimTrace *t, const char *name, int pid, int sort_index, SimCoreKind kind,
                     int core_index)
{
  SimGroup *g = g_new0 (SimGroup, 1);
  g->name = g_strdup (name);
  g->pid = pid;
  g->sort_index = sort_index;
  g->kind = kind;
  g->core_index = core_index;
  g->die = -1;
  g->lanes = g_ptr_array_new_with_free_func (lane_free);
  g_ptr_array_add (t->groups, g);
  return g;
}

SimLane *
sim_group_add_lane (SimGroup *g, const char *name, int tid, int sort_index, SimPipe pipe)
{
  SimLane *l = g_new0 (SimLane, 1);
  l->name = g_strdup (name);
  l->tid = tid;
  l->sort_index = sort_index;
  l->pipe = pipe;
  g_ptr_array_add (g->lanes, l);
  return l;
}

SimLane *
sim_trace_lane (const SimTrace *t, guint group, guint lane)
{
  if (group >= t->groups->len)
    return NULL;
  SimGroup *g = g_ptr_array_index (t->groups, group);
  if (lane >= g->lanes->len)
    return NULL;
  return g_ptr_array_index (g->lanes, lane);
}

SimSpan *
sim_lane_append (SimLane *l, const SimSpan *span)
{
  if (l->n_spans == l->cap_spans)
    {
      l->cap_spans = l->cap_spans ? l->cap_spans * 2 : 64;
      if (l->spans_in_slab)
        {
          SimSpan *own = g_new (SimSpan, l->cap_spans);
          if (l->n_spans > 0)
            memcpy (own, l->spans, l->n_spans * sizeof *own);
          l->spans = own;
          l->spans_in_slab = FALSE;
        }
      else
        l->spans = g_renew (SimSpan, l->spans, l->cap_spans);
    }
  l->spans[l->n_spans] = *span;
  return &l->spans[l->n_spans++];
}

/* ---- span slabs ---- */

static void
span_slab_clear (gpointer p)
{
  sim_bigmem_free (p);
}

void
sim_trace_reserve_spans (SimTrace *t, SimLane *const *lanes, const gsize *caps, guint n)
{
  gsize total = 0;
  for (guint i = 0; i < n; i++)
    if (lanes[i] != NULL && caps[i] > lanes[i]->cap_spans)
      total += caps[i];
  if (total == 0)
    return;
  if (t->span_slabs == NULL)
    {
      t->span_slabs = g_array_new (FALSE, FALSE, sizeof (SimBigMem));
      g_array_set_clear_func (t->span_slabs, span_slab_clear);
    }
  SimBigMem slab = sim_bigmem_new (total * sizeof (SimSpan), 0); /* spans are written, not read */
  g_array_append_val (t->span_slabs, slab);
  SimSpan *next = slab.base;
  for (guint i = 0; i < n; i++)
    {
      SimLane *l = lanes[i];
      if (l == NULL || caps[i] <= l->cap_spans)
        continue;
      if (l->n_spans > 0)
        memcpy (next, l->spans, l->n_spans * sizeof *next);
      if (!l->spans_in_slab)
        g_free (l->spans);
      l->spans = next;
      l->cap_spans = caps[i];
      l->spans_in_slab = TRUE;
      next += caps[i];
    }
}

SimCounter *
sim_trace_add_counter (SimTrace *t, const char *name, const char *unit, int group)
{
  SimCounter *c = g_new0 (SimCounter, 1);
  c->name = g_strdup (name);
  c->unit = g_strdup (unit ? unit : "");
  c->group = group;
  g_ptr_array_add (t->counters, c);
  return c;
}

void
sim_counter_append (SimCounter *c, double ts_ns, double value)
{
  if (c->n == c->cap)
    {
      c->cap = c->cap ? c->cap * 2 : 64;
      c->ts_ns = g_renew (double, c->ts_ns, c->cap);
      c->value = g_renew (double, c->value, c->cap);
    }
  c->ts_ns[c->n] = ts_ns;
  c->value[c->n] = value;
  if (c->n == 0 || value > c->max_value)
    c->max_value = value;
  if (c->n == 0 || value < c->min_value)
    c->min_value = value;
  c->n++;
}

void
sim_trace_add_flow (SimTrace *t, const SimFlow *flow)
{
  g_array_append_vals (t->flows, flow, 1);
}

static int
span_cmp (const void *a, const void *b)
{
  const SimSpan *x = a, *y = b;
  if (x->start_ns < y->start_ns)
    return -1;
  if (x->start_ns > y->start_ns)
    return 1;
  /* longer first so a parent precedes its children */
  if (x->dur_ns > y->dur_ns)
    return -1;
  if (x->dur_ns < y->dur_ns)
    return 1;
  return 0;
}

static gint
group_cmp (gconstpointer a, gconstpointer b)
{
  const SimGroup *x = *(SimGroup *const *) a, *y = *(SimGroup *const *) b;
  if (x->sort_index != y->sort_index)
    return x->sort_index < y->sort_index ? -1 : 1;
  return x->pid < y->pid ? -1 : x->pid > y->pid;
}

static gint
lane_cmp (gconstpointer a, gconstpointer b)
{
  const SimLane *x = *(SimLane *const *) a, *y = *(SimLane *const *) b;
  if (x->sort_index != y->sort_index)
    return x->sort_index < y->sort_index ? -1 : 1;
  return x->tid < y->tid ? -1 : x->tid > y->tid;
}

void
sim_trace_finish (SimTrace *t)
{
  /* Flows and counters refer to groups/lanes by index: sort only when nothing refers yet, or
   * remap.  We remap flows through a pointer lookup. */
  guint ng = t->groups->len;
  SimGroup **old_groups = g_new (SimGroup *, ng ? ng : 1);
  SimLane ***old_lanes = g_new0 (SimLane **, ng ? ng : 1);
  for (guint g = 0; g < ng; g++)
    {
      SimGroup *grp = g_ptr_array_index (t->groups, g);
      old_groups[g] = grp;
      old_lanes[g] = g_new (SimLane *, grp->lanes->len ? grp->lanes->len : 1);
      for (guint l = 0; l < grp->lanes->len; l++)
        old_lanes[g][l] = g_ptr_array_index (grp->lanes, l);
      g_ptr_array_sort (grp->lanes, lane_cmp);
    }
  g_ptr_array_sort (t->groups, group_cmp);

  GHashTable *gpos = g_hash_table_new (NULL, NULL);
  GHashTable *lpos = g_hash_table_new (NULL, NULL);
  for (guint g = 0; g < ng; g++)
    {
      SimGroup *grp = g_ptr_array_index (t->groups, g);
      g_hash_table_insert (gpos, grp, GUINT_TO_POINTER (g));
      for (guint l = 0; l < grp->lanes->len; l++)
        g_hash_table_insert (lpos, g_ptr_array_index (grp->lanes, l), GUINT_TO_POINTER (l));
    }
  for (guint i = 0; i < t->flows->len; i++)
    {
      SimFlow *f = &g_array_index (t->flows, SimFlow, i);
      if (f->src_group < ng && f->dst_group < ng)
        {
          SimLane *sl = f->src_lane < old_groups[f->src_group]->lanes->len
                            ? old_lanes[f->src_group][f->src_lane] : NULL;
          SimLane *dl = f->dst_lane < old_groups[f->dst_group]->lanes->len
                            ? old_lanes[f->dst_group][f->dst_lane] : NULL;
          f->src_group = GPOINTER_TO_UINT (g_hash_table_lookup (gpos, old_groups[f->src_group]));
          f->dst_group = GPOINTER_TO_UINT (g_hash_table_lookup (gpos, old_groups[f->dst_group]));
          if (sl)
            f->src_lane = GPOINTER_TO_UINT (g_hash_table_lookup (lpos, sl));
          if (dl)
            f->dst_lane = GPOINTER_TO_UINT (g_hash_table_lookup (lpos, dl));
        }
    }
  for (guint i = 0; i < t->counters->len; i++)
    {
      SimCounter *c = g_ptr_array_index (t->counters, i);
      if (c->group >= 0 && (guint) c->group < ng)
        c->group = (int) GPOINTER_TO_UINT (g_hash_table_lookup (gpos, old_groups[c->group]));
    }
  g_hash_table_destroy (gpos);
  g_hash_table_destroy (lpos);
  for (guint g = 0; g < ng; g++)
    g_free (old_lanes[g]);
  g_free (old_lanes);
  g_free (old_groups);

  double t0 = INFINITY, t1 = -INFINITY;
  guint64 n = 0;
  for (guint g = 0; g < ng; g++)
    {
      SimGroup *grp = g_ptr_array_index (t->groups, g);
      for (guint l = 0; l < grp->lanes->len; l++)
        {
          SimLane *lane = g_ptr_array_index (grp->lanes, l);
          /* one pass: whether the lane is in order (a simulation's always is), and what does
           * not depend on the order */
          gboolean sorted = TRUE;
          double max_dur = 0;
          guint16 max_depth = 0;
          for (gsize i = 0; i < lane->n_spans; i++)
            {
              const SimSpan *s = &lane->spans[i];
              if (i > 0 && sorted && span_cmp (s - 1, s) > 0)
                sorted = FALSE;
              if (s->dur_ns > max_dur)
                max_dur = s->dur_ns;
              if (s->depth > max_depth)
                max_depth = s->depth;
              if (s->start_ns < t0)
                t0 = s->start_ns;
              if (s->start_ns + s->dur_ns > t1)
                t1 = s->start_ns + s->dur_ns;
            }
          if (!sorted)
            qsort (lane->spans, lane->n_spans, sizeof (SimSpan), span_cmp);
          lane->max_dur_ns = max_dur;
          lane->max_depth = max_depth;
          n += lane->n_spans;
        }
    }
  for (guint i = 0; i < t->counters->len; i++)
    {
      SimCounter *c = g_ptr_array_index (t->counters, i);
      if (c->n > 0)
        {
          t0 = MIN (t0, c->ts_ns[0]);
          t1 = MAX (t1, c->ts_ns[c->n - 1]);
        }
    }
  if (t0 > t1)
    t0 = t1 = 0;
  t->start_ns = t0;
  t->end_ns = t1;
  t->n_spans = n;
}

char *
sim_trace_clock_text (const SimTrace *trace, double t_ns)
{
  /* whole ns: a double holds 1.7e18 ns (epoch time) only to 256 ns, so add in integers */
  double ns = nearbyint (t_ns);
  if (!isfinite (ns) || fabs (ns) > 9e18)
    return g_strdup_printf ("%.3f", ((double) trace->origin_ns + t_ns) / 1000);
  gint64 rel = (gint64) ns;
  if (rel < 0 && (guint64) -rel > trace->origin_ns)
    return g_strdup_printf ("%.3f", ((double) trace->origin_ns + t_ns) / 1000);
  guint64 abs_ns = trace->origin_ns + (guint64) rel;
  return g_strdup_printf ("%" G_GUINT64_FORMAT ".%03u", abs_ns / 1000, (guint) (abs_ns % 1000));
}

gsize
sim_lane_lower_bound (const SimLane *lane, gsize from, double t_ns)
{
  gsize lo = from, hi = lane->n_spans;
  while (lo < hi)
    {
      gsize mid = lo + (hi - lo) / 2;
      if (lane->spans[mid].start_ns < t_ns)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

gsize
sim_lane_first_visible (const SimLane *lane, double t_ns)
{
  /* first span with start >= t - max_dur: anything earlier ends before t */
  return sim_lane_lower_bound (lane, 0, t_ns - lane->max_dur_ns);
}

double
sim_lane_busy_ns (const SimLane *lane)
{
  double busy = 0, reach = -INFINITY; /* the end of the union so far */
  for (gsize i = 0; i < lane->n_spans; i++)
    {
      const SimSpan *s = &lane->spans[i];
      double end = s->start_ns + s->dur_ns;
      if (end > reach)
        {
          busy += end - MAX (s->start_ns, reach);
          reach = end;
        }
    }
  return busy;
}

void
sim_trace_keep_groups (SimTrace *t, const guint8 *keep)
{
  guint ng = t->groups->len;
  guint *remap = g_new (guint, ng ? ng : 1);
  GPtrArray *kept = g_ptr_array_new_with_free_func (group_free);
  for (guint g = 0; g < ng; g++)
    {
      SimGroup *grp = g_ptr_array_index (t->groups, g);
      if (keep[g])
        {
          remap[g] = kept->len;
          g_ptr_array_add (kept, grp);
          t->groups->pdata[g] = NULL; /* moved */
        }
      else
        remap[g] = G_MAXUINT;
    }
  for (guint g = 0; g < ng; g++)
    if (t->groups->pdata[g])
      group_free (t->groups->pdata[g]);
  g_ptr_array_set_free_func (t->groups, NULL);
  g_ptr_array_unref (t->groups);
  t->groups = kept;
  GArray *flows = g_array_new (FALSE, FALSE, sizeof (SimFlow));
  for (guint i = 0; i < t->flows->len; i++)
    {
      SimFlow f = g_array_index (t->flows, SimFlow, i);
      if (f.src_group < ng && f.dst_group < ng && remap[f.src_group] != G_MAXUINT
          && remap[f.dst_group] != G_MAXUINT)
        {
          f.src_group = remap[f.src_group];
          f.dst_group = remap[f.dst_group];
          g_array_append_val (flows, f);
        }
    }
  g_array_unref (t->flows);
  t->flows = flows;
  for (guint i = 0; i < t->counters->len;)
    {
      SimCounter *c = g_ptr_array_index (t->counters, i);
      if (c->group >= 0 && ((guint) c->group >= ng || remap[c->group] == G_MAXUINT))
        g_ptr_array_remove_index (t->counters, i);
      else
        {
          if (c->group >= 0)
            c->group = (int) remap[c->group];
          i++;
        }
    }
  g_free (remap);
  sim_trace_finish (t);
}
