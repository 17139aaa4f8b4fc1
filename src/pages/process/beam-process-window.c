/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The process window. Everything comes from probe/beam-process-info: the
 * seeds' process_info items, the first messages and dictionary entries (a
 * bounded number; messages only on request, as the node copies the whole
 * queue to read it), sys requests and the mutating actions. Every action that
 * changes the process asks first, and none exists with --read-only.
 *
 * The probe hands over typed results, already checked: this file reads their
 * fields, and passes terms only to the printer or a BeamTermView, never
 * looking inside one, so that nothing a node sends can trip it. */

#define G_LOG_DOMAIN "beamscope-process"

#include "config.h"

#include <glib/gi18n.h>

#include "beam-process-info.h"
#include "beam-process-window.h"
#include "beam-switcher-bar.h"
#include "beam-term-view.h"

#define FIRST_MESSAGES      100
#define MAX_MESSAGES        10000  /* loaded into rows, at most */
#define FIRST_ENTRIES       200
#define BIG_QUEUE           10000  /* past this, loading messages gets a warning */
#define SYS_TIMEOUT_MS      2000

struct _BeamProcessWindow
{
  AdwWindow             parent_instance;

  AdwToastOverlay      *toast_overlay;
  AdwViewSwitcherTitle *switcher_title;
  AdwViewSwitcherBar   *switcher_bar;
  AdwViewStack         *view_stack;
  GtkToggleButton      *elixir_button;
  GtkLabel             *error_label;
  AdwPreferencesGroup  *info_group;
  GtkLabel             *messages_label;
  GtkButton            *messages_button;
  BeamTermView         *messages_view;
  BeamTermView         *dictionary_view;
  GtkListBox           *stack_list;
  GtkLabel             *state_label;
  BeamTermView         *state_view;

  BeamNode             *node;
  char                 *who;
  GCancellable         *cancellable;
  BeamProcessInfo      *info;
  GPtrArray            *info_rows;   /* GtkWidget rows in info_group */
  guint                 messages_limit;  /* how many the next load asks for */
  guint                 loads;
  char                 *error;
};

G_DEFINE_FINAL_TYPE (BeamProcessWindow, beam_process_window, ADW_TYPE_WINDOW)

static BeamSyntax
current_syntax (BeamProcessWindow *self)
{
  return gtk_toggle_button_get_active (self->elixir_button) ? BEAM_SYNTAX_ELIXIR
                                                             : BEAM_SYNTAX_ERLANG;
}

static BeamConnection *
connection (BeamProcessWindow *self)
{
  return beam_node_get_connection (self->node);
}

static void
show_error (BeamProcessWindow *self,
            const GError      *error)
{
  g_free (self->error);
  self->error = error != NULL ? g_strdup (error->message) : NULL;
  gtk_label_set_label (self->error_label, self->error != NULL ? self->error : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), self->error != NULL);
}

static void
toast (BeamProcessWindow *self,
       const char        *text)
{
  /* A toast's title is markup, and the text may be an error quoting the node. */
  g_autofree char *escaped = g_markup_escape_text (text, -1);

  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (escaped));
}

/* ---- Info ---------------------------------------------------------------------- */

/* Links and monitors show this many at first; the rest behind "… N more". */
#define SHOWN_PIDS 12

static void
add_pid_button (GtkFlowBox *box,
                const char *pid)
{
  GtkWidget *button = gtk_button_new_with_label (pid);

  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "win.open-process");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", pid);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_tooltip_text (button, _("Open this process"));
  gtk_flow_box_append (box, button);
}

/* The rest of the pids the probe kept, and how many it did not. */
static void
on_more_pids_clicked (GtkButton  *more,
                      GtkFlowBox *box)
{
  const char * const *pids = g_object_get_data (G_OBJECT (more), "pids");
  guint n_pids = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (more), "n-pids"));
  guint listed = g_strv_length ((GStrv) pids);

  gtk_flow_box_remove (box, gtk_widget_get_parent (GTK_WIDGET (more)));
  for (guint i = SHOWN_PIDS; i < listed; i++)
    add_pid_button (box, pids[i]);
  if (n_pids > listed)
    {
      g_autofree char *text = g_strdup_printf (ngettext ("… %u more not listed",
                                                         "… %u more not listed",
                                                         n_pids - listed),
                                               n_pids - listed);
      gtk_flow_box_append (box, gtk_label_new (text));
    }
}

