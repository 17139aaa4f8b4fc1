/* SPDX-License-Identifier: GPL-3.0-or-later */
/* beamscope-cli diagnose and binleak against a real node, as a monitoring
 * system runs them: the exit status of each outcome (0 ok, 1 warning, 2
 * critical, 3 unknown, usage errors included), the plugin's line and its
 * performance data, the JSON, and binleak's refusal without --yes. */

#include <json-glib/json-glib.h>
#include <signal.h>
#include <string.h>

#include "beam-test-node.h"

static BeamTestNode *node;

static const char * const check_names[] = {
  "message_queue", "queue_growth", "atoms", "binary_memory", "schedulers", "dirty_schedulers",
  "process_limit", "port_limit", "ets_limit", "ets_memory", "process_memory", "memory_growth",
};

/* beamscope-cli --node NODE --cookie COOKIE ARGS... (NULL-terminated). */
static void
run_on_node (BeamTestRun *run,
             ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  const char *arg;
  va_list args;

  g_ptr_array_add (argv, (char *) "--node");
  g_ptr_array_add (argv, node->name);
  g_ptr_array_add (argv, (char *) "--cookie");
  g_ptr_array_add (argv, node->cookie);
  va_start (args, run);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (char *) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);
  beam_test_cli_run (run, NULL, (const char * const *) argv->pdata);
  g_test_message ("exit %d in %.0f ms\n%s%s", run->status, run->elapsed_ms, run->out, run->err);
}

static void
run_cli (BeamTestRun *run,
         ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  const char *arg;
  va_list args;

  va_start (args, run);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (char *) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);
  beam_test_cli_run (run, NULL, (const char * const *) argv->pdata);
  g_test_message ("exit %d in %.0f ms\n%s%s", run->status, run->elapsed_ms, run->out, run->err);
}

static void
erl_call (const char *module,
          const char *function,
          const char *args)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *printed = beam_test_node_erl_call (node, module, function, args, &error);

  g_assert_no_error (error);
}

/* Evaluates Erlang expressions on the node with erl_call -e (stdin), an
 * independent client: how the test makes a process of its own. */
static void
erl_eval (const char *expressions)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                              G_SUBPROCESS_FLAGS_STDERR_PIPE, &error,
                              g_getenv ("BEAMSCOPE_ERL_CALL"), "-sname", node->name,
                              "-c", node->cookie, "-e", NULL);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (process, expressions, NULL, &out, &err, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_successful (process));
  g_assert_true (g_str_has_prefix (out, "{ok,"));
}

/* The performance data's grammar in the Nagios plugin guidelines. */
static void
assert_valid_perfdata (const char *perfdata)
{
  g_autoptr(GRegex) item = g_regex_new ("^'(?:[^'=]|'')+'=(?:-?[0-9.]+(?:s|ms|us|%|B|KB|MB|GB|"
                                        "TB|c)?|U)(?:;-?[0-9.]*){0,4} ?", 0, 0, NULL);
  const char *at = perfdata;

  g_assert_cmpstr (at, !=, "");
  while (*at != '\0')
    {
      g_autoptr(GMatchInfo) match = NULL;
      int end;

      if (!g_regex_match (item, at, 0, &match))
        g_error ("not performance data at “%s”", at);
      g_match_info_fetch_pos (match, 0, NULL, &end);
      g_assert_cmpint (end, >, 0);
      at += end;
    }
}

/* The text output: the plugin's line, then one line per check, in order;
 * returns the lines. */
static char **
assert_plugin_output (const BeamTestRun *run,
                      const char        *status_word)
{
  g_auto(GStrv) lines = g_strsplit (run->out, "\n", -1);
  g_autofree char *prefix = g_strdup_printf ("BEAM %s - ", status_word);
  const char *bar;

  g_assert_cmpstr (run->err, ==, "");
  g_assert_true (g_str_has_prefix (lines[0], prefix));
  bar = strstr (lines[0], " | ");
  g_assert_nonnull (bar);
  assert_valid_perfdata (bar + 3);
  g_assert_cmpuint (g_strv_length (lines), ==, G_N_ELEMENTS (check_names) + 2);
  for (guint i = 0; i < G_N_ELEMENTS (check_names); i++)
    g_assert_true (g_str_has_prefix (lines[i + 1], check_names[i]));
  g_assert_cmpstr (lines[G_N_ELEMENTS (check_names) + 1], ==, "");
  return g_steal_pointer (&lines);
}

