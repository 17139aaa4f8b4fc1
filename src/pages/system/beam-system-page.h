/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "beam-page.h"

G_BEGIN_DECLS

#define BEAM_TYPE_SYSTEM_PAGE (beam_system_page_get_type ())

G_DECLARE_FINAL_TYPE (BeamSystemPage, beam_system_page, BEAM, SYSTEM_PAGE, BeamPage)

/* For tests: the text shown for a field (named as in `beamscope-cli info
 * --json`), or NULL; and every field's name. */
char       *beam_system_page_dup_field_text (BeamSystemPage *self,
                                             const char     *field);
GStrv       beam_system_page_list_fields    (BeamSystemPage *self);

G_END_DECLS
