/* sim/trace/trace-json-scan.c — one trace event into an ImpEvent (see trace-import.h).
 *
 * Not a general JSON parser: a strict scanner for the shape nearly every event has — an object of
 * strings, numbers, true/false/null, one "args" object of such scalars, and nested arrays and
 * objects where the importer reads nothing ("Input Dims": [[64, 128], [128]] in args, unknown
 * keys), which are checked and skipped (at most SKIP_MAX_DEPTH levels).  It fills an ImpEvent
 * with pointers into the text (no tree, no locale, and no allocation but for strings with
 * escapes, decoded into ev->text as json-c decodes them: surrogate pairs joined, a lone
 * surrogate U+FFFD, a key cut at a \u0000).  It returns TRACE_SCAN_FALLBACK the moment it meets
 * anything else (a nested value in a field the importer reads, an escaped "ts" or "dur", a
 * control character, a bad escape, a leading zero, a trailing comma, invalid UTF-8, deeper
 * nesting, the end of the text), so json-c parses that event instead and stays the judge of
 * validity and of every syntax message.  Numbers with at most 15 significant digits and 22
 * decimals are exact as mantissa / 10^k (both exact doubles, one rounding: what strtod gives);
 * others go through g_ascii_strtod.
 */
#include "sim/trace/trace-import.h"

#include <math.h>
#include <string.h>

#define ARGS_KEEP_MAX 4096 /* more args members than this: json-c (and the importer ignores most) */
/* Levels of arrays/objects in one skipped value: with the event and "args" well within json-c's
 * limit (EVENT_MAX_DEPTH, 64), so deeper values go to json-c for its message. */
#define SKIP_MAX_DEPTH 32

gboolean trace_scan_force_json_c = FALSE;

/* an ASCII digit, in one compare (g_ascii_isdigit looks the byte up in a table) */
#define IS_DIGIT(c) ((guint8) ((c) - '0') < 10)

/* '{' or '[' (0x7B, 0x5B: they differ in bit 0x20 alone) */
#define IS_OPEN(c) (((c) | 0x20) == '{')

static const double pow10_exact[] = { 1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                      1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                      1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22 };

