/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <time.h>

#include "beam-bench.h"

double
beam_bench_thread_cpu_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

int
beam_bench_compare_doubles (gconstpointer a,
                            gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

double
beam_bench_percentile (GArray *values,
                       double  fraction)
{
  g_autoptr(GArray) sorted = NULL;

  if (values->len == 0)
    return 0;
  sorted = g_array_copy (values);
  g_array_sort (sorted, beam_bench_compare_doubles);
  return g_array_index (sorted, double, MIN (sorted->len - 1, (guint) (fraction * sorted->len)));
}
