/* src/render/search.c — find spans by name, stage, task, KV block, core or pipe (see search.h). */
#include "src/render/search.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct
{
  guint8 *string_match; /* per string id: the word is in it (names and details) */
  gboolean any_string;
  guint stage_mask;   /* bit per SimStage */
  gint64 task, iter;  /* -1 = the word is not a number of that kind */
  guint8 *lane_match; /* per flat lane: the word names its core or pipe */
} Term;

struct TlSearch
{
  const SimTrace *trace;
  Term *terms;
  guint n_terms;
  guint *lane_base; /* per group: index of its first lane in the flat lane arrays */
  guint n_lanes;
  guint8 *lane_all, *lane_any;
};

const SimTrace *
tl_search_get_trace (const TlSearch *search)
{
  return search->trace;
}

/* "t3" / "task=3" -> 3 with prefix "t"/"task=", else -1. */
static gint64
number_after (const char *word, const char *const *prefixes)
{
  for (guint p = 0; prefixes[p]; p++)
    {
      gsize n = strlen (prefixes[p]);
      if (g_ascii_strncasecmp (word, prefixes[p], n) != 0 || word[n] == '\0')
        continue;
      char *end = NULL;
      gint64 v = g_ascii_strtoll (word + n, &end, 10);
      if (end && *end == '\0' && v >= 0)
        return v;
    }
  return -1;
}

static void
term_init (Term *t, const SimTrace *trace, const char *word, guint n_lanes)
{
  static const char *const task_prefixes[] = { "task=", "t", NULL };
  static const char *const iter_prefixes[] = { "block=", "kv=", "k", NULL };
  g_autofree char *folded = g_utf8_casefold (word, -1);
  guint n_strings = trace->strings->len;
  t->string_match = g_new0 (guint8, MAX (n_strings, 1));
  for (guint i = 1; i < n_strings; i++)
    {
      g_autofree char *s = g_utf8_casefold (g_ptr_array_index (trace->strings, i), -1);
      if (strstr (s, folded) != NULL)
        t->string_match[i] = 1, t->any_string = TRUE;
    }
  for (int s = 1; s < SIM_N_STAGES; s++)
    if (g_ascii_strcasecmp (sim_stage_name ((SimStage) s), word) == 0)
      t->stage_mask |= 1u << s;
  t->task = number_after (word, task_prefixes);
  t->iter = number_after (word, iter_prefixes);
  t->lane_match = g_new0 (guint8, MAX (n_lanes, 1));
  guint fl = 0;
  for (guint g = 0; g < trace->groups->len; g++)
    {
      const SimGroup *grp = g_ptr_array_index (trace->groups, g);
      gboolean core = g_ascii_strcasecmp (grp->name, word) == 0;
      for (guint l = 0; l < grp->lanes->len; l++, fl++)
        {
          const SimLane *lane = g_ptr_array_index (grp->lanes, l);
          t->lane_match[fl] = core || g_ascii_strcasecmp (lane->name, word) == 0
                              || (lane->pipe != SIM_PIPE_NONE
                                  && g_ascii_strcasecmp (sim_pipe_name (lane->pipe), word) == 0);
        }
    }
}

TlSearch *
tl_search_new (const SimTrace *trace, const char *query)
{
  g_return_val_if_fail (trace != NULL, NULL);
  g_auto (GStrv) words = g_strsplit_set (query ? query : "", " \t", -1);
  guint n_words = 0;
  for (guint i = 0; words[i]; i++)
    n_words += words[i][0] != '\0';
  if (n_words == 0)
    return NULL;
  TlSearch *s = g_new0 (TlSearch, 1);
  s->trace = trace;
  s->lane_base = g_new0 (guint, MAX (trace->groups->len, 1));
  for (guint g = 0; g < trace->groups->len; g++)
    {
      s->lane_base[g] = s->n_lanes;
      s->n_lanes += ((SimGroup *) g_ptr_array_index (trace->groups, g))->lanes->len;
    }
  s->terms = g_new0 (Term, n_words);
  for (guint i = 0; words[i]; i++)
    if (words[i][0] != '\0')
      term_init (&s->terms[s->n_terms++], trace, words[i], s->n_lanes);
  s->lane_all = g_new0 (guint8, MAX (s->n_lanes, 1));
  s->lane_any = g_new0 (guint8, MAX (s->n_lanes, 1));
  for (guint fl = 0; fl < s->n_lanes; fl++)
    {
      gboolean all = TRUE, any = TRUE;
      for (guint k = 0; k < s->n_terms; k++)
        {
          const Term *t = &s->terms[k];
          if (t->lane_match[fl])
            continue;
          all = FALSE;
          if (!t->any_string && t->stage_mask == 0 && t->task < 0 && t->iter < 0)
            any = FALSE;
        }
      s->lane_all[fl] = all;
      s->lane_any[fl] = any;
    }
  return s;
}

