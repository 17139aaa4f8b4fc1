/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The table window's rows (beam-ets-window, BeamEtsRowWindow) against
 * fixture tables of known contents (beamscope_fixture:make_browse_tables/0
 * and make_big_table/3): first rows, reading on, jumping anywhere, both ends
 * of an ordered set, whole traversals, and tables that change or go. */

#include <string.h>

#include "beam-connection.h"
#include "beam-ets-row-window.h"
#include "beam-test-node.h"

#define BIG_ROWS 1000000

static BeamTestNode *node;
static BeamConnection *connection;

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

static BeamEtsWindowOpened *
open_table (const char  *table,
            GError     **error)
{
  BeamTestWait wait = { 0 };
  BeamEtsWindowOpened *opened;

  beam_ets_window_open_async (connection, table, BEAM_ETS_ROW_WINDOW_CHUNK, NULL,
                              beam_test_stash, &wait);
  beam_test_wait_for (&wait.done, 10000);
  opened = beam_ets_window_open_finish (wait.result, error);
  g_object_unref (wait.result);
  return opened;
}

static BeamEtsRowWindow *
open_window (const char *table)
{
  g_autoptr(GError) error = NULL;
  BeamEtsWindowOpened *opened = open_table (table, &error);

  g_assert_no_error (error);
  return beam_ets_row_window_new (connection, opened);
}

static gboolean
item_loaded (gpointer item)
{
  return beam_ets_row_item_get_loaded (item);
}

/* The row at `position`, once fetched: what a view scrolled there shows. */
static BeamEtsRowItem *
row_at (BeamEtsRowWindow *window,
        guint             position,
        guint             timeout_ms)
{
  BeamEtsRowItem *item = g_list_model_get_item (G_LIST_MODEL (window), position);

  g_assert_nonnull (item);
  beam_test_wait_until (item_loaded, item, timeout_ms);
  g_object_unref (item);   /* the window keeps it while its chunk is held */
  return item;
}

static gint64
key_of (BeamEtsRowItem *item)
{
  g_autofree char *cell = beam_ets_row_item_dup_cell (item, 1, BEAM_SYNTAX_ERLANG);

  return g_ascii_strtoll (cell, NULL, 10);
}

/* An ordered set from its first row to its last, and back from its end:
 * in key order, each chunk joined to the last exactly. */
static void
test_ordered_ends (void)
{
  g_autoptr(BeamEtsRowWindow) window = open_window ("bs_big_ordered");
  gint64 timer = g_get_monotonic_time ();
  guint last = BIG_ROWS - 1;

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (window)), ==, BIG_ROWS);
  g_assert_cmpuint (beam_ets_row_window_get_columns (window), ==, 2);
  g_assert_cmpint (key_of (row_at (window, 0, 1000)), ==, 1);
  for (guint p = 0; p < 5 * BEAM_ETS_ROW_WINDOW_CHUNK; p++)
    g_assert_cmpint (key_of (row_at (window, p, 2000)), ==, p + 1);

  /* The scroll bar dragged to the bottom: the last rows, in key order. */
  timer = g_get_monotonic_time ();
  g_assert_cmpint (key_of (row_at (window, last, 1000)), ==, BIG_ROWS);
  g_test_message ("last row shown after %.1f ms", (g_get_monotonic_time () - timer) / 1000.0);
  for (guint p = last; p > last - 3 * BEAM_ETS_ROW_WINDOW_CHUNK; p--)
    g_assert_cmpint (key_of (row_at (window, p, 2000)), ==, p + 1);

  /* And to the middle, through the key index: near there, and in order. */
  timer = g_get_monotonic_time ();
  {
    gint64 middle = key_of (row_at (window, BIG_ROWS / 2, 1000));

    g_test_message ("middle shown after %.1f ms", (g_get_monotonic_time () - timer) / 1000.0);
    g_assert_cmpint (ABS (middle - BIG_ROWS / 2), <=, BIG_ROWS / 1000 + BEAM_ETS_ROW_WINDOW_CHUNK);
    for (guint p = BIG_ROWS / 2; p < BIG_ROWS / 2 + 2 * BEAM_ETS_ROW_WINDOW_CHUNK; p++)
      g_assert_cmpint (key_of (row_at (window, p, 2000)), ==, middle + (p - BIG_ROWS / 2));
  }
  g_assert_cmpuint (beam_ets_row_window_get_held (window), <=, BEAM_ETS_ROW_WINDOW_KEPT);
}

