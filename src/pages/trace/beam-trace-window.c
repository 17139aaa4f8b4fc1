/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Trace window: the form becomes a BeamTraceSpec (parsed and checked on
 * our side: the function and the match spec in the node's syntax, never by
 * the node's parser, so no atom is made there), a session runs it, and the
 * view shows its events. One session at a time per window; a new Start
 * clears the list. Whatever ends the window (closed, the node's window
 * closed, disconnected) stops the session, and the node's watcher cleans up
 * by itself if we cannot ask.
 *
 * Tracing sets flags and patterns on the node and costs it work while it
 * runs, so, like every action that changes the node, it is off with
 * --read-only (the project's rule, shared/DESIGN.md). */

#define G_LOG_DOMAIN "beamscope-trace"

#include "config.h"

#include <glib/gi18n.h>

#include "beam-process-window.h"
#include "beam-trace-window.h"

enum
{
  PROCESSES_ALL,
  PROCESSES_NEW,
  PROCESSES_THIS,
};

enum
{
  LIMIT_COUNT,
  LIMIT_RATE,
};

struct _BeamTraceWindow
{
  AdwWindow         parent_instance;

  AdwToastOverlay  *toast_overlay;
  AdwWindowTitle   *window_title;
  GtkWidget        *start_button;
  GtkWidget        *stop_button;
  GtkWidget        *setup_box;
  GtkToggleButton  *calls_button;
  GtkToggleButton  *messages_button;
  GtkStack         *kind_stack;
  AdwEntryRow      *function_row;
  AdwEntryRow      *match_row;
  GtkSwitch        *return_switch;
  AdwComboRow      *processes_row;
  AdwEntryRow      *call_target_row;
  GtkLabel         *calls_hint;
  AdwEntryRow      *message_targets_row;
  GtkSwitch        *send_switch;
  GtkSwitch        *receive_switch;
  AdwComboRow      *limit_row;
  GtkWidget        *count_row;
  GtkSpinButton    *count_spin;
  GtkWidget        *rate_row;
  GtkSpinButton    *rate_events_spin;
  GtkSpinButton    *rate_ms_spin;
  GtkSpinButton    *duration_spin;
  GtkLabel         *error_label;
  GtkWidget        *read_only_label;
  BeamTraceView    *trace_view;

  BeamNode         *node;
  BeamTraceSession *session;
  char             *error;
};

G_DEFINE_FINAL_TYPE (BeamTraceWindow, beam_trace_window, ADW_TYPE_WINDOW)

static BeamSyntax
syntax (BeamTraceWindow *self)
{
  return beam_node_get_syntax (self->node);
}

static void
show_error (BeamTraceWindow *self,
            const char      *message)
{
  g_free (self->error);
  self->error = g_strdup (message);
  /* A plain label: no markup, whatever the node or the parser said. */
  gtk_label_set_text (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static gboolean
running (BeamTraceWindow *self)
{
  if (self->session == NULL)
    return FALSE;
  switch (beam_trace_session_get_state (self->session))
    {
    case BEAM_TRACE_STATE_STARTING:
    case BEAM_TRACE_STATE_RUNNING:
    case BEAM_TRACE_STATE_STOPPING:
      return TRUE;
    case BEAM_TRACE_STATE_IDLE:
    case BEAM_TRACE_STATE_ENDED:
    default:
      return FALSE;
    }
}

/* The one place Start and Stop are enabled or not. */
static void
update_actions (BeamTraceWindow *self)
{
  gboolean read_only = beam_node_get_read_only (self->node);
  gboolean connected = beam_node_get_state (self->node) == BEAM_CONNECTION_STATE_CONNECTED;
  gboolean busy = running (self);
  gboolean stoppable = busy &&
                       beam_trace_session_get_state (self->session) != BEAM_TRACE_STATE_STOPPING;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "trace.start",
                                 !read_only && connected && !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "trace.stop", stoppable);
  gtk_widget_set_visible (self->start_button, !busy);
  gtk_widget_set_visible (self->stop_button, busy);
  gtk_widget_set_sensitive (self->setup_box, !busy);
  gtk_widget_set_visible (self->read_only_label, read_only);
}

static void
update_hint (BeamTraceWindow *self)
{
  if (syntax (self) == BEAM_SYNTAX_ELIXIR)
    gtk_label_set_text (self->calls_hint,
                        _("A function as MyApp.Cache.get/1, :ets.lookup/2, or a module for all "
                          "its functions. Arguments as a list, [1, :_], or a match spec, "
                          "[{[:_, :\"$1\"], [], [{:return_trace}]}]."));
  else
    gtk_label_set_text (self->calls_hint,
                        _("A function as lists:seq/2, lists:seq (any arity), or a module for "
                          "all its functions. Arguments as a list, [1, '_'], or a match spec, "
                          "[{['_', '$1'], [], [{return_trace}]}]."));
}

/* ---- the spec -------------------------------------------------------------------- */

static void
add_targets (BeamTraceSpec *spec,
             const char    *text)
{
  g_auto(GStrv) parts = g_regex_split_simple ("[\\s,]+", text, 0, 0);

  for (guint i = 0; parts[i] != NULL; i++)
    if (*parts[i] != '\0')
      beam_trace_spec_add_target (spec, parts[i]);
}

static BeamTraceSpec *
build_spec (BeamTraceWindow  *self,
            GError          **error)
{
  gboolean calls = gtk_toggle_button_get_active (self->calls_button);
  g_autoptr(BeamTraceSpec) spec = beam_trace_spec_new (calls ? BEAM_TRACE_CALLS
                                                             : BEAM_TRACE_MESSAGES);
  guint duration_s = gtk_spin_button_get_value_as_int (self->duration_spin);

  if (calls)
    {
      const char *function = gtk_editable_get_text (GTK_EDITABLE (self->function_row));
      const char *match = gtk_editable_get_text (GTK_EDITABLE (self->match_row));

      if (!beam_trace_spec_set_function (spec, function, syntax (self), error) ||
          !beam_trace_spec_set_match (spec, match, syntax (self), error))
        return NULL;
      spec->return_trace = gtk_switch_get_active (self->return_switch);
      switch (adw_combo_row_get_selected (self->processes_row))
        {
        case PROCESSES_NEW:
          spec->processes = BEAM_TRACE_PROCESSES_NEW;
          break;
        case PROCESSES_THIS:
          spec->processes = BEAM_TRACE_PROCESSES_LISTED;
          add_targets (spec, gtk_editable_get_text (GTK_EDITABLE (self->call_target_row)));
          break;
        case PROCESSES_ALL:
        default:
          spec->processes = BEAM_TRACE_PROCESSES_ALL;
          break;
        }
    }
  else
    {
      add_targets (spec, gtk_editable_get_text (GTK_EDITABLE (self->message_targets_row)));
      spec->send = gtk_switch_get_active (self->send_switch);
      spec->receive = gtk_switch_get_active (self->receive_switch);
    }

  if (adw_combo_row_get_selected (self->limit_row) == LIMIT_RATE)
    {
      spec->count = 0;
      spec->rate_events = gtk_spin_button_get_value_as_int (self->rate_events_spin);
      spec->rate_ms = gtk_spin_button_get_value_as_int (self->rate_ms_spin);
    }
  else
    spec->count = gtk_spin_button_get_value_as_int (self->count_spin);
  spec->duration_ms = duration_s * 1000;

  if (!beam_trace_spec_validate (spec, error))
    return NULL;
  return g_steal_pointer (&spec);
}

/* ---- the session ------------------------------------------------------------------ */

static void
release_when_ended (BeamTraceSession *session)
{
  if (beam_trace_session_get_state (session) == BEAM_TRACE_STATE_ENDED)
    {
      g_signal_handlers_disconnect_by_func (session, release_when_ended, NULL);
      g_object_unref (session);
    }
}

/* A session asked to stop finishes its cleanup on its own; the window may
 * be gone by then. */
static void
stop_and_let_go (BeamTraceSession *session)
{
  if (session == NULL)
    return;
  switch (beam_trace_session_get_state (session))
    {
    case BEAM_TRACE_STATE_STARTING:
    case BEAM_TRACE_STATE_RUNNING:
      beam_trace_session_stop (session);
      G_GNUC_FALLTHROUGH;
    case BEAM_TRACE_STATE_STOPPING:
      g_signal_connect (session, "notify::state", G_CALLBACK (release_when_ended), NULL);
      return;
    case BEAM_TRACE_STATE_IDLE:
    case BEAM_TRACE_STATE_ENDED:
    default:
      g_object_unref (session);
      return;
    }
}

static void
on_state_changed (BeamTraceWindow *self)
{
  if (beam_trace_session_get_state (self->session) == BEAM_TRACE_STATE_ENDED)
    {
      BeamTraceEnd end = beam_trace_session_get_end (self->session);
      const GError *error = beam_trace_session_get_error (self->session);

      if (end == BEAM_TRACE_END_REFUSED || end == BEAM_TRACE_END_FAILED)
        {
          g_autofree char *described = beam_trace_session_describe_end (self->session);

          show_error (self, error != NULL ? error->message : described);
        }
    }
  update_actions (self);
}

static void
set_session (BeamTraceWindow  *self,
             BeamTraceSession *session)
{
  if (self->session != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->session, self);
      stop_and_let_go (g_steal_pointer (&self->session));
    }
  self->session = session;
  beam_trace_view_set_session (self->trace_view, session);
  if (session != NULL)
    g_signal_connect_object (session, "notify::state", G_CALLBACK (on_state_changed), self,
                             G_CONNECT_SWAPPED);
}

gboolean
beam_trace_window_start (BeamTraceWindow *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BeamTraceSpec) spec = NULL;
  g_autofree char *described = NULL;

  g_return_val_if_fail (BEAM_IS_TRACE_WINDOW (self), FALSE);

  if (running (self) ||
      beam_node_get_read_only (self->node) || beam_node_get_connection (self->node) == NULL)
    return FALSE;
  spec = build_spec (self, &error);
  if (spec == NULL)
    {
      show_error (self, error->message);
      return FALSE;
    }
  show_error (self, NULL);
  described = beam_trace_spec_describe (spec);
  adw_window_title_set_subtitle (self->window_title, described);
  beam_trace_view_clear (self->trace_view);
  set_session (self, beam_trace_session_new (beam_node_get_connection (self->node), spec));
  beam_trace_session_start (self->session);
  update_actions (self);
  return TRUE;
}

void
beam_trace_window_stop (BeamTraceWindow *self)
{
  g_return_if_fail (BEAM_IS_TRACE_WINDOW (self));

  if (running (self))
    beam_trace_session_stop (self->session);
  update_actions (self);
}

/* ---- the form ----------------------------------------------------------------------- */

static void
on_kind_toggled (BeamTraceWindow *self)
{
  gtk_stack_set_visible_child_name (self->kind_stack,
                                    gtk_toggle_button_get_active (self->calls_button)
                                    ? "calls" : "messages");
}

static void
on_processes_changed (BeamTraceWindow *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->call_target_row),
                          adw_combo_row_get_selected (self->processes_row) == PROCESSES_THIS);
}

