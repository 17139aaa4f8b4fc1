/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Issue 12's wire and CLI findings, each against a real node or a fake EPMD
 * and node port served here: a second rex answer, replies over their cap,
 * --timeout on every command, EPMD names, handshake failures, the cookie
 * out of ps, `sched` killed mid-sample, connect and request deadlines, and
 * the node-name pool. */

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "beam-connection-private.h"
#include "beam-test-node.h"
#include "beam-wire-error.h"

static BeamTestNode *shared_node;

/* ---- helpers ---------------------------------------------------------------- */

static BeamConnection *
connect_to (const char  *name,
            const char  *cookie,
            GError     **error)
{
  g_autoptr(BeamConnection) connection = beam_connection_new (name, cookie);
  BeamTestWait wait = { 0 };
  gboolean ok;

  beam_connection_connect_async (connection, 5000, NULL, beam_test_stash, &wait);
  beam_test_wait_for (&wait.done, 20000);
  ok = beam_connection_connect_finish (connection, wait.result, error);
  g_object_unref (wait.result);
  return ok ? g_steal_pointer (&connection) : NULL;
}

static BeamTerm *
call (BeamConnection *connection,
      BeamCall       *request,
      GError        **error)
{
  BeamTestWait wait = { 0 };
  BeamTerm *reply;

  beam_connection_call_async (connection, request, NULL, beam_test_stash, &wait);
  beam_test_wait_for (&wait.done, 60000);
  reply = beam_connection_call_finish (connection, wait.result, error);
  g_object_unref (wait.result);
  return reply;
}

static gint64
status_kb (const char *field)
{
  g_autofree char *status = NULL;
  const char *line;

  g_assert_true (g_file_get_contents ("/proc/self/status", &status, NULL, NULL));
  line = strstr (status, field);
  g_assert_nonnull (line);
  return g_ascii_strtoll (line + strlen (field) + 1, NULL, 10);
}

static char *
erl_call (BeamTestNode *node,
          const char   *function,
          const char   *args)
{
  g_autoptr(GError) error = NULL;
  char *out = beam_test_node_erl_call (node, "beamscope_fixture", function, args, &error);

  g_assert_no_error (error);
  return g_strstrip (out);
}

/* ---- a fake server: EPMD, or a node's port ------------------------------------ */

typedef struct
{
  int         fd;
  guint       port;
  GThread    *thread;
  gint        stop;
  GBytes     *answer;      /* written to each client once it said anything */
} FakeServer;

static gpointer
fake_server_run (gpointer data)
{
  FakeServer *server = data;

  while (!g_atomic_int_get (&server->stop))
    {
      struct pollfd pfd = { .fd = server->fd, .events = POLLIN };
      char request[512];
      gsize len;
      const char *answer;
      int client;

      if (poll (&pfd, 1, 100) <= 0)
        continue;
      client = accept (server->fd, NULL, NULL);
      if (client < 0)
        continue;
      /* Read what the client sends first (EPMD's request, a node's name). */
      pfd.fd = client;
      if (poll (&pfd, 1, 2000) > 0)
        (void) !recv (client, request, sizeof request, 0);
      answer = g_bytes_get_data (server->answer, &len);
      if (len > 0)
        (void) !send (client, answer, len, MSG_NOSIGNAL);
      close (client);
    }
  return NULL;
}

static FakeServer *
fake_server_new (GBytes *answer)
{
  FakeServer *server = g_new0 (FakeServer, 1);
  struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl (INADDR_LOOPBACK) };
  socklen_t sa_len = sizeof sa;

  server->fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  g_assert_cmpint (server->fd, >=, 0);
  g_assert_cmpint (bind (server->fd, (struct sockaddr *) &sa, sizeof sa), ==, 0);
  g_assert_cmpint (listen (server->fd, 16), ==, 0);
  g_assert_cmpint (getsockname (server->fd, (struct sockaddr *) &sa, &sa_len), ==, 0);
  server->port = ntohs (sa.sin_port);
  server->answer = answer;
  server->thread = g_thread_new ("fake-server", fake_server_run, server);
  return server;
}

static void
fake_server_free (FakeServer *server)
{
  g_atomic_int_set (&server->stop, TRUE);
  g_thread_join (server->thread);
  close (server->fd);
  g_bytes_unref (server->answer);
  g_free (server);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FakeServer, fake_server_free)

