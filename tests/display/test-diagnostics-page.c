/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Diagnostics page (issue 14, items 2 and 5) on real nodes: one in
 * trouble (tests/fixtures/beamscope_trouble.erl: a mailbox over 1,000, a
 * growing one, a refc binary holder, a busy scheduler, an atom table near a
 * small +t limit) and a quiet one. The message queue check finds the
 * registered process and its button opens that process's window; the
 * binary leak search is asked first and then names the binary holder, and
 * is absent with --read-only; a threshold changed in GSettings judges the
 * next run. Screenshots: diagnostics.png (troubled), diagnostics-ok.png
 * (quiet), diagnostics-leak-dialog.png. */

#include <string.h>

#include "beam-diagnostics-page-private.h"
#include "beam-process-window.h"
#include "beam-test-display.h"
#include "beam-test-node.h"
#include "beam-window-private.h"

/* What the trouble fixture names (tests/fixtures/beamscope_trouble.erl). */
#define FLOODED_NAME    "beamscope_trouble_mailbox"
#define GROWING_NAME    "beamscope_trouble_sleeper"
#define LEAKER_NAME     "beamscope_trouble_binaries"

static BeamApplication *app;
static BeamTestNode *trouble;
static BeamTestNode *quiet;

static gboolean
ran_once (gpointer data)
{
  return beam_diagnostics_page_get_runs (data) > 0 && !beam_page_get_busy (data);
}

typedef struct
{
  BeamDiagnosticsPage *page;
  guint                runs;
} RunsAfter;

static gboolean
ran_again (gpointer data)
{
  RunsAfter *after = data;

  return beam_diagnostics_page_get_runs (after->page) > after->runs
         && !beam_page_get_busy (BEAM_PAGE (after->page));
}

static gboolean
leaks_found (gpointer data)
{
  return beam_diagnostics_page_get_leak_runs (data) > 0;
}

static AdwMessageDialog *
find_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();  /* transfer none */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);
      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return ADW_MESSAGE_DIALOG (window);
    }
  return NULL;
}

static gboolean
dialog_shown (gpointer data G_GNUC_UNUSED)
{
  return find_dialog () != NULL;
}

static gboolean
dialog_gone (gpointer data G_GNUC_UNUSED)
{
  return find_dialog () == NULL;
}

static gboolean
process_window_shown (gpointer data G_GNUC_UNUSED)
{
  GtkWindow *window = beam_test_find_toplevel (BEAM_TYPE_PROCESS_WINDOW);

  return window != NULL && beam_test_process_window_loaded (window);
}

static BeamDiagnosticsPage *
open_page (BeamWindow   *window,
           BeamTestNode *node)
{
  BeamDiagnosticsPage *page;

  beam_test_window_connect (window, node, "diagnostics");
  page = BEAM_DIAGNOSTICS_PAGE (beam_window_get_page (window, "diagnostics"));
  g_assert_nonnull (page);
  /* Every check samples over the window (1 s) at once: well within 30 s. */
  beam_test_wait_until (ran_once, page, 30000 * BEAM_TEST_SLOWDOWN);
  return page;
}

static void
collapse_all (BeamDiagnosticsPage *page)
{
  for (guint i = 0; i < BEAM_N_CHECKS; i++)
    adw_expander_row_set_expanded (beam_diagnostics_page_get_row (page, i), FALSE);
}

/* Every check has its threshold key, whose default is the probe's (the CLI
 * judges with beam_diagnostics_options_init, the page with the settings). */
