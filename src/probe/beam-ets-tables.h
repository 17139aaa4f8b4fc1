/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "beam-connection.h"
#include "beam-term-printer.h"

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
/* Spells the owners' registered names in `syntax` (beam_print_name); the
 * tables' names stay as they are, as they open the table. */
void           beam_ets_tables_respell (BeamEtsTables       *tables,
                                        BeamSyntax           syntax);
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

/* Rows of one table (programs/ets-rows.exprs): `offset` rows skipped, then
 * up to `limit`, in the table's order (key order for an ordered_set). A
 * first step of the Table Viewer: offset + limit may not pass
 * BEAM_ETS_ROWS_MAX, as the rows before offset are read on the node. */
#define BEAM_ETS_ROWS_MAX 100000

typedef struct
{
  char      *name;
  gint64     size;       /* the table's, when read */
  GPtrArray *rows;       /* BeamTerm */
  gboolean   more;       /* rows follow */
} BeamEtsRows;

#define BEAM_ETS_ERROR (beam_ets_error_quark ())
GQuark beam_ets_error_quark (void);

typedef enum
{
  BEAM_ETS_ERROR_UNKNOWN_TABLE,
  BEAM_ETS_ERROR_PRIVATE,        /* only its owner can read it */
  BEAM_ETS_ERROR_DELETED,        /* gone since it was opened */
  BEAM_ETS_ERROR_RESIZED,        /* a continuation that no longer fits the table */
  BEAM_ETS_ERROR_NOT_WRITABLE,   /* protected: only its owner may change it */
  BEAM_ETS_ERROR_BAD_TERM,       /* no pattern, match specification or row for it */
} BeamEtsError;

/* `table` is what a user typed, a name or an id (#Ref<...>): never made an
 * atom on the node. */
void         beam_ets_rows_async  (BeamConnection      *connection,
                                   const char          *table,
                                   guint                offset,
                                   guint                limit,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data);
BeamEtsRows *beam_ets_rows_finish (GAsyncResult        *result,
                                   GError             **error);
void         beam_ets_rows_free   (BeamEtsRows         *rows);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BeamEtsTables, beam_ets_tables_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BeamEtsRows, beam_ets_rows_free)

G_END_DECLS
