/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "beam-connection.h"
#include "beam-number-format.h"

G_BEGIN_DECLS

/* What beamscope-cli's commands share: the run's context, the helpers every
 * command prints and connects with, and each command's entry point and
 * options, which beamscope-cli.c lists in its command table. */

#define BEAM_CLI_EXIT_NODE_ERROR 1  /* talking to the node failed */
#define BEAM_CLI_EXIT_USAGE      2
/* diagnose exits as a monitoring plugin: 0 ok, 1 warning, 2 critical, and
 * this when the node could not be asked or the arguments are wrong. */
#define BEAM_CLI_EXIT_PLUGIN_UNKNOWN 3
#define BEAM_CLI_CONNECT_TIMEOUT_MS 5000

typedef struct
{
  /* The options every command takes (the connection ones only where it
   * connects). */
  char            *node;
  char            *cookie;
  char            *cookie_file;
  gboolean         json;
  int              timeout_ms;          /* --timeout, or -1: each question's own */
  int              connect_timeout_ms;

  char           **args;        /* the command's arguments, after its options */
  BeamConnection  *connection;  /* from _beam_cli_connect */
  GMainLoop       *loop;
  GAsyncResult    *result;      /* the last request's, kept by _beam_cli_stash */
} BeamCli;

typedef int (*BeamCliCommandFunc) (BeamCli *cli);

/* The CLI runs one request at a time: start it with _beam_cli_stash and
 * `cli` as its callback and data, then take its result from _beam_cli_wait. */
void            _beam_cli_stash          (GObject        *object,
                                          GAsyncResult   *result,
                                          gpointer        user_data);
GAsyncResult   *_beam_cli_wait           (BeamCli        *cli);
/* The same for the command's last request: the connection is closed. */
GAsyncResult   *_beam_cli_wait_and_close (BeamCli        *cli);
/* Connects `connection` to --node: 0, or the exit status once it printed
 * why not. */
int             _beam_cli_connect        (BeamCli        *cli);
/* The same, printing nothing: FALSE with `error` set, in G_OPTION_ERROR for
 * a usage error (no --node). */
gboolean        _beam_cli_try_connect    (BeamCli        *cli,
                                          GError        **error);
/* A monitoring plugin's failure: "BEAM UNKNOWN - reason" on stdout (what a
 * monitoring system reads), or with --json the usual one line on stderr, so
 * that stdout holds JSON or nothing; BEAM_CLI_EXIT_PLUGIN_UNKNOWN. */
int             _beam_cli_plugin_unknown (BeamCli        *cli,
                                          const char     *reason);

/* One line on stderr; the exit status to return. */
int             _beam_cli_fail           (const GError   *error);
int             _beam_cli_usage_error    (const char     *message);
/* -n N of the commands that list the biggest few: 0 if N is positive, else
 * the usage error's exit status. */
int             _beam_cli_check_count    (int             count);
/* --timeout if given, else `fallback`. */
guint           _beam_cli_timeout        (BeamCli        *cli,
                                          guint           fallback);

void            _beam_cli_print_json     (JsonNode       *node);
/* Prints what `builder` built: 0, the exit status. */
int             _beam_cli_print_builder  (JsonBuilder    *builder);
/* An integer member of the object `builder` is in. */
void            _beam_cli_add_int        (JsonBuilder    *builder,
                                          const char     *key,
                                          gint64          value);
/* The text output's "label   value" line. */
void            _beam_cli_append_cell    (GString        *line,
                                          const char     *text,
                                          int             width);
void            _beam_cli_print_row      (const char     *label,
                                          const char     *value);
/* A name as a terminal may show it: whatever a node sent or registered with
 * EPMD (valid UTF-8 by now), its control characters written as \xNN, so that
 * it cannot move the cursor, clear the screen or retitle the window. */
char           *_beam_cli_escape_controls (const char    *text);

/* The commands, by subject. */
int             _beam_cli_nodes          (BeamCli        *cli);
int             _beam_cli_cluster        (BeamCli        *cli);
int             _beam_cli_info           (BeamCli        *cli);

int             _beam_cli_procs          (BeamCli        *cli);
int             _beam_cli_top            (BeamCli        *cli);
int             _beam_cli_proc           (BeamCli        *cli);
int             _beam_cli_state          (BeamCli        *cli);

int             _beam_cli_sched          (BeamCli        *cli);

int             _beam_cli_memory         (BeamCli        *cli);
int             _beam_cli_alloc          (BeamCli        *cli);
int             _beam_cli_ets            (BeamCli        *cli);
int             _beam_cli_heaps          (BeamCli        *cli);
int             _beam_cli_binary_gc      (BeamCli        *cli);
int             _beam_cli_apps           (BeamCli        *cli);
int             _beam_cli_tree           (BeamCli        *cli);
int             _beam_cli_rows           (BeamCli        *cli);
int             _beam_cli_mnesia         (BeamCli        *cli);
int             _beam_cli_ports          (BeamCli        *cli);

int             _beam_cli_diagnose       (BeamCli        *cli);
int             _beam_cli_binleak        (BeamCli        *cli);

int             _beam_cli_trace          (BeamCli        *cli);

/* The options of one command each, NULL-terminated. */
extern GOptionEntry _beam_cli_top_options[];
extern GOptionEntry _beam_cli_state_options[];
extern GOptionEntry _beam_cli_sched_options[];
extern GOptionEntry _beam_cli_ets_options[];
extern GOptionEntry _beam_cli_heaps_options[];
extern GOptionEntry _beam_cli_binary_gc_options[];
extern GOptionEntry _beam_cli_nodes_options[];
extern GOptionEntry _beam_cli_cluster_options[];
extern GOptionEntry _beam_cli_tree_options[];
extern GOptionEntry _beam_cli_rows_options[];
extern GOptionEntry _beam_cli_diagnose_options[];
extern GOptionEntry _beam_cli_binleak_options[];
extern GOptionEntry _beam_cli_trace_options[];

G_END_DECLS
