/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Issue 11, speed and cost: a table window's rows (BeamEtsRowWindow) on a set
 * and an ordered_set of BEAMSCOPE_BENCH_TABLE_ROWS rows each (10,000,000 by
 * default; beamscope_fixture:make_big_table/3, rows {I, <<"value-I">>}),
 * driven as the window's list view drives it: g_list_model_get_item() for a
 * position it would show, then the item's "loaded". With no display, so what
 * is measured is the model, the probe and the node, not GTK. Per table:
 *
 * - open: from beam_ets_window_open_async() to the first rows shown, the
 *   median of OPENS opens;
 * - jump, the scroll bar dragged: to 50 %, 99.9 %, the last row and a few
 *   random positions, from get_item to the row; the first jump of a window is
 *   cold (it reads the ordered set's key index or the hash table's bucket
 *   count first), and each starts once the last one's read-ahead is done;
 * - scroll, as a wheel would: SCROLL_ROWS consecutive rows from the top,
 *   waiting where a row is not there yet: the time, those stalls, the chunks
 *   fetched and held, and what Beamscope's VmRSS grew;
 * - the node's cost over those three: the peak of erlang:memory(total)
 *   (bench_baseline's 2 ms sampler, loaded on the node) over its value
 *   before, the node's reductions less those of an idle stretch as long with
 *   the same sampler, and its atom count.
 *
 * The baseline, on the same tables in the same run: observer's Table Viewer,
 * observer_backend:get_table/3 pushing the whole table to a hidden Erlang node
 * that keeps the rows (bench_baseline.erl), until its '$end_of_table': the
 * time, and the memory it costs the node and the client. Observer shows no
 * row before then, so its time is set against our open.
 *
 * Filling the tables is timed apart and counted in nothing. JSON lines, then
 * a summary. `meson test -C _build --benchmark table-window -v`. */

#include <json-glib/json-glib.h>
#include <time.h>

#include "beam-bench.h"
#include "beam-connection.h"
#include "beam-ets-row-window.h"
#include "beam-test-node.h"

#define OPENS        7
#define RANDOM_JUMPS 5
#define SCROLL_ROWS  100000
/* How long a row may take before it counts as never shown. */
#define SHOW_TIMEOUT_MS 30000
#define IDLE_MAX_MS  20000

typedef struct
{
  const char *name;
  const char *type;
  double      fill_ms;
  double      open_median_ms;
  double      open_max_ms;
  double      jump_cold_ms;
  double      jump_later_median_ms;
  double      jump_later_max_ms;
  guint       jump_fetches;
  double      scroll_ms;
  guint       scroll_stalls;
  double      scroll_stall_max_ms;
  double      scroll_rss_growth_mb;
  double      scroll_rss_peak_growth_mb;
  guint       scroll_fetches;
  guint       scroll_held;
  double      session_ms;
  gint64      session_reductions;
  guint       session_calls;
  gint64      node_peak_growth;
  JsonObject *observer;
} Table;

static BeamConnection *connection;
static guint never_shown;

static double
now_ms (void)
{
  return g_get_monotonic_time () / 1000.0;
}

static double
process_cpu_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* VmRSS, which is what the user sees Beamscope take. */
static double
resident_mb (void)
{
  g_autofree char *status = NULL;
  const char *line;

  g_assert_true (g_file_get_contents ("/proc/self/status", &status, NULL, NULL));
  line = strstr (status, "\nVmRSS:");
  g_assert_nonnull (line);
  return g_ascii_strtod (line + strlen ("\nVmRSS:"), NULL) / 1024.0;
}

/* ---- the node ------------------------------------------------------------------- */

static BeamTerm *
call_node (const char *module,
           const char *function,
           BeamTerm   *args,
           guint       timeout_ms)
{
  g_autoptr(GError) error = NULL;
  BeamTestWait wait = { 0 };
  BeamTerm *reply;

  beam_connection_rpc_async (connection, module, function, args, timeout_ms, NULL,
                             beam_test_stash, &wait);
  beam_test_wait_for (&wait.done, timeout_ms + 5000);
  reply = beam_connection_rpc_finish (connection, wait.result, &error);
  g_object_unref (wait.result);
  g_assert_no_error (error);
  return reply;
}

static gint64
integer_of (const BeamTerm *term)
{
  gint64 value = 0;

  g_assert_true (beam_term_get_int64 (term, &value));
  return value;
}

static gint64
node_reductions (void)
{
  g_autoptr(BeamTerm) reply = call_node ("erlang", "statistics",
                                         beam_term_new_list (1, beam_term_new_atom ("reductions")),
                                         10000);

  g_assert_true (reply->kind == BEAM_TERM_TUPLE && reply->n_children == 2);
  return integer_of (reply->children[0]);
}

static gint64
node_atoms (void)
{
  g_autoptr(BeamTerm) reply = call_node ("erlang", "system_info",
                                         beam_term_new_list (1, beam_term_new_atom ("atom_count")),
                                         10000);

  return integer_of (reply);
}

static void
sampler_start (void)
{
  g_autoptr(BeamTerm) reply = call_node ("bench_baseline", "sampler_start",
                                         beam_term_new_list (0), 10000);

  g_assert_true (beam_term_is_atom (reply, "ok"));
}

/* The peak of erlang:memory(total) since sampler_start() over its first value. */
static gint64
sampler_stop (void)
{
  g_autoptr(BeamTerm) reply = call_node ("bench_baseline", "sampler_stop",
                                         beam_term_new_list (0), 15000);

  g_assert_true (reply->kind == BEAM_TERM_TUPLE && reply->n_children == 3);
  return integer_of (reply->children[1]) - integer_of (reply->children[0]);
}

static double
fill (Table *table,
      guint  rows)
{
  g_autoptr(BeamTerm) reply = NULL;
  double start = now_ms ();

  reply = call_node ("beamscope_fixture", "make_big_table",
                     beam_term_new_list (3, beam_term_new_atom (table->name),
                                         beam_term_new_atom (table->type),
                                         beam_term_new_integer (rows)),
                     900000);
  g_assert_true (beam_term_is_atom (reply, "ok"));
  return now_ms () - start;
}

/* ---- the window, as its view drives it ------------------------------------------ */

typedef struct
{
  BeamEtsRowItem *item;
  gint64          deadline;
} Showing;

static gboolean
shown_or_late (gpointer data)
{
  Showing *showing = data;

  return beam_ets_row_item_get_loaded (showing->item) ||
         g_get_monotonic_time () > showing->deadline;
}

/* Waits for a row a view asked for; one that never comes is counted, and
 * fails the benchmark once everything is printed. */
static void
wait_shown (BeamEtsRowItem *item)
{
  Showing showing = { item, g_get_monotonic_time () + SHOW_TIMEOUT_MS * 1000 };

  beam_test_wait_until (shown_or_late, &showing, SHOW_TIMEOUT_MS + 5000);
  if (!beam_ets_row_item_get_loaded (item))
    {
      never_shown++;
      g_printerr ("row %u never shown\n", beam_ets_row_item_get_position (item));
    }
}

static gboolean
is_idle (gpointer window)
{
  return !beam_ets_row_window_get_loading (window);
}

static BeamEtsRowWindow *
open_window (const char *name,
             double     *took_ms)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BeamEtsRowItem) first = NULL;
  BeamTestWait wait = { 0 };
  BeamEtsWindowOpened *opened;
  BeamEtsRowWindow *window;
  double start = now_ms ();

  beam_ets_window_open_async (connection, name, BEAM_ETS_ROW_WINDOW_CHUNK, NULL,
                              beam_test_stash, &wait);
  beam_test_wait_for (&wait.done, SHOW_TIMEOUT_MS);
  opened = beam_ets_window_open_finish (wait.result, &error);
  g_object_unref (wait.result);
  g_assert_no_error (error);
  window = beam_ets_row_window_new (connection, opened);
  first = g_list_model_get_item (G_LIST_MODEL (window), 0);
  wait_shown (first);
  if (took_ms != NULL)
    *took_ms = now_ms () - start;
  return window;
}

