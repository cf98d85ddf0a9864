/* tests/gui/test-gui-window.c — the window as a whole, under Xvfb: it fits 1024 × 700 with nothing
 * clipped; the timeline follows a dark GTK theme (run with GTK_THEME=Adwaita:dark as gui-dark);
 * keyboard focus and selection; a foreign trace's axis, skipped events and legend; the range's
 * pipe-time label; the file choosers, and .json.gz saved as gzip.  Screenshots go to
 * $AMLAVIZ_SCREENSHOT_DIR. */
#include "tests/gui/gui-harness.h"
#include "sim/trace/trace-json.h"
#include "src/plot/plot.h"
#include "sim/trace/trace-json.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

static gboolean dark;

static void
save_window (const char *name)
{
  cairo_surface_t *s = snapshot_at_least (GTK_WIDGET (win), 100);
  save_png (s, name);
  cairo_surface_destroy (s);
}

static double
luminance_at (cairo_surface_t *s, int x, int y)
{
  const guint8 *d = cairo_image_surface_get_data (s);
  guint32 px = *(const guint32 *) (d + y * cairo_image_surface_get_stride (s) + 4 * x);
  return (0.2126 * (px >> 16 & 0xff) + 0.7152 * (px >> 8 & 0xff) + 0.0722 * (px & 0xff)) / 255;
}

/* Mean luminance of a widget's snapshot. */
static double
mean_luminance (cairo_surface_t *s)
{
  int w = cairo_image_surface_get_width (s), h = cairo_image_surface_get_height (s);
  double sum = 0;
  int n = 0;
  for (int y = 0; y < h; y += 3)
    for (int x = 0; x < w; x += 3, n++)
      sum += luminance_at (s, x, y);
  return sum / MAX (n, 1);
}

/* Every widget inside w that is visible gets at least its minimum size (nothing squeezed), and
 * lies inside the window. */
static void
assert_not_clipped (GtkWidget *w, GtkWidget *top)
{
  if (!gtk_widget_get_visible (w) || !gtk_widget_get_child_visible (w))
    return;
  if (GTK_IS_SCROLLED_WINDOW (gtk_widget_get_parent (w))
      || GTK_IS_VIEWPORT (gtk_widget_get_parent (w)))
    return; /* scrolled content may be larger than what shows */
  GtkAllocation a;
  gtk_widget_get_allocation (w, &a);
  int min_w, min_h;
  gtk_widget_get_preferred_width (w, &min_w, NULL);
  gtk_widget_get_preferred_height_for_width (w, MAX (a.width, min_w), &min_h, NULL);
  if (a.width > 1 && a.height > 1 && (a.width < min_w || a.height < min_h))
    g_error ("%s squeezed: %d×%d, needs %d×%d", G_OBJECT_TYPE_NAME (w), a.width, a.height, min_w,
             min_h);
  int x, y;
  if (a.width > 1 && gtk_widget_translate_coordinates (w, top, 0, 0, &x, &y))
    {
      int tw = gtk_widget_get_allocated_width (top), th = gtk_widget_get_allocated_height (top);
      if (x < 0 || y < 0 || x + a.width > tw + 1 || y + a.height > th + 1)
        g_error ("%s outside the window: %d,%d %d×%d in %d×%d", G_OBJECT_TYPE_NAME (w), x, y,
                 a.width, a.height, tw, th);
    }
  if (GTK_IS_CONTAINER (w))
    {
      GList *children = gtk_container_get_children (GTK_CONTAINER (w));
      for (GList *l = children; l; l = l->next)
        assert_not_clipped (l->data, top);
      g_list_free (children);
    }
}

static void
dump_min (GtkWidget *w, int depth)
{
  if (!gtk_widget_get_visible (w) || depth > 9)
    return;
  int mw;
  gtk_widget_get_preferred_width (w, &mw, NULL);
  if (mw > 200)
    g_test_message ("%*s%s %s min %d", depth * 2, "", G_OBJECT_TYPE_NAME (w),
                    gtk_buildable_get_name (GTK_BUILDABLE (w)) ?: "", mw);
  if (GTK_IS_CONTAINER (w))
    {
      GList *children = gtk_container_get_children (GTK_CONTAINER (w));
      for (GList *l = children; l; l = l->next)
        dump_min (l->data, depth + 1);
      g_list_free (children);
    }
  if (GTK_IS_WINDOW (w) && gtk_window_get_titlebar (GTK_WINDOW (w)))
    dump_min (gtk_window_get_titlebar (GTK_WINDOW (w)), depth + 1);
}

