/* SPDX-License-Identifier: GPL-3.0-or-later */
/* beamscope-cli sched, memory, alloc and the memory playbook (ets, heaps,
 * binary-gc) against a fixture node with a busy process, a big heap, an ETS
 * table of known size and binary garbage: the busy scheduler shows, the
 * scheduler_wall_time flag is as it was afterwards, the allocators agree with
 * erlang:memory(total), and each playbook step finds what the fixture left.
 * The Load page's scheduler usage is recon's, to the printed digit, for the
 * same two samples.
 * The Load page's samples keep coming, 100 ms apart, while the process list
 * of a node with 200,000 processes is fetched on the same connection. */

#include <json-glib/json-glib.h>

#include "beam-connection.h"
#include "beam-load-sample.h"
#include "beam-process-list.h"
#include "beam-test-node.h"

static BeamTestNode *node;


static char *
node_says (const char *module,
           const char *function,
           const char *args)
{
  g_autoptr(GError) error = NULL;
  char *out = beam_test_node_erl_call (node, module, function, args, &error);

  g_assert_no_error (error);
  return g_strstrip (out);
}

static void
test_sched (void)
{
  g_autoptr(JsonNode) root = beam_test_node_cli_json (node, "sched", "--ms", "1000", NULL);
  JsonArray *usage = json_node_get_array (root);
  g_autofree char *schedulers = node_says ("erlang", "system_info", "[schedulers]");
  g_autofree char *dirty_cpu = node_says ("erlang", "system_info", "[dirty_cpu_schedulers]");
  g_autofree char *dirty_io = node_says ("erlang", "system_info", "[dirty_io_schedulers]");
  g_autofree char *flag = NULL;
  guint normal = 0, cpu = 0, io = 0;
  double busiest = 0;

  for (guint i = 0; i < json_array_get_length (usage); i++)
    {
      JsonObject *entry = json_array_get_object_element (usage, i);
      const char *type = json_object_get_string_member (entry, "type");
      double value = json_object_get_double_member (entry, "usage");

      g_assert_cmpint (json_object_get_int_member (entry, "scheduler"), ==, i + 1);
      g_assert_cmpfloat (value, >=, 0.0);
      g_assert_cmpfloat (value, <=, 1.0);
      if (g_str_equal (type, "normal"))
        {
          normal++;
          busiest = MAX (busiest, value);
        }
      else if (g_str_equal (type, "dirty_cpu"))
        cpu++;
      else
        {
          g_assert_cmpstr (type, ==, "dirty_io");
          io++;
        }
    }
  g_assert_cmpuint (normal, ==, g_ascii_strtoull (schedulers, NULL, 10));
  g_assert_cmpuint (cpu, ==, g_ascii_strtoull (dirty_cpu, NULL, 10));
  g_assert_cmpuint (io, ==, g_ascii_strtoull (dirty_io, NULL, 10));
  /* The fixture's busy process works two thirds of the time. */
  g_test_message ("busiest normal scheduler: %.2f", busiest);
  g_assert_cmpfloat (busiest, >, 0.2);

  /* The flag is off again: the node measures nothing once we are done. */
  flag = node_says ("erlang", "statistics", "[scheduler_wall_time]");
  g_assert_cmpstr (flag, ==, "undefined");
}

static void
test_memory (void)
{
  g_autoptr(JsonNode) root = beam_test_node_cli_json (node, "memory", NULL);
  JsonObject *memory = json_node_get_object (root);
  static const char * const keys[] = {
    "total", "processes", "processes_used", "system", "atom", "atom_used", "binary", "code", "ets",
  };

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    g_assert_cmpint (json_object_get_int_member (memory, keys[i]), >, 0);
  g_assert_cmpint (json_object_get_int_member (memory, "processes") +
                   json_object_get_int_member (memory, "system"), ==,
                   json_object_get_int_member (memory, "total"));
}

