/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One application's supervision tree: programs/supervision-tree.exprs, and its
 * flat answer (rows breadth first, each naming its parent's row, and what
 * each supervisor told) read into a BeamSupervisionTree. A row may only name
 * a row before it as its parent, so whatever the node sends, what we build
 * is a tree. */

#define G_LOG_DOMAIN "beamscope-probe"

#include <glib/gi18n.h>

#include "beam-erl-expr.h"
#include "beam-probe-json.h"
#include "beam-supervision-tree.h"
#include "beam-term-printer.h"

G_DEFINE_QUARK (beam-supervision-error-quark, beam_supervision_error)

#define DEFAULT_MAX_CHILDREN 50
#define DEFAULT_FETCH_LIMIT  10000
#define DEFAULT_TIMEOUT_MS   1000
/* However deep it goes, a tree is at most this many rows (plus as many of
 * links), so the node's answer and our memory stay bounded. */
#define MAX_ROWS             100000
#define UNLIMITED_DEPTH      1000
/* A counted supervisor's first children are read from its links, a copy of
 * all of them: 0.7 s for a million. Past this many, none are listed. */
#define LIST_LIMIT           100000
/* The program's own work beyond waiting on supervisors: reading 100,000
 * rows takes about a second. */
#define CALL_MARGIN_MS       10000

void
beam_supervision_options_init (BeamSupervisionOptions *options)
{
  *options = (BeamSupervisionOptions) {
    .max_depth = 0,
    .max_children = DEFAULT_MAX_CHILDREN,
    .fetch_limit = DEFAULT_FETCH_LIMIT,
    .timeout_ms = DEFAULT_TIMEOUT_MS,
    .links = FALSE,
    .more_children = NULL,
    .silent = NULL,
  };
}

/* Every supervisor waited on for its whole deadline could take long: the
 * tree as a whole has ten deadlines, after which the supervisors not yet
 * asked are marked as not answering without being asked. */
static guint
budget_ms (const BeamSupervisionOptions *options)
{
  return MAX (options->timeout_ms * 10, 5000);
}

static const char *
intern_atom_or_null (GStringChunk   *strings,
                     const BeamTerm *term)
{
  if (term->kind != BEAM_TERM_ATOM || beam_term_is_atom (term, "undefined"))
    return NULL;
  return g_string_chunk_insert_const (strings, term->v.atom.name);
}

/* An id, a shutdown or a port's name, printed short: ids may be any term. */
static const char *
intern_printed (GStringChunk   *strings,
                const BeamTerm *term)
{
  static const BeamPrintOptions short_form = { BEAM_SYNTAX_ERLANG, NULL, 3, 6 };
  g_autofree char *text = NULL;

  if (beam_term_is_atom (term, "undefined"))
    return NULL;
  if (term->kind == BEAM_TERM_ATOM)
    return g_string_chunk_insert_const (strings, term->v.atom.name);
  if (term->kind == BEAM_TERM_LIST && (text = beam_term_dup_string (term)) != NULL)
    return g_string_chunk_insert_const (strings, text);
  text = beam_term_print (term, &short_form);
  return g_string_chunk_insert_const (strings, text);
}

static gboolean
read_supervisor (BeamSupervisionNode *node,
                 GStringChunk        *strings,
                 const BeamTerm      *sup)
{
  gint64 count;

  node->intensity = node->period = -1;
  if (beam_term_is_atom (sup, "not_answering"))
    node->status = BEAM_SUPERVISOR_NOT_ANSWERING;
  else if (beam_term_is_atom (sup, "unexplored"))
    node->status = BEAM_SUPERVISOR_UNEXPLORED;
  else if (beam_term_tagged (sup, "many", 3) != NULL &&
           beam_term_get_int64 (sup->children[1], &count) && count >= 0)
    {
      node->status = BEAM_SUPERVISOR_COUNTED;
      node->strategy = intern_atom_or_null (strings, sup->children[2]);
      node->children_count = (guint64) count;
    }
  else if (sup->kind == BEAM_TERM_TUPLE && sup->n_children == 4 &&
           beam_term_get_int64 (sup->children[3], &count) && count >= 0)
    {
      node->status = BEAM_SUPERVISOR_ANSWERED;
      node->strategy = intern_atom_or_null (strings, sup->children[0]);
      if (!beam_term_get_int64 (sup->children[1], &node->intensity))
        node->intensity = -1;
      if (!beam_term_get_int64 (sup->children[2], &node->period))
        node->period = -1;
      node->children_count = (guint64) count;
    }
  else
    return FALSE;
  return TRUE;
}

