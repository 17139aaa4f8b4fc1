/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The cluster model (issue 17): first fed recorded samples (no node), for
 * what real nodes show only by chance or never (a one-way link, debouncing,
 * outliers, a new incarnation, the JSON's shape); then, where the test
 * cluster helper is built in, against real clusters of fixture nodes. */

#include <math.h>
#include <signal.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "beam-cluster-model-private.h"
#include "beam-node.h"
#include "beam-test-node.h"

#define MiB (1024 * 1024)

/* A sample as node `name` might answer it: `visible` is a space-separated
 * list; `tick` moves the wall times on (half busy) and the clock. */
static BeamClusterSample *
new_sample (const char *name,
            const char *visible,
            guint       tick)
{
  BeamClusterSample *sample = g_new0 (BeamClusterSample, 1);
  g_auto(GStrv) names = g_strsplit (visible != NULL ? visible : "", " ", -1);
  g_autoptr(GStrvBuilder) kept = g_strv_builder_new ();

  sample->node = g_strdup (name);
  sample->creation = 1;
  sample->otp_release = g_strdup ("25");
  sample->uptime_ms = 600000 + tick * 1000;
  sample->time_ms = 600000 + tick * 1000;
  sample->process_count = 100;
  sample->process_limit = 262144;
  sample->atom_count = 15000;
  sample->atom_limit = 1048576;
  sample->memory_total = 40 * MiB;
  sample->memory_binary = 1 * MiB;
  sample->memory_ets = 2 * MiB;
  sample->schedulers = 2;
  sample->wall = g_array_new (FALSE, FALSE, sizeof (BeamWallTime));
  for (guint id = 1; id <= 3; id++)
    {
      BeamWallTime wall = { id, (gint64) tick * 500, (gint64) tick * 1000 };

      g_array_append_val (sample->wall, wall);
    }
  sample->run_queue = 0;
  for (guint i = 0; names[i] != NULL; i++)
    if (*names[i] != '\0')
      g_strv_builder_add (kept, names[i]);
  sample->visible = g_strv_builder_end (kept);
  sample->hidden = g_new0 (char *, 1);
  sample->max_queue = -1;
  sample->reductions = -1;
  return sample;
}

static const char *full_mesh[] = {
  "a@h", "b@h c@h d@h e@h",
  "b@h", "a@h c@h d@h e@h",
  "c@h", "a@h b@h d@h e@h",
  "d@h", "a@h b@h c@h e@h",
  "e@h", "a@h b@h c@h d@h",
  NULL
};

/* Every node of `lists` (name, visible, ...) answers once. */
static void
feed_round (BeamClusterModel  *model,
            const char       **lists,
            guint              tick)
{
  for (guint i = 0; lists[i] != NULL; i += 2)
    _beam_cluster_model_feed (model, lists[i], new_sample (lists[i], lists[i + 1], tick));
}

static guint
index_of (BeamClusterModel *model,
          const char       *name)
{
  GListModel *nodes = beam_cluster_model_get_nodes (model);

  for (guint i = 0; i < g_list_model_get_n_items (nodes); i++)
    {
      g_autoptr(BeamClusterNode) node = g_list_model_get_item (nodes, i);

      if (g_str_equal (beam_cluster_node_get_name (node), name))
        return i;
    }
  g_assert_not_reached ();
}

static BeamClusterLink
link_between (BeamClusterModel *model,
              const char       *a,
              const char       *b)
{
  return beam_cluster_model_get_link (model, index_of (model, a), index_of (model, b));
}

static guint
count_open (BeamClusterModel *model)
{
  GPtrArray *anomalies = beam_cluster_model_get_anomalies (model);
  guint open = 0;

  for (guint i = 0; i < anomalies->len; i++)
    open += ((BeamClusterAnomaly *) g_ptr_array_index (anomalies, i))->open;
  return open;
}

static void
count_signal (gpointer  instance G_GNUC_UNUSED,
              guint    *counter)
{
  (*counter)++;
}

static void
count_items_changed (GListModel *list G_GNUC_UNUSED,
                     guint       position G_GNUC_UNUSED,
                     guint       removed G_GNUC_UNUSED,
                     guint       added G_GNUC_UNUSED,
                     guint      *counter)
{
  (*counter)++;
}

static void
test_fed_mesh (void)
{
  g_autoptr(BeamClusterModel) model = _beam_cluster_model_new_fed ("a@h");
  GListModel *nodes = beam_cluster_model_get_nodes (model);
  g_autoptr(GPtrArray) partitions = NULL;
  guint sampled = 0, links_changed = 0;

  g_signal_connect (model, "sampled", G_CALLBACK (count_signal), &sampled);
  g_signal_connect (model, "links-changed", G_CALLBACK (count_signal), &links_changed);
  g_assert_cmpstr (beam_cluster_model_get_seed_name (model), ==, "a@h");
  g_assert_cmpuint (g_list_model_get_n_items (nodes), ==, 1);

  /* The seed's list brings every other name in, sorted. */
  _beam_cluster_model_feed (model, "a@h", new_sample ("a@h", "e@h c@h b@h d@h", 1));
  g_assert_cmpuint (g_list_model_get_n_items (nodes), ==, 5);
  for (guint i = 0; i < 5; i++)
    {
      g_autoptr(BeamClusterNode) node = g_list_model_get_item (nodes, i);
      char expected[] = { (char) ('a' + i), '@', 'h', '\0' };

      g_assert_cmpstr (beam_cluster_node_get_name (node), ==, expected);
      g_assert_true (beam_cluster_node_get_in_cluster (node));
    }
  g_assert_false (beam_cluster_model_get_settled (model));

  feed_round (model, full_mesh, 1);
  feed_round (model, full_mesh, 2);
  g_assert_true (beam_cluster_model_get_settled (model));
  g_assert_cmpuint (sampled, ==, 11);
  g_assert_cmpuint (links_changed, >, 0);
  for (guint i = 0; i < 5; i++)
    for (guint j = 0; j < 5; j++)
      {
        g_assert_cmpint (beam_cluster_model_get_link (model, i, j), ==,
                         i == j ? BEAM_CLUSTER_LINK_SELF : BEAM_CLUSTER_LINK_BOTH);
        g_assert_true (beam_cluster_model_get_sees (model, i, j) == (i != j));
      }
  g_assert_cmpuint (beam_cluster_model_get_anomalies (model)->len, ==, 0);
  partitions = beam_cluster_model_dup_partitions (model);
  g_assert_cmpuint (partitions->len, ==, 1);
  g_assert_cmpuint (g_strv_length (g_ptr_array_index (partitions, 0)), ==, 5);
  g_assert_cmpuint (beam_cluster_model_get_n_down (model), ==, 0);
  g_assert_cmpuint (beam_cluster_model_get_n_not_answering (model), ==, 0);

  /* Utilisation from two samples of wall times, and its trend per mille. */
  {
    BeamClusterNode *c = beam_cluster_model_find_node (model, "c@h");
    g_autoptr(GVariant) trend = g_variant_ref_sink (
      beam_cluster_node_dup_trend (c, BEAM_CLUSTER_COLUMN_USAGE));
    g_autoptr(GVariant) queues = g_variant_ref_sink (
      beam_cluster_node_dup_trend (c, BEAM_CLUSTER_COLUMN_RUN_QUEUE));
    g_autoptr(GVariant) none = g_variant_ref_sink (
      beam_cluster_node_dup_trend (c, BEAM_CLUSTER_COLUMN_MEMORY));
    gsize n;
    const gint64 *points = g_variant_get_fixed_array (trend, &n, sizeof (gint64));

    g_assert_cmpstr (g_variant_get_type_string (trend), ==, "ax");
    g_assert_cmpfloat_with_epsilon (beam_cluster_node_get_usage (c), 0.5, 1e-9);
    g_assert_cmpfloat_with_epsilon (beam_cluster_node_get_value (c, BEAM_CLUSTER_COLUMN_USAGE),
                                    0.5, 1e-9);
    g_assert_cmpuint (n, ==, 1);
    g_assert_cmpint (points[0], ==, 500);
    g_assert_cmpuint (g_variant_n_children (queues), ==, 2);
    g_assert_cmpuint (g_variant_n_children (none), ==, 0);
    g_assert_cmpuint (beam_cluster_node_get_samples (c), ==, 2);
    g_assert_cmpint (beam_cluster_node_get_sampled_at (c), >, 0);
    g_assert_true (isnan (beam_cluster_node_get_value (c, BEAM_CLUSTER_COLUMN_MAX_QUEUE)));
  }
}

/* A one-way link is marked only when two observations of both nodes in a
 * row show it; seen both ways, it heals at once. */
static void
test_fed_one_way_debounced (void)
{
  g_autoptr(BeamClusterModel) model = _beam_cluster_model_new_fed ("a@h");
  const char *one_way[] = {
    "a@h", "b@h c@h d@h e@h",
    "b@h", "a@h c@h d@h e@h",
    "c@h", "a@h b@h d@h",       /* c lists no e */
    "d@h", "a@h b@h c@h e@h",
    "e@h", "a@h b@h c@h d@h",   /* e lists c */
    NULL
  };
  GPtrArray *anomalies = beam_cluster_model_get_anomalies (model);
  const BeamClusterAnomaly *anomaly;
  gint64 before, first_seen;

  feed_round (model, full_mesh, 1);
  feed_round (model, full_mesh, 2);
  g_assert_cmpint (link_between (model, "c@h", "e@h"), ==, BEAM_CLUSTER_LINK_BOTH);

  before = g_get_real_time ();
  feed_round (model, one_way, 3);
  /* One observation is ignored. */
  g_assert_cmpint (link_between (model, "c@h", "e@h"), ==, BEAM_CLUSTER_LINK_BOTH);
  g_assert_cmpuint (anomalies->len, ==, 0);

  /* Only one node's new sample is no new observation of the pair. */
  _beam_cluster_model_feed (model, "e@h", new_sample ("e@h", one_way[9], 4));
  g_assert_cmpint (link_between (model, "c@h", "e@h"), ==, BEAM_CLUSTER_LINK_BOTH);
  _beam_cluster_model_feed (model, "c@h", new_sample ("c@h", one_way[5], 4));
  g_assert_cmpint (link_between (model, "c@h", "e@h"), ==, BEAM_CLUSTER_LINK_ONE_WAY);
  g_assert_cmpint (link_between (model, "e@h", "c@h"), ==, BEAM_CLUSTER_LINK_ONE_WAY);
  g_assert_true (beam_cluster_model_get_sees (model, index_of (model, "e@h"),
                                              index_of (model, "c@h")));
  g_assert_false (beam_cluster_model_get_sees (model, index_of (model, "c@h"),
                                               index_of (model, "e@h")));
  g_assert_cmpuint (anomalies->len, ==, 1);
  anomaly = g_ptr_array_index (anomalies, 0);
  g_assert_cmpint (anomaly->kind, ==, BEAM_CLUSTER_LINK_ONE_WAY);
  g_assert_cmpstr (anomaly->from, ==, "e@h");
  g_assert_cmpstr (anomaly->to, ==, "c@h");
  g_assert_false (anomaly->left);
  g_assert_true (anomaly->open);
  /* first_seen is the first of the two observations. */
  g_assert_cmpint (anomaly->first_seen_us, >=, before);
  g_assert_cmpint (anomaly->first_seen_us, <=, anomaly->last_seen_us);
  first_seen = anomaly->first_seen_us;
  {
    g_autoptr(GPtrArray) partitions = beam_cluster_model_dup_partitions (model);

    /* c and e still reach each other through the others. */
    g_assert_cmpuint (partitions->len, ==, 1);
  }

  /* Healed: both ways in one observation. */
  feed_round (model, full_mesh, 5);
  g_assert_cmpint (link_between (model, "c@h", "e@h"), ==, BEAM_CLUSTER_LINK_BOTH);
  g_assert_cmpuint (anomalies->len, ==, 1);
  g_assert_false (anomaly->open);
  g_assert_cmpint (anomaly->first_seen_us, ==, first_seen);
  g_assert_cmpint (anomaly->last_seen_us, >=, first_seen);

  /* A single odd observation between good ones leaves no trace. */
  feed_round (model, one_way, 6);
  feed_round (model, full_mesh, 7);
  g_assert_cmpuint (anomalies->len, ==, 1);
}

/* prevent_overlapping_partitions false: a disconnect leaves one missing
 * link, the nodes still connected through others. */
static void
test_fed_missing (void)
{
  g_autoptr(BeamClusterModel) model = _beam_cluster_model_new_fed ("a@h");
  const char *missing[] = {
    "a@h", "b@h c@h d@h e@h",
    "b@h", "a@h d@h e@h",
    "c@h", "a@h d@h e@h",
    "d@h", "a@h b@h c@h e@h",
    "e@h", "a@h b@h c@h d@h",
    NULL
  };
  g_autoptr(GPtrArray) partitions = NULL;
  const BeamClusterAnomaly *anomaly;

  feed_round (model, full_mesh, 1);
  feed_round (model, missing, 2);
  g_assert_cmpint (link_between (model, "b@h", "c@h"), ==, BEAM_CLUSTER_LINK_BOTH);
  feed_round (model, missing, 3);
  g_assert_cmpint (link_between (model, "b@h", "c@h"), ==, BEAM_CLUSTER_LINK_MISSING);
  g_assert_cmpint (link_between (model, "c@h", "b@h"), ==, BEAM_CLUSTER_LINK_MISSING);
  g_assert_cmpuint (count_open (model), ==, 1);
  anomaly = g_ptr_array_index (beam_cluster_model_get_anomalies (model), 0);
  g_assert_cmpint (anomaly->kind, ==, BEAM_CLUSTER_LINK_MISSING);
  g_assert_cmpstr (anomaly->from, ==, "b@h");
  g_assert_cmpstr (anomaly->to, ==, "c@h");
  g_assert_false (anomaly->left);
  partitions = beam_cluster_model_dup_partitions (model);
  g_assert_cmpuint (partitions->len, ==, 1);
}

/* OTP 25's default: both nodes of a disconnect leave the whole cluster:
 * three partitions, and one "left" anomaly per node, not one per link. */
static void
test_fed_left (void)
{
  g_autoptr(BeamClusterModel) model = _beam_cluster_model_new_fed ("a@h");
  const char *split[] = {
    "a@h", "d@h e@h",
    "b@h", "",
    "c@h", "",
    "d@h", "a@h e@h",
    "e@h", "a@h d@h",
    NULL
  };
  g_autoptr(GPtrArray) partitions = NULL;
  GPtrArray *anomalies = beam_cluster_model_get_anomalies (model);
  g_autoptr(JsonNode) json = NULL;
  JsonArray *links;

  feed_round (model, full_mesh, 1);
  feed_round (model, split, 2);
  feed_round (model, split, 3);
  partitions = beam_cluster_model_dup_partitions (model);
  g_assert_cmpuint (partitions->len, ==, 3);
  g_assert_cmpstrv ((const char * const *) g_ptr_array_index (partitions, 0),
                    ((const char * const []) { "a@h", "d@h", "e@h", NULL }));
  g_assert_cmpstrv ((const char * const *) g_ptr_array_index (partitions, 1),
                    ((const char * const []) { "b@h", NULL }));
  g_assert_cmpstrv ((const char * const *) g_ptr_array_index (partitions, 2),
                    ((const char * const []) { "c@h", NULL }));
  g_assert_cmpuint (anomalies->len, ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      const BeamClusterAnomaly *anomaly = g_ptr_array_index (anomalies, i);

      g_assert_true (anomaly->left);
      g_assert_true (anomaly->open);
      g_assert_null (anomaly->to);
      g_assert_cmpint (anomaly->kind, ==, BEAM_CLUSTER_LINK_MISSING);
    }
  g_assert_cmpint (link_between (model, "a@h", "b@h"), ==, BEAM_CLUSTER_LINK_MISSING);

  json = beam_cluster_model_to_json (model);
  links = json_object_get_array_member (json_node_get_object (json), "links");
  g_assert_cmpuint (json_array_get_length (links), ==, 2);
  g_assert_true (json_object_get_null_member (json_array_get_object_element (links, 0), "to"));
  g_assert_true (json_object_get_boolean_member (json_array_get_object_element (links, 0),
                                                 "left"));
  g_assert_cmpuint (json_array_get_length (
                      json_object_get_array_member (json_node_get_object (json), "partitions")),
                    ==, 3);
}

static void
feed_with_memory (BeamClusterModel *model,
                  const char       *name,
                  const char       *visible,
                  guint             tick,
                  gint64            memory_total,
                  gint64            binary)
{
  BeamClusterSample *sample = new_sample (name, visible, tick);

  sample->memory_total = memory_total;
  sample->memory_binary = binary;
  _beam_cluster_model_feed (model, name, sample);
}

static void
test_fed_outliers (void)
{
  g_autoptr(BeamClusterModel) model = _beam_cluster_model_new_fed ("a@h");
  BeamClusterNode *a, *c, *e;

  feed_round (model, full_mesh, 1);
  a = beam_cluster_model_find_node (model, "a@h");
  c = beam_cluster_model_find_node (model, "c@h");
  e = beam_cluster_model_find_node (model, "e@h");
  g_assert_cmpfloat (beam_cluster_model_get_median (model, BEAM_CLUSTER_COLUMN_MEMORY), ==,
                     40 * MiB);

  /* c holds 300 MiB of binaries: memory and binary stand out there only. */
  feed_with_memory (model, "c@h", full_mesh[5], 2, 340 * MiB, 301 * MiB);
  for (guint i = 0; i < 5; i++)
    {
      g_autoptr(BeamClusterNode) node =
        g_list_model_get_item (beam_cluster_model_get_nodes (model), i);
      guint expected = node == c ? (1u << BEAM_CLUSTER_COLUMN_MEMORY) |
                                   (1u << BEAM_CLUSTER_COLUMN_BINARY) : 0;

      g_assert_cmpuint (beam_cluster_node_get_outliers (node), ==, expected);
    }
  g_assert_cmpfloat_with_epsilon (
    beam_cluster_node_get_outlier_factor (c, BEAM_CLUSTER_COLUMN_MEMORY), 340.0 / 40, 1e-9);
  g_assert_true (isnan (beam_cluster_node_get_outlier_factor (c, BEAM_CLUSTER_COLUMN_ETS)));
  g_assert_true (isnan (beam_cluster_node_get_outlier_factor (a, BEAM_CLUSTER_COLUMN_MEMORY)));

  /* Three times a small median under the floor is noise. */
  feed_with_memory (model, "c@h", full_mesh[5], 3, 40 * MiB, 10 * MiB);
  g_assert_cmpuint (beam_cluster_node_get_outliers (c), ==, 0);

  /* A recent restart: uptime far under the median. */
  {
    BeamClusterSample *restarted = new_sample ("e@h", full_mesh[9], 4);

    restarted->creation = 2;
    restarted->uptime_ms = 5000;
    _beam_cluster_model_feed (model, "e@h", restarted);
    g_assert_cmpuint (beam_cluster_node_get_outliers (e), ==, 1u << BEAM_CLUSTER_COLUMN_UPTIME);
    /* A new incarnation: no utilisation until its second sample. */
    g_assert_cmpfloat (beam_cluster_node_get_usage (e), ==, -1);
  }

  /* Utilisation 30 points over the median. */
  _beam_cluster_model_feed (model, "b@h", new_sample ("b@h", full_mesh[3], 5));
  _beam_cluster_model_feed (model, "d@h", new_sample ("d@h", full_mesh[7], 5));
  {
    BeamClusterSample *busy = new_sample ("a@h", full_mesh[1], 5);
    BeamWallTime *wall = &g_array_index (busy->wall, BeamWallTime, 0);

    /* Between tick 1 and 5, scheduler 1 busy all along, 2 half. */
    wall[0].active = 1 * 500 + 4 * 1000;
    _beam_cluster_model_feed (model, "a@h", busy);
    g_assert_cmpfloat_with_epsilon (beam_cluster_node_get_usage (a), 0.75, 1e-9);
    g_assert_false (beam_cluster_node_get_outliers (a) & (1u << BEAM_CLUSTER_COLUMN_USAGE));
    busy = new_sample ("a@h", full_mesh[1], 6);
    wall = &g_array_index (busy->wall, BeamWallTime, 0);
    wall[0].active = 1 * 500 + 5 * 1000;
    wall[1].active = 5 * 500 + 1000;
    _beam_cluster_model_feed (model, "a@h", busy);
    g_assert_cmpfloat_with_epsilon (beam_cluster_node_get_usage (a), 1.0, 1e-9);
    g_assert_true (beam_cluster_node_get_outliers (a) & (1u << BEAM_CLUSTER_COLUMN_USAGE));
    g_assert_cmpfloat_with_epsilon (
      beam_cluster_node_get_outlier_factor (a, BEAM_CLUSTER_COLUMN_USAGE), 50, 1e-6);
  }

  /* Fewer than three connected nodes: nothing stands out. */
  _beam_cluster_model_feed_down (model, "b@h", "gone");
  _beam_cluster_model_feed_down (model, "d@h", "gone");
  _beam_cluster_model_feed (model, "e@h", NULL);
  g_assert_cmpuint (beam_cluster_node_get_outliers (a), ==, 0);
}

static void
test_fed_incarnation (void)
{
  g_autoptr(BeamClusterModel) model = _beam_cluster_model_new_fed ("a@h");
  BeamClusterNode *a = beam_cluster_model_find_node (model, "a@h");
  BeamClusterSample *scanned, *plain, *reborn;
  g_autoptr(GVariant) trend = NULL;

  for (guint tick = 1; tick <= 4; tick++)
    _beam_cluster_model_feed (model, "a@h", new_sample ("a@h", "", tick));
  trend = g_variant_ref_sink (beam_cluster_node_dup_trend (a, BEAM_CLUSTER_COLUMN_USAGE));
  g_assert_cmpuint (g_variant_n_children (trend), ==, 3);
  g_clear_pointer (&trend, g_variant_unref);

  /* A plain sample shows the last scan's longest queue. */
  scanned = new_sample ("a@h", "", 5);
  scanned->scanned = TRUE;
  scanned->max_queue = 1500;
  scanned->max_queue_pid = g_strdup ("<0.88.0>");
  scanned->max_queue_name = g_strdup ("beamscope_mailbox");
  scanned->reductions = 24000;
  _beam_cluster_model_feed (model, "a@h", scanned);
  plain = new_sample ("a@h", "", 6);
  _beam_cluster_model_feed (model, "a@h", plain);
  g_assert_cmpint (beam_cluster_node_get_sample (a)->max_queue, ==, 1500);
  g_assert_cmpstr (beam_cluster_node_get_sample (a)->max_queue_name, ==, "beamscope_mailbox");
  g_assert_cmpfloat (beam_cluster_node_get_value (a, BEAM_CLUSTER_COLUMN_MAX_QUEUE), ==, 1500);

  /* Restarted: the trends and the sample before go. */
  reborn = new_sample ("a@h", "", 1);
  reborn->creation = 7;
  _beam_cluster_model_feed (model, "a@h", reborn);
  trend = g_variant_ref_sink (beam_cluster_node_dup_trend (a, BEAM_CLUSTER_COLUMN_USAGE));
  g_assert_cmpuint (g_variant_n_children (trend), ==, 0);
  g_assert_cmpfloat (beam_cluster_node_get_usage (a), ==, -1);
  g_assert_cmpint (beam_cluster_node_get_sample (a)->max_queue, ==, -1);
  g_assert_cmpuint (beam_cluster_node_get_samples (a), ==, 7);
  reborn = new_sample ("a@h", "", 2);
  reborn->creation = 7;
  _beam_cluster_model_feed (model, "a@h", reborn);
  g_assert_cmpfloat_with_epsilon (beam_cluster_node_get_usage (a), 0.5, 1e-9);

  /* The ring keeps history-minutes of points at the interval. */
  beam_cluster_model_set_interval_ms (model, 60000);
  beam_cluster_model_set_history_minutes (model, 2);
  for (guint tick = 3; tick <= 10; tick++)
    {
      reborn = new_sample ("a@h", "", tick);
      reborn->creation = 7;
      _beam_cluster_model_feed (model, "a@h", reborn);
    }
  g_clear_pointer (&trend, g_variant_unref);
  trend = g_variant_ref_sink (beam_cluster_node_dup_trend (a, BEAM_CLUSTER_COLUMN_RUN_QUEUE));
  g_assert_cmpuint (g_variant_n_children (trend), ==, 2);
}

static void
test_fed_states (void)
{
  g_autoptr(BeamClusterModel) model = _beam_cluster_model_new_fed ("a@h");
  GListModel *nodes = beam_cluster_model_get_nodes (model);
  BeamClusterNode *d;
  guint items_changed = 0, state_notifies = 0;
  g_autoptr(GPtrArray) partitions = NULL;

  feed_round (model, full_mesh, 1);
  feed_round (model, full_mesh, 2);
  d = beam_cluster_model_find_node (model, "d@h");
  g_signal_connect (nodes, "items-changed", G_CALLBACK (count_items_changed), &items_changed);
  g_signal_connect (d, "notify::state", G_CALLBACK (beam_test_count_notify), &state_notifies);

  /* A missed deadline: not answering, with its last figures. */
  _beam_cluster_model_feed (model, "d@h", NULL);
  g_assert_cmpint (beam_cluster_node_get_state (d), ==, BEAM_CLUSTER_NODE_NOT_ANSWERING);
  g_assert_nonnull (beam_cluster_node_get_reason (d));
  g_assert_nonnull (beam_cluster_node_get_sample (d));
  g_assert_cmpuint (beam_cluster_model_get_n_not_answering (model), ==, 1);
  g_assert_cmpint (link_between (model, "a@h", "d@h"), ==, BEAM_CLUSTER_LINK_UNKNOWN);
  partitions = beam_cluster_model_dup_partitions (model);
  g_assert_cmpuint (partitions->len, ==, 1);
  g_assert_cmpuint (g_strv_length (g_ptr_array_index (partitions, 0)), ==, 4);

  _beam_cluster_model_feed (model, "d@h", new_sample ("d@h", full_mesh[7], 3));
  g_assert_cmpint (beam_cluster_node_get_state (d), ==, BEAM_CLUSTER_NODE_CONNECTED);
  g_assert_null (beam_cluster_node_get_reason (d));

  _beam_cluster_model_feed_down (model, "d@h", "connection lost");
  g_assert_cmpint (beam_cluster_node_get_state (d), ==, BEAM_CLUSTER_NODE_DOWN);
  g_assert_cmpstr (beam_cluster_node_get_reason (d), ==, "connection lost");
  g_assert_cmpuint (beam_cluster_model_get_n_down (model), ==, 1);
  g_assert_cmpuint (beam_cluster_model_get_n_not_answering (model), ==, 0);
  g_assert_cmpuint (state_notifies, ==, 3);
  /* Rows change in place. */
  g_assert_cmpuint (items_changed, ==, 0);

  /* The others drop it from their lists: no anomaly for a node that is down. */
  {
    const char *without_d[] = {
      "a@h", "b@h c@h e@h", "b@h", "a@h c@h e@h", "c@h", "a@h b@h e@h",
      "e@h", "a@h b@h c@h", NULL
    };

    feed_round (model, without_d, 4);
    feed_round (model, without_d, 5);
  }
  g_assert_cmpuint (beam_cluster_model_get_anomalies (model)->len, ==, 0);
  g_assert_nonnull (beam_cluster_model_find_node (model, "d@h"));

  beam_cluster_model_forget_down (model);
  g_assert_null (beam_cluster_model_find_node (model, "d@h"));
  g_assert_cmpuint (g_list_model_get_n_items (nodes), ==, 4);
  g_assert_cmpuint (items_changed, ==, 1);
  g_assert_cmpuint (beam_cluster_model_get_n_down (model), ==, 0);
  g_assert_cmpint (link_between (model, "c@h", "e@h"), ==, BEAM_CLUSTER_LINK_BOTH);

  /* A name seen again is a new row, with no history of the old one. */
  feed_round (model, full_mesh, 6);
  g_assert_cmpuint (g_list_model_get_n_items (nodes), ==, 5);
  d = beam_cluster_model_find_node (model, "d@h");
  g_assert_cmpuint (beam_cluster_node_get_samples (d), ==, 1);
  g_assert_cmpfloat (beam_cluster_node_get_usage (d), ==, -1);
}

static void
test_fed_hidden_and_bounds (void)
{
  g_autoptr(BeamClusterModel) model = _beam_cluster_model_new_fed ("a@h");
  BeamClusterSample *a, *b;
  GPtrArray *hidden;
  const BeamClusterHidden *shell;

  a = new_sample ("a@h", "b@h", 1);
  g_strfreev (a->hidden);
  a->hidden = g_strsplit ("shell@h tool@h", " ", -1);
  b = new_sample ("b@h", "a@h", 1);
  g_strfreev (b->hidden);
  b->hidden = g_strsplit ("shell@h", " ", -1);
  _beam_cluster_model_feed (model, "b@h", b);
  _beam_cluster_model_feed (model, "a@h", a);
  hidden = beam_cluster_model_get_hidden (model);
  g_assert_cmpuint (hidden->len, ==, 2);
  shell = g_ptr_array_index (hidden, 0);
  g_assert_cmpstr (shell->node, ==, "shell@h");
  g_assert_cmpstrv ((const char * const *) shell->seen_by,
                    ((const char * const []) { "a@h", "b@h", NULL }));
  g_assert_cmpint (shell->first_seen_us, >, 0);
  /* Hidden nodes are not joined as members. */
  g_assert_null (beam_cluster_model_find_node (model, "shell@h"));

  /* max-nodes: the rest are counted, not listed. */
  beam_cluster_model_set_max_nodes (model, 3);
  _beam_cluster_model_feed (model, "a@h", new_sample ("a@h", "b@h c@h d@h e@h", 2));
  g_assert_cmpuint (g_list_model_get_n_items (beam_cluster_model_get_nodes (model)), ==, 3);
  g_assert_cmpuint (beam_cluster_model_get_n_not_joined (model), ==, 2);
}

/* The CLI's document: the keys per node, plus the model's. */
static void
test_fed_json (void)
{
  g_autoptr(BeamClusterModel) model = _beam_cluster_model_new_fed ("a@h");
  const char *missing[] = {
    "a@h", "b@h c@h d@h e@h", "b@h", "a@h d@h e@h", "c@h", "a@h d@h e@h",
    "d@h", "a@h b@h c@h e@h", "e@h", "a@h b@h c@h d@h", NULL
  };
  static const char *node_keys[] = {
    "node", "state", "otp_release", "uptime_ms", "process_count", "process_limit",
    "memory_total", "run_queue", "scheduler_usage", "max_message_queue", "sees",
    "in_cluster", "reason", "memory_binary", "memory_ets", "atom_count", "atom_limit",
    "max_message_queue_pid", "max_message_queue_name", "sample_reductions", NULL
  };
  g_autoptr(JsonNode) json = NULL;
  g_autoptr(GDateTime) first_seen = NULL;
  JsonObject *root, *node, *link;
  JsonArray *nodes, *links;

  feed_round (model, full_mesh, 1);
  feed_round (model, missing, 2);
  feed_round (model, missing, 3);
  _beam_cluster_model_feed (model, "e@h", NULL);
  _beam_cluster_model_feed_down (model, "d@h", "connection lost");

  json = beam_cluster_model_to_json (model);
  root = json_node_get_object (json);
  g_assert_cmpstr (json_object_get_string_member (root, "seed"), ==, "a@h");
  nodes = json_object_get_array_member (root, "nodes");
  g_assert_cmpuint (json_array_get_length (nodes), ==, 5);
  for (guint i = 0; i < 5; i++)
    for (guint k = 0; node_keys[k] != NULL; k++)
      g_assert_true (json_object_has_member (json_array_get_object_element (nodes, i),
                                             node_keys[k]));

  node = json_array_get_object_element (nodes, 0);
  g_assert_cmpstr (json_object_get_string_member (node, "node"), ==, "a@h");
  g_assert_cmpstr (json_object_get_string_member (node, "state"), ==, "connected");
  g_assert_true (json_object_get_boolean_member (node, "in_cluster"));
  g_assert_true (json_object_get_null_member (node, "reason"));
  g_assert_cmpstr (json_object_get_string_member (node, "otp_release"), ==, "25");
  g_assert_cmpint (json_object_get_int_member (node, "memory_total"), ==, 40 * MiB);
  g_assert_cmpint (json_object_get_int_member (node, "process_limit"), ==, 262144);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (node, "scheduler_usage"),
                                  0.5, 1e-9);
  g_assert_true (json_object_get_null_member (node, "max_message_queue"));
  g_assert_true (json_object_get_null_member (node, "sample_reductions"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (node, "sees")), ==, 4);

  node = json_array_get_object_element (nodes, 3);
  g_assert_cmpstr (json_object_get_string_member (node, "state"), ==, "down");
  g_assert_cmpstr (json_object_get_string_member (node, "reason"), ==, "connection lost");
  node = json_array_get_object_element (nodes, 4);
  g_assert_cmpstr (json_object_get_string_member (node, "state"), ==, "not_answering");

  links = json_object_get_array_member (root, "links");
  g_assert_cmpuint (json_array_get_length (links), ==, 1);
  link = json_array_get_object_element (links, 0);
  g_assert_cmpstr (json_object_get_string_member (link, "from"), ==, "b@h");
  g_assert_cmpstr (json_object_get_string_member (link, "to"), ==, "c@h");
  g_assert_cmpstr (json_object_get_string_member (link, "kind"), ==, "missing");
  g_assert_false (json_object_get_boolean_member (link, "left"));
  g_assert_true (json_object_get_boolean_member (link, "open"));
  first_seen = g_date_time_new_from_iso8601 (json_object_get_string_member (link,
                                                                             "first_seen"),
                                             NULL);
  g_assert_nonnull (first_seen);
  g_assert_cmpint (ABS (g_date_time_to_unix (first_seen) - g_get_real_time () / G_USEC_PER_SEC),
                   <=, 2);

  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "hidden")), ==, 0);
  /* The not answering and the down node are in no partition. */
  {
    JsonArray *partitions = json_object_get_array_member (root, "partitions");

    g_assert_cmpuint (json_array_get_length (partitions), ==, 1);
    g_assert_cmpuint (json_array_get_length (json_array_get_array_element (partitions, 0)),
                      ==, 3);
  }
}

