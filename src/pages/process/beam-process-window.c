/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The process window. Everything comes from probe/beam-process-info: the
 * seeds' process_info items and observer's, the first dictionary entries, a
 * light sample every process-sample-interval seconds (a setting, followed
 * while the window is open) for the trends drawn over the Info
 * card, sys requests and the mutating actions. Messages and State are asked
 * when their page opens (the node copies the whole queue to read its first
 * messages; sys talks to the process itself), both bounded. Every action
 * that changes the process asks first, and none exists with --read-only.
 *
 * The probe hands over typed results, already checked: this file reads their
 * fields, and passes terms only to the printer or a BeamTermView, never
 * looking inside one, so that nothing a node sends can trip it. */

#define G_LOG_DOMAIN "beamscope-process"

#include "config.h"

#include <glib/gi18n.h>

#include "beam-number-format.h"
#include "beam-process-info.h"
#include "beam-process-window.h"
#include "beam-sparkline.h"
#include "beam-switcher-bar.h"
#include "beam-term-view.h"
#include "beam-trace-view.h"
#include "beam-trace-window.h"
#include "beam-view-stack-keys.h"

#define FIRST_MESSAGES      100
#define MAX_MESSAGES        10000  /* loaded into rows, at most */
#define FIRST_ENTRIES       200
#define BIG_QUEUE           10000  /* past this, loading messages gets a warning */
#define SYS_TIMEOUT_MS      2000
#define TREND_POINTS        90     /* three minutes of them */
#define REASON_CHECK_MS     250    /* typing pauses this long before the node is asked */

/* Whether the process handles sys messages, as the State tab's get_state found. */
typedef enum
{
  OTP_UNKNOWN,
  OTP_YES,
  OTP_NO,
} Otp;

typedef enum
{
  TREND_MEMORY,
  TREND_REDUCTIONS,
  TREND_QUEUE,
  N_TRENDS,
} Trend;

struct _BeamProcessWindow
{
  AdwWindow             parent_instance;

  AdwToastOverlay      *toast_overlay;
  AdwViewSwitcherTitle *switcher_title;
  AdwViewSwitcherBar   *switcher_bar;
  AdwViewStack         *view_stack;
  GtkToggleButton      *elixir_button;
  GtkWidget            *actions_button;
  GtkLabel             *error_label;
  GtkWidget            *suspended_bar;
  GtkLabel             *suspended_label;
  GtkWidget            *resume_button;
  GtkBox               *trends_box;
  GtkListBox           *info_list;
  GtkStack             *messages_stack;
  GtkLabel             *messages_label;
  GtkButton            *messages_button;
  BeamTermView         *messages_view;
  BeamTermView         *dictionary_view;
  GtkListBox           *stack_list;
  GtkLabel             *state_label;
  BeamTermView         *state_view;
  GtkWidget            *statistics_off_box;
  GtkWidget            *statistics_enable_button;
  GtkGrid              *statistics_grid;
  GtkStack             *trace_stack;
  GtkSwitch            *trace_switch;
  GtkDropDown          *trace_limit_dropdown;
  GtkSpinButton        *trace_count_spin;
  GtkWidget            *trace_rate_box;
  GtkSpinButton        *trace_rate_events_spin;
  GtkSpinButton        *trace_rate_ms_spin;
  GtkWidget            *trace_log_button;
  GtkLabel             *trace_label;
  GtkWidget            *trace_calls_button;
  GtkWidget            *trace_messages_button;
  BeamTraceView        *trace_view;
  GtkLabel             *trend_values[N_TRENDS];
  BeamSparkline        *trend_lines[N_TRENDS];

  BeamNode             *node;
  char                 *who;
  GCancellable         *cancellable;
  BeamProcessInfo      *info;
  GPtrArray            *info_rows;   /* GtkWidget rows in info_list */
  guint                 messages_limit;  /* how many the next load asks for */
  guint                 loads;
  char                 *error;
  char                 *last_toast;
  gboolean              messages_asked;  /* since the last refresh */
  gboolean              state_asked;
  guint                 messages_loads;  /* answers, for tests */
  guint                 statistics_loads;
  guint                 trend_id;
  guint                 trend_interval_s;  /* the process-sample-interval setting */
  GSettings            *settings;
  gboolean              sampling;
  GArray               *trends[N_TRENDS];  /* gint64, oldest first */
  gint64                last_reductions;   /* -1 before the first sample */
  gint64                last_sampled_us;   /* monotonic time of that sample */
  guint                 samples;
  Otp                   otp;
  BeamTraceSession     *trace_session;   /* the Trace tab's sys trace, or NULL */
  gboolean              sys_log_ours;    /* our holder keeps its sys:log on */
  guint                 sys_log_loads;   /* answers, for tests */
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

  g_free (self->last_toast);
  self->last_toast = g_strdup (text);
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
  gtk_flow_box_set_min_children_per_line (GTK_FLOW_BOX (box), 1);
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

/* Wrapped at word boundaries, never with a hyphen put in: a term has long
 * "words" that may still break where they must, but read as they are. */
static GtkWidget *
wrapping_label (const char *text,
                float       xalign)
{
  GtkWidget *label = gtk_label_new (text);
  PangoAttrList *attributes = pango_attr_list_new ();

  pango_attr_list_insert (attributes, pango_attr_insert_hyphens_new (FALSE));
  gtk_label_set_attributes (GTK_LABEL (label), attributes);
  pango_attr_list_unref (attributes);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_natural_wrap_mode (GTK_LABEL (label), GTK_NATURAL_WRAP_WORD);
  gtk_label_set_xalign (GTK_LABEL (label), xalign);
  return label;
}

/* The item's name as observer writes it; the item itself in the tooltip. */
static const char *
item_title (const char *item)
{
  static const struct { const char *item; const char *title; } titles[] = {
    { "registered_name", N_("Registered name") },
    { "initial_call", N_("Initial call") },
    { "current_function", N_("Current function") },
    { "status", N_("Status") },
    { "message_queue_len", N_("Message queue") },
    { "memory", N_("Memory") },
    { "heap_size", N_("Heap size") },
    { "total_heap_size", N_("Total heap size") },
    { "stack_size", N_("Stack size") },
    { "reductions", N_("Reductions") },
    { "links", N_("Links") },
    { "monitors", N_("Monitors") },
    { "monitored_by", N_("Monitored by") },
    { "trap_exit", N_("Traps exits") },
    { "group_leader", N_("Group leader") },
    { "priority", N_("Priority") },
    { "garbage_collection", N_("Garbage collection") },
    { "parent", N_("Parent") },
    { "last_calls", N_("Last calls") },
    { "catchlevel", N_("Catch level") },
    { "error_handler", N_("Error handler") },
    { "sequential_trace_token", N_("Sequential trace token") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (titles); i++)
    if (g_str_equal (titles[i].item, item))
      return _(titles[i].title);
  return item;
}

/* A size in words, written in bytes, the words in the tooltip. */
static GtkWidget *
words_label (BeamProcessWindow *self,
             gint64             words)
{
  g_autofree char *bytes = beam_format_words (words, self->info->wordsize);
  g_autofree char *count = beam_format_word_count (words);
  GtkWidget *label = gtk_label_new (bytes);

  gtk_widget_set_tooltip_text (label, count);
  return label;
}

static GtkWidget *
value_widget (BeamProcessWindow         *self,
              const BeamProcessInfoItem *field)
{
  const BeamProcessInfo *info = self->info;
  BeamPrintOptions options = { current_syntax (self), beam_node_get_name (self->node), 4, 16 };
  g_autofree char *text = NULL;
  GtkWidget *label;

  /* Links, monitors, the group leader and the parent open their process. */
  if (field->pids != NULL && field->pids[0] != NULL)
    return pid_buttons (field);

  /* Sizes with their units, counts grouped: as every page writes them. */
  if (g_str_equal (field->name, "memory"))
    text = beam_format_bytes (info->memory);
  else if (g_str_equal (field->name, "reductions"))
    text = beam_format_count (info->reductions);
  else if (g_str_equal (field->name, "message_queue_len"))
    text = beam_format_count (info->message_queue_len);
  else if (g_str_equal (field->name, "catchlevel"))
    text = beam_format_count (info->catch_level);
  else if (g_str_equal (field->name, "heap_size"))
    return words_label (self, info->heap_size);
  else if (g_str_equal (field->name, "total_heap_size"))
    return words_label (self, info->total_heap_size);
  else if (g_str_equal (field->name, "stack_size"))
    return words_label (self, info->stack_size);
  else if (g_str_equal (field->name, "current_function") && info->current_function != NULL)
    text = beam_print_name (info->current_function, options.syntax);
  else if (g_str_equal (field->name, "initial_call"))
    text = beam_term_print_function (field->value, options.syntax);
  else if (g_str_equal (field->name, "registered_name") && info->registered_name == NULL)
    text = g_strdup (_("none"));
  else if (g_str_equal (field->name, "last_calls") && !info->last_calls_on)
    text = g_strdup (_("off (process_flag(save_calls, N) turns them on)"));
  if (text == NULL)
    text = beam_term_print (field->value, &options);

  label = wrapping_label (text, 1.0);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 80);
  gtk_widget_add_css_class (label, "monospace");
  return label;
}

/* A row of the Info card: the title wraps only between words, the value
 * takes the rest of the width. */
static GtkWidget *
info_row (const char *title,
          const char *tooltip,
          GtkWidget  *value)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 18);
  GtkWidget *label = gtk_label_new (title);

  /* As wide as the title up to 24 characters, so that short titles never
   * wrap; a longer one wraps between its words. */
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD);
  gtk_label_set_natural_wrap_mode (GTK_LABEL (label), GTK_NATURAL_WRAP_WORD);
  gtk_label_set_width_chars (GTK_LABEL (label), MIN (g_utf8_strlen (title, -1), 24));
  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_widget_set_tooltip_text (label, tooltip);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_margin_top (box, 8);
  gtk_widget_set_margin_bottom (box, 8);
  /* Pid buttons flow over the rest of the row; a text keeps to the end. */
  if (GTK_IS_FLOW_BOX (value))
    {
      gtk_widget_set_hexpand (label, FALSE);
      gtk_widget_set_hexpand (value, TRUE);
    }
  else
    gtk_widget_set_halign (value, GTK_ALIGN_END);
  gtk_widget_set_valign (value, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), value);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  return row;
}

