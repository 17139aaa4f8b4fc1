/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tracing in the real windows (issue 15, items 1, 3 and 7) on a fixture node:
 * the Trace window, opened by win.trace, refuses a trace of io's functions
 * inline, then traces the fixture cache's handle_call/3 with its return
 * values and a count of 5: the events come, the trace stops at its count on
 * the node, the filter narrows the list, a row opens its term and its
 * process. The process window's Trace tab traces the same gen_server with
 * sys (its *DBG* lines), stops when switched off, reads sys:log, and says a
 * plain process is not an OTP one. --read-only offers no trace. Screenshots
 * trace-window.png and process-trace-tab.png land in screenshots/.
 *
 * The calls are made by erl_call on a thread of their own: the main loop
 * keeps turning meanwhile, as the session's pings need. */

#include <glib/gstdio.h>
#include <string.h>

#include "beam-process-window.h"
#include "beam-term-parser.h"
#include "beam-test-display.h"
#include "beam-test-node.h"
#include "beam-trace-window.h"

static BeamTestNode *node;
static BeamApplication *app;

typedef struct
{
  guint    calls;
  gboolean done;
} Calls;

static gpointer
make_calls (gpointer data)
{
  Calls *calls = data;

  for (guint i = 0; i < calls->calls; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *out = beam_test_node_erl_call (node, "gen_server", "call",
                                                      "[beamscope_cache, get]", &error);

      g_assert_no_error (error);
    }
  g_atomic_int_set (&calls->done, TRUE);
  return NULL;
}

/* `count` calls to the fixture's cache, made while the main loop turns. */
static void
call_cache (guint count)
{
  Calls calls = { count, FALSE };
  GThread *thread = g_thread_new ("erl_call", make_calls, &calls);

  beam_test_wait_until (beam_test_flag_is_set, &calls.done, 30000 * BEAM_TEST_SLOWDOWN);
  g_thread_join (thread);
}

static gboolean
session_in_state (BeamTraceSession *session,
                  BeamTraceState    state)
{
  return session != NULL && beam_trace_session_get_state (session) == state;
}

static gboolean
window_tracing (gpointer data)
{
  return session_in_state (beam_trace_window_get_session (data), BEAM_TRACE_STATE_RUNNING);
}

/* Ended, and every event it brought in the list (the view may hold a few
 * back while it makes its first rows). */
static gboolean
window_ended (gpointer data)
{
  return session_in_state (beam_trace_window_get_session (data), BEAM_TRACE_STATE_ENDED) &&
         beam_trace_view_get_n_held (beam_trace_window_get_view (data)) == 0;
}

static gboolean
trace_window_shown (gpointer data G_GNUC_UNUSED)
{
  return beam_test_find_toplevel (BEAM_TYPE_TRACE_WINDOW) != NULL;
}

static gboolean
process_window_shown (gpointer data G_GNUC_UNUSED)
{
  return beam_test_find_toplevel (BEAM_TYPE_PROCESS_WINDOW) != NULL;
}

/* Six events came: three calls, each asked and answered. */
static gboolean
view_has_events (gpointer data)
{
  BeamTraceView *view = data;

  return beam_trace_log_get_n_total (beam_trace_view_get_log (view)) >= 6;
}

static gboolean
view_missed_events (gpointer data)
{
  BeamTraceView *view = data;

  return beam_trace_log_get_n_missed (beam_trace_view_get_log (view)) >= 2;
}

static const BeamTraceEvent *
shown_event (BeamTraceView *view,
             guint          position)
{
  g_autoptr(BeamTraceEntry) entry = g_list_model_get_item (beam_trace_view_get_shown (view),
                                                           position);

  g_assert_nonnull (entry);
  return beam_trace_entry_get_event (entry);  /* the log holds the entry */
}

typedef struct
{
  BeamTraceView *view;
  guint          count;
} ShownWait;

static gboolean
shown_count_is (gpointer data)
{
  ShownWait *wait = data;

  return g_list_model_get_n_items (beam_trace_view_get_shown (wait->view)) == wait->count;
}

