/* src/plot/plot.c — sweep plot and roofline with cairo: axes, ticks, series, roofs, legend, and
 * atomic PNG/SVG/PDF output. */
#include "src/plot/plot-private.h"

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <math.h>
#include <string.h>

#include "sim/output.h"

#define FONT_SIZE PLOT_FONT_SIZE
#define TITLE_SIZE PLOT_TITLE_SIZE
#define MARGIN_LEFT 72.0
#define MARGIN_TOP 44.0
#define MARGIN_BOTTOM 56.0
#define MARGIN_RIGHT_AXIS 64.0 /* room for the secondary (TFLOPS) axis */
#define LEGEND_PAD 12.0
#define MARKER_RADIUS 3.5

GQuark
plot_error_quark (void)
{
  return g_quark_from_static_string ("plot-error");
}

void
plot_options_init (PlotOptions *opt)
{
  memset (opt, 0, sizeof *opt);
  opt->x_axis = SWEEP_N_AXES;
  opt->y = PLOT_Y_UTILIZATION;
}

gboolean
plot_y_parse (const char *name, PlotY *out)
{
  if (name == NULL)
    return FALSE;
  if (!g_ascii_strcasecmp (name, "util") || !g_ascii_strcasecmp (name, "utilization")
      || !g_ascii_strcasecmp (name, "utilisation"))
    *out = PLOT_Y_UTILIZATION;
  else if (!g_ascii_strcasecmp (name, "tflops"))
    *out = PLOT_Y_TFLOPS;
  else
    return FALSE;
  return TRUE;
}

static const cairo_user_data_key_t dark_key; /* set on a cairo context: draw in dark colours */

/* Okabe & Ito's colour-blind-safe set (its yellow darkened to read on white), in an order where
 * neighbours differ in lightness too; each series also has its own marker shape, so no pair of
 * series is told apart by hue alone (the 8 toggle combinations were red/green pairs before). */
#define RGB8(h) { ((h) >> 16 & 0xff) / 255.0, ((h) >> 8 & 0xff) / 255.0, ((h) & 0xff) / 255.0 }
static const double palette[][3] = {
  RGB8 (0x0072b2), RGB8 (0xe69f00), RGB8 (0x009e73), RGB8 (0xcc79a7),
  RGB8 (0x56b4e9), RGB8 (0xd55e00), RGB8 (0x000000), RGB8 (0xb59b00),
};

/* Marker shapes by series: circle, square, triangle, diamond, inverted triangle, plus, cross,
 * star — filled (plus and cross stroked thick), about r in radius. */
static void
draw_marker (cairo_t *cr, guint i, double x, double y, double r)
{
  cairo_new_sub_path (cr);
  switch (i % 8)
    {
    case 0:
      cairo_arc (cr, x, y, r, 0, 2 * G_PI);
      break;
    case 1:
      cairo_rectangle (cr, x - 0.9 * r, y - 0.9 * r, 1.8 * r, 1.8 * r);
      break;
    case 2:
      cairo_move_to (cr, x, y - 1.2 * r);
      cairo_line_to (cr, x + 1.1 * r, y + 0.8 * r);
      cairo_line_to (cr, x - 1.1 * r, y + 0.8 * r);
      cairo_close_path (cr);
      break;
    case 3:
      cairo_move_to (cr, x, y - 1.3 * r);
      cairo_line_to (cr, x + 1.1 * r, y);
      cairo_line_to (cr, x, y + 1.3 * r);
      cairo_line_to (cr, x - 1.1 * r, y);
      cairo_close_path (cr);
      break;
    case 4:
      cairo_move_to (cr, x, y + 1.2 * r);
      cairo_line_to (cr, x + 1.1 * r, y - 0.8 * r);
      cairo_line_to (cr, x - 1.1 * r, y - 0.8 * r);
      cairo_close_path (cr);
      break;
    case 5: /* plus: two bars */
      cairo_rectangle (cr, x - 1.2 * r, y - 0.4 * r, 2.4 * r, 0.8 * r);
      cairo_new_sub_path (cr);
      cairo_rectangle (cr, x - 0.4 * r, y - 1.2 * r, 0.8 * r, 2.4 * r);
      break;
    case 6: /* cross: the plus turned 45° */
      for (int k = 0; k < 2; k++)
        {
          double a = G_PI / 4 + k * G_PI / 2, c = cos (a), s = sin (a);
          double hw = 0.4 * r, hl = 1.3 * r;
          cairo_new_sub_path (cr);
          cairo_move_to (cr, x + c * hl - s * hw, y + s * hl + c * hw);
          cairo_line_to (cr, x + c * hl + s * hw, y + s * hl - c * hw);
          cairo_line_to (cr, x - c * hl + s * hw, y - s * hl - c * hw);
          cairo_line_to (cr, x - c * hl - s * hw, y - s * hl + c * hw);
          cairo_close_path (cr);
        }
      break;
    default: /* five-pointed star */
      for (int k = 0; k < 10; k++)
        {
          double a = -G_PI / 2 + k * G_PI / 5, rr = k % 2 ? 0.55 * r : 1.35 * r;
          if (k == 0)
            cairo_move_to (cr, x + rr * cos (a), y + rr * sin (a));
          else
            cairo_line_to (cr, x + rr * cos (a), y + rr * sin (a));
        }
      cairo_close_path (cr);
      break;
    }
  cairo_set_fill_rule (cr, CAIRO_FILL_RULE_WINDING);
  cairo_fill (cr);
}

/* The chart's own colours (paper, grid, text, frame, the ceiling and the roof), light or dark:
 * plot_set_dark marks a cairo context, so the window's Sweep view follows a dark GTK theme while
 * files and the CLI stay light. */
typedef enum
{
  INK_PAPER,
  INK_GRID,
  INK_TICK_TEXT,
  INK_FRAME,
  INK_TEXT,
  INK_REFERENCE, /* Cube peak ceiling, compute roof */
  INK_ROOF,      /* memory roof */
  N_INKS
} Ink;

void
plot_set_dark (cairo_t *cr, gboolean dark)
{
  cairo_set_user_data (cr, &dark_key, dark ? GINT_TO_POINTER (1) : NULL, NULL);
}

