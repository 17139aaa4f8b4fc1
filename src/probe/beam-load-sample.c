/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A sample is ten calls, made in one rpc by compiled code (see
 * sample_calls): erlang:monotonic_time(microsecond),
 * statistics(scheduler_wall_time_all), statistics(run_queue_lengths_all),
 * system_info(schedulers), system_info(dirty_cpu_schedulers), memory(),
 * statistics(io | reductions | garbage_collection | context_switches),
 * system_info(dirty_io_schedulers). The wall times and run queues are
 * checked against the scheduler counts of the same sample, so a reply that
 * claims more schedulers than the node has is refused here, on the network
 * thread, and never becomes a chart's series.
 *
 * The flag holder is an erl_eval program:
 *
 *   erlang:spawn(fun () ->
 *       erlang:system_flag(scheduler_wall_time, true),
 *       Ref = erlang:monitor(process, Reply),
 *       receive {'DOWN', Ref, _, _, _} -> ok; stop -> ok end
 *     end)
 *
 * Reply is a pid of our C-node: the node reduces a monitor of it to watching
 * the connection, so the holder gets 'DOWN' (noconnection) when we go, and
 * its flag reference goes with it. Whatever else raised the flag keeps it. */

#define G_LOG_DOMAIN "beamscope-probe"

#include <glib/gi18n.h>

#include "beam-erl-expr.h"
#include "beam-load-sample-private.h"
#include "beam-wire-error.h"

void
beam_load_sample_free (BeamLoadSample *sample)
{
  if (sample == NULL)
    return;
  g_clear_pointer (&sample->wall, g_array_unref);
  g_clear_pointer (&sample->run_queues, g_array_unref);
  g_free (sample);
}

#define VAR(name)          beam_erl_var (name)
#define ATOM(name)         beam_erl_atom (name)
#define CALL(m, f, n, ...) beam_erl_call (m, f, n, __VA_ARGS__)

/* The sample's calls, made by compiled code in one rpc:
 *
 *   lists:zipwith3(fun erlang:apply/3, [erlang, ...], [monotonic_time, ...], [[microsecond], ...])
 *
 * not by erl_eval, which interprets each call: measured, that cost the node
 * about four times the reductions of observer's fetch_stats per sample. */
static const struct { const char *function; const char *argument; } sample_calls[] = {
  { "monotonic_time", "microsecond" },
  { "statistics", "scheduler_wall_time_all" },
  { "statistics", "run_queue_lengths_all" },
  { "system_info", "schedulers" },
  { "system_info", "dirty_cpu_schedulers" },
  { "memory", NULL },
  { "statistics", "io" },
  { "statistics", "reductions" },
  { "statistics", "garbage_collection" },
  { "statistics", "context_switches" },
  { "system_info", "dirty_io_schedulers" },
};

static BeamTerm *
sample_arguments (void)
{
  GPtrArray *modules = g_ptr_array_new ();
  GPtrArray *functions = g_ptr_array_new ();
  GPtrArray *arguments = g_ptr_array_new ();

  for (guint i = 0; i < G_N_ELEMENTS (sample_calls); i++)
    {
      g_ptr_array_add (modules, beam_term_new_atom ("erlang"));
      g_ptr_array_add (functions, beam_term_new_atom (sample_calls[i].function));
      const char *argument = sample_calls[i].argument;

      g_ptr_array_add (arguments, argument != NULL
                                  ? beam_term_new_list (1, beam_term_new_atom (argument))
                                  : beam_term_new_list (0));
    }
  return beam_term_new_list (4, beam_term_new_export_fun ("erlang", "apply", 3),
                             beam_term_new_list_take (modules),
                             beam_term_new_list_take (functions),
                             beam_term_new_list_take (arguments));
}

