/* tests/gui/test-gui-sweep.c — the Sweep view of the real amlaviz application under Xvfb: switch to
 * it through app.view, run a small sweep, check the results and that each series is drawn where the
 * PlotFrame puts its points (pixel probes), click a point and land on that configuration's
 * timeline, export the plot, refuse bad values, cancel.  Screenshots of a finished sweep go to
 * $AMLAVIZ_SCREENSHOT_DIR (screenshot-sweep.png, screenshot-sweep-roofline.png). */
#include "tests/gui/gui-harness.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

static AmlavizSweepView *sv;

static char *
action_string (const char *name)
{
  g_autoptr (GVariant) v = g_action_group_get_action_state (G_ACTION_GROUP (app), name);
  return g_variant_dup_string (v, NULL);
}

static void
wait_sweep (void)
{
  gint64 deadline = g_get_monotonic_time () + 200 * G_USEC_PER_SEC;
  while (amlaviz_sweep_view_is_running (sv) && g_get_monotonic_time () < deadline)
    {
      while (gtk_events_pending ())
        gtk_main_iteration_do (FALSE);
      g_usleep (5000);
    }
  g_assert_false (amlaviz_sweep_view_is_running (sv));
  pump ();
}

static cairo_surface_t *
snapshot (GtkWidget *w)
{
  return snapshot_at_least (w, 300);
}

/* Is the pixel at (x, y) the colour rgb (0..1), within tol per channel out of 255? */
static gboolean
pixel_is (cairo_surface_t *s, double x, double y, const double rgb[3], int tol)
{
  int ix = (int) floor (x), iy = (int) floor (y);
  const guint8 *p
      = cairo_image_surface_get_data (s) + iy * cairo_image_surface_get_stride (s) + 4 * ix;
  /* ARGB32 in native (little-endian) order: B G R A */
  return abs (p[2] - (int) lround (rgb[0] * 255)) <= tol
         && abs (p[1] - (int) lround (rgb[1] * 255)) <= tol
         && abs (p[0] - (int) lround (rgb[2] * 255)) <= tol;
}

static void
send_button (GtkWidget *w, GdkEventType type, double x, double y)
{
  GdkEvent *ev = gdk_event_new (type);
  ev->button.window = g_object_ref (gtk_widget_get_window (w));
  ev->button.x = x;
  ev->button.y = y;
  ev->button.button = GDK_BUTTON_PRIMARY;
  ev->button.time = GDK_CURRENT_TIME;
  gdk_event_set_device (
      ev, gdk_seat_get_pointer (gdk_display_get_default_seat (gtk_widget_get_display (w))));
  gtk_widget_event (w, ev);
  gdk_event_free (ev);
}

static void
send_motion (GtkWidget *w, double x, double y)
{
  GdkEvent *ev = gdk_event_new (GDK_MOTION_NOTIFY);
  ev->motion.window = g_object_ref (gtk_widget_get_window (w));
  ev->motion.x = x;
  ev->motion.y = y;
  ev->motion.time = GDK_CURRENT_TIME;
  gdk_event_set_device (
      ev, gdk_seat_get_pointer (gdk_display_get_default_seat (gtk_widget_get_display (w))));
  gtk_widget_event (w, ev);
  gdk_event_free (ev);
}

