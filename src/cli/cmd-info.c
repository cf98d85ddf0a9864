/* amlasim info — summarise a trace file: what it is, its cores and pipes, spans, time range,
 * stages, flows, counters, skipped events and (for our own traces) the configuration. */
#include <json-c/json.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "sim/trace/trace-json.h"
#include "src/cli/cli-util.h"
#include "src/cli/commands.h"

static const char *
kind_label (const SimGroup *g, char *buf, gsize size)
{
  if (g->kind == SIM_CORE_AIC)
    g_snprintf (buf, size, "AIC%d", g->core_index);
  else if (g->kind == SIM_CORE_AIV)
    g_snprintf (buf, size, "AIV%d", g->core_index);
  else
    g_strlcpy (buf, "generic", size);
  return buf;
}

/* µs with as many decimals as ns need. */
static char *
fmt_us (double ns)
{
  return g_strdup_printf ("%.3f µs", ns / 1000.0);
}

static gboolean
is_ours (const SimTrace *t, json_object **other)
{
  *other = t->other_data_json ? json_tokener_parse (t->other_data_json) : NULL;
  json_object *gen;
  return *other != NULL && json_object_object_get_ex (*other, "generator", &gen)
         && g_str_equal (json_object_get_string (gen), "amlaviz");
}

static void
print_trace (const SimTrace *t, gboolean lanes)
{
  guint n_lanes = 0, n_aic = 0, n_aiv = 0, n_pipe_lanes = 0;
  guint64 per_stage[SIM_N_STAGES] = { 0 }, n_extra = 0;
  for (guint g = 0; g < t->groups->len; g++)
    {
      SimGroup *grp = g_ptr_array_index (t->groups, g);
      n_aic += grp->kind == SIM_CORE_AIC;
      n_aiv += grp->kind == SIM_CORE_AIV;
      n_lanes += grp->lanes->len;
      for (guint l = 0; l < grp->lanes->len; l++)
        {
          SimLane *lane = g_ptr_array_index (grp->lanes, l);
          n_pipe_lanes += lane->pipe != SIM_PIPE_NONE;
          for (gsize i = 0; i < lane->n_spans; i++)
            {
              per_stage[MIN (lane->spans[i].stage, SIM_N_STAGES - 1)]++;
              n_extra += lane->spans[i].extra != 0;
            }
        }
    }
  json_object *other = NULL;
  gboolean ours = is_ours (t, &other);
  const char *kind = ours ? "amlaviz simulation (can be re-simulated)"
                     : n_aic + n_aiv > 0 || n_pipe_lanes > 0 ? "Ascend core/pipe trace (read-only)"
                                                              : "generic Chrome trace (read-only)";
  g_autofree char *t0 = fmt_us (t->start_ns), *t1 = fmt_us (t->end_ns),
                  *span = fmt_us (t->end_ns - t->start_ns);
  printf ("file:        %s\n", t->source ? t->source : "-");
  printf ("kind:        %s\n", kind);
  printf ("time range:  %s – %s (%s)\n", t0, t1, span);
  if (t->origin_ns != 0)
    {
      /* a wall-clock trace: times count from its earliest; say where that is on its clock */
      g_autofree char *origin = sim_trace_clock_text (t, 0);
      printf ("origin:      %s µs on the file's clock (times here count from it)\n", origin);
    }
  printf ("groups:      %u (%u AIC, %u AIV, %u other)\n", t->groups->len, n_aic, n_aiv,
          t->groups->len - n_aic - n_aiv);
  printf ("lanes:       %u (%u on known pipes)\n", n_lanes, n_pipe_lanes);
  printf ("spans:       %" G_GUINT64_FORMAT, t->n_spans);
  if (n_extra > 0)
    printf (" (%" G_GUINT64_FORMAT " with their own cat or args, kept and written back)", n_extra);
  printf ("\n");
  g_autoptr (GString) stages = g_string_new ("");
  for (int s = 1; s < SIM_N_STAGES; s++)
    if (per_stage[s])
      g_string_append_printf (stages, "%s%s %" G_GUINT64_FORMAT, stages->len ? ", " : "",
                              sim_stage_name (s), per_stage[s]);
  printf ("stages:      %s", stages->len ? stages->str : "none");
  if (per_stage[0])
    printf (" (%" G_GUINT64_FORMAT " spans without a stage)", per_stage[0]);
  printf ("\n");
  printf ("flows:       %u\n", t->flows->len);
  guint64 points = 0;
  for (guint i = 0; i < t->counters->len; i++)
    points += ((SimCounter *) g_ptr_array_index (t->counters, i))->n;
  printf ("counters:    %u (%" G_GUINT64_FORMAT " points)\n", t->counters->len, points);
  printf ("skipped:     %" G_GUINT64_FORMAT " events (phases not drawn, unpaired flows)\n",
          t->skipped_events);
  if (t->top_members != NULL)
    {
      /* each line is "key":value, the key a JSON string: shown as it is */
      g_autoptr (GString) keys = g_string_new (NULL);
      for (const char *p = t->top_members->str; *p != '\0';)
        {
          const char *nl = strchr (p, '\n');
          const char *k = p + 1, *q = k;
          while (q < nl && *q != '"')
            q += *q == '\\' && q + 1 < nl ? 2 : 1;
          g_string_append_printf (keys, "%s%.*s", keys->len ? ", " : "", (int) (q - k), k);
          p = nl + 1;
        }
      printf ("top level:   %s (kept, written back on save)\n", keys->str);
    }
  if (t->n_kept_events > 0)
    printf ("kept:        %" G_GUINT64_FORMAT " events we do not draw or read (%" G_GUINT64_FORMAT
            " of the skipped, other metadata), written back as read on save\n",
            t->n_kept_events, t->n_kept_skipped);
  printf ("\n");
  for (guint g = 0; g < t->groups->len; g++)
    {
      SimGroup *grp = g_ptr_array_index (t->groups, g);
      char kb[32];
      guint64 n = 0;
      for (guint l = 0; l < grp->lanes->len; l++)
        n += ((SimLane *) g_ptr_array_index (grp->lanes, l))->n_spans;
      printf ("%-24s %-8s %3u lanes %10" G_GUINT64_FORMAT " spans\n", grp->name,
              kind_label (grp, kb, sizeof kb), grp->lanes->len, n);
      if (!lanes)
        continue;
      for (guint l = 0; l < grp->lanes->len; l++)
        {
          SimLane *lane = g_ptr_array_index (grp->lanes, l);
          g_autofree char *b = fmt_us (sim_lane_busy_ns (lane));
          printf ("  %-22s %-8s %10zu spans  busy %s\n", lane->name,
                  lane->pipe != SIM_PIPE_NONE ? sim_pipe_name (lane->pipe) : "-", lane->n_spans, b);
        }
    }
  for (guint i = 0; i < t->counters->len; i++)
    {
      SimCounter *c = g_ptr_array_index (t->counters, i);
      const char *owner = c->group >= 0 ? ((SimGroup *) g_ptr_array_index (t->groups, c->group))->name
                                        : "chip";
      if (c->min_value < 0)
        printf ("counter %-24s [%s] on %s: %zu points, min %g, max %g\n", c->name, c->unit, owner,
                c->n, c->min_value, c->max_value);
      else
        printf ("counter %-24s [%s] on %s: %zu points, max %g\n", c->name, c->unit, owner, c->n,
                c->max_value);
    }
  if (other != NULL)
    {
      printf ("\notherData%s:\n%s\n", ours ? " (configuration to re-simulate)" : "",
              json_object_to_json_string_ext (other, JSON_C_TO_STRING_PRETTY
                                                         | JSON_C_TO_STRING_NOSLASHESCAPE));
      json_object_put (other);
    }
}

