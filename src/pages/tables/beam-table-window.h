/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "beam-node.h"

G_BEGIN_DECLS

/* One ETS table's rows in a window of its own (several may be open): a
 * list as long as the table of which only what is looked at is fetched,
 * one column per element of uniform tuples, the selected row as a term
 * tree, and a search of the rows read so far. */

#define BEAM_TYPE_TABLE_WINDOW (beam_table_window_get_type ())

G_DECLARE_FINAL_TYPE (BeamTableWindow, beam_table_window, BEAM, TABLE_WINDOW, AdwWindow)

/* `table`: a table's name or its id as Erlang prints it. */
BeamTableWindow *beam_table_window_new          (BeamNode        *node,
                                                 const char      *table);
/* What win.open-table does: a new window in `from`'s application. */
void             beam_table_window_open         (GtkWindow       *from,
                                                 BeamNode        *node,
                                                 const char      *table);
/* For tests: the rows (a BeamEtsRowWindow, or NULL until open), what the
 * window says (error page, notice), and the selected row's text. */
GListModel      *beam_table_window_get_rows     (BeamTableWindow *self);
const char      *beam_table_window_get_state    (BeamTableWindow *self);
char            *beam_table_window_dup_message  (BeamTableWindow *self);
char            *beam_table_window_dup_selected (BeamTableWindow *self);
void             beam_table_window_scroll_to    (BeamTableWindow *self,
                                                 guint            position);
/* What the query bar does: `kind` 0 key, 1 pattern, 2 match spec. Then the
 * rows found so far, and what the bar says. */
void             beam_table_window_query        (BeamTableWindow *self,
                                                 guint            kind,
                                                 const char      *text);
GListModel      *beam_table_window_get_results  (BeamTableWindow *self);
const char      *beam_table_window_get_query_message (BeamTableWindow *self);

G_END_DECLS
