/* src/app/amlaviz-timeline-view.c — the Gantt chart widget (see the header). */
#include "src/app/amlaviz-timeline-view.h"
#include "src/app/amlaviz-describe.h"
#include "src/app/amlaviz-counters.h"

#include <math.h>

struct _AmlavizTimelineView
{
  GtkDrawingArea parent_instance;

  AmlavizSession *session;
  gboolean pinned;
  double scroll_y_px;

  /* drag in progress */
  gboolean pressed, moved, measuring;
  double press_x, press_y, last_x, last_y;
  double press_t0_ns, press_t1_ns, press_scroll;
};

G_DEFINE_FINAL_TYPE (AmlavizTimelineView, amlaviz_timeline_view, GTK_TYPE_DRAWING_AREA)

enum
{
  PROP_0,
  PROP_PINNED,
  PROP_SCROLL_Y,
  N_PROPS
};
static GParamSpec *properties[N_PROPS];

static const SimTrace *
trace_of (AmlavizTimelineView *self)
{
  return self->session ? amlaviz_session_get_trace (self->session, self->pinned) : NULL;
}

/* Dark when the theme's text is light (GTK_THEME=Adwaita:dark, gtk-application-prefer-dark-theme,
 * or any dark theme): the canvas follows the window. */
TlTheme
amlaviz_timeline_view_get_theme (AmlavizTimelineView *self)
{
  GtkStyleContext *ctx = gtk_widget_get_style_context (GTK_WIDGET (self));
  GdkRGBA fg;
  gtk_style_context_get_color (ctx, gtk_style_context_get_state (ctx), &fg);
  double lum = 0.2126 * fg.red + 0.7152 * fg.green + 0.0722 * fg.blue;
  return lum > 0.5 ? TL_THEME_DARK : TL_THEME_LIGHT;
}

gboolean
amlaviz_timeline_view_get_tl_view (AmlavizTimelineView *self, TlView *v)
{
  const SimTrace *trace = trace_of (self);
  if (trace == NULL)
    return FALSE;
  double w = gtk_widget_get_allocated_width (GTK_WIDGET (self));
  double h = gtk_widget_get_allocated_height (GTK_WIDGET (self));
  tl_view_init (v, trace, w, h);
  amlaviz_session_get_window (self->session, &v->map.t0_ns, &v->map.t1_ns);
  v->group_hidden = amlaviz_session_get_hidden (self->session, self->pinned);
  v->group_collapsed = amlaviz_session_get_collapsed (self->session, self->pinned);
  v->show_flows = amlaviz_session_get_show_flows (self->session);
  v->scroll_y_px = self->scroll_y_px;
  v->theme = amlaviz_timeline_view_get_theme (self);
  v->search = amlaviz_session_get_search (self->session, self->pinned);
  v->markers = amlaviz_session_get_markers (self->session, &v->n_markers);
  v->current_marker = amlaviz_session_get_marker_index (self->session);
  v->pinned_lanes = amlaviz_session_get_pinned_lanes (self->session, self->pinned, &v->n_pinned_lanes);
  const AmlavizStep *st = amlaviz_session_get_step (self->session);
  if (st)
    {
      v->hl_stage = st->stage;
      v->hl_task = st->task;
      v->hl_iter = st->iter;
    }
  amlaviz_session_get_selection (self->session, self->pinned, &v->sel_group, &v->sel_lane,
                                 &v->sel_span);
  amlaviz_session_get_range (self->session, &v->range_t0_ns, &v->range_t1_ns);
  v->sel_flow = amlaviz_session_get_selected_flow (self->session, self->pinned);
  v->legend_stage_mask = (int) amlaviz_session_get_stage_mask (self->session, self->pinned);
  v->time_origin_ns = amlaviz_session_get_time_origin (self->session);
  v->counter_capacity = amlaviz_session_get_counter_capacity (self->session, self->pinned,
                                                              &v->n_counter_capacity);
  if (self->measuring && self->moved)
    {
      v->range_t0_ns = tl_x_to_time (&v->map, MIN (self->press_x, self->last_x));
      v->range_t1_ns = tl_x_to_time (&v->map, MAX (self->press_x, self->last_x));
    }
  return TRUE;
}

static void
clamp_scroll (AmlavizTimelineView *self, const TlView *v, const SimTrace *trace)
{
  double content = tl_render_content_height (v, trace);
  double max = MAX (0, content - v->height_px);
  self->scroll_y_px = CLAMP (self->scroll_y_px, 0, max);
}

