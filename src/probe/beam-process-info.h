/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "beam-connection.h"

G_BEGIN_DECLS

/* One process, named by a pid (any form beam_process_info_parse_pid takes) or a registered
 * name (an Elixir alias such as MyApp.Cache works too). Names are resolved on
 * the node with list_to_existing_atom/1: an unknown name is an error, never a
 * new atom.
 *
 * Every answer is shape-checked here, on the network thread: callers get
 * typed results, and terms only where they are shown as they came. A reply
 * of any other shape fails with BEAM_WIRE_ERROR_BAD_REPLY. */

#define BEAM_PROCESS_INFO_ERROR (beam_process_info_error_quark ())

typedef enum
{
  BEAM_PROCESS_INFO_ERROR_NO_SUCH_PROCESS,
  BEAM_PROCESS_INFO_ERROR_NOT_OTP,       /* sys calls need a loop that handles them */
  BEAM_PROCESS_INFO_ERROR_NO_ANSWER,     /* the process did not answer in time */
} BeamProcessInfoError;

GQuark                     beam_process_info_error_quark        (void);

/* At most this many pids of one item become BeamProcessInfoItem.pids (each
 * may become a button to open); n_pids counts them all. */
#define BEAM_PROCESS_INFO_MAX_PIDS 1000

typedef struct
{
  const char *name;    /* one of beam_process_info_items () */
  BeamTerm   *value;   /* as the node sent it, to be printed */
  GStrv       pids;    /* links, monitors, monitored_by, group_leader, parent: the
                        * pids in the value as "<0.N.S>", in order, the first
                        * BEAM_PROCESS_INFO_MAX_PIDS; NULL otherwise */
  guint       n_pids;  /* how many pids the value holds, those left out too */
} BeamProcessInfoItem;

/* One frame of current_stacktrace. */
typedef struct
{
  char   *module;      /* as Erlang writes the atom ('Elixir.Foo' quoted) */
  char   *function;    /* the same */
  gint64  arity;       /* the arity, or the number of arguments given */
  char   *file;        /* NULL when the frame has no location */
  gint64  line;        /* 0 when unknown */
} BeamProcessFrame;

/* One refc binary the process holds (process_info binary). */
typedef struct
{
  gint64 size;        /* bytes */
  gint64 refcount;    /* processes holding it, this one included */
} BeamProcessBinary;

/* At most this many binaries are listed; n_binaries counts them all. */
#define BEAM_PROCESS_INFO_MAX_BINARIES 100

typedef struct
{
  BeamTerm            *pid;                /* to print, with the node as local */
  BeamTerm            *items;              /* [{Item, Value}] as sent, to print whole */
  char                *initial_call;       /* "m:f/a", proc_lib's translation, or NULL */
  char                *registered_name;    /* NULL when not registered */
  char                *label;              /* the name it gave itself, or NULL */
  gint64               message_queue_len;
  BeamProcessInfoItem *fields;             /* every item, in the order asked */
  guint                n_fields;
  BeamProcessFrame    *frames;             /* current_stacktrace, innermost first */
  guint                n_frames;

  /* Typed readings of the items, checked: sizes in words are as sent,
   * wordsize says how many bytes one is on that node. */
  guint                wordsize;           /* 4 or 8 */
  gint64               memory;             /* bytes */
  gint64               heap_size;          /* words */
  gint64               total_heap_size;    /* words */
  gint64               stack_size;         /* words */
  gint64               reductions;
  gint64               catch_level;
  char                *status;             /* "waiting", "running", "suspended"... */
  char                *current_function;   /* "m:f/a", or NULL */
  char                *error_handler;      /* a module, as Erlang writes the atom */
  gboolean             last_calls_on;      /* process_flag(save_calls, N) with N > 0 */
  gboolean             sys_suspended;      /* waiting in sys:suspend_loop: sys:suspend */
  GStrv                trace_flags;        /* erlang:trace_info(P, flags): none is empty */
  gint64               n_binaries;         /* refc binaries held, all of them */
  gint64               binary_bytes;       /* their sizes summed */
  BeamProcessBinary   *binaries;           /* the first BEAM_PROCESS_INFO_MAX_BINARIES */
  guint                n_binaries_listed;
  BeamTerm            *extra;              /* {Wordsize, TraceFlags, Binaries} as sent */
} BeamProcessInfo;

