/* bench/bench-util.h — what the benchmarks share: sorted samples, their median and percentiles,
 * and the processor time used so far.  Header-only (static inline), so each bench stays one file
 * to build. */
#pragma once

#include <stdlib.h>
#include <sys/resource.h>

static inline int
bench_cmp_double (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

/* Sorts v; then the median (mean of the middle two for an even n). */
static inline double
bench_median (double *v, int n)
{
  qsort (v, (size_t) n, sizeof *v, bench_cmp_double);
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

/* Sorts v; then the sample at fraction p (0..1) of the way up. */
static inline double
bench_percentile (double *v, int n, double p)
{
  qsort (v, (size_t) n, sizeof *v, bench_cmp_double);
  int i = (int) (p * n);
  return v[i < n ? i : n - 1];
}

/* Processor time this process has used (user + system, every thread), in ms. */
static inline double
bench_cpu_ms (void)
{
  struct rusage u;
  getrusage (RUSAGE_SELF, &u);
  return (double) (u.ru_utime.tv_sec + u.ru_stime.tv_sec) * 1e3
         + (double) (u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e3;
}
