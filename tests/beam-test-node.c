/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "beam-connection.h"
#include "beam-epmd.h"
#include "beam-test-node.h"

#define START_TIMEOUT_MS 20000

/* A failed assertion aborts the test before it can stop its nodes; a stopped
 * (SIGSTOP) node would not even notice its stdin closing. So on abort, kill
 * every node still running, with async-signal-safe calls only. */
#define MAX_LIVE_NODES 128
static volatile GPid live_nodes[MAX_LIVE_NODES];

static void
on_abort (int signal_number)
{
  for (guint i = 0; i < MAX_LIVE_NODES; i++)
    if (live_nodes[i] > 0)
      kill (live_nodes[i], SIGKILL);
  signal (signal_number, SIG_DFL);
  raise (signal_number);
}

static void
track_node (GPid old_pid,
            GPid new_pid)
{
  static gsize installed;

  if (g_once_init_enter (&installed))
    {
      signal (SIGABRT, on_abort);
      signal (SIGTRAP, on_abort);
      g_once_init_leave (&installed, 1);
    }
  for (guint i = 0; i < MAX_LIVE_NODES; i++)
    if (live_nodes[i] == old_pid)
      {
        live_nodes[i] = new_pid;
        return;
      }
}

static const char *
fixtures_ebin (void)
{
  const char *dir = g_getenv ("BEAMSCOPE_FIXTURES_EBIN");

  g_assert_nonnull (dir);
  return dir;
}

static char *
random_token (guint length)
{
  static const char alphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
  GString *token = g_string_new (NULL);

  for (guint i = 0; i < length; i++)
    g_string_append_c (token, alphabet[g_random_int_range (0, sizeof alphabet - 1)]);
  return g_string_free (token, FALSE);
}

static char *
short_hostname (void)
{
  char host[256] = "";
  char *dot;

  gethostname (host, sizeof host - 1);
  dot = strchr (host, '.');
  if (dot != NULL)
    *dot = '\0';
  return g_strdup (host);
}

/* The -eval that makes a node ready: joining `node->join` first if it has
 * one (a cluster member; the node halts if that fails, and the log says why),
 * then writing its ready file. With mesh_others > 0 it also writes a "meshed"
 * file once it lists that many visible nodes (it stops looking after a minute). */
static char *
ready_eval (BeamTestNode *node,
            guint         mesh_others)
{
  g_autofree char *ready = g_build_filename (node->dir, "ready", NULL);
  g_autofree char *meshed = g_build_filename (node->dir, "meshed", NULL);
  GString *eval = g_string_new (NULL);

  if (node->join != NULL)
    g_string_append_printf (eval, "true = net_kernel:connect_node('%s'), ", node->join);
  g_string_append_printf (eval, "ok = file:write_file(\"%s\", <<>>)", ready);
  if (mesh_others > 0)
    g_string_append_printf (eval,
                            ", spawn(fun () -> Look = fun Look(0) -> gave_up; "
                            "Look(Left) -> case length(nodes()) >= %u of "
                            "true -> file:write_file(\"%s\", <<>>); "
                            "false -> timer:sleep(50), Look(Left - 1) end end, "
                            "Look(1200) end)",
                            mesh_others, meshed);
  g_string_append (eval, ".");
  return g_string_free (eval, FALSE);
}

/* Starts erl for `node` and returns at once; wait_until_ready() waits for it. */
static gboolean
spawn_node (BeamTestNode  *node,
            guint          mesh_others,
            GError       **error)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *ready = g_build_filename (node->dir, "ready", NULL);
  g_autofree char *meshed = g_build_filename (node->dir, "meshed", NULL);
  g_autofree char *eval = ready_eval (node, mesh_others);
  g_autofree char *log = g_build_filename (node->dir, "node.log", NULL);
  int log_fd;

  g_unlink (ready);
  g_unlink (meshed);
  g_ptr_array_add (argv, (char *) "erl");
  g_ptr_array_add (argv, node->long_names ? (char *) "-name" : (char *) "-sname");
  g_ptr_array_add (argv, node->long_names ? node->name : node->alive);
  g_ptr_array_add (argv, (char *) "-setcookie");
  g_ptr_array_add (argv, node->cookie);
  g_ptr_array_add (argv, (char *) "-noshell");
  g_ptr_array_add (argv, (char *) "-pa");
  g_ptr_array_add (argv, (char *) fixtures_ebin ());
  for (guint i = 0; node->extra_args != NULL && node->extra_args[i] != NULL; i++)
    g_ptr_array_add (argv, node->extra_args[i]);
  g_ptr_array_add (argv, (char *) "-s");
  g_ptr_array_add (argv, (char *) "beamscope_fixture");
  g_ptr_array_add (argv, (char *) "watch_stdin");
  if (!node->bare)
    {
      g_ptr_array_add (argv, (char *) "-s");
      g_ptr_array_add (argv, (char *) "beamscope_fixture");
      g_ptr_array_add (argv, (char *) "start");
    }
  g_ptr_array_add (argv, (char *) "-eval");
  g_ptr_array_add (argv, eval);
  g_ptr_array_add (argv, NULL);

  log_fd = open (log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (!g_spawn_async_with_pipes_and_fds (node->dir, (const char * const *) argv->pdata, NULL,
                                         G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD,
                                         NULL, NULL, -1, log_fd, log_fd, NULL, NULL, 0,
                                         &node->pid, &node->stdin_fd, NULL, NULL, error))
    {
      close (log_fd);
      return FALSE;
    }
  close (log_fd);
  track_node (0, node->pid);
  return TRUE;
}

