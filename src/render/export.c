/* src/render/export.c — timeline images through cairo surfaces (see export.h). */
#include "src/render/export.h"

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <json.h>
#include <math.h>
#include <string.h>

#include "sim/trace/trace-json.h"
#include "src/render/render-private.h"

#define PNG_MAX_SIDE 32767 /* cairo image surfaces stop here */
/* cairo keeps vector coordinates in 24.8 fixed point; past this a PDF/SVG page aborts in cairo */
#define VECTOR_MAX_SIDE 8388607.0

G_DEFINE_QUARK (tl-export-error-quark, tl_export_error)

void
tl_export_options_init (TlExportOptions *opt)
{
  memset (opt, 0, sizeof *opt);
  opt->counters = TRUE;
  opt->theme = TL_THEME_LIGHT;
  opt->hl_stage = opt->hl_task = opt->hl_iter = -1;
}

TlExportFormat
tl_export_format_from_path (const char *path)
{
  return (TlExportFormat) sim_image_format_from_path (path);
}

const char *
tl_export_format_name (TlExportFormat format)
{
  switch (format)
    {
    case TL_EXPORT_PNG: return "PNG";
    case TL_EXPORT_SVG: return "SVG";
    case TL_EXPORT_PDF: return "PDF";
    default: return "auto";
    }
}

/* ---------------------------------------------------------------- otherData */

static json_object *
other_data_member (const SimTrace *trace, json_object **root, const char *key)
{
  *root = NULL;
  if (trace->other_data_json == NULL)
    return NULL;
  *root = json_tokener_parse (trace->other_data_json);
  json_object *v = NULL;
  if (*root != NULL && json_object_is_type (*root, json_type_object)
      && json_object_object_get_ex (*root, key, &v) && json_object_is_type (v, json_type_object))
    return v;
  return NULL;
}

static const char *
first_of (json_object *obj, const char *const *keys, json_object **out)
{
  for (int i = 0; keys[i]; i++)
    if (json_object_object_get_ex (obj, keys[i], out))
      return keys[i];
  return NULL;
}

static char *
value_text (json_object *v)
{
  if (json_object_is_type (v, json_type_boolean))
    return g_strdup (json_object_get_boolean (v) ? "on" : "off");
  if (json_object_is_type (v, json_type_double))
    return g_strdup_printf ("%.4g", json_object_get_double (v));
  if (json_object_is_type (v, json_type_int) || json_object_is_type (v, json_type_string))
    return g_strdup (json_object_get_string (v));
  return NULL;
}

char *
tl_export_title (const SimTrace *trace)
{
  json_object *root;
  json_object *cfg = other_data_member (trace, &root, "config");
  GString *s = g_string_new (NULL);
  if (cfg != NULL)
    {
      /* shape first, then the toggles, then the preset — as amla_config_describe words it */
      static const struct
      {
        const char *label;
        const char *keys[4];
        gboolean toggle;
      } known[] = {
        { "B=", { "batch", "B", NULL }, FALSE },
        { "S_kv=", { "kv_len", "kv", "S_kv", NULL }, FALSE },
        { "S_q=", { "sq", "S_q", NULL }, FALSE },
        { "H=", { "heads", "H", NULL }, FALSE },
        { "preload ", { "preload", NULL }, TRUE },
        { "tiling ", { "tiling", NULL }, TRUE },
        { "rescale ", { "rescale", NULL }, TRUE },
        { "", { "hw", "preset", NULL }, TRUE },
      };
      GString *shape = g_string_new (NULL);
      for (gsize i = 0; i < G_N_ELEMENTS (known); i++)
        {
          json_object *v;
          if (first_of (cfg, known[i].keys, &v) == NULL)
            continue;
          g_autofree char *txt = value_text (v);
          if (txt == NULL)
            continue;
          GString *dst = known[i].toggle ? s : shape;
          if (dst->len)
            g_string_append (dst, known[i].toggle ? " · " : " ");
          g_string_append_printf (dst, "%s%s", known[i].label, txt);
        }
      if (shape->len && s->len)
        g_string_prepend (s, " · ");
      g_string_prepend (s, shape->str);
      g_string_free (shape, TRUE);
      if (s->len == 0)
        {
          /* not our config: its scalar members as key=value */
          json_object_object_foreach (cfg, key, val)
          {
            g_autofree char *txt = value_text (val);
            if (txt)
              g_string_append_printf (s, "%s%s=%s", s->len ? " · " : "", key, txt);
          }
        }
    }
  /* a what-if run (amlasim --set) says so, with the changed preset fields */
  json_object *hw, *what_if;
  if (root != NULL && s->len && json_object_object_get_ex (root, "hw", &hw)
      && json_object_object_get_ex (hw, "what_if", &what_if)
      && json_object_is_type (what_if, json_type_array))
    for (gsize i = 0; i < json_object_array_length (what_if); i++)
      {
        const char *key = json_object_get_string (json_object_array_get_idx (what_if, i));
        json_object *v;
        if (key != NULL && json_object_object_get_ex (hw, key, &v))
          g_string_append_printf (s, "%s%s=%g", i ? ", " : " · what-if ", key,
                                  json_object_get_double (v));
      }
  if (root)
    json_object_put (root);
  if (s->len == 0)
    {
      if (trace->source != NULL && strcmp (trace->source, "simulation") != 0)
        {
          g_autofree char *base = g_path_get_basename (trace->source);
          g_string_append (s, base);
        }
      else
        g_string_append (s, "amlaviz timeline");
    }
  return g_string_free (s, FALSE);
}

