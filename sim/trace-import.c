/* sim/trace-import.c — one Chrome trace event at a time into packed import state (see
 * trace-import.h).  Strict about the fields that place an event (ph, ts, dur, pid, tid: wrong
 * type, NaN, negative → an error naming the field), lenient about free-form args. */
#include "sim/trace-import.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static void
thread_free (gpointer p)
{
  ImpThread *t = p;
  g_free (t->key);
  g_free (t->name);
  g_free (t->spans);
  if (t->open)
    g_array_unref (t->open);
  g_free (t);
}

static void
proc_free (gpointer p)
{
  ImpProc *pr = p;
  g_free (pr->key);
  g_free (pr->name);
  g_hash_table_destroy (pr->threads_by_key);
  g_ptr_array_unref (pr->threads);
  g_free (pr);
}

static void
counter_free (gpointer p)
{
  ImpCounter *c = p;
  g_free (c->name);
  g_free (c->unit);
  g_array_unref (c->points);
  g_free (c);
}

TraceImport *
trace_import_new (void)
{
  TraceImport *imp = g_new0 (TraceImport, 1);
  imp->trace = sim_trace_new ();
  imp->procs_by_key = g_hash_table_new (g_str_hash, g_str_equal);
  imp->procs = g_ptr_array_new_with_free_func (proc_free);
  imp->flow_key_ids = g_hash_table_new (g_str_hash, g_str_equal);
  imp->flow_keys = g_ptr_array_new_with_free_func (g_free);
  imp->flow_ends = g_array_new (FALSE, FALSE, sizeof (ImpFlowEnd));
  imp->counters_by_key = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  imp->counters = g_ptr_array_new_with_free_func (counter_free);
  return imp;
}

void
trace_import_free (TraceImport *imp)
{
  if (imp == NULL)
    return;
  sim_trace_free (imp->trace);
  g_hash_table_destroy (imp->procs_by_key);
  g_ptr_array_unref (imp->procs);
  g_hash_table_destroy (imp->flow_key_ids);
  g_ptr_array_unref (imp->flow_keys);
  g_array_unref (imp->flow_ends);
  g_hash_table_destroy (imp->counters_by_key);
  g_ptr_array_unref (imp->counters);
  g_free (imp);
}

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

static json_object *
field (json_object *o, const char *key)
{
  json_object *v = NULL;
  if (o == NULL || !json_object_is_type (o, json_type_object))
    return NULL;
  json_object_object_get_ex (o, key, &v);
  return v;
}

/* A number, or a string holding one (msprof system timelines quote their timestamps). */
static gboolean
as_double (json_object *v, double *out)
{
  if (json_object_is_type (v, json_type_double) || json_object_is_type (v, json_type_int))
    {
      *out = json_object_get_double (v);
      return TRUE;
    }
  if (json_object_is_type (v, json_type_string))
    {
      const char *s = json_object_get_string (v);
      char *end = NULL;
      if (*s == '\0')
        return FALSE;
      *out = g_ascii_strtod (s, &end);
      return end != NULL && *end == '\0';
    }
  return FALSE;
}

/* µs → ns.  A time written with at most 6 decimals (our writer's picosecond grid) comes back as
 * exactly ps / 1000, the value the writer started from, so spans that met still meet; finer
 * times (foreign tracers) are kept as they are. */
static double
time_us_to_ns (double us)
{
  if (us < 9e9)
    {
      double ps = us * 1e6, whole = nearbyint (ps);
      if (fabs (ps - whole) <= fabs (ps) * 1e-14 + 1e-9) /* a decimal with <= 6 places */
        return whole / 1000.0;
    }
  return us * 1000.0;
}

