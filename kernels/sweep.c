/* kernels/sweep.c — the sweep grid (axes, deterministic order, shards) and the threaded runner.
 * CSV reading and writing live in sweep-csv.c. */
#include "kernels/sweep.h"
#include "kernels/amla-config-fields.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Grids beyond this are a typo, not a plan (and points fit a guint). */
#define SWEEP_MAX_POINTS 10000000u
#define SWEEP_MAX_AXIS_VALUES 4096u

GQuark
sweep_error_quark (void)
{
  return g_quark_from_static_string ("sweep-error");
}

/* Each axis is a field of the configuration table (amla-config-fields.c): its name, label,
 * range and value type come from there. */
static const AmlaConfigField *
axis_field (SweepAxis axis)
{
  return amla_config_field_for_axis ((int) axis);
}

const char *
sweep_axis_name (SweepAxis axis)
{
  return axis < SWEEP_N_AXES ? axis_field (axis)->csv_column : "?";
}

const char *
sweep_axis_label (SweepAxis axis)
{
  return axis < SWEEP_N_AXES ? axis_field (axis)->label : "?";
}

gboolean
sweep_axis_parse (const char *name, SweepAxis *out)
{
  if (name == NULL)
    return FALSE;
  /* the CSV column, the member ("kv_len") or a configure word ("B", "S_kv") */
  for (int a = 0; a < SWEEP_N_AXES; a++)
    {
      const AmlaConfigField *f = axis_field ((SweepAxis) a);
      const char *names[] = { f->csv_column, f->name, f->word, f->word_alias };
      for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
        if (names[i] != NULL && g_ascii_strcasecmp (name, names[i]) == 0)
          {
            *out = (SweepAxis) a;
            return TRUE;
          }
    }
  return FALSE;
}

gboolean
sweep_axis_is_numeric (SweepAxis axis)
{
  return axis < SWEEP_N_AXES && axis_field (axis)->type == AMLA_FIELD_INT;
}

struct SweepGrid
{
  AmlaConfig base;
  GArray *values[SWEEP_N_AXES]; /* int, sorted by axis_key; unused for hw */
  GPtrArray *hw;                /* char*, sorted, NULL-terminated view kept in hw_names */
  gboolean explicit_values[SWEEP_N_AXES];
};

/* Sort key of a value: numbers ascending; toggles with the technique on first (preload on,
 * tiling on, AMLA rescale), so the first series of a plot is the full kernel. */
static int
axis_key (SweepAxis axis, int v)
{
  if (axis_field (axis)->type == AMLA_FIELD_BOOL)
    return v ? 0 : 1;
  return v; /* rescale: AMLA = 0, MUL = 1 */
}

static int
config_value (const AmlaConfig *cfg, SweepAxis axis)
{
  return amla_config_field_get_int (axis_field (axis), cfg);
}

static void
config_set_value (AmlaConfig *cfg, SweepAxis axis, int v)
{
  amla_config_field_set_int (axis_field (axis), cfg, v);
}

/* Insert keeping the axis sorted by key and free of duplicates. */
static void
axis_insert (SweepGrid *g, SweepAxis axis, int v)
{
  GArray *a = g->values[axis];
  guint i = 0;
  while (i < a->len && axis_key (axis, g_array_index (a, int, i)) < axis_key (axis, v))
    i++;
  if (i < a->len && g_array_index (a, int, i) == v)
    return;
  g_array_insert_val (a, i, v);
}

static void
hw_insert (SweepGrid *g, const char *name)
{
  guint i = 0;
  while (i < g->hw->len - 1 && strcmp (g_ptr_array_index (g->hw, i), name) < 0)
    i++;
  if (i < g->hw->len - 1 && strcmp (g_ptr_array_index (g->hw, i), name) == 0)
    return;
  g_ptr_array_insert (g->hw, (gint) i, g_strdup (name));
}

static void
grid_reset_axis (SweepGrid *g, SweepAxis axis)
{
  if (axis == SWEEP_AXIS_HW)
    {
      g_ptr_array_set_size (g->hw, 0);
      g_ptr_array_add (g->hw, NULL);
    }
  else
    g_array_set_size (g->values[axis], 0);
}

