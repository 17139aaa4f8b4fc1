/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What a user reads of a node before any page: a stopped node is "not
 * answering" within a request's deadline (long before net_ticktime), and
 * answering again once it runs; a wrong cookie costs the node one rejected
 * attempt, not one per name of our pool; a node typed as name@localhost is
 * shown by the name it gives itself. Against real fixture nodes. */

#include <signal.h>

#include "beam-node.h"
#include "beam-test-node.h"
#include "beam-wire-error.h"

static gboolean
is_not_answering (gpointer data)
{
  return !beam_node_get_answering (data);
}

static gboolean
is_answering (gpointer data)
{
  return beam_node_get_answering (data);
}

/* Issue 13, item 5: the load history samples every second with a 5 s
 * deadline, so a stopped node is found out within about 6 s; the
 * connection stays up (net_ticktime is 60 s) and answers again on SIGCONT. */
static void
test_stopped_node_not_answering (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BeamTestNode) node = beam_test_node_start (NULL, &error);
  g_autoptr(BeamConnection) connection = NULL;
  g_autoptr(BeamNode) beam_node = NULL;
  g_autofree char *status = NULL;
  guint answering_notifies = 0;
  gint64 stopped;
  double found_ms;

  g_assert_no_error (error);
  connection = beam_test_node_connect (node);
  beam_node = beam_node_new (connection, FALSE);
  g_signal_connect (beam_node, "notify::answering", G_CALLBACK (beam_test_count_notify),
                    &answering_notifies);
  g_assert_true (beam_node_get_answering (beam_node));
  g_assert_false (beam_node_get_stale (beam_node));
  beam_test_run_for (1500);  /* a few samples answered */
  g_assert_true (beam_node_get_answering (beam_node));

  beam_test_node_kill (node, SIGSTOP);
  stopped = g_get_monotonic_time ();
  beam_test_wait_until (is_not_answering, beam_node, 8000 * BEAM_TEST_SLOWDOWN);
  found_ms = (g_get_monotonic_time () - stopped) / 1000.0;
  g_test_message ("not answering %.0f ms after SIGSTOP", found_ms);
  g_assert_cmpfloat (found_ms, <, 8000 * BEAM_TEST_SLOWDOWN);

  /* Still connected: only net_ticktime of silence declares it gone. */
  g_assert_cmpint (beam_node_get_state (beam_node), ==, BEAM_CONNECTION_STATE_CONNECTED);
  g_assert_true (beam_node_get_stale (beam_node));
  status = beam_node_dup_status_text (beam_node);
  g_assert_true (g_str_has_prefix (status, "Not answering"));
  g_assert_nonnull (beam_connection_get_answer_error (connection));
  g_assert_error ((GError *) beam_connection_get_answer_error (connection),
                  BEAM_WIRE_ERROR, BEAM_WIRE_ERROR_TIMED_OUT);
  g_assert_cmpuint (answering_notifies, ==, 1);

  beam_test_node_kill (node, SIGCONT);
  beam_test_wait_until (is_answering, beam_node, 5000 * BEAM_TEST_SLOWDOWN);
  g_assert_cmpint (beam_node_get_state (beam_node), ==, BEAM_CONNECTION_STATE_CONNECTED);
  g_assert_false (beam_node_get_stale (beam_node));
  g_assert_null (beam_connection_get_answer_error (connection));
  g_clear_pointer (&status, g_free);
  status = beam_node_dup_status_text (beam_node);
  g_assert_cmpstr (status, ==, "Connected");
  g_assert_cmpuint (answering_notifies, ==, 2);
}

/* The lines of the node's log (its stdout and stderr) that say a
 * connection attempt was rejected. */
static guint
rejections_logged (BeamTestNode *node)
{
  g_autofree char *path = g_build_filename (node->dir, "node.log", NULL);
  g_autofree char *text = NULL;
  guint count = 0;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  for (const char *at = text; (at = strstr (at, "Connection attempt from node")) != NULL; at++)
    {
      const char *end = strchr (at, '\n');

      if (g_strstr_len (at, end != NULL ? end - at : -1, "rejected") != NULL)
        count++;
    }
  return count;
}

static gboolean
rejection_logged (gpointer data)
{
  return rejections_logged (data) > 0;
}

/* Issue 13, item 6: each rejected handshake is a line in the node's log
 * (and, on a production node, an alert); there used to be 8, one per name
 * of our pool. */
