/* src/app/amlaviz-sweep-view.c — the Sweep view (see the header). */
#include "src/app/amlaviz-sweep-view.h"
#include "src/app/amlaviz-describe.h"

#include <math.h>
#include <string.h>

#include "sim/output.h"

#define HIT_RADIUS_PX 8.0
#define EXPORT_MIN_W 640
#define EXPORT_MIN_H 400

/* One sweep in flight: the worker's data.  view is cleared when the sweep is superseded or the
 * view goes away, so late results are dropped.  Freed with the GTask, which completes after every
 * result delivered through the main context (both are idle sources of the same priority). */
typedef struct
{
  AmlavizSweepView *view;
  SweepGrid *grid;
  gint cancel; /* g_atomic_int_* only */
  GMainContext *context;
} SweepRunData;

struct _AmlavizSweepView
{
  GtkBox parent_instance;

  AmlavizSession *session;

  /* template children */
  GtkWidget *plot_area;
  GtkComboBoxText *axis_combo, *toggles_combo, *kind_combo, *y_combo;
  GtkEntry *values_entry;
  GtkRevealer *pick_revealer;
  GtkToggleButton *pick_preload_on, *pick_preload_off, *pick_tiling_on, *pick_tiling_off,
      *pick_rescale_amla, *pick_rescale_mul;
  GtkLabel *grid_label, *status_label, *point_label;
  GtkWidget *run_button, *cancel_button, *export_button;
  GtkProgressBar *progress_bar;
  GtkFileChooserNative *chooser; /* the last export chooser (kept until the next or dispose) */

  SweepAxis axis;             /* the axis in the combo */
  char *values[SWEEP_N_AXES]; /* what was typed for each axis */
  gboolean syncing;           /* widgets being set from code */

  GArray *results;        /* SweepResult, sorted by point */
  SweepAxis results_axis; /* the axis the results were swept over */
  guint results_axis_len;
  SweepRunData *run; /* NULL when idle */
  guint64 done, total;
  gint64 started_us;
  char *status;

  gboolean frame_valid;
  PlotFrame frame;
  int hover;   /* result under the pointer, -1 */
  int pressed; /* result under the button press, -1 */
};

G_DEFINE_FINAL_TYPE (AmlavizSweepView, amlaviz_sweep_view, GTK_TYPE_BOX)

enum
{
  SIGNAL_OPEN_CONFIG,
  N_SIGNALS
};
static guint signals[N_SIGNALS];

static const char *
axis_title (SweepAxis axis)
{
  switch (axis)
    {
    case SWEEP_AXIS_BATCH:
      return "B";
    case SWEEP_AXIS_KV:
      return "S_kv";
    case SWEEP_AXIS_SQ:
      return "S_q";
    case SWEEP_AXIS_HEADS:
      return "H";
    default:
      return sweep_axis_name (axis);
    }
}

static const char *
default_values (SweepAxis axis)
{
  switch (axis)
    {
    case SWEEP_AXIS_BATCH:
      return "1,8,16,32,64,96";
    case SWEEP_AXIS_SQ:
      return "1..4";
    case SWEEP_AXIS_HEADS:
      return "16,32,64,128";
    default:
      return "512..16384*2";
    }
}

static PlotKind
current_kind (AmlavizSweepView *self)
{
  return g_strcmp0 (gtk_combo_box_get_active_id (GTK_COMBO_BOX (self->kind_combo)), "roofline") == 0
             ? PLOT_KIND_ROOFLINE
             : PLOT_KIND_SWEEP;
}

static PlotY
current_y (AmlavizSweepView *self)
{
  return g_strcmp0 (gtk_combo_box_get_active_id (GTK_COMBO_BOX (self->y_combo)), "tflops") == 0
             ? PLOT_Y_TFLOPS
             : PLOT_Y_UTILIZATION;
}

static void
current_plot_options (AmlavizSweepView *self, PlotOptions *opt)
{
  plot_options_init (opt);
  opt->x_axis = self->results_axis;
  opt->y = current_y (self);
}

static AmlavizSweepToggles
current_toggles (AmlavizSweepView *self)
{
  const char *id = gtk_combo_box_get_active_id (GTK_COMBO_BOX (self->toggles_combo));
  return g_strcmp0 (id, "current") == 0 ? AMLAVIZ_SWEEP_TOGGLES_CURRENT
         : g_strcmp0 (id, "pick") == 0  ? AMLAVIZ_SWEEP_TOGGLES_PICK
                                        : AMLAVIZ_SWEEP_TOGGLES_ALL;
}

/* ------------------------------------------------------------------ the grid */

/* The library's messages name CLI options ("--kv must be …"); here the field is the axis. */
static void
set_gui_error (GError **error, GError *err)
{
  static const SweepAxis axes[]
      = { SWEEP_AXIS_BATCH, SWEEP_AXIS_KV, SWEEP_AXIS_SQ, SWEEP_AXIS_HEADS };
  g_autofree char *text = g_strdup (err->message);
  for (gsize i = 0; i < G_N_ELEMENTS (axes); i++)
    {
      g_autofree char *option = g_strdup_printf ("--%s", sweep_axis_name (axes[i]));
      g_auto (GStrv) parts = g_strsplit (text, option, -1);
      g_free (text);
      text = g_strjoinv (axis_title (axes[i]), parts);
    }
  g_set_error (error, err->domain, err->code, "%s", text);
  g_error_free (err);
}

