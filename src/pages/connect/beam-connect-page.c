/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The connect screen. EPMD scans run on a worker thread (beam_epmd_names_async)
 * so a host that does not answer never holds a frame. The cookie field starts
 * with the cookie the command line, BEAMSCOPE_COOKIE, or the file chosen in
 * Preferences (the cookie-file setting; erl's own ~/.erlang.cookie when none)
 * gives, and a note under it says which, or why none could be read (with the
 * fix); recent nodes are kept in GSettings by name only. */

#define G_LOG_DOMAIN "beamscope-connect"

#include "config.h"

#include <glib/gi18n.h>

#include "beam-connect-page-private.h"
#include "beam-cookie.h"
#include "beam-epmd.h"

#define EPMD_TIMEOUT_MS 3000

struct _BeamConnectPage
{
  AdwBin        parent_instance;

  AdwEntryRow  *node_row;
  AdwEntryRow  *cookie_row;
  GtkLabel     *cookie_note;
  AdwEntryRow  *host_row;
  GtkLabel     *error_label;
  GtkSpinner   *spinner;
  GtkButton    *connect_button;
  GtkListBox   *found_list;
  GtkListBox   *recent_list;
  GtkWidget    *recent_group;

  GSettings    *settings;
  GCancellable *scan_cancellable;
  GPtrArray    *found;          /* char *: node names from the last scan */
  char         *scanned_host;
  char         *loaded_cookie;  /* what load_cookie() put in the field, or NULL */
  char         *cookie_source;  /* where it came from, as the note says it */
  char         *cookie_problem; /* why none could be read, or NULL */
  gboolean      cookie_given;   /* by --cookie or --cookie-file: the setting is not asked */
};

G_DEFINE_FINAL_TYPE (BeamConnectPage, beam_connect_page, ADW_TYPE_BIN)

enum {
  CONNECT,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
on_connect_clicked (BeamConnectPage *self)
{
  const char *node = gtk_editable_get_text (GTK_EDITABLE (self->node_row));
  const char *cookie = gtk_editable_get_text (GTK_EDITABLE (self->cookie_row));
  g_autoptr(GError) error = NULL;
  g_autofree char *trimmed = g_strstrip (g_strdup (node));

  if (!beam_node_name_split (trimmed, NULL, NULL, &error))
    {
      beam_connect_page_set_error (self, error->message);
      return;
    }
  if (*cookie == '\0')
    {
      beam_connect_page_set_error (self, _("Enter the node's cookie"));
      return;
    }
  beam_connect_page_set_error (self, NULL);
  g_signal_emit (self, signals[CONNECT], 0, trimmed, cookie);
}

static void
set_cookie_note (BeamConnectPage *self,
                 const char      *text,
                 gboolean         is_problem)
{
  gtk_label_set_label (self->cookie_note, text);
  if (is_problem)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->cookie_note), "error");
      gtk_widget_remove_css_class (GTK_WIDGET (self->cookie_note), "dim-label");
    }
  else
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->cookie_note), "dim-label");
      gtk_widget_remove_css_class (GTK_WIDGET (self->cookie_note), "error");
    }
}

/* The note follows the field: what was loaded keeps its source (or its
 * problem, while the field is empty); anything else is the user's. */
static void
on_cookie_changed (BeamConnectPage *self)
{
  const char *cookie = gtk_editable_get_text (GTK_EDITABLE (self->cookie_row));
  g_autofree char *text = NULL;

  if (self->loaded_cookie != NULL && g_strcmp0 (cookie, self->loaded_cookie) == 0)
    {
      text = g_strdup_printf (_("Cookie %s"), self->cookie_source);
      set_cookie_note (self, text, FALSE);
    }
  else if (*cookie == '\0' && self->cookie_problem != NULL)
    set_cookie_note (self, self->cookie_problem, TRUE);
  else if (*cookie == '\0')
    set_cookie_note (self, _("Type the node's cookie"), FALSE);
  else
    set_cookie_note (self, _("Cookie as typed here"), FALSE);
}

/* A cookie file chosen in Preferences is read at once, unless the command
 * line gave the cookie or the user typed one over the loaded cookie. */
static void
on_cookie_file_changed (BeamConnectPage *self)
{
  const char *cookie = gtk_editable_get_text (GTK_EDITABLE (self->cookie_row));

  if (self->cookie_given)
    return;
  if (*cookie != '\0' && g_strcmp0 (cookie, self->loaded_cookie) != 0)
    return;
  beam_connect_page_load_cookie (self, NULL, NULL, NULL);
}

static void
on_row_activated (AdwActionRow    *row,
                  BeamConnectPage *self)
{
  beam_connect_page_set_node (self, g_object_get_data (G_OBJECT (row), "node"));
  on_connect_clicked (self);
}

