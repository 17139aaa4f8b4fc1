/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Builders for erl_parse's abstract format. Every node carries the
 * annotation 1 (a line number), as the shell's parser would give it for a
 * one-line expression. At the end, what every decoder of an erl_eval:exprs/2
 * answer needs: its value, and the error for an answer of the wrong shape. */

#define G_LOG_DOMAIN "beamscope-probe"

#include <glib/gi18n.h>
#include <stdarg.h>

#include <string.h>

#include "beam-erl-expr.h"
#include "beam-probe-programs.h"
#include "beam-wire-error.h"

#define ANNO() beam_term_new_integer (1)

static BeamTerm *
take_list (guint    n,
           va_list  args)
{
  GPtrArray *items = g_ptr_array_new ();

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (items, va_arg (args, BeamTerm *));
  return beam_term_new_list_take (items);
}

BeamTerm *
beam_erl_var (const char *name)
{
  return beam_term_new_tuple (3, beam_term_new_atom ("var"), ANNO (), beam_term_new_atom (name));
}

BeamTerm *
beam_erl_atom (const char *name)
{
  return beam_term_new_tuple (3, beam_term_new_atom ("atom"), ANNO (), beam_term_new_atom (name));
}

BeamTerm *
beam_erl_integer (gint64 value)
{
  return beam_term_new_tuple (3, beam_term_new_atom ("integer"), ANNO (),
                              beam_term_new_integer (value));
}

BeamTerm *
beam_erl_nil (void)
{
  return beam_term_new_tuple (2, beam_term_new_atom ("nil"), ANNO ());
}

BeamTerm *
beam_erl_cons (BeamTerm *head,
               BeamTerm *tail)
{
  return beam_term_new_tuple (4, beam_term_new_atom ("cons"), ANNO (), head, tail);
}

BeamTerm *
beam_erl_tuple (guint n_elements,
                ...)
{
  va_list args;
  BeamTerm *elements;

  va_start (args, n_elements);
  elements = take_list (n_elements, args);
  va_end (args);
  return beam_term_new_tuple (3, beam_term_new_atom ("tuple"), ANNO (), elements);
}

BeamTerm *
beam_erl_call (const char *module,
               const char *function,
               guint       n_args,
               ...)
{
  va_list args;
  BeamTerm *arguments;
  BeamTerm *remote;

  va_start (args, n_args);
  arguments = take_list (n_args, args);
  va_end (args);
  remote = beam_term_new_tuple (4, beam_term_new_atom ("remote"), ANNO (),
                                beam_erl_atom (module), beam_erl_atom (function));
  return beam_term_new_tuple (4, beam_term_new_atom ("call"), ANNO (), remote, arguments);
}

BeamTerm *
beam_erl_apply (BeamTerm *fun,
                guint     n_args,
                ...)
{
  va_list args;
  BeamTerm *arguments;

  va_start (args, n_args);
  arguments = take_list (n_args, args);
  va_end (args);
  return beam_term_new_tuple (4, beam_term_new_atom ("call"), ANNO (), fun, arguments);
}

BeamTerm *
beam_erl_export_fun (const char *module,
                     const char *function,
                     guint       arity)
{
  BeamTerm *name = beam_term_new_tuple (4, beam_term_new_atom ("function"), beam_erl_atom (module),
                                        beam_erl_atom (function), beam_erl_integer (arity));

  return beam_term_new_tuple (3, beam_term_new_atom ("fun"), ANNO (), name);
}

BeamTerm *
beam_erl_catch (BeamTerm *expression)
{
  return beam_term_new_tuple (3, beam_term_new_atom ("catch"), ANNO (), expression);
}

BeamTerm *
beam_erl_block (GPtrArray *expressions)
{
  return beam_term_new_tuple (3, beam_term_new_atom ("block"), ANNO (),
                              beam_term_new_list_take (expressions));
}

BeamTerm *
beam_erl_match (BeamTerm *pattern,
                BeamTerm *expression)
{
  return beam_term_new_tuple (4, beam_term_new_atom ("match"), ANNO (), pattern, expression);
}

BeamTerm *
beam_erl_op (const char *op,
             BeamTerm   *left,
             BeamTerm   *right)
{
  return beam_term_new_tuple (5, beam_term_new_atom ("op"), ANNO (), beam_term_new_atom (op),
                              left, right);
}

