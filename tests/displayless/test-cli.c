/* SPDX-License-Identifier: GPL-3.0-or-later */
/* beamscope-cli as a user runs it: its JSON against what the node says of
 * itself (written by the node, read back through erl_call, an independent
 * client), and the one-line errors for each way of failing. */

#include "config.h"

#include <json-glib/json-glib.h>
#include <glib/gstdio.h>
#include <signal.h>

#include "beam-test-node.h"

static BeamTestNode *node;

/* beamscope-cli ARGS... (NULL-terminated) with `envp_extra` (NAME, VALUE
 * pairs) added to our environment. */
static void
run_cli (BeamTestRun        *run,
         const char * const *envp_extra,
         ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  const char *arg;
  va_list args;

  va_start (args, envp_extra);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (char *) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);
  beam_test_cli_run (run, envp_extra, (const char * const *) argv->pdata);
}

/* The error contract: non-zero, and exactly one line on stderr. */
static void
assert_one_line_error (const BeamTestRun *run,
                       const char        *must_contain)
{
  g_assert_cmpint (run->status, ==, 1);
  g_assert_true (g_str_has_prefix (run->err, "beamscope-cli: "));
  g_assert_true (g_str_has_suffix (run->err, "\n"));
  g_assert_true (strchr (run->err, '\n') == run->err + strlen (run->err) - 1);
  g_assert_nonnull (strstr (run->err, must_contain));
  g_assert_cmpstr (run->out, ==, "");
}

static gint64
int_of (JsonObject *object,
        const char *member)
{
  return json_object_get_int_member (object, member);
}

static const char *
text_of (JsonObject *object,
         const char *member)
{
  return json_object_get_string_member (object, member);
}

static JsonObject *
node_report (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (node->dir, "report.json", NULL);
  g_autofree char *args = g_strdup_printf ("[\"%s\"]", path);
  g_autofree char *printed = beam_test_node_erl_call (node, "beamscope_fixture", "write_report",
                                                      args, &error);
  g_autoptr(JsonParser) parser = json_parser_new ();

  g_assert_no_error (error);
  g_assert_true (json_parser_load_from_file (parser, path, &error));
  g_assert_no_error (error);
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static void
test_info_json_agrees_with_node (void)
{
  g_auto(BeamTestRun) run = { 0 };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonObject) before = NULL;
  g_autoptr(JsonObject) report = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *info;
  JsonObject *memory;
  static const char * const exact[] = {
    "schedulers", "schedulers_online", "dirty_cpu_schedulers", "dirty_io_schedulers",
    "logical_processors", "process_limit", "atom_limit", "port_limit", "ets_limit",
  };
  static const char * const growing[] = { "uptime_ms", "io_input", "io_output" };
  static const char * const memory_keys[] = {
    "total", "processes", "processes_used", "system", "atom", "atom_used", "binary", "code", "ets",
  };

  /* The node reports on itself just before and just after the CLI asks it:
   * counters that only grow must fall between the two readings. */
  before = node_report ();
  run_cli (&run, NULL, "--node", node->name, "--cookie-file", node->cookie_file, "--json", "info",
           NULL);
  g_assert_cmpstr (run.err, ==, "");
  g_assert_cmpint (run.status, ==, 0);
  report = node_report ();

  g_assert_true (json_parser_load_from_data (parser, run.out, -1, &error));
  g_assert_no_error (error);
  info = json_node_get_object (json_parser_get_root (parser));

  g_assert_cmpstr (text_of (info, "node"), ==, text_of (report, "node"));
  g_assert_cmpstr (text_of (info, "otp_release"), ==, text_of (report, "otp_release"));
  g_assert_cmpstr (text_of (info, "erts_version"), ==, text_of (report, "erts_version"));
  for (guint i = 0; i < G_N_ELEMENTS (exact); i++)
    {
      g_test_message ("%s", exact[i]);
      g_assert_cmpint (int_of (info, exact[i]), ==, int_of (report, exact[i]));
    }

  /* Counts move between the two readings by a few: our rex workers, erl_call's. */
  g_assert_cmpint (ABS (int_of (info, "process_count") -
                        int_of (report, "process_count")), <=, 5);
  g_assert_cmpint (int_of (info, "atom_count"), >=, int_of (before, "atom_count"));
  g_assert_cmpint (int_of (info, "atom_count"), <=, int_of (report, "atom_count"));
  g_assert_cmpint (ABS (int_of (info, "port_count") -
                        int_of (report, "port_count")), <=, 3);
  g_assert_cmpint (ABS (int_of (info, "ets_count") -
                        int_of (report, "ets_count")), <=, 3);
  for (guint i = 0; i < G_N_ELEMENTS (growing); i++)
    {
      g_test_message ("%s", growing[i]);
      g_assert_cmpint (int_of (info, growing[i]), >=, int_of (before, growing[i]));
      g_assert_cmpint (int_of (info, growing[i]), <=, int_of (report, growing[i]));
    }
  g_assert_cmpint (int_of (info, "run_queue"), ==,
                   int_of (info, "run_queue_normal") + int_of (info, "run_queue_dirty_cpu") +
                   int_of (info, "run_queue_dirty_io"));
  {
    JsonObject *os = json_object_get_object_member (info, "os_process");

    g_assert_cmpint (int_of (os, "os_pid"), ==, node->pid);
    g_assert_cmpint (int_of (os, "rss"), >, 0);
    g_assert_cmpint (int_of (os, "virtual_size"), >=, int_of (os, "rss"));
    g_assert_cmpint (int_of (os, "open_fds"), >, 0);
    g_assert_cmpint (int_of (os, "open_fds"), <, int_of (os, "fd_limit"));
  }
  g_assert_true (json_object_get_boolean_member (info, "observer_backend"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (info,
                                                                         "run_queue_lengths")), >=,
                    int_of (report, "schedulers"));

  memory = json_object_get_object_member (info, "memory");
  for (guint i = 0; i < G_N_ELEMENTS (memory_keys); i++)
    {
      gint64 ours = int_of (memory, memory_keys[i]);
      gint64 first = int_of (json_object_get_object_member (before, "memory"), memory_keys[i]);
      gint64 last = int_of (json_object_get_object_member (report, "memory"), memory_keys[i]);
      /* Heaps grow and shrink with each GC between the readings: allow 10%
       * and 1 MiB around the range the node itself reported. */
      double low = MIN (first, last) * 0.9 - 1024 * 1024;
      double high = MAX (first, last) * 1.1 + 1024 * 1024;

      g_test_message ("memory.%s: %" G_GINT64_FORMAT
                      " in [%" G_GINT64_FORMAT ", %" G_GINT64_FORMAT "]",
                      memory_keys[i], ours, first, last);
      g_assert_cmpint (ours, >, 0);
      g_assert_cmpfloat (ours, >=, low);
      g_assert_cmpfloat (ours, <=, high);
    }
}

