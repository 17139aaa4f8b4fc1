/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The list of a trace's events. The session hands batches over ("events",
 * at most one per 16 ms) and the log turns each into one items-changed, so
 * the list's work per frame does not grow with the rate: cells are made
 * only for the rows on screen, and their texts (the summary printed once,
 * cut at 300 bytes, cached by the entry) are read when a row is bound. The
 * filter is incremental: a longer text refines what is shown, a shorter one
 * widens it, and the filter model works through a big log a slice per
 * frame. The list follows the newest event (moving at most every 100 ms:
 * each move rebinds a screenful of rows) until the user scrolls up, and
 * again once they scroll back to the end.
 *
 * Events are typed structs of the trace probe: their terms go only to the
 * printer (through the entry's summary) and to a BeamTermView. */

#define G_LOG_DOMAIN "beamscope-trace"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "beam-number-format.h"
#include "beam-term-view.h"
#include "beam-trace-view.h"

/* Within this many pixels of the end, the list still counts as at the end. */
#define FOLLOW_SLACK 24.0
/* Following the newest, the list moves at most this often. */
#define FOLLOW_INTERVAL_MS 100

typedef enum
{
  COLUMN_TIME,
  COLUMN_PROCESS,
  COLUMN_KIND,
  COLUMN_FUNCTION,
  COLUMN_TERM,
  N_COLUMNS,
} Column;

struct _BeamTraceView
{
  GtkWidget             parent_instance;

  GtkSearchEntry       *filter_entry;
  GtkToggleButton      *pause_button;
  GtkButton            *save_button;
  GtkPaned             *paned;
  GtkScrolledWindow    *scroller;
  GtkColumnView        *column_view;
  GtkSingleSelection   *selection;
  GtkFilterListModel   *filtered;
  GtkWidget            *details_box;
  GtkLabel             *details_label;
  GtkWidget            *open_process_button;
  BeamTermView         *details_view;
  GtkLabel             *status_label;
  GtkLabel             *empty_label;

  GtkColumnViewColumn  *columns[N_COLUMNS];
  BeamTraceLog         *log;
  GtkCustomFilter      *filter;
  char                 *filter_text;     /* casefolded; NULL: no filter */
  BeamNode             *node;
  BeamTraceSession     *session;
  BeamSyntax            syntax;
  gboolean              syntax_set;      /* set_syntax was called: the node's no longer rules */
  gboolean              show_lines;
  gboolean              following;
  gboolean              scrolling;       /* our own scroll to the newest */
  double                last_value;      /* the adjustment at its last move */
  double                last_upper;
  double                last_page;
  guint                 scroll_id;       /* a move to the newest, pending */
  gint64                last_scroll_us;
  char                 *details_pid;
  char                 *message;         /* what the last save said */
  GtkNativeDialog      *chooser;
  GPtrArray            *warming;         /* events held back while the list makes its rows */
  guint                 warm_id;
};

G_DEFINE_FINAL_TYPE (BeamTraceView, beam_trace_view, GTK_TYPE_WIDGET)

static const char *
local_node (BeamTraceView *self)
{
  return self->node != NULL ? beam_node_get_name (self->node) : NULL;
}

/* ---- the cells ---------------------------------------------------------------- */

static char *
function_text (BeamTraceView        *self,
               const BeamTraceEvent *event)
{
  BeamPrintOptions options = { self->syntax, local_node (self), 2, 4 };
  g_autofree char *peer = NULL;

  if (event->mfa != NULL)
    return beam_print_name (event->mfa, self->syntax);
  if (event->peer == NULL)
    return g_strdup ("");
  /* A send's destination, where a call's function would be. */
  peer = beam_term_print (event->peer, &options);
  return g_strdup_printf ("→ %s", peer);
}

static char *
cell_text (BeamTraceView  *self,
           BeamTraceEntry *entry,
           Column          column)
{
  const BeamTraceEvent *event = beam_trace_entry_get_event (entry);

  switch (column)
    {
    case COLUMN_TIME:
      /* sys:log's events carry no time. */
      return g_strdup (event->time_us != 0 ? beam_trace_entry_get_time (entry) : "");
    case COLUMN_PROCESS:
      return event->name != NULL ? beam_print_name (event->name, self->syntax)
                                 : g_strdup (event->pid);
    case COLUMN_KIND:
      return g_strdup (beam_trace_event_kind_to_string (event->kind));
    case COLUMN_FUNCTION:
      return function_text (self, event);
    case COLUMN_TERM:
    case N_COLUMNS:
    default:
      /* The Trace tab shows sys's own line; the rest their term. */
      if (self->show_lines && event->text != NULL)
        return g_strdup (event->text);
      return g_strdup (beam_trace_entry_get_summary (entry, self->syntax));
    }
}

/* The text on one line: a *DBG* line's or a term's line breaks, with the
 * indentation after them, become one space. In place. */
static void
make_one_line (char *text)
{
  char *to = text;

  for (const char *from = text; *from != '\0'; from++)
    {
      if (*from == '\n' || *from == '\r')
        {
          while (from[1] == ' ' || from[1] == '\t' || from[1] == '\n' || from[1] == '\r')
            from++;
          if (to > text && to[-1] != ' ')
            *to++ = ' ';
        }
      else
        *to++ = *from == '\t' ? ' ' : *from;
    }
  *to = '\0';
}

/* The pid behind a name; the whole text of a cell cut short. */
static gboolean
query_cell_tooltip (GtkWidget   *label,
                    int          x G_GNUC_UNUSED,
                    int          y G_GNUC_UNUSED,
                    gboolean     keyboard G_GNUC_UNUSED,
                    GtkTooltip  *tooltip,
                    GtkListItem *item)
{
  Column column = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (label), "column"));
  BeamTraceEntry *entry = gtk_list_item_get_item (item);
  PangoLayout *layout = gtk_label_get_layout (GTK_LABEL (label));

  if (entry == NULL)
    return FALSE;
  if (column == COLUMN_PROCESS)
    gtk_tooltip_set_text (tooltip, beam_trace_entry_get_event (entry)->pid);
  else if (pango_layout_is_ellipsized (layout))
    gtk_tooltip_set_text (tooltip, gtk_label_get_text (GTK_LABEL (label)));
  else
    return FALSE;
  return TRUE;
}

