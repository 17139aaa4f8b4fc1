/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Ports page: every port of the node, as observer's Ports tab and recon
 * show them (owner, links, monitors, queue, memory, I/O, the OS process of a
 * spawned program, and for an inet port its addresses, state, counters and
 * the options people debug), with the ports counted by type as
 * recon:port_types/0 does and against the node's port limit; sortable by any
 * column, filtered by id, name, owner or address. A "Ports | Sockets"
 * switcher shows the `socket` module's sockets, where the node has it. The
 * rows are updated in place on each refresh, so the selection stays; the
 * details pane beside the list shows the selected port's every field.
 *
 * A port is closed from its context menu or the details pane, after a
 * confirmation; with --read-only, nothing offers it. Everything a node says
 * is shown as plain text: labels, never markup, and the toasts escaped. */

#define G_LOG_DOMAIN "beamscope-ports"

#include "config.h"

#include <glib/gi18n.h>

#include "beam-list-keys.h"
#include "beam-number-format.h"
#include "beam-port-list.h"
#include "beam-port-row.h"
#include "beam-ports-page-private.h"
#include "beam-socket-row.h"

typedef enum
{
  DETAIL_TEXT,
  DETAIL_LINES,    /* a list, one a line; its section says how many */
  DETAIL_BYTES,
  DETAIL_COUNT,
  DETAIL_NUMBER,   /* an id, not grouped: an OS pid */
  DETAIL_BOOLEAN,  /* 0 or 1 */
  DETAIL_MS,       /* a timeout in milliseconds, -1 for none */
} DetailKind;

typedef struct
{
  const char *section;   /* starts a section with this heading, or NULL */
  const char *title;     /* NULL for a list that fills its section */
  const char *property;  /* of BeamPortRow */
  DetailKind  format;
} Detail;

/* The inet counters and options keep their Erlang names: they are what
 * inet:getstat/2 and inet:getopts/2 are asked for. */
static const Detail details[] = {
  { N_("Port"), N_("Id"), "id", DETAIL_TEXT },
  { NULL, N_("Name"), "name", DETAIL_TEXT },
  { NULL, N_("Registered name"), "registered-name", DETAIL_TEXT },
  { NULL, N_("Owner"), "connected", DETAIL_TEXT },
  { NULL, N_("Owner’s name"), "connected-name", DETAIL_TEXT },
  { NULL, N_("OS pid"), "os-pid", DETAIL_NUMBER },
  { NULL, N_("Queue"), "queue-size", DETAIL_BYTES },
  { NULL, N_("Memory"), "memory", DETAIL_BYTES },
  { NULL, N_("Input"), "input", DETAIL_BYTES },
  { NULL, N_("Output"), "output", DETAIL_BYTES },
  { N_("Links"), NULL, "links", DETAIL_LINES },
  { N_("Monitors"), NULL, "monitors", DETAIL_LINES },
  { N_("Inet"), N_("Protocol"), "protocol", DETAIL_TEXT },
  { NULL, N_("Local"), "local", DETAIL_TEXT },
  { NULL, N_("Remote"), "remote", DETAIL_TEXT },
  { NULL, N_("State"), "state", DETAIL_TEXT },
  { NULL, "recv_oct", "recv-oct", DETAIL_BYTES },
  { NULL, "recv_cnt", "recv-cnt", DETAIL_COUNT },
  { NULL, "send_oct", "send-oct", DETAIL_BYTES },
  { NULL, "send_cnt", "send-cnt", DETAIL_COUNT },
  { NULL, "send_pend", "send-pend", DETAIL_BYTES },
  { N_("Options"), "buffer", "buffer", DETAIL_BYTES },
  { NULL, "recbuf", "recbuf", DETAIL_BYTES },
  { NULL, "sndbuf", "sndbuf", DETAIL_BYTES },
  { NULL, "active", "active", DETAIL_TEXT },
  { NULL, "nodelay", "nodelay", DETAIL_BOOLEAN },
  { NULL, "send_timeout", "send-timeout", DETAIL_MS },
};

/* Erlang's own names are not translated. */
static gboolean
is_erlang_name (const char *title)
{
  return title != NULL && g_ascii_islower (title[0]);
}

struct _BeamPortsPage
{
  BeamPage            parent_instance;

  GtkSearchEntry     *filter_entry;
  GtkLabel           *status_label;
  GtkLabel           *types_label;
  GtkToggleButton    *details_button;
  GtkToggleButton    *pause_button;
  GtkStack           *sections;

  GtkColumnView      *ports_view;
  GtkSingleSelection *selection;
  GtkFilterListModel *filtered;
  GListStore         *ports;
  GtkCustomFilter    *filter;

  GtkWidget          *details_placeholder;
  GtkGrid            *details_grid;
  GtkWidget          *details_buttons;
  GtkWidget          *close_button;
  GtkWidget          *headings[G_N_ELEMENTS (details)];
  GtkWidget          *keys[G_N_ELEMENTS (details)];
  GtkLabel           *values[G_N_ELEMENTS (details)];

  GtkStack           *sockets_stack;
  GtkColumnView      *sockets_view;
  GtkSingleSelection *socket_selection;
  GtkFilterListModel *sockets_filtered;
  GListStore         *sockets;
  GtkCustomFilter    *socket_filter;

