/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Ports page (issue 14, item 1) in the real window on a fixture node
 * running beamscope_ports (a spawned `cat`, a TCP listener and connection,
 * UDP sockets, a `socket` module socket): the cat's row with its OS pid and
 * owner, the listener's, the port types, sorting by memory, the filter, the
 * details pane, closing a port through its confirmation, --read-only
 * offering no close, and the Sockets list. Screenshots ports.png and
 * ports-sockets.png land in screenshots/. */

#include "beam-port-row.h"
#include "beam-process-window.h"
#include "beam-ports-page-private.h"
#include "beam-socket-row.h"
#include "beam-test-display.h"
#include "beam-test-node.h"
#include "beam-window-private.h"

static BeamTestNode *node;
static BeamApplication *app;

/* What the fixture answers through erl_call, its quotes taken off. */
static char *
ask_fixture (const char *function,
             const char *args)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = beam_test_node_erl_call (node, "beamscope_ports", function, args,
                                                  &error);
  g_autoptr(GString) text = NULL;

  g_assert_no_error (error);
  text = g_string_new (g_strstrip (out));
  if (text->len >= 2 && text->str[0] == '"' && text->str[text->len - 1] == '"')
    {
      g_string_erase (text, text->len - 1, 1);
      g_string_erase (text, 0, 1);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static BeamPortRow *
find_port (BeamPortsPage *page,
           const char    *id)
{
  GListModel *shown = beam_ports_page_get_shown (page);

  for (guint i = 0; i < g_list_model_get_n_items (shown); i++)
    {
      g_autoptr(BeamPortRow) row = g_list_model_get_item (shown, i);

      if (g_strcmp0 (beam_port_row_get_id (row), id) == 0)
        return row;   /* the list holds it */
    }
  return NULL;
}

typedef struct
{
  BeamPortsPage *page;
  const char    *id;
  guint          refreshes;
} PortWait;

static gboolean
refreshed (gpointer data)
{
  PortWait *wait = data;

  return beam_page_get_refreshes (BEAM_PAGE (wait->page)) >= wait->refreshes;
}

static gboolean
port_listed (gpointer data)
{
  PortWait *wait = data;

  return find_port (wait->page, wait->id) != NULL;
}

static gboolean
port_gone (gpointer data)
{
  return !port_listed (data);
}

static gboolean
socket_listed (gpointer data)
{
  PortWait *wait = data;
  GListModel *shown = beam_ports_page_get_sockets_shown (wait->page);

  for (guint i = 0; i < g_list_model_get_n_items (shown); i++)
    {
      g_autoptr(BeamSocketRow) row = g_list_model_get_item (shown, i);

      if (g_strcmp0 (beam_socket_row_get_id (row), wait->id) == 0)
        return TRUE;
    }
  return FALSE;
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
toast_said (gpointer data)
{
  return beam_ports_page_get_last_toast (data) != NULL;
}

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

/* The context menu's labels, popped up on the selected port. */
static char *
context_menu_labels (BeamPortsPage *page)
{
  GtkPopover *popover = beam_ports_page_get_context_menu (page);
  GMenuModel *menu;
  GString *labels = g_string_new (NULL);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "ports.context-menu", NULL));
  menu = gtk_popover_menu_get_menu_model (GTK_POPOVER_MENU (popover));
  if (menu != NULL)
    collect_menu_labels (menu, labels);
  gtk_popover_popdown (popover);
  return g_string_free (labels, FALSE);
}

static BeamPortsPage *
open_ports_page (BeamWindow *window)
{
  BeamPortsPage *page;

  beam_test_window_connect (window, node, "ports");
  page = BEAM_PORTS_PAGE (beam_window_get_page (window, "ports"));
  beam_page_set_refresh_interval (BEAM_PAGE (page), 1);
  return page;
}

