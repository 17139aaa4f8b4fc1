/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The process list against a fixture node whose processes are known: a
 * registered process with 1500 messages waiting, the biggest process, a busy
 * one, a gen_server started by proc_lib. Through the probe (the table, its
 * sorting) and through beamscope-cli (procs, top, top --window). */

#include <json-glib/json-glib.h>

#include "beam-connection.h"
#include "beam-process-info.h"
#include "beam-process-list.h"
#include "beam-term-printer.h"
#include "beam-test-node.h"

static BeamTestNode *node;
static BeamConnection *connection;


static BeamProcessTable *
fetch (BeamProcessTable *previous)
{
  g_autoptr(GError) error = NULL;
  BeamTestWait wait = { 0 };
  BeamProcessTable *table;

  beam_process_list_fetch_async (connection, previous, TRUE, NULL, beam_test_stash, &wait);
  beam_test_wait_for (&wait.done, 60000);
  table = beam_process_list_fetch_finish (wait.result, &error);
  g_object_unref (wait.result);
  g_assert_no_error (error);
  return table;
}

static gint64
node_integer (const char *module,
              const char *function,
              const char *args)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = beam_test_node_erl_call (node, module, function, args, &error);

  g_assert_no_error (error);
  return g_ascii_strtoll (out, NULL, 10);
}

static gint
find_named (const BeamProcessTable *table,
            const char             *name)
{
  for (guint i = 0; i < beam_process_table_get_n_records (table); i++)
    {
      const BeamProcessRecord *record = beam_process_table_get_record (table, i);

      if (record->registered &&
          g_str_equal (beam_process_table_get_string (table, record->name), name))
        return (gint) i;
    }
  return -1;
}

static void
test_table_contents (void)
{
  g_autoptr(BeamProcessTable) table = fetch (NULL);
  gint64 count = node_integer ("erlang", "system_info", "[process_count]");
  const BeamProcessRecord *mailbox;
  const BeamProcessRecord *cache;
  gint index;

  /* Our rex worker and its slice collectors come and go meanwhile. */
  g_assert_cmpint (ABS ((gint64) beam_process_table_get_n_records (table) - count), <=, 5);

  index = find_named (table, "beamscope_mailbox");
  g_assert_cmpint (index, >=, 0);
  mailbox = beam_process_table_get_record (table, index);
  g_assert_cmpuint (mailbox->message_queue_len, ==, 1500);
  g_assert_cmpstr (beam_process_table_get_string (table, mailbox->initial_call), ==,
                   "beamscope_fixture:mailbox_owner/0");
  g_assert_cmpstr (beam_process_table_get_string (table, mailbox->current_function), ==,
                   "beamscope_fixture:mailbox_owner/0");
  g_assert_cmpint (mailbox->status, ==, BEAM_PROCESS_STATUS_WAITING);
  g_assert_cmpint (mailbox->memory, >, 0);
  g_assert_cmpint (mailbox->total_heap_size, >=, mailbox->heap_size);

  /* A gen_server started with proc_lib: its initial call is translated. */
  index = find_named (table, "beamscope_cache");
  g_assert_cmpint (index, >=, 0);
  cache = beam_process_table_get_record (table, index);
  g_assert_cmpstr (beam_process_table_get_string (table, cache->initial_call), ==,
                   "beamscope_fixture:cache_init/0");
  g_assert_cmpstr (beam_process_table_get_display_name (table, index), ==, "beamscope_cache");

  /* Pids as the node prints them. */
  {
    char pid[32];
    g_autofree char *expected = NULL;
    g_autoptr(GError) error = NULL;
    g_autofree char *printed = beam_test_node_erl_call (node, "erlang", "whereis",
                                                        "[beamscope_mailbox]", &error);

    /* erl_call, another node, prints <node.N.S>; the node itself <0.N.S>. */
    g_assert_no_error (error);
    g_assert_nonnull (strstr (printed, node->name));
    expected = g_strdup_printf ("<0%s", g_strstrip (strstr (printed, node->name) +
                                                    strlen (node->name)));
    beam_process_table_format_pid (table, find_named (table, "beamscope_mailbox"), pid);
    g_assert_cmpstr (pid, ==, expected);
  }
}

