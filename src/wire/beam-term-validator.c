/* SPDX-License-Identifier: GPL-3.0-or-later */

/* Measuring ETF against the bytes we really have.
 *
 * ei's decoders trust their input: they take no buffer length and follow
 * whatever lengths the bytes claim. The network thread must survive a node
 * (or a bug) sending garbage, so the decoder measures each node it is about
 * to hand ei (_beam_term_node_extent) against the buffer first. A closure is
 * the one node whose insides ei walks by itself, so its whole body is
 * validated here (check_term). beam_term_validate() runs the same checks over
 * a whole term for hot paths that then decode with ei directly.
 *
 * Nesting is bounded by BEAM_TERM_MAX_DEPTH so that a hostile term cannot
 * exhaust the stack of the thread checking it; every count read from the
 * wire is checked against the bytes left. */

#define G_LOG_DOMAIN "beamscope-wire"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <ei.h>

#include "beam-term-private.h"

gboolean
_beam_term_set_truncated (GError **error,
                          gsize    pos)
{
  g_set_error (error, BEAM_TERM_ERROR, BEAM_TERM_ERROR_TRUNCATED,
               _("Term data ends early (needed more bytes at offset %llu)"),
               (unsigned long long) pos);
  return FALSE;
}

/* TRUE if `head` bytes and then `body` more bytes are available at `pos`.
 * Split in two so that a 32-bit length read from the wire cannot overflow. */
static gboolean
need (gsize    len,
      gsize    pos,
      gsize    head,
      gsize    body,
      GError **error)
{
  if (pos > len || len - pos < head || len - pos - head < body)
    return _beam_term_set_truncated (error, pos);
  return TRUE;
}

static gboolean
atom_extent (const guint8 *buf,
             gsize         len,
             gsize         pos,
             gsize        *extent,
             GError      **error)
{
  gsize head;
  gsize n;
  gboolean latin1;

  if (!need (len, pos, 1, 0, error))
    return FALSE;

  switch (buf[pos])
    {
    case ERL_ATOM_EXT:
    case ERL_ATOM_UTF8_EXT:
      if (!need (len, pos, 3, 0, error))
        return FALSE;
      head = 3;
      n = _beam_term_read_u16 (buf + pos + 1);
      latin1 = buf[pos] == ERL_ATOM_EXT;
      break;

    case ERL_SMALL_ATOM_EXT:
    case ERL_SMALL_ATOM_UTF8_EXT:
      if (!need (len, pos, 2, 0, error))
        return FALSE;
      head = 2;
      n = buf[pos + 1];
      latin1 = buf[pos] == ERL_SMALL_ATOM_EXT;
      break;

    default:
      g_set_error (error, BEAM_TERM_ERROR, BEAM_TERM_ERROR_MALFORMED,
                   _("Expected an atom at offset %llu"), (unsigned long long) pos);
      return FALSE;
    }

  /* Erlang's limit is 255 characters; ei's buffers hold 255 * 4 bytes. */
  if ((latin1 && n > 255) || n > MAXATOMLEN_UTF8 - 1)
    {
      g_set_error (error, BEAM_TERM_ERROR, BEAM_TERM_ERROR_MALFORMED,
                   g_dngettext (NULL, "Atom of %llu byte at offset %llu is too long",
                                "Atom of %llu bytes at offset %llu is too long", n),
                   (unsigned long long) n, (unsigned long long) pos);
      return FALSE;
    }
  if (!need (len, pos, head, n, error))
    return FALSE;

  /* Legal in Erlang, but our atoms are C strings. */
  if (memchr (buf + pos + head, 0, n) != NULL)
    {
      g_set_error (error, BEAM_TERM_ERROR, BEAM_TERM_ERROR_UNSUPPORTED,
                   _("Atom at offset %llu contains a NUL character"), (unsigned long long) pos);
      return FALSE;
    }

  *extent = head + n;
  return TRUE;
}

static gboolean
pid_extent (const guint8 *buf,
            gsize         len,
            gsize         pos,
            gsize        *extent,
            GError      **error)
{
  gsize atom;
  gsize tail;

  if (!need (len, pos, 1, 0, error))
    return FALSE;
  if (buf[pos] == ERL_PID_EXT)
    tail = 4 + 4 + 1;
  else if (buf[pos] == ERL_NEW_PID_EXT)
    tail = 4 + 4 + 4;
  else
    {
      g_set_error (error, BEAM_TERM_ERROR, BEAM_TERM_ERROR_MALFORMED,
                   _("Expected a pid at offset %llu"), (unsigned long long) pos);
      return FALSE;
    }
  if (!atom_extent (buf, len, pos + 1, &atom, error) ||
      !need (len, pos, 1 + atom, tail, error))
    return FALSE;
  *extent = 1 + atom + tail;
  return TRUE;
}

