/* tests/render/test-search.c — the search matcher (src/render/search.c) on a hand-made trace,
 * then the renderer's dimming of non-matches, then counting and stepping on a big trace. */
#include "tests/render/fixtures.h"

static guint64
count (const SimTrace *t, const char *q)
{
  g_autoptr (TlSearch) s = tl_search_new (t, q);
  return s ? tl_search_count (s, NULL) : 0;
}

static void
test_words (void)
{
  g_autoptr (SimTrace) t = fx_small_trace ();
  g_assert_null (tl_search_new (t, "   "));
  g_assert_cmpuint (count (t, "mmad"), ==, 2);    /* name */
  g_assert_cmpuint (count (t, "MMA"), ==, 2);     /* substring, any case */
  g_assert_cmpuint (count (t, "c1"), ==, 2);      /* stage: the C1 mmad and the C1 load */
  g_assert_cmpuint (count (t, "c1 mmad"), ==, 1); /* every word must match */
  g_assert_cmpuint (count (t, "CUBE"), ==, 2);    /* pipe */
  g_assert_cmpuint (count (t, "aiv0"), ==, 2);    /* core: exp and end */
  g_assert_cmpuint (count (t, "t0"), ==, 4);      /* task 0 */
  g_assert_cmpuint (count (t, "task=0 k0 V1"), ==, 1);
  g_assert_cmpuint (count (t, "kv=0"), ==, 4);
  g_assert_cmpuint (count (t, "nothing"), ==, 0);
  g_autoptr (TlSearch) s = tl_search_new (t, "aic0 cube");
  g_assert_true (tl_search_lane_all (s, 0, 1));
  g_assert_false (tl_search_lane_any (s, 0, 0));
  /* hidden groups are not counted */
  guint8 hidden[2] = { 1, 0 };
  g_autoptr (TlSearch) c1 = tl_search_new (t, "t0");
  g_assert_cmpuint (tl_search_count (c1, hidden), ==, 1);
}

static void
test_step (void)
{
  g_autoptr (SimTrace) t = fx_small_trace ();
  g_autoptr (TlSearch) s = tl_search_new (t, "t0");
  /* in time order: C1 mmad 0 (AIC0 CUBE), exp 1000 (AIV0), C2 mmad 2000, load 5000 (AIC0 MTE2) */
  TlSearchHit none = { -1, -1, 0 }, h;
  g_assert_true (tl_search_step (s, NULL, &none, 0, TRUE, &h));
  g_assert_cmpint (h.group, ==, 0);
  g_assert_cmpint (h.lane, ==, 1);
  g_assert_cmpuint (h.span, ==, 0);
  g_assert_cmpuint (tl_search_rank (s, NULL, &h), ==, 1);
  double want[] = { 1000, 2000, 5000, 0 };
  for (int i = 0; i < 4; i++)
    {
      TlSearchHit from = h;
      g_assert_true (tl_search_step (s, NULL, &from, 0, TRUE, &h));
      const SimSpan *sp = &sim_trace_lane (t, h.group, h.lane)->spans[h.span];
      g_assert_cmpfloat (sp->start_ns, ==, want[i]); /* wraps to the first after the last */
    }
  /* backward from the first wraps to the last */
  TlSearchHit from = h;
  g_assert_true (tl_search_step (s, NULL, &from, 0, FALSE, &h));
  g_assert_cmpfloat (sim_trace_lane (t, h.group, h.lane)->spans[h.span].start_ns, ==, 5000);
  g_assert_cmpuint (tl_search_rank (s, NULL, &h), ==, 4);
  /* from a time, with no current match: the first match starting at or after it */
  g_assert_true (tl_search_step (s, NULL, &none, 1500, TRUE, &h));
  g_assert_cmpfloat (sim_trace_lane (t, h.group, h.lane)->spans[h.span].start_ns, ==, 2000);
  g_autoptr (TlSearch) z = tl_search_new (t, "zzz");
  g_assert_false (tl_search_step (z, NULL, &none, 0, TRUE, &h));
}

/* Matches keep their colour; everything else is dimmed towards the background. */
static void
test_render_dims (void)
{
  g_autoptr (SimTrace) t = fx_small_trace ();
  g_autoptr (TlSearch) s = tl_search_new (t, "exp");
  TlView v;
  fx_view (&v, t);
  v.search = s;
  cairo_surface_t *surf = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 1150, 300);
  cairo_t *cr = cairo_create (surf);
  tl_render_draw (cr, &v, t);
  cairo_destroy (cr);
  double c1[3], v1[3], got[3];
  tl_stage_color (SIM_STAGE_C1, TL_THEME_LIGHT, c1);
  tl_stage_color (SIM_STAGE_V1, TL_THEME_LIGHT, v1);
  int y_cube = (int) tl_render_lane_y (&v, t, 0, 1) + 9;
  int y_vec = (int) tl_render_lane_y (&v, t, 1, 0) + 9;
  fx_pixel (surf, 150 + 50, y_cube, got); /* C1 mmad: not a match, dimmed */
  g_assert_false (fx_color_near (got, c1, 0.05));
  g_assert_cmpfloat (got[0] + got[1] + got[2], >, c1[0] + c1[1] + c1[2] + 0.5);
  fx_pixel (surf, 150 + 150, y_vec, got); /* exp: the match, full colour */
  fx_assert_color (got, v1);
  cairo_surface_destroy (surf);
}

/* 350 k spans: counting and stepping stay cheap (no wall-time assert; the bench prints times). */
static void
test_big (void)
{
  SimTrace *t = sim_trace_new ();
  for (int g = 0; g < 144; g++)
    {
      g_autofree char *name = g_strdup_printf ("AIC%d", g);
      SimGroup *grp = sim_trace_add_group (t, name, g + 1, g, SIM_CORE_AIC, g);
      SimLane *l = sim_group_add_lane (grp, "CUBE", 1, 0, SIM_PIPE_CUBE);
      for (int i = 0; i < 2430; i++)
        {
          SimSpan s
              = fx_span (t, i * 10.0, 8, i % 2 ? SIM_STAGE_C2 : SIM_STAGE_C1, "mmad", i / 8, i % 8);
          sim_lane_append (l, &s);
        }
    }
  sim_trace_finish (t);
  g_autoptr (TlSearch) s = tl_search_new (t, "C2 k3");
  g_assert_cmpuint (tl_search_count (s, NULL), ==, 144 * (2430 / 8 + (2430 % 8 > 3)));
  TlSearchHit none = { -1, -1, 0 }, h;
  g_assert_true (tl_search_step (s, NULL, &none, 0, TRUE, &h));
  g_assert_cmpint (h.group, ==, 0);
  g_assert_cmpuint (h.span, ==, 3);
  TlSearchHit from = h;
  g_assert_true (tl_search_step (s, NULL, &from, 0, TRUE, &h));
  g_assert_cmpint (h.group, ==, 1); /* same time on the next core comes next */
  g_assert_cmpuint (h.span, ==, 3);
  sim_trace_free (t);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/search/words", test_words);
  g_test_add_func ("/search/step", test_step);
  g_test_add_func ("/search/render-dims", test_render_dims);
  g_test_add_func ("/search/big", test_big);
  return g_test_run ();
}