  GtkPopoverMenu     *context_menu;
  GtkColumnViewColumn *ports_leading;   /* the column each list was sorted by */
  GtkColumnViewColumn *sockets_leading;
  gboolean            sorting;          /* a sort of ours: taken as it is */
  gboolean            has_sockets;
  gboolean            listed;          /* an answer came for this node */
  gint64              port_limit;
  char               *last_toast;
};

G_DEFINE_FINAL_TYPE (BeamPortsPage, beam_ports_page, BEAM_TYPE_PAGE)

/* ---- a column's sorter that can say it leads -------------------------------------- */

/* GTK 4.8 cannot say which column a column view is sorted by. Each column's
 * sorter is wrapped in one that, while the page probes the view's sorter
 * with two dummy items, answers "smaller" and notes it was asked: only the
 * leading column is asked (its answer decides), and a flipped answer means
 * descending. Otherwise it answers as the sorter it wraps. */

#define BEAM_TYPE_LEADING_SORTER (beam_leading_sorter_get_type ())
G_DECLARE_FINAL_TYPE (BeamLeadingSorter, beam_leading_sorter, BEAM, LEADING_SORTER, GtkSorter)

struct _BeamLeadingSorter
{
  GtkSorter  parent_instance;
  GtkSorter *inner;
  gboolean   biggest_first;  /* an amount: a first click sorts it descending */
  gboolean   probing;
  gboolean   asked;
};

G_DEFINE_FINAL_TYPE (BeamLeadingSorter, beam_leading_sorter, GTK_TYPE_SORTER)

static GtkOrdering
beam_leading_sorter_compare (GtkSorter *sorter,
                             gpointer   item1,
                             gpointer   item2)
{
  BeamLeadingSorter *self = BEAM_LEADING_SORTER (sorter);

  if (self->probing)
    {
      self->asked = TRUE;
      return GTK_ORDERING_SMALLER;
    }
  return gtk_sorter_compare (self->inner, item1, item2);
}

static GtkSorterOrder
beam_leading_sorter_get_order (GtkSorter *sorter)
{
  return gtk_sorter_get_order (BEAM_LEADING_SORTER (sorter)->inner);
}

static void
beam_leading_sorter_dispose (GObject *object)
{
  g_clear_object (&BEAM_LEADING_SORTER (object)->inner);

  G_OBJECT_CLASS (beam_leading_sorter_parent_class)->dispose (object);
}

static void
beam_leading_sorter_class_init (BeamLeadingSorterClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = beam_leading_sorter_dispose;
  GTK_SORTER_CLASS (klass)->compare = beam_leading_sorter_compare;
  GTK_SORTER_CLASS (klass)->get_order = beam_leading_sorter_get_order;
}

static void
beam_leading_sorter_init (BeamLeadingSorter *self G_GNUC_UNUSED)
{
}

/* Wraps the column's sorter. A number column (but the ids') sorts biggest
 * first on its first click. */
static void
wrap_sorter (GtkColumnViewColumn *column)
{
  GtkSorter *inner = gtk_column_view_column_get_sorter (column);
  BeamLeadingSorter *sorter;

  if (inner == NULL)
    return;
  sorter = g_object_new (BEAM_TYPE_LEADING_SORTER, NULL);
  sorter->inner = g_object_ref (inner);
  sorter->biggest_first = GTK_IS_NUMERIC_SORTER (inner) &&
                          gtk_numeric_sorter_get_sort_order (GTK_NUMERIC_SORTER (inner)) ==
                          GTK_SORT_DESCENDING;
  /* The list's order is the view's to say: the inner sorter ascends. */
  if (GTK_IS_NUMERIC_SORTER (inner))
    gtk_numeric_sorter_set_sort_order (GTK_NUMERIC_SORTER (inner), GTK_SORT_ASCENDING);
  g_signal_connect_object (inner, "changed", G_CALLBACK (gtk_sorter_changed), sorter,
                           G_CONNECT_SWAPPED);
  gtk_column_view_column_set_sorter (column, GTK_SORTER (sorter));
  g_object_unref (sorter);
}

/* The column the view is sorted by, and whether descending; NULL for none. */
static GtkColumnViewColumn *
leading_column (GtkColumnView *view,
                gboolean      *descending)
{
  GListModel *columns = gtk_column_view_get_columns (view);
  /* Two distinct items: a sorter answers "equal" for one item with itself
   * without asking anyone. */
  g_autoptr(GObject) first = g_object_new (G_TYPE_OBJECT, NULL);
  g_autoptr(GObject) second = g_object_new (G_TYPE_OBJECT, NULL);
  GtkColumnViewColumn *leading = NULL;
  GtkOrdering ordering;
  guint n = g_list_model_get_n_items (columns);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, i);
      GtkSorter *sorter = gtk_column_view_column_get_sorter (column);

      if (BEAM_IS_LEADING_SORTER (sorter))
        {
          BEAM_LEADING_SORTER (sorter)->probing = TRUE;
          BEAM_LEADING_SORTER (sorter)->asked = FALSE;
        }
    }
  ordering = gtk_sorter_compare (gtk_column_view_get_sorter (view), first, second);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, i);
      GtkSorter *sorter = gtk_column_view_column_get_sorter (column);

      if (!BEAM_IS_LEADING_SORTER (sorter))
        continue;
      BEAM_LEADING_SORTER (sorter)->probing = FALSE;
      if (BEAM_LEADING_SORTER (sorter)->asked)
        leading = column;   /* the view holds it */
    }
  *descending = ordering == GTK_ORDERING_LARGER;
  return leading;
}

