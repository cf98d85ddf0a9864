/* src/cli/draw.c — open amlasim's drawing module (draw.h) the first time a command draws. */
#include "src/cli/draw.h"

#include <gmodule.h>
#include <stdio.h>

#define DRAW_MODULE_NAME "amlasim-draw.so"

/* Where the module may be: beside the executable (the build tree), then the install directory
 * relative to the executable (an install moved as a whole, or meson install --destdir), then the
 * configured one.  NULL-terminated. */
static GPtrArray *
module_dirs (void)
{
  GPtrArray *dirs = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);
  if (exe != NULL)
    {
      g_autofree char *exe_dir = g_path_get_dirname (exe);
      g_ptr_array_add (dirs, g_strdup (exe_dir));
#ifdef AMLASIM_DRAW_MODULE_RELDIR
      g_ptr_array_add (dirs, g_build_filename (exe_dir, AMLASIM_DRAW_MODULE_RELDIR, NULL));
#endif
    }
  g_ptr_array_add (dirs, g_strdup (AMLASIM_DRAW_MODULE_DIR));
  g_ptr_array_add (dirs, NULL);
  return dirs;
}

static const AmlasimDraw *
open_module (char **error)
{
  g_autoptr (GPtrArray) dirs = module_dirs ();
  char *path = NULL;
  for (guint i = 0; dirs->pdata[i] != NULL && path == NULL; i++)
    {
      char *p = g_build_filename (dirs->pdata[i], DRAW_MODULE_NAME, NULL);
      if (g_file_test (p, G_FILE_TEST_IS_REGULAR))
        path = p;
      else
        g_free (p);
    }
  if (path == NULL)
    {
      g_autofree char *where = g_strjoinv (", ", (char **) dirs->pdata);
      *error = g_strdup_printf ("%s is in none of %s (install amlaviz with its drawing module)",
                                DRAW_MODULE_NAME, where);
      return NULL;
    }
  /* now-binding: a symbol the executable lacks fails here, not halfway through a drawing */
  GModule *module = g_module_open (path, G_MODULE_BIND_LOCAL);
  if (module == NULL)
    {
      *error = g_strdup (g_module_error ()); /* names the file */
      g_free (path);
      return NULL;
    }
  gpointer sym = NULL;
  const AmlasimDraw *draw = NULL;
  if (g_module_symbol (module, AMLASIM_DRAW_SYMBOL, &sym) && sym != NULL)
    draw = ((AmlasimDrawModuleFunc) sym) ();
  if (draw == NULL || draw->abi != AMLASIM_DRAW_ABI || draw->size != sizeof (AmlasimDraw)
      || g_strcmp0 (draw->version, AMLAVIZ_VERSION) != 0)
    {
      *error
          = g_strdup_printf ("%s is not the drawing module of amlasim %s", path, AMLAVIZ_VERSION);
      g_module_close (module);
      g_free (path);
      return NULL;
    }
  /* cairo and fontconfig keep process-lifetime state: never unload */
  g_module_make_resident (module);
  g_free (path);
  return draw;
}

const AmlasimDraw *
cli_draw (const char *cmd)
{
  static const AmlasimDraw *draw;
  static char *error;
  if (draw == NULL && error == NULL)
    draw = open_module (&error);
  if (draw == NULL)
    fprintf (stderr, "amlasim %s: cannot draw: %s\n", cmd, error);
  return draw;
}
