/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Diagnostics checks (beam-diagnostics.c) against a fixture node, quiet
 * first, then with each of the seeds' problems started on it
 * (fixtures/beamscope_trouble.erl): every check's status judged against the
 * thresholds below, the right process, table or scheduler named first, what
 * it cost the node filled in; bin_leak finding the process that held
 * garbage binaries; a stopped node giving UNKNOWN within the deadline.
 *
 * The node has small limits, so that a test reaches them: +t 20000 atoms (a
 * fresh node holds about 9,000) and +P 1024 processes. */

#include <math.h>
#include <signal.h>
#include <string.h>

#include "beam-connection.h"
#include "beam-diagnostics.h"
#include "beam-test-node.h"

#define WINDOW_MS 500

static BeamTestNode *node;
static BeamConnection *connection;

/* The thresholds the tests judge with, in each check's unit (not the app's
 * defaults, which are beam_diagnostics_options_init's). */
static void
test_options (BeamDiagnosticsOptions *options)
{
  static const BeamThreshold thresholds[BEAM_N_CHECKS] = {
    [BEAM_CHECK_MESSAGE_QUEUE] = { 1000, 10000 },    /* messages */
    [BEAM_CHECK_QUEUE_GROWTH] = { 100, 10000 },      /* messages over the window */
    [BEAM_CHECK_ATOMS] = { 70, 90 },                 /* % */
    [BEAM_CHECK_BINARY_MEMORY] = { 20, 80 },         /* % */
    [BEAM_CHECK_SCHEDULERS] = { 80, 95 },            /* % */
    [BEAM_CHECK_DIRTY_SCHEDULERS] = { 50, 95 },      /* % */
    [BEAM_CHECK_PROCESS_LIMIT] = { 70, 90 },         /* % */
    [BEAM_CHECK_PORT_LIMIT] = { 70, 90 },            /* % */
    [BEAM_CHECK_ETS_LIMIT] = { 70, 90 },             /* % */
    [BEAM_CHECK_ETS_MEMORY] = { 15, 80 },            /* % of the node's memory */
    [BEAM_CHECK_PROCESS_MEMORY] = { 32 << 20, 512 << 20 },  /* bytes */
    [BEAM_CHECK_MEMORY_GROWTH] = { 10, 200 },        /* % */
  };

  options->window_ms = WINDOW_MS;
  options->top = 5;
  memcpy (options->thresholds, thresholds, sizeof thresholds);
}

static BeamCheckResult *
run_check (BeamCheck check)
{
  g_autoptr(GError) error = NULL;
  BeamDiagnosticsOptions options;
  BeamTestWait wait = { 0 };
  BeamCheckResult *result;

  test_options (&options);
  beam_diagnostics_check_async (connection, check, &options, NULL, beam_test_stash, &wait);
  beam_test_wait_for (&wait.done, (WINDOW_MS + 20000) * BEAM_TEST_SLOWDOWN);
  result = beam_diagnostics_check_finish (wait.result, &error);
  g_object_unref (wait.result);
  g_assert_no_error (error);
  g_assert_nonnull (result);
  g_assert_cmpint (result->check, ==, check);
  g_test_message ("%d: status %d: %s (%" G_GINT64_FORMAT " reductions, %" G_GINT64_FORMAT " us)",
                  check, result->status, result->summary, result->reductions, result->node_us);
  return result;
}

static GPtrArray *
run_all (void)
{
  g_autoptr(GError) error = NULL;
  BeamDiagnosticsOptions options;
  BeamTestWait wait = { 0 };
  GPtrArray *results;

  test_options (&options);
  beam_diagnostics_run_async (connection, &options, NULL, beam_test_stash, &wait);
  beam_test_wait_for (&wait.done, 30000 * BEAM_TEST_SLOWDOWN);
  results = beam_diagnostics_run_finish (wait.result, &error);
  g_object_unref (wait.result);
  g_assert_no_error (error);
  g_assert_cmpuint (results->len, ==, BEAM_N_CHECKS);
  return results;
}

static char * G_GNUC_WARN_UNUSED_RESULT
call (const char *function,
      const char *args)
{
  g_autoptr(GError) error = NULL;
  char *out = beam_test_node_erl_call (node, "beamscope_trouble", function, args, &error);

  g_assert_no_error (error);
  return g_strstrip (out);
}

