/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Ports probe (beam-port-list) and the CLI's `ports`, against a port of
 * each kind made on a fixture node (fixtures/beamscope_ports.erl): a spawned
 * OS process, a TCP listener and both ends of a connection, UDP sockets and a
 * `socket` module socket, each owned by a registered process. What the probe
 * says is compared with what the node says through erl_call; closing a port
 * is seen from the next list; a reply of the wrong shape is refused. */

#include <string.h>

#include "beam-connection.h"
#include "beam-port-list.h"
#include "beam-test-node.h"

static BeamTestNode *node;

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

/* What erl_call printed of a string, without its quotes. */
static char *
erl_call_text (const char *function,
               const char *args)
{
  g_autofree char *printed = erl_call ("beamscope_ports", function, args);
  gsize length = strlen (printed);

  g_assert_cmpuint (length, >=, 2);
  g_assert_cmpint (printed[0], ==, '"');
  g_assert_cmpint (printed[length - 1], ==, '"');
  return g_strndup (printed + 1, length - 2);
}

static char *
port_of (const char *owner)
{
  g_autofree char *args = g_strdup_printf ("[%s]", owner);

  return erl_call_text ("port_of", args);
}

static char *
pid_of (const char *name)
{
  g_autofree char *args = g_strdup_printf ("[%s]", name);

  return erl_call_text ("pid_of", args);
}

static BeamPortList *
fetch_on (BeamConnection *connection,
          GError        **error)
{
  BeamTestWait wait = { 0 };
  BeamPortList *list;

  beam_port_list_async (connection, NULL, beam_test_stash, &wait);
  beam_test_wait_for (&wait.done, 30000 * BEAM_TEST_SLOWDOWN);
  list = beam_port_list_finish (wait.result, error);
  g_object_unref (wait.result);
  return list;
}

static BeamPortList *
fetch (void)
{
  g_autoptr(BeamConnection) connection = beam_test_node_connect (node);
  g_autoptr(GError) error = NULL;
  BeamPortList *list = fetch_on (connection, &error);

  g_assert_no_error (error);
  g_assert_nonnull (list);
  beam_connection_close (connection);
  return list;
}

static gboolean
close_port (const char  *id,
            GError     **error)
{
  g_autoptr(BeamConnection) connection = beam_test_node_connect (node);
  BeamTestWait wait = { 0 };
  gboolean closed;

  beam_port_close_async (connection, id, NULL, beam_test_stash, &wait);
  beam_test_wait_for (&wait.done, 10000 * BEAM_TEST_SLOWDOWN);
  closed = beam_port_close_finish (wait.result, error);
  g_object_unref (wait.result);
  beam_connection_close (connection);
  return closed;
}

static const BeamPort *
find_port (const BeamPortList *list,
           const char         *id)
{
  for (guint i = 0; i < list->n_ports; i++)
    if (g_strcmp0 (list->ports[i].id, id) == 0)
      return &list->ports[i];
  return NULL;
}

static gboolean
names_hold (const char * const *names,
            const char         *wanted)
{
  return names != NULL && g_strv_contains (names, wanted);
}

/* The port `owner` holds, with that process as its connected one. */
static const BeamPort *
owned_port (const BeamPortList *list,
            const char         *owner)
{
  g_autofree char *id = port_of (owner);
  g_autofree char *pid = pid_of (owner);
  const BeamPort *port = find_port (list, id);

  g_assert_nonnull (port);
  g_assert_cmpstr (port->connected, ==, pid);
  g_assert_cmpstr (port->connected_name, ==, owner);
  g_assert_true (names_hold (port->links, pid));
  return port;
}

