/* sim/gm.c — GM bandwidth sharing and the L2 model (see gm.h). */
#include "sim/gm.h"

#include <math.h>
#include <string.h>

/* Transfers with the same rate cap form a class; all transfers of a class stream at the same
 * rate, so one "virtual work" counter per class (bytes each of its transfers has received) is
 * enough: a transfer finishes when the counter reaches its target.  A rate change then touches
 * the classes, never the transfers — O(classes) per start or completion, plus the insertion.
 *
 * A class keeps its transfers sorted by target, equal targets in start order.  The virtual work
 * only grows and a class's transfers are mostly of one size, so a new target is nearly always the
 * largest: the insertion is an append, and a completion takes the front (a binary heap spent
 * most of the GM model's time sifting through thousands of queued transfers). */
typedef struct
{
  double target; /* class virtual work at which it completes */
  gpointer owner;
} Xfer;

#define MAX_CLASSES 16

typedef struct
{
  double cap;
  double rate;
  double vwork;  /* bytes received so far by each transfer of this class */
  Xfer *xs;      /* xs[head .. head + n): sorted on target, then start order */
  gsize head, n, alloc;
} XferClass;

typedef struct
{
  double capacity; /* B/cycle */
  XferClass cls[MAX_CLASSES];
  int n_cls;
  guint8 by_cap[MAX_CLASSES]; /* the classes in increasing cap order (caps are distinct) */
  guint8 cap_pos[MAX_CLASSES]; /* a class's place in by_cap */
  /* The classes with transfers, as bits: by class (bit c) and by cap (bit i: by_cap[i]); the
   * sharing loops visit them only (most classes are empty most of the time). */
  guint32 active, active_by_cap;
  int last_cls;               /* the class of the last start */
  gboolean contended;         /* at the last reshare */
  gboolean owed;              /* starts at instant `last` put off the reshare (see sim_gm_start) */
  gsize n_xfers;
  double last;       /* time everything was last brought up to date */
  double next;       /* earliest completion */
  double total_rate; /* sum of current rates */
  double moved;
  GArray *buckets; /* double bytes per bucket */
} Resource;

/* The L2: resident tiles in LRU order, found by tag in an open-addressing table (linear
 * probing; a slot holds a node index + 1, 0 = empty).  Nodes live in one array, reused through a
 * free list, so a miss allocates nothing once the L2 has filled. */
typedef struct
{
  guint64 tag;
  guint64 bytes;
  guint32 prev, next; /* LRU neighbours (node indices; 0 is the sentinel) */
} L2Node;

typedef struct
{
  L2Node *nodes;                         /* nodes[0]: the sentinel, nodes[0].next = most recent */
  guint32 n_nodes, cap_nodes, free_list; /* free_list: a free node index, its .next the next */
  guint32 *slots;                        /* node index + 1 per slot, 0 = empty */
  guint32 mask;                          /* slots - 1 (a power of two) */
  guint32 n_live;
  guint64 used, capacity;
} L2;

struct SimGm
{
  double next; /* earliest completion over all resources */
  int dies;
  Resource *res; /* [die * 2 + level] */
  L2 *l2;
  double bucket_cycles;
  gboolean skip_buckets;
  gpointer *done; /* sim_gm_complete_until's owners */
  guint n_done, cap_done;
  int n_owed; /* resources with a reshare owed (Resource.owed) */
};

static inline guint32
l2_hash (guint64 tag)
{
  tag ^= tag >> 33;
  tag *= 0xff51afd7ed558ccdULL;
  tag ^= tag >> 33;
  return (guint32) tag;
}

static inline void
l2_unlink (L2 *l2, guint32 i)
{
  L2Node *n = &l2->nodes[i];
  l2->nodes[n->prev].next = n->next;
  l2->nodes[n->next].prev = n->prev;
}

static inline void
l2_push_front (L2 *l2, guint32 i)
{
  L2Node *n = &l2->nodes[i], *head = &l2->nodes[0];
  n->next = head->next;
  n->prev = 0;
  l2->nodes[head->next].prev = i;
  head->next = i;
}

/* The slot holding tag, or the empty slot where it would go. */
static inline guint32
l2_find (const L2 *l2, guint64 tag)
{
  guint32 s = l2_hash (tag) & l2->mask;
  while (l2->slots[s] != 0 && l2->nodes[l2->slots[s] - 1].tag != tag)
    s = (s + 1) & l2->mask;
  return s;
}

