/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Nodes menu and the windows (issue 16, item 2), under Xvfb on a fixture
 * node connected to a peer of the same cookie:
 *
 * - the menu lists the peer as a visible node of the cluster, and a hidden
 *   node connected while it is open appears within a refresh or two;
 * - choosing the peer opens a second window connected to it, named in its
 *   title, with the first window's --read-only;
 * - Ctrl+N (app.new-window) opens a window on the connect screen;
 * - a window closed on a page leaves it, and its size, to the next window.
 *
 * The open popover is saved as screenshots/nodes-popover.png. */

#include <string.h>

#include "beam-application.h"
#include "beam-connection.h"
#include "beam-nodes-popover-private.h"
#include "beam-test-display.h"
#include "beam-test-node.h"
#include "beam-window-private.h"

static BeamTestNode *node;
static BeamTestNode *peer;
static BeamTestNode *hidden;
static BeamApplication *app;

/* `other` takes the fixture's cookie, as a cluster's nodes share one, and
 * the fixture connects to it. */
static void
join_fixture (BeamTestNode *other)
{
  g_autofree char *cookie_args = g_strdup_printf ("['%s', '%s']", other->name, node->cookie);
  g_autofree char *node_args = g_strdup_printf ("['%s']", other->name);

  beam_test_node_call_expecting (other, "erlang", "set_cookie", cookie_args, "true");
  g_free (other->cookie);
  other->cookie = g_strdup (node->cookie);
  beam_test_node_call_expecting (node, "net_kernel", "connect_node", node_args, "true");
}

static BeamNodesPopover *
popover_of (BeamWindow *window)
{
  return BEAM_NODES_POPOVER (gtk_menu_button_get_popover (beam_window_get_nodes_button (window)));
}

typedef struct
{
  BeamNodesPopover *popover;
  const char       *section;
  const char       *name;
} Listed;

static gboolean
is_listed (gpointer data)
{
  Listed *listed = data;
  g_auto(GStrv) names = beam_nodes_popover_dup_names (listed->popover, listed->section);

  return g_strv_contains ((const char * const *) names, listed->name);
}

/* The row of the popover that shows `name`. */
static GtkWidget *
find_row (GtkWidget  *widget,
          const char *name)
{
  if (GTK_IS_LIST_BOX_ROW (widget) && beam_test_shows_label (widget, name))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *row = find_row (child, name);

      if (row != NULL)
        return row;
    }
  return NULL;
}

static guint
popover_loads (BeamNodesPopover *popover)
{
  return beam_nodes_popover_get_loads (popover);
}

static gboolean
loaded_twice_more (gpointer data)
{
  gpointer *pair = data;

  return popover_loads (pair[0]) >= GPOINTER_TO_UINT (pair[1]) + 2;
}

static void
close_and_finalize (BeamWindow *window)
{
  gtk_window_close (GTK_WINDOW (window));
  beam_test_wait_until (beam_test_nothing_else_holds, window, 10000);
  g_assert_finalize_object (window);
}

static void
test_menu_opens_peer (gconstpointer data)
{
  gboolean read_only = GPOINTER_TO_INT (data);
  g_autoptr(BeamWindow) window = beam_test_window_new (app, read_only, 1100, 780);
  g_autofree char *title = NULL;
  BeamNodesPopover *popover;
  BeamWindow *opened;
  BeamNode *opened_node;
  GtkWidget *switcher_title;
  GtkWidget *row;
  Listed peer_listed;
  gpointer pair[2];

  beam_test_window_connect (window, node, "system");
  beam_test_wait_until (beam_test_is_drawn, window, 5000);
  popover = popover_of (window);
  g_assert_nonnull (popover);
  gtk_menu_button_popup (beam_window_get_nodes_button (window));

  peer_listed = (Listed) { popover, "visible", peer->name };
  beam_test_wait_until (is_listed, &peer_listed, 10000);
  if (!read_only)
    {
      g_auto(GStrv) hidden_names = beam_nodes_popover_dup_names (popover, "hidden");
      Listed hidden_listed = { popover, "hidden", hidden->name };
      BeamConnection *connection = beam_node_get_connection (beam_window_get_node (window));

      /* Beamscope's own connection is a hidden node of the fixture's. */
      g_assert_false (g_strv_contains ((const char * const *) hidden_names,
                                       beam_connection_get_local_node (connection)));
      /* Live while open: a node that joins shows within a refresh or two. */
      join_fixture (hidden);
      beam_test_wait_until (is_listed, &hidden_listed, 10000);
      pair[0] = popover;
      pair[1] = GUINT_TO_POINTER (popover_loads (popover));
      beam_test_wait_until (loaded_twice_more, pair, 15000);
      beam_test_save_screenshot (GTK_WIDGET (popover), "nodes-popover.png");
    }

  row = find_row (GTK_WIDGET (popover), peer->name);
  g_assert_nonnull (row);
  gtk_widget_activate (row);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (popover)));

  beam_test_wait_until (beam_test_has_other_window, window, 5000);
  opened = g_object_ref (beam_test_other_window (window));
  beam_test_wait_until (beam_test_window_is_connected, opened, 15000);
  opened_node = beam_window_get_node (opened);
  g_assert_cmpstr (beam_node_get_name (opened_node), ==, peer->name);
  g_assert_cmpint (beam_node_get_read_only (opened_node), ==, read_only);
  title = g_strdup_printf ("%s — Beamscope", peer->name);
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (opened)), ==, title);
  /* The header names it too: the switcher's title, shown where the
   * switcher moves to the bottom bar. */
  switcher_title = beam_test_find_descendant (GTK_WIDGET (opened), ADW_TYPE_VIEW_SWITCHER_TITLE);
  g_assert_nonnull (switcher_title);
  g_assert_cmpstr (adw_view_switcher_title_get_title (ADW_VIEW_SWITCHER_TITLE (switcher_title)),
                   ==, peer->name);
  beam_test_save_screenshot (GTK_WIDGET (opened), read_only ? "nodes-opened-read-only.png"
                                                            : "nodes-opened.png");

  beam_test_destroy_and_finalize (opened);
  beam_test_destroy_and_finalize (g_steal_pointer (&window));
}

