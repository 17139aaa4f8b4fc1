/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What every page of a node did the same way before it had a base class:
 * renewing its cancellable on a node change, polling only while mapped and
 * connected, one question at a time, dimming while the node is away, and the
 * order of things in dispose. The timer holds no reference: it is removed on
 * unmap and dispose, so a page is never kept alive by its own refresher. */

#define G_LOG_DOMAIN "beamscope-pages"

#include "config.h"

#include <glib/gi18n.h>

#include "beam-page.h"

typedef struct
{
  BeamNode     *node;
  GCancellable *cancellable;
  GSettings    *settings;
  guint         refresh_interval;  /* seconds; 0: only when asked */
  guint         timeout_id;
  guint         refreshes;
  gboolean      busy;
  gboolean      paused;
  GtkWidget    *paused_label;  /* a pill over the page's corner while paused; NULL before */
} BeamPagePrivate;

G_DEFINE_TYPE_WITH_PRIVATE (BeamPage, beam_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_NODE,
  PROP_BUSY,
  PROP_PAUSED,
  PROP_REFRESH_INTERVAL,
  PROP_REFRESHES,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
set_busy (BeamPage *self,
          gboolean  busy)
{
  BeamPagePrivate *priv = beam_page_get_instance_private (self);

  if (priv->busy == busy)
    return;
  priv->busy = busy;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static gboolean
on_timeout (gpointer user_data)
{
  BeamPage *self = user_data;
  BeamPagePrivate *priv = beam_page_get_instance_private (self);

  priv->timeout_id = 0;
  beam_page_refresh (self);
  return G_SOURCE_REMOVE;
}

static void
schedule (BeamPage *self)
{
  BeamPagePrivate *priv = beam_page_get_instance_private (self);

  g_clear_handle_id (&priv->timeout_id, g_source_remove);
  if (gtk_widget_get_mapped (GTK_WIDGET (self)) && !priv->paused && priv->refresh_interval > 0)
    priv->timeout_id = g_timeout_add_seconds (priv->refresh_interval, on_timeout, self);
}

/* The dimming, on the page shown only: a class on a page restyles all of
 * it, and nine hidden pages restyled at once took the turn a node went away
 * past 100 ms (tests/display/test-hostile-pages.c). A page takes it when
 * shown. */
static void
show_stale (BeamPage *self)
{
  BeamPagePrivate *priv = beam_page_get_instance_private (self);

  if (priv->node != NULL && beam_node_get_stale (priv->node))
    gtk_widget_add_css_class (GTK_WIDGET (self), "stale");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "stale");
}

static void
on_node_state_changed (BeamPage *self)
{
  BeamPagePrivate *priv = beam_page_get_instance_private (self);

  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    show_stale (self);
  if (!beam_node_get_stale (priv->node))
    beam_page_refresh (self);
}

static void
beam_page_map (GtkWidget *widget)
{
  show_stale (BEAM_PAGE (widget));
  GTK_WIDGET_CLASS (beam_page_parent_class)->map (widget);
  beam_page_refresh (BEAM_PAGE (widget));
}

static void
beam_page_unmap (GtkWidget *widget)
{
  BeamPagePrivate *priv = beam_page_get_instance_private (BEAM_PAGE (widget));

  g_clear_handle_id (&priv->timeout_id, g_source_remove);
  GTK_WIDGET_CLASS (beam_page_parent_class)->unmap (widget);
}

static void
beam_page_constructed (GObject *object)
{
  BeamPage *self = BEAM_PAGE (object);
  BeamPagePrivate *priv = beam_page_get_instance_private (self);
  const char *key = BEAM_PAGE_GET_CLASS (self)->interval_key;

  G_OBJECT_CLASS (beam_page_parent_class)->constructed (object);

  /* Read here, not in init: only now is the class the page's own. */
  if (key != NULL)
    {
      priv->settings = g_settings_new (SETTINGS_SCHEMA_ID);
      g_settings_bind (priv->settings, key, self, "refresh-interval", G_SETTINGS_BIND_GET);
    }
}

static void
beam_page_dispose (GObject *object)
{
  BeamPage *self = BEAM_PAGE (object);
  BeamPagePrivate *priv = beam_page_get_instance_private (self);

  g_clear_handle_id (&priv->timeout_id, g_source_remove);
  g_cancellable_cancel (priv->cancellable);
  g_clear_pointer (&priv->paused_label, gtk_widget_unparent);
  if (priv->node != NULL)
    g_signal_handlers_disconnect_by_data (priv->node, self);
  g_clear_object (&priv->node);
  g_clear_object (&priv->settings);

  G_OBJECT_CLASS (beam_page_parent_class)->dispose (object);
}

static void
beam_page_finalize (GObject *object)
{
  BeamPagePrivate *priv = beam_page_get_instance_private (BEAM_PAGE (object));

  g_clear_object (&priv->cancellable);

  G_OBJECT_CLASS (beam_page_parent_class)->finalize (object);
}

static void
beam_page_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  BeamPage *self = BEAM_PAGE (object);
  BeamPagePrivate *priv = beam_page_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_NODE:
      g_value_set_object (value, priv->node);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, priv->busy);
      break;
    case PROP_PAUSED:
      g_value_set_boolean (value, priv->paused);
      break;
    case PROP_REFRESH_INTERVAL:
      g_value_set_uint (value, priv->refresh_interval);
      break;
    case PROP_REFRESHES:
      g_value_set_uint (value, priv->refreshes);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
