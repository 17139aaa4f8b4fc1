/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Each playbook fetches the process list afresh (with heap sizes, which the
 * page itself does not ask for), computes on the GTK-free table, and lists
 * what it found. The growth playbook takes two lists GROWTH_WINDOW_S apart. */

#define G_LOG_DOMAIN "beamscope-playbooks"

#include "config.h"

#include <glib/gi18n.h>

#include "beam-number-format.h"
#include "beam-playbook-window.h"
#include "beam-process-list.h"
#include "beam-process-window.h"

#define TOP_N             20
#define GROWTH_WINDOW_S   5
#define GROUP_PIDS_SHOWN  50

struct _BeamPlaybookWindow
{
  AdwWindow          parent_instance;

  GtkStack          *stack;
  AdwStatusPage     *status;
  GtkListBox        *list;
  GtkLabel          *summary;

  BeamNode          *node;
  BeamPlaybook       playbook;
  BeamProcessColumn  column;
  char              *module;
  GCancellable      *cancellable;
  BeamProcessTable  *first;
  BeamProcessTable  *groups;    /* the grouped list, for the pids of an expanded group */
  GPtrArray         *rows;      /* char *: row texts, for tests */
  guint              timeout_id;
};

G_DEFINE_FINAL_TYPE (BeamPlaybookWindow, beam_playbook_window, ADW_TYPE_WINDOW)

static const char *
column_name (BeamProcessColumn column)
{
  switch (column)
    {
    case BEAM_PROCESS_COLUMN_MEMORY: return "memory";
    case BEAM_PROCESS_COLUMN_MESSAGE_QUEUE_LEN: return "message_queue_len";
    case BEAM_PROCESS_COLUMN_REDUCTIONS: return "reductions";
    case BEAM_PROCESS_COLUMN_HEAP_SIZE: return "heap_size";
    case BEAM_PROCESS_COLUMN_TOTAL_HEAP_SIZE: return "total_heap_size";
    case BEAM_PROCESS_COLUMN_PID:
    case BEAM_PROCESS_COLUMN_NAME:
    case BEAM_PROCESS_COLUMN_REDUCTIONS_PER_SECOND:
    case BEAM_PROCESS_COLUMN_CURRENT_FUNCTION:
    case BEAM_PROCESS_COLUMN_STATUS:
    case BEAM_PROCESS_N_COLUMNS:
    default: return "?";
    }
}

static void
add_row (BeamPlaybookWindow *self,
         const char         *title,
         const char         *subtitle,
         const char         *value,
         const char         *tooltip,
         const char         *pid)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *shown_value = beam_node_dup_display_name (self->node, value);
  GtkWidget *label = gtk_label_new (shown_value);
  g_autofree char *shown_title = beam_node_dup_display_name (self->node, title);

  gtk_widget_set_tooltip_text (label, tooltip);
  /* What the node sends is text, not markup: a pid's "<" would break it. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), shown_title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_widget_add_css_class (label, "numeric");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
  if (pid != NULL)
    {
      gtk_actionable_set_action_name (GTK_ACTIONABLE (row), "win.open-process");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (row), "s", pid);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
    }
  gtk_list_box_append (self->list, row);
  g_ptr_array_add (self->rows, g_strdup_printf ("%s\t%s\t%s", title, subtitle, value));
}

/* A ranked value with its unit: bytes, words as bytes (the words in the
 * tooltip; the node's word size comes with the list), or a grouped count;
 * the growth playbook's as a change. */
