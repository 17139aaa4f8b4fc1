/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The lines are kept on a tape: a surface twice the plot's width whose x
 * axis is time from a fixed origin, so a new sample only adds a strip at the
 * right end (a few pixels of 64 short strokes) instead of every line again.
 * A frame shows the tape shifted so that its newest sample meets the right
 * edge. The tape is drawn whole again only when what it was drawn for
 * changes (size, scale, window, the visible series) or when it is full,
 * once per window's worth of samples.
 *
 * Everything here runs on the worker thread, on a LinesJob the GTK thread
 * filled (beam-chart.c): it shares nothing with the GTK thread but the grid,
 * read only, and the tape, lent for the job. */

#define G_LOG_DOMAIN "beamscope-widgets"

#include "config.h"

#include <math.h>

#include "beam-chart-tape.h"

void
_beam_chart_tape_free (Tape *tape)
{
  if (tape == NULL)
    return;
  g_clear_pointer (&tape->surface, cairo_surface_destroy);
  g_free (tape->visible);
  g_free (tape->line_length);
  g_free (tape);
}

void
_beam_chart_lines_job_free (LinesJob *job)
{
  g_free (job->times);
  g_free (job->values);
  g_free (job->visible);
  g_free (job->dashed);
  g_free (job->colors);
  g_clear_pointer (&job->grid, cairo_surface_destroy);
  _beam_chart_tape_free (job->tape);
  g_free (job);
}

static double
sample_y (const LinesJob *job,
          guint           sample,
          guint           series)
{
  double plot_h = MAX (1, job->height - PADDING_TOP - PADDING_BOTTOM);

  return PADDING_TOP + plot_h * (1.0 - CLAMP (job->values[sample * job->stride + series] / job->max,
                                              0.0, 1.0));
}

/* The length of a series' line from sample `from` to sample `to`, as cairo
 * measures it for dashes. */
double
_beam_chart_line_length (const LinesJob *job,
                         const Tape     *tape,
                         guint           series,
                         guint           from,
                         guint           to)
{
  double length = 0;

  for (guint i = from; i < to; i++)
    length += hypot (_beam_chart_tape_x (tape, job->times[i + 1])
                     - _beam_chart_tape_x (tape, job->times[i]),
                     sample_y (job, i + 1, series) - sample_y (job, i, series));
  return length;
}

static void
stroke_series (cairo_t        *cr,
               const LinesJob *job,
               const Tape     *tape,
               guint           series,
               guint           from,
               double          dash_offset)
{
  static const double dash[] = { 4, 3 };

  gdk_cairo_set_source_rgba (cr, &job->colors[series]);
  cairo_set_dash (cr, dash, job->dashed[series] ? 2 : 0, dash_offset);
  for (guint i = from; i < job->n_samples; i++)
    {
      double x = _beam_chart_tape_x (tape, job->times[i]);
      double y = sample_y (job, i, series);

      if (i == from)
        cairo_move_to (cr, x, y);
      else
        cairo_line_to (cr, x, y);
    }
  cairo_stroke (cr);
}

gboolean
_beam_chart_tape_fits (const Tape     *tape,
                       const LinesJob *job)
{
  return tape->surface != NULL && tape->width == job->width && tape->height == job->height &&
         tape->scale == job->scale && tape->max == job->max && tape->window_us == job->window_us &&
         tape->stride == job->stride &&
         memcmp (tape->visible, job->visible, sizeof (gboolean) * job->stride) == 0;
}

static cairo_t *
tape_cairo_create (Tape *tape)
{
  cairo_t *cr = cairo_create (tape->surface);

  cairo_set_line_width (cr, 1.5);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  return cr;
}

/* Every line, on a new tape whose right half is free for the samples to come. */
static void
tape_draw_whole (Tape     *tape,
                 LinesJob *job)
{
  double tape_width = _beam_chart_tape_width_for (job->width);
  guint newest = job->n_samples - 1;
  cairo_t *cr;

  g_clear_pointer (&tape->surface, cairo_surface_destroy);
  tape->surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32,
                                              (int) ceil (tape_width * job->scale),
                                              job->height * job->scale);
  cairo_surface_set_device_scale (tape->surface, job->scale, job->scale);
  tape->width = job->width;
  tape->height = job->height;
  tape->scale = job->scale;
  tape->max = job->max;
  tape->window_us = job->window_us;
  tape->stride = job->stride;
  g_free (tape->visible);
  tape->visible = g_memdup2 (job->visible, sizeof (gboolean) * job->stride);
  if (!tape->pinned)
    {
      tape->origin = job->times[newest] - job->window_us;
      g_free (tape->line_length);
      tape->line_length = g_new0 (double, job->stride);
    }
  tape->drawn_until = job->times[newest];

  cr = tape_cairo_create (tape);
  for (guint s = 0; s < job->stride; s++)
    if (job->visible[s])
      {
        double length = job->dashed[s] ? _beam_chart_line_length (job, tape, s, 0, newest) : 0;

        stroke_series (cr, job, tape, s, 0, tape->pinned ? tape->line_length[s] - length : 0);
        if (!tape->pinned)
          tape->line_length[s] = length;
      }
  cairo_destroy (cr);
  tape->pinned = FALSE;
  job->drawn_whole = TRUE;
}

