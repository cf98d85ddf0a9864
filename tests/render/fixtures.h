/* tests/render/fixtures.h — small hand-made traces for the renderer and export tests. */
#pragma once

#include <cairo.h>
#include <math.h>
#include "src/render/timeline.h"

static inline SimSpan
fx_span (SimTrace *t, double start, double dur, SimStage stage, const char *name, int task,
         int iter)
{
  SimSpan s = { 0 };
  s.start_ns = start;
  s.dur_ns = dur;
  s.name = sim_trace_intern (t, name);
  s.stage = (guint8) stage;
  s.task = task;
  s.iter = iter;
  return s;
}

/* AIC0 {MTE2, CUBE}, AIV0 {VECTOR}; 0..10000 ns.
 * CUBE: C1 "mmad" [0,1000) task 0 iter 0, C2 "mmad" [2000,3000) task 0 iter 0.
 * MTE2: one 1 ns C1 "load" at 5000 (0.1 px at 10 ns/px).
 * VECTOR: V1 "exp" [1000,2000). */
static inline SimTrace *
fx_small_trace (void)
{
  SimTrace *t = sim_trace_new ();
  SimGroup *aic = sim_trace_add_group (t, "AIC0", 1, 0, SIM_CORE_AIC, 0);
  SimLane *mte2 = sim_group_add_lane (aic, "MTE2", 1, 0, SIM_PIPE_MTE2);
  SimLane *cube = sim_group_add_lane (aic, "CUBE", 3, 2, SIM_PIPE_CUBE);
  SimGroup *aiv = sim_trace_add_group (t, "AIV0", 2, 1, SIM_CORE_AIV, 0);
  SimLane *vec = sim_group_add_lane (aiv, "VECTOR", 5, 1, SIM_PIPE_VECTOR);
  SimSpan s = fx_span (t, 0, 1000, SIM_STAGE_C1, "mmad", 0, 0);
  sim_lane_append (cube, &s);
  s = fx_span (t, 2000, 1000, SIM_STAGE_C2, "mmad", 0, 0);
  sim_lane_append (cube, &s);
  s = fx_span (t, 5000, 1, SIM_STAGE_C1, "load", 0, 0);
  sim_lane_append (mte2, &s);
  s = fx_span (t, 1000, 1000, SIM_STAGE_V1, "exp", 0, 0);
  sim_lane_append (vec, &s);
  s = fx_span (t, 10000, 0, SIM_STAGE_NONE, "end", -1, -1);
  sim_lane_append (vec, &s);
  sim_trace_finish (t);
  return t;
}

/* A view of exactly 1000 plot pixels over 0..10000 ns (10 ns per px), no legend. */
static inline void
fx_view (TlView *v, const SimTrace *t)
{
  tl_view_init (v, t, 1150, 300);
  v->label_width_px = 150;
  v->show_legend = FALSE;
  tl_view_fit (v, t);
  v->map.t0_ns = 0;
  v->map.t1_ns = 10000;
}

static inline void
fx_pixel (cairo_surface_t *surf, int x, int y, double rgb[3])
{
  cairo_surface_flush (surf);
  unsigned char *data = cairo_image_surface_get_data (surf);
  int stride = cairo_image_surface_get_stride (surf);
  guint32 px = *(guint32 *) (data + y * stride + x * 4);
  rgb[0] = ((px >> 16) & 0xff) / 255.0;
  rgb[1] = ((px >> 8) & 0xff) / 255.0;
  rgb[2] = (px & 0xff) / 255.0;
}

static inline gboolean
fx_color_near (const double a[3], const double b[3], double tol)
{
  return fabs (a[0] - b[0]) <= tol && fabs (a[1] - b[1]) <= tol && fabs (a[2] - b[2]) <= tol;
}

#define fx_assert_color(got, want)                                                             \
  do                                                                                          \
    {                                                                                         \
      if (!fx_color_near ((got), (want), 2.5 / 255))                                          \
        g_error ("%s:%d: pixel (%.3f %.3f %.3f), want (%.3f %.3f %.3f)", __FILE__, __LINE__, \
                 (got)[0], (got)[1], (got)[2], (want)[0], (want)[1], (want)[2]);              \
    }                                                                                         \
  while (0)
