/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What runs on the network thread. One per node, it owns the ei socket: it
 * polls the socket and an eventfd that the owner thread writes to when it
 * queues a request, so it is always reading and ticks are always answered (a
 * node drops a C-node that stops reading for net_ticktime). Each call gets
 * its own reply pid from ei_make_pid(), so replies are matched on the pid
 * they are addressed to and any number of calls run at once; rex has no
 * timeout, so every call carries a deadline that this thread enforces.
 *
 * Kept apart from beam-connection.c, the GObject, which this thread never
 * touches: results and state go back through that file's hand-overs. The
 * owner's side makes, queues to and wakes the link with functions from here
 * too, because only this file knows what a request holds. */

#define G_LOG_DOMAIN "beamscope-wire"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <netdb.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <unistd.h>

#include "beam-connection-private.h"
#include "beam-epmd.h"
#include "beam-term-printer.h"
#include "beam-wire-error.h"

#define DEFAULT_CALL_TIMEOUT_MS  10000
#define SOCKET_TIMEOUT_MS        5000   /* a single read or write inside a message */
#define DEFAULT_TICKTIME_S       60
#define BACKOFF_FIRST_MS         250
#define BACKOFF_MAX_MS           10000
#define LOST_AFTER_MS            60000  /* RECONNECTING becomes LOST after this long */
#define CANCEL_CHECK_US          (100 * 1000)
#define TICKTIME_QUERY_MS        2000
#define NAME_POOL_SIZE           8      /* node names Beamscope uses, per user */
#define DEFAULT_MAX_REPLY_BYTES  (8 * 1024 * 1024)
#define MAX_STREAM_MESSAGES      1000000  /* a counted call's announced messages, at most */
#define SMALL_FRAME_BYTES        (64 * 1024)  /* read at once, without looking who it is for */
#define FRAME_HEAD_BYTES         4096   /* enough for a frame's control message */
#define KEPT_BUFFER_BYTES        (1024 * 1024)  /* the receive buffer shrinks back to this */

/* What ei.h does not name: the distribution protocol's version byte and its
 * SEND_SENDER control messages (OTP 21). */
#define VERSION_MAGIC            131
#define DOP_SEND_SENDER          22
#define DOP_SEND_SENDER_TT       23

typedef struct
{
  GTask               *task;       /* NULL for the thread's own requests */
  BeamCall             call;       /* call.args owned here until sent */
  gint64               deadline;   /* monotonic µs */
  guint64              key;        /* the reply pid, as a hash key */
  erlang_pid           reply_pid;
  BeamTerm            *reply;      /* until_exit, counted: the rex reply, kept until the end */
  gint64               expected;   /* counted: stream messages the reply announced, or -1 */
  gint64               seen;       /* stream messages delivered so far */
} Request;

BeamConnectionLink *
_beam_connection_link_ref (BeamConnectionLink *link)
{
  g_atomic_ref_count_inc (&link->ref_count);
  return link;
}

static void
request_free (Request *request)
{
  g_clear_pointer (&request->call.args, beam_term_free);
  g_clear_pointer (&request->reply, beam_term_free);
  g_clear_object (&request->task);
  if (request->call.decode_data_free != NULL)
    request->call.decode_data_free (request->call.decode_data);
  g_free (request);
}

void
_beam_connection_link_unref (BeamConnectionLink *link)
{
  if (!g_atomic_ref_count_dec (&link->ref_count))
    return;

  g_assert (g_queue_is_empty (&link->queue));
  g_assert (g_queue_is_empty (&link->completions));
  g_mutex_clear (&link->mutex);
  if (link->wake_fd >= 0)
    close (link->wake_fd);
  g_weak_ref_clear (&link->owner);
  g_main_context_unref (link->owner_context);
  g_free (link->target_node);
  g_free (link->alive);
  g_free (link->host);
  if (link->cookie != NULL)
    memset (link->cookie, 0, strlen (link->cookie));
  g_free (link->cookie);
  g_free (link->local_node);
  g_free (link->node_name);
  g_free (link->pool_target);
  g_clear_pointer (&link->in_flight, g_hash_table_unref);
  g_free (link);
}

void
_beam_connection_link_wake (BeamConnectionLink *link)
{
  guint64 one = 1;

  if (write (link->wake_fd, &one, sizeof one) < 0 && errno != EAGAIN)
    g_warning ("Cannot wake the network thread: %s", g_strerror (errno));
}

static gint64
now_us (void)
{
  return g_get_monotonic_time ();
}

BeamConnectionLink *
_beam_connection_link_new (BeamConnection *owner,
                           const char     *target_node,
                           const char     *cookie)
{
  BeamConnectionLink *link = g_new0 (BeamConnectionLink, 1);

  g_atomic_ref_count_init (&link->ref_count);
  g_mutex_init (&link->mutex);
  g_queue_init (&link->queue);
  g_queue_init (&link->completions);
  link->wake_fd = eventfd (0, EFD_NONBLOCK | EFD_CLOEXEC);
  /* Without it no request would ever reach the network thread. */
  if (link->wake_fd < 0)
    g_error ("Cannot create an eventfd: %s", g_strerror (errno));
  link->owner_context = g_main_context_ref_thread_default ();
  g_weak_ref_init (&link->owner, owner);
  link->target_node = g_strdup (target_node);
  if (!beam_node_name_split (target_node, &link->alive, &link->host, NULL))
    {
      link->alive = g_strdup (target_node);
      link->host = g_strdup ("");
    }
  link->cookie = g_strdup (cookie);
  link->default_timeout_ms = DEFAULT_CALL_TIMEOUT_MS;
  link->connect_timeout_ms = SOCKET_TIMEOUT_MS;
  link->fd = -1;
  link->pool_index = -1;
  link->liveness_us = DEFAULT_TICKTIME_S * G_USEC_PER_SEC;
  link->in_flight = g_hash_table_new (g_int64_hash, g_int64_equal);
  return link;
}

void
_beam_connection_link_queue (BeamConnectionLink *link,
                             GTask              *task,
                             const BeamCall     *call)
{
  Request *request = g_new0 (Request, 1);

  request->task = task;
  request->call = *call;
  if (request->call.timeout_ms == 0)
    request->call.timeout_ms = link->default_timeout_ms;
  if (link->request_timeout_ms > 0)
    request->call.timeout_ms = link->request_timeout_ms + call->interval_ms;
  if (request->call.max_reply_bytes == 0)
    request->call.max_reply_bytes = DEFAULT_MAX_REPLY_BYTES;
  request->deadline = now_us () + (gint64) request->call.timeout_ms * 1000;
  request->expected = -1;

  g_mutex_lock (&link->mutex);
  g_queue_push_tail (&link->queue, request);
  g_mutex_unlock (&link->mutex);
  _beam_connection_link_wake (link);
}

/* ------------------------------------------------------------------------ */
/* Connecting                                                                */

