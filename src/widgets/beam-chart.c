/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Samples are kept as rows of (time, value per series) in one flat array;
 * those no line needs any more are dropped in batches. A frame never strokes
 * them: a worker thread keeps the lines on a tape and adds each new sample's
 * strip to it (a whole redraw of 64 series of 600 points costs cairo about
 * 300 ms, a strip 2-4 ms), then composes grid and lines into one picture; a
 * frame paints that picture and the hover on top. The GTK thread plans each
 * job (strip or whole) and copies only the samples it needs. The picture is an image
 * surface painted from a cairo node, not a GdkTexture: GTK 4.8's cairo
 * renderer converts every texture pixel by pixel through floats on every
 * frame it paints (1.7 ms for one chart-sized texture), even when only
 * another widget changed. Colours come from a fixed palette of GNOME's
 * named colours, so series keep their colour whatever the theme. */

#define G_LOG_DOMAIN "beamscope-widgets"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "beam-chart-private.h"
#include "beam-chart-tape.h"
#include "beam-number-format.h"
#include "beam-palette.h"

typedef struct
{
  char    *label;
  gboolean dashed;
  gboolean visible;
  GdkRGBA  color;
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

  /* Grid and lines as a frame paints them, drawn on a worker thread once
   * per change of data, size or colour; the tape is the worker's between
   * pictures, lent to each job. */
  cairo_surface_t *picture;
  guint            generation;          /* bumped by every change of the data */
  guint            picture_generation;  /* the data `picture` shows */
  int              picture_width;
  int              picture_height;
  int              picture_scale;
  GdkRGBA          picture_fg;
  gboolean         rendering;
  Tape            *tape;
  guint            whole_redraws;

  /* Grid and labels, drawn here on the GTK thread (Pango) when their
   * scale, size, window or colour changes, and read by the jobs. */
  cairo_surface_t *grid;
  int              grid_width;
  int              grid_height;
  int              grid_scale;
  double           grid_max;
  gint64           grid_window_us;
  GdkRGBA          grid_fg;

  /* The accessible description (the latest values) is written in an idle,
   * once for a burst of pushes: the Load page replays its history into a
   * new chart a sample at a time. */
  guint            describe_source;
};

G_DEFINE_FINAL_TYPE (BeamChart, beam_chart, GTK_TYPE_WIDGET)

static void
series_clear (Series *series)
{
  g_free (series->label);
}

/* Values through the app's one number formatter (beam-number-format): on
 * the axis three significant figures at most, so that every label fits the
 * left margin ("47.7 MiB", "1.2 MiB/s", "150 k/s"); in the readout exact
 * ("12,345/s"). Sizes in the units the user chose. */
static char *
beam_chart_format_value (BeamChart *self,
                         double     value,
                         gboolean   axis)
{
  /* Where GLib stops writing bytes and starts with kB or KiB. */
  double kilobyte = beam_number_format_get_size_units () == BEAM_SIZE_UNITS_BINARY ? 1024 : 1000;

  value = MAX (value, 0);
  switch (self->unit)
    {
    case BEAM_CHART_UNIT_FRACTION:
      return g_strdup_printf ("%.0f%%", 100 * value);
    case BEAM_CHART_UNIT_BYTES:
      /* "1000 bytes" is wider than the margin: below a kilobyte, "B". */
      if (axis && value < kilobyte)
        return g_strdup_printf (C_("bytes on a chart's axis", "%.0f B"), value);
      return beam_format_bytes ((gint64) value);
    case BEAM_CHART_UNIT_BYTES_PER_SECOND:
      if (axis && value < kilobyte)
        return g_strdup_printf (C_("bytes per second on a chart's axis", "%.0f B/s"), value);
      return beam_format_bytes_per_second (value);
    case BEAM_CHART_UNIT_RATE:
      if (axis)
        {
          g_autofree char *compact = beam_format_compact (value);
          /* Translators: a rate of a count on a chart's axis, "150 k" + "/s" */
          return g_strdup_printf (_("%s/s"), compact);
        }
      return beam_format_count_per_second (value);
    case BEAM_CHART_UNIT_COUNT:
    default:
      return axis ? beam_format_compact (value) : beam_format_count ((gint64) llround (value));
    }
}

/* The index of the last sample before `time` (or of the first sample). */
static guint
last_sample_before (BeamChart *self,
                    gint64     time)
{
  guint index = 0;

  while (index + 1 < self->times->len && g_array_index (self->times, gint64, index + 1) < time)
    index++;
  return index;
}

