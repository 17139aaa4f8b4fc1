/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The C-node against real nodes: connecting, rpc one at a time and many at
 * once, streams, our own deadlines, bad cookies and names, a node killed or
 * stopped under us, reconnecting. */

#include <signal.h>

#include "beam-connection-private.h"
#include "beam-epmd.h"
#include "beam-term-private.h"
#include "beam-term-printer.h"
#include "beam-test-node.h"
#include "beam-wire-error.h"

static BeamTestNode *shared_node;  /* one node for the tests that leave it alone */
static GThread *main_thread;       /* results and states must arrive here, never elsewhere */

static BeamConnection *
connect_to (BeamTestNode *node,
            const char   *cookie,
            GError      **error)
{
  g_autoptr(BeamConnection) connection = beam_connection_new (node->name, cookie);
  BeamTestWait wait = { 0 };
  gboolean ok;

  beam_connection_connect_async (connection, 5000, NULL, beam_test_stash, &wait);
  beam_test_wait_for (&wait.done, 15000);
  ok = beam_connection_connect_finish (connection, wait.result, error);
  g_object_unref (wait.result);
  return ok ? g_steal_pointer (&connection) : NULL;
}

/* A blocking rpc for tests; the app never blocks like this. */
static BeamTerm *
rpc (BeamConnection *connection,
     const char     *module,
     const char     *function,
     BeamTerm       *args,
     guint           timeout_ms,
     GError        **error)
{
  BeamTestWait wait = { 0 };
  BeamTerm *reply;

  beam_connection_rpc_async (connection, module, function, args, timeout_ms, NULL,
                             beam_test_stash, &wait);
  beam_test_wait_for (&wait.done, timeout_ms + 15000);
  reply = beam_connection_rpc_finish (connection, wait.result, error);
  g_object_unref (wait.result);
  return reply;
}

static char *
print (const BeamTerm *term)
{
  return beam_term_print (term, NULL);
}

static void
test_connect_and_rpc (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BeamConnection) connection = connect_to (shared_node, shared_node->cookie, &error);
  g_autoptr(BeamTerm) reply = NULL;
  g_autoptr(BeamTerm) hidden = NULL;
  g_autofree char *text = NULL;

  g_assert_no_error (error);
  g_assert_cmpint (beam_connection_get_state (connection), ==, BEAM_CONNECTION_STATE_CONNECTED);
  g_assert_true (g_str_has_prefix (beam_connection_get_local_node (connection), "beamscope_"));

  reply = rpc (connection, "erlang", "node", NULL, 5000, &error);
  g_assert_no_error (error);
  g_assert_true (beam_term_is_atom (reply, shared_node->name));

  /* We are a hidden node: nodes() stays empty, nodes(hidden) names us. */
  hidden = rpc (connection, "erlang", "nodes",
                beam_term_new_list (1, beam_term_new_atom ("hidden")), 5000, &error);
  g_assert_no_error (error);
  text = print (hidden);
  g_assert_nonnull (strstr (text, beam_connection_get_local_node (connection)));
}

typedef struct
{
  guint  pending;
  guint  correct;
  gint64 expected_sum;
  gint64 sum;
} Concurrent;

static void
concurrent_done (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Concurrent *state = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(BeamTerm) reply = beam_connection_rpc_finish (BEAM_CONNECTION (object), result, &error);
  gint64 value;

  g_assert_no_error (error);
  g_assert_true (beam_term_get_int64 (reply, &value));
  state->sum += value;
  state->correct++;
  state->pending--;
}

static gboolean
all_answered (gpointer user_data)
{
  return ((Concurrent *) user_data)->pending == 0;
}

