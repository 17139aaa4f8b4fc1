/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The widget: its view (pan and zoom), selection, search and marks, its
 * properties, signals, actions and public API. The boxes it shows are laid
 * out by beam-supervision-canvas-layout.c and drawn by
 * beam-supervision-canvas-draw.c; the files share
 * beam-supervision-canvas-internal.h. */

#define G_LOG_DOMAIN "beamscope-widgets"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "beam-supervision-canvas-internal.h"

G_DEFINE_FINAL_TYPE (BeamSupervisionCanvas, beam_supervision_canvas, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_SELECTED,
  PROP_N_MATCHES,
  PROP_ZOOM,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

guint _beam_canvas_signals[N_SIGNALS];

/* ---- the view ------------------------------------------------------------------ */

static double
fit_zoom (BeamSupervisionCanvas *self)
{
  double width = gtk_widget_get_width (GTK_WIDGET (self));
  double height = gtk_widget_get_height (GTK_WIDGET (self));

  if (width <= 0 || height <= 0)
    return 1.0;
  return MIN (1.0, MIN (width / _beam_canvas_bounds_width (self),
                        height / _beam_canvas_bounds_height (self)));
}

static double
min_zoom (BeamSupervisionCanvas *self)
{
  return MIN (ZOOM_MIN, fit_zoom (self));
}

static void
update_actions (BeamSupervisionCanvas *self)
{
  GtkWidget *widget = GTK_WIDGET (self);

  gtk_widget_action_set_enabled (widget, "canvas.zoom-in",
                                 self->tree != NULL && self->zoom < ZOOM_MAX);
  gtk_widget_action_set_enabled (widget, "canvas.zoom-out",
                                 self->tree != NULL && self->zoom > min_zoom (self) * 1.0001);
  gtk_widget_action_set_enabled (widget, "canvas.zoom-fit", self->tree != NULL);
}

/* Keeps the tree on screen: where it is wider than the view, no further than
 * its edges; where narrower, wholly inside it. */
static void
clamp_axis (double *view,
            double  extent,
            double  shown)
{
  double low = MIN (0, extent - shown);
  double high = MAX (0, extent - shown);

  *view = CLAMP (*view, low, high);
}

void
_beam_canvas_set_view (BeamSupervisionCanvas *self,
                       double                 x,
                       double                 y,
                       double                 zoom)
{
  double width = gtk_widget_get_width (GTK_WIDGET (self));
  double height = gtk_widget_get_height (GTK_WIDGET (self));
  gboolean zoom_changed;

  zoom = CLAMP (zoom, min_zoom (self), ZOOM_MAX);
  zoom_changed = zoom != self->zoom;
  self->zoom = zoom;
  self->view_x = x;
  self->view_y = y;
  if (width > 0 && height > 0)
    {
      clamp_axis (&self->view_x, _beam_canvas_bounds_width (self), width / zoom);
      clamp_axis (&self->view_y, _beam_canvas_bounds_height (self), height / zoom);
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
  if (zoom_changed)
    {
      update_actions (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM]);
    }
}

/* Zooms keeping the canvas point under widget point (x, y) where it is. */
void
_beam_canvas_zoom_at (BeamSupervisionCanvas *self,
                      double                 zoom,
                      double                 x,
                      double                 y)
{
  double canvas_x = self->view_x + x / self->zoom;
  double canvas_y = self->view_y + y / self->zoom;

  zoom = CLAMP (zoom, min_zoom (self), ZOOM_MAX);
  _beam_canvas_set_view (self, canvas_x - x / zoom, canvas_y - y / zoom, zoom);
}

static void
zoom_by (BeamSupervisionCanvas *self,
         double                 factor)
{
  double x = gtk_widget_get_width (GTK_WIDGET (self)) / 2.0;
  double y = gtk_widget_get_height (GTK_WIDGET (self)) / 2.0;

  /* Around the selection when it is on screen, as a reader expects. */
  if (self->selected != NO_NODE && self->node_box[self->selected] != NO_BOX)
    {
      graphene_rect_t rect;
      double sx, sy;

      _beam_canvas_box_rect (&g_array_index (self->boxes, Box, self->node_box[self->selected]),
                             &rect);
      sx = (rect.origin.x + rect.size.width / 2 - self->view_x) * self->zoom;
      sy = (rect.origin.y + rect.size.height / 2 - self->view_y) * self->zoom;
      if (sx >= 0 && sy >= 0 && sx <= 2 * x && sy <= 2 * y)
        x = sx, y = sy;
    }
  _beam_canvas_zoom_at (self, self->zoom * factor, x, y);
}

static void
zoom_to_fit (BeamSupervisionCanvas *self)
{
  double width = gtk_widget_get_width (GTK_WIDGET (self));
  double height = gtk_widget_get_height (GTK_WIDGET (self));
  double zoom = fit_zoom (self);

  _beam_canvas_set_view (self, (_beam_canvas_bounds_width (self) - width / zoom) / 2,
                         (_beam_canvas_bounds_height (self) - height / zoom) / 2, zoom);
}

static void
centre_on (BeamSupervisionCanvas *self,
           const Box             *box)
{
  graphene_rect_t rect;
  double width = gtk_widget_get_width (GTK_WIDGET (self));
  double height = gtk_widget_get_height (GTK_WIDGET (self));
  /* Small enough to read what is centred. */
  double zoom = MAX (self->zoom, TEXT_MIN_ZOOM * 1.5);

  _beam_canvas_box_rect (box, &rect);
  _beam_canvas_set_view (self, rect.origin.x + rect.size.width / 2 - width / 2 / zoom,
                         rect.origin.y + rect.size.height / 2 - height / 2 / zoom, zoom);
}

/* Scrolls as little as shows the box with some room around it. */
static void
scroll_to (BeamSupervisionCanvas *self,
           const Box             *box)
{
  graphene_rect_t rect;
  double shown_w = gtk_widget_get_width (GTK_WIDGET (self)) / self->zoom;
  double shown_h = gtk_widget_get_height (GTK_WIDGET (self)) / self->zoom;
  double room = SCROLL_MARGIN / self->zoom;
  double x = self->view_x, y = self->view_y;

  _beam_canvas_box_rect (box, &rect);
  if (rect.origin.x + rect.size.width + room > x + shown_w)
    x = rect.origin.x + rect.size.width + room - shown_w;
  if (rect.origin.x - room < x)
    x = rect.origin.x - room;
  if (rect.origin.y + rect.size.height + room > y + shown_h)
    y = rect.origin.y + rect.size.height + room - shown_h;
  if (rect.origin.y - room < y)
    y = rect.origin.y - room;
  _beam_canvas_set_view (self, x, y, self->zoom);
}

/* The view a tree first gets: whole if it is readable so, else at zoom 1
 * with the application master and top supervisor on screen. */
static void
place_view (BeamSupervisionCanvas *self)
{
  double height = gtk_widget_get_height (GTK_WIDGET (self));
  const Box *master;

  if (self->boxes->len == 0 || gtk_widget_get_width (GTK_WIDGET (self)) <= 0 || height <= 0)
    return;
  self->view_placed = TRUE;
  if (fit_zoom (self) >= 0.8)
    {
      zoom_to_fit (self);
      return;
    }
  master = &g_array_index (self->boxes, Box, self->column_start[0]);
  _beam_canvas_set_view (self, 0, _beam_canvas_row_centre (master->row) - height / 2, 1.0);
}

/* Expands or collapses keeping `anchor`'s box where it is on screen. */
static void
relayout_keeping (BeamSupervisionCanvas *self,
                  guint                  anchor)
{
  double before_x = 0, before_y = 0;
  gboolean anchored = anchor != NO_NODE && self->node_box[anchor] != NO_BOX;

  if (anchored)
    {
      const Box *box = &g_array_index (self->boxes, Box, self->node_box[anchor]);

      before_x = _beam_canvas_box_left (box) - self->view_x;
      before_y = _beam_canvas_row_top (box->row) - self->view_y;
    }
  _beam_canvas_relayout (self);
  if (anchored && self->node_box[anchor] != NO_BOX)
    {
      const Box *box = &g_array_index (self->boxes, Box, self->node_box[anchor]);

      _beam_canvas_set_view (self, _beam_canvas_box_left (box) - before_x,
                             _beam_canvas_row_top (box->row) - before_y, self->zoom);
    }
  else
    _beam_canvas_set_view (self, self->view_x, self->view_y, self->zoom);
  update_actions (self);
}

/* ---- selection and expansion --------------------------------------------------- */

static char *
describe_node (BeamSupervisionCanvas *self,
               guint                  index)
{
  const BeamSupervisionNode *node = _beam_canvas_node_at (self, index);
  const char *title = node->name != NULL ? node->name : node->pid != NULL ? node->pid : node->id;
  g_autofree char *detail = _beam_canvas_is_supervisor (node)
                            ? _beam_canvas_supervisor_detail (node)
                            : _beam_canvas_worker_detail (node);

  return g_strdup_printf (_beam_canvas_is_supervisor (node) ? _("Supervisor %s, %s")
                                                             : _("Worker %s, %s"),
                          title != NULL ? title : "", detail);
}

/* The accessible description says what is selected, as the canvas shows it
 * by colour only. */
static void
describe_selection (BeamSupervisionCanvas *self)
{
  g_autofree char *node = NULL;
  g_autofree char *description = NULL;

  if (self->tree == NULL)
    {
      gtk_accessible_reset_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
      return;
    }
  if (self->selected == NO_NODE)
    description = g_strdup (_("Nothing selected"));
  else
    {
      node = describe_node (self, self->selected);
      /* Translators: the supervision tree's description, %s is "Worker name, details" */
      description = g_strdup_printf (_("Selected: %s"), node);
    }
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  description, -1);
}