/* Ctrl+N is app.new-window's, which opens a window on the connect screen. */
static void
test_new_window (void)
{
  g_autoptr(BeamWindow) window = beam_test_window_new (app, FALSE, 1100, 780);
  g_auto(GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app),
                                                                 "app.new-window");
  BeamWindow *opened;

  g_assert_true (g_strv_contains ((const char * const *) accels, "<Control>n"));
  beam_test_window_connect (window, node, NULL);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "app.new-window", NULL));
  beam_test_wait_until (beam_test_has_other_window, window, 5000);
  opened = g_object_ref (beam_test_other_window (window));
  g_assert_null (beam_window_get_node (opened));
  beam_test_wait_until (beam_test_is_drawn, beam_window_get_connect_page (opened), 5000);
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (opened)), ==, "Beamscope");

  beam_test_destroy_and_finalize (opened);
  beam_test_destroy_and_finalize (g_steal_pointer (&window));
}

/* A window closed on Memory at 1000×700: the next one connects to Memory
 * at that size. One closed on the connect screen leaves the page as it was. */
static void
test_remembers_page (void)
{
  BeamWindow *window = beam_test_window_new (app, FALSE, 1000, 700);
  int width = 0, height = 0;

  beam_test_window_connect (window, node, NULL);
  beam_window_show_page (window, "memory");
  beam_test_wait_until (beam_test_is_drawn, beam_window_get_page (window, "memory"), 5000);
  close_and_finalize (window);

  window = g_object_ref_sink (beam_window_new (ADW_APPLICATION (app), FALSE));
  gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
  g_assert_cmpint (width, ==, 1000);
  g_assert_cmpint (height, ==, 700);
  gtk_window_present (GTK_WINDOW (window));
  close_and_finalize (window);  /* on the connect screen */

  window = beam_test_window_new (app, FALSE, 1100, 780);
  beam_test_window_connect (window, node, NULL);
  beam_test_wait_until (beam_test_is_drawn, beam_window_get_page (window, "memory"), 5000);
  g_assert_false (gtk_widget_get_mapped (beam_window_get_page (window, "system")));
  /* Back to the first page for whatever test comes next. */
  beam_window_show_page (window, "system");
  close_and_finalize (window);
}

int
main (int    argc,
      char **argv)
{
  static const char * const hidden_args[] = { "-hidden", NULL };
  g_autoptr(GError) error = NULL;
  int status;

  beam_test_display_init (&argc, &argv, &app, &node);
  peer = beam_test_node_start (NULL, &error);
  g_assert_no_error (error);
  hidden = beam_test_node_start (hidden_args, &error);
  g_assert_no_error (error);
  join_fixture (peer);

  g_test_add_data_func ("/nodes/menu-opens-peer", GINT_TO_POINTER (FALSE), test_menu_opens_peer);
  g_test_add_data_func ("/nodes/menu-opens-peer-read-only", GINT_TO_POINTER (TRUE),
                        test_menu_opens_peer);
  g_test_add_func ("/nodes/new-window", test_new_window);
  g_test_add_func ("/nodes/remembers-page", test_remembers_page);

  status = g_test_run ();
  beam_test_node_free (hidden);
  beam_test_node_free (peer);
  beam_test_node_free (node);
  g_object_unref (app);
  return status;
}
