/* src/app/amlaviz-application.c — the GtkApplication (see the header). */
#include "src/app/amlaviz-application.h"
#include "src/render/export.h"
#include "amlaviz-resources.h"

struct _AmlavizApplication
{
  GtkApplication parent_instance;
  GSettings *settings;
  AmlavizSession *session;
  AmlavizWindow *window;
};

G_DEFINE_FINAL_TYPE (AmlavizApplication, amlaviz_application, GTK_TYPE_APPLICATION)

GSettings *
amlaviz_settings_new (void)
{
  return amlaviz_settings_new_for_schema (AMLAVIZ_APP_ID);
}

GSettings *
amlaviz_settings_new_for_schema (const char *schema_id)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr (GSettingsSchema) schema
      = source ? g_settings_schema_source_lookup (source, schema_id, TRUE) : NULL;
  if (schema == NULL)
    {
      /* running from the build tree: the schema compiled next to the executable */
      const char *dir = g_getenv ("AMLAVIZ_SCHEMA_DIR");
      g_autoptr (GSettingsSchemaSource) local = g_settings_schema_source_new_from_directory (
          dir ? dir : AMLAVIZ_BUILD_SCHEMA_DIR, source, FALSE, NULL);
      if (local)
        schema = g_settings_schema_source_lookup (local, schema_id, FALSE);
    }
  if (schema == NULL)
    return NULL;
  return g_settings_new_full (schema, NULL, NULL);
}

static AmlavizWindow *
ensure_window (AmlavizApplication *self)
{
  if (self->window == NULL)
    {
      self->window = amlaviz_window_new (GTK_APPLICATION (self), self->session, self->settings);
      g_object_add_weak_pointer (G_OBJECT (self->window), (gpointer *) &self->window);
    }
  return self->window;
}

/* ------------------------------------------------------------------ app actions */

static void
export_to_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autofree char *path = user_data;
  g_autoptr (GError) error = NULL;
  if (amlaviz_session_export_image_finish (AMLAVIZ_SESSION (source), result, &error))
    return;
  g_printerr ("amlaviz: export-to %s: %s\n", path, error->message);
  g_autofree char *msg = g_strdup_printf ("Could not export %s: %s", path, error->message);
  amlaviz_session_report_error (AMLAVIZ_SESSION (source), msg);
}

static void
activate_action (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  AmlavizApplication *self = user_data;
  const char *name = g_action_get_name (G_ACTION (action));
  if (g_str_equal (name, "quit"))
    {
      if (self->window)
        gtk_widget_destroy (GTK_WIDGET (self->window));
      g_application_quit (G_APPLICATION (self));
      return;
    }
  if (g_str_equal (name, "open-file"))
    {
      ensure_window (self);
      amlaviz_session_open (self->session, g_variant_get_string (param, NULL));
      return;
    }
  if (g_str_equal (name, "save-to"))
    {
      amlaviz_session_save (self->session, g_variant_get_string (param, NULL));
      return;
    }
  if (g_str_equal (name, "export-to"))
    {
      /* drawn in the session's worker like the Export dialog's, every core (a partial run is
       * simulated whole); a failure shows in the error bar, and on stderr for scripts */
      const char *path = g_variant_get_string (param, NULL);
      TlExportOptions opt;
      tl_export_options_init (&opt);
      opt.metrics = TRUE;
      amlaviz_session_export_image_async (self->session, &opt, path, export_to_done,
                                          g_strdup (path));
      return;
    }
  AmlavizWindow *win = ensure_window (self);
  if (g_str_equal (name, "open"))
    amlaviz_window_open_dialog (win);
  else if (g_str_equal (name, "save"))
    amlaviz_window_save_dialog (win, FALSE);
  else if (g_str_equal (name, "save-as"))
    amlaviz_window_save_dialog (win, TRUE);
  else if (g_str_equal (name, "export"))
    amlaviz_window_export_dialog (win);
  else if (g_str_equal (name, "sensitivity"))
    amlaviz_window_sensitivity_dialog (win);
  else if (g_str_equal (name, "find"))
    amlaviz_window_find (win);
  else if (g_str_equal (name, "shortcuts"))
    g_action_group_activate_action (G_ACTION_GROUP (win), "show-help-overlay", NULL);
  else if (g_str_equal (name, "about"))
    gtk_show_about_dialog (GTK_WINDOW (win), "program-name", "amlaviz", "version",
                           AMLAVIZ_VERSION, "logo-icon-name", AMLAVIZ_APP_ID, "comments",
                           "Simulate the AMLA MLA-decode kernel on an Ascend AI core and see "
                           "every pipe on a timeline.",
                           "license-type", GTK_LICENSE_MIT_X11, NULL);
}

