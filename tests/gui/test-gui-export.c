/* tests/gui/test-gui-export.c — the Export dialog in the real application under Xvfb: opened
 * through app.export, options set through its properties, files written in each format and
 * checked with the tools a user would use (cairo for PNG, xmllint for SVG, pdfinfo/pdftoppm for
 * PDF), the overwrite question (declining leaves the old file byte-identical), an unwritable
 * folder, the preview's pixels, Enter/Esc, and options remembered for the session.  A screenshot
 * of the dialog goes to $AMLAVIZ_SCREENSHOT_DIR. */
#include "tests/gui/gui-harness.h"
#include "src/app/amlaviz-export-dialog.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Under ASan: GLib's quark table grows past its first block once the dialog's widgets register
 * their types, and GLib drops the old block on purpose (lock-free readers may still hold it); it
 * was allocated by GLib's library constructor.  Full stacks let the suppression see that. */
const char *__asan_default_options (void);
const char *__lsan_default_suppressions (void);
const char *
__asan_default_options (void)
{
  return "fast_unwind_on_malloc=0";
}
const char *
__lsan_default_suppressions (void)
{
  return "leak:_dl_init\n";
}

static char *tmpdir;

static AmlavizExportDialog *
find_dialog (void)
{
  AmlavizExportDialog *found = NULL;
  GList *tops = gtk_window_list_toplevels ();
  for (GList *l = tops; l; l = l->next)
    if (AMLAVIZ_IS_EXPORT_DIALOG (l->data) && gtk_widget_get_visible (l->data))
      found = l->data;
  g_list_free (tops);
  return found;
}

/* Open the dialog the way Ctrl+E does; the weak pointer clears when it closes. */
static AmlavizExportDialog *
open_dialog (void)
{
  g_assert_null (find_dialog ());
  g_action_group_activate_action (G_ACTION_GROUP (app), "export", NULL);
  pump ();
  AmlavizExportDialog *dlg = find_dialog ();
  g_assert_nonnull (dlg);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dlg)) == GTK_WINDOW (win));
  g_assert_true (gtk_window_get_modal (GTK_WINDOW (dlg)));
  return dlg;
}

static void
on_exported (AmlavizExportDialog *dlg, const char *path, gpointer user_data)
{
  char **out = user_data;
  g_free (*out);
  *out = g_strdup (path);
}

/* Export with the dialog's current options; returns the written path (NULL if none). */
static char *
export_now (AmlavizExportDialog **dlg)
{
  char *written = NULL;
  g_object_add_weak_pointer (G_OBJECT (*dlg), (gpointer *) dlg);
  gulong id = g_signal_connect (*dlg, "exported", G_CALLBACK (on_exported), &written);
  amlaviz_export_dialog_export (*dlg);
  amlaviz_session_wait_idle (session); /* the file is written in the session's worker */
  pump ();
  if (*dlg)
    {
      g_signal_handler_disconnect (*dlg, id);
      g_object_remove_weak_pointer (G_OBJECT (*dlg), (gpointer *) dlg);
    }
  return written;
}

static char *
tmp_path (const char *name)
{
  return g_build_filename (tmpdir, name, NULL);
}

static gboolean
run (const char *cmdline, char **out)
{
  int status = -1;
  g_autoptr (GError) err = NULL;
  if (!g_spawn_command_line_sync (cmdline, out, NULL, &status, &err))
    g_error ("%s: %s", cmdline, err->message);
  return g_spawn_check_wait_status (status, NULL);
}

static void
save_dialog (AmlavizExportDialog *dlg, const char *name)
{
  for (int i = 0; i < 10; i++) /* let check boxes finish their animations */
    pump ();
  GtkWidget *w = GTK_WIDGET (dlg);
  int width = gtk_widget_get_allocated_width (w), height = gtk_widget_get_allocated_height (w);
  cairo_surface_t *shot = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  cairo_t *cr = cairo_create (shot);
  gtk_widget_draw (w, cr);
  cairo_destroy (cr);
  save_png (shot, name);
  cairo_surface_destroy (shot);
}

/* ------------------------------------------------------------------ tests */

