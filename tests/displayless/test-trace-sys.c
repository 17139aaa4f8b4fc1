/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sys tracing (issue 15, items 1 and 7) against a fixture node's gen_server,
 * gen_statem and gen_event (fixtures/beamscope_trace_server.erl): while
 * sys:trace/2 prints to a capture io-server made the server's group
 * leader, the trace's *DBG* lines for the same calls are the very bytes
 * sys:trace printed, in order. The count and the rate limit stop on the node (no debug function of
 * ours left), as do a stop and a lost connection (within 4 s); a server busy
 * in a handle_call makes the install time out and keeps nothing; a plain
 * process and an unknown name are refused. sys:log reads the formatted last
 * events, and its holder turns the log off when asked and when we go.
 *
 * The trace-sys program runs here as the session runs it: one call whose
 * stream is the trace, ended by the forwarder's exit. */

#include "beam-test-node.h"
#include "beam-process-info.h"
#include "beam-trace-private.h"

static BeamTestNode *node;
static BeamConnection *connection;

#define GS "beamscope_trace_gs"
#define FSM "beamscope_trace_fsm"

static char *
node_says (const char *module,
           const char *function,
           const char *args)
{
  g_autoptr(GError) error = NULL;
  char *out = beam_test_node_erl_call (node, module, function, args, &error);

  g_assert_no_error (error);
  return g_strstrip (out);
}

/* How many debug functions of ours the server has (asked by erl_call). */
static guint
ours (const char *server)
{
  g_autofree char *args = g_strdup_printf ("[%s]", server);
  g_autofree char *out = node_says ("beamscope_trace_server", "ours", args);

  return (guint) g_ascii_strtoull (out, NULL, 10);
}

static BeamTerm *
rpc (BeamConnection *conn,
     const char     *module,
     const char     *function,
     BeamTerm       *args)
{
  g_autoptr(GError) error = NULL;
  BeamTestWait wait = { 0 };
  BeamTerm *reply;

  beam_connection_rpc_async (conn, module, function, args, 10000, NULL, beam_test_stash, &wait);
  beam_test_wait_for (&wait.done, 15000);
  reply = beam_connection_rpc_finish (conn, wait.result, &error);
  g_object_unref (wait.result);
  g_assert_no_error (error);
  return reply;
}

/* ---- one trace, as a raw stream ------------------------------------------ */

typedef struct
{
  GMutex          lock;
  GPtrArray      *messages;   /* BeamTerm *: the stream, {beamscope_trace, ...} */
  gboolean        over;
  GError         *error;
  BeamConnection *connection;
  BeamTerm       *watcher;
  guint           ping_source;
} Trace;

static void
on_message (const char *buf,
            gsize       len,
            gpointer    user_data)
{
  Trace *trace = user_data;
  int index = 1;
  BeamTerm *message;

  g_assert_cmpint ((guint8) buf[0], ==, 131);
  message = beam_term_decode_at_len (buf, len, &index, NULL);
  g_assert_nonnull (message);
  g_mutex_lock (&trace->lock);
  g_ptr_array_add (trace->messages, message);
  g_mutex_unlock (&trace->lock);
}

static void
on_over (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Trace *trace = user_data;
  BeamTerm *reply = beam_connection_call_finish (BEAM_CONNECTION (source), result,
                                                 &trace->error);

  g_clear_pointer (&reply, beam_term_free);
  trace->over = TRUE;
}

static void
send_to_watcher (Trace      *trace,
                 const char *what)
{
  beam_connection_call_async (trace->connection, &(BeamCall) {
                                .module = "erlang", .function = "send",
                                .args = beam_term_new_list (2, beam_term_copy (trace->watcher),
                                                            beam_term_new_atom (what)),
                                .result_free = (GDestroyNotify) beam_term_free,
                              }, NULL, NULL, NULL);
}

static gboolean
ping (gpointer user_data)
{
  Trace *trace = user_data;

  if (trace->watcher != NULL && !trace->over)
    send_to_watcher (trace, "ping");
  return G_SOURCE_CONTINUE;
}

