/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "beam-trace.h"

G_BEGIN_DECLS

/* The events a Trace window shows: a GListModel of BeamTraceEntry, oldest
 * first, bounded by a budget of events (the oldest go first, and are
 * counted), with a pause (events that come meanwhile are counted, not kept)
 * and a text filter. Appends come in batches and change the model once per
 * batch, so a list bound to it does one update per frame at any rate. */

#define BEAM_TRACE_LOG_DEFAULT_BUDGET 100000

#define BEAM_TYPE_TRACE_ENTRY (beam_trace_entry_get_type ())

G_DECLARE_FINAL_TYPE (BeamTraceEntry, beam_trace_entry, BEAM, TRACE_ENTRY, GObject)

const BeamTraceEvent *beam_trace_entry_get_event   (BeamTraceEntry *self);
/* 1 for the first event the log ever kept: stays with the entry. */
guint64               beam_trace_entry_get_number  (BeamTraceEntry *self);
/* "13:05:11.148300", local time of the node's clock */
const char           *beam_trace_entry_get_time    (BeamTraceEntry *self);
/* The registered name, else the pid. */
const char           *beam_trace_entry_get_process (BeamTraceEntry *self);
/* The term printed in `syntax` on one line, at most 300 bytes (cached). */
const char           *beam_trace_entry_get_summary (BeamTraceEntry *self,
                                                    BeamSyntax      syntax);
/* Does the filter text occur (case-insensitively) in its process, pid, kind,
 * MFA or summary? */
gboolean              beam_trace_entry_matches     (BeamTraceEntry *self,
                                                    const char     *casefolded_text,
                                                    BeamSyntax      syntax);

#define BEAM_TYPE_TRACE_LOG (beam_trace_log_get_type ())

G_DECLARE_FINAL_TYPE (BeamTraceLog, beam_trace_log, BEAM, TRACE_LOG, GObject)

/* Properties: "budget" (guint), "paused" (gboolean), "n-dropped" (guint64,
 * dropped for the budget), "n-missed" (guint64, came while paused),
 * "n-total" (guint64, ever appended, kept or not). */
BeamTraceLog *beam_trace_log_new          (guint           budget);
void          beam_trace_log_set_budget   (BeamTraceLog   *self,
                                           guint           budget);
guint         beam_trace_log_get_budget   (BeamTraceLog   *self);
/* Appends the batch (BeamTraceEvent *, reffed) unless paused. */
void          beam_trace_log_append       (BeamTraceLog   *self,
                                           GPtrArray      *events);
void          beam_trace_log_set_paused   (BeamTraceLog   *self,
                                           gboolean        paused);
gboolean      beam_trace_log_get_paused   (BeamTraceLog   *self);
guint64       beam_trace_log_get_n_dropped (BeamTraceLog  *self);
guint64       beam_trace_log_get_n_missed (BeamTraceLog   *self);
guint64       beam_trace_log_get_n_total  (BeamTraceLog   *self);
/* Empties the log; the counters start again. */
void          beam_trace_log_clear        (BeamTraceLog   *self);
/* Every kept event as text, one beam_trace_event_to_line() per line, after
 * a header line of `title` ("# " first) if not NULL. */
GBytes       *beam_trace_log_to_text      (BeamTraceLog   *self,
                                           const char     *title,
                                           BeamSyntax      syntax);

G_END_DECLS
