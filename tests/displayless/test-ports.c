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
  g_autofree char *ipv6 = erl_call ("beamscope_ports", "ipv6", "[]");
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
  /* A port registered under no name has none, not "undefined". */
  g_assert_null (listener->registered_name);
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

  /* An IPv6 address in brackets, where the host has IPv6. */
  if (g_str_equal (ipv6, "true"))
    {
      const BeamPort *udp6 = owned_port (list, "bs_udp6");

      g_assert_true (g_str_has_prefix (udp6->local, "[::1]:"));
      g_assert_cmpint (g_ascii_strtoll (udp6->local + strlen ("[::1]:"), NULL, 10), >, 0);
    }
  else
    g_test_message ("no IPv6 on this host: the [::1] address is not checked");

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

static JsonObject *
json_port (JsonArray  *ports,
           const char *id)
{
  for (guint i = 0; i < json_array_get_length (ports); i++)
    {
      JsonObject *port = json_array_get_object_element (ports, i);

      if (g_strcmp0 (json_object_get_string_member (port, "id"), id) == 0)
        return port;
    }
  return NULL;
}

static void
test_cli (void)
{
  static const char * const keys[] = { "id", "name", "connected", "os_pid", "queue_size",
                                       "memory", "input", "output" };
  static const char * const inet_keys[] = { "protocol", "local", "remote", "state" };
  g_autoptr(JsonNode) root = beam_test_node_cli_json (node, "ports", NULL);
  g_autofree char *cat_id = port_of ("bs_port_cat");
  g_autofree char *cat_owner = pid_of ("bs_port_cat");
  g_autofree char *listener_id = port_of ("bs_tcp_listener");
  g_autofree char *client_id = port_of ("bs_tcp_client");
  g_autofree char *server_id = port_of ("bs_tcp_server");
  g_autofree char *udp_id = port_of ("bs_udp");
  g_autofree char *os_pid = erl_call ("beamscope_ports", "os_pid", "[]");
  g_autofree char *text = NULL, *err = NULL;
  JsonArray *ports;
  JsonObject *cat, *listener, *client, *server, *udp;
  int status = -1;

  g_assert_true (JSON_NODE_HOLDS_ARRAY (root));
  ports = json_node_get_array (root);
  for (guint i = 0; i < json_array_get_length (ports); i++)
    {
      JsonObject *port = json_array_get_object_element (ports, i);
      gboolean inet = json_object_has_member (port, "protocol");

      for (guint k = 0; k < G_N_ELEMENTS (keys); k++)
        g_assert_true (json_object_has_member (port, keys[k]));
      for (guint k = 0; k < G_N_ELEMENTS (inet_keys); k++)
        g_assert_true (json_object_has_member (port, inet_keys[k]) == inet);
      g_assert_cmpuint (json_object_get_size (port), ==,
                        G_N_ELEMENTS (keys) + (inet ? G_N_ELEMENTS (inet_keys) : 0));
    }

  cat = json_port (ports, cat_id);
  g_assert_nonnull (cat);
  g_assert_cmpstr (json_object_get_string_member (cat, "name"), ==, "cat");
  g_assert_cmpstr (json_object_get_string_member (cat, "connected"), ==, cat_owner);
  g_assert_cmpint (json_object_get_int_member (cat, "os_pid"), ==,
                   g_ascii_strtoll (os_pid, NULL, 10));
  g_assert_false (json_object_has_member (cat, "protocol"));

  listener = json_port (ports, listener_id);
  g_assert_nonnull (listener);
  g_assert_cmpstr (json_object_get_string_member (listener, "protocol"), ==, "tcp");
  g_assert_true (json_object_get_null_member (listener, "remote"));
  g_assert_true (json_object_get_null_member (listener, "os_pid"));
  g_assert_true (g_str_has_prefix (json_object_get_string_member (listener, "state"), "LISTEN"));

  client = json_port (ports, client_id);
  server = json_port (ports, server_id);
  g_assert_nonnull (client);
  g_assert_nonnull (server);
  g_assert_cmpstr (json_object_get_string_member (client, "remote"), ==,
                   json_object_get_string_member (server, "local"));
  g_assert_cmpstr (json_object_get_string_member (server, "remote"), ==,
                   json_object_get_string_member (client, "local"));
  g_assert_cmpstr (json_object_get_string_member (client, "state"), ==, "CONNECTED, OPEN");

  udp = json_port (ports, udp_id);
  g_assert_nonnull (udp);
  g_assert_cmpstr (json_object_get_string_member (udp, "protocol"), ==, "udp");

  /* The text: a row per port naming its owner, the counts by name, the
   * sockets. */
  text = beam_test_node_cli (node, &status, &err, "ports", NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_cmpstr (err, ==, "");
  g_assert_nonnull (strstr (text, cat_id));
  g_assert_nonnull (strstr (text, "bs_tcp_listener"));
  g_assert_nonnull (strstr (text, "LISTEN, OPEN"));
  g_assert_nonnull (strstr (text, "Ports by name"));
  g_assert_nonnull (strstr (text, "bs_socket"));
  g_assert_nonnull (strstr (text, "bound, listening"));
}

/* A reply of no shape anyone asked for is refused with the probe's error;
 * one with every integer near 2^63 is read or refused, never trusted into a
 * crash (the rex of fixtures/beamscope_hostile.erl). Run last: it replaces
 * the node's rex until it puts it back. */
static void
test_hostile (void)
{
  g_autoptr(BeamConnection) connection = NULL;
  g_autoptr(BeamPortList) list = NULL;
  g_autoptr(GError) error = NULL;

  g_free (erl_call ("beamscope_hostile", "start", "[]"));
  connection = beam_test_node_connect (node);

  beam_test_node_set_hostile_mode (node, "wrong_shape");
  list = fetch_on (connection, &error);
  g_assert_null (list);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "Unexpected reply"));
  g_clear_error (&error);

  beam_test_node_set_hostile_mode (node, "near_max");
  list = fetch_on (connection, &error);
  g_assert_true ((list == NULL) != (error == NULL));
  if (list != NULL)
    for (guint i = 0; i < list->n_ports; i++)
      g_assert_nonnull (list->ports[i].id);
  g_clear_pointer (&list, beam_port_list_free);
  g_clear_error (&error);

  /* Every binary made invalid UTF-8: whatever is read is still text. */
  beam_test_node_set_hostile_mode (node, "bad_utf8");
  list = fetch_on (connection, &error);
  g_assert_true ((list == NULL) != (error == NULL));
  for (guint i = 0; list != NULL && i < list->n_ports; i++)
    g_assert_true (g_utf8_validate (list->ports[i].name, -1, NULL));
  for (guint i = 0; list != NULL && i < list->n_sockets; i++)
    g_assert_true (g_utf8_validate (list->sockets[i].id, -1, NULL));
  g_clear_pointer (&list, beam_port_list_free);
  g_clear_error (&error);

  beam_test_node_set_hostile_mode (node, "honest");
  list = fetch_on (connection, &error);
  g_assert_no_error (error);
  g_assert_nonnull (list);
  beam_connection_close (connection);
  g_free (erl_call ("beamscope_hostile", "stop", "[]"));
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
  g_test_add_func ("/ports/cli", test_cli);
  g_test_add_func ("/ports/hostile", test_hostile);

  status = g_test_run ();
  beam_test_node_free (node);
  return status;
}
