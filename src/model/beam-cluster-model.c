/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The cluster around a seed node (issue 17): one member per node, each with
 * its own BeamConnection (so its own network thread), flag holder and at
 * most one sample in flight, so a stopped node holds only its own slot.
 * One timer asks every member whose last sample is back; answers come back
 * one by one and are folded into the rows at once, while what compares
 * nodes (medians and outliers, the debounced links, anomalies, hidden
 * nodes) is recomputed once per burst: when the tick's answers are all in,
 * or FLUSH_FALLBACK_MS after the first one if some are still out.
 *
 * Links are debounced per pair of members: a pair is observed again only
 * once both nodes have answered a new sample since the last observation,
 * and it is shown ONE_WAY or MISSING only when two observations in a row
 * agree (a forming mesh, or two nodes sampled an interval apart, show one
 * side's list before the other's); both lists naming each other is shown
 * at once. Pair state lives in a flat square array indexed by each
 * member's slot, which stays fixed while the list's indices move as names
 * are inserted in order.
 *
 * A node in no other answering node's list "left the cluster" (what
 * prevent_overlapping_partitions makes of a disconnect on OTP 25): that is
 * one anomaly for the node, not one per missing link. */

#define G_LOG_DOMAIN "beamscope-model"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "beam-cluster-model.h"
#include "beam-cluster-model-private.h"
#include "beam-cluster-node-private.h"
#include "beam-epmd.h"
#include "beam-load-sample.h"
#include "beam-probe-json.h"
#include "beam-wire-error.h"

#define DEFAULT_INTERVAL_MS      2000
#define MIN_INTERVAL_MS          200
#define MAX_INTERVAL_MS          60000
#define DEFAULT_QUEUE_SCAN_MS    10000
#define DEFAULT_MAX_NODES        200
#define DEFAULT_OUTLIER_RATIO    3.0
#define DEFAULT_HISTORY_MINUTES  5
#define MIN_DEADLINE_MS          1000    /* a sample's deadline: 2 intervals, at least this */
#define CONNECT_TIMEOUT_MS       5000
#define RETRY_FIRST_MS           2000
#define RETRY_MAX_MS             30000
#define MAX_CONNECTS_AT_ONCE     50
#define EPMD_INTERVAL_US         (10 * G_USEC_PER_SEC)
#define EPMD_TIMEOUT_MS          2000
#define SCAN_LIMIT               500000
#define MAX_ANOMALIES            1000
#define FLUSH_FALLBACK_MS        200
#define MIN_OUTLIER_NODES        3
#define USAGE_OUTLIER_POINTS     0.30

/* A pair's relation, seen from its lower slot ("lo") to its higher ("hi"). */
typedef enum
{
  PAIR_UNKNOWN,
  PAIR_BOTH,
  PAIR_LO_SEES_HI,
  PAIR_HI_SEES_LO,
  PAIR_NEITHER,
} PairKind;

typedef struct
{
  guint8  shown;              /* PairKind, debounced */
  guint8  candidate;          /* the last observation's PairKind */
  guint32 gen_lo;             /* the nodes' sample counts at the last observation */
  guint32 gen_hi;
  gint64  candidate_since_us;
  gint64  shown_since_us;     /* first of the two observations that showed it */
  gint64  last_seen_us;       /* the newest observation that still showed it */
} Pair;

typedef struct
{
  BeamClusterModel *model;         /* unowned: the model owns its members */
  BeamClusterNode  *node;
  guint64           id;            /* never reused: async answers find their member by it */
  guint             slot;
  char             *host;
  gboolean          is_seed;
  BeamConnection   *connection;    /* NULL until joined, or after a failed first connect */
  GCancellable     *cancellable;
  gboolean          joining;       /* first connect queued or under way */
  gboolean          queued;
  gboolean          cookie_rejected;
  GSource          *retry_source;
  guint             retry_ms;
  gboolean          was_connected;
  gboolean          holder_asked;
  BeamTerm         *holder;
  gboolean          in_flight;
  guint             asked_tick;    /* the tick whose answer this is; 0: out of turn */
  gint64            last_scan_us;  /* monotonic; 0: never scanned */
  guint             n_visible;     /* of the newest sample's list, for binary searches */
} Member;

struct _BeamClusterModel
{
  GObject        parent_instance;

  GMainContext  *context;
  BeamConnection *seed;
  char          *seed_name;
  char          *cookie;
  gboolean       fed;
  gboolean       started;
  gboolean       stopped;
  /* Microseconds on this thread taking answers and flushing (with the
   * handlers of "sampled" and "links-changed"), for the benchmark. */
  gint64         answers_us;
  gint64         flush_us;

  guint          interval_ms;
  guint          queue_scan_ms;
  guint          max_nodes;
  gboolean       join_epmd_others;
  double         outlier_ratio;
  guint          history_minutes;
  gboolean       paused;

  GListStore    *store;
  GPtrArray     *order;        /* Member, as the store: by name */
  GHashTable    *by_name;      /* name -> Member */
  GHashTable    *by_id;        /* &id -> Member, owning */
  guint64        next_id;
  GArray        *free_slots;   /* guint */
  guint          n_slots;
  guint          pair_capacity;
  Pair          *pairs;        /* a triangle of pair_capacity slots */

  GSource       *tick_source;
  guint          tick;
  guint          outstanding;  /* this tick's samples not back yet */
  GSource       *flush_source;
  gboolean       flush_is_idle;
  gboolean       sampled_dirty;
  gboolean       links_dirty;
  guint          names_added;  /* since the last tick */
  guint          quiet_rounds;

  guint          running_connects;
  GQueue         join_queue;   /* ids of members waiting to connect */
  GCancellable  *cancellable;  /* EPMD's questions */
  gint64         last_epmd_us;
  guint          epmd_pending;
  gboolean       epmd_answered;
  GHashTable    *not_joined;   /* names past max-nodes */

  double         medians[BEAM_CLUSTER_N_COLUMNS];
  GPtrArray     *anomalies;    /* BeamClusterAnomaly, owned */
  GHashTable    *open_anomalies;  /* key -> BeamClusterAnomaly, borrowed */
  GPtrArray     *hidden;       /* BeamClusterHidden, owned, by name */
  gboolean       settled;
  guint          n_down;
  guint          n_not_answering;
};

G_DEFINE_FINAL_TYPE (BeamClusterModel, beam_cluster_model, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_INTERVAL_MS,
  PROP_QUEUE_SCAN_INTERVAL_MS,
  PROP_MAX_NODES,
  PROP_JOIN_EPMD_OTHERS,
  PROP_OUTLIER_RATIO,
  PROP_HISTORY_MINUTES,
  PROP_PAUSED,
  PROP_SETTLED,
  PROP_N_DOWN,
  PROP_N_NOT_ANSWERING,
  PROP_N_NOT_JOINED,
  N_PROPS
};

