/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "beam-cluster-node.h"
#include "beam-connection.h"

G_BEGIN_DECLS

/* The cluster around a seed node, joined node by node, sampled live: the
 * Cluster page's model and `beamscope-cli cluster`'s (issue 17).
 *
 * Discovery: every name in any node's nodes(visible) is joined (a
 * BeamConnection with the seed's cookie; the seed's own connection is
 * reused). EPMD's names on every host of a known node (asked every 10 s)
 * add the rest, in_cluster FALSE, joined too unless join-epmd-others is off.
 * At most max-nodes are joined.
 *
 * Sampling: one timer at interval-ms; each tick asks every joined node whose
 * last sample is back (one in flight per node), so a node that does not
 * answer holds only its own slot and delays nobody. Every
 * queue-scan-interval-ms a node's sample is the scan form, with its longest
 * message queue. A node is never forgotten while the model lives (a killed
 * node stays, DOWN) until beam_cluster_model_forget_down(). A first connect
 * that fails is retried (2 s, doubling to 30 s); a cookie rejection is not
 * (each costs the node a log line).
 *
 * Signals: "sampled" once a tick's answers are in (coalesced: one emission
 * per burst, on the thread-default main context the model was made in);
 * "links-changed" when the connectivity matrix, anomalies or hidden nodes
 * changed. The node list emits items-changed only when a node is added or
 * forgotten; rows change in place. */

typedef enum
{
  BEAM_CLUSTER_LINK_BOTH,       /* each lists the other */
  BEAM_CLUSTER_LINK_ONE_WAY,    /* i lists j, j answers without i */
  BEAM_CLUSTER_LINK_MISSING,    /* both answer, neither lists the other */
  BEAM_CLUSTER_LINK_UNKNOWN,    /* i or j down, not answering, or not yet sampled */
  BEAM_CLUSTER_LINK_SELF,
} BeamClusterLink;

typedef struct
{
  char            *from;            /* ONE_WAY: from lists to; MISSING: the pair, sorted */
  char            *to;              /* NULL when `left` */
  BeamClusterLink  kind;            /* ONE_WAY or MISSING */
  gboolean         left;            /* `from` left the cluster: in no answering node's list
                                     * (one anomaly for the node, kind MISSING) */
  gint64           first_seen_us;   /* g_get_real_time() of the first of two agreeing samples */
  gint64           last_seen_us;    /* of the newest sample that still showed it */
  gboolean         open;            /* still so at the newest samples */
} BeamClusterAnomaly;

typedef struct
{
  char   *node;           /* a hidden node: another tool, a remote shell, another Beamscope */
  GStrv   seen_by;        /* the joined nodes that list it in nodes(hidden), sorted */
  gint64  first_seen_us;
} BeamClusterHidden;

#define BEAM_TYPE_CLUSTER_MODEL (beam_cluster_model_get_type ())

G_DECLARE_FINAL_TYPE (BeamClusterModel, beam_cluster_model, BEAM, CLUSTER_MODEL, GObject)

/* The seed is borrowed for the model's life; `cookie` NULL means the
 * default (as beam_connection_new takes it). */
BeamClusterModel *beam_cluster_model_new                (BeamConnection   *seed,
                                                         const char       *cookie);
void              beam_cluster_model_start              (BeamClusterModel *self);
/* Lets every flag holder go and closes every connection but the seed's. */
void              beam_cluster_model_stop               (BeamClusterModel *self);

/* Properties: interval-ms (default 2000, 200..60000), queue-scan-interval-ms
 * (10000; 0 never; a value no more than interval-ms scans every sample),
 * max-nodes (200), join-epmd-others (TRUE), outlier-ratio (3.0),
 * history-minutes (5), paused (FALSE). */
guint             beam_cluster_model_get_interval_ms    (BeamClusterModel *self);
void              beam_cluster_model_set_interval_ms    (BeamClusterModel *self,
                                                         guint             interval_ms);
void              beam_cluster_model_set_queue_scan_interval_ms (BeamClusterModel *self,
                                                                 guint             interval_ms);
void              beam_cluster_model_set_max_nodes      (BeamClusterModel *self,
                                                         guint             max_nodes);
void              beam_cluster_model_set_join_epmd_others (BeamClusterModel *self,
                                                           gboolean          join);
void              beam_cluster_model_set_outlier_ratio  (BeamClusterModel *self,
                                                         double            ratio);
void              beam_cluster_model_set_history_minutes (BeamClusterModel *self,
                                                          guint             minutes);
void              beam_cluster_model_set_paused         (BeamClusterModel *self,
                                                         gboolean          paused);

const char       *beam_cluster_model_get_seed_name      (BeamClusterModel *self);
/* A GListModel of BeamClusterNode, sorted by name. */
GListModel       *beam_cluster_model_get_nodes          (BeamClusterModel *self);
BeamClusterNode  *beam_cluster_model_find_node          (BeamClusterModel *self,
                                                         const char       *name);
guint             beam_cluster_model_get_n_down         (BeamClusterModel *self);
guint             beam_cluster_model_get_n_not_answering (BeamClusterModel *self);
/* Names found but not joined because of max-nodes. */
guint             beam_cluster_model_get_n_not_joined   (BeamClusterModel *self);
/* Discovery has settled: no new name in the last round, and every node has
 * two answered samples or is down or not answering. The CLI waits for it. */
gboolean          beam_cluster_model_get_settled        (BeamClusterModel *self);
/* The median of a column over connected in-cluster nodes; NAN if none. */
double            beam_cluster_model_get_median         (BeamClusterModel *self,
                                                         BeamClusterColumn column);
void              beam_cluster_model_forget_down        (BeamClusterModel *self);

/* Connectivity, indices as in the node list. Debounced: ONE_WAY and
 * MISSING only once two samples of both nodes in a row showed it. A
 * one-way pair is ONE_WAY in both cells; get_sees tells which side lists
 * the other. */
BeamClusterLink   beam_cluster_model_get_link           (BeamClusterModel *self,
                                                         guint             i,
                                                         guint             j);
/* Whether i lists j, as the link shown says (BOTH, or ONE_WAY from i). */
gboolean          beam_cluster_model_get_sees           (BeamClusterModel *self,
                                                         guint             i,
                                                         guint             j);
/* Every anomaly since start, open ones first, then by first_seen; borrowed. */
GPtrArray        *beam_cluster_model_get_anomalies      (BeamClusterModel *self);
/* The connected components of BOTH links among answering in-cluster nodes,
 * each a GStrv, biggest first; more than one is a partition. */
GPtrArray        *beam_cluster_model_dup_partitions     (BeamClusterModel *self);
/* Hidden nodes (BeamClusterHidden), our own connections excluded; borrowed. */
GPtrArray        *beam_cluster_model_get_hidden         (BeamClusterModel *self);

/* The CLI's document: {"seed", "nodes": [...], "links": [...], "hidden":
 * [...], "partitions": [[...]]}, each node with the keys. */
JsonNode         *beam_cluster_model_to_json            (BeamClusterModel *self);

G_END_DECLS
