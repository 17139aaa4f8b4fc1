/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "beam-connection.h"

G_BEGIN_DECLS

/* The applications of a node, loaded and started (programs/applications.exprs):
 * the Applications page's list and the CLI's `apps`. Read from
 * application_controller's table, so the list comes even while the controller
 * is busy starting or stopping an application (RabbitMQ's stop_app); only
 * the start types need the controller itself, asked with a deadline. */

typedef enum
{
  BEAM_APPLICATION_LOADED,     /* loaded, not started (or stopped) */
  BEAM_APPLICATION_STARTING,
  BEAM_APPLICATION_RUNNING,
  BEAM_APPLICATION_STOPPING,   /* application_controller waits on its master */
  BEAM_APPLICATION_UNKNOWN,    /* a library application while the controller is busy */
} BeamApplicationState;

typedef struct
{
  const char *name;
  const char *description;
  const char *vsn;
  const char *start_type;    /* permanent, transient, temporary; NULL when not started
                              * or when the controller did not answer */
  BeamApplicationState state;
  gboolean    running;       /* started: starting, running or stopping */
  const char *master_pid;    /* NULL for a library application or one not started */
  /* Processes whose group leader is its master, as one sum over the node's
   * processes: -1 when not counted (see `counted`) or without a master. */
  gint64      processes;
  gint64      memory;        /* bytes */
  gint64      reductions;
} BeamApplication;

typedef struct
{
  BeamApplication *applications;  /* sorted by name */
  guint            n_applications;
  gboolean         types_known;   /* the controller answered within the deadline */
  gboolean         counted;       /* the processes were counted */
  GStringChunk    *strings;
} BeamApplicationList;

/* With `count_processes`, every process of the node is read once (on the
 * node, by compiled code, in slices): about 3 s for a million processes, so
 * a caller that refreshes often counts seldom on a big node. */
void                 beam_application_list_async   (BeamConnection            *connection,
                                                    gboolean                   count_processes,
                                                    GCancellable              *cancellable,
                                                    GAsyncReadyCallback        callback,
                                                    gpointer                   user_data);
BeamApplicationList *beam_application_list_finish  (GAsyncResult              *result,
                                                    GError                   **error);
void                 beam_application_list_free    (BeamApplicationList       *list);
const BeamApplication *beam_application_list_find  (const BeamApplicationList *list,
                                                    const char                *name);
const char          *beam_application_state_to_string (BeamApplicationState   state);
/* [{"name", "description", "vsn", "type", "state", "running", "master",
 *   "processes", "memory", "reductions"}], "type" null when unknown or not
 *   started; "state" loaded, starting, running, stopping or unknown. */
JsonNode            *beam_application_list_to_json (const BeamApplicationList *list);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BeamApplicationList, beam_application_list_free)

G_END_DECLS
