/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "beam-connection.h"

G_BEGIN_DECLS

/* How many times slower our C runs in this build. Timing bounds test the design (a parse
 * linear in its text, samples that never wait for a whole fetch), not the machine: under
 * ASan and UBSan (tools/run-tests.sh's second build) they scale by this, and still fail an
 * algorithm that is quadratic or a thread that blocks. */
#if defined(__SANITIZE_ADDRESS__)
#define BEAM_TEST_SLOWDOWN 4
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define BEAM_TEST_SLOWDOWN 4
#endif
#endif
#ifndef BEAM_TEST_SLOWDOWN
#define BEAM_TEST_SLOWDOWN 1
#endif

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
  gboolean bare;        /* no fixture workload, only the stdin watcher */
  char    *join;        /* a cluster member: the node it connects to as it starts */
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
/* A cluster of `n` test nodes sharing one random cookie, started in parallel
 * (batches of 10: spawn, then wait for each ready file), each connected to
 * the first with net_kernel:connect_node/1 so the mesh forms; returns once
 * every node lists the n - 1 others (a GPtrArray of BeamTestNode, freeing
 * them). `bare` starts no fixture workload (the node only halts when our
 * pipe closes), for benchmarks. `extra_args` go to every node, e.g.
 * "-kernel", "prevent_overlapping_partitions", "false". */
GPtrArray    *beam_test_cluster_start     (guint               n,
                                           gboolean            bare,
                                           const char * const *extra_args,
                                           GError            **error);
/* One more node with the cluster's cookie and extra arguments, connected to
 * `seed` (a node joining later); added to `cluster`, which owns it. It
 * returns once net_kernel:connect_node(seed) is true; global then connects
 * the new node to the others in the background. */
BeamTestNode *beam_test_cluster_add       (GPtrArray          *cluster,
                                           BeamTestNode       *seed,
                                           GError            **error);
/* Evaluates Module:Function(Args) on the node with erl_call, an independent
 * client; Args is Erlang text such as "[\"/tmp/x\"]". Returns what erl_call printed. */
char         *beam_test_node_erl_call     (BeamTestNode       *node,
                                           const char         *module,
                                           const char         *function,
                                           const char         *args,
                                           GError            **error);
/* Sets what the hostile rex answers (fixtures/beamscope_hostile.erl, started
 * on the node with beamscope_hostile:start/0): "honest", "never", ... */
/* Evaluates module:function(args) on `node` through erl_call and asserts
 * that it answered `expect` (its printed term, white space trimmed). */
void          beam_test_node_call_expecting (BeamTestNode *node,
                                             const char   *module,
                                             const char   *function,
                                             const char   *args,
                                             const char   *expect);
void          beam_test_node_set_hostile_mode (BeamTestNode *node,
                                               const char   *mode);
/* Runs beamscope-cli --node NODE --cookie COOKIE --json ARGS... (NULL-terminated)
 * and returns what it printed, parsed; asserts it succeeded and said
 * nothing on stderr. */
JsonNode     *beam_test_node_cli_json     (BeamTestNode       *node,
                                           const char         *first_arg,
                                           ...) G_GNUC_NULL_TERMINATED;
/* Runs beamscope-cli --node NODE --cookie COOKIE ARGS... (NULL-terminated)
 * and returns what it printed on stdout; its exit status in *exit_status and
 * its stderr in *err unless NULL. */
char         *beam_test_node_cli          (BeamTestNode       *node,
                                           int                *exit_status,
                                           char              **err,
                                           const char         *first_arg,
                                           ...) G_GNUC_NULL_TERMINATED;

/* One run of beamscope-cli: what it printed, its exit status, how long it took. */
typedef struct
{
  int    status;
  char  *out;
  char  *err;
  double elapsed_ms;
} BeamTestRun;

void          beam_test_run_clear         (BeamTestRun        *run);
/* Runs beamscope-cli ARGS (a NULL-terminated vector) with `env` (NAME, VALUE
 * pairs, NULL-terminated; or NULL) added to ours, into `run`; asserts it
 * exited rather than died of a signal. */
void          beam_test_cli_run           (BeamTestRun        *run,
                                           const char * const *env,
                                           const char * const *args);

/* Every wait of the tests and benchmarks on the main loop goes through
 * beam_test_wait_until, so that none is unbounded: it runs the default main
 * context until predicate (data) holds, and if timeout_ms pass first it
 * fails the test there, naming the predicate and the line that waited. */
typedef gboolean (*BeamTestPredicate) (gpointer data);

#define beam_test_wait_until(predicate, data, timeout_ms) \
  beam_test_wait_until_at (__FILE__, __LINE__, G_STRFUNC, #predicate, \
                           (predicate), (data), (timeout_ms))
/* The same, until *flag is TRUE. */
#define beam_test_wait_for(flag, timeout_ms) \
  beam_test_wait_until_at (__FILE__, __LINE__, G_STRFUNC, "*" #flag, \
                           beam_test_flag_is_set, (flag), (timeout_ms))

void          beam_test_wait_until_at     (const char         *file,
                                           int                 line,
                                           const char         *func,
                                           const char         *what,
                                           BeamTestPredicate   predicate,
                                           gpointer            data,
                                           guint               timeout_ms);
gboolean      beam_test_flag_is_set       (gpointer            flag);
/* Runs the main context, blocking as the app's does, for ms. */
void          beam_test_run_for           (guint               ms);
/* For a benchmark that times each main-loop iteration: the waits above call
 * `iterate` (which runs one blocking iteration) in place of
 * g_main_context_iteration (NULL, TRUE); NULL goes back to that. */
typedef void (*BeamTestIterate) (void);
void          beam_test_set_iterate       (BeamTestIterate     iterate);

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

/* A "notify" handler counting the signals in the guint at user_data. */
void          beam_test_count_notify      (GObject            *object,
                                           GParamSpec         *pspec,
                                           gpointer            user_data);

/* A connection to the node, connected (or the test fails). */
BeamConnection *beam_test_node_connect    (BeamTestNode       *node);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BeamTestNode, beam_test_node_free)
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (BeamTestRun, beam_test_run_clear)

G_END_DECLS