/* A plain TCP connect, to tell a refused handshake from a refused port. */
static gboolean
port_accepts (const struct in_addr *addr,
              guint                 port,
              guint                 timeout_ms)
{
  struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons (port), .sin_addr = *addr };
  struct pollfd pfd;
  int fd = socket (AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  gboolean ok = FALSE;
  int err = 0;
  socklen_t err_len = sizeof err;

  if (fd < 0)
    return FALSE;
  if (connect (fd, (struct sockaddr *) &sa, sizeof sa) == 0)
    ok = TRUE;
  else if (errno == EINPROGRESS)
    {
      pfd.fd = fd;
      pfd.events = POLLOUT;
      if (poll (&pfd, 1, timeout_ms) == 1 &&
          getsockopt (fd, SOL_SOCKET, SO_ERROR, &err, &err_len) == 0 && err == 0)
        ok = TRUE;
    }
  close (fd);
  return ok;
}

static char *
make_local_host (const char *target_host,
                 gboolean    long_names)
{
  char hostname[256] = "";
  char *dot;

  if (gethostname (hostname, sizeof hostname - 1) != 0 || hostname[0] == '\0')
    g_strlcpy (hostname, "localhost", sizeof hostname);

  if (!long_names)
    {
      dot = strchr (hostname, '.');
      if (dot != NULL)
        *dot = '\0';
      return g_strdup (hostname);
    }

  /* A long name needs a dot in its host. The accepting node only splits our
   * name at '@', so any dotted host will do; prefer our own FQDN. */
  if (strchr (hostname, '.') != NULL)
    return g_strdup (hostname);
  if (g_str_has_prefix (target_host, "127.") || g_strcmp0 (target_host, "localhost") == 0)
    return g_strdup ("127.0.0.1");
  return g_strdup_printf ("%s.local", hostname);
}

static guint
ms_until (gint64 deadline)
{
  gint64 left = deadline - now_us ();

  return left <= 0 ? 0 : (guint) MIN ((left + 999) / 1000, G_MAXUINT);
}

static gboolean
timed_out (BeamConnectionLink *link,
           gint64              deadline,
           GError            **error)
{
  if (g_atomic_int_get (&link->quit))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Connection closed"));
      return TRUE;
    }
  if (ms_until (deadline) == 0)
    {
      g_set_error (error, BEAM_WIRE_ERROR, BEAM_WIRE_ERROR_TIMED_OUT,
                   _("Timed out after %u ms connecting to %s"), link->connect_timeout_ms,
                   link->target_node);
      return TRUE;
    }
  return FALSE;
}

/* What a node's port said to our name, the handshake's first step. */
typedef enum
{
  HANDSHAKE_NAME_ACCEPTED,   /* so a failure after it is the cookie's */
  HANDSHAKE_NAME_IN_USE,     /* a connection of that name is up, or being set up */
  HANDSHAKE_NOT_ALLOWED,     /* net_kernel:allow/1 leaves us out */
  HANDSHAKE_CLOSED,          /* closed before any status */
  HANDSHAKE_GARBAGE,         /* not the distribution protocol */
  HANDSHAKE_SILENT,          /* nothing within the time given */
} HandshakeStatus;

/* The flags OTP 25 requires of a peer, for a hidden node, in the 'N' name
 * message of OTP 23's handshake. */
#define DFLAGS_HIDDEN_25 (0x4 | 0x10 | 0x80 | 0x100 | 0x200 | 0x400 | 0x800 | 0x10000 | \
                          0x20000 | 0x40000 | 0x1000000)

static gboolean
read_fully (int     fd,
            guint8 *buf,
            gsize   len,
            gint64  deadline,
            gboolean *closed)
{
  gsize got = 0;

  *closed = FALSE;
  while (got < len)
    {
      struct pollfd pfd = { .fd = fd, .events = POLLIN };
      gssize n;

      if (poll (&pfd, 1, (int) ms_until (deadline)) <= 0)
        return FALSE;
      n = recv (fd, buf + got, len - got, MSG_DONTWAIT);
      if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR))
        {
          *closed = TRUE;
          return FALSE;
        }
      if (n > 0)
        got += (gsize) n;
    }
  return TRUE;
}

/* ei says only that a handshake failed: this goes as far as the node's
 * status on its own, once it has, to tell a wrong cookie from a name in use,
 * a node that refuses us, and a port that is no node's at all. */
static HandshakeStatus
handshake_status (const struct in_addr *addr,
                  guint                 port,
                  const char           *local_node,
                  guint                 timeout_ms)
{
  struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons (port), .sin_addr = *addr };
  gint64 deadline = now_us () + (gint64) timeout_ms * 1000;
  gsize name_len = strlen (local_node);
  g_autofree guint8 *message = g_malloc (2 + 15 + name_len);
  guint64 flags = DFLAGS_HIDDEN_25;
  guint8 head[2];
  guint8 status[16];
  gsize len;
  gboolean closed = FALSE;
  HandshakeStatus result = HANDSHAKE_SILENT;
  int fd;

  /* 'N', Flags:8, Creation:4, NameLength:2, Name */
  message[0] = (15 + name_len) >> 8;
  message[1] = (15 + name_len) & 0xff;
  message[2] = 'N';
  for (int k = 0; k < 8; k++)
    message[3 + k] = (flags >> (56 - 8 * k)) & 0xff;
  memset (message + 11, 0, 4);
  message[15] = name_len >> 8;
  message[16] = name_len & 0xff;
  memcpy (message + 17, local_node, name_len);

  fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return HANDSHAKE_SILENT;
  if (connect (fd, (struct sockaddr *) &sa, sizeof sa) != 0 ||
      send (fd, message, 17 + name_len, MSG_NOSIGNAL) != (gssize) (17 + name_len))
    result = HANDSHAKE_CLOSED;
  else if (!read_fully (fd, head, 2, deadline, &closed))
    result = closed ? HANDSHAKE_CLOSED : HANDSHAKE_SILENT;
  else if ((len = (gsize) head[0] << 8 | head[1]) < 2 || len > sizeof status)
    result = HANDSHAKE_GARBAGE;
  else if (!read_fully (fd, status, len, deadline, &closed))
    result = closed ? HANDSHAKE_GARBAGE : HANDSHAKE_SILENT;
  else if (status[0] != 's')
    result = HANDSHAKE_GARBAGE;
  else if ((len == 3 && memcmp (status + 1, "ok", 2) == 0) ||
           (len == 16 && memcmp (status + 1, "ok_simultaneous", 15) == 0))
    result = HANDSHAKE_NAME_ACCEPTED;
  else if (len == 6 && memcmp (status + 1, "alive", 5) == 0)
    result = HANDSHAKE_NAME_IN_USE;
  else if (len == 12 && memcmp (status + 1, "not_allowed", 11) == 0)
    result = HANDSHAKE_NOT_ALLOWED;
  else if (len == 4 && memcmp (status + 1, "nok", 3) == 0)
    result = HANDSHAKE_NAME_IN_USE;  /* a connection of that name being set up */
  else
    result = HANDSHAKE_GARBAGE;
  close (fd);
  return result;
}

