/* sim/trace/trace-import-finish.c — import state → finished SimTrace (see trace-import.h).
 *
 * Processes become groups and threads become lanes.  Names decide what they are: a process named
 * like an Ascend core ("AIC3", "AIV0", "core2.cubecore0", "core2.veccore1") is that core, a
 * thread named like a pipe ("CUBE", "FIXP", "PIPE_M", "MTE2_1") is that pipe; anything else is a
 * generic group/lane.  msprof's per-core file (one process per pipe, sub-lanes PIPE_n) is folded
 * into a single core.  Flows are paired per id in time order; counters sorted by time.
 */
#include "sim/trace/trace-import.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static gboolean
fail (GError **error, SimTraceError code, const char *fmt, ...) G_GNUC_PRINTF (3, 4);

static gboolean
fail (GError **error, SimTraceError code, const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  char *msg = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  g_set_error_literal (error, SIM_TRACE_ERROR, code, msg);
  g_free (msg);
  return FALSE;
}

/* "core3.cubecore0" → AIC 3; "core3.veccore1" → AIV 7; "AIC3", "aiv12 (die 1)" → that core. */
static gboolean
parse_core_name (const char *name, SimCoreKind *kind, int *index)
{
  int n, k, used = 0;
  if (name == NULL)
    return FALSE;
  if (sscanf (name, "core%d.cubecore%d%n", &n, &k, &used) == 2 && name[used] == '\0' && n >= 0
      && n < 100000)
    {
      *kind = SIM_CORE_AIC;
      *index = n;
      return TRUE;
    }
  if (sscanf (name, "core%d.veccore%d%n", &n, &k, &used) == 2 && name[used] == '\0' && n >= 0
      && n < 100000 && k >= 0 && k < 2)
    {
      *kind = SIM_CORE_AIV;
      *index = 2 * n + k;
      return TRUE;
    }
  if ((g_ascii_strncasecmp (name, "AIC", 3) == 0 || g_ascii_strncasecmp (name, "AIV", 3) == 0)
      && g_ascii_isdigit (name[3]))
    {
      const char *p = name + 3;
      gint64 v = 0;
      while (g_ascii_isdigit (*p) && v < 100000)
        v = v * 10 + (*p++ - '0');
      if (v >= 100000 || g_ascii_isalnum (*p))
        return FALSE;
      *kind = g_ascii_toupper (name[2]) == 'C' ? SIM_CORE_AIC : SIM_CORE_AIV;
      *index = (int) v;
      return TRUE;
    }
  return FALSE;
}

static const char *
proc_display_name (const ImpProc *p, char **owned)
{
  if (p->name != NULL)
    return p->name;
  if (!p->numeric)
    return p->key + 1;
  *owned = g_strdup_printf ("Process %" G_GINT64_FORMAT, p->num);
  return *owned;
}

static const char *
thread_display_name (const ImpThread *t, char **owned)
{
  if (t->name != NULL)
    return t->name;
  if (!t->numeric)
    return t->key + 1;
  *owned = g_strdup_printf ("Thread %" G_GINT64_FORMAT, t->num);
  return *owned;
}

/* msprof per-core processes: pipes plus a few pseudo-pipes of its own. */
static gboolean
is_pipe_name (const char *name)
{
  static const char *const extra[] = { "FLOWCTRL", "ALL", "CACHEMISS", "USERMARK", "EVENT" };
  if (name == NULL)
    return FALSE;
  if (sim_pipe_from_name (name) != SIM_PIPE_NONE)
    return TRUE;
  for (gsize i = 0; i < G_N_ELEMENTS (extra); i++)
    if (g_ascii_strcasecmp (name, extra[i]) == 0)
      return TRUE;
  return FALSE;
}

static gboolean
thread_has_lane (const ImpThread *t)
{
  return t->n_spans > 0 || t->name != NULL;
}

static gboolean
proc_active (const ImpProc *p)
{
  for (guint i = 0; i < p->threads->len; i++)
    if (thread_has_lane (g_ptr_array_index (p->threads, i)))
      return TRUE;
  return FALSE;
}

/* A process nothing of which is drawn but whose events are kept (other phases, kept as read)
 * keeps its name and sort index among the kept events, on its own pid, so those events are still
 * named where they are read again (Perfetto).  Not one with counters: it is a group
 * (proc_shown), or the chip-wide process, which the writer names; not one no kept event is on
 * (an msprof core with no span: its sort index would be made up). */
