/* sim/trace/trace-import-value.c — reading the values of one event: numbers and numeric strings,
 * times in µs → ns, kept strings with their limits, pid/tid ids, interning (see trace-import.h).
 * Strict about the fields that place an event (wrong type, NaN, negative → an error naming the
 * field). */
#include "sim/trace/trace-import.h"

#include <math.h>
#include <string.h>

gboolean
imp_fail (GError **error, SimTraceError code, const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  char *msg = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  g_set_error_literal (error, SIM_TRACE_ERROR, code, msg);
  g_free (msg);
  return FALSE;
}

/* The value as text for a message, at most 64 bytes of it. */
char *
imp_raw_text (const ImpValue *v)
{
  if (v->raw == NULL)
    return g_strdup ("?");
  if (v->raw_len > 64)
    {
      /* cut at 60 bytes, maybe inside a character: mend it for a message shown by GTK */
      g_autofree char *cut = g_strndup (v->raw, 60);
      g_autofree char *valid = g_utf8_make_valid (cut, -1);
      return g_strdup_printf ("%s…", valid);
    }
  return g_strndup (v->raw, v->raw_len);
}

/* A string value as a NUL-terminated copy in buf (or allocated when longer: *owned). */
const char *
imp_cstr (const ImpValue *v, char *buf, gsize size, char **owned)
{
  *owned = NULL;
  if (v->len < size)
    {
      memcpy (buf, v->s, v->len);
      buf[v->len] = '\0';
      return buf;
    }
  *owned = g_strndup (v->s, v->len);
  return *owned;
}

guint32
imp_intern (TraceImport *imp, const ImpValue *v)
{
  /* a small cache in front of the string table: names repeat from event to event */
  guint h = (guint) v->len * 31u;
  for (gsize i = 0; i < MIN (v->len, (gsize) 16); i++)
    h = h * 33u + (guint8) v->s[i];
  guint32 *slot = &imp->intern_cache[h % G_N_ELEMENTS (imp->intern_cache)];
  if (*slot != 0)
    {
      const char *known = sim_trace_string (imp->trace, *slot);
      /* strnlen first: known may be shorter than v (a value with a \u0000 in it), and must not
       * be read past its end */
      if (strnlen (known, v->len + 1) == v->len && memcmp (known, v->s, v->len) == 0)
        return *slot;
    }
  char buf[256];
  char *owned;
  guint32 id = sim_trace_intern (imp->trace, imp_cstr (v, buf, sizeof buf, &owned));
  g_free (owned);
  *slot = id;
  return id;
}

/* A number, or a string holding one (msprof system timelines quote their timestamps). */
gboolean
imp_as_double (const ImpValue *v, double *out)
{
  if (v->type == IMP_DOUBLE || v->type == IMP_INT)
    {
      *out = v->d;
      return TRUE;
    }
  if (v->type == IMP_STRING)
    {
      if (v->len == 0 || v->len > 64)
        return FALSE;
      char buf[72];
      memcpy (buf, v->s, v->len);
      buf[v->len] = '\0';
      char *end = NULL;
      *out = g_ascii_strtod (buf, &end);
      return end != NULL && *end == '\0';
    }
  return FALSE;
}

/* µs → ns.  A time written with at most 6 decimals (our writer's picosecond grid) comes back as
 * exactly ps / 1000, the value the writer started from, so spans that met still meet; finer
 * times (foreign tracers) are kept as they are. */
static double
time_us_to_ns (double us)
{
  if (us < 9e9)
    {
      double ps = us * 1e6, whole = nearbyint (ps);
      if (fabs (ps - whole) <= fabs (ps) * 1e-14 + 1e-9) /* a decimal with <= 6 places */
        return whole / 1000.0;
    }
  return us * 1000.0;
}