static void
test_wrong_cookie_one_rejection (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BeamTestNode) node = beam_test_node_start (NULL, &error);
  g_autoptr(BeamConnection) connection = NULL;
  BeamTestWait wait = { 0 };

  g_assert_no_error (error);
  g_assert_cmpuint (rejections_logged (node), ==, 0);

  connection = beam_connection_new (node->name, "not-the-cookie");
  beam_connection_connect_async (connection, 10000, NULL, beam_test_stash, &wait);
  beam_test_wait_for (&wait.done, 15000 * BEAM_TEST_SLOWDOWN);
  g_assert_false (beam_connection_connect_finish (connection, wait.result, &error));
  g_assert_error (error, BEAM_WIRE_ERROR, BEAM_WIRE_ERROR_COOKIE_REJECTED);
  g_test_message ("%s", error->message);
  g_object_unref (wait.result);

  /* The node logs as it rejects; give any further attempt time to be logged
   * too (the whole pool took well under a second). */
  beam_test_wait_until (rejection_logged, node, 5000 * BEAM_TEST_SLOWDOWN);
  beam_test_run_for (1500);
  g_assert_cmpuint (rejections_logged (node), ==, 1);

  /* And the right cookie still gets in. */
  g_clear_object (&connection);
  g_clear_error (&error);
  connection = beam_test_node_connect (node);
  g_assert_cmpint (beam_connection_get_state (connection), ==, BEAM_CONNECTION_STATE_CONNECTED);
}

/* Issue 13, item 6: name@localhost reaches a node that calls itself
 * name@itshost; once connected, it is shown by that name. */
static void
test_localhost_real_name (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BeamTestNode) node = beam_test_node_start (NULL, &error);
  g_autofree char *typed = NULL;
  g_autoptr(BeamConnection) connection = NULL;
  g_autoptr(BeamNode) beam_node = NULL;
  BeamTestWait wait = { 0 };
  guint notified = 0;

  g_assert_no_error (error);
  typed = g_strdup_printf ("%s@localhost", node->alive);
  g_assert_cmpstr (typed, !=, node->name);

  connection = beam_connection_new (typed, node->cookie);
  beam_node = beam_node_new (connection, FALSE);
  g_signal_connect (beam_node, "notify::name", G_CALLBACK (beam_test_count_notify), &notified);
  g_assert_cmpstr (beam_node_get_name (beam_node), ==, typed);

  beam_connection_connect_async (connection, 10000, NULL, beam_test_stash, &wait);
  beam_test_wait_for (&wait.done, 15000 * BEAM_TEST_SLOWDOWN);
  g_assert_true (beam_connection_connect_finish (connection, wait.result, &error));
  g_assert_no_error (error);
  g_object_unref (wait.result);

  g_assert_cmpstr (beam_connection_get_node_name (connection), ==, node->name);
  g_assert_cmpstr (beam_node_get_name (beam_node), ==, node->name);
  g_assert_cmpstr (beam_connection_get_target_node (connection), ==, typed);
  g_assert_cmpuint (notified, ==, 1);
}

static char *
run_cli_stderr (const char * const *argv,
                int                *status)
{
  g_autoptr(GError) error = NULL;
  char *err = NULL;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL,
                               NULL, NULL, &err, status, &error));
  g_assert_no_error (error);
  return err;
}

/* The CLI says it too: a command whose question gets no answer in time,
 * and one whose node does not even complete the handshake, end with "not
 * answering". */
static void
test_cli_says_not_answering (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BeamTestNode) node = beam_test_node_start (NULL, &error);
  const char *cli = g_getenv ("BEAMSCOPE_CLI");
  g_autofree char *err = NULL;
  int status = 0;

  g_assert_no_error (error);
  g_assert_nonnull (cli);

  /* A question never answered: rex suspended on the node for 8 s. */
  g_free (beam_test_node_erl_call (node, "beamscope_fixture", "suspend_rex", "[8000]", &error));
  g_assert_no_error (error);
  err = run_cli_stderr ((const char * const[]) { cli, "--node", node->name, "--cookie-file",
                                                 node->cookie_file, "--timeout", "1000",
                                                 "info", NULL }, &status);
  g_test_message ("%s", err);
  g_assert_false (g_spawn_check_wait_status (status, NULL));
  g_assert_nonnull (strstr (err, "is not answering"));
  g_clear_pointer (&err, g_free);

  beam_test_node_kill (node, SIGSTOP);
  err = run_cli_stderr ((const char * const[]) { cli, "--node", node->name, "--cookie-file",
                                                 node->cookie_file, "--connect-timeout", "1500",
                                                 "info", NULL }, &status);
  beam_test_node_kill (node, SIGCONT);
  g_test_message ("%s", err);
  g_assert_false (g_spawn_check_wait_status (status, NULL));
  g_assert_nonnull (strstr (err, "is not answering"));
}

int
main (int    argc,
      char **argv)
{
  g_assert_true (beam_connection_init_process (NULL));
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/node-state/stopped-node-not-answering", test_stopped_node_not_answering);
  g_test_add_func ("/node-state/wrong-cookie-one-rejection", test_wrong_cookie_one_rejection);
  g_test_add_func ("/node-state/localhost-real-name", test_localhost_real_name);
  g_test_add_func ("/node-state/cli-says-not-answering", test_cli_says_not_answering);

  return g_test_run ();
}
