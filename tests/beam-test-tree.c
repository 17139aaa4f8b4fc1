/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Nodes are added in preorder (a parent before its children, each subtree
 * whole before the next), as the probe returns them. */

#include "beam-test-tree.h"

struct _BeamTestTreeBuilder
{
  BeamSupervisionTree *tree;
  GArray              *nodes;  /* BeamSupervisionNode */
  GArray              *links;  /* BeamSupervisionLink */
};

BeamTestTreeBuilder *
beam_test_tree_builder_new (const char *application,
                            const char *master_pid)
{
  BeamTestTreeBuilder *builder = g_new0 (BeamTestTreeBuilder, 1);

  builder->tree = g_new0 (BeamSupervisionTree, 1);
  builder->tree->application = g_strdup (application);
  builder->tree->master_pid = g_strdup (master_pid);
  builder->tree->strings = g_string_chunk_new (4096);
  builder->nodes = g_array_new (FALSE, TRUE, sizeof (BeamSupervisionNode));
  builder->links = g_array_new (FALSE, TRUE, sizeof (BeamSupervisionLink));
  return builder;
}

const char *
beam_test_tree_intern (BeamTestTreeBuilder *builder,
                       const char          *text)
{
  return text != NULL ? g_string_chunk_insert (builder->tree->strings, text) : NULL;
}

guint
beam_test_tree_add (BeamTestTreeBuilder *builder,
                    guint                parent,
                    BeamSupervisionType  kind,
                    const char          *name,
                    const char          *id)
{
  BeamSupervisionNode node = { 0 };
  char pid[32];

  node.index = builder->nodes->len;
  node.parent = parent;
  node.type = kind;
  node.state = BEAM_SUPERVISION_RUNNING;
  g_snprintf (pid, sizeof pid, "<0.%u.0>", 100 + node.index);
  node.pid = beam_test_tree_intern (builder, pid);
  node.name = beam_test_tree_intern (builder, name);
  node.id = beam_test_tree_intern (builder, id);
  node.intensity = node.period = -1;
  node.memory = node.message_queue_len = node.reductions = -1;
  if (kind == BEAM_SUPERVISION_SUPERVISOR)
    {
      node.module = beam_test_tree_intern (builder, "supervisor");
      node.restart = beam_test_tree_intern (builder, "permanent");
      node.shutdown = beam_test_tree_intern (builder, "infinity");
      node.strategy = beam_test_tree_intern (builder, "one_for_one");
      node.intensity = 1;
      node.period = 5;
    }
  else if (kind == BEAM_SUPERVISION_WORKER)
    {
      node.module = beam_test_tree_intern (builder, "gen_server");
      node.restart = beam_test_tree_intern (builder, "permanent");
      node.shutdown = beam_test_tree_intern (builder, "5000");
    }
  g_array_append_val (builder->nodes, node);
  return node.index;
}

BeamSupervisionNode *
beam_test_tree_node (BeamTestTreeBuilder *builder,
                     guint                index)
{
  g_assert_cmpuint (index, <, builder->nodes->len);
  return &g_array_index (builder->nodes, BeamSupervisionNode, index);
}

void
beam_test_tree_add_link (BeamTestTreeBuilder *builder,
                         guint                first,
                         guint                second)
{
  BeamSupervisionLink link = { first, second };

  g_array_append_val (builder->links, link);
}

BeamSupervisionTree *
beam_test_tree_builder_end (BeamTestTreeBuilder *builder)
{
  BeamSupervisionTree *tree = builder->tree;
  BeamSupervisionNode *nodes;
  guint n = builder->nodes->len;
  guint *fill = g_new0 (guint, MAX (n, 1));

  tree->n_nodes = n;
  tree->n_links = builder->links->len;
  tree->nodes = (BeamSupervisionNode *) (gpointer) g_array_free (builder->nodes, FALSE);
  tree->links = (BeamSupervisionLink *) (gpointer) g_array_free (builder->links, FALSE);
  nodes = tree->nodes;
  for (guint i = 0; i < n; i++)
    if (nodes[i].parent != BEAM_SUPERVISION_NO_PARENT)
      {
        g_assert_cmpuint (nodes[i].parent, <, i);
        nodes[i].depth = nodes[nodes[i].parent].depth + 1;
        nodes[nodes[i].parent].n_child_nodes++;
      }
  for (guint i = 0; i < n; i++)
    if (nodes[i].n_child_nodes > 0)
      {
        nodes[i].child_nodes = g_new (guint, nodes[i].n_child_nodes);
        if (nodes[i].children_count == 0)
          nodes[i].children_count = nodes[i].n_child_nodes;
      }
  for (guint i = 0; i < n; i++)
    if (nodes[i].parent != BEAM_SUPERVISION_NO_PARENT)
      nodes[nodes[i].parent].child_nodes[fill[nodes[i].parent]++] = i;
  g_free (fill);
  g_free (builder);
  return tree;
}

void
beam_test_tree_free (BeamSupervisionTree *tree)
{
  for (guint i = 0; i < tree->n_nodes; i++)
    g_free (tree->nodes[i].child_nodes);
  g_free (tree->nodes);
  g_free (tree->links);
  g_free (tree->application);
  g_free (tree->master_pid);
  g_string_chunk_free (tree->strings);
  g_free (tree);
}
