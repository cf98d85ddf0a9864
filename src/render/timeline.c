/* src/render/timeline.c — placeholder until the renderer lands. */
#include "src/render/timeline.h"
