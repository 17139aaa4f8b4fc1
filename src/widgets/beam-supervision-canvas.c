/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The widget: its view (pan and zoom), selection, search and marks, its
 * properties, signals, actions and public API. The boxes it shows are laid
 * out by beam-supervision-canvas-layout.c; the files share
 * beam-supervision-canvas-internal.h.
 *
 * A frame draws in passes over the boxes found, one path per style (fill,
 * then outline), then the text, so cairo sees a few dozen operations, not
 * several per box. Text is one PangoLayout per box, kept until the theme,
 * font or marks change. Zoomed out until text would be under about 6 px,
 * boxes are plain shapes; until a box is a few pixels high, runs of them in a
 * column are one rectangle. Colours are libadwaita's named colours, looked
 * up again when the style changes (dark or light). */

#define G_LOG_DOMAIN "beamscope-widgets"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <math.h>
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

enum
{
  ACTIVATE_NODE,
  CONTEXT_MENU,
  FETCH_MORE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

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

static void
set_view (BeamSupervisionCanvas *self,
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
static void
zoom_at (BeamSupervisionCanvas *self,
         double                 zoom,
         double                 x,
         double                 y)
{
  double canvas_x = self->view_x + x / self->zoom;
  double canvas_y = self->view_y + y / self->zoom;

  zoom = CLAMP (zoom, min_zoom (self), ZOOM_MAX);
  set_view (self, canvas_x - x / zoom, canvas_y - y / zoom, zoom);
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
  zoom_at (self, self->zoom * factor, x, y);
}

static void
zoom_to_fit (BeamSupervisionCanvas *self)
{
  double width = gtk_widget_get_width (GTK_WIDGET (self));
  double height = gtk_widget_get_height (GTK_WIDGET (self));
  double zoom = fit_zoom (self);

  set_view (self, (_beam_canvas_bounds_width (self) - width / zoom) / 2,
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
  set_view (self, rect.origin.x + rect.size.width / 2 - width / 2 / zoom,
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
  set_view (self, x, y, self->zoom);
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
  set_view (self, 0, _beam_canvas_row_centre (master->row) - height / 2, 1.0);
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

      set_view (self, _beam_canvas_box_left (box) - before_x,
                _beam_canvas_row_top (box->row) - before_y, self->zoom);
    }
  else
    set_view (self, self->view_x, self->view_y, self->zoom);
  update_actions (self);
}

/* ---- text and colour ----------------------------------------------------------- */

static GdkRGBA
mix (const GdkRGBA *under,
     const GdkRGBA *over,
     double         amount)
{
  GdkRGBA mixed = {
    under->red + (over->red - under->red) * amount,
    under->green + (over->green - under->green) * amount,
    under->blue + (over->blue - under->blue) * amount,
    1.0,
  };

  return mixed;
}

static void
lookup_color (GtkStyleContext *context,
              const char      *name,
              const char      *fallback,
              GdkRGBA         *color)
{
  if (!gtk_style_context_lookup_color (context, name, color))
    gdk_rgba_parse (color, fallback);
}

/* libadwaita's named colours, which follow dark and light; the fallbacks
 * are its own values, for a theme that does not define them. */
static void
ensure_colors (BeamSupervisionCanvas *self)
{
  GtkStyleContext *context = gtk_widget_get_style_context (GTK_WIDGET (self));
  gboolean dark = adw_style_manager_get_dark (adw_style_manager_get_default ());
  Colors *c = &self->colors;
  GdkRGBA accent_bg, card, warning;

  if (self->colors_valid)
    return;
  gtk_style_context_get_color (context, &c->fg);
  lookup_color (context, "view_bg_color", dark ? "#1e1e1e" : "#ffffff", &c->view_bg);
  lookup_color (context, "accent_bg_color", "#3584e4", &accent_bg);
  lookup_color (context, "accent_color", dark ? "#78aeed" : "#1c71d8", &c->accent);
  lookup_color (context, "card_bg_color", dark ? "rgba(255,255,255,0.08)" : "#ffffff", &card);
  lookup_color (context, "warning_bg_color", "#e5a50a", &c->warning_bg);
  lookup_color (context, "warning_fg_color", "rgba(0,0,0,0.8)", &c->warning_fg);
  lookup_color (context, "warning_color", dark ? "#f8e45c" : "#9c6e03", &c->warning_text);
  c->fg.alpha = 1.0;
  c->view_bg.alpha = 1.0;
  accent_bg.alpha = 1.0;
  /* Opaque mixes over the view, so that a box hides what is under it. */
  card = mix (&c->view_bg, &(GdkRGBA) { card.red, card.green, card.blue, 1 }, card.alpha);
  warning = c->warning_bg;

  c->fill[STYLE_MASTER] = mix (&c->view_bg, &c->fg, dark ? 0.12 : 0.07);
  c->outline[STYLE_MASTER] = mix (&c->view_bg, &c->fg, 0.35);
  c->fill[STYLE_SUPERVISOR] = mix (&c->view_bg, &accent_bg, dark ? 0.32 : 0.16);
  c->outline[STYLE_SUPERVISOR] = mix (&c->view_bg, &accent_bg, dark ? 0.8 : 0.7);
  c->fill[STYLE_WORKER] = card;
  c->outline[STYLE_WORKER] = mix (&c->view_bg, &c->fg, dark ? 0.3 : 0.22);
  c->fill[STYLE_INACTIVE] = c->view_bg;
  c->outline[STYLE_INACTIVE] = mix (&c->view_bg, &warning, 0.8);
  c->fill[STYLE_NOT_ANSWERING] = mix (&c->view_bg, &c->fg, dark ? 0.18 : 0.12);
  c->outline[STYLE_NOT_ANSWERING] = mix (&c->view_bg, &c->fg, 0.3);
  c->fill[STYLE_LINKED] = c->view_bg;
  c->outline[STYLE_LINKED] = mix (&c->view_bg, &c->fg, 0.45);
  c->fill[STYLE_SUMMARY] = mix (&c->view_bg, &accent_bg, dark ? 0.14 : 0.06);
  c->outline[STYLE_SUMMARY] = mix (&c->view_bg, &accent_bg, 0.8);
  c->fill[STYLE_MORE] = c->view_bg;
  c->outline[STYLE_MORE] = mix (&c->view_bg, &c->fg, 0.3);
  c->connector = mix (&c->view_bg, &c->fg, dark ? 0.35 : 0.3);
  c->selection = accent_bg;
  /* The yellow of a search hit in GNOME's editors. */
  gdk_rgba_parse (&c->search, dark ? "#c88800" : "#f8e45c");
  self->colors_valid = TRUE;
}

static void
drop_texts (BeamSupervisionCanvas *self)
{
  g_hash_table_remove_all (self->texts);
  g_clear_object (&self->restarted_layout);
}

static void
box_text_free (gpointer data)
{
  BoxText *text = data;

  g_clear_object (&text->text);
  g_clear_object (&text->count);
  g_free (text);
}

static gpointer
text_key (const Box *box)
{
  /* Node indices stay well under 2^30: a box's kind fits beside them. */
  if (box->kind == _BEAM_CANVAS_BOX_MASTER)
    return GUINT_TO_POINTER (1);
  return GUINT_TO_POINTER (((box->node + 1) << 2) | box->kind);
}

static char *
format_count (guint64 count)
{
  /* Grouped as the locale groups thousands. */
  return g_strdup_printf ("%'" G_GUINT64_FORMAT, count);
}

static char *
supervisor_detail (const BeamSupervisionNode *node)
{
  g_autofree char *intensity = node->intensity >= 0
                               ? g_strdup_printf ("%" G_GINT64_FORMAT, node->intensity)
                               : g_strdup ("?");
  g_autofree char *period = node->period >= 0
                            ? g_strdup_printf ("%" G_GINT64_FORMAT, node->period)
                            : g_strdup ("?");

  if (node->status == BEAM_SUPERVISOR_NOT_ANSWERING)
    return g_strdup (_("not answering"));
  /* TRANSLATORS: a supervisor's strategy, then its restart intensity and
   * period: "one_for_one · 10/60s" */
  return g_strdup_printf (_("%s · %s/%ss"),
                          node->strategy != NULL ? node->strategy : _("supervisor"),
                          intensity, period);
}

static char *
worker_detail (const BeamSupervisionNode *node)
{
  const char *restart = node->restart != NULL ? node->restart : _("worker");

  if (node->type == BEAM_SUPERVISION_LINKED)
    return g_strdup (node->pid != NULL && g_str_has_prefix (node->pid, "#Port")
                     ? _("linked port") : _("linked process"));
  if (node->state == BEAM_SUPERVISION_RESTARTING)
    return g_strdup_printf (_("restarting · %s"), restart);
  if (node->state == BEAM_SUPERVISION_UNDEFINED)
    return g_strdup_printf (_("undefined · %s"), restart);
  if (node->shutdown == NULL)
    return g_strdup (restart);
  return g_strdup_printf ("%s · %s", restart, node->shutdown);
}

static void
add_color (PangoAttrList *attrs,
           const GdkRGBA *color,
           double         alpha,
           guint          start,
           guint          end)
{
  PangoAttribute *attr = pango_attr_foreground_new (color->red * 65535, color->green * 65535,
                                                    color->blue * 65535);

  attr->start_index = start;
  attr->end_index = end;
  pango_attr_list_insert (attrs, attr);
  attr = pango_attr_foreground_alpha_new (alpha * 65535);
  attr->start_index = start;
  attr->end_index = end;
  pango_attr_list_insert (attrs, attr);
}

/* Three lines: the title, what else names it, and its detail. */
static BoxText *
box_text_new (BeamSupervisionCanvas *self,
              const Box             *box)
{
  const Colors *c = &self->colors;
  BoxText *text = g_new0 (BoxText, 1);
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *detail = NULL;
  g_autoptr(GString) all = NULL;
  PangoAttrList *attrs = pango_attr_list_new ();
  PangoAttribute *attr;
  const GdkRGBA *detail_color = &c->fg;
  gboolean bold = FALSE, dim = FALSE;
  guint title_end, detail_start;
  int width;

  if (box->kind == _BEAM_CANVAS_BOX_MASTER)
    {
      title = g_strdup (self->tree->application);
      subtitle = g_strdup (_("application master"));
      detail = g_strdup (self->tree->master_pid);
      bold = TRUE;
    }
  else if (box->kind == _BEAM_CANVAS_BOX_SUMMARY)
    {
      guint64 count = _beam_canvas_all_children_count (self, box->node);
      g_autofree char *number = format_count (count);

      title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s child", "%s children",
                                            count > G_MAXULONG ? G_MAXULONG : (gulong) count),
                               number);
      detail = g_strdup (_("Click to expand"));
      bold = TRUE;
      detail_color = &c->accent;
    }
  else if (box->kind == _BEAM_CANVAS_BOX_MORE)
    {
      guint64 count = _beam_canvas_unfetched_count (self, box->node);
      g_autofree char *number = format_count (count);

      title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s more", "%s more",
                                            count > G_MAXULONG ? G_MAXULONG : (gulong) count),
                               number);
      if (_beam_canvas_node_at (self, box->node)->status == BEAM_SUPERVISOR_COUNTED)
        {
          detail = g_strdup (_("Click to fetch more"));
          detail_color = &c->accent;
        }
      else
        {
          detail = g_strdup (_("not fetched"));
          dim = TRUE;
        }
    }
  else
    {
      const BeamSupervisionNode *node = _beam_canvas_node_at (self, box->node);
      g_autoptr(GString) names = g_string_new (NULL);

      title = g_strdup (node->name != NULL ? node->name
                        : node->pid != NULL ? node->pid
                        : node->id != NULL ? node->id
                        : _("no process"));
      if (node->id != NULL && g_strcmp0 (node->id, title) != 0)
        g_string_append (names, node->id);
      if (node->name != NULL && node->pid != NULL)
        g_string_append_printf (names, "%s%s", names->len > 0 ? " · " : "", node->pid);
      if (names->len == 0 && node->module != NULL && g_strcmp0 (node->module, title) != 0)
        g_string_append (names, node->module);
      subtitle = g_string_free (g_steal_pointer (&names), FALSE);
      detail = _beam_canvas_is_supervisor (node) ? supervisor_detail (node) : worker_detail (node);
      bold = _beam_canvas_is_supervisor (node);
      dim = box->style == STYLE_NOT_ANSWERING || box->style == STYLE_INACTIVE;
      if (node->state == BEAM_SUPERVISION_RESTARTING)
        detail_color = &c->warning_text;
    }

  all = g_string_new (title);
  title_end = all->len;
  if (subtitle != NULL && subtitle[0] != '\0')
    g_string_append_printf (all, "\n%s", subtitle);
  detail_start = all->len + 1;
  g_string_append_printf (all, "\n%s", detail != NULL ? detail : "");

  if (box->kind == _BEAM_CANVAS_BOX_SUMMARY)
    add_color (attrs, &c->accent, 1.0, 0, title_end);
  else
    add_color (attrs, &c->fg, dim ? 0.6 : 1.0, 0, title_end);
  add_color (attrs, &c->fg, dim ? 0.5 : 0.7, title_end, detail_start);
  add_color (attrs, detail_color, detail_color == &c->fg ? (dim ? 0.5 : 0.7) : 1.0,
             detail_start, all->len);
  if (bold)
    {
      attr = pango_attr_weight_new (PANGO_WEIGHT_BOLD);
      attr->end_index = title_end;
      pango_attr_list_insert (attrs, attr);
    }
  attr = pango_attr_scale_new (PANGO_SCALE_SMALL);
  attr->start_index = title_end;
  pango_attr_list_insert (attrs, attr);

  /* A supervisor's restarts, in a pill at the top right. */
  if (box->kind == _BEAM_CANVAS_BOX_NODE && self->restart_counts != NULL &&
      self->restart_counts[box->node] > 0)
    {
      g_autofree char *count = g_strdup_printf ("↻ %u", self->restart_counts[box->node]);
      PangoAttrList *count_attrs = pango_attr_list_new ();

      text->count = gtk_widget_create_pango_layout (GTK_WIDGET (self), count);
      pango_attr_list_insert (count_attrs, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
      pango_attr_list_insert (count_attrs, pango_attr_scale_new (PANGO_SCALE_SMALL));
      pango_layout_set_attributes (text->count, count_attrs);
      pango_attr_list_unref (count_attrs);
      pango_layout_get_pixel_size (text->count, &text->count_width, &text->count_height);
    }

  text->text = gtk_widget_create_pango_layout (GTK_WIDGET (self), all->str);
  pango_layout_set_attributes (text->text, attrs);
  pango_attr_list_unref (attrs);
  width = BOX_WIDTH - 2 * BOX_PADDING - (text->count != NULL ? text->count_width + 14 : 0);
  pango_layout_set_width (text->text, width * PANGO_SCALE);
  /* One line per paragraph, ellipsized. */
  pango_layout_set_height (text->text, -1);
  pango_layout_set_ellipsize (text->text, PANGO_ELLIPSIZE_END);
  pango_layout_get_pixel_size (text->text, NULL, &text->text_height);
  return text;
}