static inline const char *
skip_ws (const char *p, const char *end)
{
  if (G_LIKELY (p < end && (guint8) *p > ' ')) /* no whitespace: what our writer leaves */
    return p;
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

/* Plain ASCII bytes (none of special8's) from p, at most 8 when end - p >= 8; 0 otherwise.  The
 * lowest byte special8 flags is always a special one (a borrow only flags bytes above a real
 * match), so the bytes below it are plain. */
static inline gsize
plain_run (const char *p, const char *end)
{
  if (end - p < 8)
    return 0;
  guint64 m = special8 (p);
  if (m == 0)
    return 8;
#if G_BYTE_ORDER == G_LITTLE_ENDIAN
  return (gsize) __builtin_ctzll (m) >> 3;
#else
  return 0;
#endif
}

static inline int
hex_digit (char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/* The 4 hex digits at p (end - p >= 4), or -1. */
static inline int
hex4 (const char *p)
{
  int a = hex_digit (p[0]), b = hex_digit (p[1]), c = hex_digit (p[2]), d = hex_digit (p[3]);
  if ((a | b | c | d) < 0)
    return -1;
  return (a << 12) | (b << 8) | (c << 4) | d;
}

/* The closing quote of a string whose contents start at p, or NULL: checks every escape (one of
 * \" \\ \/ \b \f \n \r \t \uXXXX), control characters and UTF-8.  *escaped: it has escapes. */
static const char *
string_end (const char *p, const char *end, gboolean *escaped)
{
  const char *start = p;
  guint8 high = 0;
  *escaped = FALSE;
  for (;;)
    {
      while (end - p >= 8 && special8 (p) == 0)
        p += 8;
      if (p >= end)
        return NULL;
      guint8 c = (guint8) *p;
      if (c == '"')
        break;
      if (c == '\\')
        {
          if (end - p < 2)
            return NULL;
          *escaped = TRUE;
          switch (p[1])
            {
            case '"':
            case '\\':
            case '/':
            case 'b':
            case 'f':
            case 'n':
            case 'r':
            case 't':
              p += 2;
              continue;
            case 'u':
              if (end - p < 6 || hex4 (p + 2) < 0)
                return NULL;
              p += 6;
              continue;
            default:
              return NULL;
            }
        }
      if (c < 0x20)
        return NULL;
      high |= c;
      p++;
    }
  if ((high & 0x80) && !g_utf8_validate_len (start, (gsize) (p - start), NULL))
    return NULL;
  return p;
}

static inline void
rebase (const char **s, const char *from, gsize len, const char *to)
{
  if (*s != NULL && *s >= from && *s < from + len)
    *s = to + (*s - from);
}

/* Room for n more bytes in ev->text; strings already decoded move with it. */
static void
text_reserve (ImpEvent *ev, gsize n)
{
  if (ev->text_cap - ev->text_len >= n)
    return;
  gsize cap = MAX (MAX (ev->text_cap * 2, ev->text_len + n), (gsize) 4096);
  char *text = g_malloc (cap);
  if (ev->text_len > 0)
    {
      memcpy (text, ev->text, ev->text_len);
      ImpValue *slots[]
          = { &ev->ph,  &ev->name, &ev->cat,     &ev->pid,     &ev->tid,      &ev->ts,
              &ev->dur, &ev->id,   &ev->bind_id, &ev->flow_in, &ev->flow_out, &ev->args };
      for (gsize i = 0; i < G_N_ELEMENTS (slots); i++)
        if (slots[i]->type == IMP_STRING)
          rebase (&slots[i]->s, ev->text, ev->text_len, text);
      for (guint i = 0; i < ev->n_args; i++)
        {
          rebase (&ev->arg[i].key, ev->text, ev->text_len, text);
          if (ev->arg[i].v.type == IMP_STRING)
            rebase (&ev->arg[i].v.s, ev->text, ev->text_len, text);
        }
    }
  g_free (ev->text);
  ev->text = text;
  ev->text_cap = cap;
}

static inline char *
put_utf8 (char *o, guint32 c)
{
  if (c < 0x80)
    *o++ = (char) c;
  else if (c < 0x800)
    {
      *o++ = (char) (0xC0 | (c >> 6));
      *o++ = (char) (0x80 | (c & 0x3F));
    }
  else if (c < 0x10000)
    {
      *o++ = (char) (0xE0 | (c >> 12));
      *o++ = (char) (0x80 | ((c >> 6) & 0x3F));
      *o++ = (char) (0x80 | (c & 0x3F));
    }
  else
    {
      *o++ = (char) (0xF0 | (c >> 18));
      *o++ = (char) (0x80 | ((c >> 12) & 0x3F));
      *o++ = (char) (0x80 | ((c >> 6) & 0x3F));
      *o++ = (char) (0x80 | (c & 0x3F));
    }
  return o;
}

/* A string with escapes at p ('"'), decoded into ev->text as json-c's tokener decodes it: a high
 * surrogate followed at once by \u and a low one is one character; any other surrogate is
 * U+FFFD (and what follows a lone high one is read as usual).  The decoded text is never longer
 * than the escaped.  key: cut at the first NUL, as json-c keeps a key as a C string. */
static G_GNUC_NO_INLINE gboolean
scan_string_escaped (const char **pp, const char *end, ImpEvent *ev, const char **s, gsize *len,
                     gboolean key)
{
  const char *p = *pp + 1, *q;
  gboolean escaped;
  if ((q = string_end (p, end, &escaped)) == NULL)
    return FALSE;
  text_reserve (ev, (gsize) (q - p));
  char *out = ev->text + ev->text_len, *o = out;
  while (p < q)
    {
      if (*p != '\\')
        {
          *o++ = *p++;
          continue;
        }
      char e = p[1];
      p += 2;
      switch (e)
        {
        case 'b':
          *o++ = '\b';
          break;
        case 'f':
          *o++ = '\f';
          break;
        case 'n':
          *o++ = '\n';
          break;
        case 'r':
          *o++ = '\r';
          break;
        case 't':
          *o++ = '\t';
          break;
        case 'u':
          {
            guint32 c = (guint32) hex4 (p);
            p += 4;
            if (c >= 0xD800 && c <= 0xDBFF)
              {
                int lo = q - p >= 6 && p[0] == '\\' && p[1] == 'u' ? hex4 (p + 2) : -1;
                if (lo >= 0xDC00 && lo <= 0xDFFF)
                  {
                    c = 0x10000 + ((c - 0xD800) << 10) + ((guint32) lo - 0xDC00);
                    p += 6;
                  }
                else
                  c = 0xFFFD;
              }
            else if (c >= 0xDC00 && c <= 0xDFFF)
              c = 0xFFFD;
            o = put_utf8 (o, c);
            break;
          }
        default: /* " \ / */
          *o++ = e;
          break;
        }
    }
  *s = out;
  *len = (gsize) (o - out);
  if (key)
    {
      const char *nul = memchr (out, '\0', *len);
      if (nul != NULL)
        *len = (gsize) (nul - out);
    }
  ev->text_len += (gsize) (o - out);
  *pp = q + 1;
  return TRUE;
}

/* A string at p ('"'): contents without control characters, valid UTF-8.  Without escapes (the
 * common case) it points into the text; with them, into ev->text. */
static inline gboolean
scan_string (const char **pp, const char *end, ImpEvent *ev, const char **s, gsize *len,
             gboolean key)
{
  const char *p = *pp + 1, *start = p;
  guint8 high = 0;
  for (;;)
    {
      gsize n = plain_run (p, end); /* plain ASCII, up to 8 bytes at a time */
      if (n == 8)
        {
          p += 8;
          continue;
        }
      p += n;
      if (p >= end)
        return FALSE;
      guint8 c = (guint8) *p;
      if (c == '"')
        break;
      if (c == '\\')
        return scan_string_escaped (pp, end, ev, s, len, key);
      if (c < 0x20)
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
  if (p >= end || !IS_DIGIT (*p))
    return FALSE;
  guint64 mant = 0;
  int digits = 0, frac = 0;
  gboolean is_int = TRUE;
  if (*p == '0')
    {
      p++;
      if (p < end && IS_DIGIT (*p))
        return FALSE; /* leading zero */
    }
  else
    while (p < end && IS_DIGIT (*p))
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
      if (p >= end || !IS_DIGIT (*p))
        return FALSE;
      while (p < end && IS_DIGIT (*p))
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
      if (p >= end || !IS_DIGIT (*p))
        return FALSE;
      while (p < end && IS_DIGIT (*p))
        p++;
    }
  if (p >= end)
    return FALSE; /* an event never ends in a number: let json-c say what is wrong */
  /* *pp moves only when the number is taken: a caller that goes on after FALSE (a member the
   * importer does not read is skipped instead) must start at the number again */
  v->raw = start;
  v->raw_len = (gsize) (p - start);
  if (is_int)
    {
      if (digits > 18)
        return FALSE; /* near or past 64 bits: json-c's rules (clamping, uint64) apply */
      v->type = IMP_INT;
      v->i = neg ? -(gint64) mant : (gint64) mant;
      v->d = (double) v->i;
      *pp = p;
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
  *pp = p;
  return TRUE;
}

/* A scalar value at p.  Containers are not scalars: FALSE. */
static inline gboolean
scan_scalar (const char **pp, const char *end, ImpEvent *ev, ImpValue *v)
{
  const char *p = *pp;
  if (p >= end)
    return FALSE;
  switch (*p)
    {
    case '"':
      v->type = IMP_STRING;
      v->raw = p;
      if (!scan_string (pp, end, ev, &v->s, &v->len, FALSE))
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

/* The end of a number at p in JSON's grammar (what scan_number takes, without its value), or
 * NULL.  Never the end of the text. */
static inline const char *
number_end (const char *p, const char *end)
{
  if (p < end && *p == '-')
    p++;
  if (p >= end || !IS_DIGIT (*p))
    return NULL;
  if (*p == '0')
    {
      p++;
      if (p < end && IS_DIGIT (*p))
        return NULL;
    }
  else
    while (p < end && IS_DIGIT (*p))
      p++;
  if (p < end && *p == '.')
    {
      p++;
      if (p >= end || !IS_DIGIT (*p))
        return NULL;
      while (p < end && IS_DIGIT (*p))
        p++;
    }
  if (p < end && (*p == 'e' || *p == 'E'))
    {
      p++;
      if (p < end && (*p == '+' || *p == '-'))
        p++;
      if (p >= end || !IS_DIGIT (*p))
        return NULL;
      while (p < end && IS_DIGIT (*p))
        p++;
    }
  return p < end ? p : NULL;
}

/* Past one JSON value at p that the importer does not read (an array or object, at most
 * SKIP_MAX_DEPTH levels deep, or a scalar), checking its syntax as strictly as the rest of the
 * scanner: FALSE for anything it would not take itself. */
static gboolean
skip_value (const char **pp, const char *end)
{
  char close[SKIP_MAX_DEPTH]; /* the bracket that ends each open level */
  int depth = 0;
  const char *p = *pp, *q;
  gboolean escaped;
  for (;;)
    {
      /* a value at p */
      if (p >= end)
        return FALSE;
      gboolean member = FALSE; /* a key comes next (an object was opened) */
      switch (*p)
        {
        case '{':
        case '[':
          if (depth == SKIP_MAX_DEPTH)
            return FALSE;
          close[depth++] = *p == '{' ? '}' : ']';
          member = *p == '{';
          p = skip_ws (p + 1, end);
          if (p < end && *p == close[depth - 1])
            {
              p++;
              depth--;
              member = FALSE;
              break;
            }
          if (!member)
            continue;
          break;
        case '"':
          if ((q = string_end (p + 1, end, &escaped)) == NULL)
            return FALSE;
          p = q + 1;
          break;
        case 't':
          if (end - p < 4 || memcmp (p, "true", 4) != 0)
            return FALSE;
          p += 4;
          break;
        case 'f':
          if (end - p < 5 || memcmp (p, "false", 5) != 0)
            return FALSE;
          p += 5;
          break;
        case 'n':
          if (end - p < 4 || memcmp (p, "null", 4) != 0)
            return FALSE;
          p += 4;
          break;
        default:
          if ((p = number_end (p, end)) == NULL)
            return FALSE;
          break;
        }
      /* after a value (or, member: at the first key of an object) */
      while (!member)
        {
          if (depth == 0)
            {
              *pp = p;
              return TRUE;
            }
          p = skip_ws (p, end);
          if (p >= end)
            return FALSE;
          if (*p == close[depth - 1])
            {
              p++;
              depth--;
              continue;
            }
          if (*p != ',')
            return FALSE;
          p = skip_ws (p + 1, end);
          member = close[depth - 1] == '}';
          if (!member)
            break; /* the next element */
        }
      if (member)
        {
          if (p >= end || *p != '"' || (q = string_end (p + 1, end, &escaped)) == NULL)
            return FALSE;
          p = skip_ws (q + 1, end);
          if (p >= end || *p != ':')
            return FALSE;
          p = skip_ws (p + 1, end);
        }
    }
}

/* A top-level member the importer has no slot for, as JSON text (kept by spans). */
static void
add_other (ImpEvent *ev, const char *text, gsize len)
{
  if (ev->other == NULL)
    ev->other = g_string_new (NULL);
  if (ev->other->len > 0)
    g_string_append_c (ev->other, ',');
  g_string_append_len (ev->other, text, (gssize) len);
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
    case 's':
      return IS ("s") ? &ev->scope : NULL;
    default:
      return NULL;
    }
#undef IS
}

/* The values cleared; the arrays (arg, text) kept for the next event. */
static inline void
event_reset (ImpEvent *ev)
{
  memset (ev, 0, G_STRUCT_OFFSET (ImpEvent, arg));
  ev->n_args = 0;
  ev->text_len = 0;
  if (ev->other != NULL)
    g_string_truncate (ev->other, 0);
  ev->is_object = TRUE;
}

/* The members of an object at p ('{').  args: scalars kept in ev->arg, arrays and objects
 * skipped (their type and text kept). */
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
      const char *member = p;
      const char *key;
      gsize key_len;
      if (!scan_string (&p, end, ev, &key, &key_len, TRUE))
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
          if (G_UNLIKELY (IS_OPEN (*p)))
            {
              const char *start = p;
              if (!skip_value (&p, end))
                return FALSE;
              memset (&a->v, 0, sizeof a->v);
              a->v.type = *start == '{' ? IMP_OBJECT : IMP_ARRAY;
              a->v.raw = start;
              a->v.raw_len = (gsize) (p - start);
            }
          else if (!scan_scalar (&p, end, ev, &a->v))
            return FALSE;
        }
      else
        {
          ImpValue *v = key_len > 0 ? slot (ev, key, key_len) : NULL;
          if (v == NULL)
            {
              /* a scalar as the scanner takes scalars, anything it hands to json-c (a number
               * past 18 digits, which json-c clamps) sending the whole event there; only an
               * array or object is skipped unread */
              ImpValue ignored;
              if (IS_OPEN (*p) ? !skip_value (&p, end) : !scan_scalar (&p, end, ev, &ignored))
                return FALSE;
              add_other (ev, member, (gsize) (p - member));
            }
          else if (!IS_OPEN (*p))
            {
              if (!scan_scalar (&p, end, ev, v))
                return FALSE;
              if (v == &ev->args)
                ev->n_args = 0; /* "args": not an object */
            }
          else if (v != &ev->args)
            return FALSE; /* a field the importer reads: json-c words its message */
          else if (*p == '{')
            {
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
              const char *start = p; /* "args": an array */
              if (!skip_value (&p, end))
                return FALSE;
              memset (v, 0, sizeof *v);
              v->type = IMP_ARRAY;
              v->raw = start;
              v->raw_len = (gsize) (p - start);
              ev->n_args = 0;
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
  /* an escaped time: its message would quote json-c's text of it, so json-c reads it */
  if (G_UNLIKELY (ev->text_len > 0)
      && ((ev->ts.type == IMP_STRING && ev->ts.s != ev->ts.raw + 1)
          || (ev->dur.type == IMP_STRING && ev->dur.s != ev->dur.raw + 1)))
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
  /* past 18 digits json-c's int may be a bound (a literal past 64 bits, which the tree now
   * writes as it was: trace_json_keep_big_ints): the number is the literal's */
  if (v->type == IMP_INT && v->raw_len > 18)
    {
      double d = g_ascii_strtod (v->raw, NULL);
      if (isfinite (d)) /* past 1.8e308 the bound, as before (a counter takes only finite ones) */
        v->d = d;
    }
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
      {
        json_object *k = json_object_new_string (key);
        g_autofree char *member
            = g_strconcat (json_object_to_json_string_ext (k, JSON_C_TO_STRING_PLAIN
                                                                  | JSON_C_TO_STRING_NOSLASHESCAPE),
                           ":",
                           val != NULL ? json_object_to_json_string_ext (
                               val, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE)
                                       : "null",
                           NULL);
        json_object_put (k);
        add_other (ev, member, strlen (member));
        continue;
      }
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
  g_free (ev->text);
  if (ev->other != NULL)
    g_string_free (ev->other, TRUE);
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
  if (v->type != IMP_STRING || v->len == 0 || v->s[0] != s[0]) /* most differ at once */
    return FALSE;
  gsize n = strlen (s);
  return v->len == n && memcmp (v->s, s, n) == 0;
}
