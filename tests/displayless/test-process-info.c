/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One process's details through probe/beam-process-info, against a fixture
 * node whose processes are known: the typed info, messages, dictionary and
 * stack of the registered mailbox owner and of the gen_server cache, the sys
 * requests and the actions. Then the decoders fed replies no node sends,
 * built from a real one: each must be one error, never a crash. */

#include "beam-connection.h"
#include "beam-process-info-private.h"
#include "beam-process-list.h"
#include "beam-term-private.h"
#include "beam-term-printer.h"
#include "beam-test-node.h"
#include "beam-wire-error.h"

static BeamTestNode *node;
static BeamConnection *connection;

static BeamProcessInfo *
fetch_info (const char  *who,
            GError     **error)
{
  BeamTestWait wait = { 0 };
  BeamProcessInfo *info;

  beam_process_info_fetch_async (connection, who, NULL, beam_test_stash, &wait);
  beam_test_wait_for (&wait.done, 15000);
  info = beam_process_info_fetch_finish (wait.result, error);
  g_object_unref (wait.result);
  return info;
}

static BeamProcessEntries *
fetch_entries (gboolean    dictionary,
               const char *who,
               guint       limit)
{
  g_autoptr(GError) error = NULL;
  BeamTestWait wait = { 0 };
  BeamProcessEntries *entries;

  if (dictionary)
    beam_process_dictionary_fetch_async (connection, who, limit, NULL, beam_test_stash, &wait);
  else
    beam_process_messages_fetch_async (connection, who, limit, NULL, beam_test_stash, &wait);
  beam_test_wait_for (&wait.done, 15000);
  entries = dictionary ? beam_process_dictionary_fetch_finish (wait.result, &error)
                       : beam_process_messages_fetch_finish (wait.result, &error);
  g_object_unref (wait.result);
  g_assert_no_error (error);
  return entries;
}

static gboolean
act (BeamProcessAction   action,
     const char         *who,
     const char         *reason,
     GError            **error)
{
  BeamTestWait wait = { 0 };
  gboolean done;

  beam_process_action_async (connection, who, action, reason, NULL, beam_test_stash, &wait);
  beam_test_wait_for (&wait.done, 15000);
  done = beam_process_action_finish (wait.result, error);
  g_object_unref (wait.result);
  return done;
}

static BeamTerm *
sys_request (BeamProcessSysRequest   request,
             const char             *who,
             GError                **error)
{
  BeamTestWait wait = { 0 };
  BeamTerm *result;

  beam_process_sys_async (connection, who, request, 2000, NULL, beam_test_stash, &wait);
  beam_test_wait_for (&wait.done, 15000);
  result = beam_process_sys_finish (wait.result, error);
  g_object_unref (wait.result);
  return result;
}

static char *
print (const BeamTerm *term)
{
  return beam_term_print (term, NULL);
}

/* A registered process's pid as the node prints it, <0.N.S>, from erl_call,
 * which, on another node, prints <node.N.S>. */
static char *
whereis (const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *args = g_strdup_printf ("[%s]", name);
  g_autofree char *printed = beam_test_node_erl_call (node, "erlang", "whereis", args, &error);

  g_assert_no_error (error);
  g_assert_nonnull (strstr (printed, node->name));
  return g_strdup_printf ("<0%s", g_strstrip (strstr (printed, node->name) +
                                              strlen (node->name)));
}

static void
test_info (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BeamProcessInfo) info = fetch_info ("beamscope_mailbox", &error);
  g_autofree char *supervisor = whereis ("beamscope_fixture_sup");
  const char * const *items = beam_process_info_items ();
  const BeamProcessInfoItem *field;
  g_autofree char *status = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (info->registered_name, ==, "beamscope_mailbox");
  g_assert_cmpstr (info->initial_call, ==, "beamscope_fixture:mailbox_owner/0");
  g_assert_cmpint (info->message_queue_len, ==, 1500);

  /* Every item, in the order asked, each with its value to print. */
  g_assert_cmpuint (info->n_fields, ==, g_strv_length ((GStrv) items));
  for (guint i = 0; items[i] != NULL; i++)
    {
      g_assert_cmpstr (info->fields[i].name, ==, items[i]);
      g_assert_nonnull (info->fields[i].value);
    }
  status = print (beam_process_info_get_field (info, "status")->value);
  g_assert_cmpstr (status, ==, "waiting");
  g_assert_null (beam_process_info_get_field (info, "no_such_item"));

  /* Its supervisor is its one link and its parent, as pids to open. */
  field = beam_process_info_get_field (info, "links");
  g_assert_cmpuint (g_strv_length (field->pids), ==, 1);
  g_assert_cmpstr (field->pids[0], ==, supervisor);
  field = beam_process_info_get_field (info, "parent");
  g_assert_cmpuint (g_strv_length (field->pids), ==, 1);
  g_assert_cmpstr (field->pids[0], ==, supervisor);
  field = beam_process_info_get_field (info, "monitors");
  g_assert_nonnull (field->pids);
  g_assert_cmpuint (g_strv_length (field->pids), ==, 0);
  /* Items that name no process have no pids at all. */
  g_assert_null (beam_process_info_get_field (info, "memory")->pids);

  /* That pid opens the supervisor. */
  {
    g_autoptr(BeamProcessInfo) parent = fetch_info (supervisor, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (parent->registered_name, ==, "beamscope_fixture_sup");
  }
}

