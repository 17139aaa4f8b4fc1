/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Preferences (issue 16, items 1 and 7) on the real application and a
 * fixture node: app.preferences opens one window with a row for every
 * setting a user changes; a refresh interval changed there changes the
 * running page's timer at once; the style row and the main menu's Style
 * action are one setting, and dark is dark; read-only applies from the next
 * connection; the Tables page's toggle and the System Tables row are one
 * setting; a threshold keeps its warning under its critical value; a cookie
 * file chosen there is what the connect screen reads. Screenshots:
 * preferences-light.png, preferences-dark.png, preferences-refresh.png and
 * preferences-diagnostics.png. */

#include <glib/gstdio.h>

#include "beam-connect-page-private.h"
#include "beam-page.h"
#include "beam-preferences-window.h"
#include "beam-process-window.h"
#include "beam-tables-page-private.h"
#include "beam-test-display.h"
#include "beam-test-node.h"
#include "beam-window-private.h"

static BeamApplication *app;
static BeamTestNode *node;

/* Every key Preferences offers a row for. */
static const char * const keys[] = {
  "term-syntax", "read-only", "size-units", "cookie-file", "color-scheme",
  "show-system-tables", "trace-limit", "trace-count", "trace-rate-events",
  "trace-rate-interval", "trace-duration", "system-refresh-interval",
  "memory-refresh-interval", "applications-refresh-interval", "processes-refresh-interval",
  "ports-refresh-interval", "tables-refresh-interval", "process-sample-interval",
  "load-sample-interval", "load-window",
  "cluster-sample-interval", "cluster-queue-scan-interval", "cluster-max-nodes",
  "cluster-join-epmd-others", "cluster-outlier-ratio", "cluster-history-minutes",
  "diagnostics-refresh-interval", "diagnostics-window",
  "diagnostics-threshold-message-queue", "diagnostics-threshold-queue-growth",
  "diagnostics-threshold-atoms", "diagnostics-threshold-binary-memory",
  "diagnostics-threshold-schedulers", "diagnostics-threshold-dirty-schedulers",
  "diagnostics-threshold-process-limit", "diagnostics-threshold-port-limit",
  "diagnostics-threshold-ets-limit", "diagnostics-threshold-ets-memory",
  "diagnostics-threshold-process-memory", "diagnostics-threshold-memory-growth",
};

static BeamPreferencesWindow *
open_preferences (void)
{
  GtkWindow *found;

  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  found = beam_test_find_toplevel (BEAM_TYPE_PREFERENCES_WINDOW);
  g_assert_nonnull (found);
  beam_test_wait_until (beam_test_is_drawn, found, 10000 * BEAM_TEST_SLOWDOWN);
  return g_object_ref (BEAM_PREFERENCES_WINDOW (found));
}

static GtkWidget *
row_widget (BeamPreferencesWindow *preferences,
            const char            *key)
{
  AdwPreferencesRow *row = beam_preferences_window_get_row (preferences, key);

  g_assert_nonnull (row);
  if (ADW_IS_COMBO_ROW (row))
    return GTK_WIDGET (row);
  g_assert_true (ADW_IS_ACTION_ROW (row));
  return adw_action_row_get_activatable_widget (ADW_ACTION_ROW (row));
}

typedef struct
{
  BeamPage *page;
  guint     refreshes;
} RefreshesAfter;

/* Two more answers: the page asked again after the new interval, twice. */
static gboolean
refreshed_twice (gpointer data)
{
  RefreshesAfter *after = data;

  return beam_page_get_refreshes (after->page) >= after->refreshes + 2;
}

typedef struct
{
  BeamProcessWindow *window;
  guint              samples;
} SamplesAfter;

static gboolean
sampled_twice (gpointer data)
{
  SamplesAfter *after = data;

  return beam_process_window_get_samples (after->window) >= after->samples + 2;
}

static gboolean
is_dark (gpointer data G_GNUC_UNUSED)
{
  return adw_style_manager_get_dark (adw_style_manager_get_default ());
}

