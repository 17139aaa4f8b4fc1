/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Issue 17, cost: the cluster model (model/beam-cluster-model.c) sampling
 * 50 nodes every 2 s, as the Cluster page does. The nodes are bare and small
 * (+S 1 ... +P 1024), a full mesh through the first, started 10 at a time
 * (beam_test_cluster_start; about 1.7 GB and 30 s of CPU). The model, seeded
 * at the first node, runs headless on the main loop, blocking as the app's
 * does. Printed as JSON lines:
 *
 * - the time from our connect until every node is CONNECTED with a usage;
 * - after a warm-up (60 s from the model's start), over a measured minute:
 *   our process's CPU (getrusage, % of one core; target < 10 %, "verdict"),
 *   its max RSS and RSS growth, the nodes' own CPU, and the spacing of each
 *   node's samples;
 * - per node per sample reductions of the plain form, measured as
 *   bench-load.c does: erlang:statistics(reductions) on 5 of the nodes over
 *   a sampled stretch against a paused (idle) stretch of the same reader;
 *   and of the scan form, from its own answer (the rex worker's reductions)
 *   and the same way as the plain one;
 * - phase 2: 5 nodes SIGSTOPped and 5 killed: how long until the model
 *   marks them (NOT_ANSWERING, DOWN), and the 40 others' sample spacing
 *   (p99 target < interval + 200 ms), with each late one (node, when, gap),
 *   the others ever not CONNECTED, and our longest main-loop iteration.
 *
 * Built with BEAM_BENCH_CLUSTER_GUI (the `cluster` benchmark when the GUI is
 * built), the model is the Cluster page's, in a window under Xvfb
 * (GSK_RENDERER=cairo) seeded at the first node, the page shown: the CPU
 * then includes drawing, and the measured minute also times every GTK
 * main-loop iteration (its thread's CPU; p50, p99 and max, target <= 16 ms)
 * and counts frames painted. Without it (`cluster-headless`), the model
 * runs alone.
 *
 * It skips (exit 77) when MemAvailable is under 3 GB (60 MB a node below 50).
 * BEAMSCOPE_BENCH_CLUSTER_NODES (50), _INTERVAL_MS (2000), _WARMUP_S (60),
 * _MEASURE_S (60) and _PHASE2_S (30) change the run, and _REDUCTIONS=0 skips
 * the reductions (two minutes); a small run (say 12 nodes) checks the
 * benchmark itself. With the page, the six longest main-loop iterations of
 * the measured minute and of phase 2 are printed in parts: the frame
 * clock's layout and paint phases, the rest, and the cell updates made. */

#include <signal.h>
#include <sys/resource.h>
#include <unistd.h>

#ifdef BEAM_BENCH_CLUSTER_GUI
#include "beam-application.h"
#include "beam-cluster-page-private.h"
#include "beam-window-private.h"
#endif
#include "beam-bench.h"
#include "beam-cluster-model-private.h"
#include "beam-cluster-sample.h"
#include "beam-connection.h"
#include "beam-test-node.h"

#define CPU_TARGET_PERCENT   10.0
#define SPACING_SLACK_MS     200.0
#define READ_NODES           5
#define STRETCH_MS           10000
#define ROUNDS               3
#define PHASE2_MAX           5
#define FRAME_TARGET_MS      16.0
#ifdef BEAM_BENCH_CLUSTER_GUI
#define MODE "the Cluster page in a window"
#else
#define MODE "the model headless"
#endif

/* The GTK thread's CPU in each main-loop iteration while `iterations` is
 * set (every wait of beam-test-node.h iterates through here), and the frames
 * painted meanwhile. */
static GArray *iterations;
static guint   frames;
/* The longest iteration by the clock (it blocks when idle: only a busy one
 * is long past the interval) and by CPU, since the last reset. */
static double  longest_iteration_cpu_ms;

/* Where the CPU of one iteration went: the frame clock's phases (each
 * measured at its end, our handlers running after GTK's own) and the cell
 * updates the page made, so a long iteration can be told apart. */
typedef struct
{
  double at_s;       /* CLOCK_MONOTONIC at its end, to find it in a profile */
  double total_ms;
  double update_ms;  /* before-paint to the end of update: tick callbacks */
  double layout_ms;  /* style and size allocation */
  double paint_ms;   /* snapshot and render */
  double answers_ms; /* the model taking answers */
  double flush_ms;   /* the model's flush, with the page's handlers */
  guint  cell_updates;
} IterationParts;

/* The model measured, for the parts of an iteration. */
static BeamClusterModel *measured_model;

#define LONGEST_KEPT 6
static IterationParts current_parts;
static IterationParts longest_parts[LONGEST_KEPT];

static guint
cell_updates_so_far (void)
{
#ifdef BEAM_BENCH_CLUSTER_GUI
  return _beam_cluster_page_get_cell_updates ();
#else
  return 0;
#endif
}

/* Keeps the LONGEST_KEPT longest iterations, longest first. */
static void
keep_if_long (const IterationParts *parts)
{
  guint at = LONGEST_KEPT;

  while (at > 0 && longest_parts[at - 1].total_ms < parts->total_ms)
    at--;
  if (at == LONGEST_KEPT)
    return;
  memmove (&longest_parts[at + 1], &longest_parts[at],
           (LONGEST_KEPT - at - 1) * sizeof *longest_parts);
  longest_parts[at] = *parts;
}

static void
iterate (void)
{
  double before = beam_bench_thread_cpu_ms ();
  guint cells_before = cell_updates_so_far ();
  gint64 answers_before = measured_model != NULL
                          ? _beam_cluster_model_get_answers_us (measured_model) : 0;
  gint64 flush_before = measured_model != NULL
                        ? _beam_cluster_model_get_flush_us (measured_model) : 0;
  double spent;

  memset (&current_parts, 0, sizeof current_parts);
  g_main_context_iteration (NULL, TRUE);
  spent = beam_bench_thread_cpu_ms () - before;
  longest_iteration_cpu_ms = MAX (longest_iteration_cpu_ms, spent);
  if (iterations != NULL)
    g_array_append_val (iterations, spent);
  current_parts.total_ms = spent;
  current_parts.at_s = g_get_monotonic_time () / 1e6;
  current_parts.cell_updates = cell_updates_so_far () - cells_before;
  if (measured_model != NULL)
    {
      current_parts.answers_ms =
        (_beam_cluster_model_get_answers_us (measured_model) - answers_before) / 1000.0;
      current_parts.flush_ms =
        (_beam_cluster_model_get_flush_us (measured_model) - flush_before) / 1000.0;
    }
  keep_if_long (&current_parts);
}

#ifdef BEAM_BENCH_CLUSTER_GUI
static double phase_mark_ms;

static void
print_longest_iterations (void)
{
  g_print ("{\"benchmark\": \"cluster: the longest GTK iterations, in parts\", "
           "\"iterations\": [");
  for (guint i = 0; i < LONGEST_KEPT && longest_parts[i].total_ms > 0; i++)
    g_print ("%s{\"at_s\": %.3f, \"cpu_ms\": %.1f, \"update_ms\": %.1f, \"layout_ms\": %.1f, "
             "\"paint_ms\": %.1f, \"outside_frame_ms\": %.1f, \"answers_ms\": %.1f, "
             "\"flush_ms\": %.1f, \"cell_updates\": %u}",
             i > 0 ? ", " : "", longest_parts[i].at_s, longest_parts[i].total_ms,
             longest_parts[i].update_ms,
             longest_parts[i].layout_ms, longest_parts[i].paint_ms,
             longest_parts[i].total_ms - longest_parts[i].update_ms -
             longest_parts[i].layout_ms - longest_parts[i].paint_ms,
             longest_parts[i].answers_ms, longest_parts[i].flush_ms,
             longest_parts[i].cell_updates);
  g_print ("]}\n");
  memset (longest_parts, 0, sizeof longest_parts);
}
#endif

#ifdef BEAM_BENCH_CLUSTER_GUI
static void
on_before_paint (GdkFrameClock *clock G_GNUC_UNUSED,
                 gpointer       user_data G_GNUC_UNUSED)
{
  phase_mark_ms = beam_bench_thread_cpu_ms ();
}

/* The end of a phase: its CPU goes to the part `user_data` points at. */
static void
on_phase_end (GdkFrameClock *clock G_GNUC_UNUSED,
              gpointer       user_data)
{
  double now = beam_bench_thread_cpu_ms ();

  *(double *) user_data += now - phase_mark_ms;
  phase_mark_ms = now;
}

static void
on_after_paint (GdkFrameClock *clock G_GNUC_UNUSED,
                gpointer       user_data G_GNUC_UNUSED)
{
  frames++;
}

static gboolean
is_connected (gpointer data)
{
  BeamNode *node = beam_window_get_node (data);

  return node != NULL && beam_node_get_state (node) == BEAM_CONNECTION_STATE_CONNECTED;
}

static gboolean
has_model (gpointer data)
{
  return gtk_widget_get_mapped (data) && _beam_cluster_page_get_model (data) != NULL;
}

/* The Cluster page's model, in a window on `seed` showing that page, with
 * the interval and EPMD's others off set as the page takes them: from the
 * settings (the memory backend). */
static BeamClusterModel *
open_page (BeamTestNode *seed,
           guint         interval_ms,
           GtkWindow   **window_out)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSettings) settings = g_settings_new ("io.github.beamscope.Beamscope");
  BeamApplication *app;
  BeamWindow *window;
  GtkWidget *page;

  beam_application_tune_allocator ();  /* as the app's main does */
  gtk_init ();
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  g_settings_set_uint (settings, "cluster-sample-interval", interval_ms);
  g_settings_set_boolean (settings, "cluster-join-epmd-others", FALSE);
  app = beam_application_new ();
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  window = beam_window_new (ADW_APPLICATION (app), FALSE);
  gtk_window_set_default_size (GTK_WINDOW (window), 1400, 1000);
  gtk_window_present (GTK_WINDOW (window));
  beam_window_connect (window, seed->name, seed->cookie, "cluster");
  beam_test_wait_until (is_connected, window, 15000);
  page = beam_window_get_page (window, "cluster");
  beam_test_wait_until (has_model, page, 15000);
  {
    GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));

    g_signal_connect (clock, "before-paint", G_CALLBACK (on_before_paint), NULL);
    g_signal_connect (clock, "update", G_CALLBACK (on_phase_end), &current_parts.update_ms);
    g_signal_connect (clock, "layout", G_CALLBACK (on_phase_end), &current_parts.layout_ms);
    g_signal_connect (clock, "paint", G_CALLBACK (on_phase_end), &current_parts.paint_ms);
    g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint), NULL);
  }
  *window_out = GTK_WINDOW (window);
  return g_object_ref (_beam_cluster_page_get_model (BEAM_CLUSTER_PAGE (page)));
}
#endif

