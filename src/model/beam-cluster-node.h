/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "beam-cluster-sample.h"

G_BEGIN_DECLS

/* One row of the Cluster page: a node the cluster model knows. The model
 * updates it in place (notify::sample, notify::state, notify::outliers), so a
 * column view's rows and selection survive every sample. */

typedef enum
{
  BEAM_CLUSTER_NODE_CONNECTED,       /* joined, and its last sample came back in time */
  BEAM_CLUSTER_NODE_NOT_ANSWERING,   /* joined, but a sample missed its deadline */
  BEAM_CLUSTER_NODE_DOWN,            /* lost, or could not be joined (the reason says why) */
} BeamClusterNodeState;

GType beam_cluster_node_state_get_type (void) G_GNUC_CONST;
#define BEAM_TYPE_CLUSTER_NODE_STATE (beam_cluster_node_state_get_type ())

/* The sortable, outlier-checked columns. */
typedef enum
{
  BEAM_CLUSTER_COLUMN_UPTIME,
  BEAM_CLUSTER_COLUMN_PROCESSES,
  BEAM_CLUSTER_COLUMN_MEMORY,
  BEAM_CLUSTER_COLUMN_BINARY,
  BEAM_CLUSTER_COLUMN_ETS,
  BEAM_CLUSTER_COLUMN_USAGE,
  BEAM_CLUSTER_COLUMN_RUN_QUEUE,
  BEAM_CLUSTER_COLUMN_MAX_QUEUE,
  BEAM_CLUSTER_COLUMN_ATOMS,
  BEAM_CLUSTER_N_COLUMNS
} BeamClusterColumn;

#define BEAM_TYPE_CLUSTER_NODE (beam_cluster_node_get_type ())

G_DECLARE_FINAL_TYPE (BeamClusterNode, beam_cluster_node, BEAM, CLUSTER_NODE, GObject)

const char              *beam_cluster_node_get_name       (BeamClusterNode   *self);
BeamClusterNodeState     beam_cluster_node_get_state      (BeamClusterNode   *self);
/* The state as the CLI's JSON writes it: "connected", "not_answering", "down". */
const char              *beam_cluster_node_state_to_string (BeamClusterNodeState state);
/* Why it is down or not answering ("cookie rejected", "no answer in 4 s"...),
 * translated, or NULL. */
const char              *beam_cluster_node_get_reason     (BeamClusterNode   *self);
/* FALSE for a node only EPMD lists: registered on a cluster host, in no
 * node's nodes(). */
gboolean                 beam_cluster_node_get_in_cluster (BeamClusterNode   *self);
/* The newest answered sample, or NULL before the first (every figure is
 * then unknown). A node that stops answering keeps its last one. */
const BeamClusterSample *beam_cluster_node_get_sample     (BeamClusterNode   *self);
/* Normal-scheduler utilisation between the last two samples, 0..1; -1 unknown. */
double                   beam_cluster_node_get_usage      (BeamClusterNode   *self);
/* A column's value as a double, for sorting and medians; NAN when unknown.
 * USAGE is 0..1, UPTIME ms, the sizes bytes. */
double                   beam_cluster_node_get_value      (BeamClusterNode   *self,
                                                           BeamClusterColumn  column);
/* Bit n set: column n is an outlier against the cluster's median. */
guint                    beam_cluster_node_get_outliers   (BeamClusterNode   *self);
/* How far an outlier is from the median, as the page's tooltip says it:
 * the ratio for sizes and counts, points for usage; NAN if not an outlier. */
double                   beam_cluster_node_get_outlier_factor (BeamClusterNode   *self,
                                                               BeamClusterColumn  column);
/* The last points of USAGE (per mille) or RUN_QUEUE, oldest first, as the
 * "ax" a BeamSparkline takes; a floating reference. Other columns: empty. */
GVariant                *beam_cluster_node_dup_trend      (BeamClusterNode   *self,
                                                           BeamClusterColumn  column);
/* Samples answered since the model started, over every incarnation. */
guint                    beam_cluster_node_get_samples    (BeamClusterNode   *self);
/* g_get_monotonic_time() of the last answered sample; 0 before the first. */
gint64                   beam_cluster_node_get_sampled_at (BeamClusterNode   *self);

G_END_DECLS
