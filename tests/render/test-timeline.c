/* tests/render/test-timeline.c — draw hand-made traces to image surfaces and probe pixels;
 * the level-of-detail bound; hit testing. */
#include <string.h>
#include "src/render/render-private.h"
#include "tests/render/fixtures.h"

typedef struct
{
  SimTrace *trace;
  TlView view;
  cairo_surface_t *surf;
} Fixture;

static void
draw (Fixture *fx)
{
  if (fx->surf == NULL)
    fx->surf = cairo_image_surface_create (CAIRO_FORMAT_RGB24, (int) fx->view.width_px,
                                           (int) fx->view.height_px);
  cairo_t *cr = cairo_create (fx->surf);
  tl_render_draw (cr, &fx->view, fx->trace);
  g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
  cairo_destroy (cr);
}

static void
fixture_setup (Fixture *fx, gconstpointer data)
{
  fx->trace = fx_small_trace ();
  fx_view (&fx->view, fx->trace);
  fx->surf = NULL;
}

static void
fixture_teardown (Fixture *fx, gconstpointer data)
{
  if (fx->surf)
    cairo_surface_destroy (fx->surf);
  sim_trace_free (fx->trace);
}

/* y in the upper part of a lane's span band, above any label glyphs */
static int
lane_probe_y (Fixture *fx, int group, int lane)
{
  double y = tl_render_lane_y (&fx->view, fx->trace, group, lane);
  g_assert_cmpfloat (y, >=, 0);
  return (int) y + 4;
}

static void
test_layout (Fixture *fx, gconstpointer data)
{
  TlView *v = &fx->view;
  /* ruler, AIC0 header, MTE2, CUBE, AIV0 header, VECTOR */
  double y_mte2 = tl_render_lane_y (v, fx->trace, 0, 0);
  double y_cube = tl_render_lane_y (v, fx->trace, 0, 1);
  double y_vec = tl_render_lane_y (v, fx->trace, 1, 0);
  g_assert_cmpfloat (y_mte2, ==, v->ruler_height_px + v->group_header_px);
  g_assert_cmpfloat (y_cube, ==, y_mte2 + v->lane_height_px);
  g_assert_cmpfloat (y_vec, ==, y_cube + v->lane_height_px + v->group_header_px);
  g_assert_cmpfloat (tl_render_content_height (v, fx->trace), ==, y_vec + v->lane_height_px);
  int g = -1, l = -1;
  g_assert_true (tl_render_lane_at (v, fx->trace, y_cube + 1, &g, &l));
  g_assert_cmpint (g, ==, 0);
  g_assert_cmpint (l, ==, 1);
  g_assert_false (tl_render_lane_at (v, fx->trace, y_mte2 - 1, &g, &l)); /* header */
  g_assert_false (tl_render_lane_at (v, fx->trace, 5, &g, &l));          /* ruler */
  /* collapsing AIC0 removes its lanes and moves AIV0 up */
  guint8 collapsed[2] = { 1, 0 };
  v->group_collapsed = collapsed;
  g_assert_cmpfloat (tl_render_lane_y (v, fx->trace, 0, 1), ==, -1);
  g_assert_cmpfloat (tl_render_lane_y (v, fx->trace, 1, 0), ==,
                     v->ruler_height_px + 2 * v->group_header_px);
  guint8 hidden[2] = { 0, 1 };
  v->group_collapsed = NULL;
  v->group_hidden = hidden;
  g_assert_cmpfloat (tl_render_lane_y (v, fx->trace, 1, 0), ==, -1);
  v->scroll_y_px = 10;
  g_assert_cmpfloat (tl_render_lane_y (v, fx->trace, 0, 0), ==, y_mte2 - 10);
}

