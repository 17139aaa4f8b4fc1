/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The parser of EPMD's NAMES reply on any bytes a host's port 4369 could answer. */

#include <stdint.h>

#include "beam-epmd-private.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree guint8 *reply = g_memdup2 (data, size);
  g_autoptr(GPtrArray) entries = _beam_epmd_parse_names_reply (reply, size);

  /* NULL is an answer too: garbage is an error, not an empty list. */
  for (guint i = 0; entries != NULL && i < entries->len; i++)
    {
      BeamEpmdEntry *entry = g_ptr_array_index (entries, i);

      g_assert (entry->name != NULL);
      g_assert (g_utf8_validate (entry->name, -1, NULL));
      g_assert (entry->port >= 1 && entry->port <= 65535);
    }
  return 0;
}