static void
format_value (BeamPlaybookWindow  *self,
              gint64               value,
              guint                wordsize,
              char               **out_value,
              char               **out_tooltip)
{
  gboolean change = self->playbook == BEAM_PLAYBOOK_GROWTH;

  *out_tooltip = NULL;
  switch (self->column)
    {
    case BEAM_PROCESS_COLUMN_MEMORY:
      *out_value = change ? beam_format_bytes_change (value) : beam_format_bytes (value);
      break;
    case BEAM_PROCESS_COLUMN_HEAP_SIZE:
    case BEAM_PROCESS_COLUMN_TOTAL_HEAP_SIZE:
      *out_value = beam_format_words (value, wordsize);
      if (change && value > 0)
        {
          g_autofree char *bytes = g_steal_pointer (out_value);

          *out_value = g_strconcat ("+", bytes, NULL);
        }
      *out_tooltip = beam_format_word_count (value);
      break;
    case BEAM_PROCESS_COLUMN_REDUCTIONS:
    case BEAM_PROCESS_COLUMN_MESSAGE_QUEUE_LEN:
    case BEAM_PROCESS_COLUMN_PID:
    case BEAM_PROCESS_COLUMN_NAME:
    case BEAM_PROCESS_COLUMN_REDUCTIONS_PER_SECOND:
    case BEAM_PROCESS_COLUMN_CURRENT_FUNCTION:
    case BEAM_PROCESS_COLUMN_STATUS:
    case BEAM_PROCESS_N_COLUMNS:
    default:
      *out_value = change ? beam_format_count_change (value) : beam_format_count (value);
      break;
    }
}

static void
show_ranks (BeamPlaybookWindow *self,
            BeamProcessTable   *table,
            GArray             *ranks)
{
  for (guint k = 0; k < ranks->len; k++)
    {
      const BeamProcessRank *rank = &g_array_index (ranks, BeamProcessRank, k);
      const BeamProcessRecord *record = beam_process_table_get_record (table, rank->index);
      g_autofree char *value = NULL;
      g_autofree char *tooltip = NULL;
      g_autofree char *subtitle = NULL;
      g_autofree char *function = beam_node_dup_display_name (
        self->node, beam_process_table_get_string (table, record->current_function));
      char pid[32];

      format_value (self, (gint64) rank->value, beam_process_table_get_wordsize (table), &value,
                    &tooltip);
      beam_process_table_format_pid (table, rank->index, pid);
      subtitle = g_strdup_printf ("%s · %s", pid, function);
      add_row (self, beam_process_table_get_display_name (table, rank->index),
               subtitle, value, tooltip, pid);
    }
}

/* A group's processes, listed when it is expanded (a group may hold most
 * of a million processes): the first GROUP_PIDS_SHOWN, each opening its
 * window, and how many more there are. */
static void
on_group_expanded (AdwExpanderRow     *expander,
                   GParamSpec         *pspec G_GNUC_UNUSED,
                   BeamPlaybookWindow *self)
{
  guint32 initial_call = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (expander),
                                                              "initial-call"));
  guint count = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (expander), "count"));
  BeamProcessTable *table = self->groups;
  guint n;
  guint shown = 0;

  if (!adw_expander_row_get_expanded (expander) || table == NULL
      || g_object_get_data (G_OBJECT (expander), "filled") != NULL)
    return;
  g_object_set_data (G_OBJECT (expander), "filled", GINT_TO_POINTER (TRUE));
  n = beam_process_table_get_n_records (table);
  for (guint i = 0; i < n && shown < GROUP_PIDS_SHOWN; i++)
    {
      const BeamProcessRecord *record = beam_process_table_get_record (table, i);
      GtkWidget *row;
      g_autofree char *function = NULL;
      g_autofree char *subtitle = NULL;
      char pid[32];

      if (record->initial_call != initial_call)
        continue;
      beam_process_table_format_pid (table, i, pid);
      function = beam_node_dup_display_name (
        self->node, beam_process_table_get_string (table, record->current_function));
      subtitle = g_strdup_printf ("%s · %s", pid, function);
      row = adw_action_row_new ();
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      /* Its name where it has one (the group's title is its initial call). */
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     record->name != 0
                                     ? beam_process_table_get_display_name (table, i) : pid);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      g_object_set_data_full (G_OBJECT (row), "pid", g_strdup (pid), g_free);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (row), "win.open-process");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (row), "s", pid);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      adw_expander_row_add_row (expander, row);
      shown++;
    }
  if (count > shown)
    {
      GtkWidget *more = adw_action_row_new ();
      g_autofree char *rest = beam_format_count (count - shown);
      g_autofree char *title = g_strdup_printf (_("and %s more (the Processes page lists them "
                                                  "all)"), rest);

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (more), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (more), title);
      gtk_widget_add_css_class (more, "dim-label");
      adw_expander_row_add_row (expander, more);
    }
}

