/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "beam-cluster-matrix.h"
#include "beam-cluster-model.h"
#include "beam-cluster-page.h"

G_BEGIN_DECLS

/* For tests and the benchmark. */
BeamClusterModel  *_beam_cluster_page_get_model       (BeamClusterPage   *self);
/* Shows `model` (a fed one, _beam_cluster_model_new_fed) in place of a
 * node's, never starting it; NULL goes back to none. */
void               _beam_cluster_page_set_model       (BeamClusterPage   *self,
                                                       BeamClusterModel  *model);
/* "sampled" emissions handled since the page was made. */
guint              _beam_cluster_page_get_updates     (BeamClusterPage   *self);
/* Microseconds spent handling them (re-sorting, refiltering, the summary);
 * the cells' own updates come with each row's notify, not counted here. */
gint64             _beam_cluster_page_get_sampled_us  (BeamClusterPage   *self);
/* Cell label/style updates and cell binds so far, over every page. */
guint              _beam_cluster_page_get_cell_updates (void);
guint              _beam_cluster_page_get_cell_binds  (void);
GtkColumnView     *_beam_cluster_page_get_view        (BeamClusterPage   *self);
GtkColumnView     *_beam_cluster_page_get_others_view (BeamClusterPage   *self);
BeamClusterMatrix *_beam_cluster_page_get_matrix      (BeamClusterPage   *self);
GtkListBox        *_beam_cluster_page_get_anomalies   (BeamClusterPage   *self);
GtkListBox        *_beam_cluster_page_get_hidden      (BeamClusterPage   *self);
const char        *_beam_cluster_page_get_summary     (BeamClusterPage   *self);
/* Sorts the nodes by a column as a click on its header does (numbers
 * biggest first); FALSE if there is no such column. */
gboolean           _beam_cluster_page_sort_by         (BeamClusterPage   *self,
                                                       BeamClusterColumn  column);
/* Shows "nodes" or "connectivity". */
void               _beam_cluster_page_show_view       (BeamClusterPage   *self,
                                                       const char        *name);
/* The node shown in row `position` of the nodes list (sorted), or NULL. */
BeamClusterNode   *_beam_cluster_page_get_row         (BeamClusterPage   *self,
                                                       guint              position);
/* The cell widget showing `column` of the node `name` in the nodes list, if
 * it is on screen (its style classes and tooltip are what a user sees). */
GtkWidget         *_beam_cluster_page_get_cell        (BeamClusterPage   *self,
                                                       const char        *name,
                                                       BeamClusterColumn  column);

G_END_DECLS
