/* SPDX-License-Identifier: GPL-3.0-or-later */
/* We speak EPMD ourselves instead of using ei's lookup: ei reports every
 * failure as EIO, and a user needs to know whether the host has no EPMD or
 * EPMD has no such node. Plain non-blocking sockets and poll(), so that one
 * deadline bounds the whole exchange, to the millisecond; IPv4, as ei. The
 * NAMES request is tiny: the two-byte length 1, the byte 'n'; the answer is
 * EPMD's own port (4 bytes) and then lines of "name NAME at port PORT\n"
 * until EPMD closes the connection. */

#define G_LOG_DOMAIN "beamscope-wire"

#include <glib/gi18n.h>
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "beam-epmd-private.h"
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

/* EPMD's lines, "name NAME at port PORT"; NULL if any line is something
 * else, as then this is no EPMD. A name is what a node registered, any
 * bytes: made valid UTF-8 here, so no caller prints it raw. */
static GPtrArray *
parse_names (const char *text)
{
  g_autoptr(GPtrArray) entries = NULL;
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  entries = g_ptr_array_new_with_free_func ((GDestroyNotify) beam_epmd_entry_free);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = lines[i];
      const char *at;
      guint64 port;
      BeamEpmdEntry *entry;

      if (*line == '\0' && lines[i + 1] == NULL)
        break;  /* after the last line's newline */
      if (!g_str_has_prefix (line, "name "))
        return NULL;
      line += strlen ("name ");
      at = g_strrstr (line, " at port ");
      if (at == NULL || at == line ||
          !g_ascii_string_to_unsigned (at + strlen (" at port "), 10, 1, 65535, &port, NULL))
        return NULL;

      entry = g_new0 (BeamEpmdEntry, 1);
      entry->name = g_utf8_make_valid (line, at - line);
      entry->port = (guint) port;
      g_ptr_array_add (entries, entry);
    }

  g_ptr_array_sort (entries, compare_entries);
  return g_steal_pointer (&entries);
}

gboolean
beam_epmd_resolve_host (const char      *host,
                        struct in_addr  *out_address,
                        GError         **error)
{
  struct addrinfo hints = { .ai_family = AF_INET, .ai_socktype = SOCK_STREAM };
  struct addrinfo *result = NULL;
  struct sockaddr_in in;
  int rc;

  g_return_val_if_fail (host != NULL, FALSE);

  /* ei speaks IPv4 only, so an IPv6-only host is as good as unknown. */
  rc = getaddrinfo (host, NULL, &hints, &result);
  if (rc != 0 || result == NULL)
    {
      g_set_error (error, BEAM_WIRE_ERROR, BEAM_WIRE_ERROR_HOST_UNKNOWN,
                   _("Unknown host %s: no IPv4 address (%s)"), host, gai_strerror (rc));
      return FALSE;
    }
  /* Copied out, not cast: clang's -Wcast-align sees a sockaddr aligned for 2 bytes. */
  memcpy (&in, result->ai_addr, sizeof in);
  *out_address = in.sin_addr;
  freeaddrinfo (result);
  return TRUE;
}

static int
remaining_ms (gint64 deadline)
{
  gint64 left = deadline - g_get_monotonic_time ();

  return left <= 0 ? 0 : (int) MIN ((left + 999) / 1000, G_MAXINT);
}

/* Waits for `events` on fd until the deadline or a cancellation. */
static gboolean
wait_for (int            fd,
          short          events,
          gint64         deadline,
          GCancellable  *cancellable)
{
  for (;;)
    {
      GPollFD cancel_fd = { -1, 0, 0 };
      struct pollfd fds[2] = { { .fd = fd, .events = events }, { .fd = -1 } };
      int left = remaining_ms (deadline);
      int rc;

      if (left == 0 || g_cancellable_is_cancelled (cancellable))
        return FALSE;
      if (cancellable != NULL && g_cancellable_make_pollfd (cancellable, &cancel_fd))
        {
          fds[1].fd = cancel_fd.fd;
          fds[1].events = POLLIN;
        }
      rc = poll (fds, 2, left);
      if (cancel_fd.fd >= 0)
        g_cancellable_release_fd (cancellable);
      if (rc < 0 && errno == EINTR)
        continue;
      return rc > 0 && (fds[0].revents & (events | POLLERR | POLLHUP)) != 0;
    }
}

