/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One table read a chunk at a time: programs/ets-window.exprs and its
 * answers. Every request names the table by the id `open` answered (as a
 * term_to_binary the node reads back), so a table made without named_table
 * is found again without a list of all tables, and a deleted one says so. */

#define G_LOG_DOMAIN "beamscope-probe"

#include <glib/gi18n.h>

#include "beam-erl-expr.h"
#include "beam-ets-window.h"

#define CALL_TIMEOUT_MS 15000
/* A chunk: the window reads 200 rows, each at most 64 kB (a bigger one
 * travels as its size), and their keys: this holds them. A bigger ask of big
 * rows is refused as too big, before it is read. */
#define MAX_CHUNK_BYTES (16 * 1024 * 1024)

static BeamTerm *
window_args (const BeamTerm *table_or_null,
             const char     *table_text,
             BeamTerm       *request,
             guint           limit)
{
  BeamTerm *table = table_or_null != NULL
                    ? beam_term_copy (table_or_null)
                    : beam_term_new_binary (table_text, strlen (table_text));

  return beam_erl_source_args ("ets-window",
                               "Table", table,
                               "Request", request,
                               "Limit",
                               beam_term_new_integer (CLAMP (limit, 1, BEAM_ETS_WINDOW_MAX_ROWS)),
                               "MaxRow", beam_term_new_integer (BEAM_ETS_WINDOW_MAX_ROW),
                               NULL);
}

/* The answers every request may give instead of its own. */
static gboolean
is_refusal (const BeamTerm  *value,
            const char      *table_text,
            GError         **error)
{
  if (beam_term_is_atom (value, "unknown"))
    g_set_error (error, BEAM_ETS_ERROR, BEAM_ETS_ERROR_UNKNOWN_TABLE,
                 _("No ETS table “%s” on the node"), table_text);
  else if (beam_term_is_atom (value, "private"))
    g_set_error (error, BEAM_ETS_ERROR, BEAM_ETS_ERROR_PRIVATE,
                 _("The table “%s” is private: only its owner can read its rows"), table_text);
  else if (beam_term_is_atom (value, "deleted"))
    g_set_error (error, BEAM_ETS_ERROR, BEAM_ETS_ERROR_DELETED,
                 _("The table “%s” was deleted"), table_text);
  else if (beam_term_is_atom (value, "resized"))
    g_set_error (error, BEAM_ETS_ERROR, BEAM_ETS_ERROR_RESIZED,
                 _("The table “%s” changed too much to read on from there"), table_text);
  else
    return FALSE;
  return TRUE;
}

void
beam_ets_chunk_free (BeamEtsChunk *chunk)
{
  if (chunk == NULL)
    return;
  g_clear_pointer (&chunk->rows, g_ptr_array_unref);
  g_free (chunk->row_bytes);
  g_clear_pointer (&chunk->before, beam_term_free);
  g_clear_pointer (&chunk->after, beam_term_free);
  g_free (chunk);
}

static gboolean
is_proper_list (const BeamTerm *term)
{
  return term != NULL && term->kind == BEAM_TERM_LIST && !term->v.list.improper;
}

static gboolean
is_key_binary (const BeamTerm *term)
{
  return term != NULL && term->kind == BEAM_TERM_BINARY;
}

static BeamTerm *
key_cursor (const BeamTerm *key_binary)
{
  return beam_term_new_tuple (2, beam_term_new_atom ("key"), beam_term_copy (key_binary));
}

gboolean
beam_ets_rows_read (const BeamTerm  *rows,
                    const BeamTerm  *big,
                    gboolean         reverse,
                    GPtrArray      **out_rows,
                    gint64         **out_row_bytes)
{
  g_autoptr(GPtrArray) read = NULL;
  g_autofree gint64 *row_bytes = NULL;
  guint n;

  if (!is_proper_list (rows) || !is_proper_list (big))
    return FALSE;
  n = rows->n_children;
  read = g_ptr_array_new_full (n, (GDestroyNotify) beam_term_free);
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (read, beam_term_copy (rows->children[reverse ? n - 1 - i : i]));
  for (guint i = 0; i < big->n_children; i++)
    {
      const BeamTerm *entry = big->children[i];
      gint64 index, bytes;

      if (entry->kind != BEAM_TERM_TUPLE || entry->n_children != 2 ||
          !beam_term_get_int64 (entry->children[0], &index) ||
          !beam_term_get_int64 (entry->children[1], &bytes) || index < 0 || index >= n)
        return FALSE;
      if (reverse)
        index = n - 1 - index;
      if (row_bytes == NULL)
        row_bytes = g_new0 (gint64, n);
      row_bytes[index] = MAX (bytes, 1);
      g_clear_pointer (&read->pdata[index], beam_term_free);
    }
  *out_rows = g_steal_pointer (&read);
  *out_row_bytes = g_steal_pointer (&row_bytes);
  return TRUE;
}

