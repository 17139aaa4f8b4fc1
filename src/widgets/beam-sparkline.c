/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The values are scaled to 0..1 when they are set, into an array that keeps
 * its storage. Values equal to the last ones neither redraw nor notify.
 *
 * The line is drawn once into a texture, again only when the values, the
 * size, the scale or the colour change. A cairo render node would be
 * stroked and filled again at every frame of the window, whatever changed:
 * GSK 4.8's cairo renderer draws every node of the window each frame, and a
 * Cluster page of 50 rows has 100 sparklines. A texture node is a copy. */

#define G_LOG_DOMAIN "beamscope-widgets"

#include "config.h"

#include <glib/gi18n.h>

#include "beam-number-format.h"
#include "beam-sparkline.h"

#define NATURAL_WIDTH  44
#define NATURAL_HEIGHT 18
#define LINE_WIDTH     1.5

struct _BeamSparkline
{
  GtkWidget  parent_instance;
  GVariant  *values;
  GArray    *scaled;    /* double, 0 for the least value, 1 for the greatest */
  gboolean   flat;      /* all values equal */
  /* The line as last drawn, and what it was drawn for. */
  GdkTexture *drawn;
  int         drawn_width;
  int         drawn_height;
  int         drawn_scale;
  GdkRGBA     drawn_color;
};

G_DEFINE_FINAL_TYPE (BeamSparkline, beam_sparkline, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_VALUES,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

GtkWidget *
beam_sparkline_new (void)
{
  return g_object_new (BEAM_TYPE_SPARKLINE, NULL);
}

GVariant *
beam_sparkline_get_values (BeamSparkline *self)
{
  g_return_val_if_fail (BEAM_IS_SPARKLINE (self), NULL);
  return self->values;
}

static void
scale (BeamSparkline *self)
{
  gsize n = 0;
  const gint64 *values = self->values != NULL
                         ? g_variant_get_fixed_array (self->values, &n, sizeof (gint64))
                         : NULL;
  gint64 least = G_MAXINT64, greatest = G_MININT64;

  for (gsize i = 0; i < n; i++)
    {
      least = MIN (least, values[i]);
      greatest = MAX (greatest, values[i]);
    }
  self->flat = greatest <= least;
  g_array_set_size (self->scaled, n);
  for (gsize i = 0; i < n; i++)
    /* A flat series is a line across the middle. */
    g_array_index (self->scaled, double, i) =
      greatest > least ? (double) (values[i] - least) / (double) (greatest - least) : 0.5;
}

/* The line in words for a screen reader: which way it went, from where to
 * where. Only on a change of values, as the drawing. */
static void
describe (BeamSparkline *self)
{
  gsize n = 0;
  const gint64 *values = self->values != NULL
                         ? g_variant_get_fixed_array (self->values, &n, sizeof (gint64))
                         : NULL;
  g_autofree char *first = NULL;
  g_autofree char *last = NULL;
  g_autofree char *description = NULL;

  if (n < 2)
    {
      gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                      _("No trend yet"), -1);
      return;
    }
  first = beam_format_count (values[0]);
  last = beam_format_count (values[n - 1]);
  if (values[n - 1] > values[0])
    /* Translators: a trend line's description: first and last value, sample count */
    description = g_strdup_printf (_("Rising from %s to %s over %u samples"), first, last,
                                   (guint) n);
  else if (values[n - 1] < values[0])
    description = g_strdup_printf (_("Falling from %s to %s over %u samples"), first, last,
                                   (guint) n);
  else
    description = g_strdup_printf (_("At %s, as %u samples ago"), last, (guint) n - 1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  description, -1);
}

void
beam_sparkline_set_values (BeamSparkline *self,
                           GVariant      *values)
{
  g_return_if_fail (BEAM_IS_SPARKLINE (self));
  g_return_if_fail (values == NULL || g_variant_is_of_type (values, G_VARIANT_TYPE ("ax")));

  if (values != NULL)
    g_variant_ref_sink (values);
  if (self->values == values ||
      (self->values != NULL && values != NULL && g_variant_equal (self->values, values)))
    {
      if (values != NULL)
        g_variant_unref (values);
      return;
    }
  g_clear_pointer (&self->values, g_variant_unref);
  self->values = values;
  scale (self);
  describe (self);
  g_clear_object (&self->drawn);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VALUES]);
}

