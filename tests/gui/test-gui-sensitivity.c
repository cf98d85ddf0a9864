/* tests/gui/test-gui-sensitivity.c — "What drives this number?" in the real application under
 * Xvfb: opened through app.sensitivity (the menu item, the metrics panel's button and Ctrl+T use
 * it), it computes in a worker with progress, then shows the tornado (bars where the TornadoFrame
 * says) and the table (one row per assumed field, the same numbers as the library); Cancel stops
 * it; closing the dialog stops the worker; a foreign trace disables the action.  Screenshots go to
 * $AMLAVIZ_SCREENSHOT_DIR (screenshot-sensitivity.png, screenshot-sensitivity-small.png). */
#include "tests/gui/gui-harness.h"
#include "src/app/amlaviz-sensitivity-dialog.h"

#include <glib/gstdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

static AmlavizSensitivityDialog *
find_dialog (void)
{
  AmlavizSensitivityDialog *found = NULL;
  GList *tops = gtk_window_list_toplevels ();
  for (GList *l = tops; l; l = l->next)
    if (AMLAVIZ_IS_SENSITIVITY_DIALOG (l->data) && gtk_widget_get_visible (l->data))
      found = l->data;
  g_list_free (tops);
  return found;
}

/* Open it the way the menu, the button and Ctrl+T do. */
static AmlavizSensitivityDialog *
open_dialog (void)
{
  g_assert_null (find_dialog ());
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (app), "sensitivity"));
  g_action_group_activate_action (G_ACTION_GROUP (app), "sensitivity", NULL);
  pump ();
  AmlavizSensitivityDialog *dlg = find_dialog ();
  g_assert_nonnull (dlg);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dlg)) == GTK_WINDOW (win));
  return dlg;
}

/* Bounded: a small configuration takes well under a second, the default a few seconds. */
static void
wait_done (AmlavizSensitivityDialog *dlg)
{
  gint64 deadline = g_get_monotonic_time () + 120 * G_USEC_PER_SEC;
  while (amlaviz_sensitivity_dialog_is_running (dlg) && g_get_monotonic_time () < deadline)
    {
      while (gtk_events_pending ())
        gtk_main_iteration_do (FALSE);
      g_usleep (5000);
    }
  g_assert_false (amlaviz_sensitivity_dialog_is_running (dlg));
  pump ();
}

static void
close_dialog (AmlavizSensitivityDialog **dlg)
{
  g_object_add_weak_pointer (G_OBJECT (*dlg), (gpointer *) dlg);
  gtk_dialog_response (GTK_DIALOG (*dlg), GTK_RESPONSE_CLOSE);
  pump ();
  g_assert_null (*dlg);
}

static gboolean
pixel_is (cairo_surface_t *s, double x, double y, const double rgb[3], int tol)
{
  int ix = (int) floor (x), iy = (int) floor (y);
  const guint8 *p
      = cairo_image_surface_get_data (s) + iy * cairo_image_surface_get_stride (s) + 4 * ix;
  return abs (p[2] - (int) lround (rgb[0] * 255)) <= tol
         && abs (p[1] - (int) lround (rgb[1] * 255)) <= tol
         && abs (p[0] - (int) lround (rgb[2] * 255)) <= tol;
}

static guint
count_assumed (void)
{
  g_autoptr (SimHw) hw = amla_config_load_hw (amlaviz_session_get_config (session), NULL);
  gsize n;
  const SimHwField *f = sim_hw_fields (hw, &n);
  guint assumed = 0;
  for (gsize i = 0; i < n; i++)
    assumed += f[i].assumed;
  return assumed;
}