static void
test_span_pixels (Fixture *fx, gconstpointer data)
{
  draw (fx);
  double got[3], want[3], bg[4], alt[4];
  tl_theme_color (TL_THEME_LIGHT, TL_COLOR_BACKGROUND, bg);
  tl_theme_color (TL_THEME_LIGHT, TL_COLOR_LANE_ALT, alt);
  int y_cube = lane_probe_y (fx, 0, 1);
  /* C1 at 0..1000 ns = x 150..250: its colour in the middle */
  fx_pixel (fx->surf, (int) tl_time_to_x (&fx->view.map, 700), y_cube, got);
  tl_stage_color (SIM_STAGE_C1, TL_THEME_LIGHT, want);
  fx_assert_color (got, want);
  /* C2 at 2000..3000 */
  fx_pixel (fx->surf, (int) tl_time_to_x (&fx->view.map, 2700), y_cube, got);
  tl_stage_color (SIM_STAGE_C2, TL_THEME_LIGHT, want);
  fx_assert_color (got, want);
  /* nothing on CUBE at 1500: lane background (CUBE is the 2nd lane: alternate shade) */
  fx_pixel (fx->surf, (int) tl_time_to_x (&fx->view.map, 1500), y_cube, got);
  fx_assert_color (got, alt);
  /* V1 on the vector lane */
  int y_vec = lane_probe_y (fx, 1, 0);
  fx_pixel (fx->surf, (int) tl_time_to_x (&fx->view.map, 1700), y_vec, got);
  tl_stage_color (SIM_STAGE_V1, TL_THEME_LIGHT, want);
  fx_assert_color (got, want);
  /* label column: the lane name is drawn there (some dark pixels in the row) */
  int dark = 0;
  double y_lane = tl_render_lane_y (&fx->view, fx->trace, 0, 1);
  for (int x = 0; x < 150; x++)
    for (int y = (int) y_lane; y < (int) y_lane + 18; y++)
      {
        fx_pixel (fx->surf, x, y, got);
        if (got[0] + got[1] + got[2] < 1.2)
          dark++;
      }
  g_assert_cmpint (dark, >, 20);
}

static void
test_subpixel_span_visible (Fixture *fx, gconstpointer data)
{
  draw (fx);
  /* MTE2 "load" at 5000 ns lasting 1 ns = 0.1 px: still one full pixel at x = 650 */
  int y = lane_probe_y (fx, 0, 0);
  double got[3], want[3], bg[4];
  tl_stage_color (SIM_STAGE_C1, TL_THEME_LIGHT, want);
  tl_theme_color (TL_THEME_LIGHT, TL_COLOR_BACKGROUND, bg);
  fx_pixel (fx->surf, 650, y, got);
  fx_assert_color (got, want);
  fx_pixel (fx->surf, 652, y, got);
  fx_assert_color (got, bg);
  fx_pixel (fx->surf, 648, y, got);
  fx_assert_color (got, bg);
}

static void
test_highlight_dims_others (Fixture *fx, gconstpointer data)
{
  fx->view.hl_stage = SIM_STAGE_C2;
  fx->view.hl_task = 0;
  fx->view.hl_iter = 0;
  draw (fx);
  int y = lane_probe_y (fx, 0, 1);
  double got[3], c1[3], c2[3];
  tl_stage_color (SIM_STAGE_C1, TL_THEME_LIGHT, c1);
  tl_stage_color (SIM_STAGE_C2, TL_THEME_LIGHT, c2);
  /* C2 keeps its colour (inside its outline) */
  fx_pixel (fx->surf, (int) tl_time_to_x (&fx->view.map, 2500), y + 2, got);
  fx_assert_color (got, c2);
  /* C1 is dimmed: lighter than its colour, not equal */
  fx_pixel (fx->surf, (int) tl_time_to_x (&fx->view.map, 700), y, got);
  g_assert_false (fx_color_near (got, c1, 0.05));
  g_assert_cmpfloat (got[0] + got[1] + got[2], >, c1[0] + c1[1] + c1[2] + 0.5);
}

static void
test_dark_theme (Fixture *fx, gconstpointer data)
{
  fx->view.theme = TL_THEME_DARK;
  draw (fx);
  double got[3], bg[4], want[3];
  tl_theme_color (TL_THEME_DARK, TL_COLOR_BACKGROUND, bg);
  fx_pixel (fx->surf, 652, lane_probe_y (fx, 0, 0), got);
  fx_assert_color (got, bg);
  tl_stage_color (SIM_STAGE_C1, TL_THEME_DARK, want);
  fx_pixel (fx->surf, (int) tl_time_to_x (&fx->view.map, 700), lane_probe_y (fx, 0, 1), got);
  fx_assert_color (got, want);
}

static void
test_range_and_selection (Fixture *fx, gconstpointer data)
{
  int y = lane_probe_y (fx, 0, 0);
  double before[3], after[3];
  draw (fx);
  fx_pixel (fx->surf, 900, y, before);
  fx->view.range_t0_ns = 7000;
  fx->view.range_t1_ns = 8000;
  fx->view.sel_group = 0;
  fx->view.sel_lane = 1;
  fx->view.sel_span = 0;
  draw (fx);
  fx_pixel (fx->surf, 900, y, after); /* x 900 = 7500 ns: inside the range, tinted */
  g_assert_false (fx_color_near (before, after, 0.01));
  /* selection outline of C1 [150, 250) on the CUBE lane: dark edge at x = 150 */
  double got[3];
  fx_pixel (fx->surf, 150, lane_probe_y (fx, 0, 1) + 4, got);
  g_assert_cmpfloat (got[0] + got[1] + got[2], <, 0.6);
}

