/* src/render/export.h — timeline images (PNG, SVG, PDF) through cairo surfaces, no display.
 *
 * The picture is the renderer's (same LOD, so a million-span trace exports in seconds and
 * vector files stay bounded by pixels, not spans) under a header with the title (the run's
 * configuration from otherData "config", else the file name), the shown range, the stage legend
 * and optionally a metrics box (otherData "metrics").  SVG text is real <text>; PDF text is
 * embedded fonts (selectable).  Files are written atomically: a failure leaves the old file whole.
 * Called by `amlasim export`, `amlasim run --png` and the GUI's File ▸ Export.
 */
#pragma once

#include <cairo.h>
#include "sim/output.h"
#include "src/render/timeline.h"

G_BEGIN_DECLS

#define TL_EXPORT_ERROR (tl_export_error_quark ())
GQuark tl_export_error_quark (void);

typedef enum
{
  TL_EXPORT_ERROR_FORMAT,  /* unknown format / extension */
  TL_EXPORT_ERROR_OPTIONS, /* empty range, no group selected, bad size */
  TL_EXPORT_ERROR_TOO_LARGE,
  TL_EXPORT_ERROR_EXISTS,  /* no_overwrite and the file exists */
  TL_EXPORT_ERROR_IO,
} TlExportError;

typedef enum
{
  TL_EXPORT_AUTO = SIM_IMAGE_FORMAT_UNKNOWN, /* from the file name's extension */
  TL_EXPORT_PNG = SIM_IMAGE_FORMAT_PNG,
  TL_EXPORT_SVG = SIM_IMAGE_FORMAT_SVG,
  TL_EXPORT_PDF = SIM_IMAGE_FORMAT_PDF,
} TlExportFormat; /* the same numbers as SimImageFormat (sim/output.h), which decides them */

typedef struct
{
  TlExportFormat format;
  gboolean has_range;      /* FALSE: the whole run */
  double t0_ns, t1_ns;     /* trace times (tl_export_time_origin_ns + what the ruler says) */
  const guint8 *groups;    /* per trace group, nonzero = export it; NULL = all groups */
  double width;            /* PNG: logical px (default 1600); SVG/PDF: pt (default 720) */
  double scale;            /* PNG device pixels per logical px (2 = HiDPI); 0 = 1 */
  TlTheme theme;           /* light by default */
  gboolean metrics;        /* add the metrics box (from otherData "metrics") */
  gboolean counters;       /* counter tracks (default TRUE) */
  gboolean flows;          /* flag arrows */
  gboolean page_per_group; /* PDF: one page per core group */
  gboolean no_overwrite;   /* refuse to replace an existing file (the GUI asks first) */
  const char *title;       /* NULL: from otherData config, else the trace's file name */
  int hl_stage, hl_task, hl_iter; /* the view's stage highlight, -1 = none */
} TlExportOptions;

void tl_export_options_init (TlExportOptions *opt);
/* The time the page's ruler counts from (0 unless the trace starts far into its clock: then its
 * first event).  A range given by a user reading the ruler is relative to it. */
double tl_export_time_origin_ns (const SimTrace *trace);
/* PNG/SVG/PDF from "x.png" etc. (case-insensitive); AUTO if unknown. */
TlExportFormat tl_export_format_from_path (const char *path);
const char *tl_export_format_name (TlExportFormat format);

/* Render and write atomically. */
gboolean tl_export_file (const SimTrace *trace, const TlExportOptions *opt, const char *path,
                         GError **error);
/* Render into memory (GUI preview, tests). format must not be AUTO. */
GBytes *tl_export_bytes (const SimTrace *trace, const TlExportOptions *opt, TlExportFormat format,
                         GError **error);

/* The view export draws the timeline with, and where the timeline's top-left corner lands in the
 * image (image units: logical px for PNG, pt for SVG/PDF) — for previews and tests.  The view's
 * group_hidden is NULL: hide the groups opt->groups leaves out yourself. */
gboolean tl_export_view (const SimTrace *trace, const TlExportOptions *opt, TlExportFormat format,
                         TlView *view, double *origin_x, double *origin_y, GError **error);

/* Draw page `page` (0-based) of the image into cr in image units (top-left at 0,0; scale cr
 * yourself), exactly as the file would lay it out, with text as glyphs even for SVG — the GUI's
 * live preview.  cr NULL: measure only.  There is one page, or for PDF with page_per_group one per
 * selected group; width/height/n_pages (each may be NULL) describe the page and the count.
 * FALSE with an error for bad options (the same errors tl_export_file would give). */
gboolean tl_export_draw_page (cairo_t *cr, const SimTrace *trace, const TlExportOptions *opt,
                              TlExportFormat format, guint page, double *width, double *height,
                              guint *n_pages, GError **error);

/* The title line export would use (config from otherData, else file name). */
char *tl_export_title (const SimTrace *trace);

G_END_DECLS
