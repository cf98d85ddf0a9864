/* sim/bigmem.c — zeroed blocks advised for transparent huge pages (see bigmem.h). */
#include "sim/bigmem.h"

#include <string.h>
#include <sys/mman.h>

#define HUGE_PAGE ((gsize) 2 << 20)

/* freed mapped blocks, for reuse by a block of the same size */
#define CACHE_BLOCKS 4
#define CACHE_BYTES ((gsize) 96 << 20)
static GMutex cache_lock;
static SimBigMem cache[CACHE_BLOCKS];
static guint64 cache_age[CACHE_BLOCKS], cache_clock; /* when each was kept: the oldest go first */
SimBigMem
sim_bigmem_new (gsize bytes, gsize zero_bytes)
{
  g_return_val_if_fail (zero_bytes <= bytes, ((SimBigMem){ NULL, 0, FALSE }));
  if (bytes == 0)
    return (SimBigMem){ NULL, 0, FALSE };
  if (bytes >= HUGE_PAGE)
    {
      gsize size = (bytes + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
      SimBigMem reused = { NULL, 0, FALSE };
      g_mutex_lock (&cache_lock);
      for (int i = 0; i < CACHE_BLOCKS; i++)
        if (cache[i].base != NULL && cache[i].size == size)
          {
            reused = cache[i];
            cache[i] = (SimBigMem){ NULL, 0, FALSE };
            break;
          }
      g_mutex_unlock (&cache_lock);
      if (reused.base != NULL)
        {
          memset (reused.base, 0, zero_bytes);
          return reused;
        }
      char *p = mmap (NULL, size + HUGE_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                      -1, 0);
      if (p != MAP_FAILED)
        {
          /* keep the 2 MiB-aligned part: only aligned 2 MiB ranges can be huge pages */
          char *a = (char *) (((guintptr) p + HUGE_PAGE - 1) & ~(guintptr) (HUGE_PAGE - 1));
          if (a > p)
            munmap (p, (gsize) (a - p));
          if (a + size < p + size + HUGE_PAGE)
            munmap (a + size, (gsize) (p + size + HUGE_PAGE - (a + size)));
#ifdef MADV_HUGEPAGE
          madvise (a, size, MADV_HUGEPAGE); /* advice only: a refusal leaves 4 KiB pages */
#endif
          return (SimBigMem){ a, size, TRUE }; /* fresh: zero already */
        }
    }
  gpointer p = g_malloc (bytes);
  memset (p, 0, zero_bytes);
  return (SimBigMem){ p, bytes, FALSE };
}

void
sim_bigmem_free (SimBigMem *m)
{
  if (m->base == NULL)
    return;
  if (m->mapped)
    {
      /* keep it for the next block of its size; room is made by unmapping the blocks kept
       * longest (sizes of runs no longer made would otherwise hold the cache for good) */
      SimBigMem drop[CACHE_BLOCKS];
      int n_drop = 0;
      gboolean kept = FALSE;
      g_mutex_lock (&cache_lock);
      if (m->size <= CACHE_BYTES)
        {
          gsize held = 0;
          for (int i = 0; i < CACHE_BLOCKS; i++)
            held += cache[i].size;
          for (;;)
            {
              int empty = -1, oldest = -1;
              for (int i = 0; i < CACHE_BLOCKS; i++)
                if (cache[i].base == NULL)
                  empty = empty < 0 ? i : empty;
                else if (oldest < 0 || cache_age[i] < cache_age[oldest])
                  oldest = i;
              if (empty >= 0 && held + m->size <= CACHE_BYTES)
                {
                  cache[empty] = *m;
                  cache_age[empty] = ++cache_clock;
                  kept = TRUE;
                  break;
                }
              if (oldest < 0)
                break;
              held -= cache[oldest].size;
              drop[n_drop++] = cache[oldest];
              cache[oldest] = (SimBigMem){ NULL, 0, FALSE };
            }
        }
      g_mutex_unlock (&cache_lock);
      for (int i = 0; i < n_drop; i++)
        munmap (drop[i].base, drop[i].size);
      if (!kept)
        munmap (m->base, m->size);
    }
  else
    g_free (m->base);
  *m = (SimBigMem){ NULL, 0, FALSE };
}