BeamTerm *
beam_erl_lc (BeamTerm *template_,
             guint     n_qualifiers,
             ...)
{
  va_list args;
  BeamTerm *qualifiers;

  va_start (args, n_qualifiers);
  qualifiers = take_list (n_qualifiers, args);
  va_end (args);
  return beam_term_new_tuple (4, beam_term_new_atom ("lc"), ANNO (), template_, qualifiers);
}

BeamTerm *
beam_erl_generate (BeamTerm *pattern,
                   BeamTerm *list)
{
  return beam_term_new_tuple (4, beam_term_new_atom ("generate"), ANNO (), pattern, list);
}

BeamTerm *
beam_erl_clause (BeamTerm *pattern,
                 BeamTerm *guard_or_null,
                 BeamTerm *body)
{
  /* Guards are a list of guard sequences: [[Test]]. */
  BeamTerm *guards = guard_or_null != NULL
                     ? beam_term_new_list (1, beam_term_new_list (1, guard_or_null))
                     : beam_term_new_list (0);

  return beam_term_new_tuple (5, beam_term_new_atom ("clause"), ANNO (),
                              beam_term_new_list (1, pattern), guards,
                              beam_term_new_list (1, body));
}

BeamTerm *
beam_erl_fun (GPtrArray *args,
              GPtrArray *body)
{
  BeamTerm *clause = beam_term_new_tuple (5, beam_term_new_atom ("clause"), ANNO (),
                                          beam_term_new_list_take (args), beam_term_new_list (0),
                                          beam_term_new_list_take (body));
  BeamTerm *clauses = beam_term_new_tuple (2, beam_term_new_atom ("clauses"),
                                           beam_term_new_list (1, clause));

  return beam_term_new_tuple (3, beam_term_new_atom ("fun"), ANNO (), clauses);
}

BeamTerm *
beam_erl_case (BeamTerm *expression,
               guint     n_clauses,
               ...)
{
  va_list args;
  BeamTerm *clauses;

  va_start (args, n_clauses);
  clauses = take_list (n_clauses, args);
  va_end (args);
  return beam_term_new_tuple (4, beam_term_new_atom ("case"), ANNO (), expression, clauses);
}

BeamTerm *
beam_erl_receive (guint n_clauses,
                  ...)
{
  va_list args;
  BeamTerm *clauses;

  va_start (args, n_clauses);
  clauses = take_list (n_clauses, args);
  va_end (args);
  return beam_term_new_tuple (3, beam_term_new_atom ("receive"), ANNO (), clauses);
}

static int
compare_bindings (gconstpointer a,
                  gconstpointer b)
{
  const BeamTerm *x = *(BeamTerm * const *) a;
  const BeamTerm *y = *(BeamTerm * const *) b;

  return strcmp (x->children[0]->v.atom.name, y->children[0]->v.atom.name);
}

/* OTP 25's bindings are an orddict: a list sorted by name. (Later OTPs
 * take maps as well, and still take the orddict.) */
