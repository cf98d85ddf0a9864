/* kernels/amla-hw-recorded.h — a run's hardware in a trace's otherData.hw, written and read back
 * as a preset (amla-hw-recorded.c).  Internal to kernels/: amla-run.c writes and reads it. */
#pragma once

#include <json-c/json.h>
#include "kernels/amla.h"

G_BEGIN_DECLS

/* otherData.hw of a run on hw (transfer full). */
json_object *amla_hw_to_other_data (const SimHw *hw);
/* Set cfg->hw and cfg->hw_recorded from otherData.hw (an object), checked as a preset file is;
 * errors (SIM_HW_ERROR) name origin.  The what-ifs are the caller's (cfg->what_if). */
gboolean amla_hw_from_other_data (json_object *hw, const char *origin, AmlaConfig *cfg,
                                  GError **error);

G_END_DECLS
