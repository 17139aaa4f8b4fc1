/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The real window under Xvfb, on a real fixture node: the connect screen
 * finds the node, a wrong cookie is said to be one, the System page fills
 * every field, and a lost node leaves its data dimmed while reconnecting.
 * Screenshots land in the build folder (screenshots/) to be looked at. */

#include <signal.h>

#include "beam-application.h"
#include "beam-applications-page-private.h"
#include "beam-supervision-canvas-private.h"
#include "beam-tables-page-private.h"
#include "beam-table-window.h"
#include "beam-ets-row-item.h"
#include "beam-ets-table-row.h"
#include "beam-mnesia-table-row.h"
#include "beam-chart-private.h"
#include "beam-connect-page-private.h"
#include "beam-load-page-private.h"
#include "beam-memory-page-private.h"
#include "beam-playbook-window.h"
#include "beam-process-window.h"
#include "beam-processes-page-private.h"
#include "beam-system-page-private.h"
#include "beam-connection.h"
#include "beam-test-display.h"
#include "beam-test-node.h"
#include "beam-window-private.h"

static BeamTestNode *node;
static BeamApplication *app;

static gboolean
finalized (gpointer weak_pointer)
{
  return *(gpointer *) weak_pointer == NULL;
}

static void
watch_finalize (GPtrArray *weak,
                gpointer   object)
{
  gpointer *location = g_new (gpointer, 1);

  *location = object;
  g_object_add_weak_pointer (object, location);
  g_ptr_array_add (weak, location);
}

/* Destroys `window`, taking the caller's reference, and asserts that it is
 * finalized, and with it the pages and the node of a BeamWindow. */
static void
destroy_and_finalize (gpointer window)
{
  g_autoptr(GPtrArray) weak = g_ptr_array_new_with_free_func (g_free);
  const char * const pages[] = { "system", "processes", "load", "memory", "applications",
                                  "tables" };

  if (BEAM_IS_WINDOW (window))
    {
      watch_finalize (weak, beam_window_get_connect_page (window));
      for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
        watch_finalize (weak, beam_window_get_page (window, pages[i]));
      if (beam_window_get_node (window) != NULL)
        watch_finalize (weak, beam_window_get_node (window));
    }
  beam_test_destroy_and_finalize (window);
  for (guint i = 0; i < weak->len; i++)
    {
      gpointer *location = weak->pdata[i];

      if (*location != NULL)
        g_test_message ("waiting for the %s to be finalized", G_OBJECT_TYPE_NAME (*location));
      beam_test_wait_until (finalized, location, 10000);
    }
}

static BeamWindow *
new_window (void)
{
  /* Tall enough that the screenshot holds the whole System page. */
  BeamWindow *window = beam_test_window_new (app, FALSE, 1180, 1420);

  beam_test_run_for (300);
  return window;
}

static gboolean
found_node (gpointer data)
{
  BeamConnectPage *page = data;
  g_auto(GStrv) found = beam_connect_page_list_found (page);

  return g_strv_contains ((const char * const *) found, node->name);
}

static gboolean
has_error (gpointer data)
{
  return beam_window_get_error (data) != NULL;
}

static void
test_connect_screen (void)
{
  BeamWindow *window = new_window ();
  BeamConnectPage *page = BEAM_CONNECT_PAGE (beam_window_get_connect_page (window));

  g_assert_nonnull (page);

  beam_test_wait_until (found_node, page, 10000);

  beam_window_connect (window, node->name, "a-wrong-cookie", NULL);
  beam_test_wait_until (has_error, window, 15000);
  g_assert_nonnull (strstr (beam_window_get_error (window), "cookie"));
  beam_test_run_for (300);
  beam_test_save_screenshot (GTK_WIDGET (window), "connect-wrong-cookie.png");

  destroy_and_finalize (g_steal_pointer (&window));
}

/* What a node or a user writes, as markup would read it: a valid span that would paint the
 * page, and an unclosed tag that would blank the text and warn (fatal here). */
#define INJECTED "<span size=\"xx-large\">INJECTED</span> <b"

static gboolean
shows_injected (gpointer data)
{
  return beam_test_shows_text (data, INJECTED);
}

/* Issue 12, finding 1: the connect screen's EPMD row says why a scan failed, quoting the host
 * typed; as markup, that text painted a huge word or, unclosed, warned and went blank. It
 * must show as typed, with no Pango warning. */
static void
test_markup_shown_as_text (void)
{
  BeamWindow *window = new_window ();
  BeamConnectPage *page = BEAM_CONNECT_PAGE (beam_window_get_connect_page (window));

  beam_connect_page_set_host (page, INJECTED);
  beam_connect_page_scan (page);
  beam_test_wait_until (shows_injected, window, 15000);
  beam_test_run_for (300);
  beam_test_save_screenshot (GTK_WIDGET (window), "connect-markup-as-text.png");

  destroy_and_finalize (g_steal_pointer (&window));
}

static gboolean
page_has_data (gpointer data)
{
  return beam_page_get_refreshes (data) > 0;
}

static gboolean
page_refreshed_twice (gpointer data)
{
  return beam_page_get_refreshes (data) > 1;
}

static gboolean
node_is (BeamWindow          *window,
         BeamConnectionState  state)
{
  return beam_window_get_node (window) != NULL &&
         beam_node_get_state (beam_window_get_node (window)) == state;
}

static gboolean
is_reconnecting (gpointer data)
{
  return node_is (data, BEAM_CONNECTION_STATE_RECONNECTING);
}

static void
test_system_page (void)
{
  g_autoptr(BeamWindow) window = new_window ();
  BeamSystemPage *page;
  g_auto(GStrv) fields = NULL;
  g_autofree char *processes = NULL;
  g_autofree char *otp = NULL;

  beam_test_window_connect (window, node, "system");
  page = BEAM_SYSTEM_PAGE (beam_window_get_page (window, "system"));
  beam_test_wait_until (page_has_data, page, 15000);
  beam_test_run_for (500);

  /* Every field shows a value the node gave. */
  fields = beam_system_page_list_fields (page);
  g_assert_cmpuint (g_strv_length (fields), >=, 35);
  for (guint i = 0; fields[i] != NULL; i++)
    {
      g_autofree char *text = beam_system_page_dup_field_text (page, fields[i]);

      g_test_message ("%s = %s", fields[i], text);
      g_assert_nonnull (text);
      g_assert_cmpstr (text, !=, "—");
      g_assert_null (strstr (text, "unknown"));
    }
  otp = beam_system_page_dup_field_text (page, "otp_release");
  g_assert_cmpstr (otp, ==, "25");
  processes = beam_system_page_dup_field_text (page, "process_count");
  g_assert_nonnull (strstr (processes, " of "));

  beam_test_save_screenshot (GTK_WIDGET (window), "system-page.png");

  /* The page's interval is its GSettings key's (BeamPage binds it). */
  {
    g_autoptr(GSettings) settings = g_settings_new ("io.github.beamscope.Beamscope");

    g_assert_cmpuint (beam_page_get_refresh_interval (BEAM_PAGE (page)), ==,
                      g_settings_get_uint (settings, "system-refresh-interval"));
    g_settings_set_uint (settings, "system-refresh-interval", 7);
    g_assert_cmpuint (beam_page_get_refresh_interval (BEAM_PAGE (page)), ==, 7);
    g_settings_reset (settings, "system-refresh-interval");
  }
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (page), "stale"));

  /* The node dies: the data stays, dimmed, and the header says so. */
  beam_test_node_kill (node, SIGKILL);
  beam_test_wait_until (is_reconnecting, window, 10000);
  beam_test_run_for (500);
  beam_test_save_screenshot (GTK_WIDGET (window), "system-page-reconnecting.png");
  {
    g_autofree char *still = beam_system_page_dup_field_text (page, "otp_release");
    g_assert_cmpstr (still, ==, "25");
  }
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (page), "stale"));

  /* It comes back, and so does the page, by itself. */
  g_assert_true (beam_test_node_restart (node, NULL));
  beam_test_wait_until (beam_test_window_is_connected, window, 20000);
  beam_test_wait_until (page_refreshed_twice, page, 15000);
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (page), "stale"));

  destroy_and_finalize (g_steal_pointer (&window));
}


/* Issue 13, item 9: at 1100×780, as observer's System tab, the whole page
 * is on screen: the groups' natural height at the scroller's width is within
 * the scroller (so nothing to scroll), in three columns; the run queues say
 * what they count and add up; the node's OS process is there. The header
 * holds the switcher of all eight pages: narrow at 1100, wide at 1390. */
static void
test_system_page_fits (void)
{
  g_autoptr(BeamWindow) window = beam_window_new (ADW_APPLICATION (app), FALSE);
  BeamSystemPage *page;
  GtkScrolledWindow *scroller;
  GtkWidget *content;
  g_autofree char *total = NULL;
  g_autofree char *normal = NULL;
  g_autofree char *dirty_cpu = NULL;
  g_autofree char *dirty_io = NULL;
  g_autofree char *os_pid = NULL;
  g_autofree char *fds = NULL;
  AdwViewSwitcher *switcher;
  int natural, viewport, width;
  gint64 sum = 0;

  g_object_ref_sink (window);
  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 780);
  gtk_window_present (GTK_WINDOW (window));
  beam_test_window_connect (window, node, "system");
  page = BEAM_SYSTEM_PAGE (beam_window_get_page (window, "system"));
  beam_test_wait_until (page_has_data, page, 15000);
  beam_test_run_for (500);
  /* Without a compositor the frame's 10 px of shadow come off the size. */
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (window)), <=, 1100);
  g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (window)), <=, 780);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (window)), >=, 1080);

  scroller = beam_system_page_get_scroller (page);
  content = gtk_scrolled_window_get_child (scroller);
  width = gtk_widget_get_width (GTK_WIDGET (scroller));
  viewport = gtk_widget_get_height (GTK_WIDGET (scroller));
  gtk_widget_measure (content, GTK_ORIENTATION_VERTICAL, width, NULL, &natural, NULL, NULL);
  g_test_message ("System page at 1100x780: content %d px high in a %d x %d viewport",
                  natural, width, viewport);
  beam_test_save_screenshot (GTK_WIDGET (window), "system-page-1100x780.png");
  /* The eight pages' switcher is in the header (narrow: icons over labels),
   * so no bar at the bottom takes the page's height. */
  switcher = beam_test_find_header_switcher (GTK_WIDGET (window));
  g_assert_nonnull (switcher);
  g_assert_cmpint (adw_view_switcher_get_policy (switcher), ==, ADW_VIEW_SWITCHER_POLICY_NARROW);
  g_assert_cmpint (natural, <=, viewport);
  g_assert_cmpfloat (gtk_adjustment_get_upper (gtk_scrolled_window_get_vadjustment (scroller)),
                     <=, gtk_adjustment_get_page_size (
                       gtk_scrolled_window_get_vadjustment (scroller)));

  /* total = normal + dirty CPU + dirty IO, and normal is "sum = a + b". */
  total = beam_system_page_dup_field_text (page, "run_queue");
  normal = beam_system_page_dup_field_text (page, "run_queue_normal");
  dirty_cpu = beam_system_page_dup_field_text (page, "run_queue_dirty_cpu");
  dirty_io = beam_system_page_dup_field_text (page, "run_queue_dirty_io");
  g_test_message ("run queues: %s = %s, %s, %s", total, normal, dirty_cpu, dirty_io);
  g_assert_nonnull (strstr (normal, " = "));
  {
    g_auto(GStrv) parts = g_strsplit (strstr (normal, " = ") + 3, " + ", -1);
    gint64 parts_sum = 0;

    for (guint i = 0; parts[i] != NULL; i++)
      parts_sum += g_ascii_strtoll (parts[i], NULL, 10);
    g_assert_cmpint (parts_sum, ==, g_ascii_strtoll (normal, NULL, 10));
  }
  sum = g_ascii_strtoll (normal, NULL, 10) + g_ascii_strtoll (dirty_cpu, NULL, 10) +
        g_ascii_strtoll (dirty_io, NULL, 10);
  g_assert_cmpint (sum, ==, g_ascii_strtoll (total, NULL, 10));

  os_pid = beam_system_page_dup_field_text (page, "os_process.os_pid");
  g_assert_cmpint (g_ascii_strtoll (os_pid, NULL, 10), ==, node->pid);
  fds = beam_system_page_dup_field_text (page, "os_process.open_fds");
  g_assert_nonnull (strstr (fds, " of "));

  /* From 1390 px wide, the header has room for the labels beside the icons. */
  gtk_window_set_default_size (GTK_WINDOW (window), 1390, 780);
  beam_test_run_for (500);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (window)), <=, 1390);
  beam_test_save_screenshot (GTK_WIDGET (window), "system-page-1390x780.png");
  switcher = beam_test_find_header_switcher (GTK_WIDGET (window));
  g_assert_nonnull (switcher);
  g_assert_cmpint (adw_view_switcher_get_policy (switcher), ==, ADW_VIEW_SWITCHER_POLICY_WIDE);

  destroy_and_finalize (g_steal_pointer (&window));
}

