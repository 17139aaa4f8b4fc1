/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "beam-ets-row-item.h"
#include "beam-ets-window.h"

G_BEGIN_DECLS

/* The rows of one ETS table as a list as long as the table, of which only
 * the chunks around what is looked at are ever fetched (beam-ets-window):
 * asking for an item whose chunk is missing answers an empty item at once
 * and fetches its chunk, and the next one, in the background; the item
 * fills in when it comes. Chunks next to a fetched one are read on from its
 * cursor, so they join exactly (in key order, for an ordered set, from
 * either end); one far from any is jumped to, through an ordered set's key
 * index or a hash table's bucket for that position, so a position there is
 * near, not exact. Only the chunks used last are kept. */

#define BEAM_TYPE_ETS_ROW_WINDOW (beam_ets_row_window_get_type ())

G_DECLARE_FINAL_TYPE (BeamEtsRowWindow, beam_ets_row_window, BEAM, ETS_ROW_WINDOW, GObject)

/* Rows per chunk, and the chunks kept. */
#define BEAM_ETS_ROW_WINDOW_CHUNK 200
#define BEAM_ETS_ROW_WINDOW_KEPT  64

/* Takes `opened`, the table as beam_ets_window_open_async() found it. */
BeamEtsRowWindow *beam_ets_row_window_new           (BeamConnection      *connection,
                                                     BeamEtsWindowOpened *opened);
const char       *beam_ets_row_window_get_name      (BeamEtsRowWindow    *self);
const char       *beam_ets_row_window_get_kind      (BeamEtsRowWindow    *self);
const char       *beam_ets_row_window_get_protection (BeamEtsRowWindow   *self);
gint64            beam_ets_row_window_get_keypos    (BeamEtsRowWindow    *self);
/* The table's size as last read (it is the list's length). */
gint64            beam_ets_row_window_get_size      (BeamEtsRowWindow    *self);
/* The arity of the first chunk's rows when they are all tuples of one arity
 * (one column each, as observer shows them), else 0 (one column). */
guint             beam_ets_row_window_get_columns   (BeamEtsRowWindow    *self);
gboolean          beam_ets_row_window_get_deleted   (BeamEtsRowWindow    *self);
/* The last fetch's error, or NULL. */
const char       *beam_ets_row_window_get_error     (BeamEtsRowWindow    *self);
/* Whether a chunk is on its way. */
gboolean          beam_ets_row_window_get_loading   (BeamEtsRowWindow    *self);
/* The table's id, to give the probe. */
const BeamTerm   *beam_ets_row_window_get_table     (BeamEtsRowWindow    *self);

/* Reads the table's size again (the list grows or shrinks at its end), and
 * fetches again what a failed fetch left empty. */
void              beam_ets_row_window_refresh       (BeamEtsRowWindow    *self);
/* Forgets every chunk read (after a change made to the table) and reads
 * the size again: the list is replaced, so a view asks again for what it
 * shows. */
void              beam_ets_row_window_reload        (BeamEtsRowWindow    *self);
/* The next (or previous) position from `from` whose fetched row prints with
 * `needle` in it (case-folded), or -1: a search of the rows fetched so far. */
gint64            beam_ets_row_window_find          (BeamEtsRowWindow    *self,
                                                     const char          *needle,
                                                     BeamSyntax           syntax,
                                                     gint64               from,
                                                     gboolean             forward);
/* Counts for tests and benchmarks: chunks fetched, and chunks held. */
guint             beam_ets_row_window_get_fetches   (BeamEtsRowWindow    *self);
guint             beam_ets_row_window_get_held      (BeamEtsRowWindow    *self);

G_END_DECLS
