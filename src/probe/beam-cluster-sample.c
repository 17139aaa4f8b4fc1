/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One node's health in one rpc (issue 17). The plain sample is compiled
 * code, no program: sample_calls made by
 *
 *   lists:zipwith3(fun erlang:apply/3, [erlang, ...], [node, ...], [[], ...])
 *
 * as beam-load-sample.c asks its own: erl_eval would interpret each call,
 * many times the cost (docs/plans/cluster.md, "Probe (P1)", has the
 * figures). The scan form is programs/cluster-sample.exprs, which makes the
 * same call and adds the longest message queue.
 *
 * Everything is checked here, on the network thread, before anything is
 * built for the model: each figure's kind and range, the figures against
 * each other (counts within their limits, scheduler ids within the node's
 * schedulers), node names as beam-cluster.c checks them and at most
 * BEAM_CLUSTER_SAMPLE_MAX_NAMES of each, and the reply at most 1 MB before
 * it is read. Our own connection is one of the node's hidden nodes: the node
 * names it (node(Reply), Reply the pid this call's answer goes to), so it is
 * dropped whatever name our connection took at its last reconnect. */

#define G_LOG_DOMAIN "beamscope-probe"

#include <string.h>

#include "beam-cluster.h"
#include "beam-cluster-sample-private.h"
#include "beam-epmd.h"
#include "beam-erl-expr.h"
#include "beam-load-sample-private.h"
#include "beam-term-printer.h"

/* Two lists of 4000 names of at most 255 bytes is 2 MB; ordinary clusters
 * send a few kB. A longer answer is refused before it is read. */
#define MAX_REPLY_BYTES (1024 * 1024)
/* No VM takes more (+P and +t allow at most 2^27 and 2^30): more is no node's. */
#define MAX_LIMIT       G_MAXINT32
/* system_info(otp_release) is "25"; older ones were "R16B03". */
#define MAX_RELEASE_LEN 32

void
beam_cluster_sample_free (BeamClusterSample *sample)
{
  if (sample == NULL)
    return;
  g_free (sample->node);
  g_free (sample->otp_release);
  g_clear_pointer (&sample->wall, g_array_unref);
  g_strfreev (sample->visible);
  g_strfreev (sample->hidden);
  g_free (sample->max_queue_pid);
  g_free (sample->max_queue_name);
  g_free (sample);
}

#define CALL(name) BEAM_CLUSTER_SAMPLE_CALL_##name
#define N_CALLS    BEAM_CLUSTER_SAMPLE_N_CALLS

/* erlang:FUNCTION(ARGUMENT), or with no argument when it is NULL; the
 * arguments that are no single atom are made in sample_arguments(). */
static const struct { const char *function; const char *argument; } sample_calls[N_CALLS] = {
  [CALL (NODE)] = { "node", NULL },
  [CALL (CREATION)] = { "system_info", "creation" },
  [CALL (OTP_RELEASE)] = { "system_info", "otp_release" },
  [CALL (START_TIME)] = { "system_info", "start_time" },
  [CALL (PROCESS_COUNT)] = { "system_info", "process_count" },
  [CALL (PROCESS_LIMIT)] = { "system_info", "process_limit" },
  [CALL (ATOM_COUNT)] = { "system_info", "atom_count" },
  [CALL (ATOM_LIMIT)] = { "system_info", "atom_limit" },
  [CALL (SCHEDULERS)] = { "system_info", "schedulers" },
  [CALL (DIRTY_CPU_SCHEDULERS)] = { "system_info", "dirty_cpu_schedulers" },
  [CALL (MONOTONIC_TIME)] = { "monotonic_time", NULL },
  [CALL (NATIVE_PER_SECOND)] = { "convert_time_unit", NULL },  /* (1, second, native) */
  [CALL (MEMORY)] = { "memory", NULL },                        /* ([total, binary, ets]) */
  [CALL (WALL)] = { "statistics", "scheduler_wall_time" },
  [CALL (RUN_QUEUE)] = { "statistics", "total_run_queue_lengths_all" },
  [CALL (VISIBLE)] = { "nodes", "visible" },
  [CALL (HIDDEN)] = { "nodes", "hidden" },
  [CALL (OWN_NODE)] = { "node", NULL },                        /* (Reply) */
};

void
_beam_cluster_sample_lists (BeamTerm **out_modules,
                            BeamTerm **out_functions,
                            BeamTerm **out_arguments)
{
  GPtrArray *modules = g_ptr_array_new ();
  GPtrArray *functions = g_ptr_array_new ();
  GPtrArray *arguments = g_ptr_array_new ();

  for (guint i = 0; i < N_CALLS; i++)
    {
      const char *argument = sample_calls[i].argument;
      BeamTerm *list;

      g_ptr_array_add (modules, beam_term_new_atom ("erlang"));
      g_ptr_array_add (functions, beam_term_new_atom (sample_calls[i].function));
      if (i == CALL (NATIVE_PER_SECOND))
        list = beam_term_new_list (3, beam_term_new_integer (1), beam_term_new_atom ("second"),
                                   beam_term_new_atom ("native"));
      else if (i == CALL (MEMORY))
        list = beam_term_new_list (1, beam_term_new_list (3, beam_term_new_atom ("total"),
                                                          beam_term_new_atom ("binary"),
                                                          beam_term_new_atom ("ets")));
      else if (i == CALL (OWN_NODE))
        list = beam_term_new_list (1, beam_term_new_reply_pid ());
      else if (argument != NULL)
        list = beam_term_new_list (1, beam_term_new_atom (argument));
      else
        list = beam_term_new_list (0);
      g_ptr_array_add (arguments, list);
    }
  *out_modules = beam_term_new_list_take (modules);
  *out_functions = beam_term_new_list_take (functions);
  *out_arguments = beam_term_new_list_take (arguments);
}

static gboolean
get_count (const BeamTerm *term,
           gint64          least,
           gint64          most,
           gint64         *out_value)
{
  return beam_term_get_int64 (term, out_value) && *out_value >= least && *out_value <= most;
}

/* A node name, an atom of the form name@host. */
static char *
dup_node_name (const BeamTerm *term)
{
  if (term->kind != BEAM_TERM_ATOM ||
      !beam_node_name_split (term->v.atom.name, NULL, NULL, NULL))
    return NULL;
  return g_strdup (term->v.atom.name);
}

/* system_info(otp_release): a short string of printable ASCII. */
static char *
dup_release (const BeamTerm *term)
{
  g_autofree char *release = NULL;

  if (term->kind != BEAM_TERM_LIST || term->n_children == 0 ||
      term->n_children > MAX_RELEASE_LEN || (release = beam_term_dup_string (term)) == NULL)
    return NULL;
  for (const char *c = release; *c != '\0'; c++)
    if (!g_ascii_isgraph (*c))
      return NULL;
  return g_steal_pointer (&release);
}

/* A time on the node, in its native unit, in ms; FALSE if it does not fit. */
static gboolean
native_to_ms (gint64  native,
              gint64  native_per_second,
              gint64 *out_ms)
{
  __int128 ms = (__int128) native * 1000 / native_per_second;

  if (ms < G_MININT64 || ms > G_MAXINT64)
    return FALSE;
  *out_ms = (gint64) ms;
  return TRUE;
}

static gboolean
decode_times (const BeamTerm    **v,
              BeamClusterSample  *sample)
{
  gint64 start, now, per_second, elapsed;

  return beam_term_get_int64 (v[CALL (START_TIME)], &start) &&
         beam_term_get_int64 (v[CALL (MONOTONIC_TIME)], &now) &&
         get_count (v[CALL (NATIVE_PER_SECOND)], 1, G_MAXINT64, &per_second) &&
         !__builtin_sub_overflow (now, start, &elapsed) && elapsed >= 0 &&
         native_to_ms (elapsed, per_second, &sample->uptime_ms) &&
         native_to_ms (now, per_second, &sample->time_ms);
}

/* memory([total, binary, ets]): [{total, T}, {binary, B}, {ets, E}]. */
static gboolean
decode_memory (const BeamTerm    *list,
               BeamClusterSample *sample)
{
  static const char * const keys[] = { "total", "binary", "ets" };
  gint64 *values[] = { &sample->memory_total, &sample->memory_binary, &sample->memory_ets };

  if (list->kind != BEAM_TERM_LIST || list->v.list.improper ||
      list->n_children != G_N_ELEMENTS (keys))
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      const BeamTerm *pair = list->children[i];

      if (pair->kind != BEAM_TERM_TUPLE || pair->n_children != 2 ||
          !beam_term_is_atom (pair->children[0], keys[i]) ||
          !get_count (pair->children[1], 0, G_MAXINT64, values[i]))
        return FALSE;
    }
  /* Binaries and tables are part of the total. */
  return sample->memory_binary <= sample->memory_total &&
         sample->memory_ets <= sample->memory_total;
}