/* ---- the .ui's closures ----------------------------------------------------------- */

/* Nothing for a figure the node did not give (-1): an empty cell, not "?",
 * for every socket and spawned program lacks half the columns. */
char *
beam_ports_page_format_bytes (gpointer unused G_GNUC_UNUSED,
                              gint64   bytes)
{
  return bytes < 0 ? g_strdup ("") : beam_format_bytes (bytes);
}

char *
beam_ports_page_format_count (gpointer unused G_GNUC_UNUSED,
                              gint64   count)
{
  return count < 0 ? g_strdup ("") : beam_format_count (count);
}

/* An OS pid is a name, not an amount: not grouped. */
char *
beam_ports_page_format_pid (gpointer unused G_GNUC_UNUSED,
                            gint64   os_pid)
{
  return os_pid < 0 ? g_strdup ("") : g_strdup_printf ("%" G_GINT64_FORMAT, os_pid);
}

gboolean
beam_ports_page_is_ports (gpointer    unused G_GNUC_UNUSED,
                          const char *section)
{
  return g_strcmp0 (section, "sockets") != 0;
}

/* ---- filtering and the status line ------------------------------------------------ */

/* The filter's text, casefolded, or NULL when there is none. */
static char *
folded_filter (BeamPortsPage *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->filter_entry));

  return text[0] != '\0' ? g_utf8_casefold (text, -1) : NULL;
}

static gboolean
shows_port (gpointer item,
            gpointer user_data)
{
  g_autofree char *folded = folded_filter (user_data);

  return folded == NULL || beam_port_row_matches (item, folded);
}

static gboolean
shows_socket (gpointer item,
              gpointer user_data)
{
  g_autofree char *folded = folded_filter (user_data);

  return folded == NULL || beam_socket_row_matches (item, folded);
}

static void
on_filter_changed (BeamPortsPage *self)
{
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  gtk_filter_changed (GTK_FILTER (self->socket_filter), GTK_FILTER_CHANGE_DIFFERENT);
}

static gboolean
showing_sockets (BeamPortsPage *self)
{
  return !beam_ports_page_is_ports (NULL, gtk_stack_get_visible_child_name (self->sections));
}

/* "Ports: 14 of 65,536 (0.0 %) · 3 shown", "Sockets: 2". */
static void
update_status (BeamPortsPage *self)
{
  gboolean sockets = showing_sockets (self);
  guint all = g_list_model_get_n_items (G_LIST_MODEL (sockets ? self->sockets : self->ports));
  guint shown = g_list_model_get_n_items (G_LIST_MODEL (sockets ? self->sockets_filtered
                                                                : self->filtered));
  g_autofree char *count = NULL;
  g_autofree char *text = NULL;

  if (!self->listed)
    {
      gtk_label_set_text (self->status_label, "");
      return;
    }
  if (sockets)
    {
      count = beam_format_count (all);
      text = g_strdup_printf (_("Sockets: %s"), count);
    }
  else
    {
      count = beam_format_count_of (all, self->port_limit);
      text = g_strdup_printf (_("Ports: %s"), count);
    }
  if (shown != all)
    {
      g_autofree char *with_shown = g_strdup_printf (_("%s · %u shown"), text, shown);

      g_free (text);
      text = g_steal_pointer (&with_shown);
    }
  gtk_label_set_text (self->status_label, text);
}

/* ---- the details pane ------------------------------------------------------------- */

static char *
detail_text (BeamPortRow  *row,
             const Detail *detail)
{
  gint64 figure = -1;

  if (detail->format == DETAIL_TEXT || detail->format == DETAIL_LINES)
    {
      char *text = NULL;

      g_object_get (row, detail->property, &text, NULL);
      return text;
    }
  g_object_get (row, detail->property, &figure, NULL);
  if (figure < 0)
    return NULL;
  switch (detail->format)
    {
    case DETAIL_BYTES: return beam_format_bytes (figure);
    case DETAIL_COUNT: return beam_format_count (figure);
    case DETAIL_NUMBER: return g_strdup_printf ("%" G_GINT64_FORMAT, figure);
    case DETAIL_BOOLEAN: return g_strdup (figure != 0 ? "true" : "false");
    case DETAIL_MS:
      {
        g_autofree char *count = beam_format_count (figure);

        return g_strdup_printf (_("%s ms"), count);
      }
    case DETAIL_TEXT:
    case DETAIL_LINES:
    default:
      g_assert_not_reached ();
    }
}

static BeamPortRow *
selected_port (BeamPortsPage *self)
{
  return gtk_single_selection_get_selected_item (self->selection);
}

/* The selected port's every field; a field the node did not give is left
 * out, and a section with none (a spawned program's Inet) with it. The
 * links and monitors are always said, "None" when there are none. */
