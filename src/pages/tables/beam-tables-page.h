/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "beam-page.h"

G_BEGIN_DECLS

#define BEAM_TYPE_TABLES_PAGE (beam_tables_page_get_type ())

G_DECLARE_FINAL_TYPE (BeamTablesPage, beam_tables_page, BEAM, TABLES_PAGE, BeamPage)

G_END_DECLS