SweepGrid *
sweep_grid_new (const AmlaConfig *base)
{
  SweepGrid *g = g_new0 (SweepGrid, 1);
  if (base != NULL)
    g->base = *base;
  else
    amla_config_init (&g->base);
  for (int a = 0; a < SWEEP_N_AXES; a++)
    if (a != SWEEP_AXIS_HW)
      {
        g->values[a] = g_array_new (FALSE, FALSE, sizeof (int));
        axis_insert (g, (SweepAxis) a, config_value (&g->base, (SweepAxis) a));
      }
  g->hw = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (g->hw, NULL);
  hw_insert (g, g->base.hw);
  return g;
}

void
sweep_grid_free (SweepGrid *g)
{
  if (g == NULL)
    return;
  for (int a = 0; a < SWEEP_N_AXES; a++)
    if (g->values[a] != NULL)
      g_array_unref (g->values[a]);
  g_ptr_array_unref (g->hw);
  g_free (g);
}

SweepGrid *
sweep_grid_copy (const SweepGrid *src)
{
  SweepGrid *g = sweep_grid_new (&src->base);
  for (int a = 0; a < SWEEP_N_AXES; a++)
    {
      g->explicit_values[a] = src->explicit_values[a];
      if (a == SWEEP_AXIS_HW)
        continue;
      g_array_set_size (g->values[a], 0);
      g_array_append_vals (g->values[a], src->values[a]->data, src->values[a]->len);
    }
  grid_reset_axis (g, SWEEP_AXIS_HW);
  for (guint i = 0; i + 1 < src->hw->len; i++)
    hw_insert (g, g_ptr_array_index (src->hw, i));
  return g;
}

static gboolean
parse_long (const char *s, long *out)
{
  char *end = NULL;
  errno = 0;
  long v = strtol (s, &end, 10);
  if (*s == '\0' || end == s || *end != '\0' || errno != 0)
    return FALSE;
  *out = v;
  return TRUE;
}

static gboolean
bad_int (SweepAxis axis, const char *item, GError **error)
{
  const AmlaConfigField *f = axis_field (axis);
  if (f->zero_is_auto)
    g_set_error (error, SWEEP_ERROR, SWEEP_ERROR_INVALID,
                 "--%s must be auto or an integer in [%d, %d], got '%s'", f->option, f->min, f->max,
                 item);
  else
    g_set_error (error, SWEEP_ERROR, SWEEP_ERROR_INVALID,
                 "--%s must be an integer in [%d, %d] or a range A..B, A..B+STEP, A..B*FACTOR, "
                 "got '%s'",
                 f->option, f->min, f->max, item);
  return FALSE;
}

static gboolean
in_range (SweepAxis axis, long v)
{
  return v >= axis_field (axis)->min && v <= axis_field (axis)->max;
}

/* "A..B", "A..B+S", "A..B*F" */
static gboolean
add_range (SweepGrid *g, SweepAxis axis, const char *item, GError **error)
{
  g_autofree char *copy = g_strdup (item);
  char *dots = strstr (copy, "..");
  *dots = '\0';
  char *hi_text = dots + 2;
  char op = '+';
  long step = 1;
  char *op_pos = strpbrk (hi_text, "+*");
  if (op_pos != NULL)
    {
      op = *op_pos;
      *op_pos = '\0';
      if (!parse_long (op_pos + 1, &step) || step < (op == '*' ? 2 : 1) || step > (1 << 20))
        {
          g_set_error (error, SWEEP_ERROR, SWEEP_ERROR_INVALID,
                       "--%s range '%s': the %s must be an integer %s, got '%s'",
                       sweep_axis_name (axis), item, op == '*' ? "factor" : "step",
                       op == '*' ? ">= 2" : ">= 1", op_pos + 1);
          return FALSE;
        }
    }
  long lo, hi;
  if (!parse_long (copy, &lo) || !parse_long (hi_text, &hi) || !in_range (axis, lo)
      || !in_range (axis, hi) || hi < lo)
    return bad_int (axis, item, error);
  guint n = 0;
  for (long v = lo; v <= hi; v = op == '*' ? v * step : v + step)
    {
      if (++n > SWEEP_MAX_AXIS_VALUES)
        {
          g_set_error (error, SWEEP_ERROR, SWEEP_ERROR_INVALID,
                       "--%s range '%s' has more than %u values", sweep_axis_name (axis), item,
                       SWEEP_MAX_AXIS_VALUES);
          return FALSE;
        }
      axis_insert (g, axis, (int) v);
    }
  return TRUE;
}

