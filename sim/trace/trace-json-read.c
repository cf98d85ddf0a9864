/* sim/trace/trace-json-read.c — Chrome Trace Event JSON reader (see trace-json.h).
 *
 * The file is mapped, not copied, and read in one pass.  Only the outer frame ({ "key": value, … }
 * or [ … ]) is walked here, by its punctuation.  Each event goes to trace-json-scan.c, which reads
 * the events tracers write straight into an ImpEvent (no json_object, no locale, nothing
 * allocated); an event outside its subset, and every other value (otherData, unknown keys), is
 * parsed by json-c's tokener (UTF-8 validated, depth-limited) and freed at once, so no
 * json_object lives longer than one event.  Pages of a mapped file already read are given back
 * as the reader moves on, so a big trace does not stay resident beside the spans made from it.
 * Errors give the line, column and byte offset (syntax) or the event index (content); progress
 * is reported and may cancel every few thousand events.  A file that shrinks while it is read
 * (trace-map-guard.h) ends in an error saying so, never in SIGBUS.
 */
#include "sim/input.h"
#include "sim/trace/trace-import.h"
#include "sim/trace/trace-map-guard.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define PROGRESS_EVERY 4096
#define EVENT_MAX_DEPTH 64
#define FEED_CHUNK (1 << 24) /* json_tokener_parse_ex takes an int length */

typedef struct
{
  const char *data;
  gsize len, pos;
  json_tokener *tok;
  TraceImport *imp;
  SimProgressFunc progress;
  gpointer user_data;
  guint64 n_events;
  gboolean saw_events;
  ImpEvent ev;       /* reused for every event */
  gboolean release;  /* data is a read-only file mapping: pages read may be dropped */
  gsize released;    /* bytes before this were dropped */
} Reader;

#define RELEASE_BYTES (32u << 20)

#ifndef MADV_POPULATE_READ
#define MADV_POPULATE_READ 22 /* Linux 5.14; older kernels say EINVAL and we fault as before */
#endif

/* Map the next window of the file in one call rather than a page fault every few pages. */
static void
populate_ahead (Reader *r)
{
  if (!r->release)
    return;
  gsize page = (gsize) sysconf (_SC_PAGESIZE);
  guintptr base = (guintptr) r->data;
  guintptr from = (base + r->pos) / page * page;
  guintptr to = MIN (base + r->len, base + r->pos + 2 * RELEASE_BYTES);
  if (to > from)
    madvise ((void *) from, to - from, MADV_POPULATE_READ);
}

/* Drop the pages before r->pos from our resident set (a private read-only file mapping: they
 * come back from the page cache if an error message needs to count lines). */
static void
release_read_pages (Reader *r)
{
  if (!r->release || r->pos - r->released < RELEASE_BYTES)
    return;
  gsize page = (gsize) sysconf (_SC_PAGESIZE);
  guintptr base = (guintptr) r->data;
  guintptr from = (base + r->released + page - 1) / page * page;
  guintptr to = (base + r->pos) / page * page;
  if (to > from)
    madvise ((void *) from, to - from, MADV_DONTNEED);
  r->released = r->pos;
  populate_ahead (r);
}

static void
position (const Reader *r, gsize offset, char *buf, gsize size)
{
  gsize line = 1, col = 1;
  for (gsize i = 0; i < offset && i < r->len; i++)
    {
      if (r->data[i] == '\n')
        {
          line++;
          col = 1;
        }
      else
        col++;
    }
  g_snprintf (buf, size, "line %" G_GSIZE_FORMAT ", column %" G_GSIZE_FORMAT " (byte %" G_GSIZE_FORMAT ")",
              line, col, offset);
}

static gboolean
syntax_error (const Reader *r, gsize offset, GError **error, const char *what)
{
  char pos[96];
  position (r, offset, pos, sizeof pos);
  g_set_error (error, SIM_TRACE_ERROR, SIM_TRACE_ERROR_SYNTAX, "not valid JSON at %s: %s", pos,
               what);
  return FALSE;
}

/* The mapped file shrank under us and the rest reads as zeros (trace-map-guard.h): stop here;
 * sim_trace_read_json words the message. */
