/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Samples the node's load every `interval-ms` from connect, not from when
 * a page is shown: samples are small calls of their own, so they go on while
 * a big fetch runs. A flag holder on the node keeps scheduler_wall_time
 * raised while we are connected; it goes with the connection, and a new one
 * is started after a reconnect. The points stay across a reconnect to the
 * same node, but not to a new incarnation of it (the holder's pid has
 * another creation): its monotonic clock starts anew, so old points would
 * lie in its future or far in its past. They are dropped, with "reset".
 *
 * Points live in two flat arrays (times, and rows of `stride` values), the
 * oldest dropped in batches once they are older than the longest window a
 * chart shows, so a push costs no memmove of the whole history. */

#define G_LOG_DOMAIN "beamscope-model"

#include "config.h"

#include <string.h>

#include "beam-load-history.h"

#define DEFAULT_INTERVAL_MS 1000
#define MIN_INTERVAL_MS     50
#define SPAN_US             (10 * 60 * G_USEC_PER_SEC)  /* the longest chart window */
#define DROP_SLACK_US       (SPAN_US / 8)

struct _BeamLoadHistory
{
  GObject         parent_instance;

  BeamConnection *connection;
  GCancellable   *cancellable;
  BeamTerm       *holder;
  guint32         creation;      /* of the node's incarnation, from the holder's pid */
  gboolean        has_creation;
  BeamLoadSample *last;
  guint           interval_ms;
  guint           timeout_id;
  gboolean        sampling;
  gboolean        paused;
  gboolean        stopped;
  char           *error;

  /* The points. */
  guint           offsets[BEAM_LOAD_N_GROUPS];
  guint           n_values[BEAM_LOAD_N_GROUPS];
  guint           stride;
  GArray         *times;   /* gint64 */
  GArray         *values;  /* double, stride a point */
  double          busiest;
  guint           n_sampled;
};

G_DEFINE_FINAL_TYPE (BeamLoadHistory, beam_load_history, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_INTERVAL_MS,
  PROP_PAUSED,
  PROP_ERROR,
  N_PROPS
};

