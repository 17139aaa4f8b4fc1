/* SPDX-License-Identifier: GPL-3.0-or-later */
/* BeamConnection, the GObject: its properties and state, the connect, call
 * and rpc entry points, and the hand-overs that bring the network thread's
 * results back to the owner's main context. The network thread itself is
 * beam-connection-link.c; the two share beam-connection-private.h.
 *
 * Lifetimes: every GTask is created, completed and released on the owner's
 * thread (completions are handed over as idle sources on the owner's
 * context: never g_main_context_invoke(), which runs the function right
 * there when nobody holds the context, as in the CLI and the tests), so the
 * connection object is never finalized on the network thread. The thread
 * reaches the object only through a GWeakRef, to publish state changes. */

#define G_LOG_DOMAIN "beamscope-wire"

#include "config.h"

#include <glib/gi18n.h>
#include <signal.h>

#include "beam-connection-private.h"
#include "beam-epmd.h"
#include "beam-wire-error.h"

G_DEFINE_QUARK (beam-wire-error-quark, beam_wire_error)

G_DEFINE_ENUM_TYPE (BeamConnectionState, beam_connection_state,
  G_DEFINE_ENUM_VALUE (BEAM_CONNECTION_STATE_DISCONNECTED, "disconnected"),
  G_DEFINE_ENUM_VALUE (BEAM_CONNECTION_STATE_CONNECTING, "connecting"),
  G_DEFINE_ENUM_VALUE (BEAM_CONNECTION_STATE_CONNECTED, "connected"),
  G_DEFINE_ENUM_VALUE (BEAM_CONNECTION_STATE_RECONNECTING, "reconnecting"),
  G_DEFINE_ENUM_VALUE (BEAM_CONNECTION_STATE_LOST, "lost"))

struct _BeamConnection
{
  GObject              parent_instance;
  BeamConnectionLink  *link;
  GThread             *thread;
  gboolean             started;
  GCancellable        *connect_cancellable;
  gulong               connect_cancelled_id;
  BeamConnectionState  state;
  GError              *last_error;
  guint                reconnect_attempts;
  char                *local_node;
  char                *node_name;
  gboolean             answering;
  GError              *answer_error;
};

G_DEFINE_FINAL_TYPE (BeamConnection, beam_connection, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_TARGET_NODE,
  PROP_LOCAL_NODE,
  PROP_STATE,
  PROP_RECONNECT_ATTEMPTS,
  PROP_NODE_NAME,
  PROP_ANSWERING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ------------------------------------------------------------------------ */
/* Hand-overs to the owner thread                                            */

/* Queues func on the owner's context; it never runs on the calling thread. */
static void
run_on_owner (BeamConnectionLink *link,
              GSourceFunc         func,
              gpointer            data)
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
  BeamConnectionLink *link = data;
  GQueue batch = G_QUEUE_INIT;
  Completion *completion;

  g_mutex_lock (&link->mutex);
  batch = link->completions;
  g_queue_init (&link->completions);
  link->completions_scheduled = FALSE;
  g_mutex_unlock (&link->mutex);

  while ((completion = g_queue_pop_head (&batch)) != NULL)
    completion_return (completion);

  _beam_connection_link_unref (link);
  return G_SOURCE_REMOVE;
}

/* Takes `result` or `error`; consumes *task. */
void
_beam_connection_complete_task (BeamConnectionLink *link,
                                GTask             **task,
                                gpointer            result,
                                GDestroyNotify      result_free,
                                GError             *error)
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
    run_on_owner (link, drain_completions_on_owner, _beam_connection_link_ref (link));
}

typedef struct
{
  BeamConnectionLink  *link;
  BeamConnectionState  state;
  GError              *error;
  guint                attempts;
  char                *local_node;
  char                *node_name;
} StateChange;

static void beam_connection_set_state (BeamConnection      *self,
                                       BeamConnectionState  state,
                                       const GError        *error,
                                       guint                attempts,
                                       char                *local_node,
                                       char                *node_name);
static void beam_connection_set_answering (BeamConnection *self,
                                           gboolean        answering,
                                           const GError   *why);

static gboolean
publish_state_on_owner (gpointer data)
{
  StateChange *change = data;
  g_autoptr(BeamConnection) self = g_weak_ref_get (&change->link->owner);

  /* After close() the owner has said DISCONNECTED; the thread's last words
   * on its way out change nothing. */
  if (self != NULL && !g_atomic_int_get (&change->link->quit))
    beam_connection_set_state (self, change->state, change->error, change->attempts,
                               g_steal_pointer (&change->local_node),
                               g_steal_pointer (&change->node_name));

  g_clear_error (&change->error);
  g_free (change->local_node);
  g_free (change->node_name);
  _beam_connection_link_unref (change->link);
  g_free (change);
  return G_SOURCE_REMOVE;
}

void
_beam_connection_publish_state (BeamConnectionLink *link,
                                BeamConnectionState state,
                                const GError       *error,
                                guint               attempts)
{
  StateChange *change = g_new0 (StateChange, 1);

  change->link = _beam_connection_link_ref (link);
  change->state = state;
  change->error = error != NULL ? g_error_copy (error) : NULL;
  change->attempts = attempts;
  if (state == BEAM_CONNECTION_STATE_CONNECTED)
    {
      change->local_node = g_strdup (link->local_node);
      change->node_name = g_strdup (link->node_name);
    }
  run_on_owner (link, publish_state_on_owner, change);
}

typedef struct
{
  BeamConnectionLink *link;
  gboolean            answering;
  GError             *why;
} AnsweringChange;

