/* tests/gui/test-gui-app.c — the real amlaviz application under Xvfb, driven through its actions
 * as a user's keys or a script would.  Asserts on the session model (metrics move in the expected
 * direction, the stage cursor, the visible window) and on pixels of the drawn window (the Cube
 * lane changes when preload is toggled; the stage highlight is drawn).  Screenshots are written
 * to $AMLAVIZ_SCREENSHOT_DIR (the build dir) so a person can look at them. */
#include "tests/gui/gui-harness.h"
#include "sim/trace/trace-json.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>


static gboolean
action_bool (const char *name)
{
  g_autoptr (GVariant) v = g_action_group_get_action_state (G_ACTION_GROUP (app), name);
  return g_variant_get_boolean (v);
}

static cairo_surface_t *
snapshot (GtkWidget *w)
{
  return snapshot_at_least (w, 100);
}

static void
save_window (const char *name)
{
  cairo_surface_t *s = snapshot (GTK_WIDGET (win));
  save_png (s, name);
  cairo_surface_destroy (s);
}

/* Pixels that differ (any channel by more than 16) inside rows [y0, y1) of two same-size images. */
static guint
count_diff (cairo_surface_t *a, cairo_surface_t *b, int y0, int y1)
{
  int w = cairo_image_surface_get_width (a), h = cairo_image_surface_get_height (a);
  g_assert_cmpint (w, ==, cairo_image_surface_get_width (b));
  g_assert_cmpint (h, ==, cairo_image_surface_get_height (b));
  int stride = cairo_image_surface_get_stride (a);
  const guint8 *pa = cairo_image_surface_get_data (a), *pb = cairo_image_surface_get_data (b);
  guint n = 0;
  for (int y = MAX (0, y0); y < MIN (h, y1); y++)
    for (int x = 0; x < w; x++)
      for (int c = 0; c < 4; c++)
        if (abs (pa[y * stride + 4 * x + c] - pb[y * stride + 4 * x + c]) > 16)
          {
            n++;
            break;
          }
  return n;
}

/* y range of AIC0's CUBE lane in the timeline widget. */
static void
cube_lane_rows (int *y0, int *y1)
{
  AmlavizTimelineView *tv = amlaviz_window_get_timeline (win, FALSE);
  const SimTrace *t = amlaviz_session_get_trace (session, FALSE);
  TlView v;
  g_assert_true (amlaviz_timeline_view_get_tl_view (tv, &v));
  int lane = -1;
  const SimGroup *g0 = g_ptr_array_index (t->groups, 0);
  g_assert_cmpint (g0->kind, ==, SIM_CORE_AIC);
  for (guint l = 0; l < g0->lanes->len; l++)
    if (((SimLane *) g_ptr_array_index (g0->lanes, l))->pipe == SIM_PIPE_CUBE)
      lane = (int) l;
  g_assert_cmpint (lane, >=, 0);
  double y = tl_render_lane_y (&v, t, 0, lane);
  g_assert_cmpfloat (y, >, 0);
  *y0 = (int) y;
  *y1 = (int) (y + v.lane_height_px);
}

static void
test_default_run (void)
{
  const SimTrace *t = amlaviz_session_get_trace (session, FALSE);
  g_assert_nonnull (t);
  g_assert_cmpuint (t->n_spans, >, 0);
  const SimMetrics *m = amlaviz_session_get_metrics (session, FALSE);
  g_assert_nonnull (m);
  g_assert_cmpfloat (m->cube_utilization, >, 0.3);
  g_assert_cmpfloat (m->cube_utilization, <=, 1.0);
  g_assert_null (amlaviz_session_get_error (session));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (win)));
  g_assert_nonnull (strstr (amlaviz_window_get_metrics_text (win), "Cube utilisation"));
  /* one AIC group drawn by default: AIC0 + its two AIVs */
  const guint8 *hidden = amlaviz_session_get_hidden (session, FALSE);
  guint shown = 0;
  for (guint g = 0; g < t->groups->len; g++)
    shown += !hidden[g];
  g_assert_cmpuint (shown, ==, 3);
  /* the whole run is in view */
  double t0, t1;
  amlaviz_session_get_window (session, &t0, &t1);
  g_assert_cmpfloat (t0, <=, t->start_ns);
  g_assert_cmpfloat (t1, >=, t->end_ns);
  save_window ("screenshot-default.png");
}

/* Every state the numerics block went through since the last reset. */
static GString *numerics_states;

static void
on_numerics_changed (AmlavizSession *s, gpointer data)
{
  g_string_append_c (numerics_states, (char) ('0' + amlaviz_session_get_numerics (s, NULL, NULL)));
}

static const AmlaNumReport *
numerics_report (void)
{
  const AmlaNumReport *r = NULL;
  g_assert_cmpint (amlaviz_session_get_numerics (session, &r, NULL), ==, AMLAVIZ_NUMERICS_READY);
  g_assert_nonnull (r);
  return r;
}

