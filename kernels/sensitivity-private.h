/* kernels/sensitivity-private.h — what sensitivity.c, sensitivity-run.c and sensitivity-json.c
 * share; nobody else includes it (kernels/sensitivity.h is the API). */
#pragma once

#include "kernels/sensitivity.h"

G_BEGIN_DECLS

/* The rule's JSON id: "scale", "from_zero", "switch", "skipped". */
const char *_sensitivity_rule_id (SensitivityRule rule);
/* An empty GArray of SensitivityRow that frees each row's strings. */
GArray *_sensitivity_rows_new (void);

G_END_DECLS
