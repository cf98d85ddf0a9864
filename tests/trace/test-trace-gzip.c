/* tests/trace/test-trace-gzip.c — a gzip bomb is refused before it costs memory
 * (sim/trace/trace-gzip.c).
 *
 * The inflated text may take at most 2 GiB or the memory limit (AMLAVIZ_MAX_MEMORY here, as the
 * window sets it), whichever is less.  A trailer whose ISIZE proves the file is over it refuses
 * the file with nothing inflated; a trailer that proves nothing (the last of several members)
 * stops inflating at the limit.  Asserted in bytes inflated, never in time. */
#include <glib.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "sim/trace/trace-json.h"

#define MiB (1024 * 1024)

/* One gzip member: `n` spaces (compresses about 1000x). */
static GBytes *
gzip_spaces (gsize n)
{
  z_stream z = { 0 };
  g_assert_cmpint (deflateInit2 (&z, 9, Z_DEFLATED, 16 + MAX_WBITS, 9, Z_DEFAULT_STRATEGY), ==,
                   Z_OK);
  g_autofree char *in = g_malloc (n);
  memset (in, ' ', n);
  gsize cap = n / 500 + 1024;
  char *out = g_malloc (cap);
  z.next_in = (Bytef *) in;
  z.avail_in = (uInt) n;
  z.next_out = (Bytef *) out;
  z.avail_out = (uInt) cap;
  g_assert_cmpint (deflate (&z, Z_FINISH), ==, Z_STREAM_END);
  gsize len = z.total_out;
  deflateEnd (&z);
  return g_bytes_new_take (out, len);
}

static char *
write_file (const char *dir, const char *name, GBytes *const *parts, int n_parts)
{
  g_autoptr (GByteArray) all = g_byte_array_new ();
  for (int i = 0; i < n_parts; i++)
    {
      gsize len = 0;
      const guint8 *p = g_bytes_get_data (parts[i], &len);
      g_byte_array_append (all, p, (guint) len);
    }
  char *path = g_build_filename (dir, name, NULL);
  g_assert_true (g_file_set_contents (path, (const char *) all->data, all->len, NULL));
  return path;
}

static gboolean
count_progress (double fraction, gpointer data)
{
  (void) fraction;
  (*(int *) data)++;
  return TRUE;
}

/* ISIZE over the limit: refused at once, nothing inflated (no progress report: each is made after
 * a piece is inflated). */
static void
test_bomb_refused_by_trailer (void)
{
  g_autofree char *dir = g_dir_make_tmp ("amla-gzip-XXXXXX", NULL);
  g_autoptr (GBytes) bomb = gzip_spaces (32 * MiB);
  g_autofree char *path = write_file (dir, "bomb.json.gz", &bomb, 1);
  g_setenv ("AMLAVIZ_MAX_MEMORY", "8M", TRUE);
  int reports = 0;
  g_autoptr (GError) err = NULL;
  SimTrace *t = sim_trace_read_json (path, count_progress, &reports, &err);
  g_unsetenv ("AMLAVIZ_MAX_MEMORY");
  g_assert_null (t);
  g_assert_error (err, SIM_TRACE_ERROR, SIM_TRACE_ERROR_LIMIT);
  g_assert_nonnull (strstr (err->message, "its gzip trailer says it inflates to 32.0 MiB or more, "
                                          "over 8.0 MiB (the memory limit, AMLAVIZ_MAX_MEMORY); "
                                          "nothing was inflated"));
  g_assert_cmpint (reports, ==, 0);
  g_unlink (path);
  g_rmdir (dir);
}

/* The trailer says only what the last member inflates to, mod 4 GiB: eight 8 MiB members and a
 * small last one inflate until the limit, and no further. */
