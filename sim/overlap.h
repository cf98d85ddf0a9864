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
/* The list sim_overlap_add appends `which`'s intervals to: it stays in place while ov lives, so a
 * caller that adds many intervals (the engine, one per Cube/Vector span) finds it once. */
static inline SimIntervals *
sim_overlap_list (SimOverlap *ov, int which)
{
  return which < 0 ? &ov->cube : &ov->vec[which & 1];
}
static inline void sim_overlap_add_to (SimOverlap *ov, SimIntervals *list, double start,
                                       double end);
/* Consume what is left (the run is over) and return the busy time in common. */
double sim_overlap_finish (SimOverlap *ov);

/* ---- internals: the usual add (room left, no batch full) is inline, without a call ---- */

#define SIM_OVERLAP_BATCH 1024 /* intervals a list gathers before they are consumed */

void _sim_overlap_add_slow (SimOverlap *ov, SimIntervals *list, double start, double end);

/* sim_overlap_add to list = sim_overlap_list (ov, which) */
static inline void
sim_overlap_add_to (SimOverlap *ov, SimIntervals *list, double start, double end)
{
  guint len = list->len;
  if (G_UNLIKELY (len + 2 > list->cap || len + 2 >= 2 * SIM_OVERLAP_BATCH))
    {
      _sim_overlap_add_slow (ov, list, start, end);
      return;
    }
  list->v[len] = start;
  list->v[len + 1] = end;
  list->len = len + 2;
}

G_END_DECLS
