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
beam_term_new_float (double value)
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
beam_term_new_list_with_tail_take (GPtrArray *elements,
                                   BeamTerm  *tail)
{
  BeamTerm *term;
  gboolean improper;

  g_return_val_if_fail (elements != NULL, NULL);
  g_return_val_if_fail (tail != NULL, NULL);

  if (tail->kind != BEAM_TERM_LIST)
    {
      if (elements->len == 0)
        {
          g_critical ("%s: an improper list needs an element before its tail", G_STRFUNC);
          g_ptr_array_unref (elements);
          beam_term_free (tail);
          return NULL;
        }
      g_ptr_array_add (elements, tail);
      term = new_container_take (BEAM_TERM_LIST, elements);
      if (term != NULL)
        term->v.list.improper = TRUE;
      return term;
    }

  /* Joined rather than nested, so that each list has one shape. */
  for (guint i = 0; i < tail->n_children; i++)
    g_ptr_array_add (elements, g_steal_pointer (&tail->children[i]));
  improper = tail->v.list.improper;
  tail->n_children = 0;
  beam_term_free (tail);
  term = new_container_take (BEAM_TERM_LIST, elements);
  if (term != NULL)
    term->v.list.improper = improper;
  return term;
}

BeamTerm *
beam_term_new_map_take (GPtrArray *keys_and_values)
{
  g_return_val_if_fail (keys_and_values != NULL, NULL);
  g_return_val_if_fail (keys_and_values->len % 2 == 0, NULL);

  return new_container_take (BEAM_TERM_MAP, keys_and_values);
}

BeamTerm *
beam_term_new_big_integer (const char *digits)
{
  const char *magnitude;
  BeamTerm *term;
  gboolean negative;
  gint64 small;

  g_return_val_if_fail (digits != NULL, NULL);

  negative = digits[0] == '-';
  magnitude = digits + (negative ? 1 : 0);
  if (*magnitude == '\0' || strspn (magnitude, "0123456789") != strlen (magnitude))
    {
      g_critical ("%s: “%s” is not a decimal integer", G_STRFUNC, digits);
      return NULL;
    }

  if (g_ascii_string_to_signed (digits, 10, G_MININT64, G_MAXINT64, &small, NULL))
    return beam_term_new_integer (small);

  /* Too big for gint64, so not zero: no leading zeros, and "-" only before
   * a magnitude. */
  while (*magnitude == '0')
    magnitude++;
  term = _beam_term_new (BEAM_TERM_BIG_INTEGER);
  term->v.big.digits = g_strconcat (negative ? "-" : "", magnitude, NULL);
  return term;
}

