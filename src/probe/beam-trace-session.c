/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A trace session: starts a node program (beam-trace-calls.c or
 * beam-trace-sys.c) as one long call whose stream is the trace, and turns
 * the stream (beam-trace-private.h) into events on the owner's thread.
 *
 * Threads: the stream arrives on the network thread, which decodes each
 * message into events there and queues them in a Shared block; the owner's
 * thread takes the queue at most every FLUSH_INTERVAL_MS, so a burst of
 * thousands of messages costs the GTK thread one batch per frame. The
 * Shared block is reference counted: the network thread may still hold it
 * after the session is gone.
 *
 * Names: trace messages carry pids only. Events from pids whose registered
 * name we do not know yet wait (in order) for one call that asks the node
 * for the names of all of them; the answer is cached for the session. */

#define G_LOG_DOMAIN "beamscope-probe"

#include <glib/gi18n.h>

#include "beam-erl-expr.h"
#include "beam-term-printer.h"
#include "beam-trace-private.h"
#include "beam-wire-error.h"

/* How often queued events reach the owner at most: a frame. */
#define FLUSH_INTERVAL_MS    16
/* Silence after which a running stream is given up: three missed heartbeats. */
#define STREAM_IDLE_MS       (3 * BEAM_TRACE_PING_INTERVAL_MS + 2000)
/* Setting up may wait on sys:get_status and sys:install of a busy process. */
#define SETUP_TIMEOUT_MS     15000
/* Pids asked about in one names call, and names kept at most. */
#define MAX_NAMES_PER_CALL   1000
#define MAX_CACHED_NAMES     100000
#define NAMES_TIMEOUT_MS     2000

typedef struct
{
  gint            ref_count;
  GMutex          mutex;
  GMainContext   *context;
  GWeakRef        session;

  /* network thread only */
  BeamTraceClock  clock;

  /* under the mutex */
  GPtrArray      *events;          /* BeamTraceEvent * */
  BeamTerm       *started;         /* the started message's map, until taken */
  BeamTerm       *refused;         /* the refusal's reason, until taken */
  BeamTerm       *done;            /* {Reason, Stats}, until taken */
  gboolean        have_status;
  guint64         seen, sent, dropped;
  guint64         received;
  guint64         unreadable;      /* messages or events we could not read */
  GSource        *flush_source;
} Shared;

struct _BeamTraceSession
{
  GObject          parent_instance;

  BeamConnection  *connection;
  BeamTraceSpec   *spec;
  Shared          *shared;
  GCancellable    *cancellable;

  BeamTraceState   state;
  BeamTraceEnd     end;
  GError          *error;
  char            *end_detail;      /* the node's reason when it is not one of ours */
  char            *behaviour;
  BeamTraceStats   stats;
  BeamTerm        *watcher;
  gboolean         stop_requested;
  guint            ping_source;

  /* Events waiting for their pids' names, in order, and the names known. */
  GQueue           waiting;
  GHashTable      *names;           /* pid text -> name, "" for none */
  gboolean         names_in_flight;
  gboolean         stream_over;     /* the call finished: end once `waiting` is empty */
  BeamTraceEnd     pending_end;
  GError          *pending_error;

};

enum { PROP_0, PROP_STATE, PROP_STATS, N_PROPS };
enum { SIGNAL_EVENTS, N_SIGNALS };

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (BeamTraceSession, beam_trace_session, G_TYPE_OBJECT)

static void take_shared (BeamTraceSession *self);

/* ------------------------------------------------------------------------ */
/* Shared block                                                              */

static Shared *
shared_new (BeamTraceSession *session)
{
  Shared *shared = g_new0 (Shared, 1);

  shared->ref_count = 1;
  g_mutex_init (&shared->mutex);
  shared->context = g_main_context_ref_thread_default ();
  g_weak_ref_init (&shared->session, session);
  shared->events = g_ptr_array_new_with_free_func ((GDestroyNotify) beam_trace_event_unref);
  return shared;
}

static Shared *
shared_ref (Shared *shared)
{
  g_atomic_int_inc (&shared->ref_count);
  return shared;
}