static void
test_ports_page (void)
{
  g_autoptr(BeamWindow) window = beam_test_window_new (app, FALSE, 1400, 900);
  g_autofree char *cat = ask_fixture ("port_of", "[bs_port_cat]");
  g_autofree char *os_pid = ask_fixture ("os_pid", "[]");
  g_autofree char *cat_owner = ask_fixture ("pid_of", "[bs_port_cat]");
  g_autofree char *listener = ask_fixture ("port_of", "[bs_tcp_listener]");
  g_autofree char *client = ask_fixture ("port_of", "[bs_tcp_client]");
  g_autofree char *victim = ask_fixture ("port_of", "[bs_udp_victim]");
  g_autofree char *socket = ask_fixture ("socket_text", "[]");
  g_autofree char *details = NULL;
  g_autofree char *labels = NULL;
  g_autofree char *closed = NULL;
  BeamPortsPage *page = open_ports_page (window);
  GListModel *shown = beam_ports_page_get_shown (page);
  PortWait wait = { page, cat, 0 };
  BeamPortRow *row;
  AdwMessageDialog *dialog;
  gint64 previous = G_MAXINT64;

  beam_test_wait_until (port_listed, &wait, 20000);
  g_assert_cmpstr (beam_ports_page_get_section (page), ==, "ports");

  /* The cat: its OS process and its owner, by name, that opens by pid. */
  row = find_port (page, cat);
  g_assert_cmpint (beam_port_row_get_os_pid (row), ==, g_ascii_strtoll (os_pid, NULL, 10));
  g_assert_cmpint (beam_port_row_get_os_pid (row), >, 0);
  g_assert_cmpstr (beam_port_row_get_owner_label (row), ==, "bs_port_cat");
  g_assert_cmpstr (beam_port_row_get_connected (row), ==, cat_owner);
  g_assert_true (strstr (beam_port_row_get_name (row), "cat") != NULL);

  /* Enter or a double-click on its row opens the owner's process window. */
  {
    GListModel *model = beam_ports_page_get_shown (page);
    GtkWindow *process_window;

    for (guint i = 0; i < g_list_model_get_n_items (model); i++)
      {
        g_autoptr(BeamPortRow) candidate = g_list_model_get_item (model, i);

        if (g_strcmp0 (beam_port_row_get_id (candidate), cat) == 0)
          g_signal_emit_by_name (beam_ports_page_get_ports_view (page), "activate", i);
      }
    process_window = beam_test_find_toplevel (BEAM_TYPE_PROCESS_WINDOW);
    g_assert_nonnull (process_window);
    beam_test_wait_until (beam_test_process_window_loaded, process_window, 10000);
    {
      g_autofree char *name = beam_process_window_dup_field (BEAM_PROCESS_WINDOW (process_window),
                                                             "registered_name");

      g_assert_cmpstr (name, ==, "bs_port_cat");
    }
    beam_test_destroy_and_finalize (g_object_ref (process_window));
  }

  /* The listener: TCP on 127.0.0.1, listening, with no peer. */
  row = find_port (page, listener);
  g_assert_nonnull (row);
  g_assert_cmpstr (beam_port_row_get_name (row), ==, "tcp_inet");
  g_assert_true (g_str_has_prefix (beam_port_row_get_local (row), "127.0.0.1:"));
  g_assert_null (beam_port_row_get_remote (row));
  g_assert_cmpstr (beam_port_row_get_owner_label (row), ==, "bs_tcp_listener");
  {
    g_autofree char *state = NULL;

    g_object_get (row, "state", &state, NULL);
    g_assert_nonnull (strstr (state, "LISTEN"));
  }

  /* The types, as recon:port_types/0 counts them. */
  g_assert_nonnull (strstr (beam_ports_page_get_types_text (page), "tcp_inet "));
  g_assert_nonnull (strstr (beam_ports_page_get_types_text (page), "udp_inet "));

  /* By memory, biggest first on the first click. */
  beam_ports_page_sort_by (page, beam_ports_page_get_ports_view (page), "memory");
  g_assert_cmpuint (g_list_model_get_n_items (shown), >=, 6);
  for (guint i = 0; i < g_list_model_get_n_items (shown); i++)
    {
      g_autoptr(BeamPortRow) sorted = g_list_model_get_item (shown, i);

      g_assert_cmpint (beam_port_row_get_memory (sorted), <=, previous);
      previous = beam_port_row_get_memory (sorted);
    }

  /* By id, oldest first: ids are no amounts. */
  beam_ports_page_sort_by (page, beam_ports_page_get_ports_view (page), "id-number");
  previous = -1;
  for (guint i = 0; i < g_list_model_get_n_items (shown); i++)
    {
      g_autoptr(BeamPortRow) sorted = g_list_model_get_item (shown, i);
      gint64 number;

      g_object_get (sorted, "id-number", &number, NULL);
      g_assert_cmpint (number, >, previous);
      previous = number;
    }
  beam_ports_page_sort_by (page, beam_ports_page_get_ports_view (page), "memory");

  /* The filter: by owner, then by address. */
  beam_ports_page_set_filter (page, "bs_port_cat");
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, 1);
  g_assert_nonnull (find_port (page, cat));
  beam_ports_page_set_filter (page, "127.0.0.1");
  g_assert_nonnull (find_port (page, listener));
  g_assert_null (find_port (page, cat));
  beam_ports_page_set_filter (page, "");

  /* The details: the cat's, its monitor among them; the client's inet
   * counters and options. */
  g_assert_true (beam_ports_page_select_port (page, cat));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "ports.details", NULL));
  details = beam_ports_page_dup_details_text (page);
  g_assert_nonnull (strstr (details, os_pid));
  g_assert_nonnull (strstr (details, "Monitors (1)"));
  g_assert_nonnull (strstr (details, "Registered name\nbs_cat_port\n"));
  g_assert_nonnull (strstr (details, cat_owner));
  g_assert_null (strstr (details, "recv_oct"));
  g_clear_pointer (&details, g_free);
  g_assert_true (beam_ports_page_select_port (page, client));
  details = beam_ports_page_dup_details_text (page);
  g_assert_nonnull (strstr (details, "recv_oct"));
  g_assert_nonnull (strstr (details, "send_pend"));
  g_assert_nonnull (strstr (details, "sndbuf"));
  g_assert_nonnull (strstr (details, "nodelay\ntrue"));
  g_assert_nonnull (strstr (details, "bs_tcp_client"));
  g_assert_null (strstr (details, "Registered name"));
  beam_test_run_for (500);
  g_assert_true (beam_test_shows_text (GTK_WIDGET (page), "Close Port"));
  beam_test_save_screenshot (GTK_WIDGET (window), "ports.png");

  /* Closing a port: offered, confirmed with Cancel the default, then gone
   * from the node and the list, and said in a toast. */
  g_assert_true (beam_ports_page_select_port (page, victim));
  labels = context_menu_labels (page);
  g_assert_nonnull (strstr (labels, "C_lose Port…"));
  g_assert_nonnull (strstr (labels, "_Open Owner"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "ports.close-port", NULL));
  beam_test_wait_until (dialog_shown, NULL, 5000);
  dialog = find_dialog ();
  g_assert_cmpstr (adw_message_dialog_get_default_response (dialog), ==, "cancel");
  g_assert_cmpstr (adw_message_dialog_get_close_response (dialog), ==, "cancel");
  g_assert_nonnull (strstr (adw_message_dialog_get_heading (dialog), victim));
  adw_message_dialog_response (dialog, "close");
  beam_test_wait_until (toast_said, page, 10000);
  closed = g_strdup_printf ("Closed %s", victim);
  g_assert_cmpstr (beam_ports_page_get_last_toast (page), ==, closed);
  wait.id = victim;
  beam_test_wait_until (port_gone, &wait, 10000);

  /* The sockets of the socket module, with their owner. */
  beam_page_show_detail (BEAM_PAGE (page), "sockets");
  g_assert_cmpstr (beam_ports_page_get_section (page), ==, "sockets");
  g_assert_true (beam_ports_page_get_has_sockets (page));
  wait.id = socket;
  beam_test_wait_until (socket_listed, &wait, 10000);
  {
    GListModel *sockets = beam_ports_page_get_sockets_shown (page);
    g_autoptr(BeamSocketRow) first = g_list_model_get_item (sockets, 0);

    g_assert_cmpuint (g_list_model_get_n_items (sockets), >=, 1);
    g_assert_cmpstr (beam_socket_row_get_id (first), ==, socket);
    g_assert_cmpstr (beam_socket_row_get_owner_label (first), ==, "bs_socket");
    g_assert_cmpstr (beam_socket_row_get_protocol (first), ==, "tcp");
    g_assert_true (g_str_has_prefix (beam_socket_row_get_local (first), "127.0.0.1:"));
  }
  beam_test_run_for (500);
  beam_test_save_screenshot (GTK_WIDGET (window), "ports-sockets.png");

  beam_test_destroy_and_finalize (g_steal_pointer (&window));
}

