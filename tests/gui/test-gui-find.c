/* tests/gui/test-gui-find.c — finding things in a run, in the real window under Xvfb, driven
 * through the actions a key or a script uses: search (app.search, search-next/prev), zoom to the
 * selection (zoom-to-selection, the zoom-out limit) and markers (add-marker, next/prev-marker,
 * saved in the trace and restored on open).  Each checks what is drawn by measuring lane rows of
 * the timeline's screenshot (saved to $AMLAVIZ_SCREENSHOT_DIR). */
#include "tests/gui/gui-harness.h"
#include "src/app/amlaviz-describe.h"
#include "src/app/amlaviz-counters.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

static cairo_surface_t *
snap_timeline (void)
{
  return snapshot_at_least (GTK_WIDGET (amlaviz_window_get_timeline (win, FALSE)), 100);
}

static void
save_window (const char *name)
{
  cairo_surface_t *s = snapshot_at_least (GTK_WIDGET (win), 100);
  save_png (s, name);
  cairo_surface_destroy (s);
}

/* Pixels within tol (per channel, 0..255) of rgb in rows [y0, y1), columns [x0, w). */
static guint
count_color (cairo_surface_t *s, int x0, int y0, int y1, const double rgb[3], int tol)
{
  int w = cairo_image_surface_get_width (s), h = cairo_image_surface_get_height (s);
  int stride = cairo_image_surface_get_stride (s);
  const guint8 *d = cairo_image_surface_get_data (s);
  guint n = 0;
  for (int y = MAX (0, y0); y < MIN (h, y1); y++)
    for (int x = x0; x < w; x++)
      {
        guint32 px = *(const guint32 *) (d + y * stride + 4 * x);
        int r = px >> 16 & 0xff, g = px >> 8 & 0xff, b = px & 0xff;
        if (abs (r - (int) lround (rgb[0] * 255)) <= tol
            && abs (g - (int) lround (rgb[1] * 255)) <= tol
            && abs (b - (int) lround (rgb[2] * 255)) <= tol)
          n++;
      }
  return n;
}

/* Rows of the lane of group 0 drawing pipe (AIC0 CUBE, AIV0 VECTOR…). */
static void
lane_rows (int group, SimPipe pipe, int *lane_out, int *y0, int *y1, TlView *v)
{
  AmlavizTimelineView *tv = amlaviz_window_get_timeline (win, FALSE);
  const SimTrace *t = amlaviz_session_get_trace (session, FALSE);
  g_assert_true (amlaviz_timeline_view_get_tl_view (tv, v));
  const SimGroup *grp = g_ptr_array_index (t->groups, group);
  int lane = -1;
  for (guint l = 0; l < grp->lanes->len; l++)
    if (((SimLane *) g_ptr_array_index (grp->lanes, l))->pipe == pipe)
      lane = (int) l;
  g_assert_cmpint (lane, >=, 0);
  double y = tl_render_lane_y (v, t, group, lane);
  g_assert_cmpfloat (y, >, 0);
  *lane_out = lane;
  *y0 = (int) y + 3;
  *y1 = (int) (y + v->lane_height_px) - 3;
}

static int
group_of_kind (SimCoreKind kind)
{
  const SimTrace *t = amlaviz_session_get_trace (session, FALSE);
  for (guint g = 0; g < t->groups->len; g++)
    if (((SimGroup *) g_ptr_array_index (t->groups, g))->kind == kind)
      return (int) g;
  g_assert_not_reached ();
}

