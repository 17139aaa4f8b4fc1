/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* A time-series chart: lines over a moving window, drawn with cairo on a
 * worker thread, a new sample adding only its own strip. Values are
 * normalised against the visible maximum when drawn;
 * hovering shows the time and every series' value under the pointer. */

typedef enum
{
  BEAM_CHART_UNIT_FRACTION,  /* 0..1, shown as percent */
  BEAM_CHART_UNIT_BYTES,
  BEAM_CHART_UNIT_COUNT,
  BEAM_CHART_UNIT_RATE,      /* a count per second */
  BEAM_CHART_UNIT_BYTES_PER_SECOND,
} BeamChartUnit;

#define BEAM_TYPE_CHART (beam_chart_get_type ())

G_DECLARE_FINAL_TYPE (BeamChart, beam_chart, BEAM, CHART, GtkWidget)

GtkWidget  *beam_chart_new                (BeamChartUnit  unit);
guint       beam_chart_add_series         (BeamChart     *self,
                                           const char    *label,
                                           gboolean       dashed);
guint       beam_chart_get_n_series       (BeamChart     *self);
const char *beam_chart_get_series_label   (BeamChart     *self,
                                           guint          series);
void        beam_chart_get_series_color   (BeamChart     *self,
                                           guint          series,
                                           GdkRGBA       *color);
/* Before the first sample: a colour of its own (a memory category's). */
void        beam_chart_set_series_color   (BeamChart     *self,
                                           guint          series,
                                           const GdkRGBA *color);
void        beam_chart_set_series_visible (BeamChart     *self,
                                           guint          series,
                                           gboolean       visible);
gboolean    beam_chart_get_series_visible (BeamChart     *self,
                                           guint          series);
/* One value per series, at `time_us`; older samples than the window go. */
void        beam_chart_push               (BeamChart     *self,
                                           gint64         time_us,
                                           const double  *values);
void        beam_chart_set_window         (BeamChart     *self,
                                           gint64         window_us);
G_END_DECLS
