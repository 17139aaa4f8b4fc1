/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Two erl_eval programs.
 *
 * Scheduler usage:
 *
 *   (fun () ->
 *      erlang:system_flag(scheduler_wall_time, true),
 *      T0 = erlang:statistics(scheduler_wall_time_all),
 *      timer:sleep(Ms),
 *      T1 = erlang:statistics(scheduler_wall_time_all),
 *      erlang:system_flag(scheduler_wall_time, false),
 *      {T0, T1, erlang:system_info(schedulers), erlang:system_info(dirty_cpu_schedulers)}
 *    end)()
 *
 * The flag counts one reference per process that raised it: ours is the
 * sampling process's, dropped by the second call or, if we gave up waiting,
 * when that process exits. Usage is (Active1 - Active0) / (Total1 - Total0)
 * per scheduler, as recon:scheduler_usage/1 computes it.
 *
 * Allocators:
 *
 *   {[{A, erlang:system_info({allocator, A})} || A <- erlang:system_info(alloc_util_allocators)],
 *    erlang:memory(total)}
 *
 * allocated is the carriers' size and used the blocks' size, multiblock and
 * singleblock carriers of every instance, as recon_alloc:memory/1. */

#define G_LOG_DOMAIN "beamscope-probe"

#include <glib/gi18n.h>

#include "beam-erl-expr.h"
#include "beam-load.h"
#include "beam-wire-error.h"

#define MARGIN_MS 5000

const char *
beam_scheduler_type_to_string (BeamSchedulerType type)
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

static GPtrArray *
exprs (guint n,
       ...)
{
  GPtrArray *array = g_ptr_array_new ();
  va_list args;

  va_start (args, n);
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (array, va_arg (args, gpointer));
  va_end (args);
  return array;
}

static BeamTerm *
usage_program (guint ms)
{
  BeamTerm *body = beam_erl_fun (g_ptr_array_new (),
                                 exprs (6,
                                        CALL ("erlang", "system_flag", 2, ATOM ("scheduler_wall_time"), ATOM ("true")),
                                        beam_erl_match (VAR ("T0"), CALL ("erlang", "statistics", 1, ATOM ("scheduler_wall_time_all"))),
                                        CALL ("timer", "sleep", 1, VAR ("Ms")),
                                        beam_erl_match (VAR ("T1"), CALL ("erlang", "statistics", 1, ATOM ("scheduler_wall_time_all"))),
                                        CALL ("erlang", "system_flag", 2, ATOM ("scheduler_wall_time"), ATOM ("false")),
                                        beam_erl_tuple (4, VAR ("T0"), VAR ("T1"),
                                                        CALL ("erlang", "system_info", 1, ATOM ("schedulers")),
                                                        CALL ("erlang", "system_info", 1, ATOM ("dirty_cpu_schedulers")))));

  return beam_erl_eval_args (exprs (1, beam_erl_apply (body, 0)), "Ms", beam_term_new_integer (ms), NULL);
}

static BeamTerm *
allocators_program (void)
{
  BeamTerm *each = beam_erl_lc (beam_erl_tuple (2, VAR ("A"),
                                                CALL ("erlang", "system_info", 1,
                                                      beam_erl_tuple (2, ATOM ("allocator"), VAR ("A")))),
                                1,
                                beam_erl_generate (VAR ("A"), CALL ("erlang", "system_info", 1, ATOM ("alloc_util_allocators"))));

  return beam_erl_eval_args (exprs (1, beam_erl_tuple (2, each, CALL ("erlang", "memory", 1, ATOM ("total")))), NULL);
}

#undef VAR
#undef ATOM
#undef CALL

/* {value, Value, Bindings} -> Value */
static const BeamTerm *
eval_value (const BeamTerm *reply)
{
  return beam_term_tagged (reply, "value", 3) != NULL ? reply->children[1] : NULL;
}

static void
set_bad_reply (GError    **error,
               const char *what)
{
  g_set_error (error, BEAM_WIRE_ERROR, BEAM_WIRE_ERROR_BAD_REPLY, _("Unexpected answer to %s"), what);
}

