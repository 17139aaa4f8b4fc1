/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Call and message traces: the program that runs them on the node
 * (programs/trace-calls.exprs), the trace messages it forwards read as
 * events, and its refusals said in words. The stream between the two is in
 * beam-trace-private.h. */

#define G_LOG_DOMAIN "beamscope-probe"

#include <glib/gi18n.h>

#include "beam-erl-expr.h"
#include "beam-trace-private.h"

/* A refusal's terms are the node's: printed this short at most. */
#define REFUSAL_TERM_DEPTH 6
#define REFUSAL_TERM_WIDTH 20

static BeamTerm *
new_text (const char *text)
{
  return beam_term_new_binary (text, strlen (text));
}

static BeamTerm *
new_bool (gboolean value)
{
  return beam_term_new_atom (value ? "true" : "false");
}

gint
_beam_trace_match_variable (const char *atom)
{
  guint64 n;

  if (atom[0] != '$' || !g_ascii_isdigit (atom[1]) ||
      !g_ascii_string_to_unsigned (atom + 1, 10, 0, G_MAXINT, &n, NULL))
    return -1;
  return (gint) n;
}

BeamTerm *
_beam_trace_calls_program (const BeamTraceSpec  *spec,
                           GError              **error)
{
  g_autoptr(GPtrArray) targets = g_ptr_array_new ();
  BeamTerm *match_spec, *lim_n, *win_ms;
  const char *processes;
  gint match_vars = 0;

  g_return_val_if_fail (spec != NULL, NULL);

  if (spec->kind != BEAM_TRACE_CALLS && spec->kind != BEAM_TRACE_MESSAGES)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("Not a call or message trace"));
      return NULL;
    }

  if (spec->kind == BEAM_TRACE_CALLS && spec->match_spec != NULL)
    {
      g_autoptr(GPtrArray) atoms = beam_term_collect_atoms (spec->match_spec);
      g_autoptr(GBytes) bytes = beam_term_to_external (spec->match_spec, error);
      gsize size;
      gconstpointer data;

      if (bytes == NULL)
        return NULL;
      data = g_bytes_get_data (bytes, &size);
      match_spec = beam_term_new_binary (data, size);
      for (guint i = 0; i < atoms->len; i++)
        match_vars = MAX (match_vars, _beam_trace_match_variable (g_ptr_array_index (atoms, i)));
    }
  else
    match_spec = beam_term_new_atom ("none");

  if (spec->count > 0)
    {
      lim_n = beam_term_new_integer (spec->count);
      win_ms = beam_term_new_atom ("infinity");
    }
  else
    {
      lim_n = beam_term_new_integer (spec->rate_events);
      win_ms = beam_term_new_integer (MAX (spec->rate_ms, 1));
    }

  switch (spec->kind == BEAM_TRACE_CALLS ? spec->processes : BEAM_TRACE_PROCESSES_LISTED)
    {
    case BEAM_TRACE_PROCESSES_ALL:
      processes = "all";
      break;
    case BEAM_TRACE_PROCESSES_NEW:
      processes = "new";
      break;
    case BEAM_TRACE_PROCESSES_LISTED:
    default:
      processes = "listed";
      for (guint i = 0; i < spec->targets->len; i++)
        g_ptr_array_add (targets, new_text (g_ptr_array_index (spec->targets, i)));
      break;
    }

  return beam_erl_source_args (
    "trace-calls",
    "Client", beam_term_new_reply_pid (),
    "Kind", beam_term_new_atom (spec->kind == BEAM_TRACE_CALLS ? "calls" : "messages"),
    "Module", new_text (spec->module != NULL ? spec->module : ""),
    "Function", spec->function != NULL ? new_text (spec->function) : beam_term_new_atom ("_"),
    "Arity", spec->arity >= 0 ? beam_term_new_integer (spec->arity) : beam_term_new_atom ("_"),
    "MatchSpec", match_spec,
    "MatchVars", beam_term_new_integer (match_vars),
    "Return", new_bool (spec->return_trace),
    "Processes", beam_term_new_atom (processes),
    "Targets", beam_term_new_list_take (g_steal_pointer (&targets)),
    "Send", new_bool (spec->send),
    "Receive", new_bool (spec->receive),
    "LimN", lim_n,
    "WinMs", win_ms,
    "DurationMs", beam_term_new_integer (spec->duration_ms),
    "Batch", beam_term_new_integer (BEAM_TRACE_BATCH),
    "FlushMs", beam_term_new_integer (BEAM_TRACE_FLUSH_MS),
    "MaxQ", beam_term_new_integer (BEAM_TRACE_MAX_QUEUE),
    "LeaseMs", beam_term_new_integer (BEAM_TRACE_LEASE_MS),
    NULL);
}