static JsonArray *
parse_array (const char *text,
             JsonNode  **root)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  g_assert_true (json_parser_load_from_data (parser, text, -1, &error));
  g_assert_no_error (error);
  *root = json_node_copy (json_parser_get_root (parser));
  g_assert_true (JSON_NODE_HOLDS_ARRAY (*root));
  return json_node_get_array (*root);
}

static JsonObject *
find_check (JsonArray  *checks,
            const char *name)
{
  for (guint i = 0; i < json_array_get_length (checks); i++)
    {
      JsonObject *check = json_array_get_object_element (checks, i);

      if (g_str_equal (json_object_get_string_member (check, "check"), name))
        return check;
    }
  g_error ("no check %s", name);
}

/* The fixture's registered process with 1,500 messages waiting
 * (beamscope_mailbox) is over the default warning of 1,000 and under the
 * critical 10,000: a warning, exit 1, the process named. */
static void
test_warning_names_the_mailbox (void)
{
  g_auto(BeamTestRun) run = { 0 };
  g_auto(GStrv) lines = NULL;

  run_on_node (&run, "diagnose", NULL);
  g_assert_cmpint (run.status, ==, 1);
  lines = assert_plugin_output (&run, "WARNING");
  g_assert_true (g_str_has_prefix (lines[0], "BEAM WARNING - message_queue: "));
  g_assert_nonnull (strstr (lines[0], "beamscope_mailbox"));
  g_assert_nonnull (strstr (lines[0], "1500"));
  g_assert_true (g_regex_match_simple ("^message_queue +WARNING +.*beamscope_mailbox", lines[1],
                                       0, 0));
}

/* --threshold message_queue=1,2 makes the same mailbox critical: exit 2. */
static void
test_critical_with_threshold (void)
{
  g_auto(BeamTestRun) run = { 0 };
  g_auto(GStrv) lines = NULL;

  run_on_node (&run, "diagnose", "--threshold", "message_queue=1,2", "--window", "500", NULL);
  g_assert_cmpint (run.status, ==, 2);
  lines = assert_plugin_output (&run, "CRITICAL");
  g_assert_true (g_str_has_prefix (lines[0], "BEAM CRITICAL - message_queue: "));
  g_assert_nonnull (strstr (lines[0], "beamscope_mailbox"));
  /* The thresholds given are the ones in the performance data. */
  g_assert_true (g_regex_match_simple ("'message_queue'=1500;1;2;", lines[0], 0, 0));
}

/* The JSON: an array of every check, in order, each with its status and
 * details; the exit status is still the worst one. */
