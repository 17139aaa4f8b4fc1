/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "beam-cookie.h"

G_BEGIN_DECLS

/* For the tests and the fuzz targets: the cookie in a cookie file's `len` bytes, as
 * beam_cookie_read_file() reads it once the file passed its checks. */
char *_beam_cookie_parse (const char  *contents,
                          gsize        len,
                          const char  *path,
                          GError     **error);

G_END_DECLS