void                       beam_process_info_free               (BeamProcessInfo *info);
/* The field named `name`, or NULL. */
const BeamProcessInfoItem *beam_process_info_get_field          (const BeamProcessInfo *info,
                                                                 const char            *name);

/* A pid in any form people paste: "<0.123.0>", "0.123.0", Elixir's
 * "#PID<0.123.0>", and with a node, "<node@host.123.0>" or rabbitmqctl's
 * "<node@host.Creation.123.0>". `out_node` (may be NULL) gets the node
 * named, or NULL when the pid is the node's own (<0.N.S>); `local_node`
 * (may be NULL) is the node inspected, whose name settles where a host
 * with dots ends. FALSE if `text` is no pid. */
gboolean                   beam_process_info_parse_pid          (const char  *text,
                                                                 const char  *local_node,
                                                                 guint32     *out_num,
                                                                 guint32     *out_serial,
                                                                 char       **out_node);
/* Any of those as "<0.123.0>", dropping a node; NULL if `text` is not a pid. */
char                      *beam_process_info_normalize_pid      (const char *text);

void                       beam_process_info_fetch_async        (BeamConnection      *connection,
                                                                 const char          *who,
                                                                 GCancellable        *cancellable,
                                                                 GAsyncReadyCallback  callback,
                                                                 gpointer             user_data);
BeamProcessInfo           *beam_process_info_fetch_finish       (GAsyncResult  *result,
                                                                 GError       **error);

/* The first entries of the message queue or the dictionary: `count` in all,
 * `entries` (BeamTerm) the first ones sent, to be shown. Dictionary entries
 * are {Key, Value} tuples. */
typedef struct
{
  gint64     count;
  GPtrArray *entries;
} BeamProcessEntries;

void                       beam_process_entries_free            (BeamProcessEntries *entries);

/* The whole queue is copied on the node (no BIF reads part of a mailbox),
 * but only `limit` messages travel. */
void                       beam_process_messages_fetch_async    (BeamConnection      *connection,
                                                                 const char          *who,
                                                                 guint                limit,
                                                                 GCancellable        *cancellable,
                                                                 GAsyncReadyCallback  callback,
                                                                 gpointer             user_data);
BeamProcessEntries        *beam_process_messages_fetch_finish   (GAsyncResult  *result,
                                                                 GError       **error);
void                       beam_process_dictionary_fetch_async  (BeamConnection      *connection,
                                                                 const char          *who,
                                                                 guint                limit,
                                                                 GCancellable        *cancellable,
                                                                 GAsyncReadyCallback  callback,
                                                                 gpointer             user_data);
BeamProcessEntries        *beam_process_dictionary_fetch_finish (GAsyncResult  *result,
                                                                 GError       **error);

typedef enum
{
  BEAM_PROCESS_SYS_GET_STATE,
  BEAM_PROCESS_SYS_SUSPEND,
  BEAM_PROCESS_SYS_RESUME,
  BEAM_PROCESS_SYS_STATISTICS_ON,
  BEAM_PROCESS_SYS_STATISTICS_GET,
  BEAM_PROCESS_SYS_STATISTICS_OFF,
} BeamProcessSysRequest;

typedef enum
{
  BEAM_PROCESS_ACTION_KILL,
  BEAM_PROCESS_ACTION_GARBAGE_COLLECT,
} BeamProcessAction;

/* A sys request of an OTP process found waiting in its loop (see the .c for
 * why only those). The finish returns what sys answered, to be shown: the
 * state, the statistics, or ok. */
void                       beam_process_sys_async               (BeamConnection        *connection,
                                                                 const char            *who,
                                                                 BeamProcessSysRequest  request,
                                                                 guint                  timeout_ms,
                                                                 GCancellable          *cancellable,
                                                                 GAsyncReadyCallback    callback,
                                                                 gpointer               user_data);
