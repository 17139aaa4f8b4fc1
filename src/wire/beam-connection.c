/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The network thread. One per node, it owns the ei socket: it polls the socket
 * and an eventfd that the GTK thread writes to when it queues a request, so it
 * is always reading and ticks are always answered (a node drops a C-node that
 * stops reading for net_ticktime). Each call gets its own reply pid from
 * ei_make_pid(), so replies are matched on the pid they are addressed to and
 * any number of calls run at once; rex has no timeout, so every call carries
 * a deadline that this thread enforces.
 *
 * Lifetimes: every GTask is created, completed and released on the owner's
 * thread (completions are handed over as idle sources on the owner's
 * context: never g_main_context_invoke(), which runs the function right
 * there when nobody holds the context, as in the CLI and the tests), so the
 * connection object is never finalized on the network thread. The thread
 * reaches the object only through a GWeakRef, to publish state changes. */

#define G_LOG_DOMAIN "beamscope-wire"

#include "config.h"

#include <ei.h>
#include <errno.h>
#include <glib/gi18n.h>
#include <netdb.h>
#include <poll.h>
#include <signal.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <unistd.h>

#include "beam-connection.h"
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

G_DEFINE_QUARK (beam-wire-error-quark, beam_wire_error)

G_DEFINE_ENUM_TYPE (BeamConnectionState, beam_connection_state,
  G_DEFINE_ENUM_VALUE (BEAM_CONNECTION_STATE_DISCONNECTED, "disconnected"),
  G_DEFINE_ENUM_VALUE (BEAM_CONNECTION_STATE_CONNECTING, "connecting"),
  G_DEFINE_ENUM_VALUE (BEAM_CONNECTION_STATE_CONNECTED, "connected"),
  G_DEFINE_ENUM_VALUE (BEAM_CONNECTION_STATE_RECONNECTING, "reconnecting"),
  G_DEFINE_ENUM_VALUE (BEAM_CONNECTION_STATE_LOST, "lost"))

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

/* What the owner thread and the network thread share. */
typedef struct
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
  GTask           *connect_task;       /* touched on the owner thread only */
  char            *local_node;         /* network thread only; copied to the owner on CONNECTED */

  /* network thread only */
  ei_cnode         ec;
  int              fd;
  GHashTable      *in_flight;          /* key -> Request* */
  gint64           last_read;
  gint64           liveness_us;
  gint64           next_scan;          /* when expire_requests() is next due */
} Link;

struct _BeamConnection
{
  GObject              parent_instance;
  Link                *link;
  GThread             *thread;
  gboolean             started;
  GCancellable        *connect_cancellable;
  gulong               connect_cancelled_id;
  BeamConnectionState  state;
  GError              *last_error;
  guint                reconnect_attempts;
  char                *local_node;
};

G_DEFINE_FINAL_TYPE (BeamConnection, beam_connection, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_TARGET_NODE,
  PROP_LOCAL_NODE,
  PROP_STATE,
  PROP_RECONNECT_ATTEMPTS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static Link *
link_ref (Link *link)
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
  g_free (request);
}

static void
link_unref (Link *link)
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
  g_clear_pointer (&link->in_flight, g_hash_table_unref);
  g_free (link);
}

static void
link_wake (Link *link)
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

/* ------------------------------------------------------------------------ */
/* Hand-overs to the owner thread                                            */

/* Queues func on the owner's context; it never runs on the calling thread. */
static void
run_on_owner (Link        *link,
              GSourceFunc  func,
              gpointer     data)
{
  GSource *source = g_idle_source_new ();

  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, func, data, NULL);
  g_source_set_static_name (source, "[beamscope] network thread hand-over");
  g_source_attach (source, link->owner_context);
  g_source_unref (source);
}

typedef struct
{
  GTask          *task;
  gpointer        result;
  GDestroyNotify  result_free;
  GError         *error;
} Completion;

static void
completion_return (Completion *completion)
{
  if (completion->error != NULL)
    g_task_return_error (completion->task, completion->error);
  else
    g_task_return_pointer (completion->task, completion->result, completion->result_free);
  g_object_unref (completion->task);
  g_free (completion);
}

