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

/* Something that looks like a short AMLA run: n_aic AIC groups (+2 AIV each), preload-style
 * C1/V1/C2/V2 pattern, an L1 occupancy counter per AIC, GM bandwidth chip-wide, flows,
 * otherData with config and metrics. */
static inline SimTrace *
fx_amla_like_trace (int n_aic, int n_tasks)
{
  SimTrace *t = sim_trace_new ();
  const SimPipe aic_pipes[] = { SIM_PIPE_MTE2, SIM_PIPE_MTE1, SIM_PIPE_CUBE, SIM_PIPE_FIXPIPE,
                                SIM_PIPE_SCALAR };
  const SimPipe aiv_pipes[] = { SIM_PIPE_MTE2, SIM_PIPE_VECTOR, SIM_PIPE_MTE3, SIM_PIPE_SCALAR };
  SimCounter *bw = sim_trace_add_counter (t, "GM bandwidth", "GB/s", -1);
  for (int c = 0; c < n_aic; c++)
    {
      char name[16];
      g_snprintf (name, sizeof name, "AIC%d", c);
      SimGroup *aic = sim_trace_add_group (t, name, 100 + c * 3, c * 3, SIM_CORE_AIC, c);
      SimLane *al[5];
      for (int p = 0; p < 5; p++)
        al[p] = sim_group_add_lane (aic, sim_pipe_name (aic_pipes[p]), p, p, aic_pipes[p]);
      SimLane *vl[2][4];
      for (int v = 0; v < 2; v++)
        {
          g_snprintf (name, sizeof name, "AIV%d", 2 * c + v);
          SimGroup *aiv = sim_trace_add_group (t, name, 101 + c * 3 + v, c * 3 + 1 + v,
                                               SIM_CORE_AIV, 2 * c + v);
          for (int p = 0; p < 4; p++)
            vl[v][p] = sim_group_add_lane (aiv, sim_pipe_name (aiv_pipes[p]), p, p, aiv_pipes[p]);
        }
      SimCounter *l1 = sim_trace_add_counter (t, "L1 occupancy", "bytes", (int) (c * 3));
      double tc = 300.0 * c;
      for (int k = 0; k < n_tasks; k++)
        {
          double c1 = tc;
          SimSpan s = fx_span (t, c1, 400, SIM_STAGE_C1, "load_k", k, 0);
          sim_lane_append (al[0], &s);
          for (int j = 0; j < 6; j++)
            {
              s = fx_span (t, c1 + 60 + j * 60, 30, SIM_STAGE_C1, "l1_to_l0", k, 0);
              sim_lane_append (al[1], &s);
              s = fx_span (t, c1 + 95 + j * 60, 55, SIM_STAGE_C1, "mmad", k, 0);
              sim_lane_append (al[2], &s);
            }
          s = fx_span (t, c1 + 460, 80, SIM_STAGE_C1, "fixpipe_st", k, 0);
          sim_lane_append (al[3], &s);
          s = fx_span (t, c1 + 560, 40, SIM_STAGE_C2, "load_p", k, 0);
          sim_lane_append (al[0], &s);
          s = fx_span (t, c1 + 610, 300, SIM_STAGE_C2, "mmad_pv", k, 0);
          sim_lane_append (al[2], &s);
          s = fx_span (t, c1 + 915, 90, SIM_STAGE_C2, "fixpipe_atomic", k, 0);
          sim_lane_append (al[3], &s);
          s = fx_span (t, c1 + 5, 3, SIM_STAGE_SYNC, "wait_flag", k, 0);
          sim_lane_append (al[4], &s);
          for (int v = 0; v < 2; v++)
            {
              s = fx_span (t, c1 + 545, 60, SIM_STAGE_V1, "load_s", k, 0);
              sim_lane_append (vl[v][0], &s);
              s = fx_span (t, c1 + 610, 180, SIM_STAGE_V1, "softmax", k, 0);
              sim_lane_append (vl[v][1], &s);
              s = fx_span (t, c1 + 795, 40, SIM_STAGE_V1, "store_p", k, 0);
              sim_lane_append (vl[v][2], &s);
              s = fx_span (t, c1 + 1010, 60, SIM_STAGE_V2, "normalise", k, 0);
              sim_lane_append (vl[v][1], &s);
              s = fx_span (t, c1 + 1075, 30, SIM_STAGE_V2, "store_o", k, 0);
              sim_lane_append (vl[v][2], &s);
            }
          SimFlow fl = { 0 };
          fl.src_group = (guint32) (c * 3);
          fl.src_lane = 3;
          fl.src_ns = c1 + 540;
          fl.dst_group = (guint32) (c * 3 + 1);
          fl.dst_lane = 0;
          fl.dst_ns = c1 + 545;
          sim_trace_add_flow (t, &fl);
          sim_counter_append (l1, c1, 72 * 1024);
          sim_counter_append (l1, c1 + 400, 144 * 1024);
          sim_counter_append (l1, c1 + 900, 72 * 1024);
          tc += 1110;
        }
      sim_counter_append (l1, tc, 0);
    }
  for (double x = 0; x < 1110.0 * n_tasks + 300 * n_aic; x += 100)
    sim_counter_append (bw, x, 800 + 400 * sin (x / 700));
  t->other_data_json = g_strdup (
      "{\"generator\":\"amlaviz\",\"config\":{\"batch\":96,\"kv_len\":4096,\"sq\":2,\"heads\":128,"
      "\"preload\":true,\"tiling\":true,\"rescale\":\"amla\",\"hw\":\"ascend910c\"},"
      "\"metrics\":{\"total_ns\":12345.6,\"tflops\":531.2,\"cube_utilization\":0.751,"
      "\"cube_vector_overlap\":0.42,\"bound\":\"cube\",\"reason\":\"Cube busy 75% of the "
      "time; Vector waits on C1\"}}");
  t->source = g_strdup ("simulation");
  sim_trace_finish (t);
  return t;
}
