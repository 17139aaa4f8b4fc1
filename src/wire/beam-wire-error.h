/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Why talking to a node failed. Every message built with these codes names
 * the node or host, so the CLI can print it as its one line on stderr. */

#define BEAM_WIRE_ERROR (beam_wire_error_quark ())

typedef enum
{
  BEAM_WIRE_ERROR_BAD_NODE_NAME,     /* not of the form name@host */
  BEAM_WIRE_ERROR_HOST_UNKNOWN,      /* the host part does not resolve */
  BEAM_WIRE_ERROR_EPMD_UNREACHABLE,  /* nothing answers on the host's port 4369 */
  BEAM_WIRE_ERROR_NO_SUCH_NODE,      /* EPMD on the host does not know the name */
  BEAM_WIRE_ERROR_CONNECT_FAILED,    /* EPMD knows it, but its port refuses us */
  BEAM_WIRE_ERROR_COOKIE_REJECTED,   /* the distribution handshake was refused */
  BEAM_WIRE_ERROR_COOKIE_UNREADABLE, /* no cookie, or a cookie file erl would refuse */
  BEAM_WIRE_ERROR_TIMED_OUT,         /* our deadline passed: the node did not answer */
  BEAM_WIRE_ERROR_DISCONNECTED,      /* the connection went away under a request */
  BEAM_WIRE_ERROR_NOT_CONNECTED,     /* a request made while there is no connection */
  BEAM_WIRE_ERROR_BADRPC,            /* the call raised on the node */
  BEAM_WIRE_ERROR_BAD_REPLY,         /* the node answered something we cannot read */
  BEAM_WIRE_ERROR_REPLY_TOO_BIG,     /* an answer over the call's cap, refused unread */
  BEAM_WIRE_ERROR_HANDSHAKE_FAILED,  /* the node's port broke off or garbled the handshake */
  BEAM_WIRE_ERROR_NAMES_IN_USE,      /* every node name of our pool is taken on the node */
} BeamWireError;

GQuark beam_wire_error_quark (void);

G_END_DECLS