static void
add_group_row (BeamPlaybookWindow *self,
               BeamProcessTable   *table,
               BeamProcessGroup   *group)
{
  GtkWidget *row = adw_expander_row_new ();
  g_autofree char *title = beam_node_dup_display_name (
    self->node, beam_process_table_get_string (table, group->initial_call));
  g_autofree char *count = beam_format_count (group->count);
  GtkWidget *label = gtk_label_new (count);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_widget_add_css_class (label, "numeric");
  adw_expander_row_add_action (ADW_EXPANDER_ROW (row), label);
  g_object_set_data (G_OBJECT (row), "initial-call", GUINT_TO_POINTER (group->initial_call));
  g_object_set_data (G_OBJECT (row), "count", GUINT_TO_POINTER (group->count));
  g_signal_connect_object (row, "notify::expanded", G_CALLBACK (on_group_expanded), self, 0);
  gtk_list_box_append (self->list, row);
  g_ptr_array_add (self->rows, g_strdup_printf ("%s\t\t%s", title, count));
}

static void
show_results (BeamPlaybookWindow *self,
              BeamProcessTable   *table)
{
  g_autofree char *summary = NULL;

  switch (self->playbook)
    {
    case BEAM_PLAYBOOK_TOP:
      {
        g_autoptr(GArray) ranks = beam_process_table_top (table, NULL, self->column, TOP_N);
        summary = g_strdup_printf (_("recon:proc_count(%s, %d): the biggest first"),
                                   column_name (self->column), TOP_N);
        show_ranks (self, table, ranks);
      }
      break;
    case BEAM_PLAYBOOK_GROWTH:
      {
        g_autoptr(GArray) ranks = beam_process_table_top (table, self->first, self->column, TOP_N);
        guint grew = 0;

        /* Biggest first: only those that grew, and a plain word when none did. */
        while (grew < ranks->len && g_array_index (ranks, BeamProcessRank, grew).value > 0)
          grew++;
        g_array_set_size (ranks, grew);
        if (grew == 0)
          summary = g_strdup_printf (_("recon:proc_window(%s, %d, %d): nothing grew over %d s"),
                                     column_name (self->column), TOP_N, GROWTH_WINDOW_S * 1000,
                                     GROWTH_WINDOW_S);
        else
          summary = g_strdup_printf (_("recon:proc_window(%s, %d, %d): the most growth over %d "
                                       "s; a process born meanwhile counts whole"),
                                     column_name (self->column), TOP_N, GROWTH_WINDOW_S * 1000,
                                     GROWTH_WINDOW_S);
        show_ranks (self, table, ranks);
      }
      break;
    case BEAM_PLAYBOOK_GROUPS:
      {
        g_autoptr(GArray) groups = beam_process_table_group_by_initial_call (table);
        g_autofree char *total = beam_format_count (beam_process_table_get_n_records (table));

        summary = g_strdup_printf (g_dngettext (NULL,
                                                "%s process by initial call, the most common "
                                                "first",
                                                "%s processes by initial call, the most common "
                                                "first",
                                                beam_process_table_get_n_records (table)),
                                   total);
        g_clear_pointer (&self->groups, beam_process_table_unref);
        self->groups = beam_process_table_ref (table);
        for (guint i = 0; i < groups->len; i++)
          add_group_row (self, table, &g_array_index (groups, BeamProcessGroup, i));
      }
      break;
    case BEAM_PLAYBOOK_IN_MODULE:
    default:
      {
        g_autoptr(GArray) found = beam_process_table_in_module (table, self->module);
        summary = g_strdup_printf (ngettext ("%u process is in a function of %s now",
                                             "%u processes are in a function of %s now",
                                             found->len),
                                   found->len, self->module);
        for (guint i = 0; i < found->len; i++)
          {
            guint index = g_array_index (found, guint32, i);
            const BeamProcessRecord *record = beam_process_table_get_record (table, index);
            char pid[32];

            beam_process_table_format_pid (table, index, pid);
            add_row (self, beam_process_table_get_display_name (table, index), pid,
                     beam_process_table_get_string (table, record->current_function), NULL,
                     pid);
          }
      }
      break;
    }

  gtk_label_set_label (self->summary, summary);
  gtk_stack_set_visible_child_name (self->stack, "results");
}