static void
test_view_action (void)
{
  g_autofree char *s0 = action_string ("view");
  g_assert_cmpstr (s0, ==, "timeline");
  g_assert_cmpstr (amlaviz_window_get_view (win), ==, "timeline");
  act ("view", g_variant_new_string ("sweep"));
  g_assert_cmpstr (amlaviz_window_get_view (win), ==, "sweep");
  g_autofree char *s1 = action_string ("view");
  g_assert_cmpstr (s1, ==, "sweep");
  g_assert_true (gtk_widget_get_mapped (amlaviz_sweep_view_get_plot_area (sv)));
  act ("view", g_variant_new_string ("toggle"));
  g_assert_cmpstr (amlaviz_window_get_view (win), ==, "timeline");
  g_autofree char *s2 = action_string ("view");
  g_assert_cmpstr (s2, ==, "timeline");
  act ("view", g_variant_new_string ("toggle"));
  g_assert_cmpstr (amlaviz_window_get_view (win), ==, "sweep");
  g_auto (GStrv) accels
      = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "app.view('toggle')");
  g_assert_nonnull (accels[0]);
  g_assert_cmpstr (accels[0], ==, "F6");

  /* the defaults: S_kv 512..16384 doubling × all 8 toggle combinations around the current shape */
  g_autoptr (GError) error = NULL;
  g_autoptr (SweepGrid) grid = amlaviz_sweep_view_build_grid (sv, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sweep_grid_axis_len (grid, SWEEP_AXIS_KV), ==, 6);
  g_assert_cmpuint (sweep_grid_size (grid), ==, 48);
  AmlaConfig c;
  sweep_grid_config (grid, 0, &c);
  g_assert_cmpint (c.batch, ==, amlaviz_session_get_config (session)->batch);
  g_assert_cmpint (c.kv_len, ==, 512);
}

static void
test_small_sweep (void)
{
  act ("configure", g_variant_new_string ("B=8"));
  g_assert_cmpint (amlaviz_session_get_config (session)->batch, ==, 8);
  amlaviz_sweep_view_set_axis (sv, SWEEP_AXIS_KV);
  amlaviz_sweep_view_set_values (sv, "512,1024");
  amlaviz_sweep_view_set_toggles (sv, AMLAVIZ_SWEEP_TOGGLES_PICK,
                                  AMLAVIZ_PICK_PRELOAD_ON | AMLAVIZ_PICK_TILING_ON
                                      | AMLAVIZ_PICK_TILING_OFF | AMLAVIZ_PICK_RESCALE_AMLA);
  amlaviz_sweep_view_set_plot (sv, PLOT_KIND_SWEEP, PLOT_Y_UTILIZATION);
  g_assert_true (amlaviz_sweep_view_run (sv));
  g_assert_true (amlaviz_sweep_view_is_running (sv));
  wait_sweep ();

  const GArray *results = amlaviz_sweep_view_get_results (sv);
  g_assert_cmpuint (results->len, ==, 4);
  guint64 done, total;
  amlaviz_sweep_view_get_progress (sv, &done, &total);
  g_assert_cmpuint (done, ==, 4);
  g_assert_cmpuint (total, ==, 4);
  g_assert_nonnull (strstr (amlaviz_sweep_view_get_status (sv), "4 runs"));
  guint seen = 0;
  for (guint i = 0; i < results->len; i++)
    {
      const SweepResult *r = &g_array_index (results, SweepResult, i);
      g_assert_null (r->error);
      g_assert_cmpuint (r->point, ==, i);
      g_assert_cmpint (r->config.batch, ==, 8);
      g_assert_true (r->config.preload);
      g_assert_cmpint (r->config.rescale, ==, AMLA_RESCALE_AMLA);
      g_assert_true (r->config.kv_len == 512 || r->config.kv_len == 1024);
      seen |= 1u << ((r->config.kv_len == 1024) * 2 + !r->config.tiling);
      g_assert_cmpfloat (r->metrics.tflops, >, 0);
    }
  g_assert_cmpuint (seen, ==, 0xf); /* exactly the grid: each (kv, tiling) once */

  /* each series is drawn where its points are */
  GtkWidget *area = amlaviz_sweep_view_get_plot_area (sv);
  cairo_surface_t *shot = snapshot (area);
  save_png (shot, "screenshot-sweep-small.png");
  PlotFrame f;
  PlotKind kind;
  PlotY y;
  g_assert_true (amlaviz_sweep_view_get_frame (sv, &f, &kind, &y));
  g_assert_cmpint (kind, ==, PLOT_KIND_SWEEP);
  g_assert_cmpint (f.x_axis, ==, SWEEP_AXIS_KV);
  g_assert_cmpuint (f.n_series, ==, 2);
  g_autoptr (GPtrArray) series = plot_sweep_series (results, f.x_axis, NULL);
  g_assert_cmpuint (series->len, ==, 2);
  guint series_of[4];
  for (guint s = 0; s < series->len; s++)
    {
      GArray *idx = g_ptr_array_index (series, s);
      for (guint k = 0; k < idx->len; k++)
        series_of[g_array_index (idx, guint, k)] = s;
    }
  guint probed = 0;
  for (guint i = 0; i < results->len; i++)
    {
      double rgb[3];
      plot_series_color (series_of[i], rgb);
      double px, py;
      g_assert_true (
          plot_result_point_px (&g_array_index (results, SweepResult, i), kind, y, &f, &px, &py));
      g_assert_cmpfloat (px, >, f.left);
      g_assert_cmpfloat (px, <, f.right);
      g_assert_cmpfloat (py, >, f.top);
      g_assert_cmpfloat (py, <, f.bottom);
      /* a marker of a later series drawn on top may hide this one where both coincide */
      gboolean covered = FALSE;
      for (guint j = 0; j < results->len; j++)
        {
          double qx, qy;
          if (series_of[j] > series_of[i]
              && plot_result_point_px (&g_array_index (results, SweepResult, j), kind, y, &f, &qx,
                                       &qy)
              && hypot (qx - px, qy - py) < 6)
            covered = TRUE;
        }
      if (covered)
        continue;
      /* the marker (radius 3.5) is there: some pixel of its core has the series colour (another
       * series' line may cross its centre) */
      gboolean found = FALSE;
      for (int dy = -2; dy <= 2 && !found; dy++)
        for (int dx = -2; dx <= 2 && !found; dx++)
          found = pixel_is (shot, px + dx, py + dy, rgb, 40);
      g_assert_true (found);
      probed++;
    }
  g_test_message ("probed %u of 4 points at their series colour", probed);
  g_assert_cmpuint (probed, >=, 2); /* tiling on/off lie far apart: all 4 in practice */
  cairo_surface_destroy (shot);

  /* the tooltip text of a point: its configuration and numbers */
  g_autofree char *tip = amlaviz_sweep_view_describe_point (sv, 0);
  g_assert_nonnull (strstr (tip, "S_kv=512"));
  g_assert_nonnull (strstr (tip, "TFLOPS"));
  g_assert_nonnull (strstr (tip, "Cube utilisation"));
  g_assert_nonnull (strstr (tip, "bound:"));
}

