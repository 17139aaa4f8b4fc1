/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The categories of erlang:memory(), in the order the probes ask for them:
 * a BeamLoadSample's `memory` array is indexed by this enum. */
typedef enum
{
  BEAM_MEMORY_TOTAL,
  BEAM_MEMORY_PROCESSES,
  BEAM_MEMORY_PROCESSES_USED,
  BEAM_MEMORY_SYSTEM,
  BEAM_MEMORY_ATOM,
  BEAM_MEMORY_ATOM_USED,
  BEAM_MEMORY_BINARY,
  BEAM_MEMORY_CODE,
  BEAM_MEMORY_ETS,
  BEAM_MEMORY_N_CATEGORIES,
  /* Not of erlang:memory(): system less atom, binary, code and ets, as the
   * Memory page's bar shows it. */
  BEAM_MEMORY_OTHER_SYSTEM = BEAM_MEMORY_N_CATEGORIES,
} BeamMemoryCategory;

/* The key erlang:memory() uses for a category, e.g. "processes_used". */
const char *beam_memory_category_key (BeamMemoryCategory category);

G_END_DECLS