static void
shared_unref (gpointer data)
{
  Shared *shared = data;

  if (!g_atomic_int_dec_and_test (&shared->ref_count))
    return;
  if (shared->flush_source != NULL)
    {
      g_source_destroy (shared->flush_source);
      g_source_unref (shared->flush_source);
    }
  g_clear_pointer (&shared->events, g_ptr_array_unref);
  g_clear_pointer (&shared->started, beam_term_free);
  g_clear_pointer (&shared->refused, beam_term_free);
  g_clear_pointer (&shared->done, beam_term_free);
  g_weak_ref_clear (&shared->session);
  g_main_context_unref (shared->context);
  g_mutex_clear (&shared->mutex);
  g_free (shared);
}

static gboolean
on_flush (gpointer user_data)
{
  Shared *shared = user_data;
  g_autoptr(BeamTraceSession) session = g_weak_ref_get (&shared->session);

  g_mutex_lock (&shared->mutex);
  g_clear_pointer (&shared->flush_source, g_source_unref);
  g_mutex_unlock (&shared->mutex);
  if (session != NULL)
    take_shared (session);
  return G_SOURCE_REMOVE;
}

/* Under the mutex: makes sure the owner looks at the queue within a frame. */
static void
schedule_flush_locked (Shared *shared)
{
  if (shared->flush_source != NULL)
    return;
  shared->flush_source = g_timeout_source_new (FLUSH_INTERVAL_MS);
  g_source_set_priority (shared->flush_source, G_PRIORITY_DEFAULT);
  g_source_set_callback (shared->flush_source, on_flush, shared_ref (shared), shared_unref);
  g_source_attach (shared->flush_source, shared->context);
}

static guint64
map_get_count (const BeamTerm *map,
               const char     *key)
{
  gint64 value;

  return beam_term_get_int64 (beam_term_map_get (map, key), &value) && value > 0
         ? (guint64) value : 0;
}

