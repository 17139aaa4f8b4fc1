/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "beam-applications-page.h"
#include "beam-supervision-canvas.h"

G_BEGIN_DECLS

/* For tests: how many trees (or why not a tree) the page has shown, selecting an application by
 * name, the page's views, and what the kill dialog's Kill does. */
guint                  beam_applications_page_get_trees             (BeamApplicationsPage *self);
gboolean               beam_applications_page_select_application    (BeamApplicationsPage *self,
                                                                     const char           *name);
BeamSupervisionCanvas *beam_applications_page_get_canvas            (BeamApplicationsPage *self);
GtkSingleSelection    *beam_applications_page_get_outline_selection (BeamApplicationsPage *self);
GListModel            *beam_applications_page_get_applications      (BeamApplicationsPage *self);
void                   beam_applications_page_kill_selected         (BeamApplicationsPage *self);

/* The .ui's closures. */
char *beam_applications_page_format_count      (gpointer    unused,
                                                gint64      count);
char *beam_applications_page_format_bytes      (gpointer    unused,
                                                gint64      bytes);
char *beam_applications_page_format_reductions (gpointer    unused,
                                                gint64      reductions);
char *beam_applications_page_describe_state    (gpointer    unused,
                                                const char *state,
                                                gboolean    library,
                                                const char *start_type,
                                                const char *vsn);

G_END_DECLS
