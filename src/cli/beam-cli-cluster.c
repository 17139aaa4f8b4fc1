/* SPDX-License-Identifier: GPL-3.0-or-later */
/* beamscope-cli's `cluster` (issue 17): every node of the node's cluster,
 * joined and sampled by the Cluster page's own BeamClusterModel (the one
 * command that links model/; see DESIGN), printed once it has settled, or
 * every --watch seconds until Ctrl+C or SIGTERM. Its exit status makes it a
 * check: 1 when a node of the cluster is down or not answering. `cluster
 * --around` is the command as it was before: the nodes around one node (the
 * Nodes menu's question, beam-cluster.h), asked once.
 *
 * stdout holds the tables or the JSON (a document a line under --watch) and
 * nothing else; why the run ended badly goes to stderr. */

#define G_LOG_DOMAIN "beamscope-cli"

#include "config.h"

#include <glib-unix.h>
#include <glib/gi18n.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

#include "beam-cli-private.h"
#include "beam-cluster.h"
#include "beam-cluster-model.h"
#include "beam-cookie.h"

/* The one-shot run's bound on settling when --timeout is not given. */
#define DEFAULT_SETTLE_MS 15000
/* --ms, as the model takes it (beam-cluster-model.h). */
#define MIN_INTERVAL_MS 200
#define MAX_INTERVAL_MS 60000
#define DEFAULT_INTERVAL_MS 1000
/* --watch: at most an hour between prints. */
#define MAX_WATCH_S 3600

static struct
{
  gboolean around;
  int      watch_s;       /* -1: print once */
  int      interval_ms;   /* -1: DEFAULT_INTERVAL_MS */
} cluster_opts = { .watch_s = -1, .interval_ms = -1 };

GOptionEntry _beam_cli_cluster_options[] = {
  { "watch", 0, 0, G_OPTION_ARG_INT, &cluster_opts.watch_s,
    N_("Print again every SECONDS seconds (JSON Lines with --json) until Ctrl+C"),
    N_("SECONDS") },
  { "ms", 0, 0, G_OPTION_ARG_INT, &cluster_opts.interval_ms,
    N_("Sample every node every MS milliseconds, 200 to 60000 (default 1000)"), N_("MS") },
  { "around", 0, 0, G_OPTION_ARG_NONE, &cluster_opts.around,
    N_("Only the nodes around the node, asked once: its visible and hidden nodes, and the "
       "others EPMD knows on its host (what `cluster` printed before)"), NULL },
  G_OPTION_ENTRY_NULL
};

/* --around ---------------------------------------------------------------- */

/* One section of `cluster --around`: its heading, then a name a line, or
 * what it says when there is none. */
static void
print_cluster_section (const char         *heading,
                       const char * const *names,
                       guint               count,
                       const char         *empty)
{
  guint listed = g_strv_length ((GStrv) names);

  g_print ("%s\n", heading);
  if (listed == 0)
    g_print ("  %s\n", empty);
  for (guint i = 0; i < listed; i++)
    {
      g_autofree char *name = _beam_cli_escape_controls (names[i]);

      g_print ("  %s\n", name);
    }
  if (count > listed)
    {
      g_print ("  ");
      g_print (g_dngettext (GETTEXT_PACKAGE, "(%u more node)", "(%u more nodes)",
                            count - listed), count - listed);
      g_print ("\n");
    }
}

static int
run_around (BeamCli *cli)
{
  g_autoptr(BeamCluster) cluster = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *node = NULL;
  g_autofree char *host = NULL;
  g_autofree char *epmd_heading = NULL;
  g_autofree char *epmd_empty = NULL;
  int status;

  if ((status = _beam_cli_connect (cli)) != 0)
    return status;
  beam_cluster_fetch_async (cli->connection, NULL, _beam_cli_stash, cli);
  cluster = beam_cluster_fetch_finish (_beam_cli_wait_and_close (cli), &error);
  if (cluster == NULL)
    return _beam_cli_fail (error);

  if (cli->json)
    {
      g_autoptr(JsonNode) root = beam_cluster_to_json (cluster);

      _beam_cli_print_json (root);
      return 0;
    }

  node = _beam_cli_escape_controls (cluster->node);
  host = _beam_cli_escape_controls (cluster->host);
  _beam_cli_print_row (_("Node"), node);
  g_print ("\n");
  print_cluster_section (_("Visible nodes (erlang:nodes(visible)):"),
                         (const char * const *) cluster->visible, cluster->visible_count,
                         _("none: no other nodes in this cluster"));
  print_cluster_section (_("Hidden nodes (erlang:nodes(hidden), but this connection):"),
                         (const char * const *) cluster->hidden, cluster->hidden_count,
                         _("none"));
  /* TRANSLATORS: %s is a host name */
  epmd_heading = g_strdup_printf (_("Also registered with EPMD on %s:"), host);
  if (cluster->epmd_error != NULL)
    {
      g_autofree char *why = _beam_cli_escape_controls (cluster->epmd_error);

      /* TRANSLATORS: %s says why EPMD could not be asked */
      epmd_empty = g_strdup_printf (_("EPMD could not be asked: %s"), why);
    }
  else
    epmd_empty = g_strdup (_("none"));
  print_cluster_section (epmd_heading, (const char * const *) cluster->epmd_others,
                         g_strv_length (cluster->epmd_others), epmd_empty);
  return 0;
}

