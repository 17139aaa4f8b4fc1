/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "beam-load-page.h"

G_BEGIN_DECLS

/* For tests: samples charted so far, and the busiest normal scheduler's
 * usage in the last one. */
guint  beam_load_page_get_samples   (BeamLoadPage *self);
double beam_load_page_get_busiest   (BeamLoadPage *self);

G_END_DECLS
