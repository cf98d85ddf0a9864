/* tests/gui/gui-harness.h — what the in-process GUI tests share: the running application, its
 * window and session, and the helpers that let GTK and the workers catch up before asserting. */
#pragma once

#include "src/app/amlaviz-application.h"

#include <glib/gstdio.h>
#include <stdlib.h>

static AmlavizApplication *app;
static AmlavizWindow *win;
static AmlavizSession *session;

/* let GTK lay out and paint; workers finish through the main context */
static inline void
pump (void)
{
  for (int i = 0; i < 50; i++)
    {
      while (gtk_events_pending ())
        gtk_main_iteration_do (FALSE);
      g_usleep (2000);
    }
}

static inline void
settle (void)
{
  amlaviz_session_wait_idle (session);
  pump ();
}

/* The visible file chooser dialog, if one is up. */
static inline GtkFileChooser *
find_chooser (void)
{
  GtkFileChooser *found = NULL;
  GList *tops = gtk_window_list_toplevels ();
  for (GList *l = tops; l; l = l->next)
    if (GTK_IS_FILE_CHOOSER_DIALOG (l->data) && gtk_widget_get_visible (l->data))
      found = l->data;
  g_list_free (tops);
  return found;
}

static GPtrArray *gui_dirs_at_exit;

static void
gui_remove_dirs (void)
{
  for (guint i = 0; gui_dirs_at_exit && i < gui_dirs_at_exit->len; i++)
    g_rmdir (g_ptr_array_index (gui_dirs_at_exit, i));
}

/* Remove dir (emptied by then) when the test program exits, not now: a chooser that showed it may
 * still have a query of it in flight, and GTK 3's chooser reports a folder gone under it in a
 * gtk_dialog_run of its own that nothing here answers (the tests hung so, now and then). */
static inline void
rmdir_at_exit (const char *dir)
{
  if (gui_dirs_at_exit == NULL)
    {
      gui_dirs_at_exit = g_ptr_array_new_with_free_func (g_free);
      atexit (gui_remove_dirs);
    }
  g_ptr_array_add (gui_dirs_at_exit, g_strdup (dir));
}

/* Save through the real chooser that is up: folder dir (fresh), name, until target exists.
 * The chooser takes Save only once it has loaded the folder, so the answer is repeated, but
 * not once the file is there: a Save answered after the file was written would find it and
 * make GTK ask to replace it, in a gtk_dialog_run of its own that nothing here answers (the
 * tests hung so, now and then).  The folder is fresh, so that question is the only one GTK
 * could ask: it is switched off. */
static inline void
save_through_chooser (const char *dir, const char *name, const char *target)
{
  GtkFileChooser *chooser = find_chooser ();
  g_assert_nonnull (chooser);
  g_assert_true (gtk_file_chooser_set_current_folder (chooser, dir));
  gtk_file_chooser_set_current_name (chooser, name);
  gtk_file_chooser_set_do_overwrite_confirmation (chooser, FALSE);
  for (int i = 0; i < 100 && find_chooser () != NULL; i++)
    {
      pump ();
      if (find_chooser () != NULL && !g_file_test (target, G_FILE_TEST_EXISTS))
        gtk_dialog_response (GTK_DIALOG (chooser), GTK_RESPONSE_ACCEPT);
    }
}

/* activate an app.* action as a script would, then wait for its effects */
static inline void
act (const char *name, GVariant *param)
{
  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (app), name));
  g_action_group_activate_action (G_ACTION_GROUP (app), name, param);
  settle ();
}

/* Start the real app in this process, as every GUI test does: GTK's test setup, a non-unique
 * app (tests run side by side), its window at w x h, settled. */
static inline void
gui_start (int *argc, char ***argv, int w, int h)
{
  gtk_test_init (argc, argv, NULL);
  app = amlaviz_application_new (G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));
  g_application_activate (G_APPLICATION (app));
  session = amlaviz_application_get_session (app);
  win = amlaviz_application_get_window (app);
  g_assert_nonnull (win);
  gtk_window_resize (GTK_WINDOW (win), w, h);
  settle ();
}

/* Draw a widget (at least min_px in each direction) into an image surface. */
static inline cairo_surface_t *
snapshot_at_least (GtkWidget *w, int min_px)
{
  int width = gtk_widget_get_allocated_width (w), height = gtk_widget_get_allocated_height (w);
  g_assert_cmpint (width, >, min_px);
  g_assert_cmpint (height, >, min_px);
  cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  cairo_t *cr = cairo_create (s);
  gtk_widget_draw (w, cr);
  cairo_destroy (cr);
  cairo_surface_flush (s);
  return s;
}

/* Keep a screenshot as a test artifact in $AMLAVIZ_SCREENSHOT_DIR. */
static inline void
save_png (cairo_surface_t *s, const char *name)
{
  const char *dir = g_getenv ("AMLAVIZ_SCREENSHOT_DIR");
  g_autofree char *path = g_build_filename (dir ? dir : ".", name, NULL);
  g_assert_cmpint (cairo_surface_write_to_png (s, path), ==, CAIRO_STATUS_SUCCESS);
  g_test_message ("screenshot: %s", path);
}