/* Waits until the node has written `file` (in its folder), failing if it
 * exits first (with its log) or once `deadline` (monotonic) has passed. */
static gboolean
wait_for_file (BeamTestNode  *node,
               const char    *file,
               gint64         deadline,
               GError       **error)
{
  g_autofree char *path = g_build_filename (node->dir, file, NULL);

  while (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      int status;
      if (waitpid (node->pid, &status, WNOHANG) == node->pid)
        {
          g_autofree char *log = g_build_filename (node->dir, "node.log", NULL);
          g_autofree char *text = NULL;

          g_file_get_contents (log, &text, NULL, NULL);
          track_node (node->pid, 0);
          node->pid = 0;
          g_set_error (error, G_SPAWN_ERROR, G_SPAWN_ERROR_FAILED,
                       "erl (%s) exited before it was %s: %s", node->name, file,
                       text ? text : "");
          return FALSE;
        }
      if (g_get_monotonic_time () > deadline)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "erl (%s) was not %s in time",
                       node->name, file);
          return FALSE;
        }
      g_usleep (20 * 1000);
    }
  return TRUE;
}

static gboolean
spawn_node_and_wait (BeamTestNode  *node,
                     GError       **error)
{
  return spawn_node (node, 0, error) &&
         wait_for_file (node, "ready", g_get_monotonic_time () + START_TIMEOUT_MS * 1000, error);
}

/* A node not started yet, with a random name; a random cookie unless `cookie`. */
static BeamTestNode *
new_node (gboolean             long_names,
          const char          *cookie,
          const char * const  *extra_args,
          GError             **error)
{
  g_autoptr(BeamTestNode) node = g_new0 (BeamTestNode, 1);
  g_autofree char *host = long_names ? g_strdup ("127.0.0.1") : short_hostname ();
  g_autofree char *token = random_token (8);

  node->stdin_fd = -1;
  node->long_names = long_names;
  node->alive = g_strdup_printf ("bst_%s", token);
  node->name = g_strdup_printf ("%s@%s", node->alive, host);
  node->cookie = cookie != NULL ? g_strdup (cookie) : random_token (20);
  node->extra_args = g_strdupv ((char **) extra_args);
  node->dir = g_dir_make_tmp ("beamscope-node-XXXXXX", error);
  if (node->dir == NULL)
    return NULL;
  node->cookie_file = g_build_filename (node->dir, "cookie", NULL);
  if (!g_file_set_contents_full (node->cookie_file, node->cookie, -1,
                                 G_FILE_SET_CONTENTS_NONE, 0400, error))
    return NULL;
  return g_steal_pointer (&node);
}

static BeamTestNode *
start_node (gboolean             long_names,
            const char * const  *extra_args,
            GError             **error)
{
  g_autoptr(BeamTestNode) node = new_node (long_names, NULL, extra_args, error);

  if (node == NULL || !spawn_node_and_wait (node, error))
    return NULL;
  return g_steal_pointer (&node);
}

BeamTestNode *
beam_test_node_start (const char * const  *extra_args,
                      GError             **error)
{
  return start_node (FALSE, extra_args, error);
}

BeamTestNode *
beam_test_node_start_long (GError **error)
{
  return start_node (TRUE, NULL, error);
}

/* A cluster starts its nodes this many at a time, so that a 2-core box is
 * not swamped: 10 take about 3 s there (docs/plans/cluster.md, (d)). */
#define CLUSTER_BATCH 10
#define CLUSTER_BATCH_TIMEOUT_MS 60000
#define CLUSTER_MESH_TIMEOUT_MS 60000

