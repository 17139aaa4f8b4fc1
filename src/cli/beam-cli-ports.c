/* SPDX-License-Identifier: GPL-3.0-or-later */
/* beamscope-cli's `ports`: every port of the node as the Ports page lists it
 * (beam-port-list), then the ports counted by name as recon:port_types/0
 * counts them, then the `socket` module's sockets. --json prints the ports
 * alone, as beam_port_list_to_json writes them, for scripts that only want
 * them. */

#define G_LOG_DOMAIN "beamscope-cli"

#include "config.h"

#include <glib/gi18n.h>

#include "beam-cli-private.h"
#include "beam-port-list.h"

/* A count, or "-" where the node gave none. */
static char *
format_count (gint64 value)
{
  return value >= 0 ? beam_format_count (value) : g_strdup ("-");
}

static char *
format_bytes (gint64 value)
{
  return value >= 0 ? beam_format_bytes (value) : g_strdup ("-");
}

static void
print_ports (const BeamPortList *list)
{
  /* Translators: column headings, in capitals, each padded to a fixed width: keep each within it,
   * or the columns below shift. Widths: ID 14, NAME 20, CONNECTED 24, OS PID 8, QUEUE 8, MEMORY,
   * INPUT and OUTPUT 10, PROTO (protocol) 5, LOCAL and REMOTE 22. */
  g_print ("%-14s %-20s %-24s %8s %8s %10s %10s %10s %-5s %-22s %-22s %s\n",
           _("ID"), _("NAME"), _("CONNECTED"), _("OS PID"), _("QUEUE"), _("MEMORY"),
           _("INPUT"), _("OUTPUT"),
           /* Translators: protocol (tcp, udp, sctp), a column 5 wide. */ _("PROTO"),
           _("LOCAL"), _("REMOTE"), _("STATE"));
  for (guint i = 0; i < list->n_ports; i++)
    {
      const BeamPort *port = &list->ports[i];
      g_autoptr(GString) line = g_string_new (NULL);
      g_autofree char *os_pid = port->os_pid >= 0
                                ? g_strdup_printf ("%" G_GINT64_FORMAT, port->os_pid) : NULL;
      g_autofree char *queue = format_bytes (port->queue_size);
      g_autofree char *memory = format_bytes (port->memory);
      g_autofree char *input = format_bytes (port->input);
      g_autofree char *output = format_bytes (port->output);

      _beam_cli_append_cell (line, port->id, -14);
      _beam_cli_append_cell (line, port->name, -20);
      _beam_cli_append_cell (line, port->connected_name != NULL ? port->connected_name
                                   : port->connected, -24);
      _beam_cli_append_cell (line, os_pid, 8);
      _beam_cli_append_cell (line, queue, 8);
      _beam_cli_append_cell (line, memory, 10);
      _beam_cli_append_cell (line, input, 10);
      _beam_cli_append_cell (line, output, 10);
      _beam_cli_append_cell (line, port->protocol, -5);
      _beam_cli_append_cell (line, port->local, -22);
      _beam_cli_append_cell (line, port->remote, -22);
      g_print ("%s%s\n", line->str, port->state != NULL ? port->state : "-");
    }
}

static void
print_types (const BeamPortList *list)
{
  g_autofree char *count = format_count (list->port_count);
  g_autofree char *limit = format_count (list->port_limit);

  g_print ("\n");
  /* TRANSLATORS: the heading of the ports counted by name: "12 of 65,536 ports" */
  g_print (g_dngettext (NULL, "Ports by name (%s of %s port)", "Ports by name (%s of %s ports)",
                        list->port_limit), count, limit);
  g_print ("\n");
  for (guint i = 0; i < list->n_types; i++)
    {
      g_autofree char *n = beam_format_count (list->types[i].count);

      _beam_cli_print_row (list->types[i].name, n);
    }
}

static void
print_sockets (const BeamPortList *list)
{
  if (!list->has_sockets)
    {
      g_print ("\n%s\n", _("The node has no socket module (OTP 22 or later has it)"));
      return;
    }
  if (list->n_sockets == 0)
    return;
  g_print ("\n%s\n", _("Sockets of the socket module"));
  /* Translators: column headings, in capitals, each padded to a fixed width: keep each within it,
   * or the columns below shift. Widths: ID 44, OWNER 24, DOMAIN 6, TYPE 7, PROTO (protocol) 5,
   * LOCAL and REMOTE 22, READ and WRITTEN (bytes) 10. */
  g_print ("%-44s %-24s %-6s %-7s %-5s %-22s %-22s %10s %10s %s\n",
           _("ID"), _("OWNER"), _("DOMAIN"), _("TYPE"), _("PROTO"), _("LOCAL"), _("REMOTE"),
           _("READ"), _("WRITTEN"), _("STATE"));
  for (guint i = 0; i < list->n_sockets; i++)
    {
      const BeamSocket *socket = &list->sockets[i];
      g_autoptr(GString) line = g_string_new (NULL);
      g_autofree char *read = format_bytes (socket->read_byte);
      g_autofree char *written = format_bytes (socket->write_byte);

      _beam_cli_append_cell (line, socket->id, -44);
      _beam_cli_append_cell (line, socket->owner_name != NULL ? socket->owner_name
                                   : socket->owner, -24);
      _beam_cli_append_cell (line, socket->domain, -6);
      _beam_cli_append_cell (line, socket->type, -7);
      _beam_cli_append_cell (line, socket->protocol, -5);
      _beam_cli_append_cell (line, socket->local, -22);
      _beam_cli_append_cell (line, socket->remote, -22);
      _beam_cli_append_cell (line, read, 10);
      _beam_cli_append_cell (line, written, 10);
      g_print ("%s%s\n", line->str, socket->state != NULL ? socket->state : "-");
    }
}

int
_beam_cli_ports (BeamCli *cli)
{
  g_autoptr(BeamPortList) list = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  if ((status = _beam_cli_connect (cli)) != 0)
    return status;
  beam_port_list_async (cli->connection, NULL, _beam_cli_stash, cli);
  list = beam_port_list_finish (_beam_cli_wait_and_close (cli), &error);
  if (list == NULL)
    return _beam_cli_fail (error);

  if (cli->json)
    {
      _beam_cli_print_json (beam_port_list_to_json (list));
      return 0;
    }
  print_ports (list);
  print_types (list);
  print_sockets (list);
  return 0;
}
