/* src/render/text.h — the one font the cairo drawings use (timeline, exports, the app's cairo
 * charts): a sans-serif face, normal or bold, at a size in user units.  Text widths, fitting a
 * label with an ellipsis and the SVG text sink stay private to src/render (render-private.h). */
#pragma once

#include <cairo.h>
#include <glib.h>

G_BEGIN_DECLS

void tl_set_font (cairo_t *cr, gboolean bold, double size);

G_END_DECLS
