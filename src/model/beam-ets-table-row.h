/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "beam-ets-tables.h"

G_BEGIN_DECLS

/* One ETS table as a row of the Tables page. beam_ets_table_rows_update()
 * keeps a GListStore of them current in place, matched by table id, so a
 * selection survives refreshes. */

#define BEAM_TYPE_ETS_TABLE_ROW (beam_ets_table_row_get_type ())

G_DECLARE_FINAL_TYPE (BeamEtsTableRow, beam_ets_table_row, BEAM, ETS_TABLE_ROW, GObject)

const char *beam_ets_table_row_get_name   (BeamEtsTableRow *self);
const char *beam_ets_table_row_get_id     (BeamEtsTableRow *self);
const char *beam_ets_table_row_get_owner  (BeamEtsTableRow *self);
gboolean    beam_ets_table_row_get_system (BeamEtsTableRow *self);

/* Rows of tables gone are removed, new ones appended, the others updated. */
void        beam_ets_table_rows_update    (GListStore          *store,
                                           const BeamEtsTables *tables);

G_END_DECLS
