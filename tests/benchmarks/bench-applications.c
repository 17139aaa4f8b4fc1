/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Applications page in a window under Xvfb, on fixture nodes whose
 * application (fixtures/beamscope_demo_app.erl) is made big:
 *
 * - a tree of over 10,000 processes (100 supervisors of 100 workers under
 *   it): from selecting the application to its tree drawn, the first time
 *   and on refreshes; against the same tree walked as observer's appmon_info
 *   walks it (supervisor:which_children/1 per supervisor, from an Erlang
 *   node: bench_baseline.erl), in the same run;
 * - a simple_one_for_one of 1,000,000 children (BEAMSCOPE_BENCH_POOL): the
 *   time to open it, collapsed, and what Beamscope's resident memory grew;
 * - panning and zooming over the 10,000-process tree with every supervisor
 *   expanded: the GTK thread's CPU per frame, against the same window
 *   showing the page without a tree.
 *
 * Prints JSON lines. `meson test -C _build --benchmark applications -v`. */

#include <time.h>
#include <unistd.h>

#include "beam-bench.h"
#include "beam-application.h"
#include "beam-applications-page-private.h"
#include "beam-supervision-canvas-private.h"
#include "beam-test-node.h"
#include "beam-window-private.h"

#define NESTED_SUPERVISORS 100
#define NESTED_WORKERS     100
#define REFRESHES          5
#define PAN_FRAMES         120

static double
resident_mb (void)
{
  g_autofree char *statm = NULL;
  unsigned long size = 0, resident = 0;

  g_assert_true (g_file_get_contents ("/proc/self/statm", &statm, NULL, NULL));
  g_assert_cmpint (sscanf (statm, "%lu %lu", &size, &resident), ==, 2);
  return resident * (double) sysconf (_SC_PAGESIZE) / (1024.0 * 1024.0);
}

/* ---- frames: the GTK thread's CPU from one frame's start to the next --------------- */

typedef struct
{
  GArray *cpu_ms;
  double  started;
  guint   painted;
} Frames;

static void
on_before_paint (GdkFrameClock *clock G_GNUC_UNUSED,
                 Frames        *frames)
{
  frames->started = beam_bench_thread_cpu_ms ();
}

static void
on_after_paint (GdkFrameClock *clock G_GNUC_UNUSED,
                Frames        *frames)
{
  double spent = beam_bench_thread_cpu_ms () - frames->started;

  g_array_append_val (frames->cpu_ms, spent);
  frames->painted++;
}

typedef struct
{
  Frames *frames;
  guint   painted;
} PaintWait;

static gboolean
painted_since (gpointer data)
{
  PaintWait *wait = data;

  return wait->frames->painted > wait->painted;
}

static void
wait_for_paint (Frames *frames)
{
  PaintWait wait = { frames, frames->painted };

  beam_test_wait_until (painted_since, &wait, 10000);
}

/* ---- the page ------------------------------------------------------------------- */

static gboolean
is_connected (gpointer data)
{
  BeamNode *node = beam_window_get_node (data);

  return node != NULL && beam_node_get_state (node) == BEAM_CONNECTION_STATE_CONNECTED;
}

static gboolean
applications_listed (gpointer data)
{
  return g_list_model_get_n_items (beam_applications_page_get_applications (data)) > 0;
}

typedef struct
{
  BeamApplicationsPage *page;
  guint                 trees;
} TreeWait;

static gboolean
tree_shown_after (gpointer data)
{
  TreeWait *wait = data;

  return beam_applications_page_get_trees (wait->page) > wait->trees;
}

/* From asking to the tree drawn: the page's next tree, then a frame. */
static double
time_next_tree (BeamApplicationsPage *page,
                Frames               *frames,
                const char           *select)
{
  TreeWait wait = { page, beam_applications_page_get_trees (page) };
  gint64 start = g_get_monotonic_time ();

  if (select != NULL)
    g_assert_true (beam_applications_page_select_application (page, select));
  else
    beam_page_refresh (BEAM_PAGE (page));
  beam_test_wait_until (tree_shown_after, &wait, 120000);
  wait_for_paint (frames);
  return (g_get_monotonic_time () - start) / 1000.0;
}