/* recon_alloc:memory(used) counts the blocks in the allocators' carriers,
 * allocated the carriers: the node's total lies between, give or take what
 * the node allocates outside the allocators. Tolerance: used no more than
 * total, allocated within 30% of it. */
static void
test_alloc (void)
{
  g_autoptr(JsonNode) root = beam_test_node_cli_json (node, "alloc", NULL);
  JsonObject *alloc = json_node_get_object (root);
  g_autofree char *total_text = node_says ("erlang", "memory", "[total]");
  gint64 total = g_ascii_strtoll (total_text, NULL, 10);
  gint64 allocated = json_object_get_int_member (alloc, "allocated");
  gint64 used = json_object_get_int_member (alloc, "used");
  JsonArray *types = json_object_get_array_member (alloc, "types");
  gint64 sum = 0;
  gboolean eheap = FALSE;

  g_test_message ("allocated %" G_GINT64_FORMAT ", used %" G_GINT64_FORMAT
                  ", memory(total) %" G_GINT64_FORMAT, allocated, used, total);
  g_assert_cmpint (used, >, 0);
  g_assert_cmpint (used, <=, allocated);
  g_assert_cmpint (used, <=, total);
  g_assert_cmpfloat (ABS (allocated - total), <=, 0.3 * total);

  for (guint i = 0; i < json_array_get_length (types); i++)
    {
      JsonObject *type = json_array_get_object_element (types, i);
      sum += json_object_get_int_member (type, "allocated");
      eheap |= g_str_equal (json_object_get_string_member (type, "type"), "eheap_alloc");
      g_assert_cmpint (json_object_get_int_member (type, "used"), <=,
                       json_object_get_int_member (type, "allocated"));
    }
  g_assert_true (eheap);
  g_assert_cmpint (sum, ==, allocated);

  /* mseg_alloc's cache: the node has made segments, and hit its cache at
   * most as often as it asked. */
  g_assert_cmpint (json_object_get_int_member (alloc, "cache_calls"), >, 0);
  g_assert_cmpint (json_object_get_int_member (alloc, "cache_hits"), <=,
                   json_object_get_int_member (alloc, "cache_calls"));
}

/* The fixture's cache table holds 1000 rows: it is listed, with the memory
 * and size the node itself gives, and the list is biggest first. */
static void
test_ets_by_memory (void)
{
  g_autoptr(JsonNode) root = beam_test_node_cli_json (node, "ets", "-n", "50", NULL);
  JsonArray *tables = json_node_get_array (root);
  g_autofree char *words = node_says ("ets", "info", "[beamscope_cache_tab, memory]");
  g_autofree char *word_size = node_says ("erlang", "system_info", "[wordsize]");
  gint64 expected = g_ascii_strtoll (words, NULL, 10) * g_ascii_strtoll (word_size, NULL, 10);
  gint64 previous = G_MAXINT64;
  gboolean found = FALSE;

  g_assert_cmpuint (json_array_get_length (tables), >, 1);
  g_assert_cmpuint (json_array_get_length (tables), <=, 50);
  for (guint i = 0; i < json_array_get_length (tables); i++)
    {
      JsonObject *table = json_array_get_object_element (tables, i);
      gint64 bytes = json_object_get_int_member (table, "memory");

      g_assert_cmpint (bytes, <=, previous);
      previous = bytes;
      if (g_str_equal (json_object_get_string_member (table, "name"), "beamscope_cache_tab"))
        {
          found = TRUE;
          g_assert_cmpint (json_object_get_int_member (table, "size"), ==, 1000);
          g_assert_cmpint (bytes, ==, expected);
          g_assert_true (g_str_has_prefix (json_object_get_string_member (table, "owner"), "<0."));
        }
    }
  g_assert_true (found);

  /* -n bounds the answer */
  {
    g_autoptr(JsonNode) two = beam_test_node_cli_json (node, "ets", "-n", "2", NULL);
    g_assert_cmpuint (json_array_get_length (json_node_get_array (two)), ==, 2);
  }
}