/* EPMD's NAMES answer: its port, then `text`. */
static FakeServer *
fake_epmd_new (const char *text,
               gsize       len)
{
  GByteArray *answer = g_byte_array_new ();
  const guint8 port[4] = { 0, 0, 0x11, 0x11 };

  g_byte_array_append (answer, port, 4);
  g_byte_array_append (answer, (const guint8 *) text, len);
  return fake_server_new (g_byte_array_free_to_bytes (answer));
}

/* ---- 4: a second {rex, _} ------------------------------------------------------- */

static void
count_message (const char *buf G_GNUC_UNUSED,
               gsize       len G_GNUC_UNUSED,
               gpointer    user_data)
{
  (*(guint *) user_data)++;
}

static void
test_rex_twice (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BeamConnection) connection = connect_to (shared_node->name, shared_node->cookie,
                                                     &error);
  g_autoptr(BeamTerm) reply = NULL;
  guint messages = 0;
  BeamCall request = {
    .module = "beamscope_fixture", .function = "rex_twice",
    .args = beam_term_new_list (2, beam_term_new_reply_pid (), beam_term_new_integer (3)),
    .timeout_ms = 5000, .on_message = count_message, .stream_data = &messages, .counted = TRUE,
  };

  g_assert_no_error (error);
  /* A counted call's first answer waits for its stream; a second one used to
   * replace it, unfreed, and the call waited on to its deadline. */
  reply = call (connection, &request, &error);
  g_assert_null (reply);
  g_assert_error (error, BEAM_WIRE_ERROR, BEAM_WIRE_ERROR_BAD_REPLY);
  g_assert_nonnull (strstr (error->message, "twice"));
}

/* ---- 5: replies over their cap ---------------------------------------------------- */

static void
assert_refused_bounded (BeamConnection *connection,
                        const char     *function,
                        gint64          size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BeamTerm) reply = NULL;
  gint64 rss_before;
  gint64 peak;
  FILE *clear_refs;
  BeamCall request = {
    .module = "beamscope_fixture", .function = function,
    .args = beam_term_new_list (1, beam_term_new_integer (size)), .timeout_ms = 30000,
  };

  /* The peak so far, down to what we hold now (g_file_set_contents would
   * write a file beside it and rename). */
  clear_refs = fopen ("/proc/self/clear_refs", "w");
  g_assert_nonnull (clear_refs);
  g_assert_cmpint (fputs ("5", clear_refs), >=, 0);
  g_assert_cmpint (fclose (clear_refs), ==, 0);
  rss_before = status_kb ("VmRSS:");
  reply = call (connection, &request, &error);
  peak = status_kb ("VmHWM:");
  g_assert_null (reply);
  g_assert_error (error, BEAM_WIRE_ERROR, BEAM_WIRE_ERROR_REPLY_TOO_BIG);
  g_assert_nonnull (strstr (error->message, "MB, more than the 8.0 MB"));
  g_test_message ("%s(%" G_GINT64_FORMAT "): peak RSS %" G_GINT64_FORMAT " kB over %"
                  G_GINT64_FORMAT " kB", function, size, peak - rss_before, rss_before);
  g_assert_cmpint (peak - rss_before, <, 32 * 1024);
}

static void
test_reply_cap (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BeamConnection) connection = connect_to (shared_node->name, shared_node->cookie,
                                                     &error);
  g_autoptr(BeamTerm) reply = NULL;
  g_autoptr(BeamTerm) node = NULL;
  BeamCall allowed = {
    .module = "beamscope_fixture", .function = "huge_binary",
    .args = beam_term_new_list (1, beam_term_new_integer (12 * 1024 * 1024)),
    .timeout_ms = 30000, .max_reply_bytes = 16 * 1024 * 1024,
  };

  g_assert_no_error (error);
  /* 200 MB of binary, 10 million integers: refused from the frame's length,
   * read past in pieces, never held whole. */
  assert_refused_bounded (connection, "huge_binary", 200 * 1024 * 1024);
  assert_refused_bounded (connection, "huge_list", 10 * 1000 * 1000);

  /* The stream is still in step, and a call that may take more gets it. */
  node = call (connection, &(BeamCall) { .module = "erlang", .function = "node" }, &error);
  g_assert_no_error (error);
  g_assert_true (beam_term_is_atom (node, shared_node->name));
  reply = call (connection, &allowed, &error);
  g_assert_no_error (error);
  g_assert_cmpint (reply->kind, ==, BEAM_TERM_BINARY);
  g_assert_cmpuint (reply->v.bytes.size, ==, 12 * 1024 * 1024);
}

