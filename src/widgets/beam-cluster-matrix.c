/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The matrix reads the model's links while it draws (one lookup per cell,
 * no copy), and keeps only what text costs: one Pango layout per name,
 * made again when the nodes or the font change. Cells of one kind are one
 * cairo path, filled once, so 200 nodes (40,000 cells) are a handful of
 * fills. Colours are libadwaita's named ones, looked up when the style
 * changes, so the matrix follows dark and light. */

#define G_LOG_DOMAIN "beamscope-widgets"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <string.h>

#include "beam-cluster-matrix.h"
#include "beam-palette.h"

#define MAX_CELL       28
#define MIN_CELL       4
#define NAMES_MIN_CELL 12    /* smaller cells have no room for a line of text */
#define FIT_SIDE       640   /* the cells' side the matrix aims for, in px */
#define MAX_NAME_WIDTH 220
#define NAME_GAP       6

struct _BeamClusterMatrix
{
  GtkWidget         parent_instance;

  BeamClusterModel *model;
  GArray           *shown;        /* guint: the model's indices of the nodes in the cluster */
  GPtrArray        *names;        /* PangoLayout per node, or empty when not shown */
  int               name_width;   /* of the longest name, capped; 0 without names */
  int               name_height;
  guint             n;
  guint             focus_row;
  guint             focus_column;
  gboolean          focus_moved;  /* the description then says the focus cell */
  guint             n_cells;

  gboolean          colors_valid;
  GdkRGBA           fg;
  GdkRGBA           both;
  GdkRGBA           one_way;
  GdkRGBA           missing;
  GdkRGBA           focus;
};

G_DEFINE_FINAL_TYPE (BeamClusterMatrix, beam_cluster_matrix, GTK_TYPE_WIDGET)

enum {
  ACTIVATE_NODE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* ---- geometry ---------------------------------------------------------------------- */

static int
cell_size (guint n)
{
  return n == 0 ? MAX_CELL : CLAMP (FIT_SIDE / (int) n, MIN_CELL, MAX_CELL);
}

static gboolean
shows_names (guint n)
{
  return cell_size (n) >= NAMES_MIN_CELL;
}

/* Where the cells start: right of the names, under the rotated ones. */
static int
origin (BeamClusterMatrix *self)
{
  return self->name_width > 0 ? self->name_width + NAME_GAP : 0;
}

static gboolean
cell_at (BeamClusterMatrix *self,
         double             x,
         double             y,
         guint             *row,
         guint             *column)
{
  int cell = cell_size (self->n);
  int start = origin (self);

  if (self->n == 0 || x < start || y < start)
    return FALSE;
  *column = (guint) ((x - start) / cell);
  *row = (guint) ((y - start) / cell);
  return *row < self->n && *column < self->n;
}

/* ---- names and colours ------------------------------------------------------------- */

static void
ensure_colors (BeamClusterMatrix *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  GtkStyleContext *context = gtk_widget_get_style_context (widget);
  gboolean dark = adw_style_manager_get_dark (adw_style_manager_get_default ());

  if (self->colors_valid)
    return;
  gtk_style_context_get_color (context, &self->fg);
  beam_palette_lookup_named_color (widget, "accent_bg_color", "#3584e4", &self->both);
  beam_palette_lookup_named_color (widget, "warning_bg_color", "#e5a50a", &self->one_way);
  beam_palette_lookup_named_color (widget, "error_bg_color", "#e01b24", &self->missing);
  beam_palette_lookup_named_color (widget, "accent_color", dark ? "#78aeed" : "#1c71d8",
                                   &self->focus);
  self->colors_valid = TRUE;
}

/* Row or column `index`'s link, as the model says it. */
static BeamClusterLink
link_at (BeamClusterMatrix *self,
         guint              row,
         guint              column)
{
  return beam_cluster_model_get_link (self->model, g_array_index (self->shown, guint, row),
                                      g_array_index (self->shown, guint, column));
}

static const char *
node_name (BeamClusterMatrix *self,
           guint              index)
{
  g_autoptr(BeamClusterNode) node =
    g_list_model_get_item (beam_cluster_model_get_nodes (self->model),
                           g_array_index (self->shown, guint, index));

  /* The model holds its nodes: the name outlives this reference. */
  return node != NULL ? beam_cluster_node_get_name (node) : "";
}

static void
count_links (BeamClusterMatrix *self,
             guint             *one_way,
             guint             *missing)
{
  *one_way = *missing = 0;
  for (guint i = 0; i < self->n; i++)
    for (guint j = 0; j < self->n; j++)
      {
        BeamClusterLink link = link_at (self, i, j);

        if (link == BEAM_CLUSTER_LINK_ONE_WAY)
          (*one_way)++;
        /* A missing link shows in both of its cells: counted once. */
        else if (link == BEAM_CLUSTER_LINK_MISSING && i < j)
          (*missing)++;
      }
}

/* The counts, and the focus cell in words once the arrows moved it (a
 * screen reader hears the cell a sighted user sees). */
static void
describe (BeamClusterMatrix *self)
{
  g_autofree char *description = NULL;
  g_autofree char *nodes = NULL;
  g_autofree char *cell = NULL;
  guint one_way, missing;

  if (self->model == NULL)
    {
      gtk_accessible_reset_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
      return;
    }
  count_links (self, &one_way, &missing);
  nodes = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u node", "%u nodes", self->n),
                           self->n);
  /* Translators: the connectivity matrix's description: "12 nodes, 2 links
   * one-way, 1 missing" */
  description = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s, %u link one-way, %u missing",
                                              "%s, %u links one-way, %u missing", one_way),
                                 nodes, one_way, missing);
  if (self->focus_moved)
    cell = beam_cluster_matrix_dup_cell_text (self, self->focus_row, self->focus_column);
  if (cell != NULL)
    {
      g_autofree char *both = g_strdup_printf ("%s. %s", description, cell);

      g_free (description);
      description = g_steal_pointer (&both);
    }
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  description, -1);
}

