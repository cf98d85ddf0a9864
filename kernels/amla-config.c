/* kernels/amla-config.c — AMLA kernel configuration: defaults and validation (from the field
 * table, amla-config-fields.c), FLOPs, description, what-ifs. */
#include "kernels/amla.h"
#include "kernels/amla-config-fields.h"
#include "sim/memory-limit.h"

#include <math.h>
#include <string.h>

GQuark
amla_error_quark (void)
{
  return g_quark_from_static_string ("amla-error");
}

const char *
amla_rescale_name (AmlaRescale r)
{
  return r == AMLA_RESCALE_MUL ? "mul" : "amla";
}

gboolean
amla_rescale_parse (const char *s, AmlaRescale *out)
{
  if (s == NULL)
    return FALSE;
  if (g_ascii_strcasecmp (s, "amla") == 0 || g_ascii_strcasecmp (s, "add") == 0)
    *out = AMLA_RESCALE_AMLA;
  else if (g_ascii_strcasecmp (s, "mul") == 0 || g_ascii_strcasecmp (s, "multiply") == 0)
    *out = AMLA_RESCALE_MUL;
  else
    return FALSE;
  return TRUE;
}

void
amla_config_init (AmlaConfig *cfg)
{
  memset (cfg, 0, sizeof *cfg);
  const AmlaConfigField *f = amla_config_fields ();
  for (gsize i = 0; i < AMLA_CONFIG_N_FIELDS; i++)
    if (f[i].type == AMLA_FIELD_STRING || f[i].type == AMLA_FIELD_WHAT_IF)
      g_strlcpy ((char *) cfg + f[i].offset, f[i].dflt_text, f[i].size);
    else
      amla_config_field_set_int (&f[i], cfg, f[i].dflt);
}

gboolean
amla_config_validate (const AmlaConfig *cfg, GError **error)
{
  const AmlaConfigField *f = amla_config_fields ();
  for (gsize i = 0; i < AMLA_CONFIG_N_FIELDS; i++)
    if (!amla_config_field_validate (&f[i], cfg, error))
      return FALSE;
  if ((double) cfg->batch * cfg->kv_len > 64.0 * 1024 * 1024)
    {
      g_set_error (error, AMLA_ERROR, AMLA_ERROR_INVALID,
                   "--batch × --kv must be at most 67108864 tokens (got %d × %d)", cfg->batch,
                   cfg->kv_len);
      return FALSE;
    }
  return TRUE;
}

double
amla_config_flops (const AmlaConfig *cfg)
{
  return 2.0 * cfg->batch * cfg->heads * cfg->sq * (double) cfg->kv_len
         * (AMLA_HEAD_DIM_QK + AMLA_HEAD_DIM_V);
}

int
amla_config_task_rows (const AmlaConfig *cfg)
{
  if (cfg->task_rows > 0)
    return cfg->task_rows;
  int rows = cfg->heads * cfg->sq;
  /* tasks of up to 256 rows (ops-transformer mBaseSize); bigger request row counts are split */
  if (rows <= 256)
    return rows;
  int parts = (rows + 255) / 256;
  return (rows + parts - 1) / parts;
}

char *
amla_config_describe (const AmlaConfig *cfg)
{
  return g_strdup_printf ("B=%d S_kv=%d S_q=%d H=%d · preload %s · tiling %s · rescale %s · %s%s%s",
                          cfg->batch, cfg->kv_len, cfg->sq, cfg->heads,
                          cfg->preload ? "on" : "off", cfg->tiling ? "on" : "off",
                          amla_rescale_name (cfg->rescale), cfg->hw,
                          cfg->what_if[0] ? " · what-if " : "", cfg->what_if);
}

gboolean
amla_config_add_what_if (AmlaConfig *cfg, const char *assignment, GError **error)
{
  const char *eq = strchr (assignment, '=');
  g_autofree char *key = eq ? g_strstrip (g_strndup (assignment, (gsize) (eq - assignment))) : NULL;
  g_autofree char *value = eq ? g_strstrip (g_strdup (eq + 1)) : NULL;
  if (key == NULL || *key == '\0' || *value == '\0' || strpbrk (key, " \t=") != NULL
      || strpbrk (value, " \t=") != NULL)
    {
      g_set_error (error, AMLA_ERROR, AMLA_ERROR_INVALID,
                   "what-if '%s': expected FIELD=VALUE, e.g. l2_bytes_per_s=4.4e12", assignment);
      return FALSE;
    }
  /* a later change of the same field replaces the earlier one */
  g_auto (GStrv) old = g_strsplit (cfg->what_if, " ", -1);
  GString *s = g_string_new (NULL);
  for (guint i = 0; old[i] != NULL; i++)
    {
      gsize klen = strcspn (old[i], "=");
      if (old[i][0] == '\0' || (klen == strlen (key) && strncmp (old[i], key, klen) == 0))
        continue;
      g_string_append_printf (s, "%s%s", s->len ? " " : "", old[i]);
    }
  g_string_append_printf (s, "%s%s=%s", s->len ? " " : "", key, value);
  gboolean fits = s->len < sizeof cfg->what_if;
  if (fits)
    g_strlcpy (cfg->what_if, s->str, sizeof cfg->what_if);
  else
    g_set_error (error, AMLA_ERROR, AMLA_ERROR_INVALID,
                 "what-if: at most %zu characters of FIELD=VALUE changes", sizeof cfg->what_if - 1);
  g_string_free (s, TRUE);
  return fits;
}

gboolean
amla_config_apply_what_if (const AmlaConfig *cfg, SimHw *hw, GError **error)
{
  g_auto (GStrv) parts = g_strsplit (cfg->what_if, " ", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    if (parts[i][0] != '\0' && !sim_hw_set (hw, parts[i], error))
      return FALSE;
  return TRUE;
}

SimHw *
amla_config_load_base_hw (const AmlaConfig *cfg, GError **error)
{
  if (cfg->hw_recorded == NULL)
    return sim_hw_load (cfg->hw, error);
  /* checked when the trace was read: this cannot fail unless the preset format changed */
  g_autofree char *origin = g_strdup_printf ("the hardware '%s' a trace recorded", cfg->hw);
  return sim_hw_load_from_data (cfg->hw_recorded, strlen (cfg->hw_recorded), origin, error);
}

SimHw *
amla_config_load_hw (const AmlaConfig *cfg, GError **error)
{
  SimHw *hw = amla_config_load_base_hw (cfg, error);
  if (hw != NULL && !amla_config_apply_what_if (cfg, hw, error))
    g_clear_pointer (&hw, sim_hw_free);
  return hw;
}

char *
amla_format_number (double x)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  if (x == floor (x) && fabs (x) < 1e7)
    return g_strdup (g_ascii_formatd (buf, sizeof buf, "%.0f", x));
  /* the shortest %g that reads back as x: 9e+10, 0.5, 3.89e+12 */
  for (int digits = 1; digits <= 17; digits++)
    {
      char fmt[8];
      g_snprintf (fmt, sizeof fmt, "%%.%dg", digits);
      g_ascii_formatd (buf, sizeof buf, fmt, x);
      if (g_ascii_strtod (buf, NULL) == x)
        break;
    }
  return g_strdup (buf);
}

gboolean
amla_parse_size (const char *s, guint64 *out)
{
  return sim_parse_size (s, out);
}
