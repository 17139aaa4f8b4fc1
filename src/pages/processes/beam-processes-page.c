/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Processes page: every process of the node in a GtkColumnView over a
 * BeamProcessModel. The column view never sorts anything itself: each column
 * has a sorter that only says which column it is, and when the view's sorter
 * changes we ask it once which column leads and in which direction (GTK 4.8
 * has no API for that), then the model sorts its arrays on a worker thread.
 * A number column sorts biggest first on its first click, as observer and
 * top do: a click on a new column asks GTK for ascending, and we turn that
 * into descending at once, so the header's arrow says what the list shows.
 * The list refreshes while the page is on screen; the selection (several
 * rows) follows its pids from one refresh or sort to the next. Rows have a
 * context menu (right click, long press, Menu or Shift+F10): one process's
 * actions go to its process window (win.process-action), so they are the
 * window's own; GC and kill of several are confirmed here, naming them. */

#define G_LOG_DOMAIN "beamscope-processes"

#include "config.h"

#include <glib/gi18n.h>

#include "beam-number-format.h"
#include "beam-playbook-window.h"
#include "beam-process-info.h"
#include "beam-process-list.h"
#include "beam-list-keys.h"
#include "beam-processes-page-private.h"
#include "beam-system-info.h"

#define MAILBOX_RED_FLAG    1000  /* the seeds' threshold for a queue worth a look */
#define BULK_SHOWN          20    /* processes named in a bulk confirmation */

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
  GtkStack           *list_stack;
  AdwStatusPage      *empty_page;

  BeamProcessModel   *model;
  GtkMultiSelection  *selection;
  GSettings          *settings;
  gboolean            restoring;  /* building the columns: nothing to save yet */
  gboolean            sorter_asked;
  gboolean            sorting;    /* a sort we asked for: taken as it is */
  gint                primary_column;  /* the column the list is sorted by, -1 */
  gint64              process_limit;  /* -1 until known */
  GHashTable         *selected;   /* pid keys of the selected rows */
  gboolean            restoring_selection;
  GtkPopoverMenu     *context_menu;
  GCancellable       *bulk_cancellable;
};

G_DEFINE_FINAL_TYPE (BeamProcessesPage, beam_processes_page, BEAM_TYPE_PAGE)

static void on_cell_pressed      (GtkGestureClick     *gesture,
                                  int                  n_press,
                                  double               x,
                                  double               y,
                                  gpointer             user_data);
static void on_cell_long_pressed (GtkGestureLongPress *gesture,
                                  double               x,
                                  double               y,
                                  gpointer             user_data);

/* A name or "m:f/a" as the node's syntax writes it (MyApp.Cache in Elixir). */
static char *
dup_display_name (GtkLabel   *label,
                  const char *name)
{
  BeamPage *page = g_object_get_data (G_OBJECT (label), "page");

  return beam_node_dup_display_name (page != NULL ? beam_page_get_node (page) : NULL, name);
}

/* A cell's text and style; its tooltip, if it has one, into *tooltip. */
static void
update_cell_contents (GtkLabel        *label,
                      BeamProcessRow  *row,
                      char           **tooltip)
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
      /* A label is the process's own text; a name or an initial call is
       * spelled in the node's syntax. */
      if (!record->registered && record->name != 0)
        text = g_strdup (beam_process_table_get_display_name (table, index));
      else
        text = dup_display_name (label, beam_process_table_get_display_name (table, index));
      gtk_label_set_label (label, text);
      /* Dimmed: no name of its own, only the function it started in. */
      if (!record->registered && record->name == 0)
        gtk_widget_add_css_class (GTK_WIDGET (label), "dim-label");
      /* A label is no registered name: say so, and where it started. */
      if (!record->registered && record->name != 0)
        *tooltip = g_strdup_printf (_("The name the process gave itself (not registered); "
                                      "started in %s"),
                                    beam_process_table_get_string (table, record->initial_call));
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
      text = beam_format_bytes (record->memory);
      break;
    case BEAM_PROCESS_COLUMN_MESSAGE_QUEUE_LEN:
      text = beam_format_count (record->message_queue_len);
      if (record->message_queue_len > MAILBOX_RED_FLAG)
        gtk_widget_add_css_class (GTK_WIDGET (label), "error");
      break;
    case BEAM_PROCESS_COLUMN_REDUCTIONS_PER_SECOND:
      text = beam_format_count_per_second (record->reductions_per_second);
      break;
    case BEAM_PROCESS_COLUMN_HEAP_SIZE:
    case BEAM_PROCESS_COLUMN_TOTAL_HEAP_SIZE:
      {
        gint64 words = (gint64) beam_process_table_get_number (table, index, column);

        *tooltip = beam_format_word_count (words);
        text = beam_format_words (words, beam_process_table_get_wordsize (table));
      }
      break;
    case BEAM_PROCESS_COLUMN_REDUCTIONS:
    case BEAM_PROCESS_N_COLUMNS:
    default:
      text = beam_format_count ((gint64) beam_process_table_get_number (table, index, column));
      break;
    }
  gtk_label_set_label (label, text);
}