static void
update_details (BeamPortsPage *self)
{
  BeamPortRow *row = selected_port (self);
  GtkWidget *heading = NULL;
  gboolean section_shown = FALSE;

  gtk_widget_set_visible (self->details_placeholder, row == NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->details_grid), row != NULL);
  gtk_widget_set_visible (self->details_buttons, row != NULL);
  if (row == NULL)
    return;
  for (guint i = 0; i < G_N_ELEMENTS (details); i++)
    {
      const Detail *detail = &details[i];
      g_autofree char *text = detail_text (row, detail);
      gboolean shown = text != NULL;

      if (detail->section != NULL)
        {
          if (heading != NULL)
            gtk_widget_set_visible (heading, section_shown);
          heading = self->headings[i];
          section_shown = FALSE;
        }
      if (detail->format == DETAIL_LINES)
        {
          g_auto(GStrv) lines = text != NULL && text[0] != '\0' ? g_strsplit (text, "\n", -1)
                                                                : NULL;
          guint n = lines != NULL ? g_strv_length (lines) : 0;
          g_autofree char *title = NULL;

          title = g_strdup_printf ("%s (%u)", _(detail->section), n);
          gtk_label_set_text (GTK_LABEL (self->headings[i]), title);
          gtk_label_set_text (self->values[i], n > 0 ? text : _("None"));
          shown = TRUE;
        }
      else
        gtk_label_set_text (self->values[i], shown ? text : "");
      if (self->keys[i] != NULL)
        gtk_widget_set_visible (self->keys[i], shown);
      gtk_widget_set_visible (GTK_WIDGET (self->values[i]), shown);
      section_shown |= shown;
    }
  if (heading != NULL)
    gtk_widget_set_visible (heading, section_shown);
}

static GtkWidget *
details_label (const char *text,
               float       xalign)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), xalign);
  gtk_label_set_yalign (GTK_LABEL (label), 0);
  return label;
}

static void
build_details (BeamPortsPage *self)
{
  int line = 0;

  for (guint i = 0; i < G_N_ELEMENTS (details); i++)
    {
      const Detail *detail = &details[i];
      GtkWidget *value = details_label (NULL, 0);

      if (detail->section != NULL)
        {
          GtkWidget *heading = details_label (_(detail->section), 0);

          gtk_widget_add_css_class (heading, "heading");
          if (line > 0)
            gtk_widget_set_margin_top (heading, 12);
          gtk_grid_attach (self->details_grid, heading, 0, line++, 2, 1);
          self->headings[i] = heading;
        }
      gtk_label_set_selectable (GTK_LABEL (value), TRUE);
      gtk_label_set_wrap (GTK_LABEL (value), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (value), PANGO_WRAP_WORD_CHAR);
      gtk_widget_set_hexpand (value, TRUE);
      if (detail->format == DETAIL_BYTES || detail->format == DETAIL_COUNT)
        gtk_widget_add_css_class (value, "numeric");
      if (detail->title != NULL)
        {
          GtkWidget *key = details_label (is_erlang_name (detail->title) ? detail->title
                                                                         : _(detail->title),
                                          1);

          gtk_widget_add_css_class (key, "dim-label");
          gtk_grid_attach (self->details_grid, key, 0, line, 1, 1);
          gtk_grid_attach (self->details_grid, value, 1, line++, 1, 1);
          self->keys[i] = key;
        }
      else
        gtk_grid_attach (self->details_grid, value, 0, line++, 2, 1);
      self->values[i] = GTK_LABEL (value);
    }
}

/* ---- opening owners --------------------------------------------------------------- */

static const char *
owner_of (gpointer row)
{
  if (BEAM_IS_PORT_ROW (row))
    return beam_port_row_get_connected (row);
  if (BEAM_IS_SOCKET_ROW (row))
    return beam_socket_row_get_owner (row);
  return NULL;
}

/* Only a pid opens: a port owned by a port (or nothing) has no process. */
static void
open_owner (GtkWidget *widget,
            gpointer   row)
{
  const char *owner = row != NULL ? owner_of (row) : NULL;

  if (owner != NULL && g_str_has_prefix (owner, "<"))
    gtk_widget_activate_action (widget, "win.open-process", "s", owner);
}

void
beam_ports_page_open_owner (GtkListItem *list_item,
                            GtkButton   *button)
{
  open_owner (GTK_WIDGET (button), gtk_list_item_get_item (list_item));
}

/* Enter or a double-click: the port's owner, in its process window. */
static void
on_port_activated (BeamPortsPage *self,
                   guint          position)
{
  g_autoptr(GObject) row = g_list_model_get_item (G_LIST_MODEL (self->selection), position);

  open_owner (GTK_WIDGET (self), row);
}

static void
on_socket_activated (BeamPortsPage *self,
                     guint          position)
{
  g_autoptr(GObject) row = g_list_model_get_item (G_LIST_MODEL (self->socket_selection),
                                                  position);

  open_owner (GTK_WIDGET (self), row);
}

/* ---- actions ---------------------------------------------------------------------- */

static gboolean
writable (BeamPortsPage *self)
{
  return beam_page_get_node (BEAM_PAGE (self)) != NULL &&
         !beam_page_get_read_only (BEAM_PAGE (self));
}

static void
update_actions (BeamPortsPage *self)
{
  gboolean selected = selected_port (self) != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "ports.open-owner", selected);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "ports.copy-id", selected);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "ports.close-port",
                                 selected && writable (self));
  gtk_widget_set_visible (self->close_button, writable (self));
}

static void
on_selection_changed (BeamPortsPage *self)
{
  update_details (self);
  update_actions (self);
}

static void
show_toast (BeamPortsPage *self,
            const char    *text)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);
  g_autofree char *escaped = g_markup_escape_text (text, -1);

  g_free (self->last_toast);
  self->last_toast = g_strdup (text);
  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (escaped));
}

typedef struct
{
  BeamPortsPage *self;
  char          *id;     /* for the toast: the port's row may be gone by then */
} Closing;

static void
closing_free (Closing *closing)
{
  g_object_unref (closing->self);
  g_free (closing->id);
  g_free (closing);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Closing, closing_free)