/* {chunk, Size, Rows, Big, Next, FirstKB, LastKB}; a backward chunk comes in
 * reverse key order and is turned round here. */
static BeamEtsChunk *
read_chunk (const BeamTerm       *value,
            BeamEtsReadDirection  direction)
{
  g_autoptr(BeamEtsChunk) chunk = NULL;
  const BeamTerm *rows, *big, *next, *first_key, *last_key;
  gint64 size;

  if (beam_term_tagged (value, "chunk", 7) == NULL ||
      !beam_term_get_int64 (value->children[1], &size))
    return NULL;
  rows = value->children[2];
  big = value->children[3];
  next = value->children[4];
  first_key = value->children[5];
  last_key = value->children[6];
  chunk = g_new0 (BeamEtsChunk, 1);
  chunk->table_size = MAX (size, 0);
  if (!beam_ets_rows_read (rows, big, direction == BEAM_ETS_READ_BACKWARD, &chunk->rows,
                           &chunk->row_bytes))
    return NULL;

  /* The cursor past the end the chunk was read towards. */
  if (beam_term_tagged (next, "key", 2) != NULL && is_key_binary (next->children[1]))
    {
      if (direction == BEAM_ETS_READ_FORWARD)
        chunk->after = beam_term_copy (next);
      else
        chunk->before = beam_term_copy (next);
    }
  else if (beam_term_tagged (next, "cont", 2) != NULL && is_key_binary (next->children[1]))
    chunk->after = beam_term_copy (next);
  else if (!beam_term_is_atom (next, "done"))
    return NULL;

  /* An ordered set's other end: its first row's key, for reading the other way. */
  if (is_key_binary (first_key) && is_key_binary (last_key))
    {
      if (direction == BEAM_ETS_READ_FORWARD && chunk->before == NULL)
        chunk->before = key_cursor (first_key);
      else if (direction == BEAM_ETS_READ_BACKWARD && chunk->after == NULL)
        chunk->after = key_cursor (first_key);
    }
  return g_steal_pointer (&chunk);
}

/* ---- open ----------------------------------------------------------------------- */

void
beam_ets_window_opened_free (BeamEtsWindowOpened *opened)
{
  if (opened == NULL)
    return;
  g_clear_pointer (&opened->table, beam_term_free);
  g_free (opened->name);
  g_free (opened->type);
  g_free (opened->protection);
  g_clear_pointer (&opened->first, beam_ets_chunk_free);
  g_free (opened);
}

static char *
dup_atom (const BeamTerm *term)
{
  return term != NULL && term->kind == BEAM_TERM_ATOM ? g_strdup (term->v.atom.name) : NULL;
}

static gpointer
decode_opened (const BeamTerm  *reply,
               gpointer         user_data,
               GError         **error)
{
  const char *table_text = user_data;
  const BeamTerm *value = beam_erl_eval_value (reply);
  g_autoptr(BeamEtsWindowOpened) opened = NULL;

  if (is_refusal (value, table_text, error))
    return NULL;
  if (beam_term_tagged (value, "open", 7) == NULL || !is_key_binary (value->children[1]))
    {
      beam_erl_set_bad_reply (error, "ets:select/3");
      return NULL;
    }
  opened = g_new0 (BeamEtsWindowOpened, 1);
  opened->table = beam_term_copy (value->children[1]);
  opened->name = dup_atom (value->children[2]);
  opened->type = dup_atom (value->children[3]);
  opened->protection = dup_atom (value->children[5]);
  opened->first = read_chunk (value->children[6], BEAM_ETS_READ_FORWARD);
  if (opened->name == NULL || opened->type == NULL || opened->protection == NULL ||
      !beam_term_get_int64 (value->children[4], &opened->keypos) || opened->first == NULL)
    {
      beam_erl_set_bad_reply (error, "ets:select/3");
      return NULL;
    }
  return g_steal_pointer (&opened);
}

void
beam_ets_window_open_async (BeamConnection      *connection,
                            const char          *table,
                            guint                limit,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_return_if_fail (BEAM_IS_CONNECTION (connection));
  g_return_if_fail (table != NULL && g_utf8_validate (table, -1, NULL));

  beam_connection_call_task_async (connection, beam_ets_window_open_async, &(BeamCall) {
                                     .module = "erl_eval", .function = "exprs",
                                     .args = window_args (NULL, table,
                                                          beam_term_new_atom ("open"), limit),
                                     .timeout_ms = CALL_TIMEOUT_MS,
                                     .max_reply_bytes = MAX_CHUNK_BYTES,
                                     .decode = decode_opened,
                                     .decode_data = g_strdup (table),
                                     .decode_data_free = g_free,
                                     .result_free = (GDestroyNotify) beam_ets_window_opened_free,
                                   }, cancellable, callback, user_data);
}

