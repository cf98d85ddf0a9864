/* sim/output.c — atomic file writes with temp-file cleanup on fatal signals, and the image format
 * a file name asks for (see output.h). */
#include "sim/output.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

/* errno as a GError of G_FILE_ERROR, with a message naming what failed. */
static void
set_errno_error (GError **error, int e, const char *what, const char *path)
{
  g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (e), "%s %s: %s", what, path,
               g_strerror (e));
}

/* Temp file next to the target (so rename is atomic).  open() applies the umask to the mode
 * asked for, so it is never read with umask(), which would race with other threads' files. */
int
sim_output_open_temp (const char *path, int mode, char **tmp_path, GError **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *templ = g_strdup_printf ("%s/.%s.XXXXXX", dir, base);
  struct stat st;
  gboolean keep_mode = mode < 0 && stat (path, &st) == 0;
  sigset_t old;
  block_fatal_signals (&old);
  int fd = g_mkstemp_full (templ, O_RDWR | O_CLOEXEC, mode < 0 ? 0666 : mode);
  if (fd >= 0)
    temp_register (templ);
  pthread_sigmask (SIG_SETMASK, &old, NULL);
  if (fd < 0)
    {
      set_errno_error (error, errno, "cannot create a file in", dir);
      return -1;
    }
  if (keep_mode && fchmod (fd, st.st_mode & 07777) != 0)
    { /* not fatal: the file is still written */
    }
  *tmp_path = g_steal_pointer (&templ);
  return fd;
}

gboolean
sim_output_replaces_data (const char *path)
{
  GStatBuf st;
  return g_lstat (path, &st) == 0 && st.st_size > 0;
}

gboolean
sim_output_commit_temp (int fd, char *tmp_path, const char *path, gboolean ok, GError **error)
{
  if (ok && sim_output_replaces_data (path) && fsync (fd) != 0)
    {
      set_errno_error (error, errno, "cannot write", path);
      ok = FALSE;
    }
  if (close (fd) != 0 && ok)
    {
      set_errno_error (error, errno, "cannot write", path);
      ok = FALSE;
    }
  sigset_t old;
  block_fatal_signals (&old);
  if (ok && g_rename (tmp_path, path) != 0)
    {
      set_errno_error (error, errno, "cannot replace", path);
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
sim_write_file_atomic_full (const char *path, const char *data, gsize len, int mode, GError **error)
{
  char *tmp = NULL;
  int fd = sim_output_open_temp (path, mode, &tmp, error);
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
          set_errno_error (error, errno, "cannot write", path);
          ok = FALSE;
          break;
        }
      data += n;
      len -= (gsize) n;
    }
  return sim_output_commit_temp (fd, tmp, path, ok, error);
}

gboolean
sim_write_file_atomic (const char *path, const char *data, gsize len, GError **error)
{
  return sim_write_file_atomic_full (path, data, len, -1, error);
}

static const char *const image_extensions[] = {
  [SIM_IMAGE_FORMAT_PNG] = ".png",
  [SIM_IMAGE_FORMAT_SVG] = ".svg",
  [SIM_IMAGE_FORMAT_PDF] = ".pdf",
};

SimImageFormat
sim_image_format_from_path (const char *path)
{
  const char *dot = path != NULL ? strrchr (path, '.') : NULL;
  if (dot != NULL)
    for (int f = SIM_IMAGE_FORMAT_PNG; f <= SIM_IMAGE_FORMAT_PDF; f++)
      if (g_ascii_strcasecmp (dot, image_extensions[f]) == 0)
        return (SimImageFormat) f;
  return SIM_IMAGE_FORMAT_UNKNOWN;
}

const char *
sim_image_format_extension (SimImageFormat format)
{
  return format >= SIM_IMAGE_FORMAT_PNG && format <= SIM_IMAGE_FORMAT_PDF ? image_extensions[format]
                                                                          : NULL;
}
