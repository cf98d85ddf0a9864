/* tests/trace/trace-fixture.c — see trace-fixture.h. */
#include "tests/trace/trace-fixture.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

static SimSpan
span (double start_ns, double dur_ns, guint32 name, SimStage stage)
{
  SimSpan s = { .start_ns = start_ns, .dur_ns = dur_ns, .name = name, .task = -1, .iter = -1,
                .stage = stage };
  return s;
}

SimTrace *
fixture_tiny_trace (void)
{
  SimTrace *t = sim_trace_new ();
  SimGroup *aic = sim_trace_add_group (t, "AIC0", 1, 1, SIM_CORE_AIC, 0);
  aic->die = 0;
  SimGroup *aiv = sim_trace_add_group (t, "AIV0", 2, 2, SIM_CORE_AIV, 0);
  aiv->die = 0;
  SimLane *mte2 = sim_group_add_lane (aic, "MTE2", 0, 0, SIM_PIPE_MTE2);
  SimLane *cube = sim_group_add_lane (aic, "CUBE", 2, 2, SIM_PIPE_CUBE);
  SimLane *fix = sim_group_add_lane (aic, "FIXPIPE", 3, 3, SIM_PIPE_FIXPIPE);
  SimLane *vec = sim_group_add_lane (aiv, "VECTOR", 4, 4, SIM_PIPE_VECTOR);

  SimSpan s = span (0, 1234.5, sim_trace_intern (t, "load K"), SIM_STAGE_C1);
  s.bytes = 73728;
  s.task = 0;
  s.iter = 0;
  s.detail = sim_trace_intern (t, "GM->L1 slot 2");
  s.flags = SIM_SPAN_L2_HIT;
  sim_lane_append (mte2, &s);
  s = span (1234.5, 5120, sim_trace_intern (t, "mmad QK^T"), SIM_STAGE_C1);
  s.flops = 75497472;
  s.task = 0;
  s.iter = 0;
  sim_lane_append (cube, &s);
  s = span (6354.5, 400.25, sim_trace_intern (t, "fixpipe S\u2192GM \"ws\"\n"), SIM_STAGE_C1);
  s.bytes = 131072;
  s.flags = SIM_SPAN_ATOMIC;
  sim_lane_append (fix, &s);
  s = span (7000, 3000, sim_trace_intern (t, "softmax"), SIM_STAGE_V1);
  s.iter = 0;
  sim_lane_append (vec, &s);
  s = span (10000, 0, sim_trace_intern (t, "set_flag P ready"), SIM_STAGE_SYNC);
  s.flags = SIM_SPAN_INSTANT;
  sim_lane_append (vec, &s);
  s = span (10001.001, 2.5, sim_trace_intern (t, "wait"), SIM_STAGE_NONE);
  s.flags = SIM_SPAN_WAIT;
  sim_lane_append (vec, &s);

  SimFlow f = { .id = 7, .name = sim_trace_intern (t, "S ready"), .src_group = 0, .src_lane = 2,
                .dst_group = 1, .dst_lane = 0, .src_ns = 6754.75, .dst_ns = 7000 };
  sim_trace_add_flow (t, &f);
  SimFlow f2 = { .id = 8, .name = sim_trace_intern (t, "P ready"), .src_group = 1, .src_lane = 0,
                 .dst_group = 0, .dst_lane = 1, .src_ns = 10000, .dst_ns = 12000 };
  sim_trace_add_flow (t, &f2);

  SimCounter *c = sim_trace_add_counter (t, "L1 occupancy", "bytes", 0);
  sim_counter_append (c, 0, 0);
  sim_counter_append (c, 1234.5, 73728);
  sim_counter_append (c, 6754.75, 0);
  SimCounter *bw = sim_trace_add_counter (t, "GM bandwidth", "GB/s", -1);
  sim_counter_append (bw, 0, 120.5);
  sim_counter_append (bw, 1234.5, 0.1);
  t->other_data_json = g_strdup ("{\"generator\":\"amlaviz\",\"version\":\"test\","
                                 "\"config\":{\"batch\":1,\"preload\":true,\"kv\":[512,1024]}}");
  sim_trace_finish (t);
  return t;
}

char *
fixture_path (const char *name)
{
  return g_build_filename (AMLAVIZ_SOURCE_ROOT, "tests", "trace", name, NULL);
}

