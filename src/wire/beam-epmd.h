/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <netinet/in.h>

G_BEGIN_DECLS

/* EPMD, the port mapper every BEAM host runs on port 4369: which node names
 * are registered there, and on which port each one listens. */

#define BEAM_EPMD_DEFAULT_PORT 4369

typedef struct
{
  char  *name;  /* the alive part, without @host */
  guint  port;
} BeamEpmdEntry;

void       beam_epmd_entry_free      (BeamEpmdEntry *entry);

/* The NAMES request, blocking for at most timeout_ms. An array of
 * BeamEpmdEntry, sorted by name. Call it off the GTK thread or use _async. */
GPtrArray *beam_epmd_names           (const char    *host,
                                      guint          timeout_ms,
                                      GCancellable  *cancellable,
                                      GError       **error);
void       beam_epmd_names_async     (const char          *host,
                                      guint                timeout_ms,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data);
GPtrArray *beam_epmd_names_finish    (GAsyncResult  *result,
                                      GError       **error);

/* The host's first IPv4 address (ei speaks IPv4 only); HOST_UNKNOWN if none. */
gboolean   beam_epmd_resolve_host    (const char            *host,
                                      struct in_addr        *out_address,
                                      GError               **error);
/* NAMES at an address already resolved, until `deadline` (monotonic µs);
 * `host` only names it in messages. */
GPtrArray *beam_epmd_names_at        (const char            *host,
                                      const struct in_addr  *address,
                                      gint64                 deadline,
                                      GCancellable          *cancellable,
                                      GError               **error);
/* The port of `alive`, or 0 with NO_SUCH_NODE / EPMD_UNREACHABLE. */
guint      beam_epmd_port_please     (const char            *host,
                                      const struct in_addr  *address,
                                      const char            *alive,
                                      gint64                 deadline,
                                      GError               **error);

/* Splits "alive@host"; FALSE with BAD_NODE_NAME if it is not a node name. */
gboolean   beam_node_name_split      (const char    *node,
                                      char         **out_alive,
                                      char         **out_host,
                                      GError       **error);
/* A long name has a host with a dot in it (an FQDN or an IP address). */
gboolean   beam_node_name_is_long    (const char    *node);

G_END_DECLS