/* Runs on the owner thread: returns every completion queued so far. One idle
 * serves a whole burst, so 1000 replies cost one main-loop wake-up, not 1000. */
static gboolean
drain_completions_on_owner (gpointer data)
{
  Link *link = data;
  GQueue batch = G_QUEUE_INIT;
  Completion *completion;

  g_mutex_lock (&link->mutex);
  batch = link->completions;
  g_queue_init (&link->completions);
  link->completions_scheduled = FALSE;
  g_mutex_unlock (&link->mutex);

  while ((completion = g_queue_pop_head (&batch)) != NULL)
    completion_return (completion);

  link_unref (link);
  return G_SOURCE_REMOVE;
}

/* Takes `result` or `error`; consumes *task. */
static void
complete_task (Link           *link,
               GTask         **task,
               gpointer        result,
               GDestroyNotify  result_free,
               GError         *error)
{
  Completion *completion;
  gboolean schedule;

  if (*task == NULL)
    {
      if (result != NULL && result_free != NULL)
        result_free (result);
      g_clear_error (&error);
      return;
    }

  completion = g_new0 (Completion, 1);
  completion->task = g_steal_pointer (task);
  completion->result = result;
  completion->result_free = result_free;
  completion->error = error;

  g_mutex_lock (&link->mutex);
  g_queue_push_tail (&link->completions, completion);
  schedule = !link->completions_scheduled;
  link->completions_scheduled = TRUE;
  g_mutex_unlock (&link->mutex);

  if (schedule)
    run_on_owner (link, drain_completions_on_owner, link_ref (link));
}

typedef struct
{
  Link                *link;
  BeamConnectionState  state;
  GError              *error;
  guint                attempts;
  char                *local_node;
} StateChange;

static void beam_connection_set_state (BeamConnection      *self,
                                       BeamConnectionState  state,
                                       const GError        *error,
                                       guint                attempts,
                                       char                *local_node);

static gboolean
publish_state_on_owner (gpointer data)
{
  StateChange *change = data;
  g_autoptr(BeamConnection) self = g_weak_ref_get (&change->link->owner);

  /* After close() the owner has said DISCONNECTED; the thread's last words
   * on its way out change nothing. */
  if (self != NULL && !g_atomic_int_get (&change->link->quit))
    beam_connection_set_state (self, change->state, change->error, change->attempts,
                               g_steal_pointer (&change->local_node));

  g_clear_error (&change->error);
  g_free (change->local_node);
  link_unref (change->link);
  g_free (change);
  return G_SOURCE_REMOVE;
}

static void
publish_state (Link                *link,
               BeamConnectionState  state,
               const GError        *error,
               guint                attempts)
{
  StateChange *change = g_new0 (StateChange, 1);

  change->link = link_ref (link);
  change->state = state;
  change->error = error != NULL ? g_error_copy (error) : NULL;
  change->attempts = attempts;
  if (state == BEAM_CONNECTION_STATE_CONNECTED)
    change->local_node = g_strdup (link->local_node);
  run_on_owner (link, publish_state_on_owner, change);
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
timed_out (Link    *link,
           gint64   deadline,
           GError **error)
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

/* One attempt, within connect_timeout_ms from start to finish: the name
 * lookup, EPMD (on the same address we then connect to), the handshake. */
static int
link_connect (Link    *link,
              GError **error)
{
  g_autofree char *local_host = NULL;
  g_autofree char *local_alive = NULL;
  g_autofree char *local_node = NULL;
  gint64 deadline = now_us () + (gint64) link->connect_timeout_ms * 1000;
  struct in_addr addr;
  guint port;
  int fd = -1;

  if (!beam_epmd_resolve_host (link->host, &addr, error) || timed_out (link, deadline, error))
    return -1;
  port = beam_epmd_port_please (link->host, &addr, link->alive, deadline, error);
  if (port == 0 || timed_out (link, deadline, error))
    return -1;

  /* Every node name a node ever sees becomes an atom there, and atoms are
   * never collected: so the names come from a small pool, the same for
   * every run, and no number of runs or reconnects costs the node more than
   * NAME_POOL_SIZE atoms. A name still in use (another Beamscope, or our
   * previous connection the node has not yet noticed is gone) is refused
   * like a wrong cookie; the next name is then tried. */
  local_host = make_local_host (link->host, beam_node_name_is_long (link->target_node));
  for (guint k = 0; k < NAME_POOL_SIZE; k++)
    {
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
                       _("Timed out: %s did not complete the handshake within %u ms"), link->target_node,
                       link->connect_timeout_ms);
          return -1;
        }
      if (!port_accepts (&addr, port, MIN (ms_until (deadline), 1000)))
        {
          g_set_error (error, BEAM_WIRE_ERROR, BEAM_WIRE_ERROR_CONNECT_FAILED,
                       _("%s is registered with EPMD on port %u, but that port refuses connections"),
                       link->target_node, port);
          return -1;
        }
      if (g_atomic_int_get (&link->quit))
        return -1;
    }
  if (fd < 0)
    {
      g_set_error (error, BEAM_WIRE_ERROR, BEAM_WIRE_ERROR_COOKIE_REJECTED,
                   _("%s refused the handshake: the cookie is wrong (or the node allows only some "
                     "nodes to connect, or %u Beamscopes are connected to it already)"),
                   link->target_node, NAME_POOL_SIZE);
      return -1;
    }

  g_free (link->local_node);
  link->local_node = g_steal_pointer (&local_node);

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
fail_request (Link    *link,
              Request *request,
              GError  *error)
{
  complete_task (link, &request->task, NULL, NULL, error);
  request_free (request);
}