static void
on_limit_changed (BeamTraceWindow *self)
{
  gboolean rate = adw_combo_row_get_selected (self->limit_row) == LIMIT_RATE;

  gtk_widget_set_visible (self->count_row, !rate);
  gtk_widget_set_visible (self->rate_row, rate);
}

/* Return in any of the form's entries starts, as Ctrl+Return does anywhere. */
static void
on_entry_activated (BeamTraceWindow *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "trace.start", NULL);
}

/* ---- actions -------------------------------------------------------------------------- */

static void
start_action (GtkWidget  *widget,
              const char *action_name G_GNUC_UNUSED,
              GVariant   *parameter G_GNUC_UNUSED)
{
  beam_trace_window_start (BEAM_TRACE_WINDOW (widget));
}

static void
stop_action (GtkWidget  *widget,
             const char *action_name G_GNUC_UNUSED,
             GVariant   *parameter G_GNUC_UNUSED)
{
  beam_trace_window_stop (BEAM_TRACE_WINDOW (widget));
}

/* An event's process (the view's Open Process) in a process window. */
static void
open_process_action (GtkWidget  *widget,
                     const char *action_name G_GNUC_UNUSED,
                     GVariant   *parameter)
{
  BeamTraceWindow *self = BEAM_TRACE_WINDOW (widget);

  beam_process_window_open (GTK_WINDOW (self), self->node, g_variant_get_string (parameter, NULL));
}