/* A release without runtime_tools: no observer_backend, and the System data
 * comes all the same, from plain BIF calls. */
static void
test_info_without_runtime_tools (void)
{
  const char * const args[] = { "-eval", "true = code:del_path(runtime_tools).", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(BeamTestNode) bare = beam_test_node_start (args, &error);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_auto(BeamTestRun) run = { 0 };
  JsonObject *info;

  g_assert_no_error (error);
  run_cli (&run, NULL, "--node", bare->name, "--cookie", bare->cookie, "--json", "info", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (json_parser_load_from_data (parser, run.out, -1, &error));
  info = json_node_get_object (json_parser_get_root (parser));
  g_assert_false (json_object_get_boolean_member (info, "observer_backend"));
  g_assert_cmpint (int_of (info, "process_count"), >, 10);
  g_assert_cmpint (int_of (json_object_get_object_member (info, "memory"), "total"), >, 0);
}

static void
test_info_table (void)
{
  g_auto(BeamTestRun) run = { 0 };

  run_cli (&run, NULL, "--node", node->name, "--cookie", node->cookie, "info", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, node->name));
  g_assert_nonnull (strstr (run.out, "Atoms"));
  g_assert_nonnull (strstr (run.out, "Memory total"));
  /* The run queues say what they count (issue 13, item 9), the OS process
   * is the node's (item 17). */
  g_assert_nonnull (strstr (run.out, "Run queues (ready to run)"));
  g_assert_nonnull (strstr (run.out, "(normal "));
  g_assert_nonnull (strstr (run.out, ", dirty CPU "));
  g_assert_nonnull (strstr (run.out, ", dirty IO "));
  {
    g_autofree char *pid_line = g_strdup_printf ("OS pid                       %d\n", node->pid);
    g_assert_nonnull (strstr (run.out, pid_line));
  }
  g_assert_nonnull (strstr (run.out, "Open file descriptors"));
}

/* One way to write a size (issue 13): --units picks binary or decimal
 * units for every size the text output prints; JSON keeps bytes. */
static void
test_units (void)
{
  g_auto(BeamTestRun) binary = { 0 };
  g_auto(BeamTestRun) decimal = { 0 };
  g_auto(BeamTestRun) wrong = { 0 };

  run_cli (&binary, NULL, "--node", node->name, "--cookie", node->cookie, "--units", "binary",
           "info", NULL);
  g_assert_cmpint (binary.status, ==, 0);
  g_assert_nonnull (strstr (binary.out, "\u00a0MiB"));
  g_assert_null (strstr (binary.out, "\u00a0MB"));

  run_cli (&decimal, NULL, "--node", node->name, "--cookie", node->cookie, "--units", "decimal",
           "info", NULL);
  g_assert_cmpint (decimal.status, ==, 0);
  g_assert_nonnull (strstr (decimal.out, "\u00a0MB"));
  g_assert_null (strstr (decimal.out, "\u00a0MiB"));

  run_cli (&wrong, NULL, "--node", node->name, "--units", "metric", "info", NULL);
  g_assert_cmpint (wrong.status, ==, 2);
  g_assert_nonnull (strstr (wrong.err, "--units"));
}

static void
test_nodes (void)
{
  g_auto(BeamTestRun) run = { 0 };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonArray *nodes;
  gboolean found = FALSE;

  run_cli (&run, NULL, "--json", "nodes", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (json_parser_load_from_data (parser, run.out, -1, &error));
  nodes = json_node_get_array (json_parser_get_root (parser));
  for (guint i = 0; i < json_array_get_length (nodes); i++)
    {
      JsonObject *entry = json_array_get_object_element (nodes, i);
      if (g_str_equal (text_of (entry, "name"), node->alive))
        {
          found = TRUE;
          g_assert_cmpint (int_of (entry, "port"), >, 0);
        }
    }
  g_assert_true (found);
}

/* nodes --names, what the shell completions offer after --node: the node's
 * full name, one a line, and nothing else. */
static void
test_nodes_names (void)
{
  g_auto(BeamTestRun) run = { 0 };
  g_auto(GStrv) lines = NULL;

  run_cli (&run, NULL, "nodes", "--names", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.err, ==, "");
  lines = g_strsplit (run.out, "\n", -1);
  g_assert_true (g_strv_contains ((const char * const *) lines, node->name));
  for (guint i = 0; lines[i] != NULL && lines[i][0] != '\0'; i++)
    g_assert_nonnull (strchr (lines[i], '@'));
}

static void
test_version (void)
{
  g_auto(BeamTestRun) run = { 0 };

  run_cli (&run, NULL, "--version", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.out, ==, "beamscope-cli " PACKAGE_VERSION "\n");
}

static void
test_unknown_node (void)
{
  g_auto(BeamTestRun) run = { 0 };

  run_cli (&run, NULL, "--node", "nobody_here@localhost", "--cookie", "x", "info", NULL);
  assert_one_line_error (&run, "nobody_here");
  g_assert_nonnull (strstr (run.err, "EPMD"));
}

static void
test_wrong_cookie (void)
{
  g_auto(BeamTestRun) run = { 0 };

  run_cli (&run, NULL, "--node", node->name, "--cookie", "wrong", "info", NULL);
  assert_one_line_error (&run, "cookie");
}

static void
test_epmd_unreachable (void)
{
  const char * const env[] = { "ERL_EPMD_PORT", "1", NULL };
  g_auto(BeamTestRun) run = { 0 };

  run_cli (&run, env, "--node", node->name, "--cookie", node->cookie, "info", NULL);
  assert_one_line_error (&run, "EPMD unreachable");
}

static void
test_timed_out (void)
{
  g_auto(BeamTestRun) run = { 0 };
  gint64 start = g_get_monotonic_time ();

  /* A stopped node does not complete the handshake: connecting has its own
   * deadline, apart from --timeout's for each question. */
  beam_test_node_kill (node, SIGSTOP);
  run_cli (&run, NULL, "--node", node->name, "--cookie", node->cookie, "--connect-timeout", "1500",
           "info", NULL);
  beam_test_node_kill (node, SIGCONT);

  assert_one_line_error (&run, node->name);
  g_assert_nonnull (strstr (run.err, "Timed out"));
  g_test_message ("timed out after %.0f ms", (g_get_monotonic_time () - start) / 1000.0);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 4 * G_USEC_PER_SEC);
}

/* As erl does, a cookie file others can read is refused, and said to be. */
static void
test_cookie_file_readable_by_others (void)
{
  g_auto(BeamTestRun) run = { 0 };
  g_autofree char *path = g_build_filename (node->dir, "open-cookie", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents_full (path, node->cookie, -1, G_FILE_SET_CONTENTS_NONE, 0644,
                                           &error));
  run_cli (&run, NULL, "--node", node->name, "--cookie-file", path, "info", NULL);
  assert_one_line_error (&run, "owner only");
  g_unlink (path);
}

static void
test_usage (void)
{
  g_auto(BeamTestRun) run = { 0 };

  run_cli (&run, NULL, "info", NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "--node"));
}

