/* SPDX-License-Identifier: GPL-3.0-or-later */
/* beamscope-cli's commands about tables: `ets`, every ETS table as the
 * Tables page lists it, `rows`, the rows of one, and `mnesia`, Mnesia's
 * tables as the page's Mnesia section lists them. */

#define G_LOG_DOMAIN "beamscope-cli"

#include "config.h"

#include <glib/gi18n.h>

#include "beam-cli-private.h"
#include "beam-ets-query.h"
#include "beam-ets-tables.h"
#include "beam-ets-window.h"
#include "beam-term-parser.h"
#include "beam-mnesia-tables.h"
#include "beam-term-printer.h"

static struct
{
  gboolean  all;
  int       count;
  char     *sort;
} ets_opts = { FALSE, 0, NULL };

GOptionEntry _beam_cli_ets_options[] = {
  { "all", 'a', 0, G_OPTION_ARG_NONE, &ets_opts.all,
    N_("Also the tables of kernel, stdlib and the runtime"), NULL },
  { "count", 'n', 0, G_OPTION_ARG_INT, &ets_opts.count,
    N_("Only the first N tables (default: all)"), N_("N") },
  { "sort", 's', 0, G_OPTION_ARG_STRING, &ets_opts.sort,
    N_("memory (default), size or name"), N_("KEY") },
  G_OPTION_ENTRY_NULL
};

static struct
{
  int   limit;
  int   offset;
  char *syntax;
  char *key;
  char *match;
  char *select;
} rows_opts = { 100, 0, NULL, NULL, NULL, NULL };

GOptionEntry _beam_cli_rows_options[] = {
  { "limit", 'l', 0, G_OPTION_ARG_INT, &rows_opts.limit,
    N_("At most N rows (default 100)"), N_("N") },
  { "offset", 'o', 0, G_OPTION_ARG_INT, &rows_opts.offset,
    N_("After the first N rows (default 0)"), N_("N") },
  { "syntax", 0, 0, G_OPTION_ARG_STRING, &rows_opts.syntax,
    N_("Read and print terms in erlang (default) or elixir syntax"), N_("SYNTAX") },
  { "key", 'k', 0, G_OPTION_ARG_STRING, &rows_opts.key,
    N_("The rows with this key, as ets:lookup/2"), N_("TERM") },
  { "match", 'm', 0, G_OPTION_ARG_STRING, &rows_opts.match,
    N_("The rows matching a pattern ('_', '$1'...), as ets:match_object/3"), N_("PATTERN") },
  { "select", 's', 0, G_OPTION_ARG_STRING, &rows_opts.select,
    N_("What a match specification selects, as ets:select/3"), N_("MATCHSPEC") },
  G_OPTION_ENTRY_NULL
};

static gboolean
parse_sort (const char  *text,
            BeamEtsSort *sort)
{
  if (text == NULL || g_str_equal (text, "memory"))
    *sort = BEAM_ETS_SORT_MEMORY;
  else if (g_str_equal (text, "size"))
    *sort = BEAM_ETS_SORT_SIZE;
  else if (g_str_equal (text, "name"))
    *sort = BEAM_ETS_SORT_NAME;
  else
    return FALSE;
  return TRUE;
}

int
_beam_cli_ets (BeamCli *cli)
{
  g_autoptr(BeamEtsTables) tables = NULL;
  g_autoptr(GError) error = NULL;
  BeamEtsSort sort;
  guint shown = 0;
  int status;

  if (!parse_sort (ets_opts.sort, &sort))
    return _beam_cli_usage_error (_("--sort takes memory, size or name"));
  if (ets_opts.count < 0)
    return _beam_cli_usage_error (_("-n must be 0 (all) or more"));
  if ((status = _beam_cli_connect (cli)) != 0)
    return status;
  beam_ets_tables_async (cli->connection, NULL, _beam_cli_stash, cli);
  tables = beam_ets_tables_finish (_beam_cli_wait_and_close (cli), &error);
  if (tables == NULL)
    return _beam_cli_fail (error);
  beam_ets_tables_sort (tables, sort);

  if (cli->json)
    {
      _beam_cli_print_json (beam_ets_tables_to_json (tables, ets_opts.all,
                                                     (guint) ets_opts.count));
      return 0;
    }
  /* Translators: column headings, in capitals, each padded to a fixed width: keep each within it,
   * or the columns below shift. Widths: NAME 32, TYPE 13, SIZE 10, MEMORY 12, OWNER 16. */
  g_print ("%-32s %-13s %10s %12s %-16s %s\n", _("NAME"), _("TYPE"), _("SIZE"), _("MEMORY"),
           _("OWNER"), _("PROTECTION"));
  for (guint i = 0; i < tables->n_tables; i++)
    {
      const BeamEtsTable *table = &tables->tables[i];

      if ((table->system && !ets_opts.all) ||
          (ets_opts.count > 0 && shown >= (guint) ets_opts.count))
        continue;
      shown++;
      {
        g_autoptr(GString) line = g_string_new (NULL);
        g_autofree char *size = beam_format_count (table->size);
        g_autofree char *memory = beam_format_bytes (table->memory);

        _beam_cli_append_cell (line, table->name, -32);
        _beam_cli_append_cell (line, table->type, -13);
        _beam_cli_append_cell (line, size, 10);
        _beam_cli_append_cell (line, memory, 12);
        _beam_cli_append_cell (line, table->owner_name != NULL ? table->owner_name
                                     : table->owner, -16);
        g_print ("%s%s\n", line->str, table->protection != NULL ? table->protection : "-");
      }
    }
  return 0;
}

