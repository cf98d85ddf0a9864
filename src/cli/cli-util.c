/* src/cli/cli-util.c — shared option parsing and error reporting for amlasim subcommands. */
#include "src/cli/cli-util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int
cli_usage_error (const char *cmd, const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  g_autofree char *msg = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  fprintf (stderr, "amlasim %s: %s\n", cmd, msg);
  return CLI_EXIT_USAGE;
}

int
cli_fail (const char *cmd, const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  g_autofree char *msg = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  fprintf (stderr, "amlasim %s: %s\n", cmd, msg);
  return CLI_EXIT_FAIL;
}

gboolean
cli_parse_onoff (const char *s, gboolean *out)
{
  if (s == NULL)
    return FALSE;
  if (!g_ascii_strcasecmp (s, "on") || !g_ascii_strcasecmp (s, "true") || !strcmp (s, "1")
      || !g_ascii_strcasecmp (s, "yes"))
    *out = TRUE;
  else if (!g_ascii_strcasecmp (s, "off") || !g_ascii_strcasecmp (s, "false") || !strcmp (s, "0")
           || !g_ascii_strcasecmp (s, "no"))
    *out = FALSE;
  else
    return FALSE;
  return TRUE;
}

gboolean
cli_parse_int (const char *cmd, const char *option, const char *value, long lo, long hi, int *out)
{
  char *end = NULL;
  errno = 0;
  long v = strtol (value, &end, 10);
  if (value[0] == '\0' || end == value || *end != '\0' || errno != 0 || v < lo || v > hi)
    {
      cli_usage_error (cmd, "%s must be an integer in [%ld, %ld], got '%s'", option, lo, hi,
                       value);
      return FALSE;
    }
  *out = (int) v;
  return TRUE;
}

GOptionEntry *
cli_kernel_option_entries (CliKernelOptions *o)
{
  GOptionEntry e[] = {
    { "batch", 'b', 0, G_OPTION_ARG_STRING, &o->batch, "Requests in the batch, B (default 96)", "N" },
    { "kv", 'k', 0, G_OPTION_ARG_STRING, &o->kv, "KV length per request, S_kv (default 4096)", "TOKENS" },
    { "sq", 'q', 0, G_OPTION_ARG_STRING, &o->sq, "Query tokens per request, S_q = 1 + speculative (default 2)", "N" },
    { "heads", 'H', 0, G_OPTION_ARG_STRING, &o->heads, "Query heads H sharing the latent KV head (default 128)", "N" },
    { "rows", 0, 0, G_OPTION_ARG_STRING, &o->rows, "Rows per task M (default: H*S_q, at most 256)", "M" },
    { "preload", 0, 0, G_OPTION_ARG_STRING, &o->preload, "Preload pipeline: on|off (default on)", "on|off" },
    { "tiling", 0, 0, G_OPTION_ARG_STRING, &o->tiling, "Hierarchical tiling in the Cube core: on|off (default on)", "on|off" },
    { "rescale", 0, 0, G_OPTION_ARG_STRING, &o->rescale, "Output rescale: amla (integer add) | mul (FP multiply) (default amla)", "amla|mul" },
    { "hw", 0, 0, G_OPTION_ARG_STRING, &o->hw, "Hardware preset name or JSON file (default ascend910c; see 'amlasim hw')", "PRESET|FILE" },
    { "set", 0, 0, G_OPTION_ARG_STRING_ARRAY, &o->set, "What-if: change one preset field, e.g. --set l2_bytes_per_s=4.4e12 (repeatable; fields: 'amlasim hw PRESET')", "FIELD=VALUE" },
    { NULL },
  };
  return g_memdup2 (e, sizeof e);
}

void
cli_kernel_options_clear (CliKernelOptions *o)
{
  g_free (o->batch);
  g_free (o->kv);
  g_free (o->sq);
  g_free (o->heads);
  g_free (o->rows);
  g_free (o->preload);
  g_free (o->tiling);
  g_free (o->rescale);
  g_free (o->hw);
  g_strfreev (o->set);
  memset (o, 0, sizeof *o);
}

SimHw *
cli_load_hw (const char *cmd, const AmlaConfig *cfg, int *status)
{
  g_autoptr (GError) err = NULL;
  SimHw *hw = sim_hw_load (cfg->hw, &err);
  if (hw == NULL)
    {
      /* a preset that is not there or not a preset is the --hw option's fault: name it */
      if (g_error_matches (err, SIM_HW_ERROR, SIM_HW_ERROR_NOT_FOUND))
        *status = cli_usage_error (cmd, "--hw: %s", err->message);
      else
        *status = cli_fail (cmd, "--hw: %s", err->message);
      return NULL;
    }
  if (!amla_config_apply_what_if (cfg, hw, &err))
    {
      *status = cli_usage_error (cmd, "--set: %s", err->message);
      sim_hw_free (hw);
      return NULL;
    }
  return hw;
}

