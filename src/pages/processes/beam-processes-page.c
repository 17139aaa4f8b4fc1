/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Processes page: every process of the node in a GtkColumnView over a
 * BeamProcessModel. The column view never sorts anything itself: each column
 * has a sorter that only says which column it is, and when the view's sorter
 * changes we ask it once which column leads and in which direction (GTK 4.8
 * has no API for that), then the model sorts its arrays on a worker thread.
 * The list refreshes while the page is on screen; the selection follows its
 * pid from one refresh or sort to the next. */

#define G_LOG_DOMAIN "beamscope-processes"

#include "config.h"

#include <glib/gi18n.h>

#include "beam-playbook-window.h"
#include "beam-process-list.h"
#include "beam-list-keys.h"
#include "beam-processes-page-private.h"
#include "beam-system-info.h"

#define MAILBOX_RED_FLAG    1000  /* the seeds' threshold for a queue worth a look */

/* ---- a sorter that only names its column ------------------------------------ */

#define BEAM_TYPE_COLUMN_SORTER (beam_column_sorter_get_type ())
G_DECLARE_FINAL_TYPE (BeamColumnSorter, beam_column_sorter, BEAM, COLUMN_SORTER, GtkSorter)

struct _BeamColumnSorter
{
  GtkSorter          parent_instance;
  BeamProcessColumn  column;
  gboolean          *asked;  /* set when the view's sorter consults us */
};

G_DEFINE_FINAL_TYPE (BeamColumnSorter, beam_column_sorter, GTK_TYPE_SORTER)

static GtkOrdering
beam_column_sorter_compare (GtkSorter *sorter,
                            gpointer   item1 G_GNUC_UNUSED,
                            gpointer   item2 G_GNUC_UNUSED)
{
  BeamColumnSorter *self = BEAM_COLUMN_SORTER (sorter);

  *self->asked = TRUE;
  return GTK_ORDERING_SMALLER;
}

static GtkSorterOrder
beam_column_sorter_get_order (GtkSorter *sorter G_GNUC_UNUSED)
{
  return GTK_SORTER_ORDER_PARTIAL;
}

static void
beam_column_sorter_class_init (BeamColumnSorterClass *klass)
{
  GTK_SORTER_CLASS (klass)->compare = beam_column_sorter_compare;
  GTK_SORTER_CLASS (klass)->get_order = beam_column_sorter_get_order;
}

static void
beam_column_sorter_init (BeamColumnSorter *self G_GNUC_UNUSED)
{
}

/* ---- the page ---------------------------------------------------------------- */

typedef struct
{
  BeamProcessColumn  column;
  const char        *id;        /* in GSettings, and as top's --by names it */
  const char        *title;
  gboolean           numeric;
  gboolean           expand;
  int                width;
} ColumnSpec;

static const ColumnSpec column_specs[] = {
  { BEAM_PROCESS_COLUMN_PID, "pid", N_("Pid"), FALSE, FALSE, 110 },
  { BEAM_PROCESS_COLUMN_NAME, "name", N_("Name or Initial Call"), FALSE, TRUE, 260 },
  { BEAM_PROCESS_COLUMN_REDUCTIONS, "reductions", N_("Reductions"), TRUE, FALSE, 110 },
  { BEAM_PROCESS_COLUMN_REDUCTIONS_PER_SECOND, "reductions_per_second", N_("Reds/s"),
    TRUE, FALSE, 90 },
  { BEAM_PROCESS_COLUMN_MEMORY, "memory", N_("Memory"), TRUE, FALSE, 90 },
  { BEAM_PROCESS_COLUMN_MESSAGE_QUEUE_LEN, "message_queue_len", N_("MsgQ"), TRUE, FALSE, 70 },
  { BEAM_PROCESS_COLUMN_CURRENT_FUNCTION, "current_function", N_("Current Function"),
    FALSE, TRUE, 260 },
  { BEAM_PROCESS_COLUMN_STATUS, "status", N_("Status"), FALSE, FALSE, 90 },
};

