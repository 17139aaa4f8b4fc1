/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "beam-supervision-tree.h"

G_BEGIN_DECLS

/* Supervision trees built by hand, for the widget's tests and benchmark:
 * they own their memory as the probe's trees do (strings in the tree's
 * chunk), and are freed with beam_test_tree_free, not with the probe's
 * beam_supervision_tree_free. */

typedef struct _BeamTestTreeBuilder BeamTestTreeBuilder;

BeamTestTreeBuilder *beam_test_tree_builder_new  (const char          *application,
                                                  const char          *master_pid);
/* A node under `parent` (BEAM_SUPERVISION_NO_PARENT for the top supervisor),
 * running, with the pid "<0.N.0>" from its index; returns its index. */
guint                beam_test_tree_add          (BeamTestTreeBuilder *builder,
                                                  guint                parent,
                                                  BeamSupervisionType  kind,
                                                  const char          *name,
                                                  const char          *id);
/* The node, to set more of it before the tree is finished. Valid until the
 * next add. */
BeamSupervisionNode *beam_test_tree_node         (BeamTestTreeBuilder *builder,
                                                  guint                index);
/* A string held by the tree. */
const char          *beam_test_tree_intern       (BeamTestTreeBuilder *builder,
                                                  const char          *text);
void                 beam_test_tree_add_link     (BeamTestTreeBuilder *builder,
                                                  guint                first,
                                                  guint                second);
/* Fills each node's depth, a supervisor's child_nodes, and its
 * children_count where none was set. */
BeamSupervisionTree *beam_test_tree_builder_end  (BeamTestTreeBuilder *builder);
void                 beam_test_tree_free         (BeamSupervisionTree *tree);

G_END_DECLS