/* A scroll by the user: redraw and tell "scroll-y" listeners (the other pane of an A/B compare). */
static void
scrolled (AmlavizTimelineView *self, double before)
{
  gtk_widget_queue_draw (GTK_WIDGET (self));
  if (self->scroll_y_px != before)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SCROLL_Y]);
}

static gboolean
amlaviz_timeline_view_draw (GtkWidget *widget, cairo_t *cr)
{
  AmlavizTimelineView *self = AMLAVIZ_TIMELINE_VIEW (widget);
  TlView v;
  if (!amlaviz_timeline_view_get_tl_view (self, &v))
    {
      GtkStyleContext *ctx = gtk_widget_get_style_context (widget);
      gtk_render_background (ctx, cr, 0, 0, gtk_widget_get_allocated_width (widget),
                             gtk_widget_get_allocated_height (widget));
      PangoLayout *layout = gtk_widget_create_pango_layout (widget, "Simulating…");
      gtk_render_layout (ctx, cr, 20, 20, layout);
      g_object_unref (layout);
      return FALSE;
    }
  const SimTrace *trace = trace_of (self);
  double before = self->scroll_y_px;
  clamp_scroll (self, &v, trace);
  v.scroll_y_px = self->scroll_y_px;
  (void) before;
  tl_render_draw (cr, &v, trace);
  if (gtk_widget_has_visible_focus (widget) || gtk_widget_has_focus (widget))
    {
      /* a focus ring in the theme's accent: keys (arrows, Enter, W A S D…) go here */
      GtkStyleContext *ctx = gtk_widget_get_style_context (widget);
      GdkRGBA accent;
      if (!gtk_style_context_lookup_color (ctx, "theme_selected_bg_color", &accent))
        accent = (GdkRGBA) { 0.21, 0.52, 0.89, 1 };
      cairo_set_source_rgba (cr, accent.red, accent.green, accent.blue, 0.9);
      cairo_set_line_width (cr, 2);
      cairo_rectangle (cr, 1, 1, v.width_px - 2, v.height_px - 2);
      cairo_stroke (cr);
    }
  return FALSE;
}

static gboolean
amlaviz_timeline_view_button_press (GtkWidget *widget, GdkEventButton *event)
{
  AmlavizTimelineView *self = AMLAVIZ_TIMELINE_VIEW (widget);
  gtk_widget_grab_focus (widget);
  if (event->button == GDK_BUTTON_PRIMARY && event->type == GDK_2BUTTON_PRESS && self->session)
    {
      /* the first click selected the span (or cleared the selection): fit it (or the run); the
       * release that follows is not a click on the re-zoomed view */
      self->pressed = FALSE;
      amlaviz_session_zoom_to_selection (self->session);
      return TRUE;
    }
  if (event->button != GDK_BUTTON_PRIMARY || event->type != GDK_BUTTON_PRESS || !self->session)
    return FALSE;
  self->pressed = TRUE;
  self->moved = FALSE;
  self->measuring = (event->state & GDK_SHIFT_MASK) != 0;
  self->press_x = self->last_x = event->x;
  self->press_y = self->last_y = event->y;
  amlaviz_session_get_window (self->session, &self->press_t0_ns, &self->press_t1_ns);
  self->press_scroll = self->scroll_y_px;
  return TRUE;
}

static gboolean
amlaviz_timeline_view_motion (GtkWidget *widget, GdkEventMotion *event)
{
  AmlavizTimelineView *self = AMLAVIZ_TIMELINE_VIEW (widget);
  if (!self->pressed)
    {
      TlView pv;
      if (self->session && amlaviz_timeline_view_get_tl_view (self, &pv))
        amlaviz_session_set_pointer_time (self->session,
                                          event->x >= pv.map.x0_px ? tl_x_to_time (&pv.map, event->x)
                                                                   : NAN);
      return FALSE;
    }
  self->last_x = event->x;
  self->last_y = event->y;
  if (fabs (event->x - self->press_x) + fabs (event->y - self->press_y) > 3)
    self->moved = TRUE;
  if (!self->moved)
    return TRUE;
  if (self->measuring)
    {
      gtk_widget_queue_draw (widget);
      return TRUE;
    }
  TlView v;
  if (!amlaviz_timeline_view_get_tl_view (self, &v))
    return TRUE;
  /* pan: the time under the pointer at press stays under the pointer */
  double ns_px = (self->press_t1_ns - self->press_t0_ns) / v.map.width_px;
  double dt = (event->x - self->press_x) * ns_px;
  double before = self->scroll_y_px;
  self->scroll_y_px = MAX (0, self->press_scroll - (event->y - self->press_y));
  clamp_scroll (self, &v, trace_of (self));
  scrolled (self, before);
  amlaviz_session_set_window (self->session, self->press_t0_ns - dt, self->press_t1_ns - dt);
  return TRUE;
}

