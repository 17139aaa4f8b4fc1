/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "beam-nodes-popover.h"

G_BEGIN_DECLS

/* For tests: how many answers it has shown since it was made, and the names
 * listed in a section ("visible", "hidden", "epmd"). */
guint  beam_nodes_popover_get_loads  (BeamNodesPopover *self);
GStrv  beam_nodes_popover_dup_names  (BeamNodesPopover *self,
                                      const char       *section);

G_END_DECLS
