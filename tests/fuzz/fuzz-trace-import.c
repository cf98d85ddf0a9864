/* tests/fuzz/fuzz-trace-import.c — libFuzzer target for the Chrome trace importer.
 * Any input must give either a trace or a SIM_TRACE_ERROR with a message, never a crash, a leak
 * or undefined behaviour.  The event scanner and json-c (trace_scan_force_json_c) must agree on
 * it: both accept it, with the same groups, lanes and spans (each span's own fields), flows and
 * counters, and as many kept and skipped events (their text may differ where json-c respells
 * what it read: -0, a clamped integer), or both refuse it (a file broken in two places may be
 * refused for either: the scanner checks an event before the bytes after it).  An accepted
 * trace must also write back out as JSON (to json-c too) and read back in, with its spans and
 * the events it kept without drawing. */
#include <stdint.h>
#include <stdlib.h>

#include "sim/trace/trace-import.h"
#include "sim/trace/trace-json.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static gboolean
same_double (double a, double b)
{
  return a == b || (a != a && b != b);
}

/* The two readings' drawn content: groups, lanes and every span's own fields, flows, counters. */
static gboolean
same_content (const SimTrace *a, const SimTrace *b)
{
  if (a->groups->len != b->groups->len || a->flows->len != b->flows->len
      || a->counters->len != b->counters->len)
    return FALSE;
  for (guint g = 0; g < a->groups->len; g++)
    {
      const SimGroup *ga = g_ptr_array_index (a->groups, g), *gb = g_ptr_array_index (b->groups, g);
      if (g_strcmp0 (ga->name, gb->name) != 0 || ga->pid != gb->pid
          || ga->lanes->len != gb->lanes->len)
        return FALSE;
      for (guint l = 0; l < ga->lanes->len; l++)
        {
          const SimLane *la = g_ptr_array_index (ga->lanes, l),
                        *lb = g_ptr_array_index (gb->lanes, l);
          if (g_strcmp0 (la->name, lb->name) != 0 || la->n_spans != lb->n_spans)
            return FALSE;
          for (gsize i = 0; i < la->n_spans; i++)
            {
              const SimSpan *x = &la->spans[i], *y = &lb->spans[i];
              if (!same_double (x->start_ns, y->start_ns) || !same_double (x->dur_ns, y->dur_ns)
                  || g_strcmp0 (sim_trace_string (a, x->name), sim_trace_string (b, y->name)) != 0
                  || g_strcmp0 (sim_trace_string (a, x->detail), sim_trace_string (b, y->detail))
                         != 0
                  || x->task != y->task || x->iter != y->iter || x->bytes != y->bytes
                  || x->flops != y->flops || x->stage != y->stage || x->flags != y->flags
                  || x->depth != y->depth)
                return FALSE;
            }
        }
    }
  for (guint c = 0; c < a->counters->len; c++)
    {
      const SimCounter *ca = g_ptr_array_index (a->counters, c);
      const SimCounter *cb = g_ptr_array_index (b->counters, c);
      if (g_strcmp0 (ca->name, cb->name) != 0 || ca->n != cb->n)
        return FALSE;
    }
  return TRUE;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  GError *err = NULL;
  SimTrace *t = sim_trace_parse_json ((const char *) data, size, NULL, NULL, &err);
  if ((t == NULL) == (err == NULL))
    abort ();
  /* the same input with every event parsed by json-c */
  GError *slow_err = NULL;
  trace_scan_force_json_c = TRUE;
  SimTrace *slow = sim_trace_parse_json ((const char *) data, size, NULL, NULL, &slow_err);
  trace_scan_force_json_c = FALSE;
  if ((slow == NULL) != (t == NULL))
    abort ();
  if (slow != NULL
      && (slow->n_spans != t->n_spans || slow->n_kept_events != t->n_kept_events
          || slow->skipped_events != t->skipped_events || !same_content (t, slow)))
    abort ();
  g_clear_error (&slow_err);
  if (slow != NULL)
    sim_trace_free (slow);
  if (err != NULL)
    {
      if (err->domain != SIM_TRACE_ERROR || err->message[0] == '\0')
        abort ();
      g_error_free (err);
      return 0;
    }
  gsize len = 0;
  char *text = sim_trace_to_json (t, SIM_TRACE_FLAVOR_PERFETTO, &len);
  /* what we write we read back (kept cat and args and kept events are spliced in as text: they
   * must stay JSON), with the same number of spans and kept events */
  SimTrace *back = sim_trace_parse_json (text, len, NULL, NULL, &err);
  if (back == NULL || back->n_spans != t->n_spans || back->n_kept_events != t->n_kept_events)
    abort ();
  /* and is JSON to json-c as well (our reader's scanner took the broken text it had accepted);
   * an event may nest 64 levels (the reader's limit), in the file's object and array */
  json_tokener *tok = json_tokener_new_ex (128);
  json_object *o = json_tokener_parse_ex (tok, text, (int) len);
  if (o == NULL || json_tokener_get_error (tok) != json_tokener_success)
    abort ();
  json_object_put (o);
  json_tokener_free (tok);
  sim_trace_free (back);
  g_free (text);
  text = sim_trace_to_json (t, SIM_TRACE_FLAVOR_MSPROF, &len);
  g_free (text);
  sim_trace_free (t);
  return 0;
}