/* The fixture's big holder keeps ~6 MB of heap: over a 4 MiB threshold it is
 * found, by name, and nothing below the threshold is. */
static void
test_big_heaps (void)
{
  g_autoptr(JsonNode) root = beam_test_node_cli_json (node, "heaps", "--min-bytes", "4194304",
                                                      NULL);
  JsonArray *heaps = json_node_get_array (root);
  gboolean found = FALSE;

  g_assert_cmpuint (json_array_get_length (heaps), >=, 1);
  for (guint i = 0; i < json_array_get_length (heaps); i++)
    {
      JsonObject *heap = json_array_get_object_element (heaps, i);

      g_assert_cmpint (json_object_get_int_member (heap, "total_heap_size"), >=, 4194304);
      g_assert_cmpint (json_object_get_int_member (heap, "memory"), >=,
                       json_object_get_int_member (heap, "total_heap_size"));
      found |= g_strcmp0 (json_object_get_string_member (heap, "registered_name"),
                          "beamscope_big") == 0;
    }
  g_assert_true (found);
}

/* 20 MB of binary garbage, left in a process that never collects: a
 * node-wide collection frees it, and binary memory falls by as much. */
static void
test_binary_gc (void)
{
  g_autofree char *made = node_says ("beamscope_fixture", "binary_garbage", "[20000000]");
  g_autoptr(JsonNode) root = NULL;
  JsonObject *collection;
  gint64 before, after;

  g_test_message ("binary_garbage: %s", made);
  g_assert_true (g_str_has_suffix (made, " 20000000}"));
  {
    /* Without --yes it refuses, and changes nothing. */
    const char *argv[] = { g_getenv ("BEAMSCOPE_CLI"), "--node", node->name,
                           "--cookie", node->cookie, "binary-gc", NULL };
    int status;

    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL,
                                 G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                                 NULL, NULL, NULL, NULL, &status, NULL));
    g_assert_false (g_spawn_check_wait_status (status, NULL));
  }
  root = beam_test_node_cli_json (node, "binary-gc", "--yes", NULL);
  collection = json_node_get_object (root);
  before = json_object_get_int_member (collection, "binary_before");
  after = json_object_get_int_member (collection, "binary_after");
  g_test_message ("binary before %" G_GINT64_FORMAT ", after %" G_GINT64_FORMAT, before, after);
  g_assert_cmpint (before, >=, 20000000);
  g_assert_cmpint (before - after, >=, 19000000);
  g_assert_cmpint (json_object_get_int_member (collection, "processes"), >, 10);
}


static BeamLoadSample *
sample (BeamConnection *connection)
{
  g_autoptr(GError) error = NULL;
  BeamTestWait wait = { 0 };
  BeamLoadSample *result;

  beam_load_sample_async (connection, NULL, beam_test_stash, &wait);
  beam_test_wait_for (&wait.done, 10000);
  result = beam_load_sample_finish (wait.result, &error);
  g_object_unref (wait.result);
  g_assert_no_error (error);
  return result;
}

static BeamTerm *
start_holder (BeamConnection *connection)
{
  g_autoptr(GError) error = NULL;
  BeamTestWait wait = { 0 };
  BeamTerm *holder;

  beam_load_sample_flag_holder_start_async (connection, NULL, beam_test_stash, &wait);
  beam_test_wait_for (&wait.done, 10000);
  holder = beam_load_sample_flag_holder_start_finish (wait.result, &error);
  g_object_unref (wait.result);
  g_assert_no_error (error);
  return holder;
}

static gboolean
flag_is (const char *expected_prefix)
{
  for (int i = 0; i < 100; i++)
    {
      g_autofree char *flag = node_says ("erlang", "statistics", "[scheduler_wall_time]");
      if (g_str_has_prefix (flag, expected_prefix))
        return TRUE;
      g_usleep (50 * 1000);
    }
  return FALSE;
}