static void
add_info_row (BeamProcessWindow *self,
              GtkWidget         *row)
{
  gtk_list_box_append (self->info_list, row);
  g_ptr_array_add (self->info_rows, row);
}

/* process_info binary: how many, their total, and each listed one's size. */
static GtkWidget *
binaries_row (BeamProcessWindow *self)
{
  const BeamProcessInfo *info = self->info;
  GtkWidget *row = adw_expander_row_new ();
  g_autofree char *total = beam_format_bytes (info->binary_bytes);
  g_autofree char *count = beam_format_count (info->n_binaries);
  g_autofree char *subtitle = g_strdup_printf (ngettext ("%s binary, %s", "%s binaries, %s",
                                                         info->n_binaries),
                                               count, total);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Binaries held"));
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row), subtitle);
  gtk_widget_set_tooltip_text (row, "process_info(Pid, binary)");
  for (guint i = 0; i < info->n_binaries_listed; i++)
    {
      const BeamProcessBinary *binary = &info->binaries[i];
      g_autofree char *size = beam_format_bytes (binary->size);
      g_autofree char *refs = beam_format_count (binary->refcount);
      g_autofree char *held = g_strdup_printf (ngettext ("held by %s process",
                                                         "held by %s processes",
                                                         binary->refcount), refs);
      g_autofree char *title = g_strdup_printf (_("Binary %u"), i + 1);
      GtkWidget *child = adw_action_row_new ();
      GtkWidget *label = gtk_label_new (size);

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (child), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (child), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (child), held);
      gtk_widget_add_css_class (label, "numeric");
      adw_action_row_add_suffix (ADW_ACTION_ROW (child), label);
      adw_expander_row_add_row (ADW_EXPANDER_ROW (row), child);
    }
  if (info->n_binaries > info->n_binaries_listed)
    {
      g_autofree char *left = beam_format_count (info->n_binaries - info->n_binaries_listed);
      g_autofree char *text = g_strdup_printf (_("… %s more not listed"), left);
      GtkWidget *child = adw_action_row_new ();

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (child), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (child), text);
      adw_expander_row_add_row (ADW_EXPANDER_ROW (row), child);
    }
  return row;
}

