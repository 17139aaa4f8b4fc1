/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Processes page on a node with many processes, in a real window under
 * Xvfb: a tick callback keeps the frame clock running, and every gap between
 * two frames is recorded while the page lists, refreshes, sorts and filters.
 * A gap is how long the GTK thread was kept from drawing; drawing itself is
 * timed apart (under Xvfb it is software rendering, slow whatever the data),
 * and the gap less its drawing is the time the page's own work held the
 * thread. Prints JSON lines;
 * BEAMSCOPE_BENCH_PROCESSES (default 1000000) sets the extra processes. */

#include <time.h>

#include "beam-bench.h"
#include "beam-application.h"
#include "beam-connection.h"
#include "beam-processes-page-private.h"
#include "beam-test-node.h"
#include "beam-window-private.h"

typedef struct
{
  gint64  last;
  GArray *gaps;         /* double, ms */
  gint64  paint_start;
  double  longest_paint; /* ms: drawing alone, which under Xvfb is software */
  double  longest_other; /* ms: the longest gap less its frame's drawing */
} Frames;

static void
on_before_paint (GdkFrameClock *clock G_GNUC_UNUSED,
                 Frames        *frames)
{
  frames->paint_start = g_get_monotonic_time ();
}

static void
on_after_paint (GdkFrameClock *clock G_GNUC_UNUSED,
                Frames        *frames)
{
  double paint = (g_get_monotonic_time () - frames->paint_start) / 1000.0;
  double gap = frames->gaps->len > 0
               ? g_array_index (frames->gaps, double, frames->gaps->len - 1)
               : 0;

  frames->longest_paint = MAX (frames->longest_paint, paint);
  frames->longest_other = MAX (frames->longest_other, gap - paint);
}

static gboolean
on_tick (GtkWidget     *widget G_GNUC_UNUSED,
         GdkFrameClock *clock G_GNUC_UNUSED,
         gpointer       user_data)
{
  Frames *frames = user_data;
  gint64 now = g_get_monotonic_time ();

  if (frames->last != 0)
    {
      double gap = (now - frames->last) / 1000.0;
      g_array_append_val (frames->gaps, gap);
    }
  frames->last = now;
  return G_SOURCE_CONTINUE;
}

/* CPU time the GTK thread spends in one main-loop iteration: what it did,
 * whatever else competes for the machine's two cores meanwhile. Every wait
 * (beam_test_wait_until, beam_test_run_for) iterates through here. */
static double longest_iteration_ms;
static guint  iterations_over_16_ms;

static void
iterate (void)
{
  double before = beam_bench_thread_cpu_ms ();
  double spent;

  g_main_context_iteration (NULL, TRUE);
  spent = beam_bench_thread_cpu_ms () - before;
  longest_iteration_ms = MAX (longest_iteration_ms, spent);
  iterations_over_16_ms += spent > 16.0;
}

static gboolean
is_connected (gpointer data)
{
  BeamNode *node = beam_window_get_node (data);

  return node != NULL && beam_node_get_state (node) == BEAM_CONNECTION_STATE_CONNECTED;
}

typedef struct
{
  BeamProcessesPage *page;
  guint              refreshes;
  guint              generation;
} Progress;

static gboolean
refreshed_and_ordered (gpointer data)
{
  Progress *progress = data;
  BeamProcessModel *model = beam_processes_page_get_model (progress->page);

  return beam_page_get_refreshes (BEAM_PAGE (progress->page)) > progress->refreshes &&
         beam_process_model_get_generation (model) > progress->generation &&
         !beam_process_model_get_busy (model);
}

static gboolean
ordered (gpointer data)
{
  Progress *progress = data;
  BeamProcessModel *model = beam_processes_page_get_model (progress->page);

  return beam_process_model_get_generation (model) > progress->generation &&
         !beam_process_model_get_busy (model);
}

static void
report (const char *what,
        Frames     *frames,
        double      took_ms)
{
  double worst = 0;
  guint over_16 = 0, over_33 = 0;

  for (guint i = 0; i < frames->gaps->len; i++)
    {
      double gap = g_array_index (frames->gaps, double, i);
      worst = MAX (worst, gap);
      over_16 += gap > 16.7 + 2;  /* one frame at 60 Hz, and 2 ms of timer slack */
      over_33 += gap > 33.4;
    }
  g_print ("{\"phase\": \"%s\", \"took_ms\": %.0f, \"longest_gtk_thread_cpu_ms\": %.1f, "
           "\"gtk_thread_iterations_over_16_ms\": %u, \"frames\": %u, "
           "\"longest_frame_gap_ms\": %.1f, "
           "\"longest_paint_ms\": %.1f, \"gaps_over_one_frame\": %u, "
           "\"gaps_over_two_frames\": %u}\n",
           what, took_ms, longest_iteration_ms, iterations_over_16_ms, frames->gaps->len, worst,
           frames->longest_paint, over_16, over_33);
  longest_iteration_ms = 0;
  iterations_over_16_ms = 0;
  g_array_set_size (frames->gaps, 0);
  frames->last = 0;
  frames->longest_paint = frames->longest_other = 0;
}

