/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "beam-supervision-tree.h"

G_BEGIN_DECLS

/* One node of a supervision tree as a row of the Applications page's
 * outline: a copy of what the row shows, and the node's index in the tree
 * it came from, which finds its children there. */

#define BEAM_TYPE_SUPERVISION_ITEM (beam_supervision_item_get_type ())

G_DECLARE_FINAL_TYPE (BeamSupervisionItem, beam_supervision_item, BEAM, SUPERVISION_ITEM, GObject)

/* `restarted`: marked as restarted since the last refresh. */
BeamSupervisionItem *beam_supervision_item_new          (const BeamSupervisionTree *tree,
                                                         guint                      index,
                                                         gboolean                   restarted);
/* Node `index` of a tree of the same shape, refreshed: its figures, marks
 * and state again. Notifies when something changed. */
void                 beam_supervision_item_update       (BeamSupervisionItem       *self,
                                                         const BeamSupervisionTree *tree,
                                                         gboolean                   restarted);
/* A row standing for the children of a counted supervisor not fetched; its
 * index is the supervisor's. */
BeamSupervisionItem *beam_supervision_item_new_more     (guint                      supervisor,
                                                         guint64                    not_shown);
guint                beam_supervision_item_get_index    (BeamSupervisionItem       *self);
const char          *beam_supervision_item_get_pid      (BeamSupervisionItem       *self);
gboolean             beam_supervision_item_get_is_more  (BeamSupervisionItem       *self);

/* The children of `index` in `tree`, as items: a GListStore, or NULL for a
 * node without children (the outline's GtkTreeListModel asks this).
 * `restarted` is per node, or NULL. */
GListModel          *beam_supervision_item_list_children (const BeamSupervisionTree *tree,
                                                          guint                      index,
                                                          const guint8              *restarted);

G_END_DECLS