/* A trace that pings its watcher every second unless `pings` is FALSE. */
static Trace *
trace_start_full (BeamConnection *conn,
                  const char     *target,
                  guint           count,
                  guint           rate_events,
                  guint           rate_ms,
                  guint           duration_ms,
                  gboolean        pings)
{
  g_autoptr(GPtrArray) targets = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  BeamTraceSpec spec = { .kind = BEAM_TRACE_SYS, .targets = targets, .count = count,
                         .rate_events = rate_events, .rate_ms = rate_ms,
                         .duration_ms = duration_ms };
  Trace *trace = g_new0 (Trace, 1);
  BeamTerm *args;

  g_ptr_array_add (targets, g_strdup (target));
  args = _beam_trace_sys_program (&spec, &error);
  g_assert_no_error (error);
  g_mutex_init (&trace->lock);
  trace->messages = g_ptr_array_new_with_free_func ((GDestroyNotify) beam_term_free);
  trace->connection = g_object_ref (conn);
  beam_connection_call_async (conn, &(BeamCall) {
                                .module = "erl_eval", .function = "exprs", .args = args,
                                .timeout_ms = 15000, .on_message = on_message,
                                .stream_data = trace, .until_exit = TRUE,
                                .stream_idle_ms = 5000,
                                .max_reply_bytes = BEAM_TRACE_MAX_MESSAGE_BYTES,
                              }, NULL, on_over, trace);
  if (pings)
    trace->ping_source = g_timeout_add (BEAM_TRACE_PING_INTERVAL_MS, ping, trace);
  return trace;
}

static Trace *
trace_start (BeamConnection *conn,
             const char     *target,
             guint           count,
             guint           rate_events,
             guint           rate_ms)
{
  return trace_start_full (conn, target, count, rate_events, rate_ms, 0, TRUE);
}

static void
trace_free (Trace *trace)
{
  /* The call's callback must have run: it holds the trace. */
  beam_test_wait_for (&trace->over, 10000 * BEAM_TEST_SLOWDOWN);
  if (trace->ping_source != 0)
    g_source_remove (trace->ping_source);
  g_ptr_array_unref (trace->messages);
  g_clear_pointer (&trace->watcher, beam_term_free);
  g_clear_error (&trace->error);
  g_object_unref (trace->connection);
  g_mutex_clear (&trace->lock);
  g_free (trace);
}

/* The stream's message tagged `tag` ({beamscope_trace, Tag, ...}), a copy, or NULL. */
static BeamTerm *
find_message (Trace      *trace,
              const char *tag)
{
  BeamTerm *found = NULL;

  g_mutex_lock (&trace->lock);
  for (guint i = 0; i < trace->messages->len && found == NULL; i++)
    {
      const BeamTerm *message = g_ptr_array_index (trace->messages, i);

      if (message->kind == BEAM_TERM_TUPLE && message->n_children >= 3 &&
          beam_term_is_atom (message->children[0], "beamscope_trace") &&
          beam_term_is_atom (message->children[1], tag))
        found = beam_term_copy (message);
    }
  g_mutex_unlock (&trace->lock);
  return found;
}

typedef struct
{
  Trace      *trace;
  const char *tag;
} Wanted;

static gboolean
has_message (gpointer data)
{
  Wanted *wanted = data;
  g_autoptr(BeamTerm) found = find_message (wanted->trace, wanted->tag);

  return found != NULL || wanted->trace->over;
}

static BeamTerm *
wait_message (Trace      *trace,
              const char *tag)
{
  Wanted wanted = { trace, tag };
  BeamTerm *found;

  beam_test_wait_until (has_message, &wanted, 15000 * BEAM_TEST_SLOWDOWN);
  found = find_message (trace, tag);
  if (found == NULL)
    g_error ("The stream ended without %s", tag);
  return found;
}

static const BeamTerm *
map_get (const BeamTerm *map,
         const char     *key)
{
  g_assert_true (map->kind == BEAM_TERM_MAP);
  for (guint i = 0; i + 1 < map->n_children; i += 2)
    if (beam_term_is_atom (map->children[i], key))
      return map->children[i + 1];
  return NULL;
}

/* Waits for the trace to start; returns its started map (a copy). */
static BeamTerm *
wait_started (Trace *trace)
{
  g_autoptr(BeamTerm) started = wait_message (trace, "started");
  const BeamTerm *info = started->children[2];

  g_assert_true (map_get (info, "watcher")->kind == BEAM_TERM_PID);
  trace->watcher = beam_term_copy (map_get (info, "watcher"));
  return beam_term_copy (info);
}

