/* src/app/amlaviz-session-numerics.c — the numerics of the current run's shape, in a worker (see
 * amlaviz-session.h). */
#include "src/app/amlaviz-session-private.h"

/* ------------------------------------------------------------------ numerics */

/* The error depends only on these; B only scales rows_total. */
static gboolean
same_numerics_shape (const AmlaConfig *a, const AmlaConfig *b)
{
  return a->heads == b->heads && a->sq == b->sq && a->kv_len == b->kv_len && a->block == b->block;
}

static void
numerics_set (AmlavizSession *self, AmlavizNumericsState state, char *message /* transfer full */)
{
  self->num_state = state;
  g_free (self->num_message);
  self->num_message = message;
  g_signal_emit (self, _amlaviz_session_signals[SIGNAL_NUMERICS_CHANGED], 0);
}

static void
numerics_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  const AmlaConfig *cfg = task_data;
  AmlaNumReport *report = g_new0 (AmlaNumReport, 1);
  GError *error = NULL;
  if (amla_numerics_for_config (cfg, AMLA_NUM_DIST_NORMAL, 1, AMLA_NUM_DEFAULT_SAMPLE_ROWS, report,
                                &error))
    g_task_return_pointer (task, report, g_free);
  else
    {
      g_free (report);
      g_task_return_error (task, error);
    }
}

static void numerics_done (GObject *source, GAsyncResult *result, gpointer user_data);

static void
numerics_start (AmlavizSession *self)
{
  g_assert (self->num_task == NULL);
  self->num_cfg = self->num_want;
  GTask *task = g_task_new (self, NULL, numerics_done, NULL);
  g_task_set_source_tag (task, numerics_start);
  g_task_set_task_data (task, g_memdup2 (&self->num_cfg, sizeof self->num_cfg), g_free);
  self->num_task = g_object_ref (task);
  g_task_run_in_thread (task, numerics_thread);
  g_object_unref (task);
}

static void
numerics_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  AmlavizSession *self = AMLAVIZ_SESSION (source);
  g_autoptr (GError) error = NULL;
  g_autofree AmlaNumReport *report = g_task_propagate_pointer (G_TASK (result), &error);
  g_clear_object (&self->num_task);
  if (self->num_state != AMLAVIZ_NUMERICS_COMPUTING)
    return; /* hidden or too large meanwhile: nothing wants it */
  if (!same_numerics_shape (&self->num_cfg, &self->num_want))
    {
      numerics_start (self); /* superseded while it ran: drop it, compute the newest */
      return;
    }
  if (report == NULL)
    {
      numerics_set (self, AMLAVIZ_NUMERICS_FAILED,
                    g_strdup_printf ("Numerics failed: %s", error->message));
      return;
    }
  self->num_report = *report;
  self->num_report.rows_total = self->num_want.batch * self->num_want.heads * self->num_want.sq;
  numerics_set (self, AMLAVIZ_NUMERICS_READY, NULL);
}

/* After the current trace changed: the numerics of its shape, computed only if the shape moved. */
void
_amlaviz_session_numerics_update (AmlavizSession *self)
{
  const AmlaConfig *cfg = NULL;
  if (self->current && self->current->run)
    cfg = &self->current->run->config;
  else if (self->current && !self->read_only)
    cfg = &self->config; /* a trace we wrote: its configuration is in the controls */
  if (cfg == NULL)
    {
      numerics_set (self, AMLAVIZ_NUMERICS_HIDDEN, NULL);
      return;
    }
  self->num_want = *cfg;
  if (cfg->kv_len > AMLAVIZ_NUMERICS_MAX_KV)
    {
      numerics_set (self, AMLAVIZ_NUMERICS_TOO_LARGE,
                    g_strdup_printf ("Numerics are computed up to S_kv = %d (the KV cache of "
                                     "S_kv = %d alone would take %.0f MB); run amlasim numerics "
                                     "on a shorter cache.",
                                     AMLAVIZ_NUMERICS_MAX_KV, cfg->kv_len,
                                     cfg->kv_len * (double) AMLA_HEAD_DIM_QK * 4 / 1e6));
      return;
    }
  if ((self->num_state == AMLAVIZ_NUMERICS_READY || self->num_state == AMLAVIZ_NUMERICS_FAILED)
      && self->num_task == NULL && same_numerics_shape (&self->num_cfg, cfg))
    {
      /* same arithmetic: only the row count (B) or the drawn rescale may differ */
      self->num_report.rows_total = cfg->batch * cfg->heads * cfg->sq;
      numerics_set (self, self->num_state, g_strdup (self->num_message));
      return;
    }
  numerics_set (self, AMLAVIZ_NUMERICS_COMPUTING, NULL);
  if (self->num_task == NULL)
    numerics_start (self);
  /* else numerics_done starts the newest request when the running one finishes */
}

AmlavizNumericsState
amlaviz_session_get_numerics (AmlavizSession *self, const AmlaNumReport **report,
                              const char **message)
{
  if (report)
    *report = self->num_state == AMLAVIZ_NUMERICS_READY ? &self->num_report : NULL;
  if (message)
    *message = self->num_message;
  return self->num_state;
}
