/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "beamscope-model"

#include "beam-supervision-history.h"

/* A child is known by its path of ids from the top supervisor, as one
 * 64-bit hash of its parent's path and its whole id; only the last tree's
 * paths are kept, so memory follows the tree's size, whatever ids come. */
struct _BeamSupervisionHistory
{
  char       *application;
  GHashTable *pids;           /* path -> the pid last seen there (of the last tree) */
  GHashTable *restarts;       /* supervisor path -> restarts seen under it */
  guint8     *restarted;      /* of the last tree, per node */
  guint      *restart_counts; /* of the last tree, per node */
};

static GHashTable *
new_path_table (GDestroyNotify value_free)
{
  return g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, value_free);
}

static gint64 *
copy_path (guint64 path)
{
  gint64 *copy = g_new (gint64, 1);

  *copy = (gint64) path;
  return copy;
}

BeamSupervisionHistory *
beam_supervision_history_new (void)
{
  BeamSupervisionHistory *self = g_new0 (BeamSupervisionHistory, 1);

  self->pids = new_path_table (g_free);
  self->restarts = new_path_table (NULL);
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

/* Each node's path, 0 for a node that has no id, or is under one without;
 * the top's is 1. Nodes come parent first, so a parent's path is known. */
static guint64 *
paths_of (const BeamSupervisionTree *tree)
{
  guint64 *paths = g_new0 (guint64, MAX (tree->n_nodes, 1));

  if (tree->n_nodes > 0)
    paths[0] = 1;
  for (guint i = 1; i < tree->n_nodes; i++)
    {
      const BeamSupervisionNode *node = &tree->nodes[i];
      guint64 above = paths[node->parent];

      if (above != 0 && node->id != NULL && node->type != BEAM_SUPERVISION_LINKED)
        {
          /* splitmix64 of the parent's path and the id's hash */
          guint64 x = above * 0x9E3779B97F4A7C15ull + node->id_hash + 1;

          x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
          x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
          paths[i] = (x ^ (x >> 31)) | 2;   /* never 0 or 1 */
        }
    }
  return paths;
}

void
beam_supervision_history_update (BeamSupervisionHistory    *self,
                                 const BeamSupervisionTree *tree)
{
  g_autoptr(GHashTable) pids = new_path_table (g_free);
  g_autoptr(GHashTable) restarts = new_path_table (NULL);
  g_autofree guint64 *paths = NULL;

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
  /* The restarts counted so far, of the supervisors still there. */
  for (guint i = 0; i < tree->n_nodes; i++)
    if (paths[i] != 0 && tree->nodes[i].type == BEAM_SUPERVISION_SUPERVISOR)
      {
        gint64 path = (gint64) paths[i];
        gpointer seen = g_hash_table_lookup (self->restarts, &path);

        if (seen != NULL)
          g_hash_table_insert (restarts, copy_path (paths[i]), seen);
      }
  for (guint i = 1; i < tree->n_nodes; i++)
    {
      const BeamSupervisionNode *node = &tree->nodes[i];
      gint64 path = (gint64) paths[i];
      const char *before;

      if (paths[i] == 0)
        continue;
      before = g_hash_table_lookup (self->pids, &path);
      if (node->pid == NULL)
        {
          /* Restarting now: its last pid is what the next one is told from. */
          if (before != NULL)
            g_hash_table_insert (pids, copy_path (paths[i]), g_strdup (before));
          continue;
        }
      if (before != NULL && g_strcmp0 (before, node->pid) != 0)
        {
          gint64 above = (gint64) paths[node->parent];
          guint seen = GPOINTER_TO_UINT (g_hash_table_lookup (restarts, &above));

          self->restarted[i] = 1;
          g_hash_table_insert (restarts, copy_path (paths[node->parent]),
                               GUINT_TO_POINTER (seen + 1));
        }
      g_hash_table_insert (pids, copy_path (paths[i]), g_strdup (node->pid));
    }
  for (guint i = 0; i < tree->n_nodes; i++)
    if (paths[i] != 0 && tree->nodes[i].type == BEAM_SUPERVISION_SUPERVISOR)
      {
        gint64 path = (gint64) paths[i];

        self->restart_counts[i] = GPOINTER_TO_UINT (g_hash_table_lookup (restarts, &path));
      }

  /* Only this tree is needed next time. */
  g_hash_table_unref (self->pids);
  self->pids = g_steal_pointer (&pids);
  g_hash_table_unref (self->restarts);
  self->restarts = g_steal_pointer (&restarts);
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