static BoxText *
text_for (BeamSupervisionCanvas *self,
          const Box             *box)
{
  gpointer key = text_key (box);
  BoxText *text = g_hash_table_lookup (self->texts, key);

  if (text != NULL)
    return text;
  /* Whole trees are seldom read at once: when the cache fills, start again. */
  if (g_hash_table_size (self->texts) >= TEXT_CACHE_MAX)
    g_hash_table_remove_all (self->texts);
  text = box_text_new (self, box);
  g_hash_table_insert (self->texts, key, text);
  return text;
}

/* ---- drawing ------------------------------------------------------------------- */

typedef struct
{
  BeamSupervisionCanvas *self;
  cairo_t               *cr;
  double                 scale;     /* device pixels per logical one */
  double                 width;
  double                 height;
  double                 first_row; /* a box from this row down to... */
  double                 last_row;  /* ...this one reaches the screen */
} Paint;

/* Widget coordinates of canvas ones, snapped to device pixels. */
static inline double
snap (double value,
      double scale)
{
  return round (value * scale) / scale;
}

static inline double
screen_x (BeamSupervisionCanvas *self,
          double                 x)
{
  return (x - self->view_x) * self->zoom;
}

static inline double
screen_y (BeamSupervisionCanvas *self,
          double                 y)
{
  return (y - self->view_y) * self->zoom;
}

