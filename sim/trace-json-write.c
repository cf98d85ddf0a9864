/* sim/trace-json-write.c — Chrome Trace Event JSON writer (see trace-json.h).
 *
 * A streaming writer: events are appended to a GString by hand (one event per line) and flushed
 * to the file every MiB, so a million spans never become a million json_objects.  Strings go
 * through json-c's own escaping, once per interned string.  Times are written in microseconds
 * from an integer count of picoseconds, so every ns survives and the text is locale-free.
 */
#include "sim/trace-json.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <json-c/json.h>
#include <math.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

GQuark
sim_trace_error_quark (void)
{
  return g_quark_from_static_string ("sim-trace-error");
}

#define FLUSH_BYTES (1u << 20)

typedef struct
{
  const SimTrace *trace;
  SimTraceFlavor flavor;
  GString *buf;
  int fd;           /* -1: keep everything in buf */
  GError *error;    /* first write error */
  char **escaped;   /* escaped (quoted) string table, filled lazily */
  char **group_pid; /* msprof flavour: quoted core-name pid per group */
  int chip_pid, chip_sort_index;
  gboolean first_event;
} Writer;

static void
writer_flush (Writer *w)
{
  if (w->fd < 0 || w->error != NULL)
    return;
  const char *p = w->buf->str;
  gsize left = w->buf->len;
  while (left > 0)
    {
      ssize_t n = write (w->fd, p, left);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int e = errno;
          g_set_error (&w->error, SIM_TRACE_ERROR, SIM_TRACE_ERROR_IO, "cannot write: %s",
                       g_strerror (e));
          break;
        }
      p += n;
      left -= (gsize) n;
    }
  g_string_truncate (w->buf, 0);
}

static void
put (Writer *w, const char *s)
{
  g_string_append (w->buf, s);
}

