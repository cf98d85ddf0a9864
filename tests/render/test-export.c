/* tests/render/test-export.c — PNG/SVG/PDF export: valid files, sizes, text as text, pixel
 * probes, visible range = view, atomic writes.  Set RENDER_KEEP=dir to keep the images. */
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>
#include "src/render/export.h"
#include "tests/render/fixtures.h"

static char *tmpdir;

static char *
out_path (const char *name)
{
  const char *keep = g_getenv ("RENDER_KEEP");
  return g_build_filename (keep && *keep ? keep : tmpdir, name, NULL);
}

static gboolean
run (const char *cmdline, char **out)
{
  int status = -1;
  GError *err = NULL;
  gboolean ok = g_spawn_command_line_sync (cmdline, out, NULL, &status, &err);
  if (!ok)
    g_error ("%s: %s", cmdline, err->message);
  return g_spawn_check_wait_status (status, NULL);
}

static void
test_png (void)
{
  g_autoptr (SimTrace) t = fx_amla_like_trace (2, 6);
  TlExportOptions opt;
  tl_export_options_init (&opt);
  opt.metrics = TRUE;
  opt.flows = TRUE;
  g_autofree char *path = out_path ("amla.png");
  GError *err = NULL;
  g_assert_true (tl_export_file (t, &opt, path, &err));
  g_assert_no_error (err);
  g_autofree char *data = NULL;
  gsize len;
  g_assert_true (g_file_get_contents (path, &data, &len, NULL));
  g_assert_cmpuint (len, >, 8);
  g_assert_cmpmem (data, 8, "\x89PNG\r\n\x1a\n", 8);
  cairo_surface_t *img = cairo_image_surface_create_from_png (path);
  g_assert_cmpint (cairo_surface_status (img), ==, CAIRO_STATUS_SUCCESS);
  g_assert_cmpint (cairo_image_surface_get_width (img), ==, 1600);
  int h1 = cairo_image_surface_get_height (img);
  g_assert_cmpint (h1, >, 300);
  cairo_surface_destroy (img);

  /* HiDPI: scale 2 doubles both sides */
  opt.scale = 2;
  g_autofree char *path2 = out_path ("amla@2x.png");
  g_assert_true (tl_export_file (t, &opt, path2, &err));
  img = cairo_image_surface_create_from_png (path2);
  g_assert_cmpint (cairo_image_surface_get_width (img), ==, 3200);
  g_assert_cmpint (abs (cairo_image_surface_get_height (img) - 2 * h1), <=, 2);
  cairo_surface_destroy (img);

  /* dark theme on request: the page background is the dark one */
  opt.scale = 1;
  opt.theme = TL_THEME_DARK;
  opt.width = 1000;
  g_autofree char *path3 = out_path ("amla-dark.png");
  g_assert_true (tl_export_file (t, &opt, path3, &err));
  img = cairo_image_surface_create_from_png (path3);
  g_assert_cmpint (cairo_image_surface_get_width (img), ==, 1000);
  double got[3], bg[4];
  tl_theme_color (TL_THEME_DARK, TL_COLOR_BACKGROUND, bg);
  fx_pixel (img, 2, 2, got);
  fx_assert_color (got, bg);
  cairo_surface_destroy (img);
}