static inline gboolean
box_on_screen (const Paint *paint,
               const Box   *box)
{
  return box->row >= paint->first_row && box->row <= paint->last_row;
}

static void
set_source (cairo_t       *cr,
            const GdkRGBA *color)
{
  gdk_cairo_set_source_rgba (cr, color);
}

static void
rounded_rectangle (cairo_t *cr,
                   double   x,
                   double   y,
                   double   width,
                   double   height,
                   double   radius)
{
  radius = MIN (radius, MIN (width, height) / 2);
  if (radius < 0.5)
    {
      cairo_rectangle (cr, x, y, width, height);
      return;
    }
  cairo_new_sub_path (cr);
  cairo_arc (cr, x + width - radius, y + radius, radius, -G_PI / 2, 0);
  cairo_arc (cr, x + width - radius, y + height - radius, radius, 0, G_PI / 2);
  cairo_arc (cr, x + radius, y + height - radius, radius, G_PI / 2, G_PI);
  cairo_arc (cr, x + radius, y + radius, radius, G_PI, 3 * G_PI / 2);
  cairo_close_path (cr);
}

/* A box's rectangle on screen, snapped, grown by `grow` logical pixels. */
static void
screen_rect (const Paint *paint,
             const Box   *box,
             double       grow,
             double      *x,
             double      *y,
             double      *width,
             double      *height)
{
  BeamSupervisionCanvas *self = paint->self;
  double left = snap (screen_x (self, _beam_canvas_box_left (box)), paint->scale) - grow;
  double top = snap (screen_y (self, _beam_canvas_row_top (box->row)), paint->scale) - grow;
  double right = snap (screen_x (self, _beam_canvas_box_left (box) + BOX_WIDTH),
                       paint->scale) + grow;
  double bottom = snap (screen_y (self, _beam_canvas_row_top (box->row) + BOX_HEIGHT),
                        paint->scale) + grow;

  *x = left;
  *y = top;
  *width = MAX (right - left, 1 / paint->scale);
  *height = MAX (bottom - top, 1 / paint->scale);
}

