/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "beam-process-table.h"

G_BEGIN_DECLS

/* The Processes page's list: a GListModel of positions over a flat process
 * table. Sorting and filtering run on a worker thread over the arrays; the
 * GTK thread only swaps the new order in. A row object stands for a
 * position, exists only while a widget shows it, and says "changed" when
 * what is at its position changed; items-changed is emitted only for rows
 * added or removed at the end, so a refresh of a million rows costs what the
 * rows on screen cost. */

#define BEAM_TYPE_PROCESS_ROW (beam_process_row_get_type ())

G_DECLARE_FINAL_TYPE (BeamProcessRow, beam_process_row, BEAM, PROCESS_ROW, GObject)

#define BEAM_TYPE_PROCESS_MODEL (beam_process_model_get_type ())

G_DECLARE_FINAL_TYPE (BeamProcessModel, beam_process_model, BEAM, PROCESS_MODEL, GObject)

guint                    beam_process_row_get_position      (BeamProcessRow    *row);
/* The record the row shows now, or NULL once the row is past the end. */
const BeamProcessRecord *beam_process_row_get_record        (BeamProcessRow    *row,
                                                             BeamProcessTable **out_table,
                                                             guint             *out_index);

BeamProcessModel        *beam_process_model_new             (void);
BeamProcessTable        *beam_process_model_get_table       (BeamProcessModel  *self);
/* Takes a new table (a refresh); the rows follow once it is sorted and filtered. */
void                     beam_process_model_set_table       (BeamProcessModel  *self,
                                                             BeamProcessTable  *table);
void                     beam_process_model_set_sort        (BeamProcessModel  *self,
                                                             BeamProcessColumn  column,
                                                             gboolean           descending);
void                     beam_process_model_set_filter      (BeamProcessModel  *self,
                                                             const char        *text);
/* The record shown at `position` now, or NULL past the end. */
const BeamProcessRecord *beam_process_model_get_record      (BeamProcessModel  *self,
                                                             guint              position,
                                                             BeamProcessTable **out_table,
                                                             guint             *out_index);
/* The positions (sorted) of the pids in `pids`, a set of
 * beam_process_model_pid_key()s: one pass over the order. */
GArray                  *beam_process_model_find_positions  (BeamProcessModel  *self,
                                                             GHashTable        *pids);
/* A pid as a key of such a set. */
gpointer                 beam_process_model_pid_key         (guint32            num,
                                                             guint32            serial);
/* The position of a pid in the current order, or -1. */
gint                     beam_process_model_find_pid        (BeamProcessModel  *self,
                                                             guint32            num,
                                                             guint32            serial);
/* TRUE while a sort or filter is being computed. */
gboolean                 beam_process_model_get_busy        (BeamProcessModel  *self);
/* How many orders have been swapped in, for tests. */
guint                    beam_process_model_get_generation  (BeamProcessModel  *self);

G_END_DECLS