typedef struct
{
  char label[64];
  char value[96];
} MetricCell;

/* Cells for the metrics box, plus a free-text reason line. */
static GArray *
metric_cells (const SimTrace *trace, char **reason)
{
  GArray *cells = g_array_new (FALSE, TRUE, sizeof (MetricCell));
  *reason = NULL;
  json_object *root;
  json_object *m = other_data_member (trace, &root, "metrics");
  if (m == NULL)
    {
      if (root)
        json_object_put (root);
      return cells;
    }
  static const struct
  {
    const char *key, *label;
    char kind; /* t = ns duration, p = fraction as %, f = number, s = string */
  } known[] = {
    { "total_ns", "Total time", 't' },       { "tflops", "TFLOPS", 'f' },
    { "cube_utilization", "Cube utilisation", 'p' },
    { "cube_vector_overlap", "Cube ∩ Vector", 'p' },
    { "hbm_utilization", "HBM busy", 'p' },   { "bound", "Bound by", 's' },
  };
  GHashTable *used = g_hash_table_new (g_str_hash, g_str_equal);
  for (gsize i = 0; i < G_N_ELEMENTS (known); i++)
    {
      json_object *v;
      if (!json_object_object_get_ex (m, known[i].key, &v) || v == NULL)
        continue;
      MetricCell c = { { 0 }, { 0 } };
      g_strlcpy (c.label, known[i].label, sizeof c.label);
      double d = json_object_get_double (v);
      switch (known[i].kind)
        {
        case 't': tl_format_duration (d, c.value, sizeof c.value); break;
        case 'p': g_snprintf (c.value, sizeof c.value, "%.1f %%", d <= 1.0 ? d * 100 : d); break;
        case 'f': g_snprintf (c.value, sizeof c.value, "%.1f", d); break;
        default: g_strlcpy (c.value, json_object_get_string (v), sizeof c.value); break;
        }
      g_array_append_val (cells, c);
      g_hash_table_add (used, (gpointer) known[i].key);
    }
  json_object *r;
  if ((json_object_object_get_ex (m, "bound_reason", &r)
       || json_object_object_get_ex (m, "reason", &r))
      && json_object_is_type (r, json_type_string))
    *reason = g_strdup (json_object_get_string (r));
  g_hash_table_add (used, (gpointer) "reason");
  g_hash_table_add (used, (gpointer) "bound_reason");
  /* a foreign metrics object: show its scalars, up to a box's worth */
  gboolean ours = cells->len > 0;
  json_object_object_foreach (m, key, val)
  {
    if (ours || cells->len >= 10 || g_hash_table_contains (used, key))
      continue;
    g_autofree char *txt = value_text (val);
    if (txt == NULL)
      continue;
    MetricCell c = { { 0 }, { 0 } };
    g_strlcpy (c.label, key, sizeof c.label);
    g_strlcpy (c.value, txt, sizeof c.value);
    g_array_append_val (cells, c);
  }
  g_hash_table_destroy (used);
  json_object_put (root);
  return cells;
}

/* ---------------------------------------------------------------- layout and drawing */

typedef struct
{
  const SimTrace *trace;
  const TlExportOptions *opt;
  TlExportFormat format;
  double width, font, margin;
  double t0_ns, t1_ns;
  char *title;
  GArray *cells;  /* MetricCell */
  char *reason;
  guint stage_mask; /* 0: no stage legend (a foreign trace) */
  GString *svg_text; /* SVG: <text> elements collected from the sink */
  double body_x, body_y; /* where the last page put the timeline */
} Export;

