/* SPDX-License-Identifier: GPL-3.0-or-later */
/* beamscope-cli's `cluster` (issue 17, item 4) on a cluster of 3 fixture
 * nodes: its JSON keys and its table for every node, exit 1 while one node
 * is SIGSTOPped, `--watch 1` printing a JSON line a second until Ctrl+C,
 * after which no node keeps the scheduler_wall_time flag it raised, and its
 * usage errors. (`cluster --around`, the nodes around one node, is
 * test-cluster.c's.) */

#include <signal.h>
#include <string.h>

#include <glib/gstdio.h>

#include "beam-test-node.h"

#define CLUSTER_SIZE 3

static GPtrArray *cluster;  /* BeamTestNode, the first the seed */

static BeamTestNode *
cluster_node (guint i)
{
  return g_ptr_array_index (cluster, i);
}

/* The object of `nodes` named `name`, or NULL. */
static JsonObject *
find_node (JsonObject *root,
           const char *name)
{
  JsonArray *nodes = json_object_get_array_member (root, "nodes");

  for (guint i = 0; i < json_array_get_length (nodes); i++)
    {
      JsonObject *node = json_array_get_object_element (nodes, i);

      if (g_strcmp0 (json_object_get_string_member (node, "node"), name) == 0)
        return node;
    }
  return NULL;
}

static JsonNode *
parse_json (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  g_assert_true (json_parser_load_from_data (parser, text, -1, &error));
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

/* Every node of the cluster, connected, with the keys and figures
 * that hold together; each sees the two others; no link is one-way; one
 * partition. */
static void
test_json (void)
{
  static const char * const node_keys[] = {
    "node", "state", "in_cluster", "reason", "otp_release", "uptime_ms", "process_count",
    "process_limit", "memory_total", "memory_binary", "memory_ets", "atom_count", "atom_limit",
    "run_queue", "scheduler_usage", "max_message_queue", "max_message_queue_pid",
    "max_message_queue_name", "sample_reductions", "sees",
  };
  g_autoptr(JsonNode) document = beam_test_node_cli_json (cluster_node (0), "cluster", NULL);
  JsonObject *root = json_node_get_object (document);
  JsonArray *partitions;

  g_assert_cmpstr (json_object_get_string_member (root, "seed"), ==, cluster_node (0)->name);
  g_assert_true (json_object_has_member (root, "links"));
  g_assert_true (json_object_has_member (root, "hidden"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "links")), ==, 0);
  partitions = json_object_get_array_member (root, "partitions");
  g_assert_cmpuint (json_array_get_length (partitions), ==, 1);
  g_assert_cmpuint (json_array_get_length (json_array_get_array_element (partitions, 0)), ==,
                    CLUSTER_SIZE);

  for (guint i = 0; i < CLUSTER_SIZE; i++)
    {
      JsonObject *node = find_node (root, cluster_node (i)->name);
      JsonArray *sees;
      double usage;

      g_assert_nonnull (node);
      for (guint k = 0; k < G_N_ELEMENTS (node_keys); k++)
        if (!json_object_has_member (node, node_keys[k]))
          g_error ("%s has no \"%s\"", cluster_node (i)->name, node_keys[k]);
      g_assert_cmpstr (json_object_get_string_member (node, "state"), ==, "connected");
      g_assert_true (json_object_get_boolean_member (node, "in_cluster"));
      g_assert_cmpint (json_object_get_int_member (node, "uptime_ms"), >, 0);
      g_assert_cmpint (json_object_get_int_member (node, "process_count"), >, 0);
      g_assert_cmpint (json_object_get_int_member (node, "process_count"), <=,
                       json_object_get_int_member (node, "process_limit"));
      g_assert_cmpint (json_object_get_int_member (node, "memory_total"), >=,
                       json_object_get_int_member (node, "memory_binary") +
                       json_object_get_int_member (node, "memory_ets"));
      /* Settled: two samples each, so a usage. */
      usage = json_object_get_double_member (node, "scheduler_usage");
      g_assert_cmpfloat (usage, >=, 0.0);
      g_assert_cmpfloat (usage, <=, 1.0);
      /* Every sample scans: the fixture's 1500-message mailbox. */
      g_assert_cmpint (json_object_get_int_member (node, "max_message_queue"), >=, 1500);
      sees = json_object_get_array_member (node, "sees");
      g_assert_cmpuint (json_array_get_length (sees), ==, CLUSTER_SIZE - 1);
    }
}

