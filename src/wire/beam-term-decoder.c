/* SPDX-License-Identifier: GPL-3.0-or-later */

/* ETF to BeamTerm, on top of ei.
 *
 * Before each ei call the node about to be decoded is measured against the
 * bytes we have (beam-term-validator.c), and afterwards we check that ei
 * consumed exactly that much, so ei never reads outside [0, len). Every
 * count read from the wire is checked against the bytes left before anything
 * is allocated for it, and nesting is bounded by BEAM_TERM_MAX_DEPTH so that
 * a hostile term cannot exhaust the stack of the thread decoding it. */

#define G_LOG_DOMAIN "beamscope-wire"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#define USE_EI_UNDOCUMENTED  /* ei_alloc_big(), ei_decode_big() */
#include <ei.h>

#include "beam-term-private.h"

static gpointer
set_malformed (GError **error,
               gsize    pos,
               const char *what)
{
  /* Translators: %s is an Erlang term type as Erlang names it (integer, atom, pid, tuple,
   * term length…), left in English; %llu is a byte offset into the term's data. */
  g_set_error (error, BEAM_TERM_ERROR, BEAM_TERM_ERROR_MALFORMED,
               _("Bad %s at offset %llu"), what, (unsigned long long) pos);
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
                   g_dngettext (NULL, "Integer of %d byte is larger than %d bytes",
                                "Integer of %d bytes is larger than %d bytes", size),
                   size, BEAM_TERM_MAX_BIG_BYTES);
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

  term = _beam_term_new (BEAM_TERM_BIG_INTEGER);
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

  term = _beam_term_new (BEAM_TERM_ATOM);
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

  term = _beam_term_new (BEAM_TERM_PID);
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

  term = _beam_term_new (BEAM_TERM_PORT);
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

  term = _beam_term_new (BEAM_TERM_REFERENCE);
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
              term = _beam_term_new (BEAM_TERM_FUN);
              term->v.fun.is_export = TRUE;
              term->v.fun.function = g_strdup (fun.u.exprt.func);
              *free_start = *index;
              *n_free = 0;
            }
        }
      else if (fun.u.closure.n_free_vars >= 0 && fun.u.closure.free_var_len >= 0)
        {
          term = _beam_term_new (BEAM_TERM_FUN);
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
    return _beam_term_set_truncated (error, *index);

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

      if (!_beam_term_node_extent (ubuf, len, pos, depth, &extent, error))
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
          if (_beam_term_read_u32 (ubuf + pos + 1) >= len - (pos + extent))
            {
              _beam_term_set_truncated (error, pos + extent);
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
  list = _beam_term_new (BEAM_TERM_LIST);
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

  if (!_beam_term_node_extent (ubuf, len, pos, depth, &extent, error))
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

        term = _beam_term_new (BEAM_TERM_BINARY);
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
        term = _beam_term_new (n_bits % 8 == 0 ? BEAM_TERM_BINARY : BEAM_TERM_BITSTRING);
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
      if ((ubuf[pos] == ERL_SMALL_TUPLE_EXT ? ubuf[pos + 1]
                                            : _beam_term_read_u32 (ubuf + pos + 1)) >
          len - (pos + extent))
        {
          _beam_term_set_truncated (error, pos + extent);
          return NULL;
        }
      if (ei_decode_tuple_header (buf, index, &arity) < 0 || arity < 0 ||
          (gsize) *index != pos + extent)
        return set_malformed (error, pos, "tuple");
      term = _beam_term_new (BEAM_TERM_TUPLE);
      if (!decode_children (term, (guint) arity, buf, len, index, depth, error))
        g_clear_pointer (&term, beam_term_free);
      return term;

    case ERL_MAP_EXT:
      if (_beam_term_read_u32 (ubuf + pos + 1) > (len - (pos + extent)) / 2)
        {
          _beam_term_set_truncated (error, pos + extent);
          return NULL;
        }
      if (ei_decode_map_header (buf, index, &arity) < 0 || arity < 0 ||
          (gsize) *index != pos + extent)
        return set_malformed (error, pos, "map");
      term = _beam_term_new (BEAM_TERM_MAP);
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
                   g_dngettext (NULL, "Buffer of %llu byte is too large",
                                "Buffer of %llu bytes is too large", len),
                   (unsigned long long) len);
      return NULL;
    }
  if (*index < 0 || (gsize) *index > len)
    {
      g_set_error (error, BEAM_TERM_ERROR, BEAM_TERM_ERROR_MALFORMED,
                   _("Start offset %d is outside the buffer"), *index);
      return NULL;
    }
  return decode_node (buf, len, index, 0, error);
}

BeamTerm *
_beam_term_decode (const char *buf,
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
          _beam_term_set_truncated (error, 0);
          return NULL;
        }
      if ((guint8) buf[0] != BEAM_TERM_VERSION_MAGIC ||
          ei_decode_version (buf, &index, &version) < 0)
        {
          g_set_error (error, BEAM_TERM_ERROR, BEAM_TERM_ERROR_MALFORMED,
                       _("Not an external term (version byte %u)"), (guint8) buf[0]);
          return NULL;
        }
    }

  term = decode_bounded (buf, len, &index, error);
  if (term != NULL && (gsize) index != len)
    {
      g_set_error (error, BEAM_TERM_ERROR, BEAM_TERM_ERROR_MALFORMED,
                   g_dngettext (NULL, "%llu byte left over after the term",
                                "%llu bytes left over after the term", len - index),
                   (unsigned long long) (len - index));
      g_clear_pointer (&term, beam_term_free);
    }
  return term;
}

BeamTerm *
_beam_term_decode_at (const char *buf,
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
