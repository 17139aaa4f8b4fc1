/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "beam-term-printer.h"

G_BEGIN_DECLS

/* One position of a table window (BeamEtsRowWindow): empty until its chunk
 * arrives, then its row ("loaded" notifies), or the size of a row too big to
 * fetch. The row's term belongs to the window's chunk; the item only lends
 * it, and forgets it when the chunk is dropped. */

#define BEAM_TYPE_ETS_ROW_ITEM (beam_ets_row_item_get_type ())

G_DECLARE_FINAL_TYPE (BeamEtsRowItem, beam_ets_row_item, BEAM, ETS_ROW_ITEM, GObject)

/* Cells print at most this many characters; the row detail has the rest. */
#define BEAM_ETS_ROW_CELL_CHARS 200

gboolean        beam_ets_row_item_get_loaded        (BeamEtsRowItem *self);
guint           beam_ets_row_item_get_position      (BeamEtsRowItem *self);
/* The row, or NULL until it is loaded or when it is too big. */
const BeamTerm *beam_ets_row_item_get_term          (BeamEtsRowItem *self);
/* The row's external size when it was too big to fetch, else 0. */
gint64          beam_ets_row_item_get_too_big_bytes (BeamEtsRowItem *self);
/* One cell's text: element `column` (from 1) of a tuple row, or the whole row
 * for column 0; cut at BEAM_ETS_ROW_CELL_CHARS; "" until loaded. */
char           *beam_ets_row_item_dup_cell          (BeamEtsRowItem *self,
                                                     guint           column,
                                                     BeamSyntax      syntax);
/* A copy of the row as the one element of a new array (for a term view),
 * or NULL. */
GPtrArray      *beam_ets_row_item_dup_terms         (BeamEtsRowItem *self);

/* For the window that owns the rows. */
BeamEtsRowItem *beam_ets_row_item_new               (guint           position);
void            beam_ets_row_item_set_row           (BeamEtsRowItem *self,
                                                     const BeamTerm *term,
                                                     gint64          too_big_bytes);
void            beam_ets_row_item_forget            (BeamEtsRowItem *self);

G_END_DECLS
