/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "beam-process-list.h"

G_BEGIN_DECLS

/* For the tests and the fuzz targets: one slice message, as the network thread hands it
 * over (version byte first), decoded into `table`; FALSE with the error the fetch would
 * give when it cannot be read, and `table` as it was. */
gboolean _beam_process_list_decode_slice (BeamProcessTable  *table,
                                          const char        *buf,
                                          gsize              len,
                                          GError           **error);

G_END_DECLS