/* ---- 7: --timeout, every command --------------------------------------------------- */

static void
test_cli_timeout (void)
{
  static const char * const commands[][4] = {
    { "info" }, { "procs" }, { "top" }, { "proc", "beamscope_cache" },
    { "state", "beamscope_cache" }, { "sched", "--ms", "500" }, { "memory" }, { "alloc" },
    { "ets" }, { "rows", "beamscope_cache_tab" }, { "mnesia" }, { "heaps" }, { "apps" },
    { "tree", "kernel" }, { "ports" },
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(BeamTestNode) node = beam_test_node_start (NULL, &error);
  g_autofree char *suspended = NULL;

  g_assert_no_error (error);
  /* rex takes every call and answers none, as a node too busy to. */
  suspended = erl_call (node, "suspend_rex", "[120000]");
  g_assert_cmpstr (suspended, ==, "ok");

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_auto(BeamTestRun) run = { 0 };
      const char *args[12] = { "--node", node->name, "--cookie-file", node->cookie_file,
                               "--timeout", "1500" };
      guint n = 6;

      for (guint k = 0; k < G_N_ELEMENTS (commands[i]) && commands[i][k] != NULL; k++)
        args[n++] = commands[i][k];
      beam_test_cli_run (&run, NULL, args);
      g_test_message ("%s: %d after %.0f ms: %s", commands[i][0], run.status, run.elapsed_ms,
                      run.err);
      g_assert_cmpint (run.status, ==, 1);
      g_assert_nonnull (strcasestr (run.err, "timed out"));
      /* Connecting waits up to 2 s for net_ticktime, which rex answers. */
      g_assert_cmpfloat (run.elapsed_ms, <, 1500 + 500 + 2000 + 2500);
    }
}

/* ---- 9: EPMD's names -------------------------------------------------------------- */

static void
test_epmd_names (void)
{
  static const char names[] = "name good at port 4000\n"
                              "name evil\033]0;owned\007\033[2J at port 4001\n"
                              "name bad\xff\xfeutf8 at port 4002\n";
  g_autoptr(FakeServer) epmd = fake_epmd_new (names, sizeof names - 1);
  g_autoptr(FakeServer) garbage = fake_epmd_new ("HTTP/1.1 400 Bad Request\r\n\r\n", 28);
  g_autofree char *port = g_strdup_printf ("%u", epmd->port);
  g_autofree char *garbage_port = g_strdup_printf ("%u", garbage->port);
  const char * const env[] = { "ERL_EPMD_PORT", port, NULL };
  const char * const garbage_env[] = { "ERL_EPMD_PORT", garbage_port, NULL };
  g_auto(BeamTestRun) text = { 0 };
  g_auto(BeamTestRun) json = { 0 };
  g_auto(BeamTestRun) refused = { 0 };

  beam_test_cli_run (&text, env, (const char * const[]) { "nodes", "127.0.0.1", NULL });
  g_assert_cmpint (text.status, ==, 0);
  g_assert_null (strchr (text.out, '\033'));
  g_assert_null (strchr (text.out, '\007'));
  g_assert_nonnull (strstr (text.out, "evil\\x1b]0;owned\\x07\\x1b[2J"));
  g_assert_true (g_utf8_validate (text.out, -1, NULL));

  beam_test_cli_run (&json, env, (const char * const[]) { "nodes", "127.0.0.1", "--json", NULL });
  g_assert_cmpint (json.status, ==, 0);
  g_assert_true (g_utf8_validate (json.out, -1, NULL));
  g_assert_nonnull (strstr (json.out, "\"good\""));

  /* Not a list of names: an error, not an empty list. */
  beam_test_cli_run (&refused, garbage_env,
                     (const char * const[]) { "nodes", "127.0.0.1", "--json", NULL });
  g_assert_cmpint (refused.status, ==, 1);
  g_assert_nonnull (strstr (refused.err, "not a list of node names"));
  g_assert_cmpstr (refused.out, ==, "");
}