/* BeamNode holds one model for its window, made on first ask and stopped
 * when the window lets the node go. */
static void
test_node_cluster (void)
{
  g_autoptr(BeamConnection) connection = beam_connection_new ("nobody@nowhere", "secret");
  g_autoptr(BeamNode) node = beam_node_new (connection, TRUE);
  BeamClusterModel *cluster;

  beam_node_set_cookie (node, "secret");
  cluster = beam_node_get_cluster (node);
  g_assert_true (BEAM_IS_CLUSTER_MODEL (cluster));
  g_assert_true (beam_node_get_cluster (node) == cluster);
  g_object_add_weak_pointer (G_OBJECT (cluster), (gpointer *) &cluster);
  beam_node_close (node);
  g_clear_object (&node);
  g_assert_null (cluster);
}


/* Lines of the node's log that say it rejected one of our connections. */
static guint
rejections_of_us (BeamTestNode *node)
{
  g_autofree char *path = g_build_filename (node->dir, "node.log", NULL);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  guint n = 0;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return 0;
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (strstr (lines[i], "rejected") != NULL && strstr (lines[i], "beamscope_") != NULL)
      n++;
  return n;
}

static gboolean
rejection_named_us (gpointer data)
{
  return rejections_of_us (data) > 0;
}

static gboolean
is_cookie_rejected (gpointer data)
{
  return g_strcmp0 (beam_cluster_node_get_reason (data), "cookie rejected") == 0;
}