/* A call whose answer does not matter (stopping a workload). */
static void
run (const char *function,
     const char *args)
{
  g_free (call (function, args));
}

/* What erl_call printed for a pid, <name@host.115.0>, as the probe prints
 * one of the node's own: <0.115.0> */
static char *
call_pid (const char *function,
          const char *args)
{
  g_autofree char *out = call (function, args);
  g_auto(GStrv) parts = g_strsplit (out, ".", -1);
  guint n = g_strv_length (parts);

  g_assert_cmpuint (n, >=, 3);
  g_assert_true (g_str_has_prefix (out, "<"));
  return g_strdup_printf ("<0.%s.%s", parts[n - 2], parts[n - 1]);
}

static const BeamCulprit *
first_culprit (const BeamCheckResult *result)
{
  g_assert_cmpuint (result->culprits->len, >, 0);
  return result->culprits->pdata[0];
}

static const BeamFigure *
figure (const BeamCheckResult *result,
        const char            *label)
{
  for (guint i = 0; i < result->figures->len; i++)
    {
      const BeamFigure *figure = result->figures->pdata[i];

      if (strcmp (figure->label, label) == 0)
        return figure;
    }
  g_error ("no figure %s", label);
}

static void
assert_process_culprit (const BeamCheckResult *result,
                        const char            *pid,
                        const char            *name)
{
  const BeamCulprit *culprit = first_culprit (result);

  g_assert_cmpint (culprit->kind, ==, BEAM_CULPRIT_PROCESS);
  if (pid != NULL)
    g_assert_cmpstr (culprit->id, ==, pid);
  g_assert_cmpstr (culprit->name, ==, name);
  g_assert_nonnull (strstr (result->summary, culprit->id));
}

/* Every check at once on the fixture as it starts: all ok but the
 * fixture's own mailbox of 1,500 messages (beamscope_fixture.erl), a
 * warning that names it. The results come in BeamCheck order, each with
 * its cost. */
static void
test_quiet (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) results = NULL;
  BeamDiagnosticsOptions options;
  BeamTestWait wait = { 0 };
  gint64 started = g_get_monotonic_time ();

  test_options (&options);
  beam_diagnostics_run_async (connection, &options, NULL, beam_test_stash, &wait);
  beam_test_wait_for (&wait.done, 30000 * BEAM_TEST_SLOWDOWN);
  results = beam_diagnostics_run_finish (wait.result, &error);
  g_object_unref (wait.result);
  g_assert_no_error (error);
  g_assert_cmpuint (results->len, ==, BEAM_N_CHECKS);
  /* in parallel: about one window, not one per check that has one */
  g_assert_cmpint (g_get_monotonic_time () - started, <,
                   (3 * WINDOW_MS + 2000) * 1000 * BEAM_TEST_SLOWDOWN);

  for (guint i = 0; i < results->len; i++)
    {
      const BeamCheckResult *result = results->pdata[i];

      g_test_message ("%u: status %d: %s (%" G_GINT64_FORMAT " reductions, %" G_GINT64_FORMAT
                      " us)", i, result->status, result->summary, result->reductions,
                      result->node_us);
      g_assert_cmpint (result->check, ==, i);
      g_assert_nonnull (result->summary);
      g_assert_cmpint (result->reductions, >, 0);
      g_assert_cmpint (result->node_us, >, 0);
      g_assert_cmpint (result->ran_at, >=, started / G_USEC_PER_SEC);
      g_assert_cmpuint (result->figures->len, >, 0);
      g_assert_cmpuint (result->culprits->len, <=, options.top);
      if (i == BEAM_CHECK_MESSAGE_QUEUE)
        {
          g_assert_cmpint (result->status, ==, BEAM_CHECK_WARNING);
          assert_process_culprit (result, NULL, "beamscope_mailbox");
          g_assert_cmpfloat (first_culprit (result)->value, ==, 1500);
          g_assert_cmpstr (first_culprit (result)->detail, ==, "beamscope_fixture:mailbox_owner/0");
        }
      else
        g_assert_cmpint (result->status, ==, BEAM_CHECK_OK);
    }
  /* the window-long checks waited it out on the node */
  g_assert_cmpint (((BeamCheckResult *) results->pdata[BEAM_CHECK_ATOMS])->node_us, >=,
                   WINDOW_MS * 1000);
  /* This first run's programs made their atoms on the node as it scanned
   * them, beside the atoms check: not growth (it was 170 atoms/s, "full in"
   * minutes, before the check counted over its window's second half only). */
  g_assert_cmpfloat (figure (results->pdata[BEAM_CHECK_ATOMS], "atom_growth")->value, ==, 0);
}