static gboolean
print_progress (double fraction, gpointer data)
{
  fprintf (stderr, "\ramlasim info: reading… %3.0f%%", fraction * 100);
  if (fraction >= 1.0)
    fprintf (stderr, "\r%40s\r", "");
  return TRUE;
}

int
amlasim_cmd_info (int argc, char **argv)
{
  gboolean lanes = TRUE, quiet = FALSE;
  gboolean brief = FALSE;
  GOptionEntry entries[] = {
    { "brief", 'b', 0, G_OPTION_ARG_NONE, &brief, "One line per group, no lanes", NULL },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, "No progress on stderr", NULL },
    { NULL },
  };
  g_autoptr (GOptionContext) ctx = g_option_context_new ("TRACE.json[.gz] — summarise a trace file");
  g_option_context_set_summary (
      ctx, "Reads any Chrome Trace Event JSON (ours, Perfetto/chrome://tracing traces, Ascend\n"
           "msprof operator traces) and prints its cores, pipes, spans, time range, stages,\n"
           "flows, counters and skipped events.  gzip-compressed files are read as well.\n"
           "Exit 1 with the file position if it cannot be read.");
  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!cli_parse_context ("info", ctx, &argc, &argv))
    return CLI_EXIT_USAGE;
  if (argc != 2)
    return cli_usage_error ("info", "expected one trace file (see amlasim info --help), got %d",
                            argc - 1);
  lanes = !brief;
  g_autoptr (GError) err = NULL;
  gboolean show = !quiet && isatty (fileno (stderr));
  g_autoptr (SimTrace) t = sim_trace_read_json (argv[1], show ? print_progress : NULL, NULL, &err);
  if (t == NULL)
    return cli_fail ("info", "%s", err->message);
  print_trace (t, lanes);
  return CLI_EXIT_OK;
}