static void
test_numerics (void)
{
  /* after the default run the report of its shape is there, and plausible */
  const AmlaNumReport *r = numerics_report ();
  g_assert_cmpint (r->rows_sampled, ==, AMLA_NUM_DEFAULT_SAMPLE_ROWS);
  g_assert_cmpint (r->rows_total, ==, 96 * 128 * 2);
  g_assert_cmpint (r->kv_len, ==, 4096);
  for (int p = 0; p < AMLA_NUM_N_PATHS; p++)
    {
      g_test_message ("numerics %s: max abs %.3e mean abs %.3e non-finite %" G_GUINT64_FORMAT,
                      amla_num_path_name (p), r->err[p].max_abs, r->err[p].mean_abs,
                      r->err[p].non_finite);
      g_assert_cmpfloat (r->err[p].max_abs, >, 0); /* BF16 P does cost something */
      g_assert_cmpfloat (r->err[p].max_abs, <, 1e-2);
      g_assert_cmpfloat (r->err[p].mean_abs, <=, r->err[p].max_abs);
      g_assert_cmpuint (r->err[p].non_finite, ==, 0);
    }
  const char *text = amlaviz_window_get_numerics_text (win);
  g_assert_nonnull (text);
  g_assert_nonnull (strstr (text, "Numerics (16 of 24576 rows sampled)"));
  g_assert_nonnull (strstr (text, "AMLA no comp"));
  g_assert_nonnull (strstr (text, "FA multiply"));
  g_assert_null (strstr (text, "non-fin")); /* the column appears only when needed */
  save_window ("screenshot-numerics.png");

  /* preload, tiling, rescale and B do not change the arithmetic: no recomputation */
  AmlaNumReport before = *r;
  numerics_states = g_string_new (NULL);
  gulong id = g_signal_connect (session, "numerics-changed", G_CALLBACK (on_numerics_changed), NULL);
  act ("preload", NULL);
  act ("rescale", g_variant_new_string ("mul"));
  act ("configure", g_variant_new_string ("B=32"));
  g_test_message ("numerics states after preload, rescale, B: %s", numerics_states->str);
  g_assert_null (strchr (numerics_states->str, '0' + AMLAVIZ_NUMERICS_COMPUTING));
  g_assert_cmpuint (numerics_states->len, >=, 3);
  r = numerics_report ();
  g_assert_cmpfloat (r->err[AMLA_NUM_AMLA].max_abs, ==, before.err[AMLA_NUM_AMLA].max_abs);
  g_assert_cmpint (r->rows_total, ==, 32 * 128 * 2);
  act ("configure", g_variant_new_string ("B=96 preload=on rescale=amla"));

  /* S_kv does: recomputed in the worker, and the numbers move */
  g_string_truncate (numerics_states, 0);
  act ("kv", g_variant_new_int32 (1000));
  g_assert_nonnull (strchr (numerics_states->str, '0' + AMLAVIZ_NUMERICS_COMPUTING));
  r = numerics_report ();
  g_assert_cmpint (r->kv_len, ==, 1000);
  g_assert_cmpfloat (r->err[AMLA_NUM_AMLA].max_abs, !=, before.err[AMLA_NUM_AMLA].max_abs);

  /* a burst of shape changes: only the last one's report is kept */
  for (int kv = 1024; kv <= 4096; kv += 1024)
    g_action_group_activate_action (G_ACTION_GROUP (app), "kv", g_variant_new_int32 (kv));
  settle ();
  r = numerics_report ();
  g_assert_cmpint (r->kv_len, ==, 4096);
  g_assert_cmpfloat (r->err[AMLA_NUM_AMLA].max_abs, ==, before.err[AMLA_NUM_AMLA].max_abs);

  /* above the limit: says so instead of allocating the cache */
  act ("kv", g_variant_new_int32 (AMLAVIZ_NUMERICS_MAX_KV + 1));
  if (amlaviz_session_get_error (session) == NULL)
    {
      const char *msg = NULL;
      g_assert_cmpint (amlaviz_session_get_numerics (session, NULL, &msg), ==,
                       AMLAVIZ_NUMERICS_TOO_LARGE);
      g_assert_nonnull (strstr (msg, "131072"));
    }
  amlaviz_session_clear_error (session);
  act ("kv", g_variant_new_int32 (4096));
  numerics_report ();
  g_signal_handler_disconnect (session, id);
  g_string_free (numerics_states, TRUE);
}

static void
test_preload (void)
{
  g_assert_true (action_bool ("preload"));
  double util_on = amlaviz_session_get_metrics (session, FALSE)->cube_utilization;
  double total_on = amlaviz_session_get_metrics (session, FALSE)->total_ns;
  AmlavizTimelineView *tv = amlaviz_window_get_timeline (win, FALSE);
  cairo_surface_t *before = snapshot (GTK_WIDGET (tv));
  save_window ("screenshot-preload-on.png");

  act ("preload", NULL);
  g_assert_false (action_bool ("preload"));
  g_assert_false (amlaviz_session_get_config (session)->preload);
  const SimMetrics *m = amlaviz_session_get_metrics (session, FALSE);
  g_test_message ("Cube utilisation preload on %.3f off %.3f; total %.0f -> %.0f ns", util_on,
                  m->cube_utilization, total_on, m->total_ns);
  g_assert_cmpfloat (m->cube_utilization, <, util_on);
  g_assert_cmpfloat (m->total_ns, >, total_on);
  cairo_surface_t *after = snapshot (GTK_WIDGET (tv));
  save_window ("screenshot-preload-off.png");
  int y0, y1;
  cube_lane_rows (&y0, &y1);
  guint diff = count_diff (before, after, y0, y1);
  g_test_message ("Cube lane rows %d..%d: %u pixels differ", y0, y1, diff);
  g_assert_cmpuint (diff, >, 200);
  cairo_surface_destroy (before);
  cairo_surface_destroy (after);

  act ("preload", NULL);
  g_assert_true (action_bool ("preload"));
  g_assert_cmpfloat_with_epsilon (amlaviz_session_get_metrics (session, FALSE)->cube_utilization,
                                  util_on, 1e-9);
}