char *
cli_describe_sets (char **set, const SimHw *hw)
{
  GString *s = g_string_new (NULL);
  gsize n;
  const SimHwField *f = sim_hw_fields (hw, &n);
  for (char **a = set; a != NULL && *a != NULL; a++)
    {
      g_autofree char *key = g_strstrip (g_strndup (*a, strcspn (*a, "=")));
      for (gsize i = 0; i < n; i++)
        if (g_str_equal (f[i].key, key))
          g_string_append_printf (s, "  what-if: %s = %g (%s)\n", key, f[i].value,
                                  g_str_has_prefix (f[i].basis, "what-if; ") ? f[i].basis + 9
                                                                              : f[i].basis);
    }
  return g_string_free (s, FALSE);
}

gboolean
cli_kernel_options_apply (const char *cmd, const CliKernelOptions *o, AmlaConfig *cfg)
{
  if (o->batch && !cli_parse_int (cmd, "--batch", o->batch, 1, 4096, &cfg->batch))
    return FALSE;
  if (o->kv && !cli_parse_int (cmd, "--kv", o->kv, 1, 1 << 20, &cfg->kv_len))
    return FALSE;
  if (o->sq && !cli_parse_int (cmd, "--sq", o->sq, 1, 16, &cfg->sq))
    return FALSE;
  if (o->heads && !cli_parse_int (cmd, "--heads", o->heads, 1, 128, &cfg->heads))
    return FALSE;
  if (o->rows && !cli_parse_int (cmd, "--rows", o->rows, 16, 256, &cfg->task_rows))
    return FALSE;
  if (o->preload && !cli_parse_onoff (o->preload, &cfg->preload))
    {
      cli_usage_error (cmd, "--preload must be on or off, got '%s'", o->preload);
      return FALSE;
    }
  if (o->tiling && !cli_parse_onoff (o->tiling, &cfg->tiling))
    {
      cli_usage_error (cmd, "--tiling must be on or off, got '%s'", o->tiling);
      return FALSE;
    }
  if (o->rescale && !amla_rescale_parse (o->rescale, &cfg->rescale))
    {
      cli_usage_error (cmd, "--rescale must be amla or mul, got '%s'", o->rescale);
      return FALSE;
    }
  if (o->hw)
    g_strlcpy (cfg->hw, o->hw, sizeof cfg->hw);
  g_autoptr (GError) err = NULL;
  for (char **a = o->set; a != NULL && *a != NULL; a++)
    if (!amla_config_add_what_if (cfg, *a, &err))
      {
        cli_usage_error (cmd, "--set: %s", err->message);
        return FALSE;
      }
  if (!amla_config_validate (cfg, &err))
    {
      cli_usage_error (cmd, "%s", err->message);
      return FALSE;
    }
  return TRUE;
}

gboolean
cli_parse_context (const char *cmd, GOptionContext *ctx, int *argc, char ***argv)
{
  g_autoptr (GError) err = NULL;
  if (!g_option_context_parse (ctx, argc, argv, &err))
    {
      cli_usage_error (cmd, "%s (see 'amlasim %s --help')", err->message, cmd);
      return FALSE;
    }
  return TRUE;
}

/* "all", "N" or "N..M": AI cores N..M, i.e. AIC i and its two AIVs; for a foreign trace,
 * group (process) indices in draw order. */
guint8 *
cli_parse_cores (const char *s, const SimTrace *trace)
{
  if (g_ascii_strcasecmp (s, "all") == 0)
    return NULL;
  char *end;
  long lo = strtol (s, &end, 10), hi = lo;
  if (end == s || lo < 0)
    return (guint8 *) -1;
  if (strncmp (end, "..", 2) == 0)
    {
      const char *h = end + 2;
      hi = strtol (h, &end, 10);
      if (end == h)
        return (guint8 *) -1;
    }
  if (*end != '\0' || hi < lo)
    return (guint8 *) -1;
  guint ng = trace->groups->len;
  guint8 *sel = g_new0 (guint8, ng ? ng : 1);
  for (guint g = 0; g < ng; g++)
    {
      const SimGroup *grp = g_ptr_array_index (trace->groups, g);
      long core = grp->kind == SIM_CORE_AIC   ? grp->core_index
                  : grp->kind == SIM_CORE_AIV ? grp->core_index / 2
                                              : (long) g;
      sel[g] = core >= lo && core <= hi;
    }
  return sel;
}


gboolean
cli_parse_size (const char *s, guint64 *out)
{
  return amla_parse_size (s, out);
}