/* ---- 10: a node port that is no node ------------------------------------------------ */

static void
assert_handshake_error (GBytes     *port_answer,
                        const char *must_contain)
{
  g_autoptr(FakeServer) node_port = fake_server_new (port_answer);
  g_autofree char *names = g_strdup_printf ("name fake at port %u\n", node_port->port);
  g_autoptr(FakeServer) epmd = fake_epmd_new (names, strlen (names));
  g_autofree char *epmd_port = g_strdup_printf ("%u", epmd->port);
  const char * const env[] = { "ERL_EPMD_PORT", epmd_port, NULL };
  g_auto(BeamTestRun) run = { 0 };

  /* In a child, as ERL_EPMD_PORT is read from the environment, which this
   * process may not change now that it has threads. */
  beam_test_cli_run (&run, env, (const char * const[]) { "--node", "fake@localhost",
                                                          "--cookie", "c", "memory", NULL });
  g_test_message ("%s", run.err);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_null (strstr (run.err, "cookie"));
  g_assert_nonnull (strstr (run.err, must_contain));
}

static void
test_handshake_closed (void)
{
  assert_handshake_error (g_bytes_new_static ("", 0), "closed the connection");
}

static void
test_handshake_garbage (void)
{
  static const char garbage[] = "HTTP/1.1 400 Bad Request\r\n\r\n";

  assert_handshake_error (g_bytes_new_static (garbage, sizeof garbage - 1),
                          "does not speak the Erlang distribution protocol");
}

/* ---- 11: the cookie ------------------------------------------------------------------ */

static void
test_cookie_env (void)
{
  g_autofree char *home = g_dir_make_tmp ("beamscope-home-XXXXXX", NULL);
  const char * const env[] = { "BEAMSCOPE_COOKIE", shared_node->cookie, "HOME", home,
                               "XDG_CONFIG_HOME", home, NULL };
  g_auto(BeamTestRun) run = { 0 };

  /* No --cookie, no cookie file at all: the environment's. */
  beam_test_cli_run (&run, env, (const char * const[]) { "--node", shared_node->name,
                                                          "--json", "memory", NULL });
  g_assert_cmpstr (run.err, ==, "");
  g_assert_cmpint (run.status, ==, 0);
  g_rmdir (home);
}

static void
test_cookie_not_in_ps (void)
{
  const char *argv[] = { g_getenv ("BEAMSCOPE_CLI"), "--node", shared_node->name, "--cookie",
                         shared_node->cookie, "sched", "--ms", "3000", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) cli = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_SILENCE,
                                                  &error);
  g_autofree char *path = NULL;
  g_autofree char *cmdline = NULL;
  gsize len = 0;

  g_assert_no_error (error);
  path = g_strdup_printf ("/proc/%s/cmdline", g_subprocess_get_identifier (cli));
  /* Once it connected (it is asleep in the sample by now), ps shows
   * no cookie. */
  beam_test_run_for (1500);
  g_assert_true (g_file_get_contents (path, &cmdline, &len, NULL));
  for (gsize i = 0; i < len; i++)
    if (cmdline[i] == '\0')
      cmdline[i] = ' ';
  g_test_message ("cmdline: %s", cmdline);
  g_assert_nonnull (strstr (cmdline, "sched"));
  g_assert_null (strstr (cmdline, shared_node->cookie));
  g_assert_true (g_subprocess_wait_check (cli, NULL, &error));
  g_assert_no_error (error);
}

/* ---- 14: sched leaves nothing ------------------------------------------------------- */

static gboolean
sched_started (gpointer data)
{
  g_autofree char *count = erl_call (data, "count_sched_helpers", "[]");

  return g_str_equal (count, "{2, true}");
}

static gboolean
sched_gone (gpointer data)
{
  g_autofree char *count = erl_call (data, "count_sched_helpers", "[]");

  return g_str_equal (count, "{0, false}");
}

