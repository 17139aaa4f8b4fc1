/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sys tracing and sys:log of one OTP process (beam-trace.h), with node
 * programs of their own: programs/trace-sys.exprs (a forwarder that
 * installs a sys debug function and streams the *DBG* lines as the node
 * prints them; the stream is beam-trace-private.h's) and
 * programs/sys-log.exprs (sys:log(P, get), and a holder that keeps a log
 * we turned on and turns it off again).
 *
 * How beam_trace_sys_log_stop() finds the holder without anything
 * registered on the node: the holder monitors the process whose log it
 * keeps, and carries {beamscope_sys_log, Pid} in its dictionary, so the
 * holders of a process are among process_info(Pid, monitored_by), a short
 * list, and are told apart by that marker. A later sys-log call finds its
 * holder the same way (BeamTraceSysLog.ours). */

#define G_LOG_DOMAIN "beamscope-probe"

#include <glib/gi18n.h>

#include "beam-erl-expr.h"
#include "beam-process-info.h"
#include "beam-trace-private.h"
#include "beam-wire-error.h"

/* The longest a sys call (install, get_status, log) may take on the node. */
#define SYS_TIMEOUT_MS 2000
/* The forwarder's backlog, in bytes, beyond which it stops (overload):
 * each event holds a copy of the server's state. */
#define SYS_MAX_QUEUE_BYTES (256 * 1024 * 1024)
/* sys:log keeps its events (and the states in them) in the process. */
#define SYS_LOG_MAX_EVENTS 10000
#define SYS_LOG_MAX_REPLY_BYTES (16 * 1024 * 1024)

/* What to look the process up as on the node: a pid ("<0.85.0>", whatever
 * form was pasted) or a registered name, as Erlang writes it ('my_server',
 * my_server) or Elixir (MyApp.Cache, :my_server), each a binary that the
 * node turns into an atom only if it exists. */
static BeamTerm *
lookup_candidates (const char *pid_or_name)
{
  g_autofree char *text = g_strstrip (g_strdup (pid_or_name));
  g_autofree char *pid = beam_process_info_normalize_pid (text);
  GPtrArray *candidates = g_ptr_array_new ();
  gsize len = strlen (text);

#define ADD(s) g_ptr_array_add (candidates, beam_term_new_binary ((s), strlen (s)))
  if (pid != NULL)
    ADD (pid);
  else if (text[0] == ':' && text[1] != '\0')
    ADD (text + 1);
  else if (len >= 2 && text[0] == '\'' && text[len - 1] == '\'')
    {
      g_autofree char *inner = g_strndup (text + 1, len - 2);

      ADD (inner);
    }
  else if (text[0] != '\0')
    {
      ADD (text);
      if (g_ascii_isupper (text[0]) && !g_str_has_prefix (text, "Elixir."))
        {
          g_autofree char *alias = g_strconcat ("Elixir.", text, NULL);

          ADD (alias);
        }
    }
#undef ADD
  return beam_term_new_list_take (candidates);
}

static BeamTerm *
text_binary (const char *text)
{
  return beam_term_new_binary (text, strlen (text));
}

BeamTerm *
_beam_trace_sys_program (const BeamTraceSpec  *spec,
                         GError              **error)
{
  const char *target;

  g_return_val_if_fail (spec != NULL, NULL);

  if (spec->kind != BEAM_TRACE_SYS || spec->targets == NULL || spec->targets->len != 1)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("A sys trace follows exactly one process"));
      return NULL;
    }
  if (spec->count == 0 && (spec->rate_events == 0 || spec->rate_ms == 0))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("A trace needs a limit: a count or a rate"));
      return NULL;
    }
  target = g_ptr_array_index (spec->targets, 0);
  return beam_erl_source_args ("trace-sys",
                               "Client", beam_term_new_reply_pid (),
                               "Target", text_binary (target),
                               "Targets", lookup_candidates (target),
                               "Count", beam_term_new_integer (spec->count),
                               "RateEvents", beam_term_new_integer (spec->rate_events),
                               "RateMs", beam_term_new_integer (spec->rate_ms),
                               "DurationMs", beam_term_new_integer (spec->duration_ms),
                               "Batch", beam_term_new_integer (BEAM_TRACE_BATCH),
                               "FlushMs", beam_term_new_integer (BEAM_TRACE_FLUSH_MS),
                               "LeaseMs", beam_term_new_integer (BEAM_TRACE_LEASE_MS),
                               "SysTmo", beam_term_new_integer (SYS_TIMEOUT_MS),
                               "MaxQueue", beam_term_new_integer (BEAM_TRACE_MAX_QUEUE),
                               "MaxQueueBytes", beam_term_new_integer (SYS_MAX_QUEUE_BYTES),
                               NULL);
}