static gboolean
read_row (BeamSupervisionTree *tree,
          guint                index,
          const BeamTerm      *row)
{
  BeamSupervisionNode *node = &tree->nodes[index];
  const BeamTerm *kind, *pid;
  gint64 parent;

  if (row->kind != BEAM_TERM_TUPLE || row->n_children != 7 ||
      !beam_term_get_int64 (row->children[0], &parent) || parent < 0 || parent > index)
    return FALSE;
  kind = row->children[1];
  pid = row->children[2];

  node->index = index;
  node->parent = parent == 0 ? BEAM_SUPERVISION_NO_PARENT : (guint) parent - 1;
  if ((parent == 0) != (index == 0))
    return FALSE;   /* one root, first */
  node->depth = parent == 0 ? 0 : tree->nodes[node->parent].depth + 1;
  if (node->depth > UNLIMITED_DEPTH + 1)
    return FALSE;   /* deeper than we ask for: what walks the tree may recurse */
  node->memory = node->message_queue_len = node->reductions = -1;
  node->intensity = node->period = -1;

  if (beam_term_is_atom (kind, "supervisor"))
    node->type = BEAM_SUPERVISION_SUPERVISOR;
  else if (beam_term_is_atom (kind, "worker"))
    node->type = BEAM_SUPERVISION_WORKER;
  else if (beam_term_is_atom (kind, "linked"))
    node->type = BEAM_SUPERVISION_LINKED;
  else
    return FALSE;

  if (pid->kind == BEAM_TERM_PID || pid->kind == BEAM_TERM_PORT)
    {
      g_autofree char *text = beam_term_print (pid, NULL);

      node->state = BEAM_SUPERVISION_RUNNING;
      node->pid = g_string_chunk_insert (tree->strings, text);
    }
  else if (beam_term_is_atom (pid, "restarting") ||
           beam_term_tagged (pid, "restarting", 2) != NULL)
    node->state = BEAM_SUPERVISION_RESTARTING;
  else
    node->state = BEAM_SUPERVISION_UNDEFINED;

  node->id = intern_printed (tree->strings, row->children[3]);
  if (node->id != NULL)
    {
      /* Two ids may print alike once shortened; their whole texts differ. */
      g_autofree char *whole = beam_term_print (row->children[3], NULL);

      node->id_hash = g_str_hash (whole);
    }
  node->module = intern_atom_or_null (tree->strings, row->children[4]);
  node->restart = intern_atom_or_null (tree->strings, row->children[5]);
  node->shutdown = intern_printed (tree->strings, row->children[6]);

  /* Until the supervisors' list says what asking it told. */
  node->status = BEAM_SUPERVISOR_UNEXPLORED;
  return TRUE;
}

/* [{registered_name, Name}, {memory, M}, {message_queue_len, Q}, {reductions, R}]
 * of a live process; anything else (undefined: it is gone) leaves -1. */
static void
read_info (BeamSupervisionNode *node,
           GStringChunk        *strings,
           const BeamTerm      *info)
{
  const BeamTerm *name;

  if (info->kind != BEAM_TERM_LIST)
    return;
  name = beam_term_lookup (info, "registered_name");
  if (name != NULL && name->kind == BEAM_TERM_ATOM)
    node->name = g_string_chunk_insert_const (strings, name->v.atom.name);
  if (!beam_term_get_int64 (beam_term_lookup (info, "memory"), &node->memory))
    node->memory = -1;
  if (!beam_term_get_int64 (beam_term_lookup (info, "message_queue_len"),
                            &node->message_queue_len))
    node->message_queue_len = -1;
  if (!beam_term_get_int64 (beam_term_lookup (info, "reductions"), &node->reductions))
    node->reductions = -1;
}

/* Each node's children, as slices of one array. */
static void
index_children (BeamSupervisionTree *tree)
{
  guint *counts = g_new0 (guint, tree->n_nodes);
  guint *slots;

  for (guint i = 1; i < tree->n_nodes; i++)
    counts[tree->nodes[i].parent]++;
  slots = g_new (guint, MAX (tree->n_nodes, 1));
  tree->child_slots = slots;
  for (guint i = 0, next = 0; i < tree->n_nodes; i++)
    {
      tree->nodes[i].child_nodes = slots + next;
      next += counts[i];
    }
  for (guint i = 1; i < tree->n_nodes; i++)
    {
      BeamSupervisionNode *parent = &tree->nodes[tree->nodes[i].parent];

      parent->child_nodes[parent->n_child_nodes++] = i;
    }
  g_free (counts);
}