enum {
  SAMPLED,
  LINKS_CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void join_member       (Member *m);
static void update_member     (Member *m);
static void schedule_flush    (BeamClusterModel *self,
                               gboolean          now);
static void ask_epmd          (BeamClusterModel *self,
                               const char       *only_host);

/* Sources on the context the model was made in (the CLI's may not be the
 * global default), kept by pointer since g_source_remove() knows only that. */
static GSource *
attach_source (BeamClusterModel *self,
               guint             ms,
               GSourceFunc       func,
               gpointer          data)
{
  GSource *source = ms == 0 ? g_idle_source_new () : g_timeout_source_new (ms);

  g_source_set_callback (source, func, data, NULL);
  g_source_attach (source, self->context);
  return source;
}

static void
clear_source (GSource **source)
{
  if (*source == NULL)
    return;
  g_source_destroy (*source);
  g_clear_pointer (source, g_source_unref);
}

static guint
deadline_ms (BeamClusterModel *self)
{
  return MAX (2 * self->interval_ms, MIN_DEADLINE_MS);
}

static guint
history_points (BeamClusterModel *self)
{
  return MAX (1, self->history_minutes * 60 * 1000 / self->interval_ms);
}

/* What an answer carries back: a weak reference to the model (a question
 * out does not keep it alive: a window's model goes with the window) and
 * the member by id, since it may be forgotten while the question is out. */
typedef struct
{
  GWeakRef model;
  guint64  id;
} Ticket;

static Ticket *
ticket_new (Member *m)
{
  Ticket *ticket = g_new (Ticket, 1);

  g_weak_ref_init (&ticket->model, m->model);
  ticket->id = m->id;
  return ticket;
}

static void
ticket_free (Ticket *ticket)
{
  g_weak_ref_clear (&ticket->model);
  g_free (ticket);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Ticket, ticket_free)

/* The member the answer is for, or NULL: forgotten, or the model stopped. */
static Member *
ticket_member (BeamClusterModel *self,
               Ticket           *ticket)
{
  if (self == NULL || self->stopped)
    return NULL;
  return g_hash_table_lookup (self->by_id, &ticket->id);
}

/* Pairs. */

/* Pairs are stored as a triangle, lo < hi at hi (hi - 1) / 2 + lo: an
 * index that does not depend on how many slots there are, so growing is a
 * realloc. 50 nodes cost 1225 pairs, about 50 kB. */
static Pair *
pair_at (BeamClusterModel *self,
         guint             slot_a,
         guint             slot_b)
{
  gsize lo = MIN (slot_a, slot_b), hi = MAX (slot_a, slot_b);

  g_assert (lo < hi && hi < self->pair_capacity);
  return &self->pairs[hi * (hi - 1) / 2 + lo];
}

static guint
alloc_slot (BeamClusterModel *self)
{
  guint slot;

  if (self->free_slots->len > 0)
    {
      slot = g_array_index (self->free_slots, guint, self->free_slots->len - 1);
      g_array_set_size (self->free_slots, self->free_slots->len - 1);
    }
  else
    slot = self->n_slots++;

  if (slot >= self->pair_capacity)
    {
      gsize old_size = (gsize) self->pair_capacity * (self->pair_capacity - 1) / 2;
      gsize new_size;
      guint capacity = MAX (16, self->pair_capacity * 2);

      while (capacity <= slot)
        capacity *= 2;
      new_size = (gsize) capacity * (capacity - 1) / 2;
      self->pairs = g_renew (Pair, self->pairs, new_size);
      memset (&self->pairs[old_size], 0, (new_size - old_size) * sizeof (Pair));
      self->pair_capacity = capacity;
    }
  /* A reused slot starts with no history. */
  for (guint other = 0; other < self->n_slots; other++)
    if (other != slot)
      memset (pair_at (self, slot, other), 0, sizeof (Pair));
  return slot;
}

/* Members. */

static void
drop_connection (Member   *m,
                 gboolean  stop_holder)
{
  if (m->connection == NULL)
    return;
  g_signal_handlers_disconnect_by_data (m->connection, m);
  if (stop_holder && m->holder != NULL &&
      beam_connection_get_state (m->connection) == BEAM_CONNECTION_STATE_CONNECTED)
    beam_load_sample_flag_holder_stop (m->connection, m->holder);
  g_clear_pointer (&m->holder, beam_term_free);
  m->holder_asked = FALSE;
  m->was_connected = FALSE;
  m->in_flight = FALSE;
  if (!m->is_seed)
    beam_connection_close (m->connection);
  g_clear_object (&m->connection);
}

static void
member_free (Member *m)
{
  clear_source (&m->retry_source);
  g_cancellable_cancel (m->cancellable);
  drop_connection (m, TRUE);
  g_clear_object (&m->cancellable);
  g_clear_object (&m->node);
  g_free (m->host);
  g_free (m);
}

static gboolean
member_usable (Member *m)
{
  return beam_cluster_node_get_in_cluster (m->node) &&
         beam_cluster_node_get_state (m->node) == BEAM_CLUSTER_NODE_CONNECTED &&
         beam_cluster_node_get_sample (m->node) != NULL;
}

static int
compare_member_name (gconstpointer a,
                     gconstpointer b)
{
  const char *name = a;
  const Member *m = *(Member * const *) b;

  return strcmp (name, beam_cluster_node_get_name (m->node));
}

/* Where `name` goes in the list, by binary search. */
static guint
order_position (BeamClusterModel *self,
                const char       *name)
{
  guint lo = 0, hi = self->order->len;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (compare_member_name (name, &g_ptr_array_index (self->order, mid)) > 0)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

/* A name joins the list (or, past max-nodes, only the count of those not
 * joined). Known names only gain in_cluster. */
static Member *
add_member (BeamClusterModel *self,
            const char       *name,
            gboolean          in_cluster)
{
  Member *m = g_hash_table_lookup (self->by_name, name);
  g_autofree char *alive = NULL;
  guint position;

  if (m != NULL)
    {
      if (in_cluster && !beam_cluster_node_get_in_cluster (m->node))
        {
          _beam_cluster_node_set_in_cluster (m->node, TRUE);
          self->links_dirty = TRUE;
          /* Listed by a node now: joined even if EPMD's others are not. */
          if (!self->fed && m->connection == NULL && !m->joining && !m->cookie_rejected &&
              m->retry_source == NULL)
            join_member (m);
        }
      return m;
    }
  if (self->order->len >= self->max_nodes)
    {
      if (!g_hash_table_contains (self->not_joined, name) &&
          g_hash_table_size (self->not_joined) < BEAM_CLUSTER_SAMPLE_MAX_NAMES)
        {
          g_hash_table_add (self->not_joined, g_strdup (name));
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_NOT_JOINED]);
        }
      return NULL;
    }

  m = g_new0 (Member, 1);
  m->model = self;
  m->id = ++self->next_id;
  m->slot = alloc_slot (self);
  m->node = _beam_cluster_node_new (name, in_cluster, history_points (self));
  m->cancellable = g_cancellable_new ();
  if (!beam_node_name_split (name, &alive, &m->host, NULL))
    m->host = NULL;
  g_hash_table_insert (self->by_id, &m->id, m);
  g_hash_table_insert (self->by_name, (char *) beam_cluster_node_get_name (m->node), m);
  position = order_position (self, name);
  g_ptr_array_insert (self->order, position, m);
  g_list_store_insert (self->store, position, m->node);
  self->names_added++;
  self->links_dirty = TRUE;

  if (self->fed || !self->started)
    return m;
  if (in_cluster || self->join_epmd_others)
    join_member (m);
  else
    _beam_cluster_node_set_state (m->node, BEAM_CLUSTER_NODE_DOWN,
                                  _("Not joined: only EPMD lists it"));
  if (m->host != NULL)
    ask_epmd (self, m->host);
  return m;
}

static void
remove_member (BeamClusterModel *self,
               Member           *m)
{
  guint position;

  if (!g_ptr_array_find (self->order, m, &position))
    g_return_if_reached ();
  g_ptr_array_remove_index (self->order, position);
  g_hash_table_remove (self->by_name, beam_cluster_node_get_name (m->node));
  g_array_append_val (self->free_slots, m->slot);
  /* The store's signal last: a handler sees a consistent model. */
  g_hash_table_remove (self->by_id, &m->id);   /* frees m */
  g_list_store_remove (self->store, position);
  self->links_dirty = TRUE;
}

/* Joining. */

static void start_queued_joins (BeamClusterModel *self);

static gboolean
on_retry (gpointer user_data)
{
  Member *m = user_data;

  g_clear_pointer (&m->retry_source, g_source_unref);
  join_member (m);
  return G_SOURCE_REMOVE;
}

static void
on_member_connection_changed (BeamConnection *connection G_GNUC_UNUSED,
                              GParamSpec     *pspec G_GNUC_UNUSED,
                              gpointer        user_data)
{
  update_member (user_data);
}

static void
connect_done (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(Ticket) ticket = user_data;
  g_autoptr(BeamClusterModel) self = g_weak_ref_get (&ticket->model);
  g_autoptr(GError) error = NULL;
  gboolean connected = beam_connection_connect_finish (BEAM_CONNECTION (object), result, &error);
  Member *m;

  if (self == NULL)
    return;
  if (self->running_connects > 0)
    self->running_connects--;
  m = ticket_member (self, ticket);
  if (m == NULL || m->connection != BEAM_CONNECTION (object))
    {
      start_queued_joins (self);
      return;
    }
  m->joining = FALSE;
  if (!connected)
    g_debug ("Joining %s failed: %s (%s %d)", beam_cluster_node_get_name (m->node),
             error->message, g_quark_to_string (error->domain), error->code);
  if (connected)
    {
      m->retry_ms = 0;
      update_member (m);
    }
  else if (g_error_matches (error, BEAM_WIRE_ERROR, BEAM_WIRE_ERROR_COOKIE_REJECTED))
    {
      /* Never again: each attempt costs the node a line in its log. */
      drop_connection (m, FALSE);
      m->cookie_rejected = TRUE;
      _beam_cluster_node_set_state (m->node, BEAM_CLUSTER_NODE_DOWN, _("cookie rejected"));
    }
  else
    {
      /* A first connect that fails is not retried by the connection. */
      drop_connection (m, FALSE);
      _beam_cluster_node_set_state (m->node, BEAM_CLUSTER_NODE_DOWN, error->message);
      m->retry_ms = m->retry_ms == 0 ? RETRY_FIRST_MS : MIN (m->retry_ms * 2, RETRY_MAX_MS);
      m->retry_source = attach_source (self, m->retry_ms, on_retry, m);
    }
  self->links_dirty = TRUE;
  schedule_flush (self, FALSE);
  start_queued_joins (self);
}

static void
join_member (Member *m)
{
  BeamClusterModel *self = m->model;

  if (m->connection != NULL || self->stopped || self->fed)
    return;
  m->joining = TRUE;
  if (self->running_connects >= MAX_CONNECTS_AT_ONCE)
    {
      if (!m->queued)
        {
          m->queued = TRUE;
          g_queue_push_tail (&self->join_queue, g_memdup2 (&m->id, sizeof m->id));
          _beam_cluster_node_set_state (m->node, BEAM_CLUSTER_NODE_DOWN,
                                        _("Waiting to connect…"));
        }
      return;
    }
  m->queued = FALSE;
  self->running_connects++;
  m->connection = beam_connection_new (beam_cluster_node_get_name (m->node), self->cookie);
  g_signal_connect (m->connection, "notify::state",
                    G_CALLBACK (on_member_connection_changed), m);
  g_signal_connect (m->connection, "notify::answering",
                    G_CALLBACK (on_member_connection_changed), m);
  _beam_cluster_node_set_state (m->node, BEAM_CLUSTER_NODE_DOWN, _("Connecting…"));
  beam_connection_connect_async (m->connection, CONNECT_TIMEOUT_MS, m->cancellable,
                                 connect_done, ticket_new (m));
}

static void
start_queued_joins (BeamClusterModel *self)
{
  while (!self->stopped && self->running_connects < MAX_CONNECTS_AT_ONCE &&
         !g_queue_is_empty (&self->join_queue))
    {
      g_autofree guint64 *id = g_queue_pop_head (&self->join_queue);
      Member *m = g_hash_table_lookup (self->by_id, id);

      if (m != NULL && m->queued)
        join_member (m);
    }
}

/* Sampling. */

/* A member's first sample scans; after that one tick in every `rounds`,
 * each member on its own: the members joined together would all scan on
 * the same tick, and building 50 scan requests at once took 15-25 ms of
 * this thread (and each node scanning at once would load a shared host). */
static gboolean
should_scan (BeamClusterModel *self,
             Member           *m)
{
  guint rounds;

  if (self->queue_scan_ms == 0)
    return FALSE;
  if (self->queue_scan_ms <= self->interval_ms || m->last_scan_us == 0)
    return TRUE;
  rounds = (self->queue_scan_ms + self->interval_ms - 1) / self->interval_ms;
  return (self->tick + m->id) % rounds == 0;
}

