/* sim/trace/trace-json-ints.c — integers past 64 bits, saved as the file wrote them.
 *
 * json-c reads an integer literal outside int64/uint64 as the nearest bound (strtoll/strtoull
 * clamping: 123456789012345678901234 reads as 18446744073709551615) and writes that bound back.
 * What the importer reads of such a number may be the bound; what a save writes of it must be
 * the file's own text.  So a value whose text has such a literal is parsed a second time with
 * each one quoted, which json-c keeps as a string in the same place of the same tree, and the
 * first tree's integer there is given the literal to write (json-c's userdata serializer).  Only
 * values with a run of 19 digits pay for more than one pass over their bytes.
 */
#include "sim/trace/trace-import.h"

#include <stdlib.h>
#include <string.h>

#define IS_DIGIT(c) ((guint8) ((c) - '0') < 10)
#define PARSE_DEPTH 256 /* deeper than any caller parses: the second parse never fails on depth */

/* An integer literal -?[0-9]+ (no leading zeros: the text was valid JSON) outside int64 (with a
 * sign) or uint64 (without): what json-c clamps. */
static gboolean
past_64_bits (const char *p, gsize n)
{
  gboolean neg = *p == '-';
  const char *bound = neg ? "9223372036854775808" : "18446744073709551615";
  gsize nb = strlen (bound), nd = n - (neg ? 1 : 0);
  if (nd != nb)
    return nd > nb;
  return memcmp (p + (neg ? 1 : 0), bound, nb) > 0;
}

/* Where the clamped literals of text (one valid JSON value) are: start, length pairs outside
 * strings; NULL when there are none. */
static GArray *
find_clamped (const char *text, gsize len)
{
  /* the common case: no 19 digits in a row anywhere */
  gsize run = 0;
  gboolean any = FALSE;
  for (gsize i = 0; i < len && !any; i++)
    {
      run = IS_DIGIT (text[i]) ? run + 1 : 0;
      any = run >= 19;
    }
  if (!any)
    return NULL;
  GArray *at = NULL;
  for (gsize i = 0; i < len;)
    {
      char c = text[i];
      if (c == '"')
        {
          for (i++; i < len && text[i] != '"'; i++)
            if (text[i] == '\\')
              i++;
          i++;
          continue;
        }
      if (c != '-' && !IS_DIGIT (c))
        {
          i++;
          continue;
        }
      gsize j = i + (c == '-' ? 1 : 0);
      while (j < len && IS_DIGIT (text[j]))
        j++;
      gboolean integer = !(j < len && (text[j] == '.' || text[j] == 'e' || text[j] == 'E'));
      if (integer && past_64_bits (text + i, j - i))
        {
          if (at == NULL)
            at = g_array_new (FALSE, FALSE, sizeof (gsize));
          gsize pair[2] = { i, j - i };
          g_array_append_vals (at, pair, 2);
        }
      /* the rest of the number: fraction and exponent */
      while (j < len
             && (IS_DIGIT (text[j]) || text[j] == '.' || text[j] == 'e' || text[j] == 'E'
                 || text[j] == '+' || text[j] == '-'))
        j++;
      i = j;
    }
  return at;
}

/* o and q are one tree, but for strings in q where o has the integers json-c clamped. */
static void
give_literals (json_object *o, json_object *q)
{
  json_type t = json_object_get_type (o);
  if (t == json_type_int && json_object_is_type (q, json_type_string))
    {
      json_object_set_serializer (o, json_object_userdata_to_json_string,
                                  strdup (json_object_get_string (q)), json_object_free_userdata);
      return;
    }
  if (t != json_object_get_type (q))
    return; /* not the same tree: leave it (cannot happen) */
  if (t == json_type_array)
    {
      size_t n = json_object_array_length (o);
      if (n != json_object_array_length (q))
        return;
      for (size_t i = 0; i < n; i++)
        give_literals (json_object_array_get_idx (o, i), json_object_array_get_idx (q, i));
    }
  else if (t == json_type_object)
    {
      /* in the order the members were added, the same in both */
      struct lh_entry *a = json_object_get_object (o)->head, *b = json_object_get_object (q)->head;
      for (; a != NULL && b != NULL; a = a->next, b = b->next)
        give_literals ((json_object *) lh_entry_v (a), (json_object *) lh_entry_v (b));
    }
}

void
trace_json_keep_big_ints (json_object *o, const char *text, gsize len)
{
  if (o == NULL || text == NULL)
    return;
  g_autoptr (GArray) at = find_clamped (text, len);
  if (at == NULL)
    return;
  GString *quoted = g_string_sized_new (len + at->len + 1);
  gsize from = 0;
  for (guint k = 0; k < at->len; k += 2)
    {
      gsize start = g_array_index (at, gsize, k), n = g_array_index (at, gsize, k + 1);
      g_string_append_len (quoted, text + from, (gssize) (start - from));
      g_string_append_c (quoted, '"');
      g_string_append_len (quoted, text + start, (gssize) n);
      g_string_append_c (quoted, '"');
      from = start + n;
    }
  g_string_append_len (quoted, text + from, (gssize) (len - from));
  json_tokener *tok = json_tokener_new_ex (PARSE_DEPTH);
  json_object *q = tok != NULL ? json_tokener_parse_ex (tok, quoted->str, (int) quoted->len) : NULL;
  if (tok != NULL)
    json_tokener_free (tok);
  if (q != NULL)
    give_literals (o, q);
  json_object_put (q);
  g_string_free (quoted, TRUE);
}

json_object *
trace_json_parse_keeping_ints (const char *text)
{
  json_object *o = json_tokener_parse (text);
  if (o != NULL)
    trace_json_keep_big_ints (o, text, strlen (text));
  return o;
}

struct json_object *
sim_trace_json_parse (const char *text)
{
  return text != NULL ? trace_json_parse_keeping_ints (text) : NULL;
}