static gboolean
add_pick (SweepGrid *grid, SweepAxis axis, gboolean first, gboolean second, const char *first_name,
          const char *second_name, GError **error)
{
  if (!first && !second)
    {
      g_set_error (error, SWEEP_ERROR, SWEEP_ERROR_INVALID,
                   "Tick at least one value of %s under Toggles", sweep_axis_name (axis));
      return FALSE;
    }
  g_autofree char *list = g_strdup_printf ("%s%s%s", first ? first_name : "",
                                           first && second ? "," : "", second ? second_name : "");
  return sweep_grid_add_values (grid, axis, list, error);
}

SweepGrid *
amlaviz_sweep_view_build_grid (AmlavizSweepView *self, GError **error)
{
  g_return_val_if_fail (AMLAVIZ_IS_SWEEP_VIEW (self), NULL);
  AmlaConfig base;
  if (self->session)
    base = *amlaviz_session_get_config (self->session);
  else
    amla_config_init (&base);
  g_autoptr (SweepGrid) grid = sweep_grid_new (&base);
  GError *err = NULL;
  if (!sweep_grid_add_values (grid, self->axis, gtk_entry_get_text (self->values_entry), &err))
    {
      set_gui_error (error, err);
      return NULL;
    }
  switch (current_toggles (self))
    {
    case AMLAVIZ_SWEEP_TOGGLES_ALL:
      sweep_grid_all_toggles (grid);
      break;
    case AMLAVIZ_SWEEP_TOGGLES_CURRENT:
      break;
    case AMLAVIZ_SWEEP_TOGGLES_PICK:
      if (!add_pick (grid, SWEEP_AXIS_PRELOAD, gtk_toggle_button_get_active (self->pick_preload_on),
                     gtk_toggle_button_get_active (self->pick_preload_off), "on", "off", error)
          || !add_pick (grid, SWEEP_AXIS_TILING,
                        gtk_toggle_button_get_active (self->pick_tiling_on),
                        gtk_toggle_button_get_active (self->pick_tiling_off), "on", "off", error)
          || !add_pick (
              grid, SWEEP_AXIS_RESCALE, gtk_toggle_button_get_active (self->pick_rescale_amla),
              gtk_toggle_button_get_active (self->pick_rescale_mul), "amla", "mul", error))
        return NULL;
      break;
    }
  if (!sweep_grid_validate (grid, &err))
    {
      set_gui_error (error, err);
      return NULL;
    }
  return g_steal_pointer (&grid);
}

/* "6 values × 8 combinations = 48 runs" and the fixed axes, or the reason the settings are bad. */
static void
update_grid_label (AmlavizSweepView *self)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SweepGrid) grid = amlaviz_sweep_view_build_grid (self, &error);
  g_autofree char *markup = NULL;
  if (grid == NULL)
    {
      g_autofree char *msg = g_markup_escape_text (error->message, -1);
      markup = g_strdup_printf ("<span foreground=\"#c01c28\">%s</span>", msg);
    }
  else
    {
      guint n = sweep_grid_axis_len (grid, self->axis);
      guint64 size = sweep_grid_size (grid);
      AmlaConfig c;
      sweep_grid_config (grid, 0, &c);
      g_autoptr (GString) fixed = g_string_new (NULL);
      if (self->axis != SWEEP_AXIS_BATCH)
        g_string_append_printf (fixed, "B=%d · ", c.batch);
      if (self->axis != SWEEP_AXIS_KV)
        g_string_append_printf (fixed, "S_kv=%d · ", c.kv_len);
      if (self->axis != SWEEP_AXIS_SQ)
        g_string_append_printf (fixed, "S_q=%d · ", c.sq);
      if (self->axis != SWEEP_AXIS_HEADS)
        g_string_append_printf (fixed, "H=%d · ", c.heads);
      g_string_append (fixed, c.hw);
      if (current_toggles (self) == AMLAVIZ_SWEEP_TOGGLES_CURRENT)
        g_string_append_printf (fixed, " · preload %s · tiling %s · %s", c.preload ? "on" : "off",
                                c.tiling ? "on" : "off", amla_rescale_name (c.rescale));
      guint combos = (guint) (size / MAX (n, 1));
      g_autofree char *fixed_text = g_markup_escape_text (fixed->str, -1);
      markup = g_strdup_printf ("%u value%s × %u combination%s = <b>%" G_GUINT64_FORMAT
                                " run%s</b>\n<small>Fixed (from the controls): %s</small>",
                                n, n == 1 ? "" : "s", combos, combos == 1 ? "" : "s", size,
                                size == 1 ? "" : "s", fixed_text);
    }
  gtk_label_set_markup (self->grid_label, markup);
  gtk_widget_set_sensitive (self->run_button, grid != NULL);
}