static guint
env_uint (const char *name,
          guint       fallback)
{
  const char *text = g_getenv (name);

  return text != NULL ? (guint) g_ascii_strtoull (text, NULL, 10) : fallback;
}

static double
now_ms (void)
{
  return g_get_monotonic_time () / 1000.0;
}

/* A line of /proc/meminfo or /proc/self/status, in kB; -1 if absent. */
static gint64
proc_kb (const char *path,
         const char *key)
{
  g_autofree char *text = NULL;
  const char *line;

  if (!g_file_get_contents (path, &text, NULL, NULL) || (line = strstr (text, key)) == NULL)
    return -1;
  return g_ascii_strtoll (line + strlen (key), NULL, 10);
}

/* Our process's CPU (every thread), in ms. */
static double
self_cpu_ms (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec * 1e3 + usage.ru_utime.tv_usec / 1e3 +
         usage.ru_stime.tv_sec * 1e3 + usage.ru_stime.tv_usec / 1e3;
}

/* The CPU the cluster's live nodes have used, in ms (from /proc, utime + stime). */
static double
nodes_cpu_ms (GPtrArray *cluster)
{
  double ticks = 0;

  for (guint i = 0; i < cluster->len; i++)
    {
      BeamTestNode *node = cluster->pdata[i];
      g_autofree char *path = NULL;
      g_autofree char *stat = NULL;
      g_auto(GStrv) fields = NULL;
      const char *after_name;

      if (node->pid <= 0)
        continue;
      path = g_strdup_printf ("/proc/%d/stat", (int) node->pid);
      if (!g_file_get_contents (path, &stat, NULL, NULL) ||
          (after_name = strrchr (stat, ')')) == NULL)
        continue;
      /* After "pid (comm) ": state is field 3, utime 14 and stime 15. */
      fields = g_strsplit (after_name + 2, " ", 0);
      if (g_strv_length (fields) > 12)
        ticks += g_ascii_strtod (fields[11], NULL) + g_ascii_strtod (fields[12], NULL);
    }
  return ticks * 1000.0 / sysconf (_SC_CLK_TCK);
}

