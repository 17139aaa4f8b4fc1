/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "beam-page.h"

G_BEGIN_DECLS

/* Every node of the cluster, live (issue 17). No refresh of its own: the
 * node's BeamClusterModel samples (its settings bound to the cluster-* keys),
 * and the page is a view of it, started the first time the page is shown. */

#define BEAM_TYPE_CLUSTER_PAGE (beam_cluster_page_get_type ())

G_DECLARE_FINAL_TYPE (BeamClusterPage, beam_cluster_page, BEAM, CLUSTER_PAGE, BeamPage)

G_END_DECLS
