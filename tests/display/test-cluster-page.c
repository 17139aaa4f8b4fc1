/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Cluster page (issue 17, items 1, 2 and 5) under Xvfb:
 *
 * - fed: a model fed recorded samples (_beam_cluster_model_new_fed) of three
 *   nodes, one holding ten times the others' memory: three rows, the big
 *   node first when sorted by memory, its memory cell in the warning style
 *   and named in the summary; the matrix's nine cells; a missing link listed
 *   with "since"; a node not answering in the error colour, a down one dimmed;
 * - live: a real cluster of three fixture nodes seen from the first: three
 *   rows connected, the node made to hold a big binary first by memory with
 *   its outlier style, a double click opening it in a new window titled for
 *   it, one of its processes opened (a window of the node, then the
 *   process's), the matrix, and after erlang:disconnect_node/1 a missing link with
 *   "since". Screenshots cluster-nodes.png and cluster-connectivity.png. */

#include <string.h>
#include <time.h>

#include "beam-application.h"
#include "beam-cluster-model-private.h"
#include "beam-cluster-page-private.h"
#include "beam-process-window.h"
#include "beam-test-display.h"
#include "beam-test-node.h"
#include "beam-window-private.h"

#define MiB (1024 * 1024)

static BeamApplication *app;

/* ---- helpers ------------------------------------------------------------------------- */

static guint
n_rows (BeamClusterPage *page)
{
  GtkColumnView *view = _beam_cluster_page_get_view (page);

  return g_list_model_get_n_items (G_LIST_MODEL (gtk_column_view_get_model (view)));
}

static const char *
row_name (BeamClusterPage *page,
          guint            position)
{
  BeamClusterNode *node = _beam_cluster_page_get_row (page, position);

  return node != NULL ? beam_cluster_node_get_name (node) : NULL;
}

/* A list box's rows' titles and subtitles, one line each. */
static char *
dup_list_text (GtkListBox *list)
{
  GString *text = g_string_new (NULL);

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (list)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (ADW_IS_ACTION_ROW (child))
      g_string_append_printf (text, "%s — %s\n",
                              adw_preferences_row_get_title (ADW_PREFERENCES_ROW (child)),
                              adw_action_row_get_subtitle (ADW_ACTION_ROW (child)));
  return g_string_free (text, FALSE);
}

static gboolean
matrix_drew_9 (gpointer page)
{
  return beam_cluster_matrix_get_n_cells (_beam_cluster_page_get_matrix (page)) == 9;
}

static BeamClusterSample *
sample_new (const char         *name,
            gint64              memory,
            const char * const *visible)
{
  BeamClusterSample *sample = g_new0 (BeamClusterSample, 1);
  const char * const none[] = { NULL };

  sample->node = g_strdup (name);
  sample->creation = 1;
  sample->otp_release = g_strdup ("25");
  sample->uptime_ms = 3600 * 1000;
  sample->time_ms = g_get_monotonic_time () / 1000;
  sample->process_count = 120;
  sample->process_limit = 262144;
  sample->atom_count = 20000;
  sample->atom_limit = 1048576;
  sample->memory_total = memory;
  sample->memory_binary = memory / 4;
  sample->memory_ets = 2 * MiB;
  sample->schedulers = 2;
  sample->wall = g_array_new (FALSE, TRUE, sizeof (BeamWallTime));
  sample->run_queue = 1;
  sample->visible = g_strdupv ((char **) visible);
  sample->hidden = g_strdupv ((char **) none);
  sample->scanned = TRUE;
  sample->max_queue = 1500;
  sample->max_queue_pid = g_strdup ("<0.88.0>");
  sample->max_queue_name = g_strdup ("beamscope_mailbox");
  sample->reductions = 24000;
  return sample;
}

static void
feed_all (BeamClusterModel   *model,
          const char * const *names,
          const gint64       *memory,
          const char * const *visible[])
{
  for (guint i = 0; names[i] != NULL; i++)
    _beam_cluster_model_feed (model, names[i], sample_new (names[i], memory[i], visible[i]));
}

static gboolean
has_class (GtkWidget  *widget,
           const char *name)
{
  return widget != NULL && gtk_widget_has_css_class (widget, name);
}

/* ---- fed ----------------------------------------------------------------------------- */

static void
test_fed (void)
{
  const char * const names[] = { "n1@host", "n2@host", "n3@host", NULL };
  const char * const sees1[] = { "n2@host", "n3@host", NULL };
  const char * const sees2[] = { "n1@host", "n3@host", NULL };
  const char * const sees3[] = { "n1@host", "n2@host", NULL };
  const char * const *mesh[] = { sees1, sees2, sees3 };
  const char * const only3[] = { "n3@host", NULL };
  const char * const *split[] = { only3, only3, sees3 };
  const gint64 memory[] = { 40 * MiB, 400 * MiB, 42 * MiB };
  g_autoptr(BeamClusterModel) model = _beam_cluster_model_new_fed ("n1@host");
  GtkWidget *window = gtk_window_new ();
  BeamClusterPage *page = g_object_new (BEAM_TYPE_CLUSTER_PAGE, NULL);
  g_autofree char *anomalies = NULL;
  GtkWidget *cell;

  gtk_window_set_default_size (GTK_WINDOW (window), 1300, 700);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (page));
  _beam_cluster_page_set_model (page, model);
  gtk_window_present (GTK_WINDOW (window));
  beam_test_wait_until (beam_test_is_drawn, page, 5000);

  /* Two samples each: usage and links need two. */
  feed_all (model, names, memory, mesh);
  feed_all (model, names, memory, mesh);
  beam_test_run_for (200);
  g_assert_cmpuint (n_rows (page), ==, 3);
  g_assert_cmpuint (_beam_cluster_page_get_updates (page), >=, 2);

  /* Sorted by memory: biggest first, on the first click. */
  g_assert_true (_beam_cluster_page_sort_by (page, BEAM_CLUSTER_COLUMN_MEMORY));
  beam_test_run_for (100);
  g_assert_cmpstr (row_name (page, 0), ==, "n2@host");
  g_assert_cmpstr (row_name (page, 2), ==, "n1@host");
  /* The outlier stands out, and only it. */
  g_assert_true (beam_cluster_node_get_outliers (_beam_cluster_page_get_row (page, 0)) &
                 (1u << BEAM_CLUSTER_COLUMN_MEMORY));
  cell = _beam_cluster_page_get_cell (page, "n2@host", BEAM_CLUSTER_COLUMN_MEMORY);
  g_assert_true (has_class (cell, "warning"));
  g_assert_false (has_class (_beam_cluster_page_get_cell (page, "n1@host",
                                                          BEAM_CLUSTER_COLUMN_MEMORY),
                             "warning"));
  g_test_message ("summary: %s", _beam_cluster_page_get_summary (page));
  g_assert_nonnull (strstr (_beam_cluster_page_get_summary (page), "3 nodes"));
  g_assert_nonnull (strstr (_beam_cluster_page_get_summary (page), "memory: n2@host"));
  /* Still sorted after a tick that changes the order. */
  {
    const gint64 swapped[] = { 500 * MiB, 400 * MiB, 42 * MiB };

    feed_all (model, names, swapped, mesh);
    beam_test_run_for (100);
    g_assert_cmpstr (row_name (page, 0), ==, "n1@host");
    feed_all (model, names, memory, mesh);
    beam_test_run_for (100);
  }
  beam_test_save_screenshot (window, "cluster-nodes-fed.png");

  /* Connectivity: nine cells; then n1 and n2 lose each other. */
  _beam_cluster_page_show_view (page, "connectivity");
  beam_test_wait_until (matrix_drew_9, page, 5000);
  feed_all (model, names, memory, split);
  feed_all (model, names, memory, split);
  beam_test_run_for (200);
  g_assert_cmpint (beam_cluster_model_get_link (model, 0, 1), ==, BEAM_CLUSTER_LINK_MISSING);
  anomalies = dup_list_text (_beam_cluster_page_get_anomalies (page));
  g_test_message ("anomalies:\n%s", anomalies);
  g_assert_nonnull (strstr (anomalies, "n1@host"));
  g_assert_nonnull (strstr (anomalies, "since"));
  {
    g_autofree char *text = beam_cluster_matrix_dup_cell_text (_beam_cluster_page_get_matrix (page),
                                                               0, 1);
    g_test_message ("cell (0, 1): %s", text);
    g_assert_nonnull (strstr (text, "do not see each other"));
  }
  beam_test_save_screenshot (window, "cluster-connectivity-fed.png");

  /* n3 stops answering, then n2 goes down: in the error colour, then dimmed. */
  _beam_cluster_page_show_view (page, "nodes");
  _beam_cluster_model_feed (model, "n3@host", NULL);
  _beam_cluster_model_feed_down (model, "n2@host", "connection lost");
  beam_test_run_for (200);
  g_assert_true (has_class (_beam_cluster_page_get_cell (page, "n3@host",
                                                         BEAM_CLUSTER_COLUMN_MEMORY),
                            "beam-not-answering"));
  g_assert_true (has_class (_beam_cluster_page_get_cell (page, "n2@host",
                                                         BEAM_CLUSTER_COLUMN_MEMORY),
                            "dim-label"));
  g_test_message ("summary: %s", _beam_cluster_page_get_summary (page));
  g_assert_nonnull (strstr (_beam_cluster_page_get_summary (page), "1 down"));
  g_assert_nonnull (strstr (_beam_cluster_page_get_summary (page), "1 not answering"));
  beam_test_save_screenshot (window, "cluster-states-fed.png");

  g_object_ref (page);
  gtk_window_destroy (GTK_WINDOW (window));
  _beam_cluster_page_set_model (page, NULL);
  g_assert_finalize_object (page);
}