static void
l2_grow_slots (L2 *l2)
{
  guint32 *old = l2->slots, old_n = l2->slots ? l2->mask + 1 : 0;
  guint32 n = old_n ? 2 * old_n : 1024;
  l2->slots = g_new0 (guint32, n);
  l2->mask = n - 1;
  for (guint32 j = 0; j < old_n; j++)
    if (old[j] != 0)
      l2->slots[l2_find (l2, l2->nodes[old[j] - 1].tag)] = old[j];
  g_free (old);
}

/* Remove the tag in slot s (backward-shift deletion keeps every probe chain whole). */
static void
l2_remove_slot (L2 *l2, guint32 s)
{
  guint32 hole = s, j = s;
  for (;;)
    {
      j = (j + 1) & l2->mask;
      if (l2->slots[j] == 0)
        break;
      guint32 home = l2_hash (l2->nodes[l2->slots[j] - 1].tag) & l2->mask;
      /* the entry at j may fill the hole unless its home lies cyclically in (hole, j] */
      gboolean stays = hole <= j ? (home > hole && home <= j) : (home > hole || home <= j);
      if (stays)
        continue;
      l2->slots[hole] = l2->slots[j];
      hole = j;
    }
  l2->slots[hole] = 0;
  l2->n_live--;
}

static guint32
l2_new_node (L2 *l2)
{
  if (l2->free_list)
    {
      guint32 i = l2->free_list;
      l2->free_list = l2->nodes[i].next;
      return i;
    }
  if (l2->n_nodes == l2->cap_nodes)
    {
      l2->cap_nodes = l2->cap_nodes ? 2 * l2->cap_nodes : 256;
      l2->nodes = g_renew (L2Node, l2->nodes, l2->cap_nodes);
    }
  return l2->n_nodes++;
}

SimGm *
sim_gm_new (const SimHw *hw, double bucket_cycles)
{
  SimGm *gm = g_new0 (SimGm, 1);
  gm->dies = hw->dies;
  gm->bucket_cycles = bucket_cycles > 0 ? bucket_cycles : 1800;
  gm->next = INFINITY;
  gm->res = g_new0 (Resource, hw->dies * 2);
  gm->l2 = g_new0 (L2, hw->dies);
  double cyc_per_s = hw->clock_mhz * 1e6;
  for (int d = 0; d < hw->dies; d++)
    {
      for (int l = 0; l < 2; l++)
        {
          Resource *r = &gm->res[d * 2 + l];
          r->capacity = (l == SIM_GM_HBM ? hw->hbm_bytes_per_s : hw->l2_bytes_per_s) / cyc_per_s;
          r->buckets = g_array_new (FALSE, TRUE, sizeof (double));
          r->next = INFINITY;
        }
      L2 *l2 = &gm->l2[d];
      l2->n_nodes = 1; /* the sentinel */
      l2->cap_nodes = 256;
      l2->nodes = g_new0 (L2Node, l2->cap_nodes);
      l2_grow_slots (l2);
      l2->capacity = hw->l2_bytes;
    }
  return gm;
}

void
sim_gm_free (SimGm *gm)
{
  if (!gm)
    return;
  for (int i = 0; i < gm->dies * 2; i++)
    {
      for (int c = 0; c < gm->res[i].n_cls; c++)
        g_free (gm->res[i].cls[c].xs);
      g_array_unref (gm->res[i].buckets);
    }
  for (int d = 0; d < gm->dies; d++)
    {
      g_free (gm->l2[d].nodes);
      g_free (gm->l2[d].slots);
    }
  g_free (gm->l2);
  g_free (gm->res);
  g_free (gm->done);
  g_free (gm);
}

/* A miss: tag becomes the most recent tile in slot s (from l2_find), evicting the least recent
 * ones beyond the capacity.  Out of line: the hits (most accesses) then save fewer registers. */
static G_GNUC_NO_INLINE gboolean
l2_miss (L2 *l2, guint32 s, guint64 tag, guint64 bytes, gboolean write)
{
  guint32 i = l2_new_node (l2);
  l2->nodes[i].tag = tag;
  l2->nodes[i].bytes = bytes;
  l2->slots[s] = i + 1;
  l2->n_live++;
  l2_push_front (l2, i);
  l2->used += bytes;
  while (l2->used > l2->capacity && l2->nodes[0].prev != i)
    {
      guint32 old = l2->nodes[0].prev;
      l2_unlink (l2, old);
      l2->used -= l2->nodes[old].bytes;
      l2_remove_slot (l2, l2_find (l2, l2->nodes[old].tag));
      l2->nodes[old].next = l2->free_list;
      l2->free_list = old;
    }
  if (2 * l2->n_live > l2->mask + 1)
    l2_grow_slots (l2);
  return write; /* a write lands in L2 whatever was there */
}

