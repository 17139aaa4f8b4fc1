/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The parser of typed terms, in both syntaxes, on any text; a term it makes must print and
 * encode, as the table window does with it. */

#include <stdint.h>

#include "beam-term-parser.h"
#include "beam-term-private.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  /* The parser reads a C string: the bytes up to the first NUL. */
  g_autofree char *text = g_strndup ((const char *) data, size);
  const BeamSyntax syntaxes[] = { BEAM_SYNTAX_ERLANG, BEAM_SYNTAX_ELIXIR };

  for (gsize i = 0; i < G_N_ELEMENTS (syntaxes); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(BeamTerm) term = beam_term_parse (text, syntaxes[i], &error);
      BeamPrintOptions options = { .syntax = syntaxes[i] };
      g_autofree char *printed = NULL;
      g_autoptr(GBytes) bytes = NULL;

      g_assert ((term == NULL) != (error == NULL));
      if (term == NULL)
        continue;
      printed = beam_term_print (term, &options);
      g_assert (printed != NULL);
      bytes = beam_term_to_external (term, NULL);
      /* What we send, we can read back. */
      if (bytes != NULL)
        {
          gsize len;
          const char *ext = g_bytes_get_data (bytes, &len);

          g_assert (beam_term_validate (ext, len, NULL));
        }
    }
  return 0;
}
