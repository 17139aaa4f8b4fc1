/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Both printers on whatever decodes: Erlang and Elixir syntax, with the limits the views
 * use and with none, and with a local node set so pids, ports and refs take both forms. */

#include <stdint.h>

#include "beam-term-private.h"
#include "beam-term-printer.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *buf = g_memdup2 (data, size);
  g_autoptr(BeamTerm) term = NULL;
  int index = 0;
  const BeamPrintOptions options[] = {
    { .syntax = BEAM_SYNTAX_ERLANG },
    { .syntax = BEAM_SYNTAX_ELIXIR },
    { .syntax = BEAM_SYNTAX_ERLANG, .local_node = "a@b", .max_depth = 3, .max_width = 4 },
    { .syntax = BEAM_SYNTAX_ELIXIR, .local_node = "a@b", .max_depth = 3, .max_width = 4 },
    { .syntax = BEAM_SYNTAX_ERLANG, .max_depth = 1, .max_width = 1 },
    { .syntax = BEAM_SYNTAX_ELIXIR, .max_depth = 1, .max_width = 1 },
  };

  if (!beam_term_validate (buf, size, NULL))
    return 0;
  index = 1;
  /* The validator checks shapes and sizes, not a FLOAT_EXT's text: the decoder may refuse. */
  term = beam_term_decode_at_len (buf, size, &index, NULL);
  if (term == NULL)
    return 0;
  for (gsize i = 0; i < G_N_ELEMENTS (options); i++)
    {
      g_autofree char *text = beam_term_print (term, &options[i]);

      g_assert (text != NULL);
      g_assert (g_utf8_validate (text, -1, NULL));
    }
  return 0;
}
