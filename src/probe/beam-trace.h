/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "beam-connection.h"
#include "beam-term-printer.h"

G_BEGIN_DECLS

/* Tracing a node as recon_trace and sys:trace do, safely: a trace is a
 * session, one watcher process and one tracer (or sys forwarder) spawned on
 * the node by an erl_eval program (no code loaded, no dbg). The tracer
 * applies the limit itself, formats nothing but sys's *DBG* lines, and sends
 * events to our reply pid in batches; the watcher monitors our connection,
 * expects a ping every second, and on a limit, a stop, a lost connection or
 * a missed ping turns every flag and pattern it set back off, removes the
 * sys debug function, and exits. A process already traced by someone else
 * (observer, dbg, recon_trace) is refused, never taken over. */

typedef enum
{
  BEAM_TRACE_SYS,       /* sys:trace of one OTP process, its *DBG* events */
  BEAM_TRACE_CALLS,     /* recon_trace:calls: a function's calls, returns, exceptions */
  BEAM_TRACE_MESSAGES,  /* send and 'receive' of listed processes */
} BeamTraceKind;

/* Whose calls a call trace sees (messages and sys always name their processes). */
typedef enum
{
  BEAM_TRACE_PROCESSES_LISTED,  /* the spec's targets */
  BEAM_TRACE_PROCESSES_ALL,     /* every process, and those spawned while it runs */
  BEAM_TRACE_PROCESSES_NEW,     /* only processes spawned while it runs */
} BeamTraceProcesses;

/* What a user asks for. Text fields are as typed (UTF-8): the node looks
 * names up with *_to_existing_atom, so nothing here makes an atom there. */
typedef struct
{
  BeamTraceKind      kind;

  /* BEAM_TRACE_CALLS */
  char              *module;        /* required: no trace of every module's calls */
  char              *function;      /* NULL: any function of the module */
  gint               arity;         /* -1: any arity */
  BeamTerm          *match_spec;    /* NULL: any arguments. A match specification
                                     * [{Head, Guards, Body}], or an argument list
                                     * pattern ([1, '_']) made into one; travels
                                     * as binary_to_term(B, [safe]) */
  gboolean           return_trace;  /* also return values and exceptions (exception_trace) */
  BeamTraceProcesses processes;

  /* Processes, each a pid as printed ("<0.85.0>") or a registered name:
   * the one process of BEAM_TRACE_SYS, those of BEAM_TRACE_MESSAGES, and of
   * BEAM_TRACE_CALLS with BEAM_TRACE_PROCESSES_LISTED. char *, owned. */
  GPtrArray         *targets;

  /* BEAM_TRACE_MESSAGES: which directions (both when both are FALSE) */
  gboolean           send;
  gboolean           receive;

  /* The limit, always one, applied on the node: stop after `count` events,
   * or (count 0) when more than `rate_events` come within `rate_ms`, as
   * recon_trace's {Max, TimeMs}. */
  guint              count;
  guint              rate_events;
  guint              rate_ms;
  guint              duration_ms;   /* 0: until the limit or a stop */
} BeamTraceSpec;

#define BEAM_TRACE_DEFAULT_COUNT 100
/* No more than this many processes named in one spec. */
#define BEAM_TRACE_MAX_TARGETS   1000

BeamTraceSpec *beam_trace_spec_new            (BeamTraceKind         kind);
void           beam_trace_spec_free           (BeamTraceSpec        *spec);
BeamTraceSpec *beam_trace_spec_copy           (const BeamTraceSpec  *spec);
void           beam_trace_spec_add_target     (BeamTraceSpec        *spec,
                                               const char           *pid_or_name);
/* "mod", "mod:fun", "mod:fun/2" (Erlang) or "Mod.fun/2", ":mod.fun/2"
 * (Elixir, whose aliases become 'Elixir.Mod') into module, function, arity. */
gboolean       beam_trace_spec_set_function   (BeamTraceSpec        *spec,
                                               const char           *text,
                                               BeamSyntax            syntax,
                                               GError              **error);
/* A match specification or an argument pattern typed as a term; NULL or
 * blank text clears it. */
gboolean       beam_trace_spec_set_match      (BeamTraceSpec        *spec,
                                               const char           *text,
                                               BeamSyntax            syntax,
                                               GError              **error);
/* "N/MS" into rate_events and rate_ms (count set to 0). */
gboolean       beam_trace_spec_set_rate       (BeamTraceSpec        *spec,
                                               const char           *text,
                                               GError              **error);