static gboolean
file_shrank (const Reader *r, GError **error)
{
  if (!r->release || !trace_map_guard_hit ())
    return FALSE;
  g_set_error (error, SIM_TRACE_ERROR, SIM_TRACE_ERROR_IO,
               "the file changed while it was being read");
  return TRUE;
}

static void
skip_ws (Reader *r)
{
  while (r->pos < r->len)
    {
      char c = r->data[r->pos];
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
        break;
      r->pos++;
    }
}

/* One JSON value at r->pos, fed to json-c in chunks; r->pos moves past it.  *out is NULL for
 * a JSON null (json-c's representation of null). */
static gboolean
parse_value (Reader *r, json_object **out, GError **error)
{
  *out = NULL;
  gsize start = r->pos;
  json_tokener_reset (r->tok);
  for (;;)
    {
      gsize chunk = MIN (r->len - r->pos, (gsize) FEED_CHUNK);
      json_object *o = json_tokener_parse_ex (r->tok, r->data + r->pos, (int) chunk);
      enum json_tokener_error jerr = json_tokener_get_error (r->tok);
      gsize used = json_tokener_get_parse_end (r->tok);
      if (jerr == json_tokener_continue)
        {
          if (file_shrank (r, error))
            return FALSE;
          r->pos += chunk;
          if (r->pos >= r->len)
            {
              return syntax_error (r, r->len, error,
                                   "the file ends in the middle of a value (truncated?)");
            }
          continue;
        }
      if (jerr != json_tokener_success)
        {
          const char *why = jerr == json_tokener_error_depth
                                ? "nested deeper than 64 levels"
                                : json_tokener_error_desc (jerr);
          return syntax_error (r, r->pos + used, error, why);
        }
      r->pos += used;
      trace_json_keep_big_ints (o, r->data + start, r->pos - start);
      *out = o;
      return TRUE;
    }
}

static gboolean
expect (Reader *r, char c, const char *what, GError **error)
{
  skip_ws (r);
  if (r->pos >= r->len)
    return syntax_error (r, r->pos, error, "the file ends early (truncated?)");
  if (r->data[r->pos] != c)
    {
      g_autofree char *msg = g_strdup_printf ("expected %s", what);
      return syntax_error (r, r->pos, error, msg);
    }
  r->pos++;
  return TRUE;
}

/* The traceEvents array.  bare: the file is the array, and (as the format allows) it may stop
 * after any complete event without its closing ']'. */
static gboolean
parse_events (Reader *r, gboolean bare, GError **error)
{
  skip_ws (r);
  if (!bare && r->pos < r->len && r->data[r->pos] != '[')
    {
      char pos[96];
      position (r, r->pos, pos, sizeof pos);
      g_set_error (error, SIM_TRACE_ERROR, SIM_TRACE_ERROR_FORMAT,
                   "\"traceEvents\" at %s is not an array", pos);
      return FALSE;
    }
  if (!expect (r, '[', "'[' (the traceEvents array)", error))
    return FALSE;
  r->saw_events = TRUE;
  skip_ws (r);
  if (r->pos < r->len && r->data[r->pos] == ']')
    {
      r->pos++;
      return TRUE;
    }
  for (;;)
    {
      skip_ws (r);
      if (bare && r->pos >= r->len && r->n_events > 0)
        return TRUE;
      if (r->pos < r->len && r->data[r->pos] == ']' && r->n_events > 0)
        { /* a trailing comma, as many tracers leave */
          r->pos++;
          return TRUE;
        }
      gsize start = r->pos;
      json_object *tree = NULL;
      const char *p = r->data + r->pos;
      if (trace_scan_event (&p, r->data + r->len, &r->ev) == TRACE_SCAN_OK)
        {
          r->ev.src = r->data + start;
          r->ev.src_len = (gsize) (p - r->ev.src);
          r->pos = (gsize) (p - r->data);
        }
      else
        {
          /* outside the scanner's subset: json-c parses it (and words any syntax error) */
          if (!parse_value (r, &tree, error))
            return FALSE;
          trace_event_from_json (tree, &r->ev);
          r->ev.tree = tree;
        }
      r->ev.offset = start;
      if (r->n_events >= TRACE_IMPORT_MAX_EVENTS)
        {
          json_object_put (tree);
          g_set_error (error, SIM_TRACE_ERROR, SIM_TRACE_ERROR_LIMIT,
                       "more than %llu events: too large to open",
                       (unsigned long long) TRACE_IMPORT_MAX_EVENTS);
          return FALSE;
        }
      GError *err = NULL;
      gboolean ok = trace_import_event (r->imp, &r->ev, r->n_events, &err);
      json_object_put (tree);
      if (!ok)
        {
          char pos[96];
          position (r, start, pos, sizeof pos);
          g_prefix_error (&err, "event %" G_GUINT64_FORMAT " (%s): ", r->n_events, pos);
          g_propagate_error (error, err);
          return FALSE;
        }
      r->n_events++;
      if (r->n_events % PROGRESS_EVERY == 0)
        {
          if (file_shrank (r, error))
            return FALSE;
          release_read_pages (r);
          if (r->progress != NULL
              && !r->progress ((double) r->pos / (double) r->len, r->user_data))
            {
              g_set_error (error, SIM_TRACE_ERROR, SIM_TRACE_ERROR_CANCELLED, "opening cancelled");
              return FALSE;
            }
        }
      skip_ws (r);
      if (bare && r->pos >= r->len)
        return TRUE;
      if (r->pos < r->len && r->data[r->pos] == ']')
        {
          r->pos++;
          return TRUE;
        }
      if (!expect (r, ',', "',' or ']' after an event", error))
        return FALSE;
      skip_ws (r);
      if (bare && r->pos >= r->len)
        return TRUE;
    }
}