static gint64
newest_time (BeamChart *self)
{
  return self->times->len > 0 ? g_array_index (self->times, gint64, self->times->len - 1) : 0;
}

/* The first sample the chart shows: the last one before the window's left
 * edge, so that the lines come in from beyond it (a line starting on the
 * edge would show its cap there). */
static guint
first_shown (BeamChart *self)
{
  return last_sample_before (self, newest_time (self) - self->window_us);
}

/* The first sample the lines are drawn from: a 32nd of the window further
 * left (34 px on a wide chart), so that where samples are denser than
 * pixels the strokes just left of the edge reach into it as they do on the
 * tape. Older samples are kept a while and dropped many at a time (see
 * beam_chart_push). */
static guint
first_drawn (BeamChart *self)
{
  return last_sample_before (self, newest_time (self) - self->window_us - self->window_us / 32);
}

static double
visible_max (BeamChart *self)
{
  double max = self->unit == BEAM_CHART_UNIT_FRACTION ? 1.0 : 0.0;

  if (self->unit == BEAM_CHART_UNIT_FRACTION)
    return max;
  for (guint i = first_shown (self); i < self->times->len; i++)
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
  /* Sizes in binary units: a power of two of a power of 1024, so that the
   * grid's quarters read 1, 2, 3, 4 KiB rather than 1.2, 2.4, 3.7, 4.9. */
  if ((self->unit == BEAM_CHART_UNIT_BYTES || self->unit == BEAM_CHART_UNIT_BYTES_PER_SECOND) &&
      beam_number_format_get_size_units () == BEAM_SIZE_UNITS_BINARY && max * 1.1 >= 1024)
    {
      double step = pow (1024, floor (log (max * 1.1) / log (1024)));
      double scaled = 1;

      while (scaled < max * 1.1 / step)
        scaled *= 2;
      return step * scaled;
    }
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
  guint nearest = first_shown (self);
  GString *text = g_string_new (NULL);
  double ago;
  g_autoptr(GDateTime) clock_now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) clock_then = NULL;
  g_autofree char *clock = NULL;

  for (guint i = nearest; i < self->times->len; i++)
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
        g_autofree char *value = NULL;

        value = beam_chart_format_value (self, g_array_index (self->values, double,
                                                              nearest * self->stride + s),
                                         FALSE);
        g_string_append_printf (text, "\n%s: %s", g_array_index (self->series, Series, s).label,
                                value);
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

/* Grid and labels, scaled to `max`. */
static void
draw_grid (BeamChart     *self,
           cairo_t       *cr,
           double         width,
           double         height,
           double         max,
           const GdkRGBA *fg)
{
  GtkWidget *widget = GTK_WIDGET (self);
  double plot_w = MAX (1, width - PADDING_LEFT - PADDING_RIGHT);
  double plot_h = MAX (1, height - PADDING_TOP - PADDING_BOTTOM);
  PangoLayout *layout = gtk_widget_create_pango_layout (widget, NULL);

  /* Grid: four lines with their values. */
  cairo_set_line_width (cr, 1);
  for (int i = 0; i <= 4; i++)
    {
      double y = PADDING_TOP + plot_h * i / 4.0;
      g_autofree char *label = beam_chart_format_value (self, max * (4 - i) / 4.0, TRUE);
      int lw, lh;

      cairo_set_source_rgba (cr, fg->red, fg->green, fg->blue, 0.12);
      cairo_move_to (cr, PADDING_LEFT, floor (y) + 0.5);
      cairo_line_to (cr, PADDING_LEFT + plot_w, floor (y) + 0.5);
      cairo_stroke (cr);
      pango_layout_set_text (layout, label, -1);
      pango_layout_get_pixel_size (layout, &lw, &lh);
      cairo_set_source_rgba (cr, fg->red, fg->green, fg->blue, 0.6);
      cairo_move_to (cr, PADDING_LEFT - 6 - lw, y - lh / 2.0);
      pango_cairo_show_layout (cr, layout);
    }
  {
    g_autofree char *span = g_strdup_printf (_("last %d s"),
                                             (int) (self->window_us / G_USEC_PER_SEC));
    int lw, lh;

    pango_layout_set_text (layout, span, -1);
    pango_layout_get_pixel_size (layout, &lw, &lh);
    cairo_move_to (cr, PADDING_LEFT + plot_w - lw, PADDING_TOP + plot_h + 4);
    pango_cairo_show_layout (cr, layout);
  }

  g_object_unref (layout);
}

