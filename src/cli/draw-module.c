/* src/cli/draw-module.c — amlasim-draw.so: the renderer and the plots behind one table (see
 * draw.h).  Linked with cairo and pango; the simulator functions it calls are the executable's. */
#include <gmodule.h>

#include "src/cli/draw.h"
#include "src/plot/tornado.h"

static const AmlasimDraw draw = {
  .abi = AMLASIM_DRAW_ABI,
  .size = sizeof (AmlasimDraw),
  .version = AMLAVIZ_VERSION,
  .export_options_init = tl_export_options_init,
  .export_time_origin_ns = tl_export_time_origin_ns,
  .export_file = tl_export_file,
  .export_error_quark = tl_export_error_quark,
  .plot_options_init = plot_options_init,
  .plot_write_file = plot_write_file,
  .tornado_natural_height = tornado_natural_height,
  .tornado_write_file = tornado_write_file,
};

G_MODULE_EXPORT const AmlasimDraw *amlasim_draw_module (void);

G_MODULE_EXPORT const AmlasimDraw *
amlasim_draw_module (void)
{
  return &draw;
}