BeamEtsWindowOpened *
beam_ets_window_open_finish (GAsyncResult  *result,
                             GError       **error)
{
  return beam_connection_call_task_finish (result, beam_ets_window_open_async, error);
}

/* ---- reading on ----------------------------------------------------------------- */

BeamTerm *
beam_ets_cursor_new_bucket (gint64 bucket)
{
  return beam_term_new_tuple (2, beam_term_new_atom ("bucket"),
                              beam_term_new_integer (MAX (bucket, 0)));
}

static gpointer
decode_chunk (const BeamTerm  *reply,
              gpointer         user_data,
              GError         **error)
{
  BeamEtsReadDirection direction = GPOINTER_TO_INT (user_data);
  const BeamTerm *value = beam_erl_eval_value (reply);
  BeamEtsChunk *chunk;

  if (is_refusal (value, "", error))
    return NULL;
  chunk = read_chunk (value, direction);
  if (chunk == NULL)
    beam_erl_set_bad_reply (error, "ets:select/1");
  return chunk;
}

void
beam_ets_window_read_async (BeamConnection       *connection,
                            const BeamTerm       *table,
                            BeamEtsReadDirection  direction,
                            const BeamTerm       *cursor,
                            guint                 limit,
                            GCancellable         *cancellable,
                            GAsyncReadyCallback   callback,
                            gpointer              user_data)
{
  gboolean forward = direction == BEAM_ETS_READ_FORWARD;
  BeamTerm *from;

  g_return_if_fail (BEAM_IS_CONNECTION (connection));
  g_return_if_fail (table != NULL);

  from = cursor != NULL ? beam_term_copy (cursor)
                        : beam_term_new_atom (forward ? "start" : "last");
  beam_connection_call_task_async (connection, beam_ets_window_read_async, &(BeamCall) {
                                     .module = "erl_eval", .function = "exprs",
                                     .args = window_args (table, NULL,
                                                          beam_term_new_tuple (
                                                            2,
                                                            beam_term_new_atom (forward
                                                                                ? "forward"
                                                                                : "backward"),
                                                            from),
                                                          limit),
                                     .timeout_ms = CALL_TIMEOUT_MS,
                                     .max_reply_bytes = MAX_CHUNK_BYTES,
                                     .decode = decode_chunk,
                                     .decode_data = GINT_TO_POINTER (direction),
                                     .result_free = (GDestroyNotify) beam_ets_chunk_free,
                                   }, cancellable, callback, user_data);
}

BeamEtsChunk *
beam_ets_window_read_finish (GAsyncResult  *result,
                             GError       **error)
{
  return beam_connection_call_task_finish (result, beam_ets_window_read_async, error);
}

/* ---- jumping -------------------------------------------------------------------- */

/* {Tag, Count}: the table's size or its bucket count. */
static gpointer
decode_count (const BeamTerm  *reply,
              gpointer         user_data,
              GError         **error)
{
  const char *tag = user_data;
  const BeamTerm *value = beam_erl_eval_value (reply);
  gint64 *answer;
  gint64 count;

  if (is_refusal (value, "", error))
    return NULL;
  if (beam_term_tagged (value, tag, 2) == NULL ||
      !beam_term_get_int64 (value->children[1], &count) || count < 0)
    {
      beam_erl_set_bad_reply (error, "ets:slot/2");
      return NULL;
    }
  answer = g_new (gint64, 1);
  *answer = count;
  return answer;
}

static void
count_async (BeamConnection      *connection,
             const BeamTerm      *table,
             const char          *request,
             gpointer             source_tag,
             GCancellable        *cancellable,
             GAsyncReadyCallback  callback,
             gpointer             user_data)
{
  g_return_if_fail (BEAM_IS_CONNECTION (connection));
  g_return_if_fail (table != NULL);

  beam_connection_call_task_async (connection, source_tag, &(BeamCall) {
                                     .module = "erl_eval", .function = "exprs",
                                     .args = window_args (table, NULL,
                                                          beam_term_new_atom (request), 1),
                                     .timeout_ms = CALL_TIMEOUT_MS,
                                     .max_reply_bytes = MAX_CHUNK_BYTES,
                                     .decode = decode_count,
                                     .decode_data = (gpointer) request,
                                     .result_free = g_free,
                                   }, cancellable, callback, user_data);
}