/* app.view('timeline' | 'sweep' | 'toggle'): the state is the view shown (the window keeps it in
 * step when the header's switcher is used). */
static void
activate_view (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  AmlavizApplication *self = user_data;
  const char *name = g_variant_get_string (param, NULL);
  if (!amlaviz_window_set_view (ensure_window (self), name))
    g_warning ("view: unknown view “%s” (expected timeline, sweep or toggle)", name);
}

static const struct
{
  const char *action;
  const char *accels[4];
} accels[] = {
  { "app.view('toggle')", { "F6", NULL } },
  { "app.view('timeline')", { "<Alt>1", NULL } },
  { "app.view('sweep')", { "<Alt>2", NULL } },
  { "app.zoom-in", { "w", "plus", "<Primary>equal", NULL } },
  { "app.zoom-out", { "s", "minus", "<Primary>minus", NULL } },
  { "app.pan-left", { "a", "Left", NULL } },
  { "app.pan-right", { "d", "Right", NULL } },
  { "app.fit", { "<Primary>0", "Home", NULL } },
  { "app.zoom-to-selection", { "f", NULL } },
  { "app.find", { "slash", "<Primary>f", NULL } },
  { "app.search-next", { "F3", NULL } },
  { "app.search-prev", { "<Shift>F3", NULL } },
  { "app.add-marker", { "m", NULL } },
  { "app.prev-marker", { "bracketleft", NULL } },
  { "app.next-marker", { "bracketright", NULL } },
  { "app.step-next", { "period", "n", NULL } },
  { "app.step-prev", { "comma", "p", NULL } },
  { "app.clear-selection", { "Escape", NULL } },
  { "app.preload", { "<Primary>1", NULL } },
  { "app.tiling", { "<Primary>2", NULL } },
  { "app.rescale('amla')", { "<Primary>3", NULL } },
  { "app.rescale('mul')", { "<Primary>4", NULL } },
  { "app.pin-a", { "<Primary>b", NULL } },
  { "app.all-cores", { "<Primary>g", NULL } },
  { "app.show-flows", { "<Primary>l", NULL } },
  { "app.simulate", { "<Primary>n", NULL } },
  { "app.open", { "<Primary>o", NULL } },
  { "app.save", { "<Primary>s", NULL } },
  { "app.save-as", { "<Primary><Shift>s", NULL } },
  { "app.export", { "<Primary>e", NULL } },
  { "app.sensitivity", { "<Primary>t", NULL } },
  { "app.quit", { "<Primary>q", NULL } },
  { "win.show-help-overlay", { "question", "F1", "<Primary>question", NULL } },
};