/* The text tables --------------------------------------------------------- */

static char *
format_uptime (gint64 uptime_ms)
{
  gint64 seconds = uptime_ms / 1000;

  if (uptime_ms < 0)
    return g_strdup ("-");
  return g_strdup_printf ("%" G_GINT64_FORMAT "d %02d:%02d:%02d", seconds / 86400,
                          (int) (seconds / 3600 % 24), (int) (seconds / 60 % 60),
                          (int) (seconds % 60));
}

/* "12:03:14", local time, of a g_get_real_time() stamp. */
static char *
format_clock (gint64 real_us)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_local (real_us / G_USEC_PER_SEC);

  return time != NULL ? g_date_time_format (time, "%H:%M:%S") : g_strdup ("-");
}

static const char *
state_label (BeamClusterNodeState state)
{
  switch (state)
    {
    case BEAM_CLUSTER_NODE_CONNECTED:
      return _("connected");
    case BEAM_CLUSTER_NODE_NOT_ANSWERING:
      return _("not answering");
    case BEAM_CLUSTER_NODE_DOWN:
      return _("down");
    default:
      return "-";
    }
}

/* The longest message queue: "1500 mailbox_name" or "1500 <0.88.0>", "0",
 * or "-" before a scan (or when the node has too many processes to scan). */
static char *
format_max_queue (const BeamClusterSample *sample)
{
  g_autofree char *length = NULL;
  g_autofree char *who = NULL;

  if (sample == NULL || sample->max_queue < 0)
    return g_strdup ("-");
  length = beam_format_count (sample->max_queue);
  if (sample->max_queue_name != NULL)
    who = _beam_cli_escape_controls (sample->max_queue_name);
  else if (sample->max_queue_pid != NULL)
    who = _beam_cli_escape_controls (sample->max_queue_pid);
  return who != NULL ? g_strdup_printf ("%s %s", length, who) : g_steal_pointer (&length);
}

/* The cells of one row, in the columns' order. */
enum { COL_NODE, COL_STATE, COL_OTP, COL_UPTIME, COL_PROCS, COL_MEMORY, COL_USAGE,
       COL_RUN_QUEUE, COL_MAX_QUEUE, COL_SEES, N_COLS };

static GStrv
row_cells (BeamClusterNode *node)
{
  const BeamClusterSample *sample = beam_cluster_node_get_sample (node);
  double usage = beam_cluster_node_get_usage (node);
  GStrv cells = g_new0 (char *, N_COLS + 1);

  cells[COL_NODE] = _beam_cli_escape_controls (beam_cluster_node_get_name (node));
  cells[COL_STATE] = g_strdup (state_label (beam_cluster_node_get_state (node)));
  cells[COL_USAGE] = usage < 0 ? g_strdup ("-") : g_strdup_printf ("%.0f %%", 100 * usage);
  cells[COL_MAX_QUEUE] = format_max_queue (sample);
  if (sample == NULL)
    {
      for (guint i = 0; i < N_COLS; i++)
        if (cells[i] == NULL)
          cells[i] = g_strdup ("-");
      return cells;
    }
  cells[COL_OTP] = _beam_cli_escape_controls (sample->otp_release);
  cells[COL_UPTIME] = format_uptime (sample->uptime_ms);
  cells[COL_PROCS] = beam_format_count_of (sample->process_count, sample->process_limit);
  cells[COL_MEMORY] = beam_format_bytes (sample->memory_total);
  cells[COL_RUN_QUEUE] = beam_format_count (sample->run_queue);
  cells[COL_SEES] = g_strdup_printf ("%u", sample->visible != NULL
                                           ? g_strv_length (sample->visible) : 0);
  return cells;
}