beam_page_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  BeamPage *self = BEAM_PAGE (object);

  switch (prop_id)
    {
    case PROP_NODE:
      beam_page_set_node (self, g_value_get_object (value));
      break;
    case PROP_PAUSED:
      beam_page_set_paused (self, g_value_get_boolean (value));
      break;
    case PROP_REFRESH_INTERVAL:
      beam_page_set_refresh_interval (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
beam_page_class_init (BeamPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = beam_page_constructed;
  object_class->dispose = beam_page_dispose;
  object_class->finalize = beam_page_finalize;
  object_class->get_property = beam_page_get_property;
  object_class->set_property = beam_page_set_property;
  widget_class->map = beam_page_map;
  widget_class->unmap = beam_page_unmap;

  properties[PROP_NODE] =
    g_param_spec_object ("node", NULL, NULL, BEAM_TYPE_NODE,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_PAUSED] =
    g_param_spec_boolean ("paused", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_REFRESH_INTERVAL] =
    g_param_spec_uint ("refresh-interval", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_REFRESHES] =
    g_param_spec_uint ("refreshes", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

}

static void
beam_page_init (BeamPage *self)
{
  BeamPagePrivate *priv = beam_page_get_instance_private (self);

  priv->cancellable = g_cancellable_new ();
}

void
beam_page_class_set_interval_key (BeamPageClass *klass,
                                  const char    *key)
{
  g_return_if_fail (BEAM_IS_PAGE_CLASS (klass));
  klass->interval_key = key;
}

BeamNode *
beam_page_get_node (BeamPage *self)
{
  BeamPagePrivate *priv = beam_page_get_instance_private (self);

  g_return_val_if_fail (BEAM_IS_PAGE (self), NULL);
  return priv->node;
}

/* Names and terms are printed as a page shows them: a refresh prints them
 * in the new syntax. A paused page keeps what it shows. */
static void
on_syntax_changed (BeamPage *self)
{
  if (!beam_page_get_paused (self))
    beam_page_refresh (self);
}

void
beam_page_set_node (BeamPage *self,
                    BeamNode *node)
{
  BeamPagePrivate *priv = beam_page_get_instance_private (self);

  g_return_if_fail (BEAM_IS_PAGE (self));
  g_return_if_fail (node == NULL || BEAM_IS_NODE (node));

  if (priv->node == node)
    return;

  /* Nothing of the previous node may show, or arrive late, on the next one. */
  if (priv->node != NULL)
    g_signal_handlers_disconnect_by_data (priv->node, self);
  g_cancellable_cancel (priv->cancellable);
  g_clear_object (&priv->cancellable);
  priv->cancellable = g_cancellable_new ();
  g_clear_handle_id (&priv->timeout_id, g_source_remove);
  set_busy (self, FALSE);
  g_set_object (&priv->node, node);

  if (BEAM_PAGE_GET_CLASS (self)->node_changed != NULL)
    BEAM_PAGE_GET_CLASS (self)->node_changed (self, node);
  if (node != NULL)
    {
      g_signal_connect_object (node, "notify::stale", G_CALLBACK (on_node_state_changed), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (node, "notify::elixir-syntax", G_CALLBACK (on_syntax_changed),
                               self, G_CONNECT_SWAPPED);
      on_node_state_changed (self);
    }
  else if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    show_stale (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NODE]);
}

BeamConnection *
beam_page_get_connection (BeamPage *self)
{
  BeamPagePrivate *priv = beam_page_get_instance_private (self);
  BeamConnection *connection;

  g_return_val_if_fail (BEAM_IS_PAGE (self), NULL);

  if (priv->node == NULL)
    return NULL;
  connection = beam_node_get_connection (priv->node);
  if (beam_connection_get_state (connection) != BEAM_CONNECTION_STATE_CONNECTED)
    return NULL;
  return connection;
}

GCancellable *
beam_page_get_cancellable (BeamPage *self)
{
  BeamPagePrivate *priv = beam_page_get_instance_private (self);

  g_return_val_if_fail (BEAM_IS_PAGE (self), NULL);
  return priv->cancellable;
}

gboolean
beam_page_get_read_only (BeamPage *self)
{
  BeamPagePrivate *priv = beam_page_get_instance_private (self);

  g_return_val_if_fail (BEAM_IS_PAGE (self), TRUE);
  return priv->node == NULL || beam_node_get_read_only (priv->node);
}

void
beam_page_refresh (BeamPage *self)
{
  BeamPagePrivate *priv = beam_page_get_instance_private (self);
  BeamPageClass *klass;
  BeamConnection *connection;

  g_return_if_fail (BEAM_IS_PAGE (self));

  klass = BEAM_PAGE_GET_CLASS (self);
  g_clear_handle_id (&priv->timeout_id, g_source_remove);
  if (klass->refresh == NULL || priv->busy || !gtk_widget_get_mapped (GTK_WIDGET (self)))
    return;
  connection = beam_page_get_connection (self);
  if (connection == NULL)
    return;  /* asked again when the node is back */

  set_busy (self, TRUE);
  klass->refresh (self, connection, priv->cancellable);
}

void
beam_page_refresh_done (BeamPage     *self,
                        const GError *error)
{
  BeamPagePrivate *priv = beam_page_get_instance_private (self);

  g_return_if_fail (BEAM_IS_PAGE (self));

  if (error == NULL)
    {
      priv->refreshes++;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REFRESHES]);
    }
  set_busy (self, FALSE);
  schedule (self);
}

gboolean
beam_page_get_busy (BeamPage *self)
{
  BeamPagePrivate *priv = beam_page_get_instance_private (self);

  g_return_val_if_fail (BEAM_IS_PAGE (self), FALSE);
  return priv->busy;
}

/* A paused page says so, where it is seen: a small label over its bottom
 * corner (AdwBin lays every child over the whole page; this one aligns to
 * the corner, last, so it is drawn on top, and lets clicks through). */
static void
show_paused (BeamPage *self)
{
  BeamPagePrivate *priv = beam_page_get_instance_private (self);

  if (priv->paused_label == NULL && priv->paused)
    {
      GtkWidget *label = gtk_label_new (_("Paused"));

      priv->paused_label = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
      gtk_box_append (GTK_BOX (priv->paused_label),
                      gtk_image_new_from_icon_name ("media-playback-pause-symbolic"));
      gtk_box_append (GTK_BOX (priv->paused_label), label);
      gtk_widget_set_name (priv->paused_label, "paused-label");
      /* An on-screen-display pill, padded as a toolbar. */
      gtk_widget_add_css_class (priv->paused_label, "osd");
      gtk_widget_add_css_class (priv->paused_label, "toolbar");
      gtk_widget_add_css_class (label, "heading");
      gtk_widget_set_halign (priv->paused_label, GTK_ALIGN_END);
      gtk_widget_set_valign (priv->paused_label, GTK_ALIGN_END);
      gtk_widget_set_margin_end (priv->paused_label, 18);
      gtk_widget_set_margin_bottom (priv->paused_label, 18);
      gtk_widget_set_can_target (priv->paused_label, FALSE);
      gtk_widget_set_tooltip_text (priv->paused_label, _("Not refreshed until resumed"));
    }
  if (priv->paused_label == NULL)
    return;
  if (priv->paused)
    {
      if (gtk_widget_get_parent (priv->paused_label) == NULL)
        gtk_widget_set_parent (priv->paused_label, GTK_WIDGET (self));
      else
        gtk_widget_insert_before (priv->paused_label, GTK_WIDGET (self), NULL);
    }
  gtk_widget_set_visible (priv->paused_label, priv->paused);
}

gboolean
beam_page_get_paused_label_shown (BeamPage *self)
{
  BeamPagePrivate *priv = beam_page_get_instance_private (self);

  g_return_val_if_fail (BEAM_IS_PAGE (self), FALSE);
  return priv->paused_label != NULL && gtk_widget_get_mapped (priv->paused_label);
}

gboolean
beam_page_get_paused (BeamPage *self)
{
  BeamPagePrivate *priv = beam_page_get_instance_private (self);

  g_return_val_if_fail (BEAM_IS_PAGE (self), FALSE);
  return priv->paused;
}

void
beam_page_set_paused (BeamPage *self,
                      gboolean  paused)
{
  BeamPagePrivate *priv = beam_page_get_instance_private (self);

  g_return_if_fail (BEAM_IS_PAGE (self));

  paused = !!paused;
  if (priv->paused == paused)
    return;
  priv->paused = paused;
  if (paused)
    g_clear_handle_id (&priv->timeout_id, g_source_remove);
  else
    beam_page_refresh (self);
  show_paused (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAUSED]);
}

