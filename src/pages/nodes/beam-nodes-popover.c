/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Nodes menu's popover. While it is open it asks the node for its
 * cluster (beam-cluster: erlang:nodes/1, then EPMD on the node's host) when
 * it opens and every REFRESH_INTERVAL_S after, one question at a time; the
 * answers come back through the node's connection and EPMD's worker thread,
 * so the GTK thread never waits. A list is rebuilt only when its names
 * changed, so a row under the pointer or the keyboard stays put between
 * refreshes. Closed, it asks nothing. */

#define G_LOG_DOMAIN "beamscope-nodes"

#include "config.h"

#include <glib/gi18n.h>

#include "beam-cluster.h"
#include "beam-nodes-popover-private.h"

#define REFRESH_INTERVAL_S 3

struct _BeamNodesPopover
{
  GtkPopover     parent_instance;

  GtkLabel      *status_label;
  GtkWidget     *sections;
  GtkListBox    *visible_list;
  GtkListBox    *hidden_list;
  GtkLabel      *epmd_title;
  GtkListBox    *epmd_list;
  GtkLabel      *epmd_placeholder;

  BeamNode      *node;
  GCancellable  *cancellable;   /* the question in flight, or NULL */
  guint          refresh_id;
  guint          loads;
};

G_DEFINE_FINAL_TYPE (BeamNodesPopover, beam_nodes_popover, GTK_TYPE_POPOVER)

enum {
  PROP_0,
  PROP_NODE,
  N_PROPS
};

enum {
  ACTIVATE_NODE,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

#define NAMES_KEY "beam-node-names"
#define NAME_KEY "beam-node-name"

static GtkWidget *
node_row_new (const char *name)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *label = gtk_label_new (name);  /* plain text: a node's name is no markup */
  GtkWidget *icon = gtk_image_new_from_icon_name ("window-new-symbolic");

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_MIDDLE);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_widget_add_css_class (icon, "dim-label");
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), icon);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_margin_top (box, 9);
  gtk_widget_set_margin_bottom (box, 9);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_widget_set_tooltip_text (row, _("Open in a new window"));
  g_object_set_data_full (G_OBJECT (row), NAME_KEY, g_strdup (name), g_free);
  return row;
}

/* The last row of a list cut on the node: how many more there are. */
static GtkWidget *
more_row_new (guint more)
{
  g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u more node",
                                                        "%u more nodes", more), more);
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *label = gtk_label_new (text);

  gtk_widget_add_css_class (label, "dim-label");
  gtk_widget_set_margin_top (label, 9);
  gtk_widget_set_margin_bottom (label, 9);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), label);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  return row;
}

static void
clear_list (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL &&
         GTK_IS_LIST_BOX_ROW (child))
    gtk_list_box_remove (list, child);
  g_object_set_data (G_OBJECT (list), NAMES_KEY, NULL);
}

/* Rows for `names` and, when the node cut its list, one for the rest. */
static void
show_names (GtkListBox         *list,
            const char * const *names,
            guint               count)
{
  const char * const *shown = g_object_get_data (G_OBJECT (list), NAMES_KEY);
  guint listed = g_strv_length ((GStrv) names);

  if (shown != NULL && g_strv_equal (shown, names) &&
      GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (list), "beam-count")) == count)
    return;
  clear_list (list);
  for (guint i = 0; i < listed; i++)
    gtk_list_box_append (list, node_row_new (names[i]));
  if (count > listed)
    gtk_list_box_append (list, more_row_new (count - listed));
  g_object_set_data_full (G_OBJECT (list), NAMES_KEY, g_strdupv ((GStrv) names),
                          (GDestroyNotify) g_strfreev);
  g_object_set_data (G_OBJECT (list), "beam-count", GUINT_TO_POINTER (count));
}

static void
show_status (BeamNodesPopover *self,
             const char       *text)
{
  gtk_label_set_label (self->status_label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->status_label), text != NULL);
}

