/* sim/input.c — see input.h. */
#include "sim/input.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* plain spaces (g_format_size puts a no-break space between number and unit) */
char *
sim_format_size (guint64 bytes)
{
  static const char *const units[] = { "bytes", "KiB", "MiB", "GiB", "TiB" };
  double v = (double) bytes;
  int u = 0;
  while (v >= 1024 && u < 4)
    {
      v /= 1024;
      u++;
    }
  return u == 0 ? g_strdup_printf ("%" G_GUINT64_FORMAT " bytes", bytes)
                : g_strdup_printf ("%.1f %s", v, units[u]);
}

/* Open path without blocking (a FIFO with no writer would otherwise wait forever) and make sure
 * it is a regular file.  The fd (>= 0) and its stat, or -1 with the error. */
static int
open_regular (const char *path, const char *what, struct stat *st, GError **error)
{
  int fd = g_open (path, O_RDONLY | O_NONBLOCK | O_CLOEXEC, 0);
  if (fd < 0)
    {
      int e = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (e), "cannot open %s '%s': %s",
                   what, path, g_strerror (e));
      return -1;
    }
  if (fstat (fd, st) != 0)
    {
      int e = errno;
      close (fd);
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (e), "cannot read %s '%s': %s",
                   what, path, g_strerror (e));
      return -1;
    }
  if (S_ISDIR (st->st_mode) || !S_ISREG (st->st_mode))
    {
      close (fd);
      g_set_error (error, G_FILE_ERROR, S_ISDIR (st->st_mode) ? G_FILE_ERROR_ISDIR
                                                              : G_FILE_ERROR_INVAL,
                   "%s '%s' is %s, not a file", what, path,
                   S_ISDIR (st->st_mode) ? "a directory" : "a FIFO, socket or device");
      return -1;
    }
  return fd;
}

gboolean
sim_check_input_file (const char *path, const char *what, GError **error)
{
  struct stat st;
  int fd = open_regular (path, what, &st, error);
  if (fd < 0)
    return FALSE;
  close (fd);
  return TRUE;
}

gboolean
sim_read_input_file (const char *path, guint64 max_bytes, const char *what, char **contents,
                     gsize *length, GError **error)
{
  *contents = NULL;
  *length = 0;
  struct stat st;
  int fd = open_regular (path, what, &st, error);
  if (fd < 0)
    return FALSE;
  if ((guint64) st.st_size > max_bytes)
    {
      close (fd);
      g_autofree char *size = sim_format_size ((guint64) st.st_size);
      g_autofree char *limit = sim_format_size (max_bytes);
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED,
                   "%s '%s' is %s (%" G_GUINT64_FORMAT " bytes), over its limit of %s (%"
                   G_GUINT64_FORMAT " bytes)",
                   what, path, size, (guint64) st.st_size, limit, max_bytes);
      return FALSE;
    }
  gsize cap = (gsize) st.st_size;
  char *buf = g_malloc (cap + 1);
  gsize got = 0;
  for (;;)
    {
      /* read one byte past the size seen, to notice a file that grew beyond the limit */
      gsize room = cap + 1 - got;
      if (room == 0)
        {
          if (got >= max_bytes)
            {
              g_free (buf);
              close (fd);
              g_autofree char *limit = sim_format_size (max_bytes);
              g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED,
                           "%s '%s' grew past %s while being read", what, path, limit);
              return FALSE;
            }
          cap = MIN (cap * 2 + 4096, (gsize) max_bytes);
          buf = g_realloc (buf, cap + 1);
          room = cap + 1 - got;
        }
      gssize r = read (fd, buf + got, room);
      if (r < 0 && errno == EINTR)
        continue;
      if (r < 0)
        {
          int e = errno;
          g_free (buf);
          close (fd);
          g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (e), "cannot read %s '%s': %s",
                       what, path, g_strerror (e));
          return FALSE;
        }
      if (r == 0)
        break;
      got += (gsize) r;
    }
  close (fd);
  buf = g_realloc (buf, got + 1);
  buf[got] = '\0';
  *contents = buf;
  *length = got;
  return TRUE;
}
