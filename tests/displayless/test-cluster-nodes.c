/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The test cluster helper (beam_test_cluster_start/add, docs/plans/cluster.md
 * (d)) that the cluster model's tests and benchmark stand on: n nodes with one
 * cookie form a full mesh before it returns, a later node joins it, a killed
 * one leaves it, and a bare cluster runs no fixture workload yet still halts
 * when the test lets go of it. Asked through erl_call, independent of our
 * probes, so a fault here is the helper's. */

#include <errno.h>
#include <signal.h>
#include <string.h>

#include "beam-test-node.h"

/* Whether `node` lists exactly the nodes of `expected` other than itself. */
typedef struct
{
  BeamTestNode *node;
  GPtrArray    *expected;
} MeshCheck;

static gboolean
lists_exactly (gpointer data)
{
  MeshCheck *check = data;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = beam_test_node_erl_call (check->node, "erlang", "nodes", "[]", &error);
  guint listed = 0;

  g_assert_no_error (error);
  for (const char *at = strchr (out, '@'); at != NULL; at = strchr (at + 1, '@'))
    listed++;
  for (guint i = 0; i < check->expected->len; i++)
    {
      BeamTestNode *other = check->expected->pdata[i];

      /* Names hold random tokens: one is never part of another. */
      if (other != check->node && strstr (out, other->name) == NULL)
        return FALSE;
    }
  return listed == check->expected->len - 1;
}

/* Every node of `expected` lists every other, and only those, within 10 s. */
static void
assert_mesh (GPtrArray *expected)
{
  for (guint i = 0; i < expected->len; i++)
    {
      MeshCheck check = { expected->pdata[i], expected };

      beam_test_wait_until (lists_exactly, &check, 10000);
    }
}

static gboolean
runs_fixture (BeamTestNode *node)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = beam_test_node_erl_call (node, "erlang", "whereis",
                                                  "[beamscope_fixture_sup]", &error);

  g_assert_no_error (error);
  return !g_str_equal (g_strstrip (out), "undefined");
}

static void
test_mesh (void)
{
  g_autoptr(GError) error = NULL;
  const char *args[] = { "-kernel", "prevent_overlapping_partitions", "false", NULL };
  g_autoptr(GPtrArray) cluster = beam_test_cluster_start (3, FALSE, args, &error);
  g_autoptr(GPtrArray) live = g_ptr_array_new ();
  BeamTestNode *seed, *joiner, *victim;

  g_assert_no_error (error);
  g_assert_nonnull (cluster);
  g_assert_cmpuint (cluster->len, ==, 3);
  seed = cluster->pdata[0];
  for (guint i = 0; i < cluster->len; i++)
    {
      BeamTestNode *node = cluster->pdata[i];

      g_assert_cmpint (node->pid, >, 0);
      g_assert_cmpstr (node->cookie, ==, seed->cookie);
      g_assert_true (runs_fixture (node));
      for (guint j = 0; j < i; j++)
        g_assert_cmpstr (node->name, !=, ((BeamTestNode *) cluster->pdata[j])->name);
      g_ptr_array_add (live, node);
    }
  /* It returned with the mesh formed: each lists the 2 others right away. */
  for (guint i = 0; i < cluster->len; i++)
    {
      MeshCheck check = { cluster->pdata[i], cluster };

      g_assert_true (lists_exactly (&check));
    }
  beam_test_node_call_expecting (seed, "application", "get_env",
                                 "[kernel, prevent_overlapping_partitions]", "{ok, false}");

  /* A 4th joins through the last node, and global meshes it with the rest. */
  joiner = beam_test_cluster_add (cluster, cluster->pdata[2], &error);
  g_assert_no_error (error);
  g_assert_nonnull (joiner);
  g_assert_cmpuint (cluster->len, ==, 4);
  g_assert_true (cluster->pdata[3] == joiner);
  g_assert_cmpstr (joiner->cookie, ==, seed->cookie);
  g_assert_false (joiner->bare);
  g_ptr_array_add (live, joiner);
  assert_mesh (live);

  /* A killed node leaves the others' lists; it stays in the cluster array. */
  victim = cluster->pdata[1];
  beam_test_node_kill (victim, SIGKILL);
  g_assert_cmpint (victim->pid, ==, 0);
  g_ptr_array_remove (live, victim);
  assert_mesh (live);
  g_assert_cmpuint (cluster->len, ==, 4);

  /* It restarts under its name and rejoins through the seed. */
  g_assert_true (beam_test_node_restart (victim, &error));
  g_assert_no_error (error);
  g_ptr_array_add (live, victim);
  assert_mesh (live);
}

static void
test_bare (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) cluster = beam_test_cluster_start (2, TRUE, NULL, &error);
  GPid pids[3];
  BeamTestNode *joiner;

  g_assert_no_error (error);
  g_assert_nonnull (cluster);
  joiner = beam_test_cluster_add (cluster, cluster->pdata[0], &error);
  g_assert_no_error (error);
  g_assert_true (joiner->bare);
  assert_mesh (cluster);
  for (guint i = 0; i < cluster->len; i++)
    {
      BeamTestNode *node = cluster->pdata[i];

      g_assert_true (node->bare);
      g_assert_false (runs_fixture (node));
      pids[i] = node->pid;
    }

  /* Let go: each halts on its closed stdin, none is left running. */
  g_clear_pointer (&cluster, g_ptr_array_unref);
  for (guint i = 0; i < G_N_ELEMENTS (pids); i++)
    g_assert_true (kill (pids[i], 0) == -1 && errno == ESRCH);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/cluster-nodes/mesh", test_mesh);
  g_test_add_func ("/cluster-nodes/bare", test_bare);
  return g_test_run ();
}
