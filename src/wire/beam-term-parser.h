/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "beam-term.h"
#include "beam-term-printer.h"

G_BEGIN_DECLS

/* Terms a user types (table keys, match patterns, rows to insert), read here
 * rather than by erl_scan on the node, which would make every atom it reads.
 * The term then travels as beam_term_to_external() bytes that the node
 * decodes with binary_to_term(B, [safe]). */

#define BEAM_TERM_PARSE_ERROR (beam_term_parse_error_quark ())

typedef enum
{
  BEAM_TERM_PARSE_ERROR_SYNTAX,       /* not a term: a missing `}`, trailing text, ... */
  BEAM_TERM_PARSE_ERROR_VARIABLE,     /* a variable where a term must be written out */
  BEAM_TERM_PARSE_ERROR_UNSUPPORTED,  /* pids, funs, interpolation, calls: no typed form */
  BEAM_TERM_PARSE_ERROR_INVALID,      /* well formed, but no such value: a bad character,
                                       * an atom too long, a float out of range, ... */
  BEAM_TERM_PARSE_ERROR_TOO_DEEP,     /* nested deeper than BEAM_TERM_PARSE_MAX_DEPTH */
  BEAM_TERM_PARSE_ERROR_TOO_LARGE,    /* text, integer or binary over its limit */
} BeamTermParseError;

/* Tuples, lists, maps and binaries nested this deep at most. */
#define BEAM_TERM_PARSE_MAX_DEPTH   1000
/* The longest text read, in bytes. */
#define BEAM_TERM_PARSE_MAX_BYTES   (1024 * 1024)
/* The most digits of one integer literal: converting a base and encoding
 * take time quadratic in its length. */
#define BEAM_TERM_PARSE_MAX_DIGITS  1000
/* The most bytes all the binaries of one text may add up to. */
#define BEAM_TERM_PARSE_MAX_BINARY  (16 * 1024 * 1024)

GQuark    beam_term_parse_error_quark (void);

/* Exactly one term in `syntax`, with white space and comments around it (and
 * in Erlang a final `.`). A bare `_` (or `_Name`) is the atom '_', as match
 * patterns want; other variables are refused. Errors are
 * BEAM_TERM_PARSE_ERROR and name the line and column. */
BeamTerm *beam_term_parse             (const char  *text,
                                       BeamSyntax   syntax,
                                       GError     **error);

G_END_DECLS