/* Network thread: one stream message. */
static void
on_stream_message (const char *buf,
                   gsize       len,
                   gpointer    user_data)
{
  Shared *shared = user_data;
  g_autoptr(BeamTerm) message = NULL;
  g_autoptr(GPtrArray) events = NULL;
  const BeamTerm *items = NULL;
  gboolean sys = FALSE;
  int index = 1;

  if (len >= 1 && (guint8) buf[0] == 131)
    message = beam_term_decode_at_len (buf, len, &index, NULL);
  if (message == NULL || (gsize) index != len || message->kind != BEAM_TERM_TUPLE ||
      message->n_children < 2 || !beam_term_is_atom (message->children[0], "beamscope_trace"))
    {
      g_mutex_lock (&shared->mutex);
      shared->unreadable++;
      g_mutex_unlock (&shared->mutex);
      return;
    }

  if (message->n_children == 3 && beam_term_is_atom (message->children[1], "started") &&
      message->children[2]->kind == BEAM_TERM_MAP)
    {
      gint64 per_second, offset;

      /* The clock is needed by the events that follow, here on this thread. */
      const BeamTerm *info = message->children[2];

      if (beam_term_get_int64 (beam_term_map_get (info, "native_per_second"), &per_second) &&
          per_second > 0 &&
          beam_term_get_int64 (beam_term_map_get (info, "time_offset"), &offset))
        {
          shared->clock.native_per_second = per_second;
          shared->clock.time_offset = offset;
        }
      g_mutex_lock (&shared->mutex);
      g_clear_pointer (&shared->started, beam_term_free);
      shared->started = beam_term_copy (message->children[2]);
      schedule_flush_locked (shared);
      g_mutex_unlock (&shared->mutex);
      return;
    }
  if (message->n_children == 3 && beam_term_is_atom (message->children[1], "refused"))
    {
      g_mutex_lock (&shared->mutex);
      g_clear_pointer (&shared->refused, beam_term_free);
      shared->refused = beam_term_copy (message->children[2]);
      schedule_flush_locked (shared);
      g_mutex_unlock (&shared->mutex);
      return;
    }
  if (message->n_children == 3 && beam_term_is_atom (message->children[1], "status"))
    {
      g_mutex_lock (&shared->mutex);
      shared->have_status = TRUE;
      shared->seen = map_get_count (message->children[2], "seen");
      shared->sent = map_get_count (message->children[2], "sent");
      shared->dropped = map_get_count (message->children[2], "dropped");
      schedule_flush_locked (shared);
      g_mutex_unlock (&shared->mutex);
      return;
    }
  if (message->n_children == 4 && beam_term_is_atom (message->children[1], "done"))
    {
      g_mutex_lock (&shared->mutex);
      g_clear_pointer (&shared->done, beam_term_free);
      shared->done = beam_term_new_tuple (2, beam_term_copy (message->children[2]),
                                          beam_term_copy (message->children[3]));
      shared->have_status = TRUE;
      shared->seen = map_get_count (message->children[3], "seen");
      shared->sent = map_get_count (message->children[3], "sent");
      shared->dropped = map_get_count (message->children[3], "dropped");
      schedule_flush_locked (shared);
      g_mutex_unlock (&shared->mutex);
      return;
    }

  if (message->n_children == 3 && beam_term_is_atom (message->children[1], "events"))
    items = message->children[2];
  else if (message->n_children == 3 && beam_term_is_atom (message->children[1], "sys"))
    items = message->children[2], sys = TRUE;
  if (items == NULL || items->kind != BEAM_TERM_LIST || items->v.list.improper ||
      shared->clock.native_per_second == 0)
    {
      g_mutex_lock (&shared->mutex);
      shared->unreadable++;
      g_mutex_unlock (&shared->mutex);
      return;
    }

  events = g_ptr_array_new_full (items->n_children, (GDestroyNotify) beam_trace_event_unref);
  for (guint i = 0; i < items->n_children; i++)
    {
      BeamTraceEvent *event = sys ? _beam_trace_event_from_sys (items->children[i], &shared->clock)
                                  : _beam_trace_event_from_trace (items->children[i],
                                                                  &shared->clock);
      if (event != NULL)
        g_ptr_array_add (events, event);
    }

  g_mutex_lock (&shared->mutex);
  shared->unreadable += items->n_children - events->len;
  shared->received += items->n_children;
  g_ptr_array_extend_and_steal (shared->events, g_steal_pointer (&events));
  schedule_flush_locked (shared);
  g_mutex_unlock (&shared->mutex);
}

/* ------------------------------------------------------------------------ */
/* Owner thread                                                              */

static void
set_state (BeamTraceSession *self,
           BeamTraceState    state)
{
  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
send_to_watcher (BeamTraceSession *self,
                 const char       *what)
{
  if (self->watcher == NULL)
    return;
  /* erlang:send(W, What); the answer does not matter, and a lost one is
   * covered by the lease. */
  beam_connection_rpc_async (self->connection, "erlang", "send",
                             beam_term_new_list (2, beam_term_copy (self->watcher),
                                                 beam_term_new_atom (what)),
                             2 * BEAM_TRACE_PING_INTERVAL_MS, NULL, NULL, NULL);
}

static gboolean
on_ping (gpointer user_data)
{
  BeamTraceSession *self = user_data;

  send_to_watcher (self, "ping");
  return G_SOURCE_CONTINUE;
}

static void
stop_pinging (BeamTraceSession *self)
{
  if (self->ping_source != 0)
    {
      g_source_remove (self->ping_source);
      self->ping_source = 0;
    }
}

static void
finish (BeamTraceSession *self,
        BeamTraceEnd      end,
        GError           *error)  /* taken */
{
  if (self->state == BEAM_TRACE_STATE_ENDED)
    {
      g_clear_error (&error);
      return;
    }
  stop_pinging (self);
  self->end = end;
  g_clear_error (&self->error);
  self->error = error;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATS]);
  set_state (self, BEAM_TRACE_STATE_ENDED);
}

static void
deliver (BeamTraceSession *self,
         GPtrArray        *events)
{
  if (events->len == 0)
    return;
  g_signal_emit (self, signals[SIGNAL_EVENTS], 0, events);
}

