/* sim/gm.h — global memory model for the engine: per-die HBM and L2 bandwidth shared fairly
 * (max-min) among all concurrent transfers, each capped by its core's path rate, and an LRU L2
 * that decides whether a read is served at L2 or HBM bandwidth.  Internal to sim/. */
#pragma once

#include <glib.h>
#include "sim/hw.h"

typedef struct SimGm SimGm;

typedef enum
{
  SIM_GM_HBM = 0,
  SIM_GM_L2 = 1,
} SimGmLevel;

SimGm *sim_gm_new (const SimHw *hw, double bucket_cycles);
/* Keep no bytes-per-bucket history (it grows with simulated time; only the bandwidth counters of
 * a recorded trace read it): sim_gm_buckets then returns none. */
void sim_gm_skip_buckets (SimGm *gm);
void sim_gm_free (SimGm *gm);

/* L2 lookup for a read of tile `tag` (bytes): TRUE = hit; on miss the tile becomes resident.
 * Writes always allocate (write-back L2). */
gboolean sim_gm_l2_access (SimGm *gm, int die, guint64 tag, guint64 bytes, gboolean write);

/* Start a transfer at time now (cycles) on die's level with a rate cap (B/cycle).  The new
 * shares of the bandwidth may be put off (many transfers start at one instant): they are taken
 * when the next completion is asked for or the model moves on. */
void sim_gm_start (SimGm *gm, double now, int die, SimGmLevel level, double bytes, double cap,
                   gpointer owner);
/* Time of the next transfer completion (INFINITY if none). */
double sim_gm_next_completion (SimGm *gm);
/* After starts at `now`: a time in (now, next completion], without the shares when every
 * transfer is known to complete after now (then the bound is the next double after now, and
 * sim_gm_owes is TRUE until sim_gm_next_completion), else the next completion itself. */
double sim_gm_next_bound (SimGm *gm, double now);
gboolean sim_gm_owes (const SimGm *gm);
/* Advance to `now` (<= next completion) and pop every transfer finished by then: returns how
 * many, their owners in *owners (the model's array, valid until the next call). */
guint sim_gm_complete_until (SimGm *gm, double now, gpointer const **owners);
int sim_gm_active (const SimGm *gm);

/* Bytes moved per die and level, and the bandwidth counter buckets (bytes per bucket). */
double sim_gm_bytes (const SimGm *gm, int die, SimGmLevel level);
/* What die `src_die` of `src` moved (bytes and bandwidth buckets, HBM and L2) becomes what die
 * `dst_die` of `dst` moved: the engine's copy of a die that ran what another ran. */
void sim_gm_mirror_die (SimGm *dst, int dst_die, const SimGm *src, int src_die);
double sim_gm_capacity (const SimGm *gm, int die, SimGmLevel level); /* B/cycle */
const double *sim_gm_buckets (const SimGm *gm, int die, SimGmLevel level, gsize *n);
