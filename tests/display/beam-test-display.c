/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <string.h>

#include "beam-connection.h"
#include "beam-process-window.h"
#include "beam-table-window.h"
#include "beam-test-display.h"

void
beam_test_display_init (int               *argc,
                        char            ***argv,
                        BeamApplication  **app,
                        BeamTestNode     **node)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (beam_connection_init_process (NULL));
  gtk_test_init (argc, argv, NULL);
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  if (app != NULL)
    {
      *app = beam_application_new ();
      g_assert_true (g_application_register (G_APPLICATION (*app), NULL, &error));
      g_assert_no_error (error);
    }
  else
    adw_init ();

  if (node != NULL)
    {
      *node = beam_test_node_start (NULL, &error);
      g_assert_no_error (error);
    }
}

BeamWindow *
beam_test_window_new (BeamApplication *app,
                      gboolean         read_only,
                      int              width,
                      int              height)
{
  BeamWindow *window = g_object_ref_sink (beam_window_new (ADW_APPLICATION (app), read_only));

  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  gtk_window_present (GTK_WINDOW (window));
  return window;
}

void
beam_test_window_connect (BeamWindow   *window,
                          BeamTestNode *node,
                          const char   *page)
{
  beam_window_connect (window, node->name, node->cookie, page);
  beam_test_wait_until (beam_test_window_is_connected, window, 15000);
}

gboolean
beam_test_window_is_connected (gpointer window)
{
  BeamNode *beam_node = beam_window_get_node (window);

  return beam_node != NULL && beam_node_get_state (beam_node) == BEAM_CONNECTION_STATE_CONNECTED;
}

gboolean
beam_test_process_window_loaded (gpointer window)
{
  return beam_process_window_get_loads (window) > 0;
}

gboolean
beam_test_table_window_opened (gpointer window)
{
  return g_strcmp0 (beam_table_window_get_state (window), "opening") != 0;
}

gboolean
beam_test_is_drawn (gpointer widget)
{
  return gtk_widget_get_mapped (widget) && gtk_widget_get_width (widget) > 0;
}

GskRenderNode *
beam_test_picture_of (GtkWidget *widget)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  GtkSnapshot *snapshot = gtk_snapshot_new ();

  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot),
                          gtk_widget_get_width (widget), gtk_widget_get_height (widget));
  return gtk_snapshot_free_to_node (snapshot);
}

gboolean
beam_test_has_picture (gpointer widget)
{
  g_autoptr(GskRenderNode) render_node = beam_test_picture_of (widget);

  return render_node != NULL;
}

void
beam_test_save_screenshot (GtkWidget  *widget,
                           const char *name)
{
  g_autoptr(GskRenderNode) render_node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  const char *dir = g_getenv ("BEAMSCOPE_SCREENSHOTS");
  g_autofree char *path = NULL;
  int width, height;

  g_assert_nonnull (dir);
  /* Until laid out and painted, not for a fixed time: on a busy machine the
   * first frame comes later than any fixed wait. */
  beam_test_wait_until (beam_test_is_drawn, widget, 5000);
  width = gtk_widget_get_width (widget);
  height = gtk_widget_get_height (widget);
  beam_test_wait_until (beam_test_has_picture, widget, 5000);
  render_node = beam_test_picture_of (widget);
  g_assert_nonnull (render_node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (widget)),
                                         render_node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_mkdir_with_parents (dir, 0755);
  path = g_build_filename (dir, name, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s", path);
}

gboolean
beam_test_nothing_else_holds (gpointer object)
{
  return g_atomic_int_get (&((GObject *) object)->ref_count) == 1;
}

void
beam_test_destroy_and_finalize (gpointer window)
{
  gtk_window_destroy (GTK_WINDOW (window));
  beam_test_wait_until (beam_test_nothing_else_holds, window, 10000);
  g_assert_finalize_object (window);
}

gboolean
beam_test_shows_text (GtkWidget  *widget,
                      const char *needle)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget) &&
      strstr (gtk_label_get_text (GTK_LABEL (widget)), needle) != NULL)
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (beam_test_shows_text (child, needle))
      return TRUE;
  return FALSE;
}

gboolean
beam_test_shows_label (GtkWidget  *widget,
                       const char *text)
{
  if (GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0 &&
      gtk_widget_get_mapped (widget))
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (beam_test_shows_label (child, text))
      return TRUE;
  return FALSE;
}

typedef struct
{
  GtkWidget  *widget;
  const char *text;
} LabelWanted;

static gboolean
label_shown (gpointer data)
{
  LabelWanted *wanted = data;

  return beam_test_shows_label (wanted->widget, wanted->text);
}

void
beam_test_wait_for_label (GtkWidget  *widget,
                          const char *text,
                          guint       timeout_ms)
{
  LabelWanted wanted = { widget, text };

  beam_test_wait_until (label_shown, &wanted, timeout_ms);
}

GtkWidget *
beam_test_find_descendant (GtkWidget *widget,
                           GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = beam_test_find_descendant (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

GtkWindow *
beam_test_find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();  /* transfer none */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return window;
    }
  return NULL;
}

/* The header's view switcher that is on screen (mapped), or NULL when the
 * header shows the node's name instead (and the bar at the bottom switches). */
AdwViewSwitcher *
beam_test_find_header_switcher (GtkWidget *widget)
{
  if (!gtk_widget_get_mapped (widget))
    return NULL;
  if (ADW_IS_VIEW_SWITCHER (widget) && gtk_widget_get_ancestor (widget,
                                                                 ADW_TYPE_VIEW_SWITCHER_TITLE))
    return ADW_VIEW_SWITCHER (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      AdwViewSwitcher *found = beam_test_find_header_switcher (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}