static void
update_cell (GtkLabel       *label,
             BeamProcessRow *row)
{
  g_autofree char *tooltip = NULL;
  const char *shown;

  update_cell_contents (label, row, &tooltip);
  /* Only a change: setting a tooltip, even none, asks the X server where
   * the pointer is (a round trip), and a refresh updates every cell on
   * screen: 540 round trips made one main-loop turn take 100 ms. */
  shown = gtk_widget_get_tooltip_text (GTK_WIDGET (label));
  if (g_strcmp0 (shown, tooltip) != 0)
    gtk_widget_set_tooltip_text (GTK_WIDGET (label), tooltip);
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
  g_object_set_data (G_OBJECT (label), "list-item", item);  /* it holds the label */
  {
    GtkGesture *click = gtk_gesture_click_new ();
    GtkGesture *long_press = gtk_gesture_long_press_new ();

    gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_SECONDARY);
    g_signal_connect (click, "pressed", G_CALLBACK (on_cell_pressed), NULL);
    gtk_gesture_single_set_touch_only (GTK_GESTURE_SINGLE (long_press), TRUE);
    g_signal_connect (long_press, "pressed", G_CALLBACK (on_cell_long_pressed), NULL);
    gtk_widget_add_controller (label, GTK_EVENT_CONTROLLER (click));
    gtk_widget_add_controller (label, GTK_EVENT_CONTROLLER (long_press));
  }
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

  g_autofree char *shown_text = beam_format_count (shown);
  g_autofree char *total_text = beam_format_count (total);

  if (table == NULL)
    text = g_strdup ("");
  else if (shown == total)
    text = g_strdup_printf (ngettext ("%s process", "%s processes", total), total_text);
  else
    text = g_strdup_printf (g_dngettext (NULL, "%s of %s process", "%s of %s processes", total),
                            shown_text, total_text);
  /* The seeds' first step: the count against the limit. */
  if (table != NULL && self->process_limit > 0)
    {
      g_autofree char *limit = beam_format_count (self->process_limit);
      g_autofree char *with_limit = g_strdup_printf (_("%s · limit %s (%.1f%%)"),
                                                     text, limit,
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
        {
          self->sorting = TRUE;
          gtk_column_view_sort_by_column (self->column_view, column,
                                          descending ? GTK_SORT_DESCENDING : GTK_SORT_ASCENDING);
          self->sorting = FALSE;
        }
    }
}

/* "No process matches" in place of an empty list, when a filter emptied it. */
static void
update_empty_state (BeamProcessesPage *self)
{
  const char *filter = gtk_editable_get_text (GTK_EDITABLE (self->filter_entry));
  gboolean empty = beam_process_model_get_table (self->model) != NULL && *filter != '\0' &&
                   g_list_model_get_n_items (G_LIST_MODEL (self->model)) == 0 &&
                   !beam_process_model_get_busy (self->model);

  if (empty)
    {
      g_autofree char *markup = g_markup_printf_escaped (_("Nothing has “%s” in its pid, name, "
                                                           "initial call or current function."),
                                                         filter);

      adw_status_page_set_description (self->empty_page, markup);
    }
  gtk_stack_set_visible_child_name (self->list_stack, empty ? "empty" : "list");
}

