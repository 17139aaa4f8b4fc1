/* SPDX-License-Identifier: GPL-3.0-or-later */

/* ETF to BeamTerm and back, on top of ei.
 *
 * ei's decoders trust their input: they take no buffer length and follow
 * whatever lengths the bytes claim. The network thread must survive a node
 * (or a bug) sending garbage, so before each ei call we measure the node we
 * are about to hand it (node_extent) against the bytes we really have, and
 * afterwards check that ei consumed exactly that much. ei therefore never
 * reads outside [0, len). A closure is the one node whose insides ei walks by
 * itself, so its whole body is validated first (check_term).
 *
 * Nesting is bounded by BEAM_TERM_MAX_DEPTH so that a hostile term cannot
 * exhaust the stack of the thread decoding it; every count read from the wire
 * is checked against the bytes left before anything is allocated for it. */

#define G_LOG_DOMAIN "beamscope-wire"

#include "config.h"

#include <math.h>
#include <stdarg.h>
#include <string.h>

#define USE_EI_UNDOCUMENTED  /* ei_alloc_big(), ei_decode_big(), ei_x_encode_big() */
#include <ei.h>

#include "beam-term.h"

#define ETF_VERSION_MAGIC 131

G_DEFINE_QUARK (beam-term-error-quark, beam_term_error)

/* Reading the raw bytes, for measuring only; ei does the decoding. */

static inline guint16
read_u16 (const guint8 *p)
{
  return (guint16) ((p[0] << 8) | p[1]);
}

static inline guint32
read_u32 (const guint8 *p)
{
  return ((guint32) p[0] << 24) | ((guint32) p[1] << 16) | ((guint32) p[2] << 8) | p[3];
}

static gboolean
set_truncated (GError **error,
               gsize    pos)
{
  g_set_error (error, BEAM_TERM_ERROR, BEAM_TERM_ERROR_TRUNCATED,
               "Term data ends early (needed more bytes at offset %" G_GSIZE_FORMAT ")", pos);
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
    return set_truncated (error, pos);
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
      n = read_u16 (buf + pos + 1);
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
                   "Expected an atom at offset %" G_GSIZE_FORMAT, pos);
      return FALSE;
    }

  /* Erlang's limit is 255 characters; ei's buffers hold 255 * 4 bytes. */
  if ((latin1 && n > 255) || n > MAXATOMLEN_UTF8 - 1)
    {
      g_set_error (error, BEAM_TERM_ERROR, BEAM_TERM_ERROR_MALFORMED,
                   "Atom of %" G_GSIZE_FORMAT " bytes at offset %" G_GSIZE_FORMAT " is too long",
                   n, pos);
      return FALSE;
    }
  if (!need (len, pos, head, n, error))
    return FALSE;

  /* Legal in Erlang, but our atoms are C strings. */
  if (memchr (buf + pos + head, 0, n) != NULL)
    {
      g_set_error (error, BEAM_TERM_ERROR, BEAM_TERM_ERROR_UNSUPPORTED,
                   "Atom at offset %" G_GSIZE_FORMAT " contains a NUL character", pos);
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
                   "Expected a pid at offset %" G_GSIZE_FORMAT, pos);
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
                   "Expected a small integer at offset %" G_GSIZE_FORMAT, pos);
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
  guint32 n_free = read_u32 (buf + pos + NEW_FUN_FIXED_HEAD - 4);

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
    return set_truncated (error, p);
  for (guint32 i = 0; i < n_free; i++)
    if (!check_term (buf, end, &p, depth + 1, error))
      return FALSE;

  if (p != end)
    {
      g_set_error (error, BEAM_TERM_ERROR, BEAM_TERM_ERROR_MALFORMED,
                   "Fun at offset %" G_GSIZE_FORMAT " has a wrong size", pos);
      return FALSE;
    }
  return TRUE;
}

/* The number of bytes of the node at `pos` itself: all of a scalar, the
 * header of a tuple, list or map (its elements follow), all of a fun. */
