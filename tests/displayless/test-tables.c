/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Table Viewer's list of tables (beam-ets-tables), through the CLI's
 * `ets`, against tables of known kinds made on a fixture node
 * (beamscope_fixture:make_tables/0) and what ets:info/2 says there; the
 * growth the Tables page draws (beam-ets-table-row's samples) as a table
 * grows between two real refreshes; and Mnesia's tables (beam-mnesia-tables,
 * the CLI's `mnesia`) on a second node running Mnesia with a table of each
 * storage type (beamscope_fixture:start_mnesia/1), against what
 * mnesia:table_info/2 says there, and on the first, where Mnesia does not
 * run and asking must not start it. */

#include <string.h>

#include "beam-connection.h"
#include "beam-ets-table-row.h"
#include "beam-test-node.h"

static BeamTestNode *node;
static BeamTestNode *mnesia_node;

static char *
erl_call_on (BeamTestNode *on,
             const char   *module,
             const char   *function,
             const char   *args)
{
  g_autoptr(GError) error = NULL;
  char *printed = beam_test_node_erl_call (on, module, function, args, &error);

  g_assert_no_error (error);
  return g_strstrip (printed);
}

static char *
erl_call (const char *module,
          const char *function,
          const char *args)
{
  return erl_call_on (node, module, function, args);
}

static gint64
erl_call_integer_on (BeamTestNode *on,
                     const char   *module,
                     const char   *function,
                     const char   *args)
{
  g_autofree char *printed = erl_call_on (on, module, function, args);
  char *end = NULL;
  gint64 value = g_ascii_strtoll (printed, &end, 10);

  g_assert_true (end != printed && *end == '\0');
  return value;
}

static gint64
erl_call_integer (const char *module,
                  const char *function,
                  const char *args)
{
  return erl_call_integer_on (node, module, function, args);
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

/* ---- growth between refreshes ------------------------------------------------------ */

static BeamEtsTables *
probe_tables (BeamConnection *connection)
{
  BeamTestWait wait = { 0 };
  g_autoptr(GError) error = NULL;
  BeamEtsTables *tables;

  beam_ets_tables_async (connection, NULL, beam_test_stash, &wait);
  beam_test_wait_for (&wait.done, 20000);
  tables = beam_ets_tables_finish (wait.result, &error);
  g_object_unref (wait.result);
  g_assert_no_error (error);
  return tables;
}

static const BeamEtsTable *
find_table (const BeamEtsTables *tables,
            const char          *name)
{
  for (guint i = 0; i < tables->n_tables; i++)
    if (g_strcmp0 (tables->tables[i].name, name) == 0)
      return &tables->tables[i];
  g_assert_not_reached ();
}

static BeamEtsTableRow *
find_row (GListStore *store,
          const char *name)
{
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (store)); i++)
    {
      g_autoptr(BeamEtsTableRow) row = g_list_model_get_item (G_LIST_MODEL (store), i);

      if (g_strcmp0 (beam_ets_table_row_get_name (row), name) == 0)
        return row;   /* the store holds it */
    }
  g_assert_not_reached ();
}

/* The row's samples of one figure, oldest first, as a sparkline reads them. */
static GArray *
history_of (BeamEtsTableRow *row,
            const char      *property)
{
  g_autoptr(GVariant) history = NULL;
  const gint64 *values;
  gsize n;
  GArray *array = g_array_new (FALSE, FALSE, sizeof (gint64));

  g_object_get (row, property, &history, NULL);
  g_assert_true (g_variant_is_of_type (history, G_VARIANT_TYPE ("ax")));
  values = g_variant_get_fixed_array (history, &n, sizeof (gint64));
  g_array_append_vals (array, values, n);
  return array;
}

/* Rows are inserted into a fixture table between two refreshes fed by real
 * probes: the row's change is what was inserted, its memory change what
 * ets:info says it grew by, and its samples are the sizes seen. */