GPtrArray *
beam_epmd_names_at (const char            *host,
                    const struct in_addr  *address,
                    gint64                 deadline,
                    GCancellable          *cancellable,
                    GError               **error)
{
  static const guint8 request[] = { 0, 1, EPMD_NAMES_REQ };
  g_autoptr(GByteArray) reply = g_byte_array_new ();
  guint port = epmd_port ();
  struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons (port), .sin_addr = *address };
  const char *failure = NULL;
  GPtrArray *names;
  int fd;
  int err = 0;
  socklen_t err_len = sizeof err;
  guint8 chunk[4096];

  fd = socket (AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0)
    {
      g_set_error (error, BEAM_WIRE_ERROR, BEAM_WIRE_ERROR_EPMD_UNREACHABLE,
                   _("EPMD unreachable on %s: %s"), host, g_strerror (errno));
      return NULL;
    }

  if (connect (fd, (struct sockaddr *) &sa, sizeof sa) != 0 && errno != EINPROGRESS)
    err = errno;
  else if (!wait_for (fd, POLLOUT, deadline, cancellable))
    err = ETIMEDOUT;
  else if (getsockopt (fd, SOL_SOCKET, SO_ERROR, &err, &err_len) != 0)
    err = errno;
  if (err != 0)
    {
      close (fd);
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;
      g_set_error (error, BEAM_WIRE_ERROR, BEAM_WIRE_ERROR_EPMD_UNREACHABLE,
                   _("EPMD unreachable on %s port %u: %s"), host, port, g_strerror (err));
      return NULL;
    }

  /* The request fits any socket buffer; then read until EPMD closes. */
  if (send (fd, request, sizeof request, MSG_NOSIGNAL) != sizeof request)
    failure = g_strerror (errno);
  while (failure == NULL)
    {
      gssize n = recv (fd, chunk, sizeof chunk, 0);

      if (n > 0)
        {
          if (reply->len + n > MAX_NAMES_REPLY)
            failure = _("the answer is too long");
          else
            g_byte_array_append (reply, chunk, n);
        }
      else if (n == 0)
        break;
      else if (errno == EINTR)
        continue;
      else if (errno != EAGAIN)  /* EWOULDBLOCK is EAGAIN on Linux */
        failure = g_strerror (errno);
      else if (!wait_for (fd, POLLIN, deadline, cancellable))
        failure = g_cancellable_is_cancelled (cancellable)
                  ? _("cancelled")
                  : g_strerror (ETIMEDOUT);
    }
  close (fd);

  if (failure == NULL && reply->len < 4)
    failure = _("it closed the connection without an answer");
  if (failure != NULL)
    {
      g_set_error (error, BEAM_WIRE_ERROR, BEAM_WIRE_ERROR_EPMD_UNREACHABLE,
                   _("EPMD on %s port %u did not answer: %s"), host, port, failure);
      return NULL;
    }

  g_byte_array_append (reply, (const guint8 *) "", 1);
  names = memchr (reply->data + 4, '\0', reply->len - 5) == NULL
          ? parse_names ((const char *) reply->data + 4)
          : NULL;
  if (names == NULL)
    g_set_error (error, BEAM_WIRE_ERROR, BEAM_WIRE_ERROR_BAD_REPLY,
                 _("Unexpected reply from EPMD on %s port %u: not a list of node names"), host,
                 port);
  return names;
}

GPtrArray *
beam_epmd_names (const char    *host,
                 guint          timeout_ms,
                 GCancellable  *cancellable,
                 GError       **error)
{
  struct in_addr address;

  g_return_val_if_fail (host != NULL, NULL);

  if (!beam_epmd_resolve_host (host, &address, error))
    return NULL;
  return beam_epmd_names_at (host, &address, g_get_monotonic_time () + (gint64) timeout_ms * 1000,
                             cancellable, error);
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
beam_epmd_port_please (const char            *host,
                       const struct in_addr  *address,
                       const char            *alive,
                       gint64                 deadline,
                       GError               **error)
{
  g_autoptr(GPtrArray) entries = beam_epmd_names_at (host, address, deadline, NULL, error);

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

GPtrArray *
_beam_epmd_parse_names_reply (const guint8 *reply,
                              gsize         len)
{
  g_autofree char *text = NULL;

  /* As beam_epmd_names_at() reads what it received: EPMD's port first, then text. */
  if (len < 4)
    return NULL;
  text = g_strndup ((const char *) reply + 4, len - 4);
  return parse_names (text);
}