GPtrArray *
beam_test_cluster_start (guint                n,
                         gboolean             bare,
                         const char * const  *extra_args,
                         GError             **error)
{
  g_autoptr(GPtrArray) cluster =
    g_ptr_array_new_with_free_func ((GDestroyNotify) beam_test_node_free);
  g_autofree char *cookie = random_token (20);
  BeamTestNode *seed;
  gint64 deadline;

  g_return_val_if_fail (n >= 1 && n <= MAX_LIVE_NODES, NULL);
  for (guint i = 0; i < n; i++)
    {
      BeamTestNode *node = new_node (FALSE, cookie, extra_args, error);

      if (node == NULL)
        return NULL;
      node->bare = bare;
      if (i > 0)
        node->join = g_strdup (((BeamTestNode *) cluster->pdata[0])->name);
      g_ptr_array_add (cluster, node);
    }

  /* The seed first, since every other node joins it as it starts. */
  seed = cluster->pdata[0];
  if (!spawn_node (seed, n - 1, error) ||
      !wait_for_file (seed, "ready", g_get_monotonic_time () + START_TIMEOUT_MS * 1000, error))
    return NULL;
  for (guint first = 1; first < n; first += CLUSTER_BATCH)
    {
      guint end = MIN (first + CLUSTER_BATCH, n);

      for (guint i = first; i < end; i++)
        if (!spawn_node (cluster->pdata[i], n - 1, error))
          return NULL;
      deadline = g_get_monotonic_time () + CLUSTER_BATCH_TIMEOUT_MS * 1000;
      for (guint i = first; i < end; i++)
        if (!wait_for_file (cluster->pdata[i], "ready", deadline, error))
          return NULL;
    }

  /* Joining the seed is not the mesh yet: global connects the rest after. */
  deadline = g_get_monotonic_time () + CLUSTER_MESH_TIMEOUT_MS * 1000;
  for (guint i = 0; n > 1 && i < n; i++)
    if (!wait_for_file (cluster->pdata[i], "meshed", deadline, error))
      return NULL;
  return g_steal_pointer (&cluster);
}

BeamTestNode *
beam_test_cluster_add (GPtrArray     *cluster,
                       BeamTestNode  *seed,
                       GError       **error)
{
  BeamTestNode *first;
  g_autoptr(BeamTestNode) node = NULL;

  g_return_val_if_fail (cluster != NULL && cluster->len > 0, NULL);
  g_return_val_if_fail (seed != NULL && seed->pid > 0, NULL);
  first = cluster->pdata[0];
  node = new_node (first->long_names, first->cookie, (const char * const *) first->extra_args,
                   error);
  if (node == NULL)
    return NULL;
  node->bare = first->bare;
  node->join = g_strdup (seed->name);
  if (!spawn_node_and_wait (node, error))
    return NULL;
  g_ptr_array_add (cluster, node);
  return g_steal_pointer (&node);
}

static void
reap (BeamTestNode *node)
{
  if (node->stdin_fd >= 0)
    close (node->stdin_fd);
  node->stdin_fd = -1;
  if (node->pid > 0)
    {
      waitpid (node->pid, NULL, 0);
      g_spawn_close_pid (node->pid);
      track_node (node->pid, 0);
    }
  node->pid = 0;
}

/* kill() returns before every thread of the node has stopped; a test that
 * then expects silence must wait until the kernel says the node is stopped. */
static void
wait_until_stopped (GPid pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/stat", (int) pid);

  for (int i = 0; i < 200; i++)
    {
      g_autofree char *stat = NULL;
      const char *state;

      if (g_file_get_contents (path, &stat, NULL, NULL) &&
          (state = strrchr (stat, ')')) != NULL && state[1] == ' ' && state[2] == 'T')
        return;
      g_usleep (10 * 1000);
    }
  g_error ("node %d did not stop", (int) pid);
}

void
beam_test_node_kill (BeamTestNode *node,
                     int           signal_number)
{
  g_assert_cmpint (node->pid, >, 0);
  kill (node->pid, signal_number);
  if (signal_number == SIGKILL || signal_number == SIGTERM)
    reap (node);
  else if (signal_number == SIGSTOP)
    wait_until_stopped (node->pid);
}

gboolean
beam_test_node_restart (BeamTestNode  *node,
                        GError       **error)
{
  reap (node);
  return spawn_node_and_wait (node, error);
}

