/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The allocators, as an erl_eval program:
 *
 *   {[{A, erlang:system_info({allocator, A})} || A <- erlang:system_info(alloc_util_allocators)],
 *    erlang:memory(total), catch erlang:system_info({allocator, mseg_alloc})}
 *
 * allocated is the carriers' size and used the blocks' size, multiblock and
 * singleblock carriers of every instance, as recon_alloc:memory/1 sums them:
 * over its nine alloc_util allocators only (so not literal_alloc or
 * exec_alloc), and with each instance's pooled carriers (mbcs_pool:
 * carriers an instance abandoned, for another of its type to take) counted
 * with its multiblock ones. Sizes are counts: a negative one, or a sum past
 * 2^63, is an unexpected reply, never a wrapped number. */

#define G_LOG_DOMAIN "beamscope-probe"

#include "beam-allocators-private.h"
#include "beam-erl-expr.h"

/* recon_alloc's ?UTIL_ALLOCATORS. */
static const char * const recon_allocators[] = {
  "temp_alloc", "eheap_alloc", "binary_alloc", "ets_alloc", "driver_alloc", "sl_alloc",
  "ll_alloc", "fix_alloc", "std_alloc",
};

#define VAR(name)          beam_erl_var (name)
#define ATOM(name)         beam_erl_atom (name)
#define CALL(m, f, n, ...) beam_erl_call (m, f, n, __VA_ARGS__)

static BeamTerm *
allocator_info (BeamTerm *allocator)
{
  return CALL ("erlang", "system_info", 1, beam_erl_tuple (2, ATOM ("allocator"), allocator));
}

static BeamTerm *
allocators_program (void)
{
  BeamTerm *each = beam_erl_lc (beam_erl_tuple (2, VAR ("A"), allocator_info (VAR ("A"))),
                                1,
                                beam_erl_generate (VAR ("A"),
                                                   CALL ("erlang", "system_info", 1,
                                                         ATOM ("alloc_util_allocators"))));
  BeamTerm *segment_cache = beam_erl_catch (allocator_info (ATOM ("mseg_alloc")));

  return beam_erl_eval_args (beam_erl_exprs (1, beam_erl_tuple (3, each,
                                                                CALL ("erlang", "memory", 1,
                                                                      ATOM ("total")),
                                                                segment_cache)),
                             NULL);
}

#undef VAR
#undef ATOM
#undef CALL

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

      if (entry->kind == BEAM_TERM_TUPLE && entry->n_children >= 2 &&
          beam_term_is_atom (entry->children[0], tag))
        return entry->children[1];
    }
  return NULL;
}

/* *total += value, a size: FALSE for a negative one or an overflow. */
static gboolean
add_size (gint64 *total,
          gint64  value)
{
  return value >= 0 && !__builtin_add_overflow (*total, value, total);
}

/* The Max of {carriers_size, Current, LastMax, Max}: the most the carriers
 * ever held, since the node started; the current size where the tuple has
 * no max (mbcs_pool's). */
static gboolean
add_carriers_max (const BeamTerm *properties,
                  gint64         *carriers_max)
{
  gint64 value;

  for (guint i = 0; i < properties->n_children; i++)
    {
      const BeamTerm *entry = properties->children[i];

      if (entry->kind != BEAM_TERM_TUPLE || entry->n_children < 2 ||
          !beam_term_is_atom (entry->children[0], "carriers_size"))
        continue;
      return beam_term_get_int64 (entry->children[entry->n_children == 4 ? 3 : 1], &value) &&
             add_size (carriers_max, value);
    }
  return TRUE;
}

/* One kind of carriers (mbcs, sbcs, mbcs_pool), absent or not: its
 * carriers' size, their most ever, and its blocks' current sizes. */
