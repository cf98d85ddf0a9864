/* sim/trace/trace-json-write.c — Chrome Trace Event JSON writer (see trace-json.h).
 *
 * A streaming writer: events are formatted by hand into one byte buffer (one event per line);
 * saving hands each full 4 MiB buffer to trace-file-write.c, whose thread writes it while the
 * next is formatted, so a million spans never become a million json_objects and no number goes
 * through printf.  Strings go through json-c's own escaping, once per interned string; each
 * lane's `"pid":…,"tid":…` is formatted once.  Times are integers of picoseconds written as µs
 * with up to 6 decimals (locale-free); a span's end is rounded like every start and its duration
 * is end − start on that grid, so spans that meet still meet when read back.
 */
#include "sim/trace/trace-file-write.h"
#include "sim/trace/trace-import.h" /* trace_json_parse_keeping_ints */

#include <json-c/json.h>
#include <math.h>
#include <string.h>

GQuark
sim_trace_error_quark (void)
{
  return g_quark_from_static_string ("sim-trace-error");
}

#define FLUSH_BYTES TRACE_OUTPUT_CHUNK_BYTES

typedef struct
{
  const SimTrace *trace;
  SimTraceFlavor flavor;
  char *buf;
  gsize len, cap;
  TraceOutput *out; /* NULL: keep everything in buf */
  char **escaped;   /* escaped (quoted) string table, filled lazily */
  guint32 *escaped_len;
  char **group_pid; /* msprof flavour: quoted core-name pid per group */
  char ***lane_key; /* per group, per lane: ,"pid":…,"tid":… */
  gsize **lane_key_len;
  int chip_pid, chip_sort_index;
  gboolean first_event;
} Writer;

static void
grow (Writer *w, gsize n)
{
  w->cap = MAX (w->cap * 2, w->len + n + 4096);
  w->buf = g_realloc (w->buf, w->cap);
}

static inline void
put_n (Writer *w, const char *s, gsize n)
{
  if (w->len + n > w->cap)
    grow (w, n);
  memcpy (w->buf + w->len, s, n);
  w->len += n;
}

#define PUT_LIT(w, s) put_n ((w), (s), sizeof (s) - 1)

static void
put (Writer *w, const char *s)
{
  put_n (w, s, strlen (s));
}

static void
writer_flush (Writer *w)
{
  if (w->out == NULL)
    return;
  trace_output_push (w->out, &w->buf, &w->len, &w->cap);
}

static const char digit_pairs[201] = "00010203040506070809101112131415161718192021222324252627282930313233"
                                     "34353637383940414243444546474849505152535455565758596061626364656667"
                                     "6869707172737475767778798081828384858687888990919293949596979899";

static inline int
n_digits (guint64 v)
{
  int n = 1;
  while (v >= 100)
    {
      v /= 100;
      n += 2;
    }
  return n + (v >= 10);
}

/* Decimal digits of v, without printf: two at a time, straight into the buffer. */
static inline void
put_u64 (Writer *w, guint64 v)
{
  int n = n_digits (v);
  if (w->len + (gsize) n > w->cap)
    grow (w, (gsize) n);
  char *end = w->buf + w->len + n;
  while (v >= 100)
    {
      guint r = (guint) (v % 100);
      v /= 100;
      end -= 2;
      memcpy (end, digit_pairs + 2 * r, 2);
    }
  if (v >= 10)
    memcpy (end - 2, digit_pairs + 2 * v, 2);
  else
    end[-1] = (char) ('0' + v);
  w->len += (gsize) n;
}

static inline void
put_i64 (Writer *w, gint64 v)
{
  if (v < 0)
    {
      PUT_LIT (w, "-");
      put_u64 (w, (guint64) 0 - (guint64) v);
    }
  else
    put_u64 (w, (guint64) v);
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
  put (w, e);
}

static inline const char *escaped_sid (Writer *w, guint32 id, gsize *len);

static inline void
put_sid (Writer *w, guint32 id)
{
  gsize len;
  const char *e = escaped_sid (w, id, &len);
  put_n (w, e, len);
}

static void
put_int (Writer *w, gint64 v)
{
  put_i64 (w, v);
}

/* An integer count of picoseconds as µs with up to 6 decimals, trailing zeros trimmed. */
static inline void
put_ps_as_us (Writer *w, gint64 ps)
{
  guint64 u = ps < 0 ? (guint64) 0 - (guint64) ps : (guint64) ps;
  if (ps < 0)
    PUT_LIT (w, "-");
  put_u64 (w, u / 1000000);
  guint32 frac = (guint32) (u % 1000000);
  if (frac == 0)
    return;
  char f[7];
  f[0] = '.';
  memcpy (f + 1, digit_pairs + 2 * (frac / 10000), 2);
  memcpy (f + 3, digit_pairs + 2 * (frac / 100 % 100), 2);
  memcpy (f + 5, digit_pairs + 2 * (frac % 100), 2);
  gsize n = 7;
  while (f[n - 1] == '0')
    n--;
  put_n (w, f, n);
}

/* Shortest decimal that reads back as the same double; JSON has no NaN/Inf, so those are null.
 * Whole numbers and numbers with up to 6 decimals (nearly every counter value) skip printf: a
 * double equal to k / 10^6 is what strtod makes of that decimal, since the division is exact-
 * rounded too. */
static void
put_double (Writer *w, double v)
{
  if (!isfinite (v))
    {
      PUT_LIT (w, "null");
      return;
    }
  if (fabs (v) < 9e12)
    {
      double scaled = v * 1e6;
      gint64 k = llround (scaled);
      if ((double) k / 1e6 == v)
        {
          put_ps_as_us (w, k);
          return;
        }
    }
  else if (v == floor (v) && fabs (v) < 1e15)
    {
      put_i64 (w, (gint64) v);
      return;
    }
  char b[G_ASCII_DTOSTR_BUF_SIZE];
  g_ascii_formatd (b, sizeof b, "%.15g", v);
  if (g_ascii_strtod (b, NULL) != v)
    g_ascii_formatd (b, sizeof b, "%.17g", v);
  put (w, b);
}