static void
test_sorting (void)
{
  g_autoptr(BeamProcessTable) table = fetch (NULL);
  guint n = beam_process_table_get_n_records (table);

  for (guint column = 0; column < BEAM_PROCESS_N_COLUMNS; column++)
    for (int descending = 0; descending <= 1; descending++)
      {
        g_autofree guint32 *order = beam_process_table_sort (table, column, descending);
        g_autofree gboolean *seen = g_new0 (gboolean, n);

        /* A permutation, in order. */
        for (guint k = 0; k < n; k++)
          {
            g_assert_cmpuint (order[k], <, n);
            g_assert_false (seen[order[k]]);
            seen[order[k]] = TRUE;
          }
        for (guint k = 1; k < n; k++)
          {
            guint a = order[k - 1], b = order[k];

            if (column == BEAM_PROCESS_COLUMN_NAME ||
                column == BEAM_PROCESS_COLUMN_CURRENT_FUNCTION ||
                column == BEAM_PROCESS_COLUMN_PID)
              continue;  /* checked below */
            if (descending)
              g_assert_cmpfloat (beam_process_table_get_number (table, a, column), >=,
                                 beam_process_table_get_number (table, b, column));
            else
              g_assert_cmpfloat (beam_process_table_get_number (table, a, column), <=,
                                 beam_process_table_get_number (table, b, column));
          }
      }

  /* By name: registered names first, alphabetically, then initial calls. */
  {
    g_autofree guint32 *order = beam_process_table_sort (table, BEAM_PROCESS_COLUMN_NAME, FALSE);
    gboolean in_registered = TRUE;

    for (guint k = 1; k < n; k++)
      {
        const BeamProcessRecord *a = beam_process_table_get_record (table, order[k - 1]);
        const BeamProcessRecord *b = beam_process_table_get_record (table, order[k]);
        const char *a_name = beam_process_table_get_display_name (table, order[k - 1]);
        const char *b_name = beam_process_table_get_display_name (table, order[k]);

        if (!b->registered)
          in_registered = FALSE;
        g_assert_true (b->registered ? in_registered : TRUE);
        if (a->registered == b->registered)
          g_assert_cmpint (g_ascii_strcasecmp (a_name, b_name), <=, 0);
      }
  }
}

static void
test_rates (void)
{
  g_autoptr(BeamProcessTable) first = fetch (NULL);
  g_autoptr(BeamProcessTable) second = NULL;
  gint busy;

  g_usleep (300 * 1000);
  second = fetch (first);
  busy = find_named (second, "beamscope_busy");
  g_assert_cmpint (busy, >=, 0);
  /* The busy process works two thirds of the time: far more than anyone. */
  g_assert_cmpfloat (beam_process_table_get_record (second, busy)->reductions_per_second, >, 10000);
  {
    g_autofree guint32 *order = beam_process_table_sort (second,
                                                         BEAM_PROCESS_COLUMN_REDUCTIONS_PER_SECOND,
                                                         TRUE);

    g_assert_cmpint (order[0], ==, busy);
  }
}

/* A table of another incarnation of the node (the node restarted under
 * its name) gives no rate: its reductions started again from zero. */
static void
test_rates_not_across_incarnations (void)
{
  g_autoptr(BeamProcessTable) first = fetch (NULL);
  g_autoptr(BeamProcessTable) second = NULL;
  gint busy;

  g_assert_cmpuint (beam_process_table_get_creation (first), !=, 0);
  g_usleep (100 * 1000);
  second = fetch (NULL);
  busy = find_named (second, "beamscope_busy");
  g_assert_cmpint (busy, >=, 0);
  g_assert_cmpfloat (beam_process_table_get_record (second, busy)->reductions_per_second, <, 0);

  beam_process_table_set_creation (second, beam_process_table_get_creation (first) + 1);
  beam_process_table_compute_rates (second, first);
  g_assert_cmpfloat (beam_process_table_get_record (second, busy)->reductions_per_second, <, 0);

  /* The same incarnation: the rate is there. */
  beam_process_table_set_creation (second, beam_process_table_get_creation (first));
  beam_process_table_compute_rates (second, first);
  g_assert_cmpfloat (beam_process_table_get_record (second, busy)->reductions_per_second, >, 0);
}