static void
test_fits_1024x700 (void)
{
  if (g_getenv ("AMLAVIZ_DUMP_SIZES"))
    dump_min (GTK_WIDGET (win), 0);
  gtk_window_resize (GTK_WINDOW (win), 1024, 700);
  settle ();
  pump ();
  int w, h;
  gtk_window_get_size (GTK_WINDOW (win), &w, &h);
  GtkRequisition min;
  gtk_widget_get_preferred_size (GTK_WIDGET (win), &min, NULL);
  g_test_message ("window %d×%d, minimum %d×%d", w, h, min.width, min.height);
  g_assert_cmpint (min.width, <=, 1024);
  g_assert_cmpint (min.height, <=, 700);
  g_assert_cmpint (w, <=, 1024);
  g_assert_cmpint (h, <=, 700);
  AmlavizTimelineView *tv = amlaviz_window_get_timeline (win, FALSE);
  g_assert_cmpint (gtk_widget_get_allocated_width (GTK_WIDGET (tv)), >=, 320);
  g_assert_cmpint (gtk_widget_get_allocated_height (GTK_WIDGET (tv)), >=, 300);
  assert_not_clipped (GTK_WIDGET (win), GTK_WIDGET (win));
  save_window (dark ? "screenshot-1024x700-dark.png" : "screenshot-1024x700.png");
  gtk_window_resize (GTK_WINDOW (win), 1400, 860);
  settle ();
}

/* The canvas follows the theme: dark under Adwaita:dark, light otherwise. */
static void
test_theme (void)
{
  act ("fit", NULL);
  AmlavizTimelineView *tv = amlaviz_window_get_timeline (win, FALSE);
  TlView v;
  g_assert_true (amlaviz_timeline_view_get_tl_view (tv, &v));
  g_assert_cmpint (v.theme, ==, dark ? TL_THEME_DARK : TL_THEME_LIGHT);
  cairo_surface_t *s = snapshot_at_least (GTK_WIDGET (tv), 100);
  double lum = mean_luminance (s);
  g_test_message ("timeline mean luminance %.2f (%s theme)", lum, dark ? "dark" : "light");
  if (dark)
    g_assert_cmpfloat (lum, <, 0.3);
  else
    g_assert_cmpfloat (lum, >, 0.7);
  cairo_surface_destroy (s);
  save_window (dark ? "screenshot-dark.png" : "screenshot-light.png");
}

/* A key press (and release) delivered to the window as the X server would. */
static void
send_key (guint keyval)
{
  GdkWindow *gw = gtk_widget_get_window (GTK_WIDGET (win));
  GdkDisplay *display = gdk_window_get_display (gw);
  GdkSeat *seat = gdk_display_get_default_seat (display);
  GdkKeymapKey *keys = NULL;
  gint n_keys = 0;
  gdk_keymap_get_entries_for_keyval (gdk_keymap_get_for_display (display), keyval, &keys, &n_keys);
  for (int type = 0; type < 2; type++)
    {
      GdkEvent *ev = gdk_event_new (type ? GDK_KEY_RELEASE : GDK_KEY_PRESS);
      ev->key.window = g_object_ref (gw);
      ev->key.send_event = TRUE;
      ev->key.time = GDK_CURRENT_TIME;
      ev->key.keyval = keyval;
      ev->key.hardware_keycode = n_keys > 0 ? keys[0].keycode : 0;
      ev->key.group = n_keys > 0 ? keys[0].group : 0;
      gdk_event_set_device (ev, gdk_seat_get_keyboard (seat));
      gtk_main_do_event (ev);
      gdk_event_free (ev);
    }
  g_free (keys);
  settle ();
}

/* A button event on a widget's window at (x, y) in its coordinates. */
static void
send_button (GtkWidget *w, GdkEventType type, double x, double y)
{
  GdkWindow *gw = gtk_widget_get_window (w);
  int ox = 0, oy = 0;
  if (!gtk_widget_get_has_window (w))
    {
      GtkAllocation a;
      gtk_widget_get_allocation (w, &a);
      ox = a.x, oy = a.y;
    }
  GdkEvent *ev = gdk_event_new (type);
  ev->button.window = g_object_ref (gw);
  ev->button.send_event = TRUE;
  ev->button.time = GDK_CURRENT_TIME;
  ev->button.x = x + ox;
  ev->button.y = y + oy;
  ev->button.button = 1;
  gdk_event_set_device (
      ev, gdk_seat_get_pointer (gdk_display_get_default_seat (gdk_window_get_display (gw))));
  gtk_main_do_event (ev);
  gdk_event_free (ev);
}