/* What the benchmark watches of each node: its samples' spacing. */
typedef struct
{
  gint64   last_sampled_at;
} Watch;

typedef struct
{
  BeamClusterModel *model;
  GPtrArray        *cluster;
  GHashTable       *watches;       /* BeamClusterNode → Watch */
  GHashTable       *excluded;      /* names whose spacing is not recorded */
  GArray           *spacing_ms;    /* doubles, while recording */
  GString          *late;          /* "name +s: gap" of spacings past interval + slack */
  double            late_after_ms; /* gaps past this are late */
  double            phase_start_ms;
  GArray           *scan_reductions;
  gboolean          recording_scans;
} Bench;

static void
on_sample (BeamClusterNode *node,
           GParamSpec      *pspec G_GNUC_UNUSED,
           Bench           *bench)
{
  Watch *watch = g_hash_table_lookup (bench->watches, node);
  gint64 sampled_at = beam_cluster_node_get_sampled_at (node);
  const BeamClusterSample *sample = beam_cluster_node_get_sample (node);

  if (watch == NULL || sampled_at == watch->last_sampled_at)
    return;
  if (bench->spacing_ms != NULL && watch->last_sampled_at != 0 &&
      !g_hash_table_contains (bench->excluded, beam_cluster_node_get_name (node)))
    {
      double gap = (sampled_at - watch->last_sampled_at) / 1000.0;
      g_array_append_val (bench->spacing_ms, gap);
      if (bench->late != NULL && gap > bench->late_after_ms && bench->late->len < 2000)
        g_string_append_printf (bench->late, "%s\"%s +%.1f s: %.0f ms\"",
                                bench->late->len > 0 ? ", " : "",
                                beam_cluster_node_get_name (node),
                                (now_ms () - bench->phase_start_ms) / 1000, gap);
    }
  watch->last_sampled_at = sampled_at;
  if (bench->recording_scans && sample != NULL && sample->scanned && sample->reductions >= 0)
    {
      double reductions = sample->reductions;
      g_array_append_val (bench->scan_reductions, reductions);
    }
}

