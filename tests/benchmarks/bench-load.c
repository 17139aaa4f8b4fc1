/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Issue 4, reductions: what the Load page's sampling costs the node, against
 * observer's observer_backend:fetch_stats/2 doing that job at the same
 * interval, on the same node in the same run.
 *
 * The fixture node's busy process is stopped first, so that the node is
 * quiet; its counter, erlang:statistics(reductions), then moves only for
 * what is asked of it. Both sides read it with the same rex request (ours
 * through the C-node, the baseline's by hand as a C-node sends it), each
 * sampler runs for N samples at the interval, and each is set against an
 * idle stretch of the same length read by the same reader: what is left is
 * the sampling, whichever processes did it (rex's workers are gone by the
 * time one could ask them). Counted for Beamscope: the flag holder's start
 * and N beam_load_sample_async calls, each after the interval, as the page
 * does; for observer: spawning the fetcher and its N {stats, ...} messages.
 * Neither side's stopping is counted. Medians over rounds.
 *
 * Beamscope's sample asks more (run queues, reductions, garbage collections,
 * context switches as well as wall times, IO and memory), through erl_eval
 * and a rex worker; observer's is a compiled loop on the node. JSON lines.
 * BEAMSCOPE_BENCH_LOAD_INTERVAL_MS (default 100), BEAMSCOPE_BENCH_LOAD_SAMPLES
 * (default 50) and BEAMSCOPE_BENCH_LOAD_ROUNDS (default 3) change the run. */

#include <json-glib/json-glib.h>

#include "beam-bench.h"
#include "beam-connection.h"
#include "beam-erl-expr.h"
#include "beam-load-sample.h"
#include "beam-test-node.h"

static void
run_until (BeamTestWait *wait)
{
  beam_test_wait_for (&wait->done, 30000);
  wait->done = FALSE;
}

static double
now_ms (void)
{
  return g_get_monotonic_time () / 1000.0;
}

static guint
env_uint (const char *name,
          guint       fallback)
{
  const char *text = g_getenv (name);

  return text != NULL ? (guint) g_ascii_strtoull (text, NULL, 10) : fallback;
}

static double
median (double *values,
        guint   n)
{
  qsort (values, n, sizeof (double), beam_bench_compare_doubles);
  return values[n / 2];
}

/* The node's reductions so far: erlang:statistics(reductions) through rex. */
static gint64
reductions (BeamConnection *connection)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BeamTerm) reply = NULL;
  BeamTestWait wait = { 0 };
  gint64 total = -1;

  beam_connection_rpc_async (connection, "erlang", "statistics",
                             beam_term_new_list (1, beam_term_new_atom ("reductions")), 10000,
                             NULL, beam_test_stash, &wait);
  run_until (&wait);
  reply = beam_connection_rpc_finish (connection, wait.result, &error);
  g_clear_object (&wait.result);
  g_assert_no_error (error);
  g_assert_true (reply->kind == BEAM_TERM_TUPLE && reply->n_children == 2);
  g_assert_true (beam_term_get_int64 (reply->children[0], &total));
  return total;
}

typedef struct
{
  gint64 reductions;
  double ms;
} Stretch;

static Stretch
idle (BeamConnection *connection,
      guint           ms)
{
  gint64 before = reductions (connection);
  double start = now_ms ();

  beam_test_run_for (ms);
  return (Stretch) { reductions (connection) - before, now_ms () - start };
}

static BeamTerm *
start_holder (BeamConnection *connection)
{
  g_autoptr(GError) error = NULL;
  BeamTestWait wait = { 0 };
  BeamTerm *holder;

  beam_load_sample_flag_holder_start_async (connection, NULL, beam_test_stash, &wait);
  run_until (&wait);
  holder = beam_load_sample_flag_holder_start_finish (wait.result, &error);
  g_clear_object (&wait.result);
  g_assert_no_error (error);
  return holder;
}

/* How many wall times the sample holds: none until the holder has run. */
static guint
sample (BeamConnection *connection)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BeamLoadSample) result = NULL;
  BeamTestWait wait = { 0 };

  beam_load_sample_async (connection, NULL, beam_test_stash, &wait);
  run_until (&wait);
  result = beam_load_sample_finish (wait.result, &error);
  g_clear_object (&wait.result);
  g_assert_no_error (error);
  return result->wall->len;
}

/* As the Load page samples: the holder, then a sample, the interval, a
 * sample... The holder is stopped after the count. */
