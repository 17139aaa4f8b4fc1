/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "beam-cluster-model.h"

G_BEGIN_DECLS

/* For tests: a model that joins nothing and samples nothing, fed recorded
 * samples instead, as if `node` had answered each (NULL: it missed its
 * deadline; state then NOT_ANSWERING; the model takes the sample). Each feed
 * is one tick for that node;
 * "sampled" and "links-changed" are emitted as after real answers. */
BeamClusterModel *_beam_cluster_model_new_fed  (const char        *seed_name);
void              _beam_cluster_model_feed     (BeamClusterModel  *self,
                                                const char        *node,
                                                BeamClusterSample *sample);
/* A fed node lost (DOWN with `reason`). */
void              _beam_cluster_model_feed_down (BeamClusterModel *self,
                                                 const char       *node,
                                                 const char       *reason);
/* For the benchmark: microseconds on the model's thread taking answers,
 * and flushing them (the handlers of "sampled" and "links-changed" with). */
gint64            _beam_cluster_model_get_answers_us (BeamClusterModel *self);
gint64            _beam_cluster_model_get_flush_us   (BeamClusterModel *self);

G_END_DECLS
