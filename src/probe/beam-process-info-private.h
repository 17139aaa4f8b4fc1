/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "beam-process-info.h"

G_BEGIN_DECLS

/* The decoders, which run on the network thread, open to tests that feed
 * them replies no real node would send. `reply` is erl_eval's {value, Value,
 * Bindings}; `node` is the node asked, whose pids print as <0.N.S>. */

BeamProcessInfo    *_beam_process_info_decode    (const BeamTerm  *reply,
                                                  const char      *who,
                                                  const char      *node,
                                                  GError         **error);
/* The messages, or with `dictionary` the dictionary's {Key, Value} pairs. */
BeamProcessEntries *_beam_process_entries_decode (const BeamTerm  *reply,
                                                  const char      *who,
                                                  gboolean         dictionary,
                                                  GError         **error);

BeamProcessStatistics *_beam_process_statistics_decode (const BeamTerm  *reply,
                                                        const char      *who,
                                                        GError         **error);

/* The programs (beam-process-info-programs.c): erl_eval:exprs/2's
 * arguments, for the process `who` names. */
BeamTerm           *_beam_process_info_program   (const char            *who);
BeamTerm           *_beam_process_sys_program    (const char            *who,
                                                  BeamProcessSysRequest  request,
                                                  guint                  timeout_ms);
BeamTerm           *_beam_process_action_program (const char            *who,
                                                  BeamProcessAction      action,
                                                  const char            *reason);
BeamTerm           *_beam_process_collect_program (const char *who);
BeamTerm           *_beam_process_sample_program  (const char *who);
BeamTerm           *_beam_process_atom_program    (const char *text);
/* `item`: "messages" or "dictionary". */
BeamTerm           *_beam_process_item_program   (const char            *who,
                                                  const char            *item,
                                                  guint                  limit);

G_END_DECLS
