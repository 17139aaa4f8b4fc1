/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "beam-application-list.h"

G_BEGIN_DECLS

/* One application of the Applications page's list. The rows live in a
 * GListStore that beam_application_rows_update() keeps current in place, so
 * a selection and a scroll position survive every refresh. */

#define BEAM_TYPE_APPLICATION_ROW (beam_application_row_get_type ())

G_DECLARE_FINAL_TYPE (BeamApplicationRow, beam_application_row, BEAM, APPLICATION_ROW, GObject)

const char *beam_application_row_get_name        (BeamApplicationRow *self);
const char *beam_application_row_get_description (BeamApplicationRow *self);
const char *beam_application_row_get_vsn         (BeamApplicationRow *self);
/* permanent, transient, temporary; NULL when stopped or not known */
const char *beam_application_row_get_start_type  (BeamApplicationRow *self);
/* loaded, starting, running, stopping (beam_application_state_to_string) */
const char *beam_application_row_get_state       (BeamApplicationRow *self);
gboolean    beam_application_row_get_running     (BeamApplicationRow *self);
/* -1 when not known (a library application, or not counted yet) */
gint64      beam_application_row_get_processes   (BeamApplicationRow *self);
gint64      beam_application_row_get_memory      (BeamApplicationRow *self);
gint64      beam_application_row_get_reductions  (BeamApplicationRow *self);
/* A library application: started, without processes. */
gboolean    beam_application_row_get_library     (BeamApplicationRow *self);

/* Makes `store` (of BeamApplicationRow, sorted by name) hold `list`'s
 * applications: rows of applications still there are updated, not replaced.
 * What `list` does not know (start types the controller did not tell,
 * processes not counted this time) keeps its last value. */
void        beam_application_rows_update         (GListStore                *store,
                                                  const BeamApplicationList *list);

/* Only the sums of processes, memory and reductions of a counted `list`,
 * into the rows of the applications it names. */
void        beam_application_rows_update_counts  (GListStore                *store,
                                                  const BeamApplicationList *list);

G_END_DECLS