/* Expands every collapsed supervisor above the node; whether any was. */
static gboolean
reveal (BeamSupervisionCanvas *self,
        guint                  index)
{
  gboolean changed = FALSE;
  guint steps = 0;

  for (guint node = _beam_canvas_parent_of (self, index);
       node != NO_NODE && steps++ < self->tree->n_nodes;
       node = _beam_canvas_parent_of (self, node))
    if (_beam_canvas_is_collapsed (self, node))
      {
        self->expanded[node] = TRUE;
        changed = TRUE;
      }
  return changed;
}

void
_beam_canvas_select_node (BeamSupervisionCanvas *self,
                          guint                  index,
                          gboolean               scroll)
{
  if (index != NO_NODE && reveal (self, index))
    relayout_keeping (self, self->selected != NO_NODE ? self->selected
                                                      : _beam_canvas_parent_of (self, index));
  if (scroll && index != NO_NODE && self->node_box[index] != NO_BOX)
    scroll_to (self, &g_array_index (self->boxes, Box, self->node_box[index]));
  if (self->selected == index)
    return;
  self->selected = index;
  describe_selection (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED]);
}

void
_beam_canvas_set_expanded (BeamSupervisionCanvas *self,
                           guint                  index,
                           gboolean               expanded)
{
  gboolean was_collapsed = _beam_canvas_is_collapsed (self, index);

  self->expanded[index] = expanded;
  if (was_collapsed == _beam_canvas_is_collapsed (self, index))
    return;
  /* A selection inside what closes goes to the supervisor closing it. */
  if (!expanded && self->selected != NO_NODE)
    {
      guint steps = 0;

      for (guint node = _beam_canvas_parent_of (self, self->selected);
           node != NO_NODE && steps++ < self->tree->n_nodes;
           node = _beam_canvas_parent_of (self, node))
        if (node == index)
          {
            _beam_canvas_select_node (self, index, FALSE);
            break;
          }
    }
  relayout_keeping (self, index);
}