static void
sort_names (GStrv names)
{
  guint n = names != NULL ? g_strv_length (names) : 0;

  for (guint i = 1; i < n; i++)
    if (strcmp (names[i - 1], names[i]) > 0)
      {
        qsort (names, n, sizeof (char *), (int (*) (const void *, const void *)) g_strcmp0);
        return;
      }
}

/* An answered sample, from a node or fed: the row takes it, and every name
 * it lists is in the cluster. */
static void
take_answer (BeamClusterModel  *self,
             Member            *m,
             BeamClusterSample *sample)
{
  if (sample->visible == NULL)
    sample->visible = g_new0 (char *, 1);
  if (sample->hidden == NULL)
    sample->hidden = g_new0 (char *, 1);
  sort_names (sample->visible);
  sort_names (sample->hidden);
  if (sample->scanned)
    m->last_scan_us = g_get_monotonic_time ();
  m->n_visible = g_strv_length (sample->visible);
  _beam_cluster_node_take_sample (m->node, sample);
  for (guint i = 0; sample->visible[i] != NULL; i++)
    if (!g_str_equal (sample->visible[i], beam_cluster_node_get_name (m->node)))
      add_member (self, sample->visible[i], TRUE);
  self->sampled_dirty = TRUE;
  self->links_dirty = TRUE;
}

static char *
dup_not_answering_reason (BeamClusterModel *self)
{
  return g_strdup_printf (_("no answer in %u s"), (deadline_ms (self) + 999) / 1000);
}

static void
sample_done (GObject      *object G_GNUC_UNUSED,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(Ticket) ticket = user_data;
  g_autoptr(BeamClusterModel) self = g_weak_ref_get (&ticket->model);
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();
  BeamClusterSample *sample = beam_cluster_sample_finish (result, &error);
  Member *m = ticket_member (self, ticket);

  if (m == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_clear_pointer (&sample, beam_cluster_sample_free);
      return;
    }
  m->in_flight = FALSE;
  if (m->asked_tick != 0 && m->asked_tick == self->tick && self->outstanding > 0)
    self->outstanding--;
  m->asked_tick = 0;

  if (sample != NULL)
    {
      take_answer (self, m, sample);
      update_member (m);
    }
  else if (g_error_matches (error, BEAM_WIRE_ERROR, BEAM_WIRE_ERROR_TIMED_OUT))
    update_member (m);   /* the connection says not answering */
  else
    {
      g_debug ("The cluster sample of %s failed: %s", beam_cluster_node_get_name (m->node),
               error->message);
      update_member (m);
      if (beam_cluster_node_get_state (m->node) == BEAM_CLUSTER_NODE_CONNECTED)
        _beam_cluster_node_set_reason (m->node, error->message);
    }
  self->answers_us += g_get_monotonic_time () - start;
  schedule_flush (self, FALSE);
}

/* Asks one member if it is connected and its last sample is back; a
 * counted sample belongs to the current tick's burst. */
static void
sample_member (Member   *m,
               gboolean  counted)
{
  BeamClusterModel *self = m->model;

  if (self->stopped || self->paused || m->in_flight || m->connection == NULL ||
      beam_connection_get_state (m->connection) != BEAM_CONNECTION_STATE_CONNECTED)
    return;
  m->in_flight = TRUE;
  m->asked_tick = counted ? self->tick : 0;
  if (counted)
    self->outstanding++;
  beam_cluster_sample_async (m->connection, should_scan (self, m), SCAN_LIMIT,
                             deadline_ms (self), m->cancellable, sample_done, ticket_new (m));
}

static void
holder_done (GObject      *object G_GNUC_UNUSED,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(Ticket) ticket = user_data;
  g_autoptr(BeamClusterModel) self = g_weak_ref_get (&ticket->model);
  g_autoptr(GError) error = NULL;
  BeamTerm *holder = beam_load_sample_flag_holder_start_finish (result, &error);
  Member *m = ticket_member (self, ticket);

  if (m == NULL || !m->holder_asked || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_clear_pointer (&holder, beam_term_free);
      return;
    }
  if (holder == NULL)
    g_debug ("No scheduler_wall_time holder on %s: %s", beam_cluster_node_get_name (m->node),
             error->message);
  g_clear_pointer (&m->holder, beam_term_free);
  m->holder = holder;
  /* The first sample at once, with the flag up: utilisation comes with the second. */
  sample_member (m, FALSE);
}

/* The row's state from its connection: connected and answering, connected
 * and not answering, or anything else (down, with the connection's reason). */
static void
update_member (Member *m)
{
  BeamClusterModel *self = m->model;
  BeamConnectionState state;

  if (m->connection == NULL || self->stopped)
    return;
  state = beam_connection_get_state (m->connection);
  if (state == BEAM_CONNECTION_STATE_CONNECTED)
    {
      if (!m->was_connected)
        {
          /* Connected, or again: the last holder went with the last connection. */
          m->was_connected = TRUE;
          m->holder_asked = TRUE;
          g_clear_pointer (&m->holder, beam_term_free);
          beam_load_sample_flag_holder_start_async (m->connection, m->cancellable, holder_done,
                                                    ticket_new (m));
        }
      if (beam_connection_get_answering (m->connection))
        _beam_cluster_node_set_state (m->node, BEAM_CLUSTER_NODE_CONNECTED, NULL);
      else
        {
          g_autofree char *reason = dup_not_answering_reason (self);

          _beam_cluster_node_set_state (m->node, BEAM_CLUSTER_NODE_NOT_ANSWERING, reason);
        }
    }
  else if (state == BEAM_CONNECTION_STATE_CONNECTING && m->joining)
    return;
  else
    {
      const GError *error = beam_connection_get_last_error (m->connection);

      m->was_connected = FALSE;
      m->holder_asked = FALSE;
      g_clear_pointer (&m->holder, beam_term_free);
      _beam_cluster_node_set_state (m->node, BEAM_CLUSTER_NODE_DOWN,
                                    error != NULL ? error->message : _("connection lost"));
    }
  self->links_dirty = TRUE;
  schedule_flush (self, FALSE);
}

static gboolean
on_tick (gpointer user_data)
{
  BeamClusterModel *self = user_data;

  self->tick++;
  self->quiet_rounds = self->names_added > 0 ? 0 : self->quiet_rounds + 1;
  self->names_added = 0;
  self->outstanding = 0;
  if (!self->paused)
    for (guint i = 0; i < self->order->len; i++)
      sample_member (g_ptr_array_index (self->order, i), TRUE);
  if (g_get_monotonic_time () - self->last_epmd_us >= EPMD_INTERVAL_US)
    ask_epmd (self, NULL);
  return G_SOURCE_CONTINUE;
}

static void
restart_ticks (BeamClusterModel *self)
{
  clear_source (&self->tick_source);
  if (self->started && !self->stopped && !self->fed)
    self->tick_source = attach_source (self, self->interval_ms, on_tick, self);
}

/* EPMD: the other names on every host of the cluster. */

typedef struct
{
  GWeakRef  model;
  char     *host;
} EpmdQuestion;

static void
epmd_question_free (EpmdQuestion *question)
{
  g_weak_ref_clear (&question->model);
  g_free (question->host);
  g_free (question);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EpmdQuestion, epmd_question_free)

static void
epmd_done (GObject      *object G_GNUC_UNUSED,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(EpmdQuestion) question = user_data;
  g_autoptr(BeamClusterModel) self = g_weak_ref_get (&question->model);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = beam_epmd_names_finish (result, &error);

  if (self == NULL)
    return;
  if (self->epmd_pending > 0)
    self->epmd_pending--;
  if (self->stopped || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (entries == NULL)
    g_debug ("EPMD on %s: %s", question->host, error->message);
  for (guint i = 0; entries != NULL && i < entries->len; i++)
    {
      const BeamEpmdEntry *entry = g_ptr_array_index (entries, i);
      g_autofree char *name = g_strdup_printf ("%s@%s", entry->name, question->host);

      add_member (self, name, FALSE);
    }
  if (self->epmd_pending == 0)
    self->epmd_answered = TRUE;
  schedule_flush (self, FALSE);
}

static void
ask_epmd_host (BeamClusterModel *self,
               const char       *host)
{
  EpmdQuestion *question = g_new (EpmdQuestion, 1);

  g_weak_ref_init (&question->model, self);
  question->host = g_strdup (host);
  self->epmd_pending++;
  beam_epmd_names_async (host, EPMD_TIMEOUT_MS, self->cancellable, epmd_done, question);
}

/* Every host of a member (only_host NULL: the round every 10 s), or one
 * host the first time a member of it is seen. */
static void
ask_epmd (BeamClusterModel *self,
          const char       *only_host)
{
  g_autoptr(GHashTable) hosts = NULL;

  if (self->fed || self->stopped || !self->started)
    return;
  hosts = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < self->order->len; i++)
    {
      Member *m = g_ptr_array_index (self->order, i);

      if (m->host == NULL)
        continue;
      if (only_host != NULL && g_str_equal (m->host, only_host) &&
          g_hash_table_contains (hosts, only_host))
        return;   /* asked when its first member came */
      g_hash_table_add (hosts, m->host);
    }
  if (only_host != NULL)
    {
      ask_epmd_host (self, only_host);
      return;
    }
  self->last_epmd_us = g_get_monotonic_time ();
  {
    GHashTableIter iter;
    gpointer host;

    g_hash_table_iter_init (&iter, hosts);
    while (g_hash_table_iter_next (&iter, &host, NULL))
      ask_epmd_host (self, host);
  }
}

/* What compares nodes, once per burst. */