/* A time field in µs → ns.  required: absent is an error. */
gboolean
imp_get_time (const ImpValue *v, const char *key, gboolean required, double *out_ns, GError **error)
{
  double us;
  if (v->type == IMP_ABSENT || v->type == IMP_NULL)
    {
      if (required)
        return imp_fail (error, SIM_TRACE_ERROR_FORMAT, "\"%s\" is missing", key);
      *out_ns = 0;
      return TRUE;
    }
  if (!imp_as_double (v, &us))
    {
      g_autofree char *text = imp_raw_text (v);
      return imp_fail (error, SIM_TRACE_ERROR_FORMAT, "\"%s\" is not a number (%s)", key, text);
    }
  if (!isfinite (us))
    return imp_fail (error, SIM_TRACE_ERROR_FORMAT, "\"%s\" is not a finite number", key);
  if (us < 0)
    return imp_fail (error, SIM_TRACE_ERROR_FORMAT, "\"%s\" is negative (%g µs)", key, us);
  if (us > TRACE_IMPORT_MAX_TIME_US)
    return imp_fail (error, SIM_TRACE_ERROR_LIMIT, "\"%s\" is absurdly large (%g µs)", key, us);
  *out_ns = time_us_to_ns (us);
  return TRUE;
}

/* The decimal text of a time in µs (a JSON number or a numeric string) as whole µs and
 * picoseconds, exact to the ps (finer digits rounded): FALSE unless it is a plain non-negative
 * decimal below 1e17 µs (anything else takes the double's path). */
static gboolean
decimal_us_exact (const char *s, gsize n, guint64 *whole_us, guint32 *frac_ps)
{
  char digits[48]; /* significant digits, leading zeros dropped */
  int n_digits = 0, exp10 = 0;
  gboolean any = FALSE;
  gsize i = 0;
  for (; i < n && g_ascii_isdigit (s[i]); i++, any = TRUE)
    if (n_digits > 0 || s[i] != '0')
      {
        if (n_digits == (int) sizeof digits)
          return FALSE;
        digits[n_digits++] = s[i];
      }
  if (i < n && s[i] == '.')
    for (i++; i < n && g_ascii_isdigit (s[i]); i++, any = TRUE)
      {
        exp10--;
        if (n_digits > 0 || s[i] != '0')
          {
            if (n_digits == (int) sizeof digits)
              return FALSE;
            digits[n_digits++] = s[i];
          }
      }
  if (!any)
    return FALSE;
  if (i < n && (s[i] == 'e' || s[i] == 'E'))
    {
      gboolean neg = ++i < n && s[i] == '-';
      if (i < n && (s[i] == '-' || s[i] == '+'))
        i++;
      int e = 0;
      gsize first = i;
      for (; i < n && g_ascii_isdigit (s[i]); i++)
        e = MIN (e * 10 + (s[i] - '0'), 1000);
      if (i == first)
        return FALSE;
      exp10 += neg ? -e : e;
    }
  if (i != n)
    return FALSE;
  while (n_digits > 0 && digits[n_digits - 1] == '0')
    n_digits--, exp10++;
  *whole_us = 0;
  *frac_ps = 0;
  if (n_digits == 0)
    return TRUE;
  /* the value in ps is digits × 10^zeros; digits below 1 ps (zeros < 0) are rounded off */
  int zeros = exp10 + 6, keep = zeros < 0 ? n_digits + zeros : n_digits;
  gboolean round_up = keep >= 0 && keep < n_digits && digits[keep] >= '5';
  keep = MAX (keep, 0);
  int len = keep + MAX (zeros, 0);
  if (len > 23)
    return FALSE;
  for (int k = 0; k < len; k++)
    {
      int d = k < keep ? digits[k] - '0' : 0;
      if (k < len - 6)
        *whole_us = *whole_us * 10 + (guint64) d;
      else
        *frac_ps = *frac_ps * 10 + (guint32) d;
    }
  if (round_up && ++*frac_ps == 1000000)
    {
      *frac_ps = 0;
      ++*whole_us;
    }
  return TRUE;
}