static Stretch
beamscope (BeamConnection *connection,
           guint           interval_ms,
           guint           samples)
{
  gint64 before = reductions (connection);
  double start = now_ms ();
  g_autoptr(BeamTerm) holder = start_holder (connection);
  Stretch stretch;
  guint wall_times = 0;

  for (guint i = 0; i < samples; i++)
    {
      if (i > 0)
        beam_test_run_for (interval_ms);
      wall_times = sample (connection);
    }
  g_assert_cmpuint (wall_times, >, 0);  /* the holder's flag was up */
  stretch = (Stretch) { reductions (connection) - before, now_ms () - start };
  beam_load_sample_flag_holder_stop (connection, holder);
  beam_test_run_for (300);
  return stretch;
}

/* An Erlang hidden node running observer's fetcher: its idle stretch and
 * its fetch_stats stretch. */
static void
observer (BeamTestNode *node,
          guint         interval_ms,
          guint         samples,
          Stretch      *idle_out,
          Stretch      *fetch_out)
{
  g_autofree char *alive = g_strdup_printf ("bench_%u", g_random_int ());
  g_autofree char *interval = g_strdup_printf ("%u", interval_ms);
  g_autofree char *n = g_strdup_printf ("%u", samples);
  const char *argv[] = { "erl", "-sname", alive, "-hidden", "-setcookie", node->cookie, "-noshell",
                         "-pa", g_getenv ("BEAMSCOPE_BENCH_EBIN"),
                         "-run", "bench_baseline", "main", "fetch_stats", node->name, interval, n,
                         NULL };
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *figures;
  int status;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                               &out, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_assert_true (json_parser_load_from_data (parser, out, -1, &error));
  g_assert_no_error (error);
  figures = json_node_get_object (json_parser_get_root (parser));
  *idle_out = (Stretch) { json_object_get_int_member (figures, "idle_reductions"),
                          json_object_get_double_member (figures, "idle_ms") };
  *fetch_out = (Stretch) { json_object_get_int_member (figures, "observer_reductions"),
                           json_object_get_double_member (figures, "observer_ms") };
}

static void
rpc (BeamConnection *connection,
     const char     *module,
     const char     *function,
     BeamTerm       *args)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BeamTerm) reply = NULL;
  BeamTestWait wait = { 0 };

  beam_connection_rpc_async (connection, module, function, args, 10000, NULL, beam_test_stash,
                             &wait);
  run_until (&wait);
  reply = beam_connection_rpc_finish (connection, wait.result, &error);
  g_clear_object (&wait.result);
  g_assert_no_error (error);
}

/* erlang:node(): any call through rex. */
static void
call_node (BeamConnection *connection)
{
  rpc (connection, "erlang", "node", beam_term_new_list (0));
}

/* erl_eval:exprs([ok], []): the interpreter's fixed cost on top. */
static void
call_eval_ok (BeamConnection *connection)
{
  GPtrArray *expressions = g_ptr_array_new ();

  g_ptr_array_add (expressions, beam_erl_atom ("ok"));
  rpc (connection, "erl_eval", "exprs", beam_erl_eval_args (expressions, NULL));
}

static void
call_sample (BeamConnection *connection)
{
  sample (connection);
}

/* Reductions per call of `calls` calls back to back, less one read's own. */
static double
per_call (BeamConnection *connection,
          void          (*call) (BeamConnection *),
          guint           calls)
{
  gint64 first = reductions (connection);
  gint64 second = reductions (connection);

  for (guint i = 0; i < calls; i++)
    call (connection);
  return (reductions (connection) - second - (second - first)) / (double) calls;
}

/* The stretch's reductions less the idle stretch's, scaled to its length,
 * per sample. */
static double
per_sample (Stretch busy,
            Stretch quiet,
            guint   samples)
{
  return (busy.reductions - quiet.reductions * (busy.ms / quiet.ms)) / samples;
}