static void
svg_sink (gpointer data, const char *utf8, double x, double y, double size, gboolean bold,
          TlTextAlign align, const double rgba[4])
{
  Export *ex = data;
  /* XML 1.0 allows no C0 control but tab, newline and CR, not even as &#x1;: a span name from a
   * trace may hold any, so they become U+FFFD before escaping */
  g_autofree char *valid = g_utf8_make_valid (utf8, -1);
  GString *clean = g_string_sized_new (strlen (valid));
  for (const char *c = valid; *c; c++)
    {
      if ((guchar) *c < 0x20 && *c != '\t' && *c != '\n' && *c != '\r')
        g_string_append (clean, "\xef\xbf\xbd");
      else
        g_string_append_c (clean, *c);
    }
  g_autofree char *esc = g_markup_escape_text (clean->str, (gssize) clean->len);
  g_string_free (clean, TRUE);
  GString *o = ex->svg_text;
  g_string_append_printf (o, "<text x=\"%.2f\" y=\"%.2f\" font-size=\"%.2f\"", x, y, size);
  if (bold)
    g_string_append (o, " font-weight=\"bold\"");
  if (align == TL_TEXT_CENTER)
    g_string_append (o, " text-anchor=\"middle\"");
  else if (align == TL_TEXT_RIGHT)
    g_string_append (o, " text-anchor=\"end\"");
  g_string_append_printf (o, " fill=\"#%02x%02x%02x\"", (int) lround (rgba[0] * 255),
                          (int) lround (rgba[1] * 255), (int) lround (rgba[2] * 255));
  if (rgba[3] < 0.999)
    g_string_append_printf (o, " fill-opacity=\"%.2f\"", rgba[3]);
  g_string_append_printf (o, ">%s</text>\n", esc);
}

static double
ex_width (cairo_t *cr, const char *s, double size, gboolean bold)
{
  return _tl_text_width (cr, s, size, bold);
}

static void
ex_text (cairo_t *cr, Export *ex, const char *s, double x, double y, double size, gboolean bold,
         const double rgba[4])
{
  if (ex->svg_text != NULL)
    {
      double dx = x, dy = y;
      cairo_user_to_device (cr, &dx, &dy);
      svg_sink (ex, s, dx, dy, size, bold, TL_TEXT_LEFT, rgba);
      return;
    }
  _tl_show_text (cr, s, x, y, size, bold, TL_TEXT_LEFT, rgba);
}

/* s cut to max_w with an ellipsis, as characters for the SVG's <text> (a copy; s itself when it
 * fits); drawn text is ellipsized by Pango (ex_text_fit). */
static char *
ex_fit (cairo_t *cr, const char *s, double size, gboolean bold, double max_w)
{
  if (ex_width (cr, s, size, bold) <= max_w)
    return g_strdup (s);
  glong n = g_utf8_strlen (s, -1);
  for (glong keep = n - 1; keep > 1; keep--)
    {
      g_autofree char *head = g_utf8_substring (s, 0, keep);
      char *t = g_strdup_printf ("%s\u2026", g_strchomp (head));
      if (ex_width (cr, t, size, bold) <= max_w)
        return t;
      g_free (t);
    }
  return g_strdup ("\u2026");
}

/* s within max_w: ellipsized by Pango when drawn, cut by ex_fit for the SVG. */
static void
ex_text_fit (cairo_t *cr, Export *ex, const char *s, double max_w, double x, double y,
             double size, gboolean bold, const double rgba[4])
{
  if (ex->svg_text != NULL)
    {
      g_autofree char *fit = ex_fit (cr, s, size, bold, max_w);
      ex_text (cr, ex, fit, x, y, size, bold, rgba);
    }
  else if (!_tl_show_text_fit (cr, s, max_w, x, y, size, bold, TL_TEXT_LEFT, rgba, NULL))
    ex_text (cr, ex, "\u2026", x, y, size, bold, rgba);
}

/* s broken into lines no wider than max_w, at spaces (a word wider than a line is left whole:
 * ex_text_fit ellipsizes it). */
static GPtrArray *
ex_wrap (cairo_t *cr, const char *s, double size, double max_w)
{
  GPtrArray *lines = g_ptr_array_new_with_free_func (g_free);
  g_auto (GStrv) words = g_strsplit (s, " ", -1);
  GString *line = g_string_new (NULL);
  for (guint i = 0; words[i]; i++)
    {
      if (words[i][0] == '\0')
        continue;
      g_autofree char *try = line->len ? g_strdup_printf ("%s %s", line->str, words[i])
                                       : g_strdup (words[i]);
      if (ex_width (cr, try, size, FALSE) <= max_w || line->len == 0)
        g_string_assign (line, try);
      else
        {
          g_ptr_array_add (lines, g_strdup (line->str));
          g_string_assign (line, words[i]);
        }
    }
  if (line->len)
    g_ptr_array_add (lines, g_strdup (line->str));
  g_string_free (line, TRUE);
  return lines;
}

