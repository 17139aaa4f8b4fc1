/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Tables page: every ETS table of the node, as ets:info/1 tells it,
 * sortable by any column and filtered by name or owner, kernel's, stdlib's
 * and the runtime's tables behind a toggle. Refreshed while on screen; the
 * rows are updated in place, so the selection stays, and re-sorted, as the
 * figures sorted on change. Each refresh is a sample of every table's size
 * and memory (kept in its row): a sparkline of the last ones and the change
 * since the first, coloured when it grew, so a table growing without bound
 * stands out, and sorting by change puts it first.
 *
 * Where Mnesia runs, a switcher ("ETS | Mnesia", as GNOME apps switch views
 * inside a pane) shows its tables too, asked after the ETS tables on each
 * refresh; it hides again when Mnesia stops, and never shows where it does
 * not run. */

#define G_LOG_DOMAIN "beamscope-tables"

#include "config.h"

#include <glib/gi18n.h>

#include "beam-number-format.h"
#include "beam-ets-table-row.h"
#include "beam-ets-tables.h"
#include "beam-list-keys.h"
#include "beam-mnesia-table-row.h"
#include "beam-mnesia-tables.h"
#include "beam-sparkline.h"
#include "beam-tables-page-private.h"

struct _BeamTablesPage
{
  BeamPage            parent_instance;

  GtkSearchEntry     *filter_entry;
  GtkLabel           *status_label;
  GtkToggleButton    *system_toggle;
  GtkToggleButton    *pause_button;
  GtkColumnView      *tables_view;
  GtkSingleSelection *selection;
  GtkFilterListModel *filtered;
  GListStore         *tables;
  GtkCustomFilter    *filter;

  GtkStack           *sections;
  GtkColumnView      *mnesia_view;
  GtkSingleSelection *mnesia_selection;
  GtkFilterListModel *mnesia_filtered;
  GListStore         *mnesia_tables;
  GtkCustomFilter    *mnesia_filter;
  gboolean            mnesia_running;
  GSettings          *settings;
};

G_DEFINE_FINAL_TYPE (BeamTablesPage, beam_tables_page, BEAM_TYPE_PAGE)

enum {
  PROP_0,
  PROP_MNESIA_RUNNING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

char *
beam_tables_page_format_count (gpointer unused G_GNUC_UNUSED,
                               gint64   count)
{
  return beam_format_count (count);
}

char *
beam_tables_page_format_bytes (gpointer unused G_GNUC_UNUSED,
                               gint64   bytes)
{
  return beam_format_bytes (bytes);
}

/* "+1,234 rows", "−12 rows"; nothing for no change, so changes stand out. */
char *
beam_tables_page_format_size_change (gpointer unused G_GNUC_UNUSED,
                                     gint64   change)
{
  guint64 magnitude = change < 0 ? -(guint64) change : (guint64) change;
  g_autofree char *count = beam_format_count_change (change);

  if (change == 0)
    return g_strdup ("");
  /* Translators: a table's change in objects since the page first saw it,
   * with its sign: "+1,234 rows" */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s row", "%s rows",
                                       magnitude > G_MAXULONG ? G_MAXULONG : magnitude),
                          count);
}

/* "+3.2 MB", "−512 bytes"; nothing for no change. */
char *
beam_tables_page_format_memory_change (gpointer unused G_GNUC_UNUSED,
                                       gint64   change)
{
  return beam_format_bytes_change (change);
}

/* A change's colour: the warning colour for growth, dim otherwise. */
char **
beam_tables_page_growth_classes (gpointer unused G_GNUC_UNUSED,
                                 gint64   change)
{
  const char * const growing[] = { "numeric", "warning", NULL };
  const char * const steady[] = { "numeric", "dim-label", NULL };

  return g_strdupv ((char **) (change > 0 ? growing : steady));
}

gboolean
beam_tables_page_is_ets (gpointer    unused G_GNUC_UNUSED,
                         const char *section)
{
  return g_strcmp0 (section, "mnesia") != 0;
}

/* Mnesia's tables have no owner to filter by. */
char *
beam_tables_page_filter_placeholder (gpointer    unused G_GNUC_UNUSED,
                                     const char *section)
{
  return g_strdup (beam_tables_page_is_ets (NULL, section) ? _("Filter by name or owner")
                                                           : _("Filter by name"));
}

