/* SPDX-License-Identifier: GPL-3.0-or-later */
/* beamscope-cli: the app's questions, asked headless, for servers reached over
 * SSH and for scripts. Built on wire/ and probe/ only. Every failure is one
 * line on stderr that names its cause, and a non-zero exit status:
 * 1 when talking to the node failed, 2 for a usage error. */

#define G_LOG_DOMAIN "beamscope-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <stdio.h>

#include "beam-cookie.h"
#include "beam-connection.h"
#include "beam-epmd.h"
#include "beam-load.h"
#include "beam-process-info.h"
#include "beam-process-list.h"
#include "beam-term-printer.h"
#include "beam-system-info.h"
#include "beam-wire-error.h"

#define EXIT_NODE_ERROR 1
#define EXIT_USAGE      2

typedef struct
{
  char      *node;
  char      *cookie;
  char      *cookie_file;
  gboolean   json;
  int        timeout_ms;
  char      *top_by;
  char      *syntax;
  int        sample_ms;
  int        top_count;
  int        window_ms;
  gint64     min_bytes;
  gboolean   yes;
} Options;

typedef struct
{
  GMainLoop      *loop;
  BeamConnection *connection;
  GAsyncResult   *result;
} Wait;

static void
stash_result (GObject      *object G_GNUC_UNUSED,
              GAsyncResult *result,
              gpointer      user_data)
{
  Wait *wait = user_data;

  wait->result = g_object_ref (result);
  g_main_loop_quit (wait->loop);
}

/* The CLI runs one request at a time; the app does the same calls concurrently. */
static GAsyncResult *
wait_for (Wait *wait)
{
  g_clear_object (&wait->result);
  g_main_loop_run (wait->loop);
  return wait->result;
}

static int
fail (const GError *error)
{
  g_printerr ("beamscope-cli: %s\n", error->message);
  return EXIT_NODE_ERROR;
}

static void
print_json (JsonNode *node)
{
  g_autofree char *text = json_to_string (node, TRUE);

  g_print ("%s\n", text);
}

static int
command_nodes (const Options *options,
               const char    *host)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = beam_epmd_names (host, options->timeout_ms, NULL, &error);

  if (entries == NULL)
    return fail (error);

  if (options->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_array (builder);
      for (guint i = 0; i < entries->len; i++)
        {
          BeamEpmdEntry *entry = g_ptr_array_index (entries, i);
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "name");
          json_builder_add_string_value (builder, entry->name);
          json_builder_set_member_name (builder, "port");
          json_builder_add_int_value (builder, entry->port);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      root = json_builder_get_root (builder);
      print_json (root);
      return 0;
    }

  if (entries->len == 0)
    {
      g_print (_("No nodes registered with EPMD on %s\n"), host);
      return 0;
    }
  g_print ("%-32s %s\n", _("NAME"), _("PORT"));
  for (guint i = 0; i < entries->len; i++)
    {
      BeamEpmdEntry *entry = g_ptr_array_index (entries, i);
      g_print ("%-32s %u\n", entry->name, entry->port);
    }
  return 0;
}

static char *
format_bytes (gint64 bytes)
{
  return bytes < 0 ? g_strdup ("-") : g_format_size_full (bytes, G_FORMAT_SIZE_IEC_UNITS);
}

static void
print_row (const char *label,
           const char *value)
{
  g_print ("%-28s %s\n", label, value != NULL ? value : "-");
}

static void
print_count (const char *label,
             gint64      count,
             gint64      limit)
{
  g_autofree char *value = NULL;

  if (count < 0)
    value = g_strdup ("-");
  else if (limit > 0)
    value = g_strdup_printf ("%" G_GINT64_FORMAT " / %" G_GINT64_FORMAT " (%.1f%%)",
                             count, limit, 100.0 * count / limit);
  else
    value = g_strdup_printf ("%" G_GINT64_FORMAT, count);
  print_row (label, value);
}

