/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The process list at 10k, 100k and 1M processes: the time from asking to
 * having every row decoded, against the time an Erlang hidden node takes
 * merely to receive the same processes through observer_backend:procs_info/1
 * (what observer does), on the same node in the same run; the bytes per row
 * the table takes; how long sorting it by each column takes. JSON lines.
 * BEAMSCOPE_BENCH_PROCESSES=10000,100000 picks the sizes. */

#include <json-glib/json-glib.h>

#include "beam-bench.h"
#include "beam-connection.h"
#include "beam-process-list.h"
#include "beam-test-node.h"

#define ROUNDS 3

static void
run_until (BeamTestWait *wait)
{
  beam_test_wait_for (&wait->done, 600000);
  wait->done = FALSE;
}

static double
now_ms (void)
{
  return g_get_monotonic_time () / 1000.0;
}

static gint64
spawn_idle (BeamConnection *connection,
            guint           n)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BeamTerm) reply = NULL;
  BeamTestWait wait = { 0 };
  gint64 count = 0;

  beam_connection_rpc_async (connection, "beamscope_fixture", "spawn_idle",
                             beam_term_new_list (1, beam_term_new_integer (n)), 600000, NULL,
                             beam_test_stash, &wait);
  run_until (&wait);
  reply = beam_connection_rpc_finish (connection, wait.result, &error);
  g_clear_object (&wait.result);
  g_assert_no_error (error);
  g_assert_true (beam_term_get_int64 (reply, &count));
  return count;
}

static JsonObject *
baseline (BeamTestNode *node)
{
  g_autofree char *alive = g_strdup_printf ("bench_%u", g_random_int ());
  g_autofree char *rounds = g_strdup_printf ("%d", ROUNDS);
  const char *argv[] = { "erl", "-sname", alive, "-hidden", "-setcookie", node->cookie, "-noshell",
                         "-pa", g_getenv ("BEAMSCOPE_BENCH_EBIN"),
                         "-run", "bench_baseline", "main", "procs", node->name, rounds, NULL };
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
measure (BeamTestNode   *node,
         BeamConnection *connection,
         guint           extra)
{
  g_autoptr(BeamProcessTable) table = NULL;
  g_autoptr(JsonObject) erlang = NULL;
  double fetch_ms[ROUNDS];
  double sort_ms = 0;
  const char *slowest_sort = "";
  gint64 count = spawn_idle (connection, extra);
  guint n;

  for (guint round = 0; round < ROUNDS; round++)
    {
      g_autoptr(GError) error = NULL;
      BeamTestWait wait = { 0 };
      double start = now_ms ();

      beam_process_list_fetch_async (connection, table, FALSE, NULL, beam_test_stash, &wait);
      run_until (&wait);
      fetch_ms[round] = now_ms () - start;
      g_clear_pointer (&table, beam_process_table_unref);
      table = beam_process_list_fetch_finish (wait.result, &error);
      g_clear_object (&wait.result);
      g_assert_no_error (error);
    }
  qsort (fetch_ms, ROUNDS, sizeof (double), beam_bench_compare_doubles);
  n = beam_process_table_get_n_records (table);

  for (guint column = 0; column < BEAM_PROCESS_N_COLUMNS; column++)
    for (int descending = 0; descending <= 1; descending++)
      {
        double start = now_ms ();
        g_autofree guint32 *order = beam_process_table_sort (table, column, descending);
        double took = now_ms () - start;

        if (took > sort_ms)
          {
            static const char * const names[] = {
              "pid", "name", "reductions", "reductions_per_second", "memory", "message_queue_len",
              "heap_size", "total_heap_size", "current_function", "status",
            };
            sort_ms = took;
            slowest_sort = names[column];
          }
      }

  erlang = baseline (node);
  g_print ("{\"processes\": %" G_GINT64_FORMAT ", \"beamscope_fetch_ms\": %.1f, "
           "\"erlang_procs_info_receive_ms\": %.1f, \"ratio\": %.2f, \"rows\": %u, "
           "\"bytes_per_row\": %.1f, \"slowest_sort_ms\": %.1f, \"slowest_sort_column\": \"%s\", "
           "\"procs_info_bytes\": %" G_GINT64_FORMAT "}\n",
           count, fetch_ms[ROUNDS / 2], json_object_get_double_member (erlang, "procs_info_ms"),
           fetch_ms[ROUNDS / 2] / json_object_get_double_member (erlang, "procs_info_ms"), n,
           (double) beam_process_table_get_memory_size (table) / MAX (n, 1), sort_ms, slowest_sort,
           json_object_get_int_member (erlang, "bytes"));
}

int
main (int    argc G_GNUC_UNUSED,
      char **argv G_GNUC_UNUSED)
{
  const char * const args[] = { "+P", "4000000", NULL };
  const char *sizes_env = g_getenv ("BEAMSCOPE_BENCH_PROCESSES");
  g_auto(GStrv) sizes = g_strsplit (sizes_env != NULL ? sizes_env : "10000,100000,1000000",
                                    ",", -1);
  g_autoptr(GError) error = NULL;
  g_autoptr(BeamTestNode) node = NULL;
  g_autoptr(BeamConnection) connection = NULL;
  BeamTestWait wait = { 0 };

  g_assert_true (beam_connection_init_process (NULL));
  node = beam_test_node_start (args, &error);
  g_assert_no_error (error);
  connection = beam_connection_new (node->name, node->cookie);
  beam_connection_connect_async (connection, 5000, NULL, beam_test_stash, &wait);
  run_until (&wait);
  g_assert_true (beam_connection_connect_finish (connection, wait.result, &error));
  g_clear_object (&wait.result);

  for (guint i = 0; sizes[i] != NULL; i++)
    measure (node, connection, (guint) g_ascii_strtoull (sizes[i], NULL, 10));
  return 0;
}
