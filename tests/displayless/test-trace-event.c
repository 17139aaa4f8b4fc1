/* SPDX-License-Identifier: GPL-3.0-or-later */

/* Trace events as text (beam-trace-event.c), built by hand: no node. The
 * lines follow recon_trace's formatter (recon_trace:format/1), in both
 * syntaxes; the JSON Lines object has the keys the CLI documents. */

#include "config.h"

#include <locale.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "beam-term-private.h"
#include "beam-trace.h"

/* 2026-12-02 13:05:11.148300 UTC (the test runs with TZ=UTC) */
#define TIME_US G_GINT64_CONSTANT (1796216711148300)

static BeamTerm *
new_pid (guint64 id)
{
  BeamTerm *pid = _beam_term_new (BEAM_TERM_PID);

  pid->v.ident.node = g_strdup ("a@b");
  pid->v.ident.id = id;
  return pid;
}

static BeamTerm *
new_ints (guint n, ...)
{
  GPtrArray *children = g_ptr_array_new ();
  va_list args;

  va_start (args, n);
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (children, beam_term_new_integer (va_arg (args, int)));
  va_end (args);
  return beam_term_new_list_take (children);
}

static BeamTraceEvent *
new_event (BeamTraceEventKind kind,
           const char        *mfa,
           BeamTerm          *term)
{
  BeamTraceEvent *event = beam_trace_event_new (kind);

  event->time_us = TIME_US;
  event->pid = g_strdup ("<0.85.0>");
  event->mfa = g_strdup (mfa);
  event->term = term;
  return event;
}

static void
check_line (const BeamTraceEvent *event,
            BeamSyntax            syntax,
            const char           *expected)
{
  g_autofree char *line = beam_trace_event_to_line (event, syntax, 0);

  g_assert_cmpstr (line, ==, expected);
}

static void
test_kinds (void)
{
  g_autoptr(BeamTraceEvent) call = NULL;
  g_autoptr(BeamTraceEvent) arity = NULL;
  g_autoptr(BeamTraceEvent) ret = NULL;
  g_autoptr(BeamTraceEvent) exception = NULL;
  g_autoptr(BeamTraceEvent) send = NULL;
  g_autoptr(BeamTraceEvent) lost = NULL;
  g_autoptr(BeamTraceEvent) receive = NULL;
  g_autoptr(BeamTraceEvent) elixir = NULL;
  g_autoptr(BeamTraceEvent) quoted = NULL;
  g_autoptr(BeamTraceEvent) other = NULL;

  call = new_event (BEAM_TRACE_EVENT_CALL, "lists:seq/2", new_ints (2, 1, 3));
  check_line (call, BEAM_SYNTAX_ERLANG, "13:05:11.148300 <0.85.0> lists:seq(1, 3)");
  check_line (call, BEAM_SYNTAX_ELIXIR, "13:05:11.148300 <0.85.0> :lists.seq(1, 3)");

  /* the arity flag: an integer instead of the arguments */
  arity = new_event (BEAM_TRACE_EVENT_CALL, "lists:seq/2", beam_term_new_integer (2));
  check_line (arity, BEAM_SYNTAX_ERLANG, "13:05:11.148300 <0.85.0> lists:seq/2");

  ret = new_event (BEAM_TRACE_EVENT_RETURN_FROM, "lists:seq/2", new_ints (3, 1, 2, 3));
  check_line (ret, BEAM_SYNTAX_ERLANG, "13:05:11.148300 <0.85.0> lists:seq/2 --> [1,2,3]");
  check_line (ret, BEAM_SYNTAX_ELIXIR, "13:05:11.148300 <0.85.0> :lists.seq/2 --> [1, 2, 3]");

  exception = new_event (BEAM_TRACE_EVENT_EXCEPTION_FROM, "erlang:error/1",
                         beam_term_new_tuple (2, beam_term_new_atom ("error"),
                                              beam_term_new_atom ("badarg")));
  check_line (exception, BEAM_SYNTAX_ERLANG,
              "13:05:11.148300 <0.85.0> erlang:error/1 error badarg");
  check_line (exception, BEAM_SYNTAX_ELIXIR,
              "13:05:11.148300 <0.85.0> :erlang.error/1 :error :badarg");

  send = new_event (BEAM_TRACE_EVENT_SEND, NULL,
                    beam_term_new_tuple (1, beam_term_new_atom ("ping")));
  send->peer = new_pid (86);
  check_line (send, BEAM_SYNTAX_ERLANG, "13:05:11.148300 <0.85.0>  > <0.86.0>: {ping}");
  check_line (send, BEAM_SYNTAX_ELIXIR,
              "13:05:11.148300 <0.85.0>  > #PID<0.86.0>: {:ping}");

  lost = new_event (BEAM_TRACE_EVENT_SEND_TO_NON_EXISTING, NULL, beam_term_new_atom ("hi"));
  lost->peer = beam_term_new_atom ("gone");
  check_line (lost, BEAM_SYNTAX_ERLANG,
              "13:05:11.148300 <0.85.0>  > (non_existent) gone: hi");

  receive = new_event (BEAM_TRACE_EVENT_RECEIVE, NULL,
                       beam_term_new_binary ("caf\xc3\xa9", 5));
  check_line (receive, BEAM_SYNTAX_ERLANG, "13:05:11.148300 <0.85.0> < <<\"café\"/utf8>>");
  check_line (receive, BEAM_SYNTAX_ELIXIR, "13:05:11.148300 <0.85.0> < \"café\"");

  elixir = new_event (BEAM_TRACE_EVENT_CALL, "Elixir.MyApp.Cache:put/2",
                      new_ints (2, 1, 2));
  check_line (elixir, BEAM_SYNTAX_ELIXIR, "13:05:11.148300 <0.85.0> MyApp.Cache.put(1, 2)");
  check_line (elixir, BEAM_SYNTAX_ERLANG,
              "13:05:11.148300 <0.85.0> 'Elixir.MyApp.Cache':put(1, 2)");

  /* a function name that needs quotes, as ~p writes it */
  quoted = new_event (BEAM_TRACE_EVENT_RETURN_FROM, "m:Fun/0", beam_term_new_atom ("ok"));
  check_line (quoted, BEAM_SYNTAX_ERLANG, "13:05:11.148300 <0.85.0> m:'Fun'/0 --> ok");

  other = new_event (BEAM_TRACE_EVENT_OTHER, NULL,
                     beam_term_new_tuple (2, beam_term_new_atom ("trace"),
                                          beam_term_new_atom ("gc_start")));
  check_line (other, BEAM_SYNTAX_ERLANG, "13:05:11.148300 <0.85.0> other {trace,gc_start}");

  g_assert_cmpstr (beam_trace_event_kind_to_string (BEAM_TRACE_EVENT_SEND_TO_NON_EXISTING),
                   ==, "send_to_non_existing_process");
  g_assert_cmpstr (beam_trace_event_kind_to_string (BEAM_TRACE_EVENT_EXCEPTION_FROM),
                   ==, "exception_from");
}