static gint
find_display_name (const BeamProcessTable *table,
                   const char             *name)
{
  for (guint i = 0; i < beam_process_table_get_n_records (table); i++)
    if (g_str_equal (beam_process_table_get_display_name (table, i), name))
      return (gint) i;
  return -1;
}

/* Processes that named themselves show that name; the others their
 * registered name or initial call; the word size comes with the list. */
static void
test_labels (void)
{
  g_autoptr(BeamProcessTable) table = fetch (NULL);
  gint labelled = find_display_name (table, "beamscope labelled worker");
  gint rabbit = find_display_name (table, "{rabbit_amqqueue_process,<<\"orders\">>}");
  gint cache = find_named (table, "beamscope_cache");

  g_assert_cmpint (labelled, >=, 0);
  g_assert_false (beam_process_table_get_record (table, labelled)->registered);
  g_assert_cmpint (rabbit, >=, 0);
  g_assert_false (beam_process_table_get_record (table, rabbit)->registered);
  /* A registered name wins over a label; no label, the initial call. */
  g_assert_cmpstr (beam_process_table_get_display_name (table, cache), ==, "beamscope_cache");
  g_assert_cmpint (find_display_name (table, "beamscope_fixture:cache_init/0"), <, 0);
  g_assert_cmpuint (beam_process_table_get_wordsize (table), ==,
                    node_integer ("erlang", "system_info", "[wordsize]"));
}