/* The filter works through the log a slice per main-loop turn. */
static void
wait_shown (BeamTraceView *view,
            guint          count)
{
  ShownWait wait = { view, count };

  beam_test_wait_until (shown_count_is, &wait, 5000);
}

static gboolean
status_says_saved (gpointer data)
{
  return strstr (beam_trace_view_get_status (data), "Saved to trace.txt") != NULL;
}

static void
test_trace_window (void)
{
  g_autoptr(BeamWindow) window = beam_test_window_new (app, FALSE, 1100, 800);
  BeamTraceWindow *trace;
  BeamTraceView *view;
  GListModel *shown;
  const BeamTraceEvent *event;
  BeamTraceStats stats;
  g_autofree char *details = NULL;
  g_autofree char *status = NULL;

  beam_test_window_connect (window, node, "system");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.trace", NULL));
  beam_test_wait_until (trace_window_shown, NULL, 5000);
  trace = g_object_ref (BEAM_TRACE_WINDOW (beam_test_find_toplevel (BEAM_TYPE_TRACE_WINDOW)));
  gtk_window_set_default_size (GTK_WINDOW (trace), 1380, 780);
  view = beam_trace_window_get_view (trace);
  shown = beam_trace_view_get_shown (view);

  /* A banned module (recon_trace's rule) is refused in the form, before the node. */
  beam_trace_window_set_form (trace, "io:format", NULL, FALSE, 100);
  g_assert_false (beam_trace_window_start (trace));
  g_assert_nonnull (beam_trace_window_get_error (trace));
  g_assert_null (beam_trace_window_get_session (trace));
  /* And a function that does not parse. */
  beam_trace_window_set_form (trace, "no such thing/x", NULL, FALSE, 100);
  g_assert_false (beam_trace_window_start (trace));
  g_assert_nonnull (beam_trace_window_get_error (trace));

  /* A module the node does not know: refused there, said in the form. */
  beam_trace_window_set_form (trace, "beamscope_no_such_module:f/1", NULL, FALSE, 100);
  g_assert_true (beam_trace_window_start (trace));
  beam_test_wait_until (window_ended, trace, 15000 * BEAM_TEST_SLOWDOWN);
  g_assert_cmpint (beam_trace_session_get_end (beam_trace_window_get_session (trace)), ==,
                   BEAM_TRACE_END_REFUSED);
  g_test_message ("refused: %s", beam_trace_window_get_error (trace));
  g_assert_nonnull (beam_trace_window_get_error (trace));

  /* The cache's calls, with what they return, five events at most. */
  beam_trace_window_set_form (trace, "beamscope_fixture_cache:handle_call/3", NULL, TRUE, 5);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (trace), "trace.start", NULL));
  g_assert_null (beam_trace_window_get_error (trace));
  beam_test_wait_until (window_tracing, trace, 15000 * BEAM_TEST_SLOWDOWN);
  call_cache (4);
  beam_test_wait_until (window_ended, trace, 15000 * BEAM_TEST_SLOWDOWN);

  /* It stopped at its count, on the node: five events and no more. */
  g_assert_cmpint (beam_trace_session_get_end (beam_trace_window_get_session (trace)), ==,
                   BEAM_TRACE_END_COUNT_LIMIT);
  beam_trace_session_get_stats (beam_trace_window_get_session (trace), &stats);
  g_assert_cmpuint (stats.received, ==, 5);
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, 5);
  event = shown_event (view, 0);
  g_assert_cmpint (event->kind, ==, BEAM_TRACE_EVENT_CALL);
  g_assert_cmpstr (event->mfa, ==, "beamscope_fixture_cache:handle_call/3");
  g_assert_cmpstr (event->name, ==, "beamscope_cache");
  g_assert_cmpint (shown_event (view, 1)->kind, ==, BEAM_TRACE_EVENT_RETURN_FROM);
  status = g_strdup (beam_trace_view_get_status (view));
  g_test_message ("status: %s", status);
  g_assert_nonnull (strstr (status, "5 received"));

  /* The filter: the returns alone, then all again. */
  beam_trace_view_set_filter_text (view, "RETURN_FROM");
  wait_shown (view, 2);
  g_assert_cmpint (shown_event (view, 0)->kind, ==, BEAM_TRACE_EVENT_RETURN_FROM);
  g_assert_cmpint (shown_event (view, 1)->kind, ==, BEAM_TRACE_EVENT_RETURN_FROM);
  g_assert_nonnull (strstr (beam_trace_view_get_status (view), "2 of 5 shown"));
  beam_trace_view_set_filter_text (view, "");
  wait_shown (view, 5);

  /* A row: its arguments as a tree, and its process. */
  beam_trace_view_activate (view, 0);
  details = beam_trace_view_dup_details (view);
  g_test_message ("details: %s", details);
  g_assert_nonnull (strstr (details, "get"));
  g_assert_cmpstr (beam_trace_view_get_details_pid (view), ==, event->pid);
  beam_test_run_for (500);
  beam_test_save_screenshot (GTK_WIDGET (trace), "trace-window.png");

  /* Saved as text: a line naming the trace, then one line per event. */
  {
    g_autofree char *dir = g_dir_make_tmp ("beamscope-trace-XXXXXX", NULL);
    g_autofree char *path = g_build_filename (dir, "trace.txt", NULL);
    g_autoptr(GFile) file = g_file_new_for_path (path);
    g_autofree char *text = NULL;
    g_auto(GStrv) lines = NULL;

    beam_trace_view_save (view, file);
    beam_test_wait_until (status_says_saved, view, 5000);
    g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
    g_test_message ("saved:\n%s", text);
    lines = g_strsplit (g_strchomp (text), "\n", -1);
    g_assert_cmpuint (g_strv_length (lines), ==, 6);
    g_assert_true (g_str_has_prefix (lines[0], "# "));
    g_assert_nonnull (strstr (lines[1], "handle_call"));
    g_unlink (path);
    g_rmdir (dir);
  }

  /* Open Process: the event's process in a window of its own. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "win.open-process", "s",
                                             event->pid));
  beam_test_wait_until (process_window_shown, NULL, 5000);
  beam_test_destroy_and_finalize (
    g_object_ref (beam_test_find_toplevel (BEAM_TYPE_PROCESS_WINDOW)));

  /* The cache's messages: each call comes in and its reply goes out. */
  beam_trace_window_set_messages (trace, "beamscope_cache", 4);
  g_assert_true (beam_trace_window_start (trace));
  beam_test_wait_until (window_tracing, trace, 15000 * BEAM_TEST_SLOWDOWN);
  call_cache (2);
  beam_test_wait_until (window_ended, trace, 15000 * BEAM_TEST_SLOWDOWN);
  g_assert_cmpint (beam_trace_session_get_end (beam_trace_window_get_session (trace)), ==,
                   BEAM_TRACE_END_COUNT_LIMIT);
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, 4);
  g_assert_cmpint (shown_event (view, 0)->kind, ==, BEAM_TRACE_EVENT_RECEIVE);
  g_assert_cmpint (shown_event (view, 1)->kind, ==, BEAM_TRACE_EVENT_SEND);
  g_assert_nonnull (shown_event (view, 1)->peer);

  /* Started again and closed while it runs: the window goes, its trace
   * with it. */
  beam_trace_window_set_messages (trace, NULL, 100);
  g_assert_true (beam_trace_window_start (trace));
  beam_test_wait_until (window_tracing, trace, 15000 * BEAM_TEST_SLOWDOWN);
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, 0);
  beam_test_destroy_and_finalize (trace);
  beam_test_destroy_and_finalize (g_steal_pointer (&window));
}