static void
test_hit (Fixture *fx, gconstpointer data)
{
  TlView *v = &fx->view;
  int g, l;
  gsize s;
  double y_cube = tl_render_lane_y (v, fx->trace, 0, 1) + 5;
  g_assert_true (tl_render_hit (v, fx->trace, tl_time_to_x (&v->map, 2500), y_cube, &g, &l, &s));
  g_assert_cmpint (g, ==, 0);
  g_assert_cmpint (l, ==, 1);
  g_assert_cmpuint (s, ==, 1);
  g_assert_false (tl_render_hit (v, fx->trace, tl_time_to_x (&v->map, 1500), y_cube, &g, &l, &s));
  /* the 0.1 px span is hit where it is drawn */
  double y_mte2 = tl_render_lane_y (v, fx->trace, 0, 0) + 5;
  g_assert_true (tl_render_hit (v, fx->trace, 650.5, y_mte2, &g, &l, &s));
  g_assert_cmpint (l, ==, 0);
  g_assert_cmpuint (s, ==, 0);
  g_assert_false (tl_render_hit (v, fx->trace, 100, y_mte2, &g, &l, &s)); /* label column */
}

/* 100,000 spans of 0.5 ns every 1 ns (alternating stages so nothing merges by colour) over
 * 1000 px: 100 spans per pixel.  The LOD must draw about one rectangle per pixel column. */
static void
test_lod_bounded (void)
{
  SimTrace *t = sim_trace_new ();
  SimGroup *g = sim_trace_add_group (t, "AIC0", 1, 0, SIM_CORE_AIC, 0);
  SimLane *lane = sim_group_add_lane (g, "MTE1", 1, 0, SIM_PIPE_MTE1);
  for (int i = 0; i < 100000; i++)
    {
      SimSpan s = fx_span (t, i, 0.5, (i / 7) % 2 ? SIM_STAGE_C1 : SIM_STAGE_C2, "ld", i, 0);
      sim_lane_append (lane, &s);
    }
  sim_trace_finish (t);
  TlView v;
  tl_view_init (&v, t, 1150, 100);
  v.show_legend = FALSE;
  tl_view_fit (&v, t);
  g_assert_cmpfloat (v.map.width_px, ==, 1000);
  cairo_surface_t *surf = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 1150, 100);
  cairo_t *cr = cairo_create (surf);
  tl_render_draw (cr, &v, t);
  const TlRenderStats *st = tl_render_last_stats ();
  g_test_message ("rects %" G_GUINT64_FORMAT " visited %" G_GUINT64_FORMAT " fills %"
                  G_GUINT64_FORMAT, st->rects, st->spans_visited, st->fills);
  g_assert_cmpuint (st->rects, <=, 1001);
  g_assert_cmpuint (st->rects, >=, 1);
  g_assert_cmpuint (st->spans_visited, <, 100000);
  g_assert_cmpuint (st->fills, <=, 2);
  /* and the lane is painted across the whole plot: no column left empty */
  double bg[4], got[3];
  tl_theme_color (TL_THEME_LIGHT, TL_COLOR_BACKGROUND, bg);
  int y = (int) tl_render_lane_y (&v, t, 0, 0) + 5;
  for (int x = 150; x < 1149; x++)
    {
      fx_pixel (surf, x, y, got);
      if (fx_color_near (got, bg, 0.01))
        g_error ("column %d empty", x);
    }
  /* zoomed in to 100 ns the same lane draws each span */
  v.map.t0_ns = 50000;
  v.map.t1_ns = 50100;
  tl_render_draw (cr, &v, t);
  g_assert_cmpuint (tl_render_last_stats ()->rects, >=, 99);
  g_assert_cmpuint (tl_render_last_stats ()->rects, <=, 102);
  cairo_destroy (cr);
  cairo_surface_destroy (surf);
  sim_trace_free (t);
}

/* Flag arrows between two cores, many and crossing (a PyTorch trace's CPU-op -> kernel flows):
 * one stroke of them all made cairo find every crossing (20,000 flows took 68 s to export, and
 * the window froze).  Now each is its own stroke, arrows on the same pixels are drawn once, and
 * past TL_FLOW_CURVES_MAX a window frame draws an even sample of them. */
