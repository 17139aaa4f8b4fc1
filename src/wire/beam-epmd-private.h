/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "beam-epmd.h"

G_BEGIN_DECLS

/* For the tests and the fuzz targets: the entries of a whole NAMES reply (EPMD's 4-byte
 * port, then its text) as beam_epmd_names_at() reads them; NULL if it is too short or
 * not a list of names. */
GPtrArray *_beam_epmd_parse_names_reply (const guint8 *reply,
                                         gsize         len);

G_END_DECLS