static void
test_concurrent_rpcs (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BeamConnection) connection = connect_to (shared_node, shared_node->cookie, &error);
  Concurrent state = { 0 };
  const guint n = 200;
  gint64 start;
  double elapsed_ms;

  g_assert_no_error (error);

  /* 200 calls that each sleep 200 ms, answering in an order of their own:
   * done one at a time that is 40 s; in flight together, well under 5 s, and
   * each reply must reach its own caller. */
  start = g_get_monotonic_time ();
  for (guint i = 1; i <= n; i++)
    {
      BeamTerm *args = beam_term_new_list (2, beam_term_new_integer (200 - i % 7 * 20),
                                           beam_term_new_integer (i));
      state.pending++;
      state.expected_sum += i;
      beam_connection_rpc_async (connection, "beamscope_fixture", "sleep_then", args, 10000, NULL,
                                 concurrent_done, &state);
    }
  beam_test_wait_until (all_answered, &state, 20000);
  elapsed_ms = (g_get_monotonic_time () - start) / 1000.0;

  g_assert_cmpuint (state.correct, ==, n);
  g_assert_cmpint (state.sum, ==, state.expected_sum);
  g_assert_cmpfloat (elapsed_ms, <, 5000);
  g_test_message ("%u concurrent 200 ms calls took %.0f ms", n, elapsed_ms);
}

typedef struct
{
  gint count;     /* touched on the network thread */
  gint in_order;
} Stream;

static void
on_stream_message (const char *buf,
                   gsize       len,
                   gpointer    user_data)
{
  Stream *stream = user_data;
  g_autoptr(BeamTerm) term = _beam_term_decode (buf, len, TRUE, NULL);
  const BeamTerm *item = beam_term_tagged (term, "item", 2);
  gint64 index;

  g_assert_nonnull (item);
  g_assert_true (beam_term_get_int64 (item->children[1], &index));
  if (index == stream->count + 1)
    stream->in_order++;
  stream->count++;
}

static void
test_stream (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BeamConnection) connection = connect_to (shared_node, shared_node->cookie, &error);
  g_autoptr(BeamTerm) reply = NULL;
  g_autofree char *text = NULL;
  Stream stream = { 0 };
  BeamTestWait wait = { 0 };

  g_assert_no_error (error);

  beam_connection_call_async (connection, &(BeamCall) {
                                .module = "beamscope_fixture", .function = "stream",
                                .args = beam_term_new_list (2, beam_term_new_reply_pid (),
                                                            beam_term_new_integer (5000)),
                                .on_message = on_stream_message, .stream_data = &stream,
                              }, NULL, beam_test_stash, &wait);
  beam_test_wait_for (&wait.done, 15000);
  reply = beam_connection_call_finish (connection, wait.result, &error);
  g_object_unref (wait.result);
  g_assert_no_error (error);

  /* Every message, in order, before the reply that ends the stream. */
  text = print (reply);
  g_assert_cmpstr (text, ==, "{done,5000}");
  g_assert_cmpint (stream.count, ==, 5000);
  g_assert_cmpint (stream.in_order, ==, 5000);
}

typedef struct
{
  gint chunks;
  gint records;
} ProcsInfo;

static void
on_procs_info (const char *buf,
               gsize       len,
               gpointer    user_data)
{
  ProcsInfo *info = user_data;
  g_autoptr(BeamTerm) term = _beam_term_decode (buf, len, TRUE, NULL);
  const BeamTerm *chunk = beam_term_tagged (term, "procs_info", 3);

  g_assert_nonnull (chunk);
  info->chunks++;
  info->records += chunk->children[2]->n_children;
}

/* The real stream the Processes page will use: observer_backend:procs_info/1. */
static void
test_stream_procs_info (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BeamConnection) connection = connect_to (shared_node, shared_node->cookie, &error);
  g_autoptr(BeamTerm) count = NULL;
  g_autoptr(BeamTerm) reply = NULL;
  ProcsInfo info = { 0 };
  BeamTestWait wait = { 0 };
  gint64 process_count;

  g_assert_no_error (error);
  count = rpc (connection, "erlang", "system_info",
               beam_term_new_list (1, beam_term_new_atom ("process_count")), 5000, &error);
  g_assert_no_error (error);
  g_assert_true (beam_term_get_int64 (count, &process_count));

  beam_connection_call_async (connection, &(BeamCall) {
                                .module = "observer_backend", .function = "procs_info",
                                .args = beam_term_new_list (1, beam_term_new_reply_pid ()),
                                .on_message = on_procs_info, .stream_data = &info,
                              }, NULL, beam_test_stash, &wait);
  beam_test_wait_for (&wait.done, 15000);
  reply = beam_connection_call_finish (connection, wait.result, &error);
  g_object_unref (wait.result);
  g_assert_no_error (error);

  g_assert_cmpint (info.chunks, >=, 1);
  /* A rex worker or two come and go between the two calls. */
  g_assert_cmpint (ABS (info.records - process_count), <=, 3);
}