/* Which names of the pool this process holds toward each node, and when it
 * last let one go there: a name just let go may still be in use on that node
 * for a moment, and ei is refused then as it is for a wrong cookie. Such
 * names are tried last, and only for them is a refusal taken for the
 * name's, not the cookie's. Counted per node, not per process: a name is in
 * use only on the node it is connected to, so 50 connections to 50 nodes
 * all take _0 (one atom on each node for the whole cluster), and a second
 * connection to one of them takes _1 at once, with no refused attempt.
 *
 * A node is told apart by its name and the address its EPMD is asked at, so
 * n1@localhost and n1@127.0.0.1 count as one node. Entries that hold nothing
 * and let go of nothing recently are dropped, so the table is as large as the
 * number of nodes we are connected to. */
#define NAME_RECENT_US (10 * G_USEC_PER_SEC)

typedef struct
{
  guint  held[NAME_POOL_SIZE];
  gint64 released[NAME_POOL_SIZE];
} PoolTarget;

static GMutex      pool_mutex;
static GHashTable *pool_by_target;  /* "alive@address" -> PoolTarget*, under pool_mutex */

static char *
pool_target_key (const char           *alive,
                 const struct in_addr *addr)
{
  char address[INET_ADDRSTRLEN] = "";

  inet_ntop (AF_INET, addr, address, sizeof address);
  return g_strdup_printf ("%s@%s", alive, address);
}

static gboolean
pool_target_is_idle (const PoolTarget *target,
                     gint64            now)
{
  for (guint k = 0; k < NAME_POOL_SIZE; k++)
    if (target->held[k] > 0 ||
        (target->released[k] != 0 && now - target->released[k] <= NAME_RECENT_US))
      return FALSE;
  return TRUE;
}

/* Under pool_mutex: the entry of `key`, made if `create`; idle entries of
 * other nodes are dropped on the way. */
static PoolTarget *
pool_lookup (const char *key,
             gint64      now,
             gboolean    create)
{
  PoolTarget *target;

  if (pool_by_target == NULL)
    pool_by_target = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  else
    {
      GHashTableIter iter;
      gpointer other_key, other;

      g_hash_table_iter_init (&iter, pool_by_target);
      while (g_hash_table_iter_next (&iter, &other_key, &other))
        if (!g_str_equal (other_key, key) && pool_target_is_idle (other, now))
          g_hash_table_iter_remove (&iter);
    }
  target = g_hash_table_lookup (pool_by_target, key);
  if (target == NULL && create)
    {
      target = g_new0 (PoolTarget, 1);
      g_hash_table_insert (pool_by_target, g_strdup (key), target);
    }
  return target;
}

static gboolean
pool_name_is_fresh (const char *key,
                    guint       k,
                    gint64      now)
{
  PoolTarget *target;
  gboolean fresh;

  g_mutex_lock (&pool_mutex);
  target = pool_lookup (key, now, FALSE);
  fresh = target == NULL ||
          (target->held[k] == 0 &&
           (target->released[k] == 0 || now - target->released[k] > NAME_RECENT_US));
  g_mutex_unlock (&pool_mutex);
  return fresh;
}

static void
pool_take (const char *key,
           guint       k)
{
  g_mutex_lock (&pool_mutex);
  pool_lookup (key, now_us (), TRUE)->held[k]++;
  g_mutex_unlock (&pool_mutex);
}

/* Closes the connection's socket, and lets its name go. */
static void
link_close_fd (BeamConnectionLink *link)
{
  if (link->fd >= 0)
    ei_close_connection (link->fd);
  link->fd = -1;
  if (link->pool_index >= 0)
    {
      gint64 now = now_us ();
      PoolTarget *target;

      g_mutex_lock (&pool_mutex);
      target = pool_lookup (link->pool_target, now, TRUE);
      if (target->held[link->pool_index] > 0)
        target->held[link->pool_index]--;
      target->released[link->pool_index] = now;
      g_mutex_unlock (&pool_mutex);
      link->pool_index = -1;
      g_clear_pointer (&link->pool_target, g_free);
    }
}

/* One attempt, within connect_timeout_ms from start to finish: the name
 * lookup, EPMD (on the same address we then connect to), the handshake. */
