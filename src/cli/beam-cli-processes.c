/* SPDX-License-Identifier: GPL-3.0-or-later */
/* beamscope-cli's commands about processes: `procs` (every process, the
 * Processes page's columns), `top` (the biggest few, as recon:proc_count and
 * recon:proc_window), `proc` (one process's process_info items) and `state`
 * (sys:get_state). Terms go to JSON as a script wants them (term_to_json). */

#define G_LOG_DOMAIN "beamscope-cli"

#include "config.h"

#include <glib/gi18n.h>

#include "beam-cli-private.h"
#include "beam-process-info.h"
#include "beam-process-list.h"
#include "beam-term-printer.h"

static struct
{
  char *by;
  int   count;
  int   window_ms;
} top_opts = { NULL, 10, 0 };

GOptionEntry _beam_cli_top_options[] = {
  { "by", 0, 0, G_OPTION_ARG_STRING, &top_opts.by,
    N_("Rank by memory (default), message_queue_len, reductions, heap_size or total_heap_size"),
    N_("ATTRIBUTE") },
  { "count", 'n', 0, G_OPTION_ARG_INT, &top_opts.count,
    N_("How many processes (default 10)"), N_("N") },
  { "window", 'w', 0, G_OPTION_ARG_INT, &top_opts.window_ms,
    N_("The growth over MS milliseconds, as recon:proc_window"), N_("MS") },
  G_OPTION_ENTRY_NULL
};

static char *state_syntax;

GOptionEntry _beam_cli_state_options[] = {
  { "syntax", 0, 0, G_OPTION_ARG_STRING, &state_syntax,
    N_("Print in erlang (default) or elixir syntax"), N_("SYNTAX") },
  G_OPTION_ENTRY_NULL
};

static void
add_nullable_string (JsonBuilder *builder,
                     const char  *key,
                     const char  *value)
{
  json_builder_set_member_name (builder, key);
  if (value == NULL || *value == '\0')
    json_builder_add_null_value (builder);
  else
    json_builder_add_string_value (builder, value);
}

static BeamProcessTable *
fetch_processes (BeamCli  *cli,
                 GError  **error)
{
  beam_process_list_fetch_async (cli->connection, NULL, TRUE, NULL, _beam_cli_stash, cli);
  return beam_process_list_fetch_finish (_beam_cli_wait (cli), error);
}

/* name is null for a process without one, as registered_name in `proc`. */
static void
add_process_names (JsonBuilder             *builder,
                   const BeamProcessTable  *table,
                   const BeamProcessRecord *record)
{
  add_nullable_string (builder, "name",
                       record->registered ? beam_process_table_get_string (table, record->name)
                                          : NULL);
  /* The name a process gave itself (proc_lib:set_label...), printed. */
  add_nullable_string (builder, "label",
                       !record->registered ? beam_process_table_get_string (table, record->name)
                                           : NULL);
  add_nullable_string (builder, "initial_call",
                       beam_process_table_get_string (table, record->initial_call));
  add_nullable_string (builder, "current_function",
                       beam_process_table_get_string (table, record->current_function));
}

static void
add_process_identity (JsonBuilder            *builder,
                      const BeamProcessTable *table,
                      guint                   index)
{
  char pid[32];

  json_builder_set_member_name (builder, "pid");
  json_builder_add_string_value (builder, beam_process_table_format_pid (table, index, pid));
}