static void
test_bomb_stopped_at_limit (void)
{
  g_autofree char *dir = g_dir_make_tmp ("amla-gzip-XXXXXX", NULL);
  g_autoptr (GBytes) member = gzip_spaces (8 * MiB), last = gzip_spaces (10);
  GBytes *parts[] = { member, member, member, member, member, member, member, member, last };
  g_autofree char *path = write_file (dir, "bomb.json.gz", parts, G_N_ELEMENTS (parts));
  g_setenv ("AMLAVIZ_MAX_MEMORY", "16M", TRUE);
  int reports = 0;
  g_autoptr (GError) err = NULL;
  SimTrace *t = sim_trace_read_json (path, count_progress, &reports, &err);
  g_unsetenv ("AMLAVIZ_MAX_MEMORY");
  g_assert_null (t);
  g_assert_error (err, SIM_TRACE_ERROR, SIM_TRACE_ERROR_LIMIT);
  g_assert_nonnull (strstr (err->message, "inflated, the trace is larger than 16.0 MiB (the memory "
                                          "limit, AMLAVIZ_MAX_MEMORY; stopped after "));
  const char *after = strstr (err->message, "stopped after ") + strlen ("stopped after ");
  guint64 inflated = g_ascii_strtoull (after, NULL, 10);
  g_assert_cmpuint (inflated, <, 16 * MiB); /* of 64 MiB */
  g_assert_cmpint (reports, >=, 1);         /* the window's progress bar moved, and could cancel */
  g_unlink (path);
  g_rmdir (dir);
}

/* A trailer over the limit is believed only when a deflate stream of the file's length could
 * inflate that far (1032x): a small damaged file keeps zlib's own message. */
static void
test_trailer_believed_when_possible (void)
{
  g_autofree char *dir = g_dir_make_tmp ("amla-gzip-XXXXXX", NULL);
  g_autoptr (GBytes) small = gzip_spaces (1000);
  gsize len = 0;
  const guint8 *p = g_bytes_get_data (small, &len);
  g_autofree guint8 *patched = g_memdup2 (p, len);
  const guint32 three_gib = 3u << 30;
  for (int i = 0; i < 4; i++)
    patched[len - 4 + i] = (guint8) (three_gib >> (8 * i));
  g_autofree char *path = g_build_filename (dir, "small.json.gz", NULL);
  g_assert_true (g_file_set_contents (path, (const char *) patched, (gssize) len, NULL));
  g_autoptr (GError) err = NULL;
  g_assert_null (sim_trace_read_json (path, NULL, NULL, &err));
  g_assert_error (err, SIM_TRACE_ERROR, SIM_TRACE_ERROR_SYNTAX);
  g_assert_nonnull (strstr (err->message, "not a valid gzip file"));
  g_clear_error (&err);

  /* 4 MiB of noise could inflate to 3 GiB as far as its length goes: refused by the 2 GiB cap */
  gsize noise_len = 4 * MiB;
  g_autofree guint8 *noise = g_malloc (noise_len);
  GRand *rand = g_rand_new_with_seed (7);
  for (gsize i = 0; i < noise_len; i++)
    noise[i] = (guint8) g_rand_int (rand);
  g_rand_free (rand);
  noise[0] = 0x1f;
  noise[1] = 0x8b;
  for (int i = 0; i < 4; i++)
    noise[noise_len - 4 + i] = (guint8) (three_gib >> (8 * i));
  g_assert_true (g_file_set_contents (path, (const char *) noise, (gssize) noise_len, NULL));
  g_setenv ("AMLAVIZ_MAX_MEMORY", "1T", TRUE); /* whatever this machine's memory */
  g_assert_null (sim_trace_read_json (path, NULL, NULL, &err));
  g_unsetenv ("AMLAVIZ_MAX_MEMORY");
  g_assert_error (err, SIM_TRACE_ERROR, SIM_TRACE_ERROR_LIMIT);
  g_assert_nonnull (strstr (err->message, "its gzip trailer says it inflates to 3.0 GiB or more, "
                                          "over 2.0 GiB (the most a gzip trace may inflate to)"));
  g_unlink (path);
  g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_unsetenv ("AMLAVIZ_MAX_MEMORY");
  g_test_add_func ("/trace/gzip/bomb-refused-by-trailer", test_bomb_refused_by_trailer);
  g_test_add_func ("/trace/gzip/bomb-stopped-at-limit", test_bomb_stopped_at_limit);
  g_test_add_func ("/trace/gzip/trailer-believed-when-possible",
                   test_trailer_believed_when_possible);
  return g_test_run ();
}