static void
set_ink (cairo_t *cr, Ink which)
{
  static const double light[N_INKS][3] = {
    { 1, 1, 1 },       { 0.9, 0.9, 0.9 },    { 0.2, 0.2, 0.2 },    { 0.3, 0.3, 0.3 },
    { 0.1, 0.1, 0.1 }, { 0.15, 0.15, 0.15 }, { 0.45, 0.15, 0.6 },
  };
  static const double dark[N_INKS][3] = {
    { 0.118, 0.122, 0.133 }, { 0.22, 0.23, 0.25 }, { 0.78, 0.79, 0.80 }, { 0.55, 0.56, 0.58 },
    { 0.90, 0.91, 0.91 },    { 0.85, 0.85, 0.87 }, { 0.78, 0.58, 0.95 },
  };
  const double *c = cairo_get_user_data (cr, &dark_key) ? dark[which] : light[which];
  cairo_set_source_rgb (cr, c[0], c[1], c[2]);
}

void
plot_series_color (guint i, double rgb[3])
{
  memcpy (rgb, palette[i % G_N_ELEMENTS (palette)], sizeof palette[0]);
}

void
plot_series_color_themed (guint i, gboolean dark, double rgb[3])
{
  plot_series_color (i, rgb);
  if (dark && rgb[0] + rgb[1] + rgb[2] < 0.3)
    rgb[0] = rgb[1] = rgb[2] = 0.87; /* black on a dark paper: light grey instead */
}

static void
set_series_style (cairo_t *cr, guint i)
{
  double rgb[3];
  plot_series_color_themed (i, cairo_get_user_data (cr, &dark_key) != NULL, rgb);
  cairo_set_source_rgb (cr, rgb[0], rgb[1], rgb[2]);
  static const double dashes[][2] = { { 6, 3 }, { 2, 3 } };
  guint cycle = i / G_N_ELEMENTS (palette);
  if (cycle == 0)
    cairo_set_dash (cr, NULL, 0, 0);
  else
    cairo_set_dash (cr, dashes[(cycle - 1) % 2], 2, 0);
}

double
plot_frame_x_px (const PlotFrame *f, double x)
{
  double t = f->x_log ? (log (x) - log (f->x_min)) / (log (f->x_max) - log (f->x_min))
                      : (x - f->x_min) / (f->x_max - f->x_min);
  return f->left + t * (f->right - f->left);
}

double
plot_frame_y_px (const PlotFrame *f, double y)
{
  double t = f->y_log ? (log (y) - log (f->y_min)) / (log (f->y_max) - log (f->y_min))
                      : (y - f->y_min) / (f->y_max - f->y_min);
  return f->bottom - t * (f->bottom - f->top);
}

/* ---- data ---- */

static int
axis_value (const AmlaConfig *c, SweepAxis axis)
{
  switch (axis)
    {
    case SWEEP_AXIS_HEADS:
      return c->heads;
    case SWEEP_AXIS_SQ:
      return c->sq;
    case SWEEP_AXIS_BATCH:
      return c->batch;
    case SWEEP_AXIS_KV:
      return c->kv_len;
    case SWEEP_AXIS_ROWS:
      return amla_config_task_rows (c);
    case SWEEP_AXIS_PRELOAD:
      return c->preload;
    case SWEEP_AXIS_TILING:
      return c->tiling;
    case SWEEP_AXIS_RESCALE:
      return (int) c->rescale;
    default:
      return 0;
    }
}

static void
append_axis_value (GString *s, const AmlaConfig *c, SweepAxis axis)
{
  if (s->len > 0)
    g_string_append (s, ", ");
  switch (axis)
    {
    case SWEEP_AXIS_HW:
      g_string_append (s, c->hw);
      break;
    case SWEEP_AXIS_HEADS:
      g_string_append_printf (s, "H=%d", c->heads);
      break;
    case SWEEP_AXIS_SQ:
      g_string_append_printf (s, "S_q=%d", c->sq);
      break;
    case SWEEP_AXIS_BATCH:
      g_string_append_printf (s, "B=%d", c->batch);
      break;
    case SWEEP_AXIS_KV:
      g_string_append_printf (s, "S_kv=%d", c->kv_len);
      break;
    case SWEEP_AXIS_ROWS:
      g_string_append_printf (s, "M=%d", amla_config_task_rows (c));
      break;
    case SWEEP_AXIS_PRELOAD:
      g_string_append_printf (s, "preload %s", c->preload ? "on" : "off");
      break;
    case SWEEP_AXIS_TILING:
      g_string_append_printf (s, "tiling %s", c->tiling ? "on" : "off");
      break;
    case SWEEP_AXIS_RESCALE:
      g_string_append (s, c->rescale == AMLA_RESCALE_AMLA ? "AMLA add" : "FP mul");
      break;
    default:
      break;
    }
}

/* Which axes take more than one value among the (successful) results. */
static void
varying_axes (const GArray *results, gboolean varies[SWEEP_N_AXES])
{
  memset (varies, 0, sizeof (gboolean) * SWEEP_N_AXES);
  const SweepResult *first = NULL;
  for (guint i = 0; i < results->len; i++)
    {
      const SweepResult *r = &g_array_index (results, SweepResult, i);
      if (r->error != NULL)
        continue;
      if (first == NULL)
        {
          first = r;
          continue;
        }
      if (strcmp (r->config.hw, first->config.hw) != 0)
        varies[SWEEP_AXIS_HW] = TRUE;
      /* rows as configured (auto = 0), not as derived from H·S_q: only what the user swept */
      if (r->config.task_rows != first->config.task_rows)
        varies[SWEEP_AXIS_ROWS] = TRUE;
      for (int a = SWEEP_AXIS_HEADS; a < SWEEP_N_AXES; a++)
        if (a != SWEEP_AXIS_ROWS
            && axis_value (&r->config, (SweepAxis) a) != axis_value (&first->config, (SweepAxis) a))
          varies[a] = TRUE;
    }
}

static guint
count_values (const GArray *results, SweepAxis axis)
{
  g_autoptr (GHashTable) seen = g_hash_table_new (g_direct_hash, g_direct_equal);
  for (guint i = 0; i < results->len; i++)
    {
      const SweepResult *r = &g_array_index (results, SweepResult, i);
      if (r->error == NULL)
        g_hash_table_add (seen, GINT_TO_POINTER (axis_value (&r->config, axis) + 1));
    }
  return g_hash_table_size (seen);
}