static void
test_kinds (void)
{
  g_autoptr(BeamPortList) list = NULL;
  g_autofree char *os_pid = erl_call ("beamscope_ports", "os_pid", "[]");
  g_autofree char *watcher = pid_of ("bs_port_watcher");
  g_autofree char *listen_port = NULL;
  const BeamPort *cat, *listener, *server, *client, *udp;
  gint64 total = 0;

  g_free (erl_call ("beamscope_ports", "echo", "[5]"));
  list = fetch ();

  /* The OS process: its pid, its registered name, who monitors it, the
   * bytes written to cat and read back. */
  cat = owned_port (list, "bs_port_cat");
  g_assert_cmpstr (cat->name, ==, "cat");
  g_assert_cmpint (cat->os_pid, ==, g_ascii_strtoll (os_pid, NULL, 10));
  g_assert_cmpint (cat->os_pid, >, 0);
  g_assert_cmpstr (cat->registered_name, ==, "bs_cat_port");
  g_assert_true (names_hold (cat->monitors, watcher));
  g_assert_cmpint (cat->output, >=, 5);
  g_assert_cmpint (cat->input, >=, 5);
  g_assert_cmpint (cat->memory, >, 0);
  g_assert_cmpint (cat->queue_size, ==, 0);
  g_assert_null (cat->protocol);
  g_assert_null (cat->local);
  g_assert_null (cat->state);
  g_assert_cmpint (cat->recv_oct, ==, -1);

  /* The listener: its address, no peer, listening. */
  listener = owned_port (list, "bs_tcp_listener");
  g_assert_cmpstr (listener->name, ==, "tcp_inet");
  g_assert_cmpstr (listener->protocol, ==, "tcp");
  g_assert_true (g_str_has_prefix (listener->local, "127.0.0.1:"));
  g_assert_null (listener->remote);
  g_assert_nonnull (listener->state);
  g_assert_true (g_str_has_prefix (listener->state, "LISTEN"));
  g_assert_cmpint (listener->os_pid, ==, -1);
  listen_port = g_strdup (strchr (listener->local, ':') + 1);

  /* Both ends of the connection name each other; the client connected to
   * the listener's port. */
  server = owned_port (list, "bs_tcp_server");
  client = owned_port (list, "bs_tcp_client");
  g_assert_nonnull (server->remote);
  g_assert_nonnull (client->remote);
  g_assert_cmpstr (server->remote, ==, client->local);
  g_assert_cmpstr (client->remote, ==, server->local);
  g_assert_cmpstr (server->local, ==, listener->local);
  g_assert_true (g_str_has_suffix (client->remote, listen_port));
  g_assert_cmpstr (client->state, ==, "CONNECTED, OPEN");
  g_assert_cmpstr (server->state, ==, "CONNECTED, OPEN");
  /* The options people debug, as the fixture set them. */
  g_assert_cmpint (client->nodelay, ==, 1);
  g_assert_cmpint (server->nodelay, ==, 0);
  g_assert_cmpstr (client->active, ==, "false");
  g_assert_cmpint (client->buffer, >, 0);
  g_assert_cmpint (client->recbuf, >, 0);
  g_assert_cmpint (client->sndbuf, >, 0);
  g_assert_cmpint (client->send_timeout, ==, -1);  /* infinity */
  g_assert_cmpint (client->send_pend, ==, 0);

  udp = owned_port (list, "bs_udp");
  g_assert_cmpstr (udp->name, ==, "udp_inet");
  g_assert_cmpstr (udp->protocol, ==, "udp");
  g_assert_true (g_str_has_prefix (udp->local, "127.0.0.1:"));
  g_assert_null (udp->remote);
  g_assert_cmpint (udp->nodelay, ==, -1);     /* not a UDP option */
  g_assert_cmpstr (udp->active, ==, "true");

  /* Counted by name, most first, every port once. */
  g_assert_cmpuint (list->n_types, >=, 3);
  for (guint i = 0; i < list->n_types; i++)
    {
      total += list->types[i].count;
      if (i > 0)
        g_assert_cmpint (list->types[i - 1].count, >=, list->types[i].count);
      if (g_strcmp0 (list->types[i].name, "tcp_inet") == 0)
        g_assert_cmpint (list->types[i].count, >=, 3);
      if (g_strcmp0 (list->types[i].name, "udp_inet") == 0)
        g_assert_cmpint (list->types[i].count, >=, 2);
    }
  g_assert_cmpint (total, ==, list->n_ports);
  g_assert_cmpint (list->port_count, >=, list->n_ports);
  g_assert_cmpint (list->port_limit, >=, 1024);
}