/* Puts the selection back on its pids, wherever the new order has them. */
static void
restore_selection (BeamProcessesPage *self)
{
  g_autoptr(GArray) positions = beam_process_model_find_positions (self->model, self->selected);
  g_autoptr(GtkBitset) selected = gtk_bitset_new_empty ();
  g_autoptr(GtkBitset) mask = NULL;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->model));

  for (guint i = 0; i < positions->len; i++)
    gtk_bitset_add (selected, g_array_index (positions, guint, i));
  mask = gtk_bitset_new_range (0, n);
  self->restoring_selection = TRUE;
  gtk_selection_model_set_selection (GTK_SELECTION_MODEL (self->selection), selected, mask);
  self->restoring_selection = FALSE;
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
  update_empty_state (self);
  restore_selection (self);
}

/* The selected rows' pids, kept so that they survive a new order. While
 * the model is busy, positions may show other processes: what is kept
 * stays. */
static void
on_selection_changed (BeamProcessesPage *self)
{
  g_autoptr(GtkBitset) bitset = NULL;
  GtkBitsetIter iter;
  guint position;

  if (self->restoring_selection || beam_process_model_get_busy (self->model))
    return;
  g_hash_table_remove_all (self->selected);
  bitset = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  for (gboolean more = gtk_bitset_iter_init_first (&iter, bitset, &position); more;
       more = gtk_bitset_iter_next (&iter, &position))
    {
      const BeamProcessRecord *record = beam_process_model_get_record (self->model, position,
                                                                       NULL, NULL);
      if (record != NULL)
        g_hash_table_add (self->selected, beam_process_model_pid_key (record->pid_num,
                                                                      record->pid_serial));
    }
}

/* The selected processes, in the list's order: pids as "<0.N.S>". With
 * `names` and `functions`, what the Name and Current Function columns say. */
static GPtrArray *
selected_pids (BeamProcessesPage *self,
               GPtrArray         *names,
               GPtrArray         *functions)
{
  g_autoptr(GtkBitset) bitset = NULL;
  GtkSelectionModel *model = GTK_SELECTION_MODEL (self->selection);
  GPtrArray *pids = g_ptr_array_new_with_free_func (g_free);
  GtkBitsetIter iter;
  guint position;

  bitset = gtk_selection_model_get_selection (model);
  for (gboolean more = gtk_bitset_iter_init_first (&iter, bitset, &position); more;
       more = gtk_bitset_iter_next (&iter, &position))
    {
      BeamProcessTable *table = NULL;
      guint index = 0;
      const BeamProcessRecord *record = beam_process_model_get_record (self->model, position,
                                                                       &table, &index);
      char pid[32];

      if (record == NULL)
        continue;
      g_ptr_array_add (pids, g_strdup (beam_process_table_format_pid (table, index, pid)));
      if (names != NULL)
        g_ptr_array_add (names, g_strdup (beam_process_table_get_display_name (table, index)));
      if (functions != NULL)
        g_ptr_array_add (functions,
                         g_strdup (beam_process_table_get_string (table,
                                                                  record->current_function)));
    }
  return pids;
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
  const ColumnSpec *primary_spec = NULL;
  GtkColumnViewColumn *primary_view_column = NULL;
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

          primary_spec = spec;
          primary_view_column = column;  /* the view holds it */
          primary = sorter->column;
          descending = ordering == GTK_ORDERING_LARGER;
          if (!self->restoring && self->settings != NULL)
            g_settings_set (self->settings, "processes-sort", "(sb)", spec->id, descending);
        }
      sorter->asked = &self->sorter_asked;
    }

  /* A click on a number column that did not lead: biggest first. GTK
   * asked for ascending; the second click on it still flips. */
  if (primary_spec != NULL && primary_spec->numeric && !descending && !self->sorting &&
      !self->restoring && (gint) primary != self->primary_column)
    {
      self->sorting = TRUE;
      gtk_column_view_sort_by_column (self->column_view, primary_view_column,
                                      GTK_SORT_DESCENDING);
      self->sorting = FALSE;
      return;
    }
  self->primary_column = primary;
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
      if (gtk_widget_get_tooltip_text (GTK_WIDGET (self->count_label)) != NULL)
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

  g_hash_table_remove_all (self->selected);
  self->process_limit = -1;
}

