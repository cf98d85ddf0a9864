/* src/render/export.c — placeholder until image export lands. */
#include "src/render/timeline.h"