/* The mailbox owner waits in its receive, called by proc_lib. */
static void
test_stack (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BeamProcessInfo) info = fetch_info ("beamscope_mailbox", &error);
  const BeamProcessFrame *top;

  g_assert_no_error (error);
  g_assert_cmpuint (info->n_frames, >=, 2);
  top = &info->frames[0];
  g_assert_cmpstr (top->module, ==, "beamscope_fixture");
  g_assert_cmpstr (top->function, ==, "mailbox_owner");
  g_assert_cmpint (top->arity, ==, 0);
  g_assert_nonnull (top->file);
  g_assert_true (g_str_has_suffix (top->file, "beamscope_fixture.erl"));
  g_assert_cmpint (top->line, >, 0);
  g_assert_cmpstr (info->frames[info->n_frames - 1].module, ==, "proc_lib");
}

static void
test_messages_and_dictionary (void)
{
  g_autoptr(BeamProcessEntries) messages = fetch_entries (FALSE, "beamscope_mailbox", 100);
  g_autoptr(BeamProcessEntries) dictionary = fetch_entries (TRUE, "beamscope_cache", 50);
  g_autofree char *head = NULL;
  g_autofree char *last = NULL;
  gboolean initial_call = FALSE, ancestors = FALSE;

  g_assert_cmpint (messages->count, ==, 1500);
  /* Bounded: 100 of the 1500 travel, the first ones, in order. */
  g_assert_cmpuint (messages->entries->len, ==, 100);
  head = print (g_ptr_array_index (messages->entries, 0));
  last = print (g_ptr_array_index (messages->entries, 99));
  g_assert_cmpstr (head, ==, "{pending,1}");
  g_assert_cmpstr (last, ==, "{pending,100}");

  /* proc_lib keeps the initial call and the ancestors in the dictionary. */
  g_assert_cmpint (dictionary->count, ==, dictionary->entries->len);
  for (guint i = 0; i < dictionary->entries->len; i++)
    {
      g_autofree char *entry = print (g_ptr_array_index (dictionary->entries, i));

      if (g_str_equal (entry, "{'$initial_call',{beamscope_fixture,cache_init,0}}"))
        initial_call = TRUE;
      if (g_str_has_prefix (entry, "{'$ancestors',["))
        ancestors = TRUE;
    }
  g_assert_true (initial_call);
  g_assert_true (ancestors);
}

static void
test_actions (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BeamTerm) state = NULL;
  g_autoptr(BeamTerm) on = NULL;
  g_autoptr(BeamTerm) stats = NULL;
  g_autoptr(BeamTerm) off = NULL;
  g_autoptr(BeamTerm) suspended = NULL;
  g_autoptr(BeamTerm) resumed = NULL;
  g_autoptr(BeamTerm) refused = NULL;
  g_autofree char *printed = NULL;

  g_assert_true (act (BEAM_PROCESS_ACTION_GARBAGE_COLLECT, "beamscope_big", NULL, &error));
  g_assert_no_error (error);

  /* The state alone, as sys answered it. */
  state = sys_request (BEAM_PROCESS_SYS_GET_STATE, "beamscope_cache", &error);
  g_assert_no_error (error);
  printed = print (state);
  g_assert_cmpstr (printed, ==, "#{hits => 42,name => <<\"cache\">>}");

  /* sys:statistics on, read, off, of the gen_server. */
  on = sys_request (BEAM_PROCESS_SYS_STATISTICS_ON, "beamscope_cache", &error);
  g_assert_no_error (error);
  stats = sys_request (BEAM_PROCESS_SYS_STATISTICS_GET, "beamscope_cache", &error);
  g_assert_no_error (error);
  g_assert_nonnull (beam_term_tagged (stats, "ok", 2));
  off = sys_request (BEAM_PROCESS_SYS_STATISTICS_OFF, "beamscope_cache", &error);
  g_assert_no_error (error);

  /* Suspended, the process sits in sys's loop; resumed, back in its own. */
  suspended = sys_request (BEAM_PROCESS_SYS_SUSPEND, "beamscope_cache", &error);
  g_assert_no_error (error);
  g_assert_true (beam_term_is_atom (suspended, "ok"));
  resumed = sys_request (BEAM_PROCESS_SYS_RESUME, "beamscope_cache", &error);
  g_assert_no_error (error);
  g_assert_true (beam_term_is_atom (resumed, "ok"));

  /* Not an OTP loop: nothing sent. */
  refused = sys_request (BEAM_PROCESS_SYS_GET_STATE, "beamscope_mailbox", &error);
  g_assert_null (refused);
  g_assert_error (error, BEAM_PROCESS_INFO_ERROR, BEAM_PROCESS_INFO_ERROR_NOT_OTP);
  g_clear_error (&error);

  /* Kill: the process is gone. */
  g_free (beam_test_node_erl_call (node, "beamscope_fixture", "spawn_victim", "[]", &error));
  g_assert_no_error (error);
  g_assert_true (act (BEAM_PROCESS_ACTION_KILL, "beamscope_victim", NULL, &error));
  g_assert_no_error (error);
  g_usleep (100 * 1000);
  g_assert_false (act (BEAM_PROCESS_ACTION_GARBAGE_COLLECT, "beamscope_victim", NULL, &error));
  g_assert_error (error, BEAM_PROCESS_INFO_ERROR, BEAM_PROCESS_INFO_ERROR_NO_SUCH_PROCESS);
}

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