static void
print_rows_json (const char      *table,
                 gint64           size,
                 const GPtrArray *rows,
                 const gint64    *row_bytes,
                 gboolean         more,
                 BeamPrintOptions *print)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "table");
  json_builder_add_string_value (builder, table);
  _beam_cli_add_int (builder, "size", size);
  json_builder_set_member_name (builder, "rows");
  json_builder_begin_array (builder);
  for (guint i = 0; i < rows->len; i++)
    {
      g_autofree char *text = NULL;

      if (g_ptr_array_index (rows, i) != NULL)
        text = beam_term_print (g_ptr_array_index (rows, i), print);
      else
        text = g_strdup_printf ("<row of %" G_GINT64_FORMAT " bytes, too big to fetch>",
                                row_bytes != NULL ? row_bytes[i] : 0);
      json_builder_add_string_value (builder, text);
    }
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "more");
  json_builder_add_boolean_value (builder, more);
  json_builder_end_object (builder);
  _beam_cli_print_builder (builder);
}

/* --key, --match or --select: the term parsed here, the table found by
 * name or id, then the node's own call on it. */
static int
query_rows (BeamCli          *cli,
            const char       *table,
            BeamEtsQueryKind  kind,
            const char       *text,
            BeamPrintOptions *print)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BeamTerm) term = beam_term_parse (text, print->syntax, &error);
  g_autoptr(BeamEtsWindowOpened) opened = NULL;
  g_autoptr(BeamEtsFound) found = NULL;
  int status;

  if (term == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("Cannot read “%s”: %s"), text,
                                                  error->message);

      return _beam_cli_usage_error (message);
    }
  if ((status = _beam_cli_connect (cli)) != 0)
    return status;
  beam_ets_window_open_async (cli->connection, table, 1, NULL, _beam_cli_stash, cli);
  opened = beam_ets_window_open_finish (_beam_cli_wait (cli), &error);
  if (opened == NULL)
    {
      beam_connection_close (cli->connection);
      return _beam_cli_fail (error);
    }
  beam_ets_query_async (cli->connection, opened->table, kind, term, NULL,
                        (guint) rows_opts.limit, NULL, _beam_cli_stash, cli);
  found = beam_ets_query_finish (_beam_cli_wait_and_close (cli), &error);
  if (found == NULL)
    return _beam_cli_fail (error);
  /* In JSON the answer is the empty list: no row has an atom the node lacks. */
  if (found->unknown_atom && !cli->json)
    g_printerr (_("An atom in “%s” is unknown to the node: no row has it\n"), text);

  if (cli->json)
    {
      print_rows_json (opened->name, found->table_size, found->rows, found->row_bytes,
                       found->more, print);
      return 0;
    }
  for (guint i = 0; i < found->rows->len; i++)
    {
      g_autofree char *row = found->rows->pdata[i] != NULL
                             ? beam_term_print (found->rows->pdata[i], print)
                             : g_strdup (_("(a row too big to fetch)"));

      g_print ("%s\n", row);
    }
  if (found->more)
    g_print (_("… more rows follow (--limit)\n"));
  return 0;
}

