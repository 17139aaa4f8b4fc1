/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "beam-connection.h"
#include "beam-load-sample.h"

G_BEGIN_DECLS

/* The node's load over the last minutes: BeamNode owns one, and it samples
 * from the moment the node is connected, whichever page is on screen, so the
 * Load page's charts (and any page that wants the recent load) have history.
 * Each point is what two consecutive samples say, as rows of values in
 * groups, one group a chart:
 *
 *   USAGE       total, then each scheduler of the layout's `wall` (0..1)
 *   RUN_QUEUES  total, then each run queue
 *   MEMORY      erlang:memory(), indexed by BeamMemoryCategory
 *   IO          input, output bytes per second
 *   WORK        reductions, garbage collections, context switches per second
 *
 * "sampled" is emitted for each new point, "reset" when the points were
 * dropped because the node's shape changed (another scheduler count after a
 * reconnect). */

typedef enum
{
  BEAM_LOAD_GROUP_USAGE,
  BEAM_LOAD_GROUP_RUN_QUEUES,
  BEAM_LOAD_GROUP_MEMORY,
  BEAM_LOAD_GROUP_IO,
  BEAM_LOAD_GROUP_WORK,
  BEAM_LOAD_N_GROUPS
} BeamLoadGroup;

#define BEAM_TYPE_LOAD_HISTORY (beam_load_history_get_type ())

G_DECLARE_FINAL_TYPE (BeamLoadHistory, beam_load_history, BEAM, LOAD_HISTORY, GObject)

BeamLoadHistory      *beam_load_history_new             (BeamConnection  *connection);
/* Lets the node's flag holder go and stops sampling for good. */
void                  beam_load_history_stop            (BeamLoadHistory *self);

guint                 beam_load_history_get_interval_ms (BeamLoadHistory *self);
void                  beam_load_history_set_interval_ms (BeamLoadHistory *self,
                                                         guint            interval_ms);
gboolean              beam_load_history_get_paused      (BeamLoadHistory *self);
void                  beam_load_history_set_paused      (BeamLoadHistory *self,
                                                         gboolean         paused);
/* Why the last sample failed, or NULL. */
const char           *beam_load_history_get_error       (BeamLoadHistory *self);

/* The last sample, whose shape (schedulers, run queues) the points have;
 * NULL before the first point. */
const BeamLoadSample *beam_load_history_get_layout      (BeamLoadHistory *self);
guint                 beam_load_history_get_n_values    (BeamLoadHistory *self,
                                                         BeamLoadGroup    group);
guint                 beam_load_history_get_n_points    (BeamLoadHistory *self);
gint64                beam_load_history_get_time        (BeamLoadHistory *self,
                                                         guint            point);
const double         *beam_load_history_get_values      (BeamLoadHistory *self,
                                                         guint            point,
                                                         BeamLoadGroup    group);
/* The busiest normal scheduler's usage in the newest point. */
double                beam_load_history_get_busiest     (BeamLoadHistory *self);
/* Every point made since the history began, dropped ones included. */
guint                 beam_load_history_get_n_sampled   (BeamLoadHistory *self);

G_END_DECLS