/* Where a strip starts: the stroke reach left of the last sample drawn, on
 * a device pixel. */
double
_beam_chart_strip_left (const Tape *tape,
                        int         scale)
{
  return floor ((_beam_chart_tape_x (tape, tape->drawn_until) - STROKE_REACH) * scale) / scale;
}

/* The samples after drawn_until: the tape from a little left of it on is
 * cleared and drawn again from the samples that reach there, so the joins
 * come out as if the lines had been stroked whole. */
static void
tape_draw_strip (Tape     *tape,
                 LinesJob *job,
                 guint     last_drawn)
{
  double strip_x = _beam_chart_strip_left (tape, job->scale);
  cairo_t *cr = tape_cairo_create (tape);

  /* Right of the newest sample's reach the tape was never drawn on. */
  cairo_rectangle (cr, strip_x, 0,
                   _beam_chart_tape_x (tape, job->times[job->n_samples - 1])
                   + STROKE_REACH + 1 - strip_x,
                   job->height);
  cairo_clip (cr);
  cairo_set_operator (cr, CAIRO_OPERATOR_CLEAR);
  cairo_paint (cr);
  cairo_set_operator (cr, CAIRO_OPERATOR_OVER);
  /* The job's samples start where the strip's strokes do: at sample 0. */
  for (guint s = 0; s < job->stride; s++)
    if (job->visible[s])
      {
        double offset = 0;

        if (job->dashed[s])
          {
            guint newest = job->n_samples - 1;

            offset = tape->line_length[s] - _beam_chart_line_length (job, tape, s, 0, last_drawn);
            tape->line_length[s] += _beam_chart_line_length (job, tape, s, last_drawn, newest);
          }
        stroke_series (cr, job, tape, s, 0, offset);
      }
  cairo_destroy (cr);
  tape->drawn_until = job->times[job->n_samples - 1];
}

static void
tape_update (Tape     *tape,
             LinesJob *job)
{
  if (job->whole)
    tape_draw_whole (tape, job);
  else if (job->last_drawn < job->n_samples - 1)
    tape_draw_strip (tape, job, job->last_drawn);
}

/* The picture a frame paints: the grid, and the tape's last window over it. */
static cairo_surface_t *
compose (LinesJob *job)
{
  cairo_surface_t *picture = cairo_image_surface_create (CAIRO_FORMAT_ARGB32,
                                                         job->width * job->scale,
                                                         job->height * job->scale);
  cairo_t *cr;

  cairo_surface_set_device_scale (picture, job->scale, job->scale);
  cr = cairo_create (picture);
  cairo_set_source_surface (cr, job->grid, 0, 0);
  cairo_set_operator (cr, CAIRO_OPERATOR_SOURCE);
  cairo_paint (cr);
  cairo_set_operator (cr, CAIRO_OPERATOR_OVER);
  if (job->tape->surface != NULL)
    {
      /* Whole device pixels: a fractional shift would blur every line. */
      double shift = PADDING_LEFT + _beam_chart_plot_width (job->width)
                     - _beam_chart_tape_x (job->tape, job->times[job->n_samples - 1]);

      shift = round (shift * job->scale) / job->scale;
      cairo_rectangle (cr, PADDING_LEFT, 0, job->width - PADDING_LEFT, job->height);
      cairo_clip (cr);
      cairo_set_source_surface (cr, job->tape->surface, shift, 0);
      cairo_paint (cr);
    }
  cairo_destroy (cr);
  cairo_surface_flush (picture);
  return picture;
}

cairo_surface_t *
_beam_chart_run_lines_job (LinesJob *job)
{
  if (job->n_samples > 0)
    tape_update (job->tape, job);
  return compose (job);
}

void
_beam_chart_render_lines (GTask        *task,
                          gpointer      source_object G_GNUC_UNUSED,
                          gpointer      task_data,
                          GCancellable *cancellable G_GNUC_UNUSED)
{
  g_task_return_pointer (task, _beam_chart_run_lines_job (task_data),
                         (GDestroyNotify) cairo_surface_destroy);
}
