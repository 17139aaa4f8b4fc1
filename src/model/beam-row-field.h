/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* Setting one field of a row object that views bind to: the property is
 * notified only when the value changed, so a refresh that brings the same
 * figures redraws nothing. */
void beam_row_field_set_string  (GObject     *row,
                                 char       **field,
                                 const char  *value,
                                 GParamSpec  *pspec);
void beam_row_field_set_int64   (GObject     *row,
                                 gint64      *field,
                                 gint64       value,
                                 GParamSpec  *pspec);
void beam_row_field_set_boolean (GObject     *row,
                                 gboolean    *field,
                                 gboolean     value,
                                 GParamSpec  *pspec);

G_END_DECLS
