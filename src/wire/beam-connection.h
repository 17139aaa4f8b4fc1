/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "beam-term.h"

G_BEGIN_DECLS

/* A hidden C-node connection to one BEAM node, owned by one network thread.
 * Public functions are called from the thread that created the object (the
 * GTK thread in the app, the main loop in the CLI); results and state changes
 * come back there. Decoders and stream callbacks run on the network thread. */

#define BEAM_TYPE_CONNECTION (beam_connection_get_type ())

G_DECLARE_FINAL_TYPE (BeamConnection, beam_connection, BEAM, CONNECTION, GObject)

typedef enum
{
  BEAM_CONNECTION_STATE_DISCONNECTED,
  BEAM_CONNECTION_STATE_CONNECTING,
  BEAM_CONNECTION_STATE_CONNECTED,
  BEAM_CONNECTION_STATE_RECONNECTING, /* lost the node; retrying with back-off */
  BEAM_CONNECTION_STATE_LOST,         /* still retrying, but for a long while now */
} BeamConnectionState;

GType beam_connection_state_get_type (void) G_GNUC_CONST;
#define BEAM_TYPE_CONNECTION_STATE (beam_connection_state_get_type ())

/* Turns the `{rex, Reply}` payload into whatever the caller wants, on the
 * network thread so the GTK thread only swaps results in. Return NULL and set
 * `error` to fail the call. */
typedef gpointer (*BeamReplyDecodeFunc) (const BeamTerm  *reply,
                                         gpointer         user_data,
                                         GError         **error);

/* One message sent to the request's reply pid before the reply, raw ETF
 * (version byte first), on the network thread. */
typedef void     (*BeamStreamFunc)      (const char      *buf,
                                         gsize            len,
                                         gpointer         user_data);

typedef struct
{
  const char          *module;        /* literal atoms from our code only */
  const char          *function;
  BeamTerm            *args;          /* a list; taken; may hold a BEAM_TERM_REPLY_PID */
  guint                timeout_ms;    /* 0: the connection's default */
  BeamReplyDecodeFunc  decode;        /* NULL: the result is a BeamTerm */
  gpointer             decode_data;
  GDestroyNotify       decode_data_free;  /* frees decode_data once the call is over */
  GDestroyNotify       result_free;   /* frees what decode returned */
  BeamStreamFunc       on_message;    /* NULL: no stream expected */
  gpointer             stream_data;
  gboolean             until_exit;    /* the stream ends with an exit signal to the reply pid,
                                       * not with the reply */
  gboolean             counted;       /* the reply (or erl_eval's {value, N, _}) is the number N of
                                       * stream messages, sent by other processes in any order;
                                       * the call ends when all N are in */
  gsize                max_reply_bytes;  /* the largest message, reply or stream message,
                                          * the call may receive, checked before it is
                                          * read; 0: the connection's default (8 MB) */
  guint                interval_ms;   /* how long the call waits on the node on purpose (a
                                       * sampling interval): added to a deadline set with
                                       * beam_connection_set_request_timeout() */
  guint                stream_idle_ms;  /* a stream that lasts as long as it likes (a trace):
                                         * each stream message moves the deadline to this
                                         * far ahead, so only silence fails it; 0: the
                                         * deadline is the whole call's */
} BeamCall;

/* Once per process, before any thread starts: ignores SIGPIPE (ei writes with
 * plain write(), and a node that drops us must not kill us) and initialises
 * ei. FALSE with `error` set if ei cannot start. */
gboolean             beam_connection_init_process     (GError              **error);

BeamConnection      *beam_connection_new              (const char           *target_node,
                                                       const char           *cookie);
const char          *beam_connection_get_target_node  (BeamConnection       *self);
const char          *beam_connection_get_local_node   (BeamConnection       *self);
/* The name the node gives itself (erlang:node()) once connected: the
 * target typed may be name@localhost, where the node is name@itshost. The
 * target node until it is known. */
const char          *beam_connection_get_node_name    (BeamConnection       *self);
BeamConnectionState  beam_connection_get_state        (BeamConnection       *self);
/* FALSE while CONNECTED but not answering: a call missed its deadline and
 * nothing came from the node since (a stopped or saturated node). The
 * connection is declared gone only after a whole net_ticktime of silence;
 * this says so within a call's deadline. TRUE again at the node's next
 * message. */
gboolean             beam_connection_get_answering    (BeamConnection       *self);
/* The missed deadline that made it not answering, or NULL. */
const GError        *beam_connection_get_answer_error (BeamConnection       *self);
/* Why the last connection attempt or the connection itself failed, or NULL. */
const GError        *beam_connection_get_last_error   (BeamConnection       *self);
guint                beam_connection_get_reconnect_attempts (BeamConnection *self);
void                 beam_connection_set_default_timeout (BeamConnection    *self,
                                                       guint                 timeout_ms);
/* Every call made from now on gets timeout_ms (plus its interval_ms) as its
 * deadline, whatever its own: the CLI's --timeout. 0 goes back to each call's. */
void                 beam_connection_set_request_timeout (BeamConnection    *self,
                                                       guint                 timeout_ms);

/* Connects; on success the connection then keeps itself up, reconnecting
 * with back-off whenever the node goes away, until beam_connection_close().
 * Call it once per object: another attempt is another BeamConnection. */
void                 beam_connection_connect_async    (BeamConnection       *self,
                                                       guint                 timeout_ms,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
gboolean             beam_connection_connect_finish   (BeamConnection       *self,
                                                       GAsyncResult         *result,
                                                       GError              **error);
/* Asks the network thread to stop and returns at once, never waiting on the
 * network: the state is DISCONNECTED from here on, a pending connect fails
 * with G_IO_ERROR_CANCELLED, and calls in flight fail soon after. */
void                 beam_connection_close            (BeamConnection       *self);
/* Skips the back-off wait of a reconnecting connection. */
void                 beam_connection_retry_now        (BeamConnection       *self);

/* Calls module:function(args) through rex, with its own reply pid, so any
 * number of calls may be in flight at once. The deadline is ours: rex has none. */
void                 beam_connection_call_async       (BeamConnection       *self,
                                                       const BeamCall       *call,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
gpointer             beam_connection_call_finish      (BeamConnection       *self,
                                                       GAsyncResult         *result,
                                                       GError              **error);
/* The same call, its result handed to a GTask of the caller's, with no
 * source object and tagged `source_tag`: what a probe returns, so that its
 * _finish is g_task_propagate_pointer() and needs no connection. */
void                 beam_connection_call_task_async  (BeamConnection       *self,
                                                       gpointer              source_tag,
                                                       const BeamCall       *call,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
/* A probe's _finish for a call started with beam_connection_call_task_async:
 * the result of the task tagged `source_tag`. */
gpointer             beam_connection_call_task_finish (GAsyncResult         *result,
                                                       gpointer              source_tag,
                                                       GError              **error);
/* The common case: args taken, result a BeamTerm to free. */
void                 beam_connection_rpc_async        (BeamConnection       *self,
                                                       const char           *module,
                                                       const char           *function,
                                                       BeamTerm             *args,
                                                       guint                 timeout_ms,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
BeamTerm            *beam_connection_rpc_finish       (BeamConnection       *self,
                                                       GAsyncResult         *result,
                                                       GError              **error);

G_END_DECLS