static gboolean
processes_listed (gpointer data)
{
  BeamProcessModel *model = beam_processes_page_get_model (data);

  return beam_process_model_get_generation (model) > 0 && !beam_process_model_get_busy (model) &&
         g_list_model_get_n_items (G_LIST_MODEL (model)) > 40;
}

static gboolean
filtered_to_one (gpointer data)
{
  BeamProcessModel *model = beam_processes_page_get_model (data);

  return !beam_process_model_get_busy (model) &&
         g_list_model_get_n_items (G_LIST_MODEL (model)) == 1;
}

static const BeamProcessRecord *
record_at (BeamProcessesPage *page,
           guint              position,
           BeamProcessTable **table,
           guint             *index)
{
  g_autoptr(BeamProcessRow) row = NULL;

  row = g_list_model_get_item (G_LIST_MODEL (beam_processes_page_get_model (page)), position);
  g_assert_nonnull (row);
  return beam_process_row_get_record (row, table, index);
}

static void
test_processes_page (void)
{
  g_autoptr(BeamWindow) window = new_window ();
  BeamProcessesPage *page;
  BeamProcessTable *table = NULL;
  guint index = 0;
  const BeamProcessRecord *record;

  beam_test_window_connect (window, node, "processes");
  page = BEAM_PROCESSES_PAGE (beam_window_get_page (window, "processes"));
  beam_test_wait_until (processes_listed, page, 20000);
  beam_test_run_for (500);

  /* Sorted by memory, biggest first: the fixture's big process. */
  record = record_at (page, 0, &table, &index);
  g_assert_nonnull (record);
  g_assert_cmpstr (beam_process_table_get_display_name (table, index), ==, "beamscope_big");
  beam_test_save_screenshot (GTK_WIDGET (window), "processes-page.png");

  /* The filter finds the process with the long mailbox by its name. */
  beam_processes_page_set_filter (page, "mailbox");
  beam_test_wait_until (filtered_to_one, page, 10000);
  record = record_at (page, 0, &table, &index);
  g_assert_cmpuint (record->message_queue_len, ==, 1500);
  beam_test_run_for (300);
  beam_test_save_screenshot (GTK_WIDGET (window), "processes-page-filtered.png");

  /* The layout is kept: a hidden column and a sort go to the settings
   * every Processes page starts from. */
  {
    g_autoptr(GSettings) settings = g_settings_new ("io.github.beamscope.Beamscope");
    g_autoptr(GVariant) columns = NULL;
    g_autofree char *sort = NULL;
    gboolean descending = TRUE, status_visible = TRUE;
    GVariantIter iter;
    const char *id;
    gboolean visible;
    int width;
    g_autoptr(GListModel) view_columns = NULL;

    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "columns.status", NULL));
    view_columns = g_object_ref (gtk_column_view_get_columns (beam_processes_page_get_view (page)));
    {
      g_autoptr(GtkColumnViewColumn) pid_column = g_list_model_get_item (view_columns, 0);
      gtk_column_view_sort_by_column (beam_processes_page_get_view (page), pid_column,
                                      GTK_SORT_ASCENDING);
    }
    columns = g_settings_get_value (settings, "processes-columns");
    g_variant_iter_init (&iter, columns);
    while (g_variant_iter_next (&iter, "(&sbi)", &id, &visible, &width))
      if (g_str_equal (id, "status"))
        status_visible = visible;
    g_assert_false (status_visible);
    g_settings_get (settings, "processes-sort", "(sb)", &sort, &descending);
    g_assert_cmpstr (sort, ==, "pid");
    g_assert_false (descending);

    g_settings_reset (settings, "processes-columns");
    g_settings_reset (settings, "processes-sort");
  }

  destroy_and_finalize (g_steal_pointer (&window));
}

static BeamPlaybookWindow *
find_playbook (void)
{
  return (BeamPlaybookWindow *) beam_test_find_toplevel (BEAM_TYPE_PLAYBOOK_WINDOW);
}

static gboolean
playbook_answered (gpointer data G_GNUC_UNUSED)
{
  g_auto(GStrv) rows = find_playbook () != NULL ? beam_playbook_window_list_rows (find_playbook ())
                                                : NULL;
  return rows != NULL;
}

static BeamProcessWindow *
find_process_window (void)
{
  return (BeamProcessWindow *) beam_test_find_toplevel (BEAM_TYPE_PROCESS_WINDOW);
}

static gboolean
process_window_shown (gpointer data G_GNUC_UNUSED)
{
  return find_process_window () != NULL;
}

static void
test_playbooks (void)
{
  g_autoptr(BeamWindow) window = new_window ();
  BeamProcessesPage *page;
  g_auto(GStrv) rows = NULL;
  BeamPlaybookWindow *playbook;

  beam_test_window_connect (window, node, "processes");
  page = BEAM_PROCESSES_PAGE (beam_window_get_page (window, "processes"));
  beam_test_wait_until (processes_listed, page, 20000);

  /* Top by message queue: the fixture's mailbox, 1500, first. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "processes.top", "s",
                                             "message_queue_len"));
  beam_test_wait_until (playbook_answered, NULL, 15000);
  playbook = find_playbook ();
  rows = beam_playbook_window_list_rows (playbook);
  g_assert_true (g_str_has_prefix (rows[0], "beamscope_mailbox\t"));
  g_assert_true (g_str_has_suffix (rows[0], "\t1,500"));
  gtk_window_set_default_size (GTK_WINDOW (playbook), 700, 900);
  beam_test_run_for (400);
  beam_test_save_screenshot (GTK_WIDGET (playbook), "playbook-top-queue.png");
  destroy_and_finalize (g_object_ref (playbook));
  g_clear_pointer (&rows, g_strfreev);

  /* Top by memory and by heap: sizes with their units, never raw bytes or
   * words; the heap's words in the tooltip. */
  {
    const char *columns[] = { "memory", "total_heap_size" };

    for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
      {
        g_auto(GStrv) sized = NULL;
        const char *value;

        g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "processes.top", "s",
                                                   columns[i]));
        beam_test_wait_until (playbook_answered, NULL, 15000);
        playbook = find_playbook ();
        sized = beam_playbook_window_list_rows (playbook);
        g_assert_true (g_str_has_prefix (sized[0], "beamscope_big\t"));
        value = strrchr (sized[0], '\t') + 1;
        /* "10.3 MiB", the space GLib's unbreakable one. */
        g_assert_true (g_ascii_isdigit (value[0]));
        g_assert_true (g_str_has_suffix (value, " MiB") || g_str_has_suffix (value, " MB") ||
                       g_str_has_suffix (value, "\u00a0MiB") ||
                       g_str_has_suffix (value, "\u00a0MB"));
        destroy_and_finalize (g_object_ref (playbook));
      }
  }

  /* Grouped by initial call: the counts add up to the processes. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "processes.groups", NULL));
  beam_test_wait_until (playbook_answered, NULL, 15000);
  playbook = find_playbook ();
  rows = beam_playbook_window_list_rows (playbook);
  g_assert_cmpuint (g_strv_length (rows), >, 5);
  /* A group opens onto its processes, each opening its window. */
  {
    g_auto(GStrv) pids = beam_playbook_window_expand_group (playbook, 0);
    const char *count = strrchr (rows[0], '\t') + 1;

    g_assert_nonnull (pids);
    g_assert_cmpuint (g_strv_length (pids), >, 0);
    g_assert_cmpuint (g_strv_length (pids), <=, 50);
    g_assert_true (pids[0][0] == '<');
    /* A group of fewer than 50 (no digit grouping) lists every one. */
    if (strchr (count, ',') == NULL && g_ascii_strtoull (count, NULL, 10) < 50)
      g_assert_cmpuint (g_strv_length (pids), ==, g_ascii_strtoull (count, NULL, 10));
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (playbook), "win.open-process", "s",
                                               pids[0]));
    beam_test_wait_until (process_window_shown, NULL, 15000);
    destroy_and_finalize (g_object_ref (GTK_WIDGET (find_process_window ())));
  }
  beam_test_run_for (200);
  beam_test_save_screenshot (GTK_WIDGET (playbook), "playbook-groups.png");
  destroy_and_finalize (g_object_ref (playbook));
  g_clear_pointer (&rows, g_strfreev);

  /* Growth of mailboxes over 5 s: only those that grew (a message or two
   * in flight somewhere, at most), never twenty rows of zeros. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "processes.growth", "s",
                                             "message_queue_len"));
  beam_test_wait_until (playbook_answered, NULL, 30000);
  playbook = find_playbook ();
  rows = beam_playbook_window_list_rows (playbook);
  g_assert_cmpuint (g_strv_length (rows), <, 20);
  for (guint i = 0; rows[i] != NULL; i++)
    {
      g_test_message ("grew: %s", rows[i]);
      g_assert_nonnull (strstr (rows[i], "\t+"));
    }
  destroy_and_finalize (g_object_ref (playbook));
  beam_test_run_for (200);
  beam_test_save_screenshot (GTK_WIDGET (window), "processes-page-limit.png");
  destroy_and_finalize (g_steal_pointer (&window));
}

static gboolean
load_charted (gpointer data)
{
  return beam_load_page_get_samples (data) >= 4;
}

static gboolean
flag_off (gpointer data G_GNUC_UNUSED)
{
  g_autofree char *flag = beam_test_node_erl_call (node, "erlang", "statistics",
                                                   "[scheduler_wall_time]", NULL);
  return flag != NULL && g_str_has_prefix (flag, "undefined");
}

/* The Load page charts a node with a busy process: the busy scheduler shows;
 * it goes on sampling while another page is shown; and once we disconnect,
 * the node's scheduler_wall_time flag is off. */
