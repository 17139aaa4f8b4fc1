/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "beam-diagnostics.h"
#include "beam-diagnostics-page.h"

G_BEGIN_DECLS

/* For tests: how many runs of the checks the page has shown, a check's
 * status and everything its row says (title, summary, figures, culprits,
 * cost), the verdict at the top, the button to the view that investigates
 * a check, and the binary leak search: its button (hidden with --read-only),
 * what the confirmation's "Find Leaks" does, how many answers it showed and
 * what they say. */
guint            beam_diagnostics_page_get_runs             (BeamDiagnosticsPage *self);
BeamCheckStatus  beam_diagnostics_page_get_status           (BeamDiagnosticsPage *self,
                                                             BeamCheck            check);
char            *beam_diagnostics_page_dup_text             (BeamDiagnosticsPage *self,
                                                             BeamCheck            check);
char            *beam_diagnostics_page_dup_verdict          (BeamDiagnosticsPage *self);
AdwExpanderRow  *beam_diagnostics_page_get_row              (BeamDiagnosticsPage *self,
                                                             BeamCheck            check);
GtkWidget       *beam_diagnostics_page_get_investigate_button (BeamDiagnosticsPage *self,
                                                               BeamCheck            check);
GtkWidget       *beam_diagnostics_page_get_leak_button      (BeamDiagnosticsPage *self);
void             beam_diagnostics_page_find_binary_leaks    (BeamDiagnosticsPage *self);
guint            beam_diagnostics_page_get_leak_runs        (BeamDiagnosticsPage *self);
char            *beam_diagnostics_page_dup_leak_text        (BeamDiagnosticsPage *self);

G_END_DECLS
