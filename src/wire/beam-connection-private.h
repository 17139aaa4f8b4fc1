/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <ei.h>

#include "beam-connection.h"

G_BEGIN_DECLS

/* Between the GObject (beam-connection.c, on the owner's thread) and the
 * network thread (beam-connection-link.c): the link they share, and the
 * hand-overs each side offers the other. */

typedef struct _BeamConnectionLink BeamConnectionLink;

/* Reference-counted: the connection holds one, the network thread another,
 * every pending hand-over one more, so whichever ends last frees it. */
struct _BeamConnectionLink
{
  gatomicrefcount  ref_count;
  GMutex           mutex;
  GQueue           queue;              /* Request*, under mutex */
  GQueue           completions;        /* Completion*, under mutex, for the owner */
  gboolean         completions_scheduled;
  int              wake_fd;
  gint             quit;               /* atomics */
  gint             drop;
  gint             retry_now;
  GMainContext    *owner_context;
  GWeakRef         owner;
  char            *target_node;
  char            *alive;
  char            *host;
  char            *cookie;
  guint            default_timeout_ms;
  guint            connect_timeout_ms;
  guint            request_timeout_ms; /* 0, or every call's deadline (the CLI's --timeout);
                                        * owner thread only, as queueing is */
  GTask           *connect_task;       /* touched on the owner thread only */
  char            *local_node;         /* network thread only; copied to the owner
                                        * on CONNECTED */
  char            *node_name;          /* the name the node gives itself (erlang:node()),
                                        * as local_node */

  /* network thread only */
  ei_cnode         ec;
  int              fd;
  int              pool_index;         /* the name of our pool the connection holds, or -1 */
  char            *pool_target;        /* the node it holds it toward (the pool's key) */
  GHashTable      *in_flight;          /* key -> Request* */
  gint64           last_read;
  gint64           liveness_us;
  /* Bytes of a refused frame still to read past, a piece per turn of the
   * loop, so that deadlines keep being enforced meanwhile. */
  gsize            skip_left;
  gint64           next_scan;          /* when expire_requests() is next due */
  gboolean         answering;          /* FALSE from a call's missed deadline until the
                                        * node's next message */
};

/* beam-connection-link.c */
BeamConnectionLink *_beam_connection_link_new      (BeamConnection      *owner,
                                                    const char          *target_node,
                                                    const char          *cookie);
BeamConnectionLink *_beam_connection_link_ref      (BeamConnectionLink  *link);
void                _beam_connection_link_unref    (BeamConnectionLink  *link);
/* Wakes the network thread to look at the queue and the atomics. */
void                _beam_connection_link_wake     (BeamConnectionLink  *link);
/* Queues a call for the network thread; takes `task` and call->args. */
void                _beam_connection_link_queue    (BeamConnectionLink  *link,
                                                    GTask               *task,
                                                    const BeamCall      *call);
/* The network thread's GThreadFunc; takes a reference to the link. */
gpointer            _beam_connection_link_thread   (gpointer             data);

/* beam-connection.c: hand-overs to the owner thread, called on the network
 * thread. Takes `result` or `error`; consumes *task. */
void                _beam_connection_complete_task (BeamConnectionLink  *link,
                                                    GTask              **task,
                                                    gpointer             result,
                                                    GDestroyNotify       result_free,
                                                    GError              *error);
void                _beam_connection_publish_state (BeamConnectionLink  *link,
                                                    BeamConnectionState  state,
                                                    const GError        *error,
                                                    guint                attempts);

/* The node missed a call's deadline (answering FALSE, with why), or spoke
 * again (TRUE). */
void                _beam_connection_publish_answering (BeamConnectionLink *link,
                                                        gboolean            answering,
                                                        const GError       *why);

/* For the tests: drops the current socket as if the node had gone, to test
 * reconnecting. */
void                _beam_connection_drop          (BeamConnection      *self);

G_END_DECLS