static void
setup_cell (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            gpointer                  user_data G_GNUC_UNUSED)
{
  Column column = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (factory), "column"));
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_label_set_single_line_mode (GTK_LABEL (label), TRUE);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  if (column == COLUMN_TIME)
    gtk_widget_add_css_class (label, "numeric");
  if (column == COLUMN_TERM)
    gtk_widget_add_css_class (label, "monospace");
  /* Asked when shown: setting a tooltip at every bind cost a screenful of
   * rows 60 ms of the GTK thread each time the list moved (GTK 4.8). */
  if (column == COLUMN_PROCESS || column == COLUMN_FUNCTION || column == COLUMN_TERM)
    {
      g_object_set_data (G_OBJECT (label), "column", GINT_TO_POINTER (column));
      gtk_widget_set_has_tooltip (label, TRUE);
      g_signal_connect (label, "query-tooltip", G_CALLBACK (query_cell_tooltip), item);
    }
  gtk_list_item_set_child (item, label);
}

static void
bind_cell (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           gpointer                  user_data)
{
  BeamTraceView *self = user_data;
  Column column = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (factory), "column"));
  BeamTraceEntry *entry = gtk_list_item_get_item (item);
  GtkLabel *label = GTK_LABEL (gtk_list_item_get_child (item));
  g_autofree char *text = NULL;

  if (entry == NULL)
    return;
  text = cell_text (self, entry, column);
  make_one_line (text);
  gtk_label_set_text (label, text);
}

static GtkListItemFactory *
cell_factory (BeamTraceView *self,
              Column         column)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  g_object_set_data (G_OBJECT (factory), "column", GINT_TO_POINTER (column));
  g_signal_connect (factory, "setup", G_CALLBACK (setup_cell), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cell), self);
  return factory;
}

/* New factories rebind every row on screen: what a change of syntax or of
 * face takes, and only the visible rows pay for it. */
static void
rebind_cells (BeamTraceView *self)
{
  for (guint i = 0; i < N_COLUMNS; i++)
    {
      g_autoptr(GtkListItemFactory) factory = cell_factory (self, i);

      gtk_column_view_column_set_factory (self->columns[i], factory);
    }
}