static void
test_samples_and_flag_holder (void)
{
  g_autoptr(BeamConnection) connection = beam_test_node_connect (node);
  g_autoptr(BeamLoadSample) cold = sample (connection);
  g_autoptr(BeamLoadSample) first = NULL;
  g_autoptr(BeamLoadSample) second = NULL;
  g_autoptr(BeamTerm) holder = NULL;
  g_autoptr(GArray) usage = NULL;
  double total = 0, busiest = 0;

  /* No holder, no wall times: the flag is off. */
  g_assert_cmpuint (cold->wall->len, ==, 0);
  g_assert_cmpint (cold->memory[0], >, 0);
  g_assert_cmpuint (cold->run_queues->len, >=, (guint) cold->schedulers);

  holder = start_holder (connection);
  g_assert_true (flag_is ("["));  /* a list of wall times */
  first = sample (connection);
  g_usleep (600 * 1000);
  second = sample (connection);
  usage = beam_load_sample_usage (first, second, &total);
  g_assert_nonnull (usage);
  for (guint i = 0; i < usage->len; i++)
    {
      BeamSchedulerUsage *entry = &g_array_index (usage, BeamSchedulerUsage, i);
      if (entry->type == BEAM_SCHEDULER_NORMAL)
        busiest = MAX (busiest, entry->usage);
    }
  g_test_message ("busiest %.2f, total %.2f", busiest, total);
  g_assert_cmpfloat (busiest, >, 0.2);
  g_assert_cmpfloat (total, >, 0.1);
  g_assert_cmpfloat (beam_load_sample_rate (first, second, first->reductions, second->reductions),
                     >, 1000);

  /* Beamscope goes: the holder goes with the connection, and the flag. */
  beam_connection_close (connection);
  g_assert_true (flag_is ("undefined"));
}

/* statistics(scheduler_wall_time_all) as the node printed it. */
static char *
wall_as_erlang (const BeamLoadSample *sample)
{
  GString *text = g_string_new ("[");

  for (guint i = 0; i < sample->wall->len; i++)
    {
      const BeamWallTime *wall = &g_array_index (sample->wall, BeamWallTime, i);

      g_string_append_printf (text, "%s{%u,%" G_GINT64_FORMAT ",%" G_GINT64_FORMAT "}",
                              i > 0 ? "," : "", wall->id, wall->active, wall->total);
    }
  g_string_append_c (text, ']');
  return g_string_free (text, FALSE);
}

/* The Load page's per-scheduler figures are recon's: the same two samples,
 * put through recon:scheduler_usage_diff's arithmetic on the node, give the
 * same usage for every scheduler, normal, dirty CPU and dirty IO. */