/* --read-only refuses the commands that change the node before connecting,
 * whatever their other options say, and lets the others run: the app's
 * read-only mode, for scripts. */
static void
test_read_only (void)
{
  static const char * const changing[][6] = {
    { "binleak", "--yes", NULL },
    { "binary-gc", "--yes", NULL },
    { "trace", "calls", "lists:seq/2", "--count", "5", NULL },
  };
  g_autoptr(GError) error = NULL;
  g_autofree char *traced = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (changing); i++)
    {
      g_auto(BeamTestRun) run = { 0 };
      g_autoptr(GPtrArray) argv = g_ptr_array_new ();
      const char * const before[] = { "--node", node->name, "--cookie-file", node->cookie_file,
                                      "--read-only" };

      for (guint k = 0; k < G_N_ELEMENTS (before); k++)
        g_ptr_array_add (argv, (char *) before[k]);
      for (guint k = 0; changing[i][k] != NULL; k++)
        g_ptr_array_add (argv, (char *) changing[i][k]);
      g_ptr_array_add (argv, NULL);
      beam_test_cli_run (&run, NULL, (const char * const *) argv->pdata);
      g_test_message ("%s: %s", changing[i][0], run.err);
      g_assert_cmpint (run.status, ==, 2);
      g_assert_cmpstr (run.out, ==, "");
      g_assert_nonnull (strstr (run.err, changing[i][0]));
      g_assert_nonnull (strstr (run.err, "--read-only"));
    }
  /* The trace was refused before any pattern was set. */
  traced = beam_test_node_erl_call (node, "erlang", "trace_info",
                                    "[{lists, seq, 2}, traced]", &error);
  g_assert_no_error (error);
  g_test_message ("trace_info: %s", traced);
  g_assert_true (g_regex_match_simple ("\\{\\s*traced\\s*,\\s*false\\s*\\}", traced, 0, 0));

  /* A command that only reads runs as before. */
  {
    g_auto(BeamTestRun) run = { 0 };

    run_cli (&run, NULL, "--node", node->name, "--cookie-file", node->cookie_file,
             "--read-only", "memory", NULL);
    g_assert_cmpint (run.status, ==, 0);
    g_assert_cmpstr (run.err, ==, "");
  }
}

