/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Load and Memory pages' erl_eval programs: scheduler usage, the
 * allocators, and the memory playbook's questions (ETS tables by memory,
 * big heaps, binary memory around a node-wide garbage collection), each
 * shown in Erlang above its builder. The first two in detail:
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
 *    erlang:memory(total), catch erlang:system_info({allocator, mseg_alloc})}
 *
 * allocated is the carriers' size and used the blocks' size, multiblock and
 * singleblock carriers of every instance, as recon_alloc:memory/1. */

#define G_LOG_DOMAIN "beamscope-probe"

#include <glib/gi18n.h>

#include "beam-erl-expr.h"
#include "beam-load.h"
#include "beam-term-printer.h"
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
#define CALL0(m, f)        beam_erl_call (m, f, 0)

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

  BeamTerm *segment_cache = beam_erl_catch (CALL ("erlang", "system_info", 1,
                                                  beam_erl_tuple (2, ATOM ("allocator"), ATOM ("mseg_alloc"))));

  return beam_erl_eval_args (exprs (1, beam_erl_tuple (3, each, CALL ("erlang", "memory", 1, ATOM ("total")),
                                                       segment_cache)),
                             NULL);
}

static BeamTerm *
list_of_atoms (guint        n,
               const char **names)
{
  BeamTerm *list = beam_erl_nil ();

  for (guint i = n; i > 0; i--)
    list = beam_erl_cons (ATOM (names[i - 1]), list);
  return list;
}

/* {W, lists:sublist(lists:reverse(lists:keysort(Key, Rows)), Limit)} */
static BeamTerm *
biggest_first (BeamTerm *rows,
               gint64    key)
{
  return beam_erl_tuple (2, CALL ("erlang", "system_info", 1, ATOM ("wordsize")),
                         CALL ("lists", "sublist", 2,
                               CALL ("lists", "reverse", 1,
                                     CALL ("lists", "keysort", 2, beam_erl_integer (key), rows)),
                               VAR ("Limit")));
}

/* [{T, ets:info(T, owner), ets:info(T, size), M}
 *  || T <- ets:all(), M <- [ets:info(T, memory)], is_integer(M)]
 * (a table deleted meanwhile answers undefined and drops out) */
static BeamTerm *
ets_program (guint limit)
{
  BeamTerm *rows = beam_erl_lc (beam_erl_tuple (4, VAR ("T"),
                                                CALL ("ets", "info", 2, VAR ("T"), ATOM ("owner")),
                                                CALL ("ets", "info", 2, VAR ("T"), ATOM ("size")),
                                                VAR ("M")),
                                3,
                                beam_erl_generate (VAR ("T"), CALL0 ("ets", "all")),
                                beam_erl_generate (VAR ("M"),
                                                   beam_erl_cons (CALL ("ets", "info", 2, VAR ("T"), ATOM ("memory")),
                                                                  beam_erl_nil ())),
                                CALL ("erlang", "is_integer", 1, VAR ("M")));

  return beam_erl_eval_args (exprs (1, biggest_first (rows, 4)), "Limit", beam_term_new_integer (limit), NULL);
}

/* W = erlang:system_info(wordsize),
 * [{P, N, H, M} || P <- erlang:processes(),
 *                  [{registered_name, N}, {total_heap_size, H}, {memory, M}]
 *                      <- [erlang:process_info(P, [registered_name, total_heap_size, memory])],
 *                  H * W >= Threshold] */
static BeamTerm *
heaps_program (gint64 threshold,
               guint  limit)
{
  static const char *items[] = { "registered_name", "total_heap_size", "memory" };
  BeamTerm *pattern = beam_erl_nil ();
  BeamTerm *rows;

  pattern = beam_erl_cons (beam_erl_tuple (2, ATOM ("memory"), VAR ("M")), pattern);
  pattern = beam_erl_cons (beam_erl_tuple (2, ATOM ("total_heap_size"), VAR ("H")), pattern);
  pattern = beam_erl_cons (beam_erl_tuple (2, ATOM ("registered_name"), VAR ("N")), pattern);
  rows = beam_erl_lc (beam_erl_tuple (4, VAR ("P"), VAR ("N"), VAR ("H"), VAR ("M")),
                      3,
                      beam_erl_generate (VAR ("P"), CALL0 ("erlang", "processes")),
                      beam_erl_generate (pattern,
                                         beam_erl_cons (CALL ("erlang", "process_info", 2, VAR ("P"),
                                                              list_of_atoms (G_N_ELEMENTS (items), items)),
                                                        beam_erl_nil ())),
                      beam_erl_op (">=", beam_erl_op ("*", VAR ("H"), VAR ("W")), VAR ("Threshold")));

  return beam_erl_eval_args (exprs (2,
                                    beam_erl_match (VAR ("W"), CALL ("erlang", "system_info", 1, ATOM ("wordsize"))),
                                    biggest_first (rows, 3)),
                             "Threshold", beam_term_new_integer (threshold),
                             "Limit", beam_term_new_integer (limit),
                             NULL);
}

