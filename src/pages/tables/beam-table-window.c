/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The table window: opens a table through beam-ets-window, then shows its
 * BeamEtsRowWindow in a column view. The view asks only for the rows on
 * screen, so a table of ten million rows opens as fast as one of ten; the
 * size is read again every few seconds while the window is open. */

#define G_LOG_DOMAIN "beamscope-tables"

#include "config.h"

#include <inttypes.h>

#include <glib/gi18n.h>

#include "beam-number-format.h"
#include "beam-ets-query.h"
#include "beam-ets-row-window.h"
#include "beam-list-keys.h"
#include "beam-table-window.h"
#include "beam-term-parser.h"
#include "beam-term-view.h"

/* How often the table's size is read again while the window is open. */
#define SIZE_INTERVAL_S 2
/* Rows a lookup, match or select brings at a time. */
#define QUERY_ROWS 200

struct _BeamTableWindow
{
  AdwWindow         parent_instance;

  BeamNode         *node;
  char             *table;
  GCancellable     *cancellable;
  BeamEtsRowWindow *rows;
  GtkSingleSelection *selection;
  BeamEtsRowItem   *selected;         /* watched until its row comes */
  /* A lookup, match or select: its rows (owned by `found`), shown instead
   * of the table's while the query bar is open. */
  GListStore       *results;
  GtkSingleSelection *results_selection;
  GPtrArray        *found;            /* BeamEtsFound */
  BeamTerm         *query_term;
  BeamEtsQueryKind  query_kind_run;
  GCancellable     *query_cancellable;
  guint             size_timer;
  const char       *state;            /* opening, error, rows */

  AdwWindowTitle   *window_title;
  AdwToastOverlay  *toast_overlay;
  GtkToggleButton  *find_button;
  GtkToggleButton  *query_button;
  GtkDropDown      *query_kind;
  GtkEntry         *query_entry;
  GtkButton        *more_button;
  GtkLabel         *query_label;
  GtkMenuButton    *edit_button;
  GtkToggleButton  *elixir_button;
  GtkSearchBar     *search_bar;
  GtkSearchEntry   *find_entry;
  GtkRevealer      *notice_revealer;
  GtkLabel         *notice_label;
  GtkStack         *stack;
  AdwStatusPage    *error_page;
  GtkColumnView    *rows_view;
  BeamTermView     *row_view;
  GtkLabel         *status_label;
  GtkSpinner       *loading_spinner;
};

G_DEFINE_FINAL_TYPE (BeamTableWindow, beam_table_window, ADW_TYPE_WINDOW)

static void update_actions (BeamTableWindow *self);

static BeamSyntax
current_syntax (BeamTableWindow *self)
{
  return gtk_toggle_button_get_active (self->elixir_button) ? BEAM_SYNTAX_ELIXIR
                                                            : BEAM_SYNTAX_ERLANG;
}

static void
set_state (BeamTableWindow *self,
           const char      *state)
{
  self->state = state;
  gtk_stack_set_visible_child_name (self->stack, state);
}

/* ---- cells ---------------------------------------------------------------------- */

static void
fill_cell (GtkLabel        *label,
           BeamEtsRowItem  *item)
{
  BeamTableWindow *self = g_object_get_data (G_OBJECT (label), "beam-window");
  guint column = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (label), "beam-column"));
  g_autofree char *text = beam_ets_row_item_dup_cell (item, column, current_syntax (self));

  gtk_label_set_text (label, text);
}

static void
on_item_loaded (BeamEtsRowItem *item,
                GParamSpec     *pspec G_GNUC_UNUSED,
                GtkLabel       *label)
{
  fill_cell (label, item);
}

static void
setup_cell (GtkSignalListItemFactory *factory,
            GtkListItem              *list_item,
            BeamTableWindow          *self)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_single_line_mode (GTK_LABEL (label), TRUE);
  gtk_widget_add_css_class (label, "monospace");
  g_object_set_data (G_OBJECT (label), "beam-window", self);
  g_object_set_data (G_OBJECT (label), "beam-column",
                     g_object_get_data (G_OBJECT (factory), "beam-column"));
  gtk_list_item_set_child (list_item, label);
}

static void
bind_cell (GtkSignalListItemFactory *factory G_GNUC_UNUSED,
           GtkListItem              *list_item,
           BeamTableWindow          *self G_GNUC_UNUSED)
{
  GtkLabel *label = GTK_LABEL (gtk_list_item_get_child (list_item));
  BeamEtsRowItem *item = gtk_list_item_get_item (list_item);

  fill_cell (label, item);
  g_signal_connect_object (item, "notify::loaded", G_CALLBACK (on_item_loaded), label, 0);
}

static void
unbind_cell (GtkSignalListItemFactory *factory G_GNUC_UNUSED,
             GtkListItem              *list_item,
             BeamTableWindow          *self G_GNUC_UNUSED)
{
  GtkWidget *label = gtk_list_item_get_child (list_item);
  BeamEtsRowItem *item = gtk_list_item_get_item (list_item);

  if (item != NULL)
    g_signal_handlers_disconnect_by_func (item, on_item_loaded, label);
}