/* ------------------------------------------------------------------ progress and status */

static void
set_status (AmlavizSweepView *self, const char *text, gboolean is_error)
{
  g_free (self->status);
  self->status = g_strdup (text ? text : "");
  if (is_error)
    {
      g_autofree char *msg = g_markup_escape_text (self->status, -1);
      g_autofree char *markup = g_strdup_printf ("<span foreground=\"#c01c28\">%s</span>", msg);
      gtk_label_set_markup (self->status_label, markup);
    }
  else
    gtk_label_set_text (self->status_label, self->status);
}

static void
update_progress (AmlavizSweepView *self)
{
  g_autofree char *text = NULL;
  if (self->total == 0)
    text = g_strdup ("not run yet");
  else
    text = g_strdup_printf ("%" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT " done", self->done,
                            self->total);
  gtk_progress_bar_set_fraction (self->progress_bar,
                                 self->total ? (double) self->done / (double) self->total : 0.0);
  gtk_progress_bar_set_text (self->progress_bar, text);
}

static void
update_buttons (AmlavizSweepView *self)
{
  gboolean running = self->run != NULL;
  gtk_widget_set_sensitive (self->cancel_button, running);
  gtk_widget_set_sensitive (self->export_button, self->results->len > 0);
  if (!running)
    update_grid_label (self);
  else
    gtk_widget_set_sensitive (self->run_button, FALSE);
}

static guint
count_failed (const GArray *results, const char **first_error)
{
  guint n = 0;
  for (guint i = 0; i < results->len; i++)
    {
      const SweepResult *r = &g_array_index (results, SweepResult, i);
      if (r->error)
        {
          if (n++ == 0 && first_error)
            *first_error = r->error;
        }
    }
  return n;
}

/* ------------------------------------------------------------------ running */

static void
run_data_free (gpointer data)
{
  SweepRunData *run = data;
  sweep_grid_free (run->grid);
  g_main_context_unref (run->context);
  g_free (run);
}

static int
result_cmp (gconstpointer a, gconstpointer b)
{
  const SweepResult *x = a, *y = b;
  return x->point < y->point ? -1 : x->point > y->point;
}

/* In the main context: one finished configuration. */
static void
on_result (const SweepResult *r, guint64 done, guint64 total, gpointer user_data)
{
  SweepRunData *run = user_data;
  AmlavizSweepView *self = run->view;
  if (self == NULL || self->run != run)
    return;
  SweepResult copy = *r;
  copy.error = g_strdup (r->error);
  g_array_append_val (self->results, copy);
  /* grid order keeps the legend order stable while results arrive out of order */
  g_array_sort (self->results, result_cmp);
  self->done = done;
  self->total = total;
  update_progress (self);
  gtk_widget_set_sensitive (self->export_button, TRUE);
  gtk_widget_queue_draw (self->plot_area);
}

static void
sweep_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  SweepRunData *run = task_data;
  SweepRunOptions opt;
  sweep_run_options_init (&opt);
  opt.on_result = on_result;
  opt.user_data = run;
  opt.context = run->context;
  opt.cancel = &run->cancel;
  GError *error = NULL;
  GArray *results = sweep_run (run->grid, &opt, &error);
  if (results == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, results, (GDestroyNotify) g_array_unref);
}

static void
sweep_done (GObject *source, GAsyncResult *res, gpointer user_data)
{
  GTask *task = G_TASK (res);
  SweepRunData *run = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  g_autoptr (GArray) results = g_task_propagate_pointer (task, &error);
  AmlavizSweepView *self = run->view;
  if (self == NULL || self->run != run)
    return; /* superseded or the view is gone */
  self->run = NULL;
  run->view = NULL;
  double secs = (double) (g_get_monotonic_time () - self->started_us) / 1e6;
  g_autofree char *status = NULL;
  gboolean is_error = FALSE;
  if (results != NULL)
    {
      /* the complete, sorted set: the same results that streamed in */
      g_array_unref (self->results);
      self->results = g_steal_pointer (&results);
      self->done = self->total = self->results->len;
      const char *first_error = NULL;
      guint failed = count_failed (self->results, &first_error);
      if (failed)
        {
          status = g_strdup_printf ("%" G_GUINT64_FORMAT " runs in %.1f s; %u failed: %s",
                                    self->total, secs, failed, first_error);
          is_error = TRUE;
        }
      else
        status = g_strdup_printf ("%" G_GUINT64_FORMAT " runs in %.1f s. Hover a point for its "
                                  "numbers, click it for its timeline.",
                                  self->total, secs);
    }
  else if (g_error_matches (error, SWEEP_ERROR, SWEEP_ERROR_CANCELLED))
    status = g_strdup_printf ("Cancelled after %" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT
                              " runs; the plot keeps them.",
                              self->done, self->total);
  else
    {
      status = g_strdup_printf ("Sweep failed: %s", error->message);
      is_error = TRUE;
    }
  set_status (self, status, is_error);
  update_progress (self);
  update_buttons (self);
  gtk_widget_queue_draw (self->plot_area);
}