static void
test_search (void)
{
  act ("fit", NULL);
  act ("clear-selection", NULL);
  int aic = group_of_kind (SIM_CORE_AIC), aiv = group_of_kind (SIM_CORE_AIV);
  int cube, vec, cy0, cy1, vy0, vy1;
  TlView v;
  lane_rows (aic, SIM_PIPE_CUBE, &cube, &cy0, &cy1, &v);
  lane_rows (aiv, SIM_PIPE_VECTOR, &vec, &vy0, &vy1, &v);
  double c1[3], v1[3];
  tl_stage_color (SIM_STAGE_C1, v.theme, c1);
  tl_stage_color (SIM_STAGE_V1, v.theme, v1);
  int x0 = (int) v.map.x0_px;
  cairo_surface_t *before = snap_timeline ();
  guint cube_c1 = count_color (before, x0, cy0, cy1, c1, 6);
  guint vec_v1 = count_color (before, x0, vy0, vy1, v1, 6);
  g_test_message ("before search: %u C1 px on CUBE, %u V1 px on VECTOR", cube_c1, vec_v1);
  g_assert_cmpuint (cube_c1, >, 200);
  g_assert_cmpuint (vec_v1, >, 200);

  /* the / key's action shows the bar; the search action (what typing does) highlights */
  act ("find", NULL);
  act ("search", g_variant_new_string ("V1"));
  guint64 rank = 0, n = amlaviz_session_get_search_count (session, &rank);
  g_assert_cmpuint (n, >, 10);
  g_assert_cmpuint (rank, ==, 0);
  g_assert_nonnull (strstr (amlaviz_window_get_search_count_text (win), "matches"));
  cairo_surface_t *found = snap_timeline ();
  guint cube_after = count_color (found, x0, cy0, cy1, c1, 6);
  guint vec_after = count_color (found, x0, vy0, vy1, v1, 6);
  g_test_message ("searching V1: %u C1 px on CUBE (dimmed), %u V1 px on VECTOR", cube_after,
                  vec_after);
  g_assert_cmpuint (cube_after, <, cube_c1 / 20);   /* non-matches are dimmed */
  g_assert_cmpuint (vec_after, >, vec_v1 * 8 / 10); /* matches keep their colour */
  save_window ("screenshot-search.png");

  /* Enter: the first match in view, selected, counted "1 of N" */
  act ("search-next", NULL);
  int g, l;
  gsize i;
  amlaviz_session_get_selection (session, FALSE, &g, &l, &i);
  g_assert_cmpint (g, >=, 0);
  const SimTrace *t = amlaviz_session_get_trace (session, FALSE);
  const SimSpan *first = &sim_trace_lane (t, g, l)->spans[i];
  g_assert_cmpint (first->stage, ==, SIM_STAGE_V1);
  amlaviz_session_get_search_count (session, &rank);
  g_assert_cmpuint (rank, ==, 1);
  g_autofree char *want = g_strdup_printf ("1 of %'" G_GUINT64_FORMAT, n);
  g_assert_cmpstr (amlaviz_window_get_search_count_text (win), ==, want);
  double first_start = first->start_ns;
  act ("search-next", NULL);
  amlaviz_session_get_selection (session, FALSE, &g, &l, &i);
  const SimSpan *second = &sim_trace_lane (t, g, l)->spans[i];
  g_assert_cmpfloat (second->start_ns, >=, first_start);
  amlaviz_session_get_search_count (session, &rank);
  g_assert_cmpuint (rank, ==, 2);
  /* it is in the time window */
  double t0, t1;
  amlaviz_session_get_window (session, &t0, &t1);
  g_assert_cmpfloat (second->start_ns, >=, t0);
  g_assert_cmpfloat (second->start_ns + second->dur_ns, <=, t1);
  act ("search-prev", NULL);
  amlaviz_session_get_search_count (session, &rank);
  g_assert_cmpuint (rank, ==, 1);
  /* backward from the first wraps to the last */
  act ("search-prev", NULL);
  amlaviz_session_get_search_count (session, &rank);
  g_assert_cmpuint (rank, ==, n);
  save_window ("screenshot-search-next.png");

  /* a core and a pipe: that lane matches, its stage colours stay */
  act ("search", g_variant_new_string ("AIC0 CUBE"));
  cairo_surface_t *lane = snap_timeline ();
  act ("fit", NULL);
  g_assert_cmpuint (amlaviz_session_get_search_count (session, NULL), ==,
                    sim_trace_lane (t, aic, cube)->n_spans);

  act ("search", g_variant_new_string ("no-such-span"));
  g_assert_cmpstr (amlaviz_window_get_search_count_text (win), ==, "no matches");
  act ("search", g_variant_new_string (""));
  g_assert_cmpstr (amlaviz_window_get_search_count_text (win), ==, "");
  cairo_surface_t *cleared = snap_timeline ();
  act ("fit", NULL);
  g_assert_cmpuint (count_color (cleared, x0, cy0, cy1, c1, 6), >, cube_c1 * 8 / 10);
  cairo_surface_destroy (before);
  cairo_surface_destroy (found);
  cairo_surface_destroy (lane);
  cairo_surface_destroy (cleared);
  act ("clear-selection", NULL);
}

