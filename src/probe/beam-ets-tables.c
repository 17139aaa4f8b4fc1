/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Every ETS table of a node: programs/ets-tables.exprs, and its answer read
 * into BeamEtsTables. Sizes the node gives in words become bytes here. */

#define G_LOG_DOMAIN "beamscope-probe"

#include <glib/gi18n.h>

#include "beam-erl-expr.h"
#include "beam-ets-tables.h"
#include "beam-probe-json.h"
#include "beam-term-printer.h"

#define CALL_TIMEOUT_MS 30000
/* Every table's info, or a page of rows of at most 64 kB each. */
#define MAX_REPLY_BYTES (32 * 1024 * 1024)

static const char *
intern_atom (GStringChunk   *strings,
             const BeamTerm *term)
{
  if (term == NULL || term->kind != BEAM_TERM_ATOM)
    return NULL;
  return g_string_chunk_insert_const (strings, term->v.atom.name);
}

static const char *
intern_printed (GStringChunk   *strings,
                const BeamTerm *term)
{
  g_autofree char *text = NULL;

  if (term == NULL)
    return NULL;
  text = beam_term_print (term, NULL);
  return g_string_chunk_insert_const (strings, text);
}

static gint64
integer_of_term (const BeamTerm *term)
{
  gint64 value;

  return beam_term_get_int64 (term, &value) ? value : -1;
}

static gint64
integer_of (const BeamTerm *info,
            const char     *key)
{
  gint64 value;

  return beam_term_get_int64 (beam_term_lookup (info, key), &value) ? value : -1;
}

static gboolean
read_table (BeamEtsTables  *tables,
            const BeamTerm *row,
            gint64          word_size,
            BeamEtsTable   *table)
{
  GStringChunk *strings = tables->strings;
  const BeamTerm *info, *heir, *owner;
  gint64 words;

  if (row->kind != BEAM_TERM_TUPLE || row->n_children != 4 ||
      (info = row->children[0])->kind != BEAM_TERM_LIST)
    return FALSE;

  table->name = intern_atom (strings, beam_term_lookup (info, "name"));
  table->id = intern_printed (strings, beam_term_lookup (info, "id"));
  table->type = intern_atom (strings, beam_term_lookup (info, "type"));
  table->protection = intern_atom (strings, beam_term_lookup (info, "protection"));
  table->size = integer_of (info, "size");
  words = integer_of (info, "memory");
  table->memory = words >= 0 && words <= G_MAXINT64 / MAX (word_size, 1) ? words * word_size : -1;
  table->keypos = integer_of (info, "keypos");
  owner = beam_term_lookup (info, "owner");
  table->owner = owner != NULL && owner->kind == BEAM_TERM_PID ? intern_printed (strings, owner)
                                                              : NULL;
  heir = beam_term_lookup (info, "heir");
  table->heir = heir != NULL && heir->kind == BEAM_TERM_PID ? intern_printed (strings, heir)
                                                           : NULL;
  table->named_table = beam_term_is_atom (beam_term_lookup (info, "named_table"), "true");
  table->read_concurrency = beam_term_is_atom (beam_term_lookup (info, "read_concurrency"),
                                               "true");
  table->write_concurrency = intern_atom (strings, beam_term_lookup (info, "write_concurrency"));
  table->compressed = beam_term_is_atom (beam_term_lookup (info, "compressed"), "true");
  table->decentralized_counters =
    beam_term_is_atom (beam_term_lookup (info, "decentralized_counters"), "true");
  table->application = beam_term_is_atom (row->children[1], "undefined")
                       ? NULL : intern_atom (strings, row->children[1]);
  table->owner_name = intern_atom (strings, row->children[2]);
  /* kernel's and stdlib's, init's own (logger's), and the controller's */
  table->system = g_strcmp0 (table->application, "kernel") == 0 ||
                  g_strcmp0 (table->application, "stdlib") == 0 ||
                  beam_term_is_atom (row->children[3], "true") ||
                  g_strcmp0 (table->owner_name, "application_controller") == 0;
  return table->name != NULL && table->id != NULL && table->type != NULL;
}

