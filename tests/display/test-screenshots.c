/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `beamscope --screenshots DIR` (issue 13, item 18: the demo on a machine
 * without a display): the real application on a real node saves a picture
 * of every page, prints their paths in the view stack's order, and ends
 * with status 0; without a node that answers it ends with an error. */

#include <glib/gstdio.h>

#include "beam-connection.h"
#include "beam-test-display.h"
#include "beam-test-node.h"
#include "beam-window.h"

static BeamTestNode *node;

static char *
run_app (const char * const *argv,
         char              **err,
         int                *status)
{
  g_autoptr(GError) error = NULL;
  char *out = NULL;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               &out, err, status, &error));
  g_assert_no_error (error);
  return out;
}

static void
test_every_page_saved (void)
{
  g_autofree char *dir = g_dir_make_tmp ("beamscope-shots-XXXXXX", NULL);
  const char *argv[] = { g_getenv ("BEAMSCOPE_APP"), "--node", node->name, "--cookie-file",
                         node->cookie_file, "--screenshots", dir, NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *names = NULL;
  g_auto(GStrv) pages = NULL;
  g_auto(GStrv) paths = NULL;
  BeamWindow *window;
  int status = 0;

  window = g_object_ref_sink (beam_window_new (NULL, FALSE));
  names = beam_window_dup_page_names (window);
  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (window);
  pages = g_strsplit (names, ", ", -1);

  out = run_app (argv, &err, &status);
  g_test_message ("stdout:\n%s\nstderr:\n%s", out, err);
  g_assert_true (g_spawn_check_wait_status (status, NULL));

  paths = g_strsplit (g_strchomp (out), "\n", -1);
  g_assert_cmpuint (g_strv_length (paths), ==, g_strv_length (pages));
  for (guint i = 0; pages[i] != NULL; i++)
    {
      g_autofree char *file = g_strdup_printf ("%02u-%s.png", i + 1, pages[i]);
      g_autofree char *expected = g_build_filename (dir, file, NULL);
      g_autoptr(GdkTexture) texture = NULL;
      g_autoptr(GError) error = NULL;

      g_assert_cmpstr (paths[i], ==, expected);
      texture = gdk_texture_new_from_filename (paths[i], &error);
      g_assert_no_error (error);
      /* The window's size, not an empty picture. */
      g_assert_cmpint (gdk_texture_get_width (texture), >=, 800);
      g_assert_cmpint (gdk_texture_get_height (texture), >=, 600);
      g_remove (paths[i]);
    }
  g_rmdir (dir);
}

/* A wrong cookie: no pictures, an error, a status that says so. */
static void
test_no_connection (void)
{
  g_autofree char *dir = g_dir_make_tmp ("beamscope-shots-XXXXXX", NULL);
  const char *argv[] = { g_getenv ("BEAMSCOPE_APP"), "--node", node->name, "--cookie",
                         "a-wrong-cookie", "--screenshots", dir, NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = 0;

  out = run_app (argv, &err, &status);
  g_test_message ("stderr:\n%s", err);
  g_assert_false (g_spawn_check_wait_status (status, NULL));
  g_assert_cmpstr (out, ==, "");
  g_assert_nonnull (strstr (err, "Not connected"));
  g_rmdir (dir);
}

int
main (int    argc,
      char **argv)
{
  int status;

  beam_test_display_init (&argc, &argv, NULL, &node);

  g_test_add_func ("/screenshots/every-page-saved", test_every_page_saved);
  g_test_add_func ("/screenshots/no-connection", test_no_connection);

  status = g_test_run ();
  beam_test_node_free (node);
  return status;
}