static SweepAxis
choose_x_axis (const GArray *results, SweepAxis wanted)
{
  if (wanted != SWEEP_N_AXES)
    return wanted;
  static const SweepAxis candidates[]
      = { SWEEP_AXIS_KV, SWEEP_AXIS_BATCH, SWEEP_AXIS_SQ, SWEEP_AXIS_HEADS, SWEEP_AXIS_ROWS };
  SweepAxis best = SWEEP_AXIS_KV;
  guint best_n = 0;
  for (gsize i = 0; i < G_N_ELEMENTS (candidates); i++)
    {
      guint n = count_values (results, candidates[i]);
      if (n > best_n)
        {
          best = candidates[i];
          best_n = n;
        }
    }
  return best;
}

static int
cmp_by_x (gconstpointer a, gconstpointer b, gpointer data)
{
  const GArray *results = ((gpointer *) data)[0];
  SweepAxis axis = GPOINTER_TO_INT (((gpointer *) data)[1]);
  int xa = axis_value (&g_array_index (results, SweepResult, *(const guint *) a).config, axis);
  int xb = axis_value (&g_array_index (results, SweepResult, *(const guint *) b).config, axis);
  return (xa > xb) - (xa < xb);
}

GPtrArray *
plot_sweep_series (const GArray *results, SweepAxis x_axis, GPtrArray *labels)
{
  gboolean varies[SWEEP_N_AXES];
  varying_axes (results, varies);
  GPtrArray *series = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  g_autoptr (GHashTable) index = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; i < results->len; i++)
    {
      const SweepResult *r = &g_array_index (results, SweepResult, i);
      if (r->error != NULL)
        continue;
      g_autoptr (GString) key = g_string_new (NULL);
      for (int a = 0; a < SWEEP_N_AXES; a++)
        if (varies[a] && a != (int) x_axis
            && (x_axis != SWEEP_N_AXES || a == SWEEP_AXIS_HW || a >= SWEEP_AXIS_PRELOAD))
          append_axis_value (key, &r->config, (SweepAxis) a);
      gpointer pos;
      if (!g_hash_table_lookup_extended (index, key->str, NULL, &pos))
        {
          pos = GUINT_TO_POINTER (series->len);
          g_hash_table_insert (index, g_strdup (key->str), pos);
          g_ptr_array_add (series, g_array_new (FALSE, FALSE, sizeof (guint)));
          if (labels != NULL)
            g_ptr_array_add (labels, g_strdup (key->len > 0 ? key->str : "all runs"));
        }
      g_array_append_val (g_ptr_array_index (series, GPOINTER_TO_UINT (pos)), i);
    }
  gpointer data[2] = { (gpointer) results, GINT_TO_POINTER (x_axis) };
  for (guint s = 0; s < series->len; s++)
    g_array_sort_with_data (g_ptr_array_index (series, s), cmp_by_x, data);
  return series;
}

/* Memory roof of a configuration: the best possible utilisation if HBM only had to deliver the KV
 * cache once, plus Q in and O out (BF16). */
static double
memory_roof_tflops (const SweepResult *r)
{
  const AmlaConfig *c = &r->config;
  double kv = (double) c->batch * c->kv_len * AMLA_HEAD_DIM_QK * 2;
  double q_o = (double) c->batch * c->heads * c->sq * (AMLA_HEAD_DIM_QK + AMLA_HEAD_DIM_V) * 2;
  return r->metrics.flops / (kv + q_o) * r->hbm_peak_bytes_per_s / 1e12;
}

static double
y_value (const SweepResult *r, PlotY y)
{
  return y == PLOT_Y_TFLOPS ? r->metrics.tflops : r->metrics.cube_utilization * 100.0;
}

/* ---- layout and ticks ---- */

static int
cmp_double (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

cairo_t *
plot_scratch_context (void)
{
  cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 1, 1);
  cairo_t *cr = cairo_create (s);
  cairo_surface_destroy (s);
  return cr;
}

void
plot_set_font (cairo_t *cr, double size, gboolean bold)
{
  cairo_select_font_face (cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL,
                          bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size (cr, size);
}

double
plot_text_width (cairo_t *cr, const char *s)
{
  cairo_text_extents_t e;
  cairo_text_extents (cr, s, &e);
  return e.x_advance;
}

static double
legend_width (GPtrArray *labels, const char *const *extra)
{
  cairo_t *cr = plot_scratch_context ();
  plot_set_font (cr, FONT_SIZE, FALSE);
  double w = 0;
  for (guint i = 0; i < labels->len; i++)
    w = MAX (w, plot_text_width (cr, g_ptr_array_index (labels, i)));
  for (; extra != NULL && *extra != NULL; extra++)
    w = MAX (w, plot_text_width (cr, *extra));
  cairo_destroy (cr);
  return w + 30 + 2 * LEGEND_PAD;
}

#define LEGEND_ROW 18.0

/* Place the plot area and its legend (legend_w wide per entry, n entries).  axis_gap: room
 * right of the plot (a secondary axis); legend_offset: from the plot's right edge to a legend on
 * the right.  The legend goes right of the plot unless that leaves a plot taller than wide and
 * two or more legend columns fit below it. */
static void
place_legend (PlotFrame *f, double width, double height, double legend_w, guint n, double axis_gap,
              double legend_offset)
{
  f->left = MARGIN_LEFT;
  f->top = MARGIN_TOP;
  f->right = width - legend_w - axis_gap;
  f->bottom = height - MARGIN_BOTTOM;
  f->legend_below = FALSE;
  f->legend_cols = 1;
  f->legend_col_w = legend_w;
  f->legend_x = f->right + legend_offset;
  f->legend_y = f->top + LEGEND_PAD;
  double right_w = f->right - f->left, right_h = f->bottom - f->top;
  guint cols = (guint) CLAMP ((width - LEGEND_PAD) / legend_w, 1, 3);
  guint rows = (n + cols - 1) / cols;
  double below_h = right_h - rows * LEGEND_ROW - LEGEND_PAD;
  if (right_w < right_h && cols >= 2 && below_h >= 0.5 * right_h)
    {
      f->legend_below = TRUE;
      f->legend_cols = cols;
      f->right = width - axis_gap;
      f->bottom = f->top + below_h;
      f->legend_x = LEGEND_PAD;
      f->legend_y = f->bottom + MARGIN_BOTTOM + LEGEND_PAD / 2;
    }
}

/* Nice linear ticks: 1, 2 or 5 × 10^k apart, about n of them. */
GArray *
plot_linear_ticks (double lo, double hi, int n)
{
  GArray *t = g_array_new (FALSE, FALSE, sizeof (double));
  double raw = (hi - lo) / MAX (n, 1);
  double mag = pow (10, floor (log10 (raw)));
  double step = raw / mag < 1.5   ? mag
                : raw / mag < 3.5 ? 2 * mag
                : raw / mag < 7.5 ? 5 * mag
                                  : 10 * mag;
  for (double v = ceil (lo / step - 1e-9) * step; v <= hi + step * 1e-9; v += step)
    {
      double r = fabs (v) < step * 1e-9 ? 0.0 : v;
      g_array_append_val (t, r);
    }
  return t;
}

/* Log ticks: decades, with 2 and 5 when the range spans less than three decades. */
static GArray *
log_ticks (double lo, double hi)
{
  GArray *t = g_array_new (FALSE, FALSE, sizeof (double));
  gboolean fine = log10 (hi / lo) < 3;
  for (int k = (int) floor (log10 (lo)); k <= (int) ceil (log10 (hi)); k++)
    for (int m = 1; m <= 5; m++)
      {
        if (m != 1 && !(fine && (m == 2 || m == 5)))
          continue;
        double v = m * pow (10, k);
        if (v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9))
          g_array_append_val (t, v);
      }
  return t;
}