/* Rows of cells, each column as wide as its widest cell (headings
 * included); numbers to the right. */
static void
print_node_table (GPtrArray *rows)
{
  /* Translators: column headings of `cluster`, in capitals. */
  const char *headings[N_COLS] = {
    _("NODE"), _("STATE"), _("OTP"), _("UPTIME"), _("PROCESSES"), _("MEMORY"), _("USAGE"),
    _("RUN QUEUE"), _("MAX QUEUE"), _("SEES"),
  };
  static const gboolean right[N_COLS] = {
    [COL_UPTIME] = TRUE, [COL_PROCS] = TRUE, [COL_MEMORY] = TRUE, [COL_USAGE] = TRUE,
    [COL_RUN_QUEUE] = TRUE, [COL_SEES] = TRUE,
  };
  int widths[N_COLS];

  for (guint c = 0; c < N_COLS; c++)
    {
      widths[c] = (int) g_utf8_strlen (headings[c], -1);
      for (guint r = 0; r < rows->len; r++)
        {
          GStrv cells = g_ptr_array_index (rows, r);

          widths[c] = MAX (widths[c], (int) g_utf8_strlen (cells[c], -1));
        }
    }
  for (int r = -1; r < (int) rows->len; r++)
    {
      g_autoptr(GString) line = g_string_new (NULL);
      const char * const *cells = r < 0 ? headings
                                        : (const char * const *) g_ptr_array_index (rows, r);

      for (guint c = 0; c < N_COLS; c++)
        _beam_cli_append_cell (line, cells[c], right[c] ? widths[c] : -widths[c]);
      while (line->len > 0 && line->str[line->len - 1] == ' ')
        g_string_truncate (line, line->len - 1);
      g_print ("%s\n", line->str);
    }
}

static void
print_anomalies (BeamClusterModel *model)
{
  GPtrArray *anomalies = beam_cluster_model_get_anomalies (model);

  g_print ("\n%s\n", _("Links that are not symmetric:"));
  if (anomalies == NULL || anomalies->len == 0)
    {
      g_print ("  %s\n", _("none: every node sees every other"));
      return;
    }
  for (guint i = 0; i < anomalies->len; i++)
    {
      const BeamClusterAnomaly *anomaly = g_ptr_array_index (anomalies, i);
      g_autofree char *from = _beam_cli_escape_controls (anomaly->from);
      g_autofree char *to = anomaly->to != NULL ? _beam_cli_escape_controls (anomaly->to) : NULL;
      g_autofree char *since = format_clock (anomaly->first_seen_us);
      g_autofree char *what = NULL;

      if (anomaly->left)
        /* TRANSLATORS: a node name */
        what = g_strdup_printf (_("%s left the cluster"), from);
      else if (anomaly->kind == BEAM_CLUSTER_LINK_ONE_WAY)
        /* TRANSLATORS: two node names: "a@h sees b@h, b@h does not see a@h" */
        what = g_strdup_printf (_("%s sees %s, %s does not see %s"), from, to, to, from);
      else
        /* TRANSLATORS: two node names */
        what = g_strdup_printf (_("%s and %s do not see each other"), from, to);

      if (anomaly->open)
        /* TRANSLATORS: what is wrong with a link, then a time of day: "… (since 12:03:14)" */
        g_print (_("  %s (since %s)\n"), what, since);
      else
        {
          g_autofree char *until = format_clock (anomaly->last_seen_us);

          /* TRANSLATORS: what was wrong with a link, then two times of day */
          g_print (_("  %s (from %s to %s)\n"), what, since, until);
        }
    }
}

static void
print_hidden (BeamClusterModel *model)
{
  GPtrArray *hidden = beam_cluster_model_get_hidden (model);

  g_print ("\n%s\n", _("Hidden nodes (other tools, remote shells):"));
  if (hidden == NULL || hidden->len == 0)
    {
      g_print ("  %s\n", _("none"));
      return;
    }
  for (guint i = 0; i < hidden->len; i++)
    {
      const BeamClusterHidden *entry = g_ptr_array_index (hidden, i);
      g_autofree char *name = _beam_cli_escape_controls (entry->node);
      guint seen_by = entry->seen_by != NULL ? g_strv_length (entry->seen_by) : 0;

      g_print ("  %s  ", name);
      g_print (g_dngettext (GETTEXT_PACKAGE, "listed by %u node", "listed by %u nodes",
                            seen_by), seen_by);
      g_print ("\n");
    }
}