/* A time field in µs → ns.  required: absent is an error. */
static gboolean
get_time (json_object *ev, const char *key, gboolean required, double *out_ns, GError **error)
{
  json_object *v = field (ev, key);
  double us;
  if (v == NULL || json_object_is_type (v, json_type_null))
    {
      if (required)
        return fail (error, SIM_TRACE_ERROR_FORMAT, "\"%s\" is missing", key);
      *out_ns = 0;
      return TRUE;
    }
  if (!as_double (v, &us))
    return fail (error, SIM_TRACE_ERROR_FORMAT, "\"%s\" is not a number (%s)", key,
                 json_object_to_json_string (v));
  if (!isfinite (us))
    return fail (error, SIM_TRACE_ERROR_FORMAT, "\"%s\" is not a finite number", key);
  if (us < 0)
    return fail (error, SIM_TRACE_ERROR_FORMAT, "\"%s\" is negative (%g µs)", key, us);
  if (us > TRACE_IMPORT_MAX_TIME_US)
    return fail (error, SIM_TRACE_ERROR_LIMIT, "\"%s\" is absurdly large (%g µs)", key, us);
  *out_ns = time_us_to_ns (us);
  return TRUE;
}

/* Kept strings: limited in size. */
static gboolean
get_string (json_object *ev, const char *key, const char **out, GError **error)
{
  json_object *v = field (ev, key);
  *out = NULL;
  if (v == NULL || json_object_is_type (v, json_type_null))
    return TRUE;
  if (!json_object_is_type (v, json_type_string))
    return fail (error, SIM_TRACE_ERROR_FORMAT, "\"%s\" is not a string", key);
  if ((guint) json_object_get_string_len (v) > TRACE_IMPORT_MAX_STRING)
    return fail (error, SIM_TRACE_ERROR_LIMIT, "\"%s\" is a string of %d bytes (limit %u)", key,
                 json_object_get_string_len (v), TRACE_IMPORT_MAX_STRING);
  *out = json_object_get_string (v);
  return TRUE;
}

/* pid/tid: integer or string; absent = 0.  key: "#n" / "$s". */
static gboolean
get_id (json_object *ev, const char *field_name, char **key, gint64 *num, gboolean *numeric,
        GError **error)
{
  json_object *v = field (ev, field_name);
  *numeric = TRUE;
  *num = 0;
  if (v == NULL || json_object_is_type (v, json_type_null))
    {
      *key = g_strdup ("#0");
      return TRUE;
    }
  if (json_object_is_type (v, json_type_int)
      || (json_object_is_type (v, json_type_double) && json_object_get_double (v) == floor (json_object_get_double (v))
          && fabs (json_object_get_double (v)) < 9e18))
    {
      *num = json_object_is_type (v, json_type_int) ? json_object_get_int64 (v)
                                                    : (gint64) json_object_get_double (v);
      *key = g_strdup_printf ("#%" G_GINT64_FORMAT, *num);
      return TRUE;
    }
  if (json_object_is_type (v, json_type_string))
    {
      /* msprof writes the same pid as 40 in X events and "40" in flow events */
      const char *s = json_object_get_string (v);
      gsize len = strlen (s), digits = strspn (s + (s[0] == '-'), "0123456789");
      if (digits > 0 && digits < 18 && digits + (s[0] == '-') == len)
        {
          *num = g_ascii_strtoll (s, NULL, 10);
          *key = g_strdup_printf ("#%" G_GINT64_FORMAT, *num);
          return TRUE;
        }
      if ((guint) json_object_get_string_len (v) > TRACE_IMPORT_MAX_STRING)
        return fail (error, SIM_TRACE_ERROR_LIMIT, "\"%s\" is a string of %d bytes", field_name,
                     json_object_get_string_len (v));
      *numeric = FALSE;
      *key = g_strconcat ("$", json_object_get_string (v), NULL);
      return TRUE;
    }
  return fail (error, SIM_TRACE_ERROR_FORMAT, "\"%s\" is neither an integer nor a string (%s)",
               field_name, json_object_to_json_string (v));
}

