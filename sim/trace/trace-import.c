/* sim/trace/trace-import.c — one Chrome trace event at a time into packed import state (see
 * trace-import.h).  Strict about the fields that place an event (ph, ts, dur, pid, tid: wrong
 * type, NaN, negative → an error naming the field), lenient about free-form args. */
#include "sim/trace/trace-import.h"

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
  if (t->be)
    g_array_unref (t->be);
  if (t->span_keys)
    g_array_unref (t->span_keys);
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
  imp->extra = g_string_new (NULL);
  return imp;
}

TraceImport *
trace_import_new_sorting_be (void)
{
  TraceImport *imp = trace_import_new ();
  imp->be_sort = TRUE;
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
  g_string_free (imp->extra, TRUE);
  if (imp->kept_pid_keys != NULL)
    g_hash_table_destroy (imp->kept_pid_keys);
  if (imp->kept_on_string_pid != NULL)
    g_array_unref (imp->kept_on_string_pid);
  g_free (imp);
}

static ImpProc *
lookup_proc (TraceImport *imp, const ImpEvent *ev, GError **error)
{
  gint64 num;
  gboolean numeric;
  if (!imp_get_id (&ev->pid, "pid", &num, &numeric, error))
    return NULL;
  if (numeric && imp->last_proc != NULL && imp->last_pid == num)
    return imp->last_proc;
  char *made;
  ImpProc *p = imp_lookup_key (imp->procs_by_key, &ev->pid, num, numeric, &made);
  if (p == NULL && imp->procs->len >= TRACE_IMPORT_MAX_PROCS)
    {
      g_free (made);
      imp_fail (error, SIM_TRACE_ERROR_LIMIT, "more than %u distinct pids (processes)",
                TRACE_IMPORT_MAX_PROCS);
      return NULL;
    }
  if (p == NULL)
    {
      p = g_new0 (ImpProc, 1);
      p->key = made ? made : imp_id_key (&ev->pid, num, numeric);
      made = NULL;
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
    }
  g_free (made);
  if (numeric)
    {
      if (imp->last_proc != p)
        imp->last_thread = NULL;
      imp->last_proc = p;
      imp->last_pid = num;
    }
  return p;
}

static ImpThread *
lookup_thread (TraceImport *imp, ImpProc *p, const ImpEvent *ev, GError **error)
{
  gint64 num;
  gboolean numeric;
  if (!imp_get_id (&ev->tid, "tid", &num, &numeric, error))
    return NULL;
  if (numeric && imp->last_thread != NULL && imp->last_thread->proc == p && imp->last_tid == num)
    return imp->last_thread;
  char *made;
  ImpThread *t = imp_lookup_key (p->threads_by_key, &ev->tid, num, numeric, &made);
  if (t == NULL)
    {
      if (imp->n_threads >= TRACE_IMPORT_MAX_LANES)
        {
          g_free (made);
          imp_fail (error, SIM_TRACE_ERROR_LIMIT, "more than %u distinct pid/tid pairs",
                TRACE_IMPORT_MAX_LANES);
          return NULL;
        }
      t = g_new0 (ImpThread, 1);
      t->proc = p;
      t->key = made ? made : imp_id_key (&ev->tid, num, numeric);
      made = NULL;
      t->num = num;
      t->numeric = numeric;
      t->pipe_hint = SIM_PIPE_NONE;
      t->first_seen = imp->n_threads++;
      t->group = t->lane = -1;
      g_hash_table_insert (p->threads_by_key, t->key, t);
      g_ptr_array_add (p->threads, t);
    }
  g_free (made);
  if (numeric)
    {
      imp->last_thread = t;
      imp->last_tid = num;
    }
  return t;
}

/* A stage's name, exactly as our writer spells it in "cat"; NONE if cat is not one.  The names
 * and their lengths are looked up once (every span of ours has a cat to match). */
static SimStage
stage_named_exactly (const ImpValue *cat)
{
  static const char *names[SIM_N_STAGES];
  static gsize lens[SIM_N_STAGES];
  static gsize once = 0;
  if (g_once_init_enter (&once))
    {
      for (int st = 1; st < SIM_N_STAGES; st++)
        {
          names[st] = sim_stage_name ((SimStage) st);
          lens[st] = strlen (names[st]);
        }
      g_once_init_leave (&once, 1);
    }
  if (cat->len == 0)
    return SIM_STAGE_NONE;
  for (int st = 1; st < SIM_N_STAGES; st++)
    if (lens[st] == cat->len && names[st][0] == cat->s[0]
        && memcmp (names[st], cat->s, cat->len) == 0)
      return (SimStage) st;
  return SIM_STAGE_NONE;
}

static SimStage
stage_from_value (const ImpValue *cat)
{
  if (cat == NULL || cat->type != IMP_STRING)
    return SIM_STAGE_NONE;
  char buf[16];
  gsize n = MIN (cat->len, sizeof buf - 1);
  memcpy (buf, cat->s, n);
  buf[n] = '\0';
  char *comma = strchr (buf, ',');
  if (comma)
    *comma = '\0';
  return sim_stage_from_name (buf);
}

/* The args a span reads, found in one pass over the members. */
typedef struct
{
  const ImpValue *stage, *iteration, *iter, *block, *task, *bytes, *process_bytes, *size_b,
      *flops, *detail[4], *atomic, *l2_hit, *wait;
  /* the args are not what our writer would write back from the span's fields (a key it does not
   * know, a value it drops or spells another way, args that are not an object): the span keeps
   * them as read (SimSpan.extra).  A key given twice reads as its last value, as in json-c. */
  gboolean foreign;
} SpanArgs;

/* Values our writer writes back as read: an index (iteration, task), a positive count (bytes,
 * flops), a non-empty string (detail), true (the flags). */
