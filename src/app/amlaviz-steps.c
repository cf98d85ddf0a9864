/* src/app/amlaviz-steps.c — stage stepping units and their explanation (see the header). */
#include "src/app/amlaviz-steps.h"
#include "src/app/amlaviz-describe.h"

#include <stdlib.h>
#include <string.h>

static gboolean
steppable (const SimSpan *s)
{
  return s->stage >= SIM_STAGE_C1 && s->stage <= SIM_STAGE_COMBINE && s->task >= 0;
}

static guint64
step_key (int stage, int task, int iter)
{
  return ((guint64) (guint) stage << 56) ^ ((guint64) (guint32) task << 24)
         ^ (guint64) (guint32) (iter + 1);
}

static int
step_cmp (const void *a, const void *b)
{
  const AmlavizStep *x = a, *y = b;
  if (x->start_ns != y->start_ns)
    return x->start_ns < y->start_ns ? -1 : 1;
  if (x->stage != y->stage)
    return x->stage - y->stage;
  if (x->task != y->task)
    return x->task - y->task;
  return x->iter - y->iter;
}

/* (stage, task, iter) -> index in the steps array: open addressing on the 64-bit key, no
 * allocation per unit (a GHashTable of boxed keys took 10 ms for the 446,208 spans of a default
 * run with every core drawn, on every toggle) */
typedef struct
{
  guint64 *keys;
  guint *idx; /* G_MAXUINT = empty */
  guint mask, used;
} StepIndex;

static void
step_index_init (StepIndex *ix, guint size)
{
  ix->keys = g_new (guint64, size);
  ix->idx = g_new (guint, size);
  memset (ix->idx, 0xff, size * sizeof *ix->idx);
  ix->mask = size - 1;
  ix->used = 0;
}

static guint
step_slot (const StepIndex *ix, guint64 key)
{
  /* a full mix (MurmurHash3's finaliser): the stage sits in the key's top byte, which a plain
   * multiply would leave out of the low bits the mask keeps */
  guint64 x = key ^ (key >> 33);
  x *= G_GUINT64_CONSTANT (0xff51afd7ed558ccd);
  x ^= x >> 33;
  guint h = (guint) x & ix->mask;
  while (ix->idx[h] != G_MAXUINT && ix->keys[h] != key)
    h = (h + 1) & ix->mask;
  return h;
}

static void
step_index_grow (StepIndex *ix)
{
  StepIndex old = *ix;
  step_index_init (ix, 2 * (old.mask + 1));
  for (guint i = 0; i <= old.mask; i++)
    if (old.idx[i] != G_MAXUINT)
      {
        guint h = step_slot (ix, old.keys[i]);
        ix->keys[h] = old.keys[i];
        ix->idx[h] = old.idx[i];
      }
  ix->used = old.used;
  g_free (old.keys);
  g_free (old.idx);
}

GArray *
amlaviz_steps_build (const SimTrace *trace, const guint8 *hidden)
{
  GArray *steps = g_array_new (FALSE, FALSE, sizeof (AmlavizStep));
  if (trace == NULL)
    return steps;
  StepIndex ix;
  step_index_init (&ix, 256);
  for (guint g = 0; g < trace->groups->len; g++)
    {
      if (hidden && hidden[g])
        continue;
      const SimGroup *grp = g_ptr_array_index (trace->groups, g);
      for (guint l = 0; l < grp->lanes->len; l++)
        {
          const SimLane *lane = g_ptr_array_index (grp->lanes, l);
          /* scalar set-up and waits would stretch a unit over the whole run: its extent is the
           * data movement and compute */
          if (lane->pipe == SIM_PIPE_SCALAR)
            continue;
          /* a lane's spans come in runs of one unit: the last one is looked up once */
          guint64 last_key = 0;
          AmlavizStep *last = NULL;
          for (gsize i = 0; i < lane->n_spans; i++)
            {
              const SimSpan *s = &lane->spans[i];
              if (!steppable (s) || (s->flags & SIM_SPAN_WAIT))
                continue;
              guint64 key = step_key (s->stage, s->task, s->iter);
              if (last == NULL || key != last_key)
                {
                  guint h = step_slot (&ix, key);
                  if (ix.idx[h] == G_MAXUINT)
                    {
                      AmlavizStep st = { s->stage, s->task, s->iter, s->start_ns, s->start_ns, 0 };
                      g_array_append_val (steps, st);
                      ix.keys[h] = key;
                      ix.idx[h] = steps->len - 1;
                      if (2 * ++ix.used > ix.mask)
                        step_index_grow (&ix);
                    }
                  last = &g_array_index (steps, AmlavizStep, ix.idx[step_slot (&ix, key)]);
                  last_key = key;
                }
              last->start_ns = MIN (last->start_ns, s->start_ns);
              last->end_ns = MAX (last->end_ns, s->start_ns + s->dur_ns);
              last->n_spans++;
            }
        }
    }
  g_free (ix.keys);
  g_free (ix.idx);
  if (steps->len > 1)
    qsort (steps->data, steps->len, sizeof (AmlavizStep), step_cmp);
  return steps;
}