static gboolean
contains_folded (const char *haystack,
                 const char *folded_needle)
{
  g_autofree char *folded = NULL;

  if (haystack == NULL)
    return FALSE;
  folded = g_utf8_casefold (haystack, -1);
  return strstr (folded, folded_needle) != NULL;
}

/* The nodes `self->search` is in, in tree order. */
static void
find_matches (BeamSupervisionCanvas *self)
{
  for (guint i = 0; i < self->tree->n_nodes; i++)
    {
      const BeamSupervisionNode *node = _beam_canvas_node_at (self, i);

      if (contains_folded (node->name, self->search) ||
          contains_folded (node->pid, self->search) ||
          contains_folded (node->module, self->search))
        {
          self->matched[i] = TRUE;
          g_array_append_val (self->matches, i);
        }
    }
}

/* ---- actions ------------------------------------------------------------------- */

static void
zoom_in_action (GtkWidget  *widget,
                const char *action_name G_GNUC_UNUSED,
                GVariant   *parameter G_GNUC_UNUSED)
{
  zoom_by (BEAM_SUPERVISION_CANVAS (widget), ZOOM_STEP);
}

static void
zoom_out_action (GtkWidget  *widget,
                 const char *action_name G_GNUC_UNUSED,
                 GVariant   *parameter G_GNUC_UNUSED)
{
  zoom_by (BEAM_SUPERVISION_CANVAS (widget), 1 / ZOOM_STEP);
}

