/* sim/evqueue.c — the engine's event queue: a FIFO per instant, the instants in a binary heap.
 *
 * An event's key is the IEEE bit pattern of its (non-negative) time, which orders like the time.
 * The events of one key wait in a FIFO (push order); the FIFOs wait in a binary heap on their key
 * and the order they were made in, except the one the front is popped from.  The 48 AICs run the
 * same program in lockstep, so an instant holds a dozen events on average: the heap orders
 * instants, not events, and a push mostly appends to the FIFO of the push before.  A push finds
 * another key's FIFO through a small cache; when it misses it makes a new FIFO, which leaves
 * after the older ones of its key, so the order is the same (see SimEvQueue.cache).
 *
 * (A radix heap on the events came before: it moved each event down its buckets a few times,
 * a third of the queue's cost.  A calendar queue lost to it.) */
#include "sim/evqueue.h"

#include <string.h>

static inline guint
cache_slot (guint64 key)
{
  return (guint) ((key * 0x9E3779B97F4A7C15ull) >> 56); /* SIM_EVQ_CACHE = 256 slots */
}
G_STATIC_ASSERT (SIM_EVQ_CACHE == 256);

static inline gboolean
node_before (const SimEvHeapNode *a, const SimEvHeapNode *b)
{
  return a->key < b->key || (a->key == b->key && a->order < b->order);
}

static void
heap_push (SimEvQueue *q, SimEvFifo *f)
{
  if (q->n_heap == q->cap_heap)
    {
      q->cap_heap = q->cap_heap ? 2 * q->cap_heap : 64;
      q->heap = g_renew (SimEvHeapNode, q->heap, q->cap_heap);
    }
  SimEvHeapNode x = { .key = f->key, .order = f->order, .f = f };
  guint i = q->n_heap++;
  /* a new instant is mostly later than those queued: it stays near the bottom */
  while (i > 0)
    {
      guint up = (i - 1) / 2;
      if (!node_before (&x, &q->heap[up]))
        break;
      q->heap[i] = q->heap[up];
      i = up;
    }
  q->heap[i] = x;
}

static SimEvFifo *
heap_pop (SimEvQueue *q)
{
  SimEvFifo *top = q->heap[0].f;
  SimEvHeapNode x = q->heap[--q->n_heap];
  guint n = q->n_heap, i = 0;
  for (;;)
    {
      guint l = 2 * i + 1;
      if (l >= n)
        break;
      if (l + 1 < n && node_before (&q->heap[l + 1], &q->heap[l]))
        l++;
      if (!node_before (&q->heap[l], &x))
        break;
      q->heap[i] = q->heap[l];
      i = l;
    }
  if (n > 0)
    q->heap[i] = x;
  return top;
}

static SimEvFifo *
fifo_new (SimEvQueue *q, guint64 key)
{
  SimEvFifo *f;
  if (q->n_pool > 0)
    f = q->pool[--q->n_pool];
  else
    {
      if (q->n_all == q->cap_all)
        {
          q->cap_all = q->cap_all ? 2 * q->cap_all : 64;
          q->all = g_renew (SimEvFifo *, q->all, q->cap_all);
          q->pool = g_renew (SimEvFifo *, q->pool, q->cap_all);
        }
      f = g_new0 (SimEvFifo, 1);
      q->all[q->n_all++] = f;
    }
  f->key = key;
  f->order = q->order++;
  return f;
}

/* f has no events left and is not in the heap: back to the pool (a push no longer finds it). */
static void
fifo_free (SimEvQueue *q, SimEvFifo *f)
{
  f->key = G_MAXUINT64;
  f->head = f->end = f->items;
  if (q->push_to == f)
    {
      q->push_key = G_MAXUINT64;
      q->push_to = &q->none;
    }
  q->pool[q->n_pool++] = f;
}

static void
fifo_grow (SimEvFifo *f)
{
  gsize head = (gsize) (f->head - f->items), n = (gsize) (f->end - f->items);
  gsize cap = (gsize) (f->cap - f->items);
  if (head > 0 && head >= n / 2)
    {
      /* reuse the consumed front */
      memmove (f->items, f->head, (n - head) * sizeof *f->items);
      n -= head;
      head = 0;
    }
  else
    {
      cap = cap ? 2 * cap : 16;
      f->items = g_renew (SimEvent, f->items, cap);
    }
  f->head = f->items + head;
  f->end = f->items + n;
  f->cap = f->items + cap;
}