gint64
_beam_trace_clock_to_system_us (const BeamTraceClock *clock,
                                gint64                monotonic_native)
{
  gint64 native, per_second, seconds, rest, rest_us;

  g_return_val_if_fail (clock != NULL, 0);

  per_second = clock->native_per_second;
  if (per_second <= 0)
    return 0;
  /* the node's figures are untrusted: saturate rather than overflow */
  if (__builtin_add_overflow (monotonic_native, clock->time_offset, &native))
    native = monotonic_native > 0 ? G_MAXINT64 : G_MININT64;

  seconds = native / per_second;
  rest = native % per_second;
  if (per_second % G_USEC_PER_SEC == 0)
    rest_us = rest / (per_second / G_USEC_PER_SEC);
  else if (__builtin_mul_overflow (rest, (gint64) G_USEC_PER_SEC, &rest_us))
    rest_us = (gint64) ((double) rest * G_USEC_PER_SEC / (double) per_second);
  else
    rest_us /= per_second;
  if (seconds > G_MAXINT64 / G_USEC_PER_SEC)
    return G_MAXINT64;
  if (seconds < G_MININT64 / G_USEC_PER_SEC)
    return G_MININT64;
  return seconds * G_USEC_PER_SEC + rest_us;
}

/* A pid as its own node prints it: "<0.85.0>". */
static char *
print_pid (const BeamTerm *pid)
{
  BeamPrintOptions options = { .syntax = BEAM_SYNTAX_ERLANG };

  if (pid->kind == BEAM_TERM_PID || pid->kind == BEAM_TERM_PORT)
    options.local_node = pid->v.ident.node;
  return beam_term_print (pid, &options);
}

static gboolean
is_mfa (const BeamTerm *term)
{
  return term->kind == BEAM_TERM_TUPLE && term->n_children == 3 &&
         term->children[0]->kind == BEAM_TERM_ATOM && term->children[1]->kind == BEAM_TERM_ATOM;
}

/* {M, F, Args} (a call) or {M, F, Arity} as "m:f/a", or NULL. */
static char *
print_mfa (const BeamTerm *term)
{
  const BeamTerm *last;
  g_autoptr(BeamTerm) mfa = NULL;

  if (!is_mfa (term))
    return NULL;
  last = term->children[2];
  if (last->kind == BEAM_TERM_LIST && !last->v.list.improper)
    {
      mfa = beam_term_new_tuple (3, beam_term_copy (term->children[0]),
                                 beam_term_copy (term->children[1]),
                                 beam_term_new_integer (last->n_children));
      return beam_term_print_function (mfa, BEAM_SYNTAX_ERLANG);
    }
  return beam_term_print_function (term, BEAM_SYNTAX_ERLANG);
}

