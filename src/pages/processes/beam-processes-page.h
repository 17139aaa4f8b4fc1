/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "beam-node.h"
#include "beam-process-model.h"

G_BEGIN_DECLS

#define BEAM_TYPE_PROCESSES_PAGE (beam_processes_page_get_type ())

G_DECLARE_FINAL_TYPE (BeamProcessesPage, beam_processes_page, BEAM, PROCESSES_PAGE, AdwBin)

void              beam_processes_page_set_node     (BeamProcessesPage *self,
                                                    BeamNode          *node);
void              beam_processes_page_refresh      (BeamProcessesPage *self);
void              beam_processes_page_set_filter   (BeamProcessesPage *self,
                                                    const char        *text);
/* Sorts by a column of the page ("memory", "reductions"…), as a click on
 * its header would. */
void              beam_processes_page_sort_by      (BeamProcessesPage *self,
                                                    const char        *column_id,
                                                    gboolean           descending);
/* For tests. */
BeamProcessModel *beam_processes_page_get_model    (BeamProcessesPage *self);
GtkColumnView    *beam_processes_page_get_view     (BeamProcessesPage *self);
guint             beam_processes_page_get_refreshes (BeamProcessesPage *self);

G_END_DECLS