/* Every sys entry received so far, in order (borrowed from the messages). */
static GPtrArray *
sys_entries (Trace *trace)
{
  GPtrArray *entries = g_ptr_array_new ();

  g_mutex_lock (&trace->lock);
  for (guint i = 0; i < trace->messages->len; i++)
    {
      const BeamTerm *message = g_ptr_array_index (trace->messages, i);

      if (beam_term_is_atom (message->children[1], "sys"))
        for (guint j = 0; j < message->children[2]->n_children; j++)
          g_ptr_array_add (entries, message->children[2]->children[j]);
    }
  g_mutex_unlock (&trace->lock);
  return entries;
}

typedef struct
{
  Trace *trace;
  guint  count;
} EntryCount;

static gboolean
has_entries (gpointer data)
{
  EntryCount *wanted = data;
  g_autoptr(GPtrArray) entries = sys_entries (wanted->trace);

  return entries->len >= wanted->count;
}

static guint
count_lines (const char *text)
{
  guint n = 0;

  for (const char *p = text; (p = strstr (p, "*DBG* ")) != NULL; p++)
    n++;
  return n;
}

/* ---- the tests -------------------------------------------------------------- */

/* The fixture's sequence traced by sys:trace (into a capture) and by us at
 * once: our lines are its bytes, and each event reads back. */
static void
check_as_sys_trace (const char *server,
                    const char *which,
                    const char *behaviour,
                    guint       lines)
{
  g_autofree char *args = g_strdup_printf ("[%s]", server);
  g_autofree char *drive_args = g_strdup_printf ("[%s]", which);
  g_autofree char *started_ok = node_says ("beamscope_trace_server", "capture_start", args);
  Trace *trace = trace_start (connection, server, 1000, 0, 0);
  g_autoptr(BeamTerm) info = wait_started (trace);
  g_autoptr(BeamTerm) captured = NULL;
  g_autoptr(BeamTerm) done = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GString) ours_text = g_string_new (NULL);
  g_autofree char *drove = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *server_pid = NULL;
  BeamTraceClock clock = { 1000000000, 0 };
  EntryCount wanted = { trace, 0 };
  gint64 seen, sent, dropped;

  g_assert_cmpstr (started_ok, ==, "ok");
  g_assert_true (beam_term_is_atom (map_get (info, "behaviour"), behaviour));
  /* sys:trace, on for the capture, is someone else's: shown, left alone. */
  g_assert_true (map_get (info, "others")->kind == BEAM_TERM_LIST);
  g_assert_cmpuint (map_get (info, "others")->n_children, ==, 1);
  g_assert_true (beam_term_is_atom (map_get (info, "others")->children[0], "trace"));
  g_assert_true (map_get (info, "pid")->kind == BEAM_TERM_PID);
  server_pid = g_strdup_printf ("<0.%" G_GUINT64_FORMAT ".%u>", map_get (info, "pid")->v.ident.id,
                                map_get (info, "pid")->v.ident.serial);
  drove = node_says ("beamscope_trace_server", "drive", drive_args);
  g_assert_cmpstr (drove, ==, "ok");
  captured = rpc (connection, "beamscope_trace_server", "capture_stop",
                  beam_term_new_list (1, beam_term_new_atom (server)));
  expected = beam_term_dup_string (captured);
  g_assert_nonnull (expected);
  wanted.count = count_lines (expected);
  g_test_message ("%s: sys:trace printed %u lines, %zu bytes", server, wanted.count,
                  strlen (expected));
  g_assert_cmpuint (wanted.count, ==, lines);
  beam_test_wait_until (has_entries, &wanted, 5000 * BEAM_TEST_SLOWDOWN);

  entries = sys_entries (trace);
  g_assert_cmpuint (entries->len, ==, wanted.count);
  for (guint i = 0; i < entries->len; i++)
    {
      const BeamTerm *entry = g_ptr_array_index (entries, i);
      g_autoptr(BeamTraceEvent) event = _beam_trace_event_from_sys (entry, &clock);
      g_autofree char *text = beam_term_dup_string (entry->children[3]);

      g_string_append (ours_text, text);
      g_assert_nonnull (event);
      g_assert_cmpint (event->kind, ==, BEAM_TRACE_EVENT_SYS);
      g_assert_cmpstr (event->pid, ==, server_pid);
      g_assert_cmpstr (event->name, ==, server);
      g_assert_true (beam_term_equal (event->term, entry->children[1]));
      g_assert_true (g_str_has_suffix (text, "\n"));
      g_assert_cmpuint (strlen (event->text), ==, strlen (text) - 1);
      g_assert_true (strncmp (event->text, text, strlen (event->text)) == 0);
    }
  /* Byte for byte, in order, as sys:trace printed them. */
  g_assert_cmpstr (ours_text->str, ==, expected);

  send_to_watcher (trace, "stop");
  done = wait_message (trace, "done");
  g_assert_true (beam_term_is_atom (done->children[2], "stopped"));
  g_assert_true (beam_term_get_int64 (map_get (done->children[3], "seen"), &seen));
  g_assert_true (beam_term_get_int64 (map_get (done->children[3], "sent"), &sent));
  g_assert_true (beam_term_get_int64 (map_get (done->children[3], "dropped"), &dropped));
  g_assert_cmpint (seen, ==, wanted.count);
  g_assert_cmpint (sent, ==, wanted.count);
  g_assert_cmpint (dropped, ==, 0);
  beam_test_wait_for (&trace->over, 5000 * BEAM_TEST_SLOWDOWN);
  g_assert_no_error (trace->error);
  g_assert_cmpuint (ours (server), ==, 0);
  trace_free (trace);
}