BeamTraceEvent *
_beam_trace_event_from_trace (const BeamTerm       *message,
                              const BeamTraceClock *clock)
{
  g_autoptr(BeamTraceEvent) event = NULL;
  const BeamTerm *tag, *pid, *const *rest;
  guint n_rest;
  gboolean stamped;
  gint64 monotonic;

  g_return_val_if_fail (clock != NULL, NULL);

  if (message == NULL || message->kind != BEAM_TERM_TUPLE || message->n_children < 3 ||
      message->children[0]->kind != BEAM_TERM_ATOM)
    return NULL;
  if (beam_term_is_atom (message->children[0], "trace_ts"))
    stamped = TRUE;
  else if (beam_term_is_atom (message->children[0], "trace"))
    stamped = FALSE;
  else
    return NULL;

  pid = message->children[1];
  tag = message->children[2];
  if ((pid->kind != BEAM_TERM_PID && pid->kind != BEAM_TERM_PORT) ||
      tag->kind != BEAM_TERM_ATOM)
    return NULL;

  /* The elements after the tag, the timestamp (monotonic_timestamp: an
   * integer in native units, the last element) left out. */
  rest = (const BeamTerm * const *) message->children + 3;
  n_rest = message->n_children - 3;
  if (stamped)
    {
      if (n_rest == 0 || !beam_term_get_int64 (rest[n_rest - 1], &monotonic))
        return NULL;
      n_rest--;
    }

  /* {message, X} in a match spec's body adds one element: kept out of the
   * event, whose fields are the same */
  if (beam_term_is_atom (tag, "call") && (n_rest == 1 || n_rest == 2) && is_mfa (rest[0]))
    {
      event = beam_trace_event_new (BEAM_TRACE_EVENT_CALL);
      event->mfa = print_mfa (rest[0]);
      event->term = beam_term_copy (rest[0]->children[2]);
    }
  else if (beam_term_is_atom (tag, "return_from") && n_rest == 2 && is_mfa (rest[0]))
    {
      event = beam_trace_event_new (BEAM_TRACE_EVENT_RETURN_FROM);
      event->mfa = print_mfa (rest[0]);
      event->term = beam_term_copy (rest[1]);
    }
  else if (beam_term_is_atom (tag, "exception_from") && n_rest == 2 && is_mfa (rest[0]))
    {
      event = beam_trace_event_new (BEAM_TRACE_EVENT_EXCEPTION_FROM);
      event->mfa = print_mfa (rest[0]);
      event->term = beam_term_copy (rest[1]);
    }
  else if ((beam_term_is_atom (tag, "send") ||
            beam_term_is_atom (tag, "send_to_non_existing_process")) && n_rest == 2)
    {
      event = beam_trace_event_new (beam_term_is_atom (tag, "send")
                                    ? BEAM_TRACE_EVENT_SEND
                                    : BEAM_TRACE_EVENT_SEND_TO_NON_EXISTING);
      event->term = beam_term_copy (rest[0]);
      event->peer = beam_term_copy (rest[1]);
    }
  else if (beam_term_is_atom (tag, "receive") && n_rest == 1)
    {
      event = beam_trace_event_new (BEAM_TRACE_EVENT_RECEIVE);
      event->term = beam_term_copy (rest[0]);
    }
  else
    {
      event = beam_trace_event_new (BEAM_TRACE_EVENT_OTHER);
      event->term = beam_term_copy (message);
    }

  if (event->kind != BEAM_TRACE_EVENT_OTHER && event->kind != BEAM_TRACE_EVENT_SEND &&
      event->kind != BEAM_TRACE_EVENT_SEND_TO_NON_EXISTING &&
      event->kind != BEAM_TRACE_EVENT_RECEIVE && event->mfa == NULL)
    {
      /* an arity out of range: not a call we can name, shown as it came */
      g_clear_pointer (&event->term, beam_term_free);
      event->kind = BEAM_TRACE_EVENT_OTHER;
      event->term = beam_term_copy (message);
    }

  event->pid = print_pid (pid);
  event->time_us = stamped ? _beam_trace_clock_to_system_us (clock, monotonic)
                           : g_get_real_time ();
  return g_steal_pointer (&event);
}

/* A term from the node, printed short, for a sentence. */
static char *
print_short (const BeamTerm *term)
{
  BeamPrintOptions options = {
    .syntax = BEAM_SYNTAX_ERLANG,
    .max_depth = REFUSAL_TERM_DEPTH,
    .max_width = REFUSAL_TERM_WIDTH,
  };

  if (term->kind == BEAM_TERM_PID || term->kind == BEAM_TERM_PORT)
    return print_pid (term);
  return beam_term_print (term, &options);
}