static GtkColumnViewColumn *
new_column (BeamTableWindow *self,
            const char      *title,
            guint            column)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkColumnViewColumn *view_column;

  g_object_set_data (G_OBJECT (factory), "beam-column", GUINT_TO_POINTER (column));
  g_signal_connect (factory, "setup", G_CALLBACK (setup_cell), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cell), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_cell), self);
  view_column = gtk_column_view_column_new (title, factory);
  gtk_column_view_column_set_resizable (view_column, TRUE);
  return view_column;
}

/* One column per element of uniform tuples (the key's marked), else one for
 * the whole row. Made again when the syntax changes, so every cell prints anew. */
static void
make_columns (BeamTableWindow *self)
{
  GListModel *columns = gtk_column_view_get_columns (self->rows_view);
  guint arity = beam_ets_row_window_get_columns (self->rows);
  gint64 keypos = beam_ets_row_window_get_keypos (self->rows);

  while (g_list_model_get_n_items (columns) > 0)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, 0);

      gtk_column_view_remove_column (self->rows_view, column);
    }
  if (arity == 0)
    {
      g_autoptr(GtkColumnViewColumn) column = new_column (self, _("Row"), 0);

      gtk_column_view_column_set_expand (column, TRUE);
      gtk_column_view_append_column (self->rows_view, column);
      return;
    }
  for (guint i = 1; i <= arity; i++)
    {
      g_autofree char *title = i == keypos ? g_strdup_printf (_("%u (key)"), i)
                                           : g_strdup_printf ("%u", i);
      g_autoptr(GtkColumnViewColumn) column = new_column (self, title, i);

      gtk_column_view_column_set_expand (column, i == arity);
      gtk_column_view_column_set_fixed_width (column, i == arity ? -1 : 160);
      gtk_column_view_append_column (self->rows_view, column);
    }
}

/* ---- what the window says ------------------------------------------------------- */

static void
update_status (BeamTableWindow *self)
{
  g_autofree char *text = NULL;
  g_autofree char *count = NULL;
  gint64 size;

  if (self->rows == NULL)
    return;
  size = beam_ets_row_window_get_size (self->rows);
  count = beam_format_count (size);
  /* TRANSLATORS: the table's type, its size and its protection. */
  text = g_strdup_printf (ngettext ("%s, %s row, %s", "%s, %s rows, %s",
                                    (gulong) MIN (size, G_MAXLONG)),
                          beam_ets_row_window_get_kind (self->rows), count,
                          beam_ets_row_window_get_protection (self->rows));
  adw_window_title_set_subtitle (self->window_title, text);
  g_clear_pointer (&text, g_free);
  {
    guint read = beam_ets_row_window_get_fetches (self->rows) + 1;

    /* TRANSLATORS: chunks read from the node, of N rows each, and how many are kept. */
    text = g_strdup_printf (ngettext ("%u chunk of %u rows read, %u held",
                                      "%u chunks of %u rows read, %u held", read),
                            read, BEAM_ETS_ROW_WINDOW_CHUNK,
                            beam_ets_row_window_get_held (self->rows));
  }
  gtk_label_set_text (self->status_label, text);
  gtk_spinner_set_spinning (self->loading_spinner, beam_ets_row_window_get_loading (self->rows));
}

static void
update_notice (BeamTableWindow *self)
{
  const char *error = beam_ets_row_window_get_error (self->rows);

  if (beam_ets_row_window_get_deleted (self->rows))
    gtk_label_set_text (self->notice_label,
                        _("Table deleted: the rows shown are the last ones read."));
  else if (error != NULL)
    {
      g_autofree char *text = g_strdup_printf (_("Rows could not be read: %s"), error);

      gtk_label_set_text (self->notice_label, text);
    }
  gtk_revealer_set_reveal_child (self->notice_revealer,
                                 beam_ets_row_window_get_deleted (self->rows) || error != NULL);
}

static void
show_selected (BeamTableWindow *self)
{
  GPtrArray *terms = self->selected != NULL ? beam_ets_row_item_dup_terms (self->selected)
                                            : NULL;

  beam_term_view_set_terms (self->row_view, terms != NULL ? terms : g_ptr_array_new (), NULL);
  update_actions (self);
}

static void
on_selected (BeamTableWindow *self)
{
  GtkSelectionModel *shown = gtk_column_view_get_model (self->rows_view);
  BeamEtsRowItem *item = GTK_IS_SINGLE_SELECTION (shown)
                         ? gtk_single_selection_get_selected_item (GTK_SINGLE_SELECTION (shown))
                         : NULL;

  if (self->selected != NULL)
    g_signal_handlers_disconnect_by_func (self->selected, show_selected, self);
  g_set_object (&self->selected, item);
  /* A row scrolled to comes a moment after it is selected. */
  if (item != NULL)
    g_signal_connect_object (item, "notify::loaded", G_CALLBACK (show_selected), self,
                             G_CONNECT_SWAPPED);
  show_selected (self);
}

