/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "beam-node.h"

G_BEGIN_DECLS

#define BEAM_TYPE_SYSTEM_PAGE (beam_system_page_get_type ())

G_DECLARE_FINAL_TYPE (BeamSystemPage, beam_system_page, BEAM, SYSTEM_PAGE, AdwBin)

GtkWidget  *beam_system_page_new            (void);
BeamNode   *beam_system_page_get_node       (BeamSystemPage *self);
void        beam_system_page_set_node       (BeamSystemPage *self,
                                             BeamNode       *node);
void        beam_system_page_refresh        (BeamSystemPage *self);
/* Seconds between refreshes while the page is on screen. */
void        beam_system_page_set_interval   (BeamSystemPage *self,
                                             guint           seconds);

/* For tests: the text shown for a field (named as in `beamscope-cli info
 * --json`), or NULL; and how many refreshes have landed. */
char       *beam_system_page_dup_field_text (BeamSystemPage *self,
                                             const char     *field);
GStrv       beam_system_page_list_fields    (BeamSystemPage *self);
guint       beam_system_page_get_generation (BeamSystemPage *self);

G_END_DECLS