/* An integer whose text is the decimal of the value read: not one json-c read as a bound (a
 * literal past 64 bits) or as INT64_MAX (a uint64 past it), which the writer would write as that.
 */
static G_GNUC_NO_INLINE gboolean
long_int_as_read (const ImpValue *v)
{
  char buf[24];
  gsize n = (gsize) g_snprintf (buf, sizeof buf, "%" G_GINT64_FORMAT, v->i);
  return v->raw != NULL && v->raw_len == n && memcmp (buf, v->raw, n) == 0;
}

static inline gboolean
int_as_read (const ImpValue *v)
{
  /* 18 characters or fewer: exact either way */
  return v->type == IMP_INT && (v->raw_len < 19 || long_int_as_read (v));
}

static gboolean
is_index (const ImpValue *v)
{
  return int_as_read (v) && v->i >= 0 && v->i <= G_MAXINT32;
}

static gboolean
is_count (const ImpValue *v)
{
  return int_as_read (v) && v->i > 0;
}

static void
span_args (const ImpEvent *ev, SpanArgs *a)
{
  memset (a, 0, sizeof *a);
  if (ev->args.type != IMP_OBJECT)
    {
      a->foreign = ev->args.type != IMP_ABSENT && ev->args.type != IMP_NULL;
      return;
    }
  for (guint i = 0; i < ev->n_args; i++)
    {
      const char *k = ev->arg[i].key;
      gsize n = ev->arg[i].key_len;
      const ImpValue *v = &ev->arg[i].v;
#define IS(lit) (n == sizeof (lit) - 1 && memcmp (k, lit, n) == 0)
#define OURS(field, ok) (a->foreign |= !(ok), a->field = v)
      if (IS ("iteration"))
        OURS (iteration, is_index (v));
      else if (IS ("task"))
        OURS (task, is_index (v));
      else if (IS ("bytes"))
        OURS (bytes, is_count (v));
      else if (IS ("flops"))
        OURS (flops, is_count (v));
      else if (IS ("detail"))
        OURS (detail[0], v->type == IMP_STRING && v->len > 0);
      else if (IS ("atomic"))
        OURS (atomic, imp_is_true (v));
      else if (IS ("l2_hit"))
        OURS (l2_hit, imp_is_true (v));
      else if (IS ("wait"))
        OURS (wait, imp_is_true (v));
      else
        {
          a->foreign = TRUE;
          if (IS ("stage"))
            a->stage = v;
          else if (IS ("iter"))
            a->iter = v;
          else if (IS ("block"))
            a->block = v;
          else if (IS ("process_bytes"))
            a->process_bytes = v;
          else if (IS ("Size(B)"))
            a->size_b = v; /* msKPP */
          else if (IS ("Detail"))
            a->detail[1] = v;
          else if (IS ("flag"))
            a->detail[2] = v;
          else if (IS ("buffer"))
            a->detail[3] = v;
        }
#undef OURS
#undef IS
    }
}

/* ---- what a span keeps beyond its fields (SimSpan.extra) ---- */

/* JSON text without the whitespace between its tokens; a control byte that json-c let into a
 * string unescaped is escaped, so the text stays valid and holds no separator.  One pass through
 * a class table. */
enum
{
  JC_COPY = 0,
  JC_QUOTE,
  JC_BACKSLASH,
  JC_SPACE,
  JC_CONTROL,
};

static guint8 json_class[256];

static void
json_class_init (void)
{
  for (int c = 0; c < 0x20; c++)
    json_class[c] = JC_CONTROL;
  json_class[' '] = json_class['\t'] = json_class['\n'] = json_class['\r'] = JC_SPACE;
  json_class['"'] = JC_QUOTE;
  json_class['\\'] = JC_BACKSLASH;
}

static void
append_compact_json (GString *out, const char *p, gsize n)
{
  static gsize once = 0;
  if (g_once_init_enter (&once))
    {
      json_class_init ();
      g_once_init_leave (&once, 1);
    }
  gsize at = out->len;
  g_string_set_size (out, at + 6 * n); /* room for every byte escaped */
  char *q = out->str + at;
  gboolean in_str = FALSE;
  for (gsize i = 0; i < n; i++)
    {
      guchar c = (guchar) p[i];
      guint8 k = json_class[c];
      if (G_LIKELY (k == JC_COPY))
        {
          *q++ = (char) c;
          continue;
        }
      switch (k)
        {
        case JC_COPY:
          break;
        case JC_QUOTE:
          in_str = !in_str;
          break;
        case JC_BACKSLASH:
          if (in_str && i + 1 < n)
            {
              *q++ = (char) c;
              c = (guchar) p[++i]; /* the escaped byte */
            }
          break;
        case JC_SPACE:
          if (!in_str)
            continue;
          if (c == ' ')
            break;
          G_GNUC_FALLTHROUGH; /* a tab or line feed inside a string */
        default:
          if (in_str)
            {
              q += g_snprintf (q, 7, "\\u%04x", c);
              continue;
            }
          break; /* outside a string json-c would not have read it */
        }
      *q++ = (char) c;
    }
  g_string_set_size (out, (gsize) (q - out->str));
}

/* The members our writer writes for s's fields, without braces (the E of a B/E pair merges them
 * with kept args). */
