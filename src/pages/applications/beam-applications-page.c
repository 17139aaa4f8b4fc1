/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Applications page: the node's applications, loaded and started, with
 * what their processes hold; and the supervision tree of the one selected,
 * drawn (BeamSupervisionCanvas) beside an outline of the same tree, the two
 * selecting together. Refreshed while on screen: the list first, then the
 * tree, whose restarted children are marked (BeamSupervisionHistory).
 *
 * Counting every process of the node for the list's sums takes seconds on a
 * node with a million of them: the sums are a question of their own beside
 * the refreshes, asked again only when that costs at most a tenth of the
 * time since the last count. */

#define G_LOG_DOMAIN "beamscope-applications"

#include "config.h"

#include <glib/gi18n.h>

#include "beam-number-format.h"
#include "beam-application-list.h"
#include "beam-application-row.h"
#include "beam-list-keys.h"
#include "beam-applications-page-private.h"
#include "beam-process-info.h"
#include "beam-supervision-canvas.h"
#include "beam-supervision-history.h"
#include "beam-supervision-item.h"
#include "beam-supervision-tree.h"

/* Counting may cost a tenth of the time between counts, and is done at
 * least this often. */
#define COUNT_SHARE        10
#define COUNT_EVERY_US     (60 * G_USEC_PER_SEC)
/* A supervisor that did not answer is not asked again for this long: each
 * question it leaves unanswered stays in its mailbox. */
#define SILENT_US          (60 * G_USEC_PER_SEC)
/* A counted supervisor's children are listed this many more at a time, up
 * to the limit of the ones the tree fetches whole. */
#define MORE_STEP          1000
#define MORE_LIMIT         10000
/* Past this many children, listing any copies them all (as the probe says). */
#define LIST_LIMIT         100000

struct _BeamApplicationsPage
{
  BeamPage               parent_instance;

  GtkPaned              *paned;
  GtkColumnView         *applications_view;
  GtkSingleSelection    *applications_selection;
  GListStore            *applications;
  GtkStack              *tree_stack;
  AdwStatusPage         *status_page;
  GtkSearchEntry        *search_entry;
  GtkLabel              *matches_label;
  GtkLabel              *tree_status_label;
  GtkToggleButton       *links_toggle;
  GtkToggleButton       *pause_button;
  GtkButton             *zoom_in_button;
  GtkButton             *zoom_out_button;
  GtkButton             *zoom_fit_button;
  GtkMenuButton         *node_menu_button;
  GMenuModel            *node_menu;
  BeamSupervisionCanvas *canvas;
  GtkColumnView         *outline_view;
  GtkSingleSelection    *outline_selection;
  GtkColumnViewColumn   *outline_name_column;
  GtkColumnViewColumn   *outline_pid_column;
  GtkColumnViewColumn   *outline_type_column;
  GtkColumnViewColumn   *outline_restart_column;
  GtkColumnViewColumn   *outline_memory_column;
  GtkColumnViewColumn   *outline_queue_column;
  GtkColumnViewColumn   *outline_reductions_column;

  GSettings             *settings;
  GHashTable            *more_children;    /* pid -> how many of its children to list */
  GHashTable            *silent;           /* pid -> when it last did not answer (µs) */
  BeamSupervisionHistory *history;
  GtkPopoverMenu        *context_menu;
  GtkPopover            *details_popover;  /* a supervisor's count_children and specs */
  GtkLabel              *details_label;
  GdkRectangle           menu_point;       /* where the menu was last opened */
  char                  *application;      /* the one selected, or NULL */
  gint64                 counted_at_us;    /* when the list was last counted */
  gint64                 count_cost_us;    /* what that count took */
  gint64                 asked_at_us;
  gboolean               counting;         /* a count is out */
  gint64                 count_started_us;
  gboolean               ask_again;        /* the selection changed while asking */
  gboolean               syncing;          /* selecting in one view from the other */
  gboolean               outline_built;    /* for this tree's application */
  guint                  trees;
};

G_DEFINE_FINAL_TYPE (BeamApplicationsPage, beam_applications_page, BEAM_TYPE_PAGE)

static void ask_tree            (BeamApplicationsPage *self);
static void open_process_action (GtkWidget            *widget,
                                 const char           *action_name,
                                 GVariant             *parameter);

/* ---- closures of the .ui ------------------------------------------------------- */

char *
beam_applications_page_format_count (gpointer unused G_GNUC_UNUSED,
                                     gint64   count)
{
  return beam_format_count (count);
}

char *
beam_applications_page_format_bytes (gpointer unused G_GNUC_UNUSED,
                                     gint64   bytes)
{
  return beam_format_bytes (bytes);
}

char *
beam_applications_page_format_reductions (gpointer unused G_GNUC_UNUSED,
                                          gint64   reductions)
{
  g_autofree char *count = reductions >= 0 ? beam_format_count (reductions) : NULL;

  return count != NULL ? g_strdup_printf (g_dngettext (NULL, "%s reduction", "%s reductions",
                                                       reductions), count) : NULL;
}

char *
beam_applications_page_describe_state (gpointer    unused G_GNUC_UNUSED,
                                       const char *state_name,
                                       gboolean    library,
                                       const char *start_type,
                                       const char *vsn)
{
  const char *state = g_strcmp0 (state_name, "loaded") == 0 ? _("stopped")
                      : g_strcmp0 (state_name, "starting") == 0 ? _("starting…")
                      : g_strcmp0 (state_name, "stopping") == 0 ? _("stopping…")
                      : library ? _("library")
                      : start_type != NULL ? start_type : _("running");

  return vsn != NULL ? g_strdup_printf ("%s · %s", vsn, state) : g_strdup (state);
}

/* ---- the selected node ---------------------------------------------------------- */

static const BeamSupervisionNode *
selected_node (BeamApplicationsPage *self)
{
  const BeamSupervisionTree *tree = beam_supervision_canvas_get_tree (self->canvas);
  guint selected = beam_supervision_canvas_get_selected (self->canvas);

  if (tree == NULL || selected >= tree->n_nodes)
    return NULL;
  return &tree->nodes[selected];
}

/* A process's pid, not a port's. */
static const char *
selected_pid (BeamApplicationsPage *self)
{
  const BeamSupervisionNode *node = selected_node (self);

  if (node == NULL || node->pid == NULL || node->pid[0] != '<')
    return NULL;
  return node->pid;
}