/* Pids in every form people paste. */
static void
test_parse_pid (void)
{
  static const struct
  {
    const char *text;
    const char *local_node;
    gboolean    ok;
    guint32     num;
    guint32     serial;
    const char *node;
  } cases[] = {
    { "<0.1.0>", NULL, TRUE, 1, 0, NULL },
    { " 0.522.3 ", NULL, TRUE, 522, 3, NULL },
    { "#PID<0.77.0>", NULL, TRUE, 77, 0, NULL },
    { "<rabbit@host.1.522.0>", NULL, TRUE, 522, 0, "rabbit@host" },
    { "<rabbit@host.example.com.3.522.7>", NULL, TRUE, 522, 7, "rabbit@host.example.com" },
    { "<beam@box.85.0>", NULL, TRUE, 85, 0, "beam@box" },
    { "<rabbit@10.0.0.5.1.9.0>", "rabbit@10.0.0.5", TRUE, 9, 0, "rabbit@10.0.0.5" },
    { "<5.1.0>", NULL, FALSE, 0, 0, NULL },
    { "<0.1>", NULL, FALSE, 0, 0, NULL },
    { "my_server", NULL, FALSE, 0, 0, NULL },
    { "<@host.1.2>", NULL, FALSE, 0, 0, NULL },
    { "#PID<0.1.0", NULL, FALSE, 0, 0, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *node_out = NULL;
      guint32 num = 0, serial = 0;
      gboolean ok = beam_process_info_parse_pid (cases[i].text, cases[i].local_node, &num,
                                                 &serial, &node_out);

      g_test_message ("%s", cases[i].text);
      g_assert_cmpint (ok, ==, cases[i].ok);
      if (!ok)
        continue;
      g_assert_cmpuint (num, ==, cases[i].num);
      g_assert_cmpuint (serial, ==, cases[i].serial);
      g_assert_cmpstr (node_out, ==, cases[i].node);
    }
}

static void
test_playbooks (void)
{
  g_autoptr(BeamProcessTable) table = fetch (NULL);
  g_autoptr(GArray) groups = beam_process_table_group_by_initial_call (table);
  g_autoptr(GArray) in_module = beam_process_table_in_module (table, "beamscope_fixture");
  g_autoptr(GArray) top = beam_process_table_top (table, NULL,
                                                  BEAM_PROCESS_COLUMN_MESSAGE_QUEUE_LEN, 3);
  guint first;
  guint total = 0;
  gboolean mailbox = FALSE, big = FALSE;

  /* The groups account for every process, most common first. */
  for (guint i = 0; i < groups->len; i++)
    {
      BeamProcessGroup *group = &g_array_index (groups, BeamProcessGroup, i);
      total += group->count;
      if (i > 0)
        g_assert_cmpuint (group->count, <=, g_array_index (groups, BeamProcessGroup, i - 1).count);
    }
  g_assert_cmpuint (total, ==, beam_process_table_get_n_records (table));

  /* The stuck-process finder: who is in a function of the fixture now. */
  for (guint i = 0; i < in_module->len; i++)
    {
      guint index = g_array_index (in_module, guint32, i);
      const char *name = beam_process_table_get_display_name (table, index);
      guint32 function = beam_process_table_get_record (table, index)->current_function;

      mailbox |= g_str_equal (name, "beamscope_mailbox");
      big |= g_str_equal (name, "beamscope_big");
      g_assert_true (g_str_has_prefix (beam_process_table_get_string (table, function),
                                       "beamscope_fixture:"));
    }
  g_assert_true (mailbox && big);

  g_assert_cmpuint (top->len, ==, 3);
  first = g_array_index (top, BeamProcessRank, 0).index;
  g_assert_cmpstr (beam_process_table_get_display_name (table, first), ==, "beamscope_mailbox");
  g_assert_cmpfloat (g_array_index (top, BeamProcessRank, 0).value, ==, 1500);
}

/* ---- beamscope-cli ------------------------------------------------------- */


static const char *
first_name (JsonNode *root)
{
  JsonObject *first = json_array_get_object_element (json_node_get_array (root), 0);

  return json_object_get_string_member_with_default (first, "name", NULL);
}

static void
test_cli_top (void)
{
  g_autoptr(JsonNode) by_queue = beam_test_node_cli_json (node, "top", "--by", "message_queue_len",
                                                          "-n", "3", NULL);
  g_autoptr(JsonNode) by_memory = beam_test_node_cli_json (node, "top", "--by", "memory",
                                                           "-n", "5", NULL);
  g_autoptr(JsonNode) by_heap = beam_test_node_cli_json (node, "top", "--by", "total_heap_size",
                                                         NULL);
  g_autoptr(JsonNode) by_window = beam_test_node_cli_json (node, "top", "--by", "reductions",
                                                           "--window", "500", "-n", "3", NULL);
  g_autoptr(JsonNode) many = beam_test_node_cli_json (node, "top", "--by", "heap_size",
                                                      "-n", "40", NULL);
  JsonArray *queue = json_node_get_array (by_queue);
  JsonObject *mailbox = json_array_get_object_element (queue, 0);
  JsonObject *unregistered = NULL;

  g_assert_cmpuint (json_array_get_length (queue), ==, 3);
  g_assert_cmpstr (json_object_get_string_member (mailbox, "name"), ==, "beamscope_mailbox");
  g_assert_cmpint (json_object_get_int_member (mailbox, "value"), ==, 1500);
  g_assert_cmpstr (json_object_get_string_member (mailbox, "initial_call"), ==,
                   "beamscope_fixture:mailbox_owner/0");
  g_assert_true (g_regex_match_simple ("^<0\\.[0-9]+\\.[0-9]+>$",
                                       json_object_get_string_member (mailbox, "pid"), 0, 0));

  g_assert_cmpuint (json_array_get_length (json_node_get_array (by_memory)), ==, 5);
  g_assert_cmpstr (first_name (by_memory), ==, "beamscope_big");
  g_assert_cmpuint (json_array_get_length (json_node_get_array (by_heap)), ==, 10);
  g_assert_cmpstr (first_name (by_heap), ==, "beamscope_big");
  g_assert_cmpstr (first_name (by_window), ==, "beamscope_busy");

  /* Biggest first, and name is null for processes without one. */
  for (guint i = 0; i < json_array_get_length (json_node_get_array (by_memory)); i++)
    {
      JsonArray *memory = json_node_get_array (by_memory);
      JsonObject *entry = json_array_get_object_element (memory, i);

      if (i > 0)
        g_assert_cmpint (json_object_get_int_member (entry, "value"), <=,
                         json_object_get_int_member (json_array_get_object_element (memory, i - 1),
                                                     "value"));
    }
  g_assert_cmpuint (json_array_get_length (json_node_get_array (many)), ==, 40);
  for (guint i = 0; i < json_array_get_length (json_node_get_array (many)); i++)
    {
      JsonObject *entry = json_array_get_object_element (json_node_get_array (many), i);
      if (json_node_is_null (json_object_get_member (entry, "name")))
        unregistered = entry;
    }
  g_assert_nonnull (unregistered);
  g_assert_nonnull (json_object_get_string_member (unregistered, "initial_call"));
}

static void
test_cli_procs (void)
{
  g_autoptr(JsonNode) procs = beam_test_node_cli_json (node, "procs", NULL);
  JsonArray *list = json_node_get_array (procs);
  gint64 count = node_integer ("erlang", "system_info", "[process_count]");
  gboolean found = FALSE;

  g_assert_cmpint (ABS ((gint64) json_array_get_length (list) - count), <=, 5);
  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonObject *entry = json_array_get_object_element (list, i);
      const char *name = json_object_get_string_member_with_default (entry, "name", NULL);

      if (g_strcmp0 (name, "beamscope_mailbox") == 0)
        {
          found = TRUE;
          g_assert_cmpint (json_object_get_int_member (entry, "message_queue_len"), ==, 1500);
          g_assert_cmpstr (json_object_get_string_member (entry, "status"), ==, "waiting");
          g_assert_cmpint (json_object_get_int_member (entry, "memory"), >, 0);
        }
    }
  g_assert_true (found);
}