static gboolean
amlaviz_timeline_view_button_release (GtkWidget *widget, GdkEventButton *event)
{
  AmlavizTimelineView *self = AMLAVIZ_TIMELINE_VIEW (widget);
  if (!self->pressed || event->button != GDK_BUTTON_PRIMARY)
    return FALSE;
  self->pressed = FALSE;
  TlView v;
  if (!amlaviz_timeline_view_get_tl_view (self, &v))
    return TRUE;
  const SimTrace *trace = trace_of (self);
  if (self->measuring)
    {
      self->measuring = FALSE;
      if (self->moved)
        amlaviz_session_set_range (self->session, tl_x_to_time (&v.map, MIN (self->press_x, event->x)),
                                   tl_x_to_time (&v.map, MAX (self->press_x, event->x)));
      else
        amlaviz_session_set_range (self->session, 0, 0);
      return TRUE;
    }
  if (self->moved)
    return TRUE;
  /* a click */
  int g = tl_render_header_at (&v, trace, event->y);
  if (g >= 0)
    {
      amlaviz_session_toggle_collapsed (self->session, self->pinned, g);
      return TRUE;
    }
  int lane;
  gsize span;
  /* a click on a lane's label pins it to the top (or unpins it) */
  if (event->x < v.map.x0_px && tl_render_lane_at (&v, trace, event->y, &g, &lane))
    {
      amlaviz_session_toggle_pinned_lane (self->session, self->pinned, g, lane);
      return TRUE;
    }
  guint flow;
  if (tl_render_flow_at (&v, trace, event->x, event->y, &flow))
    amlaviz_session_select_flow (self->session, self->pinned, (int) flow);
  else if (tl_render_hit (&v, trace, event->x, event->y, &g, &lane, &span))
    amlaviz_session_select_span (self->session, self->pinned, g, lane, span);
  else
    amlaviz_session_clear_selection (self->session);
  return TRUE;
}

static gboolean
amlaviz_timeline_view_scroll (GtkWidget *widget, GdkEventScroll *event)
{
  AmlavizTimelineView *self = AMLAVIZ_TIMELINE_VIEW (widget);
  TlView v;
  if (!amlaviz_timeline_view_get_tl_view (self, &v))
    return FALSE;
  double dy = 0;
  switch (event->direction)
    {
    case GDK_SCROLL_UP:
      dy = -1;
      break;
    case GDK_SCROLL_DOWN:
      dy = 1;
      break;
    case GDK_SCROLL_SMOOTH:
      dy = event->delta_y;
      if (dy == 0 && event->delta_x != 0)
        {
          amlaviz_session_pan (self->session, event->delta_x * 0.1);
          return TRUE;
        }
      break;
    default:
      return FALSE;
    }
  if ((event->state & GDK_SHIFT_MASK) || event->x < v.map.x0_px)
    {
      double before = self->scroll_y_px;
      self->scroll_y_px += dy * 3 * v.lane_height_px;
      clamp_scroll (self, &v, trace_of (self));
      scrolled (self, before);
      return TRUE;
    }
  /* zoom at the pointer: the time under it stays put */
  double anchor = tl_x_to_time (&v.map, event->x);
  amlaviz_session_zoom (self->session, pow (1.25, -dy), anchor);
  return TRUE;
}