/* json-c's escaping, quotes included. */
static char *
escape_string (const char *s)
{
  json_object *o = json_object_new_string (s ? s : "");
  char *r = g_strdup (
      json_object_to_json_string_ext (o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
  json_object_put (o);
  return r;
}

static void
put_str (Writer *w, const char *s)
{
  g_autofree char *e = escape_string (s);
  g_string_append (w->buf, e);
}

static void
put_sid (Writer *w, guint32 id)
{
  if (id >= w->trace->strings->len)
    id = 0;
  if (w->escaped[id] == NULL)
    w->escaped[id] = escape_string (sim_trace_string (w->trace, id));
  g_string_append (w->buf, w->escaped[id]);
}

static void
put_int (Writer *w, gint64 v)
{
  g_string_append_printf (w->buf, "%" G_GINT64_FORMAT, v);
}

/* Shortest decimal that reads back as the same double; JSON has no NaN/Inf, so those are null. */
static void
put_double (Writer *w, double v)
{
  if (!isfinite (v))
    {
      put (w, "null");
      return;
    }
  if (v == floor (v) && fabs (v) < 1e15)
    {
      put_int (w, (gint64) v);
      return;
    }
  char b[G_ASCII_DTOSTR_BUF_SIZE];
  g_ascii_formatd (b, sizeof b, "%.15g", v);
  if (g_ascii_strtod (b, NULL) != v)
    g_ascii_formatd (b, sizeof b, "%.17g", v);
  put (w, b);
}

/* ns on the picosecond grid; FALSE when too large or not finite for an exact integer. */
static gboolean
to_ps (double ns, gint64 *ps)
{
  if (!isfinite (ns) || fabs (ns) > 9e15)
    return FALSE;
  *ps = llround (ns * 1000.0);
  return TRUE;
}

/* An integer count of picoseconds as µs with up to 6 decimals, trailing zeros trimmed. */
static void
put_ps_as_us (Writer *w, gint64 ps)
{
  if (ps < 0)
    {
      put (w, "-");
      ps = -ps;
    }
  gint64 whole = ps / 1000000, frac = ps % 1000000;
  if (frac == 0)
    {
      g_string_append_printf (w->buf, "%" G_GINT64_FORMAT, whole);
      return;
    }
  char f[8];
  g_snprintf (f, sizeof f, "%06" G_GINT64_FORMAT, frac);
  for (int i = 5; i > 0 && f[i] == '0'; i--)
    f[i] = '\0';
  g_string_append_printf (w->buf, "%" G_GINT64_FORMAT ".%s", whole, f);
}

/* ns -> µs with up to 6 decimals (picosecond grid). */
static void
put_time_us (Writer *w, double ns)
{
  gint64 ps;
  if (!to_ps (ns, &ps))
    put_double (w, ns / 1000.0);
  else
    put_ps_as_us (w, ps);
}

/* "ts" and "dur" of a span: the end is rounded to the grid like every start, and the duration is
 * end minus start on the grid, so a span that ends where the next begins still does after the
 * round trip (rounding start and duration separately made neighbours overlap by 1 ps). */
static void
put_start_dur (Writer *w, double start_ns, double dur_ns, gboolean with_dur)
{
  gint64 s_ps, e_ps;
  put (w, ",\"ts\":");
  if (!to_ps (start_ns, &s_ps) || !to_ps (start_ns + dur_ns, &e_ps))
    {
      put_double (w, start_ns / 1000.0);
      if (with_dur)
        {
          put (w, ",\"dur\":");
          put_double (w, dur_ns / 1000.0);
        }
      return;
    }
  put_ps_as_us (w, s_ps);
  if (with_dur)
    {
      put (w, ",\"dur\":");
      put_ps_as_us (w, MAX (e_ps - s_ps, 0));
    }
}

static void
begin_event (Writer *w)
{
  put (w, w->first_event ? "\n{" : ",\n{");
  w->first_event = FALSE;
  if (w->buf->len >= FLUSH_BYTES)
    writer_flush (w);
}

static SimGroup *
group_at (const SimTrace *t, guint g)
{
  return g_ptr_array_index (t->groups, g);
}

static const char *
msprof_pipe_name (SimPipe pipe)
{
  return pipe == SIM_PIPE_FIXPIPE ? "FIXP" : sim_pipe_name (pipe);
}

static void
put_pid (Writer *w, int group)
{
  if (group < 0)
    {
      if (w->flavor == SIM_TRACE_FLAVOR_MSPROF)
        put (w, "\"chip\"");
      else
        put_int (w, w->chip_pid);
    }
  else if (w->flavor == SIM_TRACE_FLAVOR_MSPROF)
    put (w, w->group_pid[group]);
  else
    put_int (w, group_at (w->trace, (guint) group)->pid);
}

/* msprof: the pipe name, unless two lanes of the group share a pipe (then the lane's own name). */
static void
put_tid (Writer *w, guint group, guint lane)
{
  const SimGroup *g = group_at (w->trace, group);
  const SimLane *l = g_ptr_array_index (g->lanes, lane);
  if (w->flavor != SIM_TRACE_FLAVOR_MSPROF)
    {
      put_int (w, l->tid);
      return;
    }
  if (l->pipe != SIM_PIPE_NONE)
    {
      guint same = 0;
      for (guint i = 0; i < g->lanes->len; i++)
        same += ((SimLane *) g_ptr_array_index (g->lanes, i))->pipe == l->pipe;
      if (same == 1)
        {
          g_string_append_printf (w->buf, "\"%s\"", msprof_pipe_name (l->pipe));
          return;
        }
    }
  put_str (w, l->name);
}

static char *
msprof_core_name (const SimGroup *g)
{
  if (g->kind == SIM_CORE_AIC && g->core_index >= 0)
    return g_strdup_printf ("core%d.cubecore0", g->core_index);
  if (g->kind == SIM_CORE_AIV && g->core_index >= 0)
    return g_strdup_printf ("core%d.veccore%d", g->core_index / 2, g->core_index % 2);
  return g_strdup (g->name);
}

static const char *
core_kind_name (SimCoreKind k)
{
  return k == SIM_CORE_AIC ? "AIC" : k == SIM_CORE_AIV ? "AIV" : NULL;
}

static void
write_metadata (Writer *w)
{
  const SimTrace *t = w->trace;
  for (guint g = 0; g < t->groups->len; g++)
    {
      const SimGroup *grp = group_at (t, g);
      if (w->flavor == SIM_TRACE_FLAVOR_PERFETTO)
        {
          begin_event (w);
          put (w, "\"ph\":\"M\",\"name\":\"process_name\",\"pid\":");
          put_pid (w, (int) g);
          put (w, ",\"tid\":0,\"args\":{\"name\":");
          put_str (w, grp->name);
          if (core_kind_name (grp->kind) != NULL)
            {
              g_string_append_printf (w->buf, ",\"core_kind\":\"%s\",\"core_index\":%d",
                                      core_kind_name (grp->kind), grp->core_index);
              if (grp->die >= 0)
                g_string_append_printf (w->buf, ",\"die\":%d", grp->die);
            }
          put (w, "}}");
        }
      begin_event (w);
      put (w, "\"ph\":\"M\",\"name\":\"process_sort_index\",\"pid\":");
      put_pid (w, (int) g);
      put (w, w->flavor == SIM_TRACE_FLAVOR_MSPROF ? ",\"tid\":\"NA\"" : ",\"tid\":0");
      g_string_append_printf (w->buf, ",\"args\":{\"sort_index\":%d}}", grp->sort_index);
      for (guint l = 0; l < grp->lanes->len; l++)
        {
          const SimLane *lane = g_ptr_array_index (grp->lanes, l);
          if (w->flavor == SIM_TRACE_FLAVOR_PERFETTO)
            {
              begin_event (w);
              put (w, "\"ph\":\"M\",\"name\":\"thread_name\",\"pid\":");
              put_pid (w, (int) g);
              put (w, ",\"tid\":");
              put_tid (w, g, l);
              put (w, ",\"args\":{\"name\":");
              put_str (w, lane->name);
              if (lane->pipe != SIM_PIPE_NONE)
                g_string_append_printf (w->buf, ",\"pipe\":\"%s\"", sim_pipe_name (lane->pipe));
              put (w, "}}");
            }
          begin_event (w);
          put (w, "\"ph\":\"M\",\"name\":\"thread_sort_index\",\"pid\":");
          put_pid (w, (int) g);
          put (w, ",\"tid\":");
          put_tid (w, g, l);
          g_string_append_printf (w->buf, ",\"args\":{\"sort_index\":%d}}", lane->sort_index);
        }
    }
  gboolean chip_counters = FALSE;
  for (guint i = 0; i < t->counters->len; i++)
    chip_counters |= ((SimCounter *) g_ptr_array_index (t->counters, i))->group < 0;
  if (chip_counters)
    {
      begin_event (w);
      put (w, "\"ph\":\"M\",\"name\":\"process_name\",\"pid\":");
      put_pid (w, -1);
      put (w, ",\"tid\":0,\"args\":{\"name\":\"chip\"}}");
      begin_event (w);
      put (w, "\"ph\":\"M\",\"name\":\"process_sort_index\",\"pid\":");
      put_pid (w, -1);
      g_string_append_printf (w->buf, ",\"tid\":0,\"args\":{\"sort_index\":%d}}",
                              w->chip_sort_index);
    }
}

static void
write_span (Writer *w, guint g, guint l, const SimSpan *s)
{
  gboolean instant = (s->flags & SIM_SPAN_INSTANT) != 0;
  begin_event (w);
  put (w, instant ? "\"ph\":\"i\",\"s\":\"t\",\"name\":" : "\"ph\":\"X\",\"name\":");
  put_sid (w, s->name);
  if (s->stage != SIM_STAGE_NONE)
    g_string_append_printf (w->buf, ",\"cat\":\"%s\"", sim_stage_name (s->stage));
  put (w, ",\"pid\":");
  put_pid (w, (int) g);
  put (w, ",\"tid\":");
  put_tid (w, g, l);
  put_start_dur (w, s->start_ns, s->dur_ns, !instant);
  gsize mark = w->buf->len;
  put (w, ",\"args\":{");
  gsize open = w->buf->len;
#define SEP() put (w, w->buf->len == open ? "" : ",")
  if (s->stage != SIM_STAGE_NONE)
    {
      SEP ();
      g_string_append_printf (w->buf, "\"stage\":\"%s\"", sim_stage_name (s->stage));
    }
  if (s->iter >= 0)
    {
      SEP ();
      g_string_append_printf (w->buf, "\"iteration\":%d", s->iter);
    }
  if (s->task >= 0)
    {
      SEP ();
      g_string_append_printf (w->buf, "\"task\":%d", s->task);
    }
  if (s->bytes > 0)
    {
      SEP ();
      g_string_append_printf (w->buf, "\"bytes\":%" G_GUINT64_FORMAT, s->bytes);
    }
  if (s->flops > 0)
    {
      SEP ();
      g_string_append_printf (w->buf, "\"flops\":%" G_GUINT64_FORMAT, s->flops);
    }
  if (s->detail != 0)
    {
      SEP ();
      put (w, "\"detail\":");
      put_sid (w, s->detail);
    }
  if (s->flags & SIM_SPAN_ATOMIC)
    {
      SEP ();
      put (w, "\"atomic\":true");
    }
  if (s->flags & SIM_SPAN_L2_HIT)
    {
      SEP ();
      put (w, "\"l2_hit\":true");
    }
  if (s->flags & SIM_SPAN_WAIT)
    {
      SEP ();
      put (w, "\"wait\":true");
    }
#undef SEP
  if (w->buf->len == open)
    g_string_truncate (w->buf, mark);
  else
    put (w, "}");
  put (w, "}");
}

static void
write_flows (Writer *w)
{
  const SimTrace *t = w->trace;
  for (guint i = 0; i < t->flows->len; i++)
    {
      const SimFlow *f = &g_array_index (t->flows, SimFlow, i);
      if (sim_trace_lane (t, f->src_group, f->src_lane) == NULL
          || sim_trace_lane (t, f->dst_group, f->dst_lane) == NULL)
        continue;
      /* integer ids: Perfetto parses string ids as hex; numbered in file order so they are
       * unique whatever the producer used */
      for (int end = 0; end < 2; end++)
        {
          begin_event (w);
          put (w, end ? "\"ph\":\"f\",\"bp\":\"e\"" : "\"ph\":\"s\"");
          g_string_append_printf (w->buf, ",\"id\":%u,\"name\":", i + 1);
          put_sid (w, f->name);
          put (w, ",\"cat\":\"flow\",\"pid\":");
          put_pid (w, (int) (end ? f->dst_group : f->src_group));
          put (w, ",\"tid\":");
          put_tid (w, end ? f->dst_group : f->src_group, end ? f->dst_lane : f->src_lane);
          put (w, ",\"ts\":");
          put_time_us (w, end ? f->dst_ns : f->src_ns);
          put (w, "}");
        }
    }
}

static void
write_counters (Writer *w)
{
  const SimTrace *t = w->trace;
  for (guint i = 0; i < t->counters->len; i++)
    {
      const SimCounter *c = g_ptr_array_index (t->counters, i);
      int group = c->group >= 0 && (guint) c->group < t->groups->len ? c->group : -1;
      g_autofree char *name = escape_string (c->name);
      g_autofree char *key = escape_string (c->unit && *c->unit ? c->unit : "value");
      for (gsize k = 0; k < c->n; k++)
        {
          begin_event (w);
          put (w, "\"ph\":\"C\",\"name\":");
          put (w, name);
          put (w, ",\"pid\":");
          put_pid (w, group);
          put (w, ",\"tid\":0,\"ts\":");
          put_time_us (w, c->ts_ns[k]);
          put (w, ",\"args\":{");
          put (w, key);
          put (w, ":");
          put_double (w, c->value[k]);
          put (w, "}}");
        }
    }
}

/* otherData, re-serialised by json-c so a damaged string cannot break the file. */
static void
write_other_data (Writer *w)
{
  if (w->trace->other_data_json == NULL)
    return;
  json_object *o = json_tokener_parse (w->trace->other_data_json);
  if (o == NULL || !json_object_is_type (o, json_type_object))
    {
      g_warning ("trace otherData is not a JSON object; not written");
      json_object_put (o);
      return;
    }
  put (w, "\"otherData\":");
  put (w, json_object_to_json_string_ext (o, JSON_C_TO_STRING_PLAIN
                                                 | JSON_C_TO_STRING_NOSLASHESCAPE));
  put (w, ",\n");
  json_object_put (o);
}

static void
write_all (Writer *w)
{
  const SimTrace *t = w->trace;
  w->escaped = g_new0 (char *, t->strings->len + 1);
  int max_pid = 0;
  int max_sort = 0;
  for (guint g = 0; g < t->groups->len; g++)
    {
      max_pid = MAX (max_pid, group_at (t, g)->pid);
      max_sort = MAX (max_sort, group_at (t, g)->sort_index);
    }
  w->chip_pid = max_pid + 1;
  w->chip_sort_index = max_sort + 1;
  if (w->flavor == SIM_TRACE_FLAVOR_MSPROF)
    {
      w->group_pid = g_new0 (char *, t->groups->len + 1);
      for (guint g = 0; g < t->groups->len; g++)
        {
          g_autofree char *core = msprof_core_name (group_at (t, g));
          w->group_pid[g] = escape_string (core);
        }
    }

  put (w, "{\"displayTimeUnit\":\"ns\",\n");
  /* Huawei's Insight looks for profilingType in the text before the first '[' */
  if (w->flavor == SIM_TRACE_FLAVOR_MSPROF)
    put (w, "\"schemaVersion\":2,\"profilingType\":\"op\",\n");
  write_other_data (w);
  put (w, "\"traceEvents\":[");
  w->first_event = TRUE;
  write_metadata (w);
  for (guint g = 0; g < t->groups->len; g++)
    {
      const SimGroup *grp = group_at (t, g);
      for (guint l = 0; l < grp->lanes->len; l++)
        {
          const SimLane *lane = g_ptr_array_index (grp->lanes, l);
          for (gsize i = 0; i < lane->n_spans; i++)
            write_span (w, g, l, &lane->spans[i]);
        }
    }
  write_flows (w);
  write_counters (w);
  put (w, "\n]}\n");
  writer_flush (w);

  for (guint i = 0; i <= t->strings->len; i++)
    g_free (w->escaped[i]);
  g_free (w->escaped);
  if (w->group_pid != NULL)
    g_strfreev (w->group_pid);
}

char *
sim_trace_to_json (const SimTrace *trace, SimTraceFlavor flavor, gsize *len)
{
  Writer w = { .trace = trace, .flavor = flavor, .fd = -1 };
  w.buf = g_string_sized_new (4096 + 160 * trace->n_spans);
  write_all (&w);
  if (len)
    *len = w.buf->len;
  return g_string_free (w.buf, FALSE);
}

/* Temp file next to the target (so rename is atomic), mode of the old file or 0666 & ~umask. */
static int
open_temp (const char *path, char **tmp_path, GError **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *templ = g_strdup_printf ("%s/.%s.XXXXXX", dir, base);
  int fd = g_mkstemp_full (templ, O_RDWR | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int e = errno;
      g_set_error (error, SIM_TRACE_ERROR, SIM_TRACE_ERROR_IO, "cannot create a file in %s: %s",
                   dir, g_strerror (e));
      return -1;
    }
  struct stat st;
  mode_t mode;
  if (stat (path, &st) == 0)
    mode = st.st_mode & 07777;
  else
    {
      mode_t mask = umask (0);
      umask (mask);
      mode = 0666 & ~mask;
    }
  if (fchmod (fd, mode) != 0)
    { /* not fatal: the file is still written */
    }
  *tmp_path = g_steal_pointer (&templ);
  return fd;
}

static gboolean
finish_temp (int fd, char *tmp_path, const char *path, gboolean ok, GError **error)
{
  if (ok && fsync (fd) != 0)
    {
      int e = errno;
      g_set_error (error, SIM_TRACE_ERROR, SIM_TRACE_ERROR_IO, "cannot write %s: %s", path,
                   g_strerror (e));
      ok = FALSE;
    }
  if (close (fd) != 0 && ok)
    {
      int e = errno;
      g_set_error (error, SIM_TRACE_ERROR, SIM_TRACE_ERROR_IO, "cannot write %s: %s", path,
                   g_strerror (e));
      ok = FALSE;
    }
  if (ok && g_rename (tmp_path, path) != 0)
    {
      int e = errno;
      g_set_error (error, SIM_TRACE_ERROR, SIM_TRACE_ERROR_IO, "cannot replace %s: %s", path,
                   g_strerror (e));
      ok = FALSE;
    }
  if (!ok)
    g_unlink (tmp_path);
  g_free (tmp_path);
  return ok;
}

gboolean
sim_write_file_atomic (const char *path, const char *data, gsize len, GError **error)
{
  char *tmp = NULL;
  int fd = open_temp (path, &tmp, error);
  if (fd < 0)
    return FALSE;
  gboolean ok = TRUE;
  while (len > 0)
    {
      ssize_t n = write (fd, data, len);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int e = errno;
          g_set_error (error, SIM_TRACE_ERROR, SIM_TRACE_ERROR_IO, "cannot write %s: %s", path,
                       g_strerror (e));
          ok = FALSE;
          break;
        }
      data += n;
      len -= (gsize) n;
    }
  return finish_temp (fd, tmp, path, ok, error);
}

gboolean
sim_trace_write_json (const SimTrace *trace, const char *path, SimTraceFlavor flavor,
                      GError **error)
{
  char *tmp = NULL;
  int fd = open_temp (path, &tmp, error);
  if (fd < 0)
    return FALSE;
  Writer w = { .trace = trace, .flavor = flavor, .fd = fd };
  w.buf = g_string_sized_new (FLUSH_BYTES + 4096);
  write_all (&w);
  g_string_free (w.buf, TRUE);
  gboolean ok = w.error == NULL;
  if (!ok)
    {
      g_prefix_error (&w.error, "%s: ", path);
      g_propagate_error (error, w.error);
    }
  return finish_temp (fd, tmp, path, ok, error);
}