void
fixture_assert_golden (const char *text, const char *golden_name)
{
  g_autofree char *path = fixture_path (golden_name);
  if (g_getenv ("AMLAVIZ_REGEN_GOLDEN") != NULL)
    {
      g_autoptr (GError) err = NULL;
      g_file_set_contents (path, text, -1, &err);
      g_assert_no_error (err);
      g_test_message ("regenerated %s", path);
      return;
    }
  g_autofree char *want = NULL;
  if (!g_file_get_contents (path, &want, NULL, NULL))
    g_error ("golden file %s missing; run with AMLAVIZ_REGEN_GOLDEN=1 to create it", path);
  if (g_str_equal (want, text))
    return;
  g_autofree char *tmp = NULL;
  int fd = g_file_open_tmp ("golden-XXXXXX.json", &tmp, NULL);
  g_assert_cmpint (fd, >=, 0);
  close (fd);
  g_file_set_contents (tmp, text, -1, NULL);
  g_autofree char *cmd = g_strdup_printf ("diff -u '%s' '%s'", path, tmp);
  g_autofree char *out = NULL;
  g_spawn_command_line_sync (cmd, &out, NULL, NULL, NULL);
  g_printerr ("%s differs from the golden file (AMLAVIZ_REGEN_GOLDEN=1 to accept):\n%s",
              golden_name, out ? out : "");
  g_unlink (tmp);
  g_assert_cmpstr (text, ==, want);
}

static gint
cmp_line (gconstpointer a, gconstpointer b)
{
  /* g_ptr_array_sort passes pointers to the elements */
  return strcmp (*(char *const *) a, *(char *const *) b);
}

static char *
fmt_ns (double v)
{
  return g_strdup_printf ("%.3f", v);
}

/* one part of SimSpan.extra through json-c (NULL when empty): the scanner keeps the file's text,
 * json-c's path its own spelling of it, so the two compare as JSON */
