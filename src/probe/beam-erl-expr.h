/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "beam-connection.h"

G_BEGIN_DECLS

/* Erlang expressions in the abstract format (erl_parse's trees), built here
 * and evaluated on the node by erl_eval:exprs/2. It is how Beamscope runs a
 * small fixed program on a node (a list comprehension over processes, say)
 * without loading any code there. Every atom in these trees is a literal of
 * our own code; values the program needs (pids, sizes, user input) travel as
 * bindings, never as atoms. */

BeamTerm *beam_erl_var        (const char *name);
BeamTerm *beam_erl_atom       (const char *name);
BeamTerm *beam_erl_integer    (gint64      value);
BeamTerm *beam_erl_nil        (void);
BeamTerm *beam_erl_cons       (BeamTerm   *head,
                               BeamTerm   *tail);
BeamTerm *beam_erl_tuple      (guint       n_elements,
                               ...);
/* module:function(args...) */
BeamTerm *beam_erl_call       (const char *module,
                               const char *function,
                               guint       n_args,
                               ...);
/* Fun(args...) where Fun is an expression (a variable holding a fun) */
BeamTerm *beam_erl_apply      (BeamTerm   *fun,
                               guint       n_args,
                               ...);
/* fun module:function/arity */
BeamTerm *beam_erl_export_fun (const char *module,
                               const char *function,
                               guint       arity);
/* catch Expression */
BeamTerm *beam_erl_catch      (BeamTerm   *expression);
/* begin E1, E2, ... end (takes the array), for a clause of several expressions */
BeamTerm *beam_erl_block      (GPtrArray  *expressions);
BeamTerm *beam_erl_match      (BeamTerm   *pattern,
                               BeamTerm   *expression);
BeamTerm *beam_erl_op         (const char *op,
                               BeamTerm   *left,
                               BeamTerm   *right);
/* [template || qualifiers...]; qualifiers are generators or filters */
BeamTerm *beam_erl_lc         (BeamTerm   *template_,
                               guint       n_qualifiers,
                               ...);
BeamTerm *beam_erl_generate   (BeamTerm   *pattern,
                               BeamTerm   *list);
/* A list of expressions (taken): a fun's body, or erl_eval:exprs/2's first
 * argument through beam_erl_eval_args(). */
GPtrArray *beam_erl_exprs     (guint       n_expressions,
                               ...);
/* fun(args) -> body end, one clause; args is a list of patterns (taken) */
BeamTerm *beam_erl_fun        (GPtrArray  *args,
                               GPtrArray  *body);
/* case E of clauses end; each clause from beam_erl_clause */
BeamTerm *beam_erl_case       (BeamTerm   *expression,
                               guint       n_clauses,
                               ...);
/* receive clauses end */
BeamTerm *beam_erl_receive    (guint       n_clauses,
                               ...);
BeamTerm *beam_erl_clause     (BeamTerm   *pattern,
                               BeamTerm   *guard_or_null,
                               BeamTerm   *body);

/* The arguments of erl_eval:exprs/2: the expressions (taken) and bindings,
 * given as name/value pairs (values taken), NULL-terminated. */
BeamTerm *beam_erl_eval_args  (GPtrArray  *expressions,
                               ...) G_GNUC_NULL_TERMINATED;

/* The arguments of erl_eval:exprs/3 (no lint: see the .c) for a longer program, one kept as
 * Erlang source in probe/programs/PROGRAM.exprs (the probe's resources; a line
 * "%%include NAME" in it stands for NAME.exprs, a shared fragment): the node
 * scans, parses and evaluates it with the given name/value bindings (values
 * taken), NULL-terminated. Its atoms are literals of ours, as in a built
 * tree; what erl_eval answers holds the program's value as for any other. */
BeamTerm *beam_erl_source_args  (const char *program,
                                 ...) G_GNUC_NULL_TERMINATED;

/* What erl_eval:exprs/2 answers, {value, Value, Bindings}: its Value, or
 * NULL for anything else. */
const BeamTerm *beam_erl_eval_value    (const BeamTerm  *reply);
/* The error of a decoder given a reply it cannot read or whose values are
 * out of range, the one error of every probe: "Unexpected reply from the
 * node: `what`" (what the program called, as erlang:memory(binary)). */
void            beam_erl_set_bad_reply (GError         **error,
                                        const char      *what);

G_END_DECLS
