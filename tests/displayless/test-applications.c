/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Applications page's questions, asked through the probes and the CLI of
 * a node running the fixture application (fixtures/beamscope_demo_app.erl),
 * whose tree is known: nested supervisors of each strategy, a
 * simple_one_for_one of 120 workers, a worker the test kills, a supervisor
 * that never answers, and a process and a port linked outside any supervisor. */

#include <string.h>

#include "beam-application-list.h"
#include "beam-application-row.h"
#include "beam-connection.h"
#include "beam-supervision-history.h"
#include "beam-supervision-tree.h"
#include "beam-test-node.h"

/* The fixture's supervisor that never answers costs its deadline; a gathering that skips it
 * takes less than the deadline, which grows with the build's slowdown so that this stays
 * true under ASan, where gathering the whole tree takes about 300 ms. */
#define SHORT_TIMEOUT_MS (300 * BEAM_TEST_SLOWDOWN)

static BeamTestNode *node;

static char *
erl_call (const char *module,
          const char *function,
          const char *args)
{
  g_autoptr(GError) error = NULL;
  char *printed = beam_test_node_erl_call (node, module, function, args, &error);

  g_assert_no_error (error);
  return g_strstrip (printed);
}

static gint64
erl_call_integer (const char *module,
                  const char *function,
                  const char *args)
{
  g_autofree char *printed = erl_call (module, function, args);

  return g_ascii_strtoll (printed, NULL, 10);
}

/* erl_call prints a pid with its node's name, <name@host.96.0>; we print it
 * as the node itself does, <0.96.0>. */
static void
assert_same_pid (const char *ours,
                 const char *erl_calls)
{
  g_assert_nonnull (ours);
  g_assert_nonnull (strchr (erl_calls, '.'));
  g_assert_cmpstr (strchr (ours, '.'), ==, strrchr (erl_calls, '@') != NULL
                                            ? strchr (strrchr (erl_calls, '@'), '.')
                                            : strchr (erl_calls, '.'));
}

static BeamApplicationList *
list_applications (BeamConnection *connection,
                   gboolean        count)
{
  g_autoptr(GError) error = NULL;
  BeamTestWait wait = { 0 };
  BeamApplicationList *list;

  beam_application_list_async (connection, count, NULL, beam_test_stash, &wait);
  beam_test_wait_for (&wait.done, 30000);
  list = beam_application_list_finish (wait.result, &error);
  g_object_unref (wait.result);
  g_assert_no_error (error);
  return list;
}

static BeamSupervisionTree *
gather (BeamConnection               *connection,
        const char                   *application,
        const BeamSupervisionOptions *options,
        GError                      **error)
{
  BeamTestWait wait = { 0 };
  BeamSupervisionTree *tree;

  beam_supervision_tree_async (connection, application, options, NULL, beam_test_stash, &wait);
  beam_test_wait_for (&wait.done, 30000);
  tree = beam_supervision_tree_finish (wait.result, error);
  g_object_unref (wait.result);
  return tree;
}

static const BeamSupervisionNode *
child_with_id (const BeamSupervisionTree *tree,
               const BeamSupervisionNode *parent,
               const char                *id)
{
  for (guint i = 0; i < parent->n_child_nodes; i++)
    {
      const BeamSupervisionNode *child = &tree->nodes[parent->child_nodes[i]];

      if (g_strcmp0 (child->id, id) == 0)
        return child;
    }
  g_error ("%s has no child %s", parent->name != NULL ? parent->name : parent->pid, id);
}

static void
assert_child (const BeamSupervisionTree *tree,
              const BeamSupervisionNode *parent,
              guint                      position,
              const char                *id,
              BeamSupervisionType        kind,
              const char                *restart,
              const char                *shutdown)
{
  const BeamSupervisionNode *child;

  g_assert_cmpuint (position, <, parent->n_child_nodes);
  child = &tree->nodes[parent->child_nodes[position]];
  g_assert_cmpstr (child->id, ==, id);
  g_assert_cmpint (child->type, ==, kind);
  g_assert_cmpstr (child->restart, ==, restart);
  g_assert_cmpstr (child->shutdown, ==, shutdown);
  g_assert_cmpuint (child->parent, ==, parent->index);
  g_assert_cmpuint (child->depth, ==, parent->depth + 1);
}

