/* src/render/timeline-labels.c — the ruler (ticks from the time origin, its offset) and the
 * label column (group headers, lane and counter names, their scale), and the column's width for
 * export (see timeline.h). */
#include "src/render/render-private.h"

#include <math.h>
#include <string.h>

/* ---------------------------------------------------------------- ruler and labels */

void
_tl_draw_ruler (cairo_t *cr, const TlView *view, const TlTicks *ticks)
{
  const TlTimeMap *m = &view->map;
  double bg[4], fg[4], dim[4], grid[4];
  tl_theme_color (view->theme, TL_COLOR_HEADER, bg);
  tl_theme_color (view->theme, TL_COLOR_TEXT, fg);
  tl_theme_color (view->theme, TL_COLOR_TEXT_DIM, dim);
  tl_theme_color (view->theme, TL_COLOR_GRID, grid);
  double h = view->ruler_height_px;
  cairo_set_source_rgb (cr, bg[0], bg[1], bg[2]);
  cairo_rectangle (cr, 0, 0, view->width_px, h);
  cairo_fill (cr);
  cairo_save (cr);
  cairo_rectangle (cr, m->x0_px, 0, m->width_px, h);
  cairo_clip (cr);
  /* minor ticks */
  cairo_set_source_rgb (cr, dim[0], dim[1], dim[2]);
  cairo_set_line_width (cr, 1);
  double origin = view->time_origin_ns;
  double first_minor
      = origin + ceil ((m->t0_ns - origin) / ticks->minor_step_ns) * ticks->minor_step_ns;
  for (int i = 0; i < 4 * TL_MAX_TICKS; i++)
    {
      double t = first_minor + i * ticks->minor_step_ns;
      if (t > m->t1_ns)
        break;
      double x = floor (tl_time_to_x (m, t)) + 0.5;
      cairo_move_to (cr, x, h - 4);
      cairo_line_to (cr, x, h);
    }
  cairo_stroke (cr);
  for (int i = 0; i < ticks->n; i++)
    {
      double x = floor (tl_time_to_x (m, ticks->t_ns[i])) + 0.5;
      cairo_move_to (cr, x, h * 0.45);
      cairo_line_to (cr, x, h);
    }
  cairo_stroke (cr);
  char buf[64];
  for (int i = 0; i < ticks->n; i++)
    {
      double x = floor (tl_time_to_x (m, ticks->t_ns[i]));
      tl_ticks_format (ticks, ticks->t_ns[i] - origin, buf, sizeof buf);
      if (x + 3 + _tl_text_width (cr, buf, view->font_size, FALSE) > m->x0_px + m->width_px)
        continue; /* never clip a label at the right edge */
      _tl_draw_text (cr, view, buf, x + 3, h * 0.45 + view->font_size * 0.2, view->font_size, FALSE,
                     TL_TEXT_LEFT, fg);
    }
  cairo_restore (cr);
  if (origin != 0)
    {
      /* the axis counts from the first event: say where that is, in the label column */
      char line[96];
      double a = fabs (origin);
      /* enough digits to place the first event to the nanosecond */
      if (a >= 1e9)
        g_snprintf (line, sizeof line, "0 = %.6f s", origin / 1e9);
      else if (a >= 1e6)
        g_snprintf (line, sizeof line, "0 = %.3f ms", origin / 1e6);
      else if (a >= 1e3)
        g_snprintf (line, sizeof line, "0 = %.3f \u00b5s", origin / 1e3);
      else
        g_snprintf (line, sizeof line, "0 = %.0f ns", origin);
      double fs = view->font_size * 0.85;
      _tl_draw_text_fit (cr, view, line, m->x0_px - 10, 6, h * 0.45 + fs * 0.2, fs, FALSE,
                         TL_TEXT_LEFT, dim);
    }
  /* bottom rule */
  cairo_set_source_rgb (cr, grid[0], grid[1], grid[2]);
  cairo_rectangle (cr, 0, h - 1, view->width_px, 1);
  cairo_fill (cr);
}