static gboolean
query_tooltip (GtkWidget *widget, int x, int y, gboolean keyboard, GtkTooltip *tooltip,
               gpointer user_data)
{
  AmlavizTimelineView *self = AMLAVIZ_TIMELINE_VIEW (widget);
  TlView v;
  if (keyboard || self->pressed || !amlaviz_timeline_view_get_tl_view (self, &v))
    return FALSE;
  int g, lane;
  gsize span;
  const SimTrace *trace = trace_of (self);
  guint flow;
  if (tl_render_flow_at (&v, trace, x, y, &flow))
    {
      g_autofree char *fm = amlaviz_flow_tooltip (trace, flow);
      gtk_tooltip_set_markup (tooltip, fm);
      GdkRectangle fr = { x - 2, y - 2, 4, 4 };
      gtk_tooltip_set_tip_area (tooltip, &fr);
      return TRUE;
    }
  int counter;
  if (x >= v.map.x0_px && tl_render_counter_at (&v, trace, y, &counter))
    {
      double cap = v.counter_capacity && (guint) counter < v.n_counter_capacity
                       ? v.counter_capacity[counter]
                       : 0;
      g_autofree char *cm = amlaviz_counter_tooltip (trace, counter, cap, tl_x_to_time (&v.map, x));
      gtk_tooltip_set_markup (tooltip, cm);
      GdkRectangle cr = { x - 1, y - 2, 2, 4 }; /* a new value at every pixel */
      gtk_tooltip_set_tip_area (tooltip, &cr);
      return TRUE;
    }
  if (!tl_render_hit (&v, trace, x, y, &g, &lane, &span))
    return FALSE;
  g_autofree char *markup = amlaviz_span_describe (trace, g, lane, span);
  gtk_tooltip_set_markup (tooltip, markup);
  /* a new tooltip as soon as the pointer leaves this span's pixels */
  GdkRectangle r = { x - 2, y - 2, 4, 4 };
  gtk_tooltip_set_tip_area (tooltip, &r);
  return TRUE;
}

