/* SPDX-License-Identifier: GPL-3.0-or-later */
/* beamscope-cli sched, memory, alloc and the memory playbook (ets, heaps,
 * binary-gc) against a fixture node with a busy process, a big heap, an ETS
 * table of known size and binary garbage: the busy scheduler shows, the
 * scheduler_wall_time flag is as it was afterwards, the allocators agree with
 * erlang:memory(total), and each playbook step finds what the fixture left.
 * The Load page's scheduler usage is recon's, to the printed digit, for the
 * same two samples.
 * The Load page's samples keep coming, 100 ms apart, while the process list
 * of a node with 200,000 processes is fetched on the same connection.
 * Replies no node sends (100,000 schedulers, counters near 2^63) are one
 * error, quickly; and the history starts over with a restarted node. */

#include <signal.h>

#include <json-glib/json-glib.h>

#include "beam-allocators-private.h"
#include "beam-connection-private.h"
#include "beam-load-history.h"
#include "beam-load-sample-private.h"
#include "beam-process-list.h"
#include "beam-scheduler-usage-private.h"
#include "beam-test-node.h"
#include "beam-wire-error.h"

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

static BeamTerm *
rpc (BeamConnection *connection,
     const char     *module,
     const char     *function)
{
  g_autoptr(GError) error = NULL;
  BeamTestWait wait = { 0 };
  BeamTerm *reply;

  beam_connection_rpc_async (connection, module, function, beam_term_new_list (0), 10000, NULL,
                             beam_test_stash, &wait);
  beam_test_wait_for (&wait.done, 15000);
  reply = beam_connection_rpc_finish (connection, wait.result, &error);
  g_object_unref (wait.result);
  g_assert_no_error (error);
  return reply;
}

/* Finding 16: alloc is recon_alloc:memory. The fixture computes
 * recon's used, allocated and usage (recon's nine allocators, pooled
 * carriers included) on the very snapshot it hands us: decoded, ours are
 * the same figures to the byte. And the CLI's, a moment apart, close to a
 * fresh computation, with no literal_alloc among its types. */
static void
test_alloc_as_recon (void)
{
  g_autoptr(BeamConnection) connection = beam_test_node_connect (node);
  g_autoptr(BeamTerm) answer = rpc (connection, "beamscope_fixture", "recon_alloc_memory");
  g_autoptr(BeamTerm) reply = NULL;
  g_autoptr(BeamAllocators) ours = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) cli = NULL;
  g_autoptr(BeamTerm) fresh = NULL;
  gint64 used, allocated, fresh_used, fresh_allocated;
  JsonObject *object;

  g_assert_true (answer->kind == BEAM_TERM_TUPLE && answer->n_children == 4);
  g_assert_true (beam_term_get_int64 (answer->children[1], &used));
  g_assert_true (beam_term_get_int64 (answer->children[2], &allocated));
  reply = beam_term_new_tuple (3, beam_term_new_atom ("value"),
                               beam_term_copy (answer->children[0]), beam_term_new_list (0));
  ours = _beam_allocators_decode (reply, NULL, &error);
  g_assert_no_error (error);
  g_test_message ("recon: allocated %" G_GINT64_FORMAT ", used %" G_GINT64_FORMAT
                  "; ours: %" G_GINT64_FORMAT ", %" G_GINT64_FORMAT,
                  allocated, used, ours->allocated, ours->used);
  g_assert_cmpint (ours->allocated, ==, allocated);
  g_assert_cmpint (ours->used, ==, used);
  for (guint i = 0; i < ours->types->len; i++)
    g_assert_cmpstr (((BeamAllocator *) g_ptr_array_index (ours->types, i))->type, !=,
                     "literal_alloc");

  cli = beam_test_node_cli_json (node, "alloc", NULL);
  object = json_node_get_object (cli);
  fresh = rpc (connection, "beamscope_fixture", "recon_alloc_memory");
  g_assert_true (beam_term_get_int64 (fresh->children[1], &fresh_used));
  g_assert_true (beam_term_get_int64 (fresh->children[2], &fresh_allocated));
  g_test_message ("CLI: allocated %" G_GINT64_FORMAT ", usage %.4f; recon after: %"
                  G_GINT64_FORMAT ", %.4f", json_object_get_int_member (object, "allocated"),
                  json_object_get_double_member (object, "usage"), fresh_allocated,
                  fresh->children[3]->v.floating);
  /* A carrier or two (256 kB or more each) may come or go in between. */
  g_assert_cmpfloat (ABS (json_object_get_int_member (object, "allocated") - fresh_allocated),
                     <=, 1024 * 1024);
  g_assert_cmpfloat (ABS (json_object_get_int_member (object, "used") - fresh_used), <=,
                     0.02 * fresh_used);
  g_assert_cmpfloat (ABS (json_object_get_double_member (object, "usage") -
                          fresh->children[3]->v.floating), <=, 0.03);
  {
    JsonArray *types = json_object_get_array_member (object, "types");

    for (guint i = 0; i < json_array_get_length (types); i++)
      g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (types, i),
                                                      "type"), !=, "literal_alloc");
  }
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
  guint           timeout_id;  /* the next ask, removed when the test ends */
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
    sampler->timeout_id = g_timeout_add_once (100, (GSourceOnceFunc) sampler_ask, sampler);
}

