/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "beam-node.h"
#include "beam-trace-view.h"

G_BEGIN_DECLS

/* One process, in a window of its own (several may be open): Info,
 * Messages, Dictionary, Stack trace, State, Trace (sys's events, for an OTP
 * process); actions that change it. */

#define BEAM_TYPE_PROCESS_WINDOW (beam_process_window_get_type ())

G_DECLARE_FINAL_TYPE (BeamProcessWindow, beam_process_window, BEAM, PROCESS_WINDOW, AdwWindow)

/* `who`: "<0.123.0>" or a registered name. */
BeamProcessWindow *beam_process_window_new          (BeamNode          *node,
                                                     const char        *who);
/* What win.open-process does, wherever it is: a new window of its own,
 * in `from`'s application. */
void               beam_process_window_open         (GtkWindow         *from,
                                                     BeamNode          *node,
                                                     const char        *who);
void               beam_process_window_refresh      (BeamProcessWindow *self);
/* For tests: how many answers the window has shown, and its texts. */
guint              beam_process_window_get_loads    (BeamProcessWindow *self);
char              *beam_process_window_dup_field    (BeamProcessWindow *self,
                                                     const char        *item);
char              *beam_process_window_dup_state    (BeamProcessWindow *self);
const char        *beam_process_window_get_error    (BeamProcessWindow *self);
void               beam_process_window_show_page    (BeamProcessWindow *self,
                                                     const char        *page);
/* What the Load button does on the Messages page; and what the page says. */
void               beam_process_window_load_messages (BeamProcessWindow *self);
const char        *beam_process_window_get_messages_text (BeamProcessWindow *self);
/* For tests: the last toast's text; answers counted per lazy page; trend
 * samples taken; which face the Messages page shows ("empty", "list");
 * whether the suspended banner shows; the statistics table as
 * "name\tvalue\n" lines (NULL while it is hidden) and the "off" hint. */
const char        *beam_process_window_get_last_toast        (BeamProcessWindow *self);
guint              beam_process_window_get_messages_loads    (BeamProcessWindow *self);
guint              beam_process_window_get_statistics_loads  (BeamProcessWindow *self);
guint              beam_process_window_get_samples           (BeamProcessWindow *self);
/* Seconds between the trends' samples now (the process-sample-interval setting). */
guint              beam_process_window_get_sample_interval   (BeamProcessWindow *self);
const char        *beam_process_window_get_messages_face     (BeamProcessWindow *self);
gboolean           beam_process_window_get_suspended_shown   (BeamProcessWindow *self);
char              *beam_process_window_dup_statistics        (BeamProcessWindow *self);
gboolean           beam_process_window_get_statistics_off_shown (BeamProcessWindow *self);
gboolean           beam_process_window_get_statistics_enable_shown (BeamProcessWindow *self);
/* For tests: the Trace tab's face ("unknown", "not-otp", "trace"), its
 * switch, its list, its session, what it says, and sys:log's answers. */
const char        *beam_process_window_get_trace_face        (BeamProcessWindow *self);
void               beam_process_window_set_sys_trace         (BeamProcessWindow *self,
                                                              gboolean           on);
BeamTraceView     *beam_process_window_get_trace_view        (BeamProcessWindow *self);
BeamTraceSession  *beam_process_window_get_trace_session     (BeamProcessWindow *self);
const char        *beam_process_window_get_trace_note        (BeamProcessWindow *self);
void               beam_process_window_show_sys_log          (BeamProcessWindow *self);
guint              beam_process_window_get_sys_log_loads     (BeamProcessWindow *self);

G_END_DECLS