static void
on_session_changed (AmlavizTimelineView *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* A search match was selected: scroll so its lane is in view (with a lane of context). */
static void
on_reveal_lane (AmlavizTimelineView *self, gboolean pinned, int group, int lane)
{
  TlView v;
  if (pinned != self->pinned || !amlaviz_timeline_view_get_tl_view (self, &v))
    return;
  const SimTrace *trace = trace_of (self);
  double y = tl_render_lane_y (&v, trace, group, lane);
  if (y < 0)
    return;
  double before = self->scroll_y_px;
  double top = v.ruler_height_px + v.lane_height_px, bottom = v.height_px - 2 * v.lane_height_px;
  if (y < top)
    self->scroll_y_px -= top - y;
  else if (y > bottom)
    self->scroll_y_px += y - bottom;
  clamp_scroll (self, &v, trace);
  scrolled (self, before);
}

/* Keys on the focused timeline: arrows move the selection (Left/Right pan when nothing is
 * selected, as the accelerators do), Enter folds the selected span's group. */
static gboolean
amlaviz_timeline_view_key_press (GtkWidget *widget, GdkEventKey *event)
{
  AmlavizTimelineView *self = AMLAVIZ_TIMELINE_VIEW (widget);
  if (self->session == NULL || (event->state & (GDK_CONTROL_MASK | GDK_MOD1_MASK | GDK_SHIFT_MASK)))
    return FALSE;
  int g, l;
  gsize i;
  amlaviz_session_get_selection (self->session, self->pinned, &g, &l, &i);
  gboolean selected = g >= 0;
  GActionGroup *actions = amlaviz_session_get_actions (self->session);
  const char *action = NULL;
  switch (event->keyval)
    {
    case GDK_KEY_Left:
    case GDK_KEY_KP_Left:
      action = selected ? "select-left" : NULL;
      break;
    case GDK_KEY_Right:
    case GDK_KEY_KP_Right:
      action = selected ? "select-right" : NULL;
      break;
    case GDK_KEY_Up:
    case GDK_KEY_KP_Up:
      action = "select-up";
      break;
    case GDK_KEY_Down:
    case GDK_KEY_KP_Down:
      action = "select-down";
      break;
    case GDK_KEY_Return:
    case GDK_KEY_KP_Enter:
    case GDK_KEY_space:
      action = selected ? "fold-group" : NULL;
      break;
    default:
      break;
    }
  if (action == NULL)
    return FALSE;
  g_action_group_activate_action (actions, action, NULL);
  return TRUE;
}

static gboolean
amlaviz_timeline_view_leave (GtkWidget *widget, GdkEventCrossing *event)
{
  AmlavizTimelineView *self = AMLAVIZ_TIMELINE_VIEW (widget);
  if (self->session)
    amlaviz_session_set_pointer_time (self->session, NAN);
  return FALSE;
}

void
amlaviz_timeline_view_set_session (AmlavizTimelineView *self, AmlavizSession *session)
{
  g_return_if_fail (AMLAVIZ_IS_TIMELINE_VIEW (self));
  if (self->session)
    {
      g_signal_handlers_disconnect_by_data (self->session, self);
      g_clear_object (&self->session);
    }
  if (session)
    {
      self->session = g_object_ref (session);
      g_signal_connect_swapped (session, "view-changed", G_CALLBACK (on_session_changed), self);
      g_signal_connect_swapped (session, "trace-changed", G_CALLBACK (on_session_changed), self);
      g_signal_connect_swapped (session, "reveal-lane", G_CALLBACK (on_reveal_lane), self);
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
amlaviz_timeline_view_set_property (GObject *object, guint prop_id, const GValue *value,
                                    GParamSpec *pspec)
{
  AmlavizTimelineView *self = AMLAVIZ_TIMELINE_VIEW (object);
  switch (prop_id)
    {
    case PROP_PINNED:
      self->pinned = g_value_get_boolean (value);
      gtk_widget_queue_draw (GTK_WIDGET (self));
      break;
    case PROP_SCROLL_Y:
      {
        double before = self->scroll_y_px;
        self->scroll_y_px = MAX (0, g_value_get_double (value));
        TlView v;
        if (amlaviz_timeline_view_get_tl_view (self, &v))
          clamp_scroll (self, &v, trace_of (self));
        scrolled (self, before);
        break;
      }
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
amlaviz_timeline_view_get_property (GObject *object, guint prop_id, GValue *value,
                                    GParamSpec *pspec)
{
  AmlavizTimelineView *self = AMLAVIZ_TIMELINE_VIEW (object);
  switch (prop_id)
    {
    case PROP_PINNED:
      g_value_set_boolean (value, self->pinned);
      break;
    case PROP_SCROLL_Y:
      g_value_set_double (value, self->scroll_y_px);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
amlaviz_timeline_view_dispose (GObject *object)
{
  amlaviz_timeline_view_set_session (AMLAVIZ_TIMELINE_VIEW (object), NULL);
  G_OBJECT_CLASS (amlaviz_timeline_view_parent_class)->dispose (object);
}

static void
amlaviz_timeline_view_class_init (AmlavizTimelineViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  object_class->set_property = amlaviz_timeline_view_set_property;
  object_class->get_property = amlaviz_timeline_view_get_property;
  object_class->dispose = amlaviz_timeline_view_dispose;
  widget_class->draw = amlaviz_timeline_view_draw;
  widget_class->button_press_event = amlaviz_timeline_view_button_press;
  widget_class->button_release_event = amlaviz_timeline_view_button_release;
  widget_class->motion_notify_event = amlaviz_timeline_view_motion;
  widget_class->scroll_event = amlaviz_timeline_view_scroll;
  widget_class->leave_notify_event = amlaviz_timeline_view_leave;
  widget_class->key_press_event = amlaviz_timeline_view_key_press;

  properties[PROP_PINNED] = g_param_spec_boolean (
      "pinned", NULL, NULL, FALSE, G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS);
  /* vertical scroll offset of the lanes, px; notifies when the user scrolls */
  properties[PROP_SCROLL_Y]
      = g_param_spec_double ("scroll-y", NULL, NULL, 0, G_MAXDOUBLE, 0,
                             G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
  gtk_widget_class_set_css_name (widget_class, "timeline");
}

static void
amlaviz_timeline_view_init (AmlavizTimelineView *self)
{
  GtkWidget *w = GTK_WIDGET (self);
  gtk_widget_add_events (w, GDK_BUTTON_PRESS_MASK | GDK_BUTTON_RELEASE_MASK
                                | GDK_POINTER_MOTION_MASK | GDK_SCROLL_MASK
                                | GDK_SMOOTH_SCROLL_MASK | GDK_LEAVE_NOTIFY_MASK
                                | GDK_KEY_PRESS_MASK | GDK_FOCUS_CHANGE_MASK);
  gtk_widget_set_can_focus (w, TRUE);
  gtk_widget_set_has_tooltip (w, TRUE);
  gtk_widget_set_size_request (w, 320, 150);
  g_signal_connect (w, "query-tooltip", G_CALLBACK (query_tooltip), NULL);
}