/* Probe the exported PNG where export says the lanes and times are. */
static void
test_png_pixels (void)
{
  g_autoptr (SimTrace) t = fx_small_trace ();
  TlExportOptions opt;
  tl_export_options_init (&opt);
  GError *err = NULL;
  g_autoptr (GBytes) png = tl_export_bytes (t, &opt, TL_EXPORT_PNG, &err);
  g_assert_no_error (err);
  g_autofree char *path = out_path ("small.png");
  g_assert_true (g_file_set_contents (path, g_bytes_get_data (png, NULL),
                                      (gssize) g_bytes_get_size (png), NULL));
  cairo_surface_t *img = cairo_image_surface_create_from_png (path);
  TlView v;
  double ox, oy;
  g_assert_true (tl_export_view (t, &opt, TL_EXPORT_PNG, &v, &ox, &oy, &err));
  double y_cube = oy + tl_render_lane_y (&v, t, 0, 1) + 4;
  double y_vec = oy + tl_render_lane_y (&v, t, 1, 0) + 4;
  double y_mte2 = oy + tl_render_lane_y (&v, t, 0, 0) + 4;
  double got[3], want[3];
  fx_pixel (img, (int) (ox + tl_time_to_x (&v.map, 700)), (int) y_cube, got);
  tl_stage_color (SIM_STAGE_C1, TL_THEME_LIGHT, want);
  fx_assert_color (got, want);
  fx_pixel (img, (int) (ox + tl_time_to_x (&v.map, 2600)), (int) y_cube, got);
  tl_stage_color (SIM_STAGE_C2, TL_THEME_LIGHT, want);
  fx_assert_color (got, want);
  fx_pixel (img, (int) (ox + tl_time_to_x (&v.map, 1600)), (int) y_vec, got);
  tl_stage_color (SIM_STAGE_V1, TL_THEME_LIGHT, want);
  fx_assert_color (got, want);
  /* the 1 ns load is at least one pixel wide in the export too */
  fx_pixel (img, (int) floor (ox + tl_time_to_x (&v.map, 5000)), (int) y_mte2, got);
  tl_stage_color (SIM_STAGE_C1, TL_THEME_LIGHT, want);
  fx_assert_color (got, want);
  cairo_surface_destroy (img);
}

static void
test_svg (void)
{
  g_autoptr (SimTrace) t = fx_amla_like_trace (1, 4);
  TlExportOptions opt;
  tl_export_options_init (&opt);
  opt.metrics = TRUE;
  g_autofree char *path = out_path ("amla.svg");
  GError *err = NULL;
  g_assert_true (tl_export_file (t, &opt, path, &err));
  g_assert_no_error (err);
  g_autofree char *cmd = g_strdup_printf ("xmllint --noout '%s'", path);
  g_assert_true (run (cmd, NULL));
  g_autofree char *svg = NULL;
  g_assert_true (g_file_get_contents (path, &svg, NULL, NULL));
  g_assert_nonnull (strstr (svg, "width=\"720pt\""));
  /* lane and group labels, the title and the legend are text, not glyph outlines */
  g_assert_nonnull (strstr (svg, ">MTE2</text>"));
  g_assert_nonnull (strstr (svg, ">VECTOR</text>"));
  g_assert_nonnull (strstr (svg, "AIC0</text>"));
  g_assert_nonnull (strstr (svg, "B=96 S_kv=4096 S_q=2 H=128 · preload on"));
  g_assert_nonnull (strstr (svg, ">C1 QK"));
  g_assert_nonnull (strstr (svg, "TFLOPS</text>"));
}

/* The stage legend lists the stages the spans have: an Ascend profiler trace's cores are AI cores
 * but its spans have none of the AMLA stages, and its export showed C1 QKᵀ … V2 anyway (found by a
 * review as a user). */
static void
test_legend_only_stages_present (void)
{
  g_autoptr (SimTrace) t = sim_trace_new ();
  SimGroup *g = sim_trace_add_group (t, "AIC0", 1, 0, SIM_CORE_AIC, 0);
  SimLane *lane = sim_group_add_lane (g, "CUBE", 1, 0, SIM_PIPE_CUBE);
  SimSpan s = fx_span (t, 0, 1000, SIM_STAGE_NONE, "MatMul", -1, -1);
  sim_lane_append (lane, &s);
  sim_trace_finish (t);
  TlExportOptions opt;
  tl_export_options_init (&opt);
  g_autofree char *path = out_path ("msprof-like.svg");
  GError *err = NULL;
  g_assert_true (tl_export_file (t, &opt, path, &err));
  g_assert_no_error (err);
  g_autofree char *svg = NULL;
  g_assert_true (g_file_get_contents (path, &svg, NULL, NULL));
  g_assert_nonnull (strstr (svg, ">CUBE</text>"));
  g_assert_null (strstr (svg, "QK"));
  g_assert_null (strstr (svg, "softmax"));
  /* and one with C1 only lists C1 */
  SimSpan c1 = fx_span (t, 2000, 1000, SIM_STAGE_C1, "mmad", 0, 0);
  sim_lane_append (lane, &c1);
  sim_trace_finish (t);
  g_assert_true (tl_export_file (t, &opt, path, &err));
  g_free (svg);
  svg = NULL;
  g_assert_true (g_file_get_contents (path, &svg, NULL, NULL));
  g_assert_nonnull (strstr (svg, ">C1 QK"));
  g_assert_null (strstr (svg, "softmax"));
}