static ImpProc *
lookup_proc (TraceImport *imp, json_object *ev, GError **error)
{
  char *key;
  gint64 num;
  gboolean numeric;
  if (!get_id (ev, "pid", &key, &num, &numeric, error))
    return NULL;
  ImpProc *p = g_hash_table_lookup (imp->procs_by_key, key);
  if (p != NULL)
    {
      g_free (key);
      return p;
    }
  p = g_new0 (ImpProc, 1);
  p->key = key;
  p->num = num;
  p->numeric = numeric;
  p->kind_hint = -1;
  p->core_index_hint = -1;
  p->die_hint = -1;
  p->first_seen = imp->procs->len;
  p->threads_by_key = g_hash_table_new (g_str_hash, g_str_equal);
  p->threads = g_ptr_array_new_with_free_func (thread_free);
  p->group = -1;
  g_hash_table_insert (imp->procs_by_key, p->key, p);
  g_ptr_array_add (imp->procs, p);
  return p;
}

static ImpThread *
lookup_thread (TraceImport *imp, ImpProc *p, json_object *ev, GError **error)
{
  char *key;
  gint64 num;
  gboolean numeric;
  if (!get_id (ev, "tid", &key, &num, &numeric, error))
    return NULL;
  ImpThread *t = g_hash_table_lookup (p->threads_by_key, key);
  if (t != NULL)
    {
      g_free (key);
      return t;
    }
  if (imp->n_threads >= TRACE_IMPORT_MAX_LANES)
    {
      g_free (key);
      fail (error, SIM_TRACE_ERROR_LIMIT, "more than %u distinct pid/tid pairs",
            TRACE_IMPORT_MAX_LANES);
      return NULL;
    }
  t = g_new0 (ImpThread, 1);
  t->proc = p;
  t->key = key;
  t->num = num;
  t->numeric = numeric;
  t->pipe_hint = SIM_PIPE_NONE;
  t->first_seen = imp->n_threads++;
  t->group = t->lane = -1;
  g_hash_table_insert (p->threads_by_key, t->key, t);
  g_ptr_array_add (p->threads, t);
  return t;
}

/* Integer args: number or numeric string, non-negative; anything else counts as absent. */
static gboolean
arg_uint (json_object *args, const char *key, guint64 *out)
{
  json_object *v = field (args, key);
  double d;
  if (v == NULL)
    return FALSE;
  if (json_object_is_type (v, json_type_int))
    {
      gint64 i = json_object_get_int64 (v);
      if (i < 0)
        return FALSE;
      *out = (guint64) i;
      return TRUE;
    }
  if (!as_double (v, &d) || !isfinite (d) || d < 0 || d > 1.8e19)
    return FALSE;
  *out = (guint64) d;
  return TRUE;
}

static gint32
arg_index (json_object *args, const char *key)
{
  guint64 v;
  if (arg_uint (args, key, &v) && v <= G_MAXINT32)
    return (gint32) v;
  return -1;
}

static gboolean
arg_true (json_object *args, const char *key)
{
  json_object *v = field (args, key);
  return v != NULL && json_object_is_type (v, json_type_boolean) && json_object_get_boolean (v);
}

static SimStage
stage_from_cat (const char *cat)
{
  if (cat == NULL)
    return SIM_STAGE_NONE;
  char buf[16];
  g_strlcpy (buf, cat, sizeof buf);
  char *comma = strchr (buf, ',');
  if (comma)
    *comma = '\0';
  return sim_stage_from_name (buf);
}

