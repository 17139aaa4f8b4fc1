/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the diagnostics report, without a node (beam-diagnostics-report.c):
 * the checks' names, the defaults, --threshold's syntax and its refusals,
 * the worst status, the monitoring plugin's line (its performance data
 * checked against the Nagios plugin guidelines' grammar) and the JSON. */

#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "beam-diagnostics.h"

static const char * const check_names[] = {
  "message_queue", "queue_growth", "atoms", "binary_memory", "schedulers", "dirty_schedulers",
  "process_limit", "port_limit", "ets_limit", "ets_memory", "process_memory", "memory_growth",
};

/* The results are built here and freed here: what a probe fills is
 * beam-diagnostics.c's, and this test reads only what the report reads. */
static void
figure_free (gpointer data)
{
  BeamFigure *figure = data;

  g_free (figure->label);
  g_free (figure->unit);
  g_free (figure);
}

static void
culprit_free (gpointer data)
{
  BeamCulprit *culprit = data;

  g_free (culprit->id);
  g_free (culprit->name);
  g_free (culprit->detail);
  g_free (culprit);
}

static void
result_free (gpointer data)
{
  BeamCheckResult *result = data;

  g_free (result->summary);
  g_ptr_array_unref (result->figures);
  g_ptr_array_unref (result->culprits);
  g_free (result);
}

static BeamCheckResult *
add_result (GPtrArray       *results,
            BeamCheck        check,
            BeamCheckStatus  status,
            const char      *summary)
{
  BeamCheckResult *result = g_new0 (BeamCheckResult, 1);

  result->check = check;
  result->status = status;
  result->summary = g_strdup (summary);
  result->figures = g_ptr_array_new_with_free_func (figure_free);
  result->culprits = g_ptr_array_new_with_free_func (culprit_free);
  result->ran_at = 1764646200123456;  /* 2025-12-02T03:30:00.123456Z */
  result->reductions = 12345;
  result->node_us = 1000000;
  g_ptr_array_add (results, result);
  return result;
}

static void
add_figure (BeamCheckResult *result,
            const char      *label,
            double           value,
            const char      *unit,
            double           warning,
            double           critical,
            double           min,
            double           max)
{
  BeamFigure *figure = g_new0 (BeamFigure, 1);

  *figure = (BeamFigure) { g_strdup (label), value, g_strdup (unit), warning, critical, min,
                           max };
  g_ptr_array_add (result->figures, figure);
}

static void
add_culprit (BeamCheckResult *result,
             BeamCulpritKind  kind,
             const char      *id,
             const char      *name,
             const char      *detail,
             double           value)
{
  BeamCulprit *culprit = g_new0 (BeamCulprit, 1);

  *culprit = (BeamCulprit) { kind, g_strdup (id), g_strdup (name), g_strdup (detail), value };
  g_ptr_array_add (result->culprits, culprit);
}

static GPtrArray *
new_results (void)
{
  return g_ptr_array_new_with_free_func (result_free);
}

static void
test_names (void)
{
  G_STATIC_ASSERT (G_N_ELEMENTS (check_names) == BEAM_N_CHECKS);

  for (guint i = 0; i < BEAM_N_CHECKS; i++)
    {
      BeamCheck check = BEAM_N_CHECKS;

      g_assert_cmpstr (beam_check_to_string ((BeamCheck) i), ==, check_names[i]);
      g_assert_true (beam_check_from_string (check_names[i], &check));
      g_assert_cmpint (check, ==, i);
    }
  for (const char * const *bad = (const char * const[]) { "", "bogus", "Message_queue",
                                                          "atoms ", "atom", NULL };
       *bad != NULL; bad++)
    {
      BeamCheck check = BEAM_CHECK_ATOMS;

      g_assert_false (beam_check_from_string (*bad, &check));
      g_assert_cmpint (check, ==, BEAM_CHECK_ATOMS);
    }
  g_assert_cmpstr (beam_check_status_to_string (BEAM_CHECK_OK), ==, "ok");
  g_assert_cmpstr (beam_check_status_to_string (BEAM_CHECK_WARNING), ==, "warning");
  g_assert_cmpstr (beam_check_status_to_string (BEAM_CHECK_CRITICAL), ==, "critical");
  g_assert_cmpstr (beam_check_status_to_string (BEAM_CHECK_UNKNOWN), ==, "unknown");
}