static char *
run_cli_text (const char *command)
{
  const char *argv[] = { g_getenv ("BEAMSCOPE_CLI"), command, "--node", node->name,
                         "--cookie", node->cookie, NULL };
  g_autoptr(GError) error = NULL;
  char *out = NULL;
  int status;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                               &out, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_cmpint (WEXITSTATUS (status), ==, 0);
  return out;
}

/* The text output never cuts a name: a name longer than its column is
 * printed whole, in Elixir syntax too. */
static void
test_cli_long_names (void)
{
  static const char long_name[] = "beamscope_registered_under_a_name_longer_than_forty_columns";
  g_autoptr(GError) error = NULL;
  g_autofree char *args = g_strdup_printf ("[\"%s\"]", long_name);
  g_autofree char *out = NULL;

  g_free (beam_test_node_erl_call (node, "beamscope_fixture", "spawn_named", args, &error));
  g_assert_no_error (error);
  out = run_cli_text ("procs");
  g_assert_nonnull (strstr (out, long_name));
}

static void
test_cli_proc (void)
{
  g_autoptr(JsonNode) by_name = beam_test_node_cli_json (node, "proc", "beamscope_mailbox",
                                                         NULL);
  JsonObject *info = json_node_get_object (by_name);
  const char * const *items = beam_process_info_items ();
  g_autofree char *bare_pid = NULL;
  g_autoptr(JsonNode) by_pid = NULL;

  for (guint i = 0; items[i] != NULL; i++)
    {
      g_test_message ("%s", items[i]);
      g_assert_true (json_object_has_member (info, items[i]));
    }
  g_assert_cmpint (json_object_get_int_member (info, "message_queue_len"), ==, 1500);
  g_assert_cmpstr (json_object_get_string_member (info, "registered_name"), ==,
                   "beamscope_mailbox");
  g_assert_cmpstr (json_object_get_string_member (info, "initial_call"), ==,
                   "beamscope_fixture:mailbox_owner/0");
  g_assert_cmpstr (json_object_get_string_member (info, "status"), ==, "waiting");
  g_assert_true (json_object_get_boolean_member (info, "trap_exit") == FALSE);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (info, "links")), ==, 1);

  /* The same process by its pid, written as 0.N.S. */
  bare_pid = g_strndup (json_object_get_string_member (info, "pid") + 1,
                        strlen (json_object_get_string_member (info, "pid")) - 2);
  by_pid = beam_test_node_cli_json (node, "proc", bare_pid, NULL);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (by_pid),
                                                  "registered_name"),
                   ==, "beamscope_mailbox");

  /* Elixir's #PID<0.N.S>, and rabbitmqctl's <node.Creation.N.S>. */
  {
    g_autofree char *elixir = g_strdup_printf ("#PID<%s>", bare_pid);
    g_autofree char *rabbit = g_strdup_printf ("<%s.1.%s>", node->name, strchr (bare_pid, '.') + 1);
    g_autofree char *elsewhere = g_strdup_printf ("<elsewhere@nowhere.1.%s>",
                                                  strchr (bare_pid, '.') + 1);
    g_autoptr(JsonNode) by_elixir = beam_test_node_cli_json (node, "proc", elixir, NULL);
    g_autoptr(JsonNode) by_rabbit = beam_test_node_cli_json (node, "proc", rabbit, NULL);
    g_autofree char *err = NULL;
    int status;

    g_assert_cmpstr (json_object_get_string_member (json_node_get_object (by_elixir),
                                                    "registered_name"), ==, "beamscope_mailbox");
    g_assert_cmpstr (json_object_get_string_member (json_node_get_object (by_rabbit),
                                                    "registered_name"), ==, "beamscope_mailbox");
    /* The same numbers on another node are not this process. */
    g_free (beam_test_node_cli (node, &status, &err, "proc", elsewhere, NULL));
    g_assert_cmpint (status, ==, 1);
    g_assert_nonnull (strstr (err, "No process"));
  }
}

