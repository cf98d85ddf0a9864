/* sim/trace/trace-file-write.c — a trace file written atomically, formatting and writing overlapped
 * (see trace-file-write.h). */
#include "sim/trace/trace-file-write.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "sim/output.h"

#define N_CHUNKS 3

typedef struct
{
  char *data;
  gsize len, cap; /* len G_MAXSIZE: stop */
} Chunk;

struct TraceOutput
{
  char *path, *tmp_path;
  int fd;
  GThread *thread;           /* NULL if it could not start: write in the caller's thread */
  GAsyncQueue *full, *empty; /* Chunk* */
  GError *error;             /* the caller's first write error (threadless) */
  gboolean durable;          /* it replaces data: fsync'ed at the end, so write back as we go */
};

/* write(2) all of it; errno-style message on failure. */
static gboolean
write_all_bytes (int fd, const char *p, gsize left, GError **error)
{
  while (left > 0)
    {
      ssize_t n = write (fd, p, left);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int e = errno;
          g_set_error (error, SIM_TRACE_ERROR, SIM_TRACE_ERROR_IO, "cannot write: %s",
                       g_strerror (e));
          return FALSE;
        }
      p += n;
      left -= (gsize) n;
    }
  return TRUE;
}

/* The output thread: writes chunks in order, hands each back; after an error it only hands
 * them back (the main thread sees w->error once it has joined).  Each chunk written is also sent
 * on to the disk at once when the file will be fsync'ed (sync_file_range starts writeback without
 * waiting), so the fsync that makes the replacement atomic finds little left to do instead of the
 * whole file. */
static gpointer
output_thread (gpointer data)
{
  TraceOutput *w = data;
  GError *error = NULL;
  off_t offset = 0;
  for (;;)
    {
      Chunk *c = g_async_queue_pop (w->full);
      if (c->len == G_MAXSIZE)
        {
          g_free (c->data);
          g_free (c);
          break;
        }
      if (error == NULL && write_all_bytes (w->fd, c->data, c->len, &error))
        {
#ifdef SYNC_FILE_RANGE_WRITE
          if (w->durable)
            sync_file_range (w->fd, offset, (off_t) c->len, SYNC_FILE_RANGE_WRITE);
#endif
          offset += (off_t) c->len;
        }
      c->len = 0;
      g_async_queue_push (w->empty, c);
    }
  return error;
}

static void
queue_free_chunks (GAsyncQueue *q)
{
  Chunk *c;
  while ((c = g_async_queue_try_pop (q)) != NULL)
    {
      g_free (c->data);
      g_free (c);
    }
  g_async_queue_unref (q);
}

/* The trace writer's errors stay in its own domain (SIM_TRACE_ERROR_IO), whatever sim/output.c
 * uses for the same failures. */
static void
propagate_as_trace_error (GError **error, GError *file_error)
{
  file_error->domain = SIM_TRACE_ERROR;
  file_error->code = SIM_TRACE_ERROR_IO;
  g_propagate_error (error, file_error);
}

TraceOutput *
trace_output_open (const char *path, GError **error)
{
  char *tmp = NULL;
  GError *file_error = NULL;
  int fd = sim_output_open_temp (path, -1, &tmp, &file_error);
  if (fd < 0)
    {
      propagate_as_trace_error (error, file_error);
      return NULL;
    }
  TraceOutput *out = g_new0 (TraceOutput, 1);
  out->path = g_strdup (path);
  out->tmp_path = tmp;
  out->fd = fd;
  out->durable = sim_output_replaces_data (path);
  out->full = g_async_queue_new ();
  out->empty = g_async_queue_new ();
  for (int i = 0; i < N_CHUNKS - 1; i++)
    {
      Chunk *c = g_new (Chunk, 1);
      gsize cap = TRACE_OUTPUT_CHUNK_BYTES + (256u << 10);
      *c = (Chunk){ g_malloc (cap), 0, cap };
      g_async_queue_push (out->empty, c);
    }
  out->thread = g_thread_try_new ("trace-write", output_thread, out, NULL);
  return out;
}

void
trace_output_push (TraceOutput *out, char **buf, gsize *len, gsize *cap)
{
  if (out->thread == NULL)
    {
      if (out->error == NULL)
        write_all_bytes (out->fd, *buf, *len, &out->error);
      *len = 0;
      return;
    }
  Chunk *c = g_new (Chunk, 1);
  *c = (Chunk){ *buf, *len, *cap };
  g_async_queue_push (out->full, c);
  Chunk *next = g_async_queue_pop (out->empty);
  *buf = next->data;
  *cap = next->cap;
  *len = 0;
  g_free (next);
}

gboolean
trace_output_close (TraceOutput *out, char *buf, GError **error)
{
  GError *err = out->error;
  if (out->thread != NULL)
    {
      Chunk *stop = g_new (Chunk, 1);
      *stop = (Chunk){ buf, G_MAXSIZE, 0 };
      buf = NULL;
      g_async_queue_push (out->full, stop);
      GError *thread_err = g_thread_join (out->thread);
      if (err == NULL)
        err = thread_err;
      else if (thread_err != NULL)
        g_error_free (thread_err);
    }
  g_free (buf);
  queue_free_chunks (out->full);
  queue_free_chunks (out->empty);
  gboolean ok = err == NULL;
  if (!ok)
    {
      g_prefix_error (&err, "%s: ", out->path);
      g_propagate_error (error, err);
    }
  GError *file_error = NULL;
  if (!sim_output_commit_temp (out->fd, out->tmp_path, out->path, ok, &file_error)) /* frees tmp */
    {
      if (file_error != NULL)
        propagate_as_trace_error (error, file_error);
      ok = FALSE;
    }
  g_free (out->path);
  g_free (out);
  return ok;
}
