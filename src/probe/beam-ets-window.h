/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "beam-connection.h"
#include "beam-ets-tables.h"

G_BEGIN_DECLS

/* Reading an ETS table a chunk at a time, from anywhere in it, for the table
 * window (programs/ets-window.exprs): never the whole table, no fixation, no
 * process left on the node. A chunk ends at a cursor, an opaque term that
 * the next request takes back: an ordered set's cursors are keys, so chunks
 * join exactly in key order from either end; a hash table's (set, bag) are
 * its continuations, or a bucket to start from. */

/* What a chunk's request may ask at most: the rows, and the bytes of one row
 * (a bigger one comes as its size only). */
#define BEAM_ETS_WINDOW_MAX_ROWS  1000
#define BEAM_ETS_WINDOW_MAX_ROW   (64 * 1024)

typedef struct
{
  gint64     table_size;   /* the table's size when the chunk was read */
  GPtrArray *rows;         /* BeamTerm, in the table's order (key order for an
                            * ordered set, whichever way it was read); NULL for
                            * a row too big to fetch */
  gint64    *row_bytes;    /* per row: its external size if too big, else 0;
                            * NULL when no row was too big */
  BeamTerm  *before;       /* the cursor to read backward from, or NULL */
  BeamTerm  *after;        /* the cursor to read forward from, or NULL at the end */
} BeamEtsChunk;

typedef struct
{
  BeamTerm     *table;      /* the table's id, to give back to every request */
  char         *name;
  char         *type;       /* set, ordered_set, bag, duplicate_bag */
  gint64        keypos;
  char         *protection;
  BeamEtsChunk *first;
} BeamEtsWindowOpened;

/* The table a user named (its name or printed id; never made an atom), its
 * facts and first `limit` rows. Errors: BEAM_ETS_ERROR_UNKNOWN_TABLE,
 * _PRIVATE. */
void                 beam_ets_window_open_async   (BeamConnection      *connection,
                                                   const char          *table,
                                                   guint                limit,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
BeamEtsWindowOpened *beam_ets_window_open_finish  (GAsyncResult        *result,
                                                   GError             **error);
void                 beam_ets_window_opened_free  (BeamEtsWindowOpened *opened);

typedef enum
{
  BEAM_ETS_READ_FORWARD,     /* from the cursor on, or from the start */
  BEAM_ETS_READ_BACKWARD,    /* ordered sets: the rows before the cursor, or the last ones */
} BeamEtsReadDirection;

/* A hash table's cursor for its bucket `bucket` (0 ≤ bucket < the count
 * beam_ets_window_buckets_async() tells). */
BeamTerm     *beam_ets_cursor_new_bucket        (gint64               bucket);

/* Up to `limit` rows next to `cursor` (NULL: from the start forward, or
 * from the end backward). Errors: BEAM_ETS_ERROR_DELETED, and
 * BEAM_ETS_ERROR_RESIZED when a hash table's continuation no longer fits
 * it (the table grew or shrank a lot since: jump by bucket instead). */
void          beam_ets_window_read_async        (BeamConnection       *connection,
                                                 const BeamTerm       *table,
                                                 BeamEtsReadDirection  direction,
                                                 const BeamTerm       *cursor,
                                                 guint                 limit,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
BeamEtsChunk *beam_ets_window_read_finish       (GAsyncResult         *result,
                                                 GError              **error);
void          beam_ets_chunk_free               (BeamEtsChunk         *chunk);

/* The table's size now. Errors: BEAM_ETS_ERROR_DELETED. Returns -1 on error. */
void          beam_ets_window_size_async        (BeamConnection       *connection,
                                                 const BeamTerm       *table,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
gint64        beam_ets_window_size_finish       (GAsyncResult         *result,
                                                 GError              **error);

/* A hash table's bucket count, found by a binary search over ets:slot/2:
 * with the size, where a row is (about: research R4). Returns -1 on error. */
void          beam_ets_window_buckets_async     (BeamConnection       *connection,
                                                 const BeamTerm       *table,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
gint64        beam_ets_window_buckets_finish    (GAsyncResult         *result,
                                                 GError              **error);
/* The bucket where the row at `position` of a table of `size` rows in
 * `buckets` buckets about is, allowing for linear hashing's doubled buckets. */
gint64        beam_ets_bucket_of_position       (gint64               position,
                                                 gint64               size,
                                                 gint64               buckets);

/* An ordered set's every `step`-th key (positions step - 1, 2 step - 1, ...),
 * each as a cursor, to jump into the middle of it: the key index. */
typedef struct
{
  gint64     table_size;
  gint64     step;
  GPtrArray *cursors;      /* BeamTerm */
} BeamEtsKeyIndex;

void             beam_ets_window_key_index_async  (BeamConnection    *connection,
                                                   const BeamTerm    *table,
                                                   gint64             step,
                                                   GCancellable      *cancellable,
                                                   GAsyncReadyCallback callback,
                                                   gpointer           user_data);
BeamEtsKeyIndex *beam_ets_window_key_index_finish (GAsyncResult      *result,
                                                   GError           **error);
void             beam_ets_key_index_free          (BeamEtsKeyIndex   *index);

/* For the programs that answer rows as ets-window.exprs does (Rows, and Big:
 * [{Index, Bytes}] of rows left out): the rows as BeamTerms (NULL for one too
 * big) and their sizes (NULL when none was too big); `reverse` turns them
 * round. FALSE for anything else. */
gboolean      beam_ets_rows_read                (const BeamTerm       *rows,
                                                 const BeamTerm       *big,
                                                 gboolean              reverse,
                                                 GPtrArray           **out_rows,
                                                 gint64              **out_row_bytes);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BeamEtsChunk, beam_ets_chunk_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BeamEtsWindowOpened, beam_ets_window_opened_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BeamEtsKeyIndex, beam_ets_key_index_free)

G_END_DECLS