static void
show_messages_count (BeamProcessWindow *self)
{
  gint64 queue_len = self->info->message_queue_len;
  g_autofree char *count = beam_format_count (queue_len);
  g_autofree char *text = NULL;

  if (self->messages_asked)
    return;
  if (queue_len > BIG_QUEUE)
    text = g_strdup_printf (g_dngettext (NULL,
                                         "%s message waiting. Loading copies the whole queue "
                                         "on the node to send the first %d: on a queue this "
                                         "long that takes memory and time there.",
                                         "%s messages waiting. Loading copies the whole queue "
                                         "on the node to send the first %d: on a queue this "
                                         "long that takes memory and time there.",
                                         (gulong) queue_len),
                            count, FIRST_MESSAGES);
  else
    text = g_strdup_printf (ngettext ("%s message waiting", "%s messages waiting", queue_len),
                            count);
  gtk_label_set_label (self->messages_label, text);
  gtk_button_set_label (self->messages_button, C_("messages", "Load"));
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
      g_autofree char *function = g_strdup_printf ("%s:%s/%" G_GINT64_FORMAT, frame->module,
                                                   frame->function, frame->arity);
      /* Spelled as the process list spells it: MyApp.Cache.init/1 in Elixir. */
      g_autofree char *title = beam_print_name (function, current_syntax (self));
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

/* Suspended by sys (waiting in sys's loop) or by erlang:suspend_process:
 * said above every page until it is resumed. */
static void
show_suspended (BeamProcessWindow *self)
{
  const BeamProcessInfo *info = self->info;
  gboolean by_sys = info != NULL && info->sys_suspended;
  gboolean by_vm = info != NULL && g_strcmp0 (info->status, "suspended") == 0;

  if (by_sys)
    gtk_label_set_label (self->suspended_label,
                         _("Suspended (sys:suspend): it handles no messages, and its callers "
                           "wait, until it is resumed."));
  else if (by_vm)
    gtk_label_set_label (self->suspended_label,
                         _("Suspended (erlang:suspend_process): it runs again only when "
                           "whoever suspended it resumes it."));
  gtk_widget_set_visible (self->resume_button, by_sys && !beam_node_get_read_only (self->node));
  gtk_widget_set_visible (self->suspended_bar, by_sys || by_vm);
}

static void
show_info (BeamProcessWindow *self)
{
  const BeamProcessInfo *info = self->info;
  g_autofree char *pid = beam_term_print (info->pid,
                                          &(BeamPrintOptions) { BEAM_SYNTAX_ERLANG,
                                                                beam_node_get_name (self->node),
                                                                0, 0 });
  g_autofree char *flags = NULL;

  for (guint i = 0; i < self->info_rows->len; i++)
    gtk_list_box_remove (self->info_list, g_ptr_array_index (self->info_rows, i));
  g_ptr_array_set_size (self->info_rows, 0);

  g_autofree char *initial_call = info->initial_call != NULL
    ? beam_print_name (info->initial_call, current_syntax (self)) : NULL;
  g_autofree char *name = info->registered_name != NULL
    ? beam_print_name (info->registered_name, current_syntax (self)) : NULL;

  adw_view_switcher_title_set_subtitle (self->switcher_title, pid);
  /* Its registered name, else the name it gave itself, else what it runs. */
  adw_view_switcher_title_set_title (self->switcher_title,
                                     name != NULL ? name
                                     : info->label != NULL ? info->label
                                     : initial_call != NULL ? initial_call : pid);
  if (info->label != NULL)
    {
      GtkWidget *value = wrapping_label (info->label, 1.0);

      gtk_label_set_selectable (GTK_LABEL (value), TRUE);
      add_info_row (self, info_row (_("Label"), _("The name the process gave itself: "
                                                  "proc_lib:set_label/1, or RabbitMQ's "
                                                  "process_name"), value));
    }

  for (guint i = 0; i < info->n_fields; i++)
    {
      const BeamProcessInfoItem *field = &info->fields[i];
      GtkWidget *value;

      if (g_str_equal (field->name, "current_stacktrace"))
        continue;  /* its own page */
      if (g_str_equal (field->name, "initial_call") && info->initial_call != NULL)
        {
          value = wrapping_label (initial_call, 1.0);
          gtk_label_set_selectable (GTK_LABEL (value), TRUE);
          gtk_widget_add_css_class (value, "monospace");
        }
      else
        value = value_widget (self, field);
      add_info_row (self, info_row (item_title (field->name), field->name, value));
    }

  /* What process_info's items do not say as observer does. */
  flags = info->trace_flags[0] != NULL ? g_strjoinv (", ", info->trace_flags)
                                       : g_strdup (_("none"));
  {
    GtkWidget *value = wrapping_label (flags, 1.0);

    gtk_widget_add_css_class (value, "monospace");
    add_info_row (self, info_row (_("Trace flags"), "erlang:trace_info(Pid, flags)", value));
  }
  /* The binaries listed in an expander; none, in a row as the others. */
  if (info->n_binaries_listed > 0)
    add_info_row (self, binaries_row (self));
  else
    add_info_row (self, info_row (_("Binaries held"), "process_info(Pid, binary)",
                                  gtk_label_new (_("none"))));

  show_messages_count (self);
  show_stack (self);
  show_suspended (self);
}

static void load_visible_page (BeamProcessWindow *self);

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
  load_visible_page (self);
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

/* Info and the dictionary now; Messages and State when their page is
 * opened (asked again then, if they were shown before). */
void
beam_process_window_refresh (BeamProcessWindow *self)
{
  g_return_if_fail (BEAM_IS_PROCESS_WINDOW (self));

  self->messages_asked = FALSE;
  self->state_asked = FALSE;
  beam_process_info_fetch_async (connection (self), self->who, self->cancellable, info_done,
                                 g_object_ref (self));
  beam_process_dictionary_fetch_async (connection (self), self->who, FIRST_ENTRIES,
                                       self->cancellable, dictionary_done, g_object_ref (self));
}

/* ---- Trends ---------------------------------------------------------------------- */

static const char * const trend_titles[] = {
  [TREND_MEMORY] = N_("Memory"),
  [TREND_REDUCTIONS] = N_("Reductions"),
  [TREND_QUEUE] = N_("Message queue"),
};

static void
push_trend (BeamProcessWindow *self,
            Trend              trend,
            gint64             value)
{
  GArray *points = self->trends[trend];
  g_autofree char *text = NULL;

  if (points->len == TREND_POINTS)
    g_array_remove_index (points, 0);
  g_array_append_val (points, value);
  beam_sparkline_set_values (self->trend_lines[trend],
                             g_variant_new_fixed_array (G_VARIANT_TYPE_INT64, points->data,
                                                        points->len, sizeof (gint64)));
  switch (trend)
    {
    case TREND_MEMORY: text = beam_format_bytes (value); break;
    case TREND_REDUCTIONS: text = beam_format_count_per_second (value); break;
    case TREND_QUEUE: case N_TRENDS: default: text = beam_format_count (value); break;
    }
  gtk_label_set_label (self->trend_values[trend], text);
}

static gboolean sample_trends (gpointer user_data);

static void
sample_done (GObject      *object G_GNUC_UNUSED,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(BeamProcessWindow) self = user_data;
  g_autofree BeamProcessSample *sample = beam_process_sample_finish (result, NULL);
  gint64 now;

  self->sampling = FALSE;
  if (sample == NULL)
    return;  /* cancelled, or the process went: Info says which */
  push_trend (self, TREND_MEMORY, sample->memory);
  push_trend (self, TREND_QUEUE, sample->message_queue_len);
  /* Reductions are a counter: drawn as their rate, over the time between
   * the answers (the interval may have changed, or a slow node answered
   * late). */
  now = g_get_monotonic_time ();
  if (self->last_reductions >= 0 && now > self->last_sampled_us)
    push_trend (self, TREND_REDUCTIONS,
                MAX (sample->reductions - self->last_reductions, 0) * G_USEC_PER_SEC
                / (now - self->last_sampled_us));
  self->last_reductions = sample->reductions;
  self->last_sampled_us = now;
  self->samples++;
}

/* One light question every trend_interval_s while the window is open; one
 * at a time, so a slow node does not queue them up. */
static gboolean
sample_trends (gpointer user_data)
{
  BeamProcessWindow *self = user_data;

  if (!self->sampling && beam_node_get_connection (self->node) != NULL)
    {
      self->sampling = TRUE;
      beam_process_sample_async (connection (self), self->who, self->cancellable, sample_done,
                                 g_object_ref (self));
    }
  return G_SOURCE_CONTINUE;
}

/* The timer at the setting's interval, from now: a change applies at once. */
static void
schedule_trends (BeamProcessWindow *self)
{
  self->trend_interval_s = g_settings_get_uint (self->settings, "process-sample-interval");
  g_clear_handle_id (&self->trend_id, g_source_remove);
  self->trend_id = g_timeout_add_seconds (self->trend_interval_s, sample_trends, self);
}

static void
build_trends (BeamProcessWindow *self)
{
  for (guint i = 0; i < N_TRENDS; i++)
    {
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
      GtkWidget *title = gtk_label_new (_(trend_titles[i]));
      GtkWidget *value = gtk_label_new ("—");
      GtkWidget *line = beam_sparkline_new ();

      gtk_label_set_xalign (GTK_LABEL (title), 0.0);
      gtk_widget_add_css_class (title, "dim-label");
      gtk_widget_add_css_class (title, "caption");
      gtk_label_set_xalign (GTK_LABEL (value), 0.0);
      gtk_widget_add_css_class (value, "numeric");
      gtk_widget_add_css_class (value, "heading");
      gtk_widget_set_size_request (line, 60, 36);
      gtk_widget_add_css_class (line, "accent");
      gtk_accessible_update_property (GTK_ACCESSIBLE (line), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _(trend_titles[i]), -1);
      gtk_widget_set_tooltip_text (box, _("Sampled every 2 s while this window is open"));
      gtk_box_append (GTK_BOX (box), title);
      gtk_box_append (GTK_BOX (box), value);
      gtk_box_append (GTK_BOX (box), line);
      gtk_box_append (self->trends_box, box);
      self->trend_values[i] = GTK_LABEL (value);
      self->trend_lines[i] = BEAM_SPARKLINE (line);
      self->trends[i] = g_array_sized_new (FALSE, FALSE, sizeof (gint64), TREND_POINTS);
    }
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
  g_autofree char *shown = NULL;
  g_autofree char *count = NULL;
  g_autofree char *text = NULL;
  GStrvBuilder *builder;
  g_auto(GStrv) numbers = NULL;

  /* Cancelled: the window is going, its widgets with it. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->messages_loads++;
  gtk_widget_set_sensitive (GTK_WIDGET (self->messages_button), TRUE);
  if (messages == NULL)
    {
      show_error (self, error);
      return;
    }
  if (messages->count == 0)
    {
      gtk_stack_set_visible_child_name (self->messages_stack, "empty");
      beam_term_view_set_terms (self->messages_view, g_ptr_array_new (), NULL);
      return;
    }
  gtk_stack_set_visible_child_name (self->messages_stack, "list");
  shown = beam_format_count (messages->entries->len);
  count = beam_format_count (messages->count);
  if ((gint64) messages->entries->len == messages->count)
    text = g_strdup_printf (ngettext ("%s message", "All %s messages", messages->count), count);
  else
    text = g_strdup_printf (g_dngettext (NULL, "The first %s of %s message",
                                         "The first %s of %s messages", messages->count),
                            shown, count);
  gtk_label_set_label (self->messages_label, text);

  /* Numbered as they wait: 1 is the next one the process will read. */
  builder = g_strv_builder_new ();
  for (guint i = 0; i < messages->entries->len; i++)
    {
      g_autofree char *number = g_strdup_printf ("%u", i + 1);

      g_strv_builder_add (builder, number);
    }
  numbers = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  beam_term_view_set_terms (self->messages_view, g_steal_pointer (&messages->entries), numbers);

  /* More, ten times as many each time, only if asked. */
  if (messages->count > self->messages_limit && self->messages_limit < MAX_MESSAGES)
    {
      g_autofree char *next = NULL;
      g_autofree char *more = NULL;

      self->messages_limit = MIN (self->messages_limit * 10, MAX_MESSAGES);
      next = beam_format_count (self->messages_limit);
      more = g_strdup_printf (_("Load %s"), next);
      gtk_button_set_label (self->messages_button, more);
    }
  else
    gtk_button_set_label (self->messages_button, _("Reload"));
}

static void
on_load_messages (BeamProcessWindow *self)
{
  self->messages_asked = TRUE;
  gtk_widget_set_sensitive (GTK_WIDGET (self->messages_button), FALSE);
  gtk_label_set_label (self->messages_label, _("Loading…"));
  beam_process_messages_fetch_async (connection (self), self->who, self->messages_limit,
                                     self->cancellable, messages_done, g_object_ref (self));
}

/* ---- State and sys --------------------------------------------------------------- */

static void
add_statistic (BeamProcessWindow *self,
               int                row,
               const char        *title,
               const char        *value)
{
  GtkWidget *name = gtk_label_new (title);
  GtkWidget *label = gtk_label_new (value);

  gtk_label_set_xalign (GTK_LABEL (name), 0.0);
  gtk_widget_add_css_class (name, "dim-label");
  gtk_label_set_xalign (GTK_LABEL (label), 1.0);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_widget_add_css_class (label, "numeric");
  gtk_grid_attach (self->statistics_grid, name, 0, row, 1, 1);
  gtk_grid_attach (self->statistics_grid, label, 1, row, 1, 1);
}

static void
statistics_done (GObject      *object G_GNUC_UNUSED,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(BeamProcessWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(BeamProcessStatistics) statistics = NULL;
  GtkWidget *child;

  statistics = beam_process_statistics_fetch_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->statistics_loads++;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->statistics_grid))) != NULL)
    gtk_grid_remove (self->statistics_grid, child);
  /* Not an OTP process, or no answer: get_state's answer says so. */
  gtk_widget_set_visible (self->statistics_off_box, statistics != NULL &&
                                                    !statistics->collecting);
  gtk_widget_set_visible (GTK_WIDGET (self->statistics_grid), statistics != NULL &&
                                                              statistics->collecting);
  if (statistics != NULL && statistics->collecting)
    {
      g_autofree char *in = beam_format_count (statistics->messages_in);
      g_autofree char *out = beam_format_count (statistics->messages_out);
      g_autofree char *reductions = beam_format_count (statistics->reductions);

      GtkWidget *heading = gtk_label_new ("sys:statistics");

      gtk_label_set_xalign (GTK_LABEL (heading), 0.0);
      gtk_widget_add_css_class (heading, "heading");
      gtk_grid_attach (self->statistics_grid, heading, 0, 0, 2, 1);
      add_statistic (self, 1, _("Messages in"), in);
      add_statistic (self, 2, _("Messages out"), out);
      add_statistic (self, 3, _("Reductions"), reductions);
      add_statistic (self, 4, _("Start time"), statistics->start_time);
      add_statistic (self, 5, _("Current time"), statistics->current_time);
    }
}

