/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "beam-cluster-sample.h"

G_BEGIN_DECLS

/* The plain sample's calls, by their place in its answer. */
typedef enum
{
  BEAM_CLUSTER_SAMPLE_CALL_NODE,                  /* node() */
  BEAM_CLUSTER_SAMPLE_CALL_CREATION,              /* system_info(creation) */
  BEAM_CLUSTER_SAMPLE_CALL_OTP_RELEASE,
  BEAM_CLUSTER_SAMPLE_CALL_START_TIME,
  BEAM_CLUSTER_SAMPLE_CALL_PROCESS_COUNT,
  BEAM_CLUSTER_SAMPLE_CALL_PROCESS_LIMIT,
  BEAM_CLUSTER_SAMPLE_CALL_ATOM_COUNT,
  BEAM_CLUSTER_SAMPLE_CALL_ATOM_LIMIT,
  BEAM_CLUSTER_SAMPLE_CALL_SCHEDULERS,
  BEAM_CLUSTER_SAMPLE_CALL_DIRTY_CPU_SCHEDULERS,
  BEAM_CLUSTER_SAMPLE_CALL_MONOTONIC_TIME,        /* monotonic_time() */
  BEAM_CLUSTER_SAMPLE_CALL_NATIVE_PER_SECOND,     /* convert_time_unit(1, second, native) */
  BEAM_CLUSTER_SAMPLE_CALL_MEMORY,                /* memory([total, binary, ets]) */
  BEAM_CLUSTER_SAMPLE_CALL_WALL,                  /* statistics(scheduler_wall_time) */
  BEAM_CLUSTER_SAMPLE_CALL_RUN_QUEUE,             /* statistics(total_run_queue_lengths_all) */
  BEAM_CLUSTER_SAMPLE_CALL_VISIBLE,               /* nodes(visible) */
  BEAM_CLUSTER_SAMPLE_CALL_HIDDEN,                /* nodes(hidden) */
  BEAM_CLUSTER_SAMPLE_CALL_OWN_NODE,              /* node(Reply): our connection's name there */
  BEAM_CLUSTER_SAMPLE_N_CALLS
} BeamClusterSampleCall;

/* The plain sample's Ms, Fs and As, the lists lists:zipwith3/4 takes after
 * fun erlang:apply/3 (As holds the reply pid), for the tests and benchmarks
 * that measure the compiled call on its own. */
void     _beam_cluster_sample_lists  (BeamTerm       **out_modules,
                                      BeamTerm       **out_functions,
                                      BeamTerm       **out_arguments);

/* The sample's decoder, which runs on the network thread, open to tests that
 * feed it replies no real node sends. `scan` is GINT_TO_POINTER (TRUE) for
 * the scan form's answer, erl_eval's {value, {Figures, Queue, Reductions}, _},
 * and FALSE for the plain one's, Figures alone: the list of the sample's
 * calls' answers as lists:zipwith3/4 gives it. A BeamClusterSample, or NULL
 * and the error "Unexpected reply from the node". */
gpointer _beam_cluster_sample_decode (const BeamTerm  *reply,
                                      gpointer         scan,
                                      GError         **error);

G_END_DECLS
