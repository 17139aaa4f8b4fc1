/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Samples are kept as rows of (time, value per series) in one flat array,
 * trimmed to the window on every push. A frame never strokes them: the
 * lines are rasterised on a worker thread from a copy of the data, once per
 * change (64 series of 600 points cost cairo 100-200 ms), and the grid once
 * per change of scale; a frame paints the two textures and the hover on top,
 * well under a millisecond. Colours come from a fixed palette of GNOME's
 * named colours, so series keep their colour whatever the theme. */

#define G_LOG_DOMAIN "beamscope-widgets"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "beam-chart.h"

#define PADDING_LEFT   64.0
#define PADDING_RIGHT  12.0
#define PADDING_TOP    10.0
#define PADDING_BOTTOM 22.0

typedef struct
{
  char    *label;
  gboolean dashed;
  gboolean visible;
} Series;

struct _BeamChart
{
  GtkWidget      parent_instance;
  BeamChartUnit  unit;
  GArray        *series;     /* Series */
  GArray        *times;      /* gint64 */
  GArray        *values;     /* double, n_series per sample */
  guint          stride;     /* series count when the samples were taken */
  gint64         window_us;
  double         hover_x;    /* < 0: no pointer */

  /* The lines, rasterised on a worker thread once per change of data or
   * size (stroking 64 series of 600 points takes cairo 100 ms and more); a
   * frame draws the grid and paints the last texture, so no frame waits. */
  GdkTexture    *lines;
  guint          generation;        /* bumped by every change of the data */
  guint          lines_generation;  /* the data `lines` shows */
  int            lines_width;
  int            lines_height;
  int            lines_scale;
  double         lines_max;
  gboolean       rendering;

  /* Grid and labels, drawn here on the GTK thread but only when their
   * scale, size, window or colour changes. */
  GdkTexture    *grid;
  int            grid_width;
  int            grid_height;
  int            grid_scale;
  double         grid_max;
  gint64         grid_window_us;
  GdkRGBA        grid_fg;
};

G_DEFINE_FINAL_TYPE (BeamChart, beam_chart, GTK_TYPE_WIDGET)

/* GNOME palette: blue, green, yellow, orange, red, purple, brown, and lighter. */
static const char * const palette[] = {
  "#3584e4", "#33d17a", "#f6d32d", "#ff7800", "#e01b24", "#9141ac", "#986a44",
  "#62a0ea", "#57e389", "#f8e45c", "#ffa348", "#f66151", "#c061cb", "#b5835a",
};

static void
series_clear (Series *series)
{
  g_free (series->label);
}

char *
beam_chart_format_value (BeamChart *self,
                         double     value)
{
  switch (self->unit)
    {
    case BEAM_CHART_UNIT_FRACTION:
      return g_strdup_printf ("%.0f%%", 100 * value);
    case BEAM_CHART_UNIT_BYTES:
      return g_format_size_full ((guint64) MAX (value, 0), G_FORMAT_SIZE_IEC_UNITS);
    case BEAM_CHART_UNIT_RATE:
      if (value >= 1e6)
        return g_strdup_printf (_("%.1f M/s"), value / 1e6);
      if (value >= 1e3)
        return g_strdup_printf (_("%.1f k/s"), value / 1e3);
      return g_strdup_printf (_("%.0f/s"), value);
    case BEAM_CHART_UNIT_COUNT:
    default:
      return g_strdup_printf ("%.0f", value);
    }
}

static double
visible_max (BeamChart *self)
{
  double max = self->unit == BEAM_CHART_UNIT_FRACTION ? 1.0 : 0.0;

  if (self->unit == BEAM_CHART_UNIT_FRACTION)
    return max;
  for (guint i = 0; i < self->times->len; i++)
    for (guint s = 0; s < self->stride; s++)
      if (g_array_index (self->series, Series, s).visible)
        max = MAX (max, g_array_index (self->values, double, i * self->stride + s));
  /* Counts: a multiple of the four grid steps, so every label is whole. */
  if (self->unit == BEAM_CHART_UNIT_COUNT)
    return MAX (4.0, ceil (max * 1.1 / 4.0) * 4.0);
  /* Room above the highest line, rounded up to 1, 2 or 5 times a power of
   * ten so that the scale (and the grid drawn for it) changes seldom; a
   * floor so that a flat zero shows. */
  if (max <= 0)
    return 1.0;
  {
    double step = pow (10, floor (log10 (max * 1.1)));
    double scaled = max * 1.1 / step;

    return step * (scaled <= 1 ? 1 : scaled <= 2 ? 2 : scaled <= 5 ? 5 : 10);
  }
}