/* The chart and the table agree with the report; the first row's bars are where the frame says. */
static void
check_result (AmlavizSensitivityDialog *dlg, const char *screenshot)
{
  const SensitivityReport *r = amlaviz_sensitivity_dialog_get_report (dlg);
  g_assert_nonnull (r);
  g_test_message ("%s", amlaviz_sensitivity_dialog_get_status (dlg));
  g_assert_nonnull (strstr (amlaviz_sensitivity_dialog_get_status (dlg), "runs in"));
  g_assert_cmpuint (r->rows->len, ==, count_assumed ());
  g_assert_true (memcmp (&r->config, amlaviz_session_get_config (session), sizeof r->config) == 0);
  guint done, total;
  amlaviz_sensitivity_dialog_get_progress (dlg, &done, &total);
  g_assert_cmpuint (done, ==, r->runs);
  g_assert_cmpuint (total, ==, r->runs);

  GtkTreeModel *table = amlaviz_sensitivity_dialog_get_table (dlg);
  g_assert_cmpint (gtk_tree_model_iter_n_children (table, NULL), ==, (int) r->rows->len);
  GtkTreeIter iter;
  g_assert_true (gtk_tree_model_get_iter_first (table, &iter));
  for (guint i = 0; i < r->rows->len; i++, gtk_tree_model_iter_next (table, &iter))
    {
      const SensitivityRow *row = &g_array_index (r->rows, SensitivityRow, i);
      g_autofree char *field = NULL, *swing = NULL;
      gtk_tree_model_get (table, &iter, 0, &field, 5, &swing, -1);
      g_assert_cmpstr (field, ==, row->key);
      g_autofree char *want = g_strdup_printf ("%.2f pts", row->side[0].swing * 100);
      g_assert_cmpstr (swing, ==, want);
    }

  GtkWidget *chart = amlaviz_sensitivity_dialog_get_chart (dlg);
  g_assert_true (gtk_widget_get_mapped (chart));
  cairo_surface_t *s = snapshot_at_least (chart, 200);
  TornadoFrame f;
  g_assert_true (amlaviz_sensitivity_dialog_get_frame (dlg, &f));
  g_assert_cmpuint (f.n_rows, ==, r->rows->len);
  g_assert_cmpuint (f.n_panels, ==, 2);
  const SensitivityRow *top = &g_array_index (r->rows, SensitivityRow, 0);
  for (int high = 0; high < 2; high++)
    {
      double util = (high ? top->side[0].util_high : top->side[0].util_low) * 100;
      double base = r->base_util[0] * 100;
      if (fabs (tornado_frame_x_px (&f, 0, util) - tornado_frame_x_px (&f, 0, base)) < 4)
        continue; /* too short to probe */
      double rgb[3];
      tornado_bar_color (high, rgb);
      double x = (tornado_frame_x_px (&f, 0, util) + tornado_frame_x_px (&f, 0, base)) / 2;
      g_assert_true (pixel_is (s, x, tornado_frame_bar_y (&f, 0, high), rgb, 3));
    }
  cairo_surface_destroy (s);
  s = snapshot_at_least (GTK_WIDGET (dlg), 300);
  save_png (s, screenshot);
  cairo_surface_destroy (s);
}

static void
test_action (void)
{
  g_auto (GStrv) accels
      = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "app.sensitivity");
  g_assert_nonnull (accels[0]);
  g_assert_cmpstr (accels[0], ==, "<Primary>t");
  /* listed in the shortcuts window */
  g_autoptr (GBytes) overlay = g_resources_lookup_data (
      "/io/github/amlaviz/Amlaviz/gtk/help-overlay.ui", G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
  g_assert_nonnull (overlay);
  g_autofree char *text = g_strndup (g_bytes_get_data (overlay, NULL), g_bytes_get_size (overlay));
  g_assert_nonnull (strstr (text, "What drives this number?"));
  g_assert_nonnull (strstr (text, "&lt;Primary&gt;t"));
  /* the window's way in: a button under the metrics (and a menu item) */
  cairo_surface_t *s = snapshot_at_least (GTK_WIDGET (win), 300);
  save_png (s, "screenshot-sensitivity-window.png");
  cairo_surface_destroy (s);
}

static void
test_small (void)
{
  act ("configure", g_variant_new_string ("B=8 kv=1024"));
  AmlavizSensitivityDialog *dlg = open_dialog ();
  wait_done (dlg);
  check_result (dlg, "screenshot-sensitivity-small.png");

  /* a second activation presents the same dialog */
  g_action_group_activate_action (G_ACTION_GROUP (app), "sensitivity", NULL);
  pump ();
  g_assert_true (find_dialog () == dlg);

  /* the chart is saved at the size shown */
  g_autofree char *dir = g_dir_make_tmp ("sens-gui-XXXXXX", NULL);
  g_autofree char *png = g_build_filename (dir, "tornado.png", NULL);
  g_autoptr (GError) error = NULL;
  g_assert_true (amlaviz_sensitivity_dialog_save_chart (dlg, png, &error));
  g_assert_no_error (error);
  cairo_surface_t *s = cairo_image_surface_create_from_png (png);
  g_assert_cmpint (cairo_surface_status (s), ==, CAIRO_STATUS_SUCCESS);
  g_assert_cmpint (cairo_image_surface_get_width (s), ==,
                   gtk_widget_get_allocated_width (amlaviz_sensitivity_dialog_get_chart (dlg)));
  cairo_surface_destroy (s);
  g_unlink (png);
  g_rmdir (dir);
  close_dialog (&dlg);
}

