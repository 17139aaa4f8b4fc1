/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "beam-trace.h"

G_BEGIN_DECLS

/* What the session (beam-trace-session.c) and the two kinds of programs
 * (beam-trace-calls.c for calls and messages, beam-trace-sys.c for sys)
 * agree on.
 *
 * A program's rex reply is only `ok` (or an error term): everything else
 * comes as stream messages from the watcher W, which links to our reply pid
 * first thing, so that its exit ends the stream (BeamCall.until_exit). The
 * messages, each a tuple tagged `beamscope_trace`:
 *
 *   {beamscope_trace, started, #{watcher => W, native_per_second => N,
 *                                time_offset => O, processes => P,
 *                                functions => F, behaviour => B}}
 *        first, if it started: time_offset is erlang:time_offset() and
 *        native_per_second erlang:convert_time_unit(1, second, native);
 *        processes and functions count what was traced (0 for sys);
 *        behaviour is sys's module, or undefined.
 *   {beamscope_trace, refused, Reason}
 *        first and last, if it did not start (nothing was touched).
 *   {beamscope_trace, events, [TraceMessage]}
 *        trace messages exactly as the VM made them, with the
 *        monotonic_timestamp flag: the timestamp is the last element.
 *   {beamscope_trace, sys, [{Monotonic, Event, Name, Text, Pid}]}
 *        Monotonic in native units, Name the server's sys name (an atom,
 *        a pid, {global, _} or {via, _, _}), Text the *DBG* line (a
 *        binary, UTF-8, final newline included as sys prints it), Pid the
 *        traced process (a registered Name does not give it).
 *        The sys started map has two more keys: pid (the traced process)
 *        and others (the keys of other sys debugging already on it:
 *        trace, log, statistics, ...; shown, left alone).
 *   {beamscope_trace, status, #{seen => S, sent => N, dropped => D}}
 *        at least once a second: the stream's heartbeat.
 *   {beamscope_trace, done, Reason, #{seen => S, sent => N, dropped => D}}
 *        last, after everything set was removed; then W exits.
 *
 * Reasons (refused): {no_process, Target}, {not_otp, Target},
 * {already_traced, Pid, By}, {pattern_taken, {M, F, A}}, new_taken,
 * {unknown_module, Bin}, {unknown_function, Bin}, {unknown_atom, match_spec},
 * bad_match_spec, {sys_timeout, Target}, or {error, Term}.
 * Reasons (done): {count, N}, {rate, N, Ms}, {overload, QueueLength},
 * duration, stopped, lease_expired, client_down, {target_down, Why}, cleared,
 * {tracer_exit, Why}.
 *
 * Our messages to W (by rpc erlang:send/2): `ping` every second (W ends with
 * lease_expired after 3 s without one) and `stop`. */

#define BEAM_TRACE_PING_INTERVAL_MS 1000
#define BEAM_TRACE_LEASE_MS         3000
/* Events per stream message, and the longest a partial batch waits. */
#define BEAM_TRACE_BATCH            200
#define BEAM_TRACE_FLUSH_MS         20
/* The tracer's mailbox beyond which it stops itself (overload). */
#define BEAM_TRACE_MAX_QUEUE        100000
/* The largest stream message read (BeamCall.max_reply_bytes). */
#define BEAM_TRACE_MAX_MESSAGE_BYTES (16 * 1024 * 1024)

/* The node's clock, from the started message: turns a monotonic timestamp
 * into os:system_time(microsecond). */
typedef struct
{
  gint64 native_per_second;
  gint64 time_offset;
} BeamTraceClock;

gint64          _beam_trace_clock_to_system_us (const BeamTraceClock *clock,
                                                gint64                monotonic_native);

/* The erl_eval call (beam_erl_source_args's arguments, for erl_eval:exprs/3)
 * that starts `spec` (validated) with our reply pid as the client. */
BeamTerm       *_beam_trace_calls_program     (const BeamTraceSpec  *spec,
                                               GError              **error);
BeamTerm       *_beam_trace_sys_program       (const BeamTraceSpec  *spec,
                                               GError              **error);

/* The N of a match variable's name ("$3"), or -1 for any other atom. A
 * spec's match variables go up to '$BEAM_TRACE_MAX_MATCH_VARIABLE': a fresh
 * node knows only '$1'..'$4', and the program makes these as ours. */
#define BEAM_TRACE_MAX_MATCH_VARIABLE 32
gint            _beam_trace_match_variable    (const char           *atom);

/* One trace message (as the VM made it) as an event, or NULL if it is not
 * one we can read: the session counts those and goes on. */
BeamTraceEvent *_beam_trace_event_from_trace  (const BeamTerm       *message,
                                               const BeamTraceClock *clock);
/* One {Monotonic, Event, Name, Text, Pid} of a sys batch as a SYS event, or NULL. */
BeamTraceEvent *_beam_trace_event_from_sys    (const BeamTerm       *entry,
                                               const BeamTraceClock *clock);

/* A refusal's reason as a sentence for a user ("<0.85.0> is already traced
 * by <0.90.0> (dbg?): Beamscope does not take over another tool's trace"). */
char           *_beam_trace_describe_refusal  (const BeamTerm       *reason);

G_END_DECLS