static gboolean
name_known (BeamTraceSession     *self,
            const BeamTraceEvent *event)
{
  return event->name != NULL || event->pid == NULL ||
         g_hash_table_contains (self->names, event->pid);
}

static void ask_names (BeamTraceSession *self);

/* Hands out, in order, every waiting event whose name is known (or all of
 * them with `all`), and ends the session once the stream is over and
 * nothing waits. */
static void
pump (BeamTraceSession *self,
      gboolean          all)
{
  g_autoptr(GPtrArray) ready = g_ptr_array_new_with_free_func (
    (GDestroyNotify) beam_trace_event_unref);

  while (!g_queue_is_empty (&self->waiting))
    {
      BeamTraceEvent *event = g_queue_peek_head (&self->waiting);

      if (!all && !name_known (self, event))
        break;
      if (event->name == NULL && event->pid != NULL)
        {
          const char *name = g_hash_table_lookup (self->names, event->pid);

          /* Not delivered yet: ours alone to fill in. */
          if (name != NULL && *name != '\0')
            event->name = g_strdup (name);
        }
      g_ptr_array_add (ready, g_queue_pop_head (&self->waiting));
    }
  deliver (self, ready);
  if (!g_queue_is_empty (&self->waiting))
    ask_names (self);
  else if (self->stream_over)
    finish (self, self->pending_end, g_steal_pointer (&self->pending_error));
}

typedef struct
{
  BeamTraceSession *session;
  GPtrArray        *pids;   /* char *, the pids asked about, in order */
} NamesCall;

static void
names_call_free (NamesCall *call)
{
  g_object_unref (call->session);
  g_ptr_array_unref (call->pids);
  g_free (call);
}

static void
on_names (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  NamesCall *call = user_data;
  BeamTraceSession *self = call->session;
  g_autoptr(BeamTerm) reply = beam_connection_call_finish (BEAM_CONNECTION (source), result, NULL);
  const BeamTerm *names = beam_erl_eval_value (reply);

  self->names_in_flight = FALSE;
  if (g_hash_table_size (self->names) > MAX_CACHED_NAMES)
    g_hash_table_remove_all (self->names);
  for (guint i = 0; i < call->pids->len; i++)
    {
      const BeamTerm *name = NULL;

      if (names != NULL && names->kind == BEAM_TERM_LIST && !names->v.list.improper &&
          names->n_children == call->pids->len)
        name = names->children[i];
      /* A name the node could not give is remembered as none: the events
       * go on without it rather than wait again. */
      g_hash_table_insert (self->names, g_strdup (call->pids->pdata[i]),
                           g_strdup (name != NULL && name->kind == BEAM_TERM_ATOM
                                     ? name->v.atom.name : ""));
    }
  names_call_free (call);
  if (self->state != BEAM_TRACE_STATE_ENDED)
    pump (self, FALSE);
}

static void
ask_names (BeamTraceSession *self)
{
  g_autoptr(GHashTable) asked = NULL;
  g_autoptr(GPtrArray) binaries = NULL;
  NamesCall *call;
  BeamCall request = { 0 };

  if (self->names_in_flight)
    return;
  asked = g_hash_table_new (g_str_hash, g_str_equal);
  binaries = g_ptr_array_new ();
  call = g_new0 (NamesCall, 1);
  call->session = g_object_ref (self);
  call->pids = g_ptr_array_new_with_free_func (g_free);
  for (GList *l = self->waiting.head; l != NULL && call->pids->len < MAX_NAMES_PER_CALL;
       l = l->next)
    {
      BeamTraceEvent *event = l->data;

      if (name_known (self, event) || g_hash_table_contains (asked, event->pid))
        continue;
      g_hash_table_add (asked, event->pid);
      g_ptr_array_add (call->pids, g_strdup (event->pid));
      g_ptr_array_add (binaries, beam_term_new_binary (event->pid, strlen (event->pid)));
    }
  self->names_in_flight = TRUE;
  request.module = "erl_eval";
  request.function = "exprs";
  request.args = beam_erl_source_args ("trace-names", "Pids",
                                       beam_term_new_list_take (g_steal_pointer (&binaries)),
                                       NULL);
  request.timeout_ms = NAMES_TIMEOUT_MS;
  beam_connection_call_async (self->connection, &request, NULL, on_names, call);
}