static void
test_sys (void)
{
  g_autoptr(BeamTraceEvent) event = new_event (BEAM_TRACE_EVENT_SYS, NULL,
                                               beam_term_new_atom ("x"));
  g_autofree char *line = NULL;

  /* sys prints a long term over lines (~tp): one line here, its text kept */
  event->text = g_strdup ("*DBG* cache got call {put,k,\n"
                          "                       [1,2]} from <0.90.0>\n");
  line = beam_trace_event_to_line (event, BEAM_SYNTAX_ELIXIR, 0);
  g_assert_cmpstr (line, ==, "*DBG* cache got call {put,k, [1,2]} from <0.90.0>");
}

static void
test_cut (void)
{
  g_autoptr(BeamTraceEvent) event = NULL;
  g_autofree char *full = NULL;

  /* "é" is two bytes: every cut lands between characters and ends in "…" */
  event = new_event (BEAM_TRACE_EVENT_RECEIVE, NULL,
                     beam_term_new_binary ("\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
                                           "\xc3\xa9\xc3\xa9\xc3\xa9", 16));
  full = beam_trace_event_to_line (event, BEAM_SYNTAX_ELIXIR, 0);
  g_assert_cmpstr (full, ==, "13:05:11.148300 <0.85.0> < \"éééééééé\"");
  for (gsize max = 3; max < strlen (full); max++)
    {
      g_autofree char *cut = beam_trace_event_to_line (event, BEAM_SYNTAX_ELIXIR, max);

      g_assert_cmpuint (strlen (cut), <=, max);
      g_assert_cmpuint (strlen (cut) + 1, >=, max);   /* at most half an "é" less */
      g_assert_true (g_utf8_validate (cut, -1, NULL));
      g_assert_true (g_str_has_suffix (cut, "…"));
      g_assert_true (strncmp (cut, full, strlen (cut) - strlen ("…")) == 0);
    }
  {
    g_autofree char *whole = beam_trace_event_to_line (event, BEAM_SYNTAX_ELIXIR,
                                                       strlen (full));
    g_assert_cmpstr (whole, ==, full);
  }
}

static JsonObject *
parse_object (const char *text,
              JsonParser *parser)
{
  g_autoptr(GError) error = NULL;

  g_assert_null (strchr (text, '\n'));
  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  return json_node_get_object (json_parser_get_root (parser));
}