/* Which of the model's nodes are shown: those in the cluster (a node only
 * EPMD lists sees nobody and is seen by nobody). Whether that changed. */
static gboolean
map_nodes (BeamClusterMatrix *self)
{
  GListModel *nodes = self->model != NULL ? beam_cluster_model_get_nodes (self->model) : NULL;
  guint n = nodes != NULL ? g_list_model_get_n_items (nodes) : 0;
  g_autoptr(GArray) shown = g_array_new (FALSE, FALSE, sizeof (guint));
  gboolean changed;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(BeamClusterNode) node = g_list_model_get_item (nodes, i);

      if (beam_cluster_node_get_in_cluster (node))
        g_array_append_val (shown, i);
    }
  changed = shown->len != self->shown->len ||
            memcmp (shown->data, self->shown->data, shown->len * sizeof (guint)) != 0;
  g_array_set_size (self->shown, shown->len);
  if (shown->len > 0)
    memcpy (self->shown->data, shown->data, shown->len * sizeof (guint));
  return changed;
}

/* The nodes came, went or were renamed, or the font changed: the layouts
 * of the names again, and the size. */
static void
rebuild (BeamClusterMatrix *self)
{
  g_ptr_array_set_size (self->names, 0);
  self->name_width = self->name_height = 0;
  map_nodes (self);
  self->n = self->shown->len;
  if (self->n > 0)
    {
      self->focus_row = MIN (self->focus_row, self->n - 1);
      self->focus_column = MIN (self->focus_column, self->n - 1);
    }
  else
    self->focus_row = self->focus_column = 0;

  if (shows_names (self->n))
    for (guint i = 0; i < self->n; i++)
      {
        PangoLayout *layout = gtk_widget_create_pango_layout (GTK_WIDGET (self),
                                                              node_name (self, i));
        int width, height;

        pango_layout_set_width (layout, MAX_NAME_WIDTH * PANGO_SCALE);
        pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_MIDDLE);
        pango_layout_get_pixel_size (layout, &width, &height);
        self->name_width = MAX (self->name_width, width);
        self->name_height = MAX (self->name_height, height);
        g_ptr_array_add (self->names, layout);
      }
  describe (self);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