/* Refuses, with a message a user can act on, what must never run: no
 * limit, a call trace without a module, recon_trace's banned modules (io,
 * lists, ...) for any function and arguments, no targets where some are
 * needed, more than BEAM_TRACE_MAX_TARGETS, a limit of zero. */
gboolean       beam_trace_spec_validate       (const BeamTraceSpec  *spec,
                                               GError              **error);
/* The spec as one line a user would type to the CLI (for a window's title
 * and the saved file's header): "calls lists:seq/2 --count 100". */
char          *beam_trace_spec_describe       (const BeamTraceSpec  *spec);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BeamTraceSpec, beam_trace_spec_free)

/* ------------------------------------------------------------------------ */
/* Events                                                                    */

typedef enum
{
  BEAM_TRACE_EVENT_CALL,            /* term: the argument list (or the arity's integer) */
  BEAM_TRACE_EVENT_RETURN_FROM,     /* term: the value returned */
  BEAM_TRACE_EVENT_EXCEPTION_FROM,  /* term: {Class, Reason} */
  BEAM_TRACE_EVENT_SEND,            /* term: the message; peer: to whom */
  BEAM_TRACE_EVENT_SEND_TO_NON_EXISTING,  /* the same, to a process that was gone */
  BEAM_TRACE_EVENT_RECEIVE,         /* term: the message */
  BEAM_TRACE_EVENT_SYS,             /* term: the sys debug event; text: its *DBG* line */
  BEAM_TRACE_EVENT_OTHER,           /* term: the whole trace message as it came */
} BeamTraceEventKind;

/* One event, immutable once delivered, reference counted: the session, a
 * log and a window row may all hold it. */
typedef struct
{
  gint64              time_us;   /* the node's os:system_time(microsecond) when it happened */
  BeamTraceEventKind  kind;
  char               *pid;       /* "<0.85.0>", as the node prints its own pids */
  char               *name;      /* its registered name when the event came, or NULL */
  char               *mfa;       /* "mod:fun/arity" of a call, return or exception; else NULL */
  BeamTerm           *term;      /* see the kinds; never NULL */
  BeamTerm           *peer;      /* SEND: the destination; else NULL */
  char               *text;      /* SYS: the *DBG* line as sys:trace prints it, no final
                                  * newline; else NULL */
  /* private */
  gint                ref_count;
} BeamTraceEvent;

BeamTraceEvent *beam_trace_event_new              (BeamTraceEventKind     kind);
BeamTraceEvent *beam_trace_event_ref              (BeamTraceEvent        *event);
void            beam_trace_event_unref            (BeamTraceEvent        *event);
const char     *beam_trace_event_kind_to_string   (BeamTraceEventKind     kind);  /* "call", ... */
/* The event as one line of text: SYS its *DBG* line; the others as
 * recon_trace prints them ("13:05:11.148300 <0.85.0> lists:seq(1, 3)",
 * "... lists:seq/2 --> [1,2,3]", "... <0.85.0>  > <0.86.0>: {ping}"),
 * the term in `syntax`, at most `max_bytes` (0: all) with a final "…". */
char           *beam_trace_event_to_line          (const BeamTraceEvent  *event,
                                                   BeamSyntax             syntax,
                                                   gsize                  max_bytes);
/* The event's term as the Trace window and the JSON print it: a call's
 * arguments one by one in brackets ([37], where io_lib would print the
 * list as the string "%"), any other term as it is. */
void            beam_trace_event_print_term       (const BeamTraceEvent  *event,
                                                   const BeamPrintOptions *options,
                                                   GString               *out);
/* The event as the CLI's JSON Lines object, one line, no newline:
 * {"time": ISO 8601 with µs, "pid", "name" (null), "kind", "mfa" (null),
 *  "term": the term printed in `syntax`}, plus "to" for sends and "text"
 * for sys events. */
char           *beam_trace_event_to_json          (const BeamTraceEvent  *event,
                                                   BeamSyntax             syntax);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BeamTraceEvent, beam_trace_event_unref)

/* ------------------------------------------------------------------------ */
/* A session                                                                 */

typedef enum
{
  BEAM_TRACE_STATE_IDLE,      /* not started */
  BEAM_TRACE_STATE_STARTING,  /* the program is setting up on the node */
  BEAM_TRACE_STATE_RUNNING,
  BEAM_TRACE_STATE_STOPPING,  /* asked to stop; the node is cleaning up */
  BEAM_TRACE_STATE_ENDED,     /* see get_end and get_error */
} BeamTraceState;