static BeamTerm *
holder_program (void)
{
  BeamTerm *down = beam_erl_tuple (5, ATOM ("DOWN"), VAR ("Ref"), VAR ("_"), VAR ("_"), VAR ("_"));
  GPtrArray *body;

  body = beam_erl_exprs (3,
                         CALL ("erlang", "system_flag", 2,
                               ATOM ("scheduler_wall_time"), ATOM ("true")),
                         beam_erl_match (VAR ("Ref"), CALL ("erlang", "monitor", 2,
                                                            ATOM ("process"), VAR ("Reply"))),
                         beam_erl_receive (2,
                                           beam_erl_clause (down, NULL, ATOM ("ok")),
                                           beam_erl_clause (ATOM ("stop"), NULL, ATOM ("ok"))));
  return beam_erl_eval_args (beam_erl_exprs (1, CALL ("erlang", "spawn", 1,
                                                      beam_erl_fun (g_ptr_array_new (), body))),
                             "Reply", beam_term_new_reply_pid (), NULL);
}

#undef VAR
#undef ATOM
#undef CALL

/* The first element of {Count, _} (reductions, garbage collections,
 * context switches), a count. */
static gboolean
first_count (const BeamTerm *tuple,
             gint64         *out_value)
{
  return tuple->kind == BEAM_TERM_TUPLE && tuple->n_children >= 1 &&
         beam_term_get_int64 (tuple->children[0], out_value) && *out_value >= 0;
}

static gboolean
get_count (const BeamTerm *term,
           gint64          least,
           gint64          most,
           gint64         *out_value)
{
  return beam_term_get_int64 (term, out_value) && *out_value >= least && *out_value <= most;
}

static int
compare_wall_ids (gconstpointer a,
                  gconstpointer b)
{
  guint x = ((const BeamWallTime *) a)->id, y = ((const BeamWallTime *) b)->id;

  return x < y ? -1 : x > y;
}

/* [{Id, Active, Total}] of the node's schedulers, each once; or undefined
 * while the flag is off. The length is checked before any entry is read.
 * The Cluster page's sample reads the same list. */
gboolean
_beam_load_sample_decode_wall (const BeamTerm *list,
                               gint64          n_ids,
                               GArray         *wall)
{
  if (beam_term_is_atom (list, "undefined"))
    return TRUE;
  if (list->kind != BEAM_TERM_LIST || list->v.list.improper || list->n_children > n_ids)
    return FALSE;
  for (guint i = 0; i < list->n_children; i++)
    {
      const BeamTerm *entry = list->children[i];
      BeamWallTime time;
      gint64 id;

      if (entry->kind != BEAM_TERM_TUPLE || entry->n_children != 3 ||
          !get_count (entry->children[0], 1, n_ids, &id) ||
          !get_count (entry->children[1], 0, G_MAXINT64, &time.active) ||
          !get_count (entry->children[2], 0, G_MAXINT64, &time.total) ||
          time.active > time.total)
        return FALSE;
      time.id = (guint) id;
      g_array_append_val (wall, time);
    }
  /* The node lists them in no particular order; an id twice is no node's. */
  g_array_sort (wall, compare_wall_ids);
  for (guint i = 1; i < wall->len; i++)
    if (g_array_index (wall, BeamWallTime, i - 1).id == g_array_index (wall, BeamWallTime, i).id)
      return FALSE;
  return TRUE;
}

