/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "beam-connection.h"
#include "beam-load-sample.h"

G_BEGIN_DECLS

/* One node's health in one small rpc, the Cluster page's question (issue 17).
 * The plain sample is no program: lists:zipwith3(fun erlang:apply/3, Ms, Fs,
 * As) over a fixed list of BIFs, about 1,100 to 1,500 reductions (measured:
 * most of them erlang:memory/1's). Every few samples the model asks the scan
 * form instead (programs/cluster-sample.exprs): the same figures plus the
 * longest message queue, found by one compiled pass over every process and
 * skipped past `scan_limit` processes.
 *
 * Scheduler utilisation needs the scheduler_wall_time flag: the model holds
 * it with beam_load_sample_flag_holder_start_async(), as the Load page does. */

/* The most names of nodes(visible) or nodes(hidden) one sample keeps. */
#define BEAM_CLUSTER_SAMPLE_MAX_NAMES 4000

typedef struct
{
  char    *node;                 /* node(), as it says it */
  guint32  creation;             /* system_info(creation): a new incarnation when it changes */
  char    *otp_release;          /* "25" */
  gint64   uptime_ms;            /* monotonic time since start_time, in ms */
  gint64   time_ms;              /* the node's monotonic clock in ms, for rates between samples */
  gint64   process_count;
  gint64   process_limit;
  gint64   atom_count;
  gint64   atom_limit;
  gint64   memory_total;         /* bytes */
  gint64   memory_binary;
  gint64   memory_ets;
  gint     schedulers;           /* normal schedulers online are 1..schedulers */
  GArray  *wall;                 /* BeamWallTime by id, normal and dirty CPU; empty while
                                  * the flag is off */
  gint64   run_queue;            /* statistics(total_run_queue_lengths_all) */
  GStrv    visible;              /* nodes(visible), sorted, never NULL */
  GStrv    hidden;               /* nodes(hidden), sorted, our own local node removed */
  gboolean scanned;              /* this sample carried the queue scan */
  gint64   max_queue;            /* longest message queue; -1 not scanned or skipped */
  gint64   queue_skipped_count;  /* the scan was skipped: this many processes; else 0 */
  char    *max_queue_pid;        /* "<0.88.0>" as the node prints it, or NULL */
  char    *max_queue_name;       /* its registered name, or NULL */
  gint64   reductions;           /* scan samples: the rex worker's reductions; else -1 */
} BeamClusterSample;

void               beam_cluster_sample_free   (BeamClusterSample   *sample);

/* One rpc. `scan` asks the scan form (with the longest queue) instead of the
 * plain one; no scan past `scan_limit` processes. Our own local node name on
 * this connection is dropped from `hidden`. The reply is capped in size and
 * every field checked; the call gives up after timeout_ms. */
void               beam_cluster_sample_async  (BeamConnection      *connection,
                                               gboolean             scan,
                                               guint                scan_limit,
                                               guint                timeout_ms,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
BeamClusterSample *beam_cluster_sample_finish (GAsyncResult        *result,
                                               GError             **error);

/* Normal-scheduler utilisation between two samples of one incarnation, 0..1:
 * the active time's growth over the total's, summed over ids 1..schedulers.
 * FALSE when either lacks wall times, the creations differ or the totals do
 * not grow. */
gboolean           beam_cluster_sample_usage  (const BeamClusterSample *before,
                                               const BeamClusterSample *after,
                                               double                  *out_usage);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BeamClusterSample, beam_cluster_sample_free)

G_END_DECLS