static gboolean
add_item (SweepGrid *g, SweepAxis axis, const char *item, GError **error)
{
  const AmlaConfigField *f = axis_field (axis);
  switch (f->type)
    {
    case AMLA_FIELD_STRING:
      hw_insert (g, item);
      return TRUE;
    case AMLA_FIELD_BOOL:
      {
        gboolean v;
        if (!amla_parse_onoff (item, &v))
          {
            g_set_error (error, SWEEP_ERROR, SWEEP_ERROR_INVALID,
                         "--%s must be on or off (or on,off), got '%s'", f->option, item);
            return FALSE;
          }
        axis_insert (g, axis, v ? 1 : 0);
        return TRUE;
      }
    case AMLA_FIELD_RESCALE:
      {
        AmlaRescale r;
        if (!amla_rescale_parse (item, &r))
          {
            g_set_error (error, SWEEP_ERROR, SWEEP_ERROR_INVALID,
                         "--%s must be amla or mul (or amla,mul), got '%s'", f->option, item);
            return FALSE;
          }
        axis_insert (g, axis, (int) r);
        return TRUE;
      }
    default:
      break;
    }
  if (f->zero_is_auto && g_ascii_strcasecmp (item, "auto") == 0)
    {
      axis_insert (g, axis, 0);
      return TRUE;
    }
  if (strstr (item, "..") != NULL)
    return add_range (g, axis, item, error);
  long v;
  if (!parse_long (item, &v) || !in_range (axis, v))
    return bad_int (axis, item, error);
  axis_insert (g, axis, (int) v);
  return TRUE;
}

gboolean
sweep_grid_add_values (SweepGrid *g, SweepAxis axis, const char *list, GError **error)
{
  g_return_val_if_fail (axis < SWEEP_N_AXES, FALSE);
  g_auto (GStrv) items = g_strsplit (list != NULL ? list : "", ",", -1);
  g_autoptr (SweepGrid) trial = sweep_grid_copy (g);
  if (!trial->explicit_values[axis])
    grid_reset_axis (trial, axis);
  gboolean any = FALSE;
  for (int i = 0; items[i] != NULL; i++)
    {
      char *item = g_strstrip (items[i]);
      if (*item == '\0')
        continue;
      if (!add_item (trial, axis, item, error))
        return FALSE;
      any = TRUE;
    }
  if (!any)
    {
      g_set_error (error, SWEEP_ERROR, SWEEP_ERROR_INVALID, "--%s needs at least one value",
                   sweep_axis_name (axis));
      return FALSE;
    }
  /* commit only when the whole list parsed */
  for (int a = 0; a < SWEEP_N_AXES; a++)
    {
      if (a == SWEEP_AXIS_HW)
        continue;
      g_array_set_size (g->values[a], 0);
      g_array_append_vals (g->values[a], trial->values[a]->data, trial->values[a]->len);
    }
  GPtrArray *tmp = g->hw;
  g->hw = trial->hw;
  trial->hw = tmp;
  g->explicit_values[axis] = TRUE;
  return TRUE;
}

void
sweep_grid_all_toggles (SweepGrid *g)
{
  for (int a = 0; a < SWEEP_N_AXES; a++)
    {
      AmlaFieldType type = axis_field ((SweepAxis) a)->type;
      if (type != AMLA_FIELD_BOOL && type != AMLA_FIELD_RESCALE)
        continue;
      axis_insert (g, (SweepAxis) a, 0);
      axis_insert (g, (SweepAxis) a, 1);
      g->explicit_values[a] = TRUE;
    }
}

guint
sweep_grid_axis_len (const SweepGrid *g, SweepAxis axis)
{
  if (axis == SWEEP_AXIS_HW)
    return g->hw->len - 1;
  return g->values[axis]->len;
}

