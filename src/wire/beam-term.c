/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The BeamTerm tree itself: making, copying and freeing terms, and the
 * accessors probe code reads replies with. Decoding, validating and encoding
 * ETF live beside it in beam-term-decoder.c, beam-term-validator.c and
 * beam-term-encoder.c, which share beam-term-private.h. */

#define G_LOG_DOMAIN "beamscope-wire"

#include "config.h"

#include <stdarg.h>
#include <string.h>

#include "beam-term-private.h"

G_DEFINE_QUARK (beam-term-error-quark, beam_term_error)

BeamTerm *
_beam_term_new (BeamTermKind kind)
{
  BeamTerm *term = g_new0 (BeamTerm, 1);

  term->kind = kind;
  return term;
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
  BeamTerm *term = _beam_term_new (BEAM_TERM_INTEGER);

  term->v.integer = value;
  return term;
}

BeamTerm *
_beam_term_new_float (double value)
{
  BeamTerm *term = _beam_term_new (BEAM_TERM_FLOAT);

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

  term = _beam_term_new (BEAM_TERM_FUN);
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

  term = _beam_term_new (BEAM_TERM_ATOM);
  term->v.atom.name = g_strdup (name);
  return term;
}

BeamTerm *
beam_term_new_binary (gconstpointer data,
                       gsize         size)
{
  BeamTerm *term;

  g_return_val_if_fail (data != NULL || size == 0, NULL);

  term = _beam_term_new (BEAM_TERM_BINARY);
  term->v.bytes.data = size > 0 ? g_memdup2 (data, size) : NULL;
  term->v.bytes.size = size;
  term->v.bytes.last_bits = 8;
  return term;
}

BeamTerm *
_beam_term_new_string (const char *utf8)
{
  g_return_val_if_fail (utf8 != NULL, NULL);

  return beam_term_new_binary (utf8, strlen (utf8));
}

static BeamTerm *
new_container_va (BeamTermKind kind,
                  guint        n_children,
                  va_list      args)
{
  BeamTerm *term = _beam_term_new (kind);
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

  term = _beam_term_new (kind);
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
  return _beam_term_new (BEAM_TERM_REPLY_PID);
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
      copy->v.bytes.data = term->v.bytes.size > 0
                           ? g_memdup2 (term->v.bytes.data, term->v.bytes.size)
                           : NULL;
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