static void update_otp (BeamProcessWindow *self,
                        Otp                otp);

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
  /* The Trace tab's sys tracing is for the processes sys was sent to. */
  if (request == BEAM_PROCESS_SYS_GET_STATE)
    update_otp (self, answer != NULL ||
                      g_error_matches (error, BEAM_PROCESS_INFO_ERROR,
                                       BEAM_PROCESS_INFO_ERROR_NO_ANSWER) ? OTP_YES : OTP_NO);
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
      return;
    case BEAM_PROCESS_SYS_SUSPEND:
      toast (self, _("Suspended: callers of this process wait until it is resumed"));
      break;
    case BEAM_PROCESS_SYS_RESUME:
      toast (self, _("Resumed"));
      break;
    case BEAM_PROCESS_SYS_STATISTICS_ON:
      toast (self, _("Statistics on: read them on the State page"));
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

/* The state and the statistics, each by sys, each only of a process found
 * waiting in an OTP loop (the probe's rule). */
static void
load_state (BeamProcessWindow *self)
{
  self->state_asked = TRUE;
  sys_request (self, BEAM_PROCESS_SYS_GET_STATE);
  beam_process_statistics_fetch_async (connection (self), self->who, SYS_TIMEOUT_MS,
                                       self->cancellable, statistics_done, g_object_ref (self));
}

/* Messages and State are asked when their page opens, not with Info: the
 * node copies a whole mailbox to send its first messages, and sys talks to
 * the process itself. A queue too long to copy lightly waits for Load. */
static void
load_visible_page (BeamProcessWindow *self)
{
  const char *page = adw_view_stack_get_visible_child_name (self->view_stack);

  if (self->info == NULL)
    return;
  if (g_strcmp0 (page, "messages") == 0 && !self->messages_asked &&
      self->info->message_queue_len <= BIG_QUEUE)
    {
      if (self->info->message_queue_len == 0)
        {
          /* Still asked: a message may have come since Info. */
          gtk_stack_set_visible_child_name (self->messages_stack, "empty");
        }
      on_load_messages (self);
    }
  else if (g_strcmp0 (page, "messages") == 0 && !self->messages_asked)
    gtk_stack_set_visible_child_name (self->messages_stack, "list");
  else if (g_strcmp0 (page, "state") == 0 && !self->state_asked)
    load_state (self);
  else if (g_strcmp0 (page, "trace") == 0 && self->otp == OTP_UNKNOWN && !self->state_asked)
    load_state (self);
}

/* ---- Trace ------------------------------------------------------------------------ */

static void
show_trace_note (BeamProcessWindow *self,
                 const char        *text,
                 gboolean           error)
{
  /* A plain label: the text may quote the node. */
  gtk_label_set_text (self->trace_label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->trace_label), text != NULL);
  if (error)
    gtk_widget_add_css_class (GTK_WIDGET (self->trace_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->trace_label), "error");
}

static gboolean
trace_running (BeamProcessWindow *self)
{
  BeamTraceState state;

  if (self->trace_session == NULL)
    return FALSE;
  state = beam_trace_session_get_state (self->trace_session);
  return state == BEAM_TRACE_STATE_STARTING || state == BEAM_TRACE_STATE_RUNNING ||
         state == BEAM_TRACE_STATE_STOPPING;
}

