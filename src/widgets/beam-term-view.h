/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "beam-term-printer.h"

G_BEGIN_DECLS

/* A term as an expandable tree: each row prints its term on one line, cut
 * short for big ones, and a container opens into its elements (map entries
 * as key => value). Erlang or Elixir syntax; "copy" copies the whole term. */

#define BEAM_TYPE_TERM_VIEW (beam_term_view_get_type ())

G_DECLARE_FINAL_TYPE (BeamTermView, beam_term_view, BEAM, TERM_VIEW, GtkWidget)

GtkWidget *beam_term_view_new        (void);
/* Shows `terms` (taken), each a root row, with labels (may be NULL). */
void       beam_term_view_set_terms  (BeamTermView *self,
                                      GPtrArray    *terms,
                                      GStrv         labels);
void       beam_term_view_set_syntax (BeamTermView *self,
                                      BeamSyntax    syntax);
void       beam_term_view_set_local_node (BeamTermView *self,
                                          const char   *node);
/* The whole of every root term, printed, one a line. */
char      *beam_term_view_dup_text   (BeamTermView *self);

G_END_DECLS
