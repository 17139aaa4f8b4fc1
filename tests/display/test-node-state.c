/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the window says about a node and its cookie (issue 13, items 5 and
 * 6), under Xvfb on a real fixture node: cookie problems at launch are shown
 * in the window (with the chmod fix for a file others can read) and the
 * connect screen says where the cookie came from; the node typed stays
 * filled in when connecting fails; name@localhost is shown by the node's
 * own name once connected; a stopped node is "Not answering" in the header
 * within seconds, and connected again after SIGCONT. HOME is a scratch
 * folder, so the user's own ~/.erlang.cookie plays no part. */

#include <glib/gstdio.h>
#include <signal.h>

#include "beam-application.h"
#include "beam-connect-page-private.h"
#include "beam-connection.h"
#include "beam-test-display.h"
#include "beam-test-node.h"
#include "beam-window-private.h"
#include "beam-wire-error.h"

static BeamTestNode *node;
static BeamApplication *app;
static char *home;

static BeamWindow *
new_window (void)
{
  BeamWindow *window = beam_test_window_new (app, FALSE, 1000, 760);

  beam_test_run_for (300);
  return window;
}

static BeamConnectPage *
connect_page_of (BeamWindow *window)
{
  return BEAM_CONNECT_PAGE (beam_window_get_connect_page (window));
}

static gboolean
has_error (gpointer data)
{
  return beam_window_get_error (data) != NULL;
}

static void
write_home_cookie (const char *cookie,
                   int         mode)
{
  g_autofree char *path = g_build_filename (home, ".erlang.cookie", NULL);
  g_autoptr(GError) error = NULL;

  g_chmod (path, 0600);
  g_unlink (path);
  if (cookie != NULL)
    {
      g_assert_true (g_file_set_contents_full (path, cookie, -1, G_FILE_SET_CONTENTS_NONE, mode,
                                               &error));
      g_assert_no_error (error);
    }
}

/* A ~/.erlang.cookie others can read is refused, as erl refuses it: at
 * launch with --node, the window says so with the fix, keeps the node typed,
 * and does not connect; with no cookie file at all, it says that too. */
static void
test_cookie_problems_shown (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *home_cookie = g_build_filename (home, ".erlang.cookie", NULL);
  g_autofree char *fix = g_strdup_printf ("chmod 400 %s", home_cookie);
  BeamWindow *window;

  write_home_cookie (node->cookie, 0644);
  window = new_window ();
  g_assert_false (beam_window_launch (window, node->name, NULL, NULL, NULL, &error));
  g_assert_error (error, BEAM_WIRE_ERROR, BEAM_WIRE_ERROR_COOKIE_UNREADABLE);
  g_clear_error (&error);
  g_assert_nonnull (strstr (beam_window_get_error (window), "No cookie to connect with"));
  g_assert_nonnull (strstr (beam_connect_page_get_cookie_note (connect_page_of (window)), fix));
  g_assert_true (beam_test_shows_text (GTK_WIDGET (window), fix));
  g_assert_cmpstr (beam_connect_page_get_node (connect_page_of (window)), ==, node->name);
  g_assert_null (beam_window_get_node (window));
  beam_test_run_for (300);
  beam_test_save_screenshot (GTK_WIDGET (window), "cookie-readable-by-others.png");
  beam_test_destroy_and_finalize (window);

  /* No file: said under the field even without --node. */
  write_home_cookie (NULL, 0);
  window = new_window ();
  g_assert_false (beam_window_launch (window, NULL, NULL, NULL, NULL, &error));
  g_clear_error (&error);
  g_assert_nonnull (strstr (beam_connect_page_get_cookie_note (connect_page_of (window)),
                            "No cookie given"));
  g_assert_true (beam_test_shows_text (GTK_WIDGET (window), home_cookie));
  beam_test_run_for (300);
  beam_test_save_screenshot (GTK_WIDGET (window), "cookie-missing.png");
  beam_test_destroy_and_finalize (window);
}

/* The connect screen says where the cookie came from. */
static void
test_cookie_source_shown (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *home_cookie = g_build_filename (home, ".erlang.cookie", NULL);
  g_autofree char *from_file = g_strdup_printf ("from --cookie-file %s", node->cookie_file);
  BeamWindow *window;

  write_home_cookie (node->cookie, 0400);
  window = new_window ();
  /* What a window shows before any option: erl's own file. */
  g_assert_nonnull (strstr (beam_connect_page_get_cookie_note (connect_page_of (window)),
                            home_cookie));
  g_assert_true (beam_window_launch (window, NULL, NULL, node->cookie_file, NULL, &error));
  g_assert_no_error (error);
  g_assert_nonnull (strstr (beam_connect_page_get_cookie_note (connect_page_of (window)),
                            from_file));
  g_assert_true (beam_test_shows_text (GTK_WIDGET (window), from_file));
  g_assert_cmpstr (beam_connect_page_get_cookie (connect_page_of (window)), ==, node->cookie);
  g_assert_true (beam_window_launch (window, NULL, "given-here", NULL, NULL, &error));
  g_assert_true (beam_test_shows_text (GTK_WIDGET (window), "from --cookie"));

  g_setenv ("BEAMSCOPE_COOKIE", "from-the-environment", TRUE);
  g_assert_true (beam_window_launch (window, NULL, NULL, NULL, NULL, &error));
  g_unsetenv ("BEAMSCOPE_COOKIE");
  g_assert_true (beam_test_shows_text (GTK_WIDGET (window), "from $BEAMSCOPE_COOKIE"));
  g_assert_cmpstr (beam_connect_page_get_cookie (connect_page_of (window)), ==,
                   "from-the-environment");
  beam_test_run_for (300);
  beam_test_save_screenshot (GTK_WIDGET (window), "cookie-from-environment.png");
  beam_test_destroy_and_finalize (window);
  write_home_cookie (NULL, 0);
}