static void
test_load_page (void)
{
  g_autoptr(BeamWindow) window = new_window ();
  BeamLoadPage *page;

  beam_test_window_connect (window, node, "load");
  page = BEAM_LOAD_PAGE (beam_window_get_page (window, "load"));
  beam_test_wait_until (load_charted, page, 20000);
  g_test_message ("busiest scheduler %.2f", beam_load_page_get_busiest (page));
  g_assert_cmpfloat (beam_load_page_get_busiest (page), >, 0.15);
  beam_test_run_for (300);
  beam_test_save_screenshot (GTK_WIDGET (window), "load-page.png");

  /* Hovering the utilisation chart's last sample reads out its time and
   * every series, named as observer names them; the legend's Total toggle
   * hides the total from it. */
  {
    BeamChart *chart = beam_load_page_get_chart (page, "usage");
    double right = gtk_widget_get_width (GTK_WIDGET (chart)) - 13;
    g_autofree char *shown = beam_chart_dup_readout (chart, right);
    g_autofree char *hidden = NULL;

    g_test_message ("readout: %s", shown);
    g_assert_nonnull (strstr (shown, "s ago)"));
    g_assert_nonnull (strstr (shown, "\nTotal: "));
    g_assert_nonnull (strstr (shown, "\nScheduler 1: "));
    gtk_toggle_button_set_active (beam_load_page_get_legend_toggle (page, "usage", "Total"),
                                  FALSE);
    hidden = beam_chart_dup_readout (chart, right);
    g_assert_null (strstr (hidden, "\nTotal: "));
    g_assert_nonnull (strstr (hidden, "\nScheduler 1: "));
    gtk_toggle_button_set_active (beam_load_page_get_legend_toggle (page, "usage", "Total"),
                                  TRUE);
  }

  /* Issue 13, item 10: the legend in groups. A group's toggle hides and
   * shows all its members; a member still toggles alone. */
  {
    BeamChart *chart = beam_load_page_get_chart (page, "usage");
    GtkToggleButton *normal = beam_load_page_get_legend_toggle (page, "usage",
                                                                "Normal schedulers");
    GtkToggleButton *dirty_io = beam_load_page_get_legend_toggle (page, "usage",
                                                                  "Dirty IO schedulers");
    GtkToggleButton *second = beam_load_page_get_legend_toggle (page, "usage", "Scheduler 2");
    guint n = beam_chart_get_n_series (chart);

    g_assert_nonnull (normal);
    g_assert_nonnull (dirty_io);
    g_assert_nonnull (second);
    g_assert_nonnull (beam_load_page_get_legend_toggle (page, "usage", "Dirty CPU schedulers"));
    g_assert_nonnull (beam_load_page_get_legend_toggle (page, "queues", "Normal schedulers"));
    g_assert_nonnull (beam_load_page_get_legend_toggle (page, "queues", "Dirty IO"));
    gtk_toggle_button_set_active (dirty_io, FALSE);
    for (guint s = 0; s < n; s++)
      {
        const char *label = beam_chart_get_series_label (chart, s);
        g_assert_cmpint (beam_chart_get_series_visible (chart, s), ==,
                         !g_str_has_prefix (label, "Dirty IO "));
      }
    gtk_toggle_button_set_active (normal, FALSE);
    for (guint s = 0; s < n; s++)
      if (g_str_has_prefix (beam_chart_get_series_label (chart, s), "Scheduler "))
        g_assert_false (beam_chart_get_series_visible (chart, s));
    gtk_toggle_button_set_active (second, TRUE);
    for (guint s = 0; s < n; s++)
      if (g_str_has_prefix (beam_chart_get_series_label (chart, s), "Scheduler "))
        g_assert_cmpint (beam_chart_get_series_visible (chart, s), ==,
                         g_strcmp0 (beam_chart_get_series_label (chart, s), "Scheduler 2") == 0);
    gtk_toggle_button_set_active (normal, TRUE);
    gtk_toggle_button_set_active (dirty_io, TRUE);
    for (guint s = 0; s < n; s++)
      g_assert_true (beam_chart_get_series_visible (chart, s));
  }

  /* The readout stays within the chart at either edge, however many lines
   * (the utilisation chart has one per scheduler, dirty IO included). */
  {
    BeamChart *chart = beam_load_page_get_chart (page, "usage");
    double width = gtk_widget_get_width (GTK_WIDGET (chart));
    double height = gtk_widget_get_height (GTK_WIDGET (chart));
    const double xs[] = { 90, width / 2, width - 20, width - 1 };

    for (guint i = 0; i < G_N_ELEMENTS (xs); i++)
      {
        graphene_rect_t box;

        beam_chart_get_readout_box (chart, xs[i], &box);
        g_test_message ("readout at %.0f: %.0f,%.0f %.0fx%.0f in %.0fx%.0f", xs[i],
                        box.origin.x, box.origin.y, box.size.width, box.size.height,
                        width, height);
        g_assert_cmpfloat (box.origin.x, >=, 0);
        g_assert_cmpfloat (box.origin.y, >=, 0);
        g_assert_cmpfloat (box.origin.x + box.size.width, <=, width);
        g_assert_cmpfloat (box.origin.y + box.size.height, <=, height);
      }
  }

  /* GC and context switches on a scale of their own, not under reductions;
   * IO in bytes per second. */
  {
    BeamChart *gc = beam_load_page_get_chart (page, "gc");
    BeamChart *io = beam_load_page_get_chart (page, "io");
    g_autofree char *io_readout = NULL;

    g_assert_nonnull (gc);
    g_assert_cmpuint (beam_chart_get_n_series (gc), ==, 2);
    g_assert_cmpstr (beam_chart_get_series_label (gc, 0), ==, "Garbage collections");
    g_assert_cmpuint (beam_chart_get_n_series (beam_load_page_get_chart (page, "reductions")),
                      ==, 1);
    io_readout = beam_chart_dup_readout (io, gtk_widget_get_width (GTK_WIDGET (io)) - 13);
    g_test_message ("IO readout: %s", io_readout);
    g_assert_true (strstr (io_readout, "B/s") != NULL || strstr (io_readout, "bytes/s") != NULL);
    beam_test_save_screenshot (GTK_WIDGET (gc), "load-page-gc-chart.png");
    beam_test_save_screenshot (GTK_WIDGET (io), "load-page-io-chart.png");
  }

  /* A hover near the right edge, for the screenshot. */
  {
    BeamChart *chart = beam_load_page_get_chart (page, "usage");
    _beam_chart_set_hover (chart, gtk_widget_get_width (GTK_WIDGET (chart)) - 20);
    beam_test_run_for (200);
    beam_test_save_screenshot (GTK_WIDGET (window), "load-page-hover.png");
    _beam_chart_set_hover (chart, -1);
  }

  /* Another page in front: the charts keep their history growing. */
  {
    guint before = beam_load_page_get_samples (page);

    beam_window_show_page (window, "system");
    beam_test_run_for (3500);  /* the page samples every second */
    g_assert_false (gtk_widget_get_mapped (GTK_WIDGET (page)));
    g_test_message ("samples while the System page was shown: %u",
                    beam_load_page_get_samples (page) - before);
    g_assert_cmpuint (beam_load_page_get_samples (page), >=, before + 2);
  }

  /* The interval is a setting, kept across runs; the node's history follows it. */
  {
    g_autoptr(GSettings) settings = g_settings_new ("io.github.beamscope.Beamscope");
    BeamLoadHistory *history = beam_node_get_load_history (beam_window_get_node (window));

    g_settings_set_uint (settings, "load-sample-interval", 250);
    g_assert_cmpuint (beam_load_history_get_interval_ms (history), ==, 250);
    g_settings_reset (settings, "load-sample-interval");
    g_assert_cmpuint (beam_load_history_get_interval_ms (history), ==, 1000);
  }

  beam_window_disconnect (window);
  beam_test_wait_until (flag_off, NULL, 10000);
  destroy_and_finalize (g_steal_pointer (&window));
}

typedef struct
{
  BeamLoadPage    *page;
  BeamLoadHistory *history;
  BeamChart       *old_chart;  /* weak */
} RestartWatch;

/* Fresh charts (the old ones gone) holding exactly the history's points. */
static gboolean
charts_restarted (gpointer data)
{
  RestartWatch *watch = data;
  GtkWidget *chart = beam_test_find_descendant (GTK_WIDGET (watch->page), BEAM_TYPE_CHART);

  return watch->old_chart == NULL && chart != NULL &&
         beam_load_history_get_n_points (watch->history) >= 3 &&
         beam_chart_get_n_samples (BEAM_CHART (chart)) ==
         beam_load_history_get_n_points (watch->history);
}

/* Finding 13: after the node restarts, the charts start over from the new
 * incarnation's samples, not the old ones' (which are of another clock):
 * the old charts go, the new ones hold only the new points, and the hover
 * at the right edge reads a fresh sample. */
static void
test_load_page_restart (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BeamTestNode) own = beam_test_node_start (NULL, &error);
  g_autoptr(BeamWindow) window = NULL;
  RestartWatch watch = { 0 };
  BeamChart *chart;
  g_autofree char *readout = NULL;
  g_autofree char *restarted_text = NULL;
  gint64 restarted_at;

  g_assert_no_error (error);
  window = new_window ();
  beam_window_connect (window, own->name, own->cookie, "load");
  beam_test_wait_until (beam_test_window_is_connected, window, 15000);
  watch.page = BEAM_LOAD_PAGE (beam_window_get_page (window, "load"));
  watch.history = beam_node_get_load_history (beam_window_get_node (window));
  beam_test_wait_until (load_charted, watch.page, 20000);
  watch.old_chart = BEAM_CHART (beam_test_find_descendant (GTK_WIDGET (watch.page),
                                                          BEAM_TYPE_CHART));
  g_object_add_weak_pointer (G_OBJECT (watch.old_chart), (gpointer *) &watch.old_chart);

  beam_test_node_kill (own, SIGKILL);
  g_assert_true (beam_test_node_restart (own, &error));
  g_assert_no_error (error);
  restarted_text = beam_test_node_erl_call (own, "erlang", "monotonic_time", "[microsecond]",
                                            &error);
  g_assert_no_error (error);
  restarted_at = g_ascii_strtoll (g_strstrip (restarted_text), NULL, 10);
  beam_test_wait_until (charts_restarted, &watch, 40000);

  for (guint i = 0; i < beam_load_history_get_n_points (watch.history); i++)
    g_assert_cmpint (beam_load_history_get_time (watch.history, i), >=,
                     restarted_at - 5 * G_USEC_PER_SEC);
  beam_test_run_for (300);
  chart = BEAM_CHART (beam_test_find_descendant (GTK_WIDGET (watch.page), BEAM_TYPE_CHART));
  readout = beam_chart_dup_readout (chart, gtk_widget_get_width (GTK_WIDGET (chart)) - 13);
  g_test_message ("after the restart: %u points; readout: %s",
                  beam_load_history_get_n_points (watch.history), readout);
  g_assert_nonnull (strstr (readout, "s ago)"));
  beam_test_save_screenshot (GTK_WIDGET (window), "load-page-restarted.png");

  beam_window_disconnect (window);
  destroy_and_finalize (g_steal_pointer (&window));
}

static gboolean
window_loaded (gpointer data)
{
  return beam_process_window_get_loads (data) > 0;
}

static gboolean
messages_loaded (gpointer data)
{
  return strstr (beam_process_window_get_messages_text (data),
                 "The first 100 of 1,500 messages") != NULL;
}

static gboolean
messages_answered (gpointer data)
{
  return beam_process_window_get_messages_loads (data) > 0;
}

static gboolean
state_shown (gpointer data)
{
  g_autofree char *state = beam_process_window_dup_state (data);
  return state != NULL && strstr (state, "hits") != NULL;
}

static gboolean
statistics_answered (gpointer data)
{
  return beam_process_window_get_statistics_loads (data) > 0;
}

static gboolean
statistics_shown (gpointer data)
{
  g_autofree char *table = beam_process_window_dup_statistics (data);
  return table != NULL;
}

static gboolean
statistics_hidden (gpointer data)
{
  return beam_process_window_get_statistics_off_shown (data);
}

static gboolean
trends_sampled (gpointer data)
{
  return beam_process_window_get_samples (data) >= 2;
}

static gboolean
collected (gpointer data)
{
  const char *toast = beam_process_window_get_last_toast (data);
  return toast != NULL && g_str_has_prefix (toast, "Garbage collected: ");
}

static gboolean
suspended_shown (gpointer data)
{
  return beam_process_window_get_suspended_shown (data);
}

static gboolean
suspended_gone (gpointer data)
{
  return !beam_process_window_get_suspended_shown (data);
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
has_window_error (gpointer data)
{
  return beam_process_window_get_error (data) != NULL;
}

static gboolean
label_says (gpointer data)
{
  return strstr (gtk_label_get_label (data), "sent as the string") != NULL;
}

/* Activates a confirmed action of `process` and answers its dialog "do". */
static void
confirm_action (BeamProcessWindow *process,
                const char        *action)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (process), action, NULL));
  beam_test_wait_until (dialog_shown, NULL, 5000);
  /* As its button does: the answer, then the dialog closes. */
  adw_message_dialog_response (find_dialog (), "do");
  gtk_window_destroy (GTK_WINDOW (find_dialog ()));
  beam_test_wait_until (dialog_gone, NULL, 5000);
}

static BeamProcessWindow *
open_process (BeamWindow *window,
              const char *who,
              int         height)
{
  BeamProcessWindow *process = beam_process_window_new (beam_window_get_node (window), who);

  gtk_window_set_application (GTK_WINDOW (process), GTK_APPLICATION (app));
  gtk_window_set_default_size (GTK_WINDOW (process), 900, height);
  gtk_window_present (GTK_WINDOW (process));
  beam_test_wait_until (window_loaded, process, 15000);
  return process;
}