struct _BeamProcessesPage
{
  BeamPage            parent_instance;

  GtkSearchEntry     *filter_entry;
  GtkSpinner         *busy_spinner;
  GtkLabel           *count_label;
  GtkDropDown        *interval_dropdown;
  GtkColumnView      *column_view;

  BeamProcessModel   *model;
  GtkSingleSelection *selection;
  GSettings          *settings;
  gboolean            restoring;  /* building the columns: nothing to save yet */
  gboolean            sorter_asked;
  gint64              process_limit;  /* -1 until known */
  guint32             selected_num;
  guint32             selected_serial;
  gboolean            has_selection;
};

G_DEFINE_FINAL_TYPE (BeamProcessesPage, beam_processes_page, BEAM_TYPE_PAGE)

static char *
format_number (double value)
{
  if (value < 0)
    return g_strdup ("—");
  if (value >= 1e9)
    return g_strdup_printf ("%.1f G", value / 1e9);
  if (value >= 1e7)
    return g_strdup_printf ("%.1f M", value / 1e6);
  return g_strdup_printf ("%.0f", value);
}

/* A name or "m:f/a" as the node's syntax writes it (MyApp.Cache in Elixir). */
static char *
dup_display_name (GtkLabel   *label,
                  const char *name)
{
  BeamPage *page = g_object_get_data (G_OBJECT (label), "page");

  return beam_node_dup_display_name (page != NULL ? beam_page_get_node (page) : NULL, name);
}

static void
update_cell (GtkLabel       *label,
             BeamProcessRow *row)
{
  BeamProcessColumn column = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (label), "column"));
  BeamProcessTable *table = NULL;
  guint index = 0;
  const BeamProcessRecord *record = beam_process_row_get_record (row, &table, &index);
  g_autofree char *text = NULL;
  char pid[32];

  gtk_widget_remove_css_class (GTK_WIDGET (label), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (label), "dim-label");
  if (record == NULL)
    {
      gtk_label_set_label (label, "");
      return;
    }

  switch (column)
    {
    case BEAM_PROCESS_COLUMN_PID:
      gtk_label_set_label (label, beam_process_table_format_pid (table, index, pid));
      return;
    case BEAM_PROCESS_COLUMN_NAME:
      text = dup_display_name (label, beam_process_table_get_display_name (table, index));
      gtk_label_set_label (label, text);
      if (!record->registered)
        gtk_widget_add_css_class (GTK_WIDGET (label), "dim-label");
      return;
    case BEAM_PROCESS_COLUMN_CURRENT_FUNCTION:
      text = dup_display_name (label,
                               beam_process_table_get_string (table, record->current_function));
      gtk_label_set_label (label, text);
      return;
    case BEAM_PROCESS_COLUMN_STATUS:
      gtk_label_set_label (label, beam_process_status_to_string (record->status));
      return;
    case BEAM_PROCESS_COLUMN_MEMORY:
      text = g_format_size (record->memory);
      break;
    case BEAM_PROCESS_COLUMN_MESSAGE_QUEUE_LEN:
      text = format_number (record->message_queue_len);
      if (record->message_queue_len > MAILBOX_RED_FLAG)
        gtk_widget_add_css_class (GTK_WIDGET (label), "error");
      break;
    case BEAM_PROCESS_COLUMN_REDUCTIONS:
    case BEAM_PROCESS_COLUMN_REDUCTIONS_PER_SECOND:
    case BEAM_PROCESS_COLUMN_HEAP_SIZE:
    case BEAM_PROCESS_COLUMN_TOTAL_HEAP_SIZE:
    case BEAM_PROCESS_N_COLUMNS:
    default:
      text = format_number (beam_process_table_get_number (table, index, column));
      break;
    }
  gtk_label_set_label (label, text);
}