/* "<0.85.0>": every pid of a sys event is the node's own. */
static char *
pid_text (const BeamTerm *pid)
{
  if (pid == NULL || pid->kind != BEAM_TERM_PID)
    return NULL;
  return g_strdup_printf ("<0.%" G_GUINT64_FORMAT ".%u>", pid->v.ident.id, pid->v.ident.serial);
}

/* The name as the *DBG* line shows it (~tp): an atom quoted only where
 * Erlang needs it, {global, Name} or {via, Module, Name} as terms; a pid is
 * no name. */
static char *
sys_name_text (const BeamTerm *name)
{
  if (name->kind == BEAM_TERM_PID)
    return NULL;
  return beam_term_print (name, NULL);
}

/* The *DBG* line without its final newline, as valid UTF-8. */
static char *
dbg_line (const BeamTerm *text)
{
  gsize size;

  if (text->kind != BEAM_TERM_BINARY)
    return NULL;
  size = text->v.bytes.size;
  if (size > 0 && text->v.bytes.data[size - 1] == '\n')
    size--;
  return g_utf8_make_valid ((const char *) text->v.bytes.data, size);
}

/* A SYS event from its parts, or NULL if the text is no binary. */
static BeamTraceEvent *
sys_event (const BeamTerm *event,
           const BeamTerm *name,
           const BeamTerm *text,
           const BeamTerm *pid,
           gint64          time_us)
{
  BeamTraceEvent *self;
  char *line = dbg_line (text);

  if (line == NULL)
    return NULL;
  self = beam_trace_event_new (BEAM_TRACE_EVENT_SYS);
  self->time_us = time_us;
  self->pid = pid_text (pid != NULL && pid->kind == BEAM_TERM_PID ? pid : name);
  self->name = sys_name_text (name);
  self->term = beam_term_copy (event);
  self->text = line;
  return self;
}

BeamTraceEvent *
_beam_trace_event_from_sys (const BeamTerm       *entry,
                            const BeamTraceClock *clock)
{
  gint64 monotonic;

  g_return_val_if_fail (clock != NULL, NULL);

  /* {Monotonic, Event, Name, Text, Pid}; Pid is the traced process, which
   * the name alone does not give when it is registered. */
  if (entry == NULL || entry->kind != BEAM_TERM_TUPLE ||
      (entry->n_children != 4 && entry->n_children != 5) ||
      !beam_term_get_int64 (entry->children[0], &monotonic))
    return NULL;
  return sys_event (entry->children[1], entry->children[2], entry->children[3],
                    entry->n_children == 5 ? entry->children[4] : NULL,
                    _beam_trace_clock_to_system_us (clock, monotonic));
}

/* ------------------------------------------------------------------------ */
/* sys:log                                                                   */

void
beam_trace_sys_log_free (BeamTraceSysLog *log)
{
  if (log == NULL)
    return;
  g_clear_pointer (&log->events, g_ptr_array_unref);
  g_free (log->behaviour);
  g_free (log);
}

static BeamTerm *
sys_log_program (const char *pid_or_name,
                 const char *op,
                 guint       max_events)
{
  return beam_erl_source_args ("sys-log",
                               "Client", beam_term_new_reply_pid (),
                               "Target", text_binary (pid_or_name),
                               "Targets", lookup_candidates (pid_or_name),
                               "Op", beam_term_new_atom (op),
                               "Max", beam_term_new_integer (CLAMP (max_events, 1,
                                                                    SYS_LOG_MAX_EVENTS)),
                               "SysTmo", beam_term_new_integer (SYS_TIMEOUT_MS),
                               NULL);
}

