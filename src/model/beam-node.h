/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "beam-cluster-model.h"
#include "beam-connection.h"
#include "beam-load-history.h"
#include "beam-term-printer.h"

G_BEGIN_DECLS

/* The node a window inspects, as the pages see it: its connection, whether
 * mutating actions are allowed, a one-line status that the header shows, its
 * load history, sampled from connect whichever page is shown, and the
 * cluster around it, sampled once the Cluster page has been shown. */

#define BEAM_TYPE_NODE (beam_node_get_type ())

G_DECLARE_FINAL_TYPE (BeamNode, beam_node, BEAM, NODE, GObject)

BeamNode            *beam_node_new             (BeamConnection *connection,
                                                gboolean        read_only);
BeamConnection      *beam_node_get_connection  (BeamNode       *self);
BeamLoadHistory     *beam_node_get_load_history (BeamNode      *self);
/* The cookie the node was joined with, for the nodes of its cluster (the
 * window's, given after beam_node_new); NULL: the default cookie. */
void                 beam_node_set_cookie      (BeamNode       *self,
                                                const char     *cookie);
/* The cluster around the node (the Cluster page's model), made on the first
 * call with the node's connection and cookie, not started: whoever shows it
 * starts it. Stopped by beam_node_close() and when the node goes. */
BeamClusterModel    *beam_node_get_cluster     (BeamNode       *self);
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
/* Whether the node runs Elixir, asked at every connect. */
gboolean             beam_node_get_runs_elixir (BeamNode       *self);
/* The syntax the node's terms and names are shown in (the "elixir-syntax"
 * property): the window's choice, from the settings and runs-elixir. */
BeamSyntax           beam_node_get_syntax      (BeamNode       *self);
void                 beam_node_set_syntax      (BeamNode       *self,
                                                BeamSyntax      syntax);
/* A module, registered name or "m:f/a" in the node's syntax
 * (beam_print_name); self may be NULL: Erlang. */
char                *beam_node_dup_display_name (BeamNode      *self,
                                                 const char    *name);
/* Emits "closed": every window opened for the node closes. */
void                 beam_node_close           (BeamNode       *self);

G_END_DECLS