static void
build_columns (BeamTraceView *self)
{
  static const struct
  {
    const char *title;
    int         width;
  } columns[N_COLUMNS] = {
    [COLUMN_TIME] = { N_("Time"), 130 },
    [COLUMN_PROCESS] = { N_("Process"), 150 },
    [COLUMN_KIND] = { N_("Kind"), 95 },
    [COLUMN_FUNCTION] = { N_("Function"), 290 },
    [COLUMN_TERM] = { N_("Term"), 160 },
  };

  for (guint i = 0; i < N_COLUMNS; i++)
    {
      g_autoptr(GtkListItemFactory) factory = cell_factory (self, i);
      GtkColumnViewColumn *column = gtk_column_view_column_new (_(columns[i].title),
                                                                g_steal_pointer (&factory));

      /* Every column has a fixed width, the term's too (it takes what is
       * left beyond it): a column without one measures every cell of every
       * row the list keeps, at each change, which with a term column of
       * 300 characters a cell cost the GTK thread 50-90 ms a frame. */
      gtk_column_view_column_set_resizable (column, TRUE);
      gtk_column_view_column_set_fixed_width (column, columns[i].width);
      gtk_column_view_column_set_expand (column, i == COLUMN_TERM);
      gtk_column_view_append_column (self->column_view, column);
      self->columns[i] = column;  /* ours too: the Trace tab takes some out */
    }
}

/* ---- the status line ------------------------------------------------------------- */

static char *
state_text (BeamTraceView *self)
{
  if (self->session == NULL)
    return g_strdup (_("Not tracing"));
  switch (beam_trace_session_get_state (self->session))
    {
    case BEAM_TRACE_STATE_IDLE: return g_strdup (_("Not started"));
    case BEAM_TRACE_STATE_STARTING: return g_strdup (_("Starting…"));
    case BEAM_TRACE_STATE_RUNNING: return g_strdup (_("Tracing"));
    case BEAM_TRACE_STATE_STOPPING: return g_strdup (_("Stopping…"));
    case BEAM_TRACE_STATE_ENDED:
    default:
      return beam_trace_session_describe_end (self->session);
    }
}

/* What an empty list means: no trace yet, none come yet, or none match. */
static void
update_empty (BeamTraceView *self)
{
  const char *text = NULL;

  if (g_list_model_get_n_items (G_LIST_MODEL (self->filtered)) == 0)
    {
      if (g_list_model_get_n_items (G_LIST_MODEL (self->log)) > 0)
        text = _("No event matches the filter");
      else if (beam_trace_log_get_paused (self->log))
        text = _("Paused");
      else if (self->session == NULL)
        text = _("No events");
      else if (beam_trace_session_get_state (self->session) == BEAM_TRACE_STATE_ENDED)
        text = _("No events came");
      else
        text = _("Waiting for events…");
    }
  gtk_label_set_text (self->empty_label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->empty_label), text != NULL);
}

static void
update_status (BeamTraceView *self)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *state = state_text (self);
  guint64 missed = beam_trace_log_get_n_missed (self->log);
  guint64 dropped = beam_trace_log_get_n_dropped (self->log);

  g_string_append (text, state);
  if (self->session != NULL)
    {
      BeamTraceStats stats = { 0 };
      g_autofree char *received = NULL;
      g_autofree char *seen = NULL;
      g_autofree char *lost = NULL;

      beam_trace_session_get_stats (self->session, &stats);
      received = beam_format_count (stats.received);
      seen = beam_format_count (stats.seen);
      lost = beam_format_count (stats.dropped);
      /* TRANSLATORS: events that reached Beamscope, that the node's tracer
       * took, and that the node made but never sent (shed at the limit). */
      g_string_append_printf (text, _(" · %s received, %s seen, %s dropped"),
                              received, seen, lost);
    }
  if (self->filter_text != NULL)
    {
      g_autofree char *shown = beam_format_count (
        g_list_model_get_n_items (G_LIST_MODEL (self->filtered)));
      g_autofree char *kept = beam_format_count (
        g_list_model_get_n_items (G_LIST_MODEL (self->log)));

      g_string_append_printf (text, _(" · %s of %s shown"), shown, kept);
    }
  if (missed > 0)
    {
      g_autofree char *count = beam_format_count (missed);

      g_string_append_printf (text, ngettext (" · %s event missed while paused",
                                              " · %s events missed while paused", missed),
                              count);
    }
  if (dropped > 0)
    {
      g_autofree char *count = beam_format_count (dropped);
      g_autofree char *budget = beam_format_count (beam_trace_log_get_budget (self->log));

      g_string_append_printf (text, _(" · oldest %s dropped over the budget of %s"),
                              count, budget);
    }
  if (self->message != NULL)
    g_string_append_printf (text, " · %s", self->message);
  gtk_label_set_text (self->status_label, text->str);
  update_empty (self);
}

/* ---- following the newest --------------------------------------------------------- */

static GtkAdjustment *
vadjustment (BeamTraceView *self)
{
  return gtk_scrolled_window_get_vadjustment (self->scroller);
}