static void
progress_mark (Progress *progress)
{
  progress->refreshes = beam_page_get_refreshes (BEAM_PAGE (progress->page));
  progress->generation =
    beam_process_model_get_generation (beam_processes_page_get_model (progress->page));
}

int
main (int    argc G_GNUC_UNUSED,
      char **argv G_GNUC_UNUSED)
{
  const char * const args[] = { "+P", "4000000", NULL };
  const char *size_env = g_getenv ("BEAMSCOPE_BENCH_PROCESSES");
  guint extra = size_env != NULL ? (guint) g_ascii_strtoull (size_env, NULL, 10) : 1000000;
  g_autoptr(GError) error = NULL;
  g_autoptr(BeamTestNode) node = NULL;
  g_autoptr(BeamApplication) app = NULL;
  g_autofree char *spawn = g_strdup_printf ("[%u]", extra);
  g_autofree char *printed = NULL;
  Frames frames = { .gaps = g_array_new (FALSE, FALSE, sizeof (double)) };
  Progress progress = { 0 };
  BeamWindow *window;
  GtkColumnView *view;
  gint64 start;

  g_assert_true (beam_connection_init_process (NULL));
  beam_application_tune_allocator ();  /* as the app's main does */
  gtk_init ();
  beam_test_set_iterate (iterate);
  app = beam_application_new ();
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));

  node = beam_test_node_start (args, &error);
  g_assert_no_error (error);
  printed = beam_test_node_erl_call (node, "beamscope_fixture", "spawn_idle", spawn, &error);
  g_assert_no_error (error);

  window = beam_window_new (ADW_APPLICATION (app), FALSE);
  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 900);
  gtk_window_present (GTK_WINDOW (window));
  gtk_widget_add_tick_callback (GTK_WIDGET (window), on_tick, &frames, NULL);
  beam_test_run_for (200);
  g_signal_connect (gtk_widget_get_frame_clock (GTK_WIDGET (window)), "before-paint",
                    G_CALLBACK (on_before_paint), &frames);
  g_signal_connect (gtk_widget_get_frame_clock (GTK_WIDGET (window)), "after-paint",
                    G_CALLBACK (on_after_paint), &frames);
  g_array_set_size (frames.gaps, 0);
  beam_test_run_for (500);
  report ("idle", &frames, 500);

  beam_window_connect (window, node->name, node->cookie, "processes");
  beam_test_wait_until (is_connected, window, 15000);
  progress.page = BEAM_PROCESSES_PAGE (beam_window_get_page (window, "processes"));
  view = beam_processes_page_get_view (progress.page);

  start = g_get_monotonic_time ();
  beam_test_wait_until (refreshed_and_ordered, &progress, 120000);
  report ("first list", &frames, (g_get_monotonic_time () - start) / 1000.0);
  g_print ("{\"rows\": %u}\n",
           g_list_model_get_n_items (G_LIST_MODEL (beam_processes_page_get_model (progress.page))));

  progress_mark (&progress);
  start = g_get_monotonic_time ();
  beam_page_refresh (BEAM_PAGE (progress.page));
  beam_test_wait_until (refreshed_and_ordered, &progress, 120000);
  report ("refresh", &frames, (g_get_monotonic_time () - start) / 1000.0);

  /* Sort by the name column, then by pid: the arrays sort on a worker. */
  for (guint c = 0; c < 2; c++)
    {
      g_autoptr(GtkColumnViewColumn) column =
        g_list_model_get_item (gtk_column_view_get_columns (view), c == 0 ? 1 : 0);

      progress_mark (&progress);
      start = g_get_monotonic_time ();
      gtk_column_view_sort_by_column (view, column, GTK_SORT_ASCENDING);
      beam_test_wait_until (ordered, &progress, 60000);
      report (c == 0 ? "sort by name" : "sort by pid", &frames,
              (g_get_monotonic_time () - start) / 1000.0);
    }

  progress_mark (&progress);
  start = g_get_monotonic_time ();
  beam_processes_page_set_filter (progress.page, "beamscope");
  beam_test_wait_until (ordered, &progress, 60000);
  report ("filter", &frames, (g_get_monotonic_time () - start) / 1000.0);

  progress_mark (&progress);
  start = g_get_monotonic_time ();
  beam_processes_page_set_filter (progress.page, "");
  beam_test_wait_until (ordered, &progress, 60000);
  report ("clear filter", &frames, (g_get_monotonic_time () - start) / 1000.0);

  gtk_window_destroy (GTK_WINDOW (window));
  g_array_unref (frames.gaps);
  return 0;
}