static void
sampler_ask (Sampler *sampler)
{
  sampler->timeout_id = 0;
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
  Sampler sampler = { connection, g_array_new (FALSE, FALSE, sizeof (double)), FALSE, FALSE, 0,
                      0 };
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
  /* The sampler lives on this stack: no ask may outlive the test. */
  g_clear_handle_id (&sampler.timeout_id, g_source_remove);

  quiet_gap = longest_gap (sampler.arrivals, quiet_from + 200, fetch_from, &quiet_samples);
  fetch_gap = longest_gap (sampler.arrivals, fetch_from, fetch_to, &fetch_samples);
  g_test_message ("%s processes; quiet: %u samples in %.0f ms, longest gap %.0f ms; "
                  "fetch of %u records: %.0f ms, %u samples came during it, longest gap %.0f ms",
                  processes, quiet_samples, fetch_from - quiet_from - 200, quiet_gap,
                  beam_process_table_get_n_records (table), fetch_to - fetch_from,
                  fetch_samples, fetch_gap);
  g_assert_cmpuint (sampler.failures, ==, 0);
  /* The fetch lasts long enough to mean something, and no sample waits for
   * it: a gap of a few intervals at most, not the fetch's length. A machine
   * busy with other work stretches the quiet gaps too: the bound grows with
   * them, and a sample held for the whole fetch still fails. */
  g_assert_cmpfloat (fetch_to - fetch_from, >, 500);
  g_assert_cmpfloat (fetch_gap, <, MAX (300 * BEAM_TEST_SLOWDOWN, 3 * quiet_gap));
  g_assert_cmpfloat (fetch_gap, <, (fetch_to - fetch_from) * 0.75);
  g_assert_cmpuint (fetch_samples, >=,
                    (guint) ((fetch_to - fetch_from) / (250 * BEAM_TEST_SLOWDOWN)));

  none = node_says ("beamscope_fixture", "spawn_idle", "[0]");
  g_array_unref (sampler.arrivals);
}

/* ---- replies no node sends ------------------------------------------------------ */

static gint64
node_count (const char *item)
{
  g_autofree char *args = g_strdup_printf ("[%s]", item);
  g_autofree char *text = node_says ("erlang", "system_info", args);

  return g_ascii_strtoll (text, NULL, 10);
}

/* [{Id, Active, Total}] for ids first..first + n - 1. */
static BeamTerm *
wall_list (guint  n,
           gint64 active,
           gint64 total)
{
  GPtrArray *entries = g_ptr_array_sized_new (n);

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (entries, beam_term_new_tuple (3, beam_term_new_integer (i + 1),
                                                   beam_term_new_integer (active),
                                                   beam_term_new_integer (total)));
  return beam_term_new_list_take (entries);
}

/* erl_eval's {value, {T0, T1, Schedulers, DirtyCpu, DirtyIo}, []}, as the
 * sched program answers; takes the lists. */
static BeamTerm *
usage_reply (BeamTerm *before,
             BeamTerm *after,
             gint64    schedulers,
             gint64    dirty_cpu,
             gint64    dirty_io)
{
  return beam_term_new_tuple (3, beam_term_new_atom ("value"),
                              beam_term_new_tuple (5, before, after,
                                                   beam_term_new_integer (schedulers),
                                                   beam_term_new_integer (dirty_cpu),
                                                   beam_term_new_integer (dirty_io)),
                              beam_term_new_list (0));
}

/* Decodes `reply` (taken), asserts it is the one bad-reply error, and
 * returns how long that took, in seconds. */
