/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Scheduler usage, the CLI's `sched`, as an erl_eval program:
 *
 *   (fun () ->
 *      Self = erlang:self(),
 *      erlang:spawn(fun () ->
 *          erlang:put(beamscope_sched, true),
 *          Ref = erlang:monitor(process, Reply),
 *          Worker = erlang:monitor(process, Self),
 *          receive
 *            {'DOWN', Ref, _, _, _} -> erlang:exit(Self, kill);
 *            {'DOWN', Worker, _, _, _} -> ok
 *          end
 *        end),
 *      erlang:put(beamscope_sched, true),
 *      erlang:system_flag(scheduler_wall_time, true),
 *      T0 = erlang:statistics(scheduler_wall_time_all),
 *      timer:sleep(Ms),
 *      T1 = erlang:statistics(scheduler_wall_time_all),
 *      erlang:system_flag(scheduler_wall_time, false),
 *      {T0, T1, erlang:system_info(schedulers), erlang:system_info(dirty_cpu_schedulers),
 *       erlang:system_info(dirty_io_schedulers)}
 *    end)()
 *
 * The flag counts one reference per process that raised it: ours is the
 * sampling process's, dropped by the second call or when that process exits.
 * The watcher ties the sampling process to our connection, as the Load
 * page's flag holder is (Reply is a pid of our C-node, so its monitor watches
 * the connection): a CLI killed mid-sample leaves nothing asleep on the node
 * nor the flag up. beamscope_sched in their dictionaries names them to the
 * tests. Usage is (Active1 - Active0) / (Total1 - Total0) per scheduler, as
 * recon:scheduler_usage/1 computes it. The counts come from the same
 * program, so a reply claiming more schedulers than the node has is refused
 * before its entries are read. */

#define G_LOG_DOMAIN "beamscope-probe"

#include "beam-erl-expr.h"
#include "beam-scheduler-usage-private.h"

/* How much longer than the sampling interval the call may take. */
#define MARGIN_MS 5000

const char *
beam_scheduler_usage_type_to_string (BeamSchedulerType type)
{
  switch (type)
    {
    case BEAM_SCHEDULER_DIRTY_CPU: return "dirty_cpu";
    case BEAM_SCHEDULER_DIRTY_IO: return "dirty_io";
    case BEAM_SCHEDULER_NORMAL:
    default: return "normal";
    }
}

#define VAR(name)          beam_erl_var (name)
#define ATOM(name)         beam_erl_atom (name)
#define CALL(m, f, n, ...) beam_erl_call (m, f, n, __VA_ARGS__)

static BeamTerm *
wall_time_all (void)
{
  return CALL ("erlang", "statistics", 1, ATOM ("scheduler_wall_time_all"));
}

/* The watcher of the sampling process Self: see the top of the file. */
static BeamTerm *
watcher_fun (void)
{
  BeamTerm *down = beam_erl_tuple (5, ATOM ("DOWN"), VAR ("Ref"), VAR ("_"), VAR ("_"), VAR ("_"));
  BeamTerm *ended = beam_erl_tuple (5, ATOM ("DOWN"), VAR ("Worker"), VAR ("_"), VAR ("_"),
                                    VAR ("_"));

  return beam_erl_fun (g_ptr_array_new (),
                       beam_erl_exprs (4,
                                       CALL ("erlang", "put", 2,
                                             ATOM ("beamscope_sched"), ATOM ("true")),
                                       beam_erl_match (VAR ("Ref"),
                                                       CALL ("erlang", "monitor", 2,
                                                             ATOM ("process"), VAR ("Reply"))),
                                       beam_erl_match (VAR ("Worker"),
                                                       CALL ("erlang", "monitor", 2,
                                                             ATOM ("process"), VAR ("Self"))),
                                       beam_erl_receive (2,
                                                         beam_erl_clause (down, NULL,
                                                                          CALL ("erlang", "exit", 2,
                                                                                VAR ("Self"),
                                                                                ATOM ("kill"))),
                                                         beam_erl_clause (ended, NULL,
                                                                          ATOM ("ok")))));
}