static void
print_partitions (BeamClusterModel *model)
{
  g_autoptr(GPtrArray) partitions = beam_cluster_model_dup_partitions (model);

  g_print ("\n%s\n", _("Partitions:"));
  if (partitions == NULL || partitions->len <= 1)
    {
      g_print ("  %s\n", _("none: the cluster is in one piece"));
      return;
    }
  for (guint i = 0; i < partitions->len; i++)
    {
      GStrv members = g_ptr_array_index (partitions, i);
      g_autoptr(GString) line = g_string_new ("  {");

      for (guint m = 0; members[m] != NULL; m++)
        {
          g_autofree char *name = _beam_cli_escape_controls (members[m]);

          g_string_append_printf (line, "%s%s", m > 0 ? ", " : "", name);
        }
      g_print ("%s}\n", line->str);
    }
}

static void
print_text (BeamClusterModel *model)
{
  GListModel *nodes = beam_cluster_model_get_nodes (model);
  g_autoptr(GPtrArray) members = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  g_autoptr(GPtrArray) others = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  guint not_joined = beam_cluster_model_get_n_not_joined (model);

  for (guint i = 0; i < g_list_model_get_n_items (nodes); i++)
    {
      g_autoptr(BeamClusterNode) node = g_list_model_get_item (nodes, i);

      g_ptr_array_add (beam_cluster_node_get_in_cluster (node) ? members : others,
                       row_cells (node));
    }
  print_node_table (members);
  if (others->len > 0)
    {
      g_print ("\n%s\n", _("Registered with EPMD on a cluster host, not in the cluster:"));
      print_node_table (others);
    }
  if (not_joined > 0)
    {
      g_print ("\n");
      g_print (g_dngettext (GETTEXT_PACKAGE, "%u more node found, not joined (at most %u)",
                            "%u more nodes found, not joined (at most %u)", not_joined),
               not_joined, g_list_model_get_n_items (nodes));
      g_print ("\n");
    }
  print_anomalies (model);
  print_hidden (model);
  print_partitions (model);
}

/* The run ------------------------------------------------------------------ */

typedef struct
{
  BeamCli          *cli;
  BeamClusterModel *model;
  gboolean          watching;
  gboolean          tty;            /* stdout is a terminal: --watch redraws the screen */
  gboolean          settled;
  gboolean          timed_out;
  gboolean          interrupted;
  gboolean          output_closed;  /* stdout's reader went away (`| head`) */
  guint             prints;
  guint             timer_id;       /* the settle deadline, or --watch's period */
} Run;

static void
print_model (Run *run)
{
  if (run->cli->json)
    {
      g_autoptr(JsonNode) root = beam_cluster_model_to_json (run->model);
      g_autofree char *text = json_to_string (root, !run->watching);

      g_print ("%s\n", text);
    }
  else
    {
      if (run->watching)
        {
          g_autofree char *now = format_clock (g_get_real_time ());
          g_autofree char *seed = _beam_cli_escape_controls (
            beam_cluster_model_get_seed_name (run->model));

          /* Clear the screen and go home, as watch(1) does; into a pipe or
           * file, the prints follow each other after a blank line. */
          if (run->tty)
            g_print ("\033[H\033[2J");
          else if (run->prints > 0)
            g_print ("\n");
          /* TRANSLATORS: --watch's heading: the seed node, the seconds between prints,
           * the time of day: "Cluster of a@h, every 2 s, at 12:03:14" */
          g_print (_("Cluster of %s, every %d s, at %s\n\n"), seed, cluster_opts.watch_s, now);
        }
      print_text (run->model);
    }
  run->prints++;
  if (fflush (stdout) == EOF || ferror (stdout))
    {
      /* SIGPIPE is ignored (beam_connection_init_process): a closed pipe
       * ends the watch cleanly, with the holders let go. */
      run->output_closed = TRUE;
      g_main_loop_quit (run->cli->loop);
    }
}

/* How many nodes of the cluster proper (not those EPMD alone lists) are
 * down or not answering. */
