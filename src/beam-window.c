/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One window inspects one node. It shows the connect screen until a
 * connection is up, then the pages. The connection's state is always in the
 * header (an icon and the node's name) and, when it is not "connected", in a
 * bar under it that says why and offers to retry; the pages keep their last
 * data, dimmed, until the node is back.
 *
 * The window names no page: each is a BeamPage in the view stack of
 * beam-window.ui, whose `node` is bound there to the window's. Pages reach
 * each other through the window's actions: win.show-page, win.open-process,
 * win.open-table, win.open-node, win.open-node-process.
 *
 * The header's state icon is the Nodes menu's button (BeamNodesPopover): it
 * lists the node's cluster and the other nodes on its host; a node
 * chosen there opens in a new window, with this window's cookie and
 * read-only mode. A window that closes leaves its size and page in GSettings
 * (window-width, window-height, window-maximized, last-page), which the next
 * window starts from; none is written while windows only resize, so two
 * open windows never resize each other. */

#define G_LOG_DOMAIN "beamscope-window"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "beam-connect-page.h"
#include "beam-list-keys.h"
#include "beam-nodes-popover.h"
#include "beam-page.h"
#include "beam-process-window.h"
#include "beam-switcher-bar.h"
#include "beam-table-window.h"
#include "beam-trace-window.h"
#include "beam-view-stack-keys.h"
#include "beam-window-private.h"

#define MAX_RECENT_NODES 8
#define CONNECT_TIMEOUT_MS 5000

struct _BeamWindow
{
  AdwApplicationWindow  parent_instance;

  AdwToastOverlay      *toast_overlay;
  GtkStack             *main_stack;
  BeamConnectPage      *connect_page;
  AdwViewStack         *view_stack;
  AdwViewSwitcherTitle *switcher_title;
  AdwViewSwitcherBar   *switcher_bar;
  GtkRevealer          *state_revealer;
  GtkWidget            *read_only_pill;
  GtkWidget            *read_only_label;
  GtkMenuButton        *nodes_button;

  GSettings            *settings;
  BeamConnection       *pending;     /* connecting, not yet shown */
  char                 *pending_page;
  char                 *pending_process; /* a pid to open once connected */
  char                 *pending_cookie;
  BeamNode             *node;
  char                 *cookie;      /* the shown node's, for the windows its Nodes menu opens */
  gboolean              shown_node;  /* once: the first node opens on the last page */
  gboolean              read_only;
  int                   fitted_width; /* the header's middle, when the switcher was fitted */
  char                 *error;
};

G_DEFINE_FINAL_TYPE (BeamWindow, beam_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_NODE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* A cookie is wiped before it is freed. */
static void
clear_cookie (char **cookie)
{
  if (*cookie != NULL)
    memset (*cookie, 0, strlen (*cookie));
  g_clear_pointer (cookie, g_free);
}

/* The one place the window's actions are enabled or not. */
static void
update_actions (BeamWindow *self)
{
  gboolean has_node = self->node != NULL;
  gboolean connected = has_node &&
                       beam_node_get_state (self->node) == BEAM_CONNECTION_STATE_CONNECTED;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.disconnect", has_node);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.refresh", has_node);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.retry", has_node && !connected);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.show-page", has_node);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.open-process", has_node);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.process-action", has_node);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.open-table", has_node);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.open-node", has_node);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.open-node-process", has_node);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.show-page-number", has_node);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.previous-page", has_node);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.next-page", has_node);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.find", has_node);
  /* Tracing sets flags and patterns on the node: none with --read-only. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.trace",
                                 connected && !beam_node_get_read_only (self->node));
}

/* The pages follow through the binding in beam-window.ui: set to NULL
 * first, the node is let go by the pages before the window unrefs it. */
static void
set_node (BeamWindow *self,
          BeamNode   *node)
{
  if (self->node == node)
    return;
  if (self->node != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->node, self);
      /* The process, table and playbook windows opened for it go with it. */
      beam_node_close (self->node);
    }
  g_clear_object (&self->node);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NODE]);
  if (node == NULL)
    return;
  self->node = g_object_ref (node);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NODE]);
}