static void
test_message_queue (void)
{
  g_autofree char *pid = call_pid ("mailbox", "[20000]");
  g_autoptr(BeamCheckResult) result = run_check (BEAM_CHECK_MESSAGE_QUEUE);

  g_assert_cmpint (result->status, ==, BEAM_CHECK_CRITICAL);
  assert_process_culprit (result, pid, "beamscope_trouble_mailbox");
  g_assert_cmpfloat (first_culprit (result)->value, ==, 20000);
  g_assert_cmpfloat (figure (result, "message_queue")->value, ==, 20000);
  /* the fixture's own mailbox is over the threshold too, and second */
  g_assert_cmpuint (result->culprits->len, ==, 2);
  g_assert_cmpstr (((BeamCulprit *) result->culprits->pdata[1])->name, ==, "beamscope_mailbox");
  g_assert_nonnull (strstr (result->summary, "20,000 messages"));

  /* spelled for an Elixir window (names as the process list shows them),
   * and back */
  beam_check_result_respell (result, BEAM_SYNTAX_ELIXIR);
  g_assert_cmpstr (first_culprit (result)->name, ==, "beamscope_trouble_mailbox");
  g_assert_cmpstr (((BeamCulprit *) result->culprits->pdata[1])->detail, ==,
                   ":beamscope_fixture.mailbox_owner/0");
  g_assert_true (g_str_has_prefix (result->summary, "<0."));
  g_assert_nonnull (strstr (result->summary, " beamscope_trouble_mailbox 20,000 messages"));
  beam_check_result_respell (result, BEAM_SYNTAX_ERLANG);
  g_assert_cmpstr (((BeamCulprit *) result->culprits->pdata[1])->detail, ==,
                   "beamscope_fixture:mailbox_owner/0");
  run ("stop", "[beamscope_trouble_mailbox]");
}

static void
test_queue_growth (void)
{
  g_autofree char *pid = call_pid ("growing_mailbox", "[2000]");
  g_autoptr(BeamCheckResult) result = run_check (BEAM_CHECK_QUEUE_GROWTH);
  g_autoptr(GPtrArray) results = NULL;

  /* 2,000 a second: about 1,000 over the window */
  g_assert_cmpint (result->status, ==, BEAM_CHECK_WARNING);
  assert_process_culprit (result, pid, "beamscope_trouble_sleeper");
  g_assert_cmpfloat (first_culprit (result)->value, >=, 100);
  g_assert_cmpfloat (figure (result, "queue_growth")->value, ==, first_culprit (result)->value);
  g_clear_pointer (&result, beam_check_result_free);

  /* a full run asks both queue checks from one sample of every queue:
   * each judged as alone, each with its share of the cost */
  results = run_all ();
  result = g_ptr_array_steal_index (results, BEAM_CHECK_QUEUE_GROWTH);
  g_assert_cmpint (result->check, ==, BEAM_CHECK_QUEUE_GROWTH);
  g_assert_cmpint (result->status, ==, BEAM_CHECK_WARNING);
  assert_process_culprit (result, pid, "beamscope_trouble_sleeper");
  g_assert_cmpint (result->reductions, >, 0);
  g_assert_cmpint (result->node_us, >=, WINDOW_MS * 1000);
  g_clear_pointer (&result, beam_check_result_free);
  result = g_ptr_array_steal_index (results, BEAM_CHECK_MESSAGE_QUEUE);
  g_assert_cmpint (result->check, ==, BEAM_CHECK_MESSAGE_QUEUE);
  g_assert_cmpint (result->status, >=, BEAM_CHECK_WARNING);
  g_assert_cmpint (result->reductions, >, 0);
  g_assert_cmpint (result->node_us, <, WINDOW_MS * 1000);
  g_clear_pointer (&result, beam_check_result_free);

  run ("stop", "[beamscope_trouble_feeder]");

  /* fed no more: nothing grows */
  result = run_check (BEAM_CHECK_QUEUE_GROWTH);
  g_assert_cmpint (result->status, ==, BEAM_CHECK_OK);
  g_assert_cmpuint (result->culprits->len, ==, 0);
  run ("stop", "[beamscope_trouble_sleeper]");
}

