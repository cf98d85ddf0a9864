/* kernels/sensitivity-run.c — run the base and every variant of a sensitivity report on a
 * GThreadPool (metrics only, one engine thread per run, as kernels/sweep.c does), then sort. */
#include "kernels/sensitivity-private.h"

#include <math.h>
#include <string.h>

void
sensitivity_options_init (SensitivityOptions *opt)
{
  memset (opt, 0, sizeof *opt);
}

void
sensitivity_report_free (SensitivityReport *report)
{
  if (report == NULL)
    return;
  if (report->rows != NULL)
    g_array_unref (report->rows);
  g_free (report->preset);
  g_free (report->other_error);
  g_free (report);
}

/* One simulation: the base (row -1) or one end of one row, at one rescale. */
typedef struct
{
  int row, end, side; /* end 0 = low, 1 = high; side 0 = the configuration's rescale */
  AmlaConfig cfg;
  char *assignment; /* "FIELD=VALUE" for sim_hw_set; NULL for the base */
  double util, total_ns;
  char *error;
  gboolean skipped; /* cancelled before it ran, or stopped while running */
} Job;

typedef struct
{
  const SimHw *hw; /* the preset with the configuration's what-ifs; read-only, shared */
  gint *cancel;
  GAsyncQueue *done;
} RunContext;

static void
job_free (Job *job)
{
  g_free (job->assignment);
  g_free (job->error);
  g_free (job);
}

static gboolean
cancelled (gint *cancel)
{
  return cancel != NULL && g_atomic_int_get (cancel);
}

static void
run_one (gpointer data, gpointer user_data)
{
  Job *job = data;
  RunContext *ctx = user_data;
  if (cancelled (ctx->cancel))
    {
      job->skipped = TRUE;
      g_async_queue_push (ctx->done, job);
      return;
    }
  g_autoptr (SimHw) hw = sim_hw_dup (ctx->hw);
  GError *err = NULL;
  SimRunOptions opt;
  sim_run_options_init (&opt);
  opt.record_trace = FALSE;
  opt.record_flows = FALSE;
  opt.record_counters = FALSE;
  opt.record_scalar = FALSE;
  opt.cancel = ctx->cancel;
  opt.threads = 1; /* the pool already runs one configuration per processor */
  AmlaRun *run = NULL;
  if (job->assignment == NULL || sim_hw_set (hw, job->assignment, &err))
    run = amla_run (&job->cfg, hw, &opt, &err);
  if (run != NULL)
    {
      job->util = run->result->metrics.cube_utilization;
      job->total_ns = run->result->metrics.total_ns;
      amla_run_free (run);
    }
  else
    {
      job->skipped = g_error_matches (err, SIM_ENGINE_ERROR, SIM_ENGINE_ERROR_CANCELLED);
      job->error = g_strdup (err != NULL ? err->message : "simulation failed");
      g_clear_error (&err);
    }
  g_async_queue_push (ctx->done, job);
}

static Job *
job_new (const AmlaConfig *base, AmlaRescale rescale, int row, int end, int side, const char *key,
         double value)
{
  Job *job = g_new0 (Job, 1);
  job->row = row;
  job->end = end;
  job->side = side;
  job->cfg = *base;
  job->cfg.rescale = rescale;
  if (key != NULL)
    {
      g_autofree char *v = sensitivity_format_value (value);
      job->assignment = g_strdup_printf ("%s=%s", key, v);
      /* the configuration names the change when it fits (labels only: the run uses the hw) */
      amla_config_add_what_if (&job->cfg, job->assignment, NULL);
    }
  return job;
}

static int
row_cmp (gconstpointer a, gconstpointer b)
{
  const SensitivityRow *x = a, *y = b;
  int rank_x = x->rule == SENSITIVITY_RULE_SKIPPED ? 2 : isnan (x->side[0].swing) ? 1 : 0;
  int rank_y = y->rule == SENSITIVITY_RULE_SKIPPED ? 2 : isnan (y->side[0].swing) ? 1 : 0;
  if (rank_x != rank_y)
    return rank_x - rank_y;
  if (rank_x == 0 && x->side[0].swing != y->side[0].swing)
    return x->side[0].swing > y->side[0].swing ? -1 : 1;
  double ox = isnan (x->side[1].swing) ? -1 : x->side[1].swing;
  double oy = isnan (y->side[1].swing) ? -1 : y->side[1].swing;
  if (ox != oy)
    return ox > oy ? -1 : 1;
  return strcmp (x->key, y->key);
}

/* Put a finished job's numbers into the report. */
static void
record (SensitivityReport *report, Job *job)
{
  if (job->row < 0)
    {
      report->base_util[job->side] = job->util;
      report->base_total_ns[job->side] = job->total_ns;
      return;
    }
  SensitivitySide *s = &g_array_index (report->rows, SensitivityRow, job->row).side[job->side];
  if (job->end == 0)
    {
      s->util_low = job->util;
      s->error_low = g_steal_pointer (&job->error);
    }
  else
    {
      s->util_high = job->util;
      s->error_high = g_steal_pointer (&job->error);
    }
}