static gpointer
decode_tables (const BeamTerm  *reply,
               gpointer         user_data G_GNUC_UNUSED,
               GError         **error)
{
  const BeamTerm *value = beam_erl_eval_value (reply);
  g_autoptr(BeamEtsTables) tables = NULL;
  const BeamTerm *rows;
  gint64 word_size;

  if (value == NULL || value->kind != BEAM_TERM_TUPLE || value->n_children != 2 ||
      !beam_term_get_int64 (value->children[0], &word_size) || word_size < 4 || word_size > 8 ||
      (rows = value->children[1])->kind != BEAM_TERM_LIST || rows->v.list.improper)
    {
      beam_erl_set_bad_reply (error, "ets:info/1");
      return NULL;
    }

  tables = g_new0 (BeamEtsTables, 1);
  tables->strings = g_string_chunk_new (4096);
  tables->tables = g_new0 (BeamEtsTable, MAX (rows->n_children, 1));
  for (guint i = 0; i < rows->n_children; i++)
    if (!read_table (tables, rows->children[i], word_size, &tables->tables[tables->n_tables++]))
      {
        beam_erl_set_bad_reply (error, "ets:info/1");
        return NULL;
      }
  return g_steal_pointer (&tables);
}

void
beam_ets_tables_async (BeamConnection      *connection,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_return_if_fail (BEAM_IS_CONNECTION (connection));

  beam_connection_call_task_async (connection, beam_ets_tables_async, &(BeamCall) {
                                     .module = "erl_eval", .function = "exprs",
                                     .args = beam_erl_source_args ("ets-tables", NULL),
                                     .timeout_ms = CALL_TIMEOUT_MS,
                                     .max_reply_bytes = MAX_REPLY_BYTES,
                                     .decode = decode_tables,
                                     .result_free = (GDestroyNotify) beam_ets_tables_free,
                                   }, cancellable, callback, user_data);
}

BeamEtsTables *
beam_ets_tables_finish (GAsyncResult  *result,
                        GError       **error)
{
  return beam_connection_call_task_finish (result, beam_ets_tables_async, error);
}

void
beam_ets_tables_free (BeamEtsTables *tables)
{
  if (tables == NULL)
    return;
  g_free (tables->tables);
  if (tables->strings != NULL)
    g_string_chunk_free (tables->strings);
  g_free (tables);
}

static int
by_memory (gconstpointer a,
           gconstpointer b)
{
  const BeamEtsTable *x = a, *y = b;

  return x->memory < y->memory ? 1 : x->memory > y->memory ? -1 : g_strcmp0 (x->name, y->name);
}

static int
by_size (gconstpointer a,
         gconstpointer b)
{
  const BeamEtsTable *x = a, *y = b;

  return x->size < y->size ? 1 : x->size > y->size ? -1 : g_strcmp0 (x->name, y->name);
}

static int
by_name (gconstpointer a,
         gconstpointer b)
{
  const BeamEtsTable *x = a, *y = b;
  int order = g_strcmp0 (x->name, y->name);

  return order != 0 ? order : g_strcmp0 (x->id, y->id);
}

void
beam_ets_tables_sort (BeamEtsTables *tables,
                      BeamEtsSort    sort)
{
  GCompareFunc compare = sort == BEAM_ETS_SORT_SIZE ? by_size
                         : sort == BEAM_ETS_SORT_NAME ? by_name
                         : by_memory;

  g_return_if_fail (tables != NULL);
  qsort (tables->tables, tables->n_tables, sizeof (BeamEtsTable), compare);
}

static void
add_boolean (JsonBuilder *builder,
             const char  *member,
             gboolean     value)
{
  json_builder_set_member_name (builder, member);
  json_builder_add_boolean_value (builder, value);
}

JsonNode *
beam_ets_tables_to_json (const BeamEtsTables *tables,
                         gboolean             with_system,
                         guint                limit)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  guint written = 0;

  g_return_val_if_fail (tables != NULL, NULL);

  json_builder_begin_array (builder);
  for (guint i = 0; i < tables->n_tables && (limit == 0 || written < limit); i++)
    {
      const BeamEtsTable *table = &tables->tables[i];

      if (table->system && !with_system)
        continue;
      written++;
      json_builder_begin_object (builder);
      beam_json_add_string_or_null (builder, "name", table->name);
      beam_json_add_string_or_null (builder, "id", table->id);
      beam_json_add_string_or_null (builder, "type", table->type);
      beam_json_add_count_or_null (builder, "size", table->size);
      beam_json_add_count_or_null (builder, "memory", table->memory);
      beam_json_add_string_or_null (builder, "owner", table->owner);
      beam_json_add_string_or_null (builder, "heir", table->heir);
      beam_json_add_string_or_null (builder, "protection", table->protection);
      beam_json_add_count_or_null (builder, "keypos", table->keypos);
      add_boolean (builder, "read_concurrency", table->read_concurrency);
      /* true, false or auto: as ets:info/1 says it */
      if (g_strcmp0 (table->write_concurrency, "auto") == 0)
        beam_json_add_string_or_null (builder, "write_concurrency", "auto");
      else
        add_boolean (builder, "write_concurrency",
                     g_strcmp0 (table->write_concurrency, "true") == 0);
      add_boolean (builder, "compressed", table->compressed);
      add_boolean (builder, "decentralized_counters", table->decentralized_counters);
      add_boolean (builder, "named_table", table->named_table);
      add_boolean (builder, "system", table->system);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  return json_builder_get_root (builder);
}