static BeamTerm *
usage_program (guint ms)
{
  BeamTerm *body;

  body = beam_erl_fun (g_ptr_array_new (),
                       beam_erl_exprs (9,
                                       beam_erl_match (VAR ("Self"),
                                                       beam_erl_call ("erlang", "self", 0)),
                                       CALL ("erlang", "spawn", 1, watcher_fun ()),
                                       CALL ("erlang", "put", 2,
                                             ATOM ("beamscope_sched"), ATOM ("true")),
                                       CALL ("erlang", "system_flag", 2,
                                             ATOM ("scheduler_wall_time"), ATOM ("true")),
                                       beam_erl_match (VAR ("T0"), wall_time_all ()),
                                       CALL ("timer", "sleep", 1, VAR ("Ms")),
                                       beam_erl_match (VAR ("T1"), wall_time_all ()),
                                       CALL ("erlang", "system_flag", 2,
                                             ATOM ("scheduler_wall_time"), ATOM ("false")),
                                       beam_erl_tuple (5, VAR ("T0"), VAR ("T1"),
                                                       CALL ("erlang", "system_info", 1,
                                                             ATOM ("schedulers")),
                                                       CALL ("erlang", "system_info", 1,
                                                             ATOM ("dirty_cpu_schedulers")),
                                                       CALL ("erlang", "system_info", 1,
                                                             ATOM ("dirty_io_schedulers")))));

  return beam_erl_eval_args (beam_erl_exprs (1, beam_erl_apply (body, 0)),
                             "Ms", beam_term_new_integer (ms),
                             "Reply", beam_term_new_reply_pid (), NULL);
}

#undef VAR
#undef ATOM
#undef CALL

gboolean
beam_scheduler_usage_between (gint64  active0,
                              gint64  total0,
                              gint64  active1,
                              gint64  total1,
                              double *out_usage)
{
  gint64 active, total;

  /* Counters only grow from zero: anything else is no scheduler's, and
   * checked subtraction keeps a node's values near 2^63 from wrapping. */
  if (active0 < 0 || total0 < 0 || active1 < 0 || total1 < 0 ||
      __builtin_sub_overflow (active1, active0, &active) ||
      __builtin_sub_overflow (total1, total0, &total))
    return FALSE;
  *out_usage = total > 0 ? CLAMP ((double) active / (double) total, 0.0, 1.0) : 0.0;
  return TRUE;
}

BeamSchedulerType
beam_scheduler_usage_type_of (gint64 id,
                              gint64 schedulers,
                              gint64 dirty_cpu_schedulers)
{
  return id <= schedulers ? BEAM_SCHEDULER_NORMAL
         : id <= schedulers + dirty_cpu_schedulers ? BEAM_SCHEDULER_DIRTY_CPU
         : BEAM_SCHEDULER_DIRTY_IO;
}

/* Indexes one sample's {Id, Active, Total} by id, each id at most once and
 * no higher than the node's scheduler count: a claimed 100,000 schedulers
 * fail on the list's length, before any entry is read. */
static gboolean
index_wall_times (const BeamTerm  *samples,
                  gint64           n_ids,
                  const BeamTerm **by_id)
{
  if (samples->kind != BEAM_TERM_LIST || samples->v.list.improper ||
      samples->n_children > n_ids)
    return FALSE;
  for (guint i = 0; i < samples->n_children; i++)
    {
      const BeamTerm *sample = samples->children[i];
      gint64 id, active, total;

      if (sample->kind != BEAM_TERM_TUPLE || sample->n_children != 3 ||
          !beam_term_get_int64 (sample->children[0], &id) ||
          !beam_term_get_int64 (sample->children[1], &active) ||
          !beam_term_get_int64 (sample->children[2], &total) ||
          id < 1 || id > n_ids || by_id[id] != NULL)
        return FALSE;
      by_id[id] = sample;
    }
  return TRUE;
}