BeamTerm *
beam_term_new_bitstring (gconstpointer data,
                         gsize         n_bits)
{
  BeamTerm *term;
  gsize size = (n_bits + 7) / 8;

  g_return_val_if_fail (data != NULL || n_bits == 0, NULL);

  if (n_bits % 8 == 0)
    return beam_term_new_binary (data, size);

  term = _beam_term_new (BEAM_TERM_BITSTRING);
  term->v.bytes.data = g_memdup2 (data, size);
  term->v.bytes.size = size;
  term->v.bytes.last_bits = n_bits % 8;
  /* ETF keeps the unused low bits zero; equal bitstrings compare equal. */
  term->v.bytes.data[size - 1] &= (guint8) (0xff << (8 - term->v.bytes.last_bits));
  return term;
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
beam_term_map_get (const BeamTerm *map,
                   const char     *key)
{
  g_return_val_if_fail (key != NULL, NULL);

  if (map == NULL || map->kind != BEAM_TERM_MAP)
    return NULL;
  for (guint i = 0; i + 1 < map->n_children; i += 2)
    if (beam_term_is_atom (map->children[i], key))
      return map->children[i + 1];
  return NULL;
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

/* Equality */

static guint
term_hash (const BeamTerm *term)
{
  guint h = (guint) term->kind * 2654435761u;

  switch (term->kind)
    {
    case BEAM_TERM_INTEGER:
      return h ^ g_int64_hash (&term->v.integer);
    case BEAM_TERM_BIG_INTEGER:
      return h ^ g_str_hash (term->v.big.digits);
    case BEAM_TERM_FLOAT:
      return h ^ g_double_hash (&term->v.floating);
    case BEAM_TERM_ATOM:
      return h ^ g_str_hash (term->v.atom.name);
    case BEAM_TERM_BINARY:
    case BEAM_TERM_BITSTRING:
      for (gsize i = 0; i < term->v.bytes.size; i++)
        h = h * 31 + term->v.bytes.data[i];
      return h + term->v.bytes.last_bits;
    case BEAM_TERM_MAP:
      /* Order-free, as map equality is. */
      for (guint i = 0; i + 1 < term->n_children; i += 2)
        h += term_hash (term->children[i]) * 31 + term_hash (term->children[i + 1]);
      return h;
    case BEAM_TERM_TUPLE:
    case BEAM_TERM_LIST:
    case BEAM_TERM_PID:
    case BEAM_TERM_PORT:
    case BEAM_TERM_REFERENCE:
    case BEAM_TERM_FUN:
    case BEAM_TERM_REPLY_PID:
    default:
      for (guint i = 0; i < term->n_children; i++)
        h = h * 31 + term_hash (term->children[i]);
      return h + term->n_children;
    }
}

static gboolean
maps_equal (const BeamTerm *a,
            const BeamTerm *b)
{
  g_autoptr(GHashTable) index = NULL;
  guint n_pairs = a->n_children / 2;

  /* Keys are distinct, so each of a's keys finding its twin in b, with the
   * same value, is equality. Small maps by search, big ones by hash. */
  if (n_pairs <= 8)
    {
      for (guint i = 0; i < a->n_children; i += 2)
        {
          gboolean found = FALSE;

          for (guint j = 0; !found && j < b->n_children; j += 2)
            if (beam_term_equal (a->children[i], b->children[j]))
              {
                if (!beam_term_equal (a->children[i + 1], b->children[j + 1]))
                  return FALSE;
                found = TRUE;
              }
          if (!found)
            return FALSE;
        }
      return TRUE;
    }

  index = g_hash_table_new ((GHashFunc) term_hash, (GEqualFunc) beam_term_equal);
  for (guint j = 0; j < b->n_children; j += 2)
    g_hash_table_insert (index, b->children[j], b->children[j + 1]);
  for (guint i = 0; i < a->n_children; i += 2)
    {
      gpointer value;

      if (!g_hash_table_lookup_extended (index, a->children[i], NULL, &value) ||
          !beam_term_equal (a->children[i + 1], value))
        return FALSE;
    }
  return TRUE;
}

gboolean
beam_term_equal (const BeamTerm *a,
                 const BeamTerm *b)
{
  g_return_val_if_fail (a != NULL, FALSE);
  g_return_val_if_fail (b != NULL, FALSE);

  if (a->kind != b->kind || a->n_children != b->n_children)
    return FALSE;

  switch (a->kind)
    {
    case BEAM_TERM_INTEGER:
      return a->v.integer == b->v.integer;
    case BEAM_TERM_BIG_INTEGER:
      return strcmp (a->v.big.digits, b->v.big.digits) == 0;
    case BEAM_TERM_FLOAT:
      return memcmp (&a->v.floating, &b->v.floating, sizeof (double)) == 0;
    case BEAM_TERM_ATOM:
      return strcmp (a->v.atom.name, b->v.atom.name) == 0;
    case BEAM_TERM_BINARY:
    case BEAM_TERM_BITSTRING:
      return a->v.bytes.size == b->v.bytes.size && a->v.bytes.last_bits == b->v.bytes.last_bits &&
             (a->v.bytes.size == 0 ||
              memcmp (a->v.bytes.data, b->v.bytes.data, a->v.bytes.size) == 0);
    case BEAM_TERM_MAP:
      return maps_equal (a, b);
    case BEAM_TERM_LIST:
      if (a->v.list.improper != b->v.list.improper)
        return FALSE;
      break;
    case BEAM_TERM_PID:
    case BEAM_TERM_PORT:
    case BEAM_TERM_REFERENCE:
      if (g_strcmp0 (a->v.ident.node, b->v.ident.node) != 0 || a->v.ident.id != b->v.ident.id ||
          a->v.ident.serial != b->v.ident.serial || a->v.ident.creation != b->v.ident.creation ||
          a->v.ident.ref_len != b->v.ident.ref_len ||
          memcmp (a->v.ident.ref_words, b->v.ident.ref_words, sizeof a->v.ident.ref_words) != 0)
        return FALSE;
      break;
    case BEAM_TERM_FUN:
      if (g_strcmp0 (a->v.fun.module, b->v.fun.module) != 0 ||
          g_strcmp0 (a->v.fun.function, b->v.fun.function) != 0 ||
          a->v.fun.arity != b->v.fun.arity || a->v.fun.is_export != b->v.fun.is_export ||
          a->v.fun.index != b->v.fun.index || a->v.fun.uniq != b->v.fun.uniq)
        return FALSE;
      break;
    case BEAM_TERM_TUPLE:
    case BEAM_TERM_REPLY_PID:
    default:
      break;
    }

  for (guint i = 0; i < a->n_children; i++)
    if (!beam_term_equal (a->children[i], b->children[i]))
      return FALSE;
  return TRUE;
}

static void
collect_atoms (const BeamTerm *term,
               GHashTable     *seen,
               GPtrArray      *names)
{
  if (term->kind == BEAM_TERM_ATOM && !g_hash_table_contains (seen, term->v.atom.name))
    {
      char *name = g_strdup (term->v.atom.name);

      g_hash_table_add (seen, name);
      g_ptr_array_add (names, name);
    }
  for (guint i = 0; i < term->n_children; i++)
    collect_atoms (term->children[i], seen, names);
}

GPtrArray *
beam_term_collect_atoms (const BeamTerm *term)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);

  g_return_val_if_fail (term != NULL, names);

  /* The array owns the names; the set only points at them. */
  collect_atoms (term, seen, names);
  return names;
}
