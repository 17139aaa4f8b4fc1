/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* A small line of a series of values, oldest on the left, scaled between
 * their least and their greatest: a row's trend at a glance. It takes the
 * CSS colour of the widget, so a style class (`warning`) colours it. */

#define BEAM_TYPE_SPARKLINE (beam_sparkline_get_type ())

G_DECLARE_FINAL_TYPE (BeamSparkline, beam_sparkline, BEAM, SPARKLINE, GtkWidget)

GtkWidget *beam_sparkline_new        (void);
/* The values, a GVariant of type "ax", or NULL for none. */
GVariant  *beam_sparkline_get_values (BeamSparkline *self);
void       beam_sparkline_set_values (BeamSparkline *self,
                                      GVariant      *values);

G_END_DECLS