static void
finish_rows (SensitivityReport *report, char *base_error[2])
{
  for (guint i = 0; i < report->rows->len; i++)
    {
      SensitivityRow *row = &g_array_index (report->rows, SensitivityRow, i);
      if (row->rule == SENSITIVITY_RULE_SKIPPED)
        continue;
      for (int s = 0; s < 2; s++)
        {
          SensitivitySide *side = &row->side[s];
          /* an end that equals the base (a clamped factor) is the base run */
          if (row->low == row->base)
            side->util_low = report->base_util[s];
          if (row->high == row->base)
            side->util_high = report->base_util[s];
          if (base_error[s] != NULL && row->low == row->base && side->error_low == NULL)
            side->error_low = g_strdup (base_error[s]);
          if (base_error[s] != NULL && row->high == row->base && side->error_high == NULL)
            side->error_high = g_strdup (base_error[s]);
          side->swing = side->error_low != NULL || side->error_high != NULL
                            ? NAN
                            : fabs (side->util_high - side->util_low);
        }
    }
  g_array_sort (report->rows, row_cmp);
}

SensitivityReport *
sensitivity_run (const AmlaConfig *cfg, const SensitivityOptions *opt_in, GError **error)
{
  SensitivityOptions defaults;
  sensitivity_options_init (&defaults);
  const SensitivityOptions *opt = opt_in != NULL ? opt_in : &defaults;
  gint64 start_us = g_get_monotonic_time ();
  if (!amla_config_validate (cfg, error))
    return NULL;
  g_autoptr (SimHw) hw = amla_config_load_hw (cfg, error);
  if (hw == NULL)
    return NULL;
  g_autoptr (SensitivityReport) report = g_new0 (SensitivityReport, 1);
  report->config = *cfg;
  report->preset = g_strdup (hw->name);
  report->rescale[0] = cfg->rescale;
  report->rescale[1] = cfg->rescale == AMLA_RESCALE_AMLA ? AMLA_RESCALE_MUL : AMLA_RESCALE_AMLA;
  report->peak_tflops = sim_hw_peak_flops (hw) / 1e12;
  report->rows = sensitivity_plan (cfg, hw, error);
  if (report->rows == NULL)
    return NULL;

  GPtrArray *jobs = g_ptr_array_new ();
  for (int s = 0; s < 2; s++)
    g_ptr_array_add (jobs, job_new (cfg, report->rescale[s], -1, 0, s, NULL, 0));
  for (guint i = 0; i < report->rows->len; i++)
    {
      const SensitivityRow *row = &g_array_index (report->rows, SensitivityRow, i);
      if (row->rule == SENSITIVITY_RULE_SKIPPED)
        continue;
      for (int s = 0; s < 2; s++)
        for (int end = 0; end < 2; end++)
          {
            double v = end == 0 ? row->low : row->high;
            if (v != row->base)
              g_ptr_array_add (jobs,
                               job_new (cfg, report->rescale[s], (int) i, end, s, row->key, v));
          }
    }
  guint total = jobs->len;
  RunContext ctx = { hw, opt->cancel, g_async_queue_new () };
  int threads = opt->threads > 0 ? opt->threads : (int) g_get_num_processors ();
  GThreadPool *pool = g_thread_pool_new (run_one, &ctx, MIN (threads, (int) total), TRUE, error);
  if (pool == NULL)
    {
      g_ptr_array_free (jobs, TRUE);
      g_async_queue_unref (ctx.done);
      return NULL;
    }
  /* the bases first: a configuration that cannot run is known early */
  for (guint i = 0; i < total; i++)
    g_thread_pool_push (pool, g_ptr_array_index (jobs, i), NULL);
  g_ptr_array_free (jobs, TRUE);

  gboolean stopped = FALSE;
  char *base_error[2] = { NULL, NULL };
  for (guint done = 1; done <= total; done++)
    {
      Job *job = g_async_queue_pop (ctx.done);
      stopped |= job->skipped || cancelled (opt->cancel);
      if (job->row < 0 && job->error != NULL)
        base_error[job->side] = g_strdup (job->error);
      record (report, job);
      job_free (job);
      if (opt->done != NULL)
        g_atomic_int_set (opt->done, (gint) done);
      if (opt->progress != NULL && !stopped)
        opt->progress (done, total, opt->progress_data);
    }
  g_thread_pool_free (pool, FALSE, TRUE);
  g_async_queue_unref (ctx.done);
  report->runs = total;

  gboolean ok = FALSE;
  if (stopped)
    g_set_error (error, SENSITIVITY_ERROR, SENSITIVITY_ERROR_CANCELLED, "sensitivity cancelled");
  else if (base_error[0] != NULL)
    g_set_error (error, SENSITIVITY_ERROR, SENSITIVITY_ERROR_INVALID,
                 "the configuration itself fails to simulate (rescale %s): %s",
                 amla_rescale_name (report->rescale[0]), base_error[0]);
  else
    ok = TRUE;
  if (ok)
    {
      if (base_error[1] != NULL)
        report->other_error
            = g_strdup_printf ("rescale %s fails to simulate: %s",
                               amla_rescale_name (report->rescale[1]), base_error[1]);
      finish_rows (report, base_error);
      report->wall_s = (double) (g_get_monotonic_time () - start_us) / 1e6;
    }
  g_free (base_error[0]);
  g_free (base_error[1]);
  return ok ? g_steal_pointer (&report) : NULL;
}