/* Finding 12: a process started with plain spawn(M, F, A) was reported as
 * proc_lib:init_p/5, which proc_lib answers for any process without
 * '$initial_call'. Its own initial call is the one, in the window's info and
 * in the CLI's proc; a proc_lib process still gets proc_lib's translation. */
static void
test_plain_initial_call (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BeamProcessInfo) plain = fetch_info ("beamscope_plain", &error);
  g_autoptr(BeamProcessInfo) cache = fetch_info ("beamscope_cache", &error);
  g_autoptr(JsonNode) root = beam_test_node_cli_json (node, "proc", "beamscope_plain", NULL);

  g_assert_no_error (error);
  g_assert_cmpstr (plain->initial_call, ==, "beamscope_fixture:plain_loop/0");
  g_assert_cmpstr (cache->initial_call, ==, "beamscope_fixture:cache_init/0");
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (root), "initial_call"),
                   ==, "beamscope_fixture:plain_loop/0");
}

/* Finding 15: the watcher monitors 44 processes (one by name) and links 30.
 * proc --json printed monitors as an object keyed "process" (one of 44
 * left), and the window had at most 12 pids of an item with no hint of more:
 * now the CLI lists every monitor, and the probe counts and keeps them all
 * for the window's "… N more". */
static void
test_many_monitors_and_links (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BeamProcessInfo) info = fetch_info ("beamscope_watcher", &error);
  g_autoptr(JsonNode) root = beam_test_node_cli_json (node, "proc", "beamscope_watcher", NULL);
  const BeamProcessInfoItem *links, *monitors;
  JsonArray *array;
  guint by_pid = 0, by_name = 0;

  g_assert_no_error (error);
  links = beam_process_info_get_field (info, "links");
  monitors = beam_process_info_get_field (info, "monitors");
  g_assert_cmpuint (links->n_pids, ==, 30);
  g_assert_cmpuint (g_strv_length (links->pids), ==, 30);
  g_assert_cmpuint (monitors->n_pids, ==, 43);
  g_assert_cmpuint (g_strv_length (monitors->pids), ==, 43);

  array = json_object_get_array_member (json_node_get_object (root), "monitors");
  g_assert_nonnull (array);
  g_assert_cmpuint (json_array_get_length (array), ==, 44);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *monitor = json_array_get_object_element (array, i);

      g_assert_cmpstr (json_object_get_string_member (monitor, "type"), ==, "process");
      if (json_object_has_member (monitor, "pid"))
        {
          g_assert_true (g_str_has_prefix (json_object_get_string_member (monitor, "pid"),
                                           "<0."));
          by_pid++;
        }
      else
        {
          g_assert_cmpstr (json_object_get_string_member (monitor, "name"), ==,
                           "beamscope_plain");
          g_assert_cmpstr (json_object_get_string_member (monitor, "node"), ==, node->name);
          by_name++;
        }
    }
  g_assert_cmpuint (by_pid, ==, 43);
  g_assert_cmpuint (by_name, ==, 1);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                      json_node_get_object (root), "links")), ==, 30);
}

static void
assert_state (const char *who,
              const char *expected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BeamTerm) state = sys_request (BEAM_PROCESS_SYS_GET_STATE, who, &error);
  g_autofree char *printed = NULL;

  g_assert_no_error (error);
  printed = print (state);
  g_assert_cmpstr (printed, ==, expected);
}

/* Finding 17: sys:get_state is asked of any process that handles system
 * messages, not only of proc_lib processes waiting in gen_server, gen_statem
 * or gen_event: a loop of its own exporting system_continue/3, a gen_server
 * entered from a plain spawn (as application_controller is), a hibernating
 * gen_server before and after it wakes. A plain receive loop is refused and
 * sent nothing: its mailbox stays empty, it lives, and it received nothing. */