static gboolean
publish_answering_on_owner (gpointer data)
{
  AnsweringChange *change = data;
  g_autoptr(BeamConnection) self = g_weak_ref_get (&change->link->owner);

  if (self != NULL && !g_atomic_int_get (&change->link->quit))
    beam_connection_set_answering (self, change->answering, change->why);

  g_clear_error (&change->why);
  _beam_connection_link_unref (change->link);
  g_free (change);
  return G_SOURCE_REMOVE;
}

void
_beam_connection_publish_answering (BeamConnectionLink *link,
                                    gboolean            answering,
                                    const GError       *why)
{
  AnsweringChange *change = g_new0 (AnsweringChange, 1);

  change->link = _beam_connection_link_ref (link);
  change->answering = answering;
  change->why = why != NULL ? g_error_copy (why) : NULL;
  run_on_owner (link, publish_answering_on_owner, change);
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

static void
beam_connection_set_answering (BeamConnection *self,
                               gboolean        answering,
                               const GError   *why)
{
  g_clear_error (&self->answer_error);
  if (!answering && why != NULL)
    self->answer_error = g_error_copy (why);
  if (self->answering == answering)
    return;
  self->answering = answering;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ANSWERING]);
}

/* Takes local_node and node_name. */
static void
beam_connection_set_state (BeamConnection      *self,
                           BeamConnectionState  state,
                           const GError        *error,
                           guint                attempts,
                           char                *local_node,
                           char                *node_name)
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

  if (node_name != NULL && g_strcmp0 (node_name, self->node_name) != 0)
    {
      g_free (self->node_name);
      self->node_name = node_name;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NODE_NAME]);
    }
  else
    g_free (node_name);

  /* A new connection starts out answering. */
  if (state == BEAM_CONNECTION_STATE_CONNECTED)
    beam_connection_set_answering (self, TRUE, NULL);

  if (connect_task != NULL)
    {
      forget_connect_cancellable (self);
      if (state == BEAM_CONNECTION_STATE_CONNECTED)
        g_task_return_boolean (connect_task, TRUE);
      else if (error != NULL)
        g_task_return_error (connect_task, g_error_copy (error));
      else
        g_task_return_new_error (connect_task, BEAM_WIRE_ERROR, BEAM_WIRE_ERROR_DISCONNECTED,
                                 _("Could not connect to %s"), self->link->target_node);
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
  g_clear_error (&self->answer_error);
  g_free (self->local_node);
  g_free (self->node_name);
  g_clear_pointer (&self->link, _beam_connection_link_unref);

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
    case PROP_NODE_NAME:
      g_value_set_string (value, beam_connection_get_node_name (self));
      break;
    case PROP_ANSWERING:
      g_value_set_boolean (value, self->answering);
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
  properties[PROP_NODE_NAME] =
    g_param_spec_string ("node-name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_ANSWERING] =
    g_param_spec_boolean ("answering", NULL, NULL, TRUE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
beam_connection_init (BeamConnection *self)
{
  self->answering = TRUE;
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

  g_return_val_if_fail (target_node != NULL, NULL);
  g_return_val_if_fail (cookie != NULL, NULL);

  self = g_object_new (BEAM_TYPE_CONNECTION, NULL);
  self->link = _beam_connection_link_new (self, target_node, cookie);

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

const char *
beam_connection_get_node_name (BeamConnection *self)
{
  g_return_val_if_fail (BEAM_IS_CONNECTION (self), NULL);
  return self->node_name != NULL ? self->node_name : self->link->target_node;
}

gboolean
beam_connection_get_answering (BeamConnection *self)
{
  g_return_val_if_fail (BEAM_IS_CONNECTION (self), FALSE);
  return self->answering;
}

const GError *
beam_connection_get_answer_error (BeamConnection *self)
{
  g_return_val_if_fail (BEAM_IS_CONNECTION (self), NULL);
  return self->answering ? NULL : self->answer_error;
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
beam_connection_set_request_timeout (BeamConnection *self,
                                     guint           timeout_ms)
{
  g_return_if_fail (BEAM_IS_CONNECTION (self));
  self->link->request_timeout_ms = timeout_ms;
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
                               _("This connection to %s was already started"),
                               self->link->target_node);
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
  self->thread = g_thread_new ("beam-network", _beam_connection_link_thread,
                               _beam_connection_link_ref (self->link));
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
  _beam_connection_link_wake (self->link);
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
_beam_connection_drop (BeamConnection *self)
{
  g_return_if_fail (BEAM_IS_CONNECTION (self));
  g_atomic_int_set (&self->link->drop, TRUE);
  _beam_connection_link_wake (self->link);
}

void
beam_connection_retry_now (BeamConnection *self)
{
  g_return_if_fail (BEAM_IS_CONNECTION (self));
  g_atomic_int_set (&self->link->retry_now, TRUE);
  _beam_connection_link_wake (self->link);
}

void
beam_connection_call_async (BeamConnection      *self,
                            const BeamCall      *call,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (BEAM_IS_CONNECTION (self));
  g_return_if_fail (call != NULL && call->module != NULL && call->function != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, beam_connection_call_async);

  if (self->thread == NULL || self->state != BEAM_CONNECTION_STATE_CONNECTED)
    {
      if (call->args != NULL)
        beam_term_free (call->args);
      if (call->decode_data_free != NULL)
        call->decode_data_free (call->decode_data);
      g_task_return_new_error (task, BEAM_WIRE_ERROR, BEAM_WIRE_ERROR_NOT_CONNECTED,
                               _("Not connected to %s"), self->link->target_node);
      return;
    }

  _beam_connection_link_queue (self->link, g_steal_pointer (&task), call);
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

gpointer
beam_connection_call_task_finish (GAsyncResult  *result,
                                  gpointer       source_tag,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