/* A top-level member we do not read, kept to be written back: displayTimeUnit (display only),
 * and the others "key":value (SimTrace.top_members), as json-c spells them. */
static void
keep_member (SimTrace *trace, const char *key, json_object *v)
{
  const int how = JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE;
  const char *value = v != NULL ? json_object_to_json_string_ext (v, how) : "null";
  if (g_str_equal (key, "displayTimeUnit"))
    {
      g_free (trace->display_time_unit);
      trace->display_time_unit = g_str_equal (value, "\"ns\"") ? NULL : g_strdup (value); /* ours */
      return;
    }
  if (trace->top_members == NULL)
    trace->top_members = g_string_new (NULL);
  json_object *k = json_object_new_string (key);
  g_string_append (trace->top_members, json_object_to_json_string_ext (k, how));
  json_object_put (k);
  g_string_append_c (trace->top_members, ':');
  g_string_append (trace->top_members, value);
  g_string_append_c (trace->top_members, '\n');
}

/* The msprof layout's "schemaVersion" goes with its profilingType: the writer writes its own. */
static void
drop_msprof_schema (SimTrace *trace)
{
  GString *m = trace->top_members;
  if (m == NULL)
    return;
  static const char key[] = "\"schemaVersion\":";
  GString *kept = g_string_new (NULL);
  for (const char *p = m->str; *p != '\0';)
    {
      const char *nl = strchr (p, '\n');
      if (strncmp (p, key, sizeof key - 1) != 0)
        g_string_append_len (kept, p, nl - p + 1);
      p = nl + 1;
    }
  g_string_free (m, TRUE);
  trace->top_members = kept->len > 0 ? kept : NULL;
  if (kept->len == 0)
    g_string_free (kept, TRUE);
}

