/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Cluster page's sample (probe/beam-cluster-sample, issue 17) against
 * real nodes: a fixture node connected to a peer. The plain and the scan
 * form's figures hold together (counts within limits, memory parts within
 * the total, the peer listed, our own connection not), the scan finds the
 * fixture's 1500-message mailbox and is skipped past its limit, utilisation
 * comes from two samples once the flag holder runs; the decoder refuses
 * every reply a node could not have sent. Prints the reductions each form
 * costs the node. */

#include <string.h>

#include "beam-cluster-sample-private.h"
#include "beam-erl-expr.h"
#include "beam-term-printer.h"
#include "beam-test-node.h"
#include "beam-wire-error.h"

/* The fixture's registered process with exactly this many messages waiting
 * (tests/fixtures/beamscope_fixture.erl, ?MAILBOX_LEN). */
#define MAILBOX_NAME "beamscope_mailbox"
#define MAILBOX_LEN  1500
#define SCAN_LIMIT   500000
#define TIMEOUT_MS   5000

static BeamTestNode *node;
static BeamTestNode *peer;
static BeamConnection *connection;

static BeamClusterSample *
sample_with (BeamConnection *with,
             gboolean        scan,
             guint           scan_limit,
             GError        **error)
{
  BeamTestWait wait = { 0 };
  BeamClusterSample *sample;

  beam_cluster_sample_async (with, scan, scan_limit, TIMEOUT_MS, NULL, beam_test_stash, &wait);
  beam_test_wait_for (&wait.done, TIMEOUT_MS + 10000);
  sample = beam_cluster_sample_finish (wait.result, error);
  g_object_unref (wait.result);
  return sample;
}

static BeamClusterSample *
take_sample (gboolean scan,
             guint    scan_limit)
{
  g_autoptr(GError) error = NULL;
  BeamClusterSample *sample = sample_with (connection, scan, scan_limit, &error);

  g_assert_no_error (error);
  g_assert_nonnull (sample);
  return sample;
}

static BeamTerm *
rpc (const char *module,
     const char *function,
     BeamTerm   *args)
{
  g_autoptr(GError) error = NULL;
  BeamTestWait wait = { 0 };
  BeamTerm *reply;

  beam_connection_rpc_async (connection, module, function, args, TIMEOUT_MS, NULL,
                             beam_test_stash, &wait);
  beam_test_wait_for (&wait.done, TIMEOUT_MS + 10000);
  reply = beam_connection_rpc_finish (connection, wait.result, &error);
  g_object_unref (wait.result);
  g_assert_no_error (error);
  return reply;
}

static void
assert_figures (const BeamClusterSample *sample)
{
  const char *own = beam_connection_get_local_node (connection);

  g_assert_cmpstr (sample->node, ==, node->name);
  g_assert_cmpstr (sample->otp_release, ==, "25");
  g_assert_cmpint (sample->uptime_ms, >, 0);
  g_assert_cmpint (sample->process_count, >, 0);
  g_assert_cmpint (sample->process_count, <=, sample->process_limit);
  g_assert_cmpint (sample->atom_count, >, 0);
  g_assert_cmpint (sample->atom_count, <=, sample->atom_limit);
  g_assert_cmpint (sample->memory_binary, >, 0);
  g_assert_cmpint (sample->memory_ets, >, 0);
  g_assert_cmpint (sample->memory_total, >=, sample->memory_binary + sample->memory_ets);
  g_assert_cmpint (sample->schedulers, >=, 1);
  g_assert_cmpint (sample->run_queue, >=, 0);

  /* The peer is the node's visible neighbour; we are one of its hidden
   * nodes, and left out. */
  g_assert_true (g_strv_contains ((const char * const *) sample->visible, peer->name));
  g_assert_nonnull (sample->hidden);
  g_assert_false (g_strv_contains ((const char * const *) sample->hidden, own));
  g_assert_false (g_strv_contains ((const char * const *) sample->visible, own));
}