static void
test_click_point (void)
{
  const GArray *results = amlaviz_sweep_view_get_results (sv);
  g_assert_cmpuint (results->len, ==, 4);
  /* tiling off at S_kv = 512: differs from the session (tiling on, S_kv 4096) */
  int target = -1;
  for (guint i = 0; i < results->len; i++)
    {
      const SweepResult *r = &g_array_index (results, SweepResult, i);
      if (!r->config.tiling && r->config.kv_len == 512)
        target = (int) i;
    }
  g_assert_cmpint (target, >=, 0);
  PlotFrame f;
  PlotKind kind;
  PlotY y;
  g_assert_true (amlaviz_sweep_view_get_frame (sv, &f, &kind, &y));
  double px, py;
  g_assert_true (
      plot_result_point_px (&g_array_index (results, SweepResult, target), kind, y, &f, &px, &py));
  g_assert_cmpint (amlaviz_sweep_view_hit_test (sv, px, py), ==, target);
  g_assert_cmpint (amlaviz_sweep_view_hit_test (sv, f.left + 2, f.top + 2), ==, -1);
  g_assert_true (amlaviz_session_get_config (session)->tiling);

  /* a real click (press + release on the point) through the widget's event handlers */
  GtkWidget *area = amlaviz_sweep_view_get_plot_area (sv);
  send_button (area, GDK_BUTTON_PRESS, px, py);
  send_button (area, GDK_BUTTON_RELEASE, px, py);
  settle ();
  const AmlaConfig *c = amlaviz_session_get_config (session);
  g_assert_false (c->tiling);
  g_assert_true (c->preload);
  g_assert_cmpint (c->kv_len, ==, 512);
  g_assert_cmpint (c->batch, ==, 8);
  g_assert_cmpstr (amlaviz_window_get_view (win), ==, "timeline");
  g_autofree char *state = action_string ("view");
  g_assert_cmpstr (state, ==, "timeline");
  g_assert_nonnull (amlaviz_session_get_trace (session, FALSE));
  const SimMetrics *m = amlaviz_session_get_metrics (session, FALSE);
  g_assert_nonnull (m);
  /* the timeline's run is the point's run */
  const SweepResult *r = &g_array_index (results, SweepResult, target);
  g_assert_cmpfloat (fabs (m->total_ns - r->metrics.total_ns), <, 1e-6 * r->metrics.total_ns + 1);

  /* and through the function, to another point */
  act ("view", g_variant_new_string ("sweep"));
  amlaviz_sweep_view_activate_point (sv, 3);
  settle ();
  const SweepResult *r3 = &g_array_index (results, SweepResult, 3);
  g_assert_cmpint (amlaviz_session_get_config (session)->kv_len, ==, r3->config.kv_len);
  g_assert_cmpint (amlaviz_session_get_config (session)->tiling, ==, r3->config.tiling);
  g_assert_cmpstr (amlaviz_window_get_view (win), ==, "timeline");
  act ("view", g_variant_new_string ("sweep"));
}

