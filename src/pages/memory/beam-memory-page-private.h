/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "beam-chart.h"
#include "beam-memory-page.h"

G_BEGIN_DECLS

/* For tests: how many answers the page has shown, what one of its sections
 * says ("memory", "allocators", "binary", "ets", "heaps"), and what the
 * confirmation dialog's Collect does. */
guint  beam_memory_page_get_loads         (BeamMemoryPage *self);
char  *beam_memory_page_dup_text          (BeamMemoryPage *self,
                                           const char     *section);
void   beam_memory_page_collect_binaries  (BeamMemoryPage *self);
/* The allocator history: carriers' size, or their utilisation; NULL before
 * the first answer. */
BeamChart *beam_memory_page_get_allocator_chart (BeamMemoryPage *self,
                                                 gboolean        utilization);

G_END_DECLS
