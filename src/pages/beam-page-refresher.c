/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Not a GObject: it lives inside its page, from the page's init to its
 * dispose, and follows the page's map and unmap signals. */

#define G_LOG_DOMAIN "beamscope-pages"

#include "beam-page-refresher.h"

struct _BeamPageRefresher
{
  GtkWidget         *page;       /* not owned: the refresher lives inside it */
  GtkWidget         *dimmed;
  BeamPageFetchFunc  fetch;
  BeamNode          *node;
  guint              interval_s;
  guint              timeout_id;
  gboolean           fetching;
  gboolean           paused;
};

static void
schedule (BeamPageRefresher *self);

static gboolean
on_timeout (gpointer user_data)
{
  BeamPageRefresher *self = user_data;

  self->timeout_id = 0;
  beam_page_refresher_refresh (self);
  return G_SOURCE_REMOVE;
}

static void
schedule (BeamPageRefresher *self)
{
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  if (gtk_widget_get_mapped (self->page) && !self->paused && self->interval_s > 0)
    self->timeout_id = g_timeout_add_seconds (self->interval_s, on_timeout, self);
}

static void
on_state_changed (BeamPageRefresher *self)
{
  gboolean stale = beam_node_get_stale (self->node);

  gtk_widget_set_opacity (self->dimmed, stale ? 0.45 : 1.0);
  if (!stale)
    beam_page_refresher_refresh (self);
}

static void
on_map (BeamPageRefresher *self)
{
  beam_page_refresher_refresh (self);
}

static void
on_unmap (BeamPageRefresher *self)
{
  g_clear_handle_id (&self->timeout_id, g_source_remove);
}

BeamPageRefresher *
beam_page_refresher_new (GtkWidget         *page,
                         GtkWidget         *dimmed,
                         guint              interval_s,
                         BeamPageFetchFunc  fetch)
{
  BeamPageRefresher *self = g_new0 (BeamPageRefresher, 1);

  self->page = page;
  self->dimmed = dimmed;
  self->interval_s = interval_s;
  self->fetch = fetch;
  g_signal_connect_swapped (page, "map", G_CALLBACK (on_map), self);
  g_signal_connect_swapped (page, "unmap", G_CALLBACK (on_unmap), self);
  return self;
}

void
beam_page_refresher_free (BeamPageRefresher *self)
{
  if (self == NULL)
    return;
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  g_signal_handlers_disconnect_by_data (self->page, self);
  if (self->node != NULL)
    g_signal_handlers_disconnect_by_data (self->node, self);
  g_clear_object (&self->node);
  g_free (self);
}

void
beam_page_refresher_set_node (BeamPageRefresher *self,
                              BeamNode          *node)
{
  if (self->node != NULL)
    g_signal_handlers_disconnect_by_data (self->node, self);
  g_set_object (&self->node, node);
  /* A question out to the previous node is the page's to cancel. */
  self->fetching = FALSE;
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  if (node != NULL)
    {
      g_signal_connect_swapped (node, "notify::state", G_CALLBACK (on_state_changed), self);
      on_state_changed (self);
    }
}

void
beam_page_refresher_refresh (BeamPageRefresher *self)
{
  BeamConnection *connection;

  g_clear_handle_id (&self->timeout_id, g_source_remove);
  if (self->node == NULL || self->fetching || !gtk_widget_get_mapped (self->page))
    return;
  connection = beam_node_get_connection (self->node);
  if (beam_connection_get_state (connection) != BEAM_CONNECTION_STATE_CONNECTED)
    return;  /* asked again when the node is back */

  self->fetching = TRUE;
  self->fetch (self->page, connection);
}

void
beam_page_refresher_done (BeamPageRefresher *self)
{
  self->fetching = FALSE;
  schedule (self);
}

void
beam_page_refresher_set_paused (BeamPageRefresher *self,
                                gboolean           paused)
{
  self->paused = paused;
  if (paused)
    g_clear_handle_id (&self->timeout_id, g_source_remove);
  else
    beam_page_refresher_refresh (self);
}

void
beam_page_refresher_set_interval (BeamPageRefresher *self,
                                  guint              interval_s)
{
  self->interval_s = interval_s;
  if (self->timeout_id != 0)
    schedule (self);
}

gboolean
beam_page_refresher_get_fetching (BeamPageRefresher *self)
{
  return self->fetching;
}
