/* sim/bigmem.c — zeroed blocks advised for transparent huge pages (see bigmem.h). */
#include "sim/bigmem.h"

#include <sys/mman.h>

#define HUGE_PAGE ((gsize) 2 << 20)

SimBigMem
sim_bigmem_new (gsize bytes)
{
  if (bytes == 0)
    return (SimBigMem){ NULL, 0, FALSE };
  if (bytes >= HUGE_PAGE)
    {
      gsize size = (bytes + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
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
          return (SimBigMem){ a, size, TRUE };
        }
    }
  return (SimBigMem){ g_malloc0 (bytes), bytes, FALSE };
}

void
sim_bigmem_free (SimBigMem *m)
{
  if (m->base == NULL)
    return;
  if (m->mapped)
    munmap (m->base, m->size);
  else
    g_free (m->base);
  *m = (SimBigMem){ NULL, 0, FALSE };
}
