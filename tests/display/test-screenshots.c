/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `beamscope --screenshots DIR` (issue 13, item 18: the demo on a machine
 * without a display): the real application on a real node saves a picture
 * of every page, prints their paths in the view stack's order, and ends
 * with status 0; without a node that answers it ends with an error.
 *
 * Then every page and the process, table and Trace windows in dark mode
 * (issue 16, item 7), saved in screenshots/dark/, with the text the charts
 * and the supervision tree draw themselves checked to stand out from their
 * dark background. meson runs this test a second time with GDK_SCALE=2
 * (screenshots-scale2): then the windows are also taken light, all of them
 * under screenshots/scale2/, in device pixels. */

#include <glib/gstdio.h>

#include "beam-applications-page-private.h"
#include "beam-chart-private.h"
#include "beam-connection.h"
#include "beam-supervision-canvas.h"
#include "beam-test-display.h"
#include "beam-test-node.h"
#include "beam-window.h"

static BeamTestNode *node;
static BeamApplication *app;

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

/* Where the chart draws its axis labels: left of its plot. */
#define CHART_LABELS_WIDTH 84

static double
luminance (const guchar *bgra)
{
  /* Premultiplied over an opaque window: as good as straight. */
  return (0.0722 * bgra[0] + 0.7152 * bgra[1] + 0.2126 * bgra[2]) / 255.0;
}

/* Asserts that within `width` logical pixels from the left of `widget` (all
 * of it if 0), as `toplevel` shows it, the background is dark and some of
 * what is drawn on it (text) is far lighter: a hard-coded dark colour would
 * be as dark as the background. */
static void
assert_light_on_dark (GtkWidget *toplevel,
                      GtkWidget *widget,
                      int        width,
                      const char *what)
{
  g_autoptr(GdkTexture) texture = beam_test_render (toplevel);
  int scale = gtk_widget_get_scale_factor (toplevel);
  int texture_width = gdk_texture_get_width (texture);
  int texture_height = gdk_texture_get_height (texture);
  g_autofree guchar *pixels = g_malloc ((gsize) texture_width * texture_height * 4);
  guint histogram[33] = { 0 };
  guint background = 0, light = 0;
  graphene_rect_t bounds;
  int x0, y0, x1, y1;

  g_assert_true (gtk_widget_compute_bounds (widget, toplevel, &bounds));
  gdk_texture_download (texture, pixels, (gsize) texture_width * 4);
  x0 = CLAMP ((int) bounds.origin.x * scale, 0, texture_width);
  y0 = CLAMP ((int) bounds.origin.y * scale, 0, texture_height);
  x1 = CLAMP ((int) (bounds.origin.x + (width > 0 ? width : bounds.size.width)) * scale,
              x0, texture_width);
  y1 = CLAMP ((int) (bounds.origin.y + bounds.size.height) * scale, y0, texture_height);
  g_assert_cmpint (x1 - x0, >, 10);
  g_assert_cmpint (y1 - y0, >, 10);

  /* The background: the commonest luminance, in 32 steps. */
  for (int y = y0; y < y1; y++)
    for (int x = x0; x < x1; x++)
      histogram[(int) (luminance (pixels + ((gsize) y * texture_width + x) * 4) * 32)]++;
  for (guint i = 1; i < G_N_ELEMENTS (histogram); i++)
    if (histogram[i] > histogram[background])
      background = i;
  for (int y = y0; y < y1; y++)
    for (int x = x0; x < x1; x++)
      if (luminance (pixels + ((gsize) y * texture_width + x) * 4) > background / 32.0 + 0.35)
        light++;
  g_test_message ("%s: background %.2f, %u light pixels", what, background / 32.0, light);
  g_assert_cmpfloat (background / 32.0, <, 0.3);
  g_assert_cmpuint (light, >=, 20);
}

typedef struct
{
  const char *folder;
  gboolean    dark;
  guint       visits;
} Shots;

static void
save_visit (GtkWidget  *toplevel,
            GtkWidget  *shown,
            const char *name,
            gpointer    user_data)
{
  Shots *shots = user_data;
  g_autofree char *file = g_strdup_printf ("%s/%s.png", shots->folder, name);

  if (g_strcmp0 (g_getenv ("GDK_SCALE"), "2") == 0)
    g_assert_cmpint (gtk_widget_get_scale_factor (toplevel), ==, 2);
  beam_test_save_screenshot (toplevel, file);
  shots->visits++;
  if (g_str_has_suffix (name, "-load"))
    {
      GtkWidget *chart = beam_test_find_descendant (shown, BEAM_TYPE_CHART);

      g_assert_nonnull (chart);
      if (shots->dark)
        assert_light_on_dark (toplevel, chart, CHART_LABELS_WIDTH, "the chart's labels");
      /* The readout a pointer shows, in the style's colours. */
      _beam_chart_set_hover (BEAM_CHART (chart), gtk_widget_get_width (chart) * 0.8);
      beam_test_run_for (300);
      g_free (file);
      file = g_strdup_printf ("%s/%s-hover.png", shots->folder, name);
      beam_test_save_screenshot (toplevel, file);
      _beam_chart_set_hover (BEAM_CHART (chart), -1);
    }
  if (shots->dark && BEAM_IS_APPLICATIONS_PAGE (shown))
    assert_light_on_dark (toplevel,
                          GTK_WIDGET (beam_applications_page_get_canvas (
                                        BEAM_APPLICATIONS_PAGE (shown))),
                          0, "the supervision tree");
}

/* Every page and window in dark mode (and at scale 2, light too): saved,
 * and what the app draws itself legible on the dark background. */
static void
test_every_window_themed (void)
{
  AdwStyleManager *style = adw_style_manager_get_default ();
  gboolean hidpi = g_strcmp0 (g_getenv ("GDK_SCALE"), "2") == 0;
  Shots light = { "scale2", FALSE, 0 };
  Shots dark = { hidpi ? "scale2/dark" : "dark", TRUE, 0 };

  if (hidpi)
    {
      adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_LIGHT);
      beam_test_tour (app, node, save_visit, &light);
      g_assert_cmpuint (light.visits, >=, 11);
    }
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  g_assert_true (adw_style_manager_get_dark (style));
  beam_test_tour (app, node, save_visit, &dark);
  /* Eight pages and three windows at least. */
  g_assert_cmpuint (dark.visits, >=, 11);
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
}

int
main (int    argc,
      char **argv)
{
  int status;

  beam_test_display_init (&argc, &argv, &app, &node);

  g_test_add_func ("/screenshots/every-page-saved", test_every_page_saved);
  g_test_add_func ("/screenshots/no-connection", test_no_connection);
  g_test_add_func ("/screenshots/every-window-themed", test_every_window_themed);

  status = g_test_run ();
  beam_test_node_free (node);
  g_object_unref (app);
  return status;
}