/* To the end, outside the list's allocation (the list reads a value set
 * during its own allocation as no move at all, and keeps its rows). */
static gboolean
scroll_to_newest (gpointer data)
{
  BeamTraceView *self = data;
  GtkAdjustment *adjustment = vadjustment (self);
  double end = gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_page_size (adjustment);

  self->scroll_id = 0;
  self->last_scroll_us = g_get_monotonic_time ();
  if (!self->following || gtk_adjustment_get_value (adjustment) >= end)
    return G_SOURCE_REMOVE;
  self->scrolling = TRUE;
  gtk_adjustment_set_value (adjustment, end);
  self->scrolling = FALSE;
  return G_SOURCE_REMOVE;
}

/* The list grew (or was laid out again): to the end, if it follows. Every
 * move rebinds the rows on screen (about 10 ms of the GTK thread for a
 * screenful, measured), so at a high rate the list moves at most every
 * FOLLOW_INTERVAL_MS, whatever the number of batches. */
static void
on_adjustment_changed (BeamTraceView *self)
{
  gint64 since = g_get_monotonic_time () - self->last_scroll_us;

  if (!self->following || self->scroll_id != 0)
    return;
  if (since >= FOLLOW_INTERVAL_MS * 1000)
    self->scroll_id = g_idle_add (scroll_to_newest, self);
  else
    self->scroll_id = g_timeout_add (FOLLOW_INTERVAL_MS - since / 1000, scroll_to_newest, self);
}

/* The list moved. Up, with its height and page as they were: the user
 * scrolled away from the newest, so it stops following; back at the end,
 * it follows again. Moves of the list's own (a new estimate of its height,
 * a smaller page) change neither. */
static void
on_adjustment_value_changed (BeamTraceView *self)
{
  GtkAdjustment *adjustment = vadjustment (self);
  double value = gtk_adjustment_get_value (adjustment);
  double upper = gtk_adjustment_get_upper (adjustment);
  double page = gtk_adjustment_get_page_size (adjustment);

  if (!self->scrolling)
    {
      if (value >= upper - page - FOLLOW_SLACK)
        self->following = TRUE;
      else if (value < self->last_value && upper == self->last_upper && page == self->last_page)
        self->following = FALSE;
    }
  self->last_value = value;
  self->last_upper = upper;
  self->last_page = page;
}

/* ---- the filter --------------------------------------------------------------------- */

static gboolean
entry_matches (gpointer item,
               gpointer user_data)
{
  BeamTraceView *self = user_data;

  return beam_trace_entry_matches (BEAM_TRACE_ENTRY (item), self->filter_text, self->syntax);
}

static void
set_filter (BeamTraceView *self,
            const char    *text)
{
  g_autofree char *normalized = g_utf8_normalize (text != NULL ? text : "", -1, G_NORMALIZE_ALL);
  g_autofree char *casefolded = g_utf8_casefold (normalized != NULL ? normalized : "", -1);
  g_autofree char *previous = g_steal_pointer (&self->filter_text);

  g_strstrip (casefolded);
  if (*casefolded == '\0')
    {
      /* No function: every row matches, and the filter model knows it. */
      if (previous != NULL)
        gtk_custom_filter_set_filter_func (self->filter, NULL, NULL, NULL);
    }
  else
    {
      self->filter_text = g_steal_pointer (&casefolded);
      if (previous == NULL)
        gtk_custom_filter_set_filter_func (self->filter, entry_matches, self, NULL);
      else if (strstr (self->filter_text, previous) != NULL)
        gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_MORE_STRICT);
      else if (strstr (previous, self->filter_text) != NULL)
        gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_LESS_STRICT);
      else
        gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
    }
  update_status (self);
}

static void
on_filter_changed (BeamTraceView *self)
{
  set_filter (self, gtk_editable_get_text (GTK_EDITABLE (self->filter_entry)));
}

/* ---- details ------------------------------------------------------------------------ */

static const char *
term_label (const BeamTraceEvent *event)
{
  switch (event->kind)
    {
    case BEAM_TRACE_EVENT_CALL: return _("arguments");
    case BEAM_TRACE_EVENT_RETURN_FROM: return _("returned");
    case BEAM_TRACE_EVENT_EXCEPTION_FROM: return _("raised");
    case BEAM_TRACE_EVENT_SEND:
    case BEAM_TRACE_EVENT_SEND_TO_NON_EXISTING:
    case BEAM_TRACE_EVENT_RECEIVE: return _("message");
    case BEAM_TRACE_EVENT_SYS: return _("event");
    case BEAM_TRACE_EVENT_OTHER:
    default: return _("trace");
    }
}