/* The GTK thread's CPU time, ms. */
static double
thread_cpu_ms (void)
{
  struct timespec now;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &now);
  return now.tv_sec * 1000.0 + now.tv_nsec / 1e6;
}

static guint frames_painted;

static void
count_frame (void)
{
  frames_painted++;
}

typedef struct
{
  gint64 worst, total, handled;
  guint  updates, binds, rounds, frames;
  double longest_iteration_ms;   /* of the main loop's after the feeds, by CPU */
} FedCost;

/* One tick of 50 fed samples (memory as at `memory_round`, the up time
 * grown by `round` intervals), then 100 ms of main loop: pending cell
 * updates, layout, frames, each iteration timed. */
static void
feed_round (BeamClusterModel *model,
            BeamClusterPage  *page,
            GPtrArray        *names,
            guint             round,
            guint             memory_round,
            FedCost          *cost)
{
  gint64 start = g_get_monotonic_time (), spent, until;
  gint64 handled_before = _beam_cluster_page_get_sampled_us (page);
  guint updates_before = _beam_cluster_page_get_cell_updates ();
  guint binds_before = _beam_cluster_page_get_cell_binds ();
  guint frames_before = frames_painted;

  for (guint i = 0; i < 50; i++)
    {
      const char *name = g_ptr_array_index (names, i);
      BeamClusterSample *sample = sample_new (name,
                                              (40 + (i * 7 + memory_round * 13) % 50) * MiB,
                                              (const char * const *) names->pdata);

      sample->uptime_ms += round * 2000;
      _beam_cluster_model_feed (model, name, sample);
    }
  spent = g_get_monotonic_time () - start;
  until = g_get_monotonic_time () + 100 * 1000;
  while (g_get_monotonic_time () < until)
    {
      double before = thread_cpu_ms ();

      g_main_context_iteration (NULL, FALSE);
      if (cost != NULL)
        cost->longest_iteration_ms = MAX (cost->longest_iteration_ms,
                                          thread_cpu_ms () - before);
      g_usleep (500);
    }
  if (cost == NULL)
    return;
  cost->rounds++;
  cost->worst = MAX (cost->worst, spent);
  cost->total += spent;
  cost->handled += _beam_cluster_page_get_sampled_us (page) - handled_before;
  cost->updates += _beam_cluster_page_get_cell_updates () - updates_before;
  cost->binds += _beam_cluster_page_get_cell_binds () - binds_before;
  cost->frames += frames_painted - frames_before;
}

