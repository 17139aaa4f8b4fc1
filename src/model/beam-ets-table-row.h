/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "beam-ets-tables.h"

G_BEGIN_DECLS

/* One ETS table as a row of the Tables page. beam_ets_table_rows_update()
 * keeps a GListStore of them current in place, matched by table id, so a
 * selection survives refreshes.
 *
 * Each update is also a sample of the table's size and memory: a row keeps
 * the last BEAM_ETS_TABLE_ROW_HISTORY of them (`size-history`,
 * `memory-history`, GVariants of type "ax", oldest first, for sparklines)
 * and the change since its first sample (`size-change`, `memory-change`),
 * so a table that keeps growing stands out. A row is made when its table is
 * first seen, so a new store (a new node) starts a new history. */

#define BEAM_TYPE_ETS_TABLE_ROW (beam_ets_table_row_get_type ())

G_DECLARE_FINAL_TYPE (BeamEtsTableRow, beam_ets_table_row, BEAM, ETS_TABLE_ROW, GObject)

#define BEAM_ETS_TABLE_ROW_HISTORY 60

const char *beam_ets_table_row_get_name          (BeamEtsTableRow *self);
const char *beam_ets_table_row_get_id            (BeamEtsTableRow *self);
const char *beam_ets_table_row_get_owner         (BeamEtsTableRow *self);
gboolean    beam_ets_table_row_get_system        (BeamEtsTableRow *self);
/* Objects and bytes gained since the first sample (negative when it shrank). */
gint64      beam_ets_table_row_get_size_change   (BeamEtsTableRow *self);
gint64      beam_ets_table_row_get_memory_change (BeamEtsTableRow *self);
/* Samples kept, at most BEAM_ETS_TABLE_ROW_HISTORY. */
guint       beam_ets_table_row_get_n_samples     (BeamEtsTableRow *self);

/* Rows of tables gone are removed, new ones appended, the others updated. */
void        beam_ets_table_rows_update           (GListStore          *store,
                                                  const BeamEtsTables *tables);

G_END_DECLS