static gboolean
read_tree (BeamSupervisionTree *tree,
           const BeamTerm      *value)
{
  const BeamTerm *rows = value->children[2];
  const BeamTerm *sups = value->children[3];
  const BeamTerm *infos = value->children[4];
  const BeamTerm *pairs = value->children[5];
  guint next_info = 0;

  if (rows->kind != BEAM_TERM_LIST || rows->v.list.improper || rows->n_children == 0 ||
      sups->kind != BEAM_TERM_LIST || sups->v.list.improper ||
      infos->kind != BEAM_TERM_LIST || infos->v.list.improper ||
      pairs->kind != BEAM_TERM_LIST || pairs->v.list.improper ||
      value->children[1]->kind != BEAM_TERM_PID)
    return FALSE;

  {
    g_autofree char *master = beam_term_print (value->children[1], NULL);
    tree->master_pid = g_steal_pointer (&master);
  }

  tree->n_nodes = rows->n_children;
  tree->nodes = g_new0 (BeamSupervisionNode, tree->n_nodes);
  for (guint i = 0; i < tree->n_nodes; i++)
    if (!read_row (tree, i, rows->children[i]))
      return FALSE;

  /* What each supervisor asked told: {Row, Module, Sup}. */
  for (guint i = 0; i < sups->n_children; i++)
    {
      const BeamTerm *told = sups->children[i];
      BeamSupervisionNode *node;
      gint64 row;

      if (told->kind != BEAM_TERM_TUPLE || told->n_children != 3 ||
          !beam_term_get_int64 (told->children[0], &row) || row < 1 || row > tree->n_nodes)
        return FALSE;
      node = &tree->nodes[row - 1];
      if (node->type != BEAM_SUPERVISION_SUPERVISOR ||
          !read_supervisor (node, tree->strings, told->children[2]))
        return FALSE;
      if (told->children[1]->kind == BEAM_TERM_ATOM &&
          !beam_term_is_atom (told->children[1], "undefined"))
        node->module = intern_atom_or_null (tree->strings, told->children[1]);
    }

  /* The infos are those of the rows whose pid is a pid, in order. */
  for (guint i = 0; i < tree->n_nodes && next_info < infos->n_children; i++)
    if (rows->children[i]->children[2]->kind == BEAM_TERM_PID)
      read_info (&tree->nodes[i], tree->strings, infos->children[next_info++]);

  tree->links = g_new0 (BeamSupervisionLink, MAX (pairs->n_children, 1));
  for (guint i = 0; i < pairs->n_children; i++)
    {
      const BeamTerm *pair = pairs->children[i];
      gint64 first, second;

      if (pair->kind != BEAM_TERM_TUPLE || pair->n_children != 2 ||
          !beam_term_get_int64 (pair->children[0], &first) ||
          !beam_term_get_int64 (pair->children[1], &second) ||
          first < 1 || second < 1 || first > tree->n_nodes || second > tree->n_nodes)
        return FALSE;
      tree->links[tree->n_links++] = (BeamSupervisionLink) { (guint) first - 1,
                                                             (guint) second - 1 };
    }

  index_children (tree);
  return TRUE;
}

static gpointer
decode_tree (const BeamTerm  *reply,
             gpointer         user_data,
             GError         **error)
{
  const char *application = user_data;
  const BeamTerm *value = beam_erl_eval_value (reply);
  g_autoptr(BeamSupervisionTree) tree = NULL;
  const BeamTerm *failure;

  if (value != NULL && (failure = beam_term_tagged (value, "error", 2)) != NULL)
    {
      if (beam_term_is_atom (failure->children[1], "unknown"))
        g_set_error (error, BEAM_SUPERVISION_ERROR, BEAM_SUPERVISION_ERROR_UNKNOWN_APPLICATION,
                     _("No application named “%s” is loaded on the node"), application);
      else if (beam_term_is_atom (failure->children[1], "not_running"))
        g_set_error (error, BEAM_SUPERVISION_ERROR, BEAM_SUPERVISION_ERROR_NOT_RUNNING,
                     _("The application “%s” is loaded but not started"), application);
      else if (beam_term_is_atom (failure->children[1], "no_processes"))
        g_set_error (error, BEAM_SUPERVISION_ERROR, BEAM_SUPERVISION_ERROR_NO_PROCESSES,
                     _("The application “%s” is a library application: it has no processes"),
                     application);
      else
        beam_erl_set_bad_reply (error, "the supervision tree's program");
      return NULL;
    }

  tree = g_new0 (BeamSupervisionTree, 1);
  tree->application = g_strdup (application);
  tree->strings = g_string_chunk_new (8192);
  if (value == NULL || beam_term_tagged (value, "ok", 6) == NULL || !read_tree (tree, value))
    {
      beam_erl_set_bad_reply (error, "the supervision tree's program");
      return NULL;
    }
  return g_steal_pointer (&tree);
}