/* The fixed integers inside a fun, which ei reads with ei_decode_long(). */
static gboolean
small_int_extent (const guint8 *buf,
                  gsize         len,
                  gsize         pos,
                  gsize        *extent,
                  GError      **error)
{
  if (!need (len, pos, 1, 0, error))
    return FALSE;
  if (buf[pos] == ERL_SMALL_INTEGER_EXT)
    *extent = 2;
  else if (buf[pos] == ERL_INTEGER_EXT)
    *extent = 5;
  else
    {
      g_set_error (error, BEAM_TERM_ERROR, BEAM_TERM_ERROR_MALFORMED,
                   _("Expected a small integer at offset %llu"), (unsigned long long) pos);
      return FALSE;
    }
  return need (len, pos, *extent, 0, error);
}

static gboolean check_term (const guint8 *buf,
                            gsize         len,
                            gsize        *pos,
                            guint         depth,
                            GError      **error);

/* NEW_FUN_EXT: Size(4) Arity(1) Uniq(16) Index(4) NumFree(4) Module OldIndex
 * OldUniq Pid FreeVars..., where Size counts everything after the tag. */
#define NEW_FUN_FIXED_HEAD (1 + 4 + 1 + 16 + 4 + 4)

static gboolean
check_new_fun (const guint8 *buf,
               gsize         pos,
               gsize         end,
               guint         depth,
               GError      **error)
{
  gsize p = pos + NEW_FUN_FIXED_HEAD;
  gsize extent;
  guint32 n_free = _beam_term_read_u32 (buf + pos + NEW_FUN_FIXED_HEAD - 4);

  if (!atom_extent (buf, end, p, &extent, error))
    return FALSE;
  p += extent;
  if (!small_int_extent (buf, end, p, &extent, error))
    return FALSE;
  p += extent;
  if (!small_int_extent (buf, end, p, &extent, error))
    return FALSE;
  p += extent;
  if (!pid_extent (buf, end, p, &extent, error))
    return FALSE;
  p += extent;

  if (n_free > end - p)
    return _beam_term_set_truncated (error, p);
  for (guint32 i = 0; i < n_free; i++)
    if (!check_term (buf, end, &p, depth + 1, error))
      return FALSE;

  if (p != end)
    {
      g_set_error (error, BEAM_TERM_ERROR, BEAM_TERM_ERROR_MALFORMED,
                   _("Fun at offset %llu has a wrong size"), (unsigned long long) pos);
      return FALSE;
    }
  return TRUE;
}

/* The number of bytes of the node at `pos` itself: all of a scalar, the
 * header of a tuple, list or map (its elements follow), all of a fun. */