static void
print_info_table (const BeamSystemInfo *info)
{
  g_autoptr(GString) queues = g_string_new (NULL);
  g_autofree char *uptime = NULL;
  gint64 seconds = info->uptime_ms / 1000;

  if (info->uptime_ms < 0)
    uptime = g_strdup ("-");
  else
    uptime = g_strdup_printf ("%" G_GINT64_FORMAT "d %02d:%02d:%02d", seconds / 86400,
                              (int) (seconds / 3600 % 24), (int) (seconds / 60 % 60), (int) (seconds % 60));
  for (guint i = 0; i < info->run_queue_lengths->len; i++)
    g_string_append_printf (queues, "%s%" G_GINT64_FORMAT, i ? " " : "",
                            g_array_index (info->run_queue_lengths, gint64, i));

  print_row (_("Node"), info->node);
  print_row (_("OTP release"), info->otp_release);
  print_row (_("ERTS version"), info->erts_version);
  print_row (_("Architecture"), info->system_architecture);
  print_row (_("Uptime"), uptime);
  print_row (_("observer_backend"), info->has_observer_backend ? _("available") : _("missing"));
  print_count (_("Logical processors"), info->logical_processors, 0);
  print_count (_("Schedulers online"), info->schedulers_online, info->schedulers);
  print_count (_("Dirty CPU schedulers"), info->dirty_cpu_schedulers, 0);
  print_count (_("Dirty IO schedulers"), info->dirty_io_schedulers, 0);
  print_count (_("Run queue"), info->run_queue, 0);
  print_row (_("Run queue lengths"), queues->str);
  print_count (_("Processes"), info->process_count, info->process_limit);
  print_count (_("Atoms"), info->atom_count, info->atom_limit);
  print_count (_("Ports"), info->port_count, info->port_limit);
  print_count (_("ETS tables"), info->ets_count, info->ets_limit);
  print_count (_("IO input (bytes)"), info->io_input, 0);
  print_count (_("IO output (bytes)"), info->io_output, 0);

  struct { const char *label; gint64 value; } memory[] = {
    { _("Memory total"), info->memory.total },
    { _("Memory processes"), info->memory.processes },
    { _("Memory processes used"), info->memory.processes_used },
    { _("Memory system"), info->memory.system },
    { _("Memory atom"), info->memory.atom },
    { _("Memory atom used"), info->memory.atom_used },
    { _("Memory binary"), info->memory.binary },
    { _("Memory code"), info->memory.code },
    { _("Memory ETS"), info->memory.ets },
  };
  for (guint i = 0; i < G_N_ELEMENTS (memory); i++)
    {
      g_autofree char *value = format_bytes (memory[i].value);
      print_row (memory[i].label, value);
    }
}

static BeamConnection *
connect_or_fail (const Options *options,
                 Wait          *wait,
                 int           *status)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *cookie = NULL;
  g_autoptr(BeamConnection) connection = NULL;

  if (options->node == NULL)
    {
      g_printerr ("beamscope-cli: %s\n", _("this command needs --node NAME"));
      *status = EXIT_USAGE;
      return NULL;
    }
  if (!beam_node_name_split (options->node, NULL, NULL, &error) ||
      !(cookie = beam_cookie_resolve (options->cookie, options->cookie_file, &error)))
    {
      *status = fail (error);
      return NULL;
    }

  connection = beam_connection_new (options->node, cookie);
  beam_connection_set_default_timeout (connection, options->timeout_ms);
  beam_connection_connect_async (connection, options->timeout_ms, NULL, stash_result, wait);
  if (!beam_connection_connect_finish (connection, wait_for (wait), &error))
    {
      *status = fail (error);
      return NULL;
    }
  return g_steal_pointer (&connection);
}

