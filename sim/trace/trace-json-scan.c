/* sim/trace/trace-json-scan.c — one trace event into an ImpEvent (see trace-import.h).
 *
 * Not a general JSON parser: a strict scanner for the flat shape nearly every event has — an
 * object of strings without escapes, numbers, true/false/null, and one "args" object of such
 * scalars.  It fills an ImpEvent with pointers into the text (no allocation, no locale, no tree)
 * and returns TRACE_SCAN_FALLBACK the moment it meets anything else (an escape, a nested value, a
 * control character, a leading zero, a trailing comma, invalid UTF-8, the end of the text), so
 * json-c parses that event instead and stays the judge of validity and of every syntax message.
 * Numbers with at most 15 significant digits and 22 decimals are exact as mantissa / 10^k (both
 * exact doubles, one rounding: what strtod gives); others go through g_ascii_strtod.
 */
#include "sim/trace/trace-import.h"

#include <string.h>

#define ARGS_KEEP_MAX 4096 /* more args members than this: json-c (and the importer ignores most) */

gboolean trace_scan_force_json_c = FALSE;

static const double pow10_exact[] = { 1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                      1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                      1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22 };

static inline const char *
skip_ws (const char *p, const char *end)
{
  while (p < end && (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t'))
    p++;
  return p;
}

#define ONES G_GUINT64_CONSTANT (0x0101010101010101)
#define HIGHS G_GUINT64_CONSTANT (0x8080808080808080)

/* Nonzero when any of 8 bytes is '"', '\\', a control character or not ASCII (exact about
 * whether there is one, not about which). */
static inline guint64
special8 (const char *p)
{
  guint64 x;
  memcpy (&x, p, 8);
  guint64 q = x ^ (ONES * '"'), b = x ^ (ONES * '\\');
  return (((q - ONES) & ~q) | ((b - ONES) & ~b) | ((x - ONES * 0x20) & ~x) | x) & HIGHS;
}

/* A string at p ('"'): contents without escapes or control characters, valid UTF-8. */
static inline gboolean
scan_string (const char **pp, const char *end, const char **s, gsize *len)
{
  const char *p = *pp + 1, *start = p;
  guint8 high = 0;
  while (end - p >= 8 && special8 (p) == 0) /* plain ASCII, 8 bytes at a time */
    p += 8;
  for (;;)
    {
      if (p >= end)
        return FALSE;
      guint8 c = (guint8) *p;
      if (c == '"')
        break;
      if (c == '\\' || c < 0x20)
        return FALSE;
      high |= c;
      p++;
    }
  if ((high & 0x80) && !g_utf8_validate_len (start, (gsize) (p - start), NULL))
    return FALSE;
  *s = start;
  *len = (gsize) (p - start);
  *pp = p + 1;
  return TRUE;
}

/* JSON's number grammar, strictly: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? */
static inline gboolean
scan_number (const char **pp, const char *end, ImpValue *v)
{
  const char *p = *pp, *start = p;
  gboolean neg = FALSE;
  if (p < end && *p == '-')
    {
      neg = TRUE;
      p++;
    }
  if (p >= end || !g_ascii_isdigit (*p))
    return FALSE;
  guint64 mant = 0;
  int digits = 0, frac = 0;
  gboolean is_int = TRUE;
  if (*p == '0')
    {
      p++;
      if (p < end && g_ascii_isdigit (*p))
        return FALSE; /* leading zero */
    }
  else
    while (p < end && g_ascii_isdigit (*p))
      {
        if (digits < 19)
          mant = mant * 10 + (guint64) (*p - '0');
        digits++;
        p++;
      }
  if (p < end && *p == '.')
    {
      is_int = FALSE;
      p++;
      if (p >= end || !g_ascii_isdigit (*p))
        return FALSE;
      while (p < end && g_ascii_isdigit (*p))
        {
          if (mant == 0 && *p == '0')
            ; /* leading zeros of 0.000123 are not significant */
          else
            digits++;
          if (digits <= 19)
            mant = mant * 10 + (guint64) (*p - '0');
          frac++;
          p++;
        }
    }
  gboolean has_exp = FALSE;
  if (p < end && (*p == 'e' || *p == 'E'))
    {
      is_int = FALSE;
      has_exp = TRUE;
      p++;
      if (p < end && (*p == '+' || *p == '-'))
        p++;
      if (p >= end || !g_ascii_isdigit (*p))
        return FALSE;
      while (p < end && g_ascii_isdigit (*p))
        p++;
    }
  if (p >= end)
    return FALSE; /* an event never ends in a number: let json-c say what is wrong */
  v->raw = start;
  v->raw_len = (gsize) (p - start);
  *pp = p;
  if (is_int)
    {
      if (digits > 18)
        return FALSE; /* near or past 64 bits: json-c's rules (clamping, uint64) apply */
      v->type = IMP_INT;
      v->i = neg ? -(gint64) mant : (gint64) mant;
      v->d = (double) v->i;
      return TRUE;
    }
  v->type = IMP_DOUBLE;
  if (!has_exp && digits <= 15 && frac <= 22)
    v->d = (double) mant / pow10_exact[frac];
  else
    {
      char buf[64];
      gsize n = (gsize) (p - start);
      if (n >= sizeof buf)
        return FALSE;
      memcpy (buf, start, n);
      buf[n] = '\0';
      v->d = g_ascii_strtod (buf, NULL);
    }
  if (neg && !has_exp && digits <= 15 && frac <= 22)
    v->d = -v->d;
  return TRUE;
}

/* A scalar value at p.  Containers are not scalars: FALSE. */
static inline gboolean
scan_scalar (const char **pp, const char *end, ImpValue *v)
{
  const char *p = *pp;
  if (p >= end)
    return FALSE;
  switch (*p)
    {
    case '"':
      v->type = IMP_STRING;
      v->raw = p;
      if (!scan_string (pp, end, &v->s, &v->len))
        return FALSE;
      v->raw_len = (gsize) (*pp - p);
      return TRUE;
    case 't':
      if (end - p < 4 || memcmp (p, "true", 4) != 0)
        return FALSE;
      v->type = IMP_BOOL;
      v->b = TRUE;
      v->raw = p;
      v->raw_len = 4;
      *pp = p + 4;
      return TRUE;
    case 'f':
      if (end - p < 5 || memcmp (p, "false", 5) != 0)
        return FALSE;
      v->type = IMP_BOOL;
      v->b = FALSE;
      v->raw = p;
      v->raw_len = 5;
      *pp = p + 5;
      return TRUE;
    case 'n':
      if (end - p < 4 || memcmp (p, "null", 4) != 0)
        return FALSE;
      v->type = IMP_NULL;
      v->raw = p;
      v->raw_len = 4;
      *pp = p + 4;
      return TRUE;
    default:
      return scan_number (pp, end, v);
    }
}

static ImpArg *
add_arg (ImpEvent *ev, const char *key, gsize key_len)
{
  for (guint i = 0; i < ev->n_args; i++) /* a repeated key: the last one counts, as in json-c */
    if (ev->arg[i].key_len == key_len && memcmp (ev->arg[i].key, key, key_len) == 0)
      return &ev->arg[i];
  if (ev->n_args == ev->cap_args)
    {
      ev->cap_args = ev->cap_args ? ev->cap_args * 2 : 16;
      ev->arg = g_renew (ImpArg, ev->arg, ev->cap_args);
    }
  ImpArg *a = &ev->arg[ev->n_args++];
  a->key = key;
  a->key_len = key_len;
  return a;
}

/* The slot of a top-level key the importer reads; NULL for the others. */
static inline ImpValue *
slot (ImpEvent *ev, const char *k, gsize n)
{
#define IS(lit) (n == sizeof (lit) - 1 && memcmp (k, lit, n) == 0)
  switch (k[0])
    {
    case 'p':
      return IS ("ph") ? &ev->ph : IS ("pid") ? &ev->pid : NULL;
    case 't':
      return IS ("ts") ? &ev->ts : IS ("tid") ? &ev->tid : NULL;
    case 'n':
      return IS ("name") ? &ev->name : NULL;
    case 'c':
      return IS ("cat") ? &ev->cat : NULL;
    case 'd':
      return IS ("dur") ? &ev->dur : NULL;
    case 'i':
      return IS ("id") ? &ev->id : NULL;
    case 'b':
      return IS ("bind_id") ? &ev->bind_id : NULL;
    case 'f':
      return IS ("flow_in") ? &ev->flow_in : IS ("flow_out") ? &ev->flow_out : NULL;
    case 'a':
      return IS ("args") ? &ev->args : NULL;
    default:
      return NULL;
    }
#undef IS
}

static void
event_reset (ImpEvent *ev)
{
  ImpArg *arg = ev->arg;
  guint cap = ev->cap_args;
  memset (ev, 0, sizeof *ev);
  ev->arg = arg;
  ev->cap_args = cap;
  ev->is_object = TRUE;
}

/* The members of an object at p ('{').  args: scalars only, kept in ev->arg. */
static gboolean
scan_members (const char **pp, const char *end, ImpEvent *ev, gboolean args)
{
  const char *p = skip_ws (*pp + 1, end);
  if (p < end && *p == '}')
    {
      *pp = p + 1;
      return TRUE;
    }
  for (;;)
    {
      if (p >= end || *p != '"')
        return FALSE;
      const char *key;
      gsize key_len;
      if (!scan_string (&p, end, &key, &key_len))
        return FALSE;
      p = skip_ws (p, end);
      if (p >= end || *p != ':')
        return FALSE;
      p = skip_ws (p + 1, end);
      if (p >= end)
        return FALSE;
      if (args)
        {
          if (ev->n_args >= ARGS_KEEP_MAX)
            return FALSE;
          ImpArg *a = add_arg (ev, key, key_len);
          if (!scan_scalar (&p, end, &a->v))
            return FALSE;
        }
      else
        {
          ImpValue *v = key_len > 0 ? slot (ev, key, key_len) : NULL;
          if (*p == '{')
            {
              if (v != &ev->args)
                return FALSE; /* a nested object the importer does not read: json-c */
              const char *start = p;
              ev->n_args = 0;
              if (!scan_members (&p, end, ev, TRUE))
                return FALSE;
              v->type = IMP_OBJECT;
              v->raw = start;
              v->raw_len = (gsize) (p - start);
            }
          else
            {
              ImpValue ignored;
              if (!scan_scalar (&p, end, v ? v : &ignored))
                return FALSE;
              if (v == &ev->args)
                ev->n_args = 0; /* "args": not an object */
            }
        }
      p = skip_ws (p, end);
      if (p >= end)
        return FALSE;
      if (*p == '}')
        {
          *pp = p + 1;
          return TRUE;
        }
      if (*p != ',')
        return FALSE;
      p = skip_ws (p + 1, end);
    }
}

TraceScanResult
trace_scan_event (const char **pp, const char *end, ImpEvent *ev)
{
  event_reset (ev);
  const char *p = *pp;
  if (G_UNLIKELY (trace_scan_force_json_c) || p >= end || *p != '{'
      || !scan_members (&p, end, ev, FALSE))
    return TRACE_SCAN_FALLBACK;
  *pp = p;
  return TRACE_SCAN_OK;
}

/* json-c → ImpValue.  Strings and texts live in the tree. */
static void
value_from_json (json_object *o, ImpValue *v)
{
  memset (v, 0, sizeof *v);
  switch (json_object_get_type (o))
    {
    case json_type_null:
      v->type = IMP_NULL;
      break;
    case json_type_boolean:
      v->type = IMP_BOOL;
      v->b = json_object_get_boolean (o);
      break;
    case json_type_int:
      v->type = IMP_INT;
      v->i = json_object_get_int64 (o);
      v->d = json_object_get_double (o);
      break;
    case json_type_double:
      v->type = IMP_DOUBLE;
      v->d = json_object_get_double (o);
      break;
    case json_type_string:
      v->type = IMP_STRING;
      v->s = json_object_get_string (o);
      v->len = (gsize) json_object_get_string_len (o);
      break;
    case json_type_object:
      v->type = IMP_OBJECT;
      break;
    case json_type_array:
      v->type = IMP_ARRAY;
      break;
    }
  v->raw = json_object_to_json_string_ext (o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
  v->raw_len = strlen (v->raw);
}

void
trace_event_from_json (json_object *o, ImpEvent *ev)
{
  event_reset (ev);
  if (o == NULL || !json_object_is_type (o, json_type_object))
    {
      ev->is_object = FALSE;
      if (o != NULL)
        value_from_json (o, &ev->ph);
      else
        ev->ph.type = IMP_NULL;
      return;
    }
  json_object_object_foreach (o, key, val)
  {
    ImpValue *v = key[0] ? slot (ev, key, strlen (key)) : NULL;
    if (v == NULL)
      continue;
    if (val == NULL)
      {
        memset (v, 0, sizeof *v);
        v->type = IMP_NULL;
        v->raw = "null";
        v->raw_len = 4;
      }
    else
      value_from_json (val, v);
    if (v == &ev->args && json_object_is_type (val, json_type_object))
      {
        ev->n_args = 0;
        json_object_object_foreach (val, akey, aval)
        {
          ImpArg *a = add_arg (ev, akey, strlen (akey));
          if (aval == NULL)
            {
              memset (&a->v, 0, sizeof a->v);
              a->v.type = IMP_NULL;
              a->v.raw = "null";
              a->v.raw_len = 4;
            }
          else
            value_from_json (aval, &a->v);
        }
      }
  }
}

void
trace_event_clear (ImpEvent *ev)
{
  g_free (ev->arg);
  memset (ev, 0, sizeof *ev);
}

const ImpValue *
trace_event_arg (const ImpEvent *ev, const char *key)
{
  if (ev->args.type != IMP_OBJECT)
    return NULL;
  gsize n = strlen (key);
  for (guint i = 0; i < ev->n_args; i++)
    if (ev->arg[i].key_len == n && memcmp (ev->arg[i].key, key, n) == 0)
      return &ev->arg[i].v;
  return NULL;
}

gboolean
imp_value_is (const ImpValue *v, const char *s)
{
  gsize n = strlen (s);
  return v->type == IMP_STRING && v->len == n && memcmp (v->s, s, n) == 0;
}