gboolean
_beam_term_node_extent (const guint8 *buf,
                        gsize         len,
                        gsize         pos,
                        guint         depth,
                        gsize        *extent,
                        GError      **error)
{
  gsize atom;
  gsize n;

  if (depth > BEAM_TERM_MAX_DEPTH)
    {
      g_set_error (error, BEAM_TERM_ERROR, BEAM_TERM_ERROR_TOO_DEEP,
                   g_dngettext (NULL, "Term nested deeper than %d level",
                                "Term nested deeper than %d levels", BEAM_TERM_MAX_DEPTH),
                   BEAM_TERM_MAX_DEPTH);
      return FALSE;
    }
  if (!need (len, pos, 1, 0, error))
    return FALSE;

  switch (buf[pos])
    {
    case ERL_SMALL_INTEGER_EXT:
      *extent = 2;
      break;

    case ERL_INTEGER_EXT:
      *extent = 5;
      break;

    case ERL_FLOAT_EXT:
      *extent = 32;
      break;

    case NEW_FLOAT_EXT:
      *extent = 9;
      break;

    case ERL_ATOM_EXT:
    case ERL_SMALL_ATOM_EXT:
    case ERL_ATOM_UTF8_EXT:
    case ERL_SMALL_ATOM_UTF8_EXT:
      return atom_extent (buf, len, pos, extent, error);

    case ERL_PID_EXT:
    case ERL_NEW_PID_EXT:
      return pid_extent (buf, len, pos, extent, error);

    case ERL_PORT_EXT:
    case ERL_REFERENCE_EXT:
      if (!atom_extent (buf, len, pos + 1, &atom, error))
        return FALSE;
      *extent = 1 + atom + 4 + 1;
      break;

    case ERL_NEW_PORT_EXT:
      if (!atom_extent (buf, len, pos + 1, &atom, error))
        return FALSE;
      *extent = 1 + atom + 4 + 4;
      break;

    case ERL_V4_PORT_EXT:
      if (!atom_extent (buf, len, pos + 1, &atom, error))
        return FALSE;
      *extent = 1 + atom + 8 + 4;
      break;

    case ERL_NEW_REFERENCE_EXT:
    case ERL_NEWER_REFERENCE_EXT:
      if (!need (len, pos, 3, 0, error))
        return FALSE;
      n = _beam_term_read_u16 (buf + pos + 1);
      /* erlang_ref holds at most five words. */
      if (n < 1 || n > 5)
        {
          g_set_error (error, BEAM_TERM_ERROR, BEAM_TERM_ERROR_MALFORMED,
                       g_dngettext (NULL, "Reference at offset %llu has %llu word",
                                    "Reference at offset %llu has %llu words", n),
                       (unsigned long long) pos, (unsigned long long) n);
          return FALSE;
        }
      if (!atom_extent (buf, len, pos + 3, &atom, error))
        return FALSE;
      *extent = 3 + atom + (buf[pos] == ERL_NEW_REFERENCE_EXT ? 1 : 4) + 4 * n;
      break;

    case ERL_SMALL_TUPLE_EXT:
      *extent = 2;
      break;

    case ERL_LARGE_TUPLE_EXT:
    case ERL_LIST_EXT:
    case ERL_MAP_EXT:
      *extent = 5;
      break;

    case ERL_NIL_EXT:
      *extent = 1;
      break;

    case ERL_STRING_EXT:
      if (!need (len, pos, 3, 0, error))
        return FALSE;
      *extent = 3 + (gsize) _beam_term_read_u16 (buf + pos + 1);
      break;

    case ERL_BINARY_EXT:
      if (!need (len, pos, 5, 0, error))
        return FALSE;
      n = _beam_term_read_u32 (buf + pos + 1);
      if (!need (len, pos, 5, n, error))
        return FALSE;
      *extent = 5 + n;
      break;

    case ERL_BIT_BINARY_EXT:
      {
        guint bits;

        if (!need (len, pos, 6, 0, error))
          return FALSE;
        n = _beam_term_read_u32 (buf + pos + 1);
        bits = buf[pos + 5];
        if (n == 0 ? bits != 0 : (bits < 1 || bits > 8))
          {
            g_set_error (error, BEAM_TERM_ERROR, BEAM_TERM_ERROR_MALFORMED,
                         g_dngettext (NULL, "Bitstring at offset %llu has %u bit in its last byte",
                                      "Bitstring at offset %llu has %u bits in its last byte",
                                      bits),
                         (unsigned long long) pos, bits);
            return FALSE;
          }
        if (!need (len, pos, 6, n, error))
          return FALSE;
        *extent = 6 + n;
      }
      break;

    case ERL_SMALL_BIG_EXT:
    case ERL_LARGE_BIG_EXT:
      {
        gsize head = buf[pos] == ERL_SMALL_BIG_EXT ? 3 : 6;

        if (!need (len, pos, head, 0, error))
          return FALSE;
        n = head == 3 ? buf[pos + 1] : _beam_term_read_u32 (buf + pos + 1);
        if (buf[pos + head - 1] > 1)
          {
            g_set_error (error, BEAM_TERM_ERROR, BEAM_TERM_ERROR_MALFORMED,
                         _("Integer at offset %llu has a bad sign byte"),
                         (unsigned long long) pos);
            return FALSE;
          }
        if (!need (len, pos, head, n, error))
          return FALSE;
        *extent = head + n;
      }
      break;

    case ERL_NEW_FUN_EXT:
      if (!need (len, pos, 5, 0, error))
        return FALSE;
      n = _beam_term_read_u32 (buf + pos + 1);
      if (n < NEW_FUN_FIXED_HEAD - 1)
        {
          g_set_error (error, BEAM_TERM_ERROR, BEAM_TERM_ERROR_MALFORMED,
                       _("Fun at offset %llu is too short"), (unsigned long long) pos);
          return FALSE;
        }
      if (!need (len, pos, 1, n, error) ||
          !check_new_fun (buf, pos, pos + 1 + n, depth, error))
        return FALSE;
      *extent = 1 + n;
      break;

    case ERL_EXPORT_EXT:
      {
        gsize function;

        if (!atom_extent (buf, len, pos + 1, &atom, error) ||
            !atom_extent (buf, len, pos + 1 + atom, &function, error) ||
            !need (len, pos, 1 + atom + function, 2, error))
          return FALSE;
        if (buf[pos + 1 + atom + function] != ERL_SMALL_INTEGER_EXT)
          {
            g_set_error (error, BEAM_TERM_ERROR, BEAM_TERM_ERROR_MALFORMED,
                         _("Export fun at offset %llu has a bad arity"),
                         (unsigned long long) pos);
            return FALSE;
          }
        *extent = 1 + atom + function + 2;
      }
      break;

    case ERL_FUN_EXT:
      g_set_error (error, BEAM_TERM_ERROR, BEAM_TERM_ERROR_UNSUPPORTED,
                   _("Funs from before OTP R8 are not supported"));
      return FALSE;

    case 'P':
      g_set_error (error, BEAM_TERM_ERROR, BEAM_TERM_ERROR_UNSUPPORTED,
                   _("Compressed terms are not supported"));
      return FALSE;

    case 'R':
    case ERL_CACHED_ATOM:
    case ERL_NEW_CACHE:
      g_set_error (error, BEAM_TERM_ERROR, BEAM_TERM_ERROR_UNSUPPORTED,
                   _("Atom cache references and local terms are not supported"));
      return FALSE;

    default:
      g_set_error (error, BEAM_TERM_ERROR, BEAM_TERM_ERROR_MALFORMED,
                   _("Unknown term tag %u at offset %llu"), buf[pos], (unsigned long long) pos);
      return FALSE;
    }

  return need (len, pos, *extent, 0, error);
}

