/* tests/render/test-text.c — the timeline's text through Pango: span labels in other scripts
 * render (in the window's drawing and in a PNG export), labels are ellipsized inside their span
 * or left out, and measuring and drawing agree on the label column's width.  The images go to
 * RENDER_KEEP (or AMLAVIZ_SCREENSHOT_DIR) when set, to look at. */
#include <glib/gstdio.h>
#include <pango/pangocairo.h>
#include <string.h>
#include "src/render/export.h"
#include "tests/render/fixtures.h"

static const char *const names[] = { "注意力", "Внимание", "mmad" };

/* One foreign group, one lane: the three names, 2000 ns each with 1000 ns between, and a
 * long-named span 300 ns wide (its label must be ellipsized). */
static SimTrace *
script_trace (void)
{
  SimTrace *t = sim_trace_new ();
  SimGroup *g = sim_trace_add_group (t, "trace", 1, 0, SIM_CORE_GENERIC, 0);
  SimLane *lane = sim_group_add_lane (g, "thread", 1, 0, SIM_PIPE_NONE);
  for (int i = 0; i < 3; i++)
    {
      SimSpan s = fx_span (t, i * 3000, 2000, SIM_STAGE_NONE, names[i], -1, -1);
      sim_lane_append (lane, &s);
    }
  SimSpan s = fx_span (t, 9000, 300, SIM_STAGE_NONE, "scaled_dot_product_attention", -1, -1);
  sim_lane_append (lane, &s);
  s = fx_span (t, 9600, 20, SIM_STAGE_NONE, "tiny", -1, -1);
  sim_lane_append (lane, &s);
  sim_trace_finish (t);
  return t;
}

static void
keep_png (cairo_surface_t *surf, const char *name)
{
  const char *dir = g_getenv ("RENDER_KEEP");
  if (dir == NULL || *dir == '\0')
    dir = g_getenv ("AMLAVIZ_SCREENSHOT_DIR");
  if (dir == NULL || *dir == '\0')
    return;
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_assert_cmpint (cairo_surface_write_to_png (surf, path), ==, CAIRO_STATUS_SUCCESS);
  g_test_message ("wrote %s", path);
}

/* Pixels of [x0, x1) x [y0, y1) that are not the fill colour (sampled at the left edge, before
 * the label's 3 px of air). */
static int
text_pixels (cairo_surface_t *surf, int x0, int x1, int y0, int y1)
{
  double fill[3], px[3];
  fx_pixel (surf, x0, (y0 + y1) / 2, fill);
  int n = 0;
  for (int y = y0; y < y1; y++)
    for (int x = x0; x < x1; x++)
      {
        fx_pixel (surf, x, y, px);
        n += !fx_color_near (px, fill, 0.2);
      }
  return n;
}

/* Does the default sans-serif (with its fallbacks) have glyphs for s? */
static int
unknown_glyphs (const char *s)
{
  PangoFontMap *map = pango_cairo_font_map_get_default ();
  PangoContext *ctx = pango_font_map_create_context (map);
  PangoLayout *layout = pango_layout_new (ctx);
  PangoFontDescription *fd = pango_font_description_from_string ("sans-serif 12px");
  pango_layout_set_font_description (layout, fd);
  pango_layout_set_text (layout, s, -1);
  int n = pango_layout_get_unknown_glyphs_count (layout);
  pango_font_description_free (fd);
  g_object_unref (layout);
  g_object_unref (ctx);
  return n;
}

static void
check_glyphs (void)
{
  /* DejaVu covers Cyrillic; CJK comes from fonts-droid-fallback, which scripts/deps.sh installs
   * with the app (without it Pango would draw hex boxes) */
  g_assert_cmpint (unknown_glyphs ("Внимание"), ==, 0);
  if (unknown_glyphs ("注意力") > 0)
    g_error ("no font with CJK glyphs installed: 注意力 would be drawn as hex boxes; "
             "scripts/deps.sh installs fonts-droid-fallback");
}

static void
test_scripts_in_view (void)
{
  g_autoptr (SimTrace) t = script_trace ();
  TlView v;
  fx_view (&v, t); /* 10 ns a pixel: the named spans are 200 px wide */
  v.lane_height_px = 24;
  cairo_surface_t *surf
      = cairo_image_surface_create (CAIRO_FORMAT_RGB24, (int) v.width_px, (int) v.height_px);
  cairo_t *cr = cairo_create (surf);
  tl_render_draw (cr, &v, t);
  g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
  cairo_destroy (cr);
  keep_png (surf, "text-scripts-view.png");
  /* three whole labels and the ellipsized one; "tiny" (2 px) has none */
  g_assert_cmpuint (tl_render_last_stats ()->texts, ==, 4);
  int y = (int) tl_render_lane_y (&v, t, 0, 0);
  for (int i = 0; i < 3; i++)
    {
      int x0 = (int) tl_time_to_x (&v.map, i * 3000) + 1;
      int n = text_pixels (surf, x0, x0 + 198, y + 3, y + (int) v.lane_height_px - 3);
      g_test_message ("%s: %d text pixels", names[i], n);
      g_assert_cmpint (n, >, 30);
    }
  /* the ellipsized label stays inside its 30 px span (3 px of air on either side) */
  int x0 = (int) tl_time_to_x (&v.map, 9000), x1 = (int) tl_time_to_x (&v.map, 9300);
  g_assert_cmpint (text_pixels (surf, x0 + 1, x1, y + 3, y + (int) v.lane_height_px - 3), >, 10);
  double bg[3], px[3];
  fx_pixel (surf, x1 + 20, y + 4, bg);
  for (int yy = y + 3; yy < y + (int) v.lane_height_px - 3; yy++)
    for (int x = x1 + 1; x < x1 + 20; x++)
      {
        fx_pixel (surf, x, yy, px);
        g_assert_true (fx_color_near (px, bg, 0.01));
      }
  check_glyphs ();
  cairo_surface_destroy (surf);
}