static void
on_links_changed (BeamClusterMatrix *self)
{
  /* A node that joined the cluster, or left it. */
  if (map_nodes (self))
    {
      rebuild (self);
      return;
    }
  describe (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
on_nodes_changed (BeamClusterMatrix *self)
{
  rebuild (self);
}

/* ---- words ------------------------------------------------------------------------- */

/* "since 12:03:14" of the pair's open anomaly, or NULL. */
static char *
dup_since (BeamClusterMatrix *self,
           const char        *a,
           const char        *b)
{
  GPtrArray *anomalies = beam_cluster_model_get_anomalies (self->model);

  for (guint i = 0; anomalies != NULL && i < anomalies->len; i++)
    {
      const BeamClusterAnomaly *anomaly = g_ptr_array_index (anomalies, i);
      g_autoptr(GDateTime) time = NULL;
      g_autofree char *clock = NULL;

      if (!anomaly->open ||
          !((g_strcmp0 (anomaly->from, a) == 0 && g_strcmp0 (anomaly->to, b) == 0) ||
            (g_strcmp0 (anomaly->from, b) == 0 && g_strcmp0 (anomaly->to, a) == 0)))
        continue;
      time = g_date_time_new_from_unix_local (anomaly->first_seen_us / G_USEC_PER_SEC);
      clock = time != NULL ? g_date_time_format (time, "%H:%M:%S") : g_strdup ("?");
      /* Translators: when a link anomaly was first seen, a time of day */
      return g_strdup_printf (_("since %s"), clock);
    }
  return NULL;
}

char *
beam_cluster_matrix_dup_cell_text (BeamClusterMatrix *self,
                                   guint              row,
                                   guint              column)
{
  const char *a, *b;
  g_autofree char *since = NULL;
  g_autofree char *text = NULL;

  g_return_val_if_fail (BEAM_IS_CLUSTER_MATRIX (self), NULL);

  if (self->model == NULL || row >= self->n || column >= self->n)
    return NULL;
  a = node_name (self, row);
  b = node_name (self, column);
  switch (link_at (self, row, column))
    {
    case BEAM_CLUSTER_LINK_SELF:
      return g_strdup (a);
    case BEAM_CLUSTER_LINK_BOTH:
      /* Translators: a cell of the connectivity matrix; both are node names */
      return g_strdup_printf (_("%s and %s see each other"), a, b);
    case BEAM_CLUSTER_LINK_ONE_WAY:
      /* Translators: a cell of the connectivity matrix; %1$s and %2$s are node names */
      text = g_strdup_printf (_("%1$s sees %2$s, %2$s does not see %1$s"), a, b);
      break;
    case BEAM_CLUSTER_LINK_MISSING:
      /* Translators: a cell of the connectivity matrix; both are node names */
      text = g_strdup_printf (_("%s and %s do not see each other"), a, b);
      break;
    case BEAM_CLUSTER_LINK_UNKNOWN:
    default:
      /* Translators: a cell of the connectivity matrix; both are node names */
      return g_strdup_printf (_("%s and %s: not known (one is down or not answering)"), a, b);
    }
  since = dup_since (self, a, b);
  if (since == NULL)
    return g_steal_pointer (&text);
  return g_strdup_printf ("%s (%s)", text, since);
}

static gboolean
on_query_tooltip (BeamClusterMatrix *self,
                  int                x,
                  int                y,
                  gboolean           keyboard,
                  GtkTooltip        *tooltip)
{
  g_autofree char *text = NULL;
  guint row, column;

  if (keyboard)
    {
      row = self->focus_row;
      column = self->focus_column;
    }
  else if (!cell_at (self, x, y, &row, &column))
    return FALSE;
  text = beam_cluster_matrix_dup_cell_text (self, row, column);
  if (text == NULL)
    return FALSE;
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

/* ---- drawing ----------------------------------------------------------------------- */

static void
draw_names (BeamClusterMatrix *self,
            cairo_t           *cr,
            int                cell)
{
  int start = origin (self);

  gdk_cairo_set_source_rgba (cr, &self->fg);
  for (guint i = 0; i < self->names->len; i++)
    {
      PangoLayout *layout = g_ptr_array_index (self->names, i);
      int width, height;

      pango_layout_get_pixel_size (layout, &width, &height);
      /* Down the left, right-aligned against the cells. */
      cairo_move_to (cr, self->name_width - width, start + i * cell + (cell - height) / 2.0);
      pango_cairo_show_layout (cr, layout);
      /* Along the top, turned to read upwards, ending at the cells. */
      cairo_save (cr);
      cairo_translate (cr, start + i * cell + (cell - height) / 2.0, self->name_width);
      cairo_rotate (cr, -G_PI / 2);
      cairo_move_to (cr, 0, 0);
      pango_cairo_show_layout (cr, layout);
      cairo_restore (cr);
    }
}

static void
beam_cluster_matrix_snapshot (GtkWidget   *widget,
                              GtkSnapshot *snapshot)
{
  BeamClusterMatrix *self = BEAM_CLUSTER_MATRIX (widget);
  int cell = cell_size (self->n);
  int start = origin (self);
  int side = cell * (int) self->n;
  /* A gap between cells while they are big enough to spare one. */
  double gap = cell >= 10 ? 1.5 : 0;
  cairo_t *cr;

  self->n_cells = 0;
  if (self->model == NULL || self->n == 0)
    return;
  ensure_colors (self);
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, start + side,
                                                                 start + side));
  draw_names (self, cr, cell);

  /* One path per kind of cell. */
  for (int kind = BEAM_CLUSTER_LINK_BOTH; kind <= BEAM_CLUSTER_LINK_SELF; kind++)
    {
      cairo_new_path (cr);
      for (guint i = 0; i < self->n; i++)
        for (guint j = 0; j < self->n; j++)
          {
            double x = start + j * cell + gap / 2, y = start + i * cell + gap / 2;
            double size = cell - gap;

            if ((int) link_at (self, i, j) != kind)
              continue;
            if (kind == BEAM_CLUSTER_LINK_ONE_WAY)
              {
                /* The half of the cell toward the one who sees. */
                cairo_move_to (cr, x, y);
                cairo_line_to (cr, x + size, y);
                cairo_line_to (cr, x, y + size);
                cairo_close_path (cr);
              }
            else
              cairo_rectangle (cr, x, y, size, size);
          }
      switch (kind)
        {
        case BEAM_CLUSTER_LINK_BOTH:
          gdk_cairo_set_source_rgba (cr, &self->both);
          cairo_fill (cr);
          break;
        case BEAM_CLUSTER_LINK_ONE_WAY:
          gdk_cairo_set_source_rgba (cr, &self->one_way);
          cairo_fill (cr);
          break;
        case BEAM_CLUSTER_LINK_MISSING:
          gdk_cairo_set_source_rgba (cr, &self->missing);
          cairo_fill (cr);
          break;
        case BEAM_CLUSTER_LINK_UNKNOWN:
          {
            /* Hatched: the cells clip diagonal lines across the matrix. */
            cairo_save (cr);
            cairo_clip (cr);
            cairo_set_source_rgba (cr, self->fg.red, self->fg.green, self->fg.blue,
                                   0.35 * self->fg.alpha);
            cairo_set_line_width (cr, 1);
            for (int d = -side; d < side; d += 5)
              {
                cairo_move_to (cr, start + d, start + side);
                cairo_line_to (cr, start + d + side, start);
              }
            cairo_stroke (cr);
            cairo_restore (cr);
            break;
          }
        case BEAM_CLUSTER_LINK_SELF:
        default:
          cairo_set_source_rgba (cr, self->fg.red, self->fg.green, self->fg.blue,
                                 0.12 * self->fg.alpha);
          cairo_fill (cr);
          break;
        }
    }
  /* The one-way cells' other half, outlined so the cell still reads as one. */
  cairo_new_path (cr);
  for (guint i = 0; i < self->n; i++)
    for (guint j = 0; j < self->n; j++)
      if (link_at (self, i, j) == BEAM_CLUSTER_LINK_ONE_WAY)
        cairo_rectangle (cr, start + j * cell + gap / 2 + 0.5, start + i * cell + gap / 2 + 0.5,
                         cell - gap - 1, cell - gap - 1);
  gdk_cairo_set_source_rgba (cr, &self->one_way);
  cairo_set_line_width (cr, 1);
  cairo_stroke (cr);

  if (gtk_widget_has_visible_focus (widget))
    {
      gdk_cairo_set_source_rgba (cr, &self->focus);
      cairo_set_line_width (cr, 2);
      cairo_rectangle (cr, start + self->focus_column * cell + 1,
                       start + self->focus_row * cell + 1, cell - 2, cell - 2);
      cairo_stroke (cr);
    }
  cairo_destroy (cr);
  self->n_cells = self->n * self->n;
}

static void
beam_cluster_matrix_measure (GtkWidget      *widget,
                             GtkOrientation  orientation G_GNUC_UNUSED,
                             int             for_size G_GNUC_UNUSED,
                             int            *minimum,
                             int            *natural,
                             int            *minimum_baseline,
                             int            *natural_baseline)
{
  BeamClusterMatrix *self = BEAM_CLUSTER_MATRIX (widget);

  /* Square: the names on the left are as wide as those on top are tall. */
  *minimum = *natural = origin (self) + cell_size (self->n) * (int) self->n;
  *minimum_baseline = *natural_baseline = -1;
}

static void
beam_cluster_matrix_css_changed (GtkWidget         *widget,
                                 GtkCssStyleChange *change)
{
  BeamClusterMatrix *self = BEAM_CLUSTER_MATRIX (widget);

  GTK_WIDGET_CLASS (beam_cluster_matrix_parent_class)->css_changed (widget, change);
  self->colors_valid = FALSE;
  /* The font may have changed: the names measured again. */
  rebuild (self);
}

/* ---- input ------------------------------------------------------------------------- */

static void
move_focus (BeamClusterMatrix *self,
            int                rows,
            int                columns)
{
  if (self->n == 0)
    return;
  self->focus_row = CLAMP ((int) self->focus_row + rows, 0, (int) self->n - 1);
  self->focus_column = CLAMP ((int) self->focus_column + columns, 0, (int) self->n - 1);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  self->focus_moved = TRUE;
  describe (self);
  gtk_widget_trigger_tooltip_query (GTK_WIDGET (self));
}

static void
activate_focus (BeamClusterMatrix *self)
{
  if (self->n > 0)
    g_signal_emit (self, signals[ACTIVATE_NODE], 0, node_name (self, self->focus_row));
}

static gboolean
on_arrow (GtkWidget *widget,
          GVariant  *arguments,
          gpointer   user_data G_GNUC_UNUSED)
{
  guint key = g_variant_get_uint32 (arguments);

  move_focus (BEAM_CLUSTER_MATRIX (widget),
              key == GDK_KEY_Up ? -1 : key == GDK_KEY_Down ? 1 : 0,
              key == GDK_KEY_Left ? -1 : key == GDK_KEY_Right ? 1 : 0);
  return TRUE;
}

static gboolean
on_activate_key (GtkWidget *widget,
                 GVariant  *arguments G_GNUC_UNUSED,
                 gpointer   user_data G_GNUC_UNUSED)
{
  activate_focus (BEAM_CLUSTER_MATRIX (widget));
  return TRUE;
}

static void
on_pressed (BeamClusterMatrix *self,
            int                n_press,
            double             x,
            double             y,
            GtkGestureClick   *gesture G_GNUC_UNUSED)
{
  guint row, column;

  if (!cell_at (self, x, y, &row, &column))
    return;
  gtk_widget_grab_focus (GTK_WIDGET (self));
  move_focus (self, (int) row - (int) self->focus_row, (int) column - (int) self->focus_column);
  if (n_press == 2)
    activate_focus (self);
}

static void
add_arrow_binding (GtkWidgetClass *widget_class,
                   guint           key,
                   guint           keypad_key)
{
  gtk_widget_class_add_binding (widget_class, key, 0, on_arrow, "u", key);
  gtk_widget_class_add_binding (widget_class, keypad_key, 0, on_arrow, "u", key);
}

/* ---- GObject ----------------------------------------------------------------------- */

static void
beam_cluster_matrix_dispose (GObject *object)
{
  BeamClusterMatrix *self = BEAM_CLUSTER_MATRIX (object);

  beam_cluster_matrix_set_model (self, NULL);
  G_OBJECT_CLASS (beam_cluster_matrix_parent_class)->dispose (object);
}

static void
beam_cluster_matrix_finalize (GObject *object)
{
  BeamClusterMatrix *self = BEAM_CLUSTER_MATRIX (object);

  g_ptr_array_unref (self->names);
  g_array_unref (self->shown);
  G_OBJECT_CLASS (beam_cluster_matrix_parent_class)->finalize (object);
}

static void
beam_cluster_matrix_class_init (BeamClusterMatrixClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = beam_cluster_matrix_dispose;
  object_class->finalize = beam_cluster_matrix_finalize;
  widget_class->snapshot = beam_cluster_matrix_snapshot;
  widget_class->measure = beam_cluster_matrix_measure;
  widget_class->css_changed = beam_cluster_matrix_css_changed;

  /* The row's node, as a double click or Enter on a cell asks to open it. */
  signals[ACTIVATE_NODE] =
    g_signal_new ("activate-node", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE);

  add_arrow_binding (widget_class, GDK_KEY_Left, GDK_KEY_KP_Left);
  add_arrow_binding (widget_class, GDK_KEY_Right, GDK_KEY_KP_Right);
  add_arrow_binding (widget_class, GDK_KEY_Up, GDK_KEY_KP_Up);
  add_arrow_binding (widget_class, GDK_KEY_Down, GDK_KEY_KP_Down);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_Return, 0, on_activate_key, NULL);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_KP_Enter, 0, on_activate_key, NULL);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_space, 0, on_activate_key, NULL);

  gtk_widget_class_set_css_name (widget_class, "beam-cluster-matrix");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