/* The table: a heading, a row per node, and the three sections. */
static void
test_text (void)
{
  g_autofree char *err = NULL;
  g_autofree char *out = NULL;
  int status = -1;

  out = beam_test_node_cli (cluster_node (0), &status, &err, "cluster", NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_cmpstr (err, ==, "");
  g_assert_true (g_str_has_prefix (out, "NODE"));
  for (guint i = 0; i < CLUSTER_SIZE; i++)
    {
      g_autofree char *row = g_strdup_printf ("\n%s ", cluster_node (i)->name);

      g_assert_nonnull (strstr (out, row));
    }
  g_assert_nonnull (strstr (out, "\nLinks that are not symmetric:\n"));
  g_assert_nonnull (strstr (out, "\nHidden nodes"));
  g_assert_nonnull (strstr (out, "\nPartitions:\n  none"));
}

/* One node stopped: the run still ends, within its bound, says so on
 * stderr, exits 1 as a check, and the others are connected. */
static void
test_stopped_node_fails (void)
{
  BeamTestNode *stopped = cluster_node (CLUSTER_SIZE - 1);
  g_autofree char *err = NULL;
  g_autofree char *out = NULL;
  g_autoptr(JsonNode) document = NULL;
  JsonObject *root;
  gint64 start;
  int status = -1;

  beam_test_node_kill (stopped, SIGSTOP);
  start = g_get_monotonic_time ();
  out = beam_test_node_cli (cluster_node (0), &status, &err, "--json", "cluster", NULL);
  kill (stopped->pid, SIGCONT);

  g_test_message ("stopped: %" G_GINT64_FORMAT " ms, status %d, %s",
                  (g_get_monotonic_time () - start) / 1000, status, err);
  g_assert_cmpint (status, ==, 1);
  g_assert_true (g_str_has_prefix (err, "beamscope-cli: "));
  g_assert_true (strchr (err, '\n') == err + strlen (err) - 1);
  /* Within the default bound of 15 s, plus connecting. */
  g_assert_cmpint (g_get_monotonic_time () - start, <, 20 * G_USEC_PER_SEC * BEAM_TEST_SLOWDOWN);

  document = parse_json (out);
  root = json_node_get_object (document);
  g_assert_cmpstr (json_object_get_string_member (find_node (root, stopped->name), "state"), !=,
                   "connected");
  for (guint i = 0; i + 1 < CLUSTER_SIZE; i++)
    g_assert_cmpstr (json_object_get_string_member (find_node (root, cluster_node (i)->name),
                                                    "state"), ==, "connected");
}

static guint
count_lines (const char *path)
{
  g_autofree char *text = NULL;
  guint lines = 0;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return 0;
  for (const char *p = text; *p != '\0'; p++)
    lines += *p == '\n';
  return lines;
}

typedef struct
{
  const char *path;
  guint       lines;
} Lines;

static gboolean
has_lines (gpointer data)
{
  Lines *lines = data;

  return count_lines (lines->path) >= lines->lines;
}

/* Whether the node's scheduler_wall_time flag is up (someone holds it). */
static gboolean
wall_time_flag_up (BeamTestNode *node)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *answer = beam_test_node_erl_call (node, "erlang", "statistics",
                                                     "[scheduler_wall_time]", &error);

  g_assert_no_error (error);
  return !g_str_equal (g_strstrip (answer), "undefined");
}

static gboolean
wall_time_flag_down (gpointer data G_GNUC_UNUSED)
{
  for (guint i = 0; i < CLUSTER_SIZE; i++)
    if (wall_time_flag_up (cluster_node (i)))
      return FALSE;
  return TRUE;
}

/* --watch 1 --json: a JSON document a line, at least 2 within 3 s; Ctrl+C
 * ends it with status 0, and within 2 s no node holds the
 * scheduler_wall_time flag any more (the holders went with the run). */