static gboolean
node_extent (const guint8 *buf,
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
                   "Term nested deeper than %d levels", BEAM_TERM_MAX_DEPTH);
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
      n = read_u16 (buf + pos + 1);
      /* erlang_ref holds at most five words. */
      if (n < 1 || n > 5)
        {
          g_set_error (error, BEAM_TERM_ERROR, BEAM_TERM_ERROR_MALFORMED,
                       "Reference at offset %" G_GSIZE_FORMAT " has %" G_GSIZE_FORMAT " words",
                       pos, n);
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
      *extent = 3 + (gsize) read_u16 (buf + pos + 1);
      break;

    case ERL_BINARY_EXT:
      if (!need (len, pos, 5, 0, error))
        return FALSE;
      n = read_u32 (buf + pos + 1);
      if (!need (len, pos, 5, n, error))
        return FALSE;
      *extent = 5 + n;
      break;

    case ERL_BIT_BINARY_EXT:
      {
        guint bits;

        if (!need (len, pos, 6, 0, error))
          return FALSE;
        n = read_u32 (buf + pos + 1);
        bits = buf[pos + 5];
        if (n == 0 ? bits != 0 : (bits < 1 || bits > 8))
          {
            g_set_error (error, BEAM_TERM_ERROR, BEAM_TERM_ERROR_MALFORMED,
                         "Bitstring at offset %" G_GSIZE_FORMAT " has %u bits in its last byte",
                         pos, bits);
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
        n = head == 3 ? buf[pos + 1] : read_u32 (buf + pos + 1);
        if (buf[pos + head - 1] > 1)
          {
            g_set_error (error, BEAM_TERM_ERROR, BEAM_TERM_ERROR_MALFORMED,
                         "Integer at offset %" G_GSIZE_FORMAT " has a bad sign byte", pos);
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
      n = read_u32 (buf + pos + 1);
      if (n < NEW_FUN_FIXED_HEAD - 1)
        {
          g_set_error (error, BEAM_TERM_ERROR, BEAM_TERM_ERROR_MALFORMED,
                       "Fun at offset %" G_GSIZE_FORMAT " is too short", pos);
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
                         "Export fun at offset %" G_GSIZE_FORMAT " has a bad arity", pos);
            return FALSE;
          }
        *extent = 1 + atom + function + 2;
      }
      break;

    case ERL_FUN_EXT:
      g_set_error (error, BEAM_TERM_ERROR, BEAM_TERM_ERROR_UNSUPPORTED,
                   "Funs from before OTP R8 are not supported");
      return FALSE;

    case 'P':
      g_set_error (error, BEAM_TERM_ERROR, BEAM_TERM_ERROR_UNSUPPORTED,
                   "Compressed terms are not supported");
      return FALSE;

    case 'R':
    case ERL_CACHED_ATOM:
    case ERL_NEW_CACHE:
      g_set_error (error, BEAM_TERM_ERROR, BEAM_TERM_ERROR_UNSUPPORTED,
                   "Atom cache references and local terms are not supported");
      return FALSE;

    default:
      g_set_error (error, BEAM_TERM_ERROR, BEAM_TERM_ERROR_MALFORMED,
                   "Unknown term tag %u at offset %" G_GSIZE_FORMAT, buf[pos], pos);
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

  if (!node_extent (buf, len, start, depth, &extent, error))
    return FALSE;
  *pos += extent;

  switch (buf[start])
    {
    case ERL_SMALL_TUPLE_EXT:
      n_children = buf[start + 1];
      break;

    case ERL_LARGE_TUPLE_EXT:
      n_children = read_u32 (buf + start + 1);
      break;

    case ERL_LIST_EXT:
      n_children = (gsize) read_u32 (buf + start + 1) + 1;  /* the tail */
      break;

    case ERL_MAP_EXT:
      n_children = 2 * (gsize) read_u32 (buf + start + 1);
      break;

    default:
      return TRUE;
    }

  /* Every child takes at least one byte. */
  if (n_children > len - *pos)
    return set_truncated (error, *pos);
  for (gsize i = 0; i < n_children; i++)
    if (!check_term (buf, len, pos, depth + 1, error))
      return FALSE;
  return TRUE;
}

/* Decoding */

static BeamTerm *
term_new (BeamTermKind kind)
{
  BeamTerm *term = g_new0 (BeamTerm, 1);

  term->kind = kind;
  return term;
}

static gpointer
set_malformed (GError **error,
               gsize    pos,
               const char *what)
{
  g_set_error (error, BEAM_TERM_ERROR, BEAM_TERM_ERROR_MALFORMED,
               "Bad %s at offset %" G_GSIZE_FORMAT, what, pos);
  return NULL;
}

static gboolean
is_valid_name (const char *name)
{
  return g_utf8_validate (name, -1, NULL);
}

/* Bignum digits from ei (little-endian 16-bit words) as decimal text. Each
 * pass divides the whole number by 10^9, so this is quadratic; the caller
 * bounds the size. */
static char *
big_to_decimal (const guint16 *digits,
                gsize          n_bytes,
                gboolean       negative)
{
  gsize n16 = (n_bytes + 1) / 2;
  gsize n = (n16 + 1) / 2;
  g_autofree guint32 *words = g_new0 (guint32, MAX (n, 1));
  g_autoptr(GArray) chunks = g_array_new (FALSE, FALSE, sizeof (guint32));
  GString *out;

  for (gsize i = 0; i < n16; i++)
    words[i / 2] |= (guint32) digits[i] << (16 * (i % 2));

  while (n > 0 && words[n - 1] == 0)
    n--;

  while (n > 0)
    {
      guint64 rem = 0;

      for (gsize i = n; i-- > 0;)
        {
          guint64 cur = (rem << 32) | words[i];

          words[i] = (guint32) (cur / 1000000000u);
          rem = cur % 1000000000u;
        }
      g_array_append_val (chunks, rem);
      while (n > 0 && words[n - 1] == 0)
        n--;
    }

  out = g_string_new (negative && chunks->len > 0 ? "-" : NULL);
  if (chunks->len == 0)
    g_string_append_c (out, '0');
  for (guint i = chunks->len; i-- > 0;)
    {
      guint32 chunk = g_array_index (chunks, guint32, i);

      if (i == chunks->len - 1)
        g_string_append_printf (out, "%u", chunk);
      else
        g_string_append_printf (out, "%09u", chunk);
    }
  return g_string_free (out, FALSE);
}

static BeamTerm *
decode_big (const char *buf,
            int        *index,
            int         size,
            GError    **error)
{
  EI_LONGLONG value;
  int probe = *index;
  erlang_big *big;
  BeamTerm *term;

  /* Bignums that fit are plain integers to everyone downstream. */
  if (ei_decode_longlong (buf, &probe, &value) == 0)
    {
      *index = probe;
      return beam_term_new_integer (value);
    }

  if (size <= 0 || size > BEAM_TERM_MAX_BIG_BYTES)
    {
      g_set_error (error, BEAM_TERM_ERROR, BEAM_TERM_ERROR_TOO_LARGE,
                   "Integer of %d bytes is larger than %d bytes", size, BEAM_TERM_MAX_BIG_BYTES);
      return NULL;
    }

  /* ei insists on the exact byte count. */
  big = ei_alloc_big ((unsigned int) size);
  if (big == NULL)
    g_error ("%s: out of memory", G_STRFUNC);
  if (ei_decode_big (buf, index, big) < 0)
    {
      ei_free_big (big);
      return set_malformed (error, *index, "integer");
    }

  term = term_new (BEAM_TERM_BIG_INTEGER);
  term->v.big.digits = big_to_decimal (big->digits, big->arity, big->is_neg);
  ei_free_big (big);
  return term;
}

static G_GNUC_NO_INLINE BeamTerm *
decode_atom (const char *buf,
             int        *index,
             GError    **error)
{
  char name[MAXATOMLEN_UTF8];
  gsize pos = *index;
  BeamTerm *term;

  if (ei_decode_atom_as (buf, index, name, sizeof name, ERLANG_UTF8, NULL, NULL) < 0 ||
      !is_valid_name (name))
    return set_malformed (error, pos, "atom");

  term = term_new (BEAM_TERM_ATOM);
  term->v.atom.name = g_strdup (name);
  return term;
}

static G_GNUC_NO_INLINE BeamTerm *
decode_pid (const char *buf,
            int        *index,
            GError    **error)
{
  erlang_pid pid;
  gsize pos = *index;
  BeamTerm *term;

  if (ei_decode_pid (buf, index, &pid) < 0 || !is_valid_name (pid.node))
    return set_malformed (error, pos, "pid");

  term = term_new (BEAM_TERM_PID);
  term->v.ident.node = g_strdup (pid.node);
  term->v.ident.id = pid.num;
  term->v.ident.serial = pid.serial;
  term->v.ident.creation = pid.creation;
  return term;
}

static G_GNUC_NO_INLINE BeamTerm *
decode_port (const char *buf,
             int        *index,
             GError    **error)
{
  erlang_port port;
  gsize pos = *index;
  BeamTerm *term;

  if (ei_decode_port (buf, index, &port) < 0 || !is_valid_name (port.node))
    return set_malformed (error, pos, "port");

  term = term_new (BEAM_TERM_PORT);
  term->v.ident.node = g_strdup (port.node);
  term->v.ident.id = port.id;
  term->v.ident.creation = port.creation;
  return term;
}

static G_GNUC_NO_INLINE BeamTerm *
decode_ref (const char *buf,
            int        *index,
            GError    **error)
{
  erlang_ref ref;
  gsize pos = *index;
  BeamTerm *term;

  if (ei_decode_ref (buf, index, &ref) < 0 ||
      ref.len < 1 || ref.len > (int) G_N_ELEMENTS (ref.n) ||
      !is_valid_name (ref.node))
    return set_malformed (error, pos, "reference");

  term = term_new (BEAM_TERM_REFERENCE);
  term->v.ident.node = g_strdup (ref.node);
  term->v.ident.creation = ref.creation;
  term->v.ident.ref_len = ref.len;
  for (int i = 0; i < ref.len; i++)
    term->v.ident.ref_words[i] = ref.n[i];
  return term;
}

/* The fun itself; its free variables are left to the caller, which knows how
 * to recurse. On return *free_start is where they begin. */
static G_GNUC_NO_INLINE BeamTerm *
decode_fun_head (const char *buf,
                 int        *index,
                 int        *free_start,
                 guint      *n_free,
                 GError    **error)
{
  erlang_fun fun;
  gsize pos = *index;
  BeamTerm *term = NULL;
  int ret;

  /* free_fun() looks at fields a failed decode may not have set. */
  memset (&fun, 0, sizeof fun);
  ret = ei_decode_fun (buf, index, &fun);

  if (ret == 0 && fun.arity >= 0 && fun.arity <= 255 && is_valid_name (fun.module))
    {
      if (fun.type == EI_FUN_EXPORT)
        {
          if (fun.u.exprt.func != NULL && is_valid_name (fun.u.exprt.func))
            {
              term = term_new (BEAM_TERM_FUN);
              term->v.fun.is_export = TRUE;
              term->v.fun.function = g_strdup (fun.u.exprt.func);
              *free_start = *index;
              *n_free = 0;
            }
        }
      else if (fun.u.closure.n_free_vars >= 0 && fun.u.closure.free_var_len >= 0)
        {
          term = term_new (BEAM_TERM_FUN);
          term->v.fun.index = fun.u.closure.old_index;
          term->v.fun.uniq = fun.u.closure.uniq;
          *free_start = *index - (int) fun.u.closure.free_var_len;
          *n_free = (guint) fun.u.closure.n_free_vars;
        }

      if (term != NULL)
        {
          term->v.fun.module = g_strdup (fun.module);
          term->v.fun.arity = (guint) fun.arity;
        }
    }

  free_fun (&fun);

  if (term == NULL)
    return set_malformed (error, pos, "fun");
  return term;
}

static BeamTerm *decode_node (const char *buf,
                              gsize       len,
                              int        *index,
                              guint       depth,
                              GError    **error);

/* Appends decoded children to a term whose array was sized for them; on
 * failure the term holds only what was decoded, so freeing it is safe. */
static gboolean
decode_children (BeamTerm   *term,
                 guint       n,
                 const char *buf,
                 gsize       len,
                 int        *index,
                 guint       depth,
                 GError    **error)
{
  /* Every child takes at least one byte: refuse absurd counts up front. */
  if (n > len - (gsize) *index)
    return set_truncated (error, *index);

  term->children = g_new0 (BeamTerm *, MAX (n, 1));
  for (guint i = 0; i < n; i++)
    {
      BeamTerm *child = decode_node (buf, len, index, depth + 1, error);

      if (child == NULL)
        return FALSE;
      term->children[term->n_children++] = child;
    }
  return TRUE;
}

static BeamTerm *
decode_list (const char *buf,
             gsize       len,
             int        *index,
             guint       depth,
             GError    **error)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) beam_term_free);
  const guint8 *ubuf = (const guint8 *) buf;
  gboolean improper = FALSE;
  gsize n_items;
  BeamTerm *list;

  /* A tail that is itself a list (term_to_binary never writes one, but it
   * is valid) continues the same list, as binary_to_term reads it. */
  for (;;)
    {
      gsize pos = *index;
      gsize extent;
      int arity;

      if (!node_extent (ubuf, len, pos, depth, &extent, error))
        return NULL;

      if (ubuf[pos] == ERL_NIL_EXT)
        {
          if (ei_decode_list_header (buf, index, &arity) < 0 || arity != 0)
            return set_malformed (error, pos, "list");
          break;
        }
      else if (ubuf[pos] == ERL_STRING_EXT)
        {
          g_autofree char *chars = g_malloc (extent - 3 + 1);
          gsize n = extent - 3;

          if (ei_decode_string (buf, index, chars) < 0 || (gsize) *index != pos + extent)
            return set_malformed (error, pos, "string");
          for (gsize i = 0; i < n; i++)
            g_ptr_array_add (items, beam_term_new_integer ((guint8) chars[i]));
          break;
        }
      else if (ubuf[pos] == ERL_LIST_EXT)
        {
          /* Elements plus a tail, at least one byte each. */
          if (read_u32 (ubuf + pos + 1) >= len - (pos + extent))
            {
              set_truncated (error, pos + extent);
              return NULL;
            }
          if (ei_decode_list_header (buf, index, &arity) < 0 || arity < 0 ||
              (gsize) *index != pos + extent)
            return set_malformed (error, pos, "list");
          for (int i = 0; i < arity; i++)
            {
              BeamTerm *child = decode_node (buf, len, index, depth + 1, error);

              if (child == NULL)
                return NULL;
              g_ptr_array_add (items, child);
            }
        }
      else
        {
          BeamTerm *tail = decode_node (buf, len, index, depth + 1, error);

          if (tail == NULL)
            return NULL;
          /* [ | T] with no elements is just T. */
          if (items->len == 0)
            return tail;
          g_ptr_array_add (items, tail);
          improper = TRUE;
          break;
        }
    }

  n_items = items->len;
  list = term_new (BEAM_TERM_LIST);
  list->v.list.improper = improper;
  list->n_children = (guint) n_items;
  list->children = (BeamTerm **) g_ptr_array_steal (items, NULL);
  return list;
}

