/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the canvas does with the pointer and the keys: a click selects,
 * expands a summary box or asks for more children, a drag or the wheel pans,
 * Ctrl+wheel and a pinch zoom, arrows move the selection along the tree.
 * What a node opens is the page's: the input emits the widget's signals. */

#define G_LOG_DOMAIN "beamscope-widgets"

#include "config.h"

#include <math.h>

#include "beam-supervision-canvas-internal.h"

/* ---- input --------------------------------------------------------------------- */

static void
on_click_pressed (GtkGestureClick       *gesture,
                  int                    n_press,
                  double                 x,
                  double                 y,
                  BeamSupervisionCanvas *self)
{
  guint button = gtk_gesture_single_get_current_button (GTK_GESTURE_SINGLE (gesture));
  guint index;
  const Box *box;

  gtk_widget_grab_focus (GTK_WIDGET (self));
  if (self->tree == NULL)
    return;
  index = _beam_canvas_box_at (self, self->view_x + x / self->zoom, self->view_y + y / self->zoom);
  if (index == NO_BOX)
    return;
  box = &g_array_index (self->boxes, Box, index);
  if (box->kind == _BEAM_CANVAS_BOX_SUMMARY && button == GDK_BUTTON_PRIMARY)
    {
      _beam_canvas_set_expanded (self, box->node, TRUE);
      return;
    }
  if (box->kind == _BEAM_CANVAS_BOX_MORE && button == GDK_BUTTON_PRIMARY &&
      _beam_canvas_node_at (self, box->node)->status == BEAM_SUPERVISOR_COUNTED)
    {
      g_signal_emit (self, _beam_canvas_signals[FETCH_MORE], 0, box->node);
      return;
    }
  if (box->kind != _BEAM_CANVAS_BOX_NODE)
    return;
  _beam_canvas_select_node (self, box->node, FALSE);
  if (button == GDK_BUTTON_SECONDARY)
    {
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
      g_signal_emit (self, _beam_canvas_signals[CONTEXT_MENU], 0, box->node, x, y);
    }
  else if (button == GDK_BUTTON_PRIMARY && n_press == 2)
    g_signal_emit (self, _beam_canvas_signals[ACTIVATE_NODE], 0, box->node);
}

static void
on_drag_begin (GtkGestureDrag        *gesture,
               double                 x G_GNUC_UNUSED,
               double                 y G_GNUC_UNUSED,
               BeamSupervisionCanvas *self)
{
  if (gtk_gesture_single_get_current_button (GTK_GESTURE_SINGLE (gesture)) ==
      GDK_BUTTON_SECONDARY)
    {
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_DENIED);
      return;
    }
  self->drag_view_x = self->view_x;
  self->drag_view_y = self->view_y;
}

static void
on_drag_update (GtkGestureDrag        *gesture G_GNUC_UNUSED,
                double                 offset_x,
                double                 offset_y,
                BeamSupervisionCanvas *self)
{
  if (fabs (offset_x) + fabs (offset_y) > 2)
    gtk_widget_set_cursor_from_name (GTK_WIDGET (self), "grabbing");
  _beam_canvas_set_view (self, self->drag_view_x - offset_x / self->zoom,
                         self->drag_view_y - offset_y / self->zoom, self->zoom);
}

static void
on_drag_end (GtkGestureDrag        *gesture G_GNUC_UNUSED,
             double                 offset_x G_GNUC_UNUSED,
             double                 offset_y G_GNUC_UNUSED,
             BeamSupervisionCanvas *self)
{
  gtk_widget_set_cursor (GTK_WIDGET (self), NULL);
}

static gboolean
on_scroll (GtkEventControllerScroll *controller,
           double                    dx,
           double                    dy,
           BeamSupervisionCanvas    *self)
{
  GdkModifierType state =
    gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (controller));
  gboolean wheel = gtk_event_controller_scroll_get_unit (controller) == GDK_SCROLL_UNIT_WHEEL;

  if (self->tree == NULL)
    return FALSE;
  if (state & GDK_CONTROL_MASK)
    {
      double x = self->pointer_x, y = self->pointer_y;

      if (x < 0)
        {
          x = gtk_widget_get_width (GTK_WIDGET (self)) / 2.0;
          y = gtk_widget_get_height (GTK_WIDGET (self)) / 2.0;
        }
      _beam_canvas_zoom_at (self, self->zoom * (wheel ? pow (ZOOM_STEP, -dy) : exp (-dy / 100)),
                            x, y);
      return TRUE;
    }
  if ((state & GDK_SHIFT_MASK) && dx == 0)
    {
      dx = dy;
      dy = 0;
    }
  if (wheel)
    {
      dx *= SCROLL_STEP;
      dy *= SCROLL_STEP;
    }
  _beam_canvas_set_view (self, self->view_x + dx / self->zoom, self->view_y + dy / self->zoom,
                         self->zoom);
  return TRUE;
}