/* ns on the picosecond grid; FALSE when too large or not finite for an exact integer. */
static inline gboolean
to_ps (double ns, gint64 *ps)
{
  if (!isfinite (ns) || fabs (ns) > 9e15)
    return FALSE;
  /* llround without the call: half away from zero.  x - k is exact, since |x| < 2^53 */
  double x = ns * 1000.0;
  gint64 k = (gint64) x;
  double f = x - (double) k;
  *ps = f >= 0.5 ? k + 1 : f <= -0.5 ? k - 1 : k;
  return TRUE;
}

/* The six decimals of frac (0..999999 ps) at p, trailing zeros trimmed; nothing for 0. */
static inline char *
fmt_frac_ps (char *p, guint32 frac)
{
  if (frac == 0)
    return p;
  p[0] = '.';
  memcpy (p + 1, digit_pairs + 2 * (frac / 10000), 2);
  memcpy (p + 3, digit_pairs + 2 * (frac / 100 % 100), 2);
  memcpy (p + 5, digit_pairs + 2 * (frac % 100), 2);
  p += 7;
  while (p[-1] == '0')
    p--;
  return p;
}

/* A time of a trace with an origin (SimTrace.origin_ns): origin + ps as µs, exactly.  The sum
 * passes 64 bits of ps on a wall clock (1.7e21), so it is added in ns and the ps kept apart. */
static char *
fmt_origin_ps_as_us (char *p, guint64 origin_ns, gint64 ps)
{
  gint64 rel_ns = ps / 1000, rem_ps = ps % 1000;
  if (rem_ps < 0)
    rem_ps += 1000, rel_ns--;
  if (rel_ns < 0 && (guint64) -rel_ns > origin_ns)
    {
      /* before the file's 0: small enough for plain ps */
      gint64 abs_ps = ps + (gint64) origin_ns * 1000;
      *p++ = '-';
      p += g_snprintf (p, 24, "%" G_GUINT64_FORMAT, (guint64) -abs_ps / 1000000);
      return fmt_frac_ps (p, (guint32) ((guint64) -abs_ps % 1000000));
    }
  guint64 abs_ns = origin_ns + (guint64) rel_ns;
  p += g_snprintf (p, 24, "%" G_GUINT64_FORMAT, abs_ns / 1000);
  return fmt_frac_ps (p, (guint32) (abs_ns % 1000) * 1000 + (guint32) rem_ps);
}

/* ps from the trace's origin as µs on the file's clock. */
static void
put_abs_ps_as_us (Writer *w, gint64 ps)
{
  if (G_LIKELY (w->trace->origin_ns == 0))
    {
      put_ps_as_us (w, ps);
      return;
    }
  if (w->len + 48 > w->cap)
    grow (w, 48);
  w->len = (gsize) (fmt_origin_ps_as_us (w->buf + w->len, w->trace->origin_ns, ps) - w->buf);
}

/* A time off the picosecond grid (or past 9e15 ns) on the file's clock, as a double. */
static void
put_abs_double_us (Writer *w, double ns)
{
  put_double (w, (ns + (double) w->trace->origin_ns) / 1000.0);
}

/* ns -> µs with up to 6 decimals (picosecond grid). */
static void
put_time_us (Writer *w, double ns)
{
  gint64 ps;
  if (!to_ps (ns, &ps))
    put_abs_double_us (w, ns);
  else
    put_abs_ps_as_us (w, ps);
}

/* "ts" and "dur" of a span: the end is rounded to the grid like every start, and the duration is
 * end minus start on the grid, so a span that ends where the next begins still does after the
 * round trip (rounding start and duration separately made neighbours overlap by 1 ps). */
static void
put_start_dur (Writer *w, double start_ns, double dur_ns, gboolean with_dur)
{
  gint64 s_ps, e_ps;
  PUT_LIT (w, ",\"ts\":");
  if (!to_ps (start_ns, &s_ps) || !to_ps (start_ns + dur_ns, &e_ps))
    {
      put_abs_double_us (w, start_ns);
      if (with_dur)
        {
          PUT_LIT (w, ",\"dur\":");
          put_double (w, dur_ns / 1000.0);
        }
      return;
    }
  put_abs_ps_as_us (w, s_ps);
  if (with_dur)
    {
      PUT_LIT (w, ",\"dur\":");
      put_ps_as_us (w, MAX (e_ps - s_ps, 0));
    }
}

static inline void
begin_event (Writer *w)
{
  if (w->len >= FLUSH_BYTES)
    writer_flush (w);
  if (w->first_event)
    PUT_LIT (w, "\n{");
  else
    PUT_LIT (w, ",\n{");
  w->first_event = FALSE;
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
        PUT_LIT (w, "\"chip\"");
      else
        put_int (w, w->chip_pid);
    }
  else if (w->flavor == SIM_TRACE_FLAVOR_MSPROF)
    put (w, w->group_pid[group]);
  else
    put_int (w, group_at (w->trace, (guint) group)->pid);
}

/* name, owned by used from now on, or "name (what N)" (then " #2", " #3" … should that be taken
 * too) when used already holds it: msprof pids and tids are names, and a reader merges the
 * processes or threads that share one.  Returns the name kept in used. */
static char *
unique_name (GHashTable *used, char *name, const char *what, gint64 n)
{
  if (!g_hash_table_contains (used, name))
    {
      g_hash_table_add (used, name);
      return name;
    }
  char *base = g_strdup_printf ("%s (%s %" G_GINT64_FORMAT ")", name, what, n);
  g_free (name);
  char *u = g_strdup (base);
  for (int k = 2; g_hash_table_contains (used, u); k++)
    {
      g_free (u);
      u = g_strdup_printf ("%s #%d", base, k);
    }
  g_free (base);
  g_hash_table_add (used, u);
  return u;
}

/* msprof: the pipe name, unless two lanes of the group share a pipe (then the lane's own name);
 * unique in the group (unique_name; used: the names given to the group's lanes before). */
