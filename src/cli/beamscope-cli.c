/* SPDX-License-Identifier: GPL-3.0-or-later */
/* beamscope-cli: the app's questions, asked headless, for servers reached over
 * SSH and for scripts. Built on wire/ and probe/, and for `cluster` alone on
 * the Cluster page's model (model/beam-cluster-model.h). Every failure is one
 * line on stderr that names its cause, and a non-zero exit status:
 * 1 when talking to the node failed, 2 for a usage error. `diagnose` exits
 * as a monitoring plugin instead (0 ok, 1 warning, 2 critical, 3 unknown:
 * the node could not be asked, or a usage error).
 *
 * One table, `commands`, drives it: main finds the command in argv, parses
 * that command's own options with the shared ones, checks its arguments and
 * calls it; the same table writes `--help` and `COMMAND --help`. A command is
 * a function of its subject's file (beam-cli-*.c) and, if it has options, a
 * GOptionEntry array there. */

#define G_LOG_DOMAIN "beamscope-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <string.h>

#include "beam-cli-private.h"
#include "beam-cookie.h"

typedef struct
{
  const char         *name;
  const char         *synopsis;   /* its arguments, or NULL for none */
  guint               min_args;
  guint               max_args;
  GOptionEntry       *options;    /* its own, or NULL */
  gboolean            connects;   /* it talks to --node: it takes the connection options */
  const char         *summary;
  BeamCliCommandFunc  run;
  gboolean            plugin;     /* exits as a monitoring plugin: usage errors too are
                                   * "BEAM UNKNOWN - ..." and BEAM_CLI_EXIT_PLUGIN_UNKNOWN */
  gboolean            changes_node; /* it changes the node (collects, traces): refused
                                     * with --read-only, as the app's read-only mode does */
} Command;

static const Command commands[] = {
  { "nodes", N_("[HOST]"), 0, 1, _beam_cli_nodes_options, FALSE,
    N_("the nodes registered with EPMD on HOST (default localhost; --names for name@host "
       "only)"), _beam_cli_nodes },
  { "cluster", NULL, 0, 0, _beam_cli_cluster_options, TRUE,
    N_("every node of the node's cluster, joined and sampled, once every node has 2 samples "
       "(at most --timeout MS, default 15000); exit 1 if one is down or not answering "
       "(--watch SECONDS, --ms MS, --around)"), _beam_cli_cluster },
  { "info", NULL, 0, 0, NULL, TRUE,
    N_("what the node says of itself: versions, schedulers, limits, memory"), _beam_cli_info },
  { "procs", NULL, 0, 0, NULL, TRUE,
    N_("every process, with the Processes page's columns"), _beam_cli_procs },
  { "top", NULL, 0, 0, _beam_cli_top_options, TRUE,
    N_("the biggest processes: --by ATTRIBUTE, -n N, --window MS"), _beam_cli_top },
  { "proc", N_("PID|NAME"), 1, 1, NULL, TRUE,
    N_("one process: the items of process_info/2 the seeds list"), _beam_cli_proc },
  { "state", N_("PID|NAME"), 1, 1, _beam_cli_state_options, TRUE,
    N_("sys:get_state of an OTP process (--timeout MS, --syntax)"), _beam_cli_state },
  { "sched", NULL, 0, 0, _beam_cli_sched_options, TRUE,
    N_("scheduler usage over --ms MS, as recon:scheduler_usage"), _beam_cli_sched },
  { "memory", NULL, 0, 0, NULL, TRUE,
    N_("erlang:memory(), in bytes"), _beam_cli_memory },
  { "alloc", NULL, 0, 0, NULL, TRUE,
    N_("allocators: carriers against blocks, as recon_alloc:memory"), _beam_cli_alloc },
  { "ets", NULL, 0, 0, _beam_cli_ets_options, TRUE,
    N_("every ETS table, as ets:info/1 tells it (--all, -n N, --sort KEY)"), _beam_cli_ets },
  { "rows", N_("TABLE"), 1, 1, _beam_cli_rows_options, TRUE,
    N_("the rows of an ETS table, by name or id (--limit N, --offset N, --key TERM, "
       "--match PATTERN, --select MATCHSPEC, --syntax)"),
    _beam_cli_rows },
  { "mnesia", NULL, 0, 0, NULL, TRUE,
    N_("Mnesia's tables: storage, size, memory in bytes, replicas (none if it is not running)"),
    _beam_cli_mnesia },
  { "ports", NULL, 0, 0, NULL, TRUE,
    N_("every port (owner, OS pid, I/O, inet address and state), by name; the sockets"),
    _beam_cli_ports },
  { "heaps", NULL, 0, 0, _beam_cli_heaps_options, TRUE,
    N_("processes with heaps over --min-bytes BYTES (-n N)"), _beam_cli_heaps },
  { "binary-gc", NULL, 0, 0, _beam_cli_binary_gc_options, TRUE,
    N_("binary memory before and after collecting every process (--yes)"), _beam_cli_binary_gc,
    FALSE, TRUE },
  { "apps", NULL, 0, 0, NULL, TRUE,
    N_("the applications: loaded, started, and what their processes hold"), _beam_cli_apps },
  { "tree", N_("APP"), 1, 1, _beam_cli_tree_options, TRUE,
    N_("an application's supervision tree (--depth N, --max-children N)"), _beam_cli_tree },
  { "diagnose", NULL, 0, 0, _beam_cli_diagnose_options, TRUE,
    N_("performance checks as a monitoring plugin: exit 0 ok, 1 warning, 2 critical, "
       "3 unknown (--window MS, --threshold CHECK=W[,C], --top N)"),
    _beam_cli_diagnose, TRUE },
  { "binleak", NULL, 0, 0, _beam_cli_binleak_options, TRUE,
    N_("refc binaries freed by collecting every process, as recon:bin_leak (--yes, -n N)"),
    _beam_cli_binleak, FALSE, TRUE },
  { "trace", N_("sys|calls|messages TARGET…"), 1, G_MAXUINT, _beam_cli_trace_options, TRUE,
    N_("trace sys PID|NAME, calls MOD[:FUN[/ARITY]] or messages PID|NAME…, an event a line, "
       "until its limit (--count N, default 100, or --rate N/MS), --duration MS or Ctrl+C"),
    _beam_cli_trace, FALSE, TRUE },
};

