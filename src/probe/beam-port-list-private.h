/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "beam-port-list.h"

G_BEGIN_DECLS

/* For the tests and the fuzz targets: erl_eval's reply to ports.exprs
 * ({value, Answer, Bindings}), read as beam_port_list_finish would give
 * it; NULL with the error the fetch would give when it cannot be read. */
BeamPortList *_beam_port_list_decode (const BeamTerm  *reply,
                                      GError         **error);

G_END_DECLS