static void
test_atoms (void)
{
  g_autoptr(BeamCheckResult) result = NULL;
  g_autofree char *made = call ("make_atoms", "[75]");

  result = run_check (BEAM_CHECK_ATOMS);
  g_assert_cmpint (result->status, ==, BEAM_CHECK_WARNING);
  g_assert_cmpfloat (figure (result, "atoms")->value, >=, 75);
  g_assert_cmpfloat (figure (result, "atom_count")->max, ==, 20000);
  g_clear_pointer (&result, beam_check_result_free);
  g_clear_pointer (&made, g_free);

  made = call ("make_atoms", "[92]");
  result = run_check (BEAM_CHECK_ATOMS);
  g_assert_cmpint (result->status, ==, BEAM_CHECK_CRITICAL);
  g_assert_cmpfloat (figure (result, "atoms")->value, >=, 92);
  g_assert_cmpfloat (figure (result, "atoms")->value, <, 95);
  g_clear_pointer (&result, beam_check_result_free);

  /* a process making atoms: the growth and the time left at that rate */
  g_clear_pointer (&made, g_free);
  made = call ("grow_atoms", "[96]");
  result = run_check (BEAM_CHECK_ATOMS);
  run ("stop", "[beamscope_trouble_atoms]");
  g_assert_cmpfloat (figure (result, "atom_growth")->value, >, 50);
  g_assert_cmpfloat (figure (result, "atom_exhaustion")->value, >, 0);
  g_assert_nonnull (strstr (result->summary, "full in"));
}

/* Garbage binaries: binary memory high; bin_leak names the process that held
 * them, and after it the binaries are gone. */
static void
test_binaries (void)
{
  g_autofree char *pid = call_pid ("binary_leak", "[2000, 20000]");
  g_autoptr(BeamCheckResult) result = run_check (BEAM_CHECK_BINARY_MEMORY);
  g_autoptr(GPtrArray) leaks = NULL;
  g_autoptr(GError) error = NULL;
  BeamTestWait wait = { 0 };
  const BeamBinLeak *leak;

  g_assert_cmpint (result->status, >=, BEAM_CHECK_WARNING);
  g_assert_cmpint (result->status, <, BEAM_CHECK_UNKNOWN);
  g_assert_cmpfloat (figure (result, "binary")->value, >=, 2000 * 20000);
  g_clear_pointer (&result, beam_check_result_free);

  beam_diagnostics_bin_leak_async (connection, 3, NULL, beam_test_stash, &wait);
  beam_test_wait_for (&wait.done, 30000 * BEAM_TEST_SLOWDOWN);
  leaks = beam_diagnostics_bin_leak_finish (wait.result, &error);
  g_object_unref (wait.result);
  g_assert_no_error (error);
  g_assert_cmpuint (leaks->len, ==, 3);
  leak = leaks->pdata[0];
  g_assert_cmpstr (leak->pid, ==, pid);
  g_assert_cmpint (leak->value, <=, -2000);
  g_assert_cmpstr (leak->name, ==, "beamscope_trouble_binaries");
  g_assert_true (g_str_has_prefix (leak->current_function,
                                   "beamscope_trouble:-binary_leak/2-fun-"));
  /* spawned with a fun, not by proc_lib: its own initial call, as recon says */
  g_assert_cmpstr (leak->initial_call, ==, "erlang:apply/2");
  /* the most freed first */
  for (guint i = 1; i < leaks->len; i++)
    g_assert_cmpint (((BeamBinLeak *) leaks->pdata[i - 1])->value, <=,
                     ((BeamBinLeak *) leaks->pdata[i])->value);

  result = run_check (BEAM_CHECK_BINARY_MEMORY);
  g_assert_cmpint (result->status, ==, BEAM_CHECK_OK);
  g_assert_cmpfloat (figure (result, "binary")->value, <, 2000 * 20000);
  run ("stop", "[beamscope_trouble_binaries]");
}

