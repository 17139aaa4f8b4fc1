/* SPDX-License-Identifier: GPL-3.0-or-later */
/* beamscope-cli's `trace`: a sys, call or message trace (BeamTraceSession)
 * streamed one event a line, as recon_trace prints them or (--json) as JSON
 * Lines, each line flushed as its batch arrives. The trace always has a
 * limit, applied on the node (--count, default 100, or --rate); it ends
 * there, after --duration, or on Ctrl+C or SIGTERM, which ask the node to
 * clean up and wait for it to say it did (at most STOP_GRACE_MS: past that
 * the node's watcher cleans up by itself when our connection goes).
 *
 * stdout holds the events and nothing else, so that --json is pure JSON
 * Lines; how the trace ended, and its counts, go to stderr. */

#define G_LOG_DOMAIN "beamscope-cli"

#include "config.h"

#include <errno.h>
#include <glib-unix.h>
#include <glib/gi18n.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "beam-cli-private.h"
#include "beam-trace.h"

/* How long a stop may take on the node before we leave anyway. */
#define STOP_GRACE_MS 5000

static struct
{
  char     *match;
  gboolean  return_trace;
  char     *pid;
  gboolean  send;
  gboolean  receive;
  int       count;
  char     *rate;
  int       duration_ms;
  char     *syntax;
} trace_opts = { .count = -1, .duration_ms = -1 };

GOptionEntry _beam_cli_trace_options[] = {
  { "count", 'n', 0, G_OPTION_ARG_INT, &trace_opts.count,
    N_("Stop after N events (default 100)"), N_("N") },
  { "rate", 0, 0, G_OPTION_ARG_STRING, &trace_opts.rate,
    N_("Stop when more than N events come within MS milliseconds, instead of a count"),
    N_("N/MS") },
  { "duration", 'd', 0, G_OPTION_ARG_INT, &trace_opts.duration_ms,
    N_("Stop after MS milliseconds"), N_("MS") },
  { "match", 'm', 0, G_OPTION_ARG_STRING, &trace_opts.match,
    N_("calls: only calls whose arguments match SPEC, an argument list pattern ([1, '_']) "
       "or a match specification"), N_("SPEC") },
  { "return", 'r', 0, G_OPTION_ARG_NONE, &trace_opts.return_trace,
    N_("calls: also the values returned and the exceptions raised"), NULL },
  { "pid", 'p', 0, G_OPTION_ARG_STRING, &trace_opts.pid,
    N_("calls: only this process's calls, or those of all processes (default), or of the "
       "processes spawned while it runs"), N_("PID|NAME|all|new") },
  { "send", 0, 0, G_OPTION_ARG_NONE, &trace_opts.send,
    N_("messages: only the messages sent"), NULL },
  { "receive", 0, 0, G_OPTION_ARG_NONE, &trace_opts.receive,
    N_("messages: only the messages received"), NULL },
  { "syntax", 0, 0, G_OPTION_ARG_STRING, &trace_opts.syntax,
    N_("Print terms in erlang (default) or elixir syntax"), N_("SYNTAX") },
  G_OPTION_ENTRY_NULL
};

typedef struct
{
  BeamCli          *cli;
  BeamTraceSession *session;
  BeamSyntax        syntax;
  guint             grace_id;
  gboolean          output_closed;   /* stdout's reader went away (`| head`) */
  gboolean          interrupted;
} Run;

/* Gives up waiting for the node to confirm a stop: its watcher cleans up
 * by itself once our connection closes. */
static gboolean
on_grace_over (gpointer user_data)
{
  Run *run = user_data;

  run->grace_id = 0;
  g_main_loop_quit (run->cli->loop);
  return G_SOURCE_REMOVE;
}

static void
stop (Run *run)
{
  if (run->grace_id != 0)
    return;
  beam_trace_session_stop (run->session);
  if (beam_trace_session_get_state (run->session) != BEAM_TRACE_STATE_ENDED)
    run->grace_id = g_timeout_add (STOP_GRACE_MS, on_grace_over, run);
}

static gboolean
on_signal (gpointer user_data)
{
  Run *run = user_data;

  /* A second Ctrl+C does not hurry the node: it is already cleaning up. */
  run->interrupted = TRUE;
  stop (run);
  return G_SOURCE_CONTINUE;
}

