/* SPDX-License-Identifier: GPL-3.0-or-later */
/* GNOME's palette (blue, green, yellow, orange, red, purple, brown) in
 * shade 3, then 5 (darker), 2 (lighter) and 4: a node with 64 schedulers
 * still repeats a colour, but not before the 29th series, and neighbours in a
 * legend's order differ in hue. Shade 1 is left out: too pale on a light
 * background. Memory categories take fixed entries of it, so "processes" is
 * the same blue on the Load page's chart and the Memory page's bar. */

#define G_LOG_DOMAIN "beamscope-widgets"

#include "config.h"

#include "beam-palette.h"

static const char * const series_colors[] = {
  "#3584e4", "#33d17a", "#f6d32d", "#ff7800", "#e01b24", "#9141ac", "#986a44",
  "#1a5fb4", "#26a269", "#e5a50a", "#c64600", "#a51d2d", "#613583", "#63452c",
  "#62a0ea", "#57e389", "#f8e45c", "#ffa348", "#f66151", "#c061cb", "#b5835a",
  "#1c71d8", "#2ec27e", "#f5c211", "#e66100", "#c01c28", "#813d9c", "#865e3c",
};

static const char * const memory_colors[] = {
  [BEAM_MEMORY_TOTAL] = "#e01b24",
  [BEAM_MEMORY_PROCESSES] = "#3584e4",
  [BEAM_MEMORY_PROCESSES_USED] = "#62a0ea",
  [BEAM_MEMORY_SYSTEM] = "#986a44",
  [BEAM_MEMORY_ATOM] = "#f5c211",
  [BEAM_MEMORY_ATOM_USED] = "#f8e45c",
  [BEAM_MEMORY_BINARY] = "#e66100",
  [BEAM_MEMORY_CODE] = "#9141ac",
  [BEAM_MEMORY_ETS] = "#33d17a",
  [BEAM_MEMORY_OTHER_SYSTEM] = "#77767b",
};

void
beam_palette_get_series_color (guint    index,
                               GdkRGBA *color)
{
  gdk_rgba_parse (color, series_colors[index % G_N_ELEMENTS (series_colors)]);
}

void
beam_palette_get_memory_color (BeamMemoryCategory  category,
                               GdkRGBA            *color)
{
  g_return_if_fail ((guint) category < G_N_ELEMENTS (memory_colors));
  gdk_rgba_parse (color, memory_colors[category]);
}

GtkWidget *
beam_palette_swatch_new (const GdkRGBA *color)
{
  GtkWidget *swatch = gtk_drawing_area_new ();
  g_autofree char *color_text = gdk_rgba_to_string (color);
  g_autofree char *css = g_strdup_printf ("* { background-color: %s; border-radius: 3px; }",
                                          color_text);
  g_autoptr(GtkCssProvider) provider = gtk_css_provider_new ();

  gtk_css_provider_load_from_data (provider, css, -1);
  gtk_style_context_add_provider (gtk_widget_get_style_context (swatch),
                                  GTK_STYLE_PROVIDER (provider),
                                  GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  gtk_widget_set_size_request (swatch, 12, 12);
  gtk_widget_set_valign (swatch, GTK_ALIGN_CENTER);
  /* Decoration: the label beside it names what the colour stands for. */
  gtk_accessible_update_state (GTK_ACCESSIBLE (swatch), GTK_ACCESSIBLE_STATE_HIDDEN, TRUE, -1);
  return swatch;
}

void
beam_palette_lookup_named_color (GtkWidget  *widget,
                                 const char *name,
                                 const char *fallback,
                                 GdkRGBA    *color)
{
  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (name != NULL && fallback != NULL && color != NULL);

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS  /* GTK 4.10 deprecates named colours; 4.8 has no other way */
  if (!gtk_style_context_lookup_color (gtk_widget_get_style_context (widget), name, color))
    gdk_rgba_parse (color, fallback);
  G_GNUC_END_IGNORE_DEPRECATIONS
}