/* Each opens its process, through win.open-process: the first SHOWN_PIDS,
 * then a button for the rest, so a process with thousands of links does
 * not build thousands of buttons until asked. */
static GtkWidget *
pid_buttons (const BeamProcessInfoItem *field)
{
  GtkWidget *box = gtk_flow_box_new ();
  guint listed = g_strv_length (field->pids);

  gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (box), GTK_SELECTION_NONE);
  gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (box), 4);
  for (guint i = 0; i < listed && i < SHOWN_PIDS; i++)
    add_pid_button (GTK_FLOW_BOX (box), field->pids[i]);
  if (field->n_pids > SHOWN_PIDS)
    {
      g_autofree char *label = g_strdup_printf (ngettext ("… %u more", "… %u more",
                                                          field->n_pids - SHOWN_PIDS),
                                                field->n_pids - SHOWN_PIDS);
      GtkWidget *more = gtk_button_new_with_label (label);

      gtk_widget_add_css_class (more, "flat");
      gtk_widget_set_name (more, "more-pids");
      gtk_widget_set_tooltip_text (more, _("Show them all"));
      g_object_set_data_full (G_OBJECT (more), "pids", g_strdupv (field->pids),
                              (GDestroyNotify) g_strfreev);
      g_object_set_data (G_OBJECT (more), "n-pids", GUINT_TO_POINTER (field->n_pids));
      g_signal_connect (more, "clicked", G_CALLBACK (on_more_pids_clicked), box);
      gtk_flow_box_append (GTK_FLOW_BOX (box), more);
    }
  gtk_widget_set_valign (box, GTK_ALIGN_CENTER);
  return box;
}

static GtkWidget *
value_widget (BeamProcessWindow         *self,
              const BeamProcessInfoItem *field)
{
  BeamPrintOptions options = { current_syntax (self), beam_node_get_name (self->node), 4, 16 };
  g_autofree char *text = NULL;
  GtkWidget *label;

  /* Links, monitors, the group leader and the parent open their process. */
  if (field->pids != NULL && field->pids[0] != NULL)
    return pid_buttons (field);

  text = beam_term_print (field->value, &options);
  label = gtk_label_new (text);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 1.0);
  /* Short values stay on one line; long ones wrap, but never letter by letter. */
  if (g_utf8_strlen (text, -1) > 40)
    {
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
      gtk_label_set_width_chars (GTK_LABEL (label), 40);
      gtk_label_set_max_width_chars (GTK_LABEL (label), 60);
    }
  gtk_widget_add_css_class (label, "monospace");
  return label;
}

static void
show_messages_count (BeamProcessWindow *self)
{
  gint64 queue_len = self->info->message_queue_len;
  g_autofree char *text = NULL;

  if (queue_len > BIG_QUEUE)
    text = g_strdup_printf (_("%" G_GINT64_FORMAT " messages waiting. Loading copies the "
                              "whole queue on the node to send the first %d: on a queue this "
                              "long that takes memory and time there."),
                            queue_len, FIRST_MESSAGES);
  else
    text = g_strdup_printf (ngettext ("%" G_GINT64_FORMAT " message waiting; the first %d "
                                      "are shown when loaded.",
                                      "%" G_GINT64_FORMAT " messages waiting; the first %d "
                                      "are shown when loaded.",
                                      queue_len),
                            queue_len, FIRST_MESSAGES);
  gtk_label_set_label (self->messages_label, text);
}

static void
show_stack (BeamProcessWindow *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->stack_list))) != NULL)
    gtk_list_box_remove (self->stack_list, child);
  for (guint i = 0; i < self->info->n_frames; i++)
    {
      const BeamProcessFrame *frame = &self->info->frames[i];
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *title = g_strdup_printf ("%s:%s/%" G_GINT64_FORMAT, frame->module,
                                                frame->function, frame->arity);
      g_autofree char *where = NULL;

      if (frame->file != NULL)
        where = g_strdup_printf ("%s:%" G_GINT64_FORMAT, frame->file, frame->line);
      else
        where = g_strdup (_("no file information"));
      /* What the node sends is text, not markup: a pid's "<" would break it. */
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), where);
      gtk_list_box_append (self->stack_list, row);
    }
}

