/* SPDX-License-Identifier: GPL-3.0-or-later */
/* beamscope-cli trace against a real node (issue 15, item 5): the lines and
 * JSON Lines of call, message and sys traces, the count and the duration
 * ending a trace, Ctrl+C and SIGTERM stopping it cleanly, and kill -9 of
 * the CLI mid-trace leaving the node as it was within 4 s: no trace flags,
 * no call pattern, no sys debug function, no process of ours alive. The
 * traced process is the fixture's cache (beamscope_cache, a gen_server),
 * called 100 times a second by a driver process the test starts. */

#include <json-glib/json-glib.h>
#include <signal.h>
#include <string.h>

#include "beam-test-node.h"

static BeamTestNode *node;

#define TRACED_MFA "beamscope_fixture_cache:handle_call/3"

/* Erlang expressions evaluated on the node by erl_call -e, an independent
 * client; returns what it printed ("{ok, Value}"), trimmed. */
static char *
erl_eval (const char *expressions)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  /* erl_call reads a form up to its final ".\n" */
  g_autofree char *input = g_strconcat (expressions, "\n", NULL);

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                              G_SUBPROCESS_FLAGS_STDERR_PIPE, &error,
                              g_getenv ("BEAMSCOPE_ERL_CALL"), "-sname", node->name,
                              "-c", node->cookie, "-e", NULL);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (process, input, NULL, &out, &err, &error));
  g_assert_no_error (error);
  if (!g_subprocess_get_successful (process) || !g_str_has_prefix (out, "{ok,"))
    g_error ("erl_call -e failed: %s%s", out, err);
  return g_strstrip (g_steal_pointer (&out));
}

/* The driver: a registered process calling the cache 100 times a second. */
static void
start_driver (void)
{
  g_autofree char *out = erl_eval (
    "case whereis(beamscope_trace_driver) of\n"
    "  undefined ->\n"
    "    P = spawn(fun() -> Loop = fun L() -> catch gen_server:call(beamscope_cache, get),\n"
    "                                     timer:sleep(10), L() end, Loop() end),\n"
    "    register(beamscope_trace_driver, P), started;\n"
    "  _ -> running\n"
    "end.");

  g_test_message ("driver: %s", out);
}

/* What a trace could leave behind, as one term: the cache's trace flags,
 * whether handle_call/3 has a pattern, the flags for new processes,
 * processes with flags at all, the cache's sys debug options, and processes
 * spawned from a fun (as a trace's watcher and tracer are: initial call
 * erlang:apply/2) that were not there before the tests began.
 * NO_LEFTOVERS when there is none of those. */
#define LEFTOVERS_EXPRS \
  "P = whereis(beamscope_cache),\n" \
  "{flags, F} = erlang:trace_info(P, flags),\n" \
  "{traced, T} = erlang:trace_info({beamscope_fixture_cache, handle_call, 3}, traced),\n" \
  "{flags, N} = erlang:trace_info(new, flags),\n" \
  "Flagged = [Q || Q <- erlang:processes(),\n" \
  "                case erlang:trace_info(Q, flags) of {flags, [_ | _]} -> true;\n" \
  "                                                    _ -> false end],\n" \
  "{status, _, _, [_, _, _, Debug | _]} = sys:get_status(P),\n" \
  "Before = persistent_term:get(beamscope_trace_test_processes),\n" \
  "Ours = [Q || Q <- erlang:processes() -- Before, Q =/= self(),\n" \
  "             erlang:process_info(Q, initial_call) =:= {initial_call, {erlang, apply, 2}}],\n" \
  "{F, T, N, Flagged, Debug, Ours}."
#define NO_LEFTOVERS "{ok, {[], false, [], [], [], []}}"

static char *
leftovers (void)
{
  return erl_eval (LEFTOVERS_EXPRS);
}

static gboolean
node_is_clean (gpointer data G_GNUC_UNUSED)
{
  g_autofree char *left = leftovers ();

  return g_str_equal (left, NO_LEFTOVERS);
}

