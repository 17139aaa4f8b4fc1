/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* The values of the color-scheme setting (the schema's ColorScheme enum). */
typedef enum
{
  BEAM_COLOR_SCHEME_DEFAULT,
  BEAM_COLOR_SCHEME_LIGHT,
  BEAM_COLOR_SCHEME_DARK,
} BeamColorScheme;

#define BEAM_TYPE_PREFERENCES_WINDOW (beam_preferences_window_get_type ())

G_DECLARE_FINAL_TYPE (BeamPreferencesWindow, beam_preferences_window, BEAM, PREFERENCES_WINDOW,
                      AdwPreferencesWindow)

BeamPreferencesWindow *beam_preferences_window_new     (void);
/* For tests: the row that sets `key`, or NULL. Its editing widget is the
 * row's activatable widget (a spin button or a switch), or the row itself
 * for a combo row. */
AdwPreferencesRow     *beam_preferences_window_get_row (BeamPreferencesWindow *self,
                                                        const char            *key);

G_END_DECLS