static void
print_fed_cost (const char    *what,
                const FedCost *cost)
{
  /* Fed, each sample is a "sampled" of its own; a real tick is one. */
  g_test_message ("50 nodes, %s: a tick's feeds and page updates took %.1f ms on average, "
                  "%.1f ms at worst (wall time, this loaded machine), of which %.1f ms in "
                  "50 \"sampled\" handlers (a real tick has one: %.2f ms); "
                  "%.0f cell updates and %.0f cell binds a tick (12 cells a row); "
                  "longest main-loop iteration after: %.1f ms of CPU, %.1f frames painted",
                  what, cost->total / 1000.0 / cost->rounds, cost->worst / 1000.0,
                  cost->handled / 1000.0 / cost->rounds,
                  cost->handled / 1000.0 / cost->rounds / 50,
                  cost->updates / (double) cost->rounds, cost->binds / (double) cost->rounds,
                  cost->longest_iteration_ms, cost->frames / (double) cost->rounds);
}

/* 50 nodes, every one answering each tick: what a tick costs the GTK thread
 * (the model's bookkeeping of a fed sample included), and a frame after it;
 * with the memory order (the sort key) moving each tick, then steady; then
 * five going down, the others no longer seeing them. */
static void
test_fed_50 (void)
{
  g_autoptr(BeamClusterModel) model = _beam_cluster_model_new_fed ("n00@host");
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  GtkWidget *window = gtk_window_new ();
  BeamClusterPage *page = g_object_new (BEAM_TYPE_CLUSTER_PAGE, NULL);
  FedCost moving = { 0 }, steady = { 0 };
  const guint rounds = 10;
  guint round = 0;

  for (guint i = 0; i < 50; i++)
    g_ptr_array_add (names, g_strdup_printf ("n%02u@host", i));
  g_ptr_array_add (names, NULL);
  gtk_window_set_default_size (GTK_WINDOW (window), 1300, 900);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (page));
  _beam_cluster_page_set_model (page, model);
  gtk_window_present (GTK_WINDOW (window));
  beam_test_wait_until (beam_test_is_drawn, page, 5000);
  g_assert_true (_beam_cluster_page_sort_by (page, BEAM_CLUSTER_COLUMN_MEMORY));
  g_signal_connect (gtk_widget_get_frame_clock (window), "after-paint", G_CALLBACK (count_frame),
                    NULL);

  /* The first two build the rows and their widgets: not a tick's cost. */
  for (; round < 2; round++)
    feed_round (model, page, names, round, round, NULL);
  for (; round < 2 + rounds; round++)
    feed_round (model, page, names, round, round, &moving);
  for (; round < 2 + 2 * rounds; round++)
    feed_round (model, page, names, round, 1 + rounds, &steady);
  {
    g_autoptr(BeamClusterModel) alone = _beam_cluster_model_new_fed ("n00@host");
    gint64 start = g_get_monotonic_time ();

    for (guint tick = 0; tick < rounds; tick++)
      for (guint i = 0; i < 50; i++)
        {
          const char *name = g_ptr_array_index (names, i);

          _beam_cluster_model_feed (alone, name,
                                    sample_new (name, (40 + (i * 7 + tick * 13) % 50) * MiB,
                                                (const char * const *) names->pdata));
        }
    g_test_message ("50 nodes, the model alone: %.1f ms a tick",
                    (g_get_monotonic_time () - start) / 1000.0 / rounds);
  }
  print_fed_cost ("the memory order moving", &moving);
  print_fed_cost ("steady", &steady);
  /* Five nodes go down at once, as in the benchmark's second phase. */
  {
    double longest = 0;
    gint64 until;

    g_autoptr(GPtrArray) left = g_ptr_array_new ();

    for (guint i = 10; i < 50; i += 8)
      _beam_cluster_model_feed_down (model, g_ptr_array_index (names, i), "connection lost");
    /* The others no longer see them. */
    for (guint i = 0; i < 50; i++)
      if (i < 10 || (i - 10) % 8 != 0)
        g_ptr_array_add (left, g_ptr_array_index (names, i));
    g_ptr_array_add (left, NULL);
    for (guint tick = 0; tick < 3; tick++)
      {
        for (guint i = 0; left->pdata[i] != NULL; i++)
          {
            BeamClusterSample *sample = sample_new (left->pdata[i], (40 + i % 50) * MiB,
                                                    (const char * const *) left->pdata);

            sample->uptime_ms += (2 + 2 * rounds + tick) * 2000;
            _beam_cluster_model_feed (model, left->pdata[i], sample);
          }
        until = g_get_monotonic_time () + 300 * 1000;
        while (g_get_monotonic_time () < until)
          {
            double before = thread_cpu_ms ();

            g_main_context_iteration (NULL, FALSE);
            longest = MAX (longest, thread_cpu_ms () - before);
            g_usleep (500);
          }
      }
    g_test_message ("50 nodes, five going down: longest main-loop iteration %.1f ms of CPU",
                    longest);
  }
  g_assert_cmpuint (n_rows (page), ==, 50);
  beam_test_save_screenshot (window, "cluster-nodes-50-fed.png");

  g_object_ref (page);
  gtk_window_destroy (GTK_WINDOW (window));
  _beam_cluster_page_set_model (page, NULL);
  g_assert_finalize_object (page);
}