static void
update_trace_controls (BeamProcessWindow *self)
{
  gboolean writable = !beam_node_get_read_only (self->node);
  gboolean running = trace_running (self);

  gtk_widget_set_sensitive (GTK_WIDGET (self->trace_switch), writable);
  gtk_widget_set_visible (self->trace_calls_button, writable);
  gtk_widget_set_visible (self->trace_messages_button, writable);
  gtk_widget_set_sensitive (GTK_WIDGET (self->trace_limit_dropdown), !running);
  gtk_widget_set_sensitive (GTK_WIDGET (self->trace_count_spin), !running);
  gtk_widget_set_sensitive (self->trace_rate_box, !running);
  /* sys:log may turn the process's log on: not with --read-only, and not
   * into the list while a trace fills it. */
  gtk_widget_set_sensitive (self->trace_log_button, writable && !running);
  if (!writable)
    show_trace_note (self, _("Beamscope was started with --read-only: tracing sets flags on "
                             "the node, so it is off."), FALSE);
}

static void
update_otp (BeamProcessWindow *self,
            Otp                otp)
{
  self->otp = otp;
  gtk_stack_set_visible_child_name (self->trace_stack,
                                    otp == OTP_YES ? "trace"
                                    : otp == OTP_NO ? "not-otp" : "unknown");
}

/* A session asked to stop finishes its cleanup on its own; the window may
 * be gone by then. */
static void
release_when_ended (BeamTraceSession *session)
{
  if (beam_trace_session_get_state (session) == BEAM_TRACE_STATE_ENDED)
    {
      g_signal_handlers_disconnect_by_func (session, release_when_ended, NULL);
      g_object_unref (session);
    }
}

static void
drop_trace_session (BeamProcessWindow *self)
{
  BeamTraceSession *session = g_steal_pointer (&self->trace_session);

  if (session == NULL)
    return;
  g_signal_handlers_disconnect_by_data (session, self);
  if (beam_trace_session_get_state (session) == BEAM_TRACE_STATE_STARTING ||
      beam_trace_session_get_state (session) == BEAM_TRACE_STATE_RUNNING)
    beam_trace_session_stop (session);
  if (beam_trace_session_get_state (session) == BEAM_TRACE_STATE_STOPPING)
    g_signal_connect (session, "notify::state", G_CALLBACK (release_when_ended), NULL);
  else
    g_object_unref (session);
}

static void
on_trace_state_changed (BeamProcessWindow *self)
{
  if (beam_trace_session_get_state (self->trace_session) == BEAM_TRACE_STATE_ENDED)
    {
      BeamTraceEnd end = beam_trace_session_get_end (self->trace_session);
      const GError *error = beam_trace_session_get_error (self->trace_session);
      g_autofree char *described = beam_trace_session_describe_end (self->trace_session);

      if (end == BEAM_TRACE_END_REFUSED || end == BEAM_TRACE_END_FAILED)
        show_trace_note (self, error != NULL ? error->message : described, TRUE);
      /* Off by itself (its limit, the process gone): the switch says so. */
      gtk_switch_set_active (self->trace_switch, FALSE);
    }
  update_trace_controls (self);
}

static void
start_sys_trace (BeamProcessWindow *self)
{
  g_autoptr(BeamTraceSpec) spec = beam_trace_spec_new (BEAM_TRACE_SYS);
  g_autoptr(GError) error = NULL;

  beam_trace_spec_add_target (spec, self->who);
  if (gtk_drop_down_get_selected (self->trace_limit_dropdown) == 1)
    {
      spec->count = 0;
      spec->rate_events = gtk_spin_button_get_value_as_int (self->trace_rate_events_spin);
      spec->rate_ms = gtk_spin_button_get_value_as_int (self->trace_rate_ms_spin);
    }
  else
    spec->count = gtk_spin_button_get_value_as_int (self->trace_count_spin);
  if (beam_node_get_read_only (self->node) || connection (self) == NULL ||
      !beam_trace_spec_validate (spec, &error))
    {
      show_trace_note (self, error != NULL ? error->message
                                           : _("Beamscope was started with --read-only"), TRUE);
      gtk_switch_set_active (self->trace_switch, FALSE);
      return;
    }
  show_trace_note (self, NULL, FALSE);
  drop_trace_session (self);
  self->trace_session = beam_trace_session_new (connection (self), spec);
  g_signal_connect_object (self->trace_session, "notify::state",
                           G_CALLBACK (on_trace_state_changed), self, G_CONNECT_SWAPPED);
  beam_trace_view_clear (self->trace_view);
  beam_trace_view_set_session (self->trace_view, self->trace_session);
  beam_trace_session_start (self->trace_session);
  update_trace_controls (self);
}

/* The switch is the trace: on starts it, off stops it (the node removes
 * the debug function); a trace that ends by itself turns it off. */
static void
on_trace_switch_active (BeamProcessWindow *self)
{
  gboolean active = gtk_switch_get_active (self->trace_switch);

  if (active && !trace_running (self))
    start_sys_trace (self);
  else if (!active && trace_running (self) &&
           beam_trace_session_get_state (self->trace_session) != BEAM_TRACE_STATE_STOPPING)
    beam_trace_session_stop (self->trace_session);
  update_trace_controls (self);
}

static void
on_trace_limit_changed (BeamProcessWindow *self)
{
  gboolean rate = gtk_drop_down_get_selected (self->trace_limit_dropdown) == 1;

  gtk_widget_set_visible (GTK_WIDGET (self->trace_count_spin), !rate);
  gtk_widget_set_visible (self->trace_rate_box, rate);
}