static void
setup_cell (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            gpointer                  user_data)
{
  const ColumnSpec *spec = user_data;
  GtkWidget *label = gtk_label_new (NULL);

  g_object_set_data (G_OBJECT (label), "page", g_object_get_data (G_OBJECT (factory), "page"));
  gtk_label_set_xalign (GTK_LABEL (label), spec->numeric ? 1.0 : 0.0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  if (spec->numeric || spec->column == BEAM_PROCESS_COLUMN_PID)
    gtk_widget_add_css_class (label, "numeric");
  g_object_set_data (G_OBJECT (label), "column", GUINT_TO_POINTER (spec->column));
  gtk_list_item_set_child (item, label);
}

static void
bind_cell (GtkSignalListItemFactory *factory G_GNUC_UNUSED,
           GtkListItem              *item,
           gpointer                  user_data G_GNUC_UNUSED)
{
  GtkWidget *label = gtk_list_item_get_child (item);
  BeamProcessRow *row = gtk_list_item_get_item (item);
  gulong handler = g_signal_connect_object (row, "changed", G_CALLBACK (update_cell), label,
                                            G_CONNECT_SWAPPED);

  g_object_set_data (G_OBJECT (label), "changed-handler", GSIZE_TO_POINTER (handler));
  update_cell (GTK_LABEL (label), row);
}

static void
unbind_cell (GtkSignalListItemFactory *factory G_GNUC_UNUSED,
             GtkListItem              *item,
             gpointer                  user_data G_GNUC_UNUSED)
{
  GtkWidget *label = gtk_list_item_get_child (item);
  BeamProcessRow *row = gtk_list_item_get_item (item);
  gulong handler = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (label), "changed-handler"));

  if (row != NULL && handler != 0)
    g_signal_handler_disconnect (row, handler);
  g_object_set_data (G_OBJECT (label), "changed-handler", NULL);
}

static void
update_count (BeamProcessesPage *self)
{
  BeamProcessTable *table = beam_process_model_get_table (self->model);
  guint shown = g_list_model_get_n_items (G_LIST_MODEL (self->model));
  guint total = table != NULL ? beam_process_table_get_n_records (table) : 0;
  g_autofree char *text = NULL;

  if (table == NULL)
    text = g_strdup ("");
  else if (shown == total)
    text = g_strdup_printf (ngettext ("%u process", "%u processes", total), total);
  else
    text = g_strdup_printf (_("%u of %u processes"), shown, total);
  /* The seeds' first step: the count against the limit. */
  if (table != NULL && self->process_limit > 0)
    {
      g_autofree char *with_limit = g_strdup_printf (_("%s · limit %" G_GINT64_FORMAT " (%.1f%%)"),
                                                     text, self->process_limit,
                                                     100.0 * total / self->process_limit);
      g_free (text);
      text = g_steal_pointer (&with_limit);
    }
  gtk_label_set_label (self->count_label, text);
}

/* Sorts by a column ("memory", "reductions"…), as a click on its header
 * would. */
static void
sort_by (BeamProcessesPage *self,
         const char        *column_id,
         gboolean           descending)
{
  GListModel *columns = gtk_column_view_get_columns (self->column_view);

  for (guint i = 0; i < g_list_model_get_n_items (columns); i++)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, i);
      const ColumnSpec *spec = g_object_get_data (G_OBJECT (column), "spec");

      if (g_strcmp0 (spec->id, column_id) == 0)
        gtk_column_view_sort_by_column (self->column_view, column,
                                        descending ? GTK_SORT_DESCENDING : GTK_SORT_ASCENDING);
    }
}

/* The model swapped a new order in: put the selection back on its pid. */
static void
on_model_busy_changed (BeamProcessesPage *self)
{
  gboolean busy = beam_process_model_get_busy (self->model);

  gtk_spinner_set_spinning (self->busy_spinner, busy || beam_page_get_busy (BEAM_PAGE (self)));
  if (busy)
    return;

  update_count (self);
  if (self->has_selection)
    {
      gint position = beam_process_model_find_pid (self->model, self->selected_num,
                                                   self->selected_serial);
      gtk_single_selection_set_selected (self->selection,
                                         position >= 0 ? (guint) position
                                                       : GTK_INVALID_LIST_POSITION);
    }
}