static void
test_usage_as_recon (void)
{
  g_autoptr(BeamConnection) connection = beam_test_node_connect (node);
  g_autoptr(BeamTerm) holder = start_holder (connection);
  g_autoptr(BeamLoadSample) first = NULL;
  g_autoptr(BeamLoadSample) second = NULL;
  g_autoptr(GArray) ours = NULL;
  g_autoptr(GRegex) entry = g_regex_new ("\\{(\\d+),\\s*([-0-9.e+]+)\\}", 0, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  g_autofree char *first_text = NULL;
  g_autofree char *second_text = NULL;
  g_autofree char *args = NULL;
  g_autofree char *theirs = NULL;
  guint compared = 0;
  double busiest = 0;

  /* The holder sets the flag after its spawn has answered: a sample taken
   * before that has no wall times. */
  g_assert_true (flag_is ("["));
  first = sample (connection);
  beam_test_run_for (500);
  second = sample (connection);
  ours = beam_load_sample_usage (first, second, NULL);
  g_assert_nonnull (ours);
  first_text = wall_as_erlang (first);
  second_text = wall_as_erlang (second);
  args = g_strdup_printf ("[%s, %s]", first_text, second_text);
  theirs = node_says ("beamscope_fixture", "scheduler_usage_diff", args);

  for (g_regex_match (entry, theirs, 0, &match); g_match_info_matches (match);
       g_match_info_next (match, NULL))
    {
      g_autofree char *id_text = g_match_info_fetch (match, 1);
      g_autofree char *usage_text = g_match_info_fetch (match, 2);
      guint id = (guint) g_ascii_strtoull (id_text, NULL, 10);
      double usage = g_ascii_strtod (usage_text, NULL);

      g_assert_cmpuint (id, >=, 1);
      g_assert_cmpuint (id, <=, ours->len);
      g_assert_cmpuint (g_array_index (ours, BeamSchedulerUsage, id - 1).id, ==, id);
      /* erl_call prints floats with six decimals. */
      g_assert_cmpfloat_with_epsilon (g_array_index (ours, BeamSchedulerUsage, id - 1).usage,
                                      usage, 1e-6);
      busiest = MAX (busiest, usage);
      compared++;
    }
  g_test_message ("%u schedulers compared with recon's arithmetic, busiest %.3f",
                  compared, busiest);
  g_assert_cmpuint (compared, ==, ours->len);
  g_assert_cmpuint (compared, ==, second->wall->len);
  g_assert_cmpfloat (busiest, >, 0.2);  /* the fixture's busy process: not all zeros */
  beam_load_sample_flag_holder_stop (connection, holder);
}

static void
test_flag_holder_stop (void)
{
  g_autoptr(BeamConnection) connection = beam_test_node_connect (node);
  g_autoptr(BeamTerm) holder = start_holder (connection);

  g_assert_true (flag_is ("["));
  beam_load_sample_flag_holder_stop (connection, holder);
  g_assert_true (flag_is ("undefined"));
}

/* Samples as the Load page takes them: each one 100 ms (the page's fastest
 * interval) after the last came back. Arrival times in ms. */
typedef struct
{
  BeamConnection *connection;
  GArray         *arrivals;
  gboolean        stopping;
  gboolean        in_flight;
  guint           failures;
} Sampler;

static void sampler_ask (Sampler *sampler);

static void
on_sampled (GObject      *object G_GNUC_UNUSED,
            GAsyncResult *result,
            gpointer      user_data)
{
  Sampler *sampler = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(BeamLoadSample) sample = beam_load_sample_finish (result, &error);
  double now = g_get_monotonic_time () / 1000.0;

  sampler->in_flight = FALSE;
  if (sample == NULL)
    sampler->failures++;
  else
    g_array_append_val (sampler->arrivals, now);
  if (!sampler->stopping)
    g_timeout_add_once (100, (GSourceOnceFunc) sampler_ask, sampler);
}

static void
sampler_ask (Sampler *sampler)
{
  sampler->in_flight = TRUE;
  beam_load_sample_async (sampler->connection, NULL, on_sampled, sampler);
}

static gboolean
sampler_idle (gpointer user_data)
{
  return !((Sampler *) user_data)->in_flight;
}

/* The longest wait between two samples that came back within [from, to],
 * counting from `from`, and how many came. */
static double
longest_gap (GArray *arrivals,
             double  from,
             double  to,
             guint  *count)
{
  double last = from, longest = 0;

  *count = 0;
  for (guint i = 0; i < arrivals->len; i++)
    {
      double at = g_array_index (arrivals, double, i);

      if (at < from || at > to)
        continue;
      longest = MAX (longest, at - last);
      last = at;
      (*count)++;
    }
  return MAX (longest, to - last);
}

/* "Charts keep sampling while a big fetch runs": the Process list of a node
 * with 200,000 processes is fetched on the same connection while samples
 * are taken every 100 ms, and the samples keep coming during the fetch. */
static void
test_sampling_during_big_fetch (void)
{
  g_autoptr(BeamConnection) connection = beam_test_node_connect (node);
  g_autoptr(BeamTerm) holder = start_holder (connection);
  g_autoptr(BeamProcessTable) table = NULL;
  g_autoptr(GError) error = NULL;
  Sampler sampler = { connection, g_array_new (FALSE, FALSE, sizeof (double)), FALSE, FALSE, 0 };
  BeamTestWait wait = { 0 };
  g_autofree char *processes = node_says ("beamscope_fixture", "spawn_idle", "[200000]");
  g_autofree char *none = NULL;
  double quiet_from, fetch_from, fetch_to, quiet_gap, fetch_gap;
  guint quiet_samples, fetch_samples;

  /* A quiet stretch first, for the gap samples have when nothing else runs. */
  sampler_ask (&sampler);
  quiet_from = g_get_monotonic_time () / 1000.0;
  beam_test_run_for (1500);

  fetch_from = g_get_monotonic_time () / 1000.0;
  beam_process_list_fetch_async (connection, NULL, FALSE, NULL, beam_test_stash, &wait);
  beam_test_wait_for (&wait.done, 120000);
  fetch_to = g_get_monotonic_time () / 1000.0;
  table = beam_process_list_fetch_finish (wait.result, &error);
  g_object_unref (wait.result);
  g_assert_no_error (error);
  g_assert_cmpuint (beam_process_table_get_n_records (table), >=, 200000);

  sampler.stopping = TRUE;
  beam_test_wait_until (sampler_idle, &sampler, 10000);

  quiet_gap = longest_gap (sampler.arrivals, quiet_from + 200, fetch_from, &quiet_samples);
  fetch_gap = longest_gap (sampler.arrivals, fetch_from, fetch_to, &fetch_samples);
  g_test_message ("%s processes; quiet: %u samples in %.0f ms, longest gap %.0f ms; "
                  "fetch of %u records: %.0f ms, %u samples came during it, longest gap %.0f ms",
                  processes, quiet_samples, fetch_from - quiet_from - 200, quiet_gap,
                  beam_process_table_get_n_records (table), fetch_to - fetch_from,
                  fetch_samples, fetch_gap);
  g_assert_cmpuint (sampler.failures, ==, 0);
  /* The fetch lasts long enough to mean something, and no sample waits for
   * it: a gap of a few intervals at most, not the fetch's length. */
  g_assert_cmpfloat (fetch_to - fetch_from, >, 500);
  g_assert_cmpfloat (fetch_gap, <, 300 * BEAM_TEST_SLOWDOWN);
  g_assert_cmpuint (fetch_samples, >=,
                    (guint) ((fetch_to - fetch_from) / (250 * BEAM_TEST_SLOWDOWN)));

  none = node_says ("beamscope_fixture", "spawn_idle", "[0]");
  g_array_unref (sampler.arrivals);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int status;

  g_assert_true (beam_connection_init_process (NULL));
  g_test_init (&argc, &argv, NULL);
  node = beam_test_node_start (NULL, &error);
  g_assert_no_error (error);

  g_test_add_func ("/load/sched", test_sched);
  g_test_add_func ("/load/memory", test_memory);
  g_test_add_func ("/load/alloc", test_alloc);
  g_test_add_func ("/load/ets-by-memory", test_ets_by_memory);
  g_test_add_func ("/load/big-heaps", test_big_heaps);
  g_test_add_func ("/load/binary-gc", test_binary_gc);
  g_test_add_func ("/load/samples-and-flag-holder", test_samples_and_flag_holder);
  g_test_add_func ("/load/usage-as-recon", test_usage_as_recon);
  g_test_add_func ("/load/flag-holder-stop", test_flag_holder_stop);
  g_test_add_func ("/load/sampling-during-big-fetch", test_sampling_during_big_fetch);

  status = g_test_run ();
  beam_test_node_free (node);
  return status;
}