/* [{<<"<0.95.0>">>, N}] */
static BeamTerm *
more_children_term (GHashTable *more_children)
{
  GPtrArray *pairs = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer pid, count;

  if (more_children != NULL)
    {
      g_hash_table_iter_init (&iter, more_children);
      while (g_hash_table_iter_next (&iter, &pid, &count))
        {
          guint wanted = MIN (GPOINTER_TO_UINT (count), MAX_ROWS);

          g_ptr_array_add (pairs, beam_term_new_tuple (2, beam_term_new_binary (pid, strlen (pid)),
                                                       beam_term_new_integer (wanted)));
        }
    }
  return beam_term_new_list_take (pairs);
}

/* [<<"<0.95.0>">>] */
static BeamTerm *
silent_term (GHashTable *silent)
{
  GPtrArray *pids = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer pid;

  if (silent != NULL)
    {
      g_hash_table_iter_init (&iter, silent);
      while (g_hash_table_iter_next (&iter, &pid, NULL))
        g_ptr_array_add (pids, beam_term_new_binary (pid, strlen (pid)));
    }
  return beam_term_new_list_take (pids);
}

void
beam_supervision_tree_async (BeamConnection               *connection,
                             const char                   *application,
                             const BeamSupervisionOptions *options,
                             GCancellable                 *cancellable,
                             GAsyncReadyCallback           callback,
                             gpointer                      user_data)
{
  BeamSupervisionOptions defaults;
  guint max_children, fetch_limit;

  g_return_if_fail (BEAM_IS_CONNECTION (connection));
  g_return_if_fail (application != NULL && g_utf8_validate (application, -1, NULL));

  if (options == NULL)
    {
      beam_supervision_options_init (&defaults);
      options = &defaults;
    }
  max_children = MIN (options->max_children, MAX_ROWS);
  fetch_limit = MIN (MAX (options->fetch_limit, max_children), MAX_ROWS);

  beam_connection_call_task_async (connection, beam_supervision_tree_async, &(BeamCall) {
                                     .module = "erl_eval", .function = "exprs",
                                     .args = beam_erl_source_args (
                                       "supervision-tree",
                                       "Name", beam_term_new_binary (application,
                                                                     strlen (application)),
                                       "Timeout", beam_term_new_integer (options->timeout_ms),
                                       "Budget", beam_term_new_integer (budget_ms (options)),
                                       "Fetch", beam_term_new_integer (fetch_limit),
                                       "Shown", beam_term_new_integer (max_children),
                                       "MaxDepth", beam_term_new_integer (
                                         options->max_depth > 0 ? options->max_depth
                                                                : UNLIMITED_DEPTH),
                                       "MaxRows", beam_term_new_integer (MAX_ROWS),
                                       "ListLimit", beam_term_new_integer (LIST_LIMIT),
                                       "More", more_children_term (options->more_children),
                                       "Silent", silent_term (options->silent),
                                       "Links", beam_term_new_atom (options->links ? "true"
                                                                                   : "false"),
                                       NULL),
                                     .timeout_ms = budget_ms (options) + CALL_MARGIN_MS,
                                     /* flat rows, a few hundred bytes each,
                                      * of trees of up to ~100,000 processes */
                                     .max_reply_bytes = 24 * 1024 * 1024,
                                     .decode = decode_tree,
                                     .decode_data = g_strdup (application),
                                     .decode_data_free = g_free,
                                     .result_free = (GDestroyNotify) beam_supervision_tree_free,
                                   }, cancellable, callback, user_data);
}

BeamSupervisionTree *
beam_supervision_tree_finish (GAsyncResult  *result,
                              GError       **error)
{
  return beam_connection_call_task_finish (result, beam_supervision_tree_async, error);
}