static void
fail_all (Link       *link,
          GHashTable *requests,
          int         code,
          const char *message)
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
send_request (Link     *link,
              Request  *request,
              GError  **error)
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
finish_with_reply (Link     *link,
                   Request  *request,
                   BeamTerm *reply)
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
      complete_task (link, &request->task, reply, (GDestroyNotify) beam_term_free, NULL);
      request_free (request);
      return;
    }

  result = request->call.decode (reply, request->call.decode_data, &error);
  beam_term_free (reply);
  if (result == NULL && error == NULL)
    error = g_error_new (BEAM_WIRE_ERROR, BEAM_WIRE_ERROR_BAD_REPLY,
                         _("Unexpected reply to %s:%s from %s"), request->call.module,
                         request->call.function, link->target_node);
  complete_task (link, &request->task, result, request->call.result_free, error);
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
dispatch_message (Link        *link,
                  erlang_msg  *msg,
                  ei_x_buff   *x)
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
          else if (request->call.until_exit)
            {
              g_clear_pointer (&request->reply, beam_term_free);
              request->reply = reply;
            }
          else if (request->call.counted && reply_count (reply, &request->expected) &&
                   request->seen < request->expected)
            request->reply = reply;  /* more messages to come, from other senders */
          else
            finish_with_reply (link, request, reply);
        }
      else if (request->call.on_message != NULL)
        {
          request->call.on_message (x->buff, x->index, request->call.stream_data);
          request->seen++;
          if (request->reply != NULL && request->expected >= 0 && request->seen >= request->expected)
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
expire_requests (Link   *link,
                 gint64  now)
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
                             _("Timed out: %s did not answer %s:%s within %u ms"), link->target_node,
                             request->call.module, request->call.function,
                             request->call.timeout_ms);
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
drain_wake_fd (Link *link)
{
  guint64 value;

  while (read (link->wake_fd, &value, sizeof value) > 0)
    ;
}

/* Sends what the owner queued; FALSE if the connection broke. */
static gboolean
send_queued (Link    *link,
             GError **error)
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

/* One message, ticks and ei's internal control messages skipped. */
static int
receive_one (Link       *link,
             erlang_msg *msg,
             ei_x_buff  *x)
{
  int rc;

  msg->msgtype = -1;
  x->index = 0;
  rc = ei_xreceive_msg_tmo (link->fd, msg, x, SOCKET_TIMEOUT_MS);
  if (rc == ERL_ERROR && erl_errno == EIO && msg->msgtype >= 9 && msg->msgtype <= 11)
    return ERL_TICK;  /* MONITOR_P & co: ei cannot parse them, the stream is still in sync */
  return rc;
}

/* Asks the node its net_ticktime, so that we know how long a silence means
 * it is gone (a stopped node sends nothing, not even ticks). Waits at most
 * TICKTIME_QUERY_MS, reading only what has arrived; FALSE if the connection
 * broke meanwhile. */
