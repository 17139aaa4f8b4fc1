/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Where the cookie comes from, in the order erl itself looks: a cookie given
 * outright, a file named by the user, then ~/.erlang.cookie and
 * $XDG_CONFIG_HOME/erlang/.erlang.cookie. */

char       *beam_cookie_read_file      (const char  *path,
                                        GError     **error);
char       *beam_cookie_dup_default    (GError     **error);
char       *beam_cookie_dup_default_path (void);
/* Resolves --cookie / --cookie-file / the default, as the GUI and CLI share it. */
char       *beam_cookie_resolve        (const char  *cookie,
                                        const char  *cookie_file,
                                        GError     **error);

G_END_DECLS
