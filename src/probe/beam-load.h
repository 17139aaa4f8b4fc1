/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "beam-connection.h"

G_BEGIN_DECLS

/* The Load and Memory questions: scheduler utilisation over an interval
 * (as recon:scheduler_usage/1 computes it), and the allocators' carriers
 * against their blocks (as recon_alloc:memory(allocated | used) does). */

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

const char *beam_scheduler_type_to_string   (BeamSchedulerType type);

/* Samples statistics(scheduler_wall_time_all) `ms` apart on the node. The
 * scheduler_wall_time flag is raised by the short-lived process that samples
 * and lowered by it (or by its exit): the node's flag is as it was before.
 * The result is a GArray of BeamSchedulerUsage, sorted by id. */
void        beam_scheduler_usage_async      (BeamConnection      *connection,
                                             guint                ms,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
GArray     *beam_scheduler_usage_finish     (GAsyncResult        *result,
                                             GError             **error);

typedef struct
{
  char   *type;                /* the allocator, as eheap_alloc */
  gint64  allocated;           /* carriers, multiblock and singleblock */
  gint64  used;                /* blocks in them */
  gint64  mbcs_carriers_size;
  gint64  sbcs_carriers_size;
  gint64  mbcs_blocks_size;
  gint64  sbcs_blocks_size;
  guint   instances;
} BeamAllocator;

typedef struct
{
  gint64     allocated;
  gint64     used;
  gint64     memory_total;     /* erlang:memory(total), asked at the same time */
  GPtrArray *types;            /* BeamAllocator, in the node's order */
} BeamAllocators;

void            beam_allocators_free        (BeamAllocators *allocators);
void            beam_allocators_fetch_async (BeamConnection      *connection,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
BeamAllocators *beam_allocators_fetch_finish (GAsyncResult       *result,
                                              GError            **error);
JsonNode       *beam_allocators_to_json     (const BeamAllocators *allocators);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BeamAllocators, beam_allocators_free)

G_END_DECLS