/* Every command of the table, as --help lists them. */
static const char * const commands[] = {
  "nodes", "cluster", "info", "procs", "top", "proc", "state", "sched", "memory", "alloc", "ets",
  "rows", "mnesia", "ports", "heaps", "binary-gc", "apps", "tree", "diagnose", "binleak", "trace",
};

/* The names --help lists under "Commands:", one a line, in order. */
static GPtrArray *
listed_commands (const char *help)
{
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  const char *section = strstr (help, "\nCommands:\n");
  g_auto(GStrv) lines = NULL;

  g_assert_nonnull (section);
  lines = g_strsplit (section + strlen ("\nCommands:\n"), "\n", -1);
  for (guint i = 0; lines[i] != NULL && g_str_has_prefix (lines[i], "  "); i++)
    {
      g_auto(GStrv) words = g_strsplit (g_strchug (lines[i]), " ", 2);
      g_ptr_array_add (names, g_strdup (words[0]));
    }
  return names;
}

/* --help lists each command of the table, and each one it lists answers
 * COMMAND --help with its own usage: the list is the table. */
static void
test_help_lists_commands (void)
{
  g_auto(BeamTestRun) run = { 0 };
  g_autoptr(GPtrArray) names = NULL;

  run_cli (&run, NULL, "--help", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.err, ==, "");
  names = listed_commands (run.out);
  g_assert_cmpuint (names->len, ==, G_N_ELEMENTS (commands));
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_auto(BeamTestRun) help = { 0 };
      /* "beamscope-cli [OPTION…] top", the ellipsis as the locale spells it */
      g_autofree char *usage = g_strdup_printf ("] %s", commands[i]);

      g_assert_cmpstr (g_ptr_array_index (names, i), ==, commands[i]);
      run_cli (&help, NULL, commands[i], "--help", NULL);
      g_assert_cmpint (help.status, ==, 0);
      g_assert_nonnull (strstr (help.out, "beamscope-cli [OPTION"));
      g_assert_nonnull (strstr (help.out, usage));
      g_assert_nonnull (strstr (help.out, "--json"));
    }

  /* Without a command: the same help, on stderr, as a usage error. */
  {
    g_auto(BeamTestRun) bare = { 0 };

    run_cli (&bare, NULL, NULL);
    g_assert_cmpint (bare.status, ==, 2);
    g_assert_cmpstr (bare.err, ==, run.out);
  }
}