static void
remember_node (BeamWindow *self,
               const char *node)
{
  g_auto(GStrv) recent = g_settings_get_strv (self->settings, "recent-nodes");
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) updated = NULL;
  guint kept = 1;

  g_strv_builder_add (builder, node);
  for (guint i = 0; recent[i] != NULL && kept < MAX_RECENT_NODES; i++)
    if (g_strcmp0 (recent[i], node) != 0)
      {
        g_strv_builder_add (builder, recent[i]);
        kept++;
      }
  updated = g_strv_builder_end (builder);
  g_settings_set_strv (self->settings, "recent-nodes", (const char * const *) updated);
}

/* The one setting for every window, and the node's own language when it is
 * "auto": the pages and windows of terms read the node's syntax. */
static void
apply_syntax (BeamWindow *self)
{
  g_autofree char *choice = NULL;
  gboolean elixir;

  if (self->node == NULL)
    return;
  choice = g_settings_get_string (self->settings, "term-syntax");
  if (g_str_equal (choice, "auto"))
    elixir = beam_node_get_runs_elixir (self->node);
  else
    elixir = g_str_equal (choice, "elixir");
  beam_node_set_syntax (self->node, elixir ? BEAM_SYNTAX_ELIXIR : BEAM_SYNTAX_ERLANG);
}

/* For beam-window.ui's bindings of the node's state. */
static char *
state_icon_name (gpointer            data G_GNUC_UNUSED,
                 BeamConnectionState state,
                 gboolean            answering)
{
  switch (state)
    {
    case BEAM_CONNECTION_STATE_CONNECTED:
      return g_strdup (answering ? "network-wired-symbolic" : "network-wired-no-route-symbolic");
    case BEAM_CONNECTION_STATE_RECONNECTING:
    case BEAM_CONNECTION_STATE_CONNECTING:
      return g_strdup ("network-wired-acquiring-symbolic");
    case BEAM_CONNECTION_STATE_LOST:
    case BEAM_CONNECTION_STATE_DISCONNECTED:
    default:
      return g_strdup ("network-wired-disconnected-symbolic");
    }
}

/* The state button's tooltip: the state, and what the button opens. */
static char *
nodes_button_tooltip (gpointer    data G_GNUC_UNUSED,
                      const char *status_text)
{
  return g_strdup_printf ("%s\n%s", status_text != NULL ? status_text : "",
                          _("Nodes: the node's cluster, and the other nodes on its host"));
}

static gboolean
state_is_trying (gpointer            data G_GNUC_UNUSED,
                 BeamConnectionState state)
{
  return state == BEAM_CONNECTION_STATE_CONNECTING || state == BEAM_CONNECTION_STATE_RECONNECTING;
}

static gboolean
state_is_away (gpointer            data G_GNUC_UNUSED,
               BeamConnectionState state)
{
  return state != BEAM_CONNECTION_STATE_CONNECTED;
}

/* What the .ui cannot bind: a style class, and the actions. */
static void
on_node_state_changed (BeamWindow *self)
{
  gboolean lost = self->node != NULL &&
                  beam_node_get_state (self->node) == BEAM_CONNECTION_STATE_LOST;

  if (lost)
    gtk_widget_add_css_class (GTK_WIDGET (self->state_revealer), "lost");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->state_revealer), "lost");
  update_actions (self);
}

/* The node's name as it calls itself, once it has said (it may have been
 * typed as name@localhost). */
static void
update_title (BeamWindow *self)
{
  g_autofree char *title = NULL;

  if (self->node == NULL)
    return;
  title = g_strdup_printf (_("%s — Beamscope"), beam_node_get_name (self->node));
  gtk_window_set_title (GTK_WINDOW (self), title);
}

static void
show_node (BeamWindow     *self,
           BeamConnection *connection,
           const char     *page)
{
  /* --read-only forces it for the run; the setting asks it of every node,
   * from its next connection (a node's pages and windows read it once). */
  gboolean read_only = self->read_only || g_settings_get_boolean (self->settings, "read-only");
  g_autoptr(BeamNode) node = beam_node_new (connection, read_only);
  g_autofree char *last_page = NULL;

  beam_node_set_cookie (node, self->cookie);  /* for the Cluster page's joins */
  set_node (self, node);
  g_signal_connect_object (self->node, "notify::state", G_CALLBACK (on_node_state_changed),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->node, "notify::runs-elixir", G_CALLBACK (apply_syntax),
                           self, G_CONNECT_SWAPPED);
  apply_syntax (self);
  g_signal_connect_object (self->node, "notify::name", G_CALLBACK (update_title),
                           self, G_CONNECT_SWAPPED);
  update_title (self);

  on_node_state_changed (self);

  gtk_stack_set_visible_child_name (self->main_stack, "node");
  /* A new window shows the page the last window closed on. */
  if (page == NULL && !self->shown_node)
    page = last_page = g_settings_get_string (self->settings, "last-page");
  self->shown_node = TRUE;
  if (page != NULL && beam_window_has_page (self, page))
    adw_view_stack_set_visible_child_name (self->view_stack, page);
}

