/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "beam-load-sample.h"

G_BEGIN_DECLS

/* The sample's decoder, which runs on the network thread, open to tests that
 * feed it replies no real node sends: the list of the sample's calls'
 * answers, as lists:zipwith3/4 gives it. A BeamLoadSample. */
gpointer _beam_load_sample_decode (const BeamTerm  *reply,
                                   gpointer         user_data,
                                   GError         **error);
/* statistics(scheduler_wall_time) as sorted BeamWallTimes appended to
 * `wall`: ids 1..n_ids, each once, active never past total; undefined (the
 * flag off) appends none. FALSE for any other shape. */
gboolean _beam_load_sample_decode_wall (const BeamTerm *list,
                                        gint64          n_ids,
                                        GArray         *wall);

G_END_DECLS
