/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The ETF decoder and its validator on any bytes a node could send: neither reads past the
 * end, and a term the validator accepts decodes to its end if it decodes; the bounded
 * decoder must hold on its own too, validated or not. */

#include <stdint.h>

#include "beam-term-private.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  /* A copy of exactly `size` bytes, so ASan sees any read past them. */
  g_autofree char *buf = g_memdup2 (data, size);
  g_autoptr(GError) error = NULL;
  gboolean valid = beam_term_validate (buf, size, &error);
  g_autoptr(BeamTerm) term = NULL;
  int index = 1;

  g_clear_error (&error);
  if (size > 0)
    {
      term = beam_term_decode_at_len (buf, size, &index, &error);
      g_assert (term != NULL || error != NULL);
      /* What the validator accepts is the bytes of one term; it checks shapes and sizes,
       * not contents (a FLOAT_EXT's text, say), so the decoder may still refuse it. */
      if (valid && term != NULL)
        g_assert_cmpuint ((gsize) index, ==, size);
    }
  g_clear_error (&error);

  /* Without the version byte, from the start. */
  g_clear_pointer (&term, beam_term_free);
  index = 0;
  term = beam_term_decode_at_len (buf, size, &index, &error);
  g_assert (term != NULL || error != NULL);
  g_assert (term == NULL || ((gsize) index <= size));
  return 0;
}