static const double outlier_floors[BEAM_CLUSTER_N_COLUMNS] = {
  [BEAM_CLUSTER_COLUMN_UPTIME] = 0,
  [BEAM_CLUSTER_COLUMN_PROCESSES] = 1000,
  [BEAM_CLUSTER_COLUMN_MEMORY] = 64.0 * 1024 * 1024,
  [BEAM_CLUSTER_COLUMN_BINARY] = 16.0 * 1024 * 1024,
  [BEAM_CLUSTER_COLUMN_ETS] = 16.0 * 1024 * 1024,
  [BEAM_CLUSTER_COLUMN_USAGE] = 0,
  [BEAM_CLUSTER_COLUMN_RUN_QUEUE] = 10,
  [BEAM_CLUSTER_COLUMN_MAX_QUEUE] = 1000,
  [BEAM_CLUSTER_COLUMN_ATOMS] = 10000,
};

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static void
update_outliers (BeamClusterModel *self)
{
  g_autofree double *values = g_new (double, MAX (self->order->len, 1));
  guint counts[BEAM_CLUSTER_N_COLUMNS] = { 0 };
  guint n_connected = 0;

  for (guint i = 0; i < self->order->len; i++)
    if (member_usable (g_ptr_array_index (self->order, i)))
      n_connected++;

  for (guint c = 0; c < BEAM_CLUSTER_N_COLUMNS; c++)
    {
      guint n = 0;

      for (guint i = 0; i < self->order->len; i++)
        {
          Member *m = g_ptr_array_index (self->order, i);
          double v;

          if (!member_usable (m))
            continue;
          v = beam_cluster_node_get_value (m->node, c);
          if (!isnan (v))
            values[n++] = v;
        }
      counts[c] = n;
      if (n == 0)
        {
          self->medians[c] = NAN;
          continue;
        }
      qsort (values, n, sizeof (double), compare_doubles);
      self->medians[c] = n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
    }

  for (guint i = 0; i < self->order->len; i++)
    {
      Member *m = g_ptr_array_index (self->order, i);
      double factors[BEAM_CLUSTER_N_COLUMNS];
      guint bits = 0;

      for (guint c = 0; c < BEAM_CLUSTER_N_COLUMNS; c++)
        {
          double v, median = self->medians[c];

          factors[c] = NAN;
          if (n_connected < MIN_OUTLIER_NODES || !member_usable (m) ||
              counts[c] < MIN_OUTLIER_NODES)
            continue;
          v = beam_cluster_node_get_value (m->node, c);
          if (isnan (v))
            continue;
          switch (c)
            {
            case BEAM_CLUSTER_COLUMN_USAGE:
              if (v >= median + USAGE_OUTLIER_POINTS)
                factors[c] = (v - median) * 100;
              break;
            case BEAM_CLUSTER_COLUMN_UPTIME:
              /* A recent restart. */
              if (median > 0 && v <= median / self->outlier_ratio)
                factors[c] = v > 0 ? median / v : INFINITY;
              break;
            default:
              if (v >= outlier_floors[c] && v >= self->outlier_ratio * median)
                factors[c] = median > 0 ? v / median : INFINITY;
              break;
            }
          if (!isnan (factors[c]))
            bits |= 1u << c;
        }
      _beam_cluster_node_set_outliers (m->node, bits, factors);
    }
}

static gboolean
lists (Member     *m,
       const char *name)
{
  const BeamClusterSample *sample = beam_cluster_node_get_sample (m->node);
  guint lo = 0, hi = m->n_visible;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;
      int c = strcmp (sample->visible[mid], name);

      if (c == 0)
        return TRUE;
      if (c < 0)
        lo = mid + 1;
      else
        hi = mid;
    }
  return FALSE;
}

static PairKind
raw_relation (Member *lo,
              Member *hi)
{
  gboolean lo_sees = lists (lo, beam_cluster_node_get_name (hi->node));
  gboolean hi_sees = lists (hi, beam_cluster_node_get_name (lo->node));

  if (lo_sees && hi_sees)
    return PAIR_BOTH;
  if (lo_sees)
    return PAIR_LO_SEES_HI;
  if (hi_sees)
    return PAIR_HI_SEES_LO;
  return PAIR_NEITHER;
}

static gboolean
update_pairs (BeamClusterModel *self)
{
  gboolean changed = FALSE;

  for (guint i = 0; i < self->order->len; i++)
    for (guint j = i + 1; j < self->order->len; j++)
      {
        Member *a = g_ptr_array_index (self->order, i), *b = g_ptr_array_index (self->order, j);
        Member *lo = a->slot < b->slot ? a : b, *hi = a->slot < b->slot ? b : a;
        Pair *p = pair_at (self, lo->slot, hi->slot);
        guint gen_lo = beam_cluster_node_get_samples (lo->node);
        guint gen_hi = beam_cluster_node_get_samples (hi->node);
        PairKind shown = p->shown;

        if (!member_usable (lo) || !member_usable (hi))
          {
            /* Back, it is observed anew from the next samples of both. */
            shown = PAIR_UNKNOWN;
            p->candidate = PAIR_UNKNOWN;
          }
        else if (gen_lo > p->gen_lo && gen_hi > p->gen_hi)
          {
            PairKind raw = raw_relation (lo, hi);
            gint64 seen = MAX (_beam_cluster_node_get_sampled_real_us (lo->node),
                               _beam_cluster_node_get_sampled_real_us (hi->node));

            p->gen_lo = gen_lo;
            p->gen_hi = gen_hi;
            if (raw == PAIR_BOTH)
              shown = PAIR_BOTH;
            else if (raw == p->candidate)
              {
                if (shown != raw)
                  p->shown_since_us = p->candidate_since_us;
                shown = raw;
                p->last_seen_us = seen;
              }
            else
              p->candidate_since_us = seen;
            p->candidate = raw;
          }
        if (shown != p->shown)
          {
            p->shown = shown;
            changed = TRUE;
          }
      }
  return changed;
}

/* The relation shown between two members, from a's side. */
static PairKind
shown_from (BeamClusterModel *self,
            Member           *a,
            Member           *b,
            Pair            **out_pair)
{
  Pair *p = pair_at (self, a->slot, b->slot);
  PairKind kind = p->shown;

  if (out_pair != NULL)
    *out_pair = p;
  if (a->slot > b->slot)
    {
      if (kind == PAIR_LO_SEES_HI)
        return PAIR_HI_SEES_LO;
      if (kind == PAIR_HI_SEES_LO)
        return PAIR_LO_SEES_HI;
    }
  return kind;   /* LO_SEES_HI now reads "a sees b" */
}

static void
anomaly_free (BeamClusterAnomaly *anomaly)
{
  g_free (anomaly->from);
  g_free (anomaly->to);
  g_free (anomaly);
}

static int
compare_anomalies (gconstpointer a,
                   gconstpointer b)
{
  const BeamClusterAnomaly *x = *(BeamClusterAnomaly * const *) a;
  const BeamClusterAnomaly *y = *(BeamClusterAnomaly * const *) b;

  if (x->open != y->open)
    return x->open ? -1 : 1;
  if (x->first_seen_us != y->first_seen_us)
    return x->first_seen_us < y->first_seen_us ? -1 : 1;
  return g_strcmp0 (x->from, y->from) != 0 ? g_strcmp0 (x->from, y->from)
                                           : g_strcmp0 (x->to, y->to);
}

/* One anomaly now present: the open record of it gets its last sighting,
 * or a new record opens. */
static gboolean
note_anomaly (BeamClusterModel *self,
              GHashTable       *present,
              const char       *from,
              const char       *to,
              BeamClusterLink   kind,
              gboolean          left,
              gint64            first_seen_us,
              gint64            last_seen_us)
{
  g_autofree char *key = g_strdup_printf ("%d %d %s %s", kind, left, from, to ? to : "");
  BeamClusterAnomaly *anomaly = g_hash_table_lookup (self->open_anomalies, key);

  if (anomaly != NULL)
    {
      anomaly->last_seen_us = MAX (anomaly->last_seen_us, last_seen_us);
      g_hash_table_add (present, g_steal_pointer (&key));
      return FALSE;
    }
  anomaly = g_new0 (BeamClusterAnomaly, 1);
  anomaly->from = g_strdup (from);
  anomaly->to = g_strdup (to);
  anomaly->kind = kind;
  anomaly->left = left;
  anomaly->first_seen_us = first_seen_us;
  anomaly->last_seen_us = last_seen_us;
  anomaly->open = TRUE;
  g_ptr_array_add (self->anomalies, anomaly);
  g_hash_table_insert (self->open_anomalies, g_strdup (key), anomaly);
  g_hash_table_add (present, g_steal_pointer (&key));
  return TRUE;
}

/* A node's missing links, seen one by one as the other nodes' samples came
 * in, turn out to be the node leaving: one anomaly, since the first of them. */
static gboolean
absorb_pair_anomalies (BeamClusterModel *self,
                       const char       *node,
                       gint64           *first_seen_us)
{
  GHashTableIter iter;
  gpointer value;
  gboolean absorbed = FALSE;

  g_hash_table_iter_init (&iter, self->open_anomalies);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      BeamClusterAnomaly *anomaly = value;

      if (anomaly->left || (g_strcmp0 (anomaly->from, node) != 0 &&
                            g_strcmp0 (anomaly->to, node) != 0))
        continue;
      *first_seen_us = MIN (*first_seen_us, anomaly->first_seen_us);
      g_hash_table_iter_remove (&iter);
      g_ptr_array_remove (self->anomalies, anomaly);
      absorbed = TRUE;
    }
  return absorbed;
}