static gint64
key_of (BeamEtsRowItem *item)
{
  g_autofree char *cell = beam_ets_row_item_dup_cell (item, 1, BEAM_SYNTAX_ERLANG);

  return g_ascii_strtoll (cell, NULL, 10);
}

static void
measure_open (Table *table)
{
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));

  for (guint i = 0; i < OPENS; i++)
    {
      double ms;

      g_object_unref (open_window (table->name, &ms));
      g_array_append_val (times, ms);
    }
  table->open_median_ms = beam_bench_percentile (times, 0.5);
  table->open_max_ms = beam_bench_percentile (times, 1.0);
  g_print ("{\"phase\": \"open\", \"type\": \"%s\", \"opens\": %u, \"first_ms\": %.2f, "
           "\"median_ms\": %.2f, \"max_ms\": %.2f, \"target_ms\": 500}\n",
           table->type, OPENS, g_array_index (times, double, 0), table->open_median_ms,
           table->open_max_ms);
}

static void
measure_jumps (Table *table,
               guint  rows)
{
  g_autoptr(BeamEtsRowWindow) window = open_window (table->name, NULL);
  g_autoptr(GArray) later = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GRand) rand = g_rand_new_with_seed (11);
  gboolean ordered = g_str_equal (table->type, "ordered_set");
  guint positions[3 + RANDOM_JUMPS] = { rows / 2, (guint) ((guint64) rows * 999 / 1000),
                                        rows - 1 };
  const char *where[3 + RANDOM_JUMPS] = { "50%", "99.9%", "last" };

  for (guint i = 3; i < G_N_ELEMENTS (positions); i++)
    {
      positions[i] = (guint) g_rand_int_range (rand, 0, (gint32) MIN (rows, G_MAXINT32));
      where[i] = "random";
    }
  for (guint i = 0; i < G_N_ELEMENTS (positions); i++)
    {
      g_autoptr(BeamEtsRowItem) item = NULL;
      g_autofree char *error = NULL;
      double start, ms;

      beam_test_wait_until (is_idle, window, SHOW_TIMEOUT_MS);
      start = now_ms ();
      item = g_list_model_get_item (G_LIST_MODEL (window), positions[i]);
      wait_shown (item);
      ms = now_ms () - start;
      if (i == 0)
        table->jump_cold_ms = ms;
      else
        g_array_append_val (later, ms);
      /* An ordered set's row there is near the position, not at it: by how
       * far (its key is its position + 1). */
      if (ordered && beam_ets_row_item_get_loaded (item))
        error = g_strdup_printf ("%" G_GINT64_FORMAT,
                                 key_of (item) - ((gint64) positions[i] + 1));
      g_print ("{\"phase\": \"jump\", \"type\": \"%s\", \"to\": \"%s\", \"position\": %u, "
               "\"cold\": %s, \"ms\": %.2f, \"target_ms\": 1000, \"ordered_key_off_by\": %s}\n",
               table->type, where[i], positions[i], i == 0 ? "true" : "false", ms,
               error != NULL ? error : "null");
    }
  table->jump_later_median_ms = beam_bench_percentile (later, 0.5);
  table->jump_later_max_ms = beam_bench_percentile (later, 1.0);
  beam_test_wait_until (is_idle, window, SHOW_TIMEOUT_MS);
  table->jump_fetches = beam_ets_row_window_get_fetches (window);
}

