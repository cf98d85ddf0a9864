/* src/app/amlaviz-timeline-view.h — the Gantt chart widget: a GtkDrawingArea over the cairo
 * renderer (src/render/timeline.h).
 *
 * Draws the session's current trace (or, with "pinned", the pinned A run) in the session's time
 * window; turns input into session calls: wheel = zoom at the pointer (Shift+wheel or wheel over
 * the labels = scroll lanes), drag = pan, Shift+drag = measure a range, click = select a span,
 * click on a group header = collapse/expand, hover = tooltip.  Holds no state but pixels: the
 * vertical scroll offset (property "scroll-y", notified when the user scrolls, so the window
 * keeps the A and B panes of a compare on the same lanes) and the drag in progress.
 */
#pragma once

#include <gtk/gtk.h>
#include "src/app/amlaviz-session.h"
#include "src/render/timeline.h"

G_BEGIN_DECLS

#define AMLAVIZ_TYPE_TIMELINE_VIEW (amlaviz_timeline_view_get_type ())
G_DECLARE_FINAL_TYPE (AmlavizTimelineView, amlaviz_timeline_view, AMLAVIZ, TIMELINE_VIEW,
                      GtkDrawingArea)

void amlaviz_timeline_view_set_session (AmlavizTimelineView *self, AmlavizSession *session);
/* The TlView the widget would draw now (tests: pixel positions of lanes). FALSE if no trace. */
gboolean amlaviz_timeline_view_get_tl_view (AmlavizTimelineView *self, TlView *view);
/* The canvas theme: dark when the GTK theme is (its text colour is light). */
TlTheme amlaviz_timeline_view_get_theme (AmlavizTimelineView *self);

G_END_DECLS