void
plot_format_tick (char *buf, gsize len, double v)
{
  if (fabs (v) >= 1e6 || (fabs (v) < 1e-3 && v != 0))
    g_snprintf (buf, len, "%.0e", v);
  else
    g_snprintf (buf, len, "%g", v);
}

gboolean
plot_sweep_layout (const GArray *results, const PlotOptions *opt_in, double width, double height,
                   PlotFrame *f, GError **error)
{
  PlotOptions defaults;
  plot_options_init (&defaults);
  const PlotOptions *opt = opt_in != NULL ? opt_in : &defaults;
  memset (f, 0, sizeof *f);
  SweepAxis x_axis = choose_x_axis (results, opt->x_axis);
  if (!sweep_axis_is_numeric (x_axis))
    {
      g_set_error (error, PLOT_ERROR, PLOT_ERROR_INVALID,
                   "--x must be a shape axis (batch, kv, sq, heads or rows), got '%s'",
                   sweep_axis_name (x_axis));
      return FALSE;
    }
  double x_lo = G_MAXDOUBLE, x_hi = -G_MAXDOUBLE, y_hi = 0;
  guint n_ok = 0;
  for (guint i = 0; i < results->len; i++)
    {
      const SweepResult *r = &g_array_index (results, SweepResult, i);
      if (r->error != NULL)
        continue;
      n_ok++;
      double x = axis_value (&r->config, x_axis);
      x_lo = MIN (x_lo, x);
      x_hi = MAX (x_hi, x);
      y_hi = MAX (y_hi, y_value (r, opt->y));
      if (opt->y == PLOT_Y_TFLOPS)
        y_hi = MAX (y_hi, r->metrics.peak_tflops); /* the ceiling stays in view */
    }
  if (n_ok == 0)
    {
      g_set_error (error, PLOT_ERROR, PLOT_ERROR_INVALID, "no successful runs to plot");
      return FALSE;
    }
  if (x_lo == x_hi)
    {
      g_set_error (error, PLOT_ERROR, PLOT_ERROR_INVALID,
                   "the plot's x axis '%s' has one value (%g) only: sweep it (e.g. --%s A,B,C) or "
                   "choose another with --x",
                   sweep_axis_name (x_axis), x_lo, sweep_axis_name (x_axis));
      return FALSE;
    }
  f->x_axis = x_axis;
  f->x_log = x_lo > 0 && x_hi / x_lo >= 10;
  if (f->x_log)
    {
      /* a little air around the outermost points */
      f->x_min = x_lo / pow (x_hi / x_lo, 0.03);
      f->x_max = x_hi * pow (x_hi / x_lo, 0.03);
    }
  else
    {
      double pad = (x_hi - x_lo) * 0.03;
      f->x_min = x_lo - pad;
      f->x_max = x_hi + pad;
    }
  f->y_min = 0;
  /* head room above the ceiling so the 100 % line is not the frame */
  f->y_max = opt->y == PLOT_Y_UTILIZATION ? MAX (100.0, y_hi) * 1.08 : y_hi * 1.08;

  g_autoptr (GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) series = plot_sweep_series (results, x_axis, labels);
  f->n_series = series->len;
  const char *extra[] = { "Cube peak (ceiling)", "memory roof: above the peak", NULL };
  double legend = legend_width (labels, extra);
  place_legend (f, width, height, legend, series->len + 2, MARGIN_RIGHT_AXIS,
                MARGIN_RIGHT_AXIS + LEGEND_PAD);
  if (f->right - f->left < 100 || f->bottom - f->top < 80)
    {
      g_set_error (error, PLOT_ERROR, PLOT_ERROR_INVALID,
                   "a %gx%g image is too small for this plot (legend %.0f px wide)", width, height,
                   legend);
      return FALSE;
    }
  return TRUE;
}

/* ---- drawing ---- */

void
plot_draw_text (cairo_t *cr, double x, double y, const char *s, double align_x, double align_y)
{
  cairo_text_extents_t e;
  cairo_text_extents (cr, s, &e);
  cairo_move_to (cr, x - e.x_advance * align_x, y + e.height * align_y);
  cairo_show_text (cr, s);
}

