/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* The narrow layout of a window with a view stack: `bar`, at the bottom,
 * shows whenever the header's `title` has no room for its switcher. Use in
 * place of binding the bar's `reveal` to the title's `title-visible`. */
void beam_switcher_bar_follow_title (AdwViewSwitcherBar   *bar,
                                     AdwViewSwitcherTitle *title);

G_END_DECLS
