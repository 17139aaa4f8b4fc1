/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Where the cookie comes from: a cookie given outright, a file named by the
 * user, the environment's BEAMSCOPE_COOKIE, then as erl itself looks,
 * ~/.erlang.cookie and $XDG_CONFIG_HOME/erlang/.erlang.cookie. */

#define BEAM_COOKIE_ENV "BEAMSCOPE_COOKIE"

char       *beam_cookie_read_file      (const char  *path,
                                        GError     **error);
char       *beam_cookie_dup_default    (GError     **error);
char       *beam_cookie_dup_default_path (void);
/* Resolves --cookie / --cookie-file / BEAMSCOPE_COOKIE / the default, as the
 * GUI and CLI share it. */
char       *beam_cookie_resolve        (const char  *cookie,
                                        const char  *cookie_file,
                                        GError     **error);
/* The same, and where it looked, for a user to read, even when it failed:
 * "from --cookie-file /path", "from $BEAMSCOPE_COOKIE", ... `default_file`,
 * when not NULL nor empty, replaces erl's own file as the last resort (the
 * app's cookie-file setting). */
char       *beam_cookie_resolve_from   (const char  *cookie,
                                        const char  *cookie_file,
                                        const char  *default_file,
                                        char       **source,
                                        GError     **error);
/* Overwrites the value of every --cookie and -c in the process's own
 * arguments, which any user can read with ps: call it once they are parsed,
 * or copied for parsing. */
void        beam_cookie_scrub_argv     (int          argc,
                                        char       **argv);

G_END_DECLS