static void
on_events (BeamTraceSession *session,
           GPtrArray        *events,
           Run              *run)
{
  if (run->output_closed)
    return;
  for (guint i = 0; i < events->len; i++)
    {
      const BeamTraceEvent *event = g_ptr_array_index (events, i);
      g_autofree char *line = run->cli->json ? beam_trace_event_to_json (event, run->syntax)
                                             : beam_trace_event_to_line (event, run->syntax, 0);

      if (fputs (line, stdout) == EOF || fputc ('\n', stdout) == EOF)
        break;
    }
  if (fflush (stdout) == EOF || ferror (stdout))
    {
      /* SIGPIPE is ignored (beam_connection_init_process): a closed pipe
       * ends the trace cleanly rather than leaving it to the node's lease. */
      run->output_closed = TRUE;
      stop (run);
    }
}

static void
on_state (BeamTraceSession *session,
          GParamSpec       *pspec,
          Run              *run)
{
  if (beam_trace_session_get_state (session) == BEAM_TRACE_STATE_ENDED)
    g_main_loop_quit (run->cli->loop);
}

/* The spec from the command line, or NULL after printing the usage error
 * (in *status). */
static BeamTraceSpec *
parse_spec (BeamCli     *cli,
            BeamSyntax   syntax,
            int         *status)
{
  g_autoptr(BeamTraceSpec) spec = NULL;
  g_autoptr(GError) error = NULL;
  const char *what = cli->args[0];
  guint n_args = g_strv_length (cli->args) - 1;
  char **rest = cli->args + 1;

  *status = BEAM_CLI_EXIT_USAGE;
  if (g_str_equal (what, "sys"))
    {
      if (n_args != 1)
        {
          _beam_cli_usage_error (_("usage: beamscope-cli trace sys PID|NAME"));
          return NULL;
        }
      spec = beam_trace_spec_new (BEAM_TRACE_SYS);
      beam_trace_spec_add_target (spec, rest[0]);
    }
  else if (g_str_equal (what, "calls"))
    {
      if (n_args != 1)
        {
          _beam_cli_usage_error (_("usage: beamscope-cli trace calls MOD[:FUN[/ARITY]] "
                                   "[--match SPEC] [--return] [--pid PID|NAME|all|new]"));
          return NULL;
        }
      spec = beam_trace_spec_new (BEAM_TRACE_CALLS);
      if (!beam_trace_spec_set_function (spec, rest[0], syntax, &error) ||
          !beam_trace_spec_set_match (spec, trace_opts.match, syntax, &error))
        {
          _beam_cli_usage_error (error->message);
          return NULL;
        }
      spec->return_trace = trace_opts.return_trace;
      if (trace_opts.pid == NULL || g_str_equal (trace_opts.pid, "all"))
        spec->processes = BEAM_TRACE_PROCESSES_ALL;
      else if (g_str_equal (trace_opts.pid, "new"))
        spec->processes = BEAM_TRACE_PROCESSES_NEW;
      else
        {
          spec->processes = BEAM_TRACE_PROCESSES_LISTED;
          beam_trace_spec_add_target (spec, trace_opts.pid);
        }
    }
  else if (g_str_equal (what, "messages"))
    {
      if (n_args < 1)
        {
          _beam_cli_usage_error (_("usage: beamscope-cli trace messages PID|NAME… "
                                   "[--send|--receive]"));
          return NULL;
        }
      spec = beam_trace_spec_new (BEAM_TRACE_MESSAGES);
      for (guint i = 0; i < n_args; i++)
        beam_trace_spec_add_target (spec, rest[i]);
      spec->send = trace_opts.send;
      spec->receive = trace_opts.receive;
    }
  else
    {
      g_autofree char *message = g_strdup_printf (_("trace what? “%s” is not sys, calls or "
                                                    "messages"), what);
      _beam_cli_usage_error (message);
      return NULL;
    }

  if (!g_str_equal (what, "calls") &&
      (trace_opts.match != NULL || trace_opts.return_trace || trace_opts.pid != NULL))
    {
      _beam_cli_usage_error (_("--match, --return and --pid are for “trace calls”"));
      return NULL;
    }
  if (!g_str_equal (what, "messages") && (trace_opts.send || trace_opts.receive))
    {
      _beam_cli_usage_error (_("--send and --receive are for “trace messages”"));
      return NULL;
    }

  if (trace_opts.rate != NULL && trace_opts.count >= 0)
    {
      _beam_cli_usage_error (_("give --count or --rate, not both"));
      return NULL;
    }
  if (trace_opts.rate != NULL)
    {
      if (!beam_trace_spec_set_rate (spec, trace_opts.rate, &error))
        {
          _beam_cli_usage_error (error->message);
          return NULL;
        }
    }
  else if (trace_opts.count == 0 || trace_opts.count < -1)
    {
      _beam_cli_usage_error (_("--count must be a positive number"));
      return NULL;
    }
  else
    {
      spec->count = trace_opts.count > 0 ? (guint) trace_opts.count : BEAM_TRACE_DEFAULT_COUNT;
      spec->rate_events = 0;
      spec->rate_ms = 0;
    }
  if (trace_opts.duration_ms == 0 || trace_opts.duration_ms < -1)
    {
      _beam_cli_usage_error (_("--duration must be a positive number of milliseconds"));
      return NULL;
    }
  spec->duration_ms = trace_opts.duration_ms > 0 ? (guint) trace_opts.duration_ms : 0;

  if (!beam_trace_spec_validate (spec, &error))
    {
      _beam_cli_usage_error (error->message);
      return NULL;
    }
  *status = 0;
  return g_steal_pointer (&spec);
}

