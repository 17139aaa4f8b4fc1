/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "beam-page.h"

G_BEGIN_DECLS

#define BEAM_TYPE_LOAD_PAGE (beam_load_page_get_type ())

G_DECLARE_FINAL_TYPE (BeamLoadPage, beam_load_page, BEAM, LOAD_PAGE, BeamPage)

G_END_DECLS
