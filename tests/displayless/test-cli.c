/* SPDX-License-Identifier: GPL-3.0-or-later */
/* beamscope-cli as a user runs it: its JSON against what the node says of
 * itself (written by the node, read back through erl_call, an independent
 * client), and the one-line errors for each way of failing. */

#include <json-glib/json-glib.h>
#include <glib/gstdio.h>
#include <signal.h>

#include "beam-test-node.h"

static BeamTestNode *node;

typedef struct
{
  int   status;
  char *out;
  char *err;
} Run;

static void
run_clear (Run *run)
{
  g_free (run->out);
  g_free (run->err);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

static void
run_cli (Run                *run,
         const char * const *envp_extra,
         ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_auto(GStrv) envp = g_get_environ ();
  g_autoptr(GError) error = NULL;
  const char *arg;
  va_list args;
  int wait_status;

  g_ptr_array_add (argv, (char *) g_getenv ("BEAMSCOPE_CLI"));
  va_start (args, envp_extra);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (char *) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  for (guint i = 0; envp_extra != NULL && envp_extra[i] != NULL; i += 2)
    envp = g_environ_setenv (envp, envp_extra[i], envp_extra[i + 1], TRUE);

  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, envp, G_SPAWN_DEFAULT, NULL, NULL,
                               &run->out, &run->err, &wait_status, &error));
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (wait_status));
  run->status = WEXITSTATUS (wait_status);
}

/* The error contract: non-zero, and exactly one line on stderr. */
static void
assert_one_line_error (const Run  *run,
                       const char *must_contain)
{
  g_assert_cmpint (run->status, ==, 1);
  g_assert_true (g_str_has_prefix (run->err, "beamscope-cli: "));
  g_assert_true (g_str_has_suffix (run->err, "\n"));
  g_assert_true (strchr (run->err, '\n') == run->err + strlen (run->err) - 1);
  g_assert_nonnull (strstr (run->err, must_contain));
  g_assert_cmpstr (run->out, ==, "");
}

static JsonObject *
node_report (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (node->dir, "report.json", NULL);
  g_autofree char *args = g_strdup_printf ("[\"%s\"]", path);
  g_autofree char *printed = beam_test_node_erl_call (node, "beamscope_fixture", "write_report", args, &error);
  g_autoptr(JsonParser) parser = json_parser_new ();

  g_assert_no_error (error);
  g_assert_true (json_parser_load_from_file (parser, path, &error));
  g_assert_no_error (error);
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static void
test_info_json_agrees_with_node (void)
{
  g_auto(Run) run = { 0 };
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
  run_cli (&run, NULL, "--node", node->name, "--cookie-file", node->cookie_file, "--json", "info", NULL);
  g_assert_cmpstr (run.err, ==, "");
  g_assert_cmpint (run.status, ==, 0);
  report = node_report ();

  g_assert_true (json_parser_load_from_data (parser, run.out, -1, &error));
  g_assert_no_error (error);
  info = json_node_get_object (json_parser_get_root (parser));

  g_assert_cmpstr (json_object_get_string_member (info, "node"), ==, json_object_get_string_member (report, "node"));
  g_assert_cmpstr (json_object_get_string_member (info, "otp_release"), ==, json_object_get_string_member (report, "otp_release"));
  g_assert_cmpstr (json_object_get_string_member (info, "erts_version"), ==, json_object_get_string_member (report, "erts_version"));
  for (guint i = 0; i < G_N_ELEMENTS (exact); i++)
    {
      g_test_message ("%s", exact[i]);
      g_assert_cmpint (json_object_get_int_member (info, exact[i]), ==, json_object_get_int_member (report, exact[i]));
    }

  /* Counts move between the two readings by a few: our rex workers, erl_call's. */
  g_assert_cmpint (ABS (json_object_get_int_member (info, "process_count") -
                        json_object_get_int_member (report, "process_count")), <=, 5);
  g_assert_cmpint (json_object_get_int_member (info, "atom_count"), >=, json_object_get_int_member (before, "atom_count"));
  g_assert_cmpint (json_object_get_int_member (info, "atom_count"), <=, json_object_get_int_member (report, "atom_count"));
  g_assert_cmpint (ABS (json_object_get_int_member (info, "port_count") -
                        json_object_get_int_member (report, "port_count")), <=, 3);
  g_assert_cmpint (ABS (json_object_get_int_member (info, "ets_count") -
                        json_object_get_int_member (report, "ets_count")), <=, 3);
  for (guint i = 0; i < G_N_ELEMENTS (growing); i++)
    {
      g_test_message ("%s", growing[i]);
      g_assert_cmpint (json_object_get_int_member (info, growing[i]), >=, json_object_get_int_member (before, growing[i]));
      g_assert_cmpint (json_object_get_int_member (info, growing[i]), <=, json_object_get_int_member (report, growing[i]));
    }
  g_assert_cmpint (json_object_get_int_member (info, "run_queue"), >=, 0);
  g_assert_true (json_object_get_boolean_member (info, "observer_backend"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (info, "run_queue_lengths")), >=,
                    json_object_get_int_member (report, "schedulers"));

  memory = json_object_get_object_member (info, "memory");
  for (guint i = 0; i < G_N_ELEMENTS (memory_keys); i++)
    {
      gint64 ours = json_object_get_int_member (memory, memory_keys[i]);
      gint64 first = json_object_get_int_member (json_object_get_object_member (before, "memory"), memory_keys[i]);
      gint64 last = json_object_get_int_member (json_object_get_object_member (report, "memory"), memory_keys[i]);
      /* Heaps grow and shrink with each GC between the readings: allow 10%
       * and 1 MiB around the range the node itself reported. */
      double low = MIN (first, last) * 0.9 - 1024 * 1024;
      double high = MAX (first, last) * 1.1 + 1024 * 1024;

      g_test_message ("memory.%s: %" G_GINT64_FORMAT " in [%" G_GINT64_FORMAT ", %" G_GINT64_FORMAT "]",
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
  g_auto(Run) run = { 0 };
  JsonObject *info;

  g_assert_no_error (error);
  run_cli (&run, NULL, "--node", bare->name, "--cookie", bare->cookie, "--json", "info", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (json_parser_load_from_data (parser, run.out, -1, &error));
  info = json_node_get_object (json_parser_get_root (parser));
  g_assert_false (json_object_get_boolean_member (info, "observer_backend"));
  g_assert_cmpint (json_object_get_int_member (info, "process_count"), >, 10);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (info, "memory"), "total"), >, 0);
}

static void
test_info_table (void)
{
  g_auto(Run) run = { 0 };

  run_cli (&run, NULL, "--node", node->name, "--cookie", node->cookie, "info", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, node->name));
  g_assert_nonnull (strstr (run.out, "Atoms"));
  g_assert_nonnull (strstr (run.out, "Memory total"));
}

static void
test_nodes (void)
{
  g_auto(Run) run = { 0 };
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
      if (g_str_equal (json_object_get_string_member (entry, "name"), node->alive))
        {
          found = TRUE;
          g_assert_cmpint (json_object_get_int_member (entry, "port"), >, 0);
        }
    }
  g_assert_true (found);
}