/* Drops `name` from the sorted list `names`, if it is there. */
static void
drop_name (GStrv       names,
           const char *name)
{
  guint n = g_strv_length (names);

  for (guint i = 0; i < n; i++)
    if (g_str_equal (names[i], name))
      {
        g_free (names[i]);
        memmove (names + i, names + i + 1, (n - i) * sizeof *names);  /* with the NULL */
        return;
      }
}

static gboolean
decode_figures (const BeamTerm    *reply,
                BeamClusterSample *sample)
{
  const BeamTerm **v;
  g_autofree char *own_node = NULL;
  gint64 creation, schedulers, dirty_cpu;

  if (reply->kind != BEAM_TERM_LIST || reply->v.list.improper || reply->n_children != N_CALLS)
    return FALSE;
  v = (const BeamTerm **) reply->children;

  if ((sample->node = dup_node_name (v[CALL (NODE)])) == NULL ||
      (own_node = dup_node_name (v[CALL (OWN_NODE)])) == NULL ||
      (sample->otp_release = dup_release (v[CALL (OTP_RELEASE)])) == NULL ||
      !get_count (v[CALL (CREATION)], 0, G_MAXUINT32, &creation) ||
      !get_count (v[CALL (PROCESS_LIMIT)], 1, MAX_LIMIT, &sample->process_limit) ||
      !get_count (v[CALL (PROCESS_COUNT)], 0, sample->process_limit, &sample->process_count) ||
      !get_count (v[CALL (ATOM_LIMIT)], 1, MAX_LIMIT, &sample->atom_limit) ||
      !get_count (v[CALL (ATOM_COUNT)], 0, sample->atom_limit, &sample->atom_count) ||
      !get_count (v[CALL (SCHEDULERS)], 1, BEAM_SCHEDULER_USAGE_MAX_SCHEDULERS, &schedulers) ||
      !get_count (v[CALL (DIRTY_CPU_SCHEDULERS)], 0, BEAM_SCHEDULER_USAGE_MAX_SCHEDULERS,
                  &dirty_cpu) ||
      !get_count (v[CALL (RUN_QUEUE)], 0, G_MAXINT64, &sample->run_queue) ||
      !decode_times (v, sample) ||
      !decode_memory (v[CALL (MEMORY)], sample) ||
      !_beam_load_sample_decode_wall (v[CALL (WALL)], schedulers + dirty_cpu, sample->wall) ||
      (sample->visible = beam_cluster_dup_node_names (v[CALL (VISIBLE)],
                                                      BEAM_CLUSTER_SAMPLE_MAX_NAMES)) == NULL ||
      (sample->hidden = beam_cluster_dup_node_names (v[CALL (HIDDEN)],
                                                     BEAM_CLUSTER_SAMPLE_MAX_NAMES)) == NULL)
    return FALSE;
  sample->creation = (guint32) creation;
  sample->schedulers = (gint) schedulers;
  drop_name (sample->hidden, own_node);
  return TRUE;
}