static void
assert_node_clean (void)
{
  g_autofree char *left = leftovers ();

  g_assert_cmpstr (left, ==, NO_LEFTOVERS);
}

/* beamscope-cli --node NODE --cookie COOKIE trace ARGS... (NULL-terminated). */
static void
run_trace (BeamTestRun *run,
           ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  const char *arg;
  va_list args;

  g_ptr_array_add (argv, (char *) "--node");
  g_ptr_array_add (argv, node->name);
  g_ptr_array_add (argv, (char *) "--cookie");
  g_ptr_array_add (argv, node->cookie);
  g_ptr_array_add (argv, (char *) "trace");
  va_start (args, run);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (char *) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);
  beam_test_cli_run (run, NULL, (const char * const *) argv->pdata);
  g_test_message ("exit %d in %.0f ms\n%s%s", run->status, run->elapsed_ms, run->out, run->err);
}

static char **
split_lines (const char *out)
{
  g_auto(GStrv) lines = g_strsplit (out, "\n", -1);
  guint n = g_strv_length (lines);

  /* every line ends in a newline: the last piece is empty */
  g_assert_cmpuint (n, >=, 1);
  g_assert_cmpstr (lines[n - 1], ==, "");
  g_clear_pointer (&lines[n - 1], g_free);
  return g_steal_pointer (&lines);
}

static JsonObject *
parse_line (JsonParser *parser,
            const char *line)
{
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, line, -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  return json_node_get_object (json_parser_get_root (parser));
}

static void
test_calls_json (void)
{
  g_auto(BeamTestRun) run = { 0 };
  g_auto(GStrv) lines = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GRegex) time = g_regex_new ("^20\\d\\d-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z$",
                                        0, 0, NULL);
  gint64 previous = 0;

  start_driver ();
  run_trace (&run, "calls", "beamscope_fixture_cache:handle_call/3", "--count", "5", "--json",
             NULL);
  g_assert_cmpint (run.status, ==, 0);
  lines = split_lines (run.out);
  g_assert_cmpuint (g_strv_length (lines), ==, 5);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      JsonObject *event = parse_line (parser, lines[i]);
      g_autoptr(GDateTime) at = NULL;

      g_assert_cmpuint (json_object_get_size (event), ==, 6);
      g_assert_true (g_regex_match (time, json_object_get_string_member (event, "time"), 0,
                                    NULL));
      at = g_date_time_new_from_iso8601 (json_object_get_string_member (event, "time"), NULL);
      g_assert_nonnull (at);
      g_assert_cmpint (g_date_time_to_unix (at), >=, previous);
      previous = g_date_time_to_unix (at);
      g_assert_true (g_regex_match_simple ("^<0\\.\\d+\\.0>$",
                                           json_object_get_string_member (event, "pid"), 0, 0));
      g_assert_cmpstr (json_object_get_string_member (event, "name"), ==, "beamscope_cache");
      g_assert_cmpstr (json_object_get_string_member (event, "kind"), ==, "call");
      g_assert_cmpstr (json_object_get_string_member (event, "mfa"), ==, TRACED_MFA);
      g_assert_true (g_str_has_prefix (json_object_get_string_member (event, "term"),
                                       "[get,{<"));
    }
  /* how it ended goes to stderr, stdout stays pure JSON Lines */
  g_assert_nonnull (strstr (run.err, "received 5,"));
  g_assert_null (strstr (run.err, "beamscope-cli:"));
  assert_node_clean ();
}