static void
test_process_window (void)
{
  g_autoptr(BeamWindow) window = new_window ();
  g_autoptr(GError) error = NULL;
  BeamProcessWindow *process;
  BeamProcessWindow *victim;
  AdwMessageDialog *dialog;
  GtkWidget *reason_box;
  g_autofree char *name = NULL;
  g_autofree char *queue = NULL;
  g_autofree char *state = NULL;
  g_autofree char *table = NULL;
  BeamPage *processes;

  beam_test_window_connect (window, node, "processes");

  /* Info alone at first: Messages and State wait for their pages. */
  process = open_process (window, "beamscope_cache", 1100);
  name = beam_process_window_dup_field (process, "registered_name");
  g_assert_cmpstr (name, ==, "beamscope_cache");
  queue = beam_process_window_dup_field (process, "message_queue_len");
  g_assert_cmpstr (queue, ==, "0");
  beam_test_wait_until (trends_sampled, process, 15000);
  g_assert_cmpuint (beam_process_window_get_messages_loads (process), ==, 0);
  g_assert_cmpuint (beam_process_window_get_statistics_loads (process), ==, 0);
  beam_test_run_for (400);
  beam_test_save_screenshot (GTK_WIDGET (process), "process-window-info.png");
  /* The Info card fits a window of 800 by 600: nothing in it asks for more. */
  {
    int minimum_width, minimum_height;

    gtk_widget_measure (GTK_WIDGET (process), GTK_ORIENTATION_HORIZONTAL, -1, &minimum_width,
                        NULL, NULL, NULL);
    gtk_widget_measure (GTK_WIDGET (process), GTK_ORIENTATION_VERTICAL, 800, &minimum_height,
                        NULL, NULL, NULL);
    g_assert_cmpint (minimum_width, <=, 800);
    g_assert_cmpint (minimum_height, <=, 600);
    gtk_window_set_default_size (GTK_WINDOW (process), 800, 600);
    beam_test_run_for (300);
    beam_test_save_screenshot (GTK_WIDGET (process), "process-window-info-800x600.png");
    gtk_window_set_default_size (GTK_WINDOW (process), 900, 1100);
    beam_test_run_for (300);
  }

  /* Its mailbox is empty: said so. */
  beam_process_window_show_page (process, "messages");
  beam_test_wait_until (messages_answered, process, 10000);
  g_assert_cmpstr (beam_process_window_get_messages_face (process), ==, "empty");
  beam_test_run_for (200);
  beam_test_save_screenshot (GTK_WIDGET (process), "process-window-messages-empty.png");

  /* The state and the statistics, asked when the State page opens. */
  beam_process_window_show_page (process, "state");
  beam_test_wait_until (state_shown, process, 10000);
  beam_test_wait_until (statistics_answered, process, 10000);
  state = beam_process_window_dup_state (process);
  g_assert_cmpstr (state, ==, "#{hits => 42,name => <<\"cache\">>}\n");
  g_assert_true (beam_process_window_get_statistics_off_shown (process));
  g_assert_null (beam_process_window_dup_statistics (process));
  /* Enabled, confirmed: a table of what sys counts. */
  confirm_action (process, "process.statistics-on");
  beam_test_wait_until (statistics_shown, process, 10000);
  table = beam_process_window_dup_statistics (process);
  g_assert_nonnull (strstr (table, "Messages in\t"));
  g_assert_nonnull (strstr (table, "Start time\t20"));
  g_assert_false (beam_process_window_get_statistics_off_shown (process));
  beam_test_run_for (300);
  beam_test_save_screenshot (GTK_WIDGET (process), "process-window-state.png");
  confirm_action (process, "process.statistics-off");
  beam_test_wait_until (statistics_hidden, process, 10000);
  beam_test_run_for (300);

  /* Garbage collection says what it freed. */
  confirm_action (process, "process.garbage-collect");
  beam_test_wait_until (collected, process, 10000);
  beam_test_run_for (300);
  g_assert_nonnull (strstr (beam_process_window_get_last_toast (process), " → "));

  /* Suspended by sys, marked so until resumed. */
  beam_process_window_show_page (process, "info");
  confirm_action (process, "process.suspend");
  beam_test_wait_until (suspended_shown, process, 10000);
  beam_test_run_for (300);
  beam_test_save_screenshot (GTK_WIDGET (process), "process-window-suspended.png");
  confirm_action (process, "process.resume");
  beam_test_wait_until (suspended_gone, process, 10000);
  destroy_and_finalize (g_object_ref (process));

  /* Messages: the first 100, numbered, when the page opens. */
  process = open_process (window, "beamscope_mailbox", 1100);
  g_assert_nonnull (strstr (beam_process_window_get_messages_text (process),
                            "1,500 messages waiting"));
  g_assert_cmpuint (beam_process_window_get_messages_loads (process), ==, 0);
  beam_process_window_show_page (process, "messages");
  beam_test_wait_until (messages_loaded, process, 10000);
  g_assert_cmpstr (beam_process_window_get_messages_face (process), ==, "list");
  beam_test_run_for (300);
  beam_test_save_screenshot (GTK_WIDGET (process), "process-window-messages.png");
  destroy_and_finalize (g_object_ref (process));

  /* Kill, confirmed: the dialog names the process, and says that a reason
   * the node has no atom for goes as a string; then the process is gone. */
  g_free (beam_test_node_erl_call (node, "beamscope_fixture", "spawn_victim", "[]", &error));
  g_assert_no_error (error);
  victim = open_process (window, "beamscope_victim", 800);
  g_assert_null (beam_process_window_get_error (victim));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (victim), "process.kill", NULL));
  beam_test_wait_until (dialog_shown, NULL, 5000);
  dialog = find_dialog ();
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "Name: beamscope_victim\n"));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "Pid: <0."));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog),
                            "Current function: beamscope_fixture:"));
  reason_box = adw_message_dialog_get_extra_child (dialog);
  gtk_editable_set_text (GTK_EDITABLE (gtk_widget_get_first_child (reason_box)),
                         "beamscope_reason_nobody_has");
  beam_test_wait_until (label_says, gtk_widget_get_last_child (reason_box), 10000);
  beam_test_run_for (200);
  beam_test_save_screenshot (GTK_WIDGET (dialog), "process-kill-dialog.png");
  adw_message_dialog_response (dialog, "do");
  /* After the kill the window refreshes, and the process is no more. */
  beam_test_wait_until (has_window_error, victim, 10000);
  g_assert_nonnull (strstr (beam_process_window_get_error (victim), "No process"));
  destroy_and_finalize (g_object_ref (victim));

  /* A paused page says it is paused. */
  processes = BEAM_PAGE (beam_window_get_page (window, "processes"));
  g_assert_false (beam_page_get_paused_label_shown (processes));
  beam_page_set_paused (processes, TRUE);
  beam_test_run_for (200);
  g_assert_true (beam_page_get_paused_label_shown (processes));
  beam_test_save_screenshot (GTK_WIDGET (window), "processes-page-paused.png");
  beam_page_set_paused (processes, FALSE);
  beam_test_run_for (100);
  g_assert_false (beam_page_get_paused_label_shown (processes));
  destroy_and_finalize (g_steal_pointer (&window));
}

typedef struct
{
  BeamMemoryPage *page;
  const char     *section;
  const char     *text;
} SectionSays;

static gboolean
section_says (gpointer data)
{
  SectionSays *says = data;
  g_autofree char *text = beam_memory_page_dup_text (says->page, says->section);

  return strstr (text, says->text) != NULL;
}

static gboolean
memory_loaded (gpointer data)
{
  return beam_memory_page_get_loads (data) > 0;
}

/* The Memory page: erlang:memory() and the allocators show; each step of
 * the playbook finds what the fixture left (its ETS table, its 6 MB heap,
 * 20 MB of binary garbage, freed only after the confirmation dialog); top
 * consumers opens the Processes page. */
static gboolean
allocators_charted (gpointer data)
{
  BeamChart *chart = beam_memory_page_get_allocator_chart (data, FALSE);

  return chart != NULL && beam_chart_get_n_samples (chart) >= 6;
}

static void
test_memory_page (void)
{
  g_autoptr(BeamWindow) window = new_window ();
  g_autofree char *made = NULL;
  g_autoptr(GSettings) settings = g_settings_new ("io.github.beamscope.Beamscope");
  BeamMemoryPage *page;
  AdwMessageDialog *dialog;

  /* A refresh a second: the allocator charts fill in seconds (a minute's
   * window, as observer's). */
  g_settings_set_uint (settings, "memory-refresh-interval", 1);
  beam_test_window_connect (window, node, "memory");
  page = BEAM_MEMORY_PAGE (beam_window_get_page (window, "memory"));
  beam_test_wait_until (memory_loaded, page, 15000);
  beam_test_wait_until (section_says, (&(SectionSays) { page, "memory", "binary" }), 1000);
  /* Sizes through the one formatter, binary units by default. */
  beam_test_wait_until (section_says, (&(SectionSays) { page, "memory", "MiB" }), 1000);
  beam_test_wait_until (section_says, (&(SectionSays) { page, "allocators", "eheap_alloc" }), 1000);
  beam_test_wait_until (section_says,
                        (&(SectionSays) { page, "allocators", "Segment cache hit rate" }), 1000);

  beam_test_wait_until (section_says, (&(SectionSays) { page, "allocators", "Max allocated" }),
                        1000);

  /* Issue 13, item 11: the allocators' history, as observer's Memory
   * Allocators tab: carrier size and utilisation per type, a point a refresh. */
  {
    BeamChart *sizes, *usage;

    beam_test_wait_until (allocators_charted, page, 15000);
    g_settings_reset (settings, "memory-refresh-interval");
    sizes = beam_memory_page_get_allocator_chart (page, FALSE);
    usage = beam_memory_page_get_allocator_chart (page, TRUE);
    g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (sizes)));
    g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (usage)));
    g_assert_cmpuint (beam_chart_get_n_series (sizes), >=, 5);
    g_assert_cmpuint (beam_chart_get_n_series (usage), ==, beam_chart_get_n_series (sizes));
    g_assert_cmpstr (beam_chart_get_series_label (sizes, 0), ==, "total");
    {
      gboolean eheap = FALSE;
      g_autofree char *readout = NULL;

      for (guint s = 0; s < beam_chart_get_n_series (sizes); s++)
        eheap |= g_strcmp0 (beam_chart_get_series_label (sizes, s), "eheap_alloc") == 0;
      g_assert_true (eheap);
      readout = beam_chart_dup_readout (sizes, gtk_widget_get_width (GTK_WIDGET (sizes)) - 13);
      g_test_message ("carrier sizes: %s", readout);
      g_assert_nonnull (strstr (readout, "\neheap_alloc: "));
      g_assert_nonnull (strstr (readout, "iB"));
    }
    beam_test_save_screenshot (GTK_WIDGET (window), "memory-page-allocators.png");
  }

  /* The playbook's lists say when they were taken, and name owners. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "memory.list-ets", NULL));
  beam_test_wait_until (section_says,
                        (&(SectionSays) { page, "ets", "beamscope_cache_tab" }), 15000);
  {
    g_autofree char *ets = beam_memory_page_dup_text (page, "ets");

    g_test_message ("%s", ets);
    g_assert_true (g_str_has_prefix (ets, "Taken "));
    /* beamscope_cache_tab's owner is registered as beamscope_cache. */
    g_assert_nonnull (strstr (ets, "\nbeamscope_cache\n"));
  }

  gtk_spin_button_set_value (GTK_SPIN_BUTTON (beam_test_find_descendant (GTK_WIDGET (page),
                                                               GTK_TYPE_SPIN_BUTTON)),
                             4);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "memory.find-heaps", NULL));
  beam_test_wait_until (section_says, (&(SectionSays) { page, "heaps", "beamscope_big" }), 15000);
  {
    g_autofree char *heaps = beam_memory_page_dup_text (page, "heaps");
    g_assert_true (g_str_has_prefix (heaps, "Taken "));
  }

  made = beam_test_node_erl_call (node, "beamscope_fixture", "binary_garbage", "[20000000]", NULL);
  g_assert_nonnull (made);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "memory.collect-binaries", NULL));
  beam_test_wait_until (dialog_shown, NULL, 5000);
  dialog = find_dialog ();
  beam_test_run_for (200);
  beam_test_save_screenshot (GTK_WIDGET (dialog), "memory-collect-dialog.png");
  adw_message_dialog_response (dialog, "collect");
  beam_test_wait_until (section_says,
                        (&(SectionSays) { page, "binary", "freed by collecting" }), 30000);
  {
    /* 20 MB of garbage: megabytes freed, not kilobytes. */
    g_autofree char *text = beam_memory_page_dup_text (page, "binary");
    g_test_message ("%s", text);
    g_assert_nonnull (strstr (text, "MiB freed"));
  }
  /* The allocator history lives on through the playbook's steps. */
  g_assert_true (allocators_charted (page));
  beam_test_run_for (500);
  beam_test_save_screenshot (GTK_WIDGET (window), "memory-page.png");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "win.show-page", "(ss)",
                                             "processes", "memory"));
  beam_test_run_for (300);
  g_assert_true (gtk_widget_get_mapped (beam_window_get_page (window, "processes")));
  destroy_and_finalize (g_steal_pointer (&window));
}

/* --read-only: the actions that change a process cannot even be started. */
/* ---- the Applications page -------------------------------------------------------- */

static gboolean
applications_listed (gpointer data)
{
  return g_list_model_get_n_items (beam_applications_page_get_applications (data)) > 0;
}

typedef struct
{
  BeamApplicationsPage *page;
  guint                 trees;
} TreeWait;

static gboolean
tree_shown_after (gpointer data)
{
  TreeWait *wait = data;

  return beam_applications_page_get_trees (wait->page) > wait->trees;
}

static void
wait_for_next_tree (BeamApplicationsPage *page)
{
  TreeWait wait = { page, beam_applications_page_get_trees (page) };

  beam_test_wait_until (tree_shown_after, &wait, 20000);
}

static const BeamSupervisionNode *
tree_node_named (BeamApplicationsPage *page,
                 const char           *name)
{
  const BeamSupervisionTree *tree =
    beam_supervision_canvas_get_tree (beam_applications_page_get_canvas (page));

  for (guint i = 0; tree != NULL && i < tree->n_nodes; i++)
    if (g_strcmp0 (tree->nodes[i].name, name) == 0)
      return &tree->nodes[i];
  return NULL;
}