static void
test_defaults (void)
{
  BeamDiagnosticsOptions options;

  memset (&options, 0xff, sizeof options);
  beam_diagnostics_options_init (&options);
  g_assert_cmpuint (options.window_ms, ==, 1000);
  g_assert_cmpuint (options.top, ==, 10);
  g_assert_cmpfloat (options.thresholds[BEAM_CHECK_MESSAGE_QUEUE].warning, ==, 1000);
  g_assert_cmpfloat (options.thresholds[BEAM_CHECK_MESSAGE_QUEUE].critical, ==, 10000);
  g_assert_cmpfloat (options.thresholds[BEAM_CHECK_ATOMS].warning, ==, 70);
  g_assert_cmpfloat (options.thresholds[BEAM_CHECK_ATOMS].critical, ==, 90);
  g_assert_cmpfloat (options.thresholds[BEAM_CHECK_SCHEDULERS].warning, ==, 80);
  g_assert_cmpfloat (options.thresholds[BEAM_CHECK_PROCESS_MEMORY].warning, ==, 256 << 20);
  g_assert_cmpfloat (options.thresholds[BEAM_CHECK_PROCESS_MEMORY].critical, ==, 1 << 30);
  for (guint i = 0; i < BEAM_N_CHECKS; i++)
    {
      g_assert_cmpfloat (options.thresholds[i].warning, >, 0);
      g_assert_cmpfloat (options.thresholds[i].warning, <, options.thresholds[i].critical);
    }
}