static gboolean
is_partitioned (gpointer data)
{
  g_autoptr(GPtrArray) partitions = beam_cluster_model_dup_partitions (data);

  return partitions->len > 1;
}


/* Against real clusters: 5 fixture nodes with net_ticktime 4, joined by
 * the model from the first. */

#define INTERVAL_MS 500

typedef struct
{
  GPtrArray        *cluster;   /* BeamTestNode */
  BeamConnection   *seed;
  BeamClusterModel *model;
  guint             sampled;
} Cluster;

static void
cluster_start (Cluster  *c,
               gboolean  overlapping)
{
  g_autoptr(GError) error = NULL;
  const char *flag_off[] = { "-kernel", "net_ticktime", "4",
                             "-kernel", "prevent_overlapping_partitions", "false", NULL };
  const char *flag_default[] = { "-kernel", "net_ticktime", "4", NULL };
  BeamTestNode *first;

  c->cluster = beam_test_cluster_start (5, FALSE, overlapping ? flag_default : flag_off, &error);
  g_assert_no_error (error);
  first = c->cluster->pdata[0];
  c->seed = beam_test_node_connect (first);
  c->model = beam_cluster_model_new (c->seed, first->cookie);
  /* Not the other test nodes on this host: every join costs a node a line
   * in its log, and other tests count those. */
  beam_cluster_model_set_join_epmd_others (c->model, FALSE);
  beam_cluster_model_set_interval_ms (c->model, INTERVAL_MS);
  g_signal_connect (c->model, "sampled", G_CALLBACK (count_signal), &c->sampled);
  g_assert_cmpstr (beam_cluster_model_get_seed_name (c->model), ==, first->name);
  beam_cluster_model_start (c->model);
}