/* ---- live ---------------------------------------------------------------------------- */

typedef struct
{
  BeamClusterPage *page;
  GPtrArray       *cluster;
} Live;

/* Every node of the cluster listed, connected, with a utilisation. */
static gboolean
all_connected (gpointer data)
{
  Live *live = data;
  BeamClusterModel *model = _beam_cluster_page_get_model (live->page);

  if (model == NULL)
    return FALSE;
  for (guint i = 0; i < live->cluster->len; i++)
    {
      BeamTestNode *node = g_ptr_array_index (live->cluster, i);
      BeamClusterNode *row = beam_cluster_model_find_node (model, node->name);

      if (row == NULL || beam_cluster_node_get_state (row) != BEAM_CLUSTER_NODE_CONNECTED ||
          beam_cluster_node_get_samples (row) < 2)
        return FALSE;
    }
  return n_rows (live->page) == live->cluster->len;
}

static gboolean
memory_outlier_first (gpointer data)
{
  Live *live = data;
  BeamTestNode *big = g_ptr_array_index (live->cluster, 1);
  BeamClusterNode *first = _beam_cluster_page_get_row (live->page, 0);

  return first != NULL && g_strcmp0 (beam_cluster_node_get_name (first), big->name) == 0 &&
         (beam_cluster_node_get_outliers (first) & (1u << BEAM_CLUSTER_COLUMN_MEMORY));
}

