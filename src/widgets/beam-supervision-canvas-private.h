/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "beam-supervision-canvas.h"

G_BEGIN_DECLS

/* What the tests and the benchmark read of the layout. Rectangles are in
 * canvas units (the tree at zoom 1, before panning). */

typedef enum
{
  _BEAM_CANVAS_BOX_MASTER,
  _BEAM_CANVAS_BOX_NODE,
  _BEAM_CANVAS_BOX_SUMMARY,  /* "N children" of a collapsed supervisor */
  _BEAM_CANVAS_BOX_MORE,     /* the children of a counted supervisor that were not fetched */
} BeamCanvasBoxKind;

guint    _beam_supervision_canvas_get_n_boxes       (BeamSupervisionCanvas *self);
/* Box `box` (0 .. n_boxes - 1): its kind, the node it stands for (for a
 * summary or more box, the supervisor; for the master, NO_NODE) and where. */
void     _beam_supervision_canvas_get_box           (BeamSupervisionCanvas *self,
                                                     guint                  box,
                                                     BeamCanvasBoxKind     *kind,
                                                     guint                 *node_index,
                                                     graphene_rect_t       *rect);
/* Where a node's box is; FALSE if it is not shown. */
gboolean _beam_supervision_canvas_get_node_rect     (BeamSupervisionCanvas *self,
                                                     guint                  node_index,
                                                     graphene_rect_t       *rect);
/* The part of the canvas the widget shows. */
void     _beam_supervision_canvas_get_visible_rect  (BeamSupervisionCanvas *self,
                                                     graphene_rect_t       *rect);
/* The whole tree's extent. */
void     _beam_supervision_canvas_get_bounds        (BeamSupervisionCanvas *self,
                                                     graphene_rect_t       *rect);
/* Moves the view: canvas point (x, y) at the widget's top left, at `zoom`. */
void     _beam_supervision_canvas_set_view          (BeamSupervisionCanvas *self,
                                                     double                 x,
                                                     double                 y,
                                                     double                 zoom);
/* Boxes drawn by the last snapshot (after culling), and whether with text. */
guint    _beam_supervision_canvas_get_n_drawn       (BeamSupervisionCanvas *self,
                                                     gboolean              *with_text);

G_END_DECLS