static void
test_growth (void)
{
  g_autoptr(BeamConnection) connection = beam_test_node_connect (node);
  g_autoptr(GListStore) store = g_list_store_new (BEAM_TYPE_ETS_TABLE_ROW);
  g_autoptr(BeamEtsTables) before = probe_tables (connection);
  g_autoptr(BeamEtsTables) after = NULL;
  g_autoptr(BeamEtsTables) back = NULL;
  g_autoptr(GString) rows = g_string_new ("[bs_set, [");
  g_autoptr(GArray) sizes = NULL;
  g_autoptr(GArray) memories = NULL;
  const BeamEtsTable *set_before, *set_after;
  BeamEtsTableRow *row;
  const guint inserted = 1234;

  beam_ets_table_rows_update (store, before);
  row = find_row (store, "bs_set");
  g_assert_cmpint (beam_ets_table_row_get_size_change (row), ==, 0);
  g_assert_cmpint (beam_ets_table_row_get_memory_change (row), ==, 0);
  g_assert_cmpuint (beam_ets_table_row_get_n_samples (row), ==, 1);

  for (guint i = 0; i < inserted; i++)
    g_string_append_printf (rows, "%s{%u, grown}", i > 0 ? ", " : "", 1000 + i);
  g_string_append (rows, "]]");
  g_free (erl_call ("ets", "insert", rows->str));
  after = probe_tables (connection);
  beam_ets_table_rows_update (store, after);
  g_assert_true (find_row (store, "bs_set") == row);   /* updated in place */
  set_before = find_table (before, "bs_set");
  set_after = find_table (after, "bs_set");
  g_assert_cmpint (set_after->size - set_before->size, ==, inserted);
  g_assert_cmpint (beam_ets_table_row_get_size_change (row), ==, inserted);
  g_assert_cmpint (beam_ets_table_row_get_memory_change (row), ==,
                   set_after->memory - set_before->memory);
  g_assert_cmpint (beam_ets_table_row_get_memory_change (row), >, 0);
  g_assert_cmpuint (beam_ets_table_row_get_n_samples (row), ==, 2);
  sizes = history_of (row, "size-history");
  g_assert_cmpuint (sizes->len, ==, 2);
  g_assert_cmpint (g_array_index (sizes, gint64, 0), ==, 3);
  g_assert_cmpint (g_array_index (sizes, gint64, 1), ==, 3 + inserted);
  /* A table that did not change has a flat history and no change. */
  g_assert_cmpint (beam_ets_table_row_get_size_change (find_row (store, "bs_dup")), ==, 0);

  /* Back to its size: the change is measured from the first sample. */
  g_free (erl_call ("ets", "select_delete",
                    "[bs_set, [{{'$1', '_'}, [{'>=', '$1', 1000}], [true]}]]"));
  back = probe_tables (connection);
  beam_ets_table_rows_update (store, back);
  g_assert_cmpint (beam_ets_table_row_get_size_change (row), ==, 0);
  memories = history_of (row, "memory-history");
  g_assert_cmpuint (memories->len, ==, 3);
  g_assert_cmpint (g_array_index (memories, gint64, 0), ==, set_before->memory);
  g_assert_cmpint (g_array_index (memories, gint64, 1), ==, set_after->memory);
}

/* The ring keeps the last BEAM_ETS_TABLE_ROW_HISTORY samples, the change
 * stays measured from the first ever, and once a full ring holds one value,
 * more of it notify nothing (no sparkline redraws). */