static void
zoom_fit_action (GtkWidget  *widget,
                 const char *action_name G_GNUC_UNUSED,
                 GVariant   *parameter G_GNUC_UNUSED)
{
  zoom_to_fit (BEAM_SUPERVISION_CANVAS (widget));
}

/* ---- the widget ---------------------------------------------------------------- */

static void
beam_supervision_canvas_snapshot (GtkWidget   *widget,
                                  GtkSnapshot *snapshot)
{
  _beam_canvas_draw (BEAM_SUPERVISION_CANVAS (widget), snapshot);
}

static void
beam_supervision_canvas_size_allocate (GtkWidget *widget,
                                       int        width G_GNUC_UNUSED,
                                       int        height G_GNUC_UNUSED,
                                       int        baseline G_GNUC_UNUSED)
{
  BeamSupervisionCanvas *self = BEAM_SUPERVISION_CANVAS (widget);

  /* A page may hang its context menu on the canvas, pointing at a box. */
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_POPOVER (child))
      gtk_popover_present (GTK_POPOVER (child));

  if (self->tree == NULL)
    return;
  if (!self->view_placed)
    place_view (self);
  else
    _beam_canvas_set_view (self, self->view_x, self->view_y, self->zoom);
  update_actions (self);
}

static void
beam_supervision_canvas_measure (GtkWidget      *widget G_GNUC_UNUSED,
                                 GtkOrientation  orientation,
                                 int             for_size G_GNUC_UNUSED,
                                 int            *minimum,
                                 int            *natural,
                                 int            *minimum_baseline G_GNUC_UNUSED,
                                 int            *natural_baseline G_GNUC_UNUSED)
{
  /* A view: as big as its place, whatever the tree. */
  *minimum = orientation == GTK_ORIENTATION_HORIZONTAL ? BOX_WIDTH : BOX_HEIGHT * 2;
  *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? 3 * COLUMN_PITCH : 6 * ROW_PITCH;
}

static void
beam_supervision_canvas_css_changed (GtkWidget         *widget,
                                     GtkCssStyleChange *change)
{
  BeamSupervisionCanvas *self = BEAM_SUPERVISION_CANVAS (widget);

  GTK_WIDGET_CLASS (beam_supervision_canvas_parent_class)->css_changed (widget, change);
  /* Texts carry their colours. */
  self->colors_valid = FALSE;
  _beam_canvas_drop_texts (self);
  gtk_widget_queue_draw (widget);
}

static void
beam_supervision_canvas_system_setting_changed (GtkWidget        *widget,
                                                GtkSystemSetting  setting)
{
  GTK_WIDGET_CLASS (beam_supervision_canvas_parent_class)->system_setting_changed (widget,
                                                                                   setting);
  _beam_canvas_drop_texts (BEAM_SUPERVISION_CANVAS (widget));
  gtk_widget_queue_draw (widget);
}