static double
assert_usage_refused (BeamTerm *reply)
{
  g_autoptr(BeamTerm) owned = reply;
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();
  GArray *usage = _beam_scheduler_usage_decode (owned, NULL, &error);
  double seconds = (g_get_monotonic_time () - start) / 1e6;

  g_assert_null (usage);
  g_assert_error (error, BEAM_WIRE_ERROR, BEAM_WIRE_ERROR_BAD_REPLY);
  g_assert_true (g_str_has_prefix (error->message, "Unexpected reply from the node: "));
  return seconds;
}

/* Finding 2: 100,000 claimed schedulers against the node's own counts
 * took minutes of the network thread (a quadratic match); now the list's
 * length alone refuses it, in well under a second. */
static void
test_sched_too_many (void)
{
  gint64 schedulers = node_count ("schedulers");
  gint64 dirty_cpu = node_count ("dirty_cpu_schedulers");
  gint64 dirty_io = node_count ("dirty_io_schedulers");
  guint n = (guint) (schedulers + dirty_cpu + dirty_io);
  double seconds;

  /* The node's own counts, honest lists: every scheduler, in order. */
  {
    g_autoptr(BeamTerm) reply = usage_reply (wall_list (n, 100, 1000), wall_list (n, 400, 2000),
                                             schedulers, dirty_cpu, dirty_io);
    g_autoptr(GError) error = NULL;
    g_autoptr(GArray) usage = _beam_scheduler_usage_decode (reply, NULL, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (usage->len, ==, n);
    for (guint i = 0; i < n; i++)
      {
        BeamSchedulerUsage *entry = &g_array_index (usage, BeamSchedulerUsage, i);

        g_assert_cmpuint (entry->id, ==, i + 1);
        g_assert_cmpfloat_with_epsilon (entry->usage, 0.3, 1e-9);
      }
    g_assert_cmpint (g_array_index (usage, BeamSchedulerUsage, n - 1).type, ==,
                     dirty_io > 0 ? BEAM_SCHEDULER_DIRTY_IO : BEAM_SCHEDULER_NORMAL);
  }

  seconds = assert_usage_refused (usage_reply (wall_list (100000, 1, 2), wall_list (100000, 2, 4),
                                               schedulers, dirty_cpu, dirty_io));
  g_test_message ("100,000 claimed schedulers refused in %.3f s", seconds);
  g_assert_cmpfloat (seconds, <, 0.5);
  /* Counts beyond any node's, or an id twice, or beyond the counts. */
  seconds = assert_usage_refused (usage_reply (wall_list (100000, 1, 2), wall_list (100000, 2, 4),
                                               100000, 0, 0));
  g_assert_cmpfloat (seconds, <, 0.5);
  assert_usage_refused (usage_reply (wall_list (2, 1, 2),
                                     beam_term_new_list (1, beam_term_new_atom ("x")),
                                     schedulers, dirty_cpu, dirty_io));
  {
    BeamTerm *twice = wall_list (2, 1, 2);

    twice->children[1]->children[0]->v.integer = 1;
    assert_usage_refused (usage_reply (wall_list (2, 1, 2), twice, schedulers, dirty_cpu,
                                       dirty_io));
  }
  assert_usage_refused (usage_reply (wall_list (1, 1, 2), wall_list (1, 1, 2), 0, 0, 0));
}

/* Finding 6: counters near 2^63 overflowed the usage's subtraction (UBSan)
 * and gave a number with exit 0; now they are refused, and a rate between
 * times that far apart is none. */
static void
test_near_int64_limits (void)
{
  gint64 schedulers = node_count ("schedulers");
  BeamLoadSample before = { .time_us = G_MININT64 + 1 };
  BeamLoadSample after = { .time_us = G_MAXINT64 - 1 };

  assert_usage_refused (usage_reply (wall_list (1, G_MININT64 + 2, G_MININT64 + 2),
                                     wall_list (1, G_MAXINT64 - 1, G_MAXINT64 - 1),
                                     schedulers, 0, 0));
  assert_usage_refused (usage_reply (wall_list (1, -5, 10), wall_list (1, G_MAXINT64, G_MAXINT64),
                                     schedulers, 0, 0));
  /* Honest counters near the top still subtract. */
  {
    g_autoptr(BeamTerm) reply = usage_reply (wall_list (1, G_MAXINT64 - 10, G_MAXINT64 - 20),
                                             wall_list (1, G_MAXINT64 - 5, G_MAXINT64),
                                             schedulers, 0, 0);
    g_autoptr(GError) error = NULL;
    g_autoptr(GArray) usage = _beam_scheduler_usage_decode (reply, NULL, &error);

    g_assert_no_error (error);
    g_assert_cmpfloat_with_epsilon (g_array_index (usage, BeamSchedulerUsage, 0).usage, 0.25,
                                    1e-9);
  }

  g_assert_cmpfloat (beam_load_sample_rate (&before, &after, 0, 10), ==, 0);
  g_assert_cmpfloat (beam_load_sample_rate (&after, &before, 0, 10), ==, 0);
  before.time_us = 0;
  after.time_us = G_USEC_PER_SEC;
  g_assert_cmpfloat (beam_load_sample_rate (&before, &after, 0, G_MAXINT64), ==,
                     (double) G_MAXINT64);
  g_assert_cmpfloat (beam_load_sample_rate (&before, &after, 10, 5), ==, 0);
}

/* A load sample's answers, as lists:zipwith3 gives them; takes `wall`. */
static BeamTerm *
sample_reply (BeamTerm *wall,
              gint64    schedulers,
              gint64    dirty_cpu,
              gint64    dirty_io)
{
  BeamTerm *queues = beam_term_new_list (0);
  BeamTerm *memory = beam_term_new_list (1, beam_term_new_tuple (2, beam_term_new_atom ("total"),
                                                                 beam_term_new_integer (1000)));
  BeamTerm *io = beam_term_new_tuple (2,
                                      beam_term_new_tuple (2, beam_term_new_atom ("input"),
                                                           beam_term_new_integer (1)),
                                      beam_term_new_tuple (2, beam_term_new_atom ("output"),
                                                           beam_term_new_integer (2)));
  BeamTerm *pair[3];

  for (guint i = 0; i < G_N_ELEMENTS (pair); i++)
    pair[i] = beam_term_new_tuple (2, beam_term_new_integer (7), beam_term_new_integer (0));
  return beam_term_new_list (11, beam_term_new_integer (123456), wall, queues,
                             beam_term_new_integer (schedulers),
                             beam_term_new_integer (dirty_cpu), memory, io,
                             pair[0], pair[1], pair[2], beam_term_new_integer (dirty_io));
}

/* Finding 3: a sample claiming 100,000 schedulers made the Load page build
 * 100,000 series on the GTK thread. The probe refuses it now, on the
 * network thread, so no history or page ever sees it. */
static void
test_sample_too_many (void)
{
  gint64 schedulers = node_count ("schedulers");
  gint64 dirty_cpu = node_count ("dirty_cpu_schedulers");
  gint64 dirty_io = node_count ("dirty_io_schedulers");
  guint n = (guint) (schedulers + dirty_cpu + dirty_io);
  g_autoptr(BeamTerm) honest = sample_reply (wall_list (n, 1, 2), schedulers, dirty_cpu, dirty_io);
  g_autoptr(BeamTerm) claims = sample_reply (wall_list (100000, 1, 2), schedulers, dirty_cpu,
                                             dirty_io);
  g_autoptr(BeamTerm) counts = sample_reply (wall_list (100000, 1, 2), 100000, 0, 0);
  g_autoptr(BeamTerm) negative = sample_reply (wall_list (1, -1, 2), schedulers, dirty_cpu,
                                               dirty_io);
  g_autoptr(BeamLoadSample) sample = NULL;
  g_autoptr(GError) error = NULL;
  const BeamTerm *refused[] = { claims, counts, negative };

  sample = _beam_load_sample_decode (honest, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sample->wall->len, ==, n);
  g_assert_cmpint (sample->dirty_io_schedulers, ==, dirty_io);

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      gint64 start = g_get_monotonic_time ();
      gpointer none = _beam_load_sample_decode (refused[i], NULL, &error);

      g_assert_null (none);
      g_assert_error (error, BEAM_WIRE_ERROR, BEAM_WIRE_ERROR_BAD_REPLY);
      g_clear_error (&error);
      g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC / 2);
    }
}