static void
show_info (BeamProcessWindow *self)
{
  const BeamProcessInfo *info = self->info;
  g_autofree char *pid = beam_term_print (info->pid,
                                          &(BeamPrintOptions) { BEAM_SYNTAX_ERLANG,
                                                                beam_node_get_name (self->node),
                                                                0, 0 });

  for (guint i = 0; i < self->info_rows->len; i++)
    adw_preferences_group_remove (self->info_group, g_ptr_array_index (self->info_rows, i));
  g_ptr_array_set_size (self->info_rows, 0);

  adw_view_switcher_title_set_subtitle (self->switcher_title, pid);
  adw_view_switcher_title_set_title (self->switcher_title,
                                     info->registered_name != NULL ? info->registered_name
                                     : info->initial_call != NULL ? info->initial_call : pid);

  for (guint i = 0; i < info->n_fields; i++)
    {
      const BeamProcessInfoItem *field = &info->fields[i];
      GtkWidget *row;

      if (g_str_equal (field->name, "current_stacktrace"))
        continue;  /* its own page */
      row = adw_action_row_new ();
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), field->name);
      if (g_str_equal (field->name, "initial_call") && info->initial_call != NULL)
        adw_action_row_set_subtitle (ADW_ACTION_ROW (row), info->initial_call);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), value_widget (self, field));
      adw_preferences_group_add (self->info_group, row);
      g_ptr_array_add (self->info_rows, row);
    }

  /* Messages: the count now, the messages on request. */
  show_messages_count (self);
  show_stack (self);
}

