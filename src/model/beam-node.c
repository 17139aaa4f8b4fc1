/* SPDX-License-Identifier: GPL-3.0-or-later */
/* BeamNode forwards the connection's state as properties a view can bind to,
 * turns it into the words the header shows, and owns what is known of the
 * node beyond one page: its load history, sampled from connect, and the
 * cluster around it, made when the Cluster page first asks (so nothing
 * joins a node's cluster unless that page was opened) and kept across page
 * switches, so its trends survive them. The load
 * history's samples, one a second with a deadline of a few seconds, are
 * also what finds a stopped node out: the first one that misses its
 * deadline makes the node "not answering", long before net_ticktime. */

#define G_LOG_DOMAIN "beamscope-model"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "beam-node.h"
#include "beam-node-language.h"

struct _BeamNode
{
  GObject         parent_instance;
  BeamConnection  *connection;
  BeamLoadHistory *load_history;
  BeamClusterModel *cluster;     /* NULL until the Cluster page asks */
  char            *cookie;       /* for the cluster's other nodes; wiped when freed */
  gboolean         read_only;
  gboolean         runs_elixir;
  gboolean         elixir_syntax;
  GCancellable    *language_cancellable;
};

G_DEFINE_FINAL_TYPE (BeamNode, beam_node, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CONNECTION,
  PROP_LOAD_HISTORY,
  PROP_NAME,
  PROP_ANSWERING,
  PROP_READ_ONLY,
  PROP_STATE,
  PROP_STALE,
  PROP_STATUS_TEXT,
  PROP_RUNS_ELIXIR,
  PROP_ELIXIR_SYNTAX,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  CLOSED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
on_language_known (GObject      *source G_GNUC_UNUSED,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(BeamNode) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean runs_elixir = FALSE;

  if (!beam_node_language_finish (result, &runs_elixir, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("Whether %s runs Elixir is unknown: %s", beam_node_get_name (self),
                 error->message);
      return;
    }
  if (self->runs_elixir == runs_elixir)
    return;
  self->runs_elixir = runs_elixir;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNS_ELIXIR]);
}

/* Asked at every connect: a reconnect may reach another incarnation. */
static void
ask_language (BeamNode *self)
{
  g_cancellable_cancel (self->language_cancellable);
  g_clear_object (&self->language_cancellable);
  self->language_cancellable = g_cancellable_new ();
  beam_node_language_async (self->connection, self->language_cancellable, on_language_known,
                            g_object_ref (self));
}

static void
on_connection_changed (BeamNode *self)
{
  if (beam_connection_get_state (self->connection) == BEAM_CONNECTION_STATE_CONNECTED)
    ask_language (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STALE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS_TEXT]);
}

static void
on_name_changed (BeamNode *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAME]);
}

static void
on_answering_changed (BeamNode *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ANSWERING]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STALE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS_TEXT]);
}

static void
clear_cookie (BeamNode *self)
{
  if (self->cookie != NULL)
    memset (self->cookie, 0, strlen (self->cookie));
  g_clear_pointer (&self->cookie, g_free);
}

static void
beam_node_dispose (GObject *object)
{
  BeamNode *self = BEAM_NODE (object);

  /* The flag holders are told to go while the connection is up. */
  if (self->load_history != NULL)
    beam_load_history_stop (self->load_history);
  g_clear_object (&self->load_history);
  if (self->cluster != NULL)
    beam_cluster_model_stop (self->cluster);
  g_clear_object (&self->cluster);
  clear_cookie (self);
  g_cancellable_cancel (self->language_cancellable);
  g_clear_object (&self->language_cancellable);
  if (self->connection != NULL)
    beam_connection_close (self->connection);
  g_clear_object (&self->connection);

  G_OBJECT_CLASS (beam_node_parent_class)->dispose (object);
}