/* The boxes the screen shows, and the parents whose connectors cross it. */
static void
find_visible (BeamSupervisionCanvas *self,
              Paint                 *paint)
{
  double x0 = self->view_x, x1 = self->view_x + paint->width / self->zoom;
  double y0 = self->view_y, y1 = self->view_y + paint->height / self->zoom;
  /* A column owns the half gaps either side of it, where its connectors run. */
  double first_column = floor ((x0 - MARGIN + GAP_X / 2) / COLUMN_PITCH);
  double last_column = floor ((x1 - MARGIN + GAP_X / 2) / COLUMN_PITCH);
  double pixel_rows;

  g_array_set_size (self->visible, 0);
  paint->first_row = (y0 - MARGIN - BOX_HEIGHT) / ROW_PITCH;
  paint->last_row = (y1 - MARGIN) / ROW_PITCH;
  if (self->boxes->len == 0 || last_column < 0 || first_column >= self->n_columns)
    return;
  /* Rows closer than a device pixel: one box per pixel row is drawn, the
   * rest skipped, so that a frame costs the screen's height however many
   * children an expanded supervisor has. */
  pixel_rows = 1 / (ROW_PITCH * self->zoom * paint->scale);
  for (guint column = MAX (first_column, 0); column <= MIN (last_column, self->n_columns - 1);
       column++)
    for (guint i = _beam_canvas_first_box_reaching (self, column, paint->first_row);
         i < self->column_start[column + 1] &&
         g_array_index (self->boxes, Box, i).span_top <= paint->last_row;)
      {
        g_array_append_val (self->visible, i);
        if (pixel_rows > 1)
          i = MAX (i + 1, _beam_canvas_first_box_reaching (self, column,
                                                           g_array_index (self->boxes, Box, i).row +
                                                           pixel_rows));
        else
          i++;
      }
}