static void
test_calls_text_return (void)
{
  g_auto(BeamTestRun) run = { 0 };
  g_auto(BeamTestRun) elixir = { 0 };
  g_auto(GStrv) lines = NULL;
  guint n_calls = 0;
  guint n_returns = 0;

  start_driver ();
  run_trace (&run, "calls", "beamscope_fixture_cache:handle_call", "--return", "--count", "6",
             NULL);
  g_assert_cmpint (run.status, ==, 0);
  lines = split_lines (run.out);
  g_assert_cmpuint (g_strv_length (lines), ==, 6);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (g_regex_match_simple ("^\\d\\d:\\d\\d:\\d\\d\\.\\d{6} <0\\.\\d+\\.0> "
                                "beamscope_fixture_cache:handle_call\\(get, \\{<0\\.\\d+\\.0>,",
                                lines[i], 0, 0))
        n_calls++;
      else if (g_regex_match_simple ("^\\d\\d:\\d\\d:\\d\\d\\.\\d{6} <0\\.\\d+\\.0> "
                                     "beamscope_fixture_cache:handle_call/3 --> "
                                     "\\{reply,#\\{hits => 42,", lines[i], 0, 0))
        n_returns++;
      else
        g_error ("not a call or a return: %s", lines[i]);
    }
  g_assert_cmpuint (n_calls, ==, 3);
  g_assert_cmpuint (n_returns, ==, 3);
  assert_node_clean ();

  run_trace (&elixir, "calls", "beamscope_fixture_cache:handle_call/3", "--count", "1",
             "--syntax", "elixir", NULL);
  g_assert_cmpint (elixir.status, ==, 0);
  g_assert_true (g_regex_match_simple ("^\\d\\d:\\d\\d:\\d\\d\\.\\d{6} <0\\.\\d+\\.0> "
                                       ":beamscope_fixture_cache\\.handle_call\\(:get, "
                                       "\\{#PID<", elixir.out, 0, 0));
}

static void
test_messages (void)
{
  g_auto(BeamTestRun) run = { 0 };
  g_auto(GStrv) lines = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();

  start_driver ();
  run_trace (&run, "messages", "beamscope_cache", "--receive", "--count", "3", "--json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  lines = split_lines (run.out);
  g_assert_cmpuint (g_strv_length (lines), ==, 3);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      JsonObject *event = parse_line (parser, lines[i]);

      g_assert_cmpstr (json_object_get_string_member (event, "kind"), ==, "receive");
      g_assert_true (json_object_get_null_member (event, "mfa"));
      g_assert_true (g_str_has_prefix (json_object_get_string_member (event, "term"),
                                       "{'$gen_call',{<"));
    }
  assert_node_clean ();
}

static void
test_sys (void)
{
  g_auto(BeamTestRun) run = { 0 };
  g_auto(GStrv) lines = NULL;

  start_driver ();
  run_trace (&run, "sys", "beamscope_cache", "--count", "4", NULL);
  g_assert_cmpint (run.status, ==, 0);
  lines = split_lines (run.out);
  g_assert_cmpuint (g_strv_length (lines), ==, 4);
  /* the cache entered its loop unnamed (gen_server:enter_loop/3): sys names it by pid */
  for (guint i = 0; lines[i] != NULL; i++)
    g_assert_true (g_regex_match_simple ("^\\*DBG\\* <0\\.\\d+\\.0> "
                                         "(got call get from|sent #\\{)", lines[i], 0, 0));
  assert_node_clean ();
}

/* The trace fixture's gen_server (fixtures/beamscope_trace_server.erl),
 * driven in a loop: its sys events as JSON Lines, each with its *DBG* text. */