int
main (int    argc G_GNUC_UNUSED,
      char **argv G_GNUC_UNUSED)
{
  guint interval_ms = env_uint ("BEAMSCOPE_BENCH_LOAD_INTERVAL_MS", 100);
  guint samples = env_uint ("BEAMSCOPE_BENCH_LOAD_SAMPLES", 50);
  guint rounds = MAX (env_uint ("BEAMSCOPE_BENCH_LOAD_ROUNDS", 3), 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(BeamTestNode) node = NULL;
  g_autoptr(BeamConnection) connection = NULL;
  g_autofree char *stopped = NULL;
  g_autofree double *ours = g_new (double, rounds);
  g_autofree double *theirs = g_new (double, rounds);
  g_autofree double *idle_rate = g_new (double, rounds);
  g_autofree double *idle_rate_erlang = g_new (double, rounds);
  double ours_median, theirs_median;
  BeamTestWait wait = { 0 };

  g_assert_true (beam_connection_init_process (NULL));
  node = beam_test_node_start (NULL, &error);
  g_assert_no_error (error);
  /* A quiet node: the fixture's busy loop would drown the signal. */
  stopped = beam_test_node_erl_call (node, "supervisor", "terminate_child",
                                     "[beamscope_fixture_sup, busy]", &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (stopped, "ok"));

  connection = beam_connection_new (node->name, node->cookie);
  beam_connection_connect_async (connection, 5000, NULL, beam_test_stash, &wait);
  run_until (&wait);
  g_assert_true (beam_connection_connect_finish (connection, wait.result, &error));
  g_clear_object (&wait.result);

  /* Warm-up: modules loaded, first calls made, on both paths. */
  beamscope (connection, interval_ms, 2);
  beam_test_run_for (1000);

  for (guint r = 0; r < rounds; r++)
    {
      Stretch quiet = idle (connection, interval_ms * samples);
      Stretch busy = beamscope (connection, interval_ms, samples);
      Stretch erlang_quiet, erlang_busy;

      observer (node, interval_ms, samples, &erlang_quiet, &erlang_busy);
      ours[r] = per_sample (busy, quiet, samples);
      theirs[r] = per_sample (erlang_busy, erlang_quiet, samples);
      idle_rate[r] = quiet.reductions / (quiet.ms / 1000);
      idle_rate_erlang[r] = erlang_quiet.reductions / (erlang_quiet.ms / 1000);
      g_print ("{\"benchmark\": \"load sampling reductions: round %u\", \"interval_ms\": %u, "
               "\"samples\": %u, "
               "\"beamscope_reductions\": %" G_GINT64_FORMAT ", \"beamscope_ms\": %.0f, "
               "\"beamscope_idle_reductions\": %" G_GINT64_FORMAT ", \"beamscope_idle_ms\": %.0f, "
               "\"observer_reductions\": %" G_GINT64_FORMAT ", \"observer_ms\": %.0f, "
               "\"observer_idle_reductions\": %" G_GINT64_FORMAT ", \"observer_idle_ms\": %.0f, "
               "\"beamscope_per_sample\": %.0f, \"observer_per_sample\": %.0f}\n",
               r + 1, interval_ms, samples, busy.reductions, busy.ms, quiet.reductions, quiet.ms,
               erlang_busy.reductions, erlang_busy.ms, erlang_quiet.reductions, erlang_quiet.ms,
               ours[r], theirs[r]);
    }

  g_print ("{\"benchmark\": \"load sampling reductions (median of %u rounds)\", "
           "\"interval_ms\": %u, "
           "\"samples\": %u, \"node_idle_reductions_per_s\": %.0f, "
           "\"node_idle_reductions_per_s_erlang_reader\": %.0f, ",
           rounds, interval_ms, samples, median (idle_rate, rounds),
           median (idle_rate_erlang, rounds));
  ours_median = median (ours, rounds);
  theirs_median = median (theirs, rounds);
  g_print ("\"beamscope_reductions_per_sample\": %.0f, "
           "\"observer_fetch_stats_reductions_per_sample\": %.0f, "
           "\"ratio\": %.2f, \"target\": \"at most observer's per sample\", \"verdict\": \"%s\"}\n",
           ours_median, theirs_median, ours_median / theirs_median,
           ours_median <= theirs_median ? "pass" : "fail");

  /* Where a sample's reductions go: any call through rex, erl_eval's own
   * cost, then the sample (the holder's flag up, as when the page samples). */
  {
    double rex_floor = per_call (connection, call_node, samples);
    double eval_floor = per_call (connection, call_eval_ok, samples);
    g_autoptr(BeamTerm) holder = start_holder (connection);
    double sample_cost;

    beam_test_run_for (300);
    sample_cost = per_call (connection, call_sample, samples);
    beam_load_sample_flag_holder_stop (connection, holder);
    g_print ("{\"benchmark\": \"load sampling reductions: where they go "
             "(per call, back to back)\", "
             "\"rex_call_erlang_node\": %.0f, \"rex_call_erl_eval_exprs_ok\": %.0f, "
             "\"beamscope_sample\": %.0f}\n",
             rex_floor, eval_floor, sample_cost);
  }

  beam_connection_close (connection);
  return 0;
}