static void
test_gen_server_as_sys_trace (void)
{
  check_as_sys_trace (GS, "gs", "gen_server", 22);
}

static void
test_gen_statem_as_sys_trace (void)
{
  check_as_sys_trace (FSM, "fsm", "gen_statem", 17);
}

static void
test_gen_event_as_sys_trace (void)
{
  check_as_sys_trace ("beamscope_trace_ev", "ev", "gen_event", 3);
}

/* A limit stops the trace on the node: the done message says which, the
 * events sent are the limit's, and the debug function is gone. */
static void
check_limit (guint       count,
             guint       rate_events,
             guint       rate_ms,
             const char *reason,
             guint       expected_events)
{
  Trace *trace = trace_start (connection, GS, count, rate_events, rate_ms);
  g_autoptr(BeamTerm) info = wait_started (trace);
  g_autoptr(BeamTerm) done = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autofree char *drove = NULL;
  gint64 sent;

  g_assert_cmpuint (ours (GS), ==, 1);
  drove = node_says ("beamscope_trace_server", "drive", "[gs]");
  g_assert_cmpstr (drove, ==, "ok");
  done = wait_message (trace, "done");
  g_assert_true (beam_term_tagged (done->children[2], reason, rate_ms > 0 ? 3 : 2) != NULL);
  beam_test_wait_for (&trace->over, 5000 * BEAM_TEST_SLOWDOWN);
  entries = sys_entries (trace);
  g_assert_cmpuint (entries->len, ==, expected_events);
  g_assert_true (beam_term_get_int64 (map_get (done->children[3], "sent"), &sent));
  g_assert_cmpint (sent, ==, expected_events);
  /* Removed on the node, not only here. */
  g_assert_cmpuint (ours (GS), ==, 0);
  trace_free (trace);
}

static void
test_count_limit (void)
{
  check_limit (3, 0, 0, "count", 3);
}

static void
test_rate_limit (void)
{
  /* The sequence makes 22 events well within a minute: the sixth in the
   * window stops it, as recon_trace's rate tracer does. */
  check_limit (0, 5, 60000, "rate", 5);
}

typedef struct
{
  const char *server;
  guint       count;
} OursWanted;

static gboolean
ours_is (gpointer data)
{
  OursWanted *wanted = data;

  return ours (wanted->server) == wanted->count;
}

/* Our connection goes while tracing: the forwarder's monitor sees it and
 * removes the debug function within 4 s (the lease would, within 3). */
static void
test_connection_lost (void)
{
  BeamConnection *lost = beam_test_node_connect (node);
  Trace *trace = trace_start (lost, GS, 1000, 0, 0);
  g_autoptr(BeamTerm) info = wait_started (trace);
  OursWanted wanted = { GS, 0 };
  gint64 start;

  g_assert_cmpuint (ours (GS), ==, 1);
  start = g_get_monotonic_time ();
  beam_connection_close (lost);
  beam_test_wait_until (ours_is, &wanted, 4000 * BEAM_TEST_SLOWDOWN);
  g_test_message ("debug function removed %.0f ms after the connection closed",
                  (g_get_monotonic_time () - start) / 1000.0);
  trace_free (trace);
  g_object_unref (lost);
}