void
beam_test_node_free (BeamTestNode *node)
{
  if (node == NULL)
    return;

  if (node->pid > 0)
    {
      kill (node->pid, SIGCONT);
      /* Closing stdin halts the node; SIGKILL if it does not go in 5 s. */
      if (node->stdin_fd >= 0)
        close (node->stdin_fd);
      node->stdin_fd = -1;
      for (int i = 0; i < 250; i++)
        {
          if (waitpid (node->pid, NULL, WNOHANG) == node->pid)
            {
              track_node (node->pid, 0);
              node->pid = 0;
              break;
            }
          g_usleep (20 * 1000);
        }
      if (node->pid > 0)
        beam_test_node_kill (node, SIGKILL);
    }

  if (node->dir != NULL)
    {
      g_autoptr(GDir) dir = g_dir_open (node->dir, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *path = g_build_filename (node->dir, name, NULL);
          g_unlink (path);
        }
      g_rmdir (node->dir);
    }

  g_free (node->name);
  g_free (node->alive);
  g_free (node->cookie);
  g_free (node->cookie_file);
  g_free (node->dir);
  g_strfreev (node->extra_args);
  g_free (node->join);
  g_free (node);
}

char *
beam_test_node_erl_call (BeamTestNode  *node,
                         const char    *module,
                         const char    *function,
                         const char    *args,
                         GError       **error)
{
  const char *erl_call = g_getenv ("BEAMSCOPE_ERL_CALL");
  const char *argv[] = { erl_call, node->long_names ? "-name" : "-sname", node->name,
                         "-c", node->cookie, "-a", NULL, NULL };
  g_autofree char *apply = g_strdup_printf ("%s %s %s", module, function, args);
  char *out = NULL;
  g_autofree char *err = NULL;
  int status;

  g_assert_nonnull (erl_call);
  argv[6] = apply;
  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status,
                     error))
    return NULL;
  if (!g_spawn_check_wait_status (status, error))
    {
      g_prefix_error (error, "erl_call: %s: ", err);
      g_free (out);
      return NULL;
    }
  return out;
}

static gboolean
on_wait_timeout (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* beamscope-cli --node NODE --cookie COOKIE [--json] ARGS...: what it printed. */
static char *
node_cli_va (BeamTestNode *node,
             gboolean      json,
             int          *wait_status,
             char        **err,
             const char   *first_arg,
             va_list       args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  char *out = NULL;

  g_ptr_array_add (argv, (char *) g_getenv ("BEAMSCOPE_CLI"));
  g_ptr_array_add (argv, (char *) "--node");
  g_ptr_array_add (argv, node->name);
  g_ptr_array_add (argv, (char *) "--cookie");
  g_ptr_array_add (argv, node->cookie);
  if (json)
    g_ptr_array_add (argv, (char *) "--json");
  for (const char *arg = first_arg; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (char *) arg);
  g_ptr_array_add (argv, NULL);

  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               &out, err, wait_status, &error));
  g_assert_no_error (error);
  return out;
}

JsonNode *
beam_test_node_cli_json (BeamTestNode *node,
                         const char   *first_arg,
                         ...)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  va_list args;
  int status;

  va_start (args, first_arg);
  out = node_cli_va (node, TRUE, &status, &err, first_arg, args);
  va_end (args);

  g_assert_cmpstr (err, ==, "");
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_assert_true (json_parser_load_from_data (parser, out, -1, &error));
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

char *
beam_test_node_cli (BeamTestNode *node,
                    int          *exit_status,
                    char        **err,
                    const char   *first_arg,
                    ...)
{
  va_list args;
  char *out;
  int status;

  va_start (args, first_arg);
  out = node_cli_va (node, FALSE, &status, err, first_arg, args);
  va_end (args);
  if (exit_status != NULL)
    *exit_status = WEXITSTATUS (status);
  return out;
}

void
beam_test_run_clear (BeamTestRun *run)
{
  g_free (run->out);
  g_free (run->err);
}

void
beam_test_cli_run (BeamTestRun        *run,
                   const char * const *env,
                   const char * const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_auto(GStrv) envp = g_get_environ ();
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();
  int wait_status;

  g_ptr_array_add (argv, (char *) g_getenv ("BEAMSCOPE_CLI"));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);
  for (guint i = 0; env != NULL && env[i] != NULL; i += 2)
    envp = g_environ_setenv (envp, env[i], env[i + 1], TRUE);

  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, envp, G_SPAWN_DEFAULT, NULL, NULL,
                               &run->out, &run->err, &wait_status, &error));
  g_assert_no_error (error);
  run->elapsed_ms = (g_get_monotonic_time () - start) / 1000.0;
  g_assert_true (WIFEXITED (wait_status));
  run->status = WEXITSTATUS (wait_status);
}