static void
stop_run (AmlavizSweepView *self)
{
  if (self->run == NULL)
    return;
  g_atomic_int_set (&self->run->cancel, 1);
  self->run->view = NULL;
  self->run = NULL;
}

gboolean
amlaviz_sweep_view_run (AmlavizSweepView *self)
{
  g_return_val_if_fail (AMLAVIZ_IS_SWEEP_VIEW (self), FALSE);
  g_autoptr (GError) error = NULL;
  SweepGrid *grid = amlaviz_sweep_view_build_grid (self, &error);
  if (grid == NULL)
    {
      set_status (self, error->message, TRUE);
      return FALSE;
    }
  stop_run (self);
  g_array_set_size (self->results, 0);
  self->results_axis = self->axis;
  self->results_axis_len = sweep_grid_axis_len (grid, self->axis);
  self->hover = self->pressed = -1;
  self->done = 0;
  self->total = sweep_grid_size (grid);
  self->started_us = g_get_monotonic_time ();
  SweepRunData *run = g_new0 (SweepRunData, 1);
  run->view = self;
  run->grid = grid;
  run->context = g_main_context_ref_thread_default ();
  self->run = run;
  GTask *task = g_task_new (NULL, NULL, sweep_done, NULL);
  g_task_set_source_tag (task, amlaviz_sweep_view_run);
  g_task_set_task_data (task, run, run_data_free);
  g_task_run_in_thread (task, sweep_thread);
  g_object_unref (task);
  g_autofree char *status
      = g_strdup_printf ("Simulating %" G_GUINT64_FORMAT " configurations on %u "
                         "processors…",
                         self->total, g_get_num_processors ());
  set_status (self, status, FALSE);
  update_progress (self);
  update_buttons (self);
  gtk_label_set_text (self->point_label, "Hover a point for its numbers; click it to open that "
                                         "configuration's timeline.");
  gtk_widget_queue_draw (self->plot_area);
  return TRUE;
}

void
amlaviz_sweep_view_cancel (AmlavizSweepView *self)
{
  g_return_if_fail (AMLAVIZ_IS_SWEEP_VIEW (self));
  if (self->run)
    g_atomic_int_set (&self->run->cancel, 1); /* sweep_done reports it */
}

gboolean
amlaviz_sweep_view_is_running (AmlavizSweepView *self)
{
  return self->run != NULL;
}

void
amlaviz_sweep_view_get_progress (AmlavizSweepView *self, guint64 *done, guint64 *total)
{
  *done = self->done;
  *total = self->total;
}

const GArray *
amlaviz_sweep_view_get_results (AmlavizSweepView *self)
{
  return self->results;
}

const char *
amlaviz_sweep_view_get_status (AmlavizSweepView *self)
{
  return self->status ? self->status : "";
}

/* ------------------------------------------------------------------ the plot */

static void set_hover (AmlavizSweepView *self, int index);

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
hover_tag (AmlavizSweepView *self, const SweepResult *r, PlotKind kind)
{
  if (kind != PLOT_KIND_ROOFLINE)
    return NULL;
  const AmlaConfig *c = &r->config;
  if (self->results_axis == SWEEP_AXIS_KV || self->results_axis == SWEEP_N_AXES)
    return g_strdup_printf ("S_kv = %d", c->kv_len);
  int v = self->results_axis == SWEEP_AXIS_BATCH ? c->batch
          : self->results_axis == SWEEP_AXIS_SQ  ? c->sq
          : self->results_axis == SWEEP_AXIS_HEADS ? c->heads
                                                   : c->kv_len;
  return g_strdup_printf ("S_kv = %d, %s = %d", c->kv_len, axis_title (self->results_axis), v);
}

char *
amlaviz_sweep_view_get_hover_tag (AmlavizSweepView *self)
{
  if (self->hover < 0 || (guint) self->hover >= self->results->len)
    return NULL;
  return hover_tag (self, &g_array_index (self->results, SweepResult, self->hover),
                    current_kind (self));
}

void
amlaviz_sweep_view_set_hover (AmlavizSweepView *self, int index)
{
  set_hover (self, index);
}