/* The span fields every duration/instant event shares: name, stage, args. */
static gboolean
fill_span (TraceImport *imp, json_object *ev, SimSpan *s, GError **error)
{
  const char *name, *cat;
  if (!get_string (ev, "name", &name, error) || !get_string (ev, "cat", &cat, error))
    return FALSE;
  memset (s, 0, sizeof *s);
  s->task = -1;
  s->iter = -1;
  s->name = sim_trace_intern (imp->trace, name ? name : "");
  json_object *args = field (ev, "args");
  s->stage = stage_from_cat (cat);
  if (s->stage == SIM_STAGE_NONE)
    {
      json_object *st = field (args, "stage");
      if (st != NULL && json_object_is_type (st, json_type_string))
        s->stage = sim_stage_from_name (json_object_get_string (st));
    }
  s->iter = arg_index (args, "iteration");
  if (s->iter < 0)
    s->iter = arg_index (args, "iter");
  if (s->iter < 0)
    s->iter = arg_index (args, "block");
  s->task = arg_index (args, "task");
  if (!arg_uint (args, "bytes", &s->bytes) && !arg_uint (args, "process_bytes", &s->bytes))
    arg_uint (args, "Size(B)", &s->bytes); /* msKPP */
  arg_uint (args, "flops", &s->flops);
  static const char *const detail_keys[] = { "detail", "Detail", "flag", "buffer" };
  for (gsize i = 0; i < G_N_ELEMENTS (detail_keys); i++)
    {
      json_object *d = field (args, detail_keys[i]);
      if (d != NULL && json_object_is_type (d, json_type_string))
        {
          if ((guint) json_object_get_string_len (d) > TRACE_IMPORT_MAX_STRING)
            return fail (error, SIM_TRACE_ERROR_LIMIT, "args.%s is a string of %d bytes",
                         detail_keys[i], json_object_get_string_len (d));
          s->detail = sim_trace_intern (imp->trace, json_object_get_string (d));
          break;
        }
    }
  if (arg_true (args, "atomic"))
    s->flags |= SIM_SPAN_ATOMIC;
  if (arg_true (args, "l2_hit"))
    s->flags |= SIM_SPAN_L2_HIT;
  if (arg_true (args, "wait"))
    s->flags |= SIM_SPAN_WAIT;
  /* Ascend flag instructions (msprof) */
  if (name != NULL && (g_str_equal (name, "WAIT_FLAG") || g_str_equal (name, "WAIT_FLAG_DEV")))
    s->flags |= SIM_SPAN_WAIT;
  if (s->stage == SIM_STAGE_NONE && name != NULL
      && (g_str_has_prefix (name, "SET_FLAG") || g_str_has_prefix (name, "WAIT_FLAG")
          || g_str_equal (name, "BAR") || g_str_equal (name, "PIPE_BARRIER")))
    s->stage = SIM_STAGE_SYNC;
  return TRUE;
}

static void
thread_append (TraceImport *imp, ImpThread *t, const SimSpan *s)
{
  if (t->n_spans == t->cap_spans)
    {
      t->cap_spans = t->cap_spans ? t->cap_spans * 2 : 16;
      t->spans = g_renew (SimSpan, t->spans, t->cap_spans);
    }
  t->spans[t->n_spans++] = *s;
  imp->n_spans++;
}

/* A flow id (number or string) as a canonical string; NULL if absent or unusable. */
static char *
id_string (json_object *v)
{
  if (v == NULL)
    return NULL;
  if (json_object_is_type (v, json_type_int))
    return g_strdup_printf ("%" G_GINT64_FORMAT, json_object_get_int64 (v));
  if (json_object_is_type (v, json_type_string) && json_object_get_string_len (v) < 4096)
    return g_strdup (json_object_get_string (v));
  if (json_object_is_type (v, json_type_double) && isfinite (json_object_get_double (v)))
    return g_strdup_printf ("%.17g", json_object_get_double (v));
  return NULL;
}

static guint32
flow_key (TraceImport *imp, const char *key)
{
  gpointer id = g_hash_table_lookup (imp->flow_key_ids, key);
  if (id != NULL)
    return GPOINTER_TO_UINT (id) - 1;
  char *copy = g_strdup (key);
  g_ptr_array_add (imp->flow_keys, copy);
  g_hash_table_insert (imp->flow_key_ids, copy, GUINT_TO_POINTER (imp->flow_keys->len));
  return imp->flow_keys->len - 1;
}

static void
add_flow_end (TraceImport *imp, guint32 key, guint8 kind, ImpThread *t, double ts_ns,
              guint32 name, guint64 index)
{
  ImpFlowEnd e = { .key = key, .kind = kind, .thread = t, .ts_ns = ts_ns, .name = name,
                   .order = index };
  g_array_append_val (imp->flow_ends, e);
}

/* Flow v2: "bind_id" with "flow_out"/"flow_in" on a slice.  Returns key + 1, or 0. */
static guint32
v2_bind (TraceImport *imp, json_object *ev)
{
  g_autofree char *id = id_string (field (ev, "bind_id"));
  if (id == NULL)
    return 0;
  g_autofree char *key = g_strconcat ("v2\x1f", id, NULL);
  return flow_key (imp, key) + 1;
}