static void
test_json (void)
{
  g_auto(BeamTestRun) run = { 0 };
  g_autoptr(JsonNode) root = NULL;
  JsonArray *checks;
  JsonObject *queue;
  JsonObject *details;
  JsonObject *culprit;

  run_on_node (&run, "--json", "diagnose", "--threshold", "message_queue=1,2", "--top", "3",
               NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_cmpstr (run.err, ==, "");
  checks = parse_array (run.out, &root);
  g_assert_cmpuint (json_array_get_length (checks), ==, G_N_ELEMENTS (check_names));
  for (guint i = 0; i < G_N_ELEMENTS (check_names); i++)
    {
      JsonObject *check = json_array_get_object_element (checks, i);
      const char *status = json_object_get_string_member (check, "status");

      g_assert_cmpstr (json_object_get_string_member (check, "check"), ==, check_names[i]);
      g_assert_true (g_strv_contains ((const char * const[]) { "ok", "warning", "critical",
                                                               "unknown", NULL }, status));
      g_assert_nonnull (json_object_get_string_member (check, "summary"));
      details = json_object_get_object_member (check, "details");
      g_assert_nonnull (json_object_get_array_member (details, "figures"));
      g_assert_cmpuint (json_array_get_length (json_object_get_array_member (details,
                                                                             "culprits")),
                        <=, 3);
      g_assert_true (json_object_has_member (details, "ran_at"));
      g_assert_true (json_object_has_member (details, "reductions"));
      g_assert_true (json_object_has_member (details, "node_us"));
    }
  queue = find_check (checks, "message_queue");
  g_assert_cmpstr (json_object_get_string_member (queue, "status"), ==, "critical");
  details = json_object_get_object_member (queue, "details");
  culprit = json_array_get_object_element (json_object_get_array_member (details, "culprits"), 0);
  g_assert_cmpstr (json_object_get_string_member (culprit, "kind"), ==, "process");
  g_assert_cmpstr (json_object_get_string_member (culprit, "name"), ==, "beamscope_mailbox");
  g_assert_cmpint (json_object_get_int_member (culprit, "value"), ==, 1500);
}

/* With the fixture's mailbox and busy loop stopped, a node at rest has
 * nothing to report under the default thresholds: exit 0. */
static void
test_quiet_node_ok (void)
{
  g_auto(BeamTestRun) run = { 0 };
  g_auto(GStrv) lines = NULL;

  erl_call ("supervisor", "terminate_child", "[beamscope_fixture_sup, mailbox]");
  erl_call ("supervisor", "terminate_child", "[beamscope_fixture_sup, busy]");
  run_on_node (&run, "diagnose", NULL);
  erl_call ("supervisor", "restart_child", "[beamscope_fixture_sup, mailbox]");
  erl_call ("supervisor", "restart_child", "[beamscope_fixture_sup, busy]");

  g_assert_cmpint (run.status, ==, 0);
  lines = assert_plugin_output (&run, "OK");
  g_assert_true (g_str_has_prefix (lines[0], "BEAM OK - all 12 checks ok | "));
  for (guint i = 0; i < G_N_ELEMENTS (check_names); i++)
    g_assert_true (g_regex_match_simple ("^[a-z_]+ +OK ", lines[i + 1], 0, 0));
}

/* A mailbox fed a few thousand messages a second (the trouble fixture's
 * growing_mailbox): queue_growth is critical, and names the process. */
static void
test_growing_queue_critical (void)
{
  g_auto(BeamTestRun) run = { 0 };
  g_auto(GStrv) lines = NULL;

  erl_call ("beamscope_trouble", "growing_mailbox", "[3000]");
  run_on_node (&run, "diagnose", "--threshold", "queue_growth=100,500", NULL);
  erl_call ("beamscope_trouble", "stop", "[beamscope_trouble_feeder]");
  erl_call ("beamscope_trouble", "stop", "[beamscope_trouble_sleeper]");

  g_assert_cmpint (run.status, ==, 2);
  lines = assert_plugin_output (&run, "CRITICAL");
  g_assert_nonnull (strstr (lines[0], "queue_growth: "));
  g_assert_nonnull (strstr (lines[0], "beamscope_trouble_sleeper"));
  g_assert_true (g_regex_match_simple ("^queue_growth +CRITICAL +.*beamscope_trouble_sleeper",
                                       lines[2], 0, 0));
}

/* The node could not be asked: "BEAM UNKNOWN - why" on stdout, exit 3;
 * with --json stdout stays empty and the reason is stderr's one line. */
static void
test_unknown_node (void)
{
  g_auto(BeamTestRun) run = { 0 };
  g_auto(BeamTestRun) json = { 0 };

  run_cli (&run, "--node", "nobody_here@localhost", "--cookie", "x", "diagnose", NULL);
  g_assert_cmpint (run.status, ==, 3);
  g_assert_true (g_str_has_prefix (run.out, "BEAM UNKNOWN - "));
  g_assert_nonnull (strstr (run.out, "nobody_here"));
  g_assert_true (strchr (run.out, '\n') == run.out + strlen (run.out) - 1);
  g_assert_cmpstr (run.err, ==, "");

  run_cli (&json, "--node", "nobody_here@localhost", "--cookie", "x", "--json", "diagnose", NULL);
  g_assert_cmpint (json.status, ==, 3);
  g_assert_cmpstr (json.out, ==, "");
  g_assert_true (g_str_has_prefix (json.err, "beamscope-cli: "));
  g_assert_nonnull (strstr (json.err, "nobody_here"));
}

static void
test_wrong_cookie (void)
{
  g_auto(BeamTestRun) run = { 0 };

  run_cli (&run, "--node", node->name, "--cookie", "wrong", "diagnose", NULL);
  g_assert_cmpint (run.status, ==, 3);
  g_assert_true (g_str_has_prefix (run.out, "BEAM UNKNOWN - "));
  g_assert_nonnull (strstr (run.out, "cookie"));
}

/* A stopped node: unknown within the connection's deadline. */
static void
test_stopped_node (void)
{
  g_auto(BeamTestRun) run = { 0 };

  beam_test_node_kill (node, SIGSTOP);
  run_on_node (&run, "--connect-timeout", "1500", "diagnose", NULL);
  beam_test_node_kill (node, SIGCONT);
  g_assert_cmpint (run.status, ==, 3);
  g_assert_true (g_str_has_prefix (run.out, "BEAM UNKNOWN - "));
  g_assert_cmpfloat (run.elapsed_ms, <, 4000 * BEAM_TEST_SLOWDOWN);
}

/* A node that stops answering while the checks run: the checks still
 * sampling miss their deadline (--timeout past the window), and the run is
 * unknown, in that time, with the reason said once. */
static void
test_stopped_while_checking (void)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  gint64 start = g_get_monotonic_time ();
  double elapsed_ms;

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                              &error, g_getenv ("BEAMSCOPE_CLI"), "--node", node->name,
                              "--cookie", node->cookie, "diagnose", "--window", "2000",
                              "--timeout", "1000", NULL);
  g_assert_no_error (error);
  /* Connected (tens of ms) and inside the window when the node stops. */
  g_usleep (700 * 1000);
  beam_test_node_kill (node, SIGSTOP);
  g_assert_true (g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &err, &error));
  beam_test_node_kill (node, SIGCONT);
  g_assert_no_error (error);
  elapsed_ms = (g_get_monotonic_time () - start) / 1000.0;
  g_test_message ("exit %d in %.0f ms\n%s%s", g_subprocess_get_exit_status (process), elapsed_ms,
                  out, err);

  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 3);
  g_assert_true (g_str_has_prefix (out, "BEAM UNKNOWN - "));
  /* The checks that sample the window missed it alike: named together,
   * their reason said once. */
  g_assert_nonnull (strstr (out, "queue_growth, atoms, schedulers, dirty_schedulers: Timed out"));
  /* Two windows (memory_growth's) and --timeout, and what connecting and
   * closing take. */
  g_assert_cmpfloat (elapsed_ms, <, (2 * 2000 + 1000 + 2000) * BEAM_TEST_SLOWDOWN);
}