/* Double-click on a span: the first click selects it, the double-click fits it. */
static void
test_double_click (void)
{
  act ("clear-selection", NULL);
  act ("fit", NULL);
  AmlavizTimelineView *tv = amlaviz_window_get_timeline (win, FALSE);
  GtkWidget *w = GTK_WIDGET (tv);
  const SimTrace *t = amlaviz_session_get_trace (session, FALSE);
  TlView v;
  g_assert_true (amlaviz_timeline_view_get_tl_view (tv, &v));
  /* the widest span of AIC0's first lane in view */
  const SimLane *lane = sim_trace_lane (t, 0, 0);
  gsize best = 0;
  for (gsize i = 0; i < lane->n_spans; i++)
    if (lane->spans[i].dur_ns > lane->spans[best].dur_ns)
      best = i;
  const SimSpan *sp = &lane->spans[best];
  double x = tl_time_to_x (&v.map, sp->start_ns + sp->dur_ns / 2);
  double y = tl_render_lane_y (&v, t, 0, 0) + v.lane_height_px / 2;
  send_button (w, GDK_BUTTON_PRESS, x, y);
  send_button (w, GDK_BUTTON_RELEASE, x, y);
  settle ();
  int g, l;
  gsize i;
  amlaviz_session_get_selection (session, FALSE, &g, &l, &i);
  g_assert_cmpint (g, ==, 0);
  g_assert_cmpint (l, ==, 0);
  gsize picked = i;
  const SimSpan *ps = &lane->spans[picked];
  send_button (w, GDK_BUTTON_PRESS, x, y);
  send_button (w, GDK_2BUTTON_PRESS, x, y);
  send_button (w, GDK_BUTTON_RELEASE, x, y);
  settle ();
  double t0, t1;
  amlaviz_session_get_window (session, &t0, &t1);
  g_assert_cmpfloat_with_epsilon (t0, ps->start_ns - 0.05 * ps->dur_ns, 1e-6 * ps->dur_ns + 1e-6);
  g_assert_cmpfloat_with_epsilon (t1, ps->start_ns + 1.05 * ps->dur_ns, 1e-6 * ps->dur_ns + 1e-6);
  /* the release after the double-click did not re-select on the zoomed view */
  amlaviz_session_get_selection (session, FALSE, &g, &l, &i);
  g_assert_cmpuint (i, ==, picked);
  act ("clear-selection", NULL);
  act ("fit", NULL);
}

/* Keys: a focus ring on the timeline; arrows move the selection; Enter folds the group. */
static void
test_keyboard (void)
{
  act ("clear-selection", NULL);
  act ("fit", NULL);
  AmlavizTimelineView *tv = amlaviz_window_get_timeline (win, FALSE);
  gtk_widget_grab_focus (GTK_WIDGET (tv));
  settle ();
  g_assert_true (gtk_widget_has_focus (GTK_WIDGET (tv)));
  /* the ring: the border pixels are the accent, not the canvas */
  cairo_surface_t *s = snapshot_at_least (GTK_WIDGET (tv), 100);
  GtkStyleContext *ctx = gtk_widget_get_style_context (GTK_WIDGET (tv));
  GdkRGBA accent;
  g_assert_true (gtk_style_context_lookup_color (ctx, "theme_selected_bg_color", &accent));
  const guint8 *d = cairo_image_surface_get_data (s);
  int stride = cairo_image_surface_get_stride (s), h = cairo_image_surface_get_height (s);
  guint32 px = *(const guint32 *) (d + (h / 2) * stride + 4 * 1);
  g_test_message ("left border pixel %06x, accent %.2f %.2f %.2f", px & 0xffffff, accent.red,
                  accent.green, accent.blue);
  g_assert_cmpint (abs ((int) (px >> 16 & 0xff) - (int) lround (accent.red * 255)), <, 40);
  g_assert_cmpint (abs ((int) (px & 0xff) - (int) lround (accent.blue * 255)), <, 40);
  cairo_surface_destroy (s);

  /* Down with nothing selected: a span on the first lane; Right: the next on that lane */
  send_key (GDK_KEY_Down);
  int g, l;
  gsize i;
  amlaviz_session_get_selection (session, FALSE, &g, &l, &i);
  g_assert_cmpint (g, >=, 0);
  int g0 = g, l0 = l;
  gsize i0 = i;
  send_key (GDK_KEY_Right);
  amlaviz_session_get_selection (session, FALSE, &g, &l, &i);
  g_assert_cmpint (g, ==, g0);
  g_assert_cmpint (l, ==, l0);
  g_assert_cmpuint (i, ==, i0 + 1);
  send_key (GDK_KEY_Left);
  amlaviz_session_get_selection (session, FALSE, &g, &l, &i);
  g_assert_cmpuint (i, ==, i0);
  /* Down: a lane below, near the same time */
  send_key (GDK_KEY_Down);
  amlaviz_session_get_selection (session, FALSE, &g, &l, &i);
  g_assert_true (g > g0 || (g == g0 && l > l0));
  save_window (dark ? "screenshot-keyboard-dark.png" : "screenshot-keyboard.png");
  /* Enter folds its group */
  int fold = g;
  send_key (GDK_KEY_Return);
  g_assert_true (amlaviz_session_get_collapsed (session, FALSE)[fold]);
  act ("expand-all", NULL);
  /* Left with nothing selected still pans */
  act ("clear-selection", NULL);
  act ("zoom-in", NULL);
  double t0, t1, u0, u1;
  amlaviz_session_get_window (session, &t0, &t1);
  gtk_widget_grab_focus (GTK_WIDGET (tv));
  send_key (GDK_KEY_Right);
  amlaviz_session_get_window (session, &u0, &u1);
  g_assert_cmpfloat (u0, >, t0);
  act ("fit", NULL);
}