static void
test_unknown_node (void)
{
  g_auto(Run) run = { 0 };

  run_cli (&run, NULL, "--node", "nobody_here@localhost", "--cookie", "x", "info", NULL);
  assert_one_line_error (&run, "nobody_here");
  g_assert_nonnull (strstr (run.err, "EPMD"));
}

static void
test_wrong_cookie (void)
{
  g_auto(Run) run = { 0 };

  run_cli (&run, NULL, "--node", node->name, "--cookie", "wrong", "info", NULL);
  assert_one_line_error (&run, "cookie");
}

static void
test_epmd_unreachable (void)
{
  const char * const env[] = { "ERL_EPMD_PORT", "1", NULL };
  g_auto(Run) run = { 0 };

  run_cli (&run, env, "--node", node->name, "--cookie", node->cookie, "info", NULL);
  assert_one_line_error (&run, "EPMD unreachable");
}

static void
test_timed_out (void)
{
  g_auto(Run) run = { 0 };
  gint64 start = g_get_monotonic_time ();

  beam_test_node_kill (node, SIGSTOP);
  run_cli (&run, NULL, "--node", node->name, "--cookie", node->cookie, "--timeout", "1500", "info", NULL);
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
  g_auto(Run) run = { 0 };
  g_autofree char *path = g_build_filename (node->dir, "open-cookie", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents_full (path, node->cookie, -1, G_FILE_SET_CONTENTS_NONE, 0644, &error));
  run_cli (&run, NULL, "--node", node->name, "--cookie-file", path, "info", NULL);
  assert_one_line_error (&run, "owner only");
  g_unlink (path);
}

static void
test_usage (void)
{
  g_auto(Run) run = { 0 };

  run_cli (&run, NULL, "info", NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "--node"));
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
  g_test_add_func ("/cli/nodes", test_nodes);
  g_test_add_func ("/cli/unknown-node", test_unknown_node);
  g_test_add_func ("/cli/wrong-cookie", test_wrong_cookie);
  g_test_add_func ("/cli/epmd-unreachable", test_epmd_unreachable);
  g_test_add_func ("/cli/timed-out", test_timed_out);
  g_test_add_func ("/cli/cookie-file-readable-by-others", test_cookie_file_readable_by_others);
  g_test_add_func ("/cli/usage", test_usage);

  status = g_test_run ();
  beam_test_node_free (node);
  return status;
}