static void
amlaviz_application_startup (GApplication *app)
{
  AmlavizApplication *self = AMLAVIZ_APPLICATION (app);
  G_APPLICATION_CLASS (amlaviz_application_parent_class)->startup (app);
  g_set_application_name ("amlaviz");
  gtk_window_set_default_icon_name (AMLAVIZ_APP_ID);

  g_autoptr (GtkCssProvider) css = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (css, "/io/github/amlaviz/Amlaviz/style.css");
  gtk_style_context_add_provider_for_screen (gdk_screen_get_default (), GTK_STYLE_PROVIDER (css),
                                             GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);

  self->settings = amlaviz_settings_new ();
  self->session = amlaviz_session_new (self->settings);
  /* the session's actions become app.* actions: the same GAction objects, so state is shared */
  GActionGroup *group = amlaviz_session_get_actions (self->session);
  g_auto (GStrv) names = g_action_group_list_actions (group);
  for (guint i = 0; names[i]; i++)
    g_action_map_add_action (G_ACTION_MAP (app),
                             g_action_map_lookup_action (G_ACTION_MAP (group), names[i]));

  static const struct
  {
    const char *name, *param;
  } own[] = { { "open", NULL },     { "open-file", "s" }, { "save", NULL },  { "save-as", NULL },
              { "save-to", "s" },   { "export", NULL },   { "export-to", "s" },
              { "sensitivity", NULL }, { "shortcuts", NULL }, { "find", NULL }, { "about", NULL },
              { "quit", NULL } };
  for (guint i = 0; i < G_N_ELEMENTS (own); i++)
    {
      g_autoptr (GSimpleAction) a
          = g_simple_action_new (own[i].name, own[i].param ? G_VARIANT_TYPE (own[i].param) : NULL);
      g_signal_connect (a, "activate", G_CALLBACK (activate_action), self);
      g_action_map_add_action (G_ACTION_MAP (app), G_ACTION (a));
      /* a foreign trace has no kernel configuration to vary */
      if (g_str_equal (own[i].name, "sensitivity"))
        g_object_bind_property (self->session, "read-only", a, "enabled",
                                G_BINDING_SYNC_CREATE | G_BINDING_INVERT_BOOLEAN);
    }
  g_autoptr (GSimpleAction) view = g_simple_action_new_stateful (
      "view", G_VARIANT_TYPE_STRING, g_variant_new_string ("timeline"));
  g_signal_connect (view, "activate", G_CALLBACK (activate_view), self);
  g_action_map_add_action (G_ACTION_MAP (app), G_ACTION (view));
  for (guint i = 0; i < G_N_ELEMENTS (accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (app), accels[i].action,
                                           accels[i].accels);
}

static void
amlaviz_application_activate (GApplication *app)
{
  AmlavizApplication *self = AMLAVIZ_APPLICATION (app);
  AmlavizWindow *win = ensure_window (self);
  gtk_window_present (GTK_WINDOW (win));
  if (amlaviz_session_get_trace (self->session, FALSE) == NULL
      && !amlaviz_session_get_busy (self->session))
    amlaviz_session_simulate (self->session);
}

static void
amlaviz_application_open (GApplication *app, GFile **files, int n_files, const char *hint)
{
  AmlavizApplication *self = AMLAVIZ_APPLICATION (app);
  AmlavizWindow *win = ensure_window (self);
  gtk_window_present (GTK_WINDOW (win));
  if (n_files > 0)
    {
      g_autofree char *path = g_file_get_path (files[0]);
      if (path)
        amlaviz_session_open (self->session, path);
    }
}

static void
amlaviz_application_shutdown (GApplication *app)
{
  AmlavizApplication *self = AMLAVIZ_APPLICATION (app);
  if (self->session)
    amlaviz_session_quit (self->session, 10000); /* drop runs and opens, let a save finish */
  G_APPLICATION_CLASS (amlaviz_application_parent_class)->shutdown (app);
}

static void
amlaviz_application_dispose (GObject *object)
{
  AmlavizApplication *self = AMLAVIZ_APPLICATION (object);
  g_clear_object (&self->session);
  g_clear_object (&self->settings);
  G_OBJECT_CLASS (amlaviz_application_parent_class)->dispose (object);
}

static int amlaviz_application_handle_local_options (GApplication *app, GVariantDict *options);

static void
amlaviz_application_class_init (AmlavizApplicationClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = amlaviz_application_dispose;
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);
  app_class->startup = amlaviz_application_startup;
  app_class->activate = amlaviz_application_activate;
  app_class->open = amlaviz_application_open;
  app_class->shutdown = amlaviz_application_shutdown;
  app_class->handle_local_options = amlaviz_application_handle_local_options;
}

/* --version: print and leave before any window (or D-Bus name) is made. */
static int
amlaviz_application_handle_local_options (GApplication *app, GVariantDict *options)
{
  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("amlaviz %s\n", AMLAVIZ_VERSION);
      return 0;
    }
  return -1;
}

static void
amlaviz_application_init (AmlavizApplication *self)
{
  /* referencing the bundle links it from the static library (its constructor registers it) */
  (void) amlaviz_get_resource ();
  static const GOptionEntry entries[] = {
    { "version", 'V', 0, G_OPTION_ARG_NONE, NULL, "Print the version and exit", NULL },
    { NULL },
  };
  g_application_add_main_option_entries (G_APPLICATION (self), entries);
  g_application_set_option_context_parameter_string (G_APPLICATION (self), "[TRACE]");
  g_application_set_option_context_summary (
      G_APPLICATION (self),
      "Simulate the AMLA MLA-decode kernel on a model of an Ascend AI core and see every pipe on "
      "a timeline.  TRACE (optional) is a trace to open: one amlaviz wrote (its configuration is "
      "restored) or any Chrome / Perfetto trace JSON, plain or gzip-compressed (shown "
      "read-only).  Without it the default configuration is simulated.");
  g_application_set_option_context_description (
      G_APPLICATION (self),
      "A running window is scripted through its actions, e.g.\n"
      "  gapplication action io.github.amlaviz.Amlaviz search \"'C1 t3'\"\n"
      "See the README for the keys and the actions.");
}

AmlavizApplication *
amlaviz_application_new (GApplicationFlags extra_flags)
{
  return g_object_new (AMLAVIZ_TYPE_APPLICATION, "application-id", AMLAVIZ_APP_ID,
                       "flags", G_APPLICATION_HANDLES_OPEN | extra_flags,
                       "resource-base-path", "/io/github/amlaviz/Amlaviz", NULL);
}

AmlavizSession *
amlaviz_application_get_session (AmlavizApplication *self)
{
  return self->session;
}

AmlavizWindow *
amlaviz_application_get_window (AmlavizApplication *self)
{
  return self->window;
}