static gboolean
contains_folded (const char *haystack,
                 const char *needle)
{
  g_autofree char *folded = NULL;

  if (haystack == NULL)
    return FALSE;
  folded = g_utf8_casefold (haystack, -1);
  return strstr (folded, needle) != NULL;
}

static gboolean
shows (gpointer item,
       gpointer user_data)
{
  BeamTablesPage *self = user_data;
  BeamEtsTableRow *row = item;
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->filter_entry));
  g_autofree char *needle = NULL;
  g_autofree char *owner = NULL;

  if (beam_ets_table_row_get_system (row) && !gtk_toggle_button_get_active (self->system_toggle))
    return FALSE;
  if (text[0] == '\0')
    return TRUE;
  needle = g_utf8_casefold (text, -1);
  g_object_get (row, "owner-label", &owner, NULL);
  return contains_folded (beam_ets_table_row_get_name (row), needle) ||
         contains_folded (owner, needle);
}

static gboolean
shows_mnesia (gpointer item,
              gpointer user_data)
{
  BeamTablesPage *self = user_data;
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->filter_entry));
  g_autofree char *needle = NULL;

  if (text[0] == '\0')
    return TRUE;
  needle = g_utf8_casefold (text, -1);
  return contains_folded (beam_mnesia_table_row_get_name (item), needle);
}

static void
on_filter_changed (BeamTablesPage *self)
{
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  gtk_filter_changed (GTK_FILTER (self->mnesia_filter), GTK_FILTER_CHANGE_DIFFERENT);
}

static gboolean
showing_mnesia (BeamTablesPage *self)
{
  return !beam_tables_page_is_ets (NULL, gtk_stack_get_visible_child_name (self->sections));
}

/* Enter or a double-click: the table's rows in a window of their own. */
static void
on_table_activated (BeamTablesPage *self,
                    guint           position)
{
  g_autoptr(BeamEtsTableRow) row = g_list_model_get_item (G_LIST_MODEL (self->selection),
                                                          position);

  const char *id;

  if (row == NULL)
    return;
  /* A named table by its name (its id, printed, may be quoted), another by its id. */
  id = beam_ets_table_row_get_id (row);
  gtk_widget_activate_action (GTK_WIDGET (self), "win.open-table", "s",
                              g_str_has_prefix (id, "#Ref<") ? id
                                                             : beam_ets_table_row_get_name (row));
}

void
beam_tables_page_open_owner (GtkListItem *list_item,
                             GtkButton   *button)
{
  BeamEtsTableRow *row = gtk_list_item_get_item (list_item);

  if (row != NULL && beam_ets_table_row_get_owner (row) != NULL)
    gtk_widget_activate_action (GTK_WIDGET (button), "win.open-process", "s",
                                beam_ets_table_row_get_owner (row));
}

/* A Mnesia table held in ram or on disc is an ETS table of its name; a
 * disc_only one is a dets file, which the table window does not read. */
static void
on_mnesia_table_activated (BeamTablesPage *self,
                           guint           position)
{
  g_autoptr(BeamMnesiaTableRow) row = g_list_model_get_item (G_LIST_MODEL (self->mnesia_selection),
                                                             position);
  const char *storage;

  if (row == NULL)
    return;
  storage = beam_mnesia_table_row_get_storage (row);
  if (g_strcmp0 (storage, "ram") == 0 || g_strcmp0 (storage, "disc") == 0)
    gtk_widget_activate_action (GTK_WIDGET (self), "win.open-table", "s",
                                beam_mnesia_table_row_get_name (row));
  else
    {
      g_autofree char *text = g_strdup_printf (_("%s is not held in ETS on this node (a "
                                                 "disc_only table lives in a dets file, or "
                                                 "the node holds no copy): its rows cannot be "
                                                 "browsed here yet"),
                                               beam_mnesia_table_row_get_name (row));

      gtk_label_set_text (self->status_label, text);
    }
}