static void
test_applications_page (void)
{
  g_autoptr(BeamWindow) window = new_window ();
  g_autoptr(GError) error = NULL;
  g_autofree char *started = NULL;
  g_autofree char *flaky_before = NULL;
  BeamApplicationsPage *page;
  BeamSupervisionCanvas *canvas;
  GtkSingleSelection *outline;
  const BeamSupervisionNode *flaky;

  /* A pool past the 10,000 children a tree fetches whole: counted. */
  g_free (beam_test_node_erl_call (node, "application", "load", "[beamscope_demo]", &error));
  g_assert_no_error (error);
  g_free (beam_test_node_erl_call (node, "application", "set_env",
                                   "[beamscope_demo, pool_size, 12000]", &error));
  g_assert_no_error (error);
  started = beam_test_node_erl_call (node, "application", "ensure_all_started",
                                     "[beamscope_demo]", &error);
  g_assert_no_error (error);
  beam_test_window_connect (window, node, "applications");
  page = BEAM_APPLICATIONS_PAGE (beam_window_get_page (window, "applications"));
  canvas = beam_applications_page_get_canvas (page);
  outline = beam_applications_page_get_outline_selection (page);
  beam_test_wait_until (applications_listed, page, 20000);

  g_assert_true (beam_applications_page_select_application (page, "beamscope_demo"));
  wait_for_next_tree (page);
  g_assert_nonnull (tree_node_named (page, "beamscope_demo_sup"));
  g_assert_cmpstr (beam_supervision_canvas_get_tree (canvas)->application, ==, "beamscope_demo");
  /* The outline opens on the top supervisor and its six children. */
  g_assert_cmpuint (g_list_model_get_n_items (gtk_single_selection_get_model (outline)), ==, 7);

  /* Searching selects the first match in both views. */
  g_assert_cmpuint (beam_supervision_canvas_set_search (canvas, "flaky"), ==, 1);
  flaky = tree_node_named (page, "beamscope_demo_flaky");
  g_assert_nonnull (flaky);
  g_assert_cmpuint (beam_supervision_canvas_get_selected (canvas), ==, flaky->index);
  g_assert_cmpuint (gtk_single_selection_get_selected (outline), !=, GTK_INVALID_LIST_POSITION);
  flaky_before = g_strdup (flaky->pid);
  beam_test_run_for (300);
  beam_test_save_screenshot (GTK_WIDGET (window), "applications-page.png");

  /* The pool is counted, its first 50 listed; "N more" lists 1,000 more. */
  {
    const BeamSupervisionNode *pool = tree_node_named (page, "beamscope_demo_pool");

    g_assert_nonnull (pool);
    g_assert_cmpint (pool->status, ==, BEAM_SUPERVISOR_COUNTED);
    g_assert_cmpuint (pool->children_count, ==, 12000);
    g_assert_cmpuint (pool->n_child_nodes, ==, 50);
    beam_supervision_canvas_set_expanded (canvas, pool->index, TRUE);
    g_signal_emit_by_name (canvas, "fetch-more", pool->index);
    wait_for_next_tree (page);
    pool = tree_node_named (page, "beamscope_demo_pool");
    g_assert_cmpuint (pool->n_child_nodes, ==, 1050);
    g_assert_true (beam_supervision_canvas_get_expanded (canvas, pool->index));
    beam_test_run_for (300);
    beam_test_save_screenshot (GTK_WIDGET (window), "applications-page-more.png");
    beam_supervision_canvas_set_expanded (canvas, pool->index, FALSE);
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (canvas), "canvas.zoom-fit", NULL));
    flaky = tree_node_named (page, "beamscope_demo_flaky");
    beam_supervision_canvas_set_selected (canvas, flaky->index);
  }

  /* The menu of a box, as a right click opens it. */
  {
    graphene_rect_t box;
    GtkWidget *menu;

    g_assert_true (_beam_supervision_canvas_get_node_rect (canvas, flaky->index, &box));
    g_signal_emit_by_name (canvas, "context-menu", flaky->index, 200.0, 200.0);
    beam_test_run_for (300);
    menu = beam_test_find_descendant (GTK_WIDGET (canvas), GTK_TYPE_POPOVER_MENU);
    g_assert_nonnull (menu);
    g_assert_true (gtk_widget_get_visible (menu));
    beam_test_save_screenshot (menu, "applications-context-menu.png");
    gtk_popover_popdown (GTK_POPOVER (menu));
    beam_test_run_for (200);
  }

  /* Kill, confirmed: its supervisor restarts it, and the next tree marks it. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "applications.kill", NULL));
  beam_test_wait_until (dialog_shown, NULL, 5000);
  beam_test_run_for (200);
  beam_test_save_screenshot (GTK_WIDGET (find_dialog ()), "applications-kill-dialog.png");
  adw_message_dialog_response (find_dialog (), "kill");
  wait_for_next_tree (page);
  flaky = tree_node_named (page, "beamscope_demo_flaky");
  g_assert_nonnull (flaky);
  g_assert_cmpstr (flaky->pid, !=, flaky_before);
  /* Still selected, under its new pid, in both views. */
  g_assert_cmpuint (beam_supervision_canvas_get_selected (canvas), ==, flaky->index);
  g_assert_cmpuint (gtk_single_selection_get_selected (outline), !=, GTK_INVALID_LIST_POSITION);
  beam_test_run_for (300);
  beam_test_save_screenshot (GTK_WIDGET (window), "applications-page-restarted.png");

  /* A library application says what it is. */
  g_assert_true (beam_applications_page_select_application (page, "stdlib"));
  wait_for_next_tree (page);
  g_assert_null (beam_supervision_canvas_get_tree (canvas));

  destroy_and_finalize (g_steal_pointer (&window));
}

/* ---- the Tables page -------------------------------------------------------------- */

static gboolean
tables_listed (gpointer data)
{
  return g_list_model_get_n_items (beam_tables_page_get_shown (data)) > 0;
}

static gboolean
shows_table (BeamTablesPage *page,
             const char     *name)
{
  GListModel *shown = beam_tables_page_get_shown (page);

  for (guint i = 0; i < g_list_model_get_n_items (shown); i++)
    {
      g_autoptr(BeamEtsTableRow) row = g_list_model_get_item (shown, i);

      if (g_strcmp0 (beam_ets_table_row_get_name (row), name) == 0)
        return TRUE;
    }
  return FALSE;
}

/* The first owner cell's button under `widget`. */
static GtkWidget *
find_owner_button (GtkWidget *widget)
{
  if (GTK_IS_BUTTON (widget) &&
      g_strcmp0 (gtk_widget_get_tooltip_text (widget), "Open the owner process") == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_owner_button (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
test_tables_page (void)
{
  g_autoptr(BeamWindow) window = new_window ();
  g_autoptr(GError) error = NULL;
  BeamTablesPage *page;
  GListModel *shown;
  gint64 previous = G_MAXINT64;

  g_free (beam_test_node_erl_call (node, "beamscope_fixture", "make_tables", "[]", &error));
  g_assert_no_error (error);
  beam_test_window_connect (window, node, "tables");
  page = BEAM_TABLES_PAGE (beam_window_get_page (window, "tables"));
  shown = beam_tables_page_get_shown (page);
  beam_test_wait_until (tables_listed, page, 20000);
  beam_test_wait_until (page_has_data, page, 20000);
  /* Mnesia does not run on this node: no way to its section. */
  g_assert_false (beam_tables_page_get_mnesia_running (page));
  beam_page_show_detail (BEAM_PAGE (page), "mnesia");
  g_assert_cmpstr (beam_tables_page_get_section (page), ==, "ets");

  /* Biggest first; the fixture's tables, and no system table by default. */
  for (guint i = 0; i < g_list_model_get_n_items (shown); i++)
    {
      g_autoptr(BeamEtsTableRow) row = g_list_model_get_item (shown, i);
      gint64 memory;

      g_object_get (row, "memory", &memory, NULL);
      g_assert_cmpint (memory, <=, previous);
      previous = memory;
      g_assert_false (beam_ets_table_row_get_system (row));
    }
  g_assert_true (shows_table (page, "bs_set"));
  g_assert_true (shows_table (page, "bs_unnamed"));
  /* The owner's cell opens its process: its action's target is the owner. */
  {
    g_autoptr(BeamEtsTableRow) row = g_list_model_get_item (shown, 0);
    g_autoptr(GVariant) target = NULL;

    g_object_get (row, "owner-target", &target, NULL);
    g_assert_cmpstr (g_variant_get_string (target, NULL), ==, beam_ets_table_row_get_owner (row));
  }
  /* A click on an owner opens its process window. */
  {
    GtkWidget *button = find_owner_button (GTK_WIDGET (page));
    gboolean opened = FALSE;
    GList *toplevels;

    g_assert_nonnull (button);
    g_signal_emit_by_name (button, "clicked");
    toplevels = gtk_window_list_toplevels ();
    for (GList *l = toplevels; l != NULL; l = l->next)
      if (BEAM_IS_PROCESS_WINDOW (l->data))
        {
          opened = TRUE;
          gtk_window_destroy (l->data);
        }
    g_list_free (toplevels);
    g_assert_true (opened);
  }
  g_assert_false (shows_table (page, "code"));
  beam_test_run_for (300);
  beam_test_save_screenshot (GTK_WIDGET (window), "tables-page.png");

  beam_tables_page_set_filter (page, "bs_", FALSE);
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, 4);
  beam_tables_page_set_filter (page, "code", TRUE);
  g_assert_true (shows_table (page, "code"));
  beam_tables_page_set_filter (page, "", FALSE);

  destroy_and_finalize (g_steal_pointer (&window));
}

/* ---- a table window --------------------------------------------------------------- */

static gboolean
table_window_settled (gpointer data)
{
  return g_strcmp0 (beam_table_window_get_state (data), "opening") != 0;
}

static gboolean
row_loaded_at (BeamTableWindow *window,
               guint            position)
{
  g_autoptr(BeamEtsRowItem) item = g_list_model_get_item (beam_table_window_get_rows (window),
                                                          position);

  return item != NULL && beam_ets_row_item_get_loaded (item);
}

static gboolean
last_row_loaded (gpointer data)
{
  GListModel *rows = beam_table_window_get_rows (data);

  return row_loaded_at (data, g_list_model_get_n_items (rows) - 1);
}

static gboolean
first_row_selected (gpointer data)
{
  g_autofree char *text = beam_table_window_dup_selected (data);

  return text != NULL && text[0] != '\0';
}

static BeamTableWindow *
open_table_window (BeamWindow *window,
                   const char *table)
{
  BeamTableWindow *table_window = beam_table_window_new (beam_window_get_node (window), table);

  gtk_window_set_application (GTK_WINDOW (table_window), GTK_APPLICATION (app));
  gtk_window_set_default_size (GTK_WINDOW (table_window), 1000, 640);
  gtk_window_present (GTK_WINDOW (table_window));
  beam_test_wait_until (table_window_settled, table_window, 10000);
  return table_window;
}

static void
test_table_window (void)
{
  g_autoptr(BeamWindow) window = new_window ();
  g_autoptr(GError) error = NULL;
  BeamTableWindow *records, *big, *private_table;
  g_autofree char *selected = NULL, *message = NULL;
  GList *toplevels;
  gboolean opened_from_page = FALSE;
  gint64 timer;

  g_free (beam_test_node_erl_call (node, "beamscope_fixture", "make_browse_tables", "[]",
                                   &error));
  g_assert_no_error (error);
  g_free (beam_test_node_erl_call (node, "beamscope_fixture", "make_big_table",
                                   "[bs_big_ordered, ordered_set, 1000000]", &error));
  g_assert_no_error (error);
  beam_test_window_connect (window, node, "tables");

  /* Records of one arity: a column per element, the key's marked. */
  records = open_table_window (window, "bs_records");
  g_assert_cmpstr (beam_table_window_get_state (records), ==, "rows");
  g_assert_cmpuint (g_list_model_get_n_items (beam_table_window_get_rows (records)), ==, 50);
  beam_test_wait_until (first_row_selected, records, 5000);
  selected = beam_table_window_dup_selected (records);
  g_assert_true (g_str_has_prefix (selected, "{person,"));
  beam_test_run_for (300);
  beam_test_save_screenshot (GTK_WIDGET (records), "table-window-records.png");

  /* A million rows: open at once, and the last ones when scrolled to the end. */
  timer = g_get_monotonic_time ();
  big = open_table_window (window, "bs_big_ordered");
  g_test_message ("1,000,000-row table open after %.1f ms",
                  (g_get_monotonic_time () - timer) / 1000.0);
  g_assert_cmpuint (g_list_model_get_n_items (beam_table_window_get_rows (big)), ==, 1000000);
  beam_table_window_scroll_to (big, 999999);
  beam_test_wait_until (last_row_loaded, big, 3000);
  beam_test_wait_until (first_row_selected, big, 3000);
  g_clear_pointer (&selected, g_free);
  selected = beam_table_window_dup_selected (big);
  g_assert_cmpstr (g_strstrip (selected), ==, "{1000000,<<\"value-1000000\">>}");
  beam_test_run_for (1000);
  beam_test_save_screenshot (GTK_WIDGET (big), "table-window-end.png");

  /* A private table says why its rows cannot be read. */
  private_table = open_table_window (window, "bs_private");
  g_assert_cmpstr (beam_table_window_get_state (private_table), ==, "error");
  message = beam_table_window_dup_message (private_table);
  g_assert_nonnull (strstr (message, "private"));
  beam_test_run_for (200);
  beam_test_save_screenshot (GTK_WIDGET (private_table), "table-window-private.png");

  /* The Tables page opens one through win.open-table. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.open-table", "s", "bs_set");
  toplevels = gtk_window_list_toplevels ();
  for (GList *l = toplevels; l != NULL; l = l->next)
    opened_from_page |= BEAM_IS_TABLE_WINDOW (l->data) && l->data != records &&
                        l->data != big && l->data != private_table;
  g_list_free (toplevels);
  g_assert_true (opened_from_page);

  toplevels = gtk_window_list_toplevels ();
  for (GList *l = toplevels; l != NULL; l = l->next)
    if (BEAM_IS_TABLE_WINDOW (l->data))
      gtk_window_destroy (l->data);
  g_list_free (toplevels);
  beam_test_run_for (100);
  destroy_and_finalize (g_steal_pointer (&window));
}

/* ---- finding and changing rows in a table window --------------------------------- */

static gboolean
query_answered_now (gpointer data)
{
  const char *message = beam_table_window_get_query_message (data);

  return message != NULL && g_str_has_suffix (message, "…") == FALSE && message[0] != '\0';
}

static char *
result_text (BeamTableWindow *window,
             guint            position)
{
  g_autoptr(BeamEtsRowItem) item = g_list_model_get_item (beam_table_window_get_results (window),
                                                          position);

  return beam_ets_row_item_dup_cell (item, 0, BEAM_SYNTAX_ERLANG);
}

static void
run_query (BeamTableWindow *window,
           guint            kind,
           const char      *text)
{
  beam_table_window_query (window, kind, text);
  beam_test_wait_until (query_answered_now, window, 5000);
}

static gint64
table_size (const char *table)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *args = g_strdup_printf ("[%s, size]", table);
  g_autofree char *printed = beam_test_node_erl_call (node, "ets", "info", args, &error);

  g_assert_no_error (error);
  return g_ascii_strtoll (printed, NULL, 10);
}

static gint64 awaited_size;
/* Dialogs answered already: closed, they may still be listed a moment. */
static GPtrArray *answered_dialogs;

/* A dialog shown that was not answered yet. */
static AdwMessageDialog *
find_other_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();  /* transfer none */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) shown = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (shown) && gtk_widget_get_visible (GTK_WIDGET (shown)) &&
          !g_ptr_array_find (answered_dialogs, shown, NULL))
        return ADW_MESSAGE_DIALOG (shown);
    }
  return NULL;
}

