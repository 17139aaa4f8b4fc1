/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "beam-connection.h"
#include "beam-memory-category.h"
#include "beam-scheduler-usage.h"

G_BEGIN_DECLS

/* What the Load page charts, one sample at a time, and the rates between two
 * samples. Scheduler utilisation needs the scheduler_wall_time flag raised
 * for as long as we sample: beam_load_sample_flag_holder_start_async() leaves one
 * process on the node that raises it and monitors our connection, so the
 * flag drops by itself the moment Beamscope disconnects (or dies). */

typedef struct
{
  guint  id;
  gint64 active;
  gint64 total;
} BeamWallTime;

typedef struct
{
  gint64  time_us;            /* erlang:monotonic_time(microsecond) on the node */
  GArray *wall;               /* BeamWallTime, by id; empty while the flag is off */
  GArray *run_queues;         /* gint64: normal schedulers, then dirty CPU, then dirty IO */
  gint    schedulers;
  gint    dirty_cpu_schedulers;
  gint    dirty_io_schedulers;
  gint64  memory[BEAM_MEMORY_N_CATEGORIES];
  gint64  io_input;
  gint64  io_output;
  gint64  reductions;
  gint64  garbage_collections;
  gint64  context_switches;
} BeamLoadSample;

void            beam_load_sample_free          (BeamLoadSample      *sample);

void            beam_load_sample_async         (BeamConnection      *connection,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
BeamLoadSample *beam_load_sample_finish        (GAsyncResult        *result,
                                                GError             **error);

/* Usage per scheduler between two samples (BeamSchedulerUsage, by id), and
 * the whole: the mean of the normal schedulers. NULL if either sample has no
 * wall times. */
GArray         *beam_load_sample_usage         (const BeamLoadSample *before,
                                                const BeamLoadSample *after,
                                                double               *out_total);
/* A counter's rate per second between two samples; 0 where the counter did
 * not grow or the samples' times do not follow each other. */
double          beam_load_sample_rate          (const BeamLoadSample *before,
                                                const BeamLoadSample *after,
                                                gint64                before_value,
                                                gint64                after_value);

void      beam_load_sample_flag_holder_start_async  (BeamConnection      *connection,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
/* The holder's pid, as a term; stop it with beam_load_sample_flag_holder_stop(). */
BeamTerm *beam_load_sample_flag_holder_start_finish (GAsyncResult        *result,
                                                     GError             **error);
/* Asks the holder to go (the flag drops with it); nothing to wait for. */
void      beam_load_sample_flag_holder_stop         (BeamConnection      *connection,
                                                     const BeamTerm      *holder);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BeamLoadSample, beam_load_sample_free)

G_END_DECLS
