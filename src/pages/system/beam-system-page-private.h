/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "beam-system-page.h"

G_BEGIN_DECLS

/* For tests: the text shown for a field (named as in `beamscope-cli info
 * --json`), or NULL; and every field's name. */
char       *beam_system_page_dup_field_text (BeamSystemPage *self,
                                             const char     *field);
GStrv       beam_system_page_list_fields    (BeamSystemPage *self);
/* The scrolled window around the groups: the content fits when its child's
 * natural height is within the scroller's height. */
GtkScrolledWindow *beam_system_page_get_scroller (BeamSystemPage *self);

G_END_DECLS