gboolean
sim_gm_l2_access (SimGm *gm, int die, guint64 tag, guint64 bytes, gboolean write)
{
  L2 *l2 = &gm->l2[CLAMP (die, 0, gm->dies - 1)];
  if (tag == 0 || l2->capacity == 0)
    return FALSE;
  guint32 s = l2_find (l2, tag);
  if (l2->slots[s] == 0)
    return l2_miss (l2, s, tag, bytes, write);
  guint32 i = l2->slots[s] - 1;
  l2_unlink (l2, i);
  l2_push_front (l2, i);
  L2Node *n = &l2->nodes[i];
  if (bytes > n->bytes)
    {
      l2->used += bytes - n->bytes;
      n->bytes = bytes;
    }
  return TRUE;
}

void
sim_gm_skip_buckets (SimGm *gm)
{
  gm->skip_buckets = TRUE;
}

static void
add_to_buckets (SimGm *gm, Resource *r, double t0, double t1, double rate)
{
  if (rate <= 0 || t1 <= t0 || gm->skip_buckets)
    return;
  double bc = gm->bucket_cycles;
  gsize b0 = (gsize) (t0 / bc), b1 = (gsize) (t1 / bc);
  if (b1 >= r->buckets->len)
    g_array_set_size (r->buckets, b1 + 1);
  double *buckets = (double *) r->buckets->data;
  if (b0 == b1)
    {
      buckets[b0] += rate * (t1 - t0);
      return;
    }
  buckets[b0] += rate * ((b0 + 1) * bc - t0);
  for (gsize b = b0 + 1; b < b1; b++)
    buckets[b] += rate * bc;
  buckets[b1] += rate * (t1 - b1 * bc);
}

static void
class_push (XferClass *c, Xfer x)
{
  if (c->head + c->n == c->alloc)
    {
      if (c->head > 0 && c->head >= c->n)
        {
          /* reuse the consumed front */
          memmove (c->xs, c->xs + c->head, c->n * sizeof *c->xs);
          c->head = 0;
        }
      else
        {
          c->alloc = c->alloc ? 2 * c->alloc : 32;
          c->xs = g_renew (Xfer, c->xs, c->alloc);
        }
    }
  Xfer *xs = c->xs + c->head;
  gsize p = c->n++;
  if (G_UNLIKELY (p > 0 && xs[p - 1].target > x.target))
    {
      /* after every transfer with a target <= x's (equal targets stay in start order) */
      gsize lo = 0, hi = p - 1;
      while (lo < hi)
        {
          gsize mid = lo + (hi - lo) / 2;
          if (xs[mid].target > x.target)
            hi = mid;
          else
            lo = mid + 1;
        }
      memmove (xs + lo + 1, xs + lo, (p - lo) * sizeof *xs);
      p = lo;
    }
  xs[p] = x;
}

/* The class's first transfer (it has one). */
static inline const Xfer *
class_front (const XferClass *c)
{
  return &c->xs[c->head];
}

/* Take the first transfer. */
static inline Xfer
class_pop (XferClass *c)
{
  Xfer top = c->xs[c->head];
  if (--c->n == 0)
    c->head = 0;
  else
    c->head++;
  return top;
}

static G_GNUC_NO_INLINE void
resource_advance_by (SimGm *gm, Resource *r, double now, double dt)
{
  for (int c = 0; c < r->n_cls; c++)
    r->cls[c].vwork += r->cls[c].rate * dt;
  if (r->total_rate > 0)
    {
      r->moved += r->total_rate * dt;
      add_to_buckets (gm, r, r->last, now, r->total_rate);
    }
  r->last = now;
}

/* Take class c's first transfer off the resource. */
static inline Xfer
resource_pop (Resource *r, int c)
{
  Xfer x = class_pop (&r->cls[c]);
  r->n_xfers--;
  if (r->cls[c].n == 0)
    {
      r->active &= ~(1u << c);
      r->active_by_cap &= ~(1u << r->cap_pos[c]);
    }
  return x;
}

/* Bring virtual work and the byte counters up to `now` (rates are constant in between).  Most
 * starts come at the instant of the one before (the cores run in lockstep): nothing to do. */