static gboolean
add_carrier_kind (const BeamTerm *properties,
                  gint64         *carriers_size,
                  gint64         *carriers_max,
                  gint64         *blocks_size)
{
  const BeamTerm *carriers, *blocks, *old_blocks;
  gint64 value;

  if (properties == NULL)
    return TRUE;
  if (properties->kind != BEAM_TERM_LIST)
    return FALSE;
  if (!add_carriers_max (properties, carriers_max))
    return FALSE;
  carriers = tagged_value (properties, "carriers_size");
  blocks = tagged_value (properties, "blocks");
  old_blocks = tagged_value (properties, "blocks_size");
  if (carriers != NULL &&
      !(beam_term_get_int64 (carriers, &value) && add_size (carriers_size, value)))
    return FALSE;
  if (blocks != NULL)
    {
      if (blocks->kind != BEAM_TERM_LIST)
        return FALSE;
      for (guint i = 0; i < blocks->n_children; i++)
        {
          const BeamTerm *entry = blocks->children[i];
          const BeamTerm *size;

          if (entry->kind != BEAM_TERM_TUPLE || entry->n_children != 2 ||
              (size = tagged_value (entry->children[1], "size")) == NULL ||
              !beam_term_get_int64 (size, &value) || !add_size (blocks_size, value))
            return FALSE;
        }
    }
  else if (old_blocks != NULL &&
           !(beam_term_get_int64 (old_blocks, &value) && add_size (blocks_size, value)))
    return FALSE;
  return TRUE;
}

static gboolean
is_recon_allocator (const char *type)
{
  for (guint i = 0; i < G_N_ELEMENTS (recon_allocators); i++)
    if (g_str_equal (type, recon_allocators[i]))
      return TRUE;
  return FALSE;
}

/* [{instance, N, Properties}] of one type; a disabled allocator answers
 * false. */
static gboolean
add_instances (BeamAllocator  *allocator,
               const BeamTerm *instances)
{
  gint64 pool_carriers = 0, pool_blocks = 0, pool_max = 0;

  if (beam_term_is_atom (instances, "false"))
    return TRUE;
  if (instances->kind != BEAM_TERM_LIST)
    return FALSE;
  for (guint k = 0; k < instances->n_children; k++)
    {
      const BeamTerm *instance = instances->children[k];
      const BeamTerm *properties;

      if (beam_term_tagged (instance, "instance", 3) == NULL)
        continue;
      properties = instance->children[2];
      allocator->instances++;
      if (!add_carrier_kind (tagged_value (properties, "mbcs"), &allocator->mbcs_carriers_size,
                             &allocator->mbcs_carriers_max, &allocator->mbcs_blocks_size) ||
          !add_carrier_kind (tagged_value (properties, "mbcs_pool"), &pool_carriers,
                             &pool_max, &pool_blocks) ||
          !add_carrier_kind (tagged_value (properties, "sbcs"), &allocator->sbcs_carriers_size,
                             &allocator->sbcs_carriers_max, &allocator->sbcs_blocks_size))
        return FALSE;
    }
  /* recon counts the pool with the multiblock carriers. The maxima are
   * each instance's own, summed: the most the instances could have held
   * at once (recon_alloc:memory(allocated, max) sums them the same way). */
  return add_size (&allocator->mbcs_carriers_size, pool_carriers) &&
         add_size (&allocator->mbcs_carriers_max, pool_max) &&
         add_size (&allocator->carriers_max, allocator->mbcs_carriers_max) &&
         add_size (&allocator->carriers_max, allocator->sbcs_carriers_max) &&
         add_size (&allocator->mbcs_blocks_size, pool_blocks) &&
         add_size (&allocator->allocated, allocator->mbcs_carriers_size) &&
         add_size (&allocator->allocated, allocator->sbcs_carriers_size) &&
         add_size (&allocator->used, allocator->mbcs_blocks_size) &&
         add_size (&allocator->used, allocator->sbcs_blocks_size);
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
        add_size (&allocators->cache_hits, value);
      if ((calls = tagged_value (kind, "calls")) != NULL && calls->kind == BEAM_TERM_LIST)
        for (guint k = 0; k < calls->n_children; k++)
          {
            const BeamTerm *count = beam_term_tagged (calls->children[k], "mseg_alloc", 3);
            gint64 giga, ones;
            gint64 calls_count;

            /* Counts the node gives as they are only; a figure that does
             * not fit is left out, never wrapped. */
            if (count != NULL && beam_term_get_int64 (count->children[1], &giga) &&
                beam_term_get_int64 (count->children[2], &ones) && giga >= 0 &&
                !__builtin_mul_overflow (giga, 1000000000, &calls_count) &&
                add_size (&calls_count, ones))
              add_size (&allocators->cache_calls, calls_count);
          }
    }
}