static void
test_zoom_to_selection (void)
{
  act ("clear-selection", NULL);
  act ("fit", NULL);
  const SimTrace *t = amlaviz_session_get_trace (session, FALSE);
  double t0, t1;
  /* zooming out stops at the whole run */
  act ("zoom-out", NULL);
  act ("zoom-out", NULL);
  amlaviz_session_get_window (session, &t0, &t1);
  g_assert_cmpfloat (t0, >=, t->start_ns - 1e-6);
  g_assert_cmpfloat (t1, <=, t->end_ns + 1e-6);
  g_assert_cmpfloat (t1 - t0, >=, (t->end_ns - t->start_ns) * 0.999);

  /* a selected span fills the window (5 % each side) */
  int aic = group_of_kind (SIM_CORE_AIC), cube, y0, y1;
  TlView v;
  lane_rows (aic, SIM_PIPE_CUBE, &cube, &y0, &y1, &v);
  const SimLane *lane = sim_trace_lane (t, aic, cube);
  gsize pick = lane->n_spans / 2;
  const SimSpan *sp = &lane->spans[pick];
  amlaviz_session_select_span (session, FALSE, aic, cube, pick);
  act ("zoom-to-selection", NULL);
  amlaviz_session_get_window (session, &t0, &t1);
  double m = 0.05 * sp->dur_ns;
  g_assert_cmpfloat_with_epsilon (t0, sp->start_ns - m, 1e-6 * sp->dur_ns + 1e-9);
  g_assert_cmpfloat_with_epsilon (t1, sp->start_ns + sp->dur_ns + m, 1e-6 * sp->dur_ns + 1e-9);
  double rgb[3];
  tl_span_color (sp, t, v.theme, rgb);
  cairo_surface_t *s = snap_timeline ();
  guint px = count_color (s, (int) v.map.x0_px, y0, y0 + 1, rgb, 6);
  g_test_message ("zoomed span covers %u of %.0f px", px, v.map.width_px);
  g_assert_cmpfloat (px, >, 0.8 * v.map.width_px);
  save_window ("screenshot-zoom-to-selection.png");
  cairo_surface_destroy (s);

  /* the measured range */
  act ("clear-selection", NULL);
  double a = t->start_ns + 0.3 * (t->end_ns - t->start_ns), b = a + 0.1 * (t->end_ns - t->start_ns);
  act ("select-range", g_variant_new ("(dd)", a, b));
  act ("zoom-to-selection", NULL);
  amlaviz_session_get_window (session, &t0, &t1);
  g_assert_cmpfloat_with_epsilon (t0, a - 0.05 * (b - a), 1e-3);
  g_assert_cmpfloat_with_epsilon (t1, b + 0.05 * (b - a), 1e-3);

  /* the stepped stage */
  act ("clear-selection", NULL);
  act ("step-next", NULL);
  const AmlavizStep *st = amlaviz_session_get_step (session);
  act ("zoom-to-selection", NULL);
  amlaviz_session_get_window (session, &t0, &t1);
  g_assert_cmpfloat_with_epsilon ((t0 + t1) / 2, (st->start_ns + st->end_ns) / 2, 1e-3);
  g_assert_cmpfloat_with_epsilon (t1 - t0, 1.1 * (st->end_ns - st->start_ns), 1e-3);

  /* nothing: the whole run */
  act ("clear-selection", NULL);
  act ("zoom-to-selection", NULL);
  amlaviz_session_get_window (session, &t0, &t1);
  g_assert_cmpfloat_with_epsilon (t0, t->start_ns, 1e-6);
  g_assert_cmpfloat_with_epsilon (t1, t->end_ns, 1e-6);
}