static void
put_tid (Writer *w, guint group, guint lane, GHashTable *used)
{
  const SimGroup *g = group_at (w->trace, group);
  const SimLane *l = g_ptr_array_index (g->lanes, lane);
  if (w->flavor != SIM_TRACE_FLAVOR_MSPROF)
    {
      put_int (w, l->tid);
      return;
    }
  const char *name = l->name;
  if (l->pipe != SIM_PIPE_NONE)
    {
      guint same = 0;
      for (guint i = 0; i < g->lanes->len; i++)
        same += ((SimLane *) g_ptr_array_index (g->lanes, i))->pipe == l->pipe;
      if (same == 1)
        name = msprof_pipe_name (l->pipe);
    }
  put_str (w, unique_name (used, g_strdup (name), "tid", l->tid));
}

/* ,"pid":…,"tid":… of every lane, formatted once (put_tid's msprof lookup is per lane, not per
 * span). */
static void
make_lane_keys (Writer *w)
{
  const SimTrace *t = w->trace;
  w->lane_key = g_new0 (char **, t->groups->len + 1);
  w->lane_key_len = g_new0 (gsize *, t->groups->len + 1);
  for (guint g = 0; g < t->groups->len; g++)
    {
      const SimGroup *grp = group_at (t, g);
      w->lane_key[g] = g_new0 (char *, grp->lanes->len + 1);
      w->lane_key_len[g] = g_new0 (gsize, grp->lanes->len + 1);
      g_autoptr (GHashTable) used = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      for (guint l = 0; l < grp->lanes->len; l++)
        {
          gsize mark = w->len;
          PUT_LIT (w, ",\"pid\":");
          put_pid (w, (int) g);
          PUT_LIT (w, ",\"tid\":");
          put_tid (w, g, l, used);
          /* NUL-padded: write_span copies strings 16 bytes at a time */
          w->lane_key[g][l] = g_malloc0 (w->len - mark + 32);
          memcpy (w->lane_key[g][l], w->buf + mark, w->len - mark);
          w->lane_key_len[g][l] = w->len - mark;
          w->len = mark;
        }
    }
}

static void
free_lane_keys (Writer *w)
{
  for (guint g = 0; g < w->trace->groups->len; g++)
    {
      g_strfreev (w->lane_key[g]);
      g_free (w->lane_key_len[g]);
    }
  g_free (w->lane_key);
  g_free (w->lane_key_len);
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
put_sort_index (Writer *w, int sort_index)
{
  PUT_LIT (w, ",\"args\":{\"sort_index\":");
  put_int (w, sort_index);
  PUT_LIT (w, "}}");
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
          PUT_LIT (w, "\"ph\":\"M\",\"name\":\"process_name\",\"pid\":");
          put_pid (w, (int) g);
          PUT_LIT (w, ",\"tid\":0,\"args\":{\"name\":");
          put_str (w, grp->name);
          if (core_kind_name (grp->kind) != NULL)
            {
              PUT_LIT (w, ",\"core_kind\":\"");
              put (w, core_kind_name (grp->kind));
              PUT_LIT (w, "\",\"core_index\":");
              put_int (w, grp->core_index);
              if (grp->die >= 0)
                {
                  PUT_LIT (w, ",\"die\":");
                  put_int (w, grp->die);
                }
            }
          PUT_LIT (w, "}}");
        }
      begin_event (w);
      PUT_LIT (w, "\"ph\":\"M\",\"name\":\"process_sort_index\",\"pid\":");
      put_pid (w, (int) g);
      if (w->flavor == SIM_TRACE_FLAVOR_MSPROF)
        PUT_LIT (w, ",\"tid\":\"NA\"");
      else
        PUT_LIT (w, ",\"tid\":0");
      put_sort_index (w, grp->sort_index);
      for (guint l = 0; l < grp->lanes->len; l++)
        {
          const SimLane *lane = g_ptr_array_index (grp->lanes, l);
          if (w->flavor == SIM_TRACE_FLAVOR_PERFETTO)
            {
              begin_event (w);
              PUT_LIT (w, "\"ph\":\"M\",\"name\":\"thread_name\"");
              put (w, w->lane_key[g][l]);
              PUT_LIT (w, ",\"args\":{\"name\":");
              put_str (w, lane->name);
              if (lane->pipe != SIM_PIPE_NONE)
                {
                  PUT_LIT (w, ",\"pipe\":\"");
                  put (w, sim_pipe_name (lane->pipe));
                  PUT_LIT (w, "\"");
                }
              PUT_LIT (w, "}}");
            }
          begin_event (w);
          PUT_LIT (w, "\"ph\":\"M\",\"name\":\"thread_sort_index\"");
          put (w, w->lane_key[g][l]);
          put_sort_index (w, lane->sort_index);
        }
    }
  gboolean chip_counters = FALSE;
  for (guint i = 0; i < t->counters->len; i++)
    chip_counters |= ((SimCounter *) g_ptr_array_index (t->counters, i))->group < 0;
  if (chip_counters)
    {
      begin_event (w);
      PUT_LIT (w, "\"ph\":\"M\",\"name\":\"process_name\",\"pid\":");
      put_pid (w, -1);
      PUT_LIT (w, ",\"tid\":0,\"args\":{\"name\":\"chip\"}}");
      begin_event (w);
      PUT_LIT (w, "\"ph\":\"M\",\"name\":\"process_sort_index\",\"pid\":");
      put_pid (w, -1);
      PUT_LIT (w, ",\"tid\":0");
      put_sort_index (w, w->chip_sort_index);
    }
}

static inline void
sep (Writer *w, gboolean *first)
{
  if (!*first)
    PUT_LIT (w, ",");
  *first = FALSE;
}

/* ,"cat":"C1" per stage, formatted once.  The stage is written there only: args.stage repeated it
 * (13 of a span's 156 bytes in the default run's trace); readers take either (ours: cat first). */
typedef struct
{
  char cat[40];
  gsize cat_len;
} StageText;

static StageText stage_text[SIM_N_STAGES];

static void
make_stage_text (void)
{
  for (int i = 1; i < SIM_N_STAGES; i++)
    {
      StageText *t = &stage_text[i];
      t->cat_len = (gsize) g_snprintf (t->cat, sizeof t->cat, ",\"cat\":\"%s\"",
                                       sim_stage_name ((SimStage) i));
    }
}

