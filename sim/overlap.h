/* sim/overlap.h — Cube ∩ Vector overlap of one AIC and its AIVs, measured as the run goes.
 *
 * The busy intervals of the AIC's Cube and of each AIV's Vector arrive in time order (each pipe is
 * in order); the accumulator consumes them as soon as no later interval can change what they
 * add, and drops what it consumed, so its memory follows the intervals in flight, not the run.
 * The additions happen in the order the whole-run computation made them, so the sum is the same
 * to the last bit.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  double *v;      /* start, end pairs */
  guint len, cap; /* in doubles */
  gboolean lent;  /* v is room the caller lent (sim_overlap_init_room): not ours to free */
} SimIntervals;

typedef struct
{
  SimIntervals cube;   /* pending busy intervals (start, end pairs of doubles) */
  SimIntervals vec[2]; /* the AIVs' Vector intervals */
  SimIntervals u;      /* the union of the Vector intervals, not yet intersected */
  guint ci, vi[2], ui; /* read positions (in intervals) */
  int n_vec;       /* AIVs of the AIC: 1 or 2 */
  double cs, ce;   /* the union interval being grown */
  double both;     /* time the Cube and at least one Vector were busy */
} SimOverlap;

void sim_overlap_init (SimOverlap *ov, int n_vec);
/* The same, with room for `cap` doubles in each of its four lists lent by the caller (4 * cap
 * doubles at `room`, which must outlive the accumulator): a list that outgrows it moves out. */
void sim_overlap_init_room (SimOverlap *ov, int n_vec, double *room, guint cap);
void sim_overlap_clear (SimOverlap *ov);
/* which: -1 the Cube, 0/1 the Vector of AIV 0/1 */
void sim_overlap_add (SimOverlap *ov, int which, double start, double end);
/* Consume what is left (the run is over) and return the busy time in common. */
double sim_overlap_finish (SimOverlap *ov);

G_END_DECLS