static GtkWidget *
node_row_new (BeamConnectPage *self,
              const char      *node,
              const char      *subtitle)
{
  GtkWidget *row = adw_action_row_new ();

  /* What the node sends is text, not markup: a pid's "<" would break it. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), node);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                             gtk_image_new_from_icon_name ("go-next-symbolic"));
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  g_object_set_data_full (G_OBJECT (row), "node", g_strdup (node), g_free);
  g_signal_connect_object (row, "activated", G_CALLBACK (on_row_activated), self, 0);
  return row;
}

static void
clear_list (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

static void
show_placeholder (GtkListBox *list,
                  const char *text)
{
  GtkWidget *row = adw_action_row_new ();

  /* The text may be an error quoting the host typed or what EPMD said: text, not markup. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), text);
  gtk_widget_add_css_class (row, "dim-label");
  gtk_list_box_append (list, row);
}

/* The host part of the names EPMD lists. A node started with -sname on this
 * machine is name@<short hostname>, not name@localhost, so that is what
 * "localhost" means here, as in observer's node menu. */
static char *
node_host (const char *typed)
{
  g_autofree char *host = g_strstrip (g_strdup (typed));
  char *dot;

  if (*host != '\0' && g_strcmp0 (host, "localhost") != 0 && !g_str_has_prefix (host, "127."))
    return g_steal_pointer (&host);

  g_free (host);
  host = g_strdup (g_get_host_name ());
  dot = strchr (host, '.');
  if (dot != NULL)
    *dot = '\0';
  return g_steal_pointer (&host);
}

static void
scan_done (GObject      *object G_GNUC_UNUSED,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(BeamConnectPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = beam_epmd_names_finish (result, &error);
  g_autofree char *host = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  clear_list (self->found_list);
  g_ptr_array_set_size (self->found, 0);

  if (entries == NULL)
    {
      show_placeholder (self->found_list, error->message);
      return;
    }

  /* The host that was scanned, not what the field says now. */
  host = node_host (self->scanned_host);
  if (entries->len == 0)
    {
      g_autofree char *text = g_strdup_printf (_("No nodes registered with EPMD on %s"), host);
      show_placeholder (self->found_list, text);
      return;
    }

  for (guint i = 0; i < entries->len; i++)
    {
      BeamEpmdEntry *entry = g_ptr_array_index (entries, i);
      g_autofree char *node = g_strdup_printf ("%s@%s", entry->name, host);
      g_autofree char *subtitle = g_strdup_printf (_("Port %u"), entry->port);

      gtk_list_box_append (self->found_list, node_row_new (self, node, subtitle));
      g_ptr_array_add (self->found, g_steal_pointer (&node));
    }
}

void
beam_connect_page_scan (BeamConnectPage *self)
{
  g_autofree char *host = NULL;

  g_return_if_fail (BEAM_IS_CONNECT_PAGE (self));

  host = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->host_row))));
  if (*host == '\0')
    {
      g_free (host);
      host = g_strdup ("localhost");
    }

  g_cancellable_cancel (self->scan_cancellable);
  g_clear_object (&self->scan_cancellable);
  self->scan_cancellable = g_cancellable_new ();

  /* A new scan cancels the last, so the one that answers is this one. */
  g_free (self->scanned_host);
  self->scanned_host = g_strdup (host);
  beam_epmd_names_async (host, EPMD_TIMEOUT_MS, self->scan_cancellable, scan_done,
                         g_object_ref (self));
}

static void
reload_recent (BeamConnectPage *self)
{
  g_auto(GStrv) recent = g_settings_get_strv (self->settings, "recent-nodes");

  clear_list (self->recent_list);
  for (guint i = 0; recent[i] != NULL; i++)
    gtk_list_box_append (self->recent_list, node_row_new (self, recent[i], NULL));
  gtk_widget_set_visible (self->recent_group, recent[0] != NULL);
}

static void
beam_connect_page_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (beam_connect_page_parent_class)->map (widget);
  beam_connect_page_scan (BEAM_CONNECT_PAGE (widget));
}

static void
beam_connect_page_dispose (GObject *object)
{
  BeamConnectPage *self = BEAM_CONNECT_PAGE (object);

  g_cancellable_cancel (self->scan_cancellable);
  g_clear_object (&self->scan_cancellable);
  g_clear_object (&self->settings);
  /* The template's root is held by the parent class, which unparents it
   * itself; dispose_template would do it a second time. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), BEAM_TYPE_CONNECT_PAGE);

  G_OBJECT_CLASS (beam_connect_page_parent_class)->dispose (object);
}

static void
beam_connect_page_finalize (GObject *object)
{
  BeamConnectPage *self = BEAM_CONNECT_PAGE (object);

  g_clear_pointer (&self->found, g_ptr_array_unref);
  g_free (self->scanned_host);
  if (self->loaded_cookie != NULL)
    memset (self->loaded_cookie, 0, strlen (self->loaded_cookie));
  g_free (self->loaded_cookie);
  g_free (self->cookie_source);
  g_free (self->cookie_problem);

  G_OBJECT_CLASS (beam_connect_page_parent_class)->finalize (object);
}

static void
beam_connect_page_class_init (BeamConnectPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = beam_connect_page_dispose;
  object_class->finalize = beam_connect_page_finalize;
  widget_class->map = beam_connect_page_map;

  /* connect (node, cookie): the user asked to connect. */
  signals[CONNECT] = g_signal_new ("connect", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/beamscope/Beamscope/"
                                               "beam-connect-page.ui");
  gtk_widget_class_bind_template_child (widget_class, BeamConnectPage, node_row);
  gtk_widget_class_bind_template_child (widget_class, BeamConnectPage, cookie_row);
  gtk_widget_class_bind_template_child (widget_class, BeamConnectPage, cookie_note);
  gtk_widget_class_bind_template_child (widget_class, BeamConnectPage, host_row);
  gtk_widget_class_bind_template_child (widget_class, BeamConnectPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, BeamConnectPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, BeamConnectPage, connect_button);
  gtk_widget_class_bind_template_child (widget_class, BeamConnectPage, found_list);
  gtk_widget_class_bind_template_child (widget_class, BeamConnectPage, recent_list);
  gtk_widget_class_bind_template_child (widget_class, BeamConnectPage, recent_group);
  gtk_widget_class_bind_template_callback (widget_class, on_connect_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_cookie_changed);
  gtk_widget_class_bind_template_callback (widget_class, beam_connect_page_scan);
}