static void
test_threshold_defaults (void)
{
  g_autoptr(GSettings) settings = g_settings_new ("io.github.beamscope.Beamscope");
  BeamDiagnosticsOptions options;

  beam_diagnostics_options_init (&options);
  g_assert_cmpuint (g_settings_get_uint (settings, "diagnostics-window"), ==, options.window_ms);
  for (guint i = 0; i < BEAM_N_CHECKS; i++)
    {
      g_autofree char *name = g_strdup (beam_check_to_string (i));
      g_autofree char *key = NULL;
      double warning, critical;

      g_strdelimit (name, "_", '-');
      key = g_strconcat ("diagnostics-threshold-", name, NULL);
      g_settings_get (settings, key, "(dd)", &warning, &critical);
      g_assert_cmpfloat (warning, ==, options.thresholds[i].warning);
      g_assert_cmpfloat (critical, ==, options.thresholds[i].critical);
    }
}

/* ---- a node in trouble -------------------------------------------------------------- */

static void
test_troubled_node (void)
{
  g_autoptr(BeamWindow) window = beam_test_window_new (app, FALSE, 1100, 1000);
  BeamDiagnosticsPage *page = open_page (window, trouble);
  g_autofree char *queue = beam_diagnostics_page_dup_text (page, BEAM_CHECK_MESSAGE_QUEUE);
  g_autofree char *verdict = beam_diagnostics_page_dup_verdict (page);
  g_autofree char *atoms = beam_diagnostics_page_dup_text (page, BEAM_CHECK_ATOMS);
  GtkWidget *button;
  GVariant *target;
  GtkWindow *process;
  AdwMessageDialog *dialog;

  g_test_message ("verdict: %s\nmessage_queue: %s\natoms: %s", verdict, queue, atoms);

  /* The flooded mailbox is a finding, and names its registered process. */
  g_assert_cmpint (beam_diagnostics_page_get_status (page, BEAM_CHECK_MESSAGE_QUEUE), ==,
                   BEAM_CHECK_CRITICAL);
  g_assert_nonnull (strstr (queue, FLOODED_NAME));
  g_assert_nonnull (strstr (queue, "Last ran "));
  g_assert_nonnull (strstr (queue, " reductions, "));
  /* The verdict counts the findings in words. */
  g_assert_nonnull (strstr (verdict, "critical finding"));
  /* The atom table, near its small limit, is a finding too, with its rate. */
  g_assert_cmpint (beam_diagnostics_page_get_status (page, BEAM_CHECK_ATOMS), >=,
                   BEAM_CHECK_WARNING);
  g_assert_nonnull (strstr (atoms, "atoms"));

  /* The atom table's rate while the page is open, from its first count: atoms
   * made between two runs give a rate and a time to exhaustion. */
  {
    g_autoptr(GError) error = NULL;
    g_autofree char *made = beam_test_node_erl_call (trouble, "beamscope_trouble", "make_atoms",
                                                     "[85]", &error);
    RunsAfter after = { page, beam_diagnostics_page_get_runs (page) };
    g_autofree char *rate = NULL;

    g_assert_no_error (error);
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "win.refresh", NULL));
    beam_test_wait_until (ran_again, &after, 30000 * BEAM_TEST_SLOWDOWN);
    rate = beam_diagnostics_page_dup_text (page, BEAM_CHECK_ATOMS);
    g_test_message ("atoms again: %s", rate);
    g_assert_nonnull (strstr (rate, " per minute; full in "));
  }

  /* The growing mailbox is named by the growth check. */
  {
    g_autofree char *growth = beam_diagnostics_page_dup_text (page, BEAM_CHECK_QUEUE_GROWTH);

    g_test_message ("queue_growth: %s", growth);
    g_assert_cmpint (beam_diagnostics_page_get_status (page, BEAM_CHECK_QUEUE_GROWTH), >=,
                     BEAM_CHECK_WARNING);
    g_assert_nonnull (strstr (growth, GROWING_NAME));
  }

  /* The row's button opens the worst process's window. */
  button = beam_diagnostics_page_get_investigate_button (page, BEAM_CHECK_MESSAGE_QUEUE);
  g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (button)), ==,
                   "win.open-process");
  target = gtk_actionable_get_action_target_value (GTK_ACTIONABLE (button));
  g_assert_true (g_str_has_prefix (g_variant_get_string (target, NULL), "<"));
  g_assert_true (gtk_widget_activate (button));
  beam_test_wait_until (process_window_shown, NULL, 15000);
  process = beam_test_find_toplevel (BEAM_TYPE_PROCESS_WINDOW);
  {
    g_autofree char *name = beam_process_window_dup_field (BEAM_PROCESS_WINDOW (process),
                                                           "registered_name");
    g_assert_cmpstr (name, ==, FLOODED_NAME);
  }
  gtk_window_destroy (process);

  /* The page as it shows a node in trouble: the findings' rows open. */
  beam_test_run_for (300);
  beam_test_save_screenshot (GTK_WIDGET (window), "diagnostics.png");

  /* The binary leak search: asked first, Enter and Escape cancel. */
  g_assert_true (gtk_widget_get_visible (beam_diagnostics_page_get_leak_button (page)));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "diagnostics.find-binary-leaks",
                                             NULL));
  beam_test_wait_until (dialog_shown, NULL, 5000);
  dialog = find_dialog ();
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "every process"));
  g_assert_cmpstr (adw_message_dialog_get_default_response (dialog), ==, "cancel");
  g_assert_cmpstr (adw_message_dialog_get_close_response (dialog), ==, "cancel");
  beam_test_run_for (200);
  beam_test_save_screenshot (GTK_WIDGET (dialog), "diagnostics-leak-dialog.png");
  /* As its button does: the answer, then the dialog closes. */
  adw_message_dialog_response (dialog, "find");
  gtk_window_destroy (GTK_WINDOW (dialog));
  beam_test_wait_until (dialog_gone, NULL, 5000);
  beam_test_wait_until (leaks_found, page, 30000 * BEAM_TEST_SLOWDOWN);
  {
    g_autofree char *leaks = beam_diagnostics_page_dup_leak_text (page);

    g_test_message ("leaks: %s", leaks);
    /* The holder of refc binaries freed the most. */
    g_assert_nonnull (strstr (leaks, LEAKER_NAME));
  }
  collapse_all (page);
  adw_expander_row_set_expanded (beam_diagnostics_page_get_row (page, BEAM_CHECK_BINARY_MEMORY),
                                 TRUE);
  beam_test_run_for (300);
  beam_test_save_screenshot (GTK_WIDGET (window), "diagnostics-leaks.png");

  beam_test_destroy_and_finalize (g_steal_pointer (&window));
}