static void
test_plain (void)
{
  g_autoptr(BeamClusterSample) first = take_sample (FALSE, SCAN_LIMIT);
  g_autoptr(BeamClusterSample) second = take_sample (FALSE, SCAN_LIMIT);
  g_autoptr(BeamTerm) hidden = NULL;
  g_autofree char *hidden_text = NULL;

  assert_figures (first);
  g_assert_false (first->scanned);
  g_assert_cmpint (first->max_queue, ==, -1);
  g_assert_cmpint (first->queue_skipped_count, ==, 0);
  g_assert_null (first->max_queue_pid);
  g_assert_null (first->max_queue_name);
  g_assert_cmpint (first->reductions, ==, -1);

  /* One incarnation, its clock running. */
  g_assert_cmpuint (second->creation, ==, first->creation);
  g_assert_cmpint (second->time_ms, >=, first->time_ms);
  g_assert_cmpint (second->uptime_ms, >=, first->uptime_ms);
  g_assert_cmpint (second->uptime_ms - first->uptime_ms, ==, second->time_ms - first->time_ms);

  /* What was left out is really there. */
  hidden = rpc ("erlang", "nodes", beam_term_new_list (1, beam_term_new_atom ("hidden")));
  hidden_text = beam_term_print (hidden, NULL);
  g_assert_nonnull (strstr (hidden_text, beam_connection_get_local_node (connection)));
}

static void
test_scan (void)
{
  g_autoptr(BeamClusterSample) sample = take_sample (TRUE, SCAN_LIMIT);

  assert_figures (sample);
  g_assert_true (sample->scanned);
  g_assert_cmpint (sample->queue_skipped_count, ==, 0);
  g_assert_cmpint (sample->max_queue, >=, MAILBOX_LEN);
  g_assert_cmpstr (sample->max_queue_name, ==, MAILBOX_NAME);
  g_assert_true (g_str_has_prefix (sample->max_queue_pid, "<0."));
  g_assert_cmpint (sample->reductions, >, 0);
  g_test_message ("scan sample: %" G_GINT64_FORMAT " reductions", sample->reductions);
}

static void
test_scan_skipped (void)
{
  g_autoptr(BeamClusterSample) sample = take_sample (TRUE, 10);

  assert_figures (sample);
  g_assert_true (sample->scanned);
  g_assert_cmpint (sample->max_queue, ==, -1);
  g_assert_cmpint (sample->queue_skipped_count, >, 10);
  g_assert_null (sample->max_queue_pid);
  g_assert_null (sample->max_queue_name);
  g_assert_cmpint (sample->reductions, >, 0);
}

static BeamTerm *
start_holder (void)
{
  g_autoptr(GError) error = NULL;
  BeamTestWait wait = { 0 };
  BeamTerm *holder;

  beam_load_sample_flag_holder_start_async (connection, NULL, beam_test_stash, &wait);
  beam_test_wait_for (&wait.done, TIMEOUT_MS + 10000);
  holder = beam_load_sample_flag_holder_start_finish (wait.result, &error);
  g_object_unref (wait.result);
  g_assert_no_error (error);
  return holder;
}

static gboolean
wall_undefined (gpointer data G_GNUC_UNUSED)
{
  g_autoptr(BeamClusterSample) sample = take_sample (FALSE, SCAN_LIMIT);

  return sample->wall->len == 0;
}

static void
test_usage (void)
{
  g_autoptr(BeamClusterSample) without = take_sample (FALSE, SCAN_LIMIT);
  g_autoptr(BeamClusterSample) before = NULL;
  g_autoptr(BeamClusterSample) after = NULL;
  g_autoptr(BeamClusterSample) scanned = NULL;
  g_autoptr(BeamTerm) holder = NULL;
  double usage = -1;

  /* Nothing raised the flag yet: no wall times, no usage. */
  g_assert_cmpuint (without->wall->len, ==, 0);

  holder = start_holder ();
  before = take_sample (FALSE, SCAN_LIMIT);
  g_assert_cmpuint (before->wall->len, >=, (guint) before->schedulers);
  g_assert_false (beam_cluster_sample_usage (without, before, &usage));

  beam_test_run_for (500);
  after = take_sample (FALSE, SCAN_LIMIT);
  g_assert_true (beam_cluster_sample_usage (before, after, &usage));
  g_assert_cmpfloat (usage, >=, 0.0);
  g_assert_cmpfloat (usage, <=, 1.0);
  /* The fixture's beamscope_busy works two ms in three. */
  g_assert_cmpfloat (usage, >, 0.0);
  g_test_message ("usage over 500 ms: %.3f", usage);

  /* The scan form carries the same wall times. */
  beam_test_run_for (200);
  scanned = take_sample (TRUE, SCAN_LIMIT);
  g_assert_true (beam_cluster_sample_usage (after, scanned, &usage));
  g_assert_cmpfloat (usage, >=, 0.0);
  g_assert_cmpfloat (usage, <=, 1.0);

  /* Backwards, the totals do not grow. */
  g_assert_false (beam_cluster_sample_usage (after, before, &usage));

  /* The holder lets the flag go when it stops. */
  beam_load_sample_flag_holder_stop (connection, holder);
  beam_test_wait_until (wall_undefined, NULL, 10000);
}

