/* src/cli/draw.h — the drawing half of amlasim, a module loaded only by the commands that draw.
 *
 * amlasim itself links GLib, json-c, zlib and the simulator, nothing of cairo, pango, fontconfig,
 * freetype, harfbuzz or X11: loading those (~30 libraries, ~5,000 relocations) took two thirds of
 * a plain run's start-up, paid by every `amlasim run` and every sweep shard.  `export`,
 * `run --png`, `sweep/merge --plot/--roofline` and `sensitivity --plot` open the module
 * amlasim-draw.so (src/cli/draw-module.c: the renderer and the plots) with cli_draw() before any
 * work, so a missing module fails at once.  The module calls the simulator functions it needs in
 * the executable (which exports them, src/cli/amlasim.dynlist), so both share one copy of the
 * simulator's state (e.g. the temp files sim/output.c removes on Ctrl-C).
 *
 * The headers below are used for their types only: calling a render or plot function directly
 * from the executable fails to link, which is the point.
 */
#pragma once

#include <glib.h>
#include "kernels/sensitivity.h"
#include "kernels/sweep.h"
#include "sim/trace/trace.h"
#include "src/plot/plot.h"
#include "src/render/export.h"

G_BEGIN_DECLS

/* Bump when the table changes. */
#define AMLASIM_DRAW_ABI 1

typedef struct
{
  guint abi;           /* AMLASIM_DRAW_ABI */
  gsize size;          /* sizeof (AmlasimDraw) */
  const char *version; /* AMLAVIZ_VERSION the module was built with */
  /* src/render/export.h */
  void (*export_options_init) (TlExportOptions *opt);
  double (*export_time_origin_ns) (const SimTrace *trace);
  gboolean (*export_file) (const SimTrace *trace, const TlExportOptions *opt, const char *path,
                           GError **error);
  GQuark (*export_error_quark) (void);
  /* src/plot/plot.h */
  void (*plot_options_init) (PlotOptions *opt);
  gboolean (*plot_write_file) (const char *path, PlotKind kind, const GArray *results,
                               const PlotOptions *opt, int width, int height, GError **error);
  /* src/plot/tornado.h */
  int (*tornado_natural_height) (const SensitivityReport *report);
  gboolean (*tornado_write_file) (const char *path, const SensitivityReport *report, int width,
                                  int height, GError **error);
} AmlasimDraw;

/* The module's one exported symbol. */
#define AMLASIM_DRAW_SYMBOL "amlasim_draw_module"
typedef const AmlasimDraw *(*AmlasimDrawModuleFunc) (void);

/* In the executable: the module, opened on the first call (next to the executable, as in the
 * build tree; then in the installed libdir/amlaviz, relative to the executable and absolute).
 * NULL after printing "amlasim CMD: cannot draw: why" to stderr; the caller exits
 * CLI_EXIT_FAIL. */
const AmlasimDraw *cli_draw (const char *cmd);

G_END_DECLS