static gboolean
read_size_again (gpointer user_data)
{
  BeamTableWindow *self = user_data;

  if (self->rows != NULL && !beam_ets_row_window_get_deleted (self->rows))
    beam_ets_row_window_refresh (self->rows);
  return G_SOURCE_CONTINUE;
}

static void
opened (GObject      *object G_GNUC_UNUSED,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(BeamTableWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  BeamEtsWindowOpened *opened = beam_ets_window_open_finish (result, &error);

  if (opened == NULL)
    {
      g_autofree char *escaped = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      /* A status page reads its description as markup: the node's text is escaped. */
      escaped = g_markup_escape_text (error->message, -1);
      adw_status_page_set_title (self->error_page,
                                 g_error_matches (error, BEAM_ETS_ERROR, BEAM_ETS_ERROR_PRIVATE)
                                 ? _("Private Table") : _("Table Not Readable"));
      adw_status_page_set_description (self->error_page, escaped);
      set_state (self, "error");
      return;
    }

  self->rows = beam_ets_row_window_new (beam_node_get_connection (self->node), opened);
  adw_window_title_set_title (self->window_title, beam_ets_row_window_get_name (self->rows));
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->rows)));
  g_signal_connect_object (self->selection, "notify::selected-item", G_CALLBACK (on_selected),
                           self, G_CONNECT_SWAPPED);
  gtk_column_view_set_model (self->rows_view, GTK_SELECTION_MODEL (self->selection));
  make_columns (self);
  g_signal_connect_object (self->rows, "notify::size", G_CALLBACK (update_status), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->rows, "notify::loading", G_CALLBACK (update_status), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->rows, "notify::deleted", G_CALLBACK (update_notice), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->rows, "notify::deleted", G_CALLBACK (update_actions), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->rows, "notify::error", G_CALLBACK (update_notice), self,
                           G_CONNECT_SWAPPED);
  update_status (self);
  on_selected (self);
  set_state (self, "rows");
  self->size_timer = g_timeout_add_seconds (SIZE_INTERVAL_S, read_size_again, self);
  gtk_widget_grab_focus (GTK_WIDGET (self->rows_view));
}

/* ---- what may be done ---------------------------------------------------------- */

/* Changing rows: a public table, a node not opened --read-only, a table not
 * deleted; deleting a row needs one selected. A protected table says why. */
static void
update_actions (BeamTableWindow *self)
{
  gboolean open = self->rows != NULL && !beam_ets_row_window_get_deleted (self->rows);
  gboolean read_only = self->node == NULL || beam_node_get_read_only (self->node);
  gboolean is_public = open &&
                       g_strcmp0 (beam_ets_row_window_get_protection (self->rows), "public") == 0;
  gboolean writable = is_public && !read_only;

  gtk_widget_set_visible (GTK_WIDGET (self->edit_button), !read_only);
  gtk_widget_set_sensitive (GTK_WIDGET (self->edit_button), writable);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->edit_button),
                               is_public || !open
                               ? _("Change rows")
                               : _("Only the table's owner can change its rows: it is "
                                   "protected"));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "table.insert", writable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "table.delete-key", writable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "table.delete-row",
                                 writable && self->selected != NULL &&
                                 beam_ets_row_item_get_term (self->selected) != NULL);
}

/* ---- lookup, match, select ------------------------------------------------------ */

static void
show_table_rows (BeamTableWindow *self)
{
  if (self->selection != NULL &&
      gtk_column_view_get_model (self->rows_view) != GTK_SELECTION_MODEL (self->selection))
    gtk_column_view_set_model (self->rows_view, GTK_SELECTION_MODEL (self->selection));
  on_selected (self);
}

/* The results' items borrow their rows from `found`: forgotten before it goes. */
static void
clear_results (BeamTableWindow *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->results));

  show_table_rows (self);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(BeamEtsRowItem) item = g_list_model_get_item (G_LIST_MODEL (self->results), i);

      beam_ets_row_item_forget (item);
    }
  g_list_store_remove_all (self->results);
  g_ptr_array_set_size (self->found, 0);
}

static void
on_query_toggled (BeamTableWindow *self)
{
  if (gtk_toggle_button_get_active (self->query_button))
    {
      gtk_widget_grab_focus (GTK_WIDGET (self->query_entry));
      if (g_list_model_get_n_items (G_LIST_MODEL (self->results)) > 0)
        {
          gtk_column_view_set_model (self->rows_view,
                                     GTK_SELECTION_MODEL (self->results_selection));
          on_selected (self);
        }
      return;
    }
  g_cancellable_cancel (self->query_cancellable);
  show_table_rows (self);
}