/* Usage errors are unknowns too, as plugins report them, naming what is wrong. */
static void
test_usage_errors (void)
{
  static const struct
  {
    const char *args[4];
    const char *says;
  } cases[] = {
    { { "--threshold", "bogus=1", NULL }, "message_queue, queue_growth" },
    { { "--threshold", "atoms=90,80", NULL }, "below" },
    { { "--threshold", "process_memory=12XB", NULL }, "256MiB" },
    { { "--window", "0", NULL }, "--window" },
    { { "--window", "soon", NULL }, "--window" },
    { { "--top", "0", NULL }, "--top" },
    { { "--no-such-option", NULL }, "no-such-option" },
    { { "extra-argument", NULL }, "usage" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(BeamTestRun) run = { 0 };
      const char * const *a = cases[i].args;

      run_on_node (&run, "diagnose", a[0], a[1], a[2], NULL);
      g_assert_cmpint (run.status, ==, 3);
      g_assert_true (g_str_has_prefix (run.out, "BEAM UNKNOWN - "));
      g_assert_true (strchr (run.out, '\n') == run.out + strlen (run.out) - 1);
      if (strstr (run.out, cases[i].says) == NULL)
        g_error ("“%s” does not say “%s”", run.out, cases[i].says);
    }

  /* No --node at all. */
  {
    g_auto(BeamTestRun) run = { 0 };

    run_cli (&run, "diagnose", NULL);
    g_assert_cmpint (run.status, ==, 3);
    g_assert_nonnull (strstr (run.out, "--node"));
  }
}

/* binleak garbage-collects every process: refused without --yes, before
 * anything is asked. */
static void
test_binleak_refused (void)
{
  g_auto(BeamTestRun) run = { 0 };

  run_on_node (&run, "binleak", NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_cmpstr (run.out, ==, "");
  g_assert_nonnull (strstr (run.err, "garbage-collects every process"));
  g_assert_nonnull (strstr (run.err, "--yes"));
}

/* A process holding 200 refc binaries it no longer uses frees the most:
 * it comes first, named, its value the binaries freed (negative), and the
 * list is ranked most freed first. */
static void
test_binleak (void)
{
  static const char * const keys[] = { "pid", "value", "name", "initial_call",
                                       "current_function", NULL };
  g_auto(BeamTestRun) json = { 0 };
  g_auto(BeamTestRun) text = { 0 };
  g_autoptr(JsonNode) root = NULL;
  JsonArray *leaks;
  JsonObject *first;
  g_auto(GStrv) lines = NULL;
  gint64 last = G_MININT64;

  /* The binaries are garbage on its heap until something collects it; its
   * binary heap is big enough that making them does not. */
  erl_eval ("Parent = self(),\n"
            "P = spawn_opt(fun() -> register(beamscope_test_leaky, self()),\n"
            "                       _ = [binary:copy(<<1>>, 100) || _ <- lists:seq(1, 200)],\n"
            "                       Parent ! made,\n"
            "                       receive stop -> ok end\n"
            "              end, [{min_bin_vheap_size, 1000000}]),\n"
            "receive made -> ok end,\n"
            "P.\n");
  run_on_node (&json, "--json", "binleak", "--yes", "-n", "5", NULL);
  g_assert_cmpint (json.status, ==, 0);
  g_assert_cmpstr (json.err, ==, "");
  leaks = parse_array (json.out, &root);
  g_assert_cmpuint (json_array_get_length (leaks), ==, 5);
  for (guint i = 0; i < json_array_get_length (leaks); i++)
    {
      JsonObject *leak = json_array_get_object_element (leaks, i);
      g_autoptr(GList) members = json_object_get_members (leak);

      g_assert_cmpuint (g_list_length (members), ==, g_strv_length ((char **) keys));
      for (guint k = 0; keys[k] != NULL; k++)
        g_assert_true (json_object_has_member (leak, keys[k]));
      g_assert_cmpint (json_object_get_int_member (leak, "value"), >=, last);
      last = json_object_get_int_member (leak, "value");
    }
  first = json_array_get_object_element (leaks, 0);
  g_assert_cmpstr (json_object_get_string_member (first, "name"), ==, "beamscope_test_leaky");
  g_assert_cmpint (json_object_get_int_member (first, "value"), <=, -200);

  run_on_node (&text, "binleak", "--yes", "-n", "3", NULL);
  g_assert_cmpint (text.status, ==, 0);
  g_assert_true (g_regex_match_simple ("^PID +VALUE +NAME +INITIAL CALL +CURRENT FUNCTION\n",
                                       text.out, 0, 0));
  lines = g_strsplit (text.out, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 5);
  erl_call ("erlang", "send", "[beamscope_test_leaky, stop]");
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

  g_test_add_func ("/cli-diagnose/warning-names-the-mailbox", test_warning_names_the_mailbox);
  g_test_add_func ("/cli-diagnose/critical-with-threshold", test_critical_with_threshold);
  g_test_add_func ("/cli-diagnose/json", test_json);
  g_test_add_func ("/cli-diagnose/quiet-node-ok", test_quiet_node_ok);
  g_test_add_func ("/cli-diagnose/growing-queue-critical", test_growing_queue_critical);
  g_test_add_func ("/cli-diagnose/unknown-node", test_unknown_node);
  g_test_add_func ("/cli-diagnose/wrong-cookie", test_wrong_cookie);
  g_test_add_func ("/cli-diagnose/stopped-node", test_stopped_node);
  g_test_add_func ("/cli-diagnose/stopped-while-checking", test_stopped_while_checking);
  g_test_add_func ("/cli-diagnose/usage-errors", test_usage_errors);
  g_test_add_func ("/cli-diagnose/binleak-refused", test_binleak_refused);
  g_test_add_func ("/cli-diagnose/binleak", test_binleak);

  status = g_test_run ();
  beam_test_node_free (node);
  return status;
}