/* A threshold is a setting, read at every run: raised far over the flooded
 * mailbox, the next run finds nothing there. */
static void
test_threshold_setting (void)
{
  g_autoptr(GSettings) settings = g_settings_new ("io.github.beamscope.Beamscope");
  g_autoptr(BeamWindow) window = beam_test_window_new (app, FALSE, 1100, 1000);
  BeamDiagnosticsPage *page = open_page (window, trouble);
  RunsAfter after = { page, 0 };

  g_assert_cmpint (beam_diagnostics_page_get_status (page, BEAM_CHECK_MESSAGE_QUEUE), >=,
                   BEAM_CHECK_WARNING);
  g_settings_set (settings, "diagnostics-threshold-message-queue", "(dd)", 1e9, 2e9);
  after.runs = beam_diagnostics_page_get_runs (page);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "win.refresh", NULL));
  beam_test_wait_until (ran_again, &after, 30000 * BEAM_TEST_SLOWDOWN);
  g_assert_cmpint (beam_diagnostics_page_get_status (page, BEAM_CHECK_MESSAGE_QUEUE), ==,
                   BEAM_CHECK_OK);
  g_settings_reset (settings, "diagnostics-threshold-message-queue");

  beam_test_destroy_and_finalize (g_steal_pointer (&window));
}

