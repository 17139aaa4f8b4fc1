/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The nodes around a node: programs/cluster.exprs asks it for erlang:nodes/1,
 * visible and hidden (its answer checked, names only, each list cut to
 * BEAM_CLUSTER_MAX_NODES on the node), then EPMD on the host the node names
 * itself by is asked for the rest, on a worker thread (beam_epmd_names_async)
 * so that a host that does not answer holds nothing but this question. */

#define G_LOG_DOMAIN "beamscope-probe"

#include "beam-cluster.h"
#include "beam-epmd.h"
#include "beam-erl-expr.h"
#include "beam-probe-json.h"

#define CALL_TIMEOUT_MS 5000
#define EPMD_TIMEOUT_MS 3000

void
beam_cluster_free (BeamCluster *cluster)
{
  if (cluster == NULL)
    return;
  g_free (cluster->node);
  g_free (cluster->host);
  g_strfreev (cluster->visible);
  g_strfreev (cluster->hidden);
  g_strfreev (cluster->epmd_others);
  g_free (cluster->epmd_error);
  g_free (cluster);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(char * const *) a, *(char * const *) b);
}

GStrv
beam_cluster_dup_node_names (const BeamTerm *list,
                             guint           max)
{
  g_autoptr(GPtrArray) names = NULL;

  if (list == NULL || list->kind != BEAM_TERM_LIST || list->v.list.improper ||
      list->n_children > max)
    return NULL;
  names = g_ptr_array_new_full (list->n_children + 1, g_free);
  for (guint i = 0; i < list->n_children; i++)
    {
      const BeamTerm *name = list->children[i];

      if (name->kind != BEAM_TERM_ATOM || !beam_node_name_split (name->v.atom.name, NULL, NULL,
                                                                 NULL))
        return NULL;
      g_ptr_array_add (names, g_strdup (name->v.atom.name));
    }
  g_ptr_array_sort (names, compare_names);
  g_ptr_array_add (names, NULL);
  return (GStrv) g_ptr_array_free (g_steal_pointer (&names), FALSE);
}

/* A count of a list, which holds the first `listed` of them. */
static gboolean
get_count (const BeamTerm *term,
           GStrv           listed,
           guint          *out_count)
{
  gint64 count;

  if (!beam_term_get_int64 (term, &count) || count < g_strv_length (listed) || count > G_MAXINT)
    return FALSE;
  *out_count = (guint) count;
  return TRUE;
}

/* {node(), VisibleCount, Visible, HiddenCount, Hidden}, on the network thread. */
static gpointer
decode_cluster (const BeamTerm  *reply,
                gpointer         user_data G_GNUC_UNUSED,
                GError         **error)
{
  const BeamTerm *value = beam_erl_eval_value (reply);
  g_autoptr(BeamCluster) cluster = g_new0 (BeamCluster, 1);

  if (value == NULL || value->kind != BEAM_TERM_TUPLE || value->n_children != 5 ||
      value->children[0]->kind != BEAM_TERM_ATOM ||
      !beam_node_name_split (value->children[0]->v.atom.name, NULL, &cluster->host, NULL) ||
      (cluster->visible = beam_cluster_dup_node_names (value->children[2],
                                                        BEAM_CLUSTER_MAX_NODES)) == NULL ||
      (cluster->hidden = beam_cluster_dup_node_names (value->children[4],
                                                       BEAM_CLUSTER_MAX_NODES)) == NULL ||
      !get_count (value->children[1], cluster->visible, &cluster->visible_count) ||
      !get_count (value->children[3], cluster->hidden, &cluster->hidden_count))
    {
      beam_erl_set_bad_reply (error, "erlang:nodes/1");
      return NULL;
    }
  cluster->node = g_strdup (value->children[0]->v.atom.name);
  return g_steal_pointer (&cluster);
}