static void
show_details (BeamTraceView  *self,
              BeamTraceEntry *entry)
{
  const BeamTraceEvent *event = beam_trace_entry_get_event (entry);
  GPtrArray *terms = g_ptr_array_new ();
  GStrvBuilder *builder = g_strv_builder_new ();
  g_auto(GStrv) labels = NULL;
  g_autofree char *heading = NULL;
  g_autofree char *process = cell_text (self, entry, COLUMN_PROCESS);
  g_autofree char *function = function_text (self, event);
  g_autofree char *time = cell_text (self, entry, COLUMN_TIME);

  g_ptr_array_add (terms, beam_term_copy (event->term));
  g_strv_builder_add (builder, term_label (event));
  if (event->peer != NULL)
    {
      g_ptr_array_add (terms, beam_term_copy (event->peer));
      g_strv_builder_add (builder, _("to"));
    }
  labels = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  beam_term_view_set_terms (self->details_view, terms, labels);

  if (event->text != NULL)
    heading = g_strdup_printf ("%s  %s", time, event->text);
  else
    heading = g_strdup_printf ("%s  %s  %s  %s", time, process,
                               beam_trace_event_kind_to_string (event->kind), function);
  gtk_label_set_text (self->details_label, heading);

  g_free (self->details_pid);
  self->details_pid = g_strdup (event->pid);
  gtk_widget_set_visible (self->open_process_button, self->details_pid != NULL);
  gtk_widget_set_visible (self->details_box, TRUE);
}

static void
on_row_activated (BeamTraceView *self,
                  guint          position)
{
  g_autoptr(BeamTraceEntry) entry = g_list_model_get_item (G_LIST_MODEL (self->filtered),
                                                           position);

  if (entry != NULL)
    show_details (self, entry);
}

static void
on_hide_details (BeamTraceView *self)
{
  gtk_widget_set_visible (self->details_box, FALSE);
}

/* The window this view is in opens it (win.open-process): the main
 * window's, a process window's or the Trace window's own. */
static void
on_open_process (BeamTraceView *self)
{
  if (self->details_pid != NULL)
    gtk_widget_activate_action (GTK_WIDGET (self), "win.open-process", "s", self->details_pid);
}

/* ---- saving ------------------------------------------------------------------------- */

static void
set_message (BeamTraceView *self,
             const char    *message)
{
  g_free (self->message);
  self->message = g_strdup (message);
  update_status (self);
}

static void
save_done (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(BeamTraceView) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_file_get_basename (G_FILE (object));
  g_autofree char *message = NULL;

  if (!g_file_replace_contents_finish (G_FILE (object), result, NULL, &error))
    message = g_strdup_printf (_("Could not save %s: %s"), name, error->message);
  else
    message = g_strdup_printf (_("Saved to %s"), name);
  set_message (self, message);
}

static void
on_chooser_response (BeamTraceView *self,
                     int            response)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (self->chooser));
  g_clear_object (&self->chooser);
  if (file != NULL)
    beam_trace_view_save (self, file);
}

static void
on_save_clicked (BeamTraceView *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkFileChooserNative *chooser;

  if (self->chooser != NULL)
    return;
  chooser = gtk_file_chooser_native_new (_("Save Trace"),
                                         GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), "trace.txt");
  self->chooser = GTK_NATIVE_DIALOG (chooser);
  g_signal_connect_object (chooser, "response", G_CALLBACK (on_chooser_response), self,
                           G_CONNECT_SWAPPED);
  gtk_native_dialog_show (self->chooser);
}

/* ---- the session ---------------------------------------------------------------------- */

/* The list makes its rows' widgets when it first has events to show, and
 * before it knows a row's height it makes as many as GTK 4.8 allows (200):
 * from a burst, 50-90 ms of the GTK thread in each of the first frames.
 * Until the log holds WARM_EVENTS, events reach it a few a frame (the first
 * frame one), so the rows are made a few at a time; then every batch at
 * once. Each frame appends what is held whatever the list does. */
#define WARM_EVENTS    200
#define WARM_PER_FRAME 6