static guint
count_unwell_members (BeamClusterModel *model)
{
  GListModel *nodes = beam_cluster_model_get_nodes (model);
  guint unwell = 0;

  for (guint i = 0; i < g_list_model_get_n_items (nodes); i++)
    {
      g_autoptr(BeamClusterNode) node = g_list_model_get_item (nodes, i);

      if (beam_cluster_node_get_in_cluster (node) &&
          beam_cluster_node_get_state (node) != BEAM_CLUSTER_NODE_CONNECTED)
        unwell++;
    }
  return unwell;
}

static gboolean on_watch_tick (gpointer data);

/* Once the model settled: the one-shot run prints and ends; --watch prints
 * its first at once, rather than after its first period, and counts its
 * periods from there. */
static void
on_sampled (BeamClusterModel *model,
            Run              *run)
{
  if (run->settled || !beam_cluster_model_get_settled (model))
    return;
  run->settled = TRUE;
  if (!run->watching)
    {
      g_main_loop_quit (run->cli->loop);
      return;
    }
  g_clear_handle_id (&run->timer_id, g_source_remove);
  print_model (run);
  if (!run->output_closed)
    run->timer_id = g_timeout_add ((guint) cluster_opts.watch_s * 1000, on_watch_tick, run);
}

static gboolean
on_settle_deadline (gpointer data)
{
  Run *run = data;

  run->timed_out = TRUE;
  run->timer_id = 0;
  g_main_loop_quit (run->cli->loop);
  return G_SOURCE_REMOVE;
}

static gboolean
on_watch_tick (gpointer data)
{
  Run *run = data;

  print_model (run);
  if (!run->output_closed)
    return G_SOURCE_CONTINUE;
  run->timer_id = 0;
  return G_SOURCE_REMOVE;
}

static gboolean
on_signal (gpointer data)
{
  Run *run = data;

  run->interrupted = TRUE;
  g_main_loop_quit (run->cli->loop);
  return G_SOURCE_CONTINUE;
}

static gboolean
check_options (void)
{
  if (cluster_opts.around && (cluster_opts.watch_s != -1 || cluster_opts.interval_ms != -1))
    {
      _beam_cli_usage_error (_("cluster: --around asks once: it takes neither --watch nor "
                               "--ms"));
      return FALSE;
    }
  if (cluster_opts.watch_s != -1 &&
      (cluster_opts.watch_s <= 0 || cluster_opts.watch_s > MAX_WATCH_S))
    {
      _beam_cli_usage_error (_("--watch takes a number of seconds from 1 to 3600"));
      return FALSE;
    }
  if (cluster_opts.interval_ms == -1)
    cluster_opts.interval_ms = DEFAULT_INTERVAL_MS;
  else if (cluster_opts.interval_ms < MIN_INTERVAL_MS ||
           cluster_opts.interval_ms > MAX_INTERVAL_MS)
    {
      _beam_cli_usage_error (_("--ms takes a number of milliseconds from 200 to 60000"));
      return FALSE;
    }
  return TRUE;
}

/* The app's Preferences for the most nodes joined and whether the nodes
 * only EPMD lists are joined, where its schema is installed (as --units
 * follows its size units), so that the page and the command join alike on
 * one machine. */
static void
apply_app_settings (BeamClusterModel *model)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GSettings) settings = NULL;

  if (source == NULL ||
      (schema = g_settings_schema_source_lookup (source, SETTINGS_SCHEMA_ID, TRUE)) == NULL ||
      !g_settings_schema_has_key (schema, "cluster-max-nodes") ||
      !g_settings_schema_has_key (schema, "cluster-join-epmd-others"))
    return;
  settings = g_settings_new_full (schema, NULL, NULL);
  beam_cluster_model_set_max_nodes (model, g_settings_get_uint (settings, "cluster-max-nodes"));
  beam_cluster_model_set_join_epmd_others (model, g_settings_get_boolean (
                                                    settings, "cluster-join-epmd-others"));
}

/* Whether the seed answered a sample: else there is nothing to print. */
static gboolean
seed_answered (BeamClusterModel *model)
{
  BeamClusterNode *seed = beam_cluster_model_find_node (model,
                                                        beam_cluster_model_get_seed_name (model));

  return seed != NULL && beam_cluster_node_get_sample (seed) != NULL;
}

/* What the one-shot run ends with, once the model settled or its time ran
 * out and it printed: 0, or 1 with one line on stderr that says why. */
