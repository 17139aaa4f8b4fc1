/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Nodes menu's question (beam-cluster, issue 16 item 2) on a cluster the
 * test builds: the fixture node, connected to a visible node and to a hidden
 * one, and a fourth node only registered with EPMD on the same host. Each
 * must be in its list and in no other; our own connection, a hidden C-node
 * of the fixture's, is in none; a node alone has no cluster, and the others
 * are EPMD's. The CLI's `cluster --around` says the same, as text and as
 * JSON (`cluster` alone is the whole cluster: test-cli-cluster.c). */

#include <string.h>

#include "beam-cluster.h"
#include "beam-connection.h"
#include "beam-test-node.h"

static BeamTestNode *fixture;
static BeamTestNode *visible;
static BeamTestNode *hidden;
static BeamTestNode *lone;  /* registered with EPMD, connected to no one */

/* The fixture node connects to `other` with `other`'s own cookie, as a node
 * of a cluster would with net_kernel:connect_node/1. */
static void
connect_fixture_to (BeamTestNode *other)
{
  g_autofree char *cookie_args = g_strdup_printf ("['%s', '%s']", other->name, other->cookie);
  g_autofree char *node_args = g_strdup_printf ("['%s']", other->name);

  beam_test_node_call_expecting (fixture, "erlang", "set_cookie", cookie_args, "true");
  beam_test_node_call_expecting (fixture, "net_kernel", "connect_node", node_args, "true");
}

static BeamCluster *
fetch_cluster (BeamConnection *connection)
{
  g_autoptr(GError) error = NULL;
  BeamTestWait wait = { 0 };
  BeamCluster *cluster;

  beam_cluster_fetch_async (connection, NULL, beam_test_stash, &wait);
  beam_test_wait_for (&wait.done, 15000);
  cluster = beam_cluster_fetch_finish (wait.result, &error);
  g_object_unref (wait.result);
  g_assert_no_error (error);
  g_assert_nonnull (cluster);
  return cluster;
}

static gboolean
lists (GStrv       names,
       const char *name)
{
  return g_strv_contains ((const char * const *) names, name);
}

static void
test_cluster (void)
{
  g_autoptr(BeamConnection) connection = beam_test_node_connect (fixture);
  g_autoptr(BeamCluster) cluster = fetch_cluster (connection);
  g_autoptr(GError) error = NULL;
  g_autofree char *raw_hidden = NULL;
  const char *own = beam_connection_get_local_node (connection);

  g_assert_cmpstr (cluster->node, ==, fixture->name);
  g_assert_cmpstr (cluster->host, ==, strchr (fixture->name, '@') + 1);
  g_assert_null (cluster->epmd_error);

  g_assert_true (lists (cluster->visible, visible->name));
  g_assert_false (lists (cluster->visible, hidden->name));
  g_assert_false (lists (cluster->visible, lone->name));
  g_assert_cmpuint (cluster->visible_count, ==, g_strv_length (cluster->visible));

  g_assert_true (lists (cluster->hidden, hidden->name));
  g_assert_false (lists (cluster->hidden, visible->name));
  g_assert_false (lists (cluster->hidden, lone->name));
  g_assert_cmpuint (cluster->hidden_count, ==, g_strv_length (cluster->hidden));

  /* Our connection is one of the fixture's hidden nodes, and not listed. */
  raw_hidden = beam_test_node_erl_call (fixture, "erlang", "nodes", "[hidden]", &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (raw_hidden, own));
  g_assert_false (lists (cluster->hidden, own));

  g_assert_true (lists (cluster->epmd_others, lone->name));
  g_assert_false (lists (cluster->epmd_others, fixture->name));
  g_assert_false (lists (cluster->epmd_others, visible->name));
  g_assert_false (lists (cluster->epmd_others, hidden->name));

  beam_connection_close (connection);
}

/* The lone node: nothing visible, nothing hidden but connections such as
 * erl_call's, and the three others on the host through EPMD. */
static void
test_lone_node (void)
{
  g_autoptr(BeamConnection) connection = beam_test_node_connect (lone);
  g_autoptr(BeamCluster) cluster = fetch_cluster (connection);

  g_assert_cmpstr (cluster->node, ==, lone->name);
  g_assert_cmpuint (g_strv_length (cluster->visible), ==, 0);
  g_assert_cmpuint (cluster->visible_count, ==, 0);
  g_assert_false (lists (cluster->hidden, beam_connection_get_local_node (connection)));
  g_assert_true (lists (cluster->epmd_others, fixture->name));
  g_assert_true (lists (cluster->epmd_others, visible->name));
  g_assert_true (lists (cluster->epmd_others, hidden->name));
  g_assert_false (lists (cluster->epmd_others, lone->name));
  beam_connection_close (connection);
}