static int
link_connect (BeamConnectionLink *link,
              GError            **error)
{
  g_autofree char *local_host = NULL;
  g_autofree char *local_alive = NULL;
  g_autofree char *local_node = NULL;
  gint64 deadline = now_us () + (gint64) link->connect_timeout_ms * 1000;
  struct in_addr addr;
  guint port;
  int fd = -1;
  gboolean name_accepted = FALSE;
  guint order[NAME_POOL_SIZE];
  gboolean fresh[NAME_POOL_SIZE];
  guint n_order = 0;
  guint k = 0;
  gint64 start = now_us ();
  gboolean excused = FALSE;
  g_autofree char *pool_key = NULL;

  if (!beam_epmd_resolve_host (link->host, &addr, error) || timed_out (link, deadline, error))
    return -1;
  port = beam_epmd_port_please (link->host, &addr, link->alive, deadline, error);
  if (port == 0 || timed_out (link, deadline, error))
    return -1;

  /* Every node name a node ever sees becomes an atom there, and atoms are
   * never collected: so the names come from a small pool, the same for
   * every run, and no number of runs or reconnects costs the node more than
   * NAME_POOL_SIZE atoms. ei refuses a name still in use (another
   * Beamscope, or our previous connection the node has not yet noticed is
   * gone) as it refuses a wrong cookie: handshake_status() tells which, and
   * only a name in use sends us on to the next name. A name the node
   * accepts means the cookie was refused: we stop there, so a wrong cookie
   * costs the node one rejected attempt (and one line in its log), not one
   * per name. Names this process holds toward this node, or has just let
   * go of there, are tried last. Telling costs the node one more atom,
   * ever: beamscope_UID_probe. */
  local_host = make_local_host (link->host, beam_node_name_is_long (link->target_node));
  pool_key = pool_target_key (link->alive, &addr);
  for (guint i = 0; i < NAME_POOL_SIZE; i++)
    if ((fresh[i] = pool_name_is_fresh (pool_key, i, start)))
      order[n_order++] = i;
  for (guint i = 0; i < NAME_POOL_SIZE; i++)
    if (!fresh[i])
      order[n_order++] = i;
  for (guint o = 0; o < NAME_POOL_SIZE; o++)
    {
      HandshakeStatus status;

      k = order[o];

      g_free (local_alive);
      g_free (local_node);
      local_alive = g_strdup_printf ("beamscope_%u_%u", (guint) getuid (), k);
      local_node = g_strdup_printf ("%s@%s", local_alive, local_host);

      if (ei_connect_xinit (&link->ec, local_host, local_alive, local_node, &addr, link->cookie,
                            (unsigned) g_random_int_range (1, G_MAXINT32)) < 0)
        {
          g_set_error (error, BEAM_WIRE_ERROR, BEAM_WIRE_ERROR_CONNECT_FAILED,
                       _("Cannot set up the local node %s"), local_node);
          return -1;
        }

      /* ei applies its timeout to each step of the handshake, not to the
       * whole: what is left of ours is the best bound we can give it. */
      fd = ei_xconnect_host_port_tmo (&link->ec, &addr, (int) port, MAX (1, ms_until (deadline)));
      if (fd >= 0)
        break;
      if (erl_errno == ETIMEDOUT || ms_until (deadline) == 0)
        {
          g_set_error (error, BEAM_WIRE_ERROR, BEAM_WIRE_ERROR_TIMED_OUT,
                       _("Timed out: %s is not answering: it did not complete the "
                         "handshake within %u ms"),
                       link->target_node, link->connect_timeout_ms);
          return -1;
        }
      if (!port_accepts (&addr, port, MIN (ms_until (deadline), 1000)))
        {
          g_set_error (error, BEAM_WIRE_ERROR, BEAM_WIRE_ERROR_CONNECT_FAILED,
                       _("%s is registered with EPMD on port %u, but that port refuses "
                         "connections"),
                       link->target_node, port);
          return -1;
        }
      if (g_atomic_int_get (&link->quit))
        return -1;

      status = handshake_status (&addr, port, local_node, MIN (MAX (ms_until (deadline), 1), 2000));
      /* A name of ours let go of just now may have been in use when ei
       * tried it, and free when we asked: the name's, not the cookie's,
       * once (a wrong cookie with only such names left costs two). */
      if (status == HANDSHAKE_NAME_ACCEPTED && !fresh[k] && !excused)
        {
          excused = TRUE;
          status = HANDSHAKE_NAME_IN_USE;
        }
      /* OTP 25 closes on a name connected already, without a status: if
       * a name no Beamscope keeps connected is answered, ours is in use. */
      if (status == HANDSHAKE_CLOSED)
        {
          g_autofree char *probe_node = g_strdup_printf ("beamscope_%u_probe@%s",
                                                         (guint) getuid (), local_host);
          guint probe_ms = MIN (MAX (ms_until (deadline), 1), 2000);

          if (handshake_status (&addr, port, probe_node, probe_ms) == HANDSHAKE_NAME_ACCEPTED)
            status = HANDSHAKE_NAME_IN_USE;
        }
      switch (status)
        {
        case HANDSHAKE_NAME_IN_USE:
          continue;  /* the next name of the pool */
        case HANDSHAKE_NAME_ACCEPTED:
          /* The cookie. (Or, rarely, a name the node let go of between ei's
           * attempt and ours: the next attempt, by the user or the
           * reconnect loop, gets it. Trying the next name instead would
           * cost the node another rejection for every wrong cookie.) */
          name_accepted = TRUE;
          break;
        case HANDSHAKE_NOT_ALLOWED:
          g_set_error (error, BEAM_WIRE_ERROR, BEAM_WIRE_ERROR_COOKIE_REJECTED,
                       _("%s refused the handshake: it allows only some nodes to connect "
                         "(net_kernel:allow/1)"), link->target_node);
          return -1;
        case HANDSHAKE_CLOSED:
          g_set_error (error, BEAM_WIRE_ERROR, BEAM_WIRE_ERROR_HANDSHAKE_FAILED,
                       _("The handshake with %s failed: its port %u closed the connection "
                         "before answering our name"), link->target_node, port);
          return -1;
        case HANDSHAKE_GARBAGE:
          g_set_error (error, BEAM_WIRE_ERROR, BEAM_WIRE_ERROR_HANDSHAKE_FAILED,
                       _("The handshake with %s failed: its port %u does not speak the Erlang "
                         "distribution protocol"), link->target_node, port);
          return -1;
        case HANDSHAKE_SILENT:
        default:
          g_set_error (error, BEAM_WIRE_ERROR, BEAM_WIRE_ERROR_HANDSHAKE_FAILED,
                       _("The handshake with %s failed: its port %u did not answer our name"),
                       link->target_node, port);
          return -1;
        }
      if (name_accepted)
        break;
    }
  if (fd < 0 && (name_accepted || excused))
    {
      g_set_error (error, BEAM_WIRE_ERROR, BEAM_WIRE_ERROR_COOKIE_REJECTED,
                   _("%s refused the handshake: the cookie is wrong"), link->target_node);
      return -1;
    }
  if (fd < 0)
    {
      g_set_error (error, BEAM_WIRE_ERROR, BEAM_WIRE_ERROR_NAMES_IN_USE,
                   g_dngettext (NULL,
                                "%s is already connected to %u Beamscope of this user, every "
                                "node name Beamscope may use (beamscope_%u_0 to _%u): close "
                                "one, or wait for the node to notice that one has gone",
                                "%s is already connected to %u Beamscopes of this user, every "
                                "node name Beamscope may use (beamscope_%u_0 to _%u): close "
                                "one, or wait for the node to notice that one has gone",
                                NAME_POOL_SIZE),
                   link->target_node, NAME_POOL_SIZE, (guint) getuid (), NAME_POOL_SIZE - 1);
      return -1;
    }

  g_free (link->local_node);
  link->local_node = g_steal_pointer (&local_node);
  pool_take (pool_key, k);
  link->pool_index = (int) k;
  link->pool_target = g_steal_pointer (&pool_key);

  return fd;
}

/* ------------------------------------------------------------------------ */
/* Serving                                                                   */

static guint64
pid_key (const erlang_pid *pid)
{
  return ((guint64) pid->serial << 32) | pid->num;
}

static void
fail_request (BeamConnectionLink *link,
              Request            *request,
              GError             *error)
{
  _beam_connection_complete_task (link, &request->task, NULL, NULL, error);
  request_free (request);
}

static void
fail_all (BeamConnectionLink *link,
          GHashTable         *requests,
          int                 code,
          const char         *message)
{
  GHashTableIter iter;
  Request *request;

  g_hash_table_iter_init (&iter, requests);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &request))
    {
      g_hash_table_iter_steal (&iter);
      fail_request (link, request, g_error_new_literal (BEAM_WIRE_ERROR, code, message));
    }
}

static gboolean
send_request (BeamConnectionLink *link,
              Request            *request,
              GError            **error)
{
  g_autoptr(GError) local_error = NULL;
  ei_x_buff x;
  gboolean ok;

  ei_make_pid (&link->ec, &request->reply_pid);
  request->key = pid_key (&request->reply_pid);

  /* {ReplyPid, {call, M, F, Args, user}}: the tuple ei_rpc_to sends, but from
   * a pid of our own so the reply can be told apart from the others. */
  ei_x_new_with_version (&x);
  ei_x_encode_tuple_header (&x, 2);
  ei_x_encode_pid (&x, &request->reply_pid);
  ei_x_encode_tuple_header (&x, 5);
  ei_x_encode_atom (&x, "call");
  ei_x_encode_atom (&x, request->call.module);
  ei_x_encode_atom (&x, request->call.function);
  if (request->call.args != NULL)
    ok = beam_term_encode (request->call.args, &x, &request->reply_pid, &local_error);
  else
    ok = ei_x_encode_empty_list (&x) == 0;
  ei_x_encode_atom (&x, "user");

  if (!ok)
    {
      ei_x_free (&x);
      /* Not a connection failure: only this call fails. */
      fail_request (link, request,
                    g_error_new (BEAM_WIRE_ERROR, BEAM_WIRE_ERROR_BAD_REPLY,
                                 _("Cannot encode the arguments of %s:%s: %s"),
                                 request->call.module, request->call.function,
                                 local_error ? local_error->message : "?"));
      return TRUE;
    }

  if (ei_send_reg_encoded_tmo (link->fd, &request->reply_pid, "rex", x.buff, x.index,
                               SOCKET_TIMEOUT_MS) < 0)
    {
      ei_x_free (&x);
      g_set_error (error, BEAM_WIRE_ERROR, BEAM_WIRE_ERROR_DISCONNECTED,
                   _("Lost the connection to %s while sending"), link->target_node);
      fail_request (link, request,
                    g_error_new (BEAM_WIRE_ERROR, BEAM_WIRE_ERROR_DISCONNECTED,
                                 _("Lost the connection to %s"), link->target_node));
      return FALSE;
    }
  ei_x_free (&x);

  g_clear_pointer (&request->call.args, beam_term_free);
  g_hash_table_insert (link->in_flight, &request->key, request);
  link->next_scan = MIN (link->next_scan, MIN (request->deadline, now_us () + CANCEL_CHECK_US));
  return TRUE;
}