/* The text output writes heap sizes as bytes (the JSON keeps words), a
 * process's label as its name, and "none" for no registered name. */
static void
test_cli_text_names_and_sizes (void)
{
  int top_status, procs_status, proc_status;
  g_autofree char *top = beam_test_node_cli (node, &top_status, NULL, "top", "--by", "heap_size",
                                             "-n", "1", NULL);
  g_autofree char *procs = beam_test_node_cli (node, &procs_status, NULL, "procs", NULL);
  g_autoptr(JsonNode) listed = beam_test_node_cli_json (node, "procs", NULL);
  g_auto(GStrv) lines = g_strsplit (top, "\n", -1);
  const char *labelled_pid = NULL;
  g_autofree char *proc = NULL;

  g_assert_cmpint (top_status, ==, 0);
  g_assert_cmpint (procs_status, ==, 0);
  g_test_message ("%s", top);
  g_assert_nonnull (strstr (lines[1], "beamscope_big"));
  g_assert_true (g_regex_match_simple (" [0-9.]+.MiB ", lines[1], 0, 0));

  g_assert_nonnull (strstr (procs, "beamscope labelled worker"));
  for (guint i = 0; i < json_array_get_length (json_node_get_array (listed)); i++)
    {
      JsonObject *entry = json_array_get_object_element (json_node_get_array (listed), i);

      if (g_strcmp0 (json_object_get_string_member_with_default (entry, "label", NULL),
                     "beamscope labelled worker") == 0)
        {
          g_assert_true (json_node_is_null (json_object_get_member (entry, "name")));
          labelled_pid = json_object_get_string_member (entry, "pid");
        }
    }
  g_assert_nonnull (labelled_pid);
  proc = beam_test_node_cli (node, &proc_status, NULL, "proc", labelled_pid, NULL);
  g_assert_cmpint (proc_status, ==, 0);
  g_assert_true (g_regex_match_simple ("^registered_name +none$", proc, G_REGEX_MULTILINE, 0));
  /* proc says the label too, as procs does. */
  g_assert_true (g_regex_match_simple ("^label +\"beamscope labelled worker\"$", proc,
                                       G_REGEX_MULTILINE, 0));
  {
    g_autoptr(JsonNode) rabbit = NULL;

    for (guint i = 0; i < json_array_get_length (json_node_get_array (listed)); i++)
      {
        JsonObject *entry = json_array_get_object_element (json_node_get_array (listed), i);
        const char *label = json_object_get_string_member_with_default (entry, "label", NULL);

        if (label != NULL && strstr (label, "orders") != NULL)
          rabbit = beam_test_node_cli_json (node, "proc",
                                            json_object_get_string_member (entry, "pid"), NULL);
      }
    g_assert_nonnull (rabbit);
    g_assert_nonnull (strstr (json_object_get_string_member (json_node_get_object (rabbit),
                                                             "label"), "orders"));
  }
}

