/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "beam-node.h"

G_BEGIN_DECLS

/* The Nodes menu's popover: the node's cluster (visible and hidden nodes)
 * and the other nodes EPMD knows on its host, asked when it opens and every
 * few seconds while it is open. Choosing one emits "activate-node" with its
 * name; the window opens it. */

#define BEAM_TYPE_NODES_POPOVER (beam_nodes_popover_get_type ())

G_DECLARE_FINAL_TYPE (BeamNodesPopover, beam_nodes_popover, BEAM, NODES_POPOVER, GtkPopover)

BeamNode  *beam_nodes_popover_get_node (BeamNodesPopover *self);
void       beam_nodes_popover_set_node (BeamNodesPopover *self,
                                        BeamNode         *node);

G_END_DECLS