static void
test_tiling_and_rescale (void)
{
  double util = amlaviz_session_get_metrics (session, FALSE)->cube_utilization;
  act ("tiling", NULL);
  g_assert_false (amlaviz_session_get_config (session)->tiling);
  double util_notiling = amlaviz_session_get_metrics (session, FALSE)->cube_utilization;
  g_test_message ("tiling off: %.3f -> %.3f", util, util_notiling);
  g_assert_cmpfloat (util_notiling, <, util);
  act ("tiling", NULL);

  double vec_amla = amlaviz_session_get_metrics (session, FALSE)->busy_aiv[SIM_PIPE_VECTOR];
  act ("rescale", g_variant_new_string ("mul"));
  g_assert_cmpint (amlaviz_session_get_config (session)->rescale, ==, AMLA_RESCALE_MUL);
  double util_mul = amlaviz_session_get_metrics (session, FALSE)->cube_utilization;
  double vec_mul = amlaviz_session_get_metrics (session, FALSE)->busy_aiv[SIM_PIPE_VECTOR];
  g_test_message ("rescale mul: Cube utilisation %.3f -> %.3f, AIV VECTOR busy %.3f -> %.3f",
                  util, util_mul, vec_amla, vec_mul);
  /* FP multiply sends O through UB every block: more Vector work (with preload the Cube may
   * still hide it, so utilisation is not asserted here) */
  g_assert_cmpfloat (vec_mul, >, vec_amla);
  save_window ("screenshot-rescale-mul.png");
  act ("rescale", g_variant_new_string ("amla"));
  g_assert_cmpint (amlaviz_session_get_config (session)->rescale, ==, AMLA_RESCALE_AMLA);
}

static void
test_zoom_pan (void)
{
  act ("fit", NULL);
  double a0, a1, b0, b1;
  amlaviz_session_get_window (session, &a0, &a1);
  act ("zoom-in", NULL);
  amlaviz_session_get_window (session, &b0, &b1);
  g_assert_cmpfloat_with_epsilon ((b1 - b0) * 1.5, a1 - a0, 1e-6 * (a1 - a0));
  g_assert_cmpfloat_with_epsilon ((b0 + b1) / 2, (a0 + a1) / 2, 1e-6 * (a1 - a0));
  act ("pan-right", NULL);
  double c0, c1;
  amlaviz_session_get_window (session, &c0, &c1);
  g_assert_cmpfloat (c0, >, b0);
  g_assert_cmpfloat_with_epsilon (c1 - c0, b1 - b0, 1e-6 * (b1 - b0));
  act ("pan-left", NULL);
  act ("zoom-out", NULL);
  amlaviz_session_get_window (session, &c0, &c1);
  g_assert_cmpfloat_with_epsilon (c1 - c0, a1 - a0, 1e-6 * (a1 - a0));

  /* the W key reaches the same action */
  AmlavizTimelineView *tv = amlaviz_window_get_timeline (win, FALSE);
  gtk_widget_grab_focus (GTK_WIDGET (tv));
  g_assert_true (gtk_test_widget_send_key (GTK_WIDGET (tv), GDK_KEY_w, 0));
  settle ();
  amlaviz_session_get_window (session, &c0, &c1);
  g_assert_cmpfloat (c1 - c0, <, (a1 - a0) * 0.7);
  g_assert_true (gtk_test_widget_send_key (GTK_WIDGET (tv), GDK_KEY_f, 0));
  settle ();
  amlaviz_session_get_window (session, &c0, &c1);
  g_assert_cmpfloat_with_epsilon (c1 - c0, a1 - a0, 1e-6 * (a1 - a0));
}