/* Groups on a page: page_group >= 0 is that group alone, else the option's selection. */
static guint8 *
page_hidden (Export *ex, int page_group, guint *n_shown, guint64 *n_spans)
{
  guint ng = ex->trace->groups->len;
  guint8 *hidden = g_new0 (guint8, ng ? ng : 1);
  *n_shown = 0;
  *n_spans = 0;
  for (guint g = 0; g < ng; g++)
    {
      hidden[g] = page_group >= 0 ? (int) g != page_group
                                  : (ex->opt->groups != NULL && !ex->opt->groups[g]);
      if (!hidden[g])
        {
          SimGroup *grp = g_ptr_array_index (ex->trace->groups, g);
          (*n_shown)++;
          for (guint l = 0; l < grp->lanes->len; l++)
            *n_spans += ((SimLane *) g_ptr_array_index (grp->lanes, l))->n_spans;
        }
    }
  return hidden;
}

static void
setup_view (Export *ex, TlView *v, const guint8 *hidden)
{
  double f = ex->font;
  tl_view_init (v, ex->trace, ex->width - 2 * ex->margin, 100);
  v->font_size = f;
  v->label_width_px = round (f * 11);
  v->lane_height_px = round (f * 1.55);
  v->group_header_px = round (f * 1.7);
  v->ruler_height_px = round (f * 2.3);
  v->theme = ex->opt->theme;
  v->time_origin_ns = tl_export_time_origin_ns (ex->trace);
  v->show_legend = FALSE;
  v->show_counters = ex->opt->counters;
  v->show_flows = ex->opt->flows;
  v->group_hidden = hidden;
  /* the label column fits the longest label (up to a third of the page; beyond, ellipsized) */
  v->label_width_px = CLAMP (tl_render_labels_width (v, ex->trace), round (f * 11),
                             round ((ex->width - 2 * ex->margin) / 3));
  v->hl_stage = ex->opt->hl_stage;
  v->hl_task = ex->opt->hl_task;
  v->hl_iter = ex->opt->hl_iter;
  tl_view_fit (v, ex->trace);
  v->map.t0_ns = ex->t0_ns;
  v->map.t1_ns = ex->t1_ns;
  v->height_px = tl_render_content_height (v, ex->trace);
  if (ex->svg_text != NULL)
    {
      v->text_sink = svg_sink;
      v->text_sink_data = ex;
    }
}

double
tl_export_time_origin_ns (const SimTrace *trace)
{
  /* a profiler trace starts far into its clock (629 s for 1 ms of events): count from its first
   * event, as the window does; a run that starts near 0 keeps absolute time */
  return trace->start_ns > trace->end_ns - trace->start_ns ? trace->start_ns : 0;
}