static gboolean
feed_warming (GtkWidget     *widget,
              GdkFrameClock *clock G_GNUC_UNUSED,
              gpointer       user_data G_GNUC_UNUSED)
{
  BeamTraceView *self = BEAM_TRACE_VIEW (widget);
  guint kept = g_list_model_get_n_items (G_LIST_MODEL (self->log));
  guint n = kept >= WARM_EVENTS ? self->warming->len
                                : MIN (self->warming->len, kept == 0 ? 1 : WARM_PER_FRAME);
  g_autoptr(GPtrArray) slice = g_ptr_array_new_full (n, (GDestroyNotify) beam_trace_event_unref);

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (slice, beam_trace_event_ref (self->warming->pdata[i]));
  g_ptr_array_remove_range (self->warming, 0, n);
  beam_trace_log_append (self->log, slice);
  if (self->warming->len > 0)
    return G_SOURCE_CONTINUE;
  self->warm_id = 0;
  return G_SOURCE_REMOVE;
}

/* Everything held back, into the log at once: no frame is coming. */
static void
flush_warming (BeamTraceView *self)
{
  if (self->warm_id != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->warm_id);
  self->warm_id = 0;
  if (self->warming->len > 0)
    {
      g_autoptr(GPtrArray) held = g_steal_pointer (&self->warming);

      self->warming = g_ptr_array_new_with_free_func ((GDestroyNotify) beam_trace_event_unref);
      beam_trace_log_append (self->log, held);
    }
}

static void
on_events (BeamTraceView    *self,
           GPtrArray        *events,
           BeamTraceSession *session G_GNUC_UNUSED)
{
  if (!gtk_widget_get_mapped (GTK_WIDGET (self)) || beam_trace_log_get_paused (self->log))
    flush_warming (self);
  if (self->warm_id == 0 &&
      (g_list_model_get_n_items (G_LIST_MODEL (self->log)) >= WARM_EVENTS ||
       !gtk_widget_get_mapped (GTK_WIDGET (self)) || beam_trace_log_get_paused (self->log)))
    {
      beam_trace_log_append (self->log, events);
      return;
    }
  for (guint i = 0; i < events->len; i++)
    g_ptr_array_add (self->warming, beam_trace_event_ref (events->pdata[i]));
  if (self->warm_id == 0)
    self->warm_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), feed_warming, NULL, NULL);
}

static void
follow_node_syntax (BeamTraceView *self)
{
  if (!self->syntax_set && self->node != NULL && beam_node_get_syntax (self->node) != self->syntax)
    {
      self->syntax = beam_node_get_syntax (self->node);
      beam_term_view_set_syntax (self->details_view, self->syntax);
      rebind_cells (self);
      if (self->filter_text != NULL)
        gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
    }
}

/* ---- GObject ------------------------------------------------------------------------- */