static void
test_list (void)
{
  g_autoptr(BeamConnection) connection = beam_test_node_connect (node);
  g_autoptr(BeamApplicationList) list = list_applications (connection, TRUE);
  g_autoptr(BeamApplicationList) uncounted = list_applications (connection, FALSE);
  g_autoptr(GListStore) store = NULL;
  g_autoptr(BeamApplicationRow) first_row = NULL;
  g_autoptr(BeamApplicationRow) same_row = NULL;
  const BeamApplication *demo, *kernel, *stdlib, *sasl;
  g_autofree char *master = erl_call ("application_controller", "get_master",
                                      "[beamscope_demo]");
  gint64 processes;

  g_assert_true (list->types_known);
  g_assert_true (list->counted);
  for (guint i = 1; i < list->n_applications; i++)
    g_assert_cmpstr (list->applications[i - 1].name, <, list->applications[i].name);

  demo = beam_application_list_find (list, "beamscope_demo");
  g_assert_nonnull (demo);
  g_assert_cmpstr (demo->description, ==, "Beamscope's demo supervision tree");
  g_assert_cmpstr (demo->vsn, ==, "1.0.0");
  g_assert_cmpstr (demo->start_type, ==, "temporary");
  g_assert_true (demo->running);
  g_assert_cmpint (demo->state, ==, BEAM_APPLICATION_RUNNING);
  assert_same_pid (demo->master_pid, master);
  /* Its processes: the master and its loop, 5 supervisors, 5 workers, the
   * imposter, 120 in the pool, and the one the flaky worker linked. */
  processes = demo->processes;
  g_assert_cmpint (processes, ==, 2 + 5 + 5 + 1 + 120 + 1);
  g_assert_cmpint (demo->memory, >, processes * 1000);
  g_assert_cmpint (demo->reductions, >, 0);

  kernel = beam_application_list_find (list, "kernel");
  g_assert_nonnull (kernel);
  g_assert_cmpstr (kernel->start_type, ==, "permanent");
  g_assert_cmpint (kernel->processes, >, 10);

  /* A library application runs without a master; a loaded one not at all. */
  stdlib = beam_application_list_find (list, "stdlib");
  g_assert_nonnull (stdlib);
  g_assert_true (stdlib->running);
  g_assert_null (stdlib->master_pid);
  g_assert_cmpint (stdlib->processes, ==, -1);
  sasl = beam_application_list_find (list, "sasl");
  g_assert_nonnull (sasl);
  g_assert_false (sasl->running);
  g_assert_null (sasl->start_type);

  /* As rows: updated in place, so a selection survives a refresh; what a
   * list without counts does not know keeps its last value. */
  store = g_list_store_new (BEAM_TYPE_APPLICATION_ROW);
  beam_application_rows_update (store, list);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, list->n_applications);
  first_row = g_list_model_get_item (G_LIST_MODEL (store), 0);
  beam_application_rows_update (store, uncounted);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, list->n_applications);
  same_row = g_list_model_get_item (G_LIST_MODEL (store), 0);
  g_assert_true (first_row == same_row);
  for (guint i = 0; i < list->n_applications; i++)
    {
      g_autoptr(BeamApplicationRow) row = g_list_model_get_item (G_LIST_MODEL (store), i);

      g_assert_cmpstr (beam_application_row_get_name (row), ==, list->applications[i].name);
      g_assert_cmpint (beam_application_row_get_processes (row), ==,
                       list->applications[i].processes);
    }

  /* Not counted: the same list, without the sums. */
  g_assert_false (uncounted->counted);
  g_assert_cmpuint (uncounted->n_applications, ==, list->n_applications);
  g_assert_cmpint (beam_application_list_find (uncounted, "beamscope_demo")->processes, ==, -1);
  beam_connection_close (connection);
}

