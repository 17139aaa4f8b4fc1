/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "beam-node.h"
#include "beam-process-table.h"

G_BEGIN_DECLS

/* The seeds' process playbooks, one click each from the Processes page: the
 * top processes by an attribute (recon:proc_count), the biggest growth over a
 * few seconds (recon:proc_window), processes grouped by initial call, the
 * processes sitting in a module. A window of results; a process row opens
 * the process. */

typedef enum
{
  BEAM_PLAYBOOK_TOP,
  BEAM_PLAYBOOK_GROWTH,
  BEAM_PLAYBOOK_GROUPS,
  BEAM_PLAYBOOK_IN_MODULE,
} BeamPlaybook;

#define BEAM_TYPE_PLAYBOOK_WINDOW (beam_playbook_window_get_type ())

G_DECLARE_FINAL_TYPE (BeamPlaybookWindow, beam_playbook_window, BEAM, PLAYBOOK_WINDOW, AdwWindow)

/* `column` for TOP and GROWTH; `module` for IN_MODULE. */
BeamPlaybookWindow *beam_playbook_window_new        (BeamNode          *node,
                                                     BeamPlaybook       playbook,
                                                     BeamProcessColumn  column,
                                                     const char        *module);
/* For tests: the rows shown, as text, once the answer is in; NULL before. */
GStrv               beam_playbook_window_list_rows  (BeamPlaybookWindow *self);
GStrv               beam_playbook_window_expand_group (BeamPlaybookWindow *self,
                                                       guint               index);

G_END_DECLS
