/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "beam-page.h"

G_BEGIN_DECLS

#define BEAM_TYPE_APPLICATIONS_PAGE (beam_applications_page_get_type ())

G_DECLARE_FINAL_TYPE (BeamApplicationsPage, beam_applications_page, BEAM, APPLICATIONS_PAGE,
                      BeamPage)

G_END_DECLS