static gint64
count_finish (GAsyncResult  *result,
              gpointer       source_tag,
              GError       **error)
{
  g_autofree gint64 *count = beam_connection_call_task_finish (result, source_tag, error);

  return count != NULL ? *count : -1;
}

void
beam_ets_window_buckets_async (BeamConnection      *connection,
                               const BeamTerm      *table,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  count_async (connection, table, "buckets", beam_ets_window_buckets_async, cancellable,
               callback, user_data);
}

gint64
beam_ets_window_buckets_finish (GAsyncResult  *result,
                                GError       **error)
{
  return count_finish (result, beam_ets_window_buckets_async, error);
}

void
beam_ets_window_size_async (BeamConnection      *connection,
                            const BeamTerm      *table,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  count_async (connection, table, "size", beam_ets_window_size_async, cancellable,
               callback, user_data);
}

gint64
beam_ets_window_size_finish (GAsyncResult  *result,
                             GError       **error)
{
  return count_finish (result, beam_ets_window_size_async, error);
}

gint64
beam_ets_bucket_of_position (gint64 position,
                             gint64 size,
                             gint64 buckets)
{
  gint64 half = 1, low;
  double density, single_end, double_end;

  if (buckets <= 1 || size <= 0)
    return 0;
  position = CLAMP (position, 0, size - 1);
  /* Linear hashing: with `buckets` of a table sized for 2 * half, the
   * buckets [low, half) hold the rows of two (erl_db_hash.c's hash_to_ix). */
  while (half * 2 < buckets)
    half *= 2;
  low = buckets - half;
  density = (double) size / (2.0 * half);
  single_end = low * density;
  double_end = single_end + 2.0 * density * (half - low);
  if (position < single_end)
    return CLAMP ((gint64) (position / density), 0, buckets - 1);
  if (position < double_end)
    return CLAMP (low + (gint64) ((position - single_end) / (2.0 * density)), 0, buckets - 1);
  return CLAMP (half + (gint64) ((position - double_end) / density), 0, buckets - 1);
}

void
beam_ets_key_index_free (BeamEtsKeyIndex *index)
{
  if (index == NULL)
    return;
  g_clear_pointer (&index->cursors, g_ptr_array_unref);
  g_free (index);
}

static gpointer
decode_key_index (const BeamTerm  *reply,
                  gpointer         user_data,
                  GError         **error)
{
  const BeamTerm *value = beam_erl_eval_value (reply);
  g_autoptr(BeamEtsKeyIndex) index = NULL;
  const BeamTerm *keys;

  if (is_refusal (value, "", error))
    return NULL;
  if (beam_term_tagged (value, "key_index", 3) == NULL ||
      !is_proper_list (keys = value->children[2]))
    {
      beam_erl_set_bad_reply (error, "ets:slot/2");
      return NULL;
    }
  index = g_new0 (BeamEtsKeyIndex, 1);
  index->step = GPOINTER_TO_SIZE (user_data);
  if (!beam_term_get_int64 (value->children[1], &index->table_size))
    index->table_size = 0;
  index->cursors = g_ptr_array_new_full (keys->n_children, (GDestroyNotify) beam_term_free);
  for (guint i = 0; i < keys->n_children; i++)
    {
      if (!is_key_binary (keys->children[i]))
        {
          beam_erl_set_bad_reply (error, "ets:slot/2");
          return NULL;
        }
      g_ptr_array_add (index->cursors, key_cursor (keys->children[i]));
    }
  return g_steal_pointer (&index);
}

void
beam_ets_window_key_index_async (BeamConnection      *connection,
                                 const BeamTerm      *table,
                                 gint64               step,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_return_if_fail (BEAM_IS_CONNECTION (connection));
  g_return_if_fail (table != NULL);
  g_return_if_fail (step > 0 && step <= G_MAXINT32);

  beam_connection_call_task_async (connection, beam_ets_window_key_index_async, &(BeamCall) {
                                     .module = "erl_eval", .function = "exprs",
                                     .args = window_args (table, NULL,
                                                          beam_term_new_tuple (
                                                            2, beam_term_new_atom ("key_index"),
                                                            beam_term_new_integer (step)),
                                                          1),
                                     .timeout_ms = CALL_TIMEOUT_MS,
                                     .max_reply_bytes = MAX_CHUNK_BYTES,
                                     .decode = decode_key_index,
                                     .decode_data = GSIZE_TO_POINTER ((gsize) step),
                                     .result_free = (GDestroyNotify) beam_ets_key_index_free,
                                   }, cancellable, callback, user_data);
}

BeamEtsKeyIndex *
beam_ets_window_key_index_finish (GAsyncResult  *result,
                                  GError       **error)
{
  return beam_connection_call_task_finish (result, beam_ets_window_key_index_async, error);
}