static BeamTerm *
decode_node (const char *buf,
             gsize       len,
             int        *index,
             guint       depth,
             GError    **error)
{
  const guint8 *ubuf = (const guint8 *) buf;
  gsize pos = (gsize) *index;
  gsize extent;
  BeamTerm *term = NULL;
  int type;
  int size;
  int arity;

  if (!node_extent (ubuf, len, pos, depth, &extent, error))
    return NULL;
  if (ei_get_type (buf, index, &type, &size) < 0)
    return set_malformed (error, pos, "term");

  switch (ubuf[pos])
    {
    case ERL_SMALL_INTEGER_EXT:
    case ERL_INTEGER_EXT:
      {
        EI_LONGLONG value;

        if (ei_decode_longlong (buf, index, &value) < 0)
          return set_malformed (error, pos, "integer");
        term = beam_term_new_integer (value);
      }
      break;

    case ERL_SMALL_BIG_EXT:
    case ERL_LARGE_BIG_EXT:
      term = decode_big (buf, index, size, error);
      break;

    case ERL_FLOAT_EXT:
      {
        /* ei runs sscanf() straight on the 31 bytes of text, which need not
         * be NUL-terminated: give it a copy that is. */
        char text[32 + 1];
        int at = 0;
        double value;

        memcpy (text, buf + pos, 32);
        text[32] = '\0';
        if (ei_decode_double (text, &at, &value) < 0 || at != 32 || !isfinite (value))
          return set_malformed (error, pos, "float");
        *index += at;
        term = beam_term_new_float (value);
      }
      break;

    case NEW_FLOAT_EXT:
      {
        double value;

        /* binary_to_term refuses NaN and infinities; so do we. */
        if (ei_decode_double (buf, index, &value) < 0 || !isfinite (value))
          return set_malformed (error, pos, "float");
        term = beam_term_new_float (value);
      }
      break;

    case ERL_ATOM_EXT:
    case ERL_SMALL_ATOM_EXT:
    case ERL_ATOM_UTF8_EXT:
    case ERL_SMALL_ATOM_UTF8_EXT:
      term = decode_atom (buf, index, error);
      break;

    case ERL_PID_EXT:
    case ERL_NEW_PID_EXT:
      term = decode_pid (buf, index, error);
      break;

    case ERL_PORT_EXT:
    case ERL_NEW_PORT_EXT:
    case ERL_V4_PORT_EXT:
      term = decode_port (buf, index, error);
      break;

    case ERL_REFERENCE_EXT:
    case ERL_NEW_REFERENCE_EXT:
    case ERL_NEWER_REFERENCE_EXT:
      term = decode_ref (buf, index, error);
      break;

    case ERL_BINARY_EXT:
      {
        long n = 0;

        term = term_new (BEAM_TERM_BINARY);
        term->v.bytes.size = extent - 5;
        term->v.bytes.data = g_malloc (term->v.bytes.size);
        term->v.bytes.last_bits = 8;
        if (ei_decode_binary (buf, index, term->v.bytes.data, &n) < 0 ||
            (gsize) n != term->v.bytes.size)
          {
            beam_term_free (term);
            return set_malformed (error, pos, "binary");
          }
      }
      break;

    case ERL_BIT_BINARY_EXT:
      {
        const char *data = NULL;
        unsigned int bit_offset = 0;
        size_t n_bits = 0;
        gsize n_bytes;

        if (ei_decode_bitstring (buf, index, &data, &bit_offset, &n_bits) < 0 ||
            bit_offset != 0 || (n_bits + 7) / 8 != extent - 6)
          return set_malformed (error, pos, "bitstring");

        n_bytes = (n_bits + 7) / 8;
        term = term_new (n_bits % 8 == 0 ? BEAM_TERM_BINARY : BEAM_TERM_BITSTRING);
        term->v.bytes.data = g_memdup2 (data, n_bytes);
        term->v.bytes.size = n_bytes;
        term->v.bytes.last_bits = n_bits % 8 == 0 ? 8 : n_bits % 8;
        /* Bits past the end are not part of the value; keep them zero so
         * equal bitstrings print and compare the same. */
        if (n_bits % 8 != 0)
          term->v.bytes.data[n_bytes - 1] &= (guint8) (0xff << (8 - n_bits % 8));
      }
      break;

    case ERL_SMALL_TUPLE_EXT:
    case ERL_LARGE_TUPLE_EXT:
      /* Counts are unsigned on the wire but int in ei: look first. Every
       * element takes at least a byte. */
      if ((ubuf[pos] == ERL_SMALL_TUPLE_EXT ? ubuf[pos + 1] : read_u32 (ubuf + pos + 1)) >
          len - (pos + extent))
        {
          set_truncated (error, pos + extent);
          return NULL;
        }
      if (ei_decode_tuple_header (buf, index, &arity) < 0 || arity < 0 ||
          (gsize) *index != pos + extent)
        return set_malformed (error, pos, "tuple");
      term = term_new (BEAM_TERM_TUPLE);
      if (!decode_children (term, (guint) arity, buf, len, index, depth, error))
        g_clear_pointer (&term, beam_term_free);
      return term;

    case ERL_MAP_EXT:
      if (read_u32 (ubuf + pos + 1) > (len - (pos + extent)) / 2)
        {
          set_truncated (error, pos + extent);
          return NULL;
        }
      if (ei_decode_map_header (buf, index, &arity) < 0 || arity < 0 ||
          (gsize) *index != pos + extent)
        return set_malformed (error, pos, "map");
      term = term_new (BEAM_TERM_MAP);
      if (!decode_children (term, 2 * (guint) arity, buf, len, index, depth, error))
        g_clear_pointer (&term, beam_term_free);
      return term;

    case ERL_NIL_EXT:
    case ERL_STRING_EXT:
    case ERL_LIST_EXT:
      return decode_list (buf, len, index, depth, error);

    case ERL_NEW_FUN_EXT:
    case ERL_EXPORT_EXT:
      {
        int free_start = 0;
        guint n_free = 0;
        int end;

        term = decode_fun_head (buf, index, &free_start, &n_free, error);
        if (term == NULL)
          return NULL;
        end = *index;
        if ((gsize) end != pos + extent || free_start < (int) pos || free_start > end)
          {
            beam_term_free (term);
            return set_malformed (error, pos, "fun");
          }
        /* Free variables are ordinary terms inside the fun's bytes. */
        if (!decode_children (term, n_free, buf, (gsize) end, &free_start, depth, error) ||
            free_start != end)
          {
            beam_term_free (term);
            if (error != NULL && *error == NULL)
              set_malformed (error, pos, "fun");
            return NULL;
          }
        return term;
      }

    default:
      g_assert_not_reached ();
    }

  if (term == NULL)
    return NULL;

  /* Every scalar must end exactly where we measured it to. */
  if ((gsize) *index != pos + extent)
    {
      beam_term_free (term);
      return set_malformed (error, pos, "term length");
    }
  return term;
}