static void
watch_nodes (GListModel *nodes,
             guint       position G_GNUC_UNUSED,
             guint       removed G_GNUC_UNUSED,
             guint       added G_GNUC_UNUSED,
             Bench      *bench)
{
  for (guint i = 0; i < g_list_model_get_n_items (nodes); i++)
    {
      g_autoptr(BeamClusterNode) node = g_list_model_get_item (nodes, i);

      if (g_hash_table_contains (bench->watches, node))
        continue;
      g_hash_table_insert (bench->watches, g_object_ref (node), g_new0 (Watch, 1));
      g_signal_connect (node, "notify::sample", G_CALLBACK (on_sample), bench);
    }
}

static BeamClusterNode *
row_of (Bench        *bench,
        BeamTestNode *node)
{
  return beam_cluster_model_find_node (bench->model, node->name);
}

/* The model's rows in the cluster, or only EPMD's (other tests' nodes here). */
static guint
count_rows (BeamClusterModel *model,
            gboolean          in_cluster)
{
  GListModel *nodes = beam_cluster_model_get_nodes (model);
  guint count = 0;

  for (guint i = 0; i < g_list_model_get_n_items (nodes); i++)
    {
      g_autoptr(BeamClusterNode) node = g_list_model_get_item (nodes, i);

      count += beam_cluster_node_get_in_cluster (node) == in_cluster;
    }
  return count;
}

/* Every node of the cluster that still runs is CONNECTED, with a usage. */
static gboolean
all_connected_with_usage (gpointer data)
{
  Bench *bench = data;

  for (guint i = 0; i < bench->cluster->len; i++)
    {
      BeamClusterNode *row = row_of (bench, bench->cluster->pdata[i]);

      if (row == NULL || beam_cluster_node_get_state (row) != BEAM_CLUSTER_NODE_CONNECTED ||
          beam_cluster_node_get_usage (row) < 0)
        return FALSE;
    }
  return TRUE;
}

static gboolean
all_in_state (BeamTestNode        **nodes,
              guint                 n,
              Bench                *bench,
              BeamClusterNodeState  state)
{
  for (guint i = 0; i < n; i++)
    {
      BeamClusterNode *row = row_of (bench, nodes[i]);

      if (row == NULL || beam_cluster_node_get_state (row) != state)
        return FALSE;
    }
  return TRUE;
}

/* erlang:statistics(reductions) of the reader's node, through rex. */
static gint64
read_one (BeamConnection *reader)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BeamTerm) reply = NULL;
  BeamTestWait wait = { 0 };
  gint64 total = -1;

  beam_connection_rpc_async (reader, "erlang", "statistics",
                             beam_term_new_list (1, beam_term_new_atom ("reductions")),
                             10000, NULL, beam_test_stash, &wait);
  beam_test_wait_for (&wait.done, 30000);
  reply = beam_connection_rpc_finish (reader, wait.result, &error);
  g_clear_object (&wait.result);
  g_assert_no_error (error);
  g_assert_true (reply->kind == BEAM_TERM_TUPLE && reply->n_children == 2);
  g_assert_true (beam_term_get_int64 (reply->children[0], &total));
  return total;
}

static void
read_reductions (BeamConnection **readers,
                 gint64          *out)
{
  for (guint i = 0; i < READ_NODES; i++)
    out[i] = read_one (readers[i]);
}

typedef struct
{
  gint64 reductions[READ_NODES];
  guint  samples[READ_NODES];
  double ms;
} Stretch;

/* A stretch of `ms` on the read nodes: their reductions and samples taken. */
static Stretch
stretch (Bench           *bench,
         BeamConnection **readers,
         guint            ms)
{
  gint64 before[READ_NODES], after[READ_NODES];
  guint samples_before[READ_NODES];
  double start = now_ms ();
  Stretch result;

  /* The read nodes are 1..READ_NODES: not the seed, which also answers
   * the model's discovery. */
  for (guint i = 0; i < READ_NODES; i++)
    samples_before[i] = beam_cluster_node_get_samples (row_of (bench,
                                                               bench->cluster->pdata[1 + i]));
  read_reductions (readers, before);
  beam_test_run_for (ms);
  read_reductions (readers, after);
  result.ms = now_ms () - start;
  for (guint i = 0; i < READ_NODES; i++)
    {
      result.reductions[i] = after[i] - before[i];
      result.samples[i] = beam_cluster_node_get_samples (row_of (bench,
                                                                 bench->cluster->pdata[1 + i]))
                          - samples_before[i];
    }
  return result;
}

/* Per node, the sampled stretch's reductions less the idle one's (scaled to
 * its length), per sample taken, into `out`; a JSON line of the round. */