static void
test_badrpc (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BeamConnection) connection = connect_to (shared_node, shared_node->cookie, &error);
  g_autoptr(BeamTerm) reply = NULL;

  g_assert_no_error (error);
  reply = rpc (connection, "erlang", "list_to_integer",
               beam_term_new_list (1, beam_term_new_list (1, beam_term_new_integer ('x'))),
               5000, &error);
  g_assert_null (reply);
  g_assert_error (error, BEAM_WIRE_ERROR, BEAM_WIRE_ERROR_BADRPC);
  g_assert_nonnull (strstr (error->message, "badarg"));
}

static void
test_timeout_keeps_connection (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BeamConnection) connection = connect_to (shared_node, shared_node->cookie, &error);
  g_autoptr(BeamTerm) late = NULL;
  g_autoptr(BeamTerm) after = NULL;
  gint64 start = g_get_monotonic_time ();
  double elapsed_ms;

  g_assert_no_error (error);
  late = rpc (connection, "beamscope_fixture", "sleep_then",
              beam_term_new_list (2, beam_term_new_integer (1500), beam_term_new_atom ("late")),
              300, &error);
  elapsed_ms = (g_get_monotonic_time () - start) / 1000.0;
  g_assert_null (late);
  g_assert_error (error, BEAM_WIRE_ERROR, BEAM_WIRE_ERROR_TIMED_OUT);
  g_assert_cmpfloat (elapsed_ms, >=, 290);
  g_assert_cmpfloat (elapsed_ms, <, 1000);
  g_clear_error (&error);

  /* The late reply arrives while this call is in flight; it must be dropped,
   * not taken for this call's answer. */
  after = rpc (connection, "beamscope_fixture", "sleep_then",
               beam_term_new_list (2, beam_term_new_integer (1500), beam_term_new_atom ("right")),
               5000, &error);
  g_assert_no_error (error);
  g_assert_true (beam_term_is_atom (after, "right"));
  g_assert_cmpint (beam_connection_get_state (connection), ==, BEAM_CONNECTION_STATE_CONNECTED);
}

static void
test_wrong_cookie (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BeamConnection) connection = connect_to (shared_node, "not-the-cookie", &error);

  g_assert_null (connection);
  g_assert_error (error, BEAM_WIRE_ERROR, BEAM_WIRE_ERROR_COOKIE_REJECTED);
  g_assert_nonnull (strstr (error->message, "cookie"));
  g_assert_nonnull (strstr (error->message, shared_node->name));
}

static void
test_unknown_node (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BeamConnection) connection = beam_connection_new ("no_such_node_qq@localhost", "x");
  BeamTestWait wait = { 0 };

  beam_connection_connect_async (connection, 3000, NULL, beam_test_stash, &wait);
  beam_test_wait_for (&wait.done, 10000);
  g_assert_false (beam_connection_connect_finish (connection, wait.result, &error));
  g_object_unref (wait.result);
  g_assert_error (error, BEAM_WIRE_ERROR, BEAM_WIRE_ERROR_NO_SUCH_NODE);
  g_assert_nonnull (strstr (error->message, "no_such_node_qq"));
}

static void
test_epmd_unreachable (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) names = NULL;

  /* Nothing listens on port 1 of localhost. */
  g_setenv ("ERL_EPMD_PORT", "1", TRUE);
  names = beam_epmd_names ("localhost", 2000, NULL, &error);
  g_unsetenv ("ERL_EPMD_PORT");
  g_assert_null (names);
  g_assert_error (error, BEAM_WIRE_ERROR, BEAM_WIRE_ERROR_EPMD_UNREACHABLE);
}

static void
test_epmd_names (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) names = beam_epmd_names ("localhost", 2000, NULL, &error);
  gboolean found = FALSE;

  g_assert_no_error (error);
  for (guint i = 0; i < names->len; i++)
    {
      BeamEpmdEntry *entry = g_ptr_array_index (names, i);
      if (g_str_equal (entry->name, shared_node->alive))
        {
          found = TRUE;
          g_assert_cmpuint (entry->port, >, 0);
        }
    }
  g_assert_true (found);
}

