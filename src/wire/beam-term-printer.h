/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "beam-term.h"

G_BEGIN_DECLS

/* Prints a BeamTerm as an Erlang or an Elixir programmer would read it. With no
 * limits the output equals what the node itself prints on one line: Erlang as
 * io_lib's ~tp with an unbounded line length, Elixir as
 * inspect(Term, limit: :infinity, printable_limit: :infinity, width: :infinity). */

typedef enum
{
  BEAM_SYNTAX_ERLANG,
  BEAM_SYNTAX_ELIXIR,
} BeamSyntax;

typedef struct
{
  BeamSyntax  syntax;
  const char *local_node;  /* pids/ports/refs of this node print as <0.N.S>;
                            * NULL: every node is local */
  guint       max_depth;   /* 0: unlimited; deeper terms print as ... (Erlang) or ... (Elixir) */
  guint       max_width;   /* 0: unlimited; elements of a list/tuple/map/binary
                            * beyond it are elided */
} BeamPrintOptions;

char *beam_term_print       (const BeamTerm         *term,
                             const BeamPrintOptions *options);  /* options may be NULL: Erlang,
                                                                 * no limits */
void  beam_term_print_to    (const BeamTerm         *term,
                             const BeamPrintOptions *options,
                             GString                *out);

/* A name as the process list holds it, the atom's text unquoted: a module or
 * a registered name ("Elixir.MyApp.Cache", "code_server") or a function
 * ("Elixir.MyApp.Cache:init/1"), spelled in `syntax`. Erlang keeps it as it
 * is; Elixir writes aliases as Elixir does (MyApp.Cache), and functions as
 * Exception.format_mfa/3 does (MyApp.Cache.init/1, :gen_server.loop/7). */
char *beam_print_name       (const char             *name,
                             BeamSyntax              syntax);
/* A {Module, Function, Arity} term as "m:f/a" in beam_print_name's
 * spelling; NULL if the term is not one. */
char *beam_term_print_function (const BeamTerm       *term,
                                BeamSyntax            syntax);

G_END_DECLS