static void
check_file_starts (const char *path, const char *magic)
{
  g_autofree char *data = NULL;
  gsize len = 0;
  g_assert_true (g_file_get_contents (path, &data, &len, NULL));
  g_assert_cmpuint (len, >, 500);
  g_assert_true (memcmp (data, magic, strlen (magic)) == 0);
}

static void
test_export (void)
{
  g_autofree char *dir = g_dir_make_tmp ("amlaviz-sweep-XXXXXX", NULL);
  g_assert_nonnull (dir);
  static const char *const files[][2]
      = { { "plot.png", "\x89PNG" }, { "plot.svg", "<?xml" }, { "plot.pdf", "%PDF" } };
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *path = g_build_filename (dir, files[i][0], NULL);
      g_autoptr (GError) error = NULL;
      g_assert_true (amlaviz_sweep_view_export (sv, path, &error));
      g_assert_no_error (error);
      check_file_starts (path, files[i][1]);
    }
  /* overwrite in place (atomic rename), and a roofline */
  g_autofree char *png = g_build_filename (dir, "plot.png", NULL);
  amlaviz_sweep_view_set_plot (sv, PLOT_KIND_ROOFLINE, PLOT_Y_UTILIZATION);
  g_assert_true (amlaviz_sweep_view_export (sv, png, NULL));
  check_file_starts (png, "\x89PNG");
  amlaviz_sweep_view_set_plot (sv, PLOT_KIND_SWEEP, PLOT_Y_UTILIZATION);
  /* an unknown extension is refused and writes nothing */
  g_autofree char *txt = g_build_filename (dir, "plot.txt", NULL);
  g_autoptr (GError) error = NULL;
  g_assert_false (amlaviz_sweep_view_export (sv, txt, &error));
  g_assert_error (error, PLOT_ERROR, PLOT_ERROR_INVALID);
  g_assert_false (g_file_test (txt, G_FILE_TEST_EXISTS));
  /* no temporary files left behind */
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  guint n = 0;
  const char *name;
  while ((name = g_dir_read_name (d)))
    {
      g_assert_false (g_str_has_suffix (name, ".tmp"));
      g_autofree char *p = g_build_filename (dir, name, NULL);
      g_remove (p);
      n++;
    }
  g_assert_cmpuint (n, ==, 3);
  g_rmdir (dir);
}

static gboolean
action_enabled (const char *name)
{
  return g_action_group_get_action_enabled (G_ACTION_GROUP (app), name);
}

/* A sweep through the actions alone, as `gapplication action` would run it: start, watch the
 * view follow, export, and a bad request answered in the status line. */