static gboolean
trace_tab_ready (gpointer data)
{
  return g_strcmp0 (beam_process_window_get_trace_face (data), "trace") == 0;
}

static gboolean
trace_tab_not_otp (gpointer data)
{
  return g_strcmp0 (beam_process_window_get_trace_face (data), "not-otp") == 0;
}

static gboolean
tab_tracing (gpointer data)
{
  return session_in_state (beam_process_window_get_trace_session (data),
                           BEAM_TRACE_STATE_RUNNING);
}

static gboolean
tab_ended (gpointer data)
{
  return session_in_state (beam_process_window_get_trace_session (data),
                           BEAM_TRACE_STATE_ENDED) &&
         beam_trace_view_get_n_held (beam_process_window_get_trace_view (data)) == 0;
}

static gboolean
sys_log_answered (gpointer data)
{
  return beam_process_window_get_sys_log_loads (data) > 0;
}

static gboolean
sys_log_answered_twice (gpointer data)
{
  return beam_process_window_get_sys_log_loads (data) > 1;
}

static BeamProcessWindow *
open_process (BeamNode   *beam_node,
              const char *who)
{
  BeamProcessWindow *process = beam_process_window_new (beam_node, who);

  /* Ours, for beam_test_destroy_and_finalize: GTK holds the other. */
  g_object_ref (process);
  gtk_window_set_application (GTK_WINDOW (process), GTK_APPLICATION (app));
  gtk_window_set_default_size (GTK_WINDOW (process), 1000, 700);
  gtk_window_present (GTK_WINDOW (process));
  beam_test_wait_until (beam_test_process_window_loaded, process, 15000);
  return process;
}