static void
test_flows_bounded (void)
{
  SimTrace *t = sim_trace_new ();
  SimGroup *cpu = sim_trace_add_group (t, "python", 1, 0, SIM_CORE_GENERIC, -1);
  SimLane *thr = sim_group_add_lane (cpu, "thread", 1, 0, SIM_PIPE_NONE);
  SimGroup *npu = sim_trace_add_group (t, "npu", 2, 1, SIM_CORE_GENERIC, -1);
  SimLane *str = sim_group_add_lane (npu, "stream", 1, 0, SIM_PIPE_NONE);
  g_autoptr (GRand) r = g_rand_new_with_seed (7);
  guint32 name = sim_trace_intern (t, "ac2g");
  for (int i = 0; i < 200000; i++)
    {
      double a = g_rand_double_range (r, 0, 1e6), b = a + g_rand_double_range (r, 0, 2e5);
      SimSpan s = fx_span (t, a, 10, SIM_STAGE_NONE, "op", -1, -1);
      sim_lane_append (thr, &s);
      s = fx_span (t, b, 10, SIM_STAGE_NONE, "kernel", -1, -1);
      sim_lane_append (str, &s);
      SimFlow f = { .name = name,
                    .src_group = 0,
                    .src_lane = 0,
                    .dst_group = 1,
                    .dst_lane = 0,
                    .src_ns = a,
                    .dst_ns = b };
      g_array_append_val (t->flows, f);
    }
  sim_trace_finish (t);
  TlView v;
  tl_view_init (&v, t, 1150, 300);
  v.show_legend = FALSE;
  v.show_flows = TRUE;
  tl_view_fit (&v, t);
  cairo_surface_t *surf = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 1150, 300);
  cairo_t *cr = cairo_create (surf);
  gint64 t0 = g_get_monotonic_time ();
  tl_render_draw (cr, &v, t);
  g_test_message ("200,000 flows: %" G_GUINT64_FORMAT " curves, %.0f ms",
                  tl_render_last_stats ()->flow_curves, (g_get_monotonic_time () - t0) / 1e3);
  g_assert_cmpuint (tl_render_last_stats ()->flow_curves, <=, TL_FLOW_CURVES_MAX);
  g_assert_cmpuint (tl_render_last_stats ()->flow_curves, >=, TL_FLOW_CURVES_MAX / 8);
  /* the sample is spread over the whole plot: every column has some pixel an arrow drew (the
   * frame against one without arrows) */
  cairo_surface_t *plain = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 1150, 300);
  cairo_t *cr2 = cairo_create (plain);
  v.show_flows = FALSE;
  tl_render_draw (cr2, &v, t);
  v.show_flows = TRUE;
  cairo_destroy (cr2);
  int bare = 0;
  for (int x = (int) v.map.x0_px + 40; x < 1110; x++)
    {
      gboolean drawn = FALSE;
      for (int y = (int) v.ruler_height_px; y < 300 && !drawn; y++)
        {
          double a[3], b[3];
          fx_pixel (surf, x, y, a);
          fx_pixel (plain, x, y, b);
          drawn = !fx_color_near (a, b, 0.01);
        }
      bare += !drawn;
    }
  cairo_surface_destroy (plain);
  g_assert_cmpint (bare, ==, 0);
  /* a page with more room draws more: one arrow per TL_FLOW_PX_PER_CURVE of plot (3,000 on
   * distinct pixels: all of them on a page five times the bound's area, 1,000 at most here) */
  g_array_set_size (t->flows, 3000);
  tl_render_draw (cr, &v, t);
  g_assert_cmpuint (tl_render_last_stats ()->flow_curves, <=, TL_FLOW_CURVES_MAX);
  TlView tall = v;
  tall.height_px
      = tall.ruler_height_px + 5 * TL_FLOW_CURVES_MAX * TL_FLOW_PX_PER_CURVE / tall.map.width_px;
  cairo_surface_t *big
      = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 1150, (int) tall.height_px);
  cairo_t *crb = cairo_create (big);
  tl_render_draw (crb, &tall, t);
  g_test_message ("3,000 flows on a tall page: %" G_GUINT64_FORMAT " curves",
                  tl_render_last_stats ()->flow_curves);
  g_assert_cmpuint (tl_render_last_stats ()->flow_curves, >, 2900);
  g_assert_cmpuint (tl_render_last_stats ()->flow_curves, <=, 3000);
  cairo_destroy (crb);
  cairo_surface_destroy (big);
  /* zoomed in to a few flows, every one is drawn */
  g_array_set_size (t->flows, 0);
  for (int i = 0; i < 10; i++)
    {
      SimFlow f = { .name = name,
                    .src_group = 0,
                    .src_lane = 0,
                    .dst_group = 1,
                    .dst_lane = 0,
                    .src_ns = i * 1e5,
                    .dst_ns = i * 1e5 + 5e4 };
      g_array_append_val (t->flows, f);
      g_array_append_val (t->flows, f); /* the same arrow twice: drawn once */
    }
  tl_render_draw (cr, &v, t);
  g_assert_cmpuint (tl_render_last_stats ()->flow_curves, ==, 10);
  cairo_destroy (cr);
  cairo_surface_destroy (surf);
  sim_trace_free (t);
}