static void
on_filter_changed (BeamProcessesPage *self)
{
  beam_process_model_set_filter (self->model,
                                 gtk_editable_get_text (GTK_EDITABLE (self->filter_entry)));
}

/* ---- the context menu and the actions on rows ------------------------------------- */

static gboolean
writable (BeamProcessesPage *self)
{
  return beam_page_get_node (BEAM_PAGE (self)) != NULL &&
         !beam_page_get_read_only (BEAM_PAGE (self));
}

/* What the menu offers for what is selected: a process's own actions for
 * one, the bulk ones for several; nothing that changes a process with
 * --read-only. */
static GMenuModel *
build_context_menu (BeamProcessesPage *self,
                    guint              n_selected)
{
  GMenu *menu = g_menu_new ();
  g_autoptr(GMenu) open = g_menu_new ();
  g_autoptr(GMenu) sys = g_menu_new ();
  g_autoptr(GMenu) change = g_menu_new ();

  g_menu_append (open, n_selected > 1 ? _("_Open Processes") : _("_Open"), "processes.open");
  g_menu_append (open, n_selected > 1 ? _("_Copy Pids") : _("_Copy Pid"), "processes.copy-pid");
  g_menu_append_section (menu, NULL, G_MENU_MODEL (open));
  if (n_selected == 1)
    {
      g_menu_append (sys, _("Get _State"), "processes.get-state");
      if (writable (self))
        {
          g_menu_append (sys, _("Sus_pend…"), "processes.suspend");
          g_menu_append (sys, _("_Resume…"), "processes.resume");
        }
      g_menu_append_section (menu, NULL, G_MENU_MODEL (sys));
    }
  if (writable (self))
    {
      g_autofree char *gc = NULL;
      g_autofree char *kill = NULL;

      if (n_selected > 1)
        {
          gc = g_strdup_printf (ngettext ("_Garbage Collect %u Process…",
                                          "_Garbage Collect %u Processes…", n_selected),
                                n_selected);
          kill = g_strdup_printf (ngettext ("_Kill %u Process…", "_Kill %u Processes…",
                                            n_selected), n_selected);
        }
      g_menu_append (change, gc != NULL ? gc : _("_Garbage Collect…"),
                     "processes.garbage-collect");
      g_menu_append (change, kill != NULL ? kill : _("_Kill…"), "processes.kill");
      g_menu_append_section (menu, NULL, G_MENU_MODEL (change));
    }
  return G_MENU_MODEL (menu);
}

static void
popup_context_menu (BeamProcessesPage *self,
                    double             x,
                    double             y)
{
  g_autoptr(GtkBitset) bitset = NULL;
  GtkSelectionModel *model = GTK_SELECTION_MODEL (self->selection);
  guint n_selected;
  g_autoptr(GMenuModel) menu = NULL;

  bitset = gtk_selection_model_get_selection (model);
  n_selected = (guint) gtk_bitset_get_size (bitset);
  if (n_selected == 0)
    return;
  menu = build_context_menu (self, n_selected);
  gtk_popover_menu_set_menu_model (self->context_menu, menu);
  gtk_popover_set_pointing_to (GTK_POPOVER (self->context_menu),
                               &(GdkRectangle) { (int) x, (int) y, 1, 1 });
  gtk_popover_popup (GTK_POPOVER (self->context_menu));
}

/* A right click or a long press on a row: the row joins the selection (or
 * is all of it, if it was not selected), then the menu. */
static void
on_cell_menu (GtkWidget *label,
              double     x,
              double     y)
{
  GtkWidget *page = gtk_widget_get_ancestor (label, BEAM_TYPE_PROCESSES_PAGE);
  BeamProcessesPage *self = page != NULL ? BEAM_PROCESSES_PAGE (page) : NULL;
  GtkListItem *item = g_object_get_data (G_OBJECT (label), "list-item");
  guint position = item != NULL ? gtk_list_item_get_position (item) : GTK_INVALID_LIST_POSITION;
  double view_x = 0, view_y = 0;

  if (self == NULL || position == GTK_INVALID_LIST_POSITION)
    return;
  if (!gtk_selection_model_is_selected (GTK_SELECTION_MODEL (self->selection), position))
    gtk_selection_model_select_item (GTK_SELECTION_MODEL (self->selection), position, TRUE);
  gtk_widget_translate_coordinates (label, GTK_WIDGET (self->column_view), x, y, &view_x, &view_y);
  popup_context_menu (self, view_x, view_y);
}

