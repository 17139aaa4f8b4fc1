/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "beam-connection.h"
#include "beam-load-history.h"

G_BEGIN_DECLS

/* The node a window inspects, as the pages see it: its connection, whether
 * mutating actions are allowed, a one-line status that the header shows, and
 * its load history, sampled from connect whichever page is shown. */

#define BEAM_TYPE_NODE (beam_node_get_type ())

G_DECLARE_FINAL_TYPE (BeamNode, beam_node, BEAM, NODE, GObject)

BeamNode            *beam_node_new             (BeamConnection *connection,
                                                gboolean        read_only);
BeamConnection      *beam_node_get_connection  (BeamNode       *self);
BeamLoadHistory     *beam_node_get_load_history (BeamNode      *self);
const char          *beam_node_get_name        (BeamNode       *self);
gboolean             beam_node_get_read_only   (BeamNode       *self);
BeamConnectionState  beam_node_get_state       (BeamNode       *self);
/* FALSE while connected but not answering (a request missed its deadline
 * and nothing came since); TRUE in every other state. */
gboolean             beam_node_get_answering   (BeamNode       *self);
/* TRUE while the data on screen may be stale: not answering, reconnecting
 * or lost. */
gboolean             beam_node_get_stale       (BeamNode       *self);
char                *beam_node_dup_status_text (BeamNode       *self);

G_END_DECLS