static void fetch (BeamPlaybookWindow *self);

static gboolean
on_window_elapsed (gpointer user_data)
{
  BeamPlaybookWindow *self = user_data;

  self->timeout_id = 0;
  fetch (self);
  return G_SOURCE_REMOVE;
}

static void
fetch_done (GObject      *object G_GNUC_UNUSED,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(BeamPlaybookWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(BeamProcessTable) table = beam_process_list_fetch_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (table == NULL)
    {
      adw_status_page_set_icon_name (self->status, "dialog-warning-symbolic");
      adw_status_page_set_title (self->status, _("Could not list the processes"));
      {
        /* The description is markup; the message may quote the node. */
        g_autofree char *escaped = g_markup_escape_text (error->message, -1);

        adw_status_page_set_description (self->status, escaped);
      }
      return;
    }

  if (self->playbook == BEAM_PLAYBOOK_GROWTH && self->first == NULL)
    {
      g_autofree char *markup = g_markup_printf_escaped (_("First sample taken; the second "
                                                           "in %d s…"), GROWTH_WINDOW_S);
      self->first = g_steal_pointer (&table);
      adw_status_page_set_description (self->status, markup);
      self->timeout_id = g_timeout_add_seconds (GROWTH_WINDOW_S, on_window_elapsed, self);
      return;
    }
  show_results (self, table);
}

static void
fetch (BeamPlaybookWindow *self)
{
  beam_process_list_fetch_async (beam_node_get_connection (self->node), NULL, TRUE,
                                 self->cancellable, fetch_done, g_object_ref (self));
}

static void
beam_playbook_window_dispose (GObject *object)
{
  BeamPlaybookWindow *self = BEAM_PLAYBOOK_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  g_clear_object (&self->node);
  g_clear_pointer (&self->first, beam_process_table_unref);
  g_clear_pointer (&self->groups, beam_process_table_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), BEAM_TYPE_PLAYBOOK_WINDOW);

  G_OBJECT_CLASS (beam_playbook_window_parent_class)->dispose (object);
}

static void
beam_playbook_window_finalize (GObject *object)
{
  BeamPlaybookWindow *self = BEAM_PLAYBOOK_WINDOW (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_free (self->module);

  G_OBJECT_CLASS (beam_playbook_window_parent_class)->finalize (object);
}

static void
open_process_action (GtkWidget  *widget,
                     const char *action_name G_GNUC_UNUSED,
                     GVariant   *parameter)
{
  BeamPlaybookWindow *self = BEAM_PLAYBOOK_WINDOW (widget);

  beam_process_window_open (GTK_WINDOW (self), self->node, g_variant_get_string (parameter, NULL));
}

static void
beam_playbook_window_class_init (BeamPlaybookWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = beam_playbook_window_dispose;
  object_class->finalize = beam_playbook_window_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/beamscope/Beamscope/"
                                               "beam-playbook-window.ui");
  gtk_widget_class_bind_template_child (widget_class, BeamPlaybookWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, BeamPlaybookWindow, status);
  gtk_widget_class_bind_template_child (widget_class, BeamPlaybookWindow, list);
  gtk_widget_class_bind_template_child (widget_class, BeamPlaybookWindow, summary);

  gtk_widget_class_install_action (widget_class, "win.open-process", "s", open_process_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK, "window.close",
                                       NULL);
}