/* The selection is drawn dimmer without the focus. */
static void
on_focus_changed (BeamSupervisionCanvas *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
on_scale_factor_changed (BeamSupervisionCanvas *self)
{
  _beam_canvas_drop_texts (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
clear_tree (BeamSupervisionCanvas *self)
{
  if (self->tree != NULL && self->free_tree != NULL)
    self->free_tree (self->tree);
  self->tree = NULL;
  self->free_tree = NULL;
  g_clear_pointer (&self->child_start, g_free);
  g_clear_pointer (&self->child_list, g_free);
  g_clear_pointer (&self->roots, g_free);
  g_clear_pointer (&self->expanded, g_free);
  g_clear_pointer (&self->matched, g_free);
  g_clear_pointer (&self->restarted, g_free);
  g_clear_pointer (&self->restart_counts, g_free);
  g_clear_pointer (&self->node_box, g_free);
  g_clear_pointer (&self->match_below, g_free);
  self->n_roots = 0;
  g_array_set_size (self->matches, 0);
  _beam_canvas_drop_texts (self);
}

static void
beam_supervision_canvas_finalize (GObject *object)
{
  BeamSupervisionCanvas *self = BEAM_SUPERVISION_CANVAS (object);

  clear_tree (self);
  g_array_unref (self->boxes);
  g_array_unref (self->matches);
  g_array_unref (self->visible);
  g_clear_pointer (&self->column_start, g_free);
  g_hash_table_unref (self->texts);
  g_free (self->search);

  G_OBJECT_CLASS (beam_supervision_canvas_parent_class)->finalize (object);
}

static void
beam_supervision_canvas_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  BeamSupervisionCanvas *self = BEAM_SUPERVISION_CANVAS (object);

  switch (prop_id)
    {
    case PROP_SELECTED:
      g_value_set_uint (value, self->selected);
      break;
    case PROP_N_MATCHES:
      g_value_set_uint (value, self->matches->len);
      break;
    case PROP_ZOOM:
      g_value_set_double (value, self->zoom);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
beam_supervision_canvas_set_property (GObject      *object,
                                      guint         prop_id,
                                      const GValue *value,
                                      GParamSpec   *pspec)
{
  BeamSupervisionCanvas *self = BEAM_SUPERVISION_CANVAS (object);

  switch (prop_id)
    {
    case PROP_SELECTED:
      beam_supervision_canvas_set_selected (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
beam_supervision_canvas_class_init (BeamSupervisionCanvasClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = beam_supervision_canvas_finalize;
  object_class->get_property = beam_supervision_canvas_get_property;
  object_class->set_property = beam_supervision_canvas_set_property;
  widget_class->snapshot = beam_supervision_canvas_snapshot;
  widget_class->size_allocate = beam_supervision_canvas_size_allocate;
  widget_class->measure = beam_supervision_canvas_measure;
  widget_class->css_changed = beam_supervision_canvas_css_changed;
  widget_class->system_setting_changed = beam_supervision_canvas_system_setting_changed;

  properties[PROP_SELECTED] =
    g_param_spec_uint ("selected", NULL, NULL, 0, G_MAXUINT, NO_NODE,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_MATCHES] =
    g_param_spec_uint ("n-matches", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ZOOM] =
    g_param_spec_double ("zoom", NULL, NULL, 0, ZOOM_MAX, 1.0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* The page opens the process window. */
  _beam_canvas_signals[ACTIVATE_NODE] =
    g_signal_new ("activate-node", G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_UINT);
  /* The page pops its menu at (x, y), in the canvas's coordinates. */
  _beam_canvas_signals[CONTEXT_MENU] =
    g_signal_new ("context-menu", G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3, G_TYPE_UINT, G_TYPE_DOUBLE,
                  G_TYPE_DOUBLE);

  /* The "N more" box of a counted supervisor was clicked: the page asks
   * the node for more of its children. */
  _beam_canvas_signals[FETCH_MORE] =
    g_signal_new ("fetch-more", G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_UINT);

  gtk_widget_class_install_action (widget_class, "canvas.zoom-in", NULL, zoom_in_action);
  gtk_widget_class_install_action (widget_class, "canvas.zoom-out", NULL, zoom_out_action);
  gtk_widget_class_install_action (widget_class, "canvas.zoom-fit", NULL, zoom_fit_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_plus, GDK_CONTROL_MASK,
                                       "canvas.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_equal, GDK_CONTROL_MASK,
                                       "canvas.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Add, GDK_CONTROL_MASK,
                                       "canvas.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_minus, GDK_CONTROL_MASK,
                                       "canvas.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Subtract, GDK_CONTROL_MASK,
                                       "canvas.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_0, GDK_CONTROL_MASK,
                                       "canvas.zoom-fit", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_0, GDK_CONTROL_MASK,
                                       "canvas.zoom-fit", NULL);

  _beam_canvas_input_class_init (widget_class);

  gtk_widget_class_set_css_name (widget_class, "supervisioncanvas");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
beam_supervision_canvas_init (BeamSupervisionCanvas *self)
{
  GtkWidget *widget = GTK_WIDGET (self);

  self->boxes = g_array_new (FALSE, FALSE, sizeof (Box));
  self->matches = g_array_new (FALSE, FALSE, sizeof (guint));
  self->visible = g_array_new (FALSE, FALSE, sizeof (guint));
  self->texts = g_hash_table_new_full (NULL, NULL, NULL, _beam_canvas_box_text_free);
  self->zoom = 1.0;
  self->selected = NO_NODE;
  self->pointer_x = self->pointer_y = -1;

  _beam_canvas_input_init (self);
  g_signal_connect (self, "notify::scale-factor", G_CALLBACK (on_scale_factor_changed), NULL);
  g_signal_connect (self, "notify::has-focus", G_CALLBACK (on_focus_changed), NULL);

  gtk_widget_set_focusable (widget, TRUE);
  gtk_widget_set_focus_on_click (widget, TRUE);
  gtk_widget_set_overflow (widget, GTK_OVERFLOW_HIDDEN);
  gtk_widget_add_css_class (widget, "view");
  update_actions (self);
}

/* ---- public -------------------------------------------------------------------- */

GtkWidget *
beam_supervision_canvas_new (void)
{
  return g_object_new (BEAM_TYPE_SUPERVISION_CANVAS, NULL);
}

/* What identifies a process across refreshes. */
static const char *
node_key (const BeamSupervisionNode *node)
{
  return node->pid != NULL ? node->pid : node->name;
}

void
beam_supervision_canvas_set_tree (BeamSupervisionCanvas *self,
                                  BeamSupervisionTree   *tree,
                                  GDestroyNotify         free_tree)
{
  g_autoptr(GHashTable) kept_expanded = g_hash_table_new_full (g_str_hash, g_str_equal,
                                                               g_free, NULL);
  g_autofree char *selected_key = NULL;
  g_autofree char *selected_name = NULL;
  g_autofree char *selected_id = NULL;
  g_autofree char *selected_parent = NULL;
  g_autofree char *search = NULL;
  gboolean same_application;
  guint selected = NO_NODE;
  guint old_selected, old_n_matches;

  g_return_if_fail (BEAM_IS_SUPERVISION_CANVAS (self));
  g_return_if_fail (tree == NULL || tree->n_nodes < (1u << 29));

  old_selected = self->selected;
  old_n_matches = self->matches->len;

  same_application = self->tree != NULL && tree != NULL &&
                     g_strcmp0 (self->tree->application, tree->application) == 0;
  if (same_application)
    {
      for (guint i = 0; i < self->tree->n_nodes; i++)
        if (self->expanded[i] && node_key (_beam_canvas_node_at (self, i)) != NULL)
          g_hash_table_add (kept_expanded, g_strdup (node_key (_beam_canvas_node_at (self, i))));
      if (self->selected != NO_NODE)
        {
          const BeamSupervisionNode *was = _beam_canvas_node_at (self, self->selected);

          selected_key = g_strdup (node_key (was));
          selected_name = g_strdup (was->name);
          selected_id = g_strdup (was->id);
          if (was->parent != BEAM_SUPERVISION_NO_PARENT)
            selected_parent = g_strdup (node_key (_beam_canvas_node_at (self, was->parent)));
        }
    }
  else
    self->view_placed = FALSE;
  search = g_steal_pointer (&self->search);
  clear_tree (self);

  self->tree = tree;
  self->free_tree = free_tree;
  if (tree != NULL)
    {
      guint n = tree->n_nodes;
      /* Translators: the supervision tree's accessible name: the application, its
       * process count */
      g_autofree char *label =
        g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Supervision tree of %s, %u process",
                                      "Supervision tree of %s, %u processes", n),
                         tree->application != NULL ? tree->application : "", n);

      _beam_canvas_index_children (self);
      self->expanded = g_new0 (guint8, MAX (n, 1));
      self->matched = g_new0 (guint8, MAX (n, 1));
      self->node_box = g_new (guint, MAX (n, 1));
      self->match_below = g_new0 (guint8, MAX (n, 1));
      for (guint i = 0; i < n && (g_hash_table_size (kept_expanded) > 0 || selected_key != NULL);
           i++)
        {
          const char *key = node_key (_beam_canvas_node_at (self, i));

          if (key == NULL)
            continue;
          if (g_hash_table_contains (kept_expanded, key))
            self->expanded[i] = TRUE;
          if (selected == NO_NODE && g_strcmp0 (key, selected_key) == 0)
            selected = i;
        }
      /* A selected process restarted since: the same name, else the same
       * child id under the same supervisor. */
      for (guint i = 0; i < n && selected == NO_NODE && selected_key != NULL; i++)
        {
          const BeamSupervisionNode *node = _beam_canvas_node_at (self, i);

          if ((selected_name != NULL && g_strcmp0 (node->name, selected_name) == 0) ||
              (selected_id != NULL && g_strcmp0 (node->id, selected_id) == 0 &&
               node->parent != BEAM_SUPERVISION_NO_PARENT &&
               g_strcmp0 (node_key (_beam_canvas_node_at (self, node->parent)),
                          selected_parent) == 0))
            selected = i;
        }
      /* The matches again, without moving to the first. */
      if (search != NULL)
        {
          self->search = g_steal_pointer (&search);
          find_matches (self);
        }
      gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      label, -1);
    }
  else
    gtk_accessible_reset_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL);

  _beam_canvas_relayout (self);
  /* The selection by identity, without scrolling: a refresh must not move the view. */
  self->selected = NO_NODE;
  if (selected != NO_NODE)
    _beam_canvas_select_node (self, selected, FALSE);
  else
    describe_selection (self);
  if (selected == NO_NODE && old_selected != NO_NODE)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED]);
  if (old_n_matches != self->matches->len)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_MATCHES]);
  if (!self->view_placed)
    place_view (self);
  else
    _beam_canvas_set_view (self, self->view_x, self->view_y, self->zoom);
  update_actions (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

const BeamSupervisionTree *
beam_supervision_canvas_get_tree (BeamSupervisionCanvas *self)
{
  g_return_val_if_fail (BEAM_IS_SUPERVISION_CANVAS (self), NULL);
  return self->tree;
}

guint
beam_supervision_canvas_get_selected (BeamSupervisionCanvas *self)
{
  g_return_val_if_fail (BEAM_IS_SUPERVISION_CANVAS (self), NO_NODE);
  return self->selected;
}

void
beam_supervision_canvas_set_selected (BeamSupervisionCanvas *self,
                                      guint                  node_index)
{
  g_return_if_fail (BEAM_IS_SUPERVISION_CANVAS (self));
  g_return_if_fail (node_index == NO_NODE ||
                    (self->tree != NULL && node_index < self->tree->n_nodes));

  _beam_canvas_select_node (self, node_index, TRUE);
}

void
beam_supervision_canvas_set_expanded (BeamSupervisionCanvas *self,
                                      guint                  node_index,
                                      gboolean               expanded)
{
  g_return_if_fail (BEAM_IS_SUPERVISION_CANVAS (self));
  g_return_if_fail (self->tree != NULL && node_index < self->tree->n_nodes);

  _beam_canvas_set_expanded (self, node_index, expanded);
}

gboolean
beam_supervision_canvas_get_expanded (BeamSupervisionCanvas *self,
                                      guint                  node_index)
{
  g_return_val_if_fail (BEAM_IS_SUPERVISION_CANVAS (self), FALSE);
  g_return_val_if_fail (self->tree != NULL && node_index < self->tree->n_nodes, FALSE);

  return !_beam_canvas_is_collapsed (self, node_index);
}

static void
show_match (BeamSupervisionCanvas *self)
{
  guint node = g_array_index (self->matches, guint, self->current_match);

  if (reveal (self, node))
    _beam_canvas_relayout (self);
  _beam_canvas_select_node (self, node, FALSE);
  centre_on (self, &g_array_index (self->boxes, Box, self->node_box[node]));
}

guint
beam_supervision_canvas_set_search (BeamSupervisionCanvas *self,
                                    const char            *text)
{
  guint before;

  g_return_val_if_fail (BEAM_IS_SUPERVISION_CANVAS (self), 0);

  before = self->matches->len;
  g_clear_pointer (&self->search, g_free);
  g_array_set_size (self->matches, 0);
  if (self->tree != NULL)
    memset (self->matched, 0, MAX (self->tree->n_nodes, 1));
  if (self->tree != NULL && text != NULL && text[0] != '\0')
    {
      self->search = g_utf8_casefold (text, -1);
      find_matches (self);
    }
  self->current_match = 0;
  if (self->tree != NULL)
    _beam_canvas_relayout (self);
  if (self->matches->len > 0)
    show_match (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  if (before != self->matches->len)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_MATCHES]);
  return self->matches->len;
}

guint
beam_supervision_canvas_get_n_matches (BeamSupervisionCanvas *self)
{
  g_return_val_if_fail (BEAM_IS_SUPERVISION_CANVAS (self), 0);
  return self->matches->len;
}

void
beam_supervision_canvas_next_match (BeamSupervisionCanvas *self)
{
  g_return_if_fail (BEAM_IS_SUPERVISION_CANVAS (self));

  if (self->matches->len == 0)
    return;
  self->current_match = (self->current_match + 1) % self->matches->len;
  show_match (self);
}

void
beam_supervision_canvas_set_marks (BeamSupervisionCanvas *self,
                                   const guint8          *restarted,
                                   const guint           *restart_counts)
{
  g_return_if_fail (BEAM_IS_SUPERVISION_CANVAS (self));
  g_return_if_fail (self->tree != NULL || (restarted == NULL && restart_counts == NULL));

  g_clear_pointer (&self->restarted, g_free);
  g_clear_pointer (&self->restart_counts, g_free);
  if (restarted != NULL)
    self->restarted = g_memdup2 (restarted, self->tree->n_nodes);
  if (restart_counts != NULL)
    self->restart_counts = g_memdup2 (restart_counts, sizeof (guint) * self->tree->n_nodes);
  /* The counts are in the texts. */
  _beam_canvas_drop_texts (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

double
beam_supervision_canvas_get_zoom (BeamSupervisionCanvas *self)
{
  g_return_val_if_fail (BEAM_IS_SUPERVISION_CANVAS (self), 1.0);
  return self->zoom;
}

/* ---- for the tests ------------------------------------------------------------- */

guint
_beam_supervision_canvas_get_n_boxes (BeamSupervisionCanvas *self)
{
  g_return_val_if_fail (BEAM_IS_SUPERVISION_CANVAS (self), 0);
  return self->boxes->len;
}

void
_beam_supervision_canvas_get_box (BeamSupervisionCanvas *self,
                                  guint                  box,
                                  BeamCanvasBoxKind     *kind,
                                  guint                 *node_index,
                                  graphene_rect_t       *rect)
{
  const Box *b;

  g_return_if_fail (BEAM_IS_SUPERVISION_CANVAS (self));
  g_return_if_fail (box < self->boxes->len);

  b = &g_array_index (self->boxes, Box, box);
  if (kind != NULL)
    *kind = b->kind;
  if (node_index != NULL)
    *node_index = b->node;
  if (rect != NULL)
    _beam_canvas_box_rect (b, rect);
}

gboolean
_beam_supervision_canvas_get_node_rect (BeamSupervisionCanvas *self,
                                        guint                  node_index,
                                        graphene_rect_t       *rect)
{
  g_return_val_if_fail (BEAM_IS_SUPERVISION_CANVAS (self), FALSE);
  g_return_val_if_fail (self->tree != NULL && node_index < self->tree->n_nodes, FALSE);

  if (self->node_box[node_index] == NO_BOX)
    return FALSE;
  _beam_canvas_box_rect (&g_array_index (self->boxes, Box, self->node_box[node_index]), rect);
  return TRUE;
}

void
_beam_supervision_canvas_get_visible_rect (BeamSupervisionCanvas *self,
                                           graphene_rect_t       *rect)
{
  g_return_if_fail (BEAM_IS_SUPERVISION_CANVAS (self));
  graphene_rect_init (rect, self->view_x, self->view_y,
                      gtk_widget_get_width (GTK_WIDGET (self)) / self->zoom,
                      gtk_widget_get_height (GTK_WIDGET (self)) / self->zoom);
}

void
_beam_supervision_canvas_get_bounds (BeamSupervisionCanvas *self,
                                     graphene_rect_t       *rect)
{
  g_return_if_fail (BEAM_IS_SUPERVISION_CANVAS (self));
  graphene_rect_init (rect, 0, 0, _beam_canvas_bounds_width (self),
                      _beam_canvas_bounds_height (self));
}

void
_beam_supervision_canvas_set_view (BeamSupervisionCanvas *self,
                                   double                 x,
                                   double                 y,
                                   double                 zoom)
{
  g_return_if_fail (BEAM_IS_SUPERVISION_CANVAS (self));
  self->view_placed = TRUE;
  _beam_canvas_set_view (self, x, y, zoom);
}

guint
_beam_supervision_canvas_get_n_drawn (BeamSupervisionCanvas *self,
                                      gboolean              *with_text)
{
  g_return_val_if_fail (BEAM_IS_SUPERVISION_CANVAS (self), 0);
  if (with_text != NULL)
    *with_text = self->drawn_with_text;
  return self->n_drawn;
}
