/* src/app/amlaviz-sweep-plot.c — the Sweep view's plot widget (see the header). */
#include "src/app/amlaviz-sweep-plot.h"
#include "src/app/amlaviz-describe.h"

#include <math.h>

#define HIT_RADIUS_PX 8.0
#define EXPORT_MIN_W 640
#define EXPORT_MIN_H 400

struct _AmlavizSweepPlot
{
  GtkDrawingArea parent_instance;

  AmlavizSession *session;
  GArray *no_results; /* shown before there is a session */
  PlotKind kind;
  PlotY y;
  gboolean frame_valid;
  PlotFrame frame;
  int hover;   /* result under the pointer, -1 */
  int pressed; /* result under the button press, -1 */
};

G_DEFINE_FINAL_TYPE (AmlavizSweepPlot, amlaviz_sweep_plot, GTK_TYPE_DRAWING_AREA)

enum
{
  SIGNAL_HOVER_CHANGED,
  SIGNAL_ACTIVATE_POINT,
  N_SIGNALS
};
static guint signals[N_SIGNALS];

/* The results are the session's (amlaviz-session-sweep.c): the plot draws them. */
const GArray *
amlaviz_sweep_plot_get_results (AmlavizSweepPlot *self)
{
  return self->session ? amlaviz_session_sweep_get_results (self->session) : self->no_results;
}

static const GArray *
results (AmlavizSweepPlot *self)
{
  return amlaviz_sweep_plot_get_results (self);
}

static SweepAxis
results_axis (AmlavizSweepPlot *self, guint *n_values)
{
  if (self->session == NULL)
    {
      if (n_values)
        *n_values = 0;
      return SWEEP_AXIS_KV;
    }
  return amlaviz_session_sweep_get_axis (self->session, n_values);
}

static gboolean
running (AmlavizSweepPlot *self)
{
  return self->session && amlaviz_session_sweep_is_running (self->session);
}

static void
progress (AmlavizSweepPlot *self, guint64 *done, guint64 *total)
{
  *done = *total = 0;
  if (self->session)
    amlaviz_session_sweep_get_progress (self->session, done, total);
}

void
amlaviz_sweep_plot_sync (AmlavizSweepPlot *self)
{
  g_return_if_fail (AMLAVIZ_IS_SWEEP_PLOT (self));
  if (self->session == NULL)
    return;
  GtkWidget *widget = GTK_WIDGET (self);
  int width = gtk_widget_get_allocated_width (widget);
  int height = gtk_widget_get_allocated_height (widget);
  if (!gtk_widget_get_realized (widget))
    width = 900, height = 560; /* the CLI's default size */
  amlaviz_session_sweep_set_plot (self->session, self->kind, self->y, MAX (width, EXPORT_MIN_W),
                                  MAX (height, EXPORT_MIN_H));
}