/* The one place the page's actions are enabled or not: --read-only leaves
 * no kill. */
static void
update_actions (BeamApplicationsPage *self)
{
  const BeamSupervisionNode *node = selected_node (self);
  BeamNode *beam_node = beam_page_get_node (BEAM_PAGE (self));
  gboolean writable = beam_node != NULL && !beam_node_get_read_only (beam_node);
  gboolean has_pid = selected_pid (self) != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "applications.open-process", has_pid);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "applications.kill", has_pid && writable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "applications.supervisor-details",
                                 has_pid && node->type == BEAM_SUPERVISION_SUPERVISOR &&
                                 node->status != BEAM_SUPERVISOR_NOT_ANSWERING &&
                                 g_strcmp0 (node->strategy, "not a supervisor") != 0);
  gtk_widget_set_sensitive (GTK_WIDGET (self->node_menu_button), has_pid);
}

/* ---- the outline ------------------------------------------------------------------ */

static GListModel *
create_children (gpointer item,
                 gpointer user_data)
{
  BeamApplicationsPage *self = user_data;
  const BeamSupervisionTree *tree = beam_supervision_canvas_get_tree (self->canvas);

  if (tree == NULL || beam_supervision_item_get_is_more (item))
    return NULL;
  return beam_supervision_item_list_children (tree, beam_supervision_item_get_index (item),
                                              beam_supervision_history_get_restarted (
                                                self->history));
}

/* The pids of the rows expanded now, to expand them again in a new tree. */
static GHashTable *
expanded_pids (BeamApplicationsPage *self)
{
  GListModel *rows = gtk_single_selection_get_model (self->outline_selection);
  GHashTable *pids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint n = rows != NULL ? g_list_model_get_n_items (rows) : 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GtkTreeListRow) row = g_list_model_get_item (rows, i);
      g_autoptr(BeamSupervisionItem) item = gtk_tree_list_row_get_item (row);

      if (gtk_tree_list_row_get_expanded (row) && beam_supervision_item_get_pid (item) != NULL)
        g_hash_table_add (pids, g_strdup (beam_supervision_item_get_pid (item)));
    }
  return pids;
}

/* The same processes in the same places: the outline keeps its rows (and
 * its scroll position), only their figures change. */
static gboolean
same_shape (const BeamSupervisionTree *a,
            const BeamSupervisionTree *b)
{
  if (a == NULL || b == NULL || a->n_nodes != b->n_nodes ||
      g_strcmp0 (a->application, b->application) != 0)
    return FALSE;
  for (guint i = 0; i < a->n_nodes; i++)
    if (a->nodes[i].parent != b->nodes[i].parent || a->nodes[i].type != b->nodes[i].type ||
        g_strcmp0 (a->nodes[i].pid, b->nodes[i].pid) != 0 ||
        a->nodes[i].n_child_nodes != b->nodes[i].n_child_nodes ||
        a->nodes[i].children_count != b->nodes[i].children_count)
      return FALSE;
  return TRUE;
}

static void
update_outline (BeamApplicationsPage *self)
{
  const BeamSupervisionTree *tree = beam_supervision_canvas_get_tree (self->canvas);
  const guint8 *restarted = beam_supervision_history_get_restarted (self->history);
  GListModel *rows = gtk_single_selection_get_model (self->outline_selection);
  guint n = rows != NULL ? g_list_model_get_n_items (rows) : 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GtkTreeListRow) row = g_list_model_get_item (rows, i);
      g_autoptr(BeamSupervisionItem) item = gtk_tree_list_row_get_item (row);
      guint index = beam_supervision_item_get_index (item);

      if (!beam_supervision_item_get_is_more (item) && index < tree->n_nodes)
        beam_supervision_item_update (item, tree, restarted != NULL && restarted[index]);
    }
}

static void
rebuild_outline (BeamApplicationsPage *self)
{
  const BeamSupervisionTree *tree = beam_supervision_canvas_get_tree (self->canvas);
  g_autoptr(GHashTable) expanded = expanded_pids (self);
  gboolean first = !self->outline_built;
  GtkTreeListModel *rows;
  GListStore *root;
  guint n;

  if (tree == NULL || tree->n_nodes == 0)
    {
      gtk_single_selection_set_model (self->outline_selection, NULL);
      self->outline_built = FALSE;
      return;
    }
  self->outline_built = TRUE;

  root = g_list_store_new (BEAM_TYPE_SUPERVISION_ITEM);
  {
    g_autoptr(BeamSupervisionItem) top = beam_supervision_item_new (tree, 0, FALSE);
    g_list_store_append (root, top);
  }
  rows = gtk_tree_list_model_new (G_LIST_MODEL (root), FALSE, FALSE, create_children, self, NULL);

  self->syncing = TRUE;
  gtk_single_selection_set_model (self->outline_selection, G_LIST_MODEL (rows));
  /* Expanded again as they were; a first tree opens its top supervisor. */
  n = g_list_model_get_n_items (G_LIST_MODEL (rows));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GtkTreeListRow) row = gtk_tree_list_model_get_row (rows, i);
      g_autoptr(BeamSupervisionItem) item = gtk_tree_list_row_get_item (row);
      const char *pid = beam_supervision_item_get_pid (item);

      if ((first && i == 0) || (pid != NULL && g_hash_table_contains (expanded, pid)))
        {
          gtk_tree_list_row_set_expanded (row, TRUE);
          n = g_list_model_get_n_items (G_LIST_MODEL (rows));
        }
    }
  gtk_single_selection_set_selected (self->outline_selection, GTK_INVALID_LIST_POSITION);
  self->syncing = FALSE;
  g_object_unref (rows);
}

/* GTK 4.8's column view has no scroll_to(): its list view has the action. */
static void
scroll_outline_to (BeamApplicationsPage *self,
                   guint                 position)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->outline_view));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LIST_VIEW (child))
      gtk_widget_activate_action (child, "list.scroll-to-item", "u", position);
}