/* A foreign trace: the axis counts from its first event (the offset is stated), the skipped
 * events are named with the reason, and there is no AMLA stage legend. */
static void
test_foreign_trace (void)
{
  g_autofree char *dir = g_dir_make_tmp ("amlaviz-foreign-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "profile.json", NULL);
  GString *j = g_string_new ("{\"traceEvents\":[\n");
  g_string_append (
      j, "{\"ph\":\"M\",\"name\":\"process_name\",\"pid\":1,\"args\":{\"name\":\"worker\"}},\n");
  for (int k = 0; k < 40; k++)
    g_string_append_printf (
        j,
        "{\"ph\":\"X\",\"name\":\"%s\",\"cat\":\"cpu_op\",\"pid\":1,\"tid\":%d,\"ts\":%.3f,"
        "\"dur\":20,\"args\":{\"External id\":%d,\"Input Dims\":[[64,128],[128,%d]]}},\n",
        k % 2 ? "matmul" : "softmax", 1 + k % 3, 629750000.0 + k * 25, 100 + k, 256 + k);
  g_string_append (
      j, "{\"ph\":\"b\",\"name\":\"async\",\"id\":7,\"pid\":1,\"tid\":1,\"ts\":629750010},\n");
  g_string_append (
      j, "{\"ph\":\"X\",\"name\":\"tail\",\"pid\":1,\"tid\":1,\"ts\":629751100,\"dur\":10}\n]}\n");
  g_assert_true (g_file_set_contents (path, j->str, -1, NULL));
  g_string_free (j, TRUE);
  act ("open-file", g_variant_new_string (path));
  const SimTrace *t = amlaviz_session_get_trace (session, FALSE);
  g_assert_nonnull (t);
  g_assert_cmpuint (t->skipped_events, ==, 1);
  g_assert_cmpfloat_with_epsilon (amlaviz_session_get_time_origin (session), t->start_ns, 1e-3);
  const char *d = amlaviz_session_get_details (session);
  g_test_message ("details: %s", d);
  g_assert_nonnull (strstr (d, "1 event was skipped"));
  g_assert_nonnull (strstr (d, "async"));
  g_assert_nonnull (strstr (d, "saved back with the trace"));
  g_assert_null (strstr (d, "dropped"));
  settle ();
  save_window (dark ? "screenshot-foreign-opened-dark.png" : "screenshot-foreign-opened.png");
  g_assert_nonnull (strstr (d, "629.750000 s"));
  AmlavizTimelineView *tv = amlaviz_window_get_timeline (win, FALSE);
  TlView v;
  g_assert_true (amlaviz_timeline_view_get_tl_view (tv, &v));
  g_assert_cmpfloat (v.time_origin_ns, ==, t->start_ns);
  /* no stage legend: its swatches would be in the bottom-right corner */
  cairo_surface_t *s = snapshot_at_least (GTK_WIDGET (tv), 100);
  double c1[3];
  tl_stage_color (SIM_STAGE_C1, v.theme, c1);
  int w = cairo_image_surface_get_width (s), h = cairo_image_surface_get_height (s);
  const guint8 *px = cairo_image_surface_get_data (s);
  int stride = cairo_image_surface_get_stride (s);
  guint swatch = 0;
  for (int y = h - 40; y < h; y++)
    for (int x = w - 340; x < w; x++)
      {
        guint32 p = *(const guint32 *) (px + y * stride + 4 * x);
        if (abs ((int) (p >> 16 & 0xff) - (int) lround (c1[0] * 255)) < 4
            && abs ((int) (p >> 8 & 0xff) - (int) lround (c1[1] * 255)) < 4
            && abs ((int) (p & 0xff) - (int) lround (c1[2] * 255)) < 4)
          swatch++;
      }
  g_assert_cmpuint (swatch, ==, 0);
  /* the first tick label is 0, not 629,750 ms: the ruler's first tick is at the origin */
  TlTicks ticks;
  TlTimeMap rel = v.map;
  rel.t0_ns -= v.time_origin_ns;
  rel.t1_ns -= v.time_origin_ns;
  tl_ticks_compute (&rel, 60, &ticks);
  char label[64];
  tl_ticks_format (&ticks, ticks.t_ns[0], label, sizeof label);
  g_test_message ("first tick label: %s", label);
  g_assert_true (g_str_has_prefix (label, "0"));
  /* the events' own cat and args are listed with the span, and a save keeps them */
  amlaviz_session_select_span (session, FALSE, 0, 0, 1);
  d = amlaviz_session_get_details (session);
  g_test_message ("selected: %s", d);
  g_assert_nonnull (strstr (d, "category: cpu_op"));
  g_assert_nonnull (strstr (d, "External id: 103"));
  g_assert_nonnull (strstr (d, "Input Dims: [[64,128],[128,259]]"));
  settle ();
  save_window (dark ? "screenshot-foreign-dark.png" : "screenshot-foreign.png");
  cairo_surface_destroy (s);
  g_autofree char *saved = g_build_filename (dir, "saved.json", NULL);
  act ("save-to", g_variant_new_string (saved));
  g_autofree char *text = NULL;
  g_assert_true (g_file_get_contents (saved, &text, NULL, NULL));
  g_assert_nonnull (strstr (text, "\"cat\":\"cpu_op\""));
  g_assert_nonnull (
      strstr (text, "\"args\":{\"External id\":103,\"Input Dims\":[[64,128],[128,259]]}"));
  /* the async event it does not draw, as it was */
  g_assert_nonnull (strstr (
      text, "\n{\"ph\":\"b\",\"name\":\"async\",\"id\":7,\"pid\":1,\"tid\":1,\"ts\":629750010}"));
  g_remove (saved);
  act ("simulate", NULL);
  g_assert_cmpfloat (amlaviz_session_get_time_origin (session), ==, 0);
  g_remove (path);
  g_rmdir (dir);
}

/* The range's per-stage times are pipe-time and say so. */
static void
test_range_pipe_time (void)
{
  const SimTrace *t = amlaviz_session_get_trace (session, FALSE);
  double a = t->start_ns + 0.4 * (t->end_ns - t->start_ns),
         b = a + 0.04 * (t->end_ns - t->start_ns);
  act ("select-range", g_variant_new ("(dd)", a, b));
  const char *d = amlaviz_session_get_details (session);
  g_assert_nonnull (strstr (d, "Per stage: pipe-time"));
  save_window (dark ? "screenshot-range-pipe-time-dark.png" : "screenshot-range-pipe-time.png");
  act ("clear-selection", NULL);
}

/* The sweep plot: eight series in a colour-blind-safe palette with marker shapes, the theme's
 * colours, and roofline points that name their S_kv on hover. */
static void
test_sweep_plot (void)
{
  act ("configure", g_variant_new_string ("B=8"));
  act ("view", g_variant_new_string ("sweep"));
  AmlavizSweepView *sv = amlaviz_window_get_sweep_view (win);
  amlaviz_sweep_view_set_axis (sv, SWEEP_AXIS_KV);
  amlaviz_sweep_view_set_values (sv, "512,2048");
  amlaviz_sweep_view_set_toggles (sv, AMLAVIZ_SWEEP_TOGGLES_ALL, 0);
  amlaviz_sweep_view_set_plot (sv, PLOT_KIND_SWEEP, PLOT_Y_UTILIZATION);
  g_assert_true (amlaviz_sweep_view_run (sv));
  gint64 deadline = g_get_monotonic_time () + 200 * G_USEC_PER_SEC;
  while (amlaviz_sweep_view_is_running (sv) && g_get_monotonic_time () < deadline)
    {
      while (gtk_events_pending ())
        gtk_main_iteration_do (FALSE);
      g_usleep (5000);
    }
  pump ();
  g_assert_cmpuint (amlaviz_sweep_view_get_results (sv)->len, ==, 16);
  /* eight distinct colours, none of them a red/green pair of the same lightness */
  for (guint i = 0; i < 8; i++)
    for (guint j = i + 1; j < 8; j++)
      {
        double a[3], b[3];
        plot_series_color (i, a);
        plot_series_color (j, b);
        double d = fabs (a[0] - b[0]) + fabs (a[1] - b[1]) + fabs (a[2] - b[2]);
        g_assert_cmpfloat (d, >, 0.2);
      }
  GtkWidget *area = amlaviz_sweep_view_get_plot_area (sv);
  cairo_surface_t *s = snapshot_at_least (area, 100);
  double lum = mean_luminance (s);
  g_test_message ("sweep plot mean luminance %.2f", lum);
  if (dark)
    g_assert_cmpfloat (lum, <, 0.35);
  else
    g_assert_cmpfloat (lum, >, 0.7);
  /* every series is drawn in its colour */
  int w = cairo_image_surface_get_width (s), h = cairo_image_surface_get_height (s);
  int stride = cairo_image_surface_get_stride (s);
  const guint8 *d = cairo_image_surface_get_data (s);
  for (guint k = 0; k < 8; k++)
    {
      double c[3];
      plot_series_color_themed (k, dark, c);
      guint n = 0;
      for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
          {
            guint32 p = *(const guint32 *) (d + y * stride + 4 * x);
            if (abs ((int) (p >> 16 & 0xff) - (int) lround (c[0] * 255)) < 6
                && abs ((int) (p >> 8 & 0xff) - (int) lround (c[1] * 255)) < 6
                && abs ((int) (p & 0xff) - (int) lround (c[2] * 255)) < 6)
              n++;
          }
      g_test_message ("series %u: %u px", k, n);
      g_assert_cmpuint (n, >, 20);
    }
  cairo_surface_destroy (s);
  save_window (dark ? "screenshot-sweep-dark.png" : "screenshot-sweep-light.png");

  /* the roofline names the hovered point's S_kv */
  amlaviz_sweep_view_set_plot (sv, PLOT_KIND_ROOFLINE, PLOT_Y_UTILIZATION);
  pump ();
  const SweepResult *r = &g_array_index (amlaviz_sweep_view_get_results (sv), SweepResult, 0);
  amlaviz_sweep_view_set_hover (sv, 0);
  pump ();
  g_autofree char *tag = amlaviz_sweep_view_get_hover_tag (sv);
  g_autofree char *want = g_strdup_printf ("S_kv = %d", r->config.kv_len);
  g_assert_cmpstr (tag, ==, want);
  save_window (dark ? "screenshot-roofline-dark.png" : "screenshot-roofline-light.png");
  amlaviz_sweep_view_set_hover (sv, -1);
  amlaviz_sweep_view_set_plot (sv, PLOT_KIND_SWEEP, PLOT_Y_UTILIZATION);
  act ("view", g_variant_new_string ("timeline"));
  act ("configure", g_variant_new_string ("B=96"));
}

/* The shortcuts window lists the new keys (search, markers, zoom to selection). */
static void
test_shortcuts_window (void)
{
  act ("shortcuts", NULL);
  GtkShortcutsWindow *sw = gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (win));
  g_assert_nonnull (sw);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (sw)));
  /* every shortcut of the new groups is there */
  static const char *const want[]
      = { "slash &lt;Primary&gt;f", "m", "bracketleft bracketright", "f", "Up Down", NULL };
  g_autoptr (GBytes) ui
      = g_resources_lookup_data ("/io/github/amlaviz/Amlaviz/gtk/help-overlay.ui", 0, NULL);
  g_assert_nonnull (ui);
  const char *text = g_bytes_get_data (ui, NULL);
  for (guint i = 0; want[i]; i++)
    {
      g_autofree char *needle = g_strdup_printf (">%s<", want[i]);
      g_assert_nonnull (g_strstr_len (text, g_bytes_get_size (ui), needle));
    }
  cairo_surface_t *s = snapshot_at_least (GTK_WIDGET (sw), 100);
  save_png (s, dark ? "screenshot-shortcuts-dark.png" : "screenshot-shortcuts.png");
  cairo_surface_destroy (s);
  gtk_widget_hide (GTK_WIDGET (sw));
  pump ();
}