/* ---- GObject -------------------------------------------------------------------------- */

static void
beam_trace_window_dispose (GObject *object)
{
  BeamTraceWindow *self = BEAM_TRACE_WINDOW (object);

  /* Closing the window ends its trace. */
  if (self->trace_view != NULL)
    set_session (self, NULL);
  if (self->node != NULL)
    g_signal_handlers_disconnect_by_data (self->node, self);
  adw_window_set_content (ADW_WINDOW (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), BEAM_TYPE_TRACE_WINDOW);
  g_clear_object (&self->node);

  G_OBJECT_CLASS (beam_trace_window_parent_class)->dispose (object);
}

static void
beam_trace_window_finalize (GObject *object)
{
  BeamTraceWindow *self = BEAM_TRACE_WINDOW (object);

  g_free (self->error);

  G_OBJECT_CLASS (beam_trace_window_parent_class)->finalize (object);
}

static void
beam_trace_window_class_init (BeamTraceWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = beam_trace_window_dispose;
  object_class->finalize = beam_trace_window_finalize;

  g_type_ensure (BEAM_TYPE_TRACE_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/beamscope/Beamscope/"
                                               "beam-trace-window.ui");
  gtk_widget_class_bind_template_child (widget_class, BeamTraceWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, BeamTraceWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, BeamTraceWindow, start_button);
  gtk_widget_class_bind_template_child (widget_class, BeamTraceWindow, stop_button);
  gtk_widget_class_bind_template_child (widget_class, BeamTraceWindow, setup_box);
  gtk_widget_class_bind_template_child (widget_class, BeamTraceWindow, calls_button);
  gtk_widget_class_bind_template_child (widget_class, BeamTraceWindow, messages_button);
  gtk_widget_class_bind_template_child (widget_class, BeamTraceWindow, kind_stack);
  gtk_widget_class_bind_template_child (widget_class, BeamTraceWindow, function_row);
  gtk_widget_class_bind_template_child (widget_class, BeamTraceWindow, match_row);
  gtk_widget_class_bind_template_child (widget_class, BeamTraceWindow, return_switch);
  gtk_widget_class_bind_template_child (widget_class, BeamTraceWindow, processes_row);
  gtk_widget_class_bind_template_child (widget_class, BeamTraceWindow, call_target_row);
  gtk_widget_class_bind_template_child (widget_class, BeamTraceWindow, calls_hint);
  gtk_widget_class_bind_template_child (widget_class, BeamTraceWindow, message_targets_row);
  gtk_widget_class_bind_template_child (widget_class, BeamTraceWindow, send_switch);
  gtk_widget_class_bind_template_child (widget_class, BeamTraceWindow, receive_switch);
  gtk_widget_class_bind_template_child (widget_class, BeamTraceWindow, limit_row);
  gtk_widget_class_bind_template_child (widget_class, BeamTraceWindow, count_row);
  gtk_widget_class_bind_template_child (widget_class, BeamTraceWindow, count_spin);
  gtk_widget_class_bind_template_child (widget_class, BeamTraceWindow, rate_row);
  gtk_widget_class_bind_template_child (widget_class, BeamTraceWindow, rate_events_spin);
  gtk_widget_class_bind_template_child (widget_class, BeamTraceWindow, rate_ms_spin);
  gtk_widget_class_bind_template_child (widget_class, BeamTraceWindow, duration_spin);
  gtk_widget_class_bind_template_child (widget_class, BeamTraceWindow, error_label);
  gtk_widget_class_bind_template_child (widget_class, BeamTraceWindow, read_only_label);
  gtk_widget_class_bind_template_child (widget_class, BeamTraceWindow, trace_view);
  gtk_widget_class_bind_template_callback (widget_class, on_kind_toggled);
  gtk_widget_class_bind_template_callback (widget_class, on_processes_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_limit_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_activated);

  gtk_widget_class_install_action (widget_class, "trace.start", NULL, start_action);
  gtk_widget_class_install_action (widget_class, "trace.stop", NULL, stop_action);
  gtk_widget_class_install_action (widget_class, "win.open-process", "s", open_process_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK,
                                       "trace.start", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, GDK_CONTROL_MASK,
                                       "trace.start", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK,
                                       "window.close", NULL);
}

