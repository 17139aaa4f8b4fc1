/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A row of the Cluster page. The model owns the writing (beam-cluster-
 * node-private.h); a row only keeps what one node said: its newest sample,
 * the one before (for utilisation, with its name lists dropped: only its
 * wall times are read again), and two rings of trend points. A sample of
 * another incarnation (system_info(creation) changed: the node restarted)
 * drops both, as BeamLoadHistory drops its points, since wall times and
 * queue lengths of two incarnations do not compare. */

#define G_LOG_DOMAIN "beamscope-model"

#include "config.h"

#include <math.h>
#include <string.h>

#include "beam-cluster-node.h"
#include "beam-cluster-node-private.h"

typedef struct
{
  gint64 *values;
  guint   capacity;
  guint   start;   /* of the oldest point */
  guint   len;
} Ring;

struct _BeamClusterNode
{
  GObject               parent_instance;

  char                 *name;
  BeamClusterNodeState  state;
  char                 *reason;
  gboolean              in_cluster;
  BeamClusterSample    *sample;
  BeamClusterSample    *before;
  double                usage;
  guint                 outliers;
  double                factors[BEAM_CLUSTER_N_COLUMNS];
  Ring                  usage_trend;      /* per mille */
  Ring                  run_queue_trend;
  guint                 samples;
  gint64                sampled_at;
  gint64                sampled_real_us;
};

G_DEFINE_FINAL_TYPE (BeamClusterNode, beam_cluster_node, G_TYPE_OBJECT)

G_DEFINE_ENUM_TYPE (BeamClusterNodeState, beam_cluster_node_state,
  G_DEFINE_ENUM_VALUE (BEAM_CLUSTER_NODE_CONNECTED, "connected"),
  G_DEFINE_ENUM_VALUE (BEAM_CLUSTER_NODE_NOT_ANSWERING, "not-answering"),
  G_DEFINE_ENUM_VALUE (BEAM_CLUSTER_NODE_DOWN, "down"))

