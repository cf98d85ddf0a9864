/* Tests for `amlasim numerics` run as a user would: exit codes, one-line errors naming the
 * option, --json that parses, --out-dir files of the stated size.  argv[1] = the amlasim path. */
#include <glib.h>
#include <sys/stat.h>
#include <glib/gstdio.h>
#include <json-c/json.h>
#include <math.h>
#include <string.h>
#include <sys/wait.h>

static const char *amlasim_path;

typedef struct
{
  int status;
  char *out, *err;
} Result;

static void
result_clear (Result *r)
{
  g_free (r->out);
  g_free (r->err);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Result, result_clear)

static void
run (Result *r, const char *const *args)
{
  GPtrArray *argv = g_ptr_array_new ();
  g_ptr_array_add (argv, (char *) amlasim_path);
  g_ptr_array_add (argv, "numerics");
  for (const char *const *a = args; *a; a++)
    g_ptr_array_add (argv, (char *) *a);
  g_ptr_array_add (argv, NULL);
  g_autoptr (GError) err = NULL;
  int wait_status = 0;
  /* Under ASan, amlasim's main leaks its g_set_prgname string (not this command's code); keep
   * LeakSanitizer from turning that into exit 1 and extra stderr lines. */
  g_auto (GStrv) env = g_environ_setenv (g_get_environ (), "ASAN_OPTIONS", "detect_leaks=0", TRUE);
  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, env, G_SPAWN_DEFAULT, NULL, NULL,
                               &r->out, &r->err, &wait_status, &err));
  g_assert_no_error (err);
  r->status = WIFEXITED (wait_status) ? WEXITSTATUS (wait_status) : -1;
  g_ptr_array_free (argv, TRUE);
}

/* exit 2 and exactly one line on stderr that starts with prefix, nothing on stdout */
static void
assert_usage_error (const char *const *args, const char *prefix)
{
  g_auto (Result) r = { 0 };
  run (&r, args);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_cmpstr (r.out, ==, "");
  g_assert_true (g_str_has_prefix (r.err, prefix));
  const char *nl = strchr (r.err, '\n');
  g_assert_nonnull (nl);
  g_assert_cmpint (nl[1], ==, '\0');
}

static void
test_bad_options (void)
{
  assert_usage_error ((const char *const[]){ "--kv", "0", NULL },
                      "amlasim numerics: --kv must be an integer in [1, 131072], got '0'");
  assert_usage_error ((const char *const[]){ "--heads", "129", NULL },
                      "amlasim numerics: --heads must be an integer in [1, 128]");
  assert_usage_error ((const char *const[]){ "--dist", "cauchy", NULL },
                      "amlasim numerics: --dist must be normal, wide or adversarial");
  assert_usage_error ((const char *const[]){ "--scale", "nan", NULL },
                      "amlasim numerics: --scale must be a number in (0, 1000]");
  assert_usage_error ((const char *const[]){ "--frobnicate", NULL },
                      "amlasim numerics: Unknown option --frobnicate");
}

