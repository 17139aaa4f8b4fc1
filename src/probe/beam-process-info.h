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

/* sys:get_state(P, timeout_ms), only for processes started by proc_lib: a
 * plain process never reads the system message, which would stay in its
 * mailbox for good. Returns {Pid, State} as a 2-tuple term. */
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
