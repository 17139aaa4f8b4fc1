/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "beam-connection.h"

G_BEGIN_DECLS

/* What observer's System tab shows, and what the seeds ask for beside it.
 * Integer fields are -1 where the node did not say. */

typedef struct
{
  gint64 total;
  gint64 processes;
  gint64 processes_used;
  gint64 system;
  gint64 atom;
  gint64 atom_used;
  gint64 binary;
  gint64 code;
  gint64 ets;
} BeamMemory;

/* The node's OS process, read from /proc/self on the node (Linux only).
 * Sizes in bytes; -1 where a file did not say. */
typedef struct
{
  gboolean  available;      /* FALSE: not Linux, or /proc unreadable */
  char     *absent_reason;  /* why not, in words, when not available */
  gint64    os_pid;
  gint64    rss;
  gint64    virtual_size;
  gint64    threads;
  gint64    cpu_ticks;      /* utime + stime, in USER_HZ ticks (100 a second) */
  gint64    start_ticks;    /* when it started, in ticks since the host booted */
  double    host_uptime_s;  /* /proc/uptime: seconds since the host booted */
  gint64    sampled_ms;     /* erlang:monotonic_time(millisecond) at the reading */
  gint64    open_fds;
  gint64    fd_limit;       /* the soft limit; -1 for unlimited or unknown */
  /* beam_os_process_cpu_percent (this, NULL) as fetched; a view that keeps
   * the previous reading sets it to the figure between the two. */
  double    cpu_percent;
  gboolean  cpu_since_start;
} BeamOsProcess;

typedef struct
{
  char       *node;
  char       *otp_release;
  char       *erts_version;
  char       *system_version;        /* the banner, one line */
  char       *system_architecture;
  gint64      uptime_ms;
  gint        wordsize_internal;
  gint        wordsize_external;
  gboolean    smp_support;
  gboolean    threads;
  gboolean    kernel_poll;
  gint        thread_pool_size;

  gint        logical_processors;
  gint        logical_processors_online;
  gint        logical_processors_available;
  gint        schedulers;
  gint        schedulers_online;
  gint        dirty_cpu_schedulers;
  gint        dirty_cpu_schedulers_online;
  gint        dirty_io_schedulers;

  gint64      process_count;
  gint64      process_limit;
  gint64      atom_count;
  gint64      atom_limit;
  gint64      port_count;
  gint64      port_limit;
  gint64      ets_count;
  gint64      ets_limit;
  gint64      dist_buf_busy_limit;

  /* From one statistics(run_queue_lengths_all), asked alone once every
   * other question of the fetch is answered (so our own rex workers are not
   * counted). run_queue = run_queue_normal + run_queue_dirty_cpu +
   * run_queue_dirty_io; -1 each if the node did not say. */
  gint64      run_queue;
  gint64      run_queue_normal;
  gint64      run_queue_dirty_cpu;
  gint64      run_queue_dirty_io;
  /* gint64: one per normal scheduler, then dirty CPU, then dirty IO */
  GArray     *run_queue_lengths;
  gint64      io_input;
  gint64      io_output;
  gint64      reductions;
  gint64      garbage_collections;
  gint64      words_reclaimed;
  gint64      context_switches;

  BeamMemory    memory;
  gboolean      has_observer_backend;  /* runtime_tools on the node's code path */
  BeamOsProcess os_process;
} BeamSystemInfo;

/* The OS process's CPU use between two readings, in percent of one CPU (as
 * top, so 250 on a node busy on 2.5 cores); with `before` NULL, or of another
 * OS process, its average since it started. -1 when it cannot be told. */
double          beam_os_process_cpu_percent    (const BeamOsProcess *now,
                                                const BeamOsProcess *before);
/* Parses what the node read of /proc/self into `process` (test hook too). */
gboolean        beam_os_process_parse          (BeamOsProcess *process,
                                                const char    *stat,
                                                const char    *status,
                                                const char    *limits,
                                                const char    *uptime);

void            beam_system_info_free          (BeamSystemInfo  *info);

void            beam_system_info_fetch_async   (BeamConnection      *connection,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
BeamSystemInfo *beam_system_info_fetch_finish  (GAsyncResult    *result,
                                                GError         **error);

/* erlang:system_info(process_limit) alone: the limit, or -1 with `error`
 * set (a reply other than a positive integer is BEAM_WIRE_ERROR_BAD_REPLY). */
void            beam_system_info_process_limit_async  (BeamConnection      *connection,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
gint64          beam_system_info_process_limit_finish (GAsyncResult        *result,
                                                       GError             **error);

/* Keys as erlang:system_info/1 and erlang:memory/0 name things. */
JsonNode       *beam_system_info_to_json       (const BeamSystemInfo *info);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BeamSystemInfo, beam_system_info_free)

G_END_DECLS
