/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "beam-connection.h"

G_BEGIN_DECLS

/* The allocators' carriers against their blocks, as recon_alloc:memory(allocated
 * | used) gives them, and mseg_alloc's segment cache: the Memory page's
 * allocator table and the CLI's `alloc`. */

typedef struct
{
  char   *type;                /* the allocator, as eheap_alloc */
  gint64  allocated;           /* carriers, multiblock and singleblock */
  gint64  used;                /* blocks in them */
  gint64  mbcs_carriers_size;
  gint64  sbcs_carriers_size;
  gint64  mbcs_blocks_size;
  gint64  sbcs_blocks_size;
  /* The most the carriers ever held (the Max of carriers_size), summed over
   * instances, as recon_alloc:memory(allocated, max). */
  gint64  mbcs_carriers_max;
  gint64  sbcs_carriers_max;
  gint64  carriers_max;
  guint   instances;
} BeamAllocator;

typedef struct
{
  gint64     allocated;
  gint64     used;
  gint64     carriers_max;     /* the types' carriers_max, summed */
  gint64     memory_total;     /* erlang:memory(total), asked at the same time */
  GPtrArray *types;            /* BeamAllocator, in the node's order */
  /* mseg_alloc's segment cache, all instances, as recon_alloc:cache_hit_rates/0:
   * hits of the cache against calls to mseg_alloc (both 0 where the node has
   * no mseg_alloc). */
  gint64     cache_hits;
  gint64     cache_calls;
} BeamAllocators;

void            beam_allocators_free         (BeamAllocators       *allocators);
void            beam_allocators_fetch_async  (BeamConnection       *connection,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
BeamAllocators *beam_allocators_fetch_finish (GAsyncResult         *result,
                                              GError              **error);
JsonNode       *beam_allocators_to_json      (const BeamAllocators *allocators);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BeamAllocators, beam_allocators_free)

G_END_DECLS