static void
sys_log_done (GObject      *object G_GNUC_UNUSED,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(BeamProcessWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(BeamTraceSysLog) log = beam_trace_sys_log_finish (result, &error);
  g_autofree char *count = NULL;
  g_autofree char *text = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->sys_log_loads++;
  update_trace_controls (self);
  if (log == NULL)
    {
      show_trace_note (self, error->message, TRUE);
      return;
    }
  self->sys_log_ours = self->sys_log_ours || log->ours;
  /* The list shows the log now, in place of a trace that has ended. */
  beam_trace_view_set_session (self->trace_view, NULL);
  beam_trace_view_clear (self->trace_view);
  beam_trace_log_append (beam_trace_view_get_log (self->trace_view), log->events);
  count = beam_format_count (log->events->len);
  if (!log->was_on)
    text = g_strdup_printf (g_dngettext (NULL,
                                         "sys:log was off: it is on now and keeps the next %d "
                                         "event; Show Log again to read it",
                                         "sys:log was off: it is on now and keeps the next %d "
                                         "events; Show Log again to read them",
                                         gtk_spin_button_get_value_as_int (self->trace_count_spin)),
                            gtk_spin_button_get_value_as_int (self->trace_count_spin));
  else if (log->events->len == 0)
    text = g_strdup (_("sys:log is on, and has logged no event yet"));
  else
    text = g_strdup_printf (ngettext ("sys:log: the last event", "sys:log: the last %s events",
                                      log->events->len), count);
  show_trace_note (self, text, FALSE);
}

static void
on_show_sys_log (BeamProcessWindow *self)
{
  if (beam_node_get_read_only (self->node) || trace_running (self) || connection (self) == NULL)
    return;
  gtk_widget_set_sensitive (self->trace_log_button, FALSE);
  beam_trace_sys_log_async (connection (self), self->who,
                            gtk_spin_button_get_value_as_int (self->trace_count_spin),
                            self->cancellable, sys_log_done, g_object_ref (self));
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
  toast (self, done ? _("Exit signal sent") : error->message);
  beam_process_window_refresh (self);
}

static void
collect_done (GObject      *object G_GNUC_UNUSED,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(BeamProcessWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree BeamProcessCollected *collected = beam_process_collect_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (collected != NULL)
    {
      g_autofree char *before = beam_format_bytes (collected->before);
      g_autofree char *after = beam_format_bytes (collected->after);
      g_autofree char *text = g_strdup_printf (_("Garbage collected: %s → %s"), before, after);

      toast (self, text);
    }
  else
    toast (self, error->message);
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
      beam_process_collect_async (connection (self), self->who, self->cancellable,
                                  collect_done, g_object_ref (self));
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

/* What the kill dialog says of a typed reason, once the node has been asked
 * whether it names an atom (list_to_existing_atom: nothing is created). */
typedef struct
{
  GtkLabel     *hint;          /* weak */
  GCancellable *cancellable;
  char         *reason;
} ReasonCheck;

static void
reason_check_free (ReasonCheck *check)
{
  if (check->hint != NULL)
    g_object_remove_weak_pointer (G_OBJECT (check->hint), (gpointer *) &check->hint);
  g_clear_object (&check->cancellable);
  g_free (check->reason);
  g_free (check);
}

static void
reason_checked (GObject      *object G_GNUC_UNUSED,
                GAsyncResult *result,
                gpointer      user_data)
{
  ReasonCheck *check = user_data;
  g_autoptr(GError) error = NULL;
  gboolean exists = beam_process_atom_exists_finish (result, &error);
  g_autofree char *text = NULL;

  if (check->hint != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      if (error != NULL)
        text = g_strdup (error->message);
      else if (exists)
        text = g_strdup_printf (_("Sent as the atom %s, which the node knows."), check->reason);
      else
        text = g_strdup_printf (_("No atom %s exists on the node: the reason will be sent as "
                                  "the string \"%s\" (no atom is ever created)."),
                                check->reason, check->reason);
      gtk_label_set_label (check->hint, text);
    }
  reason_check_free (check);
}

static const char *
default_reason_hint (void)
{
  return _("Reason kill: it cannot be trapped. Another reason is sent as an atom only if the "
           "node has it already, else as a string.");
}

static gboolean
on_reason_pause (gpointer user_data)
{
  GtkWidget *dialog = user_data;
  BeamProcessWindow *self = g_object_get_data (G_OBJECT (dialog), "window");
  GtkEditable *entry = g_object_get_data (G_OBJECT (dialog), "reason");
  GtkLabel *hint = g_object_get_data (G_OBJECT (dialog), "reason-hint");
  GCancellable *previous = g_object_get_data (G_OBJECT (dialog), "reason-cancellable");
  g_autofree char *reason = g_strstrip (g_strdup (gtk_editable_get_text (entry)));
  ReasonCheck *check;

  g_object_steal_data (G_OBJECT (dialog), "reason-timeout");  /* this one: ending */
  if (previous != NULL)
    g_cancellable_cancel (previous);
  if (*reason == '\0')
    {
      gtk_label_set_label (hint, default_reason_hint ());
      return G_SOURCE_REMOVE;
    }
  check = g_new0 (ReasonCheck, 1);
  check->hint = hint;
  g_object_add_weak_pointer (G_OBJECT (hint), (gpointer *) &check->hint);
  check->cancellable = g_cancellable_new ();
  check->reason = g_steal_pointer (&reason);
  g_object_set_data_full (G_OBJECT (dialog), "reason-cancellable",
                          g_object_ref (check->cancellable), g_object_unref);
  beam_process_atom_exists_async (connection (self), check->reason, check->cancellable,
                                  reason_checked, check);
  return G_SOURCE_REMOVE;
}

static void
remove_source (gpointer id)
{
  g_source_remove (GPOINTER_TO_UINT (id));
}

static void
on_reason_changed (GtkEditable *entry G_GNUC_UNUSED,
                   GtkWidget   *dialog)
{
  guint id = g_timeout_add (REASON_CHECK_MS, on_reason_pause, dialog);

  /* Replacing the data removes the last pause's timer. */
  g_object_set_data_full (G_OBJECT (dialog), "reason-timeout", GUINT_TO_POINTER (id),
                          remove_source);
}

static void
on_kill_dialog_destroy (GtkWidget *dialog)
{
  GCancellable *pending = g_object_get_data (G_OBJECT (dialog), "reason-cancellable");

  g_object_set_data (G_OBJECT (dialog), "reason-timeout", NULL);
  if (pending != NULL)
    g_cancellable_cancel (pending);
}

/* "Name: beamscope_cache\nPid: <0.90.0>\nCurrent function: gen_server:loop/7" */
static char *
describe_process (BeamProcessWindow *self)
{
  GString *text = g_string_new (NULL);

  if (self->info == NULL)
    {
      g_string_append_printf (text, _("Process: %s"), self->who);
      return g_string_free (text, FALSE);
    }
  {
    g_autofree char *pid = beam_term_print (self->info->pid,
                                            &(BeamPrintOptions) { BEAM_SYNTAX_ERLANG,
                                                                  beam_node_get_name (self->node),
                                                                  0, 0 });

    g_string_append_printf (text, _("Name: %s"), self->info->registered_name != NULL
                                                 ? self->info->registered_name
                                                 : self->info->initial_call != NULL
                                                 ? self->info->initial_call : _("none"));
    g_string_append_c (text, '\n');
    g_string_append_printf (text, _("Pid: %s"), pid);
    g_string_append_c (text, '\n');
    g_string_append_printf (text, _("Current function: %s"),
                            self->info->current_function != NULL ? self->info->current_function
                                                                 : _("unknown"));
  }
  return g_string_free (text, FALSE);
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
      N_("exit(Pid, Reason): linked processes and supervisors react as they would in "
         "production."),
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
  g_autofree char *who = describe_process (self);
  g_autofree char *body = g_strdup_printf ("%s\n\n%s", who, _(texts[what].body));
  g_autofree char *heading = NULL;
  GtkWidget *dialog;

  /* The kill names its victim in the heading too. */
  if (what == CONFIRM_KILL && self->info != NULL && self->info->registered_name != NULL)
    heading = g_strdup_printf (_("Kill %s?"), self->info->registered_name);
  else
    heading = g_strdup (_(texts[what].heading));
  dialog = adw_message_dialog_new (GTK_WINDOW (self), heading, body);
  /* Wide enough for a current function to fit on its line. */
  gtk_window_set_default_size (GTK_WINDOW (dialog), 460, -1);
  gtk_window_set_destroy_with_parent (GTK_WINDOW (dialog), TRUE);

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
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
      GtkWidget *entry = gtk_entry_new ();
      GtkWidget *hint = wrapping_label (default_reason_hint (), 0.0);

      gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _("Reason: kill"));
      gtk_widget_set_name (hint, "reason-hint");
      gtk_widget_add_css_class (hint, "dim-label");
      gtk_widget_add_css_class (hint, "caption");
      gtk_label_set_max_width_chars (GTK_LABEL (hint), 50);
      gtk_box_append (GTK_BOX (box), entry);
      gtk_box_append (GTK_BOX (box), hint);
      adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), box);
      g_object_set_data (G_OBJECT (dialog), "reason", entry);
      g_object_set_data (G_OBJECT (dialog), "reason-hint", hint);
      g_object_set_data (G_OBJECT (dialog), "window", self);
      g_signal_connect (entry, "changed", G_CALLBACK (on_reason_changed), dialog);
      g_signal_connect (dialog, "destroy", G_CALLBACK (on_kill_dialog_destroy), NULL);
    }
  g_object_set_data (G_OBJECT (dialog), "what", GUINT_TO_POINTER (what));
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_confirmed), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---- actions --------------------------------------------------------------------- */

static const char * const mutating_actions[] = {
  "process.kill", "process.garbage-collect", "process.suspend", "process.resume",
  "process.statistics-on", "process.statistics-off",
  /* Tracing sets flags, patterns or a debug function on the node. */
  "process.trace-calls", "process.trace-messages", NULL,
};

/* The one place the window's actions are enabled or not: --read-only
 * leaves nothing that changes the process. */