/* Draw one page (or measure it when cr draws nowhere); returns its height. */
static double
draw_page (cairo_t *cr, Export *ex, int page_group, gboolean paint)
{
  const double f = ex->font, m = ex->margin, W = ex->width;
  double fg[4], dim[4], bg[4], grid[4];
  tl_theme_color (ex->opt->theme, TL_COLOR_TEXT, fg);
  tl_theme_color (ex->opt->theme, TL_COLOR_TEXT_DIM, dim);
  tl_theme_color (ex->opt->theme, TL_COLOR_BACKGROUND, bg);
  tl_theme_color (ex->opt->theme, TL_COLOR_GRID, grid);
  guint n_shown;
  guint64 n_spans;
  g_autofree guint8 *hidden = page_hidden (ex, page_group, &n_shown, &n_spans);
  TlView v;
  setup_view (ex, &v, hidden);

  double y = m;
  if (paint)
    {
      cairo_set_source_rgb (cr, bg[0], bg[1], bg[2]);
      cairo_paint (cr);
    }
  /* title: the configuration */
  double ts = f * 1.3;
  if (paint)
    {
      ex_text_fit (cr, ex, ex->title, W - 2 * m, m, y + ts, ts, TRUE, fg);
    }
  y += ts * 1.55;
  /* subtitle: what is shown */
  char a[32], b[32], d[32];
  /* times from the trace's first event, as the ruler counts (a profiler trace starts 629 s in) */
  double origin = v.time_origin_ns;
  tl_ticks_format (&(TlTicks) { .unit = tl_unit_for (ex->t1_ns - ex->t0_ns), .decimals = 1 },
                   ex->t0_ns - origin, a, sizeof a);
  tl_ticks_format (&(TlTicks) { .unit = tl_unit_for (ex->t1_ns - ex->t0_ns), .decimals = 1 },
                   ex->t1_ns - origin, b, sizeof b);
  tl_format_duration (ex->t1_ns - ex->t0_ns, d, sizeof d);
  g_autofree char *who = NULL;
  if (page_group >= 0)
    who = g_strdup (((SimGroup *) g_ptr_array_index (ex->trace->groups, page_group))->name);
  else
    who = g_strdup_printf ("%u of %u cores", n_shown, ex->trace->groups->len);
  g_autofree char *sub = g_strdup_printf ("%s · %s – %s (%s) · %'" G_GUINT64_FORMAT " spans",
                                          who, a, b, d, n_spans);
  double ss = f * 0.95;
  if (paint)
    {
      ex_text_fit (cr, ex, sub, W - 2 * m, m, y + ss, ss, FALSE, dim);
    }
  y += ss * 1.7;
  /* legend */
  if (ex->stage_mask != 0)
    {
      /* in as many rows as the page's width needs (a 200 px PNG cut the fourth stage off) */
      TlView lv = v;
      int rows = tl_render_legend_wrapped (cr, &lv, ex->stage_mask, m, y, W - 2 * m, paint, NULL);
      y += (rows - 1) * TL_LEGEND_ROW * lv.font_size + f * 1.4 + f * 0.5;
    }
  /* metrics box: label over value, cells left to right, wrapping */
  if (ex->opt->metrics && ex->cells->len > 0)
    {
      double pad = f * 0.6, x = m + pad, cell_h = f * 0.85 + f * 1.25 + f * 0.5;
      double y0 = y, row_y = y + pad;
      double lines = 1;
      for (guint i = 0; i < ex->cells->len; i++)
        {
          MetricCell *c = &g_array_index (ex->cells, MetricCell, i);
          double w = MAX (ex_width (cr, c->label, f * 0.85, FALSE),
                          ex_width (cr, c->value, f * 1.25, TRUE)) + f * 2;
          if (x + w > W - m && x > m + pad)
            {
              x = m + pad;
              row_y += cell_h;
              lines++;
            }
          if (paint)
            {
              ex_text (cr, ex, c->label, x, row_y + f * 0.85, f * 0.85, FALSE, dim);
              ex_text (cr, ex, c->value, x, row_y + f * 0.85 + f * 1.35, f * 1.25, TRUE, fg);
            }
          x += w;
        }
      double h = pad + lines * cell_h - f * 0.2;
      if (ex->reason != NULL)
        {
          /* the "bound by" reason, wrapped inside the box */
          g_autoptr (GPtrArray) wrapped = ex_wrap (cr, ex->reason, f * 0.9, W - 2 * m - 2 * pad);
          for (guint k = 0; k < wrapped->len; k++)
            {
              if (paint)
                ex_text_fit (cr, ex, g_ptr_array_index (wrapped, k), W - 2 * m - 2 * pad, m + pad,
                             y0 + h + f * 1.2 + k * f * 1.25, f * 0.9, FALSE, fg);
            }
          h += f * 1.7 + (wrapped->len > 1 ? (wrapped->len - 1) * f * 1.25 : 0);
        }
      if (paint)
        {
          cairo_set_source_rgb (cr, grid[0], grid[1], grid[2]);
          cairo_set_line_width (cr, 1);
          cairo_rectangle (cr, m + 0.5, y0 + 0.5, W - 2 * m - 1, h + pad * 0.5);
          cairo_stroke (cr);
        }
      y += h + pad * 0.5 + f * 0.9;
    }
  /* the timeline itself */
  ex->body_x = m;
  ex->body_y = y;
  if (paint)
    {
      cairo_save (cr);
      cairo_translate (cr, m, y);
      cairo_rectangle (cr, 0, 0, v.width_px, v.height_px);
      cairo_clip (cr);
      tl_render_draw (cr, &v, ex->trace);
      cairo_restore (cr);
      cairo_set_source_rgb (cr, grid[0], grid[1], grid[2]);
      cairo_set_line_width (cr, 1);
      cairo_rectangle (cr, m - 0.5, y - 0.5, v.width_px + 1, v.height_px + 1);
      cairo_stroke (cr);
    }
  y += v.height_px + m;
  return ceil (y);
}