static BeamTraceEnd
end_of_reason (const BeamTerm *reason)
{
  if (beam_term_tagged (reason, "count", 2) != NULL)
    return BEAM_TRACE_END_COUNT_LIMIT;
  if (beam_term_tagged (reason, "rate", 3) != NULL)
    return BEAM_TRACE_END_RATE_LIMIT;
  if (beam_term_tagged (reason, "overload", 2) != NULL)
    return BEAM_TRACE_END_OVERLOAD;
  if (beam_term_is_atom (reason, "duration"))
    return BEAM_TRACE_END_DURATION;
  if (beam_term_is_atom (reason, "stopped"))
    return BEAM_TRACE_END_STOPPED;
  if (beam_term_tagged (reason, "target_down", 2) != NULL)
    return BEAM_TRACE_END_TARGET_EXITED;
  if (beam_term_is_atom (reason, "cleared"))
    return BEAM_TRACE_END_CLEARED;
  return BEAM_TRACE_END_FAILED;
}

/* Takes what the network thread queued: the control messages in the order
 * they can come (started, events, status, done) and the events. */
static void
take_shared (BeamTraceSession *self)
{
  Shared *shared = self->shared;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(BeamTerm) started = NULL, refused = NULL, done = NULL;
  gboolean stats_changed;

  g_mutex_lock (&shared->mutex);
  events = g_steal_pointer (&shared->events);
  shared->events = g_ptr_array_new_with_free_func ((GDestroyNotify) beam_trace_event_unref);
  started = g_steal_pointer (&shared->started);
  refused = g_steal_pointer (&shared->refused);
  done = g_steal_pointer (&shared->done);
  stats_changed = shared->have_status || shared->received != self->stats.received;
  if (shared->have_status)
    {
      self->stats.seen = shared->seen;
      self->stats.dropped = shared->dropped;
    }
  self->stats.received = shared->received;
  /* Between two heartbeats the node's count lags what already came. */
  self->stats.seen = MAX (self->stats.seen, self->stats.received);
  shared->have_status = FALSE;
  g_mutex_unlock (&shared->mutex);

  if (self->state == BEAM_TRACE_STATE_ENDED)
    return;

  if (started != NULL)
    {
      const BeamTerm *behaviour = beam_term_map_get (started, "behaviour");

      g_clear_pointer (&self->watcher, beam_term_free);
      if (beam_term_map_get (started, "watcher") != NULL &&
          beam_term_map_get (started, "watcher")->kind == BEAM_TERM_PID)
        self->watcher = beam_term_copy (beam_term_map_get (started, "watcher"));
      self->stats.processes = (guint) MIN (map_get_count (started, "processes"), G_MAXUINT);
      self->stats.functions = (guint) MIN (map_get_count (started, "functions"), G_MAXUINT);
      g_clear_pointer (&self->behaviour, g_free);
      if (behaviour != NULL && behaviour->kind == BEAM_TERM_ATOM &&
          !beam_term_is_atom (behaviour, "undefined"))
        self->behaviour = g_strdup (behaviour->v.atom.name);
      if (self->state == BEAM_TRACE_STATE_STARTING)
        {
          set_state (self, self->stop_requested ? BEAM_TRACE_STATE_STOPPING
                                                : BEAM_TRACE_STATE_RUNNING);
          self->ping_source = g_timeout_add (BEAM_TRACE_PING_INTERVAL_MS, on_ping, self);
          if (self->stop_requested)
            send_to_watcher (self, "stop");
        }
      stats_changed = TRUE;
    }

  for (guint i = 0; i < events->len; i++)
    g_queue_push_tail (&self->waiting, beam_trace_event_ref (events->pdata[i]));

  if (refused != NULL)
    {
      g_autofree char *why = _beam_trace_describe_refusal (refused);

      self->stream_over = TRUE;
      self->pending_end = BEAM_TRACE_END_REFUSED;
      g_clear_error (&self->pending_error);
      self->pending_error = g_error_new_literal (BEAM_WIRE_ERROR, BEAM_WIRE_ERROR_BAD_REPLY, why);
    }
  else if (done != NULL)
    {
      const BeamTerm *reason = done->children[0];

      self->stream_over = TRUE;
      self->pending_end = end_of_reason (reason);
      g_clear_pointer (&self->end_detail, g_free);
      if (self->pending_end == BEAM_TRACE_END_FAILED)
        {
          BeamPrintOptions options = { .syntax = BEAM_SYNTAX_ERLANG, .max_depth = 6,
                                       .max_width = 10 };

          self->end_detail = beam_term_print (reason, &options);
        }
      stop_pinging (self);
    }

  if (stats_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATS]);
  pump (self, FALSE);
}