enum {
  PROP_0,
  PROP_NAME,
  PROP_STATE,
  PROP_REASON,
  PROP_IN_CLUSTER,
  PROP_SAMPLE,
  PROP_USAGE,
  PROP_OUTLIERS,
  PROP_SAMPLES,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
ring_resize (Ring  *ring,
             guint  capacity)
{
  gint64 *values;
  guint keep;

  capacity = MAX (capacity, 1);
  if (ring->capacity == capacity)
    return;
  keep = MIN (ring->len, capacity);
  values = g_new (gint64, capacity);
  /* The newest `keep` points, oldest first. */
  for (guint i = 0; i < keep; i++)
    values[i] = ring->values[(ring->start + ring->len - keep + i) % ring->capacity];
  g_free (ring->values);
  ring->values = values;
  ring->capacity = capacity;
  ring->start = 0;
  ring->len = keep;
}

static void
ring_push (Ring   *ring,
           gint64  value)
{
  if (ring->len < ring->capacity)
    ring->values[(ring->start + ring->len++) % ring->capacity] = value;
  else
    {
      ring->values[ring->start] = value;
      ring->start = (ring->start + 1) % ring->capacity;
    }
}

static GVariant *
ring_to_variant (const Ring *ring)
{
  g_autofree gint64 *points = g_new (gint64, MAX (ring->len, 1));

  for (guint i = 0; i < ring->len; i++)
    points[i] = ring->values[(ring->start + i) % ring->capacity];
  return g_variant_new_fixed_array (G_VARIANT_TYPE_INT64, points, ring->len, sizeof (gint64));
}

static void
beam_cluster_node_finalize (GObject *object)
{
  BeamClusterNode *self = BEAM_CLUSTER_NODE (object);

  g_free (self->name);
  g_free (self->reason);
  g_clear_pointer (&self->sample, beam_cluster_sample_free);
  g_clear_pointer (&self->before, beam_cluster_sample_free);
  g_free (self->usage_trend.values);
  g_free (self->run_queue_trend.values);

  G_OBJECT_CLASS (beam_cluster_node_parent_class)->finalize (object);
}

static void
beam_cluster_node_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  BeamClusterNode *self = BEAM_CLUSTER_NODE (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_REASON:
      g_value_set_string (value, self->reason);
      break;
    case PROP_IN_CLUSTER:
      g_value_set_boolean (value, self->in_cluster);
      break;
    case PROP_SAMPLE:
      g_value_set_pointer (value, self->sample);
      break;
    case PROP_USAGE:
      g_value_set_double (value, self->usage);
      break;
    case PROP_OUTLIERS:
      g_value_set_uint (value, self->outliers);
      break;
    case PROP_SAMPLES:
      g_value_set_uint (value, self->samples);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
beam_cluster_node_class_init (BeamClusterNodeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = beam_cluster_node_finalize;
  object_class->get_property = beam_cluster_node_get_property;

  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, flags);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, BEAM_TYPE_CLUSTER_NODE_STATE,
                       BEAM_CLUSTER_NODE_DOWN, flags);
  properties[PROP_REASON] = g_param_spec_string ("reason", NULL, NULL, NULL, flags);
  properties[PROP_IN_CLUSTER] = g_param_spec_boolean ("in-cluster", NULL, NULL, TRUE, flags);
  /* The newest BeamClusterSample, borrowed; notified for every sample. */
  properties[PROP_SAMPLE] = g_param_spec_pointer ("sample", NULL, NULL, flags);
  properties[PROP_USAGE] = g_param_spec_double ("usage", NULL, NULL, -1, 1, -1, flags);
  properties[PROP_OUTLIERS] = g_param_spec_uint ("outliers", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_SAMPLES] = g_param_spec_uint ("samples", NULL, NULL, 0, G_MAXUINT, 0, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
beam_cluster_node_init (BeamClusterNode *self)
{
  self->state = BEAM_CLUSTER_NODE_DOWN;
  self->usage = -1;
  for (guint c = 0; c < BEAM_CLUSTER_N_COLUMNS; c++)
    self->factors[c] = NAN;
}

BeamClusterNode *
_beam_cluster_node_new (const char *name,
                        gboolean    in_cluster,
                        guint       history_points)
{
  BeamClusterNode *self = g_object_new (BEAM_TYPE_CLUSTER_NODE, NULL);

  self->name = g_strdup (name);
  self->in_cluster = !!in_cluster;
  ring_resize (&self->usage_trend, history_points);
  ring_resize (&self->run_queue_trend, history_points);
  return self;
}

void
_beam_cluster_node_set_state (BeamClusterNode      *self,
                              BeamClusterNodeState  state,
                              const char           *reason)
{
  g_return_if_fail (BEAM_IS_CLUSTER_NODE (self));

  g_object_freeze_notify (G_OBJECT (self));
  if (self->state != state)
    {
      self->state = state;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
    }
  _beam_cluster_node_set_reason (self, reason);
  g_object_thaw_notify (G_OBJECT (self));
}

void
_beam_cluster_node_set_reason (BeamClusterNode *self,
                               const char      *reason)
{
  g_return_if_fail (BEAM_IS_CLUSTER_NODE (self));

  if (g_strcmp0 (self->reason, reason) == 0)
    return;
  g_free (self->reason);
  self->reason = g_strdup (reason);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REASON]);
}

void
_beam_cluster_node_set_in_cluster (BeamClusterNode *self,
                                   gboolean         in_cluster)
{
  g_return_if_fail (BEAM_IS_CLUSTER_NODE (self));

  in_cluster = !!in_cluster;
  if (self->in_cluster == in_cluster)
    return;
  self->in_cluster = in_cluster;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IN_CLUSTER]);
}

/* The sample before is read again only for its wall times. */
static void
drop_names (BeamClusterSample *sample)
{
  g_strfreev (sample->visible);
  g_strfreev (sample->hidden);
  sample->visible = g_new0 (char *, 1);
  sample->hidden = g_new0 (char *, 1);
}

