/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "beam-chart.h"

G_BEGIN_DECLS

guint       beam_chart_get_n_samples      (BeamChart     *self);
/* What hovering at x shows (time, then each visible series' value), or
 * NULL before the first sample. */
char       *beam_chart_dup_readout        (BeamChart     *self,
                                           double         x);
/* Where the readout for the pointer at x is drawn, in the chart's
 * coordinates (always within it). After the first sample only. */
void        beam_chart_get_readout_box    (BeamChart       *self,
                                           double           x,
                                           graphene_rect_t *box);

/* As if the pointer were at x (< 0: gone), for screenshots. */
void        _beam_chart_set_hover         (BeamChart       *self,
                                           double           x);

/* For tests and benchmarks. The picture a frame would paint at that size,
 * drawn here and now: `whole` on a fresh tape, otherwise adding the new
 * samples to the chart's tape as the worker does. */
cairo_surface_t *beam_chart_render_now        (BeamChart *self,
                                               int        width,
                                               int        height,
                                               gboolean   whole);
/* How often the tape was drawn whole rather than a strip added. */
guint            beam_chart_get_whole_redraws (BeamChart *self);

G_END_DECLS
