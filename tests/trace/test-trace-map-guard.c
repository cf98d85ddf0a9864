/* tests/trace/test-trace-map-guard.c — a trace file that shrinks while it is read (`cp new.json
 * trace.json` truncates, then writes) gives an error, not SIGBUS (sim/trace/trace-map-guard.h).
 *
 * The progress callback truncates the file mid-read, so the reader is certain to touch pages past
 * the new end.  Each case runs in a subprocess: before the guard the reader died of SIGBUS, and
 * the subprocess's death is what fails the test.  The guard is per thread (the window reads in a
 * GTask thread) and every other SIGBUS still reaches the handler that was there before. */
#include <glib.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <zlib.h>

#include "sim/trace/trace-json.h"

#define SHRUNK_BYTES 1000

/* The subprocess's files go in a folder the parent makes and removes: a child that dies cannot. */
static const char *
test_dir (void)
{
  const char *dir = g_getenv ("AMLA_GUARD_TEST_DIR");
  g_assert_nonnull (dir);
  return dir;
}

static void
run_in_subprocess (void)
{
  g_autofree char *dir = g_dir_make_tmp ("amla-guard-XXXXXX", NULL);
  g_assert_nonnull (dir);
  g_setenv ("AMLA_GUARD_TEST_DIR", dir, TRUE);
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_unsetenv ("AMLA_GUARD_TEST_DIR");
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  for (const char *name; d != NULL && (name = g_dir_read_name (d)) != NULL;)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (dir);
}

static GString *
many_events (int n)
{
  GString *s = g_string_new ("[");
  for (int i = 0; i < n; i++)
    g_string_append_printf (s,
                            "%s{\"ph\":\"X\",\"name\":\"op%d\",\"pid\":1,\"tid\":%d,\"ts\":%d,"
                            "\"dur\":1}\n",
                            i ? "," : "", i % 7, i % 3, i);
  g_string_append (s, "]");
  return s;
}

static char *
write_trace (const char *dir, const char *name, int n_events, gboolean gzip, gsize *len)
{
  g_autoptr (GString) s = many_events (n_events);
  char *path = g_build_filename (dir, name, NULL);
  if (gzip)
    {
      gzFile gz = gzopen (path, "wb6");
      g_assert_nonnull (gz);
      g_assert_cmpint (gzwrite (gz, s->str, (unsigned) s->len), ==, (int) s->len);
      g_assert_cmpint (gzclose (gz), ==, Z_OK);
    }
  else
    g_assert_true (g_file_set_contents (path, s->str, (gssize) s->len, NULL));
  GStatBuf st;
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_size, >, 64 * 1024); /* the rest of the file lies past the new end */
  *len = (gsize) st.st_size;
  return path;
}

typedef struct
{
  const char *path;
  int calls;
  GMutex lock; /* blocking: the callback waits here with the guard armed (other-thread case) */
  GCond cond;
  gboolean block, armed;
} Shrink;

/* The first report (some thousand events or 8 MB inflated in) truncates the file, as `cp` would
 * before writing; reading then goes on into the part that is gone. */
static gboolean
shrink_progress (double fraction, gpointer data)
{
  Shrink *s = data;
  if (fraction < 1.0 && s->calls++ == 0)
    {
      g_assert_cmpint (truncate (s->path, SHRUNK_BYTES), ==, 0);
      if (s->block)
        {
          g_mutex_lock (&s->lock);
          s->armed = TRUE;
          g_cond_signal (&s->cond);
          for (;;) /* until the process exits */
            g_cond_wait (&s->cond, &s->lock);
        }
    }
  return TRUE;
}

static void
assert_changed (const GError *err, const char *path, gsize len)
{
  g_assert_error (err, SIM_TRACE_ERROR, SIM_TRACE_ERROR_IO);
  g_autofree char *want = g_strdup_printf (
      "%s changed while it was being read (truncated from %" G_GSIZE_FORMAT " to %d bytes?) — "
      "open it again",
      path, len, SHRUNK_BYTES);
  g_assert_true (g_str_has_suffix (err->message, want));
  g_assert_true (g_str_has_prefix (err->message, path));
}