/* ---- scheduler usage ------------------------------------------------------------ */

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
  const BeamTerm *value = eval_value (reply);
  const BeamTerm *before, *after;
  gint64 schedulers = 0, dirty_cpu = 0;
  GArray *usage;

  if (value == NULL || value->kind != BEAM_TERM_TUPLE || value->n_children != 4 ||
      value->children[0]->kind != BEAM_TERM_LIST || value->children[1]->kind != BEAM_TERM_LIST ||
      !beam_term_get_int64 (value->children[2], &schedulers) ||
      !beam_term_get_int64 (value->children[3], &dirty_cpu))
    {
      set_bad_reply (error, "statistics(scheduler_wall_time_all)");
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
          !beam_term_get_int64 (start->children[1], &active0) || !beam_term_get_int64 (start->children[2], &total0) ||
          !beam_term_get_int64 (end->children[1], &active1) || !beam_term_get_int64 (end->children[2], &total1))
        continue;

      entry.id = (guint) id;
      entry.type = id <= schedulers ? BEAM_SCHEDULER_NORMAL
                 : id <= schedulers + dirty_cpu ? BEAM_SCHEDULER_DIRTY_CPU
                 : BEAM_SCHEDULER_DIRTY_IO;
      entry.usage = total1 > total0 ? CLAMP ((double) (active1 - active0) / (double) (total1 - total0), 0.0, 1.0) : 0.0;
      g_array_append_val (usage, entry);
    }
  g_array_sort (usage, compare_usage);
  return usage;
}

static void
call_done (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  gpointer value = beam_connection_call_finish (BEAM_CONNECTION (object), result, &error);

  if (value == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, value, g_task_get_task_data (task));
}

static void
start (BeamConnection      *connection,
       gpointer             tag,
       BeamTerm            *args,
       guint                timeout_ms,
       BeamReplyDecodeFunc  decode,
       GDestroyNotify       result_free,
       GCancellable        *cancellable,
       GAsyncReadyCallback  callback,
       gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, tag);
  /* The task data is only the function that frees the result. */
  g_task_set_task_data (task, result_free, NULL);
  beam_connection_call_async (connection, &(BeamCall) {
                                .module = "erl_eval", .function = "exprs", .args = args,
                                .timeout_ms = timeout_ms, .decode = decode,
                                .result_free = result_free,
                              }, cancellable, call_done, g_object_ref (task));
}

void
beam_scheduler_usage_async (BeamConnection      *connection,
                            guint                ms,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_return_if_fail (BEAM_IS_CONNECTION (connection));

  start (connection, beam_scheduler_usage_async, usage_program (ms), ms + MARGIN_MS, decode_usage,
         (GDestroyNotify) g_array_unref, cancellable, callback, user_data);
}