static gboolean
handle_slice (TraceImport *imp, ImpThread *t, json_object *ev, char ph, guint64 index,
              GError **error)
{
  SimSpan s;
  double ts;
  if (!get_time (ev, "ts", TRUE, &ts, error) || !fill_span (imp, ev, &s, error))
    return FALSE;
  s.start_ns = ts;
  guint32 bind = v2_bind (imp, ev);
  guint32 flow_name = sim_trace_intern (imp->trace, "flow");
  if (bind && arg_true (ev, "flow_in"))
    add_flow_end (imp, bind - 1, IMP_FLOW_END, t, ts, flow_name, index);
  if (ph == 'X' || ph == 'i' || ph == 'I')
    {
      if (ph == 'X')
        {
          if (field (ev, "dur") == NULL)
            return fail (error, SIM_TRACE_ERROR_FORMAT, "X event has no \"dur\"");
          if (!get_time (ev, "dur", TRUE, &s.dur_ns, error))
            return FALSE;
        }
      else
        s.flags |= SIM_SPAN_INSTANT;
      thread_append (imp, t, &s);
      if (bind && arg_true (ev, "flow_out"))
        add_flow_end (imp, bind - 1, IMP_FLOW_START, t, ts + s.dur_ns, flow_name, index);
      return TRUE;
    }
  /* B: wait for the E */
  if (t->open == NULL)
    t->open = g_array_new (FALSE, FALSE, sizeof (ImpOpen));
  if (t->open->len >= TRACE_IMPORT_MAX_DEPTH)
    return fail (error, SIM_TRACE_ERROR_LIMIT, "B events nest deeper than %u on one thread",
                 TRACE_IMPORT_MAX_DEPTH);
  g_autofree char *id = id_string (field (ev, "id"));
  ImpOpen o = { .span = s, .bind = bind, .flow_out = arg_true (ev, "flow_out"),
                .event_index = index, .id = id ? sim_trace_intern (imp->trace, id) : 0 };
  g_array_append_val (t->open, o);
  return TRUE;
}

static gboolean
handle_end (TraceImport *imp, ImpThread *t, json_object *ev, guint64 index, GError **error)
{
  double ts;
  if (!get_time (ev, "ts", TRUE, &ts, error))
    return FALSE;
  if (t->open == NULL || t->open->len == 0)
    return fail (error, SIM_TRACE_ERROR_FORMAT, "E event without a matching B on pid %s tid %s",
                 t->proc->key + 1, t->key + 1);
  /* msprof's SET_FLAG/WAIT_FLAG pairs carry an id and may interleave: match by id first */
  guint which = t->open->len - 1;
  g_autofree char *id = id_string (field (ev, "id"));
  if (id != NULL)
    {
      guint32 sid = sim_trace_intern (imp->trace, id);
      for (guint k = t->open->len; k-- > 0;)
        if (g_array_index (t->open, ImpOpen, k).id == sid)
          {
            which = k;
            break;
          }
    }
  ImpOpen o = g_array_index (t->open, ImpOpen, which);
  g_array_remove_index (t->open, which);
  if (ts < o.span.start_ns)
    return fail (error, SIM_TRACE_ERROR_FORMAT,
                 "E event at %.3f µs ends before its B (event %" G_GUINT64_FORMAT ") at %.3f µs",
                 ts / 1000, o.event_index, o.span.start_ns / 1000);
  o.span.dur_ns = ts - o.span.start_ns;
  /* args given on the E complete the slice (as Perfetto merges them) */
  SimSpan e;
  if (field (ev, "args") != NULL)
    {
      if (!fill_span (imp, ev, &e, error))
        return FALSE;
      if (o.span.stage == SIM_STAGE_NONE)
        o.span.stage = e.stage;
      if (o.span.task < 0)
        o.span.task = e.task;
      if (o.span.iter < 0)
        o.span.iter = e.iter;
      if (o.span.bytes == 0)
        o.span.bytes = e.bytes;
      if (o.span.flops == 0)
        o.span.flops = e.flops;
      if (o.span.detail == 0)
        o.span.detail = e.detail;
      o.span.flags |= e.flags & ~SIM_SPAN_INSTANT;
    }
  thread_append (imp, t, &o.span);
  if (o.bind && o.flow_out)
    add_flow_end (imp, o.bind - 1, IMP_FLOW_START, t, ts, sim_trace_intern (imp->trace, "flow"),
                  o.event_index);
  return TRUE;
}

