/* SPDX-License-Identifier: GPL-3.0-or-later */
/* We speak EPMD ourselves instead of using ei's lookup: ei reports every
 * failure as EIO, and a user needs to know whether the host has no EPMD or
 * EPMD has no such node. The NAMES request is tiny: the two-byte length 1,
 * the byte 'n'; the answer is EPMD's own port (4 bytes) and then lines of
 * "name NAME at port PORT\n" until EPMD closes the connection. */

#define G_LOG_DOMAIN "beamscope-wire"

#include <glib/gi18n.h>
#include <stdlib.h>

#include "beam-epmd.h"
#include "beam-wire-error.h"

#define EPMD_NAMES_REQ 110 /* 'n' */
#define MAX_NAMES_REPLY (4 * 1024 * 1024)

void
beam_epmd_entry_free (BeamEpmdEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->name);
  g_free (entry);
}

static guint
epmd_port (void)
{
  const char *env = g_getenv ("ERL_EPMD_PORT");
  guint64 port;

  if (env != NULL && g_ascii_string_to_unsigned (env, 10, 1, 65535, &port, NULL))
    return (guint) port;
  return BEAM_EPMD_DEFAULT_PORT;
}

static int
compare_entries (gconstpointer a,
                 gconstpointer b)
{
  const BeamEpmdEntry *ea = *(BeamEpmdEntry * const *) a;
  const BeamEpmdEntry *eb = *(BeamEpmdEntry * const *) b;

  return g_strcmp0 (ea->name, eb->name);
}

static GPtrArray *
parse_names (const char *text)
{
  GPtrArray *entries = g_ptr_array_new_with_free_func ((GDestroyNotify) beam_epmd_entry_free);
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = lines[i];
      const char *at;
      guint64 port;

      if (!g_str_has_prefix (line, "name "))
        continue;
      line += strlen ("name ");
      at = g_strrstr (line, " at port ");
      if (at == NULL || at == line)
        continue;
      if (!g_ascii_string_to_unsigned (at + strlen (" at port "), 10, 1, 65535, &port, NULL))
        continue;

      BeamEpmdEntry *entry = g_new0 (BeamEpmdEntry, 1);
      entry->name = g_strndup (line, at - line);
      entry->port = (guint) port;
      g_ptr_array_add (entries, entry);
    }

  g_ptr_array_sort (entries, compare_entries);
  return entries;
}

GPtrArray *
beam_epmd_names (const char    *host,
                 guint          timeout_ms,
                 GCancellable  *cancellable,
                 GError       **error)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GByteArray) reply = g_byte_array_new ();
  static const guint8 request[] = { 0, 1, EPMD_NAMES_REQ };
  GInputStream *in;
  GOutputStream *out;
  guint port = epmd_port ();
  guint8 chunk[4096];

  g_return_val_if_fail (host != NULL, NULL);

  /* GSocketClient's timeout covers each socket operation; EPMD answers in
   * one burst, so that bounds the whole exchange closely enough. */
  g_socket_client_set_timeout (client, MAX (1, (timeout_ms + 999) / 1000));

  connection = g_socket_client_connect_to_host (client, host, port, cancellable, &local_error);
  if (connection == NULL)
    {
      if (g_error_matches (local_error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND) ||
          g_error_matches (local_error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_TEMPORARY_FAILURE))
        g_set_error (error, BEAM_WIRE_ERROR, BEAM_WIRE_ERROR_HOST_UNKNOWN,
                     _("Unknown host %s: %s"), host, local_error->message);
      else
        g_set_error (error, BEAM_WIRE_ERROR, BEAM_WIRE_ERROR_EPMD_UNREACHABLE,
                     _("EPMD unreachable on %s port %u: %s"), host, port, local_error->message);
      return NULL;
    }

  out = g_io_stream_get_output_stream (G_IO_STREAM (connection));
  in = g_io_stream_get_input_stream (G_IO_STREAM (connection));
  if (!g_output_stream_write_all (out, request, sizeof request, NULL, cancellable, &local_error))
    goto failed;

  for (;;)
    {
      gssize n = g_input_stream_read (in, chunk, sizeof chunk, cancellable, &local_error);
      if (n < 0)
        goto failed;
      if (n == 0)
        break;
      if (reply->len + n > MAX_NAMES_REPLY)
        break;
      g_byte_array_append (reply, chunk, n);
    }

  if (reply->len < 4)
    {
      g_set_error (error, BEAM_WIRE_ERROR, BEAM_WIRE_ERROR_EPMD_UNREACHABLE,
                   _("EPMD on %s port %u closed the connection without an answer"), host, port);
      return NULL;
    }

  g_byte_array_append (reply, (const guint8 *) "", 1);
  return parse_names ((const char *) reply->data + 4);