static gboolean
other_dialog_shown (gpointer data G_GNUC_UNUSED)
{
  return find_other_dialog () != NULL;
}

static gboolean
records_sized (gpointer data G_GNUC_UNUSED)
{
  return table_size ("bs_records") == awaited_size;
}

static void
test_table_queries_and_changes (void)
{
  g_autoptr(BeamWindow) window = new_window ();
  g_autoptr(BeamWindow) read_only = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *atom = g_strdup_printf ("brand_new_%u", g_random_int ());
  g_autofree char *row = g_strdup_printf ("{person, 99, <<\"new\">>, %s}", atom);
  g_autofree char *lookup = NULL, *first = NULL, *atoms_before = NULL, *atoms_after = NULL;
  BeamTableWindow *records, *watching;
  AdwMessageDialog *dialog;

  g_free (beam_test_node_erl_call (node, "beamscope_fixture", "make_browse_tables", "[]",
                                   &error));
  g_clear_error (&error);   /* made already by an earlier test: fine */
  beam_test_window_connect (window, node, "tables");
  records = open_table_window (window, "bs_records");

  /* Key, pattern and match spec give what the node's own calls give. */
  run_query (records, 0, "7");
  lookup = beam_test_node_erl_call (node, "ets", "lookup", "[bs_records, 7]", &error);
  g_assert_no_error (error);
  /* erl_call prints binaries its own way. */
  g_assert_cmpstr (g_strstrip (lookup), ==, "[{person, 7, #Bin<110,97,109,101,55>, 27}]");
  g_assert_cmpuint (g_list_model_get_n_items (beam_table_window_get_results (records)), ==, 1);
  first = result_text (records, 0);
  g_assert_cmpstr (first, ==, "{person,7,<<\"name7\">>,27}");
  run_query (records, 1, "{person, '_', '_', 30}");
  g_assert_cmpuint (g_list_model_get_n_items (beam_table_window_get_results (records)), ==, 1);
  run_query (records, 2, "[{{person, '$1', '_', '_'}, [{'>', '$1', 45}], ['$_']}]");
  g_assert_cmpuint (g_list_model_get_n_items (beam_table_window_get_results (records)), ==, 5);
  beam_test_run_for (300);
  beam_test_save_screenshot (GTK_WIDGET (records), "table-window-select.png");

  /* An atom the node lacks: no row, no atom made. */
  atoms_before = beam_test_node_erl_call (node, "erlang", "system_info", "[atom_count]", &error);
  run_query (records, 0, atom);
  g_assert_cmpuint (g_list_model_get_n_items (beam_table_window_get_results (records)), ==, 0);
  g_assert_nonnull (strstr (beam_table_window_get_query_message (records), "unknown"));
  atoms_after = beam_test_node_erl_call (node, "erlang", "system_info", "[atom_count]", &error);
  g_assert_cmpstr (atoms_before, ==, atoms_after);

  /* Insert: typed, then confirmed with the atom it makes named. */
  awaited_size = table_size ("bs_records") + 1;
  answered_dialogs = g_ptr_array_new ();
  gtk_widget_activate_action (GTK_WIDGET (records), "table.insert", NULL);
  beam_test_wait_until (other_dialog_shown, NULL, 3000);
  dialog = find_other_dialog ();
  gtk_editable_set_text (GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog)), row);
  g_ptr_array_add (answered_dialogs, dialog);
  adw_message_dialog_response (dialog, "do");
  beam_test_wait_until (other_dialog_shown, NULL, 5000);
  dialog = find_other_dialog ();
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), atom));
  /* Making an atom is the destructive kind: Enter does not do it. */
  g_assert_cmpstr (adw_message_dialog_get_default_response (dialog), ==, "cancel");
  beam_test_save_screenshot (GTK_WIDGET (dialog), "table-window-insert-dialog.png");
  g_ptr_array_add (answered_dialogs, dialog);
  adw_message_dialog_response (dialog, "do");
  beam_test_wait_until (records_sized, NULL, 5000);

  /* Delete by key. */
  awaited_size--;
  gtk_widget_activate_action (GTK_WIDGET (records), "table.delete-key", NULL);
  beam_test_wait_until (other_dialog_shown, NULL, 3000);
  dialog = find_other_dialog ();
  gtk_editable_set_text (GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog)), "99");
  g_ptr_array_add (answered_dialogs, dialog);
  adw_message_dialog_response (dialog, "do");
  beam_test_wait_until (records_sized, NULL, 5000);

  /* A protected table: readable, and not to be changed from here. */
  {
    BeamTableWindow *protected_table = open_table_window (window, "bs_protected");

    g_assert_cmpstr (beam_table_window_get_state (protected_table), ==, "rows");
    g_assert_cmpuint (g_list_model_get_n_items (beam_table_window_get_rows (protected_table)),
                      ==, 1);
    gtk_widget_activate_action (GTK_WIDGET (protected_table), "table.insert", NULL);
    beam_test_run_for (200);
    g_assert_null (find_other_dialog ());
    gtk_window_destroy (GTK_WINDOW (protected_table));
  }

  /* --read-only: nothing to change rows with. */
  read_only = g_object_ref_sink (beam_window_new (ADW_APPLICATION (app), TRUE));
  gtk_window_present (GTK_WINDOW (read_only));
  beam_test_window_connect (read_only, node, "tables");
  watching = open_table_window (read_only, "bs_records");
  gtk_widget_activate_action (GTK_WIDGET (watching), "table.insert", NULL);
  gtk_widget_activate_action (GTK_WIDGET (watching), "table.delete-key", NULL);
  beam_test_run_for (300);
  g_assert_null (find_other_dialog ());
  g_clear_pointer (&answered_dialogs, g_ptr_array_unref);

  gtk_window_destroy (GTK_WINDOW (watching));
  gtk_window_destroy (GTK_WINDOW (records));
  beam_test_run_for (100);
  destroy_and_finalize (g_steal_pointer (&read_only));
  destroy_and_finalize (g_steal_pointer (&window));
}

static guint refreshes_awaited;

static gboolean
refreshed_since (gpointer data)
{
  return beam_page_get_refreshes (data) >= refreshes_awaited;
}

/* Lets the page refresh once more from now. */
static void
wait_for_refresh (BeamTablesPage *page)
{
  refreshes_awaited = beam_page_get_refreshes (BEAM_PAGE (page)) + 1;
  beam_test_wait_until (refreshed_since, page, 20000);
}

static void
grow_table (BeamTestNode *on,
            guint         from,
            guint         count)
{
  g_autoptr(GString) args = g_string_new ("[bs_set, [");
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < count; i++)
    g_string_append_printf (args, "%s{%u, grown}", i > 0 ? ", " : "", from + i);
  g_string_append (args, "]]");
  g_free (beam_test_node_erl_call (on, "ets", "insert", args->str, &error));
  g_assert_no_error (error);
}

static BeamMnesiaTableRow *
mnesia_row (BeamTablesPage *page,
            const char     *name)
{
  GListModel *shown = beam_tables_page_get_mnesia_shown (page);

  for (guint i = 0; i < g_list_model_get_n_items (shown); i++)
    {
      g_autoptr(BeamMnesiaTableRow) row = g_list_model_get_item (shown, i);

      if (g_strcmp0 (beam_mnesia_table_row_get_name (row), name) == 0)
        return row;   /* the store holds it */
    }
  return NULL;
}

/* On a node running Mnesia whose bs_set grows between refreshes: sorted by
 * the change in size, the growing table comes first, its change the rows
 * added since the page opened; the Mnesia section lists a table of each
 * storage type with the fixture's sizes. */