/* A set jumped into anywhere shows rows there; read on from the start it
 * gives every row once. */
static void
test_set_traversal (void)
{
  g_autoptr(BeamEtsRowWindow) big = open_window ("bs_big_set");
  g_autoptr(BeamEtsRowWindow) window = open_window ("bs_mid_set");
  guint n = g_list_model_get_n_items (G_LIST_MODEL (window));
  g_autoptr(GHashTable) seen = g_hash_table_new (NULL, NULL);
  gint64 timer;

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (big)), ==, BIG_ROWS);
  timer = g_get_monotonic_time ();
  g_assert_cmpint (key_of (row_at (big, BIG_ROWS * 3 / 4, 1000)), >, 0);
  g_test_message ("set: 3/4 shown after %.1f ms", (g_get_monotonic_time () - timer) / 1000.0);
  g_assert_cmpint (key_of (row_at (big, BIG_ROWS - 1, 1000)), >, 0);

  g_assert_cmpuint (n, ==, 20000);
  for (guint p = 0; p < n; p++)
    {
      gint64 key = key_of (row_at (window, p, 2000));

      g_assert_cmpint (key, >=, 1);
      g_assert_cmpint (key, <=, n);
      g_assert_false (g_hash_table_contains (seen, GSIZE_TO_POINTER (key)));
      g_hash_table_add (seen, GSIZE_TO_POINTER (key));
    }
  g_assert_cmpuint (g_hash_table_size (seen), ==, n);
  /* 100 chunks read; at most the kept ones held. */
  g_assert_cmpuint (beam_ets_row_window_get_fetches (window), >=,
                    n / BEAM_ETS_ROW_WINDOW_CHUNK - 1);
  g_assert_cmpuint (beam_ets_row_window_get_held (window), <=, BEAM_ETS_ROW_WINDOW_KEPT);
}

/* Terms of every kind print in their cells; a row too big comes as its size,
 * and a record's key is its second element. */