gboolean
imp_get_ts (TraceImport *imp, const ImpValue *v, double *out_ns, GError **error)
{
  if (!imp_get_time (v, "ts", TRUE, out_ns, error))
    return FALSE;
  if (imp->ts_origin_decided && imp->ts_origin_ns == 0)
    return TRUE; /* our traces, and any that start early enough: exact already */
  if (!imp->ts_origin_decided)
    {
      imp->ts_origin_decided = TRUE;
      if (*out_ns < TRACE_IMPORT_ORIGIN_FROM_US * 1000)
        return TRUE;
    }
  guint64 whole_us;
  guint32 frac_ps;
  const char *text = v->type == IMP_STRING ? v->s : v->raw;
  gsize len = v->type == IMP_STRING ? v->len : v->raw_len;
  if (text == NULL || !decimal_us_exact (text, len, &whole_us, &frac_ps))
    {
      /* odd text (spaces around a quoted number …): the double, from the origin */
      if (imp->ts_origin_ns == 0)
        imp->ts_origin_ns = (guint64) floor (*out_ns);
      *out_ns -= (double) imp->ts_origin_ns;
      return TRUE;
    }
  guint64 abs_ns = whole_us * 1000 + frac_ps / 1000;
  if (imp->ts_origin_ns == 0)
    imp->ts_origin_ns = abs_ns; /* > 9e12: never 0 */
  double rel_ns = abs_ns >= imp->ts_origin_ns ? (double) (abs_ns - imp->ts_origin_ns)
                                              : -(double) (imp->ts_origin_ns - abs_ns);
  if (fabs (rel_ns) < 9e12)
    {
      /* whole ps from the origin: exact as an integer, one rounding to ns */
      gint64 rel_ps = (gint64) rel_ns * 1000 + frac_ps % 1000;
      *out_ns = (double) rel_ps / 1000.0;
    }
  else
    *out_ns = rel_ns + (frac_ps % 1000) / 1000.0;
  return TRUE;
}

/* Kept strings: limited in size.  *out stays IMP_ABSENT-typed NULL when absent. */
gboolean
imp_get_string (const ImpValue *v, const char *key, const ImpValue **out, GError **error)
{
  *out = NULL;
  if (v->type == IMP_ABSENT || v->type == IMP_NULL)
    return TRUE;
  if (v->type != IMP_STRING)
    return imp_fail (error, SIM_TRACE_ERROR_FORMAT, "\"%s\" is not a string", key);
  if (v->len > TRACE_IMPORT_MAX_STRING)
    return imp_fail (error, SIM_TRACE_ERROR_LIMIT, "\"%s\" is a string of %" G_GSIZE_FORMAT
                 " bytes (limit %u)", key, v->len, TRACE_IMPORT_MAX_STRING);
  *out = v;
  return TRUE;
}

/* pid/tid: integer (or integral double) or string; absent = 0.  Numeric strings ("40", as msprof
 * writes in flow events) are numbers. */
gboolean
imp_get_id (const ImpValue *v, const char *field_name, gint64 *num, gboolean *numeric,
        GError **error)
{
  *numeric = TRUE;
  *num = 0;
  if (v->type == IMP_ABSENT || v->type == IMP_NULL)
    return TRUE;
  if (v->type == IMP_INT)
    {
      *num = v->i;
      return TRUE;
    }
  if (v->type == IMP_DOUBLE && v->d == floor (v->d) && fabs (v->d) < 9e18)
    {
      *num = (gint64) v->d;
      return TRUE;
    }
  if (v->type == IMP_STRING)
    {
      gsize neg = v->len > 0 && v->s[0] == '-', digits = 0;
      while (neg + digits < v->len && g_ascii_isdigit (v->s[neg + digits]))
        digits++;
      if (digits > 0 && digits < 18 && digits + neg == v->len)
        {
          gint64 n = 0;
          for (gsize i = 0; i < digits; i++)
            n = n * 10 + (v->s[neg + i] - '0');
          *num = neg ? -n : n;
          return TRUE;
        }
      if (v->len > TRACE_IMPORT_MAX_STRING)
        return imp_fail (error, SIM_TRACE_ERROR_LIMIT, "\"%s\" is a string of %" G_GSIZE_FORMAT
                     " bytes", field_name, v->len);
      *numeric = FALSE;
      return TRUE;
    }
  g_autofree char *text = imp_raw_text (v);
  return imp_fail (error, SIM_TRACE_ERROR_FORMAT, "\"%s\" is neither an integer nor a string (%s)",
               field_name, text);
}