static void
draw_connectors (const Paint *paint,
                 gboolean     stubs)
{
  BeamSupervisionCanvas *self = paint->self;
  cairo_t *cr = paint->cr;
  double line = 1 / paint->scale;
  double half = line / 2;
  double top = -line, bottom = paint->height + line;

  for (guint v = 0; v < self->visible->len; v++)
    {
      const Box *box = &g_array_index (self->boxes, Box, g_array_index (self->visible, guint, v));
      double y = snap (screen_y (self, _beam_canvas_row_centre (box->row)), paint->scale) + half;

      if (stubs && box->column > 0 && box_on_screen (paint, box))
        {
          double x = snap (screen_x (self, _beam_canvas_box_left (box) - GAP_X / 2), paint->scale);

          cairo_move_to (cr, x, y);
          cairo_line_to (cr, snap (screen_x (self, _beam_canvas_box_left (box)), paint->scale), y);
        }
      if (box->has_children)
        {
          double right = snap (screen_x (self, _beam_canvas_box_left (box) + BOX_WIDTH),
                               paint->scale);
          double x = snap (screen_x (self, _beam_canvas_box_left (box) + BOX_WIDTH + GAP_X / 2),
                           paint->scale) + half;
          double span_top = screen_y (self, _beam_canvas_row_centre (box->span_top));
          double span_bottom = screen_y (self, _beam_canvas_row_centre (box->span_bottom));

          if (box_on_screen (paint, box))
            {
              cairo_move_to (cr, right, y);
              cairo_line_to (cr, x + half, y);
            }
          /* Clipped here: a million rows away is past what cairo's fixed point holds. */
          span_top = snap (CLAMP (span_top, top, bottom), paint->scale) + half;
          span_bottom = snap (CLAMP (span_bottom, top, bottom), paint->scale) + half;
          if (span_bottom > span_top)
            {
              cairo_move_to (cr, x, span_top - half);
              cairo_line_to (cr, x, span_bottom + half);
            }
        }
    }
  set_source (cr, &self->colors.connector);
  cairo_set_line_width (cr, line);
  cairo_stroke (cr);
}

static gboolean
is_dashed (BoxStyle style)
{
  return style == STYLE_LINKED || style == STYLE_SUMMARY || style == STYLE_MORE;
}

/* Every box of one style in one path: filled, then outlined. */
static void
draw_style (const Paint *paint,
            BoxStyle     style)
{
  BeamSupervisionCanvas *self = paint->self;
  cairo_t *cr = paint->cr;
  double line = 1 / paint->scale;
  double radius = CORNER_RADIUS * self->zoom;
  gboolean any = FALSE;

  for (guint v = 0; v < self->visible->len; v++)
    {
      const Box *box = &g_array_index (self->boxes, Box, g_array_index (self->visible, guint, v));
      double x, y, width, height;

      if (box->style != style || !box_on_screen (paint, box))
        continue;
      screen_rect (paint, box, 0, &x, &y, &width, &height);
      rounded_rectangle (cr, x + line / 2, y + line / 2, width - line, height - line, radius);
      any = TRUE;
    }
  if (!any)
    return;
  set_source (cr, &self->colors.fill[style]);
  cairo_fill_preserve (cr);
  if (is_dashed (style))
    {
      double dash = 4 * MAX (self->zoom, 0.5);

      cairo_set_dash (cr, &dash, 1, 0);
    }
  cairo_set_line_width (cr, line);
  set_source (cr, &self->colors.outline[style]);
  cairo_stroke (cr);
  cairo_set_dash (cr, NULL, 0, 0);
}

/* Boxes a few pixels high: each column's runs of touching boxes of a style
 * as one rectangle, in its outline colour. */
static void
draw_style_tiny (const Paint *paint,
                 BoxStyle     style)
{
  BeamSupervisionCanvas *self = paint->self;
  cairo_t *cr = paint->cr;
  double pixel = 1 / paint->scale;
  double run_x = 0, run_top = 0, run_bottom = -1, run_width = 0;
  gboolean any = FALSE;

  for (guint v = 0; v < self->visible->len; v++)
    {
      const Box *box = &g_array_index (self->boxes, Box, g_array_index (self->visible, guint, v));
      double x, y, width, height;

      if (box->style != style || !box_on_screen (paint, box))
        continue;
      screen_rect (paint, box, 0, &x, &y, &width, &height);
      /* Boxes a pixel apart stay apart: runs merge only what touches. */
      if (run_bottom >= run_top && x == run_x && y <= run_bottom + pixel / 2)
        {
          run_bottom = MAX (run_bottom, y + height);
          continue;
        }
      if (run_bottom >= run_top)
        cairo_rectangle (cr, run_x, run_top, run_width, run_bottom - run_top);
      run_x = x;
      run_top = y;
      run_bottom = y + height;
      run_width = width;
      any = TRUE;
    }
  if (!any)
    return;
  cairo_rectangle (cr, run_x, run_top, run_width, run_bottom - run_top);
  /* Outlines are what tells styles apart at this size. */
  set_source (cr, &self->colors.outline[style]);
  cairo_fill (cr);
}

static gboolean
is_match_box (BeamSupervisionCanvas *self,
              const Box             *box)
{
  if (box->kind == _BEAM_CANVAS_BOX_NODE)
    return self->matched[box->node];
  return box->kind == _BEAM_CANVAS_BOX_SUMMARY && self->match_below[box->node];
}

/* Search hits under their boxes, a yellow halo that shows at any zoom. */
static void
draw_matches (const Paint *paint)
{
  BeamSupervisionCanvas *self = paint->self;
  cairo_t *cr = paint->cr;
  double grow = MAX (4 * self->zoom, 2);
  gboolean any = FALSE;

  if (self->matches->len == 0)
    return;
  for (guint v = 0; v < self->visible->len; v++)
    {
      const Box *box = &g_array_index (self->boxes, Box, g_array_index (self->visible, guint, v));
      double x, y, width, height;

      if (!box_on_screen (paint, box) || !is_match_box (self, box))
        continue;
      screen_rect (paint, box, grow, &x, &y, &width, &height);
      rounded_rectangle (cr, x, y, width, height, (CORNER_RADIUS + 4) * self->zoom);
      any = TRUE;
    }
  if (!any)
    return;
  set_source (cr, &self->colors.search);
  cairo_fill (cr);
}