static void
beam_connect_page_init (BeamConnectPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->found = g_ptr_array_new_with_free_func (g_free);
  self->scan_cancellable = g_cancellable_new ();

  self->settings = g_settings_new (SETTINGS_SCHEMA_ID);

  /* A default the user can see came from somewhere, and replace. */
  beam_connect_page_load_cookie (self, NULL, NULL, NULL);
  g_signal_connect_object (self->settings, "changed::cookie-file",
                           G_CALLBACK (on_cookie_file_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "changed::recent-nodes", G_CALLBACK (reload_recent),
                           self, G_CONNECT_SWAPPED);
  reload_recent (self);
}

GtkWidget *
beam_connect_page_new (void)
{
  return g_object_new (BEAM_TYPE_CONNECT_PAGE, NULL);
}

gboolean
beam_connect_page_load_cookie (BeamConnectPage  *self,
                               const char       *cookie,
                               const char       *cookie_file,
                               GError          **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *found = NULL;
  g_autofree char *default_file = NULL;

  g_return_val_if_fail (BEAM_IS_CONNECT_PAGE (self), FALSE);

  g_clear_pointer (&self->cookie_source, g_free);
  g_clear_pointer (&self->cookie_problem, g_free);
  if (self->loaded_cookie != NULL)
    memset (self->loaded_cookie, 0, strlen (self->loaded_cookie));
  g_clear_pointer (&self->loaded_cookie, g_free);

  self->cookie_given = cookie != NULL || cookie_file != NULL;
  default_file = g_settings_get_string (self->settings, "cookie-file");
  found = beam_cookie_resolve_from (cookie, cookie_file, default_file, &self->cookie_source,
                                    &local_error);
  if (found == NULL)
    self->cookie_problem = g_strdup (local_error->message);
  self->loaded_cookie = g_strdup (found);
  gtk_editable_set_text (GTK_EDITABLE (self->cookie_row), found != NULL ? found : "");
  on_cookie_changed (self);  /* the field may not have changed */
  if (found != NULL)
    memset (found, 0, strlen (found));

  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}

const char *
beam_connect_page_get_cookie (BeamConnectPage *self)
{
  g_return_val_if_fail (BEAM_IS_CONNECT_PAGE (self), NULL);
  return gtk_editable_get_text (GTK_EDITABLE (self->cookie_row));
}

const char *
beam_connect_page_get_node (BeamConnectPage *self)
{
  g_return_val_if_fail (BEAM_IS_CONNECT_PAGE (self), NULL);
  return gtk_editable_get_text (GTK_EDITABLE (self->node_row));
}

const char *
beam_connect_page_get_cookie_note (BeamConnectPage *self)
{
  g_return_val_if_fail (BEAM_IS_CONNECT_PAGE (self), NULL);
  return gtk_label_get_label (self->cookie_note);
}

void
beam_connect_page_set_busy (BeamConnectPage *self,
                            gboolean         busy)
{
  g_return_if_fail (BEAM_IS_CONNECT_PAGE (self));

  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->connect_button), !busy);
}

void
beam_connect_page_set_error (BeamConnectPage *self,
                             const char      *message)
{
  g_return_if_fail (BEAM_IS_CONNECT_PAGE (self));

  gtk_label_set_label (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

void
beam_connect_page_set_node (BeamConnectPage *self,
                            const char      *node)
{
  g_return_if_fail (BEAM_IS_CONNECT_PAGE (self));
  gtk_editable_set_text (GTK_EDITABLE (self->node_row), node != NULL ? node : "");
}

void
beam_connect_page_set_host (BeamConnectPage *self,
                            const char      *host)
{
  g_return_if_fail (BEAM_IS_CONNECT_PAGE (self));
  gtk_editable_set_text (GTK_EDITABLE (self->host_row), host);
}

GStrv
beam_connect_page_list_found (BeamConnectPage *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (BEAM_IS_CONNECT_PAGE (self), NULL);

  for (guint i = 0; i < self->found->len; i++)
    g_strv_builder_add (builder, g_ptr_array_index (self->found, i));
  return g_strv_builder_end (builder);
}