void
plot_draw_axes (cairo_t *cr, const PlotFrame *f, GArray *x_ticks, GArray *y_ticks,
                const char *x_label, const char *y_label, const char *y_suffix)
{
  plot_set_font (cr, FONT_SIZE - 1, FALSE);
  cairo_set_line_width (cr, 1);
  for (guint i = 0; i < x_ticks->len; i++)
    {
      double v = g_array_index (x_ticks, double, i), px = round (plot_frame_x_px (f, v)) + 0.5;
      set_ink (cr, INK_GRID);
      cairo_move_to (cr, px, f->top);
      cairo_line_to (cr, px, f->bottom);
      cairo_stroke (cr);
      char buf[32];
      plot_format_tick (buf, sizeof buf, v);
      set_ink (cr, INK_TICK_TEXT);
      plot_draw_text (cr, px, f->bottom + 6, buf, 0.5, 1.0);
    }
  for (guint i = 0; i < y_ticks->len; i++)
    {
      double v = g_array_index (y_ticks, double, i), py = round (plot_frame_y_px (f, v)) + 0.5;
      set_ink (cr, INK_GRID);
      cairo_move_to (cr, f->left, py);
      cairo_line_to (cr, f->right, py);
      cairo_stroke (cr);
      char buf[32], lab[40];
      plot_format_tick (buf, sizeof buf, v);
      g_snprintf (lab, sizeof lab, "%s%s", buf, y_suffix);
      set_ink (cr, INK_TICK_TEXT);
      plot_draw_text (cr, f->left - 6, py, lab, 1.0, 0.5);
    }
  set_ink (cr, INK_FRAME);
  cairo_rectangle (cr, f->left + 0.5, f->top + 0.5, f->right - f->left, f->bottom - f->top);
  cairo_stroke (cr);
  plot_set_font (cr, FONT_SIZE, FALSE);
  set_ink (cr, INK_TEXT);
  plot_draw_text (cr, (f->left + f->right) / 2, f->bottom + 34, x_label, 0.5, 1.0);
  cairo_save (cr);
  cairo_translate (cr, f->left - 54, (f->top + f->bottom) / 2);
  cairo_rotate (cr, -G_PI / 2);
  plot_draw_text (cr, 0, 0, y_label, 0.5, 0.0);
  cairo_restore (cr);
}

typedef struct
{
  const char *label;
  int style; /* >= 0: series index; -1 ceiling; -2 memory roof */
  gboolean marker;
  gboolean no_line; /* points only (roofline) */
} LegendEntry;

static void
draw_legend (cairo_t *cr, const PlotFrame *f, const LegendEntry *entries, guint n)
{
  plot_set_font (cr, FONT_SIZE, FALSE);
  /* below the plot: filled column by column, all entries fit (place_legend made room) */
  guint per_col = f->legend_below ? (n + f->legend_cols - 1) / f->legend_cols : n;
  guint fits
      = f->legend_below ? n : (guint) MAX (1.0, (f->bottom - f->top - LEGEND_PAD) / LEGEND_ROW);
  for (guint i = 0; i < n; i++)
    {
      double x = f->legend_x + (f->legend_below ? (i / per_col) * f->legend_col_w : 0);
      double y = f->legend_y + (f->legend_below ? i % per_col : i) * LEGEND_ROW;
      if (n > fits && i == fits - 1)
        {
          /* more series than lines: say so rather than run off the image */
          char more[64];
          g_snprintf (more, sizeof more, "… and %u more", n - i);
          set_ink (cr, INK_TEXT);
          plot_draw_text (cr, x + 30, y, more, 0.0, 0.4);
          break;
        }
      cairo_set_line_width (cr, entries[i].style >= 0 ? 2 : 1.5);
      if (entries[i].style >= 0)
        set_series_style (cr, (guint) entries[i].style);
      else
        {
          static const double dash[] = { 5, 4 };
          set_ink (cr, entries[i].style == -1 ? INK_REFERENCE : INK_ROOF);
          cairo_set_dash (cr, dash, entries[i].style == -1 ? 0 : 2, 0);
        }
      if (!entries[i].no_line)
        {
          cairo_move_to (cr, x, y);
          cairo_line_to (cr, x + 22, y);
          cairo_stroke (cr);
        }
      if (entries[i].marker)
        draw_marker (cr, entries[i].style >= 0 ? (guint) entries[i].style : 0, x + 11, y,
                     MARKER_RADIUS + 0.5);
      cairo_set_dash (cr, NULL, 0, 0);
      set_ink (cr, INK_TEXT);
      plot_draw_text (cr, x + 30, y, entries[i].label, 0.0, 0.4);
    }
}

static char *
fixed_axes_title (const GArray *results, const char *lead, SweepAxis x_axis)
{
  gboolean varies[SWEEP_N_AXES];
  varying_axes (results, varies);
  const SweepResult *first = NULL;
  for (guint i = 0; i < results->len && first == NULL; i++)
    if (g_array_index (results, SweepResult, i).error == NULL)
      first = &g_array_index (results, SweepResult, i);
  g_autoptr (GString) fixed = g_string_new (NULL);
  static const SweepAxis shown[]
      = { SWEEP_AXIS_BATCH, SWEEP_AXIS_KV, SWEEP_AXIS_SQ, SWEEP_AXIS_HEADS, SWEEP_AXIS_HW };
  for (gsize i = 0; i < G_N_ELEMENTS (shown); i++)
    if (!varies[shown[i]] && shown[i] != x_axis && first != NULL)
      append_axis_value (fixed, &first->config, shown[i]);
  return g_strdup_printf ("%s%s%s", lead, fixed->len ? " — " : "", fixed->str);
}