static void
on_selection_changed (BeamProcessesPage *self)
{
  BeamProcessRow *row = gtk_single_selection_get_selected_item (self->selection);
  const BeamProcessRecord *record = row != NULL ? beam_process_row_get_record (row, NULL, NULL)
                                                : NULL;

  /* A selection lost only because the model is busy is kept by pid. */
  if (record == NULL)
    {
      if (!beam_process_model_get_busy (self->model))
        self->has_selection = FALSE;
      return;
    }
  self->has_selection = TRUE;
  self->selected_num = record->pid_num;
  self->selected_serial = record->pid_serial;
}

/* Double-click or Enter: the process in a window of its own. */
static void
on_activate (GtkColumnView     *view G_GNUC_UNUSED,
             guint              position,
             BeamProcessesPage *self)
{
  g_autoptr(BeamProcessRow) row = g_list_model_get_item (G_LIST_MODEL (self->model), position);
  BeamProcessTable *table = NULL;
  guint index = 0;
  char pid[32];

  if (row == NULL || beam_process_row_get_record (row, &table, &index) == NULL)
    return;
  gtk_widget_activate_action (GTK_WIDGET (self), "win.open-process", "s",
                              beam_process_table_format_pid (table, index, pid));
}

static void
on_sorter_changed (BeamProcessesPage *self)
{
  GtkSorter *view_sorter = gtk_column_view_get_sorter (self->column_view);
  GListModel *columns = gtk_column_view_get_columns (self->column_view);
  /* Two distinct items: gtk_sorter_compare() answers "equal" for one item
   * with itself without asking anyone. */
  g_autoptr(GObject) probe1 = g_object_new (G_TYPE_OBJECT, NULL);
  g_autoptr(GObject) probe2 = g_object_new (G_TYPE_OBJECT, NULL);
  guint n = g_list_model_get_n_items (columns);
  g_autofree gboolean *asked = g_new0 (gboolean, MAX (n, 1));
  BeamProcessColumn primary = BEAM_PROCESS_COLUMN_PID;
  gboolean descending = FALSE;
  GtkOrdering ordering;

  /* Ask the view's sorter once: the column sorter it consults first is the
   * primary one (each answers "smaller", so it is the only one asked), and
   * a flipped answer means descending. */
  for (guint j = 0; j < n; j++)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, j);
      BEAM_COLUMN_SORTER (gtk_column_view_column_get_sorter (column))->asked = &asked[j];
    }
  ordering = gtk_sorter_compare (view_sorter, probe1, probe2);
  for (guint j = 0; j < n; j++)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, j);
      BeamColumnSorter *sorter = BEAM_COLUMN_SORTER (gtk_column_view_column_get_sorter (column));

      if (asked[j])
        {
          const ColumnSpec *spec = g_object_get_data (G_OBJECT (column), "spec");

          primary = sorter->column;
          descending = ordering == GTK_ORDERING_LARGER;
          if (!self->restoring && self->settings != NULL)
            g_settings_set (self->settings, "processes-sort", "(sb)", spec->id, descending);
        }
      sorter->asked = &self->sorter_asked;
    }
  beam_process_model_set_sort (self->model, primary, descending);
}

/* ---- refreshing ------------------------------------------------------------ */

static void
limit_done (GObject      *object G_GNUC_UNUSED,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(BeamProcessesPage) self = user_data;
  g_autoptr(GError) error = NULL;
  gint64 limit = beam_system_info_process_limit_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (limit > 0)
    self->process_limit = limit;
  update_count (self);
}