static cairo_surface_t *
ensure_grid (BeamChart     *self,
             int            width,
             int            height,
             int            scale,
             double         max,
             const GdkRGBA *fg)
{
  cairo_t *cr;

  if (self->grid != NULL && self->grid_width == width && self->grid_height == height &&
      self->grid_scale == scale && self->grid_max == max &&
      self->grid_window_us == self->window_us && gdk_rgba_equal (fg, &self->grid_fg))
    return self->grid;
  /* A new surface, never drawn into again: a job may still be reading the old one. */
  g_clear_pointer (&self->grid, cairo_surface_destroy);
  self->grid = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width * scale, height * scale);
  cairo_surface_set_device_scale (self->grid, scale, scale);
  cr = cairo_create (self->grid);
  draw_grid (self, cr, width, height, max, fg);
  cairo_destroy (cr);
  cairo_surface_flush (self->grid);
  self->grid_width = width;
  self->grid_height = height;
  self->grid_scale = scale;
  self->grid_max = max;
  self->grid_window_us = self->window_us;
  self->grid_fg = *fg;
  return self->grid;
}

/* The readout laid out to stay within the chart: its lines in as many
 * columns as the plot's height needs (a chart of 15 schedulers has 16
 * lines), right of the pointer, or left of it where it would pass the right
 * edge, and never past the left one. */
typedef struct
{
  PangoLayout *columns[8];
  guint        n_columns;
  int          column_width[8];
  double       x, y, width, height;  /* the box, padding included */
} Readout;

#define READOUT_PAD 4

static void
readout_clear (Readout *readout)
{
  for (guint i = 0; i < readout->n_columns; i++)
    g_clear_object (&readout->columns[i]);
  readout->n_columns = 0;
}

static void
readout_layout (BeamChart *self,
                Readout   *readout,
                double     hover_x,
                double     width,
                double     height)
{
  g_autofree char *text = readout_at (self, hover_x, width);
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  guint n_lines = g_strv_length (lines);
  PangoLayout *probe = gtk_widget_create_pango_layout (GTK_WIDGET (self), "0");
  int line_height, text_height = 0;
  guint per_column;

  pango_layout_get_pixel_size (probe, NULL, &line_height);
  g_object_unref (probe);
  per_column = MAX (1, (guint) ((height - 2 * READOUT_PAD) / MAX (line_height, 1)));
  per_column = MAX (per_column, (n_lines + G_N_ELEMENTS (readout->columns) - 1) /
                                G_N_ELEMENTS (readout->columns));

  memset (readout, 0, sizeof *readout);
  for (guint first = 0; first < n_lines; first += per_column)
    {
      g_autofree char *column = NULL;
      guint n = MIN (per_column, n_lines - first);
      char *saved = lines[first + n];
      int cw, ch;

      lines[first + n] = NULL;
      column = g_strjoinv ("\n", lines + first);
      lines[first + n] = saved;
      readout->columns[readout->n_columns] = gtk_widget_create_pango_layout (GTK_WIDGET (self),
                                                                             column);
      pango_layout_get_pixel_size (readout->columns[readout->n_columns], &cw, &ch);
      readout->column_width[readout->n_columns++] = cw;
      readout->width += cw + (readout->n_columns > 1 ? 12 : 0);
      text_height = MAX (text_height, ch);
    }
  readout->width += 2 * READOUT_PAD;
  readout->height = text_height + 2 * READOUT_PAD;

  readout->x = hover_x + 8;
  if (readout->x + readout->width > width)
    readout->x = hover_x - 8 - readout->width;
  readout->x = CLAMP (readout->x, 0, MAX (0, width - readout->width));
  readout->y = MAX (0, MIN (PADDING_TOP, height - readout->height));
}

void
beam_chart_get_readout_box (BeamChart       *self,
                            double           x,
                            graphene_rect_t *box)
{
  Readout readout;

  g_return_if_fail (BEAM_IS_CHART (self));
  g_return_if_fail (self->times->len > 0);

  readout_layout (self, &readout, x, gtk_widget_get_width (GTK_WIDGET (self)),
                  gtk_widget_get_height (GTK_WIDGET (self)));
  graphene_rect_init (box, readout.x, readout.y, readout.width, readout.height);
  readout_clear (&readout);
}

