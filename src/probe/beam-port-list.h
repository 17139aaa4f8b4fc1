/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "beam-connection.h"
#include "beam-term-printer.h"

G_BEGIN_DECLS

/* Every port of a node and every socket of the `socket` module, for the Ports
 * page and the CLI's `ports` (programs/ports.exprs, one bounded call): what
 * erlang:port_info/1,2 tells of a port, and for an inet port (tcp_inet,
 * udp_inet, sctp_inet) what inet:getstat/1, inet:peername/1, inet:sockname/1
 * and inet:getopts/2 tell, as observer_backend:get_port_list/0 gathers it,
 * without needing runtime_tools. Counts the node does not give are -1,
 * strings it does not give NULL. Strings live in the list's chunk. */

typedef struct
{
  const char  *id;              /* as Erlang prints it: #Port<0.5> */
  const char  *name;            /* the driver or command: "tcp_inet", "/bin/sh -s" */
  const char  *registered_name; /* the port's own, or NULL */
  const char  *connected;       /* the owner's pid, printed */
  const char  *connected_name;  /* its registered name, or NULL */
  const char **links;           /* pids and ports, printed; NULL-terminated */
  const char **monitors;        /* the processes monitoring it; NULL-terminated */
  gint64       os_pid;          /* -1 unless a spawned OS process */
  gint64       queue_size;      /* bytes queued in the driver */
  gint64       memory;          /* bytes */
  gint64       input;           /* bytes read */
  gint64       output;          /* bytes written */

  /* inet ports only, else NULL and -1 */
  const char  *protocol;        /* tcp, udp, sctp */
  const char  *local;           /* "127.0.0.1:4000", "[::1]:4000" */
  const char  *remote;          /* NULL for a listener or an unconnected socket */
  const char  *state;           /* "CONNECTED, OPEN", "LISTEN, OPEN": prim_inet:getstatus/1's
                                 * flags, upper case, in its order */
  gint64       recv_oct, recv_cnt, send_oct, send_cnt, send_pend;
  gint64       buffer, recbuf, sndbuf;
  const char  *active;          /* "true", "false", "once", or a count */
  int          nodelay;         /* 0, 1, or -1 when not a TCP option */
  gint64       send_timeout;    /* ms; -1 for infinity or not given */
} BeamPort;

typedef struct
{
  const char *id;               /* socket:to_list/1: "#Socket<...>" */
  const char *owner;            /* pid, printed */
  const char *owner_name;       /* its registered name, or NULL */
  const char *domain;           /* inet, inet6, local */
  const char *type;             /* stream, dgram, seqpacket, raw */
  const char *protocol;         /* tcp, udp, sctp, or NULL */
  const char *state;            /* socket:info/1's rstates and wstates, joined:
                                 * "bound, listening" */
  const char *local;            /* or NULL */
  const char *remote;           /* or NULL */
  gint64      read_byte, read_pkg, write_byte, write_pkg;  /* counters, -1 if absent */
} BeamSocket;

typedef struct
{
  const char *name;             /* a port name, as recon:port_types/0 groups them */
  gint64      count;
} BeamPortType;

typedef struct
{
  BeamPort     *ports;          /* in the node's order */
  guint         n_ports;
  BeamSocket   *sockets;
  guint         n_sockets;
  gboolean      has_sockets;    /* the node has the socket module (OTP 22+) */
  BeamPortType *types;          /* most ports first, as recon:port_types/0 */
  guint         n_types;
  gint64        port_limit;     /* erlang:system_info(port_limit) */
  gint64        port_count;     /* erlang:system_info(port_count): more than n_ports when the
                                 * list was cut at BEAM_PORT_LIST_MAX */
  GStringChunk *strings;
  GPtrArray    *arrays;         /* owns the links and monitors arrays */
} BeamPortList;

/* The node's ports and sockets: at most BEAM_PORT_LIST_MAX of each, chosen on
 * the node (a reply that claims more is refused before anything is built). */
#define BEAM_PORT_LIST_MAX 100000

void          beam_port_list_async   (BeamConnection      *connection,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data);
BeamPortList *beam_port_list_finish  (GAsyncResult        *result,
                                      GError             **error);
/* Spells the owners' registered names in `syntax` (beam_print_name). */
void          beam_port_list_respell (BeamPortList        *list,
                                      BeamSyntax           syntax);
void          beam_port_list_free    (BeamPortList        *list);
/* [{"id", "name", "connected", "os_pid", "queue_size", "memory", "input",
 *   "output"}] plus, for inet ports, {"protocol", "local", "remote", "state"}:
 * the CLI's `ports --json`. */
JsonNode     *beam_port_list_to_json (const BeamPortList  *list);

/* Closes one port (erlang:port_close/1), found by its printed id among the
 * node's ports (never made from user text). It changes the node: ask first,
 * and never with --read-only. Fails with G_IO_ERROR_NOT_FOUND when no port
 * has that id any more. */
void          beam_port_close_async  (BeamConnection      *connection,
                                      const char          *port_id,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data);
gboolean      beam_port_close_finish (GAsyncResult        *result,
                                      GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BeamPortList, beam_port_list_free)

G_END_DECLS