/* A name the node does not know is a clear error, and no new atom. */
static void
test_cli_unknown_name_makes_no_atom (void)
{
  g_autofree char *err = NULL;
  g_autofree char *name = g_strdup_printf ("never_seen_%08x", g_random_int ());
  gint64 before, after;
  int status;

  before = node_integer ("erlang", "system_info", "[atom_count]");
  g_free (beam_test_node_cli (node, &status, &err, "proc", name, NULL));
  after = node_integer ("erlang", "system_info", "[atom_count]");
  g_assert_cmpint (status, ==, 1);
  g_assert_nonnull (strstr (err, "No process"));
  g_assert_nonnull (strstr (err, name));
  /* erl_call's own call may add its atoms once; ours adds none. */
  g_free (beam_test_node_cli (node, &status, NULL, "proc", name, NULL));
  g_assert_cmpint (node_integer ("erlang", "system_info", "[atom_count]"), ==, after);
  (void) before;
}

static void
test_cli_state (void)
{
  g_autoptr(JsonNode) erlang = beam_test_node_cli_json (node, "state", "beamscope_cache", NULL);
  g_autoptr(JsonNode) elixir = beam_test_node_cli_json (node, "state", "beamscope_cache",
                                                        "--syntax", "elixir", NULL);
  g_autoptr(JsonNode) mailbox = NULL;
  g_autofree char *err = NULL;
  int status;

  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (erlang), "state"), ==,
                   "#{hits => 42,name => <<\"cache\">>}");
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (elixir), "state"), ==,
                   "%{hits: 42, name: \"cache\"}");

  /* Started by proc_lib but not an OTP loop: refused, and its mailbox is
   * exactly as it was (no system message left behind). */
  g_free (beam_test_node_cli (node, &status, &err, "state", "beamscope_mailbox", NULL));
  g_assert_cmpint (status, ==, 1);
  g_assert_nonnull (strstr (err, "not an OTP process"));
  mailbox = beam_test_node_cli_json (node, "proc", "beamscope_mailbox", NULL);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (mailbox), "message_queue_len"),
                   ==, 1500);
}

/* Listing processes again and again creates no atom on the node: the few
 * atoms of the program are there after the first time. */
static void
test_no_atom_growth (void)
{
  gint64 before, after;

  beam_process_table_unref (fetch (NULL));
  before = node_integer ("erlang", "system_info", "[atom_count]");
  for (int i = 0; i < 5; i++)
    {
      BeamProcessTable *table = fetch (NULL);
      beam_process_table_unref (table);
    }
  after = node_integer ("erlang", "system_info", "[atom_count]");
  g_assert_cmpint (after, ==, before);
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

  g_test_add_func ("/processes/table-contents", test_table_contents);
  g_test_add_func ("/processes/sorting", test_sorting);
  g_test_add_func ("/processes/rates", test_rates);
  g_test_add_func ("/processes/rates-not-across-incarnations",
                   test_rates_not_across_incarnations);
  g_test_add_func ("/processes/labels", test_labels);
  g_test_add_func ("/processes/parse-pid", test_parse_pid);
  g_test_add_func ("/processes/playbooks", test_playbooks);
  g_test_add_func ("/processes/cli-top", test_cli_top);
  g_test_add_func ("/processes/cli-procs", test_cli_procs);
  g_test_add_func ("/processes/no-atom-growth", test_no_atom_growth);
  g_test_add_func ("/processes/cli-proc", test_cli_proc);
  g_test_add_func ("/processes/cli-text-names-and-sizes", test_cli_text_names_and_sizes);
  g_test_add_func ("/processes/cli-long-names", test_cli_long_names);
  g_test_add_func ("/processes/cli-unknown-name", test_cli_unknown_name_makes_no_atom);
  g_test_add_func ("/processes/cli-state", test_cli_state);

  status = g_test_run ();
  g_clear_object (&connection);
  beam_test_node_free (node);
  return status;
}
