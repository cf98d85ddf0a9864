/* sim/memory-limit.h — how much memory one run or one opened trace may take.
 *
 * The limit is $AMLAVIZ_MAX_MEMORY when set (a size, e.g. 8G: how the window is limited), else
 * half of this machine's physical memory.  amla_run refuses a simulation estimated above it
 * (`run --max-memory` overrides it there); sim/trace/trace-gzip.c refuses to inflate a gzip
 * trace into more than it.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A size: bytes, or a number with K, M, G or T (powers of 1024; "iB"/"B" optional), e.g. 8G,
 * 512MiB, 1.5T.  FALSE on anything else or on 0. */
gboolean sim_parse_size (const char *s, guint64 *out);
/* $AMLAVIZ_MAX_MEMORY when it is a size, else half of physical memory (8 GiB if unknown). */
guint64 sim_default_memory_limit (void);

G_END_DECLS
