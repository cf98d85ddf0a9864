/* kernels/amla-run.c — build + simulate one AMLA configuration, and its JSON descriptions
 * (metrics object for --json, otherData for traces, config restore from otherData). */
#include "kernels/amla.h"
#include "kernels/amla-config-fields.h"
#include "kernels/amla-hw-recorded.h"
#include "sim/input.h"

#include <json-c/json.h>
#include <string.h>

AmlaRun *
amla_run (const AmlaConfig *cfg, const SimHw *hw, const SimRunOptions *opt, GError **error)
{
  if (!amla_config_validate (cfg, error))
    return NULL;
  SimHw *owned = NULL;
  if (hw == NULL)
    {
      owned = amla_config_load_hw (cfg, error);
      if (!owned)
        return NULL;
      hw = owned;
    }
  /* refuse, before allocating, a run this machine cannot hold (it would abort in g_malloc) */
  guint64 limit = opt != NULL && opt->max_memory_bytes > 0 ? opt->max_memory_bytes
                                                            : amla_default_memory_limit ();
  guint64 instructions = 0;
  guint64 need = amla_program_estimate_bytes (cfg, hw, opt == NULL || opt->record_trace,
                                              &instructions);
  if (need > limit)
    {
      g_autofree char *desc = amla_config_describe (cfg);
      g_autofree char *need_s = sim_format_size (need);
      g_autofree char *limit_s = sim_format_size (limit);
      g_set_error (error, AMLA_ERROR, AMLA_ERROR_TOO_BIG,
                   "%s needs about %s (%.3g instructions%s, %d cores), more than the limit of %s "
                   "(%s): make --batch, --kv or --sq smaller",
                   desc, need_s, (double) instructions,
                   opt == NULL || opt->record_trace ? " and their trace" : "",
                   sim_hw_aic_count (hw) + sim_hw_aiv_count (hw), limit_s,
                   opt != NULL && opt->max_memory_bytes > 0 ? "--max-memory"
                   : g_getenv ("AMLAVIZ_MAX_MEMORY") != NULL
                       ? "AMLAVIZ_MAX_MEMORY"
                       : "half of this machine's memory; --max-memory or AMLAVIZ_MAX_MEMORY "
                         "changes it");
      sim_hw_free (owned);
      return NULL;
    }
  /* streamed: the engine writes each core's program as it issues it (memory follows the cores,
   * not the shape); the result is the built program's */
  SimProgram *prog = amla_program_stream (cfg, hw, error);
  if (!prog)
    {
      sim_hw_free (owned);
      return NULL;
    }
  SimResult *res = sim_engine_run (prog, opt, error);
  sim_program_free (prog);
  if (!res)
    {
      sim_hw_free (owned);
      return NULL;
    }
  AmlaRun *run = g_new0 (AmlaRun, 1);
  run->config = *cfg;
  if (owned)
    run->hw = owned;
  else
    {
      /* keep our own copy so the run outlives the caller's preset */
      run->hw = sim_hw_dup (hw);
    }
  g_strlcpy (run->config.hw, hw->name, sizeof run->config.hw);
  run->result = res;
  /* the FLOP count is the kernel's formula; the engine's MMAD sum must agree */
  res->metrics.flops = amla_config_flops (cfg);
  res->metrics.tflops = res->metrics.total_ns > 0
                            ? res->metrics.flops / (res->metrics.total_ns * 1e-9) / 1e12 : 0;
  res->metrics.cube_utilization = res->metrics.peak_tflops > 0
                                      ? res->metrics.tflops / res->metrics.peak_tflops : 0;
  if (res->trace)
    {
      g_free (res->trace->other_data_json);
      res->trace->other_data_json = amla_run_other_data_json (run);
    }
  return run;
}

void
amla_run_free (AmlaRun *run)
{
  if (!run)
    return;
  sim_result_free (run->result);
  sim_hw_free (run->hw);
  g_free (run);
}

