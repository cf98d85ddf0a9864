/* src/render/render-private.h — helpers shared inside src/render only (palette indices for
 * colour batching). */
#pragma once

#include "src/render/timeline.h"

G_BEGIN_DECLS

/* Palette index: 0..SIM_N_STAGES-1 stage colours, then the name-hash colours. */
int tl_palette_index (const SimSpan *span, const SimTrace *trace);
int tl_palette_size (void);
void tl_palette_color (int index, TlTheme theme, double rgb[3]);

G_END_DECLS
