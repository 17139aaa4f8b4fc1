/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What every beamscope-cli command does the same way: wait for its one
 * request, connect, and print (a JSON document, or aligned rows), with every
 * failure one line on stderr. */

#define G_LOG_DOMAIN "beamscope-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "beam-cli-private.h"
#include "beam-cookie.h"
#include "beam-epmd.h"

void
_beam_cli_stash (GObject      *object G_GNUC_UNUSED,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  BeamCli *cli = user_data;

  cli->result = g_object_ref (result);
  g_main_loop_quit (cli->loop);
}

/* The CLI runs one request at a time; the app does the same calls concurrently. */
GAsyncResult *
_beam_cli_wait (BeamCli *cli)
{
  g_clear_object (&cli->result);
  g_main_loop_run (cli->loop);
  return cli->result;
}

int
_beam_cli_fail (const GError *error)
{
  g_printerr ("beamscope-cli: %s\n", error->message);
  return BEAM_CLI_EXIT_NODE_ERROR;
}

int
_beam_cli_usage_error (const char *message)
{
  g_printerr ("beamscope-cli: %s\n", message);
  return BEAM_CLI_EXIT_USAGE;
}

int
_beam_cli_plugin_unknown (BeamCli    *cli,
                          const char *reason)
{
  if (cli->json)
    g_printerr ("beamscope-cli: %s\n", reason);
  else
    g_print ("BEAM UNKNOWN - %s\n", reason);
  return BEAM_CLI_EXIT_PLUGIN_UNKNOWN;
}

int
_beam_cli_check_count (int count)
{
  return count > 0 ? 0 : _beam_cli_usage_error (_("--count must be a positive number"));
}

guint
_beam_cli_timeout (BeamCli *cli,
                   guint    fallback)
{
  return cli->timeout_ms > 0 ? (guint) cli->timeout_ms : fallback;
}

void
_beam_cli_print_json (JsonNode *node)
{
  g_autofree char *text = json_to_string (node, TRUE);

  g_print ("%s\n", text);
}

int
_beam_cli_print_builder (JsonBuilder *builder)
{
  g_autoptr(JsonNode) root = json_builder_get_root (builder);

  _beam_cli_print_json (root);
  return 0;
}

void
_beam_cli_add_int (JsonBuilder *builder,
                   const char  *key,
                   gint64       value)
{
  json_builder_set_member_name (builder, key);
  json_builder_add_int_value (builder, value);
}

/* Appends a column of a text table: text padded to width characters
 * (negative: left-aligned), then a space. By characters, where printf pads
 * by bytes: a size holds a no-break space, a name any UTF-8. */
void
_beam_cli_append_cell (GString    *line,
                       const char *text,
                       int         width)
{
  glong length;
  glong pad;

  if (text == NULL)
    text = "-";
  length = g_utf8_validate (text, -1, NULL) ? g_utf8_strlen (text, -1) : (glong) strlen (text);
  pad = MAX ((glong) ABS (width) - length, 0);
  if (width > 0)
    for (glong i = 0; i < pad; i++)
      g_string_append_c (line, ' ');
  g_string_append (line, text);
  if (width < 0)
    for (glong i = 0; i < pad; i++)
      g_string_append_c (line, ' ');
  g_string_append_c (line, ' ');
}

char *
_beam_cli_escape_controls (const char *text)
{
  GString *escaped = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == '\\')
        g_string_append (escaped, "\\\\");
      else if (g_unichar_iscntrl (c))
        g_string_append_printf (escaped, c < 0x100 ? "\\x%02x" : "\\u%04x", c);
      else
        g_string_append_unichar (escaped, c);
    }
  return g_string_free (escaped, FALSE);
}

void
_beam_cli_print_row (const char *label,
                     const char *value)
{
  g_print ("%-28s %s\n", label, value != NULL ? value : "-");
}

GAsyncResult *
_beam_cli_wait_and_close (BeamCli *cli)
{
  GAsyncResult *result = _beam_cli_wait (cli);

  beam_connection_close (cli->connection);
  return result;
}

gboolean
_beam_cli_try_connect (BeamCli  *cli,
                       GError  **error)
{
  g_autofree char *cookie = NULL;
  g_autoptr(BeamConnection) connection = NULL;

  if (cli->node == NULL)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                           _("this command needs --node NAME"));
      return FALSE;
    }
  if (!beam_node_name_split (cli->node, NULL, NULL, error) ||
      !(cookie = beam_cookie_resolve (cli->cookie, cli->cookie_file, error)))
    return FALSE;

  connection = beam_connection_new (cli->node, cookie);
  /* Connecting has its own deadline: `--timeout 1` bounds each question,
   * and no handshake completes in a millisecond. */
  if (cli->timeout_ms > 0)
    beam_connection_set_request_timeout (connection, (guint) cli->timeout_ms);
  beam_connection_connect_async (connection, (guint) cli->connect_timeout_ms, NULL,
                                 _beam_cli_stash, cli);
  if (!beam_connection_connect_finish (connection, _beam_cli_wait (cli), error))
    return FALSE;
  cli->connection = g_steal_pointer (&connection);
  return TRUE;
}

int
_beam_cli_connect (BeamCli *cli)
{
  g_autoptr(GError) error = NULL;

  if (_beam_cli_try_connect (cli, &error))
    return 0;
  if (error->domain == G_OPTION_ERROR)
    return _beam_cli_usage_error (error->message);
  return _beam_cli_fail (error);
}