/* Selects `index` in the outline, expanding the rows above it. */
static void
select_in_outline (BeamApplicationsPage *self,
                   guint                 index,
                   gboolean              scroll)
{
  const BeamSupervisionTree *tree = beam_supervision_canvas_get_tree (self->canvas);
  GtkTreeListModel *rows = GTK_TREE_LIST_MODEL (gtk_single_selection_get_model (
                                                  self->outline_selection));
  g_autoptr(GArray) path = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GtkTreeListRow) row = NULL;

  if (tree == NULL || rows == NULL || index >= tree->n_nodes)
    {
      gtk_single_selection_set_selected (self->outline_selection, GTK_INVALID_LIST_POSITION);
      return;
    }
  for (guint at = index; at != BEAM_SUPERVISION_NO_PARENT; at = tree->nodes[at].parent)
    g_array_prepend_val (path, at);

  row = gtk_tree_list_model_get_row (rows, 0);
  for (guint step = 1; step < path->len && row != NULL; step++)
    {
      const BeamSupervisionNode *parent = &tree->nodes[g_array_index (path, guint, step - 1)];
      guint child = g_array_index (path, guint, step);
      GtkTreeListRow *next = NULL;

      gtk_tree_list_row_set_expanded (row, TRUE);
      for (guint k = 0; k < parent->n_child_nodes; k++)
        if (parent->child_nodes[k] == child)
          next = gtk_tree_list_row_get_child_row (row, k);
      g_object_unref (row);
      row = next;
    }
  if (row != NULL)
    {
      guint position = gtk_tree_list_row_get_position (row);

      gtk_single_selection_set_selected (self->outline_selection, position);
      if (scroll)
        scroll_outline_to (self, position);
    }
}

static void
on_canvas_selected (BeamApplicationsPage *self)
{
  update_actions (self);
  if (self->syncing)
    return;
  self->syncing = TRUE;
  select_in_outline (self, beam_supervision_canvas_get_selected (self->canvas), TRUE);
  self->syncing = FALSE;
}

static void
on_outline_selected (BeamApplicationsPage *self)
{
  GtkTreeListRow *row = gtk_single_selection_get_selected_item (self->outline_selection);
  g_autoptr(BeamSupervisionItem) item = NULL;

  if (self->syncing || row == NULL)
    return;
  item = gtk_tree_list_row_get_item (row);
  if (beam_supervision_item_get_is_more (item))
    return;
  self->syncing = TRUE;
  beam_supervision_canvas_set_selected (self->canvas, beam_supervision_item_get_index (item));
  self->syncing = FALSE;
  update_actions (self);
}

/* Cells of the outline: a label bound to one property of the row's item. */
typedef struct
{
  const char *property;
  gboolean    numeric;
  gboolean    bytes;
} OutlineCell;

static const OutlineCell name_cell = { "title", FALSE, FALSE };
static const OutlineCell pid_cell = { "pid", FALSE, FALSE };
static const OutlineCell type_cell = { "type", FALSE, FALSE };
static const OutlineCell restart_cell = { "restart", FALSE, FALSE };
static const OutlineCell memory_cell = { "memory", TRUE, TRUE };
static const OutlineCell queue_cell = { "message-queue-len", TRUE, FALSE };
static const OutlineCell reductions_cell = { "reductions", TRUE, FALSE };

static void
setup_cell (GtkSignalListItemFactory *factory G_GNUC_UNUSED,
            GtkListItem              *list_item,
            const OutlineCell        *cell)
{
  GtkWidget *label = gtk_label_new (NULL);

  g_object_set_data (G_OBJECT (list_item), "cell", (gpointer) cell);
  gtk_label_set_xalign (GTK_LABEL (label), cell->numeric ? 1.0f : 0.0f);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  if (cell->numeric)
    gtk_widget_add_css_class (label, "numeric");
  if (cell == &name_cell)
    {
      GtkWidget *expander = gtk_tree_expander_new ();

      gtk_tree_expander_set_child (GTK_TREE_EXPANDER (expander), label);
      gtk_list_item_set_child (list_item, expander);
    }
  else
    gtk_list_item_set_child (list_item, label);
}

/* What the cell shows of its row's item, again whenever the item changes. */
static void
render_cell (GtkListItem *list_item)
{
  const OutlineCell *cell = g_object_get_data (G_OBJECT (list_item), "cell");
  GtkTreeListRow *row = gtk_list_item_get_item (list_item);
  g_autoptr(BeamSupervisionItem) item = gtk_tree_list_row_get_item (row);
  GtkWidget *child = gtk_list_item_get_child (list_item);
  GtkWidget *label = child;
  g_autofree char *text = NULL;
  gboolean restarted = FALSE;

  if (cell == &name_cell)
    {
      label = gtk_tree_expander_get_child (GTK_TREE_EXPANDER (child));
      g_object_get (item, "restarted", &restarted, NULL);
    }
  if (cell->numeric)
    {
      gint64 value;

      g_object_get (item, cell->property, &value, NULL);
      text = value < 0 ? g_strdup ("")
             : cell->bytes ? beam_format_bytes (value)
             : beam_format_count (value);
    }
  else
    g_object_get (item, cell->property, &text, NULL);
  if (cell == &name_cell && restarted)
    {
      g_autofree char *marked = g_strdup_printf (_("%s (restarted)"), text);
      gtk_label_set_text (GTK_LABEL (label), marked);
    }
  else
    gtk_label_set_text (GTK_LABEL (label), text != NULL ? text : "");
  if (cell == &name_cell)
    {
      if (beam_supervision_item_get_is_more (item))
        gtk_widget_add_css_class (label, "dim-label");
      else
        gtk_widget_remove_css_class (label, "dim-label");
    }
}

static void
bind_cell (GtkSignalListItemFactory *factory G_GNUC_UNUSED,
           GtkListItem              *list_item,
           const OutlineCell        *cell)
{
  GtkTreeListRow *row = gtk_list_item_get_item (list_item);
  BeamSupervisionItem *item = gtk_tree_list_row_get_item (row);
  GtkWidget *child = gtk_list_item_get_child (list_item);

  if (cell == &name_cell)
    gtk_tree_expander_set_list_row (GTK_TREE_EXPANDER (child), row);
  /* A refresh of the same tree updates the items in place. */
  g_signal_connect_object (item, "notify", G_CALLBACK (render_cell), list_item,
                           G_CONNECT_SWAPPED);
  g_object_set_data_full (G_OBJECT (list_item), "item", item, g_object_unref);
  render_cell (list_item);
}