static void
test_counters (void)
{
  const gint64 sent = 100000;
  g_autofree char *args = g_strdup_printf ("[%" G_GINT64_FORMAT "]", sent);
  g_autoptr(BeamPortList) before = fetch ();
  g_autoptr(BeamPortList) after = NULL;
  const BeamPort *client_before = owned_port (before, "bs_tcp_client");
  const BeamPort *server_before = owned_port (before, "bs_tcp_server");
  const BeamPort *client, *server;

  g_free (erl_call ("beamscope_ports", "send_bytes", args));
  after = fetch ();
  client = owned_port (after, "bs_tcp_client");
  server = owned_port (after, "bs_tcp_server");
  g_assert_cmpint (client->send_oct, >=, client_before->send_oct + sent);
  g_assert_cmpint (client->send_cnt, >, client_before->send_cnt);
  g_assert_cmpint (server->recv_oct, >=, server_before->recv_oct + sent);
  g_assert_cmpint (server->recv_cnt, >, server_before->recv_cnt);
}

static void
test_sockets (void)
{
  g_autoptr(BeamPortList) list = fetch ();
  g_autofree char *id = erl_call_text ("socket_text", "[]");
  g_autofree char *owner = pid_of ("bs_socket");
  const BeamSocket *socket = NULL;

  g_assert_true (list->has_sockets);
  for (guint i = 0; i < list->n_sockets; i++)
    if (g_strcmp0 (list->sockets[i].id, id) == 0)
      socket = &list->sockets[i];
  g_assert_nonnull (socket);
  g_assert_cmpstr (socket->owner, ==, owner);
  g_assert_cmpstr (socket->owner_name, ==, "bs_socket");
  g_assert_cmpstr (socket->domain, ==, "inet");
  g_assert_cmpstr (socket->type, ==, "stream");
  g_assert_cmpstr (socket->protocol, ==, "tcp");
  g_assert_nonnull (socket->state);
  g_assert_nonnull (strstr (socket->state, "listening"));
  g_assert_true (g_str_has_prefix (socket->local, "127.0.0.1:"));
  g_assert_null (socket->remote);
  g_assert_cmpint (socket->read_byte, ==, 0);
  g_assert_cmpint (socket->write_byte, ==, 0);
}

static void
test_close (void)
{
  g_autofree char *id = port_of ("bs_udp_victim");
  g_autoptr(BeamPortList) before = fetch ();
  g_autoptr(BeamPortList) after = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (find_port (before, id));
  g_assert_true (close_port (id, &error));
  g_assert_no_error (error);
  after = fetch ();
  g_assert_null (find_port (after, id));
  g_assert_nonnull (owned_port (after, "bs_udp"));

  /* Gone, and text that is no port at all: not found, and nothing else
   * closed. */
  g_assert_false (close_port (id, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (close_port ("#Port<0.99999999999999999999>'; halt().", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_clear_pointer (&after, beam_port_list_free);
  after = fetch ();
  g_assert_nonnull (owned_port (after, "bs_udp"));
  g_assert_nonnull (owned_port (after, "bs_port_cat"));
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *started = NULL;
  int status;

  g_assert_true (beam_connection_init_process (NULL));
  g_test_init (&argc, &argv, NULL);
  node = beam_test_node_start (NULL, &error);
  g_assert_no_error (error);
  started = erl_call ("beamscope_ports", "start", "[]");
  g_assert_cmpstr (started, ==, "ok");

  g_test_add_func ("/ports/kinds", test_kinds);
  g_test_add_func ("/ports/counters", test_counters);
  g_test_add_func ("/ports/sockets", test_sockets);
  g_test_add_func ("/ports/close", test_close);

  status = g_test_run ();
  beam_test_node_free (node);
  return status;
}
