/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A frame draws in passes over the boxes found, one path per style (fill,
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

#include "beam-number-format.h"
#include "beam-palette.h"
#include "beam-supervision-canvas-internal.h"

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

/* libadwaita's named colours, which follow dark and light; the fallbacks
 * are its own values, for a theme that does not define them. */
static void
ensure_colors (BeamSupervisionCanvas *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  GtkStyleContext *context = gtk_widget_get_style_context (widget);
  gboolean dark = adw_style_manager_get_dark (adw_style_manager_get_default ());
  Colors *c = &self->colors;
  GdkRGBA accent_bg, card, warning;

  if (self->colors_valid)
    return;
  gtk_style_context_get_color (context, &c->fg);
  beam_palette_lookup_named_color (widget, "view_bg_color", dark ? "#1e1e1e" : "#ffffff",
                                   &c->view_bg);
  beam_palette_lookup_named_color (widget, "accent_bg_color", "#3584e4", &accent_bg);
  beam_palette_lookup_named_color (widget, "accent_color", dark ? "#78aeed" : "#1c71d8",
                                   &c->accent);
  beam_palette_lookup_named_color (widget, "card_bg_color",
                                   dark ? "rgba(255,255,255,0.08)" : "#ffffff", &card);
  beam_palette_lookup_named_color (widget, "warning_bg_color", "#e5a50a", &c->warning_bg);
  beam_palette_lookup_named_color (widget, "warning_fg_color", "rgba(0,0,0,0.8)", &c->warning_fg);
  beam_palette_lookup_named_color (widget, "warning_color", dark ? "#f8e45c" : "#9c6e03",
                                   &c->warning_text);
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
  /* The app's own, from data/style.css and style-dark.css. */
  beam_palette_lookup_named_color (widget, "beam_search_color", dark ? "#c88800" : "#f8e45c",
                                   &c->search);
  self->colors_valid = TRUE;
}

void
_beam_canvas_drop_texts (BeamSupervisionCanvas *self)
{
  g_hash_table_remove_all (self->texts);
  g_clear_object (&self->restarted_layout);
}

void
_beam_canvas_box_text_free (gpointer data)
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

char *
_beam_canvas_supervisor_detail (const BeamSupervisionNode *node)
{
  const char *strategy = node->strategy != NULL ? node->strategy : _("supervisor");
  g_autofree char *intensity = NULL;
  g_autofree char *period = NULL;

  if (node->status == BEAM_SUPERVISOR_NOT_ANSWERING)
    return g_strdup (_("not answering"));
  /* A counted supervisor, a bridge: no intensity and period to tell. */
  if (node->intensity < 0 || node->period < 0)
    return g_strdup (strategy);
  intensity = g_strdup_printf ("%" G_GINT64_FORMAT, node->intensity);
  period = g_strdup_printf ("%" G_GINT64_FORMAT, node->period);
  /* TRANSLATORS: a supervisor's strategy, then its restart intensity and
   * period in seconds: "one_for_one · 10/60s" */
  return g_strdup_printf (_("%s · %s/%ss"), strategy, intensity, period);
}

char *
_beam_canvas_worker_detail (const BeamSupervisionNode *node)
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
      g_autofree char *number = beam_format_count ((gint64) MIN (count, G_MAXINT64));

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
      g_autofree char *number = beam_format_count ((gint64) MIN (count, G_MAXINT64));

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
      detail = _beam_canvas_is_supervisor (node) ? _beam_canvas_supervisor_detail (node)
                                                 : _beam_canvas_worker_detail (node);
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
  double left = snap (_beam_canvas_screen_x (self, _beam_canvas_box_left (box)),
                      paint->scale) - grow;
  double top = snap (_beam_canvas_screen_y (self, _beam_canvas_row_top (box->row)),
                     paint->scale) - grow;
  double right = snap (_beam_canvas_screen_x (self, _beam_canvas_box_left (box) + BOX_WIDTH),
                       paint->scale) + grow;
  double bottom = snap (_beam_canvas_screen_y (self, _beam_canvas_row_top (box->row) + BOX_HEIGHT),
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
      double y = snap (_beam_canvas_screen_y (self, _beam_canvas_row_centre (box->row)),
                       paint->scale) + half;

      if (stubs && box->column > 0 && box_on_screen (paint, box))
        {
          double x = snap (_beam_canvas_screen_x (self, _beam_canvas_box_left (box) - GAP_X / 2),
                           paint->scale);

          cairo_move_to (cr, x, y);
          cairo_line_to (cr, snap (_beam_canvas_screen_x (self, _beam_canvas_box_left (box)),
                                   paint->scale), y);
        }
      if (box->has_children)
        {
          double right = snap (_beam_canvas_screen_x (self,
                                                      _beam_canvas_box_left (box) + BOX_WIDTH),
                               paint->scale);
          double x = snap (_beam_canvas_screen_x (self, _beam_canvas_box_left (box) + BOX_WIDTH +
                                                        GAP_X / 2),
                           paint->scale) + half;
          double span_top = _beam_canvas_screen_y (self, _beam_canvas_row_centre (box->span_top));
          double span_bottom = _beam_canvas_screen_y (self,
                                                      _beam_canvas_row_centre (box->span_bottom));

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
      ax = _beam_canvas_screen_x (self, _beam_canvas_box_left (a) + BOX_WIDTH / 2);
      ay = _beam_canvas_screen_y (self, _beam_canvas_row_centre (a->row));
      bx = _beam_canvas_screen_x (self, _beam_canvas_box_left (b) + BOX_WIDTH / 2);
      by = _beam_canvas_screen_y (self, _beam_canvas_row_centre (b->row));
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

/* The frame beam_supervision_canvas_snapshot() draws. */
void
_beam_canvas_draw (BeamSupervisionCanvas *self,
                   GtkSnapshot           *snapshot)
{
  GtkWidget *widget = GTK_WIDGET (self);
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