void
tl_search_free (TlSearch *s)
{
  if (s == NULL)
    return;
  for (guint k = 0; k < s->n_terms; k++)
    {
      g_free (s->terms[k].string_match);
      g_free (s->terms[k].lane_match);
    }
  g_free (s->terms);
  g_free (s->lane_base);
  g_free (s->lane_all);
  g_free (s->lane_any);
  g_free (s);
}

static guint
flat_lane (const TlSearch *s, int group, int lane)
{
  return s->lane_base[group] + (guint) lane;
}

gboolean
tl_search_lane_all (const TlSearch *s, int group, int lane)
{
  return s->lane_all[flat_lane (s, group, lane)];
}

gboolean
tl_search_lane_any (const TlSearch *s, int group, int lane)
{
  return s->lane_any[flat_lane (s, group, lane)];
}

static gboolean
span_matches (const TlSearch *s, guint fl, const SimSpan *span)
{
  if (s->lane_all[fl])
    return TRUE;
  for (guint k = 0; k < s->n_terms; k++)
    {
      const Term *t = &s->terms[k];
      if (t->lane_match[fl] || t->string_match[span->name] || t->string_match[span->detail]
          || (t->stage_mask >> span->stage) & 1 || (t->task >= 0 && span->task == t->task)
          || (t->iter >= 0 && span->iter == t->iter))
        continue;
      return FALSE;
    }
  return TRUE;
}

gboolean
tl_search_span (const TlSearch *s, int group, int lane, const SimSpan *span)
{
  return span_matches (s, flat_lane (s, group, lane), span);
}

guint64
tl_search_count (const TlSearch *s, const guint8 *hidden)
{
  guint64 n = 0;
  const SimTrace *trace = s->trace;
  for (guint g = 0; g < trace->groups->len; g++)
    {
      if (hidden && hidden[g])
        continue;
      const SimGroup *grp = g_ptr_array_index (trace->groups, g);
      for (guint l = 0; l < grp->lanes->len; l++)
        {
          const SimLane *lane = g_ptr_array_index (grp->lanes, l);
          guint fl = flat_lane (s, (int) g, (int) l);
          if (s->lane_all[fl])
            n += lane->n_spans;
          else if (s->lane_any[fl])
            for (gsize i = 0; i < lane->n_spans; i++)
              n += span_matches (s, fl, &lane->spans[i]);
        }
    }
  return n;
}

/* Time order of matches: start, then group, lane, index.  <0, 0, >0. */
static int
key_cmp (double ta, int ga, int la, gsize ia, double tb, int gb, int lb, gsize ib)
{
  if (ta != tb)
    return ta < tb ? -1 : 1;
  if (ga != gb)
    return ga < gb ? -1 : 1;
  if (la != lb)
    return la < lb ? -1 : 1;
  return ia < ib ? -1 : ia > ib;
}