/* A generic lane with nested spans: the lane grows by a row per depth level and each level is
 * drawn in its row, coloured by a hash of the name. */
static void
test_nested (void)
{
  SimTrace *t = sim_trace_new ();
  SimGroup *g = sim_trace_add_group (t, "python", 7, 0, SIM_CORE_GENERIC, -1);
  SimLane *lane = sim_group_add_lane (g, "main", 1, 0, SIM_PIPE_NONE);
  SimSpan s = fx_span (t, 0, 8000, SIM_STAGE_NONE, "outer", -1, -1);
  sim_lane_append (lane, &s);
  s = fx_span (t, 1000, 2000, SIM_STAGE_NONE, "inner", -1, -1);
  s.depth = 1;
  sim_lane_append (lane, &s);
  s = fx_span (t, 9999, 1, SIM_STAGE_NONE, "x", -1, -1);
  sim_lane_append (lane, &s);
  sim_trace_finish (t);
  TlView v;
  fx_view (&v, t);
  cairo_surface_t *surf = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 1150, 300);
  cairo_t *cr = cairo_create (surf);
  tl_render_draw (cr, &v, t);
  double y0 = tl_render_lane_y (&v, t, 0, 0);
  g_assert_cmpfloat (tl_render_content_height (&v, t), ==, y0 + 2 * v.lane_height_px);
  double got[3], outer[3], inner[3], bg[4];
  tl_span_color (&lane->spans[0], t, TL_THEME_LIGHT, outer);
  tl_span_color (&lane->spans[1], t, TL_THEME_LIGHT, inner);
  tl_theme_color (TL_THEME_LIGHT, TL_COLOR_BACKGROUND, bg);
  fx_pixel (surf, (int) tl_time_to_x (&v.map, 6050), (int) y0 + 4, got);
  fx_assert_color (got, outer);
  fx_pixel (surf, (int) tl_time_to_x (&v.map, 2800), (int) (y0 + v.lane_height_px + 4), got);
  fx_assert_color (got, inner);
  fx_pixel (surf, (int) tl_time_to_x (&v.map, 6050), (int) (y0 + v.lane_height_px + 4), got);
  fx_assert_color (got, bg);
  int gi, li;
  gsize si;
  g_assert_true (tl_render_hit (&v, t, tl_time_to_x (&v.map, 2800), y0 + v.lane_height_px + 4,
                                &gi, &li, &si));
  g_assert_cmpuint (si, ==, 1);
  g_assert_true (tl_render_hit (&v, t, tl_time_to_x (&v.map, 2800), y0 + 4, &gi, &li, &si));
  g_assert_cmpuint (si, ==, 0);
  /* the name colour is stable: same name, same colour, from the text not the id */
  SimTrace *t2 = sim_trace_new ();
  sim_trace_intern (t2, "zzz");
  SimSpan s2 = fx_span (t2, 0, 1, SIM_STAGE_NONE, "inner", -1, -1);
  double again[3];
  tl_span_color (&s2, t2, TL_THEME_LIGHT, again);
  fx_assert_color (again, inner);
  sim_trace_free (t2);
  cairo_destroy (cr);
  cairo_surface_destroy (surf);
  sim_trace_free (t);
}

