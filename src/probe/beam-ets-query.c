/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Lookup, match, select, insert and delete on one table with terms a user
 * typed: programs/ets-query.exprs, its arguments (the user's term as
 * external-format bytes) and its answers. */

#define G_LOG_DOMAIN "beamscope-probe"

#include <stdlib.h>
#include <string.h>

#include <glib/gi18n.h>

#include "beam-erl-expr.h"
#include "beam-ets-query.h"
#include "beam-ets-window.h"

#define CALL_TIMEOUT_MS 15000
/* The window's 200 rows of at most 64 kB each, or more smaller ones. */
#define MAX_REPLY_BYTES (24 * 1024 * 1024)
/* Match variables '$1'..'$32' at most: the node makes the ones it lacks. */
#define MAX_MATCH_VARIABLE 32

/* The highest match variable ('$N') in `term`, or -1 past the limit. */
static gint64
highest_match_variable (const BeamTerm *term)
{
  g_autoptr(GPtrArray) atoms = beam_term_collect_atoms (term);
  gint64 highest = 0;

  for (guint i = 0; i < atoms->len; i++)
    {
      const char *name = atoms->pdata[i];
      char *end;
      guint64 number;

      if (name[0] != '$' || !g_ascii_isdigit (name[1]))
        continue;
      number = g_ascii_strtoull (name + 1, &end, 10);
      if (*end != '\0' || (name[1] == '0' && name[2] != '\0'))
        continue;
      if (number > MAX_MATCH_VARIABLE)
        return -1;
      highest = MAX (highest, (gint64) number);
    }
  return highest;
}

static BeamTerm *
external_binary (const BeamTerm  *term,
                 GError         **error)
{
  g_autoptr(GBytes) bytes = beam_term_to_external (term, error);
  gsize size;
  gconstpointer data;

  if (bytes == NULL)
    return NULL;
  data = g_bytes_get_data (bytes, &size);
  return beam_term_new_binary (data, size);
}

/* The call, or FALSE with `error` set when the term cannot travel. */
static gboolean
query_call (const BeamTerm  *table,
            BeamTerm        *request,
            const BeamTerm  *user_term,
            guint            limit,
            BeamCall        *call,
            GError         **error)
{
  g_autoptr(BeamTerm) owned_request = request;
  gint64 variables = user_term != NULL ? highest_match_variable (user_term) : 0;

  if (variables < 0)
    {
      g_set_error (error, BEAM_ETS_ERROR, BEAM_ETS_ERROR_BAD_TERM,
                   _("Match variables go up to '$%d'"), MAX_MATCH_VARIABLE);
      return FALSE;
    }
  call->module = "erl_eval";
  call->function = "exprs";
  call->timeout_ms = CALL_TIMEOUT_MS;
  call->max_reply_bytes = MAX_REPLY_BYTES;
  call->args = beam_erl_source_args ("ets-query",
                                     "Table", beam_term_copy (table),
                                     "Request", g_steal_pointer (&owned_request),
                                     "Limit", beam_term_new_integer (CLAMP (limit, 1,
                                                                     BEAM_ETS_WINDOW_MAX_ROWS)),
                                     "MaxRow", beam_term_new_integer (BEAM_ETS_WINDOW_MAX_ROW),
                                     "MatchVars", beam_term_new_integer (variables),
                                     NULL);
  return TRUE;
}

static gboolean
is_refusal (const BeamTerm  *value,
            GError         **error)
{
  if (beam_term_is_atom (value, "deleted"))
    g_set_error (error, BEAM_ETS_ERROR, BEAM_ETS_ERROR_DELETED, _("The table was deleted"));
  else if (beam_term_is_atom (value, "private"))
    g_set_error (error, BEAM_ETS_ERROR, BEAM_ETS_ERROR_PRIVATE,
                 _("The table is private: only its owner can read its rows"));
  else if (beam_term_tagged (value, "error", 2) != NULL)
    g_set_error (error, BEAM_ETS_ERROR, BEAM_ETS_ERROR_BAD_TERM,
                 _("The node refused it (badarg): not a pattern, match specification or row "
                   "this table takes"));
  else
    return FALSE;
  return TRUE;
}

/* ---- lookup, match, select ------------------------------------------------------ */