static void
test_sched_killed (void)
{
  const char *argv[] = { g_getenv ("BEAMSCOPE_CLI"), "--node", shared_node->name,
                         "--cookie-file", shared_node->cookie_file, "sched", "--ms", "8000",
                         NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) cli = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_SILENCE,
                                                  &error);
  gint64 killed;

  g_assert_no_error (error);
  beam_test_wait_until (sched_started, shared_node, 10000);
  g_subprocess_force_exit (cli);
  killed = g_get_monotonic_time ();
  g_assert_false (g_subprocess_wait (cli, NULL, NULL) && g_subprocess_get_if_exited (cli));
  /* The node sees the connection close at once; the sampler dies with it,
   * and the flag with the sampler. */
  beam_test_wait_until (sched_gone, shared_node, 3000);
  g_test_message ("gone %.0f ms after the kill", (g_get_monotonic_time () - killed) / 1000.0);
}

static void
test_sched_bounded (void)
{
  g_auto(BeamTestRun) run = { 0 };

  beam_test_cli_run (&run, NULL, (const char * const[]) { "--node", shared_node->name,
                                                           "sched", "--ms", "2147483647",
                                                           NULL });
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "--ms"));
}

/* ---- 18: connect and request deadlines; the name pool --------------------------------- */

static void
test_connect_not_request_timeout (void)
{
  g_auto(BeamTestRun) run = { 0 };
  g_autoptr(GError) error = NULL;

  /* A millisecond is no time to connect in, but it is the question's; and
   * the question is never answered (a fast node may answer within 1 ms). */
  g_free (beam_test_node_erl_call (shared_node, "beamscope_hostile", "start", "[]", &error));
  g_assert_no_error (error);
  beam_test_node_set_hostile_mode (shared_node, "never");
  beam_test_cli_run (&run, NULL, (const char * const[]) { "--node", shared_node->name,
                                                           "--cookie-file",
                                                           shared_node->cookie_file,
                                                           "--timeout", "1",
                                                           "state", "beamscope_cache", NULL });
  g_free (beam_test_node_erl_call (shared_node, "beamscope_hostile", "stop", "[]", &error));
  g_assert_no_error (error);
  g_test_message ("%s", run.err);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_null (strstr (run.err, "handshake"));
  g_assert_nonnull (strstr (run.err, "did not answer"));
}

static void
test_names_exhausted (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BeamTestNode) node = beam_test_node_start (NULL, &error);
  g_autoptr(GPtrArray) connections = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(BeamConnection) ninth = NULL;

  g_assert_no_error (error);
  for (guint i = 0; i < 8; i++)
    {
      BeamConnection *connection = connect_to (node->name, node->cookie, &error);

      g_assert_no_error (error);
      g_ptr_array_add (connections, connection);
    }
  ninth = connect_to (node->name, node->cookie, &error);
  g_assert_null (ninth);
  g_assert_error (error, BEAM_WIRE_ERROR, BEAM_WIRE_ERROR_NAMES_IN_USE);
  g_assert_null (strstr (error->message, "cookie"));
  g_clear_error (&error);

  /* The right cookie is still told apart from a wrong one. */
  g_ptr_array_set_size (connections, 7);
  ninth = connect_to (node->name, "not-the-cookie", &error);
  g_assert_null (ninth);
  g_assert_error (error, BEAM_WIRE_ERROR, BEAM_WIRE_ERROR_COOKIE_REJECTED);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  g_assert_true (beam_connection_init_process (NULL));

  shared_node = beam_test_node_start (NULL, &error);
  g_assert_no_error (error);

  g_test_add_func ("/hardening-wire/rex-twice", test_rex_twice);
  g_test_add_func ("/hardening-wire/reply-cap", test_reply_cap);
  g_test_add_func ("/hardening-wire/cli-timeout", test_cli_timeout);
  g_test_add_func ("/hardening-wire/epmd-names", test_epmd_names);
  g_test_add_func ("/hardening-wire/handshake-closed", test_handshake_closed);
  g_test_add_func ("/hardening-wire/handshake-garbage", test_handshake_garbage);
  g_test_add_func ("/hardening-wire/cookie-env", test_cookie_env);
  g_test_add_func ("/hardening-wire/cookie-not-in-ps", test_cookie_not_in_ps);
  g_test_add_func ("/hardening-wire/sched-killed", test_sched_killed);
  g_test_add_func ("/hardening-wire/sched-bounded", test_sched_bounded);
  g_test_add_func ("/hardening-wire/connect-not-request-timeout",
                   test_connect_not_request_timeout);
  g_test_add_func ("/hardening-wire/names-exhausted", test_names_exhausted);

  status = g_test_run ();
  beam_test_node_free (shared_node);
  return status;
}
