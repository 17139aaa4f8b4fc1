/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "beam-processes-page.h"

G_BEGIN_DECLS

/* For tests and benchmarks. */
void              beam_processes_page_set_filter   (BeamProcessesPage *self,
                                                    const char        *text);
BeamProcessModel *beam_processes_page_get_model    (BeamProcessesPage *self);
GtkColumnView    *beam_processes_page_get_view     (BeamProcessesPage *self);
GtkSelectionModel *beam_processes_page_get_selection (BeamProcessesPage *self);
GtkPopover       *beam_processes_page_get_context_menu (BeamProcessesPage *self);
/* TRUE while "No process matches" stands in for the list. */
gboolean          beam_processes_page_get_empty_shown (BeamProcessesPage *self);
const char       *beam_processes_page_get_count_text (BeamProcessesPage *self);

G_END_DECLS