/* The scan's Queue: {skipped, Count}, {0, none, []}, or {Length, Pid, Name}
 * with Name [] for a process with no registered name. */
static gboolean
decode_queue (const BeamTerm    *queue,
              BeamClusterSample *sample)
{
  const BeamTerm *pid, *name;

  if (queue->kind != BEAM_TERM_TUPLE)
    return FALSE;
  if (queue->n_children == 2 && beam_term_is_atom (queue->children[0], "skipped"))
    return get_count (queue->children[1], 0, MAX_LIMIT, &sample->queue_skipped_count);
  if (queue->n_children != 3 || !get_count (queue->children[0], 0, G_MAXINT64, &sample->max_queue))
    return FALSE;
  pid = queue->children[1];
  name = queue->children[2];
  if (sample->max_queue == 0)
    return beam_term_is_atom (pid, "none") && name->kind == BEAM_TERM_LIST &&
           name->n_children == 0;
  /* A process of the node sampled, by its name or none. */
  if (pid->kind != BEAM_TERM_PID || g_strcmp0 (pid->v.ident.node, sample->node) != 0)
    return FALSE;
  if (name->kind == BEAM_TERM_ATOM && name->v.atom.name[0] != '\0')
    sample->max_queue_name = g_strdup (name->v.atom.name);
  else if (name->kind != BEAM_TERM_LIST || name->n_children != 0)
    return FALSE;
  sample->max_queue_pid = beam_term_print (pid, NULL);
  return TRUE;
}