static void
test_step (void)
{
  act ("fit", NULL);
  act ("clear-selection", NULL);
  AmlavizTimelineView *tv = amlaviz_window_get_timeline (win, FALSE);
  g_assert_cmpint (amlaviz_session_get_step_index (session), ==, -1);
  g_assert_cmpuint (amlaviz_session_get_n_steps (session), >, 4);

  act ("step-next", NULL);
  g_assert_cmpint (amlaviz_session_get_step_index (session), ==, 0);
  const AmlavizStep *st = amlaviz_session_get_step (session);
  g_assert_cmpint (st->stage, ==, SIM_STAGE_C1); /* the kernel starts with QK^T */
  AmlavizStep first = *st;
  double t0, t1;
  amlaviz_session_get_window (session, &t0, &t1);
  /* centred on the stage */
  g_assert_cmpfloat_with_epsilon ((t0 + t1) / 2, (first.start_ns + first.end_ns) / 2, 1e-6 * (t1 - t0));
  g_assert_cmpfloat (t1 - t0, >=, first.end_ns - first.start_ns);
  g_assert_nonnull (strstr (amlaviz_session_get_details (session), "C1"));
  g_assert_nonnull (strstr (amlaviz_window_get_step_text (win), "C1"));
  cairo_surface_t *lit = snapshot (GTK_WIDGET (tv));
  save_window ("screenshot-step.png");

  act ("step-next", NULL);
  g_assert_cmpint (amlaviz_session_get_step_index (session), ==, 1);
  g_assert_cmpfloat (amlaviz_session_get_step (session)->start_ns, >=, first.start_ns);
  act ("step-prev", NULL);
  g_assert_cmpint (amlaviz_session_get_step_index (session), ==, 0);

  /* the highlight is drawn: the same window without it looks different */
  act ("clear-selection", NULL);
  amlaviz_session_set_window (session, t0, t1);
  settle ();
  cairo_surface_t *plain = snapshot (GTK_WIDGET (tv));
  int h = cairo_image_surface_get_height (plain);
  guint diff = count_diff (lit, plain, 0, h);
  g_test_message ("stage highlight: %u pixels differ", diff);
  g_assert_cmpuint (diff, >, 100);
  cairo_surface_destroy (lit);
  cairo_surface_destroy (plain);

  /* a V1 follows, with its flag explained */
  act ("step-next", NULL);
  gboolean seen_v1 = FALSE;
  for (int i = 0; i < 8 && !seen_v1; i++)
    {
      seen_v1 = amlaviz_session_get_step (session)->stage == SIM_STAGE_V1;
      if (!seen_v1)
        act ("step-next", NULL);
    }
  g_assert_true (seen_v1);
  g_assert_nonnull (strstr (amlaviz_session_get_details (session), "softmax"));
  g_assert_nonnull (strstr (amlaviz_session_get_details (session), "Waited for"));
  save_window ("screenshot-step-v1.png");
}

static void
test_range (void)
{
  const SimTrace *t = amlaviz_session_get_trace (session, FALSE);
  double mid = (t->start_ns + t->end_ns) / 2, w = (t->end_ns - t->start_ns) / 10;
  act ("select-range", g_variant_new ("(dd)", mid - w, mid + w));
  double r0, r1;
  amlaviz_session_get_range (session, &r0, &r1);
  g_assert_cmpfloat (r0, ==, mid - w);
  g_assert_cmpfloat (r1, ==, mid + w);
  const char *d = amlaviz_session_get_details (session);
  g_assert_nonnull (strstr (d, "Range"));
  g_assert_nonnull (strstr (d, "Busy per pipe"));
  g_assert_nonnull (strstr (d, "CUBE"));
  save_window ("screenshot-range.png");
  act ("clear-selection", NULL);
}

static void
test_pin_compare (void)
{
  act ("fit", NULL);
  act ("pin-a", NULL);
  g_assert_true (action_bool ("pin-a"));
  g_assert_nonnull (amlaviz_session_get_trace (session, TRUE));
  act ("preload", NULL);
  const SimMetrics *a = amlaviz_session_get_metrics (session, TRUE);
  const SimMetrics *b = amlaviz_session_get_metrics (session, FALSE);
  g_assert_nonnull (a);
  g_assert_cmpfloat (b->total_ns, >, a->total_ns); /* B = preload off is slower */
  g_assert_nonnull (strstr (amlaviz_window_get_metrics_text (win), "A pinned"));
  AmlavizTimelineView *pv = amlaviz_window_get_timeline (win, TRUE);
  g_assert_true (gtk_widget_is_drawable (GTK_WIDGET (pv)));
  /* one time axis: the window covers the longer run */
  double t0, t1;
  amlaviz_session_get_window (session, &t0, &t1);
  g_assert_cmpfloat (t1, >=, amlaviz_session_get_trace (session, FALSE)->end_ns);
  /* Shift+wheel over B scrolls the lanes of both panes: the same lane sits at the same height */
  AmlavizTimelineView *cv = amlaviz_window_get_timeline (win, FALSE);
  GdkEvent *ev = gdk_event_new (GDK_SCROLL);
  ev->scroll.window = g_object_ref (gtk_widget_get_window (GTK_WIDGET (cv)));
  ev->scroll.direction = GDK_SCROLL_DOWN;
  ev->scroll.state = GDK_SHIFT_MASK;
  ev->scroll.x = 40;
  ev->scroll.y = 100;
  gdk_event_set_device (ev, gdk_seat_get_pointer (gdk_display_get_default_seat (gdk_display_get_default ())));
  for (int i = 0; i < 3; i++)
    gtk_widget_event (GTK_WIDGET (cv), ev);
  gdk_event_free (ev);
  pump ();
  double yb = 0, ya = 0;
  g_object_get (cv, "scroll-y", &yb, NULL);
  g_object_get (pv, "scroll-y", &ya, NULL);
  g_assert_cmpfloat (yb, >, 0);
  g_assert_cmpfloat (ya, ==, yb);
  TlView vb, va;
  g_assert_true (amlaviz_timeline_view_get_tl_view (cv, &vb));
  g_assert_true (amlaviz_timeline_view_get_tl_view (pv, &va));
  g_assert_cmpfloat (tl_render_lane_y (&vb, amlaviz_session_get_trace (session, FALSE), 0, 3), ==,
                     tl_render_lane_y (&va, amlaviz_session_get_trace (session, TRUE), 0, 3));
  save_window ("screenshot-compare.png");
  g_object_set (pv, "scroll-y", 0.0, NULL); /* and back, from A */
  g_object_get (cv, "scroll-y", &yb, NULL);
  g_assert_cmpfloat (yb, ==, 0);
  act ("pin-a", NULL);
  g_assert_null (amlaviz_session_get_trace (session, TRUE));
  act ("preload", NULL);
}