static void
test_sweep_actions (void)
{
  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (app), "sweep-run"));
  g_action_group_activate_action (G_ACTION_GROUP (app), "sweep-run",
                                  g_variant_new_string ("kv=512,1024 preload=on,off "
                                                        "toggles=current"));
  g_assert_true (amlaviz_session_sweep_is_running (session));
  g_assert_true (amlaviz_sweep_view_is_running (sv)); /* the view shows the session's run */
  g_assert_true (action_enabled ("sweep-cancel"));
  wait_sweep ();
  g_assert_false (action_enabled ("sweep-cancel"));
  g_assert_true (action_enabled ("sweep-export"));
  const GArray *results = amlaviz_session_sweep_get_results (session);
  g_assert_true (results == amlaviz_sweep_view_get_results (sv));
  g_assert_cmpuint (results->len, ==, 4); /* 2 lengths × preload on/off */
  guint n_values = 0;
  g_assert_cmpint (amlaviz_session_sweep_get_axis (session, &n_values), ==, SWEEP_AXIS_KV);
  g_assert_cmpuint (n_values, ==, 2);
  const AmlaConfig *cfg = amlaviz_session_get_config (session);
  for (guint i = 0; i < results->len; i++)
    {
      const SweepResult *r = &g_array_index (results, SweepResult, i);
      g_assert_null (r->error);
      g_assert_true (r->config.kv_len == 512 || r->config.kv_len == 1024);
      g_assert_cmpint (r->config.batch, ==, cfg->batch);
      g_assert_cmpint (r->config.tiling, ==, cfg->tiling);
    }
  g_assert_nonnull (strstr (amlaviz_sweep_view_get_status (sv), "4 runs"));

  g_autofree char *dir = g_dir_make_tmp ("amlaviz-sweep-XXXXXX", NULL);
  g_autofree char *svg = g_build_filename (dir, "by-action.svg", NULL);
  act ("sweep-export", g_variant_new_string (svg));
  check_file_starts (svg, "<?xml");
  g_assert_nonnull (strstr (amlaviz_sweep_view_get_status (sv), "Plot written to"));
  g_remove (svg);
  g_rmdir (dir);

  /* bad words: nothing runs, the results stay, the status says why */
  act ("sweep-run", g_variant_new_string ("kv=0,512"));
  g_assert_false (amlaviz_session_sweep_is_running (session));
  gboolean is_error = FALSE;
  const char *status = amlaviz_session_sweep_get_status (session, &is_error);
  g_assert_true (is_error);
  g_assert_nonnull (strstr (status, "S_kv"));
  act ("sweep-run", g_variant_new_string ("toggles=all"));
  g_assert_nonnull (strstr (amlaviz_session_sweep_get_status (session, NULL), "axis to sweep"));
  act ("sweep-run", g_variant_new_string ("colour=blue"));
  g_assert_nonnull (strstr (amlaviz_session_sweep_get_status (session, NULL), "“colour”"));
  g_assert_cmpuint (amlaviz_session_sweep_get_results (session)->len, ==, 4);
}


/* Export… opens its chooser and returns at once (no nested main loop); the answer comes through
 * the chooser's response: a name without an extension gets the chosen filter's. */
static void
test_export_chooser (void)
{
  g_assert_cmpuint (amlaviz_sweep_view_get_results (sv)->len, >, 0);
  g_autofree char *dir = g_dir_make_tmp ("amlaviz-sweep-XXXXXX", NULL);
  amlaviz_sweep_view_export_dialog (sv);
  pump ();
  GtkFileChooser *chooser = find_chooser ();
  g_assert_nonnull (chooser);
  /* cancelled: nothing written, the chooser gone */
  gtk_dialog_response (GTK_DIALOG (chooser), GTK_RESPONSE_CANCEL);
  pump ();
  g_assert_null (find_chooser ());

  amlaviz_sweep_view_export_dialog (sv);
  pump ();
  chooser = find_chooser ();
  g_assert_nonnull (chooser);
  g_autofree char *target = g_build_filename (dir, "from-chooser.png", NULL);
  save_through_chooser (dir, "from-chooser", target);
  pump ();
  g_assert_null (find_chooser ());
  g_autofree char *png = g_build_filename (dir, "from-chooser.png", NULL);
  check_file_starts (png, "\x89PNG");
  g_assert_nonnull (strstr (amlaviz_sweep_view_get_status (sv), "Plot written to"));
  g_remove (png);
  rmdir_at_exit (dir);
}