static void
test_tree (void)
{
  g_autoptr(BeamConnection) connection = beam_test_node_connect (node);
  g_autoptr(BeamSupervisionTree) tree = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *top_pid = erl_call ("erlang", "whereis", "[beamscope_demo_sup]");
  const BeamSupervisionNode *top, *rest, *all, *pool, *flaky, *hung, *imposter;
  BeamSupervisionOptions options;
  gint64 processes_before, started;
  guint64 elapsed_ms;

  beam_supervision_options_init (&options);
  options.timeout_ms = SHORT_TIMEOUT_MS;
  processes_before = erl_call_integer ("erlang", "system_info", "[process_count]");
  started = g_get_monotonic_time ();
  tree = gather (connection, "beamscope_demo", &options, &error);
  elapsed_ms = (guint64) (g_get_monotonic_time () - started) / 1000;
  g_assert_no_error (error);

  /* The supervisor that never answers costs its deadline, once. */
  g_assert_cmpuint (elapsed_ms, >=, SHORT_TIMEOUT_MS);
  g_assert_cmpuint (elapsed_ms, <, 10 * SHORT_TIMEOUT_MS);
  /* Nothing is left waiting on the node. Counts move a little either way (seen under ASan):
   * the helper that awaited the hung supervisor may still be exiting as the answer arrives,
   * and a process of the last test may have been exiting when we counted. */
  for (guint i = 0; i < 50; i++)
    {
      if (erl_call_integer ("erlang", "system_info", "[process_count]") <= processes_before)
        break;
      g_usleep (20000);
    }
  g_assert_cmpint (erl_call_integer ("erlang", "system_info", "[process_count]"), <=,
                   processes_before);

  top = beam_supervision_tree_get_root (tree);
  assert_same_pid (top->pid, top_pid);
  g_assert_cmpstr (top->name, ==, "beamscope_demo_sup");
  g_assert_cmpint (top->type, ==, BEAM_SUPERVISION_SUPERVISOR);
  g_assert_cmpint (top->status, ==, BEAM_SUPERVISOR_ANSWERED);
  g_assert_cmpstr (top->strategy, ==, "one_for_one");
  g_assert_cmpint (top->intensity, ==, 10);
  g_assert_cmpint (top->period, ==, 60);
  g_assert_cmpstr (top->module, ==, "beamscope_demo_app");
  g_assert_cmpuint (top->parent, ==, BEAM_SUPERVISION_NO_PARENT);
  g_assert_cmpuint (top->children_count, ==, 6);
  g_assert_cmpuint (top->n_child_nodes, ==, 6);

  /* In the order of the child specs, with their restart types and shutdowns. */
  assert_child (tree, top, 0, "rest", BEAM_SUPERVISION_SUPERVISOR, "permanent", "infinity");
  assert_child (tree, top, 1, "all", BEAM_SUPERVISION_SUPERVISOR, "permanent", "infinity");
  assert_child (tree, top, 2, "pool", BEAM_SUPERVISION_SUPERVISOR, "permanent", "infinity");
  assert_child (tree, top, 3, "flaky", BEAM_SUPERVISION_WORKER, "permanent", "brutal_kill");
  assert_child (tree, top, 4, "hung", BEAM_SUPERVISION_SUPERVISOR, "permanent", "brutal_kill");
  assert_child (tree, top, 5, "imposter", BEAM_SUPERVISION_SUPERVISOR, "permanent",
                "brutal_kill");

  rest = child_with_id (tree, top, "rest");
  g_assert_cmpstr (rest->strategy, ==, "rest_for_one");
  g_assert_cmpint (rest->intensity, ==, 1);
  g_assert_cmpint (rest->period, ==, 5);
  assert_child (tree, rest, 0, "rest_a", BEAM_SUPERVISION_WORKER, "permanent", "5000");
  assert_child (tree, rest, 1, "rest_b", BEAM_SUPERVISION_WORKER, "permanent", "2000");

  all = child_with_id (tree, top, "all");
  g_assert_cmpstr (all->strategy, ==, "one_for_all");
  g_assert_cmpint (all->intensity, ==, 3);
  assert_child (tree, all, 0, "all_a", BEAM_SUPERVISION_WORKER, "transient", "5000");
  assert_child (tree, all, 1, "all_b", BEAM_SUPERVISION_WORKER, "temporary", "infinity");

  /* The simple_one_for_one: all 120 asked for, under the fetch limit. */
  pool = child_with_id (tree, top, "pool");
  g_assert_cmpstr (pool->name, ==, "beamscope_demo_pool");
  g_assert_cmpstr (pool->strategy, ==, "simple_one_for_one");
  g_assert_cmpint (pool->status, ==, BEAM_SUPERVISOR_ANSWERED);
  g_assert_cmpuint (pool->children_count, ==, 120);
  g_assert_cmpuint (pool->n_child_nodes, ==, 120);
  for (guint i = 0; i < pool->n_child_nodes; i++)
    {
      const BeamSupervisionNode *worker = &tree->nodes[pool->child_nodes[i]];

      g_assert_null (worker->id);
      g_assert_nonnull (worker->pid);
      g_assert_cmpint (worker->type, ==, BEAM_SUPERVISION_WORKER);
      g_assert_cmpstr (worker->restart, ==, "permanent");
      g_assert_cmpint (worker->memory, >, 0);
      g_assert_cmpint (worker->message_queue_len, ==, 0);
    }

  flaky = child_with_id (tree, top, "flaky");
  g_assert_cmpstr (flaky->name, ==, "beamscope_demo_flaky");
  g_assert_cmpuint (flaky->n_child_nodes, ==, 0);   /* no links asked for */

  hung = child_with_id (tree, top, "hung");
  g_assert_cmpint (hung->status, ==, BEAM_SUPERVISOR_NOT_ANSWERING);
  g_assert_nonnull (hung->pid);
  g_assert_cmpuint (hung->n_child_nodes, ==, 0);

  /* A plain process its spec calls a supervisor is not asked at all. */
  imposter = child_with_id (tree, top, "imposter");
  g_assert_cmpint (imposter->status, ==, BEAM_SUPERVISOR_ANSWERED);
  g_assert_cmpstr (imposter->strategy, ==, "not a supervisor");
  g_assert_cmpint (imposter->message_queue_len, ==, 0);

  g_assert_cmpuint (tree->n_nodes, ==, 1 + 6 + 2 + 2 + 120);
  g_assert_cmpuint (tree->n_links, ==, 0);
  g_assert_nonnull (tree->master_pid);

  /* Told it was silent, the next gathering does not ask it again: no wait,
   * and no question more left waiting in its mailbox. */
  {
    g_autoptr(BeamSupervisionTree) again = NULL;
    const BeamSupervisionNode *still;

    options.silent = g_hash_table_new (g_str_hash, g_str_equal);
    g_hash_table_add (options.silent, (gpointer) hung->pid);
    started = g_get_monotonic_time ();
    again = gather (connection, "beamscope_demo", &options, &error);
    elapsed_ms = (guint64) (g_get_monotonic_time () - started) / 1000;
    g_assert_no_error (error);
    g_clear_pointer (&options.silent, g_hash_table_unref);
    g_assert_cmpuint (elapsed_ms, <, SHORT_TIMEOUT_MS);
    still = child_with_id (again, beam_supervision_tree_get_root (again), "hung");
    g_assert_cmpint (still->status, ==, BEAM_SUPERVISOR_NOT_ANSWERING);
    g_assert_cmpint (still->message_queue_len, ==, hung->message_queue_len);
  }
  beam_connection_close (connection);
}

