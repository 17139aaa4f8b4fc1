/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Table Viewer's list of tables (beam-ets-tables), through the CLI's
 * `ets`, against tables of known kinds made on a fixture node
 * (beamscope_fixture:make_tables/0) and what ets:info/2 says there. */

#include <string.h>

#include "beam-connection.h"
#include "beam-test-node.h"

static BeamTestNode *node;

static char *
erl_call (const char *module,
          const char *function,
          const char *args)
{
  g_autoptr(GError) error = NULL;
  char *printed = beam_test_node_erl_call (node, module, function, args, &error);

  g_assert_no_error (error);
  return g_strstrip (printed);
}

static gint64
erl_call_integer (const char *module,
                  const char *function,
                  const char *args)
{
  g_autofree char *printed = erl_call (module, function, args);

  return g_ascii_strtoll (printed, NULL, 10);
}

static JsonObject *
table_named (JsonArray  *tables,
             const char *name)
{
  for (guint i = 0; i < json_array_get_length (tables); i++)
    {
      JsonObject *table = json_array_get_object_element (tables, i);

      if (g_strcmp0 (json_object_get_string_member (table, "name"), name) == 0)
        return table;
    }
  return NULL;
}

static void
test_list (void)
{
  g_autoptr(JsonNode) user = beam_test_node_cli_json (node, "ets", "--sort", "name", NULL);
  g_autoptr(JsonNode) all = beam_test_node_cli_json (node, "ets", "--all", NULL);
  JsonArray *tables = json_node_get_array (user);
  gint64 word_size = erl_call_integer ("erlang", "system_info", "[wordsize]");
  JsonObject *set, *unnamed, *private, *dup;

  set = table_named (tables, "bs_set");
  g_assert_nonnull (set);
  g_assert_cmpstr (json_object_get_string_member (set, "type"), ==, "set");
  g_assert_cmpint (json_object_get_int_member (set, "size"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (set, "memory"), ==,
                   erl_call_integer ("ets", "info", "[bs_set, memory]") * word_size);
  g_assert_cmpstr (json_object_get_string_member (set, "protection"), ==, "public");
  g_assert_cmpint (json_object_get_int_member (set, "keypos"), ==, 1);
  g_assert_true (json_object_get_boolean_member (set, "named_table"));
  g_assert_true (g_str_has_prefix (json_object_get_string_member (set, "owner"), "<"));
  g_assert_true (json_object_get_null_member (set, "heir"));
  g_assert_false (json_object_get_boolean_member (set, "system"));

  /* Made without named_table, it still has a name; its id is a reference. */
  unnamed = table_named (tables, "bs_unnamed");
  g_assert_nonnull (unnamed);
  g_assert_true (g_str_has_prefix (json_object_get_string_member (unnamed, "id"), "#Ref<"));
  g_assert_cmpstr (json_object_get_string_member (unnamed, "type"), ==, "ordered_set");
  g_assert_cmpint (json_object_get_int_member (unnamed, "size"), ==, 10);
  g_assert_false (json_object_get_boolean_member (unnamed, "named_table"));

  private = table_named (tables, "bs_private");
  g_assert_nonnull (private);
  g_assert_cmpstr (json_object_get_string_member (private, "protection"), ==, "private");
  g_assert_cmpstr (json_object_get_string_member (private, "type"), ==, "bag");

  dup = table_named (tables, "bs_dup");
  g_assert_nonnull (dup);
  g_assert_cmpstr (json_object_get_string_member (dup, "type"), ==, "duplicate_bag");
  g_assert_cmpint (json_object_get_int_member (dup, "keypos"), ==, 2);
  g_assert_true (json_object_get_boolean_member (dup, "compressed"));
  g_assert_true (g_str_has_prefix (json_object_get_string_member (dup, "heir"), "<"));

  /* Sorted by name; kernel's tables only with --all, marked system. */
  for (guint i = 1; i < json_array_get_length (tables); i++)
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (tables, i - 1),
                                                    "name"), <=,
                     json_object_get_string_member (json_array_get_object_element (tables, i),
                                                    "name"));
  g_assert_null (table_named (tables, "ac_tab"));
  g_assert_null (table_named (tables, "code"));
  g_assert_nonnull (table_named (json_node_get_array (all), "code"));
  g_assert_true (json_object_get_boolean_member (table_named (json_node_get_array (all), "code"),
                                                 "system"));
  /* Every table of the node, give or take one made or gone meanwhile. */
  g_assert_cmpint (ABS ((gint64) json_array_get_length (json_node_get_array (all)) -
                        erl_call_integer ("erlang", "system_info", "[ets_count]")), <=, 3);
}