static void
on_pinch_begin (GtkGesture            *gesture G_GNUC_UNUSED,
                GdkEventSequence      *sequence G_GNUC_UNUSED,
                BeamSupervisionCanvas *self)
{
  self->pinch_zoom = self->zoom;
}

static void
on_pinch_scale_changed (GtkGestureZoom        *gesture,
                        double                 scale,
                        BeamSupervisionCanvas *self)
{
  double x, y;

  if (!gtk_gesture_get_bounding_box_center (GTK_GESTURE (gesture), &x, &y))
    return;
  _beam_canvas_zoom_at (self, self->pinch_zoom * scale, x, y);
}

static void
on_motion (GtkEventControllerMotion *controller G_GNUC_UNUSED,
           double                    x,
           double                    y,
           BeamSupervisionCanvas    *self)
{
  self->pointer_x = x;
  self->pointer_y = y;
}

static void
on_leave (GtkEventControllerMotion *controller G_GNUC_UNUSED,
          BeamSupervisionCanvas    *self)
{
  self->pointer_x = self->pointer_y = -1;
}

/* The selection's siblings: a parent's shown children, or the roots. */
static void
move_to_sibling (BeamSupervisionCanvas *self,
                 int                    step)
{
  guint parent = _beam_canvas_parent_of (self, self->selected);
  const guint *siblings = _beam_canvas_children_of (self, parent);
  guint n = _beam_canvas_n_children (self, parent);

  if (parent != NO_NODE && _beam_canvas_is_collapsed (self, parent))
    return;
  for (guint i = 0; i < n; i++)
    if (siblings[i] == self->selected)
      {
        if ((step < 0 && i > 0) || (step > 0 && i + 1 < n))
          _beam_canvas_select_node (self, siblings[i + step], TRUE);
        return;
      }
}

static gboolean
on_arrow (GtkWidget *widget,
          GVariant  *args,
          gpointer   user_data G_GNUC_UNUSED)
{
  BeamSupervisionCanvas *self = BEAM_SUPERVISION_CANVAS (widget);
  guint key = g_variant_get_uint32 (args);

  if (self->tree == NULL || self->tree->n_nodes == 0)
    return FALSE;
  if (self->selected == NO_NODE)
    {
      _beam_canvas_select_node (self, self->n_roots > 0 ? self->roots[0] : 0, TRUE);
      return TRUE;
    }
  switch (key)
    {
    case GDK_KEY_Left:
      if (_beam_canvas_parent_of (self, self->selected) != NO_NODE)
        _beam_canvas_select_node (self, _beam_canvas_parent_of (self, self->selected), TRUE);
      break;
    case GDK_KEY_Right:
      if (_beam_canvas_n_children (self, self->selected) > 0)
        {
          if (_beam_canvas_is_collapsed (self, self->selected))
            _beam_canvas_set_expanded (self, self->selected, TRUE);
          _beam_canvas_select_node (self, _beam_canvas_children_of (self, self->selected)[0], TRUE);
        }
      break;
    case GDK_KEY_Up:
      move_to_sibling (self, -1);
      break;
    case GDK_KEY_Down:
      move_to_sibling (self, 1);
      break;
    default:
      g_assert_not_reached ();
    }
  return TRUE;
}

static gboolean
on_activate_key (GtkWidget *widget,
                 GVariant  *args G_GNUC_UNUSED,
                 gpointer   user_data G_GNUC_UNUSED)
{
  BeamSupervisionCanvas *self = BEAM_SUPERVISION_CANVAS (widget);

  if (self->selected == NO_NODE)
    return FALSE;
  g_signal_emit (self, _beam_canvas_signals[ACTIVATE_NODE], 0, self->selected);
  return TRUE;
}