static void
fetch_done (GObject      *object G_GNUC_UNUSED,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(BeamProcessesPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(BeamProcessTable) table = beam_process_list_fetch_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  beam_page_refresh_done (BEAM_PAGE (self), error);
  gtk_spinner_set_spinning (self->busy_spinner, beam_process_model_get_busy (self->model));

  if (table == NULL)
    {
      g_debug ("Process list failed: %s", error->message);
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->count_label), error->message);
    }
  else
    {
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->count_label), NULL);
      beam_process_model_set_table (self->model, table);
    }
}

static void
beam_processes_page_refresh (BeamPage       *page,
                             BeamConnection *connection,
                             GCancellable   *cancellable)
{
  BeamProcessesPage *self = BEAM_PROCESSES_PAGE (page);

  gtk_spinner_set_spinning (self->busy_spinner, TRUE);
  if (self->process_limit < 0)
    {
      self->process_limit = 0;  /* asked */
      beam_system_info_process_limit_async (connection, cancellable, limit_done,
                                            g_object_ref (self));
    }
  beam_process_list_fetch_async (connection, beam_process_model_get_table (self->model), FALSE,
                                 cancellable, fetch_done, g_object_ref (self));
}

static void
beam_processes_page_node_changed (BeamPage *page,
                                  BeamNode *node G_GNUC_UNUSED)
{
  BeamProcessesPage *self = BEAM_PROCESSES_PAGE (page);

  self->has_selection = FALSE;
  self->process_limit = -1;
}

static void
on_filter_changed (BeamProcessesPage *self)
{
  beam_process_model_set_filter (self->model,
                                 gtk_editable_get_text (GTK_EDITABLE (self->filter_entry)));
}

static BeamProcessColumn
column_from_name (const char *name)
{
  static const struct { const char *name; BeamProcessColumn column; } names[] = {
    { "memory", BEAM_PROCESS_COLUMN_MEMORY },
    { "message_queue_len", BEAM_PROCESS_COLUMN_MESSAGE_QUEUE_LEN },
    { "reductions", BEAM_PROCESS_COLUMN_REDUCTIONS },
    { "heap_size", BEAM_PROCESS_COLUMN_HEAP_SIZE },
    { "total_heap_size", BEAM_PROCESS_COLUMN_TOTAL_HEAP_SIZE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_strcmp0 (name, names[i].name) == 0)
      return names[i].column;
  return BEAM_PROCESS_COLUMN_MEMORY;
}

static void
open_playbook (BeamProcessesPage *self,
               BeamPlaybook       playbook,
               BeamProcessColumn  column,
               const char        *module)
{
  BeamNode *node = beam_page_get_node (BEAM_PAGE (self));
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  BeamPlaybookWindow *window;

  if (node == NULL)
    return;
  window = beam_playbook_window_new (node, playbook, column, module);
  gtk_window_set_application (GTK_WINDOW (window),
                              gtk_window_get_application (GTK_WINDOW (root)));
  gtk_window_present (GTK_WINDOW (window));
}

static void
on_module_chosen (AdwMessageDialog  *dialog,
                  const char        *response,
                  BeamProcessesPage *self)
{
  GtkEditable *entry = g_object_get_data (G_OBJECT (dialog), "entry");
  g_autofree char *module = g_strstrip (g_strdup (gtk_editable_get_text (entry)));

  if (g_str_equal (response, "find") && *module != '\0')
    open_playbook (self, BEAM_PLAYBOOK_IN_MODULE, BEAM_PROCESS_COLUMN_PID, module);
}

static void
top_action (GtkWidget  *widget,
            const char *action_name G_GNUC_UNUSED,
            GVariant   *parameter)
{
  open_playbook (BEAM_PROCESSES_PAGE (widget), BEAM_PLAYBOOK_TOP,
                 column_from_name (g_variant_get_string (parameter, NULL)), NULL);
}

static void
growth_action (GtkWidget  *widget,
               const char *action_name G_GNUC_UNUSED,
               GVariant   *parameter)
{
  open_playbook (BEAM_PROCESSES_PAGE (widget), BEAM_PLAYBOOK_GROWTH,
                 column_from_name (g_variant_get_string (parameter, NULL)), NULL);
}

static void
groups_action (GtkWidget  *widget,
               const char *action_name G_GNUC_UNUSED,
               GVariant   *parameter G_GNUC_UNUSED)
{
  open_playbook (BEAM_PROCESSES_PAGE (widget), BEAM_PLAYBOOK_GROUPS, BEAM_PROCESS_COLUMN_PID, NULL);
}

/* The stuck-process finder: which processes are in this module now. */
static void
in_module_action (GtkWidget  *widget,
                  const char *action_name G_GNUC_UNUSED,
                  GVariant   *parameter G_GNUC_UNUSED)
{
  BeamProcessesPage *self = BEAM_PROCESSES_PAGE (widget);
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)),
                                              _("Processes in a Module"),
                                              _("Lists the processes whose current function is in "
                                                "the module: where processes stuck in one place "
                                                "are found."));
  GtkWidget *entry = gtk_entry_new ();
  BeamProcessRow *row = gtk_single_selection_get_selected_item (self->selection);
  BeamProcessTable *table = NULL;
  guint index = 0;
  const BeamProcessRecord *record = row != NULL ? beam_process_row_get_record (row, &table, &index)
                                                : NULL;

  /* Start from the selected process's module. */
  if (record != NULL)
    {
      g_auto(GStrv) parts = g_strsplit (beam_process_table_get_string (table,
                                                                       record->current_function),
                                        ":", 2);
      gtk_editable_set_text (GTK_EDITABLE (entry), parts[0] != NULL ? parts[0] : "");
    }
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry),
                                  _("Module, as gen_server or Elixir.MyApp.Worker"));
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), entry);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"),
                                    "find", _("_Find"), NULL);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "find");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "find",
                                              ADW_RESPONSE_SUGGESTED);
  g_object_set_data (G_OBJECT (dialog), "entry", entry);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_module_chosen), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static const ColumnSpec *
