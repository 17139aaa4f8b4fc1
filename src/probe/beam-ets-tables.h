/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "beam-connection.h"

G_BEGIN_DECLS

/* Every ETS table of a node, as ets:info/1 tells it (programs/ets-tables.exprs),
 * for the Tables page and the CLI's `ets`. A table made without named_table
 * still has a name, and it is what `name` holds; `id` is the table's
 * reference or name as Erlang prints it. */

typedef struct
{
  const char *name;
  const char *id;
  const char *type;                /* set, ordered_set, bag, duplicate_bag */
  gint64      size;                /* objects */
  gint64      memory;              /* bytes */
  const char *owner;               /* pid */
  const char *owner_name;          /* its registered name, or NULL */
  const char *heir;                /* pid, or NULL for none */
  const char *protection;          /* public, protected, private */
  gint64      keypos;
  gboolean    named_table;
  gboolean    read_concurrency;
  const char *write_concurrency;   /* true, false, auto */
  gboolean    compressed;
  gboolean    decentralized_counters;
  const char *application;         /* its owner's, or NULL */
  gboolean    system;              /* kernel's, stdlib's or the runtime's */
} BeamEtsTable;

typedef struct
{
  BeamEtsTable *tables;            /* in the node's order */
  guint         n_tables;
  GStringChunk *strings;
} BeamEtsTables;

typedef enum
{
  BEAM_ETS_SORT_MEMORY,            /* biggest first */
  BEAM_ETS_SORT_SIZE,              /* biggest first */
  BEAM_ETS_SORT_NAME,
} BeamEtsSort;

void           beam_ets_tables_async   (BeamConnection      *connection,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
BeamEtsTables *beam_ets_tables_finish  (GAsyncResult        *result,
                                        GError             **error);
void           beam_ets_tables_free    (BeamEtsTables       *tables);
void           beam_ets_tables_sort    (BeamEtsTables       *tables,
                                        BeamEtsSort          sort);
/* [{"name", "id", "type", "size", "memory", "owner", "heir", "protection",
 *   "keypos", "read_concurrency", "write_concurrency", "compressed",
 *   "decentralized_counters", "named_table", "system"}] of the first `limit`
 * tables (0: all), leaving out system tables unless `with_system`. */
JsonNode      *beam_ets_tables_to_json (const BeamEtsTables *tables,
                                        gboolean             with_system,
                                        guint                limit);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BeamEtsTables, beam_ets_tables_free)

G_END_DECLS