gboolean
_beam_cluster_node_take_sample (BeamClusterNode   *self,
                                BeamClusterSample *sample)
{
  gboolean new_incarnation;
  double usage = -1;

  g_return_val_if_fail (BEAM_IS_CLUSTER_NODE (self), FALSE);
  g_return_val_if_fail (sample != NULL, FALSE);

  new_incarnation = self->sample != NULL && self->sample->creation != sample->creation;
  if (new_incarnation)
    {
      g_clear_pointer (&self->before, beam_cluster_sample_free);
      g_clear_pointer (&self->sample, beam_cluster_sample_free);
      self->usage_trend.len = 0;
      self->run_queue_trend.len = 0;
    }

  /* The longest queue is asked only every few samples: a plain one shows
   * the last scan's until the next. */
  if (!sample->scanned && self->sample != NULL && sample->max_queue < 0)
    {
      sample->max_queue = self->sample->max_queue;
      sample->queue_skipped_count = self->sample->queue_skipped_count;
      sample->reductions = self->sample->reductions;
      g_free (sample->max_queue_pid);
      g_free (sample->max_queue_name);
      sample->max_queue_pid = g_strdup (self->sample->max_queue_pid);
      sample->max_queue_name = g_strdup (self->sample->max_queue_name);
    }

  g_clear_pointer (&self->before, beam_cluster_sample_free);
  self->before = g_steal_pointer (&self->sample);
  if (self->before != NULL)
    drop_names (self->before);
  self->sample = sample;
  self->samples++;
  self->sampled_at = g_get_monotonic_time ();
  self->sampled_real_us = g_get_real_time ();

  if (self->before == NULL || !beam_cluster_sample_usage (self->before, sample, &usage))
    usage = -1;
  else
    {
      usage = CLAMP (usage, 0.0, 1.0);
      ring_push (&self->usage_trend, (gint64) lround (usage * 1000));
    }
  ring_push (&self->run_queue_trend, MAX (sample->run_queue, 0));

  g_object_freeze_notify (G_OBJECT (self));
  if (self->usage != usage)
    {
      self->usage = usage;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_USAGE]);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SAMPLE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SAMPLES]);
  g_object_thaw_notify (G_OBJECT (self));
  return new_incarnation;
}

void
_beam_cluster_node_set_outliers (BeamClusterNode *self,
                                 guint            outliers,
                                 const double    *factors)
{
  g_return_if_fail (BEAM_IS_CLUSTER_NODE (self));

  for (guint c = 0; c < BEAM_CLUSTER_N_COLUMNS; c++)
    self->factors[c] = (outliers & (1u << c)) && factors != NULL ? factors[c] : NAN;
  if (self->outliers == outliers)
    return;
  self->outliers = outliers;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OUTLIERS]);
}

void
_beam_cluster_node_set_history_points (BeamClusterNode *self,
                                       guint            points)
{
  g_return_if_fail (BEAM_IS_CLUSTER_NODE (self));

  ring_resize (&self->usage_trend, points);
  ring_resize (&self->run_queue_trend, points);
}

gint64
_beam_cluster_node_get_sampled_real_us (BeamClusterNode *self)
{
  g_return_val_if_fail (BEAM_IS_CLUSTER_NODE (self), 0);
  return self->sampled_real_us;
}

const char *
beam_cluster_node_get_name (BeamClusterNode *self)
{
  g_return_val_if_fail (BEAM_IS_CLUSTER_NODE (self), NULL);
  return self->name;
}

BeamClusterNodeState
beam_cluster_node_get_state (BeamClusterNode *self)
{
  g_return_val_if_fail (BEAM_IS_CLUSTER_NODE (self), BEAM_CLUSTER_NODE_DOWN);
  return self->state;
}

const char *
beam_cluster_node_state_to_string (BeamClusterNodeState state)
{
  switch (state)
    {
    case BEAM_CLUSTER_NODE_CONNECTED:
      return "connected";
    case BEAM_CLUSTER_NODE_NOT_ANSWERING:
      return "not_answering";
    case BEAM_CLUSTER_NODE_DOWN:
    default:
      return "down";
    }
}