static void
test_process_trace_tab (void)
{
  g_autoptr(BeamWindow) window = beam_test_window_new (app, FALSE, 1100, 800);
  BeamProcessWindow *process;
  BeamTraceView *view;
  const BeamTraceEvent *event;
  g_autofree char *details = NULL;

  beam_test_window_connect (window, node, "system");
  process = open_process (beam_window_get_node (window), "beamscope_cache");
  view = beam_process_window_get_trace_view (process);

  /* Found OTP as the State tab finds it, when the tab opens. */
  g_assert_cmpstr (beam_process_window_get_trace_face (process), ==, "unknown");
  beam_process_window_show_page (process, "trace");
  beam_test_wait_until (trace_tab_ready, process, 10000);

  /* A budget of four events: the oldest go, and the status says so. */
  beam_trace_log_set_budget (beam_trace_view_get_log (view), 4);
  beam_process_window_set_sys_trace (process, TRUE);
  beam_test_wait_until (tab_tracing, process, 15000 * BEAM_TEST_SLOWDOWN);
  call_cache (3);
  beam_test_wait_until (view_has_events, view, 15000 * BEAM_TEST_SLOWDOWN);
  g_assert_cmpuint (g_list_model_get_n_items (beam_trace_view_get_shown (view)), ==, 4);
  g_test_message ("status: %s", beam_trace_view_get_status (view));
  g_assert_nonnull (strstr (beam_trace_view_get_status (view),
                            "oldest 2 dropped over the budget of 4"));
  g_assert_true (beam_trace_view_get_following (view));

  /* Paused: what comes is counted, not kept. */
  beam_trace_log_set_paused (beam_trace_view_get_log (view), TRUE);
  call_cache (1);
  beam_test_wait_until (view_missed_events, view, 15000 * BEAM_TEST_SLOWDOWN);
  g_assert_nonnull (strstr (beam_trace_view_get_status (view), "2 events missed while paused"));
  g_assert_cmpuint (g_list_model_get_n_items (beam_trace_view_get_shown (view)), ==, 4);
  beam_trace_log_set_paused (beam_trace_view_get_log (view), FALSE);

  /* Each call, as sys:trace prints it: the request, then the reply. */
  event = shown_event (view, 0);
  g_assert_cmpint (event->kind, ==, BEAM_TRACE_EVENT_SYS);
  g_test_message ("first line kept: %s", event->text);
  g_assert_true (g_str_has_prefix (event->text, "*DBG* "));
  g_assert_nonnull (strstr (event->text, "got call get"));
  beam_trace_view_activate (view, 1);
  details = beam_trace_view_dup_details (view);
  g_assert_nonnull (details);
  beam_test_run_for (500);
  beam_test_save_screenshot (GTK_WIDGET (process), "process-trace-tab.png");

  /* Trace Calls… opens a Trace window for this process. */
  {
    BeamTraceWindow *trace;
    const BeamTraceSpec *spec;

    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (process), "process.trace-calls",
                                               NULL));
    beam_test_wait_until (trace_window_shown, NULL, 5000);
    trace = g_object_ref (BEAM_TRACE_WINDOW (beam_test_find_toplevel (BEAM_TYPE_TRACE_WINDOW)));
    beam_trace_window_set_form (trace, "beamscope_fixture_cache:handle_call/3", NULL, FALSE, 1);
    g_assert_true (beam_trace_window_start (trace));
    spec = beam_trace_session_get_spec (beam_trace_window_get_session (trace));
    g_assert_cmpint (spec->processes, ==, BEAM_TRACE_PROCESSES_LISTED);
    g_assert_cmpuint (spec->targets->len, ==, 1);
    g_assert_cmpstr (g_ptr_array_index (spec->targets, 0), ==, "beamscope_cache");
    beam_test_destroy_and_finalize (trace);
  }

  /* Off: the node removes the debug function. */
  beam_process_window_set_sys_trace (process, FALSE);
  beam_test_wait_until (tab_ended, process, 15000 * BEAM_TEST_SLOWDOWN);
  g_assert_cmpint (beam_trace_session_get_end (beam_process_window_get_trace_session (process)),
                   ==, BEAM_TRACE_END_STOPPED);

  /* sys:log was off: turned on, and said so. */
  beam_process_window_show_sys_log (process);
  beam_test_wait_until (sys_log_answered, process, 10000);
  g_test_message ("sys:log: %s", beam_process_window_get_trace_note (process));
  g_assert_nonnull (beam_process_window_get_trace_note (process));
  g_assert_nonnull (strstr (beam_process_window_get_trace_note (process), "was off"));
  /* Asked again after two calls: their four events, *DBG* lines too. */
  call_cache (2);
  beam_process_window_show_sys_log (process);
  beam_test_wait_until (sys_log_answered_twice, process, 10000);
  g_test_message ("sys:log: %s", beam_process_window_get_trace_note (process));
  g_assert_cmpuint (g_list_model_get_n_items (beam_trace_view_get_shown (view)), ==, 4);
  g_assert_true (g_str_has_prefix (shown_event (view, 0)->text, "*DBG* "));
  g_assert_nonnull (strstr (beam_process_window_get_trace_note (process), "the last 4 events"));
  beam_test_run_for (300);
  beam_test_save_screenshot (GTK_WIDGET (process), "process-trace-tab-log.png");
  beam_test_destroy_and_finalize (process);

  /* A plain receive loop is sent no sys message, so no sys trace either. */
  process = open_process (beam_window_get_node (window), "beamscope_mailbox");
  beam_process_window_show_page (process, "trace");
  beam_test_wait_until (trace_tab_not_otp, process, 10000);
  beam_test_destroy_and_finalize (process);

  beam_test_destroy_and_finalize (g_steal_pointer (&window));
}