static void
on_cell_pressed (GtkGestureClick *gesture,
                 int              n_press G_GNUC_UNUSED,
                 double           x,
                 double           y,
                 gpointer         user_data G_GNUC_UNUSED)
{
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  on_cell_menu (gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (gesture)), x, y);
}

static void
on_cell_long_pressed (GtkGestureLongPress *gesture,
                      double               x,
                      double               y,
                      gpointer             user_data G_GNUC_UNUSED)
{
  on_cell_menu (gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (gesture)), x, y);
}

/* Menu or Shift+F10: the menu at the focused row, else at the list's top. */
static void
context_menu_action (GtkWidget  *widget,
                     const char *action_name G_GNUC_UNUSED,
                     GVariant   *parameter G_GNUC_UNUSED)
{
  BeamProcessesPage *self = BEAM_PROCESSES_PAGE (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;
  graphene_rect_t bounds;

  if (focus != NULL && gtk_widget_is_ancestor (focus, GTK_WIDGET (self->column_view)) &&
      gtk_widget_compute_bounds (focus, GTK_WIDGET (self->column_view), &bounds))
    popup_context_menu (self, bounds.origin.x + 24, bounds.origin.y + bounds.size.height / 2);
  else
    popup_context_menu (self, 24, 24);
}

static void
open_action (GtkWidget  *widget,
             const char *action_name G_GNUC_UNUSED,
             GVariant   *parameter G_GNUC_UNUSED)
{
  g_autoptr(GPtrArray) pids = selected_pids (BEAM_PROCESSES_PAGE (widget), NULL, NULL);

  /* A few windows at most: a select-all is no request for a thousand. */
  for (guint i = 0; i < MIN (pids->len, 10); i++)
    gtk_widget_activate_action (widget, "win.open-process", "s", pids->pdata[i]);
}

static void
copy_pid_action (GtkWidget  *widget,
                 const char *action_name G_GNUC_UNUSED,
                 GVariant   *parameter G_GNUC_UNUSED)
{
  g_autoptr(GPtrArray) pids = selected_pids (BEAM_PROCESSES_PAGE (widget), NULL, NULL);
  g_autofree char *text = NULL;

  if (pids->len == 0)
    return;
  g_ptr_array_add (pids, NULL);
  text = g_strjoinv ("\n", (char **) pids->pdata);
  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), text);
}

/* One process: the process window's own action, its confirmation and all. */
static void
process_action (BeamProcessesPage *self,
                const char        *action)
{
  g_autoptr(GPtrArray) pids = selected_pids (self, NULL, NULL);

  if (pids->len == 1)
    gtk_widget_activate_action (GTK_WIDGET (self), "win.process-action", "(ss)",
                                pids->pdata[0], action);
}

static void
get_state_action (GtkWidget  *widget,
                  const char *action_name G_GNUC_UNUSED,
                  GVariant   *parameter G_GNUC_UNUSED)
{
  process_action (BEAM_PROCESSES_PAGE (widget), "get-state");
}

static void
suspend_action (GtkWidget  *widget,
                const char *action_name G_GNUC_UNUSED,
                GVariant   *parameter G_GNUC_UNUSED)
{
  if (writable (BEAM_PROCESSES_PAGE (widget)))
    process_action (BEAM_PROCESSES_PAGE (widget), "suspend");
}

static void
resume_action (GtkWidget  *widget,
               const char *action_name G_GNUC_UNUSED,
               GVariant   *parameter G_GNUC_UNUSED)
{
  if (writable (BEAM_PROCESSES_PAGE (widget)))
    process_action (BEAM_PROCESSES_PAGE (widget), "resume");
}

typedef struct
{
  BeamProcessesPage *self;
  guint              pending;
  guint              failed;
} BulkRun;

static void
bulk_done (GObject      *object G_GNUC_UNUSED,
           GAsyncResult *result,
           gpointer      user_data)
{
  BulkRun *run = user_data;
  g_autoptr(GError) error = NULL;

  if (!beam_process_action_finish (result, &error))
    run->failed++;
  if (--run->pending > 0)
    return;
  if (!g_cancellable_is_cancelled (run->self->bulk_cancellable))
    gtk_widget_activate_action (GTK_WIDGET (run->self), "win.refresh", NULL);
  g_object_unref (run->self);
  g_free (run);
}