enum {
  SAMPLED,
  RESET,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void schedule_sample (BeamLoadHistory *self);

static void
set_error (BeamLoadHistory *self,
           const char      *error)
{
  if (g_strcmp0 (self->error, error) == 0)
    return;
  g_free (self->error);
  self->error = g_strdup (error);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
}

/* The points go, and the charts drawn from them start over. */
static void
clear_points (BeamLoadHistory *self)
{
  self->stride = 0;
  self->busiest = 0;
  memset (self->n_values, 0, sizeof self->n_values);
  g_array_set_size (self->times, 0);
  g_array_set_size (self->values, 0);
  g_signal_emit (self, signals[RESET], 0);
}

/* The groups' sizes follow the sample's shape; another shape starts over. */
static void
fit_layout (BeamLoadHistory      *self,
            const BeamLoadSample *sample)
{
  guint n_values[BEAM_LOAD_N_GROUPS] = {
    [BEAM_LOAD_GROUP_USAGE] = 1 + sample->wall->len,
    [BEAM_LOAD_GROUP_RUN_QUEUES] = 1 + sample->run_queues->len,
    [BEAM_LOAD_GROUP_MEMORY] = BEAM_MEMORY_N_CATEGORIES,
    [BEAM_LOAD_GROUP_IO] = 2,
    [BEAM_LOAD_GROUP_WORK] = 3,
  };
  guint offset = 0;

  if (self->stride > 0 && memcmp (n_values, self->n_values, sizeof n_values) == 0)
    return;

  for (guint g = 0; g < BEAM_LOAD_N_GROUPS; g++)
    {
      self->offsets[g] = offset;
      self->n_values[g] = n_values[g];
      offset += n_values[g];
    }
  self->stride = offset;
  g_array_set_size (self->times, 0);
  g_array_set_size (self->values, 0);
  g_signal_emit (self, signals[RESET], 0);
}

/* How long before `now` a point was; a node's times far apart enough to
 * overflow make it as old as can be, so it goes. */
static gint64
age_us (gint64 now,
        gint64 then)
{
  gint64 age;

  return __builtin_sub_overflow (now, then, &age) ? G_MAXINT64 : age;
}

static void
add_point (BeamLoadHistory      *self,
           const BeamLoadSample *before,
           const BeamLoadSample *after)
{
  g_autoptr(GArray) usage = NULL;
  double total = 0;
  double *row;
  guint n;

  if (after->wall->len == 0)
    return;  /* the holder has not raised the flag yet */
  usage = beam_load_sample_usage (before, after, &total);
  if (usage == NULL)
    return;
  /* Time that does not go forward is another clock (a restarted node's). */
  if (self->times->len > 0 &&
      after->time_us <= g_array_index (self->times, gint64, self->times->len - 1))
    clear_points (self);

  fit_layout (self, after);
  g_array_set_size (self->values, self->values->len + self->stride);
  g_array_append_val (self->times, after->time_us);
  row = &g_array_index (self->values, double, self->values->len - self->stride);
  memset (row, 0, self->stride * sizeof (double));

  {
    double *v = row + self->offsets[BEAM_LOAD_GROUP_USAGE];

    n = self->n_values[BEAM_LOAD_GROUP_USAGE];
    v[0] = total;
    self->busiest = 0;
    for (guint i = 0; i < usage->len && i + 1 < n; i++)
      {
        const BeamSchedulerUsage *entry = &g_array_index (usage, BeamSchedulerUsage, i);

        v[i + 1] = entry->usage;
        if (entry->type == BEAM_SCHEDULER_NORMAL)
          self->busiest = MAX (self->busiest, entry->usage);
      }
  }
  {
    double *v = row + self->offsets[BEAM_LOAD_GROUP_RUN_QUEUES];

    n = self->n_values[BEAM_LOAD_GROUP_RUN_QUEUES];
    for (guint i = 0; i < after->run_queues->len && i + 1 < n; i++)
      {
        v[i + 1] = g_array_index (after->run_queues, gint64, i);
        v[0] += v[i + 1];
      }
  }
  {
    double *v = row + self->offsets[BEAM_LOAD_GROUP_MEMORY];

    for (guint i = 0; i < BEAM_MEMORY_N_CATEGORIES; i++)
      v[i] = after->memory[i];
  }
  {
    double *io = row + self->offsets[BEAM_LOAD_GROUP_IO];
    double *work = row + self->offsets[BEAM_LOAD_GROUP_WORK];

    io[0] = beam_load_sample_rate (before, after, before->io_input, after->io_input);
    io[1] = beam_load_sample_rate (before, after, before->io_output, after->io_output);
    work[0] = beam_load_sample_rate (before, after, before->reductions, after->reductions);
    work[1] = beam_load_sample_rate (before, after, before->garbage_collections,
                                     after->garbage_collections);
    work[2] = beam_load_sample_rate (before, after, before->context_switches,
                                     after->context_switches);
  }

  /* Old points go in batches, not one per push. */
  if (age_us (after->time_us, g_array_index (self->times, gint64, 0)) > SPAN_US + DROP_SLACK_US)
    {
      guint drop = 0;

      while (drop < self->times->len &&
             age_us (after->time_us, g_array_index (self->times, gint64, drop)) > SPAN_US)
        drop++;
      g_array_remove_range (self->times, 0, drop);
      g_array_remove_range (self->values, 0, drop * self->stride);
    }

  self->n_sampled++;
  g_signal_emit (self, signals[SAMPLED], 0);
}

static void
sample_done (GObject      *object G_GNUC_UNUSED,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(BeamLoadHistory) self = user_data;
  g_autoptr(GError) error = NULL;
  BeamLoadSample *sample = beam_load_sample_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->sampling = FALSE;
  if (sample == NULL)
    set_error (self, error->message);
  else
    {
      set_error (self, NULL);
      if (self->last != NULL)
        add_point (self, self->last, sample);
      g_clear_pointer (&self->last, beam_load_sample_free);
      self->last = sample;
    }
  schedule_sample (self);
}

static void
take_sample (BeamLoadHistory *self)
{
  if (self->sampling || self->stopped ||
      beam_connection_get_state (self->connection) != BEAM_CONNECTION_STATE_CONNECTED)
    return;
  self->sampling = TRUE;
  beam_load_sample_async (self->connection, self->cancellable, sample_done, g_object_ref (self));
}

static gboolean
on_sample_timeout (gpointer user_data)
{
  BeamLoadHistory *self = user_data;

  self->timeout_id = 0;
  if (self->paused)
    schedule_sample (self);
  else
    take_sample (self);
  return G_SOURCE_REMOVE;
}

static void
schedule_sample (BeamLoadHistory *self)
{
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  if (!self->stopped)
    self->timeout_id = g_timeout_add (self->interval_ms, on_sample_timeout, self);
}

static void
holder_done (GObject      *object G_GNUC_UNUSED,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(BeamLoadHistory) self = user_data;
  g_autoptr(GError) error = NULL;
  BeamTerm *holder = beam_load_sample_flag_holder_start_finish (result, &error);

  if (holder == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        set_error (self, error->message);
      return;
    }
  g_clear_pointer (&self->holder, beam_term_free);
  self->holder = holder;
  if (holder->kind == BEAM_TERM_PID)
    {
      if (self->has_creation && holder->v.ident.creation != self->creation &&
          self->times->len > 0)
        clear_points (self);
      self->creation = holder->v.ident.creation;
      self->has_creation = TRUE;
    }
  take_sample (self);
}

/* Connected (again): a new holder, as the previous one went with the old
 * connection. A sample out to the old one is dropped with its cancellable. */
static void
on_connection_state_changed (BeamLoadHistory *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->sampling = FALSE;
  g_clear_pointer (&self->last, beam_load_sample_free);
  g_clear_pointer (&self->holder, beam_term_free);

  if (self->stopped ||
      beam_connection_get_state (self->connection) != BEAM_CONNECTION_STATE_CONNECTED)
    return;
  beam_load_sample_flag_holder_start_async (self->connection, self->cancellable, holder_done,
                                     g_object_ref (self));
}

static void
beam_load_history_dispose (GObject *object)
{
  BeamLoadHistory *self = BEAM_LOAD_HISTORY (object);

  beam_load_history_stop (self);
  g_clear_object (&self->connection);

  G_OBJECT_CLASS (beam_load_history_parent_class)->dispose (object);
}

static void
beam_load_history_finalize (GObject *object)
{
  BeamLoadHistory *self = BEAM_LOAD_HISTORY (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->last, beam_load_sample_free);
  g_clear_pointer (&self->holder, beam_term_free);
  g_clear_pointer (&self->times, g_array_unref);
  g_clear_pointer (&self->values, g_array_unref);
  g_free (self->error);

  G_OBJECT_CLASS (beam_load_history_parent_class)->finalize (object);
}

static void
beam_load_history_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  BeamLoadHistory *self = BEAM_LOAD_HISTORY (object);