static void
query_answered (GObject      *object G_GNUC_UNUSED,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(BeamTableWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  BeamEtsFound *found = beam_ets_query_finish (result, &error);
  g_autofree char *text = NULL;
  g_autofree char *shown_text = NULL;
  guint shown;

  if (found == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        gtk_label_set_text (self->query_label, error->message);
      return;
    }
  g_ptr_array_add (self->found, found);
  for (guint i = 0; i < found->rows->len; i++)
    {
      guint position = g_list_model_get_n_items (G_LIST_MODEL (self->results));
      g_autoptr(BeamEtsRowItem) item = beam_ets_row_item_new (position);

      beam_ets_row_item_set_row (item, found->rows->pdata[i],
                                 found->row_bytes != NULL ? found->row_bytes[i] : 0);
      g_list_store_append (self->results, item);
    }
  shown = g_list_model_get_n_items (G_LIST_MODEL (self->results));
  shown_text = beam_format_count (shown);
  if (found->unknown_atom)
    text = g_strdup (_("No row: an atom in it is unknown to the node, so no row holds it "
                       "(and none was made)"));
  else if (found->more)
    text = g_strdup_printf (ngettext ("%s row so far; more follow", "%s rows so far; more follow",
                                      shown), shown_text);
  else
    text = g_strdup_printf (ngettext ("%s row", "%s rows", shown), shown_text);
  gtk_label_set_text (self->query_label, text);
  gtk_widget_set_sensitive (GTK_WIDGET (self->more_button), found->continuation != NULL);
  gtk_column_view_set_model (self->rows_view, GTK_SELECTION_MODEL (self->results_selection));
  on_selected (self);
}

static BeamEtsFound *
last_found (BeamTableWindow *self)
{
  return self->found->len > 0 ? self->found->pdata[self->found->len - 1] : NULL;
}

static void
on_query_run (BeamTableWindow *self)
{
  static const BeamEtsQueryKind kinds[] = {
    BEAM_ETS_QUERY_LOOKUP, BEAM_ETS_QUERY_MATCH, BEAM_ETS_QUERY_SELECT,
  };
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->query_entry));
  g_autoptr(GError) error = NULL;
  BeamTerm *term;

  if (self->rows == NULL)
    return;
  term = beam_term_parse (text, current_syntax (self), &error);
  if (term == NULL)
    {
      gtk_label_set_text (self->query_label, error->message);
      return;
    }
  g_cancellable_cancel (self->query_cancellable);
  g_clear_object (&self->query_cancellable);
  self->query_cancellable = g_cancellable_new ();
  g_clear_pointer (&self->query_term, beam_term_free);
  self->query_term = term;
  self->query_kind_run = kinds[MIN (gtk_drop_down_get_selected (self->query_kind), 2)];
  clear_results (self);
  gtk_widget_set_sensitive (GTK_WIDGET (self->more_button), FALSE);
  gtk_label_set_text (self->query_label, _("Asking the node…"));
  beam_ets_query_async (beam_node_get_connection (self->node),
                        beam_ets_row_window_get_table (self->rows), self->query_kind_run,
                        self->query_term, NULL, QUERY_ROWS, self->query_cancellable,
                        query_answered, g_object_ref (self));
}

static void
on_query_more (BeamTableWindow *self)
{
  BeamEtsFound *found = last_found (self);

  if (found == NULL || found->continuation == NULL || self->query_term == NULL)
    return;
  gtk_widget_set_sensitive (GTK_WIDGET (self->more_button), FALSE);
  beam_ets_query_async (beam_node_get_connection (self->node),
                        beam_ets_row_window_get_table (self->rows), self->query_kind_run,
                        self->query_term, found->continuation, QUERY_ROWS,
                        self->query_cancellable, query_answered, g_object_ref (self));
}

static void
query_action (GtkWidget  *widget,
              const char *action_name G_GNUC_UNUSED,
              GVariant   *parameter G_GNUC_UNUSED)
{
  BeamTableWindow *self = BEAM_TABLE_WINDOW (widget);

  gtk_toggle_button_set_active (self->query_button, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->query_entry));
}

/* ---- changing rows -------------------------------------------------------------- */

static void
toast (BeamTableWindow *self,
       const char      *text)
{
  /* A toast's title is markup; what it says may hold the node's or the user's text. */
  g_autofree char *escaped = g_markup_escape_text (text, -1);

  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (escaped));
}

static void
changed (GObject      *object G_GNUC_UNUSED,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(BeamTableWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  gint64 size = beam_ets_change_finish (result, &error);
  g_autofree char *text = NULL;
  g_autofree char *count = NULL;

  if (size < 0)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        toast (self, error->message);
      return;
    }
  count = beam_format_count (size);
  text = g_strdup_printf (g_dngettext (NULL, "Done: the table has %s row",
                                       "Done: the table has %s rows", (gulong) size), count);
  toast (self, text);
  if (self->rows != NULL)
    beam_ets_row_window_reload (self->rows);
}

static void
change (BeamTableWindow *self,
        BeamEtsChange    what,
        const BeamTerm  *term)
{
  beam_ets_change_async (beam_node_get_connection (self->node),
                         beam_ets_row_window_get_table (self->rows), what, term,
                         self->cancellable, changed, g_object_ref (self));
}

static GtkWidget *
term_entry (BeamTableWindow *self,
            const char      *placeholder)
{
  GtkWidget *entry = gtk_entry_new ();

  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), placeholder);
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_editable_set_width_chars (GTK_EDITABLE (entry), 40);
  gtk_widget_add_css_class (entry, "monospace");
  gtk_widget_set_tooltip_text (entry, current_syntax (self) == BEAM_SYNTAX_ELIXIR
                                      ? _("In Elixir syntax") : _("In Erlang syntax"));
  return entry;
}