GArray *
beam_scheduler_usage_finish (GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- allocators ----------------------------------------------------------------- */

static void
allocator_free (BeamAllocator *allocator)
{
  g_free (allocator->type);
  g_free (allocator);
}

void
beam_allocators_free (BeamAllocators *allocators)
{
  if (allocators == NULL)
    return;
  g_clear_pointer (&allocators->types, g_ptr_array_unref);
  g_free (allocators);
}

/* {carriers_size, Current, LastMax, Max} and the blocks' current sizes:
 * [{blocks, [{Type, [{count, ...}, {size, Current, LastMax, Max}]}]}], or the
 * older {blocks_size, Current, ...}. */
/* The first element after the tag of {Tag, Value, ...} in a list: the
 * allocator statistics are tuples of 2 to 4 elements. */
static const BeamTerm *
tagged_value (const BeamTerm *list,
              const char     *tag)
{
  for (guint i = 0; list != NULL && list->kind == BEAM_TERM_LIST && i < list->n_children; i++)
    {
      const BeamTerm *entry = list->children[i];

      if (entry->kind == BEAM_TERM_TUPLE && entry->n_children >= 2 && beam_term_is_atom (entry->children[0], tag))
        return entry->children[1];
    }
  return NULL;
}

static void
add_carrier_kind (const BeamTerm *properties,
                  gint64         *carriers_size,
                  gint64         *blocks_size)
{
  const BeamTerm *carriers = tagged_value (properties, "carriers_size");
  const BeamTerm *blocks = tagged_value (properties, "blocks");
  const BeamTerm *old_blocks = tagged_value (properties, "blocks_size");
  gint64 value;

  if (carriers != NULL && beam_term_get_int64 (carriers, &value))
    *carriers_size += value;
  if (blocks != NULL && blocks->kind == BEAM_TERM_LIST)
    for (guint i = 0; i < blocks->n_children; i++)
      {
        const BeamTerm *entry = blocks->children[i];
        const BeamTerm *size;

        if (entry->kind == BEAM_TERM_TUPLE && entry->n_children == 2 &&
            (size = tagged_value (entry->children[1], "size")) != NULL &&
            beam_term_get_int64 (size, &value))
          *blocks_size += value;
      }
  else if (old_blocks != NULL && beam_term_get_int64 (old_blocks, &value))
    *blocks_size += value;
}

static gpointer
decode_allocators (const BeamTerm  *reply,
                   gpointer         user_data G_GNUC_UNUSED,
                   GError         **error)
{
  const BeamTerm *value = eval_value (reply);
  const BeamTerm *types;
  BeamAllocators *allocators;

  if (value == NULL || value->kind != BEAM_TERM_TUPLE || value->n_children != 2 ||
      value->children[0]->kind != BEAM_TERM_LIST)
    {
      set_bad_reply (error, "erlang:system_info({allocator, A})");
      return NULL;
    }

  allocators = g_new0 (BeamAllocators, 1);
  allocators->types = g_ptr_array_new_with_free_func ((GDestroyNotify) allocator_free);
  beam_term_get_int64 (value->children[1], &allocators->memory_total);
  types = value->children[0];

  for (guint i = 0; i < types->n_children; i++)
    {
      const BeamTerm *pair = types->children[i];
      const BeamTerm *instances;
      BeamAllocator *allocator;

      if (pair->kind != BEAM_TERM_TUPLE || pair->n_children != 2 || pair->children[0]->kind != BEAM_TERM_ATOM)
        continue;
      allocator = g_new0 (BeamAllocator, 1);
      allocator->type = g_strdup (pair->children[0]->v.atom.name);
      instances = pair->children[1];

      /* [{instance, N, Properties}]; a disabled allocator answers false. */
      for (guint k = 0; instances->kind == BEAM_TERM_LIST && k < instances->n_children; k++)
        {
          const BeamTerm *instance = instances->children[k];
          const BeamTerm *properties;

          if (beam_term_tagged (instance, "instance", 3) == NULL)
            continue;
          properties = instance->children[2];
          allocator->instances++;
          add_carrier_kind (tagged_value (properties, "mbcs"), &allocator->mbcs_carriers_size,
                            &allocator->mbcs_blocks_size);
          add_carrier_kind (tagged_value (properties, "sbcs"), &allocator->sbcs_carriers_size,
                            &allocator->sbcs_blocks_size);
        }
      allocator->allocated = allocator->mbcs_carriers_size + allocator->sbcs_carriers_size;
      allocator->used = allocator->mbcs_blocks_size + allocator->sbcs_blocks_size;
      allocators->allocated += allocator->allocated;
      allocators->used += allocator->used;
      g_ptr_array_add (allocators->types, allocator);
    }
  return allocators;
}

void
beam_allocators_fetch_async (BeamConnection      *connection,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_return_if_fail (BEAM_IS_CONNECTION (connection));

  start (connection, beam_allocators_fetch_async, allocators_program (), 10000, decode_allocators,
         (GDestroyNotify) beam_allocators_free, cancellable, callback, user_data);
}

BeamAllocators *
beam_allocators_fetch_finish (GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

JsonNode *
beam_allocators_to_json (const BeamAllocators *allocators)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "allocated");
  json_builder_add_int_value (builder, allocators->allocated);
  json_builder_set_member_name (builder, "used");
  json_builder_add_int_value (builder, allocators->used);
  json_builder_set_member_name (builder, "usage");
  json_builder_add_double_value (builder, allocators->allocated > 0
                                          ? (double) allocators->used / allocators->allocated : 0.0);
  json_builder_set_member_name (builder, "types");
  json_builder_begin_array (builder);
  for (guint i = 0; i < allocators->types->len; i++)
    {
      const BeamAllocator *allocator = g_ptr_array_index (allocators->types, i);
      struct { const char *key; gint64 value; } fields[] = {
        { "allocated", allocator->allocated },
        { "used", allocator->used },
        { "mbcs_carriers_size", allocator->mbcs_carriers_size },
        { "sbcs_carriers_size", allocator->sbcs_carriers_size },
        { "mbcs_blocks_size", allocator->mbcs_blocks_size },
        { "sbcs_blocks_size", allocator->sbcs_blocks_size },
        { "instances", allocator->instances },
      };

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "type");
      json_builder_add_string_value (builder, allocator->type);
      for (guint k = 0; k < G_N_ELEMENTS (fields); k++)
        {
          json_builder_set_member_name (builder, fields[k].key);
          json_builder_add_int_value (builder, fields[k].value);
        }
      json_builder_set_member_name (builder, "usage");
      json_builder_add_double_value (builder, allocator->allocated > 0
                                              ? (double) allocator->used / allocator->allocated : 0.0);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}