static void
per_sample (const char *form,
            guint       round,
            Stretch     busy,
            Stretch     quiet,
            GArray     *out)
{
  g_autoptr(GString) line = g_string_new (NULL);

  g_string_append_printf (line, "{\"benchmark\": \"cluster: reductions, %s round %u\", "
                          "\"busy_ms\": %.0f, \"idle_ms\": %.0f, \"nodes\": [",
                          form, round, busy.ms, quiet.ms);
  for (guint i = 0; i < READ_NODES; i++)
    {
      double value = busy.samples[i] > 0
                     ? (busy.reductions[i] - quiet.reductions[i] * (busy.ms / quiet.ms))
                       / busy.samples[i]
                     : 0;

      if (busy.samples[i] > 0)
        g_array_append_val (out, value);
      g_string_append_printf (line, "%s{\"busy\": %" G_GINT64_FORMAT ", \"idle\": %"
                              G_GINT64_FORMAT ", \"samples\": %u, \"per_sample\": %.0f}",
                              i > 0 ? ", " : "", busy.reductions[i], quiet.reductions[i],
                              busy.samples[i], value);
    }
  g_print ("%s]}\n", line->str);
}

/* Pauses or resumes the model, then lets samples in flight come back. */
static void
set_paused (Bench    *bench,
            gboolean  paused,
            guint     interval_ms)
{
  beam_cluster_model_set_paused (bench->model, paused);
  beam_test_run_for (paused ? interval_ms + 500 : 200);
}

/* Reductions per sample measured back to back: on each read node, windows
 * of SAMPLES_PER_WINDOW samples through our own connection (the same rpc
 * the model sends), less one read's own cost, the model paused; short
 * windows, so that the median misses the nodes' bursts of background work
 * (a 50-node mesh's net ticks and global), which an idle stretch of 10 s
 * does not. */
#define SAMPLES_PER_WINDOW 10
#define WINDOWS            7

static void
sample_back_to_back (BeamConnection *reader,
                     gboolean        scan)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BeamClusterSample) sample = NULL;
  BeamTestWait wait = { 0 };

  beam_cluster_sample_async (reader, scan, 500000, 10000, NULL, beam_test_stash, &wait);
  beam_test_wait_for (&wait.done, 30000);
  sample = beam_cluster_sample_finish (wait.result, &error);
  g_clear_object (&wait.result);
  g_assert_no_error (error);
}

static void
back_to_back (BeamConnection **readers,
              gboolean         scan,
              GArray          *out)
{
  for (guint w = 0; w < WINDOWS; w++)
    for (guint i = 0; i < READ_NODES; i++)
      {
        gint64 first = read_one (readers[i]);
        gint64 second = read_one (readers[i]);
        double value;

        for (guint k = 0; k < SAMPLES_PER_WINDOW; k++)
          sample_back_to_back (readers[i], scan);
        /* Less a read's own cost, as bench-load.c's per_call does. */
        value = ((read_one (readers[i]) - second) - (second - first)) /
                (double) SAMPLES_PER_WINDOW;
        g_array_append_val (out, value);
      }
}

static gboolean
has_memory (guint n)
{
  gint64 available_kb = proc_kb ("/proc/meminfo", "MemAvailable:");
  gint64 needed_kb = n >= 50 ? 3 * 1024 * 1024 : (gint64) n * 60 * 1024;

  if (available_kb >= 0 && available_kb < needed_kb)
    {
      g_print ("{\"benchmark\": \"cluster\", \"skipped\": \"MemAvailable is %" G_GINT64_FORMAT
               " MB, %u nodes need %" G_GINT64_FORMAT " MB\"}\n",
               available_kb / 1024, n, needed_kb / 1024);
      return FALSE;
    }
  return TRUE;
}

int
main (int    argc G_GNUC_UNUSED,
      char **argv G_GNUC_UNUSED)
{
  guint n = MAX (env_uint ("BEAMSCOPE_BENCH_CLUSTER_NODES", 50), READ_NODES + 6);
  /* Phase 2 stops and kills 5 each of 50, 2 each of a small run's. */
  guint n_stopped = n >= 20 ? PHASE2_MAX : 2, n_killed = n_stopped;
  guint interval_ms = env_uint ("BEAMSCOPE_BENCH_CLUSTER_INTERVAL_MS", 2000);
  guint warmup_s = env_uint ("BEAMSCOPE_BENCH_CLUSTER_WARMUP_S", 60);
  guint measure_s = env_uint ("BEAMSCOPE_BENCH_CLUSTER_MEASURE_S", 60);
  guint phase2_s = env_uint ("BEAMSCOPE_BENCH_CLUSTER_PHASE2_S", 30);
  const char *flags[] = { "+S", "1", "+SDcpu", "1", "+SDio", "1", "+A", "1", "+P", "1024",
                          "+Q", "1024", "+sbwt", "none", "+sbwtdcpu", "none",
                          "+sbwtdio", "none", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) cluster = NULL;
  g_autoptr(BeamConnection) seed = NULL;
#ifdef BEAM_BENCH_CLUSTER_GUI
  GtkWindow *window = NULL;
#endif
  g_autoptr(BeamClusterModel) model = NULL;
  g_autoptr(GArray) plain = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) scan = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) plain_back_to_back = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) scan_back_to_back = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GHashTable) others_not_connected = g_hash_table_new (g_str_hash, g_str_equal);
  BeamConnection *readers[READ_NODES];
  BeamTestNode *stopped[PHASE2_MAX], *killed[PHASE2_MAX];
  Bench bench = { 0 };
  double start_ms, model_start_ms, connected_ms;
  double cpu_before, nodes_cpu_before, wall_start, self_percent, nodes_percent;
  double idle_nodes_cpu_ms = 0, idle_ms = 0;
  gint64 rss_before, rss_after;
  double stopped_ms = -1, killed_ms = -1;
  struct rusage usage;

  if (!has_memory (n))
    return 77;
  g_assert_true (beam_connection_init_process (NULL));

  /* The cluster. */
  start_ms = now_ms ();
  cluster = beam_test_cluster_start (n, TRUE, flags, &error);
  g_assert_no_error (error);
  g_print ("{\"benchmark\": \"cluster: start\", \"nodes\": %u, \"meshed_s\": %.1f, "
           "\"nodes_cpu_s\": %.1f}\n",
           n, (now_ms () - start_ms) / 1000, nodes_cpu_ms (cluster) / 1000);

  /* The model, seeded at the first node, without EPMD's others (other tests'
   * nodes on this host are none of ours). */
  bench.cluster = cluster;
  bench.watches = g_hash_table_new_full (NULL, NULL, g_object_unref, g_free);
  bench.excluded = g_hash_table_new (g_str_hash, g_str_equal);
  bench.scan_reductions = g_array_new (FALSE, FALSE, sizeof (double));
  beam_test_set_iterate (iterate);
  model_start_ms = now_ms ();
