/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Tab and Shift+Tab leave `list` (GTK 4.8's list views move one row per
 * Tab). The shortcuts are in a controller named "beam-list-keys", which
 * the shortcuts test reads. */
void     beam_list_keys_attach         (GtkWidget      *list);

/* Typing in `where` (not in an entry) goes to `search`, which takes the
 * focus, as in Nautilus. */
void     beam_list_keys_type_to_search (GtkSearchEntry *search,
                                        GtkWidget      *where);

/* The first search entry shown inside `widget`, focused with its text
 * selected; FALSE when `widget` shows none. For Ctrl+F and `/`. */
gboolean beam_list_keys_focus_search   (GtkWidget      *widget);

/* `/` (and the keypad's) activates `action_name` on `window`, before the
 * lists see it (typing in a list filters), and only when the focus is not
 * in text, where `/` is a character; with `only_when_visible`, only while
 * that widget shows. The shortcut is in a controller named
 * "beam-slash-keys", which the shortcuts test reads. */
void     beam_list_keys_add_slash      (GtkWidget      *window,
                                        const char     *action_name,
                                        GtkWidget      *only_when_visible);

G_END_DECLS
