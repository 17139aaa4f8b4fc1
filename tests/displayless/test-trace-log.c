/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The Trace window's log (model/beam-trace-log.c) over events built here:
 * no node, no display. Every items-changed is checked against the model as
 * a list view would read it at that moment; a million events go through a
 * budget of 100,000 in bounded time, each append costing its batch. */

#include "config.h"

#include <locale.h>
#include <string.h>

#include "beam-test-node.h"
#include "beam-trace-log.h"

/* 2026-12-02 13:05:11.148300 UTC (the test runs with TZ=UTC) */
#define TIME_US G_GINT64_CONSTANT (1796216711148300)

/* A list model's view of the log, rebuilt from items-changed alone. */
typedef struct
{
  GPtrArray *mirror;     /* BeamTraceEntry *, as a list view would hold them */
  guint      n_signals;
  gboolean   check_items;
} Watch;

static void
on_items_changed (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  Watch      *watch)
{
  watch->n_signals++;
  if (!watch->check_items)
    return;
  g_assert_cmpuint (position + removed, <=, watch->mirror->len);
  g_ptr_array_remove_range (watch->mirror, position, removed);
  for (guint i = 0; i < added; i++)
    g_ptr_array_insert (watch->mirror, position + i,
                        g_list_model_get_item (model, position + i));
  /* what the model says now is what the signals said */
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, watch->mirror->len);
}

static void
watch_init (Watch        *watch,
            BeamTraceLog *log,
            gboolean      check_items)
{
  watch->mirror = g_ptr_array_new_with_free_func (g_object_unref);
  watch->n_signals = 0;
  watch->check_items = check_items;
  g_signal_connect (log, "items-changed", G_CALLBACK (on_items_changed), watch);
}

static BeamTraceEvent *
new_event (guint64 i)
{
  BeamTraceEvent *event = beam_trace_event_new (BEAM_TRACE_EVENT_CALL);

  event->time_us = TIME_US + (gint64) i;
  event->pid = g_strdup ("<0.85.0>");
  event->mfa = g_strdup ("lists:seq/2");
  event->term = beam_term_new_list (2, beam_term_new_integer ((gint64) i),
                                    beam_term_new_integer (3));
  return event;
}

/* `n` events numbered from `first` (their first argument) */
static GPtrArray *
new_batch (guint64 first,
           guint   n)
{
  GPtrArray *batch = g_ptr_array_new_full (n, (GDestroyNotify) beam_trace_event_unref);

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (batch, new_event (first + i));
  return batch;
}

static guint64
first_argument (BeamTraceEntry *entry)
{
  return beam_trace_entry_get_event (entry)->term->children[0]->v.integer;
}

/* The mirror holds events first..first+n-1, numbered so. */
static void
check_mirror (Watch   *watch,
              guint64  first,
              guint    n)
{
  g_assert_cmpuint (watch->mirror->len, ==, n);
  for (guint i = 0; i < n; i++)
    {
      BeamTraceEntry *entry = g_ptr_array_index (watch->mirror, i);

      g_assert_cmpuint (first_argument (entry), ==, first + i);
      g_assert_cmpuint (beam_trace_entry_get_number (entry), ==, first + i + 1);
    }
}

static void
append (BeamTraceLog *log,
        guint64       first,
        guint         n)
{
  g_autoptr(GPtrArray) batch = new_batch (first, n);

  beam_trace_log_append (log, batch);
}