static void
close_done (GObject      *object G_GNUC_UNUSED,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(Closing) closing = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  if (beam_port_close_finish (result, &error))
    text = g_strdup_printf (_("Closed %s"), closing->id);
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  else
    text = g_strdup_printf (_("Could not close %s: %s"), closing->id, error->message);
  show_toast (closing->self, text);
  beam_page_refresh (BEAM_PAGE (closing->self));
}

static void
on_close_confirmed (AdwMessageDialog *dialog,
                    const char       *response,
                    BeamPortsPage    *self)
{
  const char *id = g_object_get_data (G_OBJECT (dialog), "port-id");
  BeamConnection *connection = beam_page_get_connection (BEAM_PAGE (self));
  Closing *closing;

  if (!g_str_equal (response, "close") || connection == NULL || !writable (self))
    return;
  closing = g_new0 (Closing, 1);
  closing->self = g_object_ref (self);
  closing->id = g_strdup (id);
  beam_port_close_async (connection, id, beam_page_get_cancellable (BEAM_PAGE (self)),
                         close_done, closing);
}

static void
close_action (GtkWidget  *widget,
              const char *action_name G_GNUC_UNUSED,
              GVariant   *parameter G_GNUC_UNUSED)
{
  BeamPortsPage *self = BEAM_PORTS_PAGE (widget);
  BeamPortRow *row = selected_port (self);
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;
  const char *owner;
  GtkWidget *dialog;

  if (row == NULL || !writable (self))
    return;
  owner = beam_port_row_get_owner_label (row);
  heading = g_strdup_printf (_("Close Port %s?"), beam_port_row_get_id (row));
  body = g_strdup_printf (_("erlang:port_close/1 on %s (%s), owned by %s: a spawned program "
                            "loses its pipes and a socket is closed under its owner, which "
                            "finds out when it next uses it."),
                          beam_port_row_get_id (row),
                          beam_port_row_get_name (row) != NULL ? beam_port_row_get_name (row)
                                                               : "?",
                          owner != NULL ? owner : "?");
  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)), heading, body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"),
                                    "close", _("C_lose Port"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "close",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "port-id", g_strdup (beam_port_row_get_id (row)),
                          g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_close_confirmed), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
open_owner_action (GtkWidget  *widget,
                   const char *action_name G_GNUC_UNUSED,
                   GVariant   *parameter G_GNUC_UNUSED)
{
  open_owner (widget, selected_port (BEAM_PORTS_PAGE (widget)));
}

static void
copy_id_action (GtkWidget  *widget,
                const char *action_name G_GNUC_UNUSED,
                GVariant   *parameter G_GNUC_UNUSED)
{
  BeamPortRow *row = selected_port (BEAM_PORTS_PAGE (widget));

  if (row != NULL)
    gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), beam_port_row_get_id (row));
}

static void
details_action (GtkWidget  *widget,
                const char *action_name G_GNUC_UNUSED,
                GVariant   *parameter G_GNUC_UNUSED)
{
  gtk_toggle_button_set_active (BEAM_PORTS_PAGE (widget)->details_button, TRUE);
}

/* ---- the context menu ------------------------------------------------------------- */

/* Nothing that changes the node with --read-only. */
static GMenuModel *
build_context_menu (BeamPortsPage *self)
{
  GMenu *menu = g_menu_new ();
  g_autoptr(GMenu) look = g_menu_new ();
  g_autoptr(GMenu) change = g_menu_new ();

  g_menu_append (look, _("_Open Owner"), "ports.open-owner");
  g_menu_append (look, _("_Details"), "ports.details");
  g_menu_append (look, _("_Copy Id"), "ports.copy-id");
  g_menu_append_section (menu, NULL, G_MENU_MODEL (look));
  if (writable (self))
    {
      g_menu_append (change, _("C_lose Port…"), "ports.close-port");
      g_menu_append_section (menu, NULL, G_MENU_MODEL (change));
    }
  return G_MENU_MODEL (menu);
}

static void
popup_context_menu (BeamPortsPage *self,
                    double         x,
                    double         y)
{
  g_autoptr(GMenuModel) menu = NULL;

  if (selected_port (self) == NULL)
    return;
  menu = build_context_menu (self);
  gtk_popover_menu_set_menu_model (self->context_menu, menu);
  gtk_popover_set_pointing_to (GTK_POPOVER (self->context_menu),
                               &(GdkRectangle) { (int) x, (int) y, 1, 1 });
  gtk_popover_popup (GTK_POPOVER (self->context_menu));
}

/* A right click on a port's cell selects its row, then the menu. */
void
beam_ports_page_cell_pressed (GtkListItem     *list_item,
                              int              n_press G_GNUC_UNUSED,
                              double           x,
                              double           y,
                              GtkGestureClick *gesture)
{
  GtkWidget *cell = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (gesture));
  GtkWidget *page = gtk_widget_get_ancestor (cell, BEAM_TYPE_PORTS_PAGE);
  guint position = gtk_list_item_get_position (list_item);
  BeamPortsPage *self;
  double view_x = 0, view_y = 0;

  if (page == NULL || position == GTK_INVALID_LIST_POSITION)
    return;
  self = BEAM_PORTS_PAGE (page);
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  gtk_selection_model_select_item (GTK_SELECTION_MODEL (self->selection), position, TRUE);
  gtk_widget_translate_coordinates (cell, GTK_WIDGET (self->ports_view), x, y,
                                    &view_x, &view_y);
  popup_context_menu (self, view_x, view_y);
}