static void
test_sys_rule (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BeamTerm) refused = NULL;
  g_autofree char *current = NULL;
  g_autofree char *woken = NULL;
  g_autofree char *answer = NULL;
  g_autofree char *plain = NULL;

  assert_state ("beamscope_cache", "#{hits => 42,name => <<\"cache\">>}");
  assert_state ("beamscope_sys_loop", "#{loop => custom}");
  assert_state ("beamscope_plain_gen", "#{entered => plain}");

  current = node_says ("beamscope_fixture", "current_function", "[beamscope_hibernator]");
  g_assert_cmpstr (current, ==, "{erlang, hibernate, 3}");
  assert_state ("beamscope_hibernator", "#{hibernating => true}");
  answer = node_says ("gen_server", "call", "[beamscope_hibernator, get]");
  woken = node_says ("beamscope_fixture", "current_function", "[beamscope_hibernator]");
  g_assert_cmpstr (woken, ==, "{gen_server, loop, 7}");
  assert_state ("beamscope_hibernator", "#{hibernating => true}");

  refused = sys_request (BEAM_PROCESS_SYS_GET_STATE, "beamscope_plain", &error);
  g_assert_null (refused);
  g_assert_error (error, BEAM_PROCESS_INFO_ERROR, BEAM_PROCESS_INFO_ERROR_NOT_OTP);
  g_usleep (200 * 1000);
  plain = node_says ("beamscope_fixture", "plain_state", "[]");
  g_assert_cmpstr (plain, ==, "{true, 0, undefined}");
}

/* Observer's Info items that process_info's list did not have: last calls,
 * catch level, trace flags, binaries with their sizes, error handler, the
 * sequential trace token, and the node's word size for heap sizes. */
static void
test_observer_items (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BeamProcessInfo) info = NULL;
  g_autoptr(BeamProcessInfo) plain = NULL;
  g_autofree char *token = NULL;
  g_autofree char *calls = NULL;
  gint64 listed = 0;

  g_free (beam_test_node_erl_call (node, "beamscope_fixture", "spawn_observed", "[]", &error));
  g_assert_no_error (error);
  info = fetch_info ("beamscope_observed", &error);
  g_assert_no_error (error);

  g_assert_cmpuint (info->wordsize, ==, 8);
  g_assert_true (info->last_calls_on);
  calls = print (beam_process_info_get_field (info, "last_calls")->value);
  g_assert_nonnull (strstr (calls, "{lists,seq,2}"));
  g_assert_cmpint (info->catch_level, ==, 2);
  g_assert_cmpstr (info->error_handler, ==, "error_handler");
  g_assert_cmpstr (info->status, ==, "waiting");
  g_assert_cmpstr (info->current_function, ==, "beamscope_fixture:observed_wait/1");
  g_assert_false (info->sys_suspended);
  g_assert_true (g_strv_contains ((const char * const *) info->trace_flags, "receive"));
  token = print (beam_process_info_get_field (info, "sequential_trace_token")->value);
  g_assert_nonnull (strstr (token, "17"));

  /* Its three binaries of 100 000 bytes, each held by it alone. */
  g_assert_cmpint (info->n_binaries, ==, 3);
  g_assert_cmpint (info->binary_bytes, ==, 300000);
  g_assert_cmpuint (info->n_binaries_listed, ==, 3);
  for (guint i = 0; i < info->n_binaries_listed; i++)
    {
      g_assert_cmpint (info->binaries[i].size, ==, 100000);
      g_assert_cmpint (info->binaries[i].refcount, ==, 1);
      listed += info->binaries[i].size;
    }
  g_assert_cmpint (listed, ==, info->binary_bytes);
  g_assert_cmpint (info->memory, >, 0);
  g_assert_cmpint (info->total_heap_size, >=, info->heap_size);
  g_assert_cmpint (info->stack_size, >, 0);
  g_assert_cmpint (info->reductions, >, 0);

  /* A process with none of them: off, none, empty. */
  plain = fetch_info ("beamscope_mailbox", &error);
  g_assert_no_error (error);
  g_assert_false (plain->last_calls_on);
  g_assert_cmpuint (g_strv_length (plain->trace_flags), ==, 0);
  g_assert_cmpint (plain->n_binaries, ==, 0);
  g_assert_cmpuint (plain->n_binaries_listed, ==, 0);
}

static BeamProcessStatistics *
fetch_statistics (const char  *who,
                  GError     **error)
{
  BeamTestWait wait = { 0 };
  BeamProcessStatistics *statistics;

  beam_process_statistics_fetch_async (connection, who, 2000, NULL, beam_test_stash, &wait);
  beam_test_wait_for (&wait.done, 15000);
  statistics = beam_process_statistics_fetch_finish (wait.result, error);
  g_object_unref (wait.result);
  return statistics;
}

