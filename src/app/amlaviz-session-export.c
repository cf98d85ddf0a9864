/* src/app/amlaviz-session-export.c — the current run as an image (PNG/SVG/PDF) written in a
 * worker (see amlaviz_session_export_image_async in amlaviz-session.h).  The shown run is held by
 * reference, so a re-simulation finishing meanwhile does not free the trace under the renderer;
 * the export counts as pending work (wait_idle, quitting). */
#include "src/app/amlaviz-session-private.h"
#include "src/app/amlaviz-describe.h"

typedef struct
{
  Shown *shown;
  TlExportOptions opt;
  guint8 *groups; /* backs opt.groups */
  char *title;    /* backs opt.title */
  char *path;
  GAsyncReadyCallback callback;
  gpointer user_data;
} ExportData;

static void
export_data_free (gpointer p)
{
  ExportData *d = p;
  shown_unref (d->shown);
  g_free (d->groups);
  g_free (d->title);
  g_free (d->path);
  g_free (d);
}

static void
export_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  ExportData *d = task_data;
  GError *error = NULL;
  /* a partial run has AIC 0's group only: simulated whole first if the image shows any other */
  g_autoptr (AmlaRun) whole = NULL;
  const SimTrace *t = shown_trace (d->shown);
  gboolean others = FALSE;
  for (guint g = 0; d->shown->partial && g < t->groups->len && !others; g++)
    others = (d->opt.groups == NULL || d->opt.groups[g])
             && !amlaviz_group_in_aic_group (g_ptr_array_index (t->groups, g), 0,
                                             d->shown->aiv_per_aic);
  if (others && (t = _amlaviz_shown_full_trace (d->shown, &whole, &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (tl_export_file (t, &d->opt, d->path, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
export_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  ExportData *d = g_task_get_task_data (G_TASK (result));
  _amlaviz_session_work_done (AMLAVIZ_SESSION (source));
  if (d->callback)
    d->callback (source, result, d->user_data);
}

void
amlaviz_session_export_image_async (AmlavizSession *self, const TlExportOptions *opt,
                                    const char *path, GAsyncReadyCallback callback,
                                    gpointer user_data)
{
  g_return_if_fail (AMLAVIZ_IS_SESSION (self));
  ExportData *d = g_new0 (ExportData, 1);
  d->callback = callback;
  d->user_data = user_data;
  GTask *task = g_task_new (self, NULL, export_done, NULL);
  g_task_set_source_tag (task, amlaviz_session_export_image_async);
  g_task_set_task_data (task, d, export_data_free);
  if (self->current == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                               "Nothing to export yet: the run is still being simulated.");
      _amlaviz_session_work_started (self);
      g_object_unref (task);
      return;
    }
  d->shown = shown_ref (self->current);
  d->opt = *opt;
  d->path = g_strdup (path);
  d->title = g_strdup (opt->title);
  d->opt.title = d->title;
  if (opt->groups)
    {
      guint n = shown_trace (d->shown)->groups->len;
      d->groups = g_memdup2 (opt->groups, MAX (n, 1));
      d->opt.groups = d->groups;
    }
  _amlaviz_session_work_started (self);
  g_task_run_in_thread (task, export_thread);
  g_object_unref (task);
}

gboolean
amlaviz_session_export_image_finish (AmlavizSession *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
