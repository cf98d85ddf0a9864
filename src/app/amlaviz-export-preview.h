/* src/app/amlaviz-export-preview.h — the export dialog's preview, without the dialog.
 *
 * The exporter's own pages (tl_export_draw_page: the same layout the file gets), scaled to the
 * preview's width and stacked downwards with a shadow each, on one image surface (the first
 * AMLAVIZ_EXPORT_PREVIEW_MAX_PAGES pages, at most AMLAVIZ_EXPORT_PREVIEW_MAX_HEIGHT_PX tall), and
 * the caption under it ("PNG · 1600 × 912 px", what the preview leaves out, a PNG too large).
 * Plain cairo: the dialog (amlaviz-export-dialog.c) debounces, owns the result and paints it.
 */
#pragma once

#include <cairo.h>
#include "src/render/export.h"

G_BEGIN_DECLS

#define AMLAVIZ_EXPORT_PREVIEW_MAX_PAGES 6        /* PDF page per group: draw the first few */
#define AMLAVIZ_EXPORT_PREVIEW_MAX_HEIGHT_PX 8000 /* tall all-core images: draw the top */
#define AMLAVIZ_EXPORT_PNG_MAX_SIDE_PX 32767      /* cairo's image surface limit */

typedef struct
{
  cairo_surface_t *surface; /* NULL: nothing to show (the caption says why) */
  double height_px;         /* logical height of surface */
  char *caption;
} AmlavizExportPreview;

/* Render trace with opt (format in opt->format) at width_px logical pixels (device_scale device
 * pixels each) into *preview, replacing what it held. */
void amlaviz_export_preview_render (AmlavizExportPreview *preview, const SimTrace *trace,
                                    const TlExportOptions *opt, int width_px, int device_scale);
/* Paint the grey desk of a width × height area and the preview on it: centred when shorter, from
 * the top when taller (the pane scrolls). */
void amlaviz_export_preview_paint (const AmlavizExportPreview *preview, cairo_t *cr, int height);
void amlaviz_export_preview_clear (AmlavizExportPreview *preview);

G_END_DECLS