static void
beam_node_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  BeamNode *self = BEAM_NODE (object);

  switch (prop_id)
    {
    case PROP_CONNECTION:
      g_value_set_object (value, self->connection);
      break;
    case PROP_LOAD_HISTORY:
      g_value_set_object (value, self->load_history);
      break;
    case PROP_NAME:
      g_value_set_string (value, beam_node_get_name (self));
      break;
    case PROP_ANSWERING:
      g_value_set_boolean (value, beam_node_get_answering (self));
      break;
    case PROP_READ_ONLY:
      g_value_set_boolean (value, self->read_only);
      break;
    case PROP_STATE:
      g_value_set_enum (value, beam_node_get_state (self));
      break;
    case PROP_STALE:
      g_value_set_boolean (value, beam_node_get_stale (self));
      break;
    case PROP_RUNS_ELIXIR:
      g_value_set_boolean (value, self->runs_elixir);
      break;
    case PROP_ELIXIR_SYNTAX:
      g_value_set_boolean (value, self->elixir_syntax);
      break;
    case PROP_STATUS_TEXT:
      g_value_take_string (value, beam_node_dup_status_text (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
beam_node_class_init (BeamNodeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = beam_node_dispose;
  object_class->get_property = beam_node_get_property;

  properties[PROP_CONNECTION] =
    g_param_spec_object ("connection", NULL, NULL, BEAM_TYPE_CONNECTION,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOAD_HISTORY] =
    g_param_spec_object ("load-history", NULL, NULL, BEAM_TYPE_LOAD_HISTORY,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_ANSWERING] =
    g_param_spec_boolean ("answering", NULL, NULL, TRUE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_READ_ONLY] =
    g_param_spec_boolean ("read-only", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, BEAM_TYPE_CONNECTION_STATE,
                       BEAM_CONNECTION_STATE_DISCONNECTED,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_STALE] =
    g_param_spec_boolean ("stale", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_STATUS_TEXT] =
    g_param_spec_string ("status-text", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  properties[PROP_RUNS_ELIXIR] =
    g_param_spec_boolean ("runs-elixir", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_ELIXIR_SYNTAX] =
    g_param_spec_boolean ("elixir-syntax", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* The window inspecting the node let it go: views of it close. */
  signals[CLOSED] = g_signal_new ("closed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
beam_node_init (BeamNode *self G_GNUC_UNUSED)
{
}

BeamNode *
beam_node_new (BeamConnection *connection,
               gboolean        read_only)
{
  BeamNode *self;

  g_return_val_if_fail (BEAM_IS_CONNECTION (connection), NULL);

  self = g_object_new (BEAM_TYPE_NODE, NULL);
  self->connection = g_object_ref (connection);
  self->read_only = !!read_only;
  self->load_history = beam_load_history_new (connection);
  g_signal_connect_object (connection, "notify::state", G_CALLBACK (on_connection_changed),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (connection, "notify::reconnect-attempts",
                           G_CALLBACK (on_connection_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (connection, "notify::node-name", G_CALLBACK (on_name_changed),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (connection, "notify::answering", G_CALLBACK (on_answering_changed),
                           self, G_CONNECT_SWAPPED);
  if (beam_connection_get_state (connection) == BEAM_CONNECTION_STATE_CONNECTED)
    ask_language (self);
  return self;
}

BeamConnection *
beam_node_get_connection (BeamNode *self)
{
  g_return_val_if_fail (BEAM_IS_NODE (self), NULL);
  return self->connection;
}

BeamLoadHistory *
beam_node_get_load_history (BeamNode *self)
{
  g_return_val_if_fail (BEAM_IS_NODE (self), NULL);
  return self->load_history;
}

void
beam_node_set_cookie (BeamNode   *self,
                      const char *cookie)
{
  g_return_if_fail (BEAM_IS_NODE (self));

  clear_cookie (self);
  self->cookie = g_strdup (cookie);
}

BeamClusterModel *
beam_node_get_cluster (BeamNode *self)
{
  g_return_val_if_fail (BEAM_IS_NODE (self), NULL);

  if (self->cluster == NULL)
    self->cluster = beam_cluster_model_new (self->connection, self->cookie);
  return self->cluster;
}

const char *
beam_node_get_name (BeamNode *self)
{
  g_return_val_if_fail (BEAM_IS_NODE (self), NULL);
  return beam_connection_get_node_name (self->connection);
}

gboolean
beam_node_get_answering (BeamNode *self)
{
  g_return_val_if_fail (BEAM_IS_NODE (self), FALSE);
  return beam_connection_get_state (self->connection) != BEAM_CONNECTION_STATE_CONNECTED ||
         beam_connection_get_answering (self->connection);
}

gboolean
beam_node_get_read_only (BeamNode *self)
{
  g_return_val_if_fail (BEAM_IS_NODE (self), TRUE);
  return self->read_only;
}

BeamConnectionState
beam_node_get_state (BeamNode *self)
{
  g_return_val_if_fail (BEAM_IS_NODE (self), BEAM_CONNECTION_STATE_DISCONNECTED);
  return beam_connection_get_state (self->connection);
}

gboolean
beam_node_get_stale (BeamNode *self)
{
  return beam_node_get_state (self) != BEAM_CONNECTION_STATE_CONNECTED ||
         !beam_node_get_answering (self);
}

char *
beam_node_dup_status_text (BeamNode *self)
{
  const GError *error;
  guint attempts;

  g_return_val_if_fail (BEAM_IS_NODE (self), NULL);

  error = beam_connection_get_last_error (self->connection);
  attempts = beam_connection_get_reconnect_attempts (self->connection);

  switch (beam_connection_get_state (self->connection))
    {
    case BEAM_CONNECTION_STATE_CONNECTED:
      if (!beam_connection_get_answering (self->connection))
        return g_strdup (_("Not answering: a request got no reply in time. Still connected; "
                           "the node is declared gone only after net_ticktime without a "
                           "word from it."));
      return g_strdup (_("Connected"));
    case BEAM_CONNECTION_STATE_CONNECTING:
      return g_strdup (_("Connecting…"));
    case BEAM_CONNECTION_STATE_RECONNECTING:
      if (attempts == 0)
        return g_strdup_printf (_("Reconnecting… (%s)"),
                                error ? error->message : _("connection lost"));
      return g_strdup_printf (ngettext ("Reconnecting… %u attempt failed: %s",
                                        "Reconnecting… %u attempts failed: %s", attempts),
                              attempts, error ? error->message : "");
    case BEAM_CONNECTION_STATE_LOST:
      return g_strdup_printf (_("Lost: %s. Still retrying every 10 s."),
                              error ? error->message : _("the node is gone"));
    case BEAM_CONNECTION_STATE_DISCONNECTED:
    default:
      return g_strdup (_("Disconnected"));
    }
}

gboolean
beam_node_get_runs_elixir (BeamNode *self)
{
  g_return_val_if_fail (BEAM_IS_NODE (self), FALSE);
  return self->runs_elixir;
}

BeamSyntax
beam_node_get_syntax (BeamNode *self)
{
  g_return_val_if_fail (BEAM_IS_NODE (self), BEAM_SYNTAX_ERLANG);
  return self->elixir_syntax ? BEAM_SYNTAX_ELIXIR : BEAM_SYNTAX_ERLANG;
}

void
beam_node_set_syntax (BeamNode   *self,
                      BeamSyntax  syntax)
{
  gboolean elixir = syntax == BEAM_SYNTAX_ELIXIR;

  g_return_if_fail (BEAM_IS_NODE (self));

  if (self->elixir_syntax == elixir)
    return;
  self->elixir_syntax = elixir;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ELIXIR_SYNTAX]);
}

char *
beam_node_dup_display_name (BeamNode   *self,
                            const char *name)
{
  g_return_val_if_fail (name != NULL, NULL);
  return beam_print_name (name, self != NULL ? beam_node_get_syntax (self) : BEAM_SYNTAX_ERLANG);
}

/* Called by the window that inspects the node when it leaves it (closed,
 * disconnected): the process, table and playbook windows opened for the
 * node close on "closed", and their references to it go with them. */
void
beam_node_close (BeamNode *self)
{
  g_return_if_fail (BEAM_IS_NODE (self));
  /* The cluster's nodes are let go of with the window's node. */
  if (self->cluster != NULL)
    beam_cluster_model_stop (self->cluster);
  g_signal_emit (self, signals[CLOSED], 0);
}