static void
test_schedulers (void)
{
  g_autofree char *spinners = call ("spin", "[]");
  g_autoptr(BeamCheckResult) result = run_check (BEAM_CHECK_SCHEDULERS);

  run ("stop_spin", "[]");
  g_assert_cmpint (result->status, >=, BEAM_CHECK_WARNING);
  g_assert_cmpint (result->status, <, BEAM_CHECK_UNKNOWN);
  g_assert_cmpint (first_culprit (result)->kind, ==, BEAM_CULPRIT_SCHEDULER);
  g_assert_cmpfloat (first_culprit (result)->value, >=, 80);
  g_assert_cmpfloat (figure (result, "schedulers")->value, >=, 80);
  g_assert_cmpfloat (figure (result, "run_queue")->value, >=, 0);
  g_clear_pointer (&result, beam_check_result_free);

  result = run_check (BEAM_CHECK_SCHEDULERS);
  g_assert_cmpint (result->status, ==, BEAM_CHECK_OK);
}

/* Collections of big heaps keep the dirty CPU schedulers busy (two such
 * processes measured 65 % of both on a 2-core machine). */
static void
test_dirty_schedulers (void)
{
  g_autofree char *holder = call ("dirty_spin", "[4]");
  g_autoptr(BeamCheckResult) result = run_check (BEAM_CHECK_DIRTY_SCHEDULERS);
  g_autofree char *schedulers = NULL;
  g_autoptr(GError) error = NULL;

  run ("stop", "[beamscope_trouble_dirty]");
  schedulers = beam_test_node_erl_call (node, "erlang", "system_info", "[schedulers]", &error);
  g_assert_no_error (error);
  g_assert_cmpint (result->status, >=, BEAM_CHECK_WARNING);
  g_assert_cmpint (result->status, <, BEAM_CHECK_UNKNOWN);
  g_assert_cmpint (first_culprit (result)->kind, ==, BEAM_CULPRIT_SCHEDULER);
  /* the dirty CPU schedulers are numbered after the normal ones */
  g_assert_cmpint (g_ascii_strtoll (first_culprit (result)->id, NULL, 10), >,
                   g_ascii_strtoll (schedulers, NULL, 10));
  g_clear_pointer (&result, beam_check_result_free);

  result = run_check (BEAM_CHECK_DIRTY_SCHEDULERS);
  g_assert_cmpint (result->status, ==, BEAM_CHECK_OK);
}

static void
test_ets_memory (void)
{
  g_autofree char *bytes = call ("big_table", "[60000]");
  g_autoptr(BeamCheckResult) result = run_check (BEAM_CHECK_ETS_MEMORY);
  const BeamCulprit *culprit;

  g_assert_cmpint (result->status, >=, BEAM_CHECK_WARNING);
  g_assert_cmpint (result->status, <, BEAM_CHECK_UNKNOWN);
  culprit = first_culprit (result);
  g_assert_cmpint (culprit->kind, ==, BEAM_CULPRIT_TABLE);
  g_assert_cmpstr (culprit->id, ==, "beamscope_trouble_table");
  g_assert_cmpstr (culprit->name, ==, "beamscope_trouble_table");
  g_assert_nonnull (strstr (culprit->detail, "beamscope_trouble_owner"));
  g_assert_cmpfloat (figure (result, "ets_biggest")->value, ==,
                     g_ascii_strtoll (bytes, NULL, 10));
  run ("stop", "[beamscope_trouble_owner]");
}

static void
test_process_memory (void)
{
  g_autofree char *pid = call_pid ("big_heap", "[3000000]");
  g_autoptr(BeamCheckResult) result = run_check (BEAM_CHECK_PROCESS_MEMORY);

  /* 3,000,000 cons cells: 2 words each */
  g_assert_cmpint (result->status, ==, BEAM_CHECK_WARNING);
  assert_process_culprit (result, pid, "beamscope_trouble_heap");
  g_assert_cmpfloat (first_culprit (result)->value, >=, 3000000.0 * 2 * 8);
  run ("stop", "[beamscope_trouble_heap]");
}

