/* SPDX-License-Identifier: GPL-3.0-or-later */

/* BeamTerm to ETF, for the arguments of the calls we send: kept apart from
 * the decoder because it trusts its input (our own builders) where the
 * decoder trusts nothing, and says so with BEAM_TERM_ERROR_ENCODE whenever
 * ei could not express a term rather than sending half of it. */

#define G_LOG_DOMAIN "beamscope-wire"

#include "config.h"

#include <math.h>
#include <stdarg.h>
#include <string.h>

#include <glib/gi18n.h>

#define USE_EI_UNDOCUMENTED  /* ei_alloc_big(), ei_x_encode_big() */
#include <ei.h>

#include "beam-term-private.h"

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
    return set_encode_error (error, _("“%s” is not a decimal integer"), digits);

  if (g_ascii_string_to_signed (digits, 10, G_MININT64, G_MAXINT64, &small, NULL))
    return ei_x_encode_longlong (x, small) == 0 ||
           set_encode_error (error, _("Cannot encode integer %s"), digits);

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
    return set_encode_error (error, g_dngettext (NULL, "Integer is larger than %d byte",
                                                 "Integer is larger than %d bytes",
                                                 BEAM_TERM_MAX_BIG_BYTES),
                             BEAM_TERM_MAX_BIG_BYTES);

  big = ei_alloc_big (bytes->len);
  if (big == NULL)
    g_error ("%s: out of memory", G_STRFUNC);
  big->is_neg = negative;
  words = big->digits;
  for (guint i = 0; i < bytes->len; i++)
    words[i / 2] |= (guint16) (bytes->data[i] << (8 * (i % 2)));
  ret = ei_x_encode_big (x, big);
  ei_free_big (big);

  return ret == 0 || set_encode_error (error, _("Cannot encode integer %s"), digits);
}

static gboolean
copy_node_name (char       *dest,
                const char *node,
                GError    **error)
{
  if (node == NULL || strlen (node) >= MAXATOMLEN_UTF8)
    return set_encode_error (error, _("Bad node name"));
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
        return set_encode_error (error, _("Bad reference"));
      if (!copy_node_name (ref.node, term->v.ident.node, error))
        return FALSE;
      ref.len = (int) term->v.ident.ref_len;
      for (guint i = 0; i < term->v.ident.ref_len; i++)
        ref.n[i] = term->v.ident.ref_words[i];
      ref.creation = term->v.ident.creation;
      ret = ei_x_encode_ref (x, &ref);
    }

  return ret == 0 || set_encode_error (error,
                                       _("ei could not encode a pid, port or reference"));
}

static G_GNUC_NO_INLINE gboolean
encode_fun (const BeamTerm *term,
            ei_x_buff      *x,
            GError        **error)
{
  erlang_fun fun;

  /* A closure's identity (MD5, new index, creator pid) is not kept. */
  if (!term->v.fun.is_export || term->v.fun.function == NULL)
    return set_encode_error (error, _("Closures cannot be encoded"));
  if (term->v.fun.module == NULL || strlen (term->v.fun.module) >= MAXATOMLEN_UTF8)
    return set_encode_error (error, _("Bad fun module"));

  memset (&fun, 0, sizeof fun);
  fun.type = EI_FUN_EXPORT;
  fun.arity = term->v.fun.arity;
  strcpy (fun.module, term->v.fun.module);
  fun.u.exprt.func = term->v.fun.function;
  fun.u.exprt.func_allocated = 0;

  return ei_x_encode_fun (x, &fun) == 0
         || set_encode_error (error, _("ei could not encode a fun"));
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
    return set_encode_error (error, g_dngettext (NULL, "Term nested deeper than %d level",
                                                 "Term nested deeper than %d levels",
                                                 BEAM_TERM_MAX_DEPTH),
                             BEAM_TERM_MAX_DEPTH);

  switch (term->kind)
    {
    case BEAM_TERM_INTEGER:
      ret = ei_x_encode_longlong (x, term->v.integer);
      break;

    case BEAM_TERM_BIG_INTEGER:
      return encode_big (term->v.big.digits, x, error);

    case BEAM_TERM_FLOAT:
      if (!isfinite (term->v.floating))
        return set_encode_error (error, _("Erlang has no NaN or infinite floats"));
      ret = ei_x_encode_double (x, term->v.floating);
      break;

    case BEAM_TERM_ATOM:
      /* ei refuses more than 255 bytes; say so rather than truncate. */
      ret = ei_x_encode_atom_len_as (x, term->v.atom.name, (int) strlen (term->v.atom.name),
                                     ERLANG_UTF8, ERLANG_UTF8);
      if (ret < 0)
        return set_encode_error (error, _("Cannot encode atom “%s” (too long?)"),
                                 term->v.atom.name);
      break;

    case BEAM_TERM_BINARY:
      if (term->v.bytes.size > G_MAXINT)
        return set_encode_error (error, _("Binary too large to encode"));
      ret = ei_x_encode_binary (x, term->v.bytes.data, (int) term->v.bytes.size);
      break;

    case BEAM_TERM_BITSTRING:
      if (term->v.bytes.size == 0 || term->v.bytes.size > G_MAXINT / 8 ||
          term->v.bytes.last_bits < 1 || term->v.bytes.last_bits > 8)
        return set_encode_error (error, _("Bad bitstring"));
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
              return set_encode_error (error, _("An improper list needs an element and a tail"));
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
        return set_encode_error (error, _("A map needs as many values as keys"));
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
        return set_encode_error (error, _("No reply pid to encode"));
      ret = ei_x_encode_pid (x, reply_pid);
      break;

    default:
      return set_encode_error (error, _("Unknown term kind %d"), term->kind);
    }

  if (ret < 0)
    return set_encode_error (error, _("ei could not encode the term"));
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

GBytes *
beam_term_to_external (const BeamTerm *term,
                       GError        **error)
{
  ei_x_buff x;
  GBytes *bytes;

  g_return_val_if_fail (term != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (ei_x_new_with_version (&x) < 0)
    g_error ("%s: out of memory", G_STRFUNC);
  if (!beam_term_encode (term, &x, NULL, error))
    {
      ei_x_free (&x);
      return NULL;
    }
  bytes = g_bytes_new (x.buff, x.index);
  ei_x_free (&x);
  return bytes;
}