/* A supervisor with more children than the fetch limit is counted, and only
 * the first few are listed; a depth limit leaves supervisors unexplored. */
static void
test_tree_limits (void)
{
  g_autoptr(BeamConnection) connection = beam_test_node_connect (node);
  g_autoptr(BeamSupervisionTree) counted = NULL;
  g_autoptr(BeamSupervisionTree) shallow = NULL;
  g_autoptr(BeamSupervisionTree) more = NULL;
  g_autoptr(GError) error = NULL;
  const BeamSupervisionNode *pool;
  BeamSupervisionOptions options;

  beam_supervision_options_init (&options);
  options.timeout_ms = SHORT_TIMEOUT_MS;
  options.fetch_limit = 50;
  options.max_children = 7;
  counted = gather (connection, "beamscope_demo", &options, &error);
  g_assert_no_error (error);
  pool = child_with_id (counted, beam_supervision_tree_get_root (counted), "pool");
  g_assert_cmpint (pool->status, ==, BEAM_SUPERVISOR_COUNTED);
  g_assert_cmpuint (pool->children_count, ==, 120);
  g_assert_cmpuint (pool->n_child_nodes, ==, 7);
  g_assert_cmpstr (pool->strategy, ==, "simple_one_for_one");

  /* Asked for more of its children, the pool lists that many. */
  options.more_children = g_hash_table_new (g_str_hash, g_str_equal);
  g_hash_table_insert (options.more_children, (gpointer) pool->pid, GUINT_TO_POINTER (30));
  more = gather (connection, "beamscope_demo", &options, &error);
  g_assert_no_error (error);
  g_clear_pointer (&options.more_children, g_hash_table_unref);
  pool = child_with_id (more, beam_supervision_tree_get_root (more), "pool");
  g_assert_cmpint (pool->status, ==, BEAM_SUPERVISOR_COUNTED);
  g_assert_cmpuint (pool->n_child_nodes, ==, 30);

  options.max_depth = 1;
  shallow = gather (connection, "beamscope_demo", &options, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (shallow->n_nodes, ==, 7);
  g_assert_cmpint (child_with_id (shallow, &shallow->nodes[0], "rest")->status, ==,
                   BEAM_SUPERVISOR_UNEXPLORED);
  beam_connection_close (connection);
}

/* Links mode: the flaky worker's own process and port, which no supervisor
 * owns, come as LINKED nodes under it, with their links. */
static void
test_tree_links (void)
{
  g_autoptr(BeamConnection) connection = beam_test_node_connect (node);
  g_autoptr(BeamSupervisionTree) tree = NULL;
  g_autoptr(GError) error = NULL;
  const BeamSupervisionNode *flaky;
  BeamSupervisionOptions options;
  gboolean saw_port = FALSE, saw_process = FALSE;

  beam_supervision_options_init (&options);
  options.timeout_ms = SHORT_TIMEOUT_MS;
  options.links = TRUE;
  tree = gather (connection, "beamscope_demo", &options, &error);
  g_assert_no_error (error);

  flaky = child_with_id (tree, beam_supervision_tree_get_root (tree), "flaky");
  g_assert_cmpuint (flaky->n_child_nodes, ==, 2);
  for (guint i = 0; i < flaky->n_child_nodes; i++)
    {
      const BeamSupervisionNode *linked = &tree->nodes[flaky->child_nodes[i]];

      g_assert_cmpint (linked->type, ==, BEAM_SUPERVISION_LINKED);
      if (g_str_has_prefix (linked->pid, "#Port<"))
        {
          saw_port = TRUE;
          g_assert_cmpstr (linked->id, ==, "cat");
        }
      else
        {
          saw_process = TRUE;
          g_assert_cmpint (linked->memory, >, 0);
        }
    }
  g_assert_true (saw_port && saw_process);
  /* Nothing else in the tree links outside it. */
  g_assert_cmpuint (tree->n_links, ==, 2);
  for (guint i = 0; i < tree->n_links; i++)
    g_assert_cmpuint (tree->links[i].first, ==, flaky->index);
  beam_connection_close (connection);
}

/* Killed, the flaky worker comes back under the same id with a new pid. */
static void
test_tree_restart (void)
{
  g_autoptr(BeamConnection) connection = beam_test_node_connect (node);
  g_autoptr(BeamSupervisionTree) before = NULL;
  g_autoptr(BeamSupervisionTree) after = NULL;
  g_autoptr(BeamSupervisionTree) again = NULL;
  g_autoptr(BeamSupervisionHistory) history = beam_supervision_history_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *killed = NULL;
  const BeamSupervisionNode *old_flaky, *new_flaky;
  BeamSupervisionOptions options;

  beam_supervision_options_init (&options);
  options.timeout_ms = SHORT_TIMEOUT_MS;
  before = gather (connection, "beamscope_demo", &options, &error);
  g_assert_no_error (error);
  killed = erl_call ("beamscope_fixture", "kill_registered", "[beamscope_demo_flaky]");
  g_assert_cmpstr (killed, ==, "true");
  after = gather (connection, "beamscope_demo", &options, &error);
  g_assert_no_error (error);

  old_flaky = child_with_id (before, beam_supervision_tree_get_root (before), "flaky");
  new_flaky = child_with_id (after, beam_supervision_tree_get_root (after), "flaky");
  g_assert_nonnull (new_flaky->pid);
  g_assert_cmpstr (old_flaky->pid, !=, new_flaky->pid);

  /* The history marks it, once, and its supervisor counts it from then on. */
  beam_supervision_history_update (history, before);
  for (guint i = 0; i < before->n_nodes; i++)
    g_assert_cmpuint (beam_supervision_history_get_restarted (history)[i], ==, 0);
  beam_supervision_history_update (history, after);
  for (guint i = 0; i < after->n_nodes; i++)
    g_assert_cmpuint (beam_supervision_history_get_restarted (history)[i], ==,
                      i == new_flaky->index ? 1 : 0);
  g_assert_cmpuint (beam_supervision_history_get_restart_counts (history)[0], ==, 1);
  again = gather (connection, "beamscope_demo", &options, &error);
  g_assert_no_error (error);
  beam_supervision_history_update (history, again);
  for (guint i = 0; i < again->n_nodes; i++)
    g_assert_cmpuint (beam_supervision_history_get_restarted (history)[i], ==, 0);
  g_assert_cmpuint (beam_supervision_history_get_restart_counts (history)[0], ==, 1);
  g_assert_cmpuint (beam_supervision_history_get_restart_counts (
                      history)[child_with_id (again, &again->nodes[0], "rest")->index], ==, 0);
  beam_connection_close (connection);
}

/* kernel's own tree, as any node has it. */
static void
test_kernel_tree (void)
{
  g_autoptr(BeamConnection) connection = beam_test_node_connect (node);
  g_autoptr(GError) error = NULL;
  g_autoptr(BeamSupervisionTree) tree = gather (connection, "kernel", NULL, &error);
  const BeamSupervisionNode *top;
  gboolean code_server = FALSE;

  g_assert_no_error (error);
  top = beam_supervision_tree_get_root (tree);
  g_assert_cmpstr (top->name, ==, "kernel_sup");
  g_assert_cmpstr (top->strategy, ==, "one_for_all");
  g_assert_cmpint (top->status, ==, BEAM_SUPERVISOR_ANSWERED);
  for (guint i = 0; i < top->n_child_nodes; i++)
    code_server |= g_strcmp0 (tree->nodes[top->child_nodes[i]].name, "code_server") == 0;
  g_assert_true (code_server);
  for (guint i = 0; i < tree->n_nodes; i++)
    if (tree->nodes[i].type == BEAM_SUPERVISION_SUPERVISOR && tree->nodes[i].pid != NULL)
      g_assert_cmpint (tree->nodes[i].status, ==, BEAM_SUPERVISOR_ANSWERED);
  beam_connection_close (connection);
}

/* What a user types is matched on the node, never made an atom there. */
static void
test_tree_errors (void)
{
  g_autoptr(BeamConnection) connection = beam_test_node_connect (node);
  g_autoptr(GError) error = NULL;
  gint64 atoms_before;
  g_autofree char *name = g_strdup_printf ("no_such_app_%u", g_random_int ());

  atoms_before = erl_call_integer ("erlang", "system_info", "[atom_count]");
  g_assert_null (gather (connection, name, NULL, &error));
  g_assert_error (error, BEAM_SUPERVISION_ERROR, BEAM_SUPERVISION_ERROR_UNKNOWN_APPLICATION);
  g_assert_nonnull (strstr (error->message, name));
  g_clear_error (&error);
  g_assert_cmpint (erl_call_integer ("erlang", "system_info", "[atom_count]"), ==,
                   atoms_before);

  g_assert_null (gather (connection, "stdlib", NULL, &error));
  g_assert_error (error, BEAM_SUPERVISION_ERROR, BEAM_SUPERVISION_ERROR_NO_PROCESSES);
  g_clear_error (&error);
  g_assert_null (gather (connection, "sasl", NULL, &error));
  g_assert_error (error, BEAM_SUPERVISION_ERROR, BEAM_SUPERVISION_ERROR_NOT_RUNNING);
  beam_connection_close (connection);
}

static JsonObject *
json_child_with_id (JsonObject *parent,
                    const char *id)
{
  JsonArray *children = json_object_get_array_member (parent, "children");

  for (guint i = 0; i < json_array_get_length (children); i++)
    {
      JsonObject *child = json_array_get_object_element (children, i);

      if (!json_object_get_null_member (child, "id") &&
          g_strcmp0 (json_object_get_string_member (child, "id"), id) == 0)
        return child;
    }
  g_error ("no child %s", id);
}

static void
test_cli (void)
{
  g_autoptr(JsonNode) apps = beam_test_node_cli_json (node, "apps", NULL);
  g_autoptr(JsonNode) tree = beam_test_node_cli_json (node, "tree", "beamscope_demo",
                                                      "--max-children", "10", NULL);
  JsonArray *list = json_node_get_array (apps);
  JsonObject *top, *pool, *hung, *demo = NULL;
  g_autofree char *out = NULL, *err = NULL;
  const char *argv[] = { g_getenv ("BEAMSCOPE_CLI"), "tree", "no_such_app", "--node", node->name,
                         "--cookie", node->cookie, NULL };
  int status;

  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonObject *app = json_array_get_object_element (list, i);

      if (g_strcmp0 (json_object_get_string_member (app, "name"), "beamscope_demo") == 0)
        demo = app;
    }
  g_assert_nonnull (demo);
  g_assert_cmpstr (json_object_get_string_member (demo, "vsn"), ==, "1.0.0");
  g_assert_cmpstr (json_object_get_string_member (demo, "type"), ==, "temporary");
  g_assert_cmpstr (json_object_get_string_member (demo, "description"), ==,
                   "Beamscope's demo supervision tree");

  top = json_node_get_object (tree);
  g_assert_cmpstr (json_object_get_string_member (top, "name"), ==, "beamscope_demo_sup");
  g_assert_cmpstr (json_object_get_string_member (top, "type"), ==, "supervisor");
  g_assert_cmpstr (json_object_get_string_member (top, "module"), ==, "beamscope_demo_app");
  g_assert_cmpint (json_array_get_length (json_object_get_array_member (top, "children")), ==, 6);
  pool = json_child_with_id (top, "pool");
  g_assert_cmpint (json_object_get_int_member (pool, "children_count"), ==, 120);
  g_assert_cmpint (json_array_get_length (json_object_get_array_member (pool, "children")), ==,
                   10);
  hung = json_child_with_id (top, "hung");
  g_assert_true (json_object_get_boolean_member (hung, "not_answering"));
  g_assert_nonnull (json_object_get_string_member (hung, "pid"));
  g_assert_cmpstr (json_object_get_string_member (json_child_with_id (top, "rest"), "restart"),
                   ==, "permanent");

  /* An unknown application: an error naming it, on one line. */
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               &out, &err, &status, NULL));
  g_assert_false (g_spawn_check_wait_status (status, NULL));
  g_assert_cmpstr (out, ==, "");
  g_assert_nonnull (strstr (err, "no_such_app"));
}