static gboolean
on_plot_draw (GtkWidget *widget, cairo_t *cr, AmlavizSweepView *self)
{
  int width = gtk_widget_get_allocated_width (widget);
  int height = gtk_widget_get_allocated_height (widget);
  gboolean dark = theme_is_dark (widget);
  plot_set_dark (cr, dark);
  self->frame_valid = FALSE;
  if (self->results->len == 0)
    {
      draw_message (cr, width, height, self->run ? "Simulating… the plot appears as the first results arrive."
                              : "No sweep yet.\nChoose the axis, its values and the toggle "
                                "combinations on the right, then Run Sweep.\nThe other settings "
                                "(B, S_kv, S_q, H, hardware) come from the controls on the left.",
                    dark);
      return TRUE;
    }
  PlotKind kind = current_kind (self);
  PlotOptions opt;
  current_plot_options (self, &opt);
  g_autoptr (GError) error = NULL;
  PlotFrame frame;
  gboolean ok = kind == PLOT_KIND_ROOFLINE
                    ? plot_roofline_draw (cr, width, height, self->results, &frame, &error)
                    : plot_sweep_draw (cr, width, height, self->results, &opt, &frame, &error);
  if (!ok)
    {
      g_autofree char *text = NULL;
      if (self->run)
        text = g_strdup_printf ("%" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT
                                " done; the plot appears when there is something to draw.",
                                self->done, self->total);
      else if (kind == PLOT_KIND_SWEEP && self->results_axis_len < 2)
        text = g_strdup_printf ("One value of %s only: a line needs two or more (e.g. 512,1024,"
                                "2048), or choose the Roofline plot.",
                                axis_title (self->results_axis));
      else
        text = g_strdup_printf ("Nothing to plot: %s", error->message);
      draw_message (cr, width, height, text, dark);
      return TRUE;
    }
  self->frame = frame;
  self->frame_valid = TRUE;
  if (self->hover >= 0 && (guint) self->hover < self->results->len)
    {
      double x, y;
      const SweepResult *r = &g_array_index (self->results, SweepResult, self->hover);
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
amlaviz_sweep_view_get_frame (AmlavizSweepView *self, PlotFrame *frame, PlotKind *kind, PlotY *y)
{
  if (!self->frame_valid)
    return FALSE;
  *frame = self->frame;
  *kind = current_kind (self);
  *y = current_y (self);
  return TRUE;
}

GtkWidget *
amlaviz_sweep_view_get_plot_area (AmlavizSweepView *self)
{
  return self->plot_area;
}

int
amlaviz_sweep_view_hit_test (AmlavizSweepView *self, double x, double y)
{
  g_return_val_if_fail (AMLAVIZ_IS_SWEEP_VIEW (self), -1);
  if (!self->frame_valid)
    return -1;
  PlotKind kind = current_kind (self);
  PlotY metric = current_y (self);
  int best = -1;
  double best_d2 = HIT_RADIUS_PX * HIT_RADIUS_PX;
  for (guint i = 0; i < self->results->len; i++)
    {
      double px, py;
      const SweepResult *r = &g_array_index (self->results, SweepResult, i);
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
amlaviz_sweep_view_describe_point (AmlavizSweepView *self, guint index)
{
  g_return_val_if_fail (index < self->results->len, NULL);
  const SweepResult *r = &g_array_index (self->results, SweepResult, index);
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
set_hover (AmlavizSweepView *self, int index)
{
  if (index == self->hover)
    return;
  self->hover = index;
  GdkWindow *win = gtk_widget_get_window (self->plot_area);
  if (win)
    {
      g_autoptr (GdkCursor) cursor
          = index >= 0 ? gdk_cursor_new_from_name (gdk_window_get_display (win), "pointer") : NULL;
      gdk_window_set_cursor (win, cursor);
    }
  if (index >= 0)
    {
      g_autofree char *text = amlaviz_sweep_view_describe_point (self, (guint) index);
      g_autofree char *markup = g_strdup_printf ("%s\n<i>Click to open its timeline.</i>", text);
      gtk_label_set_markup (self->point_label, markup);
    }
  gtk_widget_queue_draw (self->plot_area);
}

static gboolean
on_plot_motion (GtkWidget *widget, GdkEventMotion *event, AmlavizSweepView *self)
{
  set_hover (self, amlaviz_sweep_view_hit_test (self, event->x, event->y));
  return FALSE;
}

static gboolean
on_plot_leave (GtkWidget *widget, GdkEventCrossing *event, AmlavizSweepView *self)
{
  set_hover (self, -1);
  return FALSE;
}

static gboolean
on_plot_query_tooltip (GtkWidget *widget, int x, int y, gboolean keyboard, GtkTooltip *tooltip,
                       AmlavizSweepView *self)
{
  int index = amlaviz_sweep_view_hit_test (self, x, y);
  if (index < 0)
    return FALSE;
  g_autofree char *text = amlaviz_sweep_view_describe_point (self, (guint) index);
  gtk_tooltip_set_markup (tooltip, text);
  /* a new tooltip for the next point, not the same one moved */
  GdkRectangle area = { x - 2, y - 2, 4, 4 };
  gtk_tooltip_set_tip_area (tooltip, &area);
  return TRUE;
}

static gboolean
on_plot_button_press (GtkWidget *widget, GdkEventButton *event, AmlavizSweepView *self)
{
  gtk_widget_grab_focus (widget);
  if (event->button != GDK_BUTTON_PRIMARY || event->type != GDK_BUTTON_PRESS)
    return FALSE;
  self->pressed = amlaviz_sweep_view_hit_test (self, event->x, event->y);
  return self->pressed >= 0;
}

static gboolean
on_plot_button_release (GtkWidget *widget, GdkEventButton *event, AmlavizSweepView *self)
{
  if (event->button != GDK_BUTTON_PRIMARY)
    return FALSE;
  int index = amlaviz_sweep_view_hit_test (self, event->x, event->y);
  gboolean hit = index >= 0 && index == self->pressed;
  self->pressed = -1;
  if (hit)
    amlaviz_sweep_view_activate_point (self, (guint) index);
  return hit;
}

void
amlaviz_sweep_view_activate_point (AmlavizSweepView *self, guint index)
{
  g_return_if_fail (AMLAVIZ_IS_SWEEP_VIEW (self));
  g_return_if_fail (index < self->results->len);
  AmlaConfig config = g_array_index (self->results, SweepResult, index).config;
  g_signal_emit (self, signals[SIGNAL_OPEN_CONFIG], 0, &config);
}

/* ------------------------------------------------------------------ export */

gboolean
amlaviz_sweep_view_export (AmlavizSweepView *self, const char *path, GError **error)
{
  g_return_val_if_fail (AMLAVIZ_IS_SWEEP_VIEW (self), FALSE);
  int width = gtk_widget_get_allocated_width (self->plot_area);
  int height = gtk_widget_get_allocated_height (self->plot_area);
  if (!gtk_widget_get_realized (self->plot_area))
    width = 900, height = 560; /* the CLI's default size */
  PlotOptions opt;
  current_plot_options (self, &opt);
  return plot_write_file (path, current_kind (self), self->results, &opt, MAX (width, EXPORT_MIN_W),
                          MAX (height, EXPORT_MIN_H), error);
}

static void
export_to (AmlavizSweepView *self, const char *path)
{
  g_autoptr (GError) error = NULL;
  if (amlaviz_sweep_view_export (self, path, &error))
    {
      g_autofree char *msg = g_strdup_printf ("Plot written to %s", path);
      set_status (self, msg, FALSE);
    }
  else
    {
      g_autofree char *msg = g_strdup_printf ("Could not export: %s", error->message);
      set_status (self, msg, TRUE);
    }
}

static void
on_replace_response (GtkDialog *dialog, int response, AmlavizSweepView *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    export_to (self, g_object_get_data (G_OBJECT (dialog), "path"));
}

/* The chooser's overwrite question does not cover an extension we add: ask for that name too
 * (answered through "response", no nested main loop). */
static void
export_after_asking (AmlavizSweepView *self, const char *path)
{
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      export_to (self, path);
      return;
    }
  GtkWidget *top = gtk_widget_get_toplevel (GTK_WIDGET (self));
  g_autofree char *base = g_path_get_basename (path);
  GtkWidget *dlg = gtk_message_dialog_new (GTK_IS_WINDOW (top) ? GTK_WINDOW (top) : NULL,
                                           GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
                                           GTK_MESSAGE_QUESTION, GTK_BUTTONS_NONE,
                                           "“%s” already exists. Replace it?", base);
  gtk_dialog_add_buttons (GTK_DIALOG (dlg), "_Cancel", GTK_RESPONSE_CANCEL, "_Replace",
                          GTK_RESPONSE_ACCEPT, NULL);
  g_object_set_data_full (G_OBJECT (dlg), "path", g_strdup (path), g_free);
  g_signal_connect_object (dlg, "response", G_CALLBACK (on_replace_response), self, 0);
  g_signal_connect (dlg, "response", G_CALLBACK (gtk_widget_destroy), NULL);
  gtk_widget_show (dlg);
}

static void
on_chooser_response (GtkNativeDialog *dialog, int response, AmlavizSweepView *self)
{
  g_autofree char *path = response == GTK_RESPONSE_ACCEPT
                              ? gtk_file_chooser_get_filename (GTK_FILE_CHOOSER (dialog))
                              : NULL;
  if (path == NULL)
    return;
  if (sim_image_format_from_path (path) != SIM_IMAGE_FORMAT_UNKNOWN)
    {
      export_to (self, path);
      return;
    }
  /* no known extension: the format of the chosen filter (PNG if none) */
  GtkFileFilter *chosen = gtk_file_chooser_get_filter (GTK_FILE_CHOOSER (dialog));
  const char *ext = chosen ? g_object_get_data (G_OBJECT (chosen), "extension") : NULL;
  g_autofree char *with_ext = g_strconcat (path, ext ? ext : ".png", NULL);
  export_after_asking (self, with_ext);
}

void
amlaviz_sweep_view_export_dialog (AmlavizSweepView *self)
{
  g_return_if_fail (AMLAVIZ_IS_SWEEP_VIEW (self));
  if (self->results->len == 0
      || (self->chooser && gtk_native_dialog_get_visible (GTK_NATIVE_DIALOG (self->chooser))))
    return;
  g_clear_object (&self->chooser); /* the last one, answered */
  GtkWidget *top = gtk_widget_get_toplevel (GTK_WIDGET (self));
  GtkFileChooserNative *dlg = gtk_file_chooser_native_new (
      "Export Sweep Plot", GTK_IS_WINDOW (top) ? GTK_WINDOW (top) : NULL,
      GTK_FILE_CHOOSER_ACTION_SAVE, "_Export", "_Cancel");
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dlg), TRUE);
  gtk_file_chooser_set_do_overwrite_confirmation (GTK_FILE_CHOOSER (dlg), TRUE);
  static const char *const formats[][2] = { { "PNG image", "*.png" },
                                            { "SVG drawing", "*.svg" },
                                            { "PDF document", "*.pdf" } };
  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      GtkFileFilter *filter = gtk_file_filter_new ();
      gtk_file_filter_set_name (filter, formats[i][0]);
      gtk_file_filter_add_pattern (filter, formats[i][1]);
      g_object_set_data (G_OBJECT (filter), "extension", (gpointer) (formats[i][1] + 1));
      gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dlg), filter);
    }
  g_autofree char *name
      = current_kind (self) == PLOT_KIND_ROOFLINE
            ? g_strdup ("amla-roofline.png")
            : g_strdup_printf ("amla-sweep-%s.png", sweep_axis_name (self->results_axis));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dlg), name);
  self->chooser = dlg;
  g_signal_connect (dlg, "response", G_CALLBACK (on_chooser_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dlg));
}