static GtkWidget *
confirmation (BeamTableWindow *self,
              const char      *heading,
              const char      *body,
              const char      *verb,
              gboolean         destructive)
{
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self), heading, body);

  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"),
                                    "do", verb, NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "do",
                                              destructive ? ADW_RESPONSE_DESTRUCTIVE
                                                          : ADW_RESPONSE_SUGGESTED);
  /* Enter never deletes by accident: it is Cancel where the change destroys. */
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog),
                                           destructive ? "cancel" : "do");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  return dialog;
}

/* The last step of an insert: which atoms the row would make, said before. */
static void
on_insert_confirmed (AdwMessageDialog *dialog,
                     const char       *response,
                     BeamTableWindow  *self)
{
  const BeamTerm *row = g_object_get_data (G_OBJECT (dialog), "row");

  if (g_str_equal (response, "do") && row != NULL && self->rows != NULL)
    change (self, BEAM_ETS_CHANGE_INSERT, row);
}

typedef struct
{
  BeamTableWindow *self;
  BeamTerm        *row;
  char            *text;     /* as the user typed it */
} InsertReview;

static void
insert_review_free (InsertReview *review)
{
  g_object_unref (review->self);
  beam_term_free (review->row);
  g_free (review->text);
  g_free (review);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (InsertReview, insert_review_free)

static void
missing_atoms_known (GObject      *object G_GNUC_UNUSED,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(InsertReview) review = user_data;
  BeamTableWindow *self = review->self;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) missing = beam_ets_missing_atoms_finish (result, &error);
  g_autofree char *body = NULL;
  GtkWidget *dialog;

  if (missing == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        toast (self, error->message);
      return;
    }
  if (missing[0] == NULL)
    body = g_strdup_printf (_("%s\n\nIn a set it replaces the row with the same key. It makes "
                              "no new atom on the node."), review->text);
  else
    {
      g_autofree char *names = g_strjoinv (", ", missing);

      body = g_strdup_printf (ngettext ("%s\n\nIt makes this atom on the node, which is never "
                                        "freed: %s",
                                        "%s\n\nIt makes these atoms on the node, which are "
                                        "never freed: %s",
                                        g_strv_length (missing)),
                              review->text, names);
    }
  dialog = confirmation (self, _("Insert This Row?"), body, _("_Insert"), missing[0] != NULL);
  g_object_set_data_full (G_OBJECT (dialog), "row", g_steal_pointer (&review->row),
                          (GDestroyNotify) beam_term_free);
  g_object_set_data_full (G_OBJECT (dialog), "missing", g_steal_pointer (&missing),
                          (GDestroyNotify) g_strfreev);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_insert_confirmed), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_insert_typed (AdwMessageDialog *dialog,
                 const char       *response,
                 BeamTableWindow  *self)
{
  GtkEditable *entry = g_object_get_data (G_OBJECT (dialog), "entry");
  const char *text = gtk_editable_get_text (entry);
  g_autoptr(GError) error = NULL;
  InsertReview *review;
  BeamTerm *row;

  if (!g_str_equal (response, "do") || self->rows == NULL)
    return;
  row = beam_term_parse (text, current_syntax (self), &error);
  if (row == NULL)
    {
      toast (self, error->message);
      return;
    }
  review = g_new0 (InsertReview, 1);
  review->self = g_object_ref (self);
  review->row = row;
  review->text = g_strdup (text);
  beam_ets_missing_atoms_async (beam_node_get_connection (self->node),
                                beam_ets_row_window_get_table (self->rows), row,
                                self->cancellable, missing_atoms_known, review);
}

static void
insert_action (GtkWidget  *widget,
               const char *action_name G_GNUC_UNUSED,
               GVariant   *parameter G_GNUC_UNUSED)
{
  BeamTableWindow *self = BEAM_TABLE_WINDOW (widget);
  g_autofree char *body = g_strdup_printf (_("A tuple with its key at position %"
                                             PRId64 ". The next step says which "
                                             "atoms it would make on the node."),
                                           beam_ets_row_window_get_keypos (self->rows));
  GtkWidget *dialog = confirmation (self, _("Insert a Row"), body, _("_Review…"), FALSE);
  /* Translators: placeholder of an entry for an Erlang tuple: translate the words,
   * keep the braces and the comma. */
  GtkWidget *entry = term_entry (self, _("{key, value}"));

  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), entry);
  g_object_set_data (G_OBJECT (dialog), "entry", entry);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_insert_typed), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (entry);
}

static void
on_delete_row_confirmed (AdwMessageDialog *dialog,
                         const char       *response,
                         BeamTableWindow  *self)
{
  const BeamTerm *row = g_object_get_data (G_OBJECT (dialog), "row");

  if (g_str_equal (response, "do") && row != NULL && self->rows != NULL)
    change (self, BEAM_ETS_CHANGE_DELETE_OBJECT, row);
}

