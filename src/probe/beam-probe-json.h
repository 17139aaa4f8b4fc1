/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Members of the object a JsonBuilder is in, null for what is not known:
 * how the probes' _to_json functions write what may be missing. */
void beam_json_add_string_or_null (JsonBuilder *builder,
                                   const char  *member,
                                   const char  *value);
/* null when value < 0 */
void beam_json_add_count_or_null  (JsonBuilder *builder,
                                   const char  *member,
                                   gint64       value);

G_END_DECLS