static void
show_cluster (BeamNodesPopover  *self,
              const BeamCluster *cluster)
{
  g_autofree char *epmd_title = NULL;
  g_autofree char *placeholder = NULL;

  show_names (self->visible_list, (const char * const *) cluster->visible,
              cluster->visible_count);
  show_names (self->hidden_list, (const char * const *) cluster->hidden, cluster->hidden_count);
  show_names (self->epmd_list, (const char * const *) cluster->epmd_others,
              g_strv_length (cluster->epmd_others));

  /* TRANSLATORS: %s is a host name: the other nodes registered with EPMD there */
  epmd_title = g_strdup_printf (_("Also on %s"), cluster->host);
  gtk_label_set_label (self->epmd_title, epmd_title);
  if (cluster->epmd_error != NULL)
    /* TRANSLATORS: %s says why EPMD could not be asked */
    placeholder = g_strdup_printf (_("EPMD could not be asked: %s"), cluster->epmd_error);
  else
    placeholder = g_strdup (_("No other nodes registered with EPMD"));
  gtk_label_set_label (self->epmd_placeholder, placeholder);

  show_status (self, NULL);
  gtk_widget_set_visible (self->sections, TRUE);
}

static void
fetch_done (GObject      *object G_GNUC_UNUSED,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(BeamNodesPopover) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(BeamCluster) cluster = beam_cluster_fetch_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;  /* closed, or another node: the next question is already someone else's */
  g_clear_object (&self->cancellable);
  if (cluster == NULL)
    {
      /* TRANSLATORS: %s says why the node did not answer */
      g_autofree char *text = g_strdup_printf (_("The node did not answer: %s"), error->message);

      show_status (self, text);
      return;
    }
  self->loads++;
  show_cluster (self, cluster);
}

static void
refresh (BeamNodesPopover *self)
{
  if (self->node == NULL || self->cancellable != NULL)
    return;  /* no node, or the last question is still out: one at a time */
  if (beam_node_get_state (self->node) != BEAM_CONNECTION_STATE_CONNECTED)
    {
      show_status (self, _("Not connected to the node"));
      return;
    }
  self->cancellable = g_cancellable_new ();
  beam_cluster_fetch_async (beam_node_get_connection (self->node), self->cancellable,
                            fetch_done, g_object_ref (self));
}

static gboolean
refresh_tick (gpointer user_data)
{
  refresh (BEAM_NODES_POPOVER (user_data));
  return G_SOURCE_CONTINUE;
}

static void
stop (BeamNodesPopover *self)
{
  g_clear_handle_id (&self->refresh_id, g_source_remove);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
}

static void
on_shown (BeamNodesPopover *self)
{
  refresh (self);
  if (self->refresh_id == 0)
    self->refresh_id = g_timeout_add_seconds (REFRESH_INTERVAL_S, refresh_tick, self);
}

static void
on_closed (BeamNodesPopover *self)
{
  stop (self);
}

static void
on_row_activated (BeamNodesPopover *self,
                  GtkListBoxRow    *row)
{
  g_autofree char *name = g_strdup (g_object_get_data (G_OBJECT (row), NAME_KEY));

  if (name == NULL)
    return;
  gtk_popover_popdown (GTK_POPOVER (self));
  g_signal_emit (self, signals[ACTIVATE_NODE], 0, name);
}

BeamNode *
beam_nodes_popover_get_node (BeamNodesPopover *self)
{
  g_return_val_if_fail (BEAM_IS_NODES_POPOVER (self), NULL);
  return self->node;
}

