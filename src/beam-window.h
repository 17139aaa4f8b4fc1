/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "beam-node.h"

G_BEGIN_DECLS

#define BEAM_TYPE_WINDOW (beam_window_get_type ())

G_DECLARE_FINAL_TYPE (BeamWindow, beam_window, BEAM, WINDOW, AdwApplicationWindow)

BeamWindow *beam_window_new          (AdwApplication *application,
                                      gboolean        read_only);
/* Connects, then shows `page` ("system", or NULL for the default). */
void        beam_window_connect      (BeamWindow     *self,
                                      const char     *node,
                                      const char     *cookie,
                                      const char     *page);
/* What the command line asks for: the cookie from --cookie, --cookie-file,
 * BEAMSCOPE_COOKIE or erl's file (shown on the connect screen with where it
 * came from), then, if `node` is given, a connection to it. A cookie that
 * cannot be read is shown there too, the node filled in, and returned. */
gboolean    beam_window_launch       (BeamWindow     *self,
                                      const char     *node,
                                      const char     *cookie,
                                      const char     *cookie_file,
                                      const char     *page,
                                      GError        **error);
void        beam_window_disconnect   (BeamWindow     *self);
/* Leaves the window's size, whether it is maximized, and the page it shows
 * in GSettings, for the next window: when it closes, or the app quits. */
void        beam_window_save_state   (BeamWindow     *self);
BeamNode   *beam_window_get_node     (BeamWindow     *self);
/* Whether the view stack has a page of that name ("system", "load"…), and
 * all their names, comma-separated, for messages. */
gboolean    beam_window_has_page     (BeamWindow     *self,
                                      const char     *name);
char       *beam_window_dup_page_names (BeamWindow   *self);

G_END_DECLS