/* ------------------------------------------------------------------ settings */

static void
on_settings_changed (GtkWidget *widget, AmlavizSweepView *self)
{
  if (self->syncing)
    return;
  gtk_revealer_set_reveal_child (self->pick_revealer,
                                 current_toggles (self) == AMLAVIZ_SWEEP_TOGGLES_PICK);
  if (self->run == NULL)
    update_grid_label (self);
}

static void
on_axis_changed (GtkComboBox *combo, AmlavizSweepView *self)
{
  SweepAxis axis;
  const char *id = gtk_combo_box_get_active_id (combo);
  if (self->syncing || id == NULL || !sweep_axis_parse (id, &axis))
    return;
  /* each axis keeps what was typed for it */
  g_free (self->values[self->axis]);
  self->values[self->axis] = g_strdup (gtk_entry_get_text (self->values_entry));
  self->axis = axis;
  self->syncing = TRUE;
  gtk_entry_set_text (self->values_entry,
                      self->values[axis] ? self->values[axis] : default_values (axis));
  self->syncing = FALSE;
  on_settings_changed (NULL, self);
}

static void
on_plot_settings_changed (GtkComboBox *combo, AmlavizSweepView *self)
{
  gtk_widget_set_sensitive (GTK_WIDGET (self->y_combo), current_kind (self) == PLOT_KIND_SWEEP);
  self->hover = -1;
  gtk_widget_queue_draw (self->plot_area);
}