static void
on_bulk_confirmed (AdwMessageDialog  *dialog,
                   const char        *response,
                   BeamProcessesPage *self)
{
  GPtrArray *pids = g_object_get_data (G_OBJECT (dialog), "pids");
  BeamProcessAction action = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (dialog), "action"));
  BeamNode *node = beam_page_get_node (BEAM_PAGE (self));
  BulkRun *run;

  if (!g_str_equal (response, "do") || node == NULL || !writable (self) || pids->len == 0)
    return;
  run = g_new0 (BulkRun, 1);
  run->self = g_object_ref (self);
  run->pending = pids->len;
  for (guint i = 0; i < pids->len; i++)
    beam_process_action_async (beam_node_get_connection (node), pids->pdata[i], action, NULL,
                               self->bulk_cancellable, bulk_done, run);
}

/* GC or kill of one process is its window's; of several, confirmed here
 * with the list of what will be hit. */
static void
bulk_action (BeamProcessesPage *self,
             BeamProcessAction  action)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) functions = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) pids = NULL;
  g_autoptr(GString) body = g_string_new (NULL);
  g_autofree char *heading = NULL;
  gboolean kill = action == BEAM_PROCESS_ACTION_KILL;
  GtkWidget *dialog;

  if (!writable (self))
    return;
  pids = selected_pids (self, names, functions);
  if (pids->len == 0)
    return;
  if (pids->len == 1)
    {
      process_action (self, kill ? "kill" : "garbage-collect");
      return;
    }

  heading = g_strdup_printf (kill ? ngettext ("Kill %u Process?", "Kill %u Processes?", pids->len)
                                  : ngettext ("Garbage Collect %u Process?",
                                              "Garbage Collect %u Processes?", pids->len),
                             pids->len);
  g_string_append (body, kill ? _("exit(Pid, kill) for each: it cannot be trapped, and linked "
                                   "processes and supervisors react as they would in production.")
                              : _("erlang:garbage_collect(Pid) for each: a full sweep of its "
                                  "heap."));
  g_string_append (body, "\n");
  for (guint i = 0; i < MIN (pids->len, BULK_SHOWN); i++)
    g_string_append_printf (body, "\n%s  %s  %s", (char *) pids->pdata[i],
                            (char *) names->pdata[i], (char *) functions->pdata[i]);
  if (pids->len > BULK_SHOWN)
    g_string_append_printf (body, "\n%s", "");
  if (pids->len > BULK_SHOWN)
    g_string_append_printf (body, ngettext ("…and %u more", "…and %u more",
                                            pids->len - BULK_SHOWN),
                            pids->len - BULK_SHOWN);

  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))), heading,
                                   body->str);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"),
                                    "do", kill ? _("_Kill") : _("_Collect"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "do",
                                              kill ? ADW_RESPONSE_DESTRUCTIVE
                                                   : ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "pids", g_steal_pointer (&pids),
                          (GDestroyNotify) g_ptr_array_unref);
  g_object_set_data (G_OBJECT (dialog), "action", GUINT_TO_POINTER (action));
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_bulk_confirmed), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
garbage_collect_action (GtkWidget  *widget,
                        const char *action_name G_GNUC_UNUSED,
                        GVariant   *parameter G_GNUC_UNUSED)
{
  bulk_action (BEAM_PROCESSES_PAGE (widget), BEAM_PROCESS_ACTION_GARBAGE_COLLECT);
}