static void
on_state_changed (BeamConnection *connection,
                  GParamSpec     *pspec G_GNUC_UNUSED,
                  GArray         *states)
{
  BeamConnectionState state = beam_connection_get_state (connection);

  g_assert_true (g_thread_self () == main_thread);
  g_array_append_val (states, state);
}

static gboolean
is_reconnecting (gpointer connection)
{
  return beam_connection_get_state (connection) == BEAM_CONNECTION_STATE_RECONNECTING;
}

static gboolean
is_connected (gpointer connection)
{
  return beam_connection_get_state (connection) == BEAM_CONNECTION_STATE_CONNECTED;
}

static void
test_killed_node_reconnects (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BeamTestNode) node = beam_test_node_start (NULL, &error);
  g_autoptr(BeamConnection) connection = NULL;
  g_autoptr(GArray) states = g_array_new (FALSE, FALSE, sizeof (BeamConnectionState));
  g_autoptr(BeamTerm) reply = NULL;
  BeamTestWait in_flight = { 0 };
  GError *flight_error = NULL;

  g_assert_no_error (error);
  connection = connect_to (node, node->cookie, &error);
  g_assert_no_error (error);
  g_signal_connect (connection, "notify::state", G_CALLBACK (on_state_changed), states);

  /* A call in flight when the node dies fails at once, not at its deadline. */
  beam_connection_rpc_async (connection, "beamscope_fixture", "sleep_then",
                             beam_term_new_list (2, beam_term_new_integer (30000),
                                                 beam_term_new_atom ("x")),
                             60000, NULL, beam_test_stash, &in_flight);
  g_usleep (100 * 1000);
  beam_test_node_kill (node, SIGKILL);
  beam_test_wait_for (&in_flight.done, 5000);
  g_assert_null (beam_connection_rpc_finish (connection, in_flight.result, &flight_error));
  g_assert_error (flight_error, BEAM_WIRE_ERROR, BEAM_WIRE_ERROR_DISCONNECTED);
  g_clear_error (&flight_error);
  g_object_unref (in_flight.result);

  beam_test_wait_until (is_reconnecting, connection, 5000);

  /* The node comes back under the same name: we find it again by ourselves. */
  g_assert_true (beam_test_node_restart (node, &error));
  g_assert_no_error (error);
  beam_test_wait_until (is_connected, connection, 20000);

  reply = rpc (connection, "erlang", "node", NULL, 5000, &error);
  g_assert_no_error (error);
  g_assert_true (beam_term_is_atom (reply, node->name));
  g_assert_cmpuint (states->len, >=, 2);
  g_assert_cmpint (g_array_index (states, BeamConnectionState, 0), ==,
                   BEAM_CONNECTION_STATE_RECONNECTING);
  g_signal_handlers_disconnect_by_data (connection, states);
}

static void
test_drop_reconnects (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BeamConnection) connection = connect_to (shared_node, shared_node->cookie, &error);
  g_autoptr(BeamTerm) reply = NULL;

  g_assert_no_error (error);
  _beam_connection_drop (connection);
  beam_test_wait_until (is_reconnecting, connection, 5000);
  beam_test_wait_until (is_connected, connection, 10000);
  reply = rpc (connection, "erlang", "node", NULL, 5000, &error);
  g_assert_no_error (error);
}

static void
test_stopped_node_times_out (void)
{
  const char * const args[] = { "-kernel", "net_ticktime", "4", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(BeamTestNode) node = beam_test_node_start (args, &error);
  g_autoptr(BeamConnection) connection = NULL;
  g_autoptr(BeamTerm) reply = NULL;
  gint64 start;
  double elapsed_ms;

  g_assert_no_error (error);
  connection = connect_to (node, node->cookie, &error);
  g_assert_no_error (error);

  /* A stopped node answers nothing, not even ticks: the call ends at our
   * deadline, and after a whole net_ticktime of silence the connection is
   * declared gone instead of hanging. */
  beam_test_node_kill (node, SIGSTOP);
  start = g_get_monotonic_time ();
  reply = rpc (connection, "erlang", "node", NULL, 1000, &error);
  elapsed_ms = (g_get_monotonic_time () - start) / 1000.0;
  g_assert_null (reply);
  g_assert_error (error, BEAM_WIRE_ERROR, BEAM_WIRE_ERROR_TIMED_OUT);
  g_assert_cmpfloat (elapsed_ms, <, 2000);
  g_clear_error (&error);

  beam_test_wait_until (is_reconnecting, connection, 15000);

  beam_test_node_kill (node, SIGCONT);
  beam_test_wait_until (is_connected, connection, 30000);
}

/* A node with a long name gets a long-named C-node, as erl would insist. */
static void
test_long_names (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BeamTestNode) node = beam_test_node_start_long (&error);
  g_autoptr(BeamConnection) connection = NULL;
  g_autoptr(BeamTerm) reply = NULL;
  const char *local;

  g_assert_no_error (error);
  connection = connect_to (node, node->cookie, &error);
  g_assert_no_error (error);
  local = beam_connection_get_local_node (connection);
  g_assert_nonnull (strchr (strchr (local, '@'), '.'));

  reply = rpc (connection, "erlang", "node", NULL, 5000, &error);
  g_assert_no_error (error);
  g_assert_true (beam_term_is_atom (reply, node->name));
}

