/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "beam-window.h"

G_BEGIN_DECLS

/* For tests and benchmarks: the window's screens, and its error line. */
GtkWidget  *beam_window_get_connect_page (BeamWindow *self);
GtkWidget  *beam_window_get_page     (BeamWindow     *self,
                                      const char     *name);
void        beam_window_show_page    (BeamWindow     *self,
                                      const char     *name);
/* The header's Nodes menu, for tests. */
GtkMenuButton *beam_window_get_nodes_button (BeamWindow *self);
/* The connect screen's error line, for tests; NULL when none. */
const char *beam_window_get_error    (BeamWindow     *self);

G_END_DECLS