static void
test_pdf (void)
{
  g_autoptr (SimTrace) t = fx_amla_like_trace (1, 4);
  TlExportOptions opt;
  tl_export_options_init (&opt);
  opt.page_per_group = TRUE;
  g_autofree char *path = out_path ("amla.pdf");
  GError *err = NULL;
  g_assert_true (tl_export_file (t, &opt, path, &err));
  g_assert_no_error (err);
  /* poppler renders one page per group (AIC0, AIV0, AIV1), 720 pt wide = 720 px at 72 dpi */
  g_autofree char *prefix = out_path ("amla-page");
  g_autofree char *cmd = g_strdup_printf ("pdftoppm -r 72 -png '%s' '%s'", path, prefix);
  g_assert_true (run (cmd, NULL));
  for (int p = 1; p <= 3; p++)
    {
      g_autofree char *page = g_strdup_printf ("%s-%d.png", prefix, p);
      cairo_surface_t *img = cairo_image_surface_create_from_png (page);
      g_assert_cmpint (cairo_surface_status (img), ==, CAIRO_STATUS_SUCCESS);
      g_assert_cmpint (cairo_image_surface_get_width (img), ==, 720);
      g_assert_cmpint (cairo_image_surface_get_height (img), >, 100);
      g_assert_cmpint (cairo_image_surface_get_height (img), <, 600);
      cairo_surface_destroy (img);
      if (g_getenv ("RENDER_KEEP") == NULL)
        g_unlink (page);
    }
  g_autofree char *page4 = g_strdup_printf ("%s-4.png", prefix);
  g_assert_false (g_file_test (page4, G_FILE_TEST_EXISTS));
  /* text is text: pdftotext finds the lane labels */
  g_autofree char *cmd2 = g_strdup_printf ("pdftotext '%s' -", path);
  g_autofree char *text = NULL;
  g_assert_true (run (cmd2, &text));
  g_assert_nonnull (strstr (text, "FIXPIPE"));
  g_assert_nonnull (strstr (text, "VECTOR"));
  /* one page for everything */
  opt.page_per_group = FALSE;
  g_autoptr (GBytes) one = tl_export_bytes (t, &opt, TL_EXPORT_PDF, &err);
  g_assert_no_error (err);
  g_autofree char *one_path = out_path ("amla-one.pdf");
  g_file_set_contents (one_path, g_bytes_get_data (one, NULL), (gssize) g_bytes_get_size (one),
                       NULL);
  g_autofree char *cmd3 = g_strdup_printf ("pdfinfo '%s'", one_path);
  g_autofree char *info = NULL;
  g_assert_true (run (cmd3, &info));
  g_autoptr (GRegex) re = g_regex_new ("^Pages: +1$", G_REGEX_MULTILINE, 0, NULL);
  g_assert_true (g_regex_match (re, info, 0, NULL));
}

/* A view zoomed to [t0, t1] and an export of that range show the same span at every probed
 * (lane, time). */
