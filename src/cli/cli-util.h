/* src/cli/cli-util.h — small helpers shared by the amlasim subcommands: option parsing with
 * GOptionContext, usage errors (one line naming the option and the allowed range, exit 2). */
#pragma once

#include <glib.h>
#include "kernels/amla.h"
#include "kernels/amla-config-fields.h"
#include "sim/trace/trace.h"

#define CLI_EXIT_OK 0
#define CLI_EXIT_FAIL 1
#define CLI_EXIT_USAGE 2

/* Print "amlasim CMD: MESSAGE" to stderr; returns CLI_EXIT_USAGE. */
int cli_usage_error (const char *cmd, const char *fmt, ...) G_GNUC_PRINTF (2, 3);
/* Print "amlasim CMD: MESSAGE" to stderr; returns CLI_EXIT_FAIL. */
int cli_fail (const char *cmd, const char *fmt, ...) G_GNUC_PRINTF (2, 3);

/* A size: bytes, or a number with K, M, G or T (powers of 1024; "iB"/"B" optional), e.g. 8G,
 * 512MiB, 1.5T.  FALSE on anything else or on 0. */
gboolean cli_parse_size (const char *s, guint64 *out);
/* Before any long work: TRUE if path (NULL: nothing asked) can be written at the end, else prints
 * "CMD: OPTION: cannot write 'PATH': why" (sim_output_unwritable_reason) and returns FALSE, for the
 * caller to exit with CLI_EXIT_USAGE. */
gboolean cli_check_output (const char *cmd, const char *option, const char *path);

/* "on"/"off" (also true/false/1/0/yes/no). */
gboolean cli_parse_onoff (const char *s, gboolean *out);

/* Kernel/shape options shared by run, export and sensitivity: one per field of the configuration
 * table (kernels/amla-config-fields.h: --batch --kv --sq --heads --rows --block --preload --tiling
 * --rescale --hw), kept as strings so we report bad values ourselves. */
typedef struct
{
  char *value[AMLA_CONFIG_N_FIELDS]; /* by field index; NULL = not given */
  char **set;                        /* --set FIELD=VALUE (the what-if field), repeatable */
} CliKernelOptions;

/* Entries pointing into opts; add with g_option_context_add_main_entries. */
GOptionEntry *cli_kernel_option_entries (CliKernelOptions *opts);
/* Fill cfg (starting from defaults) from opts; on error print and return FALSE. */
gboolean cli_kernel_options_apply (const char *cmd, const CliKernelOptions *opts, AmlaConfig *cfg);
void cli_kernel_options_clear (CliKernelOptions *opts);
/* The preset cfg names with its what-ifs (the --set changes cli_kernel_options_apply put in
 * cfg->what_if) applied.  NULL after printing the error; *status is then CLI_EXIT_USAGE (unknown
 * preset, bad --set) or CLI_EXIT_FAIL (unreadable preset file). */
SimHw *cli_load_hw (const char *cmd, const AmlaConfig *cfg, int *status);
/* The --set what-if lines for a metrics table ("" when there are none). */
char *cli_describe_sets (char **set, const SimHw *hw);

/* Parse an integer option value in [lo, hi]; prints the error naming the option. */
gboolean cli_parse_int (const char *cmd, const char *option, const char *value, long lo, long hi,
                        int *out);

/* Run a GOptionContext; on failure print one line and return FALSE (caller exits 2). */
gboolean cli_parse_context (const char *cmd, GOptionContext *ctx, int *argc, char ***argv);

/* "all" -> NULL; "N" or "N..M" -> a per-group mask of AI cores N..M (AIC i with its AIVs; for a
 * foreign trace, group indices in draw order); anything else -> (guint8 *) -1. */
guint8 *cli_parse_cores (const char *s, const SimTrace *trace);