int
_beam_cli_rows (BeamCli *cli)
{
  g_autoptr(BeamEtsRows) rows = NULL;
  g_autoptr(GError) error = NULL;
  BeamPrintOptions print = { BEAM_SYNTAX_ERLANG, NULL, 0, 0 };
  const char *table = cli->args[0];
  int status;

  if (rows_opts.syntax != NULL && !g_str_equal (rows_opts.syntax, "erlang") &&
      !g_str_equal (rows_opts.syntax, "elixir"))
    return _beam_cli_usage_error (_("--syntax takes erlang or elixir"));
  if (g_strcmp0 (rows_opts.syntax, "elixir") == 0)
    print.syntax = BEAM_SYNTAX_ELIXIR;
  if (rows_opts.limit <= 0 || rows_opts.offset < 0 ||
      (gint64) rows_opts.limit + rows_opts.offset > BEAM_ETS_ROWS_MAX)
    return _beam_cli_usage_error (_("--limit must be positive, --offset not negative, and "
                                    "the two together at most 100000"));
  if (!g_utf8_validate (table, -1, NULL))
    return _beam_cli_usage_error (_("The table's name is not valid UTF-8"));
  if ((rows_opts.key != NULL) + (rows_opts.match != NULL) + (rows_opts.select != NULL) > 1)
    return _beam_cli_usage_error (_("Give one of --key, --match and --select"));
  if (rows_opts.key != NULL)
    return query_rows (cli, table, BEAM_ETS_QUERY_LOOKUP, rows_opts.key, &print);
  if (rows_opts.match != NULL)
    return query_rows (cli, table, BEAM_ETS_QUERY_MATCH, rows_opts.match, &print);
  if (rows_opts.select != NULL)
    return query_rows (cli, table, BEAM_ETS_QUERY_SELECT, rows_opts.select, &print);
  if ((status = _beam_cli_connect (cli)) != 0)
    return status;
  beam_ets_rows_async (cli->connection, table, (guint) rows_opts.offset, (guint) rows_opts.limit,
                       NULL, _beam_cli_stash, cli);
  rows = beam_ets_rows_finish (_beam_cli_wait_and_close (cli), &error);
  if (rows == NULL)
    return _beam_cli_fail (error);

  if (cli->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "table");
      json_builder_add_string_value (builder, rows->name);
      _beam_cli_add_int (builder, "size", rows->size);
      json_builder_set_member_name (builder, "rows");
      json_builder_begin_array (builder);
      for (guint i = 0; i < rows->rows->len; i++)
        {
          g_autofree char *text = beam_term_print (g_ptr_array_index (rows->rows, i), &print);
          json_builder_add_string_value (builder, text);
        }
      json_builder_end_array (builder);
      json_builder_set_member_name (builder, "more");
      json_builder_add_boolean_value (builder, rows->more);
      json_builder_end_object (builder);
      return _beam_cli_print_builder (builder);
    }
  for (guint i = 0; i < rows->rows->len; i++)
    {
      g_autofree char *text = beam_term_print (g_ptr_array_index (rows->rows, i), &print);
      g_print ("%s\n", text);
    }
  if (rows->more)
    g_print (_("… more rows follow (--offset %d)\n"), rows_opts.offset + rows_opts.limit);
  return 0;
}

/* The nodes that hold a copy of the table, whatever its kind, as "a@h, b@h". */
static char *
join_replicas (const BeamMnesiaTable *table)
{
  g_autoptr(GStrvBuilder) nodes = g_strv_builder_new ();
  g_auto(GStrv) joined = NULL;

  g_strv_builder_addv (nodes, table->ram_copies);
  g_strv_builder_addv (nodes, table->disc_copies);
  g_strv_builder_addv (nodes, table->disc_only_copies);
  joined = g_strv_builder_end (nodes);
  return joined[0] != NULL ? g_strjoinv (", ", joined) : g_strdup ("-");
}

/* A node where Mnesia does not run has no Mnesia tables: that is an answer,
 * not a failure, so the exit status is 0 (with an empty array for --json),
 * and the text says so (on stderr with --json, so stdout stays JSON). */
int
_beam_cli_mnesia (BeamCli *cli)
{
  g_autoptr(BeamMnesiaTables) tables = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  if ((status = _beam_cli_connect (cli)) != 0)
    return status;
  beam_mnesia_tables_async (cli->connection, NULL, _beam_cli_stash, cli);
  tables = beam_mnesia_tables_finish (_beam_cli_wait_and_close (cli), &error);
  if (tables == NULL)
    return _beam_cli_fail (error);
  beam_mnesia_tables_sort (tables);

  if (!tables->running)
    {
      if (cli->json)
        g_printerr (_("Mnesia is not running on %s\n"), cli->node);
      else
        g_print (_("Mnesia is not running on %s\n"), cli->node);
    }
  if (cli->json)
    {
      _beam_cli_print_json (beam_mnesia_tables_to_json (tables));
      return 0;
    }
  if (!tables->running)
    return 0;
  /* Translators: column headings, in capitals, each padded to a fixed width: keep each within it,
   * or the columns below shift. Widths: NAME 24, STORAGE 9, TYPE 11, SIZE 10, MEMORY 12, RECORD
   * 16, ATTRIBUTES 24. */
  g_print ("%-24s %-9s %-11s %10s %12s %-16s %-24s %s\n", _("NAME"), _("STORAGE"), _("TYPE"),
           _("SIZE"), _("MEMORY"), _("RECORD"), _("ATTRIBUTES"), _("REPLICAS"));
  for (guint i = 0; i < tables->n_tables; i++)
    {
      const BeamMnesiaTable *table = &tables->tables[i];
      g_autofree char *attributes = g_strjoinv (",", (char **) table->attributes);
      g_autofree char *replicas = join_replicas (table);
      g_autofree char *size = beam_format_count (table->size);
      g_autofree char *memory = beam_format_bytes (table->memory);
      const char *storage = beam_mnesia_storage_short_name (table->storage_type);
      g_autoptr(GString) line = g_string_new (NULL);

      _beam_cli_append_cell (line, table->name, -24);
      _beam_cli_append_cell (line, storage, -9);
      _beam_cli_append_cell (line, table->type, -11);
      _beam_cli_append_cell (line, size, 10);
      _beam_cli_append_cell (line, memory, 12);
      _beam_cli_append_cell (line, table->record_name, -16);
      _beam_cli_append_cell (line, attributes, -24);
      g_print ("%s%s\n", line->str, replicas);
    }
  return 0;
}
