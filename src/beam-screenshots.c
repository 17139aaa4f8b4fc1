/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `beamscope --screenshots DIR`: what Beamscope looks like on a machine with
 * no display (tools/run-demo.sh runs it under Xvfb). Once the window is
 * connected it shows each page of the view stack in turn, waits until the
 * page has the node's answer and a moment more to lay it out and draw it,
 * and saves it. Pages are taken by name from the window, so a new page is
 * in the set without a line here. */

#define G_LOG_DOMAIN "beamscope-screenshots"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>

#include "beam-page.h"
#include "beam-screenshots.h"
#include "beam-window-private.h"

#define TICK_MS             250
#define CONNECT_TIMEOUT_US  (30 * G_USEC_PER_SEC)
/* A page still without data after this is saved as it is, said on stderr. */
#define PAGE_TIMEOUT_US     (20 * G_USEC_PER_SEC)
/* After its answer: the page lays out, fills its lists, draws. */
#define SETTLE_US           (2 * G_USEC_PER_SEC)
/* A page that does not poll (the Load page is a view of the node's load
 * history): long enough for its charts to show a few samples. */
#define UNPOLLED_US         (6 * G_USEC_PER_SEC)

typedef struct
{
  BeamWindow *window;
  char       *dir;
  GStrv       pages;       /* in the view stack's order, which names the files */
  GArray     *order;       /* of indexes into pages: the order they are taken in */
  guint       next;        /* into order: the page shown now, or the one to show next */
  gboolean    shown;
  gboolean    warned;      /* that the page had no answer */
  gint64      since;       /* when the current wait began, monotonic */
  GPtrArray  *saved;       /* paths */
} Shooter;

static void
shooter_free (gpointer data)
{
  Shooter *shooter = data;

  g_clear_object (&shooter->window);
  g_free (shooter->dir);
  g_strfreev (shooter->pages);
  g_array_unref (shooter->order);
  g_ptr_array_unref (shooter->saved);
  g_free (shooter);
}

static gboolean
is_connected (BeamWindow *window)
{
  BeamNode *node = beam_window_get_node (window);

  return node != NULL && beam_node_get_state (node) == BEAM_CONNECTION_STATE_CONNECTED;
}

static gboolean
polls (GtkWidget *page)
{
  return BEAM_IS_PAGE (page) && BEAM_PAGE_GET_CLASS (page)->refresh != NULL;
}

/* Pages that poll first; then those that draw what the node's history
 * holds (the Load page's charts), which meanwhile gathered more of it. */
static GArray *
take_order (BeamWindow *window,
            GStrv       pages)
{
  GArray *order = g_array_new (FALSE, FALSE, sizeof (guint));

  for (guint pass = 0; pass < 2; pass++)
    for (guint i = 0; pages[i] != NULL; i++)
      if (polls (beam_window_get_page (window, pages[i])) == (pass == 0))
        g_array_append_val (order, i);
  return order;
}

/* Whether `page` has what the node answered, laid out a while ago. */
static gboolean
page_ready (GtkWidget *page,
            gint64     shown_for)
{
  if (!polls (page))
    return shown_for >= UNPOLLED_US;
  return beam_page_get_refreshes (BEAM_PAGE (page)) > 0 &&
         !beam_page_get_busy (BEAM_PAGE (page)) && shown_for >= SETTLE_US;
}

/* The widget as it is drawn now, to a PNG file; FALSE if it has no picture yet. */
static gboolean
save_png (GtkWidget  *widget,
          const char *path,
          GError    **error)
{
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  GtkSnapshot *snapshot = gtk_snapshot_new ();

  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  if (node == NULL || width <= 0 || height <= 0)
    return FALSE;
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (widget)),
                                         node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  if (!gdk_texture_save_to_png (texture, path))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Could not write %s"), path);
      return FALSE;
    }
  return TRUE;
}

