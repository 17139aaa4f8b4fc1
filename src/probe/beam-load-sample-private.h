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

G_END_DECLS