static void
finish_with_reply (BeamConnectionLink *link,
                   Request            *request,
                   BeamTerm           *reply)
{
  GError *error = NULL;
  gpointer result;
  const BeamTerm *reason;

  g_hash_table_steal (link->in_flight, &request->key);

  if ((reason = beam_term_tagged (reply, "badrpc", 2)) != NULL)
    {
      BeamPrintOptions options = { BEAM_SYNTAX_ERLANG, link->target_node, 6, 8 };
      g_autofree char *text = beam_term_print (reason->children[1], &options);

      error = g_error_new (BEAM_WIRE_ERROR, BEAM_WIRE_ERROR_BADRPC,
                           _("%s:%s failed on %s: %s"), request->call.module,
                           request->call.function, link->target_node, text);
      beam_term_free (reply);
      fail_request (link, request, error);
      return;
    }

  if (request->call.decode == NULL)
    {
      _beam_connection_complete_task (link, &request->task, reply,
                                      (GDestroyNotify) beam_term_free, NULL);
      request_free (request);
      return;
    }

  result = request->call.decode (reply, request->call.decode_data, &error);
  beam_term_free (reply);
  if (result == NULL && error == NULL)
    error = g_error_new (BEAM_WIRE_ERROR, BEAM_WIRE_ERROR_BAD_REPLY,
                         _("Unexpected reply to %s:%s from %s"), request->call.module,
                         request->call.function, link->target_node);
  _beam_connection_complete_task (link, &request->task, result, request->call.result_free, error);
  request_free (request);
}

/* Returns the index just after `{rex, ` if the message is a rex reply. */
static gboolean
is_rex_reply (const char *buf,
              int         len,
              int        *index)
{
  int i = 0, version, arity, type, size;
  char atom[MAXATOMLEN];

  /* ei's decoders take no length: the smallest {rex, _} header, version +
   * SMALL_TUPLE_EXT + SMALL_ATOM_UTF8_EXT "rex", must be there before we look. */
  if (len < 1 + 2 + 2 + 3 + 1)
    return FALSE;
  if (ei_decode_version (buf, &i, &version) < 0 ||
      ei_decode_tuple_header (buf, &i, &arity) < 0 || arity != 2 ||
      ei_get_type (buf, &i, &type, &size) < 0 || type != ERL_ATOM_EXT || size != 3 ||
      ei_decode_atom (buf, &i, atom) < 0 || strcmp (atom, "rex") != 0)
    return FALSE;
  *index = i;
  return TRUE;
}

/* The N of a counted call: the reply itself, or the value of erl_eval's
 * {value, N, Bindings}. */
static gboolean
reply_count (const BeamTerm *reply,
             gint64         *count)
{
  if (beam_term_tagged (reply, "value", 3) != NULL)
    reply = reply->children[1];
  return beam_term_get_int64 (reply, count);
}

static void
dispatch_message (BeamConnectionLink *link,
                  erlang_msg         *msg,
                  ei_x_buff          *x)
{
  guint64 key = pid_key (&msg->to);
  Request *request = g_hash_table_lookup (link->in_flight, &key);
  int index;

  if (request == NULL)
    return;  /* a late reply to a call that timed out, or a stray message */

  switch (msg->msgtype)
    {
    case ERL_SEND:
      if (is_rex_reply (x->buff, x->index, &index))
        {
          g_autoptr(GError) error = NULL;
          BeamTerm *reply = beam_term_decode_at_len (x->buff, x->index, &index, &error);

          if (reply == NULL)
            {
              g_hash_table_steal (link->in_flight, &request->key);
              fail_request (link, request,
                            g_error_new (BEAM_WIRE_ERROR, BEAM_WIRE_ERROR_BAD_REPLY,
                                         _("Cannot read the reply to %s:%s: %s"),
                                         request->call.module, request->call.function,
                                         error->message));
            }
          else if (request->reply != NULL)
            {
              /* rex answers once: a second answer is not rex's, and the first,
               * still waiting for its stream, must not be lost with it. */
              beam_term_free (reply);
              g_hash_table_steal (link->in_flight, &request->key);
              fail_request (link, request,
                            g_error_new (BEAM_WIRE_ERROR, BEAM_WIRE_ERROR_BAD_REPLY,
                                         _("Unexpected reply from the node: %s answered "
                                           "%s:%s twice"),
                                         link->target_node, request->call.module,
                                         request->call.function));
            }
          else if (request->call.until_exit)
            request->reply = reply;
          else if (request->call.counted && reply_count (reply, &request->expected) &&
                   (request->expected < 0 || request->expected > MAX_STREAM_MESSAGES))
            {
              /* No program of ours streams that many: waiting for them would
               * only end at the deadline. */
              beam_term_free (reply);
              g_hash_table_steal (link->in_flight, &request->key);
              fail_request (link, request,
                            g_error_new (BEAM_WIRE_ERROR, BEAM_WIRE_ERROR_BAD_REPLY,
                                         g_dngettext (NULL,
                                                      "Unexpected reply from the node: %s "
                                                      "announced %lld message for %s:%s",
                                                      "Unexpected reply from the node: %s "
                                                      "announced %lld messages for %s:%s",
                                                      (gulong) request->expected),
                                         link->target_node, (long long) request->expected,
                                         request->call.module, request->call.function));
            }
          else if (request->call.counted && request->expected >= 0 &&
                   request->seen < request->expected)
            request->reply = reply;  /* more messages to come, from other senders */
          else
            finish_with_reply (link, request, reply);
        }
      else if (request->call.on_message != NULL)
        {
          if (request->call.stream_idle_ms > 0)
            request->deadline = now_us () + (gint64) request->call.stream_idle_ms * 1000;
          request->call.on_message (x->buff, x->index, request->call.stream_data);
          request->seen++;
          if (request->reply != NULL && request->expected >= 0 &&
              request->seen >= request->expected)
            finish_with_reply (link, request, g_steal_pointer (&request->reply));
        }
      break;

    case ERL_EXIT:
    case ERL_EXIT2:
      if (request->call.until_exit)
        {
          BeamTerm *reply = request->reply != NULL ? g_steal_pointer (&request->reply)
                                                   : beam_term_new_atom ("ok");
          finish_with_reply (link, request, reply);
        }
      break;

    default:
      break;
    }
}