static inline void
resource_advance (SimGm *gm, Resource *r, double now)
{
  double dt = now - r->last;
  if (dt > 0)
    resource_advance_by (gm, r, now, dt);
}

/* A count as a double: the same value as the usual conversion (counts are far below 2^63),
 * without its test for the top bit. */
static inline double
count (gsize n)
{
  return (double) (gint64) n;
}

/* Without contention every class streams at its cap: set the rates, and return the sum of caps
 * (in class order: that is the total rate) with the next completion in *next.  (MIN (cap,
 * INFINITY), the rate the water filling gives, is the cap itself.) */
static inline double
uncontended_pass (Resource *r, double *next)
{
  double sum_caps = 0, t_next = INFINITY, last = r->last;
  for (guint32 m = r->active; m; m &= m - 1)
    {
      XferClass *xc = &r->cls[__builtin_ctz (m)];
      xc->rate = xc->cap;
      sum_caps += xc->cap * count (xc->n);
      double t = last + MAX (class_front (xc)->target - xc->vwork, 0) / xc->rate;
      if (t < t_next)
        t_next = t;
    }
  *next = t_next;
  return sum_caps;
}

/* Whether the sum of caps (taken in floating point) exceeds the capacity, known without taking
 * it: the sum is at least the smallest cap times the number of transfers, and its rounding is
 * far below the 2^-40 margin (some 16 ulps for 16 classes). */
static inline gboolean
contended_for_sure (const Resource *r)
{
  if (r->active == 0)
    return FALSE;
  const XferClass *lo = &r->cls[r->by_cap[__builtin_ctz (r->active_by_cap)]];
  return lo->cap * count (r->n_xfers) * (1 - 0x1p-40) > r->capacity;
}

/* Max-min fair shares with per-class caps (water filling over the classes), then the next
 * completion.  Without contention every class streams at its cap and the sums run in class
 * order; with it the water level is found in cap order (by_cap) and the sums run in that order.
 * (The summation orders are those of the numbers the model has always produced.)  Whether there
 * is contention mostly stays from one call to the next: without it before, one pass that assumes
 * none (its rates are overwritten if there is); with it, the sum of caps first. */
static void
resource_reshare (Resource *r)
{
  double sum_caps, next;
  if (!r->contended)
    {
      sum_caps = uncontended_pass (r, &next);
      if (!(sum_caps > r->capacity))
        {
          r->total_rate = sum_caps;
          r->next = next;
          return;
        }
    }
  else if (!contended_for_sure (r))
    {
      sum_caps = 0;
      for (guint32 m = r->active; m; m &= m - 1)
        sum_caps += r->cls[__builtin_ctz (m)].cap * count (r->cls[__builtin_ctz (m)].n);
      if (!(sum_caps > r->capacity))
        {
          r->contended = FALSE;
          r->total_rate = uncontended_pass (r, &r->next);
          return;
        }
    }
  r->contended = TRUE;
  double level = INFINITY, left = r->capacity;
  gsize remaining = r->n_xfers;
  for (guint32 m = r->active_by_cap; m; m &= m - 1)
    {
      const XferClass *c = &r->cls[r->by_cap[__builtin_ctz (m)]];
      double share = left / count (remaining);
      if (c->cap >= share)
        {
          level = share;
          break;
        }
      left -= c->cap * count (c->n);
      remaining -= c->n;
    }
  double total = 0, next_t = INFINITY, last = r->last;
  for (guint32 m = r->active_by_cap; m; m &= m - 1)
    {
      XferClass *c = &r->cls[r->by_cap[__builtin_ctz (m)]];
      c->rate = MIN (c->cap, level);
      total += c->rate * count (c->n);
      double t = last + MAX (class_front (c)->target - c->vwork, 0) / c->rate;
      if (t < next_t)
        next_t = t;
    }
  r->total_rate = total;
  r->next = next_t;
}

/* Class c's cap became cap: move it to its place in by_cap. */
static void
class_set_cap (Resource *r, int c, double cap)
{
  int i = 0, j;
  while (r->by_cap[i] != c)
    i++;
  for (; i + 1 < r->n_cls; i++)
    r->by_cap[i] = r->by_cap[i + 1];
  r->cls[c].cap = cap;
  for (j = r->n_cls - 1; j > 0 && r->cls[r->by_cap[j - 1]].cap > cap; j--)
    r->by_cap[j] = r->by_cap[j - 1];
  r->by_cap[j] = (guint8) c;
  r->active_by_cap = 0;
  for (i = 0; i < r->n_cls; i++)
    {
      r->cap_pos[r->by_cap[i]] = (guint8) i;
      if (r->active & (1u << r->by_cap[i]))
        r->active_by_cap |= 1u << i;
    }
}

