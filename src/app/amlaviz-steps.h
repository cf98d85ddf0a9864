/* src/app/amlaviz-steps.h — stage stepping: the (stage, task, iteration) units of a trace in time
 * order, and a plain-words explanation of one unit.
 *
 * Pure (no GTK): the session model builds the list when a run lands and walks it on step-next /
 * step-prev; the details pane shows amlaviz_step_explain.  Only drawn groups count (hidden may be
 * NULL = all), so stepping follows what the user sees.
 */
#pragma once

#include "sim/trace/trace.h"

G_BEGIN_DECLS

typedef struct
{
  int stage; /* SimStage */
  int task;
  int iter;
  double start_ns, end_ns; /* first span start, last span end over the drawn lanes */
  guint n_spans;
} AmlavizStep;

/* Units with a stage (C1, V1, C2, V2, combine) and a task; sorted by start, then stage. */
GArray *amlaviz_steps_build (const SimTrace *trace, const guint8 *group_hidden);

/* Index of the first step starting at or after t_ns (steps->len if none). */
guint amlaviz_steps_find (const GArray *steps, double t_ns);

/* Markup: what the stage computes, its spans per lane with time and bytes, buffers it touches,
 * the flags it waited for and which core/pipe set them, and the flags it set. */
char *amlaviz_step_explain (const SimTrace *trace, const guint8 *group_hidden,
                            const AmlavizStep *step, gboolean amla_rescale);

G_END_DECLS