/* sys:statistics as a table: off, then on and counting a call, then off. */
static void
test_statistics (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BeamProcessStatistics) off = NULL;
  g_autoptr(BeamProcessStatistics) on = NULL;
  g_autoptr(BeamProcessStatistics) again = NULL;
  g_autoptr(BeamProcessStatistics) refused = NULL;
  g_autoptr(BeamTerm) turned_on = NULL;
  g_autoptr(BeamTerm) turned_off = NULL;
  g_autofree char *answer = NULL;

  off = fetch_statistics ("beamscope_cache", &error);
  g_assert_no_error (error);
  g_assert_false (off->collecting);
  g_assert_null (off->start_time);

  turned_on = sys_request (BEAM_PROCESS_SYS_STATISTICS_ON, "beamscope_cache", &error);
  g_assert_no_error (error);
  answer = node_says ("gen_server", "call", "[beamscope_cache, get]");
  on = fetch_statistics ("beamscope_cache", &error);
  g_assert_no_error (error);
  g_assert_true (on->collecting);
  /* The call came in, its answer went out. */
  g_assert_cmpint (on->messages_in, >=, 1);
  g_assert_cmpint (on->messages_out, >=, 1);
  g_assert_cmpint (on->reductions, >=, 0);
  g_assert_true (g_regex_match_simple ("^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d$",
                                       on->start_time, 0, 0));
  g_assert_cmpstr (on->start_time, <=, on->current_time);

  turned_off = sys_request (BEAM_PROCESS_SYS_STATISTICS_OFF, "beamscope_cache", &error);
  g_assert_no_error (error);
  again = fetch_statistics ("beamscope_cache", &error);
  g_assert_no_error (error);
  g_assert_false (again->collecting);

  /* A plain loop is sent nothing, statistics or not. */
  refused = fetch_statistics ("beamscope_mailbox", &error);
  g_assert_null (refused);
  g_assert_error (error, BEAM_PROCESS_INFO_ERROR, BEAM_PROCESS_INFO_ERROR_NOT_OTP);
}

/* Garbage collection says how much memory it freed; the light sample for
 * the window's trends; whether a kill reason names an atom (never made). */
static void
test_collect_sample_and_reason (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree BeamProcessCollected *collected = NULL;
  g_autofree BeamProcessSample *sample = NULL;
  BeamTestWait wait = { 0 };
  const char *reasons[] = { "shutdown", "beamscope_no_such_atom_ever_3f9a",
                            "beamscope_no_such_atom_ever_3f9a" };
  const gboolean expected[] = { TRUE, FALSE, FALSE };

  g_free (beam_test_node_erl_call (node, "beamscope_fixture", "spawn_observed", "[]", &error));
  g_assert_no_error (error);
  beam_process_collect_async (connection, "beamscope_observed", NULL, beam_test_stash, &wait);
  beam_test_wait_for (&wait.done, 15000);
  collected = beam_process_collect_finish (wait.result, &error);
  g_clear_object (&wait.result);
  g_assert_no_error (error);
  /* 300 000 dropped integers (several MB of heap) are freed. */
  g_assert_cmpint (collected->before, >, 1000000);
  g_assert_cmpint (collected->after, <, collected->before / 4);

  wait = (BeamTestWait) { 0 };
  beam_process_sample_async (connection, "beamscope_mailbox", NULL, beam_test_stash, &wait);
  beam_test_wait_for (&wait.done, 15000);
  sample = beam_process_sample_finish (wait.result, &error);
  g_clear_object (&wait.result);
  g_assert_no_error (error);
  g_assert_cmpint (sample->message_queue_len, ==, 1500);
  g_assert_cmpint (sample->memory, >, 0);
  g_assert_cmpint (sample->reductions, >, 0);

  /* Asked twice, the unknown name is still unknown: asking made no atom. */
  for (guint i = 0; i < G_N_ELEMENTS (reasons); i++)
    {
      gboolean exists;

      wait = (BeamTestWait) { 0 };
      beam_process_atom_exists_async (connection, reasons[i], NULL, beam_test_stash, &wait);
      beam_test_wait_for (&wait.done, 15000);
      exists = beam_process_atom_exists_finish (wait.result, &error);
      g_clear_object (&wait.result);
      g_assert_no_error (error);
      g_assert_cmpint (exists, ==, expected[i]);
    }
}

/* The status the process list gives the process registered as `name`. */
static BeamProcessStatus
list_status (const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BeamProcessTable) table = NULL;
  BeamTestWait wait = { 0 };

  beam_process_list_fetch_async (connection, NULL, FALSE, NULL, beam_test_stash, &wait);
  beam_test_wait_for (&wait.done, 15000);
  table = beam_process_list_fetch_finish (wait.result, &error);
  g_object_unref (wait.result);
  g_assert_no_error (error);
  for (guint i = 0; i < beam_process_table_get_n_records (table); i++)
    if (g_strcmp0 (beam_process_table_get_display_name (table, i), name) == 0)
      return beam_process_table_get_record (table, i)->status;
  g_assert_not_reached ();
}

/* sys:suspend shows in the info as suspended until sys:resume. */
static void
test_suspended (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BeamTerm) suspended = NULL;
  g_autoptr(BeamTerm) resumed = NULL;
  g_autoptr(BeamProcessInfo) during = NULL;
  g_autoptr(BeamProcessInfo) after = NULL;

  suspended = sys_request (BEAM_PROCESS_SYS_SUSPEND, "beamscope_cache", &error);
  g_assert_no_error (error);
  during = fetch_info ("beamscope_cache", &error);
  g_assert_no_error (error);
  g_assert_true (during->sys_suspended);
  /* The process list says "suspended" too, where process_info says waiting. */
  g_assert_cmpint (list_status ("beamscope_cache"), ==, BEAM_PROCESS_STATUS_SUSPENDED);
  g_assert_true (g_str_has_prefix (during->current_function, "sys:suspend_loop/"));
  resumed = sys_request (BEAM_PROCESS_SYS_RESUME, "beamscope_cache", &error);
  g_assert_no_error (error);
  after = fetch_info ("beamscope_cache", &error);
  g_assert_no_error (error);
  g_assert_false (after->sys_suspended);
  g_assert_cmpint (list_status ("beamscope_cache"), ==, BEAM_PROCESS_STATUS_WAITING);
}