/* Why a session ended. */
typedef enum
{
  BEAM_TRACE_END_NONE,         /* has not ended */
  BEAM_TRACE_END_COUNT_LIMIT,  /* its count was reached */
  BEAM_TRACE_END_RATE_LIMIT,   /* more than rate_events within rate_ms */
  BEAM_TRACE_END_OVERLOAD,     /* the tracer fell too far behind and stopped itself */
  BEAM_TRACE_END_DURATION,     /* duration_ms passed */
  BEAM_TRACE_END_STOPPED,      /* beam_trace_session_stop() */
  BEAM_TRACE_END_TARGET_EXITED,/* the (sys) traced process exited */
  BEAM_TRACE_END_CLEARED,      /* another tool cleared our flags, patterns or debug function */
  BEAM_TRACE_END_REFUSED,      /* never started: the error says why (already traced, ...) */
  BEAM_TRACE_END_FAILED,       /* the connection was lost or the node stopped answering;
                                * the node cleans up by itself (the watcher's monitor
                                * or lease) */
} BeamTraceEnd;

typedef struct
{
  guint64 seen;       /* events the tracer took from the VM */
  guint64 received;   /* events that reached us */
  guint64 dropped;    /* events the node made for us that never came: shed at the
                       * limit or while the connection was busy, counted exactly */
  guint   processes;  /* processes traced when it started */
  guint   functions;  /* functions the call pattern matched */
} BeamTraceStats;

#define BEAM_TYPE_TRACE_SESSION (beam_trace_session_get_type ())

G_DECLARE_FINAL_TYPE (BeamTraceSession, beam_trace_session, BEAM, TRACE_SESSION, GObject)

/* Signals, all on the thread that made the session:
 *   "events" (GPtrArray *events): BeamTraceEvent *, in order, a batch at
 *      a time (at most one batch per 16 ms); the array is the session's,
 *      ref what you keep.
 *   "notify::state", "notify::stats" (at least once a second while running). */
BeamTraceSession     *beam_trace_session_new        (BeamConnection     *connection,
                                                     const BeamTraceSpec *spec);
const BeamTraceSpec  *beam_trace_session_get_spec   (BeamTraceSession   *self);
/* Validates the spec (ENDED with REFUSED and the error if invalid) and
 * starts the trace on the node. */
void                  beam_trace_session_start      (BeamTraceSession   *self);
/* Asks the node to stop and clean up; ENDED with STOPPED follows. */
void                  beam_trace_session_stop       (BeamTraceSession   *self);
BeamTraceState        beam_trace_session_get_state  (BeamTraceSession   *self);
BeamTraceEnd          beam_trace_session_get_end    (BeamTraceSession   *self);
/* Why it was refused or failed, or NULL. */
const GError         *beam_trace_session_get_error  (BeamTraceSession   *self);
/* The end in words, for a status line ("Stopped at its count of 100 events"). */
char                 *beam_trace_session_describe_end (BeamTraceSession *self);
void                  beam_trace_session_get_stats  (BeamTraceSession   *self,
                                                     BeamTraceStats     *out_stats);
/* The traced process's behaviour module for a sys trace (gen_server,
 * gen_statem, gen_event), or NULL. */
const char           *beam_trace_session_get_behaviour (BeamTraceSession *self);

/* ------------------------------------------------------------------------ */
/* sys:log                                                                   */

/* The last events an OTP process logged (sys:log(P, get)), each a SYS event
 * with its *DBG* line. If the process's log was off, it is turned on for
 * `max_events` by a holder on the node that turns it off again when asked
 * (beam_trace_sys_log_stop), when we disconnect, or after an hour; a log
 * someone else turned on is read and left on. */
typedef struct
{
  GPtrArray *events;      /* BeamTraceEvent * (owned refs) */
  gboolean   was_on;      /* the log was already on (ours from an earlier call, or theirs) */
  gboolean   ours;        /* our holder keeps it on */
  char      *behaviour;   /* gen_server, ... */
} BeamTraceSysLog;

void             beam_trace_sys_log_free   (BeamTraceSysLog     *log);
void             beam_trace_sys_log_async  (BeamConnection      *connection,
                                            const char          *pid_or_name,
                                            guint                max_events,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
BeamTraceSysLog *beam_trace_sys_log_finish (GAsyncResult        *result,
                                            GError             **error);
/* Turns our log off (if it is ours); nothing to wait for. */
void             beam_trace_sys_log_stop   (BeamConnection      *connection,
                                            const char          *pid_or_name);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BeamTraceSysLog, beam_trace_sys_log_free)

G_END_DECLS