static void
measure_scroll (Table *table,
                guint  rows)
{
  guint n = MIN (rows, SCROLL_ROWS);
  g_autoptr(GArray) stalls = g_array_new (FALSE, FALSE, sizeof (double));
  double rss_before = resident_mb (), rss_peak = rss_before, rss_after, cpu, start;
  g_autoptr(BeamEtsRowWindow) window = open_window (table->name, NULL);

  cpu = process_cpu_ms ();
  start = now_ms ();
  for (guint p = 0; p < n; p++)
    {
      g_autoptr(BeamEtsRowItem) item = g_list_model_get_item (G_LIST_MODEL (window), p);

      if (!beam_ets_row_item_get_loaded (item))
        {
          double stall = now_ms ();

          wait_shown (item);
          stall = now_ms () - stall;
          g_array_append_val (stalls, stall);
        }
      if (p % 1000 == 0)
        rss_peak = MAX (rss_peak, resident_mb ());
    }
  table->scroll_ms = now_ms () - start;
  cpu = process_cpu_ms () - cpu;
  rss_after = resident_mb ();
  rss_peak = MAX (rss_peak, rss_after);
  table->scroll_stalls = stalls->len;
  table->scroll_stall_max_ms = beam_bench_percentile (stalls, 1.0);
  table->scroll_rss_growth_mb = rss_after - rss_before;
  table->scroll_rss_peak_growth_mb = rss_peak - rss_before;
  table->scroll_fetches = beam_ets_row_window_get_fetches (window);
  table->scroll_held = beam_ets_row_window_get_held (window);
  g_print ("{\"phase\": \"scroll\", \"type\": \"%s\", \"rows\": %u, \"ms\": %.0f, "
           "\"rows_per_s\": %.0f, \"beamscope_cpu_ms\": %.0f, \"stalls\": %u, "
           "\"stall_median_ms\": %.2f, \"stall_max_ms\": %.2f, \"chunks_fetched\": %u, "
           "\"chunks_held\": %u, \"rss_before_mb\": %.1f, \"rss_after_mb\": %.1f, "
           "\"rss_growth_mb\": %.1f, \"rss_peak_growth_mb\": %.1f, \"target_growth_mb\": 50}\n",
           table->type, n, table->scroll_ms, n / (table->scroll_ms / 1000.0), cpu,
           stalls->len, beam_bench_percentile (stalls, 0.5), table->scroll_stall_max_ms,
           table->scroll_fetches, table->scroll_held, rss_before, rss_after,
           table->scroll_rss_growth_mb, table->scroll_rss_peak_growth_mb);
}