static void
draw_pill (cairo_t       *cr,
           PangoLayout   *layout,
           double         right,
           double         centre_y,
           int            text_width,
           int            text_height,
           const GdkRGBA *background,
           const GdkRGBA *foreground)
{
  double width = text_width + 10, height = text_height + 2;

  rounded_rectangle (cr, right - width, centre_y - height / 2, width, height, height / 2);
  gdk_cairo_set_source_rgba (cr, background);
  cairo_fill (cr);
  gdk_cairo_set_source_rgba (cr, foreground);
  cairo_move_to (cr, right - width + 5, centre_y - text_height / 2.0);
  pango_cairo_show_layout (cr, layout);
}

static void
draw_texts (const Paint *paint)
{
  BeamSupervisionCanvas *self = paint->self;
  cairo_t *cr = paint->cr;
  const Colors *c = &self->colors;
  int restarted_width = 0, restarted_height = 0;

  for (guint v = 0; v < self->visible->len; v++)
    {
      const Box *box = &g_array_index (self->boxes, Box, g_array_index (self->visible, guint, v));
      BoxText *text;
      double x, y, width, height;

      if (!box_on_screen (paint, box))
        continue;
      text = text_for (self, box);
      screen_rect (paint, box, 0, &x, &y, &width, &height);
      cairo_save (cr);
      cairo_translate (cr, x, y);
      cairo_scale (cr, self->zoom, self->zoom);
      /* Fewer than three lines sit in the middle of the box. */
      cairo_move_to (cr, BOX_PADDING, round ((BOX_HEIGHT - text->text_height) / 2));
      pango_cairo_show_layout (cr, text->text);
      if (text->count != NULL)
        draw_pill (cr, text->count, BOX_WIDTH - 8, 8 + text->count_height / 2.0,
                   text->count_width, text->count_height, &c->outline[STYLE_SUPERVISOR],
                   &c->view_bg);
      if (box->kind == _BEAM_CANVAS_BOX_NODE && self->restarted != NULL &&
          self->restarted[box->node])
        {
          if (self->restarted_layout == NULL)
            {
              PangoAttrList *attrs = pango_attr_list_new ();

              self->restarted_layout = gtk_widget_create_pango_layout (GTK_WIDGET (self),
                                                                       _("restarted"));
              pango_attr_list_insert (attrs, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
              pango_attr_list_insert (attrs, pango_attr_scale_new (PANGO_SCALE_X_SMALL));
              pango_layout_set_attributes (self->restarted_layout, attrs);
              pango_attr_list_unref (attrs);
            }
          pango_layout_get_pixel_size (self->restarted_layout, &restarted_width,
                                       &restarted_height);
          /* Astride the top edge, where it shows without hiding the title. */
          draw_pill (cr, self->restarted_layout,
                     BOX_WIDTH - 8 - (text->count != NULL ? text->count_width + 16 : 0), 0,
                     restarted_width, restarted_height, &c->warning_bg, &c->warning_fg);
        }
      cairo_restore (cr);
    }
}

/* Zoomed out, a restarted process is a warning-coloured corner. */
static void
draw_restarted_marks (const Paint *paint)
{
  BeamSupervisionCanvas *self = paint->self;
  cairo_t *cr = paint->cr;
  gboolean any = FALSE;

  if (self->restarted == NULL)
    return;
  for (guint v = 0; v < self->visible->len; v++)
    {
      const Box *box = &g_array_index (self->boxes, Box, g_array_index (self->visible, guint, v));
      double x, y, width, height, side;

      if (box->kind != _BEAM_CANVAS_BOX_NODE || !self->restarted[box->node] ||
          !box_on_screen (paint, box))
        continue;
      screen_rect (paint, box, 0, &x, &y, &width, &height);
      side = MAX (height / 2, 2);
      cairo_rectangle (cr, x + width - side, y, side, side);
      any = TRUE;
    }
  if (!any)
    return;
  set_source (cr, &self->colors.warning_bg);
  cairo_fill (cr);
}

static void
draw_selection (const Paint *paint)
{
  BeamSupervisionCanvas *self = paint->self;
  cairo_t *cr = paint->cr;
  const Box *box;
  double x, y, width, height;
  double line = MAX (2.0, 2 / paint->scale);
  gboolean focused = gtk_widget_has_focus (GTK_WIDGET (self));

  if (self->selected == NO_NODE || self->node_box[self->selected] == NO_BOX)
    return;
  box = &g_array_index (self->boxes, Box, self->node_box[self->selected]);
  screen_rect (paint, box, line, &x, &y, &width, &height);
  rounded_rectangle (cr, x + line / 2, y + line / 2, MAX (width - line, 2),
                     MAX (height - line, 2), (CORNER_RADIUS + 2) * self->zoom);
  set_source (cr, &self->colors.selection);
  if (!focused)
    cairo_set_source_rgba (cr, self->colors.selection.red, self->colors.selection.green,
                           self->colors.selection.blue, 0.5);
  cairo_set_line_width (cr, line);
  cairo_stroke (cr);
}

/* Links that are not supervision, dashed, between the boxes' middles. */
static void
draw_links (const Paint *paint)
{
  BeamSupervisionCanvas *self = paint->self;
  cairo_t *cr = paint->cr;
  double dash = 5;
  gboolean any = FALSE;

  for (guint i = 0; i < self->tree->n_links; i++)
    {
      const BeamSupervisionLink *link = &self->tree->links[i];
      const Box *a, *b;
      double ax, ay, bx, by;

      if (link->first >= self->tree->n_nodes || link->second >= self->tree->n_nodes ||
          self->node_box[link->first] == NO_BOX || self->node_box[link->second] == NO_BOX)
        continue;
      a = &g_array_index (self->boxes, Box, self->node_box[link->first]);
      b = &g_array_index (self->boxes, Box, self->node_box[link->second]);
      ax = screen_x (self, _beam_canvas_box_left (a) + BOX_WIDTH / 2);
      ay = screen_y (self, _beam_canvas_row_centre (a->row));
      bx = screen_x (self, _beam_canvas_box_left (b) + BOX_WIDTH / 2);
      by = screen_y (self, _beam_canvas_row_centre (b->row));
      if (MAX (ax, bx) < 0 || MIN (ax, bx) > paint->width ||
          MAX (ay, by) < 0 || MIN (ay, by) > paint->height)
        continue;
      cairo_move_to (cr, ax, ay);
      cairo_line_to (cr, bx, by);
      any = TRUE;
    }
  if (!any)
    return;
  cairo_set_dash (cr, &dash, 1, 0);
  cairo_set_line_width (cr, 1.5);
  set_source (cr, &self->colors.outline[STYLE_LINKED]);
  cairo_stroke (cr);
  cairo_set_dash (cr, NULL, 0, 0);
}

static void
beam_supervision_canvas_snapshot (GtkWidget   *widget,
                                  GtkSnapshot *snapshot)
{
  BeamSupervisionCanvas *self = BEAM_SUPERVISION_CANVAS (widget);
  Paint paint = { .self = self };
  double box_height;
  gboolean with_text, tiny;

  paint.width = gtk_widget_get_width (widget);
  paint.height = gtk_widget_get_height (widget);
  paint.scale = gtk_widget_get_scale_factor (widget);
  self->n_drawn = 0;
  self->drawn_with_text = FALSE;
  if (self->tree == NULL || paint.width <= 0 || paint.height <= 0)
    return;
  ensure_colors (self);
  find_visible (self, &paint);
  box_height = BOX_HEIGHT * self->zoom;
  with_text = self->zoom >= TEXT_MIN_ZOOM;
  tiny = box_height < 6;

  paint.cr = gtk_snapshot_append_cairo (snapshot,
                                        &GRAPHENE_RECT_INIT (0, 0, paint.width, paint.height));
  draw_matches (&paint);
  /* Connectors to each child only while rows are far enough apart to tell. */
  draw_connectors (&paint, ROW_PITCH * self->zoom >= 4);
  /* Under the boxes: they cross the tree's columns. */
  if (self->tree->n_links > 0)
    draw_links (&paint);
  for (BoxStyle style = 0; style < N_STYLES; style++)
    {
      if (tiny)
        draw_style_tiny (&paint, style);
      else
        draw_style (&paint, style);
    }
  if (with_text)
    draw_texts (&paint);
  else
    draw_restarted_marks (&paint);
  draw_selection (&paint);
  cairo_destroy (paint.cr);

  for (guint v = 0; v < self->visible->len; v++)
    self->n_drawn += box_on_screen (&paint, &g_array_index (self->boxes, Box,
                                                            g_array_index (self->visible, guint,
                                                                           v)));
  self->drawn_with_text = with_text;
}

/* ---- selection and expansion --------------------------------------------------- */

static char *
describe_node (BeamSupervisionCanvas *self,
               guint                  index)
{
  const BeamSupervisionNode *node = _beam_canvas_node_at (self, index);
  const char *title = node->name != NULL ? node->name : node->pid != NULL ? node->pid : node->id;
  g_autofree char *detail = _beam_canvas_is_supervisor (node) ? supervisor_detail (node)
                                                 : worker_detail (node);

  return g_strdup_printf (_beam_canvas_is_supervisor (node) ? _("Supervisor %s, %s")
                                                             : _("Worker %s, %s"),
                          title != NULL ? title : "", detail);
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

static void
select_node (BeamSupervisionCanvas *self,
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
  if (index != NO_NODE)
    {
      g_autofree char *description = describe_node (self, index);

      gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                      description, -1);
    }
  else
    gtk_accessible_reset_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED]);
}

