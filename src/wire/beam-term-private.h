/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "beam-term.h"

G_BEGIN_DECLS

/* What beam-term.c and its decoder, validator and encoder share, and the
 * entry points only the tests use (the app decodes with
 * beam_term_decode_at_len()), kept out of the public header so that it shows
 * what the app relies on. */

#define BEAM_TERM_VERSION_MAGIC 131

/* Reading the raw bytes, for measuring only; ei does the decoding. */

static inline guint16
_beam_term_read_u16 (const guint8 *p)
{
  return (guint16) ((p[0] << 8) | p[1]);
}

static inline guint32
_beam_term_read_u32 (const guint8 *p)
{
  return ((guint32) p[0] << 24) | ((guint32) p[1] << 16) | ((guint32) p[2] << 8) | p[3];
}

BeamTerm   *_beam_term_new             (BeamTermKind    kind);
/* Sets BEAM_TERM_ERROR_TRUNCATED for `pos`; returns FALSE. */
gboolean    _beam_term_set_truncated   (GError        **error,
                                        gsize           pos);
/* The number of bytes of the node at `pos` itself: all of a scalar, the
 * header of a tuple, list or map (its elements follow), all of a fun. */
gboolean    _beam_term_node_extent     (const guint8   *buf,
                                        gsize           len,
                                        gsize           pos,
                                        guint           depth,
                                        gsize          *extent,
                                        GError        **error);

/* For the tests. `buf` starts at a term (no version byte) unless
 * `with_version`, and holds that one term and nothing after it. */
BeamTerm   *_beam_term_decode          (const char     *buf,
                                        gsize           len,
                                        gboolean        with_version,
                                        GError        **error);
/* Decodes the term at *index and advances it (ei's convention). Like ei's own
 * decoders it trusts `buf` to hold a whole term. */
BeamTerm   *_beam_term_decode_at       (const char     *buf,
                                        int            *index,
                                        GError        **error);
BeamTerm   *_beam_term_new_string      (const char     *utf8);  /* a binary */

G_END_DECLS