static gboolean
step_once (const TlSearch *s, const guint8 *hidden, int fg, int fl_, gsize fi, double ft,
           gboolean forward, TlSearchHit *out)
{
  const SimTrace *trace = s->trace;
  gboolean found = FALSE;
  double best_t = 0;
  for (guint g = 0; g < trace->groups->len; g++)
    {
      if (hidden && hidden[g])
        continue;
      const SimGroup *grp = g_ptr_array_index (trace->groups, g);
      for (guint l = 0; l < grp->lanes->len; l++)
        {
          guint fl = flat_lane (s, (int) g, (int) l);
          if (!s->lane_any[fl])
            continue;
          const SimLane *lane = g_ptr_array_index (grp->lanes, l);
          if (lane->n_spans == 0)
            continue;
          if (forward)
            {
              for (gsize i = sim_lane_lower_bound (lane, 0, ft); i < lane->n_spans; i++)
                {
                  const SimSpan *sp = &lane->spans[i];
                  if (found
                      && key_cmp (sp->start_ns, (int) g, (int) l, i, best_t, out->group, out->lane,
                                  out->span)
                             >= 0)
                    break;
                  if (key_cmp (sp->start_ns, (int) g, (int) l, i, ft, fg, fl_, fi) <= 0)
                    continue;
                  if (span_matches (s, fl, sp))
                    {
                      found = TRUE;
                      best_t = sp->start_ns;
                      *out = (TlSearchHit){ (int) g, (int) l, i };
                      break;
                    }
                }
            }
          else
            {
              for (gsize i = sim_lane_lower_bound (lane, 0, nextafter (ft, INFINITY)); i-- > 0;)
                {
                  const SimSpan *sp = &lane->spans[i];
                  if (found
                      && key_cmp (sp->start_ns, (int) g, (int) l, i, best_t, out->group, out->lane,
                                  out->span)
                             <= 0)
                    break;
                  if (key_cmp (sp->start_ns, (int) g, (int) l, i, ft, fg, fl_, fi) >= 0)
                    continue;
                  if (span_matches (s, fl, sp))
                    {
                      found = TRUE;
                      best_t = sp->start_ns;
                      *out = (TlSearchHit){ (int) g, (int) l, i };
                      break;
                    }
                }
            }
        }
    }
  return found;
}

gboolean
tl_search_step (const TlSearch *s, const guint8 *hidden, const TlSearchHit *from, double from_ns,
                gboolean forward, TlSearchHit *out)
{
  int fg, fl;
  gsize fi;
  if (from != NULL && from->group >= 0)
    {
      fg = from->group, fl = from->lane, fi = from->span;
      const SimLane *lane = sim_trace_lane (s->trace, (guint) fg, (guint) fl);
      if (lane && fi < lane->n_spans)
        from_ns = lane->spans[fi].start_ns;
    }
  else if (forward)
    fg = -1, fl = -1, fi = 0; /* before everything that starts at from_ns */
  else
    fg = G_MAXINT, fl = G_MAXINT, fi = G_MAXSIZE; /* after everything that starts at from_ns */
  if (step_once (s, hidden, fg, fl, fi, from_ns, forward, out))
    return TRUE;
  /* wrap around */
  if (forward)
    return step_once (s, hidden, -1, -1, 0, -INFINITY, TRUE, out);
  return step_once (s, hidden, G_MAXINT, G_MAXINT, G_MAXSIZE, INFINITY, FALSE, out);
}

guint64
tl_search_rank (const TlSearch *s, const guint8 *hidden, const TlSearchHit *hit)
{
  const SimLane *hl = sim_trace_lane (s->trace, (guint) hit->group, (guint) hit->lane);
  if (hl == NULL || hit->span >= hl->n_spans
      || !tl_search_span (s, hit->group, hit->lane, &hl->spans[hit->span]))
    return 0;
  double ht = hl->spans[hit->span].start_ns;
  guint64 before = 0;
  const SimTrace *trace = s->trace;
  for (guint g = 0; g < trace->groups->len; g++)
    {
      if (hidden && hidden[g])
        continue;
      const SimGroup *grp = g_ptr_array_index (trace->groups, g);
      for (guint l = 0; l < grp->lanes->len; l++)
        {
          guint fl = flat_lane (s, (int) g, (int) l);
          if (!s->lane_any[fl])
            continue;
          const SimLane *lane = g_ptr_array_index (grp->lanes, l);
          gsize end = sim_lane_lower_bound (lane, 0, nextafter (ht, INFINITY));
          for (gsize i = 0; i < end; i++)
            if (key_cmp (lane->spans[i].start_ns, (int) g, (int) l, i, ht, hit->group, hit->lane,
                         hit->span)
                    < 0
                && span_matches (s, fl, &lane->spans[i]))
              before++;
        }
    }
  return before + 1;
}
