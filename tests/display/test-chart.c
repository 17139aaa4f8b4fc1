/* SPDX-License-Identifier: GPL-3.0-or-later */
/* BeamChart's pictures: lines added a strip per sample to the chart's tape
 * must look as the same lines drawn whole, dashes included, across the
 * tape filling up and being drawn again, with samples pixels apart and
 * with several to a pixel; the newest sample sits at the
 * right edge; hiding a series redraws without it. Pictures are drawn with
 * beam_chart_render_now, the worker's own code run on this thread. */

#include <adwaita.h>

#include "beam-chart-private.h"
#include "beam-test-display.h"
#include "beam-test-node.h"

#define WIDTH    600
#define HEIGHT   180
#define N_SERIES 12

typedef struct
{
  guint  differing;  /* pixels with a channel more than 32 apart */
  int    max_delta;
} Difference;

static Difference
compare (cairo_surface_t *a,
         cairo_surface_t *b)
{
  Difference difference = { 0, 0 };
  int stride = cairo_image_surface_get_stride (a);
  const guchar *pa = cairo_image_surface_get_data (a);
  const guchar *pb = cairo_image_surface_get_data (b);

  g_assert_cmpint (cairo_image_surface_get_width (a), ==, cairo_image_surface_get_width (b));
  g_assert_cmpint (cairo_image_surface_get_height (a), ==, cairo_image_surface_get_height (b));
  for (int y = 0; y < cairo_image_surface_get_height (a); y++)
    for (int x = 0; x < cairo_image_surface_get_width (a); x++)
      {
        int worst = 0;

        for (int c = 0; c < 4; c++)
          worst = MAX (worst, ABS (pa[y * stride + 4 * x + c] - pb[y * stride + 4 * x + c]));
        difference.max_delta = MAX (difference.max_delta, worst);
        difference.differing += worst > 32;
      }
  return difference;
}

static guint32
pixel (cairo_surface_t *surface,
       int              x,
       int              y)
{
  return *(guint32 *) (cairo_image_surface_get_data (surface) +
                       y * cairo_image_surface_get_stride (surface) + 4 * x);
}

static BeamChart *
new_chart (void)
{
  BeamChart *chart = BEAM_CHART (g_object_ref_sink (beam_chart_new (BEAM_CHART_UNIT_FRACTION)));

  for (guint s = 0; s < N_SERIES; s++)
    {
      g_autofree char *label = g_strdup_printf ("%u", s);
      /* the last four dashed, as dirty schedulers */
      beam_chart_add_series (chart, label, s >= N_SERIES - 4);
    }
  beam_chart_set_window (chart, 60 * G_USEC_PER_SEC);
  return chart;
}

static void
push_random (BeamChart *chart,
             GRand     *rand,
             gint64     time_us)
{
  double values[N_SERIES];

  for (guint s = 0; s < N_SERIES; s++)
    values[s] = g_rand_double_range (rand, 0, 1);
  beam_chart_push (chart, time_us, values);
}

typedef struct
{
  gint64 spacing_us;         /* between samples */
  guint  pushes_per_picture;
  guint  pictures;
} Pace;

/* 1 s samples on a 60 s window, each drawn as it comes, for two and a half
 * windows: about 9 px between samples. */
static const Pace sparse = { G_USEC_PER_SEC, 1, 150 };
/* 50 ms samples, 22 to a picture, for over a window: 2.3 samples to a
 * pixel, so a strip's strokes start many samples back. */
static const Pace dense = { G_USEC_PER_SEC / 20, 22, 60 };
/* 10 ms samples, 11 to a pixel, for a third of a window. */
static const Pace densest = { G_USEC_PER_SEC / 100, 110, 20 };

/* Busy random lines added by strips: every picture matches the one drawn
 * whole, across the tape filling up and being drawn again. */