static void
test_memory_growth (void)
{
  g_autofree char *pid = call_pid ("grow_memory", "[20000, 3000]");
  g_autoptr(BeamCheckResult) result = run_check (BEAM_CHECK_MEMORY_GROWTH);

  /* 20,000 cons cells every 10 ms: about 16 MB a second */
  run ("stop", "[beamscope_trouble_grower]");
  g_assert_cmpint (result->status, >=, BEAM_CHECK_WARNING);
  g_assert_cmpint (result->status, <, BEAM_CHECK_UNKNOWN);
  assert_process_culprit (result, pid, "beamscope_trouble_grower");
}

static void
test_process_limit (void)
{
  g_autofree char *count = call ("spawn_idle", "[800]");
  g_autoptr(BeamCheckResult) result = run_check (BEAM_CHECK_PROCESS_LIMIT);

  g_assert_cmpint (result->status, >=, BEAM_CHECK_WARNING);
  g_assert_cmpint (result->status, <, BEAM_CHECK_UNKNOWN);
  g_assert_cmpfloat (figure (result, "process_count")->max, ==, 1024);
  run ("stop", "[beamscope_trouble_idle]");
}

/* A stopped node: every check UNKNOWN with the reason, within the
 * deadline, none hanging. */
static void
test_stopped_node (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) results = NULL;
  BeamDiagnosticsOptions options;
  BeamTestWait wait = { 0 };
  gint64 started;

  test_options (&options);
  beam_connection_set_request_timeout (connection, 2000);
  beam_test_node_kill (node, SIGSTOP);
  started = g_get_monotonic_time ();
  beam_diagnostics_run_async (connection, &options, NULL, beam_test_stash, &wait);
  beam_test_wait_for (&wait.done, (WINDOW_MS + 2000 + 3000) * BEAM_TEST_SLOWDOWN);
  g_test_message ("all unknown after %.0f ms", (g_get_monotonic_time () - started) / 1000.0);
  beam_test_node_kill (node, SIGCONT);
  beam_connection_set_request_timeout (connection, 0);
  results = beam_diagnostics_run_finish (wait.result, &error);
  g_object_unref (wait.result);
  g_assert_no_error (error);
  for (guint i = 0; i < results->len; i++)
    {
      const BeamCheckResult *result = results->pdata[i];

      g_assert_cmpint (result->status, ==, BEAM_CHECK_UNKNOWN);
      g_assert_nonnull (result->summary);
      g_assert_cmpint (result->reductions, ==, -1);
    }
}

/* A cancelled run fails as cancelled, not as UNKNOWN checks. */
static void
test_cancelled (void)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  BeamDiagnosticsOptions options;
  BeamTestWait wait = { 0 };

  test_options (&options);
  beam_diagnostics_run_async (connection, &options, cancellable, beam_test_stash, &wait);
  g_cancellable_cancel (cancellable);
  beam_test_wait_for (&wait.done, 5000 * BEAM_TEST_SLOWDOWN);
  g_assert_null (beam_diagnostics_run_finish (wait.result, &error));
  g_object_unref (wait.result);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

int
main (int   argc,
      char *argv[])
{
  static const char *args[] = { "+t", "20000", "+P", "1024", NULL };
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  g_assert_true (beam_connection_init_process (&error));
  node = beam_test_node_start (args, &error);
  g_assert_no_error (error);
  connection = beam_test_node_connect (node);

  g_test_add_func ("/diagnostics/quiet", test_quiet);
  g_test_add_func ("/diagnostics/message-queue", test_message_queue);
  g_test_add_func ("/diagnostics/queue-growth", test_queue_growth);
  g_test_add_func ("/diagnostics/binaries", test_binaries);
  g_test_add_func ("/diagnostics/schedulers", test_schedulers);
  g_test_add_func ("/diagnostics/dirty-schedulers", test_dirty_schedulers);
  g_test_add_func ("/diagnostics/ets-memory", test_ets_memory);
  g_test_add_func ("/diagnostics/process-memory", test_process_memory);
  g_test_add_func ("/diagnostics/memory-growth", test_memory_growth);
  g_test_add_func ("/diagnostics/process-limit", test_process_limit);
  g_test_add_func ("/diagnostics/atoms", test_atoms);
  g_test_add_func ("/diagnostics/cancelled", test_cancelled);
  g_test_add_func ("/diagnostics/stopped-node", test_stopped_node);
  status = g_test_run ();

  beam_connection_close (connection);
  g_clear_object (&connection);
  beam_test_node_free (node);
  return status;
}