failed:
  g_set_error (error, BEAM_WIRE_ERROR, BEAM_WIRE_ERROR_EPMD_UNREACHABLE,
               _("EPMD on %s port %u did not answer: %s"), host, port, local_error->message);
  return NULL;
}

typedef struct
{
  char  *host;
  guint  timeout_ms;
} NamesRequest;

static void
names_request_free (NamesRequest *request)
{
  g_free (request->host);
  g_free (request);
}

static void
names_thread (GTask        *task,
              gpointer      source_object G_GNUC_UNUSED,
              gpointer      task_data,
              GCancellable *cancellable)
{
  NamesRequest *request = task_data;
  GError *error = NULL;
  GPtrArray *entries = beam_epmd_names (request->host, request->timeout_ms, cancellable, &error);

  if (entries == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, entries, (GDestroyNotify) g_ptr_array_unref);
}

void
beam_epmd_names_async (const char          *host,
                       guint                timeout_ms,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  NamesRequest *request = g_new0 (NamesRequest, 1);

  request->host = g_strdup (host);
  request->timeout_ms = timeout_ms;
  g_task_set_source_tag (task, beam_epmd_names_async);
  g_task_set_task_data (task, request, (GDestroyNotify) names_request_free);
  g_task_run_in_thread (task, names_thread);
}

GPtrArray *
beam_epmd_names_finish (GAsyncResult  *result,
                        GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

guint
beam_epmd_port_please (const char  *host,
                       const char  *alive,
                       guint        timeout_ms,
                       GError     **error)
{
  g_autoptr(GPtrArray) entries = beam_epmd_names (host, timeout_ms, NULL, error);

  if (entries == NULL)
    return 0;

  for (guint i = 0; i < entries->len; i++)
    {
      BeamEpmdEntry *entry = g_ptr_array_index (entries, i);
      if (g_strcmp0 (entry->name, alive) == 0)
        return entry->port;
    }

  g_set_error (error, BEAM_WIRE_ERROR, BEAM_WIRE_ERROR_NO_SUCH_NODE,
               _("No node %s@%s: EPMD on %s has no node named %s"), alive, host, host, alive);
  return 0;
}

gboolean
beam_node_name_split (const char  *node,
                      char       **out_alive,
                      char       **out_host,
                      GError     **error)
{
  const char *at = node != NULL ? strchr (node, '@') : NULL;

  if (at == NULL || at == node || at[1] == '\0' || strchr (at + 1, '@') != NULL ||
      at - node > 254 || strlen (at + 1) > 254)
    {
      g_set_error (error, BEAM_WIRE_ERROR, BEAM_WIRE_ERROR_BAD_NODE_NAME,
                   _("“%s” is not a node name: expected name@host, as in demo@localhost"),
                   node != NULL ? node : "");
      return FALSE;
    }

  if (out_alive != NULL)
    *out_alive = g_strndup (node, at - node);
  if (out_host != NULL)
    *out_host = g_strdup (at + 1);
  return TRUE;
}

gboolean
beam_node_name_is_long (const char *node)
{
  const char *at = node != NULL ? strchr (node, '@') : NULL;

  return at != NULL && strchr (at + 1, '.') != NULL;
}