/* The options every command takes, and those of the commands that connect. */
static BeamCli cli = { .timeout_ms = -1, .connect_timeout_ms = BEAM_CLI_CONNECT_TIMEOUT_MS };
static char *size_units;
static gboolean read_only;

static GOptionEntry common_options[] = {
  { "json", 'j', 0, G_OPTION_ARG_NONE, &cli.json, N_("Print JSON"), NULL },
  { "timeout", 't', 0, G_OPTION_ARG_INT, &cli.timeout_ms,
    N_("Give up on each question to the node after MS milliseconds (default: the question's "
       "own, 10000 for most)"), N_("MS") },
  { "units", 0, 0, G_OPTION_ARG_STRING, &size_units,
    N_("Write sizes in binary (MiB) or decimal (MB) units (default: the app's setting, "
       "else binary)"), N_("binary|decimal") },
  G_OPTION_ENTRY_NULL
};

/* Only without a command: `beamscope-cli --version`. */
static gboolean show_version;

static GOptionEntry version_options[] = {
  { "version", 0, 0, G_OPTION_ARG_NONE, &show_version,
    N_("Print beamscope-cli's version and end"), NULL },
  G_OPTION_ENTRY_NULL
};

static GOptionEntry connection_options[] = {
  { "node", 0, 0, G_OPTION_ARG_STRING, &cli.node,
    N_("The node to inspect, as name@host"), N_("NAME") },
  { "connect-timeout", 0, 0, G_OPTION_ARG_INT, &cli.connect_timeout_ms,
    N_("Give up connecting after MS milliseconds (default 5000)"), N_("MS") },
  { "cookie", 'c', 0, G_OPTION_ARG_STRING, &cli.cookie,
    N_("The node's cookie (other users can see it while the command starts: prefer "
       "BEAMSCOPE_COOKIE or --cookie-file)"), N_("COOKIE") },
  { "cookie-file", 0, 0, G_OPTION_ARG_FILENAME, &cli.cookie_file,
    N_("Read the cookie from FILE"), N_("FILE") },
  { "read-only", 0, 0, G_OPTION_ARG_NONE, &read_only,
    N_("Refuse the commands that change the node (binary-gc, binleak, trace), as the app's "
       "--read-only does"), NULL },
  G_OPTION_ENTRY_NULL
};

#define COOKIE_NOTE N_("The cookie is --cookie, else --cookie-file, else the environment's " \
                       "BEAMSCOPE_COOKIE, else ~/.erlang.cookie. Other users can read the " \
                       "arguments of a command with ps until it has parsed them: --cookie is " \
                       "visible to them for that moment.")

/* Whether the option --long_name (or -short_name, long_name NULL) of some
 * command, or a shared one, takes a value. */
static gboolean
takes_value (const char *long_name,
             char        short_name)
{
  const GOptionEntry *sets[G_N_ELEMENTS (commands) + 2] = { common_options, connection_options };

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    sets[i + 2] = commands[i].options;
  for (guint i = 0; i < G_N_ELEMENTS (sets); i++)
    for (const GOptionEntry *entry = sets[i]; entry != NULL && entry->long_name != NULL; entry++)
      if (long_name != NULL ? g_str_equal (entry->long_name, long_name)
                            : entry->short_name == short_name)
        return entry->arg != G_OPTION_ARG_NONE;
  return FALSE;
}