/* "#n" / "$s": the key a process or thread is known by (made once per new id). */
/* "#num" at buf (at least 22 bytes), as "#%" G_GINT64_FORMAT prints it: by hand, for the lookup
 * of an event whose thread is not the last one's (threads interleave in PyTorch traces; printf
 * was 5 % of reading one) */
static void
num_key (char *buf, gint64 num)
{
  char digits[20];
  int n = 0;
  guint64 u = num < 0 ? (guint64) 0 - (guint64) num : (guint64) num;
  do
    {
      digits[n++] = (char) ('0' + u % 10);
      u /= 10;
    }
  while (u > 0);
  char *p = buf;
  *p++ = '#';
  if (num < 0)
    *p++ = '-';
  while (n > 0)
    *p++ = digits[--n];
  *p = '\0';
}

char *
imp_id_key (const ImpValue *v, gint64 num, gboolean numeric)
{
  if (numeric)
    {
      char buf[24];
      num_key (buf, num);
      return g_strdup (buf);
    }
  char *k = g_malloc (v->len + 2);
  k[0] = '$';
  memcpy (k + 1, v->s, v->len);
  k[v->len + 1] = '\0';
  return k;
}

/* Look a key up without allocating when it is short. */
gpointer
imp_lookup_key (GHashTable *table, const ImpValue *v, gint64 num, gboolean numeric, char **made)
{
  char buf[64];
  *made = NULL;
  if (numeric)
    {
      num_key (buf, num);
      return g_hash_table_lookup (table, buf);
    }
  if (v->len + 2 <= sizeof buf)
    {
      buf[0] = '$';
      memcpy (buf + 1, v->s, v->len);
      buf[v->len + 1] = '\0';
      return g_hash_table_lookup (table, buf);
    }
  *made = imp_id_key (v, num, numeric);
  return g_hash_table_lookup (table, *made);
}

gboolean
imp_is_true (const ImpValue *v)
{
  return v->type == IMP_BOOL && v->b;
}

gboolean
imp_has_prefix (const ImpValue *v, const char *prefix)
{
  gsize n = strlen (prefix);
  return v->len >= n && memcmp (v->s, prefix, n) == 0;
}

/* Integer args: number or numeric string, non-negative; anything else counts as absent. */
gboolean
imp_uint (const ImpValue *v, guint64 *out)
{
  double d;
  if (v == NULL)
    return FALSE;
  if (v->type == IMP_INT)
    {
      if (v->i < 0)
        return FALSE;
      *out = (guint64) v->i;
      return TRUE;
    }
  if (!imp_as_double (v, &d) || !isfinite (d) || d < 0 || d > 1.8e19)
    return FALSE;
  *out = (guint64) d;
  return TRUE;
}

gint32
imp_index (const ImpValue *v)
{
  guint64 x;
  if (imp_uint (v, &x) && x <= G_MAXINT32)
    return (gint32) x;
  return -1;
}

/* A flow id (number or string) as a canonical string; NULL if absent or unusable. */
char *
imp_id_string (const ImpValue *v)
{
  if (v == NULL)
    return NULL;
  if (v->type == IMP_INT)
    return g_strdup_printf ("%" G_GINT64_FORMAT, v->i);
  if (v->type == IMP_STRING && v->len < 4096)
    return g_strndup (v->s, v->len);
  if (v->type == IMP_DOUBLE && isfinite (v->d))
    return g_strdup_printf ("%.17g", v->d);
  return NULL;
}

