/* sim/trace/trace-map-guard.c — SIGBUS on a shrinking trace mapping becomes an error (see
 * trace-map-guard.h).
 *
 * Why zero pages and not siglongjmp: a fault can land anywhere the mapped text is read — the
 * event scanner, json-c's tokener, zlib, or trace_import_event copying a name into a hash table
 * after the scanner had seen its bytes (truncation takes away pages already read, too).  Jumping
 * out of those leaves their structures half-updated and their allocations lost; returning after
 * mapping zeros lets each of them finish, and the reader already copes with a file whose bytes
 * change under it (a same-size rewrite changes them without any signal).
 */
#include "sim/trace/trace-map-guard.h"

#include <errno.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

typedef struct
{
  const char *base;
  gsize len;
  volatile sig_atomic_t hit;
} Guard;

/* initial-exec: the handler must not make the first access to a thread's TLS block (that may
 * allocate); arming touches it first on the thread itself. */
static _Thread_local Guard guard __attribute__ ((tls_model ("initial-exec")));
static struct sigaction previous;
static guintptr page_size;

static void
chain (int sig, siginfo_t *info, void *context)
{
  if ((previous.sa_flags & SA_SIGINFO) != 0 && previous.sa_sigaction != NULL)
    {
      previous.sa_sigaction (sig, info, context);
      return;
    }
  if (previous.sa_handler != SIG_DFL && previous.sa_handler != SIG_IGN)
    {
      previous.sa_handler (sig);
      return;
    }
  if (previous.sa_handler == SIG_IGN && info != NULL && info->si_code <= 0)
    return; /* sent with kill(): ignored, as before; a fault cannot be ignored */
  /* the default action, as if we had never been installed: pending until the handler returns */
  struct sigaction dfl;
  memset (&dfl, 0, sizeof dfl);
  dfl.sa_handler = SIG_DFL;
  sigemptyset (&dfl.sa_mask);
  sigaction (SIGBUS, &dfl, NULL);
  raise (SIGBUS);
}

static void
on_sigbus (int sig, siginfo_t *info, void *context)
{
  int saved_errno = errno;
  const char *addr = info != NULL ? info->si_addr : NULL;
  if (guard.base != NULL && info != NULL && info->si_code > 0 && addr >= guard.base
      && addr < guard.base + guard.len)
    {
      /* the file ends before addr: the rest of the range reads as zeros from now on */
      guintptr from = (guintptr) addr / page_size * page_size;
      guintptr to = ((guintptr) guard.base + guard.len + page_size - 1) / page_size * page_size;
      if (mmap ((void *) from, to - from, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0)
          != MAP_FAILED)
        {
          guard.hit = 1;
          errno = saved_errno;
          return;
        }
    }
  errno = saved_errno;
  chain (sig, info, context);
}

static void
install (void)
{
  static gsize done = 0;
  if (!g_once_init_enter (&done))
    return;
  page_size = (guintptr) sysconf (_SC_PAGESIZE);
  struct sigaction sa;
  memset (&sa, 0, sizeof sa);
  sa.sa_sigaction = on_sigbus;
  sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
  sigemptyset (&sa.sa_mask);
  sigaction (SIGBUS, &sa, &previous);
  g_once_init_leave (&done, 1);
}

void
trace_map_guard_arm (const void *data, gsize len)
{
  install ();
  guard.hit = 0;
  guard.len = len;
  atomic_signal_fence (memory_order_seq_cst);
  guard.base = data; /* last: the handler only looks at a complete range */
}

gboolean
trace_map_guard_hit (void)
{
  return guard.hit != 0;
}

void
trace_map_guard_disarm (void)
{
  guard.base = NULL;
  atomic_signal_fence (memory_order_seq_cst);
  guard.len = 0;
}
