/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "beam-page.h"

G_BEGIN_DECLS

#define BEAM_TYPE_PORTS_PAGE (beam_ports_page_get_type ())

G_DECLARE_FINAL_TYPE (BeamPortsPage, beam_ports_page, BEAM, PORTS_PAGE, BeamPage)

G_END_DECLS