/* ---- rows of one table ---------------------------------------------------------- */

G_DEFINE_QUARK (beam-ets-error-quark, beam_ets_error)

void
beam_ets_rows_free (BeamEtsRows *rows)
{
  if (rows == NULL)
    return;
  g_free (rows->name);
  g_clear_pointer (&rows->rows, g_ptr_array_unref);
  g_free (rows);
}

static gpointer
decode_rows (const BeamTerm  *reply,
             gpointer         user_data,
             GError         **error)
{
  const char *table = user_data;
  const BeamTerm *value = beam_erl_eval_value (reply);
  g_autoptr(BeamEtsRows) rows = NULL;
  const BeamTerm *list;

  if (beam_term_is_atom (value, "unknown"))
    {
      g_set_error (error, BEAM_ETS_ERROR, BEAM_ETS_ERROR_UNKNOWN_TABLE,
                   _("No ETS table “%s” on the node"), table);
      return NULL;
    }
  if (beam_term_is_atom (value, "private"))
    {
      g_set_error (error, BEAM_ETS_ERROR, BEAM_ETS_ERROR_PRIVATE,
                   _("The table “%s” is private: only its owner can read its rows"), table);
      return NULL;
    }
  if (value == NULL || value->kind != BEAM_TERM_TUPLE || value->n_children != 4 ||
      value->children[0]->kind != BEAM_TERM_ATOM ||
      (list = value->children[2])->kind != BEAM_TERM_LIST || list->v.list.improper)
    {
      beam_erl_set_bad_reply (error, "ets:select/3");
      return NULL;
    }
  rows = g_new0 (BeamEtsRows, 1);
  rows->name = g_strdup (value->children[0]->v.atom.name);
  rows->size = integer_of_term (value->children[1]);
  rows->more = beam_term_is_atom (value->children[3], "true");
  rows->rows = g_ptr_array_new_full (list->n_children, (GDestroyNotify) beam_term_free);
  for (guint i = 0; i < list->n_children; i++)
    g_ptr_array_add (rows->rows, beam_term_copy (list->children[i]));
  return g_steal_pointer (&rows);
}

void
beam_ets_rows_async (BeamConnection      *connection,
                     const char          *table,
                     guint                offset,
                     guint                limit,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  g_return_if_fail (BEAM_IS_CONNECTION (connection));
  g_return_if_fail (table != NULL && g_utf8_validate (table, -1, NULL));
  g_return_if_fail ((guint64) offset + limit <= BEAM_ETS_ROWS_MAX);

  beam_connection_call_task_async (connection, beam_ets_rows_async, &(BeamCall) {
                                     .module = "erl_eval", .function = "exprs",
                                     .args = beam_erl_source_args (
                                       "ets-rows",
                                       "TableText", beam_term_new_binary (table, strlen (table)),
                                       "Offset", beam_term_new_integer (offset),
                                       "Limit", beam_term_new_integer (limit),
                                       NULL),
                                     .timeout_ms = CALL_TIMEOUT_MS,
                                     .max_reply_bytes = MAX_REPLY_BYTES,
                                     .decode = decode_rows,
                                     .decode_data = g_strdup (table),
                                     .decode_data_free = g_free,
                                     .result_free = (GDestroyNotify) beam_ets_rows_free,
                                   }, cancellable, callback, user_data);
}

BeamEtsRows *
beam_ets_rows_finish (GAsyncResult  *result,
                      GError       **error)
{
  return beam_connection_call_task_finish (result, beam_ets_rows_async, error);
}

void
beam_ets_tables_respell (BeamEtsTables *tables,
                         BeamSyntax     syntax)
{
  g_return_if_fail (tables != NULL);

  for (guint i = 0; i < tables->n_tables; i++)
    {
      BeamEtsTable *table = &tables->tables[i];
      g_autofree char *spelled = NULL;

      if (table->owner_name == NULL)
        continue;
      spelled = beam_print_name (table->owner_name, syntax);
      if (g_strcmp0 (spelled, table->owner_name) != 0)
        table->owner_name = g_string_chunk_insert_const (tables->strings, spelled);
    }
}