/* --read-only: tracing sets flags on the node, so none is offered. */
static void
test_trace_read_only (void)
{
  g_autoptr(BeamWindow) window = beam_test_window_new (app, TRUE, 1100, 800);
  BeamProcessWindow *process;

  beam_test_window_connect (window, node, "system");
  gtk_widget_activate_action (GTK_WIDGET (window), "win.trace", NULL);
  beam_test_run_for (200);
  g_assert_null (beam_test_find_toplevel (BEAM_TYPE_TRACE_WINDOW));

  process = open_process (beam_window_get_node (window), "beamscope_cache");
  gtk_widget_activate_action (GTK_WIDGET (process), "process.trace-calls", NULL);
  beam_test_run_for (200);
  g_assert_null (beam_test_find_toplevel (BEAM_TYPE_TRACE_WINDOW));
  beam_process_window_show_page (process, "trace");
  beam_test_wait_until (trace_tab_ready, process, 10000);
  g_assert_nonnull (strstr (beam_process_window_get_trace_note (process), "--read-only"));
  beam_process_window_set_sys_trace (process, TRUE);
  beam_test_run_for (200);
  g_assert_null (beam_process_window_get_trace_session (process));
  beam_test_destroy_and_finalize (process);
  beam_test_destroy_and_finalize (g_steal_pointer (&window));
}

