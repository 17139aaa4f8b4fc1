/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* The first screen: the nodes EPMD knows on a host, recent nodes, a cookie.
 * It only asks; the window connects, and reports back with set_error(). */

#define BEAM_TYPE_CONNECT_PAGE (beam_connect_page_get_type ())

G_DECLARE_FINAL_TYPE (BeamConnectPage, beam_connect_page, BEAM, CONNECT_PAGE, AdwBin)

GtkWidget *beam_connect_page_new          (void);
void       beam_connect_page_set_busy     (BeamConnectPage *self,
                                           gboolean         busy);
void       beam_connect_page_set_error    (BeamConnectPage *self,
                                           const char      *message);
void       beam_connect_page_set_node     (BeamConnectPage *self,
                                           const char      *node);
void       beam_connect_page_scan         (BeamConnectPage *self);

G_END_DECLS