/* A server sleeping in a handle_call cannot answer the install in time: the
 * trace is refused, and the install the server applies when it wakes is
 * undone by the remove queued behind it. */
static void
test_busy_server (void)
{
  g_autofree char *busy = node_says ("beamscope_trace_server", "busy", "[gs, 3500]");
  Trace *trace;
  g_autoptr(BeamTerm) refused = NULL;
  g_autoptr(BeamTerm) started = NULL;

  g_assert_cmpstr (busy, ==, "ok");
  g_usleep (100000);
  trace = trace_start (connection, GS, 100, 0, 0);
  refused = wait_message (trace, "refused");
  g_assert_nonnull (beam_term_tagged (refused->children[2], "sys_timeout", 2));
  beam_test_wait_for (&trace->over, 5000 * BEAM_TEST_SLOWDOWN);
  started = find_message (trace, "started");
  g_assert_null (started);
  /* ours/1 waits for the server to be back in its loop, after the install
   * and the remove both were handled. */
  g_assert_cmpuint (ours (GS), ==, 0);
  trace_free (trace);
}

/* No ping for the lease (3 s): the watcher removes everything and ends;
 * and a duration ends a trace that pings. */
static void
test_lease_and_duration (void)
{
  Trace *trace = trace_start_full (connection, GS, 1000, 0, 0, 0, FALSE);
  g_autoptr(BeamTerm) info = wait_started (trace);
  g_autoptr(BeamTerm) done = NULL;
  g_autoptr(BeamTerm) status = NULL;
  gint64 start = g_get_monotonic_time ();
  double elapsed_ms;

  g_assert_cmpuint (ours (GS), ==, 1);
  done = wait_message (trace, "done");
  elapsed_ms = (g_get_monotonic_time () - start) / 1000.0;
  g_test_message ("lease expired %.0f ms after the start", elapsed_ms);
  g_assert_true (beam_term_is_atom (done->children[2], "lease_expired"));
  /* The stream's heartbeat came meanwhile, once a second. */
  g_clear_pointer (&status, beam_term_free);
  status = find_message (trace, "status");
  g_assert_nonnull (status);
  g_assert_nonnull (map_get (status->children[2], "seen"));
  g_assert_cmpfloat (elapsed_ms, >=, BEAM_TRACE_LEASE_MS - 500);
  g_assert_cmpuint (ours (GS), ==, 0);
  trace_free (trace);
  g_clear_pointer (&done, beam_term_free);
  g_clear_pointer (&info, beam_term_free);

  trace = trace_start_full (connection, GS, 1000, 0, 0, 500, TRUE);
  info = wait_started (trace);
  done = wait_message (trace, "done");
  g_assert_true (beam_term_is_atom (done->children[2], "duration"));
  g_assert_cmpuint (ours (GS), ==, 0);
  trace_free (trace);
}

/* A process named by its pid, unregistered: its events name no process
 * (sys names it by its pid), and its exit ends the trace. */
static void
test_pid_target_exits (void)
{
  g_autofree char *quoted = node_says ("beamscope_trace_server", "temp", "[]");
  g_autofree char *pid = g_strndup (quoted + 1, strlen (quoted) - 2);
  g_autofree char *args = g_strdup_printf ("[%s]", quoted);
  g_autofree char *poked = NULL;
  g_autofree char *stopped = NULL;
  g_autofree char *line = NULL;
  Trace *trace = trace_start (connection, pid, 1000, 0, 0);
  g_autoptr(BeamTerm) info = wait_started (trace);
  g_autoptr(BeamTerm) done = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(BeamTraceEvent) event = NULL;
  BeamTraceClock clock = { 1000000000, 0 };
  EntryCount wanted = { trace, 2 };

  g_assert_true (quoted[0] == '\'' && g_str_has_prefix (pid, "<0."));
  poked = node_says ("beamscope_trace_server", "poke", args);
  g_assert_cmpstr (poked, ==, "ok");
  beam_test_wait_until (has_entries, &wanted, 5000 * BEAM_TEST_SLOWDOWN);
  entries = sys_entries (trace);
  event = _beam_trace_event_from_sys (g_ptr_array_index (entries, 0), &clock);
  line = g_strdup_printf ("*DBG* %s got cast {add,1}", pid);
  g_assert_cmpstr (event->text, ==, line);
  g_assert_cmpstr (event->pid, ==, pid);
  g_assert_null (event->name);

  stopped = node_says ("beamscope_trace_server", "stop_temp", args);
  g_assert_cmpstr (stopped, ==, "ok");
  done = wait_message (trace, "done");
  g_assert_nonnull (beam_term_tagged (done->children[2], "target_down", 2));
  trace_free (trace);
}

