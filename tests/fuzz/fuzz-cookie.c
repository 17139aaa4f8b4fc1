/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The cookie reader on any file contents: a cookie it accepts is what erl would use, the
 * leading printable ASCII, never empty, never longer than ei takes. */

#include <stdint.h>
#include <string.h>

#include "beam-cookie-private.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *contents = g_memdup2 (data, size);
  g_autoptr(GError) error = NULL;
  g_autofree char *cookie = _beam_cookie_parse (contents, size, "fuzz", &error);

  g_assert ((cookie == NULL) != (error == NULL));
  if (cookie != NULL)
    {
      gsize len = strlen (cookie);

      g_assert (len > 0 && len < 512 && len <= size);
      g_assert (memcmp (cookie, contents, len) == 0);
      for (gsize i = 0; i < len; i++)
        g_assert (cookie[i] >= ' ' && cookie[i] <= '~');
    }
  return 0;
}
