/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TEMPORARY, test-trace-calls only: the events' constructor until
 * src/probe/beam-trace-event.c lands on main; dropped at that merge. */

#include "beam-trace-private.h"

BeamTraceEvent *
beam_trace_event_new (BeamTraceEventKind kind)
{
  BeamTraceEvent *event = g_new0 (BeamTraceEvent, 1);

  event->kind = kind;
  event->ref_count = 1;
  return event;
}

BeamTraceEvent *
beam_trace_event_ref (BeamTraceEvent *event)
{
  g_atomic_int_inc (&event->ref_count);
  return event;
}

void
beam_trace_event_unref (BeamTraceEvent *event)
{
  if (event == NULL || !g_atomic_int_dec_and_test (&event->ref_count))
    return;
  g_free (event->pid);
  g_free (event->name);
  g_free (event->mfa);
  g_free (event->text);
  g_clear_pointer (&event->term, beam_term_free);
  g_clear_pointer (&event->peer, beam_term_free);
  g_free (event);
}

/* The sys helper's, until beam-trace-sys.c lands: test-trace-calls only
 * runs call and message sessions. */
BeamTerm *
_beam_trace_sys_program (const BeamTraceSpec  *spec,
                         GError              **error)
{
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "no sys traces here");
  return NULL;
}

BeamTraceEvent *
_beam_trace_event_from_sys (const BeamTerm       *entry,
                            const BeamTraceClock *clock)
{
  return NULL;
}