/* Fails calls past their deadline or cancelled, and says when to look again:
 * at the earliest deadline left, and within 100 ms while any call is in
 * flight, to notice cancellations. A scan walks every call, so it runs at
 * those times only, not once per message. */
static gint64
expire_requests (BeamConnectionLink *link,
                 gint64              now)
{
  GHashTableIter iter;
  Request *request;
  gint64 next = G_MAXINT64;

  g_hash_table_iter_init (&iter, link->in_flight);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &request))
    {
      GError *error = NULL;

      if (request->task != NULL && g_task_get_cancellable (request->task) != NULL &&
          g_cancellable_is_cancelled (g_task_get_cancellable (request->task)))
        error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Cancelled"));
      else if (now >= request->deadline)
        error = g_error_new (BEAM_WIRE_ERROR, BEAM_WIRE_ERROR_TIMED_OUT,
                             _("Timed out: %s is not answering (it did not answer %s:%s "
                               "within %u ms)"),
                             link->target_node, request->call.module, request->call.function,
                             request->call.timeout_ms);
      if (error != NULL && error->domain == BEAM_WIRE_ERROR && link->answering)
        {
          /* The first missed deadline says so at once; the connection is
           * declared gone only after a whole net_ticktime of silence. */
          link->answering = FALSE;
          _beam_connection_publish_answering (link, FALSE, error);
        }
      if (error != NULL)
        {
          g_hash_table_iter_steal (&iter);
          fail_request (link, request, error);
        }
      else
        next = MIN (next, MIN (request->deadline, now + CANCEL_CHECK_US));
    }
  return next;
}

static void
drain_wake_fd (BeamConnectionLink *link)
{
  guint64 value;

  while (read (link->wake_fd, &value, sizeof value) > 0)
    ;
}

/* Sends what the owner queued; FALSE if the connection broke. */
static gboolean
send_queued (BeamConnectionLink *link,
             GError            **error)
{
  for (;;)
    {
      Request *request;

      g_mutex_lock (&link->mutex);
      request = g_queue_pop_head (&link->queue);
      g_mutex_unlock (&link->mutex);
      if (request == NULL)
        return TRUE;
      if (!send_request (link, request, error))
        return FALSE;
    }
}

/* ------------------------------------------------------------------------ */
/* A frame's size, checked before it is read                                 */

/* Peeks at the first `want` bytes of the next frame without taking them, as
 * ei reads a whole frame into memory: FALSE if they did not come in time or
 * the connection ended (ei then reads and reports it). */
static gboolean
peek_bytes (int     fd,
            guint8 *buf,
            gsize   want)
{
  gint64 deadline = now_us () + SOCKET_TIMEOUT_MS * 1000;

  for (;;)
    {
      gssize n = recv (fd, buf, want, MSG_PEEK | MSG_DONTWAIT);
      struct pollfd pfd = { .fd = fd, .events = POLLIN };

      if (n == (gssize) want)
        return TRUE;
      if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR) || now_us () >= deadline)
        return FALSE;
      /* Part of it is there: poll would say readable at once, so wait a little. */
      if (n > 0)
        g_usleep (1000);
      else
        poll (&pfd, 1, (int) ms_until (deadline));
    }
}

/* The length of an atom's encoding at buf[i], or 0 if it is none or does not
 * fit in n bytes. */
static gsize
atom_span (const guint8 *buf,
           gsize         i,
           gsize         n)
{
  gsize len;

  if (i + 2 > n)
    return 0;
  switch (buf[i])
    {
    case ERL_SMALL_ATOM_EXT:
    case ERL_SMALL_ATOM_UTF8_EXT:
      len = 2 + buf[i + 1];
      break;
    case ERL_ATOM_EXT:
    case ERL_ATOM_UTF8_EXT:
      if (i + 3 > n)
        return 0;
      len = 3 + ((gsize) buf[i + 1] << 8 | buf[i + 2]);
      break;
    default:
      return 0;
    }
  return i + len <= n ? len : 0;
}

/* The length of a pid's encoding at buf[i], or 0. */
static gsize
pid_span (const guint8 *buf,
          gsize         i,
          gsize         n)
{
  gsize node;
  gsize tail;

  if (i + 1 > n || (buf[i] != ERL_PID_EXT && buf[i] != ERL_NEW_PID_EXT))
    return 0;
  node = atom_span (buf, i + 1, n);
  tail = buf[i] == ERL_NEW_PID_EXT ? 12 : 9;
  return node > 0 && i + 1 + node + tail <= n ? 1 + node + tail : 0;
}

/* The request a frame's head (the 4-byte length, then the pass-through byte
 * and the control message) is addressed to, by the pid the control message
 * names; NULL for any other frame. Reads only within the n bytes peeked. */
static Request *
frame_request (BeamConnectionLink *link,
               const guint8       *buf,
               gsize               n)
{
  gsize i = 4;
  gsize span;
  int index = 0;
  erlang_pid to;
  guint64 key;
  guint tag;

  /* 'p', version, a small tuple, its small-integer tag */
  if (n < i + 6 || buf[i] != 'p' || buf[i + 1] != VERSION_MAGIC ||
      buf[i + 2] != ERL_SMALL_TUPLE_EXT || buf[i + 4] != ERL_SMALL_INTEGER_EXT)
    return NULL;
  tag = buf[i + 5];
  i += 6;
  switch (tag)
    {
    case ERL_SEND:
    case ERL_SEND_TT:
      span = atom_span (buf, i, n);  /* the unused cookie, '' */
      break;
    case DOP_SEND_SENDER:
    case DOP_SEND_SENDER_TT:
      span = pid_span (buf, i, n);   /* the sender */
      break;
    default:
      return NULL;
    }
  if (span == 0 || pid_span (buf, i + span, n) == 0)
    return NULL;
  if (ei_decode_pid ((const char *) buf + i + span, &index, &to) < 0)
    return NULL;
  key = pid_key (&to);
  return g_hash_table_lookup (link->in_flight, &key);
}

/* Reads past one piece of a refused frame, as much as has arrived; FALSE
 * if the connection broke. */
static gboolean
skip_piece (BeamConnectionLink *link)
{
  guint8 chunk[64 * 1024];
  gssize n = recv (link->fd, chunk, MIN (link->skip_left, sizeof chunk), MSG_DONTWAIT);

  if (n > 0)
    link->skip_left -= (gsize) n;
  else if (n == 0 || (errno != EAGAIN && errno != EINTR))
    return FALSE;
  return TRUE;
}

static char *
format_megabytes (gsize bytes)
{
  return g_strdup_printf ("%.1f", bytes / (1024.0 * 1024.0));
}

/* Before ei reads the next frame whole: if it is bigger than the call it
 * answers may take (or than any message may be when it answers no call), it
 * is read past in bounded pieces, one per turn of the loop, and the call
 * fails at once. TRUE if the frame was refused so, with *broken set if the
 * connection broke meanwhile. */