static void
set_error (BeamWindow *self,
           const char *message)
{
  g_free (self->error);
  self->error = g_strdup (message);
  beam_connect_page_set_error (self->connect_page, message);
}

static void
connect_done (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(BeamWindow) self = user_data;
  BeamConnection *connection = BEAM_CONNECTION (object);
  g_autoptr(GError) error = NULL;
  g_autofree char *page = NULL;

  if (connection != self->pending)
    return;  /* superseded by a later attempt or a disconnect */
  page = g_steal_pointer (&self->pending_page);

  beam_connect_page_set_busy (self->connect_page, FALSE);
  if (!beam_connection_connect_finish (connection, result, &error))
    {
      beam_connection_close (connection);
      g_clear_object (&self->pending);
      clear_cookie (&self->pending_cookie);
      set_error (self, error->message);
      return;
    }

  set_error (self, NULL);
  clear_cookie (&self->cookie);
  self->cookie = g_steal_pointer (&self->pending_cookie);
  remember_node (self, beam_connection_get_target_node (connection));
  show_node (self, connection, page);
  g_clear_object (&self->pending);
  if (self->pending_process != NULL)
    {
      g_autofree char *pid = g_steal_pointer (&self->pending_process);

      beam_process_window_open (GTK_WINDOW (self), self->node, pid);
    }
}

void
beam_window_connect (BeamWindow *self,
                     const char *node,
                     const char *cookie,
                     const char *page)
{
  g_return_if_fail (BEAM_IS_WINDOW (self));
  g_return_if_fail (node != NULL && cookie != NULL);

  if (self->pending != NULL)
    {
      beam_connection_close (self->pending);
      g_clear_object (&self->pending);
    }

  beam_connect_page_set_node (self->connect_page, node);
  beam_connect_page_set_busy (self->connect_page, TRUE);
  set_error (self, NULL);

  g_free (self->pending_page);
  self->pending_page = g_strdup (page);
  clear_cookie (&self->pending_cookie);
  self->pending_cookie = g_strdup (cookie);
  self->pending = beam_connection_new (node, cookie);
  beam_connection_connect_async (self->pending, CONNECT_TIMEOUT_MS, NULL, connect_done,
                                 g_object_ref (self));
}