static void
test_tables_growth_and_mnesia (void)
{
  g_autoptr(BeamWindow) window = new_window ();
  g_autoptr(BeamTestNode) mnesia_node = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL, *args = NULL, *started = NULL;
  g_autoptr(BeamEtsTableRow) first = NULL;
  BeamTablesPage *page;
  const struct { const char *name, *storage; gint64 size; } expected[] = {
    { "bs_ram", "ram", 100 }, { "bs_disc", "disc", 50 }, { "bs_disc_only", "disc_only", 25 },
  };

  mnesia_node = beam_test_node_start (NULL, &error);
  g_assert_no_error (error);
  g_free (beam_test_node_erl_call (mnesia_node, "beamscope_fixture", "make_tables", "[]",
                                   &error));
  g_assert_no_error (error);
  dir = g_build_filename (mnesia_node->dir, "mnesia", NULL);
  args = g_strdup_printf ("[\"%s\"]", dir);
  started = beam_test_node_erl_call (mnesia_node, "beamscope_fixture", "start_mnesia", args,
                                     &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_strstrip (started), ==, "ok");

  gtk_window_set_default_size (GTK_WINDOW (window), 1380, 900);
  beam_window_connect (window, mnesia_node->name, mnesia_node->cookie, "tables");
  beam_test_wait_until (beam_test_window_is_connected, window, 15000);
  page = BEAM_TABLES_PAGE (beam_window_get_page (window, "tables"));
  beam_page_set_refresh_interval (BEAM_PAGE (page), 1);
  wait_for_refresh (page);
  g_assert_true (beam_tables_page_get_mnesia_running (page));

  /* Sorted by growth, after a few refreshes of growth (the last waited for
   * twice: the refresh under way may have read the table before). */
  for (guint i = 0; i < 4; i++)
    {
      grow_table (mnesia_node, 1000 + 400 * i * i, 400 * (2 * i + 1));
      wait_for_refresh (page);
    }
  wait_for_refresh (page);
  beam_tables_page_sort_by (page, "size-change");
  first = g_list_model_get_item (beam_tables_page_get_shown (page), 0);
  g_assert_cmpstr (beam_ets_table_row_get_name (first), ==, "bs_set");
  g_assert_cmpint (beam_ets_table_row_get_size_change (first), ==, 400 * 16);
  g_assert_cmpint (beam_ets_table_row_get_memory_change (first), >, 0);
  g_assert_cmpuint (beam_ets_table_row_get_n_samples (first), >=, 5);
  beam_test_run_for (300);
  beam_test_save_screenshot (GTK_WIDGET (window), "tables-page-growth.png");

  beam_page_show_detail (BEAM_PAGE (page), "mnesia");
  g_assert_cmpstr (beam_tables_page_get_section (page), ==, "mnesia");
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      BeamMnesiaTableRow *row = mnesia_row (page, expected[i].name);

      g_assert_nonnull (row);
      g_assert_cmpstr (beam_mnesia_table_row_get_storage (row), ==, expected[i].storage);
      g_assert_cmpint (beam_mnesia_table_row_get_size (row), ==, expected[i].size);
      g_assert_cmpint (beam_mnesia_table_row_get_memory (row), >, 0);
      g_assert_nonnull (strstr (beam_mnesia_table_row_get_replicas (row), mnesia_node->name));
    }
  beam_test_run_for (300);
  beam_test_save_screenshot (GTK_WIDGET (window), "tables-page-mnesia.png");

  /* Enter on a ram table opens its rows (an ETS table of its name). */
  {
    GListModel *shown = beam_tables_page_get_mnesia_shown (page);
    BeamTableWindow *opened = NULL;
    GList *toplevels;

    for (guint i = 0; i < g_list_model_get_n_items (shown); i++)
      {
        g_autoptr(BeamMnesiaTableRow) row = g_list_model_get_item (shown, i);

        if (g_strcmp0 (beam_mnesia_table_row_get_name (row), "bs_ram") == 0)
          beam_tables_page_activate_mnesia (page, i);
      }
    toplevels = gtk_window_list_toplevels ();
    for (GList *l = toplevels; l != NULL; l = l->next)
      if (BEAM_IS_TABLE_WINDOW (l->data))
        opened = l->data;
    g_list_free (toplevels);
    g_assert_nonnull (opened);
    beam_test_wait_until (table_window_settled, opened, 10000);
    g_assert_cmpuint (g_list_model_get_n_items (beam_table_window_get_rows (opened)), ==, 100);
    gtk_window_destroy (GTK_WINDOW (opened));
  }

  /* Mnesia stops: its section goes, and the ETS tables show. */
  g_free (beam_test_node_erl_call (mnesia_node, "mnesia", "stop", "[]", &error));
  g_assert_no_error (error);
  /* A refresh already asked when Mnesia stopped may still find it: one more. */
  wait_for_refresh (page);
  wait_for_refresh (page);
  g_assert_false (beam_tables_page_get_mnesia_running (page));
  g_assert_cmpstr (beam_tables_page_get_section (page), ==, "ets");

  destroy_and_finalize (g_steal_pointer (&window));
}

static void
test_read_only (void)
{
  g_autoptr(BeamWindow) window = g_object_ref_sink (beam_window_new (ADW_APPLICATION (app), TRUE));
  BeamProcessWindow *process;

  gtk_window_present (GTK_WINDOW (window));
  beam_test_window_connect (window, node, "processes");
  process = beam_process_window_new (beam_window_get_node (window), "beamscope_cache");
  gtk_window_set_application (GTK_WINDOW (process), GTK_APPLICATION (app));
  gtk_window_set_default_size (GTK_WINDOW (process), 900, 800);
  gtk_window_present (GTK_WINDOW (process));
  beam_test_wait_until (window_loaded, process, 15000);
  beam_test_run_for (300);

  gtk_widget_activate_action (GTK_WIDGET (process), "process.kill", NULL);
  gtk_widget_activate_action (GTK_WIDGET (process), "process.garbage-collect", NULL);
  gtk_widget_activate_action (GTK_WIDGET (process), "process.suspend", NULL);
  gtk_widget_activate_action (GTK_WIDGET (process), "process.statistics-on", NULL);
  beam_test_run_for (300);
  g_assert_null (find_dialog ());
  /* Nor the Memory page's node-wide collection. */
  beam_window_show_page (window, "memory");
  gtk_widget_activate_action (beam_window_get_page (window, "memory"),
                              "memory.collect-binaries", NULL);
  beam_test_run_for (300);
  g_assert_null (find_dialog ());
  /* Nor a kill from the Applications page. */
  beam_window_show_page (window, "applications");
  gtk_widget_activate_action (beam_window_get_page (window, "applications"),
                              "applications.kill", NULL);
  beam_test_run_for (300);
  g_assert_null (find_dialog ());
  /* Reading stays possible; the statistics say they are off, with nothing
   * offered to turn them on. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (process), "process.get-state", NULL));
  beam_process_window_show_page (process, "state");
  beam_test_wait_until (statistics_answered, process, 10000);
  g_assert_true (beam_process_window_get_statistics_off_shown (process));
  g_assert_false (beam_process_window_get_statistics_enable_shown (process));

  destroy_and_finalize (g_object_ref (process));
  destroy_and_finalize (g_steal_pointer (&window));
}

/* What a click on a column's header does: GtkColumnViewTitle's release
 * handler puts a column that did not lead first, ascending, and flips the
 * one that leads. GTK 4.8 takes no synthetic pointer event (the handler
 * reads the event's button), so the test does what the handler does, with
 * the order it would set. */
static void
click_column_header (BeamProcessesPage *page,
                     const char        *title,
                     GtkSortType        order)
{
  GtkColumnView *view = beam_processes_page_get_view (page);
  GListModel *columns = gtk_column_view_get_columns (view);
  gboolean found = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (columns); i++)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, i);

      if (g_strcmp0 (gtk_column_view_column_get_title (column), title) == 0)
        {
          gtk_column_view_sort_by_column (view, column, order);
          found = TRUE;
        }
    }
  g_assert_true (found);
}

typedef struct
{
  BeamProcessesPage *page;
  guint              queue;
} FirstQueue;

static gboolean
first_queue_is (gpointer data)
{
  FirstQueue *wanted = data;
  BeamProcessModel *model = beam_processes_page_get_model (wanted->page);
  const BeamProcessRecord *record;

  if (beam_process_model_get_busy (model) ||
      g_list_model_get_n_items (G_LIST_MODEL (model)) == 0)
    return FALSE;
  record = beam_process_model_get_record (model, 0, NULL, NULL);
  return record != NULL && record->message_queue_len == wanted->queue;
}

/* Every label of a menu model, sections included, into `labels`. */
static void
collect_menu_labels (GMenuModel *menu,
                     GString    *labels)
{
  for (int i = 0; i < g_menu_model_get_n_items (menu); i++)
    {
      g_autofree char *label = NULL;
      g_autoptr(GMenuModel) section = g_menu_model_get_item_link (menu, i, G_MENU_LINK_SECTION);

      if (g_menu_model_get_item_attribute (menu, i, G_MENU_ATTRIBUTE_LABEL, "s", &label))
        g_string_append_printf (labels, "%s\n", label);
      if (section != NULL)
        collect_menu_labels (section, labels);
    }
}

static char *
context_menu_labels (BeamProcessesPage *page)
{
  GMenuModel *menu = gtk_popover_menu_get_menu_model (
    GTK_POPOVER_MENU (beam_processes_page_get_context_menu (page)));
  GString *labels = g_string_new (NULL);

  if (menu != NULL)
    collect_menu_labels (menu, labels);
  return g_string_free (labels, FALSE);
}

static gboolean
empty_shown (gpointer data)
{
  return beam_processes_page_get_empty_shown (data);
}

/* One click on MsgQ brings the biggest mailbox first (a number column
 * sorts biggest first), a second click the smallest; several rows have a
 * context menu whose kill is confirmed with the list of what will be hit; a
 * filter that matches nothing says so, and the count follows at once. */
static void
test_processes_sort_menu_and_empty (void)
{
  g_autoptr(BeamWindow) window = new_window ();
  BeamProcessesPage *page;
  GtkSelectionModel *selection;
  FirstQueue wanted;
  char first_pid[32], second_pid[32];
  BeamProcessTable *table = NULL;
  guint index = 0;

  beam_test_window_connect (window, node, "processes");
  page = BEAM_PROCESSES_PAGE (beam_window_get_page (window, "processes"));
  beam_test_wait_until (processes_listed, page, 20000);
  beam_test_run_for (300);

  /* Sorted by memory at first: the mailbox is not first. */
  g_assert_cmpuint (record_at (page, 0, NULL, NULL)->message_queue_len, !=, 1500);
  /* A first click asks for ascending: the page makes it biggest first. */
  click_column_header (page, "MsgQ", GTK_SORT_ASCENDING);
  wanted = (FirstQueue) { page, 1500 };
  beam_test_wait_until (first_queue_is, &wanted, 10000);
  g_assert_cmpuint (record_at (page, 0, NULL, NULL)->message_queue_len, ==, 1500);
  beam_test_run_for (300);
  beam_test_save_screenshot (GTK_WIDGET (window), "processes-sorted-by-queue.png");

  /* The second click flips it: smallest first; the third back. */
  click_column_header (page, "MsgQ", GTK_SORT_ASCENDING);
  wanted = (FirstQueue) { page, 0 };
  beam_test_wait_until (first_queue_is, &wanted, 10000);
  click_column_header (page, "MsgQ", GTK_SORT_DESCENDING);
  wanted = (FirstQueue) { page, 1500 };
  beam_test_wait_until (first_queue_is, &wanted, 10000);

  /* Two rows: the menu offers the bulk actions, and kill lists both. */
  selection = beam_processes_page_get_selection (page);
  g_assert_true (gtk_selection_model_select_item (selection, 0, TRUE));
  g_assert_true (gtk_selection_model_select_item (selection, 1, FALSE));
  record_at (page, 0, &table, &index);
  beam_process_table_format_pid (table, index, first_pid);
  record_at (page, 1, &table, &index);
  beam_process_table_format_pid (table, index, second_pid);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "processes.context-menu", NULL));
  beam_test_run_for (300);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (beam_processes_page_get_context_menu (page))));
  {
    g_autofree char *labels = context_menu_labels (page);

    g_assert_nonnull (strstr (labels, "_Kill 2 Processes…"));
    g_assert_nonnull (strstr (labels, "_Garbage Collect 2 Processes…"));
    g_assert_nonnull (strstr (labels, "_Copy Pids"));
    g_assert_null (strstr (labels, "Get _State"));  /* one process's, not several's */
  }
  beam_test_save_screenshot (GTK_WIDGET (beam_processes_page_get_context_menu (page)),
                   "processes-context-menu.png");
  gtk_popover_popdown (beam_processes_page_get_context_menu (page));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "processes.kill", NULL));
  beam_test_wait_until (dialog_shown, NULL, 5000);
  {
    AdwMessageDialog *dialog = find_dialog ();
    const char *body = adw_message_dialog_get_body (dialog);

    g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Kill 2 Processes?");
    g_assert_nonnull (strstr (body, first_pid));
    g_assert_nonnull (strstr (body, second_pid));
    g_assert_nonnull (strstr (body, "beamscope_mailbox"));
    gtk_window_set_default_size (GTK_WINDOW (dialog), 500, -1);
    beam_test_run_for (300);
    beam_test_save_screenshot (GTK_WIDGET (dialog), "processes-bulk-kill.png");
    adw_message_dialog_response (dialog, "cancel");
    beam_test_run_for (200);
  }
  /* Nothing was killed. */
  g_assert_cmpuint (record_at (page, 0, NULL, NULL)->message_queue_len, ==, 1500);

  /* One row: its own actions. */
  g_assert_true (gtk_selection_model_select_item (selection, 0, TRUE));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "processes.context-menu", NULL));
  {
    g_autofree char *labels = context_menu_labels (page);

    g_assert_nonnull (strstr (labels, "Get _State"));
    g_assert_nonnull (strstr (labels, "Sus_pend…"));
    g_assert_nonnull (strstr (labels, "_Kill…"));
  }
  gtk_popover_popdown (beam_processes_page_get_context_menu (page));

  /* A filter that matches nothing: said so, and counted at once. */
  beam_processes_page_set_filter (page, "no_such_process_anywhere");
  beam_test_wait_until (empty_shown, page, 5000);
  g_assert_true (g_str_has_prefix (beam_processes_page_get_count_text (page), "0 of "));
  beam_test_run_for (300);
  beam_test_save_screenshot (GTK_WIDGET (window), "processes-no-match.png");
  beam_processes_page_set_filter (page, "");
  beam_test_wait_until (processes_listed, page, 10000);
  g_assert_false (beam_processes_page_get_empty_shown (page));

  {
    g_autoptr(GSettings) settings = g_settings_new ("io.github.beamscope.Beamscope");

    g_settings_reset (settings, "processes-sort");
  }
  destroy_and_finalize (g_steal_pointer (&window));
}

typedef struct
{
  BeamProcessesPage *page;
  guint              n;
} ShownCount;

static gboolean
shows_count (gpointer data)
{
  ShownCount *wanted = data;
  BeamProcessModel *model = beam_processes_page_get_model (wanted->page);

  return !beam_process_model_get_busy (model) &&
         g_list_model_get_n_items (G_LIST_MODEL (model)) == wanted->n;
}

