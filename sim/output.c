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

/* Where a save to path lands.  A symlink is followed to the file it names (which may not exist
 * yet), so the link stays a link and the temp file goes beside the real file; returns that path.
 * *in_place is set when the target exists and is not a regular file (a FIFO, a terminal, a
 * character device such as /dev/null): renaming a temp file over it would replace the node, so it
 * is written where it is.  NULL with an error for a directory or a symlink loop. */
static char *
save_target (const char *path, gboolean *in_place, GError **error)
{
  *in_place = FALSE;
  GStatBuf st;
  if (g_stat (path, &st) == 0)
    {
      if (S_ISDIR (st.st_mode))
        {
          set_errno_error (error, EISDIR, "cannot write", path);
          return NULL;
        }
      if (!S_ISREG (st.st_mode))
        {
          *in_place = TRUE;
          return g_strdup (path);
        }
    }
  /* a regular file or none: follow the links by hand, as realpath() cannot for a link to a file
   * not there yet; relative links are relative to their own directory */
  char *target = g_strdup (path);
  for (int hops = 0; g_file_test (target, G_FILE_TEST_IS_SYMLINK); hops++)
    {
      char *link = hops < 40 ? g_file_read_link (target, NULL) : NULL;
      if (link == NULL)
        {
          g_free (target);
          set_errno_error (error, ELOOP, "cannot write", path);
          return NULL;
        }
      if (!g_path_is_absolute (link))
        {
          g_autofree char *dir = g_path_get_dirname (target);
          char *joined = g_build_filename (dir, link, NULL);
          g_free (link);
          link = joined;
        }
      g_free (target);
      target = link;
    }
  return target;
}

const char *
sim_output_unwritable_reason (const char *path)
{
  gboolean in_place;
  g_autoptr (GError) err = NULL;
  g_autofree char *target = save_target (path, &in_place, &err);
  if (target == NULL)
    return g_error_matches (err, G_FILE_ERROR, G_FILE_ERROR_ISDIR) ? "it is a directory"
                                                                   : "it is a symlink loop";
  if (in_place)
    return g_access (target, W_OK) == 0 ? NULL : "it is not writable";
  g_autofree char *dir = g_path_get_dirname (target);
  if (!g_file_test (dir, G_FILE_TEST_IS_DIR))
    return "its directory does not exist";
  if (g_access (dir, W_OK) != 0)
    return "its directory is not writable";
  return NULL;
}

/* Temp file next to the target (so rename is atomic).  open() applies the umask to the mode
 * asked for, so it is never read with umask(), which would race with other threads' files.  A
 * target that is not a regular file is opened as it is instead, and *tmp_path set to NULL. */
int
sim_output_open_temp (const char *path, int mode, char **tmp_path, GError **error)
{
  gboolean in_place;
  g_autofree char *target = save_target (path, &in_place, error);
  *tmp_path = NULL;
  if (target == NULL)
    return -1;
  if (in_place)
    {
      int fd = open (target, O_WRONLY | O_CLOEXEC | O_NOCTTY);
      if (fd < 0)
        set_errno_error (error, errno, "cannot write", path);
      return fd;
    }
  g_autofree char *dir = g_path_get_dirname (target);
  g_autofree char *base = g_path_get_basename (target);
  g_autofree char *templ = g_strdup_printf ("%s/.%s.XXXXXX", dir, base);
  struct stat st;
  gboolean keep_mode = mode < 0 && stat (target, &st) == 0;
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
  GStatBuf st; /* through symlinks: the data is the linked file's */
  return g_stat (path, &st) == 0 && S_ISREG (st.st_mode) && st.st_size > 0;
}

gboolean
sim_output_commit_temp (int fd, char *tmp_path, const char *path, gboolean ok, GError **error)
{
  if (tmp_path == NULL) /* written in place: nothing to make durable or to rename */
    {
      if (close (fd) != 0 && ok)
        {
          set_errno_error (error, errno, "cannot write", path);
          ok = FALSE;
        }
      return ok;
    }
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
  /* over the file the temp file was made beside (the one path links to, if it is a link) */
  gboolean in_place;
  g_autofree char *target = ok ? save_target (path, &in_place, error) : NULL;
  if (ok && (target == NULL || in_place))
    {
      if (target != NULL) /* path became a device or FIFO since: not ours to replace */
        set_errno_error (error, EEXIST, "cannot replace", path);
      ok = FALSE;
    }
  sigset_t old;
  block_fatal_signals (&old);
  if (ok && g_rename (tmp_path, target) != 0)
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