static void
test_kinds (void)
{
  g_autoptr(BeamEtsRowWindow) terms = open_window ("bs_terms");
  g_autoptr(BeamEtsRowWindow) records = open_window ("bs_records");
  g_autoptr(BeamEtsRowWindow) unicode = open_window ("bs_unicode");
  g_autoptr(BeamEtsRowWindow) bag = open_window ("bs_bag");
  g_autofree char *map = NULL, *nested = NULL, *big = NULL, *elixir = NULL;
  g_autofree char *name = NULL;
  gboolean found_key = FALSE;

  g_assert_cmpuint (beam_ets_row_window_get_columns (terms), ==, 3);
  map = beam_ets_row_item_dup_cell (row_at (terms, 0, 1000), 3, BEAM_SYNTAX_ERLANG);
  g_assert_cmpstr (map, ==, "#{a => 1,<<\"b\">> => [2,3]}");
  elixir = beam_ets_row_item_dup_cell (row_at (terms, 0, 1000), 3, BEAM_SYNTAX_ELIXIR);
  g_assert_cmpstr (elixir, ==, "%{:a => 1, \"b\" => [2, 3]}");
  nested = beam_ets_row_item_dup_cell (row_at (terms, 1, 1000), 0, BEAM_SYNTAX_ERLANG);
  g_assert_cmpstr (nested, ==, "{2,{nested,{deeper,[{x,1.5}]}},[]}");
  /* 100,000 bytes: over the row limit, shown as its size. */
  g_assert_null (beam_ets_row_item_get_term (row_at (terms, 2, 1000)));
  g_assert_cmpint (beam_ets_row_item_get_too_big_bytes (row_at (terms, 2, 1000)), >, 100000);
  big = beam_ets_row_item_dup_cell (row_at (terms, 2, 1000), 1, BEAM_SYNTAX_ERLANG);
  g_assert_true (g_str_has_prefix (big, "Row too big"));

  /* A named table opened by its id, as the Tables page lists it. */
  {
    g_autoptr(JsonNode) tables = beam_test_node_cli_json (node, "ets", NULL);
    g_autoptr(BeamEtsRowWindow) by_id = NULL;
    const char *id = NULL;

    for (guint i = 0; i < json_array_get_length (json_node_get_array (tables)); i++)
      {
        JsonObject *table = json_array_get_object_element (json_node_get_array (tables), i);

        if (g_strcmp0 (json_object_get_string_member (table, "name"), "bs_records") == 0)
          id = json_object_get_string_member (table, "id");
      }
    g_assert_nonnull (id);

    g_assert_true (g_str_has_prefix (id, "#Ref<"));
    by_id = open_window (id);
    g_assert_cmpstr (beam_ets_row_window_get_name (by_id), ==, "bs_records");
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (by_id)), ==, 50);
  }
  g_assert_cmpint (beam_ets_row_window_get_keypos (records), ==, 2);
  g_assert_cmpuint (beam_ets_row_window_get_columns (records), ==, 4);
  name = beam_ets_row_item_dup_cell (row_at (records, 0, 1000), 1, BEAM_SYNTAX_ERLANG);
  g_assert_cmpstr (name, ==, "person");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (records)), ==, 50);

  /* Printed as the node prints them: in Erlang with the default printable
   * range (latin1), in Elixir as text. */
  for (guint p = 0; p < 2; p++)
    {
      g_autofree char *row = beam_ets_row_item_dup_cell (row_at (unicode, p, 1000), 0,
                                                         BEAM_SYNTAX_ERLANG);
      g_autofree char *key = beam_ets_row_item_dup_cell (row_at (unicode, p, 1000), 1,
                                                         BEAM_SYNTAX_ELIXIR);

      if (strstr (row, "<<208,186,208,187,209,142,209,135>>") != NULL)
        {
          found_key = TRUE;
          g_assert_cmpstr (key, ==, "\"ключ\"");
          g_assert_nonnull (strstr (row, ",ünïcødé}"));
        }
    }
  g_assert_true (found_key);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (bag)), ==, 3);

  /* A duplicate_bag, protected and compressed, its key second: readable. */
  {
    g_autoptr(BeamEtsRowWindow) dup = open_window ("bs_dup");
    g_autofree char *row = NULL;

    g_assert_cmpstr (beam_ets_row_window_get_kind (dup), ==, "duplicate_bag");
    g_assert_cmpstr (beam_ets_row_window_get_protection (dup), ==, "protected");
    g_assert_cmpint (beam_ets_row_window_get_keypos (dup), ==, 2);
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (dup)), ==, 2);
    row = beam_ets_row_item_dup_cell (row_at (dup, 0, 1000), 2, BEAM_SYNTAX_ERLANG);
    g_assert_cmpstr (row, ==, "k");
  }
}

static void
test_refusals (void)
{
  g_autofree char *name = g_strdup_printf ("no_such_table_%u", g_random_int ());
  gint64 atoms = erl_call_integer ("erlang", "system_info", "[atom_count]");
  g_autoptr(GError) private_error = NULL;
  g_autoptr(GError) unknown_error = NULL;
  g_autoptr(BeamEtsWindowOpened) private_table = open_table ("bs_private", &private_error);
  g_autoptr(BeamEtsWindowOpened) unknown = open_table (name, &unknown_error);

  g_assert_null (private_table);
  g_assert_error (private_error, BEAM_ETS_ERROR, BEAM_ETS_ERROR_PRIVATE);
  g_assert_nonnull (strstr (private_error->message, "private"));
  g_assert_null (unknown);
  g_assert_error (unknown_error, BEAM_ETS_ERROR, BEAM_ETS_ERROR_UNKNOWN_TABLE);
  g_assert_nonnull (strstr (unknown_error->message, name));
  g_assert_cmpint (erl_call_integer ("erlang", "system_info", "[atom_count]"), ==, atoms);
}

static gboolean
is_deleted (gpointer window)
{
  return beam_ets_row_window_get_deleted (window);
}