static void
unbind_cell (GtkSignalListItemFactory *factory G_GNUC_UNUSED,
             GtkListItem              *list_item,
             const OutlineCell        *cell)
{
  BeamSupervisionItem *item = g_object_get_data (G_OBJECT (list_item), "item");

  if (item != NULL)
    g_signal_handlers_disconnect_by_func (item, render_cell, list_item);
  g_object_set_data (G_OBJECT (list_item), "item", NULL);
  if (cell == &name_cell)
    gtk_tree_expander_set_list_row (GTK_TREE_EXPANDER (gtk_list_item_get_child (list_item)),
                                    NULL);
}

static void
set_up_outline_column (GtkColumnViewColumn *column,
                       const OutlineCell   *cell)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  g_signal_connect (factory, "setup", G_CALLBACK (setup_cell), (gpointer) cell);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cell), (gpointer) cell);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_cell), (gpointer) cell);
  gtk_column_view_column_set_factory (column, factory);
  g_object_unref (factory);
}

/* ---- asking the node ---------------------------------------------------------------- */

static void
show_status (BeamApplicationsPage *self,
             const char           *icon,
             const char           *title,
             const char           *description)
{
  /* The description is markup, and may quote what the node said. */
  g_autofree char *escaped = description != NULL ? g_markup_escape_text (description, -1) : NULL;

  adw_status_page_set_icon_name (self->status_page, icon);
  adw_status_page_set_title (self->status_page, title);
  adw_status_page_set_description (self->status_page, escaped);
  gtk_stack_set_visible_child_name (self->tree_stack, "status");
}

static BeamApplicationRow *
selected_row (BeamApplicationsPage *self)
{
  return gtk_single_selection_get_selected_item (self->applications_selection);
}

static void
finish (BeamApplicationsPage *self,
        const GError         *error)
{
  beam_page_refresh_done (BEAM_PAGE (self), error);
  if (self->ask_again)
    {
      self->ask_again = FALSE;
      beam_page_refresh (BEAM_PAGE (self));
    }
}

/* Now, or as soon as the question out is answered. */
static void
refresh_soon (BeamApplicationsPage *self)
{
  if (beam_page_get_busy (BEAM_PAGE (self)))
    self->ask_again = TRUE;
  else
    beam_page_refresh (BEAM_PAGE (self));
}

static void
update_tree_status (BeamApplicationsPage *self,
                    guint                 elapsed_ms)
{
  const BeamSupervisionTree *tree = beam_supervision_canvas_get_tree (self->canvas);
  guint processes = 0, silent = 0;
  g_autofree char *text = NULL;

  for (guint i = 0; i < tree->n_nodes; i++)
    {
      if (tree->nodes[i].pid != NULL && tree->nodes[i].type != BEAM_SUPERVISION_LINKED)
        processes++;
      if (tree->nodes[i].type == BEAM_SUPERVISION_SUPERVISOR &&
          tree->nodes[i].status == BEAM_SUPERVISOR_NOT_ANSWERING)
        silent++;
    }
  if (silent > 0)
    text = g_strdup_printf (ngettext ("%u processes · %u supervisor not answering · %u ms",
                                      "%u processes · %u supervisors not answering · %u ms",
                                      silent),
                            processes, silent, elapsed_ms);
  else
    text = g_strdup_printf (g_dngettext (NULL, "%u process · %u ms", "%u processes · %u ms",
                                         processes), processes, elapsed_ms);
  gtk_label_set_text (self->tree_status_label, text);
}

static gboolean
silent_for_long (gpointer key G_GNUC_UNUSED,
                 gpointer value,
                 gpointer user_data G_GNUC_UNUSED)
{
  return g_get_monotonic_time () - *(gint64 *) value >= SILENT_US;
}

/* The supervisors that did not answer, newly: not asked again for a while. */
static void
note_silent (BeamApplicationsPage      *self,
             const BeamSupervisionTree *tree)
{
  for (guint i = 0; i < tree->n_nodes; i++)
    {
      const BeamSupervisionNode *node = &tree->nodes[i];

      if (node->type == BEAM_SUPERVISION_SUPERVISOR && node->pid != NULL &&
          node->status == BEAM_SUPERVISOR_NOT_ANSWERING &&
          !g_hash_table_contains (self->silent, node->pid))
        {
          gint64 *since = g_new (gint64, 1);

          *since = g_get_monotonic_time ();
          g_hash_table_insert (self->silent, g_strdup (node->pid), since);
        }
    }
}

static void
tree_done (GObject      *object G_GNUC_UNUSED,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(BeamApplicationsPage) self = user_data;
  g_autoptr(GError) error = NULL;
  BeamSupervisionTree *tree = beam_supervision_tree_finish (result, &error);
  guint elapsed_ms = (guint) ((g_get_monotonic_time () - self->asked_at_us) / 1000);
  gboolean reshaped;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (tree != NULL && g_strcmp0 (tree->application, self->application) != 0)
    {
      /* Another application was selected meanwhile. */
      beam_supervision_tree_free (tree);
      self->ask_again = TRUE;
      finish (self, NULL);
      return;
    }
  if (tree != NULL)
    beam_supervision_tree_respell (tree,
                                   beam_node_get_syntax (beam_page_get_node (BEAM_PAGE (self))));
  if (tree == NULL)
    {
      if (g_error_matches (error, BEAM_SUPERVISION_ERROR, BEAM_SUPERVISION_ERROR_NOT_RUNNING))
        show_status (self, "media-playback-stop-symbolic", _("Application Stopped"),
                     error->message);
      else if (g_error_matches (error, BEAM_SUPERVISION_ERROR,
                                BEAM_SUPERVISION_ERROR_NO_PROCESSES))
        show_status (self, "accessories-dictionary-symbolic", _("Library Application"),
                     error->message);
      else if (g_error_matches (error, BEAM_SUPERVISION_ERROR,
                                BEAM_SUPERVISION_ERROR_UNKNOWN_APPLICATION))
        show_status (self, "dialog-question-symbolic", _("Application Gone"), error->message);
      else
        show_status (self, "dialog-warning-symbolic", _("Could Not Read the Tree"),
                     error->message);
      beam_supervision_canvas_set_tree (self->canvas, NULL, NULL);
      rebuild_outline (self);
      update_actions (self);
      self->trees++;
      finish (self, error);
      return;
    }

  note_silent (self, tree);
  reshaped = !same_shape (beam_supervision_canvas_get_tree (self->canvas), tree);
  beam_supervision_history_update (self->history, tree);
  beam_supervision_canvas_set_tree (self->canvas, tree,
                                    (GDestroyNotify) beam_supervision_tree_free);
  beam_supervision_canvas_set_marks (self->canvas,
                                     beam_supervision_history_get_restarted (self->history),
                                     beam_supervision_history_get_restart_counts (self->history));
  if (reshaped)
    {
      rebuild_outline (self);
      self->syncing = TRUE;
      select_in_outline (self, beam_supervision_canvas_get_selected (self->canvas), FALSE);
      self->syncing = FALSE;
    }
  else
    update_outline (self);
  gtk_stack_set_visible_child_name (self->tree_stack, "tree");
  update_tree_status (self, elapsed_ms);
  update_actions (self);
  self->trees++;
  finish (self, NULL);
}