static void
set_expanded (BeamSupervisionCanvas *self,
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
            select_node (self, index, FALSE);
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
      set_expanded (self, box->node, TRUE);
      return;
    }
  if (box->kind == _BEAM_CANVAS_BOX_MORE && button == GDK_BUTTON_PRIMARY &&
      _beam_canvas_node_at (self, box->node)->status == BEAM_SUPERVISOR_COUNTED)
    {
      g_signal_emit (self, signals[FETCH_MORE], 0, box->node);
      return;
    }
  if (box->kind != _BEAM_CANVAS_BOX_NODE)
    return;
  select_node (self, box->node, FALSE);
  if (button == GDK_BUTTON_SECONDARY)
    {
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
      g_signal_emit (self, signals[CONTEXT_MENU], 0, box->node, x, y);
    }
  else if (button == GDK_BUTTON_PRIMARY && n_press == 2)
    g_signal_emit (self, signals[ACTIVATE_NODE], 0, box->node);
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
  set_view (self, self->drag_view_x - offset_x / self->zoom,
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
      zoom_at (self, self->zoom * (wheel ? pow (ZOOM_STEP, -dy) : exp (-dy / 100)), x, y);
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
  set_view (self, self->view_x + dx / self->zoom, self->view_y + dy / self->zoom, self->zoom);
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
  zoom_at (self, self->pinch_zoom * scale, x, y);
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
          select_node (self, siblings[i + step], TRUE);
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
      select_node (self, self->n_roots > 0 ? self->roots[0] : 0, TRUE);
      return TRUE;
    }
  switch (key)
    {
    case GDK_KEY_Left:
      if (_beam_canvas_parent_of (self, self->selected) != NO_NODE)
        select_node (self, _beam_canvas_parent_of (self, self->selected), TRUE);
      break;
    case GDK_KEY_Right:
      if (_beam_canvas_n_children (self, self->selected) > 0)
        {
          if (_beam_canvas_is_collapsed (self, self->selected))
            set_expanded (self, self->selected, TRUE);
          select_node (self, _beam_canvas_children_of (self, self->selected)[0], TRUE);
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
  g_signal_emit (self, signals[ACTIVATE_NODE], 0, self->selected);
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
  set_expanded (self, self->selected, g_variant_get_boolean (args));
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
  g_signal_emit (self, signals[CONTEXT_MENU], 0, self->selected,
                 screen_x (self, _beam_canvas_box_left (box) + BOX_WIDTH / 2),
                 screen_y (self, _beam_canvas_row_centre (box->row)));
  return TRUE;
}

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
    set_view (self, self->view_x, self->view_y, self->zoom);
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
  drop_texts (self);
  gtk_widget_queue_draw (widget);
}