static void
test_range_matches_view (void)
{
  g_autoptr (SimTrace) t = fx_amla_like_trace (1, 6);
  TlView view;
  tl_view_init (&view, t, 1200, 700);
  view.show_legend = FALSE;
  view.map.t0_ns = 1500;
  view.map.t1_ns = 3300;
  cairo_surface_t *vs = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 1200, 700);
  cairo_t *cr = cairo_create (vs);
  tl_render_draw (cr, &view, t);
  cairo_destroy (cr);

  TlExportOptions opt;
  tl_export_options_init (&opt);
  opt.has_range = TRUE;
  opt.t0_ns = view.map.t0_ns;
  opt.t1_ns = view.map.t1_ns;
  GError *err = NULL;
  g_autoptr (GBytes) png = tl_export_bytes (t, &opt, TL_EXPORT_PNG, &err);
  g_assert_no_error (err);
  g_autofree char *path = out_path ("range.png");
  g_file_set_contents (path, g_bytes_get_data (png, NULL), (gssize) g_bytes_get_size (png), NULL);
  cairo_surface_t *es = cairo_image_surface_create_from_png (path);
  TlView ev;
  double ox, oy;
  g_assert_true (tl_export_view (t, &opt, TL_EXPORT_PNG, &ev, &ox, &oy, &err));
  g_assert_cmpfloat (ev.map.t0_ns, ==, view.map.t0_ns);
  g_assert_cmpfloat (ev.map.t1_ns, ==, view.map.t1_ns);
  int compared = 0, coloured = 0;
  for (guint g = 0; g < 3; g++)
    {
      SimGroup *grp = g_ptr_array_index (t->groups, g);
      for (guint l = 0; l < grp->lanes->len; l++)
        for (double tt = 1510; tt < 3300; tt += 23)
          {
            const SimLane *lane = sim_trace_lane (t, g, l);
            /* probe only where both images are far from a span edge */
            gboolean edge = FALSE;
            for (gsize i = 0; i < lane->n_spans && !edge; i++)
              {
                const SimSpan *s = &lane->spans[i];
                double e = 2.5 * MAX (tl_time_map_ns_per_px (&view.map),
                                      tl_time_map_ns_per_px (&ev.map));
                edge = fabs (tt - s->start_ns) < e || fabs (tt - s->start_ns - s->dur_ns) < e;
              }
            if (edge)
              continue;
            double a[3], b[3];
            fx_pixel (vs, (int) tl_time_to_x (&view.map, tt),
                      (int) tl_render_lane_y (&view, t, (int) g, (int) l) + 3, a);
            fx_pixel (es, (int) (ox + tl_time_to_x (&ev.map, tt)),
                      (int) (oy + tl_render_lane_y (&ev, t, (int) g, (int) l) + 3), b);
            fx_assert_color (b, a);
            compared++;
            double bgc[4];
            tl_theme_color (TL_THEME_LIGHT, TL_COLOR_BACKGROUND, bgc);
            if (!fx_color_near (a, bgc, 0.05))
              coloured++;
          }
    }
  g_test_message ("%d probes, %d on spans", compared, coloured);
  g_assert_cmpint (compared, >, 200);
  g_assert_cmpint (coloured, >, 50);
  cairo_surface_destroy (vs);
  cairo_surface_destroy (es);
}