static gboolean
decode_fields (const BeamTerm **v,
               BeamLoadSample  *sample)
{
  gint64 schedulers, dirty_cpu, dirty_io, n_ids;
  const BeamTerm *in, *out;

  if (!beam_term_get_int64 (v[0], &sample->time_us) ||
      !get_count (v[3], 1, BEAM_SCHEDULER_USAGE_MAX_SCHEDULERS, &schedulers) ||
      !get_count (v[4], 0, BEAM_SCHEDULER_USAGE_MAX_SCHEDULERS, &dirty_cpu) ||
      !get_count (v[10], 0, BEAM_SCHEDULER_USAGE_MAX_SCHEDULERS, &dirty_io))
    return FALSE;
  sample->schedulers = (gint) schedulers;
  sample->dirty_cpu_schedulers = (gint) dirty_cpu;
  sample->dirty_io_schedulers = (gint) dirty_io;
  n_ids = schedulers + dirty_cpu + dirty_io;
  if (!_beam_load_sample_decode_wall (v[1], n_ids, sample->wall))
    return FALSE;

  /* One queue a normal scheduler, then one for each kind of dirty ones. */
  if (v[2]->kind != BEAM_TERM_LIST || v[2]->v.list.improper || v[2]->n_children > schedulers + 2)
    return FALSE;
  for (guint i = 0; i < v[2]->n_children; i++)
    {
      gint64 length;

      if (!get_count (v[2]->children[i], 0, G_MAXINT64, &length))
        return FALSE;
      g_array_append_val (sample->run_queues, length);
    }

  if (v[5]->kind != BEAM_TERM_LIST || v[5]->v.list.improper)
    return FALSE;
  for (guint i = 0; i < BEAM_MEMORY_N_CATEGORIES; i++)
    {
      const BeamTerm *bytes = beam_term_lookup (v[5], beam_memory_category_key (i));

      sample->memory[i] = -1;
      if (bytes != NULL && !get_count (bytes, 0, G_MAXINT64, &sample->memory[i]))
        return FALSE;
    }

  /* {{input, I}, {output, O}} */
  if (v[6]->kind != BEAM_TERM_TUPLE || v[6]->n_children != 2)
    return FALSE;
  in = v[6]->children[0];
  out = v[6]->children[1];
  return in->kind == BEAM_TERM_TUPLE && in->n_children == 2 &&
         get_count (in->children[1], 0, G_MAXINT64, &sample->io_input) &&
         out->kind == BEAM_TERM_TUPLE && out->n_children == 2 &&
         get_count (out->children[1], 0, G_MAXINT64, &sample->io_output) &&
         first_count (v[7], &sample->reductions) &&
         first_count (v[8], &sample->garbage_collections) &&
         first_count (v[9], &sample->context_switches);
}

gpointer
_beam_load_sample_decode (const BeamTerm  *reply,
                          gpointer         user_data G_GNUC_UNUSED,
                          GError         **error)
{
  g_autoptr(BeamLoadSample) sample = NULL;

  sample = g_new0 (BeamLoadSample, 1);
  sample->wall = g_array_new (FALSE, FALSE, sizeof (BeamWallTime));
  sample->run_queues = g_array_new (FALSE, FALSE, sizeof (gint64));
  if (reply->kind != BEAM_TERM_LIST || reply->v.list.improper ||
      reply->n_children != G_N_ELEMENTS (sample_calls) ||
      !decode_fields ((const BeamTerm **) reply->children, sample))
    {
      beam_erl_set_bad_reply (error, "a load sample");
      return NULL;
    }
  return g_steal_pointer (&sample);
}

static gpointer
decode_holder (const BeamTerm  *reply,
               gpointer         user_data G_GNUC_UNUSED,
               GError         **error)
{
  const BeamTerm *value = beam_erl_eval_value (reply);

  if (value == NULL || value->kind != BEAM_TERM_PID)
    {
      g_set_error (error, BEAM_WIRE_ERROR, BEAM_WIRE_ERROR_BAD_REPLY,
                   _("Could not start the flag holder"));
      return NULL;
    }
  return beam_term_copy (value);
}

static void
start (BeamConnection      *connection,
       gpointer             tag,
       const char          *module,
       const char          *function,
       BeamTerm            *args,
       BeamReplyDecodeFunc  decode,
       GDestroyNotify       result_free,
       GCancellable        *cancellable,
       GAsyncReadyCallback  callback,
       gpointer             user_data)
{
  g_return_if_fail (BEAM_IS_CONNECTION (connection));

  beam_connection_call_task_async (connection, tag, &(BeamCall) {
                                     .module = module, .function = function, .args = args,
                                     .timeout_ms = 5000, .decode = decode,
                                     .result_free = result_free,
                                   }, cancellable, callback, user_data);
}