/* The command's place in argv: the first argument that is neither an option
 * nor an option's value, since the shared options may come first (`--node N
 * info`). 0 if there is none. */
static int
find_command (int    argc,
              char **argv)
{
  for (int i = 1; i < argc; i++)
    {
      const char *arg = argv[i];

      if (g_str_equal (arg, "--"))
        return i + 1 < argc ? i + 1 : 0;
      if (arg[0] != '-' || arg[1] == '\0')
        return i;
      if (arg[1] == '-')
        {
          /* --name VALUE, unless it is --name=VALUE */
          if (strchr (arg, '=') == NULL && takes_value (arg + 2, 0))
            i++;
          continue;
        }
      /* -abc: a short option with a value takes the rest, or the next argument */
      for (const char *c = arg + 1; *c != '\0'; c++)
        if (takes_value (NULL, *c))
          {
            if (c[1] == '\0')
              i++;
            break;
          }
    }
  return 0;
}

static const Command *
lookup_command (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_str_equal (commands[i].name, name))
      return &commands[i];
  return NULL;
}

/* "name SYNOPSIS", as the help lists commands and as a command's usage line. */
static char *
command_usage (const Command *command)
{
  if (command->synopsis == NULL)
    return g_strdup (command->name);
  return g_strdup_printf ("%s %s", command->name, _(command->synopsis));
}

static GOptionContext *
global_context (void)
{
  GOptionContext *context = g_option_context_new (_("COMMAND — inspect a running Erlang or "
                                                    "Elixir node"));
  g_autoptr(GString) description = g_string_new (_("Commands:"));
  int width = 0;

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_autofree char *usage = command_usage (&commands[i]);
      width = MAX (width, (int) g_utf8_strlen (usage, -1));
    }
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_autofree char *usage = command_usage (&commands[i]);
      int pad = width - (int) g_utf8_strlen (usage, -1);

      g_string_append_printf (description, "\n  %s%*s  %s", usage, pad, "",
                              _(commands[i].summary));
    }
  g_string_append_printf (description, "\n\n%s\n%s",
                          _("Run “beamscope-cli COMMAND --help” for the options of a command."),
                          _(COOKIE_NOTE));
  g_option_context_add_main_entries (context, version_options, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, common_options, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, connection_options, GETTEXT_PACKAGE);
  g_option_context_set_description (context, description->str);
  return context;
}

static GOptionContext *
command_context (const Command *command)
{
  g_autofree char *usage = command_usage (command);
  GOptionContext *context = g_option_context_new (usage);

  g_option_context_set_summary (context, _(command->summary));
  if (command->options != NULL)
    g_option_context_add_main_entries (context, command->options, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, common_options, GETTEXT_PACKAGE);
  if (command->connects)
    {
      g_option_context_add_main_entries (context, connection_options, GETTEXT_PACKAGE);
      g_option_context_set_description (context, _(COOKIE_NOTE));
    }
  return context;
}

/* Without a command: --help, --version, or the help on stderr as a usage
 * error. */
static int
run_without_command (int    argc,
                     char **argv)
{
  g_autoptr(GOptionContext) context = global_context ();
  g_autoptr(GError) error = NULL;
  g_autofree char *help = NULL;

  if (!g_option_context_parse (context, &argc, &argv, &error))
    return _beam_cli_usage_error (error->message);
  if (show_version)
    {
      g_print ("beamscope-cli %s\n", PACKAGE_VERSION);
      return 0;
    }
  help = g_option_context_get_help (context, TRUE, NULL);
  g_printerr ("%s", help);
  return BEAM_CLI_EXIT_USAGE;
}

/* The process's own arguments, where ps reads them. */
static int original_argc;
static char **original_argv;

/* --units, else the GUI's setting where its schema is installed, so that
 * the CLI and the app write a size the same way on one machine. */
static gboolean
set_size_units (const char *given)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;
  BeamSizeUnits units = BEAM_SIZE_UNITS_BINARY;

  if (given != NULL)
    {
      if (!beam_size_units_parse (given, &units))
        return FALSE;
    }
  else if (source != NULL
           && (schema = g_settings_schema_source_lookup (source, SETTINGS_SCHEMA_ID, TRUE)) != NULL
           && g_settings_schema_has_key (schema, "size-units"))
    {
      g_autoptr(GSettings) settings = g_settings_new_full (schema, NULL, NULL);

      units = g_settings_get_enum (settings, "size-units");
    }
  beam_number_format_set_size_units (units);
  return TRUE;
}

