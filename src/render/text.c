/* src/render/text.c — the renderer's text: one font choice for the timeline, the exporter and the
 * dialogs that draw with cairo (tl_set_font), and the labels of the timeline and the exports,
 * shaped and drawn by Pango (so a name in any script renders, with font fallback) or handed to
 * a view's text sink (the SVG exporter writes real <text> elements).
 *
 * Shaping is the expensive part (tens of thousands of instructions a label), so a label is
 * shaped once and kept: each thread has a PangoContext per cairo target kind (its font options
 * and its linear matrix: the window, a scaled preview and a PDF each get one), and each context
 * a cache of laid-out labels keyed by (text, size, weight, the whole-pixel width it was
 * ellipsized to).  A label is measured and drawn from the same layout; Pango ellipsizes it
 * (PANGO_ELLIPSIZE_END) only when the whole text does not fit. */
#include "src/render/render-private.h"
#include "src/render/text.h"

#include <math.h>
#include <pango/pangocairo.h>
#include <string.h>

/* ---------------------------------------------------------------- the font of the plots */

void
tl_set_font (cairo_t *cr, gboolean bold, double size)
{
  cairo_select_font_face (cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL,
                          bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size (cr, size);
}

/* ---------------------------------------------------------------- shaped-label cache */

#define MAX_TARGETS 4         /* contexts kept per thread (least recently used goes) */
#define MAX_ENTRIES 4096      /* labels kept per context; past it, those not used lately go */
#define WHOLE_TEXT G_MININT32 /* max_w of an entry that holds the whole text */

typedef struct
{
  const char *text;  /* owned by the entry once stored */
  gint32 size_pango; /* absolute size in Pango units */
  gint32 max_w;      /* the whole-pixel width it was ellipsized to, or WHOLE_TEXT */
  gboolean bold;
} TextKey;

typedef struct
{
  TextKey key;
  PangoLayout *layout;
  double width, baseline; /* logical width; baseline below the layout's top (user units) */
  double min_width;       /* whole-text entries: two characters and the ellipsis */
  guint64 used;
} TextEntry;

typedef struct
{
  cairo_font_options_t *options; /* the target's, merged with the cairo_t's */
  double xx, yx, xy, yy;         /* the cairo_t's matrix without its translation */
  PangoContext *context;         /* NULL: a free slot */
  GHashTable *entries;           /* TextKey → TextEntry (the key is inside the entry) */
  double ellipsis_w[2];          /* width of "…" at ellipsis_size, normal and bold; <0 unknown */
  gint32 ellipsis_size[2];
  guint64 used;
} TextTarget;

typedef struct
{
  TextTarget targets[MAX_TARGETS];
  cairo_font_options_t *scratch, *scratch_cr;
  guint64 tick;
} TextThread;

static guint
text_key_hash (gconstpointer p)
{
  const TextKey *k = p;
  guint h = g_str_hash (k->text);
  h = h * 31 + (guint) k->size_pango;
  h = h * 31 + (guint) k->max_w;
  return h * 2 + (guint) !!k->bold;
}

static gboolean
text_key_equal (gconstpointer a, gconstpointer b)
{
  const TextKey *x = a, *y = b;
  return x->size_pango == y->size_pango && x->max_w == y->max_w && !x->bold == !y->bold
         && strcmp (x->text, y->text) == 0;
}

static void
text_entry_free (gpointer p)
{
  TextEntry *e = p;
  g_object_unref (e->layout);
  g_free ((char *) e->key.text);
  g_free (e);
}

static void
target_clear (TextTarget *t)
{
  if (t->context == NULL)
    return;
  g_hash_table_unref (t->entries);
  g_object_unref (t->context);
  cairo_font_options_destroy (t->options);
  memset (t, 0, sizeof *t);
}

static void
text_thread_free (gpointer p)
{
  TextThread *th = p;
  for (int i = 0; i < MAX_TARGETS; i++)
    target_clear (&th->targets[i]);
  cairo_font_options_destroy (th->scratch);
  cairo_font_options_destroy (th->scratch_cr);
  g_free (th);
}

/* One per thread: an export worker draws beside the window, and Pango's default font map is
 * per thread too. */
static GPrivate text_thread_key = G_PRIVATE_INIT (text_thread_free);

static TextThread *
text_thread (void)
{
  TextThread *th = g_private_get (&text_thread_key);
  if (th == NULL)
    {
      th = g_new0 (TextThread, 1);
      th->scratch = cairo_font_options_create ();
      th->scratch_cr = cairo_font_options_create ();
      g_private_set (&text_thread_key, th);
    }
  return th;
}

/* The context for cr's target: its font options and linear matrix, as pango_cairo_update_context
 * takes them.  A context is updated once, when made: updating it again (even to the same matrix)
 * would mark every layout of it stale and shape it anew. */
static TextTarget *
target_for (cairo_t *cr, TextThread *th)
{
  cairo_surface_get_font_options (cairo_get_target (cr), th->scratch);
  cairo_get_font_options (cr, th->scratch_cr);
  cairo_font_options_merge (th->scratch, th->scratch_cr);
  cairo_matrix_t m;
  cairo_get_matrix (cr, &m);
  th->tick++;
  TextTarget *oldest = &th->targets[0];
  for (int i = 0; i < MAX_TARGETS; i++)
    {
      TextTarget *t = &th->targets[i];
      if (t->context != NULL && t->xx == m.xx && t->yx == m.yx && t->xy == m.xy && t->yy == m.yy
          && cairo_font_options_equal (t->options, th->scratch))
        {
          t->used = th->tick;
          return t;
        }
      if (t->context == NULL || (oldest->context != NULL && t->used < oldest->used))
        oldest = t;
    }
  target_clear (oldest);
  TextTarget *t = oldest;
  t->options = cairo_font_options_copy (th->scratch);
  t->xx = m.xx, t->yx = m.yx, t->xy = m.xy, t->yy = m.yy;
  t->context = pango_font_map_create_context (pango_cairo_font_map_get_default ());
  pango_cairo_update_context (cr, t->context);
  /* a vector target (no metric hinting) keeps Pango's fractional glyph positions */
  if (cairo_font_options_get_hint_metrics (t->options) == CAIRO_HINT_METRICS_OFF)
    pango_context_set_round_glyph_positions (t->context, FALSE);
  t->entries = g_hash_table_new_full (text_key_hash, text_key_equal, NULL, text_entry_free);
  t->ellipsis_w[0] = t->ellipsis_w[1] = -1;
  t->used = th->tick;
  return t;
}

static gboolean
entry_is_old (gpointer key, gpointer value, gpointer data)
{
  (void) key;
  return ((TextEntry *) value)->used < *(guint64 *) data;
}

static PangoLayout *
new_layout (TextTarget *t, const char *s, gint32 size_pango, gboolean bold)
{
  PangoLayout *layout = pango_layout_new (t->context);
  PangoFontDescription *fd = pango_font_description_new ();
  pango_font_description_set_family_static (fd, "sans-serif");
  pango_font_description_set_weight (fd, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  pango_font_description_set_absolute_size (fd, size_pango);
  pango_layout_set_font_description (layout, fd);
  pango_font_description_free (fd);
  pango_layout_set_single_paragraph_mode (layout, TRUE);
  pango_layout_set_text (layout, s, -1);
  return layout;
}

static double
layout_width (PangoLayout *layout)
{
  PangoRectangle logical;
  pango_layout_get_extents (layout, NULL, &logical);
  return (double) logical.width / PANGO_SCALE;
}

/* Width of "…" in the font (what two characters and the ellipsis need besides the characters). */
static double
ellipsis_width (TextTarget *t, gint32 size_pango, gboolean bold)
{
  if (t->ellipsis_size[bold] != size_pango || t->ellipsis_w[bold] < 0)
    {
      PangoLayout *l = new_layout (t, "\u2026", size_pango, bold);
      t->ellipsis_w[bold] = layout_width (l);
      t->ellipsis_size[bold] = size_pango;
      g_object_unref (l);
    }
  return t->ellipsis_w[bold];
}

/* The laid-out label: s whole (max_w == WHOLE_TEXT) or ellipsized to max_w whole pixels. */
static TextEntry *
text_entry (TextTarget *t, TextThread *th, const char *s, double size, gboolean bold, gint32 max_w)
{
  TextKey key = { s, (gint32) lround (size * PANGO_SCALE), max_w, bold };
  TextEntry *e = g_hash_table_lookup (t->entries, &key);
  if (e != NULL)
    {
      e->used = th->tick;
      return e;
    }
  if (g_hash_table_size (t->entries) >= MAX_ENTRIES)
    {
      /* a look-up touches at most two entries (whole and ellipsized): this frees at least half */
      guint64 keep_from = th->tick > MAX_ENTRIES / 4 ? th->tick - MAX_ENTRIES / 4 : 0;
      g_hash_table_foreach_remove (t->entries, entry_is_old, &keep_from);
    }
  e = g_new0 (TextEntry, 1);
  e->key = key;
  e->key.text = g_strdup (s);
  e->layout = new_layout (t, s, key.size_pango, bold);
  if (max_w != WHOLE_TEXT)
    {
      pango_layout_set_width (e->layout, max_w * PANGO_SCALE);
      pango_layout_set_ellipsize (e->layout, PANGO_ELLIPSIZE_END);
    }
  e->width = layout_width (e->layout);
  e->baseline = (double) pango_layout_get_baseline (e->layout) / PANGO_SCALE;
  if (max_w == WHOLE_TEXT)
    {
      /* the first two characters' advance (their trailing edge in a left-to-right line) */
      e->min_width = e->width;
      if (g_utf8_strlen (s, 8 * 3) > 2)
        {
          PangoRectangle pos;
          int index = (int) (g_utf8_offset_to_pointer (s, 2) - s);
          pango_layout_index_to_pos (e->layout, index, &pos);
          e->min_width = MIN (e->width, (double) ABS (pos.x) / PANGO_SCALE
                                            + ellipsis_width (t, key.size_pango, bold));
        }
    }
  e->used = th->tick;
  g_hash_table_insert (t->entries, &e->key, e);
  return e;
}

/* The entry to draw s within max_w (whole or ellipsized), or NULL if not even two characters
 * and the ellipsis fit. */
static TextEntry *
fitted_entry (cairo_t *cr, const char *s, double size, gboolean bold, double max_w)
{
  if (!(max_w > 0))
    return NULL;
  TextThread *th = text_thread ();
  TextTarget *t = target_for (cr, th);
  TextEntry *whole = text_entry (t, th, s, size, bold, WHOLE_TEXT);
  if (whole->width <= max_w)
    return whole;
  if (max_w < whole->min_width)
    return NULL;
  TextEntry *e = text_entry (t, th, s, size, bold, (gint32) MIN (floor (max_w), 1 << 20));
  return e->width <= max_w ? e : NULL;
}

static void
show_entry (cairo_t *cr, const TextEntry *e, double x, double y, TlTextAlign align,
            const double rgba[4])
{
  if (align == TL_TEXT_CENTER)
    x -= e->width / 2;
  else if (align == TL_TEXT_RIGHT)
    x -= e->width;
  cairo_set_source_rgba (cr, rgba[0], rgba[1], rgba[2], rgba[3]);
  /* Pango draws from the layout's top left; the callers give the baseline */
  cairo_move_to (cr, x, y - e->baseline);
  pango_cairo_show_layout (cr, e->layout);
  cairo_new_path (cr);
}

/* ---------------------------------------------------------------- the private API */

double
_tl_text_width (cairo_t *cr, const char *s, double size, gboolean bold)
{
  TextThread *th = text_thread ();
  return text_entry (target_for (cr, th), th, s, size, bold, WHOLE_TEXT)->width;
}

void
_tl_font_extents (cairo_t *cr, double size, gboolean bold, double *ascent, double *descent)
{
  TextThread *th = text_thread ();
  TextTarget *t = target_for (cr, th);
  /* the metrics of the font itself, not of a line (which a fallback font may make taller) */
  TextEntry *e = text_entry (t, th, "x", size, bold, WHOLE_TEXT);
  PangoFontMetrics *fm
      = pango_context_get_metrics (t->context, pango_layout_get_font_description (e->layout), NULL);
  *ascent = (double) pango_font_metrics_get_ascent (fm) / PANGO_SCALE;
  *descent = (double) pango_font_metrics_get_descent (fm) / PANGO_SCALE;
  pango_font_metrics_unref (fm);
}

void
_tl_show_text (cairo_t *cr, const char *s, double x, double y, double size, gboolean bold,
               TlTextAlign align, const double rgba[4])
{
  TextThread *th = text_thread ();
  show_entry (cr, text_entry (target_for (cr, th), th, s, size, bold, WHOLE_TEXT), x, y, align,
              rgba);
}

gboolean
_tl_show_text_fit (cairo_t *cr, const char *s, double max_w, double x, double y, double size,
                   gboolean bold, TlTextAlign align, const double rgba[4], double *width)
{
  TextEntry *e = fitted_entry (cr, s, size, bold, max_w);
  if (width != NULL)
    *width = e != NULL ? e->width : 0;
  if (e == NULL)
    return FALSE;
  if (rgba != NULL)
    show_entry (cr, e, x, y, align, rgba);
  return TRUE;
}

/* Hand s to the view's text sink in device coordinates. */
static void
sink_text (cairo_t *cr, const TlView *view, const char *s, double x, double y, double size,
           gboolean bold, TlTextAlign align, const double rgba[4])
{
  double dx = x, dy = y, sx = size, sy = 0;
  cairo_user_to_device (cr, &dx, &dy);
  cairo_user_to_device_distance (cr, &sx, &sy);
  view->text_sink (view->text_sink_data, s, dx, dy, hypot (sx, sy), bold, align, rgba);
}

/* Draw s at baseline (x, y) — or hand it to the view's text sink. */
void
_tl_draw_text (cairo_t *cr, const TlView *view, const char *s, double x, double y, double size,
               gboolean bold, TlTextAlign align, const double rgba[4])
{
  if (view->text_sink != NULL)
    sink_text (cr, view, s, x, y, size, bold, align, rgba);
  else
    _tl_show_text (cr, s, x, y, size, bold, align, rgba);
}

/* Fit s into max_w as a string for a text sink: the whole string, or a prefix + "…"; FALSE if
 * not even two characters fit.  out must hold len(s) + 4 bytes.  (Drawn text is ellipsized by
 * Pango instead; a sink needs the characters.) */
gboolean
_tl_fit_text (cairo_t *cr, const char *s, double size, gboolean bold, double max_w, char *out,
              gsize out_size)
{
  if (!(max_w > 0))
    return FALSE;
  TextThread *th = text_thread ();
  TextTarget *t = target_for (cr, th);
  double w = text_entry (t, th, s, size, bold, WHOLE_TEXT)->width;
  if (w <= max_w)
    {
      g_strlcpy (out, s, out_size);
      return TRUE;
    }
  glong n = g_utf8_strlen (s, -1);
  glong keep = (glong) floor (n * max_w / w) - 1;
  /* the prefixes are measured once and not kept */
  PangoLayout *layout = new_layout (t, "", (gint32) lround (size * PANGO_SCALE), bold);
  gboolean ok = FALSE;
  for (int tries = 0; keep >= 2 && tries < 6; tries++, keep--)
    {
      const char *end = g_utf8_offset_to_pointer (s, keep);
      gsize bytes = (gsize) (end - s);
      if (bytes + 4 > out_size)
        bytes = out_size - 4;
      memcpy (out, s, bytes);
      memcpy (out + bytes, "\u2026", 4); /* … is 3 bytes + NUL */
      pango_layout_set_text (layout, out, -1);
      if (layout_width (layout) <= max_w)
        {
          ok = TRUE;
          break;
        }
    }
  g_object_unref (layout);
  return ok;
}

gboolean
_tl_draw_text_fit (cairo_t *cr, const TlView *view, const char *s, double max_w, double x, double y,
                   double size, gboolean bold, TlTextAlign align, const double rgba[4])
{
  if (view->text_sink == NULL)
    return _tl_show_text_fit (cr, s, max_w, x, y, size, bold, align, rgba, NULL);
  gsize n = strlen (s) + 4;
  char stack[256];
  char *buf = n <= sizeof stack ? stack : g_malloc (n);
  gboolean ok = _tl_fit_text (cr, s, size, bold, max_w, buf, n);
  if (ok)
    sink_text (cr, view, buf, x, y, size, bold, align, rgba);
  if (buf != stack)
    g_free (buf);
  return ok;
}

double
_tl_fit_width (cairo_t *cr, const TlView *view, const char *s, double max_w, double size,
               gboolean bold)
{
  if (view->text_sink == NULL)
    {
      double w;
      return _tl_show_text_fit (cr, s, max_w, 0, 0, size, bold, TL_TEXT_LEFT, NULL, &w) ? w : -1;
    }
  gsize n = strlen (s) + 4;
  g_autofree char *buf = g_malloc (n);
  return _tl_fit_text (cr, s, size, bold, max_w, buf, n) ? _tl_text_width (cr, buf, size, bold)
                                                         : -1;
}