static BeamTerm *
take_bindings (va_list args)
{
  GPtrArray *bindings = g_ptr_array_new ();
  const char *name;

  while ((name = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (bindings, beam_term_new_tuple (2, beam_term_new_atom (name),
                                                    va_arg (args, BeamTerm *)));
  g_ptr_array_sort (bindings, compare_bindings);
  return beam_term_new_list_take (bindings);
}

BeamTerm *
beam_erl_eval_args (GPtrArray *expressions,
                    ...)
{
  BeamTerm *bindings;
  va_list args;

  va_start (args, expressions);
  bindings = take_bindings (args);
  va_end (args);
  return beam_term_new_list (2, beam_term_new_list_take (expressions), bindings);
}

/* A string literal of the abstract format, "text" */
static BeamTerm *
string_literal (const char *text,
                gsize       size)
{
  GPtrArray *characters = g_ptr_array_sized_new (size);

  for (gsize i = 0; i < size; i++)
    g_ptr_array_add (characters, beam_term_new_integer ((guchar) text[i]));
  return beam_term_new_tuple (3, beam_term_new_atom ("string"), ANNO (),
                              beam_term_new_list_take (characters));
}

/* erl_eval:exprs([element(2, erl_eval:exprs(
 *                               element(2, erl_parse:parse_exprs(
 *                                            element(2, erl_scan:string("<the program>")))),
 *                               Bindings, none))],
 *                [{'Bindings', Bindings}], none)
 * The source is a literal, not a binding, and nothing is bound on the way:
 * erl_eval answers with every binding it made, and those come back to us.
 * Both evaluations are exprs/3, not exprs/2: exprs/2 first runs erl_lint
 * over its expressions, which costs the node more than most programs do
 * (measured on OTP 25 for diagnostics.exprs: 40,000 reductions to lint the
 * literal and 50,000 the program, where its checks cost a few thousand). A
 * mistake lint would have caught (an unbound variable) fails when that
 * line runs instead, in the program's tests. */
static GBytes *
lookup_program (const char *program)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_strconcat ("/io/github/beamscope/probe/", program, ".exprs", NULL);
  GBytes *source = g_resource_lookup_data (beam_probe_programs_get_resource (), path,
                                           G_RESOURCE_LOOKUP_FLAGS_NONE, &error);

  if (source == NULL)
    g_error ("The probe's program %s is not in its resources: %s", program, error->message);
  return source;
}

#define INCLUDE_DIRECTIVE "%%include "

/* The program's text with each line "%%include NAME" (spaces before it
 * allowed) replaced by the text of NAME.exprs, a fragment of bindings two
 * programs share (sys-dbg-format.exprs). To Erlang the line is a comment,
 * so a program reads the same with or without it expanded; fragments do not
 * include others. */
static GString *
program_text (const char *program)
{
  g_autoptr(GBytes) source = lookup_program (program);
  gsize size;
  const char *text = g_bytes_get_data (source, &size);
  const char *end = text + size;
  GString *expanded = g_string_sized_new (size);

  for (const char *line = text; line < end;)
    {
      const char *newline = memchr (line, '\n', (gsize) (end - line));
      const char *next = newline != NULL ? newline + 1 : end;
      const char *word = line;

      while (word < next && (*word == ' ' || *word == '\t'))
        word++;
      if ((gsize) (next - word) > strlen (INCLUDE_DIRECTIVE)
          && strncmp (word, INCLUDE_DIRECTIVE, strlen (INCLUDE_DIRECTIVE)) == 0)
        {
          const char *name = word + strlen (INCLUDE_DIRECTIVE);
          g_autofree char *fragment_name = g_strstrip (g_strndup (name, (gsize) (next - name)));
          g_autoptr(GBytes) fragment = lookup_program (fragment_name);
          gsize fragment_size;
          const char *fragment_text = g_bytes_get_data (fragment, &fragment_size);

          g_string_append_len (expanded, fragment_text, (gssize) fragment_size);
          if (fragment_size > 0 && fragment_text[fragment_size - 1] != '\n')
            g_string_append_c (expanded, '\n');
        }
      else
        g_string_append_len (expanded, line, (gssize) (next - line));
      line = next;
    }
  return expanded;
}

BeamTerm *
beam_erl_source_args (const char *program,
                      ...)
{
  g_autoptr(GString) source = program_text (program);
  BeamTerm *bindings, *tokens, *exprs, *value;
  const char *text = source->str;
  gsize size = source->len;
  va_list args;

  va_start (args, program);
  bindings = take_bindings (args);
  va_end (args);

#define SECOND(e) beam_erl_call ("erlang", "element", 2, beam_erl_integer (2), (e))
  tokens = SECOND (beam_erl_call ("erl_scan", "string", 1, string_literal (text, size)));
  exprs = SECOND (beam_erl_call ("erl_parse", "parse_exprs", 1, tokens));
  value = SECOND (beam_erl_call ("erl_eval", "exprs", 3, exprs, beam_erl_var ("Bindings"),
                                 beam_erl_atom ("none")));
#undef SECOND
  return beam_term_new_list (3, beam_term_new_list_take (beam_erl_exprs (1, value)),
                             beam_term_new_list (1, beam_term_new_tuple (2,
                                                                         beam_term_new_atom (
                                                                           "Bindings"),
                                                                         bindings)),
                             beam_term_new_atom ("none"));
}

GPtrArray *
beam_erl_exprs (guint n_expressions,
                ...)
{
  GPtrArray *expressions = g_ptr_array_new ();
  va_list args;

  va_start (args, n_expressions);
  for (guint i = 0; i < n_expressions; i++)
    g_ptr_array_add (expressions, va_arg (args, BeamTerm *));
  va_end (args);
  return expressions;
}

const BeamTerm *
beam_erl_eval_value (const BeamTerm *reply)
{
  return beam_term_tagged (reply, "value", 3) != NULL ? reply->children[1] : NULL;
}

void
beam_erl_set_bad_reply (GError     **error,
                        const char  *what)
{
  g_set_error (error, BEAM_WIRE_ERROR, BEAM_WIRE_ERROR_BAD_REPLY,
               _("Unexpected reply from the node: %s"), what);
}