static int
compare_paths (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* One step of the walk through the pages; the task ends when all are saved. */
static gboolean
tick (gpointer user_data)
{
  GTask *task = user_data;
  Shooter *shooter = g_task_get_task_data (task);
  gint64 now = g_get_monotonic_time ();
  const char *name;
  guint index;
  GtkWidget *page;
  g_autofree char *file = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  if (g_task_return_error_if_cancelled (task))
    return G_SOURCE_REMOVE;

  if (!is_connected (shooter->window))
    {
      const char *why = beam_window_get_error (shooter->window);

      if (why == NULL && now - shooter->since < CONNECT_TIMEOUT_US)
        return G_SOURCE_CONTINUE;
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED,
                               _("Not connected to the node: %s"),
                               why != NULL ? why : _("no answer"));
      return G_SOURCE_REMOVE;
    }

  index = g_array_index (shooter->order, guint, shooter->next);
  name = shooter->pages[index];
  page = beam_window_get_page (shooter->window, name);
  if (!shooter->shown)
    {
      beam_window_show_page (shooter->window, name);
      shooter->shown = TRUE;
      shooter->since = now;
      return G_SOURCE_CONTINUE;
    }
  if (!page_ready (page, now - shooter->since) && now - shooter->since < PAGE_TIMEOUT_US)
    return G_SOURCE_CONTINUE;
  if (!page_ready (page, now - shooter->since) && !shooter->warned)
    {
      /* TRANSLATORS: %s is a page's name, as --page takes it */
      g_autofree char *message = g_strdup_printf (_("the %s page had no answer from the node "
                                                    "yet: saved as it is"), name);
      g_printerr ("beamscope: %s\n", message);
      shooter->warned = TRUE;
    }

  file = g_strdup_printf ("%02u-%s.png", index + 1, name);
  path = g_build_filename (shooter->dir, file, NULL);
  if (!save_png (GTK_WIDGET (shooter->window), path, &error))
    {
      if (error == NULL && now - shooter->since < PAGE_TIMEOUT_US + SETTLE_US)
        return G_SOURCE_CONTINUE;  /* not drawn yet */
      if (error == NULL)
        g_set_error (&error, G_IO_ERROR, G_IO_ERROR_FAILED,
                     _("The %s page was never drawn"), name);
      g_task_return_error (task, g_steal_pointer (&error));
      return G_SOURCE_REMOVE;
    }
  g_ptr_array_add (shooter->saved, g_steal_pointer (&path));

  shooter->next++;
  shooter->shown = FALSE;
  shooter->warned = FALSE;
  if (shooter->next < shooter->order->len)
    return G_SOURCE_CONTINUE;

  g_ptr_array_sort (shooter->saved, compare_paths);
  g_ptr_array_add (shooter->saved, NULL);
  g_task_return_pointer (task, g_ptr_array_steal (shooter->saved, NULL),
                         (GDestroyNotify) g_strfreev);
  return G_SOURCE_REMOVE;
}

void
beam_screenshots_take_async (BeamWindow          *window,
                             const char          *dir,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *names = NULL;
  g_autoptr(GError) error = NULL;
  Shooter *shooter;

  g_return_if_fail (BEAM_IS_WINDOW (window));
  g_return_if_fail (dir != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, beam_screenshots_take_async);

  if (g_mkdir_with_parents (dir, 0755) != 0)
    {
      int saved_errno = errno;

      g_task_return_new_error (task, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                               _("Could not make %s: %s"), dir, g_strerror (saved_errno));
      return;
    }

  shooter = g_new0 (Shooter, 1);
  shooter->window = g_object_ref (window);
  shooter->dir = g_strdup (dir);
  names = beam_window_dup_page_names (window);
  shooter->pages = g_strsplit (names, ", ", -1);
  shooter->order = take_order (window, shooter->pages);
  shooter->since = g_get_monotonic_time ();
  shooter->saved = g_ptr_array_new_with_free_func (g_free);
  g_task_set_task_data (task, shooter, shooter_free);

  g_timeout_add_full (G_PRIORITY_DEFAULT, TICK_MS, tick, g_object_ref (task), g_object_unref);
}

GStrv
beam_screenshots_take_finish (GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