/* ---- spans: formatted through a pointer into room reserved once per span ---- */

/* the longest a span's text can be besides its strings: ph, cat, ts, dur, args with every key,
 * seven 20-digit numbers; and 16 bytes of slack for the 16-byte string copies below */
#define SPAN_FIXED_BYTES 480

/* Decimal digits of v at p; returns the end. */
static inline char *
fmt_u64 (char *p, guint64 v)
{
  if (v < 10)
    {
      *p = (char) ('0' + v);
      return p + 1;
    }
  char *end = p + n_digits (v), *q = end;
  while (v >= 100)
    {
      q -= 2;
      memcpy (q, digit_pairs + 2 * (v % 100), 2);
      v /= 100;
    }
  if (v >= 10)
    memcpy (q - 2, digit_pairs + 2 * v, 2);
  else
    q[-1] = (char) ('0' + v);
  return end;
}

/* put_ps_as_us at p: picoseconds as µs, up to 6 decimals, trailing zeros trimmed. */
static inline char *
fmt_ps_as_us (char *p, gint64 ps)
{
  guint64 u = (guint64) ps;
  if (ps < 0)
    {
      *p++ = '-';
      u = (guint64) 0 - (guint64) ps;
    }
  p = fmt_u64 (p, u / 1000000);
  return fmt_frac_ps (p, (guint32) (u % 1000000));
}

/* A string of n bytes at p: 16-byte copies for short ones (the room has 16 bytes of slack). */
static inline char *
fmt_bytes (char *p, const char *s, gsize n)
{
  if (n <= 16)
    memcpy (p, s, 16);
  else if (n <= 32)
    {
      memcpy (p, s, 16);
      memcpy (p + 16, s + 16, 16);
    }
  else
    memcpy (p, s, n);
  return p + n;
}

#define FMT_LIT(p, s) (memcpy ((p), (s), sizeof (s) - 1), (p) + sizeof (s) - 1)

/* the escaped string of id, made on first use; NUL-padded to a multiple of 16 plus 16 bytes, so
 * fmt_bytes may copy past its end */
static inline const char *
escaped_sid (Writer *w, guint32 id, gsize *len)
{
  if (id >= w->trace->strings->len)
    id = 0;
  if (w->escaped[id] == NULL)
    {
      g_autofree char *e = escape_string (sim_trace_string (w->trace, id));
      gsize n = strlen (e);
      w->escaped[id] = g_malloc0 (n + 32);
      memcpy (w->escaped[id], e, n);
      w->escaped_len[id] = (guint32) n;
    }
  *len = w->escaped_len[id];
  return w->escaped[id];
}

/* A span's args object, ",\"args\":{…}" with the closing brace of the event, at p; only the
 * event's "}" when it has none.  Our writer's members only (an imported event's own args are
 * written as read, in write_span). */
static inline char *
fmt_args_end (char *p, const SimSpan *s, const char *detail, gsize detail_len)
{
  char *mark = p;
  p = FMT_LIT (p, ",\"args\":{");
  char *first = p;
  if (s->iter >= 0)
    {
      p = FMT_LIT (p, "\"iteration\":");
      p = fmt_u64 (p, (guint64) s->iter);
    }
  if (s->task >= 0)
    {
      if (p != first)
        *p++ = ',';
      p = FMT_LIT (p, "\"task\":");
      p = fmt_u64 (p, (guint64) s->task);
    }
  if (s->bytes > 0)
    {
      if (p != first)
        *p++ = ',';
      p = FMT_LIT (p, "\"bytes\":");
      p = fmt_u64 (p, s->bytes);
    }
  if (s->flops > 0)
    {
      if (p != first)
        *p++ = ',';
      p = FMT_LIT (p, "\"flops\":");
      p = fmt_u64 (p, s->flops);
    }
  if (detail != NULL)
    {
      if (p != first)
        *p++ = ',';
      p = FMT_LIT (p, "\"detail\":");
      p = fmt_bytes (p, detail, detail_len);
    }
  if (s->flags & SIM_SPAN_ATOMIC)
    {
      if (p != first)
        *p++ = ',';
      p = FMT_LIT (p, "\"atomic\":true");
    }
  if (s->flags & SIM_SPAN_L2_HIT)
    {
      if (p != first)
        *p++ = ',';
      p = FMT_LIT (p, "\"l2_hit\":true");
    }
  if (s->flags & SIM_SPAN_WAIT)
    {
      if (p != first)
        *p++ = ',';
      p = FMT_LIT (p, "\"wait\":true");
    }
  if (p == first)
    p = mark; /* no args */
  else
    *p++ = '}';
  *p++ = '}';
  return p;
}