const char *
beam_cluster_node_get_reason (BeamClusterNode *self)
{
  g_return_val_if_fail (BEAM_IS_CLUSTER_NODE (self), NULL);
  return self->reason;
}

gboolean
beam_cluster_node_get_in_cluster (BeamClusterNode *self)
{
  g_return_val_if_fail (BEAM_IS_CLUSTER_NODE (self), FALSE);
  return self->in_cluster;
}

const BeamClusterSample *
beam_cluster_node_get_sample (BeamClusterNode *self)
{
  g_return_val_if_fail (BEAM_IS_CLUSTER_NODE (self), NULL);
  return self->sample;
}

double
beam_cluster_node_get_usage (BeamClusterNode *self)
{
  g_return_val_if_fail (BEAM_IS_CLUSTER_NODE (self), -1);
  return self->usage;
}

double
beam_cluster_node_get_value (BeamClusterNode   *self,
                             BeamClusterColumn  column)
{
  const BeamClusterSample *s;

  g_return_val_if_fail (BEAM_IS_CLUSTER_NODE (self), NAN);

  s = self->sample;
  if (s == NULL)
    return NAN;
  switch (column)
    {
    case BEAM_CLUSTER_COLUMN_UPTIME:
      return s->uptime_ms;
    case BEAM_CLUSTER_COLUMN_PROCESSES:
      return s->process_count;
    case BEAM_CLUSTER_COLUMN_MEMORY:
      return s->memory_total;
    case BEAM_CLUSTER_COLUMN_BINARY:
      return s->memory_binary;
    case BEAM_CLUSTER_COLUMN_ETS:
      return s->memory_ets;
    case BEAM_CLUSTER_COLUMN_USAGE:
      return self->usage >= 0 ? self->usage : NAN;
    case BEAM_CLUSTER_COLUMN_RUN_QUEUE:
      return s->run_queue;
    case BEAM_CLUSTER_COLUMN_MAX_QUEUE:
      return s->max_queue >= 0 ? (double) s->max_queue : NAN;
    case BEAM_CLUSTER_COLUMN_ATOMS:
      return s->atom_count;
    case BEAM_CLUSTER_N_COLUMNS:
    default:
      g_return_val_if_reached (NAN);
    }
}

guint
beam_cluster_node_get_outliers (BeamClusterNode *self)
{
  g_return_val_if_fail (BEAM_IS_CLUSTER_NODE (self), 0);
  return self->outliers;
}

double
beam_cluster_node_get_outlier_factor (BeamClusterNode   *self,
                                      BeamClusterColumn  column)
{
  g_return_val_if_fail (BEAM_IS_CLUSTER_NODE (self), NAN);
  g_return_val_if_fail (column < BEAM_CLUSTER_N_COLUMNS, NAN);
  return self->factors[column];
}

GVariant *
beam_cluster_node_dup_trend (BeamClusterNode   *self,
                             BeamClusterColumn  column)
{
  static const Ring empty = { NULL, 1, 0, 0 };

  g_return_val_if_fail (BEAM_IS_CLUSTER_NODE (self), NULL);

  if (column == BEAM_CLUSTER_COLUMN_USAGE)
    return ring_to_variant (&self->usage_trend);
  if (column == BEAM_CLUSTER_COLUMN_RUN_QUEUE)
    return ring_to_variant (&self->run_queue_trend);
  return ring_to_variant (&empty);
}

guint
beam_cluster_node_get_samples (BeamClusterNode *self)
{
  g_return_val_if_fail (BEAM_IS_CLUSTER_NODE (self), 0);
  return self->samples;
}

gint64
beam_cluster_node_get_sampled_at (BeamClusterNode *self)
{
  g_return_val_if_fail (BEAM_IS_CLUSTER_NODE (self), 0);
  return self->sampled_at;
}