guint64
sweep_grid_size (const SweepGrid *g)
{
  guint64 n = 1;
  for (int a = 0; a < SWEEP_N_AXES; a++)
    {
      n *= sweep_grid_axis_len (g, (SweepAxis) a);
      if (n > G_MAXUINT32)
        return G_MAXUINT32; /* rejected by validate */
    }
  return n;
}

void
sweep_grid_config (const SweepGrid *g, guint64 index, AmlaConfig *cfg)
{
  *cfg = g->base;
  for (int a = SWEEP_N_AXES - 1; a >= 0; a--)
    {
      guint len = sweep_grid_axis_len (g, (SweepAxis) a);
      guint i = (guint) (index % len);
      index /= len;
      if (a == SWEEP_AXIS_HW)
        {
          g_strlcpy (cfg->hw, g_ptr_array_index (g->hw, i), sizeof cfg->hw);
          /* a trace's recorded hardware is the base's name only; another name is a preset */
          if (strcmp (cfg->hw, g->base.hw) != 0)
            cfg->hw_recorded = NULL;
        }
      else
        config_set_value (cfg, (SweepAxis) a, g_array_index (g->values[a], int, i));
    }
}

gboolean
sweep_grid_index_of (const SweepGrid *g, const AmlaConfig *cfg, guint64 *index)
{
  guint64 idx = 0;
  for (int a = 0; a < SWEEP_N_AXES; a++)
    {
      guint len = sweep_grid_axis_len (g, (SweepAxis) a);
      guint i = 0;
      if (a == SWEEP_AXIS_HW)
        {
          while (i < len && strcmp (g_ptr_array_index (g->hw, i), cfg->hw) != 0)
            i++;
        }
      else
        {
          int v = config_value (cfg, (SweepAxis) a);
          while (i < len && g_array_index (g->values[a], int, i) != v)
            i++;
        }
      if (i == len)
        return FALSE;
      idx = idx * len + i;
    }
  *index = idx;
  return TRUE;
}

gboolean
sweep_grid_validate (const SweepGrid *g, GError **error)
{
  guint64 n = sweep_grid_size (g);
  if (n > SWEEP_MAX_POINTS)
    {
      g_set_error (error, SWEEP_ERROR, SWEEP_ERROR_INVALID,
                   "the grid has more than %u configurations; split it or use fewer values",
                   SWEEP_MAX_POINTS);
      return FALSE;
    }
  for (guint64 i = 0; i < n; i++)
    {
      AmlaConfig cfg;
      sweep_grid_config (g, i, &cfg);
      g_autoptr (GError) err = NULL;
      if (!amla_config_validate (&cfg, &err))
        {
          g_autofree char *desc = amla_config_describe (&cfg);
          g_set_error (error, SWEEP_ERROR, SWEEP_ERROR_INVALID, "%s (at %s)", err->message, desc);
          return FALSE;
        }
    }
  return TRUE;
}

const char *const *
sweep_grid_hw_names (const SweepGrid *g)
{
  return (const char *const *) g->hw->pdata;
}

guint64
sweep_shard_size (guint64 grid_size, guint k, guint n)
{
  if (n <= 1)
    return grid_size;
  return grid_size / n + (k < grid_size % n ? 1 : 0);
}

gboolean
sweep_shard_parse (const char *text, guint *k, guint *n, GError **error)
{
  long kv = 0, nv = 0;
  g_auto (GStrv) parts = g_strsplit (text != NULL ? text : "", "/", -1);
  if (g_strv_length (parts) != 2 || !parse_long (parts[0], &kv) || !parse_long (parts[1], &nv)
      || nv < 1 || nv > 1000000 || kv < 1 || kv > nv)
    {
      g_set_error (error, SWEEP_ERROR, SWEEP_ERROR_INVALID,
                   "--shard must be K/N with 1 <= K <= N <= 1000000 (e.g. 3/8), got '%s'",
                   text != NULL ? text : "");
      return FALSE;
    }
  *k = (guint) (kv - 1);
  *n = (guint) nv;
  return TRUE;
}

