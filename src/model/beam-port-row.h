/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "beam-port-list.h"

G_BEGIN_DECLS

/* One port as a row of the Ports page, every field of the probe's BeamPort
 * as a property the page binds to (figures the node did not give are -1,
 * texts NULL), plus what the page sorts and shows: the number in its id
 * (#Port<0.12> sorts after #Port<0.9>), its owner as a name or a pid, and its
 * links and monitors as counts and as lines. beam_port_rows_update() keeps a
 * GListStore of them current in place, matched by id, so a selection
 * survives refreshes. */

#define BEAM_TYPE_PORT_ROW (beam_port_row_get_type ())

G_DECLARE_FINAL_TYPE (BeamPortRow, beam_port_row, BEAM, PORT_ROW, GObject)

const char *beam_port_row_get_id          (BeamPortRow        *self);
const char *beam_port_row_get_name        (BeamPortRow        *self);
/* The owner's pid, printed, or NULL */
const char *beam_port_row_get_connected   (BeamPortRow        *self);
/* Its registered name, else its pid */
const char *beam_port_row_get_owner_label (BeamPortRow        *self);
const char *beam_port_row_get_local       (BeamPortRow        *self);
const char *beam_port_row_get_remote      (BeamPortRow        *self);
gint64      beam_port_row_get_os_pid      (BeamPortRow        *self);
gint64      beam_port_row_get_memory      (BeamPortRow        *self);

/* Whether the id, name, registered name, owner (pid or name) or an address
 * holds `folded` (a g_utf8_casefold()ed text): the page's filter. */
gboolean    beam_port_row_matches         (BeamPortRow        *self,
                                           const char         *folded);

/* Rows of ports gone are removed, new ones appended, the others updated. */
void        beam_port_rows_update         (GListStore         *store,
                                           const BeamPortList *list);

G_END_DECLS
