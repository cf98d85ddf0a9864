/* sim/bigmem.h — zeroed blocks of a few MiB that a run touches all over (the queues of every
 * core of a streamed program, the overlap lists of every AI core, the trace's spans), internal to
 * sim/ (built into the trace library, the lowest one, so sim/trace/trace.c uses it too).
 *
 * Touching fresh memory costs a page fault per 4 KiB page; under virtualisation a fault costs
 * microseconds, and a default run touched about 5000 pages, as much time as the simulation
 * itself.  A block of 2 MiB or more is mapped 2 MiB-aligned and advised for transparent huge
 * pages, so it faults in a few 2 MiB pages (the kernel takes the advice when its THP mode is
 * "always" or "madvise"; otherwise, or if the mapping fails, it is ordinary memory). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  gpointer base;
  gsize size;       /* bytes usable from base */
  gboolean mapped;  /* mmap'd (else g_malloc0'd) */
} SimBigMem;

/* At least `bytes` bytes (none for 0), the first `zero_bytes` of them zeroed.  A freed block is
 * kept for the next one of its size (a few, process-wide; the ones kept longest make room): a
 * long-lived process (the window, a sweep, a benchmark) runs the same shapes again and again, and
 * reusing memory costs no fault.  Without the room made, blocks of sizes no longer asked for held
 * the cache and the window's runs faulted in all their memory (cold toggles: 80 to 220 ms). */
SimBigMem sim_bigmem_new (gsize bytes, gsize zero_bytes);
void sim_bigmem_free (SimBigMem *m);


static inline gboolean
sim_bigmem_holds (const SimBigMem *m, gconstpointer p)
{
  return m->base != NULL && (const char *) p >= (const char *) m->base
         && (const char *) p < (const char *) m->base + m->size;
}

G_END_DECLS