/* The readout for the pointer at x: the nearest sample's clock time and how
 * long ago it was, then each visible series' value. */
static char *
readout_at (BeamChart *self,
            double     x,
            double     width)
{
  double plot_w = MAX (1, width - PADDING_LEFT - PADDING_RIGHT);
  gint64 now = g_array_index (self->times, gint64, self->times->len - 1);
  gint64 t = now - self->window_us + (gint64) ((x - PADDING_LEFT) / plot_w * self->window_us);
  guint nearest = 0;
  GString *text = g_string_new (NULL);
  double ago;
  g_autoptr(GDateTime) clock_now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) clock_then = NULL;
  g_autofree char *clock = NULL;

  for (guint i = 0; i < self->times->len; i++)
    if (ABS (g_array_index (self->times, gint64, i) - t) <
        ABS (g_array_index (self->times, gint64, nearest) - t))
      nearest = i;
  /* Sample times are the node's monotonic clock: the local clock is only
   * used to say when "so many seconds ago" was. */
  ago = (now - g_array_index (self->times, gint64, nearest)) / (double) G_USEC_PER_SEC;
  clock_then = g_date_time_add_seconds (clock_now, -ago);
  clock = g_date_time_format (clock_then, "%X");
  g_string_append_printf (text, _("%s (%.1f s ago)"), clock, ago);
  for (guint s = 0; s < self->stride; s++)
    if (g_array_index (self->series, Series, s).visible)
      {
        g_autofree char *value = beam_chart_format_value (self, g_array_index (self->values, double,
                                                                               nearest * self->stride + s));
        g_string_append_printf (text, "\n%s: %s", g_array_index (self->series, Series, s).label, value);
      }
  return g_string_free (text, FALSE);
}

char *
beam_chart_dup_readout (BeamChart *self,
                        double     x)
{
  g_return_val_if_fail (BEAM_IS_CHART (self), NULL);

  if (self->times->len == 0)
    return NULL;
  return readout_at (self, x, gtk_widget_get_width (GTK_WIDGET (self)));
}

/* ---- the lines, on a worker thread -------------------------------------------- */

/* A copy of everything the lines need, so the worker shares nothing. */
typedef struct
{
  int       width;
  int       height;
  int       scale;
  double    max;
  gint64    start;
  gint64    window_us;
  guint     n_samples;
  guint     stride;
  gint64   *times;
  double   *values;
  gboolean *visible;
  gboolean *dashed;
  GdkRGBA  *colors;
  guint     generation;
} LinesJob;

static void
lines_job_free (LinesJob *job)
{
  g_free (job->times);
  g_free (job->values);
  g_free (job->visible);
  g_free (job->dashed);
  g_free (job->colors);
  g_free (job);
}

static LinesJob *
lines_job_new (BeamChart *self,
               int        width,
               int        height,
               int        scale)
{
  LinesJob *job = g_new0 (LinesJob, 1);
  gint64 now = self->times->len > 0 ? g_array_index (self->times, gint64, self->times->len - 1) : 0;

  job->width = width;
  job->height = height;
  job->scale = scale;
  job->max = visible_max (self);
  job->start = now - self->window_us;
  job->window_us = self->window_us;
  job->n_samples = self->times->len;
  job->stride = self->stride;
  job->times = g_memdup2 (self->times->data, sizeof (gint64) * self->times->len);
  job->values = g_memdup2 (self->values->data, sizeof (double) * self->values->len);
  job->visible = g_new0 (gboolean, self->stride);
  job->dashed = g_new0 (gboolean, self->stride);
  job->colors = g_new0 (GdkRGBA, self->stride);
  for (guint s = 0; s < self->stride; s++)
    {
      job->visible[s] = g_array_index (self->series, Series, s).visible;
      job->dashed[s] = g_array_index (self->series, Series, s).dashed;
      beam_chart_get_series_color (self, s, &job->colors[s]);
    }
  job->generation = self->generation;
  return job;
}

