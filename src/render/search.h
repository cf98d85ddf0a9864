/* src/render/search.h — find spans in a trace by what a user types (no display, no GTK).
 *
 * A query is words separated by spaces; a span matches when every word does.  A word matches a
 * span if it is a substring of the span's name (any case), the span's stage ("C1"), the name of
 * its core group ("AIC0") or lane ("CUBE"), a task ("t3", "task=3") or a KV block ("k5", "kv=5",
 * "block=5").  Compiling a query resolves it once per interned string, stage and lane, so testing
 * a span is a few table look-ups: counting 350 k spans or walking to the next match takes
 * milliseconds, and the renderer can ask span by span while drawing without allocating.
 * Owned by the session (src/app); read by the renderer (timeline.c) and the tests.
 */
#pragma once

#include "sim/trace/trace.h"

G_BEGIN_DECLS

typedef struct TlSearch TlSearch;

/* NULL for an empty query (only spaces). */
TlSearch *tl_search_new (const SimTrace *trace, const char *query);
void tl_search_free (TlSearch *search);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TlSearch, tl_search_free)

/* The trace the search was compiled for (a search never outlives it in the session). */
const SimTrace *tl_search_get_trace (const TlSearch *search);

/* Every span of this lane matches (a word named its core and another its pipe, say). */
gboolean tl_search_lane_all (const TlSearch *search, int group, int lane);
/* Some span of this lane may match (FALSE: none can, skip the lane). */
gboolean tl_search_lane_any (const TlSearch *search, int group, int lane);
gboolean tl_search_span (const TlSearch *search, int group, int lane, const SimSpan *span);

/* Matches in the groups with hidden[g] == 0 (hidden may be NULL). */
guint64 tl_search_count (const TlSearch *search, const guint8 *hidden);

/* A match: position in the trace. */
typedef struct
{
  int group, lane;
  gsize span;
} TlSearchHit;

/* The match after (forward) or before `from` in time order — (start, group, lane, span index)
 * — among non-hidden groups; from->group < 0 starts before the first (forward) or after the last
 * (backward) span at time from_ns.  Wraps around.  FALSE when nothing matches. */
gboolean tl_search_step (const TlSearch *search, const guint8 *hidden, const TlSearchHit *from,
                         double from_ns, gboolean forward, TlSearchHit *out);
/* 1-based rank of a match in time order (for "3 of 120"); 0 if it is not a match. */
guint64 tl_search_rank (const TlSearch *search, const guint8 *hidden, const TlSearchHit *hit);

G_END_DECLS