static json_object *
metrics_object (const AmlaRun *run)
{
  const SimMetrics *m = &run->result->metrics;
  json_object *o = json_object_new_object ();
  json_object_object_add (o, "total_ns", json_object_new_double (m->total_ns));
  json_object_object_add (o, "flops", json_object_new_double (m->flops));
  json_object_object_add (o, "tflops", json_object_new_double (m->tflops));
  json_object_object_add (o, "peak_tflops", json_object_new_double (m->peak_tflops));
  json_object_object_add (o, "cube_utilization", json_object_new_double (m->cube_utilization));
  json_object_object_add (o, "bound", json_object_new_string (sim_bound_name (m->bound)));
  json_object_object_add (o, "bound_reason", json_object_new_string (m->reason));
  json_object_object_add (o, "cube_vector_overlap", json_object_new_double (m->cube_vector_overlap));
  json_object_object_add (o, "hbm_utilization", json_object_new_double (m->hbm_busy));
  json_object_object_add (o, "l2_utilization", json_object_new_double (m->l2_busy));
  json_object *busy = json_object_new_object ();
  json_object *aic = json_object_new_object (), *aiv = json_object_new_object ();
  for (int q = 0; q < SIM_N_PIPES; q++)
    {
      if (sim_pipe_on_core ((SimPipe) q, SIM_CORE_AIC))
        json_object_object_add (aic, sim_pipe_name ((SimPipe) q),
                                json_object_new_double (m->busy_aic[q]));
      if (sim_pipe_on_core ((SimPipe) q, SIM_CORE_AIV))
        json_object_object_add (aiv, sim_pipe_name ((SimPipe) q),
                                json_object_new_double (m->busy_aiv[q]));
    }
  json_object_object_add (busy, "aic", aic);
  json_object_object_add (busy, "aiv", aiv);
  json_object_object_add (o, "busy", busy);
  json_object *bytes = json_object_new_object ();
  for (int p = 0; p < SIM_N_PATHS; p++)
    json_object_object_add (bytes, sim_path_key ((SimPath) p),
                            json_object_new_int64 ((int64_t) m->bytes[p]));
  json_object_object_add (bytes, "hbm", json_object_new_int64 ((int64_t) m->hbm_bytes));
  json_object_object_add (bytes, "l2", json_object_new_int64 ((int64_t) m->l2_bytes));
  json_object_object_add (bytes, "l2_read", json_object_new_int64 ((int64_t) m->l2_read_bytes));
  json_object_object_add (o, "bytes", bytes);
  json_object_object_add (o, "instructions", json_object_new_int64 ((int64_t) m->instructions));
  json_object_object_add (o, "events", json_object_new_int64 ((int64_t) m->events));
  json_object_object_add (o, "n_aic", json_object_new_int (m->n_aic));
  json_object_object_add (o, "n_aiv", json_object_new_int (m->n_aiv));
  json_object_object_add (o, "sim_wall_ms", json_object_new_double (run->result->wall_ms));
  return o;
}

static char *
to_text (json_object *o, int flags)
{
  char *s = g_strdup (json_object_to_json_string_ext (o, flags));
  json_object_put (o);
  return s;
}

char *
amla_metrics_json (const AmlaRun *run)
{
  json_object *o = metrics_object (run);
  json_object_object_add (o, "config", amla_config_to_json (&run->config));
  /* preset fields changed for a what-if (amlasim --set), so the numbers are never mistaken
   * for the preset's */
  gsize n = 0;
  const SimHwField *f = run->hw ? sim_hw_fields (run->hw, &n) : NULL;
  json_object *w = NULL;
  for (gsize i = 0; i < n; i++)
    if (f[i].what_if)
      {
        if (w == NULL)
          w = json_object_new_object ();
        json_object_object_add (w, f[i].key, json_object_new_double (f[i].value));
      }
  if (w != NULL)
    json_object_object_add (o, "what_if", w);
  return to_text (o, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE);
}

