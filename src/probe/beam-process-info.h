/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "beam-connection.h"

G_BEGIN_DECLS

/* One process, named by a pid ("<0.123.0>" or "0.123.0") or a registered
 * name (an Elixir alias such as MyApp.Cache works too). Names are resolved on
 * the node with list_to_existing_atom/1: an unknown name is an error, never a
 * new atom. */

#define BEAM_PROCESS_INFO_ERROR (beam_process_info_error_quark ())

typedef enum
{
  BEAM_PROCESS_INFO_ERROR_NO_SUCH_PROCESS,
  BEAM_PROCESS_INFO_ERROR_NOT_OTP,       /* sys calls need a proc_lib process */
  BEAM_PROCESS_INFO_ERROR_NO_ANSWER,     /* the process did not answer in time */
} BeamProcessInfoError;

GQuark    beam_process_info_error_quark   (void);

typedef struct
{
  BeamTerm *pid;
  BeamTerm *items;         /* [{Item, Value}]: process_info/2 of the seeds' items */
  char     *initial_call;  /* "m:f/a", proc_lib's translation */
} BeamProcessInfo;

void             beam_process_info_free         (BeamProcessInfo *info);

/* "0.123.0" and "<0.123.0>" as "<0.123.0>"; NULL if `text` is not a pid. */
char            *beam_process_info_normalize_pid (const char     *text);

void             beam_process_info_fetch_async  (BeamConnection      *connection,
                                                 const char          *who,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
BeamProcessInfo *beam_process_info_fetch_finish (GAsyncResult        *result,
                                                 GError             **error);

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

typedef enum
{
  BEAM_PROCESS_ITEM_MESSAGES,
  BEAM_PROCESS_ITEM_DICTIONARY,
} BeamProcessItem;

/* A sys request of an OTP process found waiting in its loop (see the .c for
 * why only those): {Pid, Result} as a 2-tuple term. Finish with
 * beam_process_state_fetch_finish(). */
void             beam_process_sys_async         (BeamConnection        *connection,
                                                 const char            *who,
                                                 BeamProcessSysRequest  request,
                                                 guint                  timeout_ms,
                                                 GCancellable          *cancellable,
                                                 GAsyncReadyCallback    callback,
                                                 gpointer               user_data);
/* exit(P, Reason) (Reason: "kill" by default; an atom only if the node has
 * it already, else the string) or garbage_collect(P). Mutating: callers ask
 * first and honour --read-only. Finish with beam_process_call_finish(). */
void             beam_process_action_async      (BeamConnection      *connection,
                                                 const char          *who,
                                                 BeamProcessAction    action,
                                                 const char          *reason,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
/* [{Count, FirstEntries}] of the messages or the dictionary, at most `limit`
 * entries sent. Finish with beam_process_call_finish(). */
void             beam_process_item_async        (BeamConnection      *connection,
                                                 const char          *who,
                                                 BeamProcessItem      item,
                                                 guint                limit,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
BeamTerm        *beam_process_call_finish       (GAsyncResult        *result,
                                                 GError             **error);

/* sys:get_state(P, timeout_ms), as beam_process_sys_async(). Returns {Pid,
 * State} as a 2-tuple term. */
void             beam_process_state_fetch_async (BeamConnection      *connection,
                                                 const char          *who,
                                                 guint                timeout_ms,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
BeamTerm        *beam_process_state_fetch_finish (GAsyncResult       *result,
                                                  GError            **error);

/* The items asked, in order (the seeds' Process.info list). */
const char * const *beam_process_info_items     (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BeamProcessInfo, beam_process_info_free)

G_END_DECLS