static void
ask_tree (BeamApplicationsPage *self)
{
  BeamConnection *connection = beam_page_get_connection (BEAM_PAGE (self));
  BeamApplicationRow *row = selected_row (self);
  BeamSupervisionOptions options;

  if (connection == NULL || row == NULL)
    {
      show_status (self, "view-list-bullet-symbolic", _("No Application Selected"),
                   _("Choose an application to see its supervision tree"));
      finish (self, NULL);
      return;
    }

  beam_supervision_options_init (&options);
  options.links = gtk_toggle_button_get_active (self->links_toggle);
  options.more_children = self->more_children;
  options.silent = self->silent;
  g_hash_table_foreach_remove (self->silent, silent_for_long, NULL);
  self->asked_at_us = g_get_monotonic_time ();
  beam_supervision_tree_async (connection, beam_application_row_get_name (row), &options,
                               beam_page_get_cancellable (BEAM_PAGE (self)), tree_done,
                               g_object_ref (self));
}

static void
list_done (GObject      *object G_GNUC_UNUSED,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(BeamApplicationsPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(BeamApplicationList) list = beam_application_list_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (list == NULL)
    {
      show_status (self, "dialog-warning-symbolic", _("Could Not List the Applications"),
                   error->message);
      finish (self, error);
      return;
    }
  beam_application_rows_update (self->applications, list);
  ask_tree (self);
}

/* The sums, asked beside the refreshes: a question of its own, which on a
 * node with a million processes takes seconds that the tree need not wait. */
static void
count_done (GObject      *object G_GNUC_UNUSED,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(BeamApplicationsPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(BeamApplicationList) list = beam_application_list_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->counting = FALSE;
  self->counted_at_us = g_get_monotonic_time ();
  self->count_cost_us = self->counted_at_us - self->count_started_us;
  /* The counts only: the rest may be older than the last list's. */
  if (list != NULL)
    beam_application_rows_update_counts (self->applications, list);
}

static void
beam_applications_page_refresh (BeamPage       *page,
                                BeamConnection *connection,
                                GCancellable   *cancellable)
{
  BeamApplicationsPage *self = BEAM_APPLICATIONS_PAGE (page);
  gint64 now = g_get_monotonic_time ();

  self->asked_at_us = now;
  beam_application_list_async (connection, FALSE, cancellable, list_done, g_object_ref (self));
  if (!self->counting &&
      (self->counted_at_us == 0 ||
       now - self->counted_at_us >= MIN (COUNT_EVERY_US, COUNT_SHARE * self->count_cost_us)))
    {
      self->counting = TRUE;
      self->count_started_us = now;
      beam_application_list_async (connection, TRUE, cancellable, count_done,
                                   g_object_ref (self));
    }
}

static void
on_application_selected (BeamApplicationsPage *self)
{
  BeamApplicationRow *row = selected_row (self);
  const char *name = row != NULL ? beam_application_row_get_name (row) : NULL;

  if (g_strcmp0 (name, self->application) == 0)
    return;
  g_free (self->application);
  self->application = g_strdup (name);
  g_hash_table_remove_all (self->more_children);
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  beam_supervision_canvas_set_tree (self->canvas, NULL, NULL);
  rebuild_outline (self);
  gtk_label_set_text (self->tree_status_label, "");
  if (name != NULL)
    {
      g_autofree char *reading = g_strdup_printf (_("Reading the supervision tree of %s…"),
                                                  name);
      show_status (self, "content-loading-symbolic", name, reading);
    }
  refresh_soon (self);
  update_actions (self);
}

/* A counted supervisor's "N more": the next MORE_STEP of its children are
 * listed, in this refresh and the next ones. */
static void
on_fetch_more (BeamApplicationsPage *self,
               guint                 index)
{
  const BeamSupervisionTree *tree = beam_supervision_canvas_get_tree (self->canvas);
  const BeamSupervisionNode *node;

  if (tree == NULL || index >= tree->n_nodes)
    return;
  node = &tree->nodes[index];
  if (node->pid == NULL || node->status != BEAM_SUPERVISOR_COUNTED)
    return;
  if (node->children_count > LIST_LIMIT)
    {
      /* Listing them means copying all its links on every refresh. */
      gtk_label_set_text (self->tree_status_label,
                          _("Too many children to list: over 100,000"));
      return;
    }
  g_hash_table_insert (self->more_children, g_strdup (node->pid),
                       GUINT_TO_POINTER (MIN (node->n_child_nodes + MORE_STEP, MORE_LIMIT)));
  gtk_label_set_text (self->tree_status_label, _("Fetching more children…"));
  refresh_soon (self);
}

/* Enter or a double click on a row: its process window, or for the row of
 * a counted supervisor's children not listed, more of them. */
static void
on_outline_activate (BeamApplicationsPage *self,
                     guint                 position)
{
  GListModel *rows = gtk_single_selection_get_model (self->outline_selection);
  g_autoptr(GtkTreeListRow) row = rows != NULL ? g_list_model_get_item (rows, position) : NULL;
  g_autoptr(BeamSupervisionItem) item = row != NULL ? gtk_tree_list_row_get_item (row) : NULL;

  if (item == NULL)
    return;
  if (beam_supervision_item_get_is_more (item))
    on_fetch_more (self, beam_supervision_item_get_index (item));
  else if (beam_supervision_item_get_pid (item) != NULL &&
           beam_supervision_item_get_pid (item)[0] == '<')
    gtk_widget_activate_action (GTK_WIDGET (self), "win.open-process", "s",
                                beam_supervision_item_get_pid (item));
}

static void
on_links_toggled (BeamApplicationsPage *self)
{
  refresh_soon (self);
}

/* ---- search ---------------------------------------------------------------------- */

static void
update_matches (BeamApplicationsPage *self,
                guint                 matches)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autofree char *label = NULL;

  if (text[0] != '\0')
    label = matches > 0 ? g_strdup_printf (ngettext ("%u match", "%u matches", matches), matches)
                        : g_strdup (_("No match"));
  gtk_label_set_text (self->matches_label, label != NULL ? label : "");
}

static void
on_search_changed (BeamApplicationsPage *self)
{
  update_matches (self, beam_supervision_canvas_set_search (
                          self->canvas, gtk_editable_get_text (GTK_EDITABLE (self->search_entry))));
}

static void
on_search_activate (BeamApplicationsPage *self)
{
  beam_supervision_canvas_next_match (self->canvas);
}

static void
on_search_stop (BeamApplicationsPage *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  gtk_widget_grab_focus (GTK_WIDGET (self->canvas));
}

static void
find_action (GtkWidget  *widget,
             const char *action_name G_GNUC_UNUSED,
             GVariant   *parameter G_GNUC_UNUSED)
{
  BeamApplicationsPage *self = BEAM_APPLICATIONS_PAGE (widget);

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->tree_stack), "tree") == 0)
    gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

