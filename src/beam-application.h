/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define BEAM_TYPE_APPLICATION (beam_application_get_type ())

G_DECLARE_FINAL_TYPE (BeamApplication, beam_application, BEAM, APPLICATION, AdwApplication)

BeamApplication *beam_application_new            (void);
void             beam_application_tune_allocator (void);
int              beam_application_get_exit_status (BeamApplication *self);

G_END_DECLS