static void
info_done (GObject      *object G_GNUC_UNUSED,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(BeamProcessWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  BeamProcessInfo *info = beam_process_info_fetch_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->loads++;
  show_error (self, error);
  if (info == NULL)
    return;
  g_clear_pointer (&self->info, beam_process_info_free);
  self->info = info;
  show_info (self);
}

static void
dictionary_done (GObject      *object G_GNUC_UNUSED,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(BeamProcessWindow) self = user_data;
  g_autoptr(BeamProcessEntries) dictionary = NULL;

  /* Its failure is the info's too, and the info says it. */
  dictionary = beam_process_dictionary_fetch_finish (result, NULL);
  if (dictionary == NULL)
    return;
  beam_term_view_set_terms (self->dictionary_view, g_steal_pointer (&dictionary->entries), NULL);
}

void
beam_process_window_refresh (BeamProcessWindow *self)
{
  g_return_if_fail (BEAM_IS_PROCESS_WINDOW (self));

  beam_process_info_fetch_async (connection (self), self->who, self->cancellable, info_done,
                                 g_object_ref (self));
  beam_process_dictionary_fetch_async (connection (self), self->who, FIRST_ENTRIES,
                                       self->cancellable, dictionary_done, g_object_ref (self));
}

/* ---- Messages ------------------------------------------------------------------- */

static void
messages_done (GObject      *object G_GNUC_UNUSED,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(BeamProcessWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(BeamProcessEntries) messages = beam_process_messages_fetch_finish (result, &error);
  g_autofree char *text = NULL;

  /* Cancelled: the window is going, its widgets with it. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  gtk_widget_set_sensitive (GTK_WIDGET (self->messages_button), TRUE);
  if (messages == NULL)
    {
      show_error (self, error);
      return;
    }
  text = g_strdup_printf (_("The first %u of %" G_GINT64_FORMAT " messages"),
                          messages->entries->len, messages->count);
  gtk_label_set_label (self->messages_label, text);
  beam_term_view_set_terms (self->messages_view, g_steal_pointer (&messages->entries), NULL);

  /* More, ten times as many each time, only if asked. */
  if (messages->count > self->messages_limit && self->messages_limit < MAX_MESSAGES)
    {
      g_autofree char *more = NULL;

      self->messages_limit = MIN (self->messages_limit * 10, MAX_MESSAGES);
      more = g_strdup_printf (_("Load %u"), self->messages_limit);
      gtk_button_set_label (self->messages_button, more);
    }
  else
    gtk_widget_set_sensitive (GTK_WIDGET (self->messages_button), FALSE);
}

static void
on_load_messages (BeamProcessWindow *self)
{
  gtk_widget_set_sensitive (GTK_WIDGET (self->messages_button), FALSE);
  beam_process_messages_fetch_async (connection (self), self->who, self->messages_limit,
                                     self->cancellable, messages_done, g_object_ref (self));
}

/* ---- State and sys --------------------------------------------------------------- */

typedef struct
{
  BeamProcessWindow     *self;
  BeamProcessSysRequest  request;
} SysCall;

static void
sys_done (GObject      *object G_GNUC_UNUSED,
          GAsyncResult *result,
          gpointer      user_data)
{
  SysCall *call = user_data;
  g_autoptr(BeamProcessWindow) self = call->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(BeamTerm) answer = beam_process_sys_finish (result, &error);
  BeamProcessSysRequest request = call->request;

  g_free (call);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (answer == NULL)
    {
      if (request == BEAM_PROCESS_SYS_GET_STATE || request == BEAM_PROCESS_SYS_STATISTICS_GET)
        gtk_label_set_label (self->state_label, error->message);
      else
        toast (self, error->message);
      return;
    }

  switch (request)
    {
    case BEAM_PROCESS_SYS_GET_STATE:
    case BEAM_PROCESS_SYS_STATISTICS_GET:
      {
        GPtrArray *terms = g_ptr_array_new ();
        g_autofree char *text = g_strdup_printf (request == BEAM_PROCESS_SYS_GET_STATE
                                                 ? _("sys:get_state, answered within %d ms")
                                                 : _("sys:statistics(Pid, get)"), SYS_TIMEOUT_MS);

        g_ptr_array_add (terms, g_steal_pointer (&answer));
        beam_term_view_set_terms (self->state_view, terms, NULL);
        gtk_label_set_label (self->state_label, text);
      }
      break;
    case BEAM_PROCESS_SYS_SUSPEND:
      toast (self, _("Suspended: callers of this process wait until it is resumed"));
      break;
    case BEAM_PROCESS_SYS_RESUME:
      toast (self, _("Resumed"));
      break;
    case BEAM_PROCESS_SYS_STATISTICS_ON:
      toast (self, _("Statistics collecting: read them on the State page"));
      break;
    case BEAM_PROCESS_SYS_STATISTICS_OFF:
    default:
      toast (self, _("Statistics off"));
      break;
    }
  beam_process_window_refresh (self);
}

static void
sys_request (BeamProcessWindow     *self,
             BeamProcessSysRequest  request)
{
  SysCall *call = g_new0 (SysCall, 1);

  call->self = g_object_ref (self);
  call->request = request;
  if (request == BEAM_PROCESS_SYS_GET_STATE)
    gtk_label_set_label (self->state_label, _("Asking…"));
  beam_process_sys_async (connection (self), self->who, request, SYS_TIMEOUT_MS, self->cancellable,
                          sys_done, call);
}

static void
action_done (GObject      *object G_GNUC_UNUSED,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(BeamProcessWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean done = beam_process_action_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  toast (self, done ? _("Done") : error->message);
  beam_process_window_refresh (self);
}

/* ---- Confirmations --------------------------------------------------------------- */

typedef enum
{
  CONFIRM_KILL,
  CONFIRM_GARBAGE_COLLECT,
  CONFIRM_SUSPEND,
  CONFIRM_RESUME,
  CONFIRM_STATISTICS_ON,
  CONFIRM_STATISTICS_OFF,
} Confirm;

static void
on_confirmed (AdwMessageDialog  *dialog,
              const char        *response,
              BeamProcessWindow *self)
{
  Confirm what = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (dialog), "what"));
  GtkWidget *entry = g_object_get_data (G_OBJECT (dialog), "reason");

  if (!g_str_equal (response, "do"))
    return;

  switch (what)
    {
    case CONFIRM_KILL:
      beam_process_action_async (connection (self), self->who, BEAM_PROCESS_ACTION_KILL,
                                 gtk_editable_get_text (GTK_EDITABLE (entry)), self->cancellable,
                                 action_done, g_object_ref (self));
      break;
    case CONFIRM_GARBAGE_COLLECT:
      beam_process_action_async (connection (self), self->who,
                                 BEAM_PROCESS_ACTION_GARBAGE_COLLECT, NULL, self->cancellable,
                                 action_done, g_object_ref (self));
      break;
    case CONFIRM_SUSPEND:
      sys_request (self, BEAM_PROCESS_SYS_SUSPEND);
      break;
    case CONFIRM_RESUME:
      sys_request (self, BEAM_PROCESS_SYS_RESUME);
      break;
    case CONFIRM_STATISTICS_ON:
      sys_request (self, BEAM_PROCESS_SYS_STATISTICS_ON);
      break;
    case CONFIRM_STATISTICS_OFF:
    default:
      sys_request (self, BEAM_PROCESS_SYS_STATISTICS_OFF);
      break;
    }
}

static void
confirm (BeamProcessWindow *self,
         Confirm            what)
{
  static const struct
  {
    const char *heading;
    const char *body;
    const char *verb;
    gboolean    destructive;
  } texts[] = {
    [CONFIRM_KILL] = {
      N_("Kill This Process?"),
      N_("exit(Pid, Reason): with kill it cannot be trapped. Linked processes and supervisors "
         "react as they would in production."),
      N_("_Kill"), TRUE },
    [CONFIRM_GARBAGE_COLLECT] = {
      N_("Garbage Collect?"),
      N_("erlang:garbage_collect(Pid): a full sweep of the process's heap."),
      N_("_Collect"), FALSE },
    [CONFIRM_SUSPEND] = {
      N_("Suspend This Process?"),
      N_("sys:suspend: the process stops handling messages, and every caller waiting on it "
         "blocks until it is resumed."),
      N_("_Suspend"), TRUE },
    [CONFIRM_RESUME] = {
      N_("Resume This Process?"),
      N_("sys:resume: the process handles its messages again."),
      N_("_Resume"), FALSE },
    [CONFIRM_STATISTICS_ON] = {
      N_("Collect Statistics?"),
      N_("sys:statistics(Pid, true): the process counts its messages and reductions until "
         "turned off."),
      N_("_Turn On"), FALSE },
    [CONFIRM_STATISTICS_OFF] = {
      N_("Stop Collecting Statistics?"),
      N_("sys:statistics(Pid, false)."),
      N_("_Turn Off"), FALSE },
  };
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self), _(texts[what].heading),
                                              _(texts[what].body));

  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"),
                                    "do", _(texts[what].verb), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "do",
                                              texts[what].destructive
                                              ? ADW_RESPONSE_DESTRUCTIVE
                                              : ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  if (what == CONFIRM_KILL)
    {
      GtkWidget *entry = gtk_entry_new ();

      gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _("Reason: kill"));
      gtk_widget_set_tooltip_text (entry, _("An atom the node already knows (shutdown, normal…), "
                                            "else sent as a string: never a new atom"));
      adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), entry);
      g_object_set_data (G_OBJECT (dialog), "reason", entry);
    }
  g_object_set_data (G_OBJECT (dialog), "what", GUINT_TO_POINTER (what));
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_confirmed), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---- actions --------------------------------------------------------------------- */