static void
read_shrinking (gboolean gzip)
{
  const char *dir = test_dir ();
  gsize len = 0;
  /* gzip: 8 MB are inflated between reports, so the text must be well over that */
  g_autofree char *path
      = write_trace (dir, gzip ? "t.json.gz" : "t.json", gzip ? 200000 : 20000, gzip, &len);
  Shrink s = { .path = path };
  g_autoptr (GError) err = NULL;
  SimTrace *t = sim_trace_read_json (path, shrink_progress, &s, &err);
  g_assert_null (t);
  g_assert_cmpint (s.calls, >=, 1);
  assert_changed (err, path, len);
}

static void
test_truncated_plain (void)
{
  if (g_test_subprocess ())
    {
      read_shrinking (FALSE);
      return;
    }
  run_in_subprocess ();
  g_test_trap_assert_passed ();
}

static void
test_truncated_gzip (void)
{
  if (g_test_subprocess ())
    {
      read_shrinking (TRUE);
      return;
    }
  run_in_subprocess ();
  g_test_trap_assert_passed ();
}

/* What the window does: the read runs on a thread of its own. */
static gpointer
read_shrinking_thread (gpointer data)
{
  read_shrinking (GPOINTER_TO_INT (data));
  return NULL;
}

static gpointer
read_blocked_thread (gpointer data)
{
  Shrink *s = data;
  sim_trace_read_json (s->path, shrink_progress, s, NULL);
  g_assert_not_reached ();
  return NULL;
}

static void
previous_handler (int sig)
{
  (void) sig;
  static const char msg[] = "the previous handler ran\n";
  if (write (STDOUT_FILENO, msg, sizeof msg - 1) < 0)
    _exit (9);
  _exit (7);
}

/* A SIGBUS of its own: a page of a mapped file that was truncated away. */
static void
touch_truncated_mapping (const char *dir)
{
  g_autofree char *path = g_build_filename (dir, "other", NULL);
  char page[8192] = { 1 };
  g_assert_true (g_file_set_contents (path, page, sizeof page, NULL));
  GMappedFile *map = g_mapped_file_new (path, FALSE, NULL);
  g_assert_nonnull (map);
  g_assert_cmpint (truncate (path, 0), ==, 0);
  volatile const char *p = g_mapped_file_get_contents (map);
  printf ("read %d\n", p[4096]); /* SIGBUS */
}

static void
test_other_threads (void)
{
  if (g_test_subprocess ())
    {
      struct sigaction sa;
      memset (&sa, 0, sizeof sa);
      sa.sa_handler = previous_handler;
      sigemptyset (&sa.sa_mask);
      g_assert_cmpint (sigaction (SIGBUS, &sa, NULL), ==, 0);

      /* a read on another thread meets the shrunk file and says so */
      g_thread_join (g_thread_new ("read", read_shrinking_thread, GINT_TO_POINTER (FALSE)));
      printf ("the thread's read failed cleanly\n");
      fflush (stdout);

      /* while a thread's guard is armed, a SIGBUS on this thread is not the guard's */
      gsize len = 0;
      g_autofree char *path = write_trace (test_dir (), "blocked.json", 20000, FALSE, &len);
      Shrink s = { .path = path, .block = TRUE };
      g_mutex_init (&s.lock);
      g_cond_init (&s.cond);
      g_mutex_lock (&s.lock);
      g_thread_unref (g_thread_new ("blocked", read_blocked_thread, &s));
      while (!s.armed)
        g_cond_wait (&s.cond, &s.lock);
      g_mutex_unlock (&s.lock);
      touch_truncated_mapping (test_dir ());
      g_assert_not_reached ();
    }
  run_in_subprocess ();
  g_test_trap_assert_failed ();
  g_test_trap_assert_stdout ("*the thread's read failed cleanly*the previous handler ran*");
  g_test_trap_assert_stdout_unmatched ("*read 0*");
}

/* With no handler before ours, a SIGBUS that is not the guard's still kills the process. */
static void
test_default_action (void)
{
  if (g_test_subprocess ())
    {
      read_shrinking (FALSE);
      touch_truncated_mapping (test_dir ());
      printf ("survived\n");
      return;
    }
  run_in_subprocess ();
  g_test_trap_assert_failed ();
  g_test_trap_assert_stdout_unmatched ("*survived*");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/trace/map-guard/truncated-plain", test_truncated_plain);
  g_test_add_func ("/trace/map-guard/truncated-gzip", test_truncated_gzip);
  g_test_add_func ("/trace/map-guard/other-threads", test_other_threads);
  g_test_add_func ("/trace/map-guard/default-action", test_default_action);
  return g_test_run ();
}