static gboolean
learn_ticktime (Link *link)
{
  erlang_pid pid;
  ei_x_buff x;
  erlang_msg msg;
  gint64 deadline = now_us () + TICKTIME_QUERY_MS * 1000;
  gint64 seconds = DEFAULT_TICKTIME_S;
  gboolean alive = TRUE;

  ei_make_pid (&link->ec, &pid);
  ei_x_new_with_version (&x);
  ei_x_encode_tuple_header (&x, 2);
  ei_x_encode_pid (&x, &pid);
  ei_x_encode_tuple_header (&x, 5);
  ei_x_encode_atom (&x, "call");
  ei_x_encode_atom (&x, "net_kernel");
  ei_x_encode_atom (&x, "get_net_ticktime");
  ei_x_encode_empty_list (&x);
  ei_x_encode_atom (&x, "user");
  if (ei_send_reg_encoded_tmo (link->fd, &pid, "rex", x.buff, x.index, SOCKET_TIMEOUT_MS) != 0)
    alive = FALSE;
  while (alive && !g_atomic_int_get (&link->quit))
    {
      struct pollfd pfd = { .fd = link->fd, .events = POLLIN };
      gint64 left_ms = (deadline - now_us ()) / 1000;
      int index;
      int rc;

      if (left_ms <= 0 || poll (&pfd, 1, (int) left_ms) <= 0)
        break;  /* no answer in time: keep the default */
      rc = receive_one (link, &msg, &x);
      if (rc == ERL_TICK)
        continue;
      if (rc != ERL_MSG)
        {
          alive = FALSE;
          break;
        }
      if (msg.msgtype == ERL_SEND && pid_key (&msg.to) == pid_key (&pid) &&
          is_rex_reply (x.buff, x.index, &index))
        {
          g_autoptr(BeamTerm) reply = beam_term_decode_at_len (x.buff, x.index, &index, NULL);
          const BeamTerm *changing = beam_term_tagged (reply, "ongoing_change_to", 2);

          if (changing != NULL)
            beam_term_get_int64 (changing->children[1], &seconds);
          else if (reply != NULL)
            beam_term_get_int64 (reply, &seconds);
          break;
        }
    }
  ei_x_free (&x);

  /* The node writes to a quiet hidden peer every ticktime/4; after a whole
   * ticktime of silence it would drop us itself. */
  link->liveness_us = (CLAMP (seconds, 1, 3600) * 1000 + 2000) * (gint64) 1000;
  return alive;
}

/* Serves one live connection until it breaks or we are told to stop. */
static void
serve (Link    *link,
       GError **error)
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
                       "poll: %s", g_strerror (errno));
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
          if (rc == ERL_MSG)
            dispatch_message (link, &msg, &x);
        }

      now = now_us ();
      if (now - link->last_read > link->liveness_us)
        {
          g_set_error (error, BEAM_WIRE_ERROR, BEAM_WIRE_ERROR_TIMED_OUT,
                       _("Timed out: %s stopped answering, nothing heard for %lld s"), link->target_node,
                       (long long) ((now - link->last_read) / G_USEC_PER_SEC));
          break;
        }
      if (now >= link->next_scan)
        link->next_scan = expire_requests (link, now);
    }

  ei_x_free (&x);
}

/* Fails whatever the owner queued while there is no connection. */
static void
refuse_queued (Link *link)
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
wait_interruptibly (Link  *link,
                    guint  ms)
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
connect_and_prepare (Link    *link,
                     GError **error)
{
  link->fd = link_connect (link, error);
  if (link->fd < 0)
    return FALSE;
  if (!learn_ticktime (link))
    {
      ei_close_connection (link->fd);
      link->fd = -1;
      g_set_error (error, BEAM_WIRE_ERROR, BEAM_WIRE_ERROR_DISCONNECTED,
                   _("%s closed the connection right after the handshake"), link->target_node);
      return FALSE;
    }
  /* A drop asked for while there was no connection is not for this one. */
  g_atomic_int_set (&link->drop, FALSE);
  return TRUE;
}

