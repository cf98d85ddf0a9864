/* sim/engine.c — in progress */
#include "sim/engine.h"
#include <string.h>
GQuark sim_engine_error_quark (void) { return g_quark_from_static_string ("sim-engine-error"); }
void sim_run_options_init (SimRunOptions *opt) { memset (opt, 0, sizeof *opt); opt->record_trace = opt->record_flows = opt->record_counters = TRUE; }
SimResult *sim_engine_run (const SimProgram *prog, const SimRunOptions *opt, GError **error) { g_set_error (error, SIM_ENGINE_ERROR, 0, "engine not ready"); return NULL; }
void sim_result_free (SimResult *res) { if (!res) return; sim_trace_free (res->trace); g_free (res->metrics.core_busy); g_free (res); }
