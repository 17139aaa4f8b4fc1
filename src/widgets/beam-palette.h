/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "beam-memory-category.h"

G_BEGIN_DECLS

/* The one palette of the app: a chart's n-th series, and the colour of each
 * memory category, the same on every page that shows one. */

void beam_palette_get_series_color (guint               index,
                                    GdkRGBA            *color);
void beam_palette_get_memory_color (BeamMemoryCategory  category,
                                    GdkRGBA            *color);
/* A small square of a colour, for legends. */
GtkWidget *beam_palette_swatch_new  (const GdkRGBA      *color);
/* A named colour of the theme (libadwaita's "accent_bg_color", style.css's
 * own), or `fallback` (CSS syntax) where the theme does not define it. For
 * widgets that draw with cairo. */
void beam_palette_lookup_named_color (GtkWidget          *widget,
                                      const char         *name,
                                      const char         *fallback,
                                      GdkRGBA            *color);

G_END_DECLS