gboolean
plot_sweep_draw (cairo_t *cr, double width, double height, const GArray *results,
                 const PlotOptions *opt_in, PlotFrame *frame_out, GError **error)
{
  PlotOptions defaults;
  plot_options_init (&defaults);
  const PlotOptions *opt = opt_in != NULL ? opt_in : &defaults;
  PlotFrame f;
  if (!plot_sweep_layout (results, opt, width, height, &f, error))
    return FALSE;
  if (frame_out != NULL)
    *frame_out = f;
  g_autoptr (GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) series = plot_sweep_series (results, f.x_axis, labels);

  cairo_save (cr);
  set_ink (cr, INK_PAPER);
  cairo_paint (cr);

  /* x ticks at the swept values when there are few, so each tick is a point of the grid */
  g_autoptr (GArray) x_ticks = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GHashTable) xs = g_hash_table_new (g_direct_hash, g_direct_equal);
  for (guint s = 0; s < series->len; s++)
    {
      GArray *idx = g_ptr_array_index (series, s);
      for (guint k = 0; k < idx->len; k++)
        g_hash_table_add (
            xs, GINT_TO_POINTER (axis_value (
                    &g_array_index (results, SweepResult, g_array_index (idx, guint, k)).config,
                    f.x_axis)));
    }
  if (g_hash_table_size (xs) <= 12)
    {
      GHashTableIter it;
      gpointer key;
      g_hash_table_iter_init (&it, xs);
      while (g_hash_table_iter_next (&it, &key, NULL))
        {
          double v = GPOINTER_TO_INT (key);
          g_array_append_val (x_ticks, v);
        }
      g_array_sort (x_ticks, cmp_double);
    }
  else
    {
      g_array_unref (x_ticks);
      x_ticks = f.x_log ? log_ticks (f.x_min, f.x_max) : plot_linear_ticks (f.x_min, f.x_max, 8);
    }
  g_autoptr (GArray) y_ticks = plot_linear_ticks (f.y_min, f.y_max, 6);
  const char *y_label
      = opt->y == PLOT_Y_TFLOPS ? "achieved TFLOPS" : "Cube utilisation (% of peak)";
  g_autofree char *x_label
      = g_strdup_printf ("%s%s", sweep_axis_label (f.x_axis), f.x_log ? ", log scale" : "");
  plot_draw_axes (cr, &f, x_ticks, y_ticks, x_label, y_label, opt->y == PLOT_Y_TFLOPS ? "" : "%");

  /* secondary axis: TFLOPS for utilisation when one preset (one peak) is shown */
  double peak = 0;
  gboolean one_peak = TRUE;
  for (guint i = 0; i < results->len; i++)
    {
      const SweepResult *r = &g_array_index (results, SweepResult, i);
      if (r->error != NULL)
        continue;
      if (peak != 0 && fabs (r->metrics.peak_tflops - peak) > 1e-6)
        one_peak = FALSE;
      peak = r->metrics.peak_tflops;
    }
  if (opt->y == PLOT_Y_UTILIZATION && one_peak && peak > 0)
    {
      plot_set_font (cr, FONT_SIZE - 1, FALSE);
      set_ink (cr, INK_TICK_TEXT);
      g_autoptr (GArray) t = plot_linear_ticks (0, f.y_max / 100 * peak, 6);
      for (guint i = 0; i < t->len; i++)
        {
          double v = g_array_index (t, double, i);
          char buf[32];
          plot_format_tick (buf, sizeof buf, v);
          plot_draw_text (cr, f.right + 6, plot_frame_y_px (&f, v / peak * 100), buf, 0.0, 0.5);
        }
      cairo_save (cr);
      cairo_translate (cr, f.right + 50, (f.top + f.bottom) / 2);
      cairo_rotate (cr, G_PI / 2);
      plot_set_font (cr, FONT_SIZE, FALSE);
      plot_draw_text (cr, 0, 0, "TFLOPS", 0.5, 0.0);
      cairo_restore (cr);
    }

  cairo_save (cr);
  cairo_rectangle (cr, f.left, f.top, f.right - f.left, f.bottom - f.top);
  cairo_clip (cr);
  /* the Cube ceiling: 100 % of the peak (or each preset's peak in TFLOPS) */
  cairo_set_line_width (cr, 1.5);
  set_ink (cr, INK_REFERENCE);
  if (opt->y == PLOT_Y_UTILIZATION)
    {
      cairo_move_to (cr, f.left, plot_frame_y_px (&f, 100));
      cairo_line_to (cr, f.right, plot_frame_y_px (&f, 100));
    }
  cairo_stroke (cr);
  if (opt->y == PLOT_Y_TFLOPS)
    {
      /* one labelled ceiling per preset */
      g_autoptr (GHashTable) drawn = g_hash_table_new (g_str_hash, g_str_equal);
      plot_set_font (cr, FONT_SIZE - 1, FALSE);
      for (guint i = 0; i < results->len; i++)
        {
          const SweepResult *r = &g_array_index (results, SweepResult, i);
          if (r->error != NULL || g_hash_table_contains (drawn, r->config.hw))
            continue;
          g_hash_table_add (drawn, (gpointer) r->config.hw);
          double py = plot_frame_y_px (&f, r->metrics.peak_tflops);
          cairo_move_to (cr, f.left, py);
          cairo_line_to (cr, f.right, py);
          cairo_stroke (cr);
          char buf[160];
          g_snprintf (buf, sizeof buf, "%s Cube peak %.1f TFLOPS", r->config.hw,
                      r->metrics.peak_tflops);
          plot_draw_text (cr, f.right - 6, py - 5, buf, 1.0, 0.0);
        }
    }
  if (opt->y == PLOT_Y_UTILIZATION && one_peak && peak > 0)
    {
      char buf[64];
      plot_set_font (cr, FONT_SIZE - 1, FALSE);
      g_snprintf (buf, sizeof buf, "Cube peak %.1f TFLOPS", peak);
      plot_draw_text (cr, f.right - 6, plot_frame_y_px (&f, 100) - 5, buf, 1.0, 0.0);
    }

  /* memory roof, per series (series that differ only in toggles share it) */
  gboolean roof_visible = FALSE;
  static const double roof_dash[] = { 5, 4 };
  cairo_set_dash (cr, roof_dash, 2, 0);
  set_ink (cr, INK_ROOF);
  for (guint s = 0; s < series->len; s++)
    {
      GArray *idx = g_ptr_array_index (series, s);
      for (guint k = 0; k < idx->len; k++)
        {
          const SweepResult *r
              = &g_array_index (results, SweepResult, g_array_index (idx, guint, k));
          /* attainable: the roof never rises above the preset's own Cube peak */
          double roof = MIN (memory_roof_tflops (r), r->metrics.peak_tflops);
          double v = opt->y == PLOT_Y_TFLOPS ? roof : roof / r->metrics.peak_tflops * 100;
          double px = plot_frame_x_px (&f, axis_value (&r->config, f.x_axis));
          roof_visible |= roof < r->metrics.peak_tflops * 0.999;
          if (k == 0)
            cairo_move_to (cr, px, plot_frame_y_px (&f, v));
          else
            cairo_line_to (cr, px, plot_frame_y_px (&f, v));
        }
      cairo_stroke (cr);
    }
  cairo_set_dash (cr, NULL, 0, 0);

  /* the series: lines, then markers on top */
  cairo_set_line_width (cr, 2);
  for (guint s = 0; s < series->len; s++)
    {
      GArray *idx = g_ptr_array_index (series, s);
      set_series_style (cr, s);
      for (guint k = 0; k < idx->len; k++)
        {
          const SweepResult *r
              = &g_array_index (results, SweepResult, g_array_index (idx, guint, k));
          double px = plot_frame_x_px (&f, axis_value (&r->config, f.x_axis));
          double py = plot_frame_y_px (&f, y_value (r, opt->y));
          if (k == 0)
            cairo_move_to (cr, px, py);
          else
            cairo_line_to (cr, px, py);
        }
      cairo_stroke (cr);
      cairo_set_dash (cr, NULL, 0, 0);
      for (guint k = 0; k < idx->len; k++)
        {
          const SweepResult *r
              = &g_array_index (results, SweepResult, g_array_index (idx, guint, k));
          draw_marker (cr, s, plot_frame_x_px (&f, axis_value (&r->config, f.x_axis)),
                       plot_frame_y_px (&f, y_value (r, opt->y)), MARKER_RADIUS + 0.5);
        }
    }
  cairo_restore (cr);

  g_autofree LegendEntry *entries = g_new0 (LegendEntry, series->len + 2);
  for (guint s = 0; s < series->len; s++)
    entries[s] = (LegendEntry){ g_ptr_array_index (labels, s), (int) s, TRUE, FALSE };
  entries[series->len] = (LegendEntry){ "Cube peak (ceiling)", -1, FALSE, FALSE };
  entries[series->len + 1]
      = (LegendEntry){ roof_visible ? "memory roof (KV once)" : "memory roof: above the peak", -2,
                       FALSE, FALSE };
  draw_legend (cr, &f, entries, series->len + 2);

  plot_set_font (cr, TITLE_SIZE, TRUE);
  set_ink (cr, INK_TEXT);
  g_autofree char *title = opt->title != NULL
                               ? g_strdup (opt->title)
                               : fixed_axes_title (results, "AMLA MLA decode", f.x_axis);
  plot_draw_text (cr, f.left, 24, title, 0.0, 0.0);
  cairo_restore (cr);
  return TRUE;
}