/* ------------------------------------------------------------------------ */
/* The decoder on replies no node sends                                      */

/* The plain sample's answer as the node gives it, asked without the decoder. */
static BeamTerm *
real_figures (void)
{
  BeamTerm *modules, *functions, *arguments;

  _beam_cluster_sample_lists (&modules, &functions, &arguments);
  return rpc ("lists", "zipwith3",
              beam_term_new_list (4, beam_term_new_export_fun ("erlang", "apply", 3),
                                  modules, functions, arguments));
}

static BeamTerm *
scan_reply (BeamTerm *figures,
            BeamTerm *queue,
            BeamTerm *reductions)
{
  return beam_term_new_tuple (3, beam_term_new_atom ("value"),
                              beam_term_new_tuple (3, figures, queue, reductions),
                              beam_term_new_list (0));
}

/* n node names, n0000@host and on. */
static BeamTerm *
node_names (guint n)
{
  GPtrArray *list = g_ptr_array_new ();

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *name = g_strdup_printf ("n%04u@host", i);

      g_ptr_array_add (list, beam_term_new_atom (name));
    }
  return beam_term_new_list_take (list);
}

static BeamTerm *
wall_entry (gint64 id,
            gint64 active,
            gint64 total)
{
  return beam_term_new_tuple (3, beam_term_new_integer (id), beam_term_new_integer (active),
                              beam_term_new_integer (total));
}

static BeamTerm *
memory (gint64 total,
        gint64 binary,
        gint64 ets)
{
  return beam_term_new_list (3,
                             beam_term_new_tuple (2, beam_term_new_atom ("total"),
                                                  beam_term_new_integer (total)),
                             beam_term_new_tuple (2, beam_term_new_atom ("binary"),
                                                  beam_term_new_integer (binary)),
                             beam_term_new_tuple (2, beam_term_new_atom ("ets"),
                                                  beam_term_new_integer (ets)));
}

static BeamClusterSample *
decode (const BeamTerm *reply,
        gboolean        scan,
        GError        **error)
{
  return _beam_cluster_sample_decode (reply, GINT_TO_POINTER (scan), error);
}

static void
assert_refused (const BeamTerm *reply,
                gboolean        scan,
                const char     *what)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BeamClusterSample) sample = decode (reply, scan, &error);

  if (sample != NULL)
    g_error ("decoded %s", what);
  g_assert_error (error, BEAM_WIRE_ERROR, BEAM_WIRE_ERROR_BAD_REPLY);
}

/* The scan's answer when every queue is empty: {0, none, []}. */
static BeamTerm *
no_queue (void)
{
  return beam_term_new_tuple (3, beam_term_new_integer (0), beam_term_new_atom ("none"),
                              beam_term_new_list (0));
}

/* The real answer with its call `call` answered `value` (taken) instead. */
static void
assert_refused_with (const BeamTerm        *figures,
                     BeamClusterSampleCall  call,
                     BeamTerm              *value,
                     const char            *what)
{
  g_autoptr(BeamTerm) copy = beam_term_copy (figures);
  g_autoptr(BeamTerm) reply = NULL;

  beam_term_free (copy->children[call]);
  copy->children[call] = value;
  assert_refused (copy, FALSE, what);
  /* The same figures inside a scan's answer. */
  reply = scan_reply (g_steal_pointer (&copy), no_queue (), beam_term_new_integer (1));
  assert_refused (reply, TRUE, what);
}