/* The line and the area under it, `width` x `height` at `scale`. */
static GdkTexture *
draw_line (BeamSparkline *self,
           int            width,
           int            height,
           int            scale,
           const GdkRGBA *color)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width * scale,
                                                         height * scale);
  cairo_t *cr = cairo_create (surface);
  guint n = self->scaled->len;
  double top = LINE_WIDTH, bottom = height - LINE_WIDTH;
  g_autoptr(GBytes) bytes = NULL;

  cairo_scale (cr, scale, scale);
  for (guint i = 0; i < n; i++)
    {
      double x = LINE_WIDTH + i * (width - 2 * LINE_WIDTH) / (n - 1);
      double y = bottom - g_array_index (self->scaled, double, i) * (bottom - top);

      if (i == 0)
        cairo_move_to (cr, x, y);
      else
        cairo_line_to (cr, x, y);
    }
  cairo_set_line_width (cr, LINE_WIDTH);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  gdk_cairo_set_source_rgba (cr, color);
  cairo_stroke_preserve (cr);
  /* The area under the line, faint, so a rise reads as mass; none under a
   * flat line, which says only "no change". */
  if (!self->flat)
    {
      cairo_line_to (cr, width - LINE_WIDTH, height);
      cairo_line_to (cr, LINE_WIDTH, height);
      cairo_close_path (cr);
      cairo_set_source_rgba (cr, color->red, color->green, color->blue, color->alpha * 0.2);
      cairo_fill (cr);
    }
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  /* GDK_MEMORY_DEFAULT is cairo's ARGB32; the bytes keep the surface. */
  bytes = g_bytes_new_with_free_func (cairo_image_surface_get_data (surface),
                                      (gsize) cairo_image_surface_get_stride (surface) *
                                      (gsize) (height * scale),
                                      (GDestroyNotify) cairo_surface_destroy, surface);
  return gdk_memory_texture_new (width * scale, height * scale, GDK_MEMORY_DEFAULT, bytes,
                                 (gsize) cairo_image_surface_get_stride (surface));
}

static void
beam_sparkline_snapshot (GtkWidget   *widget,
                         GtkSnapshot *snapshot)
{
  BeamSparkline *self = BEAM_SPARKLINE (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  int scale = gtk_widget_get_scale_factor (widget);
  GdkRGBA color;

  /* One sample is no trend yet. */
  if (self->scaled->len < 2 || width <= 0 || height <= 0)
    return;
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS   /* gtk_widget_get_color is GTK 4.10 */
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &color);
  G_GNUC_END_IGNORE_DEPRECATIONS

  if (self->drawn == NULL || self->drawn_width != width || self->drawn_height != height ||
      self->drawn_scale != scale || !gdk_rgba_equal (&self->drawn_color, &color))
    {
      g_clear_object (&self->drawn);
      self->drawn = draw_line (self, width, height, scale, &color);
      self->drawn_width = width;
      self->drawn_height = height;
      self->drawn_scale = scale;
      self->drawn_color = color;
    }
  gtk_snapshot_append_texture (snapshot, self->drawn, &GRAPHENE_RECT_INIT (0, 0, width, height));
}

static void
beam_sparkline_measure (GtkWidget      *widget G_GNUC_UNUSED,
                        GtkOrientation  orientation,
                        int             for_size G_GNUC_UNUSED,
                        int            *minimum,
                        int            *natural,
                        int            *minimum_baseline G_GNUC_UNUSED,
                        int            *natural_baseline G_GNUC_UNUSED)
{
  int size = orientation == GTK_ORIENTATION_HORIZONTAL ? NATURAL_WIDTH : NATURAL_HEIGHT;

  *minimum = orientation == GTK_ORIENTATION_HORIZONTAL ? size / 2 : size;
  *natural = size;
}

static void
beam_sparkline_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  BeamSparkline *self = BEAM_SPARKLINE (object);

  switch (prop_id)
    {
    case PROP_VALUES: g_value_set_variant (value, self->values); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
beam_sparkline_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  BeamSparkline *self = BEAM_SPARKLINE (object);

  switch (prop_id)
    {
    case PROP_VALUES: beam_sparkline_set_values (self, g_value_get_variant (value)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
beam_sparkline_finalize (GObject *object)
{
  BeamSparkline *self = BEAM_SPARKLINE (object);

  g_clear_pointer (&self->values, g_variant_unref);
  g_array_unref (self->scaled);
  g_clear_object (&self->drawn);

  G_OBJECT_CLASS (beam_sparkline_parent_class)->finalize (object);
}

static void
beam_sparkline_class_init (BeamSparklineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = beam_sparkline_finalize;
  object_class->get_property = beam_sparkline_get_property;
  object_class->set_property = beam_sparkline_set_property;
  widget_class->snapshot = beam_sparkline_snapshot;
  widget_class->measure = beam_sparkline_measure;

  properties[PROP_VALUES] =
    g_param_spec_variant ("values", NULL, NULL, G_VARIANT_TYPE ("ax"), NULL,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "sparkline");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
beam_sparkline_init (BeamSparkline *self)
{
  self->scaled = g_array_new (FALSE, FALSE, sizeof (double));
  /* The column or title beside it says of what; a page may name it better. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Trend"), -1);
  describe (self);
}
