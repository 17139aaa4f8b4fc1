/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "beam-connect-page.h"

G_BEGIN_DECLS

/* Names the scan found, for tests. */
GStrv      beam_connect_page_list_found   (BeamConnectPage *self);
/* Types a host to scan, as a user would, for tests. */
void       beam_connect_page_set_host     (BeamConnectPage *self,
                                           const char      *host);

/* The note under the cookie field, and the node field, for tests. */
const char *beam_connect_page_get_cookie_note (BeamConnectPage *self);
const char *beam_connect_page_get_node        (BeamConnectPage *self);

G_END_DECLS