find_spec (const char *id)
{
  for (guint i = 0; i < G_N_ELEMENTS (column_specs); i++)
    if (g_strcmp0 (column_specs[i].id, id) == 0)
      return &column_specs[i];
  return NULL;
}

/* The layout, as the user left it: order, widths, which columns show. */
static void
save_columns (BeamProcessesPage *self)
{
  GListModel *columns = gtk_column_view_get_columns (self->column_view);
  GVariantBuilder builder;

  if (self->restoring || self->settings == NULL)
    return;
  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a(sbi)"));
  for (guint i = 0; i < g_list_model_get_n_items (columns); i++)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, i);
      const ColumnSpec *spec = g_object_get_data (G_OBJECT (column), "spec");

      g_variant_builder_add (&builder, "(sbi)", spec->id,
                             gtk_column_view_column_get_visible (column),
                             gtk_column_view_column_get_fixed_width (column));
    }
  g_settings_set_value (self->settings, "processes-columns", g_variant_builder_end (&builder));
}

static void
on_column_visible_toggled (GSimpleAction     *action,
                           GVariant          *value,
                           BeamProcessesPage *self G_GNUC_UNUSED)
{
  GtkColumnViewColumn *column = g_object_get_data (G_OBJECT (action), "column");

  g_simple_action_set_state (action, value);
  gtk_column_view_column_set_visible (column, g_variant_get_boolean (value));
}