/* A counter track draws a step chart whose height follows the value. */
static void
test_counter (void)
{
  SimTrace *t = fx_small_trace ();
  SimCounter *c = sim_trace_add_counter (t, "L1 occupancy", "bytes", 0);
  sim_counter_append (c, 0, 0);
  sim_counter_append (c, 4000, 1000);
  sim_counter_append (c, 6000, 0);
  sim_counter_append (c, 10000, 0);
  TlView v;
  fx_view (&v, t);
  cairo_surface_t *surf = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 1150, 300);
  cairo_t *cr = cairo_create (surf);
  tl_render_draw (cr, &v, t);
  /* counter row follows CUBE inside AIC0 */
  double y_row = tl_render_lane_y (&v, t, 0, 1) + v.lane_height_px;
  double bg[4], got[3];
  tl_theme_color (TL_THEME_LIGHT, TL_COLOR_BACKGROUND, bg);
  int ymid = (int) (y_row + v.lane_height_px * 0.9);
  fx_pixel (surf, (int) tl_time_to_x (&v.map, 5000), ymid, got);
  g_assert_false (fx_color_near (got, bg, 0.02)); /* filled at the peak */
  fx_pixel (surf, (int) tl_time_to_x (&v.map, 2050), ymid, got);
  fx_assert_color (got, bg); /* zero before it */
  cairo_destroy (cr);
  cairo_surface_destroy (surf);
  sim_trace_free (t);
}

/* Negative values are drawn below a zero line, as Perfetto draws them; they were not drawn at all
 * (an all-negative track was empty, "observed peak 0"), found by a review as a user. */
static void
test_counter_negative (void)
{
  SimTrace *t = fx_small_trace ();
  SimCounter *c = sim_trace_add_counter (t, "delta", "v", 0);
  sim_counter_append (c, 0, 10);
  sim_counter_append (c, 3000, -10);
  sim_counter_append (c, 6000, 0);
  g_assert_cmpfloat (c->min_value, ==, -10);
  g_assert_cmpfloat (c->max_value, ==, 10);
  SimCounter *neg = sim_trace_add_counter (t, "temp", "v", 1);
  sim_counter_append (neg, 0, -40);
  sim_counter_append (neg, 5000, -20);
  g_assert_cmpfloat (neg->min_value, ==, -40);
  g_assert_cmpfloat (neg->max_value, ==, -20);
  TlView v;
  fx_view (&v, t);
  cairo_surface_t *surf = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 1150, 300);
  cairo_t *cr = cairo_create (surf);
  tl_render_draw (cr, &v, t);
  /* each counter's row: where tl_render_counter_at finds it */
  for (int k = 0; k < 2; k++)
    {
      int y0 = -1, y1 = -1;
      for (int y = 0; y < 300; y++)
        {
          int at = -1;
          if (tl_render_counter_at (&v, t, y, &at) && at == k)
            {
              if (y0 < 0)
                y0 = y;
              y1 = y + 1;
            }
        }
      g_assert_cmpint (y0, >=, 0);
      double base = y1 - 2, top = y0 + 3;
      double bg[3], got[3];
      fx_pixel (surf, 1140, (y0 + y1) / 2, bg); /* right of the plot: the row's background */
      if (k == 0)
        {
          /* range -10..10: the zero line in the middle */
          int zero = (int) (base - (base - top) * 0.5);
          fx_pixel (surf, (int) tl_time_to_x (&v.map, 1500), zero - 3, got);
          g_assert_false (fx_color_near (got, bg, 0.02)); /* +10: above the line */
          fx_pixel (surf, (int) tl_time_to_x (&v.map, 1500), zero + 3, got);
          g_assert_true (fx_color_near (got, bg, 0.02));
          fx_pixel (surf, (int) tl_time_to_x (&v.map, 4500), zero + 3, got);
          g_assert_false (fx_color_near (got, bg, 0.02)); /* -10: below it */
          fx_pixel (surf, (int) tl_time_to_x (&v.map, 4500), zero - 3, got);
          g_assert_true (fx_color_near (got, bg, 0.02));
          fx_pixel (surf, (int) tl_time_to_x (&v.map, 8500), zero + 3, got);
          g_assert_true (fx_color_near (got, bg, 0.02)); /* 0 */
        }
      else
        {
          /* range -40..0: the zero line at the top, -40 reaching the bottom, -20 half way */
          double filled[3], empty[3];
          fx_pixel (surf, (int) tl_time_to_x (&v.map, 2500), (int) base - 2, filled);
          fx_pixel (surf, (int) tl_time_to_x (&v.map, 7500), (int) base - 2, empty);
          g_assert_false (fx_color_near (filled, empty, 0.02));
          fx_pixel (surf, (int) tl_time_to_x (&v.map, 7500), (int) (top + (base - top) * 0.25),
                    got);
          g_assert_true (fx_color_near (got, filled, 0.02));
          fx_pixel (surf, 1140, (int) (top + (base - top) * 0.75), got);
          g_assert_true (fx_color_near (got, empty, 0.02)); /* -20 to the end */
        }
    }
  cairo_destroy (cr);
  cairo_surface_destroy (surf);
  sim_trace_free (t);
}