static gboolean
refuse_big_frame (BeamConnectionLink *link,
                  gboolean           *broken)
{
  guint8 head[FRAME_HEAD_BYTES];
  Request *request;
  gsize len;
  gsize cap;

  *broken = FALSE;
  if (!peek_bytes (link->fd, head, 4))
    return FALSE;
  len = (gsize) head[0] << 24 | (gsize) head[1] << 16 | (gsize) head[2] << 8 | head[3];
  if (len <= SMALL_FRAME_BYTES)
    return FALSE;
  if (!peek_bytes (link->fd, head, sizeof head))
    return FALSE;

  request = frame_request (link, head, sizeof head);
  cap = request != NULL ? request->call.max_reply_bytes : DEFAULT_MAX_REPLY_BYTES;
  if (len <= cap)
    return FALSE;

  /* Read past in pieces by receive_one, the call failed now. */
  link->skip_left = 4 + len;
  if (!skip_piece (link))
    *broken = TRUE;
  if (request != NULL)
    {
      g_autofree char *size = format_megabytes (len);
      g_autofree char *limit = format_megabytes (cap);

      g_hash_table_steal (link->in_flight, &request->key);
      fail_request (link, request,
                    g_error_new (BEAM_WIRE_ERROR, BEAM_WIRE_ERROR_REPLY_TOO_BIG,
                                 _("The node's answer to %s:%s is %s MB, more than the %s MB "
                                   "this question may take"),
                                 request->call.module, request->call.function, size, limit));
    }
  return TRUE;
}

/* One message, ticks and ei's internal control messages skipped. */
static int
receive_one (BeamConnectionLink *link,
             erlang_msg         *msg,
             ei_x_buff          *x)
{
  gboolean broken;
  int rc;

  msg->msgtype = -1;
  x->index = 0;
  if (link->skip_left > 0)
    return skip_piece (link) ? ERL_TICK : ERL_ERROR;
  if (refuse_big_frame (link, &broken))
    return broken ? ERL_ERROR : ERL_TICK;
  /* A big frame grew the buffer: it need not stay that big. */
  if (x->buffsz > KEPT_BUFFER_BYTES)
    {
      ei_x_free (x);
      ei_x_new (x);
    }
  rc = ei_xreceive_msg_tmo (link->fd, msg, x, SOCKET_TIMEOUT_MS);
  if (rc == ERL_ERROR && erl_errno == EIO && msg->msgtype >= 9 && msg->msgtype <= 11)
    return ERL_TICK;  /* MONITOR_P & co: ei cannot parse them, the stream is still in sync */
  return rc;
}

/* Asks rex for module:function() with no arguments, for each of the n
 * questions at once, before the connection is published: waits at most
 * TICKTIME_QUERY_MS for all of them, reading only what has arrived.
 * replies[i] is the answer to questions[i], or NULL if none came in time;
 * FALSE if the connection broke meanwhile. */
static gboolean
ask_before_serving (BeamConnectionLink  *link,
                    const char * const   questions[][2],
                    guint                n,
                    BeamTerm           **replies)
{
  erlang_pid pids[4];
  ei_x_buff x;
  erlang_msg msg;
  gint64 deadline = now_us () + TICKTIME_QUERY_MS * 1000;
  gboolean alive = TRUE;
  guint answered = 0;

  g_assert (n <= G_N_ELEMENTS (pids));
  ei_x_new (&x);
  for (guint i = 0; i < n && alive; i++)
    {
      replies[i] = NULL;
      ei_make_pid (&link->ec, &pids[i]);
      x.index = 0;
      ei_x_encode_version (&x);
      ei_x_encode_tuple_header (&x, 2);
      ei_x_encode_pid (&x, &pids[i]);
      ei_x_encode_tuple_header (&x, 5);
      ei_x_encode_atom (&x, "call");
      ei_x_encode_atom (&x, questions[i][0]);
      ei_x_encode_atom (&x, questions[i][1]);
      ei_x_encode_empty_list (&x);
      ei_x_encode_atom (&x, "user");
      if (ei_send_reg_encoded_tmo (link->fd, &pids[i], "rex", x.buff, x.index,
                                   SOCKET_TIMEOUT_MS) != 0)
        alive = FALSE;
    }
  while (alive && answered < n && !g_atomic_int_get (&link->quit))
    {
      struct pollfd pfd = { .fd = link->fd, .events = POLLIN };
      gint64 left_ms = (deadline - now_us ()) / 1000;
      int index;
      int rc;

      if (left_ms <= 0 || poll (&pfd, 1, (int) left_ms) <= 0)
        break;  /* no answer in time */
      rc = receive_one (link, &msg, &x);
      if (rc == ERL_TICK)
        continue;
      if (rc != ERL_MSG)
        {
          alive = FALSE;
          break;
        }
      if (msg.msgtype != ERL_SEND || !is_rex_reply (x.buff, x.index, &index))
        continue;
      for (guint i = 0; i < n; i++)
        if (replies[i] == NULL && pid_key (&msg.to) == pid_key (&pids[i]))
          {
            replies[i] = beam_term_decode_at_len (x.buff, x.index, &index, NULL);
            answered++;
            break;
          }
    }
  ei_x_free (&x);
  return alive;
}

/* Asks the node its net_ticktime, so that we know how long a silence means
 * it is gone (a stopped node sends nothing, not even ticks), and its own
 * name: the one typed may be name@localhost, or an address, where the node
 * calls itself name@itshost. FALSE if the connection broke meanwhile. */
static gboolean
learn_ticktime_and_name (BeamConnectionLink *link)
{
  static const char * const questions[][2] = {
    { "net_kernel", "get_net_ticktime" },
    { "erlang", "node" },
  };
  BeamTerm *replies[G_N_ELEMENTS (questions)] = { NULL };
  const BeamTerm *ticktime;
  const BeamTerm *name;
  const BeamTerm *changing;
  gint64 seconds = DEFAULT_TICKTIME_S;
  gboolean alive = ask_before_serving (link, questions, G_N_ELEMENTS (questions), replies);

  ticktime = replies[0];
  name = replies[1];
  if ((changing = beam_term_tagged (ticktime, "ongoing_change_to", 2)) != NULL)
    beam_term_get_int64 (changing->children[1], &seconds);
  else if (ticktime != NULL)
    beam_term_get_int64 (ticktime, &seconds);

  /* The node writes to a quiet hidden peer every ticktime/4; after a whole
   * ticktime of silence it would drop us itself. */
  link->liveness_us = (CLAMP (seconds, 1, 3600) * 1000 + 2000) * (gint64) 1000;

  g_clear_pointer (&link->node_name, g_free);
  /* Untrusted like all it says: kept only if it reads as a node name. */
  if (name != NULL && name->kind == BEAM_TERM_ATOM &&
      beam_node_name_split (name->v.atom.name, NULL, NULL, NULL) &&
      g_utf8_validate (name->v.atom.name, -1, NULL))
    link->node_name = g_strdup (name->v.atom.name);

  for (guint i = 0; i < G_N_ELEMENTS (replies); i++)
    g_clear_pointer (&replies[i], beam_term_free);
  return alive;
}