static void
test_strips_match_whole (gconstpointer data)
{
  const Pace *pace = data;
  BeamChart *chart = new_chart ();
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  gint64 t = 0;
  guint worst_differing = 0;
  int worst_delta = 0;
  guint strips = 0;

  for (guint i = 0; i < 40; i++, t += pace->spacing_us)
    push_random (chart, rand, t);
  cairo_surface_destroy (beam_chart_render_now (chart, WIDTH, HEIGHT, FALSE));
  g_assert_cmpuint (beam_chart_get_whole_redraws (chart), ==, 1);

  for (guint i = 0; i < pace->pictures; i++)
    {
      guint whole_before = beam_chart_get_whole_redraws (chart);
      cairo_surface_t *by_strips;
      cairo_surface_t *whole;
      Difference difference;

      for (guint p = 0; p < pace->pushes_per_picture; p++, t += pace->spacing_us)
        push_random (chart, rand, t);
      by_strips = beam_chart_render_now (chart, WIDTH, HEIGHT, FALSE);
      whole = beam_chart_render_now (chart, WIDTH, HEIGHT, TRUE);
      difference = compare (by_strips, whole);
      worst_differing = MAX (worst_differing, difference.differing);
      worst_delta = MAX (worst_delta, difference.max_delta);
      strips += beam_chart_get_whole_redraws (chart) == whole_before;
      if (difference.differing > 0 && g_test_verbose ())
        {
          cairo_surface_write_to_png (by_strips, "chart-by-strips.png");
          cairo_surface_write_to_png (whole, "chart-whole.png");
        }
      cairo_surface_destroy (by_strips);
      cairo_surface_destroy (whole);
    }
  g_test_message ("worst picture: %u pixels more than 32 apart, largest channel difference %d; "
                  "%u of %u pictures added as strips, %u whole redraws; %u samples shown",
                  worst_differing, worst_delta, strips, pace->pictures,
                  beam_chart_get_whole_redraws (chart), beam_chart_get_n_samples (chart));
  /* The tape holds a window more: one whole redraw per window of samples. */
  g_assert_cmpuint (strips, >=, pace->pictures - 5);
  g_assert_cmpuint (beam_chart_get_whole_redraws (chart), <=, 4);
  g_assert_cmpuint (worst_differing, <=, 4);
  /* Samples that left the window are dropped (shown: one before its left
   * edge, then those from the edge to the newest). */
  if (t > 60 * G_USEC_PER_SEC)
    g_assert_cmpuint (beam_chart_get_n_samples (chart), ==,
                      60 * G_USEC_PER_SEC / pace->spacing_us + 2);
  else
    g_assert_cmpuint (beam_chart_get_n_samples (chart), ==, t / pace->spacing_us);
  g_assert_finalize_object (chart);
}

/* A step: every series at 0, then the newest sample at 1. The top of the
 * plot is coloured at the right edge only, the bottom on the left. */
static void
test_newest_at_right_edge (void)
{
  BeamChart *chart = new_chart ();
  double zero[N_SERIES] = { 0 };
  double one[N_SERIES];
  cairo_surface_t *picture;
  const int right = WIDTH - 12;  /* the plot's right edge (PADDING_RIGHT) */
  const int top = 10, bottom = HEIGHT - 22;

  for (guint s = 0; s < N_SERIES; s++)
    one[s] = 1;
  for (guint i = 0; i < 30; i++)
    beam_chart_push (chart, (gint64) i * G_USEC_PER_SEC, zero);
  cairo_surface_destroy (beam_chart_render_now (chart, WIDTH, HEIGHT, FALSE));
  beam_chart_push (chart, 30 * G_USEC_PER_SEC, one);
  picture = beam_chart_render_now (chart, WIDTH, HEIGHT, FALSE);

  g_assert_cmphex (pixel (picture, right - 1, top) >> 24, >, 0x80);
  g_assert_cmphex (pixel (picture, right - 40, top) >> 24, <, 0x40);
  g_assert_cmphex (pixel (picture, right - 40, bottom) >> 24, >, 0x80);
  /* The oldest sample is half a window old: the lines start mid-plot. */
  g_assert_cmphex (pixel (picture, 64 + 20, bottom) >> 24, <, 0x40);
  cairo_surface_destroy (picture);
  g_assert_finalize_object (chart);
}

