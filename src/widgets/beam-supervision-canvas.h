/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "beam-supervision-tree.h"

G_BEGIN_DECLS

/* One application's supervision tree drawn left to right, as OTP's observer
 * draws it: the application master, the top supervisor, its children, and so
 * on, one column per depth. Big supervisors are drawn collapsed to one
 * "N children" box until expanded. The view pans (drag, scroll) and zooms
 * (Ctrl+scroll, pinch, and the actions canvas.zoom-in, canvas.zoom-out,
 * canvas.zoom-fit); arrows move the selection along the tree. Signals:
 * activate-node (Enter, double click), context-menu (right click, Menu) and
 * fetch-more (a click on the "N more" box of a counted supervisor). */

#define BEAM_TYPE_SUPERVISION_CANVAS (beam_supervision_canvas_get_type ())

G_DECLARE_FINAL_TYPE (BeamSupervisionCanvas, beam_supervision_canvas, BEAM, SUPERVISION_CANVAS,
                      GtkWidget)

#define BEAM_SUPERVISION_CANVAS_NO_NODE G_MAXUINT

GtkWidget *beam_supervision_canvas_new           (void);

/* Takes `tree` (NULL: none), freed with `free_tree` when replaced or when the
 * canvas goes. A refresh of the same application keeps the view, what was
 * expanded and the selection, matched by pid or registered name. */
void       beam_supervision_canvas_set_tree      (BeamSupervisionCanvas *self,
                                                  BeamSupervisionTree   *tree,
                                                  GDestroyNotify         free_tree);
const BeamSupervisionTree *
           beam_supervision_canvas_get_tree      (BeamSupervisionCanvas *self);

/* A node index of the tree, or BEAM_SUPERVISION_CANVAS_NO_NODE. Selecting a
 * node hidden in a collapsed supervisor expands it. */
guint      beam_supervision_canvas_get_selected  (BeamSupervisionCanvas *self);
void       beam_supervision_canvas_set_selected  (BeamSupervisionCanvas *self,
                                                  guint                  node_index);

void       beam_supervision_canvas_set_expanded  (BeamSupervisionCanvas *self,
                                                  guint                  node_index,
                                                  gboolean               expanded);
gboolean   beam_supervision_canvas_get_expanded  (BeamSupervisionCanvas *self,
                                                  guint                  node_index);

/* Highlights every node whose name, pid or module contains `text` (ignoring
 * case; NULL or "" clears), selects and centres the first, and returns how
 * many there are (the n-matches property). */
guint      beam_supervision_canvas_set_search    (BeamSupervisionCanvas *self,
                                                  const char            *text);
guint      beam_supervision_canvas_get_n_matches (BeamSupervisionCanvas *self);
/* Selects and centres the next match, after the last the first. */
void       beam_supervision_canvas_next_match    (BeamSupervisionCanvas *self);

/* Per node of the current tree (its n_nodes entries, copied; NULL for none):
 * `restarted` is non-zero for a process restarted since the last refresh,
 * `restart_counts` the restarts seen under a supervisor. A new tree clears them. */
void       beam_supervision_canvas_set_marks     (BeamSupervisionCanvas *self,
                                                  const guint8          *restarted,
                                                  const guint           *restart_counts);

double     beam_supervision_canvas_get_zoom      (BeamSupervisionCanvas *self);

G_END_DECLS