static void
write_span (Writer *w, const char *lane_key, gsize lane_key_len, const SimSpan *s)
{
  gboolean instant = (s->flags & SIM_SPAN_INSTANT) != 0;
  gsize name_len, detail_len = 0;
  const char *name = escaped_sid (w, s->name, &name_len);
  const char *detail = s->detail != 0 ? escaped_sid (w, s->detail, &detail_len) : NULL;
  /* an imported event's own cat, args and other members, written as read (sim_span_extra) */
  SimSpanExtra x = { 0 };
  if (G_UNLIKELY (s->extra != 0))
    sim_span_extra (w->trace, s, &x);
  const char *x_cat = x.cat, *x_args = x.args;
  gsize x_cat_len = x.cat_len, x_args_len = x.args_len;
  if (w->len >= FLUSH_BYTES)
    writer_flush (w);
  gsize room = SPAN_FIXED_BYTES + name_len + detail_len + lane_key_len + x_cat_len + x_args_len
               + x.other_len;
  if (w->len + room > w->cap)
    grow (w, room);
  char *p = w->buf + w->len;
  p = w->first_event ? FMT_LIT (p, "\n{") : FMT_LIT (p, ",\n{");
  w->first_event = FALSE;
  if (instant)
    p = s->flags & SIM_SPAN_SCOPE_GLOBAL    ? FMT_LIT (p, "\"ph\":\"i\",\"s\":\"g\",\"name\":")
        : s->flags & SIM_SPAN_SCOPE_PROCESS ? FMT_LIT (p, "\"ph\":\"i\",\"s\":\"p\",\"name\":")
                                            : FMT_LIT (p, "\"ph\":\"i\",\"s\":\"t\",\"name\":");
  else
    p = FMT_LIT (p, "\"ph\":\"X\",\"name\":");
  p = fmt_bytes (p, name, name_len);
  const StageText *stage = s->stage != SIM_STAGE_NONE && s->stage < SIM_N_STAGES
                               ? &stage_text[s->stage] : NULL;
  if (x_cat_len > 0)
    {
      p = FMT_LIT (p, ",\"cat\":");
      memcpy (p, x_cat, x_cat_len);
      p += x_cat_len;
    }
  else if (stage != NULL)
    p = fmt_bytes (p, stage->cat, stage->cat_len);
  p = fmt_bytes (p, lane_key, lane_key_len);
  gint64 s_ps, e_ps;
  if (G_LIKELY (to_ps (s->start_ns, &s_ps) && to_ps (s->start_ns + s->dur_ns, &e_ps)))
    {
      /* the end rounded to the grid like every start, the duration end minus start (see
       * put_start_dur) */
      p = FMT_LIT (p, ",\"ts\":");
      p = G_LIKELY (w->trace->origin_ns == 0) ? fmt_ps_as_us (p, s_ps)
                                              : fmt_origin_ps_as_us (p, w->trace->origin_ns, s_ps);
      if (!instant)
        {
          p = FMT_LIT (p, ",\"dur\":");
          p = fmt_ps_as_us (p, MAX (e_ps - s_ps, 0));
        }
    }
  else
    {
      w->len = (gsize) (p - w->buf);
      put_start_dur (w, s->start_ns, s->dur_ns, !instant);
      if (w->len + room > w->cap)
        grow (w, room);
      p = w->buf + w->len;
    }
  if (G_UNLIKELY (x.other_len > 0))
    {
      *p++ = ',';
      memcpy (p, x.other, x.other_len);
      p += x.other_len;
    }
  if (x_args_len > 0)
    {
      p = FMT_LIT (p, ",\"args\":");
      memcpy (p, x_args, x_args_len);
      p += x_args_len;
      *p++ = '}';
      w->len = (gsize) (p - w->buf);
      return;
    }
  p = fmt_args_end (p, s, detail, detail_len);
  w->len = (gsize) (p - w->buf);
}

/* ---- a lane's spans: what repeats is formatted once ----
 * A simulated lane repeats a few names and a few argument sets thousands of times (446 k spans of
 * the default run name 125 strings).  The text from "ph" to "ts": of a (name, stage) and the args
 * of an (iteration, task, bytes, flops, detail, flags) are kept in small direct-mapped tables for
 * the lane being written, so such a span is two copies and its two times.  The bytes are
 * write_span's: the pieces are formatted by the same code, and everything else goes there. */
#define PIECE_BYTES 128 /* a longer piece is formatted each time */
#define HEAD_SLOTS 32
#define TAIL_SLOTS 64

typedef struct
{
  guint32 gen; /* SpanPieces.gen when filled: older ones are empty */
  guint32 name;
  guint8 stage, len;
  char text[PIECE_BYTES]; /* copied PIECE_BYTES at a time */
} HeadPiece;

typedef struct
{
  guint32 gen, detail;
  gint32 iter, task;
  guint64 bytes, flops;
  guint8 flags, len;
  char text[PIECE_BYTES];
} TailPiece;

typedef struct
{
  guint32 gen; /* one per lane */
  HeadPiece head[HEAD_SLOTS];
  TailPiece tail[TAIL_SLOTS];
} SpanPieces;

