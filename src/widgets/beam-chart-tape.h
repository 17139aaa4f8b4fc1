/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* What BeamChart's GTK thread shares with the worker that draws its lines:
 * the plot's margins, the tape, and the job a worker runs. */

#define PADDING_LEFT   84.0
#define PADDING_RIGHT  12.0
#define PADDING_TOP    10.0
#define PADDING_BOTTOM 22.0

/* Room left and right of the samples on a tape (beam-chart-tape.c). */
#define TAPE_MARGIN 8.0
/* How far left of a strip a stroke can still leave pixels: half the line
 * width, the join, and the antialiasing, rounded up. */
#define STROKE_REACH 3.0

typedef struct _Tape Tape;

struct _Tape
{
  cairo_surface_t *surface;
  /* What the tape was drawn for. */
  int       width;
  int       height;
  int       scale;
  double    max;
  gint64    window_us;
  guint     stride;
  gboolean *visible;
  /* The time at x = TAPE_MARGIN, and of the last sample drawn. */
  gint64    origin;
  /* Tests: a fresh tape drawn whole at this origin, its dashes in the
   * phase _beam_chart_line_length() gives for drawn_until, as another
   * tape's strips. */
  gboolean  pinned;
  gint64    drawn_until;
  /* Per series, the length of its line from the tape's first sample to
   * drawn_until, so a strip's dashes continue those before it. */
  double   *line_length;
};


/* A copy of everything the lines need, so the worker shares nothing with
 * the GTK thread but the grid (read only) and the tape (lent for the job). */
typedef struct
{
  int              width;
  int              height;
  int              scale;
  double           max;
  gint64           window_us;
  guint            n_samples;
  guint            stride;
  gint64          *times;
  double          *values;
  gboolean        *visible;
  gboolean        *dashed;
  GdkRGBA         *colors;
  GdkRGBA          fg;
  guint            generation;
  cairo_surface_t *grid;
  Tape            *tape;
  /* Decided on the GTK thread, which copied the samples for it: the tape
   * drawn whole (the samples from first_drawn on), or a strip after the
   * sample at `last_drawn` (the samples from the strip's reach on). */
  gboolean         whole;
  guint            last_drawn;
  gboolean         drawn_whole;  /* out: the tape was drawn again whole */
} LinesJob;

/* Inline: both threads call them per sample. */
static inline double
_beam_chart_plot_width (int width)
{
  return MAX (1, width - PADDING_LEFT - PADDING_RIGHT);
}

/* Twice the plot, so that the tape holds a window of samples to come. */
static inline double
_beam_chart_tape_width_for (int width)
{
  return 2 * TAPE_MARGIN + 2 * _beam_chart_plot_width (width);
}

/* x of a time on the tape. */
static inline double
_beam_chart_tape_x (const Tape *tape,
                    gint64      time)
{
  return TAPE_MARGIN + _beam_chart_plot_width (tape->width) * (double) (time - tape->origin)
                       / (double) tape->window_us;
}

void             _beam_chart_tape_free      (Tape           *tape);
void             _beam_chart_lines_job_free (LinesJob       *job);
/* Series' line length between two of the job's samples, in tape pixels. */
double           _beam_chart_line_length    (const LinesJob *job,
                                             const Tape     *tape,
                                             guint           series,
                                             guint           from,
                                             guint           to);
gboolean         _beam_chart_tape_fits      (const Tape     *tape,
                                             const LinesJob *job);
/* The x left of which a new strip cannot reach. */
double           _beam_chart_strip_left     (const Tape     *tape,
                                             int             scale);
/* The worker's job: the tape brought up to date, composed over the grid. */
cairo_surface_t *_beam_chart_run_lines_job  (LinesJob       *job);
void             _beam_chart_render_lines   (GTask          *task,
                                             gpointer        source_object,
                                             gpointer        task_data,
                                             GCancellable   *cancellable);

G_END_DECLS
