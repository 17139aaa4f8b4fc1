/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "beam-page.h"

G_BEGIN_DECLS

#define BEAM_TYPE_DIAGNOSTICS_PAGE (beam_diagnostics_page_get_type ())

G_DECLARE_FINAL_TYPE (BeamDiagnosticsPage, beam_diagnostics_page, BEAM, DIAGNOSTICS_PAGE,
                      BeamPage)

G_END_DECLS
