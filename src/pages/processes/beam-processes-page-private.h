/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "beam-processes-page.h"

G_BEGIN_DECLS

/* For tests and benchmarks. */
void              beam_processes_page_set_filter   (BeamProcessesPage *self,
                                                    const char        *text);
BeamProcessModel *beam_processes_page_get_model    (BeamProcessesPage *self);
GtkColumnView    *beam_processes_page_get_view     (BeamProcessesPage *self);

G_END_DECLS
