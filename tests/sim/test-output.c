/* tests/sim/test-output.c — sim/output.c: atomic writes (replace, modes, errors, a write that
 * fails half-way, a kill while writing) and the image format a file name asks for. */
#include <glib.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "sim/output.h"

static guint
count_dir_entries (const char *dir)
{
  GDir *d = g_dir_open (dir, 0, NULL);
  guint n = 0;
  while (g_dir_read_name (d) != NULL)
    n++;
  g_dir_close (d);
  return n;
}

static int
file_mode (const char *path)
{
  struct stat st;
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  return st.st_mode & 07777;
}

static void
test_replaces (void)
{
  g_autofree char *dir = g_dir_make_tmp ("output-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "t.json", NULL);
  g_assert_true (g_file_set_contents (path, "OLD", -1, NULL));
  g_autoptr (GError) err = NULL;
  g_assert_true (sim_write_file_atomic (path, "NEW", 3, &err));
  g_assert_no_error (err);
  g_autofree char *got = NULL;
  g_assert_true (g_file_get_contents (path, &got, NULL, NULL));
  g_assert_cmpstr (got, ==, "NEW");
  g_assert_cmpuint (count_dir_entries (dir), ==, 1);
  g_unlink (path);
  g_rmdir (dir);
}

/* A new file gets 0666 or the mode asked for, less the umask; a replaced file keeps its mode. */
/* Saving over data is made durable (fsync before the rename); a new or empty target is not, as
 * with g_file_set_contents(): there is nothing old to lose. */
static void
test_replaces_data (void)
{
  g_autofree char *dir = g_dir_make_tmp ("amlaviz-out-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "t.json", NULL);
  g_assert_false (sim_output_replaces_data (path));
  g_assert_true (g_file_set_contents (path, "", 0, NULL));
  g_assert_false (sim_output_replaces_data (path));
  g_assert_true (sim_write_file_atomic (path, "{}", 2, NULL));
  g_assert_true (sim_output_replaces_data (path));
  g_unlink (path);
  g_rmdir (dir);
}

static void
test_modes (void)
{
  mode_t old_mask = umask (022);
  g_autofree char *dir = g_dir_make_tmp ("output-XXXXXX", NULL);
  g_autofree char *plain = g_build_filename (dir, "plain.csv", NULL);
  g_autofree char *script = g_build_filename (dir, "run.sh", NULL);
  g_autoptr (GError) err = NULL;
  g_assert_true (sim_write_file_atomic (plain, "a", 1, &err));
  g_assert_cmpint (file_mode (plain), ==, 0644);
  g_assert_true (sim_write_file_atomic_full (script, "#!/bin/sh\n", 10, 0755, &err));
  g_assert_cmpint (file_mode (script), ==, 0755);
  g_assert_no_error (err);
  g_chmod (plain, 0600);
  g_assert_true (sim_write_file_atomic (plain, "b", 1, &err));
  g_assert_cmpint (file_mode (plain), ==, 0600);
  g_assert_cmpuint (count_dir_entries (dir), ==, 2);
  umask (old_mask);
  g_unlink (plain);
  g_unlink (script);
  g_rmdir (dir);
}

static void
test_missing_dir (void)
{
  g_autoptr (GError) err = NULL;
  g_assert_false (sim_write_file_atomic ("/nonexistent-dir-amlaviz/x.csv", "x", 1, &err));
  g_assert_error (err, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  g_assert_cmpstr (err->message, ==,
                   "cannot create a file in /nonexistent-dir-amlaviz: No such file or directory");
}

/* A write that fails half-way (file size limit: works even as root) leaves the old file whole
 * and no temp file behind. */
static void
test_fails_midway (void)
{
  g_autofree char *dir = g_dir_make_tmp ("output-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "t.bin", NULL);
  g_assert_true (g_file_set_contents (path, "OLD CONTENT", -1, NULL));
  if (g_test_subprocess ())
    {
      const char *p = g_getenv ("OUTPUT_TEST_PATH");
      signal (SIGXFSZ, SIG_IGN);
      struct rlimit rl = { 4096, 4096 };
      setrlimit (RLIMIT_FSIZE, &rl);
      g_autoptr (GError) err = NULL;
      g_autofree char *big = g_malloc0 (100000);
      memset (big, 'x', 99999);
      g_assert_false (sim_write_file_atomic (p, big, 99999, &err));
      g_assert_nonnull (err);
      g_assert_true (err->domain == G_FILE_ERROR);
      g_printerr ("%s\n", err->message);
      return;
    }
  g_setenv ("OUTPUT_TEST_PATH", path, TRUE);
  g_test_trap_subprocess ("/sim/output/fails-midway", 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stderr ("cannot write *: File too large*");
  g_autofree char *old = NULL;
  g_assert_true (g_file_get_contents (path, &old, NULL, NULL));
  g_assert_cmpstr (old, ==, "OLD CONTENT");
  g_assert_cmpuint (count_dir_entries (dir), ==, 1); /* no temp file left */
  g_unlink (path);
  g_rmdir (dir);
}

/* Killed while a temp file is open: the handler removes it, the old file stays. */
static void
test_signal_removes_temp (void)
{
  g_autofree char *dir = g_dir_make_tmp ("output-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "t.json", NULL);
  g_assert_true (g_file_set_contents (path, "OLD", -1, NULL));
  if (g_test_subprocess ())
    {
      const char *p = g_getenv ("OUTPUT_TEST_PATH");
      sim_remove_temp_files_on_signal ();
      char *tmp = NULL;
      int fd = sim_output_open_temp (p, -1, &tmp, NULL);
      g_assert_cmpint (fd, >=, 0);
      g_assert_true (g_file_test (tmp, G_FILE_TEST_EXISTS));
      g_assert_cmpint (write (fd, "NE", 2), ==, 2);
      raise (SIGTERM);
      g_assert_not_reached ();
    }
  g_setenv ("OUTPUT_TEST_PATH", path, TRUE);
  g_test_trap_subprocess ("/sim/output/signal-removes-temp", 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_autofree char *old = NULL;
  g_assert_true (g_file_get_contents (path, &old, NULL, NULL));
  g_assert_cmpstr (old, ==, "OLD");
  g_assert_cmpuint (count_dir_entries (dir), ==, 1);
  g_unlink (path);
  g_rmdir (dir);
}

/* Saving through a symlink writes the file it points to and keeps the link: a user's link (a
 * dotfile manager's, "latest.json -> run-42.json") is not replaced by a regular file. */
static void
test_symlink_kept (void)
{
  g_autofree char *dir = g_dir_make_tmp ("output-XXXXXX", NULL);
  g_autofree char *sub = g_build_filename (dir, "runs", NULL);
  g_assert_cmpint (g_mkdir (sub, 0755), ==, 0);
  g_autofree char *real = g_build_filename (sub, "run-42.json", NULL);
  g_autofree char *link = g_build_filename (dir, "latest.json", NULL);
  g_autofree char *dangling = g_build_filename (dir, "next.json", NULL);
  g_autofree char *dangling_target = g_build_filename (sub, "run-43.json", NULL);
  g_assert_true (g_file_set_contents (real, "OLD", -1, NULL));
  g_assert_cmpint (symlink ("runs/run-42.json", link), ==, 0); /* relative to the link's dir */
  g_assert_cmpint (symlink ("runs/run-43.json", dangling), ==, 0);
  g_autoptr (GError) err = NULL;
  g_assert_true (sim_write_file_atomic (link, "NEW", 3, &err));
  g_assert_no_error (err);
  g_assert_true (g_file_test (link, G_FILE_TEST_IS_SYMLINK));
  g_autofree char *got = NULL;
  g_assert_true (g_file_get_contents (real, &got, NULL, NULL));
  g_assert_cmpstr (got, ==, "NEW");
  /* a link to a file not there yet creates that file */
  g_assert_true (sim_write_file_atomic (dangling, "NEXT", 4, &err));
  g_assert_no_error (err);
  g_assert_true (g_file_test (dangling, G_FILE_TEST_IS_SYMLINK));
  g_autofree char *next = NULL;
  g_assert_true (g_file_get_contents (dangling_target, &next, NULL, NULL));
  g_assert_cmpstr (next, ==, "NEXT");
  /* no temp file left anywhere */
  g_assert_cmpuint (count_dir_entries (dir), ==, 3);
  g_assert_cmpuint (count_dir_entries (sub), ==, 2);
  g_unlink (link);
  g_unlink (dangling);
  g_unlink (real);
  g_unlink (dangling_target);
  g_rmdir (sub);
  g_rmdir (dir);
}

typedef struct
{
  char *path;
  GString *got;
} FifoReader;

static gpointer
read_fifo (gpointer data)
{
  FifoReader *r = data;
  int fd = open (r->path, O_RDONLY | O_CLOEXEC);
  g_assert_cmpint (fd, >=, 0);
  char buf[4096];
  ssize_t n;
  while ((n = read (fd, buf, sizeof buf)) > 0)
    g_string_append_len (r->got, buf, n);
  close (fd);
  return NULL;
}

/* A target that is not a regular file (a FIFO here; /dev/null or a terminal alike) is written in
 * place: a temp file renamed over it would replace the FIFO or device node with a regular file
 * (as root, "amlasim run -o /dev/null" did exactly that to /dev/null). */
static void
test_fifo_written_in_place (void)
{
  g_autofree char *dir = g_dir_make_tmp ("output-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "pipe", NULL);
  g_assert_cmpint (mkfifo (path, 0600), ==, 0);
  for (int streamed = 0; streamed < 2; streamed++)
    {
      FifoReader r = { path, g_string_new (NULL) };
      GThread *reader = g_thread_new ("fifo-reader", read_fifo, &r);
      g_autoptr (GError) err = NULL;
      if (streamed)
        {
          char *tmp = NULL;
          int fd = sim_output_open_temp (path, -1, &tmp, &err);
          g_assert_no_error (err);
          g_assert_cmpint (fd, >=, 0);
          g_assert_null (tmp);
          g_assert_false (sim_output_replaces_data (path));
          g_assert_cmpint (write (fd, "STREAMED", 8), ==, 8);
          g_assert_true (sim_output_commit_temp (fd, tmp, path, TRUE, &err));
        }
      else
        g_assert_true (sim_write_file_atomic (path, "ONE BUFFER", 10, &err));
      g_assert_no_error (err);
      g_thread_join (reader);
      g_assert_cmpstr (r.got->str, ==, streamed ? "STREAMED" : "ONE BUFFER");
      g_string_free (r.got, TRUE);
      struct stat st;
      g_assert_cmpint (lstat (path, &st), ==, 0);
      g_assert_true (S_ISFIFO (st.st_mode));
      g_assert_cmpuint (count_dir_entries (dir), ==, 1);
    }
  g_unlink (path);
  g_rmdir (dir);
}

/* A directory is refused with a message that says so, and nothing is left beside it. */
static void
test_directory_refused (void)
{
  g_autofree char *dir = g_dir_make_tmp ("output-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "out.json", NULL);
  g_assert_cmpint (g_mkdir (path, 0755), ==, 0);
  g_autoptr (GError) err = NULL;
  g_assert_false (sim_write_file_atomic (path, "x", 1, &err));
  g_assert_error (err, G_FILE_ERROR, G_FILE_ERROR_ISDIR);
  g_assert_nonnull (strstr (err->message, path));
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_DIR));
  g_assert_cmpuint (count_dir_entries (dir), ==, 1);
  g_rmdir (path);
  g_rmdir (dir);
}

static void
test_image_format (void)
{
  static const struct
  {
    const char *path;
    SimImageFormat want;
  } cases[] = {
    { "a.png", SIM_IMAGE_FORMAT_PNG },         { "/tmp/x/PLOT.SVG", SIM_IMAGE_FORMAT_SVG },
    { "out.Pdf", SIM_IMAGE_FORMAT_PDF },       { ".png", SIM_IMAGE_FORMAT_PNG },
    { "a.png.csv", SIM_IMAGE_FORMAT_UNKNOWN }, { "dir.png/file", SIM_IMAGE_FORMAT_UNKNOWN },
    { "a.jpeg", SIM_IMAGE_FORMAT_UNKNOWN },    { "png", SIM_IMAGE_FORMAT_UNKNOWN },
    { "a.pngx", SIM_IMAGE_FORMAT_UNKNOWN },    { "", SIM_IMAGE_FORMAT_UNKNOWN },
    { NULL, SIM_IMAGE_FORMAT_UNKNOWN },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    g_assert_cmpint (sim_image_format_from_path (cases[i].path), ==, cases[i].want);
  g_assert_cmpstr (sim_image_format_extension (SIM_IMAGE_FORMAT_PNG), ==, ".png");
  g_assert_cmpstr (sim_image_format_extension (SIM_IMAGE_FORMAT_SVG), ==, ".svg");
  g_assert_cmpstr (sim_image_format_extension (SIM_IMAGE_FORMAT_PDF), ==, ".pdf");
  g_assert_null (sim_image_format_extension (SIM_IMAGE_FORMAT_UNKNOWN));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sim/output/replaces", test_replaces);
  g_test_add_func ("/sim/output/replaces-data", test_replaces_data);
  g_test_add_func ("/sim/output/modes", test_modes);
  g_test_add_func ("/sim/output/missing-dir", test_missing_dir);
  g_test_add_func ("/sim/output/fails-midway", test_fails_midway);
  g_test_add_func ("/sim/output/signal-removes-temp", test_signal_removes_temp);
  g_test_add_func ("/sim/output/symlink-kept", test_symlink_kept);
  g_test_add_func ("/sim/output/fifo-written-in-place", test_fifo_written_in_place);
  g_test_add_func ("/sim/output/directory-refused", test_directory_refused);
  g_test_add_func ("/sim/output/image-format", test_image_format);
  return g_test_run ();
}