static const char * const mutating_actions[] = {
  "process.kill", "process.garbage-collect", "process.suspend", "process.resume",
  "process.statistics-on", "process.statistics-off", NULL,
};

/* The one place the window's actions are enabled or not: --read-only
 * leaves nothing that changes the process. */
static void
update_actions (BeamProcessWindow *self)
{
  gboolean writable = self->node != NULL && !beam_node_get_read_only (self->node);

  for (guint i = 0; mutating_actions[i] != NULL; i++)
    gtk_widget_action_set_enabled (GTK_WIDGET (self), mutating_actions[i], writable);
}

/* Disabled actions cannot be activated from the UI; this also holds for
 * anything that calls them by name. */
static void
confirm_unless_read_only (BeamProcessWindow *self,
                          Confirm            what)
{
  if (beam_node_get_read_only (self->node))
    toast (self, _("Beamscope was started with --read-only"));
  else
    confirm (self, what);
}

static void
refresh_action (GtkWidget  *widget,
                const char *action_name G_GNUC_UNUSED,
                GVariant   *parameter G_GNUC_UNUSED)
{
  beam_process_window_refresh (BEAM_PROCESS_WINDOW (widget));
}

static void
get_state_action (GtkWidget  *widget,
                  const char *action_name G_GNUC_UNUSED,
                  GVariant   *parameter G_GNUC_UNUSED)
{
  sys_request (BEAM_PROCESS_WINDOW (widget), BEAM_PROCESS_SYS_GET_STATE);
}

