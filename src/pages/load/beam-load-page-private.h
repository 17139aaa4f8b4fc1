/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "beam-chart.h"
#include "beam-load-page.h"

G_BEGIN_DECLS

/* For tests: samples charted so far, and the busiest normal scheduler's
 * usage in the last one. */
guint  beam_load_page_get_samples   (BeamLoadPage *self);
double beam_load_page_get_busiest   (BeamLoadPage *self);
/* A chart by name ("usage", "queues", "memory", "io", "reductions", "gc"),
 * and a toggle of its legend by the name of its group ("Normal
 * schedulers") or series ("Scheduler 1"); NULL if there is none. */
BeamChart       *beam_load_page_get_chart         (BeamLoadPage *self,
                                                   const char   *name);
GtkToggleButton *beam_load_page_get_legend_toggle (BeamLoadPage *self,
                                                   const char   *chart,
                                                   const char   *name);

G_END_DECLS