/* ---- acting on the selected process --------------------------------------------------- */

static void
open_process_action (GtkWidget  *widget,
                     const char *action_name G_GNUC_UNUSED,
                     GVariant   *parameter G_GNUC_UNUSED)
{
  BeamApplicationsPage *self = BEAM_APPLICATIONS_PAGE (widget);
  const char *pid = selected_pid (self);

  if (pid != NULL)
    gtk_widget_activate_action (widget, "win.open-process", "s", pid);
}

static void
on_activate_node (BeamApplicationsPage *self,
                  guint                 index G_GNUC_UNUSED)
{
  open_process_action (GTK_WIDGET (self), NULL, NULL);
}

static void
kill_done (GObject      *object G_GNUC_UNUSED,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(BeamApplicationsPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!beam_process_action_finish (result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        gtk_label_set_text (self->tree_status_label, error->message);
      return;
    }
  /* Show what its supervisor did about it. */
  refresh_soon (self);
}

static void
kill_pid (BeamApplicationsPage *self,
          const char           *pid)
{
  BeamConnection *connection = beam_page_get_connection (BEAM_PAGE (self));
  BeamNode *node = beam_page_get_node (BEAM_PAGE (self));

  if (connection == NULL || pid == NULL || node == NULL || beam_node_get_read_only (node))
    return;
  beam_process_action_async (connection, pid, BEAM_PROCESS_ACTION_KILL, NULL,
                             beam_page_get_cancellable (BEAM_PAGE (self)), kill_done,
                             g_object_ref (self));
}

void
beam_applications_page_kill_selected (BeamApplicationsPage *self)
{
  g_return_if_fail (BEAM_IS_APPLICATIONS_PAGE (self));

  kill_pid (self, selected_pid (self));
}

/* The pid the dialog named, whatever a refresh selected meanwhile. */
static void
on_kill_confirmed (AdwMessageDialog     *dialog,
                   const char           *response,
                   BeamApplicationsPage *self)
{
  if (g_str_equal (response, "kill"))
    kill_pid (self, g_object_get_data (G_OBJECT (dialog), "pid"));
}

static void
kill_action (GtkWidget  *widget,
             const char *action_name G_GNUC_UNUSED,
             GVariant   *parameter G_GNUC_UNUSED)
{
  BeamApplicationsPage *self = BEAM_APPLICATIONS_PAGE (widget);
  const BeamSupervisionNode *node = selected_node (self);
  GtkRoot *root = gtk_widget_get_root (widget);
  g_autofree char *heading = NULL;
  GtkWidget *dialog;

  if (selected_pid (self) == NULL || beam_page_get_read_only (BEAM_PAGE (self)))
    return;
  heading = node->name != NULL ? g_strdup_printf (_("Kill %s (%s)?"), node->name, node->pid)
                               : g_strdup_printf (_("Kill %s?"), node->pid);
  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, heading,
                                   _("exit(Pid, kill): it cannot be trapped. Its supervisor "
                                     "reacts as it would in production, by its restart "
                                     "strategy."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"),
                                    "kill", _("_Kill"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "kill",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "pid", g_strdup (node->pid), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_kill_confirmed), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
details_done (GObject      *object G_GNUC_UNUSED,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(BeamApplicationsPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(BeamSupervisorDetails) details = beam_supervisor_details_finish (result, &error);
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *counts = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (details == NULL)
    {
      gtk_label_set_text (self->details_label, error->message);
      return;
    }
  counts = g_strdup_printf ("specs %" G_GINT64_FORMAT ", active %" G_GINT64_FORMAT
                            ", supervisors %" G_GINT64_FORMAT ", workers %" G_GINT64_FORMAT,
                            details->specs, details->active, details->supervisors,
                            details->workers);
  g_string_append_printf (text, "supervisor:count_children/1\n%s\n", counts);
  if (details->child_specs->len > 0)
    g_string_append (text, "\nsupervisor:get_childspec/2\n");
  for (guint i = 0; i < details->child_specs->len; i++)
    g_string_append_printf (text, "%s\n", (char *) g_ptr_array_index (details->child_specs, i));
  g_string_truncate (text, text->len > 0 ? text->len - 1 : 0);
  gtk_label_set_text (self->details_label, text->str);
}

/* Shown on the canvas, pointing where its menu was opened, or at its middle. */
static void
supervisor_details_action (GtkWidget  *widget,
                           const char *action_name G_GNUC_UNUSED,
                           GVariant   *parameter G_GNUC_UNUSED)
{
  BeamApplicationsPage *self = BEAM_APPLICATIONS_PAGE (widget);
  BeamConnection *connection = beam_page_get_connection (BEAM_PAGE (self));
  const char *pid = selected_pid (self);

  if (connection == NULL || pid == NULL)
    return;

  gtk_label_set_text (self->details_label, _("Asking the supervisor…"));
  gtk_popover_set_pointing_to (self->details_popover, &self->menu_point);
  gtk_popover_popup (self->details_popover);
  beam_supervisor_details_async (connection, pid, beam_page_get_cancellable (BEAM_PAGE (self)),
                                 details_done, g_object_ref (self));
}

static void
on_context_menu (BeamApplicationsPage *self,
                 guint                 index G_GNUC_UNUSED,
                 double                x,
                 double                y)
{
  update_actions (self);
  if (selected_pid (self) == NULL)
    return;
  self->menu_point = (GdkRectangle) { (int) x, (int) y, 1, 1 };
  gtk_popover_set_pointing_to (GTK_POPOVER (self->context_menu), &self->menu_point);
  gtk_popover_popup (GTK_POPOVER (self->context_menu));
}

static void
on_zoom_in (BeamApplicationsPage *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self->canvas), "canvas.zoom-in", NULL);
}

static void
on_zoom_out (BeamApplicationsPage *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self->canvas), "canvas.zoom-out", NULL);
}