/* Closing never waits on the network: here the node is stopped, so the
 * handshake hangs in the network thread, and close() must still return at
 * once (it is called from the GTK thread) and fail the pending connect. */
static void
test_close_while_connecting (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BeamTestNode) node = beam_test_node_start (NULL, &error);
  g_autoptr(BeamConnection) connection = NULL;
  BeamTestWait wait = { 0 };
  gint64 start;
  double close_ms;

  g_assert_no_error (error);
  beam_test_node_kill (node, SIGSTOP);
  connection = beam_connection_new (node->name, node->cookie);
  beam_connection_connect_async (connection, 5000, NULL, beam_test_stash, &wait);
  g_usleep (200 * 1000);  /* the thread is now inside the handshake */

  start = g_get_monotonic_time ();
  beam_connection_close (connection);
  close_ms = (g_get_monotonic_time () - start) / 1000.0;
  g_assert_cmpfloat (close_ms, <, 50);
  g_assert_cmpint (beam_connection_get_state (connection), ==, BEAM_CONNECTION_STATE_DISCONNECTED);

  beam_test_wait_for (&wait.done, 1000);
  g_assert_false (beam_connection_connect_finish (connection, wait.result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_object_unref (wait.result);
  beam_test_node_kill (node, SIGCONT);
}

static void
test_cancel_connect (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BeamTestNode) node = beam_test_node_start (NULL, &error);
  g_autoptr(BeamConnection) connection = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  BeamTestWait wait = { 0 };

  g_assert_no_error (error);
  beam_test_node_kill (node, SIGSTOP);
  connection = beam_connection_new (node->name, node->cookie);
  beam_connection_connect_async (connection, 5000, cancellable, beam_test_stash, &wait);
  g_usleep (100 * 1000);
  g_cancellable_cancel (cancellable);

  beam_test_wait_for (&wait.done, 1000);
  g_assert_false (beam_connection_connect_finish (connection, wait.result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_object_unref (wait.result);
  g_assert_cmpint (beam_connection_get_state (connection), ==, BEAM_CONNECTION_STATE_DISCONNECTED);
  beam_test_node_kill (node, SIGCONT);
}

static gint64
atom_count (BeamConnection *connection)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BeamTerm) reply = rpc (connection, "erlang", "system_info",
                                   beam_term_new_list (1, beam_term_new_atom ("atom_count")),
                                   5000, &error);
  gint64 count = -1;

  g_assert_no_error (error);
  g_assert_true (beam_term_get_int64 (reply, &count));
  return count;
}

/* A node name is an atom on the node: connecting again and again must not
 * add one each time. A name just let go of is tried last for 10 s (the node
 * may not have noticed yet), so fast reconnects go round the pool once: the
 * pool's other 7 names and beamscope_UID_probe are the most they may add. */
#define POOL_ATOMS_AT_MOST 8

static void
test_reconnects_make_no_atoms (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BeamConnection) first = connect_to (shared_node, shared_node->cookie, &error);
  g_autoptr(BeamConnection) last = NULL;
  gint64 before;

  g_assert_no_error (error);
  before = atom_count (first);
  beam_connection_close (first);
  for (int i = 0; i < 30; i++)
    {
      g_autoptr(BeamConnection) again = connect_to (shared_node, shared_node->cookie, &error);
      g_assert_no_error (error);
      beam_connection_close (again);
    }
  last = connect_to (shared_node, shared_node->cookie, &error);
  g_assert_no_error (error);
  g_assert_cmpint (atom_count (last), <=, before + POOL_ATOMS_AT_MOST);
}