/* One table browsed: opened, jumped in, scrolled; and what that cost the node. */
static void
browse (Table *table,
        guint  rows)
{
  gint64 reductions;
  double start;

  sampler_start ();
  reductions = node_reductions ();
  start = now_ms ();
  measure_open (table);
  measure_jumps (table, rows);
  measure_scroll (table, rows);
  table->session_ms = now_ms () - start;
  table->session_reductions = node_reductions () - reductions;
  table->node_peak_growth = sampler_stop ();
  /* The opens (the jump's and the scroll's windows' too), the chunks read,
   * and the one key index or bucket count. */
  table->session_calls = OPENS + 2 + table->jump_fetches + table->scroll_fetches + 1;
}

/* ---- observer's way ------------------------------------------------------------- */

static JsonObject *
observer_get_table (BeamTestNode *node,
                    Table        *table)
{
  g_autofree char *alive = g_strdup_printf ("bench_tv_%u", g_random_int ());
  const char *argv[] = { "erl", "-sname", alive, "-hidden", "-setcookie", node->cookie,
                         "-noshell", "-pa", g_getenv ("BEAMSCOPE_BENCH_EBIN"),
                         "-run", "bench_baseline", "main", "get_table", node->name,
                         table->name, NULL };
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  int status;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                               &out, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_assert_true (json_parser_load_from_data (parser, out, -1, &error));
  g_assert_no_error (error);
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

/* ---- summary -------------------------------------------------------------------- */

static double
observer_double (Table      *table,
                 const char *member)
{
  return json_object_get_double_member (table->observer, member);
}

static void
summary_row (const char *what,
             const char *target,
             int         decimals,
             const char *unit,
             double      set,
             double      ordered)
{
  g_autofree char *left = g_strdup_printf ("%.*f%s", decimals, set, unit);
  g_autofree char *right = g_strdup_printf ("%.*f%s", decimals, ordered, unit);

  g_print ("# %-44s %14s %14s   %s\n", what, left, right, target);
}

/* A table's reductions for browsing, less what the idle node spends as long. */
static double
net_reductions (Table  *table,
                double  idle_rate)
{
  return table->session_reductions - idle_rate * table->session_ms;
}

static double
observer_net_reductions (Table  *table,
                         double  idle_rate)
{
  return observer_double (table, "node_reductions") -
         idle_rate * observer_double (table, "all_rows_ms");
}

static void
print_summary (Table  *tables,
               guint   rows,
               double  idle_rate,
               gint64  idle_peak,
               gint64  atoms_before,
               gint64  atoms_first,
               gint64  atoms_after)
{
  Table *s = &tables[0], *o = &tables[1];

  g_print ("#\n# table-window, %u rows per table\n", rows);
  g_print ("# %-44s %14s %14s   %s\n", "", s->type, o->type, "target");
  summary_row ("fill (not counted)", "", 1, " s", s->fill_ms / 1000, o->fill_ms / 1000);
  summary_row ("open to first rows, median", "< 500 ms", 1, " ms",
               s->open_median_ms, o->open_median_ms);
  summary_row ("jump, cold (50 %: key index / bucket count)", "< 1 s", 1, " ms",
               s->jump_cold_ms, o->jump_cold_ms);
  summary_row ("jump, later ones, median", "< 1 s", 1, " ms",
               s->jump_later_median_ms, o->jump_later_median_ms);
  summary_row ("jump, later ones, slowest", "< 1 s", 1, " ms",
               s->jump_later_max_ms, o->jump_later_max_ms);
  summary_row ("scroll 100,000 rows", "", 0, " ms", s->scroll_ms, o->scroll_ms);
  summary_row ("scroll: waits for a row", "", 0, "", s->scroll_stalls, o->scroll_stalls);
  summary_row ("scroll: longest wait", "", 1, " ms", s->scroll_stall_max_ms,
               o->scroll_stall_max_ms);
  summary_row ("scroll: chunks fetched", "", 0, "", s->scroll_fetches, o->scroll_fetches);
  summary_row ("scroll: chunks held", "", 0, "", s->scroll_held, o->scroll_held);
  summary_row ("scroll: Beamscope VmRSS growth, peak", "< 50 MB", 1, " MB",
               s->scroll_rss_peak_growth_mb, o->scroll_rss_peak_growth_mb);
  summary_row ("node peak memory growth, browsing", "< 10 MB", 0, " KB",
               s->node_peak_growth / 1024.0, o->node_peak_growth / 1024.0);
  summary_row ("node reductions, browsing, less idle", "", 0, "",
               net_reductions (s, idle_rate), net_reductions (o, idle_rate));
  summary_row ("node reductions per call, less idle", "", 0, "",
               net_reductions (s, idle_rate) / s->session_calls,
               net_reductions (o, idle_rate) / o->session_calls);
  summary_row ("observer: all rows arrived", "", 0, " ms",
               observer_double (s, "all_rows_ms"), observer_double (o, "all_rows_ms"));
  summary_row ("observer / Beamscope, time to first rows", "", 0, " x",
               observer_double (s, "all_rows_ms") / s->open_median_ms,
               observer_double (o, "all_rows_ms") / o->open_median_ms);
  summary_row ("observer: node peak memory growth", "", 0, " KB",
               observer_double (s, "node_peak_growth_bytes") / 1024,
               observer_double (o, "node_peak_growth_bytes") / 1024);
  summary_row ("observer: client memory, rows kept", "", 0, " MB",
               observer_double (s, "client_growth_bytes") / (1024 * 1024),
               observer_double (o, "client_growth_bytes") / (1024 * 1024));
  summary_row ("observer: node reductions, less idle", "", 0, "",
               observer_net_reductions (s, idle_rate), observer_net_reductions (o, idle_rate));
  g_print ("# node idle: %.0f reductions/s, memory peak +%.0f KB over the same sampling\n",
           idle_rate * 1000, idle_peak / 1024.0);
  g_print ("# atoms: %" G_GINT64_FORMAT " before the first open, +%" G_GINT64_FORMAT
           " by it (the program's own words), +%" G_GINT64_FORMAT " while browsing\n",
           atoms_before, atoms_first - atoms_before, atoms_after - atoms_first);
}

int
main (int    argc G_GNUC_UNUSED,
      char **argv G_GNUC_UNUSED)
{
  const char *rows_env = g_getenv ("BEAMSCOPE_BENCH_TABLE_ROWS");
  guint rows = rows_env != NULL ? (guint) g_ascii_strtoull (rows_env, NULL, 10) : 10000000;
  const char * const args[] = { "-pa", g_getenv ("BEAMSCOPE_BENCH_EBIN"), NULL };
  Table tables[] = {
    { .name = "bs_bench_set", .type = "set" },
    { .name = "bs_bench_ordered", .type = "ordered_set" },
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(BeamTestNode) node = NULL;
  g_autofree char *stopped = NULL;
  gint64 atoms_before, atoms_first, atoms_after, idle_reductions, idle_peak;
  double idle_ms, idle_rate, longest = 0;

  g_assert_true (beam_connection_init_process (NULL));
  g_assert_cmpuint (rows, >=, 10 * BEAM_ETS_ROW_WINDOW_CHUNK);
  node = beam_test_node_start (args, &error);
  g_assert_no_error (error);
  /* A quiet node: the fixture's busy loop would drown the signal. */
  stopped = beam_test_node_erl_call (node, "supervisor", "terminate_child",
                                     "[beamscope_fixture_sup, busy]", &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (stopped, "ok"));
  connection = beam_test_node_connect (node);

  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    {
      tables[i].fill_ms = fill (&tables[i], rows);
      g_print ("{\"phase\": \"fill (not counted)\", \"type\": \"%s\", \"rows\": %u, "
               "\"ms\": %.0f}\n", tables[i].type, rows, tables[i].fill_ms);
    }
  /* The sampler's module loaded (its atoms made) before anything is counted. */
  sampler_start ();
  sampler_stop ();
  beam_test_run_for (500);

  atoms_before = node_atoms ();
  g_object_unref (open_window (tables[0].name, NULL));
  atoms_first = node_atoms ();
  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    {
      browse (&tables[i], rows);
      longest = MAX (longest, tables[i].session_ms);
      g_print ("{\"phase\": \"node cost while browsing\", \"type\": \"%s\", \"ms\": %.0f, "
               "\"node_peak_growth_kb\": %.0f, \"target_kb\": 10240, "
               "\"node_reductions\": %" G_GINT64_FORMAT ", \"calls\": %u}\n",
               tables[i].type, tables[i].session_ms, tables[i].node_peak_growth / 1024.0,
               tables[i].session_reductions, tables[i].session_calls);
    }
  atoms_after = node_atoms ();

  /* The same node left alone as long, sampled the same way. */
  sampler_start ();
  idle_reductions = node_reductions ();
  idle_ms = now_ms ();
  beam_test_run_for ((guint) MIN (longest, IDLE_MAX_MS));
  idle_reductions = node_reductions () - idle_reductions;
  idle_ms = now_ms () - idle_ms;
  idle_peak = sampler_stop ();
  idle_rate = idle_reductions / idle_ms;
  g_print ("{\"phase\": \"node idle\", \"ms\": %.0f, \"reductions\": %" G_GINT64_FORMAT ", "
           "\"peak_growth_kb\": %.0f}\n", idle_ms, idle_reductions, idle_peak / 1024.0);
  g_print ("{\"phase\": \"atoms\", \"before_first_open\": %" G_GINT64_FORMAT ", "
           "\"after_first_open\": %" G_GINT64_FORMAT ", \"after_browsing\": %" G_GINT64_FORMAT
           ", \"made_while_browsing\": %" G_GINT64_FORMAT "}\n",
           atoms_before, atoms_first, atoms_after, atoms_after - atoms_first);
  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    g_print ("{\"phase\": \"node reductions less idle\", \"type\": \"%s\", "
             "\"reductions\": %.0f, \"calls\": %u, \"per_call\": %.0f}\n", tables[i].type,
             net_reductions (&tables[i], idle_rate), tables[i].session_calls,
             net_reductions (&tables[i], idle_rate) / tables[i].session_calls);

  /* Observer's way, once Beamscope is done with the node. */
  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    {
      Table *table = &tables[i];

      table->observer = observer_get_table (node, table);
      g_print ("{\"phase\": \"observer get_table\", \"type\": \"%s\", \"all_rows_ms\": %.0f, "
               "\"rows\": %" G_GINT64_FORMAT ", \"messages\": %" G_GINT64_FORMAT ", "
               "\"node_peak_growth_kb\": %.0f, \"client_growth_mb\": %.0f, "
               "\"node_reductions\": %" G_GINT64_FORMAT ", \"beamscope_open_ms\": %.2f, "
               "\"time_to_first_rows_ratio\": %.0f, \"beamscope_node_peak_growth_kb\": %.0f, "
               "\"beamscope_rss_peak_growth_mb\": %.1f}\n",
               table->type, observer_double (table, "all_rows_ms"),
               json_object_get_int_member (table->observer, "rows"),
               json_object_get_int_member (table->observer, "messages"),
               observer_double (table, "node_peak_growth_bytes") / 1024,
               observer_double (table, "client_growth_bytes") / (1024 * 1024),
               json_object_get_int_member (table->observer, "node_reductions"),
               table->open_median_ms,
               observer_double (table, "all_rows_ms") / table->open_median_ms,
               table->node_peak_growth / 1024.0, table->scroll_rss_peak_growth_mb);
    }

  print_summary (tables, rows, idle_rate, idle_peak, atoms_before, atoms_first, atoms_after);
  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    json_object_unref (tables[i].observer);
  g_clear_object (&connection);
  g_assert_cmpuint (never_shown, ==, 0);
  return 0;
}