/* Each command takes its own options only: top's --by is no option of info,
 * and nodes, which connects to no node, takes no --node. The message names
 * the command and the option, on one line, before anything is asked. */
static void
test_options_are_per_command (void)
{
  g_auto(BeamTestRun) info = { 0 };
  g_auto(BeamTestRun) nodes = { 0 };
  g_auto(BeamTestRun) top_help = { 0 };
  g_auto(BeamTestRun) info_help = { 0 };

  run_cli (&info, NULL, "--node", node->name, "--cookie", node->cookie, "info", "--by", "memory",
           NULL);
  g_assert_cmpint (info.status, ==, 2);
  g_assert_cmpstr (info.out, ==, "");
  g_assert_true (g_str_has_prefix (info.err, "beamscope-cli: info: "));
  g_assert_nonnull (strstr (info.err, "--by"));
  g_assert_true (strchr (info.err, '\n') == info.err + strlen (info.err) - 1);

  run_cli (&nodes, NULL, "nodes", "--node", node->name, NULL);
  g_assert_cmpint (nodes.status, ==, 2);
  g_assert_true (g_str_has_prefix (nodes.err, "beamscope-cli: nodes: "));
  g_assert_nonnull (strstr (nodes.err, "--node"));

  run_cli (&top_help, NULL, "top", "--help", NULL);
  g_assert_nonnull (strstr (top_help.out, "--by"));
  g_assert_nonnull (strstr (top_help.out, "--window"));
  run_cli (&info_help, NULL, "info", "--help", NULL);
  g_assert_null (strstr (info_help.out, "--by"));
  g_assert_nonnull (strstr (info_help.out, "--node"));
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

  g_test_add_func ("/cli/info-json-agrees-with-node", test_info_json_agrees_with_node);
  g_test_add_func ("/cli/info-without-runtime-tools", test_info_without_runtime_tools);
  g_test_add_func ("/cli/info-table", test_info_table);
  g_test_add_func ("/cli/units", test_units);
  g_test_add_func ("/cli/nodes", test_nodes);
  g_test_add_func ("/cli/nodes-names", test_nodes_names);
  g_test_add_func ("/cli/version", test_version);
  g_test_add_func ("/cli/unknown-node", test_unknown_node);
  g_test_add_func ("/cli/wrong-cookie", test_wrong_cookie);
  g_test_add_func ("/cli/epmd-unreachable", test_epmd_unreachable);
  g_test_add_func ("/cli/timed-out", test_timed_out);
  g_test_add_func ("/cli/cookie-file-readable-by-others", test_cookie_file_readable_by_others);
  g_test_add_func ("/cli/usage", test_usage);
  g_test_add_func ("/cli/read-only", test_read_only);
  g_test_add_func ("/cli/help-lists-commands", test_help_lists_commands);
  g_test_add_func ("/cli/options-are-per-command", test_options_are_per_command);

  status = g_test_run ();
  beam_test_node_free (node);
  return status;
}
