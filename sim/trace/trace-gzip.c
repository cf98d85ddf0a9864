/* sim/trace/trace-gzip.c — inflate a gzip-compressed trace into memory (see trace-import.h), and
 * which names are saved as gzip (deflating is trace-file-write.c's, on its output thread).
 *
 * sim_trace_read_json calls this when a file starts with the gzip magic bytes, whatever its name,
 * so every command and the window read .json.gz the same way.  zlib directly: one pass from the
 * mapped file into one buffer, sized from the trailer's ISIZE when that is believable.
 * Concatenated gzip members (as `cat a.gz b.gz` makes) are read as one stream, as gunzip does.
 *
 * A gzip bomb (3 MB of spaces that inflate to 3 GiB) is refused before it costs memory: the
 * text may take at most TRACE_GZIP_MAX_BYTES or the memory limit (sim/memory-limit.h), whichever
 * is less, and a trailer that proves the file is over it refuses it before anything is inflated.
 */
#include "sim/input.h"
#include "sim/memory-limit.h"
#include "sim/trace/trace-import.h"

#include <string.h>
#include <zlib.h>

#define INFLATE_STEP (8u << 20)
/* Deflate's densest code (258-byte matches at about 2 bits each) inflates at most 1032x. */
#define DEFLATE_MAX_RATIO 1032u

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

/* ISIZE, the last 4 bytes: in an intact file, the last member's inflated size mod 2^32. */
static guint64
trailer_isize (const guint8 *data, gsize len)
{
  if (len < 18)
    return 0;
  const guint8 *t = data + len - 4;
  return (guint64) t[0] | (guint64) t[1] << 8 | (guint64) t[2] << 16 | (guint64) t[3] << 24;
}

/* The first buffer's size: a hint, never trusted. */
static gsize
size_hint (const guint8 *data, gsize len, guint64 limit)
{
  /* JSON rarely inflates beyond ~30x; a trailer claiming more is not believed */
  return MIN (trailer_isize (data, len), MIN ((guint64) len * 64, limit));
}

/* What the trailer can prove.  The whole stream inflates to at least ISIZE bytes (the last
 * member alone is ISIZE + k * 4 GiB), so an ISIZE over the limit refuses the file before any
 * byte is inflated.  An ISIZE under it proves nothing (4 GiB more, or members before the last):
 * inflating stops at the limit instead.  A damaged or truncated file's last 4 bytes are no
 * trailer; a claim no deflate stream of this length can make is ignored, so such a file still
 * gets zlib's message — one that happens to be plausible gets this one. */
static gboolean
trailer_over_limit (const guint8 *data, gsize len, guint64 limit, const char *limit_what,
                    GError **error)
{
  guint64 isize = trailer_isize (data, len);
  if (isize <= limit || isize / DEFLATE_MAX_RATIO > len)
    return FALSE;
  g_autofree char *isize_s = sim_format_size (isize), *limit_s = sim_format_size (limit);
  g_set_error (error, SIM_TRACE_ERROR, SIM_TRACE_ERROR_LIMIT,
               "its gzip trailer says it inflates to %s or more, over %s (%s); nothing was "
               "inflated: gunzip it and open the JSON file (plain files are mapped, not read into "
               "memory)",
               isize_s, limit_s, limit_what);
  return TRUE;
}

char *
trace_gzip_inflate (const char *data, gsize len, gsize *out_len, SimProgressFunc progress,
                    gpointer user_data, GError **error)
{
  /* the text is held whole, then parsed: it must fit the memory this process may take */
  guint64 limit = TRACE_GZIP_MAX_BYTES, memory = sim_default_memory_limit (), from_env = 0;
  const char *limit_what = "the most a gzip trace may inflate to";
  if (memory < limit)
    {
      limit = memory;
      limit_what = sim_parse_size (g_getenv ("AMLAVIZ_MAX_MEMORY"), &from_env)
                       ? "the memory limit, AMLAVIZ_MAX_MEMORY"
                       : "the memory limit, half of this machine's memory";
    }
  if (trailer_over_limit ((const guint8 *) data, len, limit, limit_what, error))
    return NULL;
  z_stream z = { 0 };
  if (inflateInit2 (&z, 16 + MAX_WBITS) != Z_OK)
    {
      g_set_error (error, SIM_TRACE_ERROR, SIM_TRACE_ERROR_IO, "cannot start zlib: %s",
                   z.msg ? z.msg : "out of memory");
      return NULL;
    }
  gsize cap = size_hint ((const guint8 *) data, len, limit) + 1, used = 0;
  cap = MAX (cap, (gsize) 4096);
  char *out = g_malloc (cap);
  const guint8 *in = (const guint8 *) data;
  gsize in_left = len;
  int rc = Z_OK;
  for (;;)
    {
      if (used + 1 >= cap)
        {
          if (cap >= limit)
            {
              g_autofree char *limit_s = sim_format_size (limit);
              g_set_error (
                  error, SIM_TRACE_ERROR, SIM_TRACE_ERROR_LIMIT,
                  "inflated, the trace is larger than %s (%s; stopped after %" G_GSIZE_FORMAT
                  " bytes): gunzip it and open the JSON file (plain files are mapped, not "
                  "read into memory)",
                  limit_s, limit_what, used);
              goto fail;
            }
          cap = MIN (MAX (cap * 2, cap + INFLATE_STEP), (gsize) limit);
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