#ifdef BEAM_BENCH_CLUSTER_GUI
  bench.model = model = open_page (cluster->pdata[0], interval_ms, &window);
#else
  seed = beam_test_node_connect (cluster->pdata[0]);
  bench.model = model = beam_cluster_model_new (seed, ((BeamTestNode *) cluster->pdata[0])->cookie);
  beam_cluster_model_set_interval_ms (model, interval_ms);
  beam_cluster_model_set_join_epmd_others (model, FALSE);
#endif
  measured_model = model;
  g_signal_connect (beam_cluster_model_get_nodes (model), "items-changed",
                    G_CALLBACK (watch_nodes), &bench);
  watch_nodes (beam_cluster_model_get_nodes (model), 0, 0, 0, &bench);
#ifndef BEAM_BENCH_CLUSTER_GUI
  beam_cluster_model_start (model);  /* the page starts its own when shown */
#endif
  beam_test_wait_until (all_connected_with_usage, &bench, 120000);
  connected_ms = now_ms () - model_start_ms;
  g_print ("{\"benchmark\": \"cluster: all connected with a usage\", \"nodes\": %u, "
           "\"interval_ms\": %u, \"seconds\": %.1f, \"rows_in_cluster\": %u, "
           "\"rows_others_on_host\": %u}\n",
           n, interval_ms, connected_ms / 1000, count_rows (model, TRUE),
           count_rows (model, FALSE));

  /* Warm-up, then the measured minute. */
  if (now_ms () - model_start_ms < warmup_s * 1000.0)
    beam_test_run_for ((guint) (warmup_s * 1000.0 - (now_ms () - model_start_ms)));
  bench.spacing_ms = g_array_new (FALSE, FALSE, sizeof (double));
  rss_before = proc_kb ("/proc/self/status", "VmRSS:");
  cpu_before = self_cpu_ms ();
  nodes_cpu_before = nodes_cpu_ms (cluster);
  iterations = g_array_new (FALSE, FALSE, sizeof (double));
  memset (longest_parts, 0, sizeof longest_parts);
  frames = 0;
  wall_start = now_ms ();
  beam_test_run_for (measure_s * 1000);
  self_percent = (self_cpu_ms () - cpu_before) * 100 / (now_ms () - wall_start);
  nodes_percent = (nodes_cpu_ms (cluster) - nodes_cpu_before) * 100 / (now_ms () - wall_start);
  rss_after = proc_kb ("/proc/self/status", "VmRSS:");
  getrusage (RUSAGE_SELF, &usage);
  g_print ("{\"benchmark\": \"cluster: Beamscope's cost, %s\", \"nodes\": %u, "
           "\"interval_ms\": %u, \"measured_s\": %u, \"cpu_percent_of_core\": %.2f, "
           "\"target\": \"< %.0f\", \"verdict\": \"%s\", \"max_rss_mb\": %.1f, "
           "\"rss_start_mb\": %.1f, \"rss_growth_mb\": %.2f, "
           "\"nodes_cpu_percent_of_core\": %.2f, \"per_node_cpu_percent\": %.3f, "
           "\"spacing_ms_p50\": %.0f, \"spacing_ms_p99\": %.0f, \"spacing_ms_max\": %.0f, "
           "\"spacings\": %u}\n",
           MODE, n, interval_ms, measure_s, self_percent, CPU_TARGET_PERCENT,
           self_percent < CPU_TARGET_PERCENT ? "pass" : "fail", usage.ru_maxrss / 1024.0,
           rss_before / 1024.0, (rss_after - rss_before) / 1024.0, nodes_percent,
           nodes_percent / n, beam_bench_percentile (bench.spacing_ms, 0.5),
           beam_bench_percentile (bench.spacing_ms, 0.99),
           beam_bench_percentile (bench.spacing_ms, 1.0), bench.spacing_ms->len);
  g_clear_pointer (&bench.spacing_ms, g_array_unref);