static gboolean
update_anomalies (BeamClusterModel *self)
{
  g_autoptr(GHashTable) present = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree gboolean *left = g_new0 (gboolean, MAX (self->order->len, 1));
  gboolean changed = FALSE;
  GHashTableIter iter;
  gpointer key, value;

  /* A node no other answering node lists has left the cluster. */
  for (guint i = 0; i < self->order->len; i++)
    {
      Member *x = g_ptr_array_index (self->order, i);
      gint64 first = G_MAXINT64, last = 0;
      guint known = 0;
      gboolean listed = FALSE;

      if (!member_usable (x))
        continue;
      for (guint j = 0; j < self->order->len && !listed; j++)
        {
          Member *y = g_ptr_array_index (self->order, j);
          Pair *p;
          PairKind kind;

          if (j == i || !member_usable (y))
            continue;
          kind = shown_from (self, y, x, &p);
          if (kind == PAIR_UNKNOWN)
            continue;
          known++;
          if (kind == PAIR_BOTH || kind == PAIR_LO_SEES_HI)
            listed = TRUE;
          else
            {
              first = MIN (first, p->shown_since_us);
              last = MAX (last, p->last_seen_us);
            }
        }
      if (known > 0 && !listed)
        {
          left[i] = TRUE;
          changed |= absorb_pair_anomalies (self, beam_cluster_node_get_name (x->node),
                                            &first);
          changed |= note_anomaly (self, present, beam_cluster_node_get_name (x->node), NULL,
                                   BEAM_CLUSTER_LINK_MISSING, TRUE, first, last);
        }
    }

  for (guint i = 0; i < self->order->len; i++)
    for (guint j = i + 1; j < self->order->len; j++)
      {
        Member *a = g_ptr_array_index (self->order, i), *b = g_ptr_array_index (self->order, j);
        const char *name_a = beam_cluster_node_get_name (a->node);
        const char *name_b = beam_cluster_node_get_name (b->node);
        Pair *p;
        PairKind kind;

        if (left[i] || left[j] || !member_usable (a) || !member_usable (b))
          continue;
        kind = shown_from (self, a, b, &p);
        if (kind == PAIR_NEITHER)
          changed |= note_anomaly (self, present, name_a, name_b, BEAM_CLUSTER_LINK_MISSING,
                                   FALSE, p->shown_since_us, p->last_seen_us);
        else if (kind == PAIR_LO_SEES_HI)
          changed |= note_anomaly (self, present, name_a, name_b, BEAM_CLUSTER_LINK_ONE_WAY,
                                   FALSE, p->shown_since_us, p->last_seen_us);
        else if (kind == PAIR_HI_SEES_LO)
          changed |= note_anomaly (self, present, name_b, name_a, BEAM_CLUSTER_LINK_ONE_WAY,
                                   FALSE, p->shown_since_us, p->last_seen_us);
      }

  /* What is no longer so closes. */
  g_hash_table_iter_init (&iter, self->open_anomalies);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (!g_hash_table_contains (present, key))
      {
        BeamClusterAnomaly *anomaly = value;

        anomaly->open = FALSE;
        g_hash_table_iter_remove (&iter);
        changed = TRUE;
      }

  if (changed)
    {
      g_ptr_array_sort (self->anomalies, compare_anomalies);
      /* The oldest closed ones go first (they sort last). */
      while (self->anomalies->len > MAX_ANOMALIES)
        {
          BeamClusterAnomaly *last = g_ptr_array_index (self->anomalies,
                                                        self->anomalies->len - 1);

          if (last->open)
            break;
          g_ptr_array_remove_index (self->anomalies, self->anomalies->len - 1);
        }
    }
  return changed;
}

static void
hidden_free (BeamClusterHidden *hidden)
{
  g_free (hidden->node);
  g_strfreev (hidden->seen_by);
  g_free (hidden);
}

static int
compare_hidden (gconstpointer a,
                gconstpointer b)
{
  return strcmp ((*(BeamClusterHidden * const *) a)->node,
                 (*(BeamClusterHidden * const *) b)->node);
}

static gboolean
update_hidden (BeamClusterModel *self)
{
  g_autoptr(GHashTable) ours = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                      (GDestroyNotify) g_ptr_array_unref);
  g_autoptr(GHashTable) before = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) hidden = g_ptr_array_new_with_free_func ((GDestroyNotify) hidden_free);
  gboolean changed;
  GHashTableIter iter;
  gpointer key, value;

  for (guint i = 0; i < self->order->len; i++)
    {
      Member *m = g_ptr_array_index (self->order, i);

      if (m->connection != NULL && beam_connection_get_local_node (m->connection) != NULL)
        g_hash_table_add (ours, (char *) beam_connection_get_local_node (m->connection));
    }
  for (guint i = 0; i < self->hidden->len; i++)
    {
      BeamClusterHidden *h = g_ptr_array_index (self->hidden, i);

      g_hash_table_insert (before, h->node, h);
    }

  /* The order is by name, so each seen_by comes out sorted. */
  for (guint i = 0; i < self->order->len; i++)
    {
      Member *m = g_ptr_array_index (self->order, i);
      const BeamClusterSample *sample = beam_cluster_node_get_sample (m->node);

      /* Only the cluster's own nodes tell: a hidden node EPMD listed (a
       * remote shell) has every node it talks to in its nodes(hidden). */
      if (sample == NULL || beam_cluster_node_get_state (m->node) != BEAM_CLUSTER_NODE_CONNECTED
          || !beam_cluster_node_get_in_cluster (m->node))
        continue;
      for (guint k = 0; sample->hidden[k] != NULL; k++)
        {
          GPtrArray *by = g_hash_table_lookup (seen, sample->hidden[k]);
          BeamClusterNode *member = beam_cluster_model_find_node (self, sample->hidden[k]);

          if (g_hash_table_contains (ours, sample->hidden[k])
              || (member != NULL && beam_cluster_node_get_in_cluster (member)))
            continue;
          if (by == NULL)
            {
              by = g_ptr_array_new ();
              g_hash_table_insert (seen, sample->hidden[k], by);
            }
          g_ptr_array_add (by, (char *) beam_cluster_node_get_name (m->node));
        }
    }

  g_hash_table_iter_init (&iter, seen);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      BeamClusterHidden *h = g_new0 (BeamClusterHidden, 1);
      BeamClusterHidden *old = g_hash_table_lookup (before, key);
      GPtrArray *by = value;

      h->node = g_strdup (key);
      g_ptr_array_add (by, NULL);
      h->seen_by = g_strdupv ((char **) by->pdata);
      h->first_seen_us = old != NULL ? old->first_seen_us : g_get_real_time ();
      g_ptr_array_add (hidden, h);
    }
  g_ptr_array_sort (hidden, compare_hidden);

  changed = hidden->len != self->hidden->len;
  for (guint i = 0; !changed && i < hidden->len; i++)
    {
      BeamClusterHidden *a = g_ptr_array_index (hidden, i);
      BeamClusterHidden *b = g_ptr_array_index (self->hidden, i);

      changed = !g_str_equal (a->node, b->node) ||
                !g_strv_equal ((const char * const *) a->seen_by,
                               (const char * const *) b->seen_by);
    }
  if (changed)
    {
      g_ptr_array_unref (self->hidden);
      self->hidden = g_steal_pointer (&hidden);
    }
  return changed;
}

static void
update_counts (BeamClusterModel *self)
{
  guint n_down = 0, n_not_answering = 0;
  gboolean settled = self->started && !self->stopped;

  for (guint i = 0; i < self->order->len; i++)
    {
      Member *m = g_ptr_array_index (self->order, i);
      BeamClusterNodeState state = beam_cluster_node_get_state (m->node);

      if (m->joining)
        settled = FALSE;
      else if (beam_cluster_node_get_in_cluster (m->node) && state == BEAM_CLUSTER_NODE_DOWN)
        n_down++;
      if (beam_cluster_node_get_in_cluster (m->node) && state == BEAM_CLUSTER_NODE_NOT_ANSWERING)
        n_not_answering++;
      if (state == BEAM_CLUSTER_NODE_CONNECTED && beam_cluster_node_get_samples (m->node) < 2)
        settled = FALSE;
    }
  if (!self->fed && (self->quiet_rounds < 1 || self->epmd_pending > 0 || !self->epmd_answered))
    settled = FALSE;

  g_object_freeze_notify (G_OBJECT (self));
  if (self->n_down != n_down)
    {
      self->n_down = n_down;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_DOWN]);
    }
  if (self->n_not_answering != n_not_answering)
    {
      self->n_not_answering = n_not_answering;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_NOT_ANSWERING]);
    }
  if (self->settled != settled)
    {
      self->settled = settled;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SETTLED]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

static void
flush (BeamClusterModel *self)
{
  gboolean links_changed = FALSE;
  gboolean sampled = self->sampled_dirty;
  gint64 start = g_get_monotonic_time ();

  clear_source (&self->flush_source);
  update_outliers (self);
  if (self->links_dirty)
    {
      links_changed |= update_pairs (self);
      links_changed |= update_anomalies (self);
      links_changed |= update_hidden (self);
    }
  self->links_dirty = FALSE;
  self->sampled_dirty = FALSE;
  update_counts (self);
  if (sampled)
    g_signal_emit (self, signals[SAMPLED], 0);
  if (links_changed)
    g_signal_emit (self, signals[LINKS_CHANGED], 0);
  self->flush_us += g_get_monotonic_time () - start;
}

static gboolean
on_flush (gpointer user_data)
{
  /* flush() lets go of the source it runs from; the main loop holds it
   * until we return. */
  flush (user_data);
  return G_SOURCE_REMOVE;
}

/* One flush per burst: at once when the tick's answers are all in, else a
 * little later, so that one slow node neither holds the rest back nor makes
 * a flush of each answer. */
static void
schedule_flush (BeamClusterModel *self,
                gboolean          now)
{
  if (self->stopped)
    return;
  if (self->fed || now)
    {
      flush (self);
      return;
    }
  if (self->outstanding == 0)
    {
      if (self->flush_source != NULL && self->flush_is_idle)
        return;
      clear_source (&self->flush_source);
      self->flush_source = attach_source (self, 0, on_flush, self);
      self->flush_is_idle = TRUE;
    }
  else if (self->flush_source == NULL)
    {
      self->flush_source = attach_source (self, FLUSH_FALLBACK_MS, on_flush, self);
      self->flush_is_idle = FALSE;
    }
}

