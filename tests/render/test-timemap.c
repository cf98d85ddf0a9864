/* tests/render/test-timemap.c — time <-> pixel mapping and ruler ticks, no display. */
#include <math.h>
#include <string.h>
#include "src/render/timemap.h"

static void
test_roundtrip (void)
{
  TlTimeMap m = { 1000, 11000, 150, 1000 };
  g_assert_cmpfloat_with_epsilon (tl_time_to_x (&m, 1000), 150, 1e-9);
  g_assert_cmpfloat_with_epsilon (tl_time_to_x (&m, 11000), 1150, 1e-9);
  g_assert_cmpfloat_with_epsilon (tl_time_to_x (&m, 6000), 650, 1e-9);
  g_assert_cmpfloat_with_epsilon (tl_x_to_time (&m, 650), 6000, 1e-9);
  g_assert_cmpfloat_with_epsilon (tl_time_map_ns_per_px (&m), 10, 1e-12);
}

static void
test_zoom_pan (void)
{
  TlTimeMap m = { 0, 10000, 0, 1000 };
  double t_under = tl_x_to_time (&m, 250);
  tl_time_map_zoom_at (&m, 250, 4, 1);
  g_assert_cmpfloat_with_epsilon (m.t1_ns - m.t0_ns, 2500, 1e-9);
  g_assert_cmpfloat_with_epsilon (tl_x_to_time (&m, 250), t_under, 1e-9);
  tl_time_map_zoom_at (&m, 500, 1e9, 1); /* clamps at 1 ns */
  g_assert_cmpfloat_with_epsilon (m.t1_ns - m.t0_ns, 1, 1e-9);
  TlTimeMap p = { 0, 1000, 0, 100 };
  tl_time_map_pan_px (&p, 10); /* content moves right: earlier times */
  g_assert_cmpfloat_with_epsilon (p.t0_ns, -100, 1e-9);
  g_assert_cmpfloat_with_epsilon (p.t1_ns, 900, 1e-9);
}

static void
check_ticks (double t0, double t1, double width, double spacing, double want_step,
             const char *want_first_label, const char *want_second_label)
{
  TlTimeMap m = { t0, t1, 0, width };
  TlTicks k;
  tl_ticks_compute (&m, spacing, &k);
  g_assert_cmpfloat_with_epsilon (k.step_ns, want_step, want_step * 1e-9);
  g_assert_cmpint (k.n, >=, 2);
  /* spacing honoured, ticks on multiples of the step, inside the range */
  g_assert_cmpfloat (k.step_ns * width / (t1 - t0), >=, spacing - 1e-9);
  for (int i = 0; i < k.n; i++)
    {
      g_assert_cmpfloat (k.t_ns[i], >=, t0 - 1e-6);
      g_assert_cmpfloat (k.t_ns[i], <=, t1 + 1e-6);
      double q = k.t_ns[i] / k.step_ns;
      g_assert_cmpfloat (fabs (q - round (q)), <, 1e-6);
    }
  char buf[64];
  tl_ticks_format (&k, k.t_ns[0], buf, sizeof buf);
  g_assert_cmpstr (buf, ==, want_first_label);
  tl_ticks_format (&k, k.t_ns[1], buf, sizeof buf);
  g_assert_cmpstr (buf, ==, want_second_label);
}

static void
test_ticks (void)
{
  check_ticks (0, 10000, 1000, 80, 1000, "0 µs", "1 µs");
  check_ticks (0, 5000, 1000, 80, 500, "0.0 µs", "0.5 µs");
  check_ticks (0, 800, 1000, 80, 100, "0 ns", "100 ns");
  check_ticks (0, 12000, 1000, 200, 5000, "0 µs", "5 µs");
  check_ticks (0, 1e6, 1000, 100, 1e5, "0.0 ms", "0.1 ms");
  check_ticks (0, 9e5, 1000, 100, 1e5, "0 µs", "100 µs");
  check_ticks (0, 50, 1000, 80, 5, "0 ns", "5 ns");
  check_ticks (1234, 1284, 1000, 80, 5, "1235 ns", "1240 ns");
  check_ticks (0, 3e6, 1000, 100, 5e5, "0.0 ms", "0.5 ms");
  check_ticks (0, 3e7, 1000, 100, 5e6, "0 ms", "5 ms");
  check_ticks (2500, 27500, 1000, 60, 2000, "4 µs", "6 µs");
  check_ticks (0, 2.4e4, 1200, 100, 2000, "0 µs", "2 µs");
  /* 1/2/5 steps: 375 ns asked -> 500 ns */
  check_ticks (0, 25000, 1000, 15, 500, "0.0 µs", "0.5 µs");
  TlTimeMap m = { 0, 10000, 0, 1000 };
  TlTicks k;
  tl_ticks_compute (&m, 0.001, &k); /* never more ticks than the array holds */
  g_assert_cmpint (k.n, <=, TL_MAX_TICKS);
  TlTimeMap bad = { 5, 5, 0, 1000 };
  tl_ticks_compute (&bad, 80, &k);
  g_assert_cmpint (k.n, ==, 0);
}

static void
test_units (void)
{
  char buf[32];
  g_assert_cmpint (tl_unit_for (999), ==, TL_UNIT_NS);
  g_assert_cmpint (tl_unit_for (1000), ==, TL_UNIT_US);
  g_assert_cmpint (tl_unit_for (2.5e6), ==, TL_UNIT_MS);
  tl_format_duration (1500, buf, sizeof buf);
  g_assert_cmpstr (buf, ==, "1.50 µs");
  tl_format_duration (830, buf, sizeof buf);
  g_assert_cmpstr (buf, ==, "830 ns");
  tl_format_duration (1.25e6, buf, sizeof buf);
  g_assert_cmpstr (buf, ==, "1.25 ms");
  tl_format_duration (123456, buf, sizeof buf);
  g_assert_cmpstr (buf, ==, "123 µs");
  TlTicks k = { .step_ns = 2500, .unit = TL_UNIT_US, .decimals = 1 };
  tl_ticks_format (&k, 7500, buf, sizeof buf);
  g_assert_cmpstr (buf, ==, "7.5 µs");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/timemap/roundtrip", test_roundtrip);
  g_test_add_func ("/timemap/zoom-pan", test_zoom_pan);
  g_test_add_func ("/timemap/ticks", test_ticks);
  g_test_add_func ("/timemap/units", test_units);
  return g_test_run ();
}