/* The hover line and readout, drawn over the cached lines every frame. */
static void
draw_hover (BeamChart *self,
            cairo_t   *cr,
            double     width,
            double     height)
{
  double plot_h = MAX (1, height - PADDING_TOP - PADDING_BOTTOM);
  GdkRGBA fg;

  gtk_style_context_get_color (gtk_widget_get_style_context (GTK_WIDGET (self)), &fg);
  cairo_set_line_width (cr, 1);

  /* Hover: the sample nearest the pointer, its time and values. */
  if (self->hover_x >= PADDING_LEFT && self->times->len > 0)
    {
      Readout readout;
      double column_x;

      cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.4);
      cairo_move_to (cr, floor (self->hover_x) + 0.5, PADDING_TOP);
      cairo_line_to (cr, floor (self->hover_x) + 0.5, PADDING_TOP + plot_h);
      cairo_stroke (cr);

      readout_layout (self, &readout, self->hover_x, width, height);
      /* A popover's colours, which follow the dark style, with an edge
       * that sets it off the plot in both. */
      {
        GtkStyleContext *context = gtk_widget_get_style_context (GTK_WIDGET (self));
        GdkRGBA box, text;

        if (!gtk_style_context_lookup_color (context, "popover_bg_color", &box))
          gdk_rgba_parse (&box, "#ffffff");
        if (!gtk_style_context_lookup_color (context, "popover_fg_color", &text))
          text = fg;
        cairo_set_source_rgba (cr, box.red, box.green, box.blue, 0.95);
        cairo_rectangle (cr, readout.x + 0.5, readout.y + 0.5, readout.width - 1,
                         readout.height - 1);
        cairo_fill_preserve (cr);
        cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.25);
        cairo_stroke (cr);
        gdk_cairo_set_source_rgba (cr, &text);
      }
      column_x = readout.x + READOUT_PAD;
      for (guint i = 0; i < readout.n_columns; i++)
        {
          cairo_move_to (cr, column_x, readout.y + READOUT_PAD);
          pango_cairo_show_layout (cr, readout.columns[i]);
          column_x += readout.column_width[i] + 12;
        }
      readout_clear (&readout);
    }
}

/* At most this many series are named in the accessible description. */
#define DESCRIBED_SERIES 8

/* What a screen reader says of the chart: the newest sample's values, as a
 * user reads them at the lines' right ends. */
static char *
describe_latest (BeamChart *self)
{
  GString *text = g_string_new (NULL);
  guint newest = self->times->len - 1;
  guint described = 0, visible = 0;

  for (guint s = 0; s < self->stride; s++)
    {
      g_autofree char *value = NULL;

      if (!g_array_index (self->series, Series, s).visible)
        continue;
      if (visible++ >= DESCRIBED_SERIES)
        continue;
      value = beam_chart_format_value (self, g_array_index (self->values, double,
                                                            newest * self->stride + s), FALSE);
      /* Translators: one series of a chart's description, "Total: 12%" */
      g_string_append_printf (text, described++ == 0 ? _("%s: %s") : _(", %s: %s"),
                              g_array_index (self->series, Series, s).label, value);
    }
  if (visible > described)
    g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, ", and %u more series",
                                               ", and %u more series", visible - described),
                            visible - described);
  {
    /* Translators: a chart's description: its time span, then the latest values */
    g_autofree char *latest = g_strdup_printf (_("Last %d s; now %s"),
                                               (int) (self->window_us / G_USEC_PER_SEC),
                                               text->str);

    g_string_free (text, TRUE);
    return g_steal_pointer (&latest);
  }
}

static gboolean
update_description (gpointer user_data)
{
  BeamChart *self = user_data;
  g_autofree char *description = NULL;

  self->describe_source = 0;
  if (self->times->len == 0)
    description = g_strdup (_("No samples yet"));
  else
    description = describe_latest (self);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  description, -1);
  return G_SOURCE_REMOVE;
}

static void
queue_description (BeamChart *self)
{
  if (self->describe_source == 0)
    self->describe_source = g_idle_add (update_description, self);
}

/* ---- the GTK thread ------------------------------------------------------------- */

static void start_rendering_if_shown (BeamChart *self);

/* Whether the lent tape can take a strip for the job, and the first
 * sample the job needs: for a strip, the first whose stroke reaches it; for
 * the tape drawn whole, first_drawn. */
