/* sim/trace/trace-gzip.c — inflate a gzip-compressed trace into memory (see trace-import.h), and
 * which names are saved as gzip (deflating is trace-file-write.c's, on its output thread).
 *
 * sim_trace_read_json calls this when a file starts with the gzip magic bytes, whatever its name,
 * so every command and the window read .json.gz the same way.  zlib directly: one pass from the
 * mapped file into one buffer, sized from the trailer's ISIZE when that is believable.
 * Concatenated gzip members (as `cat a.gz b.gz` makes) are read as one stream, as gunzip does.
 */
#include "sim/trace/trace-import.h"

#include <string.h>
#include <zlib.h>

#define INFLATE_STEP (8u << 20)

gboolean
trace_is_gzip (const char *data, gsize len)
{
  return len >= 2 && (guint8) data[0] == 0x1f && (guint8) data[1] == 0x8b;
}

gboolean
sim_trace_path_is_gzip (const char *path)
{
  gsize n = path != NULL ? strlen (path) : 0;
  return n >= 3 && g_ascii_strcasecmp (path + n - 3, ".gz") == 0;
}

/* ISIZE (inflated size mod 2^32) from the trailer: a hint, never trusted. */
static gsize
size_hint (const guint8 *data, gsize len)
{
  if (len < 18)
    return 0;
  const guint8 *t = data + len - 4;
  gsize hint = (gsize) t[0] | (gsize) t[1] << 8 | (gsize) t[2] << 16 | (gsize) t[3] << 24;
  /* JSON rarely inflates beyond ~30x; a trailer claiming more is not believed */
  return MIN (hint, MIN ((guint64) len * 64, TRACE_GZIP_MAX_BYTES));
}

char *
trace_gzip_inflate (const char *data, gsize len, gsize *out_len, SimProgressFunc progress,
                    gpointer user_data, GError **error)
{
  z_stream z = { 0 };
  if (inflateInit2 (&z, 16 + MAX_WBITS) != Z_OK)
    {
      g_set_error (error, SIM_TRACE_ERROR, SIM_TRACE_ERROR_IO, "cannot start zlib: %s",
                   z.msg ? z.msg : "out of memory");
      return NULL;
    }
  gsize cap = size_hint ((const guint8 *) data, len) + 1, used = 0;
  cap = MAX (cap, (gsize) 4096);
  char *out = g_malloc (cap);
  const guint8 *in = (const guint8 *) data;
  gsize in_left = len;
  int rc = Z_OK;
  for (;;)
    {
      if (used + 1 >= cap)
        {
          if (cap >= TRACE_GZIP_MAX_BYTES)
            {
              g_set_error (error, SIM_TRACE_ERROR, SIM_TRACE_ERROR_LIMIT,
                           "inflated, the trace is larger than %llu MiB; gunzip it and open the "
                           "JSON file (plain files are mapped, not read into memory)",
                           (unsigned long long) (TRACE_GZIP_MAX_BYTES >> 20));
              goto fail;
            }
          cap = MIN (MAX (cap * 2, cap + INFLATE_STEP), (gsize) TRACE_GZIP_MAX_BYTES);
          out = g_realloc (out, cap);
        }
      /* zlib counts in uInt: feed at most 1 GiB at a time */
      z.next_in = (Bytef *) in;
      z.avail_in = (uInt) MIN (in_left, (gsize) 1 << 30);
      z.next_out = (Bytef *) out + used;
      z.avail_out = (uInt) MIN (cap - 1 - used, (gsize) INFLATE_STEP); /* progress between */
      uInt in_before = z.avail_in, out_before = z.avail_out;
      rc = inflate (&z, Z_NO_FLUSH);
      in += in_before - z.avail_in;
      in_left -= in_before - z.avail_in;
      used += out_before - z.avail_out;
      if (rc == Z_STREAM_END)
        {
          /* another member follows, or trailing zero padding (as some tools write) */
          gsize pad = 0;
          while (pad < in_left && in[pad] == 0)
            pad++;
          if (pad == in_left)
            break;
          if (!trace_is_gzip ((const char *) in, in_left) || inflateReset (&z) != Z_OK)
            {
              g_set_error (error, SIM_TRACE_ERROR, SIM_TRACE_ERROR_SYNTAX,
                           "not a valid gzip file (unexpected bytes after the compressed data, "
                           "at compressed byte %" G_GSIZE_FORMAT ")",
                           len - in_left);
              goto fail;
            }
          continue;
        }
      if (rc == Z_BUF_ERROR && in_left == 0)
        {
          g_set_error (error, SIM_TRACE_ERROR, SIM_TRACE_ERROR_SYNTAX,
                       "not a valid gzip file (it ends early: truncated? %" G_GSIZE_FORMAT
                       " bytes inflated)",
                       used);
          goto fail;
        }
      if (rc != Z_OK && rc != Z_BUF_ERROR)
        {
          g_set_error (error, SIM_TRACE_ERROR, SIM_TRACE_ERROR_SYNTAX,
                       "not a valid gzip file (%s, near compressed byte %" G_GSIZE_FORMAT
                       ", after %" G_GSIZE_FORMAT " bytes inflated)",
                       z.msg ? z.msg : "corrupt data", len - in_left, used);
          goto fail;
        }
      if (progress != NULL && !progress ((double) (len - in_left) / (double) MAX (len, 1), user_data))
        {
          g_set_error (error, SIM_TRACE_ERROR, SIM_TRACE_ERROR_CANCELLED, "opening cancelled");
          goto fail;
        }
    }
  inflateEnd (&z);
  out[used] = '\0';
  *out_len = used;
  if (progress != NULL && !progress (1.0, user_data))
    {
      g_free (out);
      g_set_error (error, SIM_TRACE_ERROR, SIM_TRACE_ERROR_CANCELLED, "opening cancelled");
      return NULL;
    }
  return out;
fail:
  inflateEnd (&z);
  g_free (out);
  return NULL;
}
