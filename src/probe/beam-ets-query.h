/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "beam-connection.h"
#include "beam-ets-tables.h"

G_BEGIN_DECLS

/* Finding and changing rows of one ETS table with terms a user typed
 * (programs/ets-query.exprs): ets:lookup/2, ets:match_object/3 and
 * ets:select/3 with a limit and their continuations, ets:insert/2,
 * ets:delete/2 and ets:delete_object/2. The table is the id
 * beam_ets_window_open_async() answered. The user's terms travel as
 * term_to_binary bytes read with binary_to_term(B, [safe]): an atom the
 * node does not know makes no atom, and a key or pattern holding one matches
 * nothing (`unknown_atom`). Only a confirmed insert may make atoms. */

typedef enum
{
  BEAM_ETS_QUERY_LOOKUP,   /* term: a key */
  BEAM_ETS_QUERY_MATCH,    /* term: a pattern, '_' and '$1'... */
  BEAM_ETS_QUERY_SELECT,   /* term: a match specification */
} BeamEtsQueryKind;

typedef struct
{
  gint64     table_size;
  GPtrArray *rows;           /* BeamTerm; NULL for a row too big to fetch */
  gint64    *row_bytes;      /* per row: its size if too big, else 0; or NULL */
  BeamTerm  *continuation;   /* for the next rows, or NULL: no more */
  gboolean   more;           /* rows follow (a lookup has no continuation) */
  gboolean   unknown_atom;   /* the term names an atom the node lacks: no rows */
} BeamEtsFound;

void          beam_ets_query_async        (BeamConnection      *connection,
                                           const BeamTerm      *table,
                                           BeamEtsQueryKind     kind,
                                           const BeamTerm      *term,
                                           const BeamTerm      *continuation,
                                           guint                limit,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
BeamEtsFound *beam_ets_query_finish       (GAsyncResult        *result,
                                           GError             **error);
void          beam_ets_found_free         (BeamEtsFound        *found);

/* The atoms of `term` the node does not have: what inserting it would make. */
void          beam_ets_missing_atoms_async  (BeamConnection      *connection,
                                             const BeamTerm      *table,
                                             const BeamTerm      *term,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
GStrv         beam_ets_missing_atoms_finish (GAsyncResult        *result,
                                             GError             **error);

typedef enum
{
  BEAM_ETS_CHANGE_INSERT,         /* term: a row, inserted or replacing its key's */
  BEAM_ETS_CHANGE_DELETE_KEY,     /* term: a key */
  BEAM_ETS_CHANGE_DELETE_OBJECT,  /* term: a row, exactly */
} BeamEtsChange;

/* Changes the table; answers its size after, or -1 with `error` set. A
 * table only its owner may write fails with BEAM_ETS_ERROR_NOT_WRITABLE. */
void          beam_ets_change_async       (BeamConnection      *connection,
                                           const BeamTerm      *table,
                                           BeamEtsChange        change,
                                           const BeamTerm      *term,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
gint64        beam_ets_change_finish      (GAsyncResult        *result,
                                           GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BeamEtsFound, beam_ets_found_free)

G_END_DECLS