static void
test_budget (void)
{
  g_autoptr(BeamTraceLog) log = beam_trace_log_new (10);
  Watch watch;
  guint notified_dropped = 0;

  watch_init (&watch, log, TRUE);
  g_signal_connect (log, "notify::n-dropped", G_CALLBACK (beam_test_count_notify),
                    &notified_dropped);
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (log)) == BEAM_TYPE_TRACE_ENTRY);

  append (log, 0, 4);
  g_assert_cmpuint (watch.n_signals, ==, 1);
  check_mirror (&watch, 0, 4);

  /* 4 + 8 > 10: the two oldest go, then the batch comes: two signals */
  append (log, 4, 8);
  g_assert_cmpuint (watch.n_signals, ==, 3);
  check_mirror (&watch, 2, 10);
  g_assert_cmpuint (beam_trace_log_get_n_dropped (log), ==, 2);
  g_assert_cmpuint (notified_dropped, ==, 1);

  /* a batch bigger than the budget: its last 10, in one signal */
  append (log, 12, 25);
  g_assert_cmpuint (watch.n_signals, ==, 4);
  check_mirror (&watch, 27, 10);
  g_assert_cmpuint (beam_trace_log_get_n_dropped (log), ==, 2 + 10 + 15);
  g_assert_cmpuint (beam_trace_log_get_n_total (log), ==, 37);

  /* an empty batch changes nothing */
  append (log, 37, 0);
  g_assert_cmpuint (watch.n_signals, ==, 4);

  /* a smaller budget drops the oldest at once; a bigger one keeps them */
  beam_trace_log_set_budget (log, 4);
  check_mirror (&watch, 33, 4);
  g_assert_cmpuint (beam_trace_log_get_n_dropped (log), ==, 33);
  beam_trace_log_set_budget (log, 100);
  append (log, 37, 3);
  check_mirror (&watch, 33, 7);
  g_assert_cmpuint (beam_trace_log_get_budget (log), ==, 100);

  /* the same entry object for the same event while it is kept */
  {
    g_autoptr(BeamTraceEntry) again = g_list_model_get_item (G_LIST_MODEL (log), 0);

    g_assert_true (again == g_ptr_array_index (watch.mirror, 0));
    g_assert_null (g_list_model_get_item (G_LIST_MODEL (log), 7));
  }
  g_signal_handlers_disconnect_by_data (log, &watch);
  g_signal_handlers_disconnect_by_data (log, &notified_dropped);
  g_ptr_array_unref (watch.mirror);
}

static void
test_pause_clear (void)
{
  g_autoptr(BeamTraceLog) log = beam_trace_log_new (100);
  Watch watch;
  guint notified_missed = 0;

  watch_init (&watch, log, TRUE);
  g_signal_connect (log, "notify::n-missed", G_CALLBACK (beam_test_count_notify),
                    &notified_missed);
  append (log, 0, 5);
  g_object_set (log, "paused", TRUE, NULL);
  g_assert_true (beam_trace_log_get_paused (log));
  append (log, 5, 7);
  append (log, 12, 3);
  g_assert_cmpuint (watch.n_signals, ==, 1);
  g_assert_cmpuint (beam_trace_log_get_n_missed (log), ==, 10);
  g_assert_cmpuint (notified_missed, ==, 2);
  g_assert_cmpuint (beam_trace_log_get_n_total (log), ==, 15);
  check_mirror (&watch, 0, 5);

  beam_trace_log_set_paused (log, FALSE);
  append (log, 15, 2);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (log)), ==, 7);
  /* numbers count what the log took in: 6 and 7 after a pause */
  g_assert_cmpuint (beam_trace_entry_get_number (g_ptr_array_index (watch.mirror, 5)), ==, 6);

  beam_trace_log_clear (log);
  g_assert_cmpuint (watch.mirror->len, ==, 0);
  g_assert_cmpuint (beam_trace_log_get_n_missed (log), ==, 0);
  g_assert_cmpuint (beam_trace_log_get_n_total (log), ==, 0);
  g_assert_cmpuint (beam_trace_log_get_n_dropped (log), ==, 0);
  append (log, 0, 3);
  check_mirror (&watch, 0, 3);

  g_signal_handlers_disconnect_by_data (log, &watch);
  g_signal_handlers_disconnect_by_data (log, &notified_missed);
  g_ptr_array_unref (watch.mirror);
}

