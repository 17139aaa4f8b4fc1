/* SPDX-License-Identifier: GPL-3.0-or-later */

/* Prints a BeamTerm the way the node itself would, so that what the user sees
 * can be pasted back into a shell. One walker serves both syntaxes: it owns
 * the depth and width limits and the shape of tuples, lists and maps, and a
 * BeamTermSyntax table (beam-term-syntax-erlang.c, beam-term-syntax-elixir.c)
 * says how each kind of term is spelled. The rules were taken from the
 * printers that ship with OTP 25 and Elixir 1.14 and are checked against them
 * by tests/displayless/test-term.c, which runs real erl and elixir.
 *
 * Maps print in the order they arrived, which is the node's own order:
 * term_to_binary writes a map the way maps:to_list/1 walks it. Elixir prints
 * maps:to_list/1 order. Erlang prints maps:iterator/1 order, which for maps
 * of more than 32 pairs (hash maps) runs the opposite way, so we reverse
 * those. */

#define G_LOG_DOMAIN "beamscope-wire"

#include "config.h"

#include "beam-term-printer-private.h"

/* Above this many pairs a map is a hash map on the BEAM (MAP_SMALL_MAP_LIMIT). */
#define SMALL_MAP_LIMIT 32

static void print_term (BeamTermPrinter *p,
                        const BeamTerm  *term,
                        guint            depth);

/* A container at the depth limit shows no contents. */
gboolean
_beam_term_printer_collapsed (BeamTermPrinter *p,
                              guint            depth)
{
  return p->max_depth > 0 && depth >= p->max_depth;
}

/* TRUE when element `i` is the first one past the width limit. */
gboolean
_beam_term_printer_elided (BeamTermPrinter *p,
                           guint            i)
{
  return p->max_width > 0 && i >= p->max_width;
}

static gboolean
is_local (BeamTermPrinter *p,
          const char      *node)
{
  return p->local_node == NULL || g_strcmp0 (node, p->local_node) == 0;
}

/* The node part of a pid, port or reference: 0 here, the name elsewhere
 * (the node's own number for it is local to the printing node). */
static void
append_node (BeamTermPrinter *p,
             const BeamTerm  *term)
{
  if (is_local (p, term->v.ident.node))
    g_string_append_c (p->out, '0');
  else
    g_string_append (p->out, term->v.ident.node);
}

static void
append_ident_body (BeamTermPrinter *p,
                   const BeamTerm  *term)
{
  append_node (p, term);
  switch (term->kind)
    {
    case BEAM_TERM_PID:
      g_string_append_printf (p->out, ".%" G_GUINT64_FORMAT ".%u",
                              term->v.ident.id, term->v.ident.serial);
      break;

    case BEAM_TERM_PORT:
      g_string_append_printf (p->out, ".%" G_GUINT64_FORMAT, term->v.ident.id);
      break;

    case BEAM_TERM_REFERENCE:
      /* ref_to_list/1 puts the last word first. */
      for (guint i = MIN (term->v.ident.ref_len, G_N_ELEMENTS (term->v.ident.ref_words)); i-- > 0;)
        g_string_append_printf (p->out, ".%u", term->v.ident.ref_words[i]);
      break;

    case BEAM_TERM_INTEGER:
    case BEAM_TERM_BIG_INTEGER:
    case BEAM_TERM_FLOAT:
    case BEAM_TERM_ATOM:
    case BEAM_TERM_BINARY:
    case BEAM_TERM_BITSTRING:
    case BEAM_TERM_TUPLE:
    case BEAM_TERM_LIST:
    case BEAM_TERM_MAP:
    case BEAM_TERM_FUN:
    case BEAM_TERM_REPLY_PID:
    default:
      g_assert_not_reached ();
    }
}

/* A proper list of integers, all satisfying `pred`. */
static gboolean
is_charlist (const BeamTerm *term,
             gboolean      (*pred) (gunichar))
{
  if (term->kind != BEAM_TERM_LIST || term->n_children == 0 || term->v.list.improper)
    return FALSE;
  for (guint i = 0; i < term->n_children; i++)
    {
      const BeamTerm *c = term->children[i];

      if (c->kind != BEAM_TERM_INTEGER || c->v.integer < 0 || c->v.integer > 0x10ffff ||
          !pred ((gunichar) c->v.integer))
        return FALSE;
    }
  return TRUE;
}