/* Menu or Shift+F10: the menu at the focused row, else at the list's top. */
static void
context_menu_action (GtkWidget  *widget,
                     const char *action_name G_GNUC_UNUSED,
                     GVariant   *parameter G_GNUC_UNUSED)
{
  BeamPortsPage *self = BEAM_PORTS_PAGE (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;
  graphene_rect_t bounds;

  if (showing_sockets (self))
    return;
  if (focus != NULL && gtk_widget_is_ancestor (focus, GTK_WIDGET (self->ports_view)) &&
      gtk_widget_compute_bounds (focus, GTK_WIDGET (self->ports_view), &bounds))
    popup_context_menu (self, bounds.origin.x + 24, bounds.origin.y + bounds.size.height / 2);
  else
    popup_context_menu (self, 24, 24);
}

/* ---- sorting ---------------------------------------------------------------------- */

/* A click on an amount's column that did not lead sorts it biggest first,
 * as observer and top do, and the header's arrow says so; a second click
 * on it still flips it. */
static void
follow_sort (BeamPortsPage        *self,
             GtkColumnView        *view,
             GtkColumnViewColumn **last)
{
  gboolean descending = FALSE;
  GtkColumnViewColumn *leading;

  /* No view: the page is going, and its columns with it. */
  if (self->sorting || view == NULL)
    return;
  leading = leading_column (view, &descending);
  if (leading != NULL && leading != *last && !descending &&
      BEAM_LEADING_SORTER (gtk_column_view_column_get_sorter (leading))->biggest_first)
    {
      self->sorting = TRUE;
      gtk_column_view_sort_by_column (view, leading, GTK_SORT_DESCENDING);
      self->sorting = FALSE;
    }
  *last = leading;
}

static void
on_ports_sorted (BeamPortsPage *self)
{
  follow_sort (self, self->ports_view, &self->ports_leading);
}

static void
on_sockets_sorted (BeamPortsPage *self)
{
  follow_sort (self, self->sockets_view, &self->sockets_leading);
}

static void
wrap_sorters (BeamPortsPage *self,
              GtkColumnView *view,
              GCallback      on_sorted)
{
  GListModel *columns = gtk_column_view_get_columns (view);

  for (guint i = 0; i < g_list_model_get_n_items (columns); i++)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, i);

      wrap_sorter (column);
    }
  g_signal_connect_object (gtk_column_view_get_sorter (view), "changed", on_sorted, self,
                           G_CONNECT_SWAPPED);
}

/* ---- refreshing ------------------------------------------------------------------- */

/* The figures a column may be sorted on changed in place, which a sort
 * model does not see: sorted again (a few thousand rows at most). */
static void
sort_again (GtkColumnView *view)
{
  GtkSorter *sorter = gtk_column_view_get_sorter (view);

  if (sorter != NULL)
    gtk_sorter_changed (sorter, GTK_SORTER_CHANGE_DIFFERENT);
}

/* "tcp_inet 12 · udp_inet 2 · efile 1", as recon:port_types/0 counts. */
static void
update_types (BeamPortsPage      *self,
              const BeamPortList *list)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < list->n_types; i++)
    {
      g_autofree char *count = beam_format_count (list->types[i].count);

      g_string_append_printf (text, "%s%s %s", i > 0 ? " · " : "",
                              list->types[i].name != NULL ? list->types[i].name : "?", count);
    }
  gtk_label_set_text (self->types_label, text->str);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->types_label), text->str);
}

static void
ports_done (GObject      *object G_GNUC_UNUSED,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(BeamPortsPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(BeamPortList) list = beam_port_list_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (list == NULL)
    {
      gtk_label_set_text (self->status_label, error->message);
      beam_page_refresh_done (BEAM_PAGE (self), error);
      return;
    }
  beam_port_list_respell (list, beam_node_get_syntax (beam_page_get_node (BEAM_PAGE (self))));
  self->listed = TRUE;
  self->port_limit = list->port_limit;
  self->has_sockets = list->has_sockets;
  beam_port_rows_update (self->ports, list);
  beam_socket_rows_update (self->sockets, list);
  gtk_stack_set_visible_child_name (self->sockets_stack, list->has_sockets ? "list" : "none");
  update_types (self, list);
  sort_again (self->ports_view);
  sort_again (self->sockets_view);
  update_status (self);
  update_details (self);
  update_actions (self);
  beam_page_refresh_done (BEAM_PAGE (self), NULL);
}

static void
beam_ports_page_refresh (BeamPage       *page,
                         BeamConnection *connection,
                         GCancellable   *cancellable)
{
  beam_port_list_async (connection, cancellable, ports_done, g_object_ref (page));
}

static void
beam_ports_page_node_changed (BeamPage *page,
                              BeamNode *node G_GNUC_UNUSED)
{
  BeamPortsPage *self = BEAM_PORTS_PAGE (page);

  g_list_store_remove_all (self->ports);
  g_list_store_remove_all (self->sockets);
  self->listed = FALSE;
  self->has_sockets = FALSE;
  self->port_limit = 0;
  gtk_label_set_text (self->types_label, "");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->types_label), NULL);
  update_status (self);
  update_details (self);
  update_actions (self);
}

