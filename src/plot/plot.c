/* src/plot/plot.c — the plots' options, hit testing and atomic PNG/SVG/PDF output.  The drawing
 * is by concern: plot-series.c (colours, markers, the results as series), plot-axes.c (frame,
 * fonts, ticks, legend, axes), plot-sweep.c (the sweep plot), plot-roofline.c (the roofline). */
#include "src/plot/plot-private.h"

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <math.h>
#include <string.h>

#include "sim/output.h"

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
      x = plot_axis_value (&r->config, f->x_axis);
      v = plot_y_value (r, y);
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
