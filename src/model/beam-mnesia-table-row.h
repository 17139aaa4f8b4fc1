/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "beam-mnesia-tables.h"

G_BEGIN_DECLS

/* One Mnesia table as a row of the Tables page's Mnesia section, its
 * figures and lists as the page shows them (storage as ram, disc or
 * disc_only; memory in bytes; replicas as "node (kind)").
 * beam_mnesia_table_rows_update() keeps a GListStore of them current in
 * place, matched by name, so a selection survives refreshes. */

#define BEAM_TYPE_MNESIA_TABLE_ROW (beam_mnesia_table_row_get_type ())

G_DECLARE_FINAL_TYPE (BeamMnesiaTableRow, beam_mnesia_table_row, BEAM, MNESIA_TABLE_ROW, GObject)

const char *beam_mnesia_table_row_get_name     (BeamMnesiaTableRow     *self);
/* ram, disc, disc_only, or NULL where the node holds no copy */
const char *beam_mnesia_table_row_get_storage  (BeamMnesiaTableRow     *self);
gint64      beam_mnesia_table_row_get_size     (BeamMnesiaTableRow     *self);
gint64      beam_mnesia_table_row_get_memory   (BeamMnesiaTableRow     *self);
const char *beam_mnesia_table_row_get_replicas (BeamMnesiaTableRow     *self);

/* Rows of tables gone are removed, new ones appended, the others updated. */
void        beam_mnesia_table_rows_update      (GListStore             *store,
                                                const BeamMnesiaTables *tables);

G_END_DECLS