static void
write_lane_spans (Writer *w, SpanPieces *pc, const char *lane_key, gsize lane_key_len,
                  const SimSpan *spans, gsize n)
{
  if (++pc->gen == 0) /* wrapped: every slot's gen may match again */
    {
      memset (pc, 0, sizeof *pc);
      pc->gen = 1;
    }
  const guint32 gen = pc->gen;
  /* a trace on a wall clock (origin_ns) writes its times another way: all of it in write_span */
  const gboolean plain = w->trace->origin_ns == 0 && lane_key_len < PIECE_BYTES;
  for (gsize i = 0; i < n; i++)
    {
      const SimSpan *s = &spans[i];
      gint64 s_ps, e_ps;
      if (G_UNLIKELY (!plain || s->extra != 0 || (s->flags & SIM_SPAN_INSTANT)
                      || !to_ps (s->start_ns, &s_ps) || !to_ps (s->start_ns + s->dur_ns, &e_ps)))
        {
          write_span (w, lane_key, lane_key_len, s);
          continue;
        }
      HeadPiece *h = &pc->head[(s->name * 5u + s->stage) % HEAD_SLOTS];
      if (h->gen != gen || h->name != s->name || h->stage != s->stage)
        {
          gsize name_len;
          const char *name = escaped_sid (w, s->name, &name_len);
          const StageText *stage = s->stage != SIM_STAGE_NONE && s->stage < SIM_N_STAGES
                                       ? &stage_text[s->stage]
                                       : NULL;
          if (sizeof "\"ph\":\"X\",\"name\":" + name_len + (stage ? stage->cat_len : 0)
                  + lane_key_len + sizeof ",\"ts\":"
              > PIECE_BYTES)
            {
              write_span (w, lane_key, lane_key_len, s);
              continue;
            }
          char *p = FMT_LIT (h->text, "\"ph\":\"X\",\"name\":");
          memcpy (p, name, name_len);
          p += name_len;
          if (stage != NULL)
            {
              memcpy (p, stage->cat, stage->cat_len);
              p += stage->cat_len;
            }
          memcpy (p, lane_key, lane_key_len);
          p += lane_key_len;
          p = FMT_LIT (p, ",\"ts\":");
          h->len = (guint8) (p - h->text);
          h->gen = gen;
          h->name = s->name;
          h->stage = s->stage;
        }
      const guint8 tflags = s->flags & (SIM_SPAN_ATOMIC | SIM_SPAN_L2_HIT | SIM_SPAN_WAIT);
      TailPiece *t = &pc->tail[((guint32) s->iter * 7u + (guint32) s->task * 3u
                                + (guint32) (s->bytes >> 8) + (guint32) s->flops + s->detail)
                               % TAIL_SLOTS];
      if (t->gen != gen || t->iter != s->iter || t->task != s->task || t->bytes != s->bytes
          || t->flops != s->flops || t->detail != s->detail || t->flags != tflags)
        {
          gsize detail_len = 0;
          const char *detail = s->detail != 0 ? escaped_sid (w, s->detail, &detail_len) : NULL;
          /* formatted aside: with every member and 20-digit numbers args take 170 bytes */
          char args[SPAN_FIXED_BYTES];
          gsize len = detail_len <= PIECE_BYTES
                          ? (gsize) (fmt_args_end (args, s, detail, detail_len) - args)
                          : G_MAXSIZE;
          if (len > PIECE_BYTES)
            {
              write_span (w, lane_key, lane_key_len, s);
              continue;
            }
          memcpy (t->text, args, len);
          t->len = (guint8) len;
          t->gen = gen;
          t->iter = s->iter;
          t->task = s->task;
          t->bytes = s->bytes;
          t->flops = s->flops;
          t->detail = s->detail;
          t->flags = tflags;
        }
      if (w->len >= FLUSH_BYTES)
        writer_flush (w);
      if (w->len + SPAN_FIXED_BYTES + 2 * PIECE_BYTES > w->cap)
        grow (w, SPAN_FIXED_BYTES + 2 * PIECE_BYTES);
      char *p = w->buf + w->len;
      p = w->first_event ? FMT_LIT (p, "\n{") : FMT_LIT (p, ",\n{");
      w->first_event = FALSE;
      memcpy (p, h->text, PIECE_BYTES);
      p += h->len;
      p = fmt_ps_as_us (p, s_ps);
      p = FMT_LIT (p, ",\"dur\":");
      p = fmt_ps_as_us (p, MAX (e_ps - s_ps, 0));
      memcpy (p, t->text, PIECE_BYTES);
      p += t->len;
      w->len = (gsize) (p - w->buf);
    }
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
          if (end)
            PUT_LIT (w, "\"ph\":\"f\",\"bp\":\"e\",\"id\":");
          else
            PUT_LIT (w, "\"ph\":\"s\",\"id\":");
          put_u64 (w, (guint64) i + 1);
          PUT_LIT (w, ",\"name\":");
          put_sid (w, f->name);
          if (f->cat != 0)
            {
              PUT_LIT (w, ",\"cat\":");
              put_sid (w, f->cat);
            }
          else
            PUT_LIT (w, ",\"cat\":\"flow\"");
          put (w, end ? w->lane_key[f->dst_group][f->dst_lane]
                      : w->lane_key[f->src_group][f->src_lane]);
          PUT_LIT (w, ",\"ts\":");
          put_time_us (w, end ? f->dst_ns : f->src_ns);
          PUT_LIT (w, "}");
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
      /* the same text before every point's time and value */
      gsize mark = w->len;
      PUT_LIT (w, "\"ph\":\"C\",\"name\":");
      put (w, name);
      PUT_LIT (w, ",\"pid\":");
      put_pid (w, group);
      PUT_LIT (w, ",\"tid\":0,\"ts\":");
      g_autofree char *head = g_strndup (w->buf + mark, w->len - mark);
      gsize head_len = w->len - mark;
      w->len = mark;
      mark = w->len;
      PUT_LIT (w, ",\"args\":{");
      put (w, key);
      PUT_LIT (w, ":");
      g_autofree char *mid = g_strndup (w->buf + mark, w->len - mark);
      gsize mid_len = w->len - mark;
      w->len = mark;
      for (gsize k = 0; k < c->n; k++)
        {
          begin_event (w);
          put_n (w, head, head_len);
          put_time_us (w, c->ts_ns[k]);
          put_n (w, mid, mid_len);
          put_double (w, c->value[k]);
          PUT_LIT (w, "}}");
        }
    }
}

/* The next '\n'-ended line of a text kept line by line (kept events, top-level members) at *at:
 * its start and length without the '\n'; NULL at end. */
static const char *
next_line (const char **at, const char *end, gsize *len)
{
  const char *p = *at;
  if (p >= end)
    return NULL;
  const char *nl = memchr (p, '\n', (gsize) (end - p));
  if (nl == NULL)
    nl = end;
  *len = (gsize) (nl - p);
  *at = nl + 1;
  return p;
}

/* The imported events we neither draw nor read, as they were read (SimTrace.kept_events); not in
 * the msprof layout, whose pids and tids are names the kept events do not use. */
static void
write_kept_events (Writer *w)
{
  const GString *k = w->trace->kept_events;
  if (k == NULL || w->flavor == SIM_TRACE_FLAVOR_MSPROF)
    return;
  const char *at = k->str, *line;
  gsize n;
  while ((line = next_line (&at, k->str + k->len, &n)) != NULL)
    if (n >= 2 && *line == '{')
      {
        begin_event (w); /* writes the '{' */
        put_n (w, line + 1, n - 1);
      }
}

/* The file's other top-level members, as read (SimTrace.top_members), each on its line; the
 * msprof layout writes its own schemaVersion and profilingType. */
static void
write_top_members (Writer *w)
{
  const GString *m = w->trace->top_members;
  if (m == NULL)
    return;
  static const char schema[] = "\"schemaVersion\":", type[] = "\"profilingType\":";
  const char *at = m->str, *line;
  gsize n;
  while ((line = next_line (&at, m->str + m->len, &n)) != NULL)
    {
      gboolean ours = w->flavor == SIM_TRACE_FLAVOR_MSPROF
                      && ((n >= sizeof schema - 1 && memcmp (line, schema, sizeof schema - 1) == 0)
                          || (n >= sizeof type - 1 && memcmp (line, type, sizeof type - 1) == 0));
      if (!ours)
        {
          put_n (w, line, n);
          PUT_LIT (w, ",\n");
        }
    }
}