static void
result_clear (gpointer p)
{
  SweepResult *r = p;
  g_clear_pointer (&r->error, g_free);
}

GArray *
sweep_results_new (void)
{
  GArray *a = g_array_new (FALSE, TRUE, sizeof (SweepResult));
  g_array_set_clear_func (a, result_clear);
  return a;
}

double
sweep_result_intensity (const SweepResult *r)
{
  return r->metrics.hbm_bytes > 0 ? r->metrics.flops / (double) r->metrics.hbm_bytes : 0.0;
}

/* ---- the runner ---- */

static gboolean
simulate_amla (const AmlaConfig *cfg, const SimHw *hw, gint *cancel, SimMetrics *metrics,
               gpointer user_data, GError **error)
{
  SimRunOptions opt;
  sim_run_options_init (&opt);
  opt.record_trace = FALSE;
  opt.record_flows = FALSE;
  opt.record_counters = FALSE;
  opt.record_scalar = FALSE;
  opt.cancel = cancel;
  opt.threads = 1; /* the sweep already runs one configuration per processor */
  g_autoptr (AmlaRun) run = amla_run (cfg, hw, &opt, error);
  if (run == NULL)
    return FALSE;
  *metrics = run->result->metrics;
  metrics->core_busy = NULL; /* owned by run; sweeps keep only the means */
  return TRUE;
}

void
sweep_run_options_init (SweepRunOptions *opt)
{
  memset (opt, 0, sizeof *opt);
  opt->ordered = TRUE;
}

typedef struct
{
  const SweepGrid *grid;
  const SweepRunOptions *opt;
  GPtrArray *hws; /* SimHw*, parallel to the grid's hw axis */
  GAsyncQueue *done;
  guint64 points;
} RunContext;

typedef struct
{
  SweepResult result;
  gboolean skipped; /* cancelled before it ran */
} Job;

static void
run_one (gpointer data, gpointer user_data)
{
  RunContext *ctx = user_data;
  Job *job = g_new0 (Job, 1);
  SweepResult *r = &job->result;
  r->point = GPOINTER_TO_UINT (data) - 1;
  r->points = ctx->points;
  r->shard_index = ctx->opt->shard_count > 1 ? ctx->opt->shard_index : 0;
  r->shard_count = MAX (ctx->opt->shard_count, 1);
  if (ctx->opt->fingerprint != NULL)
    g_strlcpy (r->fingerprint, ctx->opt->fingerprint, sizeof r->fingerprint);
  sweep_grid_config (ctx->grid, r->point, &r->config);
  /* the --set changes were checked on the presets before any point ran */
  for (const char *const *a = ctx->opt->hw_set; a != NULL && *a != NULL; a++)
    amla_config_add_what_if (&r->config, *a, NULL);
  if (ctx->opt->cancel != NULL && g_atomic_int_get (ctx->opt->cancel))
    {
      job->skipped = TRUE;
      g_async_queue_push (ctx->done, job);
      return;
    }
  const SimHw *hw = NULL;
  for (guint i = 0; i < ctx->hws->len; i++)
    if (strcmp (sweep_grid_hw_names (ctx->grid)[i], r->config.hw) == 0)
      hw = g_ptr_array_index (ctx->hws, i);
  r->hbm_peak_bytes_per_s = hw->dies * hw->hbm_bytes_per_s;
  SweepSimulateFunc sim = ctx->opt->simulate != NULL ? ctx->opt->simulate : simulate_amla;
  GError *err = NULL;
  if (!sim (&r->config, hw, ctx->opt->cancel, &r->metrics, ctx->opt->simulate_data, &err))
    {
      if (g_error_matches (err, SIM_ENGINE_ERROR, SIM_ENGINE_ERROR_CANCELLED))
        job->skipped = TRUE;
      memset (&r->metrics, 0, sizeof r->metrics);
      r->error = g_strdup (err != NULL ? err->message : "simulation failed");
      g_clear_error (&err);
    }
  g_async_queue_push (ctx->done, job);
}

typedef struct
{
  SweepResult result;
  guint64 done, total;
  SweepResultFunc func;
  gpointer user_data;
} Delivery;