/* The pool's names are counted per node: connections to three nodes all take
 * beamscope_UID_0 (one atom on each node, whatever else this process is
 * connected to), and a second connection to one of them takes _1 at once. */
static void
test_name_pool_per_node (void)
{
  BeamTestNode *nodes[3];
  BeamConnection *connections[G_N_ELEMENTS (nodes)];
  g_autoptr(BeamConnection) second = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (nodes); i++)
    {
      nodes[i] = beam_test_node_start (NULL, &error);
      g_assert_no_error (error);
    }
  for (guint i = 0; i < G_N_ELEMENTS (nodes); i++)
    {
      connections[i] = connect_to (nodes[i], nodes[i]->cookie, &error);
      g_assert_no_error (error);
      g_assert_true (g_str_has_prefix (beam_connection_get_local_node (connections[i]),
                                       "beamscope_"));
      g_assert_nonnull (strstr (beam_connection_get_local_node (connections[i]), "_0@"));
    }

  second = connect_to (nodes[1], nodes[1]->cookie, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (beam_connection_get_local_node (second), "_1@"));
  /* Still connected, both: the second took no name the first holds. */
  g_assert_cmpint (beam_connection_get_state (connections[1]), ==,
                   BEAM_CONNECTION_STATE_CONNECTED);
  g_assert_cmpint (beam_connection_get_state (second), ==, BEAM_CONNECTION_STATE_CONNECTED);

  beam_connection_close (second);
  for (guint i = 0; i < G_N_ELEMENTS (nodes); i++)
    {
      beam_connection_close (connections[i]);
      g_object_unref (connections[i]);
      beam_test_node_free (nodes[i]);
    }
}

static void
test_not_connected (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BeamConnection) connection = beam_connection_new (shared_node->name,
                                                              shared_node->cookie);
  g_autoptr(BeamTerm) reply = rpc (connection, "erlang", "node", NULL, 1000, &error);

  g_assert_null (reply);
  g_assert_error (error, BEAM_WIRE_ERROR, BEAM_WIRE_ERROR_NOT_CONNECTED);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int status;

  g_assert_true (beam_connection_init_process (NULL));
  main_thread = g_thread_self ();
  g_test_init (&argc, &argv, NULL);

  shared_node = beam_test_node_start (NULL, &error);
  g_assert_no_error (error);

  g_test_add_func ("/connection/connect-and-rpc", test_connect_and_rpc);
  g_test_add_func ("/connection/concurrent-rpcs", test_concurrent_rpcs);
  g_test_add_func ("/connection/stream", test_stream);
  g_test_add_func ("/connection/stream-procs-info", test_stream_procs_info);
  g_test_add_func ("/connection/badrpc", test_badrpc);
  g_test_add_func ("/connection/timeout-keeps-connection", test_timeout_keeps_connection);
  g_test_add_func ("/connection/wrong-cookie", test_wrong_cookie);
  g_test_add_func ("/connection/unknown-node", test_unknown_node);
  g_test_add_func ("/connection/epmd-names", test_epmd_names);
  g_test_add_func ("/connection/epmd-unreachable", test_epmd_unreachable);
  g_test_add_func ("/connection/not-connected", test_not_connected);
  g_test_add_func ("/connection/long-names", test_long_names);
  g_test_add_func ("/connection/reconnects-make-no-atoms", test_reconnects_make_no_atoms);
  g_test_add_func ("/connection/name-pool-per-node", test_name_pool_per_node);
  g_test_add_func ("/connection/close-while-connecting", test_close_while_connecting);
  g_test_add_func ("/connection/cancel-connect", test_cancel_connect);
  g_test_add_func ("/connection/drop-reconnects", test_drop_reconnects);
  g_test_add_func ("/connection/killed-node-reconnects", test_killed_node_reconnects);
  g_test_add_func ("/connection/stopped-node-times-out", test_stopped_node_times_out);

  status = g_test_run ();
  beam_test_node_free (shared_node);
  return status;
}