static void
test_open_defaults (void)
{
  AmlavizExportDialog *dlg = open_dialog ();
  TlExportFormat format;
  gboolean all_cores, visible, metrics;
  g_autofree char *name = NULL;
  g_object_get (dlg, "format", &format, "all-cores", &all_cores, "visible-range", &visible,
                "metrics", &metrics, "file-name", &name, NULL);
  g_assert_cmpint (format, ==, TL_EXPORT_PNG);
  g_assert_false (all_cores);
  g_assert_false (visible);
  g_assert_true (metrics);
  g_assert_true (g_str_has_prefix (name, "amla-B96-kv4096"));
  g_assert_true (g_str_has_suffix (name, ".png"));
  /* the extension follows the format, and a typed extension picks the format */
  g_object_set (dlg, "format", TL_EXPORT_PDF, NULL);
  g_free (name);
  g_object_get (dlg, "file-name", &name, NULL);
  g_assert_true (g_str_has_suffix (name, ".pdf"));
  g_object_set (dlg, "file-name", "figure.svg", NULL);
  g_object_get (dlg, "format", &format, NULL);
  g_assert_cmpint (format, ==, TL_EXPORT_SVG);
  /* a name without an extension gets the format's */
  g_object_set (dlg, "folder", tmpdir, "file-name", "plain", NULL);
  g_autofree char *path = NULL;
  g_object_get (dlg, "path", &path, NULL);
  g_autofree char *want = tmp_path ("plain.svg");
  g_assert_cmpstr (path, ==, want);
  gtk_widget_destroy (GTK_WIDGET (dlg));
  pump ();
}

/* "All cores" of a run that recorded only the drawn group (one-AIC-group mode): the session
 * completes the run while the dialog asks for every core, and the preview then has them all. */