static gboolean
deliver_in_context (gpointer data)
{
  Delivery *d = data;
  d->func (&d->result, d->done, d->total, d->user_data);
  return G_SOURCE_REMOVE;
}

static void
delivery_free (gpointer data)
{
  Delivery *d = data;
  g_free (d->result.error);
  g_free (d);
}

static void
deliver (const SweepRunOptions *opt, const SweepResult *r, guint64 done, guint64 total)
{
  if (opt->context == NULL)
    {
      opt->on_result (r, done, total, opt->user_data);
      return;
    }
  Delivery *d = g_new0 (Delivery, 1);
  d->result = *r;
  d->result.error = g_strdup (r->error);
  d->done = done;
  d->total = total;
  d->func = opt->on_result;
  d->user_data = opt->user_data;
  g_main_context_invoke_full (opt->context, G_PRIORITY_DEFAULT, deliver_in_context, d,
                              delivery_free);
}

static int
result_cmp (gconstpointer a, gconstpointer b)
{
  const SweepResult *x = a, *y = b;
  return x->point < y->point ? -1 : x->point > y->point;
}

GArray *
sweep_run (const SweepGrid *grid, const SweepRunOptions *opt_in, GError **error)
{
  SweepRunOptions defaults;
  sweep_run_options_init (&defaults);
  const SweepRunOptions *opt = opt_in != NULL ? opt_in : &defaults;
  if (!sweep_grid_validate (grid, error))
    return NULL;
  guint shard_count = opt->shard_count > 1 ? opt->shard_count : 1;
  guint shard_index = opt->shard_count > 1 ? opt->shard_index : 0;
  if (shard_index >= shard_count)
    {
      g_set_error (error, SWEEP_ERROR, SWEEP_ERROR_INVALID, "shard %u of %u does not exist",
                   shard_index + 1, shard_count);
      return NULL;
    }

  /* every row records the --set changes (CSV what_if): they must fit a configuration */
  AmlaConfig scratch;
  amla_config_init (&scratch);
  for (const char *const *a = opt->hw_set; a != NULL && *a != NULL; a++)
    if (!amla_config_add_what_if (&scratch, *a, error))
      {
        g_prefix_error (error, "--set: ");
        return NULL;
      }

  /* Presets are loaded once and shared read-only by all workers. */
  g_autoptr (GPtrArray) hws = g_ptr_array_new_with_free_func ((GDestroyNotify) sim_hw_free);
  for (const char *const *name = sweep_grid_hw_names (grid); *name != NULL; name++)
    {
      GError *err = NULL;
      /* the base's name is its hardware: a trace's as recorded (a sweep from the window) */
      SimHw *hw = grid->base.hw_recorded != NULL && strcmp (*name, grid->base.hw) == 0
                      ? amla_config_load_base_hw (&grid->base, &err)
                      : sim_hw_load (*name, &err);
      if (hw == NULL)
        {
          g_propagate_prefixed_error (error, err, "--hw %s: ", *name);
          return NULL;
        }
      g_ptr_array_add (hws, hw);
      for (const char *const *a = opt->hw_set; a != NULL && *a != NULL; a++)
        if (!sim_hw_set (hw, *a, &err))
          {
            g_propagate_prefixed_error (error, err, "--set: ");
            return NULL;
          }
    }

  guint64 points = sweep_grid_size (grid);
  guint64 total = sweep_shard_size (points, shard_index, shard_count);
  RunContext ctx = { grid, opt, hws, g_async_queue_new (), points };
  int threads = opt->threads > 0 ? opt->threads : (int) g_get_num_processors ();
  threads = (int) MIN ((guint64) threads, MAX (total, 1));
  GError *err = NULL;
  GThreadPool *pool = g_thread_pool_new (run_one, &ctx, threads, TRUE, &err);
  if (pool == NULL)
    {
      g_async_queue_unref (ctx.done);
      g_propagate_error (error, err);
      return NULL;
    }
  for (guint64 i = shard_index; i < points; i += shard_count)
    g_thread_pool_push (pool, GUINT_TO_POINTER ((guint) i + 1), NULL);

  GArray *results = sweep_results_new ();
  /* ordered delivery: finished results wait here until every earlier point of the shard is out */
  g_autoptr (GHashTable) pending = g_hash_table_new (g_direct_hash, g_direct_equal);
  guint64 next_point = shard_index, delivered = 0;
  gboolean cancelled = FALSE;
  for (guint64 received = 0; received < total; received++)
    {
      Job *job = g_async_queue_pop (ctx.done);
      if (job->skipped || (opt->cancel != NULL && g_atomic_int_get (opt->cancel)))
        cancelled = TRUE;
      g_array_append_val (results, job->result);
      g_free (job);
      if (cancelled || opt->on_result == NULL)
        continue;
      SweepResult *last = &g_array_index (results, SweepResult, results->len - 1);
      if (!opt->ordered)
        {
          deliver (opt, last, ++delivered, total);
          continue;
        }
      g_hash_table_insert (pending, GUINT_TO_POINTER ((guint) last->point + 1),
                           GUINT_TO_POINTER (results->len));
      gpointer pos;
      while ((pos = g_hash_table_lookup (pending, GUINT_TO_POINTER ((guint) next_point + 1))))
        {
          g_hash_table_remove (pending, GUINT_TO_POINTER ((guint) next_point + 1));
          deliver (opt, &g_array_index (results, SweepResult, GPOINTER_TO_UINT (pos) - 1),
                   ++delivered, total);
          next_point += shard_count;
        }
    }
  g_thread_pool_free (pool, FALSE, TRUE);
  g_async_queue_unref (ctx.done);
  if (cancelled || (opt->cancel != NULL && g_atomic_int_get (opt->cancel)))
    {
      g_array_unref (results);
      g_set_error (error, SWEEP_ERROR, SWEEP_ERROR_CANCELLED, "sweep cancelled");
      return NULL;
    }
  g_array_sort (results, result_cmp);
  return results;
}