static gboolean
json_lists (JsonObject *object,
            const char *member,
            const char *name)
{
  JsonArray *array = json_object_get_array_member (object, member);

  for (guint i = 0; i < json_array_get_length (array); i++)
    if (g_strcmp0 (json_array_get_string_element (array, i), name) == 0)
      return TRUE;
  return FALSE;
}

static void
test_cli (void)
{
  g_autoptr(JsonNode) root = beam_test_node_cli_json (fixture, "cluster", "--around",
                                                      NULL);
  JsonObject *object = json_node_get_object (root);
  g_autofree char *text = NULL;
  g_autofree char *err = NULL;
  g_autofree char *visible_line = g_strdup_printf ("\n  %s\n", visible->name);
  g_autofree char *hidden_line = g_strdup_printf ("\n  %s\n", hidden->name);
  g_autofree char *lone_line = g_strdup_printf ("\n  %s\n", lone->name);
  const char *visible_at, *hidden_at, *lone_at;
  int status = -1;

  g_assert_cmpstr (json_object_get_string_member (object, "node"), ==, fixture->name);
  g_assert_true (json_lists (object, "visible", visible->name));
  g_assert_true (json_lists (object, "hidden", hidden->name));
  g_assert_true (json_lists (object, "epmd_others", lone->name));
  g_assert_false (json_lists (object, "epmd_others", visible->name));
  g_assert_cmpint (json_object_get_int_member (object, "visible_count"), >=, 1);
  g_assert_true (json_object_get_null_member (object, "epmd_error"));

  /* As text: each name under its heading, in the headings' order. */
  text = beam_test_node_cli (fixture, &status, &err, "cluster", "--around", NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_cmpstr (err, ==, "");
  visible_at = strstr (text, visible_line);
  hidden_at = strstr (text, hidden_line);
  lone_at = strstr (text, lone_line);
  g_assert_nonnull (visible_at);
  g_assert_nonnull (hidden_at);
  g_assert_nonnull (lone_at);
  g_assert_true (strstr (text, "Visible") < visible_at);
  g_assert_true (visible_at < strstr (text, "Hidden"));
  g_assert_true (strstr (text, "Hidden") < hidden_at);
  g_assert_true (hidden_at < strstr (text, "EPMD"));
  g_assert_true (strstr (text, "EPMD") < lone_at);
}

/* A closed connection: the probe fails, with an error. */
static void
test_closed (void)
{
  g_autoptr(BeamConnection) connection = beam_test_node_connect (fixture);
  g_autoptr(GError) error = NULL;
  g_autoptr(BeamCluster) cluster = NULL;
  BeamTestWait wait = { 0 };

  beam_connection_close (connection);
  beam_cluster_fetch_async (connection, NULL, beam_test_stash, &wait);
  beam_test_wait_for (&wait.done, 10000);
  cluster = beam_cluster_fetch_finish (wait.result, &error);
  g_object_unref (wait.result);
  g_assert_null (cluster);
  g_assert_nonnull (error);
}

int
main (int    argc,
      char **argv)
{
  static const char * const hidden_args[] = { "-hidden", NULL };
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  g_assert_true (beam_connection_init_process (NULL));

  fixture = beam_test_node_start (NULL, &error);
  g_assert_no_error (error);
  visible = beam_test_node_start (NULL, &error);
  g_assert_no_error (error);
  hidden = beam_test_node_start (hidden_args, &error);
  g_assert_no_error (error);
  lone = beam_test_node_start (NULL, &error);
  g_assert_no_error (error);
  connect_fixture_to (visible);
  connect_fixture_to (hidden);

  g_test_add_func ("/cluster/lists", test_cluster);
  g_test_add_func ("/cluster/lone-node", test_lone_node);
  g_test_add_func ("/cluster/cli", test_cli);
  g_test_add_func ("/cluster/closed", test_closed);

  status = g_test_run ();
  beam_test_node_free (lone);
  beam_test_node_free (hidden);
  beam_test_node_free (visible);
  beam_test_node_free (fixture);
  return status;
}