static void
update_next (SimGm *gm)
{
  double t = INFINITY;
  for (int i = 0, n = gm->dies * 2; i < n; i++)
    t = gm->res[i].next < t ? gm->res[i].next : t; /* a minsd, no branch */
  gm->next = t;
}

/* Resource r's next completion changed from old_next: only when r held the earliest one and its
 * next went up do the others need a look. */
static inline void
update_next_one (SimGm *gm, const Resource *r, double old_next)
{
  if (r->next <= gm->next)
    gm->next = r->next;
  else if (old_next == gm->next)
    update_next (gm);
}

/* Class xc's first transfer completes after `now` (r->last) whatever rate a reshare gives it:
 * a rate is at most its class's cap, and rounding is monotone, so now + rest / rate is at least
 * now + rest / cap. */
static inline gboolean
front_after (const XferClass *xc, double now)
{
  double rest = class_front (xc)->target - xc->vwork;
  return rest > 0 && now + rest / xc->cap > now;
}

/* Every transfer of r completes after `now`, whatever rates a reshare gives (a class's later
 * transfers complete after its first). */
static gboolean
fronts_after (const Resource *r, double now)
{
  for (guint32 m = r->active; m; m &= m - 1)
    {
      const XferClass *xc = &r->cls[__builtin_ctz (m)];
      if (!front_after (xc, now))
        return FALSE;
    }
  return TRUE;
}

/* Pay the reshare r's starts put off. */
static void
reshare_owed (SimGm *gm, Resource *r)
{
  r->owed = FALSE;
  gm->n_owed--;
  resource_reshare (r);
}

/* Take every reshare owed, and the earliest completion with them. */
static void
pay_owed (SimGm *gm)
{
  for (int i = 0, n = gm->dies * 2; i < n; i++)
    if (gm->res[i].owed)
      reshare_owed (gm, &gm->res[i]);
  update_next (gm);
}

/* The cores in lockstep start some thirty transfers on a resource at one instant, and only the
 * shares after the last of them are ever used: a start that leaves every transfer of its
 * resource completing after `now` puts its reshare off (Resource.owed) until the next completion
 * is asked for (sim_gm_next_completion), or a bound of it will do (sim_gm_next_bound).  The
 * shares are a function of the transfers and caps alone, so they come out the same. */
void
sim_gm_start (SimGm *gm, double now, int die, SimGmLevel level, double bytes, double cap,
              gpointer owner)
{
  Resource *r = &gm->res[CLAMP (die, 0, gm->dies - 1) * 2 + level];
  if (G_UNLIKELY (r->owed && now != r->last))
    {
      /* owed at an earlier instant (the engine asks for the completion before time moves on,
       * so this is for other callers): its shares first, then the advance at them */
      reshare_owed (gm, r);
      update_next (gm);
    }
  resource_advance (gm, r, now); /* r->last is now `now` if it was earlier */
  /* the class of the start before, mostly (a core streams its tiles at one rate) */
  int c = r->last_cls;
  if (r->cls[c].cap != cap || c >= r->n_cls)
    {
      c = 0;
      while (c < r->n_cls && r->cls[c].cap != cap)
        c++;
    }
  if (c == r->n_cls)
    {
      /* reuse an empty class before adding one */
      int empty = -1;
      for (int i = 0; i < r->n_cls && empty < 0; i++)
        if (r->cls[i].n == 0)
          empty = i;
      if (empty >= 0)
        c = empty;
      else
        {
          g_assert (r->n_cls < MAX_CLASSES);
          c = r->n_cls++;
          r->by_cap[c] = (guint8) c;
        }
      class_set_cap (r, c, cap);
      r->cls[c].vwork = 0;
      r->cls[c].rate = cap;
    }
  r->last_cls = c;
  XferClass *xc = &r->cls[c];
  class_push (xc, (Xfer){ .target = xc->vwork + bytes, .owner = owner });
  if (xc->n == 1)
    {
      r->active |= 1u << c;
      r->active_by_cap |= 1u << r->cap_pos[c];
    }
  r->n_xfers++;
  /* owed: the other classes' fronts were checked at this instant, and only this class's front
   * may be new */
  gboolean after = r->owed ? front_after (xc, now) : fronts_after (r, now);
  if (after)
    {
      if (!r->owed)
        {
          r->owed = TRUE;
          gm->n_owed++;
        }
      return;
    }
  double old_next = r->next;
  if (r->owed)
    reshare_owed (gm, r);
  else
    resource_reshare (r);
  update_next_one (gm, r, old_next);
}

