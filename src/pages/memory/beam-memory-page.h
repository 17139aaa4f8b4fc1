/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "beam-page.h"

G_BEGIN_DECLS

#define BEAM_TYPE_MEMORY_PAGE (beam_memory_page_get_type ())

G_DECLARE_FINAL_TYPE (BeamMemoryPage, beam_memory_page, BEAM, MEMORY_PAGE, BeamPage)

G_END_DECLS