static void
test_errors_keep_old_file (void)
{
  g_autoptr (SimTrace) t = fx_small_trace ();
  TlExportOptions opt;
  tl_export_options_init (&opt);
  GError *err = NULL;
  g_autofree char *old = g_build_filename (tmpdir, "old.png", NULL);
  g_assert_true (g_file_set_contents (old, "OLD", 3, NULL));

  /* no such folder */
  g_autofree char *nodir = g_build_filename (tmpdir, "no-such-dir", "x.png", NULL);
  g_assert_false (tl_export_file (t, &opt, nodir, &err));
  g_assert_error (err, TL_EXPORT_ERROR, TL_EXPORT_ERROR_IO);
  g_assert_nonnull (strstr (err->message, "does not exist"));
  g_clear_error (&err);

  /* unknown extension */
  g_assert_false (tl_export_file (t, &opt, "out.bmp", &err));
  g_assert_error (err, TL_EXPORT_ERROR, TL_EXPORT_ERROR_FORMAT);
  g_clear_error (&err);

  /* bad options fail before touching the old file */
  opt.width = 50;
  g_assert_false (tl_export_file (t, &opt, old, &err));
  g_assert_error (err, TL_EXPORT_ERROR, TL_EXPORT_ERROR_OPTIONS);
  g_clear_error (&err);
  opt.width = 0;
  opt.has_range = TRUE;
  opt.t0_ns = 5;
  opt.t1_ns = 5;
  g_assert_false (tl_export_file (t, &opt, old, &err));
  g_assert_error (err, TL_EXPORT_ERROR, TL_EXPORT_ERROR_OPTIONS);
  g_clear_error (&err);
  opt.has_range = FALSE;
  guint8 none[2] = { 0, 0 };
  opt.groups = none;
  g_assert_false (tl_export_file (t, &opt, old, &err));
  g_assert_error (err, TL_EXPORT_ERROR, TL_EXPORT_ERROR_OPTIONS);
  g_clear_error (&err);
  opt.groups = NULL;

  /* the GUI refuses to overwrite */
  opt.no_overwrite = TRUE;
  g_assert_false (tl_export_file (t, &opt, old, &err));
  g_assert_error (err, TL_EXPORT_ERROR, TL_EXPORT_ERROR_EXISTS);
  g_clear_error (&err);
  opt.no_overwrite = FALSE;

  /* the target is a directory: the write fails, with a message naming the path */
  g_autofree char *dir = g_build_filename (tmpdir, "adir.png", NULL);
  g_mkdir (dir, 0755);
  g_assert_false (tl_export_file (t, &opt, dir, &err));
  g_assert_error (err, TL_EXPORT_ERROR, TL_EXPORT_ERROR_IO);
  g_assert_nonnull (strstr (err->message, "adir.png"));
  g_clear_error (&err);
  g_assert_true (g_file_test (dir, G_FILE_TEST_IS_DIR));

  /* a read-only folder (only meaningful when not root) */
  if (geteuid () != 0)
    {
      g_autofree char *ro = g_build_filename (tmpdir, "ro", NULL);
      g_mkdir (ro, 0755);
      g_autofree char *ro_file = g_build_filename (ro, "keep.png", NULL);
      g_file_set_contents (ro_file, "OLD", 3, NULL);
      g_chmod (ro, 0555);
      g_assert_false (tl_export_file (t, &opt, ro_file, &err));
      g_assert_error (err, TL_EXPORT_ERROR, TL_EXPORT_ERROR_IO);
      g_clear_error (&err);
      g_autofree char *kept = NULL;
      g_file_get_contents (ro_file, &kept, NULL, NULL);
      g_assert_cmpstr (kept, ==, "OLD");
      g_chmod (ro, 0755);
    }
  else
    g_test_message ("running as root: read-only folder case skipped");

  g_autofree char *content = NULL;
  g_assert_true (g_file_get_contents (old, &content, NULL, NULL));
  g_assert_cmpstr (content, ==, "OLD");
  /* and the CLI's overwrite works */
  g_assert_true (tl_export_file (t, &opt, old, &err));
  g_assert_no_error (err);
  g_free (content);
  content = NULL;
  g_file_get_contents (old, &content, NULL, NULL);
  g_assert_cmpmem (content, 4, "\x89PNG", 4);
}

static void
test_title (void)
{
  g_autoptr (SimTrace) t = fx_small_trace ();
  g_autofree char *a = tl_export_title (t);
  g_assert_cmpstr (a, ==, "amlaviz timeline");
  t->source = g_strdup ("/data/runs/trace-b96.json");
  g_autofree char *b = tl_export_title (t);
  g_assert_cmpstr (b, ==, "trace-b96.json");
  t->other_data_json = g_strdup ("{\"config\":{\"batch\":8,\"kv_len\":1024,\"sq\":1,\"heads\":64,"
                                 "\"preload\":false,\"tiling\":true,\"rescale\":\"mul\","
                                 "\"hw\":\"ascend910b\"}}");
  g_autofree char *c = tl_export_title (t);
  g_assert_cmpstr (c, ==,
                   "B=8 S_kv=1024 S_q=1 H=64 · preload off · tiling on · rescale mul · ascend910b");
  g_free (t->other_data_json);
  t->other_data_json = g_strdup ("{\"config\":{\"model\":\"llama\",\"tp\":8}}");
  g_autofree char *d = tl_export_title (t);
  g_assert_cmpstr (d, ==, "model=llama · tp=8");
  g_free (t->other_data_json);
  t->other_data_json = g_strdup ("not json");
  g_autofree char *e = tl_export_title (t);
  g_assert_cmpstr (e, ==, "trace-b96.json");
}

typedef struct
{
  const guint8 *data;
  gsize len, pos;
} ByteReader;