/* B0 = erlang:memory(binary), Ps = erlang:processes(),
 * _ = [erlang:garbage_collect(P) || P <- Ps],
 * timer:sleep(250),
 * {B0, erlang:memory(binary), length(Ps)}
 *
 * The pause: a binary freed on one scheduler but allocated by another's
 * allocator instance goes back to that instance through a queue, and
 * erlang:memory(binary) counts it until the owner has taken it (measured:
 * under load, up to a few ms). */
static BeamTerm *
binary_collect_program (void)
{
  return beam_erl_eval_args (exprs (5,
                                    beam_erl_match (VAR ("B0"), CALL ("erlang", "memory", 1, ATOM ("binary"))),
                                    beam_erl_match (VAR ("Ps"), CALL0 ("erlang", "processes")),
                                    beam_erl_lc (CALL ("erlang", "garbage_collect", 1, VAR ("P")), 1,
                                                 beam_erl_generate (VAR ("P"), VAR ("Ps"))),
                                    CALL ("timer", "sleep", 1, beam_erl_integer (250)),
                                    beam_erl_tuple (3, VAR ("B0"), CALL ("erlang", "memory", 1, ATOM ("binary")),
                                                    CALL ("erlang", "length", 1, VAR ("Ps")))),
                             NULL);
}

#undef VAR
#undef ATOM
#undef CALL
#undef CALL0

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
  beam_connection_call_task_async (connection, tag, &(BeamCall) {
                                     .module = "erl_eval", .function = "exprs", .args = args,
                                     .timeout_ms = timeout_ms, .decode = decode,
                                     .result_free = result_free,
                                   }, cancellable, callback, user_data);
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

/* [{instance, N, [..., {memkind, [{status, [{cache_hits, Hits} | _]},
 *                                 {calls, [{mseg_alloc, Giga, Ones} | _]}]}]}] */
static void
add_segment_cache (BeamAllocators *allocators,
                   const BeamTerm *instances)
{
  for (guint i = 0; instances->kind == BEAM_TERM_LIST && i < instances->n_children; i++)
    {
      const BeamTerm *instance = instances->children[i];
      const BeamTerm *kind, *hits, *calls;
      gint64 value;

      if (beam_term_tagged (instance, "instance", 3) == NULL ||
          (kind = tagged_value (instance->children[2], "memkind")) == NULL)
        continue;
      if ((hits = tagged_value (tagged_value (kind, "status"), "cache_hits")) != NULL &&
          beam_term_get_int64 (hits, &value))
        allocators->cache_hits += value;
      if ((calls = tagged_value (kind, "calls")) != NULL && calls->kind == BEAM_TERM_LIST)
        for (guint k = 0; k < calls->n_children; k++)
          {
            const BeamTerm *count = beam_term_tagged (calls->children[k], "mseg_alloc", 3);
            gint64 giga, ones;

            if (count != NULL && beam_term_get_int64 (count->children[1], &giga) &&
                beam_term_get_int64 (count->children[2], &ones))
              allocators->cache_calls += giga * 1000000000 + ones;
          }
    }
}

