/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "beam-node.h"
#include "beam-trace-view.h"
#include "beam-trace.h"

G_BEGIN_DECLS

/* One trace of calls or messages in a window of its own (several may be
 * open): a form for the spec (function, arguments or match spec, return
 * values, processes; or the processes whose messages; always a limit), Start
 * and Stop, and the events as they come. Closing the window stops the trace;
 * the node cleans up whatever happens to Beamscope. */

#define BEAM_TYPE_TRACE_WINDOW (beam_trace_window_get_type ())

G_DECLARE_FINAL_TYPE (BeamTraceWindow, beam_trace_window, BEAM, TRACE_WINDOW, AdwWindow)

/* `kind`: BEAM_TRACE_CALLS or BEAM_TRACE_MESSAGES; `who` (may be NULL): the
 * process the form starts with (a pid or a registered name). */
BeamTraceWindow  *beam_trace_window_new          (BeamNode        *node,
                                                  BeamTraceKind    kind,
                                                  const char      *who);
/* What win.trace and the process window's Trace actions do: a new window
 * in `from`'s application. */
BeamTraceWindow  *beam_trace_window_open         (GtkWindow       *from,
                                                  BeamNode        *node,
                                                  BeamTraceKind    kind,
                                                  const char      *who);
/* What the form holds, as a user would type it (for tests and callers that
 * prefill it): NULL leaves a field as it is. */
void              beam_trace_window_set_form     (BeamTraceWindow *self,
                                                  const char      *function,
                                                  const char      *match,
                                                  gboolean         return_trace,
                                                  guint            count);
/* The limit as a rate (events per ms) and the duration (whole seconds). */
void              beam_trace_window_set_rate     (BeamTraceWindow *self,
                                                  guint            events,
                                                  guint            ms,
                                                  guint            duration_ms);
/* The same for messages: the form's Messages face, its processes. */
void              beam_trace_window_set_messages (BeamTraceWindow *self,
                                                  const char      *targets,
                                                  guint            count);
/* Start (Ctrl+Return): FALSE, with the form's error shown, if the spec is
 * refused before it reaches the node. */
gboolean          beam_trace_window_start        (BeamTraceWindow *self);
void              beam_trace_window_stop         (BeamTraceWindow *self);
BeamTraceView    *beam_trace_window_get_view     (BeamTraceWindow *self);
BeamTraceSession *beam_trace_window_get_session  (BeamTraceWindow *self);
/* The form's error line, or NULL while it shows none. */
const char       *beam_trace_window_get_error    (BeamTraceWindow *self);

G_END_DECLS