static void
render_lines (GTask        *task,
              gpointer      source_object G_GNUC_UNUSED,
              gpointer      task_data,
              GCancellable *cancellable G_GNUC_UNUSED)
{
  static const double dash[] = { 4, 3 };
  LinesJob *job = task_data;
  double plot_w = MAX (1, job->width - PADDING_LEFT - PADDING_RIGHT);
  double plot_h = MAX (1, job->height - PADDING_TOP - PADDING_BOTTOM);
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, job->width * job->scale,
                                                         job->height * job->scale);
  g_autoptr(GBytes) bytes = NULL;
  cairo_t *cr;

  cairo_surface_set_device_scale (surface, job->scale, job->scale);
  cr = cairo_create (surface);
  cairo_set_line_width (cr, 1.5);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  for (guint s = 0; s < job->stride && job->n_samples > 1; s++)
    {
      if (!job->visible[s])
        continue;
      gdk_cairo_set_source_rgba (cr, &job->colors[s]);
      cairo_set_dash (cr, dash, job->dashed[s] ? 2 : 0, 0);
      for (guint i = 0; i < job->n_samples; i++)
        {
          double x = PADDING_LEFT + plot_w * (double) (job->times[i] - job->start) / (double) job->window_us;
          double y = PADDING_TOP + plot_h * (1.0 - CLAMP (job->values[i * job->stride + s] / job->max, 0.0, 1.0));

          if (i == 0)
            cairo_move_to (cr, x, y);
          else
            cairo_line_to (cr, x, y);
        }
      cairo_stroke (cr);
    }
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  /* Cairo's ARGB32 is GDK's default memory format, premultiplied. */
  bytes = g_bytes_new (cairo_image_surface_get_data (surface),
                       (gsize) cairo_image_surface_get_stride (surface) * job->height * job->scale);
  g_task_return_pointer (task,
                         gdk_memory_texture_new (job->width * job->scale, job->height * job->scale,
                                                 GDK_MEMORY_DEFAULT, bytes, cairo_image_surface_get_stride (surface)),
                         g_object_unref);
  cairo_surface_destroy (surface);
}

static void
lines_rendered (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data G_GNUC_UNUSED)
{
  BeamChart *self = BEAM_CHART (object);
  LinesJob *job = g_task_get_task_data (G_TASK (result));
  GdkTexture *texture = g_task_propagate_pointer (G_TASK (result), NULL);

  self->rendering = FALSE;
  if (texture == NULL)
    return;
  g_set_object (&self->lines, texture);
  g_object_unref (texture);
  self->lines_generation = job->generation;
  self->lines_width = job->width;
  self->lines_height = job->height;
  self->lines_scale = job->scale;
  self->lines_max = job->max;
  /* Shows it, and starts the next job if the data moved on meanwhile. */
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
start_rendering (BeamChart *self,
                 int        width,
                 int        height,
                 int        scale)
{
  g_autoptr(GTask) task = g_task_new (self, NULL, lines_rendered, NULL);

  self->rendering = TRUE;
  g_task_set_task_data (task, lines_job_new (self, width, height, scale), (GDestroyNotify) lines_job_free);
  g_task_run_in_thread (task, render_lines);
}

/* ---- the frame ------------------------------------------------------------------ */

/* Grid and labels, scaled to `max`. */
static void
draw (BeamChart *self,
      cairo_t   *cr,
      double     width,
      double     height,
      double     max)
{
  GtkWidget *widget = GTK_WIDGET (self);
  double plot_w = MAX (1, width - PADDING_LEFT - PADDING_RIGHT);
  double plot_h = MAX (1, height - PADDING_TOP - PADDING_BOTTOM);
  GdkRGBA fg;
  PangoLayout *layout = gtk_widget_create_pango_layout (widget, NULL);

  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &fg);

  /* Grid: four lines with their values. */
  cairo_set_line_width (cr, 1);
  for (int i = 0; i <= 4; i++)
    {
      double y = PADDING_TOP + plot_h * i / 4.0;
      g_autofree char *label = beam_chart_format_value (self, max * (4 - i) / 4.0);
      int lw, lh;

      cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.12);
      cairo_move_to (cr, PADDING_LEFT, floor (y) + 0.5);
      cairo_line_to (cr, PADDING_LEFT + plot_w, floor (y) + 0.5);
      cairo_stroke (cr);
      pango_layout_set_text (layout, label, -1);
      pango_layout_get_pixel_size (layout, &lw, &lh);
      cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.6);
      cairo_move_to (cr, PADDING_LEFT - 6 - lw, y - lh / 2.0);
      pango_cairo_show_layout (cr, layout);
    }
  {
    g_autofree char *span = g_strdup_printf (_("last %d s"), (int) (self->window_us / G_USEC_PER_SEC));
    int lw, lh;

    pango_layout_set_text (layout, span, -1);
    pango_layout_get_pixel_size (layout, &lw, &lh);
    cairo_move_to (cr, PADDING_LEFT + plot_w - lw, PADDING_TOP + plot_h + 4);
    pango_cairo_show_layout (cr, layout);
  }


  g_object_unref (layout);
}

