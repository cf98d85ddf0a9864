/* src/render/timemap.c — time <-> pixel mapping and adaptive ruler ticks (see timemap.h). */
#include "src/render/timemap.h"

#include <math.h>
#include <stdio.h>

double
tl_time_map_ns_per_px (const TlTimeMap *m)
{
  return (m->t1_ns - m->t0_ns) / m->width_px;
}

void
tl_time_map_zoom_at (TlTimeMap *m, double x_px, double factor, double min_span_ns)
{
  if (!(factor > 0) || !(m->width_px > 0))
    return;
  double t = tl_x_to_time (m, x_px);
  double span = (m->t1_ns - m->t0_ns) / factor;
  if (span < min_span_ns)
    span = min_span_ns;
  double frac = (x_px - m->x0_px) / m->width_px;
  m->t0_ns = t - frac * span;
  m->t1_ns = m->t0_ns + span;
}

void
tl_time_map_pan_px (TlTimeMap *m, double dx_px)
{
  double dt = dx_px * tl_time_map_ns_per_px (m);
  m->t0_ns -= dt;
  m->t1_ns -= dt;
}

const char *
tl_unit_name (TlUnit unit)
{
  static const char *const names[] = { "ns", "µs", "ms", "s" };
  return names[CLAMP ((int) unit, 0, 3)];
}

double
tl_unit_ns (TlUnit unit)
{
  static const double ns[] = { 1, 1e3, 1e6, 1e9 };
  return ns[CLAMP ((int) unit, 0, 3)];
}

TlUnit
tl_unit_for (double d_ns)
{
  d_ns = fabs (d_ns);
  if (d_ns < 1e3)
    return TL_UNIT_NS;
  if (d_ns < 1e6)
    return TL_UNIT_US;
  if (d_ns < 1e9)
    return TL_UNIT_MS;
  return TL_UNIT_S;
}

void
tl_ticks_compute (const TlTimeMap *m, double min_spacing_px, TlTicks *ticks)
{
  ticks->n = 0;
  double span = m->t1_ns - m->t0_ns;
  if (!(span > 0) || !(m->width_px > 0) || !isfinite (span))
    {
      ticks->step_ns = ticks->minor_step_ns = 1;
      ticks->unit = TL_UNIT_NS;
      ticks->decimals = 0;
      return;
    }
  if (min_spacing_px < 1)
    min_spacing_px = 1;
  /* never more ticks than fit in the array */
  double min_step = MAX (span * min_spacing_px / m->width_px, span / (TL_MAX_TICKS - 2));
  /* below 1 ns a trace means nothing; allow 0.1 ns steps only for extreme zoom */
  double p = pow (10, floor (log10 (min_step)));
  double step = p;
  int mant = 1;
  if (step < min_step)
    step = 2 * p, mant = 2;
  if (step < min_step)
    step = 5 * p, mant = 5;
  if (step < min_step)
    step = 10 * p, mant = 1;
  ticks->step_ns = step;
  ticks->minor_step_ns = mant == 2 ? step / 4 : step / 5;
  /* the unit follows the visible span (0.5 µs steps in a 7 µs window read "0.5 µs", not
   * "500 ns"); the decimals follow the step */
  ticks->unit = tl_unit_for (MAX (span, step));
  double step_in_unit = step / tl_unit_ns (ticks->unit);
  int dec = (int) -floor (log10 (step_in_unit) + 1e-9);
  ticks->decimals = CLAMP (dec, 0, 9);
  double first = ceil (m->t0_ns / step - 1e-9) * step;
  for (int i = 0; ticks->n < TL_MAX_TICKS; i++)
    {
      double t = first + i * step;
      if (t > m->t1_ns + step * 1e-9)
        break;
      ticks->t_ns[ticks->n++] = t;
    }
}

void
tl_ticks_format (const TlTicks *ticks, double t_ns, char *buf, gsize size)
{
  double v = t_ns / tl_unit_ns (ticks->unit);
  if (fabs (v) < 1e-12 * tl_unit_ns (ticks->unit))
    v = 0; /* no "-0" */
  snprintf (buf, size, "%.*f %s", ticks->decimals, v, tl_unit_name (ticks->unit));
}

void
tl_format_duration (double d_ns, char *buf, gsize size)
{
  TlUnit u = tl_unit_for (d_ns);
  double v = d_ns / tl_unit_ns (u);
  double a = fabs (v);
  int dec = a >= 100 ? 0 : a >= 10 ? 1 : 2;
  if (u == TL_UNIT_NS && a >= 10)
    dec = 0;
  snprintf (buf, size, "%.*f %s", dec, v, tl_unit_name (u));
}
