/* src/app/amlaviz-export-preview.c — the export dialog's preview (see the header). */
#include "src/app/amlaviz-export-preview.h"

#include <math.h>

#define PREVIEW_PAD_PX 10.0

void
amlaviz_export_preview_clear (AmlavizExportPreview *preview)
{
  g_clear_pointer (&preview->surface, cairo_surface_destroy);
  g_clear_pointer (&preview->caption, g_free);
  preview->height_px = 0;
}

static char *
describe_size (const TlExportOptions *opt, double w, double h, guint n_pages)
{
  if (opt->format == TL_EXPORT_PNG)
    {
      if (opt->scale > 1)
        return g_strdup_printf ("PNG · %.0f × %.0f px (%.0f × %.0f at %.0f×)",
                                ceil (w * opt->scale), ceil (h * opt->scale), w, h, opt->scale);
      return g_strdup_printf ("PNG · %.0f × %.0f px", w, h);
    }
  if (n_pages > 1)
    return g_strdup_printf ("PDF · %u pages, %.0f pt (%.1f in) wide", n_pages, w, w / 72);
  return g_strdup_printf ("%s · %.0f × %.0f pt (%.1f × %.1f in)",
                          tl_export_format_name (opt->format), w, h, w / 72, h / 72);
}

void
amlaviz_export_preview_render (AmlavizExportPreview *preview, const SimTrace *trace,
                               const TlExportOptions *opt, int avail, int device)
{
  amlaviz_export_preview_clear (preview);
  if (trace == NULL)
    {
      preview->caption = g_strdup ("Nothing to export yet: the run is still being simulated.");
      return;
    }
  g_autoptr (GTimer) timer = g_timer_new ();
  g_autoptr (GError) error = NULL;
  double w = 0, h = 0;
  guint n_pages = 1;
  if (!tl_export_draw_page (NULL, trace, opt, opt->format, 0, &w, &h, &n_pages, &error))
    {
      preview->caption = g_strdup_printf ("Cannot export with these options: %s", error->message);
      return;
    }
  /* fit the page width into the preview; pages stack downwards (the pane scrolls) */
  double zoom = (avail - 2 * PREVIEW_PAD_PX) / w;
  guint shown = MIN (n_pages, AMLAVIZ_EXPORT_PREVIEW_MAX_PAGES);
  double heights[AMLAVIZ_EXPORT_PREVIEW_MAX_PAGES] = { h };
  double total = PREVIEW_PAD_PX;
  for (guint p = 0; p < shown; p++)
    {
      if (p > 0)
        tl_export_draw_page (NULL, trace, opt, opt->format, p, NULL, &heights[p], NULL, NULL);
      total += heights[p] * zoom + PREVIEW_PAD_PX;
    }
  gboolean cut = total > AMLAVIZ_EXPORT_PREVIEW_MAX_HEIGHT_PX;
  total = MIN (total, AMLAVIZ_EXPORT_PREVIEW_MAX_HEIGHT_PX);
  cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, avail * device,
                                                   (int) ceil (total) * device);
  cairo_surface_set_device_scale (s, device, device);
  cairo_t *cr = cairo_create (s);
  double y = PREVIEW_PAD_PX;
  for (guint p = 0; p < shown && y < total; p++)
    {
      double ph = heights[p] * zoom;
      /* a soft shadow so a light page stands out from a light dialog */
      cairo_set_source_rgba (cr, 0, 0, 0, 0.18);
      cairo_rectangle (cr, PREVIEW_PAD_PX + 2, y + 2, w * zoom, ph);
      cairo_fill (cr);
      cairo_save (cr);
      cairo_translate (cr, PREVIEW_PAD_PX, y);
      cairo_scale (cr, zoom, zoom);
      tl_export_draw_page (cr, trace, opt, opt->format, p, NULL, NULL, NULL, NULL);
      cairo_restore (cr);
      y += ph + PREVIEW_PAD_PX;
    }
  cairo_destroy (cr);
  preview->surface = s;
  preview->height_px = total;

  g_autofree char *size = describe_size (opt, w, h, n_pages);
  GString *cap = g_string_new (size);
  if (n_pages > shown)
    g_string_append_printf (cap, " · preview shows the first %u pages", shown);
  else if (cut)
    g_string_append (cap, " · preview shows the top");
  /* cairo image surfaces stop at 32767 px a side: say so before the user presses Export */
  if (opt->format == TL_EXPORT_PNG && MAX (w, h) * opt->scale > AMLAVIZ_EXPORT_PNG_MAX_SIDE_PX)
    g_string_append_printf (cap,
                            "\nToo large for a PNG (over %d px): lower the width or scale, "
                            "draw fewer cores, or choose PDF/SVG.",
                            AMLAVIZ_EXPORT_PNG_MAX_SIDE_PX);
  preview->caption = g_string_free (cap, FALSE);
  g_debug ("export preview: %.1f ms for %u page(s) at %d px", g_timer_elapsed (timer, NULL) * 1e3,
           shown, avail);
}

void
amlaviz_export_preview_paint (const AmlavizExportPreview *preview, cairo_t *cr, int height)
{
  cairo_set_source_rgb (cr, 0.55, 0.57, 0.60); /* neutral grey desk: both themes stand out */
  cairo_paint (cr);
  if (preview->surface == NULL)
    return;
  /* a short page sits in the middle of the pane, a tall one starts at the top and scrolls */
  double y = MAX (0, floor ((height - preview->height_px) / 2));
  cairo_set_source_surface (cr, preview->surface, 0, y);
  cairo_paint (cr);
}