static gboolean
on_expand_key (GtkWidget *widget,
               GVariant  *args,
               gpointer   user_data G_GNUC_UNUSED)
{
  BeamSupervisionCanvas *self = BEAM_SUPERVISION_CANVAS (widget);

  if (self->selected == NO_NODE || !_beam_canvas_can_collapse (self, self->selected))
    return FALSE;
  _beam_canvas_set_expanded (self, self->selected, g_variant_get_boolean (args));
  return TRUE;
}

/* The menu key: the page's menu at the selected box. */
static gboolean
on_menu_key (GtkWidget *widget,
             GVariant  *args G_GNUC_UNUSED,
             gpointer   user_data G_GNUC_UNUSED)
{
  BeamSupervisionCanvas *self = BEAM_SUPERVISION_CANVAS (widget);
  const Box *box;

  if (self->selected == NO_NODE || self->node_box[self->selected] == NO_BOX)
    return FALSE;
  box = &g_array_index (self->boxes, Box, self->node_box[self->selected]);
  g_signal_emit (self, _beam_canvas_signals[CONTEXT_MENU], 0, self->selected,
                 _beam_canvas_screen_x (self, _beam_canvas_box_left (box) + BOX_WIDTH / 2),
                 _beam_canvas_screen_y (self, _beam_canvas_row_centre (box->row)));
  return TRUE;
}

static void
add_arrow_binding (GtkWidgetClass *widget_class,
                   guint           key,
                   guint           keypad_key)
{
  gtk_widget_class_add_binding (widget_class, key, 0, on_arrow, "u", key);
  gtk_widget_class_add_binding (widget_class, keypad_key, 0, on_arrow, "u", key);
}

/* The key bindings, from beam_supervision_canvas_class_init(). */
void
_beam_canvas_input_class_init (GtkWidgetClass *widget_class)
{
  add_arrow_binding (widget_class, GDK_KEY_Left, GDK_KEY_KP_Left);
  add_arrow_binding (widget_class, GDK_KEY_Right, GDK_KEY_KP_Right);
  add_arrow_binding (widget_class, GDK_KEY_Up, GDK_KEY_KP_Up);
  add_arrow_binding (widget_class, GDK_KEY_Down, GDK_KEY_KP_Down);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_Return, 0, on_activate_key, NULL);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_KP_Enter, 0, on_activate_key, NULL);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_space, 0, on_activate_key, NULL);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_Menu, 0, on_menu_key, NULL);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_F10, GDK_SHIFT_MASK, on_menu_key, NULL);
  /* Expand and collapse a big supervisor, as in a tree view. */
  gtk_widget_class_add_binding (widget_class, GDK_KEY_plus, 0, on_expand_key, "b", TRUE);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_KP_Add, 0, on_expand_key, "b", TRUE);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_minus, 0, on_expand_key, "b", FALSE);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_KP_Subtract, 0, on_expand_key, "b",
                                FALSE);
}

/* The gestures and controllers, from beam_supervision_canvas_init(). */
void
_beam_canvas_input_init (BeamSupervisionCanvas *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  GtkGesture *click = gtk_gesture_click_new ();
  GtkGesture *drag = gtk_gesture_drag_new ();
  GtkGesture *pinch = gtk_gesture_zoom_new ();
  GtkEventController *scroll =
    gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_BOTH_AXES);
  GtkEventController *motion = gtk_event_controller_motion_new ();

  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), 0);
  g_signal_connect (click, "pressed", G_CALLBACK (on_click_pressed), self);
  gtk_widget_add_controller (widget, GTK_EVENT_CONTROLLER (click));
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (drag), 0);
  g_signal_connect (drag, "drag-begin", G_CALLBACK (on_drag_begin), self);
  g_signal_connect (drag, "drag-update", G_CALLBACK (on_drag_update), self);
  g_signal_connect (drag, "drag-end", G_CALLBACK (on_drag_end), self);
  gtk_widget_add_controller (widget, GTK_EVENT_CONTROLLER (drag));
  g_signal_connect (pinch, "begin", G_CALLBACK (on_pinch_begin), self);
  g_signal_connect (pinch, "scale-changed", G_CALLBACK (on_pinch_scale_changed), self);
  gtk_widget_add_controller (widget, GTK_EVENT_CONTROLLER (pinch));
  g_signal_connect (scroll, "scroll", G_CALLBACK (on_scroll), self);
  gtk_widget_add_controller (widget, scroll);
  g_signal_connect (motion, "motion", G_CALLBACK (on_motion), self);
  g_signal_connect (motion, "leave", G_CALLBACK (on_leave), self);
  gtk_widget_add_controller (widget, motion);
}