static cairo_status_t
write_gstring (void *closure, const unsigned char *data, unsigned int len)
{
  g_string_append_len (closure, (const char *) data, len);
  return CAIRO_STATUS_SUCCESS;
}

static double
measure_page (Export *ex, int page_group)
{
  cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_A8, 1, 1);
  cairo_t *cr = cairo_create (s);
  double h = draw_page (cr, ex, page_group, FALSE);
  cairo_destroy (cr);
  cairo_surface_destroy (s);
  return h;
}

/* The PDF/SVG page (each page of a PDF with a page per core) must stay inside cairo's coordinate
 * range, as the PNG must stay inside its pixel limit: refuse with the size and what to do. */
static gboolean
vector_page_too_large (Export *ex, const TlExportOptions *opt, TlExportFormat format,
                       GError **error)
{
  const SimTrace *t = ex->trace;
  guint ng = t->groups->len;
  gboolean per_group = format == TL_EXPORT_PDF && opt->page_per_group && ng > 0;
  for (guint g = 0; g < (per_group ? ng : 1); g++)
    {
      if (per_group && opt->groups != NULL && !opt->groups[g])
        continue;
      double h = measure_page (ex, per_group ? (int) g : -1);
      if (ex->width > VECTOR_MAX_SIDE || h > VECTOR_MAX_SIDE)
        {
          g_set_error (error, TL_EXPORT_ERROR, TL_EXPORT_ERROR_TOO_LARGE,
                       "a%s %s page of %.0f x %.0f pt is larger than the %.0f pt cairo can draw: "
                       "export fewer cores or fewer counter tracks%s",
                       format == TL_EXPORT_PDF ? "" : "n", format == TL_EXPORT_PDF ? "PDF" : "SVG",
                       ex->width, h, VECTOR_MAX_SIDE,
                       format == TL_EXPORT_PDF && !per_group ? ", or a PDF page per core" : "");
          return TRUE;
        }
    }
  return FALSE;
}


static gboolean
check_cairo (cairo_status_t st, const char *what, GError **error)
{
  if (st == CAIRO_STATUS_SUCCESS)
    return TRUE;
  g_set_error (error, TL_EXPORT_ERROR, TL_EXPORT_ERROR_IO, "%s: %s", what,
               cairo_status_to_string (st));
  return FALSE;
}

static void
export_clear (Export *ex)
{
  g_free (ex->title);
  g_free (ex->reason);
  if (ex->cells)
    g_array_unref (ex->cells);
  if (ex->svg_text)
    g_string_free (ex->svg_text, TRUE);
  memset (ex, 0, sizeof *ex);
}

static gboolean
export_init (Export *ex, const SimTrace *trace, const TlExportOptions *opt, TlExportFormat format,
             GError **error)
{
  memset (ex, 0, sizeof *ex);
  if (format != TL_EXPORT_PNG && format != TL_EXPORT_SVG && format != TL_EXPORT_PDF)
    {
      g_set_error (error, TL_EXPORT_ERROR, TL_EXPORT_ERROR_FORMAT,
                   "unknown image format: use a .png, .svg or .pdf file name");
      return FALSE;
    }
  ex->trace = trace;
  ex->opt = opt;
  ex->format = format;
  gboolean vector = format != TL_EXPORT_PNG;
  ex->width = opt->width > 0 ? opt->width : vector ? 720 : 1600;
  if (ex->width < 200 || ex->width > 20000 || !isfinite (ex->width))
    {
      g_set_error (error, TL_EXPORT_ERROR, TL_EXPORT_ERROR_OPTIONS,
                   "image width %.0f is out of range (200 to 20000)", ex->width);
      return FALSE;
    }
  double scale = opt->scale > 0 ? opt->scale : 1;
  if (!vector && (scale < 0.25 || scale > 8 || !isfinite (scale)))
    {
      g_set_error (error, TL_EXPORT_ERROR, TL_EXPORT_ERROR_OPTIONS,
                   "scale %.3g is out of range (0.25 to 8)", scale);
      return FALSE;
    }
  /* print: ~8 pt text on a 10 in wide figure; screen: ~12 px at 1600 px */
  ex->font = vector ? CLAMP (ex->width / 90, 7, 13) : CLAMP (ex->width / 130, 9, 14);
  ex->margin = round (ex->font * 1.5);
  if (opt->has_range)
    {
      ex->t0_ns = opt->t0_ns;
      ex->t1_ns = opt->t1_ns;
      if (!isfinite (ex->t0_ns) || !isfinite (ex->t1_ns) || !(ex->t1_ns > ex->t0_ns))
        {
          g_set_error (error, TL_EXPORT_ERROR, TL_EXPORT_ERROR_OPTIONS,
                       "the time range must have its end after its start");
          return FALSE;
        }
    }
  else
    {
      ex->t0_ns = trace->start_ns;
      ex->t1_ns = trace->end_ns > trace->start_ns ? trace->end_ns : trace->start_ns + 1000;
    }
  guint ng = trace->groups->len, n_sel = 0;
  for (guint g = 0; g < ng; g++)
    n_sel += opt->groups == NULL || opt->groups[g];
  if (ng > 0 && n_sel == 0)
    {
      g_set_error (error, TL_EXPORT_ERROR, TL_EXPORT_ERROR_OPTIONS,
                   "no core group selected (the trace has %u)", ng);
      return FALSE;
    }
  /* the legend lists the stages the spans have (a run recorded in part: the run's, through
   * unrecorded_stages): an Ascend profiler trace's AI cores have none of them, and no legend */
  ex->stage_mask = tl_trace_stage_mask (trace) & ~1u;
  ex->title = opt->title ? g_strdup (opt->title) : tl_export_title (trace);
  ex->cells = metric_cells (trace, &ex->reason);
  if (format == TL_EXPORT_SVG)
    ex->svg_text = g_string_new (NULL);
  return TRUE;

}

