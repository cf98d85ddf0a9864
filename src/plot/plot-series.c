/* src/plot/plot-series.c — the series of a plot: the colour-blind-safe palette, marker shapes,
 * light/dark inks, and the sweep results turned into series (axis values, which axes vary, x). */
#include "src/plot/plot-private.h"

#include <math.h>
#include <string.h>

static const cairo_user_data_key_t dark_key; /* set on a cairo context: draw in dark colours */

/* Okabe & Ito's colour-blind-safe set (its yellow darkened to read on white), in an order where
 * neighbours differ in lightness too; each series also has its own marker shape, so no pair of
 * series is told apart by hue alone (the 8 toggle combinations were red/green pairs before). */
#define RGB8(h)                                                                                    \
  {                                                                                                \
    ((h) >> 16 & 0xff) / 255.0, ((h) >> 8 & 0xff) / 255.0, ((h) &0xff) / 255.0                     \
  }
static const double palette[][3] = {
  RGB8 (0x0072b2), RGB8 (0xe69f00), RGB8 (0x009e73), RGB8 (0xcc79a7),
  RGB8 (0x56b4e9), RGB8 (0xd55e00), RGB8 (0x000000), RGB8 (0xb59b00),
};

/* Marker shapes by series: circle, square, triangle, diamond, inverted triangle, plus, cross,
 * star — filled (plus and cross stroked thick), about r in radius. */
void
plot_draw_marker (cairo_t *cr, guint i, double x, double y, double r)
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

void
plot_set_dark (cairo_t *cr, gboolean dark)
{
  cairo_set_user_data (cr, &dark_key, dark ? GINT_TO_POINTER (1) : NULL, NULL);
}

void
plot_set_ink (cairo_t *cr, Ink which)
{
  static const double light[N_INKS][3] = {
    { 1, 1, 1 },       { 0.9, 0.9, 0.9 },    { 0.2, 0.2, 0.2 },   { 0.3, 0.3, 0.3 },
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

void
plot_set_series_style (cairo_t *cr, guint i)
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

int
plot_axis_value (const AmlaConfig *c, SweepAxis axis)
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

void
plot_append_axis_value (GString *s, const AmlaConfig *c, SweepAxis axis)
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
void
plot_varying_axes (const GArray *results, gboolean varies[SWEEP_N_AXES])
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
            && plot_axis_value (&r->config, (SweepAxis) a)
                   != plot_axis_value (&first->config, (SweepAxis) a))
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
        g_hash_table_add (seen, GINT_TO_POINTER (plot_axis_value (&r->config, axis) + 1));
    }
  return g_hash_table_size (seen);
}

SweepAxis
plot_choose_x_axis (const GArray *results, SweepAxis wanted)
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
  int xa = plot_axis_value (&g_array_index (results, SweepResult, *(const guint *) a).config, axis);
  int xb = plot_axis_value (&g_array_index (results, SweepResult, *(const guint *) b).config, axis);
  return (xa > xb) - (xa < xb);
}

GPtrArray *
plot_sweep_series (const GArray *results, SweepAxis x_axis, GPtrArray *labels)
{
  gboolean varies[SWEEP_N_AXES];
  plot_varying_axes (results, varies);
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
          plot_append_axis_value (key, &r->config, (SweepAxis) a);
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
double
plot_memory_roof_tflops (const SweepResult *r)
{
  const AmlaConfig *c = &r->config;
  double kv = (double) c->batch * c->kv_len * AMLA_HEAD_DIM_QK * 2;
  double q_o = (double) c->batch * c->heads * c->sq * (AMLA_HEAD_DIM_QK + AMLA_HEAD_DIM_V) * 2;
  return r->metrics.flops / (kv + q_o) * r->hbm_peak_bytes_per_s / 1e12;
}

double
plot_y_value (const SweepResult *r, PlotY y)
{
  return y == PLOT_Y_TFLOPS ? r->metrics.tflops : r->metrics.cube_utilization * 100.0;
}
