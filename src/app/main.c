/* src/app/main.c — amlaviz: the GTK window.  Everything lives in the app library. */
#include "src/app/amlaviz-application.h"

int
main (int argc, char **argv)
{
  g_autoptr (AmlavizApplication) app = amlaviz_application_new ((GApplicationFlags) 0);
  return g_application_run (G_APPLICATION (app), argc, argv);
}
