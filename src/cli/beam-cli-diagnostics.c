/* SPDX-License-Identifier: GPL-3.0-or-later */
/* beamscope-cli's diagnostics: `diagnose`, the seeds' performance checks run
 * as a monitoring plugin (Nagios, Icinga, Zabbix, Sensu: the plugin's line
 * with performance data first, its exit status the worst finding), and
 * `binleak`, recon:bin_leak, which garbage-collects every process and so
 * runs only when asked with --yes. */

#define G_LOG_DOMAIN "beamscope-cli"

#include "config.h"

#include <glib/gi18n.h>

#include "beam-cli-private.h"
#include "beam-diagnostics.h"

/* The longest window a check may sample: a plugin has to answer within its
 * scheduler's timeout (Nagios: 60 s by default). */
#define MAX_WINDOW_MS 300000
#define MAX_TOP       1000
/* How long past the window each check may take when --timeout is not given:
 * the probe's own deadline (beam-diagnostics.c). */
#define DEFAULT_MARGIN_MS 15000

static struct
{
  int    window_ms;
  int    top;
  char **thresholds;
} diagnose_opts = { 1000, 10, NULL };

GOptionEntry _beam_cli_diagnose_options[] = {
  { "window", 'w', 0, G_OPTION_ARG_INT, &diagnose_opts.window_ms,
    N_("Sample growth and scheduler usage over MS milliseconds (default 1000); each check's "
       "--timeout (default 15000) counts from the window's end"), N_("MS") },
  { "threshold", 0, 0, G_OPTION_ARG_STRING_ARRAY, &diagnose_opts.thresholds,
    N_("A check's warning and critical thresholds, as message_queue=1000,10000, atoms=70%,90%, "
       "process_memory=256MiB,1GiB (repeat for several checks)"),
    N_("CHECK=WARNING[,CRITICAL]") },
  { "top", 0, 0, G_OPTION_ARG_INT, &diagnose_opts.top,
    N_("Name at most N culprits per check (default 10)"), N_("N") },
  G_OPTION_ENTRY_NULL
};

static struct
{
  int      count;
  gboolean yes;
} binleak_opts = { 10, FALSE };

GOptionEntry _beam_cli_binleak_options[] = {
  { "count", 'n', 0, G_OPTION_ARG_INT, &binleak_opts.count,
    N_("How many processes (default 10)"), N_("N") },
  { "yes", 'y', 0, G_OPTION_ARG_NONE, &binleak_opts.yes,
    N_("Yes, garbage-collect every process on the node"), NULL },
  G_OPTION_ENTRY_NULL
};

static int
exit_status_of (BeamCheckStatus status)
{
  switch (status)
    {
    case BEAM_CHECK_OK:       return 0;
    case BEAM_CHECK_WARNING:  return 1;
    case BEAM_CHECK_CRITICAL: return 2;
    case BEAM_CHECK_UNKNOWN:
    default:                  return BEAM_CLI_EXIT_PLUGIN_UNKNOWN;
    }
}

/* The run's deadline as a whole, over the checks' own: a plugin that never
 * answers is worse than one that says it could not tell. */
