/* src/render/timemap.h — the time <-> pixel mapping and the ruler's adaptive ticks.
 *
 * Pure arithmetic, no cairo and no GTK: the timeline renderer, the GTK view (zoom at the pointer,
 * pan) and export share it, and tests/render/test-timemap.c checks it without a display.
 * Times are nanoseconds, x is in device-independent pixels.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  double t0_ns, t1_ns;    /* visible time range */
  double x0_px, width_px; /* plot area (right of the lane labels) */
} TlTimeMap;

static inline double
tl_time_to_x (const TlTimeMap *m, double t_ns)
{
  return m->x0_px + (t_ns - m->t0_ns) * m->width_px / (m->t1_ns - m->t0_ns);
}

static inline double
tl_x_to_time (const TlTimeMap *m, double x_px)
{
  return m->t0_ns + (x_px - m->x0_px) * (m->t1_ns - m->t0_ns) / m->width_px;
}

/* Nanoseconds per pixel. */
double tl_time_map_ns_per_px (const TlTimeMap *m);
/* Zoom by factor (>1 zooms in) keeping the time under x_px fixed; the span never drops below
 * min_span_ns (1 ns is the finest anything in a trace can mean). */
void tl_time_map_zoom_at (TlTimeMap *m, double x_px, double factor, double min_span_ns);
/* Pan by dx_px pixels (positive moves the content right, i.e. shows earlier times). */
void tl_time_map_pan_px (TlTimeMap *m, double dx_px);

/* Units of the ruler, chosen from the tick step. */
typedef enum
{
  TL_UNIT_NS = 0,
  TL_UNIT_US,
  TL_UNIT_MS,
  TL_UNIT_S,
} TlUnit;

const char *tl_unit_name (TlUnit unit);  /* "ns", "µs", "ms", "s" */
double tl_unit_ns (TlUnit unit);         /* 1, 1e3, 1e6, 1e9 */
/* The unit a human would use for a duration of d_ns (e.g. 1500 -> µs). */
TlUnit tl_unit_for (double d_ns);

#define TL_MAX_TICKS 256

typedef struct
{
  double step_ns;       /* major step: 1, 2 or 5 × 10^k ns */
  double minor_step_ns; /* step / 5 (1, 5 steps) or step / 4 (2 steps) */
  TlUnit unit;          /* unit of the labels */
  int decimals;         /* digits after the point the labels need */
  int n;                /* number of major ticks in [t0, t1] */
  double t_ns[TL_MAX_TICKS];
} TlTicks;

/* Major ticks at multiples of a 1/2/5 step, at least min_spacing_px apart. */
void tl_ticks_compute (const TlTimeMap *m, double min_spacing_px, TlTicks *ticks);
/* "12.5 µs": a tick label in the ticks' unit and precision. */
void tl_ticks_format (const TlTicks *ticks, double t_ns, char *buf, gsize size);
/* A duration with a sensible unit and 3–4 significant digits: "1.25 ms", "830 ns". */
void tl_format_duration (double d_ns, char *buf, gsize size);

G_END_DECLS
