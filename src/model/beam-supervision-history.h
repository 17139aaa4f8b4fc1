/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "beam-supervision-tree.h"

G_BEGIN_DECLS

/* What changed in one application's supervision tree from one refresh to the
 * next: a child whose pid is new under the same child id (its path of ids
 * from the top supervisor, whole ids, not the shortened ones shown) was
 * restarted, and each supervisor counts the
 * restarts of its children seen since the history began. Dynamic children
 * (simple_one_for_one, DynamicSupervisor) have no id to be known by, and are
 * not followed. */

typedef struct _BeamSupervisionHistory BeamSupervisionHistory;

BeamSupervisionHistory *beam_supervision_history_new       (void);
void                    beam_supervision_history_free      (BeamSupervisionHistory    *self);
/* Takes in the tree of a refresh. Another application than the last one's
 * starts the history again. */
void                    beam_supervision_history_update    (BeamSupervisionHistory    *self,
                                                            const BeamSupervisionTree *tree);
/* For the tree last given, parallel to its nodes: 1 where the node was
 * restarted since the tree before. */
const guint8           *beam_supervision_history_get_restarted (BeamSupervisionHistory *self);
/* For the tree last given, parallel to its nodes: the restarts seen under
 * each supervisor since the history began (0 for workers). */
const guint            *beam_supervision_history_get_restart_counts
                                                           (BeamSupervisionHistory    *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BeamSupervisionHistory, beam_supervision_history_free)

G_END_DECLS
