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
 *      {T0, T1, erlang:system_info(schedulers), erlang:system_info(dirty_cpu_schedulers)}
 *    end)()
 *
 * The flag counts one reference per process that raised it: ours is the
 * sampling process's, dropped by the second call or when that process exits.
 * The watcher ties the sampling process to our connection, as the Load
 * page's flag holder is (Reply is a pid of our C-node, so its monitor watches
 * the connection): a CLI killed mid-sample leaves nothing asleep on the node
 * nor the flag up. beamscope_sched in their dictionaries names them to the
 * tests. Usage is (Active1 - Active0) / (Total1 - Total0) per scheduler, as
 * recon:scheduler_usage/1 computes it. */

#define G_LOG_DOMAIN "beamscope-probe"

#include "beam-erl-expr.h"
#include "beam-scheduler-usage.h"

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
                                       beam_erl_tuple (4, VAR ("T0"), VAR ("T1"),
                                                       CALL ("erlang", "system_info", 1,
                                                             ATOM ("schedulers")),
                                                       CALL ("erlang", "system_info", 1,
                                                             ATOM ("dirty_cpu_schedulers")))));

  return beam_erl_eval_args (beam_erl_exprs (1, beam_erl_apply (body, 0)),
                             "Ms", beam_term_new_integer (ms),
                             "Reply", beam_term_new_reply_pid (), NULL);
}

#undef VAR
#undef ATOM
#undef CALL

static const BeamTerm *
find_scheduler (const BeamTerm *samples,
                gint64          id)
{
  for (guint i = 0; i < samples->n_children; i++)
    {
      const BeamTerm *sample = samples->children[i];
      gint64 sample_id;

      if (sample->kind == BEAM_TERM_TUPLE && sample->n_children == 3 &&
          beam_term_get_int64 (sample->children[0], &sample_id) && sample_id == id)
        return sample;
    }
  return NULL;
}

static int
compare_usage (gconstpointer a,
               gconstpointer b)
{
  const BeamSchedulerUsage *x = a, *y = b;
  return x->id < y->id ? -1 : x->id > y->id;
}

static gpointer
decode_usage (const BeamTerm  *reply,
              gpointer         user_data G_GNUC_UNUSED,
              GError         **error)
{
  const BeamTerm *value = beam_erl_eval_value (reply);
  const BeamTerm *before, *after;
  gint64 schedulers = 0, dirty_cpu = 0;
  GArray *usage;

  if (value == NULL || value->kind != BEAM_TERM_TUPLE || value->n_children != 4 ||
      value->children[0]->kind != BEAM_TERM_LIST || value->children[1]->kind != BEAM_TERM_LIST ||
      !beam_term_get_int64 (value->children[2], &schedulers) ||
      !beam_term_get_int64 (value->children[3], &dirty_cpu))
    {
      beam_erl_set_bad_reply (error, "statistics(scheduler_wall_time_all)");
      return NULL;
    }
  before = value->children[0];
  after = value->children[1];

  usage = g_array_new (FALSE, FALSE, sizeof (BeamSchedulerUsage));
  for (guint i = 0; i < after->n_children; i++)
    {
      const BeamTerm *end = after->children[i];
      const BeamTerm *start;
      gint64 id, active0, total0, active1, total1;
      BeamSchedulerUsage entry;

      if (end->kind != BEAM_TERM_TUPLE || end->n_children != 3 ||
          !beam_term_get_int64 (end->children[0], &id) ||
          (start = find_scheduler (before, id)) == NULL ||
          !beam_term_get_int64 (start->children[1], &active0) ||
          !beam_term_get_int64 (start->children[2], &total0) ||
          !beam_term_get_int64 (end->children[1], &active1) ||
          !beam_term_get_int64 (end->children[2], &total1))
        continue;

      entry.id = (guint) id;
      entry.type = id <= schedulers ? BEAM_SCHEDULER_NORMAL
                 : id <= schedulers + dirty_cpu ? BEAM_SCHEDULER_DIRTY_CPU
                 : BEAM_SCHEDULER_DIRTY_IO;
      entry.usage = total1 > total0
                    ? CLAMP ((double) (active1 - active0) / (double) (total1 - total0), 0.0, 1.0)
                    : 0.0;
      g_array_append_val (usage, entry);
    }
  g_array_sort (usage, compare_usage);
  return usage;
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
                                     .decode = decode_usage,
                                     .result_free = (GDestroyNotify) g_array_unref,
                                   }, cancellable, callback, user_data);
}

GArray *
beam_scheduler_usage_finish (GAsyncResult  *result,
                             GError       **error)
{
  return beam_connection_call_task_finish (result, beam_scheduler_usage_async, error);
}