static cairo_status_t
read_bytes (void *closure, unsigned char *data, unsigned int len)
{
  ByteReader *r = closure;
  if (r->len - r->pos < len)
    return CAIRO_STATUS_READ_ERROR;
  memcpy (data, r->data + r->pos, len);
  r->pos += len;
  return CAIRO_STATUS_SUCCESS;
}

/* The preview entry point draws the very pixels the PNG holds, and counts PDF pages. */
static void
test_draw_page (void)
{
  g_autoptr (SimTrace) t = fx_amla_like_trace (2, 4);
  TlExportOptions opt;
  tl_export_options_init (&opt);
  opt.metrics = TRUE;
  opt.width = 900;
  GError *err = NULL;
  g_autoptr (GBytes) png = tl_export_bytes (t, &opt, TL_EXPORT_PNG, &err);
  g_assert_no_error (err);
  ByteReader in = { g_bytes_get_data (png, &in.len), 0, 0 };
  in.len = g_bytes_get_size (png);
  cairo_surface_t *want = cairo_image_surface_create_from_png_stream (read_bytes, &in);
  g_assert_cmpint (cairo_surface_status (want), ==, CAIRO_STATUS_SUCCESS);

  double w = 0, h = 0;
  guint n = 0;
  g_assert_true (tl_export_draw_page (NULL, t, &opt, TL_EXPORT_PNG, 0, &w, &h, &n, &err));
  g_assert_cmpfloat (w, ==, 900);
  g_assert_cmpint ((int) h, ==, cairo_image_surface_get_height (want));
  g_assert_cmpuint (n, ==, 1);
  cairo_surface_t *got = cairo_image_surface_create (CAIRO_FORMAT_RGB24, (int) w, (int) h);
  cairo_t *cr = cairo_create (got);
  g_assert_true (tl_export_draw_page (cr, t, &opt, TL_EXPORT_PNG, 0, NULL, NULL, NULL, &err));
  cairo_destroy (cr);
  cairo_surface_flush (got);
  guint differ = 0;
  for (int y = 0; y < (int) h; y++)
    for (int x = 0; x < (int) w; x++)
      {
        double a[3], b[3];
        fx_pixel (want, x, y, a);
        fx_pixel (got, x, y, b);
        differ += !fx_color_near (a, b, 0.02);
      }
  g_test_message ("preview vs PNG: %u of %d pixels differ", differ, (int) (w * h));
  g_assert_cmpuint (differ, ==, 0);
  cairo_surface_destroy (want);
  cairo_surface_destroy (got);

  /* vector layout: the SVG's page size */
  g_assert_true (tl_export_draw_page (NULL, t, &opt, TL_EXPORT_SVG, 0, &w, &h, &n, &err));
  g_autoptr (GBytes) svg = tl_export_bytes (t, &opt, TL_EXPORT_SVG, &err);
  g_autofree char *head = g_strndup (g_bytes_get_data (svg, NULL), 400);
  g_autofree char *size = g_strdup_printf ("height=\"%.0f", h);
  g_assert_nonnull (strstr (head, size));

  /* PDF one page per group: two groups, two pages, a third is an error */
  opt.page_per_group = TRUE;
  g_assert_true (tl_export_draw_page (NULL, t, &opt, TL_EXPORT_PDF, 1, &w, &h, &n, &err));
  g_assert_cmpuint (n, ==, (guint) t->groups->len);
  g_assert_false (tl_export_draw_page (NULL, t, &opt, TL_EXPORT_PDF, n, &w, &h, &n, &err));
  g_assert_error (err, TL_EXPORT_ERROR, TL_EXPORT_ERROR_OPTIONS);
  g_clear_error (&err);
  /* bad options fail like the file would */
  opt.width = 10;
  g_assert_false (tl_export_draw_page (NULL, t, &opt, TL_EXPORT_PNG, 0, &w, &h, &n, &err));
  g_assert_error (err, TL_EXPORT_ERROR, TL_EXPORT_ERROR_OPTIONS);
  g_clear_error (&err);
}

static void
save_artifact (cairo_surface_t *s, const char *name)
{
  const char *dir = g_getenv ("AMLAVIZ_SCREENSHOT_DIR");
  g_autofree char *path = g_build_filename (dir ? dir : ".", name, NULL);
  cairo_surface_write_to_png (s, path);
  g_test_message ("image: %s", path);
}

