/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "beam-connection.h"

G_BEGIN_DECLS

/* The nodes around a node: those it is connected to, visible and hidden
 * (programs/cluster.exprs), and the others EPMD knows on its host. The Nodes
 * menu's question and `beamscope-cli cluster`'s. */

/* The most names of each list a node may send, and EPMD's list is cut to. */
#define BEAM_CLUSTER_MAX_NODES 1000

typedef struct
{
  char   *node;           /* the node's own name, as it says it */
  char   *host;           /* its part after '@': where EPMD was asked */
  GStrv   visible;        /* erlang:nodes(visible), sorted */
  guint   visible_count;  /* how many there are: more than listed when cut */
  GStrv   hidden;         /* erlang:nodes(hidden) but our own connection, sorted */
  guint   hidden_count;
  /* Registered with EPMD on `host`, as name@host, and in neither list nor
   * the node itself; sorted. Empty when EPMD could not be asked. */
  GStrv   epmd_others;
  char   *epmd_error;     /* why EPMD could not be asked, or NULL */
} BeamCluster;

void         beam_cluster_free         (BeamCluster          *cluster);
/* Asks the node, then its host's EPMD (on a worker thread). Fails only if
 * the node does not answer: EPMD's failure is the result's epmd_error. */
void         beam_cluster_fetch_async  (BeamConnection       *connection,
                                        GCancellable         *cancellable,
                                        GAsyncReadyCallback   callback,
                                        gpointer              user_data);
BeamCluster *beam_cluster_fetch_finish (GAsyncResult         *result,
                                        GError              **error);
JsonNode    *beam_cluster_to_json      (const BeamCluster    *cluster);
/* A list of at most `max` node names (atoms of the form name@host) from a
 * node's answer, sorted, as a new vector; NULL for anything else: another
 * term, an improper or longer list, anything in it but such an atom. The
 * check of every probe that reads erlang:nodes/1. */
GStrv        beam_cluster_dup_node_names (const BeamTerm     *list,
                                          guint               max);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BeamCluster, beam_cluster_free)

G_END_DECLS