static void
update_status (BeamTablesPage *self)
{
  gboolean mnesia = showing_mnesia (self);
  guint all = g_list_model_get_n_items (G_LIST_MODEL (mnesia ? self->mnesia_tables
                                                             : self->tables));
  guint shown = g_list_model_get_n_items (G_LIST_MODEL (mnesia ? self->mnesia_filtered
                                                               : self->filtered));
  g_autofree char *text = mnesia ? g_strdup_printf (g_dngettext (NULL, "%u of %u Mnesia table",
                                                                 "%u of %u Mnesia tables", all),
                                                    shown, all)
                                 : g_strdup_printf (g_dngettext (NULL, "%u of %u table",
                                                                 "%u of %u tables", all),
                                                    shown, all);

  gtk_label_set_text (self->status_label, text);
}

static void
set_mnesia_running (BeamTablesPage *self,
                    gboolean        running)
{
  if (self->mnesia_running == running)
    return;
  self->mnesia_running = running;
  if (!running)
    gtk_stack_set_visible_child_name (self->sections, "ets");
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MNESIA_RUNNING]);
}

/* The figures a column may be sorted on changed in place, which a sort
 * model does not see: sorted again (a few thousand rows at most). */
static void
sort_again (GtkColumnView *view)
{
  GtkSorter *sorter = gtk_column_view_get_sorter (view);

  if (sorter != NULL)
    gtk_sorter_changed (sorter, GTK_SORTER_CHANGE_DIFFERENT);
}

static void
mnesia_done (GObject      *object G_GNUC_UNUSED,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(BeamTablesPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(BeamMnesiaTables) tables = beam_mnesia_tables_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (tables != NULL)
    {
      beam_mnesia_table_rows_update (self->mnesia_tables, tables);
      set_mnesia_running (self, tables->running);
      sort_again (self->mnesia_view);
      update_status (self);
    }
  else
    gtk_label_set_text (self->status_label, error->message);
  beam_page_refresh_done (BEAM_PAGE (self), error);
}

static void
tables_done (GObject      *object G_GNUC_UNUSED,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(BeamTablesPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(BeamEtsTables) tables = beam_ets_tables_finish (result, &error);
  BeamConnection *connection;
  GCancellable *cancellable;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (tables == NULL)
    {
      gtk_label_set_text (self->status_label, error->message);
      beam_page_refresh_done (BEAM_PAGE (self), error);
      return;
    }
  beam_ets_tables_respell (tables, beam_node_get_syntax (beam_page_get_node (BEAM_PAGE (self))));
  beam_ets_table_rows_update (self->tables, tables);
  sort_again (self->tables_view);
  update_status (self);

  /* Then Mnesia's, as the same refresh: the base class asks one question at
   * a time. */
  connection = beam_page_get_connection (BEAM_PAGE (self));
  if (connection == NULL)
    {
      beam_page_refresh_done (BEAM_PAGE (self), NULL);
      return;
    }
  cancellable = beam_page_get_cancellable (BEAM_PAGE (self));
  beam_mnesia_tables_async (connection, cancellable, mnesia_done, g_steal_pointer (&self));
}

static void
beam_tables_page_refresh (BeamPage       *page,
                          BeamConnection *connection,
                          GCancellable   *cancellable)
{
  beam_ets_tables_async (connection, cancellable, tables_done, g_object_ref (page));
}

static void
beam_tables_page_node_changed (BeamPage *page,
                               BeamNode *node G_GNUC_UNUSED)
{
  BeamTablesPage *self = BEAM_TABLES_PAGE (page);

  /* A new history too: the rows hold it. */
  g_list_store_remove_all (self->tables);
  g_list_store_remove_all (self->mnesia_tables);
  set_mnesia_running (self, FALSE);
  gtk_label_set_text (self->status_label, "");
}

/* "mnesia" shows Mnesia's tables, where it runs; anything else the ETS
 * tables. */
static void
beam_tables_page_show_detail (BeamPage   *page,
                              const char *detail)
{
  BeamTablesPage *self = BEAM_TABLES_PAGE (page);

  if (g_strcmp0 (detail, "mnesia") == 0 && self->mnesia_running)
    gtk_stack_set_visible_child_name (self->sections, "mnesia");
  else
    gtk_stack_set_visible_child_name (self->sections, "ets");
}

void
beam_tables_page_activate_mnesia (BeamTablesPage *self,
                                  guint           position)
{
  g_return_if_fail (BEAM_IS_TABLES_PAGE (self));
  on_mnesia_table_activated (self, position);
}

GListModel *
beam_tables_page_get_mnesia_shown (BeamTablesPage *self)
{
  g_return_val_if_fail (BEAM_IS_TABLES_PAGE (self), NULL);
  return G_LIST_MODEL (self->mnesia_selection);
}

gboolean
beam_tables_page_get_mnesia_running (BeamTablesPage *self)
{
  g_return_val_if_fail (BEAM_IS_TABLES_PAGE (self), FALSE);
  return self->mnesia_running;
}

void
beam_tables_page_sort_by (BeamTablesPage *self,
                          const char     *property)
{
  GListModel *columns;

  g_return_if_fail (BEAM_IS_TABLES_PAGE (self));

  columns = gtk_column_view_get_columns (self->tables_view);
  for (guint i = 0; i < g_list_model_get_n_items (columns); i++)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, i);
      GtkSorter *sorter = gtk_column_view_column_get_sorter (column);
      GtkExpression *expression = NULL;

      if (GTK_IS_NUMERIC_SORTER (sorter))
        expression = gtk_numeric_sorter_get_expression (GTK_NUMERIC_SORTER (sorter));
      else if (GTK_IS_STRING_SORTER (sorter))
        expression = gtk_string_sorter_get_expression (GTK_STRING_SORTER (sorter));
      if (expression != NULL &&
          G_TYPE_CHECK_INSTANCE_TYPE (expression, GTK_TYPE_PROPERTY_EXPRESSION) &&
          g_str_equal (g_param_spec_get_name (gtk_property_expression_get_pspec (expression)),
                       property))
        {
          /* Unsorted first: GTK 4.8 leaves the last column's arrow up
           * when another column takes its place. */
          gtk_column_view_sort_by_column (self->tables_view, NULL, GTK_SORT_ASCENDING);
          gtk_column_view_sort_by_column (self->tables_view, column, GTK_SORT_ASCENDING);
          return;
        }
    }
  g_return_if_reached ();
}