/* --node stays in its field when the connection fails (here: the cookie
 * given is not the node's), so a user fixes the cookie and connects. */
static void
test_node_kept_after_failure (void)
{
  g_autoptr(GError) error = NULL;
  BeamWindow *window = new_window ();

  g_assert_true (beam_window_launch (window, node->name, "not-the-cookie", NULL, NULL, &error));
  g_assert_no_error (error);
  beam_test_wait_until (has_error, window, 15000 * BEAM_TEST_SLOWDOWN);
  g_assert_nonnull (strstr (beam_window_get_error (window), "cookie is wrong"));
  g_assert_cmpstr (beam_connect_page_get_node (connect_page_of (window)), ==, node->name);
  beam_test_run_for (300);
  g_assert_cmpstr (beam_connect_page_get_node (connect_page_of (window)), ==, node->name);
  beam_test_save_screenshot (GTK_WIDGET (window), "connect-failed-node-kept.png");
  beam_test_destroy_and_finalize (window);
}

static gboolean
is_not_answering (gpointer data)
{
  BeamNode *beam_node = beam_window_get_node (data);

  return beam_node != NULL && !beam_node_get_answering (beam_node) &&
         beam_test_shows_text (data, "Not answering");
}

static gboolean
is_answering_again (gpointer data)
{
  BeamNode *beam_node = beam_window_get_node (data);

  return beam_node_get_answering (beam_node) && !beam_test_shows_text (data, "Not answering");
}

static const char *shown_name;
static const char *typed_name;

/* The System page has its data, headed by the node's own name. */
static gboolean
shows_real_name (gpointer data)
{
  return beam_test_shows_text (data, shown_name) && !beam_test_shows_text (data, typed_name);
}

/* Typed as name@localhost, the node is shown by its own name; stopped, the
 * header says "Not answering" within seconds, not after net_ticktime (60 s
 * here), and the node is back once it runs again. */
static void
test_localhost_and_not_answering (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *typed = g_strdup_printf ("%s@localhost", node->alive);
  BeamWindow *window = new_window ();
  gint64 stopped;

  g_assert_true (beam_window_launch (window, typed, NULL, node->cookie_file, "system", &error));
  g_assert_no_error (error);
  beam_test_wait_until (beam_test_window_is_connected, window, 15000 * BEAM_TEST_SLOWDOWN);
  g_assert_cmpstr (beam_node_get_name (beam_window_get_node (window)), ==, node->name);
  g_assert_nonnull (strstr (gtk_window_get_title (GTK_WINDOW (window)), node->name));
  g_assert_null (strstr (gtk_window_get_title (GTK_WINDOW (window)), "localhost"));
  g_assert_false (beam_test_shows_text (GTK_WIDGET (window), "Not answering"));
  shown_name = node->name;
  typed_name = typed;
  beam_test_wait_until (shows_real_name, window, 10000 * BEAM_TEST_SLOWDOWN);
  beam_test_run_for (1500);

  beam_test_node_kill (node, SIGSTOP);
  stopped = g_get_monotonic_time ();
  beam_test_wait_until (is_not_answering, window, 8000 * BEAM_TEST_SLOWDOWN);
  g_test_message ("header said not answering %.0f ms after SIGSTOP",
                  (g_get_monotonic_time () - stopped) / 1000.0);
  g_assert_cmpint (beam_node_get_state (beam_window_get_node (window)), ==,
                   BEAM_CONNECTION_STATE_CONNECTED);
  beam_test_run_for (300);
  beam_test_save_screenshot (GTK_WIDGET (window), "node-not-answering.png");

  beam_test_node_kill (node, SIGCONT);
  beam_test_wait_until (is_answering_again, window, 8000 * BEAM_TEST_SLOWDOWN);
  g_assert_cmpint (beam_node_get_state (beam_window_get_node (window)), ==,
                   BEAM_CONNECTION_STATE_CONNECTED);
  beam_test_run_for (300);
  beam_test_save_screenshot (GTK_WIDGET (window), "node-answering-again.png");
  beam_test_destroy_and_finalize (window);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *config = NULL;
  int status;

  /* Before anything reads them: GLib keeps the first HOME it sees. */
  home = g_dir_make_tmp ("beamscope-home-XXXXXX", &error);
  g_assert_no_error (error);
  config = g_build_filename (home, "config", NULL);
  g_setenv ("HOME", home, TRUE);
  g_setenv ("XDG_CONFIG_HOME", config, TRUE);
  g_unsetenv ("BEAMSCOPE_COOKIE");

  beam_test_display_init (&argc, &argv, &app, &node);

  g_test_add_func ("/node-state/cookie-problems-shown", test_cookie_problems_shown);
  g_test_add_func ("/node-state/cookie-source-shown", test_cookie_source_shown);
  g_test_add_func ("/node-state/node-kept-after-failure", test_node_kept_after_failure);
  g_test_add_func ("/node-state/localhost-and-not-answering", test_localhost_and_not_answering);

  status = g_test_run ();
  beam_test_node_free (node);
  g_clear_object (&app);
  write_home_cookie (NULL, 0);
  g_rmdir (home);
  g_free (home);
  return status;
}