static void
test_all_cores_completes (void)
{
  if (!amlaviz_session_get_partial (session, FALSE))
    {
      /* an earlier test left a completed run: a new one records the drawn group only */
      g_action_group_activate_action (G_ACTION_GROUP (app), "simulate", NULL);
      amlaviz_session_wait_idle (session);
      pump ();
    }
  g_assert_true (amlaviz_session_get_partial (session, FALSE)); /* one-AIC-group mode */
  AmlavizExportDialog *dlg = open_dialog ();
  g_object_set (dlg, "format", TL_EXPORT_PDF, "page-per-group", TRUE, NULL);
  amlaviz_export_dialog_update_preview (dlg);
  g_assert_nonnull (strstr (amlaviz_export_dialog_get_caption (dlg), "3 pages"));
  g_object_set (dlg, "all-cores", TRUE, NULL);
  amlaviz_session_wait_idle (session);
  pump ();
  g_assert_false (amlaviz_session_get_partial (session, FALSE));
  const SimTrace *t = amlaviz_session_get_trace (session, FALSE);
  g_autoptr (GError) error = NULL;
  SimRunOptions opt;
  sim_run_options_init (&opt);
  g_autoptr (AmlaRun) whole = amla_run (amlaviz_session_get_config (session), NULL, &opt, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (t->n_spans, ==, whole->result->trace->n_spans);
  amlaviz_export_dialog_update_preview (dlg);
  g_autofree char *pages = g_strdup_printf ("%u pages", t->groups->len);
  g_test_message ("caption: %s", amlaviz_export_dialog_get_caption (dlg));
  g_assert_nonnull (strstr (amlaviz_export_dialog_get_caption (dlg), pages));
  /* closed with All cores still chosen (options are remembered only by an export): the hold
   * goes with the dialog */
  gtk_widget_destroy (GTK_WIDGET (dlg));
  pump ();
  /* released: the next run records the drawn group only again */
  g_action_group_activate_action (G_ACTION_GROUP (app), "simulate", NULL);
  amlaviz_session_wait_idle (session);
  pump ();
  g_assert_true (amlaviz_session_get_partial (session, FALSE));
}

static void
test_png (void)
{
  AmlavizExportDialog *dlg = open_dialog ();
  g_object_set (dlg, "folder", tmpdir, "file-name", "run.png", "png-width", 1000, "scale", 2, NULL);
  g_autofree char *path = export_now (&dlg);
  g_assert_null (dlg); /* closed after writing */
  g_assert_nonnull (path);
  g_autofree char *want = tmp_path ("run.png");
  g_assert_cmpstr (path, ==, want);
  g_autofree char *data = NULL;
  gsize len = 0;
  g_assert_true (g_file_get_contents (path, &data, &len, NULL));
  g_assert_cmpuint (len, >, 1000);
  g_assert_cmpmem (data, 8, "\x89PNG\r\n\x1a\n", 8);
  cairo_surface_t *img = cairo_image_surface_create_from_png (path);
  g_assert_cmpint (cairo_surface_status (img), ==, CAIRO_STATUS_SUCCESS);
  g_assert_cmpint (cairo_image_surface_get_width (img), ==, 2000);
  g_test_message ("PNG 1000 px at 2x: %d x %d, %" G_GSIZE_FORMAT " bytes",
                  cairo_image_surface_get_width (img), cairo_image_surface_get_height (img), len);
  g_assert_cmpint (cairo_image_surface_get_height (img), >, 400);
  cairo_surface_destroy (img);
}

static void
test_svg (void)
{
  AmlavizExportDialog *dlg = open_dialog ();
  g_object_set (dlg, "folder", tmpdir, "file-name", "run", "format", TL_EXPORT_SVG, NULL);
  g_autofree char *path = export_now (&dlg);
  g_assert_null (dlg);
  g_autofree char *want = tmp_path ("run.svg");
  g_assert_cmpstr (path, ==, want);
  g_autofree char *cmd = g_strdup_printf ("xmllint --noout '%s'", path);
  g_assert_true (run (cmd, NULL));
  g_autofree char *svg = NULL;
  g_assert_true (g_file_get_contents (path, &svg, NULL, NULL));
  /* the lane labels of the drawn group are text */
  const SimTrace *t = amlaviz_session_get_trace (session, FALSE);
  const SimGroup *g0 = g_ptr_array_index (t->groups, 0);
  g_assert_cmpuint (g0->lanes->len, >, 0);
  for (guint l = 0; l < g0->lanes->len; l++)
    {
      const SimLane *lane = g_ptr_array_index (g0->lanes, l);
      g_autofree char *esc = g_markup_escape_text (lane->name, -1);
      g_autofree char *text = g_strdup_printf (">%s</text>", esc);
      if (strstr (svg, text) == NULL)
        g_error ("lane label %s is not SVG text", lane->name);
    }
  g_assert_nonnull (strstr (svg, "<text"));
}

static void
test_pdf (void)
{
  AmlavizExportDialog *dlg = open_dialog ();
  g_object_set (dlg, "folder", tmpdir, "file-name", "run.pdf", "vector-width", 500,
                "page-per-group", TRUE, NULL);
  TlExportFormat format;
  g_object_get (dlg, "format", &format, NULL);
  g_assert_cmpint (format, ==, TL_EXPORT_PDF);
  g_autofree char *path = export_now (&dlg);
  g_assert_null (dlg);
  g_assert_nonnull (path);
  /* one page per drawn core group (AIC0, AIV0, AIV1), 500 pt wide */
  g_autofree char *info = NULL;
  g_autofree char *cmd = g_strdup_printf ("pdfinfo '%s'", path);
  g_assert_true (run (cmd, &info));
  g_test_message ("%s", info);
  g_assert_nonnull (strstr (info, "Pages:           3"));
  const char *size = strstr (info, "Page size:");
  g_assert_nonnull (size);
  double pw = 0, ph = 0;
  g_assert_cmpint (sscanf (size, "Page size: %lf x %lf", &pw, &ph), ==, 2);
  g_assert_cmpfloat (pw, ==, 500);
  g_assert_cmpfloat (ph, >, 100);
  g_autofree char *prefix = tmp_path ("page");
  g_free (cmd);
  cmd = g_strdup_printf ("pdftoppm -r 72 -png -f 1 -l 1 '%s' '%s'", path, prefix);
  g_assert_true (run (cmd, NULL));
  g_autofree char *page = tmp_path ("page-1.png");
  cairo_surface_t *img = cairo_image_surface_create_from_png (page);
  g_assert_cmpint (cairo_surface_status (img), ==, CAIRO_STATUS_SUCCESS);
  g_assert_cmpint (cairo_image_surface_get_width (img), ==, 500);
  cairo_surface_destroy (img);
}

static void
test_overwrite (void)
{
  g_autofree char *path = tmp_path ("keep.png");
  static const char old[] = "OLD CONTENT, NOT AN IMAGE\n";
  g_assert_true (g_file_set_contents (path, old, sizeof old - 1, NULL));

  AmlavizExportDialog *dlg = open_dialog ();
  g_object_set (dlg, "path", path, NULL);
  g_autofree char *written = export_now (&dlg);
  g_assert_null (written);
  g_assert_nonnull (dlg); /* still open, asking */
  GtkDialog *q = amlaviz_export_dialog_get_confirm (dlg);
  g_assert_nonnull (q);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (q)));
  gtk_dialog_response (q, GTK_RESPONSE_CANCEL);
  pump ();
  g_assert_null (amlaviz_export_dialog_get_confirm (dlg));
  g_assert_null (amlaviz_export_dialog_get_error (dlg));
  g_autofree char *data = NULL;
  gsize len = 0;
  g_assert_true (g_file_get_contents (path, &data, &len, NULL));
  g_assert_cmpmem (data, len, old, sizeof old - 1);

  /* asked again, the user agrees: replaced */
  written = export_now (&dlg);
  g_assert_null (written);
  q = amlaviz_export_dialog_get_confirm (dlg);
  g_assert_nonnull (q);
  g_object_add_weak_pointer (G_OBJECT (dlg), (gpointer *) &dlg);
  gtk_dialog_response (q, GTK_RESPONSE_ACCEPT);
  amlaviz_session_wait_idle (session);
  pump ();
  g_assert_null (dlg);
  g_free (data);
  g_assert_true (g_file_get_contents (path, &data, &len, NULL));
  g_assert_cmpmem (data, 8, "\x89PNG\r\n\x1a\n", 8);
}