static GtkColumnViewColumn *
add_column (BeamProcessesPage  *self,
            const ColumnSpec   *spec,
            gboolean            visible,
            int                 width,
            GSimpleActionGroup *visibility,
            GMenu              *menu)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  BeamColumnSorter *sorter = g_object_new (BEAM_TYPE_COLUMN_SORTER, NULL);
  g_autoptr(GSimpleAction) action = g_simple_action_new_stateful (spec->id, NULL,
                                                                  g_variant_new_boolean (visible));
  g_autofree char *detailed = g_strconcat ("columns.", spec->id, NULL);
  GtkColumnViewColumn *column;

  g_object_set_data (G_OBJECT (factory), "page", self);  /* which outlives its cells */
  g_signal_connect (factory, "setup", G_CALLBACK (setup_cell), (gpointer) spec);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cell), (gpointer) spec);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_cell), (gpointer) spec);
  sorter->column = spec->column;
  sorter->asked = &self->sorter_asked;

  column = gtk_column_view_column_new (_(spec->title), factory);
  g_object_set_data (G_OBJECT (column), "spec", (gpointer) spec);
  gtk_column_view_column_set_sorter (column, GTK_SORTER (sorter));
  gtk_column_view_column_set_resizable (column, TRUE);
  gtk_column_view_column_set_expand (column, spec->expand);
  gtk_column_view_column_set_fixed_width (column, width > 0 ? width : spec->width);
  gtk_column_view_column_set_visible (column, visible);
  gtk_column_view_column_set_header_menu (column, G_MENU_MODEL (menu));
  gtk_column_view_append_column (self->column_view, column);
  g_signal_connect_object (column, "notify::fixed-width", G_CALLBACK (save_columns), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (column, "notify::visible", G_CALLBACK (save_columns), self,
                           G_CONNECT_SWAPPED);

  /* The header menu shows or hides any column. */
  g_object_set_data (G_OBJECT (action), "column", column);
  g_signal_connect_object (action, "change-state", G_CALLBACK (on_column_visible_toggled), self, 0);
  g_action_map_add_action (G_ACTION_MAP (visibility), G_ACTION (action));
  g_menu_append (menu, _(spec->title), detailed);

  g_object_unref (sorter);
  g_object_unref (column);
  return column;
}

static void
build_columns (BeamProcessesPage *self)
{
  g_autoptr(GVariant) saved = g_settings_get_value (self->settings, "processes-columns");
  g_autoptr(GSimpleActionGroup) visibility = g_simple_action_group_new ();
  g_autoptr(GMenu) menu = g_menu_new ();
  g_autoptr(GHashTable) placed = g_hash_table_new (NULL, NULL);
  GVariantIter iter;
  const char *id;
  gboolean visible;
  int width;

  self->restoring = TRUE;
  g_variant_iter_init (&iter, saved);
  while (g_variant_iter_next (&iter, "(&sbi)", &id, &visible, &width))
    {
      const ColumnSpec *spec = find_spec (id);
      if (spec != NULL && !g_hash_table_contains (placed, spec))
        {
          add_column (self, spec, visible, width, visibility, menu);
          g_hash_table_add (placed, (gpointer) spec);
        }
    }
  for (guint i = 0; i < G_N_ELEMENTS (column_specs); i++)
    if (!g_hash_table_contains (placed, &column_specs[i]))
      add_column (self, &column_specs[i], TRUE, 0, visibility, menu);
  gtk_widget_insert_action_group (GTK_WIDGET (self), "columns", G_ACTION_GROUP (visibility));
  g_signal_connect_object (gtk_column_view_get_columns (self->column_view), "items-changed",
                           G_CALLBACK (save_columns), self, G_CONNECT_SWAPPED);
  self->restoring = FALSE;
}

static void
beam_processes_page_dispose (GObject *object)
{
  BeamProcessesPage *self = BEAM_PROCESSES_PAGE (object);

  self->restoring = TRUE;  /* the columns going away is no layout to save */
  g_clear_object (&self->settings);
  beam_page_dispose_template (BEAM_PAGE (self), BEAM_TYPE_PROCESSES_PAGE);
  g_clear_object (&self->selection);
  g_clear_object (&self->model);

  G_OBJECT_CLASS (beam_processes_page_parent_class)->dispose (object);
}

