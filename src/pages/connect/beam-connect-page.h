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
/* Fills the cookie field as --cookie, --cookie-file, BEAMSCOPE_COOKIE or
 * the cookie-file setting (else erl's own file) give it (cookie and
 * cookie_file may be NULL), and says under it where it came from, or why
 * none could be read. */
gboolean   beam_connect_page_load_cookie  (BeamConnectPage *self,
                                           const char      *cookie,
                                           const char      *cookie_file,
                                           GError         **error);
/* The cookie in the field, loaded or typed. */
const char *beam_connect_page_get_cookie  (BeamConnectPage *self);

G_END_DECLS