/* The last sample holds its value to the end of the trace, as in Perfetto: a foreign counter that
 * ends on a non-zero value keeps its tail (it was drawn one pixel wide). */
static void
test_counter_last_sample_holds (void)
{
  SimTrace *t = fx_small_trace ();
  SimCounter *c = sim_trace_add_counter (t, "L1 occupancy", "bytes", 0);
  sim_counter_append (c, 0, 0);
  sim_counter_append (c, 3000, 500);
  sim_counter_append (c, 6000, 1000); /* the last sample, 4000 ns before the trace's end */
  TlView v;
  fx_view (&v, t);
  cairo_surface_t *surf = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 1150, 300);
  cairo_t *cr = cairo_create (surf);
  tl_render_draw (cr, &v, t);
  double y_row = tl_render_lane_y (&v, t, 0, 1) + v.lane_height_px;
  double empty[3], filled[3], got[3];
  int ymid = (int) (y_row + v.lane_height_px * 0.9);
  fx_pixel (surf, (int) tl_time_to_x (&v.map, 1350), ymid, empty); /* value 0 */
  fx_pixel (surf, (int) tl_time_to_x (&v.map, 4350), ymid, filled);
  g_assert_false (fx_color_near (filled, empty, 0.02)); /* a sample followed by another */
  fx_pixel (surf, (int) tl_time_to_x (&v.map, 8650), ymid, got); /* off the grid lines */
  g_assert_false (fx_color_near (got, empty, 0.02)); /* the last one, held to the end */
  cairo_destroy (cr);
  cairo_surface_destroy (surf);
  sim_trace_free (t);
}

/* Ruler labels never run together: deep in a long trace ("29000000400 ns") a label is wider
 * than the usual 60 px between ticks, so the ticks spread until the widest fits before the next. */
static void
test_ruler_labels_fit (void)
{
  SimTrace *t = fx_small_trace ();
  TlView v;
  fx_view (&v, t);
  cairo_surface_t *surf = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 1150, 300);
  cairo_t *cr = cairo_create (surf);
  /* a short run, then windows of 100 ns to 81 ms, 29 s and 1000 s into a trace */
  static const double stretch[] = { 1, 1.37, 2.2, 3.7, 5.5, 8.1 };
  double windows[1 + 2 * 6 * G_N_ELEMENTS (stretch)][2] = { { 0, 10000 } };
  gsize n_windows = 1;
  for (int deep = 0; deep < 2; deep++)
    for (double width = 100; width <= 1e7; width *= 10)
      for (gsize k = 0; k < G_N_ELEMENTS (stretch); k++)
        {
          double t0 = deep ? 1e12 + 123.4 : 29000000400.0;
          windows[n_windows][0] = t0;
          windows[n_windows++][1] = t0 + width * stretch[k];
        }
  for (gsize w = 0; w < n_windows; w++)
    {
      v.map.t0_ns = windows[w][0];
      v.map.t1_ns = windows[w][1];
      TlTicks ticks;
      tl_render_ruler_ticks (cr, &v, &ticks);
      g_assert_cmpint (ticks.n, >=, 2);
      for (int i = 0; i + 1 < ticks.n; i++)
        {
          char buf[64];
          tl_ticks_format (&ticks, ticks.t_ns[i] - v.time_origin_ns, buf, sizeof buf);
          double gap
              = tl_time_to_x (&v.map, ticks.t_ns[i + 1]) - tl_time_to_x (&v.map, ticks.t_ns[i]);
          g_assert_cmpfloat (gap, >=, 3 + _tl_text_width (cr, buf, v.font_size, FALSE));
        }
      if (w == 0) /* a short run keeps its 1 µs ticks (the images did not change) */
        g_assert_cmpfloat (ticks.step_ns, ==, 1000);
    }
  cairo_destroy (cr);
  cairo_surface_destroy (surf);
  sim_trace_free (t);
}

/* Draw v into a new RGB24 image: directly (flat lanes go through pixel rows) or through a
 * recording surface replayed at 1:1 (a vector target: the LOD's rectangles). */