/* With --read-only, nothing offers to close a port, and the action does
 * nothing. */
static void
test_ports_read_only (void)
{
  g_autoptr(BeamWindow) window = beam_test_window_new (app, TRUE, 1400, 900);
  g_autofree char *cat = ask_fixture ("port_of", "[bs_port_cat]");
  g_autofree char *labels = NULL;
  BeamPortsPage *page = open_ports_page (window);
  PortWait wait = { page, cat, 0 };

  beam_test_wait_until (port_listed, &wait, 20000);
  g_assert_true (beam_ports_page_select_port (page, cat));
  labels = context_menu_labels (page);
  g_assert_nonnull (strstr (labels, "_Open Owner"));
  g_assert_null (strstr (labels, "Close"));
  gtk_widget_activate_action (GTK_WIDGET (page), "ports.close-port", NULL);
  beam_test_run_for (300);
  g_assert_null (find_dialog ());
  /* The details pane shows, without its Close button. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "ports.details", NULL));
  beam_test_run_for (500);
  g_assert_true (beam_test_shows_text (GTK_WIDGET (page), "Open Owner"));
  g_assert_false (beam_test_shows_text (GTK_WIDGET (page), "Close Port"));
  /* Still there a refresh later. */
  wait.refreshes = beam_page_get_refreshes (BEAM_PAGE (page)) + 1;
  beam_test_wait_until (refreshed, &wait, 10000);
  g_assert_nonnull (find_port (page, cat));

  beam_test_destroy_and_finalize (g_steal_pointer (&window));
}

int
main (int    argc,
      char **argv)
{
  int status;

  beam_test_display_init (&argc, &argv, &app, &node);
  g_free (ask_fixture ("start", "[]"));

  g_test_add_func ("/ports-page/read-only", test_ports_read_only);
  g_test_add_func ("/ports-page/ports", test_ports_page);

  status = g_test_run ();
  beam_test_node_free (node);
  g_clear_object (&app);
  return status;
}