/* A narrow page: the long "bound by" reason wraps inside the metrics box, the lane labels show
 * whole (the label column fits them) and at 200 px the legend takes two rows (it lost its fourth
 * stage off the edge) — nothing is drawn in the right margin. */
static void
test_narrow_page_fits (gconstpointer data)
{
  int width = GPOINTER_TO_INT (data);
  g_autoptr (SimTrace) t = fx_amla_like_trace (1, 4);
  /* a long reason, as the simulator writes them */
  g_free (t->other_data_json);
  t->other_data_json = g_strdup (
      "{\"generator\":\"amlaviz\",\"metrics\":{\"total_ns\":10000,\"tflops\":300,"
      "\"bound\":\"sync\",\"bound_reason\":\"no unit saturated (Cube 38%, Vector 23%, busiest "
      "data path AIC MTE2 (GM->L1) 34%): the Cube waits on the other core (cross-core flags) 7%, "
      "MTE2 (operands from GM) 7% (latency and serial dependencies)\"}}");
  SimGroup *g0 = g_ptr_array_index (t->groups, 0);
  SimLane *l0 = g_ptr_array_index (g0->lanes, 0);
  g_free (l0->name);
  l0->name = g_strdup ("MTE2 (GM to L1, 2 queues)");
  TlExportOptions opt;
  tl_export_options_init (&opt);
  opt.metrics = TRUE;
  opt.width = width;
  double w, h;
  g_assert_true (tl_export_draw_page (NULL, t, &opt, TL_EXPORT_PNG, 0, &w, &h, NULL, NULL));
  cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_RGB24, (int) w, (int) h);
  cairo_t *cr = cairo_create (s);
  g_assert_true (tl_export_draw_page (cr, t, &opt, TL_EXPORT_PNG, 0, NULL, NULL, NULL, NULL));
  cairo_destroy (cr);
  cairo_surface_flush (s);
  g_autofree char *artifact = g_strdup_printf ("export-narrow-%d.png", width);
  save_artifact (s, artifact);
  /* the right margin (the last 6 px) is plain background on every row */
  double bg[4], px[3];
  tl_theme_color (opt.theme, TL_COLOR_BACKGROUND, bg);
  guint ink = 0;
  for (int y = 0; y < (int) h; y++)
    for (int x = (int) w - 6; x < (int) w; x++)
      {
        fx_pixel (s, x, y, px);
        if (!fx_color_near (px, bg, 0.02))
          ink++;
      }
  g_assert_cmpuint (ink, ==, 0);
  if (width < 500)
    {
      cairo_surface_destroy (s);
      return;
    }
  /* the label column is wide enough for the long lane name */
  TlView v;
  tl_view_init (&v, t, w, h);
  v.font_size = 11;
  double need = tl_render_labels_width (&v, t);
  g_assert_cmpfloat (need, >, 150); /* wider than the old fixed column */
  cairo_surface_destroy (s);
}

/* A profiler trace 629.75 s into its clock: the exported ruler counts from its first event and
 * the label column states the offset (as the window does). */
static void
test_foreign_origin (void)
{
  g_autoptr (SimTrace) t = sim_trace_new ();
  SimGroup *g = sim_trace_add_group (t, "worker", 1, 0, SIM_CORE_GENERIC, -1);
  SimLane *l = sim_group_add_lane (g, "Thread 1", 1, 0, SIM_PIPE_NONE);
  for (int k = 0; k < 10; k++)
    {
      SimSpan sp = fx_span (t, 629750000000.0 + k * 100000, 50000, SIM_STAGE_NONE, "op", -1, -1);
      sim_lane_append (l, &sp);
    }
  sim_trace_finish (t);
  TlExportOptions opt;
  tl_export_options_init (&opt);
  g_autofree char *path = out_path ("foreign.svg");
  g_autoptr (GError) error = NULL;
  g_assert_true (tl_export_file (t, &opt, path, &error));
  g_autofree char *svg = NULL;
  g_assert_true (g_file_get_contents (path, &svg, NULL, NULL));
  g_assert_nonnull (strstr (svg, ">0 = 629.750000 s</text>"));
  g_assert_nonnull (strstr (svg, ">0 µs</text>"));
  g_assert_nonnull (strstr (svg, "0.0 µs – 950.0 µs"));
  g_assert_null (strstr (svg, "629750"));
}

