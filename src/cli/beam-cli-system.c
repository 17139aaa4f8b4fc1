/* SPDX-License-Identifier: GPL-3.0-or-later */
/* beamscope-cli's commands about the node as a whole: `nodes`, what EPMD
 * knows of a host, and `info`, what the node says of itself (the System
 * page's question, as a table or as JSON). */

#define G_LOG_DOMAIN "beamscope-cli"

#include "config.h"

#include <glib/gi18n.h>

#include "beam-cli-private.h"
#include "beam-epmd.h"
#include "beam-system-info.h"

/* A name as a terminal may show it: whatever a node registered with EPMD
 * (valid UTF-8 by now), its control characters written as \xNN, so that it
 * cannot move the cursor, clear the screen or retitle the window. */
static char *
escape_controls (const char *text)
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

int
_beam_cli_nodes (BeamCli *cli)
{
  const char *host = cli->args[0] != NULL ? cli->args[0] : "localhost";
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = beam_epmd_names (host, _beam_cli_timeout (cli, 10000),
                                                          NULL, &error);

  if (entries == NULL)
    return _beam_cli_fail (error);

  if (cli->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_array (builder);
      for (guint i = 0; i < entries->len; i++)
        {
          BeamEpmdEntry *entry = g_ptr_array_index (entries, i);
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "name");
          json_builder_add_string_value (builder, entry->name);
          _beam_cli_add_int (builder, "port", entry->port);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      return _beam_cli_print_builder (builder);
    }

  if (entries->len == 0)
    {
      g_print (_("No nodes registered with EPMD on %s\n"), host);
      return 0;
    }
  g_print ("%-32s %s\n", _("NAME"), _("PORT"));
  for (guint i = 0; i < entries->len; i++)
    {
      BeamEpmdEntry *entry = g_ptr_array_index (entries, i);
      g_autofree char *name = escape_controls (entry->name);

      g_print ("%-32s %u\n", name, entry->port);
    }
  return 0;
}

static void
print_count (const char *label,
             gint64      count,
             gint64      limit)
{
  g_autofree char *value = beam_format_count_of (count, limit);

  _beam_cli_print_row (label, value);
}

static void
print_table (const BeamSystemInfo *info)
{
  g_autoptr(GString) queues = g_string_new (NULL);
  g_autofree char *uptime = NULL;
  gint64 seconds = info->uptime_ms / 1000;

  if (info->uptime_ms < 0)
    uptime = g_strdup ("-");
  else
    uptime = g_strdup_printf ("%" G_GINT64_FORMAT "d %02d:%02d:%02d", seconds / 86400,
                              (int) (seconds / 3600 % 24), (int) (seconds / 60 % 60),
                              (int) (seconds % 60));
  for (guint i = 0; i < info->run_queue_lengths->len; i++)
    g_string_append_printf (queues, "%s%" G_GINT64_FORMAT, i ? " " : "",
                            g_array_index (info->run_queue_lengths, gint64, i));

  _beam_cli_print_row (_("Node"), info->node);
  _beam_cli_print_row (_("OTP release"), info->otp_release);
  _beam_cli_print_row (_("ERTS version"), info->erts_version);
  _beam_cli_print_row (_("Architecture"), info->system_architecture);
  _beam_cli_print_row (_("Uptime"), uptime);
  _beam_cli_print_row (_("observer_backend"),
                       info->has_observer_backend ? _("available") : _("missing"));
  print_count (_("Logical processors"), info->logical_processors, 0);
  print_count (_("Schedulers online"), info->schedulers_online, info->schedulers);
  print_count (_("Dirty CPU schedulers"), info->dirty_cpu_schedulers, 0);
  print_count (_("Dirty IO schedulers"), info->dirty_io_schedulers, 0);
  print_count (_("Run queue"), info->run_queue, 0);
  _beam_cli_print_row (_("Run queue lengths"), queues->str);
  print_count (_("Processes"), info->process_count, info->process_limit);
  print_count (_("Atoms"), info->atom_count, info->atom_limit);
  print_count (_("Ports"), info->port_count, info->port_limit);
  print_count (_("ETS tables"), info->ets_count, info->ets_limit);
  print_count (_("IO input (bytes)"), info->io_input, 0);
  print_count (_("IO output (bytes)"), info->io_output, 0);

  struct { const char *label; gint64 value; } memory[] = {
    { _("Memory total"), info->memory.total },
    { _("Memory processes"), info->memory.processes },
    { _("Memory processes used"), info->memory.processes_used },
    { _("Memory system"), info->memory.system },
    { _("Memory atom"), info->memory.atom },
    { _("Memory atom used"), info->memory.atom_used },
    { _("Memory binary"), info->memory.binary },
    { _("Memory code"), info->memory.code },
    { _("Memory ETS"), info->memory.ets },
  };
  for (guint i = 0; i < G_N_ELEMENTS (memory); i++)
    {
      g_autofree char *value = beam_format_bytes (memory[i].value);
      _beam_cli_print_row (memory[i].label, value);
    }
}

int
_beam_cli_info (BeamCli *cli)
{
  g_autoptr(BeamSystemInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  if ((status = _beam_cli_connect (cli)) != 0)
    return status;

  beam_system_info_fetch_async (cli->connection, NULL, _beam_cli_stash, cli);
  info = beam_system_info_fetch_finish (_beam_cli_wait_and_close (cli), &error);
  if (info == NULL)
    return _beam_cli_fail (error);

  if (cli->json)
    {
      g_autoptr(JsonNode) root = beam_system_info_to_json (info);
      _beam_cli_print_json (root);
    }
  else
    print_table (info);
  return 0;
}