static void
update_actions (BeamProcessWindow *self)
{
  gboolean writable = self->node != NULL && !beam_node_get_read_only (self->node);

  for (guint i = 0; mutating_actions[i] != NULL; i++)
    gtk_widget_action_set_enabled (GTK_WIDGET (self), mutating_actions[i], writable);
  /* Not even offered: --read-only shows what is, and nothing to change it. */
  gtk_widget_set_visible (self->statistics_enable_button, writable);
  gtk_widget_set_visible (self->resume_button, writable);
  /* --read-only hides them, as the README says: the menu holds only them. */
  gtk_widget_set_visible (GTK_WIDGET (self->actions_button), writable);
  update_trace_controls (self);
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
  load_state (BEAM_PROCESS_WINDOW (widget));
}

static void
statistics_get_action (GtkWidget  *widget,
                       const char *action_name G_GNUC_UNUSED,
                       GVariant   *parameter G_GNUC_UNUSED)
{
  BeamProcessWindow *self = BEAM_PROCESS_WINDOW (widget);

  beam_process_statistics_fetch_async (connection (self), self->who, SYS_TIMEOUT_MS,
                                       self->cancellable, statistics_done, g_object_ref (self));
}

/* This process's calls or messages in a Trace window, the form filled in. */
static void
trace_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter G_GNUC_UNUSED)
{
  BeamProcessWindow *self = BEAM_PROCESS_WINDOW (widget);

  if (beam_node_get_read_only (self->node))
    return;
  beam_trace_window_open (GTK_WINDOW (self), self->node,
                          g_str_equal (action_name, "process.trace-calls") ? BEAM_TRACE_CALLS
                                                                          : BEAM_TRACE_MESSAGES,
                          self->who);
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


/* The app's syntax for this node, until the window's own toggle is used. */
static void
follow_node_syntax (BeamProcessWindow *self)
{
  gtk_toggle_button_set_active (self->elixir_button,
                                beam_node_get_syntax (self->node) == BEAM_SYNTAX_ELIXIR);
}

static void
on_syntax_toggled (BeamProcessWindow *self)
{
  BeamSyntax syntax = current_syntax (self);

  beam_term_view_set_syntax (self->messages_view, syntax);
  beam_term_view_set_syntax (self->dictionary_view, syntax);
  beam_term_view_set_syntax (self->state_view, syntax);
  beam_trace_view_set_syntax (self->trace_view, syntax);
  if (self->info != NULL)
    show_info (self);
}

static void
on_page_changed (BeamProcessWindow *self)
{
  load_visible_page (self);
}

static void
beam_process_window_dispose (GObject *object)
{
  BeamProcessWindow *self = BEAM_PROCESS_WINDOW (object);

  g_clear_handle_id (&self->trend_id, g_source_remove);
  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  g_clear_object (&self->settings);
  g_cancellable_cancel (self->cancellable);
  /* Closing the window ends its sys trace, and the log we turned on. */
  if (self->trace_view != NULL)
    beam_trace_view_set_session (self->trace_view, NULL);
  drop_trace_session (self);
  if (self->sys_log_ours && self->node != NULL && connection (self) != NULL)
    beam_trace_sys_log_stop (connection (self), self->who);
  self->sys_log_ours = FALSE;
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
  g_free (self->last_toast);
  for (guint i = 0; i < N_TRENDS; i++)
    g_clear_pointer (&self->trends[i], g_array_unref);

  G_OBJECT_CLASS (beam_process_window_parent_class)->finalize (object);
}

static void
show_tab_number_action (GtkWidget  *widget,
                        const char *action_name G_GNUC_UNUSED,
                        GVariant   *parameter)
{
  beam_view_stack_show_number (BEAM_PROCESS_WINDOW (widget)->view_stack,
                               g_variant_get_int32 (parameter));
}

static void
step_tab_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter G_GNUC_UNUSED)
{
  beam_view_stack_step (BEAM_PROCESS_WINDOW (widget)->view_stack,
                        g_str_equal (action_name, "win.next-page") ? 1 : -1);
}

static void
beam_process_window_class_init (BeamProcessWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = beam_process_window_dispose;
  object_class->finalize = beam_process_window_finalize;

  g_type_ensure (BEAM_TYPE_TERM_VIEW);
  g_type_ensure (BEAM_TYPE_SPARKLINE);
  g_type_ensure (BEAM_TYPE_TRACE_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/beamscope/Beamscope/"
                                               "beam-process-window.ui");
  gtk_widget_class_bind_template_child (widget_class, BeamProcessWindow, actions_button);
  gtk_widget_class_bind_template_child (widget_class, BeamProcessWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, BeamProcessWindow, switcher_title);
  gtk_widget_class_bind_template_child (widget_class, BeamProcessWindow, switcher_bar);
  gtk_widget_class_bind_template_child (widget_class, BeamProcessWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, BeamProcessWindow, elixir_button);
  gtk_widget_class_bind_template_child (widget_class, BeamProcessWindow, error_label);
  gtk_widget_class_bind_template_child (widget_class, BeamProcessWindow, suspended_bar);
  gtk_widget_class_bind_template_child (widget_class, BeamProcessWindow, suspended_label);
  gtk_widget_class_bind_template_child (widget_class, BeamProcessWindow, resume_button);
  gtk_widget_class_bind_template_child (widget_class, BeamProcessWindow, trends_box);
  gtk_widget_class_bind_template_child (widget_class, BeamProcessWindow, info_list);
  gtk_widget_class_bind_template_child (widget_class, BeamProcessWindow, messages_stack);
  gtk_widget_class_bind_template_child (widget_class, BeamProcessWindow, statistics_off_box);
  gtk_widget_class_bind_template_child (widget_class, BeamProcessWindow,
                                        statistics_enable_button);
  gtk_widget_class_bind_template_child (widget_class, BeamProcessWindow, statistics_grid);
  gtk_widget_class_bind_template_child (widget_class, BeamProcessWindow, messages_label);
  gtk_widget_class_bind_template_child (widget_class, BeamProcessWindow, messages_button);
  gtk_widget_class_bind_template_child (widget_class, BeamProcessWindow, messages_view);
  gtk_widget_class_bind_template_child (widget_class, BeamProcessWindow, dictionary_view);
  gtk_widget_class_bind_template_child (widget_class, BeamProcessWindow, stack_list);
  gtk_widget_class_bind_template_child (widget_class, BeamProcessWindow, state_label);
  gtk_widget_class_bind_template_child (widget_class, BeamProcessWindow, state_view);
  gtk_widget_class_bind_template_child (widget_class, BeamProcessWindow, trace_stack);
  gtk_widget_class_bind_template_child (widget_class, BeamProcessWindow, trace_switch);
  gtk_widget_class_bind_template_child (widget_class, BeamProcessWindow, trace_limit_dropdown);
  gtk_widget_class_bind_template_child (widget_class, BeamProcessWindow, trace_count_spin);
  gtk_widget_class_bind_template_child (widget_class, BeamProcessWindow, trace_rate_box);
  gtk_widget_class_bind_template_child (widget_class, BeamProcessWindow, trace_rate_events_spin);
  gtk_widget_class_bind_template_child (widget_class, BeamProcessWindow, trace_rate_ms_spin);
  gtk_widget_class_bind_template_child (widget_class, BeamProcessWindow, trace_log_button);
  gtk_widget_class_bind_template_child (widget_class, BeamProcessWindow, trace_label);
  gtk_widget_class_bind_template_child (widget_class, BeamProcessWindow, trace_calls_button);
  gtk_widget_class_bind_template_child (widget_class, BeamProcessWindow, trace_messages_button);
  gtk_widget_class_bind_template_child (widget_class, BeamProcessWindow, trace_view);
  gtk_widget_class_bind_template_callback (widget_class, on_trace_switch_active);
  gtk_widget_class_bind_template_callback (widget_class, on_trace_limit_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_show_sys_log);
  gtk_widget_class_bind_template_callback (widget_class, on_load_messages);
  gtk_widget_class_bind_template_callback (widget_class, on_syntax_toggled);
  gtk_widget_class_bind_template_callback (widget_class, on_page_changed);

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
  gtk_widget_class_install_action (widget_class, "process.trace-calls", NULL, trace_action);
  gtk_widget_class_install_action (widget_class, "process.trace-messages", NULL, trace_action);
  gtk_widget_class_install_action (widget_class, "win.open-process", "s", open_process_action);
  /* The application's Alt+1…9 and Ctrl+Page Up/Down, for the tabs here. */
  gtk_widget_class_install_action (widget_class, "win.show-page-number", "i",
                                   show_tab_number_action);
  gtk_widget_class_install_action (widget_class, "win.previous-page", NULL, step_tab_action);
  gtk_widget_class_install_action (widget_class, "win.next-page", NULL, step_tab_action);
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
  self->last_reductions = -1;
  build_trends (self);
}

