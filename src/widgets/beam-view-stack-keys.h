/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* The keys that move between the pages of a window's view stack, shared
 * by the main window's pages and the process window's tabs: Alt+1…9 shows
 * the number-th page as the switcher lists it (1-based; out of range does
 * nothing), Ctrl+Page Up/Down the page before or after, round the end as a
 * browser's tabs do (`step` -1 or 1). The accelerators are the
 * application's (win.show-page-number, win.previous-page, win.next-page). */
void beam_view_stack_show_number (AdwViewStack *stack,
                                  int           number);
void beam_view_stack_step        (AdwViewStack *stack,
                                  int           step);

G_END_DECLS