const char *
beam_tables_page_get_section (BeamTablesPage *self)
{
  g_return_val_if_fail (BEAM_IS_TABLES_PAGE (self), NULL);
  return gtk_stack_get_visible_child_name (self->sections);
}

GListModel *
beam_tables_page_get_shown (BeamTablesPage *self)
{
  g_return_val_if_fail (BEAM_IS_TABLES_PAGE (self), NULL);
  return G_LIST_MODEL (self->selection);
}

gboolean
beam_tables_page_get_with_system (BeamTablesPage *self)
{
  g_return_val_if_fail (BEAM_IS_TABLES_PAGE (self), FALSE);
  return gtk_toggle_button_get_active (self->system_toggle);
}

void
beam_tables_page_set_filter (BeamTablesPage *self,
                             const char     *text,
                             gboolean        with_system)
{
  g_return_if_fail (BEAM_IS_TABLES_PAGE (self));

  gtk_editable_set_text (GTK_EDITABLE (self->filter_entry), text);
  gtk_toggle_button_set_active (self->system_toggle, with_system);
  on_filter_changed (self);
}

static void
beam_tables_page_dispose (GObject *object)
{
  BeamTablesPage *self = BEAM_TABLES_PAGE (object);

  if (self->settings != NULL)
    g_settings_unbind (self->system_toggle, "active");
  g_clear_object (&self->settings);
  beam_page_dispose_template (BEAM_PAGE (object), BEAM_TYPE_TABLES_PAGE);

  G_OBJECT_CLASS (beam_tables_page_parent_class)->dispose (object);
}