gboolean
beam_window_launch (BeamWindow  *self,
                    const char  *node,
                    const char  *cookie,
                    const char  *cookie_file,
                    const char  *page,
                    GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  gboolean loaded;

  g_return_val_if_fail (BEAM_IS_WINDOW (self), FALSE);

  loaded = beam_connect_page_load_cookie (self->connect_page, cookie, cookie_file, &local_error);
  if (node == NULL)
    {
      /* Shown under the cookie field; the user may still type one. */
      if (!loaded)
        g_propagate_error (error, g_steal_pointer (&local_error));
      return loaded;
    }
  if (!loaded)
    {
      /* The problem itself is said under the cookie field. */
      beam_connect_page_set_node (self->connect_page, node);
      set_error (self, _("No cookie to connect with: fix the problem above, or type the "
                         "node's cookie"));
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  beam_window_connect (self, node, beam_connect_page_get_cookie (self->connect_page), page);
  return TRUE;
}

void
beam_window_disconnect (BeamWindow *self)
{
  g_return_if_fail (BEAM_IS_WINDOW (self));

  set_node (self, NULL);  /* the last reference: closes the connection */
  clear_cookie (&self->cookie);
  gtk_window_set_title (GTK_WINDOW (self), _("Beamscope"));
  gtk_stack_set_visible_child_name (self->main_stack, "connect");
  update_actions (self);
}

static void
on_connect_requested (BeamWindow      *self,
                      const char      *node,
                      const char      *cookie,
                      BeamConnectPage *page G_GNUC_UNUSED)
{
  beam_window_connect (self, node, cookie, NULL);
}

/* A node in a window of its own (win.open-node: the Nodes menu, the
 * Cluster page): the same cookie (a cluster shares one, and a node with
 * another says so on the new window's connect screen) and the same
 * read-only mode as this one's node, whether --read-only or the setting
 * made it so. */
static BeamWindow *
open_node (BeamWindow *self,
           const char *name)
{
  GtkApplication *application = gtk_window_get_application (GTK_WINDOW (self));
  BeamWindow *window;

  if (self->node == NULL || self->cookie == NULL || name == NULL || *name == '\0')
    return NULL;
  window = beam_window_new (ADW_APPLICATION (application),
                            beam_node_get_read_only (self->node));
  beam_connect_page_use_cookie (window->connect_page, self->cookie,
                                beam_node_get_name (self->node));
  gtk_window_present (GTK_WINDOW (window));
  beam_window_connect (window, name, self->cookie, NULL);
  return window;
}

static void
open_node_action (GtkWidget  *widget,
                  const char *action_name G_GNUC_UNUSED,
                  GVariant   *parameter)
{
  open_node (BEAM_WINDOW (widget), g_variant_get_string (parameter, NULL));
}

/* A process of another node (the Cluster page's longest message queue): its
 * window over a window of its node, opened for it; this window's own node's
 * opens here. */
static void
open_node_process_action (GtkWidget  *widget,
                          const char *action_name G_GNUC_UNUSED,
                          GVariant   *parameter)
{
  BeamWindow *self = BEAM_WINDOW (widget);
  const char *name, *pid;
  BeamWindow *window;

  g_variant_get (parameter, "(&s&s)", &name, &pid);
  if (self->node == NULL)
    return;
  if (g_strcmp0 (name, beam_node_get_name (self->node)) == 0)
    {
      beam_process_window_open (GTK_WINDOW (self), self->node, pid);
      return;
    }
  window = open_node (self, name);
  if (window != NULL)
    {
      g_free (window->pending_process);
      window->pending_process = g_strdup (pid);
    }
}

static void
on_cluster_node_activated (BeamWindow       *self,
                           const char       *name,
                           BeamNodesPopover *popover G_GNUC_UNUSED)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "win.open-node", "s", name);
}

static void
disconnect_action (GtkWidget  *widget,
                   const char *action_name G_GNUC_UNUSED,
                   GVariant   *parameter G_GNUC_UNUSED)
{
  beam_window_disconnect (BEAM_WINDOW (widget));
}

static void
refresh_action (GtkWidget  *widget,
                const char *action_name G_GNUC_UNUSED,
                GVariant   *parameter G_GNUC_UNUSED)
{
  BeamWindow *self = BEAM_WINDOW (widget);
  GtkWidget *page = adw_view_stack_get_visible_child (self->view_stack);

  if (BEAM_IS_PAGE (page))
    beam_page_refresh (BEAM_PAGE (page));
}

/* Another page, with a detail of its own: where a page sends a question such
 * as "who holds the memory?" (("processes", "memory")). */
static void
show_page_action (GtkWidget  *widget,
                  const char *action_name G_GNUC_UNUSED,
                  GVariant   *parameter)
{
  BeamWindow *self = BEAM_WINDOW (widget);
  const char *name, *detail;
  GtkWidget *page;

  g_variant_get (parameter, "(&s&s)", &name, &detail);
  page = adw_view_stack_get_child_by_name (self->view_stack, name);
  if (page == NULL)
    return;
  if (BEAM_IS_PAGE (page) && *detail != '\0')
    beam_page_show_detail (BEAM_PAGE (page), detail);
  adw_view_stack_set_visible_child (self->view_stack, page);
}

/* Alt+1…9: the pages in the order the switcher shows them. */
static void
show_page_number_action (GtkWidget  *widget,
                         const char *action_name G_GNUC_UNUSED,
                         GVariant   *parameter)
{
  beam_view_stack_show_number (BEAM_WINDOW (widget)->view_stack,
                               g_variant_get_int32 (parameter));
}

/* Ctrl+Page Up/Down: the page before or after. */
static void
step_page_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter G_GNUC_UNUSED)
{
  beam_view_stack_step (BEAM_WINDOW (widget)->view_stack,
                        g_str_equal (action_name, "win.next-page") ? 1 : -1);
}

/* Ctrl+F and `/`: the shown page's filter or search, where it has one. */
static void
find_action (GtkWidget  *widget,
             const char *action_name G_GNUC_UNUSED,
             GVariant   *parameter G_GNUC_UNUSED)
{
  BeamWindow *self = BEAM_WINDOW (widget);
  GtkWidget *page = adw_view_stack_get_visible_child (self->view_stack);

  if (page != NULL)
    beam_list_keys_focus_search (page);
}

