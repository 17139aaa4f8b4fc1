/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "beam-connection.h"
#include "beam-process-table.h"

G_BEGIN_DECLS

/* Every process of the node with the Processes page's columns, collected in
 * parallel on the node and decoded here while it arrives. `previous`, if
 * given, is an earlier table of the same node: reductions per second are
 * computed against it. Heap sizes cost the node a third more time to ask:
 * without `with_heap_sizes` they are -1. */
void              beam_process_list_fetch_async  (BeamConnection      *connection,
                                                  BeamProcessTable    *previous,
                                                  gboolean             with_heap_sizes,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
BeamProcessTable *beam_process_list_fetch_finish (GAsyncResult        *result,
                                                  GError             **error);

/* The program the node runs, as erl_parse would give it for the source in
 * beam-process-list.c; exposed for tests. Returns erl_eval:exprs/2's args. */
BeamTerm         *beam_process_list_build_program (guint               chunk_size,
                                                   gboolean            with_heap_sizes);

/* The name a process gave itself ('$process_label', RabbitMQ's
 * process_name), as the Name column, the process window and the CLI write
 * it: a string as itself, anything else printed shallow, cut at 200 bytes. */
char             *beam_process_label_text        (const BeamTerm      *term);

G_END_DECLS