/* ---- replies no node sends ------------------------------------------------------ */

/* {value, Value, []}, as erl_eval answers; takes `value`. */
static BeamTerm *
eval_reply (BeamTerm *value)
{
  return beam_term_new_tuple (3, beam_term_new_atom ("value"), value, beam_term_new_list (0));
}

/* Replaces term->children[index] with `child` (taken). */
static void
replace (BeamTerm *term,
         guint     index,
         BeamTerm *child)
{
  g_assert_cmpuint (index, <, term->n_children);
  beam_term_free (term->children[index]);
  term->children[index] = child;
}

/* An info reply built from the real process's pid and items; `breaking`
 * is the item whose value is replaced by `value` (taken), if any. */
static BeamTerm *
info_reply (const BeamProcessInfo *real,
            const char            *breaking,
            BeamTerm              *value)
{
  BeamTerm *items = beam_term_copy (real->items);
  /* {InitialCall, LabelEntry, ProcessNameEntry}: no label. */
  BeamTerm *call = beam_term_new_tuple (3, beam_term_new_atom ("beamscope_fixture"),
                                        beam_term_new_atom ("mailbox_owner"),
                                        beam_term_new_integer (0));
  BeamTerm *mfa = beam_term_new_tuple (3, call, beam_term_new_atom ("false"),
                                       beam_term_new_atom ("false"));

  for (guint i = 0; breaking != NULL && i < items->n_children; i++)
    if (beam_term_is_atom (items->children[i]->children[0], breaking))
      replace (items->children[i], 1, value);
  return eval_reply (beam_term_new_tuple (4, beam_term_copy (real->pid), items, mfa,
                                          beam_term_copy (real->extra)));
}

/* The same with `label` (taken) as the process's {'$process_label', Label}
 * entry, and `process_name` (taken) as RabbitMQ's. */
static BeamTerm *
labelled_reply (const BeamProcessInfo *real,
                BeamTerm              *label,
                BeamTerm              *process_name)
{
  BeamTerm *reply = info_reply (real, NULL, NULL);
  BeamTerm *names = reply->children[1]->children[2];

  replace (names, 1, label);
  replace (names, 2, process_name);
  return reply;
}

/* The same with `extra` (taken) as {Wordsize, TraceFlags, Binaries}. */
static BeamTerm *
extra_reply (const BeamProcessInfo *real,
             BeamTerm              *extra)
{
  BeamTerm *reply = info_reply (real, NULL, NULL);

  replace (reply->children[1], 3, extra);
  return reply;
}

/* {m, f, 0, [{file, File}]}, or the malformed {m} without a file. */
static BeamTerm *
frame_of (BeamTerm *file)
{
  BeamTerm *location;

  if (file == NULL)
    return beam_term_new_tuple (1, beam_term_new_atom ("m"));
  location = beam_term_new_list (1, beam_term_new_tuple (2, beam_term_new_atom ("file"), file));
  return beam_term_new_tuple (4, beam_term_new_atom ("m"), beam_term_new_atom ("f"),
                              beam_term_new_integer (0), location);
}

static void
assert_bad_info (BeamTerm *reply)
{
  g_autoptr(BeamTerm) owned = reply;
  g_autoptr(GError) error = NULL;
  g_autoptr(BeamProcessInfo) info = _beam_process_info_decode (owned, "x", node->name, &error);

  g_assert_null (info);
  g_assert_error (error, BEAM_WIRE_ERROR, BEAM_WIRE_ERROR_BAD_REPLY);
}