static void
on_values_activate (GtkEntry *entry, AmlavizSweepView *self)
{
  if (self->run == NULL)
    amlaviz_sweep_view_run (self);
}

static void
on_run_clicked (GtkButton *button, AmlavizSweepView *self)
{
  amlaviz_sweep_view_run (self);
}

static void
on_cancel_clicked (GtkButton *button, AmlavizSweepView *self)
{
  amlaviz_sweep_view_cancel (self);
}

static void
on_export_clicked (GtkButton *button, AmlavizSweepView *self)
{
  amlaviz_sweep_view_export_dialog (self);
}

void
amlaviz_sweep_view_set_axis (AmlavizSweepView *self, SweepAxis axis)
{
  g_return_if_fail (AMLAVIZ_IS_SWEEP_VIEW (self));
  g_return_if_fail (sweep_axis_is_numeric (axis) && axis != SWEEP_AXIS_ROWS);
  gtk_combo_box_set_active_id (GTK_COMBO_BOX (self->axis_combo), sweep_axis_name (axis));
}

void
amlaviz_sweep_view_set_values (AmlavizSweepView *self, const char *values)
{
  g_return_if_fail (AMLAVIZ_IS_SWEEP_VIEW (self));
  gtk_entry_set_text (self->values_entry, values ? values : "");
}

void
amlaviz_sweep_view_set_toggles (AmlavizSweepView *self, AmlavizSweepToggles mode, guint pick_mask)
{
  g_return_if_fail (AMLAVIZ_IS_SWEEP_VIEW (self));
  static const char *const ids[] = { "all", "current", "pick" };
  g_return_if_fail ((guint) mode < G_N_ELEMENTS (ids));
  if (mode == AMLAVIZ_SWEEP_TOGGLES_PICK)
    {
      self->syncing = TRUE;
      gtk_toggle_button_set_active (self->pick_preload_on, pick_mask & AMLAVIZ_PICK_PRELOAD_ON);
      gtk_toggle_button_set_active (self->pick_preload_off, pick_mask & AMLAVIZ_PICK_PRELOAD_OFF);
      gtk_toggle_button_set_active (self->pick_tiling_on, pick_mask & AMLAVIZ_PICK_TILING_ON);
      gtk_toggle_button_set_active (self->pick_tiling_off, pick_mask & AMLAVIZ_PICK_TILING_OFF);
      gtk_toggle_button_set_active (self->pick_rescale_amla, pick_mask & AMLAVIZ_PICK_RESCALE_AMLA);
      gtk_toggle_button_set_active (self->pick_rescale_mul, pick_mask & AMLAVIZ_PICK_RESCALE_MUL);
      self->syncing = FALSE;
    }
  gtk_combo_box_set_active_id (GTK_COMBO_BOX (self->toggles_combo), ids[mode]);
  on_settings_changed (NULL, self);
}