static void
open_process_action (GtkWidget  *widget,
                     const char *action_name G_GNUC_UNUSED,
                     GVariant   *parameter)
{
  BeamWindow *self = BEAM_WINDOW (widget);

  if (self->node != NULL)
    beam_process_window_open (GTK_WINDOW (self), self->node,
                              g_variant_get_string (parameter, NULL));
}

/* A process's own action (kill, garbage-collect, suspend, resume,
 * get-state) from elsewhere, say the Processes page's context menu: in the
 * process's window, which asks for confirmation and shows what came of it. */
static void
process_action_action (GtkWidget  *widget,
                       const char *action_name G_GNUC_UNUSED,
                       GVariant   *parameter)
{
  static const char * const actions[] = {
    "kill", "garbage-collect", "suspend", "resume", "get-state", NULL,
  };
  BeamWindow *self = BEAM_WINDOW (widget);
  g_autofree char *detailed = NULL;
  BeamProcessWindow *window;
  const char *who, *action;

  g_variant_get (parameter, "(&s&s)", &who, &action);
  if (self->node == NULL || !g_strv_contains (actions, action))
    return;
  window = beam_process_window_new (self->node, who);
  gtk_window_set_application (GTK_WINDOW (window), gtk_window_get_application (GTK_WINDOW (self)));
  gtk_window_present (GTK_WINDOW (window));
  if (g_str_equal (action, "get-state"))
    beam_process_window_show_page (window, "state");
  detailed = g_strconcat ("process.", action, NULL);
  gtk_widget_activate_action (GTK_WIDGET (window), detailed, NULL);
}

/* Calls and messages, traced in a window of their own. */
static void
trace_action (GtkWidget  *widget,
              const char *action_name G_GNUC_UNUSED,
              GVariant   *parameter G_GNUC_UNUSED)
{
  BeamWindow *self = BEAM_WINDOW (widget);

  if (self->node != NULL)
    beam_trace_window_open (GTK_WINDOW (self), self->node, BEAM_TRACE_CALLS, NULL);
}

static void
open_table_action (GtkWidget  *widget,
                   const char *action_name G_GNUC_UNUSED,
                   GVariant   *parameter)
{
  BeamWindow *self = BEAM_WINDOW (widget);

  if (self->node != NULL)
    beam_table_window_open (GTK_WINDOW (self), self->node,
                            g_variant_get_string (parameter, NULL));
}

static void
retry_action (GtkWidget  *widget,
              const char *action_name G_GNUC_UNUSED,
              GVariant   *parameter G_GNUC_UNUSED)
{
  BeamWindow *self = BEAM_WINDOW (widget);

  if (self->node != NULL)
    beam_connection_retry_now (beam_node_get_connection (self->node));
}

static void
beam_window_dispose (GObject *object)
{
  BeamWindow *self = BEAM_WINDOW (object);

  if (self->pending != NULL)
    beam_connection_close (self->pending);
  g_clear_object (&self->pending);
  set_node (self, NULL);
  g_clear_object (&self->settings);
  /* libadwaita 1.2 trips over a switcher that outlives its stack: let go first. */
  if (self->switcher_bar != NULL)
    adw_view_switcher_bar_set_stack (self->switcher_bar, NULL);
  if (self->switcher_title != NULL)
    adw_view_switcher_title_set_stack (self->switcher_title, NULL);
  /* The template's root is held by the parent class, which unparents it
   * itself; dispose_template would do it a second time. */
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), BEAM_TYPE_WINDOW);

  G_OBJECT_CLASS (beam_window_parent_class)->dispose (object);
}

static void
beam_window_finalize (GObject *object)
{
  BeamWindow *self = BEAM_WINDOW (object);

  g_free (self->pending_page);
  g_free (self->pending_process);
  clear_cookie (&self->pending_cookie);
  clear_cookie (&self->cookie);
  g_free (self->error);

  G_OBJECT_CLASS (beam_window_parent_class)->finalize (object);
}