void
amlaviz_sweep_plot_set_session (AmlavizSweepPlot *self, AmlavizSession *session)
{
  g_return_if_fail (AMLAVIZ_IS_SWEEP_PLOT (self));
  g_set_object (&self->session, session);
  self->hover = self->pressed = -1;
  amlaviz_sweep_plot_sync (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
amlaviz_sweep_plot_set_kind (AmlavizSweepPlot *self, PlotKind kind, PlotY y)
{
  g_return_if_fail (AMLAVIZ_IS_SWEEP_PLOT (self));
  self->kind = kind;
  self->y = y;
  self->hover = -1;
  amlaviz_sweep_plot_sync (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
amlaviz_sweep_plot_reset_pointer (AmlavizSweepPlot *self)
{
  self->hover = self->pressed = -1;
}

static void set_hover (AmlavizSweepPlot *self, int index);

/* Dark when the GTK theme's text is light (as the timeline decides). */
static gboolean
theme_is_dark (GtkWidget *widget)
{
  GtkStyleContext *ctx = gtk_widget_get_style_context (widget);
  GdkRGBA fg;
  gtk_style_context_get_color (ctx, gtk_style_context_get_state (ctx), &fg);
  return 0.2126 * fg.red + 0.7152 * fg.green + 0.0722 * fg.blue > 0.5;
}

static void
draw_message (cairo_t *cr, int width, int height, const char *text, gboolean dark)
{
  if (dark)
    cairo_set_source_rgb (cr, 0.118, 0.122, 0.133);
  else
    cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  PangoLayout *layout = pango_cairo_create_layout (cr);
  pango_layout_set_text (layout, text, -1);
  pango_layout_set_width (layout, MIN (width - 40, 520) * PANGO_SCALE);
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD);
  pango_layout_set_alignment (layout, PANGO_ALIGN_CENTER);
  int tw, th;
  pango_layout_get_pixel_size (layout, &tw, &th);
  if (dark)
    cairo_set_source_rgb (cr, 0.7, 0.7, 0.72);
  else
    cairo_set_source_rgb (cr, 0.35, 0.35, 0.35);
  cairo_move_to (cr, (width - tw) / 2.0, (height - th) / 2.0);
  pango_cairo_show_layout (cr, layout);
  g_object_unref (layout);
}

/* The label next to the hovered point: on the roofline, its S_kv (and the swept value when the
 * axis is another); on the sweep plot the x axis already says it. */
static char *
hover_tag (AmlavizSweepPlot *self, const SweepResult *r, PlotKind kind)
{
  if (kind != PLOT_KIND_ROOFLINE)
    return NULL;
  const AmlaConfig *c = &r->config;
  SweepAxis axis = results_axis (self, NULL);
  if (axis == SWEEP_AXIS_KV || axis == SWEEP_N_AXES)
    return g_strdup_printf ("S_kv = %d", c->kv_len);
  int v = axis == SWEEP_AXIS_BATCH   ? c->batch
          : axis == SWEEP_AXIS_SQ    ? c->sq
          : axis == SWEEP_AXIS_HEADS ? c->heads
                                     : c->kv_len;
  return g_strdup_printf ("S_kv = %d, %s = %d", c->kv_len, amlaviz_sweep_axis_title (axis), v);
}

char *
amlaviz_sweep_plot_get_hover_tag (AmlavizSweepPlot *self)
{
  if (self->hover < 0 || (guint) self->hover >= results (self)->len)
    return NULL;
  return hover_tag (self, &g_array_index (results (self), SweepResult, self->hover), self->kind);
}

void
amlaviz_sweep_plot_set_hover (AmlavizSweepPlot *self, int index)
{
  set_hover (self, index);
}

static gboolean
amlaviz_sweep_plot_draw (GtkWidget *widget, cairo_t *cr)
{
  AmlavizSweepPlot *self = AMLAVIZ_SWEEP_PLOT (widget);
  int width = gtk_widget_get_allocated_width (widget);
  int height = gtk_widget_get_allocated_height (widget);
  gboolean dark = theme_is_dark (widget);
  plot_set_dark (cr, dark);
  self->frame_valid = FALSE;
  amlaviz_sweep_plot_sync (self); /* sweep-export draws at the size shown */
  if (results (self)->len == 0)
    {
      draw_message (cr, width, height,
                    running (self)
                        ? "Simulating… the plot appears as the first results arrive."
                        : "No sweep yet.\nChoose the axis, its values and the toggle "
                          "combinations on the right, then Run Sweep.\nThe other settings "
                          "(B, S_kv, S_q, H, hardware) come from the controls on the left.",
                    dark);
      return TRUE;
    }
  PlotKind kind = self->kind;
  PlotOptions opt;
  plot_options_init (&opt);
  opt.x_axis = results_axis (self, NULL);
  opt.y = self->y;
  g_autoptr (GError) error = NULL;
  PlotFrame frame;
  gboolean ok = kind == PLOT_KIND_ROOFLINE
                    ? plot_roofline_draw (cr, width, height, results (self), &frame, &error)
                    : plot_sweep_draw (cr, width, height, results (self), &opt, &frame, &error);
  if (!ok)
    {
      g_autofree char *text = NULL;
      guint64 done, total;
      guint axis_len;
      SweepAxis axis = results_axis (self, &axis_len);
      progress (self, &done, &total);
      if (running (self))
        text = g_strdup_printf ("%" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT
                                " done; the plot appears when there is something to draw.",
                                done, total);
      else if (kind == PLOT_KIND_SWEEP && axis_len < 2)
        text = g_strdup_printf ("One value of %s only: a line needs two or more (e.g. 512,1024,"
                                "2048), or choose the Roofline plot.",
                                amlaviz_sweep_axis_title (axis));
      else
        text = g_strdup_printf ("Nothing to plot: %s", error->message);
      draw_message (cr, width, height, text, dark);
      return TRUE;
    }
  self->frame = frame;
  self->frame_valid = TRUE;
  if (self->hover >= 0 && (guint) self->hover < results (self)->len)
    {
      double x, y;
      const SweepResult *r = &g_array_index (results (self), SweepResult, self->hover);
      if (plot_result_point_px (r, kind, opt.y, &frame, &x, &y))
        {
          double ink = dark ? 0.92 : 0.1;
          cairo_set_source_rgb (cr, ink, ink, ink);
          cairo_set_line_width (cr, 2);
          cairo_new_path (cr); /* the plot leaves a current point behind its last text */
          cairo_arc (cr, x, y, 7, 0, 2 * G_PI);
          cairo_stroke (cr);
          /* on the roofline the x axis is intensity, not the swept value: name the point */
          g_autofree char *tag = hover_tag (self, r, kind);
          if (tag)
            {
              PangoLayout *layout = gtk_widget_create_pango_layout (widget, tag);
              int tw, th;
              pango_layout_get_pixel_size (layout, &tw, &th);
              double bx = x + 10 + tw + 8 > width ? x - 10 - tw - 8 : x + 10;
              double by = CLAMP (y - th - 10, 2, height - th - 6);
              cairo_rectangle (cr, bx, by, tw + 8, th + 4);
              if (dark)
                cairo_set_source_rgba (cr, 0.2, 0.21, 0.23, 0.95);
              else
                cairo_set_source_rgba (cr, 1, 1, 1, 0.95);
              cairo_fill_preserve (cr);
              cairo_set_source_rgb (cr, ink, ink, ink);
              cairo_set_line_width (cr, 1);
              cairo_stroke (cr);
              cairo_move_to (cr, bx + 4, by + 2);
              pango_cairo_show_layout (cr, layout);
              g_object_unref (layout);
            }
        }
    }
  return TRUE;
}

gboolean
amlaviz_sweep_plot_get_frame (AmlavizSweepPlot *self, PlotFrame *frame, PlotKind *kind, PlotY *y)
{
  if (!self->frame_valid)
    return FALSE;
  *frame = self->frame;
  *kind = self->kind;
  *y = self->y;
  return TRUE;
}

int
amlaviz_sweep_plot_hit_test (AmlavizSweepPlot *self, double x, double y)
{
  g_return_val_if_fail (AMLAVIZ_IS_SWEEP_PLOT (self), -1);
  if (!self->frame_valid)
    return -1;
  PlotKind kind = self->kind;
  PlotY metric = self->y;
  int best = -1;
  double best_d2 = HIT_RADIUS_PX * HIT_RADIUS_PX;
  for (guint i = 0; i < results (self)->len; i++)
    {
      double px, py;
      const SweepResult *r = &g_array_index (results (self), SweepResult, i);
      if (!plot_result_point_px (r, kind, metric, &self->frame, &px, &py))
        continue;
      double d2 = (px - x) * (px - x) + (py - y) * (py - y);
      if (d2 <= best_d2) /* ties go to the later point: the one drawn on top */
        {
          best = (int) i;
          best_d2 = d2;
        }
    }
  return best;
}

char *
amlaviz_sweep_plot_describe_point (AmlavizSweepPlot *self, guint index)
{
  g_return_val_if_fail (index < results (self)->len, NULL);
  const SweepResult *r = &g_array_index (results (self), SweepResult, index);
  const AmlaConfig *c = &r->config;
  g_autoptr (GString) s = g_string_new (NULL);
  g_string_append_printf (s, "<b>B=%d  S_kv=%d  S_q=%d  H=%d</b>\n", c->batch, c->kv_len, c->sq,
                          c->heads);
  g_autofree char *hw = g_markup_escape_text (c->hw, -1);
  g_string_append_printf (s, "preload %s · tiling %s · %s · %s\n", c->preload ? "on" : "off",
                          c->tiling ? "on" : "off",
                          c->rescale == AMLA_RESCALE_AMLA ? "AMLA add" : "FP multiply", hw);
  if (r->error)
    {
      g_autofree char *e = g_markup_escape_text (r->error, -1);
      g_string_append_printf (s, "<span foreground=\"#c01c28\">failed: %s</span>", e);
      return g_string_free (g_steal_pointer (&s), FALSE);
    }
  const SimMetrics *m = &r->metrics;
  g_autofree char *t = amlaviz_format_time (m->total_ns);
  g_autofree char *reason = g_markup_escape_text (m->reason, -1);
  g_string_append_printf (s,
                          "total time <b>%s</b>\n"
                          "<b>%.1f</b> TFLOPS of %.1f · Cube utilisation <b>%.1f %%</b>\n"
                          "%.0f FLOP per HBM byte · HBM busy %.0f %%\n"
                          "bound: <b>%s</b> — %s",
                          t, m->tflops, m->peak_tflops, m->cube_utilization * 100.0,
                          sweep_result_intensity (r), m->hbm_busy * 100.0,
                          sim_bound_name (m->bound), reason);
  return g_string_free (g_steal_pointer (&s), FALSE);
}

static void
set_hover (AmlavizSweepPlot *self, int index)
{
  if (index == self->hover)
    return;
  self->hover = index;
  GdkWindow *win = gtk_widget_get_window (GTK_WIDGET (self));
  if (win)
    {
      g_autoptr (GdkCursor) cursor
          = index >= 0 ? gdk_cursor_new_from_name (gdk_window_get_display (win), "pointer") : NULL;
      gdk_window_set_cursor (win, cursor);
    }
  g_signal_emit (self, signals[SIGNAL_HOVER_CHANGED], 0, index);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static gboolean
amlaviz_sweep_plot_motion_notify (GtkWidget *widget, GdkEventMotion *event)
{
  AmlavizSweepPlot *self = AMLAVIZ_SWEEP_PLOT (widget);
  set_hover (self, amlaviz_sweep_plot_hit_test (self, event->x, event->y));
  return FALSE;
}

static gboolean
amlaviz_sweep_plot_leave_notify (GtkWidget *widget, GdkEventCrossing *event)
{
  AmlavizSweepPlot *self = AMLAVIZ_SWEEP_PLOT (widget);
  set_hover (self, -1);
  return FALSE;
}

static gboolean
amlaviz_sweep_plot_query_tooltip (GtkWidget *widget, int x, int y, gboolean keyboard,
                                  GtkTooltip *tooltip)
{
  AmlavizSweepPlot *self = AMLAVIZ_SWEEP_PLOT (widget);
  int index = amlaviz_sweep_plot_hit_test (self, x, y);
  if (index < 0)
    return FALSE;
  g_autofree char *text = amlaviz_sweep_plot_describe_point (self, (guint) index);
  gtk_tooltip_set_markup (tooltip, text);
  /* a new tooltip for the next point, not the same one moved */
  GdkRectangle area = { x - 2, y - 2, 4, 4 };
  gtk_tooltip_set_tip_area (tooltip, &area);
  return TRUE;
}

static gboolean
amlaviz_sweep_plot_button_press (GtkWidget *widget, GdkEventButton *event)
{
  AmlavizSweepPlot *self = AMLAVIZ_SWEEP_PLOT (widget);
  gtk_widget_grab_focus (widget);
  if (event->button != GDK_BUTTON_PRIMARY || event->type != GDK_BUTTON_PRESS)
    return FALSE;
  self->pressed = amlaviz_sweep_plot_hit_test (self, event->x, event->y);
  return self->pressed >= 0;
}

static gboolean
amlaviz_sweep_plot_button_release (GtkWidget *widget, GdkEventButton *event)
{
  AmlavizSweepPlot *self = AMLAVIZ_SWEEP_PLOT (widget);
  if (event->button != GDK_BUTTON_PRIMARY)
    return FALSE;
  int index = amlaviz_sweep_plot_hit_test (self, event->x, event->y);
  gboolean hit = index >= 0 && index == self->pressed;
  self->pressed = -1;
  if (hit)
    amlaviz_sweep_plot_activate_point (self, (guint) index);
  return hit;
}

void
amlaviz_sweep_plot_activate_point (AmlavizSweepPlot *self, guint index)
{
  g_return_if_fail (AMLAVIZ_IS_SWEEP_PLOT (self));
  g_return_if_fail (index < results (self)->len);
  g_signal_emit (self, signals[SIGNAL_ACTIVATE_POINT], 0, index);
}

/* ------------------------------------------------------------------ GObject */

static void
amlaviz_sweep_plot_dispose (GObject *object)
{
  AmlavizSweepPlot *self = AMLAVIZ_SWEEP_PLOT (object);
  g_clear_object (&self->session);
  G_OBJECT_CLASS (amlaviz_sweep_plot_parent_class)->dispose (object);
}

static void
amlaviz_sweep_plot_finalize (GObject *object)
{
  AmlavizSweepPlot *self = AMLAVIZ_SWEEP_PLOT (object);
  g_clear_pointer (&self->no_results, g_array_unref);
  G_OBJECT_CLASS (amlaviz_sweep_plot_parent_class)->finalize (object);
}

static void
amlaviz_sweep_plot_class_init (AmlavizSweepPlotClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  object_class->dispose = amlaviz_sweep_plot_dispose;
  object_class->finalize = amlaviz_sweep_plot_finalize;
  widget_class->draw = amlaviz_sweep_plot_draw;
  widget_class->motion_notify_event = amlaviz_sweep_plot_motion_notify;
  widget_class->leave_notify_event = amlaviz_sweep_plot_leave_notify;
  widget_class->query_tooltip = amlaviz_sweep_plot_query_tooltip;
  widget_class->button_press_event = amlaviz_sweep_plot_button_press;
  widget_class->button_release_event = amlaviz_sweep_plot_button_release;

  /* void (AmlavizSweepPlot *, int index): the result under the pointer changed (-1: none) */
  signals[SIGNAL_HOVER_CHANGED]
      = g_signal_new ("hover-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                      NULL, G_TYPE_NONE, 1, G_TYPE_INT);
  /* void (AmlavizSweepPlot *, guint index): a point was clicked */
  signals[SIGNAL_ACTIVATE_POINT]
      = g_signal_new ("activate-point", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                      NULL, G_TYPE_NONE, 1, G_TYPE_UINT);
}

static void
amlaviz_sweep_plot_init (AmlavizSweepPlot *self)
{
  self->no_results = sweep_results_new ();
  self->kind = PLOT_KIND_SWEEP;
  self->y = PLOT_Y_UTILIZATION;
  self->hover = self->pressed = -1;
  gtk_widget_set_can_focus (GTK_WIDGET (self), TRUE);
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  gtk_widget_add_events (GTK_WIDGET (self), GDK_POINTER_MOTION_MASK | GDK_LEAVE_NOTIFY_MASK
                                                | GDK_BUTTON_PRESS_MASK | GDK_BUTTON_RELEASE_MASK);
}