static void
kill_action (GtkWidget  *widget,
             const char *action_name G_GNUC_UNUSED,
             GVariant   *parameter G_GNUC_UNUSED)
{
  bulk_action (BEAM_PROCESSES_PAGE (widget), BEAM_PROCESS_ACTION_KILL);
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
  g_autoptr(GtkBitset) bitset = NULL;
  GtkSelectionModel *model = GTK_SELECTION_MODEL (self->selection);
  BeamProcessTable *table = NULL;
  guint index = 0;
  const BeamProcessRecord *record = NULL;

  bitset = gtk_selection_model_get_selection (model);
  if (!gtk_bitset_is_empty (bitset))
    record = beam_process_model_get_record (self->model, gtk_bitset_get_minimum (bitset), &table,
                                            &index);

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
  g_cancellable_cancel (self->bulk_cancellable);
  g_clear_object (&self->bulk_cancellable);
  if (self->context_menu != NULL)
    {
      gtk_widget_unparent (GTK_WIDGET (self->context_menu));
      self->context_menu = NULL;
    }
  g_clear_pointer (&self->selected, g_hash_table_unref);
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
  gtk_widget_class_bind_template_child (widget_class, BeamProcessesPage, list_stack);
  gtk_widget_class_bind_template_child (widget_class, BeamProcessesPage, empty_page);
  gtk_widget_class_bind_template_callback (widget_class, on_filter_changed);

  gtk_widget_class_install_action (widget_class, "processes.top", "s", top_action);
  gtk_widget_class_install_action (widget_class, "processes.growth", "s", growth_action);
  gtk_widget_class_install_action (widget_class, "processes.groups", NULL, groups_action);
  gtk_widget_class_install_action (widget_class, "processes.in-module", NULL, in_module_action);
  gtk_widget_class_install_action (widget_class, "processes.context-menu", NULL,
                                   context_menu_action);
  gtk_widget_class_install_action (widget_class, "processes.open", NULL, open_action);
  gtk_widget_class_install_action (widget_class, "processes.copy-pid", NULL, copy_pid_action);
  gtk_widget_class_install_action (widget_class, "processes.get-state", NULL, get_state_action);
  gtk_widget_class_install_action (widget_class, "processes.suspend", NULL, suspend_action);
  gtk_widget_class_install_action (widget_class, "processes.resume", NULL, resume_action);
  gtk_widget_class_install_action (widget_class, "processes.garbage-collect", NULL,
                                   garbage_collect_action);
  gtk_widget_class_install_action (widget_class, "processes.kill", NULL, kill_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Menu, 0, "processes.context-menu",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F10, GDK_SHIFT_MASK,
                                       "processes.context-menu", NULL);
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
  self->primary_column = -1;
  self->selected = g_hash_table_new (NULL, NULL);
  self->bulk_cancellable = g_cancellable_new ();
  /* The count and the list follow each key typed. */
  gtk_search_entry_set_search_delay (self->filter_entry, 0);
  self->model = beam_process_model_new ();
  self->selection = gtk_multi_selection_new (g_object_ref (G_LIST_MODEL (self->model)));
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));
  self->context_menu = GTK_POPOVER_MENU (gtk_popover_menu_new_from_model (NULL));
  gtk_popover_set_has_arrow (GTK_POPOVER (self->context_menu), FALSE);
  gtk_widget_set_halign (GTK_WIDGET (self->context_menu), GTK_ALIGN_START);
  gtk_widget_set_parent (GTK_WIDGET (self->context_menu), GTK_WIDGET (self->column_view));

  build_columns (self);
  g_signal_connect_object (self->model, "notify::busy", G_CALLBACK (on_model_busy_changed),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->selection, "selection-changed",
                           G_CALLBACK (on_selection_changed), self, G_CONNECT_SWAPPED);
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

GtkSelectionModel *
beam_processes_page_get_selection (BeamProcessesPage *self)
{
  g_return_val_if_fail (BEAM_IS_PROCESSES_PAGE (self), NULL);
  return GTK_SELECTION_MODEL (self->selection);
}

GtkPopover *
beam_processes_page_get_context_menu (BeamProcessesPage *self)
{
  g_return_val_if_fail (BEAM_IS_PROCESSES_PAGE (self), NULL);
  return GTK_POPOVER (self->context_menu);
}

gboolean
beam_processes_page_get_empty_shown (BeamProcessesPage *self)
{
  g_return_val_if_fail (BEAM_IS_PROCESSES_PAGE (self), FALSE);
  return g_strcmp0 (gtk_stack_get_visible_child_name (self->list_stack), "empty") == 0;
}

const char *
beam_processes_page_get_count_text (BeamProcessesPage *self)
{
  g_return_val_if_fail (BEAM_IS_PROCESSES_PAGE (self), NULL);
  return gtk_label_get_label (self->count_label);
}