static void
cluster_clear (Cluster *c)
{
  beam_cluster_model_stop (c->model);
  g_assert_finalize_object (c->model);
  beam_connection_close (c->seed);
  g_clear_object (&c->seed);
  g_clear_pointer (&c->cluster, g_ptr_array_unref);
}

static BeamClusterNode *
row_of (Cluster      *c,
        BeamTestNode *node)
{
  return beam_cluster_model_find_node (c->model, node->name);
}

typedef struct
{
  Cluster              *cluster;
  BeamTestNode         *node;
  BeamClusterNodeState  state;
} StateCheck;

static gboolean
is_in_state (gpointer data)
{
  StateCheck *check = data;
  BeamClusterNode *row = row_of (check->cluster, check->node);

  return row != NULL && beam_cluster_node_get_state (row) == check->state;
}

/* Every live node of the cluster connected with two samples (a usage). */
static gboolean
all_connected (gpointer data)
{
  Cluster *c = data;

  for (guint i = 0; i < c->cluster->len; i++)
    {
      BeamTestNode *node = c->cluster->pdata[i];
      BeamClusterNode *row = node->pid > 0 ? row_of (c, node) : NULL;

      if (node->pid <= 0)
        continue;
      if (row == NULL || beam_cluster_node_get_state (row) != BEAM_CLUSTER_NODE_CONNECTED ||
          beam_cluster_node_get_samples (row) < 2)
        return FALSE;
    }
  return TRUE;
}