static void
run_network_thread (Link *link)
{
  g_autoptr(GError) error = NULL;
  guint attempts = 0;
  guint backoff_ms = BACKOFF_FIRST_MS;
  gint64 lost_since = 0;

  if (!connect_and_prepare (link, &error))
    {
      publish_state (link, BEAM_CONNECTION_STATE_DISCONNECTED, error, 0);
      return;
    }

  for (;;)
    {
      publish_state (link, BEAM_CONNECTION_STATE_CONNECTED, NULL, 0);
      attempts = 0;
      backoff_ms = BACKOFF_FIRST_MS;

      g_clear_error (&error);
      serve (link, &error);
      ei_close_connection (link->fd);
      link->fd = -1;
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
          publish_state (link, state, error, attempts);
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

  publish_state (link, BEAM_CONNECTION_STATE_DISCONNECTED, NULL, 0);
}

/* The thread owns one reference to the link and drops it as it ends. Nobody
 * joins it: beam_connection_close() only asks it to stop, so the GTK thread
 * never waits on a socket call in progress (up to SOCKET_TIMEOUT_MS). */
static gpointer
network_thread (gpointer data)
{
  Link *link = data;

  run_network_thread (link);
  if (link->fd >= 0)
    ei_close_connection (link->fd);
  link->fd = -1;
  /* Whatever the owner queued as we were leaving still gets its answer. */
  refuse_queued (link);
  link_unref (link);
  return NULL;
}

/* ------------------------------------------------------------------------ */
/* The GObject                                                               */

static void
forget_connect_cancellable (BeamConnection *self)
{
  if (self->connect_cancellable != NULL)
    g_clear_signal_handler (&self->connect_cancelled_id, self->connect_cancellable);
  g_clear_object (&self->connect_cancellable);
}

/* Takes local_node. */
static void
beam_connection_set_state (BeamConnection      *self,
                           BeamConnectionState  state,
                           const GError        *error,
                           guint                attempts,
                           char                *local_node)
{
  GTask *connect_task = g_steal_pointer (&self->link->connect_task);

  g_clear_error (&self->last_error);
  if (error != NULL)
    self->last_error = g_error_copy (error);

  if (self->reconnect_attempts != attempts)
    {
      self->reconnect_attempts = attempts;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RECONNECT_ATTEMPTS]);
    }

  if (self->state != state)
    {
      self->state = state;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
    }

  if (local_node != NULL)
    {
      g_free (self->local_node);
      self->local_node = local_node;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOCAL_NODE]);
    }

  if (connect_task != NULL)
    {
      forget_connect_cancellable (self);
      if (state == BEAM_CONNECTION_STATE_CONNECTED)
        g_task_return_boolean (connect_task, TRUE);
      else
        g_task_return_error (connect_task,
                             error != NULL ? g_error_copy (error)
                                           : g_error_new (BEAM_WIRE_ERROR, BEAM_WIRE_ERROR_DISCONNECTED,
                                                          _("Could not connect to %s"),
                                                          self->link->target_node));
      g_object_unref (connect_task);
    }
}

static void
beam_connection_dispose (GObject *object)
{
  BeamConnection *self = BEAM_CONNECTION (object);

  beam_connection_close (self);
  forget_connect_cancellable (self);

  G_OBJECT_CLASS (beam_connection_parent_class)->dispose (object);
}

static void
beam_connection_finalize (GObject *object)
{
  BeamConnection *self = BEAM_CONNECTION (object);

  g_clear_error (&self->last_error);
  g_free (self->local_node);
  g_clear_pointer (&self->link, link_unref);

  G_OBJECT_CLASS (beam_connection_parent_class)->finalize (object);
}