static gboolean
handle_flow (TraceImport *imp, ImpThread *t, json_object *ev, char ph, guint64 index,
             GError **error)
{
  double ts;
  const char *name, *cat;
  if (!get_time (ev, "ts", TRUE, &ts, error) || !get_string (ev, "name", &name, error)
      || !get_string (ev, "cat", &cat, error))
    return FALSE;
  g_autofree char *id = id_string (field (ev, "id"));
  if (id == NULL)
    {
      imp->trace->skipped_events++; /* a flow without an id cannot be joined */
      return TRUE;
    }
  /* v1 flows are identified by (cat, name, id) */
  g_autofree char *key
      = g_strdup_printf ("v1\x1f%s\x1f%s\x1f%s", cat ? cat : "", name ? name : "", id);
  guint8 kind = ph == 's' ? IMP_FLOW_START : ph == 't' ? IMP_FLOW_STEP : IMP_FLOW_END;
  add_flow_end (imp, flow_key (imp, key), kind, t, ts, sim_trace_intern (imp->trace, name),
                index);
  return TRUE;
}

static gboolean
handle_counter (TraceImport *imp, ImpProc *p, json_object *ev, GError **error)
{
  double ts;
  const char *name;
  if (!get_time (ev, "ts", TRUE, &ts, error) || !get_string (ev, "name", &name, error))
    return FALSE;
  json_object *args = field (ev, "args");
  if (args == NULL || !json_object_is_type (args, json_type_object))
    return fail (error, SIM_TRACE_ERROR_FORMAT, "C event has no \"args\" object");
  g_autofree char *id = id_string (field (ev, "id"));
  g_autofree char *cname = id ? g_strdup_printf ("%s %s", name ? name : "", id)
                              : g_strdup (name ? name : "");
  json_object_object_foreach (args, series, value)
  {
    double v;
    if (!as_double (value, &v))
      continue; /* Perfetto also ignores non-numeric series */
    if (!isfinite (v))
      return fail (error, SIM_TRACE_ERROR_FORMAT, "counter \"%s\" value \"%s\" is not finite",
                   cname, series);
    g_autofree char *key = g_strdup_printf ("%s\x1f%s\x1f%s", p->key, cname, series);
    ImpCounter *c = g_hash_table_lookup (imp->counters_by_key, key);
    if (c == NULL)
      {
        c = g_new0 (ImpCounter, 1);
        c->proc = p;
        c->name = g_strdup (cname);
        c->unit = g_strdup (series);
        c->points = g_array_new (FALSE, FALSE, sizeof (ImpPoint));
        g_hash_table_insert (imp->counters_by_key, g_steal_pointer (&key), c);
        g_ptr_array_add (imp->counters, c);
      }
    ImpPoint pt = { ts, v };
    g_array_append_val (c->points, pt);
  }
  return TRUE;
}

static gboolean
meta_int (json_object *ev, const char *key, int *out)
{
  json_object *v = field (field (ev, "args"), key);
  double d;
  if (v == NULL || !as_double (v, &d) || !isfinite (d) || d < G_MININT || d > G_MAXINT)
    return FALSE;
  *out = (int) d;
  return TRUE;
}

static gboolean
meta_name (json_object *ev, char **out, GError **error)
{
  json_object *v = field (field (ev, "args"), "name");
  if (v == NULL || !json_object_is_type (v, json_type_string))
    return TRUE; /* nothing to name: ignored, as Perfetto does */
  if ((guint) json_object_get_string_len (v) > TRACE_IMPORT_MAX_STRING)
    return fail (error, SIM_TRACE_ERROR_LIMIT, "args.name is a string of %d bytes",
                 json_object_get_string_len (v));
  g_free (*out);
  *out = g_strdup (json_object_get_string (v));
  return TRUE;
}

