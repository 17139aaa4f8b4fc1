/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "beam-connect-page.h"

G_BEGIN_DECLS

/* Names the scan found, for tests. */
GStrv      beam_connect_page_list_found   (BeamConnectPage *self);

G_END_DECLS