static gboolean
is_light (gpointer data G_GNUC_UNUSED)
{
  return !adw_style_manager_get_dark (adw_style_manager_get_default ());
}

static gboolean
page_refreshed (gpointer page)
{
  return beam_page_get_refreshes (page) > 0 && !beam_page_get_busy (page);
}

static void
test_preferences (void)
{
  g_autoptr(GSettings) settings = g_settings_new ("io.github.beamscope.Beamscope");
  g_autoptr(BeamWindow) window = beam_test_window_new (app, FALSE, 1100, 780);
  g_autoptr(BeamPreferencesWindow) preferences = NULL;
  g_autoptr(BeamPreferencesWindow) again = NULL;
  g_autoptr(GVariant) state = NULL;
  g_autofree char *scheme = NULL;
  RefreshesAfter after;
  BeamPage *system, *processes;
  BeamTablesPage *tables;
  GtkWidget *spin, *warning, *critical;
  double atoms_warning, atoms_critical;

  beam_test_window_connect (window, node, "system");
  system = BEAM_PAGE (beam_window_get_page (window, "system"));
  processes = BEAM_PAGE (beam_window_get_page (window, "processes"));
  tables = BEAM_TABLES_PAGE (beam_window_get_page (window, "tables"));
  beam_test_wait_until (page_refreshed, system, 15000 * BEAM_TEST_SLOWDOWN);
  g_assert_cmpuint (beam_page_get_refresh_interval (system), ==, 5);

  /* One window, from the app's action, whichever window asks again. */
  preferences = open_preferences ();
  again = open_preferences ();
  g_assert_true (preferences == again);
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    g_assert_nonnull (row_widget (preferences, keys[i]));

  /* A refresh interval: the running page's timer follows at once, so two
   * answers come within 1 s intervals, where 5 s would give none. */
  adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (preferences), "refresh");
  spin = row_widget (preferences, "system-refresh-interval");
  g_assert_true (GTK_IS_SPIN_BUTTON (spin));
  g_assert_cmpfloat (gtk_spin_button_get_value (GTK_SPIN_BUTTON (spin)), ==, 5);
  after.page = system;
  after.refreshes = beam_page_get_refreshes (system);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), 1);
  g_assert_cmpuint (g_settings_get_uint (settings, "system-refresh-interval"), ==, 1);
  g_assert_cmpuint (beam_page_get_refresh_interval (system), ==, 1);
  beam_test_wait_until (refreshed_twice, &after, 4000 * BEAM_TEST_SLOWDOWN);
  beam_test_save_screenshot (GTK_WIDGET (preferences), "preferences-refresh.png");
  g_settings_reset (settings, "system-refresh-interval");
  g_assert_cmpfloat (gtk_spin_button_get_value (GTK_SPIN_BUTTON (spin)), ==, 5);

  /* The Processes page's interval: its choices, the page's own dropdown's. */
  adw_combo_row_set_selected (ADW_COMBO_ROW (row_widget (preferences,
                                                         "processes-refresh-interval")), 0);
  g_assert_cmpuint (g_settings_get_uint (settings, "processes-refresh-interval"), ==, 1);
  g_assert_cmpuint (beam_page_get_refresh_interval (processes), ==, 1);
  g_settings_set_uint (settings, "processes-refresh-interval", 30);
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (
                      row_widget (preferences, "processes-refresh-interval"))), ==, 4);
  g_settings_reset (settings, "processes-refresh-interval");

  /* A process window's trends: sampled at the new interval at once. */
  {
    SamplesAfter samples_after;
    BeamProcessWindow *process;

    gtk_widget_activate_action (GTK_WIDGET (window), "win.open-process", "s", "init");
    process = BEAM_PROCESS_WINDOW (beam_test_find_toplevel (BEAM_TYPE_PROCESS_WINDOW));
    g_assert_nonnull (process);
    beam_test_wait_until (beam_test_process_window_loaded, process, 10000 * BEAM_TEST_SLOWDOWN);
    g_assert_cmpuint (beam_process_window_get_sample_interval (process), ==, 2);
    g_settings_set_uint (settings, "process-sample-interval", 10);
    g_assert_cmpuint (beam_process_window_get_sample_interval (process), ==, 10);
    spin = row_widget (preferences, "process-sample-interval");
    g_assert_cmpfloat (gtk_spin_button_get_value (GTK_SPIN_BUTTON (spin)), ==, 10);
    gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), 1);
    g_assert_cmpuint (beam_process_window_get_sample_interval (process), ==, 1);
    samples_after.window = process;
    samples_after.samples = beam_process_window_get_samples (process);
    beam_test_wait_until (sampled_twice, &samples_after, 4000 * BEAM_TEST_SLOWDOWN);
    g_settings_reset (settings, "process-sample-interval");
    beam_test_destroy_and_finalize (g_object_ref (process));
  }

  /* Style: the row, the main menu's action and libadwaita agree. */
  adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (preferences), "general");
  adw_combo_row_set_selected (ADW_COMBO_ROW (row_widget (preferences, "color-scheme")), 1);
  beam_test_wait_until (is_light, NULL, 5000);
  beam_test_save_screenshot (GTK_WIDGET (preferences), "preferences-light.png");
  adw_combo_row_set_selected (ADW_COMBO_ROW (row_widget (preferences, "color-scheme")), 2);
  scheme = g_settings_get_string (settings, "color-scheme");
  g_assert_cmpstr (scheme, ==, "dark");
  beam_test_wait_until (is_dark, NULL, 5000);
  state = g_action_group_get_action_state (G_ACTION_GROUP (app), "color-scheme");
  g_assert_cmpstr (g_variant_get_string (state, NULL), ==, "dark");
  beam_test_save_screenshot (GTK_WIDGET (preferences), "preferences-dark.png");
  adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (preferences),
                                                "diagnostics");
  beam_test_save_screenshot (GTK_WIDGET (preferences), "preferences-diagnostics.png");
  g_action_group_activate_action (G_ACTION_GROUP (app), "color-scheme",
                                  g_variant_new_string ("light"));
  beam_test_wait_until (is_light, NULL, 5000);
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (
                      row_widget (preferences, "color-scheme"))), ==, 1);
  g_action_group_activate_action (G_ACTION_GROUP (app), "color-scheme",
                                  g_variant_new_string ("default"));
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (
                      row_widget (preferences, "color-scheme"))), ==, 0);

  /* A threshold: a warning raised over the critical value raises it too. */
  g_settings_get (settings, "diagnostics-threshold-atoms", "(dd)", &atoms_warning,
                  &atoms_critical);
  g_assert_cmpfloat (atoms_warning, ==, 70);
  warning = row_widget (preferences, "diagnostics-threshold-atoms");
  critical = gtk_widget_get_next_sibling (warning);
  g_assert_true (GTK_IS_SPIN_BUTTON (warning) && GTK_IS_SPIN_BUTTON (critical));
  g_assert_cmpfloat (gtk_spin_button_get_value (GTK_SPIN_BUTTON (critical)), ==, 90);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (warning), 95);
  g_settings_get (settings, "diagnostics-threshold-atoms", "(dd)", &atoms_warning,
                  &atoms_critical);
  g_assert_cmpfloat (atoms_warning, ==, 95);
  g_assert_cmpfloat (atoms_critical, ==, 95);
  g_settings_reset (settings, "diagnostics-threshold-atoms");
  g_assert_cmpfloat (gtk_spin_button_get_value (GTK_SPIN_BUTTON (warning)), ==, 70);
  /* Bytes in the key, MiB on screen. */
  warning = row_widget (preferences, "diagnostics-threshold-process-memory");
  g_assert_cmpfloat (gtk_spin_button_get_value (GTK_SPIN_BUTTON (warning)), ==, 256);

  /* System tables: the row and the Tables page's toggle are one setting. */
  g_assert_false (beam_tables_page_get_with_system (tables));
  gtk_switch_set_active (GTK_SWITCH (row_widget (preferences, "show-system-tables")), TRUE);
  g_assert_true (beam_tables_page_get_with_system (tables));
  beam_tables_page_set_filter (tables, "", FALSE);
  g_assert_false (gtk_switch_get_active (GTK_SWITCH (row_widget (preferences,
                                                                 "show-system-tables"))));

  /* Read-only by default: from the next connection, marked as --read-only's. */
  g_assert_false (beam_node_get_read_only (beam_window_get_node (window)));
  gtk_switch_set_active (GTK_SWITCH (row_widget (preferences, "read-only")), TRUE);
  g_assert_true (g_settings_get_boolean (settings, "read-only"));
  beam_window_disconnect (window);
  beam_test_window_connect (window, node, "system");
  g_assert_true (beam_node_get_read_only (beam_window_get_node (window)));
  gtk_switch_set_active (GTK_SWITCH (row_widget (preferences, "read-only")), FALSE);
  beam_window_disconnect (window);
  beam_test_window_connect (window, node, "system");
  g_assert_false (beam_node_get_read_only (beam_window_get_node (window)));

  g_clear_object (&again);
  beam_test_destroy_and_finalize (g_steal_pointer (&preferences));
  g_assert_null (beam_test_find_toplevel (BEAM_TYPE_PREFERENCES_WINDOW));
  beam_test_destroy_and_finalize (g_steal_pointer (&window));
}