/* "sockets" shows the sockets; anything else the ports. */
static void
beam_ports_page_show_detail (BeamPage   *page,
                             const char *detail)
{
  BeamPortsPage *self = BEAM_PORTS_PAGE (page);

  gtk_stack_set_visible_child_name (self->sections,
                                    g_strcmp0 (detail, "sockets") == 0 ? "sockets" : "ports");
}

/* ---- for tests -------------------------------------------------------------------- */

GListModel *
beam_ports_page_get_shown (BeamPortsPage *self)
{
  g_return_val_if_fail (BEAM_IS_PORTS_PAGE (self), NULL);
  return G_LIST_MODEL (self->selection);
}

GListModel *
beam_ports_page_get_sockets_shown (BeamPortsPage *self)
{
  g_return_val_if_fail (BEAM_IS_PORTS_PAGE (self), NULL);
  return G_LIST_MODEL (self->socket_selection);
}

void
beam_ports_page_set_filter (BeamPortsPage *self,
                            const char    *text)
{
  g_return_if_fail (BEAM_IS_PORTS_PAGE (self));
  gtk_editable_set_text (GTK_EDITABLE (self->filter_entry), text);
  on_filter_changed (self);
}

const char *
beam_ports_page_get_section (BeamPortsPage *self)
{
  g_return_val_if_fail (BEAM_IS_PORTS_PAGE (self), NULL);
  return gtk_stack_get_visible_child_name (self->sections);
}

gboolean
beam_ports_page_get_has_sockets (BeamPortsPage *self)
{
  g_return_val_if_fail (BEAM_IS_PORTS_PAGE (self), FALSE);
  return self->has_sockets;
}

const char *
beam_ports_page_get_types_text (BeamPortsPage *self)
{
  g_return_val_if_fail (BEAM_IS_PORTS_PAGE (self), NULL);
  return gtk_label_get_text (self->types_label);
}

GtkColumnView *
beam_ports_page_get_ports_view (BeamPortsPage *self)
{
  g_return_val_if_fail (BEAM_IS_PORTS_PAGE (self), NULL);
  return self->ports_view;
}

void
beam_ports_page_sort_by (BeamPortsPage *self,
                         GtkColumnView *view,
                         const char    *property)
{
  GListModel *columns;

  g_return_if_fail (BEAM_IS_PORTS_PAGE (self));
  g_return_if_fail (view == self->ports_view || view == self->sockets_view);

  columns = gtk_column_view_get_columns (view);
  for (guint i = 0; i < g_list_model_get_n_items (columns); i++)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, i);
      GtkSorter *sorter = gtk_column_view_column_get_sorter (column);
      GtkExpression *expression = NULL;

      if (BEAM_IS_LEADING_SORTER (sorter))
        sorter = BEAM_LEADING_SORTER (sorter)->inner;
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
          gtk_column_view_sort_by_column (view, NULL, GTK_SORT_ASCENDING);
          gtk_column_view_sort_by_column (view, column, GTK_SORT_ASCENDING);
          return;
        }
    }
  g_return_if_reached ();
}

gboolean
beam_ports_page_select_port (BeamPortsPage *self,
                             const char    *id)
{
  GListModel *shown;

  g_return_val_if_fail (BEAM_IS_PORTS_PAGE (self), FALSE);

  shown = G_LIST_MODEL (self->selection);
  for (guint i = 0; i < g_list_model_get_n_items (shown); i++)
    {
      g_autoptr(BeamPortRow) row = g_list_model_get_item (shown, i);

      if (g_strcmp0 (beam_port_row_get_id (row), id) == 0)
        {
          gtk_single_selection_set_selected (self->selection, i);
          return TRUE;
        }
    }
  return FALSE;
}

/* The pane's labels shown, "key value" a line. */
char *
beam_ports_page_dup_details_text (BeamPortsPage *self)
{
  GString *text = g_string_new (NULL);

  g_return_val_if_fail (BEAM_IS_PORTS_PAGE (self), NULL);

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->details_grid));
       child != NULL; child = gtk_widget_get_next_sibling (child))
    if (gtk_widget_get_visible (child) && GTK_IS_LABEL (child))
      g_string_append_printf (text, "%s\n", gtk_label_get_text (GTK_LABEL (child)));
  return g_string_free (text, FALSE);
}

GtkPopover *
beam_ports_page_get_context_menu (BeamPortsPage *self)
{
  g_return_val_if_fail (BEAM_IS_PORTS_PAGE (self), NULL);
  return GTK_POPOVER (self->context_menu);
}

const char *
beam_ports_page_get_last_toast (BeamPortsPage *self)
{
  g_return_val_if_fail (BEAM_IS_PORTS_PAGE (self), NULL);
  return self->last_toast;
}

/* ---- the class -------------------------------------------------------------------- */

static void
beam_ports_page_dispose (GObject *object)
{
  BeamPortsPage *self = BEAM_PORTS_PAGE (object);

  if (self->context_menu != NULL)
    {
      gtk_widget_unparent (GTK_WIDGET (self->context_menu));
      self->context_menu = NULL;
    }
  beam_page_dispose_template (BEAM_PAGE (object), BEAM_TYPE_PORTS_PAGE);

  G_OBJECT_CLASS (beam_ports_page_parent_class)->dispose (object);
}

static void
beam_ports_page_finalize (GObject *object)
{
  BeamPortsPage *self = BEAM_PORTS_PAGE (object);

  g_free (self->last_toast);

  G_OBJECT_CLASS (beam_ports_page_parent_class)->finalize (object);
}