void
_tl_draw_labels (cairo_t *cr, const TlView *view, const SimTrace *trace, GArray *rows, double top,
                 double bottom)
{
  double bg[4], hdr[4], fg[4], dim[4], grid[4];
  tl_theme_color (view->theme, TL_COLOR_BACKGROUND, bg);
  tl_theme_color (view->theme, TL_COLOR_HEADER, hdr);
  tl_theme_color (view->theme, TL_COLOR_TEXT, fg);
  tl_theme_color (view->theme, TL_COLOR_TEXT_DIM, dim);
  tl_theme_color (view->theme, TL_COLOR_GRID, grid);
  double lw = view->label_width_px;
  cairo_set_source_rgb (cr, bg[0], bg[1], bg[2]);
  cairo_rectangle (cr, 0, top, lw, bottom - top);
  cairo_fill (cr);
  char buf[256];
  double fs = view->font_size;
  for (guint i = 0; i < rows->len; i++)
    {
      const Row *r = &g_array_index (rows, Row, i);
      if (r->y + r->h <= top || r->y >= bottom)
        continue;
      if (r->kind == ROW_HEADER)
        {
          const SimGroup *grp = g_ptr_array_index (trace->groups, r->group);
          gboolean collapsed = view->group_collapsed != NULL && view->group_collapsed[r->group];
          cairo_set_source_rgb (cr, hdr[0], hdr[1], hdr[2]);
          cairo_rectangle (cr, 0, r->y, lw, r->h);
          cairo_fill (cr);
          g_autofree char *s
              = g_strdup_printf ("%s %s", collapsed ? "\u25b8" : "\u25be", grp->name);
          _tl_draw_text_fit (cr, view, s, lw - 10, 6, r->y + r->h / 2 + fs * 0.36, fs, TRUE,
                             TL_TEXT_LEFT, fg);
        }
      else if (r->kind == ROW_LANE)
        {
          const SimLane *lane = sim_trace_lane (trace, r->group, r->lane);
          /* a pinned lane is away from its group: it says whose it is */
          g_autofree char *name
              = r->pinned ? g_strdup_printf (
                    "%s %s", ((SimGroup *) g_ptr_array_index (trace->groups, r->group))->name,
                    lane->name)
                          : NULL;
          _tl_draw_text_fit (cr, view, name ? name : lane->name, lw - 24, r->pinned ? 6 : 18,
                             r->y + view->lane_height_px / 2 + fs * 0.36, fs, r->pinned,
                             TL_TEXT_LEFT, fg);
        }
      else
        {
          const SimCounter *c = g_ptr_array_index (trace->counters, r->counter);
          _tl_draw_text_fit (cr, view, c->name, lw - 24, 18, r->y + fs * 1.1, fs * 0.92, FALSE,
                             TL_TEXT_LEFT, fg);
          /* the scale of the chart: the hardware's capacity when known, else the run's peak */
          tl_counter_scale_text (c, _tl_counter_capacity (view, r->counter), buf, sizeof buf);
          _tl_draw_text (cr, view, buf, 18, r->y + r->h - fs * 0.35, fs * 0.8, FALSE, TL_TEXT_LEFT,
                         dim);
        }
    }
  /* the column's right edge */
  cairo_set_source_rgb (cr, grid[0], grid[1], grid[2]);
  cairo_rectangle (cr, lw - 1, top, 1, bottom - top);
  cairo_fill (cr);
}

static int
_tl_cmp_desc_i64 (gconstpointer a, gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;
  return x < y ? 1 : x > y ? -1 : 0;
}