static void
test_bad_config_keeps_run (void)
{
  const SimTrace *before = amlaviz_session_get_trace (session, FALSE);
  act ("configure", g_variant_new_string ("B=0"));
  g_assert_nonnull (amlaviz_session_get_error (session));
  g_assert_true (amlaviz_session_get_trace (session, FALSE) == before);
  g_assert_cmpint (amlaviz_session_get_config (session)->batch, ==, 96);
  amlaviz_session_clear_error (session);
  act ("configure", g_variant_new_string ("B=8 kv=1024"));
  g_assert_null (amlaviz_session_get_error (session));
  g_assert_cmpint (amlaviz_session_get_config (session)->batch, ==, 8);
  g_autoptr (GVariant) kv = g_action_group_get_action_state (G_ACTION_GROUP (app), "kv");
  g_assert_cmpint (g_variant_get_int32 (kv), ==, 1024);
  act ("configure", g_variant_new_string ("B=96 kv=4096"));
}

/* A run the machine cannot hold (here: a limit of 10 MiB set through AMLAVIZ_MAX_MEMORY, the
 * window's way to set it) is refused before it allocates: the window says why and keeps the
 * run it shows. */
static void
test_too_big_keeps_run (void)
{
  const SimTrace *before = amlaviz_session_get_trace (session, FALSE);
  g_setenv ("AMLAVIZ_MAX_MEMORY", "10M", TRUE);
  act ("configure", g_variant_new_string ("kv=2048"));
  g_unsetenv ("AMLAVIZ_MAX_MEMORY");
  const char *e = amlaviz_session_get_error (session);
  g_assert_nonnull (e);
  g_test_message ("%s", e);
  g_assert_nonnull (strstr (e, "needs about"));
  g_assert_nonnull (strstr (e, "more than the limit of 10.0 MiB (AMLAVIZ_MAX_MEMORY)"));
  g_assert_true (amlaviz_session_get_trace (session, FALSE) == before);
  amlaviz_session_clear_error (session);
  act ("configure", g_variant_new_string ("kv=4096"));
  g_assert_null (amlaviz_session_get_error (session));
}