static void
test_unwritable (void)
{
  AmlavizExportDialog *dlg = open_dialog ();
  g_autofree char *missing = tmp_path ("no/such/folder");
  g_object_set (dlg, "folder", missing, "file-name", "x.png", NULL);
  g_autofree char *written = export_now (&dlg);
  g_assert_null (written);
  g_assert_nonnull (dlg); /* stays open with the reason */
  const char *err = amlaviz_export_dialog_get_error (dlg);
  g_assert_nonnull (err);
  g_test_message ("error: %s", err);
  g_assert_nonnull (strstr (err, "does not exist"));
  save_dialog (dlg, "screenshot-export-dialog-error.png");
  /* an empty name is an error too, not a file called ".png" */
  g_object_set (dlg, "folder", tmpdir, "file-name", "  ", NULL);
  g_assert_null (amlaviz_export_dialog_get_error (dlg)); /* editing clears it */
  written = export_now (&dlg);
  g_assert_null (written);
  g_assert_nonnull (strstr (amlaviz_export_dialog_get_error (dlg), "file name"));

  /* a folder we may not write into: the old file there stays whole */
  if (geteuid () != 0)
    {
      g_autofree char *ro = tmp_path ("ro");
      g_assert_cmpint (g_mkdir (ro, 0755), ==, 0);
      g_autofree char *old = g_build_filename (ro, "old.png", NULL);
      g_assert_true (g_file_set_contents (old, "OLD", 3, NULL));
      g_assert_cmpint (g_chmod (ro, 0555), ==, 0);
      g_object_set (dlg, "path", old, NULL);
      export_now (&dlg);
      gtk_dialog_response (amlaviz_export_dialog_get_confirm (dlg), GTK_RESPONSE_ACCEPT);
      pump ();
      g_assert_nonnull (dlg);
      g_assert_nonnull (amlaviz_export_dialog_get_error (dlg));
      g_autofree char *kept = NULL;
      g_assert_true (g_file_get_contents (old, &kept, NULL, NULL));
      g_assert_cmpstr (kept, ==, "OLD");
      g_chmod (ro, 0755);
    }
  else
    g_test_message ("running as root: read-only folder case skipped");
  gtk_widget_destroy (GTK_WIDGET (dlg));
  pump ();
}

/* Pixels of the preview's page(s) that differ from the page background (sampled just inside the
 * first page's top-left corner, in its margin); transparent pixels are the desk around pages. */
static guint
ink_pixels (cairo_surface_t *s, double *mean_luma, guint *page_pixels)
{
  int w = cairo_image_surface_get_width (s), h = cairo_image_surface_get_height (s);
  int stride = cairo_image_surface_get_stride (s);
  const guint8 *p = cairo_image_surface_get_data (s);
  guint ink = 0, page = 0;
  double luma = 0;
  guint32 page_bg = *(const guint32 *) (p + 12 * stride + 4 * 12);
  g_assert_cmpuint (page_bg >> 24, ==, 0xff);
  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      {
        guint32 px = *(const guint32 *) (p + y * stride + 4 * x);
        if ((px >> 24) != 0xff)
          continue; /* desk or the page's shadow */
        page++;
        luma += 0.3 * ((px >> 16) & 0xff) + 0.59 * ((px >> 8) & 0xff) + 0.11 * (px & 0xff);
        ink += px != page_bg;
      }
  *mean_luma = page ? luma / page : 0;
  *page_pixels = page;
  return ink;
}