static void
statistics_get_action (GtkWidget  *widget,
                       const char *action_name G_GNUC_UNUSED,
                       GVariant   *parameter G_GNUC_UNUSED)
{
  sys_request (BEAM_PROCESS_WINDOW (widget), BEAM_PROCESS_SYS_STATISTICS_GET);
}

static void
kill_action (GtkWidget  *widget,
             const char *action_name G_GNUC_UNUSED,
             GVariant   *parameter G_GNUC_UNUSED)
{
  confirm_unless_read_only (BEAM_PROCESS_WINDOW (widget), CONFIRM_KILL);
}

static void
garbage_collect_action (GtkWidget  *widget,
                        const char *action_name G_GNUC_UNUSED,
                        GVariant   *parameter G_GNUC_UNUSED)
{
  confirm_unless_read_only (BEAM_PROCESS_WINDOW (widget), CONFIRM_GARBAGE_COLLECT);
}

static void
suspend_action (GtkWidget  *widget,
                const char *action_name G_GNUC_UNUSED,
                GVariant   *parameter G_GNUC_UNUSED)
{
  confirm_unless_read_only (BEAM_PROCESS_WINDOW (widget), CONFIRM_SUSPEND);
}

static void
resume_action (GtkWidget  *widget,
               const char *action_name G_GNUC_UNUSED,
               GVariant   *parameter G_GNUC_UNUSED)
{
  confirm_unless_read_only (BEAM_PROCESS_WINDOW (widget), CONFIRM_RESUME);
}

static void
statistics_on_action (GtkWidget  *widget,
                      const char *action_name G_GNUC_UNUSED,
                      GVariant   *parameter G_GNUC_UNUSED)
{
  confirm_unless_read_only (BEAM_PROCESS_WINDOW (widget), CONFIRM_STATISTICS_ON);
}

static void
statistics_off_action (GtkWidget  *widget,
                       const char *action_name G_GNUC_UNUSED,
                       GVariant   *parameter G_GNUC_UNUSED)
{
  confirm_unless_read_only (BEAM_PROCESS_WINDOW (widget), CONFIRM_STATISTICS_OFF);
}

/* What the page on screen shows, as text. */
static void
copy_action (GtkWidget  *widget,
             const char *action_name G_GNUC_UNUSED,
             GVariant   *parameter G_GNUC_UNUSED)
{
  BeamProcessWindow *self = BEAM_PROCESS_WINDOW (widget);
  const char *page = adw_view_stack_get_visible_child_name (self->view_stack);
  g_autofree char *text = NULL;

  if (g_strcmp0 (page, "messages") == 0)
    text = beam_term_view_dup_text (self->messages_view);
  else if (g_strcmp0 (page, "dictionary") == 0)
    text = beam_term_view_dup_text (self->dictionary_view);
  else if (g_strcmp0 (page, "state") == 0)
    text = beam_term_view_dup_text (self->state_view);
  else if (self->info != NULL)
    text = beam_term_print (self->info->items, &(BeamPrintOptions) { current_syntax (self),
                            beam_node_get_name (self->node), 0, 0 });
  if (text != NULL)
    gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), text);
}