static void
beam_trace_view_dispose (GObject *object)
{
  BeamTraceView *self = BEAM_TRACE_VIEW (object);
  GtkWidget *child;

  g_clear_handle_id (&self->scroll_id, g_source_remove);
  if (self->warm_id != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->warm_id);
  self->warm_id = 0;
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (self->chooser);
  g_clear_object (&self->chooser);
  beam_trace_view_set_session (self, NULL);
  if (self->node != NULL)
    g_signal_handlers_disconnect_by_data (self->node, self);
  g_clear_object (&self->node);
  gtk_widget_dispose_template (GTK_WIDGET (self), BEAM_TYPE_TRACE_VIEW);
  /* GTK 4.8 unparents only the template's named children. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (beam_trace_view_parent_class)->dispose (object);
}

static void
beam_trace_view_finalize (GObject *object)
{
  BeamTraceView *self = BEAM_TRACE_VIEW (object);

  for (guint i = 0; i < N_COLUMNS; i++)
    g_clear_object (&self->columns[i]);
  g_clear_object (&self->log);
  g_clear_pointer (&self->warming, g_ptr_array_unref);
  g_clear_object (&self->filter);
  g_free (self->filter_text);
  g_free (self->details_pid);
  g_free (self->message);

  G_OBJECT_CLASS (beam_trace_view_parent_class)->finalize (object);
}

static void
beam_trace_view_class_init (BeamTraceViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = beam_trace_view_dispose;
  object_class->finalize = beam_trace_view_finalize;

  g_type_ensure (BEAM_TYPE_TERM_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/beamscope/Beamscope/"
                                               "beam-trace-view.ui");
  gtk_widget_class_bind_template_child (widget_class, BeamTraceView, filter_entry);
  gtk_widget_class_bind_template_child (widget_class, BeamTraceView, pause_button);
  gtk_widget_class_bind_template_child (widget_class, BeamTraceView, save_button);
  gtk_widget_class_bind_template_child (widget_class, BeamTraceView, paned);
  gtk_widget_class_bind_template_child (widget_class, BeamTraceView, scroller);
  gtk_widget_class_bind_template_child (widget_class, BeamTraceView, column_view);
  gtk_widget_class_bind_template_child (widget_class, BeamTraceView, selection);
  gtk_widget_class_bind_template_child (widget_class, BeamTraceView, filtered);
  gtk_widget_class_bind_template_child (widget_class, BeamTraceView, details_box);
  gtk_widget_class_bind_template_child (widget_class, BeamTraceView, details_label);
  gtk_widget_class_bind_template_child (widget_class, BeamTraceView, open_process_button);
  gtk_widget_class_bind_template_child (widget_class, BeamTraceView, details_view);
  gtk_widget_class_bind_template_child (widget_class, BeamTraceView, status_label);
  gtk_widget_class_bind_template_child (widget_class, BeamTraceView, empty_label);
  gtk_widget_class_bind_template_callback (widget_class, on_filter_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_row_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_hide_details);
  gtk_widget_class_bind_template_callback (widget_class, on_open_process);
  gtk_widget_class_bind_template_callback (widget_class, on_save_clicked);
  gtk_widget_class_bind_template_callback (widget_class, beam_trace_view_clear);
}

static void
beam_trace_view_init (BeamTraceView *self)
{
  GtkAdjustment *adjustment;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->following = TRUE;
  self->log = beam_trace_log_new (BEAM_TRACE_LOG_DEFAULT_BUDGET);
  self->warming = g_ptr_array_new_with_free_func ((GDestroyNotify) beam_trace_event_unref);
  self->filter = gtk_custom_filter_new (NULL, NULL, NULL);
  gtk_filter_list_model_set_filter (self->filtered, GTK_FILTER (self->filter));
  gtk_filter_list_model_set_model (self->filtered, G_LIST_MODEL (self->log));
  build_columns (self);

  g_object_bind_property (self->pause_button, "active", self->log, "paused",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  g_signal_connect_object (self->log, "notify::n-total", G_CALLBACK (update_status), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->log, "notify::n-missed", G_CALLBACK (update_status), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->log, "notify::n-dropped", G_CALLBACK (update_status), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->log, "notify::paused", G_CALLBACK (update_status), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->filtered, "items-changed", G_CALLBACK (update_status), self,
                           G_CONNECT_SWAPPED);

  adjustment = vadjustment (self);
  g_signal_connect_object (adjustment, "changed", G_CALLBACK (on_adjustment_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (adjustment, "value-changed",
                           G_CALLBACK (on_adjustment_value_changed), self, G_CONNECT_SWAPPED);
  update_status (self);
}

/* ---- public --------------------------------------------------------------------------- */

GtkWidget *
beam_trace_view_new (void)
{
  return g_object_new (BEAM_TYPE_TRACE_VIEW, NULL);
}

void
beam_trace_view_set_node (BeamTraceView *self,
                          BeamNode      *node)
{
  g_return_if_fail (BEAM_IS_TRACE_VIEW (self));
  g_return_if_fail (node == NULL || BEAM_IS_NODE (node));

  if (self->node == node)
    return;
  if (self->node != NULL)
    g_signal_handlers_disconnect_by_data (self->node, self);
  g_set_object (&self->node, node);
  beam_term_view_set_local_node (self->details_view, local_node (self));
  if (node != NULL)
    {
      g_signal_connect_object (node, "notify::elixir-syntax", G_CALLBACK (follow_node_syntax),
                               self, G_CONNECT_SWAPPED);
      follow_node_syntax (self);
    }
}

void
beam_trace_view_set_syntax (BeamTraceView *self,
                            BeamSyntax     syntax)
{
  g_return_if_fail (BEAM_IS_TRACE_VIEW (self));

  self->syntax_set = TRUE;
  if (self->syntax == syntax)
    return;
  self->syntax = syntax;
  beam_term_view_set_syntax (self->details_view, syntax);
  rebind_cells (self);
  if (self->filter_text != NULL)
    gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
}

void
beam_trace_view_set_session (BeamTraceView    *self,
                             BeamTraceSession *session)
{
  g_return_if_fail (BEAM_IS_TRACE_VIEW (self));
  g_return_if_fail (session == NULL || BEAM_IS_TRACE_SESSION (session));

  if (self->session == session)
    return;
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_set_object (&self->session, session);
  if (session != NULL)
    {
      g_signal_connect_object (session, "events", G_CALLBACK (on_events), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (session, "notify::state", G_CALLBACK (update_status), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (session, "notify::stats", G_CALLBACK (update_status), self,
                               G_CONNECT_SWAPPED);
    }
  /* Disposing: the labels may be gone. */
  if (self->status_label != NULL)
    update_status (self);
}

BeamTraceSession *
beam_trace_view_get_session (BeamTraceView *self)
{
  g_return_val_if_fail (BEAM_IS_TRACE_VIEW (self), NULL);
  return self->session;
}

void
beam_trace_view_set_show_lines (BeamTraceView *self,
                                gboolean       show_lines)
{
  g_return_if_fail (BEAM_IS_TRACE_VIEW (self));

  show_lines = !!show_lines;
  if (self->show_lines == show_lines)
    return;
  self->show_lines = show_lines;
  /* Taken out, not hidden: GTK 4.8 leaves a hidden column's fixed width
   * out of what the expanding column gets. */
  for (guint i = 0; i < N_COLUMNS; i++)
    if (gtk_column_view_column_get_column_view (self->columns[i]) == self->column_view)
      gtk_column_view_remove_column (self->column_view, self->columns[i]);
  for (guint i = 0; i < N_COLUMNS; i++)
    if (!show_lines || i == COLUMN_TIME || i == COLUMN_TERM)
      gtk_column_view_append_column (self->column_view, self->columns[i]);
  gtk_column_view_column_set_title (self->columns[COLUMN_TERM],
                                    show_lines ? _("Event") : _("Term"));
  rebind_cells (self);
}

void
beam_trace_view_clear (BeamTraceView *self)
{
  g_return_if_fail (BEAM_IS_TRACE_VIEW (self));

  flush_warming (self);
  beam_trace_log_clear (self->log);
  g_clear_pointer (&self->message, g_free);
  gtk_widget_set_visible (self->details_box, FALSE);
  self->following = TRUE;
  update_status (self);
}

BeamTraceLog *
beam_trace_view_get_log (BeamTraceView *self)
{
  g_return_val_if_fail (BEAM_IS_TRACE_VIEW (self), NULL);
  return self->log;
}

GListModel *
beam_trace_view_get_shown (BeamTraceView *self)
{
  g_return_val_if_fail (BEAM_IS_TRACE_VIEW (self), NULL);
  return G_LIST_MODEL (self->filtered);
}

const char *
beam_trace_view_get_status (BeamTraceView *self)
{
  g_return_val_if_fail (BEAM_IS_TRACE_VIEW (self), NULL);
  return gtk_label_get_text (self->status_label);
}

void
beam_trace_view_set_filter_text (BeamTraceView *self,
                                 const char    *text)
{
  g_return_if_fail (BEAM_IS_TRACE_VIEW (self));
  gtk_editable_set_text (GTK_EDITABLE (self->filter_entry), text != NULL ? text : "");
  /* Now, not after the entry's search delay. */
  set_filter (self, text);
}

void
beam_trace_view_activate (BeamTraceView *self,
                          guint          position)
{
  g_return_if_fail (BEAM_IS_TRACE_VIEW (self));
  on_row_activated (self, position);
}

char *
beam_trace_view_dup_details (BeamTraceView *self)
{
  g_return_val_if_fail (BEAM_IS_TRACE_VIEW (self), NULL);
  if (!gtk_widget_get_visible (self->details_box))
    return NULL;
  return beam_term_view_dup_text (self->details_view);
}

const char *
beam_trace_view_get_details_pid (BeamTraceView *self)
{
  g_return_val_if_fail (BEAM_IS_TRACE_VIEW (self), NULL);
  return self->details_pid;
}

gboolean
beam_trace_view_get_following (BeamTraceView *self)
{
  g_return_val_if_fail (BEAM_IS_TRACE_VIEW (self), FALSE);
  return self->following;
}

/* What Save… does once a file is chosen: the events kept, as text, under a
 * line naming the trace; the status line says how it went. */
void
beam_trace_view_save (BeamTraceView *self,
                      GFile         *file)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *title = NULL;

  g_return_if_fail (BEAM_IS_TRACE_VIEW (self));
  g_return_if_fail (G_IS_FILE (file));

  if (self->session != NULL)
    title = beam_trace_spec_describe (beam_trace_session_get_spec (self->session));
  bytes = beam_trace_log_to_text (self->log, title, self->syntax);
  g_file_replace_contents_bytes_async (file, bytes, NULL, FALSE,
                                       G_FILE_CREATE_REPLACE_DESTINATION, NULL, save_done,
                                       g_object_ref (self));
}

guint
beam_trace_view_get_n_held (BeamTraceView *self)
{
  g_return_val_if_fail (BEAM_IS_TRACE_VIEW (self), 0);
  return self->warming->len;
}
