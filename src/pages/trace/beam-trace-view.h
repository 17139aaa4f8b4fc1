/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "beam-node.h"
#include "beam-trace-log.h"
#include "beam-trace.h"

G_BEGIN_DECLS

/* A trace's events as they come: a list (time, process, kind, function,
 * term) over a BeamTraceLog, with a filter, Pause, Clear, Save as text, a
 * status line, and the activated event's term as a tree beside a button
 * that opens its process (win.open-process). The Trace window and the
 * process window's Trace tab both show one. */

#define BEAM_TYPE_TRACE_VIEW (beam_trace_view_get_type ())

G_DECLARE_FINAL_TYPE (BeamTraceView, beam_trace_view, BEAM, TRACE_VIEW, GtkWidget)

GtkWidget        *beam_trace_view_new              (void);
/* The node the events come from: its name makes its pids local, and its
 * syntax is the list's until set_syntax. */
void              beam_trace_view_set_node         (BeamTraceView    *self,
                                                    BeamNode         *node);
void              beam_trace_view_set_syntax       (BeamTraceView    *self,
                                                    BeamSyntax        syntax);
/* The session whose events the list shows from now on (NULL: none); the
 * events already shown stay until beam_trace_view_clear. */
void              beam_trace_view_set_session      (BeamTraceView    *self,
                                                    BeamTraceSession *session);
BeamTraceSession *beam_trace_view_get_session      (BeamTraceView    *self);
/* TRUE: one column of each event's line (sys's *DBG* line) in place of
 * process, kind, function and term, as the process window's Trace tab. */
void              beam_trace_view_set_show_lines   (BeamTraceView    *self,
                                                    gboolean          show_lines);
void              beam_trace_view_clear            (BeamTraceView    *self);
/* What Save… does with the file chosen (the status line says how it went). */
void              beam_trace_view_save             (BeamTraceView    *self,
                                                    GFile            *file);

/* For the windows and the tests: the log, the rows shown (filtered), the
 * status line, the filter, the details of an activated row, whether the
 * list follows the newest event. */
BeamTraceLog     *beam_trace_view_get_log          (BeamTraceView    *self);
GListModel       *beam_trace_view_get_shown        (BeamTraceView    *self);
const char       *beam_trace_view_get_status       (BeamTraceView    *self);
void              beam_trace_view_set_filter_text  (BeamTraceView    *self,
                                                    const char       *text);
void              beam_trace_view_activate         (BeamTraceView    *self,
                                                    guint             position);
char             *beam_trace_view_dup_details      (BeamTraceView    *self);
const char       *beam_trace_view_get_details_pid  (BeamTraceView    *self);
gboolean          beam_trace_view_get_following    (BeamTraceView    *self);
/* Events come but not in the log yet: held back a few frames while the list
 * makes its first rows (see on_events). */
guint             beam_trace_view_get_n_held       (BeamTraceView    *self);

G_END_DECLS
