/* sim/overlap.c — streaming Cube ∩ Vector overlap (see overlap.h). */
#include "sim/overlap.h"

#include <string.h>

#define IV(a, i) (&(a)->v[2 * (i)])
#define N_IV(a) ((a)->len / 2)

void
sim_overlap_init (SimOverlap *ov, int n_vec)
{
  *ov = (SimOverlap){ 0 };
  ov->n_vec = CLAMP (n_vec, 1, 2);
  ov->cs = 0;
  ov->ce = -1;
}

void
sim_overlap_init_room (SimOverlap *ov, int n_vec, double *room, guint cap)
{
  sim_overlap_init (ov, n_vec);
  SimIntervals *lists[] = { &ov->cube, &ov->vec[0], &ov->vec[1], &ov->u };
  for (int k = 0; k < 4; k++)
    *lists[k] = (SimIntervals){ .v = room + (gsize) k * cap, .cap = cap, .lent = TRUE };
}

static void
intervals_clear (SimIntervals *a)
{
  if (!a->lent)
    g_free (a->v);
  *a = (SimIntervals){ 0 };
}

void
sim_overlap_clear (SimOverlap *ov)
{
  intervals_clear (&ov->cube);
  intervals_clear (&ov->u);
  for (int k = 0; k < 2; k++)
    intervals_clear (&ov->vec[k]);
}

static G_GNUC_NO_INLINE void
grow (SimIntervals *a)
{
  guint cap = a->cap ? 2 * a->cap : 256;
  if (a->lent)
    {
      double *own = g_new (double, cap);
      memcpy (own, a->v, a->len * sizeof (double));
      a->v = own;
      a->lent = FALSE;
    }
  else
    a->v = g_renew (double, a->v, cap);
  a->cap = cap;
}

static inline void
append (SimIntervals *a, double start, double end)
{
  if (G_UNLIKELY (a->len + 2 > a->cap))
    grow (a);
  a->v[a->len] = start;
  a->v[a->len + 1] = end;
  a->len += 2;
}

/* drop the first *pos intervals of a once they are many */
static void
compact (SimIntervals *a, guint *pos, gboolean force)
{
  if (*pos == 0 || (!force && *pos < 512))
    return;
  memmove (a->v, a->v + 2 * *pos, (a->len - 2 * *pos) * sizeof (double));
  a->len -= 2 * *pos;
  *pos = 0;
}

static void
emit_union (SimOverlap *ov)
{
  if (ov->ce > ov->cs)
    append (&ov->u, ov->cs, ov->ce);
}

/* As far as the intervals known so far decide: the union of the Vector lists (a merge by start),
 * then its intersection with the Cube list (two pointers).  final: no interval comes any more. */
static void
advance (SimOverlap *ov, gboolean final)
{
  SimIntervals *a = &ov->vec[0], *b = ov->n_vec > 1 ? &ov->vec[1] : NULL;
  /* the positions, the ends and the union interval in locals: the union's appends store doubles,
   * which the compiler must otherwise take for any of these fields (and reload them) */
  const double *va = a->v, *vb = b != NULL ? b->v : NULL;
  guint ia = ov->vi[0], ib = ov->vi[1], na = N_IV (a), nb = b != NULL ? N_IV (b) : 0;
  double cs = ov->cs, ce = ov->ce;
  for (;;)
    {
      gboolean ha = ia < na, hb = b != NULL && ib < nb;
      if (!ha && !hb)
        break;
      /* a later interval of the other list could start earlier: wait for it */
      if (!final && b != NULL && !(ha && hb))
        break;
      const double *next;
      if (!hb || (ha && va[2 * ia] <= vb[2 * ib]))
        next = &va[2 * ia++];
      else
        next = &vb[2 * ib++];
      if (next[0] > ce)
        {
          if (ce > cs) /* emit_union */
            append (&ov->u, cs, ce);
          cs = next[0];
          ce = next[1];
        }
      else if (next[1] > ce)
        ce = next[1];
    }
  ov->vi[0] = ia;
  ov->vi[1] = ib;
  ov->cs = cs;
  ov->ce = ce;
  if (final)
    {
      emit_union (ov);
      ov->cs = 0;
      ov->ce = -1;
    }
  const double *vc = ov->cube.v, *vu = ov->u.v;
  guint ci = ov->ci, ui = ov->ui, nc = N_IV (&ov->cube), nu = N_IV (&ov->u);
  double both = ov->both;
  while (ci < nc && ui < nu)
    {
      const double *c = &vc[2 * ci], *v = &vu[2 * ui];
      double lo = MAX (c[0], v[0]), hi = MIN (c[1], v[1]);
      if (hi > lo)
        both += hi - lo;
      if (c[1] < v[1])
        ci++;
      else
        ui++;
    }
  ov->ci = ci;
  ov->ui = ui;
  ov->both = both;
  compact (a, &ov->vi[0], final);
  if (b)
    compact (b, &ov->vi[1], final);
  compact (&ov->cube, &ov->ci, final);
  compact (&ov->u, &ov->ui, final);
}

/* sim_overlap_add_to when the list is out of room or its batch is full */
void
_sim_overlap_add_slow (SimOverlap *ov, SimIntervals *list, double start, double end)
{
  append (list, start, end);
  if (list->len >= 2 * SIM_OVERLAP_BATCH)
    advance (ov, FALSE);
}

void
sim_overlap_add (SimOverlap *ov, int which, double start, double end)
{
  sim_overlap_add_to (ov, sim_overlap_list (ov, which), start, end);
}

double
sim_overlap_finish (SimOverlap *ov)
{
  advance (ov, TRUE);
  return ov->both;
}