char **
sweep_grid_to_args (const SweepGrid *g)
{
  GPtrArray *args = g_ptr_array_new ();
  for (int a = 0; a < SWEEP_N_AXES; a++)
    {
      GString *list = g_string_new (NULL);
      if (a == SWEEP_AXIS_HW)
        for (guint i = 0; i + 1 < g->hw->len; i++)
          g_string_append_printf (list, "%s%s", i ? "," : "", (char *) g_ptr_array_index (g->hw, i));
      else
        for (guint i = 0; i < g->values[a]->len; i++)
          {
            AmlaConfig cfg;
            amla_config_init (&cfg);
            config_set_value (&cfg, (SweepAxis) a, g_array_index (g->values[a], int, i));
            g_autofree char *text = amla_config_field_format (axis_field ((SweepAxis) a), &cfg);
            g_string_append_printf (list, "%s%s", i ? "," : "", text);
          }
      g_ptr_array_add (args, g_strconcat ("--", axis_field ((SweepAxis) a)->option, NULL));
      g_ptr_array_add (args, g_string_free (list, FALSE));
    }
  g_ptr_array_add (args, NULL);
  return (char **) g_ptr_array_free (args, FALSE);
}

SweepGrid *
sweep_grid_from_results (const GArray *results)
{
  AmlaConfig base;
  amla_config_init (&base);
  if (results->len > 0)
    base = g_array_index (results, SweepResult, 0).config;
  SweepGrid *g = sweep_grid_new (&base);
  for (int a = 0; a < SWEEP_N_AXES; a++)
    grid_reset_axis (g, (SweepAxis) a);
  for (guint i = 0; i < results->len; i++)
    {
      const AmlaConfig *cfg = &g_array_index (results, SweepResult, i).config;
      hw_insert (g, cfg->hw);
      for (int a = 0; a < SWEEP_N_AXES; a++)
        if (a != SWEEP_AXIS_HW)
          axis_insert (g, (SweepAxis) a, config_value (cfg, (SweepAxis) a));
    }
  if (results->len == 0)
    {
      g_autoptr (SweepGrid) fresh = sweep_grid_new (&base);
      sweep_grid_free (g);
      return g_steal_pointer (&fresh);
    }
  return g;
}