void
beam_ets_found_free (BeamEtsFound *found)
{
  if (found == NULL)
    return;
  g_clear_pointer (&found->rows, g_ptr_array_unref);
  g_free (found->row_bytes);
  g_clear_pointer (&found->continuation, beam_term_free);
  g_free (found);
}

static gpointer
decode_found (const BeamTerm  *reply,
              gpointer         user_data G_GNUC_UNUSED,
              GError         **error)
{
  const BeamTerm *value = beam_erl_eval_value (reply);
  g_autoptr(BeamEtsFound) found = g_new0 (BeamEtsFound, 1);
  const BeamTerm *rows, *big, *next;

  if (is_refusal (value, error))
    return NULL;
  found->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) beam_term_free);
  if (beam_term_is_atom (value, "unknown_atom"))
    {
      found->unknown_atom = TRUE;
      return g_steal_pointer (&found);
    }
  if (beam_term_tagged (value, "rows", 5) == NULL ||
      !beam_term_get_int64 (value->children[1], &found->table_size))
    {
      beam_erl_set_bad_reply (error, "ets:select/3");
      return NULL;
    }
  rows = value->children[2];
  big = value->children[3];
  next = value->children[4];
  g_clear_pointer (&found->rows, g_ptr_array_unref);
  if (!beam_ets_rows_read (rows, big, FALSE, &found->rows, &found->row_bytes))
    {
      beam_erl_set_bad_reply (error, "ets:select/3");
      return NULL;
    }
  if (next->kind == BEAM_TERM_BINARY)
    found->continuation = beam_term_copy (next);
  found->more = found->continuation != NULL || beam_term_is_atom (next, "more");
  return g_steal_pointer (&found);
}

void
beam_ets_query_async (BeamConnection      *connection,
                      const BeamTerm      *table,
                      BeamEtsQueryKind     kind,
                      const BeamTerm      *term,
                      const BeamTerm      *continuation,
                      guint                limit,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  static const char *const tags[] = { "lookup", "match", "select" };
  g_autoptr(GError) error = NULL;
  BeamTerm *user_binary;
  BeamTerm *request;
  BeamCall call = { 0 };

  g_return_if_fail (BEAM_IS_CONNECTION (connection));
  g_return_if_fail (table != NULL && term != NULL);
  g_return_if_fail (kind <= BEAM_ETS_QUERY_SELECT);
  g_return_if_fail (continuation == NULL || kind != BEAM_ETS_QUERY_LOOKUP);

  user_binary = external_binary (term, &error);
  if (user_binary == NULL)
    {
      g_task_report_error (NULL, callback, user_data, beam_ets_query_async,
                           g_steal_pointer (&error));
      return;
    }
  if (continuation != NULL)
    request = beam_term_new_tuple (4, beam_term_new_atom ("more"),
                                   beam_term_new_atom (tags[kind]), user_binary,
                                   beam_term_copy (continuation));
  else
    request = beam_term_new_tuple (2, beam_term_new_atom (tags[kind]), user_binary);
  if (!query_call (table, request, term, limit, &call, &error))
    {
      g_task_report_error (NULL, callback, user_data, beam_ets_query_async,
                           g_steal_pointer (&error));
      return;
    }
  call.decode = decode_found;
  call.result_free = (GDestroyNotify) beam_ets_found_free;
  beam_connection_call_task_async (connection, beam_ets_query_async, &call, cancellable,
                                   callback, user_data);
}

BeamEtsFound *
beam_ets_query_finish (GAsyncResult  *result,
                       GError       **error)
{
  return beam_connection_call_task_finish (result, beam_ets_query_async, error);
}

/* ---- changing rows -------------------------------------------------------------- */

static gpointer
decode_missing_atoms (const BeamTerm  *reply,
                      gpointer         user_data G_GNUC_UNUSED,
                      GError         **error)
{
  const BeamTerm *value = beam_erl_eval_value (reply);
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();
  const BeamTerm *list;

  if (is_refusal (value, error))
    return NULL;
  if (beam_term_tagged (value, "missing_atoms", 2) == NULL ||
      (list = value->children[1])->kind != BEAM_TERM_LIST || list->v.list.improper)
    {
      beam_erl_set_bad_reply (error, "binary_to_existing_atom/2");
      return NULL;
    }
  for (guint i = 0; i < list->n_children; i++)
    {
      g_autofree char *name = beam_term_dup_string (list->children[i]);

      if (name != NULL)
        g_strv_builder_add (names, name);
    }
  return g_strv_builder_end (names);
}