/* otherData, re-serialised by json-c so a damaged string cannot break the file. */
static void
write_other_data (Writer *w)
{
  if (w->trace->other_data_json == NULL)
    return;
  json_object *o = trace_json_parse_keeping_ints (w->trace->other_data_json);
  if (o == NULL || !json_object_is_type (o, json_type_object))
    {
      g_warning ("trace otherData is not a JSON object; not written");
      json_object_put (o);
      return;
    }
  PUT_LIT (w, "\"otherData\":");
  put (w, json_object_to_json_string_ext (o, JSON_C_TO_STRING_PLAIN
                                                 | JSON_C_TO_STRING_NOSLASHESCAPE));
  PUT_LIT (w, ",\n");
  json_object_put (o);
}

/* ---- spans on two threads ---- */

/* A save of many spans formats them on two threads while the output thread writes: the spans,
 * in file order, are cut into segments of about SEGMENT_SPANS; this thread formats the even ones
 * and a helper the odd ones, each into a buffer of its own, and this thread hands the buffers to
 * the output in segment order.  The bytes are those of one thread. */
#define SEGMENT_SPANS 6000
#define PARALLEL_MIN_SPANS 100000
#define HELPER_BUFFERS 2

typedef struct
{
  char *buf;
  gsize len, cap;
} Formatted;

typedef struct
{
  const char *key;
  gsize key_len;
  const SimSpan *spans;
  gsize n;
} LaneRef;

typedef struct
{
  const Writer *w; /* its tables only (escaped strings, lane keys: complete, read-only here) */
  const LaneRef *lanes;
  guint n_lanes;
  const gsize *seg_lane, *seg_first; /* where segment k starts: lane, span within it */
  guint n_segs;
  gsize total;
  GAsyncQueue *done, *empty; /* Formatted*: the helper's output, and buffers for it */
} Segments;

/* Segment k's spans into f (emptied first); the first event of the file comes before it only if
 * it is segment 0 and the metadata wrote none. */
static void
format_segment (const Segments *sg, guint k, gboolean first_event, Formatted *f)
{
  Writer w = *sg->w;
  w.out = NULL; /* no flushing: the segment is bounded */
  w.buf = f->buf;
  w.len = 0;
  w.cap = f->cap;
  w.first_event = first_event;
  gsize lane = sg->seg_lane[k], i = sg->seg_first[k];
  gsize left = MIN ((gsize) SEGMENT_SPANS, sg->total - (gsize) k * SEGMENT_SPANS);
  SpanPieces *pc = g_new0 (SpanPieces, 1);
  while (left > 0)
    {
      const LaneRef *l = &sg->lanes[lane];
      gsize take = MIN (left, l->n - i);
      write_lane_spans (&w, pc, l->key, l->key_len, l->spans + i, take);
      left -= take;
      lane++;
      i = 0;
    }
  g_free (pc);
  f->buf = w.buf;
  f->len = w.len;
  f->cap = w.cap;
}

static gpointer
format_odd_segments (gpointer data)
{
  Segments *sg = data;
  for (guint k = 1; k < sg->n_segs; k += 2)
    {
      Formatted *f = g_async_queue_pop (sg->empty);
      format_segment (sg, k, FALSE, f);
      g_async_queue_push (sg->done, f);
    }
  return NULL;
}

static Formatted *
formatted_new (void)
{
  Formatted *f = g_new (Formatted, 1);
  f->cap = TRACE_OUTPUT_CHUNK_BYTES + (256u << 10);
  f->buf = g_malloc (f->cap);
  f->len = 0;
  return f;
}

static void
formatted_free (gpointer p)
{
  Formatted *f = p;
  g_free (f->buf);
  g_free (f);
}

/* FALSE (nothing written) when the save is small, in memory, or no thread can start. */
static gboolean
write_spans_two_threads (Writer *w)
{
  const SimTrace *t = w->trace;
  if (w->out == NULL || t->n_spans < PARALLEL_MIN_SPANS || g_get_num_processors () < 2)
    return FALSE;
  /* every string the spans name, escaped before the threads share the table */
  for (guint id = 0; id < t->strings->len; id++)
    {
      gsize len;
      escaped_sid (w, id, &len);
    }
  GArray *lanes = g_array_new (FALSE, FALSE, sizeof (LaneRef));
  GArray *seg_lane = g_array_new (FALSE, FALSE, sizeof (gsize));
  GArray *seg_first = g_array_new (FALSE, FALSE, sizeof (gsize));
  gsize total = 0;
  for (guint g = 0; g < t->groups->len; g++)
    {
      const SimGroup *grp = group_at (t, g);
      for (guint l = 0; l < grp->lanes->len; l++)
        {
          const SimLane *lane = g_ptr_array_index (grp->lanes, l);
          if (lane->n_spans == 0)
            continue;
          LaneRef r = { w->lane_key[g][l], w->lane_key_len[g][l], lane->spans, lane->n_spans };
          /* segment starts that fall in this lane */
          gsize first = (total + SEGMENT_SPANS - 1) / SEGMENT_SPANS * SEGMENT_SPANS;
          for (gsize at = first; at < total + lane->n_spans; at += SEGMENT_SPANS)
            {
              gsize li = lanes->len, off = at - total;
              g_array_append_val (seg_lane, li);
              g_array_append_val (seg_first, off);
            }
          g_array_append_val (lanes, r);
          total += lane->n_spans;
        }
    }
  Segments sg = {
    .w = w,
    .lanes = (const LaneRef *) (void *) lanes->data,
    .n_lanes = lanes->len,
    .seg_lane = (const gsize *) (void *) seg_lane->data,
    .seg_first = (const gsize *) (void *) seg_first->data,
    .n_segs = seg_lane->len,
    .total = total,
    .done = g_async_queue_new (),
    .empty = g_async_queue_new_full (formatted_free),
  };
  for (int i = 0; i < HELPER_BUFFERS; i++)
    g_async_queue_push (sg.empty, formatted_new ());
  GThread *helper = g_thread_try_new ("trace-format", format_odd_segments, &sg, NULL);
  gboolean ok = helper != NULL;
  if (ok)
    {
      /* what the metadata left in w's buffer goes first */
      writer_flush (w);
      Formatted mine = { w->buf, 0, w->cap };
      for (guint k = 0; k < sg.n_segs; k++)
        {
          Formatted *f = NULL;
          if (k % 2 == 0)
            {
              format_segment (&sg, k, k == 0 && w->first_event, &mine);
              trace_output_push (w->out, &mine.buf, &mine.len, &mine.cap);
            }
          else
            {
              f = g_async_queue_pop (sg.done);
              trace_output_push (w->out, &f->buf, &f->len, &f->cap); /* an empty one back */
              g_async_queue_push (sg.empty, f);
            }
        }
      g_thread_join (helper);
      w->buf = mine.buf;
      w->cap = mine.cap;
      w->len = 0;
      if (sg.n_segs > 0)
        w->first_event = FALSE;
    }
  g_async_queue_unref (sg.done);
  g_async_queue_unref (sg.empty); /* frees the helper's buffers */
  g_array_unref (lanes);
  g_array_unref (seg_lane);
  g_array_unref (seg_first);
  return ok;
}