static void
test_bad_values (void)
{
  const GArray *results = amlaviz_sweep_view_get_results (sv);
  guint before = results->len;
  amlaviz_sweep_view_set_values (sv, "0,512");
  g_assert_false (amlaviz_sweep_view_run (sv));
  g_assert_false (amlaviz_sweep_view_is_running (sv));
  const char *status = amlaviz_sweep_view_get_status (sv);
  g_test_message ("bad values: %s", status);
  g_assert_nonnull (strstr (status, "S_kv"));
  g_assert_null (strstr (status, "--kv"));
  g_assert_nonnull (strstr (status, "'0'"));
  g_assert_cmpuint (amlaviz_sweep_view_get_results (sv)->len, ==, before);

  amlaviz_sweep_view_set_values (sv, "512..oops");
  g_assert_false (amlaviz_sweep_view_run (sv));
  amlaviz_sweep_view_set_values (sv, "512,1024");
  amlaviz_sweep_view_set_toggles (sv, AMLAVIZ_SWEEP_TOGGLES_PICK,
                                  AMLAVIZ_PICK_TILING_ON | AMLAVIZ_PICK_RESCALE_AMLA);
  g_assert_false (amlaviz_sweep_view_run (sv));
  g_assert_nonnull (strstr (amlaviz_sweep_view_get_status (sv), "preload"));
  /* heads must be 1, 2, 4, 8 or a multiple of 16: the grid's validation names it */
  amlaviz_sweep_view_set_toggles (sv, AMLAVIZ_SWEEP_TOGGLES_CURRENT, 0);
  amlaviz_sweep_view_set_axis (sv, SWEEP_AXIS_HEADS);
  amlaviz_sweep_view_set_values (sv, "16,24");
  g_assert_false (amlaviz_sweep_view_run (sv));
  g_test_message ("bad heads: %s", amlaviz_sweep_view_get_status (sv));
  g_assert_nonnull (strstr (amlaviz_sweep_view_get_status (sv), "H must be"));
  g_assert_cmpuint (amlaviz_sweep_view_get_results (sv)->len, ==, before);
  /* each axis keeps its own values */
  amlaviz_sweep_view_set_axis (sv, SWEEP_AXIS_KV);
  g_autoptr (SweepGrid) grid = amlaviz_sweep_view_build_grid (sv, NULL);
  g_assert_nonnull (grid);
  g_assert_cmpuint (sweep_grid_axis_len (grid, SWEEP_AXIS_KV), ==, 2);
}

static void
test_cancel (void)
{
  amlaviz_sweep_view_set_axis (sv, SWEEP_AXIS_KV);
  amlaviz_sweep_view_set_values (sv, "512..16384*2");
  amlaviz_sweep_view_set_toggles (sv, AMLAVIZ_SWEEP_TOGGLES_ALL, 0);
  act ("configure", g_variant_new_string ("B=96 kv=4096 preload=on tiling=on rescale=amla"));
  g_assert_true (amlaviz_sweep_view_run (sv));
  /* results stream in while the sweep runs */
  gint64 deadline = g_get_monotonic_time () + 100 * G_USEC_PER_SEC;
  while (amlaviz_sweep_view_get_results (sv)->len < 3 && g_get_monotonic_time () < deadline)
    {
      while (gtk_events_pending ())
        gtk_main_iteration_do (FALSE);
      g_usleep (1000);
    }
  g_assert_true (amlaviz_sweep_view_is_running (sv));
  guint streamed = amlaviz_sweep_view_get_results (sv)->len;
  g_assert_cmpuint (streamed, >=, 3);
  guint64 done, total;
  amlaviz_sweep_view_get_progress (sv, &done, &total);
  g_assert_cmpuint (done, ==, streamed);
  amlaviz_sweep_view_cancel (sv);
  wait_sweep ();
  amlaviz_sweep_view_get_progress (sv, &done, &total);
  g_test_message ("cancelled at %" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT, done, total);
  g_assert_cmpuint (total, ==, 48);
  g_assert_cmpuint (done, <, total);
  g_assert_nonnull (strstr (amlaviz_sweep_view_get_status (sv), "Cancelled"));
  g_assert_cmpuint (amlaviz_sweep_view_get_results (sv)->len, ==, done);
}