/* A lane or span name with control characters still gives valid XML (they become U+FFFD), and
 * a page past cairo's coordinate range is refused with its size for SVG and PDF, as a too-big PNG
 * is, instead of aborting inside cairo. */
static void
test_svg_control_chars (void)
{
  g_autoptr (SimTrace) t = sim_trace_new ();
  SimGroup *g = sim_trace_add_group (t, "core\001zero", 1, 0, SIM_CORE_GENERIC, -1);
  SimLane *lane = sim_group_add_lane (g, "pipe\037\010bell", 1, 0, SIM_PIPE_NONE);
  SimSpan sp = fx_span (t, 0, 1000, SIM_STAGE_NONE, "op\002name", -1, -1);
  sim_lane_append (lane, &sp);
  sim_trace_finish (t);
  TlExportOptions opt;
  tl_export_options_init (&opt);
  g_autofree char *path = out_path ("control.svg");
  GError *err = NULL;
  g_assert_true (tl_export_file (t, &opt, path, &err));
  g_assert_no_error (err);
  g_autofree char *cmd = g_strdup_printf ("xmllint --noout '%s'", path);
  g_assert_true (run (cmd, NULL));
  g_autofree char *svg = NULL;
  g_assert_true (g_file_get_contents (path, &svg, NULL, NULL));
  g_assert_nonnull (strstr (svg, "core\xef\xbf\xbd" "zero"));
  g_assert_null (strstr (svg, "&#x1;"));
}

static void
test_vector_page_limit (void)
{
  /* counter tracks a trace may hold by the hundred thousand (each draws as a track of its own):
   * enough of them make a page taller than the 8388607 pt cairo can address */
  g_autoptr (SimTrace) t = fx_amla_like_trace (1, 2);
  for (int i = 0; i < 400000; i++)
    {
      char name[32];
      g_snprintf (name, sizeof name, "series %d", i);
      SimCounter *c = sim_trace_add_counter (t, name, "", -1);
      sim_counter_append (c, 0, i);
    }
  sim_trace_finish (t);
  for (int f = 0; f < 2; f++)
    {
      TlExportOptions opt;
      tl_export_options_init (&opt);
      g_autofree char *path = out_path (f == 0 ? "huge.svg" : "huge.pdf");
      g_autoptr (GError) err = NULL;
      g_assert_false (tl_export_file (t, &opt, path, &err));
      g_assert_error (err, TL_EXPORT_ERROR, TL_EXPORT_ERROR_TOO_LARGE);
      g_assert_nonnull (strstr (err->message, "larger than the 8388607 pt cairo can draw"));
      g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  tmpdir = g_dir_make_tmp ("render-export-XXXXXX", NULL);
  g_test_add_func ("/export/png", test_png);
  g_test_add_func ("/export/png-pixels", test_png_pixels);
  g_test_add_func ("/export/svg", test_svg);
  g_test_add_func ("/export/legend-only-stages-present", test_legend_only_stages_present);
  g_test_add_func ("/export/pdf", test_pdf);
  g_test_add_func ("/export/range-matches-view", test_range_matches_view);
  g_test_add_func ("/export/errors-keep-old-file", test_errors_keep_old_file);
  g_test_add_func ("/export/title", test_title);
  g_test_add_func ("/export/draw-page", test_draw_page);
  g_test_add_data_func ("/export/narrow-page-fits", GINT_TO_POINTER (500), test_narrow_page_fits);
  g_test_add_data_func ("/export/narrow-page-fits-200", GINT_TO_POINTER (200),
                        test_narrow_page_fits);
  g_test_add_func ("/export/foreign-origin", test_foreign_origin);
  g_test_add_func ("/export/svg-control-chars", test_svg_control_chars);
  g_test_add_func ("/export/vector-page-limit", test_vector_page_limit);
  int rc = g_test_run ();
  g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", tmpdir);
  g_spawn_command_line_sync (cmd, NULL, NULL, NULL, NULL);
  g_free (tmpdir);
  return rc;
}
