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
  /* mseg_alloc's segment cache, all instances, as recon_alloc:cache_hit_rates/0:
   * hits of the cache against calls to mseg_alloc (both 0 where the node has
   * no mseg_alloc). */
  gint64     cache_hits;
  gint64     cache_calls;
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

/* The memory playbook's questions. Each answer is bounded by `limit` rows,
 * chosen and sorted on the node, biggest first. */

typedef struct
{
  char   *table;    /* as the node prints it: its name, or its reference */
  char   *owner;    /* the owner's pid, printed */
  gint64  objects;
  gint64  bytes;
} BeamEtsTableMemory;

/* ETS tables by memory. The result is a GPtrArray of BeamEtsTableMemory. */
void        beam_ets_by_memory_async     (BeamConnection      *connection,
                                          guint                limit,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
GPtrArray  *beam_ets_by_memory_finish    (GAsyncResult        *result,
                                          GError             **error);

typedef struct
{
  char   *pid;         /* printed */
  char   *name;        /* its registered name, or NULL */
  gint64  heap_bytes;  /* total_heap_size */
  gint64  memory;      /* process_info(P, memory) */
} BeamHeapMemory;

/* Processes whose total heap is at least `threshold` bytes. The result is a
 * GPtrArray of BeamHeapMemory. */
void        beam_big_heaps_async         (BeamConnection      *connection,
                                          gint64               threshold,
                                          guint                limit,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
GPtrArray  *beam_big_heaps_finish        (GAsyncResult        *result,
                                          GError             **error);

typedef struct
{
  gint64 before;      /* erlang:memory(binary) */
  gint64 after;
  gint64 processes;   /* how many were collected */
} BeamBinaryCollection;

/* Garbage-collects every process on the node and reports binary memory
 * before and after, as one does by hand to find a binary leak. It changes
 * the node: ask first, and never with --read-only. */
void        beam_binary_collect_async    (BeamConnection      *connection,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
BeamBinaryCollection *beam_binary_collect_finish (GAsyncResult *result,
                                                  GError      **error);

G_END_DECLS
