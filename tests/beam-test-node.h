/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "beam-connection.h"

G_BEGIN_DECLS

/* A real Erlang node for a test: random name and cookie, the fixture workload
 * (tests/fixtures/beamscope_fixture.erl) loaded and started. The node holds
 * our pipe as its stdin and halts when it closes, so a crashed test leaves
 * nothing running. */

typedef struct
{
  char  *name;         /* alive@host */
  char  *alive;
  char  *cookie;
  char  *cookie_file;  /* mode 0400, holding `cookie` */
  char  *dir;          /* scratch folder, removed on free */
  GPid   pid;
  int    stdin_fd;
  char **extra_args;
  gboolean long_names;  /* -name alive@127.0.0.1 instead of -sname */
} BeamTestNode;

/* `extra_args` are added to erl's command line (NULL-terminated), e.g.
 * "-kernel", "net_ticktime", "4". */
BeamTestNode *beam_test_node_start        (const char * const *extra_args,
                                           GError            **error);
BeamTestNode *beam_test_node_start_long   (GError            **error);
/* Starts again under the same name and cookie after a kill. */
gboolean      beam_test_node_restart      (BeamTestNode       *node,
                                           GError            **error);
void          beam_test_node_kill         (BeamTestNode       *node,
                                           int                 signal_number);
void          beam_test_node_free         (BeamTestNode       *node);
/* Evaluates Module:Function(Args) on the node with erl_call, an independent
 * client; Args is Erlang text such as "[\"/tmp/x\"]". Returns what erl_call printed. */
char         *beam_test_node_erl_call     (BeamTestNode       *node,
                                           const char         *module,
                                           const char         *function,
                                           const char         *args,
                                           GError            **error);
/* Runs beamscope-cli --node NODE --cookie COOKIE --json ARGS... (NULL-terminated)
 * and returns what it printed, parsed; asserts it succeeded and said
 * nothing on stderr. */
JsonNode     *beam_test_node_cli_json     (BeamTestNode       *node,
                                           const char         *first_arg,
                                           ...) G_GNUC_NULL_TERMINATED;

/* An async call's result, caught by beam_test_stash() (the callback, with
 * the BeamTestWait as user data) and waited for with beam_test_wait_for
 * (&wait.done, ...). The caller unrefs wait.result. */
typedef struct
{
  gboolean      done;
  GAsyncResult *result;
} BeamTestWait;

void          beam_test_stash             (GObject            *object,
                                           GAsyncResult       *result,
                                           gpointer            user_data);

/* Runs the main context until *flag is TRUE or timeout_ms passes. */
gboolean      beam_test_wait_for          (gboolean           *flag,
                                           guint               timeout_ms);
/* Runs the main context, blocking as the app's does, for ms. */
void          beam_test_run_for           (guint               ms);

/* A connection to the node, connected (or the test fails). */
BeamConnection *beam_test_node_connect    (BeamTestNode       *node);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BeamTestNode, beam_test_node_free)

G_END_DECLS