/* A pid of this window's (a link, a monitor...) in a window of its own. */
static void
open_process_action (GtkWidget  *widget,
                     const char *action_name G_GNUC_UNUSED,
                     GVariant   *parameter)
{
  BeamProcessWindow *self = BEAM_PROCESS_WINDOW (widget);

  beam_process_window_open (GTK_WINDOW (self), self->node, g_variant_get_string (parameter, NULL));
}


static void
on_syntax_toggled (BeamProcessWindow *self)
{
  BeamSyntax syntax = current_syntax (self);

  beam_term_view_set_syntax (self->messages_view, syntax);
  beam_term_view_set_syntax (self->dictionary_view, syntax);
  beam_term_view_set_syntax (self->state_view, syntax);
  if (self->info != NULL)
    show_info (self);
}

static void
beam_process_window_dispose (GObject *object)
{
  BeamProcessWindow *self = BEAM_PROCESS_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  if (self->switcher_bar != NULL)
    adw_view_switcher_bar_set_stack (self->switcher_bar, NULL);
  if (self->switcher_title != NULL)
    adw_view_switcher_title_set_stack (self->switcher_title, NULL);
  adw_window_set_content (ADW_WINDOW (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), BEAM_TYPE_PROCESS_WINDOW);
  g_clear_object (&self->node);

  G_OBJECT_CLASS (beam_process_window_parent_class)->dispose (object);
}

static void
beam_process_window_finalize (GObject *object)
{
  BeamProcessWindow *self = BEAM_PROCESS_WINDOW (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->info, beam_process_info_free);
  g_clear_pointer (&self->info_rows, g_ptr_array_unref);
  g_free (self->who);
  g_free (self->error);

  G_OBJECT_CLASS (beam_process_window_parent_class)->finalize (object);
}

static void
beam_process_window_class_init (BeamProcessWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = beam_process_window_dispose;
  object_class->finalize = beam_process_window_finalize;

  g_type_ensure (BEAM_TYPE_TERM_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/beamscope/Beamscope/"
                                               "beam-process-window.ui");
  gtk_widget_class_bind_template_child (widget_class, BeamProcessWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, BeamProcessWindow, switcher_title);
  gtk_widget_class_bind_template_child (widget_class, BeamProcessWindow, switcher_bar);
  gtk_widget_class_bind_template_child (widget_class, BeamProcessWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, BeamProcessWindow, elixir_button);
  gtk_widget_class_bind_template_child (widget_class, BeamProcessWindow, error_label);
  gtk_widget_class_bind_template_child (widget_class, BeamProcessWindow, info_group);
  gtk_widget_class_bind_template_child (widget_class, BeamProcessWindow, messages_label);
  gtk_widget_class_bind_template_child (widget_class, BeamProcessWindow, messages_button);
  gtk_widget_class_bind_template_child (widget_class, BeamProcessWindow, messages_view);
  gtk_widget_class_bind_template_child (widget_class, BeamProcessWindow, dictionary_view);
  gtk_widget_class_bind_template_child (widget_class, BeamProcessWindow, stack_list);
  gtk_widget_class_bind_template_child (widget_class, BeamProcessWindow, state_label);
  gtk_widget_class_bind_template_child (widget_class, BeamProcessWindow, state_view);
  gtk_widget_class_bind_template_callback (widget_class, on_load_messages);
  gtk_widget_class_bind_template_callback (widget_class, on_syntax_toggled);

  gtk_widget_class_install_action (widget_class, "process.refresh", NULL, refresh_action);
  gtk_widget_class_install_action (widget_class, "process.get-state", NULL, get_state_action);
  gtk_widget_class_install_action (widget_class, "process.statistics-get", NULL,
                                   statistics_get_action);
  gtk_widget_class_install_action (widget_class, "process.copy", NULL, copy_action);
  gtk_widget_class_install_action (widget_class, "process.kill", NULL, kill_action);
  gtk_widget_class_install_action (widget_class, "process.garbage-collect", NULL,
                                   garbage_collect_action);
  gtk_widget_class_install_action (widget_class, "process.suspend", NULL, suspend_action);
  gtk_widget_class_install_action (widget_class, "process.resume", NULL, resume_action);
  gtk_widget_class_install_action (widget_class, "process.statistics-on", NULL,
                                   statistics_on_action);
  gtk_widget_class_install_action (widget_class, "process.statistics-off", NULL,
                                   statistics_off_action);
  gtk_widget_class_install_action (widget_class, "win.open-process", "s", open_process_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK,
                                       "process.refresh", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK,
                                       "window.close", NULL);
}