guint
amlaviz_steps_find (const GArray *steps, double t_ns)
{
  guint lo = 0, hi = steps->len;
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;
      if (g_array_index (steps, AmlavizStep, mid).start_ns < t_ns)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

static gboolean
span_in_step (const SimSpan *s, const AmlavizStep *st)
{
  return s->stage == st->stage && s->task == st->task && s->iter == st->iter;
}

static const char *
stage_story (int stage, gboolean amla)
{
  switch (stage)
    {
    case SIM_STAGE_C1:
      return "The Cube computes the scores S = Q·Kᵀ for one KV block: MTE2 brings K (and Q, once) "
             "from GM into L1, MTE1 feeds L0A/L0B, MMAD accumulates in L0C, and FixPipe writes S "
             "as FP32 to a GM workspace for the Vector cores.";
    case SIM_STAGE_V1:
      return amla
                 ? "The Vector cores run the online softmax on S: row max m, P = exp(S − m), row "
                   "sum ℓ.  AMLA turns the rescale of O into an integer exponent n = round(−m/ln2): "
                   "one int32 atomic add of Δn·2²³ onto O in GM (MTE3), so O never travels to UB; "
                   "the residual factor is folded into P, which goes to GM as BF16."
                 : "The Vector cores run the online softmax on S: row max m, P = exp(S − m), row "
                   "sum ℓ.  FP-multiply rescale: O (M × 512 FP32) is loaded from GM into UB, "
                   "multiplied by exp(m_old − m_new) and stored back — heavy GM traffic and "
                   "Vector work.  P goes to GM as BF16.";
    case SIM_STAGE_C2:
      return "The Cube computes O += P·V: MTE2 loads P and V (the first 512 columns of K) into L1, "
             "MMAD multiplies, and FixPipe adds the FP32 result atomically into O in GM (a plain "
             "store for the first block).";
    case SIM_STAGE_V2:
      return "Once per task, after its last KV block, the Vector cores load O, divide by ℓ (and "
             "the residual factor), cast to BF16 and write the attention output.";
    case SIM_STAGE_COMBINE:
      return "The Vector cores merge the partial results of a split KV range.";
    default:
      return "";
    }
}

/* The first real (non-wait) span of lane at or after t_ns. */
static const SimSpan *
span_at_or_after (const SimLane *lane, double t_ns)
{
  for (gsize i = sim_lane_first_visible (lane, t_ns - 1); i < lane->n_spans; i++)
    {
      const SimSpan *s = &lane->spans[i];
      if (s->start_ns + s->dur_ns < t_ns - 1 || (s->flags & SIM_SPAN_WAIT))
        continue;
      return s;
    }
  return NULL;
}

/* The span of lane that ends at (or covers) t_ns. */
static const SimSpan *
span_ending_at (const SimLane *lane, double t_ns)
{
  const SimSpan *best = NULL;
  for (gsize i = sim_lane_first_visible (lane, t_ns - 1); i < lane->n_spans; i++)
    {
      const SimSpan *s = &lane->spans[i];
      if (s->start_ns > t_ns + 1)
        break;
      if (s->start_ns + s->dur_ns >= t_ns - 1 && !(s->flags & SIM_SPAN_WAIT))
        best = s;
    }
  return best;
}

static const char *
lane_label (const SimTrace *trace, guint g, guint l, char *buf, gsize n)
{
  const SimGroup *grp = g < trace->groups->len ? g_ptr_array_index (trace->groups, g) : NULL;
  const SimLane *lane = grp && l < grp->lanes->len ? g_ptr_array_index (grp->lanes, l) : NULL;
  g_snprintf (buf, n, "%s %s", grp ? grp->name : "?", lane ? lane->name : "?");
  return buf;
}

char *
amlaviz_step_explain (const SimTrace *trace, const guint8 *hidden, const AmlavizStep *st,
                      gboolean amla)
{
  GString *out = g_string_new (NULL);
  g_autofree char *dur = amlaviz_format_time (st->end_ns - st->start_ns);
  g_autofree char *at = amlaviz_format_time (st->start_ns);
  g_autofree char *head = g_markup_printf_escaped (
      "<b>%s</b>\ntask %d, KV block %d — starts at %s, lasts %s\n\n%s\n", amlaviz_stage_title (st->stage),
      st->task, st->iter, at, dur, stage_story (st->stage, amla));
  g_string_append (out, head);

  GHashTable *buffers = g_hash_table_new (g_str_hash, g_str_equal);
  GPtrArray *buffer_list = g_ptr_array_new ();
  g_string_append (out, "\n<b>Work per pipe</b>\n");
  for (guint g = 0; g < trace->groups->len; g++)
    {
      if (hidden && hidden[g])
        continue;
      const SimGroup *grp = g_ptr_array_index (trace->groups, g);
      for (guint l = 0; l < grp->lanes->len; l++)
        {
          const SimLane *lane = g_ptr_array_index (grp->lanes, l);
          double busy = 0;
          guint64 bytes = 0, n = 0;
          for (gsize i = sim_lane_first_visible (lane, st->start_ns); i < lane->n_spans; i++)
            {
              const SimSpan *s = &lane->spans[i];
              if (s->start_ns > st->end_ns)
                break;
              if (!span_in_step (s, st))
                continue;
              busy += s->dur_ns;
              bytes += s->bytes;
              n++;
              const char *d = s->detail ? sim_trace_string (trace, s->detail) : NULL;
              if (d && *d && !g_hash_table_contains (buffers, d) && buffer_list->len < 12)
                {
                  g_hash_table_add (buffers, (gpointer) d);
                  g_ptr_array_add (buffer_list, (gpointer) d);
                }
            }
          if (n == 0)
            continue;
          g_autofree char *b = amlaviz_format_time (busy);
          g_autofree char *by = bytes ? amlaviz_format_bytes ((double) bytes) : g_strdup ("");
          g_autofree char *line = g_markup_printf_escaped (
              "  %s %s: %u op%s, %s busy%s%s\n", grp->name, lane->name, (guint) n, n == 1 ? "" : "s",
              b, bytes ? ", " : "", by);
          g_string_append (out, line);
        }
    }
  if (buffer_list->len)
    {
      g_string_append (out, "\n<b>Buffers and flags named by its ops</b>\n  ");
      for (guint i = 0; i < buffer_list->len; i++)
        {
          g_autofree char *e = g_markup_escape_text (g_ptr_array_index (buffer_list, i), -1);
          g_string_append_printf (out, "%s%s", i ? ", " : "", e);
        }
      g_string_append_c (out, '\n');
    }
  g_ptr_array_free (buffer_list, TRUE);
  g_hash_table_destroy (buffers);

  /* Flags: a flow whose destination is the first op of this unit on its lane was waited for;
   * a flow whose source is an op of this unit was set by it. */
  GString *waited = g_string_new (NULL), *set = g_string_new (NULL);
  guint n_waited = 0, n_set = 0;
  for (guint i = 0; trace->flows && i < trace->flows->len; i++)
    {
      const SimFlow *f = &g_array_index (trace->flows, SimFlow, i);
      char a[96], b[96];
      const SimLane *dl = sim_trace_lane (trace, f->dst_group, f->dst_lane);
      const SimLane *sl = sim_trace_lane (trace, f->src_group, f->src_lane);
      gboolean dst_vis = !(hidden && f->dst_group < trace->groups->len && hidden[f->dst_group]);
      gboolean src_vis = !(hidden && f->src_group < trace->groups->len && hidden[f->src_group]);
      if (dl && dst_vis && f->dst_ns >= st->start_ns - 1 && f->dst_ns <= st->end_ns + 1)
        {
          const SimSpan *s = span_at_or_after (dl, f->dst_ns);
          if (s && span_in_step (s, st) && n_waited++ < 8)
            {
              g_autofree char *t = amlaviz_format_time (f->dst_ns);
              g_autofree char *line = g_markup_printf_escaped (
                  "  %s on %s waited for flag “%s”, set by %s at %s\n",
                  sim_trace_string (trace, s->name), lane_label (trace, f->dst_group, f->dst_lane, a, sizeof a),
                  sim_trace_string (trace, f->name), lane_label (trace, f->src_group, f->src_lane, b, sizeof b),
                  t);
              g_string_append (waited, line);
            }
        }
      if (sl && src_vis && f->src_ns >= st->start_ns - 1 && f->src_ns <= st->end_ns + 1)
        {
          const SimSpan *s = span_ending_at (sl, f->src_ns);
          if (s && span_in_step (s, st) && n_set++ < 8)
            {
              g_autofree char *line = g_markup_printf_escaped (
                  "  %s sets flag “%s” for %s\n", lane_label (trace, f->src_group, f->src_lane, a, sizeof a),
                  sim_trace_string (trace, f->name), lane_label (trace, f->dst_group, f->dst_lane, b, sizeof b));
              g_string_append (set, line);
            }
        }
    }
  g_string_append (out, "\n<b>Waited for</b>\n");
  g_string_append (out, n_waited ? waited->str : "  no flag (it could start as soon as its pipe was free)\n");
  if (n_waited > 8)
    g_string_append_printf (out, "  … and %u more\n", n_waited - 8);
  if (n_set)
    {
      g_string_append (out, "\n<b>Signals</b>\n");
      g_string_append (out, set->str);
      if (n_set > 8)
        g_string_append_printf (out, "  … and %u more\n", n_set - 8);
    }
  g_string_free (waited, TRUE);
  g_string_free (set, TRUE);
  if (out->len && out->str[out->len - 1] == '\n')
    g_string_truncate (out, out->len - 1);
  return g_string_free (out, FALSE);
}