/* --read-only: no leak search, not even its action. */
static void
test_read_only (void)
{
  g_autoptr(BeamWindow) window = beam_test_window_new (app, TRUE, 1100, 1000);
  BeamDiagnosticsPage *page = open_page (window, trouble);

  g_assert_false (gtk_widget_get_visible (beam_diagnostics_page_get_leak_button (page)));
  gtk_widget_activate_action (GTK_WIDGET (page), "diagnostics.find-binary-leaks", NULL);
  beam_test_run_for (300);
  g_assert_null (find_dialog ());
  g_assert_cmpuint (beam_diagnostics_page_get_leak_runs (page), ==, 0);

  beam_test_destroy_and_finalize (g_steal_pointer (&window));
}

/* ---- a quiet node ------------------------------------------------------------------- */

static void
test_quiet_node (void)
{
  g_autoptr(BeamWindow) window = beam_test_window_new (app, FALSE, 1100, 1000);
  BeamDiagnosticsPage *page = open_page (window, quiet);
  g_autofree char *verdict = beam_diagnostics_page_dup_verdict (page);

  g_test_message ("verdict: %s", verdict);
  g_assert_cmpint (beam_diagnostics_page_get_status (page, BEAM_CHECK_MESSAGE_QUEUE), ==,
                   BEAM_CHECK_OK);
  g_assert_cmpint (beam_diagnostics_page_get_status (page, BEAM_CHECK_ATOMS), ==,
                   BEAM_CHECK_OK);
  g_assert_cmpint (beam_diagnostics_page_get_status (page, BEAM_CHECK_PROCESS_LIMIT), ==,
                   BEAM_CHECK_OK);
  collapse_all (page);
  beam_test_run_for (300);
  beam_test_save_screenshot (GTK_WIDGET (window), "diagnostics-ok.png");

  beam_test_destroy_and_finalize (g_steal_pointer (&window));
}

int
main (int    argc,
      char **argv)
{
  /* A small atom table (the smallest +t takes is 8192), to fill to 80 %. */
  static const char * const trouble_args[] = { "+t", "20000", NULL };
  /* The trouble, as beamscope_trouble.erl makes it: a mailbox of 100,000
   * (critical, and the worst: the fixture's own mailbox holds 1,500, the
   * growing one gets 200 a second), refc binaries as garbage, atoms. */
  static const char * const troubles[][2] = {
    { "mailbox", "[100000]" },
    { "growing_mailbox", "[200]" },
    { "binary_leak", "[200, 100000]" },
    { "make_atoms", "[80]" },
  };
  g_autoptr(GError) error = NULL;
  int status;

  beam_test_display_init (&argc, &argv, &app, NULL);
  trouble = beam_test_node_start (trouble_args, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (troubles); i++)
    {
      g_free (beam_test_node_erl_call (trouble, "beamscope_trouble", troubles[i][0],
                                       troubles[i][1], &error));
      g_assert_no_error (error);
    }
  quiet = beam_test_node_start (NULL, &error);
  g_assert_no_error (error);
  /* Quiet: without the fixture's 1,500-message mailbox and its busy loop. */
  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *args = g_strdup_printf ("[beamscope_fixture_sup, %s]",
                                               i == 0 ? "mailbox" : "busy");
      g_free (beam_test_node_erl_call (quiet, "supervisor", "terminate_child", args, &error));
      g_assert_no_error (error);
    }

  g_test_add_func ("/diagnostics/threshold-defaults", test_threshold_defaults);
  g_test_add_func ("/diagnostics/troubled-node", test_troubled_node);
  g_test_add_func ("/diagnostics/threshold-setting", test_threshold_setting);
  g_test_add_func ("/diagnostics/read-only", test_read_only);
  g_test_add_func ("/diagnostics/quiet-node", test_quiet_node);

  status = g_test_run ();
  beam_test_node_free (trouble);
  beam_test_node_free (quiet);
  g_clear_object (&app);
  return status;
}
