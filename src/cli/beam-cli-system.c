/* SPDX-License-Identifier: GPL-3.0-or-later */
/* beamscope-cli's commands about the node as a whole: `nodes`, what EPMD
 * knows of a host, and `info`, what the node says of itself (the System
 * page's question, as a table or as JSON). `cluster` is beam-cli-cluster.c. */

#define G_LOG_DOMAIN "beamscope-cli"

#include "config.h"

#include <inttypes.h>

#include <glib/gi18n.h>
#include <string.h>

#include "beam-cli-private.h"
#include "beam-epmd.h"
#include "beam-system-info.h"

static gboolean nodes_names_only;

GOptionEntry _beam_cli_nodes_options[] = {
  { "names", 0, 0, G_OPTION_ARG_NONE, &nodes_names_only,
    N_("Print only the nodes' full names, one a line: name@HOST, else name@ followed "
       "by this machine's short host name (for scripts and shell completion)"), NULL },
  G_OPTION_ENTRY_NULL
};

/* The host part of the full names of the nodes EPMD lists: the host as
 * given, else this machine's short host name, since a node started with
 * -sname here is name@<short hostname>, not name@localhost. */
static char *
node_host (const char *given)
{
  char *local;
  char *dot;

  if (given != NULL)
    return g_strdup (given);
  local = g_strdup (g_get_host_name ());
  dot = strchr (local, '.');
  if (dot != NULL)
    *dot = '\0';
  return local;
}

/* Whether a name EPMD gave can be typed as a node's name: no spaces, no
 * control characters, no @ (a shell's word, a completion's candidate). */
static gboolean
is_plain_name (const char *name)
{
  for (const char *p = name; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == '@' || g_unichar_isspace (c) || g_unichar_iscntrl (c))
        return FALSE;
    }
  return *name != '\0';
}

/* --names: name@host a line, and nothing else, even when there are none. */
static void
print_full_names (GPtrArray  *entries,
                  const char *given_host)
{
  g_autofree char *name_host = node_host (given_host);

  for (guint i = 0; i < entries->len; i++)
    {
      BeamEpmdEntry *entry = g_ptr_array_index (entries, i);

      if (is_plain_name (entry->name))
        g_print ("%s@%s\n", entry->name, name_host);
    }
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

  if (nodes_names_only && !cli->json)
    {
      print_full_names (entries, cli->args[0]);
      return 0;
    }
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
  /* Translators: column headings, in capitals, each padded to a fixed width: keep each within it,
   * or the columns below shift. Widths: NAME 32. */
  g_print ("%-32s %s\n", _("NAME"), _("PORT"));
  for (guint i = 0; i < entries->len; i++)
    {
      BeamEpmdEntry *entry = g_ptr_array_index (entries, i);
      g_autofree char *name = _beam_cli_escape_controls (entry->name);

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

/* The node's OS process, or why it is not shown. */
static void
print_os_process (const BeamOsProcess *process)
{
  g_autofree char *pid = NULL;
  g_autofree char *rss = NULL;
  g_autofree char *virtual_size = NULL;
  g_autofree char *cpu = NULL;
  g_autofree char *fds = NULL;
  double percent;

  if (!process->available)
    {
      _beam_cli_print_row (_("OS process"), process->absent_reason);
      return;
    }
  pid = g_strdup_printf ("%" G_GINT64_FORMAT, process->os_pid);
  rss = beam_format_bytes (process->rss);
  virtual_size = beam_format_bytes (process->virtual_size);
  percent = beam_os_process_cpu_percent (process, NULL);
  /* One reading: the average since the node started (the page shows it
   * between refreshes). */
  cpu = percent < 0 ? g_strdup ("-") : g_strdup_printf (_("%.1f %% (average since start)"),
                                                        percent);
  fds = beam_format_count_of (process->open_fds, process->fd_limit);
  _beam_cli_print_row (_("OS pid"), pid);
  _beam_cli_print_row (_("OS resident memory (RSS)"), rss);
  _beam_cli_print_row (_("OS virtual memory"), virtual_size);
  _beam_cli_print_row (_("OS CPU"), cpu);
  _beam_cli_print_row (_("Open file descriptors"), fds);
}

/* "3 (normal 2 [1 0 1 0], dirty CPU 1, dirty IO 0)": the total first, the
 * parts after it adding up to it. */
static char *
format_run_queues (const BeamSystemInfo *info)
{
  g_autoptr(GString) text = NULL;
  GArray *lengths = info->run_queue_lengths;

  if (info->run_queue < 0 || lengths->len < 3)
    return g_strdup ("-");
  text = g_string_new (NULL);
  g_string_append_printf (text, _("%" PRId64 " (normal %" PRId64 " ["),
                          info->run_queue, info->run_queue_normal);
  for (guint i = 0; i + 2 < lengths->len; i++)
    g_string_append_printf (text, "%s%" PRId64, i ? " " : "",
                            g_array_index (lengths, gint64, i));
  g_string_append_printf (text, _("], dirty CPU %" PRId64 ", dirty IO %"
                                  PRId64 ")"),
                          info->run_queue_dirty_cpu, info->run_queue_dirty_io);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
print_table (const BeamSystemInfo *info)
{
  g_autofree char *queues = format_run_queues (info);
  g_autofree char *io_input = beam_format_bytes (info->io_input);
  g_autofree char *io_output = beam_format_bytes (info->io_output);
  g_autofree char *uptime = NULL;
  gint64 seconds = info->uptime_ms / 1000;

  if (info->uptime_ms < 0)
    uptime = g_strdup ("-");
  else
    uptime = g_strdup_printf ("%" G_GINT64_FORMAT "d %02d:%02d:%02d", seconds / 86400,
                              (int) (seconds / 3600 % 24), (int) (seconds / 60 % 60),
                              (int) (seconds % 60));

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
  /* Labelled parts: a bare list of lengths read as one figure per scheduler. */
  _beam_cli_print_row (_("Run queues (ready to run)"), queues);
  print_count (_("Processes"), info->process_count, info->process_limit);
  print_count (_("Atoms"), info->atom_count, info->atom_limit);
  print_count (_("Ports"), info->port_count, info->port_limit);
  print_count (_("ETS tables"), info->ets_count, info->ets_limit);
  _beam_cli_print_row (_("IO input"), io_input);
  _beam_cli_print_row (_("IO output"), io_output);

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
  print_os_process (&info->os_process);
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