static void
test_default_sweep_screenshot (void)
{
  /* the default sweep a user gets: S_kv 512..16384 × all 8 combinations at B = 96 */
  g_assert_cmpint (amlaviz_session_get_config (session)->batch, ==, 96);
  g_assert_true (amlaviz_sweep_view_run (sv));
  wait_sweep ();
  const GArray *results = amlaviz_sweep_view_get_results (sv);
  g_assert_cmpuint (results->len, ==, 48);
  g_test_message ("%s", amlaviz_sweep_view_get_status (sv));
  PlotFrame f;
  PlotKind kind;
  PlotY y;
  g_assert_true (amlaviz_sweep_view_get_frame (sv, &f, &kind, &y));
  g_assert_cmpuint (f.n_series, ==, 8);
  g_assert_true (f.x_log);
  /* hover the full kernel at S_kv = 4096: ring, pane and cursor follow */
  int target = -1;
  for (guint i = 0; i < results->len; i++)
    {
      const SweepResult *r = &g_array_index (results, SweepResult, i);
      if (r->config.preload && r->config.tiling && r->config.rescale == AMLA_RESCALE_AMLA
          && r->config.kv_len == 4096)
        target = (int) i;
    }
  g_assert_cmpint (target, >=, 0);
  double px, py;
  g_assert_true (
      plot_result_point_px (&g_array_index (results, SweepResult, target), kind, y, &f, &px, &py));
  send_motion (amlaviz_sweep_view_get_plot_area (sv), px, py);
  pump ();
  cairo_surface_t *s = snapshot (GTK_WIDGET (win));
  save_png (s, "screenshot-sweep.png");
  cairo_surface_destroy (s);
  amlaviz_sweep_view_set_plot (sv, PLOT_KIND_ROOFLINE, PLOT_Y_UTILIZATION);
  pump ();
  s = snapshot (GTK_WIDGET (win));
  save_png (s, "screenshot-sweep-roofline.png");
  cairo_surface_destroy (s);
  amlaviz_sweep_view_set_plot (sv, PLOT_KIND_SWEEP, PLOT_Y_TFLOPS);
  pump ();
  s = snapshot (GTK_WIDGET (win));
  save_png (s, "screenshot-sweep-tflops.png");
  cairo_surface_destroy (s);
}

int
main (int argc, char **argv)
{
  gtk_test_init (&argc, &argv, NULL);
  app = amlaviz_application_new (G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));
  g_application_activate (G_APPLICATION (app));
  session = amlaviz_application_get_session (app);
  win = amlaviz_application_get_window (app);
  g_assert_nonnull (win);
  sv = amlaviz_window_get_sweep_view (win);
  g_assert_nonnull (sv);
  gtk_window_resize (GTK_WINDOW (win), 1400, 860);
  settle ();

  g_test_add_func ("/sweep-view/view-action", test_view_action);
  g_test_add_func ("/sweep-view/small-sweep", test_small_sweep);
  g_test_add_func ("/sweep-view/click-point", test_click_point);
  g_test_add_func ("/sweep-view/export", test_export);
  g_test_add_func ("/sweep-view/export-chooser", test_export_chooser);
  g_test_add_func ("/sweep-view/actions", test_sweep_actions);
  g_test_add_func ("/sweep-view/bad-values", test_bad_values);
  g_test_add_func ("/sweep-view/cancel", test_cancel);
  g_test_add_func ("/sweep-view/default-sweep-screenshot", test_default_sweep_screenshot);
  int status = g_test_run ();
  gtk_widget_destroy (GTK_WIDGET (win));
  pump ();
  g_object_unref (app);
  return status;
}
