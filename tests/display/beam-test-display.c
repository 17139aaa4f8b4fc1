/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <string.h>

#include "beam-applications-page-private.h"
#include "beam-cluster-page-private.h"
#include "beam-connection.h"
#include "beam-page.h"
#include "beam-process-window.h"
#include "beam-supervision-canvas.h"
#include "beam-table-window.h"
#include "beam-test-display.h"
#include "beam-trace-window.h"
#include "beam-window-private.h"

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

GdkTexture *
beam_test_render (GtkWidget *widget)
{
  g_autoptr(GskRenderNode) render_node = NULL;
  int scale = gtk_widget_get_scale_factor (widget);
  int width, height;

  /* Until laid out and painted, not for a fixed time: on a busy machine the
   * first frame comes later than any fixed wait. */
  beam_test_wait_until (beam_test_is_drawn, widget, 5000);
  width = gtk_widget_get_width (widget);
  height = gtk_widget_get_height (widget);
  beam_test_wait_until (beam_test_has_picture, widget, 5000);
  render_node = beam_test_picture_of (widget);
  g_assert_nonnull (render_node);
  /* In device pixels, as the window's renderer draws it on a HiDPI screen. */
  if (scale > 1)
    {
      GskRenderNode *logical = g_steal_pointer (&render_node);
      GskTransform *transform = gsk_transform_scale (NULL, scale, scale);

      render_node = gsk_transform_node_new (logical, transform);
      gsk_transform_unref (transform);
      gsk_render_node_unref (logical);
    }
  return gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (widget)),
                                      render_node,
                                      &GRAPHENE_RECT_INIT (0, 0, width * scale, height * scale));
}

void
beam_test_save_screenshot (GtkWidget  *widget,
                           const char *name)
{
  g_autoptr(GdkTexture) texture = NULL;
  const char *dir = g_getenv ("BEAMSCOPE_SCREENSHOTS");
  g_autofree char *path = NULL;
  g_autofree char *folder = NULL;

  g_assert_nonnull (dir);
  texture = beam_test_render (widget);
  path = g_build_filename (dir, name, NULL);
  folder = g_path_get_dirname (path);
  g_mkdir_with_parents (folder, 0755);
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

BeamWindow *
beam_test_other_window (BeamWindow *than)
{
  GListModel *toplevels = gtk_window_get_toplevels ();  /* transfer none */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (BEAM_IS_WINDOW (window) && window != GTK_WINDOW (than) &&
          gtk_widget_get_visible (GTK_WIDGET (window)))
        return BEAM_WINDOW (window);
    }
  return NULL;
}

