/* SPDX-License-Identifier: GPL-3.0-or-later */
/* beam-system-info's questions asked through the probe itself (the CLI's
 * `info` has its own test in test-cli): process_limit alone, against what
 * the node answers erl_call, on a node started with a limit of its own. */

#include "beam-connection.h"
#include "beam-system-info.h"
#include "beam-test-node.h"

static BeamTestNode *node;

static void
test_process_limit (void)
{
  g_autoptr(BeamConnection) connection = beam_test_node_connect (node);
  g_autoptr(GError) error = NULL;
  g_autofree char *says = beam_test_node_erl_call (node, "erlang", "system_info",
                                                   "[process_limit]", &error);
  BeamTestWait wait = { 0 };
  gint64 limit;

  g_assert_no_error (error);
  beam_system_info_process_limit_async (connection, NULL, beam_test_stash, &wait);
  beam_test_wait_for (&wait.done, 10000);
  limit = beam_system_info_process_limit_finish (wait.result, &error);
  g_object_unref (wait.result);
  g_assert_no_error (error);
  g_assert_cmpint (limit, ==, g_ascii_strtoll (g_strstrip (says), NULL, 10));
  /* +P 100000 asks for at least that many; the node rounds it up. */
  g_assert_cmpint (limit, >=, 100000);
  g_assert_cmpint (limit, <, 262144);
  beam_connection_close (connection);
}

/* A closed connection: the probe fails with an error, and -1. */
static void
test_process_limit_fails (void)
{
  g_autoptr(BeamConnection) connection = beam_test_node_connect (node);
  g_autoptr(GError) error = NULL;
  BeamTestWait wait = { 0 };

  beam_connection_close (connection);
  beam_system_info_process_limit_async (connection, NULL, beam_test_stash, &wait);
  beam_test_wait_for (&wait.done, 10000);
  g_assert_cmpint (beam_system_info_process_limit_finish (wait.result, &error), ==, -1);
  g_object_unref (wait.result);
  g_assert_nonnull (error);
}

int
main (int    argc,
      char **argv)
{
  const char * const args[] = { "+P", "100000", NULL };
  g_autoptr(GError) error = NULL;
  int status;

  g_assert_true (beam_connection_init_process (NULL));
  g_test_init (&argc, &argv, NULL);
  node = beam_test_node_start (args, &error);
  g_assert_no_error (error);

  g_test_add_func ("/system/process-limit", test_process_limit);
  g_test_add_func ("/system/process-limit-fails", test_process_limit_fails);

  status = g_test_run ();
  beam_test_node_free (node);
  return status;
}