/* Only a hand-built term could break this; the decoder never does. */
gboolean
_beam_term_is_sane_bitstring (const BeamTerm *term)
{
  return term->v.bytes.size > 0 && term->v.bytes.last_bits >= 1 && term->v.bytes.last_bits <= 7;
}

guint
_beam_term_bitstring_tail (const BeamTerm *term)
{
  guint8 last = term->v.bytes.data[term->v.bytes.size - 1];

  return last >> (8 - term->v.bytes.last_bits);
}

static void
print_tuple (BeamTermPrinter *p,
             const BeamTerm  *term,
             guint            depth)
{
  g_string_append_c (p->out, '{');
  for (guint i = 0; i < term->n_children; i++)
    {
      if (i > 0)
        g_string_append (p->out, p->syntax->separator);
      if (_beam_term_printer_elided (p, i))
        {
          g_string_append (p->out, "...");
          break;
        }
      print_term (p, term->children[i], depth + 1);
    }
  g_string_append_c (p->out, '}');
}

/* A {Key, Value} pair that prints as `key: value` in a keyword list. */
static gboolean
is_keyword_pair (BeamTermPrinter *p,
                 const BeamTerm  *pair)
{
  return pair->kind == BEAM_TERM_TUPLE && pair->n_children == 2 &&
         p->syntax->is_key (pair->children[0]);
}

static void
print_list (BeamTermPrinter *p,
            const BeamTerm  *term,
            guint            depth)
{
  guint n_elements = term->n_children - (term->v.list.improper ? 1 : 0);
  gboolean keyword = p->syntax->is_key != NULL && !term->v.list.improper;

  for (guint i = 0; keyword && i < n_elements; i++)
    keyword = is_keyword_pair (p, term->children[i]);

  g_string_append_c (p->out, '[');
  for (guint i = 0; i < n_elements; i++)
    {
      const BeamTerm *child = term->children[i];

      /* Never at i == 0: a width limit is at least 1. */
      if (_beam_term_printer_elided (p, i))
        {
          g_string_append (p->out, p->syntax->list_cut);
          return;
        }
      if (i > 0)
        g_string_append (p->out, p->syntax->separator);
      if (keyword)
        {
          p->syntax->append_key (p->out, child->children[0]->v.atom.name);
          g_string_append_c (p->out, ' ');
          print_term (p, child->children[1], depth + 1);
        }
      else
        print_term (p, child, depth + 1);
    }
  if (term->v.list.improper)
    {
      g_string_append (p->out, p->syntax->list_tail);
      print_term (p, term->children[n_elements], depth + 1);
    }
  g_string_append_c (p->out, ']');
}

static void
print_map (BeamTermPrinter *p,
           const BeamTerm  *term,
           guint            depth)
{
  guint n_pairs = term->n_children / 2;
  gboolean reverse = p->syntax->reverse_hash_maps && n_pairs > SMALL_MAP_LIMIT;
  gboolean keyword = p->syntax->is_key != NULL;

  for (guint i = 0; keyword && i < n_pairs; i++)
    keyword = p->syntax->is_key (term->children[2 * i]);

  g_string_append (p->out, p->syntax->map_open);
  for (guint i = 0; i < n_pairs; i++)
    {
      guint pair = reverse ? n_pairs - 1 - i : i;
      const BeamTerm *key = term->children[2 * pair];

      if (i > 0)
        g_string_append (p->out, p->syntax->separator);
      if (_beam_term_printer_elided (p, i))
        {
          g_string_append (p->out, "...");
          break;
        }
      if (keyword)
        {
          p->syntax->append_key (p->out, key->v.atom.name);
          g_string_append_c (p->out, ' ');
        }
      else
        {
          print_term (p, key, depth + 1);
          g_string_append (p->out, " => ");
        }
      print_term (p, term->children[2 * pair + 1], depth + 1);
    }
  g_string_append_c (p->out, '}');
}

static void
print_ident (BeamTermPrinter *p,
             const char      *open,
             const BeamTerm  *term)
{
  g_string_append (p->out, open);
  append_ident_body (p, term);
  g_string_append_c (p->out, '>');
}