/* Open… and Save As… return at once (no nested main loop): the chooser answers through its
 * response; cancelled nothing happens, accepted the trace is saved where chosen. */
static void
test_choosers_async (void)
{
  g_action_group_activate_action (G_ACTION_GROUP (app), "open", NULL);
  pump ();
  GtkFileChooser *chooser = find_chooser ();
  g_assert_nonnull (chooser);
  g_assert_cmpint (gtk_file_chooser_get_action (chooser), ==, GTK_FILE_CHOOSER_ACTION_OPEN);
  gtk_dialog_response (GTK_DIALOG (chooser), GTK_RESPONSE_CANCEL);
  pump ();
  g_assert_null (find_chooser ());
  g_assert_null (amlaviz_session_get_error (session));

  g_autofree char *dir = g_dir_make_tmp ("amlaviz-window-XXXXXX", NULL);
  g_action_group_activate_action (G_ACTION_GROUP (app), "save-as", NULL);
  pump ();
  chooser = find_chooser ();
  g_assert_nonnull (chooser);
  g_assert_cmpint (gtk_file_chooser_get_action (chooser), ==, GTK_FILE_CHOOSER_ACTION_SAVE);
  g_autofree char *target = g_build_filename (dir, "chosen.json", NULL);
  save_through_chooser (dir, "chosen.json", target);
  settle ();
  g_assert_null (find_chooser ());
  g_autofree char *saved = g_build_filename (dir, "chosen.json", NULL);
  g_assert_true (g_file_test (saved, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpstr (amlaviz_session_get_file (session), ==, saved);
  g_remove (saved);
  rmdir_at_exit (dir);
}

/* Does some filter of the chooser show a file of this name? */
static gboolean
chooser_shows (GtkFileChooser *chooser, const char *name)
{
  GSList *filters = gtk_file_chooser_list_filters (chooser);
  GtkFileFilterInfo info = { .contains = GTK_FILE_FILTER_DISPLAY_NAME | GTK_FILE_FILTER_FILENAME,
                             .filename = name,
                             .display_name = name };
  gboolean shown = FALSE;
  for (GSList *l = filters; l; l = l->next)
    shown |= gtk_file_filter_filter (l->data, &info);
  g_slist_free (filters);
  return shown;
}

/* Save As offers plain and gzip traces, and a name ending in .json.gz saves gzip; a trace opened
 * from .json.gz and saved with Save (Ctrl+S) stays gzip (it used to be overwritten with plain
 * JSON under the .gz name, which gunzip and Perfetto refuse). */
static void
test_save_gzip (void)
{
  g_autofree char *dir = g_dir_make_tmp ("amlaviz-window-XXXXXX", NULL);
  g_autofree char *target = g_build_filename (dir, "chosen.json.gz", NULL);
  g_action_group_activate_action (G_ACTION_GROUP (app), "save-as", NULL);
  pump ();
  GtkFileChooser *chooser = find_chooser ();
  g_assert_nonnull (chooser);
  g_assert_true (chooser_shows (chooser, "old.json"));
  g_assert_true (chooser_shows (chooser, "old.json.gz"));
  save_through_chooser (dir, "chosen.json.gz", target);
  settle ();
  g_assert_null (find_chooser ());
  g_assert_cmpstr (amlaviz_session_get_file (session), ==, target);
  g_assert_true (sim_trace_file_is_gzip (target));

  g_action_group_activate_action (G_ACTION_GROUP (app), "open-file", g_variant_new_string (target));
  settle ();
  g_assert_null (amlaviz_session_get_error (session));
  g_assert_cmpstr (amlaviz_session_get_file (session), ==, target);
  guint64 n_spans = amlaviz_session_get_trace (session, FALSE)->n_spans;
  g_assert_cmpint (g_remove (target), ==, 0); /* so the file below is Save's */
  g_action_group_activate_action (G_ACTION_GROUP (app), "save", NULL);
  settle ();
  g_assert_null (find_chooser ()); /* Save of a trace with a file asks nothing */
  g_assert_null (amlaviz_session_get_error (session));
  g_assert_true (sim_trace_file_is_gzip (target));
  g_autoptr (GError) error = NULL;
  g_autoptr (SimTrace) back = sim_trace_read_json (target, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (back->n_spans, ==, n_spans);
  g_remove (target);
  rmdir_at_exit (dir);
}

static void
find_combo_text (GtkWidget *w, gpointer data)
{
  GtkWidget **found = data;
  if (*found == NULL && GTK_IS_COMBO_BOX_TEXT (w))
    *found = w;
  else if (*found == NULL && GTK_IS_CONTAINER (w))
    gtk_container_forall (GTK_CONTAINER (w), find_combo_text, data);
}

/* A trace simulated on a preset file no preset here matches: the preset list shows its hardware
 * as the trace's, through a toggle, until a preset of this machine is chosen. */
static void
test_trace_hw (void)
{
  g_autofree char *dir = g_dir_make_tmp ("amlaviz-tracehw-XXXXXX", NULL);
  g_autofree char *src
      = g_build_filename (g_getenv ("AMLAVIZ_DATA_DIR"), "hw", "ascend910c.json", NULL);
  g_autofree char *text = NULL;
  g_assert_true (g_file_get_contents (src, &text, NULL, NULL));
  GString *custom = g_string_new (text);
  /* another name and a slower L2 */
  g_assert_cmpuint (g_string_replace (custom, "\"ascend910c\"", "\"mychip\"", 1), ==, 1);
  g_autofree char *preset = g_build_filename (dir, "mychip.json", NULL);
  g_assert_true (g_file_set_contents (preset, custom->str, -1, NULL));
  g_string_free (custom, TRUE);
  g_autoptr (GError) error = NULL;
  g_autoptr (SimHw) hw = sim_hw_load (preset, &error);
  g_assert_no_error (error);
  g_unlink (preset);
  g_assert_cmpstr (hw->name, ==, "mychip");
  AmlaConfig cfg;
  amla_config_init (&cfg);
  cfg.batch = 4;
  cfg.kv_len = 1024;
  g_autoptr (AmlaRun) run = amla_run (&cfg, hw, NULL, &error);
  g_assert_no_error (error);
  g_autofree char *path = g_build_filename (dir, "mychip-run.json", NULL);
  g_assert_true (
      sim_trace_write_json (run->result->trace, path, SIM_TRACE_FLAVOR_PERFETTO, &error));
  act ("open-file", g_variant_new_string (path));
  GtkWidget *combo = NULL;
  find_combo_text (GTK_WIDGET (win), &combo);
  g_assert_nonnull (combo);
  g_autofree char *shown = gtk_combo_box_text_get_active_text (GTK_COMBO_BOX_TEXT (combo));
  g_assert_cmpstr (shown, ==, "mychip (trace)");
  g_assert_nonnull (
      strstr (amlaviz_session_get_details (session), "Hardware: mychip as the trace recorded it"));
  GActionGroup *actions = amlaviz_session_get_actions (session);
  g_action_group_change_action_state (actions, "preload", g_variant_new_boolean (FALSE));
  settle ();
  g_assert_null (amlaviz_session_get_error (session));
  g_autofree char *after = gtk_combo_box_text_get_active_text (GTK_COMBO_BOX_TEXT (combo));
  g_assert_cmpstr (after, ==, "mychip (trace)");
  g_action_group_change_action_state (actions, "preload", g_variant_new_boolean (TRUE));
  settle ();
  g_assert_cmpfloat (amlaviz_session_get_metrics (session, FALSE)->total_ns, ==,
                     run->result->metrics.total_ns);
  g_action_group_activate_action (actions, "preset", g_variant_new_string ("ascend910c"));
  settle ();
  g_autofree char *builtin = gtk_combo_box_text_get_active_text (GTK_COMBO_BOX_TEXT (combo));
  g_assert_cmpstr (builtin, ==, "ascend910c");
  g_unlink (path);
  g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  dark = g_strcmp0 (g_getenv ("GTK_THEME"), "Adwaita:dark") == 0;
  gui_start (&argc, &argv, 1400, 860);

  g_test_add_func ("/window/theme", test_theme);
  g_test_add_func ("/window/fits-1024x700", test_fits_1024x700);
  g_test_add_func ("/window/keyboard", test_keyboard);
  g_test_add_func ("/window/double-click", test_double_click);
  g_test_add_func ("/window/foreign-trace", test_foreign_trace);
  g_test_add_func ("/window/range-pipe-time", test_range_pipe_time);
  g_test_add_func ("/window/sweep-plot", test_sweep_plot);
  g_test_add_func ("/window/shortcuts-window", test_shortcuts_window);
  g_test_add_func ("/window/choosers-async", test_choosers_async);
  g_test_add_func ("/window/save-gzip", test_save_gzip);
  g_test_add_func ("/window/trace-hw", test_trace_hw);
  int status = g_test_run ();
  gtk_widget_destroy (GTK_WIDGET (win));
  pump ();
  g_object_unref (app);
  return status;
}
