/* tests/trace/trace-fixture.h — hand-built traces and checks shared by the trace tests. */
#pragma once

#include <json-c/json.h>
#include "sim/trace/trace-json.h"

/* Two cores (AIC0: MTE2, CUBE, FIXPIPE; AIV0: VECTOR), spans with every arg, an instant, an
 * escaped name, two flows, a per-core and a chip-wide counter, otherData.  Finished. */
SimTrace *fixture_tiny_trace (void);

/* Path of a file in the source tree's tests/trace folder. */
char *fixture_path (const char *name);

/* Compare text with a golden file; AMLAVIZ_REGEN_GOLDEN=1 rewrites it.  Prints a diff -u. */
void fixture_assert_golden (const char *text, const char *golden_name);

/* Canonical, sorted description of spans, flows and counters (for round-trip equality). */
char *fixture_describe (const SimTrace *trace);
/* A span's kept cat, args and other members (SimSpan.extra; the members as an object) as json-c
 * writes them; NULL for a part not kept. */
void fixture_span_extra (const SimTrace *trace, const SimSpan *s, char **cat, char **args,
                         char **other);

/* The contents of a gzip file as an outside reader sees them: asserts the magic bytes 1f 8b, one
 * gzip member that zlib inflates to its end (header and CRC-32/ISIZE trailer checked) and
 * nothing after it.  NUL-terminated; *len (may be NULL) is the inflated size. */
char *fixture_gunzip (const char *path, gsize *len);

/* Chrome-format checks on written JSON: every X has numeric ts/dur >= 0 and a name, every
 * pid/tid with events is named, flows pair up (one s and one f per id). Returns the root. */
json_object *fixture_check_chrome_json (const char *text, gboolean msprof);
