/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The process list's slice decoder on any message: it validates, then walks the slice with
 * ei's decoders; a slice it refuses leaves the table as it was. Each input is decoded twice
 * into one table, as slices that share names and statuses are. */

#include <stdint.h>

#include "beam-process-list-private.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *buf = g_memdup2 (data, size);
  g_autoptr(BeamProcessTable) table = beam_process_table_new ("fuzz@localhost");

  for (int i = 0; i < 2; i++)
    {
      guint before = beam_process_table_get_n_records (table);
      g_autoptr(GError) error = NULL;

      if (!_beam_process_list_decode_slice (table, buf, size, &error))
        {
          g_assert (error != NULL);
          g_assert_cmpuint (beam_process_table_get_n_records (table), ==, before);
        }
    }
  return 0;
}
