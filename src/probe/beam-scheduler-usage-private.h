/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "beam-scheduler-usage.h"

G_BEGIN_DECLS

/* The decoder, which runs on the network thread, open to tests that feed it
 * replies no real node sends: erl_eval's {value, {T0, T1, Schedulers,
 * DirtyCpu, DirtyIo}, Bindings}. A GArray of BeamSchedulerUsage, by id. */
gpointer _beam_scheduler_usage_decode (const BeamTerm  *reply,
                                       gpointer         user_data,
                                       GError         **error);

G_END_DECLS
