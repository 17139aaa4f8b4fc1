/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "beam-page.h"
#include "beam-process-model.h"

G_BEGIN_DECLS

#define BEAM_TYPE_PROCESSES_PAGE (beam_processes_page_get_type ())

G_DECLARE_FINAL_TYPE (BeamProcessesPage, beam_processes_page, BEAM, PROCESSES_PAGE, BeamPage)

G_END_DECLS