static BeamWindow *
open_window (BeamApplication *app,
             BeamTestNode    *node,
             Frames          *frames)
{
  BeamWindow *window = beam_window_new (ADW_APPLICATION (app), FALSE);
  BeamApplicationsPage *page;

  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 900);
  gtk_window_present (GTK_WINDOW (window));
  beam_test_run_for (200);
  g_signal_connect (gtk_widget_get_frame_clock (GTK_WIDGET (window)), "before-paint",
                    G_CALLBACK (on_before_paint), frames);
  g_signal_connect (gtk_widget_get_frame_clock (GTK_WIDGET (window)), "after-paint",
                    G_CALLBACK (on_after_paint), frames);
  beam_window_connect (window, node->name, node->cookie, "applications");
  beam_test_wait_until (is_connected, window, 15000);
  page = BEAM_APPLICATIONS_PAGE (beam_window_get_page (window, "applications"));
  beam_test_wait_until (applications_listed, page, 60000);
  /* Only the refreshes the benchmark asks for. */
  beam_page_set_refresh_interval (BEAM_PAGE (page), 300);
  return window;
}

static BeamTestNode *
start_node (const char * const *args,
            const char         *environment)
{
  g_autoptr(GError) error = NULL;
  BeamTestNode *node = beam_test_node_start (args, &error);
  g_autofree char *printed = NULL;

  g_assert_no_error (error);
  g_free (beam_test_node_erl_call (node, "application", "load", "[beamscope_demo]", &error));
  g_assert_no_error (error);
  g_free (beam_test_node_erl_call (node, "application", "set_env", environment, &error));
  g_assert_no_error (error);
  /* The supervisor that never answers costs its deadline (1 s): measured by
   * the tests, not here. */
  g_free (beam_test_node_erl_call (node, "application", "set_env",
                                   "[beamscope_demo, hung, false]", &error));
  g_assert_no_error (error);
  printed = beam_test_node_erl_call (node, "application", "ensure_all_started",
                                     "[beamscope_demo, permanent]", &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (printed, "{ok,"));
  return node;
}

/* observer's way: which_children/1 per supervisor, from an Erlang node. */
static char *
observer_walk (BeamTestNode *node)
{
  g_autofree char *alive = g_strdup_printf ("bench_tree_%u", g_random_int ());
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  const char *argv[] = { "erl", "-sname", alive, "-hidden", "-setcookie", node->cookie,
                         "-noshell", "-pa", g_getenv ("BEAMSCOPE_BENCH_EBIN"),
                         "-run", "bench_baseline", "main", "tree", node->name,
                         "beamscope_demo_sup", "5", NULL };
  int status;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                               &out, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return g_strdup (g_strstrip (out));
}

static guint
tree_processes (BeamSupervisionCanvas *canvas)
{
  const BeamSupervisionTree *tree = beam_supervision_canvas_get_tree (canvas);
  guint processes = 0;

  for (guint i = 0; i < tree->n_nodes; i++)
    processes += tree->nodes[i].pid != NULL && tree->nodes[i].type != BEAM_SUPERVISION_LINKED;
  return processes;
}

/* Pans across the whole tree, then zooms out and in, a frame each step. */
static void
pan_and_zoom (BeamSupervisionCanvas *canvas,
              Frames                *frames)
{
  graphene_rect_t bounds, visible;

  _beam_supervision_canvas_get_bounds (canvas, &bounds);
  _beam_supervision_canvas_get_visible_rect (canvas, &visible);
  for (guint i = 0; i < PAN_FRAMES; i++)
    {
      double along = (double) i / PAN_FRAMES;
      double zoom = i < PAN_FRAMES / 2 ? 1.0 : 1.0 - 0.9 * (2.0 * along - 1.0);

      _beam_supervision_canvas_set_view (canvas, bounds.size.width * 0.3,
                                         along * MAX (0, bounds.size.height - visible.size.height),
                                         zoom);
      wait_for_paint (frames);
    }
}

static void
report_frames (const char *what,
               Frames     *frames)
{
  g_print ("{\"phase\": \"%s\", \"frames\": %u, \"frame_gtk_cpu_median_ms\": %.2f, "
           "\"frame_gtk_cpu_p95_ms\": %.2f, \"target_ms\": 16}\n",
           what, frames->cpu_ms->len, beam_bench_percentile (frames->cpu_ms, 0.5),
           beam_bench_percentile (frames->cpu_ms, 0.95));
  g_array_set_size (frames->cpu_ms, 0);
}

