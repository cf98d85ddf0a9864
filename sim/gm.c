/* sim/gm.c — GM bandwidth sharing and the L2 model (see gm.h). */
#include "sim/gm.h"

#include <math.h>
#include <string.h>

typedef struct
{
  double remaining;
  double cap;
  double rate;
  gpointer owner;
  int id;
} Xfer;

typedef struct
{
  double capacity; /* B/cycle */
  GArray *xfers;   /* Xfer */
  double last;     /* time remaining[] was last brought up to date */
  double next;     /* earliest completion */
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

/* Bring remaining bytes up to date at `now`. */
static void
resource_advance (SimGm *gm, Resource *r, double now)
{
  double dt = now - r->last;
  if (dt > 0 && r->xfers->len > 0)
    {
      double total = 0;
      for (guint i = 0; i < r->xfers->len; i++)
        {
          Xfer *x = &g_array_index (r->xfers, Xfer, i);
          x->remaining -= x->rate * dt;
          total += x->rate;
        }
      r->moved += total * dt;
      add_to_buckets (gm, r, r->last, now, total);
    }
  r->last = now;
}

static int
cmp_double (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

/* Max-min fair shares with per-transfer caps (water filling). */
static void
resource_reshare (Resource *r)
{
  guint n = r->xfers->len;
  r->next = INFINITY;
  if (n == 0)
    return;
  double sum_caps = 0;
  for (guint i = 0; i < n; i++)
    sum_caps += g_array_index (r->xfers, Xfer, i).cap;
  double level;
  if (sum_caps <= r->capacity)
    level = INFINITY;
  else
    {
      double caps_buf[256];
      double *caps = n <= 256 ? caps_buf : g_new (double, n);
      for (guint i = 0; i < n; i++)
        caps[i] = g_array_index (r->xfers, Xfer, i).cap;
      qsort (caps, n, sizeof (double), cmp_double);
      double left = r->capacity;
      level = 0;
      for (guint i = 0; i < n; i++)
        {
          double share = left / (n - i);
          if (caps[i] >= share)
            {
              level = share;
              break;
            }
          left -= caps[i];
          level = caps[i];
        }
      if (caps != caps_buf)
        g_free (caps);
    }
  for (guint i = 0; i < n; i++)
    {
      Xfer *x = &g_array_index (r->xfers, Xfer, i);
      x->rate = MIN (x->cap, level);
      double t = r->last + MAX (x->remaining, 0) / x->rate;
      if (t < r->next)
        r->next = t;
    }
}

int
sim_gm_start (SimGm *gm, double now, int die, SimGmLevel level, double bytes, double cap,
              gpointer owner)
{
  Resource *r = &gm->res[CLAMP (die, 0, gm->dies - 1) * 2 + level];
  resource_advance (gm, r, now);
  Xfer x = { .remaining = bytes, .cap = cap, .rate = cap, .owner = owner, .id = ++gm->next_id };
  g_array_append_val (r->xfers, x);
  resource_reshare (r);
  return x.id;
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
      gboolean removed = FALSE;
      for (guint k = 0; k < r->xfers->len;)
        {
          Xfer *x = &g_array_index (r->xfers, Xfer, k);
          /* done when less than a thousandth of a cycle of streaming is left */
          if (x->remaining <= x->rate * 1e-3)
            {
              g_ptr_array_add (done, x->owner);
              g_array_remove_index_fast (r->xfers, k);
              removed = TRUE;
            }
          else
            k++;
        }
      if (removed)
        resource_reshare (r);
      else if (r->next <= now) /* numerical guard: force progress */
        {
          Xfer *best = NULL;
          for (guint k = 0; k < r->xfers->len; k++)
            {
              Xfer *x = &g_array_index (r->xfers, Xfer, k);
              if (!best || x->remaining / x->rate < best->remaining / best->rate)
                best = x;
            }
          if (best)
            {
              g_ptr_array_add (done, best->owner);
              g_array_remove_index_fast (r->xfers, (guint) (best - (Xfer *) r->xfers->data));
            }
          resource_reshare (r);
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
