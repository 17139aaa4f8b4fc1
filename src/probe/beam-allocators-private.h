/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "beam-allocators.h"

G_BEGIN_DECLS

/* The decoder, which runs on the network thread, open to tests that feed it
 * a reply built on a node: erl_eval's {value, {[{A, system_info({allocator,
 * A})}], memory(total), system_info({allocator, mseg_alloc})}, Bindings}.
 * A BeamAllocators. */
gpointer _beam_allocators_decode (const BeamTerm  *reply,
                                  gpointer         user_data,
                                  GError         **error);

G_END_DECLS
