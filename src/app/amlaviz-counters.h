/* src/app/amlaviz-counters.h — what the counter tracks mean: the hardware capacity behind each
 * (from the trace's otherData.hw, written by amlaviz) and the hover text.  Pure (no GTK); the
 * session computes the capacities once per shown trace, the timeline view asks for the text. */
#pragma once

#include "sim/trace/trace.h"

G_BEGIN_DECLS

/* Per counter of trace: its capacity in the counter's unit — "L1 occupancy" → hw.l1_bytes,
 * "dieN HBM bandwidth" → hw.hbm_bytes_per_s in GB/s (per die), … — or 0 when unknown (a foreign
 * trace, a counter with no hardware limit).  NULL when the trace has no counters. */
double *amlaviz_counter_capacities (const SimTrace *trace);

/* Markup for the hover tooltip: the value at t, the share of the capacity (or of the run's peak
 * when the capacity is unknown), and the peak. */
char *amlaviz_counter_tooltip (const SimTrace *trace, int counter, double capacity, double t_ns);

G_END_DECLS