static void
test_malformed_info (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BeamProcessInfo) real = fetch_info ("beamscope_mailbox", &error);
  g_autoptr(BeamTerm) good = NULL;
  g_autoptr(BeamTerm) gone = eval_reply (beam_term_new_atom ("undefined"));
  g_autoptr(BeamProcessInfo) decoded = NULL;
  g_autoptr(BeamProcessInfo) none = NULL;
  BeamTerm *short_list;

  g_assert_no_error (error);

  /* Rebuilt unchanged, the reply decodes as the real one did. */
  good = info_reply (real, NULL, NULL);
  decoded = _beam_process_info_decode (good, "x", node->name, &error);
  g_assert_no_error (error);
  g_assert_cmpint (decoded->message_queue_len, ==, 1500);
  g_assert_cmpuint (decoded->n_frames, ==, real->n_frames);
  g_assert_cmpstr (beam_process_info_get_field (decoded, "links")->pids[0], ==,
                   beam_process_info_get_field (real, "links")->pids[0]);

  /* The name a process gave itself: the OTP label first, else RabbitMQ's;
   * an entry that is neither {Key, Label} nor false is refused. */
  {
    g_autoptr(BeamTerm) both = labelled_reply (
      real, beam_term_new_tuple (2, beam_term_new_atom ("$process_label"),
                                 beam_term_new_binary ((const guint8 *) "worker 7", 8)),
      beam_term_new_tuple (2, beam_term_new_atom ("process_name"), beam_term_new_atom ("q")));
    g_autoptr(BeamTerm) rabbit = labelled_reply (
      real, beam_term_new_atom ("false"),
      beam_term_new_tuple (2, beam_term_new_atom ("process_name"),
                           beam_term_new_tuple (2, beam_term_new_atom ("amqqueue"),
                                                beam_term_new_binary ((const guint8 *) "o", 1))));
    g_autoptr(BeamProcessInfo) first = _beam_process_info_decode (both, "x", node->name, &error);
    g_autoptr(BeamProcessInfo) second = NULL;

    g_assert_no_error (error);
    g_assert_cmpstr (first->label, ==, "worker 7");
    second = _beam_process_info_decode (rabbit, "x", node->name, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (second->label, ==, "{amqqueue,<<\"o\">>}");
    g_assert_null (decoded->label);
    assert_bad_info (labelled_reply (real, beam_term_new_integer (3),
                                     beam_term_new_atom ("false")));
  }

  none = _beam_process_info_decode (gone, "x", node->name, &error);
  g_assert_null (none);
  g_assert_error (error, BEAM_PROCESS_INFO_ERROR, BEAM_PROCESS_INFO_ERROR_NO_SUCH_PROCESS);

  /* Not erl_eval's answer; not {Pid, Items, InitialCall, Extra}. */
  assert_bad_info (beam_term_new_atom ("ok"));
  assert_bad_info (eval_reply (beam_term_new_tuple (2, beam_term_copy (real->pid),
                                                    beam_term_copy (real->items))));
  /* A queue length that is no count, a name that is no atom. */
  assert_bad_info (info_reply (real, "message_queue_len", beam_term_new_atom ("many")));
  assert_bad_info (info_reply (real, "message_queue_len", beam_term_new_integer (-1)));
  assert_bad_info (info_reply (real, "registered_name", beam_term_new_integer (7)));
  /* Stack frames of the wrong shape, or with a file that is no string. */
  assert_bad_info (info_reply (real, "current_stacktrace", beam_term_new_atom ("deep")));
  assert_bad_info (info_reply (real, "current_stacktrace",
                               beam_term_new_list (1, frame_of (NULL))));
  assert_bad_info (info_reply (real, "current_stacktrace",
                               beam_term_new_list (1, frame_of (beam_term_new_float (1.5)))));
  /* Sizes that are no counts; last calls that are no list. */
  assert_bad_info (info_reply (real, "memory", beam_term_new_integer (-5)));
  assert_bad_info (info_reply (real, "heap_size", beam_term_new_atom ("big")));
  assert_bad_info (info_reply (real, "catchlevel", beam_term_new_float (1.0)));
  assert_bad_info (info_reply (real, "last_calls", beam_term_new_atom ("maybe")));
  assert_bad_info (info_reply (real, "status", beam_term_new_integer (1)));
  /* A word size no node has; binaries that do not add up to their shape. */
  assert_bad_info (extra_reply (real, beam_term_new_tuple (3, beam_term_new_integer (2),
                                                           beam_term_new_atom ("undefined"),
                                                           beam_term_new_tuple (
                                                             3, beam_term_new_integer (0),
                                                             beam_term_new_integer (0),
                                                             beam_term_new_list (0)))));
  assert_bad_info (extra_reply (real, beam_term_new_tuple (3, beam_term_new_integer (8),
                                                           beam_term_new_atom ("undefined"),
                                                           beam_term_new_tuple (
                                                             3, beam_term_new_integer (0),
                                                             beam_term_new_integer (0),
                                                             beam_term_new_list (
                                                               1, beam_term_new_tuple (
                                                                 3, beam_term_new_integer (1),
                                                                 beam_term_new_integer (10),
                                                                 beam_term_new_integer (1)))))));
  assert_bad_info (extra_reply (real, beam_term_new_atom ("extra")));
  /* An item missing. */
  short_list = info_reply (real, NULL, NULL);
  {
    BeamTerm *items = short_list->children[1]->children[1];

    beam_term_free (items->children[--items->n_children]);
  }
  assert_bad_info (short_list);
}

static void
assert_entries (BeamTerm   *found,
                gboolean    dictionary,
                GQuark      domain,
                int         code)
{
  g_autoptr(BeamTerm) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BeamProcessEntries) entries = NULL;
  g_autoptr(BeamProcessInfo) real = fetch_info ("beamscope_mailbox", NULL);

  reply = eval_reply (beam_term_new_tuple (3, beam_term_new_atom ("ok"),
                                           beam_term_copy (real->pid), found));
  entries = _beam_process_entries_decode (reply, "x", dictionary, &error);
  if (domain == 0)
    {
      g_assert_no_error (error);
      g_assert_cmpint (entries->count, ==, 1);
      g_assert_cmpuint (entries->entries->len, ==, 1);
    }
  else
    {
      g_assert_null (entries);
      g_assert_error (error, domain, code);
    }
}

