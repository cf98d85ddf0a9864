/* src/app/amlaviz-describe.h — plain-words text for the window: times, one span, metrics.
 *
 * Pure functions over sim/ types (no GTK): the details pane, the hover tooltip and the metrics
 * panel call them, and tests check their output without a display.  Returned strings are Pango
 * markup (escaped) unless the name says _plain; free with g_free.
 */
#pragma once

#include "kernels/numerics.h"
#include "sim/metrics.h"
#include "sim/trace/trace.h"

G_BEGIN_DECLS

/* "812 ns", "3.250 µs", "1.204 ms", "2.5 s" — precision follows the magnitude. */
char *amlaviz_format_time (double ns);
/* "512 B", "72.0 KiB", "3.25 MiB". */
char *amlaviz_format_bytes (double bytes);

/* op, stage, task/iteration, start, duration, bytes, FLOPs, buffer/flag, flags. */
char *amlaviz_span_describe (const SimTrace *trace, int group, int lane, gsize span);

/* The flags around a span, with links (href from amlaviz_span_link) to the op that set the flag
 * it waited for (and, on a two-AIV core, the sibling AIV's set of the same flag) and to the ops
 * that waited for the flags it set; "" when none. */
char *amlaviz_span_flags_describe (const SimTrace *trace, gboolean pinned, int group, int lane,
                                   gsize span);
/* One flag (flow): who set it, whom it let go, the latency — with links. */
char *amlaviz_flow_describe (const SimTrace *trace, gboolean pinned, guint flow);
/* Hover text for a flow arrow. */
char *amlaviz_flow_tooltip (const SimTrace *trace, guint flow);
/* "span:b:3:2:17" — a link the details pane follows; parse it back. */
char *amlaviz_span_link (gboolean pinned, int group, int lane, gsize span);
gboolean amlaviz_span_link_parse (const char *uri, gboolean *pinned, int *group, int *lane,
                                  gsize *span);

/* The metrics panel: one column, or A and B side by side when pinned is non-NULL. */
char *amlaviz_metrics_describe (const SimMetrics *current, const SimMetrics *pinned);

/* The numerics block under the metrics: "Numerics (16 of 24576 rows sampled)", then max abs and
 * mean abs error against the exact reference of AMLA, AMLA without compensation and FP-multiply
 * FlashAttention (the path this run draws in bold), and the non-finite counts if any.
 * of_current: prefix "B: " (A/B compare: the block belongs to the current run). */
char *amlaviz_numerics_describe (const AmlaNumReport *report, AmlaRescale drawn,
                                 gboolean of_current);

/* Stage name in plain words: "C1 · S = Q·Kᵀ (Cube)". */
const char *amlaviz_stage_title (SimStage stage);

/* Is the group drawn when only one AIC group (AICn + its AIVs) is shown? */
gboolean amlaviz_group_in_aic_group (const SimGroup *group, int aic_index, int aiv_per_aic);

G_END_DECLS
