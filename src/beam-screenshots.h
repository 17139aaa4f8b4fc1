/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "beam-window.h"

G_BEGIN_DECLS

/* Shows every page of `window` in turn once it is connected, and saves each,
 * drawn with the node's data, as DIR/NN-PAGE.png (`beamscope --screenshots`,
 * for a machine without a display). The result is the paths saved, in page
 * order; an error if the window never connected or a page never drew. */
void    beam_screenshots_take_async  (BeamWindow           *window,
                                      const char           *dir,
                                      GCancellable         *cancellable,
                                      GAsyncReadyCallback   callback,
                                      gpointer              user_data);
GStrv   beam_screenshots_take_finish (GAsyncResult         *result,
                                      GError              **error);

G_END_DECLS