gboolean
tl_export_view (const SimTrace *trace, const TlExportOptions *opt, TlExportFormat format,
                TlView *view, double *origin_x, double *origin_y, GError **error)
{
  Export ex;
  if (!export_init (&ex, trace, opt, format, error))
    return FALSE;
  measure_page (&ex, -1);
  setup_view (&ex, view, NULL);
  view->text_sink = NULL;
  view->text_sink_data = NULL;
  *origin_x = ex.body_x;
  *origin_y = ex.body_y;
  export_clear (&ex);
  return TRUE;
}

gboolean
tl_export_draw_page (cairo_t *cr, const SimTrace *trace, const TlExportOptions *opt,
                     TlExportFormat format, guint page, double *width, double *height,
                     guint *n_pages, GError **error)
{
  Export ex;
  if (!export_init (&ex, trace, opt, format, error))
    return FALSE;
  if (ex.svg_text != NULL)
    {
      /* same layout as the SVG (both vector), but glyphs instead of the <text> layer */
      g_string_free (ex.svg_text, TRUE);
      ex.svg_text = NULL;
    }
  /* the pages tl_export_bytes writes: the whole image, or (PDF) one per selected group */
  guint ng = trace->groups->len, count = 0;
  int page_group = -1;
  if (format == TL_EXPORT_PDF && opt->page_per_group && ng > 0)
    for (guint g = 0; g < ng; g++)
      if (opt->groups == NULL || opt->groups[g])
        {
          if (count == page)
            page_group = (int) g;
          count++;
        }
  if (count == 0)
    count = 1;
  if (page >= count)
    {
      g_set_error (error, TL_EXPORT_ERROR, TL_EXPORT_ERROR_OPTIONS,
                   "page %u does not exist (the image has %u)", page + 1, count);
      export_clear (&ex);
      return FALSE;
    }
  double h = measure_page (&ex, page_group);
  if (cr != NULL)
    {
      cairo_save (cr);
      cairo_rectangle (cr, 0, 0, ex.width, h);
      cairo_clip (cr);
      draw_page (cr, &ex, page_group, TRUE);
      cairo_restore (cr);
    }
  if (width)
    *width = ex.width;
  if (height)
    *height = h;
  if (n_pages)
    *n_pages = count;
  export_clear (&ex);
  return TRUE;
}

