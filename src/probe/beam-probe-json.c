/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "beam-probe-json.h"

void
beam_json_add_string_or_null (JsonBuilder *builder,
                              const char  *member,
                              const char  *value)
{
  json_builder_set_member_name (builder, member);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

void
beam_json_add_count_or_null (JsonBuilder *builder,
                             const char  *member,
                             gint64       value)
{
  json_builder_set_member_name (builder, member);
  if (value >= 0)
    json_builder_add_int_value (builder, value);
  else
    json_builder_add_null_value (builder);
}