/* The rows of nodes in the cluster: EPMD also lists other tests' nodes. */
static guint
n_in_cluster (BeamClusterModel *model)
{
  GListModel *rows = beam_cluster_model_get_nodes (model);
  guint n = 0;

  for (guint i = 0; i < g_list_model_get_n_items (rows); i++)
    {
      g_autoptr(BeamClusterNode) row = g_list_model_get_item (rows, i);

      n += beam_cluster_node_get_in_cluster (row);
    }
  return n;
}

static gboolean
is_settled (gpointer data)
{
  return beam_cluster_model_get_settled (data);
}

static void
call_on (BeamTestNode *node,
         const char   *module,
         const char   *function,
         const char   *args)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = beam_test_node_erl_call (node, module, function, args, &error);

  g_assert_no_error (error);
}

static guint
n_partitions (BeamClusterModel *model)
{
  g_autoptr(GPtrArray) partitions = beam_cluster_model_dup_partitions (model);

  return partitions->len;
}

typedef struct
{
  Cluster      *cluster;
  BeamTestNode *a;
  BeamTestNode *b;
  BeamClusterLink link;
} LinkCheck;

static gboolean
has_link (gpointer data)
{
  LinkCheck *check = data;

  return link_between (check->cluster->model, check->a->name, check->b->name) == check->link;
}