static guint
plan_lines_job (BeamChart *self,
                LinesJob  *job,
                gboolean   whole)
{
  const gint64 *times = (const gint64 *) (gpointer) self->times->data;
  guint newest = self->times->len - 1;
  guint first = first_drawn (self);
  guint from;
  double strip_x;

  job->whole = TRUE;
  if (whole || !_beam_chart_tape_fits (job->tape, job) ||
      _beam_chart_tape_x (job->tape, times[newest])
      > _beam_chart_tape_width_for (job->width) - TAPE_MARGIN)
    return first;
  for (guint i = newest + 1; i-- > first;)
    if (times[i] == job->tape->drawn_until)
      {
        strip_x = _beam_chart_strip_left (job->tape, job->scale);
        for (from = i;
             from > first && _beam_chart_tape_x (job->tape, times[from]) >= strip_x - STROKE_REACH;
             from--)
          ;
        job->whole = FALSE;
        job->last_drawn = i - from;
        return from;
      }
  return first;
}

static LinesJob *
lines_job_new (BeamChart *self,
               int        width,
               int        height,
               int        scale,
               gboolean   whole)
{
  LinesJob *job = g_new0 (LinesJob, 1);
  guint first = 0;

  job->width = width;
  job->height = height;
  job->scale = scale;
  job->max = visible_max (self);
  job->window_us = self->window_us;
  job->stride = self->stride;
  job->visible = g_new0 (gboolean, self->stride);
  job->dashed = g_new0 (gboolean, self->stride);
  job->colors = g_new0 (GdkRGBA, self->stride);
  for (guint s = 0; s < self->stride; s++)
    {
      job->visible[s] = g_array_index (self->series, Series, s).visible;
      job->dashed[s] = g_array_index (self->series, Series, s).dashed;
      beam_chart_get_series_color (self, s, &job->colors[s]);
    }
  gtk_style_context_get_color (gtk_widget_get_style_context (GTK_WIDGET (self)), &job->fg);
  job->generation = self->generation;
  job->grid = cairo_surface_reference (ensure_grid (self, width, height, scale,
                                                    job->max, &job->fg));
  /* Lent to the job: nothing here touches the tape until it comes back. */
  job->tape = self->tape != NULL ? g_steal_pointer (&self->tape) : g_new0 (Tape, 1);
  /* A strip needs only its last few samples: at 100 ms over 10 minutes,
   * copying all 64 × 6,000 of them took most of a push. */
  if (self->times->len > 0)
    first = plan_lines_job (self, job, whole);
  job->n_samples = self->times->len - first;
  job->times = g_memdup2 (&g_array_index (self->times, gint64, first),
                          sizeof (gint64) * job->n_samples);
  job->values = g_memdup2 (&g_array_index (self->values, double, first * self->stride),
                           sizeof (double) * job->n_samples * self->stride);
  return job;
}

static void
lines_rendered (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data G_GNUC_UNUSED)
{
  BeamChart *self = BEAM_CHART (object);
  LinesJob *job = g_task_get_task_data (G_TASK (result));
  cairo_surface_t *picture = g_task_propagate_pointer (G_TASK (result), NULL);

  self->rendering = FALSE;
  self->tape = g_steal_pointer (&job->tape);
  self->whole_redraws += job->drawn_whole;
  if (picture == NULL)
    return;
  g_clear_pointer (&self->picture, cairo_surface_destroy);
  self->picture = picture;
  self->picture_generation = job->generation;
  self->picture_width = job->width;
  self->picture_height = job->height;
  self->picture_scale = job->scale;
  self->picture_fg = job->fg;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  /* The data moved on while this one was drawn. */
  if (self->generation != job->generation)
    start_rendering_if_shown (self);
}

static void
start_rendering (BeamChart *self,
                 int        width,
                 int        height,
                 int        scale)
{
  g_autoptr(GTask) task = g_task_new (self, NULL, lines_rendered, NULL);

  self->rendering = TRUE;
  g_task_set_task_data (task, lines_job_new (self, width, height, scale, FALSE),
                        (GDestroyNotify) _beam_chart_lines_job_free);
  g_task_run_in_thread (task, _beam_chart_render_lines);
}

/* A new picture is drawn straight away when the chart is on screen; a
 * hidden chart draws when it is next shown (its snapshot asks). */
