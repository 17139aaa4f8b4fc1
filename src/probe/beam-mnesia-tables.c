/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Mnesia's tables: programs/mnesia-tables.exprs, and its answer read into
 * BeamMnesiaTables. mnesia:table_info(T, memory) is in words for ram and
 * disc copies (their ETS table's) and in bytes for disc_only copies (their
 * dets file's): both become bytes here, with the word size the node gave. */

#define G_LOG_DOMAIN "beamscope-probe"

#include "beam-erl-expr.h"
#include "beam-mnesia-tables.h"
#include "beam-probe-json.h"

#define CALL_TIMEOUT_MS 30000

static const char *
intern_atom (GStringChunk   *strings,
             const BeamTerm *term)
{
  if (term == NULL || term->kind != BEAM_TERM_ATOM)
    return NULL;
  return g_string_chunk_insert_const (strings, term->v.atom.name);
}

static gint64
integer_or_unknown (const BeamTerm *term)
{
  gint64 value;

  return beam_term_get_int64 (term, &value) && value >= 0 ? value : -1;
}

/* A list of atoms as a NULL-terminated vector that `tables` frees; an empty
 * one for anything else (an item mnesia:table_info/2 failed to give). */
static const char **
intern_atoms (BeamMnesiaTables *tables,
              const BeamTerm   *list)
{
  guint n = list != NULL && list->kind == BEAM_TERM_LIST ? list->n_children : 0;
  const char **vector = g_new0 (const char *, n + 1);
  guint kept = 0;

  g_ptr_array_add (tables->vectors, vector);
  for (guint i = 0; i < n; i++)
    if (list->children[i]->kind == BEAM_TERM_ATOM)
      vector[kept++] = intern_atom (tables->strings, list->children[i]);
  return vector;
}

static gboolean
is_storage_type (const char *name)
{
  return g_strcmp0 (name, "ram_copies") == 0 || g_strcmp0 (name, "disc_copies") == 0 ||
         g_strcmp0 (name, "disc_only_copies") == 0;
}

static gboolean
read_table (BeamMnesiaTables *tables,
            const BeamTerm   *row,
            gint64            word_size,
            BeamMnesiaTable  *table)
{
  GStringChunk *strings = tables->strings;
  const BeamTerm *items, *figures;
  const char *where;
  gint64 memory;

  if (row->kind != BEAM_TERM_TUPLE || row->n_children != 3 ||
      row->children[0]->kind != BEAM_TERM_ATOM ||
      (items = row->children[1])->kind != BEAM_TERM_LIST ||
      (figures = row->children[2])->kind != BEAM_TERM_TUPLE || figures->n_children != 2)
    return FALSE;

  table->name = intern_atom (strings, row->children[0]);
  /* `unknown` where the node holds no copy; an external backend's alias is
   * no storage type we can size. */
  table->storage_type = intern_atom (strings, beam_term_lookup (items, "storage_type"));
  if (!is_storage_type (table->storage_type))
    table->storage_type = NULL;
  table->type = intern_atom (strings, beam_term_lookup (items, "type"));
  table->record_name = intern_atom (strings, beam_term_lookup (items, "record_name"));
  table->attributes = intern_atoms (tables, beam_term_lookup (items, "attributes"));
  table->ram_copies = intern_atoms (tables, beam_term_lookup (items, "ram_copies"));
  table->disc_copies = intern_atoms (tables, beam_term_lookup (items, "disc_copies"));
  table->disc_only_copies = intern_atoms (tables, beam_term_lookup (items, "disc_only_copies"));
  where = intern_atom (strings, beam_term_lookup (items, "where_to_read"));
  table->where_to_read = g_strcmp0 (where, "nowhere") == 0 ? NULL : where;

  table->size = table->storage_type != NULL ? integer_or_unknown (figures->children[0]) : -1;
  memory = table->storage_type != NULL ? integer_or_unknown (figures->children[1]) : -1;
  if (memory < 0 || g_str_equal (table->storage_type, "disc_only_copies"))
    table->memory = memory;
  else
    table->memory = memory <= G_MAXINT64 / word_size ? memory * word_size : -1;
  return TRUE;
}

static gpointer
decode_tables (const BeamTerm  *reply,
               gpointer         user_data G_GNUC_UNUSED,
               GError         **error)
{
  const BeamTerm *value = beam_erl_eval_value (reply);
  g_autoptr(BeamMnesiaTables) tables = g_new0 (BeamMnesiaTables, 1);
  const BeamTerm *rows;
  gint64 word_size;

  tables->strings = g_string_chunk_new (1024);
  tables->vectors = g_ptr_array_new_with_free_func (g_free);
  if (beam_term_is_atom (value, "not_running"))
    {
      tables->tables = g_new0 (BeamMnesiaTable, 1);
      return g_steal_pointer (&tables);
    }
  if (value == NULL || value->kind != BEAM_TERM_TUPLE || value->n_children != 2 ||
      !beam_term_get_int64 (value->children[0], &word_size) || word_size < 4 || word_size > 8 ||
      (rows = value->children[1])->kind != BEAM_TERM_LIST || rows->v.list.improper)
    {
      beam_erl_set_bad_reply (error, "mnesia:table_info/2");
      return NULL;
    }

  tables->running = TRUE;
  tables->tables = g_new0 (BeamMnesiaTable, MAX (rows->n_children, 1));
  for (guint i = 0; i < rows->n_children; i++)
    if (!read_table (tables, rows->children[i], word_size, &tables->tables[tables->n_tables++]))
      {
        beam_erl_set_bad_reply (error, "mnesia:table_info/2");
        return NULL;
      }
  return g_steal_pointer (&tables);
}

void
beam_mnesia_tables_async (BeamConnection      *connection,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_return_if_fail (BEAM_IS_CONNECTION (connection));

  beam_connection_call_task_async (connection, beam_mnesia_tables_async, &(BeamCall) {
                                     .module = "erl_eval", .function = "exprs",
                                     .args = beam_erl_source_args ("mnesia-tables", NULL),
                                     .timeout_ms = CALL_TIMEOUT_MS,
                                     .max_reply_bytes = 16 * 1024 * 1024,
                                     .decode = decode_tables,
                                     .result_free = (GDestroyNotify) beam_mnesia_tables_free,
                                   }, cancellable, callback, user_data);
}

BeamMnesiaTables *
beam_mnesia_tables_finish (GAsyncResult  *result,
                           GError       **error)
{
  return beam_connection_call_task_finish (result, beam_mnesia_tables_async, error);
}

void
beam_mnesia_tables_free (BeamMnesiaTables *tables)
{
  if (tables == NULL)
    return;
  g_free (tables->tables);
  if (tables->strings != NULL)
    g_string_chunk_free (tables->strings);
  g_clear_pointer (&tables->vectors, g_ptr_array_unref);
  g_free (tables);
}

static int
by_name (gconstpointer a,
         gconstpointer b)
{
  const BeamMnesiaTable *x = a, *y = b;

  return g_strcmp0 (x->name, y->name);
}

void
beam_mnesia_tables_sort (BeamMnesiaTables *tables)
{
  g_return_if_fail (tables != NULL);
  qsort (tables->tables, tables->n_tables, sizeof (BeamMnesiaTable), by_name);
}

const char *
beam_mnesia_storage_short_name (const char *storage_type)
{
  if (g_strcmp0 (storage_type, "ram_copies") == 0)
    return "ram";
  if (g_strcmp0 (storage_type, "disc_copies") == 0)
    return "disc";
  if (g_strcmp0 (storage_type, "disc_only_copies") == 0)
    return "disc_only";
  return NULL;
}

static void
add_strings (JsonBuilder  *builder,
             const char   *member,
             const char  **values)
{
  json_builder_set_member_name (builder, member);
  json_builder_begin_array (builder);
  for (guint i = 0; values != NULL && values[i] != NULL; i++)
    json_builder_add_string_value (builder, values[i]);
  json_builder_end_array (builder);
}

JsonNode *
beam_mnesia_tables_to_json (const BeamMnesiaTables *tables)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (tables != NULL, NULL);

  json_builder_begin_array (builder);
  for (guint i = 0; i < tables->n_tables; i++)
    {
      const BeamMnesiaTable *table = &tables->tables[i];

      json_builder_begin_object (builder);
      beam_json_add_string_or_null (builder, "name", table->name);
      beam_json_add_string_or_null (builder, "storage_type", table->storage_type);
      beam_json_add_string_or_null (builder, "type", table->type);
      beam_json_add_count_or_null (builder, "size", table->size);
      beam_json_add_count_or_null (builder, "memory", table->memory);
      beam_json_add_string_or_null (builder, "record_name", table->record_name);
      add_strings (builder, "attributes", table->attributes);
      add_strings (builder, "ram_copies", table->ram_copies);
      add_strings (builder, "disc_copies", table->disc_copies);
      add_strings (builder, "disc_only_copies", table->disc_only_copies);
      beam_json_add_string_or_null (builder, "where_to_read", table->where_to_read);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  return json_builder_get_root (builder);
}