static cairo_surface_t *
draw_image (const TlView *v, const SimTrace *t, gboolean through_recording)
{
  cairo_surface_t *img
      = cairo_image_surface_create (CAIRO_FORMAT_RGB24, (int) v->width_px, (int) v->height_px);
  cairo_t *cr = cairo_create (img);
  if (!through_recording)
    tl_render_draw (cr, v, t);
  else
    {
      cairo_rectangle_t ext = { 0, 0, v->width_px, v->height_px };
      cairo_surface_t *rec = cairo_recording_surface_create (CAIRO_CONTENT_COLOR_ALPHA, &ext);
      cairo_t *rcr = cairo_create (rec);
      tl_render_draw (rcr, v, t);
      cairo_destroy (rcr);
      cairo_set_source_surface (cr, rec, 0, 0);
      cairo_paint (cr);
      cairo_surface_destroy (rec);
    }
  cairo_destroy (cr);
  cairo_surface_flush (img);
  return img;
}

/* The one-fill-per-lane path must give the pixels the per-colour rectangles give: many
 * sub-pixel and wide spans of every stage, some overlapping at the 1 px minimum, with a
 * highlight, a fractional scroll and lane height, in both themes. */
static void
test_lane_rows_match_rectangles (void)
{
  SimTrace *t = sim_trace_new ();
  GRand *rng = g_rand_new_with_seed (17);
  for (int c = 0; c < 6; c++)
    {
      g_autofree char *name = g_strdup_printf ("AIC%d", c);
      SimGroup *g = sim_trace_add_group (t, name, c + 1, c, SIM_CORE_AIC, c);
      for (int p = 0; p < 3; p++)
        {
          SimLane *lane = sim_group_add_lane (g, sim_pipe_name (p), p, p, p);
          double at = 0;
          for (int i = 0; i < 4000; i++)
            {
              SimSpan s = fx_span (t, at, g_rand_double_range (rng, 0.2, i % 50 ? 30 : 3000),
                                   (SimStage) g_rand_int_range (rng, 0, SIM_N_STAGES), "op", i / 64,
                                   (i / 16) % 4);
              sim_lane_append (lane, &s);
              at += s.dur_ns + g_rand_double_range (rng, 0, 20);
            }
        }
    }
  sim_trace_finish (t);
  for (int variant = 0; variant < 4; variant++)
    {
      TlView v;
      tl_view_init (&v, t, 1150, 400);
      v.lane_height_px = variant % 2 ? 4 : 13.5;
      v.scroll_y_px = variant * 3.3;
      v.theme = variant >= 2 ? TL_THEME_DARK : TL_THEME_LIGHT;
      if (variant == 1)
        v.hl_stage = SIM_STAGE_C2;
      tl_view_fit (&v, t);
      cairo_surface_t *rows = draw_image (&v, t, FALSE);
      g_assert_cmpuint (tl_render_last_stats ()->fills, ==, tl_render_last_stats ()->lanes_drawn);
      cairo_surface_t *rects = draw_image (&v, t, TRUE);
      g_assert_cmpuint (tl_render_last_stats ()->rects, >, 1000);
      const guchar *a = cairo_image_surface_get_data (rows),
                   *b = cairo_image_surface_get_data (rects);
      int stride = cairo_image_surface_get_stride (rows), differ = 0;
      for (int y = 0; y < (int) v.height_px; y++)
        for (int x = 0; x < (int) v.width_px; x++)
          differ += (((const guint32 *) (a + y * stride))[x] & 0xffffff)
                    != (((const guint32 *) (b + y * stride))[x] & 0xffffff);
      g_test_message ("variant %d: %d pixels differ", variant, differ);
      g_assert_cmpint (differ, ==, 0);
      cairo_surface_destroy (rows);
      cairo_surface_destroy (rects);
    }
  g_rand_free (rng);
  sim_trace_free (t);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("/timeline/layout", test_layout);
  ADD ("/timeline/span-pixels", test_span_pixels);
  ADD ("/timeline/subpixel-visible", test_subpixel_span_visible);
  ADD ("/timeline/highlight-dims-others", test_highlight_dims_others);
  ADD ("/timeline/dark-theme", test_dark_theme);
  ADD ("/timeline/range-selection", test_range_and_selection);
  ADD ("/timeline/hit", test_hit);
  g_test_add_func ("/timeline/lod-bounded", test_lod_bounded);
  g_test_add_func ("/timeline/flows-bounded", test_flows_bounded);
  g_test_add_func ("/timeline/lane-rows-match-rectangles", test_lane_rows_match_rectangles);
  g_test_add_func ("/timeline/nested", test_nested);
  g_test_add_func ("/timeline/counter", test_counter);
  g_test_add_func ("/timeline/counter-negative", test_counter_negative);
  g_test_add_func ("/timeline/ruler-labels-fit", test_ruler_labels_fit);
  g_test_add_func ("/timeline/counter-last-sample-holds", test_counter_last_sample_holds);
  return g_test_run ();
}