static void
test_limits (void)
{
  g_autoptr(JsonNode) two = beam_test_node_cli_json (node, "ets", "-n", "2", "--sort", "size",
                                                     NULL);
  JsonArray *tables = json_node_get_array (two);
  const char *argv[] = { g_getenv ("BEAMSCOPE_CLI"), "ets", "--sort", "colour", "--node",
                         node->name, "--cookie", node->cookie, NULL };
  g_autofree char *out = NULL, *err = NULL;
  int status;

  g_assert_cmpuint (json_array_get_length (tables), ==, 2);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (tables, 0), "size"),
                   >=,
                   json_object_get_int_member (json_array_get_object_element (tables, 1), "size"));

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               &out, &err, &status, NULL));
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 2);
  g_assert_nonnull (strstr (err, "--sort"));
}

/* `rows` shows what the node's own select gives, in the table's order. */
static void
test_rows (void)
{
  g_autoptr(JsonNode) set = beam_test_node_cli_json (node, "rows", "bs_set", NULL);
  g_autoptr(JsonNode) window = beam_test_node_cli_json (node, "rows", "bs_unnamed", "--offset",
                                                        "8", "--limit", "5", NULL);
  g_autoptr(JsonNode) elixir = beam_test_node_cli_json (node, "rows", "bs_set", "--syntax",
                                                        "elixir", "--limit", "1", NULL);
  g_autofree char *lookup = erl_call ("ets", "lookup", "[bs_set, 2]");
  JsonObject *object = json_node_get_object (set);
  JsonArray *rows = json_object_get_array_member (object, "rows");
  gboolean found = FALSE;

  g_assert_cmpstr (json_object_get_string_member (object, "table"), ==, "bs_set");
  g_assert_cmpint (json_object_get_int_member (object, "size"), ==, 3);
  g_assert_false (json_object_get_boolean_member (object, "more"));
  g_assert_cmpuint (json_array_get_length (rows), ==, 3);
  /* The row ets:lookup(bs_set, 2) gives is listed, printed as the node does. */
  g_assert_cmpstr (lookup, ==, "[{2, two}]");   /* erl_call prints with spaces */
  for (guint i = 0; i < json_array_get_length (rows); i++)
    found |= g_strcmp0 (json_array_get_string_element (rows, i), "{2,two}") == 0;
  g_assert_true (found);

  /* An ordered_set in key order, from an offset; more when rows follow. */
  object = json_node_get_object (window);
  rows = json_object_get_array_member (object, "rows");
  g_assert_cmpuint (json_array_get_length (rows), ==, 2);
  g_assert_cmpstr (json_array_get_string_element (rows, 0), ==, "{9,81}");
  g_assert_cmpstr (json_array_get_string_element (rows, 1), ==, "{10,100}");
  g_assert_false (json_object_get_boolean_member (object, "more"));
  g_assert_true (json_object_get_boolean_member (json_node_get_object (elixir), "more"));
  g_assert_true (g_str_has_prefix (json_array_get_string_element (
                   json_object_get_array_member (json_node_get_object (elixir), "rows"), 0),
                   "{"));
}

/* A private table says so; an unknown name is named, and made no atom. */
static void
test_rows_errors (void)
{
  g_autofree char *name = g_strdup_printf ("no_such_table_%u", g_random_int ());
  const char *private_argv[] = { g_getenv ("BEAMSCOPE_CLI"), "rows", "bs_private", "--node",
                                 node->name, "--cookie", node->cookie, NULL };
  const char *unknown_argv[] = { g_getenv ("BEAMSCOPE_CLI"), "rows", name, "--node",
                                 node->name, "--cookie", node->cookie, NULL };
  g_autofree char *out = NULL, *err = NULL, *out2 = NULL, *err2 = NULL;
  gint64 atoms = erl_call_integer ("erlang", "system_info", "[atom_count]");
  int status;

  g_assert_true (g_spawn_sync (NULL, (char **) private_argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               &out, &err, &status, NULL));
  g_assert_false (g_spawn_check_wait_status (status, NULL));
  g_assert_nonnull (strstr (err, "private"));
  g_assert_true (g_spawn_sync (NULL, (char **) unknown_argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               &out2, &err2, &status, NULL));
  g_assert_false (g_spawn_check_wait_status (status, NULL));
  g_assert_nonnull (strstr (err2, name));
  g_assert_cmpint (erl_call_integer ("erlang", "system_info", "[atom_count]"), ==, atoms);
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
  g_free (erl_call ("beamscope_fixture", "make_tables", "[]"));

  g_test_add_func ("/tables/list", test_list);
  g_test_add_func ("/tables/limits", test_limits);
  g_test_add_func ("/tables/rows", test_rows);
  g_test_add_func ("/tables/rows-errors", test_rows_errors);

  status = g_test_run ();
  beam_test_node_free (node);
  return status;
}
