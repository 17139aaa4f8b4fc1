/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "beam-term-printer.h"

G_BEGIN_DECLS

/* The printer is one walker (beam-term-printer.c) and one table per syntax
 * (beam-term-syntax-erlang.c, beam-term-syntax-elixir.c): the walker keeps
 * the limits and the shape of containers, the table spells each kind of
 * term. What they share is here. */

typedef struct _BeamTermSyntax BeamTermSyntax;

typedef struct
{
  const BeamTermSyntax *syntax;
  const char           *local_node;
  guint                 max_depth;
  guint                 max_width;
  GString              *out;
} BeamTermPrinter;

struct _BeamTermSyntax
{
  const char *separator;          /* between the elements of a tuple, list or map */
  const char *list_cut;           /* ends a list cut short by the width limit */
  const char *list_tail;          /* before the tail of an improper list */
  const char *map_open;
  gboolean    reverse_hash_maps;  /* maps of more than 32 pairs print last pair first */
  const char *pid_open;           /* pids, ports and references end with '>' */
  const char *port_open;
  const char *ref_open;
  const char *reply_pid;          /* BEAM_TERM_REPLY_PID, which no node sends */
  const char *unknown;            /* a term of no known kind */

  void      (*append_float)    (GString         *out,
                                double           value);
  void      (*append_atom)     (GString         *out,
                                const char      *name);
  /* Whether `term` prints as `key:` in keyword lists and maps; NULL if the
   * syntax has no such form. append_key writes it, colon included. */
  gboolean  (*is_key)          (const BeamTerm  *term);
  void      (*append_key)      (GString         *out,
                                const char      *name);
  /* A non-empty proper list of integers that all pass is_char is text. */
  gboolean  (*is_char)         (gunichar         c);
  void      (*print_charlist)  (BeamTermPrinter *p,
                                const BeamTerm  *term);
  void      (*print_binary)    (BeamTermPrinter *p,
                                const BeamTerm  *term);
  /* Only for a bitstring with 1 to 7 bits in its last byte; any other goes
   * to print_binary. */
  void      (*print_bitstring) (BeamTermPrinter *p,
                                const BeamTerm  *term);
  void      (*print_fun)       (BeamTermPrinter *p,
                                const BeamTerm  *term);
  /* A map the syntax prints otherwise (Elixir's structs): FALSE to print it
   * as a map. NULL if the syntax has no such form. */
  gboolean  (*print_struct)    (BeamTermPrinter *p,
                                const BeamTerm  *term,
                                guint            depth);
};

extern const BeamTermSyntax _beam_term_syntax_erlang;
extern const BeamTermSyntax _beam_term_syntax_elixir;

gboolean _beam_term_printer_elided      (BeamTermPrinter *p,
                                         guint            i);
/* Whether a container at `depth` shows no contents. */
gboolean _beam_term_printer_collapsed   (BeamTermPrinter *p,
                                         guint            depth);
/* The walker, for a syntax's containers. */
void     _beam_term_printer_print       (BeamTermPrinter *p,
                                         const BeamTerm  *term,
                                         guint            depth);
gboolean _beam_term_is_sane_bitstring   (const BeamTerm  *term);
/* The value of the bits in the last byte of a bitstring. */
guint    _beam_term_bitstring_tail      (const BeamTerm  *term);
/* float_to_list(F, [short]); Elixir's floats fall back to it. */
void     _beam_term_append_float_erlang (GString         *out,
                                         double           value);

G_END_DECLS