#ifdef BEAM_BENCH_CLUSTER_GUI
  {
    double p99 = beam_bench_percentile (iterations, 0.99);
    double longest = beam_bench_percentile (iterations, 1.0);

    g_print ("{\"benchmark\": \"cluster: GTK frames, Cluster page shown\", \"nodes\": %u, "
             "\"interval_ms\": %u, \"measured_s\": %u, \"iterations\": %u, "
             "\"iteration_cpu_ms_p50\": %.2f, \"iteration_cpu_ms_p99\": %.2f, "
             "\"iteration_cpu_ms_max\": %.2f, \"frames_painted\": %u, "
             "\"target\": \"max <= %.0f\", \"verdict\": \"%s\"}\n",
             n, interval_ms, measure_s, iterations->len, beam_bench_percentile (iterations, 0.5),
             p99, longest, frames, FRAME_TARGET_MS,
             longest <= FRAME_TARGET_MS ? "pass" : "fail");
    print_longest_iterations ();
  }
#endif
  g_clear_pointer (&iterations, g_array_unref);

  /* BEAMSCOPE_BENCH_CLUSTER_REDUCTIONS=0 skips this part (a quicker run
   * when working on the frames). */
  if (env_uint ("BEAMSCOPE_BENCH_CLUSTER_REDUCTIONS", 1) != 0)
    {
      /* Reductions per sample on READ_NODES nodes (not the seed: it also
       * answers our own discovery), plain form only: scans off. */
      for (guint i = 0; i < READ_NODES; i++)
        readers[i] = beam_test_node_connect (cluster->pdata[1 + i]);
      beam_cluster_model_set_queue_scan_interval_ms (model, 0);
      beam_test_run_for (interval_ms);
      for (guint r = 0; r < ROUNDS; r++)
        {
          Stretch quiet, busy;

          double nodes_before;

          set_paused (&bench, TRUE, interval_ms);
          nodes_before = nodes_cpu_ms (cluster);
          quiet = stretch (&bench, readers, STRETCH_MS);
          idle_nodes_cpu_ms += nodes_cpu_ms (cluster) - nodes_before;
          idle_ms += quiet.ms;
          set_paused (&bench, FALSE, interval_ms);
          busy = stretch (&bench, readers, STRETCH_MS);
          per_sample ("plain", r + 1, busy, quiet, plain);
        }
      /* The scan form at every sample: its own answer, and the same reckoning. */
      {
        Stretch quiet, busy;

        set_paused (&bench, TRUE, interval_ms);
        quiet = stretch (&bench, readers, STRETCH_MS);
        beam_cluster_model_set_queue_scan_interval_ms (model, interval_ms);
        bench.recording_scans = TRUE;
        set_paused (&bench, FALSE, interval_ms);
        busy = stretch (&bench, readers, STRETCH_MS);
        bench.recording_scans = FALSE;
        per_sample ("scan", 1, busy, quiet, scan);
        beam_cluster_model_set_queue_scan_interval_ms (model, 10000);
      }
      /* The same rpcs back to back, the model paused. */
      set_paused (&bench, TRUE, interval_ms);
      back_to_back (readers, FALSE, plain_back_to_back);
      back_to_back (readers, TRUE, scan_back_to_back);
      set_paused (&bench, FALSE, interval_ms);
      /* Sampling steady again before phase 2 (the pause's gap is not phase 2's). */
      beam_test_run_for (interval_ms + 500);
      g_print ("{\"benchmark\": \"cluster: reductions per node per sample\", \"read_nodes\": %u, "
               "\"plain_back_to_back_median\": %.0f, \"plain_back_to_back_p95\": %.0f, "
               "\"scan_back_to_back_median\": %.0f, \"scan_back_to_back_p95\": %.0f, "
               "\"back_to_back_windows\": %u, "
               "\"plain_median\": %.0f, \"plain_p95\": %.0f, \"plain_values\": %u, "
               "\"scan_statistics_median\": %.0f, \"scan_statistics_p95\": %.0f, "
               "\"scan_own_answer_median\": %.0f, \"scan_own_answer_p95\": %.0f, "
               "\"scan_answers\": %u, \"nodes_idle_cpu_percent_of_core\": %.2f}\n",
               READ_NODES, beam_bench_percentile (plain_back_to_back, 0.5),
               beam_bench_percentile (plain_back_to_back, 0.95),
               beam_bench_percentile (scan_back_to_back, 0.5),
               beam_bench_percentile (scan_back_to_back, 0.95), plain_back_to_back->len,
               beam_bench_percentile (plain, 0.5), beam_bench_percentile (plain, 0.95),
               plain->len, beam_bench_percentile (scan, 0.5), beam_bench_percentile (scan, 0.95),
               beam_bench_percentile (bench.scan_reductions, 0.5),
               beam_bench_percentile (bench.scan_reductions, 0.95), bench.scan_reductions->len,
               idle_nodes_cpu_ms * 100 / idle_ms);
      for (guint i = 0; i < READ_NODES; i++)
        {
          beam_connection_close (readers[i]);
          g_object_unref (readers[i]);
        }
    }

  /* Phase 2: 5 stopped, 5 killed (none of them the seed or a read node). */
  for (guint i = 0; i < n_stopped; i++)
    {
      stopped[i] = cluster->pdata[READ_NODES + 1 + i];
      g_hash_table_add (bench.excluded, stopped[i]->name);
    }
  for (guint i = 0; i < n_killed; i++)
    {
      killed[i] = cluster->pdata[READ_NODES + 1 + n_stopped + i];
      g_hash_table_add (bench.excluded, killed[i]->name);
    }
  bench.spacing_ms = g_array_new (FALSE, FALSE, sizeof (double));
  bench.late = g_string_new (NULL);
  bench.late_after_ms = interval_ms + SPACING_SLACK_MS;
  /* Only gaps between two samples of this phase count. */
  {
    GHashTableIter iter;
    gpointer watch;

    g_hash_table_iter_init (&iter, bench.watches);
    while (g_hash_table_iter_next (&iter, NULL, &watch))
      ((Watch *) watch)->last_sampled_at = 0;
  }
  bench.phase_start_ms = start_ms = now_ms ();
  longest_iteration_cpu_ms = 0;
  memset (longest_parts, 0, sizeof longest_parts);
  for (guint i = 0; i < n_stopped; i++)
    beam_test_node_kill (stopped[i], SIGSTOP);
  for (guint i = 0; i < n_killed; i++)
    beam_test_node_kill (killed[i], SIGKILL);
  while (now_ms () - start_ms < phase2_s * 1000.0)
    {
      beam_test_run_for (50);
      if (stopped_ms < 0 &&
          all_in_state (stopped, n_stopped, &bench, BEAM_CLUSTER_NODE_NOT_ANSWERING))
        stopped_ms = now_ms () - start_ms;
      if (killed_ms < 0 && all_in_state (killed, n_killed, &bench, BEAM_CLUSTER_NODE_DOWN))
        killed_ms = now_ms () - start_ms;
      /* Were any of the others ever not CONNECTED meanwhile? */
      for (guint i = 0; i < cluster->len; i++)
        {
          BeamTestNode *node = cluster->pdata[i];
          BeamClusterNode *row = row_of (&bench, node);

          if (!g_hash_table_contains (bench.excluded, node->name) && row != NULL &&
              beam_cluster_node_get_state (row) != BEAM_CLUSTER_NODE_CONNECTED)
            g_hash_table_add (others_not_connected, node->name);
        }
    }
  {
    double p99 = beam_bench_percentile (bench.spacing_ms, 0.99);

    g_print ("{\"benchmark\": \"cluster: nodes stopped and killed\", \"nodes\": %u, "
             "\"stopped\": %u, \"killed\": %u, "
             "\"interval_ms\": %u, \"seconds\": %u, \"stopped_marked_s\": %.1f, "
             "\"killed_marked_s\": %.1f, \"others\": %u, \"others_spacing_ms_p50\": %.0f, "
             "\"others_spacing_ms_p99\": %.0f, \"others_spacing_ms_max\": %.0f, "
             "\"spacings\": %u, \"target\": \"p99 < %.0f\", \"verdict\": \"%s\", "
             "\"others_ever_not_connected\": %u, \"longest_iteration_cpu_ms\": %.1f, "
             "\"late\": [%s]}\n",
             n, n_stopped, n_killed, interval_ms, phase2_s, stopped_ms / 1000,
             killed_ms / 1000, n - n_stopped - n_killed,
             beam_bench_percentile (bench.spacing_ms, 0.5),
             p99, beam_bench_percentile (bench.spacing_ms, 1.0), bench.spacing_ms->len,
             interval_ms + SPACING_SLACK_MS,
             p99 < interval_ms + SPACING_SLACK_MS && stopped_ms >= 0 && killed_ms >= 0
             ? "pass" : "fail",
             g_hash_table_size (others_not_connected), longest_iteration_cpu_ms,
             bench.late->str);
  }

#ifdef BEAM_BENCH_CLUSTER_GUI
  print_longest_iterations ();
#endif
  beam_cluster_model_stop (model);
  g_signal_handlers_disconnect_by_data (beam_cluster_model_get_nodes (model), &bench);
  {
    GHashTableIter iter;
    gpointer row;

    g_hash_table_iter_init (&iter, bench.watches);
    while (g_hash_table_iter_next (&iter, &row, NULL))
      g_signal_handlers_disconnect_by_data (row, &bench);
  }
  g_hash_table_unref (bench.watches);
  measured_model = NULL;
  g_clear_object (&model);
#ifdef BEAM_BENCH_CLUSTER_GUI
  gtk_window_destroy (window);
  beam_test_run_for (200);
#else
  beam_connection_close (seed);
#endif
  g_hash_table_unref (bench.excluded);
  g_array_unref (bench.spacing_ms);
  g_string_free (bench.late, TRUE);
  g_array_unref (bench.scan_reductions);
  return 0;
}