/* Hiding every series but one leaves only its colour on the plot. */
static void
test_hidden_series_redraw (void)
{
  BeamChart *chart = new_chart ();
  double values[N_SERIES];
  cairo_surface_t *picture;
  GdkRGBA first;
  guint32 expected, seen;
  guint whole_before;

  /* Centred on a pixel row (the plot is HEIGHT - 32 high), so the 1.5 px
   * line covers that row whole. */
  for (guint s = 0; s < N_SERIES; s++)
    values[s] = 1.0 - 74.5 / (HEIGHT - 32);
  for (guint i = 0; i < 30; i++)
    beam_chart_push (chart, (gint64) i * G_USEC_PER_SEC, values);
  cairo_surface_destroy (beam_chart_render_now (chart, WIDTH, HEIGHT, FALSE));
  whole_before = beam_chart_get_whole_redraws (chart);
  for (guint s = 1; s < N_SERIES; s++)
    beam_chart_set_series_visible (chart, s, FALSE);
  picture = beam_chart_render_now (chart, WIDTH, HEIGHT, FALSE);
  g_assert_cmpuint (beam_chart_get_whole_redraws (chart), ==, whole_before + 1);

  beam_chart_get_series_color (chart, 0, &first);
  expected = 0xff000000u | ((guint32) (first.red * 255 + 0.5) << 16) |
             ((guint32) (first.green * 255 + 0.5) << 8) |
             (guint32) (first.blue * 255 + 0.5);
  seen = pixel (picture, WIDTH - 100, 84);
  g_assert_cmphex (seen, ==, expected);
  cairo_surface_destroy (picture);
  g_assert_finalize_object (chart);
}

static gboolean
drawn (gpointer chart)
{
  return beam_chart_get_whole_redraws (chart) > 0 && gtk_widget_get_mapped (chart);
}

/* In a window, drawn by its worker as samples come: once the window is
 * closed, nothing (a tick callback, a job on the worker) keeps the chart. */
static void
test_finalized_with_window (void)
{
  GtkWidget *window = g_object_ref_sink (gtk_window_new ());
  BeamChart *chart = g_object_ref (new_chart ());
  g_autoptr(GRand) rand = g_rand_new_with_seed (11);

  gtk_window_set_default_size (GTK_WINDOW (window), WIDTH, HEIGHT);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (chart));
  g_object_unref (chart);  /* the window's now, and ours */
  gtk_window_present (GTK_WINDOW (window));
  for (guint i = 0; i < 30; i++)
    push_random (chart, rand, (gint64) i * G_USEC_PER_SEC);
  beam_test_wait_until (drawn, chart, 10000);
  for (guint i = 30; i < 40; i++)
    {
      push_random (chart, rand, (gint64) i * G_USEC_PER_SEC);
      beam_test_run_for (20);
    }

  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (window);
  beam_test_wait_until (beam_test_nothing_else_holds, chart, 10000);
  g_assert_finalize_object (chart);
}

int
main (int    argc,
      char **argv)
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_data_func ("/chart/strips-match-whole", &sparse, test_strips_match_whole);
  g_test_add_data_func ("/chart/strips-match-whole-dense", &dense, test_strips_match_whole);
  g_test_add_data_func ("/chart/strips-match-whole-densest", &densest, test_strips_match_whole);
  g_test_add_func ("/chart/newest-at-right-edge", test_newest_at_right_edge);
  g_test_add_func ("/chart/hidden-series-redraw", test_hidden_series_redraw);
  g_test_add_func ("/chart/finalized-with-window", test_finalized_with_window);
  return g_test_run ();
}
