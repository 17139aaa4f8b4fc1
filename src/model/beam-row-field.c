/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "beam-row-field.h"

void
beam_row_field_set_string (GObject     *row,
                           char       **field,
                           const char  *value,
                           GParamSpec  *pspec)
{
  if (g_strcmp0 (*field, value) == 0)
    return;
  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (row, pspec);
}

void
beam_row_field_set_int64 (GObject    *row,
                          gint64     *field,
                          gint64      value,
                          GParamSpec *pspec)
{
  if (*field == value)
    return;
  *field = value;
  g_object_notify_by_pspec (row, pspec);
}

void
beam_row_field_set_boolean (GObject    *row,
                            gboolean   *field,
                            gboolean    value,
                            GParamSpec *pspec)
{
  if (*field == value)
    return;
  *field = value;
  g_object_notify_by_pspec (row, pspec);
}