/* ---- roofline ---- */

gboolean
plot_roofline_layout (const GArray *results, double width, double height, PlotFrame *f,
                      GError **error)
{
  memset (f, 0, sizeof *f);
  double x_lo = G_MAXDOUBLE, x_hi = 0, y_lo = G_MAXDOUBLE, y_hi = 0;
  guint n = 0;
  for (guint i = 0; i < results->len; i++)
    {
      const SweepResult *r = &g_array_index (results, SweepResult, i);
      double ai = sweep_result_intensity (r);
      if (r->error != NULL || ai <= 0 || r->metrics.tflops <= 0)
        continue;
      n++;
      double ridge = r->metrics.peak_tflops * 1e12 / r->hbm_peak_bytes_per_s;
      x_lo = MIN (x_lo, MIN (ai, ridge));
      x_hi = MAX (x_hi, MAX (ai, ridge));
      y_lo = MIN (y_lo, r->metrics.tflops);
      y_hi = MAX (y_hi, r->metrics.peak_tflops);
    }
  if (n == 0)
    {
      g_set_error (error, PLOT_ERROR, PLOT_ERROR_INVALID,
                   "no runs with HBM traffic and a positive TFLOPS to place on a roofline");
      return FALSE;
    }
  f->x_log = f->y_log = TRUE;
  f->x_min = x_lo / 2.5;
  f->x_max = x_hi * 2.5;
  f->y_min = MIN (y_lo, y_hi / 10) / 2;
  f->y_max = y_hi * 1.6;
  f->x_axis = SWEEP_N_AXES;
  g_autoptr (GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) series = plot_sweep_series (results, SWEEP_N_AXES, labels);
  f->n_series = series->len;
  double legend = legend_width (labels, NULL);
  place_legend (f, width, height, legend, series->len, 24, 16);
  if (f->right - f->left < 100 || f->bottom - f->top < 80)
    {
      g_set_error (error, PLOT_ERROR, PLOT_ERROR_INVALID,
                   "a %gx%g image is too small for the roofline", width, height);
      return FALSE;
    }
  return TRUE;
}

gboolean
plot_roofline_draw (cairo_t *cr, double width, double height, const GArray *results,
                    PlotFrame *frame_out, GError **error)
{
  PlotFrame f;
  if (!plot_roofline_layout (results, width, height, &f, error))
    return FALSE;
  if (frame_out != NULL)
    *frame_out = f;
  /* points are grouped by everything that varies, as in the sweep plot */
  g_autoptr (GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) series = plot_sweep_series (results, SWEEP_N_AXES, labels);

  cairo_save (cr);
  set_ink (cr, INK_PAPER);
  cairo_paint (cr);
  g_autoptr (GArray) x_ticks = log_ticks (f.x_min, f.x_max);
  g_autoptr (GArray) y_ticks = log_ticks (f.y_min, f.y_max);
  plot_draw_axes (cr, &f, x_ticks, y_ticks, "arithmetic intensity (FLOP per HBM byte, log scale)",
                  "achieved TFLOPS (log scale)", "");

  cairo_save (cr);
  cairo_rectangle (cr, f.left, f.top, f.right - f.left, f.bottom - f.top);
  cairo_clip (cr);
  /* roofs of each preset present: bandwidth slope up to the ridge, then the compute roof */
  g_autoptr (GHashTable) drawn = g_hash_table_new (g_str_hash, g_str_equal);
  plot_set_font (cr, FONT_SIZE - 1, FALSE);
  for (guint i = 0; i < results->len; i++)
    {
      const SweepResult *r = &g_array_index (results, SweepResult, i);
      if (r->error != NULL || r->hbm_peak_bytes_per_s <= 0
          || g_hash_table_contains (drawn, r->config.hw))
        continue;
      g_hash_table_add (drawn, (gpointer) r->config.hw);
      double peak = r->metrics.peak_tflops, bw_tb = r->hbm_peak_bytes_per_s / 1e12;
      double ridge = peak / bw_tb;
      set_ink (cr, INK_REFERENCE);
      cairo_set_line_width (cr, 2);
      cairo_move_to (cr, plot_frame_x_px (&f, f.x_min), plot_frame_y_px (&f, f.x_min * bw_tb));
      cairo_line_to (cr, plot_frame_x_px (&f, ridge), plot_frame_y_px (&f, peak));
      cairo_line_to (cr, plot_frame_x_px (&f, f.x_max), plot_frame_y_px (&f, peak));
      cairo_stroke (cr);
      static const double dash[] = { 3, 3 };
      cairo_set_dash (cr, dash, 2, 0);
      cairo_set_line_width (cr, 1);
      cairo_move_to (cr, plot_frame_x_px (&f, ridge), plot_frame_y_px (&f, peak));
      cairo_line_to (cr, plot_frame_x_px (&f, ridge), f.bottom);
      cairo_stroke (cr);
      cairo_set_dash (cr, NULL, 0, 0);
      char buf[160];
      g_snprintf (buf, sizeof buf, "%s: Cube peak %.1f TFLOPS", r->config.hw, peak);
      plot_draw_text (cr, f.right - 6, plot_frame_y_px (&f, peak) - 6, buf, 1.0, 0.0);
      g_snprintf (buf, sizeof buf, "ridge %.0f FLOP/B", ridge);
      plot_draw_text (cr, plot_frame_x_px (&f, ridge) + 4, f.bottom - 8, buf, 0.0, 0.0);
      g_snprintf (buf, sizeof buf, "HBM %.2f TB/s", bw_tb);
      double bx = sqrt (f.x_min * ridge) / 1.5;
      cairo_save (cr);
      cairo_move_to (cr, plot_frame_x_px (&f, bx) + 4, plot_frame_y_px (&f, bx * bw_tb) - 6);
      double angle = atan2 (plot_frame_y_px (&f, ridge * bw_tb) - plot_frame_y_px (&f, bx * bw_tb),
                            plot_frame_x_px (&f, ridge) - plot_frame_x_px (&f, bx));
      cairo_rotate (cr, angle);
      cairo_show_text (cr, buf);
      cairo_restore (cr);
    }
  for (guint s = 0; s < series->len; s++)
    {
      GArray *idx = g_ptr_array_index (series, s);
      set_series_style (cr, s);
      cairo_set_dash (cr, NULL, 0, 0);
      for (guint k = 0; k < idx->len; k++)
        {
          const SweepResult *r
              = &g_array_index (results, SweepResult, g_array_index (idx, guint, k));
          double ai = sweep_result_intensity (r);
          if (ai <= 0 || r->metrics.tflops <= 0)
            continue;
          draw_marker (cr, s, plot_frame_x_px (&f, ai), plot_frame_y_px (&f, r->metrics.tflops),
                       MARKER_RADIUS + 1);
        }
    }
  cairo_restore (cr);

  g_autofree LegendEntry *entries = g_new0 (LegendEntry, series->len);
  for (guint s = 0; s < series->len; s++)
    entries[s] = (LegendEntry){ g_ptr_array_index (labels, s), (int) s, TRUE, TRUE };
  draw_legend (cr, &f, entries, series->len);
  plot_set_font (cr, TITLE_SIZE, TRUE);
  set_ink (cr, INK_TEXT);
  plot_draw_text (cr, f.left, 24, "Roofline: each point is one run", 0.0, 0.0);
  cairo_restore (cr);
  return TRUE;
}