static char *
normalised_json (const char *text, gsize len)
{
  if (len == 0)
    return NULL;
  g_autofree char *copy = g_strndup (text, len);
  json_tokener *tok = json_tokener_new_ex (10000);                   /* deep as the reader allows */
  json_object *o = json_tokener_parse_ex (tok, copy, (int) len + 1); /* the NUL ends a number */
  json_tokener_free (tok);
  if (o == NULL)
    g_error ("not JSON: [%s]", copy);
  char *r = g_strdup (
      json_object_to_json_string_ext (o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
  json_object_put (o);
  return r;
}

void
fixture_span_extra (const SimTrace *t, const SimSpan *s, char **cat, char **args, char **other)
{
  SimSpanExtra x;
  gboolean kept = sim_span_extra (t, s, &x);
  g_assert_true (s->extra == 0 || kept); /* nothing kept: no string */
  *cat = normalised_json (x.cat, x.cat_len);
  *args = normalised_json (x.args, x.args_len);
  *other = NULL;
  if (x.other_len > 0)
    {
      g_autofree char *obj = g_strdup_printf ("{%.*s}", (int) x.other_len, x.other);
      *other = normalised_json (obj, strlen (obj));
    }
}

char *
fixture_describe (const SimTrace *t)
{
  GPtrArray *lines = g_ptr_array_new_with_free_func (g_free);
  for (guint g = 0; g < t->groups->len; g++)
    {
      SimGroup *grp = g_ptr_array_index (t->groups, g);
      g_ptr_array_add (lines, g_strdup_printf ("group %s kind=%d core=%d sort=%d", grp->name,
                                               grp->kind, grp->core_index, grp->sort_index));
      for (guint l = 0; l < grp->lanes->len; l++)
        {
          SimLane *lane = g_ptr_array_index (grp->lanes, l);
          g_ptr_array_add (lines, g_strdup_printf ("lane %s/%s pipe=%d sort=%d", grp->name,
                                                   lane->name, lane->pipe, lane->sort_index));
          for (gsize i = 0; i < lane->n_spans; i++)
            {
              const SimSpan *s = &lane->spans[i];
              g_autofree char *a = fmt_ns (s->start_ns), *b = fmt_ns (s->dur_ns);
              g_autofree char *cat = NULL, *args = NULL, *other = NULL;
              fixture_span_extra (t, s, &cat, &args, &other);
              g_ptr_array_add (
                  lines,
                  g_strdup_printf (
                      "span %s/%s %s+%s '%s' detail='%s' task=%d iter=%d bytes=%" G_GUINT64_FORMAT
                      " flops=%" G_GUINT64_FORMAT
                      " stage=%d flags=%d depth=%d cat=%s args=%s other=%s",
                      grp->name, lane->name, a, b, sim_trace_string (t, s->name),
                      sim_trace_string (t, s->detail), s->task, s->iter, s->bytes, s->flops,
                      s->stage, s->flags, s->depth, cat ? cat : "-", args ? args : "-",
                      other ? other : "-"));
            }
        }
    }
  for (guint i = 0; i < t->flows->len; i++)
    {
      const SimFlow *f = &g_array_index (t->flows, SimFlow, i);
      SimGroup *sg = g_ptr_array_index (t->groups, f->src_group);
      SimGroup *dg = g_ptr_array_index (t->groups, f->dst_group);
      g_autofree char *a = fmt_ns (f->src_ns), *b = fmt_ns (f->dst_ns);
      g_ptr_array_add (
          lines,
          g_strdup_printf ("flow '%s' cat '%s' %s/%s@%s -> %s/%s@%s", sim_trace_string (t, f->name),
                           f->cat ? sim_trace_string (t, f->cat) : "flow", sg->name,
                           sim_trace_lane (t, f->src_group, f->src_lane)->name, a, dg->name,
                           sim_trace_lane (t, f->dst_group, f->dst_lane)->name, b));
    }
  for (guint i = 0; i < t->counters->len; i++)
    {
      const SimCounter *c = g_ptr_array_index (t->counters, i);
      const char *gname = c->group >= 0 ? ((SimGroup *) g_ptr_array_index (t->groups, c->group))->name
                                        : "(chip)";
      for (gsize k = 0; k < c->n; k++)
        {
          g_autofree char *a = fmt_ns (c->ts_ns[k]);
          g_ptr_array_add (lines, g_strdup_printf ("counter %s '%s' [%s] %s = %.17g", gname,
                                                   c->name, c->unit, a, c->value[k]));
        }
    }
  /* kept events, in file order (the sort below keeps equal lines together) */
  for (const char *p = t->kept_events ? t->kept_events->str : NULL; p != NULL && *p != '\0';)
    {
      const char *nl = strchr (p, '\n');
      g_assert_nonnull (nl); /* every kept event ends with one */
      g_autofree char *event = normalised_json (p, (gsize) (nl - p));
      g_ptr_array_add (lines, g_strdup_printf ("kept %s", event));
      p = nl + 1;
    }
  g_ptr_array_add (lines,
                   g_strdup_printf ("kept events: %" G_GUINT64_FORMAT, (guint64) t->n_kept_events));
  g_ptr_array_add (lines,
                   g_strdup_printf ("top members: %s", t->top_members ? t->top_members->str : "-"));
  g_ptr_array_add (lines, g_strdup_printf ("display time unit: %s",
                                           t->display_time_unit ? t->display_time_unit : "-"));
  g_ptr_array_sort (lines, cmp_line);
  g_ptr_array_add (lines, NULL);
  char *r = g_strjoinv ("\n", (char **) lines->pdata);
  g_ptr_array_unref (lines);
  return r;
}

static char *
id_key (json_object *v)
{
  if (v == NULL)
    return g_strdup ("(none)");
  return g_strdup (json_object_to_json_string (v));
}

json_object *
fixture_check_chrome_json (const char *text, gboolean msprof)
{
  json_object *root = json_tokener_parse (text);
  g_assert_nonnull (root);
  g_assert_true (json_object_is_type (root, json_type_object));
  json_object *v;
  g_assert_true (json_object_object_get_ex (root, "displayTimeUnit", &v));
  /* ours, or a file's own written back */
  g_assert_true (g_str_equal (json_object_get_string (v), "ns")
                 || g_str_equal (json_object_get_string (v), "ms"));
  json_object *events;
  g_assert_true (json_object_object_get_ex (root, "traceEvents", &events));
  g_assert_true (json_object_is_type (events, json_type_array));
  if (msprof)
    {
      /* Insight: "profilingType" and "op" in the text before the first '[' */
      const char *bracket = strchr (text, '[');
      g_assert_nonnull (bracket);
      g_autofree char *head = g_strndup (text, bracket - text);
      g_assert_nonnull (strstr (head, "\"profilingType\":\"op\""));
    }

  GHashTable *named = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GHashTable *used = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GHashTable *flows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gsize n = json_object_array_length (events);
  for (gsize i = 0; i < n; i++)
    {
      json_object *e = json_object_array_get_idx (events, i);
      json_object *ph, *pid, *tid, *name;
      g_assert_true (json_object_object_get_ex (e, "ph", &ph));
      const char *p = json_object_get_string (ph);
      if (!msprof && strlen (p) == 1 && strchr ("bneSTFpPONDRvVc()", p[0]) != NULL)
        continue; /* an event of a phase we do not draw, kept from the file as it was read */
      g_assert_true (json_object_object_get_ex (e, "pid", &pid));
      g_assert_true (json_object_object_get_ex (e, "tid", &tid));
      if (msprof)
        g_assert_true (json_object_is_type (pid, json_type_string));
      g_autofree char *pkey = id_key (pid);
      g_autofree char *tkey = g_strdup_printf ("%s/%s", pkey, json_object_to_json_string (tid));
      if (g_str_equal (p, "M"))
        {
          g_assert_true (json_object_object_get_ex (e, "name", &name));
          const char *mn = json_object_get_string (name);
          if (g_str_equal (mn, "process_name") || (msprof && g_str_equal (mn, "process_sort_index")))
            g_hash_table_add (named, g_strdup (pkey));
          if (g_str_equal (mn, "thread_name") || (msprof && g_str_equal (mn, "thread_sort_index")))
            g_hash_table_add (named, g_strdup (tkey));
          continue;
        }
      json_object *ts;
      g_assert_true (json_object_object_get_ex (e, "ts", &ts));
      g_assert_true (json_object_is_type (ts, json_type_double)
                     || json_object_is_type (ts, json_type_int));
      g_assert_cmpfloat (json_object_get_double (ts), >=, 0);
      g_hash_table_add (used, g_strdup (pkey));
      if (g_str_equal (p, "X"))
        {
          json_object *dur;
          g_assert_true (json_object_object_get_ex (e, "dur", &dur));
          g_assert_true (json_object_is_type (dur, json_type_double)
                         || json_object_is_type (dur, json_type_int));
          g_assert_cmpfloat (json_object_get_double (dur), >=, 0);
          g_assert_true (json_object_object_get_ex (e, "name", &name));
          g_assert_true (json_object_is_type (name, json_type_string));
          g_assert_cmpstr (json_object_get_string (name), !=, "");
          g_hash_table_add (used, g_strdup (tkey));
        }
      else if (g_str_equal (p, "s") || g_str_equal (p, "f"))
        {
          json_object *id, *bp;
          g_assert_true (json_object_object_get_ex (e, "id", &id));
          g_assert_true (json_object_is_type (id, json_type_int)); /* never a (hex) string */
          g_autofree char *k = id_key (id);
          int bits = GPOINTER_TO_INT (g_hash_table_lookup (flows, k));
          int bit = g_str_equal (p, "s") ? 1 : 2;
          g_assert_false (bits & bit); /* one s and one f per id */
          g_hash_table_insert (flows, g_strdup (k), GINT_TO_POINTER (bits | bit));
          if (bit == 2)
            {
              g_assert_true (json_object_object_get_ex (e, "bp", &bp));
              g_assert_cmpstr (json_object_get_string (bp), ==, "e");
            }
        }
      else
        g_assert_true (g_str_equal (p, "i") || g_str_equal (p, "C"));
    }
  GHashTableIter it;
  gpointer k, val;
  g_hash_table_iter_init (&it, used);
  while (g_hash_table_iter_next (&it, &k, NULL))
    if (!g_hash_table_contains (named, k))
      g_error ("pid/tid %s has events but no name/sort metadata", (char *) k);
  g_hash_table_iter_init (&it, flows);
  while (g_hash_table_iter_next (&it, &k, &val))
    if (GPOINTER_TO_INT (val) != 3)
      g_error ("flow id %s does not pair up (mask %d)", (char *) k, GPOINTER_TO_INT (val));
  g_hash_table_unref (named);
  g_hash_table_unref (used);
  g_hash_table_unref (flows);
  return root;
}

char *
fixture_gunzip (const char *path, gsize *len)
{
  g_autofree char *gz = NULL;
  gsize gz_len = 0;
  g_assert_true (g_file_get_contents (path, &gz, &gz_len, NULL));
  g_assert_cmpuint (gz_len, >=, 18);
  g_assert_cmphex ((guint8) gz[0], ==, 0x1f);
  g_assert_cmphex ((guint8) gz[1], ==, 0x8b);
  z_stream z = { 0 };
  g_assert_cmpint (inflateInit2 (&z, 16 + MAX_WBITS), ==, Z_OK); /* gzip only, not zlib/raw */
  gsize cap = 1 << 20, used = 0;
  char *out = g_malloc (cap);
  z.next_in = (Bytef *) gz;
  z.avail_in = (uInt) gz_len;
  int rc;
  do
    {
      if (cap - used < (1 << 16))
        out = g_realloc (out, cap *= 2);
      z.next_out = (Bytef *) out + used;
      z.avail_out = (uInt) (cap - 1 - used);
      rc = inflate (&z, Z_NO_FLUSH);
      used = cap - 1 - z.avail_out;
      g_assert_true (rc == Z_OK || rc == Z_STREAM_END);
    }
  while (rc != Z_STREAM_END);
  g_assert_cmpuint (z.avail_in, ==, 0); /* one member, nothing after it */
  inflateEnd (&z);
  out[used] = '\0';
  if (len)
    *len = used;
  return out;
}