double
sim_gm_next_completion (SimGm *gm)
{
  if (gm->n_owed > 0)
    pay_owed (gm);
  return gm->next;
}

double
sim_gm_next_bound (SimGm *gm, double now)
{
  /* gm->next is the least of the resources' next completions, which those that owe a reshare
   * have not updated: above now, the others complete after now, and those that owe were found
   * to by their starts */
  if (gm->n_owed > 0 && gm->next > now)
    {
      if (!(now > 0))
        return nextafter (now, INFINITY);
      /* the next double above a positive one: its bits + 1 (nextafter is a call into libm) */
      guint64 bits;
      memcpy (&bits, &now, sizeof bits);
      bits++;
      double up;
      memcpy (&up, &bits, sizeof up);
      return up;
    }
  return sim_gm_next_completion (gm);
}

gboolean
sim_gm_owes (const SimGm *gm)
{
  return gm->n_owed > 0;
}

static inline void
done_add (SimGm *gm, gpointer owner)
{
  if (G_UNLIKELY (gm->n_done == gm->cap_done))
    {
      gm->cap_done = gm->cap_done ? 2 * gm->cap_done : 64;
      gm->done = g_renew (gpointer, gm->done, gm->cap_done);
    }
  gm->done[gm->n_done++] = owner;
}

guint
sim_gm_complete_until (SimGm *gm, double now, gpointer const **owners)
{
  if (gm->n_owed > 0)
    pay_owed (gm);
  gm->n_done = 0;
  for (int i = 0; i < gm->dies * 2; i++)
    {
      Resource *r = &gm->res[i];
      if (r->next > now)
        continue;
      resource_advance (gm, r, now);
      gboolean removed = FALSE;
      for (int c = 0; c < r->n_cls; c++)
        {
          XferClass *xc = &r->cls[c];
          /* done when less than a thousandth of a cycle of streaming is left */
          double horizon = xc->vwork + xc->rate * 1e-3;
          while (xc->n > 0 && class_front (xc)->target <= horizon)
            {
              done_add (gm, resource_pop (r, c).owner);
              removed = TRUE;
            }
        }
      if (!removed)
        {
          /* numerical guard: finish the transfer closest to done */
          XferClass *best = NULL;
          int best_c = 0;
          for (int c = 0; c < r->n_cls; c++)
            {
              XferClass *xc = &r->cls[c];
              if (xc->n > 0
                  && (!best
                      || (class_front (xc)->target - xc->vwork) / xc->rate
                             < (class_front (best)->target - best->vwork) / best->rate))
                {
                  best = xc;
                  best_c = c;
                }
            }
          if (best)
            done_add (gm, resource_pop (r, best_c).owner);
        }
      resource_reshare (r);
    }
  update_next (gm);
  *owners = gm->done;
  return gm->n_done;
}

int
sim_gm_active (const SimGm *gm)
{
  gsize n = 0;
  for (int i = 0; i < gm->dies * 2; i++)
    n += gm->res[i].n_xfers;
  return (int) n;
}

double
sim_gm_bytes (const SimGm *gm, int die, SimGmLevel level)
{
  return gm->res[die * 2 + level].moved;
}

void
sim_gm_mirror_die (SimGm *dst, int dst_die, const SimGm *src, int src_die)
{
  for (int l = 0; l < 2; l++)
    {
      Resource *d = &dst->res[dst_die * 2 + l];
      const Resource *s = &src->res[src_die * 2 + l];
      d->moved = s->moved;
      g_array_set_size (d->buckets, 0);
      g_array_append_vals (d->buckets, s->buckets->data, s->buckets->len);
    }
}

double
sim_gm_capacity (const SimGm *gm, int die, SimGmLevel level)
{
  return gm->res[die * 2 + level].capacity;
}

const double *
sim_gm_buckets (const SimGm *gm, int die, SimGmLevel level, gsize *n)
{
  const Resource *r = &gm->res[die * 2 + level];
  *n = r->buckets->len;
  return (const double *) r->buckets->data;
}