static int
report_end (Run *run)
{
  BeamTraceSession *session = run->session;
  BeamTraceStats stats;
  g_autofree char *why = NULL;
  g_autofree char *seen = NULL;
  g_autofree char *received = NULL;
  g_autofree char *dropped = NULL;

  if (beam_trace_session_get_state (session) != BEAM_TRACE_STATE_ENDED)
    {
      g_printerr ("beamscope-cli: %s\n",
                  _("the node did not confirm the stop in time; it removes the trace by "
                    "itself as our connection closes"));
      return BEAM_CLI_EXIT_NODE_ERROR;
    }
  if (beam_trace_session_get_end (session) == BEAM_TRACE_END_REFUSED ||
      beam_trace_session_get_end (session) == BEAM_TRACE_END_FAILED)
    {
      const GError *error = beam_trace_session_get_error (session);

      if (error != NULL)
        return _beam_cli_fail (error);
      why = beam_trace_session_describe_end (session);
      g_printerr ("beamscope-cli: %s\n", why);
      return BEAM_CLI_EXIT_NODE_ERROR;
    }

  if (run->output_closed)
    return 0;
  beam_trace_session_get_stats (session, &stats);
  why = beam_trace_session_describe_end (session);
  seen = beam_format_count ((gint64) stats.seen);
  received = beam_format_count ((gint64) stats.received);
  dropped = beam_format_count ((gint64) stats.dropped);
  /* TRANSLATORS: how a trace ended, then its counts: "Stopped (events seen 100,
   * received 100, dropped 0)" */
  g_printerr (_("%s (events seen %s, received %s, dropped %s)\n"), why, seen, received,
              dropped);
  return 0;
}

int
_beam_cli_trace (BeamCli *cli)
{
  g_autoptr(BeamTraceSpec) spec = NULL;
  g_autoptr(BeamTraceSession) session = NULL;
  g_autofree char *syntax_name = g_steal_pointer (&trace_opts.syntax);
  Run run = { .cli = cli };
  guint sigint_id;
  guint sigterm_id;
  int status;

  if (syntax_name != NULL && !g_str_equal (syntax_name, "erlang") &&
      !g_str_equal (syntax_name, "elixir"))
    return _beam_cli_usage_error (_("--syntax takes erlang or elixir"));
  run.syntax = g_strcmp0 (syntax_name, "elixir") == 0 ? BEAM_SYNTAX_ELIXIR : BEAM_SYNTAX_ERLANG;

  spec = parse_spec (cli, run.syntax, &status);
  if (spec == NULL)
    return status;
  if ((status = _beam_cli_connect (cli)) != 0)
    return status;

  session = beam_trace_session_new (cli->connection, spec);
  run.session = session;
  g_signal_connect (session, "events", G_CALLBACK (on_events), &run);
  g_signal_connect (session, "notify::state", G_CALLBACK (on_state), &run);
  sigint_id = g_unix_signal_add (SIGINT, on_signal, &run);
  sigterm_id = g_unix_signal_add (SIGTERM, on_signal, &run);

  beam_trace_session_start (session);
  if (beam_trace_session_get_state (session) != BEAM_TRACE_STATE_ENDED)
    g_main_loop_run (cli->loop);

  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);
  g_clear_handle_id (&run.grace_id, g_source_remove);
  g_signal_handlers_disconnect_by_data (session, &run);
  status = report_end (&run);
  beam_connection_close (cli->connection);
  g_clear_pointer (&trace_opts.match, g_free);
  g_clear_pointer (&trace_opts.pid, g_free);
  g_clear_pointer (&trace_opts.rate, g_free);
  return status;
}
