/* src/app/amlaviz-trace-file.c — plain or gzip trace files (see the header). */
#include "src/app/amlaviz-trace-file.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>

#define INFLATE_CHUNK (1 << 20)

gboolean
amlaviz_trace_file_is_gzip (const char *path)
{
  FILE *f = g_fopen (path, "rb");
  if (f == NULL)
    return FALSE;
  guint8 magic[2] = { 0, 0 };
  gboolean gz = fread (magic, 1, 2, f) == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
  fclose (f);
  return gz;
}

typedef struct
{
  SimProgressFunc progress;
  gpointer user_data;
} Half;

/* The parse is the second half of a gzip open's progress. */
static gboolean
second_half (double fraction, gpointer data)
{
  const Half *h = data;
  return h->progress (0.5 + 0.5 * fraction, h->user_data);
}

/* The gzip trailer's ISIZE (size mod 2^32): a hint for the buffer, never trusted. */
static guint32
gzip_size_hint (GFileInputStream *in, goffset size)
{
  guint8 t[4];
  if (size < 18 || !g_seekable_seek (G_SEEKABLE (in), size - 4, G_SEEK_SET, NULL, NULL))
    return 0;
  gsize n = 0;
  gboolean ok = g_input_stream_read_all (G_INPUT_STREAM (in), t, 4, &n, NULL, NULL) && n == 4;
  if (!g_seekable_seek (G_SEEKABLE (in), 0, G_SEEK_SET, NULL, NULL) || !ok)
    return 0;
  return (guint32) t[0] | (guint32) t[1] << 8 | (guint32) t[2] << 16 | (guint32) t[3] << 24;
}

/* Inflate the whole file into memory; NULL with an error naming the offset on bad data. */
static GBytes *
inflate_file (const char *path, SimProgressFunc progress, gpointer user_data, GError **error)
{
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (GError) err = NULL;
  g_autoptr (GFileInputStream) in = g_file_read (file, NULL, &err);
  g_autoptr (GFileInfo) info
      = in ? g_file_input_stream_query_info (in, G_FILE_ATTRIBUTE_STANDARD_SIZE, NULL, &err) : NULL;
  if (info == NULL)
    {
      g_set_error (error, SIM_TRACE_ERROR, SIM_TRACE_ERROR_IO, "%s", err->message);
      return NULL;
    }
  goffset size = g_file_info_get_size (info);
  guint32 hint = gzip_size_hint (in, size);
  g_autoptr (GZlibDecompressor) z = g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP);
  g_autoptr (GInputStream) zin = g_converter_input_stream_new (G_INPUT_STREAM (in),
                                                               G_CONVERTER (z));
  /* JSON rarely inflates beyond ~30x; a trailer claiming more is not believed */
  guint64 reserve = MIN ((guint64) hint, MIN ((guint64) size * 64, AMLAVIZ_GZIP_MAX_BYTES));
  GByteArray *buf = g_byte_array_sized_new ((guint) reserve + 1);
  for (;;)
    {
      guint old = buf->len;
      if ((guint64) old + INFLATE_CHUNK > AMLAVIZ_GZIP_MAX_BYTES)
        {
          g_set_error (error, SIM_TRACE_ERROR, SIM_TRACE_ERROR_LIMIT,
                       "inflated, the trace is larger than %llu MiB; gunzip it and open the "
                       "JSON file (plain files are mapped, not read into memory)",
                       (unsigned long long) (AMLAVIZ_GZIP_MAX_BYTES >> 20));
          break;
        }
      g_byte_array_set_size (buf, old + INFLATE_CHUNK);
      gssize n = g_input_stream_read (zin, buf->data + old, INFLATE_CHUNK, NULL, &err);
      if (n < 0)
        {
          goffset at = g_seekable_tell (G_SEEKABLE (in));
          g_set_error (error, SIM_TRACE_ERROR, SIM_TRACE_ERROR_SYNTAX,
                       "not a valid gzip file (%s, near compressed byte %" G_GOFFSET_FORMAT
                       ", after %u bytes inflated)",
                       err->message, at, old);
          break;
        }
      g_byte_array_set_size (buf, old + (guint) n);
      if (n == 0)
        return g_byte_array_free_to_bytes (buf);
      double fraction = size > 0 ? (double) g_seekable_tell (G_SEEKABLE (in)) / (double) size : 0;
      if (progress && !progress (0.5 * MIN (fraction, 1.0), user_data))
        {
          g_set_error (error, SIM_TRACE_ERROR, SIM_TRACE_ERROR_CANCELLED, "opening cancelled");
          break;
        }
    }
  g_byte_array_unref (buf);
  return NULL;
}

SimTrace *
amlaviz_trace_file_read (const char *path, SimProgressFunc progress, gpointer user_data,
                         GError **error)
{
  if (!amlaviz_trace_file_is_gzip (path))
    return sim_trace_read_json (path, progress, user_data, error);
  GError *err = NULL;
  SimTrace *trace = NULL;
  g_autoptr (GBytes) data = inflate_file (path, progress, user_data, &err);
  if (data)
    {
      Half half = { progress, user_data };
      gsize len = 0;
      const char *text = g_bytes_get_data (data, &len);
      trace = sim_trace_parse_json (text ? text : "", len, progress ? second_half : NULL, &half,
                                    &err);
    }
  if (trace == NULL)
    {
      g_prefix_error (&err, "%s: ", path);
      g_propagate_error (error, err);
      return NULL;
    }
  g_free (trace->source);
  trace->source = g_strdup (path);
  return trace;
}