void
beam_test_count_notify (GObject    *object G_GNUC_UNUSED,
                        GParamSpec *pspec G_GNUC_UNUSED,
                        gpointer    user_data)
{
  (*(guint *) user_data)++;
}

void
beam_test_stash (GObject      *object G_GNUC_UNUSED,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  BeamTestWait *wait = user_data;

  /* Results arrive in the thread that waits for them, never elsewhere. */
  g_assert_true (g_main_context_is_owner (g_main_context_default ()));
  wait->result = g_object_ref (result);
  wait->done = TRUE;
}

static BeamTestIterate iterate_hook;

void
beam_test_set_iterate (BeamTestIterate iterate)
{
  iterate_hook = iterate;
}

/* Wakes a blocked iteration at least this often, so that a predicate
 * reading what another thread changes is looked at again. */
#define WAIT_TICK_MS 20

static gboolean
on_wait_tick (gpointer user_data G_GNUC_UNUSED)
{
  return G_SOURCE_CONTINUE;
}

/* The one loop: TRUE once predicate (data) holds (never, for a NULL
 * predicate), FALSE when timeout_ms have passed. */
static gboolean
iterate_until (BeamTestPredicate predicate,
               gpointer          data,
               guint             timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  gboolean timed_out = FALSE;
  guint timeout_id = g_timeout_add (timeout_ms, on_wait_timeout, &timed_out);
  /* A predicate is looked at again at least every tick; a plain wait needs
   * no tick, and must not add one: the benchmarks measure the GTK thread's
   * CPU through such waits, and 50 wake-ups a second are most of it. */
  guint tick_id = predicate != NULL ? g_timeout_add (WAIT_TICK_MS, on_wait_tick, NULL) : 0;
  gboolean held;

  while (!(held = predicate != NULL && predicate (data)) &&
         !timed_out && g_get_monotonic_time () < deadline)
    {
      if (iterate_hook != NULL)
        iterate_hook ();
      else
        g_main_context_iteration (NULL, TRUE);
    }
  if (!timed_out)
    g_source_remove (timeout_id);
  if (tick_id != 0)
    g_source_remove (tick_id);
  return held;
}

void
beam_test_wait_until_at (const char        *file,
                         int                line,
                         const char        *func,
                         const char        *what,
                         BeamTestPredicate  predicate,
                         gpointer           data,
                         guint              timeout_ms)
{
  g_autofree char *message = NULL;

  g_assert_nonnull (predicate);
  if (iterate_until (predicate, data, timeout_ms))
    return;
  message = g_strdup_printf ("waited %u ms for %s, in vain", timeout_ms, what);
  g_assertion_message (G_LOG_DOMAIN, file, line, func, message);
}

gboolean
beam_test_flag_is_set (gpointer flag)
{
  return *(gboolean *) flag;
}

void
beam_test_run_for (guint ms)
{
  iterate_until (NULL, NULL, ms);
}

BeamConnection *
beam_test_node_connect (BeamTestNode *node)
{
  g_autoptr(GError) error = NULL;
  BeamConnection *connection = beam_connection_new (node->name, node->cookie);
  BeamTestWait wait = { 0 };

  beam_connection_connect_async (connection, 5000, NULL, beam_test_stash, &wait);
  beam_test_wait_for (&wait.done, 15000);
  g_assert_true (beam_connection_connect_finish (connection, wait.result, &error));
  g_object_unref (wait.result);
  return connection;
}

void
beam_test_node_call_expecting (BeamTestNode *node,
                               const char   *module,
                               const char   *function,
                               const char   *args,
                               const char   *expect)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = beam_test_node_erl_call (node, module, function, args, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (g_strstrip (out), ==, expect);
}

void
beam_test_node_set_hostile_mode (BeamTestNode *node,
                                 const char   *mode)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *args = g_strdup_printf ("[%s]", mode);

  /* A node still building a previous mode's 200 MB answers on a busy
   * machine can refuse erl_call's connection for a while: ask again, for up
   * to half a minute, before calling it a failure. */
  for (guint attempt = 0; attempt < 15; attempt++)
    {
      g_clear_error (&error);
      g_free (beam_test_node_erl_call (node, "beamscope_hostile", "set_mode", args, &error));
      if (error == NULL)
        return;
      g_test_message ("set_mode %s, attempt %u: %s", mode, attempt + 1, error->message);
      g_usleep (2 * G_USEC_PER_SEC);
    }
  g_assert_no_error (error);
}
