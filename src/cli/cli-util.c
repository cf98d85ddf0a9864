/* src/cli/cli-util.c — shared option parsing and error reporting for amlasim subcommands. */
#include "src/cli/cli-util.h"

#include "sim/output.h"

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
  return amla_parse_onoff (s, out);
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
  GOptionEntry *e = g_new0 (GOptionEntry, AMLA_CONFIG_N_FIELDS + 1);
  const AmlaConfigField *f = amla_config_fields ();
  guint n = 0;
  for (guint i = 0; i < AMLA_CONFIG_N_FIELDS; i++)
    if (f[i].option != NULL)
      {
        gboolean many = f[i].type == AMLA_FIELD_WHAT_IF; /* --set is repeatable */
        e[n++] = (GOptionEntry){
          .long_name = f[i].option,
          .short_name = f[i].short_option,
          .arg = many ? G_OPTION_ARG_STRING_ARRAY : G_OPTION_ARG_STRING,
          .arg_data = many ? (gpointer) &o->set : (gpointer) &o->value[i],
          .description = f[i].help,
          .arg_description = f[i].option_arg,
        };
      }
  return e;
}

void
cli_kernel_options_clear (CliKernelOptions *o)
{
  for (guint i = 0; i < AMLA_CONFIG_N_FIELDS; i++)
    g_free (o->value[i]);
  g_strfreev (o->set);
  memset (o, 0, sizeof *o);
}

SimHw *
cli_load_hw (const char *cmd, const AmlaConfig *cfg, int *status)
{
  g_autoptr (GError) err = NULL;
  SimHw *hw = amla_config_load_base_hw (cfg, &err);
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
  const AmlaConfigField *f = amla_config_fields ();
  g_autoptr (GError) err = NULL;
  for (guint i = 0; i < AMLA_CONFIG_N_FIELDS; i++)
    {
      g_autofree char *what = g_strconcat ("--", f[i].option, NULL);
      char *one[] = { o->value[i], NULL };
      char **values = f[i].type == AMLA_FIELD_WHAT_IF ? o->set : o->value[i] ? one : NULL;
      for (char **v = values; v != NULL && *v != NULL; v++)
        if (!amla_config_field_parse (&f[i], *v, what, cfg, &err))
          {
            cli_usage_error (cmd, "%s", err->message);
            return FALSE;
          }
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

gboolean
cli_check_output (const char *cmd, const char *option, const char *path)
{
  const char *why = path != NULL ? sim_output_unwritable_reason (path) : NULL;
  if (why == NULL)
    return TRUE;
  cli_usage_error (cmd, "%s: cannot write '%s': %s", option, path, why);
  return FALSE;
}
