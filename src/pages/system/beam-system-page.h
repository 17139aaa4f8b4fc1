/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "beam-page.h"

G_BEGIN_DECLS

#define BEAM_TYPE_SYSTEM_PAGE (beam_system_page_get_type ())

G_DECLARE_FINAL_TYPE (BeamSystemPage, beam_system_page, BEAM, SYSTEM_PAGE, BeamPage)

G_END_DECLS