static void
write_all (Writer *w)
{
  const SimTrace *t = w->trace;
  w->escaped = g_new0 (char *, t->strings->len + 1);
  w->escaped_len = g_new0 (guint32, t->strings->len + 1);
  /* the chip-wide tracks take a pid and sort index after every group's, or before them when a
   * group already holds G_MAXINT (an imported trace may: no signed overflow) */
  gint64 max_pid = 0, min_pid = 0, max_sort = 0, min_sort = 0;
  for (guint g = 0; g < t->groups->len; g++)
    {
      max_pid = MAX (max_pid, group_at (t, g)->pid);
      min_pid = MIN (min_pid, group_at (t, g)->pid);
      max_sort = MAX (max_sort, group_at (t, g)->sort_index);
      min_sort = MIN (min_sort, group_at (t, g)->sort_index);
    }
  if (t->kept_events != NULL)
    {
      /* nor a pid kept events use: their process would be taken for the chip */
      max_pid = MAX (max_pid, t->kept_pid_max);
      min_pid = MIN (min_pid, t->kept_pid_min);
    }
  w->chip_pid = (int) (max_pid < G_MAXINT ? max_pid + 1 : min_pid > G_MININT ? min_pid - 1 : 0);
  w->chip_sort_index
      = (int) (max_sort < G_MAXINT ? max_sort + 1 : min_sort > G_MININT ? min_sort - 1 : 0);
  if (w->flavor == SIM_TRACE_FLAVOR_MSPROF)
    {
      /* the pid is the name: a name two processes share (two "python") is made unique with
       * the pid, or a reader would merge them */
      w->group_pid = g_new0 (char *, t->groups->len + 1);
      g_autoptr (GHashTable) used = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      g_hash_table_add (used, g_strdup ("chip"));
      for (guint g = 0; g < t->groups->len; g++)
        {
          char *core
              = unique_name (used, msprof_core_name (group_at (t, g)), "pid", group_at (t, g)->pid);
          w->group_pid[g] = escape_string (core);
        }
    }
  make_lane_keys (w);
  static gsize stage_text_once = 0;
  if (g_once_init_enter (&stage_text_once))
    {
      make_stage_text ();
      g_once_init_leave (&stage_text_once, 1);
    }

  PUT_LIT (w, "{\"displayTimeUnit\":");
  if (t->display_time_unit != NULL)
    put (w, t->display_time_unit); /* a file's own, as read */
  else
    PUT_LIT (w, "\"ns\"");
  PUT_LIT (w, ",\n");
  /* Huawei's Insight looks for profilingType in the text before the first '[' */
  if (w->flavor == SIM_TRACE_FLAVOR_MSPROF)
    PUT_LIT (w, "\"schemaVersion\":2,\"profilingType\":\"op\",\n");
  write_other_data (w);
  write_top_members (w);
  PUT_LIT (w, "\"traceEvents\":[");
  w->first_event = TRUE;
  write_metadata (w);
  if (!write_spans_two_threads (w))
    {
      SpanPieces *pc = g_new0 (SpanPieces, 1);
      for (guint g = 0; g < t->groups->len; g++)
        {
          const SimGroup *grp = group_at (t, g);
          for (guint l = 0; l < grp->lanes->len; l++)
            {
              const SimLane *lane = g_ptr_array_index (grp->lanes, l);
              write_lane_spans (w, pc, w->lane_key[g][l], w->lane_key_len[g][l], lane->spans,
                                lane->n_spans);
            }
        }
      g_free (pc);
    }
  write_flows (w);
  write_counters (w);
  write_kept_events (w);
  PUT_LIT (w, "\n]}\n");
  writer_flush (w);

  free_lane_keys (w);
  for (guint i = 0; i <= t->strings->len; i++)
    g_free (w->escaped[i]);
  g_free (w->escaped);
  g_free (w->escaped_len);
  if (w->group_pid != NULL)
    g_strfreev (w->group_pid);
}

char *
sim_trace_to_json (const SimTrace *trace, SimTraceFlavor flavor, gsize *len)
{
  Writer w = { .trace = trace, .flavor = flavor };
  w.cap = 4096 + 160 * trace->n_spans;
  w.buf = g_malloc (w.cap);
  write_all (&w);
  if (len)
    *len = w.len;
  put_n (&w, "", 1); /* NUL */
  return w.buf;
}

gboolean
sim_trace_write_json (const SimTrace *trace, const char *path, SimTraceFlavor flavor,
                      GError **error)
{
  Writer w = { .trace = trace, .flavor = flavor };
  w.out = trace_output_open (path, error);
  if (w.out == NULL)
    return FALSE;
  w.cap = TRACE_OUTPUT_CHUNK_BYTES + (256u << 10);
  w.buf = g_malloc (w.cap);
  write_all (&w);
  return trace_output_close (w.out, w.buf, error);
}