/* ---- hit testing ---- */

gboolean
plot_result_point_px (const SweepResult *r, PlotKind kind, PlotY y, const PlotFrame *f,
                      double *x_px, double *y_px)
{
  if (r->error != NULL)
    return FALSE;
  double x, v;
  if (kind == PLOT_KIND_ROOFLINE)
    {
      x = sweep_result_intensity (r);
      v = r->metrics.tflops;
      if (x <= 0 || v <= 0)
        return FALSE;
    }
  else
    {
      x = axis_value (&r->config, f->x_axis);
      v = y_value (r, y);
    }
  *x_px = plot_frame_x_px (f, x);
  *y_px = plot_frame_y_px (f, v);
  return TRUE;
}

/* ---- files ---- */

static cairo_status_t
append_bytes (void *closure, const unsigned char *data, unsigned int length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

static gboolean
check_plot_name (const char *path, GError **error)
{
  if (sim_image_format_from_path (path) != SIM_IMAGE_FORMAT_UNKNOWN)
    return TRUE;
  g_set_error (error, PLOT_ERROR, PLOT_ERROR_INVALID,
               "%s: the plot file name must end in .png, .svg or .pdf", path);
  return FALSE;
}

/* Drawn into memory, then written atomically: a failed draw or write leaves the old file whole. */
gboolean
plot_write_image (const char *path, int width, int height, PlotDrawFunc draw, gpointer data,
                  GError **error)
{
  if (!check_plot_name (path, error))
    return FALSE;
  SimImageFormat fmt = sim_image_format_from_path (path);
  g_autoptr (GByteArray) bytes = g_byte_array_new ();
  cairo_surface_t *surface;
  if (fmt == SIM_IMAGE_FORMAT_PNG)
    surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, width, height);
  else if (fmt == SIM_IMAGE_FORMAT_SVG)
    surface = cairo_svg_surface_create_for_stream (append_bytes, bytes, width, height);
  else
    surface = cairo_pdf_surface_create_for_stream (append_bytes, bytes, width, height);
  cairo_t *cr = cairo_create (surface);
  gboolean ok = draw (cr, width, height, data, error);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  cairo_status_t status = CAIRO_STATUS_SUCCESS;
  if (ok && fmt == SIM_IMAGE_FORMAT_PNG)
    status = cairo_surface_write_to_png_stream (surface, append_bytes, bytes);
  cairo_surface_finish (surface);
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);
  if (ok && status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, PLOT_ERROR, PLOT_ERROR_WRITE, "%s: cannot write: %s", path,
                   cairo_status_to_string (status));
      return FALSE;
    }
  g_autoptr (GError) write_error = NULL;
  if (ok && !sim_write_file_atomic (path, (const char *) bytes->data, bytes->len, &write_error))
    {
      g_set_error_literal (error, PLOT_ERROR, PLOT_ERROR_WRITE, write_error->message);
      return FALSE;
    }
  return ok;
}

typedef struct
{
  PlotKind kind;
  const GArray *results;
  const PlotOptions *opt;
} KindDrawing;

static gboolean
draw_kind (cairo_t *cr, int w, int h, gpointer data, GError **error)
{
  const KindDrawing *d = data;
  return d->kind == PLOT_KIND_ROOFLINE
             ? plot_roofline_draw (cr, w, h, d->results, NULL, error)
             : plot_sweep_draw (cr, w, h, d->results, d->opt, NULL, error);
}

gboolean
plot_write_file (const char *path, PlotKind kind, const GArray *results, const PlotOptions *opt,
                 int width, int height, GError **error)
{
  if (!check_plot_name (path, error))
    return FALSE;
  /* check the data before touching the file system */
  PlotFrame f;
  gboolean ok = kind == PLOT_KIND_ROOFLINE
                    ? plot_roofline_layout (results, width, height, &f, error)
                    : plot_sweep_layout (results, opt, width, height, &f, error);
  if (!ok)
    return FALSE;
  KindDrawing d = { kind, results, opt };
  return plot_write_image (path, width, height, draw_kind, &d, error);
}