static gboolean
memory_stands_out (gpointer data)
{
  StateCheck *check = data;

  return beam_cluster_node_get_outliers (row_of (check->cluster, check->node)) &
         (1u << BEAM_CLUSTER_COLUMN_MEMORY);
}

/* What the issue asks of the page, against 5 nodes: all listed with their
 * figures, an outlier, a partition on one side and healed, a node joining,
 * one with another cookie, one killed, one stopped; and nothing of ours
 * left on the nodes after stop(). */
static void
test_cluster (void)
{
  Cluster c = { 0 };
  BeamTestNode *n0, *n1, *n2, *n3, *n4;
  gint64 t0;

  cluster_start (&c, FALSE);
  n0 = c.cluster->pdata[0];
  n1 = c.cluster->pdata[1];
  n2 = c.cluster->pdata[2];
  n3 = c.cluster->pdata[3];
  n4 = c.cluster->pdata[4];

  /* 1. Every node, with its figures, within 10 s. */
  t0 = g_get_monotonic_time ();
  beam_test_wait_until (all_connected, &c, 10000 * BEAM_TEST_SLOWDOWN);
  g_test_message ("5 nodes connected with 2 samples each in %.0f ms",
                  (g_get_monotonic_time () - t0) / 1000.0);
  beam_test_wait_until (is_settled, c.model, 5000 * BEAM_TEST_SLOWDOWN);
  g_assert_cmpuint (n_in_cluster (c.model), ==, 5);
  for (guint i = 0; i < 5; i++)
    {
      BeamClusterNode *row = row_of (&c, c.cluster->pdata[i]);
      guint index = index_of (c.model, ((BeamTestNode *) c.cluster->pdata[i])->name);
      const BeamClusterSample *s = beam_cluster_node_get_sample (row);
      double usage = beam_cluster_node_get_usage (row);

      g_assert_true (beam_cluster_node_get_in_cluster (row));
      g_assert_null (beam_cluster_node_get_reason (row));
      g_assert_cmpstr (s->otp_release, ==, "25");
      g_assert_cmpint (s->uptime_ms, >, 0);
      g_assert_cmpint (s->process_count, <=, s->process_limit);
      g_assert_cmpint (s->memory_total, >=, s->memory_binary + s->memory_ets);
      g_assert_cmpfloat (usage, >=, 0);
      g_assert_cmpfloat (usage, <=, 1);
      /* The first sample scans: the fixture's 1500-message mailbox. */
      g_assert_cmpint (s->max_queue, >=, 1500);
      g_assert_cmpstr (s->max_queue_name, ==, "beamscope_mailbox");
      g_assert_cmpint (s->reductions, >, 0);
      g_assert_cmpuint (g_strv_length (s->visible), ==, 4);
      for (guint j = 0; j < 5; j++)
        {
          guint other = index_of (c.model, ((BeamTestNode *) c.cluster->pdata[j])->name);

          g_assert_cmpint (beam_cluster_model_get_link (c.model, index, other), ==,
                           i == j ? BEAM_CLUSTER_LINK_SELF : BEAM_CLUSTER_LINK_BOTH);
        }
    }
  g_assert_cmpuint (n_partitions (c.model), ==, 1);
  g_assert_cmpuint (beam_cluster_model_get_anomalies (c.model)->len, ==, 0);
  g_assert_cmpuint (beam_cluster_model_get_n_down (c.model), ==, 0);
  /* Our own connections are no hidden node of theirs. */
  for (guint i = 0; i < beam_cluster_model_get_hidden (c.model)->len; i++)
    g_assert_false (g_str_has_prefix (
      ((BeamClusterHidden *) g_ptr_array_index (beam_cluster_model_get_hidden (c.model),
                                                i))->node, "beamscope_"));

  /* "sampled" once per burst, not once per answer. */
  {
    guint answers = 0, sampled = c.sampled;

    for (guint i = 0; i < 5; i++)
      answers -= beam_cluster_node_get_samples (row_of (&c, c.cluster->pdata[i]));
    beam_test_run_for (3000);
    for (guint i = 0; i < 5; i++)
      answers += beam_cluster_node_get_samples (row_of (&c, c.cluster->pdata[i]));
    g_test_message ("3 s: %u answers, %u \"sampled\"", answers, c.sampled - sampled);
    g_assert_cmpuint (answers, >=, 5 * 4);
    g_assert_cmpuint (c.sampled - sampled, <=, answers / 3);
  }

  /* 2. An outlier: n2 holds 150 MB of binaries (3 x the median is about
   * 100 MB; the floor is 64 MiB). */
  {
    StateCheck check = { &c, n2, 0 };

    call_on (n2, "beamscope_fixture", "binary_garbage", "[150000000]");
    t0 = g_get_monotonic_time ();
    beam_test_wait_until (memory_stands_out, &check, 5000 * BEAM_TEST_SLOWDOWN);
    g_test_message ("memory outlier shown in %.0f ms, %.1f x the median",
                    (g_get_monotonic_time () - t0) / 1000.0,
                    beam_cluster_node_get_outlier_factor (row_of (&c, n2),
                                                          BEAM_CLUSTER_COLUMN_MEMORY));
    for (guint i = 0; i < 5; i++)
      if (c.cluster->pdata[i] != n2)
        g_assert_false (beam_cluster_node_get_outliers (row_of (&c, c.cluster->pdata[i])) &
                        (1u << BEAM_CLUSTER_COLUMN_MEMORY));
  }

  /* 3. A partition on one side, with the flag off: one missing link, one
   * partition still, since both reach the others; healed, it closes. */
  {
    LinkCheck missing = { &c, n1, n2, BEAM_CLUSTER_LINK_MISSING };
    LinkCheck both = { &c, n1, n2, BEAM_CLUSTER_LINK_BOTH };
    g_autofree char *args = g_strdup_printf ("['%s']", n2->name);
    const BeamClusterAnomaly *anomaly;
    gint64 before = g_get_real_time ();

    call_on (n1, "erlang", "disconnect_node", args);
    t0 = g_get_monotonic_time ();
    beam_test_wait_until (has_link, &missing, (4 * INTERVAL_MS + 1000) * BEAM_TEST_SLOWDOWN);
    g_test_message ("missing link shown in %.0f ms", (g_get_monotonic_time () - t0) / 1000.0);
    g_assert_cmpuint (n_partitions (c.model), ==, 1);
    g_assert_cmpuint (count_open (c.model), ==, 1);
    anomaly = g_ptr_array_index (beam_cluster_model_get_anomalies (c.model), 0);
    g_assert_cmpint (anomaly->kind, ==, BEAM_CLUSTER_LINK_MISSING);
    g_assert_false (anomaly->left);
    g_assert_true (anomaly->open);
    g_assert_cmpstr (anomaly->from, ==, strcmp (n1->name, n2->name) < 0 ? n1->name
                                                                              : n2->name);
    g_assert_cmpint (anomaly->first_seen_us, >=, before);
    g_assert_cmpint (anomaly->first_seen_us, <=, g_get_real_time ());

    call_on (n1, "net_kernel", "connect_node", args);
    beam_test_wait_until (has_link, &both, (4 * INTERVAL_MS + 1000) * BEAM_TEST_SLOWDOWN);
    g_assert_false (anomaly->open);
    g_assert_cmpint (anomaly->last_seen_us, >=, anomaly->first_seen_us);
    g_assert_cmpuint (count_open (c.model), ==, 0);
  }

  /* 4. A node joining later appears, connected. */
  {
    g_autoptr(GError) error = NULL;
    BeamTestNode *joiner = beam_test_cluster_add (c.cluster, n3, &error);
    StateCheck check = { &c, NULL, BEAM_CLUSTER_NODE_CONNECTED };

    g_assert_no_error (error);
    check.node = joiner;
    t0 = g_get_monotonic_time ();
    beam_test_wait_until (is_in_state, &check, 5000 * BEAM_TEST_SLOWDOWN);
    g_test_message ("a joining node connected %.0f ms after it joined",
                    (g_get_monotonic_time () - t0) / 1000.0);
    g_assert_true (beam_cluster_node_get_in_cluster (row_of (&c, joiner)));
    g_assert_cmpuint (n_in_cluster (c.model), ==, 6);
  }

  /* 5. A node on the host EPMD lists, with another cookie: not in the
   * cluster, not joined; then connected to n0 with its own cookie, so in
   * the cluster: joined once, "cookie rejected", never again. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(BeamTestNode) lone = beam_test_node_start (NULL, &error);
    StateCheck listed = { &c, NULL, BEAM_CLUSTER_NODE_DOWN };
    g_autofree char *cookie_args = NULL;
    g_autofree char *node_args = NULL;
    BeamClusterNode *row;
    guint rejections;

    g_assert_no_error (error);
    listed.node = lone;
    /* EPMD is asked every 10 s. */
    beam_test_wait_until (is_in_state, &listed, 12000 * BEAM_TEST_SLOWDOWN);
    row = row_of (&c, lone);
    g_assert_false (beam_cluster_node_get_in_cluster (row));
    g_assert_cmpuint (beam_cluster_model_get_n_down (c.model), ==, 0);

    cookie_args = g_strdup_printf ("['%s', '%s']", lone->name, lone->cookie);
    node_args = g_strdup_printf ("['%s']", lone->name);
    call_on (n0, "erlang", "set_cookie", cookie_args);
    call_on (n0, "net_kernel", "connect_node", node_args);
    beam_test_wait_until (is_cookie_rejected, row, 5000 * BEAM_TEST_SLOWDOWN);
    g_assert_true (beam_cluster_node_get_in_cluster (row));
    g_assert_cmpint (beam_cluster_node_get_state (row), ==, BEAM_CLUSTER_NODE_DOWN);
    beam_test_wait_until (rejection_named_us, lone, 5000 * BEAM_TEST_SLOWDOWN);
    beam_test_run_for (500);
    rejections = rejections_of_us (lone);
    g_test_message ("rejections logged for our one attempt: %u", rejections);
    /* Never retried: after more than two retry delays, no more. */
    beam_test_run_for (5000);
    g_assert_cmpuint (rejections_of_us (lone), ==, rejections);
    g_assert_cmpstr (beam_cluster_node_get_reason (row), ==, "cookie rejected");
    g_assert_cmpuint (beam_cluster_model_get_n_down (c.model), ==, 1);
    call_on (n0, "erlang", "disconnect_node", node_args);
    beam_test_node_kill (lone, SIGKILL);
  }

  /* 6. One killed: down within 3 s, the others keep sampling; kept until
   * forgotten. */
  {
    StateCheck down = { &c, n4, BEAM_CLUSTER_NODE_DOWN };
    guint before[4];

    beam_test_node_kill (n4, SIGKILL);
    t0 = g_get_monotonic_time ();
    beam_test_wait_until (is_in_state, &down, 3000 * BEAM_TEST_SLOWDOWN);
    g_test_message ("killed node down in %.0f ms", (g_get_monotonic_time () - t0) / 1000.0);
    for (guint i = 0; i < 4; i++)
      before[i] = beam_cluster_node_get_samples (row_of (&c, c.cluster->pdata[i]));
    beam_test_run_for (5000);
    for (guint i = 0; i < 4; i++)
      g_assert_cmpuint (beam_cluster_node_get_samples (row_of (&c, c.cluster->pdata[i])),
                        >=, before[i] + 2);
    g_assert_nonnull (row_of (&c, n4));
    beam_cluster_model_forget_down (c.model);
    g_assert_null (row_of (&c, n4));
  }

  /* 7. One stopped: not answering within 2 intervals and a second, the
   * others refreshed on time meanwhile; running again, connected. */
  {
    StateCheck stopped = { &c, n3, BEAM_CLUSTER_NODE_NOT_ANSWERING };
    StateCheck running = { &c, n3, BEAM_CLUSTER_NODE_CONNECTED };
    BeamTestNode *others[] = { n0, n1, n2 };
    guint before[G_N_ELEMENTS (others)];
    double found_ms;

    beam_test_node_kill (n3, SIGSTOP);
    t0 = g_get_monotonic_time ();
    beam_test_wait_until (is_in_state, &stopped, (2 * INTERVAL_MS + 1000) * BEAM_TEST_SLOWDOWN);
    found_ms = (g_get_monotonic_time () - t0) / 1000.0;
    g_test_message ("stopped node not answering in %.0f ms", found_ms);
    for (guint i = 0; i < G_N_ELEMENTS (others); i++)
      before[i] = beam_cluster_node_get_samples (row_of (&c, others[i]));
    beam_test_run_for (2000);
    for (guint i = 0; i < G_N_ELEMENTS (others); i++)
      g_assert_cmpuint (beam_cluster_node_get_samples (row_of (&c, others[i])), >=,
                        before[i] + 2);
    kill (n3->pid, SIGCONT);
    beam_test_wait_until (is_in_state, &running, 10000 * BEAM_TEST_SLOWDOWN);
  }

  /* 8. Stopped: our holders and connections go from the nodes. */
  {
    BeamTestNode *rest[] = { n1, n2, n3 };

    beam_cluster_model_stop (c.model);
    beam_test_run_for (2000);
    for (guint i = 0; i < G_N_ELEMENTS (rest); i++)
      {
        g_autoptr(GError) error = NULL;
        g_autofree char *hidden = beam_test_node_erl_call (rest[i], "erlang", "nodes",
                                                           "[hidden]", &error);

        g_assert_no_error (error);
        g_assert_null (strstr (hidden, "beamscope_"));
        beam_test_node_call_expecting (rest[i], "erlang", "statistics",
                                       "[scheduler_wall_time]", "undefined");
      }
    /* The seed's connection stays (the window's); its holder went. */
    beam_test_node_call_expecting (n0, "erlang", "statistics", "[scheduler_wall_time]",
                                   "undefined");
    g_assert_cmpint (beam_connection_get_state (c.seed), ==, BEAM_CONNECTION_STATE_CONNECTED);
  }
  cluster_clear (&c);
}