static gboolean
missing_link_listed (gpointer page)
{
  g_autofree char *text = dup_list_text (_beam_cluster_page_get_anomalies (page));

  return strstr (text, "since") != NULL;
}

static gboolean
process_window_loaded (gpointer data G_GNUC_UNUSED)
{
  GtkWindow *window = beam_test_find_toplevel (BEAM_TYPE_PROCESS_WINDOW);

  return window != NULL && beam_process_window_get_loads (BEAM_PROCESS_WINDOW (window)) > 0;
}

static void
test_live (void)
{
  const char * const args[] = { "-kernel", "prevent_overlapping_partitions", "false", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) cluster = beam_test_cluster_start (3, FALSE, args, &error);
  g_autoptr(GSettings) settings = g_settings_new ("io.github.beamscope.Beamscope");
  BeamTestNode *seed, *big;
  BeamWindow *window, *opened;
  GtkWindow *process;
  BeamClusterPage *page;
  g_autofree char *title = NULL;
  g_autofree char *anomalies = NULL;
  g_autofree char *disconnect = NULL;
  Live live;

  g_assert_no_error (error);
  seed = g_ptr_array_index (cluster, 0);
  big = g_ptr_array_index (cluster, 1);
  /* Only the test's nodes: other tests' nodes on this host have other cookies. */
  g_settings_set_boolean (settings, "cluster-join-epmd-others", FALSE);
  g_settings_set_uint (settings, "cluster-sample-interval", 1000);
  g_settings_set_uint (settings, "cluster-queue-scan-interval", 2);

  window = beam_test_window_new (app, FALSE, 1300, 900);
  beam_test_window_connect (window, seed, "cluster");
  page = BEAM_CLUSTER_PAGE (beam_window_get_page (window, "cluster"));
  live = (Live) { page, cluster };
  beam_test_wait_until (all_connected, &live, 20000);
  g_test_message ("summary: %s", _beam_cluster_page_get_summary (page));

  /* The second node holds 150 MB of binary: first by memory, standing out. */
  g_free (beam_test_node_erl_call (big, "beamscope_fixture", "binary_garbage", "[150000000]",
                                   &error));
  g_assert_no_error (error);
  g_assert_true (_beam_cluster_page_sort_by (page, BEAM_CLUSTER_COLUMN_MEMORY));
  beam_test_wait_until (memory_outlier_first, &live, 15000);
  beam_test_run_for (300);
  g_assert_true (has_class (_beam_cluster_page_get_cell (page, big->name,
                                                         BEAM_CLUSTER_COLUMN_MEMORY),
                            "warning"));
  g_test_message ("summary: %s", _beam_cluster_page_get_summary (page));
  g_assert_nonnull (strstr (_beam_cluster_page_get_summary (page), big->name));
  beam_test_save_screenshot (GTK_WIDGET (window), "cluster-nodes.png");

  /* A double click on its row opens it in a window of its own. */
  g_signal_emit_by_name (_beam_cluster_page_get_view (page), "activate", 0);
  beam_test_wait_until (beam_test_has_other_window, window, 5000);
  opened = g_object_ref (beam_test_other_window (window));
  beam_test_wait_until (beam_test_window_is_connected, opened, 15000);
  title = g_strdup_printf ("%s — Beamscope", big->name);
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (opened)), ==, title);
  beam_test_destroy_and_finalize (opened);

  /* A process of that node (the Longest Queue's menu item): its window,
   * over a window of its node opened for it. */
  g_clear_pointer (&title, g_free);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.open-node-process", "(ss)", big->name,
                              "code_server");
  beam_test_wait_until (process_window_loaded, NULL, 20000);
  process = g_object_ref (beam_test_find_toplevel (BEAM_TYPE_PROCESS_WINDOW));
  title = g_strdup_printf ("code_server on %s", big->name);
  g_assert_cmpstr (gtk_window_get_title (process), ==, title);
  g_assert_nonnull (beam_test_other_window (window));
  opened = g_object_ref (beam_test_other_window (window));
  beam_test_destroy_and_finalize (process);
  beam_test_destroy_and_finalize (opened);

  /* Connectivity: nine cells, all both ways; then the first node drops the
   * second (the kernel flag off: the rest of the mesh stays). */
  _beam_cluster_page_show_view (page, "connectivity");
  beam_test_wait_until (matrix_drew_9, page, 5000);
  disconnect = g_strdup_printf ("['%s']", big->name);
  beam_test_node_call_expecting (seed, "erlang", "disconnect_node", disconnect, "true");
  beam_test_wait_until (missing_link_listed, page, 15000);
  anomalies = dup_list_text (_beam_cluster_page_get_anomalies (page));
  g_test_message ("anomalies:\n%s", anomalies);
  g_assert_nonnull (strstr (anomalies, big->name));
  beam_test_run_for (300);
  beam_test_save_screenshot (GTK_WIDGET (window), "cluster-connectivity.png");

  beam_window_disconnect (window);
  beam_test_destroy_and_finalize (window);
  g_settings_reset (settings, "cluster-join-epmd-others");
  g_settings_reset (settings, "cluster-sample-interval");
  g_settings_reset (settings, "cluster-queue-scan-interval");
}

int
main (int    argc,
      char **argv)
{
  beam_test_display_init (&argc, &argv, &app, NULL);
  g_test_add_func ("/cluster-page/fed", test_fed);
  g_test_add_func ("/cluster-page/fed-50", test_fed_50);
  g_test_add_func ("/cluster-page/live", test_live);
  return g_test_run ();
}