/* [{Count, FirstN}] with `first` (taken) as FirstN. */
static BeamTerm *
count_and (gint64    count,
           BeamTerm *first)
{
  return beam_term_new_list (1, beam_term_new_tuple (2, beam_term_new_integer (count), first));
}

static void
test_malformed_entries (void)
{
  GQuark bad = BEAM_WIRE_ERROR;

  /* A message may be anything; a dictionary entry only {Key, Value}. */
  assert_entries (count_and (1, beam_term_new_list (1, beam_term_new_atom ("hello"))), FALSE,
                  0, 0);
  assert_entries (count_and (1, beam_term_new_list (1, beam_term_new_atom ("hello"))), TRUE,
                  bad, BEAM_WIRE_ERROR_BAD_REPLY);
  assert_entries (count_and (-1, beam_term_new_list (0)), FALSE, bad, BEAM_WIRE_ERROR_BAD_REPLY);
  assert_entries (count_and (1, beam_term_new_atom ("hello")), FALSE,
                  bad, BEAM_WIRE_ERROR_BAD_REPLY);
  assert_entries (beam_term_new_atom ("hello"), FALSE, bad, BEAM_WIRE_ERROR_BAD_REPLY);
  /* The process went between being found and being read. */
  assert_entries (beam_term_new_list (0), TRUE,
                  BEAM_PROCESS_INFO_ERROR, BEAM_PROCESS_INFO_ERROR_NO_SUCH_PROCESS);
}

/* Statistics answers no node sends are one error. */
static void
test_malformed_statistics (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BeamProcessInfo) real = fetch_info ("beamscope_cache", &error);
  const char *bad[] = {
    "{ok, [{start_time, {{2026,1,1},{0,0,0}}}]}",   /* counts missing */
    "{ok, 7}", "ok",
  };

  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      BeamTerm *answer;
      g_autoptr(BeamTerm) reply = NULL;
      g_autoptr(BeamProcessStatistics) statistics = NULL;
      g_autoptr(GError) bad_error = NULL;

      if (i == 0)
        answer = beam_term_new_tuple (2, beam_term_new_atom ("ok"),
                                      beam_term_new_list (1, beam_term_new_tuple (
                                        2, beam_term_new_atom ("start_time"),
                                        beam_term_new_tuple (
                                          2,
                                          beam_term_new_tuple (3, beam_term_new_integer (2026),
                                                               beam_term_new_integer (1),
                                                               beam_term_new_integer (1)),
                                          beam_term_new_tuple (3, beam_term_new_integer (0),
                                                               beam_term_new_integer (0),
                                                               beam_term_new_integer (0))))));
      else if (i == 1)
        answer = beam_term_new_tuple (2, beam_term_new_atom ("ok"), beam_term_new_integer (7));
      else
        answer = beam_term_new_atom ("ok");
      reply = eval_reply (beam_term_new_tuple (3, beam_term_new_atom ("ok"),
                                               beam_term_copy (real->pid), answer));
      statistics = _beam_process_statistics_decode (reply, "x", &bad_error);
      g_assert_null (statistics);
      g_assert_error (bad_error, BEAM_WIRE_ERROR, BEAM_WIRE_ERROR_BAD_REPLY);
    }
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  BeamTestWait wait = { 0 };
  int status;

  g_assert_true (beam_connection_init_process (NULL));
  g_test_init (&argc, &argv, NULL);

  node = beam_test_node_start (NULL, &error);
  g_assert_no_error (error);
  connection = beam_connection_new (node->name, node->cookie);
  beam_connection_connect_async (connection, 5000, NULL, beam_test_stash, &wait);
  beam_test_wait_for (&wait.done, 15000);
  g_assert_true (beam_connection_connect_finish (connection, wait.result, &error));
  g_object_unref (wait.result);
  g_free (beam_test_node_erl_call (node, "beamscope_fixture", "start_probed", "[]", &error));
  g_assert_no_error (error);

  g_test_add_func ("/process-info/info", test_info);
  g_test_add_func ("/process-info/stack", test_stack);
  g_test_add_func ("/process-info/messages-and-dictionary", test_messages_and_dictionary);
  g_test_add_func ("/process-info/actions", test_actions);
  g_test_add_func ("/process-info/plain-initial-call", test_plain_initial_call);
  g_test_add_func ("/process-info/many-monitors-and-links", test_many_monitors_and_links);
  g_test_add_func ("/process-info/sys-rule", test_sys_rule);
  g_test_add_func ("/process-info/malformed-info", test_malformed_info);
  g_test_add_func ("/process-info/malformed-entries", test_malformed_entries);
  g_test_add_func ("/process-info/observer-items", test_observer_items);
  g_test_add_func ("/process-info/statistics", test_statistics);
  g_test_add_func ("/process-info/malformed-statistics", test_malformed_statistics);
  g_test_add_func ("/process-info/collect-sample-and-reason", test_collect_sample_and_reason);
  g_test_add_func ("/process-info/suspended", test_suspended);

  status = g_test_run ();
  g_clear_object (&connection);
  beam_test_node_free (node);
  return status;
}