/* GObject. */

static void
beam_cluster_model_dispose (GObject *object)
{
  BeamClusterModel *self = BEAM_CLUSTER_MODEL (object);

  beam_cluster_model_stop (self);
  g_ptr_array_set_size (self->order, 0);
  g_hash_table_remove_all (self->by_name);
  g_hash_table_remove_all (self->by_id);
  if (self->store != NULL)
    g_list_store_remove_all (self->store);
  g_clear_object (&self->seed);

  G_OBJECT_CLASS (beam_cluster_model_parent_class)->dispose (object);
}

static void
beam_cluster_model_finalize (GObject *object)
{
  BeamClusterModel *self = BEAM_CLUSTER_MODEL (object);

  if (self->cookie != NULL)
    memset (self->cookie, 0, strlen (self->cookie));
  g_free (self->cookie);
  g_free (self->seed_name);
  g_clear_object (&self->store);
  g_ptr_array_unref (self->order);
  g_hash_table_unref (self->by_name);
  g_hash_table_unref (self->by_id);
  g_array_unref (self->free_slots);
  g_free (self->pairs);
  g_queue_clear_full (&self->join_queue, g_free);
  g_clear_object (&self->cancellable);
  g_hash_table_unref (self->not_joined);
  g_hash_table_unref (self->open_anomalies);
  g_ptr_array_unref (self->anomalies);
  g_ptr_array_unref (self->hidden);
  g_main_context_unref (self->context);

  G_OBJECT_CLASS (beam_cluster_model_parent_class)->finalize (object);
}

static void
beam_cluster_model_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  BeamClusterModel *self = BEAM_CLUSTER_MODEL (object);

  switch (prop_id)
    {
    case PROP_INTERVAL_MS:
      g_value_set_uint (value, self->interval_ms);
      break;
    case PROP_QUEUE_SCAN_INTERVAL_MS:
      g_value_set_uint (value, self->queue_scan_ms);
      break;
    case PROP_MAX_NODES:
      g_value_set_uint (value, self->max_nodes);
      break;
    case PROP_JOIN_EPMD_OTHERS:
      g_value_set_boolean (value, self->join_epmd_others);
      break;
    case PROP_OUTLIER_RATIO:
      g_value_set_double (value, self->outlier_ratio);
      break;
    case PROP_HISTORY_MINUTES:
      g_value_set_uint (value, self->history_minutes);
      break;
    case PROP_PAUSED:
      g_value_set_boolean (value, self->paused);
      break;
    case PROP_SETTLED:
      g_value_set_boolean (value, self->settled);
      break;
    case PROP_N_DOWN:
      g_value_set_uint (value, self->n_down);
      break;
    case PROP_N_NOT_ANSWERING:
      g_value_set_uint (value, self->n_not_answering);
      break;
    case PROP_N_NOT_JOINED:
      g_value_set_uint (value, g_hash_table_size (self->not_joined));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
beam_cluster_model_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  BeamClusterModel *self = BEAM_CLUSTER_MODEL (object);

  switch (prop_id)
    {
    case PROP_INTERVAL_MS:
      beam_cluster_model_set_interval_ms (self, g_value_get_uint (value));
      break;
    case PROP_QUEUE_SCAN_INTERVAL_MS:
      beam_cluster_model_set_queue_scan_interval_ms (self, g_value_get_uint (value));
      break;
    case PROP_MAX_NODES:
      beam_cluster_model_set_max_nodes (self, g_value_get_uint (value));
      break;
    case PROP_JOIN_EPMD_OTHERS:
      beam_cluster_model_set_join_epmd_others (self, g_value_get_boolean (value));
      break;
    case PROP_OUTLIER_RATIO:
      beam_cluster_model_set_outlier_ratio (self, g_value_get_double (value));
      break;
    case PROP_HISTORY_MINUTES:
      beam_cluster_model_set_history_minutes (self, g_value_get_uint (value));
      break;
    case PROP_PAUSED:
      beam_cluster_model_set_paused (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
beam_cluster_model_class_init (BeamClusterModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->dispose = beam_cluster_model_dispose;
  object_class->finalize = beam_cluster_model_finalize;
  object_class->get_property = beam_cluster_model_get_property;
  object_class->set_property = beam_cluster_model_set_property;

  properties[PROP_INTERVAL_MS] =
    g_param_spec_uint ("interval-ms", NULL, NULL, MIN_INTERVAL_MS, MAX_INTERVAL_MS,
                       DEFAULT_INTERVAL_MS, rw);
  properties[PROP_QUEUE_SCAN_INTERVAL_MS] =
    g_param_spec_uint ("queue-scan-interval-ms", NULL, NULL, 0, G_MAXUINT,
                       DEFAULT_QUEUE_SCAN_MS, rw);
  properties[PROP_MAX_NODES] =
    g_param_spec_uint ("max-nodes", NULL, NULL, 1, G_MAXUINT, DEFAULT_MAX_NODES, rw);
  properties[PROP_JOIN_EPMD_OTHERS] =
    g_param_spec_boolean ("join-epmd-others", NULL, NULL, TRUE, rw);
  properties[PROP_OUTLIER_RATIO] =
    g_param_spec_double ("outlier-ratio", NULL, NULL, 1.0, 1000.0, DEFAULT_OUTLIER_RATIO, rw);
  properties[PROP_HISTORY_MINUTES] =
    g_param_spec_uint ("history-minutes", NULL, NULL, 1, 60, DEFAULT_HISTORY_MINUTES, rw);
  properties[PROP_PAUSED] = g_param_spec_boolean ("paused", NULL, NULL, FALSE, rw);
  properties[PROP_SETTLED] = g_param_spec_boolean ("settled", NULL, NULL, FALSE, ro);
  properties[PROP_N_DOWN] = g_param_spec_uint ("n-down", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_N_NOT_ANSWERING] =
    g_param_spec_uint ("n-not-answering", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_N_NOT_JOINED] =
    g_param_spec_uint ("n-not-joined", NULL, NULL, 0, G_MAXUINT, 0, ro);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SAMPLED] = g_signal_new ("sampled", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[LINKS_CHANGED] = g_signal_new ("links-changed", G_TYPE_FROM_CLASS (klass),
                                         G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                         G_TYPE_NONE, 0);
}

static void
beam_cluster_model_init (BeamClusterModel *self)
{
  self->context = g_main_context_ref_thread_default ();
  self->interval_ms = DEFAULT_INTERVAL_MS;
  self->queue_scan_ms = DEFAULT_QUEUE_SCAN_MS;
  self->max_nodes = DEFAULT_MAX_NODES;
  self->join_epmd_others = TRUE;
  self->outlier_ratio = DEFAULT_OUTLIER_RATIO;
  self->history_minutes = DEFAULT_HISTORY_MINUTES;
  self->store = g_list_store_new (BEAM_TYPE_CLUSTER_NODE);
  self->order = g_ptr_array_new ();
  self->by_name = g_hash_table_new (g_str_hash, g_str_equal);
  self->by_id = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL,
                                       (GDestroyNotify) member_free);
  self->free_slots = g_array_new (FALSE, FALSE, sizeof (guint));
  g_queue_init (&self->join_queue);
  self->cancellable = g_cancellable_new ();
  self->not_joined = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->anomalies = g_ptr_array_new_with_free_func ((GDestroyNotify) anomaly_free);
  self->open_anomalies = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->hidden = g_ptr_array_new_with_free_func ((GDestroyNotify) hidden_free);
  for (guint c = 0; c < BEAM_CLUSTER_N_COLUMNS; c++)
    self->medians[c] = NAN;
}

/* Public API. */

BeamClusterModel *
beam_cluster_model_new (BeamConnection *seed,
                        const char     *cookie)
{
  BeamClusterModel *self;

  g_return_val_if_fail (BEAM_IS_CONNECTION (seed), NULL);

  self = g_object_new (BEAM_TYPE_CLUSTER_MODEL, NULL);
  self->seed = g_object_ref (seed);
  self->seed_name = g_strdup (beam_connection_get_node_name (seed));
  self->cookie = g_strdup (cookie);
  return self;
}

void
beam_cluster_model_start (BeamClusterModel *self)
{
  Member *m;

  g_return_if_fail (BEAM_IS_CLUSTER_MODEL (self));
  g_return_if_fail (!self->fed);

  if (self->started || self->stopped)
    return;
  /* The name the node gives itself, known once connected. */
  g_free (self->seed_name);
  self->seed_name = g_strdup (beam_connection_get_node_name (self->seed));

  /* Added before `started`, so that add_member does not join it: the seed's
   * connection is the window's (a join would open a second one, hidden on
   * the seed, and leave the member joining for ever, never settled). */
  m = add_member (self, self->seed_name, TRUE);
  self->started = TRUE;
  m->is_seed = TRUE;
  m->connection = g_object_ref (self->seed);
  g_signal_connect (m->connection, "notify::state", G_CALLBACK (on_member_connection_changed), m);
  g_signal_connect (m->connection, "notify::answering",
                    G_CALLBACK (on_member_connection_changed), m);
  if (beam_connection_get_state (self->seed) == BEAM_CONNECTION_STATE_CONNECTED)
    update_member (m);
  else
    {
      const GError *error = beam_connection_get_last_error (self->seed);

      _beam_cluster_node_set_state (m->node, BEAM_CLUSTER_NODE_DOWN,
                                    error != NULL ? error->message : _("not connected"));
    }
  restart_ticks (self);
  ask_epmd (self, NULL);
}

void
beam_cluster_model_stop (BeamClusterModel *self)
{
  g_return_if_fail (BEAM_IS_CLUSTER_MODEL (self));

  if (self->stopped)
    return;
  self->stopped = TRUE;
  clear_source (&self->tick_source);
  clear_source (&self->flush_source);
  g_cancellable_cancel (self->cancellable);
  g_queue_clear_full (&self->join_queue, g_free);
  self->running_connects = 0;
  for (guint i = 0; i < self->order->len; i++)
    {
      Member *m = g_ptr_array_index (self->order, i);

      clear_source (&m->retry_source);
      g_cancellable_cancel (m->cancellable);
      m->joining = FALSE;
      m->queued = FALSE;
      /* Told to go while the connection is up; the seed's stays up. */
      drop_connection (m, TRUE);
    }
}

guint
beam_cluster_model_get_interval_ms (BeamClusterModel *self)
{
  g_return_val_if_fail (BEAM_IS_CLUSTER_MODEL (self), 0);
  return self->interval_ms;
}

void
beam_cluster_model_set_interval_ms (BeamClusterModel *self,
                                    guint             interval_ms)
{
  g_return_if_fail (BEAM_IS_CLUSTER_MODEL (self));

  interval_ms = CLAMP (interval_ms, MIN_INTERVAL_MS, MAX_INTERVAL_MS);
  if (self->interval_ms == interval_ms)
    return;
  self->interval_ms = interval_ms;
  for (guint i = 0; i < self->order->len; i++)
    {
      Member *m = g_ptr_array_index (self->order, i);

      _beam_cluster_node_set_history_points (m->node, history_points (self));
    }
  restart_ticks (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INTERVAL_MS]);
}

void
beam_cluster_model_set_queue_scan_interval_ms (BeamClusterModel *self,
                                               guint             interval_ms)
{
  g_return_if_fail (BEAM_IS_CLUSTER_MODEL (self));

  if (self->queue_scan_ms == interval_ms)
    return;
  self->queue_scan_ms = interval_ms;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_QUEUE_SCAN_INTERVAL_MS]);
}