static void
keep_idle_process_names (TraceImport *imp)
{
  SimTrace *t = imp->trace;
  const int how = JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE;
  for (guint i = 0; i < imp->procs->len; i++)
    {
      const ImpProc *p = g_ptr_array_index (imp->procs, i);
      /* after build_groups: a drawn process has its group (its threads gave their spans away) */
      if (p->group >= 0 || (p->name == NULL && !p->has_sort) || p->has_counters
          || imp->kept_pid_keys == NULL || !g_hash_table_contains (imp->kept_pid_keys, p->key))
        continue;
      json_object *pid
          = p->numeric ? json_object_new_int64 (p->num) : json_object_new_string (p->key + 1);
      g_autofree char *pid_text = g_strdup (json_object_to_json_string_ext (pid, how));
      json_object_put (pid);
      if (t->kept_events == NULL)
        t->kept_events = g_string_new (NULL);
      if (p->name != NULL)
        {
          json_object *n = json_object_new_string (p->name);
          g_string_append_printf (t->kept_events,
                                  "{\"ph\":\"M\",\"name\":\"process_name\",\"pid\":%s,"
                                  "\"args\":{\"name\":%s}}\n",
                                  pid_text, json_object_to_json_string_ext (n, how));
          json_object_put (n);
          t->n_kept_events++;
        }
      if (p->has_sort)
        {
          g_string_append_printf (t->kept_events,
                                  "{\"ph\":\"M\",\"name\":\"process_sort_index\",\"pid\":%s,"
                                  "\"args\":{\"sort_index\":%d}}\n",
                                  pid_text, p->sort_index);
          t->n_kept_events++;
        }
    }
}

/* The chip-wide process our writer makes for counters of no core (named "chip"; its pid is the
 * name in the msprof layout): its counters stay chip-wide. */
static gboolean
proc_is_chip (const ImpProc *p)
{
  return (p->name != NULL && g_str_equal (p->name, "chip"))
         || (!p->numeric && g_str_equal (p->key + 1, "chip"));
}

/* A process with counters and nothing else (msprof's HBM, LLC and frequency processes) is a group
 * of its own, drawn with its counters under its name: on the chip-wide process, two processes'
 * series of one name could not be told apart, and a saved copy merged them into one. */
static gboolean
proc_shown (const ImpProc *p)
{
  return proc_active (p) || (p->has_counters && !proc_is_chip (p));
}

/* A kept event on a string pid whose process is drawn under a number now (build_groups) follows
 * it: its "pid" becomes that number (the event as json-c spells it), so Perfetto puts it in the
 * same process as the spans.  Read again, the number matches and nothing moves. */
static void
move_kept_to_numbered_pids (TraceImport *imp)
{
  SimTrace *t = imp->trace;
  if (imp->kept_on_string_pid == NULL || t->kept_events == NULL)
    return;
  const int how = JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE;
  GString *out = NULL;
  gsize copied = 0; /* of t->kept_events, into out */
  for (guint i = 0; i < imp->kept_on_string_pid->len; i++)
    {
      const KeptRef *r = &g_array_index (imp->kept_on_string_pid, KeptRef, i);
      const ImpProc *p = g_hash_table_lookup (imp->procs_by_key, r->key);
      if (p == NULL || p->group < 0)
        continue;
      const SimGroup *g = g_ptr_array_index (t->groups, p->group);
      json_tokener *tok = json_tokener_new ();
      json_object *o = json_tokener_parse_ex (tok, t->kept_events->str + r->offset, (int) r->len);
      json_tokener_free (tok);
      trace_json_keep_big_ints (o, t->kept_events->str + r->offset, r->len);
      if (o == NULL || !json_object_is_type (o, json_type_object))
        {
          json_object_put (o);
          continue;
        }
      json_object_object_add (o, "pid", json_object_new_int (g->pid));
      if (out == NULL)
        out = g_string_sized_new (t->kept_events->len + 64);
      g_string_append_len (out, t->kept_events->str + copied, (gssize) (r->offset - copied));
      g_string_append (out, json_object_to_json_string_ext (o, how));
      json_object_put (o);
      copied = r->offset + r->len;
    }
  if (out == NULL)
    return;
  g_string_append_len (out, t->kept_events->str + copied, (gssize) (t->kept_events->len - copied));
  g_string_free (t->kept_events, TRUE);
  t->kept_events = out;
}