/* One supervisor's count_children and child specs; one that never answers,
 * and a pid that is no process, fail saying so. */
static BeamSupervisorDetails *
details_of (BeamConnection *connection,
            const char     *pid,
            GError        **error)
{
  BeamTestWait wait = { 0 };
  BeamSupervisorDetails *details;

  beam_supervisor_details_async (connection, pid, NULL, beam_test_stash, &wait);
  beam_test_wait_for (&wait.done, 30000);
  details = beam_supervisor_details_finish (wait.result, error);
  g_object_unref (wait.result);
  return details;
}

static void
test_supervisor_details (void)
{
  g_autoptr(BeamConnection) connection = beam_test_node_connect (node);
  g_autoptr(BeamSupervisionTree) tree = gather (connection, "beamscope_demo", NULL, NULL);
  const BeamSupervisionNode *top = beam_supervision_tree_get_root (tree);
  g_autoptr(BeamSupervisorDetails) details = NULL;
  g_autoptr(BeamSupervisorDetails) pool = NULL;
  g_autoptr(GError) error = NULL;

  details = details_of (connection, top->pid, &error);
  g_assert_no_error (error);
  g_assert_cmpint (details->specs, ==, 6);
  g_assert_cmpint (details->active, ==, 6);
  g_assert_cmpint (details->supervisors, ==, 5);
  g_assert_cmpint (details->workers, ==, 1);
  g_assert_cmpuint (details->child_specs->len, ==, 6);
  g_assert_nonnull (strstr (g_ptr_array_index (details->child_specs, 0), "id => rest"));

  pool = details_of (connection, child_with_id (tree, top, "pool")->pid, &error);
  g_assert_no_error (error);
  g_assert_cmpint (pool->specs, ==, 1);
  g_assert_cmpint (pool->active, ==, 120);
  g_assert_cmpuint (pool->child_specs->len, ==, 1);
  g_assert_nonnull (strstr (g_ptr_array_index (pool->child_specs, 0), "pool_worker"));

  g_assert_null (details_of (connection, child_with_id (tree, top, "hung")->pid, &error));
  g_assert_error (error, BEAM_SUPERVISION_ERROR, BEAM_SUPERVISION_ERROR_NOT_ANSWERING);
  g_clear_error (&error);
  g_assert_null (details_of (connection, child_with_id (tree, top, "imposter")->pid, &error));
  g_assert_error (error, BEAM_SUPERVISION_ERROR, BEAM_SUPERVISION_ERROR_NOT_A_SUPERVISOR);
  g_clear_error (&error);
  g_assert_null (details_of (connection, "<0.99999.0>", &error));
  g_assert_error (error, BEAM_SUPERVISION_ERROR, BEAM_SUPERVISION_ERROR_NO_SUCH_PROCESS);
  beam_connection_close (connection);
}