/* A new instant (or one the cache lost: a later FIFO of its key), with ev as its first event. */
static G_GNUC_NO_INLINE void
push_new (SimEvQueue *q, const SimEvent *ev, guint64 key, guint slot)
{
  SimEvFifo *f = fifo_new (q, key);
  q->cache[slot] = f;
  SimEvFifo *front = q->front;
  if (front != &q->none && key < front->key)
    {
      /* before the front (a GM completion that came first schedules work before it) */
      if (front->head < front->end)
        heap_push (q, front);
      else
        fifo_free (q, front);
      q->front = f;
    }
  else
    heap_push (q, f);
  if (f->end == f->cap)
    fifo_grow (f);
  *f->end++ = *ev;
  q->push_key = key;
  q->push_to = f;
}

static G_GNUC_NO_INLINE void
push_grow (SimEvQueue *q, SimEvFifo *f, const SimEvent *ev, guint64 key)
{
  fifo_grow (f);
  *f->end++ = *ev;
  q->push_key = key;
  q->push_to = f;
}

/* Not the key of the push before, or no room: mostly an instant the cache finds (no call). */
void
_sim_evq_push_slow (SimEvQueue *q, const SimEvent *ev, guint64 key)
{
  guint slot = cache_slot (key);
  SimEvFifo *f = key == q->push_key ? q->push_to : q->cache[slot];
  if (G_UNLIKELY (f == NULL || f->key != key))
    {
      push_new (q, ev, key, slot);
      return;
    }
  if (G_UNLIKELY (f->end == f->cap))
    {
      push_grow (q, f, ev, key);
      return;
    }
  *f->end++ = *ev;
  q->push_key = key;
  q->push_to = f;
}

/* The front FIFO is empty: back to the pool, and no front. */
static inline void
drop_front (SimEvQueue *q)
{
  if (q->front != &q->none)
    {
      fifo_free (q, q->front);
      q->front = &q->none;
    }
}

/* The front FIFO is empty. */
gboolean
_sim_evq_pop_before_slow (SimEvQueue *q, double limit, SimEvent *ev)
{
  drop_front (q);
  /* the heap's top becomes the front only when it is popped now */
  if (q->n_heap == 0 || !(q->heap[0].f->head->t < limit))
    return FALSE;
  q->front = heap_pop (q);
  *ev = *q->front->head++;
  return TRUE;
}

SimEvQueue *
sim_evq_new (double bucket_cycles)
{
  (void) bucket_cycles;
  SimEvQueue *q = g_new0 (SimEvQueue, 1);
  q->none.key = G_MAXUINT64;
  q->front = &q->none;
  q->push_to = &q->none;
  q->push_key = G_MAXUINT64;
  return q;
}

void
sim_evq_free (SimEvQueue *q)
{
  if (!q)
    return;
  for (guint i = 0; i < q->n_all; i++)
    {
      g_free (q->all[i]->items);
      g_free (q->all[i]);
    }
  g_free (q->all);
  g_free (q->pool);
  g_free (q->heap);
  g_free (q);
}

/* Not kept up to date by push and pop (the engine never asks): counted. */
gsize
sim_evq_len (const SimEvQueue *q)
{
  gsize n = (gsize) (q->front->end - q->front->head);
  for (guint i = 0; i < q->n_heap; i++)
    n += (gsize) (q->heap[i].f->end - q->heap[i].f->head);
  return n;
}

gboolean
sim_evq_peek (SimEvQueue *q, double *t)
{
  if (q->front->head == q->front->end)
    {
      drop_front (q);
      if (q->n_heap == 0)
        return FALSE;
      q->front = heap_pop (q);
    }
  *t = q->front->head->t;
  return TRUE;
}

SimEvent
sim_evq_pop (SimEvQueue *q)
{
  double t;
  gboolean ok = sim_evq_peek (q, &t);
  g_assert (ok);
  return *q->front->head++;
}