static double
cpu_seconds (void)
{
  struct rusage u;
  getrusage (RUSAGE_SELF, &u);
  return u.ru_utime.tv_sec + u.ru_utime.tv_usec / 1e6 + u.ru_stime.tv_sec
         + u.ru_stime.tv_usec / 1e6;
}

static void
test_cancel_and_close (void)
{
  /* the default shape: a few seconds of work, time to cancel it */
  act ("configure", g_variant_new_string ("B=96 kv=4096"));
  AmlavizSensitivityDialog *dlg = open_dialog ();
  g_assert_true (amlaviz_sensitivity_dialog_is_running (dlg));
  gtk_dialog_response (GTK_DIALOG (dlg), 3); /* the Cancel button */
  wait_done (dlg);
  guint done, total;
  amlaviz_sensitivity_dialog_get_progress (dlg, &done, &total);
  g_test_message ("cancelled at %u of %u: %s", done, total,
                  amlaviz_sensitivity_dialog_get_status (dlg));
  g_assert_nonnull (strstr (amlaviz_sensitivity_dialog_get_status (dlg), "Cancelled"));
  g_assert_null (amlaviz_sensitivity_dialog_get_report (dlg));

  /* Recompute, then close while it runs: the worker stops, the process goes quiet */
  gtk_dialog_response (GTK_DIALOG (dlg), 2);
  g_assert_true (amlaviz_sensitivity_dialog_is_running (dlg));
  close_dialog (&dlg);
  g_usleep (300000); /* let the running simulations see the flag */
  double cpu0 = cpu_seconds ();
  gint64 t0 = g_get_monotonic_time ();
  while (g_get_monotonic_time () - t0 < 1500000)
    {
      while (gtk_events_pending ())
        gtk_main_iteration_do (FALSE);
      g_usleep (20000);
    }
  double used = cpu_seconds () - cpu0;
  g_test_message ("CPU after closing: %.2f s in 1.5 s", used);
  g_assert_cmpfloat (used, <, 0.5); /* a worker still simulating would use ~1 s per second */
  g_assert_null (find_dialog ());
}

static void
test_foreign_trace (void)
{
  g_autofree char *dir = g_dir_make_tmp ("sens-gui-XXXXXX", NULL);
  g_autofree char *foreign = g_build_filename (dir, "foreign.json", NULL);
  const char *json = "{\"traceEvents\":[{\"ph\":\"X\",\"pid\":1,\"tid\":1,\"ts\":0,\"dur\":5,"
                     "\"name\":\"work\"}]}";
  g_assert_true (g_file_set_contents (foreign, json, -1, NULL));
  act ("open-file", g_variant_new_string (foreign));
  g_assert_true (amlaviz_session_get_read_only (session));
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (app), "sensitivity"));
  act ("simulate", NULL);
  g_assert_false (amlaviz_session_get_read_only (session));
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (app), "sensitivity"));
  g_unlink (foreign);
  g_rmdir (dir);
}

static void
test_default_screenshot (void)
{
  act ("configure", g_variant_new_string ("B=96 kv=4096"));
  AmlavizSensitivityDialog *dlg = open_dialog ();
  wait_done (dlg);
  check_result (dlg, "screenshot-sensitivity.png");
  close_dialog (&dlg);
}

int
main (int argc, char **argv)
{
  gui_start (&argc, &argv, 1400, 860);

  g_test_add_func ("/sensitivity-dialog/action", test_action);
  g_test_add_func ("/sensitivity-dialog/small", test_small);
  g_test_add_func ("/sensitivity-dialog/cancel-and-close", test_cancel_and_close);
  g_test_add_func ("/sensitivity-dialog/foreign-trace", test_foreign_trace);
  g_test_add_func ("/sensitivity-dialog/default-screenshot", test_default_screenshot);
  int status = g_test_run ();
  gtk_widget_destroy (GTK_WIDGET (win));
  pump ();
  g_object_unref (app);
  return status;
}