/* Full validation of the term at *pos, used for closure bodies. */
static gboolean
check_term (const guint8 *buf,
            gsize         len,
            gsize        *pos,
            guint         depth,
            GError      **error)
{
  gsize start = *pos;
  gsize extent;
  gsize n_children = 0;

  if (!_beam_term_node_extent (buf, len, start, depth, &extent, error))
    return FALSE;
  *pos += extent;

  switch (buf[start])
    {
    case ERL_SMALL_TUPLE_EXT:
      n_children = buf[start + 1];
      break;

    case ERL_LARGE_TUPLE_EXT:
      n_children = _beam_term_read_u32 (buf + start + 1);
      break;

    case ERL_LIST_EXT:
      n_children = (gsize) _beam_term_read_u32 (buf + start + 1) + 1;  /* the tail */
      break;

    case ERL_MAP_EXT:
      n_children = 2 * (gsize) _beam_term_read_u32 (buf + start + 1);
      break;

    default:
      return TRUE;
    }

  /* Every child takes at least one byte. */
  if (n_children > len - *pos)
    return _beam_term_set_truncated (error, *pos);
  for (gsize i = 0; i < n_children; i++)
    if (!check_term (buf, len, pos, depth + 1, error))
      return FALSE;
  return TRUE;
}

gboolean
beam_term_validate (const char  *buf,
                    gsize        len,
                    GError     **error)
{
  gsize pos = 1;

  g_return_val_if_fail (buf != NULL || len == 0, FALSE);

  if (len < 1 || (guint8) buf[0] != BEAM_TERM_VERSION_MAGIC)
    {
      g_set_error (error, BEAM_TERM_ERROR, BEAM_TERM_ERROR_MALFORMED, _("Not an external term"));
      return FALSE;
    }
  if (!check_term ((const guint8 *) buf, len, &pos, 0, error))
    return FALSE;
  if (pos != len)
    {
      g_set_error (error, BEAM_TERM_ERROR, BEAM_TERM_ERROR_MALFORMED,
                   g_dngettext (NULL, "%llu byte left over after the term",
                                "%llu bytes left over after the term", len - pos),
                   (unsigned long long) (len - pos));
      return FALSE;
    }
  return TRUE;
}
