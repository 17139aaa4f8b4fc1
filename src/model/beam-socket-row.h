/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "beam-port-list.h"

G_BEGIN_DECLS

/* One socket of the `socket` module as a row of the Ports page's Sockets
 * list, every field of the probe's BeamSocket as a property (counters the
 * node did not give are -1, texts NULL), and its owner as a name or a pid.
 * beam_socket_rows_update() keeps a GListStore of them current in place,
 * matched by id. */

#define BEAM_TYPE_SOCKET_ROW (beam_socket_row_get_type ())

G_DECLARE_FINAL_TYPE (BeamSocketRow, beam_socket_row, BEAM, SOCKET_ROW, GObject)

const char *beam_socket_row_get_id          (BeamSocketRow      *self);
const char *beam_socket_row_get_owner       (BeamSocketRow      *self);
const char *beam_socket_row_get_owner_label (BeamSocketRow      *self);
const char *beam_socket_row_get_protocol    (BeamSocketRow      *self);
const char *beam_socket_row_get_local       (BeamSocketRow      *self);

/* Whether the id, owner (pid or name), protocol or an address holds
 * `folded` (a g_utf8_casefold()ed text): the page's filter. */
gboolean    beam_socket_row_matches         (BeamSocketRow      *self,
                                             const char         *folded);

void        beam_socket_rows_update         (GListStore         *store,
                                             const BeamPortList *list);

G_END_DECLS