void
beam_cluster_model_set_max_nodes (BeamClusterModel *self,
                                  guint             max_nodes)
{
  g_return_if_fail (BEAM_IS_CLUSTER_MODEL (self));

  max_nodes = MAX (max_nodes, 1);
  if (self->max_nodes == max_nodes)
    return;
  self->max_nodes = max_nodes;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_NODES]);
}

void
beam_cluster_model_set_join_epmd_others (BeamClusterModel *self,
                                         gboolean          join)
{
  g_return_if_fail (BEAM_IS_CLUSTER_MODEL (self));

  join = !!join;
  if (self->join_epmd_others == join)
    return;
  self->join_epmd_others = join;
  /* Those listed so far are joined now; joined ones stay when it goes off. */
  for (guint i = 0; join && self->started && i < self->order->len; i++)
    {
      Member *m = g_ptr_array_index (self->order, i);

      if (m->connection == NULL && !m->joining && !m->cookie_rejected &&
          m->retry_source == NULL)
        join_member (m);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_JOIN_EPMD_OTHERS]);
}

void
beam_cluster_model_set_outlier_ratio (BeamClusterModel *self,
                                      double            ratio)
{
  g_return_if_fail (BEAM_IS_CLUSTER_MODEL (self));

  ratio = CLAMP (ratio, 1.0, 1000.0);
  if (self->outlier_ratio == ratio)
    return;
  self->outlier_ratio = ratio;
  update_outliers (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OUTLIER_RATIO]);
}

void
beam_cluster_model_set_history_minutes (BeamClusterModel *self,
                                        guint             minutes)
{
  g_return_if_fail (BEAM_IS_CLUSTER_MODEL (self));

  minutes = CLAMP (minutes, 1, 60);
  if (self->history_minutes == minutes)
    return;
  self->history_minutes = minutes;
  for (guint i = 0; i < self->order->len; i++)
    {
      Member *m = g_ptr_array_index (self->order, i);

      _beam_cluster_node_set_history_points (m->node, history_points (self));
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HISTORY_MINUTES]);
}

void
beam_cluster_model_set_paused (BeamClusterModel *self,
                               gboolean          paused)
{
  g_return_if_fail (BEAM_IS_CLUSTER_MODEL (self));

  paused = !!paused;
  if (self->paused == paused)
    return;
  self->paused = paused;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAUSED]);
}

const char *
beam_cluster_model_get_seed_name (BeamClusterModel *self)
{
  g_return_val_if_fail (BEAM_IS_CLUSTER_MODEL (self), NULL);
  return self->seed_name;
}

GListModel *
beam_cluster_model_get_nodes (BeamClusterModel *self)
{
  g_return_val_if_fail (BEAM_IS_CLUSTER_MODEL (self), NULL);
  return G_LIST_MODEL (self->store);
}

BeamClusterNode *
beam_cluster_model_find_node (BeamClusterModel *self,
                              const char       *name)
{
  Member *m;

  g_return_val_if_fail (BEAM_IS_CLUSTER_MODEL (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  m = g_hash_table_lookup (self->by_name, name);
  return m != NULL ? m->node : NULL;
}

guint
beam_cluster_model_get_n_down (BeamClusterModel *self)
{
  g_return_val_if_fail (BEAM_IS_CLUSTER_MODEL (self), 0);
  return self->n_down;
}

guint
beam_cluster_model_get_n_not_answering (BeamClusterModel *self)
{
  g_return_val_if_fail (BEAM_IS_CLUSTER_MODEL (self), 0);
  return self->n_not_answering;
}

guint
beam_cluster_model_get_n_not_joined (BeamClusterModel *self)
{
  g_return_val_if_fail (BEAM_IS_CLUSTER_MODEL (self), 0);
  return g_hash_table_size (self->not_joined);
}

gboolean
beam_cluster_model_get_settled (BeamClusterModel *self)
{
  g_return_val_if_fail (BEAM_IS_CLUSTER_MODEL (self), FALSE);
  return self->settled;
}

double
beam_cluster_model_get_median (BeamClusterModel  *self,
                               BeamClusterColumn  column)
{
  g_return_val_if_fail (BEAM_IS_CLUSTER_MODEL (self), NAN);
  g_return_val_if_fail (column < BEAM_CLUSTER_N_COLUMNS, NAN);
  return self->medians[column];
}

void
beam_cluster_model_forget_down (BeamClusterModel *self)
{
  gboolean forgot = FALSE;

  g_return_if_fail (BEAM_IS_CLUSTER_MODEL (self));

  for (guint i = self->order->len; i > 0; i--)
    {
      Member *m = g_ptr_array_index (self->order, i - 1);

      if (m->is_seed || m->joining ||
          beam_cluster_node_get_state (m->node) != BEAM_CLUSTER_NODE_DOWN)
        continue;
      remove_member (self, m);
      forgot = TRUE;
    }
  if (forgot)
    schedule_flush (self, TRUE);
}

BeamClusterLink
beam_cluster_model_get_link (BeamClusterModel *self,
                             guint             i,
                             guint             j)
{
  Member *a, *b;

  g_return_val_if_fail (BEAM_IS_CLUSTER_MODEL (self), BEAM_CLUSTER_LINK_UNKNOWN);
  g_return_val_if_fail (i < self->order->len && j < self->order->len, BEAM_CLUSTER_LINK_UNKNOWN);

  if (i == j)
    return BEAM_CLUSTER_LINK_SELF;
  a = g_ptr_array_index (self->order, i);
  b = g_ptr_array_index (self->order, j);
  if (!member_usable (a) || !member_usable (b))
    return BEAM_CLUSTER_LINK_UNKNOWN;
  switch (shown_from (self, a, b, NULL))
    {
    case PAIR_BOTH:
      return BEAM_CLUSTER_LINK_BOTH;
    case PAIR_LO_SEES_HI:
    case PAIR_HI_SEES_LO:
      return BEAM_CLUSTER_LINK_ONE_WAY;
    case PAIR_NEITHER:
      return BEAM_CLUSTER_LINK_MISSING;
    case PAIR_UNKNOWN:
    default:
      return BEAM_CLUSTER_LINK_UNKNOWN;
    }
}

gboolean
beam_cluster_model_get_sees (BeamClusterModel *self,
                             guint             i,
                             guint             j)
{
  PairKind kind;

  g_return_val_if_fail (BEAM_IS_CLUSTER_MODEL (self), FALSE);
  g_return_val_if_fail (i < self->order->len && j < self->order->len, FALSE);

  if (i == j || beam_cluster_model_get_link (self, i, j) == BEAM_CLUSTER_LINK_UNKNOWN)
    return FALSE;
  kind = shown_from (self, g_ptr_array_index (self->order, i),
                     g_ptr_array_index (self->order, j), NULL);
  return kind == PAIR_BOTH || kind == PAIR_LO_SEES_HI;
}

GPtrArray *
beam_cluster_model_get_anomalies (BeamClusterModel *self)
{
  g_return_val_if_fail (BEAM_IS_CLUSTER_MODEL (self), NULL);
  return self->anomalies;
}

static guint
find_root (guint *parent,
           guint  i)
{
  while (parent[i] != i)
    i = parent[i] = parent[parent[i]];
  return i;
}

static int
compare_partitions (gconstpointer a,
                    gconstpointer b)
{
  GStrv x = *(GStrv const *) a, y = *(GStrv const *) b;
  guint nx = g_strv_length (x), ny = g_strv_length (y);

  if (nx != ny)
    return nx > ny ? -1 : 1;
  return strcmp (x[0], y[0]);
}

GPtrArray *
beam_cluster_model_dup_partitions (BeamClusterModel *self)
{
  g_autofree guint *parent = NULL;
  g_autoptr(GHashTable) groups = NULL;
  GPtrArray *partitions;
  guint n;

  g_return_val_if_fail (BEAM_IS_CLUSTER_MODEL (self), NULL);

  n = self->order->len;
  parent = g_new (guint, MAX (n, 1));
  for (guint i = 0; i < n; i++)
    parent[i] = i;
  for (guint i = 0; i < n; i++)
    for (guint j = i + 1; j < n; j++)
      {
        Member *a = g_ptr_array_index (self->order, i), *b = g_ptr_array_index (self->order, j);
        PairKind kind;

        if (!member_usable (a) || !member_usable (b))
          continue;
        kind = shown_from (self, a, b, NULL);
        /* Not yet observed twice: the lists as they are. */
        if (kind == PAIR_UNKNOWN)
          kind = raw_relation (a->slot < b->slot ? a : b, a->slot < b->slot ? b : a);
        if (kind == PAIR_BOTH)
          parent[find_root (parent, i)] = find_root (parent, j);
      }

  groups = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL,
                                  (GDestroyNotify) g_ptr_array_unref);
  partitions = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  for (guint i = 0; i < n; i++)
    {
      Member *m = g_ptr_array_index (self->order, i);
      guint root;
      GPtrArray *group;

      if (!member_usable (m))
        continue;
      root = find_root (parent, i);
      group = g_hash_table_lookup (groups, GUINT_TO_POINTER (root));
      if (group == NULL)
        {
          group = g_ptr_array_new ();
          g_hash_table_insert (groups, GUINT_TO_POINTER (root), group);
          g_ptr_array_add (partitions, group);   /* replaced by its names below */
        }
      g_ptr_array_add (group, (char *) beam_cluster_node_get_name (m->node));
    }
  for (guint k = 0; k < partitions->len; k++)
    {
      GPtrArray *group = g_ptr_array_index (partitions, k);

      g_ptr_array_add (group, NULL);
      partitions->pdata[k] = g_strdupv ((char **) group->pdata);
    }
  g_ptr_array_sort (partitions, compare_partitions);
  return partitions;
}

GPtrArray *
beam_cluster_model_get_hidden (BeamClusterModel *self)
{
  g_return_val_if_fail (BEAM_IS_CLUSTER_MODEL (self), NULL);
  return self->hidden;
}

/* JSON. */

static char *
dup_iso8601 (gint64 real_us)
{
  g_autoptr(GDateTime) seconds = g_date_time_new_from_unix_utc (real_us / G_USEC_PER_SEC);
  g_autoptr(GDateTime) time = NULL;

  if (seconds == NULL)
    return NULL;
  time = g_date_time_add (seconds, real_us % G_USEC_PER_SEC);
  return time != NULL ? g_date_time_format_iso8601 (time) : NULL;
}

static void
add_time (JsonBuilder *builder,
          const char  *member,
          gint64       real_us)
{
  g_autofree char *text = real_us > 0 ? dup_iso8601 (real_us) : NULL;

  beam_json_add_string_or_null (builder, member, text);
}

static void
add_names (JsonBuilder       *builder,
           const char        *member,
           const char * const *names)
{
  json_builder_set_member_name (builder, member);
  json_builder_begin_array (builder);
  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    json_builder_add_string_value (builder, names[i]);
  json_builder_end_array (builder);
}

static void
add_node (JsonBuilder     *builder,
          BeamClusterNode *node)
{
  const BeamClusterSample *s = beam_cluster_node_get_sample (node);
  double usage = beam_cluster_node_get_usage (node);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "node");
  json_builder_add_string_value (builder, beam_cluster_node_get_name (node));
  json_builder_set_member_name (builder, "state");
  json_builder_add_string_value (builder,
                                 beam_cluster_node_state_to_string (
                                   beam_cluster_node_get_state (node)));
  json_builder_set_member_name (builder, "in_cluster");
  json_builder_add_boolean_value (builder, beam_cluster_node_get_in_cluster (node));
  beam_json_add_string_or_null (builder, "reason", beam_cluster_node_get_reason (node));
  beam_json_add_string_or_null (builder, "otp_release", s ? s->otp_release : NULL);
  beam_json_add_count_or_null (builder, "uptime_ms", s ? s->uptime_ms : -1);
  beam_json_add_count_or_null (builder, "process_count", s ? s->process_count : -1);
  beam_json_add_count_or_null (builder, "process_limit", s ? s->process_limit : -1);
  beam_json_add_count_or_null (builder, "memory_total", s ? s->memory_total : -1);
  beam_json_add_count_or_null (builder, "memory_binary", s ? s->memory_binary : -1);
  beam_json_add_count_or_null (builder, "memory_ets", s ? s->memory_ets : -1);
  beam_json_add_count_or_null (builder, "atom_count", s ? s->atom_count : -1);
  beam_json_add_count_or_null (builder, "atom_limit", s ? s->atom_limit : -1);
  beam_json_add_count_or_null (builder, "run_queue", s ? s->run_queue : -1);
  json_builder_set_member_name (builder, "scheduler_usage");
  if (usage >= 0)
    json_builder_add_double_value (builder, usage);
  else
    json_builder_add_null_value (builder);
  beam_json_add_count_or_null (builder, "max_message_queue", s ? s->max_queue : -1);
  beam_json_add_string_or_null (builder, "max_message_queue_pid",
                                s ? s->max_queue_pid : NULL);
  beam_json_add_string_or_null (builder, "max_message_queue_name",
                                s ? s->max_queue_name : NULL);
  beam_json_add_count_or_null (builder, "sample_reductions", s ? s->reductions : -1);
  add_names (builder, "sees", s ? (const char * const *) s->visible : NULL);
  json_builder_end_object (builder);
}