/* ---- the history across reconnects -------------------------------------------- */

typedef struct
{
  BeamLoadHistory *history;
  guint            points;
  guint            resets;
} HistoryWatch;

static void
on_reset (HistoryWatch *watch)
{
  watch->resets++;
}

static gboolean
has_points (gpointer data)
{
  HistoryWatch *watch = data;

  return beam_load_history_get_n_points (watch->history) >= watch->points;
}

static gboolean
was_reset_with_points (gpointer data)
{
  HistoryWatch *watch = data;

  return watch->resets > 0 && has_points (watch);
}

static gint64
monotonic_us (BeamTestNode *on)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = beam_test_node_erl_call (on, "erlang", "monotonic_time",
                                                   "[microsecond]", &error);

  g_assert_no_error (error);
  return g_ascii_strtoll (g_strstrip (text), NULL, 10);
}

/* Finding 13: after a node restart, the charts kept the old incarnation's
 * points, whose times are of another clock: flat lines, stubs past the
 * right edge, blank charts. The history now starts over ("reset", which
 * makes the Load page build fresh charts) with a new incarnation, and only
 * with one: a dropped connection to the same node keeps its points. Every
 * point is then the new node's, in order, and the series are no more than
 * the node's schedulers. */
static void
test_history_across_restart (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BeamTestNode) own = beam_test_node_start (NULL, &error);
  g_autoptr(BeamConnection) connection = NULL;
  g_autoptr(BeamLoadHistory) history = NULL;
  HistoryWatch watch = { 0 };
  gint64 restarted_at, now, previous = G_MININT64;
  guint n;

  g_assert_no_error (error);
  connection = beam_test_node_connect (own);
  history = beam_load_history_new (connection);
  beam_load_history_set_interval_ms (history, 100);
  watch.history = history;
  g_signal_connect_swapped (history, "reset", G_CALLBACK (on_reset), &watch);

  watch.points = 15;
  beam_test_wait_until (has_points, &watch, 20000);
  n = beam_load_history_get_n_values (history, BEAM_LOAD_GROUP_USAGE);
  {
    g_autofree char *count = beam_test_node_erl_call (own, "erlang", "system_info",
                                                      "[schedulers]", &error);
    g_autofree char *dirty_cpu = beam_test_node_erl_call (own, "erlang", "system_info",
                                                          "[dirty_cpu_schedulers]", &error);
    g_autofree char *dirty_io = beam_test_node_erl_call (own, "erlang", "system_info",
                                                         "[dirty_io_schedulers]", &error);

    g_assert_cmpuint (n, ==, 1 + g_ascii_strtoull (count, NULL, 10) +
                             g_ascii_strtoull (dirty_cpu, NULL, 10) +
                             g_ascii_strtoull (dirty_io, NULL, 10));
  }

  /* The same node again: the points stay. (The first point laid the
   * history out, which counts as a reset.) */
  watch.resets = 0;
  _beam_connection_drop (connection);
  watch.points = beam_load_history_get_n_points (history) + 3;
  beam_test_wait_until (has_points, &watch, 20000);
  g_assert_cmpuint (watch.resets, ==, 0);

  beam_test_node_kill (own, SIGKILL);
  g_assert_true (beam_test_node_restart (own, &error));
  g_assert_no_error (error);
  restarted_at = monotonic_us (own);
  watch.points = 3;
  beam_test_wait_until (was_reset_with_points, &watch, 30000);
  now = monotonic_us (own);

  g_test_message ("%u resets, %u points after the restart", watch.resets,
                  beam_load_history_get_n_points (history));
  for (guint i = 0; i < beam_load_history_get_n_points (history); i++)
    {
      gint64 t = beam_load_history_get_time (history, i);

      g_assert_cmpint (t, >, previous);
      g_assert_cmpint (t, >=, restarted_at - 5 * G_USEC_PER_SEC);
      g_assert_cmpint (t, <=, now);
      previous = t;
    }
  g_assert_cmpuint (beam_load_history_get_n_values (history, BEAM_LOAD_GROUP_USAGE), ==, n);
  beam_load_history_stop (history);
  g_signal_handlers_disconnect_by_data (history, &watch);
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
  g_test_add_func ("/load/alloc-as-recon", test_alloc_as_recon);
  g_test_add_func ("/load/ets-by-memory", test_ets_by_memory);
  g_test_add_func ("/load/big-heaps", test_big_heaps);
  g_test_add_func ("/load/binary-gc", test_binary_gc);
  g_test_add_func ("/load/samples-and-flag-holder", test_samples_and_flag_holder);
  g_test_add_func ("/load/usage-as-recon", test_usage_as_recon);
  g_test_add_func ("/load/flag-holder-stop", test_flag_holder_stop);
  g_test_add_func ("/load/sampling-during-big-fetch", test_sampling_during_big_fetch);
  g_test_add_func ("/load/sched-too-many", test_sched_too_many);
  g_test_add_func ("/load/near-int64-limits", test_near_int64_limits);
  g_test_add_func ("/load/sample-too-many", test_sample_too_many);
  g_test_add_func ("/load/history-across-restart", test_history_across_restart);

  status = g_test_run ();
  beam_test_node_free (node);
  return status;
}
