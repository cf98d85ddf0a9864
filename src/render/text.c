/* src/render/text.c — the renderer's text: one font choice for the timeline, the exporter and the
 * dialogs that draw with cairo (tl_set_font), widths, fitting a label with an ellipsis, and text
 * handed to a view's text sink (the SVG exporter writes real <text> elements). */
#include "src/render/render-private.h"
#include "src/render/text.h"

#include <math.h>
#include <string.h>

/* ---------------------------------------------------------------- text */

void
tl_set_font (cairo_t *cr, gboolean bold, double size)
{
  cairo_select_font_face (cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL,
                          bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size (cr, size);
}

double
_tl_text_width (cairo_t *cr, const char *s)
{
  cairo_text_extents_t ext;
  cairo_text_extents (cr, s, &ext);
  return ext.x_advance;
}

/* Draw s with the current font (which the caller set to size/bold) at baseline (x, y) — or hand it
 * to the view's text sink in device coordinates. */
void
_tl_draw_text (cairo_t *cr, const TlView *view, const char *s, double x, double y, double size,
               gboolean bold, TlTextAlign align, const double rgba[4])
{
  if (view->text_sink != NULL)
    {
      double dx = x, dy = y, sx = size, sy = 0;
      cairo_user_to_device (cr, &dx, &dy);
      cairo_user_to_device_distance (cr, &sx, &sy);
      view->text_sink (view->text_sink_data, s, dx, dy, hypot (sx, sy), bold, align, rgba);
      return;
    }
  double w = align == TL_TEXT_LEFT ? 0 : _tl_text_width (cr, s);
  if (align == TL_TEXT_CENTER)
    x -= w / 2;
  else if (align == TL_TEXT_RIGHT)
    x -= w;
  cairo_set_source_rgba (cr, rgba[0], rgba[1], rgba[2], rgba[3]);
  cairo_move_to (cr, x, y);
  cairo_show_text (cr, s);
}

/* Fit s into max_w (current font): the whole string, or a prefix + "…"; FALSE if not even
 * two characters fit.  out must hold len(s) + 4 bytes. */
gboolean
_tl_fit_text (cairo_t *cr, const char *s, double max_w, char *out, gsize out_size)
{
  if (max_w <= 0)
    return FALSE;
  double w = _tl_text_width (cr, s);
  if (w <= max_w)
    {
      g_strlcpy (out, s, out_size);
      return TRUE;
    }
  glong n = g_utf8_strlen (s, -1);
  glong keep = (glong) floor (n * max_w / w) - 1;
  for (int tries = 0; keep >= 2 && tries < 6; tries++, keep--)
    {
      const char *end = g_utf8_offset_to_pointer (s, keep);
      gsize bytes = (gsize) (end - s);
      if (bytes + 4 > out_size)
        bytes = out_size - 4;
      memcpy (out, s, bytes);
      memcpy (out + bytes, "\u2026", 4); /* … is 3 bytes + NUL */
      if (_tl_text_width (cr, out) <= max_w)
        return TRUE;
    }
  return FALSE;
}