/* Another node's cluster is another answer: what was shown goes. */
void
beam_nodes_popover_set_node (BeamNodesPopover *self,
                             BeamNode         *node)
{
  g_return_if_fail (BEAM_IS_NODES_POPOVER (self));
  g_return_if_fail (node == NULL || BEAM_IS_NODE (node));

  if (self->node == node)
    return;
  g_clear_handle_id (&self->refresh_id, g_source_remove);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_set_object (&self->node, node);
  clear_list (self->visible_list);
  clear_list (self->hidden_list);
  clear_list (self->epmd_list);
  gtk_widget_set_visible (self->sections, FALSE);
  show_status (self, _("Asking the node…"));
  if (gtk_widget_get_visible (GTK_WIDGET (self)))
    on_shown (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NODE]);
}

guint
beam_nodes_popover_get_loads (BeamNodesPopover *self)
{
  g_return_val_if_fail (BEAM_IS_NODES_POPOVER (self), 0);
  return self->loads;
}

GStrv
beam_nodes_popover_dup_names (BeamNodesPopover *self,
                              const char       *section)
{
  GtkListBox *list = NULL;
  const char * const *names;

  g_return_val_if_fail (BEAM_IS_NODES_POPOVER (self), NULL);

  if (g_strcmp0 (section, "visible") == 0)
    list = self->visible_list;
  else if (g_strcmp0 (section, "hidden") == 0)
    list = self->hidden_list;
  else if (g_strcmp0 (section, "epmd") == 0)
    list = self->epmd_list;
  g_return_val_if_fail (list != NULL, NULL);
  names = g_object_get_data (G_OBJECT (list), NAMES_KEY);
  return names != NULL ? g_strdupv ((GStrv) names) : g_new0 (char *, 1);
}

static void
beam_nodes_popover_dispose (GObject *object)
{
  BeamNodesPopover *self = BEAM_NODES_POPOVER (object);

  stop (self);
  g_clear_object (&self->node);
  gtk_widget_dispose_template (GTK_WIDGET (self), BEAM_TYPE_NODES_POPOVER);

  G_OBJECT_CLASS (beam_nodes_popover_parent_class)->dispose (object);
}

static void
beam_nodes_popover_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  BeamNodesPopover *self = BEAM_NODES_POPOVER (object);

  switch (prop_id)
    {
    case PROP_NODE:
      g_value_set_object (value, self->node);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
beam_nodes_popover_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  BeamNodesPopover *self = BEAM_NODES_POPOVER (object);

  switch (prop_id)
    {
    case PROP_NODE:
      beam_nodes_popover_set_node (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
beam_nodes_popover_class_init (BeamNodesPopoverClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = beam_nodes_popover_dispose;
  object_class->get_property = beam_nodes_popover_get_property;
  object_class->set_property = beam_nodes_popover_set_property;

  properties[PROP_NODE] =
    g_param_spec_object ("node", NULL, NULL, BEAM_TYPE_NODE,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* activate-node (name): the user chose a node, to open in a new window. */
  signals[ACTIVATE_NODE] = g_signal_new ("activate-node", G_TYPE_FROM_CLASS (klass),
                                         G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                         G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/beamscope/Beamscope/"
                                               "beam-nodes-popover.ui");
  gtk_widget_class_bind_template_child (widget_class, BeamNodesPopover, status_label);
  gtk_widget_class_bind_template_child (widget_class, BeamNodesPopover, sections);
  gtk_widget_class_bind_template_child (widget_class, BeamNodesPopover, visible_list);
  gtk_widget_class_bind_template_child (widget_class, BeamNodesPopover, hidden_list);
  gtk_widget_class_bind_template_child (widget_class, BeamNodesPopover, epmd_title);
  gtk_widget_class_bind_template_child (widget_class, BeamNodesPopover, epmd_list);
  gtk_widget_class_bind_template_child (widget_class, BeamNodesPopover, epmd_placeholder);
  gtk_widget_class_bind_template_callback (widget_class, on_shown);
  gtk_widget_class_bind_template_callback (widget_class, on_closed);
  gtk_widget_class_bind_template_callback (widget_class, on_row_activated);
}

static void
beam_nodes_popover_init (BeamNodesPopover *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