BeamTerm                  *beam_process_sys_finish              (GAsyncResult  *result,
                                                                 GError       **error);

/* exit(P, Reason) (Reason: "kill" by default; an atom only if the node has
 * it already, else the string) or garbage_collect(P). Mutating: callers ask
 * first and honour --read-only. */
void                       beam_process_action_async            (BeamConnection      *connection,
                                                                 const char          *who,
                                                                 BeamProcessAction    action,
                                                                 const char          *reason,
                                                                 GCancellable        *cancellable,
                                                                 GAsyncReadyCallback  callback,
                                                                 gpointer             user_data);
gboolean                   beam_process_action_finish           (GAsyncResult  *result,
                                                                 GError       **error);

/* sys:get_state(P, timeout_ms), as beam_process_sys_async(). Returns {Pid,
 * State} as a 2-tuple term. */
void                       beam_process_state_fetch_async       (BeamConnection      *connection,
                                                                 const char          *who,
                                                                 guint                timeout_ms,
                                                                 GCancellable        *cancellable,
                                                                 GAsyncReadyCallback  callback,
                                                                 gpointer             user_data);
BeamTerm                  *beam_process_state_fetch_finish      (GAsyncResult  *result,
                                                                 GError       **error);

/* sys:statistics(P, get) of an OTP process (the same rule as sys requests). */
typedef struct
{
  gboolean  collecting;     /* FALSE: statistics are off, nothing else is set */
  char     *start_time;     /* "2026-12-02 00:34:10", node's local time */
  char     *current_time;
  gint64    reductions;     /* since statistics were turned on */
  gint64    messages_in;
  gint64    messages_out;
} BeamProcessStatistics;

void                       beam_process_statistics_free         (BeamProcessStatistics *statistics);
void                       beam_process_statistics_fetch_async  (BeamConnection      *connection,
                                                                 const char          *who,
                                                                 guint                timeout_ms,
                                                                 GCancellable        *cancellable,
                                                                 GAsyncReadyCallback  callback,
                                                                 gpointer             user_data);
BeamProcessStatistics     *beam_process_statistics_fetch_finish (GAsyncResult  *result,
                                                                 GError       **error);

/* erlang:garbage_collect(P), with the process's memory before and after, in
 * bytes. Mutating: callers ask first and honour --read-only. */
typedef struct
{
  gint64 before;
  gint64 after;
} BeamProcessCollected;

void                       beam_process_collect_async           (BeamConnection      *connection,
                                                                 const char          *who,
                                                                 GCancellable        *cancellable,
                                                                 GAsyncReadyCallback  callback,
                                                                 gpointer             user_data);
BeamProcessCollected      *beam_process_collect_finish          (GAsyncResult  *result,
                                                                 GError       **error);

/* Whether `text` names an atom the node has already (list_to_existing_atom:
 * nothing is created): a kill reason that is not one goes as a string.
 * The finish returns TRUE or FALSE, or FALSE with `error` set. */
void                       beam_process_atom_exists_async       (BeamConnection      *connection,
                                                                 const char          *text,
                                                                 GCancellable        *cancellable,
                                                                 GAsyncReadyCallback  callback,
                                                                 gpointer             user_data);
gboolean                   beam_process_atom_exists_finish      (GAsyncResult  *result,
                                                                 GError       **error);

/* A light sample for the window's trends: memory, reductions, queue. */
typedef struct
{
  gint64 memory;             /* bytes */
  gint64 reductions;
  gint64 message_queue_len;
} BeamProcessSample;

void                       beam_process_sample_async            (BeamConnection      *connection,
                                                                 const char          *who,
                                                                 GCancellable        *cancellable,
                                                                 GAsyncReadyCallback  callback,
                                                                 gpointer             user_data);
BeamProcessSample         *beam_process_sample_finish           (GAsyncResult  *result,
                                                                 GError       **error);

/* The items asked, in order (the seeds' Process.info list). */
const char * const        *beam_process_info_items              (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BeamProcessInfo, beam_process_info_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BeamProcessEntries, beam_process_entries_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BeamProcessStatistics, beam_process_statistics_free)

G_END_DECLS