static void
test_decode_malformed (void)
{
  g_autoptr(BeamTerm) figures = real_figures ();
  g_autoptr(BeamClusterSample) honest = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *own = g_strdup (beam_connection_get_local_node (connection));
  const BeamTerm *node_name = figures->children[BEAM_CLUSTER_SAMPLE_CALL_NODE];
  g_autoptr(BeamTerm) other_pid = NULL;
  g_autoptr(BeamTerm) pid = NULL;

  /* The real answer reads. */
  honest = decode (figures, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (honest->node, ==, node->name);
  g_assert_false (g_strv_contains ((const char * const *) honest->hidden, own));

  /* A term in place of any one answer, the wrong kind for each. */
  for (guint i = 0; i < BEAM_CLUSTER_SAMPLE_N_CALLS; i++)
    assert_refused_with (figures, i, beam_term_new_tuple (0), "a tuple for a figure");

  /* Wrong shapes of the whole. */
  assert_refused (node_name, FALSE, "an atom");
  {
    g_autoptr(BeamTerm) shorter = beam_term_copy (figures);

    beam_term_free (shorter->children[--shorter->n_children]);
    assert_refused (shorter, FALSE, "one answer short");
  }
  assert_refused (figures, TRUE, "the plain answer for a scan");

#define REFUSED(call, value) \
  assert_refused_with (figures, BEAM_CLUSTER_SAMPLE_CALL_##call, (value), #call " = " #value)
  REFUSED (NODE, beam_term_new_atom ("no_at_sign"));
  REFUSED (OWN_NODE, beam_term_new_integer (1));
  REFUSED (CREATION, beam_term_new_integer (-1));
  REFUSED (CREATION, beam_term_new_integer (G_GINT64_CONSTANT (1) << 32));
  REFUSED (OTP_RELEASE, beam_term_new_list (0));
  REFUSED (OTP_RELEASE, beam_term_new_binary ("25", 2));
  REFUSED (OTP_RELEASE, beam_term_new_list (2, beam_term_new_integer ('2'),
                                            beam_term_new_integer (' ')));
  REFUSED (OTP_RELEASE, beam_term_new_list (1, beam_term_new_integer (0x3b1)));
  REFUSED (PROCESS_COUNT, beam_term_new_integer (-1));
  REFUSED (PROCESS_COUNT, beam_term_new_integer (G_MAXINT64));  /* past the limit */
  REFUSED (PROCESS_LIMIT, beam_term_new_integer (0));
  REFUSED (ATOM_COUNT, beam_term_new_integer (G_MAXINT64));
  REFUSED (ATOM_LIMIT, beam_term_new_integer (G_MAXINT64));
  REFUSED (SCHEDULERS, beam_term_new_integer (0));
  REFUSED (SCHEDULERS, beam_term_new_integer (1025));
  REFUSED (DIRTY_CPU_SCHEDULERS, beam_term_new_integer (-1));
  REFUSED (START_TIME, beam_term_new_integer (G_MAXINT64));     /* after now */
  REFUSED (MONOTONIC_TIME, beam_term_new_integer (G_MAXINT64)); /* now - start overflows */
  REFUSED (MONOTONIC_TIME, beam_term_new_atom ("now"));
  REFUSED (NATIVE_PER_SECOND, beam_term_new_integer (0));
  REFUSED (NATIVE_PER_SECOND, beam_term_new_integer (-1000));
  REFUSED (MEMORY, memory (100, 200, 0));
  REFUSED (MEMORY, memory (100, 0, 200));
  REFUSED (MEMORY, memory (-1, 0, 0));
  REFUSED (MEMORY, beam_term_new_list (0));
  REFUSED (WALL, beam_term_new_atom ("true"));
  REFUSED (WALL, beam_term_new_list (1, wall_entry (0, 1, 2)));
  REFUSED (WALL, beam_term_new_list (1, wall_entry (100000, 1, 2)));
  REFUSED (WALL, beam_term_new_list (2, wall_entry (1, 1, 2), wall_entry (1, 1, 2)));
  REFUSED (WALL, beam_term_new_list (1, wall_entry (1, 3, 2)));   /* active past total */
  REFUSED (WALL, beam_term_new_list (1, wall_entry (1, -1, 2)));
  REFUSED (RUN_QUEUE, beam_term_new_integer (-1));
  REFUSED (VISIBLE, beam_term_new_list (1, beam_term_new_atom ("plain_atom")));
  REFUSED (VISIBLE, beam_term_new_list (1, beam_term_new_binary ("a@b", 3)));
  REFUSED (VISIBLE, node_names (BEAM_CLUSTER_SAMPLE_MAX_NAMES + 1));
  REFUSED (HIDDEN, beam_term_new_list (2, beam_term_new_atom ("a@b"), beam_term_new_atom ("x")));
#undef REFUSED

  /* At most BEAM_CLUSTER_SAMPLE_MAX_NAMES names read, and our own dropped. */
  {
    g_autoptr(BeamTerm) many = beam_term_copy (figures);
    g_autoptr(BeamClusterSample) sample = NULL;
    BeamTerm *hidden = node_names (BEAM_CLUSTER_SAMPLE_MAX_NAMES);

    beam_term_free (hidden->children[17]);
    hidden->children[17] = beam_term_new_atom (own);
    beam_term_free (many->children[BEAM_CLUSTER_SAMPLE_CALL_HIDDEN]);
    many->children[BEAM_CLUSTER_SAMPLE_CALL_HIDDEN] = hidden;
    sample = decode (many, FALSE, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (g_strv_length (sample->hidden), ==, BEAM_CLUSTER_SAMPLE_MAX_NAMES - 1);
    g_assert_false (g_strv_contains ((const char * const *) sample->hidden, own));
    g_assert_cmpstr (sample->hidden[0], ==, "n0000@host");
  }

  /* The scan's queue and reductions. */
  pid = rpc ("erlang", "whereis", beam_term_new_list (1, beam_term_new_atom (MAILBOX_NAME)));
  g_assert_cmpint (pid->kind, ==, BEAM_TERM_PID);
  other_pid = beam_term_copy (pid);
  g_free (other_pid->v.ident.node);
  other_pid->v.ident.node = g_strdup ("other@host");
  {
    struct { BeamTerm *queue; BeamTerm *reductions; gboolean ok; const char *what; } cases[] = {
      { beam_term_new_tuple (3, beam_term_new_integer (5), beam_term_copy (pid),
                             beam_term_new_atom (MAILBOX_NAME)),
        beam_term_new_integer (100), TRUE, "a named queue" },
      { beam_term_new_tuple (3, beam_term_new_integer (5), beam_term_copy (pid),
                             beam_term_new_list (0)),
        beam_term_new_integer (100), TRUE, "an unnamed queue" },
      { beam_term_new_tuple (2, beam_term_new_atom ("skipped"), beam_term_new_integer (12)),
        beam_term_new_integer (100), TRUE, "skipped" },
      { beam_term_new_tuple (3, beam_term_new_integer (0), beam_term_new_atom ("none"),
                             beam_term_new_list (0)),
        beam_term_new_integer (100), TRUE, "no queue" },
      { beam_term_new_tuple (3, beam_term_new_integer (5), beam_term_new_atom ("none"),
                             beam_term_new_list (0)),
        beam_term_new_integer (100), FALSE, "a queue without its pid" },
      { beam_term_new_tuple (3, beam_term_new_integer (0), beam_term_copy (pid),
                             beam_term_new_list (0)),
        beam_term_new_integer (100), FALSE, "an empty queue with a pid" },
      { beam_term_new_tuple (3, beam_term_new_integer (5), beam_term_copy (other_pid),
                             beam_term_new_list (0)),
        beam_term_new_integer (100), FALSE, "another node's pid" },
      { beam_term_new_tuple (3, beam_term_new_integer (-5), beam_term_copy (pid),
                             beam_term_new_list (0)),
        beam_term_new_integer (100), FALSE, "a negative queue" },
      { beam_term_new_tuple (3, beam_term_new_integer (5), beam_term_copy (pid),
                             beam_term_new_binary ("name", 4)),
        beam_term_new_integer (100), FALSE, "a name that is no atom" },
      { beam_term_new_tuple (2, beam_term_new_atom ("skipped"), beam_term_new_integer (-1)),
        beam_term_new_integer (100), FALSE, "skipped a negative count" },
      { beam_term_new_tuple (2, beam_term_new_atom ("skipping"), beam_term_new_integer (1)),
        beam_term_new_integer (100), FALSE, "another tag" },
      { beam_term_new_tuple (3, beam_term_new_integer (0), beam_term_new_atom ("none"),
                             beam_term_new_list (0)),
        beam_term_new_integer (-1), FALSE, "negative reductions" },
      { beam_term_new_tuple (3, beam_term_new_integer (0), beam_term_new_atom ("none"),
                             beam_term_new_list (0)),
        beam_term_new_atom ("many"), FALSE, "reductions that are no number" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
      {
        g_autoptr(BeamTerm) reply = scan_reply (beam_term_copy (figures), cases[i].queue,
                                                cases[i].reductions);
        g_autoptr(BeamClusterSample) sample = NULL;

        g_clear_error (&error);
        sample = decode (reply, TRUE, &error);
        if (cases[i].ok != (sample != NULL))
          g_error ("%s: %s", cases[i].what, sample != NULL ? "decoded" : error->message);
        if (sample != NULL)
          {
            g_assert_true (sample->scanned);
            g_assert_cmpint (sample->reductions, ==, 100);
            g_assert_true ((sample->max_queue > 0) == (sample->max_queue_pid != NULL));
          }
      }
  }
  {
    g_autoptr(BeamTerm) two = beam_term_new_tuple (2, beam_term_new_atom ("value"),
                                                   beam_term_copy (figures));

    assert_refused (two, TRUE, "{value, Figures}");
  }
}

/* ------------------------------------------------------------------------ */
/* The cost on the node                                                      */

/* The compiled call's reductions, read by the rpc worker around it: what
 * erl_eval adds is the same with and without the call, and taken off. */
static gint64
measure_reductions (gboolean with_call)
{
  BeamTerm *modules, *functions, *arguments;
  g_autoptr(BeamTerm) reply = NULL;
  GPtrArray *body;
  BeamTerm *reductions_now;
  gint64 reductions;

#define REDUCTIONS() \
  beam_erl_call ("erlang", "element", 2, beam_erl_integer (2), \
                 beam_erl_call ("erlang", "process_info", 2, \
                                beam_erl_call ("erlang", "self", 0), beam_erl_atom ("reductions")))
  _beam_cluster_sample_lists (&modules, &functions, &arguments);
  reductions_now = REDUCTIONS ();
  body = beam_erl_exprs (3, beam_erl_match (beam_erl_var ("R0"), reductions_now),
                         with_call ? beam_erl_call ("lists", "zipwith3", 4,
                                                    beam_erl_export_fun ("erlang", "apply", 3),
                                                    beam_erl_var ("Ms"), beam_erl_var ("Fs"),
                                                    beam_erl_var ("As"))
                                   : beam_erl_atom ("ok"),
                         beam_erl_op ("-", REDUCTIONS (), beam_erl_var ("R0")));
#undef REDUCTIONS
  reply = rpc ("erl_eval", "exprs",
               beam_erl_eval_args (body, "Ms", modules, "Fs", functions, "As", arguments,
                                   NULL));
  g_assert_true (beam_term_get_int64 (beam_erl_eval_value (reply), &reductions));
  return reductions;
}

static int
compare_int64 (gconstpointer a,
               gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

static gint64
median_of (gint64 *values,
           guint   n)
{
  qsort (values, n, sizeof *values, compare_int64);
  return values[n / 2];
}

static void
test_reductions (void)
{
  gint64 plain[9], scan[9];
  gint64 processes = 0;

  for (guint i = 0; i < G_N_ELEMENTS (plain); i++)
    {
      g_autoptr(BeamClusterSample) sample = take_sample (TRUE, SCAN_LIMIT);

      plain[i] = measure_reductions (TRUE) - measure_reductions (FALSE);
      scan[i] = sample->reductions;
      processes = sample->process_count;
    }
  g_assert_cmpint (median_of (plain, G_N_ELEMENTS (plain)), >, 0);
  g_assert_cmpint (median_of (scan, G_N_ELEMENTS (scan)), >, 0);
  g_print ("# cluster-sample: reductions on a default test node (%" G_GINT64_FORMAT
           " processes), median of %u: plain %" G_GINT64_FORMAT ", scan %" G_GINT64_FORMAT "\n",
           processes, (guint) G_N_ELEMENTS (plain), median_of (plain, G_N_ELEMENTS (plain)),
           median_of (scan, G_N_ELEMENTS (scan)));
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *cookie_args = NULL;
  g_autofree char *node_args = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  g_assert_true (beam_connection_init_process (NULL));

  node = beam_test_node_start (NULL, &error);
  g_assert_no_error (error);
  peer = beam_test_node_start (NULL, &error);
  g_assert_no_error (error);
  /* The fixture node joins the peer, with the peer's cookie. */
  cookie_args = g_strdup_printf ("['%s', '%s']", peer->name, peer->cookie);
  node_args = g_strdup_printf ("['%s']", peer->name);
  beam_test_node_call_expecting (node, "erlang", "set_cookie", cookie_args, "true");
  beam_test_node_call_expecting (node, "net_kernel", "connect_node", node_args, "true");
  connection = beam_test_node_connect (node);

  g_test_add_func ("/cluster-sample/plain", test_plain);
  g_test_add_func ("/cluster-sample/scan", test_scan);
  g_test_add_func ("/cluster-sample/scan-skipped", test_scan_skipped);
  g_test_add_func ("/cluster-sample/usage", test_usage);
  g_test_add_func ("/cluster-sample/decode-malformed", test_decode_malformed);
  g_test_add_func ("/cluster-sample/reductions", test_reductions);

  status = g_test_run ();
  beam_connection_close (connection);
  g_object_unref (connection);
  beam_test_node_free (peer);
  beam_test_node_free (node);
  return status;
}