void
beam_supervision_tree_free (BeamSupervisionTree *tree)
{
  if (tree == NULL)
    return;
  g_free (tree->application);
  g_free (tree->master_pid);
  g_free (tree->nodes);
  g_free (tree->child_slots);
  g_free (tree->links);
  if (tree->strings != NULL)
    g_string_chunk_free (tree->strings);
  g_free (tree);
}

const BeamSupervisionNode *
beam_supervision_tree_get_root (const BeamSupervisionTree *tree)
{
  g_return_val_if_fail (tree != NULL, NULL);
  return tree->n_nodes > 0 ? &tree->nodes[0] : NULL;
}

static const char *
kind_name (BeamSupervisionType kind)
{
  switch (kind)
    {
    case BEAM_SUPERVISION_SUPERVISOR: return "supervisor";
    case BEAM_SUPERVISION_WORKER: return "worker";
    case BEAM_SUPERVISION_LINKED: return "linked";
    default: g_assert_not_reached ();
    }
}

/* Recursive: the decoder refuses trees deeper than we ask for. */
static void
add_node (JsonBuilder               *builder,
          const BeamSupervisionTree *tree,
          const BeamSupervisionNode *node)
{
  json_builder_begin_object (builder);
  beam_json_add_string_or_null (builder, "pid", node->pid);
  beam_json_add_string_or_null (builder, "name", node->name);
  beam_json_add_string_or_null (builder, "id", node->id);
  beam_json_add_string_or_null (builder, "type", kind_name (node->type));
  beam_json_add_string_or_null (builder, "module", node->module);
  beam_json_add_string_or_null (builder, "restart", node->restart);
  beam_json_add_string_or_null (builder, "shutdown", node->shutdown);
  if (node->state != BEAM_SUPERVISION_RUNNING)
    beam_json_add_string_or_null (builder, "state",
                        node->state == BEAM_SUPERVISION_RESTARTING ? "restarting" : "undefined");
  beam_json_add_count_or_null (builder, "memory", node->memory);
  beam_json_add_count_or_null (builder, "message_queue_len", node->message_queue_len);
  beam_json_add_count_or_null (builder, "reductions", node->reductions);

  if (node->type == BEAM_SUPERVISION_SUPERVISOR)
    {
      switch (node->status)
        {
        case BEAM_SUPERVISOR_NOT_ANSWERING:
          json_builder_set_member_name (builder, "not_answering");
          json_builder_add_boolean_value (builder, TRUE);
          break;
        case BEAM_SUPERVISOR_UNEXPLORED:
          json_builder_set_member_name (builder, "unexplored");
          json_builder_add_boolean_value (builder, TRUE);
          break;
        case BEAM_SUPERVISOR_ANSWERED:
        case BEAM_SUPERVISOR_COUNTED:
          beam_json_add_string_or_null (builder, "strategy", node->strategy);
          beam_json_add_count_or_null (builder, "intensity", node->intensity);
          beam_json_add_count_or_null (builder, "period", node->period);
          json_builder_set_member_name (builder, "children_count");
          json_builder_add_int_value (builder, (gint64) MIN (node->children_count, G_MAXINT64));
          break;
        default:
          g_assert_not_reached ();
        }
    }

  if (node->type != BEAM_SUPERVISION_LINKED &&
      (node->type == BEAM_SUPERVISION_SUPERVISOR || node->n_child_nodes > 0))
    {
      json_builder_set_member_name (builder, "children");
      json_builder_begin_array (builder);
      for (guint i = 0; i < node->n_child_nodes; i++)
        add_node (builder, tree, &tree->nodes[node->child_nodes[i]]);
      json_builder_end_array (builder);
    }
  json_builder_end_object (builder);
}

JsonNode *
beam_supervision_tree_to_json (const BeamSupervisionTree *tree)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (tree != NULL && tree->n_nodes > 0, NULL);

  add_node (builder, tree, &tree->nodes[0]);
  return json_builder_get_root (builder);
}

/* ---- one supervisor's details ------------------------------------------------- */

#define DETAILS_TIMEOUT_MS 2000
#define DETAILS_SPECS      50

void
beam_supervisor_details_free (BeamSupervisorDetails *details)
{
  if (details == NULL)
    return;
  g_clear_pointer (&details->child_specs, g_ptr_array_unref);
  g_free (details);
}