/* The hover line and readout, drawn over the cached lines every frame. */
static void
draw_hover (BeamChart *self,
            cairo_t   *cr,
            double     width,
            double     height)
{
  double plot_h = MAX (1, height - PADDING_TOP - PADDING_BOTTOM);
  PangoLayout *layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), NULL);
  GdkRGBA fg;

  gtk_style_context_get_color (gtk_widget_get_style_context (GTK_WIDGET (self)), &fg);
  cairo_set_line_width (cr, 1);

  /* Hover: the sample nearest the pointer, its time and values. */
  if (self->hover_x >= PADDING_LEFT && self->times->len > 0)
    {
      g_autofree char *text = readout_at (self, self->hover_x, width);
      int lw, lh;
      double bx;

      cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.4);
      cairo_move_to (cr, floor (self->hover_x) + 0.5, PADDING_TOP);
      cairo_line_to (cr, floor (self->hover_x) + 0.5, PADDING_TOP + plot_h);
      cairo_stroke (cr);

      pango_layout_set_text (layout, text, -1);
      pango_layout_get_pixel_size (layout, &lw, &lh);
      bx = self->hover_x + 8 + lw > width ? self->hover_x - 8 - lw : self->hover_x + 8;
      cairo_set_source_rgba (cr, 0.15, 0.15, 0.15, 0.85);
      cairo_rectangle (cr, bx - 4, PADDING_TOP, lw + 8, lh + 6);
      cairo_fill (cr);
      cairo_set_source_rgb (cr, 1, 1, 1);
      cairo_move_to (cr, bx, PADDING_TOP + 3);
      pango_cairo_show_layout (cr, layout);
    }

  g_object_unref (layout);
}

static GdkTexture *
render_grid (BeamChart *self,
             int        width,
             int        height,
             int        scale,
             double     max)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width * scale, height * scale);
  g_autoptr(GBytes) bytes = NULL;
  GdkTexture *texture;
  cairo_t *cr;

  cairo_surface_set_device_scale (surface, scale, scale);
  cr = cairo_create (surface);
  draw (self, cr, width, height, max);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  bytes = g_bytes_new (cairo_image_surface_get_data (surface),
                       (gsize) cairo_image_surface_get_stride (surface) * height * scale);
  texture = gdk_memory_texture_new (width * scale, height * scale, GDK_MEMORY_DEFAULT, bytes,
                                    cairo_image_surface_get_stride (surface));
  cairo_surface_destroy (surface);
  return texture;
}

static void
beam_chart_snapshot (GtkWidget   *widget,
                     GtkSnapshot *snapshot)
{
  BeamChart *self = BEAM_CHART (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  int scale = gtk_widget_get_scale_factor (widget);
  gboolean current;
  double max;
  GdkRGBA fg;

  if (width <= 0 || height <= 0)
    return;
  current = self->lines != NULL && self->lines_generation == self->generation &&
            self->lines_width == width && self->lines_height == height && self->lines_scale == scale;
  if (!current && !self->rendering)
    start_rendering (self, width, height, scale);

  /* The grid goes with the lines it frames: their scale, until new ones come. */
  max = self->lines != NULL ? self->lines_max : visible_max (self);
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &fg);
  if (self->grid == NULL || self->grid_width != width || self->grid_height != height || self->grid_scale != scale ||
      self->grid_max != max || self->grid_window_us != self->window_us || !gdk_rgba_equal (&fg, &self->grid_fg))
    {
      g_clear_object (&self->grid);
      self->grid = render_grid (self, width, height, scale, max);
      self->grid_width = width;
      self->grid_height = height;
      self->grid_scale = scale;
      self->grid_max = max;
      self->grid_window_us = self->window_us;
      self->grid_fg = fg;
    }
  gtk_snapshot_append_texture (snapshot, self->grid, &GRAPHENE_RECT_INIT (0, 0, width, height));
  if (self->lines != NULL)
    gtk_snapshot_append_texture (snapshot, self->lines,
                                 &GRAPHENE_RECT_INIT (0, 0, self->lines_width, self->lines_height));

  if (self->hover_x >= PADDING_LEFT && self->times->len > 0)
    {
      cairo_t *cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
      draw_hover (self, cr, width, height);
      cairo_destroy (cr);
    }
}