JsonNode *
beam_cluster_model_to_json (BeamClusterModel *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GPtrArray) partitions = NULL;

  g_return_val_if_fail (BEAM_IS_CLUSTER_MODEL (self), NULL);

  json_builder_begin_object (builder);
  beam_json_add_string_or_null (builder, "seed", self->seed_name);

  json_builder_set_member_name (builder, "nodes");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->order->len; i++)
    add_node (builder, ((Member *) g_ptr_array_index (self->order, i))->node);
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "links");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->anomalies->len; i++)
    {
      const BeamClusterAnomaly *anomaly = g_ptr_array_index (self->anomalies, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "from");
      json_builder_add_string_value (builder, anomaly->from);
      beam_json_add_string_or_null (builder, "to", anomaly->to);
      json_builder_set_member_name (builder, "kind");
      json_builder_add_string_value (builder, anomaly->kind == BEAM_CLUSTER_LINK_ONE_WAY
                                              ? "one_way" : "missing");
      json_builder_set_member_name (builder, "left");
      json_builder_add_boolean_value (builder, anomaly->left);
      add_time (builder, "first_seen", anomaly->first_seen_us);
      add_time (builder, "last_seen", anomaly->last_seen_us);
      json_builder_set_member_name (builder, "open");
      json_builder_add_boolean_value (builder, anomaly->open);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "hidden");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->hidden->len; i++)
    {
      const BeamClusterHidden *hidden = g_ptr_array_index (self->hidden, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "node");
      json_builder_add_string_value (builder, hidden->node);
      add_names (builder, "seen_by", (const char * const *) hidden->seen_by);
      add_time (builder, "first_seen", hidden->first_seen_us);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "partitions");
  json_builder_begin_array (builder);
  partitions = beam_cluster_model_dup_partitions (self);
  for (guint i = 0; i < partitions->len; i++)
    {
      json_builder_begin_array (builder);
      for (char **name = g_ptr_array_index (partitions, i); *name != NULL; name++)
        json_builder_add_string_value (builder, *name);
      json_builder_end_array (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "not_joined");
  json_builder_add_int_value (builder, g_hash_table_size (self->not_joined));
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/* The fed model, for tests. */

BeamClusterModel *
_beam_cluster_model_new_fed (const char *seed_name)
{
  BeamClusterModel *self;
  Member *m;

  g_return_val_if_fail (seed_name != NULL, NULL);

  self = g_object_new (BEAM_TYPE_CLUSTER_MODEL, NULL);
  self->fed = TRUE;
  self->started = TRUE;
  self->seed_name = g_strdup (seed_name);
  m = add_member (self, seed_name, TRUE);
  m->is_seed = TRUE;
  return self;
}

void
_beam_cluster_model_feed (BeamClusterModel  *self,
                          const char        *node,
                          BeamClusterSample *sample)
{
  Member *m;

  g_return_if_fail (BEAM_IS_CLUSTER_MODEL (self));
  g_return_if_fail (self->fed);
  g_return_if_fail (node != NULL);

  m = add_member (self, node, TRUE);
  if (m == NULL)
    {
      g_clear_pointer (&sample, beam_cluster_sample_free);
      return;
    }
  if (sample == NULL)
    {
      g_autofree char *reason = dup_not_answering_reason (self);

      _beam_cluster_node_set_state (m->node, BEAM_CLUSTER_NODE_NOT_ANSWERING, reason);
    }
  else
    {
      _beam_cluster_node_set_state (m->node, BEAM_CLUSTER_NODE_CONNECTED, NULL);
      take_answer (self, m, sample);
    }
  self->links_dirty = TRUE;
  schedule_flush (self, TRUE);
}

void
_beam_cluster_model_feed_down (BeamClusterModel *self,
                               const char       *node,
                               const char       *reason)
{
  Member *m;

  g_return_if_fail (BEAM_IS_CLUSTER_MODEL (self));
  g_return_if_fail (self->fed);
  g_return_if_fail (node != NULL);

  m = add_member (self, node, TRUE);
  if (m == NULL)
    return;
  _beam_cluster_node_set_state (m->node, BEAM_CLUSTER_NODE_DOWN, reason);
  self->links_dirty = TRUE;
  schedule_flush (self, TRUE);
}

gint64
_beam_cluster_model_get_answers_us (BeamClusterModel *self)
{
  g_return_val_if_fail (BEAM_IS_CLUSTER_MODEL (self), 0);
  return self->answers_us;
}

gint64
_beam_cluster_model_get_flush_us (BeamClusterModel *self)
{
  g_return_val_if_fail (BEAM_IS_CLUSTER_MODEL (self), 0);
  return self->flush_us;
}