gboolean
beam_test_has_other_window (gpointer than)
{
  return beam_test_other_window (than) != NULL;
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

/* ---- a tour of every page and window ---------------------------------------- */

static gboolean
page_answered (gpointer page)
{
  return beam_page_get_refreshes (page) > 0 && !beam_page_get_busy (page);
}

/* The Cluster page has sampled its seed twice: its figures and a utilisation. */
static gboolean
cluster_sampled (gpointer page)
{
  return _beam_cluster_page_get_updates (page) >= 2;
}

static gboolean
demo_tree_shown (gpointer page)
{
  const BeamSupervisionTree *tree =
    beam_supervision_canvas_get_tree (beam_applications_page_get_canvas (page));

  return tree != NULL && g_strcmp0 (tree->application, "beamscope_demo") == 0;
}

static gboolean
demo_listed (gpointer page)
{
  return beam_applications_page_select_application (page, "beamscope_demo");
}

static gboolean
trace_window_shown (gpointer data G_GNUC_UNUSED)
{
  return beam_test_find_toplevel (BEAM_TYPE_TRACE_WINDOW) != NULL;
}

static gboolean
trace_running (gpointer window)
{
  BeamTraceSession *session = beam_trace_window_get_session (window);

  return session != NULL && beam_trace_session_get_state (session) == BEAM_TRACE_STATE_RUNNING;
}

static gboolean
trace_ended (gpointer window)
{
  BeamTraceSession *session = beam_trace_window_get_session (window);

  return session != NULL && beam_trace_session_get_state (session) == BEAM_TRACE_STATE_ENDED &&
         beam_trace_view_get_n_held (beam_trace_window_get_view (window)) == 0;
}

typedef struct
{
  BeamTestNode *node;
  guint         calls;
  gboolean      done;
} CacheCalls;

static gpointer
call_cache (gpointer data)
{
  CacheCalls *calls = data;

  for (guint i = 0; i < calls->calls; i++)
    {
      g_autoptr(GError) error = NULL;

      g_free (beam_test_node_erl_call (calls->node, "gen_server", "call",
                                       "[beamscope_cache, get]", &error));
      g_assert_no_error (error);
    }
  g_atomic_int_set (&calls->done, TRUE);
  return NULL;
}

void
beam_test_tour (BeamApplication *app,
                BeamTestNode    *node,
                BeamTestVisit    visit,
                gpointer         user_data)
{
  g_autoptr(GError) error = NULL;
  BeamWindow *window;
  g_autofree char *names = NULL;
  g_auto(GStrv) pages = NULL;
  g_autoptr(GSettings) settings = g_settings_new ("io.github.beamscope.Beamscope");

  /* What the pages show: a supervision tree of every strategy, tables to
   * browse. Both calls are idempotent: a second tour finds them made. */
  g_free (beam_test_node_erl_call (node, "application", "ensure_all_started",
                                   "[beamscope_demo]", &error));
  g_assert_no_error (error);
  g_free (beam_test_node_erl_call (node, "beamscope_fixture", "make_browse_tables", "[]",
                                   &error));
  g_assert_no_error (error);

  /* The Cluster page joins only this test's node: other tests' nodes on
   * this host have other cookies, and each refused join is a line in that
   * node's log, which their tests read. */
  g_settings_set_boolean (settings, "cluster-join-epmd-others", FALSE);
  window = beam_test_window_new (app, FALSE, 1180, 900);
  beam_test_window_connect (window, node, "system");
  names = beam_window_dup_page_names (window);
  pages = g_strsplit (names, ", ", -1);
  for (guint i = 0; pages[i] != NULL; i++)
    {
      GtkWidget *page = beam_window_get_page (window, pages[i]);
      g_autofree char *shot = g_strdup_printf ("%02u-%s", i + 1, pages[i]);

      beam_window_show_page (window, pages[i]);
      if (BEAM_PAGE_GET_CLASS (page)->refresh != NULL)
        beam_test_wait_until (page_answered, page, 20000);
      else
        /* The Load page draws the node's history: a few seconds of it. */
        beam_test_run_for (4000);
      if (BEAM_IS_CLUSTER_PAGE (page))
        beam_test_wait_until (cluster_sampled, page, 20000);
      if (BEAM_IS_APPLICATIONS_PAGE (page))
        {
          beam_test_wait_until (demo_listed, page, 20000);
          beam_test_wait_until (demo_tree_shown, page, 20000);
          /* Selected, as a user looking at it would have it. */
          beam_supervision_canvas_set_search (beam_applications_page_get_canvas (
                                                BEAM_APPLICATIONS_PAGE (page)), "flaky");
        }
      beam_test_run_for (500);
      visit (GTK_WIDGET (window), page, shot, user_data);
    }

  {
    BeamProcessWindow *process = beam_process_window_new (beam_window_get_node (window),
                                                          "beamscope_cache");

    gtk_window_set_application (GTK_WINDOW (process), GTK_APPLICATION (app));
    gtk_window_set_default_size (GTK_WINDOW (process), 900, 900);
    gtk_window_present (GTK_WINDOW (process));
    beam_test_wait_until (beam_test_process_window_loaded, process, 15000);
    /* Its trends: three samples, one every 2 s. */
    beam_test_run_for (5000);
    visit (GTK_WIDGET (process), GTK_WIDGET (process), "process-window", user_data);
    beam_test_destroy_and_finalize (g_object_ref (process));
  }
  {
    BeamTableWindow *table = beam_table_window_new (beam_window_get_node (window), "bs_records");

    gtk_window_set_application (GTK_WINDOW (table), GTK_APPLICATION (app));
    gtk_window_set_default_size (GTK_WINDOW (table), 1000, 640);
    gtk_window_present (GTK_WINDOW (table));
    beam_test_wait_until (beam_test_table_window_opened, table, 10000);
    beam_test_run_for (500);
    visit (GTK_WIDGET (table), GTK_WIDGET (table), "table-window", user_data);
    beam_test_destroy_and_finalize (g_object_ref (table));
  }
  {
    BeamTraceWindow *trace;
    CacheCalls calls = { node, 3, FALSE };
    GThread *thread;

    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.trace", NULL));
    beam_test_wait_until (trace_window_shown, NULL, 5000);
    trace = g_object_ref (BEAM_TRACE_WINDOW (beam_test_find_toplevel (BEAM_TYPE_TRACE_WINDOW)));
    gtk_window_set_default_size (GTK_WINDOW (trace), 1100, 700);
    beam_trace_window_set_form (trace, "beamscope_fixture_cache:handle_call/3", NULL, TRUE, 6);
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (trace), "trace.start", NULL));
    beam_test_wait_until (trace_running, trace, 15000 * BEAM_TEST_SLOWDOWN);
    thread = g_thread_new ("erl_call", call_cache, &calls);
    beam_test_wait_until (beam_test_flag_is_set, &calls.done, 30000);
    g_thread_join (thread);
    beam_test_wait_until (trace_ended, trace, 15000);
    beam_test_run_for (500);
    visit (GTK_WIDGET (trace), GTK_WIDGET (trace), "trace-window", user_data);
    beam_test_destroy_and_finalize (trace);
  }
  beam_test_destroy_and_finalize (window);
  g_settings_reset (settings, "cluster-join-epmd-others");
}