static void
test_entry (void)
{
  g_autoptr(BeamTraceLog) log = beam_trace_log_new (10);
  g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func (
    (GDestroyNotify) beam_trace_event_unref);
  g_autoptr(BeamTraceEntry) call = NULL;
  g_autoptr(BeamTraceEntry) send = NULL;
  g_autoptr(BeamTraceEntry) big = NULL;
  g_autoptr(GString) long_text = g_string_new (NULL);
  g_autofree char *folded = NULL;
  BeamTraceEvent *event;
  const char *summary;

  event = new_event (7);
  event->mfa = (g_free (event->mfa), g_strdup ("Elixir.MyApp.Cache:put/2"));
  g_ptr_array_add (batch, event);

  event = beam_trace_event_new (BEAM_TRACE_EVENT_SEND);
  event->time_us = TIME_US;
  event->pid = g_strdup ("<0.85.0>");
  event->name = g_strdup ("my_server");
  event->term = beam_term_new_tuple (1, beam_term_new_atom ("ping"));
  event->peer = beam_term_new_atom ("other");
  g_ptr_array_add (batch, event);

  for (int i = 0; i < 200; i++)
    g_string_append (long_text, "é");
  event = beam_trace_event_new (BEAM_TRACE_EVENT_RECEIVE);
  event->time_us = TIME_US;
  event->pid = g_strdup ("<0.85.0>");
  event->term = beam_term_new_binary (long_text->str, long_text->len);
  g_ptr_array_add (batch, event);
  beam_trace_log_append (log, batch);

  call = g_list_model_get_item (G_LIST_MODEL (log), 0);
  send = g_list_model_get_item (G_LIST_MODEL (log), 1);
  big = g_list_model_get_item (G_LIST_MODEL (log), 2);

  g_assert_cmpstr (beam_trace_entry_get_time (call), ==, "13:05:11.148307");
  g_assert_cmpstr (beam_trace_entry_get_process (call), ==, "<0.85.0>");
  g_assert_cmpstr (beam_trace_entry_get_process (send), ==, "my_server");
  summary = beam_trace_entry_get_summary (call, BEAM_SYNTAX_ERLANG);
  g_assert_cmpstr (summary, ==, "[7,3]");
  /* cached: the same text each time, per syntax */
  g_assert_true (summary == beam_trace_entry_get_summary (call, BEAM_SYNTAX_ERLANG));
  g_assert_cmpstr (beam_trace_entry_get_summary (call, BEAM_SYNTAX_ELIXIR), ==, "[7, 3]");
  g_assert_cmpstr (beam_trace_entry_get_summary (send, BEAM_SYNTAX_ELIXIR), ==,
                   "→ :other: {:ping}");

  summary = beam_trace_entry_get_summary (big, BEAM_SYNTAX_ELIXIR);
  g_assert_cmpuint (strlen (summary), <=, 300);
  g_assert_cmpuint (strlen (summary), >=, 296);
  g_assert_true (g_utf8_validate (summary, -1, NULL));
  g_assert_true (g_str_has_suffix (summary, "…"));

  /* the filter: process, pid, kind, MFA (either spelling) and summary */
  g_assert_true (beam_trace_entry_matches (call, "", BEAM_SYNTAX_ERLANG));
  g_assert_true (beam_trace_entry_matches (call, "myapp.cache.put", BEAM_SYNTAX_ELIXIR));
  g_assert_true (beam_trace_entry_matches (call, "elixir.myapp", BEAM_SYNTAX_ERLANG));
  g_assert_true (beam_trace_entry_matches (call, "[7,3]", BEAM_SYNTAX_ERLANG));
  g_assert_false (beam_trace_entry_matches (call, "[7,3]", BEAM_SYNTAX_ELIXIR));
  g_assert_true (beam_trace_entry_matches (send, "my_ser", BEAM_SYNTAX_ERLANG));
  g_assert_true (beam_trace_entry_matches (send, "<0.85.0>", BEAM_SYNTAX_ERLANG));
  g_assert_true (beam_trace_entry_matches (send, "send", BEAM_SYNTAX_ERLANG));
  g_assert_false (beam_trace_entry_matches (call, "send", BEAM_SYNTAX_ERLANG));
  folded = g_utf8_casefold ("ÉÉÉ", -1);
  g_assert_true (beam_trace_entry_matches (big, folded, BEAM_SYNTAX_ELIXIR));
  g_assert_false (beam_trace_entry_matches (big, "ping", BEAM_SYNTAX_ELIXIR));
}