static void
beam_supervision_canvas_system_setting_changed (GtkWidget        *widget,
                                                GtkSystemSetting  setting)
{
  GTK_WIDGET_CLASS (beam_supervision_canvas_parent_class)->system_setting_changed (widget,
                                                                                   setting);
  drop_texts (BEAM_SUPERVISION_CANVAS (widget));
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
  drop_texts (self);
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
  drop_texts (self);
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
add_arrow_binding (GtkWidgetClass *widget_class,
                   guint           key,
                   guint           keypad_key)
{
  gtk_widget_class_add_binding (widget_class, key, 0, on_arrow, "u", key);
  gtk_widget_class_add_binding (widget_class, keypad_key, 0, on_arrow, "u", key);
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
  signals[ACTIVATE_NODE] = g_signal_new ("activate-node", G_TYPE_FROM_CLASS (klass),
                                         G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                         G_TYPE_NONE, 1, G_TYPE_UINT);
  /* The page pops its menu at (x, y), in the canvas's coordinates. */
  signals[CONTEXT_MENU] = g_signal_new ("context-menu", G_TYPE_FROM_CLASS (klass),
                                        G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                        G_TYPE_NONE, 3, G_TYPE_UINT, G_TYPE_DOUBLE,
                                        G_TYPE_DOUBLE);

  /* The "N more" box of a counted supervisor was clicked: the page asks
   * the node for more of its children. */
  signals[FETCH_MORE] = g_signal_new ("fetch-more", G_TYPE_FROM_CLASS (klass),
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

  gtk_widget_class_set_css_name (widget_class, "supervisioncanvas");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
beam_supervision_canvas_init (BeamSupervisionCanvas *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  GtkGesture *click = gtk_gesture_click_new ();
  GtkGesture *drag = gtk_gesture_drag_new ();
  GtkGesture *pinch = gtk_gesture_zoom_new ();
  GtkEventController *scroll =
    gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_BOTH_AXES);
  GtkEventController *motion = gtk_event_controller_motion_new ();

  self->boxes = g_array_new (FALSE, FALSE, sizeof (Box));
  self->matches = g_array_new (FALSE, FALSE, sizeof (guint));
  self->visible = g_array_new (FALSE, FALSE, sizeof (guint));
  self->texts = g_hash_table_new_full (NULL, NULL, NULL, box_text_free);
  self->zoom = 1.0;
  self->selected = NO_NODE;
  self->pointer_x = self->pointer_y = -1;

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
      g_autofree char *label = g_strdup_printf (_("Supervision tree of %s"),
                                                tree->application != NULL
                                                ? tree->application : "");
      guint n = tree->n_nodes;

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
    select_node (self, selected, FALSE);
  else if (old_selected != NO_NODE)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED]);
  if (old_n_matches != self->matches->len)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_MATCHES]);
  if (!self->view_placed)
    place_view (self);
  else
    set_view (self, self->view_x, self->view_y, self->zoom);
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

  select_node (self, node_index, TRUE);
}

void
beam_supervision_canvas_set_expanded (BeamSupervisionCanvas *self,
                                      guint                  node_index,
                                      gboolean               expanded)
{
  g_return_if_fail (BEAM_IS_SUPERVISION_CANVAS (self));
  g_return_if_fail (self->tree != NULL && node_index < self->tree->n_nodes);

  set_expanded (self, node_index, expanded);
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
  select_node (self, node, FALSE);
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
  drop_texts (self);
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
  set_view (self, x, y, zoom);
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
