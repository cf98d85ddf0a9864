/* sim/trace/trace-file-write.c — a trace file written atomically, formatting and writing overlapped
 * (see trace-file-write.h). */
#include "sim/trace/trace-file-write.h"

#include <string.h>
#include <pthread.h>
#include <signal.h>
#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <sys/stat.h>
#include <unistd.h>

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
 * on to the disk at once (sync_file_range starts writeback without waiting), so the fsync that
 * makes the save atomic finds little left to do instead of the whole file. */
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

/* Temp files being written, so a SIGINT/SIGTERM can remove them (sim_remove_temp_files_on_signal):
 * a fixed table of paths, filled before a slot is marked used, read by the handler with unlink()
 * only (async-signal-safe). */
#define TEMP_SLOTS 8
static char temp_paths[TEMP_SLOTS][4096];
static volatile sig_atomic_t temp_used[TEMP_SLOTS];
G_LOCK_DEFINE_STATIC (temp_lock);

static void
temp_register (const char *tmp_path)
{
  if (strlen (tmp_path) >= sizeof temp_paths[0])
    return;
  G_LOCK (temp_lock);
  for (int i = 0; i < TEMP_SLOTS; i++)
    if (!temp_used[i])
      {
        strcpy (temp_paths[i], tmp_path);
        temp_used[i] = 1;
        break;
      }
  G_UNLOCK (temp_lock);
}

static void
temp_unregister (const char *tmp_path)
{
  G_LOCK (temp_lock);
  for (int i = 0; i < TEMP_SLOTS; i++)
    if (temp_used[i] && strcmp (temp_paths[i], tmp_path) == 0)
      temp_used[i] = 0;
  G_UNLOCK (temp_lock);
}

/* The temp file exists from mkstemp on, but the handler knows it only once registered: hold the
 * signals off in between (and around rename + unregister) so none lands in the gap. */
static void
block_fatal_signals (sigset_t *old)
{
  sigset_t set;
  sigemptyset (&set);
  sigaddset (&set, SIGINT);
  sigaddset (&set, SIGTERM);
  sigaddset (&set, SIGHUP);
  pthread_sigmask (SIG_BLOCK, &set, old);
}

static void
on_fatal_signal (int sig)
{
  for (int i = 0; i < TEMP_SLOTS; i++)
    if (temp_used[i])
      unlink (temp_paths[i]);
  signal (sig, SIG_DFL);
  raise (sig);
}

void
sim_remove_temp_files_on_signal (void)
{
  static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
  for (gsize i = 0; i < G_N_ELEMENTS (sigs); i++)
    {
      struct sigaction sa;
      memset (&sa, 0, sizeof sa);
      sa.sa_handler = on_fatal_signal;
      sigemptyset (&sa.sa_mask);
      /* a handler installed by the command itself (sweep's Ctrl-C) stays */
      struct sigaction old;
      if (sigaction (sigs[i], NULL, &old) == 0 && old.sa_handler == SIG_DFL)
        sigaction (sigs[i], &sa, NULL);
    }
}

/* Temp file next to the target (so rename is atomic), mode of the old file or 0666 & ~umask. */
static int
open_temp (const char *path, char **tmp_path, GError **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *templ = g_strdup_printf ("%s/.%s.XXXXXX", dir, base);
  sigset_t old;
  block_fatal_signals (&old);
  int fd = g_mkstemp_full (templ, O_RDWR | O_CLOEXEC, 0600);
  if (fd >= 0)
    temp_register (templ);
  pthread_sigmask (SIG_SETMASK, &old, NULL);
  if (fd < 0)
    {
      int e = errno;
      g_set_error (error, SIM_TRACE_ERROR, SIM_TRACE_ERROR_IO, "cannot create a file in %s: %s",
                   dir, g_strerror (e));
      return -1;
    }
  struct stat st;
  mode_t mode;
  if (stat (path, &st) == 0)
    mode = st.st_mode & 07777;
  else
    {
      mode_t mask = umask (0);
      umask (mask);
      mode = 0666 & ~mask;
    }
  if (fchmod (fd, mode) != 0)
    { /* not fatal: the file is still written */
    }
  *tmp_path = g_steal_pointer (&templ);
  return fd;
}

static gboolean
finish_temp (int fd, char *tmp_path, const char *path, gboolean ok, GError **error)
{
  if (ok && fsync (fd) != 0)
    {
      int e = errno;
      g_set_error (error, SIM_TRACE_ERROR, SIM_TRACE_ERROR_IO, "cannot write %s: %s", path,
                   g_strerror (e));
      ok = FALSE;
    }
  if (close (fd) != 0 && ok)
    {
      int e = errno;
      g_set_error (error, SIM_TRACE_ERROR, SIM_TRACE_ERROR_IO, "cannot write %s: %s", path,
                   g_strerror (e));
      ok = FALSE;
    }
  sigset_t old;
  block_fatal_signals (&old);
  if (ok && g_rename (tmp_path, path) != 0)
    {
      int e = errno;
      g_set_error (error, SIM_TRACE_ERROR, SIM_TRACE_ERROR_IO, "cannot replace %s: %s", path,
                   g_strerror (e));
      ok = FALSE;
    }
  if (!ok)
    g_unlink (tmp_path);
  temp_unregister (tmp_path);
  pthread_sigmask (SIG_SETMASK, &old, NULL);
  g_free (tmp_path);
  return ok;
}

gboolean
sim_write_file_atomic (const char *path, const char *data, gsize len, GError **error)
{
  char *tmp = NULL;
  int fd = open_temp (path, &tmp, error);
  if (fd < 0)
    return FALSE;
  gboolean ok = TRUE;
  while (len > 0)
    {
      ssize_t n = write (fd, data, len);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int e = errno;
          g_set_error (error, SIM_TRACE_ERROR, SIM_TRACE_ERROR_IO, "cannot write %s: %s", path,
                       g_strerror (e));
          ok = FALSE;
          break;
        }
      data += n;
      len -= (gsize) n;
    }
  return finish_temp (fd, tmp, path, ok, error);
}


TraceOutput *
trace_output_open (const char *path, GError **error)
{
  char *tmp = NULL;
  int fd = open_temp (path, &tmp, error);
  if (fd < 0)
    return NULL;
  TraceOutput *out = g_new0 (TraceOutput, 1);
  out->path = g_strdup (path);
  out->tmp_path = tmp;
  out->fd = fd;
  out->full = g_async_queue_new ();
  out->empty = g_async_queue_new ();
  for (int i = 0; i < N_CHUNKS - 1; i++)
    {
      Chunk *c = g_new (Chunk, 1);
      gsize cap = TRACE_OUTPUT_CHUNK_BYTES + (1u << 20);
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
  ok = finish_temp (out->fd, out->tmp_path, out->path, ok, error); /* frees tmp_path */
  g_free (out->path);
  g_free (out);
  return ok;
}