double
tl_render_labels_width (const TlView *view, const SimTrace *trace)
{
  /* every label with its font: 0 group header, 1 lane, 2 counter name, 3 counter scale line */
  typedef struct
  {
    char *text;
    int font;
  } Label;
  GArray *labels = g_array_new (FALSE, FALSE, sizeof (Label));
  for (guint g = 0; g < trace->groups->len; g++)
    {
      if (_tl_group_hidden (view, g))
        continue;
      const SimGroup *grp = g_ptr_array_index (trace->groups, g);
      Label head = { g_strdup_printf ("\u25be %s", grp->name), 0 };
      g_array_append_val (labels, head);
      for (guint l = 0; l < grp->lanes->len; l++)
        {
          Label lane = { g_strdup (((SimLane *) g_ptr_array_index (grp->lanes, l))->name), 1 };
          g_array_append_val (labels, lane);
        }
    }
  if (view->show_counters)
    for (guint i = 0; i < trace->counters->len; i++)
      {
        const SimCounter *c = g_ptr_array_index (trace->counters, i);
        if (c->group >= 0 && (guint) c->group < trace->groups->len
            && _tl_group_hidden (view, (guint) c->group))
          continue;
        Label name = { g_strdup (c->name), 2 };
        g_array_append_val (labels, name);
        /* the scale line under it: "observed peak 1573 GB/s" */
        char scale[128];
        tl_counter_scale_text (c, _tl_counter_capacity (view, (int) i), scale, sizeof scale);
        Label line = { g_strdup (scale), 3 };
        g_array_append_val (labels, line);
      }
  /* measuring text costs ~40 us a label: a trace with hundreds of thousands of tracks measures
   * only its longest labels (by characters), which hold the widest one in practice */
  const guint max_measured = 4096;
  if (labels->len > max_measured)
    {
      GArray *keyed = g_array_sized_new (FALSE, FALSE, sizeof (gint64), labels->len);
      for (guint i = 0; i < labels->len; i++)
        {
          gint64 k = (gint64) g_utf8_strlen (g_array_index (labels, Label, i).text, -1) << 32 | i;
          g_array_append_val (keyed, k);
        }
      g_array_sort (keyed, (GCompareFunc) _tl_cmp_desc_i64);
      GArray *kept = g_array_new (FALSE, FALSE, sizeof (Label));
      for (guint i = 0; i < labels->len; i++)
        {
          guint at = (guint) (g_array_index (keyed, gint64, i) & 0xffffffff);
          Label *lb = &g_array_index (labels, Label, at);
          if (i < max_measured)
            g_array_append_val (kept, *lb);
          else
            g_free (lb->text);
        }
      g_array_unref (keyed);
      g_array_unref (labels);
      labels = kept;
    }
  cairo_surface_t *surf = cairo_image_surface_create (CAIRO_FORMAT_A8, 1, 1);
  cairo_t *cr = cairo_create (surf);
  double fs = view->font_size, w = 0;
  static const double font_scale[] = { 1, 1, 0.92, 0.8 };
  for (guint i = 0; i < labels->len; i++)
    {
      const Label *lb = &g_array_index (labels, Label, i);
      w = MAX (w, _tl_text_width (cr, lb->text, fs * font_scale[lb->font], lb->font == 0)
                      + (lb->font == 0 ? 10 : 24));
    }
  for (guint i = 0; i < labels->len; i++)
    g_free (g_array_index (labels, Label, i).text);
  g_array_unref (labels);
  cairo_destroy (cr);
  cairo_surface_destroy (surf);
  return ceil (w);
}

/* ---------------------------------------------------------------- legend */

/* The legend from (x, y) (top-left), or only its size when draw is FALSE: items left to right,
 * a new row before an item that would pass x + max_width (<= 0: one row).  Returns the rows; the
 * widest row's width in *width. */
static int
legend (cairo_t *cr, const TlView *view, guint stage_mask, double x, double y, double max_width,
        gboolean draw, double *width)
{
  if (stage_mask == 0)
    stage_mask = (1u << SIM_STAGE_C1) | (1u << SIM_STAGE_V1) | (1u << SIM_STAGE_C2)
                 | (1u << SIM_STAGE_V2);
  double size = view->font_size;
  double sw = size * 1.1, gap = size * 1.2, x0 = x, widest = 0;
  int rows = 1;
  double fg[4];
  tl_theme_color (view->theme, TL_COLOR_TEXT, fg);
  for (int s = SIM_STAGE_C1; s < SIM_N_STAGES; s++)
    {
      if (!(stage_mask & (1u << s)))
        continue;
      char label[64];
      g_snprintf (label, sizeof label, "%s %s", sim_stage_name ((SimStage) s),
                  tl_stage_caption ((SimStage) s));
      double item = sw + size * 0.4 + _tl_text_width (cr, label, size, FALSE);
      if (max_width > 0 && x > x0 && x + item > x0 + max_width)
        {
          x = x0;
          y += TL_LEGEND_ROW * size;
          rows++;
        }
      double rgb[3];
      tl_stage_color ((SimStage) s, view->theme, rgb);
      if (draw)
        {
          cairo_set_source_rgb (cr, rgb[0], rgb[1], rgb[2]);
          cairo_rectangle (cr, x, y + (size * 1.4 - sw) / 2, sw, sw);
          cairo_fill (cr);
          _tl_draw_text (cr, view, label, x + sw + size * 0.4, y + size * 1.1, size, FALSE,
                         TL_TEXT_LEFT, fg);
        }
      widest = MAX (widest, x + item - x0);
      x += item + gap;
    }
  if (width != NULL)
    *width = widest;
  return rows;
}

double
tl_render_legend (cairo_t *cr, const TlView *view, guint stage_mask, double x, double y)
{
  double w;
  legend (cr, view, stage_mask, x, y, 0, TRUE, &w);
  return w;
}

int
tl_render_legend_wrapped (cairo_t *cr, const TlView *view, guint stage_mask, double x, double y,
                          double max_width, gboolean draw, double *width)
{
  cairo_save (cr);
  int rows = legend (cr, view, stage_mask, x, y, max_width, draw, width);
  cairo_restore (cr);
  return rows;
}

double
_tl_legend_width (cairo_t *cr, const TlView *view, guint stage_mask)
{
  double w;
  tl_render_legend_wrapped (cr, view, stage_mask, 0, 0, 0, FALSE, &w);
  return w;
}