static void
beam_window_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  BeamWindow *self = BEAM_WINDOW (object);

  switch (prop_id)
    {
    case PROP_NODE:
      g_value_set_object (value, self->node);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

void
beam_window_save_state (BeamWindow *self)
{
  int width = 0, height = 0;
  const char *page;

  g_return_if_fail (BEAM_IS_WINDOW (self));

  /* The size it has when not maximized: GTK keeps the default size so. */
  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  if (width > 0 && height > 0)
    {
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
    }
  g_settings_set_boolean (self->settings, "window-maximized",
                          gtk_window_is_maximized (GTK_WINDOW (self)));
  /* The page of a node: a window on the connect screen has none to leave. */
  page = adw_view_stack_get_visible_child_name (self->view_stack);
  if (self->node != NULL && page != NULL)
    g_settings_set_string (self->settings, "last-page", page);
}

static gboolean
beam_window_close_request (GtkWindow *window)
{
  beam_window_save_state (BEAM_WINDOW (window));
  return GTK_WINDOW_CLASS (beam_window_parent_class)->close_request (window);
}

static void
beam_window_class_init (BeamWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = beam_window_dispose;
  object_class->finalize = beam_window_finalize;
  object_class->get_property = beam_window_get_property;
  window_class->close_request = beam_window_close_request;

  properties[PROP_NODE] =
    g_param_spec_object ("node", NULL, NULL, BEAM_TYPE_NODE,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* The pages' types are not named here: GtkBuilder finds each page's
   * _get_type() in the executable (linked with --export-dynamic). */
  g_type_ensure (BEAM_TYPE_CONNECT_PAGE);
  g_type_ensure (BEAM_TYPE_NODES_POPOVER);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/beamscope/Beamscope/beam-window.ui");
  gtk_widget_class_bind_template_child (widget_class, BeamWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, BeamWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, BeamWindow, connect_page);
  gtk_widget_class_bind_template_child (widget_class, BeamWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, BeamWindow, switcher_title);
  gtk_widget_class_bind_template_child (widget_class, BeamWindow, switcher_bar);
  gtk_widget_class_bind_template_child (widget_class, BeamWindow, state_revealer);
  gtk_widget_class_bind_template_child (widget_class, BeamWindow, read_only_pill);
  gtk_widget_class_bind_template_child (widget_class, BeamWindow, read_only_label);
  gtk_widget_class_bind_template_child (widget_class, BeamWindow, nodes_button);
  gtk_widget_class_bind_template_callback (widget_class, on_connect_requested);
  gtk_widget_class_bind_template_callback (widget_class, on_cluster_node_activated);
  gtk_widget_class_bind_template_callback (widget_class, state_icon_name);
  gtk_widget_class_bind_template_callback (widget_class, nodes_button_tooltip);
  gtk_widget_class_bind_template_callback (widget_class, state_is_trying);
  gtk_widget_class_bind_template_callback (widget_class, state_is_away);

  gtk_widget_class_install_action (widget_class, "win.disconnect", NULL, disconnect_action);
  gtk_widget_class_install_action (widget_class, "win.refresh", NULL, refresh_action);
  gtk_widget_class_install_action (widget_class, "win.retry", NULL, retry_action);
  gtk_widget_class_install_action (widget_class, "win.show-page", "(ss)", show_page_action);
  gtk_widget_class_install_action (widget_class, "win.open-process", "s", open_process_action);
  gtk_widget_class_install_action (widget_class, "win.open-table", "s", open_table_action);
  gtk_widget_class_install_action (widget_class, "win.open-node", "s", open_node_action);
  gtk_widget_class_install_action (widget_class, "win.open-node-process", "(ss)",
                                   open_node_process_action);
  gtk_widget_class_install_action (widget_class, "win.trace", NULL, trace_action);
  gtk_widget_class_install_action (widget_class, "win.process-action", "(ss)",
                                   process_action_action);
  /* Their keys (Alt+1…9, Ctrl+Page Up/Down, Ctrl+F) are the application's
   * accels, which act before any widget's: a list's Ctrl+Page Up does not
   * scroll it sideways instead. */
  gtk_widget_class_install_action (widget_class, "win.show-page-number", "i",
                                   show_page_number_action);
  gtk_widget_class_install_action (widget_class, "win.previous-page", NULL, step_page_action);
  gtk_widget_class_install_action (widget_class, "win.next-page", NULL, step_page_action);
  gtk_widget_class_install_action (widget_class, "win.find", NULL, find_action);
  /* Ctrl+R and F5 are the application's accels for win.refresh, bound once
   * there (beam-application.c) so that menus show them. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK, "win.disconnect",
                                       NULL);
}

/* The read-only marker is a pill saying "Read-only" beside a lock where the header has
 * room for it, else the lock alone: the header's switcher needs its middle in its narrow
 * form (fit_switcher_title), and the pill's 90 px would take them from it below 1200 px (the
 * lock's tooltip and accessible label still say it). The window's width decides, not the
 * switcher's, so the two never chase each other. */
static void
update_read_only_pill (BeamWindow *self,
                       GParamSpec *pspec G_GNUC_UNUSED,
                       gpointer    user_data G_GNUC_UNUSED)
{
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (self));
  int width = 0, height = 0;
  gboolean room;

  /* Once shown, the surface's width is the real one: a maximized or tiled
   * window, or one the screen clamped, is not its default size. */
  if (surface != NULL)
    width = gdk_surface_get_width (surface);
  else  /* (GTK 4.8 writes both, whatever the documentation says of NULL) */
    gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  room = width <= 0 || width >= 1200;
  gtk_widget_set_visible (self->read_only_label, room);
  if (room)
    gtk_widget_add_css_class (self->read_only_pill, "beam-pill");
  else
    gtk_widget_remove_css_class (self->read_only_pill, "beam-pill");
}

/* Nine pages in the header from 1100 px wide. libadwaita 1.2 gives each
 * narrow button a natural width of at least 100 px and its squeezer picks the
 * narrow switcher over the title by natural widths, so nine pages would need
 * 900 px where the header has 854, and the bar at the bottom would take the
 * pages' height. So the squeezer picks by minimum widths (the wide switcher's
 * is its natural one; style.css trims its padding), the title takes the
 * header's middle whatever it shows, and the window turns the switcher off
 * (the title then shows, and the bar) only while the narrow buttons' own
 * widths do not fit in that middle, so that no title is ever cut. Decided
 * from the middle's width, which does not depend on what it shows, after
 * each frame, never during a layout: a change starts the next frame. (Not a
 * tick callback: that keeps the frame clock running, 60 frames a second
 * while nothing changes.) */
static void
find_squeezer (GtkWidget *widget)
{
  if (ADW_IS_SQUEEZER (widget))
    adw_squeezer_set_switch_threshold_policy (ADW_SQUEEZER (widget),
                                              ADW_FOLD_THRESHOLD_POLICY_MINIMUM);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    find_squeezer (child);
}

static AdwViewSwitcher *
find_narrow_switcher (GtkWidget *widget)
{
  if (ADW_IS_VIEW_SWITCHER (widget) &&
      adw_view_switcher_get_policy (ADW_VIEW_SWITCHER (widget)) == ADW_VIEW_SWITCHER_POLICY_NARROW)
    return ADW_VIEW_SWITCHER (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      AdwViewSwitcher *found = find_narrow_switcher (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The widest natural width of a `box.narrow` (a narrow button's icon over
 * its title) under `widget`. */
static int
widest_narrow_box (GtkWidget *widget)
{
  int widest = 0, natural;

  if (GTK_IS_BOX (widget) && gtk_widget_has_css_class (widget, "narrow"))
    {
      gtk_widget_measure (widget, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &natural, NULL, NULL);
      return natural;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    widest = MAX (widest, widest_narrow_box (child));
  return widest;
}

/* What the narrow switcher needs with no title cut: its widest title's
 * width and 6 px to spare for every button (not libadwaita's 100 px each). */
static int
narrow_switcher_need (AdwViewSwitcher *switcher)
{
  guint buttons = 0;

  for (GtkWidget *button = gtk_widget_get_first_child (GTK_WIDGET (switcher)); button != NULL;
       button = gtk_widget_get_next_sibling (button))
    if (gtk_widget_get_visible (button))
      buttons++;
  return (widest_narrow_box (GTK_WIDGET (switcher)) + 6) * (int) buttons;
}

static void
fit_switcher_title (BeamWindow *self)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self->switcher_title));
  AdwViewSwitcher *narrow;
  gboolean fits;

  if (width <= 0 || width == self->fitted_width)
    return;
  self->fitted_width = width;
  narrow = find_narrow_switcher (GTK_WIDGET (self->switcher_title));
  fits = narrow == NULL || narrow_switcher_need (narrow) <= width;
  if (fits != adw_view_switcher_title_get_view_switcher_enabled (self->switcher_title))
    adw_view_switcher_title_set_view_switcher_enabled (self->switcher_title, fits);
}

/* The surface and its frame clock exist from here on. The surface's size
 * changes outside any allocation, so hiding the word then starts a new layout
 * rather than redoing this one. */
static void
on_realize (BeamWindow *self)
{
  g_signal_connect_object (gtk_native_get_surface (GTK_NATIVE (self)), "notify::width",
                           G_CALLBACK (update_read_only_pill), self, G_CONNECT_SWAPPED);
  update_read_only_pill (self, NULL, NULL);
  g_signal_connect_object (gtk_widget_get_frame_clock (GTK_WIDGET (self)), "after-paint",
                           G_CALLBACK (fit_switcher_title), self, G_CONNECT_SWAPPED);
}

static void
beam_window_init (BeamWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  find_squeezer (GTK_WIDGET (self->switcher_title));
  gtk_widget_set_hexpand (GTK_WIDGET (self->switcher_title), TRUE);
  beam_switcher_bar_follow_title (self->switcher_bar, self->switcher_title);
  /* `/` finds on the pages, not on the connect screen. */
  beam_list_keys_add_slash (GTK_WIDGET (self), "win.find", GTK_WIDGET (self->view_stack));
  self->settings = g_settings_new (SETTINGS_SCHEMA_ID);
  {
    g_autoptr(GSimpleActionGroup) group = g_simple_action_group_new ();
    g_autoptr(GAction) syntax = g_settings_create_action (self->settings, "term-syntax");

    g_action_map_add_action (G_ACTION_MAP (group), syntax);
    gtk_widget_insert_action_group (GTK_WIDGET (self), "settings", G_ACTION_GROUP (group));
  }
  g_signal_connect_object (self->settings, "changed::term-syntax", G_CALLBACK (apply_syntax),
                           self, G_CONNECT_SWAPPED);

  if (DEVELOPMENT)
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");

  update_actions (self);
  g_signal_connect (self, "notify::default-width", G_CALLBACK (update_read_only_pill), NULL);
  g_signal_connect (self, "realize", G_CALLBACK (on_realize), NULL);
  /* Read once: the settings are written when a window closes
   * (beam_window_save_state), not bound, or every open window would take the
   * size of the one being resized. */
  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
}

BeamWindow *
beam_window_new (AdwApplication *application,
                 gboolean        read_only)
{
  BeamWindow *self = g_object_new (BEAM_TYPE_WINDOW, "application", application, NULL);

  self->read_only = !!read_only;
  return self;
}

BeamNode *
beam_window_get_node (BeamWindow *self)
{
  g_return_val_if_fail (BEAM_IS_WINDOW (self), NULL);
  return self->node;
}

GtkWidget *
beam_window_get_connect_page (BeamWindow *self)
{
  g_return_val_if_fail (BEAM_IS_WINDOW (self), NULL);
  return GTK_WIDGET (self->connect_page);
}

GtkMenuButton *
beam_window_get_nodes_button (BeamWindow *self)
{
  g_return_val_if_fail (BEAM_IS_WINDOW (self), NULL);
  return self->nodes_button;
}

GtkWidget *
beam_window_get_page (BeamWindow *self,
                      const char *name)
{
  g_return_val_if_fail (BEAM_IS_WINDOW (self), NULL);
  return adw_view_stack_get_child_by_name (self->view_stack, name);
}

void
beam_window_show_page (BeamWindow *self,
                       const char *name)
{
  g_return_if_fail (BEAM_IS_WINDOW (self));
  adw_view_stack_set_visible_child_name (self->view_stack, name);
}

gboolean
beam_window_has_page (BeamWindow *self,
                      const char *name)
{
  g_return_val_if_fail (BEAM_IS_WINDOW (self), FALSE);
  return name != NULL && adw_view_stack_get_child_by_name (self->view_stack, name) != NULL;
}

char *
beam_window_dup_page_names (BeamWindow *self)
{
  g_autoptr(GtkSelectionModel) pages = NULL;
  GString *names = g_string_new (NULL);

  g_return_val_if_fail (BEAM_IS_WINDOW (self), NULL);

  pages = adw_view_stack_get_pages (self->view_stack);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (pages)); i++)
    {
      g_autoptr(AdwViewStackPage) page = g_list_model_get_item (G_LIST_MODEL (pages), i);

      if (names->len > 0)
        g_string_append (names, ", ");
      g_string_append (names, adw_view_stack_page_get_name (page));
    }
  return g_string_free (names, FALSE);
}

const char *
beam_window_get_error (BeamWindow *self)
{
  g_return_val_if_fail (BEAM_IS_WINDOW (self), NULL);
  return self->error;
}