void
amlaviz_sweep_view_set_plot (AmlavizSweepView *self, PlotKind kind, PlotY y)
{
  g_return_if_fail (AMLAVIZ_IS_SWEEP_VIEW (self));
  gtk_combo_box_set_active_id (GTK_COMBO_BOX (self->kind_combo),
                               kind == PLOT_KIND_ROOFLINE ? "roofline" : "sweep");
  gtk_combo_box_set_active_id (GTK_COMBO_BOX (self->y_combo),
                               y == PLOT_Y_TFLOPS ? "tflops" : "util");
}

static void
on_config_changed (AmlavizSweepView *self)
{
  on_settings_changed (NULL, self);
}

void
amlaviz_sweep_view_set_session (AmlavizSweepView *self, AmlavizSession *session)
{
  g_return_if_fail (AMLAVIZ_IS_SWEEP_VIEW (self));
  if (self->session)
    {
      g_signal_handlers_disconnect_by_data (self->session, self);
      g_clear_object (&self->session);
    }
  if (session)
    {
      self->session = g_object_ref (session);
      /* the fixed axes come from the controls: keep the summary current */
      g_signal_connect_swapped (session, "config-changed", G_CALLBACK (on_config_changed), self);
    }
  on_settings_changed (NULL, self);
}

/* ------------------------------------------------------------------ GObject */

static void
amlaviz_sweep_view_dispose (GObject *object)
{
  AmlavizSweepView *self = AMLAVIZ_SWEEP_VIEW (object);
  stop_run (self);
  if (self->chooser)
    {
      g_signal_handlers_disconnect_by_data (self->chooser, self);
      gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
      g_clear_object (&self->chooser);
    }
  if (self->session)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_clear_object (&self->session);
  G_OBJECT_CLASS (amlaviz_sweep_view_parent_class)->dispose (object);
}

static void
amlaviz_sweep_view_finalize (GObject *object)
{
  AmlavizSweepView *self = AMLAVIZ_SWEEP_VIEW (object);
  g_clear_pointer (&self->results, g_array_unref);
  for (int a = 0; a < SWEEP_N_AXES; a++)
    g_free (self->values[a]);
  g_free (self->status);
  G_OBJECT_CLASS (amlaviz_sweep_view_parent_class)->finalize (object);
}

static void
amlaviz_sweep_view_class_init (AmlavizSweepViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  object_class->dispose = amlaviz_sweep_view_dispose;
  object_class->finalize = amlaviz_sweep_view_finalize;

  /* void (AmlavizSweepView *, const AmlaConfig *config): open this configuration's timeline */
  signals[SIGNAL_OPEN_CONFIG]
      = g_signal_new ("open-config", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                      NULL, G_TYPE_NONE, 1, G_TYPE_POINTER);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/amlaviz/Amlaviz/amlaviz-sweep-view.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, AmlavizSweepView, name)
  BIND (plot_area);
  BIND (axis_combo);
  BIND (toggles_combo);
  BIND (kind_combo);
  BIND (y_combo);
  BIND (values_entry);
  BIND (pick_revealer);
  BIND (pick_preload_on);
  BIND (pick_preload_off);
  BIND (pick_tiling_on);
  BIND (pick_tiling_off);
  BIND (pick_rescale_amla);
  BIND (pick_rescale_mul);
  BIND (grid_label);
  BIND (status_label);
  BIND (point_label);
  BIND (run_button);
  BIND (cancel_button);
  BIND (export_button);
  BIND (progress_bar);
#undef BIND
#define CB(name) gtk_widget_class_bind_template_callback (widget_class, name)
  CB (on_plot_draw);
  CB (on_plot_query_tooltip);
  CB (on_plot_motion);
  CB (on_plot_leave);
  CB (on_plot_button_press);
  CB (on_plot_button_release);
  CB (on_axis_changed);
  CB (on_settings_changed);
  CB (on_values_activate);
  CB (on_run_clicked);
  CB (on_cancel_clicked);
  CB (on_export_clicked);
  CB (on_plot_settings_changed);
#undef CB
}

static void
amlaviz_sweep_view_init (AmlavizSweepView *self)
{
  self->results = sweep_results_new ();
  self->axis = SWEEP_AXIS_KV;
  self->results_axis = SWEEP_AXIS_KV;
  self->hover = self->pressed = -1;
  self->syncing = TRUE;
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_add_events (self->plot_area, GDK_POINTER_MOTION_MASK | GDK_LEAVE_NOTIFY_MASK
                                              | GDK_BUTTON_PRESS_MASK | GDK_BUTTON_RELEASE_MASK);
  gtk_combo_box_set_active_id (GTK_COMBO_BOX (self->axis_combo), "kv");
  gtk_entry_set_text (self->values_entry, default_values (SWEEP_AXIS_KV));
  gtk_combo_box_set_active_id (GTK_COMBO_BOX (self->toggles_combo), "all");
  gtk_combo_box_set_active_id (GTK_COMBO_BOX (self->kind_combo), "sweep");
  gtk_combo_box_set_active_id (GTK_COMBO_BOX (self->y_combo), "util");
  self->syncing = FALSE;
  on_settings_changed (NULL, self);
  update_progress (self);
  update_buttons (self);
}