static void
start_rendering_if_shown (BeamChart *self)
{
  GtkWidget *widget = GTK_WIDGET (self);

  if (self->rendering)
    return;
  if (gtk_widget_get_mapped (widget) && gtk_widget_get_width (widget) > 0 &&
      gtk_widget_get_height (widget) > 0)
    start_rendering (self, gtk_widget_get_width (widget), gtk_widget_get_height (widget),
                     gtk_widget_get_scale_factor (widget));
  else
    gtk_widget_queue_draw (widget);
}

/* A picture lent to a frame's cairo node. Painted as a plain surface
 * pattern, cairo's recording would attach a copy-on-write snapshot to it
 * that lives as long as the picture, and freeing the picture would then
 * copy all its pixels (0.8 MB, a fifth of the frame's time when a sample
 * comes every frame). A raster source holds it by reference instead. */
static cairo_surface_t *
lend_picture (cairo_pattern_t             *pattern G_GNUC_UNUSED,
              void                        *picture,
              cairo_surface_t             *target G_GNUC_UNUSED,
              const cairo_rectangle_int_t *extents G_GNUC_UNUSED)
{
  return cairo_surface_reference (picture);
}

static void
return_picture (cairo_pattern_t *pattern G_GNUC_UNUSED,
                void            *picture G_GNUC_UNUSED,
                cairo_surface_t *lent)
{
  cairo_surface_destroy (lent);
}

static cairo_status_t
hold_picture (cairo_pattern_t       *pattern G_GNUC_UNUSED,
              void                  *picture,
              const cairo_pattern_t *other G_GNUC_UNUSED)
{
  cairo_surface_reference (picture);
  return CAIRO_STATUS_SUCCESS;
}

static void
release_picture (cairo_pattern_t *pattern G_GNUC_UNUSED,
                 void            *picture)
{
  cairo_surface_destroy (picture);
}

static void
paint_picture (cairo_t         *cr,
               cairo_surface_t *picture)
{
  int pixel_width = cairo_image_surface_get_width (picture);
  int pixel_height = cairo_image_surface_get_height (picture);
  cairo_pattern_t *pattern;
  cairo_matrix_t pixels_per_unit;
  double scale_x, scale_y;

  pattern = cairo_pattern_create_raster_source (cairo_surface_reference (picture),
                                                CAIRO_CONTENT_COLOR_ALPHA,
                                                pixel_width, pixel_height);
  cairo_raster_source_pattern_set_acquire (pattern, lend_picture, return_picture);
  cairo_raster_source_pattern_set_copy (pattern, hold_picture);
  cairo_raster_source_pattern_set_finish (pattern, release_picture);
  /* A raster source is in pixels: the picture's device scale is undone
   * by the pattern's matrix. */
  cairo_surface_get_device_scale (picture, &scale_x, &scale_y);
  cairo_matrix_init_scale (&pixels_per_unit, scale_x, scale_y);
  cairo_pattern_set_matrix (pattern, &pixels_per_unit);
  cairo_set_source (cr, pattern);
  cairo_paint (cr);
  cairo_pattern_destroy (pattern);
}

static void
beam_chart_snapshot (GtkWidget   *widget,
                     GtkSnapshot *snapshot)
{
  BeamChart *self = BEAM_CHART (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  int scale = gtk_widget_get_scale_factor (widget);
  GdkRGBA fg;
  cairo_t *cr;

  if (width <= 0 || height <= 0)
    return;
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &fg);
  if (!self->rendering &&
      (self->picture == NULL || self->picture_generation != self->generation ||
       self->picture_width != width || self->picture_height != height ||
       self->picture_scale != scale || !gdk_rgba_equal (&fg, &self->picture_fg)))
    start_rendering (self, width, height, scale);

  /* The last picture until the next one comes (after a resize, at its old
   * size); before the first, the grid alone. */
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  paint_picture (cr, self->picture != NULL ? self->picture
                                            : ensure_grid (self, width, height, scale,
                                                           visible_max (self), &fg));
  if (self->hover_x >= PADDING_LEFT && self->times->len > 0)
    draw_hover (self, cr, width, height);
  cairo_destroy (cr);
}

/* The data changed: a new picture is drawn. */
static void
invalidate_lines (BeamChart *self)
{
  self->generation++;
  queue_description (self);
  start_rendering_if_shown (self);
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

  g_clear_handle_id (&self->describe_source, g_source_remove);
  g_array_unref (self->series);
  g_array_unref (self->times);
  g_array_unref (self->values);
  g_clear_pointer (&self->picture, cairo_surface_destroy);
  g_clear_pointer (&self->grid, cairo_surface_destroy);
  _beam_chart_tape_free (self->tape);

  G_OBJECT_CLASS (beam_chart_parent_class)->finalize (object);
}