static void
test_markers (void)
{
  act ("clear-selection", NULL);
  act ("clear-markers", NULL);
  act ("fit", NULL);
  const SimTrace *t = amlaviz_session_get_trace (session, FALSE);
  double len = t->end_ns - t->start_ns;
  double a = t->start_ns + 0.2 * len, b = t->start_ns + 0.3 * len;
  act ("add-marker-at", g_variant_new ("(dds)", a, b, "probe"));
  guint n;
  const TlMarker *mk = amlaviz_session_get_markers (session, &n);
  g_assert_cmpuint (n, ==, 1);
  g_assert_cmpstr (mk[0].label, ==, "probe");

  /* drawn: the label's tag in the marker's colour at the band's left edge, near the top */
  TlView v;
  AmlavizTimelineView *tv = amlaviz_window_get_timeline (win, FALSE);
  g_assert_true (amlaviz_timeline_view_get_tl_view (tv, &v));
  double rgb[3];
  tl_marker_color (mk[0].color, v.theme, rgb);
  cairo_surface_t *s = snap_timeline ();
  int xa = (int) tl_time_to_x (&v.map, a);
  int top = (int) v.ruler_height_px;
  guint tag = count_color (s, xa, top, top + 14, rgb, 8);
  g_test_message ("marker tag: %u px", tag);
  g_assert_cmpuint (tag, >, 60);
  save_window ("screenshot-markers.png");
  cairo_surface_destroy (s);

  /* M on a selected span marks the span, labelled with its name */
  int aic = group_of_kind (SIM_CORE_AIC);
  const SimGroup *grp = g_ptr_array_index (t->groups, aic);
  int cube = -1;
  for (guint l = 0; l < grp->lanes->len; l++)
    if (((SimLane *) g_ptr_array_index (grp->lanes, l))->pipe == SIM_PIPE_CUBE)
      cube = (int) l;
  const SimLane *lane = sim_trace_lane (t, aic, cube);
  gsize pick = lane->n_spans - 1;
  const SimSpan *sp = &lane->spans[pick];
  amlaviz_session_select_span (session, FALSE, aic, cube, pick);
  act ("add-marker", NULL);
  mk = amlaviz_session_get_markers (session, &n);
  g_assert_cmpuint (n, ==, 2);
  g_assert_cmpfloat (mk[1].t0_ns, ==, sp->start_ns);
  g_assert_cmpfloat (mk[1].t1_ns, ==, sp->start_ns + sp->dur_ns);
  g_assert_nonnull (strstr (mk[1].label, sim_trace_string (t, sp->name)));
  g_assert_cmpint (amlaviz_session_get_marker_index (session), ==, 1);

  /* [ and ] jump between them, keeping the zoom */
  act ("clear-selection", NULL);
  act ("set-window", g_variant_new ("(dd)", t->start_ns, t->start_ns + 0.05 * len));
  act ("prev-marker", NULL);
  g_assert_cmpint (amlaviz_session_get_marker_index (session), ==, 0);
  double t0, t1;
  amlaviz_session_get_window (session, &t0, &t1);
  g_assert_cmpfloat_with_epsilon ((t0 + t1) / 2, (a + b) / 2, 1e-3);
  g_assert_cmpfloat_with_epsilon (t1 - t0, (b - a) / 0.8, 1e-3); /* the band fits */
  act ("next-marker", NULL);
  g_assert_cmpint (amlaviz_session_get_marker_index (session), ==, 1);
  amlaviz_session_get_window (session, &t0, &t1);
  g_assert_cmpfloat (t0, <=, sp->start_ns);
  g_assert_cmpfloat (t1, >=, sp->start_ns + sp->dur_ns);
  act ("next-marker", NULL); /* the last stays the last */
  g_assert_cmpint (amlaviz_session_get_marker_index (session), ==, 1);

  /* nothing selected: M marks the time under the pointer (an instant, a line) */
  double tp = t->start_ns + 0.6 * len;
  amlaviz_session_set_pointer_time (session, tp);
  act ("add-marker", NULL);
  mk = amlaviz_session_get_markers (session, &n);
  g_assert_cmpuint (n, ==, 3);
  int im = amlaviz_session_get_marker_index (session);
  g_assert_cmpfloat (mk[im].t0_ns, ==, tp);
  g_assert_cmpfloat (mk[im].t1_ns, ==, tp);
  g_assert_cmpstr (mk[im].label, ==, "M3");
  amlaviz_session_set_pointer_time (session, NAN);

  /* saved in otherData.markers, restored on open */
  g_autofree char *dir = g_dir_make_tmp ("amlaviz-markers-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "marked.json", NULL);
  act ("save-to", g_variant_new_string (path));
  g_autofree char *text = NULL;
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  g_assert_nonnull (strstr (text, "\"markers\""));
  g_assert_nonnull (strstr (text, "\"probe\""));
  act ("clear-markers", NULL);
  amlaviz_session_get_markers (session, &n);
  g_assert_cmpuint (n, ==, 0);
  act ("open-file", g_variant_new_string (path));
  mk = amlaviz_session_get_markers (session, &n);
  g_assert_cmpuint (n, ==, 3);
  g_assert_cmpstr (mk[0].label, ==, "probe");
  g_assert_cmpfloat_with_epsilon (mk[0].t0_ns, a, 1e-3);
  g_assert_cmpfloat_with_epsilon (mk[0].t1_ns, b, 1e-3);
  save_window ("screenshot-markers-reopened.png");
  g_remove (path);
  g_rmdir (dir);
  act ("clear-markers", NULL);
  act ("simulate", NULL);
}

/* A save with markers rewrites otherData: an integer past 64 bits in it is saved as written, not
 * as the bound json-c reads it as (helper-29's review of the reader's fix). */
static void
test_markers_keep_big_integers (void)
{
  g_autofree char *dir = g_dir_make_tmp ("amlaviz-bigint-XXXXXX", NULL);
  g_autofree char *in = g_build_filename (dir, "in.json", NULL);
  g_autofree char *out = g_build_filename (dir, "out.json", NULL);
  static const char text[]
      = "{\"otherData\":{\"run_id\":123456789012345678901234,\"a\":[-99999999999999999999]},"
        "\"traceEvents\":[{\"ph\":\"X\",\"name\":\"k\",\"pid\":1,\"tid\":1,\"ts\":0,"
        "\"dur\":100}]}";
  g_assert_true (g_file_set_contents (in, text, -1, NULL));
  act ("open-file", g_variant_new_string (in));
  act ("add-marker-at", g_variant_new ("(dds)", 10.0, 20.0, "m"));
  act ("save-to", g_variant_new_string (out));
  g_autofree char *saved = NULL;
  g_assert_true (g_file_get_contents (out, &saved, NULL, NULL));
  g_assert_nonnull (strstr (saved, "\"markers\""));
  g_assert_nonnull (strstr (saved, "\"run_id\":123456789012345678901234"));
  g_assert_nonnull (strstr (saved, "[-99999999999999999999]"));
  act ("clear-markers", NULL);
  g_remove (in);
  g_remove (out);
  g_rmdir (dir);
  act ("simulate", NULL);
}

/* Collapsed groups show a heat strip of their pipes' busy fraction; collapse-all / expand-all. */
static void
test_overview (void)
{
  act ("clear-selection", NULL);
  act ("all-cores", NULL);
  act ("fit", NULL);
  act ("collapse-all", NULL);
  const SimTrace *t = amlaviz_session_get_trace (session, FALSE);
  const guint8 *coll = amlaviz_session_get_collapsed (session, FALSE);
  for (guint g = 0; g < t->groups->len; g++)
    g_assert_true (coll[g]);
  AmlavizTimelineView *tv = amlaviz_window_get_timeline (win, FALSE);
  TlView v;
  g_assert_true (amlaviz_timeline_view_get_tl_view (tv, &v));
  g_assert_cmpfloat (tl_render_lane_y (&v, t, 0, 0), <, 0); /* no lanes: collapsed */
  /* the first header row under the chip-wide counters: find it by scanning for a header */
  int hy = -1;
  for (int y = (int) v.ruler_height_px; y < v.height_px && hy < 0; y++)
    if (tl_render_header_at (&v, t, y) == 0)
      hy = y;
  g_assert_cmpint (hy, >, 0);
  double hdr[4], counter[4];
  tl_theme_color (v.theme, TL_COLOR_HEADER, hdr);
  tl_theme_color (v.theme, TL_COLOR_COUNTER, counter);
  cairo_surface_t *s = snap_timeline ();
  save_window ("screenshot-collapse-all.png");
  /* the strip: the header row's plot is not plain header colour where the core was busy */
  int mid = hy + (int) v.group_header_px / 2;
  guint plain = count_color (s, (int) v.map.x0_px, mid, mid + 1, hdr, 4);
  g_test_message ("heat strip of AIC0: %u of %.0f px plain header colour", plain, v.map.width_px);
  g_assert_cmpfloat (plain, <, 0.5 * v.map.width_px);
  cairo_surface_destroy (s);
  double content = tl_render_content_height (&v, t);
  act ("expand-all", NULL);
  coll = amlaviz_session_get_collapsed (session, FALSE);
  for (guint g = 0; g < t->groups->len; g++)
    g_assert_false (coll[g]);
  g_assert_true (amlaviz_timeline_view_get_tl_view (tv, &v));
  g_assert_cmpfloat (tl_render_content_height (&v, t), >, 3 * content);
  act ("all-cores", NULL);
}

/* A pinned lane stays at the top while the lanes scroll, and in both panes of A/B. */
static void
test_pin_lane (void)
{
  act ("clear-selection", NULL);
  act ("all-cores", NULL);
  act ("fit", NULL);
  act ("pin-lane", g_variant_new_string ("AIC0 CUBE"));
  guint n;
  const int *pl = amlaviz_session_get_pinned_lanes (session, FALSE, &n);
  g_assert_cmpuint (n, ==, 1);
  const SimTrace *t = amlaviz_session_get_trace (session, FALSE);
  int g = pl[0], l = pl[1];
  g_assert_cmpint (sim_trace_lane (t, g, l)->pipe, ==, SIM_PIPE_CUBE);
  AmlavizTimelineView *tv = amlaviz_window_get_timeline (win, FALSE);
  g_object_set (tv, "scroll-y", 2000.0, NULL);
  pump ();
  double sy;
  g_object_get (tv, "scroll-y", &sy, NULL);
  g_assert_cmpfloat (sy, >, 500);
  TlView v;
  g_assert_true (amlaviz_timeline_view_get_tl_view (tv, &v));
  g_assert_cmpfloat (tl_render_lane_y (&v, t, g, l), ==, v.ruler_height_px);
  int hg, hl;
  g_assert_true (tl_render_lane_at (&v, t, v.ruler_height_px + 5, &hg, &hl));
  g_assert_cmpint (hg, ==, g);
  g_assert_cmpint (hl, ==, l);
  double c1[3];
  tl_stage_color (SIM_STAGE_C1, v.theme, c1);
  cairo_surface_t *s = snap_timeline ();
  int y0 = (int) v.ruler_height_px + 3;
  guint px = count_color (s, (int) v.map.x0_px, y0, y0 + 10, c1, 6);
  g_test_message ("pinned CUBE while scrolled by %.0f px: %u C1 px", sy, px);
  g_assert_cmpuint (px, >, 200);
  save_window ("screenshot-pin-lane.png");
  cairo_surface_destroy (s);

  /* A/B: the same lane is pinned in A */
  act ("pin-a", NULL);
  AmlavizTimelineView *pa = amlaviz_window_get_timeline (win, TRUE);
  const int *pla = amlaviz_session_get_pinned_lanes (session, TRUE, &n);
  g_assert_cmpuint (n, ==, 1);
  TlView va;
  g_assert_true (amlaviz_timeline_view_get_tl_view (pa, &va));
  g_assert_cmpfloat (
      tl_render_lane_y (&va, amlaviz_session_get_trace (session, TRUE), pla[0], pla[1]), ==,
      va.ruler_height_px);
  save_window ("screenshot-pin-lane-ab.png");
  act ("pin-a", NULL);
  act ("unpin-lanes", NULL);
  amlaviz_session_get_pinned_lanes (session, FALSE, &n);
  g_assert_cmpuint (n, ==, 0);
  g_object_set (tv, "scroll-y", 0.0, NULL);
  act ("all-cores", NULL);
}

/* Index of a flow named like `part` whose ends are both in AIC group 0; -1 if none. */
static int
find_flow (const SimTrace *t, const char *part)
{
  const guint8 *hidden = amlaviz_session_get_hidden (session, FALSE);
  for (guint i = 0; i < t->flows->len; i++)
    {
      const SimFlow *f = &g_array_index (t->flows, SimFlow, i);
      if (strstr (sim_trace_string (t, f->name), part) && !hidden[f->src_group]
          && !hidden[f->dst_group])
        return (int) i;
    }
  return -1;
}

/* Flows: coloured by flag, a label on hover, a click selects the flag, span details link to the
 * op that set the flag waited for (and the other AIV's set) and to the ops that waited. */
static void
test_flows (void)
{
  act ("clear-selection", NULL);
  act ("fit", NULL);
  act ("show-flows", NULL);
  const SimTrace *t = amlaviz_session_get_trace (session, FALSE);
  int fa = find_flow (t, "V1->C2"), fb = find_flow (t, "C1->V1");
  g_assert_cmpint (fa, >=, 0);
  g_assert_cmpint (fb, >=, 0);
  const SimFlow *f = &g_array_index (t->flows, SimFlow, fa);
  /* zoom on the flow so its arrow is long */
  double a = MIN (f->src_ns, f->dst_ns), b = MAX (f->src_ns, f->dst_ns);
  act ("set-window", g_variant_new ("(dd)", a - 4 * (b - a) - 50, b + 4 * (b - a) + 50));
  AmlavizTimelineView *tv = amlaviz_window_get_timeline (win, FALSE);
  TlView v;
  g_assert_true (amlaviz_timeline_view_get_tl_view (tv, &v));
  /* the arrow's middle: hover finds it and says what it is */
  double xs = tl_time_to_x (&v.map, f->src_ns), xd = tl_time_to_x (&v.map, f->dst_ns);
  int sl = f->src_lane, dl = f->dst_lane;
  double ys = tl_render_lane_y (&v, t, f->src_group, sl) + v.lane_height_px / 2;
  double yd = tl_render_lane_y (&v, t, f->dst_group, dl) + v.lane_height_px / 2;
  guint hit;
  g_assert_true (tl_render_flow_at (&v, t, (xs + xd) / 2, (ys + yd) / 2, &hit));
  g_assert_cmpstr (sim_trace_string (t, g_array_index (t->flows, SimFlow, hit).name), ==,
                   sim_trace_string (t, f->name));
  g_autofree char *tip = amlaviz_flow_tooltip (t, hit);
  g_assert_nonnull (strstr (tip, "V1-&gt;C2"));
  g_assert_nonnull (strstr (tip, "set by AIV"));
  /* coloured by flag: the two flags' colours differ, and the arrow is drawn in its own */
  double ca[3], cb[3];
  tl_flow_palette_color (tl_flow_color_index (t, f), v.theme, ca);
  tl_flow_palette_color (tl_flow_color_index (t, &g_array_index (t->flows, SimFlow, fb)), v.theme,
                         cb);
  g_test_message ("flag colours: %.2f %.2f %.2f vs %.2f %.2f %.2f", ca[0], ca[1], ca[2], cb[0],
                  cb[1], cb[2]);
  cairo_surface_t *s = snap_timeline ();
  int ym = (int) ((ys + yd) / 2);
  /* alpha 0.9 over the background: within ~30 of the pure colour */
  guint px = count_color (s, (int) MIN (xs, xd), ym - 6, ym + 6, ca, 40);
  g_test_message ("arrow of %s: %u px in its flag colour", sim_trace_string (t, f->name), px);
  g_assert_cmpuint (px, >, 0);
  save_window ("screenshot-flows.png");
  cairo_surface_destroy (s);

  /* a click on the arrow (the action a click drives) selects the flag */
  act ("select-flow", g_variant_new_int32 ((int) hit));
  g_assert_cmpint (amlaviz_session_get_selected_flow (session, FALSE), ==, (int) hit);
  const char *d = amlaviz_session_get_details (session);
  g_assert_nonnull (strstr (d, "flag “"));
  g_assert_nonnull (strstr (d, "set by <a href=\"span:"));
  g_assert_nonnull (strstr (d, "lets go <a href=\"span:"));
  double sel[4];
  tl_theme_color (v.theme, TL_COLOR_SELECTION, sel);
  s = snap_timeline ();
  guint spx = count_color (s, (int) MIN (xs, xd), ym - 6, ym + 6, sel, 30);
  g_test_message ("selected flag: %u px in the selection colour near its middle", spx);
  g_assert_cmpuint (spx, >, 2);
  save_window ("screenshot-flow-selected.png");
  cairo_surface_destroy (s);

  /* the op the flag let go: its details link to both AIVs' sets */
  const SimFlow *hf = &g_array_index (t->flows, SimFlow, hit);
  const SimLane *wl = sim_trace_lane (t, hf->dst_group, hf->dst_lane);
  gsize wi = 0;
  for (gsize i = 0; i < wl->n_spans; i++)
    if (wl->spans[i].start_ns + wl->spans[i].dur_ns >= hf->dst_ns - 1
        && !(wl->spans[i].flags & SIM_SPAN_WAIT))
      {
        wi = i;
        break;
      }
  amlaviz_session_select_span (session, FALSE, hf->dst_group, hf->dst_lane, wi);
  settle ();
  d = amlaviz_session_get_details (session);
  g_test_message ("waiting op details:\n%s", d);
  g_assert_nonnull (strstr (d, "Waited for flag"));
  g_assert_nonnull (strstr (d, "and by <a href")); /* the other AIV's set */
  /* follow the first link: the setting op becomes the selection */
  const char *href = strstr (d, "href=\"") + 6;
  g_autofree char *uri = g_strndup (href, strchr (href, '"') - href);
  gboolean handled = FALSE;
  g_signal_emit_by_name (amlaviz_window_get_details_label (win), "activate-link", uri, &handled);
  settle ();
  g_assert_true (handled);
  int g, l;
  gsize i;
  amlaviz_session_get_selection (session, FALSE, &g, &l, &i);
  g_assert_cmpint (g, ==, (int) hf->src_group);
  g_assert_cmpint (l, ==, (int) hf->src_lane);
  d = amlaviz_session_get_details (session);
  g_assert_nonnull (strstr (d, "Sets flag"));
  act ("show-flows", NULL);
  act ("clear-selection", NULL);
}

/* Counters: a tooltip with the value at the cursor; the scale is the hardware capacity when the
 * trace says it (labelled so), else the observed peak.  A/B: a B − A column; panes aligned. */
static void
test_counters_and_ab (void)
{
  act ("clear-selection", NULL);
  act ("fit", NULL);
  const SimTrace *t = amlaviz_session_get_trace (session, FALSE);
  guint n;
  const double *cap = amlaviz_session_get_counter_capacity (session, FALSE, &n);
  g_assert_cmpuint (n, ==, t->counters->len);
  int l1 = -1, hbm = -1;
  for (guint i = 0; i < n; i++)
    {
      const SimCounter *c = g_ptr_array_index (t->counters, i);
      if (l1 < 0 && g_str_equal (c->name, "L1 occupancy"))
        l1 = (int) i;
      if (hbm < 0 && g_str_has_suffix (c->name, "HBM bandwidth"))
        hbm = (int) i;
    }
  g_assert_cmpint (l1, >=, 0);
  g_assert_cmpint (hbm, >=, 0);
  const SimCounter *c = g_ptr_array_index (t->counters, l1);
  g_test_message ("L1: capacity %.0f B, peak %.0f B; HBM capacity %.0f GB/s", cap[l1], c->max_value,
                  cap[hbm]);
  g_assert_cmpfloat (cap[l1], >=, c->max_value); /* from otherData.hw.l1_bytes */
  g_assert_cmpfloat (cap[hbm], >, 100);

  /* the tooltip of the track under the pointer: the value there and its share of the capacity */
  AmlavizTimelineView *tv = amlaviz_window_get_timeline (win, FALSE);
  TlView v;
  g_assert_true (amlaviz_timeline_view_get_tl_view (tv, &v));
  int y = -1, found = -1;
  for (int yy = (int) v.ruler_height_px; yy < v.height_px && y < 0; yy++)
    if (tl_render_counter_at (&v, t, yy, &found) && found == l1)
      y = yy;
  g_assert_cmpint (y, >, 0);
  double tm = c->ts_ns[c->n / 2];
  g_autofree char *tip = amlaviz_counter_tooltip (t, l1, cap[l1], tm + 0.01);
  char want[48];
  tl_format_counter_value (c, c->value[c->n / 2], want, sizeof want);
  g_test_message ("tooltip: %s", tip);
  g_assert_nonnull (strstr (tip, want));
  g_assert_nonnull (strstr (tip, "of the hardware capacity"));

  /* drawn to the capacity's scale: less of the row is filled than scaled to the peak */
  double counter[4];
  tl_theme_color (v.theme, TL_COLOR_COUNTER, counter);
  int rows_y0 = y, rows_y1 = y + (int) (v.lane_height_px * 1.8);
  cairo_surface_t *with_cap
      = cairo_image_surface_create (CAIRO_FORMAT_RGB24, (int) v.width_px, (int) v.height_px);
  cairo_surface_t *no_cap
      = cairo_image_surface_create (CAIRO_FORMAT_RGB24, (int) v.width_px, (int) v.height_px);
  cairo_t *cr = cairo_create (with_cap);
  tl_render_draw (cr, &v, t);
  cairo_destroy (cr);
  TlView v2 = v;
  v2.counter_capacity = NULL;
  cr = cairo_create (no_cap);
  tl_render_draw (cr, &v2, t);
  cairo_destroy (cr);
  cairo_surface_flush (with_cap);
  cairo_surface_flush (no_cap);
  /* the fill is the counter colour at 55 % over the background: compare the rows' non-background */
  double bg[4];
  tl_theme_color (v.theme, TL_COLOR_BACKGROUND, bg);
  guint bg_with = count_color (with_cap, (int) v.map.x0_px, rows_y0, rows_y1, bg, 3);
  guint bg_without = count_color (no_cap, (int) v.map.x0_px, rows_y0, rows_y1, bg, 3);
  g_test_message ("L1 row background px: %u at capacity scale, %u at peak scale", bg_with,
                  bg_without);
  g_assert_cmpuint (bg_with, >, bg_without);
  cairo_surface_destroy (with_cap);
  cairo_surface_destroy (no_cap);
  (void) counter;

  /* A/B: B − A column, and the panes start aligned */
  g_object_set (tv, "scroll-y", 120.0, NULL);
  pump ();
  act ("pin-a", NULL);
  act ("preload", NULL);
  const char *m = amlaviz_window_get_metrics_text (win);
  g_test_message ("A/B metrics:\n%s", m);
  g_assert_nonnull (strstr (m, "B \u2212 A"));
  g_assert_nonnull (strstr (m, " pt"));
  AmlavizTimelineView *pa = amlaviz_window_get_timeline (win, TRUE);
  double sa, sb;
  g_object_get (pa, "scroll-y", &sa, NULL);
  g_object_get (tv, "scroll-y", &sb, NULL);
  g_assert_cmpfloat (sa, ==, sb);
  save_window ("screenshot-ab-delta.png");
  act ("preload", NULL);
  act ("pin-a", NULL);
  g_object_set (tv, "scroll-y", 0.0, NULL);
}

int
main (int argc, char **argv)
{
  gui_start (&argc, &argv, 1400, 860);

  g_test_add_func ("/find/search", test_search);
  g_test_add_func ("/find/zoom-to-selection", test_zoom_to_selection);
  g_test_add_func ("/find/markers", test_markers);
  g_test_add_func ("/find/markers-keep-big-integers", test_markers_keep_big_integers);
  g_test_add_func ("/find/overview", test_overview);
  g_test_add_func ("/find/pin-lane", test_pin_lane);
  g_test_add_func ("/find/flows", test_flows);
  g_test_add_func ("/find/counters-ab", test_counters_and_ab);
  int status = g_test_run ();
  gtk_widget_destroy (GTK_WIDGET (win));
  pump ();
  g_object_unref (app);
  return status;
}