/* {refused, {no_process | not_otp | sys_timeout, Target}} as an error. */
static gboolean
set_refusal (const BeamTerm  *answer,
             GError         **error)
{
  const BeamTerm *refused = beam_term_tagged (answer, "refused", 2);
  const BeamTerm *why;
  g_autofree char *target = NULL;

  if (refused == NULL || refused->children[1]->kind != BEAM_TERM_TUPLE ||
      refused->children[1]->n_children != 2)
    return FALSE;
  why = refused->children[1];
  target = beam_term_dup_string (why->children[1]);
  if (target == NULL)
    return FALSE;
  if (beam_term_is_atom (why->children[0], "no_process"))
    g_set_error (error, BEAM_PROCESS_INFO_ERROR, BEAM_PROCESS_INFO_ERROR_NO_SUCH_PROCESS,
                 _("No process %s on the node"), target);
  else if (beam_term_is_atom (why->children[0], "not_otp"))
    g_set_error (error, BEAM_PROCESS_INFO_ERROR, BEAM_PROCESS_INFO_ERROR_NOT_OTP,
                 _("%s is not an OTP process: it keeps no sys log"), target);
  else if (beam_term_is_atom (why->children[0], "sys_timeout"))
    g_set_error (error, BEAM_PROCESS_INFO_ERROR, BEAM_PROCESS_INFO_ERROR_NO_ANSWER,
                 _("%s did not answer in time"), target);
  else
    return FALSE;
  return TRUE;
}

/* {ok, Behaviour, WasOn, Ours, Pid, [{Event, Name, Text}]} */
static gpointer
decode_sys_log (const BeamTerm  *reply,
                gpointer         user_data,
                GError         **error)
{
  const BeamTerm *answer = beam_erl_eval_value (reply);
  const BeamTerm *ok, *entries;
  g_autoptr(BeamTraceSysLog) log = NULL;

  if (answer != NULL && set_refusal (answer, error))
    return NULL;
  ok = answer != NULL ? beam_term_tagged (answer, "ok", 6) : NULL;
  if (ok == NULL || ok->children[1]->kind != BEAM_TERM_ATOM ||
      ok->children[4]->kind != BEAM_TERM_PID ||
      (entries = ok->children[5])->kind != BEAM_TERM_LIST || entries->v.list.improper)
    {
      beam_erl_set_bad_reply (error, "sys:log(Process, get)");
      return NULL;
    }
  log = g_new0 (BeamTraceSysLog, 1);
  log->behaviour = g_strdup (ok->children[1]->v.atom.name);
  log->was_on = beam_term_is_atom (ok->children[2], "true");
  log->ours = beam_term_is_atom (ok->children[3], "true");
  log->events = g_ptr_array_new_with_free_func ((GDestroyNotify) beam_trace_event_unref);
  for (guint i = 0; i < entries->n_children; i++)
    {
      const BeamTerm *entry = entries->children[i];
      BeamTraceEvent *event = NULL;

      /* sys:log keeps no time: the events have none (0). */
      if (entry->kind == BEAM_TERM_TUPLE && entry->n_children == 3)
        event = sys_event (entry->children[0], entry->children[1], entry->children[2],
                           ok->children[4], 0);
      if (event == NULL)
        {
          beam_erl_set_bad_reply (error, "sys:log(Process, get)");
          return NULL;
        }
      g_ptr_array_add (log->events, event);
    }
  return g_steal_pointer (&log);
}

void
beam_trace_sys_log_async (BeamConnection      *connection,
                          const char          *pid_or_name,
                          guint                max_events,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_return_if_fail (BEAM_IS_CONNECTION (connection));
  g_return_if_fail (pid_or_name != NULL);

  beam_connection_call_task_async (connection, beam_trace_sys_log_async, &(BeamCall) {
                                     .module = "erl_eval", .function = "exprs",
                                     .args = sys_log_program (pid_or_name, "get", max_events),
                                     /* get_status, the holder's sys:log, sys:log get */
                                     .timeout_ms = 4 * SYS_TIMEOUT_MS,
                                     .max_reply_bytes = SYS_LOG_MAX_REPLY_BYTES,
                                     .decode = decode_sys_log,
                                     .result_free = (GDestroyNotify) beam_trace_sys_log_free,
                                   }, cancellable, callback, user_data);
}

BeamTraceSysLog *
beam_trace_sys_log_finish (GAsyncResult  *result,
                           GError       **error)
{
  return beam_connection_call_task_finish (result, beam_trace_sys_log_async, error);
}

void
beam_trace_sys_log_stop (BeamConnection *connection,
                         const char     *pid_or_name)
{
  g_return_if_fail (BEAM_IS_CONNECTION (connection));
  g_return_if_fail (pid_or_name != NULL);

  /* Nothing to wait for: a holder we cannot reach turns the log off when
   * our connection goes, or after its hour. */
  beam_connection_call_async (connection, &(BeamCall) {
                                .module = "erl_eval", .function = "exprs",
                                .args = sys_log_program (pid_or_name, "stop", 1),
                                .timeout_ms = 2 * SYS_TIMEOUT_MS,
                                .result_free = (GDestroyNotify) beam_term_free,
                              }, NULL, NULL, NULL);
}