static void
delete_row_action (GtkWidget  *widget,
                   const char *action_name G_GNUC_UNUSED,
                   GVariant   *parameter G_GNUC_UNUSED)
{
  BeamTableWindow *self = BEAM_TABLE_WINDOW (widget);
  g_autoptr(GPtrArray) terms = NULL;
  g_autofree char *printed = NULL;
  g_autofree char *body = NULL;
  GtkWidget *dialog;

  if (self->selected == NULL || (terms = beam_ets_row_item_dup_terms (self->selected)) == NULL)
    return;
  printed = beam_ets_row_item_dup_cell (self->selected, 0, current_syntax (self));
  body = g_strdup_printf (_("%s\n\nThis row, exactly, is deleted from the table "
                            "(ets:delete_object/2)."), printed);
  dialog = confirmation (self, _("Delete This Row?"), body, _("_Delete"), TRUE);
  g_object_set_data_full (G_OBJECT (dialog), "row", g_ptr_array_steal_index (terms, 0),
                          (GDestroyNotify) beam_term_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_delete_row_confirmed), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_delete_key_typed (AdwMessageDialog *dialog,
                     const char       *response,
                     BeamTableWindow  *self)
{
  GtkEditable *entry = g_object_get_data (G_OBJECT (dialog), "entry");
  g_autoptr(GError) error = NULL;
  g_autoptr(BeamTerm) key = NULL;

  if (!g_str_equal (response, "do") || self->rows == NULL)
    return;
  key = beam_term_parse (gtk_editable_get_text (entry), current_syntax (self), &error);
  if (key == NULL)
    {
      toast (self, error->message);
      return;
    }
  change (self, BEAM_ETS_CHANGE_DELETE_KEY, key);
}

static void
delete_key_action (GtkWidget  *widget,
                   const char *action_name G_GNUC_UNUSED,
                   GVariant   *parameter G_GNUC_UNUSED)
{
  BeamTableWindow *self = BEAM_TABLE_WINDOW (widget);
  GtkWidget *dialog = confirmation (self, _("Delete Rows by Key?"),
                                    _("Every row with this key is deleted from the table "
                                      "(ets:delete/2). A key naming an atom the node does not "
                                      "know deletes nothing."),
                                    _("_Delete"), TRUE);
  /* Translators: placeholder of an entry for an ETS table's key, an Erlang term. */
  GtkWidget *entry = term_entry (self, C_("ets", "key"));

  gtk_entry_set_activates_default (GTK_ENTRY (entry), FALSE);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), entry);
  g_object_set_data (G_OBJECT (dialog), "entry", entry);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_delete_key_typed), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (entry);
}

/* ---- find, syntax, copy --------------------------------------------------------- */

void
beam_table_window_scroll_to (BeamTableWindow *self,
                             guint            position)
{
  GtkWidget *child;

  g_return_if_fail (BEAM_IS_TABLE_WINDOW (self));

  if (self->selection == NULL)
    return;
  gtk_single_selection_set_selected (self->selection, position);
  /* GTK 4.8's column view has no scroll_to; its inner list view has the action. */
  for (child = gtk_widget_get_first_child (GTK_WIDGET (self->rows_view)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LIST_VIEW (child))
      gtk_widget_activate_action (child, "list.scroll-to-item", "u", position);
}

static void
find (BeamTableWindow *self,
      gboolean         forward)
{
  const char *needle = gtk_editable_get_text (GTK_EDITABLE (self->find_entry));
  gint64 from, found;

  if (self->rows == NULL || needle[0] == '\0')
    return;
  from = gtk_single_selection_get_selected (self->selection);
  if (from == GTK_INVALID_LIST_POSITION)
    from = forward ? -1 : G_MAXINT64;
  found = beam_ets_row_window_find (self->rows, needle, current_syntax (self), from, forward);
  if (found < 0)
    {
      g_autofree char *markup = g_markup_printf_escaped (_("No more rows read so far with "
                                                           "“%s”"), needle);

      adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (markup));
      return;
    }
  beam_table_window_scroll_to (self, (guint) found);
}

static void
on_find_next (BeamTableWindow *self)
{
  find (self, TRUE);
}

static void
on_find_previous (BeamTableWindow *self)
{
  find (self, FALSE);
}

/* The app's syntax for this node, until the window's own toggle is used. */
static void
follow_node_syntax (BeamTableWindow *self)
{
  gtk_toggle_button_set_active (self->elixir_button,
                                beam_node_get_syntax (self->node) == BEAM_SYNTAX_ELIXIR);
}

static void
on_syntax_toggled (BeamTableWindow *self)
{
  beam_term_view_set_syntax (self->row_view, current_syntax (self));
  if (self->rows != NULL)
    make_columns (self);
}

char *
beam_table_window_dup_selected (BeamTableWindow *self)
{
  g_return_val_if_fail (BEAM_IS_TABLE_WINDOW (self), NULL);
  return beam_term_view_dup_text (self->row_view);
}

static void
copy_action (GtkWidget  *widget,
             const char *action_name G_GNUC_UNUSED,
             GVariant   *parameter G_GNUC_UNUSED)
{
  BeamTableWindow *self = BEAM_TABLE_WINDOW (widget);
  g_autofree char *text = beam_table_window_dup_selected (self);

  if (text == NULL || text[0] == '\0')
    return;
  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), text);
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (_("Row copied")));
}