static void
test_sys_json (void)
{
  g_auto(BeamTestRun) run = { 0 };
  g_auto(GStrv) lines = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *driven = erl_eval (
    "case whereis(beamscope_trace_gs) of\n"
    "  undefined ->\n"
    "    ok = beamscope_trace_server:start(),\n"
    "    spawn(fun() -> Loop = fun L() -> catch beamscope_trace_server:drive(gs),\n"
    "                                     timer:sleep(20), L() end, Loop() end),\n"
    "    started;\n"
    "  _ -> running\n"
    "end,\n"
    "persistent_term:put(beamscope_trace_test_processes, erlang:processes()).");

  /* the server's plain process and the loop are the tests' own from now on */
  g_test_message ("trace server: %s", driven);
  run_trace (&run, "sys", "beamscope_trace_gs", "--count", "12", "--json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  lines = split_lines (run.out);
  g_assert_cmpuint (g_strv_length (lines), ==, 12);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      JsonObject *event = parse_line (parser, lines[i]);
      const char *text = json_object_get_string_member (event, "text");

      g_assert_cmpuint (json_object_get_size (event), ==, 7);
      g_assert_cmpstr (json_object_get_string_member (event, "kind"), ==, "sys");
      g_assert_true (json_object_get_null_member (event, "mfa"));
      g_assert_true (g_str_has_prefix (text, "*DBG* beamscope_trace_gs "));
      g_assert_null (strchr (text, '\n'));
      g_assert_cmpstr (json_object_get_string_member (event, "term"), !=, "");
    }
}

/* More than 5 events within a second, at 100 a second: the rate trips on
 * the node, which says so. */
static void
test_rate (void)
{
  g_auto(BeamTestRun) run = { 0 };
  g_auto(GStrv) lines = NULL;

  start_driver ();
  run_trace (&run, "calls", "beamscope_fixture_cache:handle_call/3", "--rate", "5/1000",
             "--pid", "beamscope_cache", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpfloat (run.elapsed_ms, <, 3000 * BEAM_TEST_SLOWDOWN);
  lines = split_lines (run.out);
  g_assert_cmpuint (g_strv_length (lines), ==, 5);
  g_assert_nonnull (strstr (run.err, "5 events"));
  g_assert_nonnull (strstr (run.err, "1000 ms"));
  assert_node_clean ();
}

/* --duration ends a trace that its count would not: on time, exit 0. */
static void
test_duration (void)
{
  g_auto(BeamTestRun) run = { 0 };
  g_auto(GStrv) lines = NULL;

  start_driver ();
  run_trace (&run, "calls", "beamscope_fixture_cache:handle_call/3", "--count", "1000000",
             "--duration", "1500", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpfloat (run.elapsed_ms, >=, 1500);
  g_assert_cmpfloat (run.elapsed_ms, <, 1500 + 3000 * BEAM_TEST_SLOWDOWN);
  /* about 100 calls a second for 1.5 s */
  lines = split_lines (run.out);
  g_assert_cmpuint (g_strv_length (lines), >=, 20);
  g_assert_cmpuint (g_strv_length (lines), <=, 1000);
  assert_node_clean ();
}

/* A trace running in the background, its first line read. */
typedef struct
{
  GSubprocess      *process;
  GDataInputStream *out;
  char             *first_line;
  gboolean          have_line;
  gboolean          exited;
} Background;

static void
on_line (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Background *background = user_data;

  background->first_line = g_data_input_stream_read_line_finish_utf8 (
    G_DATA_INPUT_STREAM (source), result, NULL, NULL);
  background->have_line = TRUE;
}

static void
on_exited (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Background *background = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  background->exited = TRUE;
}

static void
start_background (Background *background,
                  const char *what,
                  const char *target)
{
  g_autoptr(GError) error = NULL;

  memset (background, 0, sizeof *background);
  background->process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                          G_SUBPROCESS_FLAGS_STDERR_PIPE, &error,
                                          g_getenv ("BEAMSCOPE_CLI"), "--node", node->name,
                                          "--cookie", node->cookie, "trace", what, target,
                                          "--count", "1000000", NULL);
  g_assert_no_error (error);
  background->out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (background->process));
  g_data_input_stream_read_line_async (background->out, G_PRIORITY_DEFAULT, NULL, on_line,
                                       background);
  beam_test_wait_for (&background->have_line, 15000 * BEAM_TEST_SLOWDOWN);
  g_test_message ("first line: %s", background->first_line);
  g_assert_nonnull (background->first_line);
  g_subprocess_wait_async (background->process, NULL, on_exited, background);
}