/* The call holds the Shared block, not the session: a session its owner
 * drops is disposed at once, which stops the trace on the node. */
static void
on_stream_over (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  Shared *shared = user_data;
  g_autoptr(BeamTraceSession) self = g_weak_ref_get (&shared->session);
  g_autoptr(GError) error = NULL;
  g_autoptr(BeamTerm) reply = beam_connection_call_finish (BEAM_CONNECTION (source), result,
                                                           &error);

  shared_unref (shared);
  if (self == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      self->state == BEAM_TRACE_STATE_ENDED)
    return;
  /* What the stream brought before it ended comes first. */
  take_shared (self);
  if (!self->stream_over)
    {
      self->stream_over = TRUE;
      self->pending_end = BEAM_TRACE_END_FAILED;
      g_clear_error (&self->pending_error);
      if (error != NULL)
        self->pending_error = g_error_new (error->domain, error->code,
                                           g_dngettext (NULL,
                                                        "%s. The node removes the trace by "
                                                        "itself within %d second.",
                                                        "%s. The node removes the trace by "
                                                        "itself within %d seconds.",
                                                        BEAM_TRACE_LEASE_MS / 1000),
                                           error->message, BEAM_TRACE_LEASE_MS / 1000);
      else
        {
          BeamPrintOptions options = { .syntax = BEAM_SYNTAX_ERLANG, .max_depth = 6,
                                       .max_width = 10 };
          g_autofree char *printed = reply != NULL ? beam_term_print (reply, &options)
                                                   : g_strdup ("?");

          self->pending_error = g_error_new (BEAM_WIRE_ERROR, BEAM_WIRE_ERROR_BAD_REPLY,
                                             _("The trace ended without saying why: %s"),
                                             printed);
        }
    }
  stop_pinging (self);
  pump (self, FALSE);
}

/* ------------------------------------------------------------------------ */
/* Public                                                                    */

BeamTraceSession *
beam_trace_session_new (BeamConnection      *connection,
                        const BeamTraceSpec *spec)
{
  BeamTraceSession *self;

  g_return_val_if_fail (BEAM_IS_CONNECTION (connection), NULL);
  g_return_val_if_fail (spec != NULL, NULL);

  self = g_object_new (BEAM_TYPE_TRACE_SESSION, NULL);
  self->connection = g_object_ref (connection);
  self->spec = beam_trace_spec_copy (spec);
  return self;
}

const BeamTraceSpec *
beam_trace_session_get_spec (BeamTraceSession *self)
{
  g_return_val_if_fail (BEAM_IS_TRACE_SESSION (self), NULL);
  return self->spec;
}

