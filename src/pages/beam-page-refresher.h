/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "beam-node.h"

G_BEGIN_DECLS

/* What every page that polls the node does the same way: it asks only
 * while it is on screen and the node is connected; it asks again
 * `interval_s` after each answer unless paused; one question at a time; and
 * while the node is away it keeps its last data, dimmed. The page says how
 * to ask (`fetch`) and reports each answer with beam_page_refresher_done(). */

typedef struct _BeamPageRefresher BeamPageRefresher;

typedef void (*BeamPageFetchFunc) (GtkWidget      *page,
                                   BeamConnection *connection);

BeamPageRefresher *beam_page_refresher_new          (GtkWidget         *page,
                                                     GtkWidget         *dimmed,
                                                     guint              interval_s,
                                                     BeamPageFetchFunc  fetch);
void               beam_page_refresher_free         (BeamPageRefresher *self);
void               beam_page_refresher_set_node     (BeamPageRefresher *self,
                                                     BeamNode          *node);
/* Asks now, unless a question is out or the page cannot ask. */
void               beam_page_refresher_refresh      (BeamPageRefresher *self);
/* The page's question was answered (or failed): the next one is scheduled. */
void               beam_page_refresher_done         (BeamPageRefresher *self);
void               beam_page_refresher_set_paused   (BeamPageRefresher *self,
                                                     gboolean           paused);
void               beam_page_refresher_set_interval (BeamPageRefresher *self,
                                                     guint              interval_s);
gboolean           beam_page_refresher_get_fetching (BeamPageRefresher *self);

G_END_DECLS