static int
fit_int (gint64 v, gboolean numeric, int fallback)
{
  return numeric && v >= 0 && v <= G_MAXINT ? (int) v : fallback;
}

static int
span_cmp (const void *a, const void *b)
{
  const SimSpan *x = a, *y = b;
  if (x->start_ns != y->start_ns)
    return x->start_ns < y->start_ns ? -1 : 1;
  if (x->dur_ns != y->dur_ns)
    return x->dur_ns > y->dur_ns ? -1 : 1; /* parent before child */
  return 0;
}

/* Min-heaps for nest_spans: rows in use by their end time, free rows by index. */
typedef struct
{
  double end_ns;
  guint row;
} RowEnd;

static void
busy_push (RowEnd *h, gsize *n, RowEnd v)
{
  gsize i = (*n)++;
  while (i > 0 && h[(i - 1) / 2].end_ns > v.end_ns)
    {
      h[i] = h[(i - 1) / 2];
      i = (i - 1) / 2;
    }
  h[i] = v;
}

static RowEnd
busy_pop (RowEnd *h, gsize *n)
{
  RowEnd top = h[0], last = h[--*n];
  gsize i = 0;
  for (;;)
    {
      gsize c = 2 * i + 1;
      if (c >= *n)
        break;
      if (c + 1 < *n && h[c + 1].end_ns < h[c].end_ns)
        c++;
      if (h[c].end_ns >= last.end_ns)
        break;
      h[i] = h[c];
      i = c;
    }
  if (*n > 0)
    h[i] = last;
  return top;
}

static void
free_push (guint *h, gsize *n, guint v)
{
  gsize i = (*n)++;
  while (i > 0 && h[(i - 1) / 2] > v)
    {
      h[i] = h[(i - 1) / 2];
      i = (i - 1) / 2;
    }
  h[i] = v;
}

static guint
free_pop (guint *h, gsize *n)
{
  guint top = h[0], last = h[--*n];
  gsize i = 0;
  for (;;)
    {
      gsize c = 2 * i + 1;
      if (c >= *n)
        break;
      if (c + 1 < *n && h[c + 1] < h[c])
        c++;
      if (h[c] >= last)
        break;
      h[i] = h[c];
      i = c;
    }
  if (*n > 0)
    h[i] = last;
  return top;
}

/* Sort, then give each span a row (its depth): the lowest row free when it starts.  For slices
 * that nest properly that is the nesting depth (a child lands under its parent); for X events that
 * merely overlap it is an interval colouring, so a lane has as many rows as spans ever overlap at
 * once (never a staircase).  A row whose last span ends at most TRACE_IMPORT_OVERLAP_TOLERANCE_NS
 * after this span starts also counts as free, unless this span ends inside it (then it is a
 * child): producers that round start and duration separately leave such 1-ns overlaps between
 * neighbours, and nesting them would split one pipe over several rows. */
static gboolean
nest_spans (SimSpan *spans, gsize n, const char *where, GError **error)
{
  if (n == 0)
    return TRUE; /* a named thread with no events: spans is NULL */
  gboolean sorted = TRUE; /* our own traces come sorted: no need to pay for a sort */
  for (gsize i = 1; i < n && sorted; i++)
    sorted = span_cmp (&spans[i - 1], &spans[i]) <= 0;
  if (!sorted)
    qsort (spans, n, sizeof (SimSpan), span_cmp);
  gsize cap = MIN (n, (gsize) TRACE_IMPORT_MAX_DEPTH) + 1;
  g_autofree RowEnd *busy = g_new (RowEnd, cap);
  g_autofree guint *idle = g_new (guint, cap);
  gsize n_busy = 0, n_idle = 0;
  guint n_rows = 0;
  for (gsize i = 0; i < n; i++)
    {
      double start = spans[i].start_ns, end = start + spans[i].dur_ns;
      while (n_busy > 0 && busy[0].end_ns <= start)
        free_push (idle, &n_idle, busy_pop (busy, &n_busy).row);
      guint row;
      gboolean near = n_busy > 0 && busy[0].end_ns <= start + TRACE_IMPORT_OVERLAP_TOLERANCE_NS
                      && busy[0].end_ns < end;
      if (near && (n_idle == 0 || busy[0].row < idle[0]))
        row = busy_pop (busy, &n_busy).row;
      else if (n_idle > 0)
        row = free_pop (idle, &n_idle);
      else
        {
          if (n_rows >= TRACE_IMPORT_MAX_DEPTH)
            return fail (error, SIM_TRACE_ERROR_LIMIT,
                         "%s: more than %u spans overlap at %.3f µs", where,
                         TRACE_IMPORT_MAX_DEPTH, start / 1000);
          row = n_rows++;
        }
      spans[i].depth = (guint16) row;
      busy_push (busy, &n_busy, (RowEnd){ end, row });
    }
  return TRUE;
}

