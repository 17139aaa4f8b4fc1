/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "beamscope-model"

#include "beam-supervision-history.h"

struct _BeamSupervisionHistory
{
  char       *application;
  GHashTable *pids;           /* child path -> the pid last seen there */
  GHashTable *restarts;       /* supervisor path -> restarts seen under it */
  guint8     *restarted;      /* of the last tree, per node */
  guint      *restart_counts; /* of the last tree, per node */
};

BeamSupervisionHistory *
beam_supervision_history_new (void)
{
  BeamSupervisionHistory *self = g_new0 (BeamSupervisionHistory, 1);

  self->pids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->restarts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  return self;
}

void
beam_supervision_history_free (BeamSupervisionHistory *self)
{
  if (self == NULL)
    return;
  g_free (self->application);
  g_hash_table_unref (self->pids);
  g_hash_table_unref (self->restarts);
  g_free (self->restarted);
  g_free (self->restart_counts);
  g_free (self);
}

/* "rest/rest_a": the ids from below the top supervisor down to the node
 * (the top's own is ""); NULL for a node that has no id, or under one. Nodes
 * come parent first, so a node's parent has its path already. */
static char **
paths_of (const BeamSupervisionTree *tree)
{
  char **paths = g_new0 (char *, tree->n_nodes);

  if (tree->n_nodes > 0)
    paths[0] = g_strdup ("");
  for (guint i = 1; i < tree->n_nodes; i++)
    {
      const BeamSupervisionNode *node = &tree->nodes[i];
      const char *above = paths[node->parent];

      if (above != NULL && node->id != NULL && node->type != BEAM_SUPERVISION_LINKED)
        paths[i] = *above != '\0' ? g_strconcat (above, "/", node->id, NULL)
                                  : g_strdup (node->id);
    }
  return paths;
}

void
beam_supervision_history_update (BeamSupervisionHistory    *self,
                                 const BeamSupervisionTree *tree)
{
  char **paths;

  g_return_if_fail (self != NULL);
  g_return_if_fail (tree != NULL);

  if (g_strcmp0 (self->application, tree->application) != 0)
    {
      g_free (self->application);
      self->application = g_strdup (tree->application);
      g_hash_table_remove_all (self->pids);
      g_hash_table_remove_all (self->restarts);
    }

  g_free (self->restarted);
  g_free (self->restart_counts);
  self->restarted = g_new0 (guint8, MAX (tree->n_nodes, 1));
  self->restart_counts = g_new0 (guint, MAX (tree->n_nodes, 1));

  paths = paths_of (tree);
  for (guint i = 1; i < tree->n_nodes; i++)
    {
      const BeamSupervisionNode *node = &tree->nodes[i];
      const char *before;

      if (paths[i] == NULL || node->pid == NULL)
        continue;
      before = g_hash_table_lookup (self->pids, paths[i]);
      if (before != NULL && g_strcmp0 (before, node->pid) != 0 && paths[node->parent] != NULL)
        {
          guint seen = GPOINTER_TO_UINT (g_hash_table_lookup (self->restarts,
                                                              paths[node->parent]));

          self->restarted[i] = 1;
          g_hash_table_insert (self->restarts, g_strdup (paths[node->parent]),
                               GUINT_TO_POINTER (seen + 1));
        }
      g_hash_table_insert (self->pids, g_strdup (paths[i]), g_strdup (node->pid));
    }
  for (guint i = 0; i < tree->n_nodes; i++)
    if (paths[i] != NULL && tree->nodes[i].type == BEAM_SUPERVISION_SUPERVISOR)
      self->restart_counts[i] = GPOINTER_TO_UINT (g_hash_table_lookup (self->restarts, paths[i]));

  for (guint i = 0; i < tree->n_nodes; i++)
    g_free (paths[i]);
  g_free (paths);
}

const guint8 *
beam_supervision_history_get_restarted (BeamSupervisionHistory *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->restarted;
}

const guint *
beam_supervision_history_get_restart_counts (BeamSupervisionHistory *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->restart_counts;
}