BeamProcessWindow *
beam_process_window_new (BeamNode   *node,
                         const char *who)
{
  BeamProcessWindow *self;
  g_autofree char *title = NULL;
  g_autofree char *shown = NULL;

  g_return_val_if_fail (BEAM_IS_NODE (node), NULL);
  g_return_val_if_fail (who != NULL, NULL);

  self = g_object_new (BEAM_TYPE_PROCESS_WINDOW, NULL);
  self->node = g_object_ref (node);
  /* It closes with the node's window (beam_node_close). */
  g_signal_connect_object (node, "closed", G_CALLBACK (gtk_window_destroy), self,
                           G_CONNECT_SWAPPED);
  self->who = g_strdup (who);
  shown = beam_node_dup_display_name (node, who);
  title = g_strdup_printf (_("%s on %s"), shown, beam_node_get_name (node));
  gtk_window_set_title (GTK_WINDOW (self), title);
  adw_view_switcher_title_set_title (self->switcher_title, shown);
  beam_term_view_set_local_node (self->messages_view, beam_node_get_name (node));
  beam_term_view_set_local_node (self->dictionary_view, beam_node_get_name (node));
  beam_term_view_set_local_node (self->state_view, beam_node_get_name (node));
  beam_trace_view_set_node (self->trace_view, node);
  beam_trace_view_set_show_lines (self->trace_view, TRUE);

  update_actions (self);
  follow_node_syntax (self);
  g_signal_connect_object (node, "notify::elixir-syntax", G_CALLBACK (follow_node_syntax), self,
                           G_CONNECT_SWAPPED);

  beam_process_window_refresh (self);
  sample_trends (self);
  self->settings = g_settings_new (SETTINGS_SCHEMA_ID);
  g_signal_connect_swapped (self->settings, "changed::process-sample-interval",
                            G_CALLBACK (schedule_trends), self);
  schedule_trends (self);
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
beam_process_window_get_last_toast (BeamProcessWindow *self)
{
  g_return_val_if_fail (BEAM_IS_PROCESS_WINDOW (self), NULL);
  return self->last_toast;
}

guint
beam_process_window_get_messages_loads (BeamProcessWindow *self)
{
  g_return_val_if_fail (BEAM_IS_PROCESS_WINDOW (self), 0);
  return self->messages_loads;
}

guint
beam_process_window_get_statistics_loads (BeamProcessWindow *self)
{
  g_return_val_if_fail (BEAM_IS_PROCESS_WINDOW (self), 0);
  return self->statistics_loads;
}

guint
beam_process_window_get_samples (BeamProcessWindow *self)
{
  g_return_val_if_fail (BEAM_IS_PROCESS_WINDOW (self), 0);
  return self->samples;
}

/* Which of the Messages page's two faces shows: "empty" or "list". */
guint
beam_process_window_get_sample_interval (BeamProcessWindow *self)
{
  g_return_val_if_fail (BEAM_IS_PROCESS_WINDOW (self), 0);
  return self->trend_interval_s;
}

const char *
beam_process_window_get_messages_face (BeamProcessWindow *self)
{
  g_return_val_if_fail (BEAM_IS_PROCESS_WINDOW (self), NULL);
  return gtk_stack_get_visible_child_name (self->messages_stack);
}

gboolean
beam_process_window_get_suspended_shown (BeamProcessWindow *self)
{
  g_return_val_if_fail (BEAM_IS_PROCESS_WINDOW (self), FALSE);
  return gtk_widget_get_visible (self->suspended_bar);
}

/* The statistics table's cells as "name\tvalue" lines, or NULL while off. */
char *
beam_process_window_dup_statistics (BeamProcessWindow *self)
{
  GString *text;

  g_return_val_if_fail (BEAM_IS_PROCESS_WINDOW (self), NULL);
  if (!gtk_widget_get_visible (GTK_WIDGET (self->statistics_grid)))
    return NULL;
  text = g_string_new (NULL);
  for (int row = 1; gtk_grid_get_child_at (self->statistics_grid, 0, row) != NULL; row++)
    g_string_append_printf (text, "%s\t%s\n",
                            gtk_label_get_label (GTK_LABEL (gtk_grid_get_child_at (
                              self->statistics_grid, 0, row))),
                            gtk_label_get_label (GTK_LABEL (gtk_grid_get_child_at (
                              self->statistics_grid, 1, row))));
  return g_string_free (text, FALSE);
}

gboolean
beam_process_window_get_statistics_off_shown (BeamProcessWindow *self)
{
  g_return_val_if_fail (BEAM_IS_PROCESS_WINDOW (self), FALSE);
  return gtk_widget_get_visible (self->statistics_off_box);
}

gboolean
beam_process_window_get_statistics_enable_shown (BeamProcessWindow *self)
{
  g_return_val_if_fail (BEAM_IS_PROCESS_WINDOW (self), FALSE);
  return gtk_widget_get_visible (self->statistics_enable_button);
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

const char *
beam_process_window_get_trace_face (BeamProcessWindow *self)
{
  g_return_val_if_fail (BEAM_IS_PROCESS_WINDOW (self), NULL);
  return gtk_stack_get_visible_child_name (self->trace_stack);
}

void
beam_process_window_set_sys_trace (BeamProcessWindow *self,
                                   gboolean           on)
{
  g_return_if_fail (BEAM_IS_PROCESS_WINDOW (self));
  gtk_switch_set_active (self->trace_switch, on);
}

BeamTraceView *
beam_process_window_get_trace_view (BeamProcessWindow *self)
{
  g_return_val_if_fail (BEAM_IS_PROCESS_WINDOW (self), NULL);
  return self->trace_view;
}

BeamTraceSession *
beam_process_window_get_trace_session (BeamProcessWindow *self)
{
  g_return_val_if_fail (BEAM_IS_PROCESS_WINDOW (self), NULL);
  return self->trace_session;
}

/* What the line over the Trace tab's list says, or NULL while hidden. */
const char *
beam_process_window_get_trace_note (BeamProcessWindow *self)
{
  g_return_val_if_fail (BEAM_IS_PROCESS_WINDOW (self), NULL);
  if (!gtk_widget_get_visible (GTK_WIDGET (self->trace_label)))
    return NULL;
  return gtk_label_get_text (self->trace_label);
}

void
beam_process_window_show_sys_log (BeamProcessWindow *self)
{
  g_return_if_fail (BEAM_IS_PROCESS_WINDOW (self));
  on_show_sys_log (self);
}

guint
beam_process_window_get_sys_log_loads (BeamProcessWindow *self)
{
  g_return_val_if_fail (BEAM_IS_PROCESS_WINDOW (self), 0);
  return self->sys_log_loads;
}