static void
check_refused (const char *target,
               const char *reason)
{
  Trace *trace = trace_start (connection, target, 100, 0, 0);
  g_autoptr(BeamTerm) refused = wait_message (trace, "refused");
  const BeamTerm *why = beam_term_tagged (refused->children[2], reason, 2);
  g_autofree char *named = NULL;

  g_assert_nonnull (why);
  named = beam_term_dup_string (why->children[1]);
  g_assert_cmpstr (named, ==, target);
  beam_test_wait_for (&trace->over, 5000 * BEAM_TEST_SLOWDOWN);
  trace_free (trace);
}

static void
test_refusals (void)
{
  check_refused ("beamscope_trace_plain", "not_otp");
  check_refused ("beamscope_no_such_name_at_all", "no_process");
  check_refused ("<0.32767.0>", "no_process");
}

static void
on_session_events (BeamTraceSession *session,
                   GPtrArray        *events,
                   gpointer          user_data)
{
  GPtrArray *all = user_data;

  for (guint i = 0; i < events->len; i++)
    g_ptr_array_add (all, beam_trace_event_ref (g_ptr_array_index (events, i)));
}

static gboolean
session_is (gpointer data)
{
  gpointer *args = data;

  return beam_trace_session_get_state (args[0]) == GPOINTER_TO_INT (args[1]);
}

static gboolean
has_n_events (gpointer data)
{
  gpointer *args = data;

  return ((GPtrArray *) args[0])->len >= GPOINTER_TO_UINT (args[1]);
}

/* The same through a BeamTraceSession, as the Trace tab and the CLI run it:
 * the gen_statem's events as sys:trace prints them, in order, each with
 * its time; stopped, nothing left. */
static void
test_session (void)
{
  g_autoptr(BeamTraceSpec) spec = beam_trace_spec_new (BEAM_TRACE_SYS);
  g_autoptr(GPtrArray) all = g_ptr_array_new_with_free_func (
    (GDestroyNotify) beam_trace_event_unref);
  g_autoptr(BeamTraceSession) session = NULL;
  g_autoptr(BeamTerm) captured = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *capture = node_says ("beamscope_trace_server", "capture_start", "[" FSM "]");
  g_autofree char *drove = NULL;
  g_autofree char *expected = NULL;
  gint64 before = g_get_real_time ();
  gpointer running[] = { NULL, GINT_TO_POINTER (BEAM_TRACE_STATE_RUNNING) };
  gpointer ended[] = { NULL, GINT_TO_POINTER (BEAM_TRACE_STATE_ENDED) };
  gpointer enough[] = { all, GUINT_TO_POINTER (17) };

  beam_trace_spec_add_target (spec, FSM);
  session = beam_trace_session_new (connection, spec);
  running[0] = ended[0] = session;
  g_signal_connect (session, "events", G_CALLBACK (on_session_events), all);
  beam_trace_session_start (session);
  beam_test_wait_until (session_is, running, 10000 * BEAM_TEST_SLOWDOWN);
  g_assert_cmpstr (beam_trace_session_get_behaviour (session), ==, "gen_statem");
  g_assert_cmpstr (capture, ==, "ok");

  drove = node_says ("beamscope_trace_server", "drive", "[fsm]");
  g_assert_cmpstr (drove, ==, "ok");
  captured = rpc (connection, "beamscope_trace_server", "capture_stop",
                  beam_term_new_list (1, beam_term_new_atom (FSM)));
  expected = beam_term_dup_string (captured);
  beam_test_wait_until (has_n_events, enough, 5000 * BEAM_TEST_SLOWDOWN);
  g_assert_cmpuint (all->len, ==, count_lines (expected));
  for (guint i = 0; i < all->len; i++)
    {
      BeamTraceEvent *event = g_ptr_array_index (all, i);

      g_assert_cmpint (event->kind, ==, BEAM_TRACE_EVENT_SYS);
      g_assert_cmpstr (event->name, ==, FSM);
      /* The node's clock: within the test's time, a second either way. */
      g_assert_cmpint (event->time_us, >=, before - G_USEC_PER_SEC);
      g_assert_cmpint (event->time_us, <=, g_get_real_time () + G_USEC_PER_SEC);
      g_string_append_printf (text, "%s\n", event->text);
    }
  g_assert_cmpstr (text->str, ==, expected);

  beam_trace_session_stop (session);
  beam_test_wait_until (session_is, ended, 10000 * BEAM_TEST_SLOWDOWN);
  g_assert_cmpint (beam_trace_session_get_end (session), ==, BEAM_TRACE_END_STOPPED);
  g_assert_cmpuint (ours (FSM), ==, 0);
}