static void
assert_parses (const char *text,
               BeamCheck   check,
               double      warning,
               double      critical)
{
  BeamDiagnosticsOptions options;
  g_autoptr(GError) error = NULL;

  beam_diagnostics_options_init (&options);
  g_assert_true (beam_diagnostics_options_parse_threshold (&options, text, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (options.thresholds[check].warning, ==, warning);
  g_assert_cmpfloat (options.thresholds[check].critical, ==, critical);
}

static void
test_parse_threshold (void)
{
  BeamDiagnosticsOptions options;
  g_autoptr(GError) error = NULL;

  assert_parses ("message_queue=1,2", BEAM_CHECK_MESSAGE_QUEUE, 1, 2);
  assert_parses ("message_queue=5,5", BEAM_CHECK_MESSAGE_QUEUE, 5, 5);
  assert_parses (" queue_growth = 10 , 20 ", BEAM_CHECK_QUEUE_GROWTH, 10, 20);
  assert_parses ("atoms=60%,80%", BEAM_CHECK_ATOMS, 60, 80);
  assert_parses ("atoms=60,80.5", BEAM_CHECK_ATOMS, 60, 80.5);
  /* The warning alone keeps the default critical. */
  assert_parses ("atoms=75", BEAM_CHECK_ATOMS, 75, 90);
  assert_parses ("binary_memory=0", BEAM_CHECK_BINARY_MEMORY, 0, 75);
  assert_parses ("process_memory=256MiB,1GB", BEAM_CHECK_PROCESS_MEMORY, 268435456, 1e9);
  assert_parses ("process_memory=100 kb,2gib", BEAM_CHECK_PROCESS_MEMORY, 100000,
                 2147483648.0);
  assert_parses ("process_memory=1000,2000B", BEAM_CHECK_PROCESS_MEMORY, 1000, 2000);
  /* Growth can be over 100 %, a share of a limit cannot. */
  assert_parses ("memory_growth=150%,300%", BEAM_CHECK_MEMORY_GROWTH, 150, 300);

  /* Several in turn, each its own check. */
  beam_diagnostics_options_init (&options);
  g_assert_true (beam_diagnostics_options_parse_threshold (&options, "atoms=1,2", &error));
  g_assert_true (beam_diagnostics_options_parse_threshold (&options, "ets_limit=3,4", &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (options.thresholds[BEAM_CHECK_ATOMS].critical, ==, 2);
  g_assert_cmpfloat (options.thresholds[BEAM_CHECK_ETS_LIMIT].warning, ==, 3);
  g_assert_cmpfloat (options.thresholds[BEAM_CHECK_PORT_LIMIT].warning, ==, 70);
}

static void
assert_refused (const char *text,
                const char *must_contain)
{
  BeamDiagnosticsOptions options;
  BeamDiagnosticsOptions before;
  g_autoptr(GError) error = NULL;

  beam_diagnostics_options_init (&options);
  before = options;
  g_assert_false (beam_diagnostics_options_parse_threshold (&options, text, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  if (strstr (error->message, must_contain) == NULL)
    g_error ("“%s”: “%s” does not say “%s”", text, error->message, must_contain);
  g_assert_null (strchr (error->message, '\n'));
  /* A refused threshold changes nothing. */
  g_assert_true (memcmp (&options, &before, sizeof options) == 0);
}

static void
test_parse_threshold_refused (void)
{
  /* An unknown check: the message lists every one there is. */
  for (guint i = 0; i < BEAM_N_CHECKS; i++)
    assert_refused ("bogus=1", check_names[i]);
  assert_refused ("bogus=1", "bogus");
  assert_refused ("=1", "no check");
  assert_refused ("message_queue", "CHECK=WARNING");
  assert_refused ("", "CHECK=WARNING");
  assert_refused ("message_queue=", "one threshold");
  assert_refused ("message_queue=abc", "abc");
  assert_refused ("message_queue=-5", "not negative");
  assert_refused ("message_queue=nan", "nan");
  assert_refused ("message_queue=inf", "inf");
  assert_refused ("message_queue=0x10", "0x10");
  assert_refused ("message_queue=10%", "plain number");
  assert_refused ("message_queue=1,2,3", "two");
  assert_refused ("message_queue=1,", "no threshold");
  assert_refused ("message_queue=10,5", "below");
  /* Over the default critical (10000) with no critical given. */
  assert_refused ("message_queue=20000", "10000");
  assert_refused ("atoms=120%", "over 100");
  assert_refused ("atoms=50MiB", "percentage");
  assert_refused ("atoms=90,80", "below");
  assert_refused ("process_memory=12XB", "size");
  assert_refused ("process_memory=2GiB", "1073741824");
  assert_refused ("process_memory=1%", "size");
}

static void
test_worst (void)
{
  g_autoptr(GPtrArray) results = new_results ();

  /* Nothing ran: nothing can be said. */
  g_assert_cmpint (beam_diagnostics_worst (results), ==, BEAM_CHECK_UNKNOWN);
  add_result (results, BEAM_CHECK_ATOMS, BEAM_CHECK_OK, "ok");
  add_result (results, BEAM_CHECK_ETS_LIMIT, BEAM_CHECK_OK, "ok");
  g_assert_cmpint (beam_diagnostics_worst (results), ==, BEAM_CHECK_OK);
  /* A check that could not run is worse than ok... */
  add_result (results, BEAM_CHECK_SCHEDULERS, BEAM_CHECK_UNKNOWN, "timed out");
  g_assert_cmpint (beam_diagnostics_worst (results), ==, BEAM_CHECK_UNKNOWN);
  /* ...and than a warning, since what it could not see may be critical... */
  add_result (results, BEAM_CHECK_MESSAGE_QUEUE, BEAM_CHECK_WARNING, "1,500 messages");
  g_assert_cmpint (beam_diagnostics_worst (results), ==, BEAM_CHECK_UNKNOWN);
  /* ...but hides no critical finding. */
  add_result (results, BEAM_CHECK_QUEUE_GROWTH, BEAM_CHECK_CRITICAL, "+2,000");
  g_assert_cmpint (beam_diagnostics_worst (results), ==, BEAM_CHECK_CRITICAL);
  add_result (results, BEAM_CHECK_PORT_LIMIT, BEAM_CHECK_WARNING, "75 %");
  g_assert_cmpint (beam_diagnostics_worst (results), ==, BEAM_CHECK_CRITICAL);

  /* A warning alone is a warning. */
  g_ptr_array_set_size (results, 0);
  add_result (results, BEAM_CHECK_ATOMS, BEAM_CHECK_OK, "ok");
  add_result (results, BEAM_CHECK_PORT_LIMIT, BEAM_CHECK_WARNING, "75 %");
  g_assert_cmpint (beam_diagnostics_worst (results), ==, BEAM_CHECK_WARNING);
}

/* The performance data's grammar in the Nagios plugin guidelines:
 * 'label'=value[UOM];[warn];[crit];[min];[max], separated by spaces, the
 * value U where it could not be read (monitoring-plugins' version). */
static void
assert_valid_perfdata (const char *perfdata)
{
  g_autoptr(GRegex) item = g_regex_new ("^'(?:[^'=]|'')+'=(?:-?[0-9.]+(?:s|ms|us|%|B|KB|MB|GB|"
                                        "TB|c)?|U)(?:;-?[0-9.]*){0,4} ?", 0, 0, NULL);
  const char *at = perfdata;

  while (*at != '\0')
    {
      g_autoptr(GMatchInfo) match = NULL;
      int end;

      if (!g_regex_match (item, at, 0, &match))
        g_error ("not performance data at “%s”", at);
      g_match_info_fetch_pos (match, 0, NULL, &end);
      g_assert_cmpint (end, >, 0);
      at += end;
    }
}

static void
test_plugin_summary (void)
{
  g_autoptr(GPtrArray) results = new_results ();
  BeamCheckResult *queue;
  BeamCheckResult *atoms;
  BeamCheckResult *heap;
  g_autofree char *line = NULL;
  const char *bar;

  queue = add_result (results, BEAM_CHECK_MESSAGE_QUEUE, BEAM_CHECK_CRITICAL,
                      "<0.123.0> my_server 43210 messages");
  add_figure (queue, "message_queue", 43210, "", 1000, 10000, 0, NAN);
  atoms = add_result (results, BEAM_CHECK_ATOMS, BEAM_CHECK_OK, "12.5 % of 1,048,576");
  add_figure (atoms, "atoms", 12.5, "%", 70, 90, 0, 100);
  add_figure (atoms, "atom_count", 131072, "", NAN, NAN, 0, 1048576);
  heap = add_result (results, BEAM_CHECK_PROCESS_MEMORY, BEAM_CHECK_WARNING, "<0.9.0> 300 MB");
  add_figure (heap, "process_memory", 300e6, "B", 268435456, 1073741824, 0, NAN);

  line = beam_diagnostics_plugin_summary (results);
  g_test_message ("%s", line);
  g_assert_cmpstr (line, ==,
                   "BEAM CRITICAL - message_queue: <0.123.0> my_server 43210 messages"
                   " | 'message_queue'=43210;1000;10000;0;"
                   " 'atoms'=12.5%;70;90;0;100"
                   " 'atom_count'=131072;;;0;1048576"
                   " 'process_memory'=300000000B;268435456;1073741824;0;");
  bar = strstr (line, " | ");
  assert_valid_perfdata (bar + 3);

  /* Three warnings: each named, in the results' order, "; "-joined. */
  queue->status = BEAM_CHECK_WARNING;
  add_result (results, BEAM_CHECK_QUEUE_GROWTH, BEAM_CHECK_WARNING, "<0.77.0> +600 messages");
  g_clear_pointer (&line, g_free);
  line = beam_diagnostics_plugin_summary (results);
  g_assert_true (g_str_has_prefix (line,
                                   "BEAM WARNING - message_queue: <0.123.0> my_server 43210 "
                                   "messages; process_memory: <0.9.0> 300 MB; queue_growth: "
                                   "<0.77.0> +600 messages | 'message_queue'="));
}

static void
test_plugin_summary_ok_and_hostile (void)
{
  g_autoptr(GPtrArray) results = new_results ();
  g_autoptr(GPtrArray) none = new_results ();
  BeamCheckResult *result;
  g_autofree char *line = NULL;
  g_autofree char *empty = NULL;

  result = add_result (results, BEAM_CHECK_ATOMS, BEAM_CHECK_OK, "fine");
  add_figure (result, "atoms", 0.1234, "%", 70, 90, 0, 100);
  add_figure (result, "tiny", -0.0, "", NAN, NAN, NAN, NAN);
  add_figure (result, "huge", 1e18, "B", NAN, NAN, NAN, NAN);
  add_figure (result, "gone", NAN, "", NAN, NAN, NAN, NAN);
  add_result (results, BEAM_CHECK_ETS_LIMIT, BEAM_CHECK_OK, "fine");
  line = beam_diagnostics_plugin_summary (results);
  g_test_message ("%s", line);
  g_assert_cmpstr (line, ==,
                   "BEAM OK - all 2 checks ok | 'atoms'=0.123%;70;90;0;100 'tiny'=0;;;;"
                   " 'huge'=1000000000000000000B;;;; 'gone'=U;;;;");

  /* What a node names goes on one line, with no '|' to start perfdata
   * early; a label's quote is doubled, its '=' replaced, a unit the
   * guidelines do not know left out. */
  result->status = BEAM_CHECK_CRITICAL;
  g_free (result->summary);
  result->summary = g_strdup ("<0.1.0> 'evil|name'\nBEAM OK\r\t");
  g_ptr_array_set_size (result->figures, 0);
  add_figure (result, "it's=x", 5, "messages", 1, 2, NAN, NAN);
  g_clear_pointer (&line, g_free);
  line = beam_diagnostics_plugin_summary (results);
  g_test_message ("%s", line);
  g_assert_cmpstr (line, ==,
                   "BEAM CRITICAL - atoms: <0.1.0> 'evil/name' BEAM OK   | 'it''s_x'=5;1;2;;");
  assert_valid_perfdata (strstr (line, " | ") + 3);

  /* The same reason, said once for the checks that share it. */
  add_result (results, BEAM_CHECK_SCHEDULERS, BEAM_CHECK_UNKNOWN, "Timed out");
  add_result (results, BEAM_CHECK_PORT_LIMIT, BEAM_CHECK_UNKNOWN, "No reply");
  add_result (results, BEAM_CHECK_MEMORY_GROWTH, BEAM_CHECK_UNKNOWN, "Timed out");
  result->status = BEAM_CHECK_UNKNOWN;
  g_free (result->summary);
  result->summary = g_strdup ("Timed out");
  g_clear_pointer (&line, g_free);
  line = beam_diagnostics_plugin_summary (results);
  g_assert_true (g_str_has_prefix (line, "BEAM UNKNOWN - atoms, schedulers, memory_growth: Timed "
                                         "out; port_limit: No reply | "));

  empty = beam_diagnostics_plugin_summary (none);
  g_assert_cmpstr (empty, ==, "BEAM UNKNOWN - no checks ran");
}

static void
assert_members (JsonObject         *object,
                const char * const *expected)
{
  g_autoptr(GList) members = json_object_get_members (object);

  g_assert_cmpuint (g_list_length (members), ==, g_strv_length ((char **) expected));
  for (guint i = 0; expected[i] != NULL; i++)
    if (!json_object_has_member (object, expected[i]))
      g_error ("no member “%s”", expected[i]);
}

static void
test_json (void)
{
  static const char * const result_keys[] = { "check", "status", "summary", "details", NULL };
  static const char * const details_keys[] = { "figures", "culprits", "ran_at", "reductions",
                                               "node_us", NULL };
  static const char * const figure_keys[] = { "label", "value", "unit", "warning", "critical",
                                              "min", "max", NULL };
  static const char * const culprit_keys[] = { "kind", "id", "name", "detail", "value", NULL };
  g_autoptr(GPtrArray) results = new_results ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  BeamCheckResult *queue;
  BeamCheckResult *table;
  JsonArray *array;
  JsonObject *object;
  JsonObject *details;
  JsonObject *figure;
  JsonObject *culprit;

  queue = add_result (results, BEAM_CHECK_MESSAGE_QUEUE, BEAM_CHECK_CRITICAL,
                      "<0.123.0> my_server 43210 messages");
  add_figure (queue, "message_queue", 43210, "", 1000, 10000, 0, NAN);
  add_culprit (queue, BEAM_CULPRIT_PROCESS, "<0.123.0>", "my_server", "gen_server:loop/7",
               43210);
  add_culprit (queue, BEAM_CULPRIT_PROCESS, "<0.124.0>", NULL, NULL, 2.5);
  table = add_result (results, BEAM_CHECK_ETS_MEMORY, BEAM_CHECK_UNKNOWN, "timed out");
  table->reductions = -1;
  table->node_us = -1;
  table->ran_at = 0;
  add_culprit (table, BEAM_CULPRIT_TABLE, "#Ref<0.1.2.3>", "cache", NULL, 30);

  root = beam_diagnostics_to_json (results);
  text = json_to_string (root, FALSE);
  g_test_message ("%s", text);
  array = json_node_get_array (root);
  g_assert_cmpuint (json_array_get_length (array), ==, 2);

  object = json_array_get_object_element (array, 0);
  assert_members (object, result_keys);
  g_assert_cmpstr (json_object_get_string_member (object, "check"), ==, "message_queue");
  g_assert_cmpstr (json_object_get_string_member (object, "status"), ==, "critical");
  g_assert_cmpstr (json_object_get_string_member (object, "summary"), ==,
                   "<0.123.0> my_server 43210 messages");
  details = json_object_get_object_member (object, "details");
  assert_members (details, details_keys);
  g_assert_cmpstr (json_object_get_string_member (details, "ran_at"), ==,
                   "2025-12-02T03:30:00.123456Z");
  g_assert_cmpint (json_object_get_int_member (details, "reductions"), ==, 12345);
  g_assert_cmpint (json_object_get_int_member (details, "node_us"), ==, 1000000);

  figure = json_array_get_object_element (json_object_get_array_member (details, "figures"), 0);
  assert_members (figure, figure_keys);
  g_assert_cmpstr (json_object_get_string_member (figure, "label"), ==, "message_queue");
  /* A whole number is an integer, one not known is null. */
  g_assert_cmpint (json_node_get_value_type (json_object_get_member (figure, "value")), ==,
                   G_TYPE_INT64);
  g_assert_cmpint (json_object_get_int_member (figure, "value"), ==, 43210);
  g_assert_cmpstr (json_object_get_string_member (figure, "unit"), ==, "");
  g_assert_cmpint (json_object_get_int_member (figure, "critical"), ==, 10000);
  g_assert_true (json_object_get_null_member (figure, "max"));

  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (details, "culprits")),
                    ==, 2);
  culprit = json_array_get_object_element (json_object_get_array_member (details, "culprits"),
                                           0);
  assert_members (culprit, culprit_keys);
  g_assert_cmpstr (json_object_get_string_member (culprit, "kind"), ==, "process");
  g_assert_cmpstr (json_object_get_string_member (culprit, "id"), ==, "<0.123.0>");
  g_assert_cmpstr (json_object_get_string_member (culprit, "name"), ==, "my_server");
  g_assert_cmpstr (json_object_get_string_member (culprit, "detail"), ==, "gen_server:loop/7");
  culprit = json_array_get_object_element (json_object_get_array_member (details, "culprits"),
                                           1);
  g_assert_true (json_object_get_null_member (culprit, "name"));
  g_assert_true (json_object_get_null_member (culprit, "detail"));
  g_assert_cmpfloat (json_object_get_double_member (culprit, "value"), ==, 2.5);

  object = json_array_get_object_element (array, 1);
  g_assert_cmpstr (json_object_get_string_member (object, "check"), ==, "ets_memory");
  g_assert_cmpstr (json_object_get_string_member (object, "status"), ==, "unknown");
  details = json_object_get_object_member (object, "details");
  g_assert_true (json_object_get_null_member (details, "reductions"));
  g_assert_true (json_object_get_null_member (details, "node_us"));
  g_assert_true (json_object_get_null_member (details, "ran_at"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (details, "figures")),
                    ==, 0);
  culprit = json_array_get_object_element (json_object_get_array_member (details, "culprits"),
                                           0);
  g_assert_cmpstr (json_object_get_string_member (culprit, "kind"), ==, "table");
}

static void
test_bin_leak_json (void)
{
  static const char * const keys[] = { "pid", "value", "name", "initial_call",
                                       "current_function", NULL };
  BeamBinLeak leaks[] = {
    { (char *) "<0.90.0>", -4321, (char *) "leaky", (char *) "beamscope_trouble:leak/0",
      (char *) "timer:sleep/1" },
    { (char *) "<0.91.0>", 0, NULL, NULL, NULL },
  };
  g_autoptr(GPtrArray) array = g_ptr_array_new ();
  g_autoptr(JsonNode) root = NULL;
  JsonArray *items;
  JsonObject *object;

  for (guint i = 0; i < G_N_ELEMENTS (leaks); i++)
    g_ptr_array_add (array, &leaks[i]);
  root = beam_bin_leak_to_json (array);
  items = json_node_get_array (root);
  g_assert_cmpuint (json_array_get_length (items), ==, 2);
  object = json_array_get_object_element (items, 0);
  assert_members (object, keys);
  g_assert_cmpstr (json_object_get_string_member (object, "pid"), ==, "<0.90.0>");
  g_assert_cmpint (json_object_get_int_member (object, "value"), ==, -4321);
  g_assert_cmpstr (json_object_get_string_member (object, "name"), ==, "leaky");
  g_assert_cmpstr (json_object_get_string_member (object, "initial_call"), ==,
                   "beamscope_trouble:leak/0");
  g_assert_cmpstr (json_object_get_string_member (object, "current_function"), ==,
                   "timer:sleep/1");
  object = json_array_get_object_element (items, 1);
  assert_members (object, keys);
  g_assert_true (json_object_get_null_member (object, "name"));
  g_assert_true (json_object_get_null_member (object, "initial_call"));
  g_assert_true (json_object_get_null_member (object, "current_function"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/diagnostics-report/names", test_names);
  g_test_add_func ("/diagnostics-report/defaults", test_defaults);
  g_test_add_func ("/diagnostics-report/parse-threshold", test_parse_threshold);
  g_test_add_func ("/diagnostics-report/parse-threshold-refused", test_parse_threshold_refused);
  g_test_add_func ("/diagnostics-report/worst", test_worst);
  g_test_add_func ("/diagnostics-report/plugin-summary", test_plugin_summary);
  g_test_add_func ("/diagnostics-report/plugin-summary-ok-and-hostile",
                   test_plugin_summary_ok_and_hostile);
  g_test_add_func ("/diagnostics-report/json", test_json);
  g_test_add_func ("/diagnostics-report/bin-leak-json", test_bin_leak_json);

  return g_test_run ();
}