static void
print_term (BeamTermPrinter *p,
            const BeamTerm  *term,
            guint            depth)
{
  const BeamTermSyntax *syntax = p->syntax;

  switch (term->kind)
    {
    case BEAM_TERM_INTEGER:
      g_string_append_printf (p->out, "%" G_GINT64_FORMAT, term->v.integer);
      break;

    case BEAM_TERM_BIG_INTEGER:
      g_string_append (p->out, term->v.big.digits);
      break;

    case BEAM_TERM_FLOAT:
      syntax->append_float (p->out, term->v.floating);
      break;

    case BEAM_TERM_ATOM:
      syntax->append_atom (p->out, term->v.atom.name);
      break;

    case BEAM_TERM_BINARY:
      syntax->print_binary (p, term);
      break;

    case BEAM_TERM_BITSTRING:
      if (_beam_term_is_sane_bitstring (term))
        syntax->print_bitstring (p, term);
      else
        syntax->print_binary (p, term);
      break;

    case BEAM_TERM_TUPLE:
      if (term->n_children > 0 && _beam_term_printer_collapsed (p, depth))
        g_string_append (p->out, "{...}");
      else
        print_tuple (p, term, depth);
      break;

    case BEAM_TERM_LIST:
      if (term->n_children == 0)
        g_string_append (p->out, "[]");
      else if (is_charlist (term, syntax->is_char))
        syntax->print_charlist (p, term);
      else if (_beam_term_printer_collapsed (p, depth))
        g_string_append (p->out, "[...]");
      else
        print_list (p, term, depth);
      break;

    case BEAM_TERM_MAP:
      if (syntax->print_struct != NULL && syntax->print_struct (p, term, depth))
        break;
      if (term->n_children > 0 && _beam_term_printer_collapsed (p, depth))
        {
          g_string_append (p->out, syntax->map_open);
          g_string_append (p->out, "...}");
        }
      else
        print_map (p, term, depth);
      break;

    case BEAM_TERM_PID:
      print_ident (p, syntax->pid_open, term);
      break;

    case BEAM_TERM_PORT:
      print_ident (p, syntax->port_open, term);
      break;

    case BEAM_TERM_REFERENCE:
      print_ident (p, syntax->ref_open, term);
      break;

    case BEAM_TERM_FUN:
      syntax->print_fun (p, term);
      break;

    case BEAM_TERM_REPLY_PID:
      g_string_append (p->out, syntax->reply_pid);
      break;

    default:
      g_string_append (p->out, syntax->unknown);
      break;
    }
}

void
_beam_term_printer_print (BeamTermPrinter *p,
                          const BeamTerm  *term,
                          guint            depth)
{
  print_term (p, term, depth);
}

void
beam_term_print_to (const BeamTerm         *term,
                    const BeamPrintOptions *options,
                    GString                *out)
{
  static const BeamPrintOptions defaults = { BEAM_SYNTAX_ERLANG, NULL, 0, 0 };
  BeamTermPrinter p;

  g_return_if_fail (term != NULL);
  g_return_if_fail (out != NULL);

  if (options == NULL)
    options = &defaults;

  p.syntax = options->syntax == BEAM_SYNTAX_ELIXIR ? &_beam_term_syntax_elixir
                                                   : &_beam_term_syntax_erlang;
  p.local_node = options->local_node;
  p.max_depth = options->max_depth;
  p.max_width = options->max_width;
  p.out = out;

  print_term (&p, term, 1);
}

char *
beam_term_print (const BeamTerm         *term,
                 const BeamPrintOptions *options)
{
  GString *out;

  g_return_val_if_fail (term != NULL, NULL);

  out = g_string_new (NULL);
  beam_term_print_to (term, options, out);
  return g_string_free (out, FALSE);
}

char *
beam_term_print_function (const BeamTerm *term,
                          BeamSyntax      syntax)
{
  g_autofree char *text = NULL;

  g_return_val_if_fail (term != NULL, NULL);

  if (term->kind != BEAM_TERM_TUPLE || term->n_children != 3 ||
      term->children[0]->kind != BEAM_TERM_ATOM || term->children[1]->kind != BEAM_TERM_ATOM ||
      term->children[2]->kind != BEAM_TERM_INTEGER || term->children[2]->v.integer < 0 ||
      term->children[2]->v.integer > 255)
    return NULL;
  text = g_strdup_printf ("%s:%s/%" G_GINT64_FORMAT, term->children[0]->v.atom.name,
                          term->children[1]->v.atom.name, term->children[2]->v.integer);
  return beam_print_name (text, syntax);
}