void
beam_trace_session_start (BeamTraceSession *self)
{
  g_autoptr(GError) error = NULL;
  BeamCall call = { 0 };
  BeamTerm *args;

  g_return_if_fail (BEAM_IS_TRACE_SESSION (self));
  g_return_if_fail (self->state == BEAM_TRACE_STATE_IDLE);

  set_state (self, BEAM_TRACE_STATE_STARTING);
  if (!beam_trace_spec_validate (self->spec, &error))
    {
      finish (self, BEAM_TRACE_END_REFUSED, g_steal_pointer (&error));
      return;
    }
  args = self->spec->kind == BEAM_TRACE_SYS ? _beam_trace_sys_program (self->spec, &error)
                                            : _beam_trace_calls_program (self->spec, &error);
  if (args == NULL)
    {
      finish (self, BEAM_TRACE_END_REFUSED, g_steal_pointer (&error));
      return;
    }

  self->shared = shared_new (self);
  call.module = "erl_eval";
  call.function = "exprs";
  call.args = args;
  call.timeout_ms = SETUP_TIMEOUT_MS;
  call.on_message = on_stream_message;
  call.stream_data = shared_ref (self->shared);
  call.decode_data = call.stream_data;
  call.decode_data_free = shared_unref;
  call.until_exit = TRUE;
  call.stream_idle_ms = STREAM_IDLE_MS;
  call.max_reply_bytes = BEAM_TRACE_MAX_MESSAGE_BYTES;
  beam_connection_call_async (self->connection, &call, self->cancellable, on_stream_over,
                              shared_ref (self->shared));
}

void
beam_trace_session_stop (BeamTraceSession *self)
{
  g_return_if_fail (BEAM_IS_TRACE_SESSION (self));

  switch (self->state)
    {
    case BEAM_TRACE_STATE_IDLE:
      finish (self, BEAM_TRACE_END_STOPPED, NULL);
      break;
    case BEAM_TRACE_STATE_STARTING:
      /* The watcher is not known yet: stopped as soon as it is. */
      self->stop_requested = TRUE;
      break;
    case BEAM_TRACE_STATE_RUNNING:
      self->stop_requested = TRUE;
      send_to_watcher (self, "stop");
      set_state (self, BEAM_TRACE_STATE_STOPPING);
      break;
    case BEAM_TRACE_STATE_STOPPING:
    case BEAM_TRACE_STATE_ENDED:
    default:
      break;
    }
}

BeamTraceState
beam_trace_session_get_state (BeamTraceSession *self)
{
  g_return_val_if_fail (BEAM_IS_TRACE_SESSION (self), BEAM_TRACE_STATE_IDLE);
  return self->state;
}

BeamTraceEnd
beam_trace_session_get_end (BeamTraceSession *self)
{
  g_return_val_if_fail (BEAM_IS_TRACE_SESSION (self), BEAM_TRACE_END_NONE);
  return self->end;
}

const GError *
beam_trace_session_get_error (BeamTraceSession *self)
{
  g_return_val_if_fail (BEAM_IS_TRACE_SESSION (self), NULL);
  return self->error;
}

void
beam_trace_session_get_stats (BeamTraceSession *self,
                              BeamTraceStats   *out_stats)
{
  g_return_if_fail (BEAM_IS_TRACE_SESSION (self));
  g_return_if_fail (out_stats != NULL);
  *out_stats = self->stats;
}

const char *
beam_trace_session_get_behaviour (BeamTraceSession *self)
{
  g_return_val_if_fail (BEAM_IS_TRACE_SESSION (self), NULL);
  return self->behaviour;
}