guint
beam_page_get_refresh_interval (BeamPage *self)
{
  BeamPagePrivate *priv = beam_page_get_instance_private (self);

  g_return_val_if_fail (BEAM_IS_PAGE (self), 0);
  return priv->refresh_interval;
}

void
beam_page_set_refresh_interval (BeamPage *self,
                                guint     seconds)
{
  BeamPagePrivate *priv = beam_page_get_instance_private (self);

  g_return_if_fail (BEAM_IS_PAGE (self));

  if (priv->refresh_interval == seconds)
    return;
  priv->refresh_interval = seconds;
  if (priv->timeout_id != 0)
    schedule (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REFRESH_INTERVAL]);
}

guint
beam_page_get_refreshes (BeamPage *self)
{
  BeamPagePrivate *priv = beam_page_get_instance_private (self);

  g_return_val_if_fail (BEAM_IS_PAGE (self), 0);
  return priv->refreshes;
}

void
beam_page_show_detail (BeamPage   *self,
                       const char *detail)
{
  g_return_if_fail (BEAM_IS_PAGE (self));

  if (BEAM_PAGE_GET_CLASS (self)->show_detail != NULL)
    BEAM_PAGE_GET_CLASS (self)->show_detail (self, detail);
}

static gboolean
choice_from_setting (GValue   *value,
                     GVariant *variant,
                     gpointer  user_data)
{
  const guint *choices = user_data;
  guint wanted = g_variant_get_uint32 (variant);

  for (guint i = 0; choices[i] != 0; i++)
    if (choices[i] == wanted)
      {
        g_value_set_uint (value, i);
        return TRUE;
      }
  return FALSE;
}

static GVariant *
setting_from_choice (const GValue       *value,
                     const GVariantType *type G_GNUC_UNUSED,
                     gpointer            user_data)
{
  const guint *choices = user_data;
  guint selected = g_value_get_uint (value);

  for (guint i = 0; choices[i] != 0; i++)
    if (i == selected)
      return g_variant_new_uint32 (choices[i]);
  return NULL;
}

void
beam_page_bind_choices (GSettings   *settings,
                        const char  *key,
                        gpointer     chooser,
                        const guint *choices)
{
  g_return_if_fail (G_IS_SETTINGS (settings));
  g_return_if_fail (GTK_IS_DROP_DOWN (chooser) || ADW_IS_COMBO_ROW (chooser));

  g_settings_bind_with_mapping (settings, key, chooser, "selected", G_SETTINGS_BIND_DEFAULT,
                                choice_from_setting, setting_from_choice, (gpointer) choices,
                                NULL);
}

void
beam_page_dispose_template (BeamPage *self,
                            GType     type)
{
  g_return_if_fail (BEAM_IS_PAGE (self));

  /* The template's root is held by AdwBin, which unparents it itself;
   * dispose_template would do it a second time. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), type);
}