static void
beam_tables_page_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  BeamTablesPage *self = BEAM_TABLES_PAGE (object);

  switch (prop_id)
    {
    case PROP_MNESIA_RUNNING: g_value_set_boolean (value, self->mnesia_running); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
beam_tables_page_class_init (BeamTablesPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  BeamPageClass *page_class = BEAM_PAGE_CLASS (klass);

  object_class->dispose = beam_tables_page_dispose;
  object_class->get_property = beam_tables_page_get_property;
  page_class->refresh = beam_tables_page_refresh;
  page_class->node_changed = beam_tables_page_node_changed;
  page_class->show_detail = beam_tables_page_show_detail;
  beam_page_class_set_interval_key (page_class, "tables-refresh-interval");

  /* Whether Mnesia runs on the node: its section shows only then. */
  properties[PROP_MNESIA_RUNNING] =
    g_param_spec_boolean ("mnesia-running", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (BEAM_TYPE_ETS_TABLE_ROW);
  g_type_ensure (BEAM_TYPE_MNESIA_TABLE_ROW);
  g_type_ensure (BEAM_TYPE_SPARKLINE);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/beamscope/Beamscope/"
                                               "beam-tables-page.ui");
  gtk_widget_class_bind_template_child (widget_class, BeamTablesPage, filter_entry);
  gtk_widget_class_bind_template_child (widget_class, BeamTablesPage, status_label);
  gtk_widget_class_bind_template_child (widget_class, BeamTablesPage, system_toggle);
  gtk_widget_class_bind_template_child (widget_class, BeamTablesPage, pause_button);
  gtk_widget_class_bind_template_child (widget_class, BeamTablesPage, tables_view);
  gtk_widget_class_bind_template_child (widget_class, BeamTablesPage, selection);
  gtk_widget_class_bind_template_child (widget_class, BeamTablesPage, filtered);
  gtk_widget_class_bind_template_child (widget_class, BeamTablesPage, tables);
  gtk_widget_class_bind_template_child (widget_class, BeamTablesPage, sections);
  gtk_widget_class_bind_template_child (widget_class, BeamTablesPage, mnesia_view);
  gtk_widget_class_bind_template_child (widget_class, BeamTablesPage, mnesia_selection);
  gtk_widget_class_bind_template_child (widget_class, BeamTablesPage, mnesia_filtered);
  gtk_widget_class_bind_template_child (widget_class, BeamTablesPage, mnesia_tables);
  gtk_widget_class_bind_template_callback (widget_class, on_filter_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_table_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_mnesia_table_activated);
  gtk_widget_class_bind_template_callback (widget_class, update_status);
}

static void
beam_tables_page_init (BeamTablesPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  beam_list_keys_attach (GTK_WIDGET (self->tables_view));
  beam_list_keys_attach (GTK_WIDGET (self->mnesia_view));
  beam_list_keys_type_to_search (self->filter_entry, GTK_WIDGET (self));

  self->filter = gtk_custom_filter_new (shows, self, NULL);
  gtk_filter_list_model_set_filter (self->filtered, GTK_FILTER (self->filter));
  g_object_unref (self->filter);   /* the model holds it */
  self->mnesia_filter = gtk_custom_filter_new (shows_mnesia, self, NULL);
  gtk_filter_list_model_set_filter (self->mnesia_filtered, GTK_FILTER (self->mnesia_filter));
  g_object_unref (self->mnesia_filter);   /* the model holds it */
  g_signal_connect_object (self->filtered, "items-changed", G_CALLBACK (update_status), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->mnesia_filtered, "items-changed", G_CALLBACK (update_status),
                           self, G_CONNECT_SWAPPED);
  g_object_bind_property (self->pause_button, "active", self, "paused",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  /* The toggle and Preferences' row are one setting, kept in both ways. */
  self->settings = g_settings_new (SETTINGS_SCHEMA_ID);
  g_settings_bind (self->settings, "show-system-tables", self->system_toggle, "active",
                   G_SETTINGS_BIND_DEFAULT);
  /* Biggest first, as the seeds look at tables. */
  {
    g_autoptr(GtkColumnViewColumn) memory =
      g_list_model_get_item (gtk_column_view_get_columns (self->tables_view), 3);

    gtk_column_view_sort_by_column (self->tables_view, memory, GTK_SORT_ASCENDING);
  }
  /* Mnesia's by name, as mnesia:info/0 lists them. */
  {
    g_autoptr(GtkColumnViewColumn) name =
      g_list_model_get_item (gtk_column_view_get_columns (self->mnesia_view), 0);

    gtk_column_view_sort_by_column (self->mnesia_view, name, GTK_SORT_ASCENDING);
  }
}