static SimLane *
make_lane (SimGroup *g, ImpThread *t, const char *name, int tid, int sort_index, int group_index)
{
  SimPipe pipe = t->pipe_hint != SIM_PIPE_NONE ? t->pipe_hint : sim_pipe_from_name (name);
  SimLane *lane = sim_group_add_lane (g, name, tid, sort_index, pipe);
  lane->spans = g_steal_pointer (&t->spans);
  lane->n_spans = t->n_spans;
  lane->cap_spans = t->cap_spans;
  t->n_spans = t->cap_spans = 0;
  t->group = group_index;
  t->lane = (int) g->lanes->len - 1;
  return lane;
}

static SimCoreKind
kind_from_lanes (const SimGroup *g)
{
  for (guint i = 0; i < g->lanes->len; i++)
    {
      SimPipe p = ((SimLane *) g_ptr_array_index (g->lanes, i))->pipe;
      if (p == SIM_PIPE_CUBE || p == SIM_PIPE_MTE1 || p == SIM_PIPE_FIXPIPE)
        return SIM_CORE_AIC;
      if (p == SIM_PIPE_VECTOR || p == SIM_PIPE_MTE3)
        return SIM_CORE_AIV;
    }
  return SIM_CORE_GENERIC;
}

/* Where the pids made up for string pids start: after every numeric pid, of the processes and of
 * the kept events (those would land in the process made up).  64-bit so a pid of G_MAXINT - 1
 * cannot make the counter overflow (the callers stop it at G_MAXINT). */
static gint64
first_free_pid (const TraceImport *imp)
{
  gint64 next = 0;
  for (guint i = 0; i < imp->procs->len; i++)
    {
      const ImpProc *p = g_ptr_array_index (imp->procs, i);
      if (p->numeric && p->num >= 0 && p->num < G_MAXINT)
        next = MAX (next, p->num + 1);
    }
  if (imp->kept_numeric_pid && imp->kept_pid_max >= 0 && imp->kept_pid_max < G_MAXINT)
    next = MAX (next, imp->kept_pid_max + 1);
  return next;
}

/* msprof per-core trace: one process per pipe → one group, each thread (sub-lane) a lane. */
static void
build_per_core_group (TraceImport *imp)
{
  SimTrace *trace = imp->trace;
  SimGroup *g = sim_trace_add_group (trace, "core", 0, 0, SIM_CORE_GENERIC, -1);
  int gi = (int) trace->groups->len - 1;
  int next_tid = 0;
  for (guint i = 0; i < imp->procs->len; i++)
    {
      ImpProc *p = g_ptr_array_index (imp->procs, i);
      if (!proc_active (p))
        continue;
      p->group = gi;
      g_autofree char *pname_owned = NULL;
      const char *pname = proc_display_name (p, &pname_owned);
      gint64 psort = p->has_sort ? p->sort_index : fit_int (p->num, p->numeric, (int) p->first_seen);
      for (guint k = 0; k < p->threads->len; k++)
        {
          ImpThread *t = g_ptr_array_index (p->threads, k);
          if (!thread_has_lane (t))
            continue;
          gint64 tsort = t->has_sort ? t->sort_index : fit_int (t->num, t->numeric, (int) k);
          gint64 sort = CLAMP (psort * 1000 + tsort, G_MININT, G_MAXINT);
          SimLane *lane = make_lane (g, t, t->name ? t->name : pname, next_tid++, (int) sort, gi);
          if (lane->pipe == SIM_PIPE_NONE)
            lane->pipe = sim_pipe_from_name (pname);
        }
    }
  g->kind = kind_from_lanes (g);
  if (g->kind != SIM_CORE_GENERIC)
    {
      g->core_index = 0;
      g_free (g->name);
      g->name = g_strdup (g->kind == SIM_CORE_AIC ? "AIC0" : "AIV0");
    }
  /* a process with counters only is a group of its own here too (proc_shown); the core is pid 0 */
  gint64 next_pid = MAX (first_free_pid (imp), 1);
  for (guint i = 0; i < imp->procs->len; i++)
    {
      ImpProc *p = g_ptr_array_index (imp->procs, i);
      if (p->group >= 0 || !proc_shown (p))
        continue;
      g_autofree char *owned = NULL;
      int pid = fit_int (p->num, p->numeric, -1);
      if (pid <= 0)
        pid = (int) MIN (next_pid++, G_MAXINT);
      int sort = p->has_sort ? p->sort_index : fit_int (p->num, p->numeric, (int) p->first_seen);
      sim_trace_add_group (trace, proc_display_name (p, &owned), pid, sort, SIM_CORE_GENERIC, -1);
      p->group = (int) trace->groups->len - 1;
    }
}

