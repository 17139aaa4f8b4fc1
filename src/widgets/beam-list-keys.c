/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tab out of a list, and type-to-filter. GTK 4.12 has a tab behaviour for
 * list views; on 4.8 a list is left by making it unfocusable for the one
 * focus move, so the window's focus chain goes on past it. */

#define G_LOG_DOMAIN "beamscope-widgets"

#include "config.h"

#include "beam-list-keys.h"

static gboolean
leave_list (GtkWidget *list,
            GVariant  *args,
            gpointer   user_data G_GNUC_UNUSED)
{
  GtkDirectionType direction = g_variant_get_int32 (args);
  GtkRoot *root = gtk_widget_get_root (list);
  gboolean moved;

  if (root == NULL)
    return FALSE;
  /* can-focus FALSE covers the list's rows and headers too, so the move
   * goes to the widget after (or before) the list, or wraps round. */
  gtk_widget_set_can_focus (list, FALSE);
  moved = gtk_widget_child_focus (GTK_WIDGET (root), direction);
  gtk_widget_set_can_focus (list, TRUE);
  return moved;
}

static void
on_search_started (GtkSearchEntry *search)
{
  /* Typing went to the filter while the list had the focus: the filter
   * takes it, so the text is seen being typed and Backspace edits it. */
  gtk_widget_grab_focus (GTK_WIDGET (search));
  gtk_editable_set_position (GTK_EDITABLE (search), -1);
}

void
beam_list_keys_attach (GtkWidget *list)
{
  GtkEventController *controller;
  GtkShortcutController *shortcuts;

  g_return_if_fail (GTK_IS_WIDGET (list));

  /* Capture: the list's own Tab handling (one row per press) never sees it. */
  controller = gtk_shortcut_controller_new ();
  shortcuts = GTK_SHORTCUT_CONTROLLER (controller);
  gtk_event_controller_set_name (controller, "beam-list-keys");
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  gtk_shortcut_controller_add_shortcut (shortcuts,
    gtk_shortcut_new_with_arguments (
      gtk_alternative_trigger_new (gtk_keyval_trigger_new (GDK_KEY_Tab, 0),
                                   gtk_keyval_trigger_new (GDK_KEY_KP_Tab, 0)),
      gtk_callback_action_new (leave_list, NULL, NULL),
      "i", GTK_DIR_TAB_FORWARD));
  gtk_shortcut_controller_add_shortcut (shortcuts,
    gtk_shortcut_new_with_arguments (
      gtk_alternative_trigger_new (gtk_keyval_trigger_new (GDK_KEY_ISO_Left_Tab, GDK_SHIFT_MASK),
                                   gtk_keyval_trigger_new (GDK_KEY_Tab, GDK_SHIFT_MASK)),
      gtk_callback_action_new (leave_list, NULL, NULL),
      "i", GTK_DIR_TAB_BACKWARD));
  gtk_widget_add_controller (list, controller);
}

void
beam_list_keys_type_to_search (GtkSearchEntry *search,
                               GtkWidget      *where)
{
  g_return_if_fail (GTK_IS_SEARCH_ENTRY (search));
  g_return_if_fail (GTK_IS_WIDGET (where));

  gtk_search_entry_set_key_capture_widget (search, where);
  g_signal_connect (search, "search-started", G_CALLBACK (on_search_started), NULL);
}

static GtkWidget *
find_search (GtkWidget *widget)
{
  if (!gtk_widget_get_mapped (widget))
    return NULL;
  if (GTK_IS_SEARCH_ENTRY (widget))
    return gtk_widget_is_sensitive (widget) ? widget : NULL;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_search (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

gboolean
beam_list_keys_focus_search (GtkWidget *widget)
{
  GtkWidget *search;

  g_return_val_if_fail (GTK_IS_WIDGET (widget), FALSE);

  if ((search = find_search (widget)) == NULL)
    return FALSE;
  gtk_widget_grab_focus (search);
  gtk_editable_select_region (GTK_EDITABLE (search), 0, -1);
  return TRUE;
}

typedef struct
{
  char      *action_name;
  GtkWidget *only_when_visible;  /* inside the window: lives as long */
} Slash;

static void
slash_free (gpointer data)
{
  Slash *slash = data;

  g_free (slash->action_name);
  g_free (slash);
}

static gboolean
slash_pressed (GtkWidget *window,
               GVariant  *args G_GNUC_UNUSED,
               gpointer   user_data)
{
  Slash *slash = user_data;
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (window));

  if (focus != NULL && (GTK_IS_EDITABLE (focus) || GTK_IS_TEXT_VIEW (focus)))
    return FALSE;
  if (slash->only_when_visible != NULL && !gtk_widget_is_visible (slash->only_when_visible))
    return FALSE;
  return gtk_widget_activate_action (window, slash->action_name, NULL);
}

void
beam_list_keys_add_slash (GtkWidget  *window,
                          const char *action_name,
                          GtkWidget  *only_when_visible)
{
  GtkEventController *keys = gtk_shortcut_controller_new ();
  Slash *slash = g_new0 (Slash, 1);

  slash->action_name = g_strdup (action_name);
  slash->only_when_visible = only_when_visible;
  gtk_event_controller_set_name (keys, "beam-slash-keys");
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (keys),
    gtk_shortcut_new (gtk_alternative_trigger_new (gtk_keyval_trigger_new (GDK_KEY_slash, 0),
                                                   gtk_keyval_trigger_new (GDK_KEY_KP_Divide, 0)),
                      gtk_callback_action_new (slash_pressed, slash, slash_free)));
  gtk_widget_add_controller (window, keys);
}