static char *
read_rest (GInputStream *stream)
{
  g_autoptr(GOutputStream) memory = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;

  g_output_stream_splice (memory, stream, G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_write (memory, "", 1, NULL, NULL);
  return g_memory_output_stream_steal_data (G_MEMORY_OUTPUT_STREAM (memory));
}

static void
background_clear (Background *background)
{
  g_clear_object (&background->out);
  g_clear_object (&background->process);
  g_clear_pointer (&background->first_line, g_free);
}

/* Ctrl+C and SIGTERM: the CLI asks the node to clean up and waits for it,
 * so the node is clean the moment the CLI has exited (0, "Stopped"). */
static void
stop_with_signal (int signal_number)
{
  Background background;
  g_autofree char *rest = NULL;
  g_autofree char *err = NULL;
  gint64 start;

  start_driver ();
  start_background (&background, "calls", "beamscope_fixture_cache:handle_call/3");
  g_assert_nonnull (strstr (background.first_line, "handle_call(get,"));
  start = g_get_monotonic_time ();
  g_subprocess_send_signal (background.process, signal_number);
  beam_test_wait_for (&background.exited, 6000 * BEAM_TEST_SLOWDOWN);
  g_test_message ("exited %.0f ms after the signal",
                  (g_get_monotonic_time () - start) / 1000.0);
  g_assert_true (g_subprocess_get_if_exited (background.process));
  g_assert_cmpint (g_subprocess_get_exit_status (background.process), ==, 0);
  rest = read_rest (G_INPUT_STREAM (background.out));
  err = read_rest (g_subprocess_get_stderr_pipe (background.process));
  g_test_message ("stderr: %s", err);
  g_assert_true (g_str_has_prefix (err, "Stopped"));
  assert_node_clean ();
  background_clear (&background);
}

static void
test_sigint (void)
{
  stop_with_signal (SIGINT);
}

static void
test_sigterm (void)
{
  stop_with_signal (SIGTERM);
}

/* kill -9 of the CLI: nobody asks the node to stop, its watcher sees our
 * connection go and removes everything within 4 s. */
static void
kill_mid_trace (const char *what,
                const char *target)
{
  Background background;
  g_autofree char *during = NULL;
  gint64 start;

  start_driver ();
  start_background (&background, what, target);
  /* the trace is really there before the kill: the test can fail */
  during = leftovers ();
  g_test_message ("while tracing: %s", during);
  g_assert_cmpstr (during, !=, NO_LEFTOVERS);
  start = g_get_monotonic_time ();
  g_subprocess_force_exit (background.process);
  beam_test_wait_for (&background.exited, 2000 * BEAM_TEST_SLOWDOWN);
  g_assert_false (g_subprocess_get_if_exited (background.process));
  beam_test_wait_until (node_is_clean, NULL, 4000 * BEAM_TEST_SLOWDOWN);
  g_test_message ("clean %.0f ms after the kill", (g_get_monotonic_time () - start) / 1000.0);
  background_clear (&background);
}

static void
test_kill_calls (void)
{
  kill_mid_trace ("calls", "beamscope_fixture_cache:handle_call/3");
}

static void
test_kill_messages (void)
{
  kill_mid_trace ("messages", "beamscope_cache");
}

static void
test_kill_sys (void)
{
  kill_mid_trace ("sys", "beamscope_cache");
}

/* `trace ... | head -1`: the reader goes, the next write fails, and the
 * trace stops on the node as on Ctrl+C rather than at the lease. */
static void
test_closed_output (void)
{
  Background background;

  start_driver ();
  start_background (&background, "messages", "beamscope_cache");
  g_assert_true (g_input_stream_close (G_INPUT_STREAM (background.out), NULL, NULL));
  beam_test_wait_for (&background.exited, 6000 * BEAM_TEST_SLOWDOWN);
  g_assert_true (g_subprocess_get_if_exited (background.process));
  g_assert_cmpint (g_subprocess_get_exit_status (background.process), ==, 0);
  assert_node_clean ();
  background_clear (&background);
}

static void
test_unknown_node (void)
{
  g_auto(BeamTestRun) run = { 0 };
  const char * const args[] = { "--node", "nobody_here@localhost", "--cookie", "x", "trace",
                                "sys", "beamscope_cache", NULL };

  beam_test_cli_run (&run, NULL, args);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_cmpstr (run.out, ==, "");
  g_assert_true (g_str_has_prefix (run.err, "beamscope-cli: "));
  g_assert_nonnull (strstr (run.err, "nobody_here"));
}

static void
test_wrong_cookie (void)
{
  g_auto(BeamTestRun) run = { 0 };
  const char * const args[] = { "--node", node->name, "--cookie", "wrong", "trace", "calls",
                                "beamscope_fixture_cache", NULL };

  beam_test_cli_run (&run, NULL, args);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_cmpstr (run.out, ==, "");
  g_assert_nonnull (strstr (run.err, "cookie"));
}

/* What never starts: usage errors (2) before connecting, refusals (1). */
static void
test_refused (void)
{
  g_auto(BeamTestRun) what = { 0 };
  g_auto(BeamTestRun) both = { 0 };
  g_auto(BeamTestRun) banned = { 0 };
  g_auto(BeamTestRun) no_process = { 0 };
  g_auto(BeamTestRun) not_otp = { 0 };

  run_trace (&what, "everything", NULL);
  g_assert_cmpint (what.status, ==, 2);
  g_assert_nonnull (strstr (what.err, "everything"));

  run_trace (&both, "calls", "beamscope_fixture_cache", "--count", "5", "--rate", "10/1000",
             NULL);
  g_assert_cmpint (both.status, ==, 2);

  /* recon_trace's rule: every call of lists is too much */
  run_trace (&banned, "calls", "lists", NULL);
  g_assert_cmpint (banned.status, ==, 2);
  g_assert_true (g_str_has_prefix (banned.err, "beamscope-cli: "));

  run_trace (&no_process, "messages", "no_such_process_here", NULL);
  g_assert_cmpint (no_process.status, ==, 1);
  g_assert_nonnull (strstr (no_process.err, "no_such_process_here"));

  /* the fixture's busy loop is no OTP process: no sys trace */
  run_trace (&not_otp, "sys", "beamscope_mailbox", NULL);
  g_assert_cmpint (not_otp.status, ==, 1);
  g_assert_cmpstr (not_otp.out, ==, "");
  assert_node_clean ();
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);

  node = beam_test_node_start (NULL, &error);
  g_assert_no_error (error);
  start_driver ();
  g_free (erl_eval ("persistent_term:put(beamscope_trace_test_processes, "
                    "erlang:processes())."));

  g_test_add_func ("/cli-trace/calls-json", test_calls_json);
  g_test_add_func ("/cli-trace/calls-text-return", test_calls_text_return);
  g_test_add_func ("/cli-trace/messages", test_messages);
  g_test_add_func ("/cli-trace/sys", test_sys);
  g_test_add_func ("/cli-trace/sys-json", test_sys_json);
  g_test_add_func ("/cli-trace/rate", test_rate);
  g_test_add_func ("/cli-trace/duration", test_duration);
  g_test_add_func ("/cli-trace/sigint", test_sigint);
  g_test_add_func ("/cli-trace/sigterm", test_sigterm);
  g_test_add_func ("/cli-trace/kill-calls", test_kill_calls);
  g_test_add_func ("/cli-trace/kill-messages", test_kill_messages);
  g_test_add_func ("/cli-trace/kill-sys", test_kill_sys);
  g_test_add_func ("/cli-trace/closed-output", test_closed_output);
  g_test_add_func ("/cli-trace/unknown-node", test_unknown_node);
  g_test_add_func ("/cli-trace/wrong-cookie", test_wrong_cookie);
  g_test_add_func ("/cli-trace/refused", test_refused);

  status = g_test_run ();
  beam_test_node_free (node);
  return status;
}