static void
build_groups (TraceImport *imp)
{
  SimTrace *trace = imp->trace;
  gint64 next_pid = first_free_pid (imp);
  for (guint i = 0; i < imp->procs->len; i++)
    {
      ImpProc *p = g_ptr_array_index (imp->procs, i);
      if (!proc_shown (p))
        continue;
      g_autofree char *owned = NULL;
      const char *name = proc_display_name (p, &owned);
      SimCoreKind kind = SIM_CORE_GENERIC;
      int core = -1;
      if (p->kind_hint >= 0 && p->core_index_hint >= 0)
        {
          kind = p->kind_hint;
          core = p->core_index_hint;
        }
      else if (!parse_core_name (name, &kind, &core) && !p->numeric)
        parse_core_name (p->key + 1, &kind, &core);
      int pid = fit_int (p->num, p->numeric, -1);
      if (pid < 0)
        pid = (int) MIN (next_pid++, G_MAXINT);
      int sort = p->has_sort ? p->sort_index : fit_int (p->num, p->numeric, (int) p->first_seen);
      SimGroup *g = sim_trace_add_group (trace, name, pid, sort, kind, core);
      g->die = p->die_hint;
      p->group = (int) trace->groups->len - 1;
      gint64 next_tid = 0;
      for (guint k = 0; k < p->threads->len; k++)
        {
          ImpThread *t = g_ptr_array_index (p->threads, k);
          if (t->numeric && t->num >= 0 && t->num < G_MAXINT)
            next_tid = MAX (next_tid, t->num + 1);
        }
      for (guint k = 0; k < p->threads->len; k++)
        {
          ImpThread *t = g_ptr_array_index (p->threads, k);
          if (!thread_has_lane (t))
            continue;
          g_autofree char *towned = NULL;
          const char *tname = thread_display_name (t, &towned);
          int tid = fit_int (t->num, t->numeric, -1);
          if (tid < 0)
            tid = (int) MIN (next_tid++, G_MAXINT);
          int tsort = t->has_sort ? t->sort_index : fit_int (t->num, t->numeric, (int) k);
          make_lane (g, t, tname, tid, tsort, p->group);
        }
    }
}

static gboolean
is_per_core_layout (TraceImport *imp)
{
  guint active = 0;
  for (guint i = 0; i < imp->procs->len; i++)
    {
      ImpProc *p = g_ptr_array_index (imp->procs, i);
      if (!proc_active (p))
        continue;
      g_autofree char *owned = NULL;
      if (!is_pipe_name (proc_display_name (p, &owned)))
        return FALSE;
      active++;
    }
  return active > 0 && (imp->msprof_op || active >= 2);
}

static gint
flow_end_cmp (gconstpointer a, gconstpointer b)
{
  const ImpFlowEnd *x = a, *y = b;
  if (x->key != y->key)
    return x->key < y->key ? -1 : 1;
  if (x->ts_ns != y->ts_ns)
    return x->ts_ns < y->ts_ns ? -1 : 1;
  if (x->kind != y->kind)
    return x->kind < y->kind ? -1 : 1;
  return x->order < y->order ? -1 : x->order > y->order;
}

