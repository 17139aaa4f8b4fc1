/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* What the benchmarks measure with and sum up by. */

/* CPU time the calling thread has used, in ms. */
double beam_bench_thread_cpu_ms  (void);
/* A GCompareFunc for an array of doubles, smallest first. */
int    beam_bench_compare_doubles (gconstpointer a,
                                   gconstpointer b);
/* The value `fraction` of the way through `values` (doubles) once sorted
 * (0.5 the median, 0.95 the p95); `values` is left as it was. 0 if empty. */
double beam_bench_percentile     (GArray       *values,
                                  double        fraction);

G_END_DECLS
