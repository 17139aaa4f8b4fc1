/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "beam-node.h"

G_BEGIN_DECLS

#define BEAM_TYPE_LOAD_PAGE (beam_load_page_get_type ())

G_DECLARE_FINAL_TYPE (BeamLoadPage, beam_load_page, BEAM, LOAD_PAGE, AdwBin)

void  beam_load_page_set_node      (BeamLoadPage *self,
                                    BeamNode     *node);
/* For tests: samples charted so far, and the chart of scheduler usage's
 * busiest normal scheduler in the last sample. */
guint  beam_load_page_get_samples   (BeamLoadPage *self);
double beam_load_page_get_busiest   (BeamLoadPage *self);

G_END_DECLS