static void
emit_flow (TraceImport *imp, const ImpFlowEnd *from, const ImpFlowEnd *to)
{
  if (from->thread->group < 0 || to->thread->group < 0)
    {
      imp->trace->skipped_events++;
      return;
    }
  SimFlow f = { .id = imp->trace->flows->len + 1,
                .name = from->name,
                .cat = from->cat ? from->cat : to->cat,
                .src_group = (guint32) from->thread->group,
                .src_lane = (guint32) from->thread->lane,
                .dst_group = (guint32) to->thread->group,
                .dst_lane = (guint32) to->thread->lane,
                .src_ns = from->ts_ns,
                .dst_ns = to->ts_ns };
  sim_trace_add_flow (imp->trace, &f);
}

/* Per id, in time order: s opens, t joins and reopens, f joins and closes. */
static void
pair_flows (TraceImport *imp)
{
  GArray *ends = imp->flow_ends;
  g_array_sort (ends, flow_end_cmp);
  const ImpFlowEnd *open = NULL;
  for (guint i = 0; i < ends->len; i++)
    {
      const ImpFlowEnd *e = &g_array_index (ends, ImpFlowEnd, i);
      if (i > 0 && g_array_index (ends, ImpFlowEnd, i - 1).key != e->key)
        {
          if (open != NULL && open->kind == IMP_FLOW_START)
            imp->trace->skipped_events++; /* started, never finished */
          open = NULL;
        }
      switch (e->kind)
        {
        case IMP_FLOW_START:
          if (open != NULL && open->kind == IMP_FLOW_START)
            imp->trace->skipped_events++;
          open = e;
          break;
        case IMP_FLOW_STEP:
          if (open != NULL)
            emit_flow (imp, open, e);
          open = e;
          break;
        default:
          if (open != NULL)
            emit_flow (imp, open, e);
          else
            imp->trace->skipped_events++;
          open = NULL;
          break;
        }
    }
  if (open != NULL && open->kind == IMP_FLOW_START)
    imp->trace->skipped_events++;
}

static gint
point_cmp (gconstpointer a, gconstpointer b)
{
  const ImpPoint *x = a, *y = b;
  return x->ts_ns < y->ts_ns ? -1 : x->ts_ns > y->ts_ns;
}

static void
build_counters (TraceImport *imp)
{
  for (guint i = 0; i < imp->counters->len; i++)
    {
      ImpCounter *ic = g_ptr_array_index (imp->counters, i);
      g_array_sort (ic->points, point_cmp); /* stable: equal times keep file order */
      SimCounter *c = sim_trace_add_counter (imp->trace, ic->name, ic->unit, ic->proc->group);
      for (guint k = 0; k < ic->points->len; k++)
        {
          ImpPoint *pt = &g_array_index (ic->points, ImpPoint, k);
          sim_counter_append (c, pt->ts_ns, pt->value);
        }
    }
}

/* t_ns less shift_ns, exactly when t_ns is a whole count of picoseconds (as imp_get_ts made it). */
static double
rebase_ns (double t_ns, gint64 shift_ns)
{
  double ps = t_ns * 1000.0, whole = nearbyint (ps);
  if (fabs (ps) < 9e15 && fabs (ps - whole) <= fabs (ps) * 1e-14 + 1e-9)
    return (whole - (double) shift_ns * 1000.0) / 1000.0;
  return t_ns - (double) shift_ns;
}

/* Times were read from the first ts (imp_get_ts): count them from the earliest time kept
 * instead, in whole ns, so the trace starts at 0 whichever event came first in the file (or from
 * 0 on the file's clock when the earliest is early enough to be exact as it is).  Only what the
 * writer writes back counts (not flows that never paired): a saved trace reopens with the same
 * origin, so times kept beside it (markers in otherData) still fall on the same spans. */
