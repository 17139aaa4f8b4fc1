/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A sample is ten calls, made in one rpc by compiled code (see
 * sample_calls): erlang:monotonic_time(microsecond),
 * statistics(scheduler_wall_time_all), statistics(run_queue_lengths_all),
 * system_info(schedulers), system_info(dirty_cpu_schedulers), memory(),
 * statistics(io | reductions | garbage_collection | context_switches).
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
#include "beam-load-sample.h"
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

/* The sample's ten calls, made by compiled code in one rpc:
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

static gint64
first_int (const BeamTerm *tuple)
{
  gint64 value = -1;

  if (tuple != NULL && tuple->kind == BEAM_TERM_TUPLE && tuple->n_children >= 1)
    beam_term_get_int64 (tuple->children[0], &value);
  return value;
}

static int
compare_wall_ids (gconstpointer a,
                  gconstpointer b)
{
  guint x = ((const BeamWallTime *) a)->id, y = ((const BeamWallTime *) b)->id;

  return x < y ? -1 : x > y;
}

static gpointer
decode_sample (const BeamTerm  *reply,
               gpointer         user_data G_GNUC_UNUSED,
               GError         **error)
{
  const BeamTerm **v;
  BeamLoadSample *sample;
  gint64 number = 0;

  if (reply->kind != BEAM_TERM_LIST || reply->v.list.improper ||
      reply->n_children != G_N_ELEMENTS (sample_calls))
    {
      g_set_error (error, BEAM_WIRE_ERROR, BEAM_WIRE_ERROR_BAD_REPLY,
                   _("Unexpected answer to a load sample"));
      return NULL;
    }
  v = (const BeamTerm **) reply->children;

  sample = g_new0 (BeamLoadSample, 1);
  sample->wall = g_array_new (FALSE, FALSE, sizeof (BeamWallTime));
  sample->run_queues = g_array_new (FALSE, FALSE, sizeof (gint64));
  beam_term_get_int64 (v[0], &sample->time_us);

  /* [{Id, Active, Total}], or undefined while the flag is off. */
  for (guint i = 0; v[1]->kind == BEAM_TERM_LIST && i < v[1]->n_children; i++)
    {
      const BeamTerm *entry = v[1]->children[i];
      BeamWallTime wall;
      gint64 id;

      if (entry->kind == BEAM_TERM_TUPLE && entry->n_children == 3 &&
          beam_term_get_int64 (entry->children[0], &id) &&
          beam_term_get_int64 (entry->children[1], &wall.active) &&
          beam_term_get_int64 (entry->children[2], &wall.total))
        {
          wall.id = (guint) id;
          g_array_append_val (sample->wall, wall);
        }
    }
  /* The node lists them in no particular order. */
  g_array_sort (sample->wall, compare_wall_ids);
  for (guint i = 0; v[2]->kind == BEAM_TERM_LIST && i < v[2]->n_children; i++)
    if (beam_term_get_int64 (v[2]->children[i], &number))
      g_array_append_val (sample->run_queues, number);
  if (beam_term_get_int64 (v[3], &number))
    sample->schedulers = (gint) number;
  if (beam_term_get_int64 (v[4], &number))
    sample->dirty_cpu_schedulers = (gint) number;
  for (guint i = 0; i < BEAM_MEMORY_N_CATEGORIES; i++)
    {
      const BeamTerm *bytes = beam_term_lookup (v[5], beam_memory_category_key (i));
      sample->memory[i] = -1;
      if (bytes != NULL)
        beam_term_get_int64 (bytes, &sample->memory[i]);
    }
  /* {{input, I}, {output, O}} */
  if (v[6]->kind == BEAM_TERM_TUPLE && v[6]->n_children == 2)
    {
      const BeamTerm *in = v[6]->children[0], *out = v[6]->children[1];
      if (in->kind == BEAM_TERM_TUPLE && in->n_children == 2)
        beam_term_get_int64 (in->children[1], &sample->io_input);
      if (out->kind == BEAM_TERM_TUPLE && out->n_children == 2)
        beam_term_get_int64 (out->children[1], &sample->io_output);
    }
  sample->reductions = first_int (v[7]);
  sample->garbage_collections = first_int (v[8]);
  sample->context_switches = first_int (v[9]);
  return sample;
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
         decode_sample, (GDestroyNotify) beam_load_sample_free, cancellable, callback, user_data);
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
  GArray *usage;
  double sum = 0;
  guint normal = 0;

  if (before->wall->len == 0 || after->wall->len == 0)
    return NULL;

  usage = g_array_new (FALSE, FALSE, sizeof (BeamSchedulerUsage));
  for (guint i = 0; i < after->wall->len; i++)
    {
      const BeamWallTime *end = &g_array_index (after->wall, BeamWallTime, i);

      for (guint k = 0; k < before->wall->len; k++)
        {
          const BeamWallTime *start_time = &g_array_index (before->wall, BeamWallTime, k);
          gint id = (gint) end->id;
          BeamSchedulerUsage entry;

          if (start_time->id != end->id)
            continue;
          entry.id = end->id;
          entry.type = id <= after->schedulers ? BEAM_SCHEDULER_NORMAL
                     : id <= after->schedulers + after->dirty_cpu_schedulers
                     ? BEAM_SCHEDULER_DIRTY_CPU
                     : BEAM_SCHEDULER_DIRTY_IO;
          entry.usage = end->total > start_time->total
                        ? CLAMP ((double) (end->active - start_time->active)
                                 / (end->total - start_time->total), 0, 1)
                        : 0;
          if (entry.type == BEAM_SCHEDULER_NORMAL)
            {
              sum += entry.usage;
              normal++;
            }
          g_array_append_val (usage, entry);
          break;
        }
    }
  if (out_total != NULL)
    *out_total = normal > 0 ? sum / normal : 0;
  return usage;
}

double
beam_load_sample_rate (const BeamLoadSample *before,
                       const BeamLoadSample *after,
                       gint64                before_value,
                       gint64                after_value)
{
  double seconds = (after->time_us - before->time_us) / 1e6;

  if (seconds <= 0 || before_value < 0 || after_value < before_value)
    return 0;
  return (after_value - before_value) / seconds;
}
