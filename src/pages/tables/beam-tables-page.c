/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Tables page: every ETS table of the node, as ets:info/1 tells it,
 * sortable by any column and filtered by name or owner, kernel's, stdlib's
 * and the runtime's tables behind a toggle. Refreshed while on screen; the
 * rows are updated in place, so the selection and the order stay. */

#define G_LOG_DOMAIN "beamscope-tables"

#include "config.h"

#include <glib/gi18n.h>

#include "beam-ets-table-row.h"
#include "beam-ets-tables.h"
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
};

G_DEFINE_FINAL_TYPE (BeamTablesPage, beam_tables_page, BEAM_TYPE_PAGE)

char *
beam_tables_page_format_count (gpointer unused G_GNUC_UNUSED,
                               gint64   count)
{
  return count >= 0 ? g_strdup_printf ("%" G_GINT64_FORMAT, count) : g_strdup ("—");
}

char *
beam_tables_page_format_bytes (gpointer unused G_GNUC_UNUSED,
                               gint64   bytes)
{
  return bytes >= 0 ? g_format_size ((guint64) bytes) : g_strdup ("—");
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

static void
on_filter_changed (BeamTablesPage *self)
{
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
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

static void
update_status (BeamTablesPage *self)
{
  guint all = g_list_model_get_n_items (G_LIST_MODEL (self->tables));
  guint shown = g_list_model_get_n_items (G_LIST_MODEL (self->filtered));
  g_autofree char *text = g_strdup_printf (_("%u of %u tables"), shown, all);

  gtk_label_set_text (self->status_label, text);
}

static void
tables_done (GObject      *object G_GNUC_UNUSED,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(BeamTablesPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(BeamEtsTables) tables = beam_ets_tables_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (tables == NULL)
    gtk_label_set_text (self->status_label, error->message);
  else
    {
      beam_ets_table_rows_update (self->tables, tables);
      update_status (self);
    }
  beam_page_refresh_done (BEAM_PAGE (self), error);
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

  g_list_store_remove_all (self->tables);
  gtk_label_set_text (self->status_label, "");
}

GListModel *
beam_tables_page_get_shown (BeamTablesPage *self)
{
  g_return_val_if_fail (BEAM_IS_TABLES_PAGE (self), NULL);
  return G_LIST_MODEL (self->selection);
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
  beam_page_dispose_template (BEAM_PAGE (object), BEAM_TYPE_TABLES_PAGE);

  G_OBJECT_CLASS (beam_tables_page_parent_class)->dispose (object);
}

static void
beam_tables_page_class_init (BeamTablesPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  BeamPageClass *page_class = BEAM_PAGE_CLASS (klass);

  object_class->dispose = beam_tables_page_dispose;
  page_class->refresh = beam_tables_page_refresh;
  page_class->node_changed = beam_tables_page_node_changed;
  beam_page_class_set_interval_key (page_class, "tables-refresh-interval");

  g_type_ensure (BEAM_TYPE_ETS_TABLE_ROW);
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
  gtk_widget_class_bind_template_callback (widget_class, on_filter_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_table_activated);
}

static void
beam_tables_page_init (BeamTablesPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->filter = gtk_custom_filter_new (shows, self, NULL);
  gtk_filter_list_model_set_filter (self->filtered, GTK_FILTER (self->filter));
  g_object_unref (self->filter);   /* the model holds it */
  g_signal_connect_object (self->filtered, "items-changed", G_CALLBACK (update_status), self,
                           G_CONNECT_SWAPPED);
  g_object_bind_property (self->pause_button, "active", self, "paused",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  /* Biggest first, as the seeds look at tables. */
  {
    g_autoptr(GtkColumnViewColumn) memory =
      g_list_model_get_item (gtk_column_view_get_columns (self->tables_view), 3);

    gtk_column_view_sort_by_column (self->tables_view, memory, GTK_SORT_ASCENDING);
  }
}