static void
test_history_ring (void)
{
  g_autoptr(GListStore) store = g_list_store_new (BEAM_TYPE_ETS_TABLE_ROW);
  BeamEtsTable table = { .name = "grows", .id = "grows", .type = "set", .memory = 800 };
  BeamEtsTables tables = { &table, 1, NULL };
  g_autoptr(BeamEtsTableRow) row = NULL;
  g_autoptr(GArray) sizes = NULL;
  guint notified = 0;

  for (guint i = 0; i < BEAM_ETS_TABLE_ROW_HISTORY + 10; i++)
    {
      table.size = 100 + i;
      beam_ets_table_rows_update (store, &tables);
    }
  row = g_list_model_get_item (G_LIST_MODEL (store), 0);
  g_assert_cmpuint (beam_ets_table_row_get_n_samples (row), ==, BEAM_ETS_TABLE_ROW_HISTORY);
  g_assert_cmpint (beam_ets_table_row_get_size_change (row), ==,
                   BEAM_ETS_TABLE_ROW_HISTORY + 9);
  g_assert_cmpint (beam_ets_table_row_get_memory_change (row), ==, 0);
  sizes = history_of (row, "size-history");
  g_assert_cmpuint (sizes->len, ==, BEAM_ETS_TABLE_ROW_HISTORY);
  g_assert_cmpint (g_array_index (sizes, gint64, 0), ==, 110);
  g_assert_cmpint (g_array_index (sizes, gint64, BEAM_ETS_TABLE_ROW_HISTORY - 1), ==,
                   100 + BEAM_ETS_TABLE_ROW_HISTORY + 9);

  g_signal_connect (row, "notify::size-history", G_CALLBACK (beam_test_count_notify), &notified);
  /* The ring's newest sample is the value repeated: after HISTORY - 1 more,
   * the ring holds it alone, and what follows changes nothing. */
  for (guint i = 0; i < BEAM_ETS_TABLE_ROW_HISTORY - 1; i++)
    beam_ets_table_rows_update (store, &tables);
  g_assert_cmpuint (notified, ==, BEAM_ETS_TABLE_ROW_HISTORY - 1);
  for (guint i = 0; i < 3; i++)
    beam_ets_table_rows_update (store, &tables);
  g_assert_cmpuint (notified, ==, BEAM_ETS_TABLE_ROW_HISTORY - 1);
  table.size++;
  beam_ets_table_rows_update (store, &tables);
  g_assert_cmpuint (notified, ==, BEAM_ETS_TABLE_ROW_HISTORY);
}

/* ---- Mnesia --------------------------------------------------------------------------- */

static JsonObject *
mnesia_table (JsonArray  *tables,
              const char *name)
{
  JsonObject *table = table_named (tables, name);

  g_assert_nonnull (table);
  return table;
}

static void
assert_strings (JsonArray  *array,
                const char *first,
                ...)
{
  va_list args;
  guint i = 0;

  va_start (args, first);
  for (const char *expected = first; expected != NULL; expected = va_arg (args, const char *))
    {
      g_assert_cmpuint (i, <, json_array_get_length (array));
      g_assert_cmpstr (json_array_get_string_element (array, i++), ==, expected);
    }
  va_end (args);
  g_assert_cmpuint (i, ==, json_array_get_length (array));
}

/* Each storage type said as Mnesia names it, the sizes the fixture wrote,
 * memory in bytes (mnesia:table_info's words times the word size for ram
 * and disc copies, its bytes for disc_only), and the node as the one
 * replica, read there. */