char *
beam_trace_session_describe_end (BeamTraceSession *self)
{
  const BeamTraceSpec *spec;

  g_return_val_if_fail (BEAM_IS_TRACE_SESSION (self), NULL);
  spec = self->spec;

  switch (self->end)
    {
    case BEAM_TRACE_END_NONE:
      return NULL;
    case BEAM_TRACE_END_COUNT_LIMIT:
      return g_strdup_printf (ngettext ("Stopped on the node at its limit of %u event",
                                        "Stopped on the node at its limit of %u events",
                                        spec->count),
                              spec->count);
    case BEAM_TRACE_END_RATE_LIMIT:
      return g_strdup_printf (g_dngettext (NULL,
                                           "Stopped on the node: more than %u event came "
                                           "within %u ms",
                                           "Stopped on the node: more than %u events came "
                                           "within %u ms", spec->rate_events),
                              spec->rate_events, spec->rate_ms);
    case BEAM_TRACE_END_OVERLOAD:
      return g_strdup (_("Stopped on the node: events came faster than it could forward them"));
    case BEAM_TRACE_END_DURATION:
      return g_strdup_printf (_("Stopped on the node after %u ms"), spec->duration_ms);
    case BEAM_TRACE_END_STOPPED:
      return g_strdup (_("Stopped"));
    case BEAM_TRACE_END_TARGET_EXITED:
      return g_strdup (_("Stopped: the traced process exited"));
    case BEAM_TRACE_END_CLEARED:
      return g_strdup (_("Stopped: another tool cleared the trace (dbg:stop, "
                         "recon_trace:clear, sys:no_debug…)"));
    case BEAM_TRACE_END_REFUSED:
      return g_strdup (self->error != NULL ? self->error->message : _("Refused"));
    case BEAM_TRACE_END_FAILED:
    default:
      if (self->error != NULL)
        return g_strdup (self->error->message);
      return g_strdup_printf (_("Stopped on the node: %s"),
                              self->end_detail != NULL ? self->end_detail : "?");
    }
}

/* ------------------------------------------------------------------------ */
/* GObject                                                                   */

static void
beam_trace_session_dispose (GObject *object)
{
  BeamTraceSession *self = BEAM_TRACE_SESSION (object);

  /* Gone before the trace: the node cleans up now rather than at the lease. */
  if (self->state == BEAM_TRACE_STATE_RUNNING || self->state == BEAM_TRACE_STATE_STOPPING)
    send_to_watcher (self, "stop");
  stop_pinging (self);
  g_cancellable_cancel (self->cancellable);
  g_queue_clear_full (&self->waiting, (GDestroyNotify) beam_trace_event_unref);
  G_OBJECT_CLASS (beam_trace_session_parent_class)->dispose (object);
}

static void
beam_trace_session_finalize (GObject *object)
{
  BeamTraceSession *self = BEAM_TRACE_SESSION (object);

  g_clear_pointer (&self->shared, shared_unref);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->connection);
  g_clear_pointer (&self->spec, beam_trace_spec_free);
  g_clear_error (&self->error);
  g_clear_error (&self->pending_error);
  g_clear_pointer (&self->end_detail, g_free);
  g_clear_pointer (&self->behaviour, g_free);
  g_clear_pointer (&self->watcher, beam_term_free);
  g_clear_pointer (&self->names, g_hash_table_unref);
  G_OBJECT_CLASS (beam_trace_session_parent_class)->finalize (object);
}

static void
beam_trace_session_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  BeamTraceSession *self = BEAM_TRACE_SESSION (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_int (value, self->state);
      break;
    case PROP_STATS:
      g_value_set_uint64 (value, self->stats.received);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
beam_trace_session_class_init (BeamTraceSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = beam_trace_session_dispose;
  object_class->finalize = beam_trace_session_finalize;
  object_class->get_property = beam_trace_session_get_property;

  /* The state as a BeamTraceState. */
  properties[PROP_STATE] = g_param_spec_int ("state", NULL, NULL,
                                             BEAM_TRACE_STATE_IDLE, BEAM_TRACE_STATE_ENDED,
                                             BEAM_TRACE_STATE_IDLE,
                                             G_PARAM_READABLE | G_PARAM_STATIC_STRINGS |
                                             G_PARAM_EXPLICIT_NOTIFY);
  /* Notified when any counter of beam_trace_session_get_stats() changes; its
   * value is the events received. */
  properties[PROP_STATS] = g_param_spec_uint64 ("stats", NULL, NULL, 0, G_MAXUINT64, 0,
                                                G_PARAM_READABLE | G_PARAM_STATIC_STRINGS |
                                                G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_EVENTS] = g_signal_new ("events", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                         0, NULL, NULL, NULL, G_TYPE_NONE, 1,
                                         G_TYPE_PTR_ARRAY | G_SIGNAL_TYPE_STATIC_SCOPE);
}

static void
beam_trace_session_init (BeamTraceSession *self)
{
  self->cancellable = g_cancellable_new ();
  self->names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_queue_init (&self->waiting);
}