void
beam_ets_missing_atoms_async (BeamConnection      *connection,
                              const BeamTerm      *table,
                              const BeamTerm      *term,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GPtrArray) atoms = NULL;
  g_autoptr(GPtrArray) names = NULL;
  BeamCall call = { 0 };
  g_autoptr(GError) error = NULL;

  g_return_if_fail (BEAM_IS_CONNECTION (connection));
  g_return_if_fail (table != NULL && term != NULL);

  atoms = beam_term_collect_atoms (term);
  names = g_ptr_array_new_full (atoms->len, (GDestroyNotify) beam_term_free);
  for (guint i = 0; i < atoms->len; i++)
    g_ptr_array_add (names, beam_term_new_binary (atoms->pdata[i], strlen (atoms->pdata[i])));
  /* The names travel as binaries: asking makes none of them. */
  if (!query_call (table,
                   beam_term_new_tuple (2, beam_term_new_atom ("missing_atoms"),
                                        beam_term_new_list_take (g_steal_pointer (&names))),
                   NULL, 1, &call, &error))
    {
      g_task_report_error (NULL, callback, user_data, beam_ets_missing_atoms_async,
                           g_steal_pointer (&error));
      return;
    }
  call.decode = decode_missing_atoms;
  call.result_free = (GDestroyNotify) g_strfreev;
  beam_connection_call_task_async (connection, beam_ets_missing_atoms_async, &call, cancellable,
                                   callback, user_data);
}

GStrv
beam_ets_missing_atoms_finish (GAsyncResult  *result,
                               GError       **error)
{
  return beam_connection_call_task_finish (result, beam_ets_missing_atoms_async, error);
}

static gpointer
decode_changed (const BeamTerm  *reply,
                gpointer         user_data,
                GError         **error)
{
  BeamEtsChange change = GPOINTER_TO_INT (user_data);
  const BeamTerm *value = beam_erl_eval_value (reply);
  gint64 *size;

  if (beam_term_tagged (value, "error", 2) != NULL && change == BEAM_ETS_CHANGE_INSERT)
    {
      g_set_error (error, BEAM_ETS_ERROR, BEAM_ETS_ERROR_NOT_WRITABLE,
                   _("The node refused the row: the table is protected (only its owner may "
                     "change it), or the row is no tuple with a key at the table's key "
                     "position"));
      return NULL;
    }
  if (is_refusal (value, error))
    return NULL;
  size = g_new (gint64, 1);
  if (beam_term_tagged (value, "changed", 2) == NULL ||
      !beam_term_get_int64 (value->children[1], size))
    {
      g_free (size);
      beam_erl_set_bad_reply (error, "ets:insert/2");
      return NULL;
    }
  return size;
}

void
beam_ets_change_async (BeamConnection      *connection,
                       const BeamTerm      *table,
                       BeamEtsChange        change,
                       const BeamTerm      *term,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  static const char *const tags[] = { "insert", "delete_key", "delete_object" };
  g_autoptr(GError) error = NULL;
  BeamTerm *user_binary;
  BeamCall call = { 0 };

  g_return_if_fail (BEAM_IS_CONNECTION (connection));
  g_return_if_fail (table != NULL && term != NULL);
  g_return_if_fail (change <= BEAM_ETS_CHANGE_DELETE_OBJECT);

  user_binary = external_binary (term, &error);
  if (user_binary == NULL ||
      !query_call (table, beam_term_new_tuple (2, beam_term_new_atom (tags[change]), user_binary),
                   NULL, 1, &call, &error))
    {
      g_task_report_error (NULL, callback, user_data, beam_ets_change_async,
                           g_steal_pointer (&error));
      return;
    }
  call.decode = decode_changed;
  call.decode_data = GINT_TO_POINTER (change);
  call.result_free = g_free;
  beam_connection_call_task_async (connection, beam_ets_change_async, &call, cancellable,
                                   callback, user_data);
}

gint64
beam_ets_change_finish (GAsyncResult  *result,
                        GError       **error)
{
  g_autofree gint64 *size = beam_connection_call_task_finish (result, beam_ets_change_async,
                                                              error);

  return size != NULL ? *size : -1;
}