static gint64
count_of (const BeamTerm *counts,
          const char     *key)
{
  gint64 value;

  return beam_term_get_int64 (beam_term_lookup (counts, key), &value) ? value : -1;
}

static gpointer
decode_details (const BeamTerm  *reply,
                gpointer         user_data,
                GError         **error)
{
  static const BeamPrintOptions spec_form = { BEAM_SYNTAX_ERLANG, NULL, 8, 32 };
  const char *pid = user_data;
  const BeamTerm *value = beam_erl_eval_value (reply);
  BeamSupervisorDetails *details;
  const BeamTerm *specs;

  if (beam_term_is_atom (value, "not_answering"))
    {
      g_set_error (error, BEAM_SUPERVISION_ERROR, BEAM_SUPERVISION_ERROR_NOT_ANSWERING,
                   _("The supervisor %s did not answer in time"), pid);
      return NULL;
    }
  if (beam_term_is_atom (value, "not_a_supervisor"))
    {
      g_set_error (error, BEAM_SUPERVISION_ERROR, BEAM_SUPERVISION_ERROR_NOT_A_SUPERVISOR,
                   _("%s is not a supervisor Beamscope can ask"), pid);
      return NULL;
    }
  if (beam_term_is_atom (value, "no_such_process"))
    {
      g_set_error (error, BEAM_SUPERVISION_ERROR, BEAM_SUPERVISION_ERROR_NO_SUCH_PROCESS,
                   _("%s is not a process of the node (any more)"), pid);
      return NULL;
    }
  if (value == NULL || value->kind != BEAM_TERM_TUPLE || value->n_children != 2 ||
      value->children[0]->kind != BEAM_TERM_LIST || value->children[1]->kind != BEAM_TERM_LIST)
    {
      beam_erl_set_bad_reply (error, "supervisor:count_children/1");
      return NULL;
    }

  details = g_new0 (BeamSupervisorDetails, 1);
  details->specs = count_of (value->children[0], "specs");
  details->active = count_of (value->children[0], "active");
  details->supervisors = count_of (value->children[0], "supervisors");
  details->workers = count_of (value->children[0], "workers");
  details->child_specs = g_ptr_array_new_with_free_func (g_free);
  specs = value->children[1];
  for (guint i = 0; i < specs->n_children && i < DETAILS_SPECS; i++)
    g_ptr_array_add (details->child_specs, beam_term_print (specs->children[i], &spec_form));
  return details;
}

void
beam_supervisor_details_async (BeamConnection      *connection,
                               const char          *pid,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_return_if_fail (BEAM_IS_CONNECTION (connection));
  g_return_if_fail (pid != NULL);

  beam_connection_call_task_async (connection, beam_supervisor_details_async, &(BeamCall) {
                                     .module = "erl_eval", .function = "exprs",
                                     .args = beam_erl_source_args (
                                       "supervisor-details",
                                       "SupText", beam_term_new_binary (pid, strlen (pid)),
                                       "Timeout", beam_term_new_integer (DETAILS_TIMEOUT_MS),
                                       "Limit", beam_term_new_integer (DETAILS_SPECS),
                                       NULL),
                                     /* every question within one deadline */
                                     .timeout_ms = DETAILS_TIMEOUT_MS + 5000,
                                     .decode = decode_details,
                                     .decode_data = g_strdup (pid),
                                     .decode_data_free = g_free,
                                     .result_free = (GDestroyNotify) beam_supervisor_details_free,
                                   }, cancellable, callback, user_data);
}

BeamSupervisorDetails *
beam_supervisor_details_finish (GAsyncResult  *result,
                                GError       **error)
{
  return beam_connection_call_task_finish (result, beam_supervisor_details_async, error);
}

static const char *
respell (GStringChunk *strings,
         const char   *name,
         BeamSyntax    syntax)
{
  g_autofree char *spelled = NULL;

  if (name == NULL)
    return NULL;
  spelled = beam_print_name (name, syntax);
  return g_strcmp0 (spelled, name) == 0 ? name : g_string_chunk_insert_const (strings, spelled);
}

void
beam_supervision_tree_respell (BeamSupervisionTree *tree,
                               BeamSyntax           syntax)
{
  g_return_if_fail (tree != NULL);

  for (guint i = 0; i < tree->n_nodes; i++)
    {
      BeamSupervisionNode *node = &tree->nodes[i];

      node->name = respell (tree->strings, node->name, syntax);
      node->module = respell (tree->strings, node->module, syntax);
    }
}