/* The cookie file chosen in Preferences comes after the environment and
 * before erl's own file; the connect screen reads a new choice at once. */
static void
test_cookie_file (void)
{
  g_autoptr(GSettings) settings = g_settings_new ("io.github.beamscope.Beamscope");
  g_autofree char *dir = g_dir_make_tmp ("beamscope-prefs-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "cookie", NULL);
  g_autoptr(BeamPreferencesWindow) preferences = NULL;
  BeamConnectPage *page;
  AdwActionRow *row;

  g_assert_true (g_file_set_contents (path, "CHOSEN_IN_PREFERENCES\n", -1, NULL));
  g_assert_cmpint (g_chmod (path, 0400), ==, 0);
  page = g_object_ref_sink (BEAM_CONNECT_PAGE (beam_connect_page_new ()));
  preferences = open_preferences ();
  row = ADW_ACTION_ROW (beam_preferences_window_get_row (preferences, "cookie-file"));
  g_assert_true (g_str_has_suffix (adw_action_row_get_subtitle (row), "as erl reads it"));

  g_settings_set_string (settings, "cookie-file", path);
  g_assert_cmpstr (adw_action_row_get_subtitle (row), ==, path);
  g_assert_cmpstr (beam_connect_page_get_cookie (page), ==, "CHOSEN_IN_PREFERENCES");
  g_assert_true (g_str_has_suffix (beam_connect_page_get_cookie_note (page),
                                   "as chosen in Preferences"));
  /* The command line and the environment still come first. */
  g_assert_true (beam_connect_page_load_cookie (page, "GIVEN", NULL, NULL));
  g_assert_cmpstr (beam_connect_page_get_cookie (page), ==, "GIVEN");
  g_setenv ("BEAMSCOPE_COOKIE", "FROM_ENVIRONMENT", TRUE);
  g_assert_true (beam_connect_page_load_cookie (page, NULL, NULL, NULL));
  g_unsetenv ("BEAMSCOPE_COOKIE");
  g_assert_cmpstr (beam_connect_page_get_cookie (page), ==, "FROM_ENVIRONMENT");

  g_settings_reset (settings, "cookie-file");
  g_assert_true (g_str_has_suffix (adw_action_row_get_subtitle (row), "as erl reads it"));
  g_object_unref (page);
  beam_test_destroy_and_finalize (g_steal_pointer (&preferences));
  g_assert_cmpint (g_remove (path), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

int
main (int    argc,
      char **argv)
{
  int status;

  beam_test_display_init (&argc, &argv, &app, &node);
  g_unsetenv ("BEAMSCOPE_COOKIE");

  g_test_add_func ("/preferences/rows-and-live-settings", test_preferences);
  g_test_add_func ("/preferences/cookie-file", test_cookie_file);
  status = g_test_run ();

  beam_test_node_free (node);
  g_clear_object (&app);
  return status;
}