/* Another page sends the user here to see the processes by a column. */
static void
beam_processes_page_show_detail (BeamPage   *page,
                                 const char *column_id)
{
  sort_by (BEAM_PROCESSES_PAGE (page), column_id, TRUE);
}

static void
beam_processes_page_class_init (BeamProcessesPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  BeamPageClass *page_class = BEAM_PAGE_CLASS (klass);

  object_class->dispose = beam_processes_page_dispose;
  page_class->refresh = beam_processes_page_refresh;
  page_class->node_changed = beam_processes_page_node_changed;
  page_class->show_detail = beam_processes_page_show_detail;
  beam_page_class_set_interval_key (page_class, "processes-refresh-interval");

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/beamscope/Beamscope/"
                                               "beam-processes-page.ui");
  gtk_widget_class_bind_template_child (widget_class, BeamProcessesPage, filter_entry);
  gtk_widget_class_bind_template_child (widget_class, BeamProcessesPage, busy_spinner);
  gtk_widget_class_bind_template_child (widget_class, BeamProcessesPage, count_label);
  gtk_widget_class_bind_template_child (widget_class, BeamProcessesPage, interval_dropdown);
  gtk_widget_class_bind_template_child (widget_class, BeamProcessesPage, column_view);
  gtk_widget_class_bind_template_callback (widget_class, on_filter_changed);

  gtk_widget_class_install_action (widget_class, "processes.top", "s", top_action);
  gtk_widget_class_install_action (widget_class, "processes.growth", "s", growth_action);
  gtk_widget_class_install_action (widget_class, "processes.groups", NULL, groups_action);
  gtk_widget_class_install_action (widget_class, "processes.in-module", NULL, in_module_action);
}

/* As the interval dropdown lists them in the .ui; a 0 ends them. */
static const guint intervals_s[] = { 1, 2, 5, 10, 30, 60, 0 };

static void
beam_processes_page_init (BeamProcessesPage *self)
{
  g_autofree char *sort_id = NULL;
  gboolean sort_descending = TRUE;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->process_limit = -1;
  beam_list_keys_attach (GTK_WIDGET (self->column_view));
  beam_list_keys_type_to_search (self->filter_entry, GTK_WIDGET (self->column_view));
  self->settings = g_settings_new (SETTINGS_SCHEMA_ID);
  beam_page_bind_choices (self->settings, "processes-refresh-interval", self->interval_dropdown,
                          intervals_s);
  self->model = beam_process_model_new ();
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->model)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));

  build_columns (self);
  g_signal_connect_object (self->model, "notify::busy", G_CALLBACK (on_model_busy_changed),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->selection, "notify::selected", G_CALLBACK (on_selection_changed),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->column_view, "activate", G_CALLBACK (on_activate), self, 0);
  g_signal_connect_object (gtk_column_view_get_sorter (self->column_view), "changed",
                           G_CALLBACK (on_sorter_changed), self, G_CONNECT_SWAPPED);

  /* The sort the user left; at first, biggest memory first, as an
   * investigation usually starts. */
  g_settings_get (self->settings, "processes-sort", "(sb)", &sort_id, &sort_descending);
  sort_by (self, sort_id, sort_descending);
}

void
beam_processes_page_set_filter (BeamProcessesPage *self,
                                const char        *text)
{
  g_return_if_fail (BEAM_IS_PROCESSES_PAGE (self));
  gtk_editable_set_text (GTK_EDITABLE (self->filter_entry), text);
}

BeamProcessModel *
beam_processes_page_get_model (BeamProcessesPage *self)
{
  g_return_val_if_fail (BEAM_IS_PROCESSES_PAGE (self), NULL);
  return self->model;
}

GtkColumnView *
beam_processes_page_get_view (BeamProcessesPage *self)
{
  g_return_val_if_fail (BEAM_IS_PROCESSES_PAGE (self), NULL);
  return self->column_view;
}
