/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "beam-tables-page.h"

G_BEGIN_DECLS

/* For tests: the rows shown (filtered and sorted), the filter's text and
 * whether system tables show. */
GListModel *beam_tables_page_get_shown   (BeamTablesPage *self);
void        beam_tables_page_set_filter  (BeamTablesPage *self,
                                          const char     *text,
                                          gboolean        with_system);

/* The .ui's closures. */
char *beam_tables_page_format_count (gpointer unused,
                                     gint64   count);
char *beam_tables_page_format_bytes (gpointer unused,
                                     gint64   bytes);

G_END_DECLS