static void
on_zoom_fit (BeamApplicationsPage *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self->canvas), "canvas.zoom-fit", NULL);
}

/* ---- for tests -------------------------------------------------------------------- */

guint
beam_applications_page_get_trees (BeamApplicationsPage *self)
{
  g_return_val_if_fail (BEAM_IS_APPLICATIONS_PAGE (self), 0);
  return self->trees;
}

gboolean
beam_applications_page_select_application (BeamApplicationsPage *self,
                                           const char           *name)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->applications));

  g_return_val_if_fail (BEAM_IS_APPLICATIONS_PAGE (self), FALSE);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(BeamApplicationRow) row = g_list_model_get_item (G_LIST_MODEL (self->applications),
                                                                 i);

      if (g_strcmp0 (beam_application_row_get_name (row), name) == 0)
        {
          gtk_single_selection_set_selected (self->applications_selection, i);
          return TRUE;
        }
    }
  return FALSE;
}

BeamSupervisionCanvas *
beam_applications_page_get_canvas (BeamApplicationsPage *self)
{
  g_return_val_if_fail (BEAM_IS_APPLICATIONS_PAGE (self), NULL);
  return self->canvas;
}

GtkSingleSelection *
beam_applications_page_get_outline_selection (BeamApplicationsPage *self)
{
  g_return_val_if_fail (BEAM_IS_APPLICATIONS_PAGE (self), NULL);
  return self->outline_selection;
}

GListModel *
beam_applications_page_get_applications (BeamApplicationsPage *self)
{
  g_return_val_if_fail (BEAM_IS_APPLICATIONS_PAGE (self), NULL);
  return G_LIST_MODEL (self->applications);
}

/* ---- GObject ------------------------------------------------------------------------ */

static void
beam_applications_page_node_changed (BeamPage *page,
                                     BeamNode *node G_GNUC_UNUSED)
{
  BeamApplicationsPage *self = BEAM_APPLICATIONS_PAGE (page);

  self->counted_at_us = self->count_cost_us = 0;
  self->counting = FALSE;
  self->ask_again = FALSE;
  g_signal_handlers_block_by_func (self->applications_selection, on_application_selected, self);
  g_list_store_remove_all (self->applications);
  g_signal_handlers_unblock_by_func (self->applications_selection, on_application_selected, self);
  g_clear_pointer (&self->application, g_free);
  g_clear_pointer (&self->history, beam_supervision_history_free);
  self->history = beam_supervision_history_new ();
  g_hash_table_remove_all (self->silent);
  g_hash_table_remove_all (self->more_children);
  beam_supervision_canvas_set_tree (self->canvas, NULL, NULL);
  rebuild_outline (self);
  update_actions (self);
}

static void
beam_applications_page_dispose (GObject *object)
{
  BeamApplicationsPage *self = BEAM_APPLICATIONS_PAGE (object);

  if (self->context_menu != NULL)
    {
      gtk_widget_unparent (GTK_WIDGET (self->context_menu));
      self->context_menu = NULL;
    }
  if (self->details_popover != NULL)
    {
      gtk_widget_unparent (GTK_WIDGET (self->details_popover));
      self->details_popover = NULL;
    }
  beam_page_dispose_template (BEAM_PAGE (object), BEAM_TYPE_APPLICATIONS_PAGE);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (beam_applications_page_parent_class)->dispose (object);
}

static void
beam_applications_page_finalize (GObject *object)
{
  BeamApplicationsPage *self = BEAM_APPLICATIONS_PAGE (object);

  g_clear_pointer (&self->history, beam_supervision_history_free);
  g_clear_pointer (&self->more_children, g_hash_table_unref);
  g_clear_pointer (&self->silent, g_hash_table_unref);
  g_free (self->application);

  G_OBJECT_CLASS (beam_applications_page_parent_class)->finalize (object);
}

