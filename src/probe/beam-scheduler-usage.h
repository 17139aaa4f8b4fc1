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

const char *beam_scheduler_usage_type_to_string (BeamSchedulerType    type);

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