static gboolean
cancel_run (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

/* "message_queue     CRITICAL  <0.123.0> my_server 43210 messages  (ran in 1.0 s,
 * 12,345 reductions)" */
static void
print_check_line (const BeamCheckResult *result)
{
  g_autoptr(GString) line = g_string_new (NULL);
  g_autofree char *status = g_ascii_strup (beam_check_status_to_string (result->status), -1);
  g_autofree char *summary = g_utf8_make_valid (result->summary != NULL ? result->summary : "",
                                                -1);

  /* One line per check whatever the node named. */
  g_strdelimit (summary, "\n\r\t", ' ');
  _beam_cli_append_cell (line, beam_check_to_string (result->check), -16);
  g_string_append_c (line, ' ');
  _beam_cli_append_cell (line, status, -8);
  g_string_append_c (line, ' ');
  g_string_append (line, summary);
  if (result->node_us > 0 || result->reductions >= 0)
    {
      g_string_append (line, "  (");
      if (result->node_us >= 1000000)
        /* Translators: how long a check took on the node, in seconds */
        g_string_append_printf (line, _("ran in %.1f s"), result->node_us / 1e6);
      else if (result->node_us >= 1000)
        /* Translators: how long a check took on the node, in milliseconds */
        g_string_append_printf (line, _("ran in %.0f ms"), result->node_us / 1e3);
      else if (result->node_us > 0)
        g_string_append (line, _("ran in under 1 ms"));
      if (result->reductions >= 0)
        {
          g_autofree char *count = beam_format_count (result->reductions);

          if (result->node_us > 0)
            g_string_append (line, ", ");
          g_string_append_printf (line, g_dngettext (GETTEXT_PACKAGE, "%s reduction",
                                                     "%s reductions",
                                                     result->reductions == 1 ? 1 : 2),
                                  count);
        }
      g_string_append_c (line, ')');
    }
  g_print ("%s\n", line->str);
}

int
_beam_cli_diagnose (BeamCli *cli)
{
  BeamDiagnosticsOptions options;
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  guint deadline_ms;
  guint guard;

  beam_diagnostics_options_init (&options);
  if (diagnose_opts.window_ms <= 0 || diagnose_opts.window_ms > MAX_WINDOW_MS)
    {
      g_autofree char *message =
        g_strdup_printf (_("--window must be a number of milliseconds from 1 to %d"),
                         MAX_WINDOW_MS);
      return _beam_cli_plugin_unknown (cli, message);
    }
  if (diagnose_opts.top <= 0 || diagnose_opts.top > MAX_TOP)
    {
      g_autofree char *message =
        g_strdup_printf (_("--top must be a number from 1 to %d"), MAX_TOP);
      return _beam_cli_plugin_unknown (cli, message);
    }
  options.window_ms = (guint) diagnose_opts.window_ms;
  options.top = (guint) diagnose_opts.top;
  for (guint i = 0; diagnose_opts.thresholds != NULL && diagnose_opts.thresholds[i] != NULL; i++)
    if (!beam_diagnostics_options_parse_threshold (&options, diagnose_opts.thresholds[i],
                                                   &error))
      {
        g_autofree char *message = g_strdup_printf ("--threshold %s", error->message);
        return _beam_cli_plugin_unknown (cli, message);
      }

  if (!_beam_cli_try_connect (cli, &error))
    return _beam_cli_plugin_unknown (cli, error->message);

  /* Each check's deadline is its own (the probe's), or --timeout past its
   * sampling, which is two windows at most (memory_growth looks a second
   * time for the processes that grew); the whole run gets that and a little
   * more. */
  deadline_ms = 2 * options.window_ms + _beam_cli_timeout (cli, DEFAULT_MARGIN_MS) + 5000;
  guard = g_timeout_add (deadline_ms, cancel_run, cancellable);
  beam_diagnostics_run_async (cli->connection, &options, cancellable, _beam_cli_stash, cli);
  results = beam_diagnostics_run_finish (_beam_cli_wait_and_close (cli), &error);
  if (!g_cancellable_is_cancelled (cancellable))
    g_source_remove (guard);
  if (results == NULL)
    {
      g_autofree char *message = NULL;

      if (g_cancellable_is_cancelled (cancellable))
        message = g_strdup_printf (_("%s did not answer the checks within %u ms"),
                                   cli->node, deadline_ms);
      return _beam_cli_plugin_unknown (cli, message != NULL ? message : error->message);
    }

  if (cli->json)
    {
      g_autoptr(JsonNode) root = beam_diagnostics_to_json (results);
      _beam_cli_print_json (root);
    }
  else
    {
      g_autofree char *summary = beam_diagnostics_plugin_summary (results);

      g_print ("%s\n", summary);
      for (guint i = 0; i < results->len; i++)
        print_check_line (g_ptr_array_index (results, i));
    }
  return exit_status_of (beam_diagnostics_worst (results));
}

/* The change in refc binaries held: "−1,234", "0", "+12". */
static char *
format_change (gint64 value)
{
  return value == 0 ? g_strdup ("0") : beam_format_count_change (value);
}

int
_beam_cli_binleak (BeamCli *cli)
{
  g_autoptr(GPtrArray) leaks = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  if (!binleak_opts.yes)
    return _beam_cli_usage_error (_("binleak garbage-collects every process on the node, which "
                                    "pauses each one and can take seconds on a busy node; pass "
                                    "--yes to do it"));
  if ((status = _beam_cli_check_count (binleak_opts.count)) != 0)
    return status;
  if ((status = _beam_cli_connect (cli)) != 0)
    return status;
  beam_diagnostics_bin_leak_async (cli->connection, (guint) binleak_opts.count, NULL,
                                   _beam_cli_stash, cli);
  leaks = beam_diagnostics_bin_leak_finish (_beam_cli_wait_and_close (cli), &error);
  if (leaks == NULL)
    return _beam_cli_fail (error);

  if (cli->json)
    {
      g_autoptr(JsonNode) root = beam_bin_leak_to_json (leaks);
      _beam_cli_print_json (root);
      return 0;
    }

  {
    g_autoptr(GString) heading = g_string_new (NULL);

    _beam_cli_append_cell (heading, _("PID"), -16);
    _beam_cli_append_cell (heading, _("VALUE"), 10);
    _beam_cli_append_cell (heading, _("NAME"), -28);
    _beam_cli_append_cell (heading, _("INITIAL CALL"), -36);
    g_string_append (heading, _("CURRENT FUNCTION"));
    g_print ("%s\n", heading->str);
  }
  for (guint i = 0; i < leaks->len; i++)
    {
      const BeamBinLeak *leak = g_ptr_array_index (leaks, i);
      g_autoptr(GString) line = g_string_new (NULL);
      g_autofree char *value = format_change (leak->value);

      _beam_cli_append_cell (line, leak->pid, -16);
      _beam_cli_append_cell (line, value, 10);
      _beam_cli_append_cell (line, leak->name, -28);
      _beam_cli_append_cell (line, leak->initial_call, -36);
      g_string_append (line, leak->current_function != NULL ? leak->current_function : "-");
      g_print ("%s\n", line->str);
    }
  return 0;
}