static gboolean
scheduler_count_ok (gint64 count,
                    gint64 least)
{
  return count >= least && count <= BEAM_SCHEDULER_USAGE_MAX_SCHEDULERS;
}

/* {T0, T1, Schedulers, DirtyCpu, DirtyIo}: both samples are checked against
 * the counts the node gave in the same program, and matched by id through
 * an index, so the work is linear in the reply. */
gpointer
_beam_scheduler_usage_decode (const BeamTerm  *reply,
                              gpointer         user_data G_GNUC_UNUSED,
                              GError         **error)
{
  const BeamTerm *value = beam_erl_eval_value (reply);
  gint64 schedulers = 0, dirty_cpu = 0, dirty_io = 0, n_ids;
  g_autofree const BeamTerm **before = NULL;
  g_autofree const BeamTerm **after = NULL;
  g_autoptr(GArray) usage = NULL;

  if (value == NULL || value->kind != BEAM_TERM_TUPLE || value->n_children != 5 ||
      !beam_term_get_int64 (value->children[2], &schedulers) ||
      !beam_term_get_int64 (value->children[3], &dirty_cpu) ||
      !beam_term_get_int64 (value->children[4], &dirty_io) ||
      !scheduler_count_ok (schedulers, 1) || !scheduler_count_ok (dirty_cpu, 0) ||
      !scheduler_count_ok (dirty_io, 0))
    {
      beam_erl_set_bad_reply (error, "system_info(schedulers)");
      return NULL;
    }
  n_ids = schedulers + dirty_cpu + dirty_io;
  before = g_new0 (const BeamTerm *, n_ids + 1);
  after = g_new0 (const BeamTerm *, n_ids + 1);
  if (!index_wall_times (value->children[0], n_ids, before) ||
      !index_wall_times (value->children[1], n_ids, after))
    {
      beam_erl_set_bad_reply (error, "statistics(scheduler_wall_time_all)");
      return NULL;
    }

  usage = g_array_new (FALSE, FALSE, sizeof (BeamSchedulerUsage));
  for (gint64 id = 1; id <= n_ids; id++)
    {
      const BeamTerm *start = before[id], *end = after[id];
      BeamSchedulerUsage entry;
      gint64 active0, total0, active1, total1;

      if (start == NULL || end == NULL)
        continue;
      beam_term_get_int64 (start->children[1], &active0);
      beam_term_get_int64 (start->children[2], &total0);
      beam_term_get_int64 (end->children[1], &active1);
      beam_term_get_int64 (end->children[2], &total1);
      if (!beam_scheduler_usage_between (active0, total0, active1, total1, &entry.usage))
        {
          beam_erl_set_bad_reply (error, "statistics(scheduler_wall_time_all)");
          return NULL;
        }
      entry.id = (guint) id;
      entry.type = beam_scheduler_usage_type_of (id, schedulers, dirty_cpu);
      g_array_append_val (usage, entry);
    }
  return g_steal_pointer (&usage);
}

void
beam_scheduler_usage_async (BeamConnection      *connection,
                            guint                ms,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_return_if_fail (BEAM_IS_CONNECTION (connection));

  beam_connection_call_task_async (connection, beam_scheduler_usage_async, &(BeamCall) {
                                     .module = "erl_eval", .function = "exprs",
                                     .args = usage_program (ms), .timeout_ms = ms + MARGIN_MS,
                                     .interval_ms = ms,
                                     .decode = _beam_scheduler_usage_decode,
                                     .result_free = (GDestroyNotify) g_array_unref,
                                   }, cancellable, callback, user_data);
}

GArray *
beam_scheduler_usage_finish (GAsyncResult  *result,
                             GError       **error)
{
  return beam_connection_call_task_finish (result, beam_scheduler_usage_async, error);
}