static void
beam_connection_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  BeamConnection *self = BEAM_CONNECTION (object);

  switch (prop_id)
    {
    case PROP_TARGET_NODE:
      g_value_set_string (value, self->link->target_node);
      break;
    case PROP_LOCAL_NODE:
      g_value_set_string (value, beam_connection_get_local_node (self));
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_RECONNECT_ATTEMPTS:
      g_value_set_uint (value, self->reconnect_attempts);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
beam_connection_class_init (BeamConnectionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = beam_connection_dispose;
  object_class->finalize = beam_connection_finalize;
  object_class->get_property = beam_connection_get_property;

  properties[PROP_TARGET_NODE] =
    g_param_spec_string ("target-node", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOCAL_NODE] =
    g_param_spec_string ("local-node", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, BEAM_TYPE_CONNECTION_STATE,
                       BEAM_CONNECTION_STATE_DISCONNECTED,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_RECONNECT_ATTEMPTS] =
    g_param_spec_uint ("reconnect-attempts", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
beam_connection_init (BeamConnection *self G_GNUC_UNUSED)
{
}

gboolean
beam_connection_init_process (GError **error)
{
  static gsize initialised;
  static int status;

  if (g_once_init_enter (&initialised))
    {
      signal (SIGPIPE, SIG_IGN);
      status = ei_init ();
      g_once_init_leave (&initialised, 1);
    }
  if (status != 0)
    {
      g_set_error (error, BEAM_WIRE_ERROR, BEAM_WIRE_ERROR_CONNECT_FAILED,
                   _("Cannot initialise erl_interface: %s"), g_strerror (status));
      return FALSE;
    }
  return TRUE;
}

BeamConnection *
beam_connection_new (const char *target_node,
                     const char *cookie)
{
  BeamConnection *self;
  Link *link;

  g_return_val_if_fail (target_node != NULL, NULL);
  g_return_val_if_fail (cookie != NULL, NULL);

  self = g_object_new (BEAM_TYPE_CONNECTION, NULL);
  link = g_new0 (Link, 1);
  g_atomic_ref_count_init (&link->ref_count);
  g_mutex_init (&link->mutex);
  g_queue_init (&link->queue);
  g_queue_init (&link->completions);
  link->wake_fd = eventfd (0, EFD_NONBLOCK | EFD_CLOEXEC);
  /* Without it no request would ever reach the network thread. */
  if (link->wake_fd < 0)
    g_error ("Cannot create an eventfd: %s", g_strerror (errno));
  link->owner_context = g_main_context_ref_thread_default ();
  g_weak_ref_init (&link->owner, self);
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
  link->liveness_us = DEFAULT_TICKTIME_S * G_USEC_PER_SEC;
  link->in_flight = g_hash_table_new (g_int64_hash, g_int64_equal);
  self->link = link;

  return self;
}

const char *
beam_connection_get_target_node (BeamConnection *self)
{
  g_return_val_if_fail (BEAM_IS_CONNECTION (self), NULL);
  return self->link->target_node;
}

const char *
beam_connection_get_local_node (BeamConnection *self)
{
  g_return_val_if_fail (BEAM_IS_CONNECTION (self), NULL);
  return self->local_node;
}

BeamConnectionState
beam_connection_get_state (BeamConnection *self)
{
  g_return_val_if_fail (BEAM_IS_CONNECTION (self), BEAM_CONNECTION_STATE_DISCONNECTED);
  return self->state;
}

const GError *
beam_connection_get_last_error (BeamConnection *self)
{
  g_return_val_if_fail (BEAM_IS_CONNECTION (self), NULL);
  return self->last_error;
}

guint
beam_connection_get_reconnect_attempts (BeamConnection *self)
{
  g_return_val_if_fail (BEAM_IS_CONNECTION (self), 0);
  return self->reconnect_attempts;
}

void
beam_connection_set_default_timeout (BeamConnection *self,
                                     guint           timeout_ms)
{
  g_return_if_fail (BEAM_IS_CONNECTION (self));
  g_return_if_fail (timeout_ms > 0);
  self->link->default_timeout_ms = timeout_ms;
}

void
beam_connection_connect_async (BeamConnection      *self,
                               guint                timeout_ms,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (BEAM_IS_CONNECTION (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, beam_connection_connect_async);

  /* One connection, one thread, one attempt: a new attempt is a new object. */
  if (self->started)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING,
                               _("This connection to %s was already started"), self->link->target_node);
      return;
    }
  if (!beam_node_name_split (self->link->target_node, NULL, NULL, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (timeout_ms > 0)
    self->link->connect_timeout_ms = timeout_ms;
  /* Cancelling the attempt closes the connection (on the thread that
   * cancels, which must be this one, as for every call on this object). */
  if (cancellable != NULL)
    {
      if (g_cancellable_is_cancelled (cancellable))
        {
          g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Cancelled"));
          return;
        }
      self->connect_cancelled_id = g_signal_connect_object (cancellable, "cancelled",
                                                            G_CALLBACK (beam_connection_close),
                                                            self, G_CONNECT_SWAPPED);
      g_set_object (&self->connect_cancellable, cancellable);
    }
  self->started = TRUE;
  self->link->connect_task = g_steal_pointer (&task);
  self->state = BEAM_CONNECTION_STATE_CONNECTING;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
  self->thread = g_thread_new ("beam-network", network_thread, link_ref (self->link));
}

gboolean
beam_connection_connect_finish (BeamConnection  *self,
                                GAsyncResult    *result,
                                GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
beam_connection_close (BeamConnection *self)
{
  GThread *thread;

  g_return_if_fail (BEAM_IS_CONNECTION (self));

  thread = g_steal_pointer (&self->thread);
  if (thread == NULL)
    return;

  g_atomic_int_set (&self->link->quit, TRUE);
  link_wake (self->link);
  g_thread_unref (thread);

  forget_connect_cancellable (self);
  if (self->link->connect_task != NULL)
    {
      GTask *task = g_steal_pointer (&self->link->connect_task);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Connection closed"));
      g_object_unref (task);
    }
  if (self->state != BEAM_CONNECTION_STATE_DISCONNECTED)
    {
      self->state = BEAM_CONNECTION_STATE_DISCONNECTED;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
    }
}

void
beam_connection_drop (BeamConnection *self)
{
  g_return_if_fail (BEAM_IS_CONNECTION (self));
  g_atomic_int_set (&self->link->drop, TRUE);
  link_wake (self->link);
}

void
beam_connection_retry_now (BeamConnection *self)
{
  g_return_if_fail (BEAM_IS_CONNECTION (self));
  g_atomic_int_set (&self->link->retry_now, TRUE);
  link_wake (self->link);
}

void
beam_connection_call_async (BeamConnection      *self,
                            const BeamCall      *call,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Request *request;

  g_return_if_fail (BEAM_IS_CONNECTION (self));
  g_return_if_fail (call != NULL && call->module != NULL && call->function != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, beam_connection_call_async);

  if (self->thread == NULL || self->state != BEAM_CONNECTION_STATE_CONNECTED)
    {
      if (call->args != NULL)
        beam_term_free (call->args);
      g_task_return_new_error (task, BEAM_WIRE_ERROR, BEAM_WIRE_ERROR_NOT_CONNECTED,
                               _("Not connected to %s"), self->link->target_node);
      return;
    }

  request = g_new0 (Request, 1);
  request->task = g_steal_pointer (&task);
  request->call = *call;
  if (request->call.timeout_ms == 0)
    request->call.timeout_ms = self->link->default_timeout_ms;
  request->deadline = now_us () + (gint64) request->call.timeout_ms * 1000;
  request->expected = -1;

  g_mutex_lock (&self->link->mutex);
  g_queue_push_tail (&self->link->queue, request);
  g_mutex_unlock (&self->link->mutex);
  link_wake (self->link);
}

gpointer
beam_connection_call_finish (BeamConnection  *self,
                             GAsyncResult    *result,
                             GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
beam_connection_rpc_async (BeamConnection      *self,
                           const char          *module,
                           const char          *function,
                           BeamTerm            *args,
                           guint                timeout_ms,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  BeamCall call = {
    .module = module,
    .function = function,
    .args = args,
    .timeout_ms = timeout_ms,
  };

  beam_connection_call_async (self, &call, cancellable, callback, user_data);
}

BeamTerm *
beam_connection_rpc_finish (BeamConnection  *self,
                            GAsyncResult    *result,
                            GError         **error)
{
  return beam_connection_call_finish (self, result, error);
}

static void
call_task_done (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  gpointer value = beam_connection_call_finish (BEAM_CONNECTION (object), result, &error);

  if (value == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, value, g_task_get_task_data (task));
}

void
beam_connection_call_task_async (BeamConnection      *self,
                                 gpointer             source_tag,
                                 const BeamCall      *call,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  /* The task data is only the function that frees the result. */
  g_task_set_task_data (task, call->result_free, NULL);
  beam_connection_call_async (self, call, cancellable, call_task_done, g_object_ref (task));
}
