/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "beam-connection.h"

G_BEGIN_DECLS

/* Scheduler utilisation over an interval, as recon:scheduler_usage/1
 * computes it. BeamSchedulerUsage is also what beam-load-sample gives
 * between two of its samples. */

typedef enum
{
  BEAM_SCHEDULER_NORMAL,
  BEAM_SCHEDULER_DIRTY_CPU,
  BEAM_SCHEDULER_DIRTY_IO,
} BeamSchedulerType;

typedef struct
{
  guint             id;
  BeamSchedulerType type;
  double            usage;  /* 0.0 to 1.0 */
} BeamSchedulerUsage;

/* No node has more of each kind (the VM's own limit): a reply that claims
 * more is refused before anything is built for its entries. */
#define BEAM_SCHEDULER_USAGE_MAX_SCHEDULERS 1024

const char *beam_scheduler_usage_type_to_string (BeamSchedulerType    type);
/* The kind of scheduler `id` is, by the node's counts. */
BeamSchedulerType beam_scheduler_usage_type_of  (gint64               id,
                                                 gint64               schedulers,
                                                 gint64               dirty_cpu_schedulers);
/* (Active1 - Active0) / (Total1 - Total0), clamped to 0..1, as recon computes
 * it; FALSE for counters no node gives (negative, or whose difference does
 * not fit in 64 bits). */
gboolean    beam_scheduler_usage_between        (gint64               active0,
                                                 gint64               total0,
                                                 gint64               active1,
                                                 gint64               total1,
                                                 double              *out_usage);

/* Samples statistics(scheduler_wall_time_all) `ms` apart on the node. The
 * scheduler_wall_time flag is raised by the short-lived process that samples
 * and lowered by it (or by its exit): the node's flag is as it was before.
 * The result is a GArray of BeamSchedulerUsage, sorted by id. */
void        beam_scheduler_usage_async          (BeamConnection      *connection,
                                                 guint                ms,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
GArray     *beam_scheduler_usage_finish         (GAsyncResult        *result,
                                                 GError             **error);

G_END_DECLS