static void
beam_ports_page_class_init (BeamPortsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  BeamPageClass *page_class = BEAM_PAGE_CLASS (klass);

  object_class->dispose = beam_ports_page_dispose;
  object_class->finalize = beam_ports_page_finalize;
  page_class->refresh = beam_ports_page_refresh;
  page_class->node_changed = beam_ports_page_node_changed;
  page_class->show_detail = beam_ports_page_show_detail;
  beam_page_class_set_interval_key (page_class, "ports-refresh-interval");

  g_type_ensure (BEAM_TYPE_PORT_ROW);
  g_type_ensure (BEAM_TYPE_SOCKET_ROW);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/beamscope/Beamscope/"
                                               "beam-ports-page.ui");
  gtk_widget_class_bind_template_child (widget_class, BeamPortsPage, filter_entry);
  gtk_widget_class_bind_template_child (widget_class, BeamPortsPage, status_label);
  gtk_widget_class_bind_template_child (widget_class, BeamPortsPage, types_label);
  gtk_widget_class_bind_template_child (widget_class, BeamPortsPage, details_button);
  gtk_widget_class_bind_template_child (widget_class, BeamPortsPage, pause_button);
  gtk_widget_class_bind_template_child (widget_class, BeamPortsPage, sections);
  gtk_widget_class_bind_template_child (widget_class, BeamPortsPage, ports_view);
  gtk_widget_class_bind_template_child (widget_class, BeamPortsPage, selection);
  gtk_widget_class_bind_template_child (widget_class, BeamPortsPage, filtered);
  gtk_widget_class_bind_template_child (widget_class, BeamPortsPage, ports);
  gtk_widget_class_bind_template_child (widget_class, BeamPortsPage, details_placeholder);
  gtk_widget_class_bind_template_child (widget_class, BeamPortsPage, details_grid);
  gtk_widget_class_bind_template_child (widget_class, BeamPortsPage, details_buttons);
  gtk_widget_class_bind_template_child (widget_class, BeamPortsPage, close_button);
  gtk_widget_class_bind_template_child (widget_class, BeamPortsPage, sockets_stack);
  gtk_widget_class_bind_template_child (widget_class, BeamPortsPage, sockets_view);
  gtk_widget_class_bind_template_child (widget_class, BeamPortsPage, socket_selection);
  gtk_widget_class_bind_template_child (widget_class, BeamPortsPage, sockets_filtered);
  gtk_widget_class_bind_template_child (widget_class, BeamPortsPage, sockets);
  gtk_widget_class_bind_template_callback (widget_class, on_filter_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_port_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_socket_activated);
  gtk_widget_class_bind_template_callback (widget_class, update_status);
  gtk_widget_class_bind_template_callback (widget_class, on_selection_changed);

  gtk_widget_class_install_action (widget_class, "ports.open-owner", NULL, open_owner_action);
  gtk_widget_class_install_action (widget_class, "ports.copy-id", NULL, copy_id_action);
  gtk_widget_class_install_action (widget_class, "ports.details", NULL, details_action);
  gtk_widget_class_install_action (widget_class, "ports.close-port", NULL, close_action);
  gtk_widget_class_install_action (widget_class, "ports.context-menu", NULL,
                                   context_menu_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Menu, 0, "ports.context-menu",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F10, GDK_SHIFT_MASK,
                                       "ports.context-menu", NULL);
}

static void
beam_ports_page_init (BeamPortsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  beam_list_keys_attach (GTK_WIDGET (self->ports_view));
  beam_list_keys_attach (GTK_WIDGET (self->sockets_view));
  beam_list_keys_type_to_search (self->filter_entry, GTK_WIDGET (self));
  build_details (self);

  self->filter = gtk_custom_filter_new (shows_port, self, NULL);
  gtk_filter_list_model_set_filter (self->filtered, GTK_FILTER (self->filter));
  g_object_unref (self->filter);   /* the model holds it */
  self->socket_filter = gtk_custom_filter_new (shows_socket, self, NULL);
  gtk_filter_list_model_set_filter (self->sockets_filtered, GTK_FILTER (self->socket_filter));
  g_object_unref (self->socket_filter);   /* the model holds it */
  g_signal_connect_object (self->filtered, "items-changed", G_CALLBACK (update_status), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->sockets_filtered, "items-changed", G_CALLBACK (update_status),
                           self, G_CONNECT_SWAPPED);
  g_object_bind_property (self->pause_button, "active", self, "paused",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);

  self->context_menu = GTK_POPOVER_MENU (gtk_popover_menu_new_from_model (NULL));
  gtk_popover_set_has_arrow (GTK_POPOVER (self->context_menu), FALSE);
  gtk_widget_set_halign (GTK_WIDGET (self->context_menu), GTK_ALIGN_START);
  gtk_widget_set_parent (GTK_WIDGET (self->context_menu), GTK_WIDGET (self->ports_view));

  wrap_sorters (self, self->ports_view, G_CALLBACK (on_ports_sorted));
  wrap_sorters (self, self->sockets_view, G_CALLBACK (on_sockets_sorted));
  /* In the node's order, which is the ports' age. */
  {
    g_autoptr(GtkColumnViewColumn) id =
      g_list_model_get_item (gtk_column_view_get_columns (self->ports_view), 0);

    gtk_column_view_sort_by_column (self->ports_view, id, GTK_SORT_ASCENDING);
  }
  update_details (self);
  update_actions (self);
}