static void
test_save_and_open (void)
{
  g_autofree char *dir = g_dir_make_tmp ("amlaviz-gui-XXXXXX", NULL);
  g_autofree char *ours = g_build_filename (dir, "run.json", NULL);
  g_assert_nonnull (amlaviz_session_get_metrics (session, FALSE));
  SimMetrics live = *amlaviz_session_get_metrics (session, FALSE);
  act ("save-to", g_variant_new_string (ours));
  g_assert_true (g_file_test (ours, G_FILE_TEST_EXISTS));
  g_assert_cmpstr (amlaviz_session_get_file (session), ==, ours);

  /* a foreign trace opens read-only, the kernel controls disabled with the reason shown */
  g_autofree char *foreign = g_build_filename (dir, "foreign.json", NULL);
  const char *json = "{\"traceEvents\":[{\"ph\":\"X\",\"pid\":1,\"tid\":1,\"ts\":0,\"dur\":5,"
                     "\"name\":\"work\"},{\"ph\":\"X\",\"pid\":1,\"tid\":2,\"ts\":2,\"dur\":3,"
                     "\"name\":\"more\"}]}";
  g_assert_true (g_file_set_contents (foreign, json, -1, NULL));
  act ("open-file", g_variant_new_string (foreign));
  if (amlaviz_session_get_error (session) && strstr (amlaviz_session_get_error (session), "not implemented"))
    {
      g_test_skip ("trace reader not merged yet");
      return;
    }
  g_assert_null (amlaviz_session_get_error (session));
  g_assert_true (amlaviz_session_get_read_only (session));
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (app), "preload"));
  g_assert_nonnull (strstr (amlaviz_session_get_read_only_reason (session), "foreign.json"));
  g_assert_null (amlaviz_session_get_metrics (session, FALSE));
  g_assert_cmpint (amlaviz_session_get_numerics (session, NULL, NULL), ==, AMLAVIZ_NUMERICS_HIDDEN);
  g_assert_null (amlaviz_window_get_numerics_text (win));
  save_window ("screenshot-foreign.png");
  /* saved under another name, the window names the new file (subtitle, reason, details) */
  g_autofree char *renamed = g_build_filename (dir, "renamed.json", NULL);
  act ("save-to", g_variant_new_string (renamed));
  g_assert_null (amlaviz_session_get_error (session));
  g_assert_cmpstr (amlaviz_session_get_label (session, FALSE), ==, "renamed.json");
  GtkWidget *titlebar = gtk_window_get_titlebar (GTK_WINDOW (win));
  g_assert_true (GTK_IS_HEADER_BAR (titlebar));
  g_assert_cmpstr (gtk_header_bar_get_subtitle (GTK_HEADER_BAR (titlebar)), ==, "renamed.json");
  g_assert_nonnull (strstr (amlaviz_session_get_read_only_reason (session), "renamed.json"));
  g_assert_null (strstr (amlaviz_session_get_read_only_reason (session), "foreign.json"));
  g_assert_nonnull (strstr (amlaviz_session_get_details (session), "renamed.json"));
  g_assert_null (strstr (amlaviz_session_get_details (session), "foreign.json"));
  g_remove (renamed);

  /* our own trace restores the controls */
  act ("configure", g_variant_new_string ("preload=on")); /* refused while read-only */
  amlaviz_session_clear_error (session);
  act ("open-file", g_variant_new_string (ours));
  g_assert_null (amlaviz_session_get_error (session));
  g_assert_false (amlaviz_session_get_read_only (session));
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (app), "preload"));
  g_assert_cmpint (amlaviz_session_get_config (session)->batch, ==, 96);
  /* the metrics panel shows what the run measured (it said "Metrics come with a simulation") */
  const SimMetrics *back = amlaviz_session_get_metrics (session, FALSE);
  g_assert_nonnull (back);
  g_assert_cmpfloat (back->total_ns, ==, live.total_ns);
  g_assert_cmpfloat (back->cube_utilization, ==, live.cube_utilization);
  g_assert_nonnull (strstr (amlaviz_window_get_metrics_text (win), "Cube utilisation"));
  numerics_report (); /* our trace has a configuration: its numerics are back */
  g_assert_nonnull (amlaviz_window_get_numerics_text (win));

  /* a broken file leaves the view as it was */
  const SimTrace *before = amlaviz_session_get_trace (session, FALSE);
  g_autofree char *bad = g_build_filename (dir, "bad.json", NULL);
  g_assert_true (g_file_set_contents (bad, "{\"traceEvents\": [", -1, NULL));
  act ("open-file", g_variant_new_string (bad));
  g_assert_nonnull (amlaviz_session_get_error (session));
  g_assert_true (amlaviz_session_get_trace (session, FALSE) == before);
  amlaviz_session_clear_error (session);

  act ("simulate", NULL);
  g_assert_nonnull (amlaviz_session_get_metrics (session, FALSE));

  /* export-to writes an image of the current run */
  g_autofree char *png = g_build_filename (dir, "run.png", NULL);
  act ("export-to", g_variant_new_string (png));
  g_autofree char *data = NULL;
  gsize len = 0;
  g_assert_true (g_file_get_contents (png, &data, &len, NULL));
  g_assert_cmpuint (len, >, 1000);
  g_assert_cmpmem (data, 8, "\x89PNG\r\n\x1a\n", 8);
  g_remove (png);
  /* a failed export-to shows in the error bar, naming the file (it was only on stderr) */
  g_assert_null (amlaviz_session_get_error (session));
  g_autofree char *nowhere = g_build_filename (dir, "no-such-dir", "run.png", NULL);
  act ("export-to", g_variant_new_string (nowhere));
  const char *e = amlaviz_session_get_error (session);
  g_assert_nonnull (e);
  g_assert_nonnull (strstr (e, "Could not export"));
  g_assert_nonnull (strstr (e, nowhere));
  amlaviz_session_clear_error (session);
  g_autofree char *jpg = g_build_filename (dir, "run.jpg", NULL);
  act ("export-to", g_variant_new_string (jpg));
  g_assert_nonnull (amlaviz_session_get_error (session));
  g_assert_false (g_file_test (jpg, G_FILE_TEST_EXISTS));
  amlaviz_session_clear_error (session);
  g_remove (ours);
  g_remove (foreign);
  g_remove (bad);
  g_rmdir (dir);
}

static double
cli_total_ns (const AmlaConfig *cfg)
{
  g_autoptr (GError) error = NULL;
  SimRunOptions opt;
  sim_run_options_init (&opt);
  opt.record_trace = FALSE;
  g_autoptr (AmlaRun) run = amla_run (cfg, NULL, &opt, &error);
  g_assert_no_error (error);
  return run->result->metrics.total_ns;
}

/* A what-if (a changed preset field, as amlasim --set) is part of the configuration: shown in
 * the subtitle, saved in the trace, restored on open and kept when a control re-simulates. */
