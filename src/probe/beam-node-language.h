/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "beam-connection.h"

G_BEGIN_DECLS

/* Whether a node runs Elixir ('Elixir.Kernel' is loaded), so that its terms
 * and names are shown in Elixir syntax by default. */

void     beam_node_language_async  (BeamConnection       *connection,
                                    GCancellable         *cancellable,
                                    GAsyncReadyCallback   callback,
                                    gpointer              user_data);
/* FALSE with `error` set if the node did not answer; else the answer in
 * `runs_elixir`. */
gboolean beam_node_language_finish (GAsyncResult         *result,
                                    gboolean             *runs_elixir,
                                    GError              **error);

G_END_DECLS