static void
test_preview (void)
{
  AmlavizExportDialog *dlg = open_dialog ();
  gtk_window_resize (GTK_WINDOW (dlg), 1100, 700);
  g_object_set (dlg, "format", TL_EXPORT_PNG, "png-width", 1600, "scale", 1, NULL);
  pump ();
  amlaviz_export_dialog_update_preview (dlg);
  cairo_surface_t *s = amlaviz_export_dialog_get_preview (dlg);
  g_assert_nonnull (s);
  double light_luma, dark_luma;
  guint page_px;
  guint ink = ink_pixels (s, &light_luma, &page_px);
  g_test_message ("preview %d x %d: page %u px, %u ink pixels, mean luma %.0f (%s)",
                  cairo_image_surface_get_width (s), cairo_image_surface_get_height (s), page_px,
                  ink, light_luma, amlaviz_export_dialog_get_caption (dlg));
  g_assert_cmpuint (page_px, >, 20000);
  g_assert_cmpuint (ink, >, page_px / 20);
  g_assert_cmpuint (ink, <, page_px * 9 / 10);
  g_assert_nonnull (strstr (amlaviz_export_dialog_get_caption (dlg), "1600 ×"));

  /* the dark theme darkens the page */
  g_object_set (dlg, "theme", AMLAVIZ_EXPORT_THEME_DARK, NULL);
  amlaviz_export_dialog_update_preview (dlg);
  ink_pixels (amlaviz_export_dialog_get_preview (dlg), &dark_luma, &page_px);
  g_test_message ("mean luma light %.0f dark %.0f", light_luma, dark_luma);
  g_assert_cmpfloat (dark_luma, <, light_luma - 40);
  g_object_set (dlg, "theme", AMLAVIZ_EXPORT_THEME_LIGHT, NULL);

  /* PDF with one page per group says so */
  g_object_set (dlg, "format", TL_EXPORT_PDF, "page-per-group", TRUE, NULL);
  amlaviz_export_dialog_update_preview (dlg);
  g_test_message ("caption: %s", amlaviz_export_dialog_get_caption (dlg));
  g_assert_nonnull (strstr (amlaviz_export_dialog_get_caption (dlg), "3 pages"));
  g_object_set (dlg, "format", TL_EXPORT_SVG, NULL);
  amlaviz_export_dialog_update_preview (dlg);
  g_test_message ("caption: %s", amlaviz_export_dialog_get_caption (dlg));
  g_assert_nonnull (strstr (amlaviz_export_dialog_get_caption (dlg), "SVG · "));
  save_dialog (dlg, "screenshot-export-dialog-pdf.png");
  g_object_set (dlg, "page-per-group", FALSE, "format", TL_EXPORT_PNG, "scale", 2, NULL);
  amlaviz_export_dialog_update_preview (dlg);
  g_test_message ("caption: %s", amlaviz_export_dialog_get_caption (dlg));
  g_assert_nonnull (strstr (amlaviz_export_dialog_get_caption (dlg), "3200 ×"));
  /* a PNG cairo cannot make is flagged before Export is pressed */
  g_assert_null (strstr (amlaviz_export_dialog_get_caption (dlg), "Too large"));
  g_object_set (dlg, "png-width", 12000, "scale", 3, NULL);
  amlaviz_export_dialog_update_preview (dlg);
  g_assert_nonnull (strstr (amlaviz_export_dialog_get_caption (dlg), "Too large for a PNG"));
  g_object_set (dlg, "png-width", 1600, "scale", 1, NULL);

  /* an option change redraws by itself after the debounce */
  g_object_set (dlg, "metrics", FALSE, NULL);
  for (int i = 0; i < 10; i++)
    pump ();
  double luma2;
  ink_pixels (amlaviz_export_dialog_get_preview (dlg), &luma2, &page_px);
  g_assert_cmpfloat (luma2, !=, light_luma);

  g_object_set (dlg, "metrics", TRUE, NULL);
  amlaviz_export_dialog_update_preview (dlg);
  save_dialog (dlg, "screenshot-export-dialog.png"); /* what the user sees */
  gtk_widget_destroy (GTK_WIDGET (dlg));
  pump ();
}