static void
test_scripts_in_png_export (void)
{
  g_autoptr (SimTrace) t = script_trace ();
  TlExportOptions opt;
  tl_export_options_init (&opt);
  opt.width = 1200;
  g_autofree char *dir = g_dir_make_tmp ("test-text-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "scripts.png", NULL);
  GError *err = NULL;
  g_assert_true (tl_export_file (t, &opt, path, &err));
  g_assert_no_error (err);
  cairo_surface_t *img = cairo_image_surface_create_from_png (path);
  g_assert_cmpint (cairo_surface_status (img), ==, CAIRO_STATUS_SUCCESS);
  keep_png (img, "text-scripts-export.png");
  TlView v;
  double ox, oy;
  g_assert_true (tl_export_view (t, &opt, TL_EXPORT_PNG, &v, &ox, &oy, &err));
  int y = (int) (oy + tl_render_lane_y (&v, t, 0, 0));
  for (int i = 0; i < 3; i++)
    {
      int x0 = (int) (ox + tl_time_to_x (&v.map, i * 3000)) + 1;
      int x1 = (int) (ox + tl_time_to_x (&v.map, i * 3000 + 2000)) - 1;
      int n = text_pixels (img, x0, x1, y + 3, y + (int) v.lane_height_px - 3);
      g_test_message ("%s: %d text pixels in the export", names[i], n);
      g_assert_cmpint (n, >, 30);
    }
  cairo_surface_destroy (img);
  g_unlink (path);
  g_rmdir (dir);
}

/* The label column is as wide as its widest label measures, and that label is drawn whole. */
static void
test_label_column_fits (void)
{
  g_autoptr (SimTrace) t = sim_trace_new ();
  SimGroup *g = sim_trace_add_group (t, "Внимание · 注意力 · attention", 1, 0, SIM_CORE_GENERIC, 0);
  SimLane *lane = sim_group_add_lane (g, "поток 1", 1, 0, SIM_PIPE_NONE);
  SimSpan s = fx_span (t, 0, 1000, SIM_STAGE_NONE, "x", -1, -1);
  sim_lane_append (lane, &s);
  sim_trace_finish (t);
  TlView v;
  fx_view (&v, t);
  double w = tl_render_labels_width (&v, t);
  g_assert_cmpfloat (w, >, 100);
  v.label_width_px = w;
  tl_view_fit (&v, t);
  cairo_surface_t *surf
      = cairo_image_surface_create (CAIRO_FORMAT_RGB24, (int) v.width_px, (int) v.height_px);
  cairo_t *cr = cairo_create (surf);
  tl_render_draw (cr, &v, t);
  cairo_destroy (cr);
  keep_png (surf, "text-label-column.png");
  /* the header's last letters ("…tion") reach the right part of the column: not ellipsized */
  int y = (int) v.ruler_height_px;
  int n = text_pixels (surf, (int) (w * 0.75), (int) w - 6, y + 2, y + (int) v.group_header_px - 2);
  g_assert_cmpint (n, >, 10);
  cairo_surface_destroy (surf);
}

/* More labels than the cache holds: panning over 6000 distinct names draws each frame as it was
 * drawn before the older labels were dropped. */
static void
test_many_labels (void)
{
  g_autoptr (SimTrace) t = sim_trace_new ();
  SimGroup *g = sim_trace_add_group (t, "trace", 1, 0, SIM_CORE_GENERIC, 0);
  SimLane *lane = sim_group_add_lane (g, "thread", 1, 0, SIM_PIPE_NONE);
  for (int i = 0; i < 6000; i++)
    {
      char name[32];
      g_snprintf (name, sizeof name, "span %d", i);
      SimSpan s = fx_span (t, i * 1000.0, 900, SIM_STAGE_NONE, name, -1, -1);
      sim_lane_append (lane, &s);
    }
  sim_trace_finish (t);
  TlView v;
  fx_view (&v, t); /* 10 spans of 90 px a frame */
  cairo_surface_t *first
      = NULL,
      *surf = cairo_image_surface_create (CAIRO_FORMAT_RGB24, (int) v.width_px, (int) v.height_px);
  for (int f = 0; f <= 600; f++)
    {
      v.map.t0_ns = (f % 600) * 10000.0;
      v.map.t1_ns = v.map.t0_ns + 10000;
      cairo_t *cr = cairo_create (surf);
      tl_render_draw (cr, &v, t);
      cairo_destroy (cr);
      g_assert_cmpuint (tl_render_last_stats ()->texts, ==, 10);
      if (f == 0)
        {
          first = cairo_image_surface_create (CAIRO_FORMAT_RGB24, (int) v.width_px,
                                              (int) v.height_px);
          cairo_t *copy = cairo_create (first);
          cairo_set_source_surface (copy, surf, 0, 0);
          cairo_paint (copy);
          cairo_destroy (copy);
        }
    }
  cairo_surface_flush (surf);
  cairo_surface_flush (first);
  g_assert_cmpint (memcmp (cairo_image_surface_get_data (surf),
                           cairo_image_surface_get_data (first),
                           (size_t) cairo_image_surface_get_stride (surf) * (size_t) v.height_px),
                   ==, 0);
  cairo_surface_destroy (first);
  cairo_surface_destroy (surf);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/text/scripts-in-view", test_scripts_in_view);
  g_test_add_func ("/text/scripts-in-png-export", test_scripts_in_png_export);
  g_test_add_func ("/text/label-column-fits", test_label_column_fits);
  g_test_add_func ("/text/many-labels", test_many_labels);
  return g_test_run ();
}