/* Whether --json or -j is among a command's arguments: a usage error of a
 * plugin says so where a script reads, and the parser has undone what it
 * set. */
static gboolean
asks_json (int    argc,
           char **argv)
{
  for (int i = 1; i < argc && !g_str_equal (argv[i], "--"); i++)
    if (g_str_equal (argv[i], "--json") ||
        (argv[i][0] == '-' && argv[i][1] != '-' && strchr (argv[i], 'j') != NULL))
      return TRUE;
  return FALSE;
}

/* A usage error: one line on stderr and status 2, or a plugin's unknown. */
static int
command_usage_error (const Command *command,
                     const char    *message)
{
  if (command->plugin)
    return _beam_cli_plugin_unknown (&cli, message);
  return _beam_cli_usage_error (message);
}

static int
run_command (const Command  *command,
             int             argc,
             char          **argv)
{
  g_autoptr(GOptionContext) context = command_context (command);
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GError) error = NULL;
  gboolean json = asks_json (argc, argv);
  guint n_args;

  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      /* Translators: a command's name, what is wrong with its options, then the command's
       * name again: "procs: Unknown option --x (see “beamscope-cli procs --help”)". */
      g_autofree char *message = g_strdup_printf (_("%s: %s (see “beamscope-cli %s --help”)"),
                                                  command->name, error->message,
                                                  command->name);

      cli.json = json;
      return command_usage_error (command, message);
    }
  /* The cookie has been copied: ps need not show it for the rest of the run. */
  beam_cookie_scrub_argv (original_argc, original_argv);
  if (cli.timeout_ms == 0 || cli.timeout_ms < -1)
    return command_usage_error (command, _("--timeout must be a positive number of "
                                           "milliseconds"));
  if (cli.connect_timeout_ms <= 0)
    return command_usage_error (command, _("--connect-timeout must be a positive number of "
                                           "milliseconds"));
  if (cli.cookie != NULL && cli.cookie_file != NULL)
    return command_usage_error (command, _("give --cookie or --cookie-file, not both"));
  if (!set_size_units (size_units))
    return command_usage_error (command, _("--units must be “binary” or “decimal”"));
  if (read_only && command->changes_node)
    {
      /* Translators: the command's name. */
      g_autofree char *message = g_strdup_printf (_("%s changes the node, and --read-only "
                                                    "was given: nothing was done"),
                                                  command->name);
      return command_usage_error (command, message);
    }
  n_args = (guint) argc - 1;
  if (n_args < command->min_args || n_args > command->max_args)
    {
      g_autofree char *usage = command_usage (command);
      g_autofree char *message = g_strdup_printf (_("usage: beamscope-cli [OPTION…] %s"), usage);
      return command_usage_error (command, message);
    }

  loop = g_main_loop_new (NULL, FALSE);
  cli.loop = loop;
  cli.args = argv + 1;
  return command->run (&cli);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) copies = NULL;  /* owns what rest points to */
  g_autoptr(GPtrArray) rest = NULL;
  const Command *command;
  int at;
  int status;

  setlocale (LC_ALL, "");
  /* BEAMSCOPE_LOCALEDIR runs an uninstalled build in another language: the
   * tests point it at the build folder's po/, where the catalogs are built. */
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("BEAMSCOPE_LOCALEDIR") != NULL
                                   ? g_getenv ("BEAMSCOPE_LOCALEDIR") : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  if (!beam_connection_init_process (&error))
    return _beam_cli_fail (error);

  at = find_command (argc, argv);
  if (at == 0)
    return run_without_command (argc, argv);
  command = lookup_command (argv[at]);
  if (command == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("unknown command “%s”; see --help"),
                                                  argv[at]);
      return _beam_cli_usage_error (message);
    }

  /* argv without the command's name: its options and arguments. The parser
   * takes options out of it, and the cookie is wiped from argv once parsed,
   * so it is a copy. */
  copies = g_ptr_array_new_with_free_func (g_free);
  rest = g_ptr_array_new ();
  for (int i = 0; i < argc; i++)
    if (i != at)
      {
        g_ptr_array_add (copies, g_strdup (argv[i]));
        g_ptr_array_add (rest, g_ptr_array_index (copies, copies->len - 1));
      }
  g_ptr_array_add (rest, NULL);
  original_argc = argc;
  original_argv = argv;
  status = run_command (command, (int) rest->len - 1, (char **) rest->pdata);

  g_clear_object (&cli.connection);
  g_clear_object (&cli.result);
  g_free (cli.node);
  g_free (cli.cookie);
  g_free (cli.cookie_file);
  g_free (size_units);
  return status;
}