beam_cluster_matrix_init (BeamClusterMatrix *self)
{
  GtkGesture *click = gtk_gesture_click_new ();

  self->names = g_ptr_array_new_with_free_func (g_object_unref);
  self->shown = g_array_new (FALSE, FALSE, sizeof (guint));
  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  g_signal_connect (self, "query-tooltip", G_CALLBACK (on_query_tooltip), NULL);
  g_signal_connect_swapped (click, "pressed", G_CALLBACK (on_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Who sees whom"), -1);
}

GtkWidget *
beam_cluster_matrix_new (void)
{
  return g_object_new (BEAM_TYPE_CLUSTER_MATRIX, NULL);
}

void
beam_cluster_matrix_set_model (BeamClusterMatrix *self,
                               BeamClusterModel  *model)
{
  g_return_if_fail (BEAM_IS_CLUSTER_MATRIX (self));
  g_return_if_fail (model == NULL || BEAM_IS_CLUSTER_MODEL (model));

  if (self->model == model)
    return;
  if (self->model != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->model, self);
      g_signal_handlers_disconnect_by_data (beam_cluster_model_get_nodes (self->model), self);
    }
  g_set_object (&self->model, model);
  if (model != NULL)
    {
      g_signal_connect_object (model, "links-changed", G_CALLBACK (on_links_changed), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (beam_cluster_model_get_nodes (model), "items-changed",
                               G_CALLBACK (on_nodes_changed), self, G_CONNECT_SWAPPED);
    }
  rebuild (self);
}

BeamClusterModel *
beam_cluster_matrix_get_model (BeamClusterMatrix *self)
{
  g_return_val_if_fail (BEAM_IS_CLUSTER_MATRIX (self), NULL);
  return self->model;
}

void
beam_cluster_matrix_get_focus_cell (BeamClusterMatrix *self,
                                    guint             *row,
                                    guint             *column)
{
  g_return_if_fail (BEAM_IS_CLUSTER_MATRIX (self));
  if (row != NULL)
    *row = self->focus_row;
  if (column != NULL)
    *column = self->focus_column;
}

guint
beam_cluster_matrix_get_n_cells (BeamClusterMatrix *self)
{
  g_return_val_if_fail (BEAM_IS_CLUSTER_MATRIX (self), 0);
  return self->n_cells;
}