static void
send_key (GtkWidget *w, guint keyval)
{
  GdkEvent *ev = gdk_event_new (GDK_KEY_PRESS);
  ev->key.window = g_object_ref (gtk_widget_get_window (w));
  ev->key.send_event = TRUE;
  ev->key.time = GDK_CURRENT_TIME;
  ev->key.keyval = keyval;
  GdkKeymapKey *keys = NULL;
  int n = 0;
  if (gdk_keymap_get_entries_for_keyval (gdk_keymap_get_for_display (gtk_widget_get_display (w)),
                                         keyval, &keys, &n)
      && n > 0)
    ev->key.hardware_keycode = keys[0].keycode;
  g_free (keys);
  gdk_event_set_device (
      ev, gdk_seat_get_keyboard (gdk_display_get_default_seat (gtk_widget_get_display (w))));
  gtk_main_do_event (ev);
  gdk_event_free (ev);
  amlaviz_session_wait_idle (session); /* Enter may have started an export */
  pump ();
}

static GtkWidget *
find_button (GtkWidget *w, const char *label)
{
  if (GTK_IS_BUTTON (w) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (w)), label) == 0)
    return w;
  if (!GTK_IS_CONTAINER (w))
    return NULL;
  GList *children = gtk_container_get_children (GTK_CONTAINER (w));
  GtkWidget *found = NULL;
  for (GList *l = children; l && !found; l = l->next)
    found = find_button (l->data, label);
  g_list_free (children);
  return found;
}

static void
test_keys (void)
{
  /* Esc cancels: closed, nothing written */
  AmlavizExportDialog *dlg = open_dialog ();
  g_object_add_weak_pointer (G_OBJECT (dlg), (gpointer *) &dlg);
  g_autofree char *esc_path = tmp_path ("esc.png");
  g_object_set (dlg, "path", esc_path, NULL);
  send_key (GTK_WIDGET (dlg), GDK_KEY_Escape);
  g_assert_null (dlg);
  g_assert_false (g_file_test (esc_path, G_FILE_TEST_EXISTS));

  /* Enter exports, also with the focus on a check box */
  dlg = open_dialog ();
  g_object_add_weak_pointer (G_OBJECT (dlg), (gpointer *) &dlg);
  g_autofree char *enter_path = tmp_path ("enter.png");
  g_object_set (dlg, "path", enter_path, NULL);
  GtkWidget *check = find_button (GTK_WIDGET (dlg), "Metrics box");
  g_assert_nonnull (check);
  gtk_widget_grab_focus (check);
  g_assert_true (gtk_window_get_focus (GTK_WINDOW (dlg)) == check);
  gboolean before = gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (check));
  send_key (GTK_WIDGET (dlg), GDK_KEY_Return);
  g_assert_null (dlg);
  g_assert_true (g_file_test (enter_path, G_FILE_TEST_EXISTS));
  (void) before;
}

static void
test_remembered (void)
{
  AmlavizExportDialog *dlg = open_dialog ();
  g_object_set (dlg, "folder", tmpdir, "file-name", "remember.svg", "metrics", FALSE, "counters",
                FALSE, "vector-width", 600, NULL);
  g_autofree char *path = export_now (&dlg);
  g_assert_nonnull (path);
  dlg = open_dialog ();
  TlExportFormat format;
  gboolean metrics, counters;
  int vw;
  g_autofree char *folder = NULL, *name = NULL;
  g_object_get (dlg, "format", &format, "metrics", &metrics, "counters", &counters, "vector-width",
                &vw, "folder", &folder, "file-name", &name, NULL);
  g_assert_cmpint (format, ==, TL_EXPORT_SVG);
  g_assert_false (metrics);
  g_assert_false (counters);
  g_assert_cmpint (vw, ==, 600);
  g_assert_cmpstr (folder, ==, tmpdir);
  g_assert_true (g_str_has_suffix (name, ".svg"));
  /* and the options object reflects them */
  TlExportOptions opt;
  g_autofree guint8 *groups = NULL;
  amlaviz_export_dialog_get_options (dlg, &opt, &groups);
  g_assert_false (opt.metrics);
  g_assert_cmpfloat (opt.width, ==, 600);
  g_assert_nonnull (groups); /* drawn cores only */
  gtk_widget_destroy (GTK_WIDGET (dlg));
  pump ();

  /* they live in GSettings (memory backend here): what a later run of the app would read */
  g_autoptr (GSettings) settings = amlaviz_settings_new_for_schema (AMLAVIZ_APP_ID ".export");
  g_assert_nonnull (settings);
  g_assert_true (g_settings_get_boolean (settings, "saved"));
  g_autofree char *saved_format = g_settings_get_string (settings, "format");
  g_assert_cmpstr (saved_format, ==, "svg");
  g_assert_cmpint (g_settings_get_int (settings, "vector-width"), ==, 600);
  g_assert_false (g_settings_get_boolean (settings, "metrics"));
  g_autofree char *saved_folder = g_settings_get_string (settings, "folder");
  g_assert_cmpstr (saved_folder, ==, tmpdir);
  /* and a value set there is what the next dialog starts from */
  g_settings_set_string (settings, "theme", "dark");
  g_settings_set_string (settings, "format", "pdf");
  dlg = open_dialog ();
  AmlavizExportTheme theme;
  g_autofree char *pdf_name = NULL;
  g_object_get (dlg, "theme", &theme, "format", &format, "file-name", &pdf_name, NULL);
  g_assert_cmpint (theme, ==, AMLAVIZ_EXPORT_THEME_DARK);
  g_assert_cmpint (format, ==, TL_EXPORT_PDF);
  g_assert_true (g_str_has_suffix (pdf_name, ".pdf"));
  gtk_widget_destroy (GTK_WIDGET (dlg));
  pump ();
  g_settings_reset (settings, "theme");
  g_settings_reset (settings, "format");
}