static void
test_to_text (void)
{
  g_autoptr(BeamTraceLog) log = beam_trace_log_new (2);
  g_autoptr(GBytes) text = NULL;
  g_autoptr(GBytes) untitled = NULL;

  append (log, 0, 3);
  text = beam_trace_log_to_text (log, "calls lists:seq/2 --count 100", BEAM_SYNTAX_ERLANG);
  g_assert_cmpstr (g_bytes_get_data (text, NULL), ==,
                   "# calls lists:seq/2 --count 100\n"
                   "13:05:11.148301 <0.85.0> lists:seq(1, 3)\n"
                   "13:05:11.148302 <0.85.0> lists:seq(2, 3)\n");
  /* the NUL that ends the data is outside its size */
  g_assert_cmpuint (g_bytes_get_size (text), ==, strlen (g_bytes_get_data (text, NULL)));
  untitled = beam_trace_log_to_text (log, NULL, BEAM_SYNTAX_ELIXIR);
  g_assert_true (g_str_has_prefix (g_bytes_get_data (untitled, NULL),
                                   "13:05:11.148301 <0.85.0> :lists.seq(1, 3)\n"));
}

/* 10,000 events a second in batches of 200 for 100 s: each append costs its
 * batch, not the 100,000 kept, or this takes minutes. */
static void
test_speed (void)
{
  g_autoptr(BeamTraceLog) log = beam_trace_log_new (BEAM_TRACE_LOG_DEFAULT_BUDGET);
  const guint batch_size = 200;
  const guint64 n_events = 1000000;
  gint64 start;
  double elapsed_s;
  gint64 append_us = 0;
  Watch watch;
  guint64 position = 0;

  watch_init (&watch, log, FALSE);
  start = g_get_monotonic_time ();
  for (guint64 first = 0; first < n_events; first += batch_size)
    {
      g_autoptr(GPtrArray) batch = new_batch (first, batch_size);
      g_autoptr(BeamTraceEntry) last = NULL;
      gint64 append_start = g_get_monotonic_time ();

      beam_trace_log_append (log, batch);
      /* a list view reads the rows it shows: the newest */
      last = g_list_model_get_item (G_LIST_MODEL (log),
                                    g_list_model_get_n_items (G_LIST_MODEL (log)) - 1);
      append_us += g_get_monotonic_time () - append_start;
      g_assert_cmpuint (first_argument (last), ==, first + batch_size - 1);
    }
  elapsed_s = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
  /* the appends (the dropped events freed in them), then with the events made */
  g_test_message ("1,000,000 events in batches of 200, budget 100,000: appends %.3f s, "
                  "with making the events %.3f s", append_us / (double) G_USEC_PER_SEC,
                  elapsed_s);
  g_assert_cmpfloat (append_us / (double) G_USEC_PER_SEC, <, 2.0 * BEAM_TEST_SLOWDOWN);

  /* one change while the log fills, then two a batch (the oldest out, the batch in) */
  g_assert_cmpuint (watch.n_signals, ==, 500 + 2 * (5000 - 500));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (log)), ==, 100000);
  g_assert_cmpuint (beam_trace_log_get_n_total (log), ==, n_events);
  g_assert_cmpuint (beam_trace_log_get_n_dropped (log), ==, n_events - 100000);
  for (guint i = 0; i < 100000; i++, position++)
    {
      g_autoptr(BeamTraceEntry) entry = g_list_model_get_item (G_LIST_MODEL (log), i);

      g_assert_cmpuint (first_argument (entry), ==, 900000 + position);
      g_assert_cmpuint (beam_trace_entry_get_number (entry), ==, 900001 + position);
    }
  g_signal_handlers_disconnect_by_data (log, &watch);
  g_ptr_array_unref (watch.mirror);
}

int
main (int argc, char *argv[])
{
  g_setenv ("TZ", "UTC", TRUE);
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/trace-log/budget", test_budget);
  g_test_add_func ("/trace-log/pause-clear", test_pause_clear);
  g_test_add_func ("/trace-log/entry", test_entry);
  g_test_add_func ("/trace-log/to-text", test_to_text);
  g_test_add_func ("/trace-log/speed", test_speed);
  return g_test_run ();
}