static void
rebase_times (SimTrace *trace, guint64 ts_origin_ns)
{
  if (ts_origin_ns == 0)
    return;
  double min_ns = INFINITY;
  for (guint g = 0; g < trace->groups->len; g++)
    {
      SimGroup *grp = g_ptr_array_index (trace->groups, g);
      for (guint l = 0; l < grp->lanes->len; l++)
        {
          SimLane *lane = g_ptr_array_index (grp->lanes, l);
          for (gsize i = 0; i < lane->n_spans; i++)
            min_ns = MIN (min_ns, lane->spans[i].start_ns);
        }
    }
  for (guint i = 0; i < trace->flows->len; i++)
    {
      const SimFlow *f = &g_array_index (trace->flows, SimFlow, i);
      min_ns = MIN (min_ns, MIN (f->src_ns, f->dst_ns));
    }
  for (guint i = 0; i < trace->counters->len; i++)
    {
      const SimCounter *c = g_ptr_array_index (trace->counters, i);
      for (gsize j = 0; j < c->n; j++)
        min_ns = MIN (min_ns, c->ts_ns[j]);
    }
  if (!isfinite (min_ns))
    min_ns = 0; /* nothing kept: no times to count */
  gint64 shift_ns = (gint64) floor (min_ns);
  if ((double) ts_origin_ns + min_ns < TRACE_IMPORT_ORIGIN_FROM_US * 1000)
    shift_ns = -(gint64) ts_origin_ns; /* back on the file's clock */
  trace->origin_ns = (guint64) ((gint64) ts_origin_ns + shift_ns);
  if (shift_ns == 0)
    return;
  for (guint g = 0; g < trace->groups->len; g++)
    {
      SimGroup *grp = g_ptr_array_index (trace->groups, g);
      for (guint l = 0; l < grp->lanes->len; l++)
        {
          SimLane *lane = g_ptr_array_index (grp->lanes, l);
          for (gsize i = 0; i < lane->n_spans; i++)
            lane->spans[i].start_ns = rebase_ns (lane->spans[i].start_ns, shift_ns);
        }
    }
  for (guint i = 0; i < trace->flows->len; i++)
    {
      SimFlow *f = &g_array_index (trace->flows, SimFlow, i);
      f->src_ns = rebase_ns (f->src_ns, shift_ns);
      f->dst_ns = rebase_ns (f->dst_ns, shift_ns);
    }
  for (guint i = 0; i < trace->counters->len; i++)
    {
      SimCounter *c = g_ptr_array_index (trace->counters, i);
      for (gsize j = 0; j < c->n; j++)
        c->ts_ns[j] = rebase_ns (c->ts_ns[j], shift_ns);
    }
}

SimTrace *
trace_import_finish (TraceImport *imp, GError **error)
{
  /* every B needs its E: a trace cut short is not shown as if whole */
  for (guint i = 0; i < imp->procs->len; i++)
    {
      ImpProc *p = g_ptr_array_index (imp->procs, i);
      for (guint k = 0; k < p->threads->len; k++)
        {
          ImpThread *t = g_ptr_array_index (p->threads, k);
          if (t->open != NULL && t->open->len > 0)
            {
              ImpOpen *o = &g_array_index (t->open, ImpOpen, t->open->len - 1);
              fail (error, SIM_TRACE_ERROR_FORMAT,
                    "event %" G_GUINT64_FORMAT ": B event \"%s\" on pid %s tid %s never ends (no E)",
                    o->event_index, sim_trace_string (imp->trace, o->span.name), p->key + 1,
                    t->key + 1);
              trace_import_free (imp);
              return NULL;
            }
        }
    }
  if (is_per_core_layout (imp))
    build_per_core_group (imp);
  else
    {
      build_groups (imp);
      move_kept_to_numbered_pids (imp);
    }
  keep_idle_process_names (imp);
  if (imp->kept_numeric_pid)
    {
      imp->trace->kept_pid_min = imp->kept_pid_min;
      imp->trace->kept_pid_max = imp->kept_pid_max;
    }

  SimTrace *trace = imp->trace;
  for (guint g = 0; g < trace->groups->len; g++)
    {
      SimGroup *grp = g_ptr_array_index (trace->groups, g);
      for (guint l = 0; l < grp->lanes->len; l++)
        {
          SimLane *lane = g_ptr_array_index (grp->lanes, l);
          g_autofree char *where = g_strdup_printf ("%s / %s", grp->name, lane->name);
          if (!nest_spans (lane->spans, lane->n_spans, where, error))
            {
              trace_import_free (imp);
              return NULL;
            }
        }
    }
  pair_flows (imp);
  build_counters (imp);
  rebase_times (trace, imp->ts_origin_ns);
  imp->trace = NULL;
  trace_import_free (imp);
  sim_trace_finish (trace);
  return trace;
}