static int
one_shot_status (Run *run)
{
  guint unwell;

  unwell = count_unwell_members (run->model);
  if (unwell > 0)
    {
      g_printerr ("beamscope-cli: ");
      g_printerr (g_dngettext (GETTEXT_PACKAGE,
                               "%u node is down or not answering",
                               "%u nodes are down or not answering", unwell), unwell);
      g_printerr ("\n");
      return BEAM_CLI_EXIT_NODE_ERROR;
    }
  if (!run->settled)
    {
      /* TRANSLATORS: %d is a number of milliseconds */
      g_printerr (_("beamscope-cli: the cluster did not settle within %d ms: some nodes "
                    "have fewer than two samples\n"),
                  _beam_cli_timeout (run->cli, DEFAULT_SETTLE_MS));
      return BEAM_CLI_EXIT_NODE_ERROR;
    }
  return 0;
}

int
_beam_cli_cluster (BeamCli *cli)
{
  g_autoptr(BeamClusterModel) model = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *cookie = NULL;
  Run run = { .cli = cli, .watching = cluster_opts.watch_s > 0 };
  guint sigint_id;
  guint sigterm_id;
  int status;

  if (!check_options ())
    return BEAM_CLI_EXIT_USAGE;
  if (cluster_opts.around)
    return run_around (cli);
  if ((status = _beam_cli_connect (cli)) != 0)
    return status;
  /* It resolved the same way a moment ago: the model joins every other
   * node with the seed's cookie. */
  cookie = beam_cookie_resolve (cli->cookie, cli->cookie_file, &error);
  if (cookie == NULL)
    {
      beam_connection_close (cli->connection);
      return _beam_cli_fail (error);
    }
  /* --timeout bounds the whole run here, not each sample: the model gives
   * each its own deadline (twice the interval, at least 4 s), the same on
   * every node. */
  beam_connection_set_request_timeout (cli->connection, 0);

  model = beam_cluster_model_new (cli->connection, cookie);
  beam_cluster_model_set_interval_ms (model, (guint) cluster_opts.interval_ms);
  /* The run lasts a few samples: every one of them scans for the longest
   * message queue. */
  beam_cluster_model_set_queue_scan_interval_ms (model, (guint) cluster_opts.interval_ms);
  apply_app_settings (model);
  run.model = model;
  run.tty = isatty (STDOUT_FILENO);
  g_signal_connect (model, "sampled", G_CALLBACK (on_sampled), &run);
  sigint_id = g_unix_signal_add (SIGINT, on_signal, &run);
  sigterm_id = g_unix_signal_add (SIGTERM, on_signal, &run);
  if (run.watching)
    run.timer_id = g_timeout_add ((guint) cluster_opts.watch_s * 1000, on_watch_tick, &run);
  else
    run.timer_id = g_timeout_add (_beam_cli_timeout (cli, DEFAULT_SETTLE_MS),
                                  on_settle_deadline, &run);

  beam_cluster_model_start (model);
  g_main_loop_run (cli->loop);

  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);
  g_clear_handle_id (&run.timer_id, g_source_remove);
  g_signal_handlers_disconnect_by_data (model, &run);

  if (run.watching)
    status = 0;
  else if (run.interrupted)
    {
      g_printerr ("beamscope-cli: %s\n", _("interrupted before the cluster settled"));
      status = BEAM_CLI_EXIT_NODE_ERROR;
    }
  else if (!seed_answered (model))
    {
      BeamClusterNode *seed = beam_cluster_model_find_node (
        model, beam_cluster_model_get_seed_name (model));
      const char *reason = seed != NULL ? beam_cluster_node_get_reason (seed) : NULL;
      g_autofree char *name = _beam_cli_escape_controls (cli->node);
      g_autofree char *why = reason != NULL ? _beam_cli_escape_controls (reason) : NULL;

      if (why != NULL)
        /* TRANSLATORS: the node's name, then why its sample failed */
        g_printerr (_("beamscope-cli: %s did not answer a sample: %s\n"), name, why);
      else
        /* TRANSLATORS: %s is the node's name */
        g_printerr (_("beamscope-cli: %s did not answer a sample in time\n"), name);
      status = BEAM_CLI_EXIT_NODE_ERROR;
    }
  else
    {
      print_model (&run);
      status = one_shot_status (&run);
    }
  /* The flag holders first, through their connections, then the seed's. */
  beam_cluster_model_stop (model);
  beam_connection_close (cli->connection);
  return status;
}
