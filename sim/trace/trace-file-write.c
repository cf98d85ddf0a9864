/* sim/trace/trace-file-write.c — a trace file written atomically, formatting and writing overlapped
 * (see trace-file-write.h). */
#include "sim/trace/trace-file-write.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <zlib.h>

#include "sim/output.h"

#define N_CHUNKS 3
/* zlib level for .gz saves, measured on the default run's 66.2 MB trace (zlib 1.2.13, CPU time
 * of one core, best of 7): level 1 406 MB/s for 14.3x smaller, 2 394 MB/s 14.8x, 3 369 MB/s
 * 15.0x, 4 239 MB/s 17.3x, 6 (gzip's default) 162 MB/s 18.7x.  Deflating is the slowest stage of
 * a .gz save (formatting runs at 1-2 GB/s), so the save takes as long as it: the fastest level,
 * as the rest buy 3-23 % smaller files for 3-150 % more time.  See docs/traces.md. */
#define GZIP_LEVEL 1
#define GZIP_OUT_BYTES (256u << 10)

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
  off_t offset;              /* bytes written to fd so far */
  z_stream *gz;              /* a .gz name: deflated on the way to fd; NULL: plain */
  guint8 *gz_out;            /* GZIP_OUT_BYTES of deflate output */
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

/* Bytes on their way to the file: to fd as they are (plain) or through deflate (a .gz name;
 * finish ends the gzip member).  Each part written is also sent on to the disk at once when the
 * file will be fsync'ed (sync_file_range starts writeback without waiting), so the fsync that
 * makes the replacement atomic finds little left to do instead of the whole file. */
static gboolean
output_bytes (TraceOutput *w, const char *p, gsize len, gboolean finish, GError **error)
{
  if (w->gz == NULL)
    {
      if (!write_all_bytes (w->fd, p, len, error))
        return FALSE;
#ifdef SYNC_FILE_RANGE_WRITE
      if (w->durable && len > 0)
        sync_file_range (w->fd, w->offset, (off_t) len, SYNC_FILE_RANGE_WRITE);
#endif
      w->offset += (off_t) len;
      return TRUE;
    }
  /* zlib counts in uInt: a chunk is about a MiB, but feed at most 1 GiB at a time anyway */
  for (; len > (1u << 30); p += 1u << 30, len -= 1u << 30)
    if (!output_bytes (w, p, 1u << 30, FALSE, error))
      return FALSE;
  z_stream *z = w->gz;
  z->next_in = (Bytef *) p;
  z->avail_in = (uInt) len;
  for (;;)
    {
      z->next_out = w->gz_out;
      z->avail_out = GZIP_OUT_BYTES;
      int rc = deflate (z, finish ? Z_FINISH : Z_NO_FLUSH);
      if (rc == Z_STREAM_ERROR)
        {
          g_set_error (error, SIM_TRACE_ERROR, SIM_TRACE_ERROR_IO, "cannot compress: %s",
                       z->msg ? z->msg : "zlib stream error");
          return FALSE;
        }
      gsize n = GZIP_OUT_BYTES - z->avail_out;
      if (n > 0 && !write_all_bytes (w->fd, (const char *) w->gz_out, n, error))
        return FALSE;
#ifdef SYNC_FILE_RANGE_WRITE
      if (w->durable && n > 0)
        sync_file_range (w->fd, w->offset, (off_t) n, SYNC_FILE_RANGE_WRITE);
#endif
      w->offset += (off_t) n;
      if (finish ? rc == Z_STREAM_END : z->avail_in == 0 && z->avail_out > 0)
        return TRUE;
    }
}

/* The output thread: writes chunks in order (deflating them for a .gz name), hands each back;
 * after an error it only hands them back (the main thread sees w->error once it has joined). */
static gpointer
output_thread (gpointer data)
{
  TraceOutput *w = data;
  GError *error = NULL;
  for (;;)
    {
      Chunk *c = g_async_queue_pop (w->full);
      if (c->len == G_MAXSIZE)
        {
          g_free (c->data);
          g_free (c);
          break;
        }
      if (error == NULL)
        output_bytes (w, c->data, c->len, FALSE, &error);
      c->len = 0;
      g_async_queue_push (w->empty, c);
    }
  if (error == NULL && w->gz != NULL)
    output_bytes (w, NULL, 0, TRUE, &error);
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
  if (sim_trace_path_is_gzip (path))
    {
      out->gz = g_new0 (z_stream, 1);
      /* windowBits 16 + 15: a gzip header and trailer (RFC 1952) around the deflate stream */
      if (deflateInit2 (out->gz, GZIP_LEVEL, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY)
          != Z_OK)
        {
          g_set_error (error, SIM_TRACE_ERROR, SIM_TRACE_ERROR_IO, "%s: cannot start zlib: %s",
                       path, out->gz->msg ? out->gz->msg : "out of memory");
          sim_output_commit_temp (fd, tmp, path, FALSE, NULL);
          g_free (out->gz);
          g_free (out->path);
          g_free (out);
          return NULL;
        }
      out->gz_out = g_malloc (GZIP_OUT_BYTES);
    }
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
        output_bytes (out, *buf, *len, FALSE, &out->error);
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
  else if (err == NULL && out->gz != NULL)
    output_bytes (out, NULL, 0, TRUE, &err);
  if (out->gz != NULL)
    {
      deflateEnd (out->gz);
      g_free (out->gz);
      g_free (out->gz_out);
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