  switch (prop_id)
    {
    case PROP_INTERVAL_MS:
      g_value_set_uint (value, self->interval_ms);
      break;
    case PROP_PAUSED:
      g_value_set_boolean (value, self->paused);
      break;
    case PROP_ERROR:
      g_value_set_string (value, self->error);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
beam_load_history_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  BeamLoadHistory *self = BEAM_LOAD_HISTORY (object);

  switch (prop_id)
    {
    case PROP_INTERVAL_MS:
      beam_load_history_set_interval_ms (self, g_value_get_uint (value));
      break;
    case PROP_PAUSED:
      beam_load_history_set_paused (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
beam_load_history_class_init (BeamLoadHistoryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = beam_load_history_dispose;
  object_class->finalize = beam_load_history_finalize;
  object_class->get_property = beam_load_history_get_property;
  object_class->set_property = beam_load_history_set_property;

  properties[PROP_INTERVAL_MS] =
    g_param_spec_uint ("interval-ms", NULL, NULL, MIN_INTERVAL_MS, G_MAXUINT, DEFAULT_INTERVAL_MS,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_PAUSED] =
    g_param_spec_boolean ("paused", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_ERROR] =
    g_param_spec_string ("error", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SAMPLED] = g_signal_new ("sampled", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[RESET] = g_signal_new ("reset", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
beam_load_history_init (BeamLoadHistory *self)
{
  self->interval_ms = DEFAULT_INTERVAL_MS;
  self->cancellable = g_cancellable_new ();
  self->times = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->values = g_array_new (FALSE, FALSE, sizeof (double));
}

BeamLoadHistory *
beam_load_history_new (BeamConnection *connection)
{
  BeamLoadHistory *self;

  g_return_val_if_fail (BEAM_IS_CONNECTION (connection), NULL);

  self = g_object_new (BEAM_TYPE_LOAD_HISTORY, NULL);
  self->connection = g_object_ref (connection);
  g_signal_connect_object (connection, "notify::state", G_CALLBACK (on_connection_state_changed),
                           self, G_CONNECT_SWAPPED);
  on_connection_state_changed (self);
  return self;
}

void
beam_load_history_stop (BeamLoadHistory *self)
{
  g_return_if_fail (BEAM_IS_LOAD_HISTORY (self));

  if (self->stopped)
    return;
  self->stopped = TRUE;
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  /* The holder would go with the connection anyway; tell it now. */
  if (self->holder != NULL && self->connection != NULL &&
      beam_connection_get_state (self->connection) == BEAM_CONNECTION_STATE_CONNECTED)
    beam_load_sample_flag_holder_stop (self->connection, self->holder);
  g_clear_pointer (&self->holder, beam_term_free);
  if (self->connection != NULL)
    g_signal_handlers_disconnect_by_data (self->connection, self);
}

guint
beam_load_history_get_interval_ms (BeamLoadHistory *self)
{
  g_return_val_if_fail (BEAM_IS_LOAD_HISTORY (self), 0);
  return self->interval_ms;
}

void
beam_load_history_set_interval_ms (BeamLoadHistory *self,
                                   guint            interval_ms)
{
  g_return_if_fail (BEAM_IS_LOAD_HISTORY (self));

  interval_ms = MAX (interval_ms, MIN_INTERVAL_MS);
  if (self->interval_ms == interval_ms)
    return;
  self->interval_ms = interval_ms;
  if (self->timeout_id != 0)
    schedule_sample (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INTERVAL_MS]);
}

gboolean
beam_load_history_get_paused (BeamLoadHistory *self)
{
  g_return_val_if_fail (BEAM_IS_LOAD_HISTORY (self), FALSE);
  return self->paused;
}

void
beam_load_history_set_paused (BeamLoadHistory *self,
                              gboolean         paused)
{
  g_return_if_fail (BEAM_IS_LOAD_HISTORY (self));

  paused = !!paused;
  if (self->paused == paused)
    return;
  self->paused = paused;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAUSED]);
}

const char *
beam_load_history_get_error (BeamLoadHistory *self)
{
  g_return_val_if_fail (BEAM_IS_LOAD_HISTORY (self), NULL);
  return self->error;
}

const BeamLoadSample *
beam_load_history_get_layout (BeamLoadHistory *self)
{
  g_return_val_if_fail (BEAM_IS_LOAD_HISTORY (self), NULL);
  return self->stride > 0 ? self->last : NULL;
}

guint
beam_load_history_get_n_values (BeamLoadHistory *self,
                                BeamLoadGroup    group)
{
  g_return_val_if_fail (BEAM_IS_LOAD_HISTORY (self), 0);
  g_return_val_if_fail (group < BEAM_LOAD_N_GROUPS, 0);
  return self->n_values[group];
}

guint
beam_load_history_get_n_points (BeamLoadHistory *self)
{
  g_return_val_if_fail (BEAM_IS_LOAD_HISTORY (self), 0);
  return self->times->len;
}

gint64
beam_load_history_get_time (BeamLoadHistory *self,
                            guint            point)
{
  g_return_val_if_fail (BEAM_IS_LOAD_HISTORY (self), 0);
  g_return_val_if_fail (point < self->times->len, 0);
  return g_array_index (self->times, gint64, point);
}

const double *
beam_load_history_get_values (BeamLoadHistory *self,
                              guint            point,
                              BeamLoadGroup    group)
{
  g_return_val_if_fail (BEAM_IS_LOAD_HISTORY (self), NULL);
  g_return_val_if_fail (point < self->times->len, NULL);
  g_return_val_if_fail (group < BEAM_LOAD_N_GROUPS, NULL);
  return &g_array_index (self->values, double, point * self->stride + self->offsets[group]);
}

double
beam_load_history_get_busiest (BeamLoadHistory *self)
{
  g_return_val_if_fail (BEAM_IS_LOAD_HISTORY (self), 0);
  return self->busiest;
}

guint
beam_load_history_get_n_sampled (BeamLoadHistory *self)
{
  g_return_val_if_fail (BEAM_IS_LOAD_HISTORY (self), 0);
  return self->n_sampled;
}