/* OTP 25's default, prevent_overlapping_partitions: a disconnect on one
 * side makes global cut the nodes apart. The plan measured both nodes
 * leaving the whole cluster, three partitions; here it is that in most runs
 * and, in some, only one of the two cut off (global decides on each node
 * which connections to drop). Each node alone is a partition of its own and
 * named as having left, still connected to us. */
static void
test_cluster_overlapping (void)
{
  Cluster c = { 0 };
  BeamTestNode *n1, *n2;
  g_autofree char *args = NULL;
  g_autoptr(GPtrArray) partitions = NULL;
  GPtrArray *anomalies;
  guint alone = 0, left = 0;
  gint64 t0;

  cluster_start (&c, TRUE);
  n1 = c.cluster->pdata[1];
  n2 = c.cluster->pdata[2];
  beam_test_wait_until (all_connected, &c, 10000 * BEAM_TEST_SLOWDOWN);

  args = g_strdup_printf ("['%s']", n2->name);
  call_on (n1, "erlang", "disconnect_node", args);
  t0 = g_get_monotonic_time ();
  beam_test_wait_until (is_partitioned, c.model, 8000 * BEAM_TEST_SLOWDOWN);
  g_test_message ("partitions shown in %.0f ms", (g_get_monotonic_time () - t0) / 1000.0);
  /* As many samples again as global and the debounce take. */
  beam_test_run_for (4 * INTERVAL_MS + 1000);

  partitions = beam_cluster_model_dup_partitions (c.model);
  g_assert_cmpuint (partitions->len, >=, 2);
  g_assert_cmpuint (partitions->len, <=, 3);
  g_assert_cmpuint (g_strv_length (g_ptr_array_index (partitions, 0)), ==,
                    6 - partitions->len);
  for (guint i = 1; i < partitions->len; i++)
    {
      GStrv names = g_ptr_array_index (partitions, i);

      g_assert_cmpuint (g_strv_length (names), ==, 1);
      g_assert_true (g_str_equal (names[0], n1->name) || g_str_equal (names[0], n2->name));
      alone++;
    }
  g_test_message ("%u partitions: %u node(s) cut off", partitions->len, alone);

  anomalies = beam_cluster_model_get_anomalies (c.model);
  for (guint i = 0; i < anomalies->len; i++)
    {
      const BeamClusterAnomaly *anomaly = g_ptr_array_index (anomalies, i);

      if (!anomaly->open)
        continue;
      g_assert_true (anomaly->left);
      g_assert_true (g_str_equal (anomaly->from, n1->name) ||
                     g_str_equal (anomaly->from, n2->name));
      left++;
    }
  g_assert_cmpuint (left, ==, alone);
  g_assert_cmpint (beam_cluster_node_get_state (row_of (&c, n1)), ==,
                   BEAM_CLUSTER_NODE_CONNECTED);
  g_assert_cmpint (beam_cluster_node_get_state (row_of (&c, n2)), ==,
                   BEAM_CLUSTER_NODE_CONNECTED);
  cluster_clear (&c);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cluster-model/fed/mesh", test_fed_mesh);
  g_test_add_func ("/cluster-model/fed/one-way-debounced", test_fed_one_way_debounced);
  g_test_add_func ("/cluster-model/fed/missing", test_fed_missing);
  g_test_add_func ("/cluster-model/fed/left", test_fed_left);
  g_test_add_func ("/cluster-model/fed/outliers", test_fed_outliers);
  g_test_add_func ("/cluster-model/fed/incarnation", test_fed_incarnation);
  g_test_add_func ("/cluster-model/fed/states", test_fed_states);
  g_test_add_func ("/cluster-model/fed/hidden-and-bounds", test_fed_hidden_and_bounds);
  g_test_add_func ("/cluster-model/fed/json", test_fed_json);
  g_test_add_func ("/cluster-model/node", test_node_cluster);
  g_test_add_func ("/cluster-model/cluster", test_cluster);
  g_test_add_func ("/cluster-model/cluster-overlapping", test_cluster_overlapping);

  return g_test_run ();
}