static void
beam_trace_window_init (BeamTraceWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* The limit and duration a new trace starts from, as Preferences set them;
 * an open window's form is the user's, so it reads them once. */
static void
read_defaults (BeamTraceWindow *self)
{
  g_autoptr(GSettings) settings = g_settings_new (SETTINGS_SCHEMA_ID);
  gboolean rate = g_settings_get_enum (settings, "trace-limit") == LIMIT_RATE;

  gtk_spin_button_set_value (self->count_spin, g_settings_get_uint (settings, "trace-count"));
  gtk_spin_button_set_value (self->rate_events_spin,
                             g_settings_get_uint (settings, "trace-rate-events"));
  gtk_spin_button_set_value (self->rate_ms_spin,
                             g_settings_get_uint (settings, "trace-rate-interval"));
  gtk_spin_button_set_value (self->duration_spin,
                             g_settings_get_uint (settings, "trace-duration"));
  adw_combo_row_set_selected (self->limit_row, rate ? LIMIT_RATE : LIMIT_COUNT);
}

BeamTraceWindow *
beam_trace_window_new (BeamNode      *node,
                       BeamTraceKind  kind,
                       const char    *who)
{
  BeamTraceWindow *self;
  g_autofree char *title = NULL;

  g_return_val_if_fail (BEAM_IS_NODE (node), NULL);
  g_return_val_if_fail (kind == BEAM_TRACE_CALLS || kind == BEAM_TRACE_MESSAGES, NULL);

  self = g_object_new (BEAM_TYPE_TRACE_WINDOW, NULL);
  self->node = g_object_ref (node);
  /* It closes with the node's window (beam_node_close), which stops the trace. */
  g_signal_connect_object (node, "closed", G_CALLBACK (gtk_window_destroy), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (node, "notify::state", G_CALLBACK (update_actions), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (node, "notify::elixir-syntax", G_CALLBACK (update_hint), self,
                           G_CONNECT_SWAPPED);
  beam_trace_view_set_node (self->trace_view, node);

  title = g_strdup_printf (_("Trace on %s"), beam_node_get_name (node));
  gtk_window_set_title (GTK_WINDOW (self), title);
  adw_window_title_set_title (self->window_title, title);

  gtk_toggle_button_set_active (kind == BEAM_TRACE_CALLS ? self->calls_button
                                                         : self->messages_button, TRUE);
  on_kind_toggled (self);
  if (who != NULL && kind == BEAM_TRACE_CALLS)
    {
      adw_combo_row_set_selected (self->processes_row, PROCESSES_THIS);
      gtk_editable_set_text (GTK_EDITABLE (self->call_target_row), who);
    }
  else if (who != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->message_targets_row), who);
  read_defaults (self);
  update_hint (self);
  update_actions (self);
  return self;
}

BeamTraceWindow *
beam_trace_window_open (GtkWindow     *from,
                        BeamNode      *node,
                        BeamTraceKind  kind,
                        const char    *who)
{
  BeamTraceWindow *window;

  g_return_val_if_fail (GTK_IS_WINDOW (from), NULL);
  g_return_val_if_fail (BEAM_IS_NODE (node), NULL);

  window = beam_trace_window_new (node, kind, who);
  if (gtk_window_get_application (from) != NULL)
    gtk_window_set_application (GTK_WINDOW (window), gtk_window_get_application (from));
  gtk_window_present (GTK_WINDOW (window));
  return window;
}

void
beam_trace_window_set_form (BeamTraceWindow *self,
                            const char      *function,
                            const char      *match,
                            gboolean         return_trace,
                            guint            count)
{
  g_return_if_fail (BEAM_IS_TRACE_WINDOW (self));

  if (function != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->function_row), function);
  if (match != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->match_row), match);
  gtk_switch_set_active (self->return_switch, return_trace);
  if (count > 0)
    {
      adw_combo_row_set_selected (self->limit_row, LIMIT_COUNT);
      gtk_spin_button_set_value (self->count_spin, count);
    }
}

