/* sim/gm.c — GM bandwidth sharing and the L2 model (see gm.h). */
#include "sim/gm.h"

#include <math.h>
#include <string.h>

typedef struct
{
  double finish; /* completion time at the current rate */
  double cap;
  double rate;
  gpointer owner;
} Xfer;

typedef struct
{
  double capacity;   /* B/cycle */
  GArray *xfers;     /* Xfer */
  double last;       /* time the bandwidth counter was last brought up to date */
  double next;       /* earliest completion */
  double total_rate; /* sum of current rates */
  double sum_caps;
  gboolean oversubscribed;
  double moved;
  GArray *buckets; /* double bytes per bucket */
} Resource;

typedef struct L2Node L2Node;
struct L2Node
{
  guint64 tag;
  guint64 bytes;
  L2Node *prev, *next;
};

typedef struct
{
  GHashTable *map; /* tag -> L2Node */
  L2Node head;     /* sentinel: head.next = most recent */
  guint64 used, capacity;
} L2;

struct SimGm
{
  int dies;
  Resource *res; /* [die * 2 + level] */
  L2 *l2;
  double bucket_cycles;
  int next_id;
};

static void
l2_unlink (L2Node *n)
{
  n->prev->next = n->next;
  n->next->prev = n->prev;
}

static void
l2_push_front (L2 *l2, L2Node *n)
{
  n->next = l2->head.next;
  n->prev = &l2->head;
  l2->head.next->prev = n;
  l2->head.next = n;
}

SimGm *
sim_gm_new (const SimHw *hw, double bucket_cycles)
{
  SimGm *gm = g_new0 (SimGm, 1);
  gm->dies = hw->dies;
  gm->bucket_cycles = bucket_cycles > 0 ? bucket_cycles : 1800;
  gm->res = g_new0 (Resource, hw->dies * 2);
  gm->l2 = g_new0 (L2, hw->dies);
  double cyc_per_s = hw->clock_mhz * 1e6;
  for (int d = 0; d < hw->dies; d++)
    {
      for (int l = 0; l < 2; l++)
        {
          Resource *r = &gm->res[d * 2 + l];
          r->capacity = (l == SIM_GM_HBM ? hw->hbm_bytes_per_s : hw->l2_bytes_per_s) / cyc_per_s;
          r->xfers = g_array_new (FALSE, FALSE, sizeof (Xfer));
          r->buckets = g_array_new (FALSE, TRUE, sizeof (double));
          r->next = INFINITY;
        }
      L2 *l2 = &gm->l2[d];
      l2->map = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, g_free);
      l2->head.next = l2->head.prev = &l2->head;
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
      g_array_unref (gm->res[i].xfers);
      g_array_unref (gm->res[i].buckets);
    }
  for (int d = 0; d < gm->dies; d++)
    g_hash_table_destroy (gm->l2[d].map);
  g_free (gm->l2);
  g_free (gm->res);
  g_free (gm);
}

gboolean
sim_gm_l2_access (SimGm *gm, int die, guint64 tag, guint64 bytes, gboolean write)
{
  L2 *l2 = &gm->l2[CLAMP (die, 0, gm->dies - 1)];
  if (tag == 0 || l2->capacity == 0)
    return FALSE;
  L2Node *n = g_hash_table_lookup (l2->map, &tag);
  if (n)
    {
      l2_unlink (n);
      l2_push_front (l2, n);
      if (bytes > n->bytes)
        {
          l2->used += bytes - n->bytes;
          n->bytes = bytes;
        }
      return TRUE;
    }
  n = g_new0 (L2Node, 1);
  n->tag = tag;
  n->bytes = bytes;
  g_hash_table_insert (l2->map, &n->tag, n);
  l2_push_front (l2, n);
  l2->used += bytes;
  while (l2->used > l2->capacity && l2->head.prev != n)
    {
      L2Node *old = l2->head.prev;
      l2_unlink (old);
      l2->used -= old->bytes;
      g_hash_table_remove (l2->map, &old->tag);
    }
  return write; /* a write lands in L2 whatever was there */
}