/* The file is written in a worker: Export waits for it, and closing the dialog meanwhile neither
 * stops the write nor touches the closed dialog. */
static void
test_close_while_writing (void)
{
  AmlavizExportDialog *dlg = open_dialog ();
  g_autofree char *path = tmp_path ("closed-while-writing.png");
  g_object_set (dlg, "path", path, NULL);
  char *written = NULL;
  g_signal_connect (dlg, "exported", G_CALLBACK (on_exported), &written);
  amlaviz_export_dialog_export (dlg);
  g_assert_true (find_dialog () == dlg); /* still open: the worker writes */
  g_assert_null (written);
  amlaviz_export_dialog_export (dlg); /* a second press while writing is ignored */
  gtk_widget_destroy (GTK_WIDGET (dlg));
  amlaviz_session_wait_idle (session);
  pump ();
  g_assert_null (written); /* the closed dialog said nothing */
  g_assert_null (find_dialog ());
  g_autofree char *data = NULL;
  gsize len = 0;
  g_assert_true (g_file_get_contents (path, &data, &len, NULL));
  g_assert_cmpmem (data, 8, "\x89PNG\r\n\x1a\n", 8);
}

int
main (int argc, char **argv)
{
  gtk_test_init (&argc, &argv, NULL);
  tmpdir = g_dir_make_tmp ("amlaviz-export-XXXXXX", NULL);
  app = amlaviz_application_new (G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));
  g_application_activate (G_APPLICATION (app));
  session = amlaviz_application_get_session (app);
  win = amlaviz_application_get_window (app);
  g_assert_nonnull (win);
  gtk_window_resize (GTK_WINDOW (win), 1400, 860);
  amlaviz_session_wait_idle (session);
  pump ();
  g_assert_nonnull (amlaviz_session_get_trace (session, FALSE));

  g_test_add_func ("/export-dialog/open-defaults", test_open_defaults);
  g_test_add_func ("/export-dialog/all-cores-completes", test_all_cores_completes);
  g_test_add_func ("/export-dialog/png", test_png);
  g_test_add_func ("/export-dialog/svg", test_svg);
  g_test_add_func ("/export-dialog/pdf", test_pdf);
  g_test_add_func ("/export-dialog/overwrite", test_overwrite);
  g_test_add_func ("/export-dialog/unwritable", test_unwritable);
  g_test_add_func ("/export-dialog/preview", test_preview);
  g_test_add_func ("/export-dialog/keys", test_keys);
  g_test_add_func ("/export-dialog/remembered", test_remembered);
  g_test_add_func ("/export-dialog/close-while-writing", test_close_while_writing);
  int status = g_test_run ();
  gtk_widget_destroy (GTK_WIDGET (win));
  pump ();
  g_object_unref (app);
  g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", tmpdir);
  g_spawn_command_line_sync (cmd, NULL, NULL, NULL, NULL);
  g_free (tmpdir);
  return status;
}