void
beam_load_sample_async (BeamConnection      *connection,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  start (connection, beam_load_sample_async, "lists", "zipwith3", sample_arguments (),
         _beam_load_sample_decode, (GDestroyNotify) beam_load_sample_free, cancellable,
         callback, user_data);
}

BeamLoadSample *
beam_load_sample_finish (GAsyncResult  *result,
                         GError       **error)
{
  return beam_connection_call_task_finish (result, beam_load_sample_async, error);
}

void
beam_load_sample_flag_holder_start_async (BeamConnection      *connection,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  start (connection, beam_load_sample_flag_holder_start_async, "erl_eval", "exprs",
         holder_program (), decode_holder, (GDestroyNotify) beam_term_free,
         cancellable, callback, user_data);
}

BeamTerm *
beam_load_sample_flag_holder_start_finish (GAsyncResult  *result,
                                           GError       **error)
{
  return beam_connection_call_task_finish (result, beam_load_sample_flag_holder_start_async, error);
}

void
beam_load_sample_flag_holder_stop (BeamConnection *connection,
                                   const BeamTerm *holder)
{
  g_return_if_fail (BEAM_IS_CONNECTION (connection));
  g_return_if_fail (holder != NULL);

  /* erlang:send(Holder, stop); the answer does not matter. */
  beam_connection_rpc_async (connection, "erlang", "send",
                             beam_term_new_list (2, beam_term_copy (holder),
                                                 beam_term_new_atom ("stop")),
                             0, NULL, NULL, NULL);
}

GArray *
beam_load_sample_usage (const BeamLoadSample *before,
                        const BeamLoadSample *after,
                        double               *out_total)
{
  g_autoptr(GArray) usage = NULL;
  double sum = 0;
  guint normal = 0;

  if (before->wall->len == 0 || after->wall->len == 0)
    return NULL;

  /* Both are sorted by id, each id once: one merge, linear. */
  usage = g_array_new (FALSE, FALSE, sizeof (BeamSchedulerUsage));
  for (guint i = 0, k = 0; i < after->wall->len && k < before->wall->len;)
    {
      const BeamWallTime *end = &g_array_index (after->wall, BeamWallTime, i);
      const BeamWallTime *start_time = &g_array_index (before->wall, BeamWallTime, k);
      BeamSchedulerUsage entry;

      if (start_time->id < end->id)
        {
          k++;
          continue;
        }
      i++;
      if (start_time->id > end->id)
        continue;
      k++;
      entry.id = end->id;
      entry.type = beam_scheduler_usage_type_of (end->id, after->schedulers,
                                                 after->dirty_cpu_schedulers);
      if (!beam_scheduler_usage_between (start_time->active, start_time->total,
                                         end->active, end->total, &entry.usage))
        entry.usage = 0;
      if (entry.type == BEAM_SCHEDULER_NORMAL)
        {
          sum += entry.usage;
          normal++;
        }
      g_array_append_val (usage, entry);
    }
  if (out_total != NULL)
    *out_total = normal > 0 ? sum / normal : 0;
  return g_steal_pointer (&usage);
}

double
beam_load_sample_rate (const BeamLoadSample *before,
                       const BeamLoadSample *after,
                       gint64                before_value,
                       gint64                after_value)
{
  gint64 elapsed_us, grown;

  /* Checked: two samples of different incarnations, or a node's values near
   * 2^63, must give no rate rather than a wrapped one. */
  if (__builtin_sub_overflow (after->time_us, before->time_us, &elapsed_us) || elapsed_us <= 0 ||
      before_value < 0 || after_value < before_value ||
      __builtin_sub_overflow (after_value, before_value, &grown))
    return 0;
  return grown / (elapsed_us / 1e6);
}