static void
add_to_buckets (SimGm *gm, Resource *r, double t0, double t1, double rate)
{
  if (rate <= 0 || t1 <= t0)
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

/* Account the bytes streamed since the last update (the rates are constant in between). */
static void
resource_advance (SimGm *gm, Resource *r, double now)
{
  double dt = now - r->last;
  if (dt > 0 && r->total_rate > 0)
    {
      r->moved += r->total_rate * dt;
      add_to_buckets (gm, r, r->last, now, r->total_rate);
    }
  if (now > r->last)
    r->last = now;
}

/* Max-min fair shares with per-transfer caps (water filling), at time r->last.  Caps take few
 * distinct values (one per path kind), so the filling runs over distinct caps. */
static void
resource_reshare (Resource *r)
{
  guint n = r->xfers->len;
  double now = r->last;
  r->next = INFINITY;
  r->total_rate = 0;
  r->oversubscribed = r->sum_caps > r->capacity * (1 + 1e-12);
  if (n == 0)
    return;
  double level = INFINITY;
  if (r->oversubscribed)
    {
      double caps[16];
      guint counts[16];
      guint nd = 0;
      gboolean many = FALSE;
      for (guint i = 0; i < n && !many; i++)
        {
          double c = g_array_index (r->xfers, Xfer, i).cap;
          guint k = 0;
          while (k < nd && caps[k] != c)
            k++;
          if (k == nd)
            {
              if (nd == G_N_ELEMENTS (caps))
                {
                  many = TRUE;
                  break;
                }
              caps[nd] = c;
              counts[nd++] = 0;
            }
          counts[k]++;
        }
      if (many)
        level = r->capacity / n;
      else
        {
          for (guint i = 1; i < nd; i++)
            for (guint j = i; j > 0 && caps[j - 1] > caps[j]; j--)
              {
                double tc = caps[j];
                caps[j] = caps[j - 1];
                caps[j - 1] = tc;
                guint tn = counts[j];
                counts[j] = counts[j - 1];
                counts[j - 1] = tn;
              }
          double left = r->capacity;
          guint remaining = n;
          for (guint k = 0; k < nd; k++)
            {
              double share = left / remaining;
              if (caps[k] >= share)
                {
                  level = share;
                  break;
                }
              left -= caps[k] * counts[k];
              remaining -= counts[k];
            }
        }
    }
  for (guint i = 0; i < n; i++)
    {
      Xfer *x = &g_array_index (r->xfers, Xfer, i);
      double rem = MAX (x->finish - now, 0) * x->rate; /* bytes left at the old rate */
      x->rate = MIN (x->cap, level);
      x->finish = now + rem / x->rate;
      r->total_rate += x->rate;
      if (x->finish < r->next)
        r->next = x->finish;
    }
}

int
sim_gm_start (SimGm *gm, double now, int die, SimGmLevel level, double bytes, double cap,
              gpointer owner)
{
  Resource *r = &gm->res[CLAMP (die, 0, gm->dies - 1) * 2 + level];
  resource_advance (gm, r, now);
  /* a new transfer is entered as if it had run at its cap from now: rem = bytes */
  Xfer x = { .finish = now + bytes / cap, .cap = cap, .rate = cap, .owner = owner };
  g_array_append_val (r->xfers, x);
  r->sum_caps += cap;
  if (!r->oversubscribed && r->sum_caps <= r->capacity)
    {
      /* nobody's share changes */
      r->total_rate += cap;
      if (x.finish < r->next)
        r->next = x.finish;
    }
  else
    resource_reshare (r);
  return ++gm->next_id;
}

double
sim_gm_next_completion (const SimGm *gm)
{
  double t = INFINITY;
  for (int i = 0; i < gm->dies * 2; i++)
    if (gm->res[i].next < t)
      t = gm->res[i].next;
  return t;
}

GPtrArray *
sim_gm_complete_until (SimGm *gm, double now)
{
  GPtrArray *done = g_ptr_array_new ();
  for (int i = 0; i < gm->dies * 2; i++)
    {
      Resource *r = &gm->res[i];
      if (r->next > now)
        continue;
      resource_advance (gm, r, now);
      gboolean was_over = r->oversubscribed;
      /* done when less than a thousandth of a cycle is left */
      double horizon = now + 1e-3;
      for (guint k = 0; k < r->xfers->len;)
        {
          Xfer *x = &g_array_index (r->xfers, Xfer, k);
          if (x->finish <= horizon)
            {
              g_ptr_array_add (done, x->owner);
              r->sum_caps -= x->cap;
              r->total_rate -= x->rate;
              g_array_remove_index_fast (r->xfers, k);
            }
          else
            k++;
        }
      if (r->xfers->len == 0)
        {
          r->sum_caps = 0;
          r->total_rate = 0;
        }
      if (was_over)
        resource_reshare (r);
      else
        {
          r->next = INFINITY;
          for (guint k = 0; k < r->xfers->len; k++)
            r->next = MIN (r->next, g_array_index (r->xfers, Xfer, k).finish);
        }
    }
  return done;
}

int
sim_gm_active (const SimGm *gm)
{
  int n = 0;
  for (int i = 0; i < gm->dies * 2; i++)
    n += gm->res[i].xfers->len;
  return n;
}

double
sim_gm_bytes (const SimGm *gm, int die, SimGmLevel level)
{
  return gm->res[die * 2 + level].moved;
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