static gboolean
parse_object_form (Reader *r, SimTrace *trace, GError **error)
{
  r->pos++; /* '{' */
  skip_ws (r);
  if (r->pos < r->len && r->data[r->pos] == '}')
    {
      r->pos++;
      return TRUE;
    }
  for (;;)
    {
      skip_ws (r);
      if (r->pos >= r->len || r->data[r->pos] != '"')
        return expect (r, '"', "a quoted key", error);
      json_object *key;
      if (!parse_value (r, &key, error))
        return FALSE;
      g_autofree char *k = g_strdup (json_object_get_string (key));
      json_object_put (key);
      if (!expect (r, ':', "':' after a key", error))
        return FALSE;
      skip_ws (r);
      if (g_str_equal (k, "traceEvents"))
        {
          if (!parse_events (r, FALSE, error))
            return FALSE;
        }
      else
        {
          json_object *v;
          if (!parse_value (r, &v, error))
            return FALSE;
          if (g_str_equal (k, "otherData") && json_object_is_type (v, json_type_object))
            {
              g_free (trace->other_data_json);
              trace->other_data_json = g_strdup (json_object_to_json_string_ext (
                  v, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
            }
          else if (g_str_equal (k, "profilingType") && json_object_is_type (v, json_type_string)
                   && g_str_equal (json_object_get_string (v), "op"))
            r->imp->msprof_op = TRUE; /* the msprof layout's mark: the writer sets it by flavour */
          else
            keep_member (trace, k, v);
          json_object_put (v);
        }
      skip_ws (r);
      if (r->pos < r->len && r->data[r->pos] == '}')
        {
          r->pos++;
          return TRUE;
        }
      if (!expect (r, ',', "',' or '}' after a value", error))
        return FALSE;
    }
}

static SimTrace *
parse_json (const char *data, gsize len, gboolean release, SimProgressFunc progress,
            gpointer user_data, GError **error)
{
  Reader r = { .data = data, .len = len, .progress = progress, .user_data = user_data,
               .release = release };
  if (len > TRACE_IMPORT_MAX_FILE_BYTES)
    {
      g_set_error (error, SIM_TRACE_ERROR, SIM_TRACE_ERROR_LIMIT,
                   "the file is %" G_GSIZE_FORMAT " MiB; at most %llu MiB can be opened", len >> 20,
                   (unsigned long long) (TRACE_IMPORT_MAX_FILE_BYTES >> 20));
      return NULL;
    }
  if (len >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0)
    r.pos = 3; /* UTF-8 byte order mark */
  skip_ws (&r);
  if (r.pos >= len)
    {
      g_set_error (error, SIM_TRACE_ERROR, SIM_TRACE_ERROR_SYNTAX,
                   "the file is empty: not a trace");
      return NULL;
    }
  char first = data[r.pos];
  if (first != '{' && first != '[')
    {
      syntax_error (&r, r.pos, error,
                    "a trace starts with '{' (object form) or '[' (array form)");
      return NULL;
    }
  r.tok = json_tokener_new_ex (EVENT_MAX_DEPTH);
  json_tokener_set_flags (r.tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8
                                     | JSON_TOKENER_ALLOW_TRAILING_CHARS);
  r.imp = trace_import_new ();
  populate_ahead (&r);
  gsize start = r.pos;
  GError *err = NULL;
  gboolean ok
      = first == '{' ? parse_object_form (&r, r.imp->trace, &err) : parse_events (&r, TRUE, &err);
  if (!ok && r.imp->be_restart)
    {
      /* a thread's B/E events out of time order: read it all again, keeping every B and E to
       * pair them in time order at the end (Perfetto sorts events before it pairs them) */
      g_clear_error (&err);
      trace_import_free (r.imp);
      r.imp = trace_import_new_sorting_be ();
      r.pos = start;
      r.released = 0;
      r.n_events = 0;
      r.saw_events = FALSE;
      populate_ahead (&r);
      ok = first == '{' ? parse_object_form (&r, r.imp->trace, &err)
                        : parse_events (&r, TRUE, &err);
    }
  if (!ok)
    g_propagate_error (error, err);
  if (ok && r.imp->msprof_op)
    drop_msprof_schema (r.imp->trace);
  if (ok)
    {
      skip_ws (&r);
      if (r.pos < len && data[r.pos] != '\0')
        ok = syntax_error (&r, r.pos, error, "unexpected text after the end of the trace");
    }
  if (ok && !r.saw_events)
    {
      g_set_error (error, SIM_TRACE_ERROR, SIM_TRACE_ERROR_FORMAT,
                   "JSON object without a \"traceEvents\" array: not a Chrome trace");
      ok = FALSE;
    }
  json_tokener_free (r.tok);
  trace_event_clear (&r.ev);
  if (!ok)
    {
      trace_import_free (r.imp);
      return NULL;
    }
  if (r.imp->be_sort)
    {
      guint64 index = 0;
      gsize at = 0;
      GError *err2 = NULL;
      if (!trace_import_pair_be (r.imp, &index, &at, &err2))
        {
          char pos[96];
          position (&r, at, pos, sizeof pos);
          g_prefix_error (&err2, "event %" G_GUINT64_FORMAT " (%s): ", index, pos);
          g_propagate_error (error, err2);
          trace_import_free (r.imp);
          return NULL;
        }
    }
  SimTrace *trace = trace_import_finish (r.imp, error);
  if (trace != NULL && progress != NULL)
    progress (1.0, user_data);
  return trace;
}

SimTrace *
sim_trace_parse_json (const char *data, gsize len, SimProgressFunc progress, gpointer user_data,
                      GError **error)
{
  return parse_json (data, len, FALSE, progress, user_data, error);
}

typedef struct
{
  SimProgressFunc progress;
  gpointer user_data;
  double base;
} Half;

static gboolean
half_progress (double fraction, gpointer data)
{
  const Half *h = data;
  return h->progress (h->base + 0.5 * fraction, h->user_data);
}

gboolean
sim_trace_file_is_gzip (const char *path)
{
  if (!sim_check_input_file (path, "trace", NULL))
    return FALSE; /* never open a FIFO for blocking reads */
  FILE *f = g_fopen (path, "rb");
  if (f == NULL)
    return FALSE;
  char magic[2] = { 0, 0 };
  gboolean gz = fread (magic, 1, 2, f) == 2 && trace_is_gzip (magic, 2);
  fclose (f);
  return gz;
}

SimTrace *
sim_trace_read_json (const char *path, SimProgressFunc progress, gpointer user_data,
                     GError **error)
{
  GError *err = NULL;
  /* a FIFO would block the mapping's open() for ever, a directory fail as "mmap() failed" */
  if (!sim_check_input_file (path, "trace", &err))
    {
      g_set_error (error, SIM_TRACE_ERROR, SIM_TRACE_ERROR_IO, "%s", err->message);
      g_error_free (err);
      return NULL;
    }
  GMappedFile *map = g_mapped_file_new (path, FALSE, &err);
  if (map == NULL)
    {
      g_set_error (error, SIM_TRACE_ERROR, SIM_TRACE_ERROR_IO, "%s", err->message);
      g_error_free (err);
      return NULL;
    }
  const char *data = g_mapped_file_get_contents (map);
  gsize len = data ? g_mapped_file_get_length (map) : 0;
  SimTrace *trace = NULL;
  gboolean shrank = FALSE;
  if (data != NULL)
    trace_map_guard_arm (data, len);
  if (trace_is_gzip (data, len))
    {
      Half first = { progress, user_data, 0.0 }, second = { progress, user_data, 0.5 };
      gsize text_len = 0;
      char *text = trace_gzip_inflate (data, len, &text_len, progress ? half_progress : NULL,
                                       &first, &err);
      shrank = trace_map_guard_hit ();
      trace_map_guard_disarm ();
      g_mapped_file_unref (map);
      map = NULL;
      if (text != NULL && !shrank)
        trace = sim_trace_parse_json (text, text_len, progress ? half_progress : NULL, &second,
                                      &err);
      g_free (text);
    }
  else
    trace = parse_json (data ? data : "", len, data != NULL, progress, user_data, &err);
  if (map != NULL)
    {
      shrank = data != NULL && trace_map_guard_hit ();
      trace_map_guard_disarm ();
      g_mapped_file_unref (map);
    }
  if (shrank)
    {
      /* whatever was made of the zeros is not the file: the reader's own error or trace goes */
      g_clear_pointer (&trace, sim_trace_free);
      g_clear_error (&err);
      GStatBuf st;
      if (g_stat (path, &st) == 0 && (guint64) st.st_size < len)
        g_set_error (&err, SIM_TRACE_ERROR, SIM_TRACE_ERROR_IO,
                     "%s changed while it was being read (truncated from %" G_GSIZE_FORMAT
                     " to %" G_GUINT64_FORMAT " bytes?) — open it again",
                     path, len, (guint64) st.st_size);
      else
        g_set_error (&err, SIM_TRACE_ERROR, SIM_TRACE_ERROR_IO,
                     "%s changed while it was being read (it was shorter than its %" G_GSIZE_FORMAT
                     " bytes for a while: rewritten?) — open it again",
                     path, len);
      g_propagate_error (error, err);
      return NULL;
    }
  if (trace == NULL)
    {
      g_prefix_error (&err, "%s: ", path);
      g_propagate_error (error, err);
      return NULL;
    }
  g_free (trace->source);
  trace->source = g_strdup (path);
  return trace;
}