/* What no node program of ours sends is no event; a spec the program
 * cannot run is an error, before anything reaches the node. */
static void
test_bad_shapes (void)
{
  BeamTraceClock clock = { 1000000000, 0 };
  g_autoptr(GPtrArray) targets = g_ptr_array_new_with_free_func (g_free);
  BeamTraceSpec spec = { .kind = BEAM_TRACE_SYS, .targets = targets, .count = 10 };
  g_autoptr(GError) error = NULL;
  BeamTerm *bad[] = {
    beam_term_new_atom ("x"),
    beam_term_new_tuple (3, beam_term_new_integer (1), beam_term_new_atom ("e"),
                         beam_term_new_atom ("n")),
    beam_term_new_tuple (4, beam_term_new_atom ("t"), beam_term_new_atom ("e"),
                         beam_term_new_atom ("n"), beam_term_new_binary ("x\n", 2)),
    beam_term_new_tuple (4, beam_term_new_integer (1), beam_term_new_atom ("e"),
                         beam_term_new_atom ("n"), beam_term_new_atom ("text")),
  };
  g_autoptr(BeamTerm) good = beam_term_new_tuple (4, beam_term_new_integer (1),
                                                  beam_term_new_atom ("e"),
                                                  beam_term_new_atom ("n"),
                                                  beam_term_new_binary ("l\xff\n", 3));
  g_autoptr(BeamTraceEvent) event = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_assert_null (_beam_trace_event_from_sys (bad[i], &clock));
      beam_term_free (bad[i]);
    }
  /* Invalid UTF-8 is made valid; a name without a pid names no pid. */
  event = _beam_trace_event_from_sys (good, &clock);
  g_assert_true (g_utf8_validate (event->text, -1, NULL));
  g_assert_cmpstr (event->name, ==, "n");
  g_assert_null (event->pid);

  g_assert_null (_beam_trace_sys_program (&spec, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_ptr_array_add (targets, g_strdup (GS));
  spec.count = 0;
  g_assert_null (_beam_trace_sys_program (&spec, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
}

static BeamTraceSysLog *
sys_log (BeamConnection *conn,
         const char     *target,
         GError        **error)
{
  BeamTestWait wait = { 0 };
  BeamTraceSysLog *log;

  beam_trace_sys_log_async (conn, target, 50, NULL, beam_test_stash, &wait);
  beam_test_wait_for (&wait.done, 15000);
  log = beam_trace_sys_log_finish (wait.result, error);
  g_object_unref (wait.result);
  return log;
}

typedef struct
{
  const char *server;
  gboolean    on;
} LogWanted;

static gboolean
log_is (gpointer data)
{
  LogWanted *wanted = data;
  g_autofree char *args = g_strdup_printf ("[%s]", wanted->server);
  g_autofree char *on = node_says ("beamscope_trace_server", "log_on", args);

  return g_str_equal (on, wanted->on ? "true" : "false");
}

/* The log off: our holder turns it on and we read nothing yet; after the
 * sequence, the last events as sys:trace printed them; the holder turns
 * the log off when asked, and when our connection goes. */
static void
test_sys_log (void)
{
  BeamConnection *conn = beam_test_node_connect (node);
  g_autoptr(GError) error = NULL;
  g_autoptr(BeamTraceSysLog) first = NULL;
  g_autoptr(BeamTraceSysLog) second = NULL;
  g_autoptr(BeamTraceSysLog) third = NULL;
  g_autoptr(BeamTerm) captured = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *expected = NULL;
  g_autofree char *capture = NULL;
  g_autofree char *drove = NULL;
  LogWanted off = { GS, FALSE };
  LogWanted on = { GS, TRUE };

  beam_test_wait_until (log_is, &off, 1000);
  first = sys_log (conn, GS, &error);
  g_assert_no_error (error);
  g_assert_false (first->was_on);
  g_assert_true (first->ours);
  g_assert_cmpstr (first->behaviour, ==, "gen_server");
  g_assert_cmpuint (first->events->len, ==, 0);
  beam_test_wait_until (log_is, &on, 1000);

  capture = node_says ("beamscope_trace_server", "capture_start", "[" GS "]");
  drove = node_says ("beamscope_trace_server", "drive", "[gs]");
  g_assert_cmpstr (drove, ==, "ok");
  captured = rpc (connection, "beamscope_trace_server", "capture_stop",
                  beam_term_new_list (1, beam_term_new_atom (GS)));
  expected = beam_term_dup_string (captured);
  second = sys_log (conn, GS, &error);
  g_assert_no_error (error);
  g_assert_true (second->was_on);
  g_assert_true (second->ours);
  g_assert_cmpuint (second->events->len, ==, count_lines (expected));
  for (guint i = 0; i < second->events->len; i++)
    {
      BeamTraceEvent *event = g_ptr_array_index (second->events, i);

      g_assert_cmpint (event->kind, ==, BEAM_TRACE_EVENT_SYS);
      g_assert_cmpstr (event->name, ==, GS);
      g_assert_true (g_str_has_prefix (event->pid, "<0."));
      g_string_append_printf (text, "%s\n", event->text);
    }
  g_assert_cmpstr (text->str, ==, expected);

  /* Asked to stop: the log goes off. */
  beam_trace_sys_log_stop (conn, GS);
  beam_test_wait_until (log_is, &off, 2000 * BEAM_TEST_SLOWDOWN);

  /* On again, then our connection goes: the holder turns it off. */
  third = sys_log (conn, GS, &error);
  g_assert_no_error (error);
  g_assert_false (third->was_on);
  beam_test_wait_until (log_is, &on, 1000);
  beam_connection_close (conn);
  beam_test_wait_until (log_is, &off, 4000 * BEAM_TEST_SLOWDOWN);
  g_object_unref (conn);

  /* A plain process keeps no log. */
  g_assert_null (sys_log (connection, "beamscope_trace_plain", &error));
  g_assert_error (error, BEAM_PROCESS_INFO_ERROR, BEAM_PROCESS_INFO_ERROR_NOT_OTP);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *started = NULL;
  int status;

  g_assert_true (beam_connection_init_process (NULL));
  g_test_init (&argc, &argv, NULL);
  node = beam_test_node_start (NULL, &error);
  g_assert_no_error (error);
  started = node_says ("beamscope_trace_server", "start", "[]");
  g_assert_cmpstr (started, ==, "ok");
  connection = beam_test_node_connect (node);

  g_test_add_func ("/trace-sys/gen-server-as-sys-trace", test_gen_server_as_sys_trace);
  g_test_add_func ("/trace-sys/gen-statem-as-sys-trace", test_gen_statem_as_sys_trace);
  g_test_add_func ("/trace-sys/gen-event-as-sys-trace", test_gen_event_as_sys_trace);
  g_test_add_func ("/trace-sys/count-limit", test_count_limit);
  g_test_add_func ("/trace-sys/rate-limit", test_rate_limit);
  g_test_add_func ("/trace-sys/connection-lost", test_connection_lost);
  g_test_add_func ("/trace-sys/busy-server", test_busy_server);
  g_test_add_func ("/trace-sys/refusals", test_refusals);
  g_test_add_func ("/trace-sys/lease-and-duration", test_lease_and_duration);
  g_test_add_func ("/trace-sys/pid-target-exits", test_pid_target_exits);
  g_test_add_func ("/trace-sys/sys-log", test_sys_log);
  g_test_add_func ("/trace-sys/bad-shapes", test_bad_shapes);
  g_test_add_func ("/trace-sys/session", test_session);

  status = g_test_run ();
  beam_connection_close (connection);
  g_object_unref (connection);
  beam_test_node_free (node);
  return status;
}