static BeamTerm *
decode_bounded (const char *buf,
                gsize       len,
                int        *index,
                GError    **error)
{
  /* ei indexes with int. */
  if (len > G_MAXINT)
    {
      g_set_error (error, BEAM_TERM_ERROR, BEAM_TERM_ERROR_TOO_LARGE,
                   "Buffer of %" G_GSIZE_FORMAT " bytes is too large", len);
      return NULL;
    }
  if (*index < 0 || (gsize) *index > len)
    {
      g_set_error (error, BEAM_TERM_ERROR, BEAM_TERM_ERROR_MALFORMED,
                   "Start offset %d is outside the buffer", *index);
      return NULL;
    }
  return decode_node (buf, len, index, 0, error);
}

BeamTerm *
beam_term_decode (const char *buf,
                  gsize       len,
                  gboolean    with_version,
                  GError    **error)
{
  BeamTerm *term;
  int index = 0;

  g_return_val_if_fail (buf != NULL || len == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (with_version)
    {
      int version;

      if (len < 1)
        {
          set_truncated (error, 0);
          return NULL;
        }
      if ((guint8) buf[0] != ETF_VERSION_MAGIC ||
          ei_decode_version (buf, &index, &version) < 0)
        {
          g_set_error (error, BEAM_TERM_ERROR, BEAM_TERM_ERROR_MALFORMED,
                       "Not an external term (version byte %u)", (guint8) buf[0]);
          return NULL;
        }
    }

  term = decode_bounded (buf, len, &index, error);
  if (term != NULL && (gsize) index != len)
    {
      g_set_error (error, BEAM_TERM_ERROR, BEAM_TERM_ERROR_MALFORMED,
                   "%" G_GSIZE_FORMAT " bytes left over after the term", len - index);
      g_clear_pointer (&term, beam_term_free);
    }
  return term;
}

gboolean
beam_term_validate (const char  *buf,
                    gsize        len,
                    GError     **error)
{
  gsize pos = 1;

  g_return_val_if_fail (buf != NULL || len == 0, FALSE);

  if (len < 1 || (guint8) buf[0] != ETF_VERSION_MAGIC)
    {
      g_set_error (error, BEAM_TERM_ERROR, BEAM_TERM_ERROR_MALFORMED, "Not an external term");
      return FALSE;
    }
  if (!check_term ((const guint8 *) buf, len, &pos, 0, error))
    return FALSE;
  if (pos != len)
    {
      g_set_error (error, BEAM_TERM_ERROR, BEAM_TERM_ERROR_MALFORMED,
                   "%" G_GSIZE_FORMAT " bytes left over after the term", len - pos);
      return FALSE;
    }
  return TRUE;
}

BeamTerm *
beam_term_decode_at (const char *buf,
                     int        *index,
                     GError    **error)
{
  g_return_val_if_fail (buf != NULL, NULL);
  g_return_val_if_fail (index != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* As trusting as ei: the lengths in the term are the only bound. */
  return decode_bounded (buf, G_MAXINT, index, error);
}

BeamTerm *
beam_term_decode_at_len (const char *buf,
                         gsize       len,
                         int        *index,
                         GError    **error)
{
  g_return_val_if_fail (buf != NULL || len == 0, NULL);
  g_return_val_if_fail (index != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return decode_bounded (buf, len, index, error);
}

void
beam_term_free (BeamTerm *term)
{
  if (term == NULL)
    return;

  for (guint i = 0; i < term->n_children; i++)
    beam_term_free (term->children[i]);
  g_free (term->children);

  switch (term->kind)
    {
    case BEAM_TERM_BIG_INTEGER:
      g_free (term->v.big.digits);
      break;

    case BEAM_TERM_ATOM:
      g_free (term->v.atom.name);
      break;

    case BEAM_TERM_BINARY:
    case BEAM_TERM_BITSTRING:
      g_free (term->v.bytes.data);
      break;

    case BEAM_TERM_PID:
    case BEAM_TERM_PORT:
    case BEAM_TERM_REFERENCE:
      g_free (term->v.ident.node);
      break;

    case BEAM_TERM_FUN:
      g_free (term->v.fun.module);
      g_free (term->v.fun.function);
      break;

    case BEAM_TERM_INTEGER:
    case BEAM_TERM_FLOAT:
    case BEAM_TERM_TUPLE:
    case BEAM_TERM_LIST:
    case BEAM_TERM_MAP:
    case BEAM_TERM_REPLY_PID:
    default:
      break;
    }

  g_free (term);
}

/* Builders */

BeamTerm *
beam_term_new_integer (gint64 value)
{
  BeamTerm *term = term_new (BEAM_TERM_INTEGER);

  term->v.integer = value;
  return term;
}

BeamTerm *
beam_term_new_float (double value)
{
  BeamTerm *term = term_new (BEAM_TERM_FLOAT);

  term->v.floating = value;
  return term;
}

BeamTerm *
beam_term_new_export_fun (const char *module,
                          const char *function,
                          guint       arity)
{
  BeamTerm *term;

  g_return_val_if_fail (module != NULL && g_utf8_validate (module, -1, NULL), NULL);
  g_return_val_if_fail (function != NULL && g_utf8_validate (function, -1, NULL), NULL);
  g_return_val_if_fail (arity <= 255, NULL);

  term = term_new (BEAM_TERM_FUN);
  term->v.fun.module = g_strdup (module);
  term->v.fun.function = g_strdup (function);
  term->v.fun.arity = arity;
  term->v.fun.is_export = TRUE;
  return term;
}

BeamTerm *
beam_term_new_atom (const char *name)
{
  BeamTerm *term;

  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (g_utf8_validate (name, -1, NULL), NULL);

  term = term_new (BEAM_TERM_ATOM);
  term->v.atom.name = g_strdup (name);
  return term;
}

BeamTerm *
beam_term_new_binary (gconstpointer data,
                      gsize         size)
{
  BeamTerm *term;

  g_return_val_if_fail (data != NULL || size == 0, NULL);

  term = term_new (BEAM_TERM_BINARY);
  term->v.bytes.data = size > 0 ? g_memdup2 (data, size) : NULL;
  term->v.bytes.size = size;
  term->v.bytes.last_bits = 8;
  return term;
}

BeamTerm *
beam_term_new_string (const char *utf8)
{
  g_return_val_if_fail (utf8 != NULL, NULL);

  return beam_term_new_binary (utf8, strlen (utf8));
}

static BeamTerm *
new_container_va (BeamTermKind kind,
                  guint        n_children,
                  va_list      args)
{
  BeamTerm *term = term_new (kind);
  gboolean ok = TRUE;

  term->children = g_new0 (BeamTerm *, MAX (n_children, 1));
  for (guint i = 0; i < n_children; i++)
    {
      BeamTerm *child = va_arg (args, BeamTerm *);

      if (child == NULL)
        ok = FALSE;
      else
        term->children[term->n_children++] = child;
    }

  /* A NULL child is a programming error; do not hand out a half term. */
  if (!ok)
    {
      g_critical ("%s: NULL child in a new %s", G_STRFUNC,
                  kind == BEAM_TERM_TUPLE ? "tuple" : "list");
      g_clear_pointer (&term, beam_term_free);
    }
  return term;
}

BeamTerm *
beam_term_new_tuple (guint n_children,
                     ...)
{
  BeamTerm *term;
  va_list args;

  va_start (args, n_children);
  term = new_container_va (BEAM_TERM_TUPLE, n_children, args);
  va_end (args);
  return term;
}

BeamTerm *
beam_term_new_list (guint n_children,
                    ...)
{
  BeamTerm *term;
  va_list args;

  va_start (args, n_children);
  term = new_container_va (BEAM_TERM_LIST, n_children, args);
  va_end (args);
  return term;
}

static BeamTerm *
new_container_take (BeamTermKind  kind,
                    GPtrArray    *children)
{
  BeamTerm *term;
  gsize n = 0;

  g_return_val_if_fail (children != NULL, NULL);

  term = term_new (kind);
  /* Stealing leaves the elements alone even if the array owns them. */
  term->children = (BeamTerm **) g_ptr_array_steal (children, &n);
  term->n_children = (guint) n;
  g_ptr_array_unref (children);

  for (guint i = 0; i < term->n_children; i++)
    if (term->children[i] == NULL)
      {
        g_critical ("%s: NULL element in a new term", G_STRFUNC);
        beam_term_free (term);
        return NULL;
      }

  return term;
}

BeamTerm *
beam_term_new_list_take (GPtrArray *children)
{
  return new_container_take (BEAM_TERM_LIST, children);
}

BeamTerm *
beam_term_new_tuple_take (GPtrArray *children)
{
  return new_container_take (BEAM_TERM_TUPLE, children);
}

BeamTerm *
beam_term_new_reply_pid (void)
{
  return term_new (BEAM_TERM_REPLY_PID);
}

BeamTerm *
beam_term_copy (const BeamTerm *term)
{
  BeamTerm *copy;

  g_return_val_if_fail (term != NULL, NULL);

  copy = g_memdup2 (term, sizeof *term);
  if (term->n_children > 0)
    {
      copy->children = g_new (BeamTerm *, term->n_children);
      for (guint i = 0; i < term->n_children; i++)
        copy->children[i] = beam_term_copy (term->children[i]);
    }
  else
    copy->children = NULL;

  switch (term->kind)
    {
    case BEAM_TERM_BIG_INTEGER:
      copy->v.big.digits = g_strdup (term->v.big.digits);
      break;

    case BEAM_TERM_ATOM:
      copy->v.atom.name = g_strdup (term->v.atom.name);
      break;

    case BEAM_TERM_BINARY:
    case BEAM_TERM_BITSTRING:
      copy->v.bytes.data = term->v.bytes.size > 0 ? g_memdup2 (term->v.bytes.data, term->v.bytes.size) : NULL;
      break;

    case BEAM_TERM_PID:
    case BEAM_TERM_PORT:
    case BEAM_TERM_REFERENCE:
      copy->v.ident.node = g_strdup (term->v.ident.node);
      break;

    case BEAM_TERM_FUN:
      copy->v.fun.module = g_strdup (term->v.fun.module);
      copy->v.fun.function = g_strdup (term->v.fun.function);
      break;

    case BEAM_TERM_INTEGER:
    case BEAM_TERM_FLOAT:
    case BEAM_TERM_TUPLE:
    case BEAM_TERM_LIST:
    case BEAM_TERM_MAP:
    case BEAM_TERM_REPLY_PID:
    default:
      break;
    }

  return copy;
}

/* Encoding */

static gboolean
set_encode_error (GError    **error,
                  const char *format,
                  ...) G_GNUC_PRINTF (2, 3);

static gboolean
set_encode_error (GError    **error,
                  const char *format,
                  ...)
{
  va_list args;

  va_start (args, format);
  if (error != NULL)
    *error = g_error_new_valist (BEAM_TERM_ERROR, BEAM_TERM_ERROR_ENCODE, format, args);
  va_end (args);
  return FALSE;
}

static gboolean
encode_big (const char *digits,
            ei_x_buff  *x,
            GError    **error)
{
  g_autoptr(GByteArray) bytes = g_byte_array_new ();  /* little-endian magnitude */
  gboolean negative = digits[0] == '-';
  const char *p = digits + (negative ? 1 : 0);
  gint64 small;
  erlang_big *big;
  guint16 *words;
  int ret;

  if (*p == '\0' || strspn (p, "0123456789") != strlen (p))
    return set_encode_error (error, "“%s” is not a decimal integer", digits);

  if (g_ascii_string_to_signed (digits, 10, G_MININT64, G_MAXINT64, &small, NULL))
    return ei_x_encode_longlong (x, small) == 0 ||
           set_encode_error (error, "Cannot encode integer %s", digits);

  /* magnitude = magnitude * 10 + digit, one decimal digit at a time */
  for (; *p != '\0'; p++)
    {
      guint carry = (guint) (*p - '0');

      for (guint i = 0; i < bytes->len; i++)
        {
          guint v = bytes->data[i] * 10u + carry;

          bytes->data[i] = (guint8) (v & 0xff);
          carry = v >> 8;
        }
      while (carry > 0)
        {
          guint8 b = (guint8) (carry & 0xff);

          g_byte_array_append (bytes, &b, 1);
          carry >>= 8;
        }
    }
  while (bytes->len > 0 && bytes->data[bytes->len - 1] == 0)
    g_byte_array_set_size (bytes, bytes->len - 1);

  if (bytes->len > BEAM_TERM_MAX_BIG_BYTES)
    return set_encode_error (error, "Integer is larger than %d bytes", BEAM_TERM_MAX_BIG_BYTES);

  big = ei_alloc_big (bytes->len);
  if (big == NULL)
    g_error ("%s: out of memory", G_STRFUNC);
  big->is_neg = negative;
  words = big->digits;
  for (guint i = 0; i < bytes->len; i++)
    words[i / 2] |= (guint16) (bytes->data[i] << (8 * (i % 2)));
  ret = ei_x_encode_big (x, big);
  ei_free_big (big);

  return ret == 0 || set_encode_error (error, "Cannot encode integer %s", digits);
}

static gboolean
copy_node_name (char       *dest,
                const char *node,
                GError    **error)
{
  if (node == NULL || strlen (node) >= MAXATOMLEN_UTF8)
    return set_encode_error (error, "Bad node name");
  strcpy (dest, node);
  return TRUE;
}

/* Pids, ports, references and funs go through ei's structs, which are
 * over a kilobyte each: kept out of encode_node() so that its frame stays
 * small enough to recurse BEAM_TERM_MAX_DEPTH deep. */
static G_GNUC_NO_INLINE gboolean
encode_ident (const BeamTerm *term,
              ei_x_buff      *x,
              GError        **error)
{
  int ret;

  if (term->kind == BEAM_TERM_PID)
    {
      erlang_pid pid = { 0 };

      if (!copy_node_name (pid.node, term->v.ident.node, error))
        return FALSE;
      pid.num = (unsigned int) term->v.ident.id;
      pid.serial = term->v.ident.serial;
      pid.creation = term->v.ident.creation;
      ret = ei_x_encode_pid (x, &pid);
    }
  else if (term->kind == BEAM_TERM_PORT)
    {
      erlang_port port = { 0 };

      if (!copy_node_name (port.node, term->v.ident.node, error))
        return FALSE;
      port.id = term->v.ident.id;
      port.creation = term->v.ident.creation;
      ret = ei_x_encode_port (x, &port);
    }
  else
    {
      erlang_ref ref = { 0 };

      if (term->v.ident.ref_len < 1 || term->v.ident.ref_len > G_N_ELEMENTS (ref.n))
        return set_encode_error (error, "Bad reference");
      if (!copy_node_name (ref.node, term->v.ident.node, error))
        return FALSE;
      ref.len = (int) term->v.ident.ref_len;
      for (guint i = 0; i < term->v.ident.ref_len; i++)
        ref.n[i] = term->v.ident.ref_words[i];
      ref.creation = term->v.ident.creation;
      ret = ei_x_encode_ref (x, &ref);
    }

  return ret == 0 || set_encode_error (error, "ei could not encode a pid, port or reference");
}

static G_GNUC_NO_INLINE gboolean
encode_fun (const BeamTerm *term,
            ei_x_buff      *x,
            GError        **error)
{
  erlang_fun fun;

  /* A closure's identity (MD5, new index, creator pid) is not kept. */
  if (!term->v.fun.is_export || term->v.fun.function == NULL)
    return set_encode_error (error, "Closures cannot be encoded");
  if (term->v.fun.module == NULL || strlen (term->v.fun.module) >= MAXATOMLEN_UTF8)
    return set_encode_error (error, "Bad fun module");

  memset (&fun, 0, sizeof fun);
  fun.type = EI_FUN_EXPORT;
  fun.arity = term->v.fun.arity;
  strcpy (fun.module, term->v.fun.module);
  fun.u.exprt.func = term->v.fun.function;
  fun.u.exprt.func_allocated = 0;

  return ei_x_encode_fun (x, &fun) == 0 || set_encode_error (error, "ei could not encode a fun");
}

static gboolean
encode_node (const BeamTerm *term,
             ei_x_buff      *x,
             const void     *reply_pid,
             guint           depth,
             GError        **error)
{
  int ret = 0;

  if (depth > BEAM_TERM_MAX_DEPTH)
    return set_encode_error (error, "Term nested deeper than %d levels", BEAM_TERM_MAX_DEPTH);

  switch (term->kind)
    {
    case BEAM_TERM_INTEGER:
      ret = ei_x_encode_longlong (x, term->v.integer);
      break;

    case BEAM_TERM_BIG_INTEGER:
      return encode_big (term->v.big.digits, x, error);

    case BEAM_TERM_FLOAT:
      if (!isfinite (term->v.floating))
        return set_encode_error (error, "Erlang has no NaN or infinite floats");
      ret = ei_x_encode_double (x, term->v.floating);
      break;

    case BEAM_TERM_ATOM:
      /* ei refuses more than 255 bytes; say so rather than truncate. */
      ret = ei_x_encode_atom_len_as (x, term->v.atom.name, (int) strlen (term->v.atom.name),
                                     ERLANG_UTF8, ERLANG_UTF8);
      if (ret < 0)
        return set_encode_error (error, "Cannot encode atom “%s” (too long?)", term->v.atom.name);
      break;

    case BEAM_TERM_BINARY:
      if (term->v.bytes.size > G_MAXINT)
        return set_encode_error (error, "Binary too large to encode");
      ret = ei_x_encode_binary (x, term->v.bytes.data, (int) term->v.bytes.size);
      break;

    case BEAM_TERM_BITSTRING:
      if (term->v.bytes.size == 0 || term->v.bytes.size > G_MAXINT / 8 ||
          term->v.bytes.last_bits < 1 || term->v.bytes.last_bits > 8)
        return set_encode_error (error, "Bad bitstring");
      ret = ei_x_encode_bitstring (x, (const char *) term->v.bytes.data, 0,
                                   (term->v.bytes.size - 1) * 8 + term->v.bytes.last_bits);
      break;

    case BEAM_TERM_TUPLE:
      ret = ei_x_encode_tuple_header (x, term->n_children);
      for (guint i = 0; ret == 0 && i < term->n_children; i++)
        if (!encode_node (term->children[i], x, reply_pid, depth + 1, error))
          return FALSE;
      break;

    case BEAM_TERM_LIST:
      {
        guint n_elements = term->n_children;

        if (term->v.list.improper)
          {
            if (term->n_children < 2)
              return set_encode_error (error, "An improper list needs an element and a tail");
            n_elements--;
          }
        if (n_elements > 0)
          ret = ei_x_encode_list_header (x, n_elements);
        for (guint i = 0; ret == 0 && i < term->n_children; i++)
          if (!encode_node (term->children[i], x, reply_pid, depth + 1, error))
            return FALSE;
        if (ret == 0 && !term->v.list.improper)
          ret = ei_x_encode_empty_list (x);
      }
      break;

    case BEAM_TERM_MAP:
      if (term->n_children % 2 != 0)
        return set_encode_error (error, "A map needs as many values as keys");
      ret = ei_x_encode_map_header (x, term->n_children / 2);
      for (guint i = 0; ret == 0 && i < term->n_children; i++)
        if (!encode_node (term->children[i], x, reply_pid, depth + 1, error))
          return FALSE;
      break;

    case BEAM_TERM_PID:
    case BEAM_TERM_PORT:
    case BEAM_TERM_REFERENCE:
      return encode_ident (term, x, error);

    case BEAM_TERM_FUN:
      return encode_fun (term, x, error);

    case BEAM_TERM_REPLY_PID:
      if (reply_pid == NULL)
        return set_encode_error (error, "No reply pid to encode");
      ret = ei_x_encode_pid (x, reply_pid);
      break;

    default:
      return set_encode_error (error, "Unknown term kind %d", term->kind);
    }

  if (ret < 0)
    return set_encode_error (error, "ei could not encode the term");
  return TRUE;
}

gboolean
beam_term_encode (const BeamTerm *term,
                  void           *buffer,
                  const void     *reply_pid,
                  GError        **error)
{
  ei_x_buff *x = buffer;
  int start;

  g_return_val_if_fail (term != NULL, FALSE);
  g_return_val_if_fail (x != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* On failure, leave no half-written term behind. */
  start = x->index;
  if (!encode_node (term, x, reply_pid, 0, error))
    {
      x->index = start;
      return FALSE;
    }
  return TRUE;
}

/* Accessors */

gboolean
beam_term_is_atom (const BeamTerm *term,
                   const char     *name)
{
  g_return_val_if_fail (name != NULL, FALSE);

  return term != NULL && term->kind == BEAM_TERM_ATOM && strcmp (term->v.atom.name, name) == 0;
}

gboolean
beam_term_get_int64 (const BeamTerm *term,
                     gint64         *out_value)
{
  if (term == NULL || term->kind != BEAM_TERM_INTEGER)
    return FALSE;
  if (out_value != NULL)
    *out_value = term->v.integer;
  return TRUE;
}

const BeamTerm *
beam_term_tagged (const BeamTerm *term,
                  const char     *tag,
                  guint           arity)
{
  g_return_val_if_fail (tag != NULL, NULL);

  if (term == NULL || term->kind != BEAM_TERM_TUPLE || arity == 0 ||
      term->n_children != arity || !beam_term_is_atom (term->children[0], tag))
    return NULL;
  return term;
}

const BeamTerm *
beam_term_lookup (const BeamTerm *proplist,
                  const char     *key)
{
  guint n;

  g_return_val_if_fail (key != NULL, NULL);

  if (proplist == NULL || proplist->kind != BEAM_TERM_LIST)
    return NULL;

  n = proplist->n_children - (proplist->v.list.improper ? 1 : 0);
  for (guint i = 0; i < n; i++)
    {
      const BeamTerm *pair = proplist->children[i];

      if (pair->kind == BEAM_TERM_TUPLE && pair->n_children == 2 &&
          beam_term_is_atom (pair->children[0], key))
        return pair->children[1];
    }
  return NULL;
}

char *
beam_term_dup_string (const BeamTerm *term)
{
  GString *out;

  if (term == NULL)
    return NULL;

  if (term->kind == BEAM_TERM_BINARY)
    {
      /* Rejects embedded NULs too, which a C string could not carry. */
      if (term->v.bytes.size > 0 &&
          !g_utf8_validate_len ((const char *) term->v.bytes.data, term->v.bytes.size, NULL))
        return NULL;
      return g_strndup ((const char *) term->v.bytes.data, term->v.bytes.size);
    }

  if (term->kind != BEAM_TERM_LIST || term->v.list.improper)
    return NULL;

  out = g_string_sized_new (term->n_children);
  for (guint i = 0; i < term->n_children; i++)
    {
      const BeamTerm *c = term->children[i];

      if (c->kind != BEAM_TERM_INTEGER || c->v.integer <= 0 || c->v.integer > 0x10FFFF ||
          !g_unichar_validate ((gunichar) c->v.integer))
        {
          g_string_free (out, TRUE);
          return NULL;
        }
      g_string_append_unichar (out, (gunichar) c->v.integer);
    }
  return g_string_free (out, FALSE);
}