int
_beam_cli_procs (BeamCli *cli)
{
  g_autoptr(BeamProcessTable) table = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;
  guint n;

  if ((status = _beam_cli_connect (cli)) != 0)
    return status;
  table = fetch_processes (cli, &error);
  beam_connection_close (cli->connection);
  if (table == NULL)
    return _beam_cli_fail (error);
  n = beam_process_table_get_n_records (table);

  if (cli->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_array (builder);
      for (guint i = 0; i < n; i++)
        {
          const BeamProcessRecord *record = beam_process_table_get_record (table, i);

          json_builder_begin_object (builder);
          add_process_identity (builder, table, i);
          add_process_names (builder, table, record);
          json_builder_set_member_name (builder, "status");
          json_builder_add_string_value (builder, beam_process_status_to_string (record->status));
          _beam_cli_add_int (builder, "reductions", record->reductions);
          _beam_cli_add_int (builder, "memory", record->memory);
          _beam_cli_add_int (builder, "message_queue_len", record->message_queue_len);
          _beam_cli_add_int (builder, "heap_size", record->heap_size);
          _beam_cli_add_int (builder, "total_heap_size", record->total_heap_size);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      return _beam_cli_print_builder (builder);
    }

  /* Translators: column headings, in capitals, each padded to a fixed width: keep each within it,
   * or the columns below shift. Widths: PID 16, NAME 40, REDUCTIONS 14, MEMORY 11, MSGQ (message
   * queue length) 9, STATUS 10. */
  g_print ("%-16s %-40s %14s %11s %9s %-10s %s\n", _("PID"), _("NAME"), _("REDUCTIONS"),
           _("MEMORY"),
           /* Translators: message queue length, a column 9 wide. */ _("MSGQ"),
           _("STATUS"), _("CURRENT FUNCTION"));
  for (guint i = 0; i < n; i++)
    {
      const BeamProcessRecord *record = beam_process_table_get_record (table, i);
      g_autoptr(GString) line = g_string_new (NULL);
      g_autofree char *reductions = beam_format_count (record->reductions);
      g_autofree char *memory = beam_format_bytes (record->memory);
      g_autofree char *queue = beam_format_count (record->message_queue_len);
      char pid[32];

      /* A name is never cut: a longer one pushes the rest of its line. */
      _beam_cli_append_cell (line, beam_process_table_format_pid (table, i, pid), -16);
      _beam_cli_append_cell (line, beam_process_table_get_display_name (table, i), -40);
      _beam_cli_append_cell (line, reductions, 14);
      _beam_cli_append_cell (line, memory, 11);
      _beam_cli_append_cell (line, queue, 9);
      _beam_cli_append_cell (line, beam_process_status_to_string (record->status), -10);
      g_string_append (line, beam_process_table_get_string (table, record->current_function));
      g_print ("%s\n", line->str);
    }
  return 0;
}

static const struct
{
  const char        *name;
  BeamProcessColumn  column;
} top_attributes[] = {
  { "memory", BEAM_PROCESS_COLUMN_MEMORY },
  { "message_queue_len", BEAM_PROCESS_COLUMN_MESSAGE_QUEUE_LEN },
  { "reductions", BEAM_PROCESS_COLUMN_REDUCTIONS },
  { "heap_size", BEAM_PROCESS_COLUMN_HEAP_SIZE },
  { "total_heap_size", BEAM_PROCESS_COLUMN_TOTAL_HEAP_SIZE },
};

/* A ranked value as the list writes it: memory and heap sizes as sizes
 * (heap sizes come in the node's words: written as bytes, as everywhere
 * else; --json keeps the words, as recon ranks them), the rest as counts. */
static char *
format_rank_value (BeamProcessColumn column,
                   double            value,
                   guint             wordsize)
{
  gint64 whole = value > (double) G_MAXINT64 ? G_MAXINT64 : (gint64) value;

  switch (column)
    {
    case BEAM_PROCESS_COLUMN_MEMORY:
      return whole < 0 ? beam_format_bytes_change (whole) : beam_format_bytes (whole);
    case BEAM_PROCESS_COLUMN_HEAP_SIZE:
    case BEAM_PROCESS_COLUMN_TOTAL_HEAP_SIZE:
      return whole < 0 ? beam_format_bytes_change (whole * (gint64) wordsize)
                       : beam_format_words (whole, wordsize);
    case BEAM_PROCESS_COLUMN_PID:
    case BEAM_PROCESS_COLUMN_NAME:
    case BEAM_PROCESS_COLUMN_REDUCTIONS:
    case BEAM_PROCESS_COLUMN_REDUCTIONS_PER_SECOND:
    case BEAM_PROCESS_COLUMN_MESSAGE_QUEUE_LEN:
    case BEAM_PROCESS_COLUMN_CURRENT_FUNCTION:
    case BEAM_PROCESS_COLUMN_STATUS:
    case BEAM_PROCESS_N_COLUMNS:
    default:
      return whole < 0 ? beam_format_count_change (whole) : beam_format_count (whole);
    }
}

static gboolean
quit_loop (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

/* recon:proc_count/2, and with a window recon:proc_window/3: the growth of
 * each process between two samples; a process that appeared in between
 * counts whole, one that went away is gone. */
int
_beam_cli_top (BeamCli *cli)
{
  g_autofree char *by = g_steal_pointer (&top_opts.by);
  g_autoptr(BeamProcessTable) first = NULL;
  g_autoptr(BeamProcessTable) table = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ranks = NULL;
  BeamProcessColumn column = BEAM_PROCESS_COLUMN_MEMORY;
  gboolean known = FALSE;
  int status = 0;
  guint shown;

  if ((status = _beam_cli_check_count (top_opts.count)) != 0)
    return status;
  for (guint i = 0; i < G_N_ELEMENTS (top_attributes); i++)
    if (g_strcmp0 (by, top_attributes[i].name) == 0)
      {
        column = top_attributes[i].column;
        known = TRUE;
      }
  if (by != NULL && !known)
    return _beam_cli_usage_error (_("--by takes memory, message_queue_len, reductions, "
                                    "heap_size or total_heap_size"));
  if (top_opts.window_ms < 0)
    return _beam_cli_usage_error (_("-n and --window take positive numbers"));

  if ((status = _beam_cli_connect (cli)) != 0)
    return status;

  if (top_opts.window_ms > 0)
    {
      first = fetch_processes (cli, &error);
      if (first == NULL)
        return _beam_cli_fail (error);
      g_timeout_add (top_opts.window_ms, quit_loop, cli->loop);
      g_main_loop_run (cli->loop);
    }
  table = fetch_processes (cli, &error);
  beam_connection_close (cli->connection);
  if (table == NULL)
    return _beam_cli_fail (error);

  ranks = beam_process_table_top (table, first, column, (guint) top_opts.count);
  shown = ranks->len;

  if (cli->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_array (builder);
      for (guint k = 0; k < shown; k++)
        {
          const BeamProcessRank *rank = &g_array_index (ranks, BeamProcessRank, k);
          guint i = rank->index;
          const BeamProcessRecord *record = beam_process_table_get_record (table, i);

          json_builder_begin_object (builder);
          add_process_identity (builder, table, i);
          _beam_cli_add_int (builder, "value", (gint64) rank->value);
          add_process_names (builder, table, record);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      return _beam_cli_print_builder (builder);
    }

  /* Translators: column headings, in capitals, each padded to a fixed width: keep each within it,
   * or the columns below shift. Widths: PID 16, GROWTH or VALUE 14, NAME 40. */
  g_print ("%-16s %14s %-40s %s\n", _("PID"), first != NULL ? _("GROWTH") : _("VALUE"), _("NAME"),
           _("CURRENT FUNCTION"));
  for (guint k = 0; k < shown; k++)
    {
      const BeamProcessRank *rank = &g_array_index (ranks, BeamProcessRank, k);
      guint i = rank->index;
      const BeamProcessRecord *record = beam_process_table_get_record (table, i);
      g_autoptr(GString) line = g_string_new (NULL);
      g_autofree char *value = format_rank_value (column, rank->value,
                                                  beam_process_table_get_wordsize (table));
      char pid[32];

      _beam_cli_append_cell (line, beam_process_table_format_pid (table, i, pid), -16);
      _beam_cli_append_cell (line, value, 14);
      _beam_cli_append_cell (line, beam_process_table_get_display_name (table, i), -40);
      g_string_append (line, beam_process_table_get_string (table, record->current_function));
      g_print ("%s\n", line->str);
    }
  return 0;
}

/* ---- one process ------------------------------------------------------------ */

static JsonNode *term_to_json (const BeamTerm *term, const char *node);

static gboolean
is_mfa (const BeamTerm *term)
{
  return term->kind == BEAM_TERM_TUPLE && term->n_children == 3 &&
         term->children[0]->kind == BEAM_TERM_ATOM && term->children[1]->kind == BEAM_TERM_ATOM &&
         term->children[2]->kind == BEAM_TERM_INTEGER;
}

/* [{atom, V}] with each key once: an object loses nothing. A list with a key
 * twice (monitors' [{process, P1}, {process, P2}]) stays a list. */
static gboolean
is_proplist (const BeamTerm *term)
{
  g_autoptr(GHashTable) keys = NULL;

  if (term->kind != BEAM_TERM_LIST || term->v.list.improper || term->n_children == 0)
    return FALSE;
  keys = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < term->n_children; i++)
    if (!(term->children[i]->kind == BEAM_TERM_TUPLE && term->children[i]->n_children == 2 &&
          term->children[i]->children[0]->kind == BEAM_TERM_ATOM) ||
        !g_hash_table_add (keys, term->children[i]->children[0]->v.atom.name))
      return FALSE;
  return TRUE;
}

/* process_info's monitors, [{process | port, Pid | Port | {Name, Node}}], as
 * [{"type": "process", "pid": "<0.1.0>"}, {"type": "process", "name": N,
 * "node": Node}, ...]: every one, in order. */
static JsonNode *
monitors_to_json (const BeamTerm *monitors,
                  const char     *node)
{
  JsonArray *array = json_array_new ();

  for (guint i = 0; monitors->kind == BEAM_TERM_LIST && i < monitors->n_children; i++)
    {
      const BeamTerm *entry = monitors->children[i];
      JsonObject *object = json_object_new ();

      if (entry->kind == BEAM_TERM_TUPLE && entry->n_children == 2)
        {
          const BeamTerm *type = entry->children[0], *target = entry->children[1];

          json_object_set_member (object, "type", term_to_json (type, node));
          if (target->kind == BEAM_TERM_TUPLE && target->n_children == 2)
            {
              json_object_set_member (object, "name", term_to_json (target->children[0], node));
              json_object_set_member (object, "node", term_to_json (target->children[1], node));
            }
          else
            json_object_set_member (object, target->kind == BEAM_TERM_PORT ? "port" : "pid",
                                    term_to_json (target, node));
        }
      else
        json_object_set_member (object, "value", term_to_json (entry, node));
      json_array_add_object_element (array, object);
    }
  return json_node_init_array (json_node_alloc (), array);
}

/* Terms as a script wants them: pids as "<0.1.0>", {M,F,A} as "m:f/a",
 * [{atom, V}] as objects, lists as arrays, anything else as Erlang text. */
static JsonNode *
term_to_json (const BeamTerm *term,
              const char     *node)
{
  BeamPrintOptions options = { BEAM_SYNTAX_ERLANG, node, 0, 0 };
  JsonNode *json = json_node_new (JSON_NODE_VALUE);

  switch (term->kind)
    {
    case BEAM_TERM_INTEGER:
      json_node_set_int (json, term->v.integer);
      return json;
    case BEAM_TERM_FLOAT:
      json_node_set_double (json, term->v.floating);
      return json;
    case BEAM_TERM_ATOM:
      if (g_str_equal (term->v.atom.name, "true") || g_str_equal (term->v.atom.name, "false"))
        json_node_set_boolean (json, g_str_equal (term->v.atom.name, "true"));
      else
        json_node_set_string (json, term->v.atom.name);
      return json;
    case BEAM_TERM_LIST:
      if (is_proplist (term))
        {
          JsonObject *object = json_object_new ();
          for (guint i = 0; i < term->n_children; i++)
            json_object_set_member (object, term->children[i]->children[0]->v.atom.name,
                                    term_to_json (term->children[i]->children[1], node));
          json_node_free (json);
          return json_node_init_object (json_node_alloc (), object);
        }
      if (!term->v.list.improper)
        {
          JsonArray *array = json_array_new ();
          for (guint i = 0; i < term->n_children; i++)
            json_array_add_element (array, term_to_json (term->children[i], node));
          json_node_free (json);
          return json_node_init_array (json_node_alloc (), array);
        }
      break;
    case BEAM_TERM_TUPLE:
      if (is_mfa (term))
        {
          g_autofree char *text = g_strdup_printf ("%s:%s/%" G_GINT64_FORMAT,
                                                   term->children[0]->v.atom.name,
                                                   term->children[1]->v.atom.name,
                                                   term->children[2]->v.integer);
          json_node_set_string (json, text);
          return json;
        }
      break;
    case BEAM_TERM_BIG_INTEGER:
    case BEAM_TERM_BINARY:
    case BEAM_TERM_BITSTRING:
    case BEAM_TERM_MAP:
    case BEAM_TERM_PID:
    case BEAM_TERM_PORT:
    case BEAM_TERM_REFERENCE:
    case BEAM_TERM_FUN:
    case BEAM_TERM_REPLY_PID:
    default:
      break;
    }

  {
    g_autofree char *text = beam_term_print (term, &options);
    json_node_set_string (json, text);
  }
  return json;
}

int
_beam_cli_proc (BeamCli *cli)
{
  const char *who = cli->args[0];
  g_autoptr(BeamProcessInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;
  int status = 0;

  if ((status = _beam_cli_connect (cli)) != 0)
    return status;
  beam_process_info_fetch_async (cli->connection, who, NULL, _beam_cli_stash, cli);
  info = beam_process_info_fetch_finish (_beam_cli_wait_and_close (cli), &error);
  if (info == NULL)
    return _beam_cli_fail (error);

  root = term_to_json (info->items, cli->node);
  object = json_node_get_object (root);
  json_object_set_member (object, "pid", term_to_json (info->pid, cli->node));
  /* registered_name is [] for none: null, as in top's "name". */
  if (json_object_has_member (object, "registered_name") &&
      JSON_NODE_HOLDS_ARRAY (json_object_get_member (object, "registered_name")))
    json_object_set_null_member (object, "registered_name");
  if (info->initial_call != NULL)
    json_object_set_string_member (object, "initial_call", info->initial_call);
  /* The name the process gave itself, as procs and top say it. */
  if (info->label != NULL)
    json_object_set_string_member (object, "label", info->label);
  else
    json_object_set_null_member (object, "label");
  {
    const BeamProcessInfoItem *monitors = beam_process_info_get_field (info, "monitors");

    if (monitors != NULL)
      json_object_set_member (object, "monitors", monitors_to_json (monitors->value, cli->node));
  }

  if (cli->json)
    _beam_cli_print_json (root);
  else
    {
      g_autoptr(GList) members = json_object_get_members (object);
      for (GList *l = members; l != NULL; l = l->next)
        {
          JsonNode *member = json_object_get_member (object, l->data);
          g_autofree char *value = NULL;

          /* A person reads "none" where a script reads null. */
          if (g_str_equal (l->data, "registered_name") && JSON_NODE_HOLDS_NULL (member))
            value = g_strdup (_("none"));
          else
            value = json_to_string (member, FALSE);
          _beam_cli_print_row (l->data, value);
        }
    }
  return 0;
}

int
_beam_cli_state (BeamCli *cli)
{
  g_autofree char *syntax = g_steal_pointer (&state_syntax);
  const char *who = cli->args[0];
  g_autoptr(BeamTerm) state = NULL;
  g_autoptr(GError) error = NULL;
  BeamPrintOptions print = { BEAM_SYNTAX_ERLANG, cli->node, 0, 0 };
  g_autofree char *pid = NULL;
  g_autofree char *text = NULL;
  int status = 0;

  if (syntax != NULL && !g_str_equal (syntax, "erlang") && !g_str_equal (syntax, "elixir"))
    return _beam_cli_usage_error (_("--syntax takes erlang or elixir"));
  if (g_strcmp0 (syntax, "elixir") == 0)
    print.syntax = BEAM_SYNTAX_ELIXIR;

  if ((status = _beam_cli_connect (cli)) != 0)
    return status;
  beam_process_state_fetch_async (cli->connection, who, _beam_cli_timeout (cli, 10000), NULL,
                                  _beam_cli_stash, cli);
  state = beam_process_state_fetch_finish (_beam_cli_wait_and_close (cli), &error);
  if (state == NULL)
    return _beam_cli_fail (error);

  pid = beam_term_print (state->children[0],
                         &(BeamPrintOptions) { BEAM_SYNTAX_ERLANG, cli->node, 0, 0 });
  text = beam_term_print (state->children[1], &print);
  if (cli->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "pid");
      json_builder_add_string_value (builder, pid);
      json_builder_set_member_name (builder, "state");
      json_builder_add_string_value (builder, text);
      json_builder_end_object (builder);
      return _beam_cli_print_builder (builder);
    }
  g_print ("%s\n", text);
  return 0;
}
