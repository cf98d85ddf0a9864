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
  for (;;)
    {
      gboolean ha = ov->vi[0] < N_IV (a), hb = b != NULL && ov->vi[1] < N_IV (b);
      if (!ha && !hb)
        break;
      /* a later interval of the other list could start earlier: wait for it */
      if (!final && b != NULL && !(ha && hb))
        break;
      const double *next;
      if (!hb || (ha && IV (a, ov->vi[0])[0] <= IV (b, ov->vi[1])[0]))
        next = IV (a, ov->vi[0]++);
      else
        next = IV (b, ov->vi[1]++);
      if (next[0] > ov->ce)
        {
          emit_union (ov);
          ov->cs = next[0];
          ov->ce = next[1];
        }
      else if (next[1] > ov->ce)
        ov->ce = next[1];
    }
  if (final)
    {
      emit_union (ov);
      ov->cs = 0;
      ov->ce = -1;
    }
  while (ov->ci < N_IV (&ov->cube) && ov->ui < N_IV (&ov->u))
    {
      const double *c = IV (&ov->cube, ov->ci), *v = IV (&ov->u, ov->ui);
      double lo = MAX (c[0], v[0]), hi = MIN (c[1], v[1]);
      if (hi > lo)
        ov->both += hi - lo;
      if (c[1] < v[1])
        ov->ci++;
      else
        ov->ui++;
    }
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