gpointer
_beam_allocators_decode (const BeamTerm  *reply,
                         gpointer         user_data G_GNUC_UNUSED,
                         GError         **error)
{
  const BeamTerm *value = beam_erl_eval_value (reply);
  const BeamTerm *types;
  g_autoptr(BeamAllocators) allocators = NULL;

  if (value == NULL || value->kind != BEAM_TERM_TUPLE || value->n_children != 3 ||
      value->children[0]->kind != BEAM_TERM_LIST ||
      value->children[0]->n_children > 64)
    {
      beam_erl_set_bad_reply (error, "erlang:system_info({allocator, A})");
      return NULL;
    }

  allocators = g_new0 (BeamAllocators, 1);
  allocators->types = g_ptr_array_new_with_free_func ((GDestroyNotify) allocator_free);
  beam_term_get_int64 (value->children[1], &allocators->memory_total);
  types = value->children[0];

  for (guint i = 0; i < types->n_children; i++)
    {
      const BeamTerm *pair = types->children[i];
      BeamAllocator *allocator;

      if (pair->kind != BEAM_TERM_TUPLE || pair->n_children != 2 ||
          pair->children[0]->kind != BEAM_TERM_ATOM)
        continue;
      if (!is_recon_allocator (pair->children[0]->v.atom.name))
        continue;
      allocator = g_new0 (BeamAllocator, 1);
      allocator->type = g_strdup (pair->children[0]->v.atom.name);
      g_ptr_array_add (allocators->types, allocator);
      if (!add_instances (allocator, pair->children[1]) ||
          !add_size (&allocators->allocated, allocator->allocated) ||
          !add_size (&allocators->used, allocator->used) ||
          !add_size (&allocators->carriers_max, allocator->carriers_max))
        {
          beam_erl_set_bad_reply (error, "erlang:system_info({allocator, A})");
          return NULL;
        }
    }
  add_segment_cache (allocators, value->children[2]);
  return g_steal_pointer (&allocators);
}

void
beam_allocators_fetch_async (BeamConnection      *connection,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_return_if_fail (BEAM_IS_CONNECTION (connection));

  beam_connection_call_task_async (connection, beam_allocators_fetch_async, &(BeamCall) {
                                     .module = "erl_eval", .function = "exprs",
                                     .args = allocators_program (), .timeout_ms = 10000,
                                     .decode = _beam_allocators_decode,
                                     .result_free = (GDestroyNotify) beam_allocators_free,
                                   }, cancellable, callback, user_data);
}

BeamAllocators *
beam_allocators_fetch_finish (GAsyncResult  *result,
                              GError       **error)
{
  return beam_connection_call_task_finish (result, beam_allocators_fetch_async, error);
}

static double
ratio (gint64 part,
       gint64 whole)
{
  return whole > 0 ? (double) part / whole : 0.0;
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
  json_builder_add_double_value (builder, ratio (allocators->used, allocators->allocated));
  json_builder_set_member_name (builder, "carriers_max");
  json_builder_add_int_value (builder, allocators->carriers_max);
  json_builder_set_member_name (builder, "cache_hits");
  json_builder_add_int_value (builder, allocators->cache_hits);
  json_builder_set_member_name (builder, "cache_calls");
  json_builder_add_int_value (builder, allocators->cache_calls);
  json_builder_set_member_name (builder, "cache_hit_rate");
  json_builder_add_double_value (builder, ratio (allocators->cache_hits, allocators->cache_calls));
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
        { "mbcs_carriers_max", allocator->mbcs_carriers_max },
        { "sbcs_carriers_max", allocator->sbcs_carriers_max },
        { "carriers_max", allocator->carriers_max },
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
      json_builder_add_double_value (builder, ratio (allocator->used, allocator->allocated));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}