static void
beam_chart_class_init (BeamChartClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = beam_chart_finalize;
  GTK_WIDGET_CLASS (klass)->snapshot = beam_chart_snapshot;
  gtk_widget_class_set_css_name (GTK_WIDGET_CLASS (klass), "beamchart");
  /* A picture of numbers: its label is its title (set by the page), its
   * description the latest values. */
  gtk_widget_class_set_accessible_role (GTK_WIDGET_CLASS (klass), GTK_ACCESSIBLE_ROLE_IMG);
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
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  _("No samples yet"), -1);
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
  Series series = { .label = g_strdup (label), .dashed = dashed, .visible = TRUE };

  g_return_val_if_fail (BEAM_IS_CHART (self), 0);
  /* Series are set before the first sample: samples are rows of them. */
  g_return_val_if_fail (self->times->len == 0, 0);

  beam_palette_get_series_color (self->series->len, &series.color);
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
beam_chart_get_series_color (BeamChart *self,
                             guint      series,
                             GdkRGBA   *color)
{
  g_return_if_fail (BEAM_IS_CHART (self));
  g_return_if_fail (series < self->series->len);
  *color = g_array_index (self->series, Series, series).color;
}

void
beam_chart_set_series_color (BeamChart     *self,
                             guint          series,
                             const GdkRGBA *color)
{
  g_return_if_fail (BEAM_IS_CHART (self));
  g_return_if_fail (series < self->series->len);
  g_return_if_fail (self->times->len == 0);
  g_array_index (self->series, Series, series).color = *color;
  self->generation++;
}

gboolean
beam_chart_get_series_visible (BeamChart *self,
                               guint      series)
{
  g_return_val_if_fail (BEAM_IS_CHART (self), FALSE);
  g_return_val_if_fail (series < self->series->len, FALSE);

  return g_array_index (self->series, Series, series).visible;
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
  guint stale;

  g_return_if_fail (BEAM_IS_CHART (self));

  g_array_append_val (self->times, time_us);
  g_array_append_vals (self->values, values, self->stride);
  /* Samples no line needs any more go once they are an eighth of those
   * kept: moving the rest down at every push was a third of a push's time
   * at 64 series over 6,000 samples. */
  stale = first_drawn (self);
  if (stale > MAX (16, self->times->len / 8))
    {
      g_array_remove_range (self->times, 0, stale);
      g_array_remove_range (self->values, 0, stale * self->stride);
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
  return self->times->len - first_shown (self);
}

cairo_surface_t *
beam_chart_render_now (BeamChart *self,
                       int        width,
                       int        height,
                       gboolean   whole)
{
  LinesJob *job;
  cairo_surface_t *picture;

  g_return_val_if_fail (BEAM_IS_CHART (self), NULL);
  g_return_val_if_fail (!self->rendering, NULL);

  job = lines_job_new (self, width, height, 1, whole);
  if (whole)
    {
      /* The chart's own tape stays as it was; the fresh one is drawn at
       * its origin, so the two pictures are shifted alike. */
      self->tape = g_steal_pointer (&job->tape);
      job->tape = g_new0 (Tape, 1);
      if (self->tape->surface != NULL &&
          self->tape->drawn_until == g_array_index (self->times, gint64, self->times->len - 1))
        {
          job->tape->origin = self->tape->origin;
          job->tape->line_length = g_memdup2 (self->tape->line_length,
                                              sizeof (double) * self->tape->stride);
          job->tape->pinned = TRUE;
        }
    }
  picture = _beam_chart_run_lines_job (job);
  if (!whole)
    {
      self->tape = g_steal_pointer (&job->tape);
      self->whole_redraws += job->drawn_whole;
    }
  _beam_chart_lines_job_free (job);
  return picture;
}

guint
beam_chart_get_whole_redraws (BeamChart *self)
{
  g_return_val_if_fail (BEAM_IS_CHART (self), 0);
  return self->whole_redraws;
}

void
_beam_chart_set_hover (BeamChart *self,
                       double     x)
{
  g_return_if_fail (BEAM_IS_CHART (self));

  self->hover_x = x;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}