static void
refresh_action (GtkWidget  *widget,
                const char *action_name G_GNUC_UNUSED,
                GVariant   *parameter G_GNUC_UNUSED)
{
  read_size_again (widget);
}

static void
find_action (GtkWidget  *widget,
             const char *action_name G_GNUC_UNUSED,
             GVariant   *parameter G_GNUC_UNUSED)
{
  BeamTableWindow *self = BEAM_TABLE_WINDOW (widget);

  gtk_toggle_button_set_active (self->find_button, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->find_entry));
}

/* ---- public --------------------------------------------------------------------- */

GListModel *
beam_table_window_get_rows (BeamTableWindow *self)
{
  g_return_val_if_fail (BEAM_IS_TABLE_WINDOW (self), NULL);
  return self->rows != NULL ? G_LIST_MODEL (self->rows) : NULL;
}

const char *
beam_table_window_get_state (BeamTableWindow *self)
{
  g_return_val_if_fail (BEAM_IS_TABLE_WINDOW (self), NULL);
  return self->state;
}

char *
beam_table_window_dup_message (BeamTableWindow *self)
{
  g_return_val_if_fail (BEAM_IS_TABLE_WINDOW (self), NULL);

  if (g_strcmp0 (self->state, "error") == 0)
    return g_strdup_printf ("%s: %s", adw_status_page_get_title (self->error_page),
                            adw_status_page_get_description (self->error_page));
  if (gtk_revealer_get_reveal_child (self->notice_revealer))
    return g_strdup (gtk_label_get_text (self->notice_label));
  return NULL;
}

void
beam_table_window_query (BeamTableWindow *self,
                         guint            kind,
                         const char      *text)
{
  g_return_if_fail (BEAM_IS_TABLE_WINDOW (self));
  g_return_if_fail (text != NULL);

  gtk_toggle_button_set_active (self->query_button, TRUE);
  gtk_drop_down_set_selected (self->query_kind, kind);
  gtk_editable_set_text (GTK_EDITABLE (self->query_entry), text);
  on_query_run (self);
}

GListModel *
beam_table_window_get_results (BeamTableWindow *self)
{
  g_return_val_if_fail (BEAM_IS_TABLE_WINDOW (self), NULL);
  return G_LIST_MODEL (self->results);
}

const char *
beam_table_window_get_query_message (BeamTableWindow *self)
{
  g_return_val_if_fail (BEAM_IS_TABLE_WINDOW (self), NULL);
  return gtk_label_get_text (self->query_label);
}

BeamTableWindow *
beam_table_window_new (BeamNode   *node,
                       const char *table)
{
  BeamTableWindow *self;
  g_autofree char *title = NULL;

  g_return_val_if_fail (BEAM_IS_NODE (node), NULL);
  g_return_val_if_fail (table != NULL, NULL);

  self = g_object_new (BEAM_TYPE_TABLE_WINDOW, NULL);
  self->node = g_object_ref (node);
  /* It closes with the node's window (beam_node_close). */
  g_signal_connect_object (node, "closed", G_CALLBACK (gtk_window_destroy), self,
                           G_CONNECT_SWAPPED);
  self->table = g_strdup (table);
  title = g_strdup_printf (_("%s on %s"), table, beam_node_get_name (node));
  gtk_window_set_title (GTK_WINDOW (self), title);
  adw_window_title_set_title (self->window_title, table);
  adw_window_title_set_subtitle (self->window_title, beam_node_get_name (node));
  follow_node_syntax (self);
  g_signal_connect_object (node, "notify::elixir-syntax", G_CALLBACK (follow_node_syntax), self,
                           G_CONNECT_SWAPPED);
  set_state (self, "opening");
  beam_ets_window_open_async (beam_node_get_connection (node), table, BEAM_ETS_ROW_WINDOW_CHUNK,
                              self->cancellable, opened, g_object_ref (self));
  return self;
}

void
beam_table_window_open (GtkWindow  *from,
                        BeamNode   *node,
                        const char *table)
{
  BeamTableWindow *window;

  g_return_if_fail (GTK_IS_WINDOW (from));
  g_return_if_fail (BEAM_IS_NODE (node));
  g_return_if_fail (table != NULL);

  window = beam_table_window_new (node, table);
  if (gtk_window_get_application (from) != NULL)
    gtk_window_set_application (GTK_WINDOW (window), gtk_window_get_application (from));
  gtk_window_present (GTK_WINDOW (window));
}

/* ---- GObject -------------------------------------------------------------------- */

