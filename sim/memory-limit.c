/* sim/memory-limit.c — the memory limit of a run or an opened trace (see memory-limit.h). */
#include "sim/memory-limit.h"

#include <string.h>
#include <unistd.h>

gboolean
sim_parse_size (const char *s, guint64 *out)
{
  if (s == NULL)
    return FALSE;
  char *end = NULL;
  double v = g_ascii_strtod (s, &end);
  if (end == s || !(v > 0) || v > 1e18)
    return FALSE;
  double unit = 1;
  switch (g_ascii_toupper (*end))
    {
    case 'K':
      unit = 1024.0;
      end++;
      break;
    case 'M':
      unit = 1048576.0;
      end++;
      break;
    case 'G':
      unit = 1073741824.0;
      end++;
      break;
    case 'T':
      unit = 1099511627776.0;
      end++;
      break;
    default:
      break;
    }
  if (unit > 1 && (g_str_equal (end, "iB") || g_str_equal (end, "B")))
    end += strlen (end);
  if (*end != '\0' || v * unit < 1 || v * unit > 1e18)
    return FALSE;
  *out = (guint64) (v * unit);
  return TRUE;
}

guint64
sim_default_memory_limit (void)
{
  guint64 env = 0;
  if (sim_parse_size (g_getenv ("AMLAVIZ_MAX_MEMORY"), &env))
    return env;
  long pages = sysconf (_SC_PHYS_PAGES), page = sysconf (_SC_PAGESIZE);
  if (pages <= 0 || page <= 0)
    return G_GUINT64_CONSTANT (8) << 30; /* unknown: 8 GiB */
  return (guint64) pages * (guint64) page / 2;
}