gpointer
_beam_cluster_sample_decode (const BeamTerm  *reply,
                             gpointer         scan,
                             GError         **error)
{
  g_autoptr(BeamClusterSample) sample = g_new0 (BeamClusterSample, 1);
  const BeamTerm *answer = reply;
  gboolean ok;

  sample->wall = g_array_new (FALSE, FALSE, sizeof (BeamWallTime));
  sample->max_queue = -1;
  sample->reductions = -1;
  sample->scanned = GPOINTER_TO_INT (scan);
  if (sample->scanned)
    {
      /* {value, {Figures, Queue, Reductions}, _} */
      answer = beam_erl_eval_value (reply);
      ok = answer != NULL && answer->kind == BEAM_TERM_TUPLE && answer->n_children == 3 &&
           decode_figures (answer->children[0], sample) &&
           decode_queue (answer->children[1], sample) &&
           get_count (answer->children[2], 0, G_MAXINT64, &sample->reductions);
    }
  else
    ok = decode_figures (answer, sample);
  if (!ok)
    {
      beam_erl_set_bad_reply (error, sample->scanned ? "a cluster sample with its queue scan"
                                                     : "a cluster sample");
      return NULL;
    }
  return g_steal_pointer (&sample);
}

void
beam_cluster_sample_async (BeamConnection      *connection,
                           gboolean             scan,
                           guint                scan_limit,
                           guint                timeout_ms,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  BeamTerm *modules, *functions, *arguments;
  BeamCall call = {
    .timeout_ms = timeout_ms,
    .max_reply_bytes = MAX_REPLY_BYTES,
    .decode = _beam_cluster_sample_decode,
    .decode_data = GINT_TO_POINTER (scan != FALSE),
    .result_free = (GDestroyNotify) beam_cluster_sample_free,
  };

  g_return_if_fail (BEAM_IS_CONNECTION (connection));

  _beam_cluster_sample_lists (&modules, &functions, &arguments);
  if (scan)
    {
      call.module = "erl_eval";
      call.function = "exprs";
      call.args = beam_erl_source_args ("cluster-sample",
                                        "Ms", modules, "Fs", functions, "As", arguments,
                                        "Limit", beam_term_new_integer (scan_limit),
                                        NULL);
    }
  else
    {
      call.module = "lists";
      call.function = "zipwith3";
      call.args = beam_term_new_list (4, beam_term_new_export_fun ("erlang", "apply", 3),
                                      modules, functions, arguments);
    }
  beam_connection_call_task_async (connection, beam_cluster_sample_async, &call,
                                   cancellable, callback, user_data);
}

BeamClusterSample *
beam_cluster_sample_finish (GAsyncResult  *result,
                            GError       **error)
{
  return beam_connection_call_task_finish (result, beam_cluster_sample_async, error);
}

/* The normal schedulers' (ids 1..schedulers) active and total times, summed;
 * FALSE if the sums do not fit. A sample made by hand (a test's, a model's
 * recording) may list them in any order, or have no array at all. */
static gboolean
sum_normal_wall (const BeamClusterSample *sample,
                 gint64                  *out_active,
                 gint64                  *out_total)
{
  gint64 active = 0, total = 0;
  guint normal = 0;

  for (guint i = 0; sample->wall != NULL && i < sample->wall->len; i++)
    {
      const BeamWallTime *time = &g_array_index (sample->wall, BeamWallTime, i);

      if (time->id < 1 || time->id > (guint) sample->schedulers)
        continue;  /* a dirty CPU scheduler */
      if (__builtin_add_overflow (active, time->active, &active) ||
          __builtin_add_overflow (total, time->total, &total))
        return FALSE;
      normal++;
    }
  *out_active = active;
  *out_total = total;
  return normal > 0;
}

gboolean
beam_cluster_sample_usage (const BeamClusterSample *before,
                           const BeamClusterSample *after,
                           double                  *out_usage)
{
  gint64 active0, total0, active1, total1;

  g_return_val_if_fail (before != NULL && after != NULL, FALSE);
  g_return_val_if_fail (out_usage != NULL, FALSE);

  /* A new incarnation, or the flag lowered and raised again in between,
   * starts the counters over: no usage can be made of the difference. */
  if (before->creation != after->creation ||
      g_strcmp0 (before->node, after->node) != 0 || before->schedulers != after->schedulers ||
      !sum_normal_wall (before, &active0, &total0) || !sum_normal_wall (after, &active1, &total1) ||
      total1 <= total0 || active1 < active0)
    return FALSE;
  return beam_scheduler_usage_between (active0, total0, active1, total1, out_usage);
}