GBytes *
tl_export_bytes (const SimTrace *trace, const TlExportOptions *opt, TlExportFormat format,
                 GError **error)
{
  Export ex;
  if (!export_init (&ex, trace, opt, format, error))
    return NULL;
  double scale = opt->scale > 0 ? opt->scale : 1;
  guint ng = trace->groups->len;
  GString *out = g_string_new (NULL);
  gboolean ok = TRUE;
  if (format == TL_EXPORT_PNG)
    {
      double h = measure_page (&ex, -1);
      double pw = ceil (ex.width * scale), ph = ceil (h * scale);
      if (pw > PNG_MAX_SIDE || ph > PNG_MAX_SIDE)
        {
          g_set_error (error, TL_EXPORT_ERROR, TL_EXPORT_ERROR_TOO_LARGE,
                       "a PNG of %.0f x %.0f px is larger than the 32767 px cairo allows: "
                       "export fewer cores, a smaller scale, or PDF/SVG",
                       pw, ph);
          ok = FALSE;
        }
      else
        {
          cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_RGB24, (int) pw, (int) ph);
          cairo_t *cr = cairo_create (s);
          cairo_scale (cr, scale, scale);
          draw_page (cr, &ex, -1, TRUE);
          cairo_destroy (cr);
          ok = check_cairo (cairo_surface_status (s), "drawing the PNG", error)
               && check_cairo (cairo_surface_write_to_png_stream (s, write_gstring, out),
                               "encoding the PNG", error);
          cairo_surface_destroy (s);
        }
    }
  else if (vector_page_too_large (&ex, opt, format, error))
    ok = FALSE;
  else if (format == TL_EXPORT_SVG)
    {
      double h = measure_page (&ex, -1);
      cairo_surface_t *s = cairo_svg_surface_create_for_stream (write_gstring, out, ex.width, h);
      cairo_t *cr = cairo_create (s);
      draw_page (cr, &ex, -1, TRUE);
      cairo_destroy (cr);
      cairo_surface_finish (s);
      ok = check_cairo (cairo_surface_status (s), "writing the SVG", error);
      cairo_surface_destroy (s);
      /* our text layer goes on top, as real <text> elements */
      const char *end = g_strrstr (out->str, "</svg>");
      if (ok && end != NULL)
        {
          g_autofree char *layer = g_strdup_printf (
              "<g font-family=\"DejaVu Sans, Verdana, Arial, Helvetica, sans-serif\">\n%s</g>\n",
              ex.svg_text->str);
          g_string_insert (out, end - out->str, layer);
        }
    }
  else
    {
      gboolean per_group = opt->page_per_group && ng > 0;
      cairo_surface_t *s = cairo_pdf_surface_create_for_stream (write_gstring, out, ex.width, 100);
      cairo_pdf_surface_set_metadata (s, CAIRO_PDF_METADATA_TITLE, ex.title);
      cairo_pdf_surface_set_metadata (s, CAIRO_PDF_METADATA_CREATOR, "amlaviz " AMLAVIZ_VERSION);
      cairo_t *cr = cairo_create (s);
      for (guint g = 0; g < (per_group ? ng : 1); g++)
        {
          if (per_group && opt->groups != NULL && !opt->groups[g])
            continue;
          int page = per_group ? (int) g : -1;
          cairo_pdf_surface_set_size (s, ex.width, measure_page (&ex, page));
          draw_page (cr, &ex, page, TRUE);
          cairo_show_page (cr);
        }
      cairo_destroy (cr);
      cairo_surface_finish (s);
      ok = check_cairo (cairo_surface_status (s), "writing the PDF", error);
      cairo_surface_destroy (s);
    }
  export_clear (&ex);
  if (!ok)
    {
      g_string_free (out, TRUE);
      return NULL;
    }
  return g_string_free_to_bytes (out);
}

gboolean
tl_export_file (const SimTrace *trace, const TlExportOptions *opt, const char *path,
                GError **error)
{
  TlExportFormat format = opt->format != TL_EXPORT_AUTO ? opt->format
                                                        : tl_export_format_from_path (path);
  if (format == TL_EXPORT_AUTO)
    {
      g_set_error (error, TL_EXPORT_ERROR, TL_EXPORT_ERROR_FORMAT,
                   "cannot tell the image format of \"%s\": name it .png, .svg or .pdf", path);
      return FALSE;
    }
  if (opt->no_overwrite && g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, TL_EXPORT_ERROR, TL_EXPORT_ERROR_EXISTS, "%s already exists", path);
      return FALSE;
    }
  /* fail before a long render if the file cannot go there */
  g_autofree char *dir = g_path_get_dirname (path);
  if (!g_file_test (dir, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, TL_EXPORT_ERROR, TL_EXPORT_ERROR_IO,
                   "cannot write %s: folder %s does not exist", path, dir);
      return FALSE;
    }
  g_autoptr (GBytes) bytes = tl_export_bytes (trace, opt, format, error);
  if (bytes == NULL)
    return FALSE;
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);
  GError *werr = NULL;
  if (!sim_write_file_atomic (path, data, len, &werr))
    {
      g_set_error (error, TL_EXPORT_ERROR, TL_EXPORT_ERROR_IO, "cannot write %s: %s", path,
                   werr->message);
      g_error_free (werr);
      return FALSE;
    }
  return TRUE;
}