int
main (int    argc G_GNUC_UNUSED,
      char **argv G_GNUC_UNUSED)
{
  const char *pool_env = g_getenv ("BEAMSCOPE_BENCH_POOL");
  guint pool = pool_env != NULL ? (guint) g_ascii_strtoull (pool_env, NULL, 10) : 1000000;
  g_autofree char *nested = g_strdup_printf ("[beamscope_demo, nested, {%u, %u}]",
                                             NESTED_SUPERVISORS, NESTED_WORKERS);
  g_autofree char *pool_size = g_strdup_printf ("[beamscope_demo, pool_size, %u]", pool);
  g_autofree char *walk = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BeamApplication) app = NULL;
  g_autoptr(GArray) refreshes = g_array_new (FALSE, FALSE, sizeof (double));
  const char * const big_args[] = { "+P", "4000000", NULL };
  Frames frames = { .cpu_ms = g_array_new (FALSE, FALSE, sizeof (double)) };
  BeamTestNode *node;
  BeamWindow *window;
  BeamApplicationsPage *page;
  BeamSupervisionCanvas *canvas;
  const BeamSupervisionTree *tree;
  double first_ms, before_mb, after_mb;

  g_assert_true (beam_connection_init_process (NULL));
  beam_application_tune_allocator ();  /* as the app's main does */
  gtk_init ();
  app = beam_application_new ();
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));

  /* 1. Over 10,000 processes. */
  node = start_node (NULL, nested);
  window = open_window (app, node, &frames);
  page = BEAM_APPLICATIONS_PAGE (beam_window_get_page (window, "applications"));
  canvas = beam_applications_page_get_canvas (page);
  first_ms = time_next_tree (page, &frames, "beamscope_demo");
  for (guint i = 0; i < REFRESHES; i++)
    {
      double ms = time_next_tree (page, &frames, NULL);
      g_array_append_val (refreshes, ms);
    }
  walk = observer_walk (node);
  g_print ("{\"phase\": \"10,000-process tree\", \"processes\": %u, \"open_ms\": %.0f, "
           "\"refresh_median_ms\": %.0f, \"target_ms\": 1000, \"observer_way\": %s}\n",
           tree_processes (canvas), first_ms, beam_bench_percentile (refreshes, 0.5), walk);

  /* Pan and zoom with every supervisor expanded. */
  beam_page_set_paused (BEAM_PAGE (page), TRUE);
  tree = beam_supervision_canvas_get_tree (canvas);
  for (guint i = 0; i < tree->n_nodes; i++)
    if (tree->nodes[i].type == BEAM_SUPERVISION_SUPERVISOR && tree->nodes[i].n_child_nodes > 0)
      beam_supervision_canvas_set_expanded (canvas, i, TRUE);
  g_print ("{\"boxes\": %u}\n", _beam_supervision_canvas_get_n_boxes (canvas));
  g_array_set_size (frames.cpu_ms, 0);
  pan_and_zoom (canvas, &frames);
  report_frames ("pan and zoom, 10,000 boxes", &frames);
  /* Baseline: the same window repainting the canvas with no tree in it. */
  beam_supervision_canvas_set_tree (canvas, NULL, NULL);
  for (guint i = 0; i < PAN_FRAMES; i++)
    {
      gtk_widget_queue_draw (GTK_WIDGET (canvas));
      wait_for_paint (&frames);
    }
  report_frames ("baseline: the empty canvas repainted", &frames);
  gtk_window_destroy (GTK_WINDOW (window));
  beam_test_run_for (500);
  beam_test_node_free (node);

  /* 2. A simple_one_for_one of a million children, opened collapsed. */
  node = start_node (big_args, pool_size);
  window = open_window (app, node, &frames);
  page = BEAM_APPLICATIONS_PAGE (beam_window_get_page (window, "applications"));
  canvas = beam_applications_page_get_canvas (page);
  before_mb = resident_mb ();
  first_ms = time_next_tree (page, &frames, "beamscope_demo");
  after_mb = resident_mb ();
  g_print ("{\"phase\": \"simple_one_for_one of %u\", \"open_ms\": %.0f, \"target_ms\": 1000, "
           "\"rss_before_mb\": %.1f, \"rss_after_mb\": %.1f, \"rss_growth_mb\": %.1f, "
           "\"target_growth_mb\": 50, \"nodes_in_tree\": %u}\n",
           pool, first_ms, before_mb, after_mb, after_mb - before_mb,
           beam_supervision_canvas_get_tree (canvas)->n_nodes);
  gtk_window_destroy (GTK_WINDOW (window));
  beam_test_run_for (500);
  beam_test_node_free (node);

  g_array_unref (frames.cpu_ms);
  return 0;
}