static gboolean
is_size (gpointer window)
{
  return beam_ets_row_window_get_size (window) == 3 + 1000;
}

/* Rows come and go while the window is open; the table goes at last: the
 * rows shown stay, and the window says the table was deleted. */
static void
test_changes (void)
{
  g_autoptr(BeamEtsRowWindow) window = NULL;
  g_autofree char *kept = NULL;

  g_free (erl_call ("beamscope_fixture", "make_big_table", "[bs_doomed, ordered_set, 3]"));
  window = open_window ("bs_doomed");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (window)), ==, 3);
  kept = beam_ets_row_item_dup_cell (row_at (window, 0, 1000), 0, BEAM_SYNTAX_ERLANG);

  g_free (erl_call ("beamscope_fixture", "insert_range", "[bs_doomed, 100, 1099]"));
  beam_ets_row_window_refresh (window);
  beam_test_wait_until (is_size, window, 5000);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (window)), ==, 1003);
  g_assert_cmpint (key_of (row_at (window, 1002, 2000)), ==, 1099);

  g_free (erl_call ("ets", "delete", "[bs_doomed]"));
  beam_ets_row_window_refresh (window);
  beam_test_wait_until (is_deleted, window, 5000);
  {
    g_autofree char *still = beam_ets_row_item_dup_cell (row_at (window, 0, 1000), 0,
                                                         BEAM_SYNTAX_ERLANG);

    g_assert_cmpstr (still, ==, kept);
  }
}

/* A set that grows fast while it is read on: its hash table splits buckets
 * already read, so rows come again; none is shown twice. */
static void
test_set_growing (void)
{
  g_autoptr(BeamEtsRowWindow) window = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new (NULL, NULL);
  guint inserted = 0, blank = 0;

  g_free (erl_call ("beamscope_fixture", "make_big_table", "[bs_grow, set, 20000]"));
  window = open_window ("bs_grow");
  for (guint p = 0; p < 40000 && p < g_list_model_get_n_items (G_LIST_MODEL (window)); p++)
    {
      BeamEtsRowItem *item = row_at (window, p, 5000);
      gint64 key;

      if (p % 2000 == 1999 && inserted < 10)
        {
          g_autofree char *args = g_strdup_printf ("[bs_grow, %u, %u]", 1000000 + inserted * 20000,
                                                   1000000 + inserted * 20000 + 19999);

          g_free (erl_call ("beamscope_fixture", "insert_range", args));
          inserted++;
        }
      if (beam_ets_row_item_get_term (item) == NULL)
        {
          blank++;
          continue;
        }
      key = key_of (item);
      g_assert_false (g_hash_table_contains (seen, GSIZE_TO_POINTER (key)));
      g_hash_table_add (seen, GSIZE_TO_POINTER (key));
    }
  g_test_message ("%u rows read while the table grew by %u rows, %u positions left blank",
                  g_hash_table_size (seen), inserted * 20000, blank);
  g_assert_cmpuint (inserted, ==, 10);
  g_assert_cmpuint (blank, <=, 400);
  g_assert_cmpuint (g_hash_table_size (seen) + blank, ==, 40000);
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
  g_free (erl_call ("beamscope_fixture", "make_browse_tables", "[]"));
  g_free (erl_call ("beamscope_fixture", "make_big_table",
                    "[bs_big_ordered, ordered_set, 1000000]"));
  g_free (erl_call ("beamscope_fixture", "make_big_table", "[bs_big_set, set, 1000000]"));
  g_free (erl_call ("beamscope_fixture", "make_big_table", "[bs_mid_set, set, 20000]"));
  connection = beam_test_node_connect (node);

  g_test_add_func ("/table-window/ordered-ends", test_ordered_ends);
  g_test_add_func ("/table-window/set-traversal", test_set_traversal);
  g_test_add_func ("/table-window/kinds", test_kinds);
  g_test_add_func ("/table-window/refusals", test_refusals);
  g_test_add_func ("/table-window/changes", test_changes);
  g_test_add_func ("/table-window/set-growing", test_set_growing);

  status = g_test_run ();
  g_object_unref (connection);
  beam_test_node_free (node);
  return status;
}