/* What the node sent as a user's text (a binary), or the term printed. */
static char *
text_of (const BeamTerm *term)
{
  char *text = term->kind == BEAM_TERM_BINARY ? beam_term_dup_string (term) : NULL;

  return text != NULL ? text : print_short (term);
}

char *
_beam_trace_describe_refusal (const BeamTerm *reason)
{
  const BeamTerm *t;

  g_return_val_if_fail (reason != NULL, NULL);

  if ((t = beam_term_tagged (reason, "no_process", 2)) != NULL)
    {
      g_autofree char *target = text_of (t->children[1]);

      return g_strdup_printf (_("No process %s on the node: it has exited, or no process is "
                                "registered under that name"), target);
    }
  if ((t = beam_term_tagged (reason, "not_otp", 2)) != NULL)
    {
      g_autofree char *target = text_of (t->children[1]);

      return g_strdup_printf (_("%s is not an OTP process (gen_server, gen_statem, gen_event), "
                                "which sys tracing needs: trace its messages instead"), target);
    }
  if ((t = beam_term_tagged (reason, "already_traced", 3)) != NULL)
    {
      g_autofree char *pid = print_short (t->children[1]);
      g_autofree char *by = print_short (t->children[2]);

      if (t->children[2]->kind == BEAM_TERM_PORT)
        return g_strdup_printf (_("%s is already traced to the port %s (ttb or a trace port): "
                                  "Beamscope does not take over another tool's trace; stop "
                                  "that trace first"), pid, by);
      return g_strdup_printf (_("%s is already traced by %s: Beamscope does not take over "
                                "another tool's trace (dbg, observer, recon_trace); stop that "
                                "trace first"), pid, by);
    }
  if ((t = beam_term_tagged (reason, "pattern_taken", 2)) != NULL)
    {
      g_autofree char *mfa = print_mfa (t->children[1]);
      g_autofree char *term = mfa == NULL ? print_short (t->children[1]) : NULL;

      return g_strdup_printf (_("%s is already traced by another tool (dbg, recon_trace): "
                                "Beamscope would overwrite its trace pattern; stop that "
                                "trace first"), mfa != NULL ? mfa : term);
    }
  if (beam_term_is_atom (reason, "new_taken"))
    return g_strdup (_("Another tool (dbg, recon_trace) already traces new processes: "
                       "Beamscope does not take that over; trace listed processes, or stop "
                       "the other trace first"));
  if ((t = beam_term_tagged (reason, "unknown_module", 2)) != NULL)
    {
      g_autofree char *module = text_of (t->children[1]);

      return g_strdup_printf (_("No module %s on the node: it is not loaded and cannot be "
                                "loaded; check its name (Elixir modules start with Elixir.)"),
                              module);
    }
  if ((t = beam_term_tagged (reason, "unknown_function", 2)) != NULL)
    {
      g_autofree char *function = text_of (t->children[1]);

      return g_strdup_printf (_("No exported function matches %s: a call trace sees the "
                                "calls of a module's exported functions; check the name "
                                "and arity"), function);
    }
  if (beam_term_tagged (reason, "unknown_atom", 2) != NULL)
    return g_strdup (_("The match names an atom the node has never seen, so no call could "
                       "match it (Beamscope does not create atoms on a node): check its "
                       "spelling"));
  if (beam_term_is_atom (reason, "bad_match_spec"))
    return g_strdup (_("The node refused the match specification: each clause is "
                       "{Head, Guards, Body}, as in [{['$1', '_'], [{'>', '$1', 3}], []}]"));
  if ((t = beam_term_tagged (reason, "sys_timeout", 2)) != NULL)
    {
      g_autofree char *target = text_of (t->children[1]);

      return g_strdup_printf (_("%s did not answer sys in time: it may be busy or stuck; "
                                "try again"), target);
    }
  if ((t = beam_term_tagged (reason, "error", 2)) != NULL)
    {
      g_autofree char *why = print_short (t->children[1]);

      return g_strdup_printf (_("The node could not start the trace: %s"), why);
    }

  {
    g_autofree char *why = print_short (reason);

    return g_strdup_printf (_("The node refused the trace: %s"), why);
  }
}
