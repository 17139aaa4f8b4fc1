/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "beam-cluster-node.h"

G_BEGIN_DECLS

/* What the cluster model changes in its rows; nothing else writes them. */

BeamClusterNode *_beam_cluster_node_new           (const char           *name,
                                                   gboolean              in_cluster,
                                                   guint                 history_points);
/* Notifies state and reason only when they changed. */
void             _beam_cluster_node_set_state     (BeamClusterNode      *self,
                                                   BeamClusterNodeState  state,
                                                   const char           *reason);
void             _beam_cluster_node_set_reason    (BeamClusterNode      *self,
                                                   const char           *reason);
void             _beam_cluster_node_set_in_cluster (BeamClusterNode     *self,
                                                    gboolean             in_cluster);
/* Takes `sample` as the newest: a new incarnation (another creation) drops
 * the trends and the sample before; a plain sample keeps the last scan's
 * longest queue. TRUE when it was a new incarnation. */
gboolean         _beam_cluster_node_take_sample   (BeamClusterNode      *self,
                                                   BeamClusterSample    *sample);
/* Outlier bits and, for each set bit, how far from the median. */
void             _beam_cluster_node_set_outliers  (BeamClusterNode      *self,
                                                   guint                 outliers,
                                                   const double         *factors);
/* The trends keep this many points (the newest ones on a change). */
void             _beam_cluster_node_set_history_points (BeamClusterNode *self,
                                                        guint            points);
/* g_get_real_time() of the last answered sample; 0 before the first. */
gint64           _beam_cluster_node_get_sampled_real_us (BeamClusterNode *self);

G_END_DECLS