static void
append_own_args (const TraceImport *imp, GString *out, const SimSpan *s)
{
  gsize start = out->len;
#define SEP() (out->len > start ? g_string_append_c (out, ',') : out)
  if (s->iter >= 0)
    g_string_append_printf (SEP (), "\"iteration\":%d", s->iter);
  if (s->task >= 0)
    g_string_append_printf (SEP (), "\"task\":%d", s->task);
  if (s->bytes > 0)
    g_string_append_printf (SEP (), "\"bytes\":%" G_GUINT64_FORMAT, s->bytes);
  if (s->flops > 0)
    g_string_append_printf (SEP (), "\"flops\":%" G_GUINT64_FORMAT, s->flops);
  if (s->detail != 0)
    {
      json_object *d = json_object_new_string (sim_trace_string (imp->trace, s->detail));
      g_string_append (SEP (), "\"detail\":");
      g_string_append (out, json_object_to_json_string_ext (
                                d, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
      json_object_put (d);
    }
  if (s->flags & SIM_SPAN_ATOMIC)
    g_string_append (SEP (), "\"atomic\":true");
  if (s->flags & SIM_SPAN_L2_HIT)
    g_string_append (SEP (), "\"l2_hit\":true");
  if (s->flags & SIM_SPAN_WAIT)
    g_string_append (SEP (), "\"wait\":true");
#undef SEP
}

/* imp->extra (cat SEP args SEP other) as a SimSpan.extra; FALSE past the string limit. */
static gboolean
intern_extra (TraceImport *imp, guint32 *id, GError **error)
{
  if (imp->extra->len > TRACE_IMPORT_MAX_STRING)
    return imp_fail (error, SIM_TRACE_ERROR_LIMIT,
                     "\"cat\", \"args\" and the other members take %" G_GSIZE_FORMAT
                     " bytes of JSON (limit %u)",
                     imp->extra->len, TRACE_IMPORT_MAX_STRING);
  /* without args the text is a cat or a "cname": one of a few, shared */
  const char *args = strchr (imp->extra->str, SIM_SPAN_EXTRA_SEP);
  gboolean no_args = args != NULL && args[1] == SIM_SPAN_EXTRA_SEP;
  *id = imp->extra->len <= 2 ? 0 : sim_trace_add_extra (imp->trace, imp->extra->str, no_args);
  return TRUE;
}

/* The span fields every duration/instant event shares: name, stage, args. */
static gboolean
fill_span (TraceImport *imp, const ImpEvent *ev, SimSpan *s, GError **error)
{
  const ImpValue *name, *cat;
  if (!imp_get_string (&ev->name, "name", &name, error) || !imp_get_string (&ev->cat, "cat", &cat, error))
    return FALSE;
  SpanArgs a;
  span_args (ev, &a);
  memset (s, 0, sizeof *s);
  s->name = name ? imp_intern (imp, name) : 0;
  /* a cat that is a stage's name is written back from s->stage; any other is kept */
  gboolean keep_cat = FALSE;
  if (cat != NULL)
    {
      s->stage = cat->len > 0 ? stage_named_exactly (cat) : SIM_STAGE_NONE;
      if (s->stage == SIM_STAGE_NONE)
        {
          s->stage = stage_from_value (cat);
          keep_cat = TRUE;
        }
    }
  if (s->stage == SIM_STAGE_NONE)
    s->stage = stage_from_value (a.stage);
  s->iter = imp_index (a.iteration);
  if (s->iter < 0)
    s->iter = imp_index (a.iter);
  if (s->iter < 0)
    s->iter = imp_index (a.block);
  s->task = imp_index (a.task);
  if (!imp_uint (a.bytes, &s->bytes) && !imp_uint (a.process_bytes, &s->bytes))
    imp_uint (a.size_b, &s->bytes);
  imp_uint (a.flops, &s->flops);
  static const char *const detail_keys[] = { "detail", "Detail", "flag", "buffer" };
  for (gsize i = 0; i < G_N_ELEMENTS (detail_keys); i++)
    {
      const ImpValue *d = a.detail[i];
      if (d != NULL && d->type == IMP_STRING)
        {
          if (d->len > TRACE_IMPORT_MAX_STRING)
            return imp_fail (error, SIM_TRACE_ERROR_LIMIT, "args.%s is a string of %" G_GSIZE_FORMAT
                         " bytes", detail_keys[i], d->len);
          s->detail = imp_intern (imp, d);
          break;
        }
    }
  if (a.atomic && imp_is_true (a.atomic))
    s->flags |= SIM_SPAN_ATOMIC;
  if (a.l2_hit && imp_is_true (a.l2_hit))
    s->flags |= SIM_SPAN_L2_HIT;
  if (a.wait && imp_is_true (a.wait))
    s->flags |= SIM_SPAN_WAIT;
  /* Ascend flag instructions (msprof) */
  if (name != NULL && (imp_value_is (name, "WAIT_FLAG") || imp_value_is (name, "WAIT_FLAG_DEV")))
    s->flags |= SIM_SPAN_WAIT;
  if (s->stage == SIM_STAGE_NONE && name != NULL
      && (imp_has_prefix (name, "SET_FLAG") || imp_has_prefix (name, "WAIT_FLAG")
          || imp_value_is (name, "BAR") || imp_value_is (name, "PIPE_BARRIER")))
    s->stage = SIM_STAGE_SYNC;
  gboolean keep_other = ev->other != NULL && ev->other->len > 0;
  if (keep_cat || a.foreign || keep_other)
    {
      g_string_truncate (imp->extra, 0);
      if (keep_cat)
        append_compact_json (imp->extra, cat->raw, cat->raw_len);
      g_string_append_c (imp->extra, SIM_SPAN_EXTRA_SEP);
      if (a.foreign)
        append_compact_json (imp->extra, ev->args.raw, ev->args.raw_len);
      g_string_append_c (imp->extra, SIM_SPAN_EXTRA_SEP);
      if (keep_other)
        append_compact_json (imp->extra, ev->other->str, ev->other->len);
      return intern_extra (imp, &s->extra, error);
    }
  return TRUE;
}

/* The extra of a B span o once its E brings args (span e): the B's cat, else the E's; the E's
 * args members the B does not have, then the B's (a key both give is the B's, as the fields
 * merge); the B's other members, else the E's. */
static gboolean
merge_extra (TraceImport *imp, const SimSpan *o, const SimSpan *e, guint32 *id, GError **error)
{
  SimSpanExtra ox, ex;
  sim_span_extra (imp->trace, o, &ox);
  sim_span_extra (imp->trace, e, &ex);
  GString *x = imp->extra;
  g_string_truncate (x, 0);
  if (ox.cat_len > 0)
    g_string_append_len (x, ox.cat, (gssize) ox.cat_len);
  else
    g_string_append_len (x, ex.cat, (gssize) ex.cat_len);
  g_string_append_c (x, SIM_SPAN_EXTRA_SEP);
  if (ox.args_len > 0 || ex.args_len > 0)
    {
      gboolean objects
          = (ox.args_len == 0 || ox.args[0] == '{') && (ex.args_len == 0 || ex.args[0] == '{');
      if (!objects) /* not merged */
        g_string_append_len (x, ox.args_len ? ox.args : ex.args,
                             (gssize) (ox.args_len ? ox.args_len : ex.args_len));
      else
        {
          /* B's members as read (or as our writer makes them), after the E's it lacks: msprof
           * repeats a SET_FLAG's whole args on its E, which must not double every key */
          g_autoptr (GString) b = g_string_new ("{");
          g_autoptr (GString) ev_args = g_string_new ("{");
          if (ox.args_len > 0)
            g_string_append_len (b, ox.args + 1, (gssize) (ox.args_len - 2));
          else
            append_own_args (imp, b, o);
          g_string_append_c (b, '}');
          if (ex.args_len > 0)
            g_string_append_len (ev_args, ex.args + 1, (gssize) (ex.args_len - 2));
          else
            append_own_args (imp, ev_args, e);
          g_string_append_c (ev_args, '}');
          json_object *bo = trace_json_parse_keeping_ints (b->str),
                      *eo = trace_json_parse_keeping_ints (ev_args->str);
          g_string_append_c (x, '{');
          gsize body = x->len;
          if (json_object_is_type (eo, json_type_object))
            {
              json_object_object_foreach (eo, key, val)
              {
                if (json_object_is_type (bo, json_type_object)
                    && json_object_object_get_ex (bo, key, NULL))
                  continue;
                json_object *k = json_object_new_string (key);
                if (x->len > body)
                  g_string_append_c (x, ',');
                g_string_append (x,
                                 json_object_to_json_string_ext (
                                     k, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
                g_string_append_c (x, ':');
                g_string_append (x,
                                 val != NULL ? json_object_to_json_string_ext (
                                     val, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE)
                                             : "null");
                json_object_put (k);
              }
            }
          json_object_put (bo);
          json_object_put (eo);
          if (b->len > 2)
            {
              if (x->len > body)
                g_string_append_c (x, ',');
              g_string_append_len (x, b->str + 1, (gssize) (b->len - 2));
            }
          g_string_append_c (x, '}');
        }
    }
  g_string_append_c (x, SIM_SPAN_EXTRA_SEP);
  if (ox.other_len > 0)
    g_string_append_len (x, ox.other, (gssize) ox.other_len);
  else
    g_string_append_len (x, ex.other, (gssize) ex.other_len);
  return intern_extra (imp, id, error);
}

static void
thread_append (TraceImport *imp, ImpThread *t, const SimSpan *s)
{
  if (t->n_spans == t->cap_spans)
    {
      /* 1.5x: the arrays become the lanes, so slack is memory kept */
      t->cap_spans = t->cap_spans ? t->cap_spans + t->cap_spans / 2 : 16;
      t->spans = g_renew (SimSpan, t->spans, t->cap_spans);
    }
  t->spans[t->n_spans++] = *s;
  imp->n_spans++;
  if (imp->be_sort)
    {
      if (t->span_keys == NULL)
        t->span_keys = g_array_new (FALSE, FALSE, sizeof (guint64));
      g_array_append_val (t->span_keys, imp->append_key);
    }
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
add_flow_end (TraceImport *imp, guint32 key, guint8 kind, ImpThread *t, double ts_ns, guint32 name,
              guint32 cat, guint64 index)
{
  ImpFlowEnd e = {
    .key = key, .kind = kind, .thread = t, .ts_ns = ts_ns, .name = name, .cat = cat, .order = index
  };
  g_array_append_val (imp->flow_ends, e);
}

/* Flow v2: "bind_id" with "flow_out"/"flow_in" on a slice.  Returns key + 1, or 0. */
static guint32
v2_bind (TraceImport *imp, const ImpEvent *ev)
{
  if (ev->bind_id.type == IMP_ABSENT)
    return 0;
  g_autofree char *id = imp_id_string (&ev->bind_id);
  if (id == NULL)
    return 0;
  g_autofree char *key = g_strconcat ("v2\x1f", id, NULL);
  return flow_key (imp, key) + 1;
}

static guint32
flow_name (TraceImport *imp)
{
  if (imp->flow_name == 0)
    imp->flow_name = sim_trace_intern (imp->trace, "flow");
  return imp->flow_name;
}

/* B and E pair in time order: reading them as they come is that only while a thread's come
 * sorted.  The first that does not asks for the file to be read again (be_restart); with be_sort
 * every one is kept (t->be) and paired at the end. */
static gboolean
be_in_order (TraceImport *imp, ImpThread *t, double ts, GError **error)
{
  if (imp->be_sort)
    {
      if (t->be == NULL)
        t->be = g_array_new (FALSE, FALSE, sizeof (ImpBe));
      return TRUE;
    }
  if (t->any_be && ts < t->last_be_ns)
    {
      imp->be_restart = TRUE;
      return imp_fail (error, SIM_TRACE_ERROR_FORMAT, "B/E events out of time order");
    }
  t->any_be = TRUE;
  t->last_be_ns = ts;
  return TRUE;
}

static gboolean open_begin (TraceImport *imp, ImpThread *t, const ImpOpen *o, GError **error);

static gboolean
handle_slice (TraceImport *imp, ImpThread *t, const ImpEvent *ev, char ph, guint64 index,
              GError **error)
{
  SimSpan s;
  double ts;
  if (!imp_get_ts (imp, &ev->ts, &ts, error) || !fill_span (imp, ev, &s, error))
    return FALSE;
  s.start_ns = ts;
  guint32 bind = v2_bind (imp, ev);
  if (bind && imp_is_true (&ev->flow_in))
    add_flow_end (imp, bind - 1, IMP_FLOW_END, t, ts, flow_name (imp), 0, index);
  if (ph == 'X' || ph == 'i' || ph == 'I')
    {
      if (ph == 'X')
        {
          if (ev->dur.type == IMP_ABSENT || ev->dur.type == IMP_NULL)
            return imp_fail (error, SIM_TRACE_ERROR_FORMAT, "X event has no \"dur\"");
          if (!imp_get_time (&ev->dur, "dur", TRUE, &s.dur_ns, error))
            return FALSE;
        }
      else
        {
          s.flags |= SIM_SPAN_INSTANT;
          if (imp_value_is (&ev->scope, "g"))
            s.flags |= SIM_SPAN_SCOPE_GLOBAL;
          else if (imp_value_is (&ev->scope, "p"))
            s.flags |= SIM_SPAN_SCOPE_PROCESS;
        }
      thread_append (imp, t, &s);
      if (bind && imp_is_true (&ev->flow_out))
        add_flow_end (imp, bind - 1, IMP_FLOW_START, t, ts + s.dur_ns, flow_name (imp), 0, index);
      return TRUE;
    }
  /* B: wait for the E */
  if (!be_in_order (imp, t, ts, error))
    return FALSE;
  g_autofree char *id = ev->id.type != IMP_ABSENT ? imp_id_string (&ev->id) : NULL;
  ImpOpen o = { .span = s,
                .bind = bind,
                .flow_out = imp_is_true (&ev->flow_out),
                .event_index = index,
                .id = id ? sim_trace_intern (imp->trace, id) : 0 };
  if (imp->be_sort)
    {
      ImpBe b = { .ts_ns = ts, .event_index = index, .offset = ev->offset, .open = o };
      g_array_append_val (t->be, b);
      return TRUE;
    }
  return open_begin (imp, t, &o, error);
}

/* A B waits for its E on t->open. */
static gboolean
open_begin (TraceImport *imp, ImpThread *t, const ImpOpen *o, GError **error)
{
  if (t->open == NULL)
    t->open = g_array_new (FALSE, FALSE, sizeof (ImpOpen));
  if (t->open->len >= TRACE_IMPORT_MAX_DEPTH)
    {
      /* in time order the Es may come between (a file that lists every B first) */
      imp->be_restart = !imp->be_sort;
      return imp_fail (error, SIM_TRACE_ERROR_LIMIT, "B events nest deeper than %u on one thread",
                       TRACE_IMPORT_MAX_DEPTH);
    }
  g_array_append_vals (t->open, o, 1);
  return TRUE;
}

/* An E at ts (its id: string id or 0; e: its args' fields when has_args) ends the open B it
 * pairs with: the latest with its id, else the latest. */
static gboolean
close_end (TraceImport *imp, ImpThread *t, double ts, gboolean has_id, guint32 sid,
           gboolean has_args, const SimSpan *e, GError **error)
{
  if (t->open == NULL || t->open->len == 0)
    {
      if (!imp->be_sort)
        {
          imp->be_restart = TRUE; /* perhaps its B comes later in the file: read it again */
          return imp_fail (error, SIM_TRACE_ERROR_FORMAT, "B/E events out of time order");
        }
      return imp_fail (error, SIM_TRACE_ERROR_FORMAT,
                       "E event without a matching B on pid %s tid %s", t->proc->key + 1,
                       t->key + 1);
    }
  /* msprof's SET_FLAG/WAIT_FLAG pairs carry an id and may interleave: match by id first */
  guint which = t->open->len - 1;
  if (has_id) /* "" interns as 0, as a B without an id: such an E closes the latest of those */
    for (guint k = t->open->len; k-- > 0;)
      if (g_array_index (t->open, ImpOpen, k).id == sid)
        {
          which = k;
          break;
        }
  ImpOpen o = g_array_index (t->open, ImpOpen, which);
  g_array_remove_index (t->open, which);
  if (ts < o.span.start_ns)
    return imp_fail (error, SIM_TRACE_ERROR_FORMAT,
                     "E event at %.3f µs ends before its B (event %" G_GUINT64_FORMAT
                     ") at %.3f µs",
                     ts / 1000, o.event_index, o.span.start_ns / 1000);
  o.span.dur_ns = ts - o.span.start_ns;
  /* args given on the E complete the slice (as Perfetto merges them) */
  if (has_args)
    {
      if ((o.span.extra != 0 || e->extra != 0)
          && !merge_extra (imp, &o.span, e, &o.span.extra, error))
        return FALSE;
      if (o.span.stage == SIM_STAGE_NONE)
        o.span.stage = e->stage;
      if (o.span.task < 0)
        o.span.task = e->task;
      if (o.span.iter < 0)
        o.span.iter = e->iter;
      if (o.span.bytes == 0)
        o.span.bytes = e->bytes;
      if (o.span.flops == 0)
        o.span.flops = e->flops;
      if (o.span.detail == 0)
        o.span.detail = e->detail;
      o.span.flags |= e->flags & ~SIM_SPAN_INSTANT;
    }
  thread_append (imp, t, &o.span);
  if (o.bind && o.flow_out)
    add_flow_end (imp, o.bind - 1, IMP_FLOW_START, t, ts, flow_name (imp), 0, o.event_index);
  return TRUE;
}

static gboolean
handle_end (TraceImport *imp, ImpThread *t, const ImpEvent *ev, guint64 index, GError **error)
{
  double ts;
  if (!imp_get_ts (imp, &ev->ts, &ts, error) || !be_in_order (imp, t, ts, error))
    return FALSE;
  g_autofree char *id = ev->id.type != IMP_ABSENT ? imp_id_string (&ev->id) : NULL;
  guint32 sid = id != NULL ? sim_trace_intern (imp->trace, id) : 0;
  SimSpan e = { 0 };
  gboolean has_args = ev->args.type != IMP_ABSENT && ev->args.type != IMP_NULL;
  if (has_args && !fill_span (imp, ev, &e, error))
    return FALSE;
  if (imp->be_sort)
    {
      ImpBe b = { .ts_ns = ts,
                  .event_index = index,
                  .offset = ev->offset,
                  .is_end = TRUE,
                  .end_id = sid,
                  .end_has_id = id != NULL,
                  .end_args = has_args,
                  .end = e };
      g_array_append_val (t->be, b);
      return TRUE;
    }
  return close_end (imp, t, ts, id != NULL, sid, has_args, &e, error);
}

typedef struct
{
  guint64 key;
  gsize at;
} SpanKey;

static int
cmp_span_key (const void *a, const void *b)
{
  const SpanKey *x = a, *y = b;
  if (x->key != y->key)
    return x->key < y->key ? -1 : 1;
  return x->at < y->at ? -1 : x->at > y->at;
}

/* t's spans in the order of their keys (ties: as they are); the keys are done with */
static void
sort_by_keys (ImpThread *t)
{
  gsize n = t->n_spans;
  SpanKey *k = g_new (SpanKey, n ? n : 1);
  gboolean sorted = TRUE;
  for (gsize i = 0; i < n; i++)
    {
      k[i] = (SpanKey){ g_array_index (t->span_keys, guint64, i), i };
      sorted &= i == 0 || k[i - 1].key <= k[i].key;
    }
  if (!sorted)
    {
      qsort (k, n, sizeof *k, cmp_span_key);
      SimSpan *spans = g_new (SimSpan, t->cap_spans ? t->cap_spans : 1);
      for (gsize i = 0; i < n; i++)
        spans[i] = t->spans[k[i].at];
      g_free (t->spans);
      t->spans = spans;
    }
  g_free (k);
  g_array_unref (t->span_keys);
  t->span_keys = NULL;
}

static int
cmp_be (gconstpointer a, gconstpointer b)
{
  const ImpBe *x = a, *y = b;
  if (x->ts_ns != y->ts_ns)
    return x->ts_ns < y->ts_ns ? -1 : 1;
  return x->event_index < y->event_index ? -1 : x->event_index > y->event_index;
}

/* t's kept B/E (be_sort) paired in time order, the file's order for equal times. */
static gboolean
pair_thread_be (TraceImport *imp, ImpThread *t, guint64 *event_index, gsize *offset, GError **error)
{
  g_array_sort (t->be, cmp_be);
  for (guint j = 0; j < t->be->len; j++)
    {
      const ImpBe *b = &g_array_index (t->be, ImpBe, j);
      GError *err = NULL;
      gboolean ok;
      imp->append_key = b->event_index; /* a slice goes where its E is */
      if (b->is_end && (t->open == NULL || t->open->len == 0))
        {
          /* the B the file lists before this E but that starts after it, as a reading in file
           * order paired them (the latest such) */
          const ImpBe *late = NULL;
          for (guint n = 0; n < t->be->len; n++)
            {
              const ImpBe *c = &g_array_index (t->be, ImpBe, n);
              if (!c->is_end && c->event_index < b->event_index && c->ts_ns > b->ts_ns
                  && (late == NULL || c->event_index > late->event_index))
                late = c;
            }
          if (late != NULL)
            ok = imp_fail (&err, SIM_TRACE_ERROR_FORMAT,
                           "E event at %.3f µs ends before its B (event %" G_GUINT64_FORMAT
                           ") at %.3f µs",
                           b->ts_ns / 1000, late->event_index, late->ts_ns / 1000);
          else
            ok = close_end (imp, t, b->ts_ns, b->end_has_id, b->end_id, b->end_args, &b->end, &err);
        }
      else
        ok = b->is_end ? close_end (imp, t, b->ts_ns, b->end_has_id, b->end_id, b->end_args,
                                    &b->end, &err)
                       : open_begin (imp, t, &b->open, &err);
      if (!ok)
        {
          *event_index = b->event_index;
          *offset = b->offset;
          g_propagate_error (error, err);
          return FALSE;
        }
    }
  return TRUE;
}

gboolean
trace_import_pair_be (TraceImport *imp, guint64 *event_index, gsize *offset, GError **error)
{
  for (guint i = 0; i < imp->procs->len; i++)
    {
      ImpProc *p = g_ptr_array_index (imp->procs, i);
      for (guint k = 0; k < p->threads->len; k++)
        {
          ImpThread *t = g_ptr_array_index (p->threads, k);
          if (t->be != NULL && !pair_thread_be (imp, t, event_index, offset, error))
            return FALSE;
          /* the lane in the order a reading in file order adds its spans (equal spans nest by
           * it) */
          if (t->span_keys != NULL)
            sort_by_keys (t);
        }
    }
  return TRUE;
}

static gboolean
handle_flow (TraceImport *imp, ImpThread *t, const ImpEvent *ev, char ph, guint64 index,
             GError **error)
{
  double ts;
  const ImpValue *name, *cat;
  if (!imp_get_ts (imp, &ev->ts, &ts, error) || !imp_get_string (&ev->name, "name", &name, error)
      || !imp_get_string (&ev->cat, "cat", &cat, error))
    return FALSE;
  g_autofree char *id = ev->id.type != IMP_ABSENT ? imp_id_string (&ev->id) : NULL;
  if (id == NULL)
    {
      imp->trace->skipped_events++; /* a flow without an id cannot be joined */
      return TRUE;
    }
  /* v1 flows are identified by (cat, name, id) */
  g_autofree char *key = g_strdup_printf ("v1\x1f%.*s\x1f%.*s\x1f%s", cat ? (int) cat->len : 0,
                                          cat ? cat->s : "", name ? (int) name->len : 0,
                                          name ? name->s : "", id);
  guint8 kind = ph == 's' ? IMP_FLOW_START : ph == 't' ? IMP_FLOW_STEP : IMP_FLOW_END;
  /* a cat other than ours ("flow") is kept: written back (PyTorch's "ac2g") */
  guint32 cat_id
      = cat != NULL && cat->len > 0 && !imp_value_is (cat, "flow") ? imp_intern (imp, cat) : 0;
  add_flow_end (imp, flow_key (imp, key), kind, t, ts, name ? imp_intern (imp, name) : 0, cat_id,
                index);
  return TRUE;
}

static gboolean
handle_counter (TraceImport *imp, ImpProc *p, const ImpEvent *ev, GError **error)
{
  double ts;
  const ImpValue *name;
  if (!imp_get_ts (imp, &ev->ts, &ts, error) || !imp_get_string (&ev->name, "name", &name, error))
    return FALSE;
  if (ev->args.type != IMP_OBJECT)
    return imp_fail (error, SIM_TRACE_ERROR_FORMAT, "C event has no \"args\" object");
  g_autofree char *id = ev->id.type != IMP_ABSENT ? imp_id_string (&ev->id) : NULL;
  g_autofree char *cname = id ? g_strdup_printf ("%.*s %s", name ? (int) name->len : 0,
                                                 name ? name->s : "", id)
                              : g_strndup (name ? name->s : "", name ? name->len : 0);
  char keybuf[256];
  for (guint i = 0; i < ev->n_args; i++)
    {
      const ImpArg *a = &ev->arg[i];
      double v;
      if (!imp_as_double (&a->v, &v))
        continue; /* Perfetto also ignores non-numeric series */
      if (!isfinite (v))
        return imp_fail (error, SIM_TRACE_ERROR_FORMAT, "counter \"%s\" value \"%.*s\" is not finite",
                     cname, (int) a->key_len, a->key);
      /* the series key: process, counter name, series (one lookup per point, no allocation
       * unless it is long) */
      int n = g_snprintf (keybuf, sizeof keybuf, "%s\x1f%s\x1f%.*s", p->key, cname,
                          (int) a->key_len, a->key);
      g_autofree char *long_key = (gsize) n >= sizeof keybuf
                                      ? g_strdup_printf ("%s\x1f%s\x1f%.*s", p->key, cname,
                                                         (int) a->key_len, a->key)
                                      : NULL;
      const char *key = long_key ? long_key : keybuf;
      ImpCounter *c = g_hash_table_lookup (imp->counters_by_key, key);
      if (c == NULL && imp->counters->len >= TRACE_IMPORT_MAX_COUNTERS)
        return imp_fail (error, SIM_TRACE_ERROR_LIMIT, "more than %u counter series",
                         TRACE_IMPORT_MAX_COUNTERS);
      if (c == NULL)
        {
          c = g_new0 (ImpCounter, 1);
          c->proc = p;
          p->has_counters = TRUE;
          c->name = g_strdup (cname);
          c->unit = g_strndup (a->key, a->key_len);
          c->points = g_array_new (FALSE, FALSE, sizeof (ImpPoint));
          g_hash_table_insert (imp->counters_by_key, g_strdup (key), c);
          g_ptr_array_add (imp->counters, c);
        }
      ImpPoint pt = { ts, v };
      g_array_append_val (c->points, pt);
    }
  return TRUE;
}

/* An event we neither draw nor read, kept as it was to be written back (SimTrace.kept_events). */
static void
keep_event (TraceImport *imp, const ImpEvent *ev)
{
  const char *text = ev->src;
  gsize len = ev->src_len;
  if (text == NULL && ev->tree != NULL)
    {
      text = json_object_to_json_string_ext (ev->tree, JSON_C_TO_STRING_PLAIN
                                                           | JSON_C_TO_STRING_NOSLASHESCAPE);
      len = strlen (text);
    }
  if (text == NULL || len < 2 || text[0] != '{')
    return; /* not read from a file (a test's hand-made event) */
  SimTrace *t = imp->trace;
  if (t->kept_events == NULL)
    t->kept_events = g_string_new (NULL);
  gsize at = t->kept_events->len;
  append_compact_json (t->kept_events, text, len);
  gsize event_len = t->kept_events->len - at;
  g_string_append_c (t->kept_events, '\n');
  t->n_kept_events++;
  /* its pid, if it has one we read (an event without one is on no process) */
  gint64 num;
  gboolean numeric;
  if (ev->pid.type == IMP_ABSENT || !imp_get_id (&ev->pid, "pid", &num, &numeric, NULL))
    return;
  if (imp->kept_pid_keys == NULL)
    imp->kept_pid_keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  char *key = imp_id_key (&ev->pid, num, numeric);
  const char *held = g_hash_table_lookup (imp->kept_pid_keys, key);
  if (held == NULL)
    {
      g_hash_table_insert (imp->kept_pid_keys, key, key);
      held = key;
    }
  else
    g_free (key);
  if (numeric)
    {
      imp->kept_pid_min = imp->kept_numeric_pid ? MIN (imp->kept_pid_min, num) : num;
      imp->kept_pid_max = imp->kept_numeric_pid ? MAX (imp->kept_pid_max, num) : num;
      imp->kept_numeric_pid = TRUE;
    }
  else
    {
      if (imp->kept_on_string_pid == NULL)
        imp->kept_on_string_pid = g_array_new (FALSE, FALSE, sizeof (KeptRef));
      KeptRef r = { at, event_len, held };
      g_array_append_val (imp->kept_on_string_pid, r);
    }
}

static gboolean
meta_int (const ImpEvent *ev, const char *key, int *out)
{
  const ImpValue *v = trace_event_arg (ev, key);
  double d;
  if (v == NULL || !imp_as_double (v, &d) || !isfinite (d) || d < G_MININT || d > G_MAXINT)
    return FALSE;
  *out = (int) d;
  return TRUE;
}

static gboolean
meta_name (const ImpEvent *ev, char **out, GError **error)
{
  const ImpValue *v = trace_event_arg (ev, "name");
  if (v == NULL || v->type != IMP_STRING)
    return TRUE; /* nothing to name: ignored, as Perfetto does */
  if (v->len > TRACE_IMPORT_MAX_STRING)
    return imp_fail (error, SIM_TRACE_ERROR_LIMIT, "args.name is a string of %" G_GSIZE_FORMAT
                 " bytes", v->len);
  g_free (*out);
  *out = g_strndup (v->s, v->len);
  return TRUE;
}

static gboolean
handle_metadata (TraceImport *imp, ImpProc *p, const ImpEvent *ev, GError **error)
{
  const ImpValue *name;
  if (!imp_get_string (&ev->name, "name", &name, error))
    return FALSE;
  if (name == NULL)
    {
      keep_event (imp, ev);
      return TRUE;
    }
  if (imp_value_is (name, "process_name"))
    {
      if (!meta_name (ev, &p->name, error))
        return FALSE;
      const ImpValue *kind = trace_event_arg (ev, "core_kind");
      if (kind != NULL && kind->type == IMP_STRING)
        p->kind_hint = imp_value_is (kind, "AIC") ? SIM_CORE_AIC
                       : imp_value_is (kind, "AIV") ? SIM_CORE_AIV : -1;
      meta_int (ev, "core_index", &p->core_index_hint);
      meta_int (ev, "die", &p->die_hint);
      return TRUE;
    }
  if (imp_value_is (name, "process_sort_index"))
    {
      p->has_sort = meta_int (ev, "sort_index", &p->sort_index);
      return TRUE;
    }
  gboolean sort = imp_value_is (name, "thread_sort_index");
  if (sort || imp_value_is (name, "thread_name"))
    {
      ImpThread *t = lookup_thread (imp, p, ev, error);
      if (t == NULL)
        return FALSE;
      if (sort)
        {
          t->has_sort = meta_int (ev, "sort_index", &t->sort_index);
          return TRUE;
        }
      if (!meta_name (ev, &t->name, error))
        return FALSE;
      const ImpValue *pipe = trace_event_arg (ev, "pipe");
      if (pipe != NULL && pipe->type == IMP_STRING)
        {
          char buf[32];
          char *owned;
          t->pipe_hint = sim_pipe_from_name (imp_cstr (pipe, buf, sizeof buf, &owned));
          g_free (owned);
        }
      return TRUE;
    }
  /* process_labels, process_uptime_seconds, trace-level metadata …: not ours to read, kept */
  keep_event (imp, ev);
  return TRUE;
}

static const char *
type_name (ImpType t)
{
  static const char *const names[] = { "nothing", "null", "boolean", "int",
                                       "double", "string", "object", "array" };
  return names[t];
}

gboolean
trace_import_event (TraceImport *imp, const ImpEvent *ev, guint64 index, GError **error)
{
  imp->append_key = index;
  if (!ev->is_object)
    return imp_fail (error, SIM_TRACE_ERROR_FORMAT, "not an object but %s", type_name (ev->ph.type));
  if (ev->ph.type == IMP_ABSENT)
    return imp_fail (error, SIM_TRACE_ERROR_FORMAT, "\"ph\" (phase) is missing");
  if (ev->ph.type != IMP_STRING)
    return imp_fail (error, SIM_TRACE_ERROR_FORMAT, "\"ph\" is not a string");
  char ph = ev->ph.len == 1 ? ev->ph.s[0] : '\0';
  if (ph == '\0' || strchr ("XBEiICMstf", ph) == NULL)
    {
      imp->trace->skipped_events++; /* async, samples, objects, marks …: not drawn, kept */
      guint64 before = imp->trace->n_kept_events;
      keep_event (imp, ev);
      imp->trace->n_kept_skipped += imp->trace->n_kept_events - before;
      return TRUE;
    }
  if (imp->n_spans >= TRACE_IMPORT_MAX_EVENTS)
    return imp_fail (error, SIM_TRACE_ERROR_LIMIT, "more than %llu spans",
                 (unsigned long long) TRACE_IMPORT_MAX_EVENTS);
  ImpProc *p = lookup_proc (imp, ev, error);
  if (p == NULL)
    return FALSE;
  if (ph == 'M')
    return handle_metadata (imp, p, ev, error);
  if (ph == 'C')
    return handle_counter (imp, p, ev, error);
  ImpThread *t = lookup_thread (imp, p, ev, error);
  if (t == NULL)
    return FALSE;
  switch (ph)
    {
    case 'X':
    case 'B':
    case 'i':
    case 'I':
      return handle_slice (imp, t, ev, ph, index, error);
    case 'E':
      return handle_end (imp, t, ev, index, error);
    default:
      return handle_flow (imp, t, ev, ph, index, error);
    }
}
