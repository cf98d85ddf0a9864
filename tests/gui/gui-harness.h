/* tests/gui/gui-harness.h — what the in-process GUI tests share: the running application, its
 * window and session, and the helpers that let GTK and the workers catch up before asserting. */
#pragma once

#include "src/app/amlaviz-application.h"

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

/* activate an app.* action as a script would, then wait for its effects */
static inline void
act (const char *name, GVariant *param)
{
  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (app), name));
  g_action_group_activate_action (G_ACTION_GROUP (app), name, param);
  settle ();
}