/* EPMD's names on the node's host that are neither the node nor in its lists. */
static GStrv
dup_epmd_others (const BeamCluster *cluster,
                 GPtrArray         *entries)
{
  g_autoptr(GStrvBuilder) others = g_strv_builder_new ();
  guint kept = 0;

  for (guint i = 0; i < entries->len && kept < BEAM_CLUSTER_MAX_NODES; i++)
    {
      const BeamEpmdEntry *entry = g_ptr_array_index (entries, i);
      g_autofree char *name = g_strdup_printf ("%s@%s", entry->name, cluster->host);

      if (g_str_equal (name, cluster->node) ||
          g_strv_contains ((const char * const *) cluster->visible, name) ||
          g_strv_contains ((const char * const *) cluster->hidden, name))
        continue;
      g_strv_builder_add (others, name);
      kept++;
    }
  return g_strv_builder_end (others);
}

static void
epmd_done (GObject      *object G_GNUC_UNUSED,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BeamCluster *cluster = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = beam_epmd_names_finish (result, &error);

  if (g_task_return_error_if_cancelled (task))
    {
      beam_cluster_free (cluster);
      return;
    }
  if (entries == NULL)
    {
      cluster->epmd_error = g_strdup (error->message);
      cluster->epmd_others = g_new0 (char *, 1);
    }
  else
    cluster->epmd_others = dup_epmd_others (cluster, entries);
  g_task_return_pointer (task, g_steal_pointer (&cluster), (GDestroyNotify) beam_cluster_free);
}

static void
cluster_call_done (GObject      *object G_GNUC_UNUSED,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  BeamCluster *cluster = beam_connection_call_task_finish (result, cluster_call_done, &error);

  if (cluster == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  /* Held by the task until EPMD has answered; epmd_done takes it back. */
  g_task_set_task_data (task, cluster, NULL);
  beam_epmd_names_async (cluster->host, EPMD_TIMEOUT_MS, g_task_get_cancellable (task),
                         epmd_done, g_object_ref (task));
}

void
beam_cluster_fetch_async (BeamConnection      *connection,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (BEAM_IS_CONNECTION (connection));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, beam_cluster_fetch_async);
  beam_connection_call_task_async (connection, cluster_call_done, &(BeamCall) {
                                     .module = "erl_eval", .function = "exprs",
                                     .args = beam_erl_source_args (
                                       "cluster",
                                       "Reply", beam_term_new_reply_pid (),
                                       "Max", beam_term_new_integer (BEAM_CLUSTER_MAX_NODES),
                                       NULL),
                                     .timeout_ms = CALL_TIMEOUT_MS,
                                     /* two lists of 1000 names of 255 bytes at most */
                                     .max_reply_bytes = 1024 * 1024,
                                     .decode = decode_cluster,
                                     .result_free = (GDestroyNotify) beam_cluster_free,
                                   }, cancellable, cluster_call_done, g_steal_pointer (&task));
}

BeamCluster *
beam_cluster_fetch_finish (GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, beam_cluster_fetch_async), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
add_names (JsonBuilder       *builder,
           const char        *member,
           const char * const *names)
{
  json_builder_set_member_name (builder, member);
  json_builder_begin_array (builder);
  for (guint i = 0; names[i] != NULL; i++)
    json_builder_add_string_value (builder, names[i]);
  json_builder_end_array (builder);
}

JsonNode *
beam_cluster_to_json (const BeamCluster *cluster)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (cluster != NULL, NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "node");
  json_builder_add_string_value (builder, cluster->node);
  add_names (builder, "visible", (const char * const *) cluster->visible);
  json_builder_set_member_name (builder, "visible_count");
  json_builder_add_int_value (builder, cluster->visible_count);
  add_names (builder, "hidden", (const char * const *) cluster->hidden);
  json_builder_set_member_name (builder, "hidden_count");
  json_builder_add_int_value (builder, cluster->hidden_count);
  json_builder_set_member_name (builder, "epmd_host");
  json_builder_add_string_value (builder, cluster->host);
  add_names (builder, "epmd_others", (const char * const *) cluster->epmd_others);
  beam_json_add_string_or_null (builder, "epmd_error", cluster->epmd_error);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}