static gpointer
decode_allocators (const BeamTerm  *reply,
                   gpointer         user_data G_GNUC_UNUSED,
                   GError         **error)
{
  const BeamTerm *value = eval_value (reply);
  const BeamTerm *types;
  BeamAllocators *allocators;

  if (value == NULL || value->kind != BEAM_TERM_TUPLE || value->n_children != 3 ||
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
  add_segment_cache (allocators, value->children[2]);
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
  json_builder_set_member_name (builder, "cache_hits");
  json_builder_add_int_value (builder, allocators->cache_hits);
  json_builder_set_member_name (builder, "cache_calls");
  json_builder_add_int_value (builder, allocators->cache_calls);
  json_builder_set_member_name (builder, "cache_hit_rate");
  json_builder_add_double_value (builder, allocators->cache_calls > 0
                                          ? (double) allocators->cache_hits / allocators->cache_calls : 0.0);
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

/* ---- the memory playbook ---------------------------------------------------------- */

static void
ets_table_memory_free (BeamEtsTableMemory *table)
{
  g_free (table->table);
  g_free (table->owner);
  g_free (table);
}

static void
heap_memory_free (BeamHeapMemory *heap)
{
  g_free (heap->pid);
  g_free (heap->name);
  g_free (heap);
}

/* {WordSize, Rows} with Rows a list of tuples of `arity` */
static const BeamTerm *
sized_rows (const BeamTerm *reply,
            gint64         *word_size)
{
  const BeamTerm *value = eval_value (reply);

  if (value == NULL || value->kind != BEAM_TERM_TUPLE || value->n_children != 2 ||
      !beam_term_get_int64 (value->children[0], word_size) || value->children[1]->kind != BEAM_TERM_LIST)
    return NULL;
  return value->children[1];
}

static gpointer
decode_ets (const BeamTerm  *reply,
            gpointer         user_data G_GNUC_UNUSED,
            GError         **error)
{
  gint64 word_size;
  const BeamTerm *rows = sized_rows (reply, &word_size);
  GPtrArray *tables;

  if (rows == NULL)
    {
      set_bad_reply (error, "ets:info/2");
      return NULL;
    }
  tables = g_ptr_array_new_with_free_func ((GDestroyNotify) ets_table_memory_free);
  for (guint i = 0; i < rows->n_children; i++)
    {
      const BeamTerm *row = rows->children[i];
      BeamEtsTableMemory *table;

      if (row->kind != BEAM_TERM_TUPLE || row->n_children != 4)
        continue;
      table = g_new0 (BeamEtsTableMemory, 1);
      table->table = beam_term_print (row->children[0], NULL);
      table->owner = beam_term_print (row->children[1], NULL);
      beam_term_get_int64 (row->children[2], &table->objects);
      beam_term_get_int64 (row->children[3], &table->bytes);
      table->bytes *= word_size;
      g_ptr_array_add (tables, table);
    }
  return tables;
}

static gpointer
decode_heaps (const BeamTerm  *reply,
              gpointer         user_data G_GNUC_UNUSED,
              GError         **error)
{
  gint64 word_size;
  const BeamTerm *rows = sized_rows (reply, &word_size);
  GPtrArray *heaps;

  if (rows == NULL)
    {
      set_bad_reply (error, "erlang:process_info/2");
      return NULL;
    }
  heaps = g_ptr_array_new_with_free_func ((GDestroyNotify) heap_memory_free);
  for (guint i = 0; i < rows->n_children; i++)
    {
      const BeamTerm *row = rows->children[i];
      BeamHeapMemory *heap;

      if (row->kind != BEAM_TERM_TUPLE || row->n_children != 4 || row->children[0]->kind != BEAM_TERM_PID)
        continue;
      heap = g_new0 (BeamHeapMemory, 1);
      heap->pid = beam_term_print (row->children[0], NULL);
      /* process_info answers [] for a process without a name */
      if (row->children[1]->kind == BEAM_TERM_ATOM)
        heap->name = g_strdup (row->children[1]->v.atom.name);
      beam_term_get_int64 (row->children[2], &heap->heap_bytes);
      heap->heap_bytes *= word_size;
      beam_term_get_int64 (row->children[3], &heap->memory);
      g_ptr_array_add (heaps, heap);
    }
  return heaps;
}

static gpointer
decode_binary_collect (const BeamTerm  *reply,
                       gpointer         user_data G_GNUC_UNUSED,
                       GError         **error)
{
  const BeamTerm *value = eval_value (reply);
  BeamBinaryCollection *collection;

  if (value == NULL || value->kind != BEAM_TERM_TUPLE || value->n_children != 3)
    {
      set_bad_reply (error, "erlang:garbage_collect/1");
      return NULL;
    }
  collection = g_new0 (BeamBinaryCollection, 1);
  if (!beam_term_get_int64 (value->children[0], &collection->before) ||
      !beam_term_get_int64 (value->children[1], &collection->after) ||
      !beam_term_get_int64 (value->children[2], &collection->processes))
    {
      g_free (collection);
      set_bad_reply (error, "erlang:memory(binary)");
      return NULL;
    }
  return collection;
}

void
beam_ets_by_memory_async (BeamConnection      *connection,
                          guint                limit,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_return_if_fail (BEAM_IS_CONNECTION (connection));

  start (connection, beam_ets_by_memory_async, ets_program (limit), 30000, decode_ets,
         (GDestroyNotify) g_ptr_array_unref, cancellable, callback, user_data);
}

GPtrArray *
beam_ets_by_memory_finish (GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
beam_big_heaps_async (BeamConnection      *connection,
                      gint64               threshold,
                      guint                limit,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_return_if_fail (BEAM_IS_CONNECTION (connection));

  /* Every process is asked, on the node: a million of them take seconds. */
  start (connection, beam_big_heaps_async, heaps_program (threshold, limit), 60000, decode_heaps,
         (GDestroyNotify) g_ptr_array_unref, cancellable, callback, user_data);
}

GPtrArray *
beam_big_heaps_finish (GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
beam_binary_collect_async (BeamConnection      *connection,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_return_if_fail (BEAM_IS_CONNECTION (connection));

  start (connection, beam_binary_collect_async, binary_collect_program (), 120000, decode_binary_collect,
         g_free, cancellable, callback, user_data);
}

BeamBinaryCollection *
beam_binary_collect_finish (GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
