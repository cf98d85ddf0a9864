/* src/app/amlaviz-range-stats.h — what happened inside a measured time range (shift-drag).
 *
 * Pure (no GTK): per drawn lane the busy time inside [t0, t1], per stage the span time and the
 * bytes moved (a span cut by the range counts pro rata).  The details pane prints it; tests check
 * the sums on hand-made traces.
 */
#pragma once

#include "sim/trace/trace.h"

G_BEGIN_DECLS

typedef struct
{
  double t0_ns, t1_ns;
  double stage_ns[SIM_N_STAGES];    /* summed span time per stage, clipped to the range */
  double stage_bytes[SIM_N_STAGES]; /* bytes, pro rata for spans cut by the range */
  guint stage_spans[SIM_N_STAGES];
  GArray *lanes; /* AmlavizLaneBusy, drawn lanes only, in draw order */
} AmlavizRangeStats;

typedef struct
{
  guint group, lane;
  double busy_ns;
} AmlavizLaneBusy;

void amlaviz_range_stats_compute (AmlavizRangeStats *stats, const SimTrace *trace,
                                  const guint8 *group_hidden, double t0_ns, double t1_ns);
void amlaviz_range_stats_clear (AmlavizRangeStats *stats);
/* Markup for the details pane. */
char *amlaviz_range_stats_describe (const AmlavizRangeStats *stats, const SimTrace *trace);

G_END_DECLS