static void
test_mnesia (void)
{
  g_autoptr(JsonNode) listed = beam_test_node_cli_json (mnesia_node, "mnesia", NULL);
  JsonArray *tables = json_node_get_array (listed);
  gint64 word_size = erl_call_integer_on (mnesia_node, "erlang", "system_info", "[wordsize]");
  const struct {
    const char *name, *storage, *type;
    gint64      size;
    gboolean    words;
  } expected[] = {
    { "bs_ram", "ram_copies", "set", 100, TRUE },
    { "bs_disc", "disc_copies", "ordered_set", 50, TRUE },
    { "bs_disc_only", "disc_only_copies", "bag", 25, FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      JsonObject *table = mnesia_table (tables, expected[i].name);
      g_autofree char *args = g_strdup_printf ("[%s, memory]", expected[i].name);
      gint64 memory = erl_call_integer_on (mnesia_node, "mnesia", "table_info", args);
      JsonArray *holders;

      g_test_message ("%s: %" G_GINT64_FORMAT " bytes", expected[i].name,
                      json_object_get_int_member (table, "memory"));
      g_assert_cmpstr (json_object_get_string_member (table, "storage_type"), ==,
                       expected[i].storage);
      g_assert_cmpstr (json_object_get_string_member (table, "type"), ==, expected[i].type);
      g_assert_cmpint (json_object_get_int_member (table, "size"), ==, expected[i].size);
      g_assert_cmpint (memory, >, 0);
      g_assert_cmpint (json_object_get_int_member (table, "memory"), ==,
                       expected[i].words ? memory * word_size : memory);
      g_assert_cmpstr (json_object_get_string_member (table, "record_name"), ==,
                       expected[i].name);
      g_assert_cmpstr (json_object_get_string_member (table, "where_to_read"), ==,
                       mnesia_node->name);
      holders = json_object_get_array_member (table, expected[i].storage);
      assert_strings (holders, mnesia_node->name, NULL);
    }
  assert_strings (json_object_get_array_member (mnesia_table (tables, "bs_ram"), "attributes"),
                  "id", "name", "value", NULL);
  assert_strings (json_object_get_array_member (mnesia_table (tables, "bs_disc"), "attributes"),
                  "id", "value", NULL);
  assert_strings (json_object_get_array_member (mnesia_table (tables, "bs_ram"), "disc_copies"),
                  NULL);
  /* Mnesia's own schema is one of its tables; by name, as --json sorts them. */
  g_assert_cmpstr (json_object_get_string_member (mnesia_table (tables, "schema"),
                                                  "storage_type"), ==, "disc_copies");
  for (guint i = 1; i < json_array_get_length (tables); i++)
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (tables, i - 1),
                                                    "name"), <,
                     json_object_get_string_member (json_array_get_object_element (tables, i),
                                                    "name"));
}

/* The text shows storage types as the page does. */
static void
test_mnesia_text (void)
{
  const char *argv[] = { g_getenv ("BEAMSCOPE_CLI"), "mnesia", "--node", mnesia_node->name,
                         "--cookie", mnesia_node->cookie, NULL };
  g_autofree char *out = NULL, *err = NULL;
  g_auto(GStrv) lines = NULL;
  gboolean seen = FALSE;
  int status;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               &out, &err, &status, NULL));
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_assert_cmpstr (err, ==, "");
  lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], "bs_disc_only "))
      {
        g_auto(GStrv) fields = g_strsplit_set (lines[i], " ", -1);
        g_autoptr(GPtrArray) words = g_ptr_array_new ();

        for (guint j = 0; fields[j] != NULL; j++)
          if (fields[j][0] != '\0')
            g_ptr_array_add (words, fields[j]);
        g_assert_cmpuint (words->len, >=, 8);
        g_assert_cmpstr (words->pdata[1], ==, "disc_only");
        g_assert_cmpstr (words->pdata[2], ==, "bag");
        g_assert_cmpstr (words->pdata[3], ==, "25");
        g_assert_cmpstr (words->pdata[6], ==, "id,value");
        seen = TRUE;
      }
  g_assert_true (seen);
}

/* Where Mnesia does not run: an empty list and a note on stderr, exit 0;
 * and asking neither starts nor loads Mnesia, nor, once our program's own
 * atoms exist, makes an atom. */