static gboolean
handle_metadata (TraceImport *imp, ImpProc *p, json_object *ev, GError **error)
{
  const char *name;
  if (!get_string (ev, "name", &name, error))
    return FALSE;
  if (name == NULL)
    return TRUE;
  if (g_str_equal (name, "process_name"))
    {
      if (!meta_name (ev, &p->name, error))
        return FALSE;
      json_object *kind = field (field (ev, "args"), "core_kind");
      if (kind != NULL && json_object_is_type (kind, json_type_string))
        {
          const char *k = json_object_get_string (kind);
          p->kind_hint = g_str_equal (k, "AIC") ? SIM_CORE_AIC : g_str_equal (k, "AIV") ? SIM_CORE_AIV : -1;
        }
      meta_int (ev, "core_index", &p->core_index_hint);
      meta_int (ev, "die", &p->die_hint);
      return TRUE;
    }
  if (g_str_equal (name, "process_sort_index"))
    {
      p->has_sort = meta_int (ev, "sort_index", &p->sort_index);
      return TRUE;
    }
  if (g_str_equal (name, "thread_name") || g_str_equal (name, "thread_sort_index"))
    {
      ImpThread *t = lookup_thread (imp, p, ev, error);
      if (t == NULL)
        return FALSE;
      if (g_str_equal (name, "thread_sort_index"))
        {
          t->has_sort = meta_int (ev, "sort_index", &t->sort_index);
          return TRUE;
        }
      if (!meta_name (ev, &t->name, error))
        return FALSE;
      json_object *pipe = field (field (ev, "args"), "pipe");
      if (pipe != NULL && json_object_is_type (pipe, json_type_string))
        t->pipe_hint = sim_pipe_from_name (json_object_get_string (pipe));
    }
  return TRUE; /* process_labels, trace-level metadata: nothing to keep */
}

gboolean
trace_import_event (TraceImport *imp, json_object *ev, guint64 index, GError **error)
{
  if (ev == NULL || !json_object_is_type (ev, json_type_object))
    return fail (error, SIM_TRACE_ERROR_FORMAT, "not an object but %s",
                 json_type_to_name (json_object_get_type (ev)));
  json_object *phv = field (ev, "ph");
  if (phv == NULL)
    return fail (error, SIM_TRACE_ERROR_FORMAT, "\"ph\" (phase) is missing");
  if (!json_object_is_type (phv, json_type_string))
    return fail (error, SIM_TRACE_ERROR_FORMAT, "\"ph\" is not a string");
  const char *ph = json_object_get_string (phv);
  if (ph[0] == '\0' || ph[1] != '\0' || strchr ("XBEiICMstf", ph[0]) == NULL)
    {
      imp->trace->skipped_events++; /* async, samples, objects, marks …: not drawn */
      return TRUE;
    }
  if (imp->n_spans >= TRACE_IMPORT_MAX_EVENTS)
    return fail (error, SIM_TRACE_ERROR_LIMIT, "more than %llu spans",
                 (unsigned long long) TRACE_IMPORT_MAX_EVENTS);
  ImpProc *p = lookup_proc (imp, ev, error);
  if (p == NULL)
    return FALSE;
  if (ph[0] == 'M')
    return handle_metadata (imp, p, ev, error);
  if (ph[0] == 'C')
    return handle_counter (imp, p, ev, error);
  ImpThread *t = lookup_thread (imp, p, ev, error);
  if (t == NULL)
    return FALSE;
  switch (ph[0])
    {
    case 'X':
    case 'B':
    case 'i':
    case 'I':
      return handle_slice (imp, t, ev, ph[0], index, error);
    case 'E':
      return handle_end (imp, t, ev, index, error);
    default:
      return handle_flow (imp, t, ev, ph[0], index, error);
    }
}