static int
command_info (const Options *options,
              Wait          *wait)
{
  g_autoptr(BeamConnection) connection = NULL;
  g_autoptr(BeamSystemInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  connection = connect_or_fail (options, wait, &status);
  if (connection == NULL)
    return status;

  beam_system_info_fetch_async (connection, NULL, stash_result, wait);
  info = beam_system_info_fetch_finish (wait_for (wait), &error);
  beam_connection_close (connection);
  if (info == NULL)
    return fail (error);

  if (options->json)
    {
      g_autoptr(JsonNode) root = beam_system_info_to_json (info);
      print_json (root);
    }
  else
    print_info_table (info);
  return 0;
}

/* ---- processes ----------------------------------------------------------- */

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
fetch_processes (BeamConnection   *connection,
                 BeamProcessTable *previous,
                 Wait             *wait,
                 GError          **error)
{
  beam_process_list_fetch_async (connection, previous, TRUE, NULL, stash_result, wait);
  return beam_process_list_fetch_finish (wait_for (wait), error);
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

static int
command_procs (const Options *options,
               Wait          *wait)
{
  g_autoptr(BeamConnection) connection = NULL;
  g_autoptr(BeamProcessTable) table = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;
  guint n;

  connection = connect_or_fail (options, wait, &status);
  if (connection == NULL)
    return status;
  table = fetch_processes (connection, NULL, wait, &error);
  beam_connection_close (connection);
  if (table == NULL)
    return fail (error);
  n = beam_process_table_get_n_records (table);

  if (options->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_array (builder);
      for (guint i = 0; i < n; i++)
        {
          const BeamProcessRecord *record = beam_process_table_get_record (table, i);

          json_builder_begin_object (builder);
          add_process_identity (builder, table, i);
          add_nullable_string (builder, "name", record->registered ? beam_process_table_get_string (table, record->name) : NULL);
          add_nullable_string (builder, "initial_call", beam_process_table_get_string (table, record->initial_call));
          add_nullable_string (builder, "current_function", beam_process_table_get_string (table, record->current_function));
          json_builder_set_member_name (builder, "status");
          json_builder_add_string_value (builder, beam_process_status_to_string (record->status));
          json_builder_set_member_name (builder, "reductions");
          json_builder_add_int_value (builder, record->reductions);
          json_builder_set_member_name (builder, "memory");
          json_builder_add_int_value (builder, record->memory);
          json_builder_set_member_name (builder, "message_queue_len");
          json_builder_add_int_value (builder, record->message_queue_len);
          json_builder_set_member_name (builder, "heap_size");
          json_builder_add_int_value (builder, record->heap_size);
          json_builder_set_member_name (builder, "total_heap_size");
          json_builder_add_int_value (builder, record->total_heap_size);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      root = json_builder_get_root (builder);
      print_json (root);
      return 0;
    }

  g_print ("%-16s %-40s %12s %10s %8s %-10s %s\n", _("PID"), _("NAME"), _("REDUCTIONS"),
           _("MEMORY"), _("MSGQ"), _("STATUS"), _("CURRENT FUNCTION"));
  for (guint i = 0; i < n; i++)
    {
      const BeamProcessRecord *record = beam_process_table_get_record (table, i);
      char pid[32];

      g_print ("%-16s %-40.40s %12" G_GINT64_FORMAT " %10" G_GINT64_FORMAT " %8u %-10s %s\n",
               beam_process_table_format_pid (table, i, pid),
               beam_process_table_get_display_name (table, i), record->reductions, record->memory,
               record->message_queue_len, beam_process_status_to_string (record->status),
               beam_process_table_get_string (table, record->current_function));
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

static gboolean
quit_loop (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

/* recon:proc_count/2, and with a window recon:proc_window/3: the growth of
 * each process between two samples; a process that appeared in between
 * counts whole, one that went away is gone. */
static int
command_top (const Options *options,
             Wait          *wait)
{
  g_autoptr(BeamConnection) connection = NULL;
  g_autoptr(BeamProcessTable) first = NULL;
  g_autoptr(BeamProcessTable) table = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ranks = NULL;
  BeamProcessColumn column = BEAM_PROCESS_COLUMN_MEMORY;
  gboolean known = FALSE;
  int status = 0;
  guint shown;

  for (guint i = 0; i < G_N_ELEMENTS (top_attributes); i++)
    if (g_strcmp0 (options->top_by, top_attributes[i].name) == 0)
      {
        column = top_attributes[i].column;
        known = TRUE;
      }
  if (options->top_by != NULL && !known)
    {
      g_printerr ("beamscope-cli: %s\n",
                  _("--by takes memory, message_queue_len, reductions, heap_size or total_heap_size"));
      return EXIT_USAGE;
    }
  if (options->top_count <= 0 || options->window_ms < 0)
    {
      g_printerr ("beamscope-cli: %s\n", _("-n and --window take positive numbers"));
      return EXIT_USAGE;
    }

  connection = connect_or_fail (options, wait, &status);
  if (connection == NULL)
    return status;

  if (options->window_ms > 0)
    {
      first = fetch_processes (connection, NULL, wait, &error);
      if (first == NULL)
        return fail (error);
      g_timeout_add (options->window_ms, quit_loop, wait->loop);
      g_main_loop_run (wait->loop);
    }
  table = fetch_processes (connection, NULL, wait, &error);
  beam_connection_close (connection);
  if (table == NULL)
    return fail (error);

  ranks = beam_process_table_top (table, first, column, (guint) options->top_count);
  shown = ranks->len;

  if (options->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_array (builder);
      for (guint k = 0; k < shown; k++)
        {
          const BeamProcessRank *rank = &g_array_index (ranks, BeamProcessRank, k);
          guint i = rank->index;
          const BeamProcessRecord *record = beam_process_table_get_record (table, i);

          json_builder_begin_object (builder);
          add_process_identity (builder, table, i);
          json_builder_set_member_name (builder, "value");
          json_builder_add_int_value (builder, (gint64) rank->value);
          add_nullable_string (builder, "name", record->registered ? beam_process_table_get_string (table, record->name) : NULL);
          add_nullable_string (builder, "initial_call", beam_process_table_get_string (table, record->initial_call));
          add_nullable_string (builder, "current_function", beam_process_table_get_string (table, record->current_function));
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      root = json_builder_get_root (builder);
      print_json (root);
      return 0;
    }

  g_print ("%-16s %14s %-40s %s\n", _("PID"), first != NULL ? _("GROWTH") : _("VALUE"), _("NAME"),
           _("CURRENT FUNCTION"));
  for (guint k = 0; k < shown; k++)
    {
      const BeamProcessRank *rank = &g_array_index (ranks, BeamProcessRank, k);
      guint i = rank->index;
      const BeamProcessRecord *record = beam_process_table_get_record (table, i);
      char pid[32];

      g_print ("%-16s %14.0f %-40.40s %s\n", beam_process_table_format_pid (table, i, pid), rank->value,
               beam_process_table_get_display_name (table, i),
               beam_process_table_get_string (table, record->current_function));
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

static gboolean
is_proplist (const BeamTerm *term)
{
  if (term->kind != BEAM_TERM_LIST || term->v.list.improper || term->n_children == 0)
    return FALSE;
  for (guint i = 0; i < term->n_children; i++)
    if (!(term->children[i]->kind == BEAM_TERM_TUPLE && term->children[i]->n_children == 2 &&
          term->children[i]->children[0]->kind == BEAM_TERM_ATOM))
      return FALSE;
  return TRUE;
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
          g_autofree char *text = g_strdup_printf ("%s:%s/%" G_GINT64_FORMAT, term->children[0]->v.atom.name,
                                                   term->children[1]->v.atom.name, term->children[2]->v.integer);
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

static int
command_proc (const Options *options,
              Wait          *wait,
              const char    *who)
{
  g_autoptr(BeamConnection) connection = NULL;
  g_autoptr(BeamProcessInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;
  int status = 0;

  connection = connect_or_fail (options, wait, &status);
  if (connection == NULL)
    return status;
  beam_process_info_fetch_async (connection, who, NULL, stash_result, wait);
  info = beam_process_info_fetch_finish (wait_for (wait), &error);
  beam_connection_close (connection);
  if (info == NULL)
    return fail (error);

  root = term_to_json (info->items, options->node);
  object = json_node_get_object (root);
  json_object_set_member (object, "pid", term_to_json (info->pid, options->node));
  /* registered_name is [] for none: null, as in top's "name". */
  if (json_object_has_member (object, "registered_name") &&
      JSON_NODE_HOLDS_ARRAY (json_object_get_member (object, "registered_name")))
    json_object_set_null_member (object, "registered_name");
  if (info->initial_call != NULL)
    json_object_set_string_member (object, "initial_call", info->initial_call);

  if (options->json)
    print_json (root);
  else
    {
      g_autoptr(GList) members = json_object_get_members (object);
      for (GList *l = members; l != NULL; l = l->next)
        {
          g_autofree char *value = json_to_string (json_object_get_member (object, l->data), FALSE);
          print_row (l->data, value);
        }
    }
  return 0;
}

static int
command_state (const Options *options,
               Wait          *wait,
               const char    *who)
{
  g_autoptr(BeamConnection) connection = NULL;
  g_autoptr(BeamTerm) state = NULL;
  g_autoptr(GError) error = NULL;
  BeamPrintOptions print = { BEAM_SYNTAX_ERLANG, options->node, 0, 0 };
  g_autofree char *pid = NULL;
  g_autofree char *text = NULL;
  int status = 0;

  if (options->syntax != NULL && !g_str_equal (options->syntax, "erlang") && !g_str_equal (options->syntax, "elixir"))
    {
      g_printerr ("beamscope-cli: %s\n", _("--syntax takes erlang or elixir"));
      return EXIT_USAGE;
    }
  if (g_strcmp0 (options->syntax, "elixir") == 0)
    print.syntax = BEAM_SYNTAX_ELIXIR;

  connection = connect_or_fail (options, wait, &status);
  if (connection == NULL)
    return status;
  beam_process_state_fetch_async (connection, who, options->timeout_ms, NULL, stash_result, wait);
  state = beam_process_state_fetch_finish (wait_for (wait), &error);
  beam_connection_close (connection);
  if (state == NULL)
    return fail (error);

  pid = beam_term_print (state->children[0], &(BeamPrintOptions) { BEAM_SYNTAX_ERLANG, options->node, 0, 0 });
  text = beam_term_print (state->children[1], &print);
  if (options->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "pid");
      json_builder_add_string_value (builder, pid);
      json_builder_set_member_name (builder, "state");
      json_builder_add_string_value (builder, text);
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      print_json (root);
    }
  else
    g_print ("%s\n", text);
  return 0;
}

/* ---- load and memory ---------------------------------------------------------- */

static int
command_sched (const Options *options,
               Wait          *wait)
{
  g_autoptr(BeamConnection) connection = NULL;
  g_autoptr(GArray) usage = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  if (options->sample_ms <= 0)
    {
      g_printerr ("beamscope-cli: %s\n", _("--ms takes a positive number of milliseconds"));
      return EXIT_USAGE;
    }
  connection = connect_or_fail (options, wait, &status);
  if (connection == NULL)
    return status;
  beam_scheduler_usage_async (connection, options->sample_ms, NULL, stash_result, wait);
  usage = beam_scheduler_usage_finish (wait_for (wait), &error);
  beam_connection_close (connection);
  if (usage == NULL)
    return fail (error);

  if (options->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_array (builder);
      for (guint i = 0; i < usage->len; i++)
        {
          BeamSchedulerUsage *entry = &g_array_index (usage, BeamSchedulerUsage, i);

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "scheduler");
          json_builder_add_int_value (builder, entry->id);
          json_builder_set_member_name (builder, "type");
          json_builder_add_string_value (builder, beam_scheduler_type_to_string (entry->type));
          json_builder_set_member_name (builder, "usage");
          json_builder_add_double_value (builder, entry->usage);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      root = json_builder_get_root (builder);
      print_json (root);
      return 0;
    }

  g_print ("%-10s %-10s %s\n", _("SCHEDULER"), _("TYPE"), _("USAGE"));
  for (guint i = 0; i < usage->len; i++)
    {
      BeamSchedulerUsage *entry = &g_array_index (usage, BeamSchedulerUsage, i);
      g_print ("%-10u %-10s %5.1f%%\n", entry->id, beam_scheduler_type_to_string (entry->type), 100 * entry->usage);
    }
  return 0;
}

static int
command_memory (const Options *options,
                Wait          *wait)
{
  g_autoptr(BeamConnection) connection = NULL;
  g_autoptr(BeamTerm) memory = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  int status = 0;

  connection = connect_or_fail (options, wait, &status);
  if (connection == NULL)
    return status;
  beam_connection_rpc_async (connection, "erlang", "memory", NULL, 0, NULL, stash_result, wait);
  memory = beam_connection_rpc_finish (connection, wait_for (wait), &error);
  beam_connection_close (connection);
  if (memory == NULL)
    return fail (error);

  /* [{total, Bytes}, ...], every key the node has, in its order. */
  json_builder_begin_object (builder);
  for (guint i = 0; memory->kind == BEAM_TERM_LIST && i < memory->n_children; i++)
    {
      const BeamTerm *pair = memory->children[i];
      gint64 bytes;

      if (pair->kind != BEAM_TERM_TUPLE || pair->n_children != 2 || pair->children[0]->kind != BEAM_TERM_ATOM ||
          !beam_term_get_int64 (pair->children[1], &bytes))
        continue;
      if (options->json)
        {
          json_builder_set_member_name (builder, pair->children[0]->v.atom.name);
          json_builder_add_int_value (builder, bytes);
        }
      else
        {
          g_autofree char *size = g_format_size_full (bytes, G_FORMAT_SIZE_IEC_UNITS);
          print_row (pair->children[0]->v.atom.name, size);
        }
    }
  json_builder_end_object (builder);
  if (options->json)
    {
      root = json_builder_get_root (builder);
      print_json (root);
    }
  return 0;
}

static int
command_alloc (const Options *options,
               Wait          *wait)
{
  g_autoptr(BeamConnection) connection = NULL;
  g_autoptr(BeamAllocators) allocators = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  connection = connect_or_fail (options, wait, &status);
  if (connection == NULL)
    return status;
  beam_allocators_fetch_async (connection, NULL, stash_result, wait);
  allocators = beam_allocators_fetch_finish (wait_for (wait), &error);
  beam_connection_close (connection);
  if (allocators == NULL)
    return fail (error);

  if (options->json)
    {
      g_autoptr(JsonNode) root = beam_allocators_to_json (allocators);
      print_json (root);
      return 0;
    }

  g_print ("%-16s %12s %12s %7s\n", _("ALLOCATOR"), _("ALLOCATED"), _("USED"), _("USAGE"));
  for (guint i = 0; i < allocators->types->len; i++)
    {
      const BeamAllocator *allocator = g_ptr_array_index (allocators->types, i);
      g_print ("%-16s %12" G_GINT64_FORMAT " %12" G_GINT64_FORMAT " %6.1f%%\n", allocator->type,
               allocator->allocated, allocator->used,
               allocator->allocated > 0 ? 100.0 * allocator->used / allocator->allocated : 0.0);
    }
  g_print ("%-16s %12" G_GINT64_FORMAT " %12" G_GINT64_FORMAT "\n", _("total"), allocators->allocated, allocators->used);
  if (allocators->cache_calls > 0)
    g_print (_("segment cache hit rate %.1f%% (%" G_GINT64_FORMAT " of %" G_GINT64_FORMAT ")\n"),
             100.0 * allocators->cache_hits / allocators->cache_calls, allocators->cache_hits, allocators->cache_calls);
  return 0;
}

/* A column of a list of structs the CLI prints: as a JSON member, or as a
 * column of text `width` wide (negative: left-aligned). */
typedef struct
{
  const char *key;
  const char *heading;
  int         width;
  gboolean    is_text;   /* a char * member, else a gint64 */
  gsize       offset;
} Column;

static void
print_rows (const Options *options,
            GPtrArray     *rows,
            const Column  *columns,
            guint          n_columns)
{
  if (options->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_array (builder);
      for (guint i = 0; i < rows->len; i++)
        {
          const char *row = g_ptr_array_index (rows, i);

          json_builder_begin_object (builder);
          for (guint c = 0; c < n_columns; c++)
            {
              json_builder_set_member_name (builder, columns[c].key);
              if (columns[c].is_text)
                json_builder_add_string_value (builder, *(char * const *) (row + columns[c].offset));
              else
                json_builder_add_int_value (builder, *(const gint64 *) (row + columns[c].offset));
            }
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      root = json_builder_get_root (builder);
      print_json (root);
      return;
    }

  for (guint c = 0; c < n_columns; c++)
    g_print ("%*s%s", columns[c].width, _(columns[c].heading), c + 1 < n_columns ? " " : "\n");
  for (guint i = 0; i < rows->len; i++)
    {
      const char *row = g_ptr_array_index (rows, i);

      for (guint c = 0; c < n_columns; c++)
        {
          const char *end = c + 1 < n_columns ? " " : "\n";

          if (columns[c].is_text)
            {
              const char *text = *(char * const *) (row + columns[c].offset);
              g_print ("%*s%s", columns[c].width, text != NULL ? text : "", end);
            }
          else
            g_print ("%*" G_GINT64_FORMAT "%s", columns[c].width, *(const gint64 *) (row + columns[c].offset), end);
        }
    }
}

static int
command_ets (const Options *options,
             Wait          *wait)
{
  static const Column columns[] = {
    { "table", N_("TABLE"), -32, TRUE, G_STRUCT_OFFSET (BeamEtsTableMemory, table) },
    { "owner", N_("OWNER"), -16, TRUE, G_STRUCT_OFFSET (BeamEtsTableMemory, owner) },
    { "objects", N_("OBJECTS"), 10, FALSE, G_STRUCT_OFFSET (BeamEtsTableMemory, objects) },
    { "memory", N_("MEMORY"), 12, FALSE, G_STRUCT_OFFSET (BeamEtsTableMemory, bytes) },
  };
  g_autoptr(BeamConnection) connection = NULL;
  g_autoptr(GPtrArray) tables = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  connection = connect_or_fail (options, wait, &status);
  if (connection == NULL)
    return status;
  beam_ets_by_memory_async (connection, options->top_count, NULL, stash_result, wait);
  tables = beam_ets_by_memory_finish (wait_for (wait), &error);
  beam_connection_close (connection);
  if (tables == NULL)
    return fail (error);
  print_rows (options, tables, columns, G_N_ELEMENTS (columns));
  return 0;
}

static int
command_heaps (const Options *options,
               Wait          *wait)
{
  static const Column columns[] = {
    { "pid", N_("PID"), -16, TRUE, G_STRUCT_OFFSET (BeamHeapMemory, pid) },
    { "registered_name", N_("NAME"), -28, TRUE, G_STRUCT_OFFSET (BeamHeapMemory, name) },
    { "total_heap_size", N_("HEAP (BYTES)"), 14, FALSE, G_STRUCT_OFFSET (BeamHeapMemory, heap_bytes) },
    { "memory", N_("MEMORY"), 12, FALSE, G_STRUCT_OFFSET (BeamHeapMemory, memory) },
  };
  g_autoptr(BeamConnection) connection = NULL;
  g_autoptr(GPtrArray) heaps = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  connection = connect_or_fail (options, wait, &status);
  if (connection == NULL)
    return status;
  beam_big_heaps_async (connection, options->min_bytes, options->top_count, NULL, stash_result, wait);
  heaps = beam_big_heaps_finish (wait_for (wait), &error);
  beam_connection_close (connection);
  if (heaps == NULL)
    return fail (error);
  print_rows (options, heaps, columns, G_N_ELEMENTS (columns));
  return 0;
}

static int
command_binary_gc (const Options *options,
                   Wait          *wait)
{
  g_autoptr(BeamConnection) connection = NULL;
  g_autofree BeamBinaryCollection *collection = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  if (!options->yes)
    {
      g_printerr ("beamscope-cli: %s\n",
                  _("binary-gc garbage-collects every process on the node; pass --yes to do it"));
      return EXIT_USAGE;
    }
  connection = connect_or_fail (options, wait, &status);
  if (connection == NULL)
    return status;
  beam_binary_collect_async (connection, NULL, stash_result, wait);
  collection = beam_binary_collect_finish (wait_for (wait), &error);
  beam_connection_close (connection);
  if (collection == NULL)
    return fail (error);

  if (options->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "binary_before");
      json_builder_add_int_value (builder, collection->before);
      json_builder_set_member_name (builder, "binary_after");
      json_builder_add_int_value (builder, collection->after);
      json_builder_set_member_name (builder, "processes");
      json_builder_add_int_value (builder, collection->processes);
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      print_json (root);
      return 0;
    }
  {
    g_autofree char *before = g_format_size_full (collection->before, G_FORMAT_SIZE_IEC_UNITS);
    g_autofree char *after = g_format_size_full (collection->after, G_FORMAT_SIZE_IEC_UNITS);
    g_autofree char *count = g_strdup_printf ("%" G_GINT64_FORMAT, collection->processes);

    print_row (_("binary before"), before);
    print_row (_("binary after"), after);
    print_row (_("processes collected"), count);
  }
  return 0;
}

int
main (int    argc,
      char **argv)
{
  Options options = { .timeout_ms = 10000, .top_count = 10, .sample_ms = 1000, .min_bytes = 1024 * 1024 };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  Wait wait = { 0 };
  const char *command;
  int status;
  GOptionEntry entries[] = {
    { "node", 0, 0, G_OPTION_ARG_STRING, &options.node, N_("The node to inspect, as name@host"), N_("NAME") },
    { "cookie", 'c', 0, G_OPTION_ARG_STRING, &options.cookie, N_("The node's cookie"), N_("COOKIE") },
    { "cookie-file", 0, 0, G_OPTION_ARG_FILENAME, &options.cookie_file, N_("Read the cookie from FILE"), N_("FILE") },
    { "json", 'j', 0, G_OPTION_ARG_NONE, &options.json, N_("Print JSON"), NULL },
    { "timeout", 't', 0, G_OPTION_ARG_INT, &options.timeout_ms, N_("Give up on the node after MS milliseconds (default 10000)"), N_("MS") },
    { "by", 0, 0, G_OPTION_ARG_STRING, &options.top_by, N_("top: memory (default), message_queue_len, reductions, heap_size or total_heap_size"), N_("ATTRIBUTE") },
    { "count", 'n', 0, G_OPTION_ARG_INT, &options.top_count, N_("top: how many processes (default 10)"), N_("N") },
    { "window", 'w', 0, G_OPTION_ARG_INT, &options.window_ms, N_("top: the growth over MS milliseconds, as recon:proc_window"), N_("MS") },
    { "syntax", 0, 0, G_OPTION_ARG_STRING, &options.syntax, N_("state: print in erlang (default) or elixir syntax"), N_("SYNTAX") },
    { "ms", 0, 0, G_OPTION_ARG_INT, &options.sample_ms, N_("sched: sample for MS milliseconds (default 1000)"), N_("MS") },
    { "min-bytes", 0, 0, G_OPTION_ARG_INT64, &options.min_bytes, N_("heaps: only heaps of at least BYTES (default 1 MiB)"), N_("BYTES") },
    { "yes", 'y', 0, G_OPTION_ARG_NONE, &options.yes, N_("binary-gc: yes, garbage-collect every process"), NULL },
    { NULL }
  };

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  if (!beam_connection_init_process (&error))
    return fail (error);

  context = g_option_context_new (_("COMMAND — inspect a running Erlang or Elixir node"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_description (context,
    _("Commands:\n"
      "  nodes [HOST]   the nodes registered with EPMD on HOST (default localhost)\n"
      "  info           what the node says of itself: versions, schedulers, limits, memory\n"
      "  procs          every process, with the Processes page's columns\n"
      "  top            the biggest processes: --by ATTRIBUTE, -n N, --window MS\n"
      "  proc PID|NAME  one process: the items of process_info/2 the seeds list\n"
      "  state PID|NAME sys:get_state of an OTP process (--timeout MS, --syntax)\n"
      "  sched          scheduler usage over --ms MS, as recon:scheduler_usage\n"
      "  memory         erlang:memory(), in bytes\n"
      "  alloc          allocators: carriers against blocks, as recon_alloc:memory\n"
      "  ets            the biggest ETS tables by memory (-n N)\n"
      "  heaps          processes with heaps over --min-bytes BYTES (-n N)\n"
      "  binary-gc      binary memory before and after collecting every process (--yes)\n"
      "\n"
      "The cookie is --cookie, else --cookie-file, else ~/.erlang.cookie."));
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("beamscope-cli: %s\n", error->message);
      return EXIT_USAGE;
    }
  if (options.timeout_ms <= 0)
    {
      g_printerr ("beamscope-cli: %s\n", _("--timeout must be a positive number of milliseconds"));
      return EXIT_USAGE;
    }
  if (options.top_count <= 0)
    {
      g_printerr ("beamscope-cli: %s\n", _("--count must be a positive number"));
      return EXIT_USAGE;
    }
  if (options.cookie != NULL && options.cookie_file != NULL)
    {
      g_printerr ("beamscope-cli: %s\n", _("give --cookie or --cookie-file, not both"));
      return EXIT_USAGE;
    }
  if (argc < 2)
    {
      g_autofree char *help = g_option_context_get_help (context, TRUE, NULL);
      g_printerr ("%s", help);
      return EXIT_USAGE;
    }

  loop = g_main_loop_new (NULL, FALSE);
  wait.loop = loop;
  command = argv[1];

  if (g_str_equal (command, "nodes") && argc <= 3)
    status = command_nodes (&options, argc == 3 ? argv[2] : "localhost");
  else if (g_str_equal (command, "info") && argc == 2)
    status = command_info (&options, &wait);
  else if (g_str_equal (command, "procs") && argc == 2)
    status = command_procs (&options, &wait);
  else if (g_str_equal (command, "top") && argc == 2)
    status = command_top (&options, &wait);
  else if (g_str_equal (command, "sched") && argc == 2)
    status = command_sched (&options, &wait);
  else if (g_str_equal (command, "memory") && argc == 2)
    status = command_memory (&options, &wait);
  else if (g_str_equal (command, "alloc") && argc == 2)
    status = command_alloc (&options, &wait);
  else if (g_str_equal (command, "ets") && argc == 2)
    status = command_ets (&options, &wait);
  else if (g_str_equal (command, "heaps") && argc == 2)
    status = command_heaps (&options, &wait);
  else if (g_str_equal (command, "binary-gc") && argc == 2)
    status = command_binary_gc (&options, &wait);
  else if (g_str_equal (command, "proc") && argc == 3)
    status = command_proc (&options, &wait, argv[2]);
  else if (g_str_equal (command, "state") && argc == 3)
    status = command_state (&options, &wait, argv[2]);
  else
    {
      g_printerr ("beamscope-cli: %s\n", _("unknown command or extra arguments; see --help"));
      status = EXIT_USAGE;
    }

  g_clear_object (&wait.result);
  g_free (options.node);
  g_free (options.cookie);
  g_free (options.cookie_file);
  g_free (options.top_by);
  g_free (options.syntax);
  return status;
}