static void
test_mnesia_not_running (void)
{
  const char *argv[] = { g_getenv ("BEAMSCOPE_CLI"), "mnesia", "--json", "--node", node->name,
                         "--cookie", node->cookie, NULL };
  const char *text_argv[] = { g_getenv ("BEAMSCOPE_CLI"), "mnesia", "--node", node->name,
                              "--cookie", node->cookie, NULL };
  g_autofree char *out = NULL, *err = NULL, *text = NULL;
  g_autofree char *sup = NULL, *loaded = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  gint64 atoms;
  int status;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               &out, &err, &status, NULL));
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_assert_true (json_parser_load_from_data (parser, out, -1, &error));
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (json_parser_get_root (parser)));
  g_assert_cmpuint (json_array_get_length (json_node_get_array (json_parser_get_root (parser))),
                    ==, 0);
  g_assert_nonnull (strstr (err, "Mnesia is not running on"));
  g_assert_nonnull (strstr (err, node->name));

  atoms = erl_call_integer ("erlang", "system_info", "[atom_count]");
  g_assert_true (g_spawn_sync (NULL, (char **) text_argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL,
                               NULL, &text, NULL, &status, NULL));
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_assert_nonnull (strstr (text, "Mnesia is not running on"));
  g_assert_cmpint (erl_call_integer ("erlang", "system_info", "[atom_count]"), ==, atoms);

  sup = erl_call ("erlang", "whereis", "[mnesia_sup]");
  g_assert_cmpstr (sup, ==, "undefined");
  loaded = erl_call ("code", "is_loaded", "[mnesia]");
  g_assert_cmpstr (loaded, ==, "false");
}

static JsonArray *
rows_of (JsonNode *answer)
{
  return json_object_get_array_member (json_node_get_object (answer), "rows");
}

static void
assert_rows (JsonNode   *answer,
             const char *first,
             ...)
{
  JsonArray *rows = rows_of (answer);
  va_list args;
  guint n = 0;

  va_start (args, first);
  for (const char *row = first; row != NULL; row = va_arg (args, const char *), n++)
    {
      g_assert_cmpuint (n, <, json_array_get_length (rows));
      g_assert_cmpstr (json_array_get_string_element (rows, n), ==, row);
    }
  va_end (args);
  g_assert_cmpuint (json_array_get_length (rows), ==, n);
}

/* rows --key, --match and --select give what ets:lookup, ets:match_object
 * and ets:select give on the node, typed in Erlang or Elixir. */
static void
test_rows_queries (void)
{
  g_autoptr(JsonNode) key = beam_test_node_cli_json (node, "rows", "bs_set", "--key", "2", NULL);
  g_autoptr(JsonNode) elixir = beam_test_node_cli_json (node, "rows", "bs_set", "--key", "3",
                                                        "--syntax", "elixir", NULL);
  g_autoptr(JsonNode) match = beam_test_node_cli_json (node, "rows", "bs_unnamed", "--match",
                                                       "{'_', 81}", NULL);
  g_autoptr(JsonNode) select = beam_test_node_cli_json (
    node, "rows", "bs_unnamed", "--select", "[{{'$1','$2'}, [{'>', '$1', 7}], ['$2']}]", NULL);
  g_autoptr(JsonNode) select_elixir = beam_test_node_cli_json (
    node, "rows", "bs_unnamed", "--syntax", "elixir", "--select",
    "[{{:\"$1\", :\"$7\"}, [{:<, :\"$1\", 3}], [{{:\"$7\", :\"$1\"}}]}]", NULL);
  g_autoptr(JsonNode) limited = beam_test_node_cli_json (node, "rows", "bs_unnamed", "--match",
                                                         "{'_', '_'}", "--limit", "4", NULL);
  g_autofree char *lookup = erl_call ("ets", "lookup", "[bs_set, 2]");
  g_autoptr(JsonNode) select_set = beam_test_node_cli_json (
    node, "rows", "bs_set", "--select", "[{{'$1','$2'}, [{'>', '$1', 1}], ['$2']}]", NULL);
  g_autofree char *selected = erl_call ("ets", "select",
                                        "[bs_set, [{{'$1','$2'}, [{'>', '$1', 1}], ['$2']}]]");
  g_autofree char *printed = NULL;

  g_assert_cmpstr (lookup, ==, "[{2, two}]");
  assert_rows (key, "{2,two}", NULL);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (key), "table"), ==,
                   "bs_set");
  g_assert_false (json_object_get_boolean_member (json_node_get_object (key), "more"));
  assert_rows (elixir, "{3, :three}", NULL);
  assert_rows (match, "{9,81}", NULL);
  assert_rows (select, "64", "81", "100", NULL);
  /* The node's own select, in its order (erl_call prints [a, b]). */
  {
    JsonArray *rows = rows_of (select_set);
    g_autoptr(GString) joined = g_string_new ("[");

    for (guint i = 0; i < json_array_get_length (rows); i++)
      g_string_append_printf (joined, "%s%s", i > 0 ? ", " : "",
                              json_array_get_string_element (rows, i));
    g_string_append (joined, "]");
    printed = g_string_free (g_steal_pointer (&joined), FALSE);
  }
  g_assert_cmpstr (printed, ==, selected);
  g_assert_cmpuint (json_array_get_length (rows_of (select_set)), ==, 2);
  /* '$7' exists on no fresh node: made once, from the fixed '$1'..'$32'. */
  assert_rows (select_elixir, "{1, 1}", "{4, 2}", NULL);
  g_assert_cmpuint (json_array_get_length (rows_of (limited)), ==, 4);
  g_assert_true (json_object_get_boolean_member (json_node_get_object (limited), "more"));
}

