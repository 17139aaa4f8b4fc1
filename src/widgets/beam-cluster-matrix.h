/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "beam-cluster-model.h"

G_BEGIN_DECLS

/* Who sees whom in a cluster: an N × N matrix of the nodes in the cluster
 * (not those only EPMD lists), row i's cell j saying whether node i lists
 * node j in nodes(). Both ways is a filled cell, one
 * way a half cell in the warning colour, missing the error colour, unknown
 * (either node down or not answering) hatched. Names run down the left and,
 * rotated, along the top; from about 40 nodes the cells shrink (to 4 px at
 * 200) and the names are only in the tooltip. The tooltip says the pair in
 * words ("a@h sees b@h, b@h does not see a@h (since 12:03:14)"); the arrows
 * move a focus cell and Enter (or a double click) emits `activate-node`
 * with the row's node. The accessible description counts what the colours
 * show: "12 nodes, 2 links one-way, 1 missing". */

#define BEAM_TYPE_CLUSTER_MATRIX (beam_cluster_matrix_get_type ())

G_DECLARE_FINAL_TYPE (BeamClusterMatrix, beam_cluster_matrix, BEAM, CLUSTER_MATRIX, GtkWidget)

GtkWidget        *beam_cluster_matrix_new            (void);
/* Reads the names and links from the model at each "links-changed" (and
 * when nodes come or go); nothing is copied for a frame. */
void              beam_cluster_matrix_set_model      (BeamClusterMatrix *self,
                                                      BeamClusterModel  *model);
BeamClusterModel *beam_cluster_matrix_get_model      (BeamClusterMatrix *self);
/* The focus cell, row then column, counted among the nodes shown. */
void              beam_cluster_matrix_get_focus_cell (BeamClusterMatrix *self,
                                                      guint             *row,
                                                      guint             *column);
/* What the tooltip of cell (row, column) says; NULL outside the matrix. */
char             *beam_cluster_matrix_dup_cell_text  (BeamClusterMatrix *self,
                                                      guint              row,
                                                      guint              column);
/* Cells drawn by the last frame (n × n), for tests. */
guint             beam_cluster_matrix_get_n_cells    (BeamClusterMatrix *self);

G_END_DECLS