/* Serves one live connection until it breaks or we are told to stop. */
static void
serve (BeamConnectionLink *link,
       GError            **error)
{
  ei_x_buff x;
  erlang_msg msg;

  ei_x_new (&x);
  link->last_read = now_us ();
  link->next_scan = G_MAXINT64;

  while (!g_atomic_int_get (&link->quit))
    {
      struct pollfd fds[2] = {
        { .fd = link->fd, .events = POLLIN },
        { .fd = link->wake_fd, .events = POLLIN },
      };
      gint64 now = now_us ();
      gint64 wait_until = MIN (link->next_scan, link->last_read + link->liveness_us);
      int timeout_ms;

      timeout_ms = (int) CLAMP ((wait_until - now + 999) / 1000, 0, 1000);

      if (poll (fds, 2, timeout_ms) < 0 && errno != EINTR)
        {
          g_set_error (error, BEAM_WIRE_ERROR, BEAM_WIRE_ERROR_DISCONNECTED,
                       /* Translators: poll is a system call; %s is the system's error. */
                       _("poll: %s"), g_strerror (errno));
          break;
        }

      if (g_atomic_int_get (&link->drop))
        {
          g_atomic_int_set (&link->drop, FALSE);
          g_set_error (error, BEAM_WIRE_ERROR, BEAM_WIRE_ERROR_DISCONNECTED,
                       _("Dropped the connection to %s"), link->target_node);
          break;
        }

      if (fds[1].revents & POLLIN)
        {
          drain_wake_fd (link);
          if (!send_queued (link, error))
            break;
        }

      if (fds[0].revents & (POLLIN | POLLHUP | POLLERR))
        {
          int rc = receive_one (link, &msg, &x);

          if (rc == ERL_ERROR)
            {
              g_set_error (error, BEAM_WIRE_ERROR, BEAM_WIRE_ERROR_DISCONNECTED,
                           _("The connection to %s was closed"), link->target_node);
              break;
            }
          link->last_read = now_us ();
          if (rc == ERL_MSG && !link->answering)
            {
              /* Any message, a late reply included, says the node runs
               * again; ticks do not (a busy node's ticker may still tick). */
              link->answering = TRUE;
              _beam_connection_publish_answering (link, TRUE, NULL);
            }
          if (rc == ERL_MSG)
            dispatch_message (link, &msg, &x);
        }

      now = now_us ();
      if (now - link->last_read > link->liveness_us)
        {
          g_set_error (error, BEAM_WIRE_ERROR, BEAM_WIRE_ERROR_TIMED_OUT,
                       _("Timed out: %s stopped answering, nothing heard for %lld s"),
                       link->target_node, (long long) ((now - link->last_read) / G_USEC_PER_SEC));
          break;
        }
      if (now >= link->next_scan)
        link->next_scan = expire_requests (link, now);
    }

  ei_x_free (&x);
}

/* Fails whatever the owner queued while there is no connection. */
static void
refuse_queued (BeamConnectionLink *link)
{
  for (;;)
    {
      Request *request;

      g_mutex_lock (&link->mutex);
      request = g_queue_pop_head (&link->queue);
      g_mutex_unlock (&link->mutex);
      if (request == NULL)
        return;
      fail_request (link, request,
                    g_error_new (BEAM_WIRE_ERROR, BEAM_WIRE_ERROR_NOT_CONNECTED,
                                 _("Not connected to %s"), link->target_node));
    }
}

/* Sleeps up to `ms`, waking early for quit, retry-now or queued requests. */
static void
wait_interruptibly (BeamConnectionLink *link,
                    guint               ms)
{
  gint64 until = now_us () + (gint64) ms * 1000;

  while (!g_atomic_int_get (&link->quit) && !g_atomic_int_get (&link->retry_now))
    {
      struct pollfd pfd = { .fd = link->wake_fd, .events = POLLIN };
      gint64 left = until - now_us ();

      if (left <= 0)
        break;
      if (poll (&pfd, 1, (int) MIN ((left + 999) / 1000, 1000)) > 0)
        {
          drain_wake_fd (link);
          refuse_queued (link);
        }
    }
  g_atomic_int_set (&link->retry_now, FALSE);
}

/* link_connect() and then what must come before the first call. */
static gboolean
connect_and_prepare (BeamConnectionLink *link,
                     GError            **error)
{
  link->skip_left = 0;   /* a new connection starts at a frame */
  link->fd = link_connect (link, error);
  if (link->fd < 0)
    return FALSE;
  if (!learn_ticktime_and_name (link))
    {
      link_close_fd (link);
      g_set_error (error, BEAM_WIRE_ERROR, BEAM_WIRE_ERROR_DISCONNECTED,
                   _("%s closed the connection right after the handshake"), link->target_node);
      return FALSE;
    }
  link->answering = TRUE;
  /* A drop asked for while there was no connection is not for this one. */
  g_atomic_int_set (&link->drop, FALSE);
  return TRUE;
}

static void
run_network_thread (BeamConnectionLink *link)
{
  g_autoptr(GError) error = NULL;
  guint attempts = 0;
  guint backoff_ms = BACKOFF_FIRST_MS;
  gint64 lost_since = 0;

  if (!connect_and_prepare (link, &error))
    {
      _beam_connection_publish_state (link, BEAM_CONNECTION_STATE_DISCONNECTED, error, 0);
      return;
    }

  for (;;)
    {
      _beam_connection_publish_state (link, BEAM_CONNECTION_STATE_CONNECTED, NULL, 0);
      attempts = 0;
      backoff_ms = BACKOFF_FIRST_MS;

      g_clear_error (&error);
      serve (link, &error);
      link_close_fd (link);
      fail_all (link, link->in_flight, BEAM_WIRE_ERROR_DISCONNECTED,
                error != NULL ? error->message : _("Disconnected"));
      refuse_queued (link);

      if (g_atomic_int_get (&link->quit))
        break;

      lost_since = now_us ();
      g_debug ("Lost %s: %s", link->target_node, error ? error->message : "");

      /* Reconnect with back-off, forever: a node that restarts is picked up
       * again; after LOST_AFTER_MS the UI says the node is lost. */
      while (!g_atomic_int_get (&link->quit))
        {
          BeamConnectionState state = now_us () - lost_since > LOST_AFTER_MS * 1000
                                      ? BEAM_CONNECTION_STATE_LOST
                                      : BEAM_CONNECTION_STATE_RECONNECTING;
          _beam_connection_publish_state (link, state, error, attempts);
          wait_interruptibly (link, backoff_ms);
          if (g_atomic_int_get (&link->quit))
            break;
          attempts++;
          g_clear_error (&error);
          if (connect_and_prepare (link, &error))
            break;
          backoff_ms = MIN (backoff_ms * 2, BACKOFF_MAX_MS);
        }

      if (link->fd < 0)
        break;
    }

  _beam_connection_publish_state (link, BEAM_CONNECTION_STATE_DISCONNECTED, NULL, 0);
}

/* The thread owns one reference to the link and drops it as it ends. Nobody
 * joins it: beam_connection_close() only asks it to stop, so the GTK thread
 * never waits on a socket call in progress (up to SOCKET_TIMEOUT_MS). */
gpointer
_beam_connection_link_thread (gpointer data)
{
  BeamConnectionLink *link = data;

  run_network_thread (link);
  link_close_fd (link);
  /* Whatever the owner queued as we were leaving still gets its answer. */
  refuse_queued (link);
  _beam_connection_link_unref (link);
  return NULL;
}