static void
beam_table_window_dispose (GObject *object)
{
  BeamTableWindow *self = BEAM_TABLE_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->query_cancellable);
  g_clear_handle_id (&self->size_timer, g_source_remove);
  if (self->results_selection != NULL)
    g_signal_handlers_disconnect_by_data (self->results_selection, self);
  if (self->selection != NULL)
    g_signal_handlers_disconnect_by_data (self->selection, self);
  if (self->selected != NULL)
    g_signal_handlers_disconnect_by_data (self->selected, self);
  g_clear_object (&self->selected);
  if (self->rows_view != NULL)
    gtk_column_view_set_model (self->rows_view, NULL);
  g_clear_object (&self->selection);
  if (self->results != NULL)
    clear_results (self);
  g_clear_object (&self->results_selection);
  g_clear_object (&self->results);
  g_clear_pointer (&self->found, g_ptr_array_unref);
  g_clear_pointer (&self->query_term, beam_term_free);
  g_clear_object (&self->rows);
  gtk_widget_dispose_template (GTK_WIDGET (self), BEAM_TYPE_TABLE_WINDOW);

  G_OBJECT_CLASS (beam_table_window_parent_class)->dispose (object);
}

static void
beam_table_window_finalize (GObject *object)
{
  BeamTableWindow *self = BEAM_TABLE_WINDOW (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->query_cancellable);
  g_clear_object (&self->node);
  g_free (self->table);

  G_OBJECT_CLASS (beam_table_window_parent_class)->finalize (object);
}

static void
beam_table_window_class_init (BeamTableWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = beam_table_window_dispose;
  object_class->finalize = beam_table_window_finalize;

  g_type_ensure (BEAM_TYPE_TERM_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/beamscope/Beamscope/"
                                               "beam-table-window.ui");
  gtk_widget_class_bind_template_child (widget_class, BeamTableWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, BeamTableWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, BeamTableWindow, find_button);
  gtk_widget_class_bind_template_child (widget_class, BeamTableWindow, query_button);
  gtk_widget_class_bind_template_child (widget_class, BeamTableWindow, query_kind);
  gtk_widget_class_bind_template_child (widget_class, BeamTableWindow, query_entry);
  gtk_widget_class_bind_template_child (widget_class, BeamTableWindow, more_button);
  gtk_widget_class_bind_template_child (widget_class, BeamTableWindow, query_label);
  gtk_widget_class_bind_template_child (widget_class, BeamTableWindow, edit_button);
  gtk_widget_class_bind_template_child (widget_class, BeamTableWindow, elixir_button);
  gtk_widget_class_bind_template_child (widget_class, BeamTableWindow, search_bar);
  gtk_widget_class_bind_template_child (widget_class, BeamTableWindow, find_entry);
  gtk_widget_class_bind_template_child (widget_class, BeamTableWindow, notice_revealer);
  gtk_widget_class_bind_template_child (widget_class, BeamTableWindow, notice_label);
  gtk_widget_class_bind_template_child (widget_class, BeamTableWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, BeamTableWindow, error_page);
  gtk_widget_class_bind_template_child (widget_class, BeamTableWindow, rows_view);
  gtk_widget_class_bind_template_child (widget_class, BeamTableWindow, row_view);
  gtk_widget_class_bind_template_child (widget_class, BeamTableWindow, status_label);
  gtk_widget_class_bind_template_child (widget_class, BeamTableWindow, loading_spinner);
  gtk_widget_class_bind_template_callback (widget_class, on_syntax_toggled);
  gtk_widget_class_bind_template_callback (widget_class, on_find_next);
  gtk_widget_class_bind_template_callback (widget_class, on_find_previous);
  gtk_widget_class_bind_template_callback (widget_class, on_query_toggled);
  gtk_widget_class_bind_template_callback (widget_class, on_query_run);
  gtk_widget_class_bind_template_callback (widget_class, on_query_more);

  gtk_widget_class_install_action (widget_class, "table.copy", NULL, copy_action);
  gtk_widget_class_install_action (widget_class, "table.refresh", NULL, refresh_action);
  gtk_widget_class_install_action (widget_class, "table.find", NULL, find_action);
  gtk_widget_class_install_action (widget_class, "table.query", NULL, query_action);
  gtk_widget_class_install_action (widget_class, "table.insert", NULL, insert_action);
  gtk_widget_class_install_action (widget_class, "table.delete-row", NULL, delete_row_action);
  gtk_widget_class_install_action (widget_class, "table.delete-key", NULL, delete_key_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_l, GDK_CONTROL_MASK,
                                       "table.query", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_c, GDK_CONTROL_MASK,
                                       "table.copy", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK,
                                       "table.refresh", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK,
                                       "table.find", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK,
                                       "window.close", NULL);
}

static void
beam_table_window_init (BeamTableWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  beam_list_keys_add_slash (GTK_WIDGET (self), "table.find", NULL);
  beam_list_keys_attach (GTK_WIDGET (self->rows_view));
  self->cancellable = g_cancellable_new ();
  self->query_cancellable = g_cancellable_new ();
  self->results = g_list_store_new (BEAM_TYPE_ETS_ROW_ITEM);
  self->results_selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->results)));
  g_signal_connect_object (self->results_selection, "notify::selected-item",
                           G_CALLBACK (on_selected), self, G_CONNECT_SWAPPED);
  self->found = g_ptr_array_new_with_free_func ((GDestroyNotify) beam_ets_found_free);
  gtk_search_bar_connect_entry (self->search_bar, GTK_EDITABLE (self->find_entry));
  update_actions (self);
}