/* A key or pattern naming an atom the node lacks matches nothing, and the
 * node's atom count does not move; a term that does not parse is refused
 * before connecting. */
static void
test_rows_unknown_atoms (void)
{
  g_autofree char *atom = g_strdup_printf ("never_seen_%u", g_random_int ());
  g_autofree char *pattern = g_strdup_printf ("{%s, '_'}", atom);
  gint64 atoms = erl_call_integer ("erlang", "system_info", "[atom_count]");
  g_autoptr(JsonNode) key = beam_test_node_cli_json (node, "rows", "bs_set", "--key", atom, NULL);
  g_autoptr(JsonNode) match = beam_test_node_cli_json (node, "rows", "bs_set", "--match", pattern,
                                                       NULL);
  const char *bad_argv[] = { g_getenv ("BEAMSCOPE_CLI"), "rows", "bs_set", "--key", "{1,",
                             "--node", node->name, "--cookie", node->cookie, NULL };
  g_autofree char *out = NULL, *err = NULL;
  int status;

  assert_rows (key, NULL);
  assert_rows (match, NULL);
  g_assert_cmpint (erl_call_integer ("erlang", "system_info", "[atom_count]"), ==, atoms);

  g_assert_true (g_spawn_sync (NULL, (char **) bad_argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               &out, &err, &status, NULL));
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 2);
  g_assert_nonnull (strstr (err, "{1,"));
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
  mnesia_node = beam_test_node_start (NULL, &error);
  g_assert_no_error (error);
  {
    g_autofree char *dir = g_build_filename (mnesia_node->dir, "mnesia", NULL);
    g_autofree char *args = g_strdup_printf ("[\"%s\"]", dir);
    g_autofree char *started = erl_call_on (mnesia_node, "beamscope_fixture", "start_mnesia",
                                            args);

    g_assert_cmpstr (started, ==, "ok");
  }

  g_test_add_func ("/tables/list", test_list);
  g_test_add_func ("/tables/limits", test_limits);
  g_test_add_func ("/tables/rows", test_rows);
  g_test_add_func ("/tables/rows-errors", test_rows_errors);
  g_test_add_func ("/tables/rows-queries", test_rows_queries);
  g_test_add_func ("/tables/rows-unknown-atoms", test_rows_unknown_atoms);
  g_test_add_func ("/tables/growth", test_growth);
  g_test_add_func ("/tables/history-ring", test_history_ring);
  g_test_add_func ("/tables/mnesia", test_mnesia);
  g_test_add_func ("/tables/mnesia-text", test_mnesia_text);
  g_test_add_func ("/tables/mnesia-not-running", test_mnesia_not_running);

  status = g_test_run ();
  beam_test_node_free (mnesia_node);
  beam_test_node_free (node);
  return status;
}