static void
beam_playbook_window_init (BeamPlaybookWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->rows = g_ptr_array_new_with_free_func (g_free);
}

BeamPlaybookWindow *
beam_playbook_window_new (BeamNode          *node,
                          BeamPlaybook       playbook,
                          BeamProcessColumn  column,
                          const char        *module)
{
  BeamPlaybookWindow *self;
  const char *title;
  g_autofree char *full_title = NULL;

  g_return_val_if_fail (BEAM_IS_NODE (node), NULL);

  self = g_object_new (BEAM_TYPE_PLAYBOOK_WINDOW, NULL);
  self->node = g_object_ref (node);
  /* It closes with the node's window (beam_node_close). */
  g_signal_connect_object (node, "closed", G_CALLBACK (gtk_window_destroy), self,
                           G_CONNECT_SWAPPED);
  self->playbook = playbook;
  self->column = column;
  self->module = g_strdup (module);

  switch (playbook)
    {
    case BEAM_PLAYBOOK_TOP: title = _("Top Processes"); break;
    case BEAM_PLAYBOOK_GROWTH: title = _("Biggest Growth"); break;
    case BEAM_PLAYBOOK_GROUPS: title = _("Processes by Initial Call"); break;
    case BEAM_PLAYBOOK_IN_MODULE: default: title = _("Processes in a Module"); break;
    }
  /* TRANSLATORS: a playbook's title, then the node's name */
  full_title = g_strdup_printf (_("%s on %s"), title, beam_node_get_name (node));
  gtk_window_set_title (GTK_WINDOW (self), full_title);
  fetch (self);
  return self;
}

/* Depth-first through `root`'s descendants. */
static GtkWidget *
beam_playbook_next_widget (GtkWidget *root,
                           GtkWidget *widget)
{
  GtkWidget *first = gtk_widget_get_first_child (widget);

  if (first != NULL)
    return first;
  for (; widget != NULL && widget != root; widget = gtk_widget_get_parent (widget))
    if (gtk_widget_get_next_sibling (widget) != NULL)
      return gtk_widget_get_next_sibling (widget);
  return NULL;
}

/* For tests: expands the index-th row of a grouped list and gives the pids
 * it lists; NULL when there is no such group. */
GStrv
beam_playbook_window_expand_group (BeamPlaybookWindow *self,
                                   guint               index)
{
  GtkListBoxRow *row;
  g_autoptr(GStrvBuilder) builder = NULL;

  g_return_val_if_fail (BEAM_IS_PLAYBOOK_WINDOW (self), NULL);

  row = gtk_list_box_get_row_at_index (self->list, (int) index);
  if (!ADW_IS_EXPANDER_ROW (row))
    return NULL;
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), TRUE);
  builder = g_strv_builder_new ();
  /* AdwExpanderRow keeps its rows in a list box of its own. */
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (row)); child != NULL;
       child = beam_playbook_next_widget (GTK_WIDGET (row), child))
    if (GTK_IS_ACTIONABLE (child)
        && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (child)),
                      "win.open-process") == 0)
      g_strv_builder_add (builder, g_object_get_data (G_OBJECT (child), "pid"));
  return g_strv_builder_end (builder);
}

GStrv
beam_playbook_window_list_rows (BeamPlaybookWindow *self)
{
  g_autoptr(GStrvBuilder) builder = NULL;

  g_return_val_if_fail (BEAM_IS_PLAYBOOK_WINDOW (self), NULL);

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "results") != 0)
    return NULL;
  builder = g_strv_builder_new ();
  for (guint i = 0; i < self->rows->len; i++)
    g_strv_builder_add (builder, g_ptr_array_index (self->rows, i));
  return g_strv_builder_end (builder);
}