static void
beam_process_window_init (BeamProcessWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  beam_switcher_bar_follow_title (self->switcher_bar, self->switcher_title);
  self->cancellable = g_cancellable_new ();
  self->info_rows = g_ptr_array_new ();
  self->messages_limit = FIRST_MESSAGES;
}

BeamProcessWindow *
beam_process_window_new (BeamNode   *node,
                         const char *who)
{
  BeamProcessWindow *self;
  g_autofree char *title = NULL;

  g_return_val_if_fail (BEAM_IS_NODE (node), NULL);
  g_return_val_if_fail (who != NULL, NULL);

  self = g_object_new (BEAM_TYPE_PROCESS_WINDOW, NULL);
  self->node = g_object_ref (node);
  self->who = g_strdup (who);
  title = g_strdup_printf (_("%s on %s"), who, beam_node_get_name (node));
  gtk_window_set_title (GTK_WINDOW (self), title);
  adw_view_switcher_title_set_title (self->switcher_title, who);
  beam_term_view_set_local_node (self->messages_view, beam_node_get_name (node));
  beam_term_view_set_local_node (self->dictionary_view, beam_node_get_name (node));
  beam_term_view_set_local_node (self->state_view, beam_node_get_name (node));

  update_actions (self);

  beam_process_window_refresh (self);
  return self;
}

guint
beam_process_window_get_loads (BeamProcessWindow *self)
{
  g_return_val_if_fail (BEAM_IS_PROCESS_WINDOW (self), 0);
  return self->loads;
}

char *
beam_process_window_dup_field (BeamProcessWindow *self,
                               const char        *item)
{
  const BeamProcessInfoItem *field;

  g_return_val_if_fail (BEAM_IS_PROCESS_WINDOW (self), NULL);

  if (self->info == NULL || (field = beam_process_info_get_field (self->info, item)) == NULL)
    return NULL;
  return beam_term_print (field->value, &(BeamPrintOptions) { current_syntax (self),
                                                               beam_node_get_name (self->node),
                                                               0, 0 });
}

char *
beam_process_window_dup_state (BeamProcessWindow *self)
{
  g_return_val_if_fail (BEAM_IS_PROCESS_WINDOW (self), NULL);
  return beam_term_view_dup_text (self->state_view);
}

const char *
beam_process_window_get_error (BeamProcessWindow *self)
{
  g_return_val_if_fail (BEAM_IS_PROCESS_WINDOW (self), NULL);
  return self->error;
}

void
beam_process_window_show_page (BeamProcessWindow *self,
                               const char        *page)
{
  g_return_if_fail (BEAM_IS_PROCESS_WINDOW (self));
  adw_view_stack_set_visible_child_name (self->view_stack, page);
}

void
beam_process_window_load_messages (BeamProcessWindow *self)
{
  g_return_if_fail (BEAM_IS_PROCESS_WINDOW (self));
  on_load_messages (self);
}

const char *
beam_process_window_get_messages_text (BeamProcessWindow *self)
{
  g_return_val_if_fail (BEAM_IS_PROCESS_WINDOW (self), NULL);
  return gtk_label_get_label (self->messages_label);
}

void
beam_process_window_open (GtkWindow  *from,
                          BeamNode   *node,
                          const char *who)
{
  BeamProcessWindow *window;

  g_return_if_fail (GTK_IS_WINDOW (from));
  g_return_if_fail (BEAM_IS_NODE (node));
  g_return_if_fail (who != NULL);

  window = beam_process_window_new (node, who);
  if (gtk_window_get_application (from) != NULL)
    gtk_window_set_application (GTK_WINDOW (window), gtk_window_get_application (from));
  gtk_window_present (GTK_WINDOW (window));
}