static void
test_wrong_file_size (void)
{
  g_autofree char *dir = g_dir_make_tmp ("amlasim-numerics-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "q.f32", NULL);
  g_assert_true (g_file_set_contents (path, "\0\0\0\0", 4, NULL));
  assert_usage_error ((const char *const[]){ "--heads", "2", "--sq", "1", "--q-file", path, NULL },
                      "amlasim numerics: --q-file '");
  g_auto (Result) r = { 0 };
  run (&r, (const char *const[]){ "--heads", "2", "--sq", "1", "--q-file", path, NULL });
  g_assert_nonnull (strstr (r.err, "holds 4 bytes"));
  g_assert_nonnull (strstr (r.err, "4608 bytes")); /* 2 rows x 576 x 4 */
  /* a FIFO is refused at once (it used to block the read), a huge file before it is read */
  g_autofree char *fifo = g_build_filename (dir, "kv.f32", NULL);
  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  g_auto (Result) f = { 0 };
  run (&f, (const char *const[]){ "--kv-file", fifo, NULL });
  g_assert_nonnull (strstr (f.err, "--kv-file: input file '"));
  g_assert_nonnull (strstr (f.err, "is a FIFO, socket or device, not a file"));
  g_autofree char *big = g_build_filename (dir, "big.f32", NULL);
  g_autofree char *blob = g_malloc0 (4 * 4608);
  g_assert_true (g_file_set_contents (big, blob, 4 * 4608, NULL));
  g_auto (Result) h = { 0 };
  run (&h, (const char *const[]){ "--heads", "2", "--sq", "1", "--q-file", big, NULL });
  g_assert_nonnull (strstr (h.err, "over its limit of"));
  g_unlink (big);
  g_unlink (fifo);
  g_unlink (path);
  g_rmdir (dir);
}

static double
get_number (json_object *o, const char *a, const char *b, const char *c)
{
  json_object *v = o;
  const char *keys[] = { a, b, c };
  for (int i = 0; i < 3 && keys[i]; i++)
    g_assert_true (json_object_object_get_ex (v, keys[i], &v));
  g_assert_true (json_object_is_type (v, json_type_double)
                 || json_object_is_type (v, json_type_int));
  return json_object_get_double (v);
}

static void
test_json (void)
{
  g_auto (Result) r = { 0 };
  run (&r, (const char *const[]){ "--kv", "700", "--heads", "8", "--sq", "1", "--sample-rows", "4",
                                  "--json", NULL });
  g_assert_cmpint (r.status, ==, 0);
  json_object *root = json_tokener_parse (r.out);
  g_assert_nonnull (root);
  g_assert_cmpfloat (get_number (root, "rows_sampled", NULL, NULL), ==, 4);
  g_assert_cmpfloat (get_number (root, "rows_total", NULL, NULL), ==, 8);
  g_assert_cmpfloat (get_number (root, "kv_len", NULL, NULL), ==, 700);
  for (int i = 0; i < 3; i++)
    {
      const char *path = (const char *[]){ "fa_mul", "amla", "amla_nocomp" }[i];
      double max_abs = get_number (root, "paths", path, "max_abs");
      g_assert_cmpfloat (max_abs, >, 0);
      g_assert_cmpfloat (max_abs, <, 1e-2);
      g_assert_cmpfloat (get_number (root, "paths", path, "non_finite"), ==, 0);
    }
  json_object_put (root);
}

static void
test_out_dir (void)
{
  g_autofree char *dir = g_dir_make_tmp ("amlasim-numerics-XXXXXX", NULL);
  g_autofree char *out = g_build_filename (dir, "out", NULL);
  g_auto (Result) r = { 0 };
  run (&r,
       (const char *const[]){ "--kv", "600", "--heads", "3", "--sq", "2", "--out-dir", out, NULL });
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "rows: all 6"));
  static const char *names[] = { "exact.f32", "fa_mul.f32", "amla.f32", "amla_nocomp.f32" };
  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_build_filename (out, names[i], NULL);
      g_autofree char *data = NULL;
      gsize len = 0;
      g_assert_true (g_file_get_contents (path, &data, &len, NULL));
      g_assert_cmpuint (len, ==, 6 * 512 * 4);
      for (gsize k = 0; k < len / 4; k++)
        {
          float v;
          memcpy (&v, data + 4 * k, 4);
          g_assert_true (isfinite (v) && fabsf (v) < 10);
        }
      g_unlink (path);
    }
  g_rmdir (out);
  g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  if (argc < 2)
    {
      g_printerr ("usage: %s PATH-TO-AMLASIM\n", argv[0]);
      return 1;
    }
  amlasim_path = argv[1];
  g_test_add_func ("/numerics-cli/bad-options", test_bad_options);
  g_test_add_func ("/numerics-cli/wrong-file-size", test_wrong_file_size);
  g_test_add_func ("/numerics-cli/json", test_json);
  g_test_add_func ("/numerics-cli/out-dir", test_out_dir);
  return g_test_run ();
}