/* A batch of `count` made-up call events, numbered from `first`. */
static GPtrArray *
made_up_events (guint first,
                guint count)
{
  GPtrArray *events = g_ptr_array_new_with_free_func ((GDestroyNotify) beam_trace_event_unref);

  for (guint i = 0; i < count; i++)
    {
      BeamTraceEvent *event = beam_trace_event_new (BEAM_TRACE_EVENT_CALL);
      g_autofree char *args = g_strdup_printf ("[%u, <<\"payload\">>]", first + i);

      event->time_us = g_get_real_time ();
      event->pid = g_strdup ("<0.85.0>");
      event->name = g_strdup ("made_up");
      event->mfa = g_strdup ("made_up:call/2");
      event->term = beam_term_parse (args, BEAM_SYNTAX_ERLANG, NULL);
      g_ptr_array_add (events, event);
    }
  return events;
}

typedef struct
{
  GtkAdjustment *adjustment;
  double         beyond;   /* the end is further down than this */
} EndWait;

static gboolean
at_end (gpointer data)
{
  EndWait *wait = data;
  double value = gtk_adjustment_get_value (wait->adjustment);

  return value > wait->beyond &&
         value >= gtk_adjustment_get_upper (wait->adjustment) -
                  gtk_adjustment_get_page_size (wait->adjustment) - 1;
}

/* The list follows the newest event, stops when the user scrolls up, and
 * follows again back at the end; a filter works through a big log. */
static void
test_view_follows (void)
{
  GtkWidget *window = gtk_window_new ();
  BeamTraceView *view = BEAM_TRACE_VIEW (beam_trace_view_new ());
  BeamTraceLog *log = beam_trace_view_get_log (view);
  GtkAdjustment *adjustment;
  double value;

  gtk_window_set_default_size (GTK_WINDOW (window), 900, 600);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (view));
  gtk_window_present (GTK_WINDOW (window));
  beam_test_wait_until (beam_test_is_drawn, view, 5000);
  adjustment = gtk_scrolled_window_get_vadjustment (
    GTK_SCROLLED_WINDOW (beam_test_find_descendant (GTK_WIDGET (view),
                                                    GTK_TYPE_SCROLLED_WINDOW)));

  for (guint i = 0; i < 20; i++)
    {
      g_autoptr(GPtrArray) events = made_up_events (i * 500, 500);

      beam_trace_log_append (log, events);
      beam_test_run_for (20);
    }
  {
    EndWait wait = { adjustment, 0 };

    beam_test_wait_until (at_end, &wait, 5000);
  }
  g_assert_true (beam_trace_view_get_following (view));

  /* Up: it stays where the user put it while events come. */
  gtk_adjustment_set_value (adjustment, 0);
  g_assert_false (beam_trace_view_get_following (view));
  for (guint i = 20; i < 24; i++)
    {
      g_autoptr(GPtrArray) events = made_up_events (i * 500, 500);

      beam_trace_log_append (log, events);
      beam_test_run_for (150);
    }
  g_assert_cmpfloat (gtk_adjustment_get_value (adjustment), ==, 0);
  g_assert_false (beam_trace_view_get_following (view));

  /* Back at the end: following again. */
  value = gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_page_size (adjustment);
  gtk_adjustment_set_value (adjustment, value);
  g_assert_true (beam_trace_view_get_following (view));
  {
    g_autoptr(GPtrArray) events = made_up_events (12000, 500);

    EndWait wait = { adjustment, value };

    beam_trace_log_append (log, events);
    beam_test_wait_until (at_end, &wait, 5000);
  }

  /* 12,500 events, filtered down to the eleven whose number starts 1234. */
  beam_trace_view_set_filter_text (view, "[1234");
  wait_shown (view, 11);
  beam_trace_view_set_filter_text (view, "");
  wait_shown (view, 12500);
  beam_test_save_screenshot (GTK_WIDGET (window), "trace-view-follows.png");
  beam_test_destroy_and_finalize (g_object_ref (window));
}

int
main (int    argc,
      char **argv)
{
  int status;

  beam_test_display_init (&argc, &argv, &app, &node);

  g_test_add_func ("/trace/view-follows", test_view_follows);
  g_test_add_func ("/trace/read-only", test_trace_read_only);
  g_test_add_func ("/trace/window", test_trace_window);
  g_test_add_func ("/trace/process-tab", test_process_trace_tab);

  status = g_test_run ();
  beam_test_node_free (node);
  g_clear_object (&app);
  return status;
}