static void
test_json (void)
{
  g_autoptr(BeamTraceEvent) call = NULL;
  g_autoptr(BeamTraceEvent) send = NULL;
  g_autoptr(BeamTraceEvent) sys = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *call_json = NULL;
  g_autofree char *send_json = NULL;
  g_autofree char *sys_json = NULL;
  JsonObject *object;

  call = new_event (BEAM_TRACE_EVENT_CALL, "Elixir.MyApp.Cache:put/2", new_ints (2, 1, 2));
  call->name = g_strdup ("Elixir.MyApp.Cache");
  call_json = beam_trace_event_to_json (call, BEAM_SYNTAX_ELIXIR);
  object = parse_object (call_json, parser);
  g_assert_cmpstr (json_object_get_string_member (object, "time"), ==,
                   "2026-12-02T13:05:11.148300Z");
  g_assert_cmpstr (json_object_get_string_member (object, "pid"), ==, "<0.85.0>");
  g_assert_cmpstr (json_object_get_string_member (object, "name"), ==, "MyApp.Cache");
  g_assert_cmpstr (json_object_get_string_member (object, "kind"), ==, "call");
  g_assert_cmpstr (json_object_get_string_member (object, "mfa"), ==, "MyApp.Cache.put/2");
  g_assert_cmpstr (json_object_get_string_member (object, "term"), ==, "[1, 2]");
  g_assert_false (json_object_has_member (object, "to"));
  g_assert_cmpuint (json_object_get_size (object), ==, 6);

  /* A call of work(37): its arguments are [37], which io_lib prints as "%". */
  {
    g_autoptr(BeamTraceEvent) printable = new_event (BEAM_TRACE_EVENT_CALL, "m:work/1",
                                                     new_ints (1, 37));
    g_autofree char *printable_json = beam_trace_event_to_json (printable, BEAM_SYNTAX_ERLANG);

    object = parse_object (printable_json, parser);
    g_assert_cmpstr (json_object_get_string_member (object, "term"), ==, "[37]");
  }

  send = new_event (BEAM_TRACE_EVENT_SEND, NULL, beam_term_new_atom ("ping"));
  send->peer = new_pid (86);
  send->time_us = -1;   /* before 1970: still a valid time */
  send_json = beam_trace_event_to_json (send, BEAM_SYNTAX_ERLANG);
  object = parse_object (send_json, parser);
  g_assert_cmpstr (json_object_get_string_member (object, "time"), ==,
                   "1969-12-31T23:59:59.999999Z");
  g_assert_true (json_object_get_null_member (object, "name"));
  g_assert_true (json_object_get_null_member (object, "mfa"));
  g_assert_cmpstr (json_object_get_string_member (object, "kind"), ==, "send");
  g_assert_cmpstr (json_object_get_string_member (object, "term"), ==, "ping");
  g_assert_cmpstr (json_object_get_string_member (object, "to"), ==, "<0.86.0>");

  sys = new_event (BEAM_TRACE_EVENT_SYS, NULL,
                   beam_term_new_tuple (2, beam_term_new_atom ("in"),
                                        beam_term_new_binary ("\"\n", 2)));
  sys->text = g_strdup ("*DBG* <0.85.0> got \"x\"\n");
  sys_json = beam_trace_event_to_json (sys, BEAM_SYNTAX_ERLANG);
  object = parse_object (sys_json, parser);
  g_assert_cmpstr (json_object_get_string_member (object, "kind"), ==, "sys");
  g_assert_cmpstr (json_object_get_string_member (object, "text"), ==,
                   "*DBG* <0.85.0> got \"x\"");
  g_assert_cmpstr (json_object_get_string_member (object, "term"), ==, "{in,<<\"\\\"\\n\">>}");

  /* sys broke a long state over two lines: the JSON's text is one. */
  g_free (sys->text);
  sys->text = g_strdup ("*DBG* srv new state #{a => 1,\n                        b => 2}\n");
  g_free (sys_json);
  sys_json = beam_trace_event_to_json (sys, BEAM_SYNTAX_ERLANG);
  object = parse_object (sys_json, parser);
  g_assert_cmpstr (json_object_get_string_member (object, "text"), ==,
                   "*DBG* srv new state #{a => 1, b => 2}");
}

static gpointer
ref_many (gpointer data)
{
  BeamTraceEvent *event = data;

  for (int i = 0; i < 100000; i++)
    {
      beam_trace_event_ref (event);
      beam_trace_event_unref (event);
    }
  return NULL;
}

static void
test_refcount (void)
{
  BeamTraceEvent *event = new_event (BEAM_TRACE_EVENT_CALL, "m:f/0", new_ints (0));
  GThread *threads[4];

  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("ref", ref_many, event);
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    g_thread_join (threads[i]);
  g_assert_cmpint (event->ref_count, ==, 1);
  g_assert_true (beam_trace_event_ref (event) == event);
  beam_trace_event_unref (event);
  beam_trace_event_unref (event);   /* the last: freed (ASan checks) */
}

int
main (int argc, char *argv[])
{
  g_setenv ("TZ", "UTC", TRUE);
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/trace-event/kinds", test_kinds);
  g_test_add_func ("/trace-event/sys", test_sys);
  g_test_add_func ("/trace-event/cut", test_cut);
  g_test_add_func ("/trace-event/json", test_json);
  g_test_add_func ("/trace-event/refcount", test_refcount);
  return g_test_run ();
}