void
beam_trace_window_set_rate (BeamTraceWindow *self,
                            guint            events,
                            guint            ms,
                            guint            duration_ms)
{
  g_return_if_fail (BEAM_IS_TRACE_WINDOW (self));
  g_return_if_fail (events > 0 && ms > 0);

  adw_combo_row_set_selected (self->limit_row, LIMIT_RATE);
  gtk_spin_button_set_value (self->rate_events_spin, events);
  gtk_spin_button_set_value (self->rate_ms_spin, ms);
  gtk_spin_button_set_value (self->duration_spin, duration_ms / 1000);
}

void
beam_trace_window_set_messages (BeamTraceWindow *self,
                                const char      *targets,
                                guint            count)
{
  g_return_if_fail (BEAM_IS_TRACE_WINDOW (self));

  gtk_toggle_button_set_active (self->messages_button, TRUE);
  if (targets != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->message_targets_row), targets);
  if (count > 0)
    {
      adw_combo_row_set_selected (self->limit_row, LIMIT_COUNT);
      gtk_spin_button_set_value (self->count_spin, count);
    }
}

BeamTraceView *
beam_trace_window_get_view (BeamTraceWindow *self)
{
  g_return_val_if_fail (BEAM_IS_TRACE_WINDOW (self), NULL);
  return self->trace_view;
}

BeamTraceSession *
beam_trace_window_get_session (BeamTraceWindow *self)
{
  g_return_val_if_fail (BEAM_IS_TRACE_WINDOW (self), NULL);
  return self->session;
}

const char *
beam_trace_window_get_error (BeamTraceWindow *self)
{
  g_return_val_if_fail (BEAM_IS_TRACE_WINDOW (self), NULL);
  return self->error;
}
