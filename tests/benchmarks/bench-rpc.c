/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Connect time and rpc round trips, Beamscope's C-node against an Erlang
 * hidden node doing the same calls on the same fixture node in the same run.
 * Prints JSON lines; it is a measurement, not a timed test. */

#include <json-glib/json-glib.h>
#include <signal.h>

#include "beam-bench.h"
#include "beam-connection.h"
#include "beam-test-node.h"

#define N_CALLS    1000
#define N_CONNECTS 10
#define N_ROUNDS   5  /* figures are medians over rounds: the machine is shared */

typedef struct
{
  guint         pending;
  GAsyncResult *result;
} Wait;

static void
stash (GObject      *object G_GNUC_UNUSED,
       GAsyncResult *result,
       gpointer      user_data)
{
  Wait *wait = user_data;

  g_clear_object (&wait->result);
  wait->result = g_object_ref (result);
  wait->pending--;
}

static void
drop_reply (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BeamTerm) reply = beam_connection_rpc_finish (BEAM_CONNECTION (object), result, &error);

  g_assert_no_error (error);
  (*(guint *) user_data)--;
}

static gboolean
none_pending (gpointer pending)
{
  return *(guint *) pending == 0;
}

static void
run_until (guint *pending)
{
  beam_test_wait_until (none_pending, pending, 120000);
}

static double
now_ms (void)
{
  return g_get_monotonic_time () / 1000.0;
}

static BeamConnection *
connect_timed (BeamTestNode *node,
               double       *ms)
{
  BeamConnection *connection = beam_connection_new (node->name, node->cookie);
  g_autoptr(GError) error = NULL;
  Wait wait = { 1, NULL };
  double start = now_ms ();

  beam_connection_connect_async (connection, 5000, NULL, stash, &wait);
  run_until (&wait.pending);
  *ms = now_ms () - start;
  g_assert_true (beam_connection_connect_finish (connection, wait.result, &error));
  g_object_unref (wait.result);
  return connection;
}

static JsonObject *
baseline (BeamTestNode *node)
{
  g_autofree char *n = g_strdup_printf ("%d", N_CALLS);
  g_autofree char *alive = g_strdup_printf ("bench_%u", g_random_int ());
  const char *argv[] = { "erl", "-sname", alive, "-hidden", "-setcookie", node->cookie, "-noshell",
                         "-pa", g_getenv ("BEAMSCOPE_BENCH_EBIN"),
                         "-run", "bench_baseline", "main", node->name, n, NULL };
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  int status;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                               &out, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (json_parser_load_from_data (parser, out, -1, &error));
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static void
print_figure (const char *what,
              double      beamscope_ms,
              double      erlang_ms)
{
  g_print ("{\"benchmark\": \"%s\", \"beamscope_ms\": %.3f, \"erlang_hidden_node_ms\": %.3f, "
           "\"ratio\": %.2f}\n", what, beamscope_ms, erlang_ms, beamscope_ms / erlang_ms);
}

int
main (int    argc G_GNUC_UNUSED,
      char **argv G_GNUC_UNUSED)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BeamTestNode) node = NULL;
  g_autoptr(BeamConnection) connection = NULL;
  g_autoptr(JsonObject) erlang = NULL;
  double connects[N_CONNECTS];
  double sequential[N_ROUNDS];
  double concurrent[N_ROUNDS];
  double start, sequential_ms, concurrent_ms;
  guint pending;

  g_assert_true (beam_connection_init_process (NULL));
  node = beam_test_node_start (NULL, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < N_CONNECTS; i++)
    {
      g_autoptr(BeamConnection) c = connect_timed (node, &connects[i]);
      beam_connection_close (c);
    }
  qsort (connects, N_CONNECTS, sizeof (double), beam_bench_compare_doubles);

  connection = connect_timed (node, &start);
  pending = 100;  /* warm-up, as the baseline does */
  for (guint i = 0; i < 100; i++)
    beam_connection_rpc_async (connection, "erlang", "node", NULL, 10000, NULL,
                               drop_reply, &pending);
  run_until (&pending);

  for (guint round = 0; round < N_ROUNDS; round++)
    {
      start = now_ms ();
      for (guint i = 0; i < N_CALLS; i++)
        {
          pending = 1;
          beam_connection_rpc_async (connection, "erlang", "node", NULL, 10000, NULL,
                                     drop_reply, &pending);
          run_until (&pending);
        }
      sequential[round] = now_ms () - start;

      start = now_ms ();
      pending = N_CALLS;
      for (guint i = 0; i < N_CALLS; i++)
        beam_connection_rpc_async (connection, "erlang", "node", NULL, 10000, NULL,
                                   drop_reply, &pending);
      run_until (&pending);
      concurrent[round] = now_ms () - start;
    }
  beam_connection_close (connection);
  qsort (sequential, N_ROUNDS, sizeof (double), beam_bench_compare_doubles);
  qsort (concurrent, N_ROUNDS, sizeof (double), beam_bench_compare_doubles);
  sequential_ms = sequential[N_ROUNDS / 2];
  concurrent_ms = concurrent[N_ROUNDS / 2];

  erlang = baseline (node);
  print_figure ("connect (median of 10)", connects[N_CONNECTS / 2],
                json_object_get_double_member (erlang, "connect_ms"));
  print_figure ("1000 sequential rpcs (median of 5)", sequential_ms,
                json_object_get_double_member (erlang, "sequential_ms"));
  print_figure ("1000 concurrent rpcs (median of 5)", concurrent_ms,
                json_object_get_double_member (erlang, "concurrent_ms"));
  return 0;
}