static void
beam_applications_page_class_init (BeamApplicationsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  BeamPageClass *page_class = BEAM_PAGE_CLASS (klass);

  object_class->dispose = beam_applications_page_dispose;
  object_class->finalize = beam_applications_page_finalize;
  page_class->refresh = beam_applications_page_refresh;
  page_class->node_changed = beam_applications_page_node_changed;
  beam_page_class_set_interval_key (page_class, "applications-refresh-interval");

  g_type_ensure (BEAM_TYPE_APPLICATION_ROW);
  g_type_ensure (BEAM_TYPE_SUPERVISION_CANVAS);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/beamscope/Beamscope/"
                                               "beam-applications-page.ui");
  gtk_widget_class_bind_template_child (widget_class, BeamApplicationsPage, paned);
  gtk_widget_class_bind_template_child (widget_class, BeamApplicationsPage, applications_view);
  gtk_widget_class_bind_template_child (widget_class, BeamApplicationsPage,
                                        applications_selection);
  gtk_widget_class_bind_template_child (widget_class, BeamApplicationsPage, applications);
  gtk_widget_class_bind_template_child (widget_class, BeamApplicationsPage, tree_stack);
  gtk_widget_class_bind_template_child (widget_class, BeamApplicationsPage, status_page);
  gtk_widget_class_bind_template_child (widget_class, BeamApplicationsPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, BeamApplicationsPage, matches_label);
  gtk_widget_class_bind_template_child (widget_class, BeamApplicationsPage, tree_status_label);
  gtk_widget_class_bind_template_child (widget_class, BeamApplicationsPage, links_toggle);
  gtk_widget_class_bind_template_child (widget_class, BeamApplicationsPage, pause_button);
  gtk_widget_class_bind_template_child (widget_class, BeamApplicationsPage, zoom_in_button);
  gtk_widget_class_bind_template_child (widget_class, BeamApplicationsPage, zoom_out_button);
  gtk_widget_class_bind_template_child (widget_class, BeamApplicationsPage, zoom_fit_button);
  gtk_widget_class_bind_template_child (widget_class, BeamApplicationsPage, node_menu_button);
  gtk_widget_class_bind_template_child (widget_class, BeamApplicationsPage, node_menu);
  gtk_widget_class_bind_template_child (widget_class, BeamApplicationsPage, canvas);
  gtk_widget_class_bind_template_child (widget_class, BeamApplicationsPage, outline_view);
  gtk_widget_class_bind_template_child (widget_class, BeamApplicationsPage, outline_selection);
  gtk_widget_class_bind_template_child (widget_class, BeamApplicationsPage, outline_name_column);
  gtk_widget_class_bind_template_child (widget_class, BeamApplicationsPage, outline_pid_column);
  gtk_widget_class_bind_template_child (widget_class, BeamApplicationsPage, outline_type_column);
  gtk_widget_class_bind_template_child (widget_class, BeamApplicationsPage,
                                        outline_restart_column);
  gtk_widget_class_bind_template_child (widget_class, BeamApplicationsPage,
                                        outline_memory_column);
  gtk_widget_class_bind_template_child (widget_class, BeamApplicationsPage, outline_queue_column);
  gtk_widget_class_bind_template_child (widget_class, BeamApplicationsPage,
                                        outline_reductions_column);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);

  gtk_widget_class_install_action (widget_class, "applications.open-process", NULL,
                                   open_process_action);
  gtk_widget_class_install_action (widget_class, "applications.kill", NULL, kill_action);
  gtk_widget_class_install_action (widget_class, "applications.supervisor-details", NULL,
                                   supervisor_details_action);
  gtk_widget_class_install_action (widget_class, "applications.find", NULL, find_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK,
                                       "applications.find", NULL);
}

static void
beam_applications_page_init (BeamApplicationsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  beam_list_keys_attach (GTK_WIDGET (self->applications_view));
  beam_list_keys_attach (GTK_WIDGET (self->outline_view));
  beam_list_keys_type_to_search (self->search_entry, GTK_WIDGET (self->outline_view));
  self->history = beam_supervision_history_new ();
  self->more_children = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->silent = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  set_up_outline_column (self->outline_name_column, &name_cell);
  set_up_outline_column (self->outline_pid_column, &pid_cell);
  set_up_outline_column (self->outline_type_column, &type_cell);
  set_up_outline_column (self->outline_restart_column, &restart_cell);
  set_up_outline_column (self->outline_memory_column, &memory_cell);
  set_up_outline_column (self->outline_queue_column, &queue_cell);
  set_up_outline_column (self->outline_reductions_column, &reductions_cell);

  g_signal_connect_object (self->applications_selection, "notify::selected",
                           G_CALLBACK (on_application_selected), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->outline_selection, "notify::selected",
                           G_CALLBACK (on_outline_selected), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->canvas, "notify::selected", G_CALLBACK (on_canvas_selected),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->canvas, "activate-node", G_CALLBACK (on_activate_node), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->canvas, "context-menu", G_CALLBACK (on_context_menu), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->canvas, "fetch-more", G_CALLBACK (on_fetch_more), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->outline_view, "activate", G_CALLBACK (on_outline_activate), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->search_entry, "activate", G_CALLBACK (on_search_activate),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->search_entry, "stop-search", G_CALLBACK (on_search_stop), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->links_toggle, "toggled", G_CALLBACK (on_links_toggled), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->zoom_in_button, "clicked", G_CALLBACK (on_zoom_in), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->zoom_out_button, "clicked", G_CALLBACK (on_zoom_out), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->zoom_fit_button, "clicked", G_CALLBACK (on_zoom_fit), self,
                           G_CONNECT_SWAPPED);

  self->context_menu = GTK_POPOVER_MENU (gtk_popover_menu_new_from_model (self->node_menu));
  gtk_popover_set_has_arrow (GTK_POPOVER (self->context_menu), FALSE);
  gtk_widget_set_halign (GTK_WIDGET (self->context_menu), GTK_ALIGN_START);
  gtk_widget_set_parent (GTK_WIDGET (self->context_menu), GTK_WIDGET (self->canvas));

  {
    GtkWidget *scrolled = gtk_scrolled_window_new ();

    self->details_label = GTK_LABEL (gtk_label_new (NULL));
    gtk_label_set_selectable (self->details_label, TRUE);
    gtk_label_set_wrap (self->details_label, TRUE);
    gtk_label_set_xalign (self->details_label, 0);
    gtk_label_set_max_width_chars (self->details_label, 80);
    gtk_widget_add_css_class (GTK_WIDGET (self->details_label), "monospace");
    gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled),
                                   GTK_WIDGET (self->details_label));
    gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scrolled), TRUE);
    gtk_scrolled_window_set_propagate_natural_width (GTK_SCROLLED_WINDOW (scrolled), TRUE);
    gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scrolled), 480);
    self->details_popover = GTK_POPOVER (gtk_popover_new ());
    gtk_popover_set_child (self->details_popover, scrolled);
    gtk_widget_set_parent (GTK_WIDGET (self->details_popover), GTK_WIDGET (self->canvas));
  }

  self->settings = g_settings_new (SETTINGS_SCHEMA_ID);
  g_settings_bind (self->settings, "applications-links", self->links_toggle, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_object_bind_property (self->pause_button, "active", self, "paused",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  update_actions (self);
}