static void
test_what_if (void)
{
  act ("configure", g_variant_new_string ("B=16 kv=2048 what-if=l2_bytes_per_s=2e12"));
  g_assert_null (amlaviz_session_get_error (session));
  g_assert_cmpstr (amlaviz_session_get_config (session)->what_if, ==, "l2_bytes_per_s=2e12");
  g_assert_nonnull (strstr (amlaviz_session_get_label (session, FALSE), "what-if l2_bytes_per_s=2e12"));
  AmlaConfig expect = *amlaviz_session_get_config (session);
  double wi = amlaviz_session_get_metrics (session, FALSE)->total_ns;
  g_assert_cmpfloat (wi, ==, cli_total_ns (&expect));
  g_assert_cmpstr (amlaviz_window_get_what_if_text (win), ==, "What-if:\nl2_bytes_per_s=2e12");

  g_autofree char *dir = g_dir_make_tmp ("amlaviz-gui-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "what-if.json", NULL);
  act ("save-to", g_variant_new_string (path));

  /* a bad field is refused with the preset's message; the run stays */
  act ("configure", g_variant_new_string ("what-if=no_such_field=1"));
  g_assert_nonnull (strstr (amlaviz_session_get_error (session), "no_such_field"));
  g_assert_cmpstr (amlaviz_session_get_config (session)->what_if, ==, "l2_bytes_per_s=2e12");
  amlaviz_session_clear_error (session);

  act ("configure", g_variant_new_string ("what-if=none")); /* what the Clear button does */
  g_assert_cmpstr (amlaviz_session_get_config (session)->what_if, ==, "");
  g_assert_null (amlaviz_window_get_what_if_text (win));
  g_assert_cmpfloat (amlaviz_session_get_metrics (session, FALSE)->total_ns, !=, wi);

  /* open the what-if trace, then change a control: the re-simulation keeps the what-if */
  act ("open-file", g_variant_new_string (path));
  g_assert_null (amlaviz_session_get_error (session));
  g_assert_false (amlaviz_session_get_read_only (session));
  g_assert_cmpstr (amlaviz_session_get_config (session)->what_if, ==, "l2_bytes_per_s=2e+12");
  act ("rescale", g_variant_new_string ("mul"));
  g_assert_nonnull (strstr (amlaviz_session_get_label (session, FALSE), "what-if l2_bytes_per_s="));
  expect.rescale = AMLA_RESCALE_MUL;
  g_assert_cmpfloat (amlaviz_session_get_metrics (session, FALSE)->total_ns, ==, cli_total_ns (&expect));
  save_window ("screenshot-what-if.png");

  act ("configure", g_variant_new_string ("what-if=none B=96 kv=4096 rescale=amla"));
  g_assert_cmpstr (amlaviz_session_get_config (session)->what_if, ==, "");
  g_remove (path);
  g_rmdir (dir);
}

/* A generic trace of n spans (8 lanes on 2 cores) written by our writer. */
static char *
write_big_trace (const char *dir, guint n)
{
  g_autoptr (SimTrace) t = sim_trace_new ();
  SimLane *lanes[8];
  for (int g = 0; g < 2; g++)
    {
      g_autofree char *name = g_strdup_printf ("AIC%d", g);
      SimGroup *grp = sim_trace_add_group (t, name, g, g, SIM_CORE_AIC, g);
      static const SimPipe pipes[] = { SIM_PIPE_MTE2, SIM_PIPE_MTE1, SIM_PIPE_CUBE,
                                       SIM_PIPE_FIXPIPE };
      for (int l = 0; l < 4; l++)
        lanes[g * 4 + l] = sim_group_add_lane (grp, sim_pipe_name (pipes[l]), l, l, pipes[l]);
    }
  guint32 op = sim_trace_intern (t, "op");
  for (guint i = 0; i < n; i++)
    {
      SimSpan s = { 0 };
      s.start_ns = (i / 8) * 10.0;
      s.dur_ns = 8;
      s.name = op;
      s.task = -1;
      s.iter = -1;
      sim_lane_append (lanes[i % 8], &s);
    }
  sim_trace_finish (t);
  char *path = g_build_filename (dir, "big.json", NULL);
  g_autoptr (GError) error = NULL;
  g_assert_true (sim_trace_write_json (t, path, SIM_TRACE_FLAVOR_PERFETTO, &error));
  g_assert_no_error (error);
  return path;
}

typedef struct
{
  GArray *fractions;     /* every load-progress seen */
  gboolean bar_shown;    /* the window's bar was up (or about to be) while loading */
  double cancel_at;      /* > 0: cancel once progress reaches this */
  gboolean want_shot;    /* time for a screenshot of the bar */
  gboolean shot;
} LoadWatch;

static void
shoot_opening (GdkFrameClock *clock, LoadWatch *w)
{
  double f = 0;
  if (w->want_shot && !w->shot && amlaviz_window_get_load_bar (win, &f) && f >= 0.6)
    {
      save_window ("screenshot-opening.png");
      w->shot = TRUE;
    }
}

static void
on_load_progress (AmlavizSession *s, GParamSpec *pspec, LoadWatch *w)
{
  double f = 0;
  if (!amlaviz_session_get_loading (s, &f, NULL))
    return;
  g_array_append_val (w->fractions, f);
  w->bar_shown |= amlaviz_window_get_load_bar (win, NULL);
  w->want_shot |= f >= 0.6 && w->cancel_at == 0;
  if (w->cancel_at > 0 && f >= w->cancel_at)
    g_action_group_activate_action (G_ACTION_GROUP (app), "cancel-open", NULL);
}

static void
test_open_large (void)
{
  g_autofree char *dir = g_dir_make_tmp ("amlaviz-gui-XXXXXX", NULL);
  g_autofree char *big = write_big_trace (dir, 200000);
  act ("simulate", NULL);
  const SimTrace *before = amlaviz_session_get_trace (session, FALSE);
  g_assert_nonnull (amlaviz_session_get_metrics (session, FALSE));
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (app), "cancel-open"));
  LoadWatch w = { g_array_new (FALSE, FALSE, sizeof (double)), FALSE, 0, FALSE, FALSE };
  gulong id = g_signal_connect (session, "notify::load-progress", G_CALLBACK (on_load_progress), &w);

  /* cancel right away: nothing changes, no error */
  g_action_group_activate_action (G_ACTION_GROUP (app), "open-file", g_variant_new_string (big));
  g_assert_true (amlaviz_session_get_loading (session, NULL, NULL));
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (app), "cancel-open"));
  act ("cancel-open", NULL);
  g_assert_false (amlaviz_session_get_loading (session, NULL, NULL));
  g_assert_true (amlaviz_session_get_trace (session, FALSE) == before);
  g_assert_nonnull (amlaviz_session_get_metrics (session, FALSE));
  g_assert_null (amlaviz_session_get_error (session));
  g_assert_false (amlaviz_window_get_load_bar (win, NULL));

  /* cancel halfway, from the progress (the reader's callback returns FALSE) */
  g_array_set_size (w.fractions, 0);
  w.cancel_at = 0.1; /* early: the rest of the file leaves a wide margin before it would finish */
  act ("open-file", g_variant_new_string (big));
  g_test_message ("cancelled after %u progress updates", w.fractions->len);
  g_assert_cmpuint (w.fractions->len, >, 0);
  g_assert_cmpfloat (g_array_index (w.fractions, double, w.fractions->len - 1), <, 1.0);
  g_assert_true (amlaviz_session_get_trace (session, FALSE) == before);
  g_assert_null (amlaviz_session_get_error (session));
  g_assert_false (amlaviz_session_get_read_only (session));

  /* open it: progress moves up to 1, the bar was shown, the trace is there */
  g_array_set_size (w.fractions, 0);
  w.cancel_at = 0;
  /* no slide-in animation: the screenshot shows the bar as it stands */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  gint64 t0 = g_get_monotonic_time ();
  g_action_group_activate_action (G_ACTION_GROUP (app), "open-file", g_variant_new_string (big));
  /* the screenshot is taken right after a frame is painted: layout is done and no progress can
   * re-queue it in between (drawing from the loop raced with progress updates) */
  GdkFrameClock *clock = gdk_window_get_frame_clock (gtk_widget_get_window (GTK_WIDGET (win)));
  gulong paint_id = g_signal_connect (clock, "after-paint", G_CALLBACK (shoot_opening), &w);
  while (amlaviz_session_get_loading (session, NULL, NULL))
    g_main_context_iteration (NULL, TRUE);
  g_signal_handler_disconnect (clock, paint_id);
  if (!w.shot)
    g_test_message ("no frame painted with the bar at >= 60 %%: no screenshot-opening.png");
  settle ();
  g_test_message ("opened 200000 spans in %.0f ms with %u progress updates",
                  (g_get_monotonic_time () - t0) / 1e3, w.fractions->len);
  g_assert_null (amlaviz_session_get_error (session));
  const SimTrace *t = amlaviz_session_get_trace (session, FALSE);
  g_assert_true (t != before);
  g_assert_cmpuint (t->n_spans, ==, 200000);
  g_assert_cmpuint (w.fractions->len, >=, 5);
  for (guint i = 1; i < w.fractions->len; i++)
    g_assert_cmpfloat (g_array_index (w.fractions, double, i), >, g_array_index (w.fractions, double, i - 1));
  g_assert_cmpfloat (g_array_index (w.fractions, double, w.fractions->len - 1), ==, 1.0);
  g_assert_true (w.bar_shown);
  g_assert_false (amlaviz_window_get_load_bar (win, NULL));
  g_assert_false (amlaviz_session_get_loading (session, NULL, NULL));

  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", TRUE, NULL);
  g_signal_handler_disconnect (session, id);
  g_array_unref (w.fractions);
  act ("simulate", NULL);
  g_remove (big);
  g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  gui_start (&argc, &argv, 1400, 860);

  g_test_add_func ("/gui/default-run", test_default_run);
  g_test_add_func ("/gui/numerics", test_numerics);
  g_test_add_func ("/gui/preload", test_preload);
  g_test_add_func ("/gui/tiling-rescale", test_tiling_and_rescale);
  g_test_add_func ("/gui/zoom-pan", test_zoom_pan);
  g_test_add_func ("/gui/step", test_step);
  g_test_add_func ("/gui/range", test_range);
  g_test_add_func ("/gui/pin-compare", test_pin_compare);
  g_test_add_func ("/gui/bad-config", test_bad_config_keeps_run);
  g_test_add_func ("/gui/too-big-keeps-run", test_too_big_keeps_run);
  g_test_add_func ("/gui/save-open", test_save_and_open);
  g_test_add_func ("/gui/what-if", test_what_if);
  g_test_add_func ("/gui/open-large", test_open_large);
  int status = g_test_run ();
  gtk_widget_destroy (GTK_WIDGET (win));
  pump ();
  g_object_unref (app);
  return status;
}