char *
amla_run_other_data_json (const AmlaRun *run)
{
  json_object *o = json_object_new_object ();
  json_object_object_add (o, "generator", json_object_new_string ("amlaviz"));
  json_object_object_add (o, "version", json_object_new_string (AMLAVIZ_VERSION));
  json_object_object_add (o, "kernel", json_object_new_string ("amla-mla-decode"));
  json_object_object_add (o, "config", amla_config_to_json (&run->config));
  if (run->hw)
    json_object_object_add (o, "hw", amla_hw_to_other_data (run->hw));
  json_object_object_add (o, "metrics", metrics_object (run));
  char *description = amla_config_describe (&run->config);
  json_object_object_add (o, "title", json_object_new_string (description));
  g_free (description);
  return to_text (o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
}

gboolean
amla_config_from_other_data (const char *text, AmlaConfig *cfg, GError **error)
{
  return amla_config_from_trace_other_data (text, NULL, cfg, error);
}

gboolean
amla_config_from_trace_other_data (const char *text, const char *origin, AmlaConfig *cfg,
                                   GError **error)
{
  if (text == NULL)
    {
      g_set_error (error, AMLA_ERROR, AMLA_ERROR_INVALID, "the trace carries no otherData");
      return FALSE;
    }
  json_object *root = json_tokener_parse (text);
  json_object *gen, *c, *v;
  gboolean ok = FALSE;
  if (!root || !json_object_object_get_ex (root, "generator", &gen)
      || g_strcmp0 (json_object_get_string (gen), "amlaviz") != 0
      || !json_object_object_get_ex (root, "config", &c) || !json_object_is_type (c, json_type_object))
    {
      g_set_error (error, AMLA_ERROR, AMLA_ERROR_INVALID,
                   "not an amlaviz simulation trace (no otherData.generator = \"amlaviz\" with a "
                   "config)");
      goto out;
    }
  AmlaConfig tmp;
  amla_config_init (&tmp);
  amla_config_read_json (c, &tmp);
  /* a what-if run (amlasim --set) lists the changed preset fields; re-simulating keeps them */
  json_object *hw = NULL, *what_if;
  if (json_object_object_get_ex (root, "hw", &hw) && json_object_is_type (hw, json_type_object)
      && json_object_object_get_ex (hw, "what_if", &what_if)
      && json_object_is_type (what_if, json_type_array))
    for (gsize i = 0; i < json_object_array_length (what_if); i++)
      {
        const char *key = json_object_get_string (json_object_array_get_idx (what_if, i));
        if (key == NULL || !json_object_object_get_ex (hw, key, &v)
            || !(json_object_is_type (v, json_type_double) || json_object_is_type (v, json_type_int)))
          {
            g_set_error (error, AMLA_ERROR, AMLA_ERROR_INVALID,
                         "otherData.hw.what_if names '%s' but hw has no number for it",
                         key ? key : "(null)");
            goto out;
          }
        g_autofree char *value = amla_format_number (json_object_get_double (v));
        g_autofree char *assignment = g_strdup_printf ("%s=%s", key, value);
        if (!amla_config_add_what_if (&tmp, assignment, error))
          goto out;
      }
  /* the hardware as recorded, not the preset of its name here (a trace without hw, from
   * before it was written, names its preset) */
  if (hw != NULL && json_object_is_type (hw, json_type_object)
      && !amla_hw_from_other_data (hw, origin, &tmp, error))
    goto out;
  if (!amla_config_validate (&tmp, error))
    goto out;
  *cfg = tmp;
  ok = TRUE;
out:
  json_object_put (root);
  return ok;
}

static gboolean
get_number (json_object *o, const char *key, double *out)
{
  json_object *v;
  if (!json_object_object_get_ex (o, key, &v)
      || !(json_object_is_type (v, json_type_double) || json_object_is_type (v, json_type_int)))
    return FALSE;
  *out = json_object_get_double (v);
  return TRUE;
}

static guint64
get_count (json_object *o, const char *key)
{
  json_object *v;
  if (!json_object_object_get_ex (o, key, &v) || !json_object_is_type (v, json_type_int))
    return 0;
  gint64 x = json_object_get_int64 (v);
  return x > 0 ? (guint64) x : 0;
}

gboolean
amla_metrics_from_other_data (const char *text, SimMetrics *metrics, GError **error)
{
  json_object *root = text ? json_tokener_parse (text) : NULL;
  json_object *m = NULL, *v, *busy, *bytes;
  SimMetrics r;
  memset (&r, 0, sizeof r);
  if (root == NULL || !json_object_object_get_ex (root, "metrics", &m)
      || !json_object_is_type (m, json_type_object) || !get_number (m, "total_ns", &r.total_ns))
    {
      g_set_error (error, AMLA_ERROR, AMLA_ERROR_INVALID,
                   "the trace carries no metrics (otherData.metrics.total_ns)");
      json_object_put (root);
      return FALSE;
    }
  get_number (m, "flops", &r.flops);
  get_number (m, "tflops", &r.tflops);
  get_number (m, "peak_tflops", &r.peak_tflops);
  get_number (m, "cube_utilization", &r.cube_utilization);
  get_number (m, "cube_vector_overlap", &r.cube_vector_overlap);
  get_number (m, "hbm_utilization", &r.hbm_busy);
  get_number (m, "l2_utilization", &r.l2_busy);
  if (json_object_object_get_ex (m, "bound", &v) && json_object_is_type (v, json_type_string))
    for (int b = SIM_BOUND_CUBE; b <= SIM_BOUND_SYNC; b++)
      if (g_str_equal (json_object_get_string (v), sim_bound_name ((SimBound) b)))
        r.bound = (SimBound) b;
  if (json_object_object_get_ex (m, "bound_reason", &v) && json_object_is_type (v, json_type_string))
    g_strlcpy (r.reason, json_object_get_string (v), sizeof r.reason);
  if (json_object_object_get_ex (m, "busy", &busy) && json_object_is_type (busy, json_type_object))
    {
      json_object *aic = NULL, *aiv = NULL;
      json_object_object_get_ex (busy, "aic", &aic);
      json_object_object_get_ex (busy, "aiv", &aiv);
      for (int q = 0; q < SIM_N_PIPES; q++)
        {
          if (aic && json_object_is_type (aic, json_type_object))
            get_number (aic, sim_pipe_name ((SimPipe) q), &r.busy_aic[q]);
          if (aiv && json_object_is_type (aiv, json_type_object))
            get_number (aiv, sim_pipe_name ((SimPipe) q), &r.busy_aiv[q]);
        }
    }
  if (json_object_object_get_ex (m, "bytes", &bytes) && json_object_is_type (bytes, json_type_object))
    {
      for (int p = 0; p < SIM_N_PATHS; p++)
        r.bytes[p] = get_count (bytes, sim_path_key ((SimPath) p));
      r.hbm_bytes = get_count (bytes, "hbm");
      r.l2_bytes = get_count (bytes, "l2");
      r.l2_read_bytes = get_count (bytes, "l2_read");
    }
  r.instructions = get_count (m, "instructions");
  r.events = get_count (m, "events");
  r.n_aic = (int) MIN (get_count (m, "n_aic"), (guint64) G_MAXINT);
  r.n_aiv = (int) MIN (get_count (m, "n_aiv"), (guint64) G_MAXINT);
  *metrics = r;
  json_object_put (root);
  return TRUE;
}
