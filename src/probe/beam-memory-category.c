/* SPDX-License-Identifier: GPL-3.0-or-later */
/* erlang:memory()'s keys, in BeamMemoryCategory's order: the atoms the
 * probes look up in its reply. */

#include "beam-memory-category.h"

static const char * const keys[BEAM_MEMORY_N_CATEGORIES] = {
  [BEAM_MEMORY_TOTAL] = "total",
  [BEAM_MEMORY_PROCESSES] = "processes",
  [BEAM_MEMORY_PROCESSES_USED] = "processes_used",
  [BEAM_MEMORY_SYSTEM] = "system",
  [BEAM_MEMORY_ATOM] = "atom",
  [BEAM_MEMORY_ATOM_USED] = "atom_used",
  [BEAM_MEMORY_BINARY] = "binary",
  [BEAM_MEMORY_CODE] = "code",
  [BEAM_MEMORY_ETS] = "ets",
};

const char *
beam_memory_category_key (BeamMemoryCategory category)
{
  g_return_val_if_fail ((guint) category < BEAM_MEMORY_N_CATEGORIES, NULL);
  return keys[category];
}