static void
test_watch (void)
{
  BeamTestNode *seed = cluster_node (0);
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("beamscope-watch-XXXXXX", NULL);
  g_autofree char *out_path = g_build_filename (dir, "out", NULL);
  g_autofree char *err_path = g_build_filename (dir, "err", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_auto(GStrv) lines = NULL;
  Lines want = { out_path, 2 };
  BeamTestWait wait = { 0 };
  gint64 start;

  g_subprocess_launcher_set_stdout_file_path (launcher, out_path);
  g_subprocess_launcher_set_stderr_file_path (launcher, err_path);
  start = g_get_monotonic_time ();
  process = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("BEAMSCOPE_CLI"),
                                         "--node", seed->name, "--cookie", seed->cookie,
                                         "--json", "cluster", "--watch", "1", NULL);
  g_assert_no_error (error);

  beam_test_wait_until (has_lines, &want, 3000 * BEAM_TEST_SLOWDOWN);
  g_test_message ("2 lines after %" G_GINT64_FORMAT " ms",
                  (g_get_monotonic_time () - start) / 1000);
  /* The run holds the flag on every node (its usage needs it), so that
   * its going down below is the run's doing. */
  for (guint i = 0; i < CLUSTER_SIZE; i++)
    g_assert_true (wall_time_flag_up (cluster_node (i)));

  g_subprocess_send_signal (process, SIGINT);
  g_subprocess_wait_async (process, NULL, beam_test_stash, &wait);
  beam_test_wait_for (&wait.done, 5000);
  g_assert_true (g_subprocess_wait_finish (process, wait.result, &error));
  g_object_unref (wait.result);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
  start = g_get_monotonic_time ();
  beam_test_wait_until (wall_time_flag_down, NULL, 2000 * BEAM_TEST_SLOWDOWN);
  g_test_message ("flag down on every node %" G_GINT64_FORMAT " ms after the exit",
                  (g_get_monotonic_time () - start) / 1000);

  g_assert_true (g_file_get_contents (err_path, &err, NULL, NULL));
  g_assert_cmpstr (err, ==, "");
  g_assert_true (g_file_get_contents (out_path, &out, NULL, NULL));
  lines = g_strsplit (out, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), >=, 3);  /* 2 lines and the empty rest */
  for (guint i = 0; lines[i] != NULL && lines[i][0] != '\0'; i++)
    {
      g_autoptr(JsonNode) document = parse_json (lines[i]);

      g_assert_cmpstr (json_object_get_string_member (json_node_get_object (document), "seed"),
                       ==, seed->name);
    }
  g_unlink (out_path);
  g_unlink (err_path);
  g_rmdir (dir);
}

/* Each wrong use is one line and status 2, before any node is asked. */
static void
test_usage (void)
{
  static const char * const wrong[][4] = {
    { "cluster", "--watch", "0", NULL },
    { "cluster", "--watch", "-5", NULL },
    { "cluster", "--ms", "10", NULL },
    { "cluster", "--ms", "600000", NULL },
    { "cluster", "--around", "--watch", "2" },
    { "cluster", "extra", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (wrong); i++)
    {
      g_auto(BeamTestRun) run = { 0 };
      const char *args[9] = { "--node", cluster_node (0)->name, "--cookie",
                              cluster_node (0)->cookie };

      for (guint k = 0; k < 4 && wrong[i][k] != NULL; k++)
        args[4 + k] = wrong[i][k];
      beam_test_cli_run (&run, NULL, args);
      g_test_message ("%s %s: %s", wrong[i][1], wrong[i][2] ? wrong[i][2] : "", run.err);
      g_assert_cmpint (run.status, ==, 2);
      g_assert_cmpstr (run.out, ==, "");
      g_assert_true (g_str_has_prefix (run.err, "beamscope-cli: "));
      g_assert_true (strchr (run.err, '\n') == run.err + strlen (run.err) - 1);
    }
}

/* The seed cannot be reached: status 1, one line. */
static void
test_unreachable (void)
{
  g_auto(BeamTestRun) run = { 0 };
  static const char * const args[] = {
    "--node", "beamscope_nobody@localhost", "--cookie", "x", "cluster", NULL,
  };

  beam_test_cli_run (&run, NULL, args);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_cmpstr (run.out, ==, "");
  g_assert_true (g_str_has_prefix (run.err, "beamscope-cli: "));
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);

  cluster = beam_test_cluster_start (CLUSTER_SIZE, FALSE, NULL, &error);
  g_assert_no_error (error);

  g_test_add_func ("/cli-cluster/json", test_json);
  g_test_add_func ("/cli-cluster/text", test_text);
  g_test_add_func ("/cli-cluster/watch", test_watch);
  g_test_add_func ("/cli-cluster/usage", test_usage);
  g_test_add_func ("/cli-cluster/unreachable", test_unreachable);
  /* Last: the stopped node is continued, but stays "not answering" to
   * the others for a moment. */
  g_test_add_func ("/cli-cluster/stopped-node-fails", test_stopped_node_fails);

  status = g_test_run ();
  g_ptr_array_unref (cluster);
  return status;
}