/* Two idle processes selected and killed together: confirmed, then gone
 * from the list once it refreshes. */
static void
test_processes_bulk_kill (void)
{
  g_autoptr(BeamWindow) window = new_window ();
  g_autoptr(GError) error = NULL;
  g_autofree char *spawned = NULL;
  BeamProcessesPage *page;
  GtkSelectionModel *selection;
  ShownCount wanted;
  AdwMessageDialog *dialog;

  spawned = beam_test_node_erl_call (node, "beamscope_fixture", "spawn_idle", "[4]", &error);
  g_assert_no_error (error);
  beam_test_window_connect (window, node, "processes");
  page = BEAM_PROCESSES_PAGE (beam_window_get_page (window, "processes"));
  beam_test_wait_until (processes_listed, page, 20000);

  /* The holder and its four idle processes share their initial call. */
  beam_processes_page_set_filter (page, "-spawn_idle/1-fun-");
  wanted = (ShownCount) { page, 5 };
  beam_test_wait_until (shows_count, &wanted, 10000);

  selection = beam_processes_page_get_selection (page);
  gtk_selection_model_select_item (selection, 3, TRUE);
  gtk_selection_model_select_item (selection, 4, FALSE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "processes.kill", NULL));
  beam_test_wait_until (dialog_shown, NULL, 5000);
  dialog = find_dialog ();
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Kill 2 Processes?");
  adw_message_dialog_response (dialog, "do");

  wanted = (ShownCount) { page, 3 };
  beam_test_wait_until (shows_count, &wanted, 15000);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (beam_processes_page_get_model (page))),
                    ==, 3);
  g_clear_pointer (&spawned, g_free);
  spawned = beam_test_node_erl_call (node, "beamscope_fixture", "spawn_idle", "[0]", &error);
  g_assert_no_error (error);
  destroy_and_finalize (g_steal_pointer (&window));
}

/* One process's sys action from the list runs in its window, the window's
 * own code: Get State opens it on its state. */
static void
test_processes_menu_get_state (void)
{
  g_autoptr(BeamWindow) window = new_window ();
  BeamProcessesPage *page;
  BeamProcessWindow *process;

  beam_test_window_connect (window, node, "processes");
  page = BEAM_PROCESSES_PAGE (beam_window_get_page (window, "processes"));
  beam_test_wait_until (processes_listed, page, 20000);
  beam_processes_page_set_filter (page, "beamscope_cache");
  beam_test_wait_until (filtered_to_one, page, 10000);
  gtk_selection_model_select_item (beam_processes_page_get_selection (page), 0, TRUE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "processes.get-state", NULL));
  beam_test_wait_until (process_window_shown, NULL, 5000);
  process = find_process_window ();
  beam_test_wait_until (state_shown, process, 15000);
  destroy_and_finalize (g_object_ref (process));
  destroy_and_finalize (g_steal_pointer (&window));
}

/* With --read-only, the menu has nothing that changes a process, and the
 * bulk kill asks nothing. */
static void
test_processes_menu_read_only (void)
{
  g_autoptr(BeamWindow) window = g_object_ref_sink (beam_window_new (ADW_APPLICATION (app), TRUE));
  BeamProcessesPage *page;
  GtkSelectionModel *selection;

  gtk_window_present (GTK_WINDOW (window));
  beam_test_window_connect (window, node, "processes");
  page = BEAM_PROCESSES_PAGE (beam_window_get_page (window, "processes"));
  beam_test_wait_until (processes_listed, page, 20000);

  selection = beam_processes_page_get_selection (page);
  gtk_selection_model_select_item (selection, 0, TRUE);
  gtk_selection_model_select_item (selection, 1, FALSE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "processes.context-menu", NULL));
  {
    g_autofree char *labels = context_menu_labels (page);

    g_assert_nonnull (strstr (labels, "_Open Processes"));
    g_assert_null (strstr (labels, "Kill"));
    g_assert_null (strstr (labels, "Garbage"));
  }
  gtk_popover_popdown (beam_processes_page_get_context_menu (page));
  gtk_widget_activate_action (GTK_WIDGET (page), "processes.kill", NULL);
  gtk_widget_activate_action (GTK_WIDGET (page), "processes.garbage-collect", NULL);
  beam_test_run_for (300);
  g_assert_null (find_dialog ());
  destroy_and_finalize (g_steal_pointer (&window));
}

/* --page is checked against the view stack, which names the pages. */
static void
test_unknown_page (void)
{
  const char *argv[] = { g_getenv ("BEAMSCOPE_APP"), "--page", "nope", NULL };
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_assert_nonnull (argv[0]);
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL,
                               NULL, &err, &status, &error));
  g_assert_no_error (error);
  g_test_message ("%s", err);
  g_assert_false (g_spawn_check_wait_status (status, NULL));
  g_assert_nonnull (strstr (err, "“nope”"));
  g_assert_nonnull (strstr (err, "system, load, memory, applications, tables, processes"));
}

/* The folder of Elixir's own modules beside the `elixir` on PATH, or NULL. */
static char *
elixir_ebin (void)
{
  g_autofree char *program = g_find_program_in_path ("elixir");
  g_autofree char *real = NULL;
  g_autofree char *bin = NULL;
  g_autofree char *ebin = NULL;

  if (program == NULL || (real = realpath (program, NULL)) == NULL)
    return NULL;
  bin = g_path_get_dirname (real);
  ebin = g_build_filename (bin, "..", "lib", "elixir", "ebin", NULL);
  return g_file_test (ebin, G_FILE_TEST_IS_DIR) ? g_steal_pointer (&ebin) : NULL;
}

static gboolean
node_runs_elixir (gpointer data)
{
  BeamNode *beam_node = beam_window_get_node (data);

  return beam_node != NULL && beam_node_get_runs_elixir (beam_node);
}

static gboolean
elixir_state_shown (gpointer data)
{
  g_autofree char *state = beam_process_window_dup_state (data);

  return state != NULL && strstr (state, "MapSet") != NULL;
}

/* An Elixir node (Elixir's modules loaded into a fixture node, its app
 * started) is seen to run Elixir: with the setting on auto, the process list,
 * the process window and its state read as an Elixir user writes them; the
 * header menu's choice of Erlang turns the list back. */
static void
test_elixir_node (void)
{
  g_autofree char *ebin = elixir_ebin ();
  g_autoptr(GError) error = NULL;
  g_autoptr(BeamTestNode) ex = NULL;
  g_autoptr(BeamWindow) window = NULL;
  g_autoptr(GSettings) settings = g_settings_new ("io.github.beamscope.Beamscope");
  g_autofree char *out = NULL;
  g_autofree char *state = NULL;
  BeamProcessesPage *page;
  BeamProcessWindow *process;
  const char * const args[] = { "-pa", ebin, NULL };

  if (ebin == NULL)
    {
      g_test_skip ("No elixir on PATH (tools/install-deps.sh installs it)");
      return;
    }
  ex = beam_test_node_start (args, &error);
  g_assert_no_error (error);
  g_free (beam_test_node_erl_call (ex, "application", "ensure_all_started", "[elixir]", &error));
  g_assert_no_error (error);
  /* erl_call's arguments take no binaries and no `~`: a charlist, no sigils. */
  out = beam_test_node_erl_call (ex, "erlang", "apply",
                                 "['Elixir.Code', eval_string, [\""
                                 "defmodule MyApp.Cache do use GenServer; "
                                 "def init(_), do: {:ok, %{entries: MapSet.new([:a, :b]), "
                                 "since: Date.new!(2024, 1, 2), sizes: 1..10}} end; "
                                 "GenServer.start(MyApp.Cache, [], name: MyApp.Cache)\"]]",
                                 &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (out, "ok"));

  g_assert_cmpstr (g_settings_get_string (settings, "term-syntax"), ==, "auto");
  window = new_window ();
  beam_window_connect (window, ex->name, ex->cookie, "processes");
  beam_test_wait_until (beam_test_window_is_connected, window, 15000);
  beam_test_wait_until (node_runs_elixir, window, 10000);
  g_assert_cmpint (beam_node_get_syntax (beam_window_get_node (window)), ==, BEAM_SYNTAX_ELIXIR);

  page = BEAM_PROCESSES_PAGE (beam_window_get_page (window, "processes"));
  beam_test_wait_until (processes_listed, page, 20000);
  beam_processes_page_set_filter (page, "MyApp");
  beam_test_wait_until (filtered_to_one, page, 10000);
  beam_test_wait_for_label (GTK_WIDGET (page), "MyApp.Cache", 10000);
  beam_test_wait_for_label (GTK_WIDGET (page), ":gen_server.loop/7", 10000);
  beam_test_run_for (300);
  beam_test_save_screenshot (GTK_WIDGET (window), "elixir-processes.png");

  process = beam_process_window_new (beam_window_get_node (window), "MyApp.Cache");
  gtk_window_set_application (GTK_WINDOW (process), GTK_APPLICATION (app));
  gtk_window_set_default_size (GTK_WINDOW (process), 900, 1100);
  gtk_window_present (GTK_WINDOW (process));
  beam_test_wait_until (window_loaded, process, 15000);
  g_assert_nonnull (strstr (gtk_window_get_title (GTK_WINDOW (process)), "MyApp.Cache on "));
  beam_test_wait_for_label (GTK_WIDGET (process), "MyApp.Cache.init/1", 10000);
  /* The stack in the same spelling: only a frame says proc_lib's. */
  beam_process_window_show_page (process, "stack");
  beam_test_wait_for_label (GTK_WIDGET (process), ":proc_lib.init_p_do_apply/3", 10000);
  beam_process_window_show_page (process, "info");
  beam_test_run_for (300);
  beam_test_save_screenshot (GTK_WIDGET (process), "elixir-process-window.png");
  beam_process_window_show_page (process, "state");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (process), "process.get-state", NULL));
  beam_test_wait_until (elixir_state_shown, process, 10000);
  state = beam_process_window_dup_state (process);
  g_assert_cmpstr (state, ==,
                   "%{entries: MapSet.new([:a, :b]), since: ~D[2024-01-02], sizes: 1..10}\n");
  beam_test_run_for (300);
  beam_test_save_screenshot (GTK_WIDGET (process), "elixir-process-state.png");
  destroy_and_finalize (g_object_ref (process));

  /* The header menu's Erlang syntax wins over the node's language. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "settings.term-syntax", "s",
                                             "erlang"));
  g_assert_cmpint (beam_node_get_syntax (beam_window_get_node (window)), ==, BEAM_SYNTAX_ERLANG);
  beam_test_wait_for_label (GTK_WIDGET (page), "Elixir.MyApp.Cache", 15000);
  g_settings_reset (settings, "term-syntax");
  g_assert_cmpint (beam_node_get_syntax (beam_window_get_node (window)), ==, BEAM_SYNTAX_ELIXIR);
  destroy_and_finalize (g_steal_pointer (&window));
}

int
main (int    argc,
      char **argv)
{
  int status;

  beam_test_display_init (&argc, &argv, &app, &node);

  g_test_add_func ("/window/connect-screen", test_connect_screen);
  g_test_add_func ("/window/markup-shown-as-text", test_markup_shown_as_text);
  g_test_add_func ("/window/system-page", test_system_page);
  g_test_add_func ("/window/system-page-fits", test_system_page_fits);
  g_test_add_func ("/window/processes-page", test_processes_page);
  g_test_add_func ("/window/process-window", test_process_window);
  g_test_add_func ("/window/playbooks", test_playbooks);
  g_test_add_func ("/window/load-page", test_load_page);
  g_test_add_func ("/window/load-page-restart", test_load_page_restart);
  g_test_add_func ("/window/memory-page", test_memory_page);
  g_test_add_func ("/window/applications-page", test_applications_page);
  g_test_add_func ("/window/tables-page", test_tables_page);
  g_test_add_func ("/window/table-window", test_table_window);
  g_test_add_func ("/window/table-queries-and-changes", test_table_queries_and_changes);
  g_test_add_func ("/window/tables-growth-and-mnesia", test_tables_growth_and_mnesia);
  g_test_add_func ("/window/read-only", test_read_only);
  g_test_add_func ("/window/processes-sort-menu-and-empty", test_processes_sort_menu_and_empty);
  g_test_add_func ("/window/processes-menu-read-only", test_processes_menu_read_only);
  g_test_add_func ("/window/processes-bulk-kill", test_processes_bulk_kill);
  g_test_add_func ("/window/processes-menu-get-state", test_processes_menu_get_state);
  g_test_add_func ("/window/unknown-page", test_unknown_page);
  g_test_add_func ("/window/elixir-node", test_elixir_node);

  status = g_test_run ();
  beam_test_node_free (node);
  g_clear_object (&app);
  return status;
}