/* The data changed: the lines are drawn again at the next frame. */
static void
invalidate_lines (BeamChart *self)
{
  self->generation++;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
on_motion (GtkEventControllerMotion *controller G_GNUC_UNUSED,
           double                    x,
           double                    y G_GNUC_UNUSED,
           BeamChart                *self)
{
  self->hover_x = x;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
on_leave (GtkEventControllerMotion *controller G_GNUC_UNUSED,
          BeamChart                *self)
{
  self->hover_x = -1;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
beam_chart_finalize (GObject *object)
{
  BeamChart *self = BEAM_CHART (object);

  g_array_unref (self->series);
  g_array_unref (self->times);
  g_array_unref (self->values);
  g_clear_object (&self->lines);
  g_clear_object (&self->grid);

  G_OBJECT_CLASS (beam_chart_parent_class)->finalize (object);
}

static void
beam_chart_class_init (BeamChartClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = beam_chart_finalize;
  GTK_WIDGET_CLASS (klass)->snapshot = beam_chart_snapshot;
  gtk_widget_class_set_css_name (GTK_WIDGET_CLASS (klass), "beamchart");
}

static void
beam_chart_init (BeamChart *self)
{
  GtkEventController *motion = gtk_event_controller_motion_new ();

  self->series = g_array_new (FALSE, TRUE, sizeof (Series));
  g_array_set_clear_func (self->series, (GDestroyNotify) series_clear);
  self->times = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->values = g_array_new (FALSE, FALSE, sizeof (double));
  self->window_us = 60 * G_USEC_PER_SEC;
  self->hover_x = -1;
  g_signal_connect (motion, "motion", G_CALLBACK (on_motion), self);
  g_signal_connect (motion, "leave", G_CALLBACK (on_leave), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);
  gtk_widget_set_size_request (GTK_WIDGET (self), 200, 160);
}

GtkWidget *
beam_chart_new (BeamChartUnit unit)
{
  BeamChart *self = g_object_new (BEAM_TYPE_CHART, NULL);

  self->unit = unit;
  return GTK_WIDGET (self);
}

guint
beam_chart_add_series (BeamChart  *self,
                       const char *label,
                       gboolean    dashed)
{
  Series series = { g_strdup (label), dashed, TRUE };

  g_return_val_if_fail (BEAM_IS_CHART (self), 0);
  /* Series are set before the first sample: samples are rows of them. */
  g_return_val_if_fail (self->times->len == 0, 0);

  g_array_append_val (self->series, series);
  self->stride = self->series->len;
  self->generation++;
  return self->series->len - 1;
}

guint
beam_chart_get_n_series (BeamChart *self)
{
  g_return_val_if_fail (BEAM_IS_CHART (self), 0);
  return self->series->len;
}

const char *
beam_chart_get_series_label (BeamChart *self,
                             guint      series)
{
  g_return_val_if_fail (BEAM_IS_CHART (self), NULL);
  g_return_val_if_fail (series < self->series->len, NULL);
  return g_array_index (self->series, Series, series).label;
}

void
beam_chart_get_series_color (BeamChart *self G_GNUC_UNUSED,
                             guint      series,
                             GdkRGBA   *color)
{
  gdk_rgba_parse (color, palette[series % G_N_ELEMENTS (palette)]);
}

void
beam_chart_set_series_visible (BeamChart *self,
                               guint      series,
                               gboolean   visible)
{
  g_return_if_fail (BEAM_IS_CHART (self));
  g_return_if_fail (series < self->series->len);

  g_array_index (self->series, Series, series).visible = visible;
  invalidate_lines (self);
}

void
beam_chart_push (BeamChart    *self,
                 gint64        time_us,
                 const double *values)
{
  guint drop = 0;

  g_return_if_fail (BEAM_IS_CHART (self));

  g_array_append_val (self->times, time_us);
  g_array_append_vals (self->values, values, self->stride);
  while (drop < self->times->len && g_array_index (self->times, gint64, drop) < time_us - self->window_us)
    drop++;
  /* Keep one sample before the window, so the lines start at its edge. */
  if (drop > 1)
    {
      g_array_remove_range (self->times, 0, drop - 1);
      g_array_remove_range (self->values, 0, (drop - 1) * self->stride);
    }
  invalidate_lines (self);
}

void
beam_chart_set_window (BeamChart *self,
                       gint64     window_us)
{
  g_return_if_fail (BEAM_IS_CHART (self));
  self->window_us = MAX (window_us, G_USEC_PER_SEC);
  invalidate_lines (self);
}

guint
beam_chart_get_n_samples (BeamChart *self)
{
  g_return_val_if_fail (BEAM_IS_CHART (self), 0);
  return self->times->len;
}
