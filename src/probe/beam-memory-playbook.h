/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "beam-connection.h"

G_BEGIN_DECLS

/* The memory playbook's questions: ETS tables by memory, processes with big
 * heaps, and binary memory around a node-wide garbage collection. Each list
 * is bounded by `limit` rows, chosen and sorted on the node, biggest first. */

typedef struct
{
  char   *table;    /* as the node prints it: its name, or its reference */
  char   *owner;       /* the owner's pid, printed (a live one when asked) */
  char   *owner_name;  /* its registered name, or NULL */
  gint64  objects;
  gint64  bytes;
} BeamEtsTableMemory;

/* ETS tables by memory, those of live owners only. The result is a
 * GPtrArray of BeamEtsTableMemory. */
void        beam_memory_playbook_ets_async            (BeamConnection      *connection,
                                                       guint                limit,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
GPtrArray  *beam_memory_playbook_ets_finish           (GAsyncResult        *result,
                                                       GError             **error);

typedef struct
{
  char   *pid;         /* printed */
  char   *name;        /* its registered name, or NULL */
  gint64  heap_bytes;  /* total_heap_size */
  gint64  memory;      /* process_info(P, memory) */
} BeamHeapMemory;

/* Processes whose total heap is at least `threshold` bytes (live ones: a
 * process that died meanwhile answers process_info with undefined and
 * drops out). The result is a GPtrArray of BeamHeapMemory. */
void        beam_memory_playbook_heaps_async          (BeamConnection      *connection,
                                                       gint64               threshold,
                                                       guint                limit,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
GPtrArray  *beam_memory_playbook_heaps_finish         (GAsyncResult        *result,
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
void        beam_memory_playbook_binary_collect_async  (BeamConnection      *connection,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
BeamBinaryCollection *
            beam_memory_playbook_binary_collect_finish (GAsyncResult        *result,
                                                        GError             **error);

G_END_DECLS