/* Elixir's DynamicSupervisor, on a node of its own with Elixir's ebin on its
 * path: asked as a supervisor (its own state, read through sys), and asked
 * no get_childspec, which it does not know. */
static void
test_elixir_dynamic_supervisor (void)
{
  g_autofree char *elixir = g_find_program_in_path ("elixir");
  g_autofree char *lib = NULL;
  g_autofree char *ebin = NULL;
  g_autoptr(GError) error = NULL;
  BeamTestNode *elixir_node;
  const char *args[3] = { "-pa", NULL, NULL };
  const char *lib_argv[] = { elixir, "-e", "IO.write(:code.lib_dir(:elixir))", NULL };
  g_autofree char *printed = NULL;
  g_autoptr(BeamSupervisionTree) tree = NULL;
  g_autoptr(BeamSupervisorDetails) details = NULL;
  BeamConnection *connection;
  const BeamSupervisionNode *dynamic;

  if (elixir == NULL)
    {
      g_test_skip ("Elixir is not installed");
      return;
    }
  g_assert_true (g_spawn_sync (NULL, (char **) lib_argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               &lib, NULL, NULL, &error));
  g_assert_no_error (error);
  ebin = g_build_filename (lib, "ebin", NULL);
  args[1] = ebin;
  elixir_node = beam_test_node_start (args, &error);
  g_assert_no_error (error);
  g_free (beam_test_node_erl_call (elixir_node, "application", "load", "[beamscope_demo]",
                                   &error));
  g_assert_no_error (error);
  g_free (beam_test_node_erl_call (elixir_node, "application", "set_env",
                                   "[beamscope_demo, dynamic, 3]", &error));
  g_assert_no_error (error);
  printed = beam_test_node_erl_call (elixir_node, "application", "ensure_all_started",
                                     "[beamscope_demo]", &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (printed, "{ok,"));

  connection = beam_test_node_connect (elixir_node);
  tree = gather (connection, "beamscope_demo", NULL, &error);
  g_assert_no_error (error);
  dynamic = child_with_id (tree, beam_supervision_tree_get_root (tree), "dynamic");
  g_assert_cmpint (dynamic->status, ==, BEAM_SUPERVISOR_ANSWERED);
  g_assert_cmpstr (dynamic->module, ==, "Elixir.DynamicSupervisor");
  g_assert_cmpstr (dynamic->strategy, ==, "one_for_one");
  g_assert_cmpint (dynamic->intensity, ==, 3);
  g_assert_cmpint (dynamic->period, ==, 5);
  g_assert_cmpuint (dynamic->n_child_nodes, ==, 3);
  for (guint i = 0; i < dynamic->n_child_nodes; i++)
    {
      const BeamSupervisionNode *worker = &tree->nodes[dynamic->child_nodes[i]];

      g_assert_cmpint (worker->type, ==, BEAM_SUPERVISION_WORKER);
      g_assert_cmpstr (worker->restart, ==, "permanent");
      g_assert_cmpstr (worker->shutdown, ==, "5000");
    }

  details = details_of (connection, dynamic->pid, &error);
  g_assert_no_error (error);
  g_assert_cmpint (details->active, ==, 3);
  g_assert_cmpuint (details->child_specs->len, ==, 0);
  /* It is still there: nothing it does not know was asked of it. */
  {
    g_autoptr(BeamSupervisionTree) again = gather (connection, "beamscope_demo", NULL, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (child_with_id (again, beam_supervision_tree_get_root (again),
                                    "dynamic")->pid, ==, dynamic->pid);
  }
  beam_connection_close (connection);
  g_object_unref (connection);
  beam_test_node_free (elixir_node);
}

/* RabbitMQ's stop_app: while an application stops, application_controller
 * answers nobody. The list still comes, at once, and says it is stopping;
 * then stopped, and its tree says why there is none; started again slowly,
 * it is starting, then running. */
static gboolean
stopped (gpointer data)
{
  BeamConnection *connection = data;
  g_autoptr(BeamApplicationList) list = list_applications (connection, FALSE);

  return beam_application_list_find (list, "beamscope_demo")->state == BEAM_APPLICATION_LOADED;
}

static gboolean
running (gpointer data)
{
  BeamConnection *connection = data;
  g_autoptr(BeamApplicationList) list = list_applications (connection, FALSE);

  return beam_application_list_find (list, "beamscope_demo")->state == BEAM_APPLICATION_RUNNING;
}

static void
test_stopping (void)
{
  g_autoptr(BeamConnection) connection = beam_test_node_connect (node);
  g_autoptr(BeamApplicationList) before = list_applications (connection, FALSE);
  g_autoptr(BeamApplicationList) during = NULL;
  g_autoptr(GListStore) store = g_list_store_new (BEAM_TYPE_APPLICATION_ROW);
  g_autoptr(BeamSupervisionTree) tree = NULL;
  g_autoptr(GError) error = NULL;
  const BeamApplication *demo;
  gint64 started;

  beam_application_rows_update (store, before);
  g_free (erl_call ("application", "set_env", "[beamscope_demo, slow_stop, 4000]"));
  g_free (erl_call ("erlang", "spawn", "[application, stop, [beamscope_demo]]"));
  g_usleep (300 * 1000);

  started = g_get_monotonic_time ();
  during = list_applications (connection, FALSE);
  g_assert_cmpint (g_get_monotonic_time () - started, <, 2500 * 1000);
  g_assert_false (during->types_known);
  demo = beam_application_list_find (during, "beamscope_demo");
  g_assert_cmpint (demo->state, ==, BEAM_APPLICATION_STOPPING);
  g_assert_cmpint (beam_application_list_find (during, "stdlib")->state, ==,
                   BEAM_APPLICATION_UNKNOWN);
  /* The rows keep what the busy controller could not tell. */
  beam_application_rows_update (store, during);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (store)); i++)
    {
      g_autoptr(BeamApplicationRow) row = g_list_model_get_item (G_LIST_MODEL (store), i);
      const char *name = beam_application_row_get_name (row);

      if (g_str_equal (name, "stdlib"))
        g_assert_true (beam_application_row_get_library (row));
      else if (g_str_equal (name, "beamscope_demo"))
        {
          g_assert_cmpstr (beam_application_row_get_state (row), ==, "stopping");
          g_assert_cmpstr (beam_application_row_get_start_type (row), ==, "temporary");
        }
    }

  beam_test_wait_until (stopped, connection, 15000);
  g_assert_null (gather (connection, "beamscope_demo", NULL, &error));
  g_assert_error (error, BEAM_SUPERVISION_ERROR, BEAM_SUPERVISION_ERROR_NOT_RUNNING);

  /* Started again, slowly: said to be starting meanwhile, then running. */
  g_free (erl_call ("application", "set_env", "[beamscope_demo, slow_start, 3000]"));
  g_free (erl_call ("erlang", "spawn", "[application, start, [beamscope_demo]]"));
  g_usleep (300 * 1000);
  {
    g_autoptr(BeamApplicationList) starting = list_applications (connection, FALSE);

    g_assert_cmpint (beam_application_list_find (starting, "beamscope_demo")->state, ==,
                     BEAM_APPLICATION_STARTING);
  }
  beam_test_wait_until (running, connection, 15000);
  beam_connection_close (connection);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *started = NULL;
  int status;

  g_assert_true (beam_connection_init_process (NULL));
  g_test_init (&argc, &argv, NULL);
  node = beam_test_node_start (NULL, &error);
  g_assert_no_error (error);
  started = erl_call ("application", "ensure_all_started", "[beamscope_demo]");
  g_assert_true (g_str_has_prefix (started, "{ok,"));
  g_free (erl_call ("application", "load", "[sasl]"));

  g_test_add_func ("/applications/list", test_list);
  g_test_add_func ("/applications/tree", test_tree);
  g_test_add_func ("/applications/tree-limits", test_tree_limits);
  g_test_add_func ("/applications/tree-links", test_tree_links);
  g_test_add_func ("/applications/tree-restart", test_tree_restart);
  g_test_add_func ("/applications/kernel-tree", test_kernel_tree);
  g_test_add_func ("/applications/tree-errors", test_tree_errors);
  g_test_add_func ("/applications/cli", test_cli);
  g_test_add_func ("/applications/supervisor-details", test_supervisor_details);
  g_test_add_func ("/applications/elixir-dynamic-supervisor", test_elixir_dynamic_supervisor);
  /* Last: the application is stopped and started again. */
  g_test_add_func ("/applications/stopping", test_stopping);

  status = g_test_run ();
  beam_test_node_free (node);
  return status;
}
